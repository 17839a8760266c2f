// Stat prefixes: the optimizer takes keys (`berserker`) or names (`Assassin's`) and answers
// English names (`Berserker's`); the UI keys everything by the game data's `key` and shows
// `game.value`'s name in the chosen language.
import type { ItemStat } from '../../game/data';

/** The service's name normalisation (`gw2::data::normalize_name`): lowercase, no `'s`, alphanumerics. */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/['’]s/g, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** The game data key of a prefix named or keyed `name`, or null when the data has none. */
export function prefixKey(name: string, itemstats: readonly ItemStat[]): string | null {
  const wanted = normalizeName(name);
  for (const stat of itemstats) {
    if (stat.key === name || normalizeName(stat.key) === wanted || normalizeName(stat.name) === wanted) return stat.key;
  }
  return null;
}

/** The categories in the order the picker shows them (discretize's categories). */
export const CATEGORY_ORDER = [
  'Power DPS',
  'Condi DPS',
  'Hybrid',
  'Power Boon',
  'Condi Boon',
  'Power Survivability',
  'Condi Survivability',
  'Healing',
  'Healing (Offensive)',
  'Healing (Other)',
  'Misc',
];

export interface PrefixGroup {
  category: string;
  stats: ItemStat[];
}

/** Prefixes grouped by category (known categories first, in CATEGORY_ORDER), names sorted. */
export function groupPrefixes(itemstats: readonly ItemStat[]): PrefixGroup[] {
  const groups = new Map<string, ItemStat[]>();
  for (const stat of itemstats) {
    const list = groups.get(stat.category) ?? [];
    list.push(stat);
    groups.set(stat.category, list);
  }
  const rank = (c: string) => {
    const i = CATEGORY_ORDER.indexOf(c);
    return i < 0 ? CATEGORY_ORDER.length : i;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([category, stats]) => ({ category, stats: [...stats].sort((a, b) => a.name.localeCompare(b.name)) }));
}
