import { describe, expect, it } from 'vitest';
import { GameIndex, type GameData } from '../../game/data';
import {
  NO_FILTERS,
  activeFilterCount,
  filtersFromQuery,
  filtersToSearch,
  isFiltered,
  pageCount,
  toApiQuery,
  withFilter,
} from './filters';
import { messages } from './messages';
import {
  EDITOR_FIELDS,
  EMPTY_FORM,
  applyTemplate,
  countSame,
  damageRows,
  draftFromForm,
  exportFileName,
  extraRows,
  fieldShown,
  formFromBuild,
  formSlots,
  gearRows,
  localPath,
  nextVote,
  skillRows,
  splitList,
  traitRows,
  unshownError,
  withProfession,
} from './model';
import { Names } from './names';
import type { BuildOut, BuildTemplate, Equipment } from './types';
import { rememberVote, rememberedVote } from './votes';

// A slice of the service's game data (the real ids and major trait order of the
// Necromancer's Spite, Soul Reaping and Reaper lines).
function gameData(lang: 'en' | 'fr'): GameData {
  const fr = lang === 'fr';
  return {
    professions: [
      { id: 'Necromancer', name: fr ? 'Nécromant' : 'Necromancer', code: 8, armor_weight: 'light', specializations: [53, 50, 34] },
      { id: 'Guardian', name: fr ? 'Gardien' : 'Guardian', code: 1, armor_weight: 'heavy', specializations: [27] },
    ],
    specializations: [
      { id: 53, name: 'Spite', profession: 'Necromancer', elite: false, minor_traits: [913, 915, 917], major_traits: [914, 916, 1863, 899, 829, 909, 919, 853, 903] },
      { id: 50, name: 'Soul Reaping', profession: 'Necromancer', elite: false, minor_traits: [887, 891, 874], major_traits: [875, 898, 888, 894, 861, 892, 889, 893, 905] },
      { id: 34, name: fr ? 'Faucheur' : 'Reaper', profession: 'Necromancer', elite: true, minor_traits: [1905, 1879, 2018], major_traits: [1974, 2020, 2026, 1969, 2008, 2031, 1932, 1919, 2021] },
      { id: 27, name: fr ? 'Draconnier' : 'Dragonhunter', profession: 'Guardian', elite: true, minor_traits: [], major_traits: [] },
    ],
    traits: [
      { id: 914, name: 'Spiteful Talisman', specialization: 53, tier: 1, slot: 'major' },
      { id: 829, name: 'Spiteful Fortitude', specialization: 53, tier: 2, slot: 'major' },
      { id: 853, name: 'Close to Death', specialization: 53, tier: 3, slot: 'major' },
      { id: 2020, name: 'Chilling Nova', specialization: 34, tier: 1, slot: 'major' },
      { id: 1969, name: 'Soul Eater', specialization: 34, tier: 2, slot: 'major' },
      { id: 2021, name: "Reaper's Onslaught", specialization: 34, tier: 3, slot: 'major' },
    ],
    skills: [
      { id: 10546, name: 'Well of Suffering', profession: 'Necromancer', slot: 'utility', specialization: null },
      { id: 30488, name: '"Your Soul Is Mine!"', profession: 'Necromancer', slot: 'heal', specialization: 34 },
    ],
    itemstats: [
      { key: 'berserker', name: "Berserker's", category: 'Power DPS', major: ['power'], minor: ['precision', 'ferocity'] },
      { key: 'viper', name: "Viper's", category: 'Condition DPS', major: ['power', 'condition_damage'], minor: ['precision', 'expertise'] },
    ],
  };
}

const english = new GameIndex(gameData('en'));
const names = new Names(english, english);
const frNames = new Names(new GameIndex(gameData('fr')), english);

