// The interface's shell: language, session, navigation by role, the
// lost-connection banner and the router (#/view/param). Each view module
// exports render(main, params, ctx) and may return a cleanup function.
import { api, currentSession, saveSession, onConnection, onSessionEnd, retryNow } from './api.js';
import { h, replace } from './dom.js';
import { initI18n, t, setLanguage, languageList, language, onLanguageChange } from './i18n.js';
import * as login from './views/login.js';
import * as inspect from './views/inspect.js';
import * as referrals from './views/referrals.js';
import * as traveller from './views/traveller.js';
import * as watchlists from './views/watchlists.js';
import * as dashboard from './views/dashboard.js';
import * as admin from './views/admin.js';
import * as prearrival from './views/prearrival.js';
import * as flight from './views/flight.js';

// Who sees what in the menu; the server enforces the same matrix on every
// route, so a hidden link is convenience, not security.
const VIEWS = [
  { name: 'inspect', label: 'nav.inspect', mod: inspect, roles: ['officer', 'supervisor', 'admin'] },
  { name: 'referrals', label: 'nav.referrals', mod: referrals, roles: ['supervisor', 'admin'] },
  { name: 'watchlists', label: 'nav.watchlists', mod: watchlists, roles: ['analyst', 'admin'] },
  { name: 'dashboard', label: 'nav.dashboard', mod: dashboard, roles: ['supervisor', 'analyst', 'admin'] },
  { name: 'prearrival', label: 'nav.prearrival', mod: prearrival, roles: ['analyst', 'admin'] },
  { name: 'flight', label: null, mod: flight, roles: ['analyst', 'admin'] },
  { name: 'admin', label: 'nav.admin', mod: admin, roles: ['admin'] },
  { name: 'traveller', label: null, mod: traveller, roles: null },
  { name: 'login', label: null, mod: login, roles: null },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const conn = document.getElementById('conn');
const notice = document.getElementById('notice');
let cleanup = null;
let pendingNotice = null;

function role() {
  const s = currentSession();
  return s && s.role ? s.role : null;
}

function allowed(v) {
  const r = role();
  return !v.roles || !r || v.roles.includes(r);
}

export function homeFor(r) {
  if (r === 'analyst') return 'dashboard';
  if (r === 'admin') return 'admin';
  return 'inspect';
}

export function go(path) {
  if (location.hash === `#/${path}`) route();
  else location.hash = `#/${path}`;
}

export function say(text) {
  notice.textContent = text;
}

function parseHash() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  return { name: parts[0] || '', params: parts.slice(1) };
}

function renderChrome(active) {
  const s = currentSession();
  document.title = `kouan — ${active && active.label ? t(active.label) : t('app.title')}`;
  document.getElementById('skip').textContent = t('app.skip');
  document.getElementById('lang-label').textContent = t('app.language');
  nav.setAttribute('aria-label', t('nav.main'));
  const who = document.getElementById('who');
  const logout = document.getElementById('logout');
  if (s) {
    who.textContent = t('app.signed_in_as', { user: s.username, role: s.role ? t(`role.${s.role}`) : '' });
    logout.hidden = false;
    logout.textContent = t('app.logout');
    replace(nav, h('ul', null, VIEWS.filter((v) => v.label && allowed(v)).map((v) =>
      h('li', null, h('a', { href: `#/${v.name}`, 'aria-current': active === v ? 'page' : null }, t(v.label))))));
  } else {
    who.textContent = '';
    logout.hidden = true;
    replace(nav);
  }
}

function route() {
  const { name, params } = parseHash();
  const s = currentSession();
  if (!s && name !== 'login') {
    location.replace('#/login');
    return;
  }
  let view = VIEWS.find((v) => v.name === name);
  if (!view) {
    location.replace(`#/${s ? homeFor(s.role) : 'login'}`);
    return;
  }
  if (cleanup) { try { cleanup(); } catch { /* view already gone */ } cleanup = null; }
  renderChrome(view);
  if (pendingNotice) { say(pendingNotice); pendingNotice = null; } else say('');
  replace(main);
  const ctx = { go, say, role: role(), session: s, homeFor };
  const r = view.mod.render(main, params, ctx);
  Promise.resolve(r).then((fn) => { if (typeof fn === 'function') cleanup = fn; });
}

function setupLanguageSelect() {
  const sel = document.getElementById('lang');
  replace(sel, languageList().map((l) => h('option', { value: l.code, lang: l.locale || l.code }, l.name)));
  sel.value = language();
  sel.addEventListener('change', async () => {
    await setLanguage(sel.value);
  });
}

function setupConnection() {
  let timer = null;
  onConnection((state, retryInMs) => {
    clearInterval(timer);
    if (state === 'lost') {
      let left = Math.ceil(retryInMs / 1000);
      const draw = () => replace(conn,
        h('span', null, t('conn.lost', { seconds: left })),
        h('button', { type: 'button', class: 'secondary', onclick: () => retryNow() }, t('conn.retry_now')));
      draw();
      conn.hidden = false;
      timer = setInterval(() => { left = Math.max(0, left - 1); conn.firstChild.textContent = t('conn.lost', { seconds: left }); }, 1000);
    } else {
      conn.hidden = true;
      replace(conn);
      say(t('conn.restored'));
    }
  });
}

async function boot() {
  try {
    await initI18n();
  } catch (e) {
    replace(main, h('p', { class: 'error', role: 'alert' }, 'The interface could not load its language files. Reload the page.'));
    return;
  }
  setupLanguageSelect();
  setupConnection();
  onLanguageChange(() => { document.getElementById('lang').value = language(); route(); });
  onSessionEnd(() => { pendingNotice = t('login.expired'); go('login'); });
  document.getElementById('logout').addEventListener('click', async () => {
    api.logout().catch(() => { /* the token is dropped here either way */ });
    saveSession(null);
    pendingNotice = t('login.logged_out');
    go('login');
  });
  window.addEventListener('hashchange', route);
  route();
}

boot();
