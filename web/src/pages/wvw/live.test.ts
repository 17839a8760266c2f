import { describe, expect, it } from 'vitest';
import {
  CLOSE_UNAUTHORIZED,
  LiveSocket,
  MAX_FLIPS,
  applyMatch,
  backoff,
  currentSkirmish,
  emptyMatch,
  held,
  parseMessage,
  teamLines,
  teamOf,
  topicOf,
  validMatchId,
  type LiveStatus,
  type MatchDocument,
  type ServerMessage,
  type SocketLike,
} from './live';

function doc(red = 100, owner = 'Red'): MatchDocument {
  return {
    id: '2-1',
    start_time: '2026-11-27T18:00:00Z',
    end_time: '2026-12-04T18:00:00Z',
    scores: { red, blue: 10, green: 5 },
    worlds: { red: 2003, blue: 2101, green: 2201 },
    all_worlds: { red: [2003, 2013], blue: [2101], green: [2201] },
    kills: { red: 6, blue: 2, green: 3 },
    deaths: { red: 3, blue: 0, green: 1 },
    victory_points: { red: 5, blue: 9, green: 3 },
    skirmishes: [
      { id: 1, scores: { red: 50, blue: 10, green: 5 } },
      { id: 2, scores: { red, blue: 10, green: 5 } },
    ],
    maps: [
      {
        id: 38,
        type: 'Center',
        scores: { red, blue: 10, green: 5 },
        kills: { red: 1, blue: 2, green: 3 },
        deaths: { red: 3, blue: 2, green: 1 },
        objectives: [
          { id: '38-6', type: 'Keep', owner, last_flipped: '2026-11-25T18:00:00Z' },
          { id: '38-9', type: 'Castle', owner: 'Neutral' },
        ],
      },
    ],
  };
}

describe('messages', () => {
  it('are read from JSON text only', () => {
    expect(parseMessage('{"type":"ready","user":"a","heartbeat_ms":20000}')).toEqual({ type: 'ready', user: 'a', heartbeat_ms: 20000 });
    expect(parseMessage('not json')).toBeNull();
    expect(parseMessage('{"no":"type"}')).toBeNull();
    expect(parseMessage(new ArrayBuffer(2))).toBeNull();
  });
  it('name topics and match ids as the service does', () => {
    expect(topicOf({ match_id: '2-1' })).toBe('match:2-1');
    expect(topicOf({ session_id: 'abc' })).toBe('session:abc');
    expect(topicOf({ world_id: 2003 })).toBeNull();
    expect(validMatchId('1-4')).toBe(true);
    expect(validMatchId('1')).toBe(false);
    expect(validMatchId('../x')).toBe(false);
  });
});

it('backs off exponentially up to 30 s with jitter', () => {
  const mid = () => 0.5;
  expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoff(a, mid))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  expect(backoff(0, () => 0)).toBe(800);
  expect(backoff(0, () => 1)).toBe(1200);
});

describe('the scoreboard', () => {
  const now = new Date('2026-12-01T20:00:00Z');
  const snap: ServerMessage = { type: 'match_snapshot', match_id: '2-1', source: 'live', match: doc() };

  it('takes a snapshot', () => {
    const view = applyMatch(emptyMatch(), snap, now);
    expect(view.matchId).toBe('2-1');
    expect(view.available).toBe(true);
    expect(view.document?.scores.red).toBe(100);
    expect(view.updated).toBe(now.toISOString());
  });

  it('applies a diff with a flip (scores, map, objective owner, feed)', () => {
    let view = applyMatch(emptyMatch(), snap, now);
    view = applyMatch(
      view,
      {
        type: 'match_diff',
        match_id: '2-1',
        scores: { red: 140, blue: 10, green: 5 },
        skirmish: { id: 2, scores: { red: 140, blue: 10, green: 5 } },
        maps: [{ id: 38, type: 'Center', scores: { red: 140, blue: 10, green: 5 } }],
        objective_flips: [{ id: '38-6', map_id: 38, map_type: 'Center', type: 'Keep', from: 'Red', to: 'Blue', last_flipped: '2026-12-01T19:59:00Z' }],
      },
      now,
    );
    const d = view.document!;
    expect(d.scores.red).toBe(140);
    expect(d.kills.red).toBe(6); // unchanged fields stay
    expect(d.maps[0]!.scores.red).toBe(140);
    expect(d.maps[0]!.kills.blue).toBe(2);
    expect(d.maps[0]!.objectives[0]!.owner).toBe('Blue');
    expect(d.skirmishes[1]!.scores.red).toBe(140);
    expect(view.flips).toHaveLength(1);
    expect(view.flips[0]).toMatchObject({ id: '38-6', from: 'Red', to: 'Blue', seen: now.toISOString() });
    expect(held(d.maps[0]!, 'blue')).toBe(1);
    expect(held(d.maps[0]!, 'red')).toBe(0);
  });

  it('keeps the newest flips first and a bounded feed', () => {
    let view = applyMatch(emptyMatch(), snap, now);
    for (let i = 0; i < MAX_FLIPS + 5; i++) {
      view = applyMatch(view, {
        type: 'match_diff',
        match_id: '2-1',
        objective_flips: [{ id: `38-${i}`, map_id: 38, map_type: 'Center', type: 'Camp', from: 'Red', to: 'Green' }],
      });
    }
    expect(view.flips).toHaveLength(MAX_FLIPS);
    expect(view.flips[0]!.id).toBe(`38-${MAX_FLIPS + 4}`);
  });

  it('ignores other matches and diffs before a snapshot', () => {
    const view = applyMatch(emptyMatch(), snap, now);
    expect(applyMatch(view, { type: 'match_diff', match_id: '1-1', scores: { red: 1, blue: 1, green: 1 } })).toBe(view);
    const empty = emptyMatch();
    expect(applyMatch(empty, { type: 'match_diff', match_id: '2-1', scores: { red: 1, blue: 1, green: 1 } })).toBe(empty);
    expect(applyMatch(view, { type: 'pong' })).toBe(view);
  });

  it('says when the GW2 API is unreachable, and when it is back', () => {
    let view = applyMatch(emptyMatch(), { type: 'match_status', match_id: '2-1', available: false, detail: 'GW2 API unavailable: connection refused' }, now);
    expect(view.available).toBe(false);
    expect(view.detail).toContain('GW2 API unavailable');
    expect(view.matchId).toBe('2-1');
    view = applyMatch(view, snap, now);
    expect(view.available).toBe(true);
    expect(view.detail).toBeNull();
  });

  it('ranks the teams by victory points', () => {
    const lines = teamLines(doc());
    expect(lines.map((l) => l.team)).toEqual(['blue', 'red', 'green']);
    const red = lines[1]!;
    expect(red).toMatchObject({ world: 2003, linked: [2013], kills: 6, deaths: 3, kd: 2, skirmish: 100, objectives: 1 });
    expect(lines[0]!.kd).toBe(2); // no deaths: the kills
    expect(currentSkirmish(doc())).toBe(2);
    expect(teamOf('Green')).toBe('green');
    expect(teamOf('Neutral')).toBeNull();
  });
});

