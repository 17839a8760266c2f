// Pieces the builds pages share: labels of modes and roles, the vote buttons, a build's card
// in a list, and the trait, skill and gear tables.
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { sessionChecked, user } from '../../api/session';
import { common } from '../../i18n/common';
import { ErrorNotice } from '../../components/forms';
import { formatDate, formatNumber, useT, type Translate } from '../../i18n';
import * as buildsApi from './api';
import { GAME_MODES, ROLES, type GameMode, type Role } from './filters';
import { messages } from './messages';
import { extraRows, gearRows, nextVote, type GearRow, type SkillRow, type TraitLineRow, type VoteValue } from './model';
import type { Names } from './names';
import type { BuildOut, Equipment } from './types';
import { rememberVote, rememberedVote } from './votes';

export type T = Translate<keyof typeof messages.en>;

export function modeLabel(t: T, mode: string | null | undefined): string {
  if (!mode) return '';
  return (GAME_MODES as readonly string[]).includes(mode) ? t(`mode_${mode as GameMode}`) : mode;
}

export function roleLabel(t: T, role: string | null | undefined): string {
  if (!role) return '';
  return (ROLES as readonly string[]).includes(role) ? t(`role_${role as Role}`) : role;
}

export const ATTRIBUTES = [
  'power',
  'precision',
  'toughness',
  'vitality',
  'ferocity',
  'condition_damage',
  'expertise',
  'concentration',
  'healing_power',
] as const;

export function attributeLabel(t: T, attribute: string): string {
  return (ATTRIBUTES as readonly string[]).includes(attribute) ? t(`attr_${attribute as (typeof ATTRIBUTES)[number]}`) : attribute;
}

/** Renders its children once the session check has answered (who reads changes what the
 * service shows: private builds, the reader's votes; and a view is counted once). */
export function AfterSession({ children }: { children: () => ComponentChildren }) {
  const tc = useT(common);
  if (!sessionChecked.value) return <p aria-busy="true" class="muted">{tc('loading')}</p>;
  return <>{children()}</>;
}

export interface Counts {
  upvotes: number;
  downvotes: number;
  score: number;
}

/**
 * Up and down votes with the reader's own vote pressed. Signed-out readers are sent to log
 * in; authors see the counts only (the service refuses votes on one's own build).
 */
