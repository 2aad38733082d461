// Primary inspection: the counter's screen. The MRZ box takes a document
// reader's keyboard burst (two or three lines, each ended by Enter) or a
// paste; Enter on a complete MRZ checks it. The verdict shows in the
// role="status" region in large type, colour, symbol and word; then the
// officer admits, refers or refuses (Alt+A, Alt+R, Alt+X — physical keys,
// so they work with any keyboard layout) and the box is ready for the next
// traveller.
import { api } from '../api.js';
import { h, field, replace } from '../dom.js';
import { errorBox, errorLine, diagSentence } from '../errors.js';
import { t, has, language } from '../i18n.js';
import { docFields, fieldList, hitCard, crossingsTable, newestFirst, personName, decisionLabel } from './common.js';

const PORT_KEY = 'kouan.port';
const DIR_KEY = 'kouan.direction';

// Survives a re-render (language change) while a decision is pending.
let state = { result: null, error: null, crossings: null, mrz: '', owner: null };
// The page on screen now: an answer that arrives after the page was drawn
// again (a language change) is shown on the new one.
let onScreen = null;

const SHORTCUTS = [
  { decision: 'admitted', code: 'KeyA', label: 'inspect.admit', keys: 'Alt+A', cls: 'admit' },
  { decision: 'referred', code: 'KeyR', label: 'inspect.refer', keys: 'Alt+R', cls: 'refer' },
  { decision: 'refused', code: 'KeyX', label: 'inspect.refuse', keys: 'Alt+X', cls: 'refuse' },
];

// MRZ layouts by line count and length (ICAO 9303): TD1 3x30, TD2/MRV-B/
// French ID 2x36, TD3/MRV-A 2x44.
export function mrzComplete(text) {
  const lines = text.split(/\r?\n|\|/).map((l) => l.trim()).filter(Boolean);
  if (lines.length >= 3) return true;
  if (lines.length < 2) return false;
  const [a, b] = lines;
  if (a.length === 30 && b.length === 30) return false; // TD1: a third line follows
  return true;
}

export function normaliseMrz(text) {
  return text.split(/\r?\n|\|/).map((l) => l.trim().toUpperCase()).filter(Boolean).join('\n');
}

function stored(key, dflt) {
  try { return localStorage.getItem(key) || dflt; } catch { return dflt; }
}
function store(key, v) {
  try { localStorage.setItem(key, v); } catch { /* storage off */ }
}

