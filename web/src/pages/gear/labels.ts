// Message keys for the service's vocabulary (categories, modifier kinds, game modes) and the
// text of form errors.
import type { Translate } from '../../i18n';
import type { FormError } from './form';
import { messages, type GearMessage } from './messages';

function known(key: string): key is GearMessage {
  return key in messages.en;
}

/** `Healing (Offensive)` → `cat_Healing_Offensive`, or null for a category without a message. */
export function categoryMessage(category: string): GearMessage | null {
  const key = `cat_${category.replace(/[()]/g, '').trim().replace(/\s+/g, '_')}`;
  return known(key) ? key : null;
}

/** `rune` → `m_rune`; unknown kinds are `m_other`. */
export function modifierKindMessage(kind: string): GearMessage {
  const key = `m_${kind}`;
  return known(key) ? key : 'm_other';
}

/** `wvw_zerg` → `mode_wvw` (a WvW format reads as WvW); null for an unknown mode. */
export function modeMessage(mode: string | null | undefined): GearMessage | null {
  if (!mode) return null;
  const base = mode.toLowerCase().startsWith('wvw') ? 'wvw' : mode.toLowerCase();
  const key = `mode_${base}`;
  return known(key) ? key : null;
}

export function formErrorText(t: Translate<GearMessage>, error: FormError | undefined): string | undefined {
  if (!error) return undefined;
  switch (error.code) {
    case 'outOfRange':
      return error.max === undefined ? t('e_outOfRangeMin', { min: error.min ?? 0 }) : t('e_outOfRange', { min: error.min ?? 0, max: error.max });
    case 'tooManyAffixes':
      return t('e_tooManyAffixes', { max: error.max ?? 0 });
    default:
      return t(`e_${error.code}`);
  }
}

/** A large count as mantissa × 10^exponent (null below a billion: write it out). */
export function scientific(n: number): { mantissa: number; exponent: number } | null {
  if (!Number.isFinite(n) || Math.abs(n) < 1e9) return null;
  const exponent = Math.floor(Math.log10(Math.abs(n)));
  return { mantissa: Math.round((n / 10 ** exponent) * 10) / 10, exponent };
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** An exponent in superscript digits (`16` → `¹⁶`). */
export function superscript(n: number): string {
  return String(n)
    .split('')
    .map((c) => (c === '-' ? '⁻' : (SUPERSCRIPT[Number(c)] ?? c)))
    .join('');
}
