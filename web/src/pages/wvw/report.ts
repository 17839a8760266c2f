// A fight report (GET /api/v1/mcm/fights/{id}, `{fight, report}`) as the fight page shows
// it: one row per player with the figures a commander reads after a fight, sorting, squad
// totals. The report's JSON is the evtc crate's `FightReport` (the OpenAPI document does not
// describe it, hence the types here).
import type { Schemas } from '../../api/client';
import type { GameIndex } from '../../game/data';

export type FightSummary = Schemas['FightSummary'];

export interface BoonStats {
  id: number;
  name: string;
  intensity: boolean;
  uptime: number;
  presence: number;
  generation_self: number;
  generation_group: number;
  generation_off_group: number;
  generation_squad: number;
}

export interface PlayerStats {
  name: string;
  account: string | null;
  profession: number;
  elite: number;
  profession_name: string;
  subgroup: number;
  team_id: number | null;
  in_squad: boolean;
  is_commander: boolean;
  is_pov: boolean;
  active_ms: number;
  damage: {
    total: number;
    strike: number;
    condi: number;
    to_enemies: number;
    strike_to_enemies: number;
    condi_to_enemies: number;
    dps: number;
    dps_to_enemies: number;
    downs: number;
    kills: number;
    [key: string]: unknown;
  };
  defense: {
    damage_taken: number;
    downs: number;
    deaths: number;
    barrier_absorbed: number;
    dodges: number;
    [key: string]: unknown;
  };
  support: {
    boon_strips: number;
    cleanses: number;
    cleanses_self: number;
    resurrects: number;
    healing: number;
    healing_others: number;
    barrier: number;
    barrier_others: number;
    [key: string]: unknown;
  };
  boons: BoonStats[];
  distance_to_commander: number | null;
  stack_distance: number | null;
}

export interface SquadBoon {
  id: number;
  name: string;
  intensity: boolean;
  uptime: number;
}

export interface FightReport {
  fight_name: string;
  is_wvw: boolean;
  map_id: number | null;
  duration_ms: number;
  server_start_unix: number | null;
  recorded_by: string | null;
  recorded_by_account: string | null;
  commander: string | null;
  healing_extension: boolean;
  squad_size: number;
  ally_count: number;
  enemy_count: number;
  enemies_by_team: { team_id: number; count: number }[];
  outcome: {
    result: 'victory' | 'defeat' | 'draw';
    squad_damage: number;
    squad_damage_taken: number;
    squad_downs: number;
    squad_deaths: number;
    enemy_downs: number;
    enemy_deaths: number;
    squad_kills: number;
    squad_downs_inflicted: number;
    kill_death_ratio: number;
  };
  squad_boons: SquadBoon[];
  players: PlayerStats[];
  event_count: number;
  truncated_at?: number | null;
}

export interface FightWithReport {
  fight: FightSummary;
  report: FightReport;
}

export const STABILITY = 1122;

export interface PlayerRow {
  key: string;
  name: string;
  account: string | null;
  spec: string;
  group: number;
  commander: boolean;
  inSquad: boolean;
  damage: number;
  /** Strike and condition parts of `damage` (to enemies). */
  strike: number;
  condi: number;
  dps: number;
  downs: number;
  kills: number;
  deaths: number;
  strips: number;
  cleanses: number;
  stability: number;
  healing: number;
  barrier: number;
  distance: number | null;
  taken: number;
}

export type ColumnKey = Exclude<keyof PlayerRow, 'key' | 'account' | 'commander' | 'inSquad' | 'strike' | 'condi'>;
export type SortDir = 'ascending' | 'descending';
export interface Sort {
  key: ColumnKey;
  dir: SortDir;
}

/** How a column's squad total is made. */
export type Total = 'sum' | 'mean' | 'none';

export interface Column {
  key: ColumnKey;
  numeric: boolean;
  total: Total;
  /** The direction a first click sorts in (the better end first). */
  first: SortDir;
  /** Decimal places shown. */
  digits?: number;
}

export const COLUMNS: readonly Column[] = [
  { key: 'name', numeric: false, total: 'none', first: 'ascending' },
  { key: 'spec', numeric: false, total: 'none', first: 'ascending' },
  { key: 'group', numeric: true, total: 'none', first: 'ascending' },
  { key: 'damage', numeric: true, total: 'sum', first: 'descending' },
  { key: 'dps', numeric: true, total: 'sum', first: 'descending' },
  { key: 'downs', numeric: true, total: 'sum', first: 'descending' },
  { key: 'kills', numeric: true, total: 'sum', first: 'descending' },
  { key: 'deaths', numeric: true, total: 'sum', first: 'ascending' },
  { key: 'strips', numeric: true, total: 'sum', first: 'descending' },
  { key: 'cleanses', numeric: true, total: 'sum', first: 'descending' },
  { key: 'stability', numeric: true, total: 'sum', first: 'descending', digits: 2 },
  { key: 'healing', numeric: true, total: 'sum', first: 'descending' },
  { key: 'barrier', numeric: true, total: 'sum', first: 'descending' },
  { key: 'distance', numeric: true, total: 'mean', first: 'ascending' },
  { key: 'taken', numeric: true, total: 'sum', first: 'ascending' },
];

