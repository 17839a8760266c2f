import { render } from 'preact';
import { App } from './app';
import { followLanguage } from './game/data';
import { lang } from './i18n';
import { refresh } from './api/session';
import './styles.css';

document.documentElement.lang = lang.value;
followLanguage();
// Restores the session from the refresh cookie (if any) before pages ask who is signed in.
void refresh();

const root = document.getElementById('app');
if (root) render(<App />, root);
// The moment the shell is on screen and its handlers attached (read by e2e/ui/first-load).
performance.mark('gw2opt:interactive');
