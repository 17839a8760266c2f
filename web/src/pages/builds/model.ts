// The builds pages' logic, without the DOM: trait lines and skill bars named from the game
// data, the gear table, the DPS split, the editor's form and the build it sends.
import type { Names } from './names';
import type { BuildDraft, BuildOut, BuildTemplate, DamageBreakdown, Equipment, ExportFormat, PaletteSkill, TraitChoice } from './types';
import { GAME_MODES, ROLES, type GameMode, type Role } from './filters';

// ---------------------------------------------------------------- traits

export const TIERS = ['adept', 'master', 'grandmaster'] as const;
export type Tier = (typeof TIERS)[number];
const CHOICES = ['top', 'middle', 'bottom'] as const;
export type Choice = (typeof CHOICES)[number];

export interface TraitPickRow {
  tier: Tier;
  choice: Choice;
  id: number | null;
  name: string;
}

export interface TraitLineRow {
  /** The stored (English) name. */
  specialization: string;
  specId: number | null;
  /** In the UI language. */
  name: string;
  elite: boolean;
  /** One per tier; null where no major trait is chosen. */
  picks: (TraitPickRow | null)[];
}

interface TraitLineIn {
  specialization: string;
  traits: number[];
}

/**
 * The build's trait lines with the three chosen major traits named: a line's choice c (1 top,
 * 2 middle, 3 bottom) in tier t is the specialization's major trait number 3·t + c − 1 (the
 * game data lists them adept top/middle/bottom, master …, grandmaster …).
 */
export function traitRows(lines: readonly TraitLineIn[] | undefined, names: Names): TraitLineRow[] {
  return (lines ?? []).map((line) => {
    const spec = names.spec(line.specialization);
    const picks = TIERS.map((tier, t) => {
      const choice = line.traits[t] ?? 0;
      if (choice < 1 || choice > 3) return null;
      const id = spec?.major_traits[t * 3 + choice - 1] ?? null;
      return {
        tier,
        choice: CHOICES[choice - 1] as Choice,
        id,
        name: id != null ? names.trait(id) : '?',
      };
    });
    return {
      specialization: line.specialization,
      specId: spec?.id ?? null,
      name: names.specialization(line.specialization),
      elite: spec?.elite ?? false,
      picks,
    };
  });
}

// ---------------------------------------------------------------- skills

export const SKILL_SLOTS = ['heal', 'utility1', 'utility2', 'utility3', 'elite'] as const;
export type SkillSlot = (typeof SKILL_SLOTS)[number];

export interface SkillRow {
  slot: SkillSlot;
  palette: number;
  skillId: number | null;
  name: string;
}

interface SkillsIn {
  heal?: number | null;
  utilities?: (number | null)[];
  elite?: number | null;
}

/**
 * The skill bar named. A build stores palette ids (what chat codes carry); which skill a
 * palette id is comes from decoding the build's chat code (`template`, when known).
 */
export function skillRows(skills: SkillsIn | undefined, template: BuildTemplate | null, names: Names): SkillRow[] {
  const bar = template?.skills.land;
  const decoded: (PaletteSkill | null | undefined)[] = [bar?.heal, ...(bar?.utilities ?? [null, null, null]), bar?.elite];
  const palettes = [skills?.heal, ...(skills?.utilities ?? [null, null, null]), skills?.elite];
  const rows: SkillRow[] = [];
  SKILL_SLOTS.forEach((slot, i) => {
    const palette = palettes[i];
    if (!palette) return;
    const known = decoded[i]?.palette === palette ? decoded[i] : undefined;
    const skillId = known?.skill_id ?? null;
    rows.push({ slot, palette, skillId, name: names.skill(skillId, known?.name ?? `#${palette}`) });
  });
  return rows;
}

// ---------------------------------------------------------------- gear

