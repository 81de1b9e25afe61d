// User story: "I open the page, set my team, workload and traffic by their
// labels, and read an answer that explains itself and never shows nonsense."
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DONE_IN_WORKER, estimateTable, openApp, openMoreInputs, start, uncertaintyStatus, waitFor } from './browser.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** Every numeric input, by the label a user reads. */
const LABELS = [
  'Team size',
  'Share fluent in Python',
  'Share fluent in JavaScript/TypeScript',
  'Loaded cost per developer-year',
  'Project timeline',
  'JSON / CRUD share',
  'I/O-bound share',
  'CPU-bound share',
  'ML inference share',
  'I/O wait per I/O-bound request',
  'CPU time per CPU-bound request',
  'Model memory footprint',
  'Inference time per request',
  'Average requests per second',
  'Peak-to-average ratio',
  'Traffic growth per year',
  'p99 latency target',
  'Minimum replicas',
  'vCPUs per instance',
  'Memory per instance',
  'Price per vCPU-hour',
  'Price per GiB-hour',
  'GPU instance price per hour',
  'GPU memory',
  'Target utilisation ceiling',
  'Third-party SaaS integrations',
  'Horizon',
];
const STACKS = ['FastAPI', 'Express', 'Fastify', 'NestJS', 'Hybrid'];

const table = estimateTable;

/** Instances at peak per stack, read from the results table. */
async function instances(page) {
  const rows = table(page).locator('tbody tr');
  const out = {};
  for (let i = 0; i < (await rows.count()); i += 1) {
    const cells = rows.nth(i).locator('th, td');
    const name = (await cells.nth(0).innerText()).split('\n').pop().replace(/\s*\(.*\)$/, '').trim();
    out[name] = Number((await cells.nth(2).innerText()).replace(/[^0-9]/g, ''));
  }
  return out;
}

async function setField(page, label, value) {
  await openMoreInputs(page);
  const field = page.getByLabel(label, { exact: true });
  await field.fill(String(value));
  return field;
}

test('every input has a visible label, a unit and help', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    for (const label of LABELS) {
      const field = page.getByLabel(label, { exact: true });
      assert.equal(await field.count(), 1, `one field labelled "${label}"`);
      assert.ok((await field.getAttribute('aria-describedby'))?.includes('-help'), `${label} has help`);
    }
    for (const label of ['Currency', 'Stack in production today', 'Inference runs on', 'Instance type', 'Node.js version']) {
      assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, label);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('doubling traffic never lowers any stack instances', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    await setField(page, 'Average requests per second', 20000);
    await waitFor(async () => (await instances(page)).Fastify > 2, 'traffic to bind');
    const before = await instances(page);
    await setField(page, 'Average requests per second', 40000);
    await waitFor(async () => JSON.stringify(await instances(page)) !== JSON.stringify(before), 'the table to change');
    const after = await instances(page);
    for (const stack of STACKS) {
      assert.ok(after[stack] >= before[stack], `${stack}: ${before[stack]} -> ${after[stack]}`);
    }
    assert.ok(after.FastAPI > before.FastAPI, 'FastAPI needs more instances');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('an out-of-range value gets a message by the field naming field and range', async () => {
  const { page, context } = await openApp(env);
  try {
    const before = await table(page).innerText();
    const field = await setField(page, 'Peak-to-average ratio', 0.2);
    const error = page.locator(`#${await field.getAttribute('id')}-error`);
    await waitFor(async () => (await error.innerText()).length > 0, 'the message');
    assert.equal(
      await error.innerText(),
      'Peak-to-average ratio: 0.2 is outside the allowed range, 1 to 50 x.',
    );
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await table(page).innerText(), before, 'results keep the last valid value');
  } finally {
    await context.close();
  }
});

test('a decimal comma typed in a field is read as a decimal and said', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    const field = await setField(page, 'Peak-to-average ratio', '1,5');
    const help = page.locator(`#${await field.getAttribute('id')}-help`);
    await waitFor(async () => /Read as 1\.5\./.test(await help.innerText()), 'the note of what was read');
    await waitFor(() => /[?&]peak=1\.5(&|$)/.test(page.url()), 'the link to hold 1.5, not 15');
    assert.equal(await field.getAttribute('aria-invalid'), 'false');
    await setField(page, 'Peak-to-average ratio', '0,5');
    const error = page.locator(`#${await field.getAttribute('id')}-error`);
    await waitFor(async () => /0\.5 is outside the allowed range/.test(await error.innerText()), 'the range message');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the four workload shares stay at 100% as one moves', async () => {
  const { page, context } = await openApp(env);
  try {
    await setField(page, 'JSON / CRUD share', 90);
    const shares = ['I/O-bound share', 'CPU-bound share', 'ML inference share'];
    await waitFor(async () => {
      let sum = 0;
      for (const label of shares) sum += Number(await page.getByLabel(label, { exact: true }).inputValue());
      return Math.abs(sum - 10) < 0.05;
    }, 'the other shares to sum to 10');
  } finally {
    await context.close();
  }
});

