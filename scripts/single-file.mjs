// Turns the release build in dist/ into one self-contained file,
// dist/stackwise.html, that works opened from disk (file://) with no
// network: the stylesheets inlined, the favicon as a data URL, the
// wasm-bindgen JS glue as an inline module script, and the wasm as base64
// in a data block, decoded to bytes and handed to the glue's init function
// (`__wbg_init({ module_or_path: bytes })`). The page's own classic script
// (the theme, the loading screen's messages) is kept as it is. The
// uncertainty worker comes too: its glue, its wasm as base64 and the lines
// that start it, as one script in a data block (`#stackwise-worker`) that
// the page starts from a blob: URL (a worker cannot be started from a
// file:// URL). It has its own Content-Security-Policy, allowing its inline
// scripts by hash and a worker from blob:, and no service worker or
// manifest (neither works from a file).
//
// Everything else in dist/index.html's <head> (title, description, meta
// tags, whatever is added later) is kept as it is.
//
// Usage: node scripts/single-file.mjs [dist-dir]
// Exits non-zero, saying why, if dist/ is not what it expects.
import { readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cspHash } from './finish-hosted.mjs';

/** Name of the bundle inside dist/. */
export const SINGLE_FILE = 'stackwise.html';

/** The uncertainty worker's glue and wasm in dist/, as trunk names them. */
export const WORKER_GLUE = 'worker.js';
export const WORKER_WASM = 'worker_bg.wasm';
/** Id of the data block the page starts the worker from (src/ui/worker.rs). */
export const WORKER_BUNDLE_ID = 'stackwise-worker';

const TYPES = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * The bundle's policy: nothing from anywhere, its inline scripts (by
 * hash), WebAssembly, inline styles, data: and blob: images, and a worker
 * from a blob: URL (the page makes it from its own data block; the worker
 * inherits this policy).
 */
