// Team Commander (/commander, `?q=` a request from the home page): a WvW squad from one
// sentence (POST /ai/teams/command) or a template (GET /ai/teams/templates), shown as groups of
// build cards with the synergy grade, the request's understood parts highlighted, and saved
// as a team for the squad planner.
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { api, rawJson, unwrap, type Schemas } from '../../api/client';
import { user } from '../../api/session';
import { Loaded, useAsync } from '../../components/async';
import { Checkbox, ErrorNotice, Field, fieldError, Select, TextArea } from '../../components/forms';
import { useTitle } from '../../components/widgets';
import { formatNumber, formatPercent, lang, useT } from '../../i18n';
import { common } from '../../i18n/common';
import '../squads/squads.css';
import { heatMap } from '../squads/heat';
import { GradeBadge, HeatTable } from '../squads/heatmap';
import { named, professionLabel, roleNames, specializationLabel, statLabel } from '../squads/names';
import type { BuildOut, TeamOut } from '../squads/squad';
import {
  buildFor,
  controlOf,
  distinctBuilds,
  errorFor,
  gameModeOf,
  maxima,
  PERFORMANCE,
  ratio,
  segments,
  teamFor,
  toRequest,
  type CommanderAnswer,
  type CommanderSlot,
  type PerformanceKey,
} from './commander';
import { messages } from './messages';

const MODES = ['wvw_zerg', 'wvw_guild_raid', 'wvw_outnumber', 'wvw_roam'] as const;
const LEVELS = ['beginner', 'intermediate', 'expert'] as const;
const DETAILS = ['stability', 'healing', 'boon_share', 'boon_strip', 'cleanse', 'damage'] as const;

export default function Commander() {
  const t = useT(messages);
  useTitle(t('title'));
  const { query } = useLocation();
  const [message, setMessage] = useState(query.q ?? '');
  const [mode, setMode] = useState('');
  const [experience, setExperience] = useState('');
  const [learned, setLearned] = useState(false);
  const [state, setState] = useState<{ answer?: CommanderAnswer; sent?: string; error?: unknown; loading: boolean }>({ loading: false });

  const send = async (text: string) => {
    const body = toRequest(text, mode, experience, lang.value, learned);
    setState((s) => ({ ...s, loading: true, error: undefined }));
    try {
      const answer = (await unwrap(api.POST('/api/v1/ai/teams/command', { body }))) as unknown as CommanderAnswer;
      setState({ answer, sent: body.message, loading: false });
    } catch (error) {
      setState((s) => ({ ...s, error, loading: false }));
    }
  };
  // A request from the home page is sent at once.
  useEffect(() => {
    if (query.q?.trim()) void send(query.q);
  }, []);

  const control = controlOf(state.error);
  return (
    <section>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void send(message);
        }}
      >
        <TextArea label={t('request')} value={message} onInput={setMessage} rows={3} maxLength={2000} error={errorFor(state.error, 'message')} />
        <p class="muted">{t('requestHint')}</p>
        <div class="row">
          <Select
            label={t('mode')}
            value={mode}
            options={[{ value: '', label: t('modeAuto') }, ...MODES.map((m) => ({ value: m, label: t(`mode_${m}`) }))]}
            onChange={setMode}
            error={errorFor(state.error, 'mode')}
          />
          <Select
            label={t('experience')}
            value={experience}
            options={[{ value: '', label: t('experienceAuto') }, ...LEVELS.map((l) => ({ value: l, label: t(`experience_${l}`) }))]}
            onChange={setExperience}
            error={errorFor(state.error, 'experience')}
          />
        </div>
        <Checkbox label={t('learnedWeights')} checked={learned} onChange={setLearned} />
        <p class="muted">{t('learnedWeightsHint')}</p>
        {control === null && <ErrorNotice error={state.error} />}
        <button type="submit" disabled={state.loading || !message.trim()} aria-busy={state.loading ? 'true' : undefined}>
          {state.loading ? t('sending') : t('send')}
        </button>
      </form>
      <Templates
        onPick={(command) => {
          setMessage(command);
          void send(command);
        }}
      />
      {state.answer && state.sent !== undefined && <Answer answer={state.answer} sent={state.sent} />}
    </section>
  );
}

