// Hand-written SVG charts: a line chart for days and horizontal bars for
// categories. Each chart is an image with a text alternative plus the same
// figures as a table behind a disclosure, so nothing is shown only as a
// picture. Axes run left to right in every language (figures and dates in
// the charts read the same way in right-to-left pages).
import { h, s } from './dom.js';
import { t, fmtNumber } from './i18n.js';

function niceMax(v) {
  if (v <= 5) return 5;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

// series: [{label, cls, values: [n per point]}]; labels: x label per point.
export function lineChart({ title, labels, series, width = 720, height = 260 }) {
  const pad = { l: 48, r: 36, t: 12, b: 36 };
  const w = width - pad.l - pad.r;
  const hgt = height - pad.t - pad.b;
  const max = niceMax(Math.max(1, ...series.flatMap((x) => x.values)));
  const n = labels.length;
  const x = (i) => pad.l + (n <= 1 ? w / 2 : (i * w) / (n - 1));
  const y = (v) => pad.t + hgt - (v / max) * hgt;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, direction: 'ltr' });
  // Counts are whole: as many grid lines as divide the top value evenly.
  const ticks = [4, 5, 2, 1].find((k) => max % k === 0) || 4;
  for (let k = 0; k <= ticks; k++) {
    const v = (max * k) / ticks;
    svg.append(s('line', { class: 'grid', x1: pad.l, x2: pad.l + w, y1: y(v), y2: y(v) }),
      s('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmtNumber(v)));
  }
  svg.append(s('line', { class: 'axis', x1: pad.l, x2: pad.l + w, y1: pad.t + hgt, y2: pad.t + hgt }));
  const step = Math.max(1, Math.ceil(n / 10));
  labels.forEach((lab, i) => {
    if ((i % step === 0 && n - 1 - i >= step / 2) || i === n - 1) {
      svg.append(s('text', { x: x(i), y: pad.t + hgt + 18, 'text-anchor': 'middle' }, lab));
    }
  });
  for (const se of series) {
    const d = se.values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    if (n > 0) svg.append(s('path', { class: se.cls || 'line', d }));
    se.values.forEach((v, i) => svg.append(s('circle', { class: `dot ${se.cls || 'line'}`, cx: x(i), cy: y(v), r: 3 },
      s('title', null, `${labels[i]}: ${se.label} ${fmtNumber(v)}`))));
  }
  return wrap(title, svg, series, labels);
}

// rows: [{label, values: [n per series]}]; series: [{label, cls}]
export function barChart({ title, rows, series, width = 520 }) {
  const rowH = 26;
  const pad = { l: 110, r: 60, t: 6, b: 6 };
  const height = pad.t + pad.b + Math.max(1, rows.length) * rowH;
  const w = width - pad.l - pad.r;
  const totals = rows.map((r) => r.values.reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, direction: 'ltr' });
  rows.forEach((r, i) => {
    const yy = pad.t + i * rowH;
    svg.append(s('text', { x: pad.l - 8, y: yy + rowH / 2 + 4, 'text-anchor': 'end' }, r.label));
    let xx = pad.l;
    r.values.forEach((v, k) => {
      const bw = (v / max) * w;
      if (bw > 0) {
        svg.append(s('rect', { class: series[k].cls || 'bar', x: xx, y: yy + 4, width: bw.toFixed(1), height: rowH - 8 },
          s('title', null, `${r.label}: ${series[k].label} ${fmtNumber(v)}`)));
      }
      xx += bw;
    });
    svg.append(s('text', { x: xx + 6, y: yy + rowH / 2 + 4 }, fmtNumber(totals[i])));
  });
  return wrap(title, svg, series, rows.map((r) => r.label), rows);
}

function wrap(title, svg, series, labels, rows) {
  const legend = h('div', { class: 'legend', 'aria-hidden': 'true' }, series.map((se) =>
    h('span', null, h('span', { class: `sw sw-${se.cls || 'line'}` }), se.label)));
  const table = h('table', null,
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('chart.item')),
      series.map((se) => h('th', { scope: 'col' }, se.label)))),
    h('tbody', null, labels.map((lab, i) => h('tr', null, h('th', { scope: 'row' }, lab),
      series.map((se, k) => h('td', null, fmtNumber(rows ? rows[i].values[k] : se.values[i])))))));
  return h('figure', { class: 'chart' },
    h('figcaption', null, h('h2', null, title)), legend, svg,
    h('details', null, h('summary', null, t('chart.show_table')), table));
}
