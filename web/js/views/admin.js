// Administration: users (create, disable, reset password) and ports. The
// server refuses these to every role but admin; the page then says so in
// the reader's language and shows nothing else.
import { api } from '../api.js';
import { h, field, replace } from '../dom.js';
import { errorLine } from '../errors.js';
import { t } from '../i18n.js';
import { loading, failure } from './common.js';

const ROLES = ['officer', 'supervisor', 'analyst', 'admin'];

export function render(main, params, ctx) {
  const users = h('section', { class: 'panel', 'aria-labelledby': 'users-h' }, loading());
  const ports = h('section', { class: 'panel', 'aria-labelledby': 'ports-h' });
  main.append(h('h1', null, t('admin.title')), users, ports);

  async function loadUsers() {
    try {
      const r = await api.users();
      const list = (r && (r.users || r)) || [];
      replace(users, h('h2', { id: 'users-h' }, t('admin.users')), usersTable(list), createUserForm());
      loadPorts();
    } catch (err) {
      // Refused (403) or otherwise: the page says why and offers nothing.
      replace(users, h('h2', { id: 'users-h' }, t('admin.users')), failure(err));
      if (err.status === 403) { ports.remove(); users.id = 'admin-refused'; }
    }
  }

  function usersTable(list) {
    return h('table', null,
      h('thead', null, h('tr', null, ['admin.username', 'admin.role', 'admin.status', 'admin.actions']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', null, list.map((u) => userRow(u))));
  }

  function userRow(u) {
    const name = u.username || u.name;
    const disabled = !!(u.disabled || u.status === 'disabled' || u.active === false);
    const msg = h('div', { 'aria-live': 'polite' });
    const pw = h('input', { type: 'password', autocomplete: 'new-password', name: 'new-password' });
    const resetForm = h('form', { class: 'row', hidden: true, novalidate: true },
      field(t('admin.new_password_for', { user: name }), pw), h('button', { type: 'submit' }, t('admin.save_password')));
    resetForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (pw.value.length < 8) { replace(msg, h('p', { class: 'error', role: 'alert' }, t('admin.password_short'))); pw.focus(); return; }
      try {
        await api.resetPassword(name, pw.value);
        pw.value = '';
        resetForm.hidden = true;
        replace(msg, h('p', { class: 'ok' }, t('admin.password_reset', { user: name })));
      } catch (err) { replace(msg, errorLine(err)); }
    });
    return h('tr', null,
      h('td', null, name),
      h('td', null, t(`role.${u.role}`)),
      h('td', null, disabled ? t('admin.disabled') : t('admin.active')),
      h('td', null,
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'secondary', onclick: async () => {
            try {
              await api.disableUser(name, !disabled);
              ctx.say(t(disabled ? 'admin.user_enabled' : 'admin.user_disabled', { user: name }));
              loadUsers();
            } catch (err) { replace(msg, errorLine(err)); }
          } }, t(disabled ? 'admin.enable' : 'admin.disable', { user: name })),
          h('button', { type: 'button', class: 'secondary', onclick: () => { resetForm.hidden = false; pw.focus(); } },
            t('admin.reset', { user: name }))),
        resetForm, msg));
  }

  function createUserForm() {
    const user = h('input', { type: 'text', name: 'username', autocomplete: 'off', required: true });
    const pw = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true });
    const role = h('select', { name: 'role' }, ROLES.map((r) => h('option', { value: r }, t(`role.${r}`))));
    const msg = h('div', { 'aria-live': 'polite' });
    const form = h('form', { novalidate: true, 'aria-labelledby': 'new-user-h' },
      h('h3', { id: 'new-user-h' }, t('admin.create_user')),
      h('div', { class: 'row' }, field(t('admin.username'), user), field(t('admin.password'), pw), field(t('admin.role'), role),
        h('button', { type: 'submit' }, t('admin.create'))), msg);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!user.value.trim()) { replace(msg, h('p', { class: 'error', role: 'alert' }, t('admin.username_missing'))); user.focus(); return; }
      if (pw.value.length < 8) { replace(msg, h('p', { class: 'error', role: 'alert' }, t('admin.password_short'))); pw.focus(); return; }
      try {
        await api.createUser(user.value.trim(), pw.value, role.value);
        ctx.say(t('admin.user_created', { user: user.value.trim() }));
        loadUsers();
      } catch (err) { replace(msg, errorLine(err)); }
    });
    return form;
  }

  async function loadPorts() {
    replace(ports, h('h2', { id: 'ports-h' }, t('admin.ports')), loading());
    try {
      const r = await api.ports();
      const list = (r && (r.ports || r)) || [];
      const code = h('input', { type: 'text', name: 'code', maxlength: '5', autocomplete: 'off', required: true });
      const name = h('input', { type: 'text', name: 'name', autocomplete: 'off', required: true });
      const msg = h('div', { 'aria-live': 'polite' });
      const form = h('form', { novalidate: true, 'aria-labelledby': 'new-port-h' },
        h('h3', { id: 'new-port-h' }, t('admin.add_port')),
        h('div', { class: 'row' }, field(t('admin.port_code'), code), field(t('admin.port_name'), name),
          h('button', { type: 'submit' }, t('admin.add'))), msg);
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        if (!/^[A-Za-z0-9]{3,5}$/.test(code.value.trim())) { replace(msg, h('p', { class: 'error', role: 'alert' }, t('admin.port_code_bad'))); code.focus(); return; }
        try {
          await api.createPort(code.value.trim().toUpperCase(), name.value.trim());
          ctx.say(t('admin.port_added', { code: code.value.trim().toUpperCase() }));
          loadPorts();
        } catch (err) { replace(msg, errorLine(err)); }
      });
      replace(ports, h('h2', { id: 'ports-h' }, t('admin.ports')),
        h('table', null, h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('admin.port_code')), h('th', { scope: 'col' }, t('admin.port_name')))),
          h('tbody', null, list.map((p) => h('tr', null, h('td', null, p.code), h('td', null, p.name || ''))))),
        form);
    } catch (err) {
      replace(ports, h('h2', { id: 'ports-h' }, t('admin.ports')), failure(err));
    }
  }

  loadUsers();
}