export function VoteButtons({ build, onCounts }: { build: BuildOut; onCounts?: (counts: Counts) => void }) {
  const t = useT(messages);
  const { url, route } = useLocation();
  const me = user.value;
  // The build's counts and the vote remembered for this reader, until they vote here.
  const [voted, setVoted] = useState<{ counts: Counts; value: VoteValue } | null>(null);
  const counts = voted?.counts ?? { upvotes: build.upvotes, downvotes: build.downvotes, score: build.score };
  const mine: VoteValue = voted?.value ?? (me ? rememberedVote(me.id, build.id) : 0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const own = !!me && me.id === build.user_id;
  const click = async (clicked: 1 | -1) => {
    if (!me) {
      route(`/login?next=${encodeURIComponent(url)}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await buildsApi.vote(build.id, nextVote(mine, clicked));
      const value = (result.value === 1 || result.value === -1 ? result.value : 0) as VoteValue;
      rememberVote(me.id, build.id, value);
      const next = { upvotes: result.upvotes, downvotes: result.downvotes, score: result.score };
      setVoted({ counts: next, value });
      onCounts?.(next);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="votes">
      <div class="vote-buttons" role="group" aria-label={t('votes')}>
        {own ? (
          <span class="badge">
            <span aria-hidden="true">{`▲ ${formatNumber(counts.upvotes)} · ▼ ${formatNumber(counts.downvotes)}`}</span>
            <span class="visually-hidden">{t('voteCounts', { up: counts.upvotes, down: counts.downvotes })}</span>
          </span>
        ) : (
          <>
            <button
              type="button"
              class="secondary vote"
              aria-pressed={mine === 1}
              disabled={busy}
              title={me ? undefined : t('voteLogin')}
              onClick={() => void click(1)}
            >
              <span aria-hidden="true">▲ </span>
              <span class="visually-hidden">{t('upvote', { n: counts.upvotes })}</span>
              <span aria-hidden="true">{formatNumber(counts.upvotes)}</span>
            </button>
            <button
              type="button"
              class="secondary vote"
              aria-pressed={mine === -1}
              disabled={busy}
              title={me ? undefined : t('voteLogin')}
              onClick={() => void click(-1)}
            >
              <span aria-hidden="true">▼ </span>
              <span class="visually-hidden">{t('downvote', { n: counts.downvotes })}</span>
              <span aria-hidden="true">{formatNumber(counts.downvotes)}</span>
            </button>
          </>
        )}
        <span class="score" aria-live="polite">
          {t('score', { score: counts.score })}
        </span>
        {mine !== 0 && <span class="muted">{mine === 1 ? t('yourVoteUp') : t('yourVoteDown')}</span>}
      </div>
      <ErrorNotice error={error} />
    </div>
  );
}

/** A build in a list: name, class, mode and role, author, votes. */
export function BuildCard({ build, names, showVisibility }: { build: BuildOut; names: Names; showVisibility?: boolean }) {
  const t = useT(messages);
  return (
    <article class="card build-card">
      <h2 class="build-card-title">
        <a href={`/builds/${build.id}`}>{build.name}</a>
      </h2>
      <p class="build-class">{names.professionAndSpec(build.profession, build.specialization)}</p>
      <p class="badges">
        <span class="badge">{modeLabel(t, build.game_mode)}</span> <span class="badge">{roleLabel(t, build.role)}</span>
        {(showVisibility || build.is_public === false) && (
          <>
            {' '}
            <span class="badge">{build.is_public === false ? t('privateBadge') : t('publicBadge')}</span>
          </>
        )}
      </p>
      {build.tags && build.tags.length > 0 && (
        <ul class="tags" aria-label={t('tags')}>
          {build.tags.map((tag) => (
            <li key={tag}>
              <a href={`/builds?tag=${encodeURIComponent(tag)}`}>#{tag}</a>
            </li>
          ))}
        </ul>
      )}
      <p class="muted small">
        {t('byAuthor', { author: build.author })} · {t('updated', { date: formatDate(build.updated_at, undefined, false) })} ·{' '}
        {t('views', { n: build.views })}
      </p>
      <VoteButtons build={build} />
    </article>
  );
}

export function TraitTables({ rows }: { rows: TraitLineRow[] }) {
  const t = useT(messages);
  if (rows.length === 0) return <p class="muted">{t('noTraits')}</p>;
  return (
    <div class="trait-lines">
      {rows.map((line, i) => (
        <div class="trait-line" key={`${line.specialization}-${i}`}>
          <h3>
            {line.name} {line.elite && <span class="badge">{t('eliteBadge')}</span>}
          </h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('tier')}</th>
                <th scope="col">{t('trait')}</th>
              </tr>
            </thead>
            <tbody>
              {line.picks.map((pick, tier) => (
                <tr key={tier}>
                  <th scope="row">{t(`tier_${(['adept', 'master', 'grandmaster'] as const)[tier] ?? 'adept'}`)}</th>
                  <td class="wrap">
                    {pick ? (
                      <>
                        <span class="trait-name">{pick.name}</span> <span class="muted">({t(`choice_${pick.choice}`)})</span>
                      </>
                    ) : (
                      <span class="muted">{t('noPick')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}

export function SkillTable({ rows, legends, pets }: { rows: SkillRow[]; legends?: string[]; pets?: string[] }) {
  const t = useT(messages);
  return (
    <>
      {rows.length === 0 ? (
        <p class="muted">{t('noSkills')}</p>
      ) : (
        <div class="table-wrap">
          <table class="skills">
            <thead>
              <tr>
                <th scope="col">{t('slot')}</th>
                <th scope="col">{t('skill')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.slot}>
                  <th scope="row">{t(`skill_${row.slot}`)}</th>
                  <td class="wrap">{row.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {legends && legends.length > 0 && (
        <p>
          <strong>{t('legends')}:</strong> {legends.join(', ')}
        </p>
      )}
      {pets && pets.length > 0 && (
        <p>
          <strong>{t('pets')}:</strong> {pets.join(', ')}
        </p>
      )}
    </>
  );
}

export function GearTable({ rows, filledLabel }: { rows: GearRow[]; filledLabel?: string }) {
  const t = useT(messages);
  if (rows.length === 0) return <p class="muted">{t('noGear')}</p>;
  return (
    <div class="table-wrap">
      <table class="gear">
        <thead>
          <tr>
            <th scope="col">{t('slot')}</th>
            <th scope="col">{t('statPrefix')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.slot}>
              <th scope="row">{t(`gear_${row.slot}`)}</th>
              <td>
                {row.name} {row.filled && filledLabel && <span class="badge">{filledLabel}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The build's gear table and its upgrades (runes, sigils, relic, infusions, food, utility). */
export function EquipmentTables({ equipment, names }: { equipment: Equipment | undefined; names: Names }) {
  const t = useT(messages);
  const extras = extraRows(equipment);
  return (
    <>
      <GearTable rows={gearRows((equipment?.gear ?? {}) as Record<string, string>, names)} />
      {extras.length > 0 && (
        <>
          <h3>{t('extras')}</h3>
          <div class="table-wrap">
            <table class="extras">
              <tbody>
                {extras.map((row) => (
                  <tr key={row.kind}>
                    <th scope="row">{t(`extra_${row.kind}`)}</th>
                    <td class="wrap">{row.values.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
