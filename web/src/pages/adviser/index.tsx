// /adviser: the AI adviser — a build recommendation, and the workflows (gear optimization of
// a build, analysis of a team, the meta of a mode) with their steps shown as they run.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, getAccessToken, rawJson, unwrap, wsUrl, type Schemas } from '../../api/client';
import { user } from '../../api/session';
import { ErrorNotice, Field, Select, fieldError } from '../../components/forms';
import { useTitle } from '../../components/widgets';
import { game } from '../../game/data';
import { formatNumber, formatPercent, lang, useT, type Translate } from '../../i18n';
import { GAME_MODES, ROLES, type GameMode } from '../builds/filters';
import { messages as buildMessages } from '../builds/messages';
import { Chat } from './chat';
import { messages } from './messages';
import { finished, followRun, type Run, type SocketLike } from './run';
import './adviser.css';

type Recommendation = Schemas['Recommendation'];
type WorkflowName = 'build-optimization' | 'team-analysis' | 'meta-analysis' | 'learning';

/** Texts of the answers in the UI's language. */
const langHeader = () => ({ 'Accept-Language': lang.value });

export default function Adviser() {
  const t = useT(messages);
  useTitle(t('title'));
  return (
    <section>
      <h1>{t('title')}</h1>
      <p class="muted">{t('intro')}</p>
      {user.value && <Chat />}
      <div class="row">
        <Recommend />
        <Workflows />
      </div>
    </section>
  );
}

function useModeOptions() {
  const b = useT(buildMessages);
  return GAME_MODES.map((m) => ({ value: m, label: b(`mode_${m}` as Parameters<typeof b>[0]) }));
}

function Recommend() {
  const t = useT(messages);
  const b = useT(buildMessages);
  const modes = useModeOptions();
  const [mode, setMode] = useState<GameMode>('wvw_zerg');
  const [profession, setProfession] = useState('');
  const [specialization, setSpecialization] = useState('');
  const [role, setRole] = useState('');
  const [answer, setAnswer] = useState<Recommendation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const professions = game.value?.data.professions ?? [];
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const out = await unwrap(
        api.POST('/api/v1/ai/recommend', {
          body: {
            game_mode: mode,
            profession: profession || null,
            specialization: specialization.trim() || null,
            role: role || null,
          },
          headers: langHeader(),
        }),
      );
      setAnswer(out);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="card">
      <h2>{t('recommendTitle')}</h2>
      <form onSubmit={submit}>
        <Select<GameMode> label={t('gameMode')} value={mode} options={modes} onChange={setMode} error={fieldError(error, 'game_mode')} />
        <Select<string>
          label={t('profession')}
          value={profession}
          options={[{ value: '', label: t('anyProfession') }, ...professions.map((p) => ({ value: p.id, label: p.name }))]}
          onChange={setProfession}
          error={fieldError(error, 'profession')}
        />
        <Field label={t('specialization')} value={specialization} onInput={setSpecialization} error={fieldError(error, 'specialization')} />
        <Select<string>
          label={t('role')}
          value={role}
          options={[{ value: '', label: t('anyRole') }, ...ROLES.map((r) => ({ value: r, label: b(`role_${r}` as Parameters<typeof b>[0]) }))]}
          onChange={setRole}
          error={fieldError(error, 'role')}
        />
        <ErrorNotice error={['game_mode', 'profession', 'specialization', 'role'].some((f) => fieldError(error, f)) ? null : error} />
        <button type="submit" disabled={busy}>
          {t('recommend')}
        </button>
      </form>
      {answer && <RecommendationView answer={answer} t={t} />}
    </div>
  );
}

