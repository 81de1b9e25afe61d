// Benchmark (prints figures; not a test): what a user waits for when typing
// into a number field and dragging a slider, on the built page (dist/; build
// it first with scripts/build.sh) in headless Chromium.
//
// Real input through Playwright: `keyboard.press` 120 ms apart into "Average
// requests per second", and a slider dragged three times with 60 mouse moves.
// Each is timed inside the page from the event's own timestamp
// (`event.timeStamp`, set when the browser received it) to the end of the
// next frame (a requestAnimationFrame callback, then a task, so the frame's
// style, layout and paint are done): what the page does for the event before
// it can show anything. The same typing on a bare page with one input, and
// the same drag on a bare page's slider whose value is shown beside it, in
// the same browser, are printed beside them as the floor: a pointer move
// waits for the browser's next frame before it is even dispatched, so a
// drag's floor is most of a frame. Work that the page defers past that frame
// shows as main-thread frames and tasks over 50 ms, caught by
// `long-animation-frame` entries and the Long Tasks API during the run. A
// second pass types the same keys under a trace and prints the main thread's
// busy time per keystroke, from the keystroke to the next one: everything the
// page does for it, deferred work included (what it costs the machine, not
// what the user waits for); and the longest main-thread task of that pass,
// however short (the browser's own entries start at 50 ms). The page's own
// rewrites of the address (`history.replaceState`, at most every 250 ms while
// it types) are timed too, each from the call to its return: the browser's
// work for a new address, which runs just after a frame and holds up whatever
// input comes next. A third pass presses the keys as the page catches up
// after a pause (each 400-432 ms after the one before: the charts and the
// parts off the screen redraw then), timed as above. The last makes eight
// edits, each followed by 1.5 s of quiet, under a trace, and prints the
// main thread's busy time per edit and the longest task after each edit
// (p50 and max): how long the page can keep a key or a frame waiting once
// the user stops typing.
//
//   node scripts/bench-typing.mjs [keys=40] [widths=1280,390]
import { chromium } from 'playwright-core';
import { DIST, TRAFFIC_LABEL, canvasIsDrawn, estimateTable, waitFor } from '../e2e/browser.mjs';
import { serve } from '../e2e/serve.mjs';

const KEYS = Number(process.argv[2] ?? 40);
const WIDTHS = (process.argv[3] ?? '1280,390').split(',').map(Number);
const GAP_MS = 120;
/**
 * Drags of 60 moves each, per slider: a p95 of 60 moves is the third
 * slowest, and moved by a frame or two from run to run; of 180, the ninth.
 */
const DRAGS = 3;
/** The page's quiet time before off-screen work catches up (src/ui/state.rs). */
const SETTLE_MS = 400;

/** The `q` quantile of `xs` (nearest rank). */
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

const fmt = (ms) => `${ms.toFixed(1)} ms`;

/**
 * Installed in the page before it loads: times every trusted keydown, and
 * every pointermove with a button down, from the event's timestamp to the
 * end of the next frame (requestAnimationFrame, then a task: the frame's
 * style, layout and paint are done by then), and records long frames and
 * tasks. Samples land on `window.__bench`.
 */
function instrument() {
  const bench = { samples: [], longest: 0, longTasks: 0, recording: false };
  window.__bench = bench;
  const time = (kind) => (event) => {
    if (!event.isTrusted || (kind === 'drag' && event.buttons === 0)) return;
    const start = event.timeStamp;
    requestAnimationFrame(() =>
      setTimeout(() => bench.samples.push({ kind, ms: performance.now() - start }), 0),
    );
  };
  bench.rewrites = [];
  const replaceState = History.prototype.replaceState;
  History.prototype.replaceState = function (...args) {
    const start = performance.now();
    try {
      return replaceState.apply(this, args);
    } finally {
      if (bench.recording) bench.rewrites.push(performance.now() - start);
    }
  };
  addEventListener('keydown', time('key'), true);
  addEventListener('pointermove', time('drag'), true);
  for (const type of ['long-animation-frame', 'longtask']) {
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (!bench.recording) continue;
          bench.longest = Math.max(bench.longest, entry.duration);
          if (entry.duration > 50) bench.longTasks += 1;
        }
      }).observe({ type, buffered: false });
    } catch {
      // Not supported here: the longest task is then not reported.
    }
  }
}

/** Clears the page's samples and starts recording them. */
function startRecording(page) {
  return page.evaluate(() => {
    Object.assign(window.__bench, { samples: [], longest: 0, longTasks: 0, rewrites: [], recording: true });
  });
}

