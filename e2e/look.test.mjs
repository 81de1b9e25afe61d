// How the page looks: light, dark and a 360 px phone. Screenshots go to
// e2e/artifacts/ (git-ignored) for a person to look at; the assertions cover
// what can be checked mechanically (no horizontal scrolling, a crisp chart
// buffer, dark colours actually applied).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, openApp, start } from './browser.mjs';

let env;
before(async () => {
  env = await start();
  mkdirSync(ARTIFACTS, { recursive: true });
});
after(async () => {
  await env?.close();
});

/** Canvas buffer vs CSS size, and the device pixel ratio. */
function canvasGeometry(page) {
  return page.locator('canvas').first().evaluate((canvas) => {
    const rect = canvas.getBoundingClientRect();
    return {
      buffer: [canvas.width, canvas.height],
      css: [rect.width, rect.height],
      ratio: window.devicePixelRatio,
    };
  });
}

function assertCrisp({ buffer, css, ratio }) {
  assert.equal(buffer[0], Math.round(css[0] * ratio), `buffer width for ratio ${ratio}`);
  assert.equal(buffer[1], Math.round(css[1] * ratio), `buffer height for ratio ${ratio}`);
}

for (const [name, options] of [
  ['light', { colorScheme: 'light', viewport: { width: 1200, height: 900 } }],
  ['dark', { colorScheme: 'dark', viewport: { width: 1200, height: 900 } }],
  [
    'phone',
    {
      colorScheme: 'light',
      viewport: { width: 360, height: 780 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    },
  ],
]) {
  test(`${name}: renders without overflow, chart sized for the screen`, async () => {
    const { page, context, problems } = await openApp(env, options);
    try {
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
      assertCrisp(await canvasGeometry(page));

      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const dark = name === 'dark';
      const [r, g, b] = background.match(/\d+/g).map(Number);
      assert.equal(r + g + b < 3 * 128, dark, `body background ${background} for ${name}`);

      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}
