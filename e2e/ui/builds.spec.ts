// Builds: create one from a real chat code and see its traits named, its chat code, exports
// and DPS estimate; find it in the browser and by search; my builds; saved builds; votes by
// another player; owner actions; errors shown on the field.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, ready, test, type Account } from './fixtures';

// A Reaper (Necromancer) from the service's own chat code tests: Spite 1-2-2, Soul Reaping
// 1-1-2, Reaper 2-1-3 (crates/gw2/data/traits.json names the picks).
const REAPER = '[&DQg1KTIlIjbBEgAAgQB1AUABgQB1AUABlQCVAAAAAAAAAAAAAAAAAAAAAAA=]';
const REAPER_TRAITS = [
  'Spiteful Talisman',
  'Spiteful Fortitude',
  'Close to Death',
  'Unyielding Blast',
  'Soul Barbs',
  'Death Perception',
  'Chilling Nova',
  'Soul Eater',
  "Reaper's Onslaught",
];

const uid = () => randomBytes(4).toString('hex');

async function register(request: APIRequestContext): Promise<Account> {
  const id = uid();
  const account = { username: `ui_${id}`, email: `ui_${id}@example.com`, password: 'correct horse 42 battery' };
  const response = await request.post('/api/v1/auth/register', {
    data: { username: account.username, email: account.email, password: account.password },
  });
  expect(response.status(), await response.text()).toBe(201);
  return account;
}

