// Shared set-up for the end-to-end tests: serve dist/, launch the system
// Chromium through playwright-core, and open the page while recording every
// request, console message and page error.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const DIST = join(HERE, '..', 'dist');
export const ARTIFACTS = join(HERE, 'artifacts');

/** Label of the traffic input, as the model names it. */
export const TRAFFIC_LABEL = 'Average requests per second';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Starts the static server and the browser. Call `close()` when done. */
export async function start() {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error('dist/index.html is missing: run scripts/build.sh first');
  }
  const server = await serve(DIST);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
  return {
    origin: server.origin,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Starts recording on `page`: every request URL, and every console error or
 * warning, page error, failed request and HTTP error. Returns the two lists,
 * filled as the page runs. A request the browser cancels because the page
 * itself navigated away (a reload while the worker's script loads) is not
 * a problem; any other failure is.
 */
export function record(page) {
  const requests = [];
  const problems = [];
  // From a navigation of the page until its new document is parsed, the
  // browser cancels what the old document still had in flight.
  let leaving = false;
  page.on('request', (request) => {
    requests.push(request.url());
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) leaving = true;
  });
  page.on('domcontentloaded', () => {
    leaving = false;
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText ?? '';
    const leftBehind = leaving && error === 'net::ERR_ABORTED' && !request.isNavigationRequest();
    if (!leftBehind) problems.push(`request failed: ${request.url()} ${error}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return { requests, problems };
}

/** The results table, "Estimate per stack". */
export function estimateTable(page) {
  return page.getByRole('table', { name: /^Estimate per stack/ });
}

/**
 * Opens the page in a new context (`options` go to `browser.newContext`;
 * `init`, if given, is `{ script, arg }` for `context.addInitScript`, run
 * before the page's own scripts) and waits until the app has rendered its
 * table and drawn its chart.
 * Returns `{ page, context, requests, problems }`: every request URL, and
 * every console error or warning, page error and failed response.
 */
export async function openApp(env, { init, ...options } = {}) {
  const context = await env.browser.newContext(options);
  if (init) await context.addInitScript(init.script, init.arg);
  const page = await context.newPage();
  const { requests, problems } = record(page);
  await page.goto(`${env.origin}/`);
  await estimateTable(page).locator('tbody tr').first().waitFor();
  await waitFor(() => canvasIsDrawn(page), 'the chart to be drawn');
  return { page, context, requests, problems };
}

/** The canvas as a data URL (changes whenever its pixels change). */
export function canvasPixels(page) {
  return page.locator('canvas').first().evaluate((canvas) => canvas.toDataURL());
}

/** True once the canvas has a buffer and something drawn on it. */
export function canvasIsDrawn(page) {
  return page.locator('canvas').first().evaluate((canvas) => {
    if (canvas.width === 0 || canvas.height === 0) return false;
    const blank = document.createElement('canvas');
    blank.width = canvas.width;
    blank.height = canvas.height;
    return canvas.toDataURL() !== blank.toDataURL();
  });
}

/** Polls `check` (sync or async) until truthy; throws after `ms`. */
export async function waitFor(check, what, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Requests that went anywhere but `origin`. */
export function foreignRequests(requests, origin) {
  return requests.filter((url) => !url.startsWith(`${origin}/`));
}

/**
 * Init script (`context.addInitScript(trackWorkers)`): records the script
 * URL of every Worker the page constructs in `window.workersStarted`.
 */
export function trackWorkers() {
  const Real = window.Worker;
  window.workersStarted = [];
  if (!Real) return;
  window.Worker = class extends Real {
    constructor(url, options) {
      super(url, options);
      window.workersStarted.push(String(url));
    }
  };
}

/**
 * The text of `locator` as a reader sees it (`innerText`), scrolled into
 * view first as a reader would: the panels below the answer are not laid
 * out while off the screen (`content-visibility: auto`, style/app.css),
 * and skipped text has no rendered text until a frame finds it in view.
 */
export async function seenText(locator) {
  // The element's own scrollIntoView lays a skipped panel out to find it;
  // a later frame finds it in view and stops skipping it.
  await locator.evaluate((element) => element.scrollIntoView({ block: 'nearest' }));
  // Whether it is laid out and its text are read in one task: between two
  // of Playwright's calls the page may run a task of its own, such as the
  // end of the frame that lays every skipped panel out once (src/ui/mod.rs,
  // lay_out_once), after which the panel is skipped again until a frame
  // finds it in view.
  let text = null;
  await waitFor(
    async () => {
      text = await locator.evaluate((element) =>
        element.checkVisibility({ contentVisibilityAuto: true }) ? element.innerText : null,
      );
      return text !== null;
    },
    'the text to be laid out in view',
    2_000,
  );
  return text;
}

/** The uncertainty panel's status line. */
export function uncertaintyStatus(page) {
  return page.locator('#uncertainty .progress');
}

/** How many uncertainty workers the page starts for the logical
 * processors the browser reports (src/state/worker.rs, workers_for). */
export const workersFor = (processors) => (processors >= 3 ? Math.min(Math.floor(processors) - 1, 4) : processors >= 2 ? 2 : 1);

/** The status once the draws are done in the background workers (two
 * at once where the machine has two cores, as here). */
export const DONE_IN_WORKER = /^Computed in this browser, in (a background worker|\d+ background workers at once): the draws in [0-9.,]+ ms/;
/** The status once the draws are done on the page itself (no worker). */
export const DONE_ON_PAGE = /^Computed in this browser: the draws in [0-9.,]+ ms/;

/** Opens "More inputs" (every input past the first screen) if it is closed. */
export async function openMoreInputs(page) {
  const more = page.locator('details.more-inputs');
  if (!(await more.evaluate((details) => details.open))) await more.locator('summary').click();
}
