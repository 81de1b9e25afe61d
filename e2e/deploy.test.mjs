// User story: "We are choosing where to run it, not only what: I switch the
// deployment target, see the table and the link follow, and copy the
// Kubernetes manifests for the stack I pick."
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { estimateTable, foreignRequests, openApp, openMoreInputs, seenText, start, waitFor } from './browser.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const TARGET = 'Deployment target';

test('switching the target changes the table and the link, and an old link opens on instances', async () => {
  const { page, context, requests, problems } = await openApp(env);
  try {
    const table = estimateTable(page);
    const target = page.getByLabel(TARGET, { exact: true });
    assert.equal(await target.inputValue(), 'instances');
    const onInstances = await table.innerText();

    await target.selectOption('functions');
    await waitFor(async () => (await table.innerText()) !== onInstances, 'the table to change');
    await waitFor(() => /[?&]deploy=functions(&|$)/.test(page.url()), 'the link to carry the target');
    const onFunctions = await table.innerText();
    assert.match(onFunctions, /one request each/);
    assert.match(await page.locator('#estimate-note').innerText(), /On serverless functions \(Lambda-style\): /);

    await target.selectOption('run');
    await waitFor(async () => (await table.innerText()) !== onFunctions, 'the table to change again');
    await waitFor(() => /[?&]deploy=run(&|$)/.test(page.url()), 'the link to follow');

    // The link reopens the same target and numbers.
    const shown = await table.innerText();
    const again = await env.browser.newContext();
    try {
      const reopened = await again.newPage();
      await reopened.goto(page.url());
      await estimateTable(reopened).locator('tbody tr').first().waitFor();
      assert.equal(await reopened.getByLabel(TARGET, { exact: true }).inputValue(), 'run');
      await waitFor(async () => (await estimateTable(reopened).innerText()) === shown, 'the same table');

      // A link written before targets existed opens on instances.
      await reopened.goto(`${env.origin}/?v=1&rps=5000`);
      await estimateTable(reopened).locator('tbody tr').first().waitFor();
      assert.equal(await reopened.getByLabel(TARGET, { exact: true }).inputValue(), 'instances');
    } finally {
      await again.close();
    }
    assert.doesNotMatch(await page.locator('body').textContent(), /NaN|Infinity/);
    assert.deepEqual(foreignRequests(requests, env.origin), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('on serverless containers the minimum replicas are kept warm and billed idle, and 0 scales to zero', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    // 5 req/s on Cloud Run, Fastify on 2 vCPUs and 4 GiB, 2 kept warm. A
    // request is in an instance 5.1 ms, so one is busy 1 - e^(-5 x 0.0051)
    // = 2.5% of the time ($58 per million instance-seconds: $3.83 a month)
    // and the kept ones stand idle 1.97 on average, at 2 x $2.50 + 4 x
    // $2.50 per million ($39.42 a month each): $77.85. With $5.26 of fees,
    // $86.93 a month. Scaled to zero, the idle $77.85 goes and one instance
    // serves: $9.08.
    await page.goto(`${env.origin}/?v=1&rps=5&deploy=run`);
    await estimateTable(page).locator('tbody tr').first().waitFor();
    const math = page.locator('#math');
    await math.getByLabel('Show the numbers for').selectOption('fastify');
    const where = math.locator('li').filter({ has: page.getByRole('heading', { name: 'Where it runs' }) }).locator('.plugged');
    const kept = /Instances kept warm \(minimum replicas\): 2; 1\.97 idle on average, billed at the idle rate/;
    await waitFor(async () => kept.test(await seenText(where)), 'the kept instances in "Where it runs"');
    assert.match(await seenText(where), /On serverless containers \(Cloud Run-style\), the API: .* \$86\.93 a month for every service\./);
    assert.match(
      await page.locator('#estimate-note').innerText(),
      /On serverless containers \(Cloud Run-style\): money follows the average traffic: instance-seconds with a request in flight, the minimum replicas kept warm at a lower rate while idle, and a fee per request\./,
    );
    const fastify = estimateTable(page).locator('tbody tr').filter({ hasText: 'Fastify' }).first();
    const instances = async () => Number((await fastify.locator('td').nth(1).innerText()).replace(/[^0-9]/g, ''));
    assert.equal(await instances(), 2);

    await openMoreInputs(page);
    await page.getByLabel('Minimum replicas', { exact: true }).fill('0');
    await waitFor(async () => /none: scales to zero/.test(await seenText(where)), 'scaled to zero');
    assert.match(await seenText(where), /\$9\.08 a month for every service\./);
    await waitFor(() => /[?&]replicas=0(&|$)/.test(page.url()), 'the link to carry 0 replicas');
    await waitFor(async () => (await instances()) === 1, 'one instance, none kept');
    assert.doesNotMatch(await page.locator('body').textContent(), /NaN|Infinity/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a function that cannot hold the model is ruled out, with the reason', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    await page.goto(`${env.origin}/?v=1&ml=10&modelmib=12000&memgib=64&deploy=functions`);
    await estimateTable(page).locator('tbody tr').first().waitFor();
    await page.getByText(/FastAPI, Express, Fastify, NestJS and Hybrid are ruled out on serverless functions \(Lambda-style\): a function cannot hold the model/).first().waitFor();
    assert.match(await estimateTable(page).innerText(), /ruled out/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('on Kubernetes the manifests are shown, copied and downloaded for the stack picked', async () => {
  const { page, context, problems } = await openApp(env, {
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  try {
    const panel = page.getByRole('region', { name: 'Kubernetes manifests' });
    assert.match(await seenText(panel), /Choose Kubernetes/);
    await page.getByLabel(TARGET, { exact: true }).selectOption('k8s');
    await waitFor(() => /[?&]deploy=k8s(&|$)/.test(page.url()), 'the link to carry the target');
    const yaml = panel.locator('pre.manifest');
    await yaml.waitFor();
    // The first stack the answer names (the table marks every one).
    const cheapest = await page.locator('tr.cheapest th[scope="row"] .stack-name').first().innerText();
    const picker = panel.getByLabel('Stack', { exact: true });
    assert.equal(await picker.evaluate((select) => select.selectedOptions[0].label), cheapest.trim());

    await picker.selectOption('fastapi');
    await waitFor(async () => (await seenText(yaml)).includes('name: fastapi-api'), 'FastAPI manifests');
    const text = await seenText(yaml);
    assert.match(text, /kind: Deployment/);
    assert.match(text, /kind: HorizontalPodAutoscaler/);
    assert.match(text, /averageUtilization: \d+/);
    assert.match(text, /readinessProbe:/);

    await panel.getByRole('button', { name: 'Copy YAML' }).click();
    await panel.getByText('Manifests copied to the clipboard.').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied.trim(), text.trim());

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Download .yaml' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'stackwise-fastapi-k8s.yaml');
    assert.equal(readFileSync(await download.path(), 'utf8').trim(), text.trim());
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
