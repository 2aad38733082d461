// One flight before arrival: its route and times, the alerts (each traveller
// with a hit, the hit's list, score and explanation, and the airline
// message it came from), the whole manifest as it stands, then every
// airline message about the flight with what it did (full list, change,
// cancellation...) and whether it is still in force. #/flight/<id>
import { request } from '../api.js';
import { h, replace } from '../dom.js';
import { t, fmtNumber, fmtDateTime } from '../i18n.js';
import { loading, failure, hitCard } from './common.js';
import { fieldLabel } from '../errors.js';

export function route(f) {
  const dep = (f.departure && f.departure.airport) || '?';
  const arr = (f.arrival && f.arrival.airport) || '?';
  return `${dep} → ${arr}`;
}

// A definition list; keys with a dot are this page's own strings, others
// the document field names the other pages use.
function facts(pairs) {
  return h('dl', { class: 'fields' }, pairs.map(([k, v]) => [
    h('dt', null, k.includes('.') ? t(k) : fieldLabel(k)),
    h('dd', { class: k === 'prearrival.documents' || k === 'prearrival.message' ? 'mono' : null },
      h('bdi', null, String(v)))]));
}

function personLabel(p) {
  const name = [p.surname, p.given_names].filter(Boolean).join(', ');
  return name || t('hits.unnamed');
}

function roleLabel(r) {
  return t(`prearrival.role.${r === 'crew' || r === 'transit' ? r : 'passenger'}`);
}

function docText(d) {
  if (!d) return '—';
  return [d.type, d.number, d.issuing_country].filter(Boolean).join(' ');
}

// Every document the person travels on (a visa beside the passport), or
// the first when only that one is given.
function docsText(p) {
  const all = Array.isArray(p.documents) && p.documents.length ? p.documents : [p.document];
  return all.map(docText).join(' · ');
}

// The hit as the screening pages show it (the check and document are said
// above it).
function hitOnly(x) {
  const { check, document, found_by, updated_by, withdrawn_by, name_source, ...rest } = x;
  return rest;
}

function bookedName(p) {
  return [p.booked_surname, p.booked_given_names].filter(Boolean).join(', ');
}

// A PNR passenger is screened under the passport's name and the booking's:
// a hit only the booking's name found says so.
function nameSource(x, p) {
  if (x.name_source !== 'booking') return null;
  return h('p', { class: 'muted' }, t('prearrival.name_source.booking', { name: bookedName(p) }));
}

// Hits still standing: a hit withdrawn by a list update (its entry
// removed, or changed so that the traveller no longer matches) is shown but
// no longer counts.
function standing(p) {
  return (p.hits || []).filter((x) => !x.withdrawn_by);
}

// Hits that need an officer: standing, and not cleared earlier by a
// supervisor as not this traveller (for the entry as it is now).
function openHits(p) {
  return standing(p).filter((x) => !(x.cleared && x.cleared.applies));
}

function withdrawnBy(x) {
  const w = x.withdrawn_by;
  if (!w) return null;
  const key = { changed: 'prearrival.withdrawn.changed', retired: 'prearrival.withdrawn.retired' }[w.reason]
    || 'prearrival.withdrawn.removed';
  return h('p', { class: 'withdrawn-by' }, t(key, { list: w.list, version: String(w.version), time: fmtDateTime(w.time) }));
}

// A hit found when a list changed after the airline's message: which list
// version found it, and when.
function foundBy(x) {
  const f = x.found_by;
  if (!f) return null;
  return h('p', { class: 'found-by' }, t('prearrival.found_by',
    { list: f.list, version: String(f.version), time: fmtDateTime(f.time) }));
}

// A hit updated because its entry changed after the airline's message.
function updatedBy(x) {
  const u = x.updated_by;
  if (!u) return null;
  return h('p', { class: 'found-by' }, t('prearrival.updated_by',
    { list: u.list, version: String(u.version), time: fmtDateTime(u.time) }));
}

// The travellers with hits, each with the hits' explanations.
export function alertList(persons, level = 'h3') {
  const flagged = persons.filter((p) => p.hits && p.hits.length);
  if (!flagged.length) return h('p', { class: 'muted' }, t('prearrival.no_alerts'));
  const sub = level === 'h3' ? 'h4' : 'h5';
  return h('div', { class: 'alerts' }, flagged.map((p) => h('article', {
    class: openHits(p).length ? 'panel alert' : 'panel alert withdrawn', dataset: { person: p.id } },
    h(level, null, h('bdi', null, personLabel(p)), ' ', h('span', { class: 'tag' }, roleLabel(p.role))),
    facts([
      ['date_of_birth', p.date_of_birth || '—'],
      ['nationality', p.nationality || '—'],
      ['prearrival.documents', docsText(p)],
      ['prearrival.seat', p.seat || '—'],
      ['prearrival.pnr', p.pnr || '—'],
      ['prearrival.message', p.message_id],
    ].concat(bookedName(p) ? [['prearrival.booked_name', bookedName(p)]] : [])),
    p.hits.map((x) => h('div', { class: x.withdrawn_by ? 'hit-withdrawn' : null },
      h('p', { class: 'muted' }, t(x.check === 'lost_stolen' ? 'prearrival.check.lost_stolen' : 'prearrival.check.watchlist',
        { document: x.document || '' })),
      nameSource(x, p),
      foundBy(x),
      updatedBy(x),
      withdrawnBy(x),
      hitCard(hitOnly(x), sub))))));
}

