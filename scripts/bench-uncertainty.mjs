// Benchmark (prints figures; not a test): how long the page takes to make
// 10,000 Monte Carlo draws for every stack, and the sensitivity sweep, in
// headless Chromium. Serves dist/ (build it first: scripts/build.sh), changes
// the traffic input RUNS times, and reads the times the page reports for
// each finished run (computing only; the run is sliced between frames).
//
//   node scripts/bench-uncertainty.mjs [RUNS]
import { chromium } from 'playwright-core';
import { serve } from '../e2e/serve.mjs';
import { DIST } from '../e2e/browser.mjs';

const RUNS = Number(process.argv[2] ?? 15);
const server = await serve(DIST);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  const status = page.locator('#uncertainty .progress');
  const field = page.getByLabel('Average requests per second', { exact: true });
  const pattern = /the draws in ([0-9.,]+) ms, the sweep in ([0-9.,]+) ms/;
  const draws = [];
  const sweeps = [];
  let last = '';
  for (let i = 0; i <= RUNS; i += 1) {
    if (i > 0) await field.fill(String(1000 + i * 37));
    await page.waitForFunction(
      ({ sel, prev }) => {
        const t = document.querySelector(sel)?.textContent ?? '';
        return /the draws in/.test(t) && t !== prev;
      },
      { sel: '#uncertainty .progress', prev: last },
      { timeout: 60_000 },
    );
    last = await status.innerText();
    const m = last.match(pattern);
    if (i > 0 && m) {
      draws.push(Number(m[1].replace(/,/g, '')));
      sweeps.push(Number(m[2].replace(/,/g, '')));
    }
  }
  const pct = (xs, q) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  };
  const line = (name, xs) =>
    `${name.padEnd(36)} p50 ${pct(xs, 0.5).toFixed(1).padStart(6)} ms   p95 ${pct(xs, 0.95).toFixed(1).padStart(6)} ms   max ${Math.max(...xs).toFixed(1).padStart(6)} ms`;
  console.log(`Uncertainty in headless Chromium, ${draws.length} runs:`);
  console.log(line('10,000 draws, all stacks', draws));
  console.log(line('sensitivity sweep (inputs + figures)', sweeps));
} finally {
  await browser.close();
  await server.close();
}
