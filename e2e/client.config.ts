// Playwright configuration for the original client's own specs (its tests/e2e), unchanged.
// scripts/e2e copies this file into the temporary copy of the client, next to the client's
// playwright.config.ts (with launch.ts as e2e-launch.ts), and runs `npx playwright test -c e2e-client.config.ts` there, so the
// specs and this configuration load the same @playwright/test (the client's pinned version).
//
// What differs from the client's playwright.config.ts, and why:
// - the browser is Debian's Chromium (E2E_CHROMIUM, default /usr/bin/chromium): Playwright's
//   own browser builds cannot be downloaded here;
// - no webServer: scripts/e2e has already built the client and serves it at E2E_BASE_URL with
//   /api proxied to gw2opt serve;
// - no retries (a flaky spec must show), two workers (a two-core machine);
// - reports go to E2E_OUT (list on the terminal, JSON for the summary).
import process from 'node:process';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { launchOptions } from './e2e-launch';

const out = process.env.E2E_OUT ?? 'e2e-out';

export default defineConfig({
  testDir: './tests/e2e',
  // The client's own timeouts.
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  retries: 0,
  workers: 2,
  outputDir: path.join(out, 'client-results'),
  reporter: [
    ['list'],
    ['json', { outputFile: path.join(out, 'client-report.json') }],
  ],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 720 },
    trace: 'off',
    screenshot: 'only-on-failure',
    video: 'off',
    launchOptions,
  },
});
