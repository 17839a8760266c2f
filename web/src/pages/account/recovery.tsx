import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { ErrorNotice, Field, fieldError } from '../../components/forms';
import { useTitle } from '../../components/widgets';
import { useT } from '../../i18n';
import { messages } from './messages';

export function Forgot() {
  const t = useT(messages);
  useTitle(t('forgotTitle'));
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await unwrap(api.POST('/api/v1/auth/forgot-password', { body: { email: email.trim() } }));
      setSent(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section class="form">
      <h1>{t('forgotTitle')}</h1>
      <p>{t('forgotIntro')}</p>
      {sent ? (
        <p role="status" class="ok">
          {t('forgotSent')}
        </p>
      ) : (
        <form onSubmit={submit}>
          <Field label={t('email')} type="email" value={email} onInput={setEmail} autocomplete="email" required error={fieldError(error, 'email')} />
          <ErrorNotice error={fieldError(error, 'email') ? null : error} />
          <button type="submit">{t('sendLink')}</button>
        </form>
      )}
    </section>
  );
}

export function Reset() {
  const t = useT(messages);
  useTitle(t('resetTitle'));
  const { query } = useLocation();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const mismatch = confirm !== '' && confirm !== password;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (mismatch) return;
    setError(null);
    try {
      await unwrap(api.POST('/api/v1/auth/reset-password', { body: { token: query.token ?? '', new_password: password } }));
      setDone(true);
    } catch (err) {
      setError(err);
    }
  };
  if (!query.token) {
    return (
      <section class="form">
        <h1>{t('resetTitle')}</h1>
        <p role="alert" class="error">
          {t('verifyNoToken')}
        </p>
      </section>
    );
  }
  return (
    <section class="form">
      <h1>{t('resetTitle')}</h1>
      {done ? (
        <p role="status" class="ok">
          {t('resetDone')} <a href="/login">{t('loginTitle')}</a>
        </p>
      ) : (
        <form onSubmit={submit}>
          <Field
            label={t('newPassword')}
            type="password"
            value={password}
            onInput={setPassword}
            autocomplete="new-password"
            required
            hint={t('passwordHint')}
            error={fieldError(error, 'new_password')}
          />
          <Field
            label={t('confirmPassword')}
            type="password"
            value={confirm}
            onInput={setConfirm}
            autocomplete="new-password"
            required
            error={mismatch ? t('passwordsDiffer') : undefined}
          />
          <ErrorNotice error={fieldError(error, 'new_password') ? null : error} />
          <button type="submit" disabled={mismatch}>
            {t('resetTitle')}
          </button>
        </form>
      )}
    </section>
  );
}
