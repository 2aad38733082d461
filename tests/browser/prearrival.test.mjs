// The pre-arrival pages in a real browser: the real kouan server (fresh
// database, --demo) on 127.0.0.1 and Debian's chromium. The administrator
// loads the test lists of tests/data/prearrival and sends the PAXLST of
// flight LA532 (SCL-JFK, 2020-01-20) through the API; the analyst opens the
// pre-arrival page for that day, sees the flight with its two alerts, opens
// it and finds JIANG (listed person) and CAPONE (stolen passport) with their
// explanations above the ten-person manifest; the same page in Arabic is
// right-to-left; a corrected passenger list for KQ310 replaces the first
// (tests/data/paxlst/corrections) and the flight page lists both messages,
// the first superseded; a list loaded after a message for tomorrow's KQ901
// raises an alert that says which list version found it, withdrawn when the
// next version drops the entry; a traveller a supervisor cleared at the
// counter has his hit shown cleared on his next flight's page; an officer
// has no pre-arrival menu entry.
// Screenshots go to build/screenshots/; axe-core allows no serious or
// critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Server, launchBrowser, watchErrors, shot, axeCheck, formatViolations, ROOT, td3 } from './harness.mjs';

const BIN = process.env.KOUAN_BIN || path.join(ROOT, 'build', 'kouan');
const CORPUS = path.join(ROOT, '..', 'shared', 'corpus', 'paxlst', 'gtas__tamr__flight1.txt');
const DATA = path.join(ROOT, 'tests', 'data', 'prearrival');
const COR = path.join(ROOT, 'tests', 'data', 'paxlst', 'corrections');

let server;
let browser;
let closeBrowser;
let page;
let errors;
let base;

