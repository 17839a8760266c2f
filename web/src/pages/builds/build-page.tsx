// /builds/:id: one build with its traits, skills and gear named, its chat code, exports,
// DPS estimate, votes, and the owner's actions.
import { useLocation, useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';
import { ApiFailure } from '../../api/client';
import { user } from '../../api/session';
import { Loaded, useAsync, type Async } from '../../components/async';
import { ErrorNotice } from '../../components/forms';
import { CopyButton, useTitle } from '../../components/widgets';
import { common } from '../../i18n/common';
import { formatDate, formatNumber, formatPercent, useT } from '../../i18n';
import * as buildsApi from './api';
import { messages } from './messages';
import { damageRows, exportFileName, gearRows, skillRows, traitRows } from './model';
import { useNames, type Names } from './names';
import { EXPORT_FORMATS, type BuildOut, type DpsEstimate, type ExportFormat } from './types';
import { AfterSession, EquipmentTables, GearTable, SkillTable, TraitTables, VoteButtons, attributeLabel, modeLabel, roleLabel } from './widgets';

export function BuildPage() {
  return <AfterSession>{() => <BuildLoader />}</AfterSession>;
}

function BuildLoader() {
  const t = useT(messages);
  const { params } = useRoute();
  const id = params.id ?? '';
  const names = useNames();
  // Who is signed in changes what the service shows (private builds): reload on a change.
  const build = useAsync(() => buildsApi.getBuild(id), [id, user.value?.id]);
  useTitle(build.data?.name ?? t('browserTitle'));
  if (build.error instanceof ApiFailure && (build.error.status === 404 || build.error.status === 403)) {
    return (
      <section>
        <h1>{t('browserTitle')}</h1>
        <p class="error" role="alert">
          {build.error.status === 404 ? t('notFound') : t('forbidden')}
        </p>
        <a href="/builds">{t('browseBuilds')}</a>
      </section>
    );
  }
  return (
    <Loaded state={build}>
      {(b) => (
        <Loaded state={names}>
          {(n) => <BuildView build={b} names={n} onChange={build.set} />}
        </Loaded>
      )}
    </Loaded>
  );
}

function BuildView({ build, names, onChange }: { build: BuildOut; names: Names; onChange: (b: BuildOut) => void }) {
  const t = useT(messages);
  // The chat code (the service encodes the stored build), decoded to name the skill bar.
  const code = useAsync(async () => {
    const chatCode = await buildsApi.chatCodeOf(build.id);
    const template = await buildsApi.decodeCode(chatCode).catch(() => null);
    return { chatCode, template };
  }, [build.id, build.updated_at]);
  const me = user.value;
  const owner = !!me && (me.id === build.user_id || me.is_superuser);
  return (
    <article class="build-page">
      <header class="build-head">
        <h1>{build.name}</h1>
        <p class="build-class">{names.professionAndSpec(build.profession, build.specialization)}</p>
        <p class="badges">
          <span class="badge">{modeLabel(t, build.game_mode)}</span> <span class="badge">{roleLabel(t, build.role)}</span>{' '}
          <span class="badge">{build.is_public === false ? t('privateBadge') : t('publicBadge')}</span>
        </p>
        <p class="muted">
          {t('byAuthor', { author: build.author })} · {t('updated', { date: formatDate(build.updated_at) })} ·{' '}
          {t('views', { n: build.views })}
        </p>
        <VoteButtons key={build.id} build={build} />
      </header>
      {owner && <OwnerActions build={build} onChange={onChange} />}
      <SaveToLibrary build={build} chatCode={code.data?.chatCode ?? null} />

      <div class="build-columns">
        <div>
          <section class="card" aria-labelledby="chat-code-h">
            <h2 id="chat-code-h">{t('chatCode')}</h2>
            <Loaded state={code}>
              {({ chatCode }) => (
                <>
                  <p>
                    <code class="chat-code" data-testid="chat-code">
                      {chatCode}
                    </code>
                  </p>
                  <div class="actions">
                    <CopyButton text={chatCode} label={t('copyCode')} />
                  </div>
                  <p class="muted small">{t('chatCodeHint')}</p>
                </>
              )}
            </Loaded>
          </section>

          <section class="card" aria-labelledby="traits-h">
            <h2 id="traits-h">{t('traits')}</h2>
            <TraitTables rows={traitRows(build.trait_lines, names)} />
          </section>

          <section class="card" aria-labelledby="skills-h">
            <h2 id="skills-h">{t('skills')}</h2>
            <SkillTable
              rows={skillRows(build.skills, code.data?.template ?? null, names)}
              legends={build.skills?.legends}
              pets={build.skills?.pets}
            />
          </section>

          <section class="card" aria-labelledby="gear-h">
            <h2 id="gear-h">{t('gear')}</h2>
            <EquipmentTables equipment={build.equipment} names={names} />
          </section>

          <About build={build} />
        </div>
        <div>
          <DpsPanel build={build} names={names} />
          <ExportPanel build={build} />
        </div>
      </div>
    </article>
  );
}

function About({ build }: { build: BuildOut }) {
  const t = useT(messages);
  const lists: [string, string[] | undefined][] = [
    [t('synergies'), build.synergies],
    [t('counters'), build.counters],
  ];
  const hasTags = (build.tags ?? []).length > 0;
  const hasLists = lists.some(([, v]) => (v ?? []).length > 0);
  if (!build.description && !hasTags && !hasLists) return null;
  return (
    <section class="card" aria-labelledby="about-h">
      <h2 id="about-h">{t('description')}</h2>
      {build.description && <p class="description">{build.description}</p>}
      {hasTags && (
        <ul class="tags" aria-label={t('tags')}>
          {(build.tags ?? []).map((tag) => (
            <li key={tag}>
              <a href={`/builds?tag=${encodeURIComponent(tag)}`}>#{tag}</a>
            </li>
          ))}
        </ul>
      )}
      {lists
        .filter(([, v]) => (v ?? []).length > 0)
        .map(([label, values]) => (
          <p key={label}>
            <strong>{label}:</strong> {(values ?? []).join(', ')}
          </p>
        ))}
    </section>
  );
}

function OwnerActions({ build, onChange }: { build: BuildOut; onChange: (b: BuildOut) => void }) {
  const t = useT(messages);
  const tc = useT(common);
  const { route } = useLocation();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card owner" aria-labelledby="owner-h">
      <h2 id="owner-h" class="visually-hidden">
        {t('ownerActions')}
      </h2>
      <div class="actions">
        <a class="button secondary" href={`/builds/${build.id}/edit`}>
          {tc('edit')}
        </a>
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() => void run(async () => onChange(await buildsApi.setVisibility(build.id, build.is_public === false)))}
        >
          {build.is_public === false ? t('makePublic') : t('makePrivate')}
        </button>
        {!confirming ? (
          <button type="button" class="danger" disabled={busy} onClick={() => setConfirming(true)}>
            {t('deleteBuild')}
          </button>
        ) : (
          <span class="confirm" role="alert">
            {t('confirmDelete', { name: build.name })}{' '}
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await buildsApi.deleteBuild(build.id);
                  route('/builds/mine');
                })
              }
            >
              {t('confirmDeleteYes')}
            </button>{' '}
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              {t('cancel')}
            </button>
          </span>
        )}
      </div>
      <ErrorNotice error={error} />
    </section>
  );
}

