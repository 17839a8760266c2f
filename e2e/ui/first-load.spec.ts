// The first load of the UI, as a visitor on a cold cache gets it: compressed JavaScript bytes
// (the budget is 200 KB) and the time until the page is interactive on this machine.
// Sizes are asserted; times are recorded (speed is a measurement, not a pass/fail), in
// $E2E_OUT/first-load.json next to the screenshots.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { expect, test } from './fixtures';

const BUDGET = 200 * 1024;
const pages = [
  ['/', 'Builds and squads for Guild Wars 2'],
  ['/builds', 'Builds'],
  ['/gear', 'Gear optimizer'],
  ['/squads/new', null],
  ['/commander', 'Team Commander'],
  ['/wvw', null],
  ['/meta', 'Meta'],
] as const;

test('the first load of every area stays within 200 KB of compressed JavaScript', async ({ browser }) => {
  const rows: Record<string, unknown>[] = [];
  for (const [url, heading] of pages) {
    // A new context: an empty cache, as a first visit.
    const context = await browser.newContext();
    const page = await context.newPage();
    const encodings = new Map<string, string>();
    page.on('response', (r) => {
      if (r.url().endsWith('.js')) encodings.set(r.url(), r.headers()['content-encoding'] ?? 'identity');
    });
    await page.goto(url, { waitUntil: 'networkidle' });
    const h1 = page.getByRole('heading', { level: 1 });
    if (heading) await expect(h1).toHaveText(heading);
    else await expect(h1).toBeVisible();
    const metrics = await page.evaluate(() => {
      const scripts = performance
        .getEntriesByType('resource')
        .filter((e): e is PerformanceResourceTiming => e.name.endsWith('.js'));
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const interactive = performance.getEntriesByName('gw2opt:interactive')[0];
      return {
        js_files: scripts.length,
        js_compressed_bytes: scripts.reduce((n, e) => n + e.encodedBodySize, 0),
        js_uncompressed_bytes: scripts.reduce((n, e) => n + e.decodedBodySize, 0),
        dom_interactive_ms: Math.round(nav.domInteractive),
        app_interactive_ms: interactive ? Math.round(interactive.startTime) : null,
        load_event_ms: Math.round(nav.loadEventEnd),
      };
    });
    rows.push({ url, encoding: [...new Set(encodings.values())].join(','), ...metrics });
    expect(metrics.js_compressed_bytes, `${url}: compressed JavaScript`).toBeLessThanOrEqual(BUDGET);
    expect(metrics.js_compressed_bytes, `${url}: served compressed`).toBeLessThan(metrics.js_uncompressed_bytes);
    await context.close();
  }
  const out = process.env.E2E_OUT ?? 'e2e-out';
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'first-load.json'), `${JSON.stringify(rows, null, 2)}\n`);
  console.table(rows);
});
