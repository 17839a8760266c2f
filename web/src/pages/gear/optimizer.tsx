// The optimizer page: where the input comes from (a preset, one of my builds, pasted JSON),
// the settings form, the run with its progress, and the results.
import { useLocation, useRoute } from 'preact-iso';
import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { api, getAccessToken, rawJson, unwrap } from '../../api/client';
import { sessionChecked, user } from '../../api/session';
import { Loaded, useAsync } from '../../components/async';
import { ErrorNotice, Select, TextArea } from '../../components/forms';
import { useTitle } from '../../components/widgets';
import { loadGame, type GameIndex } from '../../game/data';
import { lang, useT } from '../../i18n';
import { fromInput, parseInputJson, toInput, type GearForm } from './form';
import { modeMessage } from './labels';
import { messages } from './messages';
import { ProgressCard, ResultsView } from './results-view';
import { IDLE, isActive, reduce, shownResults, startRun, type Run } from './runner';
import { SettingsForm } from './settings';
import type { GearInput, GearPreset } from './types';

type SourceKind = 'preset' | 'build' | 'json';

interface Source {
  input: GearInput;
  label: string;
  /** `preset:<id>`, `build:<id>` or `json`. */
  origin: string;
}

export function Optimizer() {
  const t = useT(messages);
  useTitle(t('title'));
  const { params } = useRoute();
  const { route } = useLocation();
  const presetId = params.preset;
  const buildId = params.build;
  const game = useAsync(() => loadGame(lang.value), [lang.value]);
  const presets = useAsync(
    () => rawJson<{ presets: GearPreset[] }>('/api/v1/optimize/gear/presets').then((r) => r.presets ?? []),
    [],
  );
  const [kind, setKind] = useState<SourceKind>(buildId ? 'build' : 'preset');
  const [source, setSource] = useState<Source | null>(null);
  const [sourceError, setSourceError] = useState<unknown>(null);
  const [form, setForm] = useState<GearForm | null>(null);
  const [state, dispatch] = useReducer(reduce, IDLE);
  const run = useRef<Run | null>(null);
  const [objective, setObjective] = useState<GearForm['objective']>('damage');

  useEffect(() => () => run.current?.stop(), []);

  const adopt = (next: Source) => {
    run.current?.stop();
    run.current = null;
    dispatch({ kind: 'reset' });
    setSourceError(null);
    setForm(null);
    setSource(next);
  };

  // The form is built once per input, when the game data (prefix keys) is there.
  const hasGame = game.data !== undefined;
  useEffect(() => {
    if (source && game.data) setForm(fromInput(source.input, game.data.data.itemstats));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [source, hasGame]);

  // /gear/preset/:preset
  useEffect(() => {
    if (!presetId || !presets.data || source?.origin === `preset:${presetId}`) return;
    setKind('preset');
    const preset = presets.data.find((p) => p.id === presetId);
    if (preset) adopt({ input: preset.input, label: preset.name, origin: `preset:${preset.id}` });
    else setSourceError(new Error(t('presetUnavailable')));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [presetId, presets.data]);

  // /gear/build/:build, once the session check answered (a private build needs its author's token)
  const userId = user.value?.id;
  const checked = sessionChecked.value;
  useEffect(() => {
    if (!buildId || !checked || source?.origin === `build:${buildId}`) return;
    setKind('build');
    let current = true;
    rawJson<GearInput>(`/api/v1/builds/${encodeURIComponent(buildId)}/gear-input`).then(
      (input) => current && adopt({ input, label: input.name ?? t('unnamed'), origin: `build:${buildId}` }),
      (error: unknown) => current && setSourceError(error),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [buildId, userId, checked]);

  const start = () => {
    if (!form) return;
    const { input, errors } = toInput(form);
    if (Object.keys(errors).length > 0) return;
    run.current?.stop();
    const token = user.value ? getAccessToken() : null;
    setObjective(form.objective);
    dispatch({ kind: 'start', mode: token ? 'stream' : 'anonymous', at: Date.now() });
    run.current = startRun(input, token, dispatch);
  };
  const cancel = () => {
    dispatch({ kind: 'cancel' });
    run.current?.cancel();
  };

  const index = game.data;
  const results = shownResults(state);
  return (
    <section class="gear">
      <h1>{t('title')}</h1>
      <p class="muted">{t('intro')}</p>
      <div class="card">
        <h2>{t('startTitle')}</h2>
        <fieldset class="gear-tabs">
          <legend class="visually-hidden">{t('sourceKind')}</legend>
          {(['preset', 'build', 'json'] as const).map((k) => (
            <label key={k} class={kind === k ? 'active' : undefined}>
              <input type="radio" name="gear-source" value={k} checked={kind === k} onChange={() => setKind(k)} />
              <span>{t(k === 'preset' ? 'sourcePreset' : k === 'build' ? 'sourceBuild' : 'sourceJson')}</span>
            </label>
          ))}
        </fieldset>
        {kind === 'preset' && (
          <Loaded state={presets}>
            {(list) =>
              list.length === 0 ? (
                <p class="muted">{t('presetsEmpty')}</p>
              ) : (
                <PresetList
                  presets={list}
                  index={index}
                  current={source?.origin}
                  onUse={(p) => {
                    adopt({ input: p.input, label: p.name, origin: `preset:${p.id}` });
                    route(`/gear/preset/${encodeURIComponent(p.id)}`);
                  }}
                />
              )
            }
          </Loaded>
        )}
        {kind === 'build' && (
          <BuildPicker
            current={source?.origin}
            onUse={(id) => {
              if (id === buildId) return;
              route(`/gear/build/${encodeURIComponent(id)}`);
            }}
          />
        )}
        {kind === 'json' && (
          <JsonSource
            onLoad={(input) => {
              adopt({ input, label: input.name ?? t('unnamed'), origin: 'json' });
              if (presetId || buildId) route('/gear');
            }}
          />
        )}
        <ErrorNotice error={sourceError} />
        {buildId && !source && !sourceError && (
          <p aria-busy="true" class="muted">
            {t('loadingInput')}
          </p>
        )}
        {source && (
          <p class="gear-source" role="status">
            <strong>{t('startingFrom', { name: source.label })}</strong>{' '}
            <span class="badge">{index ? index.profession(source.input.profession) : source.input.profession}</span>{' '}
            {modeMessage(source.input.game_mode) && <span class="badge">{t(modeMessage(source.input.game_mode)!)}</span>}
          </p>
        )}
      </div>
      {source && !index && <Loaded state={game}>{() => null}</Loaded>}
      {form && index && (
        <SettingsForm
          form={form}
          onChange={setForm}
          index={index}
          busy={isActive(state)}
          signedIn={user.value !== null}
          onRun={start}
        />
      )}
      {state.phase !== 'idle' && <ProgressCard state={state} objective={objective} onCancel={cancel} />}
      {index && (results.length > 0 || state.phase === 'done') && (
        <ResultsView state={state} results={results} objective={state.output?.search.objective ?? objective} index={index} />
      )}
    </section>
  );
}

function PresetList({
  presets,
  index,
  current,
  onUse,
}: {
  presets: GearPreset[];
  index: GameIndex | undefined;
  current: string | undefined;
  onUse: (preset: GearPreset) => void;
}) {
  const t = useT(messages);
  return (
    <ul class="grid gear-presets">
      {presets.map((p) => {
        const inUse = current === `preset:${p.id}`;
        const mode = modeMessage(p.game_mode);
        return (
          <li key={p.id} class="card">
            <h3>{p.name}</h3>
            <p>
              <span class="badge">{index ? index.profession(p.profession) : p.profession}</span>{' '}
              {mode && <span class="badge">{t(mode)}</span>} {inUse && <span class="badge ok">{t('inUse')}</span>}
            </p>
            {p.description && <p class="muted">{p.description}</p>}
            <button type="button" class={inUse ? 'secondary' : undefined} onClick={() => onUse(p)}>
              {t('usePreset')}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function BuildPicker({ current, onUse }: { current: string | undefined; onUse: (id: string) => void }) {
  const t = useT(messages);
  const me = user.value;
  if (!me) {
    return (
      <p>
        {t('buildsLogin')} <a href={`/login?next=${encodeURIComponent('/gear')}`}>{t('sourceBuild')}</a>
      </p>
    );
  }
  return <MyBuilds username={me.username} current={current} onUse={onUse} />;
}

function MyBuilds({ username, current, onUse }: { username: string; current: string | undefined; onUse: (id: string) => void }) {
  const t = useT(messages);
  const builds = useAsync(
    () => unwrap(api.GET('/api/v1/builds', { params: { query: { author: username, limit: 100, sort: 'new' } } })),
    [username],
  );
  const currentId = current?.startsWith('build:') ? current.slice('build:'.length) : '';
  const [choice, setChoice] = useState(currentId);
  return (
    <Loaded state={builds}>
      {(page) => {
        if (page.items.length === 0) {
          return (
            <p>
              {t('noBuilds')} <a href="/builds/new">{t('createBuild')}</a>
            </p>
          );
        }
        const selected = choice || page.items[0]?.id || '';
        return (
          <form
            class="gear-build-picker"
            onSubmit={(e) => {
              e.preventDefault();
              if (selected) onUse(selected);
            }}
          >
            <Select
              label={t('myBuild')}
              value={selected}
              options={page.items.map((b) => ({ value: b.id, label: `${b.name} — ${b.specialization ?? b.profession}` }))}
              onChange={setChoice}
            />
            <button type="submit">{t('useBuild')}</button>
          </form>
        );
      }}
    </Loaded>
  );
}

function JsonSource({ onLoad }: { onLoad: (input: GearInput) => void }) {
  const t = useT(messages);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = parseInputJson(text);
        if (parsed === 'invalidJson') setError(t('invalidJson'));
        else if (parsed === 'notAnInput') setError(t('notAnInput'));
        else {
          setError(undefined);
          onLoad(parsed);
        }
      }}
    >
      <TextArea label={t('pasteLabel')} value={text} onInput={setText} rows={8} error={error} />
      <button type="submit">{t('loadJson')}</button>
    </form>
  );
}
