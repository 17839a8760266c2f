import { describe, expect, it } from 'vitest';
import { itemstats, powerPreset, supportPreset } from './fixtures.test-data';
import { fromInput, modifierKinds, objectiveOf, parseInputJson, parseNumber, toInput, weaponOf } from './form';
import type { GearInput } from './types';

describe('fromInput', () => {
  it('reads a preset into the form', () => {
    const form = fromInput(powerPreset, itemstats);
    expect(form.objective).toBe('damage');
    expect(form.weapon).toBe('two_handed');
    expect(form.affixes).toEqual(['berserker', 'assassin']);
    expect(form.infusionsOn).toBe(true);
    expect(form.infusionPrimary).toBe('power');
    expect(form.infusionSecondary).toBe('precision');
    expect(form.infusionMax).toBe('18');
    expect(form.top).toBe('10');
    expect(form.targetArmor).toBe('');
    expect(form.constraints.min_boon_duration).toBe('');
  });

  it('resolves prefix names to keys and drops duplicates', () => {
    const input: GearInput = {
      profession: 'Warrior',
      affixes: ["Assassin's", 'assassin', 'Berserker’s', 'Unknown Prefix'],
      forced_slots: { amulet: "Dragon's" },
    };
    const form = fromInput(input, itemstats);
    expect(form.affixes).toEqual(['assassin', 'berserker', 'Unknown Prefix']);
    expect(form.forced).toEqual({ amulet: 'dragon' });
  });

  it('reads constraints and objective aliases', () => {
    const form = fromInput(supportPreset, itemstats);
    expect(form.objective).toBe('survivability');
    expect(form.constraints.min_boon_duration).toBe('50');
    expect(form.constraints.min_healing_power).toBe('1000');
    expect(objectiveOf('dps')).toBe('damage');
    expect(objectiveOf('effective_health')).toBe('survivability');
    expect(objectiveOf('healing_power')).toBe('healing');
    expect(objectiveOf(undefined)).toBe('damage');
    expect(weaponOf('Dual wield')).toBe('dual_wield');
    expect(weaponOf('two-handed')).toBe('two_handed');
  });

  it('an input without infusions has them off', () => {
    const form = fromInput({ profession: 'Guardian', infusions: null }, itemstats);
    expect(form.infusionsOn).toBe(false);
    expect(toInput({ ...form, affixes: ['berserker'] }).input.infusions).toBeNull();
  });
});

