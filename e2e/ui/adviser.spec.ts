// The AI adviser page: a recommendation from stored builds, and a workflow followed live
// until its result.
import { expect, ready, test } from './fixtures';

const SLOTS = ['helm', 'shoulders', 'coat', 'gloves', 'leggings', 'boots', 'amulet', 'ring1', 'ring2', 'accessory1', 'accessory2', 'back', 'two_handed'];

test('a recommendation and a gear workflow followed to its result', async ({ page, signIn, shoot, request, account }) => {
  await signIn();
  // A public raid build of mine, in Valkyrie's: the engine finds better.
  const login = await request.post('/api/v1/auth/login', { data: { username: account.username, password: account.password } });
  const token = (await login.json()).access_token as string;
  const name = `Adviser zerker ${Date.now().toString(36)}`;
  const created = await request.post('/api/v1/builds', {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      name,
      profession: 'Warrior',
      specialization: 'Berserker',
      game_mode: 'raid',
      role: 'dps',
      is_public: true,
      equipment: { gear: Object.fromEntries(SLOTS.map((s) => [s, "Valkyrie's"])) },
    },
  });
  expect(created.status()).toBe(201);

  await page.goto('/adviser');
  await ready(page);
  await expect(page.getByRole('heading', { name: 'AI adviser', level: 1 })).toBeVisible();

  // Recommend: my build is a candidate, with its engine DPS.
  await page.getByLabel('Game mode').first().selectOption('raid');
  await page.getByLabel('Profession').selectOption('Warrior');
  await page.getByRole('button', { name: 'Recommend' }).click();
  const candidate = page.locator('.candidates li', { hasText: name });
  await expect(candidate).toBeVisible();
  await expect(candidate).toContainText('DPS');

  // The gear workflow on that build, followed until done.
  await page.getByLabel('One of my builds').selectOption({ label: name });
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.locator('.adviser-run .badge')).toHaveText('done', { timeout: 30_000 });
  await expect(page.locator('.adviser-run tbody tr').first()).toContainText('Gear optimization');
  await expect(page.locator('.adviser-result')).toContainText(`${name}:`);
  await expect(page.locator('.adviser-result')).toContainText('DPS');
  await shoot('adviser');

  // Invalid input is shown on its field.
  await page.getByLabel('Specialization (optional)').fill('Jedi');
  await page.getByRole('button', { name: 'Recommend' }).click();
  await expect(page.getByLabel('Specialization (optional)')).toHaveAttribute('aria-invalid', 'true');
});

test('signed out, the adviser recommends and asks to log in for workflows', async ({ page }) => {
  await page.goto('/adviser');
  await ready(page);
  await page.getByRole('button', { name: 'Recommend' }).click();
  await expect(page.locator('.adviser-answer [role="status"]')).not.toBeEmpty();
  await expect(page.getByText('Log in to run workflows.')).toBeVisible();
});

test('the chat answers a squad request from the engines and says no model was used', async ({ page, signIn, shoot }) => {
  await signIn();
  await page.goto('/adviser');
  await ready(page);
  await page.getByLabel('Your question').fill('2 groups of 5 with Firebrand and Scrapper for a zerg');
  await page.getByRole('button', { name: 'Send' }).click();
  const answer = page.locator('.chat-assistant').first();
  await expect(answer).toContainText('Team Commander');
  await expect(answer).toContainText('synergy grade');
  await expect(answer).toContainText('Answered by the engines alone');
  // The conversation goes on.
  await page.getByLabel('Your question').fill('hello, what can you do?');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.chat-assistant')).toHaveCount(2);
  await shoot('adviser-chat');
});

test('the learning workflow says what the fights taught and plans the squad', async ({ page, signIn }) => {
  await signIn();
  await page.goto('/adviser');
  await ready(page);
  await page.getByLabel('Workflow').selectOption('learning');
  await page.getByLabel('Squad to plan with and without the learned weights').fill('1 group of 3 for a WvW zerg');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.locator('.adviser-run .badge')).toHaveText('done', { timeout: 30_000 });
  const steps = page.locator('.adviser-run tbody tr');
  await expect(steps.first()).toContainText('What our fights taught');
  await expect(steps.nth(1)).toContainText('Team Commander');
  // A fresh service has no trained model: it says so, and plans with the format's weights.
  await expect(page.locator('.adviser-result')).toContainText('No model is selected yet');
});
