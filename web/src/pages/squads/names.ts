// Names shown by the squad planner and Team Commander: boons and other needs, roles and game
// modes (our messages, EN/FR), and professions and specializations from the game data in the
// UI's language. The service speaks English names ("Firebrand"); the game data gives each
// entry's localized name with its English one (`name_en`).
import { defineMessages, type Translate } from '../../i18n';
import { game, type GameIndex } from '../../game/data';

export const resourceNames = defineMessages(
  {
    stability: 'Stability',
    aegis: 'Aegis',
    resistance: 'Resistance',
    protection: 'Protection',
    might: 'Might',
    fury: 'Fury',
    quickness: 'Quickness',
    alacrity: 'Alacrity',
    superspeed: 'Superspeed',
    regeneration: 'Regeneration',
    vigor: 'Vigor',
    swiftness: 'Swiftness',
    resolution: 'Resolution',
    cleanse: 'Cleanses',
    strip: 'Boon strips',
    healing: 'Healing',
    barrier: 'Barrier',
  },
  {
    stability: 'Stabilité',
    aegis: 'Égide',
    resistance: 'Résistance',
    protection: 'Protection',
    might: 'Pouvoir',
    fury: 'Furie',
    quickness: 'Célérité',
    alacrity: 'Alacrité',
    superspeed: 'Supervitesse',
    regeneration: 'Régénération',
    vigor: 'Vigueur',
    swiftness: 'Rapidité',
    resolution: 'Résolution',
    cleanse: 'Purges',
    strip: 'Retraits d’avantages',
    healing: 'Soins',
    barrier: 'Barrière',
  },
);
export type ResourceKey = keyof typeof resourceNames.en;

export const roleNames = defineMessages(
  {
    support: 'Support',
    heal: 'Healer',
    quickness: 'Quickness',
    alacrity: 'Alacrity',
    dps: 'DPS',
    strip: 'Boon strip',
    boon_dps: 'Boon DPS',
    healer: 'Healer',
    tank: 'Tank',
    utility: 'Utility',
  },
  {
    support: 'Soutien',
    heal: 'Soigneur',
    quickness: 'Célérité',
    alacrity: 'Alacrité',
    dps: 'DPS',
    strip: 'Retrait d’avantages',
    boon_dps: 'DPS avantages',
    healer: 'Soigneur',
    tank: 'Tank',
    utility: 'Utilitaire',
  },
);
export type RoleKey = keyof typeof roleNames.en;

export const modeNames = defineMessages(
  {
    wvw_zerg: 'WvW zerg',
    wvw_guild_raid: 'WvW guild raid',
    wvw_outnumbered: 'WvW outnumbered',
    wvw_roaming: 'WvW roaming',
    wvw: 'WvW',
    raid: 'Raid',
    strikes: 'Strikes',
    fractals: 'Fractals',
    pve: 'PvE',
    pvp: 'PvP',
  },
  {
    wvw_zerg: 'McM zerg',
    wvw_guild_raid: 'McM raid de guilde',
    wvw_outnumbered: 'McM en infériorité',
    wvw_roaming: 'McM roaming',
    wvw: 'McM',
    raid: 'Raid',
    strikes: 'Missions d’attaque',
    fractals: 'Fractales',
    pve: 'JcE',
    pvp: 'JcJ',
  },
);
export type ModeKey = keyof typeof modeNames.en;

/** A message of a table by a key the service sent, or the key itself when unknown. */
export function named<K extends string>(t: Translate<K>, table: { en: Record<K, string> }, key: string): string {
  return key in table.en ? t(key as K) : key;
}

/** A game data entry's English name (the data carries `name_en` beside the localized name). */
function enName(entry: { name: string }): string {
  return (entry as { name_en?: string | null }).name_en ?? entry.name;
}

/** The localized name of a profession given by its English id ("Guardian"). */
export function professionLabel(profession: string): string {
  return game.value?.profession(profession) || profession;
}

/** The id of a specialization from its English name (null for core builds and unknown names). */
export function specializationId(data: GameIndex | null, name: string, profession: string): number | null {
  if (!data || !name || name.toLowerCase() === profession.toLowerCase()) return null;
  const wanted = name.trim().toLowerCase();
  for (const s of data.data.specializations) {
    if (enName(s).toLowerCase() === wanted && (!profession || s.profession.toLowerCase() === profession.toLowerCase())) return s.id;
  }
  return null;
}

/** The localized name of a specialization given by its English name (a core build: the profession's). */
export function specializationLabel(name: string, profession: string): string {
  if (!name || name.toLowerCase() === profession.toLowerCase()) return professionLabel(profession);
  const id = specializationId(game.value, name, profession);
  if (id === null || !game.value) return name;
  return game.value.specializations.get(id)?.name ?? name;
}

export interface SpecOption {
  /** English name as the service wants it (the profession's for core). */
  value: string;
  label: string;
}

/** The professions, English id → localized name, sorted by label. */
export function professionOptions(data: GameIndex | null): SpecOption[] {
  if (!data) return [];
  return data.data.professions.map((p) => ({ value: p.id, label: p.name })).sort((a, b) => a.label.localeCompare(b.label));
}

/** A profession's core build and elite specializations (English values, localized labels). */
export function specializationOptions(data: GameIndex | null, profession: string, coreLabel: string): SpecOption[] {
  if (!data || !profession) return [];
  const elites = data.data.specializations
    .filter((s) => s.elite && s.profession.toLowerCase() === profession.toLowerCase())
    .map((s) => ({ value: enName(s), label: s.name }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return [{ value: profession, label: `${data.profession(profession)} (${coreLabel})` }, ...elites];
}

/** The localized name of a stat prefix given by its English name ("Marauder's") or key. */
export function statLabel(name: string): string {
  const data = game.value;
  if (!data) return name;
  const wanted = name.trim().toLowerCase();
  const stat = data.data.itemstats.find((s) => enName(s).toLowerCase() === wanted || s.key.toLowerCase() === wanted);
  return stat ? stat.name : name;
}
