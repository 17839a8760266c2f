import { describe, expect, it } from 'vitest';
import { safeNext } from './login';
import { messages } from './messages';
import { shortAgent } from './profile';

describe('safeNext', () => {
  it('keeps our own paths', () => {
    expect(safeNext('/builds/12')).toBe('/builds/12');
  });
  it('refuses other sites and missing values', () => {
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(undefined)).toBe('/');
  });
});

describe('shortAgent', () => {
  it('names the browser', () => {
    expect(shortAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36')).toBe('Chrome');
    expect(shortAgent('Mozilla/5.0 Gecko/20100101 Firefox/140.0')).toBe('Firefox');
    expect(shortAgent(null)).toBe('—');
  });
});

it('account messages exist in both languages', () => {
  expect(Object.keys(messages.fr).sort()).toEqual(Object.keys(messages.en).sort());
});
