// Game names for the builds pages. A build stores names as the game spells them in English
// ("Reaper", "Berserker's"); the pages show them in the UI's language. The English game
// data turns a stored name into its id, the UI language's data turns the id into the name
// shown (French where the service has it).
import type { ItemStat, Specialization } from '../../game/data';
import { GameIndex, loadGame } from '../../game/data';
import { lang } from '../../i18n';
import { useAsync, type Async } from '../../components/async';

const norm = (s: string) => s.trim().toLowerCase();

export interface Option {
  value: string;
  label: string;
}

export class Names {
  private readonly specByName = new Map<string, Specialization>();
  private readonly statByName = new Map<string, ItemStat>();

  constructor(
    readonly local: GameIndex,
    readonly english: GameIndex,
  ) {
    for (const s of english.data.specializations) this.specByName.set(norm(s.name), s);
    for (const i of english.data.itemstats) {
      if (!this.statByName.has(norm(i.name))) this.statByName.set(norm(i.name), i);
    }
  }

  /** A profession's name from its id (the English name, which the API takes). */
  profession(id: string | null | undefined): string {
    return this.local.profession(id);
  }

  /** The specialization stored as `english`. */
  spec(english: string | null | undefined): Specialization | undefined {
    return english ? this.specByName.get(norm(english)) : undefined;
  }

  /** A specialization's name in the UI language, from its stored (English) name. */
  specialization(english: string | null | undefined): string {
    if (!english) return '';
    const spec = this.spec(english);
    return spec ? this.local.specialization(spec.id) : english;
  }

  /** "Reaper (Necromancer)" or the profession alone for a core build. */
  professionAndSpec(profession: string, specialization: string | null | undefined): string {
    const p = this.profession(profession);
    return specialization ? `${this.specialization(specialization)} (${p})` : p;
  }

  trait(id: number, fallback?: string | null): string {
    return this.local.traits.has(id) ? this.local.trait(id) : (fallback ?? `#${id}`);
  }

  skill(id: number | null | undefined, fallback?: string | null): string {
    if (id != null && this.local.skills.get(id)?.name) return this.local.skill(id);
    return fallback ?? (id != null ? `#${id}` : '');
  }

  /** The key of a stat prefix given by key or by its English name. */
  statKey(nameOrKey: string): string {
    const byKey = this.english.itemstats.get(norm(nameOrKey));
    if (byKey) return byKey.key;
    return this.statByName.get(norm(nameOrKey))?.key ?? nameOrKey;
  }

  /** A stat prefix's name in the UI language, given by key or English name. */
  stat(nameOrKey: string | null | undefined): string {
    if (!nameOrKey) return '';
    return this.local.stat(this.statKey(nameOrKey));
  }

  professionOptions(): Option[] {
    return this.local.data.professions
      .map((p) => ({ value: p.id, label: p.name }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }

  /** A profession's specializations (value: the English name the API takes). */
  specOptions(profession: string, eliteOnly = false): Option[] {
    const p = this.english.professions.get(norm(profession));
    if (!p) return [];
    return p.specializations
      .map((id) => this.english.specializations.get(id))
      .filter((s): s is Specialization => !!s && (!eliteOnly || s.elite))
      .map((s) => ({ value: s.name, label: this.local.specialization(s.id) }));
  }

  /** Stat prefixes, by name (value: the key). */
  statOptions(): Option[] {
    return this.local.data.itemstats
      .map((i) => ({ value: i.key, label: i.name }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }
}

/** The names in the UI language (reloaded when it changes). */
export function useNames(): Async<Names> {
  const language = lang.value;
  return useAsync(
    () => Promise.all([loadGame(language), loadGame('en')]).then(([local, english]) => new Names(local, english)),
    [language],
  );
}
