// The meta dashboard's logic: the page's query (mode, window, profession) and
// GET /api/v1/meta/overview/{game_mode} (crates/server/src/http/meta.rs,
// crates/server/src/services/meta.rs) turned into rows and chart data with the game's names in
// the UI's language.
import type { Schemas } from '../../api/client';
import type { GameIndex } from '../../game/data';

export type MetaOverview = Schemas['MetaOverview'];

/** The modes the service counts (`gw2::model::GameMode`); `wvw` takes in its formats. */
export const GAME_MODES = [
  'wvw',
  'wvw_zerg',
  'wvw_guild_raid',
  'wvw_outnumbered',
  'wvw_roaming',
  'raid',
  'fractals',
  'strikes',
  'pve',
  'pvp',
] as const;
export type GameMode = (typeof GAME_MODES)[number];

/** Windows offered, in days (the service takes 1..=3650, default 30). */
export const TIME_RANGES = [7, 30, 90, 365] as const;
export const DEFAULT_DAYS = 30;
export const DEFAULT_MODE: GameMode = 'wvw';

export interface MetaQuery {
  mode: GameMode;
  days: number;
  /** Profession id (`Guardian`), or '' for all. */
  profession: string;
}

/** The page's query parameters, with defaults for missing or unknown values. */
export function readQuery(query: Record<string, string | undefined>): MetaQuery {
  const mode = (GAME_MODES as readonly string[]).includes(query.mode ?? '') ? (query.mode as GameMode) : DEFAULT_MODE;
  const days = Number(query.days);
  return {
    mode,
    days: Number.isInteger(days) && days >= 1 && days <= 3650 ? days : DEFAULT_DAYS,
    profession: (query.profession ?? '').trim(),
  };
}

/** The page's URL for a query (defaults left out). */
export function queryUrl(q: MetaQuery): string {
  const params = new URLSearchParams();
  if (q.mode !== DEFAULT_MODE) params.set('mode', q.mode);
  if (q.days !== DEFAULT_DAYS) params.set('days', String(q.days));
  if (q.profession) params.set('profession', q.profession);
  const s = params.toString();
  return s ? `/meta?${s}` : '/meta';
}

/** The service's parameters for a query. */
export function apiParams(q: MetaQuery): { path: { game_mode: string }; query: { time_range: number; profession?: string } } {
  return {
    path: { game_mode: q.mode },
    query: { time_range: q.days, ...(q.profession ? { profession: q.profession } : {}) },
  };
}

/** A profession's name in the UI's language (the service answers English names). */
export function professionName(profession: string | null | undefined, index: GameIndex | null): string {
  if (!profession) return '';
  return index ? index.profession(profession) : profession;
}

/** A specialization named in English (`Firebrand`) in the UI's language. The French game data
 * carries each specialization's English name as `name_en`; the English data's `name` is it. */
export function specializationName(
  specialization: string | null | undefined,
  profession: string | null | undefined,
  index: GameIndex | null,
): string {
  if (!specialization) return '';
  if (!index) return specialization;
  const wanted = specialization.toLowerCase();
  const prof = profession?.toLowerCase();
  for (const spec of index.data.specializations) {
    const english = ((spec as { name_en?: string }).name_en ?? spec.name).toLowerCase();
    if (english === wanted && (!prof || spec.profession.toLowerCase() === prof)) return spec.name;
  }
  return specialization;
}

export interface ProfessionRow {
  id: string;
  name: string;
  count: number;
  ratio: number;
}

export function professionRows(overview: MetaOverview, index: GameIndex | null): ProfessionRow[] {
  return overview.professions.map((p) => ({
    id: p.profession,
    name: professionName(p.profession, index),
    count: p.count,
    ratio: p.ratio,
  }));
}

export interface ArchetypeRow {
  key: string;
  /** The specialization's name, or the profession's for a core build. */
  name: string;
  profession: string;
  /** The elite (or core) specialization is named: false when the entry only knows its profession. */
  hasSpecialization: boolean;
  grade: string | null;
  count: number;
  share: number;
}

function archetypeRow(a: MetaOverview['archetypes'][number], index: GameIndex | null): ArchetypeRow {
  const profession = professionName(a.profession, index);
  const spec = specializationName(a.specialization, a.profession, index);
  return {
    key: `${a.profession ?? ''}/${a.specialization ?? ''}/${a.synergy_score ?? ''}`,
    name: spec || profession,
    profession,
    hasSpecialization: spec !== '',
    grade: a.synergy_score ?? null,
    count: a.occurrences,
    share: a.frequency,
  };
}

export function archetypeRows(overview: MetaOverview, index: GameIndex | null): ArchetypeRow[] {
  return overview.archetypes.map((a) => archetypeRow(a, index));
}

export function synergyRows(overview: MetaOverview, index: GameIndex | null): ArchetypeRow[] {
  return overview.synergies.map((a) => archetypeRow(a, index));
}

/** Chart data: the first `limit` rows' labels and counts (the service sorts by count). */
export function chartOf(rows: readonly { name: string; count: number }[], limit: number): { labels: string[]; values: number[] } {
  const top = rows.slice(0, limit);
  return { labels: top.map((r) => r.name), values: top.map((r) => r.count) };
}

/** Names that repeat get their profession in brackets (two professions' core builds…). */
export function disambiguate(rows: ArchetypeRow[]): ArchetypeRow[] {
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(r.name, (seen.get(r.name) ?? 0) + 1);
  return rows.map((r) => ((seen.get(r.name) ?? 0) > 1 && r.hasSpecialization && r.name !== r.profession ? { ...r, name: `${r.name} (${r.profession})` } : r));
}

/** Where the entries came from, as [message key, count] for the non-zero sources. */
export function sources(overview: MetaOverview): [('builds' | 'team_slots' | 'saved_builds' | 'fight_players'), number][] {
  const raw = overview.raw_meta;
  const all: ['builds' | 'team_slots' | 'saved_builds' | 'fight_players', number][] = [
    ['builds', raw.builds],
    ['team_slots', raw.team_slots],
    ['saved_builds', raw.saved_builds - raw.saved_builds_without_profession],
    ['fight_players', raw.fight_players],
  ];
  return all.filter(([, n]) => n > 0);
}
