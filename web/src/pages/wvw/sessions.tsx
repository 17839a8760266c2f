// /wvw/sessions: start a session (an evening's fights) and the sessions I can see.
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { signedIn } from '../../api/session';
import { Loaded, useAsync } from '../../components/async';
import { Checkbox, ErrorNotice, Field, TextArea, fieldError } from '../../components/forms';
import { Pager, useTitle } from '../../components/widgets';
import { formatDate, formatNumber, useT } from '../../i18n';
import { common } from '../../i18n/common';
import { FightTable } from './fights';
import { messages } from './messages';

const PAGE_SIZE = 20;

export function Sessions() {
  const t = useT(messages);
  const tc = useT(common);
  const { url } = useLocation();
  useTitle(t('sessionsTitle'));
  return (
    <section>
      <h1>{t('sessionsTitle')}</h1>
      <p class="muted">{t('sessionsIntro')}</p>
      {signedIn.value ? (
        <CreateSession />
      ) : (
        <p class="card">
          {t('loginToCreate')} <a href={`/login?next=${encodeURIComponent(url)}`}>{tc('login')}</a>
        </p>
      )}
      <SessionList />
    </section>
  );
}

/** Fight ids from `?fights=a,b` (the fight list's "new session from selection"). */
export function idsFromQuery(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(',').map((s) => s.trim()).filter((s) => /^[0-9a-f-]{36}$/i.test(s)))];
}

function CreateSession() {
  const t = useT(messages);
  const { query, route } = useLocation();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [isPublic, setPublic] = useState(false);
  const [selected, setSelected] = useState<string[]>(() => idsFromQuery(query.fights));
  const [page, setPage] = useState(1);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fights = useAsync(
    () => unwrap(api.GET('/api/v1/mcm/fights', { params: { query: { mine: true, skip: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE } } })),
    [page],
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const out = await unwrap(
        api.POST('/api/v1/mcm/sessions', {
          body: { name: name.trim(), description: description.trim() || null, is_public: isPublic, fight_ids: selected },
        }),
      );
      route(`/wvw/sessions/${out.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fightsError = fieldError(error, 'fight_ids');
  return (
    <form class="card" onSubmit={submit} noValidate>
      <h2>{t('newSession')}</h2>
      <div class="row">
        <div>
          <Field
            label={t('sessionName')}
            hint={t('sessionNameHint')}
            value={name}
            onInput={setName}
            error={fieldError(error, 'name')}
            required
            maxLength={100}
          />
          <TextArea label={t('sessionDescription')} value={description} onInput={setDescription} rows={2} error={fieldError(error, 'description')} />
          <Checkbox label={t('sessionPublic')} checked={isPublic} onChange={setPublic} />
        </div>
      </div>
      <fieldset class="wvw-fieldset">
        <legend>{t('pickFights', { count: selected.length })}</legend>
        <Loaded state={fights}>
          {(data) =>
            data.items.length === 0 ? (
              <p class="muted">{t('noFightsToPick')}</p>
            ) : (
              <>
                <FightTable
                  fights={data.items}
                  selected={selected}
                  onSelect={(id, on) => setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)))}
                  caption={t('pickFights', { count: selected.length })}
                />
                <Pager page={page} pages={Math.max(1, Math.ceil(data.total / PAGE_SIZE))} onPage={setPage} />
              </>
            )
          }
        </Loaded>
        {fightsError && <p class="field-error">{fightsError}</p>}
      </fieldset>
      {!fieldError(error, 'name') && !fightsError && !fieldError(error, 'description') && <ErrorNotice error={error} />}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('createSession')}
        </button>
      </div>
    </form>
  );
}

function SessionList() {
  const t = useT(messages);
  const [page, setPage] = useState(1);
  const state = useAsync(
    () => unwrap(api.GET('/api/v1/mcm/sessions', { params: { query: { skip: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE } } })),
    [page, signedIn.value],
  );
  return (
    <div>
      <h2>{t('sessionsList')}</h2>
      <Loaded state={state}>
        {(data) =>
          data.items.length === 0 ? (
            <p class="muted">{t('noSessions')}</p>
          ) : (
            <>
              <ul class="grid wvw-session-cards">
                {data.items.map((s) => (
                  <li key={s.id} class="card">
                    <h3>
                      <a href={`/wvw/sessions/${s.id}`}>{s.name}</a>
                    </h3>
                    <p class="muted">
                      {t('sessionBy', { author: s.author })} · {formatDate(s.updated_at)}
                    </p>
                    <p>
                      <span class="badge">{t('fightCount', { count: formatNumber(s.fight_count) })}</span>{' '}
                      {s.is_public ? <span class="badge">{t('public')}</span> : <span class="badge">{t('private')}</span>}
                    </p>
                    {s.description && <p class="wvw-description">{s.description}</p>}
                  </li>
                ))}
              </ul>
              <Pager page={page} pages={Math.max(1, Math.ceil(data.total / PAGE_SIZE))} onPage={setPage} />
            </>
          )
        }
      </Loaded>
    </div>
  );
}