/** Stops recording and returns what was recorded. */
function stopRecording(page) {
  return page.evaluate(() => {
    window.__bench.recording = false;
    const { samples, longest, longTasks, rewrites } = window.__bench;
    return { samples, longest, longTasks, rewrites };
  });
}

async function typeInto(page, field, keys) {
  await field.click();
  await page.keyboard.press('End');
  await startRecording(page);
  // Type digits and take them away again, so the value stays in range.
  for (let i = 0; i < keys; i += 1) {
    const key = i % 4 < 2 ? String((i * 7) % 10) : 'Backspace';
    await page.keyboard.press(key);
    await page.waitForTimeout(GAP_MS);
  }
  await page.waitForTimeout(SETTLE_MS + 200);
  return stopRecording(page);
}

/**
 * Types `keys` keys, each as the page catches up after the one before: the
 * inputs have been quiet for the settling time, and the parts off the
 * screen (charts, the answer, the table) redraw. The gaps step through the
 * first 32 ms of that catch-up, so some keys land in the middle of it.
 */
async function typeAsItCatchesUp(page, field, keys) {
  await field.click();
  await page.keyboard.press('End');
  await page.waitForTimeout(SETTLE_MS + 600);
  await startRecording(page);
  for (let i = 0; i < keys; i += 1) {
    await page.keyboard.press(i % 2 === 0 ? String((i * 7) % 10) : 'Backspace');
    await page.waitForTimeout(SETTLE_MS + (i % 9) * 4);
  }
  await page.waitForTimeout(SETTLE_MS + 600);
  return stopRecording(page);
}

async function dragSlider(page, slider) {
  const box = await slider.boundingBox();
  await startRecording(page);
  const y = box.y + box.height / 2;
  for (let drag = 0; drag < DRAGS; drag += 1) {
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.mouse.down();
    for (let i = 1; i <= 60; i += 1) {
      await page.mouse.move(box.x + box.width * (0.3 + (0.4 * i) / 60), y);
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
    await page.waitForTimeout(SETTLE_MS + 200);
  }
  return page.evaluate(() => {
    window.__bench.recording = false;
    return {
      samples: window.__bench.samples.filter((s) => s.kind === 'drag'),
      longest: window.__bench.longest,
      longTasks: window.__bench.longTasks,
    };
  });
}

/**
 * Stops the trace begun on `browser` and returns the complete events of the
 * renderer's main thread (times in microseconds).
 */
async function mainThreadEvents(browser) {
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const threads = new Map(
    events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]),
  );
  return events.filter((e) => e.ph === 'X' && threads.get(`${e.pid}:${e.tid}`) === 'CrRendererMain');
}

/** Trace event names by the phase they count towards. */
const PHASES = {
  FunctionCall: 'script',
  UpdateLayoutTree: 'style',
  Layout: 'layout',
  PrePaint: 'pre-paint',
  Paint: 'paint',
  Layerize: 'layerize',
  Commit: 'commit',
};

/**
 * Types `keys` keys as `typeInto` does, under a trace, and returns the
 * renderer main thread's busy time per keystroke and its split by phase.
 */
async function busyPerKey(browser, page, field, keys) {
  await field.click();
  await page.keyboard.press('End');
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  for (let i = 0; i < keys; i += 1) {
    await page.keyboard.press(i % 4 < 2 ? String((i * 7) % 10) : 'Backspace');
    await page.waitForTimeout(GAP_MS);
  }
  await page.waitForTimeout(SETTLE_MS + 300);
  const main = await mainThreadEvents(browser);
  let busy = 0;
  let longestTask = 0;
  const phases = {};
  for (const e of main) {
    if (e.name === 'RunTask') {
      busy += e.dur / 1000;
      longestTask = Math.max(longestTask, e.dur / 1000);
    }
    const phase = PHASES[e.name];
    if (phase) phases[phase] = (phases[phase] ?? 0) + e.dur / 1000;
  }
  const order = [...new Set(Object.values(PHASES))];
  return {
    busy: busy / keys,
    longestTask,
    phases: order.map((phase) => [phase, (phases[phase] ?? 0) / keys]),
  };
}

/**
 * Makes `edits` single-key edits, each followed by a pause of 1.5 s (the
 * page settles, the uncertainty reruns, the parts off the screen catch
 * up), under a trace: the renderer main thread's busy time per edit, and
 * its longest task after each edit, p50 and max: how long the page can
 * hold up a key or a frame once the user stops typing.
 */