async function call(method, p, body, token, type = 'application/json') {
  const res = await fetch(`${base}/api/v1${p}`, {
    method,
    headers: { 'Content-Type': type, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function login(user) {
  await page.goto(`${base}/#/login`);
  await page.evaluate(() => localStorage.setItem('kouan.lang', 'en'));
  await page.goto(`${base}/#/login`);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForFunction(() => !location.hash.startsWith('#/login'));
}

async function assertAccessible(name) {
  const bad = await axeCheck(page);
  assert.equal(bad.length, 0, `axe on ${name}:\n${formatViolations(bad)}`);
}

before(async () => {
  server = new Server(BIN);
  base = await server.start();
  const admin = await call('POST', '/login', JSON.stringify({ username: 'admin', password: 'demo' }));
  assert.equal(admin.status, 200);
  const token = admin.body.token;
  for (const [name, format, file] of [['pre_persons', 'csv', 'persons.csv'], ['pre_documents', 'docs-csv', 'documents.csv']]) {
    const r = await call('POST', `/watchlists/${name}?format=${format}`, readFileSync(path.join(DATA, file)), token, 'text/csv');
    assert.equal(r.status, 200, `list ${name}: ${JSON.stringify(r.body)}`);
  }
  const m = await call('POST', '/messages', readFileSync(CORPUS), token, 'application/edifact');
  assert.equal(m.status, 202, JSON.stringify(m.body));
  ({ context: browser, close: closeBrowser } = await launchBrowser());
  page = await browser.newPage();
  errors = watchErrors(page);
});

after(async () => {
  if (closeBrowser) await closeBrowser();
  if (server) await server.cleanup();
});

test('the analyst sees the day\'s flights with their alerts', async () => {
  await login('analyst');
  await page.getByRole('link', { name: 'Pre-arrival' }).click();
  await page.waitForFunction(() => location.hash.startsWith('#/prearrival'));
  await page.goto(`${base}/#/prearrival/2020-01-20`);
  const row = page.locator('table.flights tbody tr', { hasText: 'LA532' });
  await row.waitFor();
  assert.match(await row.innerText(), /SCL → JFK/);
  assert.match(await row.innerText(), /2020-01-20T07:40/);
  assert.equal((await row.locator('td').nth(4).innerText()).trim(), '10');
  assert.equal((await row.locator('.badge').innerText()).trim(), '2');
  const alerts = page.locator('.flight-alerts');
  await alerts.waitFor();
  const text = await alerts.innerText();
  assert.match(text, /JIANG/);
  assert.match(text, /CAPONE/);
  assert.match(text, /907316631/);
  await shot(page, 'prearrival-day');
  await assertAccessible('pre-arrival day');
  assert.deepEqual(errors, []);
});

test('the flight page shows the alerts with explanations, then the manifest', async () => {
  await page.goto(`${base}/#/prearrival/2020-01-20`);
  await page.locator('table.flights a', { hasText: 'LA532' }).click();
  await page.waitForFunction(() => location.hash.startsWith('#/flight/'));
  await page.locator('table.manifest tbody tr').first().waitFor();
  assert.equal(await page.locator('table.manifest tbody tr').count(), 10);
  const jiang = page.locator('article.alert', { hasText: 'JIANG' });
  await jiang.waitFor();
  const jt = await jiang.innerText();
  assert.match(jt, /Hsiu-Yuan Jiang/, 'the listed name');
  assert.match(jt, /pre_persons/, 'the list');
  assert.match(jt, /Why/i, 'the explanation');
  assert.equal(await page.locator('article.alert').count(), 2);
  // every document a traveller is on, the visa beside the passport
  assert.match(jt, /433419360 CHN · V 57131424 USA/, 'both of his documents');
  const cannon = page.locator('table.manifest tbody tr', { hasText: 'CANNON' });
  assert.match(await cannon.innerText(), /P 396949747 · V 86443634 USA/);
  await shot(page, 'prearrival-flight');
  await assertAccessible('flight');
  await page.getByLabel('Language').selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await page.locator('table.manifest').waitFor();
  await shot(page, 'prearrival-flight-ar');
  await assertAccessible('flight (Arabic)');
  await page.getByLabel(/اللغة|Language/).selectOption('en');
  assert.deepEqual(errors, []);
});

test('a corrected list replaces the first: the page lists both messages, the first superseded', async () => {
  const admin = await call('POST', '/login', JSON.stringify({ username: 'admin', password: 'demo' }));
  for (const f of ['list_1.edi', 'list_2.edi']) {
    const r = await call('POST', '/messages', readFileSync(path.join(COR, f)), admin.body.token, 'application/edifact');
    assert.equal(r.status, 202, JSON.stringify(r.body));
  }
  await login('analyst');
  await page.goto(`${base}/#/prearrival/2026-12-01`);
  await page.locator('table.flights a', { hasText: 'KQ310' }).click();
  await page.waitForFunction(() => location.hash.startsWith('#/flight/'));
  await page.locator('table.lists tbody tr').first().waitFor();
  assert.equal(await page.locator('table.manifest tbody tr').count(), 4);
  const names = await page.locator('table.manifest tbody').innerText();
  assert.doesNotMatch(names, /JIANG/, 'removed by the corrected list');
  assert.match(names, /DOE/, 'added by the corrected list');
  assert.equal(await page.locator('article.alert').count(), 1);
  const rows = page.locator('table.lists tbody tr');
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.nth(0).getAttribute('data-status'), 'superseded');
  assert.match(await rows.nth(0).innerText(), /superseded by/);
  assert.equal(await rows.nth(1).getAttribute('data-status'), 'current');
  assert.match(await rows.nth(1).innerText(), /PAXLST 745[\s\S]*passengers[\s\S]*full list[\s\S]*4 \/ 4[\s\S]*in force/);
  await shot(page, 'prearrival-corrected');
  await assertAccessible('flight with a corrected list');
  assert.deepEqual(errors, []);
});

// A passenger list for KQ901 NBO-AMS arriving on day (a Date, UTC): one
// passenger, on no list when it is sent.
function paxlstFor(day) {
  const d = day.toISOString().slice(2, 10).replaceAll('-', '');
  return ["UNA:+.? '", `UNB+UNOA:4+KQ+CUSTOMSAPI+${d}:0745+RSB01++APIS'`,
    `UNG+PAXLST+KENYA AIRWAYS+CUSTOMSAPI+${d}:0745+1+UN+D:05B'`,
    `UNH+RSB01+PAXLST:D:05B:UN:IATA+KQ901${d}+01:F'`, "BGM+745'",
    "NAD+MS+++KQ OPERATIONS CONTROL'", "TDT+20+KQ901+++KQ'", "LOC+125+NBO'",
    `DTM+189:${d}0830:201'`, "LOC+87+AMS'", `DTM+232:${d}1605:201'`,
    "NAD+FL+++VASQUEZ BRANDT:OTTOLINE'", "ATT+2++F'", "DTM+329:791123'", "NAT+2+CHL'",
    "DOC+P+C04417755'", "DTM+36:310707'", "LOC+91+CHL'", "CNT+42:1'", "UNT+17+RSB01'",
    "UNE+1+1'", "UNZ+1+RSB01'"].join('\n') + '\n';
}

test('a list loaded after the airline message: the flight page says which version found the alert', async () => {
  const admin = await call('POST', '/login', JSON.stringify({ username: 'admin', password: 'demo' }));
  const tomorrow = new Date(Date.now() + 86400000);
  const m = await call('POST', '/messages', paxlstFor(tomorrow), admin.body.token, 'application/edifact');
  assert.equal(m.status, 202, JSON.stringify(m.body));
  const list = 'id,name,date_of_birth,nationality\nRS-2,Ottoline Vasquez-Brandt,1979-11-23,CHL\n';
  const r = await call('POST', '/watchlists/late_persons?format=csv', list, admin.body.token, 'text/csv');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.rescreen.new_hits, 1, JSON.stringify(r.body.rescreen));
  await login('analyst');
  await page.goto(`${base}/#/prearrival/${tomorrow.toISOString().slice(0, 10)}`);
  await page.locator('table.flights a', { hasText: 'KQ901' }).click();
  await page.waitForFunction(() => location.hash.startsWith('#/flight/'));
  const alert = page.locator('article.alert', { hasText: 'VASQUEZ BRANDT' });
  await alert.waitFor();
  const found = alert.locator('.found-by');
  // the time in the reader's locale and time zone, as beside it, not the server's UTC stamp
  const LOCAL = /\(\w{3} \d{1,2}, \d{4}, \d{1,2}:\d\d[\s\u202f][AP]M\)/;
  assert.match(await found.innerText(), /Found when list late_persons version 1 was loaded/);
  assert.match(await found.innerText(), LOCAL);
  const received = await page.locator('table.lists tbody td').first().innerText();
  assert.doesNotMatch(received, /\dT\d|Z$/, `the message's arrival time: ${received}`);
  assert.match(received, /\w{3} \d{1,2}, \d{4}, \d{1,2}:\d\d/);
  assert.match(await alert.innerText(), /Ottoline Vasquez-Brandt/, 'the listed name');
  await shot(page, 'prearrival-found-by-update');
  await assertAccessible('flight with an alert found by a list update');
  // delisted: the alert stays on the page, withdrawn, and no longer counts
  const empty = await call('POST', '/watchlists/late_persons?format=csv',
    'id,name,date_of_birth,nationality\nRS-9,Someone Else Entirely,1940-01-01,NZL\n', admin.body.token, 'text/csv');
  assert.equal(empty.body.rescreen.withdrawn, 1, JSON.stringify(empty.body.rescreen));
  await page.reload();
  const gone = page.locator('article.alert.withdrawn', { hasText: 'VASQUEZ BRANDT' });
  await gone.waitFor();
  assert.match(await gone.locator('.withdrawn-by').innerText(),
    /No longer an alert: the entry was removed from list late_persons in version 2/);
  assert.match(await gone.locator('.withdrawn-by').innerText(), LOCAL);
  const row = page.locator('table.manifest tbody tr', { hasText: 'VASQUEZ BRANDT' });
  assert.equal((await row.locator('.badge').innerText()).trim(), '0');
  await shot(page, 'prearrival-withdrawn-by-update');
  await assertAccessible('flight with an alert withdrawn by a list update');
  assert.deepEqual(errors, []);
});

test('a PNR passenger listed under the booking\'s name: the alert says which name found him', async () => {
  const admin = await call('POST', '/login', JSON.stringify({ username: 'admin', password: 'demo' }));
  const tomorrow = new Date(Date.now() + 86400000);
  const ddmmyy = tomorrow.toISOString().slice(2, 10).split('-').reverse().join('');
  const pnr = readFileSync(path.join(ROOT, '..', 'shared', 'corpus', 'pnrgov', 'gtas__parsers__pnrMessage.txt'))
    .toString('latin1').replaceAll('121210', ddmmyy);
  const list = 'id,name,date_of_birth,nationality,gender\nBK-1,John Smithjr,1964-07-12,GBR,M\n';
  const r = await call('POST', '/watchlists/booked_persons?format=csv', list, admin.body.token, 'text/csv');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const m = await call('POST', '/messages', Buffer.from(pnr, 'latin1'), admin.body.token, 'text/plain');
  assert.equal(m.status, 202, JSON.stringify(m.body));
  await login('analyst');
  await page.goto(`${base}/#/prearrival/${tomorrow.toISOString().slice(0, 10)}`);
  await page.locator('table.flights a', { hasText: 'DL324' }).click();
  await page.waitForFunction(() => location.hash.startsWith('#/flight/'));
  const alert = page.locator('article.alert', { hasText: 'SMITHJR' });
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /SMITHJR, JONATHON ROBERT/, 'the passport\'s name heads the alert');
  assert.match(text, /Name as booked\s*SMITHJR, JOHN/);
  assert.match(text, /Found by the name as booked \(SMITHJR, JOHN\), not the passport's/);
  await shot(page, 'prearrival-booking-name');
  await assertAccessible('flight with an alert found by the booking name');
  assert.deepEqual(errors, []);
});

test('at the counter, the inspection shows the traveller on tomorrow\'s flight', async () => {
  const admin = await call('POST', '/login', JSON.stringify({ username: 'admin', password: 'demo' }));
  const port = await call('POST', '/ports', JSON.stringify({ code: 'AMS', name: 'Amsterdam Schiphol' }), admin.body.token);
  assert.ok([201, 409].includes(port.status), JSON.stringify(port.body));
  await login('officer');
  await page.evaluate(() => localStorage.setItem('kouan.port', 'AMS'));
  await page.goto(`${base}/#/inspect`);
  await page.getByLabel('MRZ').waitFor();
  await page.waitForFunction(() => document.querySelector('select[name="port"]').value === 'AMS');
  const mrz = td3('VASQUEZ BRANDT', 'OTTOLINE', 'C04417755', 'CHL', '791123', 'F', '310707');
  await page.getByLabel('MRZ').fill(mrz.join('\n'));
  await page.getByLabel('MRZ').press('Enter');
  const panel = page.locator('#arrivals');
  await panel.waitFor();
  const text = await panel.innerText();
  assert.match(text, /On the passenger list of an arriving flight/);
  assert.match(text, /KQ901 from NBO to AMS, arriving \d{4}-\d\d-\d\d 16:05/);
  assert.match(text, /No alert before arrival/, 'her alert was withdrawn by the list update');
  await shot(page, 'inspect-arrival');
  await assertAccessible('inspection with the traveller on an arriving flight');
  // In Arabic the verdict and the flight stay on the page.
  await page.getByLabel('Language').selectOption('ar');
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  await page.locator('#arrivals').waitFor();
  assert.match(await page.locator('#arrivals').innerText(), /على قائمة ركاب رحلة قادمة/);
  await shot(page, 'inspect-arrival-ar');
  await assertAccessible('inspection with the traveller on an arriving flight (Arabic)');
  await page.getByLabel(/اللغة|Language/).selectOption('en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  // A new passport, not the one the airline sent: found by name and date of birth.
  const renewed = td3('VASQUEZ BRANDT', 'OTTOLINE', 'C09990001', 'CHL', '791123', 'F', '360707');
  await page.getByLabel('MRZ').fill(renewed.join('\n'));
  await page.getByLabel('MRZ').press('Enter');
  await page.locator('#arrivals', { hasText: 'found by name and date of birth' }).waitFor();
  assert.match(await page.locator('#arrivals').innerText(), /KQ901 from NBO to AMS/);
  assert.deepEqual(errors, []);
});

// A passenger list for KQ907 NBO-AMS arriving on day with one passenger,
// Rashid Karimov on passport FA1234567.
function karimovFlight(day) {
  const d = day.toISOString().slice(2, 10).replaceAll('-', '');
  return ["UNA:+.? '", `UNB+UNOA:4+KQ+CUSTOMSAPI+${d}:0745+CLB01++APIS'`,
    `UNH+CLB01+PAXLST:D:05B:UN:IATA+KQ907${d}+01:F'`, "BGM+745'",
    "NAD+MS+++KQ OPERATIONS CONTROL'", "TDT+20+KQ907+++KQ'", "LOC+125+NBO'",
    `DTM+189:${d}0830:201'`, "LOC+87+AMS'", `DTM+232:${d}1605:201'`,
    "NAD+FL+++KARIMOV:RASHID'", "ATT+2++M'", "DTM+329:700505'", "NAT+2+UZB'",
    "DOC+P+FA1234567'", "DTM+36:300101'", "LOC+91+UZB'", "CNT+42:1'", "UNT+17+CLB01'",
    "UNZ+1+CLB01'"].join('\n') + '\n';
}

test('a traveller a supervisor cleared at the counter: his flight\'s alert shows the hit cleared', async () => {
  const tok = async (u) => (await call('POST', '/login', JSON.stringify({ username: u, password: 'demo' }))).body.token;
  const admin = await tok('admin');
  const port = await call('POST', '/ports', JSON.stringify({ code: 'AMS', name: 'Amsterdam Schiphol' }), admin);
  assert.ok([201, 409].includes(port.status), JSON.stringify(port.body));
  const list = 'id,name,date_of_birth,nationality,gender\nCL-1,Rashid Karimov,1970,UZB,M\n';
  const l = await call('POST', '/watchlists/clr_persons?format=csv', list, admin, 'text/csv');
  assert.equal(l.status, 200, JSON.stringify(l.body));
  // referred at the counter, and the supervisor finds CL-1 is not him
  const officer = await tok('officer');
  const mrz = td3('KARIMOV', 'RASHID', 'FA1234567', 'UZB', '700505', 'M', '300101');
  const ins = await call('POST', '/inspections', JSON.stringify({ mrz: mrz.join('\n'), port: 'AMS', direction: 'entry' }), officer);
  assert.equal(ins.body.decision, 'refer', JSON.stringify(ins.body));
  const x = await call('POST', '/crossings', JSON.stringify({ inspection_id: ins.body.id, decision: 'referred' }), officer);
  assert.equal(x.status, 201, JSON.stringify(x.body));
  const d = await call('POST', `/referrals/${x.body.referral_id}/decision`, JSON.stringify({
    decision: 'admitted', note: 'not the listed man', cleared: [{ list: 'clr_persons', entity_id: 'CL-1' }] }), await tok('supervisor'));
  assert.equal(d.status, 201, JSON.stringify(d.body));
  // his next flight: the airline's list screened, the hit kept, shown cleared
  const day = new Date(Date.now() + 2 * 86400000);
  const m = await call('POST', '/messages', karimovFlight(day), admin, 'application/edifact');
  assert.equal(m.status, 202, JSON.stringify(m.body));
  await login('analyst');
  await page.goto(`${base}/#/prearrival/${day.toISOString().slice(0, 10)}`);
  await page.locator('table.flights a', { hasText: 'KQ907' }).click();
  await page.waitForFunction(() => location.hash.startsWith('#/flight/'));
  const alert = page.locator('article.alert', { hasText: 'KARIMOV' });
  await alert.waitFor();
  assert.match(await alert.getAttribute('class'), /withdrawn/, 'no hit left for an officer');
  const card = alert.locator('article.hit.hit-cleared');
  assert.match(await card.innerText(), /Cleared earlier: not this traveller\. By supervisor, .*not the listed man/s);
  const row = page.locator('table.manifest tbody tr', { hasText: 'KARIMOV' });
  assert.equal((await row.locator('.badge').innerText()).trim(), '0');
  assert.match(await page.locator('dl.fields').first().innerText(), /1 \(1 cleared earlier as not the traveller\)/);
  await shot(page, 'prearrival-cleared');
  await assertAccessible('flight with a traveller cleared earlier');
  assert.deepEqual(errors, []);
});

test('an officer has no pre-arrival entry and is refused the data', async () => {
  await login('officer');
  assert.equal(await page.getByRole('link', { name: 'Pre-arrival' }).count(), 0);
  const off = await call('POST', '/login', JSON.stringify({ username: 'officer', password: 'demo' }));
  const r = await call('GET', '/flights?date=2020-01-20', undefined, off.body.token);
  assert.equal(r.status, 403);
});
