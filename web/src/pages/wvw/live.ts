// The live WvW stream (WebSocket /api/v1/ws/mcm; protocol in crates/server/src/http/ws_mcm.rs):
// - the client authenticates with a first message `{"type":"auth","token"}` (the token stays
//   out of URLs and logs), the service answers `ready`;
// - `subscribe` / `unsubscribe` name exactly one of `match_id`, `world_id` or `session_id`;
// - match subscribers get a `match_snapshot` (the GW2 API's match document), then
//   `match_diff`s (what changed, with `objective_flips`) and `match_status` when the GW2 API
//   stops or starts answering; session subscribers get `parse_progress`, `fight_added` and
//   `session_stats`;
// - errors come as `{"type":"error","code","detail"}`; close codes 4401 (token expired or
//   revoked: renew it and reconnect), 4400, 4408, 4429 (reconnect).
// `LiveSocket` keeps one connection up with exponential backoff and re-subscribes after a
// reconnection; `applyMatch` folds match messages into what the scoreboard shows.
import type { FightSummary } from './report';

export type Team = 'red' | 'green' | 'blue';
export const TEAMS: readonly Team[] = ['red', 'green', 'blue'];
export type PerTeam<T> = Record<Team, T>;

export interface MatchObjective {
  id: string;
  type: string;
  owner: string;
  last_flipped?: string | null;
  claimed_by?: string | null;
}
export interface MatchMap {
  id: number;
  type: string;
  scores: PerTeam<number>;
  kills: PerTeam<number>;
  deaths: PerTeam<number>;
  bonuses?: { type: string; owner: string }[];
  objectives: MatchObjective[];
}
export interface Skirmish {
  id: number;
  scores: PerTeam<number>;
}
export interface MatchDocument {
  id: string;
  start_time: string;
  end_time: string;
  scores: PerTeam<number>;
  worlds: PerTeam<number>;
  all_worlds?: PerTeam<number[]>;
  kills: PerTeam<number>;
  deaths: PerTeam<number>;
  victory_points: PerTeam<number>;
  skirmishes: Skirmish[];
  maps: MatchMap[];
}

export interface Flip {
  id: string;
  map_id: number;
  map_type: string;
  type: string;
  from: string | null;
  to: string;
  last_flipped?: string | null;
  claimed_by?: string | null;
  /** When this client received it (ISO). */
  seen: string;
}

export type Target = { match_id: string } | { world_id: number } | { session_id: string };

export type ServerMessage =
  | { type: 'ready'; user: string; heartbeat_ms: number }
  | { type: 'subscribed'; topic: string }
  | { type: 'unsubscribed'; topic: string }
  | { type: 'pong' }
  | { type: 'heartbeat' }
  | { type: 'error'; code: string; detail: string }
  | { type: 'match_snapshot'; match_id: string; source?: string; match: MatchDocument }
  | ({
      type: 'match_diff';
      match_id: string;
      source?: string;
      maps?: (Partial<MatchMap> & { id: number })[];
      skirmish?: Skirmish;
      objective_flips?: Omit<Flip, 'seen'>[];
    } & Partial<Pick<MatchDocument, 'scores' | 'kills' | 'deaths' | 'victory_points' | 'worlds' | 'end_time'>>)
  | { type: 'match_status'; match_id: string; available: boolean; detail?: string }
  | {
      type: 'parse_progress';
      session_id: string;
      upload_id: string;
      file_name: string;
      done_bytes: number;
      total_bytes: number;
      fraction: number;
    }
  | { type: 'fight_added'; session_id: string; fight: FightSummary }
  | { type: 'session_stats'; session_id: string; stats: unknown };

/** Reads one server message; null for anything that is not a known message. */
export function parseMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data) as unknown;
    if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') {
      return value as ServerMessage;
    }
  } catch {
    // not JSON: ignored
  }
  return null;
}

/** The topic the service names for a target (`match:2-1`, `session:<id>`); worlds resolve server-side. */
export function topicOf(target: Target): string | null {
  if ('match_id' in target) return `match:${target.match_id}`;
  if ('session_id' in target) return `session:${target.session_id}`;
  return null;
}

/** A match id as the service accepts it ("1-3": region 1 NA, 2 EU; tier). */
export function validMatchId(id: string): boolean {
  return /^\d{1,2}-\d{1,2}$/.test(id);
}

/** Delay before reconnection attempt `attempt` (0-based): 1 s, 2 s, 4 s… up to 30 s, ±20 %. */
export function backoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random()));
}

// ---------------------------------------------------------------------------------------
// The scoreboard's state

export interface MatchView {
  /** The match the service resolved (from the snapshot), if any yet. */
  matchId: string | null;
  document: MatchDocument | null;
  /** False when the service says the GW2 API does not answer for this match. */
  available: boolean;
  detail: string | null;
  /** `live`, `cache` or `stale` (a saved copy while the API is down). */
  source: string | null;
  /** Newest first. */
  flips: Flip[];
  updated: string | null;
}

export const MAX_FLIPS = 100;

export function emptyMatch(): MatchView {
  return { matchId: null, document: null, available: true, detail: null, source: null, flips: [], updated: null };
}

