import { describe, expect, it } from 'vitest';
import { ApiFailure, setAccessToken } from '../../api/client';
import {
  MAX_BUSY_RETRIES,
  UploadQueue,
  classify,
  fraction,
  looksLikeLog,
  nextToStart,
  precheck,
  retryAfter,
  sendLog,
  type Sending,
  type UploadFailure,
  type UploadItem,
  type UploadOut,
} from './upload';

const file = (name: string, size = 10) => new File([new Uint8Array(size)], name);

describe('checks before sending', () => {
  it('takes arcdps logs only', () => {
    expect(looksLikeLog('20260101-201500.zevtc')).toBe(true);
    expect(looksLikeLog('FIGHT.EVTC')).toBe(true);
    expect(looksLikeLog('fight.evtc.zip')).toBe(true);
    expect(looksLikeLog('notes.txt')).toBe(false);
  });
  it('refuses other files and empty ones at once', () => {
    expect(precheck({ name: 'a.txt', size: 5 })).toEqual({ phase: 'failed', kind: 'notLog', detail: null });
    expect(precheck({ name: 'a.zevtc', size: 0 })).toEqual({ phase: 'failed', kind: 'empty', detail: null });
    expect(precheck({ name: 'a.zevtc', size: 5 })).toBeNull();
  });
});

describe('answers', () => {
  it('are classified for the message shown', () => {
    expect(classify(422, { code: 'validation_error', field: 'file', detail: 'not a readable arcdps log: bad magic' })).toBe('notLog');
    expect(classify(422, { code: 'validation_error', field: 'file', detail: 'the uploaded file is empty' })).toBe('empty');
    expect(classify(413, null)).toBe('tooBig');
    expect(classify(429, null)).toBe('busy');
    expect(classify(401, null)).toBe('signedOut');
    expect(classify(0, null, 10)).toBe('network');
    expect(classify(0, null, 200 * 1024 * 1024)).toBe('tooBig');
    expect(classify(500, null)).toBe('other');
  });
  it('read Retry-After within bounds', () => {
    expect(retryAfter('5')).toBe(5);
    expect(retryAfter('0')).toBe(1);
    expect(retryAfter('600')).toBe(30);
    expect(retryAfter(null)).toBe(5);
  });
  it('give a progress fraction', () => {
    expect(fraction({ phase: 'sending', loaded: 25, total: 100 })).toBe(0.25);
    expect(fraction({ phase: 'sending', loaded: 1, total: 0 })).toBeNull();
    expect(fraction({ phase: 'parsing' })).toBe(1);
    expect(fraction({ phase: 'failed', kind: 'other', detail: null })).toBeNull();
  });
});

it('starts queued files up to the concurrency limit', () => {
  const item = (id: number, phase: 'queued' | 'parsing' | 'done'): UploadItem => ({
    id,
    file: file(`${id}.evtc`),
    retries: 0,
    renewed: false,
    state: phase === 'done' ? { phase, result: {} as UploadOut } : { phase },
  });
  expect(nextToStart([item(1, 'queued'), item(2, 'queued'), item(3, 'queued')])).toEqual([1, 2]);
  expect(nextToStart([item(1, 'parsing'), item(2, 'queued'), item(3, 'queued')])).toEqual([2]);
  expect(nextToStart([item(1, 'parsing'), item(2, 'parsing'), item(3, 'queued')])).toEqual([]);
  expect(nextToStart([item(1, 'done'), item(2, 'queued')])).toEqual([2]);
});

/** A send function under the test's control. */
function fakeSend() {
  const calls: { name: string; resolve: (v: UploadOut) => void; reject: (e: unknown) => void; progress: (l: number, t: number) => void; sent: () => void }[] = [];
  const send = (f: File, _o: unknown, progress: (l: number, t: number) => void, sent: () => void): Sending => {
    let resolve!: (v: UploadOut) => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<UploadOut>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    calls.push({ name: f.name, resolve, reject, progress, sent });
    return { done, abort: () => reject(new ApiFailure(0, null)) };
  };
  return { calls, send };
}

