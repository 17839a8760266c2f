// Team Commander's logic, kept out of the components (unit tested): the answer's shape, the
// request's understood parts as highlighted segments, performance bars, which control an
// error belongs to, and the builds and team that save the squad.
import { ApiFailure, type Schemas } from '../../api/client';
import { buildRole, squadRole, type BuildOut, type TeamCreate } from '../squads/squad';

export interface Span {
  start: number;
  end: number;
  text: string;
}

export interface Understood {
  span: Span;
  meaning: string;
}

export interface CommanderSlot {
  role: string;
  profession: string;
  specialization: string;
  equipment: { stats: string; rune: string; sigils: string[]; relic: string | null };
  performance: { burst_damage: number; survivability: number; effective_health: number; dps_increase: number };
  advisor_reason: string;
  requested: boolean;
}

export interface CommanderGroup {
  index: number;
  slots: CommanderSlot[];
  coverage: { resource: string; provided: number; target: number; coverage: number }[];
}

export interface CommanderAnswer {
  success: boolean;
  team_size: number;
  groups: CommanderGroup[];
  synergy: { score: string; details: Record<string, string>; coverage: number };
  notes: string[];
  mode: string;
  experience: string;
  parse: { understood: Understood[]; not_understood: Span[] };
  warnings: string[];
  /** The learned model that weighted the needs (asked with `learned_weights`). */
  weighted_by?: { model: string; version: number; snapshot: string; factors: Record<string, number> };
}

export interface CommandRequest {
  message: string;
  mode?: string | null;
  experience?: string | null;
  /** The language of the planner's notes, reasons and refusals. */
  language?: 'en' | 'fr';
  /** Weight the format's needs with the learned fight-outcome model. */
  learned_weights?: boolean;
}

/** The request as sent: the message trimmed like the service does, overrides only when set. */
export function toRequest(
  message: string,
  mode: string,
  experience: string,
  language?: 'en' | 'fr',
  learned = false,
): CommandRequest {
  const body: CommandRequest = { message: message.trim() };
  if (mode) body.mode = mode;
  if (experience) body.experience = experience;
  if (language) body.language = language;
  if (learned) body.learned_weights = true;
  return body;
}

// ---- the request, highlighted ----

/** The string index of a UTF-8 byte offset in `text` (the service's spans are byte offsets). */
export function byteToIndex(text: string, byte: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byte) {
    const code = text.codePointAt(i)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    i += code > 0xffff ? 2 : 1;
  }
  return i;
}

export interface Segment {
  text: string;
  kind: 'plain' | 'understood' | 'not-understood';
  meaning?: string;
}

/** The message cut into plain text and the parts understood or not (overlaps: first wins). */
export function segments(message: string, understood: Understood[], notUnderstood: Span[]): Segment[] {
  const marks = [
    ...understood.map((u) => ({ ...u.span, kind: 'understood' as const, meaning: u.meaning })),
    ...notUnderstood.map((s) => ({ ...s, kind: 'not-understood' as const, meaning: undefined })),
  ]
    .map((m) => ({ ...m, from: byteToIndex(message, m.start), to: byteToIndex(message, m.end) }))
    .filter((m) => m.to > m.from)
    .sort((a, b) => a.from - b.from || b.to - a.to);
  const out: Segment[] = [];
  let at = 0;
  for (const m of marks) {
    if (m.from < at) continue;
    if (m.from > at) out.push({ text: message.slice(at, m.from), kind: 'plain' });
    const seg: Segment = { text: message.slice(m.from, m.to), kind: m.kind };
    if (m.meaning) seg.meaning = m.meaning;
    out.push(seg);
    at = m.to;
  }
  if (at < message.length) out.push({ text: message.slice(at), kind: 'plain' });
  return out;
}

// ---- performance bars ----

export const PERFORMANCE = ['burst_damage', 'survivability', 'effective_health', 'dps_increase'] as const;
export type PerformanceKey = (typeof PERFORMANCE)[number];

