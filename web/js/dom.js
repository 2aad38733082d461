// Building the page from data without innerHTML: every value from the
// server or the document reader becomes a text node, never markup.

// h('button', {class: 'x', onclick: fn, 'aria-label': '…'}, 'text', child…)
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2), v);
      } else if (k === 'class') {
        el.className = v;
      } else if (k === 'dataset') {
        Object.assign(el.dataset, v);
      } else if (k === 'value' || k === 'checked' || k === 'selected') {
        el[k] = v;
      } else {
        el.setAttribute(k, v === true ? '' : String(v));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

const SVGNS = 'http://www.w3.org/2000/svg';
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === undefined || c === null) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

let uid = 0;
export function id(prefix) {
  uid += 1;
  return `${prefix || 'k'}-${uid}`;
}

// A labelled control: <div class=field><label for=…>…</label>control</div>.
export function field(labelText, control, hint) {
  if (!control.id) control.id = id('f');
  const parts = [h('label', { for: control.id }, labelText), control];
  if (hint) {
    const hid = id('hint');
    control.setAttribute('aria-describedby', hid);
    parts.push(h('span', { id: hid, class: 'muted' }, hint));
  }
  return h('div', { class: 'field' }, parts);
}
