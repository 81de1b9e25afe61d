// Benchmark (prints figures; not a test): time from an input event to every
// chart redrawn, in headless Chromium. Builds nothing: serves dist/ (build it
// first with scripts/build.sh), types CHANGES different values into the
// traffic field, and for each reads, inside the page, the time between
// dispatching the `input` event and the end of the last chart drawn for it
// (the page records `performance.now()` after each chart it draws on
// `window.__stackwiseLastDraw`, and counts them on `window.__stackwiseDraws`).
// Every change is made after the previous one has settled, and well inside
// the quiet time after which the uncertainty analysis reruns, so what is
// timed is the estimate, the chart data and the redraws of the charts that
// depend on the input.
//
//   node scripts/bench-redraw.mjs [CHANGES=100] [width=1200] [deviceScaleFactor=1]
import { chromium } from 'playwright-core';
import { DIST, TRAFFIC_LABEL } from '../e2e/browser.mjs';
import { serve } from '../e2e/serve.mjs';

const CHANGES = Number(process.argv[2] ?? 100);
const WIDTH = Number(process.argv[3] ?? 1200);
const SCALE = Number(process.argv[4] ?? 1);
const WARM_UP = 10;

const server = await serve(DIST);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});

/** The `q` quantile of `xs` (nearest rank). */
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

try {
  const context = await browser.newContext({
    viewport: { width: WIDTH, height: 900 },
    deviceScaleFactor: SCALE,
  });
  const page = await context.newPage();
  await page.goto(`${server.origin}/`);
  const field = page.getByLabel(TRAFFIC_LABEL, { exact: true });
  await field.waitFor();
  const canvases = await page.locator('canvas').count();
  // Every chart drawn once (the uncertainty charts may draw again later).
  await page.waitForFunction((n) => (window.__stackwiseDraws ?? 0) >= n, canvases, {
    timeout: 30_000,
  });
  // Let the first uncertainty run finish so it does not land in a sample.
  await page.waitForTimeout(3_000);
  const id = await field.getAttribute('id');

  const times = [];
  const draws = [];
  for (let i = 0; i < WARM_UP + CHANGES; i += 1) {
    // Traffic from 120 to about 60,000 req/s, a different value each time.
    const value = String(Math.round(120 * 1.065 ** (i % 100)) + (i >= 100 ? 1 : 0));
    const sample = await page.evaluate(
      async ({ id, value }) => {
        const input = document.getElementById(id);
        const before = window.__stackwiseDraws ?? 0;
        const started = performance.now();
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        // The page redraws in tasks queued by the input (microtasks); a
        // timer that fires after them ends the wait with every chart done.
        await new Promise((done) => setTimeout(done, 30));
        const drawn = (window.__stackwiseDraws ?? 0) - before;
        return { ms: drawn > 0 ? window.__stackwiseLastDraw - started : NaN, drawn };
      },
      { id, value },
    );
    if (i >= WARM_UP && Number.isFinite(sample.ms)) {
      times.push(sample.ms);
      draws.push(sample.drawn);
    }
    // Less than the 150 ms quiet time: the uncertainty does not rerun
    // between samples.
    await page.waitForTimeout(40);
  }
  const line = (name, q) => `${name} ${q.toFixed(2).padStart(7)} ms`;
  console.log(
    `Input to all charts redrawn, ${times.length} changes of "${TRAFFIC_LABEL}", ` +
      `${WIDTH} px wide at devicePixelRatio ${SCALE}, ${canvases} canvases ` +
      `(${quantile(draws, 0.5)} redrawn per change):`,
  );
  console.log(line('  p50', quantile(times, 0.5)));
  console.log(line('  p95', quantile(times, 0.95)));
  console.log(line('  max', Math.max(...times)));
} finally {
  await browser.close();
  await server.close();
}
