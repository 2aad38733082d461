// Pre-arrival: the flights arriving on a day (from the airlines' PAXLST and
// PNRGOV messages) with their passenger and alert counts, then the alerts
// themselves — each listed traveller or document with the hit's score and
// explanation — so officers know who needs a closer look before the doors
// open. #/prearrival/YYYY-MM-DD picks the day.
import { request } from '../api.js';
import { h, replace } from '../dom.js';
import { t, fmtNumber } from '../i18n.js';
import { loading, failure, today } from './common.js';
import { alertList, route } from './flight.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_ALERT_FLIGHTS = 20;

export function render(main, params, ctx) {
  const day = DAY.test(params[0] || '') ? params[0] : today();
  const date = h('input', { type: 'date', name: 'date', value: day, required: true });
  const form = h('form', { class: 'panel', onsubmit: (e) => {
    e.preventDefault();
    if (DAY.test(date.value)) ctx.go(`prearrival/${date.value}`);
  } },
  h('label', null, t('prearrival.date'), ' ', date), ' ',
  h('button', { type: 'submit' }, t('prearrival.show')));
  const flightsBox = h('section', { class: 'panel', 'aria-labelledby': 'pa-flights' });
  const alertsBox = h('section', { class: 'panel', 'aria-labelledby': 'pa-alerts', 'aria-live': 'polite' });
  main.append(h('h1', null, t('prearrival.title')), form, flightsBox, alertsBox);
  let gone = false;

  async function load() {
    replace(flightsBox, h('h2', { id: 'pa-flights' }, t('prearrival.flights', { date: day })), loading());
    replace(alertsBox);
    let flights;
    try {
      const r = await request('GET', `/flights?date=${encodeURIComponent(day)}`);
      flights = (r && r.flights) || [];
    } catch (err) {
      if (!gone) replace(flightsBox, h('h2', { id: 'pa-flights' }, t('prearrival.flights', { date: day })), failure(err));
      return;
    }
    if (gone) return;
    const total = (k) => flights.reduce((n, f) => n + (Number(f[k]) || 0), 0);
    replace(flightsBox, h('h2', { id: 'pa-flights' }, t('prearrival.flights', { date: day })),
      h('div', { class: 'totals' },
        h('div', { class: 'total' }, h('span', { class: 'n' }, fmtNumber(flights.length)), t('prearrival.n_flights')),
        h('div', { class: 'total' }, h('span', { class: 'n' }, fmtNumber(total('passengers'))), t('prearrival.passengers')),
        h('div', { class: 'total' }, h('span', { class: 'n' }, fmtNumber(total('alerts'))), t('prearrival.alerts'))),
      flights.length ? h('table', { class: 'flights' },
        h('caption', { class: 'visually-hidden' }, t('prearrival.flights', { date: day })),
        h('thead', null, h('tr', null, ['prearrival.flight', 'prearrival.route', 'prearrival.departure',
          'prearrival.arrival', 'prearrival.passengers', 'prearrival.crew', 'prearrival.alerts']
          .map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', null, flights.map((f) => h('tr', { dataset: { id: f.id } },
          h('td', null, h('a', { href: `#/flight/${encodeURIComponent(f.id)}` }, f.number || '—')),
          h('td', null, route(f)),
          h('td', null, (f.departure && f.departure.time) || '—'),
          h('td', null, (f.arrival && f.arrival.time) || '—'),
          h('td', null, fmtNumber(f.passengers)),
          h('td', null, fmtNumber(f.crew)),
          h('td', null, f.alerts ? h('span', { class: 'badge fail' }, fmtNumber(f.alerts))
            : h('span', { class: 'badge pass' }, '0'))))))
        : h('p', { class: 'muted' }, t('prearrival.none')));
    const withAlerts = flights.filter((f) => f.alerts > 0).slice(0, MAX_ALERT_FLIGHTS);
    replace(alertsBox, h('h2', { id: 'pa-alerts' }, t('prearrival.alerts_title')),
      withAlerts.length ? loading() : h('p', { class: 'muted' }, t('prearrival.no_alerts')));
    if (!withAlerts.length) return;
    const parts = [];
    for (const f of withAlerts) {
      try {
        const m = await request('GET', `/flights/${encodeURIComponent(f.id)}`);
        if (gone) return;
        parts.push(h('section', { class: 'flight-alerts' },
          h('h3', null, h('a', { href: `#/flight/${encodeURIComponent(f.id)}` }, f.number), ' ', route(f)),
          alertList(m.persons || [], 'h4')));
      } catch (err) {
        parts.push(failure(err));
      }
    }
    if (!gone) replace(alertsBox, h('h2', { id: 'pa-alerts' }, t('prearrival.alerts_title')), parts);
  }
  load();
  return () => { gone = true; };
}
