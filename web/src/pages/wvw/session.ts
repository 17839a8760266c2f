// A session's "top stats" (GET /api/v1/mcm/sessions/{id}: `stats` is the evtc crate's
// `SessionStats`, not described by the OpenAPI document): the rankings per statistic, the
// per-player table, and the fights over time.
import type { Schemas } from '../../api/client';
import type { GameIndex } from '../../game/data';
import type { FightSummary } from './report';

export type SessionSummary = Schemas['SessionSummary'];

export interface SessionPlayer {
  account: string;
  name: string;
  professions: string[];
  fights: number;
  active_ms: number;
  damage: number;
  dps: number;
  downs: number;
  kills: number;
  deaths: number;
  damage_taken: number;
  boon_strips: number;
  cleanses: number;
  resurrects: number;
  healing: number;
  barrier: number;
  stability_generation: number;
  distance_to_commander: number | null;
}

export interface RankEntry {
  rank: number;
  account: string;
  name: string;
  value: number;
}

export const RANKINGS = ['damage', 'downs', 'strips', 'cleanses', 'stability', 'healing', 'barrier', 'distance_to_tag'] as const;
export type RankingKey = (typeof RANKINGS)[number];
export type Rankings = Record<RankingKey, RankEntry[]>;

export interface SessionStats {
  fights: number;
  total_duration_ms: number;
  victories: number;
  defeats: number;
  enemy_deaths: number;
  squad_deaths: number;
  squad_damage: number;
  players: SessionPlayer[];
  rankings: Rankings;
}

export interface SessionOut extends SessionSummary {
  fights: FightSummary[];
  stats: SessionStats;
}

/** Decimal places a ranking's values are shown with. */
export function rankingDigits(key: RankingKey): number {
  return key === 'stability' ? 3 : 0;
}

/**
 * The top `limit` of a ranking, ties sharing a rank (1, 2, 2, 4) and rows without any
 * contribution left out (a ranking of zeros says nothing), except for distance where
 * lower is better and zero is a value.
 */
export function podium(stats: SessionStats, key: RankingKey, limit = 5): RankEntry[] {
  const rows = (stats.rankings?.[key] ?? []).filter((r) => key === 'distance_to_tag' || r.value > 0);
  const out: RankEntry[] = [];
  rows.forEach((row, i) => {
    const previous = out[i - 1];
    const rank = previous && previous.value === row.value ? previous.rank : i + 1;
    out.push({ ...row, rank });
  });
  return out.slice(0, limit);
}

/** The rank (1-based) of an account in each ranking, for a player's badges. */
export function ranksOf(stats: SessionStats, account: string): Partial<Record<RankingKey, number>> {
  const out: Partial<Record<RankingKey, number>> = {};
  for (const key of RANKINGS) {
    const entry = podium(stats, key, Number.MAX_SAFE_INTEGER).find((r) => r.account === account);
    if (entry) out[key] = entry.rank;
  }
  return out;
}

/** Win rate over decided fights (null when none was decided). */
export function winRate(stats: SessionStats): number | null {
  const decided = stats.victories + stats.defeats;
  return decided ? stats.victories / decided : null;
}

/** The fights in time order (start time, else upload time), for the session's chart. */
export function fightsInOrder(fights: readonly FightSummary[]): FightSummary[] {
  const at = (f: FightSummary) => Date.parse(f.started_at ?? f.created_at) || 0;
  return [...fights].sort((a, b) => at(a) - at(b));
}

/**
 * Professions as the session reports them (English specialization names from the logs) in
 * the UI's language: the English game data finds the id, the current data the name.
 */
export function localProfession(name: string, english: GameIndex | null, local: GameIndex | null): string {
  if (!english || !local || english === local) return name;
  const lower = name.toLowerCase();
  for (const spec of english.data.specializations) {
    if (spec.name.toLowerCase() === lower) return local.specializations.get(spec.id)?.name ?? name;
  }
  for (const profession of english.data.professions) {
    if (profession.name.toLowerCase() === lower) return local.profession(profession.id) || name;
  }
  return name;
}

/** Session player rows sorted by a numeric field (descending; distance ascending, missing last). */
export type PlayerKey = 'damage' | 'dps' | 'downs' | 'kills' | 'deaths' | 'boon_strips' | 'cleanses' | 'stability_generation' | 'healing' | 'barrier' | 'distance_to_commander' | 'fights';

export function sortPlayers(players: readonly SessionPlayer[], key: PlayerKey | 'name', dir: 'ascending' | 'descending', locale = 'en'): SessionPlayer[] {
  const sign = dir === 'ascending' ? 1 : -1;
  return [...players].sort((a, b) => {
    if (key === 'name') return a.name.localeCompare(b.name, locale) * sign;
    const x = a[key];
    const y = b[key];
    if (x === y) return a.name.localeCompare(b.name, locale);
    if (x === null) return 1;
    if (y === null) return -1;
    return (x - y) * sign;
  });
}
