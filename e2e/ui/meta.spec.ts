// The meta dashboard (/meta): builds seeded through the API show up as charts and tables for
// their game mode; switching the mode changes the counts and the URL; names follow the language.
import { expect, ready, test } from './fixtures';
import type { APIRequestContext } from '@playwright/test';
import type { Account } from './fixtures';

async function seed(request: APIRequestContext, account: Account) {
  const login = await request.post('/api/v1/auth/login', {
    data: { username: account.username, password: account.password },
  });
  expect(login.status(), await login.text()).toBe(200);
  const { access_token: token } = (await login.json()) as { access_token: string };
  const headers = { Authorization: `Bearer ${token}` };
  const builds = [
    { name: 'Meta FB', profession: 'Guardian', specialization: 'Firebrand', game_mode: 'wvw_zerg', role: 'support' },
    { name: 'Meta FB 2', profession: 'Guardian', specialization: 'Firebrand', game_mode: 'wvw', role: 'support' },
    { name: 'Meta Scourge', profession: 'Necromancer', specialization: 'Scourge', game_mode: 'wvw', role: 'support' },
    { name: 'Meta Berserker', profession: 'Warrior', specialization: 'Berserker', game_mode: 'raid', role: 'dps' },
  ];
  for (const build of builds) {
    const response = await request.post('/api/v1/builds', { headers, data: { ...build, is_public: true } });
    expect(response.status(), await response.text()).toBe(201);
  }
  const saved = await request.post('/api/v1/saved-builds', {
    headers,
    data: { name: 'Graded FB', profession: 'Guardian', specialization: 'Firebrand', game_mode: 'wvw', synergy_score: 'S' },
  });
  expect(saved.status(), await saved.text()).toBe(201);
}

test('the dashboard charts a mode, switches mode and speaks French', async ({ page, request, account, shoot }) => {
  await seed(request, account);
  await page.goto('/meta');
  await ready(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Meta' })).toBeVisible();
  await expect(page.getByLabel('Game mode')).toHaveValue('wvw');

  const professions = page.locator('section[aria-labelledby="meta-professions"]');
  const archetypes = page.locator('section[aria-labelledby="meta-archetypes"]');
  await expect(professions.getByRole('rowheader', { name: 'Guardian' })).toBeVisible();
  await expect(professions.getByRole('rowheader', { name: 'Necromancer' })).toBeVisible();
  await expect(archetypes.getByRole('rowheader', { name: 'Firebrand' })).toBeVisible();
  await expect(archetypes.getByRole('rowheader', { name: 'Scourge' })).toBeVisible();
  // The Firebrand's saved build was graded S: the archetype and the synergy table say so.
  await expect(archetypes.getByRole('row').filter({ hasText: 'Firebrand' }).locator('.grade-S')).toBeVisible();
  await expect(page.locator('section[aria-labelledby="meta-synergies"] .grade-S')).toBeVisible();
  // Two charts (professions, archetypes).
  await expect(page.locator('figure.chart canvas')).toHaveCount(2);
  await expect(page.getByRole('img', { name: /Entries per profession\..*Guardian: \d+/ })).toBeVisible();
  await shoot('meta');

  // Another mode: the raid build, and the mode in the URL.
  await page.getByLabel('Game mode').selectOption('raid');
  await expect(page).toHaveURL(/\/meta\?mode=raid$/);
  await expect(archetypes.getByRole('rowheader', { name: 'Berserker' })).toBeVisible();
  await expect(professions.getByRole('rowheader', { name: 'Warrior' })).toBeVisible();
  await expect(page.getByText('Modes counted: Raids')).toBeVisible();

  // Back to WvW, in French: the game's names in French.
  await page.getByLabel('Game mode').selectOption('wvw');
  await page.getByLabel('Language').selectOption('fr');
  await expect(page.getByRole('heading', { level: 1, name: 'Méta' })).toBeVisible();
  await expect(professions.getByRole('rowheader', { name: 'Gardien' })).toBeVisible();
  await expect(archetypes.getByRole('rowheader', { name: 'Incendiaire' })).toBeVisible();
  await page.getByLabel('Langue').selectOption('en');
});
