import { useLocation } from 'preact-iso';
import { api, unwrap } from '../../api/client';
import { reloadUser, user } from '../../api/session';
import { useAsync } from '../../components/async';
import { ErrorNotice } from '../../components/forms';
import { useTitle } from '../../components/widgets';
import { useT } from '../../i18n';
import { messages } from './messages';

/** The page the confirmation e-mail links to: posts the link's token once. */
export function Verify() {
  const t = useT(messages);
  useTitle(t('verifyTitle'));
  const { query } = useLocation();
  const token = query.token ?? '';
  const state = useAsync(async () => {
    if (!token) return false;
    await unwrap(api.POST('/api/v1/auth/verify-email', { body: { token } }));
    if (user.value) await reloadUser();
    return true;
  }, [token]);
  return (
    <section class="form">
      <h1>{t('verifyTitle')}</h1>
      {!token ? (
        <p role="alert" class="error">
          {t('verifyNoToken')}
        </p>
      ) : state.error !== undefined ? (
        <ErrorNotice error={state.error} />
      ) : state.data ? (
        <p role="status" class="ok">
          {t('verified')}
        </p>
      ) : (
        <p aria-busy="true">{t('verifying')}</p>
      )}
    </section>
  );
}