const reaperTemplate: BuildTemplate = {
  profession: { code: 8, name: 'Necromancer' },
  specializations: [
    {
      id: 53,
      name: 'Spite',
      elite: false,
      traits: [
        { choice: 'top', id: 914, name: 'Spiteful Talisman' },
        { choice: 'middle', id: 829, name: 'Spiteful Fortitude' },
        { choice: 'middle', id: 853, name: 'Close to Death' },
      ],
    },
    { id: 50, name: 'Soul Reaping', elite: false, traits: [{ choice: 'top', id: 875 }, null, { choice: 'middle', id: 893 }] },
    {
      id: 34,
      name: 'Reaper',
      elite: true,
      traits: [
        { choice: 'middle', id: 2020 },
        { choice: 'top', id: 1969 },
        { choice: 'bottom', id: 2021 },
      ],
    },
  ],
  skills: {
    land: {
      heal: { palette: 4801, skill_id: 30488, name: '"Your Soul Is Mine!"' },
      utilities: [{ palette: 129, skill_id: 10546, name: 'Well of Suffering' }, { palette: 320, skill_id: 10607, name: 'Well of Darkness' }, null],
      elite: { palette: 149, skill_id: 10646, name: 'Summon Flesh Golem' },
    },
    water: { heal: null, utilities: [null, null, null], elite: null },
  },
};

function stored(overrides: Partial<BuildOut> = {}): BuildOut {
  return {
    id: 'b1',
    user_id: 'u1',
    author: 'bob',
    name: 'Condi Reaper',
    profession: 'Necromancer',
    specialization: 'Reaper',
    game_mode: 'raid',
    role: 'dps',
    trait_lines: [
      { specialization: 'Spite', traits: [1, 2, 2] },
      { specialization: 'Reaper', traits: [2, 1, 3] },
    ],
    skills: { heal: 4801, utilities: [129, null, null], elite: 149 },
    equipment: {
      gear: { helm: "Viper's", two_handed: "Viper's" } as unknown as NonNullable<Equipment['gear']>,
      runes: 'Superior Rune of the Krait',
      sigils: ['Bursting', 'Earth'],
      relic: null,
      infusions: ['+5 Condition Damage', '+5 Condition Damage'],
      food: null,
      utility: null,
    },
    synergies: [],
    counters: ['boon strip'],
    description: 'For raids',
    tags: ['condi', 'raid'],
    is_public: false,
    upvotes: 3,
    downvotes: 1,
    score: 2,
    views: 10,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-02T00:00:00Z',
    ...overrides,
  };
}

describe('filters', () => {
  it('read the address, dropping unknown values', () => {
    const f = filtersFromQuery({ q: ' reaper ', game_mode: 'raid', role: 'king', sort: 'top', page: '3', profession: 'Necromancer' });
    expect(f).toEqual({ ...NO_FILTERS, q: 'reaper', game_mode: 'raid', sort: 'top', page: 3, profession: 'Necromancer' });
    expect(filtersFromQuery({ sort: 'random', page: '-2' })).toEqual(NO_FILTERS);
  });
  it('write the address without defaults and read it back', () => {
    expect(filtersToSearch(NO_FILTERS)).toBe('');
    const f = { ...NO_FILTERS, q: 'condi reaper', tag: 'raid', sort: 'views' as const, page: 2 };
    const qs = filtersToSearch(f);
    expect(qs).toBe('q=condi+reaper&tag=raid&sort=views&page=2');
    expect(filtersFromQuery(Object.fromEntries(new URLSearchParams(qs)))).toEqual(f);
  });
  it('ask the API for one page', () => {
    expect(toApiQuery({ ...NO_FILTERS, page: 3, role: 'healer', q: '  ' }, 12)).toEqual({ sort: 'new', skip: 24, limit: 12, role: 'healer' });
  });
  it('start again from page 1 when a filter changes, and drop a foreign specialization', () => {
    const f = { ...NO_FILTERS, profession: 'Necromancer', specialization: 'Reaper', page: 4 };
    expect(withFilter(f, 'role', 'dps')).toMatchObject({ page: 1, specialization: 'Reaper' });
    expect(withFilter(f, 'profession', 'Guardian')).toMatchObject({ page: 1, specialization: '' });
    expect(withFilter(f, 'page', 5).page).toBe(5);
  });
  it('count the narrowing filters in use', () => {
    expect(activeFilterCount({ ...NO_FILTERS, q: 'x', sort: 'top' })).toBe(0);
    expect(activeFilterCount({ ...NO_FILTERS, profession: 'Guardian', role: 'healer', tag: ' ' })).toBe(2);
  });
  it('count pages and tell a filtered list', () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(25, 12)).toBe(3);
    expect(isFiltered({ ...NO_FILTERS, sort: 'top', page: 2 })).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, author: 'bob' })).toBe(true);
  });
});

