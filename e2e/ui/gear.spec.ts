// The gear optimizer (/gear): start from a preset, run with live progress over the WebSocket,
// read ranked results with their attribute sheet, damage split and chart; cancel a long run
// and keep the best so far; run without an account (the short anonymous search).
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, ready, repoFile, test } from './fixtures';

const presetFile = (name: string) => readFileSync(repoFile(`presets/gear/${name}.json`), 'utf8');

async function usePreset(page: Page, name: string) {
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name }) });
  await card.getByRole('button', { name: 'Use this preset' }).click();
  await expect(page.getByText(`Starting from: ${name}`)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
}

async function expectResults(page: Page) {
  const results = page.locator('section.gear-results');
  await expect(results.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 60_000 });
  // Ranked rows, best first.
  const rows = results.locator('table.gear-ranking tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(rows.first().getByRole('rowheader')).toHaveText('#1');
  // The chart of the top results (uPlot draws on a canvas).
  await expect(results.locator('figure.chart canvas').first()).toBeVisible();
  // The best result's attribute sheet and damage split.
  await expect(results.getByRole('heading', { name: 'Result #1' })).toBeVisible();
  const sheet = results.locator('table.gear-sheet');
  await expect(sheet.getByRole('rowheader', { name: 'Power', exact: true })).toBeVisible();
  await expect(sheet.getByRole('rowheader', { name: 'Critical chance' })).toBeVisible();
  await expect(results.locator('table.gear-damage').getByRole('rowheader', { name: 'Total' })).toBeVisible();
  return results;
}

