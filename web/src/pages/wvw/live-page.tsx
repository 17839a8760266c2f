// /wvw/live: the live match scoreboard over the WebSocket — pick a match (region and tier)
// or a world, then scores, kills, deaths, victory points and objective flips as the service
// pushes them (it polls the official GW2 API every 30 s). The connection comes back by itself
// with backoff; a GW2 API that does not answer is said plainly.
import { useLocation } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';
import { getAccessToken, wsUrl } from '../../api/client';
import { refresh } from '../../api/session';
import { Field, Select } from '../../components/forms';
import { RequireLogin } from '../../components/require-login';
import { useTitle } from '../../components/widgets';
import { formatDate, formatNumber, useT } from '../../i18n';
import {
  LiveSocket,
  TEAMS,
  applyMatch,
  currentSkirmish,
  emptyMatch,
  held,
  teamLines,
  teamOf,
  validMatchId,
  type LiveStatus,
  type MatchView,
  type ServerMessage,
  type Target,
  type Team,
} from './live';
import { messages, type Key } from './messages';

export function Live() {
  const t = useT(messages);
  useTitle(t('liveTitle'));
  return (
    <section>
      <h1>{t('liveTitle')}</h1>
      <p class="muted">{t('liveIntro')}</p>
      <RequireLogin>{() => <LiveBoard />}</RequireLogin>
    </section>
  );
}

/** The target a page URL names (`?match=2-1` or `?world=2003`). */
export function targetFromQuery(query: Record<string, string | undefined>): Target | null {
  if (query.match && validMatchId(query.match)) return { match_id: query.match };
  const world = Number.parseInt(query.world ?? '', 10);
  if (Number.isInteger(world) && world > 0) return { world_id: world };
  return null;
}

type Mode = 'match' | 'world';
const REGIONS = [
  { value: '1', tiers: 4 },
  { value: '2', tiers: 5 },
] as const;

