// The game's names (professions, specializations, traits, skills, stat prefixes) in the
// UI's language, from GET /api/v1/game/data (the service's embedded game data; French where
// the data has it, English otherwise). Loaded once per language and cached for the page.
import { signal } from '@preact/signals';
import { rawJson } from '../api/client';
import { lang, type Lang } from '../i18n';

export interface Profession {
  id: string;
  name: string;
  code: number;
  armor_weight: string;
  specializations: number[];
}
export interface Specialization {
  id: number;
  name: string;
  profession: string;
  elite: boolean;
  minor_traits: number[];
  major_traits: number[];
}
export interface Trait {
  id: number;
  name: string;
  specialization: number;
  tier: number;
  slot: string;
}
export interface Skill {
  id: number;
  name: string | null;
  profession: string | null;
  slot: string;
  specialization: number | null;
}
export interface ItemStat {
  key: string;
  name: string;
  category: string;
  major: string[];
  minor: string[];
}
export interface GameData {
  professions: Profession[];
  specializations: Specialization[];
  traits: Trait[];
  skills: Skill[];
  itemstats: ItemStat[];
}

export class GameIndex {
  readonly professions = new Map<string, Profession>();
  readonly specializations = new Map<number, Specialization>();
  readonly specializationsByName = new Map<string, Specialization>();
  readonly traits = new Map<number, Trait>();
  readonly skills = new Map<number, Skill>();
  readonly itemstats = new Map<string, ItemStat>();

  constructor(readonly data: GameData) {
    for (const p of data.professions) this.professions.set(p.id.toLowerCase(), p);
    for (const s of data.specializations) this.specializations.set(s.id, s);
    for (const t of data.traits) this.traits.set(t.id, t);
    for (const s of data.skills) this.skills.set(s.id, s);
    for (const i of data.itemstats) this.itemstats.set(i.key.toLowerCase(), i);
  }

  profession(id: string | null | undefined): string {
    if (!id) return '';
    return this.professions.get(id.toLowerCase())?.name ?? id;
  }
  specialization(id: number | null | undefined): string {
    if (id == null) return '';
    return this.specializations.get(id)?.name ?? `#${id}`;
  }
  trait(id: number | null | undefined): string {
    if (id == null) return '';
    return this.traits.get(id)?.name ?? `#${id}`;
  }
  skill(id: number | null | undefined): string {
    if (id == null) return '';
    return this.skills.get(id)?.name ?? `#${id}`;
  }
  stat(key: string | null | undefined): string {
    if (!key) return '';
    return this.itemstats.get(key.toLowerCase())?.name ?? key;
  }
}

const cache = new Map<Lang, Promise<GameIndex>>();
export const game = signal<GameIndex | null>(null);

export function loadGame(language: Lang = lang.value): Promise<GameIndex> {
  let pending = cache.get(language);
  if (!pending) {
    pending = rawJson<GameData>(`/api/v1/game/data?lang=${language}`).then((data) => new GameIndex(data));
    pending.catch(() => cache.delete(language));
    cache.set(language, pending);
  }
  return pending;
}

/** Keeps `game` in step with the UI language (call once at start-up). */
export function followLanguage() {
  let current: Lang | null = null;
  lang.subscribe((language) => {
    if (language === current) return;
    current = language;
    loadGame(language).then(
      (index) => {
        if (lang.value === language) game.value = index;
      },
      () => undefined,
    );
  });
}
