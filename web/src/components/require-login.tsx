// Pages that need an account show a log-in link instead of their content until the
// session check has answered and found a user.
import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { sessionChecked, user } from '../api/session';
import { common } from '../i18n/common';
import { useT } from '../i18n';

export function RequireLogin({ children }: { children: () => ComponentChildren }) {
  const t = useT(common);
  const { url } = useLocation();
  if (user.value) return <>{children()}</>;
  if (!sessionChecked.value) return <p aria-busy="true" class="muted">{t('loading')}</p>;
  return (
    <p>
      {t('signInRequired')} <a href={`/login?next=${encodeURIComponent(url)}`}>{t('login')}</a>
    </p>
  );
}
