// The shell: skip link, header with navigation, language and account menus, the routed
// <main>, and the footer. Each area of the product is a lazily loaded chunk (its own
// router under a path prefix), so the first load only carries the shell and the page shown.
import { ErrorBoundary, LocationProvider, Route, Router, lazy, useLocation } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';
import { logout, sessionChecked, user } from './api/session';
import { LANGS, lang, setLang, useT, type Lang } from './i18n';
import { common } from './i18n/common';

const Home = lazy(() => import('./pages/home'));
const account = () => import('./pages/account');
const Login = lazy(() => account().then((m) => m.Login));
const Register = lazy(() => account().then((m) => m.Register));
const Verify = lazy(() => account().then((m) => m.Verify));
const Forgot = lazy(() => account().then((m) => m.Forgot));
const Reset = lazy(() => account().then((m) => m.Reset));
const Profile = lazy(() => account().then((m) => m.Profile));
const Builds = lazy(() => import('./pages/builds'));
const Gear = lazy(() => import('./pages/gear'));
const Squads = lazy(() => import('./pages/squads'));
const Commander = lazy(() => import('./pages/commander'));
const Wvw = lazy(() => import('./pages/wvw'));
const Meta = lazy(() => import('./pages/meta'));
const Adviser = lazy(() => import('./pages/adviser'));
const NotFound = lazy(() => import('./pages/not-found'));

export function App() {
  return (
    <LocationProvider>
      <Shell />
    </LocationProvider>
  );
}

function Shell() {
  const t = useT(common);
  const main = useRef<HTMLElement>(null);
  const { path } = useLocation();
  const first = useRef(true);
  // Moves focus to the new page's content after a navigation (screen readers announce it).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }, [path]);
  return (
    <>
      <a class="skip" href="#content">
        {t('skipToContent')}
      </a>
      <Header />
      <main id="content" ref={main} tabIndex={-1}>
        <ErrorBoundary>
          <Router>
            <Route path="/" component={Home} />
            <Route path="/login" component={Login} />
            <Route path="/register" component={Register} />
            <Route path="/verify-email" component={Verify} />
            <Route path="/forgot-password" component={Forgot} />
            <Route path="/reset-password" component={Reset} />
            <Route path="/profile" component={Profile} />
            <Route path="/builds/*" component={Builds} />
            <Route path="/builds" component={Builds} />
            <Route path="/gear/*" component={Gear} />
            <Route path="/gear" component={Gear} />
            <Route path="/squads/*" component={Squads} />
            <Route path="/squads" component={Squads} />
            <Route path="/commander" component={Commander} />
            <Route path="/wvw/*" component={Wvw} />
            <Route path="/wvw" component={Wvw} />
            <Route path="/meta" component={Meta} />
            <Route path="/adviser" component={Adviser} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </main>
      <footer class="footer">
        <span>GW2Optimizer</span>
        <a href="/docs">API</a>
      </footer>
    </>
  );
}

function Header() {
  const t = useT(common);
  const { path, route } = useLocation();
  const links: [string, string][] = [
    ['/builds', t('navBuilds')],
    ['/gear', t('navGear')],
    ['/squads', t('navSquads')],
    ['/commander', t('navCommander')],
    ['/wvw', t('navWvw')],
    ['/meta', t('navMeta')],
    ['/adviser', t('navAdviser')],
  ];
  const [menuOpen, setMenuOpen] = useState(false);
  const account = useRef<HTMLDetailsElement>(null);
  // A navigation closes the menus.
  useEffect(() => {
    setMenuOpen(false);
    if (account.current) account.current.open = false;
  }, [path]);
  const current = (href: string) => path === href || path.startsWith(`${href}/`);
  return (
    <header class="header">
      <a class="brand" href="/">
        <img src="/favicon.svg" alt="" width="28" height="28" />
        <span>GW2Optimizer</span>
      </a>
      <button
        type="button"
        class="menu-toggle secondary"
        aria-expanded={menuOpen}
        aria-controls="main-nav"
        onClick={() => setMenuOpen(!menuOpen)}
      >
        {t('navMenu')}
      </button>
      <nav id="main-nav" class={menuOpen ? 'nav open' : 'nav'} aria-label={t('navMain')}>
        <ul>
            {links.map(([href, label]) => (
              <li key={href}>
                <a href={href} aria-current={current(href) ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      <div class="header-tools">
        <label class="lang">
          <span class="visually-hidden">{t('language')}</span>
          <select value={lang.value} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
            {LANGS.map((l) => (
              <option key={l} value={l}>
                {l === 'en' ? 'English' : 'Français'}
              </option>
            ))}
          </select>
        </label>
        {user.value ? (
          <details class="account-menu" ref={account}>
            <summary>{user.value.username}</summary>
            <ul>
              <li>
                <a href="/profile">{t('profile')}</a>
              </li>
              <li>
                <a href="/builds/mine">{t('myBuilds')}</a>
              </li>
              <li>
                <a href="/builds/saved">{t('savedBuilds')}</a>
              </li>
              <li>
                <button type="button" class="link" onClick={() => void logout().then(() => route('/'))}>
                  {t('logout')}
                </button>
              </li>
            </ul>
          </details>
        ) : (
          sessionChecked.value && (
            <span class="auth-links">
              <a href="/login">{t('login')}</a>
              <a class="button" href="/register">
                {t('register')}
              </a>
            </span>
          )
        )}
      </div>
    </header>
  );
}
