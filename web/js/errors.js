// API errors as sentences in the reader's language. The server's English
// message is never shown as is when the catalogue knows the error's code;
// the code itself is never shown.
import { ApiError } from './api.js';
import { h } from './dom.js';
import { t, has } from './i18n.js';

export function fieldLabel(name) {
  if (!name) return '';
  return has(`field.${name}`) ? t(`field.${name}`) : String(name).replace(/_/g, ' ');
}

// own: the page's sentence for an error code it knows better than the
// catalogue's general one ({format: 'watchlists.upload_format'}).
export function describe(err, own) {
  if (!(err instanceof ApiError)) return t('error.unexpected');
  let key = 'error.generic';
  if (err.code && own && own[err.code]) key = own[err.code];
  else if (err.code && has(`error.${err.code}`)) key = `error.${err.code}`;
  else if (has(`error.http_${err.status}`)) key = `error.http_${err.status}`;
  let msg = t(key, { status: err.status });
  if (err.status === 429 && err.retryAfter) msg += ` ${t('error.retry_after', { seconds: err.retryAfter })}`;
  if (err.field) msg += ` ${t('error.field', { field: fieldLabel(err.field) })}`;
  return msg;
}

// What only the server can say about what was sent (the line of a list
// file it could not read, why an entry or a decision is refused): its own
// words, in English, for a refusal of the request's content (400, 409, 413,
// 415, 422). Not for a session, a role, a missing record or a server fault,
// which the catalogue's sentence says whole.
const SERVER_SAYS = new Set([400, 409, 413, 415, 422]);
export function serverWords(err) {
  if (!(err instanceof ApiError) || !SERVER_SAYS.has(err.status)) return null;
  const m = err.body && err.body.error && err.body.error.message;
  return typeof m === 'string' && m.trim() ? m : null;
}

// An error as a paragraph: the sentence in the reader's language, then the
// server's words when they say more.
export function errorLine(err, own, tag = 'p') {
  const words = serverWords(err);
  return h(tag, { class: 'error', role: 'alert' }, describe(err, own),
    words ? [h('br'), h('span', { class: 'server-words', lang: 'en', dir: 'ltr' }, words)] : null);
}

// Per-field diagnostics a parser returned with its 400 (the MRZ reader's),
// in whichever of the usual places the body carries them.
export function diagnostics(err) {
  const b = (err && err.body) || {};
  const e = b.error || {};
  const list = e.diagnostics || e.details || (e.document && e.document.errors) ||
               b.diagnostics || b.errors || (b.document && b.document.errors) || [];
  return Array.isArray(list) ? list : [];
}

export function diagSentence(d) {
  if (typeof d === 'string') return d;
  const where = d.line ? t('mrz.where', { line: d.line, col: (d.start ?? 0) + 1 }) : '';
  // Check digits: the figures, from the fields or from the reader's message
  // ("... is '7', expected '6'").
  let { expected, found } = d;
  if (!expected && typeof d.message === 'string') {
    const m = d.message.match(/'(.)',? expected '(.)'/);
    if (m) [, found, expected] = m;
  }
  let msg;
  if (d.code && has(`mrz.${d.code}`)) {
    msg = t(`mrz.${d.code}`, { field: fieldLabel(d.field) });
    if (expected) msg += ` ${t('mrz.digits', { found: found ?? '', expected })}`;
  } else {
    msg = d.message || d.code || '';
  }
  return where ? `${msg} ${where}` : msg;
}

// extra: sentences the page adds (e.g. the line lengths it read), shown
// first; a "format" diagnostic is then left out, as the extra says more.
// own: as describe's. With no diagnostic to list, the server's own words
// when they say more (serverWords).
export function errorBox(err, extra, own) {
  let diags = diagnostics(err);
  if (extra && extra.length) diags = diags.filter((d) => d.code !== 'format');
  const items = [...(extra || []), ...diags.map(diagSentence)];
  const words = items.length ? null : serverWords(err);
  return h('div', { class: 'error', role: 'alert' },
    h('p', { class: 'flush' }, describe(err, own),
      words ? [h('br'), h('span', { class: 'server-words', lang: 'en', dir: 'ltr' }, words)] : null),
    items.length ? h('ul', null, items.map((x) => h('li', null, h('bdi', null, x)))) : null);
}