function LiveBoard() {
  const t = useT(messages);
  const { query, route, path } = useLocation();
  const target = targetFromQuery(query);
  const targetKey = target ? JSON.stringify(target) : '';
  const [status, setStatus] = useState<LiveStatus | null>(null);
  const [view, setView] = useState<MatchView>(emptyMatch);
  const [problem, setProblem] = useState<{ code: string; detail: string } | null>(null);
  const [subscribed, setSubscribed] = useState(false);
  const socket = useRef<LiveSocket | null>(null);
  const followed = useRef<Target | null>(null);

  // One connection while the page is open.
  useEffect(() => {
    const live = new LiveSocket({
      url: wsUrl('/api/v1/ws/mcm'),
      token: async (renew) => (renew || !getAccessToken() ? ((await refresh()) ? getAccessToken() : null) : getAccessToken()),
      onStatus: (s) => {
        setStatus(s);
        if (s.phase !== 'open') setSubscribed(false);
      },
      onMessage: (m: ServerMessage) => {
        if (m.type === 'subscribed' && m.topic.startsWith('match:')) {
          setSubscribed(true);
          setProblem(null);
        } else if (m.type === 'error') {
          setProblem({ code: m.code, detail: m.detail });
        } else {
          setView((v) => applyMatch(v, m));
        }
      },
    });
    socket.current = live;
    live.start();
    return () => {
      live.stop();
      socket.current = null;
    };
  }, []);

  // Follows the target of the URL (one at a time).
  useEffect(() => {
    const live = socket.current;
    if (!live) return;
    if (followed.current) live.unsubscribe(followed.current);
    followed.current = target;
    setView(emptyMatch());
    setProblem(null);
    setSubscribed(false);
    if (target) live.subscribe(target);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [targetKey]);

  // A world that could not be resolved (GW2 API down) is asked again every 30 s.
  useEffect(() => {
    if (problem?.code !== 'match_unavailable' || !target) return;
    const timer = setTimeout(() => retrySubscribe(), 30_000);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [problem, targetKey]);

  const retrySubscribe = () => {
    const live = socket.current;
    if (!live || !target) return;
    live.unsubscribe(target);
    live.subscribe(target);
  };

  const unreachable = (!view.available && view.detail !== null) || problem?.code === 'match_unavailable';
  return (
    <>
      <Picker
        initial={target}
        onFollow={(next) => {
          const q = 'match_id' in next ? `match=${encodeURIComponent(next.match_id)}` : 'world_id' in next ? `world=${next.world_id}` : '';
          route(`${path}?${q}`, true);
        }}
      />
      <ConnectionLine status={status} subscribed={subscribed} onRetry={() => socket.current?.retryNow()} />
      {unreachable && (
        <div class="card wvw-unreachable" role="alert">
          <h2>{t('gw2Unreachable')}</h2>
          <p>{t('gw2UnreachableBody')}</p>
          <p class="muted wvw-detail">{view.detail ?? problem?.detail}</p>
          {problem?.code === 'match_unavailable' && (
            <button type="button" class="secondary" onClick={retrySubscribe}>
              {t('tryAgain')}
            </button>
          )}
        </div>
      )}
      {problem && problem.code !== 'match_unavailable' && (
        <p class="error" role="alert">
          {problem.detail}
        </p>
      )}
      {!target && <p class="muted">{t('pickMatchFirst')}</p>}
      {view.document && <Scoreboard view={view} />}
    </>
  );
}

function Picker({ initial, onFollow }: { initial: Target | null; onFollow: (target: Target) => void }) {
  const t = useT(messages);
  const [mode, setMode] = useState<Mode>(initial && 'world_id' in initial ? 'world' : 'match');
  const [region, setRegion] = useState<string>(initial && 'match_id' in initial ? (initial.match_id.split('-')[0] ?? '2') : '2');
  const [tier, setTier] = useState<string>(initial && 'match_id' in initial ? (initial.match_id.split('-')[1] ?? '1') : '1');
  const [world, setWorld] = useState<string>(initial && 'world_id' in initial ? String(initial.world_id) : '');
  const [error, setError] = useState<string | undefined>();
  const tiers = REGIONS.find((r) => r.value === region)?.tiers ?? 5;
  const submit = (e: Event) => {
    e.preventDefault();
    if (mode === 'match') {
      onFollow({ match_id: `${region}-${Math.min(Number(tier), tiers)}` });
      return;
    }
    const id = Number.parseInt(world, 10);
    if (!Number.isInteger(id) || id <= 0 || String(id) !== world.trim()) {
      setError(t('worldInvalid'));
      return;
    }
    setError(undefined);
    onFollow({ world_id: id });
  };
  return (
    <form class="card wvw-picker" onSubmit={submit} noValidate>
      <h2>{t('pickTitle')}</h2>
      <div class="row">
        <Select<Mode>
          label={t('followBy')}
          value={mode}
          options={[
            { value: 'match', label: t('byMatch') },
            { value: 'world', label: t('byWorld') },
          ]}
          onChange={setMode}
        />
        {mode === 'match' ? (
          <>
            <Select
              label={t('region')}
              value={region}
              options={[
                { value: '1', label: t('regionNa') },
                { value: '2', label: t('regionEu') },
              ]}
              onChange={setRegion}
            />
            <Select
              label={t('tier')}
              value={tier}
              options={Array.from({ length: tiers }, (_, i) => ({ value: String(i + 1), label: t('tierN', { n: i + 1 }) }))}
              onChange={setTier}
            />
          </>
        ) : (
          <Field label={t('worldId')} hint={t('worldHint')} inputMode="numeric" value={world} onInput={setWorld} error={error} />
        )}
      </div>
      <div class="actions">
        <button type="submit">{t('follow')}</button>
      </div>
    </form>
  );
}

function ConnectionLine({ status, subscribed, onRetry }: { status: LiveStatus | null; subscribed: boolean; onRetry: () => void }) {
  const t = useT(messages);
  const [now, setNow] = useState(Date.now());
  const [since, setSince] = useState(Date.now());
  useEffect(() => setSince(Date.now()), [status]);
  useEffect(() => {
    if (status?.phase !== 'waiting') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [status]);
  let text = t('connConnecting');
  let tone = 'muted';
  if (status?.phase === 'open') {
    text = subscribed ? t('connFollowing') : t('connOpen');
    tone = 'ok';
  } else if (status?.phase === 'waiting') {
    const left = Math.max(0, Math.ceil(((status.retryIn ?? 0) - (now - since)) / 1000));
    text = t('connRetry', { seconds: left });
    tone = 'error';
  } else if (status?.phase === 'stopped' && status.stopped === 'signedOut') {
    text = t('connSignedOut');
    tone = 'error';
  }
  return (
    <div class="wvw-conn actions">
      <span class={`wvw-dot wvw-dot-${status?.phase ?? 'connecting'}`} aria-hidden="true" />
      <span role="status" class={tone} data-phase={status?.phase ?? 'connecting'}>
        {text}
      </span>
      {status?.phase === 'waiting' && (
        <button type="button" class="secondary" onClick={onRetry}>
          {t('reconnectNow')}
        </button>
      )}
    </div>
  );
}

const teamLabel: Record<Team, Key> = { red: 'teamRed', green: 'teamGreen', blue: 'teamBlue' };
const mapLabel: Record<string, Key> = {
  Center: 'mapCenter',
  RedHome: 'mapRedHome',
  GreenHome: 'mapGreenHome',
  BlueHome: 'mapBlueHome',
};
const objectiveLabel: Record<string, Key> = {
  Camp: 'objCamp',
  Tower: 'objTower',
  Keep: 'objKeep',
  Castle: 'objCastle',
  Ruins: 'objRuins',
  Spawn: 'objSpawn',
  Mercenary: 'objMercenary',
};

function Owner({ owner }: { owner: string | null | undefined }) {
  const t = useT(messages);
  const team = teamOf(owner);
  return <span class={`wvw-team wvw-team-${team ?? 'neutral'}`}>{team ? t(teamLabel[team]) : t('neutral')}</span>;
}

function Scoreboard({ view }: { view: MatchView }) {
  const t = useT(messages);
  const doc = view.document!;
  const lines = teamLines(doc);
  const skirmish = currentSkirmish(doc);
  const mapName = (type: string) => (mapLabel[type] ? t(mapLabel[type]) : type);
  return (
    <>
      <h2>
        {t('matchTitle', { id: doc.id })}{' '}
        {view.source === 'stale' && <span class="badge wvw-warn-badge">{t('sourceStale')}</span>}
      </h2>
      <p class="wvw-meta">
        {doc.start_time && <span>{t('matchDates', { start: formatDate(doc.start_time), end: formatDate(doc.end_time) })}</span>}
        {skirmish !== null && <span>{t('skirmishN', { n: skirmish })}</span>}
        {view.updated && <span>{t('updatedAt', { time: formatDate(view.updated) })}</span>}
      </p>
      <div class="table-wrap wvw-table">
        <table class="wvw-score">
          <caption class="visually-hidden">{t('scoreboard')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('colTeam')}</th>
              <th scope="col" class="num">
                {t('colVp')}
              </th>
              <th scope="col" class="num">
                {t('colScore')}
              </th>
              <th scope="col" class="num">
                {t('colSkirmish')}
              </th>
              <th scope="col" class="num">
                {t('colKills')}
              </th>
              <th scope="col" class="num">
                {t('colDeaths')}
              </th>
              <th scope="col" class="num">
                {t('colKd')}
              </th>
              <th scope="col" class="num">
                {t('colHeld')}
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.team}>
                <th scope="row">
                  <span class={`wvw-team wvw-team-${l.team}`}>{t(teamLabel[l.team])}</span>
                  {l.world && <span class="muted"> {t('worldN', { id: String(l.world) })}</span>}
                  {l.linked.length > 0 && <span class="muted"> + {l.linked.map(String).join(', ')}</span>}
                </th>
                <td class="num">{formatNumber(l.victoryPoints)}</td>
                <td class="num">{formatNumber(l.score)}</td>
                <td class="num">{formatNumber(l.skirmish)}</td>
                <td class="num">{formatNumber(l.kills)}</td>
                <td class="num">{formatNumber(l.deaths)}</td>
                <td class="num">{formatNumber(l.kd, undefined, 2)}</td>
                <td class="num">{formatNumber(l.objectives)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('mapsTitle')}</h2>
      <div class="table-wrap wvw-table">
        <table class="wvw-maps">
          <thead>
            <tr>
              <th scope="col">{t('colMap')}</th>
              {TEAMS.map((team) => (
                <th key={team} scope="col" class="num">
                  <span class={`wvw-team wvw-team-${team}`}>{t(teamLabel[team])}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {doc.maps.map((m) => (
              <tr key={m.id}>
                <th scope="row">{mapName(m.type)}</th>
                {TEAMS.map((team) => (
                  <td key={team} class="num">
                    {t('mapCell', { score: formatNumber(m.scores?.[team] ?? 0), held: formatNumber(held(m, team)) })}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('flipsTitle')}</h2>
      {view.flips.length === 0 ? (
        <p class="muted">{t('noFlips')}</p>
      ) : (
        <ol class="wvw-flips" aria-live="polite">
          {view.flips.map((f) => (
            <li key={`${f.id}-${f.seen}-${f.to}`}>
              <time dateTime={f.last_flipped ?? f.seen}>{formatDate(f.last_flipped ?? f.seen)}</time>{' '}
              <strong>{objectiveLabel[f.type] ? t(objectiveLabel[f.type]!) : f.type}</strong> <span class="muted">{f.id}</span> ·{' '}
              {mapName(f.map_type)} · <Owner owner={f.from} /> → <Owner owner={f.to} />
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
