// Message catalogues. Every string the interface shows comes from
// /i18n/<code>.json; /i18n/languages.json lists the languages, each in its
// own name, with its writing direction. A string missing from a catalogue
// falls back to English. Translators add a language by adding its file and
// one line to languages.json: no code changes.

const STORE_KEY = 'kouan.lang';
let languages = [];
let english = {};
let current = {};
let code = 'en';
const listeners = new Set();

async function load(path) {
  const res = await fetch(path, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

export async function initI18n() {
  [languages, english] = await Promise.all([load('/i18n/languages.json'),
                                            load('/i18n/en.json')]);
  let wanted = null;
  try { wanted = localStorage.getItem(STORE_KEY); } catch { /* storage off */ }
  if (!wanted) {
    for (const l of navigator.languages || []) {
      const m = languages.find((x) => l.toLowerCase().startsWith(x.match || x.code));
      if (m) { wanted = m.code; break; }
    }
  }
  await setLanguage(wanted || 'en', false);
}

export function languageList() { return languages; }
export function language() { return code; }
export function direction() {
  const l = languages.find((x) => x.code === code);
  return (l && l.dir) || 'ltr';
}
export function locale() {
  const l = languages.find((x) => x.code === code);
  return (l && l.locale) || code;
}

export async function setLanguage(next, persist = true) {
  if (!languages.some((x) => x.code === next)) next = 'en';
  current = next === 'en' ? english : await load(`/i18n/${next}.json`);
  code = next;
  document.documentElement.lang = locale();
  document.documentElement.dir = direction();
  if (persist) {
    try { localStorage.setItem(STORE_KEY, next); } catch { /* storage off */ }
  }
  for (const fn of listeners) fn(code);
}

export function onLanguageChange(fn) { listeners.add(fn); }

export function has(key) {
  return Object.prototype.hasOwnProperty.call(current, key) ||
         Object.prototype.hasOwnProperty.call(english, key);
}

// Unicode bidi isolates (FSI ... PDI): a value set into a sentence keeps
// its own direction and cannot reorder the words around it (an Arabic
// sentence around a Latin username and a date, a Latin one around an
// Arabic name). In a left-to-right page a value without a right-to-left
// letter cannot reorder anything: it is left as it is, so that a username
// or a figure copied from the page is only itself.
const FSI = '\u2068';
const PDI = '\u2069';
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;
export function isolate(v) {
  const s = String(v);
  if (s === '' || (direction() !== 'rtl' && !RTL.test(s))) return s;
  return `${FSI}${s}${PDI}`;
}

// t('inspect.recorded', {name: 'ERIKSSON'}) — {name} placeholders, each
// value isolated.
export function t(key, vars) {
  let str = current[key];
  if (str === undefined) str = english[key];
  if (str === undefined) return key;
  if (vars) {
    str = str.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : isolate(vars[k])));
  }
  return str;
}

export function fmtNumber(n, opts) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return new Intl.NumberFormat(locale(), opts).format(n);
}

export function fmtPercent(x) {
  return fmtNumber(x, { style: 'percent', maximumFractionDigits: 1 });
}

function asDate(v) {
  if (v === null || v === undefined || v === '') return null;
  const d = typeof v === 'number' ? new Date(v > 1e12 ? v : v * 1000) : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function fmtDateTime(v) {
  const d = asDate(v);
  if (!d) return v ? String(v) : '—';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function fmtDay(v) {
  const d = asDate(v);
  if (!d) return v ? String(v) : '—';
  return new Intl.DateTimeFormat(locale(), { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(d);
}