describe('names', () => {
  it('show stored English names in the UI language', () => {
    expect(frNames.specialization('Reaper')).toBe('Faucheur');
    expect(frNames.professionAndSpec('Necromancer', 'Reaper')).toBe('Faucheur (Nécromant)');
    expect(names.professionAndSpec('Necromancer', null)).toBe('Necromancer');
    expect(names.specialization('Unknown')).toBe('Unknown');
  });
  it('offer a profession’s elite specializations by English value', () => {
    expect(frNames.specOptions('Necromancer', true)).toEqual([{ value: 'Reaper', label: 'Faucheur' }]);
    expect(names.specOptions('Nobody')).toEqual([]);
  });
  it('find stat prefixes by key or name', () => {
    expect(names.statKey("Berserker's")).toBe('berserker');
    expect(names.statKey('viper')).toBe('viper');
    expect(names.stat("Viper's")).toBe("Viper's");
  });
});

describe('trait lines', () => {
  it('name the three chosen major traits of each line', () => {
    const rows = traitRows(stored().trait_lines, frNames);
    expect(rows.map((r) => r.name)).toEqual(['Spite', 'Faucheur']);
    expect(rows[0]?.picks.map((p) => p?.name)).toEqual(['Spiteful Talisman', 'Spiteful Fortitude', 'Close to Death']);
    expect(rows[1]?.picks.map((p) => p && `${p.tier}:${p.choice}:${p.name}`)).toEqual([
      'adept:middle:Chilling Nova',
      'master:top:Soul Eater',
      "grandmaster:bottom:Reaper's Onslaught",
    ]);
    expect(rows[1]?.elite).toBe(true);
  });
  it('leave unchosen tiers empty', () => {
    const rows = traitRows([{ specialization: 'Spite', traits: [0, 2, 0] }], names);
    expect(rows[0]?.picks.map((p) => p?.name ?? null)).toEqual([null, 'Spiteful Fortitude', null]);
  });
});

describe('skill bar', () => {
  it('names palette ids through the decoded chat code', () => {
    const rows = skillRows(stored().skills, reaperTemplate, names);
    expect(rows.map((r) => `${r.slot}:${r.name}`)).toEqual([
      'heal:"Your Soul Is Mine!"',
      'utility1:Well of Suffering',
      'elite:Summon Flesh Golem',
    ]);
  });
  it('falls back to the palette id without a decoded code', () => {
    expect(skillRows({ heal: 4801 }, null, names)).toEqual([{ slot: 'heal', palette: 4801, skillId: null, name: '#4801' }]);
  });
});

describe('gear', () => {
  it('lists set slots in the game’s order, marking filled ones', () => {
    const rows = gearRows({ two_handed: "Viper's", helm: 'berserker', coat: '' }, names, ['helm']);
    expect(rows).toEqual([
      { slot: 'helm', prefix: 'berserker', name: "Berserker's", filled: true },
      { slot: 'two_handed', prefix: "Viper's", name: "Viper's" },
    ]);
  });
  it('lists upgrades, counting repeated infusions', () => {
    expect(extraRows(stored().equipment)).toEqual([
      { kind: 'runes', values: ['Superior Rune of the Krait'] },
      { kind: 'sigils', values: ['Bursting', 'Earth'] },
      { kind: 'infusions', values: ['+5 Condition Damage ×2'] },
    ]);
    expect(countSame(['a', 'b', 'a'])).toEqual(['a ×2', 'b']);
  });
});

