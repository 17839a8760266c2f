// The web UI's end-to-end scenarios (ui/), run by scripts/e2e against `gw2opt serve` itself
// (the UI embedded in the binary, no proxy) on a fresh SQLite data directory, in Debian's
// Chromium (launch.ts). Screenshots of every page at desktop and phone widths are written
// to $E2E_OUT/ui-screenshots/.
import process from 'node:process';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { launchOptions } from './launch';

const out = process.env.E2E_OUT ?? 'e2e-out';

export default defineConfig({
  testDir: './ui',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  retries: 0,
  workers: 2,
  forbidOnly: true,
  outputDir: path.join(out, 'ui-results'),
  reporter: [['list'], ['json', { outputFile: path.join(out, 'ui-report.json') }]],
  use: {
    baseURL: process.env.E2E_UI_URL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: 'en-GB',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
    launchOptions,
  },
});
