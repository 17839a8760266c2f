// The optimizer form ↔ the gear input (types.ts). The form edits what a player chooses —
// objective, loadout, candidate prefixes, forced slots, infusions, constraints, the number of
// results and the target — and keeps the rest of the input (rotation, modifiers, provenance)
// exactly as the preset or build gave it.
import type { ItemStat } from '../../game/data';
import { prefixKey } from './prefixes';
import {
  ATTRIBUTES,
  CONSTRAINT_FIELDS,
  MAX_AFFIXES,
  MAX_INFUSIONS,
  MAX_TOP,
  slotsOf,
  type Attribute,
  type ConstraintField,
  type Constraints,
  type GearInput,
  type GearSlot,
  type Objective,
  type WeaponType,
} from './types';

export interface GearForm {
  /** The input the form started from: every field the form does not edit comes from it. */
  base: GearInput;
  objective: Objective;
  weapon: WeaponType;
  /** Candidate prefixes, as game data keys (a name the data does not know is kept as given). */
  affixes: string[];
  /** Slot → prefix key. */
  forced: Partial<Record<GearSlot, string>>;
  infusionsOn: boolean;
  infusionPrimary: Attribute;
  infusionSecondary: Attribute | '';
  infusionMax: string;
  infusionPrimaryMax: string;
  infusionSecondaryMax: string;
  constraints: Record<ConstraintField, string>;
  minAttributes: Record<Attribute, string>;
  maxAttributes: Record<Attribute, string>;
  top: string;
  targetArmor: string;
  attackRate: string;
  movementUptime: string;
  maxEvaluations: string;
}

export type FormErrorCode = 'notNumber' | 'notInteger' | 'outOfRange' | 'noAffixes' | 'tooManyAffixes' | 'sameInfusion';
export interface FormError {
  code: FormErrorCode;
  min?: number;
  max?: number;
}
/** Field path (`top`, `constraints.min_boon_duration`, `constraints.min_attributes.power`) → error. */
export type FormErrors = Record<string, FormError>;

const OBJECTIVE_ALIASES: Record<string, Objective> = {
  damage: 'damage',
  dps: 'damage',
  survivability: 'survivability',
  effective_health: 'survivability',
  healing: 'healing',
  healing_power: 'healing',
};

export function objectiveOf(value: string | null | undefined): Objective {
  return OBJECTIVE_ALIASES[(value ?? '').toLowerCase()] ?? 'damage';
}

export function weaponOf(value: string | null | undefined): WeaponType {
  const v = (value ?? '').toLowerCase().replace(/[- ]/g, '_');
  return v === 'dual_wield' ? 'dual_wield' : 'two_handed';
}

