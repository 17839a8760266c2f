import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client';
import { login } from '../../api/session';
import { ErrorNotice, Field, fieldError } from '../../components/forms';
import { useTitle } from '../../components/widgets';
import { useT } from '../../i18n';
import { safeNext } from './login';
import { messages } from './messages';

export function Register() {
  const t = useT(messages);
  useTitle(t('registerTitle'));
  const { query, route } = useLocation();
  const [form, setForm] = useState({ email: '', username: '', full_name: '', password: '', confirm: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });
  const mismatch = form.confirm !== '' && form.confirm !== form.password;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(
        api.POST('/api/v1/auth/register', {
          body: {
            email: form.email.trim(),
            username: form.username.trim(),
            password: form.password,
            full_name: form.full_name.trim() || null,
          },
        }),
      );
      await login(form.username.trim(), form.password);
      route(safeNext(query.next), true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const general = error && !['email', 'username', 'password', 'full_name'].some((f) => fieldError(error, f)) ? error : null;
  return (
    <section class="form">
      <h1>{t('registerTitle')}</h1>
      <form onSubmit={submit} noValidate>
        <Field label={t('email')} type="email" value={form.email} onInput={set('email')} autocomplete="email" required error={fieldError(error, 'email')} />
        <Field
          label={t('usernameOnly')}
          value={form.username}
          onInput={set('username')}
          autocomplete="username"
          required
          hint={t('usernameHint')}
          error={fieldError(error, 'username')}
        />
        <Field label={t('fullName')} value={form.full_name} onInput={set('full_name')} autocomplete="name" error={fieldError(error, 'full_name')} />
        <Field
          label={t('password')}
          type="password"
          value={form.password}
          onInput={set('password')}
          autocomplete="new-password"
          required
          hint={t('passwordHint')}
          error={fieldError(error, 'password')}
        />
        <Field
          label={t('confirmPassword')}
          type="password"
          value={form.confirm}
          onInput={set('confirm')}
          autocomplete="new-password"
          required
          error={mismatch ? t('passwordsDiffer') : undefined}
        />
        <ErrorNotice error={general} />
        <div class="actions">
          <button type="submit" disabled={busy || mismatch}>
            {t('submitRegister')}
          </button>
        </div>
      </form>
      <p>
        {t('haveAccount')} <a href="/login">{t('loginTitle')}</a>
      </p>
    </section>
  );
}
