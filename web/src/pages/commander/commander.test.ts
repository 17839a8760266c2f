import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../api/client';
import {
  buildFor,
  byteToIndex,
  controlOf,
  distinctBuilds,
  errorFor,
  gameModeOf,
  maxima,
  ratio,
  segments,
  slotKey,
  teamFor,
  toRequest,
  type CommanderAnswer,
  type CommanderSlot,
} from './commander';
import { messages } from './messages';

const bytes = (s: string) => new TextEncoder().encode(s).length;

function slot(specialization: string, role: string, stats = 'Minstrel\'s', profession = 'Guardian'): CommanderSlot {
  return {
    role,
    profession,
    specialization,
    equipment: { stats, rune: 'Superior Rune of Durability', sigils: ['Superior Sigil of Concentration', 'Superior Sigil of Transference'], relic: 'Relic of the Firebrand' },
    performance: { burst_damage: 3473, survivability: 3.04, effective_health: 69556050, dps_increase: 12.6 },
    advisor_reason: 'Requested',
    requested: true,
  };
}

const answer = {
  success: true,
  team_size: 4,
  mode: 'outnumbered',
  experience: 'intermediate',
  groups: [
    { index: 2, slots: [slot('Firebrand', 'support'), slot('Scourge', 'strip', 'Marauder\'s', 'Necromancer')], coverage: [] },
    { index: 1, slots: [slot('Firebrand', 'support'), slot('Druid', 'heal', 'Minstrel\'s', 'Ranger')], coverage: [] },
  ],
  synergy: { score: 'A', details: {}, coverage: 0.9 },
  notes: [],
  parse: { understood: [], not_understood: [] },
  warnings: [],
} as CommanderAnswer;

describe('the request', () => {
  it('sends overrides only when chosen', () => {
    expect(toRequest('  squad of 10 ', '', '')).toEqual({ message: 'squad of 10' });
    expect(toRequest('x', 'wvw_roam', 'expert')).toEqual({ message: 'x', mode: 'wvw_roam', experience: 'expert' });
    expect(toRequest('x', '', '', 'fr', true)).toEqual({ message: 'x', language: 'fr', learned_weights: true });
    expect(toRequest('x', '', '', 'en', false)).toEqual({ message: 'x', language: 'en' });
  });
  it('turns byte offsets into string indices', () => {
    const text = 'en infériorité, 10';
    expect(byteToIndex(text, 0)).toBe(0);
    // "en inf" = 6 bytes, "é" = 2 bytes
    expect(byteToIndex(text, 8)).toBe(7);
    expect(byteToIndex(text, bytes(text))).toBe(text.length);
    expect(byteToIndex('a😀b', 5)).toBe(3);
  });
  it('highlights understood and not understood parts', () => {
    const text = '2 groupes de 5 en infériorité blabla';
    const start = bytes('2 groupes de 5 ');
    const end = bytes('2 groupes de 5 en infériorité');
    const segs = segments(
      text,
      [
        { span: { start: 0, end: 14, text: '2 groupes de 5' }, meaning: 'groups: 2' },
        { span: { start, end, text: 'en infériorité' }, meaning: 'mode: outnumbered' },
        { span: { start: 2, end: 9, text: 'groupes' }, meaning: 'overlap' },
      ],
      [{ start: end + 1, end: end + 7, text: 'blabla' }],
    );
    expect(segs).toEqual([
      { text: '2 groupes de 5', kind: 'understood', meaning: 'groups: 2' },
      { text: ' ', kind: 'plain' },
      { text: 'en infériorité', kind: 'understood', meaning: 'mode: outnumbered' },
      { text: ' ', kind: 'plain' },
      { text: 'blabla', kind: 'not-understood' },
    ]);
  });
});

describe('the answer', () => {
  it('scales performance bars to the squad’s best', () => {
    const best = maxima(answer.groups);
    expect(best.burst_damage).toBe(3473);
    expect(ratio(3473 / 2, best.burst_damage)).toBe(0.5);
    expect(ratio(5, 0)).toBe(0);
    expect(ratio(Number.NaN, 1)).toBe(0);
    expect(ratio(3, 1)).toBe(1);
  });
  it('puts an error on the control it names', () => {
    const mode = new ApiFailure(422, { detail: 'unknown mode', code: 'validation_error', field: 'mode' });
    const players = new ApiFailure(422, { detail: 'at most 50 players', code: 'validation_error', field: 'players' });
    expect(controlOf(mode)).toBe('mode');
    expect(controlOf(players)).toBe('message');
    expect(errorFor(players, 'message')).toBe('at most 50 players');
    expect(errorFor(players, 'mode')).toBeUndefined();
    expect(controlOf(new ApiFailure(0, null))).toBeNull();
  });
});

describe('saving the squad', () => {
  it('creates one build per distinct slot', () => {
    const distinct = distinctBuilds(answer);
    expect([...distinct.values()].map((s) => s.specialization)).toEqual(['Firebrand', 'Scourge', 'Druid']);
    expect(slotKey(slot('Firebrand', 'support'))).not.toBe(slotKey(slot('Firebrand', 'support', 'Harrier\'s')));
  });
  it('saves a slot as a build of its specialization, role and gear', () => {
    const b = buildFor(slot('Druid', 'heal', 'Minstrel\'s', 'Ranger'), 'wvw_zerg', false);
    expect(b.profession).toBe('Ranger');
    expect(b.specialization).toBe('Druid');
    expect(b.role).toBe('healer');
    expect(b.is_public).toBe(false);
    expect(Object.keys(b.equipment!.gear!)).toHaveLength(14);
    expect((b.equipment!.gear as Record<string, string>).helm).toBe('Minstrel\'s');
    expect(b.equipment!.relic).toBe('Relic of the Firebrand');
    expect(buildFor(slot('Scrapper', 'quickness', 'Minstrel\'s', 'Engineer'), 'wvw_zerg', true).role).toBe('boon_dps');
    expect(buildFor(slot('Guardian', 'dps'), 'wvw_zerg', true).specialization).toBeNull();
  });
  it('makes groups parties in order, each slot on its build', () => {
    const ids = new Map([...distinctBuilds(answer).keys()].map((k, i) => [k, { id: `b${i}` }]));
    const team = teamFor(answer, ids, ' Night ', true, 'request');
    expect(team.name).toBe('Night');
    expect(team.game_mode).toBe('wvw_outnumbered');
    expect(team.slots!.map((s) => [s.party, s.position, s.build_id])).toEqual([
      [1, 1, 'b0'],
      [1, 2, 'b2'],
      [2, 1, 'b0'],
      [2, 2, 'b1'],
    ]);
  });
  it('knows the formats’ game modes', () => {
    expect(gameModeOf('zerg')).toBe('wvw_zerg');
    expect(gameModeOf('guild_raid')).toBe('wvw_guild_raid');
    expect(gameModeOf('roaming')).toBe('wvw_roaming');
  });
});

it('messages exist in both languages', () => {
  expect(Object.keys(messages.fr).sort()).toEqual(Object.keys(messages.en).sort());
});
