// Pieces several pages share: document fields, crossing tables, the
// generic rendering of a hit's explanation, loading and error states.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { errorBox, fieldLabel } from '../errors.js';
import { t, has, fmtDateTime, fmtNumber, fmtPercent } from '../i18n.js';

export const DOC_FIELDS = ['surname', 'given_names', 'document_number', 'document_code', 'issuing_state',
  'nationality', 'date_of_birth', 'sex', 'date_of_expiry', 'personal_number', 'optional_data_1',
  'optional_data_2'];

// YYMMDD from the MRZ → YYYY-MM-DD. Births take the latest century that is
// not in the future; expiries are this century.
export function mrzDate(v, kind) {
  if (typeof v !== 'string' || !/^\d{6}$/.test(v)) return v;
  const yy = Number(v.slice(0, 2));
  const now = new Date().getUTCFullYear() % 100;
  const century = kind === 'birth' ? (yy > now ? 1900 : 2000) : 2000;
  return `${century + yy}-${v.slice(2, 4)}-${v.slice(4, 6)}`;
}

// Names the store uses for a document's columns, mapped to the MRZ's.
const ALIASES = { number: 'document_number', doc_type: 'document_code', type: 'document_code',
  expiry: 'date_of_expiry', birth: 'date_of_birth', state: 'issuing_state' };

export function docFields(doc) {
  if (!doc) return [];
  const f = { ...(doc.fields || doc) };
  for (const [a, k] of Object.entries(ALIASES)) if (f[k] === undefined && f[a] !== undefined) f[k] = f[a];
  const out = [];
  for (const k of DOC_FIELDS) {
    let v = f[k];
    if (v === undefined || v === null || v === '') continue;
    if (k === 'date_of_birth') v = f.date_of_birth_full || doc.date_of_birth_full || mrzDate(v, 'birth');
    if (k === 'date_of_expiry') v = f.date_of_expiry_full || doc.date_of_expiry_full || mrzDate(v, 'expiry');
    out.push([k, v]);
  }
  if (doc.format) out.push(['format', doc.format]);
  return out;
}

export function fieldList(pairs) {
  return h('dl', { class: 'fields' }, pairs.map(([k, v]) => [
    h('dt', null, fieldLabel(k)), h('dd', { class: k.startsWith('document_number') ? 'mono' : null },
      h('bdi', null, String(v)))]));
}

export function personName(x) {
  if (!x) return '';
  if (x.name && typeof x.name === 'string') return x.name;
  const sn = x.surname || (x.fields && x.fields.surname) || '';
  const gn = x.given_names || (x.fields && x.fields.given_names) || '';
  return [sn, gn].filter(Boolean).join(', ');
}

export function decisionLabel(d) {
  return has(`decision.${d}`) ? t(`decision.${d}`) : (d || '—');
}

export function directionLabel(d) {
  return has(`direction.${d}`) ? t(`direction.${d}`) : (d || '—');
}

const officerOf = (c) => c.officer || c.officer_username || c.officer_name || '';

export function crossingsTable(list, options = {}) {
  if (!list || !list.length) return h('p', { class: 'muted' }, t('crossings.none'));
  // The officer column only when the server names them (not by internal id).
  const opts = { ...options, officer: options.officer && list.some((c) => officerOf(c)) };
  return h('table', null,
    h('caption', { class: 'visually-hidden' }, opts.caption || t('crossings.title')),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('crossings.time')),
      h('th', { scope: 'col' }, t('crossings.port')),
      h('th', { scope: 'col' }, t('crossings.direction')),
      h('th', { scope: 'col' }, t('crossings.decision')),
      opts.officer ? h('th', { scope: 'col' }, t('crossings.officer')) : null)),
    h('tbody', null, list.map((c) => h('tr', null,
      h('td', null, fmtDateTime(c.time || c.created_at || c.at)),
      h('td', null, c.port || '—'),
      h('td', null, directionLabel(c.direction)),
      h('td', null, decisionLabel(c.decision)),
      opts.officer ? h('td', null, officerOf(c) || '—') : null))));
}

// Sort newest first, whatever the field is called.
export function newestFirst(list) {
  const key = (c) => String(c.time || c.created_at || c.at || c.id || '');
  return [...(list || [])].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
}

export function scoreText(score) {
  if (typeof score !== 'number') return '';
  return score <= 1 ? fmtPercent(score) : fmtNumber(score);
}

// A hit's explanation can be a sentence, a list, or an object naming which
// parts matched; each is shown in words, labelled from the catalogue.
export function explain(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return h('bdi', null, v);
  if (typeof v === 'number') return h('span', null, v <= 1 && v > 0 && !Number.isInteger(v) ? fmtPercent(v) : fmtNumber(v));
  if (typeof v === 'boolean') return h('span', null, v ? t('common.yes') : t('common.no'));
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x === null)) return h('bdi', null, v.join(', '));
    return h('ul', null, v.map((x) => h('li', null, explain(x))));
  }
  return h('dl', { class: 'fields' }, Object.entries(v).map(([k, x]) => [
    h('dt', null, fieldLabel(k)), h('dd', null, explain(x))]));
}

// An earlier finding that the listed entity is not this traveller: in
// force (the hit does not refer), or given for an earlier version of the
// entry (the entry has changed since, so the hit counts again).
function clearedNote(c) {
  const who = { by: c.by || '—', time: fmtDateTime(c.time) };
  return h('div', { class: c.applies ? 'cleared' : 'cleared cleared-stale' },
    h('strong', null, t(c.applies ? 'hits.cleared' : 'hits.cleared_stale')), ' ',
    t('hits.cleared_by', who), c.note ? [' — ', h('q', { dir: 'auto' }, c.note)] : null);
}

