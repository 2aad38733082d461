// What a reader meets on the watchlists, referrals and traveller pages
// beyond the main scenario, in a real browser against a fresh
// `kouan serve --demo`:
//   a refused upload shows the server's reason (the line, the missing
//   column, the file cut short) under an upload sentence in en, ar, zh;
//   the lists table counts persons and documents apart; an upload's notes
//   are not called skipped lines; a retirement reason too long in bytes is
//   said before it is sent; a name search cut at 25 says how many match;
//   the referrals queue does not read its inspections again, nor close an
//   entry being read, every 15 s; in Arabic a Latin name, a check's reason
//   and a username beside a date keep their order, the bullets of a listed
//   entry stay in the card; the stay panel is a sentence in Chinese.
// axe-core allows no serious or critical violation on the pages shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Server, launchBrowser, watchErrors, shot, axeCheck, formatViolations, ROOT, td3 } from './harness.mjs';

const BIN = process.env.KOUAN_BIN || path.join(ROOT, 'build', 'kouan');
const SDN = path.join(ROOT, '..', 'shared', 'corpus', 'watchlists', 'lists', 'ofac_sdn_2024-05-03', 'sdn.csv');
const LEGACY = path.join(ROOT, '..', 'shared', 'corpus', 'watchlists', 'lists', 'ofac_sdn_legacy_2021-07-07');

let server;
let browser;
let closeBrowser;
let page;
let errors;
let base;
const tokens = {};