function RecommendationView({ answer, t }: { answer: Recommendation; t: Translate<keyof typeof messages.en> }) {
  const names = game.value;
  return (
    <div class="adviser-answer" aria-live="polite">
      <p role="status">{answer.summary}</p>
      <h3>{t('candidates')}</h3>
      {answer.candidates.length === 0 ? (
        <p class="muted">{t('noCandidates')}</p>
      ) : (
        <ol class="candidates">
          {answer.candidates.map((c) => (
            <li key={c.build_id}>
              <a href={`/builds/${c.build_id}`}>{c.name}</a>{' '}
              <span class="muted">
                {names?.specialization(names.specializationsByName.get(c.specialization ?? '')?.id) || c.specialization || names?.profession(c.profession)} ·{' '}
                {c.score >= 0 ? '+' : ''}
                {c.score} {t('votes')}
                {c.dps != null && ` · ${formatNumber(c.dps, lang.value, 0)} ${t('dps')}`}
              </span>
              {c.reasons.length > 0 && (
                <ul>
                  {c.reasons.map((r) => (
                    <li key={r} class="muted">
                      {r}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      {answer.benchmarks.length > 0 && (
        <>
          <h3>{t('benchmarks')}</h3>
          <ul>
            {(answer.benchmarks as unknown as { id: string; name: string; role: string }[]).map((bm) => (
              <li key={bm.id}>
                {bm.name} <span class="badge">{bm.role}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

interface Option {
  id: string;
  name: string;
}

function Workflows() {
  const t = useT(messages);
  const modes = useModeOptions();
  const [name, setName] = useState<WorkflowName>('build-optimization');
  const [builds, setBuilds] = useState<Option[]>([]);
  const [teams, setTeams] = useState<Option[]>([]);
  const [buildId, setBuildId] = useState('');
  const [teamId, setTeamId] = useState('');
  const [mode, setMode] = useState<GameMode>('wvw');
  const [squad, setSquad] = useState('');
  const [run, setRun] = useState<Run | null>(null);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const me = user.value;

  useEffect(() => {
    if (!me) return;
    void rawJson<{ items: Option[] }>(`/api/v1/builds?author=${encodeURIComponent(me.username)}&limit=50`).then(
      (page) => setBuilds(page.items),
      () => setBuilds([]),
    );
    void rawJson<{ items: (Option & { owner?: string; user_id?: string })[] }>('/api/v1/teams?limit=50').then(
      (page) => setTeams(page.items.filter((team) => !team.user_id || team.user_id === me.id)),
      () => setTeams([]),
    );
  }, [me?.id]);

  // Follow the run over the WebSocket; poll when the socket fails.
  useEffect(() => {
    if (!run || finished(run)) return;
    const token = getAccessToken();
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      if (stopped) return;
      setLive(false);
      void unwrap(api.GET('/api/v1/ai/workflows/runs/{id}', { params: { path: { id: run.id } } })).then(
        (next) => {
          const r = next as unknown as Run;
          setRun(r);
          if (!finished(r)) timer = setTimeout(poll, 500);
        },
        () => (timer = setTimeout(poll, 2000)),
      );
    };
    if (!token) {
      poll();
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    }
    const socket = new WebSocket(wsUrl('/api/v1/ws/mcm'));
    setLive(true);
    const stop = followRun(socket as unknown as SocketLike, token, run, setRun, poll);
    return () => {
      stopped = true;
      clearTimeout(timer);
      stop();
    };
  }, [run?.id]);

  const input = useMemo(() => {
    switch (name) {
      case 'build-optimization':
        return buildId ? { build_id: buildId } : { game_mode: mode };
      case 'team-analysis':
        return { team_id: teamId };
      case 'learning':
        return squad.trim() ? { message: squad.trim() } : {};
      default:
        return { game_mode: mode };
    }
  }, [name, buildId, teamId, mode, squad]);

  if (!me) {
    return (
      <div class="card">
        <h2>{t('workflowsTitle')}</h2>
        <p>
          {t('signIn')} <a href="/login?next=/adviser">{t('start')}</a>
        </p>
      </div>
    );
  }
  const start = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const started = await unwrap(
        api.POST('/api/v1/ai/workflows/{name}', {
          params: { path: { name } },
          body: input as unknown as Record<string, never>,
          headers: langHeader(),
        }),
      );
      setRun(started as unknown as Run);
    } catch (err) {
      setError(err);
    }
  };
  const cancel = async () => {
    if (!run) return;
    try {
      await unwrap(api.DELETE('/api/v1/ai/workflows/runs/{id}', { params: { path: { id: run.id } } }));
    } catch (err) {
      setError(err);
    }
  };
  const workflowLabels: Record<WorkflowName, string> = {
    'build-optimization': t('agent_build_optimization'),
    'team-analysis': t('agent_team_analysis'),
    'meta-analysis': t('agent_meta_analysis'),
    learning: t('agent_learning'),
  };
  return (
    <div class="card">
      <h2>{t('workflowsTitle')}</h2>
      <form onSubmit={start}>
        <Select<WorkflowName>
          label={t('workflow')}
          value={name}
          options={(Object.keys(workflowLabels) as WorkflowName[]).map((w) => ({ value: w, label: workflowLabels[w] }))}
          onChange={setName}
        />
        {name === 'build-optimization' && (
          <Select<string>
            label={t('myBuild')}
            value={buildId}
            options={[{ value: '', label: t('chooseBuild') }, ...builds.map((b) => ({ value: b.id, label: b.name }))]}
            onChange={setBuildId}
          />
        )}
        {name === 'team-analysis' &&
          (teams.length === 0 ? (
            <p class="muted">{t('noTeams')}</p>
          ) : (
            <Select<string>
              label={t('myTeam')}
              value={teamId || teams[0]!.id}
              options={teams.map((team) => ({ value: team.id, label: team.name }))}
              onChange={setTeamId}
            />
          ))}
        {(name === 'meta-analysis' || (name === 'build-optimization' && !buildId)) && (
          <Select<GameMode> label={t('gameMode')} value={mode} options={modes} onChange={setMode} />
        )}
        {name === 'learning' && (
          <Field label={t('learningSquad')} value={squad} onInput={setSquad} placeholder={t('learningSquadHint')} maxLength={2000} />
        )}
        <ErrorNotice error={error} />
        <div class="actions">
          <button type="submit" disabled={name === 'team-analysis' && teams.length === 0} onClick={() => name === 'team-analysis' && !teamId && teams[0] && setTeamId(teams[0].id)}>
            {t('start')}
          </button>
          {run && !finished(run) && (
            <button type="button" class="danger" onClick={() => void cancel()}>
              {t('cancel')}
            </button>
          )}
        </div>
      </form>
      {run && <RunView run={run} live={live} t={t} />}
    </div>
  );
}

function RunView({ run, live, t }: { run: Run; live: boolean; t: Translate<keyof typeof messages.en> }) {
  const statusText = (s: string) => t(`status_${s}` as keyof typeof messages.en) ?? s;
  const agentText = (a: string) => t(`agent_${a}` as keyof typeof messages.en) ?? a;
  return (
    <div class="adviser-run" aria-live="polite">
      <h3>
        {t('runTitle')} <span class={`badge run-${run.status}`}>{statusText(run.status)}</span>
      </h3>
      {!finished(run) && <p class="muted">{live ? t('live') : t('polling')}</p>}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('step')}</th>
              <th scope="col">{t('agent')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col" class="num">
                {t('duration')}
              </th>
            </tr>
          </thead>
          <tbody>
            {run.steps.map((s, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <td>{agentText(s.agent)}</td>
                <td>{statusText(s.status)}</td>
                <td class="num">{s.duration_ms != null ? `${formatNumber(s.duration_ms, lang.value, 0)} ms` : '…'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {run.error && (
        <p role="alert" class="error">
          {run.error}
        </p>
      )}
      {run.status === 'done' && <RunResult output={run.output} t={t} />}
    </div>
  );
}

interface GearOut {
  name: string;
  current_dps: number;
  best_dps: number;
  gain_percent: number;
  changes: string[];
  summary: string;
}
interface TeamOut {
  name: string;
  coverage: number;
  grade: string;
  optimized_coverage: number;
  optimized_grade: string;
  moves: string[];
  summary: string;
}
interface MetaOut {
  leaders: string[];
  summary: string;
}

function RunResult({ output, t }: { output: unknown; t: Translate<keyof typeof messages.en> }) {
  const o = (output ?? {}) as {
    gear?: GearOut;
    team?: TeamOut;
    meta?: MetaOut;
    recommendation?: Recommendation | null;
    learning?: { summary: string };
    changes?: { needs: { resource: string; target: number; before: number; after: number }[]; added: string[]; removed: string[] } | null;
  };
  return (
    <div class="adviser-result">
      <h3>{t('result')}</h3>
      {o.recommendation && <p>{o.recommendation.summary}</p>}
      {o.gear && (
        <>
          <p>
            {t('gearResult', {
              name: o.gear.name,
              current: formatNumber(o.gear.current_dps, lang.value, 0),
              best: formatNumber(o.gear.best_dps, lang.value, 0),
              gain: formatPercent(o.gear.gain_percent / 100, lang.value, 1),
            })}
          </p>
          {o.gear.changes.length > 0 && (
            <details>
              <summary>{t('changes')}</summary>
              <ul>
                {o.gear.changes.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
      {o.team && (
        <p>
          {t('teamResult', {
            name: o.team.name,
            before: formatPercent(o.team.coverage, lang.value),
            grade: o.team.grade,
            after: formatPercent(o.team.optimized_coverage, lang.value),
            optimized: o.team.optimized_grade,
            moves: o.team.moves.length,
          })}
        </p>
      )}
      {o.meta && <p>{o.meta.summary}</p>}
      {o.learning && <p>{o.learning.summary}</p>}
      {o.changes && (
        <ul>
          {o.changes.needs.map((c) => (
            <li key={c.resource}>
              {t('needChange', {
                resource: c.resource,
                before: formatNumber(c.before, lang.value, 2),
                after: formatNumber(c.after, lang.value, 2),
                target: formatNumber(c.target, lang.value, 2),
              })}
            </li>
          ))}
          {o.changes.added.length > 0 && <li>{t('specsAdded', { specs: o.changes.added.join(', ') })}</li>}
          {o.changes.removed.length > 0 && <li>{t('specsRemoved', { specs: o.changes.removed.join(', ') })}</li>}
        </ul>
      )}
    </div>
  );
}
