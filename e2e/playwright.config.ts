// Our own end-to-end scenarios (specs/), run by scripts/e2e against the original client built
// from ../shared/clients/gw2optimizer-frontend, served at E2E_BASE_URL with /api proxied to
// gw2opt serve. The browser is Debian's Chromium (launch.ts).
import process from 'node:process';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { launchOptions } from './launch';

const out = process.env.E2E_OUT ?? 'e2e-out';

export default defineConfig({
  testDir: './specs',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  // A flaky scenario must show, not be retried away.
  retries: 0,
  workers: 2,
  forbidOnly: true,
  outputDir: path.join(out, 'own-results'),
  reporter: [
    ['list'],
    ['json', { outputFile: path.join(out, 'own-report.json') }],
  ],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: 'fr-FR',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
    launchOptions,
  },
});
