// Benchmark (prints figures; not a test): the first usable screen of the
// built page (dist/; build it first with scripts/build.sh), served on
// loopback, in headless Chromium: from navigation start to the estimate
// table filled and the first chart drawn, over cold loads (a new browser
// context each: no cache, no service worker). Prints every load and the
// median, beside the 400 ms target, and the bytes the page fetched.
//
//   node scripts/bench-load.mjs [loads=5] [width=1280]
import { chromium } from 'playwright-core';
import { DIST } from '../e2e/browser.mjs';
import { serve } from '../e2e/serve.mjs';

const LOADS = Number(process.argv[2] ?? 5);
const WIDTH = Number(process.argv[3] ?? 1280);

/**
 * Installed before the page loads: notes the time (from navigation start)
 * at which the table first has a row and the first canvas first has pixels.
 */
function watchUsable() {
  const check = () => {
    const row = document.querySelector('table.estimate tbody tr');
    const canvas = document.querySelector('canvas');
    let drawn = false;
    if (canvas && canvas.width > 0 && canvas.height > 0) {
      const blank = document.createElement('canvas');
      blank.width = canvas.width;
      blank.height = canvas.height;
      drawn = canvas.toDataURL() !== blank.toDataURL();
    }
    if (row && drawn) {
      window.__usableAt = performance.now();
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

const server = await serve(DIST);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const times = [];
  let bytes = 0;
  for (let i = 0; i < LOADS; i += 1) {
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 900 }, serviceWorkers: 'block' });
    await context.addInitScript(watchUsable);
    const page = await context.newPage();
    let fetched = 0;
    page.on('response', async (response) => {
      const length = Number(response.headers()['content-length'] ?? 0);
      fetched += length;
    });
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => window.__usableAt !== undefined, null, { timeout: 30_000 });
    const at = await page.evaluate(() => window.__usableAt);
    times.push(at);
    bytes = fetched;
    console.log(`load ${i + 1}: usable at ${at.toFixed(0)} ms`);
    await context.close();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(
    `first usable screen (table filled, a chart drawn), median of ${LOADS} cold loads: ${median.toFixed(0)} ms (target 400 ms); ${(bytes / 1000).toFixed(0)} KB fetched uncompressed`,
  );
} finally {
  await browser.close();
  await server.close();
}
