// The squad planner: players added from a saved build and from a specialization, moved
// between parties with the keyboard buttons and by drag and drop, the coverage heat map and
// grade, the squad optimizer, saving as a team and reopening its share link.
import type { Page } from '@playwright/test';
import { expect, ready, test } from './fixtures';

/** Names per party as the planner shows them. */
async function parties(page: Page): Promise<string[][]> {
  return page.$$eval('.party-list', (lists) =>
    lists.map((l) => [...l.querySelectorAll('.member strong')].map((s) => s.textContent ?? '')),
  );
}

/** Name, specialization and role of everyone, per party. */
async function composition(page: Page): Promise<string[][]> {
  return page.$$eval('.party-list', (lists) =>
    lists.map((l) =>
      [...l.querySelectorAll('.member')].map((m) => {
        const name = m.querySelector('strong')?.textContent ?? '';
        const select = m.querySelector('select');
        const build = select ? (select.selectedOptions[0]?.textContent ?? '') : (m.querySelector('.member-main > span.muted')?.textContent ?? '');
        return `${name}: ${build}`;
      }),
    ),
  );
}

const member = (page: Page, name: string) => page.locator('.member', { has: page.locator(`strong:text-is("${name}")`) });
const party = (page: Page, n: number) => page.locator(`.party-list[data-party="${n - 1}"]`);