// Each message's list on this flight: when it came, what it is, what it
// did, how many of its persons are still on the manifest, and whether a
// later message superseded it.
function listTable(lists) {
  return h('table', { class: 'lists' },
    h('thead', null, h('tr', null, ['prearrival.received', 'prearrival.code', 'prearrival.scope',
      'prearrival.effect', 'prearrival.in_force', 'prearrival.status'].map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', null, lists.map((l) => h('tr', { class: l.status === 'superseded' ? 'superseded' : null,
      dataset: { message: l.message_id, status: l.status } },
    h('td', null, fmtDateTime(l.received)),
    h('td', { class: 'mono', title: l.message_id }, [l.type, l.code].filter(Boolean).join(' ')),
    h('td', null, t(`prearrival.scope.${l.scope}`)),
    h('td', null, t(`prearrival.action.${l.action}`)),
    h('td', null, `${fmtNumber(l.current_persons)} / ${fmtNumber(l.persons)}`),
    h('td', null, l.status === 'superseded'
      ? h('span', { class: 'badge warn' }, t('prearrival.status.superseded', { id: (l.superseded_by || '').slice(-12) }))
      : h('span', { class: 'badge pass' }, t('prearrival.status.current')))))));
}

// The flight's alerts, saying how many of those travellers were cleared
// earlier, hit by hit, as not the listed person.
function alertsText(alerts, persons) {
  const cleared = persons.filter((p) => standing(p).length && !openHits(p).length).length;
  return cleared ? t('prearrival.alerts_cleared', { alerts: fmtNumber(alerts), cleared: fmtNumber(cleared) })
    : fmtNumber(alerts);
}

export function render(main, params) {
  const id = params[0] || '';
  const box = h('div', null, loading());
  main.append(h('h1', null, t('prearrival.flight_title')), box);
  let gone = false;
  (async () => {
    let f;
    try {
      f = await request('GET', `/flights/${encodeURIComponent(id)}`);
    } catch (err) {
      if (!gone) replace(box, failure(err));
      return;
    }
    if (gone) return;
    const persons = f.persons || [];
    replace(box,
      h('section', { class: 'panel', 'aria-labelledby': 'fl-h' },
        h('h2', { id: 'fl-h' }, `${f.number || '—'} ${route(f)}`),
        facts([
          ['prearrival.carrier', f.carrier || '—'],
          ['prearrival.departure', `${(f.departure && f.departure.airport) || '—'} ${(f.departure && f.departure.time) || ''}`],
          ['prearrival.arrival', `${(f.arrival && f.arrival.airport) || '—'} ${(f.arrival && f.arrival.time) || ''}`],
          ['prearrival.passengers', fmtNumber(f.passengers)],
          ['prearrival.crew', fmtNumber(f.crew)],
          ['prearrival.alerts', alertsText(f.alerts, persons)],
          ['prearrival.messages', fmtNumber(f.messages)],
        ]),
        h('p', null, h('a', { href: `#/prearrival/${encodeURIComponent(f.arrival_date || '')}` }, t('prearrival.back')))),
      h('section', { class: 'panel', 'aria-labelledby': 'fl-alerts' },
        h('h2', { id: 'fl-alerts' }, t('prearrival.alerts_title')), alertList(persons)),
      h('section', { class: 'panel', 'aria-labelledby': 'fl-manifest' },
        h('h2', { id: 'fl-manifest' }, t('prearrival.manifest', { n: persons.length })),
        h('table', { class: 'manifest' },
          h('thead', null, h('tr', null, ['prearrival.name', 'prearrival.role', 'date_of_birth', 'nationality',
            'prearrival.document', 'prearrival.seat', 'prearrival.alerts'].map((k) => h('th', { scope: 'col' },
            t(k.includes('.') ? k : `field.${k}`))))),
          h('tbody', null, persons.map((p) => h('tr', { class: openHits(p).length ? 'flagged' : null },
            h('td', null, h('bdi', null, personLabel(p))),
            h('td', null, roleLabel(p.role)),
            h('td', null, p.date_of_birth || '—'),
            h('td', null, p.nationality || '—'),
            h('td', { class: 'mono' }, docsText(p)),
            h('td', null, p.seat || '—'),
            h('td', null, openHits(p).length ? h('span', { class: 'badge fail' }, fmtNumber(openHits(p).length))
              : h('span', { class: 'badge pass' }, '0'))))))),
      h('section', { class: 'panel', 'aria-labelledby': 'fl-lists' },
        h('h2', { id: 'fl-lists' }, t('prearrival.lists_title')), listTable(f.lists || [])));
  })();
  return () => { gone = true; };
}