export const ARMOR_SLOTS = ['helm', 'shoulders', 'coat', 'gloves', 'leggings', 'boots'] as const;
export const TRINKET_SLOTS = ['amulet', 'ring1', 'ring2', 'accessory1', 'accessory2', 'back'] as const;
export const WEAPON_SLOTS = ['main_hand', 'off_hand', 'two_handed'] as const;
export const GEAR_SLOTS = [...ARMOR_SLOTS, ...TRINKET_SLOTS, ...WEAPON_SLOTS] as const;
export type GearSlot = (typeof GEAR_SLOTS)[number];

export interface GearRow {
  slot: GearSlot;
  /** As stored (English name). */
  prefix: string;
  /** In the UI language. */
  name: string;
  /** The DPS estimate filled this slot (the build leaves it empty). */
  filled?: boolean;
}

export function gearOf(equipment: Equipment | undefined): Record<string, string> {
  return (equipment?.gear ?? {}) as Record<string, string>;
}

/** The gear's slots in the game's order (only those with a prefix). */
export function gearRows(gear: Record<string, string>, names: Names, filled: readonly string[] = []): GearRow[] {
  return GEAR_SLOTS.filter((slot) => gear[slot]).map((slot) => ({
    slot,
    prefix: gear[slot] as string,
    name: names.stat(gear[slot]),
    ...(filled.includes(slot) ? { filled: true } : {}),
  }));
}

export type ExtraKind = 'runes' | 'sigils' | 'relic' | 'infusions' | 'food' | 'utility';

export interface ExtraRow {
  kind: ExtraKind;
  values: string[];
}

/** "+5 Power" ×18 rather than 18 lines. */
export function countSame(values: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => (n > 1 ? `${v} ×${n}` : v));
}

/** Runes, sigils, relic, infusions, food and utility: the rows the build carries. */
export function extraRows(equipment: Equipment | undefined): ExtraRow[] {
  const e = equipment ?? {};
  const rows: ExtraRow[] = [
    { kind: 'runes', values: e.runes ? [e.runes] : [] },
    { kind: 'sigils', values: e.sigils ?? [] },
    { kind: 'relic', values: e.relic ? [e.relic] : [] },
    { kind: 'infusions', values: countSame(e.infusions ?? []) },
    { kind: 'food', values: e.food ? [e.food] : [] },
    { kind: 'utility', values: e.utility ? [e.utility] : [] },
  ];
  return rows.filter((r) => r.values.length > 0);
}

// ---------------------------------------------------------------- DPS

export type DamageKind = keyof DamageBreakdown;

export interface DamageRow {
  kind: DamageKind;
  dps: number;
  /** Of the total, 0..1. */
  share: number;
}

/** The damage split, largest first, without the kinds that deal nothing. */
export function damageRows(damage: DamageBreakdown): DamageRow[] {
  const entries = Object.entries(damage) as [DamageKind, number][];
  const total = entries.reduce((sum, [, v]) => sum + (v > 0 ? v : 0), 0);
  return entries
    .filter(([, v]) => v > 0)
    .map(([kind, dps]) => ({ kind, dps, share: total > 0 ? dps / total : 0 }))
    .sort((a, b) => b.dps - a.dps);
}

// ---------------------------------------------------------------- votes

export type VoteValue = -1 | 0 | 1;

/** Clicking the vote one already gave withdraws it. */
export function nextVote(current: VoteValue, clicked: 1 | -1): VoteValue {
  return current === clicked ? 0 : clicked;
}

// ---------------------------------------------------------------- the editor's form

export interface SkillsForm {
  heal: number | null;
  utilities: (number | null)[];
  elite: number | null;
  legends: string[];
  pets: string[];
}

