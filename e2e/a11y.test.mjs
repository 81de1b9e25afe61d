// Accessibility scan of the rendered page with axe-core (injected from
// node_modules, so the page still makes no outside request).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { openApp, start } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`axe finds no violations (${colorScheme})`, async () => {
    // axe is injected as an inline script, which the page's CSP refuses.
    const { page, context } = await openApp(env, { colorScheme, bypassCSP: true });
    try {
      // Open every disclosure so the scan sees the breakdowns and figures too.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map(
          (v) => `${v.impact}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
        );
      });
      assert.deepEqual(violations, []);
    } finally {
      await context.close();
    }
  });
}
