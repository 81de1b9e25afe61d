// User story: "I want to know how sure the answer is and what it hinges on."
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openApp, start, waitFor } from './browser.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

async function probabilities(page) {
  const t = page.getByRole('table', { name: /how often each stack is cheapest/ });
  await t.waitFor({ timeout: 20_000 });
  const rows = t.locator('tbody tr');
  const out = [];
  for (let i = 0; i < (await rows.count()); i += 1) {
    out.push(Number((await rows.nth(i).locator('td').first().innerText()).replace('%', '')));
  }
  return out;
}

test('probabilities of being cheapest appear, sum to 100% and follow the inputs', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    const first = await probabilities(page);
    assert.equal(first.length, 5);
    const sum = first.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 100) <= 3, `rounded percentages sum to about 100: ${sum}`);

    const drivers = page.getByRole('table', { name: /What the answer turns on/ });
    await drivers.waitFor();
    assert.ok((await drivers.locator('tbody tr').count()) >= 3);

    const before = await page.getByRole('table', { name: /how often each stack is cheapest/ }).innerText();
    await page.getByLabel('Average requests per second', { exact: true }).fill('200000');
    await waitFor(
      async () =>
        (await page.getByRole('table', { name: /how often each stack is cheapest/ }).innerText()) !== before,
      'the draws to rerun',
      20_000,
    );
    const status = page.locator('#uncertainty .progress');
    await waitFor(async () => /the draws in [0-9.]+ ms/.test(await status.innerText()), 'the run to finish', 20_000);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
