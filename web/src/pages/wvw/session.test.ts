import { describe, expect, it } from 'vitest';
import { GameIndex, type GameData } from '../../game/data';
import type { FightSummary } from './report';
import { fightsInOrder, localProfession, podium, ranksOf, sortPlayers, winRate, type SessionPlayer, type SessionStats } from './session';
import { idsFromQuery } from './sessions';
import { targetFromQuery } from './live-page';

const entry = (rank: number, account: string, value: number) => ({ rank, account, name: account.split('.')[0]!, value });

const player = (account: string, damage: number, distance: number | null): SessionPlayer => ({
  account,
  name: account.split('.')[0]!,
  professions: ['Firebrand'],
  fights: 2,
  active_ms: 20000,
  damage,
  dps: damage / 20,
  downs: 0,
  kills: 0,
  deaths: 0,
  damage_taken: 0,
  boon_strips: 0,
  cleanses: 0,
  resurrects: 0,
  healing: 0,
  barrier: 0,
  stability_generation: 0,
  distance_to_commander: distance,
});

// Rankings as the service sends them for two fixture logs (alpha, charlie, bravo).
const stats: SessionStats = {
  fights: 2,
  total_duration_ms: 20000,
  victories: 2,
  defeats: 0,
  enemy_deaths: 4,
  squad_deaths: 1,
  squad_damage: 11950,
  players: [player('alpha.1234', 6000, null), player('bravo.5678', 2200, 500), player('charlie.9012', 3750, 556.72)],
  rankings: {
    damage: [entry(1, 'alpha.1234', 6000), entry(2, 'charlie.9012', 3750), entry(3, 'bravo.5678', 2200)],
    downs: [entry(1, 'alpha.1234', 2), entry(2, 'charlie.9012', 1), entry(3, 'bravo.5678', 0)],
    strips: [entry(1, 'charlie.9012', 2), entry(2, 'alpha.1234', 0), entry(3, 'bravo.5678', 0)],
    cleanses: [entry(1, 'alpha.1234', 2), entry(2, 'bravo.5678', 2), entry(3, 'charlie.9012', 1)],
    stability: [entry(1, 'alpha.1234', 0.05), entry(2, 'bravo.5678', 0), entry(3, 'charlie.9012', 0)],
    healing: [entry(1, 'alpha.1234', 2500), entry(2, 'bravo.5678', 0), entry(3, 'charlie.9012', 0)],
    barrier: [],
    distance_to_tag: [entry(1, 'bravo.5678', 500), entry(2, 'charlie.9012', 556.72)],
  },
};

describe('rankings', () => {
  it('show the top of each statistic', () => {
    expect(podium(stats, 'damage').map((r) => [r.rank, r.name])).toEqual([
      [1, 'alpha'],
      [2, 'charlie'],
      [3, 'bravo'],
    ]);
    expect(podium(stats, 'damage', 2)).toHaveLength(2);
  });
  it('leave out players who did nothing, except for distance', () => {
    expect(podium(stats, 'strips').map((r) => r.name)).toEqual(['charlie']);
    expect(podium(stats, 'barrier')).toEqual([]);
    expect(podium(stats, 'distance_to_tag').map((r) => r.value)).toEqual([500, 556.72]);
  });
  it('share a rank on ties', () => {
    expect(podium(stats, 'cleanses').map((r) => r.rank)).toEqual([1, 1, 3]);
  });
  it('give a player’s ranks', () => {
    expect(ranksOf(stats, 'bravo.5678')).toEqual({ damage: 3, cleanses: 1, distance_to_tag: 1 });
  });
  it('give the win rate over decided fights', () => {
    expect(winRate(stats)).toBe(1);
    expect(winRate({ ...stats, victories: 0, defeats: 0 })).toBeNull();
  });
});

it('sorts session players, missing distances last', () => {
  expect(sortPlayers(stats.players, 'damage', 'descending').map((p) => p.name)).toEqual(['alpha', 'charlie', 'bravo']);
  expect(sortPlayers(stats.players, 'distance_to_commander', 'ascending').map((p) => p.name)).toEqual(['bravo', 'charlie', 'alpha']);
  expect(sortPlayers(stats.players, 'distance_to_commander', 'descending').map((p) => p.name)).toEqual(['charlie', 'bravo', 'alpha']);
  expect(sortPlayers(stats.players, 'name', 'descending').map((p) => p.name)).toEqual(['charlie', 'bravo', 'alpha']);
});

it('orders fights by start time, else upload time', () => {
  const f = (id: string, started: string | null, created: string) => ({ id, started_at: started, created_at: created }) as FightSummary;
  const ordered = fightsInOrder([f('b', '2026-01-01T21:00:00Z', '2026-01-02T00:00:00Z'), f('c', null, '2026-01-01T22:00:00Z'), f('a', '2026-01-01T20:00:00Z', '2026-01-03T00:00:00Z')]);
  expect(ordered.map((x) => x.id)).toEqual(['a', 'b', 'c']);
});

it('names professions from the logs in the UI language', () => {
  const data = (spec: string, prof: string): GameData => ({
    professions: [{ id: 'Guardian', name: prof, code: 1, armor_weight: 'Heavy', specializations: [62] }],
    specializations: [{ id: 62, name: spec, profession: 'Guardian', elite: true, minor_traits: [], major_traits: [] }],
    traits: [],
    skills: [],
    itemstats: [],
  });
  const en = new GameIndex(data('Firebrand', 'Guardian'));
  const fr = new GameIndex(data('Draconnier', 'Gardien'));
  expect(localProfession('Firebrand', en, fr)).toBe('Draconnier');
  expect(localProfession('Guardian', en, fr)).toBe('Gardien');
  expect(localProfession('Unknown', en, fr)).toBe('Unknown');
  expect(localProfession('Firebrand', en, en)).toBe('Firebrand');
  expect(localProfession('Firebrand', null, fr)).toBe('Firebrand');
});

it('reads page parameters', () => {
  const id = '5889aba3-ce1c-4e9c-afc6-1ad25199cd9f';
  expect(idsFromQuery(`${id},nope,${id}`)).toEqual([id]);
  expect(idsFromQuery(undefined)).toEqual([]);
  expect(targetFromQuery({ match: '2-1' })).toEqual({ match_id: '2-1' });
  expect(targetFromQuery({ match: 'x' })).toBeNull();
  expect(targetFromQuery({ world: '2003' })).toEqual({ world_id: 2003 });
  expect(targetFromQuery({})).toBeNull();
});
