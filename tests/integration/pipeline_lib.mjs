// Helpers for the pipeline tests: file hashes, CSV rows, and the personal
// values of a build (read from its private registrant table).
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Relative path → SHA-256 of every file under `dir`. */
export function hashes(dir) {
  const out = {};
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Splits an RFC 4180 CSV text into rows (quotes, doubled quotes, CRLF). */
export function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** Every personal value of the build, from the private registrant table. */
export function personalValues(project) {
  const [header, ...rows] = parseCsv(readFileSync(path.join(project, 'out/private/registrants.csv'), 'utf8'));
  const values = new Set();
  for (const col of ['name', 'email', 'phone', 'notes']) {
    const i = header.indexOf(col);
    for (const r of rows) if (r[i] && r[i].replace(/[^\p{L}\p{N}]/gu, '').length >= 5) values.add(r[i]);
  }
  return values;
}