/** A build of `who` made through the API (the import endpoint), for scenarios about others' builds. */
async function importBuild(request: APIRequestContext, who: Account, name: string): Promise<string> {
  const login = await request.post('/api/v1/auth/login', { data: { username: who.username, password: who.password } });
  expect(login.status(), await login.text()).toBe(200);
  const { access_token } = (await login.json()) as { access_token: string };
  const created = await request.post('/api/v1/builds/import', {
    headers: { Authorization: `Bearer ${access_token}` },
    data: { chat_code: REAPER, name, game_mode: 'raid' },
  });
  expect(created.status(), await created.text()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

test('a player creates a build from a chat code and finds it everywhere', async ({ page, signIn, shoot, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn();
  const tag = `e2e${uid()}`;
  const name = `Condi Reaper ${tag}`;

  // The editor, opened with a code as the home page does: the code is read at once.
  await page.goto(`/builds/new?code=${encodeURIComponent(REAPER)}`);
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('New build');
  await expect(page.getByRole('status')).toHaveText('Code read: Reaper (Necromancer).');
  const editorTraits = page.locator('section.card', { has: page.getByRole('heading', { name: 'Profession, traits and skills' }) });
  for (const trait of REAPER_TRAITS) await expect(editorTraits.getByText(trait, { exact: true })).toBeVisible();
  await expect(editorTraits.getByText('Well of Suffering')).toBeVisible();
  await expect(page.getByLabel('Profession', { exact: true })).toHaveValue('Necromancer');
  await expect(page.getByLabel('Elite specialization', { exact: true })).toHaveValue('Reaper');

  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Description', { exact: true }).fill('Wells and shroud for raid bosses.');
  await page.getByLabel('Game mode', { exact: true }).selectOption('raid');
  await page.getByLabel('Tags', { exact: true }).fill(`condi, ${tag}`);
  await page.getByLabel('Two-handed weapon', { exact: true }).check();
  await page.getByLabel('Set every slot to', { exact: true }).selectOption('viper');
  await page.getByRole('button', { name: 'Set', exact: true }).click();
  await expect(page.getByLabel('Helm', { exact: true })).toHaveValue('viper');
  await page.getByLabel('Runes', { exact: true }).fill('Superior Rune of the Krait');
  await page.getByLabel('Sigils', { exact: true }).fill('Bursting, Earth');
  await shoot('build-editor');
  await page.getByRole('button', { name: 'Save the build' }).click();

  // The build page: traits, skills and gear named.
  await expect(page).toHaveURL(/\/builds\/[0-9a-f-]{36}$/);
  const buildUrl = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.locator('.build-head .build-class')).toHaveText('Reaper (Necromancer)');
  const traits = page.locator('section.card', { has: page.getByRole('heading', { name: 'Traits', level: 2 }) });
  for (const line of ['Spite', 'Soul Reaping', 'Reaper']) await expect(traits.getByRole('heading', { name: line })).toBeVisible();
  for (const trait of REAPER_TRAITS) await expect(traits.getByText(trait, { exact: true })).toBeVisible();
  const skills = page.locator('section.card', { has: page.getByRole('heading', { name: 'Skills', level: 2 }) });
  await expect(skills.getByRole('row', { name: 'Heal "Your Soul Is Mine!"' })).toBeVisible();
  await expect(skills.getByRole('row', { name: 'Utility 1 Well of Suffering' })).toBeVisible();
  await expect(skills.getByRole('row', { name: 'Elite Summon Flesh Golem' })).toBeVisible();
  const gear = page.locator('section.card', { has: page.getByRole('heading', { name: 'Gear', level: 2 }) });
  await expect(gear.getByRole('row', { name: "Helm Viper's" })).toBeVisible();
  await expect(gear.getByRole('row', { name: "Two-handed weapon Viper's" })).toBeVisible();
  await expect(gear.getByRole('row', { name: 'Runes Superior Rune of the Krait' })).toBeVisible();

  // The chat code with its copy button.
  const code = page.getByTestId('chat-code');
  await expect(code).toHaveText(/^\[&DQg[A-Za-z0-9+/=]+\]$/);
  await page.getByRole('button', { name: 'Copy the code' }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await code.textContent());

  // Every export format downloads.
  const json = await download(page, 'Download JSON');
  expect(json.name).toBe(`condi-reaper-${tag}.json`);
  expect(JSON.parse(json.text)).toMatchObject({ name, profession: 'Necromancer', specialization: 'Reaper' });
  const markdown = await download(page, 'Download Markdown page');
  expect(markdown.name).toMatch(/\.md$/);
  expect(markdown.text).toContain(`# ${name}`);
  expect(markdown.text).toContain("Reaper's Onslaught");
  const chat = await download(page, 'Download Chat code (text)');
  expect(chat.text.trim()).toBe(await code.textContent());

  // The DPS estimate with its benchmark and assumptions.
  await expect(page.getByTestId('dps-value')).toHaveText(/^[\d,]+ DPS$/);
  const dps = page.locator('section.card', { has: page.getByRole('heading', { name: 'DPS estimate' }) });
  await expect(dps).toContainText('Benchmark:');
  await expect(dps).toContainText('Reaper');
  await expect(dps.getByRole('row', { name: /^Bleeding/ })).toBeVisible();
  await expect(dps.getByRole('heading', { name: 'What was assumed (as the service reports it)' })).toBeVisible();
  await shoot('build-page');

  // The browser lists it (newest first) and the search finds it.
  await page.goto('/builds');
  await ready(page);
  await expect(page.getByRole('link', { name })).toBeVisible();
  await page.getByLabel('Search builds', { exact: true }).fill(tag);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${tag}`));
  await expect(page.getByRole('status')).toHaveText('1 build');
  await expect(page.getByRole('link', { name })).toBeVisible();
  // Filters narrow it down; a foreign profession finds nothing.
  await page.getByLabel('Profession', { exact: true }).selectOption('Necromancer');
  await page.getByLabel('Elite specialization', { exact: true }).selectOption('Reaper');
  await page.getByLabel('Game mode', { exact: true }).selectOption('raid');
  await expect(page).toHaveURL(/specialization=Reaper/);
  await expect(page.getByRole('link', { name })).toBeVisible();
  await page.getByLabel('Profession', { exact: true }).selectOption('Guardian');
  await expect(page.getByText('No build matches these filters.')).toBeVisible();
  await page.goto(`/builds?tag=${tag}&sort=top`);
  await expect(page.getByRole('link', { name })).toBeVisible();
  await expect(page.getByLabel('Sort by', { exact: true })).toHaveValue('top');
  await shoot('builds-list');

  // My builds.
  await page.goto('/builds/mine');
  await ready(page);
  await expect(page.getByRole('heading', { name: 'My builds', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name })).toBeVisible();
  await shoot('my-builds');

  // Saved builds.
  await page.goto(buildUrl);
  await ready(page);
  // The gear optimizer starts from this build.
  await expect(page.getByRole('link', { name: 'Optimize the gear' })).toHaveAttribute(
    'href',
    `/gear/build/${new URL(buildUrl, 'http://x').pathname.split('/').pop()}`,
  );
  await page.getByRole('button', { name: 'Save to my saved builds' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.getByRole('link', { name: 'See my saved builds' }).click();
  await expect(page.getByRole('heading', { name: 'Saved builds', level: 1 })).toBeVisible();
  const saved = page.locator('.saved-card', { hasText: name });
  await expect(saved).toBeVisible();
  await expect(saved.getByText('Reaper (Necromancer)')).toBeVisible();
  await expect(saved.locator('code.chat-code')).toHaveText(/^\[&DQg/);
  await shoot('saved-builds');
  await saved.getByRole('link', { name }).click();
  await expect(page).toHaveURL(buildUrl);

  // The owner's actions: private, edit, delete.
  await page.getByRole('button', { name: 'Make private' }).click();
  await expect(page.locator('.build-head .badge', { hasText: 'private' })).toBeVisible();
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Edit “${name}”`);
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name);
  await expect(page.getByLabel('Helm', { exact: true })).toHaveValue('viper');
  await expect(page.getByText('Chilling Nova', { exact: true })).toBeVisible();
  await page.getByLabel('Role', { exact: true }).selectOption('boon_dps');
  await page.getByRole('button', { name: 'Save the build' }).click();
  await expect(page).toHaveURL(buildUrl);
  await expect(page.locator('.build-head')).toContainText('Boon DPS');
  await page.getByRole('button', { name: 'Delete the build' }).click();
  await page.getByRole('button', { name: 'Yes, delete it' }).click();
  await expect(page).toHaveURL(/\/builds\/mine$/);
  await expect(page.getByRole('link', { name })).toHaveCount(0);

  // The saved build outlives it; removing it empties the list.
  await page.goto('/builds/saved');
  await page.locator('.saved-card', { hasText: name }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.locator('.saved-card', { hasText: name })).toHaveCount(0);
});