const out = (id: string): UploadOut => ({ id, duplicate: false, session_id: null, fight: { id } as UploadOut['fight'] });
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('UploadQueue', () => {
  it('sends two at a time, follows progress and reports results', async () => {
    const { calls, send } = fakeSend();
    const queue = new UploadQueue(send);
    queue.add([file('a.zevtc'), file('b.zevtc'), file('c.zevtc'), file('readme.txt')]);
    expect(calls.map((c) => c.name)).toEqual(['a.zevtc', 'b.zevtc']);
    expect(queue.items.value.map((i) => i.state.phase)).toEqual(['sending', 'sending', 'queued', 'failed']);
    calls[0]!.progress(5, 10);
    expect(queue.items.value[0]!.state).toEqual({ phase: 'sending', loaded: 5, total: 10 });
    calls[0]!.sent();
    expect(queue.items.value[0]!.state.phase).toBe('parsing');
    calls[0]!.resolve(out('f1'));
    await flush();
    expect(queue.items.value[0]!.state).toEqual({ phase: 'done', result: out('f1') });
    expect(queue.finished.value).toBe(1);
    expect(calls.map((c) => c.name)).toEqual(['a.zevtc', 'b.zevtc', 'c.zevtc']);
  });

  it('shows a corrupt log as such, with the service’s detail', async () => {
    const { calls, send } = fakeSend();
    const queue = new UploadQueue(send);
    queue.add([file('bad.zevtc')]);
    calls[0]!.reject(new ApiFailure(422, { code: 'validation_error', field: 'file', detail: 'not a readable arcdps log: bad magic' }));
    await flush();
    expect(queue.items.value[0]!.state).toEqual({ phase: 'failed', kind: 'notLog', detail: 'not a readable arcdps log: bad magic' });
    queue.clearFinished();
    expect(queue.items.value).toEqual([]);
  });

  it('waits and sends again when the service has too many uploads of the account', async () => {
    const { calls, send } = fakeSend();
    const waits: number[] = [];
    let wake!: () => void;
    const queue = new UploadQueue(send, undefined, (ms) => {
      waits.push(ms);
      return new Promise((r) => (wake = r));
    });
    queue.add([file('a.zevtc')]);
    const busy = new ApiFailure(429, { code: 'busy', detail: 'wait' }) as UploadFailure;
    busy.retryAfter = 3;
    calls[0]!.reject(busy);
    await flush();
    expect(queue.items.value[0]!.state).toEqual({ phase: 'waiting', seconds: 3 });
    expect(waits).toEqual([3000]);
    wake();
    await flush();
    expect(calls).toHaveLength(2);
    expect(queue.items.value[0]!.retries).toBe(1);
  });

  it('gives up after a few busy answers', async () => {
    const { calls, send } = fakeSend();
    const queue = new UploadQueue(send, undefined, async () => undefined);
    queue.add([file('a.zevtc')]);
    for (let i = 0; i <= MAX_BUSY_RETRIES; i++) {
      calls[i]!.reject(new ApiFailure(429, null));
      await flush();
      await flush();
    }
    expect(queue.items.value[0]!.state).toMatchObject({ phase: 'failed', kind: 'busy' });
  });

  it('renews the session once after a 401', async () => {
    const { calls, send } = fakeSend();
    let renewals = 0;
    const queue = new UploadQueue(send, async () => {
      renewals++;
      return true;
    });
    queue.add([file('a.zevtc')]);
    calls[0]!.reject(new ApiFailure(401, null));
    await flush();
    await flush();
    expect(renewals).toBe(1);
    expect(calls).toHaveLength(2);
    calls[1]!.reject(new ApiFailure(401, null));
    await flush();
    expect(queue.items.value[0]!.state).toMatchObject({ phase: 'failed', kind: 'signedOut' });
  });

  it('cancels a running upload and starts the next', async () => {
    const { calls, send } = fakeSend();
    const queue = new UploadQueue(send);
    queue.add([file('a.zevtc'), file('b.zevtc'), file('c.zevtc')]);
    const first = queue.items.value[0]!.id;
    queue.remove(first);
    await flush();
    expect(queue.items.value.map((i) => i.file.name)).toEqual(['b.zevtc', 'c.zevtc']);
    expect(calls.map((c) => c.name)).toEqual(['a.zevtc', 'b.zevtc', 'c.zevtc']);
  });
});

describe('sendLog', () => {
  /** Enough of XMLHttpRequest to watch what is sent and answer. */
  class FakeXhr {
    method = '';
    url = '';
    headers: Record<string, string> = {};
    body: FormData | null = null;
    status = 0;
    responseText = '';
    responseHeaders: Record<string, string> = {};
    upload: { onprogress: ((e: ProgressEvent) => void) | null; onload: (() => void) | null } = { onprogress: null, onload: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    open(method: string, url: string) {
      this.method = method;
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    getResponseHeader(name: string) {
      return this.responseHeaders[name] ?? null;
    }
    send(body: FormData) {
      this.body = body;
    }
    abort() {
      this.onabort?.();
    }
    answer(status: number, body: unknown, headers: Record<string, string> = {}) {
      this.status = status;
      this.responseText = JSON.stringify(body);
      this.responseHeaders = headers;
      this.onload?.();
    }
  }

  it('posts the file as multipart with the token, and reports progress', async () => {
    setAccessToken('tok');
    const xhr = new FakeXhr();
    const progress: number[][] = [];
    let sent = false;
    const sending = sendLog(
      file('fight.zevtc', 100),
      { isPublic: true, keepRaw: false },
      (l, t) => progress.push([l, t]),
      () => (sent = true),
      () => xhr as unknown as XMLHttpRequest,
    );
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/v1/mcm/logs');
    expect(xhr.headers.Authorization).toBe('Bearer tok');
    expect((xhr.body!.get('file') as File).name).toBe('fight.zevtc');
    expect(xhr.body!.get('is_public')).toBe('true');
    expect(xhr.body!.get('keep_raw')).toBe('false');
    xhr.upload.onprogress!({ loaded: 40, total: 120, lengthComputable: true } as ProgressEvent);
    xhr.upload.onload!();
    expect(progress).toEqual([[40, 120]]);
    expect(sent).toBe(true);
    xhr.answer(201, out('f9'));
    await expect(sending.done).resolves.toEqual(out('f9'));
    setAccessToken(null);
  });

  it('rejects with the error body and the Retry-After delay', async () => {
    const xhr = new FakeXhr();
    const sending = sendLog(file('f.zevtc'), { isPublic: false, keepRaw: false }, () => undefined, () => undefined, () => xhr as unknown as XMLHttpRequest);
    xhr.answer(429, { code: 'busy', detail: 'too many' }, { 'Retry-After': '7' });
    const error = (await sending.done.catch((e: unknown) => e)) as UploadFailure;
    expect(error.status).toBe(429);
    expect(error.message).toBe('too many');
    expect(error.retryAfter).toBe(7);
  });

  it('rejects with status 0 on a network error', async () => {
    const xhr = new FakeXhr();
    const sending = sendLog(file('f.zevtc'), { isPublic: false, keepRaw: false }, () => undefined, () => undefined, () => xhr as unknown as XMLHttpRequest);
    xhr.onerror!();
    const error = (await sending.done.catch((e: unknown) => e)) as ApiFailure;
    expect(error.status).toBe(0);
  });
});
