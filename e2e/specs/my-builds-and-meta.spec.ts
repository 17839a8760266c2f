// My Builds and the Meta dashboard through the original client's pages. A build is saved
// with the payload savedBuilds.service.ts sends (the client's own save buttons sit behind a
// build analysis: the Build Lab and URL import pages, which the client's own specs cover), as
// the logged-in user; the pages must then show it, delete it, and count it in the meta.
import type { Page } from '@playwright/test';
import { test, expect, loginThroughUi, expectServed } from './fixtures';

interface SavedBuild {
  id: number;
  user_id: string;
  name: string;
  chat_code?: string | null;
  profession?: string | null;
  specialization?: string | null;
  game_mode?: string | null;
  synergy_score?: string | null;
  source_url?: string | null;
  notes?: string | null;
  created_at: string;
}

/** Saves a build as the client does (POST /api/v1/saved-builds with its bearer token). */
async function saveBuild(page: Page, token: string, payload: Record<string, unknown>): Promise<SavedBuild> {
  const response = await page.request.post('/api/v1/saved-builds', {
    data: payload,
    headers: { Authorization: `Bearer ${token}` },
  });
  await expectServed(response, 'POST /api/v1/saved-builds');
  expect(response.ok(), `POST /api/v1/saved-builds ${response.status()}: ${await response.text()}`).toBe(true);
  const saved = (await response.json()) as SavedBuild;
  expect(saved.id).toEqual(expect.any(Number));
  expect(saved.name).toBe(payload.name);
  expect(Number.isNaN(Date.parse(saved.created_at))).toBe(false);
  return saved;
}

test.describe('My Builds and Meta', () => {
  test('a saved build is listed on My Builds and deleted from there', async ({ page }) => {
    const token = await loginThroughUi(page);
    const name = `Firebrand stab E2E ${Date.now()}`;
    const saved = await saveBuild(page, token, {
      name,
      profession: 'Guardian',
      specialization: 'Firebrand',
      // What the client sends as game_mode: the analysis context, 'WvW Zerg' by default.
      game_mode: 'WvW Zerg',
      synergy_score: 'A',
      source_url: 'https://example.com/builds/firebrand-stab',
      notes: 'Saved by the end-to-end scenario',
    });

    const list = page.waitForResponse((r) => r.url().endsWith('/api/v1/saved-builds') && r.request().method() === 'GET');
    await page.getByRole('link', { name: 'Mes Builds' }).click();
    await expect(page.getByRole('heading', { name: 'Mes Builds' })).toBeVisible();
    const listed = await list;
    await expectServed(listed, 'GET /api/v1/saved-builds');
    expect(listed.status(), await listed.text()).toBe(200);
    const builds = (await listed.json()) as SavedBuild[];
    expect(builds.map((b) => b.id)).toContain(saved.id);

    const row = page.getByRole('row').filter({ hasText: name });
    await expect(row).toHaveCount(1);
    const cells = row.getByRole('cell');
    await expect(cells.nth(0)).toContainText(name);
    await expect(cells.nth(1)).toHaveText('Guardian');
    await expect(cells.nth(2)).toHaveText('Firebrand');
    await expect(cells.nth(3)).toHaveText(saved.game_mode ?? '—');
    await expect(cells.nth(4)).toHaveText('A');
    await expect(row.getByRole('link', { name: 'Source' })).toHaveAttribute('href', saved.source_url ?? '');

    // Delete from the page (it asks for confirmation first).
    page.once('dialog', (dialog) => void dialog.accept());
    const removal = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/saved-builds/${saved.id}`) && r.request().method() === 'DELETE',
    );
    await row.getByRole('button', { name: 'Supprimer' }).click();
    const removed = await removal;
    await expectServed(removed, `DELETE /api/v1/saved-builds/${saved.id}`);
    expect(removed.ok(), `DELETE ${removed.status()}: ${await removed.text()}`).toBe(true);
    await expect(row).toHaveCount(0);
    // Gone for good: a fresh load of the page does not list it.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Mes Builds' })).toBeVisible();
    await expect(page.getByText("Erreur lors du chargement de vos builds sauvegardés.")).toHaveCount(0);
    await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
  });

  test('the Meta page shows what is stored for the mode, counted from saved builds', async ({ page }) => {
    const token = await loginThroughUi(page);
    // A Harbinger saved for WvW zerg (no other scenario saves a Necromancer).
    await saveBuild(page, token, {
      name: `Harbinger meta E2E ${Date.now()}`,
      profession: 'Necromancer',
      specialization: 'Harbinger',
      game_mode: 'WvW Zerg',
      synergy_score: 'B',
    });

    // The page asks for its default mode ('zerg') over 30 days.
    const overview = page.waitForResponse((r) => r.url().includes('/api/v1/meta/overview/'));
    await page.getByRole('link', { name: 'Méta' }).click();
    await expect(page.getByRole('heading', { name: 'Meta Dashboard' })).toBeVisible();
    const answer = await overview;
    expect(new URL(answer.url()).pathname).toBe('/api/v1/meta/overview/zerg');
    expect(new URL(answer.url()).searchParams.get('time_range')).toBe('30');
    await expectServed(answer, 'GET /api/v1/meta/overview/zerg');
    expect(answer.status(), await answer.text()).toBe(200);
    const meta = await answer.json();
    expect(meta.success).toBe(true);
    for (const list of ['professions', 'archetypes', 'synergies']) expect(Array.isArray(meta[list]), list).toBe(true);

    const necro = meta.professions.find((p: { profession: string }) => p.profession === 'Necromancer');
    expect(necro, 'the saved Harbinger counted among professions').toBeTruthy();
    expect(necro.count).toBeGreaterThanOrEqual(1);
    const harbinger = meta.archetypes.find(
      (a: { profession: string; specialization: string }) => a.profession === 'Necromancer' && a.specialization === 'Harbinger',
    );
    expect(harbinger, 'the saved Harbinger counted among archetypes').toBeTruthy();

    // The page shows the answer: the profession bar with its share and count, the archetype row.
    await expect(page.getByText('Impossible de charger les données de méta.')).toHaveCount(0);
    const chart = page.getByText('Popularité des professions', { exact: true }).locator('xpath=..');
    const bar = chart.getByText('Necromancer', { exact: true }).locator('xpath=..');
    await expect(bar).toHaveText(`Necromancer${(necro.ratio * 100).toFixed(1)}% · ${necro.count}`);
    const row = page.getByRole('row').filter({ hasText: 'Harbinger' });
    await expect(row.getByRole('cell').nth(0)).toHaveText('Necromancer');
    await expect(row.getByRole('cell').nth(3)).toHaveText(String(harbinger.occurrences));

    // Another mode of the page's selector answers too (empty lists are fine, an error is not).
    const raid = page.waitForResponse((r) => r.url().includes('/api/v1/meta/overview/raid'));
    await page.getByRole('combobox').selectOption('raid');
    const raidAnswer = await raid;
    expect(raidAnswer.status(), await raidAnswer.text()).toBe(200);
    await expect(page.getByText('Impossible de charger les données de méta.')).toHaveCount(0);
  });
});
