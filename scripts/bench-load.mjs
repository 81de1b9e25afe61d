// Benchmark (prints figures; not a test): the first usable screen of the
// built page (dist/; build it first with scripts/build.sh), served on
// loopback, in headless Chromium: from navigation start to the estimate
// table filled and the first chart drawn, over cold loads (a new browser
// context each: no cache, no service worker). Prints every load and the
// median, beside the 400 ms target, and the bytes of the page's files
// (the uncertainty worker's apart); and,
// over the two seconds after that frame, the main-thread tasks over 50 ms
// (what a first click or key would wait behind). Also the first paint with
// content (the loading screen, index.html, until the wasm has come and the
// app has started), per load and its median.
//
// With a third argument the network is slowed to that many kbit/s down
// (and 150 ms each way), as a slow mobile connection: this server sends
// every file uncompressed, so the page's bytes take about three times as
// long as from a server that sends brotli (README, Host it).
//
//   node scripts/bench-load.mjs [loads=5] [width=1280] [kbit/s]
import { chromium } from 'playwright-core';
import { DIST } from '../e2e/browser.mjs';
import { serve } from '../e2e/serve.mjs';

const LOADS = Number(process.argv[2] ?? 5);
const WIDTH = Number(process.argv[3] ?? 1280);
const KBPS = Number(process.argv[4] ?? 0);
/** Round trip added to every request on a slowed network, ms. */
const LATENCY_MS = 150;

/**
 * Installed before the page loads: notes the time (from navigation start)
 * at which the table first has a row and the first canvas first has pixels,
 * checked at the end of every frame (a task posted from the frame's
 * requestAnimationFrame callback runs once its style, layout and paint are
 * done, as in bench-typing.mjs): the end of the frame that shows them. The
 * canvas is read only once the table has a row, with one pixel read-back.
 */
function watchUsable() {
  const drawn = (canvas) => {
    if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
    const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
    if (!pixels) return false;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
    return false;
  };
  const check = () => {
    if (document.querySelector('table.estimate tbody tr') && drawn(document.querySelector('canvas'))) {
      window.__usableAt = performance.now();
      return;
    }
    requestAnimationFrame(() => setTimeout(check, 0));
  };
  requestAnimationFrame(() => setTimeout(check, 0));
  // Main-thread tasks over 50 ms (the Long Tasks API), for the ones that
  // follow the first usable frame: a reader's first click or key waits
  // for them.
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // Not supported here: none are reported.
  }
}

/** How long the page is watched after its first usable frame. */
const AFTER_MS = 2_000;

const server = await serve(DIST);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const times = [];
  const paints = [];
  const longestAfter = [];
  let bytes = 0;
  for (let i = 0; i < LOADS; i += 1) {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 900 }, serviceWorkers: 'block' });
    await context.addInitScript(watchUsable);
    const page = await context.newPage();
    let fetched = 0;
    // The page's own files: the uncertainty worker's start once the first
    // estimate is on screen, and arrive before or after the chart by chance.
    page.on('response', (response) => {
      if (/worker/.test(new URL(response.url()).pathname)) return;
      fetched += Number(response.headers()['content-length'] ?? 0);
    });
    if (KBPS > 0) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: LATENCY_MS,
        downloadThroughput: (KBPS * 1000) / 8,
        uploadThroughput: (KBPS * 1000) / 8,
      });
    }
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => window.__usableAt !== undefined, null, { timeout: 120_000 });
    const at = await page.evaluate(() => window.__usableAt);
    const painted = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    );
    times.push(at);
    paints.push(painted);
    bytes = fetched;
    await page.waitForTimeout(AFTER_MS);
    const after = await page.evaluate((at) => window.__longTasks.filter(([start]) => start >= at), at);
    const longest = Math.max(0, ...after.map(([, duration]) => duration));
    longestAfter.push(longest);
    console.log(
      `load ${i + 1}: first paint ${painted.toFixed(0)} ms, usable at ${at.toFixed(0)} ms; in the ${AFTER_MS / 1000} s after, ${
        after.length === 0 ? 'no task over 50 ms' : `${after.length} task(s) over 50 ms, the longest ${longest.toFixed(0)} ms`
      }`,
    );
    await context.close();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const network = KBPS > 0 ? `a network slowed to ${KBPS} kbit/s and ${LATENCY_MS} ms` : 'loopback';
  console.log(`first paint with content (the loading screen), median of ${LOADS} cold loads on ${network}: ${median(paints).toFixed(0)} ms`);
  console.log(
    `first usable screen (table filled, a chart drawn), median of ${LOADS} cold loads on ${network}: ${median(times).toFixed(0)} ms (target 400 ms on loopback); ${(bytes / 1000).toFixed(0)} KB fetched uncompressed`,
  );
  const worst = Math.max(...longestAfter);
  console.log(
    `after it: ${worst === 0 ? 'no main-thread task over 50 ms in any load' : `the longest main-thread task ${worst.toFixed(0)} ms`}`,
  );
} finally {
  await browser.close();
  await server.close();
}
