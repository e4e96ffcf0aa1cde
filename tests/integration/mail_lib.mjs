// Helpers for the notification tests: the SMTP sink process (smtp_sink.mjs),
// and the recorded messages parsed by real client libraries (postal-mime for
// MIME, ical.js for the attached iCalendar entries).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import assert from 'node:assert/strict';

import ICAL from 'ical.js';
import PostalMime from 'postal-mime';

import { cli } from './lib.mjs';

const SINK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'smtp_sink.mjs');

/** Starts the sink; resolves {port, proc, lines(), stop(), exited} once it listens. */
export function startSink(dir, args = [], port = 0) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [SINK, '--dir', dir, '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const exited = new Promise((res) => proc.once('exit', (code, signal) => res(signal || code)));
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`sink did not start: ${err}`)); }, 15_000);
    proc.stderr.on('data', (d) => { err += d; });
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening (\d+)/);
      if (m && timer) {
        clearTimeout(timer);
        resolve({
          port: Number(m[1]), proc, exited, lines: () => out,
          stop: () => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM'); return exited; },
        });
      }
    });
    proc.once('exit', (code) => { clearTimeout(timer); if (!/listening/.test(out)) reject(new Error(`sink exited with ${code}: ${err}`)); });
  });
}

/** Parses a VCALENDAR with ical.js (zones registered from its VTIMEZONEs). */
export function parseCalendar(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const vtz of cal.getAllSubcomponents('vtimezone')) {
    const tz = new ICAL.Timezone(vtz);
    if (!ICAL.TimezoneService.has(tz.tzid)) ICAL.TimezoneService.register(tz);
  }
  const events = cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid, sequence: e.sequence, summary: e.summary, location: e.location,
      status: v.getFirstPropertyValue('status'),
      start: e.startDate.toUnixTime(), end: e.endDate.toUnixTime(), allDay: e.startDate.isDate,
      tzid: v.getFirstProperty('dtstart').getParameter('tzid') || null,
      categories: v.getAllProperties('categories').flatMap((p) => p.getValues()),
      key: v.getFirstPropertyValue('x-marquee-key'),
    };
  });
  return { method: cal.getFirstPropertyValue('method'), name: cal.getFirstPropertyValue('x-wr-calname'), events, component: cal };
}

/** Every message the sink recorded in `dir`, parsed, oldest first. */
export async function readMessages(dir) {
  const names = readdirSync(dir).filter((n) => n.endsWith('.eml')).sort();
  const out = [];
  for (const name of names) {
    const raw = readFileSync(path.join(dir, name));
    const envelope = JSON.parse(readFileSync(path.join(dir, name.replace(/\.eml$/, '.json')), 'utf8'));
    const m = await PostalMime.parse(raw);
    const ics = m.attachments.find((a) => a.mimeType === 'text/calendar');
    const icsText = ics ? (typeof ics.content === 'string' ? ics.content : new TextDecoder().decode(ics.content)) : null;
    out.push({
      file: name, raw: raw.toString('utf8'), envelope, subject: m.subject, messageId: m.messageId,
      to: m.to?.[0]?.address, text: m.text, html: m.html,
      header: (h) => m.headers.find((x) => x.key === h.toLowerCase())?.value,
      calendar: icsText ? parseCalendar(icsText) : null, contentTypeOfCalendar: ics?.mimeType, icsMethod: ics?.method,
    });
  }
  return out;
}

/**
 * Runs `marquee notify run` once against store `db` and the sink on `port`
 * (from Harbourlight's address, links under `publicUrl`, `extra` options such
 * as ['--at', T]); asserts exit 0 and returns {sent, retried, failed, skipped}.
 */
export function deliverMail(db, port, { publicUrl = 'http://127.0.0.1:9', extra = [] } = {}) {
  const r = cli(['notify', 'run', ...extra, '--db', db, '--smtp-url', `smtp://127.0.0.1:${port}`,
    '--mail-from', 'Harbourlight <programme@harbourlight.example.org>', '--public-url', publicUrl]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const m = r.stdout.match(/(\d+) sent, (\d+) to retry, (\d+) failed, (\d+) skipped/);
  return { sent: +m[1], retried: +m[2], failed: +m[3], skipped: +m[4] };
}
