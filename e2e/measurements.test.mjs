// User story: "I measured my own endpoints; I want those numbers, not
// synthetic benchmarks, to decide the instance counts."
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

const table = estimateTable;

test('a bench-kit measurements file becomes "Your measurements" and moves instances', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    await page.getByLabel('Average requests per second', { exact: true }).fill('20000');
    // At 20,000 req/s the lag's headroom or the CPU ceiling sizes the stacks.
    await waitFor(async () => /scale-out lag|CPU ceiling/.test(await table(page).innerText()), 'traffic to bind');
    const before = await table(page).innerText();
    await page.getByLabel('Load-test result file').setInputFiles(join(FIXTURES, 'stackwise-measurements-quick.json'));
    const status = page.locator('#measurements [role=status]');
    await waitFor(async () => /runs now set the figures/.test(await status.textContent()), 'the import');
    assert.ok(await page.getByRole('radio', { name: /Your measurements/ }).isChecked());
    await waitFor(async () => (await table(page).innerText()) !== before, 'the table to change');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a single wrk report is attributed by the user, then used', async () => {
  const { page, context } = await openApp(env);
  try {
    await page.getByLabel('Average requests per second', { exact: true }).fill('20000');
    const before = await table(page).innerText();
    await page.getByLabel('Load-test result file').setInputFiles(join(FIXTURES, 'wrk-express-json.txt'));
    await page.getByLabel('Framework', { exact: true }).selectOption('express');
    await page.getByLabel('Worker processes (or cores) the server used').fill('1');
    await page.getByRole('button', { name: 'Use this run' }).click();
    await waitFor(async () => /wrk-express-json\.txt now sets/.test(await seenText(page.locator('#measurements'))), 'the run');
    await waitFor(async () => (await table(page).innerText()) !== before, 'the table to change');
    assert.match(await seenText(page.locator('#measurements ul.runs')), /Express, JSON \/ CRUD endpoint/);
  } finally {
    await context.close();
  }
});

test('a broken file is refused with tool and field named, and nothing changes', async () => {
  const { page, context } = await openApp(env);
  try {
    const before = await table(page).innerText();
    await page.getByLabel('Load-test result file').setInputFiles(join(FIXTURES, 'corrupt', 'oha-negative-rps.json'));
    const status = page.locator('#measurements [role=status]');
    await waitFor(async () => /Nothing was changed/.test(await status.textContent()), 'the refusal');
    const text = await status.textContent();
    assert.match(text, /oha/);
    assert.match(text, /requestsPerSec|negative/i);
    assert.equal(await table(page).innerText(), before);
    assert.ok(await page.getByRole('radio', { name: 'Published benchmarks' }).isChecked());
  } finally {
    await context.close();
  }
});
