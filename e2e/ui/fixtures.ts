// What every UI scenario shares:
// - `page` fails the test on any console error (but the 4xx answers the UI shows), uncaught
//   exception or CSP violation;
// - `account` is a fresh user (registered through the API), `signIn` logs the page's
//   browser context in through the cookie session the UI itself uses;
// - `shoot(name)` saves desktop (1440×900) and phone (360×740) screenshots of the page as it
//   is, to $E2E_OUT/ui-screenshots/<name>-desktop.png and -phone.png.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import process from 'node:process';
import { test as base, expect, type Page } from '@playwright/test';

export interface Account {
  username: string;
  email: string;
  password: string;
}

const shots = path.join(process.env.E2E_OUT ?? 'e2e-out', 'ui-screenshots');

/** A file of the repository (scripts/e2e runs a copy of e2e/ elsewhere and says where the
 * repository is in E2E_REPO). */
export function repoFile(relative: string): string {
  const root = process.env.E2E_REPO ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  return path.join(root, relative);
}

export const test = base.extend<{
  consoleErrors: string[];
  account: Account;
  signIn: (account?: Account) => Promise<Account>;
  shoot: (name: string) => Promise<void>;
}>({
  // Automatic: every test that opens a page gets the guard.
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        // Chromium logs every 4xx answer as "Failed to load resource": an API refusal the UI
        // shows to the user (a 422 on a field, a 401 from a wrong password) is expected
        // behaviour, not a UI error. Server errors (5xx) and everything else count.
        if (message.type() !== 'error') return;
        const text = message.text();
        if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
        errors.push(text);
      });
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      await use(errors);
      expect(errors, 'console errors on the page').toEqual([]);
    },
    { auto: true },
  ],
  account: async ({ request }, use) => {
    const id = randomBytes(5).toString('hex');
    const account = { username: `ui_${id}`, email: `ui_${id}@example.com`, password: 'correct horse 42 battery' };
    const response = await request.post('/api/v1/auth/register', {
      data: { username: account.username, email: account.email, password: account.password },
    });
    expect(response.status(), await response.text()).toBe(201);
    await use(account);
  },
  signIn: async ({ page, account }, use) => {
    await use(async (who = account) => {
      const response = await page.request.post('/api/v1/auth/session', {
        headers: { 'X-Requested-With': 'gw2opt' },
        data: { username: who.username, password: who.password },
      });
      expect(response.status(), await response.text()).toBe(200);
      return who;
    });
  },
  shoot: async ({ page }, use) => {
    await use(async (name: string) => {
      const size = page.viewportSize() ?? { width: 1440, height: 900 };
      await page.screenshot({ path: path.join(shots, `${name}-desktop.png`), fullPage: true });
      await page.setViewportSize({ width: 360, height: 740 });
      await page.waitForTimeout(300);
      // Nothing may overflow the phone's width (a horizontal scroll of the whole page).
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name}: page wider than a 360 px phone`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(shots, `${name}-phone.png`), fullPage: true });
      await page.setViewportSize(size);
    });
  },
});

export { expect };

/** Waits until the app has rendered its shell (and the session check answered). */
export async function ready(page: Page) {
  await expect(page.locator('main#content')).toBeVisible();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}
