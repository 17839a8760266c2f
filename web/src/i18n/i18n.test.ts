import { describe, expect, it } from 'vitest';
import { formatDuration, formatNumber, interpolate, pickLanguage } from '.';
import { common } from './common';

describe('pickLanguage', () => {
  it('takes the first supported language of the browser', () => {
    expect(pickLanguage(['de-DE', 'fr-CA', 'en-US'])).toBe('fr');
    expect(pickLanguage(['EN-gb'])).toBe('en');
  });
  it('falls back to English', () => {
    expect(pickLanguage(['de', 'es'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });
});

describe('interpolate', () => {
  it('formats numbers for the language', () => {
    expect(interpolate('{n} players', { n: 12345 }, 'en')).toBe('12,345 players');
    // French groups thousands with a narrow no-break space.
    expect(interpolate('{n} joueurs', { n: 12345 }, 'fr')).toBe('12\u202f345 joueurs');
  });
  it('leaves unknown placeholders visible', () => {
    expect(interpolate('{a} and {b}', { a: 'x' }, 'en')).toBe('x and {b}');
  });
});

describe('formatting', () => {
  it('uses a decimal comma in French', () => {
    expect(formatNumber(1.5, 'fr')).toBe('1,5');
    expect(formatNumber(1.5, 'en')).toBe('1.5');
  });
  it('writes durations as m:ss', () => {
    expect(formatDuration(125.4)).toBe('2:05');
    expect(formatDuration(-3)).toBe('0:00');
  });
});

describe('dictionaries', () => {
  it('have the same keys and no empty string in both languages', () => {
    expect(Object.keys(common.fr).sort()).toEqual(Object.keys(common.en).sort());
    for (const table of [common.en, common.fr]) {
      for (const value of Object.values(table)) expect(value.trim()).not.toBe('');
    }
  });
});
