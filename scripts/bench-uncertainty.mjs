// Benchmark (prints figures; not a test): how long 10,000 Monte Carlo draws
// for every stack, and the sensitivity sweep, take in the built page in
// headless Chromium, for the default scenario. Serves dist/ (build it first:
// scripts/build.sh), opens the page, then changes the traffic input RUNS
// times and back (so every run is the default scenario give or take the
// traffic, and the worker reuses the figures it drew for the last run),
// and reads what the page reports for each finished run: the
// draws and the sweep as timed where they ran (the sum of their steps), and
// the run from start to finish as the page saw it (posting the job, the
// steps, the messages back; the first run, which also loads the worker, is
// left out).
//
// It does this three times: in the background worker, as the page runs it;
// in the worker again, switching the set of figures (published benchmarks,
// the article's) instead of the traffic, so that every run draws its
// figures afresh, as the first run after the figures change does; and on
// the main thread with no Worker (the page's fallback), for comparison.
// The target for the worker is 20 ms at p50 for the draws.
//
// With `--against DIR` (another build, say a copy of dist/ made before a
// change) it compares the two builds' workers instead, both ways of
// changing the page: their pages open at once, their runs taken in turn,
// one of each, first one build then the other, so that both see the same
// moments of a machine whose speed drifts (on a shared two-core machine it
// moved by 40% to 60% within an hour, more than most changes move these
// figures). With `--query Q` it opens another scenario, given as a link's
// query (say `v=1&device=gpu&ml=40&p99=200`, inference on GPUs within a
// 200 ms target), in place of the default; the target is the default's.
//
//   node scripts/bench-uncertainty.mjs [RUNS] [--against DIR] [--query Q]
import { relative } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../e2e/serve.mjs';
import { DIST } from '../e2e/browser.mjs';

const args = process.argv.slice(2);
const against = args.includes('--against') ? args[args.indexOf('--against') + 1] : null;
if (args.includes('--against') && !against) throw new Error('--against needs the directory of another build');
if (args.includes('--query') && !args[args.indexOf('--query') + 1]) throw new Error('--query needs a scenario link, say v=1&device=gpu&ml=40&p99=200');
/** The scenario, as a link's query: the default scenario without one. */
const query = args.includes('--query') ? args[args.indexOf('--query') + 1] : '';
const scenario = query ? `the scenario ?${query}` : 'default scenario';
const RUNS = Number(
  args.find((a, i) => /^[0-9]+$/.test(a) && !['--against', '--query'].includes(args[i - 1])) ?? 15,
);
/** p50 target for 10,000 draws in the worker, ms. */
const TARGET_MS = 20;

const server = await serve(DIST);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

