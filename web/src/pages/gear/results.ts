// Results → what the page shows: prefix summaries, the per-slot gear, the attribute sheet,
// the damage split and the chart of the top results.
import type { ItemStat } from '../../game/data';
import { prefixKey } from './prefixes';
import {
  ALL_SLOTS,
  CONDITIONS,
  type AttributeSheet,
  type Condition,
  type GearResult,
  type GearSlot,
} from './types';

export interface PrefixCount {
  /** Game data key when known, else the name the service gave. */
  key: string;
  name: string;
  count: number;
}

/** How many slots take each prefix, most used first (then by name). */
export function prefixCounts(gear: GearResult['gear'], itemstats: readonly ItemStat[]): PrefixCount[] {
  const counts = new Map<string, PrefixCount>();
  for (const slot of ALL_SLOTS) {
    const name = gear[slot];
    if (!name) continue;
    const key = prefixKey(name, itemstats) ?? name;
    const entry = counts.get(key) ?? { key, name, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

export interface SlotRow {
  slot: GearSlot;
  key: string;
  name: string;
}

/** The result's gear in slot order. */
export function slotRows(gear: GearResult['gear'], itemstats: readonly ItemStat[]): SlotRow[] {
  const rows: SlotRow[] = [];
  for (const slot of ALL_SLOTS) {
    const name = gear[slot];
    if (name) rows.push({ slot, name, key: prefixKey(name, itemstats) ?? name });
  }
  return rows;
}

export type SheetKey = keyof AttributeSheet;

/** The sheet's rows in reading order; `percent` ones are in percent. */
export const SHEET_ROWS: readonly { key: SheetKey; percent: boolean }[] = [
  { key: 'power', percent: false },
  { key: 'precision', percent: false },
  { key: 'toughness', percent: false },
  { key: 'vitality', percent: false },
  { key: 'ferocity', percent: false },
  { key: 'condition_damage', percent: false },
  { key: 'expertise', percent: false },
  { key: 'concentration', percent: false },
  { key: 'healing_power', percent: false },
  { key: 'critical_chance', percent: true },
  { key: 'critical_damage', percent: true },
  { key: 'boon_duration', percent: true },
  { key: 'condition_duration', percent: true },
  { key: 'health', percent: false },
  { key: 'armor', percent: false },
  { key: 'outgoing_healing', percent: true },
];

/** An attribute value for display: points rounded to a whole number, percentages to 0.1. */
export function sheetValue(sheet: AttributeSheet, key: SheetKey): { value: number; percent: boolean } {
  const row = SHEET_ROWS.find((r) => r.key === key);
  const percent = row?.percent ?? false;
  const raw = sheet[key];
  return { value: percent ? Math.round(raw * 10) / 10 : Math.round(raw), percent };
}

export type DamageKind = 'power' | Condition | 'flat';

export interface DamageRow {
  kind: DamageKind;
  dps: number;
  /** Share of the total, 0..1. */
  share: number;
}

/** The result's DPS per source (sources with no damage left out), and strike vs conditions. */
export function damageSplit(result: GearResult): {
  rows: DamageRow[];
  total: number;
  strike: number;
  conditions: number;
  flat: number;
} {
  const d = result.damage;
  const conditions = CONDITIONS.reduce((sum, c) => sum + (d[c] ?? 0), 0);
  const strike = d.power ?? 0;
  const flat = d.flat ?? 0;
  const total = strike + conditions + flat;
  const kinds: DamageKind[] = ['power', ...CONDITIONS, 'flat'];
  const rows = kinds
    .map((kind) => ({ kind, dps: d[kind] ?? 0, share: total > 0 ? (d[kind] ?? 0) / total : 0 }))
    .filter((r) => r.dps > 0);
  return { rows, total, strike, conditions, flat };
}

/** Infusions as `[attribute, count]`, most first. */
export function infusionList(result: GearResult): [string, number][] {
  return Object.entries(result.infusions)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export interface ChartData {
  labels: string[];
  /** The objective's score of each result (DPS for a damage search). */
  values: number[];
}

/** The top `limit` results as chart data (labels `#1`, `#2`…). */
export function chartData(results: readonly GearResult[], limit = 10): ChartData {
  const top = results.slice(0, limit);
  return { labels: top.map((r) => `#${r.rank}`), values: top.map((r) => Math.round(r.score * 10) / 10) };
}

/** The gap of each result to the best, in percent of the best (0 for the best). */
export function gapToBest(results: readonly GearResult[]): number[] {
  const best = results[0]?.score ?? 0;
  return results.map((r) => (best > 0 ? ((best - r.score) / best) * 100 : 0));
}
