// Running a gear search (crates/server/src/http/optimize.rs):
// - signed in: the `/api/v1/ws/optimize` WebSocket (token in the `token` query parameter,
//   browsers cannot set headers on a WebSocket): the input as the first text message, then
//   `started`, `progress` (≤ every 100 ms), and `result` or `error`; `"cancel"` stops the search
//   and still answers the best so far. When the socket cannot open (the handshake's 429/503
//   are invisible to a browser), the same search goes through `POST /optimize/gear`, which
//   answers the result or a job polled at `/optimize/gear/jobs/{id}` (DELETE cancels it);
// - signed out: `POST /optimize/gear` alone, a search of the service's short anonymous budget
//   answered at once (no progress, no cancel).
import { ApiFailure, api, rawJson, unwrap, wsUrl } from '../../api/client';
import type { GearInput, GearOutput, GearResult } from './types';

export type RunMode = 'stream' | 'job' | 'anonymous';

export type RunEvent =
  | { kind: 'started'; mode: RunMode; jobId: string | null }
  | { kind: 'progress'; done: number; total: number; evaluated: number; best: GearResult | null }
  | { kind: 'result'; output: GearOutput }
  | { kind: 'error'; error: unknown };

export type RunAction = RunEvent | { kind: 'start'; mode: RunMode; at: number } | { kind: 'cancel' } | { kind: 'reset' };

export type Phase = 'idle' | 'starting' | 'running' | 'cancelling' | 'done' | 'failed';

export interface RunState {
  phase: Phase;
  mode: RunMode | null;
  done: number;
  total: number;
  evaluated: number;
  /** The best result reported while running. */
  best: GearResult | null;
  output: GearOutput | null;
  error: unknown;
  /** When the run started (ms since the epoch). */
  startedAt: number;
}

export const IDLE: RunState = {
  phase: 'idle',
  mode: null,
  done: 0,
  total: 0,
  evaluated: 0,
  best: null,
  output: null,
  error: undefined,
  startedAt: 0,
};

export function reduce(state: RunState, action: RunAction): RunState {
  switch (action.kind) {
    case 'reset':
      return IDLE;
    case 'start':
      return { ...IDLE, phase: 'starting', mode: action.mode, startedAt: action.at };
    case 'started':
      return { ...state, mode: action.mode, phase: state.phase === 'cancelling' ? 'cancelling' : 'running' };
    case 'progress':
      if (state.phase === 'done' || state.phase === 'failed') return state;
      return {
        ...state,
        phase: state.phase === 'cancelling' ? 'cancelling' : 'running',
        done: action.done,
        total: action.total,
        evaluated: action.evaluated,
        best: action.best ?? state.best,
      };
    case 'cancel':
      return state.phase === 'running' || state.phase === 'starting' ? { ...state, phase: 'cancelling' } : state;
    case 'result':
      return {
        ...state,
        phase: 'done',
        output: action.output,
        done: state.total > 0 ? state.total : state.done,
        evaluated: Math.max(state.evaluated, action.output.search.evaluated),
      };
    case 'error':
      return { ...state, phase: 'failed', error: action.error };
  }
}

export function isActive(state: RunState): boolean {
  return state.phase === 'starting' || state.phase === 'running' || state.phase === 'cancelling';
}

/** Share of the search done (0..1), or null while unknown (no progress yet, anonymous run). */
export function progressRatio(state: RunState): number | null {
  if (state.phase === 'done') return 1;
  if (state.total <= 0) return isActive(state) ? null : 0;
  return Math.min(1, state.done / state.total);
}

/** The results to show: the final ones, else the best so far (a failed or cut run). */
export function shownResults(state: RunState): GearResult[] {
  if (state.output) return state.output.results;
  return state.best ? [state.best] : [];
}

const STATUS_OF_CODE: Record<string, number> = {
  unauthorized: 401,
  bad_request: 400,
  validation_error: 422,
  service_unavailable: 503,
  rate_limited: 429,
};

function failure(detail: string, code: string): ApiFailure {
  return new ApiFailure(STATUS_OF_CODE[code] ?? 422, { detail, code });
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** One message of the `/ws/optimize` stream, or null for one this page does not know. */
export function parseMessage(text: string): RunEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  switch (v.type) {
    case 'started':
      return { kind: 'started', mode: 'stream', jobId: typeof v.job_id === 'string' ? v.job_id : null };
    case 'progress':
      return {
        kind: 'progress',
        done: num(v.subtrees_done),
        total: num(v.subtrees_total),
        evaluated: num(v.evaluated),
        best: (v.best as GearResult | null | undefined) ?? null,
      };
    case 'result': {
      const { type: _type, ...output } = v;
      return { kind: 'result', output: output as unknown as GearOutput };
    }
    case 'error':
      return { kind: 'error', error: failure(String(v.detail ?? ''), String(v.code ?? 'error')) };
    default:
      return null;
  }
}

