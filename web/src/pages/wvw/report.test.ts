import { describe, expect, it } from 'vitest';
import { GameIndex } from '../../game/data';
import raw from './fixtures/skirmish-report.json?raw';
import { messages } from './messages';
import {
  COLUMNS,
  DEFAULT_SORT,
  ariaSort,
  boonUptimes,
  nextSort,
  playerRows,
  sortRows,
  specName,
  topByDamage,
  totals,
  type FightWithReport,
} from './report';

// The service's answer for crates/evtc/tests/fixtures/skirmish.zevtc (boons trimmed to stability).
const data = JSON.parse(raw) as FightWithReport;
const report = data.report;

const french = new GameIndex({
  professions: [
    { id: 'Guardian', name: 'Gardien', code: 1, armor_weight: 'Heavy', specializations: [62] },
    { id: 'Warrior', name: 'Guerrier', code: 2, armor_weight: 'Heavy', specializations: [] },
  ],
  specializations: [{ id: 62, name: 'Draconnier', profession: 'Guardian', elite: true, minor_traits: [], major_traits: [] }],
  traits: [],
  skills: [],
  itemstats: [],
});

describe('playerRows', () => {
  it('makes one row per squad member with the report’s figures', () => {
    const rows = playerRows(report, null);
    expect(rows.map((r) => r.name)).toEqual(['Alpha', 'Bravo', 'Charlie']);
    const alpha = rows[0]!;
    expect(alpha).toMatchObject({
      account: 'alpha.1234',
      spec: 'Firebrand',
      group: 1,
      commander: true,
      damage: 2500,
      strike: 2500,
      condi: 0,
      dps: 250,
      downs: 1,
      kills: 0,
      deaths: 0,
      cleanses: 2, // others + self
      healing: 2500,
      barrier: 1200,
      distance: null, // the commander's own distance is not a distance
    });
    expect(alpha.stability).toBeCloseTo(0.1);
    expect(rows[1]!.distance).toBe(500);
    expect(rows[2]!.strips).toBe(2);
  });

  it('adds allies outside the squad on demand', () => {
    const rows = playerRows(report, null, true);
    expect(rows).toHaveLength(4);
    expect(rows[3]).toMatchObject({ name: 'Delta', inSquad: false });
  });

  it('names specializations in the UI language from the game data', () => {
    expect(specName({ profession: 1, elite: 62, profession_name: 'Firebrand' }, french)).toBe('Draconnier');
    // A specialization the data does not know: the core profession's name.
    expect(specName({ profession: 2, elite: 61, profession_name: 'Spellbreaker' }, french)).toBe('Guerrier');
    // Nothing known at all: the report's own name.
    expect(specName({ profession: 8, elite: 60, profession_name: 'Scourge' }, french)).toBe('Scourge');
    expect(specName({ profession: 1, elite: 62, profession_name: 'Firebrand' }, null)).toBe('Firebrand');
  });
});

describe('sorting', () => {
  const rows = playerRows(report, null);
  it('sorts by damage, best first, by default', () => {
    expect(sortRows(rows, DEFAULT_SORT).map((r) => r.name)).toEqual(['Alpha', 'Charlie', 'Bravo']);
  });
  it('toggles a column and starts a new one in its better direction', () => {
    expect(nextSort(DEFAULT_SORT, 'damage')).toEqual({ key: 'damage', dir: 'ascending' });
    expect(nextSort(DEFAULT_SORT, 'distance')).toEqual({ key: 'distance', dir: 'ascending' });
    expect(nextSort(DEFAULT_SORT, 'strips')).toEqual({ key: 'strips', dir: 'descending' });
    expect(nextSort(DEFAULT_SORT, 'name')).toEqual({ key: 'name', dir: 'ascending' });
  });
  it('keeps missing values last in both directions', () => {
    const asc = sortRows(rows, { key: 'distance', dir: 'ascending' }).map((r) => r.name);
    const desc = sortRows(rows, { key: 'distance', dir: 'descending' }).map((r) => r.name);
    expect(asc).toEqual(['Bravo', 'Charlie', 'Alpha']);
    expect(desc).toEqual(['Charlie', 'Bravo', 'Alpha']);
  });
  it('sorts text columns and breaks ties by name', () => {
    expect(sortRows(rows, { key: 'spec', dir: 'descending' }).map((r) => r.spec)).toEqual(['Spellbreaker', 'Scourge', 'Firebrand']);
    expect(sortRows(rows, { key: 'kills', dir: 'descending' }).map((r) => r.name)).toEqual(['Charlie', 'Alpha', 'Bravo']);
  });
  it('gives aria-sort per header', () => {
    expect(ariaSort(DEFAULT_SORT, 'damage')).toBe('descending');
    expect(ariaSort(DEFAULT_SORT, 'name')).toBe('none');
  });
});

describe('totals', () => {
  it('sums the squad and averages the distance', () => {
    const sums = totals(playerRows(report, null));
    expect(sums.damage).toBe(report.outcome.squad_damage);
    expect(sums.dps).toBe(550);
    expect(sums.distance).toBeCloseTo((500 + 556.72) / 2);
    expect(sums).not.toHaveProperty('name');
    expect(sums).not.toHaveProperty('group');
  });
  it('has no mean without values', () => {
    expect(totals([]).distance).toBeNull();
    expect(totals([]).damage).toBe(0);
  });
});

it('charts the boons someone had and the top players by damage', () => {
  expect(boonUptimes(report).map((b) => b.name)).toEqual(['Might', 'Quickness', 'Stability']);
  expect(topByDamage(playerRows(report, null), 2).map((r) => r.name)).toEqual(['Alpha', 'Charlie']);
});

it('labels every column in both languages', () => {
  expect(Object.keys(messages.fr).sort()).toEqual(Object.keys(messages.en).sort());
  expect(COLUMNS.length).toBe(15);
});