export interface BuildForm {
  name: string;
  description: string;
  game_mode: GameMode;
  role: Role;
  is_public: boolean;
  /** Comma-separated. */
  tags: string;
  synergies: string;
  counters: string;
  profession: string;
  /** Elite specialization's English name, '' for a core build. */
  specialization: string;
  trait_lines: TraitLineIn[];
  skills: SkillsForm;
  /** Slot → stat prefix key. */
  gear: Partial<Record<GearSlot, string>>;
  twoHanded: boolean;
  runes: string;
  relic: string;
  food: string;
  utility: string;
  /** Comma-separated. */
  sigils: string;
  infusions: string;
}

export const EMPTY_FORM: BuildForm = {
  name: '',
  description: '',
  game_mode: 'pve',
  role: 'dps',
  is_public: true,
  tags: '',
  synergies: '',
  counters: '',
  profession: '',
  specialization: '',
  trait_lines: [],
  skills: { heal: null, utilities: [null, null, null], elite: null, legends: [], pets: [] },
  gear: {},
  twoHanded: false,
  runes: '',
  relic: '',
  food: '',
  utility: '',
  sigils: '',
  infusions: '',
};

/** "a, b,, c" → ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const choiceBits: Record<TraitChoice, number> = { none: 0, top: 1, middle: 2, bottom: 3 };

/**
 * The form after pasting a chat code: profession, elite specialization, trait lines, skill
 * bar, legends and pets from the decoded code (as the service's own import does); the rest
 * of the form is kept.
 */
export function applyTemplate(form: BuildForm, template: BuildTemplate): BuildForm {
  const lines = template.specializations.filter((s): s is NonNullable<typeof s> => !!s);
  const land = template.skills.land;
  const palette = (p: PaletteSkill | null | undefined) => (p && p.palette ? p.palette : null);
  const elite = lines.find((l) => l.elite);
  return {
    ...form,
    profession: template.profession.name,
    specialization: elite?.name ?? '',
    trait_lines: lines.map((l) => ({
      specialization: l.name,
      traits: [0, 1, 2].map((t) => choiceBits[l.traits[t]?.choice ?? 'none'] ?? 0),
    })),
    skills: {
      heal: palette(land.heal),
      utilities: [0, 1, 2].map((i) => palette(land.utilities[i])),
      elite: palette(land.elite),
      legends: (template.legends?.land ?? []).filter((l): l is NonNullable<typeof l> => !!l).map((l) => l.name),
      pets: (template.pets?.land ?? []).filter((p): p is NonNullable<typeof p> => !!p).map((p) => p.name),
    },
  };
}

/** The form of a stored build (stat prefixes as keys, lists comma-separated). */
export function formFromBuild(build: BuildOut, statKey: (name: string) => string): BuildForm {
  const gear: Partial<Record<GearSlot, string>> = {};
  for (const [slot, prefix] of Object.entries(gearOf(build.equipment))) {
    if ((GEAR_SLOTS as readonly string[]).includes(slot)) gear[slot as GearSlot] = statKey(prefix);
  }
  const e = build.equipment ?? {};
  const s = build.skills ?? {};
  return {
    name: build.name,
    description: build.description ?? '',
    game_mode: (GAME_MODES as readonly string[]).includes(build.game_mode) ? (build.game_mode as GameMode) : 'pve',
    role: (ROLES as readonly string[]).includes(build.role) ? (build.role as Role) : 'dps',
    is_public: build.is_public ?? true,
    tags: (build.tags ?? []).join(', '),
    synergies: (build.synergies ?? []).join(', '),
    counters: (build.counters ?? []).join(', '),
    profession: build.profession,
    specialization: build.specialization ?? '',
    trait_lines: (build.trait_lines ?? []).map((l) => ({ specialization: l.specialization, traits: [...l.traits] })),
    skills: {
      heal: s.heal ?? null,
      utilities: [0, 1, 2].map((i) => s.utilities?.[i] ?? null),
      elite: s.elite ?? null,
      legends: [...(s.legends ?? [])],
      pets: [...(s.pets ?? [])],
    },
    gear,
    twoHanded: !!gear.two_handed,
    runes: e.runes ?? '',
    relic: e.relic ?? '',
    food: e.food ?? '',
    utility: e.utility ?? '',
    sigils: (e.sigils ?? []).join(', '),
    infusions: (e.infusions ?? []).join(', '),
  };
}