test('presets fill the inputs and never produce NaN or blanks', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    for (const preset of ['ML inference service', 'Realtime I/O gateway', 'Data / reporting API', 'CRUD API']) {
      const before = await table(page).innerText();
      await page.getByRole('button', { name: preset, exact: true }).click();
      await waitFor(async () => (await table(page).innerText()) !== before, `${preset} to change the table`);
      const text = await page.locator('body').innerText();
      assert.doesNotMatch(text, /NaN|Infinity|undefined/, preset);
    }
    await page.getByRole('button', { name: 'ML inference service', exact: true }).click();
    await waitFor(async () => (await page.getByLabel('ML inference share', { exact: true }).inputValue()) === '40', 'ML share');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the answer names a stack, what it turns on, and the 80/20 check', async () => {
  const { page, context } = await openApp(env);
  try {
    const answer = page.getByRole('region', { name: 'The answer', exact: true });
    // Done, not under way: on a slow machine the answer first says how many
    // draws are done so far.
    await waitFor(async () => DONE_IN_WORKER.test(await uncertaintyStatus(page).textContent()), 'the Monte Carlo to finish', 30_000);
    const text = await answer.innerText();
    assert.ok(STACKS.some((s) => text.includes(s)), text);
    assert.match(text, /It turns on:/);
    assert.match(text, /80\/20/);
  } finally {
    await context.close();
  }
});

test('the table marks as cheapest every stack the answer names', async () => {
  const { page, context } = await openApp(env);
  try {
    // At 20,000 req/s Fastify and Hybrid cost the same ($72,308 each).
    const field = page.getByLabel('Average requests per second', { exact: true });
    await field.fill('20000');
    const answer = page.locator('#answer .headline');
    await waitFor(async () => /^Fastify and Hybrid cost the same/.test(await answer.innerText()), 'the tie');
    const marked = await page.locator('tr.cheapest th[scope="row"] .stack-name').allInnerTexts();
    assert.deepEqual(marked.map((s) => s.trim()), ['Fastify', 'Hybrid']);
  } finally {
    await context.close();
  }
});

