// /wvw/fights/:id: a fight's report — outcome, squad totals, the per-player table (sortable),
// squad boons and charts; exports (Elite Insights JSON, text table) and deletion for the uploader.
import { useLocation, useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';
import { ApiFailure, api, getAccessToken, rawJson, unwrap } from '../../api/client';
import { sessionChecked, user } from '../../api/session';
import { Loaded, useAsync } from '../../components/async';
import { BarChart } from '../../components/chart';
import { Checkbox, ErrorNotice, Select } from '../../components/forms';
import { useTitle } from '../../components/widgets';
import { game } from '../../game/data';
import { formatDate, formatDuration, formatNumber, lang, useT } from '../../i18n';
import { OutcomeBadge } from './fights';
import { messages, type Key } from './messages';
import {
  COLUMNS,
  DEFAULT_SORT,
  ariaSort,
  boonUptimes,
  nextSort,
  playerRows,
  sortRows,
  topByDamage,
  totals,
  type Column,
  type ColumnKey,
  type FightWithReport,
  type PlayerRow,
  type Sort,
} from './report';

export function FightPage() {
  const t = useT(messages);
  const { params } = useRoute();
  const id = params.id ?? '';
  const state = useAsync(
    // Private ones need the session: wait for its check before asking.
    () => (sessionChecked.value ? rawJson<FightWithReport>(`/api/v1/mcm/fights/${encodeURIComponent(id)}`) : new Promise<never>(() => undefined)),
    [id, sessionChecked.value, user.value?.id],
  );
  useTitle(state.data?.fight.fight_name ?? t('fightTitle'));
  return (
    <section>
      <Loaded state={state}>{(data) => <Report data={data} />}</Loaded>
    </section>
  );
}

function Report({ data }: { data: FightWithReport }) {
  const t = useT(messages);
  const { fight, report } = data;
  const o = report.outcome;
  const [allies, setAllies] = useState(false);
  const rows = playerRows(report, game.value, allies);
  const squad = playerRows(report, game.value, false);
  const chartRows = topByDamage(squad);
  const boons = boonUptimes(report);
  const kd = o.squad_deaths ? o.enemy_deaths / o.squad_deaths : o.enemy_deaths;
  return (
    <>
      <h1>{fight.fight_name || fight.file_name}</h1>
      <p class="wvw-meta">
        <OutcomeBadge outcome={fight.outcome} /> <span>{formatDate(fight.started_at ?? fight.created_at)}</span>
        <span>{t('durationIs', { duration: formatDuration(report.duration_ms / 1000) })}</span>
        {report.commander && <span>{t('commanderIs', { name: report.commander })}</span>}
        {report.recorded_by && <span>{t('recordedBy', { name: report.recorded_by })}</span>}
        <span>{t('uploadedBy', { name: fight.uploader })}</span>
        {!fight.is_public && <span class="badge">{t('private')}</span>}
      </p>
      {report.truncated_at != null && (
        <p class="wvw-warning" role="note">
          {t('truncated', { offset: report.truncated_at })}
        </p>
      )}
      <h2>{t('squadTotals')}</h2>
      <dl class="wvw-stats">
        <Stat label={t('statSquad')} value={formatNumber(report.squad_size)} />
        <Stat label={t('statAllies')} value={formatNumber(report.ally_count)} />
        <Stat label={t('statEnemies')} value={formatNumber(report.enemy_count)} />
        <Stat label={t('statDamage')} value={formatNumber(o.squad_damage)} />
        <Stat label={t('statDps')} value={formatNumber(report.duration_ms ? (o.squad_damage * 1000) / report.duration_ms : 0, undefined, 0)} />
        <Stat label={t('statTaken')} value={formatNumber(o.squad_damage_taken)} />
        <Stat label={t('statDownsInflicted')} value={formatNumber(o.squad_downs_inflicted)} />
        <Stat label={t('statKills')} value={formatNumber(o.squad_kills)} />
        <Stat label={t('statEnemyDeaths')} value={formatNumber(o.enemy_deaths)} />
        <Stat label={t('statSquadDowns')} value={formatNumber(o.squad_downs)} />
        <Stat label={t('statSquadDeaths')} value={formatNumber(o.squad_deaths)} />
        <Stat label={t('statKd')} value={formatNumber(kd, undefined, 2)} />
      </dl>

      <h2 id="wvw-players">{t('playersTitle')}</h2>
      {report.ally_count > 0 && <Checkbox label={t('includeAllies')} checked={allies} onChange={setAllies} />}
      {!report.healing_extension && <p class="muted wvw-small">{t('noHealingExtension')}</p>}
      <PlayerTable rows={rows} healing={report.healing_extension} />

      <h2>{t('chartsTitle')}</h2>
      <div class="wvw-charts">
        <BarChart title={t('chartDamage')} labels={chartRows.map((r) => r.name)} series={[{ label: t('colDamage'), values: chartRows.map((r) => r.damage) }]} />
        <StatChart rows={chartRows} healing={report.healing_extension} />
      </div>

      {boons.length > 0 && (
        <>
          <h2>{t('squadBoons')}</h2>
          <div class="table-wrap wvw-table">
            <table class="wvw-boons">
              <thead>
                <tr>
                  <th scope="col">{t('boon')}</th>
                  <th scope="col" class="num">
                    {t('uptime')}
                  </th>
                  <th scope="col">
                    <span class="visually-hidden">{t('uptimeBar')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.squad_boons.map((b) => (
                  <tr key={b.id}>
                    <th scope="row">{b.name}</th>
                    <td class="num">
                      {b.intensity ? t('stacks', { n: formatNumber(b.uptime, undefined, 2) }) : `${formatNumber(b.uptime, undefined, 1)} %`}
                    </td>
                    <td class="wvw-bar-cell">
                      {!b.intensity && (
                        <div class="bar">
                          <span style={{ width: `${Math.min(100, Math.max(0, b.uptime))}%` }} />
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <FightActions data={data} />
    </>
  );
}

const CHARTABLE: ColumnKey[] = ['dps', 'downs', 'kills', 'strips', 'cleanses', 'stability', 'healing', 'barrier', 'distance', 'taken'];

/** One more statistic per player, picked by the reader. */
function StatChart({ rows, healing }: { rows: PlayerRow[]; healing: boolean }) {
  const t = useT(messages);
  const [key, setKey] = useState<ColumnKey>('strips');
  const keys = CHARTABLE.filter((k) => healing || (k !== 'healing' && k !== 'barrier'));
  const label = t(columnLabel[key]);
  return (
    <div>
      <Select<ColumnKey> label={t('chartStat')} value={key} options={keys.map((k) => ({ value: k, label: t(columnLabel[k]) }))} onChange={setKey} />
      <BarChart
        title={t('chartPerPlayer', { stat: label })}
        labels={rows.map((r) => r.name)}
        series={[{ label, values: rows.map((r) => (r[key] as number | null) ?? 0) }]}
      />
    </div>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

export const columnLabel: Record<ColumnKey, Key> = {
  name: 'colPlayer',
  spec: 'colSpec',
  group: 'colGroup',
  damage: 'colDamage',
  dps: 'colDps',
  downs: 'colDowns',
  kills: 'colKills',
  deaths: 'colDeaths',
  strips: 'colStrips',
  cleanses: 'colCleanses',
  stability: 'colStability',
  healing: 'colHealing',
  barrier: 'colBarrier',
  distance: 'colDistance',
  taken: 'colTaken',
};

function cell(row: PlayerRow, column: Column, healing: boolean): string {
  const value = row[column.key];
  if (value === null || (column.key === 'group' && !row.inSquad)) return '—';
  if (!healing && (column.key === 'healing' || column.key === 'barrier')) return '—';
  if (typeof value === 'number') return formatNumber(value, undefined, column.digits ?? 0);
  return String(value);
}

function PlayerTable({ rows, healing }: { rows: PlayerRow[]; healing: boolean }) {
  const t = useT(messages);
  const [sort, setSort] = useState<Sort>(DEFAULT_SORT);
  const sorted = sortRows(rows, sort, lang.value);
  // The footer is the squad's (allies shown on demand are not part of it).
  const sums = totals(rows.filter((r) => r.inSquad));
  return (
    <div class="table-wrap wvw-table">
      <table class="wvw-players" aria-labelledby="wvw-players">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} scope="col" class={c.numeric ? 'num' : undefined} aria-sort={ariaSort(sort, c.key)}>
                <button type="button" onClick={() => setSort(nextSort(sort, c.key))}>
                  {t(columnLabel[c.key])}
                  <span aria-hidden="true" class="wvw-sort">
                    {sort.key === c.key ? (sort.dir === 'ascending' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={row.key} class={row.inSquad ? undefined : 'muted'}>
              {COLUMNS.map((c) =>
                c.key === 'name' ? (
                  <th key={c.key} scope="row" title={row.account ?? undefined}>
                    {row.name}
                    {row.commander && <span class="badge wvw-tag">{t('commanderBadge')}</span>}
                    {!row.inSquad && <span class="badge">{t('allyBadge')}</span>}
                  </th>
                ) : (
                  <td key={c.key} class={c.numeric ? 'num' : undefined}>
                    {c.key === 'distance' && row.commander ? t('tagSelf') : cell(row, c, healing)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('squadTotal')}</th>
            {COLUMNS.slice(1).map((c) => {
              const v = sums[c.key];
              const hidden = !healing && (c.key === 'healing' || c.key === 'barrier');
              return (
                <td key={c.key} class={c.numeric ? 'num' : undefined}>
                  {v === undefined || hidden ? '' : v === null ? '—' : formatNumber(v, undefined, c.total === 'mean' ? 0 : (c.digits ?? 0))}
                </td>
              );
            })}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

async function download(path: string, fileName: string) {
  const headers = new Headers();
  const token = getAccessToken();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(path, { headers });
  } catch {
    throw new ApiFailure(0, null);
  }
  if (!response.ok) throw new ApiFailure(response.status, null);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function FightActions({ data }: { data: FightWithReport }) {
  const t = useT(messages);
  const { route } = useLocation();
  const { fight } = data;
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const mine = user.value && (user.value.username === fight.uploader || user.value.is_superuser);
  const base = fight.file_name.replace(/\.(z?evtc|zip)$/i, '') || fight.id;
  const run = (fn: () => Promise<unknown>) => {
    setError(null);
    fn().catch(setError);
  };
  return (
    <>
      <h2>{t('exportTitle')}</h2>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => run(() => download(`/api/v1/mcm/fights/${fight.id}?format=ei-json`, `${base}.json`))}>
          {t('exportEi')}
        </button>
        <button type="button" class="secondary" onClick={() => run(() => download(`/api/v1/mcm/fights/${fight.id}?format=table`, `${base}.txt`))}>
          {t('exportTable')}
        </button>
        {mine &&
          (confirming ? (
            <>
              <button
                type="button"
                class="danger"
                onClick={() =>
                  run(async () => {
                    await unwrap(api.DELETE('/api/v1/mcm/fights/{id}', { params: { path: { id: fight.id } } }));
                    route('/wvw');
                  })
                }
              >
                {t('confirmDeleteFight')}
              </button>
              <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                {t('keep')}
              </button>
            </>
          ) : (
            <button type="button" class="danger" onClick={() => setConfirming(true)}>
              {t('deleteFight')}
            </button>
          ))}
      </div>
      <ErrorNotice error={error} />
    </>
  );
}
