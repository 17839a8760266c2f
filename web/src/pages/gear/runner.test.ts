import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../api/client';
import { powerPreset, result } from './fixtures.test-data';
import {
  IDLE,
  jobEvent,
  parseMessage,
  progressRatio,
  reduce,
  shownResults,
  startRun,
  type RunDeps,
  type RunEvent,
  type SocketLike,
} from './runner';
import type { GearOutput } from './types';

const output: GearOutput = {
  results: [result(1, 300), result(2, 290)],
  search: {
    objective: 'damage',
    proven_optimal: false,
    cancelled: true,
    candidate_prefixes: 20,
    raw_combinations: 1e16,
    classes: 10,
    nodes: 100,
    evaluated: 50,
    modifiers: [],
  },
};

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(value: unknown) {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(value) }));
  }
  drop() {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close'));
  }
}

function harness(over: Partial<RunDeps> = {}) {
  const sockets: FakeSocket[] = [];
  const calls: string[] = [];
  const deps: RunDeps = {
    openSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    post: async () => {
      calls.push('post');
      return output;
    },
    getJob: async (id) => {
      calls.push(`get ${id}`);
      return { status: 'done', output };
    },
    cancelJob: async (id) => {
      calls.push(`cancel ${id}`);
    },
    sleep: async () => undefined,
    ...over,
  };
  const events: RunEvent[] = [];
  return { deps, sockets, calls, events, onEvent: (e: RunEvent) => events.push(e) };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('messages', () => {
  it('reads the stream', () => {
    expect(parseMessage('{"type":"started","job_id":"j1"}')).toEqual({ kind: 'started', mode: 'stream', jobId: 'j1' });
    expect(parseMessage('{"type":"progress","subtrees_done":3,"subtrees_total":64,"evaluated":10,"best":null}')).toEqual({
      kind: 'progress',
      done: 3,
      total: 64,
      evaluated: 10,
      best: null,
    });
    expect(parseMessage(JSON.stringify({ type: 'result', ...output }))).toEqual({ kind: 'result', output });
    const error = parseMessage('{"type":"error","detail":"invalid gear input: x","code":"validation_error"}');
    expect(error?.kind).toBe('error');
    const failure = (error as { error: ApiFailure }).error;
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure.message).toBe('invalid gear input: x');
    expect(failure.status).toBe(422);
    expect(parseMessage('nope')).toBeNull();
    expect(parseMessage('{"type":"other"}')).toBeNull();
  });

  it('reads job states', () => {
    expect(jobEvent({ status: 'running', subtrees_done: 1, subtrees_total: 2, evaluated: 5, best: null })).toEqual({
      kind: 'progress',
      done: 1,
      total: 2,
      evaluated: 5,
      best: null,
    });
    expect(jobEvent({ status: 'done', output })).toEqual({ kind: 'result', output });
    expect(jobEvent({ status: 'failed', detail: 'bad' })?.kind).toBe('error');
    expect(jobEvent(null)).toBeNull();
  });
});

describe('state', () => {
  it('follows a run to its result', () => {
    let s = reduce(IDLE, { kind: 'start', mode: 'stream', at: 1000 });
    expect(s.phase).toBe('starting');
    expect(s.startedAt).toBe(1000);
    expect(progressRatio(s)).toBeNull();
    s = reduce(s, { kind: 'started', mode: 'stream', jobId: 'j' });
    s = reduce(s, { kind: 'progress', done: 16, total: 64, evaluated: 9, best: result(1, 250) });
    expect(s.phase).toBe('running');
    expect(progressRatio(s)).toBe(0.25);
    // A report without a new best keeps the previous one.
    s = reduce(s, { kind: 'progress', done: 32, total: 64, evaluated: 12, best: null });
    expect(s.best?.score).toBe(250);
    expect(shownResults(s).map((r) => r.score)).toEqual([250]);
    s = reduce(s, { kind: 'cancel' });
    expect(s.phase).toBe('cancelling');
    s = reduce(s, { kind: 'progress', done: 33, total: 64, evaluated: 13, best: null });
    expect(s.phase).toBe('cancelling');
    s = reduce(s, { kind: 'result', output });
    expect(s.phase).toBe('done');
    expect(progressRatio(s)).toBe(1);
    expect(shownResults(s)).toHaveLength(2);
    // Late progress does not reopen a finished run.
    expect(reduce(s, { kind: 'progress', done: 1, total: 64, evaluated: 1, best: null })).toBe(s);
  });

  it('keeps the best so far when the run fails', () => {
    let s = reduce(IDLE, { kind: 'start', mode: 'stream', at: 1000 });
    s = reduce(s, { kind: 'progress', done: 1, total: 4, evaluated: 1, best: result(1, 99) });
    s = reduce(s, { kind: 'error', error: new ApiFailure(0, null) });
    expect(s.phase).toBe('failed');
    expect(progressRatio(s)).toBe(0.25);
    expect(progressRatio(reduce(reduce(IDLE, { kind: 'start', mode: 'anonymous', at: 0 }), { kind: 'error', error: null }))).toBe(0);
    expect(shownResults(s).map((r) => r.score)).toEqual([99]);
    expect(reduce(s, { kind: 'reset' })).toBe(IDLE);
  });
});