export function render(main, params, ctx) {
  const owner = ctx.session && ctx.session.token;
  if (state.owner !== owner) state = { result: null, error: null, crossings: null, mrz: '', owner };
  const mrz = h('textarea', { class: 'mrz', rows: '3', spellcheck: 'false', autocomplete: 'off', dir: 'ltr',
                              autocapitalize: 'characters', 'aria-keyshortcuts': 'Enter', name: 'mrz' });
  mrz.value = state.mrz;
  const portSel = h('select', { name: 'port' });
  const dirEntry = h('input', { type: 'radio', name: 'direction', value: 'entry', id: 'dir-entry' });
  const dirExit = h('input', { type: 'radio', name: 'direction', value: 'exit', id: 'dir-exit' });
  (stored(DIR_KEY, 'entry') === 'exit' ? dirExit : dirEntry).checked = true;
  const check = h('button', { type: 'submit' }, t('inspect.check'));
  const form = h('form', { class: 'panel inspect-form', novalidate: true },
    h('h1', { class: 'visually-hidden' }, t('inspect.title')),
    h('div', { class: 'row' },
      field(t('inspect.port'), portSel),
      h('fieldset', { class: 'row' },
        h('legend', null, t('inspect.direction')),
        h('label', { for: 'dir-entry' }, dirEntry, ' ', t('direction.entry')),
        h('label', { for: 'dir-exit' }, dirExit, ' ', t('direction.exit')))),
    field(t('inspect.mrz'), mrz, t('inspect.mrz_hint')),
    check);

  const verdict = h('div', { id: 'verdict', class: 'verdict', role: 'status', 'aria-live': 'polite',
                             'aria-atomic': 'true', tabindex: '-1' });
  const decide = h('div', { class: 'decide', role: 'group', 'aria-label': t('inspect.decision') });
  const details = h('div');
  main.append(form, verdict, decide, details);

  // Ports: the post's list; the choice is kept on this workstation.
  const fillPorts = (ports) => {
    const saved = stored(PORT_KEY, '');
    replace(portSel, ports.map((p) => h('option', { value: p.code }, p.name ? `${p.code} — ${p.name}` : p.code)));
    if (ports.some((p) => p.code === saved)) portSel.value = saved;
  };
  api.ports().then((r) => fillPorts((r && (r.ports || r)) || []))
    .catch(() => fillPorts([{ code: stored(PORT_KEY, 'PEK') }]));
  portSel.addEventListener('change', () => store(PORT_KEY, portSel.value));
  dirEntry.addEventListener('change', () => store(DIR_KEY, 'entry'));
  dirExit.addEventListener('change', () => store(DIR_KEY, 'exit'));

  let busy = false;
  async function submit() {
    const text = normaliseMrz(mrz.value);
    if (!text) {
      state = { result: null, error: null, crossings: null, mrz: '', owner: state.owner };
      draw();
      replace(verdict, h('span', { class: 'sub' }, t('inspect.empty')));
      verdict.className = 'verdict pending';
      return;
    }
    if (busy) return;
    busy = true;
    check.disabled = true;
    state = { result: null, error: null, crossings: null, mrz: text, owner: state.owner };
    verdict.className = 'verdict pending';
    replace(verdict, h('span', { class: 'sub' }, t('inspect.checking')));
    replace(decide);
    replace(details);
    try {
      const port = portSel.value || stored(PORT_KEY, '');
      const direction = dirExit.checked ? 'exit' : 'entry';
      state.result = await api.inspect(text, port, direction);
      store(PORT_KEY, port);
    } catch (err) {
      state.error = err;
    } finally {
      busy = false;
      check.disabled = false;
    }
    if (!form.isConnected) {
      if (onScreen) onScreen.shown();
      return;
    }
    shown();
  }

  function shown() {
    draw();
    mrz.value = state.mrz;
    mrz.focus();
    mrz.select();
    loadCrossings();
  }

  async function loadCrossings() {
    const r = state.result;
    if (!r) return;
    const tr = r.traveller || {};
    const inline = tr.crossings || tr.last_crossings || r.crossings || r.last_crossings;
    if (inline) { state.crossings = inline; drawCrossings(); return; }
    const tid = tr.id || r.traveller_id;
    if (!tid) { state.crossings = []; drawCrossings(); return; }
    const mine = r;
    try {
      const full = await api.traveller(tid);
      if (state.result !== mine) return;
      state.crossings = full.crossings || (full.traveller && full.traveller.crossings) || [];
    } catch (err) {
      if (state.result !== mine) return;
      state.crossings = err;
    }
    if (form.isConnected) drawCrossings();
    else if (onScreen) onScreen.drawCrossings();
  }

  const crossingsBox = h('section', { class: 'panel', 'aria-labelledby': 'last-crossings-h' });
  function drawCrossings() {
    if (!state.result) return;
    const c = state.crossings;
    replace(crossingsBox, h('h2', { id: 'last-crossings-h' }, t('inspect.last_crossings')),
      c === null ? h('p', { class: 'muted' }, t('common.loading'))
        : c instanceof Error ? errorBox(c)
          : crossingsTable(newestFirst(c).slice(0, 5)));
  }

  function draw() {
    replace(decide);
    replace(details);
    const { result: r, error } = state;
    if (error) {
      verdict.className = 'verdict pending';
      replace(verdict, h('span', { class: 'sub' }, t('inspect.not_read')));
      const lines = state.mrz ? state.mrz.split('\n') : [];
      const extra = error.code === 'format' && lines.length
        ? [t('inspect.line_lengths', { n: lines.length, lengths: lines.map((l) => l.length).join(' / ') })] : null;
      details.append(errorBox(error, extra, { format: 'inspect.mrz_format' }));
      return;
    }
    if (!r) { verdict.className = 'verdict'; replace(verdict); return; }
    const refer = r.decision !== 'clear';
    const word = t(refer ? 'verdict.refer' : 'verdict.clear');
    const english = refer ? 'REFER' : 'CLEAR';
    verdict.className = `verdict ${refer ? 'refer' : 'clear'}`;
    const doc = r.document || {};
    replace(verdict,
      h('span', { class: 'sym', 'aria-hidden': 'true' }, refer ? '⚠' : '✓'),
      h('span', { class: 'word' }, word),
      language() !== 'en' && word !== english ? h('span', { class: 'sub', lang: 'en' }, english) : null,
      h('span', { class: 'sub' }, personName(r.traveller) || personName(doc), ' ',
        h('span', { class: 'mono', dir: 'ltr' }, (doc.fields && doc.fields.document_number) || '')),
      refer ? h('span', { class: 'sub' }, t('verdict.refer_hint')) : null);

    // The checks suggest admit (CLEAR) or refer (REFER); the officer decides.
    const suggested = refer ? 'referred' : 'admitted';
    decide.append(h('span', { id: 'suggested-note', class: 'visually-hidden' }, t('inspect.suggested')));
    for (const s of SHORTCUTS) {
      const mine = s.decision === suggested;
      decide.append(h('button', { type: 'button', class: mine ? `${s.cls} suggested` : s.cls,
                                  'aria-keyshortcuts': s.keys, 'aria-describedby': mine ? 'suggested-note' : null,
                                  onclick: () => record(s.decision) },
        t(s.label), h('kbd', { 'aria-hidden': 'true' }, s.keys)));
    }

    const checks = r.checks || [];
    const hits = r.hits || [];
    details.append(h('div', { class: 'grid2' },
      h('section', { class: 'panel', 'aria-labelledby': 'doc-h' },
        h('h2', { id: 'doc-h' }, t('inspect.document')),
        fieldList(docFields(doc)),
        findings(doc)),
      h('section', { class: 'panel', 'aria-labelledby': 'checks-h' },
        h('h2', { id: 'checks-h' }, t('inspect.checks')),
        h('ul', { class: 'checks' }, checks.map((c) => h('li', null,
          h('span', null, h('span', { class: `badge ${c.status}` },
            c.status === 'pass' ? '✓ ' : c.status === 'warn' ? '! ' : '✗ ',
            has(`status.${c.status}`) ? t(`status.${c.status}`) : c.status)),
          h('span', null, h('strong', null, has(`check.${c.name}`) ? t(`check.${c.name}`) : c.name),
            c.reason ? h('span', null, ' — ', c.code && has(`reason.${c.code}`) ? t(`reason.${c.code}`, c.params || c)
              : h('bdi', null, c.reason)) : null)))))));
    details.append(h('section', { class: 'panel', 'aria-labelledby': 'hits-h' },
      h('h2', { id: 'hits-h' }, t('inspect.hits', { n: hits.length })),
      hits.length ? hits.map((x) => hitCard(x)) : h('p', { class: 'muted' }, t('inspect.no_hits'))));
    const arrivals = r.arrivals || [];
    if (arrivals.length) details.append(arrivalsPanel(arrivals));
    details.append(crossingsBox);
    drawCrossings();
  }

  // The traveller on an arriving flight's passenger list (airline data):
  // the flight, seat and booking, and how many alerts it raised before
  // arrival (their detail is on the flight page, the analysts'); a match by
  // name and date of birth, the document not on the list, says so.
  function arrivalsPanel(arrivals) {
    return h('section', { class: 'panel', id: 'arrivals', 'aria-labelledby': 'arrivals-h' },
      h('h2', { id: 'arrivals-h' }, t('inspect.arrivals')),
      h('ul', { class: 'checks' }, arrivals.map((a) => h('li', null,
        h('span', null, h('span', { class: `badge ${a.alerts ? 'warn' : 'pass'}` },
          a.alerts ? `! ${t('inspect.arrival_alerts', { n: a.alerts })}` : `✓ ${t('inspect.arrival_no_alerts')}`)),
        h('span', null,
          h('strong', null, t('inspect.arrival_line', {
            flight: a.number || '', from: (a.departure || {}).airport || '?',
            to: (a.arrival || {}).airport || '?',
            time: (a.arrival || {}).time ? a.arrival.time.replace('T', ' ') : a.arrival_date || '' })),
          has(`prearrival.role.${a.role}`) ? ` · ${t(`prearrival.role.${a.role}`)}` : '',
          a.seat ? ` · ${t('prearrival.seat')} ${a.seat}` : '',
          a.pnr ? ` · ${t('prearrival.pnr')} ${a.pnr}` : '',
          a.matched_by === 'name' ? h('span', { class: 'muted' }, ` · ${t('inspect.arrival_by_name')}`) : null)))));
  }

  // The reader's own diagnostics on the document (specimen, expired,
  // check digits…), errors first.
  function findings(doc) {
    const list = [...(doc.errors || []).map((d) => ['fail', d]), ...(doc.warnings || []).map((d) => ['warn', d])];
    if (!list.length) return null;
    return h('div', null, h('h3', null, t('inspect.findings')),
      h('ul', { class: 'checks' }, list.map(([st, d]) => h('li', null,
        h('span', null, h('span', { class: `badge ${st}` }, st === 'fail' ? '✗ ' : '! ', t(`status.${st}`))),
        h('span', null, diagSentence(d))))));
  }

  async function record(decision) {
    const r = state.result;
    if (!r || busy) return;
    busy = true;
    for (const b of decide.querySelectorAll('button')) b.disabled = true;
    try {
      await api.recordCrossing(r.id, decision);
      const name = personName(r.traveller) || personName(r.document) || '';
      const tid = (r.traveller && r.traveller.id) || r.traveller_id;
      state = { result: null, error: null, crossings: null, mrz: '', owner: state.owner };
      if (form.isConnected) {
        draw();
        mrz.value = '';
        mrz.focus();
      } else if (onScreen) {
        onScreen.shown();
      }
      const note = document.getElementById('notice');
      replace(note, t('inspect.recorded', { decision: decisionLabel(decision), name }), ' ',
        tid ? h('a', { href: `#/traveller/${encodeURIComponent(tid)}`, id: 'last-traveller' }, t('inspect.view_traveller')) : null);
    } catch (err) {
      for (const b of decide.querySelectorAll('button')) b.disabled = false;
      details.prepend(errorLine(err));
    } finally {
      busy = false;
    }
  }

  mrz.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' || ev.isComposing) return;
    if (ev.ctrlKey || ev.metaKey || mrzComplete(mrz.value)) {
      ev.preventDefault();
      submit();
    }
  });
  form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(); });

  const onKey = (ev) => {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const s = SHORTCUTS.find((x) => x.code === ev.code);
    if (!s || !state.result) return;
    ev.preventDefault();
    record(s.decision);
  };
  document.addEventListener('keydown', onKey);

  draw();
  mrz.focus();
  if (state.mrz) mrz.select();
  const me = { shown, drawCrossings };
  onScreen = me;
  return () => {
    document.removeEventListener('keydown', onKey);
    if (onScreen === me) onScreen = null;
  };
}
