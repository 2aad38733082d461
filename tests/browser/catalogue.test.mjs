// The message catalogues and the page logic that needs no browser:
// every language listed has a catalogue; English, Chinese and Arabic are
// complete with the same placeholders; every key the code asks for exists;
// the MRZ box knows when a scanner's burst is complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './harness.mjs';

const WEB = path.join(ROOT, 'web');
const load = (p) => JSON.parse(readFileSync(path.join(WEB, p), 'utf8'));
const languages = load('i18n/languages.json');
const en = load('i18n/en.json');

function jsFiles(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? jsFiles(p) : p.endsWith('.js') ? [p] : [];
  });
}
const placeholders = (s) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('the selector lists English, 中文 and العربية, each in its own name', () => {
  assert.deepEqual(languages.map((l) => l.name).slice(0, 3), ['English', '中文', 'العربية']);
  assert.equal(languages.find((l) => l.code === 'ar').dir, 'rtl');
  for (const l of languages) assert.ok(load(`i18n/${l.code}.json`), `catalogue for ${l.code}`);
});

for (const code of ['zh-Hans', 'ar']) {
  test(`${code} is complete, with the placeholders English has`, () => {
    const cat = load(`i18n/${code}.json`);
    const missing = Object.keys(en).filter((k) => !(k in cat));
    assert.deepEqual(missing, [], `missing in ${code}`);
    const extra = Object.keys(cat).filter((k) => !(k in en));
    assert.deepEqual(extra, [], `unknown keys in ${code}`);
    for (const k of Object.keys(en)) {
      assert.deepEqual(placeholders(cat[k]), placeholders(en[k]), `${code} ${k} placeholders`);
      if (k !== '_language') {
        assert.ok(String(cat[k]).trim().length > 0, `${code} ${k} is empty`);
      }
    }
  });
}

test('every key the code names exists in English', () => {
  const used = new Set();
  for (const f of jsFiles(path.join(WEB, 'js'))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\bt\(\s*'([a-z0-9_.-]+)'/g)) used.add(m[1]);
    for (const m of src.matchAll(/'((?:nav|dashboard|watchlists|admin|inspect|verdict)\.[a-z_]+)'/g)) used.add(m[1]);
  }
  const missing = [...used].filter((k) => !(k in en));
  assert.deepEqual(missing, []);
  assert.ok(used.size > 100, `found ${used.size} keys`);
  for (const r of ['officer', 'supervisor', 'analyst', 'admin']) assert.ok(`role.${r}` in en);
  for (const d of ['admitted', 'refused', 'referred']) assert.ok(`decision.${d}` in en);
  for (const c of ['document', 'lost_stolen', 'watchlist', 'stay']) assert.ok(`check.${c}` in en);
});

test('every error code kouan defines reads as a sentence', () => {
  // A code with its own sentence, or else one for its HTTP status.
  const def = readFileSync(path.join(ROOT, 'include', 'kouan', 'err.def'), 'utf8');
  const codes = [...def.matchAll(/^X\(\s*\w+\s*,\s*\d+\s*,\s*"(\w+)"\s*,\s*"[^"]*"\s*,\s*(\d+)\s*\)/gm)]
    .map((m) => ({ code: m[1], status: m[2] })).filter((c) => c.code !== 'ok');
  assert.ok(codes.length > 10);
  const missing = codes.filter((c) => !(`error.${c.code}` in en) && !(`error.http_${c.status}` in en));
  assert.deepEqual(missing, [], 'error codes without a sentence (add them to web/i18n/*.json)');
});

test('every module of the interface parses as a JavaScript module', () => {
  const files = jsFiles(path.join(WEB, 'js'));
  assert.ok(files.length >= 10);
  for (const f of files) {
    const r = spawnSync(process.execPath, ['--input-type=module', '--check'], { input: readFileSync(f) });
    assert.equal(r.status, 0, `${path.relative(ROOT, f)}:\n${r.stderr}`);
  }
});

test('a scanner burst is complete after the last line of its layout', async () => {
  const { mrzComplete, normaliseMrz } = await import(path.join(WEB, 'js', 'views', 'inspect.js'));
  const td3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
  const td1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
  assert.equal(mrzComplete(td3[0]), false, 'one line of two');
  assert.equal(mrzComplete(td3.join('\n')), true);
  assert.equal(mrzComplete(`${td3.join('\r\n')}\r\n`), true);
  assert.equal(mrzComplete(td3.join('|')), true);
  assert.equal(mrzComplete(td1.slice(0, 2).join('\n')), false, 'TD1 waits for its third line');
  assert.equal(mrzComplete(td1.join('\n')), true);
  assert.equal(normaliseMrz(` ${td3[0].toLowerCase()} \n\n${td3[1]}\n`), td3.join('\n'));
});
