// User story: "On a slow connection I see what the page is and that it is
// loading, not a blank page; and if it cannot start, it tells me why and
// lets me try again." The page's wasm is held back (or refused) by the
// test, as a slow or broken network would.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, TRAFFIC_LABEL, estimateTable, openApp, record, start, waitFor } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/** The page's own wasm (not the uncertainty worker's). */
const PAGE_WASM = /\/stackwise-[0-9a-f]+_bg\.wasm$/;
const LOADING = 'Loading the calculator…';

let env;
before(async () => {
  env = await start();
  mkdirSync(ARTIFACTS, { recursive: true });
});
after(async () => {
  await env?.close();
});

/**
 * A new page, opened at `query`, whose wasm request waits until
 * `release()`; the other options go to the browser context, `init` runs
 * in the page before its own scripts, and `clock` fakes the page's timers.
 */
async function heldPage({ query = '', ...options } = {}, init, { clock = false } = {}) {
  const context = await env.browser.newContext(options);
  if (init) await context.addInitScript(init);
  // A clock the test moves on its own (page.clock), for the page's timers.
  if (clock) await context.clock.install();
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await context.route(PAGE_WASM, async (route) => {
    await held;
    await route.continue();
  });
  const page = await context.newPage();
  const { problems } = record(page);
  await page.goto(`${env.origin}/${query}`, { waitUntil: 'domcontentloaded' });
  return { page, context, problems, release };
}

const status = (page) => page.locator('#boot-status');

