// User story: "I embed the estimate in our design doc with the snippet the
// page gives me; the frame shows the answer without the inputs, and tells
// my page its height so it fits." The parent page is served from a second
// server, so it is another origin, as a wiki would be.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TRAFFIC_LABEL, foreignRequests, openApp, start, trackWorkers, waitFor, workersFor } from './browser.mjs';
import { serve } from './serve.mjs';

/** `type` of the height message (README, "Sharing and embedding"). */
const HEIGHT = 'stackwise:height';

let env;
let parent;
let parentDir;
before(async () => {
  env = await start();
  parentDir = mkdtempSync(join(tmpdir(), 'stackwise-parent-'));
  // Records every message from the frame; listens before the frame loads.
  writeFileSync(
    join(parentDir, 'index.html'),
    `<!doctype html><meta charset="utf-8"><title>Design doc</title><link rel="icon" href="data:,">
<h1>Design doc</h1>
<script>
  window.messages = [];
  addEventListener('message', (event) => {
    const frame = document.querySelector('iframe');
    if (frame && event.source === frame.contentWindow) {
      window.messages.push({ origin: event.origin, data: event.data });
      if (event.data && event.data.type === '${HEIGHT}' && Number.isFinite(event.data.height)) {
        frame.style.height = event.data.height + 'px';
      }
    }
  });
</script>
<div id="slot"></div>`,
  );
  parent = await serve(parentDir);
});
after(async () => {
  await parent?.close();
  await env?.close();
  if (parentDir) rmSync(parentDir, { recursive: true, force: true });
});

/** Height messages the parent page has received so far. */
function heights(page) {
  return page.evaluate((type) => window.messages.filter((m) => m.data?.type === type), HEIGHT);
}

/** Opens the parent page with `html` (an iframe) in its slot. */
async function openParent(html, viewport = { width: 900, height: 800 }) {
  const context = await env.browser.newContext({ viewport });
  // In every frame, the embedded page's too.
  await context.addInitScript(trackWorkers);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  await page.goto(`${parent.origin}/`);
  await page.evaluate((markup) => {
    document.getElementById('slot').innerHTML = markup;
  }, html);
  return { context, page, problems };
}

