// The planner: parties, adding players, the live coverage heat map and grade (POST
// /teams/synergy on every change), "optimize" (POST /teams/optimize) and saving as a team
// with its share link.
import { useLocation } from 'preact-iso';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { sessionChecked, user } from '../../api/session';
import { isNotFound, Loaded, useAsync } from '../../components/async';
import { Checkbox, ErrorNotice, Field, fieldError, Select, TextArea } from '../../components/forms';
import { CopyButton, useTitle } from '../../components/widgets';
import { formatNumber, formatPercent, useT } from '../../i18n';
import { common } from '../../i18n/common';
import { AddPlayer, type AddTarget } from './add-player';
import { gradeOf, reportHeatMap } from './heat';
import { GradeBadge, HeatTable } from './heatmap';
import { messages } from './messages';
import { modeNames, named } from './names';
import { Parties } from './parties';
import { buildsOf, deleteTeam, loadTeam, optimize, saveTeam, synergy } from './remote';
import {
  addOption,
  addParty,
  addPlayer,
  applyPlan,
  choose,
  duplicateNames,
  emptySquad,
  fromPreset,
  fromTeam,
  GAME_MODES,
  locate,
  MAX_PARTIES,
  movePlayer,
  newId,
  playerCount,
  players,
  removeParty,
  removePlayer,
  stepPlayer,
  toSynergyInput,
  uniqueName,
  type BuildChoice,
  type BuildOut,
  type PresetFile,
  type Squad,
  type SquadPlan,
  type Step,
  type SynergyReport,
  type TeamMeta,
  type TeamOut,
} from './squad';

/** The state of a squad just saved, so opening its share link does not reload it. */
let justSaved: { id: string; squad: Squad; meta: TeamMeta; team: TeamOut; saved: true } | null = null;

export function Planner({ id }: { id?: string }) {
  if (!id) return <PlannerBody key="new" initial={{ squad: emptySquad(2), meta: defaultMeta(), team: null }} />;
  return <TeamPlanner key={id} id={id} />;
}

/** A saved team: the state just saved when we come from saving it, else loaded. */
function TeamPlanner({ id }: { id: string }) {
  const t = useT(messages);
  const [kept] = useState(() => {
    const k = justSaved?.id === id ? justSaved : null;
    justSaved = null;
    return k;
  });
  if (kept) return <PlannerBody initial={kept} />;
  return <SavedPlanner id={id} notFound={t('teamNotFound')} />;
}

function SavedPlanner({ id, notFound }: { id: string; notFound: string }) {
  // After the session check, so a private team of the viewer loads at once.
  const checked = sessionChecked.value;
  const state = useAsync(() => (checked ? loadTeam(id) : new Promise<TeamOut>(() => undefined)), [id, checked, user.value?.id]);
  if (state.error !== undefined && isNotFound(state.error)) {
    return (
      <section>
        <h1>{notFound}</h1>
        <p>
          <a href="/squads">←</a>
        </p>
      </section>
    );
  }
  return (
    <Loaded state={state}>
      {(team) => {
        const { squad, meta } = fromTeam(team);
        return <PlannerBody initial={{ squad, meta, team }} />;
      }}
    </Loaded>
  );
}

function defaultMeta(): TeamMeta {
  return { name: '', description: '', gameMode: 'wvw_zerg', isPublic: true };
}

interface Initial {
  squad: Squad;
  meta: TeamMeta;
  team: TeamOut | null;
  /** Just saved (the "saved" note is shown again after the move to the share link). */
  saved?: boolean;
}

