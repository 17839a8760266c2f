// /wvw/sessions/:id: a session's top stats — totals, rankings per statistic, the per-player
// table, the fights (added or removed by the owner) and charts. While open, it follows the
// session over the WebSocket: fights uploaded into it appear with their parse progress.
import { useLocation, useRoute } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, getAccessToken, rawJson, unwrap, wsUrl } from '../../api/client';
import { refresh, sessionChecked, user } from '../../api/session';
import { Loaded, useAsync } from '../../components/async';
import { BarChart, LineChart } from '../../components/chart';
import { ErrorNotice } from '../../components/forms';
import { Pager, useTitle } from '../../components/widgets';
import { game, loadGame, type GameIndex } from '../../game/data';
import { formatDate, formatDuration, formatNumber, formatPercent, lang, useT } from '../../i18n';
import { FightTable } from './fights';
import { LiveSocket, type LiveStatus, type ServerMessage } from './live';
import { messages, type Key } from './messages';
import {
  RANKINGS,
  fightsInOrder,
  localProfession,
  podium,
  rankingDigits,
  sortPlayers,
  winRate,
  type PlayerKey,
  type RankingKey,
  type SessionOut,
  type SessionPlayer,
  type SessionStats,
} from './session';

export function SessionPage() {
  const t = useT(messages);
  const { params } = useRoute();
  const id = params.id ?? '';
  const state = useAsync(
    // Private ones need the session: wait for its check before asking.
    () => (sessionChecked.value ? rawJson<SessionOut>(`/api/v1/mcm/sessions/${encodeURIComponent(id)}`) : new Promise<never>(() => undefined)),
    [id, sessionChecked.value, user.value?.id],
  );
  useTitle(state.data?.name ?? t('sessionTitle'));
  return (
    <section>
      <Loaded state={state}>{(data) => <SessionView session={data} reload={state.reload} update={state.set} />}</Loaded>
    </section>
  );
}

interface Progress {
  file: string;
  fraction: number;
}

/** Follows the session's topic while the page is open (signed-in viewers only). */
function useSessionFeed(session: SessionOut, update: (s: SessionOut) => void): { status: LiveStatus | null; progress: Progress[] } {
  const [status, setStatus] = useState<LiveStatus | null>(null);
  const [progress, setProgress] = useState<Record<string, Progress>>({});
  const signed = user.value !== null;
  // The latest session (changed by this page too), which pushed events are merged into.
  const latest = useRef(session);
  latest.current = session;
  useEffect(() => {
    if (!signed) return;
    const socket = new LiveSocket({
      url: wsUrl('/api/v1/ws/mcm'),
      token: async (renew) => (renew || !getAccessToken() ? ((await refresh()) ? getAccessToken() : null) : getAccessToken()),
      onStatus: setStatus,
      onMessage: (m: ServerMessage) => {
        if ('session_id' in m && m.session_id !== session.id) return;
        if (m.type === 'parse_progress') {
          setProgress((p) => {
            const next = { ...p, [m.upload_id]: { file: m.file_name, fraction: m.fraction } };
            if (m.fraction >= 1) delete next[m.upload_id];
            return next;
          });
        } else if (m.type === 'fight_added') {
          const current = latest.current;
          if (!current.fights.some((f) => f.id === m.fight.id)) {
            latest.current = { ...current, fights: [...current.fights, m.fight], fight_count: current.fight_count + 1 };
            update(latest.current);
          }
        } else if (m.type === 'session_stats') {
          latest.current = { ...latest.current, stats: m.stats as SessionStats };
          update(latest.current);
        }
      },
    });
    socket.subscribe({ session_id: session.id });
    socket.start();
    return () => socket.stop();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session.id, signed]);
  return { status, progress: Object.values(progress) };
}