export const DEFAULT_SORT: Sort = { key: 'damage', dir: 'descending' };

/**
 * The specialization (elite, else core profession) of a player in the UI's language, from
 * the game data; the report's English name when the data does not know it.
 */
export function specName(player: Pick<PlayerStats, 'profession' | 'elite' | 'profession_name'>, game: GameIndex | null): string {
  if (!game) return player.profession_name;
  if (player.elite) {
    const spec = game.specializations.get(player.elite);
    if (spec?.elite) return spec.name;
  }
  const profession = game.data.professions.find((p) => p.code === player.profession);
  return profession?.name ?? player.profession_name;
}

function stabilityOf(player: PlayerStats): number {
  return player.boons.find((b) => b.id === STABILITY)?.generation_squad ?? 0;
}

/** One row per player (squad members first, allies after when `withAllies`). */
export function playerRows(report: FightReport, game: GameIndex | null, withAllies = false): PlayerRow[] {
  return report.players
    .filter((p) => withAllies || p.in_squad)
    .map((p, i) => ({
      key: `${p.account ?? p.name}#${i}`,
      name: p.name,
      account: p.account,
      spec: specName(p, game),
      group: p.subgroup,
      commander: p.is_commander,
      inSquad: p.in_squad,
      damage: p.damage.to_enemies,
      strike: p.damage.strike_to_enemies,
      condi: p.damage.condi_to_enemies,
      dps: p.damage.dps_to_enemies,
      downs: p.damage.downs,
      kills: p.damage.kills,
      deaths: p.defense.deaths,
      strips: p.support.boon_strips,
      cleanses: p.support.cleanses + p.support.cleanses_self,
      stability: stabilityOf(p),
      healing: p.support.healing,
      barrier: p.support.barrier,
      distance: p.is_commander ? null : p.distance_to_commander,
      taken: p.defense.damage_taken,
    }));
}

/**
 * Rows sorted by a column; missing values (a distance without a tag) go last in either
 * direction, ties keep the name order.
 */
export function sortRows(rows: readonly PlayerRow[], sort: Sort, locale = 'en'): PlayerRow[] {
  const sign = sort.dir === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[sort.key];
    const y = b[sort.key];
    if (x === y) return a.name.localeCompare(b.name, locale);
    if (x === null) return 1;
    if (y === null) return -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), locale);
    return order === 0 ? a.name.localeCompare(b.name, locale) : order * sign;
  });
}

/** The sort after a click on a column header: toggles the column, or starts a new one. */
export function nextSort(current: Sort, key: ColumnKey): Sort {
  if (current.key === key) return { key, dir: current.dir === 'ascending' ? 'descending' : 'ascending' };
  const column = COLUMNS.find((c) => c.key === key);
  return { key, dir: column?.first ?? 'descending' };
}

/** The `aria-sort` value of a column header. */
export function ariaSort(sort: Sort, key: ColumnKey): SortDir | 'none' {
  return sort.key === key ? sort.dir : 'none';
}

/** Squad totals per column (sums, or the mean of the known values), null where none. */
export function totals(rows: readonly PlayerRow[]): Partial<Record<ColumnKey, number | null>> {
  const out: Partial<Record<ColumnKey, number | null>> = {};
  for (const column of COLUMNS) {
    if (column.total === 'none') continue;
    const values = rows.map((r) => r[column.key]).filter((v): v is number => typeof v === 'number');
    if (column.total === 'sum') out[column.key] = values.reduce((a, b) => a + b, 0);
    else out[column.key] = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
  }
  return out;
}

/** Squad boons worth a chart (the ones anybody had), as uptime values. */
export function boonUptimes(report: FightReport): SquadBoon[] {
  return report.squad_boons.filter((b) => b.uptime > 0);
}

/** The rows a damage chart shows: the top `limit` by damage. */
export function topByDamage(rows: readonly PlayerRow[], limit = 15): PlayerRow[] {
  return sortRows(rows, DEFAULT_SORT).slice(0, limit);
}

/** Seconds of a fight from its milliseconds. */
export function seconds(ms: number): number {
  return ms / 1000;
}