const zero = (): PerTeam<number> => ({ red: 0, green: 0, blue: 0 });

function mergeMaps(maps: MatchMap[], changes: (Partial<MatchMap> & { id: number })[]): MatchMap[] {
  const out = maps.map((m) => ({ ...m }));
  for (const change of changes) {
    const index = out.findIndex((m) => m.id === change.id);
    if (index >= 0) out[index] = { ...out[index], ...change } as MatchMap;
    else
      out.push({
        scores: zero(),
        kills: zero(),
        deaths: zero(),
        objectives: [],
        type: '',
        ...change,
      } as MatchMap);
  }
  return out;
}

function applyFlips(maps: MatchMap[], flips: Omit<Flip, 'seen'>[]): MatchMap[] {
  if (!flips.length) return maps;
  return maps.map((map) => {
    const mine = flips.filter((f) => f.map_id === map.id);
    if (!mine.length) return map;
    return {
      ...map,
      objectives: map.objectives.map((o) => {
        const flip = mine.find((f) => f.id === o.id);
        return flip ? { ...o, owner: flip.to, last_flipped: flip.last_flipped ?? o.last_flipped, claimed_by: flip.claimed_by ?? null } : o;
      }),
    };
  });
}

/** The scoreboard after one message (messages of other matches and kinds leave it as it is). */
export function applyMatch(view: MatchView, message: ServerMessage, now: Date = new Date()): MatchView {
  const at = now.toISOString();
  switch (message.type) {
    case 'match_snapshot':
      return {
        ...view,
        matchId: message.match_id,
        document: message.match,
        available: true,
        detail: null,
        source: message.source ?? view.source,
        updated: at,
      };
    case 'match_status':
      if (view.matchId && message.match_id !== view.matchId) return view;
      return {
        ...view,
        matchId: view.matchId ?? message.match_id,
        available: message.available,
        detail: message.available ? null : (message.detail ?? null),
        updated: at,
      };
    case 'match_diff': {
      if (!view.document || message.match_id !== view.matchId) return view;
      const flips = (message.objective_flips ?? []).map((f) => ({ ...f, seen: at }));
      let maps = message.maps ? mergeMaps(view.document.maps, message.maps) : view.document.maps;
      maps = applyFlips(maps, flips);
      let skirmishes = view.document.skirmishes;
      if (message.skirmish) {
        const s = message.skirmish;
        skirmishes = skirmishes.some((k) => k.id === s.id) ? skirmishes.map((k) => (k.id === s.id ? s : k)) : [...skirmishes, s];
      }
      const document: MatchDocument = {
        ...view.document,
        ...(message.scores ? { scores: message.scores } : {}),
        ...(message.kills ? { kills: message.kills } : {}),
        ...(message.deaths ? { deaths: message.deaths } : {}),
        ...(message.victory_points ? { victory_points: message.victory_points } : {}),
        ...(message.worlds ? { worlds: message.worlds } : {}),
        ...(message.end_time ? { end_time: message.end_time } : {}),
        skirmishes,
        maps,
      };
      return {
        ...view,
        document,
        available: true,
        detail: null,
        source: message.source ?? view.source,
        flips: [...flips.reverse(), ...view.flips].slice(0, MAX_FLIPS),
        updated: at,
      };
    }
    default:
      return view;
  }
}

export interface TeamLine {
  team: Team;
  world: number | null;
  linked: number[];
  score: number;
  kills: number;
  deaths: number;
  /** kills / deaths (kills when no deaths). */
  kd: number;
  victoryPoints: number;
  skirmish: number;
  objectives: number;
}

/** One line per team, by victory points then score (best first). */
export function teamLines(doc: MatchDocument): TeamLine[] {
  const current = doc.skirmishes.reduce<Skirmish | null>((best, s) => (!best || s.id > best.id ? s : best), null);
  return TEAMS.map((team) => {
    const kills = doc.kills?.[team] ?? 0;
    const deaths = doc.deaths?.[team] ?? 0;
    const owner = team[0]!.toUpperCase() + team.slice(1);
    return {
      team,
      world: doc.worlds?.[team] || null,
      linked: (doc.all_worlds?.[team] ?? []).filter((w) => w !== doc.worlds?.[team]),
      score: doc.scores?.[team] ?? 0,
      kills,
      deaths,
      kd: deaths ? kills / deaths : kills,
      victoryPoints: doc.victory_points?.[team] ?? 0,
      skirmish: current?.scores[team] ?? 0,
      objectives: doc.maps.reduce((n, m) => n + m.objectives.filter((o) => o.owner === owner).length, 0),
    };
  }).sort((a, b) => b.victoryPoints - a.victoryPoints || b.score - a.score);
}

/** The current skirmish's number (1-based), if any. */
export function currentSkirmish(doc: MatchDocument): number | null {
  return doc.skirmishes.reduce<number | null>((n, s) => (n === null || s.id > n ? s.id : n), null);
}

