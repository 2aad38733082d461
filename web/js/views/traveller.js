// A traveller: identity, documents and the full crossing history.
// Reading it is audited by the server.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { loading, failure, personName, crossingsTable, newestFirst, docFields, fieldList, explain } from './common.js';

const IDENTITY = ['surname', 'given_names', 'nationality', 'date_of_birth', 'sex'];

export function render(main, params) {
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
      h('h1', null, personName(tr) || t('traveller.title')),
      h('section', { class: 'panel', 'aria-labelledby': 'tr-id' },
        h('h2', { id: 'tr-id' }, t('traveller.identity')),
        fieldList([...ident, ['traveller_id', tr.id || tid]])),
      h('section', { class: 'panel', 'aria-labelledby': 'tr-docs' },
        h('h2', { id: 'tr-docs' }, t('traveller.documents')),
        docs.length ? h('div', { class: 'grid3' }, docs.map((d) => h('div', null, fieldList(docFields(d)))))
          : h('p', { class: 'muted' }, t('traveller.no_documents'))),
      tr.stay || r.stay ? h('section', { class: 'panel', 'aria-labelledby': 'tr-stay' },
        h('h2', { id: 'tr-stay' }, t('traveller.stay')), explain(tr.stay || r.stay)) : null,
      h('section', { class: 'panel', 'aria-labelledby': 'tr-cross' },
        h('h2', { id: 'tr-cross' }, t('traveller.history', { n: crossings.length })),
        crossingsTable(newestFirst(crossings), { officer: true, caption: t('traveller.history', { n: crossings.length }) })));
  }).catch((err) => replace(box, failure(err)));
}
