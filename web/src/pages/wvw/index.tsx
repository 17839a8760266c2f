// WvW analytics: log upload and fight list (/wvw), fight report (/wvw/fights/:id), sessions
// and their top stats (/wvw/sessions, /wvw/sessions/:id), live match scoreboard (/wvw/live).
import { Route, Router, useLocation } from 'preact-iso';
import NotFound from '../not-found';
import { useT } from '../../i18n';
import { FightPage } from './fight';
import { Fights } from './fights';
import { Live } from './live-page';
import { messages } from './messages';
import { SessionPage } from './session-page';
import { Sessions } from './sessions';
import './wvw.css';

export default function Wvw() {
  return (
    <div class="wvw-area">
      <Tabs />
      <Router>
        <Route path="/" component={Fights} />
        <Route path="/fights/:id" component={FightPage} />
        <Route path="/sessions" component={Sessions} />
        <Route path="/sessions/:id" component={SessionPage} />
        <Route path="/live" component={Live} />
        <Route default component={NotFound} />
      </Router>
    </div>
  );
}

function Tabs() {
  const t = useT(messages);
  const { path } = useLocation();
  const tabs: [string, string, (p: string) => boolean][] = [
    ['/wvw', t('tabFights'), (p) => p === '/wvw' || p === '/wvw/' || p.startsWith('/wvw/fights')],
    ['/wvw/sessions', t('tabSessions'), (p) => p.startsWith('/wvw/sessions')],
    ['/wvw/live', t('tabLive'), (p) => p.startsWith('/wvw/live')],
  ];
  return (
    <nav class="wvw-tabs" aria-label={t('tabsLabel')}>
      <ul>
        {tabs.map(([href, label, on]) => (
          <li key={href}>
            <a href={href} aria-current={on(path) ? 'page' : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