async function settlingUnderTrace(browser, page, field, edits) {
  await field.click();
  await page.keyboard.press('End');
  await page.waitForTimeout(SETTLE_MS + 600);
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  for (let i = 0; i < edits; i += 1) {
    await page.keyboard.press(i % 2 === 0 ? String((i * 7) % 10) : 'Backspace');
    await page.waitForTimeout(1_500);
  }
  const main = await mainThreadEvents(browser);
  const tasks = main.filter((e) => e.name === 'RunTask');
  // Each edit's window runs from its keydown to the next edit's.
  const bounds = main
    .filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown')
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  const longestPerEdit = bounds.map((from, k) => {
    const to = bounds[k + 1] ?? Infinity;
    return Math.max(0, ...tasks.filter((t) => t.ts >= from && t.ts < to).map((t) => t.dur / 1000));
  });
  const busy = tasks.filter((t) => t.ts >= (bounds[0] ?? 0)).reduce((sum, t) => sum + t.dur / 1000, 0);
  return { busy: busy / Math.max(1, bounds.length), longestPerEdit };
}

function report(label, { samples, longest, longTasks }) {
  const ms = samples.map((s) => s.ms);
  if (ms.length === 0) {
    console.log(`${label.padEnd(34)} no samples`);
    return;
  }
  console.log(
    `${label.padEnd(34)} n=${String(ms.length).padStart(3)}  p50 ${fmt(quantile(ms, 0.5)).padStart(8)}  p95 ${fmt(
      quantile(ms, 0.95),
    ).padStart(8)}  max ${fmt(Math.max(...ms)).padStart(8)}  ${
      // Long-animation-frame and Long Tasks entries start at 50 ms.
      longTasks === 0 ? 'no frame or task over 50 ms' : `longest frame/task ${fmt(longest)} (${longTasks} over 50 ms)`
    }`,
  );
}

const server = await serve(DIST);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  console.log(
    `typing ${KEYS} keys ${GAP_MS} ms apart, and ${DRAGS} drags of a slider in 60 moves; each event to the end of the next frame`,
  );
  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: width < 640 ? 844 : 900 } });
    await context.addInitScript(instrument);

    const bare = await context.newPage();
    await bare.route('**/bare.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body:
          '<!doctype html><label>Number <input id="n" type="number" value="2000"></label>' +
          '<p><label>Range <input id="r" type="range" min="0" max="100" style="width: 300px"></label></p>' +
          '<output id="o"></output><script>r.oninput = () => { o.value = r.value; };</script>',
      }),
    );
    await bare.goto(`${server.origin}/bare.html`);
    report(`bare page, one input (${width} px)`, await typeInto(bare, bare.locator('#n'), KEYS));
    report(`bare page, one slider (${width} px)`, await dragSlider(bare, bare.locator('#r')));
    await bare.close();

    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await estimateTable(page).locator('tbody tr').first().waitFor();
    await waitFor(() => canvasIsDrawn(page), 'the chart to be drawn', 30_000);
    await page.waitForTimeout(2_000); // the first uncertainty run
    const field = page.getByLabel(TRAFFIC_LABEL, { exact: true });
    await field.scrollIntoViewIfNeeded();
    const typed = await typeInto(page, field, KEYS);
    report(`Stackwise, typing (${width} px)`, typed);
    const { rewrites } = typed;
    console.log(
      rewrites.length === 0
        ? `${`Stackwise, address rewrites (${width} px)`.padEnd(34)} none while typing`
        : `${`Stackwise, address rewrites (${width} px)`.padEnd(34)} n=${String(rewrites.length).padStart(3)}  p50 ${fmt(
            quantile(rewrites, 0.5),
          ).padStart(8)}  p95 ${fmt(quantile(rewrites, 0.95)).padStart(8)}  max ${fmt(Math.max(...rewrites)).padStart(8)}`,
    );
    const { busy, longestTask, phases } = await busyPerKey(browser, page, field, KEYS);
    console.log(
      `${`Stackwise, main thread per key (${width} px)`.padEnd(34)} busy ${fmt(busy).padStart(8)}: ${phases
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ')}; longest task ${fmt(longestTask)}`,
    );
    report(`Stackwise, keys as it catches up (${width} px)`, await typeAsItCatchesUp(page, field, KEYS));
    const settling = await settlingUnderTrace(browser, page, field, 8);
    console.log(
      `${`Stackwise, after an edit (${width} px)`.padEnd(34)} busy ${fmt(settling.busy).padStart(8)} an edit; longest task p50 ${fmt(
        quantile(settling.longestPerEdit, 0.5),
      )}, max ${fmt(Math.max(...settling.longestPerEdit))}`,
    );
    const slider = page.locator('input[type="range"]').first();
    await slider.scrollIntoViewIfNeeded();
    report(`Stackwise, dragging a slider (${width} px)`, await dragSlider(page, slider));
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