/** Lets the held wasm through and waits for the app to replace the screen. */
async function appTakesOver(page, release) {
  release();
  await estimateTable(page).locator('tbody tr').first().waitFor();
  assert.equal(await page.locator('#boot').count(), 0);
}
const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test('while the wasm loads the page shows its header and says so; the app then takes its place', async () => {
  const { page, context, problems, release } = await heldPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.getByRole('heading', { name: 'Stackwise', level: 1 }).waitFor();
    assert.equal(await page.getByRole('status').filter({ hasText: LOADING }).count(), 1);
    // A moving bar (no value: the page cannot tell how far the download is).
    assert.equal(await page.getByRole('progressbar', { name: LOADING }).getAttribute('value'), null);
    const tagline = await page.locator('.tagline').innerText();
    await page.screenshot({ path: join(ARTIFACTS, 'loading-1280.png') });

    // One page: the screen is gone, one title, the same tagline.
    await appTakesOver(page, release);
    assert.equal(await page.getByRole('heading', { name: 'Stackwise', level: 1 }).count(), 1);
    assert.equal(await page.locator('.tagline').innerText(), tagline);
    assert.equal(await page.getByText(LOADING).count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the title and the tagline do not move when the app replaces the loading screen', async () => {
  // A reader starts on the tagline while the wasm downloads; the app's
  // buttons must not push it down when they arrive (they went between the
  // title and the tagline on a phone: 210 px down).
  const where = (page) =>
    page.evaluate(() =>
      ['h1', '.tagline'].map((selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        return `${selector} at ${Math.round(box.left)},${Math.round(box.top)}`;
      }),
    );
  for (const width of [1280, 390]) {
    const { page, context, release } = await heldPage({ viewport: { width, height: 800 } });
    try {
      await page.getByRole('heading', { name: 'Stackwise', level: 1 }).waitFor();
      const before = await where(page);
      await appTakesOver(page, release);
      assert.deepEqual(await where(page), before, `${width} px`);
    } finally {
      await context.close();
    }
  }
});

/** axe's violations on the page as it is now (axe-core from node_modules). */
async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () =>
    (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map(
      (v) => `${v.impact}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    ),
  );
}

test('the loading screen, and its message when the wasm does not load, pass the accessibility scan', async () => {
  // axe is injected as an inline script, which the page's policy refuses.
  const { page, context } = await heldPage({ bypassCSP: true });
  try {
    await status(page).waitFor();
    assert.deepEqual(await axeViolations(page), []);
  } finally {
    await context.close();
  }
  const refused = await env.browser.newContext({ serviceWorkers: 'block', bypassCSP: true });
  await refused.route(PAGE_WASM, (route) => route.abort('connectionreset'));
  try {
    const page = await refused.newPage();
    await page.goto(`${env.origin}/`);
    await page.getByRole('alert').waitFor();
    assert.deepEqual(await axeViolations(page), []);
  } finally {
    await refused.close();
  }
});

test('the loading screen is painted in the theme picked in this browser, as the app is', async () => {
  // The system says light; the reader picked dark last time.
  const { page, context, release } = await heldPage({ colorScheme: 'light' }, () => {
    localStorage.setItem('stackwise.theme', 'dark');
  });
  try {
    await status(page).waitFor();
    const loading = await background(page);
    await appTakesOver(page, release);
    assert.equal(await page.getByLabel('Theme').inputValue(), 'dark');
    assert.equal(loading, await background(page));
    // And it is dark: the system's light would be a near-white.
    const [r, g, b] = loading.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 200, loading);
  } finally {
    await context.close();
  }
});

test('an embedded frame loads with the status line alone', async () => {
  const { page, context, release } = await heldPage({ query: '?embed=1' });
  try {
    await status(page).waitFor();
    assert.equal(await status(page).innerText(), LOADING);
    assert.equal(await page.getByRole('heading', { name: 'Stackwise', level: 1 }).count(), 0);
    await appTakesOver(page, release);
  } finally {
    await context.close();
  }
});

test('a load that takes long says so, offers a reload, and goes on waiting', async () => {
  const { page, context, release } = await heldPage({}, undefined, { clock: true });
  try {
    await status(page).waitFor();
    await page.clock.fastForward(19_000);
    assert.equal(await status(page).innerText(), LOADING);
    await page.clock.fastForward(2_000);
    await waitFor(async () => (await status(page).innerText()).startsWith('Still loading'), 'the note on a slow load');
    assert.match(await status(page).innerText(), /^Still loading after 20 seconds: the connection is slow, or a file is not arriving\.\s+Reload$/);
    // Still a status, not an alert; the bar still moves.
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.equal(await page.getByRole('progressbar').count(), 1);
    await page.clock.resume();
    await appTakesOver(page, release);
  } finally {
    await context.close();
  }
});

test('a wasm that does not load is named in the status line, and Reload tries again', async () => {
  // A phone: the message, with the file's whole address, wraps.
  const context = await env.browser.newContext({ serviceWorkers: 'block', viewport: { width: 360, height: 640 } });
  let refused = 0;
  await context.route(PAGE_WASM, (route) => {
    refused += 1;
    return route.fulfill({ status: 404, contentType: 'text/html', body: '<!doctype html><p>Not found</p>' });
  });
  try {
    const page = await context.newPage();
    await page.goto(`${env.origin}/`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /^Stackwise could not start: .*404 Not Found.*_bg\.wasm/);
    assert.equal(await page.getByText(LOADING).count(), 0);
    assert.equal(await page.getByRole('progressbar').count(), 0);
    assert.deepEqual(await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]), [360, 360]);
    await page.screenshot({ path: join(ARTIFACTS, 'loading-failed-360.png') });

    // The network is back: Reload brings the page up.
    await context.unroute(PAGE_WASM);
    await alert.getByRole('button', { name: 'Reload' }).click();
    await estimateTable(page).locator('tbody tr').first().waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.equal(refused, 1);
  } finally {
    await context.close();
  }
});

test('a script that does not load, or a browser without WebAssembly, is said so', async () => {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  await context.route(/\/stackwise-[0-9a-f]+\.js$/, (route) => route.abort('connectionreset'));
  try {
    const page = await context.newPage();
    await page.goto(`${env.origin}/`);
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /^Stackwise could not start: a script it needs did not load\./);
  } finally {
    await context.close();
  }

  const bare = await env.browser.newContext({ serviceWorkers: 'block' });
  await bare.addInitScript(() => {
    delete window.WebAssembly;
  });
  try {
    const page = await bare.newPage();
    await page.goto(`${env.origin}/`);
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /^Stackwise cannot start: this browser does not run WebAssembly/);
  } finally {
    await bare.close();
  }
});

test('without JavaScript the page says what it needs, and not that it is loading', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(`${env.origin}/`);
    const said = page.locator('noscript p');
    assert.equal(await said.innerText(), 'Stackwise runs in your browser and needs JavaScript and WebAssembly.');
    assert.ok(await said.isVisible());
    assert.equal(await status(page).isVisible(), false);
    assert.equal(await page.locator('progress').isVisible(), false);
  } finally {
    await context.close();
  }
});

test('if the wasm stops after the start, a bar says so and offers a reload', async () => {
  const { page, context } = await openApp(env);
  try {
    const traffic = page.getByLabel(TRAFFIC_LABEL, { exact: true });
    await traffic.fill('1234');
    await waitFor(() => page.url().includes('rps=1234'), 'the address to follow the traffic');

    // An ordinary script error is not the wasm stopping: no bar.
    await page.evaluate(() => setTimeout(() => {
      throw new Error('not ours');
    }));
    await page.waitForTimeout(200);
    assert.equal(await page.getByRole('alert').count(), 0);

    // A trap (a panic in the release build, which stops at once) reaches
    // the page as a WebAssembly.RuntimeError thrown out of whatever task
    // called into the wasm; this throws one from a task in the same way.
    await page.evaluate(() => setTimeout(() => {
      throw new WebAssembly.RuntimeError('unreachable');
    }));
    const bar = page.getByRole('alert');
    await bar.waitFor();
    assert.equal(
      await bar.innerText(),
      'Stackwise stopped after an internal error (unreachable). Reload the page to go on from the inputs in its address. Reload',
    );
    // The inputs are in the address: Reload brings the same scenario back.
    await bar.getByRole('button', { name: 'Reload' }).click();
    await estimateTable(page).locator('tbody tr').first().waitFor();
    assert.equal(await traffic.inputValue(), '1234');
    assert.equal(await page.getByRole('alert').count(), 0);
  } finally {
    await context.close();
  }
});