export function policy(scriptHashes) {
  return [
    "default-src 'none'",
    `script-src ${scriptHashes.join(' ')} 'wasm-unsafe-eval'`,
    "style-src 'unsafe-inline'",
    'img-src data: blob:',
    'worker-src blob:',
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function die(message) {
  console.error(`single-file: ${message}`);
  process.exit(1);
}

/** Attributes of a start tag's source, lower-cased names. */
export function attributes(tag) {
  const attrs = {};
  const body = tag.replace(/^<\w+/, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(/([^\s=>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g)) {
    attrs[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return attrs;
}

/** A path from the page (`/main-1a2b.css`) as a file in dist/. */
function distFile(dist, href) {
  const path = decodeURIComponent(new URL(href, 'http://page/').pathname).replace(/^\/+/, '');
  return join(dist, path);
}

/**
 * The whole worker as one classic script: the wasm-bindgen glue (its
 * no-modules form defines `wasm_bindgen`), the wasm as base64, and the
 * lines that decode and start it; a failure is thrown again outside the
 * promise so that the page sees the worker's error event and computes on
 * its own. Safe inside a <script> data block.
 */
export function workerScript(dist) {
  const glue = readFileSync(join(dist, WORKER_GLUE), 'utf8');
  const wasm = readFileSync(join(dist, WORKER_WASM)).toString('base64');
  if (!/\bwasm_bindgen\b/.test(glue)) throw new Error(`${WORKER_GLUE} does not define wasm_bindgen`);
  if (/^\s*import\s*[^\s(.]/m.test(glue)) throw new Error(`${WORKER_GLUE} imports other modules`);
  const script = `${glue}
{
  const binary = atob("${wasm}");
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  wasm_bindgen({ module_or_path: bytes }).catch((error) => {
    setTimeout(() => {
      throw error;
    });
  });
}
`.replace(/<\/(script)/gi, '<\\/$1');
  // Inside <script>, "<!--" can change how the HTML parser finds the end.
  if (/<!--/.test(script)) throw new Error(`${WORKER_GLUE} contains "<!--", which cannot be inlined`);
  return script;
}

function escapeAttribute(text) {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

/** Builds the single file's HTML from dist/. */
export function bundle(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');

  // The wasm-bindgen glue and the wasm, as trunk's loader names them.
  const loader = html.match(/<script\b[^>]*type=["']?module["']?[^>]*>([\s\S]*?)<\/script>/gi) ?? [];
  const trunkLoader = loader.find((s) => /_bg\.wasm/.test(s));
  if (!trunkLoader) throw new Error("dist/index.html has no trunk loader script naming a _bg.wasm file");
  const jsHref = trunkLoader.match(/from\s*["']([^"']+\.js)["']/)?.[1];
  const wasmHref = trunkLoader.match(/["']([^"']+_bg\.wasm)["']/)?.[1];
  if (!jsHref || !wasmHref) throw new Error('could not find the glue .js and the .wasm in the loader script');
  const glue = readFileSync(distFile(dist, jsHref), 'utf8');
  const wasm = readFileSync(distFile(dist, wasmHref));
  if (/^\s*import\s*[^\s(.]/m.test(glue)) {
    throw new Error(`${jsHref} imports other modules (wasm-bindgen snippets); they cannot be inlined yet`);
  }
  if (!/\b__wbg_init\b/.test(glue)) throw new Error(`${jsHref} has no __wbg_init function`);

  const boot = `${glue}
{
  const text = document.getElementById("stackwise-wasm").textContent.trim();
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  const wasm = await __wbg_init({ module_or_path: bytes });
  dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
}
`.replace(/<\/(script)/gi, '<\\/$1');

  let out = html;
  // Module scripts go (trunk's loader, the service worker registration);
  // the page's classic inline script stays, and is allowed by its hash.
  const kept = [];
  out = out.replace(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi, (tag, attrs, text) => {
    if (/\btype\s*=\s*["']?module\b/i.test(attrs) || /\bsrc\s*=/i.test(attrs)) return '';
    kept.push(cspHash(text));
    return tag;
  });
  // Links: stylesheets inlined, icons as data URLs, the rest dropped
  // (preloads of files that are now inline, the manifest).
  out = out.replace(/<link\b[^>]*>/gi, (tag) => {
    const attrs = attributes(tag);
    const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
    if (rel.includes('stylesheet')) {
      const css = readFileSync(distFile(dist, attrs.href), 'utf8');
      return `<style>${css.replace(/<\/(style)/gi, '<\\/$1')}</style>`;
    }
    if (rel.includes('icon')) {
      const type = TYPES[extname(attrs.href).toLowerCase()];
      if (!type) throw new Error(`icon ${attrs.href}: unknown image type`);
      const data = readFileSync(distFile(dist, attrs.href)).toString('base64');
      return `<link rel="icon" type="${type}" href="data:${type};base64,${data}">`;
    }
    return '';
  });
  // The hosted page's policy allows 'self'; this file has no 'self' to
  // load from, so it gets its own.
  const csp = `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(policy([...kept, cspHash(boot)]))}">`;
  out = out.replace(/<meta\b[^>]*http-equiv=["']?Content-Security-Policy["']?[^>]*>/gi, '');
  // The charset first, then the policy, before anything else in <head>
  // (which a minified page may leave implicit).
  const charset = out.match(/<meta\s+charset=["']?utf-8["']?\s*\/?>/i)?.[0] ?? '<meta charset="utf-8">';
  out = out.replace(charset, '');
  const headStart = out.match(/<head\b[^>]*>/i) ?? out.match(/<html\b[^>]*>/i) ?? out.match(/<!doctype[^>]*>/i);
  if (!headStart) throw new Error('dist/index.html has no <head>, <html> or doctype to start from');
  const at = headStart.index + headStart[0].length;
  out = `${out.slice(0, at)}${charset}${csp}${out.slice(at)}`;
  const data = `<script type="application/octet-stream" id="stackwise-wasm">${wasm.toString('base64')}</script>`;
  const worker = `<script type="text/plain" id="${WORKER_BUNDLE_ID}">${workerScript(dist)}</script>`;
  const scripts = `${data}${worker}<script type="module">${boot}</script>`;
  const headEnd = out.match(/<\/head\s*>/i) ?? out.match(/<body\b/i);
  if (!headEnd) throw new Error('dist/index.html has no </head> or <body>');
  out = `${out.slice(0, headEnd.index)}${scripts}${out.slice(headEnd.index)}`;
  return out;
}

function main() {
  const dist = process.argv[2] ?? 'dist';
  let html;
  try {
    html = bundle(dist);
  } catch (error) {
    die(`${error.message}; run trunk build --release first`);
  }
  writeFileSync(join(dist, SINGLE_FILE), html);
  const kb = (Buffer.byteLength(html) / 1000).toFixed(1);
  console.log(`single-file: wrote ${join(dist, SINGLE_FILE)} (${kb} KB, opens from disk)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
