// User story: "we host Stackwise on our own nginx". The built dist/ served by
// Debian's nginx with hosting/nginx.conf as the README gives it: the headers
// the page needs, the precompressed files sent as they are, and a page that
// works, and keeps working offline after one visit.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { policyOf } from '../scripts/finish-hosted.mjs';
import {
  DIST,
  DONE_IN_WORKER,
  TRAFFIC_LABEL,
  canvasIsDrawn,
  estimateTable,
  record,
  uncertaintyStatus,
  waitFor,
} from './browser.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const CONFIG = join(HERE, '..', 'hosting', 'nginx.conf');
/** Debian's nginx: its types and the modules it enables (brotli_static
 *  among them), which it names relative to its prefix. */
const SYSTEM = '/etc/nginx';
const MODULES = '/usr/lib/nginx/modules';

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** hosting/nginx.conf with its documented port and folder replaced. */
function serverBlock(port, root) {
  const text = readFileSync(CONFIG, 'utf8');
  assert.match(text, /^\s*listen 8080;$/m, 'hosting/nginx.conf listens on 8080');
  assert.match(text, /\/srv\/stackwise/, 'hosting/nginx.conf serves /srv/stackwise');
  return text.replace(/^(\s*)listen 8080;$/m, `$1listen 127.0.0.1:${port};`).replaceAll('/srv/stackwise', root);
}

/** Starts nginx in the foreground on `port`, serving dist/. */
async function startNginx(port) {
  const work = mkdtempSync(join(tmpdir(), 'stackwise-nginx-'));
  symlinkSync(MODULES, join(work, 'modules'));
  const temp = ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `${kind === 'body' ? 'client_body' : kind}_temp_path ${join(work, kind)};`)
    .join('\n  ');
  const main = `daemon off;
master_process off;
pid ${join(work, 'nginx.pid')};
error_log ${join(work, 'error.log')} warn;
include ${SYSTEM}/modules-enabled/*.conf;
events { worker_connections 64; }
http {
  include ${SYSTEM}/mime.types;
  default_type application/octet-stream;
  access_log off;
  ${temp}
${serverBlock(port, resolve(DIST))}
}
`;
  const conf = join(work, 'nginx.conf');
  writeFileSync(conf, main);
  const check = spawnSync('nginx', ['-t', '-p', work, '-c', conf, '-e', join(work, 'error.log')], {
    encoding: 'utf8',
  });
  assert.equal(check.status, 0, `nginx -t: ${check.stderr}`);
  const nginx = spawn('nginx', ['-p', work, '-c', conf, '-e', join(work, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  nginx.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await get(`${origin}/`).catch(() => null))?.status === 200, 'nginx to answer');
  return {
    origin,
    stop: () => {
      nginx.kill();
      rmSync(work, { recursive: true, force: true });
      return stderr;
    },
  };
}

