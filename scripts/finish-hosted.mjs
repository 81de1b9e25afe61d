// Finishes the hosted page in dist/ after `trunk build --release`:
//
// 1. Content-Security-Policy: trunk loads the wasm from an inline module
//    script whose text names the hashed files, so it changes with every
//    build. This replaces 'unsafe-inline' in the policy's script-src (kept
//    in index.html for trunk serve's live-reload script) with the sha256 of
//    every inline script in dist/index.html, so only those run.
// 2. The same policy as an HTTP header for a static server: dist/csp.conf
//    holds it as one nginx directive (hosting/nginx.conf includes it).
// 3. Service worker: writes into dist/sw.js the list of files to keep for
//    offline use (the page and everything in dist/ it loads, with trunk's
//    hashed names) and a build id made from their contents, which names the
//    cache.
//
// Usage: node scripts/finish-hosted.mjs [dist-dir]
// Exits non-zero, saying why, if dist/ is not what it expects.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Files in dist/ that the hosted page never loads. */
export const NOT_PRECACHED = new Set(['sw.js', 'stackwise.html', 'csp.conf']);

/** The Content-Security-Policy of a page's <meta>; throws when it has none. */
export function policyOf(html) {
  const meta = html.match(/<meta\b[^>]*http-equiv=["']?Content-Security-Policy["']?[^>]*>/i);
  if (!meta) throw new Error('no Content-Security-Policy <meta> in the page');
  const content = meta[0].match(/\bcontent=(?:"([^"]*)"|'([^']*)')/i);
  if (!content) throw new Error('the Content-Security-Policy <meta> has no quoted content');
  return content[1] ?? content[2];
}

/** `policy` as an nginx directive that sends it as a header. */
export function nginxHeader(policy) {
  if (policy.includes('"')) throw new Error('a policy with a double quote cannot go in an nginx string');
  return `add_header Content-Security-Policy "${policy}" always;\n`;
}

function die(message) {
  console.error(`finish-hosted: ${message}`);
  process.exit(1);
}

/** Every inline script's text (scripts without `src`), in document order. */
export function inlineScripts(html) {
  const scripts = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\bsrc\s*=/i.test(match[1])) continue;
    scripts.push(match[2]);
  }
  return scripts;
}

/** The CSP source for a script's text: `'sha256-<base64>'`. */
export function cspHash(text) {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * `html` with the CSP meta's script-src pinned to `hashes` instead of
 * 'unsafe-inline'. Throws when there is no CSP meta or no script-src.
 */
export function pinScripts(html, hashes) {
  const meta = html.match(/<meta\b[^>]*http-equiv=["']?Content-Security-Policy["']?[^>]*>/i);
  if (!meta) throw new Error('no Content-Security-Policy <meta> in the page');
  const content = meta[0].match(/\bcontent=(?:"([^"]*)"|'([^']*)')/i);
  if (!content) throw new Error('the Content-Security-Policy <meta> has no quoted content');
  const policy = content[1] ?? content[2];
  const directives = policy.split(';').map((d) => d.trim()).filter(Boolean);
  const index = directives.findIndex((d) => d.split(/\s+/)[0] === 'script-src');
  if (index < 0) throw new Error('the Content-Security-Policy has no script-src');
  const sources = directives[index]
    .split(/\s+/)
    .filter((s) => s !== "'unsafe-inline'" && !s.startsWith("'sha256-"));
  directives[index] = [...sources, ...hashes].join(' ');
  const pinned = directives.join('; ');
  const quote = content[1] !== undefined ? '"' : "'";
  const newMeta = meta[0].replace(content[0], `content=${quote}${pinned}${quote}`);
  return html.replace(meta[0], newMeta);
}

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.')) return []; // trunk's staging dirs
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : [path];
  });
}

/** `sw.js` source with its BUILD and PRECACHE constants filled in. */
export function fillServiceWorker(source, build, precache) {
  const withBuild = source.replace(/^const BUILD = "[^"]*";$/m, `const BUILD = ${JSON.stringify(build)};`);
  const withList = withBuild.replace(
    /^const PRECACHE = \[[^\]]*\];$/m,
    `const PRECACHE = ${JSON.stringify(precache, null, 2)};`,
  );
  if (withBuild === source || withList === withBuild) {
    throw new Error('sw.js has no `const BUILD = "…";` or `const PRECACHE = […];` line to fill in');
  }
  return withList;
}

function main() {
  const dist = process.argv[2] ?? 'dist';
  const indexPath = join(dist, 'index.html');
  const swPath = join(dist, 'sw.js');
  let html;
  let sw;
  try {
    html = readFileSync(indexPath, 'utf8');
    sw = readFileSync(swPath, 'utf8');
  } catch (error) {
    die(`${error.message}; run trunk build --release first`);
  }

  const hashes = inlineScripts(html).map(cspHash);
  if (hashes.length === 0) die('no inline script in dist/index.html (trunk always emits one)');
  try {
    html = pinScripts(html, hashes);
  } catch (error) {
    die(error.message);
  }
  writeFileSync(indexPath, html);
  writeFileSync(join(dist, 'csp.conf'), nginxHeader(policyOf(html)));

  const precache = files(dist)
    .map((path) => relative(dist, path).split(sep).join('/'))
    .filter((name) => !NOT_PRECACHED.has(name))
    .sort()
    .map((name) => (name === 'index.html' ? './' : name));
  const digest = createHash('sha256');
  for (const name of precache) {
    digest.update(name);
    digest.update(readFileSync(join(dist, name === './' ? 'index.html' : name)));
  }
  const build = digest.digest('hex').slice(0, 16);
  try {
    writeFileSync(swPath, fillServiceWorker(sw, build, precache));
  } catch (error) {
    die(error.message);
  }
  console.log(
    `finish-hosted: ${hashes.length} inline script(s) pinned in the CSP; sw.js keeps ${precache.length} files (cache ${build})`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
