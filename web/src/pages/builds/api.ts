// The builds pages' calls to the service.
//
// Operations with a unique operationId go through the typed client. The others do not: the
// service's OpenAPI document gives several operations the same operationId (`create`,
// `list`, `get`, `replace`, `delete`), and openapi-typescript then types every path of that
// name with one of them (today `POST /api/v1/builds` takes the AI feedback's body, `DELETE
// /api/v1/builds/{id}` the session's headers, `/api/v1/saved-builds` answers a build page).
// Those use `rawJson` with the (correct) component schemas.
import { ApiFailure, api, getAccessToken, rawJson, unwrap, type ErrorBody } from '../../api/client';
import type {
  BuildDraft,
  BuildOut,
  BuildPage,
  BuildTemplate,
  DpsEstimate,
  ExportFormat,
  SavedBuild,
  SavedBuildCreate,
  VoteResult,
} from './types';
import type { ApiQuery } from './filters';

const jsonInit = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

const buildPath = (id: string) => `/api/v1/builds/${encodeURIComponent(id)}`;

export function listBuilds(query: ApiQuery): Promise<BuildPage> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  return rawJson<BuildPage>(`/api/v1/builds?${params}`);
}

export function getBuild(id: string): Promise<BuildOut> {
  return rawJson<BuildOut>(buildPath(id));
}

export function createBuild(draft: BuildDraft): Promise<BuildOut> {
  return rawJson<BuildOut>('/api/v1/builds', jsonInit('POST', draft));
}

export function replaceBuild(id: string, draft: BuildDraft): Promise<BuildOut> {
  return rawJson<BuildOut>(buildPath(id), jsonInit('PUT', draft));
}

export function setVisibility(id: string, isPublic: boolean): Promise<BuildOut> {
  return unwrap(api.PATCH('/api/v1/builds/{id}', { params: { path: { id } }, body: { is_public: isPublic } }));
}

export async function deleteBuild(id: string): Promise<void> {
  await rawJson<null>(buildPath(id), { method: 'DELETE' });
}

export function vote(id: string, value: -1 | 0 | 1): Promise<VoteResult> {
  return unwrap(api.POST('/api/v1/builds/{id}/vote', { params: { path: { id } }, body: { value } }));
}

export function dps(id: string): Promise<DpsEstimate> {
  return rawJson<DpsEstimate>(`${buildPath(id)}/dps`);
}

/** The build's chat code (GET …/export?format=chat_code). */
export async function chatCodeOf(id: string): Promise<string> {
  const body = await rawJson<{ chat_code: string }>(`${buildPath(id)}/export?format=chat_code`);
  return body.chat_code;
}

/** An export as text (JSON pretty-printed, markdown as is, the chat code alone). */
export async function exportText(id: string, format: ExportFormat): Promise<string> {
  const path = `${buildPath(id)}/export?format=${format}`;
  const headers = new Headers();
  const token = getAccessToken();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(path, { headers });
  } catch {
    throw new ApiFailure(0, null);
  }
  const text = await response.text();
  if (!response.ok) {
    let body: ErrorBody | null = null;
    try {
      body = JSON.parse(text) as ErrorBody;
    } catch {
      body = null;
    }
    throw new ApiFailure(response.status, body);
  }
  if (format === 'json') return `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
  if (format === 'chat_code') return `${(JSON.parse(text) as { chat_code: string }).chat_code}\n`;
  return text;
}

/** Decodes a chat code; a bad code is a 422 naming the field `code`. */
export async function decodeCode(code: string): Promise<BuildTemplate> {
  const body = await unwrap(api.POST('/api/v1/codes/decode', { body: { code } }));
  return (body as unknown as { build: BuildTemplate }).build;
}

export function listSaved(): Promise<SavedBuild[]> {
  return rawJson<SavedBuild[]>('/api/v1/saved-builds');
}

export function saveBuild(input: SavedBuildCreate): Promise<SavedBuild> {
  return rawJson<SavedBuild>('/api/v1/saved-builds', jsonInit('POST', input));
}

export async function deleteSaved(id: number): Promise<void> {
  await rawJson<null>(`/api/v1/saved-builds/${id}`, { method: 'DELETE' });
}