function SaveToLibrary({ build, chatCode }: { build: BuildOut; chatCode: string | null }) {
  const t = useT(messages);
  const { url } = useLocation();
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const [error, setError] = useState<unknown>(null);
  if (!user.value) {
    return (
      <p>
        <a href={`/login?next=${encodeURIComponent(url)}`}>{t('loginToSave')}</a>
      </p>
    );
  }
  const save = async () => {
    setState('busy');
    setError(null);
    try {
      await buildsApi.saveBuild({
        name: build.name.slice(0, 100),
        chat_code: chatCode,
        profession: build.profession,
        specialization: build.specialization ?? null,
        game_mode: build.game_mode,
        source_url: `${location.origin}/builds/${build.id}`,
      });
      setState('done');
    } catch (err) {
      setError(err);
      setState('idle');
    }
  };
  return (
    <div class="actions save-library">
      {state === 'done' ? (
        <p role="status" class="ok">
          {t('savedToLibrary')} <a href="/builds/saved">{t('seeSaved')}</a>
        </p>
      ) : (
        <button type="button" class="secondary" disabled={state === 'busy' || chatCode === null} onClick={() => void save()}>
          {t('saveToLibrary')}
        </button>
      )}
      <a class="button secondary" href={`/gear/build/${build.id}`}>
        {t('optimizeGear')}
      </a>
      <ErrorNotice error={error} />
    </div>
  );
}

