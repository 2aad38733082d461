// Shared machinery of the browser tests: the real kouan server on
// 127.0.0.1 with a fresh database, Debian's chromium driven headless by
// playwright-core (never a downloaded browser), axe-core checks, and
// screenshots under build/screenshots/.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const SHOTS = path.resolve(process.env.KOUAN_SCREENSHOTS ||
  path.join(process.env.KOUAN_BUILD || path.join(ROOT, 'build'), 'screenshots'));
const AXE = readFileSync(path.join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export const CHROMIUM = process.env.KOUAN_CHROMIUM || '/usr/bin/chromium';
const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // Containers often have a small /dev/shm; chromium then crashes without this.
  '--disable-dev-shm-usage'];

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// `kouan serve --demo` on a fresh database in a temporary folder.
export class Server {
  constructor(bin) {
    this.bin = bin;
    this.dir = mkdtempSync(path.join(tmpdir(), 'kouan-web-'));
    this.db = path.join(this.dir, 'kouan.db');
    this.proc = null;
    this.log = '';
  }

  async start(port) {
    this.port = port || this.port || await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    this.proc = spawn(this.bin, ['serve', '--db', this.db, '--listen', `127.0.0.1:${this.port}`, '--demo'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d) => { this.log = (this.log + d.toString()).slice(-20000); };
    this.proc.stdout.on('data', keep);
    this.proc.stderr.on('data', keep);
    const exited = new Promise((r) => this.proc.once('exit', (code, sig) => r({ code, sig })));
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      const done = await Promise.race([exited, sleep(150).then(() => null)]);
      if (done) throw new Error(`kouan serve exited (${done.code ?? done.sig}):\n${this.log}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) return this.url;
      } catch { /* not listening yet */ }
    }
    throw new Error(`kouan serve did not answer /healthz within 30 s:\n${this.log}`);
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode) { this.proc = null; return; }
    const p = this.proc;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
    this.proc = null;
  }

  async cleanup() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function launchBrowser() {
  const profile = mkdtempSync(path.join(tmpdir(), 'kouan-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROME_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  // Generous: CI runs the server under AddressSanitizer beside other tests.
  context.setDefaultTimeout(30000);
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

// Every page error fails the test: collect them as they happen.
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`); });
  return errors;
}

let shotNo = 0;
export async function shot(page, name) {
  if (shotNo === 0) {
    // A fresh set each run: drop the previous run's numbered screenshots.
    mkdirSync(SHOTS, { recursive: true });
    for (const f of readdirSync(SHOTS)) if (/^\d\d-.*\.png$/.test(f)) rmSync(path.join(SHOTS, f));
  }
  shotNo += 1;
  const file = path.join(SHOTS, `${String(shotNo).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// axe-core in the page; returns the serious and critical violations.
export async function axeCheck(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  // Evaluated through the debugging protocol, not as a <script>: the page's
  // Content-Security-Policy forbids inline scripts, and must stay on.
  if (!loaded) await page.evaluate(AXE);
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function formatViolations(list) {
  return list.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.join(', ')}`).join('\n');
}

// ICAO 9303 check digit and a TD3 MRZ (two lines of 44).
function cd(s) {
  const w = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const v = c === '<' ? 0 : /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += v * w[i % 3];
  }
  return String(sum % 10);
}

// The two lines, as an array.
export function td3(surname, given, number, nat, dob, sex, expiry) {
  const l1 = (`P<${nat}${surname.replace(/ /g, '<')}<<${given.replace(/ /g, '<')}`).padEnd(44, '<').slice(0, 44);
  const num = number.padEnd(9, '<');
  const pers = ''.padEnd(14, '<');
  const body = num + cd(num) + nat + dob + cd(dob) + sex + expiry + cd(expiry) + pers + cd(pers);
  const composite = num + cd(num) + dob + cd(dob) + expiry + cd(expiry) + pers + cd(pers);
  return [l1, body + cd(composite)];
}
