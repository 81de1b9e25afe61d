// User stories: "I copy a link and a colleague who opens it sees the same
// numbers", "a broken link still opens, and says what it ignored", "I
// download the numbers, and bring the JSON back later", "I save scenarios in
// my browser and compare two", all without the page talking to anyone but
// its own server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { TRAFFIC_LABEL, estimateTable, foreignRequests, openApp, openMoreInputs, start, waitFor } from './browser.mjs';

const SAVED_KEY = 'stackwise.saved.v1';
const SET_ASIDE_KEY = 'stackwise.saved.set-aside';
const STACKS = ['FastAPI', 'Express', 'Fastify', 'NestJS', 'Hybrid'];

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const table = estimateTable;

function field(page, label) {
  return page.getByLabel(label, { exact: true });
}

/** True once the first chart has something drawn on it. */
function drawn(page) {
  return page
    .locator('canvas')
    .first()
    .evaluate((canvas) => {
      if (canvas.width === 0 || canvas.height === 0) return false;
      const blank = document.createElement('canvas');
      blank.width = canvas.width;
      blank.height = canvas.height;
      return canvas.toDataURL() !== blank.toDataURL();
    });
}

/** Waits until the app has rendered its table and drawn a chart. */
async function ready(page) {
  await table(page).locator('tbody tr').first().waitFor();
  await waitFor(() => drawn(page), 'the chart to be drawn');
}

/** Opens `path` (a query, say) in a fresh context, recording problems. */
async function openAt(path, options = {}) {
  const opened = await openApp(env, options);
  await opened.page.goto(`${env.origin}${path}`);
  await ready(opened.page);
  return opened;
}

/** Sets an input and waits for the table to show the new estimate. */
async function setInput(page, label, value) {
  const before = await table(page).innerText();
  await openMoreInputs(page);
  await field(page, label).fill(String(value));
  await waitFor(async () => (await table(page).innerText()) !== before, `the table to follow ${label}`);
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let fieldText = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        fieldText += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else fieldText += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(fieldText);
      fieldText = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(fieldText);
      rows.push(row);
      row = [];
      fieldText = '';
      i += 1;
    } else fieldText += c;
  }
  assert.equal(quoted, false, 'CSV ends inside a quoted field');
  assert.equal(row.length + fieldText.length, 0, 'CSV does not end with CRLF');
  return rows;
}