test('the answer is the cheapest stack that meets the p99 target, and names those that cost less but cannot', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    // 1,200 inferences/s of 24 ms within 25 ms: FastAPI meets it on its
    // own GPUs; the Node.js stacks call a sidecar first and cannot, at any
    // count. They were the answer, for less, "no stack meeting it".
    await page.goto(`${env.origin}/?v=1&device=gpu&ml=40&rps=1000&infms=24&p99=25`);
    const answer = page.locator('#answer .headline');
    await waitFor(async () => /p99 target/.test(await answer.innerText()), 'the GPU scenario');
    const text = await answer.innerText();
    assert.match(text, /^FastAPI is the cheapest over 3 years at \$57,538,771\. Express, Fastify, NestJS and Hybrid cost less \(\$509,311 each\) but cannot meet the p99 target as set: see the notes\./);
    assert.doesNotMatch(text, /No stack meets/);
    const marked = await page.locator('tr.cheapest th[scope="row"] .stack-name').allInnerTexts();
    assert.deepEqual(marked.map((x) => x.trim()), ['FastAPI']);
    // The best total (★) is Express's; the answer's row is shaded apart.
    const shade = (i) => table(page).locator('tbody tr').nth(i).locator('td').last()
      .evaluate((td) => getComputedStyle(td).backgroundColor);
    assert.notEqual(await shade(0), await shade(1));
    assert.match(await page.locator('#estimate-note').innerText(), /the answer's rows are shaded/);
    assert.match(await page.locator('.summary-bar .summary-line').innerText(), /^FastAPI: \$57,538,771 over 3 years; meets the p99 target$/);
    // What it turns on: past 25 ms of inference FastAPI cannot meet the
    // target either, and the stacks cheapest there are only planned for
    // less; the list says so.
    await waitFor(async () => DONE_IN_WORKER.test(await uncertaintyStatus(page).textContent()), 'the run to finish', 30_000);
    const drivers = page.locator('#answer ol.drivers');
    await waitFor(async () => /Inference time/.test(await drivers.innerText()), 'the drivers');
    assert.match(
      await drivers.innerText(),
      /Inference time per request above 25\.1 ms makes Express the cheapest, where no stack meets the p99 target\./,
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a p99 target that multiplies the GPUs says so in the answer and in the stack\'s notes, with what would do without it', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    // 1,200 inferences/s of 14 ms on GPUs within 25 ms: 396 GPUs at 2% of
    // their capacity, where 12 carry the traffic without the target.
    await page.goto(`${env.origin}/?v=1&device=gpu&ml=40&rps=1000&infms=14&p99=25`);
    const answer = page.locator('#answer .headline');
    await waitFor(async () => /^FastAPI is the cheapest/.test(await answer.innerText()), 'the GPU scenario');
    assert.match(await answer.innerText(), /The p99 target takes FastAPI from 14 instances to 398: see its notes\./);
    await page.locator('summary', { hasText: 'FastAPI:' }).first().click();
    const notes = page.locator('.stack-details[open] ul.notes');
    assert.equal(
      (await notes.innerText()).trim(),
      'FastAPI (GPU inference): to hold the 25 ms p99 target, each GPU is planned at 2% of its capacity: 396 GPUs. Without the target, 12 would carry the traffic, at a p99 of 169 ms.',
    );
    // A target the GPUs meet at their ceiling: nothing to say.
    await setField(page, 'p99 latency target', 2000);
    await waitFor(async () => !/p99 target takes/.test(await answer.innerText()), 'the loose target');
    assert.equal(await page.locator('.stack-details[open] ul.notes').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a stack of several services says which service set its count, and which figures are its API instance', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    // 3,000 req/s, 30% of it inference: Express's API needs only its two
    // minimum replicas; its ML sidecar needs some 160 instances.
    await setField(page, 'ML inference share', 30);
    await setField(page, 'Average requests per second', 3000);
    await waitFor(async () => (await instances(page)).Express > 100, 'the sidecar to need many instances');
    const headers = await table(page).locator('thead th').allInnerTexts();
    const flat = headers.map((h) => h.replace(/\s+/g, ' ').trim());
    assert.ok(flat.includes('Throughput per API instance (req/s)'), flat.join(' | '));
    assert.ok(flat.includes('Memory per API instance'), flat.join(' | '));
    assert.match(await page.locator('#estimate-note').innerText(), /of one API instance at the load it is planned for; instances and money count every service/);
    const sizedBy = async (stack) =>
      (await table(page).locator('tbody tr').filter({ has: page.locator('th .stack-name', { hasText: stack }) })
        .locator('td.sized').innerText()).replace(/\s+/g, ' ').trim();
    // Its 166 instances are the sidecar's doing, not the API's replicas.
    assert.equal(await sizedBy('Express'), 'ML sidecar: scale-out lag');
    // FastAPI runs inference in its API processes: one service, its reason alone.
    assert.equal(await sizedBy('FastAPI'), 'scale-out lag');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('assumptions: switch sets, edit a figure, see it marked, reset it', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    await setField(page, 'Average requests per second', 20000);
    await waitFor(async () => (await instances(page)).FastAPI > 2, 'traffic to bind');
    const published = await table(page).innerText();
    await page.getByRole('radio', { name: 'The article' }).check();
    await waitFor(async () => (await table(page).innerText()) !== published, 'the article set to change the table');
    await page.getByRole('radio', { name: 'Published benchmarks' }).check();
    await waitFor(async () => (await table(page).innerText()) === published, 'back to published');

    await page.locator('details.figure-group > summary', { hasText: /^Fastify$/ }).click();
    const typical = page.getByLabel('Fastify: CPU per JSON/CRUD request, typical', { exact: true });
    await typical.fill('29');
    await typical.press('Tab');
    await waitFor(async () => (await table(page).innerText()) !== published, 'the edit to change the table');
    const row = page.locator('tr', { has: typical });
    assert.match(await row.innerText(), /edited/);

    await typical.fill('9999');
    await typical.press('Tab');
    await waitFor(async () => /does not hold/.test(await row.innerText()), 'the range error');

    await row.getByRole('button', { name: 'Reset' }).click();
    await waitFor(async () => (await table(page).innerText()) === published, 'the reset');
    assert.doesNotMatch(await row.innerText(), /edited/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the theme toggle switches to dark and back', async () => {
  const { page, context } = await openApp(env, { colorScheme: 'light' });
  try {
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await bg();
    await page.getByLabel('Theme', { exact: true }).selectOption('dark');
    await waitFor(async () => (await bg()) !== light, 'dark colours');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.getByLabel('Theme', { exact: true }).selectOption('system');
    await waitFor(async () => (await bg()) === light, 'light again');
  } finally {
    await context.close();
  }
});
