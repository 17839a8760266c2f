// /builds/mine: the signed-in user's builds, private ones included, newest first.
import { useLocation } from 'preact-iso';
import { user, type User } from '../../api/session';
import { Loaded, useAsync } from '../../components/async';
import { RequireLogin } from '../../components/require-login';
import { Pager, useTitle } from '../../components/widgets';
import { useT } from '../../i18n';
import * as buildsApi from './api';
import { NO_FILTERS, filtersFromQuery, pageCount, toApiQuery } from './filters';
import { messages } from './messages';
import { useNames } from './names';
import { BuildCard } from './widgets';

export function MyBuilds() {
  const t = useT(messages);
  useTitle(t('mineTitle'));
  return (
    <section>
      <div class="page-head">
        <h1>{t('mineTitle')}</h1>
        <a class="button" href="/builds/new">
          {t('newBuild')}
        </a>
      </div>
      <RequireLogin>{() => user.value && <Mine me={user.value} />}</RequireLogin>
    </section>
  );
}

function Mine({ me }: { me: User }) {
  const t = useT(messages);
  const { query, route } = useLocation();
  const page = filtersFromQuery({ page: query.page }).page;
  const names = useNames();
  const list = useAsync(
    () => buildsApi.listBuilds(toApiQuery({ ...NO_FILTERS, author: me.username, page })),
    [me.username, page],
  );
  return (
    <Loaded state={names}>
      {(n) => (
        <Loaded state={list}>
          {(data) =>
            data.items.length === 0 && page === 1 ? (
              <div class="card empty">
                <p>{t('mineEmpty')}</p>
                <a class="button" href="/builds/new">
                  {t('createFirst')}
                </a>
              </div>
            ) : (
              <>
                <p role="status" class="muted">
                  {data.total === 1 ? t('oneResult') : t('results', { n: data.total })}
                </p>
                <div class="grid build-list">
                  {data.items.map((b) => (
                    <BuildCard key={b.id} build={b} names={n} showVisibility />
                  ))}
                </div>
                <Pager
                  page={page}
                  pages={pageCount(data.total)}
                  onPage={(p) => route(p > 1 ? `/builds/mine?page=${p}` : '/builds/mine')}
                />
              </>
            )
          }
        </Loaded>
      )}
    </Loaded>
  );
}
