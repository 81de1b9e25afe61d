// User stories: "I keep Stackwise as one HTML file and open it from disk on a
// plane", and "the page I visited yesterday opens with no network". Also:
// the page's Content-Security-Policy lets in only what it needs, and it
// never gets in the app's way.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import {
  DIST,
  DONE_IN_WORKER,
  TRAFFIC_LABEL,
  estimateTable,
  openApp,
  start,
  trackWorkers,
  uncertaintyStatus,
  waitFor,
  workersFor,
} from './browser.mjs';

const SINGLE_FILE = join(DIST, 'stackwise.html');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const table = estimateTable;

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

/** Records CSP violations in the page (they also log console errors). */
function recordViolations() {
  window.violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.violations.push(`${e.violatedDirective}: ${e.blockedURI}`);
  });
}

/** The `content` of the page's CSP meta, as directives by name. */
function policyOf(html) {
  const meta = html.match(/<meta\b[^>]*http-equiv=["']?Content-Security-Policy["']?[^>]*>/i);
  assert.ok(meta, 'a Content-Security-Policy <meta>');
  const content = meta[0].match(/content=(?:"([^"]*)"|'([^']*)')/i);
  return Object.fromEntries(
    (content[1] ?? content[2])
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

test('the single HTML file works from disk with the network off', async () => {
  assert.ok(existsSync(SINGLE_FILE), 'dist/stackwise.html is built by scripts/build.sh');
  const html = readFileSync(SINGLE_FILE, 'utf8');
  // One file: nothing it would have to load, no service worker, no
  // manifest; the uncertainty worker is inside it, started from a blob: URL.
  assert.doesNotMatch(html, /<script\b[^>]*\bsrc=/i);
  assert.doesNotMatch(html, /<link\b[^>]*rel=["']?(stylesheet|manifest|modulepreload|preload)/i);
  assert.doesNotMatch(html, /serviceWorker/);
  const policy = policyOf(html);
  assert.deepEqual(policy['default-src'], ["'none'"]);
  assert.ok(policy['script-src'].every((s) => s.startsWith("'sha256-") || s === "'wasm-unsafe-eval'"));
  assert.deepEqual(policy['connect-src'], ["'none'"]);
  assert.deepEqual(policy['worker-src'], ['blob:']);

  const context = await env.browser.newContext();
  await context.addInitScript(recordViolations);
  await context.addInitScript(trackWorkers);
  await context.setOffline(true);
  const requests = [];
  await context.route('**/*', (route) =>
    route.request().url().startsWith('file:') ? route.continue() : route.abort(),
  );
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(pathToFileURL(SINGLE_FILE).href);
    await table(page).locator('tbody tr').first().waitFor();
    await waitFor(() => drawn(page), 'the chart to be drawn');
    // The loading screen came with the file, and went when the app started.
    assert.match(html, /id="?boot-status"?[^>]*>Loading the calculator…/);
    assert.equal(await page.locator('#boot').count(), 0);

    // It computes: a new traffic gives new numbers and a new chart.
    const before = await table(page).innerText();
    const pixels = await page.locator('canvas').first().evaluate((c) => c.toDataURL());
    await page.getByLabel(TRAFFIC_LABEL, { exact: true }).fill('40000');
    await waitFor(async () => (await table(page).innerText()) !== before, 'the table to change');
    await waitFor(
      async () => (await page.locator('canvas').first().evaluate((c) => c.toDataURL())) !== pixels,
      'the chart to redraw',
    );
    assert.doesNotMatch(await page.locator('body').textContent(), /NaN|Infinity/);

    // How sure it is: computed in the worker the file carries.
    await waitFor(async () => DONE_IN_WORKER.test(await uncertaintyStatus(page).textContent()), 'the draws in the worker', 30_000);
    await page.getByRole('table', { name: /how often each stack is cheapest/ }).waitFor();
    const started = await page.evaluate(() => window.workersStarted);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(started.length, workersFor(cores), started.join(', '));
    for (const url of started) assert.match(url, /^blob:/);

    // Only the file itself (and data:/blob: URLs it makes) was loaded.
    assert.deepEqual(
      requests.filter((url) => !/^(file|data|blob):/.test(url)),
      [],
    );
    assert.equal(await page.evaluate(() => navigator.serviceWorker?.controller ?? null), null);
    assert.deepEqual(await page.evaluate(() => window.violations), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the served page works offline after one visit (service worker)', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    await page.evaluate(() => navigator.serviceWorker.ready);
    await waitFor(() => page.evaluate(() => navigator.serviceWorker.controller !== null), 'the worker to control the page');
    const cacheNames = await page.evaluate(() => caches.keys());
    assert.equal(cacheNames.length, 1);
    assert.match(cacheNames[0], /^stackwise-[0-9a-f]{16}$/);
    const shown = await table(page).innerText();

    await context.setOffline(true);
    const responses = [];
    page.on('response', (response) => responses.push(response));
    await page.reload();
    await table(page).locator('tbody tr').first().waitFor();
    await waitFor(() => drawn(page), 'the chart to be drawn offline');
    assert.equal(await table(page).innerText(), shown);
    const document = responses.find((r) => r.request().resourceType() === 'document');
    assert.ok(document?.fromServiceWorker(), 'the page came from the service worker');
    const wasm = responses.find((r) => r.url().endsWith('.wasm'));
    assert.ok(wasm?.fromServiceWorker(), 'the wasm came from the service worker');

    // Still a calculator offline, the uncertainty worker's files too kept.
    const before = await table(page).innerText();
    await page.getByLabel(TRAFFIC_LABEL, { exact: true }).fill('30000');
    await waitFor(async () => (await table(page).innerText()) !== before, 'the table to change offline');
    await waitFor(async () => DONE_IN_WORKER.test(await uncertaintyStatus(page).textContent()), 'the draws in the worker offline', 30_000);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a first visit is usable before it asks for the install-only files', async () => {
  // The size report keeps the icons and the manifest out of the page's
  // budget because a visit does not need them: the service worker fetches
  // them in the background after the load event (its requests are its own,
  // not the page's, so they are not in `requests`).
  const { context, requests, problems } = await openApp(env);
  try {
    const usable = requests.map((url) => new URL(url).pathname);
    assert.ok(usable.some((path) => /^\/stackwise-[0-9a-f]+_bg\.wasm$/.test(path)), usable.join(' '));
    assert.deepEqual(
      usable.filter((path) => /^\/(icon-[^/]*\.png|manifest\.webmanifest)$/.test(path)),
      [],
      'icons or the manifest requested before the page was usable',
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the hosted page allows only its own files and its own inline scripts', async () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const policy = policyOf(html);
  assert.deepEqual(policy['default-src'], ["'self'"]);
  assert.ok(!policy['script-src'].includes("'unsafe-inline'"), 'inline scripts are pinned by hash');
  assert.ok(policy['script-src'].some((s) => s.startsWith("'sha256-")));
  assert.deepEqual(policy['connect-src'], ["'self'"]);
  // The uncertainty worker (its own file; blob: as the single file needs).
  assert.deepEqual(policy['worker-src'], ["'self'", 'blob:']);
  assert.deepEqual(policy['object-src'], ["'none'"]);
  assert.deepEqual(policy['base-uri'], ["'none'"]);

  const context = await env.browser.newContext();
  await context.addInitScript(recordViolations);
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${env.origin}/`);
    await table(page).locator('tbody tr').first().waitFor();
    await waitFor(() => drawn(page), 'the chart to be drawn');
    // The worker starts under the policy, with no violation.
    await waitFor(async () => DONE_IN_WORKER.test(await uncertaintyStatus(page).textContent()), 'the draws in the worker', 30_000);
    await page.waitForLoadState('networkidle');
    // A script that is not the page's own is refused.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true;';
      document.head.append(script);
    });
    assert.equal(await page.evaluate(() => window.injected ?? false), false);
    const violations = await page.evaluate(() => window.violations);
    assert.equal(violations.length, 1, violations.join('\n'));
    assert.match(violations[0], /^script-src/);
    assert.equal(problems.filter((p) => !/Content Security Policy/.test(p)).length, 0, problems.join('\n'));

    // The manifest makes the page installable: name, start URL, icons.
    const manifest = await (await page.request.get(`${env.origin}/manifest.webmanifest`)).json();
    assert.equal(manifest.short_name, 'Stackwise');
    assert.equal(manifest.start_url, '.');
    assert.equal(manifest.display, 'standalone');
    for (const size of ['192x192', '512x512']) {
      const icon = manifest.icons.find((i) => i.sizes === size && i.type === 'image/png');
      assert.ok(icon, `a ${size} PNG icon`);
      const response = await page.request.get(new URL(icon.src, `${env.origin}/`).href);
      assert.equal(response.status(), 200);
      assert.equal(response.headers()['content-type'], 'image/png');
    }
  } finally {
    await context.close();
  }
});
