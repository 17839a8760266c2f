// /wvw: upload logs, then the fights (newest first, paged; mine or every fight I can see),
// from which a session can be started.
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { signedIn } from '../../api/session';
import { Loaded, useAsync } from '../../components/async';
import { Select } from '../../components/forms';
import { Pager, useTitle } from '../../components/widgets';
import { formatDate, formatDuration, formatNumber, useT } from '../../i18n';
import { common } from '../../i18n/common';
import { messages } from './messages';
import type { FightSummary } from './report';
import { Uploader, uploads } from './uploader';

export const PAGE_SIZE = 20;

export function Fights() {
  const t = useT(messages);
  const tc = useT(common);
  useTitle(t('title'));
  const { url } = useLocation();
  return (
    <section>
      <h1>{t('title')}</h1>
      <p class="muted">{t('intro')}</p>
      {signedIn.value ? (
        <Uploader />
      ) : (
        <p class="card">
          {t('loginToUpload')} <a href={`/login?next=${encodeURIComponent(url)}`}>{tc('login')}</a>
        </p>
      )}
      <FightBrowser />
    </section>
  );
}

type Scope = 'mine' | 'all';

function FightBrowser() {
  const t = useT(messages);
  const { route } = useLocation();
  // Mine by default once signed in (the session check may answer after the first render).
  const [choice, setScope] = useState<Scope | null>(null);
  const scope: Scope = choice ?? (signedIn.value ? 'mine' : 'all');
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const mine = scope === 'mine' && signedIn.value;
  const finished = uploads.finished.value;
  const state = useAsync(
    () =>
      unwrap(
        api.GET('/api/v1/mcm/fights', {
          params: { query: { mine, skip: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE } },
        }),
      ),
    [mine, page, finished, signedIn.value],
  );
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
  return (
    <div>
      <div class="wvw-list-head">
        <h2>{t('fightsTitle')}</h2>
        {signedIn.value && (
          <Select<Scope>
            label={t('showFights')}
            value={scope}
            options={[
              { value: 'mine', label: t('scopeMine') },
              { value: 'all', label: t('scopeAll') },
            ]}
            onChange={(v) => {
              setScope(v);
              setPage(1);
            }}
          />
        )}
      </div>
      <Loaded state={state}>
        {(data) =>
          data.items.length === 0 ? (
            <p class="muted">{mine ? t('noFightsMine') : t('noFights')}</p>
          ) : (
            <>
              <FightTable
                fights={data.items}
                selected={signedIn.value ? selected : undefined}
                onSelect={toggle}
                caption={t('fightsCaption', { total: data.total })}
              />
              <Pager page={page} pages={Math.max(1, Math.ceil(data.total / PAGE_SIZE))} onPage={setPage} />
            </>
          )
        }
      </Loaded>
      {signedIn.value && (
        <div class="actions">
          <button
            type="button"
            disabled={selected.length === 0}
            onClick={() => route(`/wvw/sessions?fights=${selected.join(',')}`)}
          >
            {t('sessionFromSelected', { count: selected.length })}
          </button>
          {selected.length > 0 && (
            <button type="button" class="secondary" onClick={() => setSelected([])}>
              {t('clearSelection')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

export function OutcomeBadge({ outcome }: { outcome: string }) {
  const t = useT(messages);
  const label = outcome === 'victory' ? t('victory') : outcome === 'defeat' ? t('defeat') : t('draw');
  return <span class={`badge wvw-outcome wvw-${outcome}`}>{label}</span>;
}

/** A table of fights; with `selected`, a checkbox per fight. */
export function FightTable({
  fights,
  selected,
  onSelect,
  caption,
  action,
}: {
  fights: readonly FightSummary[];
  selected?: readonly string[] | undefined;
  onSelect?: (id: string, on: boolean) => void;
  caption: string;
  action?: ((fight: FightSummary) => ComponentChildren) | undefined;
}) {
  const t = useT(messages);
  return (
    <div class="table-wrap wvw-table">
      <table class="wvw-fights">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {selected && (
              <th scope="col">
                <span class="visually-hidden">{t('select')}</span>
              </th>
            )}
            <th scope="col">{t('colFight')}</th>
            <th scope="col">{t('colDate')}</th>
            <th scope="col" class="num">
              {t('colDuration')}
            </th>
            <th scope="col" class="num">
              {t('colSquad')}
            </th>
            <th scope="col" class="num">
              {t('colEnemies')}
            </th>
            <th scope="col">{t('colOutcome')}</th>
            <th scope="col" class="num">
              {t('colSquadDamage')}
            </th>
            <th scope="col">{t('colUploader')}</th>
            {action && (
              <th scope="col">
                <span class="visually-hidden">{t('actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {fights.map((f) => (
            <tr key={f.id}>
              {selected && (
                <td>
                  <input
                    type="checkbox"
                    checked={selected.includes(f.id)}
                    aria-label={t('selectFight', { name: f.fight_name || f.file_name })}
                    onChange={(e) => onSelect?.(f.id, (e.currentTarget as HTMLInputElement).checked)}
                  />
                </td>
              )}
              <th scope="row">
                <a href={`/wvw/fights/${f.id}`}>{f.fight_name || f.file_name}</a>
                {f.truncated_at != null && (
                  <span class="badge wvw-warn-badge" title={t('truncatedShort')}>
                    {t('truncatedShort')}
                  </span>
                )}
              </th>
              <td>{formatDate(f.started_at ?? f.created_at)}</td>
              <td class="num">{formatDuration(f.duration_ms / 1000)}</td>
              <td class="num">{formatNumber(f.squad_size)}</td>
              <td class="num">{formatNumber(f.enemy_count)}</td>
              <td>
                <OutcomeBadge outcome={f.outcome} />
              </td>
              <td class="num">{formatNumber(f.squad_damage)}</td>
              <td>{f.uploader}</td>
              {action && <td>{action(f)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