describe('DPS', () => {
  it('splits damage largest first', () => {
    const rows = damageRows({ power: 100, bleeding: 300, burning: 0, confusion: 0, poison: 0, torment: 100, flat: 0 });
    expect(rows.map((r) => [r.kind, r.share])).toEqual([
      ['bleeding', 0.6],
      ['power', 0.2],
      ['torment', 0.2],
    ]);
  });
});

it('votes toggle', () => {
  expect(nextVote(0, 1)).toBe(1);
  expect(nextVote(1, 1)).toBe(0);
  expect(nextVote(1, -1)).toBe(-1);
});

describe('the editor', () => {
  it('fills profession, traits and skills from a decoded code, keeping the rest', () => {
    const form = applyTemplate({ ...EMPTY_FORM, name: 'Mine', role: 'support' }, reaperTemplate);
    expect(form.name).toBe('Mine');
    expect(form.role).toBe('support');
    expect(form.profession).toBe('Necromancer');
    expect(form.specialization).toBe('Reaper');
    expect(form.trait_lines).toEqual([
      { specialization: 'Spite', traits: [1, 2, 2] },
      { specialization: 'Soul Reaping', traits: [1, 0, 2] },
      { specialization: 'Reaper', traits: [2, 1, 3] },
    ]);
    expect(form.skills).toEqual({ heal: 4801, utilities: [129, 320, null], elite: 149, legends: [], pets: [] });
  });
  it('reads legends and pets', () => {
    const form = applyTemplate(EMPTY_FORM, {
      ...reaperTemplate,
      legends: { land: [{ code: 7, id: 'Legend7', name: 'Legendary Alliance Stance' }, null], water: [null, null] },
      pets: { land: [null, { id: 5, name: 'Jungle Stalker' }], water: [null, null] },
    });
    expect(form.skills.legends).toEqual(['Legendary Alliance Stance']);
    expect(form.skills.pets).toEqual(['Jungle Stalker']);
  });
  it('turns a stored build into a form and back', () => {
    const form = formFromBuild(stored(), (s) => names.statKey(s));
    expect(form.gear).toEqual({ helm: 'viper', two_handed: 'viper' });
    expect(form.twoHanded).toBe(true);
    expect(form.tags).toBe('condi, raid');
    expect(form.is_public).toBe(false);
    const draft = draftFromForm({ ...form, sigils: 'Bursting, , Earth', description: '  ' });
    expect(draft).toMatchObject({
      name: 'Condi Reaper',
      profession: 'Necromancer',
      specialization: 'Reaper',
      game_mode: 'raid',
      description: null,
      tags: ['condi', 'raid'],
      counters: ['boon strip'],
      is_public: false,
      trait_lines: stored().trait_lines,
      skills: { heal: 4801, utilities: [129, null, null], elite: 149, legends: [], pets: [] },
    });
    expect(draft.equipment).toEqual({
      gear: { helm: 'viper', two_handed: 'viper' },
      runes: 'Superior Rune of the Krait',
      relic: null,
      food: null,
      utility: null,
      sigils: ['Bursting', 'Earth'],
      infusions: ['+5 Condition Damage', '+5 Condition Damage'],
    });
  });
  it('sends the weapon slots of the chosen kind only', () => {
    const gear = { main_hand: 'viper', off_hand: 'viper', two_handed: 'berserker' };
    expect(draftFromForm({ ...EMPTY_FORM, gear, twoHanded: false }).equipment?.gear).toEqual({ main_hand: 'viper', off_hand: 'viper' });
    expect(draftFromForm({ ...EMPTY_FORM, gear, twoHanded: true }).equipment?.gear).toEqual({ two_handed: 'berserker' });
    expect(formSlots(true)).toHaveLength(13);
    expect(formSlots(false)).toHaveLength(14);
  });
  it('drops traits and skills when the profession changes', () => {
    const form = applyTemplate(EMPTY_FORM, reaperTemplate);
    expect(withProfession(form, 'Necromancer')).toBe(form);
    expect(withProfession(form, 'Guardian')).toMatchObject({ profession: 'Guardian', specialization: '', trait_lines: [] });
  });
  it('splits lists', () => {
    expect(splitList(' a, b,,\nc ')).toEqual(['a', 'b', 'c']);
  });
  it('shows an API error on its field or above the buttons', () => {
    expect(fieldShown('equipment.gear.helm', EDITOR_FIELDS)).toBe(true);
    expect(fieldShown('tags.3', EDITOR_FIELDS)).toBe(true);
    expect(fieldShown('trait_lines.2.specialization', EDITOR_FIELDS)).toBe(true);
    expect(fieldShown('build', EDITOR_FIELDS)).toBe(false);
    const onField = { field: 'name', message: 'must not be empty' };
    const elsewhere = { field: null, message: 'server error' };
    expect(unshownError(onField, EDITOR_FIELDS)).toBeNull();
    expect(unshownError(elsewhere, EDITOR_FIELDS)).toBe(elsewhere);
    expect(unshownError(null, EDITOR_FIELDS)).toBeNull();
  });
});