function PlannerBody({ initial }: { initial: Initial }) {
  const t = useT(messages);
  const m = useT(modeNames);
  const [squad, setSquad] = useState<Squad>(initial.squad);
  const [meta, setMeta] = useState<TeamMeta>(initial.meta);
  const [team, setTeam] = useState<TeamOut | null>(initial.team);
  const [announce, setAnnounce] = useState('');
  const [focus, setFocus] = useState<{ id: string; step: Step } | null>(null);
  // Builds seen in this session (their roles decide the slots' role overrides when saving).
  const known = useRef(buildsOf(initial.team));
  useTitle(meta.name || t('plannerTitle'));

  const owner = !!team && team.user_id === user.value?.id;

  // Keyboard moves keep the focus on the moved player's button (or another of its buttons).
  useEffect(() => {
    if (!focus) return;
    const item = document.querySelector<HTMLElement>(`.member[data-id="${focus.id}"]`);
    const button =
      item?.querySelector<HTMLButtonElement>(`button[data-step="${focus.step}"]:not([disabled])`) ??
      item?.querySelector<HTMLButtonElement>('button:not([disabled])');
    button?.focus();
    setFocus(null);
  }, [focus]);

  const where = (s: Squad, id: string) => {
    const at = locate(s, id);
    return at ? { n: at.party + 1, pos: at.index + 1 } : { n: 0, pos: 0 };
  };
  const nameOf = (id: string) => players(squad).find((p) => p.id === id)?.name ?? '';

  const move = (id: string, party: number, index: number) => {
    const from = locate(squad, id);
    const result = movePlayer(squad, id, party, index);
    setSquad(result.squad);
    const at = where(result.squad, id);
    setAnnounce(
      result.swappedWith && from
        ? t('swapped', { name: nameOf(id), n: at.n, other: result.swappedWith.name, from: from.party + 1 })
        : t('moved', { name: nameOf(id), ...at }),
    );
  };
  const step = (id: string, s: Step) => {
    const from = locate(squad, id);
    const result = stepPlayer(squad, id, s);
    setSquad(result.squad);
    const at = where(result.squad, id);
    setAnnounce(
      result.swappedWith && from
        ? t('swapped', { name: nameOf(id), n: at.n, other: result.swappedWith.name, from: from.party + 1 })
        : t('moved', { name: nameOf(id), ...at }),
    );
    setFocus({ id, step: s });
  };
  const add = (target: AddTarget, name: string, choice: BuildChoice, build: BuildOut | null) => {
    if (build) known.current.set(build.id, build);
    if (target.playerId) {
      setSquad(addOption(squad, target.playerId, choice));
      setAnnounce(t('added', { name: nameOf(target.playerId), ...where(squad, target.playerId) }));
      return;
    }
    const player = {
      id: newId(),
      name: uniqueName(squad, name, `${t('playerDefault')}`),
      options: [choice],
      chosen: 0,
    };
    const result = addPlayer(squad, player, target.party ?? 0);
    if ('error' in result) {
      setAnnounce(t('squadFull'));
      return;
    }
    setSquad(result.squad);
    setAnnounce(t('added', { name: player.name, n: result.party + 1 }));
  };

  return (
    <section class="planner">
      <h1>{meta.name || (team ? t('plannerTitle') : t('plannerNew'))}</h1>
      {team && !owner && <p class="muted">{t('readOnly', { author: team.author })}</p>}
      {!team && <Examples onLoad={(s, mode) => (setSquad(s), setMeta({ ...meta, gameMode: mode }))} />}
      <div class="row">
        <Select
          label={t('gameMode')}
          value={meta.gameMode}
          options={GAME_MODES.map((g) => ({ value: g, label: named(m, modeNames, g) }))}
          onChange={(gameMode) => setMeta({ ...meta, gameMode })}
        />
      </div>

      <h2>{t('partiesTitle')}</h2>
      <p class="muted">{t('dragHint')}</p>
      <p role="status" aria-live="polite" class="ok announce">
        {announce}
      </p>
      <Parties
        squad={squad}
        onMove={move}
        onStep={step}
        onRemove={(id) => {
          setAnnounce(t('removed', { name: nameOf(id) }));
          setSquad(removePlayer(squad, id));
        }}
        onChoose={(id, option) => setSquad(choose(squad, id, option))}
        onRemoveParty={(p) => setSquad(removeParty(squad, p))}
      />
      <div class="actions">
        <button type="button" class="secondary" disabled={squad.parties.length >= MAX_PARTIES} onClick={() => setSquad(addParty(squad))}>
          {t('addParty')}
        </button>
      </div>

      <AddPlayer squad={squad} onAdd={add} />
      <Coverage squad={squad} gameMode={meta.gameMode} />
      <Optimize squad={squad} gameMode={meta.gameMode} onPlan={(plan) => setSquad(applyPlan(squad, plan))} />
      <Save
        squad={squad}
        meta={meta}
        setMeta={setMeta}
        team={team}
        owner={owner}
        known={known.current}
        justSaved={!!initial.saved}
        onSaved={(saved, withBuilds) => {
          setSquad(withBuilds);
          setTeam(saved);
          for (const s of saved.slots) if (s.build) known.current.set(s.build.id, s.build);
          justSaved = { id: saved.id, squad: withBuilds, meta, team: saved, saved: true };
        }}
      />
    </section>
  );
}