const mime: Record<ExportFormat, string> = {
  json: 'application/json',
  markdown: 'text/markdown',
  chat_code: 'text/plain',
};

function ExportPanel({ build }: { build: BuildOut }) {
  const t = useT(messages);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const download = async (format: ExportFormat) => {
    setBusy(format);
    setError(null);
    try {
      const text = await buildsApi.exportText(build.id, format);
      const blob = new Blob([text], { type: `${mime[format]};charset=utf-8` });
      const href = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = href;
      a.download = exportFileName(build.name, format);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section class="card" aria-labelledby="export-h">
      <h2 id="export-h">{t('export')}</h2>
      <p class="muted small">{t('exportIntro')}</p>
      <div class="actions">
        {EXPORT_FORMATS.map((format) => (
          <button key={format} type="button" class="secondary" disabled={busy !== null} onClick={() => void download(format)}>
            {t('download', { format: t(`export_${format}`) })}
          </button>
        ))}
      </div>
      <ErrorNotice error={error} />
    </section>
  );
}

function DpsPanel({ build, names }: { build: BuildOut; names: Names }) {
  const t = useT(messages);
  const estimate: Async<DpsEstimate> = useAsync(() => buildsApi.dps(build.id), [build.id, build.updated_at]);
  return (
    <section class="card dps" aria-labelledby="dps-h">
      <h2 id="dps-h">{t('dpsTitle')}</h2>
      {estimate.error instanceof ApiFailure && estimate.error.status === 422 ? (
        <p class="muted" role="status">
          {t('noEstimate')} {estimate.error.message}
        </p>
      ) : (
        <Loaded state={estimate}>{(e) => <DpsBody estimate={e} names={names} />}</Loaded>
      )}
    </section>
  );
}

function DpsBody({ estimate, names }: { estimate: DpsEstimate; names: Names }) {
  const t = useT(messages);
  const rows = damageRows(estimate.damage);
  const infusions = Object.entries(estimate.infusions).filter(([, n]) => n > 0);
  return (
    <>
      <p class="dps-value" data-testid="dps-value">
        {t('dpsValue', { dps: formatNumber(Math.round(estimate.dps), undefined, 0) })}
      </p>
      <p class="muted small">{t('dpsIntro')}</p>
      <p>
        <strong>{t('benchmark')}:</strong> {estimate.benchmark.name}{' '}
        {estimate.benchmark.outdated && <span class="badge">{t('benchmarkOutdated')}</span>}
      </p>
      <ul class="plain">
        <li>{t('compared', { n: estimate.compared })}</li>
        <li>
          {estimate.traits_from === 'benchmark'
            ? t('traitsFromBenchmark')
            : estimate.traits_differing
              ? t('traitsDiffering', { n: estimate.traits_differing })
              : t('traitsFromBuild')}
        </li>
      </ul>
      <h3>{t('damageSplit')}</h3>
      <div class="table-wrap">
        <table class="damage">
          <thead>
            <tr>
              <th scope="col">{t('damageKind')}</th>
              <th scope="col" class="num">
                {t('dpsColumn')}
              </th>
              <th scope="col">{t('share')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.kind}>
                <th scope="row">{t(`dmg_${row.kind}`)}</th>
                <td class="num">{formatNumber(Math.round(row.dps), undefined, 0)}</td>
                <td>
                  <div class="share">
                    <div class="bar" aria-hidden="true">
                      <span style={{ width: `${Math.round(row.share * 1000) / 10}%` }} />
                    </div>
                    <span>{formatPercent(row.share)}</span>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>{t('gearEvaluated')}</summary>
        <GearTable rows={gearRows(estimate.gear, names, estimate.filled_slots)} filledLabel={t('filledBadge')} />
        {infusions.length > 0 && (
          <p>
            <strong>{t('infusionsEvaluated')}:</strong> {infusions.map(([attribute, n]) => `${n} × +5 ${attributeLabel(t, attribute)}`).join(', ')}
          </p>
        )}
      </details>
      <h3>{t('assumed')}</h3>
      {estimate.assumed.length === 0 ? (
        <p class="muted">{t('nothingAssumed')}</p>
      ) : (
        <ul class="assumed">
          {estimate.assumed.map((a, i) => (
            <li key={i}>{a}</li>
          ))}
        </ul>
      )}
    </>
  );
}