function useEnglishGame(): GameIndex | null {
  const [english, setEnglish] = useState<GameIndex | null>(null);
  useEffect(() => {
    let live = true;
    loadGame('en').then(
      (g) => live && setEnglish(g),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  return english;
}

function SessionView({ session, reload, update }: { session: SessionOut; reload: () => void; update: (s: SessionOut) => void }) {
  const t = useT(messages);
  const { stats } = session;
  const mine = !!user.value && (user.value.username === session.author || user.value.is_superuser);
  const feed = useSessionFeed(session, update);
  const rate = winRate(stats);
  const english = useEnglishGame();
  const profession = (name: string) => localProfession(name, english, game.value);
  const ordered = fightsInOrder(session.fights);
  const top = [...stats.players].sort((a, b) => b.damage - a.damage).slice(0, 15);
  return (
    <>
      <h1>{session.name}</h1>
      <p class="wvw-meta">
        <span>{t('sessionBy', { author: session.author })}</span>
        <span>{formatDate(session.created_at)}</span>
        <span class="badge">{session.is_public ? t('public') : t('private')}</span>
        <span role="status">
          {feed.status?.phase === 'open' && <span class="badge">{t('followingLive')}</span>}
          {feed.status?.phase === 'waiting' && <span class="badge">{t('liveReconnecting')}</span>}
        </span>
      </p>
      {session.description && <p class="wvw-description">{session.description}</p>}
      {feed.progress.length > 0 && (
        <ul class="wvw-uploads" aria-label={t('incomingUploads')}>
          {feed.progress.map((p) => (
            <li key={p.file} class="wvw-upload">
              <span class="wvw-file">{p.file}</span>
              <progress max={1} value={p.fraction} aria-label={t('progressOf', { name: p.file })} />
            </li>
          ))}
        </ul>
      )}
      <h2>{t('sessionTotals')}</h2>
      <dl class="wvw-stats">
        <Stat label={t('statFights')} value={formatNumber(stats.fights)} />
        <Stat label={t('statTime')} value={formatDuration(stats.total_duration_ms / 1000)} />
        <Stat label={t('statVictories')} value={formatNumber(stats.victories)} />
        <Stat label={t('statDefeats')} value={formatNumber(stats.defeats)} />
        <Stat label={t('statWinRate')} value={rate === null ? '—' : formatPercent(rate)} />
        <Stat label={t('statEnemyDeaths')} value={formatNumber(stats.enemy_deaths)} />
        <Stat label={t('statSquadDeaths')} value={formatNumber(stats.squad_deaths)} />
        <Stat label={t('statDamage')} value={formatNumber(stats.squad_damage)} />
        <Stat label={t('statPlayers')} value={formatNumber(stats.players.length)} />
      </dl>

      <h2>{t('rankingsTitle')}</h2>
      {stats.players.length === 0 ? (
        <p class="muted">{t('noRankings')}</p>
      ) : (
        <div class="grid wvw-rankings">
          {RANKINGS.map((key) => (
            <Ranking key={key} stats={stats} rankKey={key} />
          ))}
        </div>
      )}

      {stats.players.length > 0 && (
        <>
          <h2 id="wvw-session-players">{t('playersTitle')}</h2>
          <SessionPlayers players={stats.players} profession={profession} />
          <h2>{t('chartsTitle')}</h2>
          <div class="wvw-charts">
            <BarChart title={t('chartDamage')} labels={top.map((p) => p.name)} series={[{ label: t('colDamage'), values: top.map((p) => p.damage) }]} />
            {ordered.length > 1 && (
              <LineChart
                title={t('chartOverTime')}
                xLabel={t('fightNumber')}
                x={ordered.map((_, i) => i + 1)}
                series={[{ label: t('statDamage'), values: ordered.map((f) => f.squad_damage) }]}
              />
            )}
          </div>
        </>
      )}

      <h2>{t('sessionFights')}</h2>
      {session.fights.length === 0 ? (
        <p class="muted">{t('noSessionFights')}</p>
      ) : (
        <FightTable
          fights={ordered}
          caption={t('sessionFights')}
          action={mine ? (f) => <RemoveFight sessionId={session.id} fightId={f.id} name={f.fight_name} onDone={reload} /> : undefined}
        />
      )}
      {mine && <AddFights session={session} onDone={update} />}
      {mine && <DeleteSession id={session.id} />}
    </>
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

export const rankingLabel: Record<RankingKey, Key> = {
  damage: 'rankDamage',
  downs: 'rankDowns',
  strips: 'rankStrips',
  cleanses: 'rankCleanses',
  stability: 'rankStability',
  healing: 'rankHealing',
  barrier: 'rankBarrier',
  distance_to_tag: 'rankDistance',
};

function Ranking({ stats, rankKey }: { stats: SessionStats; rankKey: RankingKey }) {
  const t = useT(messages);
  const rows = podium(stats, rankKey);
  const digits = rankingDigits(rankKey);
  return (
    <div class="card wvw-ranking" data-ranking={rankKey}>
      <h3>{t(rankingLabel[rankKey])}</h3>
      {rows.length === 0 ? (
        <p class="muted">{t('nobodyYet')}</p>
      ) : (
        <ol>
          {rows.map((r) => (
            <li key={r.account}>
              <span class={`wvw-rank wvw-rank-${r.rank}`}>{r.rank}</span>
              <span class="wvw-rank-name" title={r.account}>
                {r.name}
              </span>
              <span class="wvw-rank-value">{formatNumber(r.value, undefined, digits)}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

const PLAYER_COLUMNS: { key: PlayerKey | 'name'; label: Key; digits?: number }[] = [
  { key: 'name', label: 'colPlayer' },
  { key: 'fights', label: 'colFights' },
  { key: 'damage', label: 'colDamage' },
  { key: 'dps', label: 'colDps' },
  { key: 'downs', label: 'colDowns' },
  { key: 'kills', label: 'colKills' },
  { key: 'deaths', label: 'colDeaths' },
  { key: 'boon_strips', label: 'colStrips' },
  { key: 'cleanses', label: 'colCleanses' },
  { key: 'stability_generation', label: 'colStability', digits: 3 },
  { key: 'healing', label: 'colHealing' },
  { key: 'barrier', label: 'colBarrier' },
  { key: 'distance_to_commander', label: 'colDistance' },
];

function SessionPlayers({ players, profession }: { players: SessionPlayer[]; profession: (name: string) => string }) {
  const t = useT(messages);
  const [sort, setSort] = useState<{ key: PlayerKey | 'name'; dir: 'ascending' | 'descending' }>({ key: 'damage', dir: 'descending' });
  const rows = sortPlayers(players, sort.key, sort.dir, lang.value);
  const click = (key: PlayerKey | 'name') =>
    setSort((s) =>
      s.key === key
        ? { key, dir: s.dir === 'ascending' ? 'descending' : 'ascending' }
        : { key, dir: key === 'name' || key === 'distance_to_commander' || key === 'deaths' ? 'ascending' : 'descending' },
    );
  return (
    <div class="table-wrap wvw-table">
      <table class="wvw-players" aria-labelledby="wvw-session-players">
        <thead>
          <tr>
            {PLAYER_COLUMNS.map((c) => (
              <th key={c.key} scope="col" class={c.key === 'name' ? undefined : 'num'} aria-sort={sort.key === c.key ? sort.dir : 'none'}>
                <button type="button" onClick={() => click(c.key)}>
                  {t(c.label)}
                  <span aria-hidden="true" class="wvw-sort">
                    {sort.key === c.key ? (sort.dir === 'ascending' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </th>
            ))}
            <th scope="col">{t('colSpecs')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.account}>
              {PLAYER_COLUMNS.map((c) => {
                if (c.key === 'name')
                  return (
                    <th key="name" scope="row" title={p.account}>
                      {p.name}
                    </th>
                  );
                const v = p[c.key];
                return (
                  <td key={c.key} class="num">
                    {v === null ? '—' : formatNumber(v, undefined, c.digits ?? 0)}
                  </td>
                );
              })}
              <td>{p.professions.map(profession).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RemoveFight({ sessionId, fightId, name, onDone }: { sessionId: string; fightId: string; name: string; onDone: () => void }) {
  const t = useT(messages);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <button
        type="button"
        class="link"
        onClick={() =>
          unwrap(api.DELETE('/api/v1/mcm/sessions/{id}/fights/{fight_id}', { params: { path: { id: sessionId, fight_id: fightId } } })).then(
            onDone,
            setError,
          )
        }
      >
        {t('removeFromSession')}
        <span class="visually-hidden"> {name}</span>
      </button>
      <ErrorNotice error={error} />
    </>
  );
}

const ADD_PAGE = 20;

function AddFights({ session, onDone }: { session: SessionOut; onDone: (s: SessionOut) => void }) {
  const t = useT(messages);
  const [open, setOpen] = useState(false);
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const state = useAsync(
    () =>
      open
        ? unwrap(api.GET('/api/v1/mcm/fights', { params: { query: { mine: true, skip: (page - 1) * ADD_PAGE, limit: ADD_PAGE } } }))
        : Promise.resolve(null),
    [open, page],
  );
  if (!open)
    return (
      <div class="actions">
        <button type="button" class="secondary" onClick={() => setOpen(true)}>
          {t('addFights')}
        </button>
      </div>
    );
  const inSession = new Set(session.fights.map((f) => f.id));
  const add = async () => {
    setError(null);
    try {
      const out = await unwrap(
        api.POST('/api/v1/mcm/sessions/{id}/fights', { params: { path: { id: session.id } }, body: { fight_ids: selected } }),
      );
      setSelected([]);
      setOpen(false);
      onDone(out as unknown as SessionOut);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div class="card">
      <h3>{t('addFights')}</h3>
      <Loaded state={state}>
        {(data) => {
          const candidates = (data?.items ?? []).filter((f) => !inSession.has(f.id));
          return candidates.length === 0 ? (
            <p class="muted">{t('noFightsToPick')}</p>
          ) : (
            <>
              <FightTable
                fights={candidates}
                selected={selected}
                onSelect={(id, on) => setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)))}
                caption={t('addFights')}
              />
              <Pager page={page} pages={Math.max(1, Math.ceil((data?.total ?? 0) / ADD_PAGE))} onPage={setPage} />
            </>
          );
        }}
      </Loaded>
      <ErrorNotice error={error} />
      <div class="actions">
        <button type="button" disabled={selected.length === 0} onClick={() => void add()}>
          {t('addSelected', { count: selected.length })}
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
    </div>
  );
}

function DeleteSession({ id }: { id: string }) {
  const t = useT(messages);
  const { route } = useLocation();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <div class="actions">
        {confirming ? (
          <>
            <button
              type="button"
              class="danger"
              onClick={() =>
                unwrap(api.DELETE('/api/v1/mcm/sessions/{id}', { params: { path: { id } } })).then(() => route('/wvw/sessions'), setError)
              }
            >
              {t('confirmDeleteSession')}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              {t('keep')}
            </button>
          </>
        ) : (
          <button type="button" class="danger" onClick={() => setConfirming(true)}>
            {t('deleteSession')}
          </button>
        )}
      </div>
      <ErrorNotice error={error} />
    </>
  );
}