describe('toInput', () => {
  it('round-trips a preset unchanged except for the normalised fields', () => {
    const { input, errors } = toInput(fromInput(powerPreset, itemstats));
    expect(errors).toEqual({});
    expect(input.modifiers).toEqual(powerPreset.modifiers);
    expect(input.distribution).toEqual(powerPreset.distribution);
    expect(input.source).toEqual(powerPreset.source);
    expect(input.affixes).toEqual(['berserker', 'assassin']);
    expect(input.infusions).toEqual(powerPreset.infusions);
    expect(input.constraints).toEqual({});
    expect(input.top).toBe(10);
    expect('target_armor' in input).toBe(false);
    expect('forced_slots' in input).toBe(false);
  });

  it('writes the edited fields', () => {
    const form = fromInput(supportPreset, itemstats);
    form.affixes = ['minstrel', 'harrier'];
    form.objective = 'healing';
    form.weapon = 'dual_wield';
    form.forced = { amulet: 'minstrel', two_handed: 'harrier', main_hand: 'harrier' };
    form.constraints = { ...form.constraints, min_boon_duration: '62,5', max_toughness: '' };
    form.minAttributes = { ...form.minAttributes, concentration: '300' };
    form.maxAttributes = { ...form.maxAttributes, toughness: '1500' };
    form.top = '25';
    form.targetArmor = '2271';
    form.movementUptime = '20';
    const { input, errors } = toInput(form);
    expect(errors).toEqual({});
    expect(input.optimize_for).toBe('healing');
    expect(input.weapon_type).toBe('dual_wield');
    // two_handed is not a slot of a dual-wield loadout: dropped.
    expect(input.forced_slots).toEqual({ amulet: 'minstrel', main_hand: 'harrier' });
    expect(input.constraints).toEqual({
      min_boon_duration: 62.5,
      min_healing_power: 1000,
      min_attributes: { concentration: 300 },
      max_attributes: { toughness: 1500 },
    });
    expect(input.top).toBe(25);
    expect(input.target_armor).toBe(2271);
    expect(input.movement_uptime).toBe(20);
  });

  it('keeps bounds on stats the form does not show', () => {
    const form = fromInput(
      { profession: 'Guardian', affixes: ['berserker'], constraints: { min_attributes: { boon_duration: 40, power: 2000 } } },
      itemstats,
    );
    expect(form.minAttributes.power).toBe('2000');
    form.minAttributes = { ...form.minAttributes, power: '' };
    expect(toInput(form).input.constraints).toEqual({ min_attributes: { boon_duration: 40 } });
  });

  it('reports field errors', () => {
    const form = fromInput(powerPreset, itemstats);
    form.affixes = [];
    form.top = '0';
    form.infusionSecondary = 'power';
    form.infusionMax = '19';
    form.constraints = { ...form.constraints, min_crit_chance: 'abc' };
    form.maxEvaluations = '1.5';
    const { errors } = toInput(form);
    expect(errors).toEqual({
      affixes: { code: 'noAffixes' },
      top: { code: 'outOfRange', min: 1, max: 1000 },
      'infusions.secondary': { code: 'sameInfusion' },
      'infusions.max': { code: 'outOfRange', min: 0, max: 18 },
      'constraints.min_crit_chance': { code: 'notNumber' },
      max_evaluations: { code: 'notInteger' },
    });
  });

  it('needs no candidates when every slot is forced', () => {
    const form = fromInput({ profession: 'Warrior', weapon_type: 'two_handed' }, itemstats);
    form.forced = Object.fromEntries(
      ['helm', 'shoulders', 'coat', 'gloves', 'leggings', 'boots', 'amulet', 'ring1', 'ring2', 'accessory1', 'accessory2', 'back', 'two_handed'].map(
        (s) => [s, 'berserker'],
      ),
    );
    expect(toInput(form).errors).toEqual({});
  });

  it('refuses more than 64 candidates', () => {
    const form = fromInput(powerPreset, itemstats);
    form.affixes = Array.from({ length: 65 }, (_, i) => `p${i}`);
    expect(toInput(form).errors.affixes).toEqual({ code: 'tooManyAffixes', max: 64 });
  });
});

describe('parsing', () => {
  it('reads numbers with a decimal point or comma', () => {
    expect(parseNumber(' 12.5 ')).toBe(12.5);
    expect(parseNumber('12,5')).toBe(12.5);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('x')).toBe('invalid');
  });

  it('reads a pasted gear input', () => {
    expect(parseInputJson('{')).toBe('invalidJson');
    expect(parseInputJson('[1]')).toBe('notAnInput');
    expect(parseInputJson('{"affixes": []}')).toBe('notAnInput');
    expect(parseInputJson(JSON.stringify(powerPreset))).toEqual(powerPreset);
  });

  it('groups modifiers by kind with their names', () => {
    const kinds = modifierKinds(powerPreset);
    expect(kinds.map((k) => k.kind)).toEqual(['buff', 'rune', 'relic', 'sigil', 'utility', 'food', 'trait']);
    expect(kinds.find((k) => k.kind === 'rune')?.labels).toEqual(['rune:scholar']);
    // Inline traits carry a name; two entries of one trait are listed once.
    const traits = kinds.find((k) => k.kind === 'trait')?.labels ?? [];
    expect(traits).toContain('Peak Performance');
    expect(traits.filter((l) => l === 'Pinnacle Of Strength')).toHaveLength(1);
  });
});