test('a commander plans a squad, moves players, optimizes it, saves it and reopens the share link', async ({
  page,
  account,
  signIn,
  shoot,
}) => {
  await signIn();
  // One public build of this account, to be found by the planner's build search.
  const login = await page.request.post('/api/v1/auth/login', { data: { username: account.username, password: account.password } });
  expect(login.status(), await login.text()).toBe(200);
  const { access_token: token } = (await login.json()) as { access_token: string };
  const buildName = `E2E Firebrand ${account.username}`;
  const created = await page.request.post('/api/v1/builds', {
    headers: { Authorization: `Bearer ${token}` },
    data: { name: buildName, profession: 'Guardian', specialization: 'Firebrand', game_mode: 'wvw_zerg', role: 'support', is_public: true },
  });
  expect(created.status(), await created.text()).toBe(201);

  await page.goto('/squads/new');
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('New squad');

  // A player with a saved build, found by the search.
  await page.getByLabel('Add to').selectOption({ label: 'New player in party 1' });
  await page.getByLabel('Player name').fill('Ann');
  await page.getByLabel('Build', { exact: true }).selectOption({ label: 'A saved build' });
  await page.getByRole('textbox', { name: 'Search builds' }).fill(buildName);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.getByRole('button', { name: `Add ${buildName}` }).click();
  await expect(party(page, 1)).toContainText('Ann');
  await expect(member(page, 'Ann')).toContainText('Firebrand · Support');
  await expect(member(page, 'Ann').getByRole('link', { name: buildName })).toBeVisible();

  // Players with a profession, a specialization and a role.
  await page.getByLabel('Build', { exact: true }).selectOption({ label: 'A profession and specialization' });
  const addSpec = async (name: string, n: number, profession: string, specialization: string, role: string) => {
    await page.getByLabel('Add to').selectOption({ label: `New player in party ${n}` });
    await page.getByLabel('Player name').fill(name);
    await page.getByLabel('Profession').selectOption({ label: profession });
    await page.getByLabel('Specialization').selectOption({ label: specialization });
    await page.getByLabel('Role in the squad').selectOption({ label: role });
    await page.getByRole('button', { name: 'Add the player' }).click();
    await expect(party(page, n)).toContainText(name);
  };
  await addSpec('Bram', 1, 'Necromancer', 'Scourge', 'Boon strip');
  await addSpec('Cyd', 1, 'Ranger', 'Druid', 'Healer');
  await addSpec('Dee', 2, 'Guardian', 'Dragonhunter', 'DPS');
  await addSpec('Eve', 2, 'Engineer', 'Scrapper', 'Quickness');
  expect(await parties(page)).toEqual([
    ['Ann', 'Bram', 'Cyd'],
    ['Dee', 'Eve'],
  ]);

  // The keyboard: Bram goes to party 2 with the move button, and the focus stays on Bram.
  await page.getByRole('button', { name: 'Move Bram to party 2' }).click();
  expect(await parties(page)).toEqual([
    ['Ann', 'Cyd'],
    ['Dee', 'Eve', 'Bram'],
  ]);
  await expect(page.getByRole('status').filter({ hasText: 'Bram is now in party 2, position 3.' })).toBeVisible();
  await expect(member(page, 'Bram').locator('button:focus')).toHaveCount(1);
  await page.keyboard.press('Enter'); // the focused button: Bram up one place
  expect((await parties(page))[1]).toEqual(['Dee', 'Bram', 'Eve']);

  // Drag and drop: Eve by her handle to the free place at the end of party 1.
  const target = (await party(page, 1).boundingBox())!;
  await member(page, 'Eve').locator('.drag-handle').dragTo(party(page, 1), { targetPosition: { x: target.width / 2, y: target.height - 6 } });
  await expect.poll(() => parties(page)).toEqual([
    ['Ann', 'Cyd', 'Eve'],
    ['Dee', 'Bram'],
  ]);
  await expect(page.getByRole('status').filter({ hasText: /Eve is now in party 1/ })).toBeVisible();

  // The heat map: a row per party, a column per need, and the grade.
  const heat = page.locator('table.heatmap');
  await expect(heat.locator('tbody tr')).toHaveCount(2);
  await expect(heat.getByRole('rowheader', { name: 'Party 1' })).toBeVisible();
  await expect(heat.getByRole('columnheader', { name: 'Stability' })).toBeVisible();
  await expect(heat.locator('td.heat').first()).toHaveClass(/heat-(full|high|mid|low|none)/);
  await expect(page.locator('.coverage .grade')).toHaveText(/^[SABC]$/);

  // The squad optimizer places everyone in the two parties.
  await page.getByRole('button', { name: 'Optimize the squad' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Optimized: coverage' })).toBeVisible();
  const optimized = await parties(page);
  expect(optimized.flat().sort()).toEqual(['Ann', 'Bram', 'Cyd', 'Dee', 'Eve']);
  expect(optimized.map((p) => p.length).sort()).toEqual([2, 3]);
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);

  // Saved as a team: the share link opens the same squad.
  const teamName = `E2E raid night ${account.username}`;
  await page.getByLabel('Team name').fill(teamName);
  await page.getByRole('button', { name: 'Save the team' }).click();
  await expect(page).toHaveURL(/\/squads\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  const shareUrl = page.url();
  await expect(page.locator('.share code')).toHaveText(shareUrl);
  const saved = await composition(page);
  expect(saved.flat()).toHaveLength(5);

  await page.goto(shareUrl);
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(teamName);
  expect(await composition(page)).toEqual(saved);
  await expect(page.locator('table.heatmap tbody tr')).toHaveCount(2);
  await expect(page.getByRole('button', { name: 'Save the changes' })).toBeVisible();
  await shoot('squad-planner');

  // My teams list it.
  await page.goto('/squads');
  await ready(page);
  const row = page.getByRole('row', { name: new RegExp(teamName) });
  await expect(row).toContainText(account.username);
  await expect(row).toContainText('yours');
  await shoot('squads');
});

test('the share link of a public team shows it to a visitor, who can analyze but not overwrite it', async ({ page, browser, account, signIn }) => {
  await signIn();
  await page.goto('/squads/new');
  await ready(page);
  await page.getByLabel('Profession').selectOption({ label: 'Guardian' });
  await page.getByLabel('Specialization').selectOption({ label: 'Firebrand' });
  await page.getByLabel('Role in the squad').selectOption({ label: 'Support' });
  await page.getByLabel('Player name').fill('Solo');
  await page.getByRole('button', { name: 'Add the player' }).click();
  await page.getByLabel('Team name').fill('E2E public team');
  await page.getByRole('button', { name: 'Save the team' }).click();
  await expect(page).toHaveURL(/\/squads\/[0-9a-f-]{36}$/);
  const url = page.url();

  const visitor = await browser.newPage();
  await visitor.goto(url);
  await ready(visitor);
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('E2E public team');
  await expect(visitor.getByText(`Team by ${account.username}`)).toBeVisible();
  await expect(member(visitor, 'Solo')).toContainText('Firebrand · Support');
  await expect(visitor.locator('table.heatmap tbody tr')).toHaveCount(1);
  await expect(visitor.getByRole('link', { name: 'Log in' }).last()).toBeVisible();
  await visitor.close();
});