// The listed entity as the loaded list holds it: every name in its script,
// the dates of birth as precise as listed, nationalities, gender and
// documents — what an officer compares with the traveller and the document.
// Each value isolated in a <bdi>, never a list item turned around: the
// bullets stay on the page's side whatever the script of a name.
function entryFields(e) {
  const none = '—';
  const docs = (e.documents || []).map((d) => [d.type, d.number, d.issuing_country, d.status]
    .filter(Boolean).join(' '));
  const rows = [
    ['entry.names', h('ul', { class: 'entry-names' }, (e.names || []).map((n) => h('li', null, h('bdi', null, n.name),
      n.low_quality ? [' ', h('span', { class: 'tag' }, t('entry.low_quality'))] : null)))],
    ['entry.dates_of_birth', (e.dates_of_birth || []).map((d) => h('bdi', null, d)).flatMap((x, i) => (i ? [', ', x] : [x]))],
    ['entry.nationalities', (e.nationalities || []).join(', ') || none],
    ['entry.gender', e.gender ? t(`entry.gender.${e.gender}`) : none],
    ['entry.documents', docs.length ? h('ul', null, docs.map((d) => h('li', null, h('bdi', { class: 'mono' }, d)))) : none],
    ['entry.place_of_birth', e.place_of_birth ? h('bdi', null, e.place_of_birth) : none],
    ['entry.addresses', e.addresses ? h('bdi', null, e.addresses) : none],
    ['entry.listed_on', e.listed_on || none],
    ['entry.remarks', e.remarks ? h('bdi', null, e.remarks) : none],
    ['entry.list', h('bdi', null, [e.list, e.list_version].filter(Boolean).join(' '))],
  ];
  return h('dl', { class: 'fields entry' }, rows.map(([k, v]) => [h('dt', null, t(k)),
    h('dd', null, Array.isArray(v) && !v.length ? none : v)]));
}

// A disclosure that reads the listed entity when first opened.
function entryDisclosure(list, entityId) {
  const body = h('div', null);
  const box = h('details', { class: 'entry' }, h('summary', null, t('entry.show')), body);
  let state = 'idle';
  box.addEventListener('toggle', async () => {
    if (!box.open || state !== 'idle') return;
    state = 'loading';
    replace(body, loading());
    try {
      replace(body, entryFields(await api.watchlistEntry(list, entityId)));
      state = 'done';
    } catch (err) {
      replace(body, failure(err));
      state = 'idle';
    }
  });
  return box;
}

// A hit: who on which list, how strong, and why — each reason of the
// screening engine ({kind, detail, weight}) as a line that says whether it
// speaks for the match (+), against it (−), or neither (·: weight 0, told
// but not weighed, as a document's status or issuer, or the person's date
// of birth beside a document hit).
export function hitCard(hit, headingLevel = 'h3') {
  const name = hit.name || personName(hit.entry) || personName(hit) || hit.entity_id || hit.entry_id || t('hits.unnamed');
  const list = hit.list || hit.watchlist || (hit.entry && hit.entry.list);
  const reasons = Array.isArray(hit.explain) ? hit.explain : null;
  const rest = { ...hit };
  for (const k of ['name', 'list', 'watchlist', 'score', 'explanation', 'explain', 'entry', 'is_document',
    'check', 'entry_version', 'cleared']) delete rest[k];
  if (!rest.matched_name || rest.matched_name === name) delete rest.matched_name;
  const cleared = hit.cleared && hit.cleared.applies;
  return h('article', { class: cleared ? 'hit hit-cleared' : 'hit' },
    h(headingLevel, null, h('bdi', null, name), ' ',
      list ? h('span', { class: 'tag' }, list) : null, ' ',
      typeof hit.score === 'number' ? h('span', { class: 'score' }, t('hits.score', { score: scoreText(hit.score) })) : null),
    reasons ? h('div', null, h('strong', null, t('hits.why')),
      h('ul', { class: 'reasons' }, reasons.map((r) => {
        const way = typeof r.weight !== 'number' || r.weight > 0 ? 'for'
          : r.weight < 0 ? 'against' : 'neutral';
        return h('li', null,
          h('span', { class: way }, { for: '+ ', against: '− ', neutral: '· ' }[way],
            h('span', { class: 'visually-hidden' }, t(`hits.${way}`))),
          h('strong', null, has(`explain.${r.kind}`) ? t(`explain.${r.kind}`) : String(r.kind || '').replace(/_/g, ' ')),
          r.detail ? [': ', h('bdi', null, r.detail)] : '');
      }))) : null,
    hit.explanation !== undefined ? h('div', null, h('strong', null, t('hits.why')), ' ', explain(hit.explanation)) : null,
    Object.keys(rest).length ? explain(rest) : null,
    hit.cleared ? clearedNote(hit.cleared) : null,
    list && hit.entity_id ? entryDisclosure(list, hit.entity_id) : null);
}

export function loading() {
  return h('p', { class: 'muted', 'aria-busy': 'true' }, t('common.loading'));
}

export function failure(err) {
  return errorBox(err);
}

export function today() {
  return new Date().toISOString().slice(0, 10);
}

export function daysAgo(n) {
  return new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
}
