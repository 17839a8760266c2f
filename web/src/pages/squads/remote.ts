// The squad planner's calls to the service.
import { rawJson, type Schemas } from '../../api/client';
import {
  attachBuilds,
  buildRole,
  missingBuilds,
  specKey,
  toSquadInput,
  toSynergyInput,
  toTeamCreate,
  type BuildChoice,
  type BuildOut,
  type Squad,
  type SquadPlan,
  type SynergyReport,
  type TeamMeta,
  type TeamOut,
} from './squad';

const json = { 'Content-Type': 'application/json' };

export function optimize(squad: Squad, gameMode: string): Promise<SquadPlan> {
  return rawJson<SquadPlan>('/api/v1/teams/optimize', {
    method: 'POST',
    headers: json,
    body: JSON.stringify(toSquadInput(squad, gameMode)),
  });
}

export async function synergy(squad: Squad, gameMode: string, signal?: AbortSignal): Promise<{ report: SynergyReport; index: number[] }> {
  const { input, index } = toSynergyInput(squad, gameMode);
  const report = await rawJson<SynergyReport>('/api/v1/teams/synergy', {
    method: 'POST',
    headers: json,
    body: JSON.stringify(input),
    ...(signal ? { signal } : {}),
  });
  return { report, index };
}

// The typed client cannot be used for /teams and /builds until their operation ids are unique
// in the OpenAPI document (`list`, `create`, `get`... are shared, so the generated types mix
// them up): these calls are typed by hand with the document's schemas instead.

export interface Page<T> {
  items: T[];
  total: number;
}

export function loadTeam(id: string): Promise<TeamOut> {
  return rawJson<TeamOut>(`/api/v1/teams/${encodeURIComponent(id)}`);
}

export function listTeams(skip: number, limit: number): Promise<Page<Schemas['TeamSummary']>> {
  return rawJson(`/api/v1/teams?skip=${skip}&limit=${limit}`);
}

export function deleteTeam(id: string): Promise<unknown> {
  return rawJson(`/api/v1/teams/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function searchBuilds(q: string, author: string | null, skip = 0): Promise<Page<BuildOut>> {
  const query = new URLSearchParams({ sort: 'top', skip: String(skip), limit: '10' });
  if (q.trim()) query.set('q', q.trim());
  if (author) query.set('author', author);
  return rawJson(`/api/v1/builds?${query}`);
}

function post<T>(path: string, body: unknown, method = 'POST'): Promise<T> {
  return rawJson<T>(path, { method, headers: json, body: JSON.stringify(body) });
}

/** The name of a build created for a slot with only a specialization and a role. */
export function generatedName(choice: BuildChoice): string {
  return `${choice.specialization || choice.profession} ${choice.role}`;
}

/** Creates one build per (profession, specialization, role) that has none yet. */
export async function createBuilds(
  choices: BuildChoice[],
  gameMode: string,
  isPublic: boolean,
): Promise<Map<string, { id: string; name: string; role: string; specialization?: string | null; profession: string }>> {
  const made = new Map<string, { id: string; name: string; role: string; specialization?: string | null; profession: string }>();
  for (const c of choices) {
    const spec = c.specialization && c.specialization.toLowerCase() !== c.profession.toLowerCase() ? c.specialization : null;
    const body: Schemas['BuildCreate'] = {
      name: c.buildName && !c.buildId ? c.buildName : generatedName(c),
      profession: c.profession,
      specialization: spec,
      game_mode: gameMode,
      role: buildRole(c.role),
      is_public: isPublic,
      tags: ['squad-planner'],
    };
    const build = await post<BuildOut>('/api/v1/builds', body);
    made.set(specKey(c), build);
  }
  return made;
}

/**
 * Saves the squad as a team (new: POST; else PUT), after creating builds for the players who
 * only have a specialization. Returns the saved team and the squad with those builds attached.
 */
export async function saveTeam(squad: Squad, meta: TeamMeta, id: string | null, known: Map<string, { role: string; specialization?: string | null; profession: string }>) {
  const created = await createBuilds(missingBuilds(squad), meta.gameMode, meta.isPublic);
  const withBuilds = attachBuilds(squad, created);
  const builds = new Map(known);
  for (const b of created.values()) builds.set(b.id, b);
  const body = toTeamCreate(withBuilds, meta, builds);
  const team = id ? await post<TeamOut>(`/api/v1/teams/${encodeURIComponent(id)}`, body, 'PUT') : await post<TeamOut>('/api/v1/teams', body);
  return { team, squad: withBuilds };
}

/** Known builds' roles by id (for role overrides), from the loaded team and searches. */
export function buildsOf(team: TeamOut | null): Map<string, { role: string; specialization?: string | null; profession: string }> {
  const map = new Map<string, { role: string; specialization?: string | null; profession: string }>();
  for (const s of team?.slots ?? []) if (s.build) map.set(s.build.id, s.build);
  return map;
}