/** The largest value of each figure in the squad (the bars' full width). */
export function maxima(groups: CommanderGroup[]): Record<PerformanceKey, number> {
  const out = { burst_damage: 0, survivability: 0, effective_health: 0, dps_increase: 0 };
  for (const g of groups) for (const s of g.slots) for (const k of PERFORMANCE) out[k] = Math.max(out[k], s.performance[k] ?? 0);
  return out;
}

/** A bar's fill (0..1) for `value` against the squad's largest. */
export function ratio(value: number, max: number): number {
  if (!(max > 0) || !Number.isFinite(value)) return 0;
  return Math.max(0, Math.min(1, value / max));
}

// ---- errors ----

export type Control = 'message' | 'mode' | 'experience';

/** The control an error belongs to: mode and experience are theirs, anything about the squad is the sentence's. */
export function controlOf(error: unknown): Control | null {
  if (!(error instanceof ApiFailure) || error.status !== 422) return null;
  const field = error.field ?? '';
  if (field === 'mode' || field === 'experience') return field;
  return 'message';
}

export function errorFor(error: unknown, control: Control): string | undefined {
  return controlOf(error) === control && error instanceof ApiFailure ? error.message : undefined;
}

// ---- saving the squad ----

/** The team game mode of Team Commander's WvW format. */
export function gameModeOf(mode: string): string {
  switch (mode) {
    case 'guild_raid':
      return 'wvw_guild_raid';
    case 'outnumbered':
      return 'wvw_outnumbered';
    case 'roaming':
      return 'wvw_roaming';
    default:
      return 'wvw_zerg';
  }
}

const GEAR_SLOTS = [
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
] as const;

/** Slots that play the same build (same specialization, role and equipment) share one. */
export function slotKey(s: CommanderSlot): string {
  const e = s.equipment;
  return [s.profession, s.specialization, s.role, e.stats, e.rune, e.sigils.join('+'), e.relic ?? ''].join('|').toLowerCase();
}

/** The build a slot is saved as. */
export function buildFor(slot: CommanderSlot, gameMode: string, isPublic: boolean): Schemas['BuildCreate'] {
  const spec = slot.specialization && slot.specialization.toLowerCase() !== slot.profession.toLowerCase() ? slot.specialization : null;
  const role = squadRole(slot.role, slot.specialization || slot.profession);
  const gear: Record<string, string> = {};
  for (const g of GEAR_SLOTS) gear[g] = slot.equipment.stats;
  return {
    name: `${slot.specialization || slot.profession} ${slot.role} (${slot.equipment.stats})`.slice(0, 100),
    profession: slot.profession,
    specialization: spec,
    game_mode: gameMode,
    role: buildRole(role),
    is_public: isPublic,
    tags: ['team-commander'],
    equipment: {
      gear: gear as Record<string, never>,
      runes: slot.equipment.rune || null,
      sigils: slot.equipment.sigils,
      relic: slot.equipment.relic,
    },
  };
}

/** The distinct builds of the answer, by key, in order of appearance. */
export function distinctBuilds(answer: CommanderAnswer): Map<string, CommanderSlot> {
  const out = new Map<string, CommanderSlot>();
  for (const g of answer.groups) for (const s of g.slots) if (!out.has(slotKey(s))) out.set(slotKey(s), s);
  return out;
}

/** The team: group n is party n, slots in order, each on its build. */
export function teamFor(answer: CommanderAnswer, builds: Map<string, Pick<BuildOut, 'id'>>, name: string, isPublic: boolean, description: string | null): TeamCreate {
  const groups = [...answer.groups].sort((a, b) => a.index - b.index);
  return {
    name: name.trim(),
    game_mode: gameModeOf(answer.mode),
    description,
    is_public: isPublic,
    slots: groups.flatMap((g, p) =>
      g.slots.map((s, i) => ({
        party: p + 1,
        position: i + 1,
        player_name: null,
        build_id: builds.get(slotKey(s))?.id ?? null,
        role_override: null,
      })),
    ),
  };
}
