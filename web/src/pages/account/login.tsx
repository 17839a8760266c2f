import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { login } from '../../api/session';
import { ErrorNotice, Field } from '../../components/forms';
import { useTitle } from '../../components/widgets';
import { useT } from '../../i18n';
import { messages } from './messages';

/** Where to go after logging in: the `next` query parameter when it is a path of ours. */
export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function Login() {
  const t = useT(messages);
  useTitle(t('loginTitle'));
  const { query, route } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
      route(safeNext(query.next), true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="form">
      <h1>{t('loginTitle')}</h1>
      <form onSubmit={submit}>
        <Field label={t('username')} value={username} onInput={setUsername} name="username" autocomplete="username" required />
        <Field
          label={t('password')}
          type="password"
          value={password}
          onInput={setPassword}
          name="password"
          autocomplete="current-password"
          required
        />
        <ErrorNotice error={error} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('submitLogin')}
          </button>
          <a href="/forgot-password">{t('forgot')}</a>
        </div>
      </form>
      <p>
        {t('noAccount')} <a href={`/register${query.next ? `?next=${encodeURIComponent(query.next)}` : ''}`}>{t('registerTitle')}</a>
      </p>
    </section>
  );
}
