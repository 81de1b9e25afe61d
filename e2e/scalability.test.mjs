// User story: "I ran my service at several worker counts; I want its own
// scalability, fitted, to size my instances, and to see whether the model
// predicts the latency I measured."
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { estimateTable, openApp, seenText, start, waitFor } from './browser.mjs';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'fixtures', 'loadtest');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** The rows of the fit table captioned `caption`, as { what: value }, read
 * at once as a reader sees them (scrolled into view). */
async function fitRows(page, caption) {
  const table = page.getByRole('table', { name: caption });
  await table.waitFor();
  await seenText(table);
  return table.evaluate((t) =>
    Object.fromEntries(
      [...t.rows].map((row) => [
        row.querySelector('th')?.innerText.trim(),
        row.querySelector('td')?.innerText.trim(),
      ]),
    ),
  );
}

/** True once the scalability chart's canvas has something drawn on it. */
function chartIsDrawn(page) {
  return page.locator('#chart-scalability canvas').evaluate((canvas) => {
    if (canvas.width === 0 || canvas.height === 0) return false;
    const blank = document.createElement('canvas');
    blank.width = canvas.width;
    blank.height = canvas.height;
    return canvas.toDataURL() !== blank.toDataURL();
  });
}

test('a CSV of 7 runs over users is fitted as R fits it, drawn, and sets no figure', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    const before = await estimateTable(page).innerText();
    // R's usl data set specsdm91, as write.csv writes it.
    await page.getByLabel('Load-test result file').setInputFiles(join(FIXTURES, 'usl-specsdm91.csv'));
    const panel = page.locator('#measurements');
    await waitFor(async () => /7 rows at 7 different loads/.test(await seenText(panel)), 'the CSV to be read');
    await page.getByLabel('Framework', { exact: true }).selectOption('fastapi');
    await page.getByLabel('What the load column counts').selectOption('users');
    await page.getByRole('button', { name: 'Use these runs' }).click();

    // summary(usl(throughput ~ load, specsdm91)) in R: alpha 2.773e-02
    // (std. error 9.122e-03), beta 1.044e-04, gamma 90.00, peak 1884 at 96.52.
    const rows = await fitRows(page, /FastAPI, json \(usl-specsdm91\.csv\): 7 runs at 1 to 216 users/);
    assert.match(rows['Contention σ'], /^0\.0277 \(95% interval 0\.00241 to 0\.0531\)$/);
    assert.match(rows['Coherency κ'], /^0\.000104 \(95% interval /);
    assert.match(rows['Throughput of one unit γ'], /^90 req\/s \(95% interval 50\.5 to 129 req\/s\)$/);
    assert.equal(rows['Peak N* = sqrt((1 − σ) / κ)'], '96.5 users, 1,884 req/s');
    assert.equal(rows['R²'], '0.99');
    assert.match(await seenText(panel), /Shown, not used: its load counts concurrent users/);

    // The chart: drawn, with the fit in its read-out and table.
    await waitFor(() => chartIsDrawn(page), 'the scalability chart to be drawn');
    const card = page.locator('#chart-scalability');
    assert.match(await card.locator('canvas').getAttribute('aria-label'), /peaks at 96\.5 users, 1,884 req\/s/);
    assert.match(await seenText(card.locator('.chart-readout')), /At 216 users/);
    await card.getByRole('button', { name: 'Show the numbers' }).click();
    const numbers = await seenText(card.getByRole('table'));
    assert.match(numbers, /Peak, 96\.5/);
    assert.match(numbers, /1,702 req\/s/);
    assert.match(await seenText(card.locator('.chart-notes')), /peaks at N\* = sqrt\(\(1 − σ\) \/ κ\) = 96\.5 users: 1,884 req\/s/);

    // Users set no figure: the published figures stay, and so the answer.
    assert.ok(await page.getByRole('radio', { name: 'Published benchmarks' }).isChecked());
    assert.equal(await estimateTable(page).innerText(), before);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a file of one run says "1 run now sets" the figures', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    const csv = 'load,throughput\n4,12000\n';
    await page.getByLabel('Load-test result file').setInputFiles({ name: 'one.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByLabel('Framework', { exact: true }).selectOption('fastify');
    await page.getByLabel('What the load column counts').selectOption('workers');
    await page.getByRole('button', { name: 'Use these runs' }).click();
    const status = page.locator('#measurements [role=status]');
    await waitFor(async () => /now set/.test(await status.textContent()), 'the run');
    assert.match(await status.textContent(), /^one\.csv: 1 run now sets the figures of "Your measurements"\./);
    // The same run over concurrent users sets nothing, and says so of one.
    await page.getByLabel('Load-test result file').setInputFiles({ name: 'users.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByLabel('Framework', { exact: true }).selectOption('fastify');
    await page.getByLabel('What the load column counts').selectOption('users');
    await page.getByRole('button', { name: 'Use these runs' }).click();
    await waitFor(async () => /^users\.csv/.test(await status.textContent()), 'the second file');
    assert.equal(
      await status.textContent(),
      'users.csv: 1 run over concurrent users; its fit is shown below and sets no figure.',
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("runs at 11 worker counts replace a framework's shipped scalability and CPU figures", async () => {
  const { page, context, problems } = await openApp(env);
  try {
    const before = await estimateTable(page).innerText();
    // R's usl data set raytracer (1 to 64 processors), as FastAPI's JSON
    // endpoint at that many workers.
    await page.getByLabel('Load-test result file').setInputFiles(join(FIXTURES, 'usl-raytracer.csv'));
    await page.getByLabel('Framework', { exact: true }).selectOption('fastapi');
    await page.getByLabel('What the load column counts').selectOption('workers');
    await page.getByRole('button', { name: 'Use these runs' }).click();
    const status = page.locator('#measurements [role=status]');
    await waitFor(async () => /11 runs now set the figures/.test(await status.textContent()), 'the runs');

    // coef(usl(throughput ~ processors, raytracer)) in R: alpha 0.0578,
    // beta 0, gamma 21.8488.
    const rows = await fitRows(page, /FastAPI, json \(usl-raytracer\.csv\): 11 runs at 1 to 64 workers/);
    assert.match(rows['Contention σ'], /^0\.0578 /);
    assert.match(rows['Throughput of one unit γ'], /^21\.8 req\/s/);
    assert.match(rows['Peak N* = sqrt((1 − σ) / κ)'], /^none: κ is 0/);
    const verdict = await seenText(page.locator('#measurements'));
    assert.match(verdict, /Sets FastAPI's CPU per JSON\/CRUD request in "Your measurements": 1 \/ γ = 45,769 µs \(90% range 38,560 to 56,294 µs\)/);
    assert.match(verdict, /its own USL coefficients: α = σ, 90% range 0\.033 to 0\.0825/);
    await waitFor(() => chartIsDrawn(page), 'the scalability chart to be drawn');

    // The page now uses them: the set, FastAPI's own rows among the
    // figures, with the fit's 90% range, and a different answer.
    assert.ok(await page.getByRole('radio', { name: /Your measurements/ }).isChecked());
    await waitFor(async () => (await estimateTable(page).innerText()) !== before, 'the table to change');
    const alpha = page.getByLabel('FastAPI: Contention between processes (USL α), typical');
    assert.equal(await alpha.inputValue(), '0.057771');
    assert.equal(await page.getByLabel('FastAPI: Contention between processes (USL α), low').inputValue(), '0.033045');
    assert.equal(await page.getByLabel('Express: Contention between processes (USL α), typical').count(), 0);
    // The link carries them, so it reopens with the same answer.
    const link = new URL(page.url());
    assert.match(link.search, /a\.fastapi\.usl_alpha=/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test("a bench-kit file's runs are checked against the model's p99", async () => {
  const { page, context } = await openApp(env);
  try {
    await page.getByLabel('Load-test result file').setInputFiles(join(FIXTURES, 'stackwise-measurements-quick.json'));
    const check = page.getByRole('table', { name: /p99 latency measured and the model's/ });
    await check.waitFor();
    const text = await seenText(check);
    // Nine runs with a p99 (json, post and io of three frameworks).
    assert.equal(await check.locator('tbody tr').count(), 9);
    assert.match(text, /FastAPI json, 1 worker, 64 connections, 4,759 req\/s/);
    assert.match(text, /58\.4 ms/);
    assert.match(text, /\d+(\.\d+)?x/);
    assert.doesNotMatch(text, /NaN|inf/);
    assert.match(
      await seenText(page.locator('#measurements')),
      /A large gap means the run was not at steady state, the load generator shared the CPU with the server, or the model's service-time figures do not fit this endpoint\./,
    );
    // Two runs of one framework and endpoint are no fit.
    assert.equal(await page.locator('#chart-scalability').count(), 0);
  } finally {
    await context.close();
  }
});

test('a CSV with bad rows is refused, each named by line and column, and nothing changes', async () => {
  const { page, context } = await openApp(env);
  try {
    const before = await estimateTable(page).innerText();
    await page.getByLabel('Load-test result file').setInputFiles(join(FIXTURES, 'corrupt', 'usl-bad-rows.csv'));
    const status = page.locator('#measurements [role=status]');
    await waitFor(async () => /Nothing was changed/.test(await status.textContent()), 'the refusal');
    const text = await status.textContent();
    assert.match(text, /line 3, column 2 \(throughput\): -78 is outside/);
    assert.match(text, /line 4, column 2 \(throughput\): "abc" is not a number/);
    assert.equal(await page.getByRole('button', { name: 'Use these runs' }).count(), 0);
    assert.equal(await estimateTable(page).innerText(), before);
  } finally {
    await context.close();
  }
});
