import { describe, expect, it } from 'vitest';
import { GameIndex, type Specialization } from '../../game/data';
import {
  apiParams,
  archetypeRows,
  chartOf,
  disambiguate,
  professionRows,
  queryUrl,
  readQuery,
  sources,
  specializationName,
  synergyRows,
  type MetaOverview,
} from './meta';
import { messages } from './messages';

// French game data: professions and elite specializations in French, each with its English name.
const spec = (id: number, name: string, name_en: string, profession: string, elite: boolean) =>
  ({ id, name, name_en, profession, elite, minor_traits: [], major_traits: [] }) as Specialization;
const fr = new GameIndex({
  professions: [
    { id: 'Guardian', name: 'Gardien', code: 1, armor_weight: 'heavy', specializations: [16, 62] },
    { id: 'Necromancer', name: 'Nécromant', code: 8, armor_weight: 'light', specializations: [60] },
  ],
  specializations: [
    spec(16, 'Zeal', 'Zeal', 'Guardian', false),
    spec(62, 'Incendiaire', 'Firebrand', 'Guardian', true),
    spec(60, 'Fléau', 'Scourge', 'Necromancer', true),
  ],
  traits: [],
  skills: [],
  itemstats: [],
});

const overview: MetaOverview = {
  success: true,
  game_mode: 'wvw',
  professions: [
    { profession: 'Guardian', count: 3, ratio: 0.75 },
    { profession: 'Necromancer', count: 1, ratio: 0.25 },
  ],
  archetypes: [
    { profession: 'Guardian', specialization: 'Firebrand', synergy_score: 'A', occurrences: 2, frequency: 0.5 },
    { profession: 'Necromancer', specialization: 'Scourge', synergy_score: null, occurrences: 1, frequency: 0.25 },
    { profession: 'Guardian', specialization: null, synergy_score: null, occurrences: 1, frequency: 0.25 },
  ],
  synergies: [{ profession: 'Guardian', specialization: 'Firebrand', synergy_score: 'A', occurrences: 1, frequency: 1 }],
  raw_meta: {
    time_range_days: 30,
    since: '2026-11-06T00:00:00Z',
    game_modes: ['wvw', 'wvw_zerg'],
    profession: null,
    builds: 2,
    team_slots: 1,
    saved_builds: 2,
    saved_builds_without_profession: 1,
    graded_saved_builds: 1,
    fight_players: 0,
    entries: 4,
  },
  timestamp: '2026-12-06T00:00:00Z',
};

describe('query', () => {
  it('reads the page query with defaults', () => {
    expect(readQuery({})).toEqual({ mode: 'wvw', days: 30, profession: '' });
    expect(readQuery({ mode: 'raid', days: '7', profession: 'Guardian' })).toEqual({ mode: 'raid', days: 7, profession: 'Guardian' });
    expect(readQuery({ mode: 'nope', days: '0' })).toEqual({ mode: 'wvw', days: 30, profession: '' });
    expect(readQuery({ days: '3651' }).days).toBe(30);
  });
  it('writes the page URL without defaults', () => {
    expect(queryUrl({ mode: 'wvw', days: 30, profession: '' })).toBe('/meta');
    expect(queryUrl({ mode: 'raid', days: 90, profession: 'Guardian' })).toBe('/meta?mode=raid&days=90&profession=Guardian');
  });
  it('asks the service for the mode, window and profession', () => {
    expect(apiParams({ mode: 'pvp', days: 7, profession: '' })).toEqual({ path: { game_mode: 'pvp' }, query: { time_range: 7 } });
    expect(apiParams({ mode: 'wvw', days: 30, profession: 'Guardian' }).query).toEqual({ time_range: 30, profession: 'Guardian' });
  });
});

describe('names', () => {
  it('names specializations in the UI language', () => {
    expect(specializationName('Firebrand', 'Guardian', fr)).toBe('Incendiaire');
    expect(specializationName('firebrand', null, fr)).toBe('Incendiaire');
    expect(specializationName('Firebrand', 'Necromancer', fr)).toBe('Firebrand');
    expect(specializationName('Unknown', 'Guardian', fr)).toBe('Unknown');
    expect(specializationName('Scourge', 'Necromancer', null)).toBe('Scourge');
    expect(specializationName(null, 'Guardian', fr)).toBe('');
  });

  it('turns the overview into rows', () => {
    expect(professionRows(overview, fr)).toEqual([
      { id: 'Guardian', name: 'Gardien', count: 3, ratio: 0.75 },
      { id: 'Necromancer', name: 'Nécromant', count: 1, ratio: 0.25 },
    ]);
    const rows = archetypeRows(overview, fr);
    expect(rows.map((r) => [r.name, r.profession, r.grade, r.count])).toEqual([
      ['Incendiaire', 'Gardien', 'A', 2],
      ['Fléau', 'Nécromant', null, 1],
      // A core build names its profession.
      ['Gardien', 'Gardien', null, 1],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(3);
    expect(synergyRows(overview, fr)[0]?.grade).toBe('A');
  });

  it('tells apart repeated names', () => {
    const rows = archetypeRows(
      {
        ...overview,
        archetypes: [
          { profession: 'Guardian', specialization: 'Zeal', occurrences: 1, frequency: 0.5 },
          { profession: 'Necromancer', specialization: 'Zeal', occurrences: 1, frequency: 0.5 },
        ],
      },
      null,
    );
    expect(disambiguate(rows).map((r) => r.name)).toEqual(['Zeal (Guardian)', 'Zeal (Necromancer)']);
  });
});

describe('charts and sources', () => {
  it('charts the first rows', () => {
    expect(chartOf(professionRows(overview, null), 1)).toEqual({ labels: ['Guardian'], values: [3] });
  });
  it('lists non-empty sources; saved builds without a profession are not entries', () => {
    expect(sources(overview)).toEqual([
      ['builds', 2],
      ['team_slots', 1],
      ['saved_builds', 1],
    ]);
  });
  it('has every message in both languages', () => {
    expect(Object.keys(messages.fr).sort()).toEqual(Object.keys(messages.en).sort());
  });
});