function isAttribute(value: unknown): value is Attribute {
  return typeof value === 'string' && (ATTRIBUTES as readonly string[]).includes(value);
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

function perAttribute(values: Record<string, number> | undefined): Record<Attribute, string> {
  return Object.fromEntries(ATTRIBUTES.map((a) => [a, text(values?.[a])])) as Record<Attribute, string>;
}

/** The form for an input (prefix names resolved to game data keys). */
export function fromInput(input: GearInput, itemstats: readonly ItemStat[]): GearForm {
  const key = (name: string) => prefixKey(name, itemstats) ?? name;
  const affixes: string[] = [];
  for (const a of input.affixes ?? []) {
    const k = key(a);
    if (!affixes.includes(k)) affixes.push(k);
  }
  const forced: Partial<Record<GearSlot, string>> = {};
  for (const [slot, name] of Object.entries(input.forced_slots ?? {})) {
    if (name) forced[slot as GearSlot] = key(name);
  }
  const inf = input.infusions ?? null;
  const constraints = input.constraints ?? {};
  return {
    base: input,
    objective: objectiveOf(input.optimize_for),
    weapon: weaponOf(input.weapon_type),
    affixes,
    forced,
    infusionsOn: inf !== null,
    infusionPrimary: inf && isAttribute(inf.primary) ? inf.primary : 'power',
    infusionSecondary: inf && isAttribute(inf.secondary) ? inf.secondary : '',
    infusionMax: text(inf?.max ?? MAX_INFUSIONS),
    infusionPrimaryMax: text(inf?.primary_max ?? MAX_INFUSIONS),
    infusionSecondaryMax: text(inf?.secondary_max ?? MAX_INFUSIONS),
    constraints: Object.fromEntries(CONSTRAINT_FIELDS.map((f) => [f, text(constraints[f])])) as Record<ConstraintField, string>,
    minAttributes: perAttribute(constraints.min_attributes),
    maxAttributes: perAttribute(constraints.max_attributes),
    top: text(input.top ?? 10),
    targetArmor: text(input.target_armor),
    attackRate: text(input.attack_rate),
    movementUptime: text(input.movement_uptime),
    maxEvaluations: text(input.max_evaluations),
  };
}

/** A number typed in a field (a decimal comma is accepted); `null` when empty. */
export function parseNumber(value: string): number | null | 'invalid' {
  const v = value.trim().replace(',', '.');
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : 'invalid';
}

interface NumberRule {
  min: number;
  max?: number;
  integer?: boolean;
}

function readNumber(value: string, path: string, rule: NumberRule, errors: FormErrors): number | null {
  const n = parseNumber(value);
  if (n === null) return null;
  if (n === 'invalid') {
    errors[path] = { code: 'notNumber' };
    return null;
  }
  if (rule.integer && !Number.isInteger(n)) {
    errors[path] = { code: 'notInteger' };
    return null;
  }
  if (n < rule.min || (rule.max !== undefined && n > rule.max)) {
    errors[path] = { code: 'outOfRange', min: rule.min, ...(rule.max !== undefined ? { max: rule.max } : {}) };
    return null;
  }
  return n;
}

/** Percent constraints go to 1000 % (boon duration is uncapped in the sheet); points to 100,000. */
const CONSTRAINT_MAX: Record<ConstraintField, number> = {
  min_boon_duration: 1000,
  min_quickness_duration: 1000,
  min_crit_chance: 1000,
  min_toughness: 100_000,
  max_toughness: 100_000,
  min_vitality: 100_000,
  min_health: 10_000_000,
  min_healing_power: 100_000,
  min_outgoing_healing: 1000,
  min_damage: 10_000_000,
  min_healing: 10_000_000,
  min_survivability: 10_000_000,
};

/** The input the form describes, or the errors of its fields. */
export function toInput(form: GearForm): { input: GearInput; errors: FormErrors } {
  const errors: FormErrors = {};
  const slots = slotsOf(form.weapon);
  const forced: Partial<Record<GearSlot, string>> = {};
  for (const slot of slots) {
    const prefix = form.forced[slot];
    if (prefix) forced[slot] = prefix;
  }
  const allForced = slots.every((s) => forced[s]);
  if (form.affixes.length === 0 && !allForced) errors.affixes = { code: 'noAffixes' };
  if (form.affixes.length > MAX_AFFIXES) errors.affixes = { code: 'tooManyAffixes', max: MAX_AFFIXES };

  const top = readNumber(form.top, 'top', { min: 1, max: MAX_TOP, integer: true }, errors);

  let infusions: GearInput['infusions'] = null;
  if (form.infusionsOn) {
    const secondary = form.infusionSecondary || null;
    if (secondary === form.infusionPrimary) errors['infusions.secondary'] = { code: 'sameInfusion' };
    const rule = { min: 0, max: MAX_INFUSIONS, integer: true };
    const max = readNumber(form.infusionMax, 'infusions.max', rule, errors);
    const primaryMax = readNumber(form.infusionPrimaryMax, 'infusions.primary_max', rule, errors);
    const secondaryMax = readNumber(form.infusionSecondaryMax, 'infusions.secondary_max', rule, errors);
    infusions = {
      primary: form.infusionPrimary,
      secondary,
      max: max ?? MAX_INFUSIONS,
      primary_max: primaryMax ?? MAX_INFUSIONS,
      secondary_max: secondaryMax ?? MAX_INFUSIONS,
    };
  }

  // Constraints: the named ones and per-attribute bounds from the form; bounds on other stats
  // (armor, durations…) the input carried are kept.
  const constraints: Constraints = {};
  for (const field of CONSTRAINT_FIELDS) {
    const n = readNumber(form.constraints[field], `constraints.${field}`, { min: 0, max: CONSTRAINT_MAX[field] }, errors);
    if (n !== null) constraints[field] = n;
  }
  const bounds = (which: 'min_attributes' | 'max_attributes', values: Record<Attribute, string>) => {
    const out: Record<string, number> = {};
    for (const [stat, n] of Object.entries(form.base.constraints?.[which] ?? {})) {
      if (!isAttribute(stat)) out[stat] = n;
    }
    for (const a of ATTRIBUTES) {
      const n = readNumber(values[a], `constraints.${which}.${a}`, { min: 0, max: 100_000 }, errors);
      if (n !== null) out[a] = n;
    }
    if (Object.keys(out).length > 0) constraints[which] = out;
  };
  bounds('min_attributes', form.minAttributes);
  bounds('max_attributes', form.maxAttributes);

  const input: GearInput = {
    ...form.base,
    optimize_for: form.objective,
    weapon_type: form.weapon,
    affixes: [...form.affixes],
    infusions,
    constraints,
    top: top ?? 10,
  };
  if (Object.keys(forced).length > 0) input.forced_slots = forced;
  else delete input.forced_slots;
  const optional: [keyof GearInput & string, string, NumberRule][] = [
    ['target_armor', form.targetArmor, { min: 1, max: 1e7 }],
    ['attack_rate', form.attackRate, { min: 0, max: 1000 }],
    ['movement_uptime', form.movementUptime, { min: 0, max: 100 }],
    ['max_evaluations', form.maxEvaluations, { min: 1, integer: true }],
  ];
  for (const [field, value, rule] of optional) {
    const n = readNumber(value, field, rule, errors);
    if (n === null) delete input[field];
    else (input as unknown as Record<string, unknown>)[field] = n;
  }
  return { input, errors };
}

/** A gear input pasted as JSON: an object naming a profession (the service checks the rest). */
export function parseInputJson(textValue: string): GearInput | 'invalidJson' | 'notAnInput' {
  let value: unknown;
  try {
    value = JSON.parse(textValue);
  } catch {
    return 'invalidJson';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'notAnInput';
  const profession = (value as Record<string, unknown>).profession;
  if (typeof profession !== 'string' || profession.trim() === '') return 'notAnInput';
  return value as GearInput;
}

/** The modifiers per kind (`buff`, `rune`, `trait`…: the id's prefix before `:`), each labelled
 * by its inline name or else its id. */
export function modifierKinds(input: GearInput): { kind: string; labels: string[] }[] {
  const kinds = new Map<string, string[]>();
  for (const m of input.modifiers ?? []) {
    const id = typeof m === 'string' ? m : m.id;
    const label = typeof m === 'string' ? id : (m.name ?? id);
    const kind = id.includes(':') ? id.slice(0, id.indexOf(':')) : 'other';
    const list = kinds.get(kind) ?? [];
    if (!list.includes(label)) list.push(label);
    kinds.set(kind, list);
  }
  return [...kinds.entries()].map(([kind, labels]) => ({ kind, labels }));
}
