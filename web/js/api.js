// The kouan HTTP API (/api/v1, see docs/api.md) as seen by the interface:
// one request function that adds the session token, turns error bodies
// {"error":{"code","message","field"}} into ApiError, and rides out a lost
// connection by retrying with back-off while telling the page (a border
// post's network drops; the officer must see it and the work must resume
// by itself). Every endpoint the pages use is named once, at the bottom.

const BASE = '/api/v1';
const SESSION_KEY = 'kouan.session';
const RETRY_MAX_MS = 8000;

export class ApiError extends Error {
  constructor(status, code, message, field, body) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || null;
    this.field = field || null;
    this.body = body || null;
  }
}

let session = null;
try { session = JSON.parse(localStorage.getItem(SESSION_KEY) || 'null'); } catch { session = null; }

const connListeners = new Set();
const authListeners = new Set();
let connLost = false;
let wakeRetry = null;

export function onConnection(fn) { connListeners.add(fn); }
export function onSessionEnd(fn) { authListeners.add(fn); }
export function retryNow() { if (wakeRetry) wakeRetry(); }

function setConn(state, retryInMs) {
  const lost = state === 'lost';
  if (!lost && !connLost) return;
  connLost = lost;
  for (const fn of connListeners) fn(state, retryInMs);
}

export function currentSession() { return session; }

export function saveSession(s) {
  session = s;
  try {
    if (s) localStorage.setItem(SESSION_KEY, JSON.stringify(s));
    else localStorage.removeItem(SESSION_KEY);
  } catch { /* storage off: the session lasts this page only */ }
}

function sleep(ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() { clearTimeout(timer); wakeRetry = null; resolve(); }
    wakeRetry = done;
  });
}

async function readBody(res) {
  const text = await res.text();
  if (!text) return null;
  try { return JSON.parse(text); } catch { return { raw: text }; }
}

// request('POST', '/inspections', {...}) → parsed JSON body.
// Network failures and 502/503/504 are retried until the server answers;
// anything else that is not 2xx throws ApiError.
export async function request(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let delay = 500;
  for (;;) {
    if (session && session.token) headers.Authorization = `Bearer ${session.token}`;
    let res;
    try {
      res = await fetch(BASE + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: opts.signal,
        cache: 'no-store',
      });
    } catch (e) {
      if (e && e.name === 'AbortError') throw e;
      res = null;
    }
    if (!res || res.status === 502 || res.status === 503 || res.status === 504) {
      delay = Math.min(delay * 2, RETRY_MAX_MS);
      setConn('lost', delay);
      await sleep(delay);
      continue;
    }
    setConn('ok');
    const data = await readBody(res);
    if (res.ok) return data;
    const err = (data && data.error) || {};
    const e = new ApiError(res.status, err.code, err.message, err.field, data);
    if (res.status === 401 && path !== '/login' && session) {
      saveSession(null);
      for (const fn of authListeners) fn('expired');
    }
    if (res.status === 429) e.retryAfter = Number(res.headers.get('Retry-After')) || null;
    throw e;
  }
}

// Upload a file with progress (fetch cannot report upload progress).
// onProgress(sentBytes, totalBytes). Resolves to the JSON answer.
export function upload(path, file, contentType, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', BASE + path);
    xhr.setRequestHeader('Accept', 'application/json');
    // a FormData body sends its own multipart type, with its boundary
    if (!(file instanceof FormData)) xhr.setRequestHeader('Content-Type', contentType || 'application/octet-stream');
    if (session && session.token) xhr.setRequestHeader('Authorization', `Bearer ${session.token}`);
    xhr.upload.onprogress = (ev) => { if (onProgress) onProgress(ev.loaded, ev.lengthComputable ? ev.total : file.size || 0); };
    xhr.onerror = () => reject(new ApiError(0, 'network', null, null, null));
    xhr.onload = () => {
      let data = null;
      try { data = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(data); return; }
      const err = (data && data.error) || {};
      if (xhr.status === 401) { saveSession(null); for (const fn of authListeners) fn('expired'); }
      reject(new ApiError(xhr.status, err.code, err.message, err.field, data));
    };
    xhr.send(file);
  });
}

const q = (params) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? `?${s}` : '';
};
const seg = encodeURIComponent;

// The endpoints, in one place.
export const api = {
  login: (username, password) => request('POST', '/login', { username, password }),
  logout: () => request('POST', '/logout', {}),
  me: () => request('GET', '/me'),
  inspect: (mrz, port, direction) => request('POST', '/inspections', { mrz, port, direction }),
  inspection: (id) => request('GET', `/inspections/${seg(id)}`),
  recordCrossing: (inspectionId, decision) =>
    request('POST', '/crossings', { inspection_id: inspectionId, decision }),
  crossings: (params) => request('GET', `/crossings${q(params)}`),
  traveller: (id) => request('GET', `/travellers/${seg(id)}`),
  referrals: (params) => request('GET', `/referrals${q(params)}`),
  decideReferral: (id, decision, note, cleared) =>
    request('POST', `/referrals/${seg(id)}/decision`,
      cleared && cleared.length ? { decision, note, cleared } : { decision, note }),
  revokeClearance: (id) => request('POST', `/clearances/${seg(id)}/revoke`),
  stats: (group, params) => request('GET', `/stats/crossings${q({ group, ...params })}`),
  watchlists: () => request('GET', '/watchlists'),
  watchlistDelta: (name) => request('GET', `/watchlists/${seg(name)}/delta`),
  watchlistEntry: (name, id) => request('GET', `/watchlists/${seg(name)}/entries/${seg(id)}`),
  watchlistEntryAdd: (name, entry) => request('POST', `/watchlists/${seg(name)}/entries`, entry),
  watchlistEntryRemove: (name, id) => request('POST', `/watchlists/${seg(name)}/entries/${seg(id)}/remove`),
  watchlistRetire: (name, reason) => request('POST', `/watchlists/${seg(name)}/retire`, { reason }),
  watchlistSearch: (name) => request('GET', `/watchlists/search${q({ name })}`),
  watchlistUpload: (name, format, file, onProgress) =>
    upload(`/watchlists/${seg(name)}${q({ format })}`, file, file.type || 'application/octet-stream', onProgress),
  users: () => request('GET', '/users'),
  createUser: (username, password, role) => request('POST', '/users', { username, password, role }),
  disableUser: (username, disabled = true) => request('POST', `/users/${seg(username)}/disable`, { disabled }),
  resetPassword: (username, password) => request('POST', `/users/${seg(username)}/password`, { password }),
  ports: () => request('GET', '/ports'),
  createPort: (code, name) => request('POST', '/ports', { code, name }),
};
