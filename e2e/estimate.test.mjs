// User story: "I type my traffic and see the estimate and the chart change,
// without the page talking to anyone but its own server."
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  TRAFFIC_LABEL,
  canvasPixels,
  foreignRequests,
  openApp,
  start,
  waitFor,
} from './browser.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

test('changing the traffic changes the estimate table and the chart', async () => {
  const { page, context, requests, problems } = await openApp(env);
  try {
    await assert.doesNotReject(page.getByRole('heading', { name: 'Stackwise', level: 1 }).waitFor());
    const table = page.getByRole('table', { name: /^Estimate per stack/ });
    assert.equal(await table.locator('tbody tr').count(), 5);

    const field = page.getByLabel(TRAFFIC_LABEL, { exact: true });
    const tableBefore = await table.innerText();
    const pixelsBefore = await canvasPixels(page);
    const first = await field.inputValue();

    const next = first === '50000' ? '5000' : '50000';
    await field.fill(next);
    await waitFor(async () => (await table.innerText()) !== tableBefore, 'the table to change');
    await waitFor(async () => (await canvasPixels(page)) !== pixelsBefore, 'the chart to redraw');
    assert.equal(await field.inputValue(), next);
    assert.equal(await field.getAttribute('aria-invalid'), 'false');

    // The slider follows the typed value.
    const slider = page.getByRole('slider', { name: `${TRAFFIC_LABEL} (slider)` });
    assert.match((await slider.getAttribute('aria-valuetext')) ?? '', /^50,?000|^5,?000/);

    assert.deepEqual(foreignRequests(requests, env.origin), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an invalid value is explained and the estimate keeps the last valid one', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    const table = page.getByRole('table', { name: /^Estimate per stack/ });
    const field = page.getByLabel(TRAFFIC_LABEL, { exact: true });
    const tableBefore = await table.innerText();

    await field.fill('-3');
    const alert = page.locator(`#${await field.getAttribute('id')}-error`);
    await waitFor(async () => (await alert.innerText()).includes(TRAFFIC_LABEL), 'the error');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await table.innerText(), tableBefore);
    assert.doesNotMatch(await page.locator('body').textContent(), /NaN|Infinity/);

    await field.fill('50000');
    await waitFor(async () => (await alert.innerText()).trim() === '', 'the error to clear');
    await waitFor(async () => (await table.innerText()) !== tableBefore, 'the table to change');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('every request stays on the page origin and nothing is logged', async () => {
  const { page, context, requests, problems } = await openApp(env);
  try {
    // Let late requests (icon, preloads) happen before checking.
    await page.waitForLoadState('networkidle');
    assert.ok(requests.some((url) => url.endsWith('.wasm')), 'the wasm module was requested');
    assert.ok(
      requests.some((url) => /\/favicon-32-[0-9a-f]+\.png$/.test(url)),
      'the favicon is the bundled PNG, not /favicon.ico from elsewhere',
    );
    assert.deepEqual(foreignRequests(requests, env.origin), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