async function call(method, p, body, user, type = 'application/json') {
  const res = await fetch(`${base}/api/v1${p}`, {
    method,
    headers: { 'Content-Type': type, ...(user ? { Authorization: `Bearer ${tokens[user]}` } : {}) },
    body: body === undefined || typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function login(user, lang = 'en', p = page) {
  await p.goto(`${base}/#/login`);
  await p.evaluate((l) => localStorage.setItem('kouan.lang', l), lang);
  await p.reload();
  await p.locator('input[name=username]').fill(user);
  await p.locator('input[name=password]').fill('demo');
  await p.locator('input[name=password]').press('Enter');
  await p.waitForFunction(() => !location.hash.startsWith('#/login'));
  // the landing page settled (its language applied, its reads done): a
  // test that counts requests counts only its own page's
  await p.waitForLoadState('networkidle');
}

async function assertAccessible(name, p = page) {
  const bad = await axeCheck(p);
  assert.equal(bad.length, 0, `axe on ${name}:\n${formatViolations(bad)}`);
}

// An inspection of a listed traveller recorded as referred: its referral.
async function refer(mrz) {
  const ins = await call('POST', '/inspections', { mrz, port: 'PEK', direction: 'entry' }, 'officer');
  assert.equal(ins.body.decision, 'refer', JSON.stringify(ins.body));
  const x = await call('POST', '/crossings', { inspection_id: ins.body.id, decision: 'referred' }, 'officer');
  assert.equal(x.status, 201, JSON.stringify(x.body));
  return { inspection: ins.body, referral: x.body.referral_id };
}

// Where the character at index i of an element's text is drawn (its
// left edge), through the text nodes as laid out.
async function charX(locator, needle, nth = 0) {
  return locator.evaluate((el, [s, n]) => {
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let text = '';
    for (let x = walk.nextNode(); x; x = walk.nextNode()) { nodes.push([x, text.length]); text += x.data; }
    let at = -1;
    for (let k = 0; k <= n; k++) at = text.indexOf(s, at + 1);
    if (at < 0) return null;
    const xs = [];
    for (let i = at; i < at + s.length; i++) {
      const [node, off] = nodes.filter(([, o]) => o <= i).pop();
      const r = document.createRange();
      r.setStart(node, i - off);
      r.setEnd(node, i - off + 1);
      const b = r.getBoundingClientRect();
      xs.push(b.left, b.right);
    }
    return { min: Math.min(...xs), max: Math.max(...xs) };
  }, [needle, nth]);
}

const ALI = td3('ALI', 'MUHAMMAD HASSAN', 'YB7731904', 'YEM', '600101', 'M', '300101').join('\n');

before(async () => {
  server = new Server(BIN);
  base = await server.start();
  for (const u of ['admin', 'officer', 'supervisor', 'analyst']) {
    const r = await call('POST', '/login', { username: u, password: 'demo' });
    assert.equal(r.status, 200);
    tokens[u] = r.body.token;
  }
  // An OFAC-style name that begins with an apostrophe, on a national list.
  const list = "id,name,date_of_birth,nationality,gender\nB-1,'ALI Muhammad Hassan,1960-01-01,YEM,M\n";
  const r = await call('POST', '/watchlists/bidi?format=csv', list, 'admin', 'text/csv');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  ({ context: browser, close: closeBrowser } = await launchBrowser());
  page = browser.pages()[0] || await browser.newPage();
  errors = watchErrors(page);
});

after(async () => {
  if (closeBrowser) await closeBrowser();
  if (server) await server.cleanup();
});

async function upload(name, format, content, fileName = 'list.csv', sides = {}) {
  const form = page.locator('form[aria-labelledby="up-h"]');
  await form.locator('input[name=list]').fill(name);
  await form.locator('select[name=format]').selectOption(format);
  await form.locator('input[name=file]').setInputFiles({ name: fileName, mimeType: 'text/plain', buffer: Buffer.from(content) });
  for (const [part, file] of Object.entries(sides)) {
    await form.locator(`input[name=${part}]`).setInputFiles(path.join(LEGACY, file));
  }
  await form.locator('button[type=submit]').click();
  const out = form.locator('.error, .ok');
  await out.first().waitFor();
  return out.first();
}

test('a refused upload says why, in the server\'s words, under an upload sentence (en, ar, zh)', async () => {
  // twenty persons of OFAC's list, whole (with its end-of-file byte), then cut short
  const people = readFileSync(SDN, 'latin1').split('\n').filter((l) => /^\d+,"[^"]*","individual"/.test(l)).slice(0, 20);
  const whole = Buffer.from(`${people.join('\n')}\n\x1a`, 'latin1');
  const cutShort = Buffer.from(`${people.slice(0, 10).join('\n')}\n`, 'latin1');
  const v1 = whole;
  const r = await call('POST', '/watchlists/ofac_small?format=ofac-csv', v1, 'admin', 'text/csv');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const mrzSentence = {
    en: /MRZ/, ar: /المنطقة المقروءة آليًا/, 'zh-Hans': /机读区/,
  };
  for (const lang of ['en', 'ar', 'zh-Hans']) {
    await login('admin', lang);
    await page.goto(`${base}/#/watchlists`);
    await page.locator('section[aria-labelledby="wl-h"] table').waitFor();
    // no name column
    let msg = await upload('nocol', 'csv', 'hello,world\nfoo\n');
    let text = await msg.innerText();
    assert.doesNotMatch(text, mrzSentence[lang], `${lang}: not a sentence about an MRZ: ${text}`);
    assert.match(await msg.locator('[lang=en]').innerText(), /name/, `${lang}: the server's reason: ${text}`);
    // OFAC's list cut short: version 1 is kept, and the page says so
    msg = await upload('ofac_small', 'ofac-csv', cutShort);
    text = await msg.innerText();
    assert.doesNotMatch(text, mrzSentence[lang], `${lang}: ${text}`);
    assert.match(text, /cut short.*0x1A|0x1A.*cut short/s, `${lang}: ${text}`);
    assert.match(text, /keeps its version 1/, `${lang}: ${text}`);
    // not well-formed XML
    msg = await upload('unxml', 'un-xml', '<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>', 'un.xml');
    text = await msg.innerText();
    assert.doesNotMatch(text, mrzSentence[lang], `${lang}: ${text}`);
    assert.ok((await msg.locator('[lang=en]').innerText()).length > 10, `${lang}: the server's reason: ${text}`);
    await shot(page, `upload-refused-${lang}`);
    await assertAccessible(`a refused upload (${lang})`);
  }
  assert.deepEqual(errors, []);
});

test('the lists table counts persons and documents apart', async () => {
  await login('analyst');
  await page.goto(`${base}/#/watchlists`);
  const table = page.locator('section[aria-labelledby="wl-h"] table');
  await table.waitFor();
  const heads = await table.locator('thead th').allInnerTexts();
  assert.deepEqual(heads.slice(1, 3), ['Persons', 'Documents']);
  const wl = await call('GET', '/watchlists', undefined, 'analyst');
  for (const name of ['demo-persons', 'demo-documents', 'ofac_small']) {
    const info = wl.body.loaded.find((x) => x.name === name);
    const cells = await table.locator('tbody tr', { hasText: name }).first().locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(1, 3), [String(info.persons), String(info.documents)], `${name}: ${cells}`);
  }
  await assertAccessible('the lists table');
});

test('an upload\'s notes are not called skipped lines; the skipped records are counted apart', async () => {
  await login('admin');
  await page.goto(`${base}/#/watchlists`);
  await page.locator('section[aria-labelledby="wl-h"] table').waitFor();
  let msg = await upload('notes', 'csv', 'id,name,colour\nW-1,Karl Wendt,blue\n');
  assert.match(await msg.innerText(), /version 1/);
  let delta = page.locator('section[aria-labelledby="delta-h"]');
  await delta.locator('.notes').waitFor();
  assert.doesNotMatch(await delta.innerText(), /skipped/i, 'nothing was skipped');
  assert.match(await delta.locator('.notes').innerText(), /Notes from reading the file \(1\)[\s\S]*unknown column 'colour' ignored/);
  msg = await upload('notes', 'csv', 'id,name,date_of_birth\nW-1,Karl Wendt,1970-01-01\nW-2,,1970-01-01\nW-3,Ann Berg,notadate\n');
  assert.match(await msg.innerText(), /version 2/);
  delta = page.locator('section[aria-labelledby="delta-h"]');
  await delta.getByText('From version 1 to version 2').waitFor();
  assert.equal(await delta.locator('.skipped').innerText(), 'Records skipped: 1.');
  assert.match(await delta.locator('.notes h3').innerText(), /\(2\)/);
  await shot(page, 'upload-notes');
  await assertAccessible('an upload with notes');
});

test('an OFAC list is uploaded with its side files; without alt.csv the notes say its aliases are not loaded', async () => {
  await login('admin');
  await page.goto(`${base}/#/watchlists`);
  await page.locator('section[aria-labelledby="wl-h"] table').waitFor();
  const form = page.locator('form[aria-labelledby="up-h"]');
  const sides = form.locator('fieldset.side-files');
  await form.locator('select[name=format]').selectOption('csv');
  assert.equal(await sides.isVisible(), false, 'no side files for a national list');
  await form.locator('select[name=format]').selectOption('ofac-csv');
  assert.deepEqual(await sides.locator('label').allInnerTexts(),
    ['Aliases (alt.csv)', 'Addresses (add.csv)', 'Remarks continued (sdn_comments.csv)']);
  const sdn = readFileSync(path.join(LEGACY, 'sdn.csv'));
  let msg = await upload('sdn2021', 'ofac-csv', sdn, 'sdn.csv',
    { alt: 'alt.csv', add: 'add.csv', comments: 'sdn_comments.csv' });
  assert.match(await msg.innerText(), /version 1/);
  let delta = page.locator('section[aria-labelledby="delta-h"]');
  await delta.getByText('to version 1').waitFor();
  assert.doesNotMatch(await delta.innerText(), /aliases are not loaded/);
  await shot(page, 'upload-ofac-side-files');
  await assertAccessible('an OFAC upload with its side files');
  // read as the command line reads the four files: every alias screened
  const wl = await call('GET', '/watchlists', undefined, 'analyst');
  const info = wl.body.loaded.find((x) => x.name === 'sdn2021');
  assert.deepEqual([info.names, info.documents], [12644, 3402], JSON.stringify(info));
  const found = await call('GET', '/watchlists/search?name=Ahmad%20Fuad%20Salim&dob=1951-06-19', undefined, 'analyst');
  assert.ok(found.body.hits.some((x) => /ZAWAHIRI/.test(x.name)), JSON.stringify(found.body));
  // sdn.csv alone: the notes say what is missing
  await page.reload();
  await form.locator('select[name=format]').waitFor();
  msg = await upload('sdn2021', 'ofac-csv', sdn, 'sdn.csv');
  assert.match(await msg.innerText(), /version 2/);
  delta = page.locator('section[aria-labelledby="delta-h"]');
  await delta.getByText('to version 2').waitFor();
  assert.match(await delta.locator('.notes').innerText(),
    /no alt\.csv was uploaded with sdn\.csv: the list's aliases are not loaded/);
  const retired = await call('POST', '/watchlists/sdn2021/retire', { reason: 'upload test done' }, 'admin');
  assert.equal(retired.status, 200);
  assert.deepEqual(errors, []);
});

test('a retirement reason too long in bytes is said in the reader\'s language, before it is sent', async () => {
  await login('admin', 'zh-Hans');
  await page.goto(`${base}/#/watchlists`);
  const row = page.locator('section[aria-labelledby="wl-h"] tbody tr', { hasText: 'notes' });
  await row.locator('button.danger').click();
  let sent = 0;
  const count = (r) => { if (/\/retire$/.test(r.url())) sent += 1; };
  page.on('request', count);
  const reason = '界'.repeat(100); // 300 bytes of UTF-8
  await page.locator('input[name=reason]').fill(reason);
  assert.equal(await page.locator('input[name=reason]').inputValue(), reason, 'the box takes it whole');
  await page.locator('form[aria-labelledby="retire-h"] button[type=submit]').click();
  const alert = page.locator('form[aria-labelledby="retire-h"] [role=alert]');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /原因过长/, text);
  assert.match(text, /300/, text);
  assert.match(text, /255/, text);
  page.off('request', count);
  assert.equal(sent, 0, 'nothing sent');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'reason');
  // a reason that fits is sent
  await page.locator('input[name=reason]').fill('由新版本取代');
  await page.locator('form[aria-labelledby="retire-h"] button[type=submit]').click();
  await page.locator('section[aria-labelledby="retired-h"] .ok').waitFor();
  await assertAccessible('a list retired (Chinese)');
});

test('a name search cut at 25 hits says how many match in all', async () => {
  const many = 'id,name,date_of_birth,nationality\n' +
    Array.from({ length: 30 }, (_, i) => `M-${i},Muhammad Ali,19${40 + i}-01-01,PAK\n`).join('');
  const r = await call('POST', '/watchlists/namesakes?format=csv', many, 'admin', 'text/csv');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const api = await call('GET', '/watchlists/search?name=Muhammad%20Ali', undefined, 'analyst');
  assert.ok(api.body.total >= 30 && api.body.hits.length === 25, JSON.stringify({ ...api.body, hits: api.body.hits.length }));
  await login('analyst');
  await page.goto(`${base}/#/watchlists`);
  await page.locator('input[name=name]').fill('Muhammad Ali');
  await page.locator('input[name=name]').press('Enter');
  const found = page.locator('form[role=search] p.found');
  await found.waitFor();
  assert.equal(await found.innerText(), `The 25 best of ${api.body.total} matching entries.`);
  assert.equal(await page.locator('form[role=search] article.hit').count(), 25);
  await shot(page, 'search-best-of');
  await assertAccessible('a name search with more hits than shown');
  const gone = await call('POST', '/watchlists/namesakes/retire', { reason: 'search test done' }, 'admin');
  assert.equal(gone.status, 200, JSON.stringify(gone.body));
});

test('the referrals queue keeps what is loaded and what is open: no audited read again, no entry closed', async () => {
  await refer(ALI);
  await refer(ALI);
  // a browser of its own, with its clock in the test's hands
  const own = await launchBrowser();
  const p = await own.context.newPage();
  const pageErrors = watchErrors(p);
  await p.clock.install();
  try {
    let reads = 0;
    // audited reads: the answers given (a request the connection lost and
    // the page sent again is one read)
    p.on('response', (r) => {
      if (r.request().method() === 'GET' && r.status() === 200 &&
          /\/api\/v1\/inspections\/[^/?]+$/.test(r.url())) reads += 1;
    });
    await login('supervisor', 'en', p);
    await p.goto(`${base}/#/referrals`);
    await p.locator('article.referral article.hit').nth(1).waitFor();
    const cards = await p.locator('article.referral').count();
    assert.equal(reads, cards, 'each referral\'s inspection read once');
    const tick = async () => { await p.clock.fastForward(16000); await p.waitForTimeout(800); };
    await tick();
    await tick();
    assert.equal(reads, cards, 'nothing read again while nothing changed');

    // the supervisor opens the listed entry and clicks in its text to read
    const details = p.locator('article.referral article.hit details').first();
    await details.locator('summary').click();
    await details.locator('dl.entry').waitFor();
    await details.locator('dl.entry dd').first().click();
    await p.evaluate(() => document.activeElement && document.activeElement.blur());
    await details.evaluate((d) => d.scrollIntoView());
    const y = await p.evaluate(() => window.scrollY);
    await refer(ALI); // a new referral meanwhile
    await tick();
    assert.equal(await details.evaluate((d) => d.open), true, 'the entry stays open');
    assert.equal(await p.evaluate(() => window.scrollY), y, 'the page stays where it was');
    assert.equal(await p.locator('article.referral').count(), cards, 'not redrawn while read');

    // closed again: the new referral comes in, and only its inspection is read
    await details.locator('summary').click();
    await p.evaluate(() => document.activeElement && document.activeElement.blur());
    await tick();
    await p.locator('article.referral').nth(cards).waitFor();
    await p.locator('article.referral').nth(cards).locator('article.hit').first().waitFor();
    assert.equal(reads, cards + 1, 'only the new referral\'s inspection read');
    await assertAccessible('referrals', p);
    assert.deepEqual(pageErrors, []);
  } finally {
    await own.close();
  }
});

test('Arabic: a Latin name, a check\'s reason and a listed entry keep their order and their card', async () => {
  await login('officer', 'ar');
  await page.goto(`${base}/#/inspect`);
  await page.locator('textarea[name=mrz]').fill(ALI);
  await page.locator('textarea[name=mrz]').press('Enter');
  const hit = page.locator('section[aria-labelledby="hits-h"] article.hit', { hasText: 'B-1' }).first();
  await hit.waitFor();
  // the heading: 'ALI with its apostrophe before the A, as listed
  const head = hit.locator('h3');
  const apos = await charX(head, "'");
  const a = await charX(head, 'ALI');
  assert.ok(apos.max <= a.min + 0.5, `the apostrophe drawn left of ALI: ${JSON.stringify({ apos, a })}`);
  // the watchlist check's reason: "1 watchlist hit(s): ..." in its order
  const reason = page.locator('ul.checks li', { hasText: 'watchlist hit' });
  const n = (await reason.innerText()).match(/(\d+) watchlist hit/)[1];
  const one = await charX(reason, `${n} watchlist`);
  const word = await charX(reason, 'watchlist');
  assert.ok(one.min < word.min, `the count before its words: ${JSON.stringify({ one, word })}`);
  // the listed entry: each Latin name's bullet inside the card
  await hit.locator('summary').click();
  const items = hit.locator('dl.entry ul.entry-names li');
  await items.first().waitFor();
  const box = await hit.boundingBox();
  for (let i = 0; i < await items.count(); i++) {
    const li = items.nth(i);
    assert.equal(await li.evaluate((x) => getComputedStyle(x).direction), 'rtl', 'the item follows the page');
    const b = await li.boundingBox();
    assert.ok(b.x >= box.x && b.x + b.width <= box.x + box.width + 0.5, `item ${i} inside the card`);
  }
  await shot(page, 'arabic-latin-name');
  await assertAccessible('an inspection in Arabic with a Latin name');
  assert.deepEqual(errors, []);
});

test('Arabic: who cleared a match and when keep their order; Chinese: the stay is a sentence', async () => {
  const { inspection, referral } = await refer(ALI);
  const d = await call('POST', `/referrals/${referral}/decision`, {
    decision: 'admitted', note: 'not him', cleared: [{ list: 'bidi', entity_id: 'B-1' }] }, 'supervisor');
  assert.equal(d.status, 201, JSON.stringify(d.body));
  await login('supervisor', 'ar');
  await page.goto(`${base}/#/traveller/${inspection.traveller.id}`);
  const cell = page.locator('section[aria-labelledby="tr-clear"] tbody tr').first().locator('td').nth(1);
  await cell.waitFor();
  const who = await charX(cell, 'supervisor');
  const year = await charX(cell, String(new Date().getUTCFullYear()));
  const day = await charX(cell, String(new Date().getUTCDate()));
  // right to left: "by supervisor" first, the date after it (to its left)
  assert.ok(year.max <= who.min + 0.5 && day.max <= who.min + 0.5,
    `the date left of the username, whole: ${JSON.stringify({ who, year, day, text: await cell.innerText() })}`);
  await shot(page, 'arabic-cleared-by');
  await assertAccessible('a traveller in Arabic with a cleared match');

  await page.getByLabel(/اللغة|Language/).selectOption('zh-Hans');
  await page.waitForFunction(() => document.documentElement.lang.startsWith('zh'));
  const stay = page.locator('section[aria-labelledby="tr-stay"]');
  await stay.waitFor();
  const text = await stay.innerText();
  assert.doesNotMatch(text, /inside|since|max.days|true|false/i, text);
  assert.doesNotMatch(text, /\d{4}-\d\d-\d\dT/, `no raw timestamp: ${text}`);
  assert.match(text, /境内/, text);
  assert.match(text, /\d+\s*天/, text);
  await shot(page, 'chinese-stay');
  await assertAccessible('a traveller\'s stay in Chinese');
  await page.getByLabel(/语言|Language/).selectOption('en');
  assert.deepEqual(errors, []);
});
