// The build browser's filters: what the address bar carries (so a filtered list can be
// shared and the back button works) and what GET /api/v1/builds is asked.
import type { paths } from '../../api/schema';

export type ApiQuery = NonNullable<paths['/api/v1/builds']['get']['parameters']['query']>;

export const GAME_MODES = [
  'pve',
  'raid',
  'fractals',
  'strikes',
  'wvw',
  'wvw_zerg',
  'wvw_guild_raid',
  'wvw_outnumbered',
  'wvw_roaming',
  'pvp',
] as const;
export type GameMode = (typeof GAME_MODES)[number];

export const ROLES = ['dps', 'boon_dps', 'support', 'healer', 'tank', 'utility'] as const;
export type Role = (typeof ROLES)[number];

export const SORTS = ['new', 'top', 'views'] as const;
export type Sort = (typeof SORTS)[number];

/** Builds per page in the browser and in "my builds". */
export const PAGE_SIZE = 12;

export interface Filters {
  q: string;
  profession: string;
  specialization: string;
  game_mode: GameMode | '';
  role: Role | '';
  tag: string;
  author: string;
  sort: Sort;
  page: number;
}

export const NO_FILTERS: Filters = {
  q: '',
  profession: '',
  specialization: '',
  game_mode: '',
  role: '',
  tag: '',
  author: '',
  sort: 'new',
  page: 1,
};

function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | '' {
  return value !== undefined && (values as readonly string[]).includes(value) ? (value as T) : '';
}

/** The filters in a query string (unknown values are dropped, the page is at least 1). */
export function filtersFromQuery(query: Record<string, string | undefined>): Filters {
  const page = Number.parseInt(query.page ?? '', 10);
  return {
    q: (query.q ?? '').trim(),
    profession: (query.profession ?? '').trim(),
    specialization: (query.specialization ?? '').trim(),
    game_mode: oneOf(GAME_MODES, query.game_mode),
    role: oneOf(ROLES, query.role),
    tag: (query.tag ?? '').trim(),
    author: (query.author ?? '').trim(),
    sort: oneOf(SORTS, query.sort) || 'new',
    page: Number.isFinite(page) && page > 1 ? page : 1,
  };
}

/** The query string of `filters` (without `?`), defaults left out. */
export function filtersToSearch(filters: Filters): string {
  const params = new URLSearchParams();
  const keys = ['q', 'profession', 'specialization', 'game_mode', 'role', 'tag', 'author'] as const;
  for (const key of keys) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  if (filters.sort !== 'new') params.set('sort', filters.sort);
  if (filters.page > 1) params.set('page', String(filters.page));
  return params.toString();
}

/** The API's query for one page of the filtered list. */
export function toApiQuery(filters: Filters, pageSize = PAGE_SIZE): ApiQuery {
  const query: ApiQuery = {
    sort: filters.sort,
    skip: (Math.max(1, filters.page) - 1) * pageSize,
    limit: pageSize,
  };
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.profession) query.profession = filters.profession;
  if (filters.specialization) query.specialization = filters.specialization;
  if (filters.game_mode) query.game_mode = filters.game_mode;
  if (filters.role) query.role = filters.role;
  if (filters.tag.trim()) query.tag = filters.tag.trim();
  if (filters.author.trim()) query.author = filters.author.trim();
  return query;
}

/** A changed filter starts again from the first page; changing the page keeps the rest. */
export function withFilter<K extends keyof Filters>(filters: Filters, key: K, value: Filters[K]): Filters {
  const next = { ...filters, [key]: value };
  if (key !== 'page') next.page = 1;
  // A specialization belongs to one profession: a new profession drops it.
  if (key === 'profession' && value !== filters.profession) next.specialization = '';
  return next;
}

export function pageCount(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** Whether any filter narrows the list (the empty state then offers to clear them). */
export function isFiltered(filters: Filters): boolean {
  return filtersToSearch({ ...filters, sort: 'new', page: 1 }) !== '';
}

/** How many narrowing filters are set (the text search and the order aside). */
export function activeFilterCount(filters: Filters): number {
  const keys = ['profession', 'specialization', 'game_mode', 'role', 'tag', 'author'] as const;
  return keys.filter((k) => filters[k].trim() !== '').length;
}
