// WvW analytics in the browser: upload committed arcdps logs (file input and a dropped
// file), watch their progress, read the fight report (per-player rows, sorting, charts),
// refuse a corrupt file readably, build a session and read its rankings, and open the live
// scoreboard (the GW2 API is unreachable in tests: the page must say so).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, ready, repoFile, test } from './fixtures';

const fixture = (name: string) => repoFile(`crates/evtc/tests/fixtures/${name}`);
const SKIRMISH = fixture('skirmish.zevtc'); // EBG, 3 squad members + 1 ally, 10 s
const BUSY = fixture('busy.evtc');

const fileInput = (page: Page) => page.locator('input[type="file"]');
const upload = (page: Page, name: string) => page.locator('.wvw-upload').filter({ hasText: name });

/** Drops a file on the dropzone the way a browser does (a drop event carrying a DataTransfer). */
async function dropFile(page: Page, path: string, name: string) {
  const bytes = readFileSync(path).toString('base64');
  await page.locator('.wvw-drop').evaluate(
    (zone, { bytes, name }) => {
      const data = Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: 'application/octet-stream' }));
      zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { bytes, name },
  );
}

test('logs are uploaded with progress and read as a fight report', async ({ page, signIn, shoot }) => {
  await signIn();
  // Holds the first upload a moment so its progress can be seen.
  let held = false;
  await page.route('**/api/v1/mcm/logs', async (route) => {
    if (!held) {
      held = true;
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    await route.continue();
  });
  await page.goto('/wvw');
  await ready(page);
  await expect(page.getByRole('heading', { level: 1, name: 'WvW analytics' })).toBeVisible();
  await expect(page.getByText('You have not uploaded any fight yet')).toBeVisible();

  // The dropzone is a labelled file input (keyboard users reach it with Tab).
  await expect(page.getByLabel(/Drop your arcdps logs here/)).toHaveAttribute('type', 'file');
  await fileInput(page).setInputFiles(SKIRMISH);
  await expect(upload(page, 'skirmish.zevtc').getByRole('progressbar', { name: 'Upload progress of skirmish.zevtc' })).toBeVisible();
  await expect(upload(page, 'skirmish.zevtc')).toHaveAttribute('data-phase', 'done');
  await expect(upload(page, 'skirmish.zevtc').getByRole('link', { name: 'World vs World - Eternal Battlegrounds' })).toBeVisible();

  // A second log, dropped.
  await dropFile(page, BUSY, 'busy.evtc');
  await expect(upload(page, 'busy.evtc')).toHaveAttribute('data-phase', 'done');

  // Both fights are listed, newest upload first.
  const rows = page.locator('table.wvw-fights tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('World vs World');
  await expect(page.locator('table.wvw-fights')).toContainText('World vs World - Eternal Battlegrounds');
  await expect(page.locator('table.wvw-fights')).toContainText('Victory');
  await shoot('wvw-upload');

  // The report: one row per squad member with the log's numbers.
  await page.locator('table.wvw-fights').getByRole('link', { name: 'World vs World - Eternal Battlegrounds' }).click();
  await expect(page).toHaveURL(/\/wvw\/fights\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: 'World vs World - Eternal Battlegrounds' })).toBeVisible();
  const players = page.locator('table.wvw-players');
  const body = players.locator('tbody tr');
  await expect(body).toHaveCount(3);
  const alpha = body.filter({ has: page.getByRole('rowheader', { name: /Alpha/ }) });
  const cells = alpha.locator('td');
  // Specialization, group, damage, DPS, downs, kills, deaths, strips, cleanses…
  await expect(cells.nth(2)).toHaveText('2,500');
  await expect(cells.nth(3)).toHaveText('250');
  await expect(cells.nth(4)).toHaveText('1');
  await expect(cells.nth(8)).toHaveText('2');
  await expect(players.locator('tfoot')).toContainText('5,500'); // squad damage
  await expect(page.locator('.wvw-stats')).toContainText('5,500');

  // Sorting by a column header, announced by aria-sort.
  const damage = players.getByRole('columnheader', { name: 'Damage', exact: true });
  await expect(damage).toHaveAttribute('aria-sort', 'descending');
  await expect(body.first().getByRole('rowheader')).toContainText('Alpha');
  await damage.getByRole('button').click();
  await expect(damage).toHaveAttribute('aria-sort', 'ascending');
  await expect(body.first().getByRole('rowheader')).toContainText('Bravo');

  // Allies outside the squad on demand.
  await page.getByLabel('Include allies outside the squad').check();
  await expect(body).toHaveCount(4);

  // Charts drawn (uPlot canvases), with an accessible summary.
  await expect(page.locator('figure.chart').first().locator('canvas').first()).toBeVisible();
  await expect(page.getByRole('img', { name: /Damage to enemies per player\. Alpha: 2500/ })).toBeAttached();
  await shoot('wvw-fight');

  // The same report in French.
  await page.getByLabel('Language').selectOption('fr');
  await expect(players.getByRole('columnheader', { name: 'Dégâts', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Totaux de l’escouade' })).toBeVisible();
});

test('a corrupt file gets a readable error and the page goes on', async ({ page, signIn }) => {
  await signIn();
  await page.goto('/wvw');
  await ready(page);
  await fileInput(page).setInputFiles([
    { name: 'broken.zevtc', mimeType: 'application/octet-stream', buffer: randomBytes(48) },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a log') },
  ]);
  const broken = upload(page, 'broken.zevtc');
  await expect(broken).toHaveAttribute('data-phase', 'failed');
  await expect(broken.getByRole('alert')).toContainText('This file is not a readable arcdps log');
  await expect(broken.getByRole('alert')).toContainText('not a readable arcdps log:'); // the service's detail
  // A file that is not a log at all is refused before sending.
  await expect(upload(page, 'notes.txt').getByRole('alert')).toContainText('not a readable arcdps log');

  // The page still works: a real log goes through after the failures.
  await fileInput(page).setInputFiles(SKIRMISH);
  await expect(upload(page, 'skirmish.zevtc')).toHaveAttribute('data-phase', 'done');
  await page.getByRole('button', { name: 'Clear the finished files' }).click();
  await expect(page.locator('.wvw-upload')).toHaveCount(0);
  await expect(page.locator('table.wvw-fights tbody tr')).toHaveCount(1);
});

test('a session of uploaded fights shows its top stats', async ({ page, signIn, shoot }) => {
  await signIn();
  await page.goto('/wvw');
  await ready(page);
  // Several files at once.
  await fileInput(page).setInputFiles([SKIRMISH, BUSY]);
  await expect(upload(page, 'skirmish.zevtc')).toHaveAttribute('data-phase', 'done');
  await expect(upload(page, 'busy.evtc')).toHaveAttribute('data-phase', 'done');
  await expect(page.locator('table.wvw-fights tbody tr')).toHaveCount(2);

  for (const box of await page.getByRole('checkbox', { name: /^Select / }).all()) await box.check();
  await page.getByRole('button', { name: 'New session with the selected fights (2)' }).click();
  await expect(page).toHaveURL(/\/wvw\/sessions\?fights=/);
  await ready(page);
  await expect(page.getByRole('group', { name: /2 selected/ })).toBeVisible();

  // The name is required: the service's error shows on the field.
  await page.getByRole('button', { name: 'Create the session' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Name', { exact: true }).fill('Tuesday reset');
  await page.getByRole('button', { name: 'Create the session' }).click();

  await expect(page).toHaveURL(/\/wvw\/sessions\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Tuesday reset' })).toBeVisible();
  await expect(page.locator('.wvw-stats')).toContainText('Fights2');
  const damage = page.locator('.wvw-ranking[data-ranking="damage"]');
  await expect(damage.getByRole('heading', { name: 'Damage' })).toBeVisible();
  await expect(damage.locator('li').first()).toContainText('Alpha');
  await expect(damage.locator('li')).toHaveCount(3);
  await expect(page.locator('.wvw-ranking[data-ranking="strips"] li').first()).toContainText('Charlie');
  await expect(page.locator('table.wvw-players tbody tr')).toHaveCount(3);
  await expect(page.locator('table.wvw-fights tbody tr')).toHaveCount(2);
  // Charts: damage per player and squad damage fight after fight.
  await expect(page.locator('figure.chart')).toHaveCount(2);
  await expect(page.getByText('Live: new fights appear here')).toBeVisible();
  await shoot('wvw-session');

  // Listed among the sessions.
  await page.getByRole('navigation', { name: 'WvW analytics' }).getByRole('link', { name: 'Sessions' }).click();
  await expect(page.getByRole('link', { name: 'Tuesday reset' })).toBeVisible();
});

test('the live scoreboard connects and says the GW2 API is unreachable', async ({ page, signIn, shoot }) => {
  await signIn();
  await page.goto('/wvw/live');
  await ready(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Live match' })).toBeVisible();
  await expect(page.getByText('Choose a match to follow.')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Connected' })).toBeVisible();

  // Europe, tier 1 → match 2-1 (the tests' GW2 API is a closed port).
  await page.getByLabel('Region').selectOption('2');
  await page.getByLabel('Tier').selectOption('1');
  await page.getByRole('button', { name: 'Follow' }).click();
  await expect(page).toHaveURL(/\/wvw\/live\?match=2-1$/);
  await expect(page.getByRole('status')).toHaveText('Connected: updates arrive as the match changes.');
  const unreachable = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'GW2 API unreachable' }) });
  await expect(unreachable).toBeVisible();
  await expect(unreachable).toContainText('GW2 API unavailable');
  await shoot('wvw-live');

  // By world id: the service cannot resolve it either, and says so the same way.
  await page.getByLabel('Find the match by').selectOption('world');
  await page.getByLabel('World id').fill('20x3');
  await page.getByRole('button', { name: 'Follow' }).click();
  await expect(page.getByLabel('World id')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('World id').fill('2003');
  await page.getByRole('button', { name: 'Follow' }).click();
  await expect(page).toHaveURL(/\/wvw\/live\?world=2003$/);
  await expect(unreachable).toBeVisible();
  await expect(unreachable.getByRole('button', { name: 'Try again' })).toBeVisible();

  // A deep link follows its match straight away, in French too.
  await page.getByLabel('Language').selectOption('fr');
  await page.goto('/wvw/live?match=1-2');
  await ready(page);
  await expect(page.getByRole('heading', { name: 'API GW2 injoignable' })).toBeVisible();
});