/** The gear slots the form shows: two-handed or main and off hand. */
export function formSlots(twoHanded: boolean): GearSlot[] {
  return [
    ...ARMOR_SLOTS,
    ...TRINKET_SLOTS,
    ...(twoHanded ? (['two_handed'] as const) : (['main_hand', 'off_hand'] as const)),
  ];
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

/** The build the form describes, as POST/PUT /api/v1/builds take it. */
export function draftFromForm(form: BuildForm): BuildDraft {
  const gear: Record<string, string> = {};
  for (const slot of formSlots(form.twoHanded)) {
    const value = form.gear[slot];
    if (value) gear[slot] = value;
  }
  return {
    name: form.name.trim(),
    description: orNull(form.description),
    profession: form.profession,
    specialization: form.specialization || null,
    game_mode: form.game_mode,
    role: form.role,
    is_public: form.is_public,
    tags: splitList(form.tags),
    synergies: splitList(form.synergies),
    counters: splitList(form.counters),
    trait_lines: form.trait_lines.map((l) => ({ specialization: l.specialization, traits: l.traits.slice(0, 3) })),
    skills: {
      heal: form.skills.heal,
      utilities: form.skills.utilities.slice(0, 3),
      elite: form.skills.elite,
      legends: form.skills.legends,
      pets: form.skills.pets,
    },
    equipment: {
      gear: gear as unknown as NonNullable<Equipment['gear']>,
      runes: orNull(form.runes),
      relic: orNull(form.relic),
      food: orNull(form.food),
      utility: orNull(form.utility),
      sigils: splitList(form.sigils),
      infusions: splitList(form.infusions),
    },
  };
}

/** The editor's form after choosing a profession: a new one drops what belonged to the old. */
export function withProfession(form: BuildForm, profession: string): BuildForm {
  if (profession === form.profession) return form;
  return { ...form, profession, specialization: '', trait_lines: [], skills: EMPTY_FORM.skills };
}

/** The fields the editor shows an error on (the service's dotted paths). */
export const EDITOR_FIELDS: readonly string[] = [
  'name',
  'description',
  'game_mode',
  'role',
  'tags',
  'synergies',
  'counters',
  'profession',
  'specialization',
  'trait_lines',
  'skills',
  ...GEAR_SLOTS.map((slot) => `equipment.gear.${slot}`),
  'equipment.runes',
  'equipment.relic',
  'equipment.sigils',
  'equipment.infusions',
  'equipment.food',
  'equipment.utility',
];

/** Whether the service's `field` is shown on one of `fields` (itself or a part of it). */
export function fieldShown(field: string | null | undefined, fields: readonly string[]): boolean {
  if (!field) return false;
  return fields.some((f) => field === f || field.startsWith(`${f}.`) || field.startsWith(`${f}[`));
}

/** The error to show above the buttons: null when a field already shows it. */
export function unshownError(error: unknown, fields: readonly string[]): unknown {
  if (error === null || error === undefined) return null;
  const field = (error as { field?: string | null }).field;
  return fieldShown(field, fields) ? null : error;
}

// ---------------------------------------------------------------- links and files

const extensions: Record<ExportFormat, string> = { json: 'json', markdown: 'md', chat_code: 'txt' };

/** A download's file name from the build's name (ASCII letters, digits and dashes). */
export function exportFileName(name: string, format: ExportFormat): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'build';
  return `${base}.${extensions[format]}`;
}

/** A saved build's source on this site opens as our page; another site's link stays a link. */
export function localPath(source: string | null | undefined, origin: string): string | null {
  if (!source) return null;
  try {
    const url = new URL(source);
    return url.origin === origin ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}
