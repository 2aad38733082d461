// Watchlists: each list with its entry count, version and last update; a new
// version uploaded with progress, then its delta (added, removed, changed);
// a person added to or removed from a national list without a file (the
// list's next version, with the same delta and re-screening of arrivals);
// a list retired from screening, with the reason the audit keeps (its
// alerts on flights still to land withdrawn; an upload brings it back);
// and a name search across the lists, with each hit's explanation.
import { api } from '../api.js';
import { h, field, replace } from '../dom.js';
import { errorLine } from '../errors.js';
import { t, fmtNumber, fmtDateTime, fmtPercent } from '../i18n.js';
import { loading, failure, hitCard } from './common.js';

const FORMATS = ['auto', 'un-xml', 'ofac-csv', 'csv', 'docs-csv', 'ftm'];
const LIST_NAME = /^[a-z0-9_-]{1,48}$/;
// An OFAC SDN list's files beside sdn.csv, each a part of the upload
// (aliases, addresses, the rest of long remarks): without alt.csv the
// server reads the list without its aliases, and says so.
const SIDE_PARTS = ['alt', 'add', 'comments'];
const REASON_MAX_BYTES = 255; // the server counts a retirement reason in UTF-8 bytes

// A list's size as the screening holds it: its persons and its documents
// (GET /watchlists "loaded"); a list not loaded (retired) has only the
// stored count of the two together.
function sizeCells(l, loaded) {
  const info = loaded.find((x) => x.name === (l.name || l.id));
  if (info) return [h('td', null, fmtNumber(info.persons)), h('td', null, fmtNumber(info.documents))];
  return [h('td', { colspan: '2' }, t('watchlists.records', { n: fmtNumber(l.entries ?? 0) }))];
}

