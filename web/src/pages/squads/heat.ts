// The coverage heat map (rows = parties, columns = boons and other needs) and the S/A/B/C
// synergy grade, from the squad engine's per-party coverage. Colours are CSS classes
// (squads.css), never inline style strings; each cell also shows its percentage.
import type { CoverageEntry, SynergyReport } from './squad';

/** The engine's resources in its own order (optimizer::squad::Resource::ALL). */
export const RESOURCES = [
  'stability',
  'aegis',
  'resistance',
  'protection',
  'might',
  'fury',
  'quickness',
  'alacrity',
  'superspeed',
  'regeneration',
  'vigor',
  'swiftness',
  'resolution',
  'cleanse',
  'strip',
  'healing',
  'barrier',
] as const;

export type HeatLevel = 'full' | 'high' | 'mid' | 'low' | 'none';

/** The colour band of a coverage ratio (0..1). */
export function heatLevel(coverage: number): HeatLevel {
  if (!Number.isFinite(coverage) || coverage <= 0) return 'none';
  if (coverage >= 0.999) return 'full';
  if (coverage >= 0.75) return 'high';
  if (coverage >= 0.5) return 'mid';
  return 'low';
}

export function heatClass(coverage: number | null): string {
  return coverage === null ? 'heat heat-na' : `heat heat-${heatLevel(coverage)}`;
}

/** The commander's grade thresholds (commander::plan::grade): S ≥ 95 %, A ≥ 85 %, B ≥ 70 %. */
export function gradeLetter(ratio: number): 'S' | 'A' | 'B' | 'C' {
  if (ratio >= 0.95) return 'S';
  if (ratio >= 0.85) return 'A';
  if (ratio >= 0.7) return 'B';
  return 'C';
}

export function gradeOf(score: number, max: number): { letter: 'S' | 'A' | 'B' | 'C'; ratio: number } {
  const ratio = max > 0 ? Math.min(1, Math.max(0, score / max)) : 1;
  return { letter: gradeLetter(ratio), ratio };
}

export interface HeatRow {
  /** Party index in the squad (0-based). */
  party: number;
  cells: (CoverageEntry | null)[];
}

export interface HeatMap {
  columns: string[];
  rows: HeatRow[];
}

/**
 * A heat map of parties' coverage. `parties[k]` is the coverage of squad party `index[k]`;
 * the columns are the resources any party is measured on, in the engine's order.
 */
export function heatMap(parties: { coverage: CoverageEntry[] }[], index: number[] = parties.map((_, i) => i)): HeatMap {
  const present = new Set<string>();
  for (const p of parties) for (const c of p.coverage) present.add(c.resource);
  const order = RESOURCES as readonly string[];
  const columns = [...present].sort((a, b) => rank(order, a) - rank(order, b) || a.localeCompare(b));
  const rows = parties.map((p, k) => {
    const by = new Map(p.coverage.map((c) => [c.resource, c]));
    return { party: index[k] ?? k, cells: columns.map((c) => by.get(c) ?? null) };
  });
  rows.sort((a, b) => a.party - b.party);
  return { columns, rows };
}

function rank(order: readonly string[], name: string): number {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}

/** The heat map of an analyzer report whose parties are squad parties `index`. */
export function reportHeatMap(report: SynergyReport, index: number[]): HeatMap {
  const ordered = [...report.parties].sort((a, b) => a.party - b.party);
  return heatMap(
    ordered,
    ordered.map((p) => index[p.party - 1] ?? p.party - 1),
  );
}