/** A WebSocket the test drives. */
class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  closed: number | null = null;
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    this.closed = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
  }
  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
}

function harness(tokens: (string | null)[] = ['t1', 't2', 't3']) {
  FakeSocket.all = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const statuses: LiveStatus[] = [];
  const messages: ServerMessage[] = [];
  const renewals: boolean[] = [];
  const socket = new LiveSocket({
    url: 'ws://x/api/v1/ws/mcm',
    token: async (renew) => {
      renewals.push(renew);
      return tokens.shift() ?? null;
    },
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s),
    create: (url) => new FakeSocket(url),
    setTimer: (fn, ms) => {
      timers.push({ fn, ms });
      return timers.length;
    },
    clearTimer: () => undefined,
    random: () => 0.5,
  });
  return { socket, timers, statuses, messages, renewals };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('LiveSocket', () => {
  it('authenticates by first message, then subscribes', async () => {
    const { socket, statuses, messages } = harness();
    socket.subscribe({ match_id: '2-1' });
    socket.start();
    await tick();
    const ws = FakeSocket.all[0]!;
    expect(ws.url).toBe('ws://x/api/v1/ws/mcm');
    ws.open();
    expect(ws.sent).toEqual([{ type: 'auth', token: 't1' }]);
    ws.receive({ type: 'ready', user: 'u', heartbeat_ms: 20000 });
    expect(ws.sent[1]).toEqual({ type: 'subscribe', match_id: '2-1' });
    expect(statuses.at(-1)?.phase).toBe('open');
    ws.receive({ type: 'heartbeat' });
    expect(ws.sent[2]).toEqual({ type: 'ping' });
    expect(messages.map((m) => m.type)).toEqual(['ready', 'heartbeat']);
    socket.unsubscribe({ match_id: '2-1' });
    expect(ws.sent[3]).toEqual({ type: 'unsubscribe', match_id: '2-1' });
  });

  it('reconnects with backoff and subscribes again', async () => {
    const { socket, timers, statuses } = harness();
    socket.subscribe({ world_id: 2003 });
    socket.start();
    await tick();
    FakeSocket.all[0]!.drop(1006);
    expect(statuses.at(-1)).toMatchObject({ phase: 'waiting', attempt: 1, retryIn: 1000, lastClose: 1006 });
    timers.shift()!.fn();
    await tick();
    FakeSocket.all[1]!.drop(1006);
    expect(statuses.at(-1)).toMatchObject({ phase: 'waiting', attempt: 2, retryIn: 2000 });
    timers.shift()!.fn();
    await tick();
    const ws = FakeSocket.all[2]!;
    ws.open();
    ws.receive({ type: 'ready', user: 'u', heartbeat_ms: 20000 });
    expect(ws.sent).toEqual([
      { type: 'auth', token: 't3' },
      { type: 'subscribe', world_id: 2003 },
    ]);
    expect(statuses.at(-1)).toMatchObject({ phase: 'open', attempt: 0 });
  });

  it('renews the token after a 4401 close', async () => {
    const { socket, timers, renewals } = harness();
    socket.start();
    await tick();
    FakeSocket.all[0]!.drop(CLOSE_UNAUTHORIZED);
    timers.shift()!.fn();
    await tick();
    expect(renewals).toEqual([false, true]);
  });

  it('stops when there is no token (signed out)', async () => {
    const { socket, statuses } = harness([null]);
    socket.start();
    await tick();
    expect(FakeSocket.all).toHaveLength(0);
    expect(statuses.at(-1)).toMatchObject({ phase: 'stopped', stopped: 'signedOut' });
  });

  it('closes for good when stopped, without reconnecting', async () => {
    const { socket, timers, statuses } = harness();
    socket.start();
    await tick();
    const ws = FakeSocket.all[0]!;
    ws.open();
    socket.stop();
    expect(ws.closed).toBe(1000);
    ws.drop(1000);
    expect(timers).toHaveLength(0);
    expect(statuses.at(-1)).toMatchObject({ phase: 'stopped', stopped: 'closed' });
  });
});