const PRESETS = {
  raid10: () => import('../../../../presets/squad/raid10.json?raw'),
  wvw25: () => import('../../../../presets/squad/wvw25.json?raw'),
  wvw50: () => import('../../../../presets/squad/wvw50.json?raw'),
};

function Examples({ onLoad }: { onLoad: (squad: Squad, gameMode: string) => void }) {
  const t = useT(messages);
  const [choice, setChoice] = useState<keyof typeof PRESETS>('wvw25');
  const [error, setError] = useState<unknown>(null);
  return (
    <details class="card">
      <summary>{t('examples')}</summary>
      <form
        class="actions"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          PRESETS[choice]().then(
            (mod) => {
              const { squad, gameMode } = fromPreset(JSON.parse(mod.default) as PresetFile);
              onLoad(squad, gameMode);
            },
            setError,
          );
        }}
      >
        <Select<keyof typeof PRESETS>
          label={t('examples')}
          value={choice}
          options={[
            { value: 'raid10', label: t('exampleRaid') },
            { value: 'wvw25', label: t('exampleWvw25') },
            { value: 'wvw50', label: t('exampleWvw50') },
          ]}
          onChange={setChoice}
        />
        <button type="submit">{t('loadExample')}</button>
      </form>
      <ErrorNotice error={error} />
    </details>
  );
}

