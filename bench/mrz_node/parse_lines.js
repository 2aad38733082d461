// Reads one document per line (MRZ lines joined by '|') and prints one JSON
// object per document with the npm package mrz: the peer side of
// bench/mrz_vs_npm.sh.
'use strict';
const fs = require('fs');
const readline = require('readline');
const { parse } = require('mrz');

const input = process.argv[2] ? fs.createReadStream(process.argv[2]) : process.stdin;
const rl = readline.createInterface({ input, crlfDelay: Infinity });
const out = [];
rl.on('line', (line) => {
  if (!line.trim()) return;
  let res;
  try {
    const r = parse(line.split('|'));
    res = { format: r.format, valid: r.valid, fields: r.fields,
            details: r.details.filter((d) => !d.valid).map((d) => ({ field: d.field, error: d.error })) };
  } catch (e) {
    res = { format: null, valid: false, error: String(e.message) };
  }
  out.push(JSON.stringify(res));
  if (out.length >= 4096) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
});
rl.on('close', () => { if (out.length) process.stdout.write(out.join('\n') + '\n'); });
