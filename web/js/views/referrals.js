// Referrals: the secondary officers' queue. Each open referral shows the
// traveller, the document, why it was referred (checks and hits), and a
// form to close it with admit or refuse and a note, which records the
// final crossing, and to say which watchlist hits are not this traveller
// (cleared for their later inspections while the entry is unchanged).
import { api } from '../api.js';
import { h, field, replace, id } from '../dom.js';
import { errorLine } from '../errors.js';
import { t, has, fmtDateTime } from '../i18n.js';
import { loading, failure, personName, hitCard, docFields, fieldList, decisionLabel } from './common.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isOpen(r) {
  return !r.status || r.status === 'open' || r.status === 'pending';
}

export function render(main, params, ctx) {
  const list = h('div', null, loading());
  const showClosed = h('input', { type: 'checkbox', id: 'ref-closed' });
  main.append(
    h('h1', null, t('referrals.title')),
    h('p', null, h('label', { for: 'ref-closed' }, showClosed, ' ', t('referrals.show_closed'))),
    list);

  let items = [];
  // Each referral's inspection, read once for this page (every read of it
  // is audited as a read of the traveller's data): inspection id → promise.
  const inspections = new Map();
  // The cards drawn, by referral and its state: a redraw keeps a card whose
  // referral has not changed (its open entry, its scroll position).
  let cards = new Map();
  let drawn = null;
  const cardKey = (r) => `${r.id} ${r.status || ''} ${r.decision || ''}`;

  async function load() {
    if (!drawn) replace(list, loading());
    try {
      const r = await api.referrals();
      items = (r && (r.referrals || r.items || r)) || [];
      draw();
    } catch (err) {
      drawn = null;
      replace(list, failure(err));
    }
  }

  // Redrawn only when the referrals shown are not those on the page.
  function draw() {
    const shown = items.filter((r) => showClosed.checked || isOpen(r));
    const keys = shown.map(cardKey);
    if (drawn !== null && keys.join('|') === drawn) return;
    drawn = keys.join('|');
    if (!shown.length) {
      cards = new Map();
      replace(list, h('p', { class: 'muted' }, t('referrals.none')));
      return;
    }
    const next = new Map(shown.map((r, i) => [keys[i], cards.get(keys[i]) || card(r)]));
    cards = next;
    replace(list, [...next.values()]);
  }

  function inspectionOf(iid) {
    if (!inspections.has(iid)) {
      const p = api.inspection(iid);
      inspections.set(iid, p);
      p.catch(() => inspections.delete(iid)); // a failure is read again at the next drawing
    }
    return inspections.get(iid);
  }

  function card(r) {
    const headId = id('ref');
    const box = h('article', { class: 'panel referral', 'aria-labelledby': headId, dataset: { id: r.id } });
    const body = h('div');
    const form = isOpen(r) ? closeForm(r) : null;
    const fill = (ins) => {
      const tr = r.traveller || (ins && ins.traveller) || {};
      const tid = tr.id || r.traveller_id;
      const doc = r.document || (ins && ins.document);
      const name = personName(tr) || personName(doc) || r.name || t('hits.unnamed');
      // A username, not an internal id: officers know each other by name.
      const officer = [r.opened_by_username, r.officer, r.opened_by].find((x) => x && !UUID.test(x)) || '';
      replace(box,
        h('h2', { id: headId }, h('bdi', null, name), ' ',
          isOpen(r) ? h('span', { class: 'status-open' }, t('referrals.open'))
            : h('span', { class: 'tag' }, t('referrals.closed'), r.decision ? ` — ${decisionLabel(r.decision)}` : '')),
        h('p', { class: 'muted' },
          t(officer ? 'referrals.meta' : 'referrals.meta_no_officer', {
            time: fmtDateTime(r.opened || r.opened_at || r.opened_ms || r.created_at || r.time),
            port: r.port || (ins && ins.port) || '—', officer }), ' ',
          tid ? h('a', { href: `#/traveller/${encodeURIComponent(tid)}` }, t('referrals.traveller_link')) : null),
        r.note ? h('p', null, h('strong', null, t('referrals.note')), ': ', h('bdi', null, r.note)) : null,
        body);
      replace(body);
      if (doc) body.append(fieldList(docFields(doc)));
      const reasons = r.reasons || r.checks || (ins && ins.checks) || [];
      const failing = reasons.filter((c) => typeof c === 'string' || c.status !== 'pass');
      if (failing.length || r.reason) {
        body.append(h('h3', null, t('referrals.why')), h('ul', null,
          r.reason ? h('li', null, h('bdi', null, r.reason)) : null,
          failing.map((c) => h('li', null, typeof c === 'string' ? h('bdi', null, c)
            : [h('strong', null, has(`check.${c.name}`) ? t(`check.${c.name}`) : c.name), ' — ',
              h('bdi', null, c.reason || '')]))));
      }
      const hits = r.hits || (ins && ins.hits) || [];
      for (const x of hits) body.append(hitCard(x, 'h3'));
      if (form) {
        // Watchlist hits the supervisor may find are not this traveller
        // (those already cleared for the entry as it is need no more).
        form.clearable(hits.filter((x) => x.check === 'watchlist' && x.entry_version &&
          !(x.cleared && x.cleared.applies)));
        body.append(form);
      }
    };
    fill(r.inspection || null);
    // The referral names its inspection; the inspection holds the document,
    // the checks and the hits that made the officer refer.
    if (!r.inspection && !r.document && r.inspection_id) {
      inspectionOf(r.inspection_id).then(fill).catch((err) => body.prepend(failure(err)));
    }
    return box;
  }

  function closeForm(r) {
    const gid = id('dec');
    const admit = h('input', { type: 'radio', name: gid, value: 'admitted', id: `${gid}-a` });
    const refuse = h('input', { type: 'radio', name: gid, value: 'refused', id: `${gid}-r` });
    const note = h('textarea', { rows: '2', name: 'note' });
    const msg = h('div', { 'aria-live': 'polite' });
    const btn = h('button', { type: 'submit' }, t('referrals.close'));
    const clearBox = h('div');
    let boxes = [];
    const form = h('form', { novalidate: true },
      h('fieldset', null, h('legend', null, t('referrals.decision')),
        h('label', { for: `${gid}-a` }, admit, ' ', t('decision.admitted')), ' ',
        h('label', { for: `${gid}-r` }, refuse, ' ', t('decision.refused'))),
      clearBox, field(t('referrals.note'), note), msg, btn);
    form.clearable = (hits) => {
      boxes = hits.map((x) => ({ x, cb: h('input', { type: 'checkbox', id: id('clr'), name: 'cleared' }) }));
      replace(clearBox, boxes.length ? h('fieldset', null,
        h('legend', null, t('referrals.not_this_traveller')),
        h('p', { class: 'muted' }, t('referrals.not_this_traveller_help')),
        boxes.map(({ x, cb }) => h('div', null, h('label', { for: cb.id }, cb, ' ',
          t('referrals.not_this_entity', { name: x.name || x.entity_id, list: x.list, id: x.entity_id }))))) : null);
    };
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const decision = admit.checked ? 'admitted' : refuse.checked ? 'refused' : null;
      if (!decision) {
        replace(msg, h('p', { class: 'error', role: 'alert' }, t('referrals.choose')));
        admit.focus();
        return;
      }
      const cleared = boxes.filter(({ cb }) => cb.checked)
        .map(({ x }) => ({ list: x.list, entity_id: x.entity_id }));
      btn.disabled = true;
      try {
        await api.decideReferral(r.id, decision, note.value.trim(), cleared);
        ctx.say(t(cleared.length ? 'referrals.closed_cleared' : 'referrals.closed_ok',
          { decision: decisionLabel(decision), n: cleared.length }));
        await load();
        main.focus();
      } catch (err) {
        replace(msg, errorLine(err));
        btn.disabled = false;
      }
    });
    return form;
  }

  showClosed.addEventListener('change', draw);
  load();

  // The queue refreshes itself every 15 s, unless the officer is working in
  // it (focus inside, a note typed, a choice made, a listed entry open, or
  // text selected to read or copy), so nothing is lost under the cursor.
  const busy = () => {
    const sel = document.getSelection();
    return list.contains(document.activeElement) ||
      [...list.querySelectorAll('textarea')].some((x) => x.value) ||
      [...list.querySelectorAll('input[type=radio], input[type=checkbox]')].some((x) => x.checked) ||
      list.querySelector('details[open]') !== null ||
      (sel && !sel.isCollapsed && sel.rangeCount > 0 && list.contains(sel.getRangeAt(0).commonAncestorContainer));
  };
  const timer = setInterval(async () => {
    if (busy() || document.hidden) return;
    try {
      const r = await api.referrals();
      if (busy()) return;
      items = (r && (r.referrals || r.items || r)) || [];
      draw();
    } catch { /* the banner or the next refresh tells */ }
  }, 15000);
  return () => clearInterval(timer);
}