/** A job's state (`GET /optimize/gear/jobs/{id}`) as an event. */
export function jobEvent(state: unknown): RunEvent | null {
  if (typeof state !== 'object' || state === null) return null;
  const s = state as Record<string, unknown>;
  switch (s.status) {
    case 'running':
      return {
        kind: 'progress',
        done: num(s.subtrees_done),
        total: num(s.subtrees_total),
        evaluated: num(s.evaluated),
        best: (s.best as GearResult | null | undefined) ?? null,
      };
    case 'done':
      return { kind: 'result', output: s.output as GearOutput };
    case 'failed':
      return { kind: 'error', error: failure(String(s.detail ?? ''), 'validation_error') };
    default:
      return null;
  }
}

/** The part of a WebSocket the runner uses. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface RunDeps {
  openSocket: (url: string) => SocketLike;
  /** `POST /optimize/gear`: the output, or `{job_id}` (202). Throws ApiFailure. */
  post: (input: GearInput) => Promise<unknown>;
  getJob: (id: string) => Promise<unknown>;
  cancelJob: (id: string) => Promise<void>;
  sleep: (ms: number) => Promise<void>;
}

export const browserDeps: RunDeps = {
  openSocket: (url) => new WebSocket(url),
  post: (input) =>
    rawJson<unknown>('/api/v1/optimize/gear', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
    }),
  getJob: (id) => unwrap(api.GET('/api/v1/optimize/gear/jobs/{id}', { params: { path: { id } } })),
  cancelJob: async (id) => {
    await unwrap(api.DELETE('/api/v1/optimize/gear/jobs/{id}', { params: { path: { id } } }));
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface Run {
  /** Stop the search early; the service still answers the best so far. */
  cancel(): void;
  /** Leave (the page closes): no more events, the search is stopped. */
  stop(): void;
}

const OPEN = 1;
export const POLL_MS = 500;

/**
 * Starts a search; `onEvent` receives `started`, `progress`…, then one `result` or `error`.
 * With a token it streams over the WebSocket, without one it posts anonymously.
 */
export function startRun(
  input: GearInput,
  token: string | null,
  onEvent: (event: RunEvent) => void,
  deps: RunDeps = browserDeps,
): Run {
  let stopped = false;
  let finished = false;
  let cancelled = false;
  let socket: SocketLike | null = null;
  let opened = false;
  let jobId: string | null = null;

  const emit = (event: RunEvent) => {
    if (stopped || finished) return;
    if (event.kind === 'result' || event.kind === 'error') finished = true;
    onEvent(event);
  };

  const viaPost = async (mode: RunMode) => {
    emit({ kind: 'started', mode, jobId: null });
    let answer: unknown;
    try {
      answer = await deps.post(input);
    } catch (error) {
      emit({ kind: 'error', error });
      return;
    }
    const a = (answer ?? {}) as Record<string, unknown>;
    if (typeof a.job_id !== 'string') {
      emit({ kind: 'result', output: answer as GearOutput });
      return;
    }
    jobId = a.job_id;
    emit({ kind: 'started', mode: 'job', jobId });
    if (cancelled) void deps.cancelJob(jobId).catch(() => undefined);
    while (!stopped && !finished) {
      await deps.sleep(POLL_MS);
      if (stopped) return;
      try {
        const event = jobEvent(await deps.getJob(jobId));
        if (event) emit(event);
      } catch (error) {
        emit({ kind: 'error', error });
      }
    }
  };

  if (token) {
    socket = deps.openSocket(wsUrl(`/api/v1/ws/optimize?token=${encodeURIComponent(token)}`));
    socket.onopen = () => {
      opened = true;
      socket?.send(JSON.stringify(input));
      if (cancelled) socket?.send('cancel');
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      const parsed = parseMessage(event.data);
      if (parsed) emit(parsed);
    };
    socket.onerror = () => undefined;
    socket.onclose = () => {
      if (stopped || finished) return;
      // Refused before it opened (429/503, or a proxy without WebSockets): post instead.
      if (!opened) void viaPost('job');
      else emit({ kind: 'error', error: new ApiFailure(0, null) });
    };
  } else {
    void viaPost('anonymous');
  }

  return {
    cancel() {
      if (cancelled || finished || stopped) return;
      cancelled = true;
      if (socket && opened && socket.readyState === OPEN) socket.send('cancel');
      if (jobId) void deps.cancelJob(jobId).catch(() => undefined);
    },
    stop() {
      if (stopped) return;
      const running = !finished;
      stopped = true;
      if (socket && socket.readyState <= OPEN) socket.close(1000, 'left');
      if (running && jobId) void deps.cancelJob(jobId).catch(() => undefined);
    },
  };
}
