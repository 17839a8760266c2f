import { describe, expect, it } from 'vitest';
import { itemstats, result } from './fixtures.test-data';
import { categoryMessage, formErrorText, modeMessage, modifierKindMessage, scientific, superscript } from './labels';
import { messages } from './messages';
import { groupPrefixes, normalizeName, prefixKey } from './prefixes';
import { chartData, damageSplit, gapToBest, infusionList, prefixCounts, sheetValue, slotRows } from './results';

describe('prefixes', () => {
  it('normalises names like the service', () => {
    expect(normalizeName("Berserker's")).toBe('berserker');
    expect(normalizeName('Berserker’s and Valkyrie')).toBe('berserkerandvalkyrie');
  });
  it('finds keys from keys and names', () => {
    expect(prefixKey('berserker', itemstats)).toBe('berserker');
    expect(prefixKey("Viper's", itemstats)).toBe('viper');
    expect(prefixKey("Berserker's and Valkyrie", itemstats)).toBe('berserkervalkyrie');
    expect(prefixKey('Nope', itemstats)).toBeNull();
  });
  it('groups by category in a fixed order', () => {
    const groups = groupPrefixes(itemstats);
    expect(groups.map((g) => g.category)).toEqual(['Power DPS', 'Condi DPS', 'Hybrid', 'Healing', 'Misc']);
    expect(groups[0]?.stats.map((s) => s.key)).toEqual(['assassin', 'berserker', 'dragon']);
  });
});

describe('results', () => {
  const r = result(1, 41366.1);

  it('counts prefixes, most used first', () => {
    expect(prefixCounts(r.gear, itemstats)).toEqual([
      { key: 'viper', name: "Viper's", count: 11 },
      { key: 'sinister', name: 'Sinister', count: 3 },
    ]);
  });

  it('lists the gear in slot order', () => {
    const rows = slotRows(r.gear, itemstats);
    expect(rows.map((x) => x.slot)).toEqual([
      'helm',
      'shoulders',
      'coat',
      'gloves',
      'leggings',
      'boots',
      'amulet',
      'ring1',
      'ring2',
      'accessory1',
      'accessory2',
      'back',
      'main_hand',
      'off_hand',
    ]);
    expect(rows[7]).toEqual({ slot: 'ring1', name: 'Sinister', key: 'sinister' });
  });

  it('rounds the sheet: points whole, percentages to a tenth', () => {
    expect(sheetValue(r.attributes, 'expertise')).toEqual({ value: 1004, percent: false });
    expect(sheetValue(r.attributes, 'critical_chance')).toEqual({ value: 56.2, percent: true });
    expect(sheetValue(r.attributes, 'condition_duration')).toEqual({ value: 67, percent: true });
  });

  it('splits damage by source with shares', () => {
    const split = damageSplit(r);
    expect(split.rows.map((x) => x.kind)).toEqual(['power', 'bleeding', 'burning', 'torment']);
    expect(split.strike).toBeCloseTo(5648.8);
    expect(split.conditions).toBeCloseTo(5382.6 + 29567.6 + 767.1);
    expect(split.total).toBeCloseTo(41366.1);
    expect(split.rows.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1);
  });

  it('lists infusions, most first', () => {
    expect(infusionList(r)).toEqual([
      ['condition_damage', 12],
      ['expertise', 6],
    ]);
    expect(infusionList(result(1, 1, { infusions: {} }))).toEqual([]);
  });

  it('charts the score of the top results', () => {
    expect(chartData([r, result(2, 41000.04)])).toEqual({ labels: ['#1', '#2'], values: [41366.1, 41000] });
    const many = Array.from({ length: 15 }, (_, i) => result(i + 1, 100 - i));
    expect(chartData(many).labels).toHaveLength(10);
    expect(chartData(many, 5).values).toEqual([100, 99, 98, 97, 96]);
  });

  it('measures the gap to the best', () => {
    expect(gapToBest([result(1, 200), result(2, 150)])).toEqual([0, 25]);
    expect(gapToBest([])).toEqual([]);
  });
});

describe('labels', () => {
  it('has a message for each known category, kind and mode', () => {
    expect(categoryMessage('Healing (Offensive)')).toBe('cat_Healing_Offensive');
    expect(categoryMessage('Power DPS')).toBe('cat_Power_DPS');
    expect(categoryMessage('Something new')).toBeNull();
    expect(modifierKindMessage('sigil')).toBe('m_sigil');
    expect(modifierKindMessage('whatever')).toBe('m_other');
    expect(modeMessage('wvw_zerg')).toBe('mode_wvw');
    expect(modeMessage('raid')).toBe('mode_raid');
    expect(modeMessage(null)).toBeNull();
  });

  it('writes form errors', () => {
    const t = (key: keyof typeof messages.en, vars?: Record<string, string | number>) =>
      `${key}${vars ? JSON.stringify(vars) : ''}`;
    expect(formErrorText(t, { code: 'outOfRange', min: 1, max: 10 })).toBe('e_outOfRange{"min":1,"max":10}');
    expect(formErrorText(t, { code: 'outOfRange', min: 1 })).toBe('e_outOfRangeMin{"min":1}');
    expect(formErrorText(t, { code: 'noAffixes' })).toBe('e_noAffixes');
    expect(formErrorText(t, undefined)).toBeUndefined();
  });

  it('writes large counts in powers of ten', () => {
    expect(scientific(2.4e16)).toEqual({ mantissa: 2.4, exponent: 16 });
    expect(scientific(155648)).toBeNull();
    expect(superscript(16)).toBe('¹⁶');
  });

  it('has every message in both languages', () => {
    expect(Object.keys(messages.fr).sort()).toEqual(Object.keys(messages.en).sort());
  });
});
