// Sign up, log in and out, the profile, the language switch, deep links and the service's
// page headers: the shell every other scenario relies on.
import { expect, ready, test } from './fixtures';

test('a visitor signs up in the UI, is signed in, logs out and logs back in', async ({ page, shoot }) => {
  const id = Date.now().toString(36);
  await page.goto('/register');
  await ready(page);
  await shoot('register');
  await page.getByLabel('E-mail').fill(`new_${id}@example.com`);
  await page.getByLabel('Username', { exact: true }).fill(`new_${id}`);
  await page.getByLabel('Password', { exact: true }).fill('correct horse 42 battery');
  await page.getByLabel('Confirm the password').fill('correct horse 42 battery');
  await page.getByRole('button', { name: 'Create the account' }).click();
  // Signed in: the account menu carries the username.
  await expect(page.locator('.account-menu summary')).toHaveText(`new_${id}`);
  await expect(page).toHaveURL(/\/$/);

  // A reload keeps the session (the refresh cookie), without any token in storage.
  await page.reload();
  await expect(page.locator('.account-menu summary')).toHaveText(`new_${id}`);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  expect(stored).not.toContain('eyJ'); // no JWT readable by scripts
  const cookies = await page.context().cookies();
  const refresh = cookies.find((c) => c.name === 'gw2opt_refresh');
  expect(refresh?.httpOnly).toBe(true);
  expect(refresh?.sameSite).toBe('Strict');

  await page.locator('.account-menu summary').click();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();

  await page.getByRole('link', { name: 'Log in' }).click();
  await page.getByLabel('Username or e-mail').fill(`new_${id}`);
  await page.getByLabel('Password').fill('wrong password 1');
  await page.getByRole('button', { name: 'Log in' }).last().click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('Password').fill('correct horse 42 battery');
  await page.getByRole('button', { name: 'Log in' }).last().click();
  await expect(page.locator('.account-menu summary')).toHaveText(`new_${id}`);
  await shoot('home-signed-in');
});

test('registration errors are shown on the field', async ({ page, account }) => {
  await page.goto('/register');
  await ready(page);
  await page.getByLabel('E-mail').fill('someone-else@example.com');
  await page.getByLabel('Username', { exact: true }).fill(account.username); // taken
  await page.getByLabel('Password', { exact: true }).fill('correct horse 42 battery');
  await page.getByLabel('Confirm the password').fill('correct horse 42 battery');
  await page.getByRole('button', { name: 'Create the account' }).click();
  await expect(page.getByLabel('Username', { exact: true })).toHaveAttribute('aria-invalid', 'true');
});

test('the profile shows the login history and changes the profile', async ({ page, signIn, shoot }) => {
  const me = await signIn();
  await page.goto('/profile');
  await ready(page);
  await expect(page.getByRole('heading', { name: 'Profile', level: 1 })).toBeVisible();
  await expect(page.getByText(me.email)).toBeVisible();
  // The sign-in above is in the history.
  await expect(page.locator('table tbody tr').first()).toContainText('Success');
  await page.getByLabel('Full name (optional)').fill('Commander Ayla');
  await page.getByRole('button', { name: 'Save the profile' }).click();
  await expect(page.getByRole('status')).toHaveText('Profile saved.');
  await page.reload();
  await expect(page.getByLabel('Full name (optional)')).toHaveValue('Commander Ayla');
  await shoot('profile');
});

test.describe('with a French browser', () => {
  test.use({ locale: 'fr-FR' });
  test('the language is taken from the browser and can be switched', async ({ page, shoot }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Builds et escouades pour Guild Wars 2');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await shoot('home-fr');
    await page.getByLabel('Langue').selectOption('en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Builds and squads for Guild Wars 2');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Builds and squads for Guild Wars 2');
  });
});

test('deep links load the app, unknown pages say so, the API keeps its errors', async ({ page, request }) => {
  await page.goto('/some/unknown/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  const api = await request.get('/api/v1/does-not-exist');
  expect(api.status()).toBe(404);
  expect(await api.json()).toMatchObject({ code: 'not_found' });
  const html = await request.get('/builds/123');
  expect(html.status()).toBe(200);
  expect(html.headers()['content-type']).toContain('text/html');
  expect(html.headers()['content-security-policy']).toContain("script-src 'self'");
});

test('the phone layout has a menu button and keyboard navigation works', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/');
  await ready(page);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Builds' }).click();
  await expect(page).toHaveURL(/\/builds$/);
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
});