function Coverage({ squad, gameMode }: { squad: Squad; gameMode: string }) {
  const t = useT(messages);
  const m = useT(modeNames);
  const [state, setState] = useState<{ report?: SynergyReport; index?: number[]; error?: unknown; loading: boolean }>({ loading: false });
  const analyzable = useMemo(() => toSynergyInput(squad, gameMode).input.parties.length > 0, [squad, gameMode]);
  useEffect(() => {
    if (!analyzable) {
      setState({ loading: false });
      return;
    }
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    const timer = setTimeout(() => {
      synergy(squad, gameMode, abort.signal).then(
        ({ report, index }) => !abort.signal.aborted && setState({ report, index, loading: false }),
        (error: unknown) => !abort.signal.aborted && setState({ error, loading: false }),
      );
    }, 300);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [squad, gameMode, analyzable]);
  const report = analyzable ? state.report : undefined;
  const grade = report ? gradeOf(report.coverage_score, report.coverage_max) : null;
  return (
    <div class="card coverage" aria-busy={state.loading ? 'true' : undefined}>
      <h2>{t('coverageTitle')}</h2>
      {!analyzable && <p class="muted">{t('coverageEmpty')}</p>}
      <ErrorNotice error={state.error} />
      {report && grade && state.index && (
        <>
          <p class="grade-line">
            <span>{t('grade')}</span>
            <GradeBadge letter={grade.letter} label={`${t('grade')}: ${grade.letter}`} />
            <span class="muted">{t('gradeOf', { grade: grade.letter, ratio: formatPercent(grade.ratio) })}</span>
          </p>
          <HeatTable
            map={reportHeatMap(report, state.index)}
            caption={t('coverageCaption', { mode: named(m, modeNames, gameMode) })}
            rowLabel={(p) => t('party', { n: p + 1 })}
          />
          {report.suggestions.length > 0 && (
            <>
              <h3>{t('suggestions')}</h3>
              <ol class="plain-list">
                {report.suggestions.map((s) => (
                  <li key={s.step}>{s.text}</li>
                ))}
              </ol>
            </>
          )}
          {report.warnings.length > 0 && (
            <>
              <h3>{t('warnings')}</h3>
              <ul class="plain-list">
                {report.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}

function Optimize({ squad, gameMode, onPlan }: { squad: Squad; gameMode: string; onPlan: (plan: SquadPlan) => void }) {
  const t = useT(messages);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<SquadPlan | null>(null);
  const run = async () => {
    setError(null);
    setDone(null);
    if (playerCount(squad) === 0) {
      setError(new Error(t('needPlayers')));
      return;
    }
    const dupes = duplicateNames(squad);
    if (dupes.length > 0) {
      setError(new Error(t('duplicateNames', { names: dupes.join(', ') })));
      return;
    }
    setRunning(true);
    try {
      const plan = await optimize(squad, gameMode);
      onPlan(plan);
      setDone(plan);
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
  };
  return (
    <div class="card">
      <h2>{t('optimizeTitle')}</h2>
      <p class="muted">{t('optimizeIntro')}</p>
      <button type="button" onClick={() => void run()} disabled={running} aria-busy={running ? 'true' : undefined}>
        {running ? t('optimizing') : t('optimize')}
      </button>
      <ErrorNotice error={error} />
      {done && (
        <>
          <p role="status" class="ok">
            {t('optimized', {
              score: formatNumber(done.coverage_score, undefined, 1),
              max: formatNumber(done.coverage_max, undefined, 1),
              method: done.method === 'exhaustive' || done.method === 'local_search' ? t(`method_${done.method}`) : done.method,
              gap: formatPercent(done.optimality_gap, undefined, 1),
            })}
          </p>
          {done.warnings.length > 0 && (
            <ul class="plain-list">
              {done.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function Save({
  squad,
  meta,
  setMeta,
  team,
  owner,
  known,
  justSaved: fresh,
  onSaved,
}: {
  squad: Squad;
  meta: TeamMeta;
  setMeta: (meta: TeamMeta) => void;
  team: TeamOut | null;
  owner: boolean;
  known: Map<string, { role: string; specialization?: string | null; profession: string }>;
  justSaved: boolean;
  onSaved: (team: TeamOut, squad: Squad) => void;
}) {
  const t = useT(messages);
  const c = useT(common);
  const { route, url } = useLocation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState(fresh ? t('saved') : '');
  const save = async (asNew: boolean) => {
    setError(null);
    setStatus('');
    setBusy(true);
    try {
      const { team: saved, squad: withBuilds } = await saveTeam(squad, meta, asNew ? null : (team?.id ?? null), known);
      onSaved(saved, withBuilds);
      setStatus(t('saved'));
      if (saved.id !== team?.id) route(`/squads/${saved.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!team || !window.confirm(t('confirmDelete'))) return;
    setError(null);
    try {
      await deleteTeam(team.id);
      route('/squads');
    } catch (err) {
      setError(err);
    }
  };
  const shareUrl = team ? `${location.origin}/squads/${team.id}` : '';
  const fieldErrors = ['name', 'description', 'game_mode'].some((f) => fieldError(error, f));
  return (
    <div class="card">
      <h2>{t('saveTitle')}</h2>
      {team && (
        <div class="share">
          <span>{t('shareLink')}:</span>
          <code>{shareUrl}</code>
          <CopyButton text={shareUrl} label={t('copyLink')} />
        </div>
      )}
      {team && (team.total_dps != null || team.total_healing != null) && (
        <p class="muted">
          {t('totals')}: {t('totalDps')} {team.total_dps == null ? '—' : formatNumber(team.total_dps)} · {t('totalHealing')}{' '}
          {team.total_healing == null ? '—' : formatNumber(team.total_healing)} · {t('totalToughness')}{' '}
          {team.total_toughness == null ? '—' : formatNumber(team.total_toughness)}
        </p>
      )}
      {!user.value ? (
        <p>
          {t('loginToSave')} <a href={`/login?next=${encodeURIComponent(url)}`}>{c('login')}</a>
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save(!owner);
          }}
        >
          <Field label={t('teamName')} value={meta.name} onInput={(name) => setMeta({ ...meta, name })} required maxLength={100} error={fieldError(error, 'name')} />
          <TextArea
            label={t('description')}
            value={meta.description}
            onInput={(description) => setMeta({ ...meta, description })}
            rows={2}
            error={fieldError(error, 'description')}
          />
          <Checkbox label={t('isPublic')} checked={meta.isPublic} onChange={(isPublic) => setMeta({ ...meta, isPublic })} />
          <p class="muted">{t('saveHint')}</p>
          <ErrorNotice error={fieldErrors ? null : error} />
          {status && (
            <p role="status" class="ok">
              {status}
            </p>
          )}
          <div class="actions">
            <button type="submit" disabled={busy}>
              {busy ? t('saving') : owner ? t('saveChanges') : t('saveNew')}
            </button>
            {owner && (
              <button type="button" class="secondary" disabled={busy} onClick={() => void save(true)}>
                {t('saveCopy')}
              </button>
            )}
            {owner && (
              <button type="button" class="danger" disabled={busy} onClick={() => void remove()}>
                {t('deleteTeam')}
              </button>
            )}
          </div>
        </form>
      )}
    </div>
  );
}
