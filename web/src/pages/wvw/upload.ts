// Uploading arcdps logs: POST /api/v1/mcm/logs (multipart, field `file`, plus `is_public`
// and `keep_raw`), through XMLHttpRequest because fetch reports no upload progress. The
// queue runs at most two uploads at once (the service's per-account limit) and retries a
// 429 after the delay the service asks for.
import { signal } from '@preact/signals';
import { ApiFailure, getAccessToken, type ErrorBody, type Schemas } from '../../api/client';

export type UploadOut = Schemas['UploadOut'];

export const UPLOAD_PATH = '/api/v1/mcm/logs';
/** Uploads in flight at once (the service allows two per account by default). */
export const CONCURRENCY = 2;
/** Times a "too many uploads" answer is retried before the file is shown as failed. */
export const MAX_BUSY_RETRIES = 5;

export type UploadErrorKind = 'notLog' | 'empty' | 'tooBig' | 'busy' | 'signedOut' | 'network' | 'other';

export type UploadState =
  | { phase: 'queued' }
  | { phase: 'sending'; loaded: number; total: number }
  /** All bytes sent: the service is parsing the log. */
  | { phase: 'parsing' }
  /** The service had too many uploads of this account at once: sent again after a pause. */
  | { phase: 'waiting'; seconds: number }
  | { phase: 'done'; result: UploadOut }
  | { phase: 'failed'; kind: UploadErrorKind; detail: string | null };

export interface UploadItem {
  id: number;
  file: File;
  state: UploadState;
  /** 429 answers retried so far. */
  retries: number;
  /** Whether the access token was already renewed once for this file (after a 401). */
  renewed: boolean;
}

export interface UploadOptions {
  isPublic: boolean;
  keepRaw: boolean;
}

const EXTENSIONS = ['.evtc', '.zevtc', '.evtc.zip'];

/** Whether a file name looks like an arcdps log (the service reads the bytes anyway). */
export function looksLikeLog(name: string): boolean {
  const lower = name.toLowerCase();
  return EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** A file refused before sending it, or null when it may go. */
export function precheck(file: Pick<File, 'name' | 'size'>): UploadState | null {
  if (!looksLikeLog(file.name)) return { phase: 'failed', kind: 'notLog', detail: null };
  if (file.size === 0) return { phase: 'failed', kind: 'empty', detail: null };
  return null;
}

/** Progress of a state as a fraction 0..1 (null when not measurable). */
export function fraction(state: UploadState): number | null {
  switch (state.phase) {
    case 'queued':
    case 'waiting':
      return 0;
    case 'sending':
      return state.total > 0 ? Math.min(1, state.loaded / state.total) : null;
    case 'parsing':
    case 'done':
      return 1;
    case 'failed':
      return null;
  }
}

/** The service's default upload limit (a connection cut while sending more is that limit). */
export const DEFAULT_LIMIT = 100 * 1024 * 1024;

/** What kind of failure an API answer is, for the message shown next to the file. */
export function classify(status: number, body: ErrorBody | null, size = 0): UploadErrorKind {
  // The service may close the connection as soon as a body passes its limit.
  if (status === 0) return size > DEFAULT_LIMIT ? 'tooBig' : 'network';
  if (status === 413) return 'tooBig';
  if (status === 429) return 'busy';
  if (status === 401) return 'signedOut';
  if (status === 422 && body?.field === 'file') return /empty/i.test(body.detail) ? 'empty' : 'notLog';
  return 'other';
}

/** Seconds to wait from a Retry-After header (a number of seconds), within 1..30. */
export function retryAfter(header: string | null): number {
  const seconds = header ? Number.parseInt(header, 10) : Number.NaN;
  return Number.isFinite(seconds) ? Math.min(30, Math.max(1, seconds)) : 5;
}

/** The ids of queued items that may start now, given how many are in flight. */
export function nextToStart(items: readonly UploadItem[], limit = CONCURRENCY): number[] {
  const busy = items.filter((i) => i.state.phase === 'sending' || i.state.phase === 'parsing').length;
  const free = Math.max(0, limit - busy);
  return items
    .filter((i) => i.state.phase === 'queued')
    .slice(0, free)
    .map((i) => i.id);
}

export interface UploadFailure extends ApiFailure {
  retryAfter?: number;
}

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'detail' in value && 'code' in value;
}

/** A running upload: its promise and a way to abort it. */
export interface Sending {
  done: Promise<UploadOut>;
  abort: () => void;
}

/**
 * Sends one log. `onProgress(loaded, total)` follows the request body; the promise resolves
 * with the service's answer (201 new, 200 already uploaded) or rejects with an ApiFailure
 * (status 0 for a network failure, `retryAfter` seconds on a 429).
 */
