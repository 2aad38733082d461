// The supervisor's dashboard: today's totals and refer rate, crossings per
// day (line), by port and by nationality (bars), filtered by dates and port.
// Figures come from GET /api/v1/stats/crossings, grouped by day, port and
// nationality; with one port chosen, the per-day and per-nationality figures
// are summed from that port's crossings (GET /api/v1/crossings?port=), since
// the statistics are for all ports. "entries" and "exits" are admitted
// crossings; the refer rate is referred / (entries + exits + refused +
// referred), the share of decisions that were referrals.
import { api } from '../api.js';
import { h, field, replace } from '../dom.js';
import { t, fmtNumber, fmtPercent, fmtDay } from '../i18n.js';
import { loading, failure, today, daysAgo } from './common.js';
import { lineChart, barChart } from '../chart.js';

const TOP = 12;

function sum(groups) {
  const tot = { entries: 0, exits: 0, refused: 0, referred: 0 };
  for (const g of groups) for (const k of Object.keys(tot)) tot[k] += Number(g[k]) || 0;
  return tot;
}

function groupsOf(r) {
  return (r && (r.groups || r)) || [];
}

// Dates are UTC days; 'to' covers the whole day (the API's "to" is exclusive).
function nextDay(d) {
  return new Date(Date.parse(`${d}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
}
function span(from, to) {
  return { from: from ? `${from}T00:00:00Z` : undefined, to: to ? `${nextDay(to)}T00:00:00Z` : undefined };
}

const MAX_PAGES = 50; // 50 000 crossings: a busy port's fortnight

function tally(map, key, c) {
  let g = map.get(key);
  if (!g) { g = { key, entries: 0, exits: 0, refused: 0, referred: 0 }; map.set(key, g); }
  if (c.decision === 'admitted') { if (c.direction === 'exit') g.exits += 1; else g.entries += 1; }
  else if (c.decision === 'refused') g.refused += 1;
  else if (c.decision === 'referred') g.referred += 1;
}

// One port's crossings, grouped by day and by nationality.
async function portFigures(port, params) {
  const days = new Map();
  const nats = new Map();
  let cursor;
  let truncated = false;
  for (let page = 0; ; page++) {
    if (page === MAX_PAGES) { truncated = true; break; }
    const r = await api.crossings({ ...params, port, limit: 1000, cursor });
    for (const c of (r && r.crossings) || []) {
      tally(days, String(c.time || '').slice(0, 10), c);
      tally(nats, c.nationality || '—', c);
    }
    if (!r || !r.next) break;
    cursor = r.next;
  }
  return { days: [...days.values()], nats: [...nats.values()], truncated };
}

export function render(main) {
  const from = h('input', { type: 'date', value: daysAgo(13), name: 'from' });
  const to = h('input', { type: 'date', value: today(), name: 'to' });
  const port = h('select', { name: 'port' }, h('option', { value: '' }, t('dashboard.all_ports')));
  const apply = h('button', { type: 'submit' }, t('dashboard.apply'));
  const form = h('form', { class: 'panel row', novalidate: true },
    field(t('dashboard.from'), from), field(t('dashboard.to'), to), field(t('dashboard.port'), port), apply);
  const todayBox = h('section', { class: 'panel', 'aria-labelledby': 'today-h' });
  const charts = h('div');
  main.append(h('h1', null, t('dashboard.title')), form, todayBox, charts);

  api.ports().then((r) => {
    for (const p of (r && (r.ports || r)) || []) port.append(h('option', { value: p.code }, p.name ? `${p.code} — ${p.name}` : p.code));
  }).catch(() => { /* the filter then offers all ports only */ });

  async function loadToday(quiet) {
    if (!quiet) replace(todayBox, h('h2', { id: 'today-h' }, t('dashboard.today')), loading());
    try {
      const d = today();
      const r = await api.stats('port', { ...span(d, d) });
      const groups = groupsOf(r).filter((g) => !port.value || g.key === port.value);
      const tot = sum(groups);
      const crossings = tot.entries + tot.exits;
      const decisions = crossings + tot.refused + tot.referred;
      const rate = decisions ? tot.referred / decisions : 0;
      const tile = (key, n, id) => h('div', { class: 'total', id },
        h('span', { class: 'n' }, n), h('span', null, t(key)));
      replace(todayBox, h('h2', { id: 'today-h' }, t('dashboard.today'), port.value ? ` — ${port.value}` : ''),
        h('div', { class: 'totals' },
          tile('dashboard.crossings', fmtNumber(crossings), 'total-crossings'),
          tile('dashboard.entries', fmtNumber(tot.entries), 'total-entries'),
          tile('dashboard.exits', fmtNumber(tot.exits), 'total-exits'),
          tile('dashboard.referred', fmtNumber(tot.referred), 'total-referred'),
          tile('dashboard.refused', fmtNumber(tot.refused), 'total-refused'),
          tile('dashboard.refer_rate', fmtPercent(rate), 'total-refer-rate')));
    } catch (err) {
      replace(todayBox, h('h2', { id: 'today-h' }, t('dashboard.today')), failure(err));
    }
  }

  async function loadCharts() {
    replace(charts, loading());
    if (from.value && to.value && from.value > to.value) {
      replace(charts, h('p', { class: 'error', role: 'alert' }, t('dashboard.bad_range')));
      return;
    }
    const params = span(from.value, to.value);
    try {
      let dayGroups;
      let nats;
      let truncated = false;
      const byPort = api.stats('port', params);
      byPort.catch(() => { /* reported when awaited below */ });
      if (port.value) {
        ({ days: dayGroups, nats, truncated } = await portFigures(port.value, params));
      } else {
        const [byDay, byNat] = await Promise.all([api.stats('day', params), api.stats('nationality', params)]);
        dayGroups = groupsOf(byDay);
        nats = groupsOf(byNat);
      }
      const days = fillDays(dayGroups, from.value, to.value);
      const ports = groupsOf(await byPort).filter((g) => !port.value || g.key === port.value);
      const rank = (gs) => gs.filter((g) => g.entries + g.exits > 0)
        .sort((a, b) => (b.entries + b.exits) - (a.entries + a.exits)).slice(0, TOP);
      const barSeries = [{ label: t('dashboard.entries'), cls: 'bar' }, { label: t('dashboard.exits'), cls: 'bar2' }];
      replace(charts,
        truncated ? h('p', { class: 'notice' }, t('dashboard.truncated')) : null,
        h('section', { class: 'panel' }, lineChart({
          title: t('dashboard.per_day'),
          labels: days.map((g) => fmtDay(g.key)),
          series: [
            { label: t('dashboard.entries'), cls: 'line', values: days.map((g) => Number(g.entries) || 0) },
            { label: t('dashboard.exits'), cls: 'line2', values: days.map((g) => Number(g.exits) || 0) }],
        })),
        h('div', { class: 'grid2' },
          h('section', { class: 'panel' }, barChart({ title: t('dashboard.by_port'), series: barSeries,
            rows: rank(ports).map((g) => ({ label: g.key, values: [Number(g.entries) || 0, Number(g.exits) || 0] })) })),
          h('section', { class: 'panel' }, barChart({ title: t('dashboard.by_nationality'), series: barSeries,
            rows: rank(nats).map((g) => ({ label: g.key, values: [Number(g.entries) || 0, Number(g.exits) || 0] })) }))));
    } catch (err) {
      replace(charts, failure(err));
    }
  }

  form.addEventListener('submit', (ev) => { ev.preventDefault(); loadToday(); loadCharts(); });
  loadToday();
  loadCharts();
  // Today's figures move all day: refresh them every minute.
  const timer = setInterval(() => { if (!document.hidden) loadToday(true); }, 60000);
  return () => clearInterval(timer);
}

// Days with no crossing are zeros on the line, not gaps.
function fillDays(groups, from, to) {
  const byKey = new Map(groups.map((g) => [String(g.key).slice(0, 10), g]));
  if (!from || !to) return [...groups].sort((a, b) => (a.key < b.key ? -1 : 1));
  const out = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= end && out.length < 400; d += 86400000) {
    const key = new Date(d).toISOString().slice(0, 10);
    out.push(byKey.get(key) || { key, entries: 0, exits: 0, refused: 0, referred: 0 });
  }
  return out;
}
