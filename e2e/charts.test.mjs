// User story: "I read the charts: every stack in its own colour and marker,
// values under my pointer or keys, a legend that hides a stack everywhere,
// the numbers as a table, and each chart as a file to keep."
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, TRAFFIC_LABEL, record, seenText, start, waitFor } from './browser.mjs';

const CHARTS = ['instances', 'cost', 'cumulative', 'memory', 'latency', 'cheapest', 'tornado'];
const STACKS = ['FastAPI', 'Express', 'Fastify', 'NestJS', 'Hybrid'];

let env;
before(async () => {
  env = await start();
  mkdirSync(ARTIFACTS, { recursive: true });
});
after(async () => {
  await env?.close();
});

/** The canvas of one chart. */
function canvas(page, key) {
  return page.locator(`#chart-${key} canvas`);
}

/** The canvas's pixels as a data URL (changes whenever they change). */
function pixels(page, key) {
  return canvas(page, key).evaluate((c) => c.toDataURL());
}

/** True when the chart's canvas has a buffer and something on it. */
function drawn(page, key) {
  return canvas(page, key).evaluate((c) => {
    if (c.width === 0 || c.height === 0) return false;
    const blank = document.createElement('canvas');
    blank.width = c.width;
    blank.height = c.height;
    return c.toDataURL() !== blank.toDataURL();
  });
}

/** The read-out under a chart. */
function readout(page, key) {
  return page.locator(`#chart-${key}-readout`);
}

/**
 * Opens the page and waits until every chart is drawn, the uncertainty
 * charts included. Records requests and problems like `openApp`.
 */
async function openCharts(options = {}) {
  const context = await env.browser.newContext(options);
  const page = await context.newPage();
  const { requests, problems } = record(page);
  await page.goto(`${env.origin}/`);
  await page.locator('#charts').waitFor();
  for (const key of CHARTS) {
    await waitFor(() => drawn(page, key), `the ${key} chart to be drawn`);
  }
  // The Monte Carlo and the sweep run once the inputs settle. (Its text,
  // not its rendering: on a phone the chart is off the screen, skipped.)
  await waitFor(
    async () => /Cheapest in/.test(await readout(page, 'cheapest').textContent()),
    'the Monte Carlo to finish',
    30_000,
  );
  return { page, context, requests, problems };
}

/** Requests that went anywhere but the page's origin (Blob and data URLs
 * are made in the page). */
