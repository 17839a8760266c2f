// /builds: the build browser. The filters live in the address (shareable, back button);
// selects apply at once, the text fields when the form is sent.
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { user } from '../../api/session';
import { Loaded, useAsync } from '../../components/async';
import { Field, Select } from '../../components/forms';
import { Pager, useTitle } from '../../components/widgets';
import { useT } from '../../i18n';
import * as buildsApi from './api';
import {
  GAME_MODES,
  ROLES,
  NO_FILTERS,
  SORTS,
  activeFilterCount,
  filtersFromQuery,
  filtersToSearch,
  isFiltered,
  pageCount,
  toApiQuery,
  withFilter,
  type Filters,
  type GameMode,
  type Role,
  type Sort,
} from './filters';
import { messages } from './messages';
import { useNames, type Names } from './names';
import { AfterSession, BuildCard, modeLabel, roleLabel } from './widgets';

export function Browser() {
  const t = useT(messages);
  useTitle(t('browserTitle'));
  return (
    <section>
      <div class="page-head">
        <h1>{t('browserTitle')}</h1>
        <a class="button" href="/builds/new">
          {t('newBuild')}
        </a>
      </div>
      <p class="muted">{t('browserIntro')}</p>
      <AfterSession>{() => <BrowserBody />}</AfterSession>
    </section>
  );
}

function BrowserBody() {
  const t = useT(messages);
  const { query, route } = useLocation();
  const filters = filtersFromQuery(query);
  const search = filtersToSearch(filters);
  const go = (next: Filters) => {
    const qs = filtersToSearch(next);
    route(`/builds${qs ? `?${qs}` : ''}`);
  };
  const names = useNames();
  const list = useAsync(() => buildsApi.listBuilds(toApiQuery(filters)), [search, user.value?.id]);
  return (
    <Loaded state={names}>
      {(n) => (
        <>
          <FilterForm filters={filters} names={n} onChange={go} />
          <Loaded state={list}>
            {(page) => (
              <>
                <p role="status" class="muted">
                  {page.total === 1 ? t('oneResult') : t('results', { n: page.total })}
                </p>
                {page.items.length === 0 ? (
                  <div class="card empty">
                    <p>{isFiltered(filters) ? t('noResults') : t('noBuildsYet')}</p>
                    <div class="actions">
                      {isFiltered(filters) && (
                        <button type="button" class="secondary" onClick={() => route('/builds')}>
                          {t('clearFilters')}
                        </button>
                      )}
                      <a class="button" href="/builds/new">
                        {t('newBuild')}
                      </a>
                    </div>
                  </div>
                ) : (
                  <div class="grid build-list">
                    {page.items.map((b) => (
                      <BuildCard key={b.id} build={b} names={n} />
                    ))}
                  </div>
                )}
                <Pager
                  page={filters.page}
                  pages={pageCount(page.total)}
                  onPage={(p) => go(withFilter(filters, 'page', p))}
                />
              </>
            )}
          </Loaded>
        </>
      )}
    </Loaded>
  );
}

function FilterForm({ filters, names, onChange }: { filters: Filters; names: Names; onChange: (f: Filters) => void }) {
  const t = useT(messages);
  const [q, setQ] = useState(filters.q);
  const [tag, setTag] = useState(filters.tag);
  const [author, setAuthor] = useState(filters.author);
  // The address changed (back button, a tag link): the text fields follow.
  useEffect(() => {
    setQ(filters.q);
    setTag(filters.tag);
    setAuthor(filters.author);
  }, [filters.q, filters.tag, filters.author]);
  const withText = (f: Filters): Filters => ({ ...f, q: q.trim(), tag: tag.trim(), author: author.trim() });
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => onChange(withFilter(withText(filters), key, value));
  const specs = filters.profession ? names.specOptions(filters.profession, true) : [];
  const active = activeFilterCount(filters);
  // The narrowing filters fold away on a phone unless one is in use.
  const [open] = useState(() => active > 0 || (globalThis.matchMedia?.('(min-width: 960px)').matches ?? true));
  return (
    <form
      class="card filters"
      role="search"
      aria-label={t('filters')}
      onSubmit={(e) => {
        e.preventDefault();
        onChange({ ...withText(filters), page: 1 });
      }}
    >
      <div class="search-row">
        <Field label={t('searchLabel')} type="search" name="q" value={q} onInput={setQ} />
        <Select<Sort>
          label={t('sort')}
          value={filters.sort}
          options={SORTS.map((s) => ({ value: s, label: t(`sort_${s}`) }))}
          onChange={(v) => set('sort', v)}
        />
        <button type="submit">{t('search')}</button>
      </div>
      <details class="more-filters" open={open}>
        <summary>{active > 0 ? t('filtersActive', { n: active }) : t('filters')}</summary>
        <div class="filter-grid">
          <Select<string>
            label={t('profession')}
            value={filters.profession}
            options={[{ value: '', label: t('allProfessions') }, ...names.professionOptions()]}
            onChange={(v) => set('profession', v)}
          />
          {specs.length > 0 && (
            <Select<string>
              label={t('specialization')}
              value={filters.specialization}
              options={[{ value: '', label: t('allSpecializations') }, ...specs]}
              onChange={(v) => set('specialization', v)}
            />
          )}
          <Select<GameMode | ''>
            label={t('gameMode')}
            value={filters.game_mode}
            options={[{ value: '', label: t('allModes') }, ...GAME_MODES.map((m) => ({ value: m, label: modeLabel(t, m) }))]}
            onChange={(v) => set('game_mode', v)}
          />
          <Select<Role | ''>
            label={t('role')}
            value={filters.role}
            options={[{ value: '', label: t('allRoles') }, ...ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))]}
            onChange={(v) => set('role', v)}
          />
          <Field label={t('tag')} name="tag" value={tag} onInput={setTag} />
          <Field label={t('author')} name="author" value={author} onInput={setAuthor} />
        </div>
        <div class="actions">
          <button type="submit" class="secondary">
            {t('apply')}
          </button>
          {isFiltered(filters) && (
            <button type="button" class="secondary" onClick={() => onChange({ ...NO_FILTERS, sort: filters.sort })}>
              {t('clearFilters')}
            </button>
          )}
        </div>
      </details>
    </form>
  );
}
