// The gear optimizer's wire format. The OpenAPI document types the input of
// `POST /api/v1/optimize/gear` and `/api/v1/ws/optimize` as a plain object, so it is written
// here from crates/optimizer/src/gear/README.md ("Input JSON", "Output JSON") and the serde
// types it documents (crates/optimizer/src/gear/input.rs, output.rs, modifiers.rs;
// gw2::model's Attribute, GearSlot and GameMode). The service rejects unknown fields.

/** The nine gear attributes (`gw2::model::Attribute`, serde names). */
export const ATTRIBUTES = [
  'power',
  'precision',
  'toughness',
  'vitality',
  'ferocity',
  'condition_damage',
  'expertise',
  'concentration',
  'healing_power',
] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

/** Gear slots carrying attributes (`gw2::model::GearSlot`), in display order. */
export const ALL_SLOTS = [
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
  'two_handed',
] as const;
export type GearSlot = (typeof ALL_SLOTS)[number];

/** `two_handed` (13 slots) or `dual_wield` (14: main hand + off hand). */
export type WeaponType = 'two_handed' | 'dual_wield';
export const WEAPON_TYPES: readonly WeaponType[] = ['two_handed', 'dual_wield'];

/** The slots of a loadout (`WeaponType::slots`). */
export function slotsOf(weapon: WeaponType): GearSlot[] {
  const armorAndTrinkets = ALL_SLOTS.slice(0, 12) as GearSlot[];
  return weapon === 'two_handed' ? [...armorAndTrinkets, 'two_handed'] : [...armorAndTrinkets, 'main_hand', 'off_hand'];
}

/** What to maximise (`damage` alias `dps`, `survivability` alias `effective_health`, `healing`). */
export type Objective = 'damage' | 'survivability' | 'healing';
export const OBJECTIVES: readonly Objective[] = ['damage', 'survivability', 'healing'];

export const CONDITIONS = ['bleeding', 'burning', 'confusion', 'poison', 'torment'] as const;
export type Condition = (typeof CONDITIONS)[number];

/** The rotation, gear-independent, per second. */
export type Distribution = Partial<Record<'power' | Condition | 'flat_dps', number>>;

export interface Infusions {
  primary: Attribute;
  secondary?: Attribute | null;
  /** Infusion slots used, 0..=18 (default 18). */
  max?: number;
  primary_max?: number;
  secondary_max?: number;
}

/** The named constraints (all optional; percentages in percent). */
export const CONSTRAINT_FIELDS = [
  'min_boon_duration',
  'min_quickness_duration',
  'min_crit_chance',
  'min_toughness',
  'max_toughness',
  'min_vitality',
  'min_health',
  'min_healing_power',
  'min_outgoing_healing',
  'min_damage',
  'min_healing',
  'min_survivability',
] as const;
export type ConstraintField = (typeof CONSTRAINT_FIELDS)[number];

export type Constraints = Partial<Record<ConstraintField, number | null>> & {
  /** Stat (`modifiers::Stat`: the attributes, `armor`, `boon_duration`…) → minimum. */
  min_attributes?: Record<string, number>;
  max_attributes?: Record<string, number>;
};

/** A modifier: a library id (`"buff:might"`) or an object with inline effects. */
export type ModifierSpec =
  | string
  | {
      id: string;
      name?: string | null;
      amount?: number | null;
      effects?: unknown;
      wvw_effects?: unknown;
      amount_data?: { label?: string; default?: number; quantity_entered?: number } | null;
    };

/** `optimizer::gear::GearInput`. */
export interface GearInput {
  name?: string | null;
  description?: string | null;
  /** Free-form provenance. */
  source?: unknown;
  /** Name (`"Warrior"`) or chat-code number (`"2"`). */
  profession: string;
  /** pve | raid | fractals | strikes | wvw (and its formats) | pvp. */
  game_mode?: string | null;
  weapon_type?: WeaponType;
  /** Candidate prefixes for the open slots: keys (`"berserker"`) or names (`"Assassin's"`). */
  affixes?: string[];
  /** Slot → prefix. */
  forced_slots?: Partial<Record<GearSlot, string>>;
  optimize_for?: Objective | 'dps' | 'effective_health' | 'healing_power';
  distribution?: Distribution;
  modifiers?: ModifierSpec[];
  infusions?: Infusions | null;
  constraints?: Constraints;
  /** Default 2597 (the golem). */
  target_armor?: number;
  /** Target skills per second (confusion). */
  attack_rate?: number;
  /** % of time the target moves (torment). */
  movement_uptime?: number;
  /** 1..=1000, default 10. */
  top?: number;
  max_evaluations?: number | null;
}

/** Limits the service holds an input to (`input.rs`). */
export const MAX_TOP = 1000;
export const MAX_AFFIXES = 64;
export const MAX_INFUSIONS = 18;

/** A result's attribute sheet; percentages in percent. */
export interface AttributeSheet {
  power: number;
  precision: number;
  toughness: number;
  vitality: number;
  ferocity: number;
  condition_damage: number;
  expertise: number;
  concentration: number;
  healing_power: number;
  critical_chance: number;
  critical_damage: number;
  boon_duration: number;
  condition_duration: number;
  health: number;
  armor: number;
  outgoing_healing: number;
}

/** DPS per source. */
export type DamageBreakdown = Record<'power' | Condition | 'flat', number>;

export interface GearResult {
  rank: number;
  /** Value of the optimized objective. */
  score: number;
  dps: number;
  /** Slot → English prefix name (`"Berserker's"`). */
  gear: Partial<Record<GearSlot, string>>;
  /** Attribute → count of +5 infusions. */
  infusions: Record<string, number>;
  attributes: AttributeSheet;
  damage: DamageBreakdown;
  effective_power: number;
  effective_health: number;
  survivability: number;
  healing: number;
}

export interface SearchSummary {
  objective: Objective;
  /** The results are the exact top N. */
  proven_optimal: boolean;
  cancelled: boolean;
  candidate_prefixes: number;
  raw_combinations: number;
  classes: number;
  nodes: number;
  evaluated: number;
  modifiers: string[];
}

export interface GearOutput {
  results: GearResult[];
  search: SearchSummary;
}

/** A preset of `GET /api/v1/optimize/gear/presets` (presets/gear/*.json). */
export interface GearPreset {
  id: string;
  name: string;
  description?: string | null;
  profession: string;
  game_mode?: string | null;
  input: GearInput;
}