/** Objectives a team holds on one map. */
export function held(map: MatchMap, team: Team): number {
  const owner = team[0]!.toUpperCase() + team.slice(1);
  return map.objectives.filter((o) => o.owner === owner).length;
}

/** A team colour from an owner name ("Red" → red), null for Neutral or unknown. */
export function teamOf(owner: string | null | undefined): Team | null {
  const lower = owner?.toLowerCase();
  return lower === 'red' || lower === 'green' || lower === 'blue' ? lower : null;
}

// ---------------------------------------------------------------------------------------
// The connection

export type Phase = 'connecting' | 'open' | 'waiting' | 'stopped';

export interface LiveStatus {
  phase: Phase;
  /** Reconnection attempts since the last successful `ready`. */
  attempt: number;
  /** When waiting: milliseconds until the next attempt. */
  retryIn: number | null;
  /** Why the connection is stopped: `signedOut` (no token) or `closed` (by the page). */
  stopped: 'signedOut' | 'closed' | null;
  /** The last close code seen. */
  lastClose: number | null;
}

/** The subset of WebSocket the client uses (a fake one in tests). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
}

export interface LiveOptions {
  url: string;
  /** The access token to authenticate with; `renew` asks for a fresh one (after a 4401). */
  token: (renew: boolean) => Promise<string | null>;
  onMessage: (message: ServerMessage) => void;
  onStatus: (status: LiveStatus) => void;
  create?: (url: string) => SocketLike;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  random?: () => number;
}

const OPEN = 1;
export const CLOSE_UNAUTHORIZED = 4401;

export class LiveSocket {
  private socket: SocketLike | null = null;
  private targets: Target[] = [];
  private status: LiveStatus = { phase: 'stopped', attempt: 0, retryIn: null, stopped: 'closed', lastClose: null };
  private timer: unknown = null;
  private renew = false;
  private authed = false;
  private generation = 0;

  constructor(private readonly options: LiveOptions) {}

  get current(): LiveStatus {
    return this.status;
  }

  /** Follows a target (sent now when connected, and again after each reconnection). */
  subscribe(target: Target) {
    const key = JSON.stringify(target);
    if (!this.targets.some((t) => JSON.stringify(t) === key)) this.targets.push(target);
    if (this.authed) this.send({ type: 'subscribe', ...target });
  }

  unsubscribe(target: Target) {
    const key = JSON.stringify(target);
    this.targets = this.targets.filter((t) => JSON.stringify(t) !== key);
    if (this.authed) this.send({ type: 'unsubscribe', ...target });
  }

  start() {
    if (this.status.phase !== 'stopped') return;
    this.status = { ...this.status, attempt: 0, stopped: null };
    void this.connect();
  }

  /** Closes for good (the page is left). */
  stop() {
    this.generation++;
    this.clearTimer();
    const socket = this.socket;
    this.socket = null;
    this.authed = false;
    if (socket && socket.readyState <= OPEN) socket.close(1000, 'bye');
    this.setStatus({ phase: 'stopped', retryIn: null, stopped: 'closed' });
  }

  /** Reconnects now (a "retry" button while waiting). */
  retryNow() {
    if (this.status.phase !== 'waiting' && this.status.stopped !== 'signedOut') return;
    this.clearTimer();
    this.status = { ...this.status, stopped: null };
    void this.connect();
  }

  private setStatus(patch: Partial<LiveStatus>) {
    this.status = { ...this.status, ...patch };
    this.options.onStatus(this.status);
  }

  private clearTimer() {
    if (this.timer !== null) (this.options.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
    this.timer = null;
  }

  private send(message: object) {
    const socket = this.socket;
    if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(message));
  }

  private async connect() {
    const generation = ++this.generation;
    this.setStatus({ phase: 'connecting', retryIn: null });
    const token = await this.options.token(this.renew);
    if (generation !== this.generation) return;
    this.renew = false;
    if (!token) {
      this.setStatus({ phase: 'stopped', stopped: 'signedOut', retryIn: null });
      return;
    }
    const create = this.options.create ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
    let socket: SocketLike;
    try {
      socket = create(this.options.url);
    } catch {
      this.scheduleRetry(null);
      return;
    }
    this.socket = socket;
    this.authed = false;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token }));
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      const message = parseMessage(event.data);
      if (!message) return;
      if (message.type === 'ready') {
        this.authed = true;
        this.setStatus({ phase: 'open', attempt: 0, retryIn: null });
        for (const target of this.targets) this.send({ type: 'subscribe', ...target });
      } else if (message.type === 'heartbeat') {
        this.send({ type: 'ping' });
      }
      this.options.onMessage(message);
    };
    socket.onerror = () => undefined; // a close event follows
    socket.onclose = (event) => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.authed = false;
      if (event.code === CLOSE_UNAUTHORIZED) this.renew = true;
      this.scheduleRetry(event.code);
    };
  }

  private scheduleRetry(code: number | null) {
    const attempt = this.status.attempt;
    const delay = backoff(attempt, this.options.random);
    this.setStatus({ phase: 'waiting', attempt: attempt + 1, retryIn: delay, lastClose: code });
    this.timer = (this.options.setTimer ?? setTimeout)(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }
}