/** GET `url` with `headers`; resolves to `{ status, headers, body }`. */
function get(url, headers = {}) {
  return new Promise((done, fail) => {
    const req = request(url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** The body as sent, decoded by its Content-Encoding. */
function decoded(response) {
  switch (response.headers['content-encoding']) {
    case 'br':
      return brotliDecompressSync(response.body);
    case 'gzip':
      return gunzipSync(response.body);
    default:
      return response.body;
  }
}

const FILES = readFileSync(join(DIST, 'index.html'), 'utf8');
const WASM = FILES.match(/[\w-]+_bg\.wasm/)?.[0];
const SCRIPT = FILES.match(/stackwise-[0-9a-f]+\.js/)?.[0];

let server;
let browser;
before(async () => {
  server = await startNginx(await freePort());
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
after(async () => {
  await browser?.close();
  const log = server?.stop() ?? '';
  assert.doesNotMatch(log, /\[(emerg|alert|crit)\]/, log);
});

test('the page comes with its policy as a header, brotli-compressed and revalidated', async () => {
  const page = await get(`${server.origin}/`, { 'Accept-Encoding': 'br, gzip' });
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(page.headers['content-encoding'], 'br');
  assert.equal(page.headers['cache-control'], 'no-cache');
  assert.match(page.headers.vary ?? '', /Accept-Encoding/);
  const html = decoded(page).toString('utf8');
  assert.equal(html, readFileSync(join(DIST, 'index.html'), 'utf8'));
  // The header is the very policy the page's <meta> carries.
  assert.equal(page.headers['content-security-policy'], policyOf(html));
  assert.match(page.headers['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
});

test('hashed files are kept for a year, the wasm as application/wasm in the encoding asked for', async () => {
  assert.ok(WASM && SCRIPT, 'index.html names the wasm and its script');
  const raw = readFileSync(join(DIST, WASM));
  for (const [accept, encoding] of [
    ['br, gzip', 'br'],
    ['gzip', 'gzip'],
    ['identity', undefined],
  ]) {
    const wasm = await get(`${server.origin}/${WASM}`, { 'Accept-Encoding': accept });
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers['content-type'], 'application/wasm');
    assert.equal(wasm.headers['content-encoding'], encoding, accept);
    assert.equal(wasm.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.ok(decoded(wasm).equals(raw), `the wasm arrives whole (${accept})`);
  }
  const script = await get(`${server.origin}/${SCRIPT}`, { 'Accept-Encoding': 'br' });
  assert.equal(script.headers['content-encoding'], 'br');
  assert.match(script.headers['content-type'], /javascript/);
  assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
});

test('the service worker, the manifest and the icons are revalidated; the header snippet is not served', async () => {
  const sw = await get(`${server.origin}/sw.js`);
  assert.equal(sw.status, 200);
  assert.equal(sw.headers['cache-control'], 'no-cache');
  const manifest = await get(`${server.origin}/manifest.webmanifest`);
  assert.equal(manifest.status, 200);
  assert.equal(manifest.headers['content-type'], 'application/manifest+json; charset=utf-8');
  assert.equal(manifest.headers['cache-control'], 'no-cache');
  const icon = await get(`${server.origin}/icon-192.png`);
  assert.equal(icon.headers['content-type'], 'image/png');
  assert.equal(icon.headers['cache-control'], 'no-cache');
  assert.equal((await get(`${server.origin}/csp.conf`)).status, 404);
});

test("the uncertainty worker's files are revalidated (their names carry no hash) and come with the page's policy", async () => {
  const policy = policyOf(readFileSync(join(DIST, 'index.html'), 'utf8'));
  for (const name of ['worker_loader.js', 'worker.js', 'worker_bg.wasm']) {
    const file = await get(`${server.origin}/${name}`, { 'Accept-Encoding': 'br' });
    assert.equal(file.status, 200, name);
    assert.equal(file.headers['cache-control'], 'no-cache', name);
    assert.equal(file.headers['content-encoding'], 'br', name);
    // A worker runs under the policy its own script comes with.
    assert.equal(file.headers['content-security-policy'], policy, name);
    assert.ok(decoded(file).equals(readFileSync(join(DIST, name))), `${name} arrives whole`);
    assert.match(file.headers['content-type'], name.endsWith('.wasm') ? /^application\/wasm$/ : /javascript/, name);
  }
});

test('the single-file page served by nginx runs under its own policy', async () => {
  const single = await get(`${server.origin}/stackwise.html`, { 'Accept-Encoding': 'br' });
  assert.equal(single.status, 200);
  assert.equal(single.headers['content-encoding'], 'br');
  assert.equal(single.headers['content-security-policy'], undefined);
  const context = await browser.newContext();
  const page = await context.newPage();
  const { problems } = record(page);
  try {
    await page.goto(`${server.origin}/stackwise.html`);
    await estimateTable(page).locator('tbody tr').first().waitFor();
    await waitFor(() => canvasIsDrawn(page), 'the chart to be drawn');
    await waitFor(async () => DONE_IN_WORKER.test(await uncertaintyStatus(page).textContent()), 'the draws in the worker', 30_000);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the page served by nginx works, and works offline after one visit', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const { requests, problems } = record(page);
  try {
    await page.goto(`${server.origin}/`);
    const table = estimateTable(page);
    await table.locator('tbody tr').first().waitFor();
    await waitFor(() => canvasIsDrawn(page), 'the chart to be drawn');
    const before = await table.innerText();
    await page.getByLabel(TRAFFIC_LABEL, { exact: true }).fill('30000');
    await waitFor(async () => (await table.innerText()) !== before, 'the table to change');
    // The worker starts under the policy header.
    await waitFor(async () => DONE_IN_WORKER.test(await uncertaintyStatus(page).textContent()), 'the draws in the worker', 30_000);
    assert.deepEqual(
      requests.filter((url) => !url.startsWith(`${server.origin}/`) && !/^(data|blob):/.test(url)),
      [],
    );

    await page.evaluate(() => navigator.serviceWorker.ready);
    await waitFor(
      () => page.evaluate(() => navigator.serviceWorker.controller !== null),
      'the service worker to control the page',
    );
    await context.setOffline(true);
    await page.reload();
    await table.locator('tbody tr').first().waitFor();
    await waitFor(() => canvasIsDrawn(page), 'the chart to be drawn offline');
    await waitFor(
      async () => DONE_IN_WORKER.test(await uncertaintyStatus(page).textContent()),
      'the draws in the worker offline',
      30_000,
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