test('the link follows every change, is copied, and reopens the same numbers', async () => {
  const { page, context, problems } = await openApp(env, {
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  try {
    const historyLength = await page.evaluate(() => history.length);
    await setInput(page, TRAFFIC_LABEL, 12345);
    await setInput(page, 'Peak-to-average ratio', 4);
    await waitFor(() => /[?&]rps=12345(&|$)/.test(page.url()) && /[?&]peak=4(&|$)/.test(page.url()), 'the link');
    assert.match(page.url(), /\?v=1&/, 'the format version comes first');
    assert.equal(await page.evaluate(() => history.length), historyLength, 'replaceState, not pushState');

    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Link copied to the clipboard.').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, page.url());

    const shown = await table(page).innerText();
    const other = await env.browser.newContext();
    try {
      const reopened = await other.newPage();
      const errors = [];
      reopened.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      reopened.on('pageerror', (e) => errors.push(e.message));
      await reopened.goto(copied);
      await ready(reopened);
      assert.equal(await field(reopened, TRAFFIC_LABEL).inputValue(), '12345');
      assert.equal(await field(reopened, 'Peak-to-average ratio').inputValue(), '4');
      assert.equal(await table(reopened).innerText(), shown, 'same table from the link');
      assert.equal(await reopened.getByRole('status').filter({ hasText: 'could not be used' }).count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await other.close();
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('while the user types, the link is rewritten at most every 250 ms, never in a keystroke\'s own handler, and once after the last key', async () => {
  const context = await env.browser.newContext();
  // Every rewrite of the address, with its time and whether it ran inside an
  // input event's dispatch (the keystroke's own handler).
  await context.addInitScript(() => {
    window.rewrites = [];
    let dispatching = false;
    addEventListener('input', () => { dispatching = true; }, true);
    addEventListener('input', () => { dispatching = false; });
    const real = history.replaceState.bind(history);
    history.replaceState = (state, title, url) => {
      window.rewrites.push({ at: performance.now(), inHandler: dispatching, url: String(url) });
      return real(state, title, url);
    };
  });
  const page = await context.newPage();
  try {
    await page.goto(`${env.origin}/`);
    await estimateTable(page).locator('tbody tr').first().waitFor();
    const input = field(page, TRAFFIC_LABEL);
    await input.click();
    await page.keyboard.press('End');
    const start = await page.evaluate(() => { window.rewrites = []; return performance.now(); });
    // Twelve keys 60 ms apart, about 700 ms of typing (longer on a busy
    // machine), every value in range: 200 to 20, 2, 25, 250 ... 2,539 and
    // 253.
    for (const key of ['Backspace', 'Backspace', '5', '0', 'Backspace', '7', '1', 'Backspace', 'Backspace', '3', '9', 'Backspace']) {
      await page.keyboard.press(key);
      await page.waitForTimeout(60);
    }
    const typing = (await page.evaluate(() => performance.now())) - start;
    const last = await input.inputValue();
    await waitFor(() => new URL(page.url()).searchParams.get('rps') === last, 'the link to follow the last key');
    await page.waitForTimeout(400);
    const rewrites = await page.evaluate(() => window.rewrites);
    // One at the first key, one per 250 ms of typing after it, one after
    // the last key.
    const most = Math.floor(typing / 250) + 2;
    assert.ok(
      rewrites.length >= 2 && rewrites.length <= most,
      `${rewrites.length} rewrites for 12 keys over ${Math.round(typing)} ms (at most ${most})`,
    );
    for (let i = 1; i < rewrites.length; i += 1) {
      const gap = rewrites[i].at - rewrites[i - 1].at;
      assert.ok(gap >= 249, `two rewrites ${gap.toFixed(1)} ms apart`);
    }
    assert.deepEqual(rewrites.filter((r) => r.inHandler), [], 'a rewrite inside a keystroke\'s handler');
    // Chromium writes out the saved state of every form control that keeps
    // one at each rewrite; the page's controls keep none (the link holds the
    // scenario), so a rewrite does not grow with the number of fields.
    const keeping = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((c) => !['checkbox', 'radio', 'file'].includes(c.type) && c.autocomplete !== 'off')
        .map((c) => c.id || c.getAttribute('aria-label') || c.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(keeping, [], 'controls that keep a saved form state');
    assert.equal(new URL(rewrites.at(-1).url, page.url()).searchParams.get('rps'), last, 'the last rewrite has the last value');
  } finally {
    await context.close();
  }
});

test('while a slider is held, the link waits, and follows once it is let go', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(() => {
    window.rewrites = [];
    const real = history.replaceState.bind(history);
    history.replaceState = (state, title, url) => {
      window.rewrites.push(String(url));
      return real(state, title, url);
    };
  });
  const page = await context.newPage();
  try {
    await page.goto(`${env.origin}/`);
    await estimateTable(page).locator('tbody tr').first().waitFor();
    const slider = page.getByRole('slider', { name: 'Team size (slider)' });
    const box = await slider.boundingBox();
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.2, y);
    await page.mouse.down();
    await page.evaluate(() => { window.rewrites = []; });
    // About a second of dragging: four rewrites' worth at the typing rate.
    for (let i = 1; i <= 40; i += 1) {
      await page.mouse.move(box.x + box.width * (0.2 + (0.5 * i) / 40), y);
      await page.waitForTimeout(25);
    }
    const moved = await field(page, 'Team size').inputValue();
    assert.notEqual(moved, '6', 'the drag changed the team size');
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate(() => window.rewrites), [], 'the address rewritten while the slider is held');
    await page.mouse.up();
    await waitFor(() => new URL(page.url()).searchParams.get('team') === moved, 'the link to follow the slider once let go');
    await page.waitForTimeout(400);
    assert.equal((await page.evaluate(() => window.rewrites)).length, 1, 'one rewrite for the whole drag');
  } finally {
    await context.close();
  }
});

test('without a clipboard, the link is shown selected for copying by hand', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
    });
    await page.reload();
    await ready(page);
    await setInput(page, TRAFFIC_LABEL, 4321);
    await page.getByRole('button', { name: 'Copy link' }).click();
    const link = page.getByLabel('Link to this scenario', { exact: true });
    await link.waitFor();
    assert.equal(await link.inputValue(), page.url());
    assert.equal(await link.getAttribute('readonly'), '');
    await waitFor(
      () =>
        link.evaluate(
          (el) => document.activeElement === el && el.selectionStart === 0 && el.selectionEnd === el.value.length,
        ),
      'the link to be selected',
    );
    assert.match(await page.locator('.share-bar .share-status').innerText(), /Could not copy .*Ctrl\+C/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a corrupted link opens the defaults and the valid part, with a note', async () => {
  const clean = await openApp(env);
  const defaults = await table(clean.page).innerText();
  const defaultTraffic = await field(clean.page, TRAFFIC_LABEL).inputValue();
  const defaultPeak = await field(clean.page, 'Peak-to-average ratio').inputValue();
  await clean.context.close();

  const { page, context, problems } = await openAt('/?v=1&rps=abc&peak=%3Cscript%3E&bogus=1');
  try {
    const notes = page.locator('.notices');
    await waitFor(async () => /bogus/.test(await notes.innerText()), 'the note about the link');
    const text = await notes.innerText();
    assert.match(text, /Average requests per second/);
    assert.match(text, /Peak-to-average ratio/);
    assert.match(text, /<script>/, 'the bad value is shown as text');
    assert.equal(await page.locator('script:not([src])').evaluateAll((s) => s.some((x) => x.textContent.includes('peak'))), false);
    assert.equal(await field(page, TRAFFIC_LABEL).inputValue(), defaultTraffic);
    assert.equal(await field(page, 'Peak-to-average ratio').inputValue(), defaultPeak);
    assert.equal(await table(page).innerText(), defaults);
    assert.doesNotMatch(await page.locator('body').textContent(), /NaN|Infinity/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }

  // The valid part of a link is kept.
  const partly = await openAt('/?v=1&rps=2500&peak=oops');
  try {
    assert.equal(await field(partly.page, TRAFFIC_LABEL).inputValue(), '2500');
    assert.equal(await field(partly.page, 'Peak-to-average ratio').inputValue(), defaultPeak);
    assert.match(await partly.page.locator('.notices').innerText(), /Peak-to-average ratio/);
    assert.deepEqual(partly.problems, []);
  } finally {
    await partly.context.close();
  }
});

test('a link with a decimal comma or an empty mix opens the defaults for them, with a note', async () => {
  const clean = await openApp(env);
  const defaultPeak = await field(clean.page, 'Peak-to-average ratio').inputValue();
  const defaultJson = await field(clean.page, 'JSON / CRUD share').inputValue();
  await clean.context.close();

  const { page, context, problems } = await openAt('/?v=1&peak=1,5&json=5e-324&io=0&cpu=0&ml=0');
  try {
    const notes = page.locator('.notices');
    await waitFor(async () => /comma/.test(await notes.innerText()), 'the note about the comma');
    const text = await notes.innerText();
    assert.match(text, /Peak-to-average ratio: "1,5" has a comma/);
    assert.match(text, /the workload shares add up to 0%; the defaults are used/);
    assert.equal(await field(page, 'Peak-to-average ratio').inputValue(), defaultPeak);
    assert.equal(await field(page, 'JSON / CRUD share').inputValue(), defaultJson);
    assert.doesNotMatch(await page.locator('body').textContent(), /NaN|Infinity|inf\b/);
    assert.doesNotMatch(page.url(), /inf|NaN/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('CSV and JSON downloads are well formed, and the JSON imports back', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    await setInput(page, TRAFFIC_LABEL, 12345);
    const exported = await table(page).innerText();

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    assert.match(csv.suggestedFilename(), /^stackwise-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parseCsv(readFileSync(await csv.path(), 'utf8'));
    assert.equal(rows.length, 1 + STACKS.length);
    const [header, ...body] = rows;
    assert.equal(header[0], 'Stack');
    assert.ok(header.includes('Instances at peak'));
    for (const row of body) assert.equal(row.length, header.length);
    assert.deepEqual(body.map((r) => r[0]).sort(), [...STACKS].sort());
    const instances = header.indexOf('Instances at peak');
    for (const row of body) assert.ok(Number.isInteger(Number(row[instances])) && Number(row[instances]) > 0, row.join());

    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download JSON' }).click(),
    ]);
    assert.match(json.suggestedFilename(), /^stackwise-\d{4}-\d{2}-\d{2}\.json$/);
    const jsonPath = await json.path();
    const doc = JSON.parse(readFileSync(jsonPath, 'utf8'));
    assert.equal(doc.format, 'stackwise-export');
    assert.equal(doc.version, 1);
    assert.equal(doc.scenario.rps, 12345);
    assert.equal(doc.estimate.stacks.length, STACKS.length);
    // Both files list the stacks in the same order, with the same counts.
    body.forEach((row, i) => assert.equal(doc.estimate.stacks[i].instances, Number(row[instances]), row[0]));

    // Something else, then the file brings the scenario back.
    await setInput(page, TRAFFIC_LABEL, 777);
    await page.getByLabel('Import JSON', { exact: true }).setInputFiles(jsonPath);
    await page.locator('.share-status', { hasText: 'Imported' }).waitFor();
    await waitFor(async () => (await table(page).innerText()) === exported, 'the imported numbers');
    assert.equal(await field(page, TRAFFIC_LABEL).inputValue(), '12345');
    await waitFor(() => /[?&]rps=12345(&|$)/.test(page.url()), 'the link to follow the import');

    // A bad file changes nothing and names every problem.
    const before = await table(page).innerText();
    await page.getByLabel('Import JSON', { exact: true }).setInputFiles({
      name: 'edited.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify({ format: 'stackwise-export', version: 1, scenario: { rps: 'abc', peak: -5, nonsense: 1 } }),
      ),
    });
    const alert = page.locator('#import-problems');
    await alert.locator('li').first().waitFor();
    const items = await alert.locator('li').allInnerTexts();
    assert.ok(items.length >= 3, items.join('\n'));
    assert.ok(items.some((t) => t.includes('Average requests per second')), items.join('\n'));
    assert.ok(items.some((t) => t.includes('Peak-to-average ratio')), items.join('\n'));
    assert.ok(items.some((t) => t.includes('nonsense')), items.join('\n'));
    assert.match(await alert.innerText(), /edited\.json was not imported, so nothing changed/);
    assert.equal(await table(page).innerText(), before);
    assert.equal(await field(page, TRAFFIC_LABEL).inputValue(), '12345');

    // Not JSON at all.
    await page.getByLabel('Import JSON', { exact: true }).setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{ this is not json'),
    });
    await alert.getByText('notes.json was not imported', { exact: false }).waitFor();
    assert.match(await alert.innerText(), /not valid JSON/);
    assert.equal(await table(page).innerText(), before);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('saved scenarios: save, list, compare, load, rename, delete and undo', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    const saved = page.locator('#saved');
    await saved.getByText('Nothing saved yet.').waitFor();
    const defaults = await table(page).innerText();
    const defaultTraffic = await field(page, TRAFFIC_LABEL).inputValue();

    await saved.getByLabel('Name', { exact: true }).fill('Baseline');
    await saved.getByRole('button', { name: 'Save current scenario' }).click();
    await saved.getByText('Saved “Baseline”.').waitFor();
    await setInput(page, TRAFFIC_LABEL, 5000);
    await saved.getByLabel('Name', { exact: true }).fill('Busy');
    await saved.getByRole('button', { name: 'Save current scenario' }).click();
    await saved.getByText('Saved “Busy”.').waitFor();
    const busy = await table(page).innerText();

    const list = saved.getByRole('table', { name: 'Saved scenarios' });
    assert.equal(await list.locator('tbody tr').count(), 2);
    for (const date of await list.locator('td.saved-date').allInnerTexts()) {
      assert.match(date, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    }

    // Side by side: every stack for A and B, and the input that differs.
    const compare = saved.getByRole('table', { name: /^A: Baseline and B: Busy/ });
    await compare.waitFor();
    assert.equal(await compare.locator('tbody tr').count(), STACKS.length);
    const differ = saved.getByRole('table', { name: 'Inputs that differ' });
    const differences = await differ.locator('tbody tr').allInnerTexts();
    assert.equal(differences.length, 1, differences.join('\n'));
    assert.match(differences[0], /Average requests per second/);
    assert.match(differences[0], /5000/);
    // Each of the three tables scrolls sideways in a box that the keyboard
    // can reach, named for what it holds, as every such box on the page is.
    const boxes = await saved.locator('.table-scroll').evaluateAll((all) =>
      all.map((box) => `${box.getAttribute('role')} ${box.tabIndex} ${box.getAttribute('aria-label')}`),
    );
    assert.deepEqual(boxes, [
      'region 0 Saved scenarios, scrollable',
      'region 0 Comparison per stack, scrollable',
      'region 0 Inputs that differ, scrollable',
    ]);

    // Swap the sides.
    await saved.getByLabel('Scenario A', { exact: true }).selectOption('Busy');
    await saved.getByLabel('Scenario B', { exact: true }).selectOption('Baseline');
    await saved.getByRole('table', { name: /^A: Busy and B: Baseline/ }).waitFor();

    await saved.getByRole('button', { name: 'Load “Baseline”' }).click();
    await waitFor(async () => (await table(page).innerText()) === defaults, 'Baseline loaded');
    assert.equal(await field(page, TRAFFIC_LABEL).inputValue(), defaultTraffic);

    await saved.getByRole('button', { name: 'Rename “Busy”' }).click();
    const rename = saved.getByLabel('New name for “Busy”', { exact: true });
    await rename.fill('Peak day');
    await saved.getByRole('button', { name: 'Save name' }).click();
    await saved.getByText('Renamed “Busy” to “Peak day”.').waitFor();

    await saved.getByRole('button', { name: 'Delete “Baseline”' }).click();
    await saved.getByText('Deleted “Baseline”.').waitFor();
    assert.equal(await list.locator('tbody tr').count(), 1);
    await saved.getByRole('button', { name: 'Undo' }).click();
    await saved.getByText('Restored “Baseline”.').waitFor();
    assert.equal(await list.locator('tbody tr').count(), 2);

    // Kept across visits.
    await page.reload();
    await ready(page);
    assert.deepEqual((await list.locator('.saved-name').allInnerTexts()).sort(), ['Baseline', 'Peak day']);
    await saved.getByRole('button', { name: 'Load “Peak day”' }).click();
    await waitFor(async () => (await table(page).innerText()) === busy, 'Peak day loaded');
    const stored = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), SAVED_KEY));
    assert.equal(stored.version, 1);
    assert.deepEqual(stored.items.map((i) => i.name).sort(), ['Baseline', 'Peak day']);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an unreadable saved value is reported and kept aside, never dropped', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    await page.evaluate(
      ({ saved, aside }) => {
        localStorage.setItem(aside, 'something kept earlier');
        localStorage.setItem(
          saved,
          JSON.stringify({
            version: 1,
            items: [{ name: 'Good', query: 'v=1&rps=900', saved: '2026-01-02T03:04:05Z' }, { name: 42 }],
          }),
        );
      },
      { saved: SAVED_KEY, aside: SET_ASIDE_KEY },
    );
    await page.reload();
    await ready(page);
    await waitFor(async () => /Saved scenario 2/.test(await page.locator('.notices').innerText()), 'the notice');
    assert.match(await page.locator('.notices').innerText(), new RegExp(SET_ASIDE_KEY.replace(/\./g, '\\.')));
    assert.deepEqual(await page.locator('#saved .saved-name').allInnerTexts(), ['Good']);

    const aside = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), SET_ASIDE_KEY));
    assert.equal(aside.length, 2);
    assert.equal(aside[0].text, 'something kept earlier');
    assert.match(aside[1].text, /42/);
    const stored = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), SAVED_KEY));
    assert.deepEqual(stored.items.map((i) => i.name), ['Good']);

    // A value that is not even JSON is appended too.
    await page.evaluate((key) => localStorage.setItem(key, 'not json {'), SAVED_KEY);
    await page.reload();
    await ready(page);
    await waitFor(async () => /could not be read/.test(await page.locator('.notices').innerText()), 'the notice');
    const again = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), SET_ASIDE_KEY));
    assert.equal(again.length, 3);
    assert.equal(again[2].text, 'not json {');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('blocked storage leaves a visible note and nothing breaks', async () => {
  const context = await env.browser.newContext();
  try {
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
        configurable: true,
      });
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${env.origin}/`);
    await ready(page);
    const saved = page.locator('#saved');
    await saved.getByText('Saving is not available here').waitFor();
    assert.equal(await saved.getByRole('button', { name: 'Save current scenario' }).isDisabled(), true);
    // The rest of the page still works.
    await setInput(page, TRAFFIC_LABEL, 3000);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a full visit makes no request to any other origin', async () => {
  const { page, context, problems } = await openApp(env, {
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  try {
    await setInput(page, TRAFFIC_LABEL, 8000);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByRole('button', { name: 'Embed' }).click();
    await page.getByLabel('Embed code for this scenario').waitFor();
    await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
    const saved = page.locator('#saved');
    await saved.getByLabel('Name', { exact: true }).fill('One');
    await saved.getByRole('button', { name: 'Save current scenario' }).click();
    await saved.getByLabel('Name', { exact: true }).fill('Two');
    await saved.getByRole('button', { name: 'Save current scenario' }).click();
    await saved.getByRole('table', { name: /^A: One and B: Two/ }).waitFor();
    await page.reload();
    await ready(page);
    await page.waitForLoadState('networkidle');
    assert.ok(requests.length > 0);
    assert.deepEqual(foreignRequests(requests, env.origin), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('what a share button opens lies inside the window, just below the buttons, at every width', async () => {
  for (const width of [360, 800, 1199, 1280]) {
    const { page, context, problems } = await openApp(env, { viewport: { width, height: 800 } });
    try {
      const button = page.getByRole('button', { name: 'Embed' });
      await button.click();
      const code = page.getByLabel('Embed code for this scenario');
      await code.waitFor();
      const opened = await code.evaluate((el) => {
        const box = el.closest('.share-panel').getBoundingClientRect();
        return { left: box.left, right: box.right, top: box.top };
      });
      const under = await page.locator('.share-actions').boundingBox();
      assert.ok(opened.left >= 0 && opened.right <= width, `${width} px: ${opened.left}-${opened.right}`);
      assert.ok(
        opened.top >= under.y + under.height && opened.top <= under.y + under.height + 40,
        `${width} px: opens at ${opened.top}, the buttons end at ${under.y + under.height}`,
      );
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
});