test('another player votes; a visitor is sent to log in', async ({ page, request, account, signIn }) => {
  const name = `Voted Reaper ${uid()}`;
  const id = await importBuild(request, account, name);

  // Signed out: the vote buttons lead to the log-in page, back to the build after.
  await page.goto(`/builds/${id}`);
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await page.getByRole('button', { name: 'Vote up (0)' }).click();
  await expect(page).toHaveURL(new RegExp(`/login\\?next=${encodeURIComponent(`/builds/${id}`)}`));

  const voter = await register(request);
  await signIn(voter);
  await page.goto(`/builds/${id}`);
  await ready(page);
  const up = page.getByRole('button', { name: /^Vote up/ });
  const down = page.getByRole('button', { name: /^Vote down/ });
  await up.click();
  await expect(up).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.build-head .score')).toHaveText('Score 1');
  await expect(page.getByText('You voted up')).toBeVisible();
  // The vote is shown again on the next visit.
  await page.reload();
  await ready(page);
  await expect(page.getByRole('button', { name: /^Vote up/ })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.build-head .score')).toHaveText('Score 1');
  await down.click();
  await expect(down).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.build-head .score')).toHaveText('Score -1');
  // Clicking it again withdraws it.
  await down.click();
  await expect(down).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('.build-head .score')).toHaveText('Score 0');
  // In the browser too, on the build's card.
  await up.click();
  await expect(page.locator('.build-head .score')).toHaveText('Score 1');
  await page.goto(`/builds?q=${encodeURIComponent(name)}&sort=top`);
  const card = page.locator('.build-card', { hasText: name });
  await expect(card.locator('.score')).toHaveText('Score 1');
  await expect(card.getByRole('button', { name: /^Vote up/ })).toHaveAttribute('aria-pressed', 'true');
});

test('errors are shown on the field they concern', async ({ page, signIn }) => {
  await signIn();
  await page.goto('/builds/new');
  await ready(page);
  const code = page.getByLabel('Build chat code', { exact: true });
  await code.fill('[&DQg1KT*l]');
  await page.getByRole('button', { name: 'Read the code' }).click();
  await expect(code).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field', { has: code }).locator('.field-error')).not.toBeEmpty();

  // The service's validation of the build itself: an empty name is refused on the field.
  await code.fill(REAPER);
  await page.getByRole('button', { name: 'Read the code' }).click();
  await expect(code).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Name', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Save the build' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page).toHaveURL(/\/builds\/new/);
});

test.describe('in French', () => {
  test.use({ locale: 'fr-FR' });
  test('the build page names the specialization in French', async ({ page, request, account }) => {
    const name = `Faucheur ${uid()}`;
    const id = await importBuild(request, account, name);
    await page.goto(`/builds/${id}`);
    await ready(page);
    await expect(page.locator('.build-head .build-class')).toHaveText('Faucheur (Nécromant)');
    await expect(page.getByRole('heading', { name: 'Aptitudes', level: 2 })).toBeVisible();
    await expect(page.getByText('Chilling Nova', { exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Estimation des DPS' })).toBeVisible();
    await expect(page.getByTestId('dps-value')).toHaveText(/DPS$/);
  });
});