describe('startRun', () => {
  it('streams over the WebSocket with the token and cancels with "cancel"', async () => {
    const h = harness();
    const run = startRun(powerPreset, 'tok en', h.onEvent, h.deps);
    const socket = h.sockets[0]!;
    expect(socket.url).toMatch(/\/api\/v1\/ws\/optimize\?token=tok%20en$/);
    socket.open();
    expect(JSON.parse(socket.sent[0]!)).toEqual(powerPreset);
    socket.receive({ type: 'started', job_id: 'j1' });
    socket.receive({ type: 'progress', subtrees_done: 1, subtrees_total: 8, evaluated: 3, best: result(1, 280) });
    run.cancel();
    expect(socket.sent[1]).toBe('cancel');
    socket.receive({ type: 'result', ...output });
    socket.drop();
    expect(h.events.map((e) => e.kind)).toEqual(['started', 'progress', 'result']);
    expect(h.calls).toEqual([]);
  });

  it('posts instead when the socket is refused before opening, and polls the job', async () => {
    let polls = 0;
    const h = harness({
      post: async () => ({ job_id: 'j2', status_url: '/api/v1/optimize/gear/jobs/j2' }),
      getJob: async () => {
        polls += 1;
        return polls < 2
          ? { status: 'running', subtrees_done: 1, subtrees_total: 2, evaluated: 1, best: null }
          : { status: 'done', output };
      },
    });
    startRun(powerPreset, 'token', h.onEvent, h.deps);
    h.sockets[0]!.drop();
    await flush();
    await flush();
    await flush();
    expect(h.events.map((e) => e.kind)).toEqual(['started', 'started', 'progress', 'result']);
    expect(h.events[1]).toEqual({ kind: 'started', mode: 'job', jobId: 'j2' });
  });

  it('cancels a polled job through the API', async () => {
    let release: () => void = () => undefined;
    const h = harness({
      post: async () => ({ job_id: 'j3' }),
      sleep: () => new Promise<void>((resolve) => (release = resolve)),
    });
    const run = startRun(powerPreset, null, h.onEvent, h.deps);
    await flush();
    run.cancel();
    expect(h.calls).toContain('cancel j3');
    release();
    await flush();
    expect(h.events.at(-1)).toEqual({ kind: 'result', output });
  });

  it('reports a dropped stream as a network failure', () => {
    const h = harness();
    startRun(powerPreset, 'token', h.onEvent, h.deps);
    h.sockets[0]!.open();
    h.sockets[0]!.drop();
    const last = h.events.at(-1);
    expect(last?.kind).toBe('error');
    expect(((last as { error: ApiFailure }).error as ApiFailure).status).toBe(0);
  });

  it('runs anonymously through one POST', async () => {
    const h = harness();
    startRun(powerPreset, null, h.onEvent, h.deps);
    await flush();
    expect(h.sockets).toHaveLength(0);
    expect(h.calls).toEqual(['post']);
    expect(h.events).toEqual([
      { kind: 'started', mode: 'anonymous', jobId: null },
      { kind: 'result', output },
    ]);
  });

  it('passes an API failure on', async () => {
    const failure = new ApiFailure(429, { detail: 'busy', code: 'rate_limited' });
    const h = harness({
      post: async () => {
        throw failure;
      },
    });
    startRun(powerPreset, null, h.onEvent, h.deps);
    await flush();
    expect(h.events.at(-1)).toEqual({ kind: 'error', error: failure });
  });

  it('stops: closes the socket and sends no more events', () => {
    const h = harness();
    const run = startRun(powerPreset, 'token', h.onEvent, h.deps);
    const socket = h.sockets[0]!;
    socket.open();
    run.stop();
    expect(socket.closed).toBe(true);
    socket.receive({ type: 'result', ...output });
    expect(h.events).toEqual([]);
  });
});