function Templates({ onPick }: { onPick: (command: string) => void }) {
  const t = useT(messages);
  const templates = useAsync(() => unwrap(api.GET('/api/v1/ai/teams/templates')), []);
  return (
    <details class="card">
      <summary>{t('templates')}</summary>
      <Loaded state={templates}>
        {(data) => (
          <ul class="templates">
            {data.templates.map((tpl) => (
              <li key={tpl.name}>
                <strong>{tpl.name}</strong>
                <p class="muted">{tpl.description}</p>
                <p>
                  <q>{tpl.command}</q>
                </p>
                <button type="button" class="secondary" onClick={() => onPick(tpl.command)}>
                  {t('useTemplate', { name: tpl.name })}
                </button>
              </li>
            ))}
          </ul>
        )}
      </Loaded>
    </details>
  );
}

function Answer({ answer, sent }: { answer: CommanderAnswer; sent: string }) {
  const t = useT(messages);
  const r = useT(roleNames);
  const groups = [...answer.groups].sort((a, b) => a.index - b.index);
  const best = maxima(groups);
  const grade = answer.synergy.score;
  const formatLabel = (m: string) => {
    const key = `mode_${m === 'outnumbered' ? 'wvw_outnumber' : m === 'roaming' ? 'wvw_roam' : `wvw_${m}`}` as `mode_${(typeof MODES)[number]}`;
    return key in messages.en ? t(key) : m;
  };
  const levelLabel = (l: string) => ((LEVELS as readonly string[]).includes(l) ? t(`experience_${l as (typeof LEVELS)[number]}`) : l);
  return (
    <>
      <h2>{t('understoodTitle')}</h2>
      <div class="card">
        <p class="request-view" aria-describedby="understood-legend">
          {segments(sent, answer.parse.understood, answer.parse.not_understood).map((s, i) =>
            s.kind === 'plain' ? (
              <span key={i}>{s.text}</span>
            ) : (
              <mark key={i} class={s.kind} title={s.meaning ?? t('notUnderstood')}>
                {s.text}
              </mark>
            ),
          )}
        </p>
        <p id="understood-legend" class="muted">
          {t('understoodLegend')}
        </p>
        <ul class="plain-list">
          {answer.parse.understood.map((u, i) => (
            <li key={i}>
              <q>{u.span.text}</q> → {u.meaning}
            </li>
          ))}
        </ul>
        {answer.warnings.length > 0 && (
          <div role="alert" class="warnings">
            <h3>{t('warnings')}</h3>
            <ul class="plain-list error">
              {answer.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          </div>
        )}
      </div>

      <h2>{t('answerTitle')}</h2>
      <div class="card">
        <p class="grade-line">
          <span>{t('synergy')}</span>
          <GradeBadge letter={grade} label={t('gradeLabel', { grade })} />
          <span class="muted">{t('coverage', { ratio: formatPercent(answer.synergy.coverage) })}</span>
        </p>
        <dl class="summary-grid">
          <div>
            <dt>{t('teamSize')}</dt>
            <dd>{formatNumber(answer.team_size)}</dd>
          </div>
          <div>
            <dt>{t('format')}</dt>
            <dd>{formatLabel(answer.mode)}</dd>
          </div>
          <div>
            <dt>{t('level')}</dt>
            <dd>{levelLabel(answer.experience)}</dd>
          </div>
          {DETAILS.map((d) =>
            answer.synergy.details[d] ? (
              <div key={d}>
                <dt>{t(`details_${d}`)}</dt>
                <dd>{answer.synergy.details[d]}</dd>
              </div>
            ) : null,
          )}
        </dl>
        {answer.weighted_by && (
          <p class="muted">
            {t('weightedBy', { model: answer.weighted_by.model, version: String(answer.weighted_by.version), snapshot: answer.weighted_by.snapshot })}
          </p>
        )}
        {answer.notes.length > 0 && (
          <>
            <h3>{t('notes')}</h3>
            <ul class="plain-list">
              {answer.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          </>
        )}
        <HeatTable
          map={heatMap(
            groups,
            groups.map((_, i) => i),
          )}
          caption={t('groupCoverage')}
          rowLabel={(p) => t('group', { n: p + 1 })}
        />
      </div>

      {groups.map((g, gi) => (
        <section key={g.index} class="group" aria-labelledby={`group-${gi}`}>
          <h3 id={`group-${gi}`}>{t('group', { n: gi + 1 })}</h3>
          <div class="build-cards">
            {g.slots.map((s, i) => (
              <BuildCard key={i} slot={s} best={best} roleLabel={named(r, roleNames, s.role)} />
            ))}
          </div>
        </section>
      ))}
      <SaveSquad answer={answer} sent={sent} />
    </>
  );
}

function formatPerformance(key: PerformanceKey, value: number): string {
  switch (key) {
    case 'survivability':
      return `${formatNumber(value, undefined, 2)}×`;
    case 'effective_health':
      return `${formatNumber(value / 1e6, undefined, 1)} M`;
    case 'dps_increase':
      return `${formatNumber(value, undefined, 1)} %`;
    default:
      return formatNumber(Math.round(value));
  }
}

function BuildCard({ slot, best, roleLabel }: { slot: CommanderSlot; best: Record<PerformanceKey, number>; roleLabel: string }) {
  const t = useT(messages);
  const e = slot.equipment;
  return (
    <article class="card build-card">
      <h4>{specializationLabel(slot.specialization, slot.profession)}</h4>
      <p>
        <span class="muted">{professionLabel(slot.profession)}</span> <span class="badge role-badge">{roleLabel}</span>{' '}
        {slot.requested && <span class="badge">{t('requested')}</span>}
      </p>
      <dl>
        <dt>{t('stats')}</dt>
        <dd>{statLabel(e.stats)}</dd>
        <dt>{t('rune')}</dt>
        <dd>{e.rune || '—'}</dd>
        <dt>{t('sigils')}</dt>
        <dd>{e.sigils.length ? e.sigils.join(', ') : '—'}</dd>
        <dt>{t('relic')}</dt>
        <dd>{e.relic ?? '—'}</dd>
      </dl>
      <div class="perf" aria-label={t('perfTitle')} role="group">
        {PERFORMANCE.map((k) => (
          <Perf key={k} label={t(`perf_${k}`)} value={formatPerformance(k, slot.performance[k])} fill={ratio(slot.performance[k], best[k])} />
        ))}
      </div>
      <p class="reason muted">{slot.advisor_reason}</p>
    </article>
  );
}

function Perf({ label, value, fill }: { label: string; value: string; fill: number }) {
  return (
    <>
      <span>{label}</span>
      <div class="bar" aria-hidden="true">
        <span style={{ width: `${Math.round(fill * 100)}%` }} />
      </div>
      <span class="perf-value">{value}</span>
    </>
  );
}

function SaveSquad({ answer, sent }: { answer: CommanderAnswer; sent: string }) {
  const t = useT(messages);
  const c = useT(common);
  const { url } = useLocation();
  const [name, setName] = useState(() => sent.slice(0, 100) || t('defaultName'));
  const [isPublic, setIsPublic] = useState(true);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<TeamOut | null>(null);
  // A new answer is a new squad to save.
  useEffect(() => {
    setSaved(null);
    setError(null);
    setName(sent.slice(0, 100) || t('defaultName'));
  }, [answer]);
  const save = async () => {
    setError(null);
    setSaved(null);
    const gameMode = gameModeOf(answer.mode);
    const distinct = [...distinctBuilds(answer)];
    const built = new Map<string, BuildOut>();
    setProgress({ done: 0, total: distinct.length });
    try {
      for (const [key, slot] of distinct) {
        built.set(key, await post<BuildOut>('/api/v1/builds', buildFor(slot, gameMode, isPublic)));
        setProgress({ done: built.size, total: distinct.length });
      }
      setSaved(await post<TeamOut>('/api/v1/teams', teamFor(answer, built, name, isPublic, sent)));
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };
  return (
    <div class="card">
      <h2>{t('saveTitle')}</h2>
      {!user.value ? (
        <p>
          {t('loginToSave')} <a href={`/login?next=${encodeURIComponent(url)}`}>{c('login')}</a>
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <p class="muted">{t('saveHint')}</p>
          <Field label={t('teamName')} value={name} onInput={setName} required maxLength={100} error={fieldError(error, 'name')} />
          <Checkbox label={t('isPublic')} checked={isPublic} onChange={setIsPublic} />
          <ErrorNotice error={fieldError(error, 'name') ? null : error} />
          <button type="submit" disabled={progress !== null}>
            {progress ? t('saving', progress) : t('save')}
          </button>
          {saved && (
            <p role="status" class="ok">
              {t('saved')} <a href={`/squads/${saved.id}`}>{t('openPlanner')}</a>
            </p>
          )}
        </form>
      )}
    </div>
  );
}

function post<T>(path: string, body: Schemas['BuildCreate'] | Schemas['TeamCreate']): Promise<T> {
  // /builds and /teams share operation ids in the OpenAPI document, so the typed client
  // mixes their types up: typed by hand (see squads/remote.ts).
  return rawJson<T>(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}