describe('links and files', () => {
  it('names downloads after the build', () => {
    expect(exportFileName('Condi Reaper — raid (v2)', 'markdown')).toBe('condi-reaper-raid-v2.md');
    expect(exportFileName('Élémentaliste', 'json')).toBe('elementaliste.json');
    expect(exportFileName('!!!', 'chat_code')).toBe('build.txt');
  });
  it('opens our own sources as pages', () => {
    expect(localPath('http://127.0.0.1:8201/builds/abc', 'http://127.0.0.1:8201')).toBe('/builds/abc');
    expect(localPath('https://snowcrows.com/builds/x', 'http://127.0.0.1:8201')).toBeNull();
    expect(localPath('not a url', 'http://x')).toBeNull();
    expect(localPath(null, 'http://x')).toBeNull();
  });
});

describe('remembered votes', () => {
  function memoryStorage(): Storage {
    const data = new Map<string, string>();
    return {
      get length() {
        return data.size;
      },
      clear: () => data.clear(),
      getItem: (k) => data.get(k) ?? null,
      key: (i) => [...data.keys()][i] ?? null,
      removeItem: (k) => void data.delete(k),
      setItem: (k, v) => void data.set(k, v),
    };
  }
  it('per user and build, withdrawn votes forgotten', () => {
    const s = memoryStorage();
    expect(rememberedVote('u1', 'b1', s)).toBe(0);
    rememberVote('u1', 'b1', 1, s);
    rememberVote('u2', 'b1', -1, s);
    expect(rememberedVote('u1', 'b1', s)).toBe(1);
    expect(rememberedVote('u2', 'b1', s)).toBe(-1);
    rememberVote('u1', 'b1', 0, s);
    expect(rememberedVote('u1', 'b1', s)).toBe(0);
  });
  it('survives broken storage', () => {
    const s = memoryStorage();
    s.setItem('gw2opt.votes', '{not json');
    expect(rememberedVote('u1', 'b1', s)).toBe(0);
    rememberVote('u1', 'b1', 1, s);
    expect(rememberedVote('u1', 'b1', s)).toBe(1);
  });
});

it('builds messages exist in both languages', () => {
  expect(Object.keys(messages.fr).sort()).toEqual(Object.keys(messages.en).sort());
});
