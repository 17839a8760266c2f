// Team Commander (issue #19) through the original client's page, unchanged: what the page
// sends is checked against teamCommander.service.ts, what it shows against what our service
// answered, and what the service answered against the request (both groups, the asked
// specializations in each, a synergy grade).
import path from 'node:path';
import type { Locator, Page, Response } from '@playwright/test';
import { test, expect, loginThroughUi, expectServed, E2E } from './fixtures';

const SENTENCE =
  'Je veux 2 groupes de 5 avec Firebrand, Druid, Harbinger, Spellbreaker et Scrapper pour du WvW zerg';

/** Elite specialization -> its profession (the game's /v2/specializations `profession`). */
const PROFESSION_OF: Record<string, string> = {
  Firebrand: 'Guardian',
  Willbender: 'Guardian',
  Druid: 'Ranger',
  Harbinger: 'Necromancer',
  Reaper: 'Necromancer',
  Spellbreaker: 'Warrior',
  Scrapper: 'Engineer',
  Holosmith: 'Engineer',
  Herald: 'Revenant',
  Deadeye: 'Thief',
};

interface Slot {
  role: string;
  profession: string;
  specialization: string;
  equipment: { stats: string; rune: string; sigils: string[]; relic?: string | null };
  performance: { burst_damage: number; survivability: number; dps_increase: number };
  advisor_reason?: string;
}
interface Squad {
  success: boolean;
  team_size: number;
  groups: Array<{ index: number; slots: Slot[] }>;
  synergy: { score: string; details: Record<string, string> };
  notes: string[];
}

async function openTeamCommander(page: Page) {
  await page.getByRole('link', { name: /Team Commander/ }).click();
  await expect(page).toHaveURL(/\/team-commander$/);
  await expect(page.getByRole('heading', { name: 'AI Team Commander' })).toBeVisible();
}

const commandInput = (page: Page) => page.getByPlaceholder(/Je veux 2 groupes de 5/);

/** Sends what is in the input with Enter and returns the service's answer. */
async function send(page: Page): Promise<Response> {
  const answer = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/ai/teams/command') && r.request().method() === 'POST',
  );
  await commandInput(page).press('Enter');
  const response = await answer;
  await expectServed(response, 'POST /api/v1/ai/teams/command');
  return response;
}

/** The contract of teamCommander.service.ts, on what the service answered. */
function expectSquadShape(squad: Squad) {
  expect(squad.success).toBe(true);
  expect(['S', 'A', 'B', 'C']).toContain(squad.synergy.score);
  expect(Array.isArray(squad.notes)).toBe(true);
  let players = 0;
  for (const group of squad.groups) {
    expect(typeof group.index).toBe('number');
    for (const slot of group.slots) {
      players += 1;
      expect(slot.role).toEqual(expect.any(String));
      expect(slot.profession).toEqual(expect.any(String));
      expect(slot.specialization).toEqual(expect.any(String));
      expect(slot.equipment.stats).toEqual(expect.any(String));
      expect(slot.equipment.rune).toEqual(expect.any(String));
      expect(Array.isArray(slot.equipment.sigils)).toBe(true);
      for (const n of [slot.performance.burst_damage, slot.performance.survivability, slot.performance.dps_increase]) {
        expect(Number.isFinite(n)).toBe(true);
      }
    }
  }
  expect(squad.team_size).toBe(players);
}

/** The block TeamDisplay renders for one group: its "Groupe N" heading's container. */
function groupBlock(page: Page, index: number): Locator {
  return page.getByRole('heading', { name: `Groupe ${index}`, exact: true }).last().locator('xpath=../..');
}

/** What the page shows for a squad is what the service answered, slot by slot. */
async function expectSquadDisplayed(page: Page, squad: Squad) {
  await expect(page.getByText(`✅ Team créée avec succès ! Synergie: ${squad.synergy.score}`).last()).toBeVisible();
  await expect(page.getByRole('heading', { name: `Équipe de ${squad.team_size} joueurs` }).last()).toBeVisible();
  await expect(page.getByText(`${squad.groups.length} groupes`, { exact: true }).last()).toBeVisible();
  await expect(page.getByText(`Synergie ${squad.synergy.score}`, { exact: true }).last()).toBeVisible();
  for (const group of squad.groups) {
    const block = groupBlock(page, group.index);
    await expect(block).toBeVisible();
    // Each card: profession (h5), then its specialization.
    await expect(block.locator('h5')).toHaveText(group.slots.map((s) => s.profession));
    await expect(block.locator('h5 + p')).toHaveText(group.slots.map((s) => s.specialization));
    const cards = block.locator('xpath=./div[2]/div');
    await expect(cards).toHaveCount(group.slots.length);
    for (const [i, slot] of group.slots.entries()) {
      const card = cards.nth(i);
      await expect(card).toContainText(slot.role);
      await expect(card).toContainText(slot.equipment.stats);
      await expect(card).toContainText(slot.equipment.rune);
      await expect(card).toContainText(slot.equipment.sigils.join(', '));
      if (slot.equipment.relic) await expect(card).toContainText(slot.equipment.relic);
      await expect(card).toContainText(slot.performance.survivability.toFixed(1));
      if (slot.advisor_reason) await expect(card).toContainText(slot.advisor_reason);
    }
  }
}

