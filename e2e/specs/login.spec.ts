// Logging in through the original client's login page against our accounts service: the form
// post (auth.service.ts), the tokens it stores, a wrong password shown with the service's own
// message, the protected routes, and logging out.
import { test, expect, loginThroughUi, E2E } from './fixtures';

test.describe('Login', () => {
  test('logs in through the login page with a token the service accepts, then logs out', async ({ page }) => {
    const token = await loginThroughUi(page);
    // The stored token is a real one: the service knows whose it is.
    const me = await page.request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status(), await me.text()).toBe(200);
    expect((await me.json()).email).toBe(E2E.user);
    const refresh = await page.evaluate(() => window.localStorage.getItem('refresh_token'));
    expect(refresh).toBeTruthy();

    // A client-side route loads directly (the server falls back to the application).
    await page.goto('/my-builds');
    await expect(page.getByRole('heading', { name: 'Mes Builds' })).toBeVisible();

    await page.getByRole('button', { name: 'Déconnexion' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
    expect(await page.evaluate(() => window.localStorage.getItem('access_token'))).toBeNull();
    // Protected pages send back to the login page.
    await page.goto('/team-commander');
    await expect(page).toHaveURL(/\/login$/);
  });

  test("a wrong password is refused and the page shows the service's message", async ({ page }) => {
    await page.goto('/login');
    await page.getByPlaceholder('you@example.com').fill(E2E.user);
    await page.getByPlaceholder('••••••••').fill('not the right password at all');
    const login = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await page.getByRole('button', { name: 'Se connecter' }).click();
    const answer = await login;
    expect(answer.status()).toBe(401);
    const { detail } = await answer.json();
    expect(detail).toEqual(expect.any(String));
    // The page shows `detail` from the answer (not its generic fallback).
    await expect(page.getByText(detail, { exact: true })).toBeVisible();
    await expect(page).toHaveURL(/\/login$/);
    expect(await page.evaluate(() => window.localStorage.getItem('access_token'))).toBeNull();
  });
});
