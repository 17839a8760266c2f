// /builds/saved: the signed-in user's saved builds (bookmarks with a chat code), newest first.
import { useState } from 'preact/hooks';
import { user } from '../../api/session';
import { Loaded, useAsync } from '../../components/async';
import { ErrorNotice } from '../../components/forms';
import { RequireLogin } from '../../components/require-login';
import { CopyButton, useTitle } from '../../components/widgets';
import { formatDate, useT } from '../../i18n';
import * as buildsApi from './api';
import { messages } from './messages';
import { localPath } from './model';
import { useNames, type Names } from './names';
import type { SavedBuild } from './types';
import { modeLabel } from './widgets';

export function SavedBuilds() {
  const t = useT(messages);
  useTitle(t('savedTitle'));
  return (
    <section>
      <h1>{t('savedTitle')}</h1>
      <p class="muted">{t('savedIntro')}</p>
      <RequireLogin>{() => user.value && <SavedList />}</RequireLogin>
    </section>
  );
}

function SavedList() {
  const t = useT(messages);
  const names = useNames();
  const list = useAsync(() => buildsApi.listSaved(), [user.value?.id]);
  const [error, setError] = useState<unknown>(null);
  const remove = async (saved: SavedBuild) => {
    setError(null);
    try {
      await buildsApi.deleteSaved(saved.id);
      list.set((list.data ?? []).filter((s) => s.id !== saved.id));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Loaded state={names}>
      {(n) => (
        <Loaded state={list}>
          {(items) => (
            <>
              <ErrorNotice error={error} />
              {items.length === 0 ? (
                <div class="card empty">
                  <p>{t('savedEmpty')}</p>
                  <a class="button" href="/builds">
                    {t('browseBuilds')}
                  </a>
                </div>
              ) : (
                <div class="grid build-list">
                  {items.map((s) => (
                    <SavedCard key={s.id} saved={s} names={n} onRemove={() => void remove(s)} />
                  ))}
                </div>
              )}
            </>
          )}
        </Loaded>
      )}
    </Loaded>
  );
}

function SavedCard({ saved, names, onRemove }: { saved: SavedBuild; names: Names; onRemove: () => void }) {
  const t = useT(messages);
  const local = localPath(saved.source_url, location.origin);
  return (
    <article class="card build-card saved-card">
      <h2 class="build-card-title">{local ? <a href={local}>{saved.name}</a> : saved.name}</h2>
      {saved.profession && <p class="build-class">{names.professionAndSpec(saved.profession, saved.specialization)}</p>}
      <p class="badges">
        {saved.game_mode && <span class="badge">{modeLabel(t, saved.game_mode)}</span>}{' '}
        {saved.synergy_score && <span class={`grade grade-${saved.synergy_score}`}>{saved.synergy_score}</span>}
      </p>
      {saved.chat_code && (
        <div class="saved-code">
          <code class="chat-code">{saved.chat_code}</code>
          <div class="actions">
            <CopyButton text={saved.chat_code} label={t('copyCode')} />
            <a href={`/builds/new?code=${encodeURIComponent(saved.chat_code)}`}>{t('openInEditor')}</a>
          </div>
        </div>
      )}
      {saved.notes && (
        <p class="description">
          <strong>{t('notes')}:</strong> {saved.notes}
        </p>
      )}
      {saved.source_url && !local && (
        <p>
          <a href={saved.source_url} rel="noopener noreferrer nofollow" target="_blank">
            {t('openSource')}
          </a>
        </p>
      )}
      <p class="muted small">{t('savedOn', { date: formatDate(saved.created_at, undefined, false) })}</p>
      <div class="actions">
        <button type="button" class="danger" aria-label={t('removeNamed', { name: saved.name })} onClick={onRemove}>
          {t('remove')}
        </button>
      </div>
    </article>
  );
}
