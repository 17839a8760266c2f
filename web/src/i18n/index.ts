// Languages, message dictionaries and locale-aware formatting.
//
// Every page declares its own messages with `defineMessages(en, fr)`: the French table must
// have exactly the English table's keys (the type checker refuses a missing or extra one),
// so no string ships in one language only. The language comes from the user's choice
// (kept in localStorage), else the browser's preferred languages, else English.
import { signal } from '@preact/signals';

export const LANGS = ['en', 'fr'] as const;
export type Lang = (typeof LANGS)[number];

const STORAGE_KEY = 'gw2opt.lang';

/** The first supported language among the browser's preferences (`fr-CA` → `fr`). */
export function pickLanguage(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'en';
}

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'fr') return saved;
  } catch {
    // storage disabled: fall through to the browser's languages
  }
  return pickLanguage(globalThis.navigator?.languages ?? []);
}

export const lang = signal<Lang>(initialLang());

export function setLang(next: Lang) {
  lang.value = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not persisted; the choice still holds for this page
  }
  document.documentElement.lang = next;
}

export type Messages<K extends string> = { en: Record<K, string>; fr: Record<K, string> };

/** A page's messages: `fr` must have the same keys as `en`. */
export function defineMessages<const E extends Record<string, string>>(
  en: E,
  fr: { [K in keyof E]: string },
): Messages<Extract<keyof E, string>> {
  return { en, fr } as Messages<Extract<keyof E, string>>;
}

export type Vars = Record<string, string | number>;

/** `{name}` placeholders replaced by `vars` (numbers formatted for the language). */
export function interpolate(template: string, vars: Vars | undefined, language: Lang): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value, language) : value;
  });
}

export type Translate<K extends string> = (key: K, vars?: Vars) => string;

/** The translate function of a dictionary in the current language (re-renders on switch). */
export function useT<K extends string>(messages: Messages<K>): Translate<K> {
  const language = lang.value;
  const table = messages[language];
  return (key, vars) => interpolate(table[key] ?? messages.en[key] ?? key, vars, language);
}

const locales: Record<Lang, string> = { en: 'en-GB', fr: 'fr-FR' };

export function formatNumber(value: number, language: Lang = lang.value, digits?: number): string {
  return new Intl.NumberFormat(locales[language], {
    maximumFractionDigits: digits ?? (Math.abs(value) >= 100 ? 0 : 2),
    minimumFractionDigits: digits ?? 0,
  }).format(value);
}

export function formatPercent(ratio: number, language: Lang = lang.value, digits = 0): string {
  return new Intl.NumberFormat(locales[language], {
    style: 'percent',
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(ratio);
}

export function formatDate(iso: string | number | Date, language: Lang = lang.value, withTime = true): string {
  const date = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locales[language], {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(date);
}

/** Seconds as `m:ss` (fight durations). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
