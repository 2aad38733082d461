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

export function describe(err) {
  if (!(err instanceof ApiError)) return t('error.unexpected');
  let key = 'error.generic';
  if (err.code && has(`error.${err.code}`)) key = `error.${err.code}`;
  else if (has(`error.http_${err.status}`)) key = `error.http_${err.status}`;
  let msg = t(key, { status: err.status });
  if (err.status === 429 && err.retryAfter) msg += ` ${t('error.retry_after', { seconds: err.retryAfter })}`;
  if (err.field) msg += ` ${t('error.field', { field: fieldLabel(err.field) })}`;
  return msg;
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
export function errorBox(err, extra) {
  let diags = diagnostics(err);
  if (extra && extra.length) diags = diags.filter((d) => d.code !== 'format');
  const items = [...(extra || []), ...diags.map(diagSentence)];
  return h('div', { class: 'error', role: 'alert' },
    h('p', { class: 'flush' }, describe(err)),
    items.length ? h('ul', null, items.map((x) => h('li', null, x))) : null);
}
