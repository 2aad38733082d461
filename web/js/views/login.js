// Login: username and password → a session token kept (in localStorage)
// until logout or until the server says it has expired.
import { api, saveSession, currentSession } from '../api.js';
import { h, field } from '../dom.js';
import { describe } from '../errors.js';
import { t } from '../i18n.js';

export function render(main, params, ctx) {
  const user = h('input', { type: 'text', name: 'username', autocomplete: 'username', required: true,
                            autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const msg = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit' }, t('login.submit'));
  const form = h('form', { class: 'panel login', novalidate: true },
    h('h1', null, t('login.title')),
    field(t('login.username'), user),
    field(t('login.password'), pass),
    msg,
    submit);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.textContent = '';
    if (!user.value.trim() || !pass.value) {
      msg.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('login.missing')));
      (user.value.trim() ? pass : user).focus();
      return;
    }
    submit.disabled = true;
    try {
      const res = await api.login(user.value.trim(), pass.value);
      const s = { token: res.token, username: user.value.trim(),
                  role: res.role || (res.user && res.user.role) || null,
                  expires: res.expires || res.expires_at || null };
      saveSession(s);
      if (!s.role) {
        try {
          const me = await api.me();
          s.role = me.role || (me.user && me.user.role) || null;
          saveSession(s);
        } catch { /* the menu then shows every page; the server still decides */ }
      }
      ctx.go(ctx.homeFor(s.role));
    } catch (err) {
      const text = err && err.status === 401 ? t('login.failed') : describe(err);
      msg.replaceChildren(h('p', { class: 'error', role: 'alert' }, text));
      pass.value = '';
      pass.focus();
    } finally {
      submit.disabled = false;
    }
  });

  if (currentSession()) saveSession(null);
  main.append(form);
  user.focus();
}
