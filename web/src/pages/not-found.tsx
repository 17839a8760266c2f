import { useTitle } from '../components/widgets';
import { useT } from '../i18n';
import { common } from '../i18n/common';

export default function NotFound() {
  const t = useT(common);
  useTitle(t('notFoundTitle'));
  return (
    <section>
      <h1>{t('notFoundTitle')}</h1>
      <p>{t('notFoundBody')}</p>
      <a href="/">{t('backHome')}</a>
    </section>
  );
}
