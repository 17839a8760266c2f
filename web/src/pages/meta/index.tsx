// The meta dashboard (/meta?mode=&days=&profession=): professions, archetypes and synergy
// grades stored for a game mode, as charts and tables, from GET /api/v1/meta/overview/{mode}.
import { useLocation } from 'preact-iso';
import { api, unwrap } from '../../api/client';
import { Loaded, useAsync } from '../../components/async';
import { BarChart } from '../../components/chart';
import { Select } from '../../components/forms';
import { useTitle } from '../../components/widgets';
import { game } from '../../game/data';
import { formatDate, formatNumber, formatPercent, useT } from '../../i18n';
import {
  GAME_MODES,
  TIME_RANGES,
  apiParams,
  archetypeRows,
  chartOf,
  disambiguate,
  professionRows,
  queryUrl,
  readQuery,
  sources,
  synergyRows,
  type ArchetypeRow,
  type GameMode,
  type MetaOverview,
  type MetaQuery,
} from './meta';
import { messages } from './messages';
import './meta.css';

const ARCHETYPES_IN_CHART = 12;

export default function Meta() {
  const t = useT(messages);
  useTitle(t('title'));
  const { query: raw, route } = useLocation();
  const query = readQuery(raw);
  const set = (change: Partial<MetaQuery>) => route(queryUrl({ ...query, ...change }));
  const overview = useAsync(
    () => unwrap(api.GET('/api/v1/meta/overview/{game_mode}', { params: apiParams(query) })),
    [query.mode, query.days, query.profession],
  );
  const index = game.value;
  const professions = index ? [...index.data.professions].sort((a, b) => a.name.localeCompare(b.name)) : [];
  return (
    <section class="meta">
      <h1>{t('title')}</h1>
      <p class="muted">{t('intro')}</p>
      <form class="card meta-filters" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
        <Select<GameMode>
          label={t('mode')}
          value={query.mode}
          options={GAME_MODES.map((m) => ({ value: m, label: t(`mode_${m}`) }))}
          onChange={(mode) => set({ mode })}
        />
        <Select
          label={t('window')}
          value={String(query.days)}
          options={[
            ...(TIME_RANGES.includes(query.days as (typeof TIME_RANGES)[number]) ? [] : [{ value: String(query.days), label: t('days', { days: query.days }) }]),
            ...TIME_RANGES.map((d) => ({ value: String(d), label: d === 365 ? t('year') : t('days', { days: d }) })),
          ]}
          onChange={(days) => set({ days: Number(days) })}
        />
        <Select
          label={t('profession')}
          value={query.profession}
          options={[
            { value: '', label: t('allProfessions') },
            ...(query.profession && !professions.some((p) => p.id === query.profession) ? [{ value: query.profession, label: query.profession }] : []),
            ...professions.map((p) => ({ value: p.id, label: p.name })),
          ]}
          onChange={(profession) => set({ profession })}
        />
      </form>
      <Loaded state={overview}>{(data) => <Dashboard data={data} />}</Loaded>
    </section>
  );
}

function Dashboard({ data }: { data: MetaOverview }) {
  const t = useT(messages);
  const index = game.value;
  const raw = data.raw_meta;
  const professions = professionRows(data, index);
  const archetypes = disambiguate(archetypeRows(data, index));
  const synergies = synergyRows(data, index);
  const modeName = (m: string) => (`mode_${m}` in messages.en ? t(`mode_${m}` as 'mode_pve') : m);
  const summary = (
    <div class="meta-summary" role="status">
      <p>
        {t('summary', { entries: raw.entries, since: formatDate(raw.since, undefined, false), until: formatDate(data.timestamp, undefined, false) })}
      </p>
      {sources(data).length > 0 && (
        <p class="muted">
          {t('sourcesLabel')}: {sources(data).map(([key, n]) => `${formatNumber(n)} ${t(`src_${key}`)}`).join(' · ')}
        </p>
      )}
      <p class="muted">{t('countedModes', { modes: raw.game_modes.map(modeName).join(', ') })}</p>
    </div>
  );
  if (raw.entries === 0) {
    return (
      <>
        {summary}
        <div class="card">
          <p>{t('empty')}</p>
          <p class="muted">{t('emptyHint')}</p>
          <a class="button" href="/builds/new">
            {t('shareBuild')}
          </a>
        </div>
      </>
    );
  }
  const professionChart = chartOf(professions, professions.length);
  const archetypeChart = chartOf(archetypes, ARCHETYPES_IN_CHART);
  return (
    <>
      {summary}
      <div class="meta-grid">
        <section class="card" aria-labelledby="meta-professions">
          <h2 id="meta-professions">{t('professionsTitle')}</h2>
          <BarChart
            title={t('professionsChart')}
            labels={professionChart.labels}
            series={[{ label: t('entries'), values: professionChart.values }]}
          />
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('profession')}</th>
                  <th scope="col" class="num">
                    {t('entries')}
                  </th>
                  <th scope="col" class="num">
                    {t('share')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {professions.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">{p.name}</th>
                    <td class="num">{formatNumber(p.count)}</td>
                    <td class="num meta-share">
                      <ShareBar share={p.ratio} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section class="card" aria-labelledby="meta-archetypes">
          <h2 id="meta-archetypes">{t('archetypesTitle')}</h2>
          <BarChart
            title={t('archetypesChart', { count: Math.min(ARCHETYPES_IN_CHART, archetypes.length) })}
            labels={archetypeChart.labels}
            series={[{ label: t('entries'), values: archetypeChart.values }]}
          />
          <ArchetypeTable rows={archetypes} />
          {archetypes.some((a) => a.grade) && <p class="muted">{t('gradeNote')}</p>}
        </section>
      </div>
      <section class="card" aria-labelledby="meta-synergies">
        <h2 id="meta-synergies">{t('synergiesTitle')}</h2>
        {synergies.length === 0 ? (
          <p class="muted">{t('synergiesEmpty')}</p>
        ) : (
          <>
            <p class="muted">{t('gradedCount', { count: raw.graded_saved_builds })}</p>
            <ArchetypeTable rows={synergies} />
          </>
        )}
      </section>
      <p class="muted">{t('updated', { when: formatDate(data.timestamp) })}</p>
    </>
  );
}

function ShareBar({ share }: { share: number }) {
  return (
    <>
      {formatPercent(share, undefined, 1)}
      <div class="bar" aria-hidden="true">
        <span style={{ width: `${Math.round(share * 1000) / 10}%` }} />
      </div>
    </>
  );
}

function ArchetypeTable({ rows }: { rows: ArchetypeRow[] }) {
  const t = useT(messages);
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('specialization')}</th>
            <th scope="col">{t('profession')}</th>
            <th scope="col">{t('grade')}</th>
            <th scope="col" class="num">
              {t('entries')}
            </th>
            <th scope="col" class="num">
              {t('share')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.name}</th>
              <td>{r.profession}</td>
              <td>{r.grade ? <span class={`grade grade-${r.grade}`}>{r.grade}</span> : t('noGrade')}</td>
              <td class="num">{formatNumber(r.count)}</td>
              <td class="num meta-share">
                <ShareBar share={r.share} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