test.describe('Team Commander', () => {
  test('one French sentence gives both groups with the asked specializations and a synergy grade', async ({ page }) => {
    await loginThroughUi(page);
    await openTeamCommander(page);
    await commandInput(page).fill(SENTENCE);
    const response = await send(page);
    expect(response.status(), await response.text()).toBe(200);
    // What the page sent: the sentence with the selectors' defaults.
    expect(response.request().postDataJSON()).toEqual({
      message: SENTENCE,
      experience: 'intermediate',
      mode: 'wvw_zerg',
    });
    const squad = (await response.json()) as Squad;
    expectSquadShape(squad);

    // What was asked is what was answered: 2 groups of 5, each with the five specializations.
    expect(squad.team_size).toBe(10);
    expect(squad.groups).toHaveLength(2);
    const asked = ['Druid', 'Firebrand', 'Harbinger', 'Scrapper', 'Spellbreaker'];
    for (const group of squad.groups) {
      expect(group.slots.map((s) => s.specialization).sort()).toEqual(asked);
      for (const slot of group.slots) expect(slot.profession).toBe(PROFESSION_OF[slot.specialization]);
    }

    await expectSquadDisplayed(page, squad);
    // Synergy details, as the page labels them ("boon_share" -> "boon share").
    for (const [key, value] of Object.entries(squad.synergy.details)) {
      const tile = page.getByText(key.replace('_', ' '), { exact: true }).last().locator('xpath=../..');
      await expect(tile).toContainText(String(value));
    }
    await expect(page.getByText(/❌ Erreur/)).toHaveCount(0);
    await page.screenshot({ path: path.join(E2E.out, 'team-commander.png'), fullPage: true });
  });

  test("the page's quick templates each give the squad they describe", async ({ page }) => {
    await loginThroughUi(page);
    await openTeamCommander(page);
    const templates: Array<{ label: string; mode?: string; groups: number; specs?: string[] }> = [
      { label: 'Zerg Standard', groups: 2, specs: ['Druid', 'Firebrand', 'Herald', 'Reaper', 'Spellbreaker'] },
      { label: 'Outnumber', mode: 'Outnumber', groups: 1, specs: ['Deadeye', 'Firebrand', 'Holosmith', 'Spellbreaker', 'Willbender'] },
      { label: 'Par Rôles', groups: 2 },
    ];
    for (const template of templates) {
      // The quick templates show only before the first message: a fresh page for each.
      await page.reload();
      await expect(page.getByRole('heading', { name: 'Templates Rapides' })).toBeVisible();
      // A quick template is a button with its label and its command (a <p>).
      const button = page.getByRole('button').filter({ has: page.locator('p') }).filter({ hasText: template.label });
      const command = (await button.locator('p').textContent())?.trim() ?? '';
      await button.click();
      await expect(commandInput(page)).toHaveValue(command);
      if (template.mode) await page.getByRole('button', { name: template.mode, exact: true }).click();
      const response = await send(page);
      expect(response.status(), `${template.label}: ${await response.text()}`).toBe(200);
      const squad = (await response.json()) as Squad;
      expectSquadShape(squad);
      expect(squad.groups, template.label).toHaveLength(template.groups);
      for (const group of squad.groups) {
        expect(group.slots, template.label).toHaveLength(5);
        if (template.specs) expect(group.slots.map((s) => s.specialization).sort()).toEqual(template.specs);
      }
      await expectSquadDisplayed(page, squad);
    }
  });

  test("every ready request the service offers (GET /ai/teams/templates) works from the page", async ({ page }) => {
    const token = await loginThroughUi(page);
    const list = await page.request.get('/api/v1/ai/teams/templates', {
      headers: { Authorization: `Bearer ${token}` },
    });
    await expectServed(list, 'GET /api/v1/ai/teams/templates');
    expect(list.status()).toBe(200);
    const { templates } = (await list.json()) as { templates: Array<{ name: string; description: string; command: string }> };
    expect(templates.length).toBeGreaterThan(0);
    await openTeamCommander(page);
    for (const [i, template] of templates.entries()) {
      expect(template.name && template.description && template.command, JSON.stringify(template)).toBeTruthy();
      await commandInput(page).fill(template.command);
      const response = await send(page);
      expect(response.status(), `template ${template.name}: ${await response.text()}`).toBe(200);
      const squad = (await response.json()) as Squad;
      expectSquadShape(squad);
      await expect(page.getByText(/✅ Team créée avec succès/)).toHaveCount(i + 1);
    }
    await expect(page.getByText(/❌ Erreur/)).toHaveCount(0);
  });

  test('the experience and mode selectors reach the service', async ({ page }) => {
    await loginThroughUi(page);
    await openTeamCommander(page);
    await page.getByRole('button', { name: 'Débutant', exact: true }).click();
    await page.getByRole('button', { name: 'Roam', exact: true }).click();
    const message = '1 groupe de 5 avec Firebrand, Druid, Harbinger, Spellbreaker et Scrapper';
    await commandInput(page).fill(message);
    const response = await send(page);
    expect(response.request().postDataJSON()).toEqual({ message, experience: 'beginner', mode: 'wvw_roam' });
    expect(response.status(), await response.text()).toBe(200);
    const squad = (await response.json()) as Squad;
    expectSquadShape(squad);
    expect(squad.team_size).toBe(5);
    await expectSquadDisplayed(page, squad);
  });

  test('a request that cannot be honoured is refused (422) and the page says so', async ({ page }) => {
    await loginThroughUi(page);
    await openTeamCommander(page);
    await commandInput(page).fill('Je veux 2 groupes de 7 avec Firebrand et Druid');
    const response = await send(page);
    expect(response.status(), await response.text()).toBe(422);
    const body = await response.json();
    expect(JSON.stringify(body)).toMatch(/7/);
    await expect(page.getByText('❌ Erreur: Request failed with status code 422')).toBeVisible();
  });
});