export function sendLog(
  file: File,
  options: UploadOptions,
  onProgress: (loaded: number, total: number) => void,
  onSent: () => void,
  xhrFactory: () => XMLHttpRequest = () => new XMLHttpRequest(),
): Sending {
  const xhr = xhrFactory();
  const done = new Promise<UploadOut>((resolve, reject) => {
    const form = new FormData();
    form.append('is_public', String(options.isPublic));
    form.append('keep_raw', String(options.keepRaw));
    form.append('file', file, file.name);
    xhr.open('POST', UPLOAD_PATH);
    const token = getAccessToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e: ProgressEvent) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.upload.onload = () => onSent();
    xhr.onload = () => {
      const body = parseBody(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body as UploadOut);
        return;
      }
      const failure = new ApiFailure(xhr.status, isErrorBody(body) ? body : null) as UploadFailure;
      if (xhr.status === 429) failure.retryAfter = retryAfter(xhr.getResponseHeader('Retry-After'));
      reject(failure);
    };
    xhr.onerror = () => reject(new ApiFailure(0, null));
    xhr.onabort = () => reject(new ApiFailure(0, null));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

export type SendFn = (
  file: File,
  options: UploadOptions,
  onProgress: (loaded: number, total: number) => void,
  onSent: () => void,
) => Sending;

/**
 * The page's upload queue. It lives outside the components so that uploads go on (and
 * their results stay listed) while the user looks at a fight and comes back.
 */
export class UploadQueue {
  readonly items = signal<UploadItem[]>([]);
  /** Bumped after each successful upload (fight lists reload on it). */
  readonly finished = signal(0);
  options: UploadOptions = { isPublic: false, keepRaw: false };
  private running = new Map<number, Sending>();
  private nextId = 1;

  constructor(
    private readonly send: SendFn = sendLog,
    /** Renews the access token after a 401; true when there is a fresh one. */
    private readonly renew: () => Promise<boolean> = async () => false,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  add(files: Iterable<File>) {
    const fresh: UploadItem[] = [];
    for (const file of files) {
      fresh.push({ id: this.nextId++, file, retries: 0, renewed: false, state: precheck(file) ?? { phase: 'queued' } });
    }
    this.items.value = [...this.items.value, ...fresh];
    this.pump();
  }

  retry(id: number) {
    this.patch(id, { state: { phase: 'queued' }, retries: 0, renewed: false });
    this.pump();
  }

  remove(id: number) {
    this.running.get(id)?.abort();
    this.running.delete(id);
    this.items.value = this.items.value.filter((i) => i.id !== id);
    this.pump();
  }

  /** Forgets the finished and failed files. */
  clearFinished() {
    this.items.value = this.items.value.filter((i) => i.state.phase !== 'done' && i.state.phase !== 'failed');
  }

  private item(id: number): UploadItem | undefined {
    return this.items.value.find((i) => i.id === id);
  }

  private patch(id: number, patch: Partial<UploadItem>) {
    this.items.value = this.items.value.map((i) => (i.id === id ? { ...i, ...patch } : i));
  }

  private pump() {
    for (const id of nextToStart(this.items.value)) {
      if (!this.running.has(id)) this.start(id);
    }
  }

  private start(id: number) {
    const item = this.item(id);
    if (!item) return;
    const { file } = item;
    this.patch(id, { state: { phase: 'sending', loaded: 0, total: file.size } });
    const sending = this.send(
      file,
      { ...this.options },
      (loaded, total) => {
        if (this.item(id)?.state.phase === 'sending') this.patch(id, { state: { phase: 'sending', loaded, total } });
      },
      () => {
        if (this.item(id)?.state.phase === 'sending') this.patch(id, { state: { phase: 'parsing' } });
      },
    );
    this.running.set(id, sending);
    sending.done.then(
      (result) => {
        if (this.running.get(id) !== sending) return;
        this.running.delete(id);
        this.patch(id, { state: { phase: 'done', result } });
        this.finished.value++;
        this.pump();
      },
      (error: unknown) => {
        if (this.running.get(id) !== sending) return;
        this.running.delete(id);
        void this.failed(id, error);
      },
    );
  }

  private async failed(id: number, error: unknown) {
    const item = this.item(id);
    if (!item) return;
    const failure: UploadFailure = error instanceof ApiFailure ? error : new ApiFailure(0, null);
    const kind = classify(failure.status, failure.body, item.file.size);
    if (kind === 'busy' && item.retries < MAX_BUSY_RETRIES) {
      const seconds = failure.retryAfter ?? 5;
      this.patch(id, { state: { phase: 'waiting', seconds }, retries: item.retries + 1 });
      this.pump();
      await this.sleep(seconds * 1000);
      if (this.item(id)?.state.phase === 'waiting') this.patch(id, { state: { phase: 'queued' } });
      this.pump();
      return;
    }
    if (kind === 'signedOut' && !item.renewed) {
      this.patch(id, { state: { phase: 'waiting', seconds: 0 }, renewed: true });
      this.pump();
      const fresh = await this.renew();
      if (this.item(id)?.state.phase !== 'waiting') return;
      this.patch(id, { state: fresh ? { phase: 'queued' } : { phase: 'failed', kind, detail: null } });
      this.pump();
      return;
    }
    const detail = failure.body?.detail ?? null;
    this.patch(id, { state: { phase: 'failed', kind, detail } });
    this.pump();
  }
}
