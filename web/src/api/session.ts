// The signed-in user. The refresh token is an HttpOnly, SameSite=Strict cookie scoped to
// /api/v1/auth/session (scripts cannot read it); the short-lived access token is kept in
// memory (api/client.ts) and renewed from the cookie before it expires and on page load.
// Every call carries `X-Requested-With: gw2opt`, which the service requires on the cookie
// endpoints (a cross-site form cannot send it).
import { computed, signal } from '@preact/signals';
import { ApiFailure, api, rawJson, setAccessToken, type Schemas } from './client';

export type User = Schemas['UserOut'];

interface AccessToken {
  access_token: string;
  token_type: string;
  expires_in: number;
}

export const user = signal<User | null>(null);
/** False until the first session check (cookie refresh) has answered. */
export const sessionChecked = signal(false);
export const signedIn = computed(() => user.value !== null);

const SESSION = '/api/v1/auth/session';
const headers = { 'Content-Type': 'application/json', 'X-Requested-With': 'gw2opt' };
let renewTimer: ReturnType<typeof setTimeout> | undefined;

async function adopt(token: AccessToken): Promise<User> {
  setAccessToken(token.access_token);
  clearTimeout(renewTimer);
  // Renew a minute before expiry (at least 10 s from now).
  const delay = Math.max(10, token.expires_in - 60) * 1000;
  renewTimer = setTimeout(() => void refresh(), delay);
  const { data, response } = await api.GET('/api/v1/users/me');
  if (!response.ok || !data) throw new ApiFailure(response.status, null);
  user.value = data;
  return data;
}

export async function login(username: string, password: string): Promise<User> {
  const token = await rawJson<AccessToken>(SESSION, {
    method: 'POST',
    headers,
    body: JSON.stringify({ username, password }),
  });
  return adopt(token);
}

/** Renews the access token from the cookie; signs out locally when the cookie is gone. */
export async function refresh(): Promise<User | null> {
  try {
    // 204 (null): no session cookie, the visitor is signed out.
    const token = await rawJson<AccessToken | null>(`${SESSION}/refresh`, {
      method: 'POST',
      headers,
      body: '{}',
    });
    if (!token) {
      forget();
      return null;
    }
    return await adopt(token);
  } catch (error) {
    if (error instanceof ApiFailure && error.status !== 0) forget();
    return null;
  } finally {
    sessionChecked.value = true;
  }
}

export async function logout(): Promise<void> {
  try {
    await rawJson(SESSION, { method: 'DELETE', headers });
  } finally {
    forget();
  }
}

function forget() {
  clearTimeout(renewTimer);
  setAccessToken(null);
  user.value = null;
}

/** Reload the profile after the user changed it. */
export async function reloadUser(): Promise<void> {
  const { data } = await api.GET('/api/v1/users/me');
  if (data) user.value = data;
}
