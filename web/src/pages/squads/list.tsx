import { useState } from 'preact/hooks';
import { sessionChecked, user } from '../../api/session';
import { Loaded, useAsync } from '../../components/async';
import { Pager, useTitle } from '../../components/widgets';
import { formatNumber, useT } from '../../i18n';
import { messages } from './messages';
import { modeNames, named } from './names';
import { listTeams } from './remote';

const PAGE = 20;

export function TeamList() {
  const t = useT(messages);
  const m = useT(modeNames);
  useTitle(t('listTitle'));
  const [page, setPage] = useState(1);
  const me = user.value?.username ?? null;
  const checked = sessionChecked.value;
  const state = useAsync(
    () => (checked ? listTeams((page - 1) * PAGE, PAGE) : new Promise<Awaited<ReturnType<typeof listTeams>>>(() => undefined)),
    [page, me, checked],
  );
  return (
    <section>
      <h1>{t('listTitle')}</h1>
      <p>{t('listIntro')}</p>
      <p>
        <a class="button" href="/squads/new">
          {t('newSquad')}
        </a>
      </p>
      <h2>{t('teamsTitle')}</h2>
      <Loaded state={state}>
        {(data) =>
          data.items.length === 0 ? (
            <p class="muted">{t('noTeams')}</p>
          ) : (
            <>
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('colName')}</th>
                      <th scope="col">{t('colAuthor')}</th>
                      <th scope="col">{t('colMode')}</th>
                      <th scope="col">{t('colVisibility')}</th>
                      <th scope="col" class="num">
                        {t('colHealing')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((team) => (
                      <tr key={team.id}>
                        <td>
                          <a href={`/squads/${team.id}`}>{team.name}</a>
                        </td>
                        <td>
                          {team.author} {me === team.author && <span class="badge">{t('yours')}</span>}
                        </td>
                        <td>{named(m, modeNames, team.game_mode)}</td>
                        <td>{team.is_public ? t('public') : t('private')}</td>
                        <td class="num">{team.total_healing == null ? '—' : formatNumber(team.total_healing)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager page={page} pages={Math.max(1, Math.ceil(data.total / PAGE))} onPage={setPage} />
            </>
          )
        }
      </Loaded>
    </section>
  );
}
