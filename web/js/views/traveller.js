// A traveller: identity, documents, the watchlist entries found not to be
// them, and the full crossing history. Reading it is audited by the server.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { errorLine } from '../errors.js';
import { t, fmtDateTime, fmtNumber } from '../i18n.js';
import { loading, failure, personName, crossingsTable, newestFirst, docFields, fieldList } from './common.js';

const IDENTITY = ['surname', 'given_names', 'nationality', 'date_of_birth', 'sex'];

export function render(main, params, ctx) {
  const tid = params[0];
  const box = h('div', null, loading());
  main.append(box);
  if (!tid) { replace(box, h('p', { class: 'error', role: 'alert' }, t('traveller.missing'))); return; }
  api.traveller(tid).then((r) => {
    const tr = r.traveller || r;
    const docs = r.documents || tr.documents || [];
    const crossings = r.crossings || tr.crossings || [];
    const ident = IDENTITY.filter((k) => tr[k]).map((k) => [k, tr[k]]);
    replace(box,
      h('h1', null, h('bdi', null, personName(tr) || t('traveller.title'))),
      h('section', { class: 'panel', 'aria-labelledby': 'tr-id' },
        h('h2', { id: 'tr-id' }, t('traveller.identity')),
        fieldList([...ident, ['traveller_id', tr.id || tid]])),
      h('section', { class: 'panel', 'aria-labelledby': 'tr-docs' },
        h('h2', { id: 'tr-docs' }, t('traveller.documents')),
        docs.length ? h('div', { class: 'grid3' }, docs.map((d) => h('div', null, fieldList(docFields(d)))))
          : h('p', { class: 'muted' }, t('traveller.no_documents'))),
      tr.stay || r.stay ? h('section', { class: 'panel', 'aria-labelledby': 'tr-stay' },
        h('h2', { id: 'tr-stay' }, t('traveller.stay')), stayText(tr.stay || r.stay)) : null,
      clearancesPanel(r.clearances || [], ctx),
      h('section', { class: 'panel', 'aria-labelledby': 'tr-cross' },
        h('h2', { id: 'tr-cross' }, t('traveller.history', { n: crossings.length })),
        crossingsTable(newestFirst(crossings), { officer: true, caption: t('traveller.history', { n: crossings.length }) })));
  }).catch((err) => replace(box, failure(err)));
}

// Where the last admitted crossing left the traveller ({inside, since,
// max_days}), in a sentence, and the longest stay the nationality allows.
function stayText(st) {
  const since = fmtDateTime(st.since);
  const days = Math.floor((Date.now() - Date.parse(st.since)) / 86400000);
  return h('div', { class: 'stay' },
    h('p', null, st.inside
      ? t('traveller.stay_inside', { since, days: fmtNumber(Number.isFinite(days) && days >= 0 ? days : 0) })
      : t('traveller.stay_outside', { since })),
    typeof st.max_days === 'number' ? h('p', null, t('traveller.stay_max', { max: fmtNumber(st.max_days) })) : null);
}

// Watchlist entries supervisors found are not this traveller: each with who
// and when, the referral, and (for supervisors) a button to revoke it.
function clearancesPanel(list, ctx) {
  if (!list.length) return null;
  const mayRevoke = ctx && ['supervisor', 'admin'].includes(ctx.role);
  const row = (c) => {
    const msg = h('span', { 'aria-live': 'polite' });
    const state = h('td', null, c.revoked
      ? t('clearances.revoked', { by: c.revoked_by || '—', time: fmtDateTime(c.revoked) })
      : t('clearances.in_force'));
    const btn = mayRevoke && !c.revoked ? h('button', { type: 'button', class: 'secondary' }, t('clearances.revoke')) : null;
    if (btn) {
      btn.addEventListener('click', async () => {
        btn.disabled = true;
        try {
          const x = await api.revokeClearance(c.id);
          replace(state, t('clearances.revoked', { by: x.revoked_by || '—', time: fmtDateTime(x.revoked) }));
          btn.remove();
          ctx.say(t('clearances.revoked_ok', { list: c.list, id: c.entity_id }));
        } catch (err) {
          replace(msg, errorLine(err, null, 'span'));
          btn.disabled = false;
        }
      });
    }
    return h('tr', null,
      h('td', null, h('span', { class: 'tag' }, c.list), ' ', h('bdi', null, c.entity_id)),
      h('td', null, t('clearances.by', { by: c.created_by, time: fmtDateTime(c.created) })),
      h('td', null, c.note ? h('bdi', null, c.note) : '—'),
      state,
      mayRevoke ? h('td', null, btn, msg) : null);
  };
  return h('section', { class: 'panel', 'aria-labelledby': 'tr-clear' },
    h('h2', { id: 'tr-clear' }, t('clearances.title')),
    h('p', { class: 'muted' }, t('clearances.help')),
    h('table', null,
      h('thead', null, h('tr', null,
        ['clearances.entry', 'clearances.cleared', 'clearances.note', 'clearances.state']
          .map((k) => h('th', { scope: 'col' }, t(k))),
        mayRevoke ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('clearances.actions'))) : null)),
      h('tbody', null, list.map(row))));
}