test('the snippet from the Embed button embeds this scenario', async () => {
  const { page, context, problems } = await openApp(env);
  let snippet;
  try {
    await page.getByLabel(TRAFFIC_LABEL, { exact: true }).fill('2500');
    await waitFor(() => /[?&]rps=2500(&|$)/.test(page.url()), 'the link');
    const button = page.getByRole('button', { name: 'Embed' });
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    snippet = await page.getByLabel('Embed code for this scenario').inputValue();
    assert.match(snippet, /^<iframe src="[^"]+" title="[^"]+" width="100%" height="\d+" loading="lazy"[^>]*><\/iframe>$/);
    const src = snippet.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&');
    const url = new URL(src);
    assert.equal(url.origin, env.origin);
    assert.equal(url.searchParams.get('v'), '1');
    assert.equal(url.searchParams.get('rps'), '2500');
    assert.equal(url.searchParams.get('embed'), '1');
    // While the panel is open its code follows the inputs; closed and
    // opened again it shows the scenario as it is then.
    const code = page.getByLabel('Embed code for this scenario');
    const rpsInCode = async () =>
      new URL((await code.inputValue()).match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&')).searchParams.get('rps');
    await page.getByLabel(TRAFFIC_LABEL, { exact: true }).fill('3100');
    await waitFor(async () => (await rpsInCode()) === '3100', 'the code to follow the traffic');
    await button.click();
    await page.getByLabel(TRAFFIC_LABEL, { exact: true }).fill('3200');
    await waitFor(() => /[?&]rps=3200(&|$)/.test(page.url()), 'the link');
    await button.click();
    assert.equal(await rpsInCode(), '3200');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }

  const { page: doc, context: docContext, problems: docProblems } = await openParent(snippet);
  try {
    const frame = doc.frameLocator('iframe');
    await frame.getByRole('table', { name: /^Estimate per stack/ }).locator('tbody tr').first().waitFor();
    // The compact layout: no page header, no inputs.
    assert.equal(await frame.getByRole('heading', { name: 'Stackwise', level: 1 }).count(), 0);
    assert.equal(await frame.getByLabel(TRAFFIC_LABEL, { exact: true }).count(), 0);
    const open = frame.getByRole('link', { name: /Open in Stackwise/ });
    const href = new URL(await open.getAttribute('href'), `${env.origin}/`);
    assert.equal(href.searchParams.get('rps'), '2500');
    assert.equal(href.searchParams.get('embed'), null, 'the full page, not the frame');
    await waitFor(async () => (await heights(doc)).length > 0, 'a height message');
    assert.deepEqual(docProblems, []);
  } finally {
    await docContext.close();
  }
});

test('the frame posts its height, and again when it changes', async () => {
  const { page, context, problems } = await openParent(
    `<iframe src="${env.origin}/?v=1&rps=2000&embed=1" title="Stackwise estimate" width="800" height="300" style="border:0"></iframe>`,
  );
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  try {
    const frame = page.frameLocator('iframe');
    await frame.getByRole('table', { name: /^Estimate per stack/ }).locator('tbody tr').first().waitFor();
    await waitFor(async () => (await heights(page)).length > 0, 'a height message');
    // How sure the answer is, computed in a worker the frame started.
    await frame
      .locator('caption', { hasText: /^Share of 10,000 draws in which each stack is among the cheapest/ })
      .waitFor({ state: 'attached', timeout: 30_000 });
    const embedded = page.frames().find((f) => f.url().startsWith(env.origin));
    const started = await embedded.evaluate(() => window.workersStarted);
    const cores = await embedded.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(started.length, workersFor(cores), started.join(', '));
    for (const url of started) assert.match(url, /(^|\/)worker_loader\.js$/);
    let messages = await heights(page);
    for (const m of messages) {
      assert.equal(m.origin, env.origin);
      assert.deepEqual(Object.keys(m.data).sort(), ['height', 'type'], 'only the height, nothing else');
      assert.ok(Number.isInteger(m.data.height) && m.data.height > 100, JSON.stringify(m.data));
    }
    // The frame's document height, as the frame measures it.
    const measured = await frame
      .locator('html')
      .evaluate((html) => Math.ceil(html.getBoundingClientRect().height));
    await waitFor(async () => (await heights(page)).at(-1).data.height === measured, 'the latest height');

    // Narrower frame: the content reflows taller, and the parent is told.
    const before = (await heights(page)).at(-1).data.height;
    await page.locator('iframe').evaluate((el) => {
      el.width = '360';
    });
    await waitFor(async () => (await heights(page)).at(-1).data.height > before, 'a taller height');
    messages = await heights(page);
    const last = messages.at(-1).data.height;
    // No message repeats the height before it.
    for (let i = 1; i < messages.length; i += 1) {
      assert.notEqual(messages[i].data.height, messages[i - 1].data.height);
    }
    // The parent resized the frame to fit: nothing to scroll inside it.
    await waitFor(
      () => page.locator('iframe').evaluate((el, h) => Math.round(el.getBoundingClientRect().height) === h, last),
      'the parent to resize the frame',
    );
    // An embedded frame registers no service worker.
    const registrations = await page
      .frames()
      .find((f) => f.url().startsWith(env.origin))
      .evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length);
    assert.equal(registrations, 0);
    const outside = foreignRequests(requests, env.origin).filter((url) => !url.startsWith(`${parent.origin}/`));
    assert.deepEqual(outside, []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('outside a frame, embed mode posts nothing and still renders', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    await context.addInitScript(() => {
      window.posted = 0;
      const post = Window.prototype.postMessage;
      Window.prototype.postMessage = function (...args) {
        window.posted += 1;
        return post.apply(this, args);
      };
    });
    await page.goto(`${env.origin}/?v=1&embed=1`);
    await page.getByRole('table', { name: /^Estimate per stack/ }).locator('tbody tr').first().waitFor();
    await page.getByRole('link', { name: /Open in Stackwise/ }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Stackwise', level: 1 }).count(), 0);
    assert.equal(await page.evaluate(() => window.posted), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