function foreign(requests, origin) {
  return requests.filter(
    (url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:'),
  );
}

test('every chart is drawn crisp and redraws when the traffic changes', async () => {
  const { page, context, requests, problems } = await openCharts({ deviceScaleFactor: 2 });
  try {
    assert.equal(await page.locator('#charts canvas').count(), CHARTS.length);
    for (const key of CHARTS) {
      const geometry = await canvas(page, key).evaluate((c) => {
        const r = c.getBoundingClientRect();
        return { buffer: [c.width, c.height], css: [r.width, r.height], ratio: devicePixelRatio };
      });
      assert.equal(geometry.buffer[0], Math.round(geometry.css[0] * geometry.ratio), key);
      assert.equal(geometry.buffer[1], Math.round(geometry.css[1] * geometry.ratio), key);
      assert.ok(
        (await canvas(page, key).getAttribute('aria-label')).length > 20,
        `${key} canvas has an accessible description`,
      );
    }
    const before = {};
    for (const key of ['instances', 'cost', 'latency']) before[key] = await pixels(page, key);
    const field = page.getByLabel(TRAFFIC_LABEL, { exact: true });
    const next = (await field.inputValue()) === '40000' ? '3000' : '40000';
    await field.fill(next);
    for (const key of ['instances', 'cost']) {
      await waitFor(async () => (await pixels(page, key)) !== before[key], `${key} to redraw`);
    }
    assert.match(await seenText(readout(page, 'instances')), /At 40,000 req\/s|At 3,000 req\/s/);
    assert.deepEqual(foreign(requests, env.origin), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the legend hides a stack in every chart and shows it again', async () => {
  const { page, context, problems } = await openCharts();
  try {
    const express = page.getByRole('button', { name: 'Express', exact: true });
    assert.equal(await express.getAttribute('aria-pressed'), 'true');
    const before = await pixels(page, 'instances');
    const beforeCheapest = await pixels(page, 'cheapest');
    assert.match(await seenText(readout(page, 'instances')), /Express/);

    await express.click();
    assert.equal(await express.getAttribute('aria-pressed'), 'false');
    await waitFor(async () => (await pixels(page, 'instances')) !== before, 'instances to redraw');
    await waitFor(
      async () => (await pixels(page, 'cheapest')) !== beforeCheapest,
      'the probability chart to redraw',
    );
    for (const key of ['instances', 'cost', 'cumulative', 'latency']) {
      const text = await seenText(readout(page, key));
      assert.doesNotMatch(text, /Express/, `${key} read-out still lists Express`);
      assert.match(text, /Fastify/, `${key} read-out lost the shown stacks`);
    }
    // The tables follow (they are rebuilt after a short quiet spell).
    const heads = page.locator('#chart-cost-table thead th');
    await waitFor(
      async () => !(await heads.allInnerTexts()).includes('Express'),
      'the cost table to drop Express',
    );

    await express.click();
    assert.equal(await express.getAttribute('aria-pressed'), 'true');
    await waitFor(async () => /Express/.test(await seenText(readout(page, 'instances'))), 'Express back');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a drawn chart off the screen is skipped while the user types above it, and follows when it comes into view', async () => {
  const { page, context, problems } = await openCharts({ viewport: { width: 1280, height: 900 } });
  try {
    // Whether the browser skips the canvas (a skipped subtree is not
    // laid out or painted, and not carried through each frame).
    const skipped = (key) =>
      canvas(page, key).evaluate((c) => !c.checkVisibility({ contentVisibilityAuto: true }));
    // The browser keeps what lies within about a screen and a half of the
    // window (the first chart, here); the charts further down are skipped.
    // Once, a moment after the first run finishes, the page lays them all
    // out for one frame to learn their heights (measure_skipped_panels in
    // src/ui/mod.rs); a check that lands in that frame waits it out.
    for (const key of CHARTS.slice(2)) await waitFor(() => skipped(key), `${key}: skipped at the top of the page`, 3_000);
    const before = await pixels(page, 'tornado');
    await page.getByLabel(TRAFFIC_LABEL, { exact: true }).fill('40000');
    // Drawn into while skipped, once the inputs settle and the sweep reruns.
    await waitFor(async () => (await pixels(page, 'tornado')) !== before, 'the tornado to follow, off the screen');
    await canvas(page, 'tornado').scrollIntoViewIfNeeded();
    await waitFor(async () => !(await skipped('tornado')), 'the tornado to be laid out in view');
    assert.ok(await drawn(page, 'tornado'));
    // The run the new traffic started lays the skipped parts out for one
    // frame a moment after it finishes; a check landing there waits it out.
    await waitFor(() => skipped('instances'), 'the first chart, now far above, to be skipped', 3_000);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('pointer and arrow keys read out every shown stack', async () => {
  const { page, context, problems } = await openCharts();
  try {
    const out = readout(page, 'instances');
    const home = await seenText(out);
    assert.match(home, /^At 200 req\/s average/);
    for (const stack of STACKS) assert.match(home, new RegExp(stack));

    await canvas(page, 'instances').scrollIntoViewIfNeeded();
    const box = await canvas(page, 'instances').boundingBox();
    await page.mouse.move(box.x + box.width * 0.85, box.y + box.height * 0.5);
    await waitFor(async () => (await out.innerText()) !== home, 'the read-out to follow the pointer');
    const hovered = await out.innerText();
    for (const stack of STACKS) assert.match(hovered, new RegExp(stack));
    assert.equal(await page.locator('#chart-instances .chart-guide').count(), 1);
    await page.mouse.move(box.x + box.width * 0.5, box.y - 40);
    await waitFor(async () => (await out.innerText()) === home, 'the read-out to return home');

    // Keyboard: focus the chart, step with the arrows, jump with End.
    await canvas(page, 'instances').focus();
    await page.keyboard.press('ArrowRight');
    await waitFor(async () => (await out.innerText()) !== home, 'ArrowRight to move the read-out');
    assert.equal(await out.getAttribute('aria-live'), 'polite');
    await page.keyboard.press('End');
    await waitFor(async () => /^At 20,000 req\/s average/.test(await out.innerText()), 'End');

    // Rows: the memory chart reads out one service at a time.
    const memory = readout(page, 'memory');
    await canvas(page, 'memory').focus();
    await page.keyboard.press('ArrowDown');
    await waitFor(async () => /^Express/.test(await memory.innerText()), 'the second memory row');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a chart that scrolls under a resting pointer reads it out', async () => {
  const { page, context, problems } = await openCharts({ viewport: { width: 1280, height: 720 } });
  try {
    const out = readout(page, 'instances');
    // The chart just below the window, the pointer resting where the wheel
    // will bring it.
    await canvas(page, 'instances').evaluate((c) => window.scrollTo(0, c.getBoundingClientRect().top + window.scrollY - 700));
    await page.waitForTimeout(300);
    const home = await out.textContent();
    await page.mouse.move(900, 400);
    await page.mouse.wheel(0, 500);
    await waitFor(async () => {
      const box = await canvas(page, 'instances').boundingBox();
      return box.y < 400 && box.y + box.height > 400;
    }, 'the chart under the pointer');
    await waitFor(async () => (await out.textContent()) !== home, 'the read-out to follow the pointer it came under');
    assert.equal(await page.locator('#chart-instances .chart-guide').count(), 1);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('each chart has its numbers in a table, in the page at all times', async () => {
  const { page, context, problems } = await openCharts();
  try {
    for (const key of CHARTS) {
      const table = page.locator(`#chart-${key}-table table`);
      assert.equal(await table.count(), 1, `${key} has a table`);
    }
    const costTable = page.getByRole('table', { name: /^Money per month/ });
    assert.ok((await costTable.locator('tbody tr').count()) >= 20);
    const toggle = page.locator('#chart-cost').getByRole('button', { name: /the numbers$/ });
    assert.equal(await seenText(toggle), 'Show the numbers');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await toggle.innerText(), 'Hide the numbers');
    assert.ok(await costTable.isVisible());
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a chart downloads as a valid SVG and as a PNG, made in the page', async () => {
  const { page, context, requests, problems } = await openCharts({ acceptDownloads: true });
  try {
    const title = 'Instances needed as traffic grows';
    const [svgFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Download ${title} as SVG` }).click(),
    ]);
    assert.equal(svgFile.suggestedFilename(), 'stackwise-instances.svg');
    const svg = readFileSync(await svgFile.path(), 'utf8');
    assert.match(svg, /^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        root: doc.documentElement.nodeName,
        errors: doc.getElementsByTagName('parsererror').length,
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent.trim()),
      };
    }, svg);
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.errors, 0);
    assert.ok(parsed.texts.includes(title), 'the file carries its title');
    for (const stack of STACKS) assert.ok(parsed.texts.includes(stack), `legend lists ${stack}`);

    const [pngFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Download ${title} as PNG` }).click(),
    ]);
    assert.equal(pngFile.suggestedFilename(), 'stackwise-instances.png');
    const png = readFileSync(await pngFile.path());
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual(foreign(requests, env.origin), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// Pictures for a person to look at (e2e/artifacts/, git-ignored).
for (const [name, options] of [
  ['light', { colorScheme: 'light', viewport: { width: 1200, height: 900 } }],
  ['dark', { colorScheme: 'dark', viewport: { width: 1200, height: 900 } }],
  [
    'phone',
    {
      colorScheme: 'light',
      viewport: { width: 360, height: 780 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    },
  ],
]) {
  test(`charts screenshot: ${name}`, async () => {
    const { page, context, problems } = await openCharts(options);
    try {
      // Nothing in the charts reaches past the screen's edge.
      const overflow = await page.locator('#charts').evaluate((section) => {
        const edge = document.documentElement.clientWidth;
        const wide = [section, ...section.querySelectorAll('*')].filter((el) => {
          if (el.closest('.visually-hidden')) return false;
          const r = el.getBoundingClientRect();
          return r.width > 0 && r.right > edge + 1;
        });
        return wide.map((el) => `${el.tagName}.${el.className}`).slice(0, 5);
      });
      assert.deepEqual(overflow, [], 'chart elements wider than the screen');
      const box = await page.locator('#charts').evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
      });
      await page.screenshot({ path: join(ARTIFACTS, `charts-${name}.png`), fullPage: true, clip: box });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}
