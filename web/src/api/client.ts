// The typed API client. `schema.d.ts` is generated from the service's OpenAPI document
// (`npm run api`, part of `npm run build`), so a changed contract fails the UI's type check
// instead of a user's click.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type ErrorBody = Schemas['ErrorBody'];

/** The access token lives in this module's memory only (see README: tokens and XSS). */
let accessToken: string | null = null;

export function setAccessToken(token: string | null) {
  accessToken = token;
}

export function getAccessToken(): string | null {
  return accessToken;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (accessToken && !request.headers.has('Authorization')) {
      request.headers.set('Authorization', `Bearer ${accessToken}`);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** An API or network failure as the UI shows it. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(body?.detail ?? `HTTP ${status}`);
  }
  get field(): string | null {
    return this.body?.field ?? null;
  }
  get code(): string {
    return this.body?.code ?? (this.status === 0 ? 'network' : 'error');
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && 'detail' in value && 'code' in value;
}

/**
 * The data of an openapi-fetch result, or an `ApiFailure` thrown with the service's error
 * body. Network errors become status 0.
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiFailure(0, null);
  }
  if (result.response.ok) return result.data as T;
  throw new ApiFailure(result.response.status, isErrorBody(result.error) ? result.error : null);
}

/** A fetch for what openapi-fetch does not cover (uploads with progress use XHR instead). */
export async function rawJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (accessToken && !headers.has('Authorization')) headers.set('Authorization', `Bearer ${accessToken}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiFailure(0, null);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) throw new ApiFailure(response.status, isErrorBody(body) ? body : null);
  return body as T;
}

/** The WebSocket URL of an API path on this origin (ws: or wss: like the page). */
export function wsUrl(path: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${path}`;
}