test('signed in: a preset, a live run, ranked results with attributes and a chart', async ({ page, signIn, shoot }) => {
  await signIn();
  await page.goto('/gear');
  await ready(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Gear optimizer' })).toBeVisible();
  await usePreset(page, 'Power Berserker GS A/A');
  await expect(page).toHaveURL(/\/gear\/preset\/power-berserker$/);
  // The preset's candidates are ticked; a third one is added.
  await expect(page.getByRole('checkbox', { name: "Berserker's Power", exact: true })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /^Assassin's/ })).toBeChecked();
  await page.getByRole('checkbox', { name: /^Dragon's/ }).check();
  await expect(page.getByText('3 selected')).toBeVisible();
  await shoot('gear-optimizer');

  await page.getByRole('button', { name: 'Run the optimizer' }).click();
  const progress = page.getByRole('progressbar', { name: 'Search progress' });
  await expect(progress).toBeVisible();
  const results = await expectResults(page);
  // The stream ended: the bar is full and the search proved its top 10.
  await expect(progress).toHaveAttribute('value', '1');
  await expect(results.getByText(/Proven optimal: these are the exact top 10\./)).toBeVisible();
  await expect(results.locator('table.gear-ranking tbody tr')).toHaveCount(10);
  // Another result's details.
  await results.getByRole('button', { name: 'Show the details of #2' }).click();
  await expect(results.getByRole('heading', { name: 'Result #2' })).toBeVisible();
  await results.getByRole('button', { name: 'Show the details of #1', exact: true }).click();
  await shoot('gear-results');
});

test('signed in: cancelling a long run keeps the best so far', async ({ page, signIn }) => {
  await signIn();
  await page.goto('/gear/preset/condi-firebrand');
  await ready(page);
  await expect(page.getByText('Starting from: Condi Firebrand A/T P/P')).toBeVisible();
  // Every prefix as a candidate: a search of minutes.
  await page.getByRole('button', { name: 'Select all' }).click();
  await page.getByRole('button', { name: 'Run the optimizer' }).click();
  const progress = page.locator('section.gear-progress');
  await expect(progress.getByRole('progressbar', { name: 'Search progress' })).toBeVisible();
  // At least 3 s of a running search (a loaded machine's page may skip a tick of the clock),
  // and a first result found, so that there is a best so far to keep.
  await expect(progress.getByText(/^Elapsed: 0:(0[3-9]|[1-5]\d)$/)).toBeVisible({ timeout: 15_000 });
  await expect(progress.getByText(/^Best so far:/)).toBeVisible({ timeout: 90_000 });
  await progress.getByRole('button', { name: 'Cancel' }).click();
  // The stream answers the best found so far, marked as not proven.
  const results = await expectResults(page);
  await expect(results.getByText('Stopped early: the best found so far, not proven optimal.')).toBeVisible();
  await expect(results.locator('table.gear-ranking tbody tr').first()).toBeVisible();
  await expect(progress.getByRole('button', { name: /Cancel|Stopping/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Run the optimizer' })).toBeEnabled();
});

test('signed out: the short anonymous search answers too', async ({ page }) => {
  await page.goto('/gear');
  await ready(page);
  await usePreset(page, 'Power Berserker GS A/A');
  await expect(page.getByText(/Signed out, a search runs at most 2 seconds/)).toBeVisible();
  await page.getByRole('button', { name: 'Run the optimizer' }).click();
  const results = await expectResults(page);
  await expect(results.locator('table.gear-ranking tbody tr').first()).toContainText("Berserker's");
  // No live stream without an account: no Cancel button.
  await expect(page.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
});

test('signed in: start from one of my builds', async ({ page, request, account, signIn }) => {
  const login = await request.post('/api/v1/auth/login', { data: { username: account.username, password: account.password } });
  expect(login.status(), await login.text()).toBe(200);
  const { access_token: token } = (await login.json()) as { access_token: string };
  const created = await request.post('/api/v1/builds', {
    headers: { Authorization: `Bearer ${token}` },
    data: { name: 'My condi zerker', profession: 'Warrior', specialization: 'Berserker', game_mode: 'raid', role: 'dps', is_public: false },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  await signIn();
  await page.goto('/gear');
  await ready(page);
  await page.getByRole('radio', { name: 'One of my builds' }).check();
  await expect(page.getByLabel('Build', { exact: true })).toContainText('My condi zerker');
  await page.getByRole('button', { name: 'Use this build' }).click();
  await expect(page).toHaveURL(new RegExp(`/gear/build/${id}$`));
  await expect(page.getByText('Starting from: My condi zerker')).toBeVisible();
  // The build's estimate picks its candidates; a private build loads for its author.
  await expect(page.getByText(/^\d+ selected$/)).toBeVisible();
  await page.getByRole('button', { name: 'Run the optimizer' }).click();
  await expectResults(page);
  // A deep link to the build works on a fresh load too.
  await page.goto(`/gear/build/${id}`);
  await ready(page);
  await expect(page.getByText('Starting from: My condi zerker')).toBeVisible();
});

test('a pasted gear input, and errors shown on their fields', async ({ page }) => {
  await page.goto('/gear');
  await ready(page);
  await page.getByRole('radio', { name: 'A gear input (JSON)' }).check();
  const json = page.getByLabel(/Gear input \(JSON/);
  await json.fill('{"affixes": [');
  await page.getByRole('button', { name: 'Load this input' }).click();
  await expect(page.getByText('This is not valid JSON.')).toBeVisible();
  await json.fill(presetFile('wvw-support-firebrand'));
  await page.getByRole('button', { name: 'Load this input' }).click();
  await expect(page.getByText('Starting from: WvW frontline support Firebrand')).toBeVisible();
  // The preset's constraints are in the form.
  await expect(page.getByLabel('Minimum boon duration (%)')).toHaveValue('50');
  await page.getByLabel('Results to keep').fill('0');
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByRole('button', { name: 'Run the optimizer' }).click();
  await expect(page.getByText('Enter a number from 1 to 1,000.')).toBeVisible();
  await expect(page.getByText('Choose at least one candidate prefix.')).toBeVisible();
  await expect(page.getByLabel('Results to keep')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('section.gear-progress')).toHaveCount(0);
  // Fixed, the survivability search runs.
  await page.getByLabel('Results to keep').fill('5');
  await page.getByRole('checkbox', { name: /^Minstrel's/ }).check();
  await page.getByRole('checkbox', { name: /^Harrier's/ }).check();
  await page.getByRole('button', { name: 'Run the optimizer' }).click();
  const results = await expectResults(page);
  await expect(results.getByRole('columnheader', { name: 'Survivability' })).toBeVisible();
  await expect(results.locator('table.gear-ranking tbody tr')).not.toHaveCount(0);
});
