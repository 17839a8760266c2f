import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { logout, reloadUser, user, type User } from '../../api/session';
import { Loaded, useAsync } from '../../components/async';
import { ErrorNotice, Field, Select, TextArea, fieldError } from '../../components/forms';
import { RequireLogin } from '../../components/require-login';
import { Pager, useTitle } from '../../components/widgets';
import { LANGS, formatDate, lang, setLang, useT, type Lang } from '../../i18n';
import { messages } from './messages';

export function Profile() {
  const t = useT(messages);
  useTitle(t('profileTitle'));
  return (
    <section>
      <h1>{t('profileTitle')}</h1>
      <RequireLogin>{() => user.value && <ProfileBody me={user.value} />}</RequireLogin>
    </section>
  );
}

function ProfileBody({ me }: { me: User }) {
  return (
    <div class="row">
      <div>
        <AccountCard me={me} />
        <PasswordCard />
        <DeleteCard />
      </div>
      <div>
        <History />
      </div>
    </div>
  );
}

function AccountCard({ me }: { me: User }) {
  const t = useT(messages);
  const [fullName, setFullName] = useState(me.full_name ?? '');
  const [bio, setBio] = useState(me.bio ?? '');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setStatus(null);
    try {
      await unwrap(
        api.PATCH('/api/v1/users/me', {
          body: {
            full_name: fullName.trim() || null,
            bio: bio.trim() || null,
            // `preferences` is free-form JSON (the document types it as an empty object).
            preferences: { ...(me.preferences as Record<string, unknown>), language: lang.value } as unknown as Record<string, never>,
          },
        }),
      );
      await reloadUser();
      setStatus(t('profileSaved'));
    } catch (err) {
      setError(err);
    }
  };
  const resend = async () => {
    setError(null);
    try {
      await unwrap(api.POST('/api/v1/auth/resend-verification'));
      setStatus(t('resent'));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div class="card">
      <h2>{t('account')}</h2>
      <p>
        <strong>{me.username}</strong> · {me.email}{' '}
        <span class="badge">{me.is_verified ? t('verifiedBadge') : t('unverifiedBadge')}</span>
      </p>
      {!me.is_verified && (
        <button type="button" class="secondary" onClick={() => void resend()}>
          {t('resend')}
        </button>
      )}
      <form onSubmit={save}>
        <Field label={t('fullName')} value={fullName} onInput={setFullName} autocomplete="name" error={fieldError(error, 'full_name')} />
        <TextArea label={t('bio')} value={bio} onInput={setBio} error={fieldError(error, 'bio')} maxLength={2000} />
        <Select<Lang>
          label={t('preferredLanguage')}
          value={lang.value}
          options={LANGS.map((l) => ({ value: l, label: l === 'en' ? 'English' : 'Français' }))}
          onChange={setLang}
        />
        <ErrorNotice error={fieldError(error, 'full_name') || fieldError(error, 'bio') ? null : error} />
        {status && (
          <p role="status" class="ok">
            {status}
          </p>
        )}
        <button type="submit">{t('saveProfile')}</button>
      </form>
    </div>
  );
}

function PasswordCard() {
  const t = useT(messages);
  const { route } = useLocation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await unwrap(api.POST('/api/v1/users/me/password', { body: { current_password: current, new_password: next } }));
      // Every token was revoked by the change: sign in again.
      await logout().catch(() => undefined);
      route('/login', true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="card" onSubmit={submit}>
      <h2>{t('passwordTitle')}</h2>
      <Field
        label={t('currentPassword')}
        type="password"
        value={current}
        onInput={setCurrent}
        autocomplete="current-password"
        required
        error={fieldError(error, 'current_password')}
      />
      <Field
        label={t('newPassword')}
        type="password"
        value={next}
        onInput={setNext}
        autocomplete="new-password"
        required
        hint={t('passwordHint')}
        error={fieldError(error, 'new_password')}
      />
      <ErrorNotice error={fieldError(error, 'current_password') || fieldError(error, 'new_password') ? null : error} />
      <button type="submit">{t('changePassword')}</button>
    </form>
  );
}

const HISTORY_PAGE = 10;

function History() {
  const t = useT(messages);
  const [page, setPage] = useState(1);
  const state = useAsync(
    () =>
      unwrap(
        api.GET('/api/v1/users/me/login-history', {
          params: { query: { skip: (page - 1) * HISTORY_PAGE, limit: HISTORY_PAGE } },
        }),
      ),
    [page],
  );
  return (
    <div class="card">
      <h2>{t('historyTitle')}</h2>
      <Loaded state={state}>
        {(data) => (
          <>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('when')}</th>
                    <th scope="col">{t('result')}</th>
                    <th scope="col">{t('address')}</th>
                    <th scope="col">{t('device')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((entry) => (
                    <tr key={entry.id}>
                      <td>{formatDate(entry.time)}</td>
                      <td class={entry.success ? 'ok' : 'error'}>
                        {entry.success ? t('success') : `${t('failure')}${entry.reason ? ` (${entry.reason})` : ''}`}
                      </td>
                      <td>{entry.ip ?? '—'}</td>
                      <td title={entry.user_agent ?? ''}>{shortAgent(entry.user_agent)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={page} pages={Math.max(1, Math.ceil(data.total / HISTORY_PAGE))} onPage={setPage} />
          </>
        )}
      </Loaded>
    </div>
  );
}

/** The browser's name out of a user agent string, for a narrow table cell. */
export function shortAgent(agent: string | null | undefined): string {
  if (!agent) return '—';
  for (const name of ['Firefox', 'Edg', 'Chrome', 'Safari', 'curl']) {
    if (agent.includes(name)) return name === 'Edg' ? 'Edge' : name;
  }
  return agent.slice(0, 24);
}

function DeleteCard() {
  const t = useT(messages);
  const { route } = useLocation();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await unwrap(api.DELETE('/api/v1/users/me', { body: { password } }));
      await logout().catch(() => undefined);
      route('/', true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="card" onSubmit={submit}>
      <h2>{t('deleteTitle')}</h2>
      <p class="muted">{t('deleteWarning')}</p>
      <Field label={t('password')} type="password" value={password} onInput={setPassword} autocomplete="current-password" required />
      <ErrorNotice error={error} />
      <button type="submit" class="danger">
        {t('deleteConfirm')}
      </button>
    </form>
  );
}
