// Shared by our scenarios: the environment scripts/e2e sets, a `page` that fails the test on
// any uncaught error in the client, logging in through the client's own login page, and the
// check that turns an endpoint this service does not serve yet (404) into a clear failure.
import process from 'node:process';
import { test as base, expect, type APIResponse, type Page } from '@playwright/test';

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these scenarios through scripts/e2e`);
  return value;
}

export const E2E = {
  get user() { return required('E2E_USER'); },
  get pass() { return required('E2E_PASS'); },
  get out() { return process.env.E2E_OUT ?? 'e2e-out'; },
};

/** `page`, with every uncaught exception of the client collected and asserted absent. */
export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: async ({}, use) => {
    await use([]);
  },
  page: async ({ page, pageErrors }, use) => {
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await use(page);
    expect(pageErrors, 'uncaught errors in the client').toEqual([]);
  },
});
export { expect };

/**
 * Logs in through the client's login page, as a person would: the protected home redirects
 * to /login, the form posts to /api/v1/auth/login, the client stores the tokens and goes to
 * the dashboard. Returns the access token the client stored.
 */
export async function loginThroughUi(page: Page): Promise<string> {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await page.getByPlaceholder('you@example.com').fill(E2E.user);
  await page.getByPlaceholder('••••••••').fill(E2E.pass);
  const login = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const answer = await login;
  expect(answer.status(), `POST /api/v1/auth/login: ${await answer.text()}`).toBe(200);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  const token = await page.evaluate(() => window.localStorage.getItem('access_token'));
  expect(token, 'access token stored by the client').toBeTruthy();
  return token as string;
}

/**
 * Fails with a message that says what is missing when the service answers 404 for a route
 * (the endpoint is not in this build of gw2opt), instead of letting a later assertion fail
 * obscurely or a scenario pass without having exercised it.
 */
export async function expectServed(response: APIResponse | import('@playwright/test').Response, what: string) {
  if (response.status() === 404) {
    let detail = '';
    try {
      detail = await response.text();
    } catch {
      // the body may be gone already; the status says enough
    }
    throw new Error(
      `${what} answered 404 ${detail}: this endpoint is not served by this build of gw2opt ` +
        '(not implemented or not merged yet), so the page that needs it cannot work',
    );
  }
}
