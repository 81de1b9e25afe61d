// User story: "I want to know how sure the answer is and what it hinges on",
// computed in a background worker so the page never waits for it.
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { after, before, test } from 'node:test';
import {
  DONE_IN_WORKER,
  DONE_ON_PAGE,
  TRAFFIC_LABEL,
  openApp,
  record,
  seenText,
  start,
  trackWorkers,
  uncertaintyStatus,
  waitFor,
  workersFor,
} from './browser.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

async function probabilities(page) {
  const t = page.getByRole('table', { name: /how often each stack is cheapest/ });
  await t.waitFor({ timeout: 20_000 });
  const rows = t.locator('tbody tr');
  const out = [];
  for (let i = 0; i < (await rows.count()); i += 1) {
    // "<0.1%" and ">99.9%" read as their bounds.
    out.push(Number((await seenText(rows.nth(i).locator('td').first())).replace(/[<>%]/g, '')));
  }
  return out;
}

test('probabilities of being cheapest appear, count every draw and follow the inputs', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    const first = await probabilities(page);
    assert.equal(first.length, 5);
    // Every draw has a cheapest stack, and a tie within 0.5% counts for
    // each of its stacks: in the default scenario the four Node.js stacks
    // cost the same in every draw.
    assert.ok(first.every((p) => p >= 0 && p <= 100), `each a share of the draws: ${first}`);
    const sum = first.reduce((a, b) => a + b, 0);
    assert.ok(sum >= 99, `every draw counted at least once: ${sum}`);
    assert.deepEqual(first.slice(1), [100, 100, 100, 100], 'the tied Node.js stacks');

    const drivers = page.getByRole('table', { name: /What the answer turns on/ });
    await drivers.waitFor();
    assert.ok((await drivers.locator('tbody tr').count()) >= 3);

    const before = await seenText(page.getByRole('table', { name: /how often each stack is cheapest/ }));
    await page.getByLabel('Average requests per second', { exact: true }).fill('200000');
    await waitFor(
      async () =>
        (await seenText(page.getByRole('table', { name: /how often each stack is cheapest/ }))) !== before,
      'the draws to rerun',
      20_000,
    );
    const status = page.locator('#uncertainty .progress');
    await waitFor(async () => /the draws in [0-9.]+ ms/.test(await status.textContent()), 'the run to finish', 20_000);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

/** The Monte Carlo's table and the sweep's table, as text. */
async function uncertaintyTables(page) {
  const outcomes = page.getByRole('table', { name: /how often each stack is cheapest/ });
  const drivers = page.getByRole('table', { name: /What the answer turns on/ });
  return { outcomes: await seenText(outcomes), drivers: await seenText(drivers) };
}

/**
 * Changes the traffic away from the link's and back, each time waiting for
 * the run to finish where `done` says. These runs reuse the first run's
 * plan: the second with a plan keeps the figures it draws and the later
 * ones read them, and back at the link's traffic each must show what a
 * fresh page shows.
 */
async function awayAndBack(page, shown, done, name) {
  const field = page.getByLabel(TRAFFIC_LABEL, { exact: true });
  for (const [rps, same] of [['5000', false], ['20000', true], ['5000', false], ['20000', true]]) {
    await field.fill(rps);
    await waitFor(
      async () =>
        done.test(await uncertaintyStatus(page).textContent()) &&
        isDeepStrictEqual(await uncertaintyTables(page), shown) === same,
      `the run at ${rps} requests per second (${name})`,
      30_000,
    );
  }
}

/** Records every text the uncertainty status shows, in `window.statuses`. */
function recordStatuses() {
  window.statuses = [];
  new MutationObserver(() => {
    const text = document.querySelector('#uncertainty .progress')?.textContent;
    if (text && text !== window.statuses.at(-1)) window.statuses.push(text);
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** Records when the estimate table first shows a row, in `window.tableShownAt`. */
function recordTableShown() {
  new MutationObserver((_, observer) => {
    const table = [...document.querySelectorAll('table')].find((t) =>
      /^Estimate per stack/.test(t.querySelector('caption')?.textContent ?? ''),
    );
    if (table?.querySelector('tbody tr')) {
      window.tableShownAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true });
}

/**
 * Delivers the workers' replies to the page 80 ms apart, in order, so that
 * a run takes the page longer than the 200 ms after which it shows its
 * steps (src/ui/worker.rs, SHOW_STEPS_AFTER_MS), on any machine.
 */
function slowWorkerReplies() {
  const Real = window.Worker;
  let last = 0;
  window.Worker = class extends Real {
    set onmessage(handler) {
      super.onmessage = (event) => {
        if (String(event.data).startsWith('ready')) {
          handler.call(this, event);
          return;
        }
        last = Math.max(last, performance.now()) + 80;
        setTimeout(() => handler.call(this, event), last - performance.now());
      };
    }
    get onmessage() {
      return super.onmessage;
    }
  };
}

/** A busier scenario than the default, so that every table has rows. */
const SCENARIO = '?v=1&rps=20000&peak=4';

test('the answer says "in 100%" only when no draw had another stack cheapest', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    // The ML inference preset: FastAPI is cheapest in a few of the 10,000
    // draws (0.3% of them), so the Node.js stacks and the hybrid are
    // cheapest in 99.7%, not in every draw.
    await page.getByRole('button', { name: 'ML inference service' }).click();
    await waitFor(
      async () => DONE_IN_WORKER.test(await uncertaintyStatus(page).textContent()) && (await probabilities(page))[0] > 0,
      'the preset\'s draws',
      30_000,
    );
    const shares = await probabilities(page);
    assert.ok(shares[0] > 0 && shares[0] < 1, `FastAPI cheapest in a few draws: ${shares}`);
    const certainty = await seenText(page.locator('#answer .certainty'));
    assert.match(certainty, /is cheapest in (>99\.9|99\.\d)%\./, certainty);
    assert.doesNotMatch(certainty, /100%/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the draws and the sweep run in a background worker, with progress, and give the figures the page itself gives', async () => {
  const inWorker = await env.browser.newContext();
  await inWorker.addInitScript(trackWorkers);
  await inWorker.addInitScript(slowWorkerReplies);
  await inWorker.addInitScript(recordStatuses);
  await inWorker.addInitScript(recordTableShown);
  let shown;
  try {
    const page = await inWorker.newPage();
    const { problems } = record(page);
    await page.goto(`${env.origin}/${SCENARIO}`);
    await waitFor(async () => DONE_IN_WORKER.test(await uncertaintyStatus(page).textContent()), 'the worker to finish', 30_000);
    shown = await uncertaintyTables(page);
    // Workers by the cores (two here), each started from its own file
    // beside the page; with more than one, the status says how many.
    const started = await page.evaluate(() => window.workersStarted);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(started.length, workersFor(cores), started.join(', '));
    for (const url of started) assert.match(url, /(^|\/)worker_loader\.js$/);
    if (started.length > 1) {
      assert.match(await uncertaintyStatus(page).textContent(), new RegExp(`in ${started.length} background workers at once`));
    }
    // It is not part of the first load: asked for once the estimate shows.
    const { shownAt, workerAt } = await page.evaluate(() => ({
      shownAt: window.tableShownAt,
      workerAt: performance.getEntriesByType('resource').find((e) => /worker_loader\.js$/.test(e.name))?.startTime,
    }));
    assert.ok(shownAt > 0 && workerAt > shownAt, `table shown at ${shownAt} ms, worker asked for at ${workerAt} ms`);
    // Progress came from the worker step by step: this run, its replies
    // held back, took long enough to show it.
    const statuses = await page.evaluate(() => window.statuses);
    assert.ok(
      statuses.some((s) => /Drawing figures from their ranges: [1-9],[0-9]{3} of 10,000/.test(s)),
      statuses.join('\n'),
    );
    assert.deepEqual(problems, []);
  } finally {
    await inWorker.close();
  }

  // The same link where no worker can start: the page computes the same
  // figures itself (same seed), and says where it computed them. Once with
  // no Worker at all, once with the worker's script refused.
  const setups = {
    'no Worker in this browser': async (context) => {
      await context.addInitScript(() => {
        delete window.Worker;
      });
    },
    "the worker's script cannot be loaded": async (context) => {
      await context.route('**/worker_loader.js', (route) => route.abort());
    },
  };
  for (const [name, setUp] of Object.entries(setups)) {
    const context = await env.browser.newContext();
    await setUp(context);
    try {
      const page = await context.newPage();
      await page.goto(`${env.origin}/${SCENARIO}`);
      await waitFor(async () => DONE_ON_PAGE.test(await uncertaintyStatus(page).textContent()), `the page to finish (${name})`, 30_000);
      assert.deepEqual(await uncertaintyTables(page), shown, name);
      await awayAndBack(page, shown, DONE_ON_PAGE, name);
    } finally {
      await context.close();
    }
  }

  // A browser that reports one logical processor: one worker runs the
  // whole job. One that reports eight: four workers share it, one core
  // left to the page. Either way the figures are the same to the last
  // digit.
  for (const [processors, workers, says] of [
    [1, 1, /, in a background worker: /],
    [8, 4, /, in 4 background workers at once: /],
  ]) {
    const context = await env.browser.newContext();
    await context.addInitScript((n) => {
      Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n });
    }, processors);
    await context.addInitScript(trackWorkers);
    try {
      const page = await context.newPage();
      await page.goto(`${env.origin}/${SCENARIO}`);
      await waitFor(async () => DONE_IN_WORKER.test(await uncertaintyStatus(page).textContent()), `${workers} workers to finish`, 30_000);
      assert.match(await uncertaintyStatus(page).textContent(), says);
      assert.equal((await page.evaluate(() => window.workersStarted)).length, workers);
      assert.deepEqual(await uncertaintyTables(page), shown, `${processors} logical processors`);
      await awayAndBack(page, shown, DONE_IN_WORKER, `${processors} logical processors`);
    } finally {
      await context.close();
    }
  }
});

test('a new estimate never shows the last run\'s share, and a quick run changes the answer once, without a count of draws in between', async () => {
  const { page, context, problems } = await openApp(env);
  try {
    const status = uncertaintyStatus(page);
    await waitFor(async () => DONE_IN_WORKER.test(await status.textContent()), 'the first run', 30_000);
    // Which frames the answer changed in, and what its status line said.
    await page.evaluate(() => {
      window.frame = 0;
      window.answerFrames = new Set();
      window.answerStatuses = [];
      const tick = () => {
        window.frame += 1;
        if (!window.stopFrames) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      const answer = document.getElementById('answer');
      new MutationObserver(() => {
        window.answerFrames.add(window.frame);
        const text = answer.querySelector('.certainty')?.textContent ?? '';
        if (text !== window.answerStatuses.at(-1)) window.answerStatuses.push(text);
      }).observe(answer, { subtree: true, childList: true, characterData: true });
    });
    const before = await status.textContent();
    await page.getByLabel(TRAFFIC_LABEL, { exact: true }).fill('20000');
    await waitFor(async () => {
      const now = await status.textContent();
      return now !== before && DONE_IN_WORKER.test(now);
    }, 'the second run', 30_000);
    const { frames, statuses } = await page.evaluate(() => {
      window.stopFrames = true;
      return { frames: [...window.answerFrames], statuses: window.answerStatuses };
    });
    const wall = Number((await status.textContent()).match(/\(([0-9,]+) ms start to finish/)[1].replace(/,/g, ''));
    if (wall < 200) {
      // The input's frame (the new estimate, and "Checking…"), then one
      // frame with the sweep's drivers and the new run's share.
      assert.equal(statuses.length, 2, `${wall} ms run: ${statuses.join(' | ')}`);
      assert.equal(statuses[0], 'Checking how sure this is…');
      assert.match(statuses[1], /^Over 10,000 draws of the figures' ranges, .+ is cheapest in [0-9.]+%\./);
      assert.equal(frames.length, 2, `answer changed in frames ${frames.join(', ')} of a ${wall} ms run`);
    } else {
      // A slow machine: the steps show once the run has taken 200 ms.
      assert.ok(statuses.some((s) => /of 10,000 draws/.test(s)), `${wall} ms run: ${statuses.join(' | ')}`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a newer input restarts the run, and the older run is never shown', async () => {
  const context = await env.browser.newContext();
  // Holds back every message of the worker's first job (the page numbers
  // its jobs 1, 2, ...; a reply starts with its kind and the job's id) until
  // the test lets them through.
  await context.addInitScript(() => {
    const Real = window.Worker;
    window.held = [];
    window.Worker = class extends Real {
      set onmessage(handler) {
        super.onmessage = (event) => {
          const [kind, id] = String(event.data).split(' ');
          if (kind !== 'ready' && id === '1') window.held.push([kind, () => handler.call(this, event)]);
          else handler.call(this, event);
        };
      }
      get onmessage() {
        return super.onmessage;
      }
    };
  });
  try {
    const page = await context.newPage();
    const { problems } = record(page);
    await page.goto(`${env.origin}/?v=1&rps=2000`);
    // The workers have finished the first run (whole, or a part each);
    // the page has not seen it.
    await waitFor(
      () => page.evaluate(() => window.held.some(([kind]) => kind === 'finished' || kind === 'part')),
      'the first run',
      30_000,
    );
    // The run has shown nothing; past 200 ms the page says it is drawing.
    await waitFor(
      async () => /Drawing figures from their ranges: 0 of 10,000/.test(await uncertaintyStatus(page).textContent()),
      'the status to say the draws are under way',
    );
    assert.equal(await page.getByRole('table', { name: /how often each stack is cheapest/ }).count(), 0);

    await page.getByLabel(TRAFFIC_LABEL, { exact: true }).fill('200000');
    await waitFor(async () => DONE_IN_WORKER.test(await uncertaintyStatus(page).textContent()), 'the second run', 30_000);
    await waitFor(() => /[?&]rps=200000(&|$)/.test(page.url()), 'the link');
    const second = await uncertaintyTables(page);

    // The first run's figures arrive late: the page leaves what it shows.
    const changes = await page.evaluate(async () => {
      let count = 0;
      const panel = document.getElementById('uncertainty');
      const observer = new MutationObserver((records) => {
        count += records.length;
      });
      observer.observe(panel, { subtree: true, childList: true, characterData: true, attributes: true });
      for (const [, deliver] of window.held.splice(0)) deliver();
      await new Promise((done) => setTimeout(done, 300));
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      observer.disconnect();
      return count;
    });
    assert.equal(changes, 0, 'nothing in the panel changed');
    assert.deepEqual(await uncertaintyTables(page), second);
    assert.match(await uncertaintyStatus(page).textContent(), DONE_IN_WORKER);

    // What it shows is the newest input's run: a fresh page at the same
    // link draws the same figures.
    const fresh = await env.browser.newContext();
    try {
      const again = await fresh.newPage();
      await again.goto(page.url());
      await waitFor(async () => DONE_IN_WORKER.test(await uncertaintyStatus(again).textContent()), 'a fresh run', 30_000);
      assert.deepEqual(await uncertaintyTables(again), second);
    } finally {
      await fresh.close();
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