export function render(main, params, ctx) {
  // Uploads and deltas are the administrator's (the server enforces it);
  // an analyst sees the lists and searches them.
  const canWrite = !ctx.role || ctx.role === 'admin';
  const listBox = h('section', { class: 'panel', 'aria-labelledby': 'wl-h' });
  const deltaBox = h('div', { 'aria-live': 'polite' });
  main.append(...[h('h1', null, t('watchlists.title')), listBox, canWrite ? uploadForm() : null,
    canWrite ? entryForm() : null, deltaBox, searchForm()].filter(Boolean));

  let lists = [];
  async function load() {
    replace(listBox, h('h2', { id: 'wl-h' }, t('watchlists.lists')), loading());
    try {
      const r = await api.watchlists();
      lists = (r && (r.watchlists || r.lists || r)) || [];
      const loaded = (r && Array.isArray(r.loaded) && r.loaded) || [];
      replace(listBox, h('h2', { id: 'wl-h' }, t('watchlists.lists')),
        lists.length ? h('table', null,
          h('thead', null, h('tr', null, ['watchlists.name', 'watchlists.persons', 'watchlists.documents',
            'watchlists.version', 'watchlists.updated', 'watchlists.actions'].map((k) => h('th', { scope: 'col' }, t(k))))),
          h('tbody', null, lists.map((l) => h('tr', { class: l.retired ? 'retired' : null },
            h('td', null, l.name || l.id),
            sizeCells(l, loaded),
            h('td', null, l.version ?? '—'),
            h('td', null, fmtDateTime(l.loaded || l.updated_at || l.updated || l.imported_at),
              l.retired ? h('p', { class: 'retired-by' }, t('watchlists.retired_status', {
                time: fmtDateTime(l.retired.time), by: l.retired.by, reason: l.retired.reason })) : null),
            h('td', null, canWrite ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary',
              onclick: () => showDelta(l.name || l.id) }, t('watchlists.show_delta', { name: l.name || l.id })),
            l.retired ? null : h('button', { type: 'button', class: 'secondary danger',
              onclick: () => showRetire(l) }, t('watchlists.retire', { name: l.name }))) : null)))))
          : h('p', { class: 'muted' }, t('watchlists.none')));
      const dl = document.getElementById('wl-names');
      if (dl) replace(dl, lists.map((l) => h('option', { value: l.name || l.id })));
    } catch (err) {
      replace(listBox, h('h2', { id: 'wl-h' }, t('watchlists.lists')), failure(err));
    }
  }

  async function showDelta(name, given) {
    replace(deltaBox, loading());
    try {
      const d = given || await api.watchlistDelta(name);
      replace(deltaBox, deltaPanel(name, d));
    } catch (err) {
      replace(deltaBox, failure(err));
    }
  }

  // Retiring a list asks why (the audit keeps it) before anything is done.
  function showRetire(l) {
    // one line of text: the server refuses line breaks in a reason
    // the server's limit is in bytes: 255 Latin letters, 85 Chinese characters
    const reason = h('input', { type: 'text', name: 'reason', required: true, dir: 'auto',
      autocomplete: 'off' });
    const msg = h('div', { 'aria-live': 'polite' });
    const confirm = h('button', { type: 'submit', class: 'danger' }, t('watchlists.retire_confirm'));
    const cancel = h('button', { type: 'button', class: 'secondary', onclick: () => replace(deltaBox) },
      t('watchlists.retire_cancel'));
    const form = h('form', { class: 'panel', novalidate: true, 'aria-labelledby': 'retire-h' },
      h('h2', { id: 'retire-h' }, t('watchlists.retire_title', { name: l.name })),
      h('p', null, t('watchlists.retire_hint')),
      field(t('watchlists.retire_reason'), reason), msg, h('div', { class: 'row' }, confirm, cancel));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!reason.value.trim()) {
        replace(msg, h('p', { class: 'error', role: 'alert' }, t('watchlists.retire_need_reason')));
        reason.focus();
        return;
      }
      const bytes = new TextEncoder().encode(reason.value.trim()).length;
      if (bytes > REASON_MAX_BYTES) {
        replace(msg, h('p', { class: 'error', role: 'alert' }, t('watchlists.retire_too_long',
          { bytes: fmtNumber(bytes), max: fmtNumber(REASON_MAX_BYTES) })));
        reason.focus();
        return;
      }
      confirm.disabled = true;
      try {
        const res = await api.watchlistRetire(l.name, reason.value.trim());
        await load();
        replace(deltaBox, h('section', { class: 'panel', 'aria-labelledby': 'retired-h' },
          h('h2', { id: 'retired-h' }, t('watchlists.retire_title', { name: l.name })),
          h('p', { class: 'ok', role: 'status' }, t('watchlists.retired_done', { name: l.name,
            entries: fmtNumber(res.entries ?? 0), version: res.version ?? '—' })),
          res.rescreen && res.rescreen.error ? rescreenPanel(res.rescreen) : null,
          res.rescreen && !res.rescreen.error ? h('p', null, t('watchlists.retired_withdrawn',
            { withdrawn: fmtNumber(res.rescreen.withdrawn ?? 0) }), ' ',
          h('a', { href: '#/prearrival' }, t('watchlists.rescreen_link'))) : null));
      } catch (err) {
        replace(msg, errorLine(err));
        confirm.disabled = false;
      }
    });
    replace(deltaBox, form);
    reason.focus();
  }

  function deltaPanel(name, d) {
    const delta = (d && (d.delta || d)) || {};
    const count = (v) => (Array.isArray(v) ? v.length : Number(v) || 0);
    // A few of the list's own references for each kind of change.
    const idList = (key, v) => (Array.isArray(v) && v.length ? h('p', null, h('strong', null, t(key)), ': ',
      v.slice(0, 20).map((e) => (typeof e === 'string' ? e : (e.name || e.id || JSON.stringify(e)))).join(', ')) : null);
    return h('section', { class: 'panel', 'aria-labelledby': 'delta-h' },
      h('h2', { id: 'delta-h' }, t('watchlists.delta_title', { name })),
      h('p', null, t('watchlists.delta_versions', { from: delta.from_version ?? delta.previous_version ?? '—',
                                                    to: delta.to_version ?? delta.version ?? '—' })),
      h('div', { class: 'totals' },
        h('div', { class: 'total' }, h('span', { class: 'n' }, fmtNumber(count(delta.added))), t('watchlists.added')),
        h('div', { class: 'total' }, h('span', { class: 'n' }, fmtNumber(count(delta.removed))), t('watchlists.removed')),
        h('div', { class: 'total' }, h('span', { class: 'n' }, fmtNumber(count(delta.changed))), t('watchlists.changed'))),
      idList('watchlists.added', delta.added_ids || delta.added),
      idList('watchlists.removed', delta.removed_ids || delta.removed),
      idList('watchlists.changed', delta.changed_ids || delta.changed),
      d && typeof d.skipped === 'number' && d.skipped > 0 ? h('p', { class: 'skipped' },
        t('watchlists.skipped', { n: fmtNumber(d.skipped) })) : null,
      d && Array.isArray(d.issues) && d.issues.length ? h('div', { class: 'notes' },
        h('h3', null, t('watchlists.notes', { n: fmtNumber(d.issues.length) })),
        // the reader's own words, in English
        h('ul', null, d.issues.map((x) => h('li', null, h('bdi', { lang: 'en' }, String(x)))))) : null,
      d && d.rescreen ? rescreenPanel(d.rescreen,
        count(delta.removed) > 0 && !count(delta.added) && !count(delta.changed)) : null);
  }

  // What the upload did to flights still to land: their travellers screened
  // again against the new version, alerts added and withdrawn.
  function rescreenPanel(r, removedOnly) {
    if (r.error) return h('p', { class: 'error', role: 'alert' }, t('watchlists.rescreen_failed', { error: r.error }));
    return h('div', { class: 'rescreen' },
      h('h3', null, t('watchlists.rescreen_title')),
      // A version that only removes entries screens nobody again: its
      // alerts on them are withdrawn (it said "0 travellers on 0 flights").
      h('p', null, removedOnly
        ? t('watchlists.rescreen_removed_only', { from: r.arriving_from || '—' })
        : t('watchlists.rescreen_done', { persons: fmtNumber(r.persons ?? 0),
          flights: fmtNumber(r.flights ?? 0), from: r.arriving_from || '—' })),
      h('p', null, t('watchlists.rescreen_alerts', { hits: fmtNumber(r.new_hits ?? 0),
        alerted: fmtNumber(r.persons_alerted ?? 0), withdrawn: fmtNumber(r.withdrawn ?? 0) })),
      r.updated ? h('p', null, t('watchlists.rescreen_updated', { updated: fmtNumber(r.updated) })) : null,
      h('p', null, h('a', { href: '#/prearrival' }, t('watchlists.rescreen_link'))));
  }

  function uploadForm() {
    const name = h('input', { type: 'text', name: 'list', list: 'wl-names', required: true, autocomplete: 'off' });
    const format = h('select', { name: 'format' }, FORMATS.map((f) => h('option', { value: f }, t(`watchlists.format.${f}`))));
    const file = h('input', { type: 'file', name: 'file', required: true });
    const sides = SIDE_PARTS.map((p) => h('input', { type: 'file', name: p, accept: '.csv,text/csv' }));
    const sideBox = h('fieldset', { class: 'side-files' },
      h('legend', null, t('watchlists.side_files')),
      sides.map((el, i) => field(t(`watchlists.side_${SIDE_PARTS[i]}`), el)),
      h('p', { class: 'muted' }, t('watchlists.side_hint')));
    const showSides = () => { sideBox.hidden = format.value !== 'ofac-csv'; };
    format.addEventListener('change', showSides);
    showSides();
    const progress = h('progress', { max: '100', value: '0', id: 'wl-progress' });
    const progressText = h('span', { 'aria-live': 'polite' });
    const progressRow = h('div', { hidden: true }, h('label', { for: 'wl-progress' }, t('watchlists.progress')), progress, progressText);
    const msg = h('div');
    const btn = h('button', { type: 'submit' }, t('watchlists.upload'));
    const form = h('form', { class: 'panel', novalidate: true, 'aria-labelledby': 'up-h' },
      h('h2', { id: 'up-h' }, t('watchlists.upload_title')),
      h('datalist', { id: 'wl-names' }),
      h('div', { class: 'row' }, field(t('watchlists.name'), name, t('watchlists.name_hint')), field(t('watchlists.format_label'), format)),
      field(t('watchlists.file'), file, t('watchlists.file_hint')),
      sideBox, progressRow, msg, btn);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      replace(msg);
      const f = file.files && file.files[0];
      if (!name.value.trim() || !f) {
        replace(msg, h('p', { class: 'error', role: 'alert' }, t('watchlists.need_name_file')));
        (name.value.trim() ? file : name).focus();
        return;
      }
      if (!LIST_NAME.test(name.value.trim())) {
        replace(msg, h('p', { class: 'error', role: 'alert' }, t('watchlists.bad_name')));
        name.focus();
        return;
      }
      btn.disabled = true;
      progressRow.hidden = false;
      progress.value = 0;
      try {
        // An OFAC list goes as multipart: sdn.csv and the side files chosen.
        let body = f;
        if (format.value === 'ofac-csv') {
          body = new FormData();
          body.append('sdn', f, f.name);
          sides.forEach((el, i) => { if (el.files && el.files[0]) body.append(SIDE_PARTS[i], el.files[0], el.files[0].name); });
        }
        const res = await api.watchlistUpload(name.value.trim(), format.value === 'auto' ? undefined : format.value, body,
          (sent, total) => {
            const p = total ? sent / total : 0;
            progress.value = Math.round(p * 100);
            progressText.textContent = ` ${fmtPercent(p)} (${fmtNumber(sent)} / ${fmtNumber(total)})`;
          });
        replace(msg, h('p', { class: 'ok', role: 'status' }, t('watchlists.uploaded', { name: name.value.trim(),
          version: (res && (res.version ?? (res.watchlist && res.watchlist.version))) ?? '—' })));
        await load();
        await showDelta(name.value.trim(), res && res.delta ? res : undefined);
      } catch (err) {
        // the sentence in the reader's language, and the server's own words
        // on what is wrong with the file (which line, which column)
        replace(msg, err.status === 0 ? h('p', { class: 'error', role: 'alert' }, t('conn.upload_lost'))
          : errorLine(err, { format: 'watchlists.upload_format' }));
      } finally {
        btn.disabled = false;
      }
    });
    return form;
  }

  // One person added to a national list (csv layout), or removed from it.
  function entryForm() {
    const input = (name, attrs = {}) => h('input', { type: 'text', name, autocomplete: 'off', ...attrs });
    const f = {
      list: input('list', { list: 'wl-names', required: true }),
      id: input('id', { required: true }),
      name: input('name', { required: true, dir: 'auto' }),
      aliases: input('aliases', { dir: 'auto' }),
      date_of_birth: input('date_of_birth'),
      nationality: input('nationality'),
      gender: h('select', { name: 'gender' }, ['', 'M', 'F', 'X'].map((g) => h('option', { value: g },
        g ? t(`entry.gender.${{ M: 'male', F: 'female', X: 'other' }[g]}`) : '—'))),
      document_number: input('document_number'),
      document_country: input('document_country'),
      place_of_birth: input('place_of_birth', { dir: 'auto' }),
      listed_on: input('listed_on'),
      address: input('address', { dir: 'auto' }),
      note: h('textarea', { name: 'note', rows: 2, dir: 'auto' }),
    };
    const msg = h('div', { 'aria-live': 'polite' });
    const add = h('button', { type: 'submit' }, t('watchlists.entry_add'));
    const remove = h('button', { type: 'button', class: 'secondary' }, t('watchlists.entry_remove'));
    const label = (k) => t(`watchlists.entry_field.${k}`);
    const form = h('form', { class: 'panel', novalidate: true, 'aria-labelledby': 'ent-h' },
      h('h2', { id: 'ent-h' }, t('watchlists.entry_title')),
      h('p', { class: 'muted' }, t('watchlists.entry_hint')),
      h('div', { class: 'row' }, field(label('list'), f.list), field(label('id'), f.id)),
      h('div', { class: 'row' }, field(label('name'), f.name), field(label('aliases'), f.aliases, t('watchlists.entry_aliases_hint'))),
      h('div', { class: 'row' }, field(label('date_of_birth'), f.date_of_birth), field(label('nationality'), f.nationality),
        field(label('gender'), f.gender)),
      h('div', { class: 'row' }, field(label('document_number'), f.document_number), field(label('document_country'), f.document_country)),
      h('div', { class: 'row' }, field(label('place_of_birth'), f.place_of_birth), field(label('listed_on'), f.listed_on)),
      field(label('address'), f.address),
      field(label('note'), f.note),
      msg, h('div', { class: 'row' }, add, remove));
    const target = () => {
      const list = f.list.value.trim();
      const id = f.id.value.trim();
      const bad = !LIST_NAME.test(list) ? [f.list, 'watchlists.bad_name'] : !id ? [f.id, 'watchlists.entry_need_id'] : null;
      if (bad) {
        replace(msg, h('p', { class: 'error', role: 'alert' }, t(bad[1])));
        bad[0].focus();
        return null;
      }
      return { list, id };
    };
    const run = async (button, call, done) => {
      replace(msg);
      const tg = target();
      if (!tg) return;
      button.disabled = true;
      try {
        const res = await call(tg);
        replace(msg, h('p', { class: 'ok', role: 'status' }, t(done, { id: tg.id, name: tg.list, version: res.version ?? '—' })));
        await load();
        await showDelta(tg.list, res);
      } catch (err) {
        // the sentence in the reader's language, and the server's own words
        // on what is wrong with the entry
        replace(msg, errorLine(err));
        const bad = err.field && f[err.field];
        if (bad) bad.focus();
      } finally {
        button.disabled = false;
      }
    };
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!f.name.value.trim()) {
        replace(msg, h('p', { class: 'error', role: 'alert' }, t('watchlists.entry_need_name')));
        f.name.focus();
        return;
      }
      run(add, ({ list, id }) => {
        const body = { id };
        for (const [k, el] of Object.entries(f)) {
          const v = el.value.trim();
          if (k === 'list' || k === 'id' || !v) continue;
          body[k] = k === 'aliases' ? v.split(';').map((x) => x.trim()).filter(Boolean) : v;
        }
        return api.watchlistEntryAdd(list, body);
      }, 'watchlists.entry_added');
    });
    remove.addEventListener('click', () => run(remove, ({ list, id }) => api.watchlistEntryRemove(list, id),
      'watchlists.entry_removed'));
    return form;
  }

  function searchForm() {
    const q = h('input', { type: 'search', name: 'name', autocomplete: 'off' });
    const out = h('div', { 'aria-live': 'polite' });
    const form = h('form', { class: 'panel', novalidate: true, role: 'search', 'aria-labelledby': 'search-h' },
      h('h2', { id: 'search-h' }, t('watchlists.search_title')),
      h('div', { class: 'row' }, field(t('watchlists.search_name'), q), h('button', { type: 'submit' }, t('watchlists.search'))),
      out);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!q.value.trim()) { replace(out, h('p', { class: 'error', role: 'alert' }, t('watchlists.search_empty'))); return; }
      replace(out, loading());
      try {
        const r = await api.watchlistSearch(q.value.trim());
        const hits = (r && (r.hits || r.results || r)) || [];
        // the server sends the best hits and counts them all (up to its limit)
        const total = typeof r.total === 'number' ? r.total : hits.length;
        const said = total > hits.length
          ? t(r.total_capped ? 'watchlists.found_best_of_more' : 'watchlists.found_best_of',
            { n: fmtNumber(hits.length), total: fmtNumber(total) })
          : t('watchlists.found', { n: fmtNumber(hits.length) });
        replace(out, h('p', { class: 'found' }, said), hits.map((x) => hitCard(x, 'h3')));
      } catch (err) {
        replace(out, err.status === 404 || err.status === 405
          ? h('p', { class: 'error', role: 'alert' }, t('watchlists.search_unavailable')) : failure(err));
      }
    });
    return form;
  }

  load();
}
