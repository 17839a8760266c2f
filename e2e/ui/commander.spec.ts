// Team Commander: requests in English and French (and a template), the answer as groups of
// build cards with the synergy grade and the request's understood parts, an impossible request
// refused on the field, and the squad saved as a team and opened in the squad planner.
import { expect, ready, test } from './fixtures';

test('Team Commander builds squads from English and French requests and saves one as a team', async ({ page, signIn, shoot }) => {
  await signIn();
  // From the home page's box: the request is in the address and sent at once.
  await page.goto(`/commander?q=${encodeURIComponent('squad of 15 for a zerg with 2 firebrands per group')}`);
  await ready(page);
  await expect(page.locator('.build-card')).toHaveCount(15);
  await expect(page.getByRole('heading', { name: 'Group 3' })).toBeVisible();
  for (let g = 0; g < 3; g++) {
    await expect(page.locator('.group').nth(g).locator('.build-card', { has: page.locator('h4:text-is("Firebrand")') })).toHaveCount(2);
  }
  await expect(page.locator('.grade')).toHaveText(/^[SABC]$/);
  await expect(page.locator('.request-view mark', { hasText: '2 firebrands' })).toBeVisible();
  const card = page.locator('.build-card').first();
  await expect(card.locator('dt', { hasText: 'Rune' })).toBeVisible();
  await expect(card.locator('dt', { hasText: 'Sigils' })).toBeVisible();
  await expect(card.locator('dt', { hasText: 'Relic' })).toBeVisible();
  await expect(card).toContainText('Burst damage');
  await expect(card.locator('.bar > span')).toHaveCount(4);
  await expect(page.locator('table.heatmap tbody tr')).toHaveCount(3);

  // What cannot be honoured is said on the request's field.
  const request = page.getByLabel('Your request (French or English)');
  await request.fill('squad of 60 players');
  await page.getByRole('button', { name: 'Build the squad' }).click();
  await expect(request).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field-error')).toContainText('50');

  // French, with a part the parser does not know: highlighted and warned about.
  await request.fill('escouade de 10 joueurs pour zerg avec 2 gardiens par groupe, vite');
  await page.getByRole('button', { name: 'Build the squad' }).click();
  await expect(request).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.build-card')).toHaveCount(10);
  for (let g = 0; g < 2; g++) {
    await expect(page.locator('.group').nth(g).locator('.build-card', { hasText: 'Guardian' })).toHaveCount(2);
  }
  await expect(page.locator('.request-view mark.understood', { hasText: '2 gardiens' })).toBeVisible();
  await expect(page.locator('.request-view mark.not-understood', { hasText: 'vite' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'not understood' })).toBeVisible();
  await expect(page.locator('.grade')).toHaveText(/^[SABC]$/);
  await shoot('team-commander');

  // Saved as a team, opened in the planner with the same groups.
  await page.getByLabel('Team name').fill('E2E commander squad');
  await page.getByRole('button', { name: 'Save the squad' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved as a team.' })).toBeVisible();
  await page.getByRole('link', { name: 'Open it in the squad planner' }).click();
  await expect(page).toHaveURL(/\/squads\/[0-9a-f-]{36}$/);
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('E2E commander squad');
  await expect(page.locator('.party-list[data-party="0"] .member')).toHaveCount(5);
  await expect(page.locator('.party-list[data-party="1"] .member')).toHaveCount(5);
  await expect(page.locator('.party-list[data-party="0"] .member', { hasText: /Firebrand|Dragonhunter|Willbender|Guardian/ })).toHaveCount(2);
  await expect(page.locator('table.heatmap tbody tr')).toHaveCount(2);
  await expect(page.locator('.coverage .grade')).toHaveText(/^[SABC]$/);
});

test('a template fills the request and answers, in French too', async ({ page }) => {
  await page.goto('/commander');
  await ready(page);
  await page.getByText('Or start from a template').click();
  await page.getByRole('button', { name: 'Use “Roaming 5 (EN)”' }).click();
  await expect(page.locator('.build-card')).toHaveCount(5);
  await expect(page.getByLabel('Your request (French or English)')).not.toHaveValue('');
  // Anonymous: saving asks to log in.
  await expect(page.getByText('Log in to save the squad as a team.')).toBeVisible();

  await page.getByLabel('Language').selectOption('fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Team Commander');
  await expect(page.getByRole('button', { name: 'Composer l’escouade' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Groupe 1' })).toBeVisible();
  // Asked again in French, the planner's own texts (reasons, notes, synergy details) are French.
  await page.getByRole('button', { name: 'Composer l’escouade' }).click();
  await expect(page.locator('.build-card').first()).toContainText(/Demandé|Choisi par l’optimiseur|Choisi par l'optimiseur/);
  await expect(page.getByText(/couvert ; entièrement dans/).first()).toBeVisible();
});