const pattern = /the draws in ([0-9.,]+) ms, the sweep in ([0-9.,]+) ms \(([0-9.,]+) ms start to finish/;
const number = (text) => Number(text.replace(/,/g, ''));

/**
 * Opens the page served at `origin` and waits for its first run (which also
 * loads the worker, and is not counted); `where` is what the status must
 * say. Each call of `run` then makes one more run and notes its figures.
 */
async function open(context, origin, where, change = 'traffic') {
  const page = await context.newPage();
  await page.goto(`${origin}/${query ? `?${query}` : ''}`);
  const status = page.locator('#uncertainty .progress');
  const field = page.getByLabel('Average requests per second', { exact: true });
  const defaultRps = await field.inputValue();
  const sets = ['The article', 'Published benchmarks'].map((name) => page.getByRole('radio', { name }));
  const figures = { draws: [], sweeps: [], walls: [] };
  let last = '';
  let runs = 0;
  const run = async () => {
    // Alternate away from the default and back to it: the traffic, or the
    // set of figures.
    if (runs > 0 && change === 'figures') await sets[(runs - 1) % 2].check();
    else if (runs > 0) await field.fill(runs % 2 === 1 ? String(Number(defaultRps) + 1) : defaultRps);
    // A run's status differs from the last one's; a fast run may, now and
    // then, report the very same timings to the tenth of a millisecond,
    // and then the text does not change at all: after a few seconds (a run
    // takes tens of milliseconds) the status is taken as it stands.
    await page
      .waitForFunction(
        ({ sel, prev }) => {
          const t = document.querySelector(sel)?.textContent ?? '';
          return /the draws in/.test(t) && t !== prev;
        },
        { sel: '#uncertainty .progress', prev: last },
        { timeout: runs === 0 ? 60_000 : 5_000 },
      )
      .catch((error) => {
        if (runs === 0) throw error;
      });
    // The status's text as the page holds it: the panel may be off the
    // screen and skipped (`content-visibility: auto`), with no rendered text.
    last = await status.textContent();
    if (!where.test(last)) throw new Error(`not computed where expected: ${last}`);
    const m = last.match(pattern);
    if (runs > 0 && m) {
      figures.draws.push(number(m[1]));
      figures.sweeps.push(number(m[2]));
      figures.walls.push(number(m[3]));
    }
    runs += 1;
  };
  await run();
  return { run, figures, close: () => page.close() };
}

/** The figures of RUNS runs of the page served at `origin`. */
async function measure(context, origin, where, change) {
  const page = await open(context, origin, where, change);
  for (let i = 0; i < RUNS; i += 1) await page.run();
  await page.close();
  return page.figures;
}

const IN_WORKER = /in (a background worker|[0-9]+ background workers at once)/;

const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const line = (name, xs) =>
  `  ${name.padEnd(38)} p50 ${pct(xs, 0.5).toFixed(1).padStart(6)} ms   p95 ${pct(xs, 0.95).toFixed(1).padStart(6)} ms   max ${Math.max(...xs).toFixed(1).padStart(6)} ms`;

/** The worker's figures of one build. */
function report(name, figures) {
  console.log(`${name}:`);
  console.log(line('10,000 draws, all stacks', figures.draws));
  console.log(line('sensitivity sweep (inputs + figures)', figures.sweeps));
  console.log(line('start to finish, as the page saw it', figures.walls));
}

try {
  if (against) {
    // Two builds, their runs taken in turn.
    const other = await serve(against);
    try {
      const builds = [];
      for (const [name, origin] of [
        [`this build (${relative(process.cwd(), DIST) || '.'})`, server.origin],
        [`the build in ${against}`, other.origin],
      ]) {
        builds.push({
          name,
          traffic: await open(await browser.newContext(), origin, IN_WORKER),
          switching: await open(await browser.newContext(), origin, IN_WORKER, 'figures'),
        });
      }
      for (let i = 0; i < RUNS; i += 1) {
        for (const build of i % 2 === 0 ? builds : [...builds].reverse()) {
          await build.traffic.run();
          await build.switching.run();
        }
      }
      console.log(`Uncertainty in headless Chromium, ${scenario}, ${RUNS} runs of each build, taken in turn:`);
      for (const { name, traffic, switching } of builds) {
        report(`In the background worker, ${name}`, traffic.figures);
        console.log(line('10,000 draws, figures switched first', switching.figures.draws));
      }
    } finally {
      await other.close();
    }
  } else {
    const inWorker = await browser.newContext();
    const worker = await measure(inWorker, server.origin, IN_WORKER);
    await inWorker.close();
    const switching = await browser.newContext();
    const fresh = await measure(switching, server.origin, IN_WORKER, 'figures');
    await switching.close();
    const onPage = await browser.newContext();
    await onPage.addInitScript(() => {
      delete window.Worker;
    });
    const page = await measure(onPage, server.origin, /^Computed in this browser: /);
    await onPage.close();

    console.log(`Uncertainty in headless Chromium, ${scenario}, ${worker.draws.length} runs each:`);
    report('In the background worker (as the page runs it)', worker);
    console.log('In the background worker, the set of figures switched before each run:');
    console.log(line('10,000 draws, all stacks', fresh.draws));
    console.log('On the main thread (the fallback without a Worker):');
    console.log(line('10,000 draws, all stacks', page.draws));
    console.log(line('sensitivity sweep (inputs + figures)', page.sweeps));
    console.log(line('start to finish, in slices', page.walls));
    const p50 = pct(worker.draws, 0.5);
    // The target is set for the default scenario.
    const verdict = query ? '' : `, target ${TARGET_MS} ms: ${p50 <= TARGET_MS ? 'met' : 'NOT MET'}`;
    console.log(`10,000 draws in the worker: p50 ${p50.toFixed(1)} ms${verdict}`);
  }
} finally {
  await browser.close();
  await server.close();
}
