// Watches a running server for bench/publish.sh: when does its /readyz first
// report the new snapshot? Asked from one process on one kept-alive
// connection, and asked only when there is a reason to: the server logs
// "serving snapshot N from the live store" right after it has installed N
// (src/app/programme_cache.cpp), so the watcher follows the server's log
// file (inotify, through fs.watch: no polling) and asks /readyz at each new
// line about N. A slow poll (every 100 ms) ends the wait if the log line
// never comes (a changed message, a log elsewhere, an older binary that
// logs it after keeping the snapshot on disk). Until the forty-second
// session it asked every 5 ms: 200 requests a second, which took 100-200 ms
// of CPU from a 100,000-event publish on the bench's two cores
// (docs/performance.md, "A bench's own load, again"). Before that a loop
// starting curl, grep and sleep every 10 ms took a whole core of the two.
//   node bench/served_at.mjs PORT SNAPSHOT [SERVER_LOG]
// Prints "watching" once /readyz has answered, then, when /readyz reports
// {"source":"live","snapshot":SNAPSHOT}, "served <unix ms>" (Date.now() when
// that answer came) and "seen by log" or "seen by poll", and exits 0.
// Without SERVER_LOG, or where the log cannot be watched (no inotify
// watch left), it polls every 5 ms as before. Each request is allowed
// 5 s; exits 1 after 120 s in all, or when the server has not answered for
// 10 s. Loopback only.
import fs from 'node:fs';
import http from 'node:http';
import { StringDecoder } from 'node:string_decoder';

const [portText, snapshotText, logPath] = process.argv.slice(2);
const port = Number(portText);
const snapshot = Number(snapshotText);
if (!Number.isInteger(port) || !Number.isInteger(snapshot)) {
  console.error('usage: node bench/served_at.mjs PORT SNAPSHOT [SERVER_LOG]');
  process.exit(2);
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const started = Date.now();
const limit = setTimeout(() => {
  console.error(`served_at: snapshot ${snapshot} not served on port ${port} within 120 s`);
  process.exit(1);
}, 120000);
limit.unref();
let lastAnswer = Date.now();

function get() {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/readyz', agent, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve(body));
      res.on('error', () => resolve(null));
      res.on('close', () => resolve(null));  // after 'end' this changes nothing
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/// One /readyz request: null when the server did not answer, else whether it
/// serves the snapshot from the live store.
async function serving() {
  const body = await get();
  if (body === null) return null;
  lastAnswer = Date.now();
  try {
    const r = JSON.parse(body);
    return r.source === 'live' && r.snapshot === snapshot;
  } catch {
    return false;  // not JSON (a server still starting): asked again
  }
}

function served(how) {
  console.log(`served ${Date.now()}`);
  console.log(`seen by ${how}`);
  process.exit(0);
}

function tooLong() {
  const now = Date.now();
  if (now - started > 120000 || now - lastAnswer > 10000) {
    console.error(`served_at: snapshot ${snapshot} not served on port ${port} within the time allowed`);
    process.exit(1);
  }
}

// Watching starts with the server's first answer.
for (;;) {
  const now = await serving();
  if (now !== null) {
    if (now) {  // already served: nothing to wait for
      console.log('watching');
      served('poll');
    }
    break;
  }
  tooLong();
  await new Promise((r) => setTimeout(r, 5));
}

// One request at a time. A log line that comes while a request is out asks
// again when it is back: that request may have been answered just before
// the install, and the line will not come twice.
let asking = null;
let again = null;
function ask(how) {
  if (asking) {
    if (how === 'log') again = how;
    return asking;
  }
  asking = serving().then((now) => {
    asking = null;
    if (now) served(how);
    tooLong();
    if (again) {
      const next = again;
      again = null;
      ask(next);
    }
  });
  return asking;
}

// The log is watched before "watching" is printed (the publish starts then).
let watcher = null;
let readNew = null;
if (logPath) {
  const wanted = `serving snapshot ${snapshot} from the live store`;
  let offset = 0;  // the whole log: a line about the snapshot, whenever written, is a reason to ask
  let partial = '';
  const decoder = new StringDecoder('utf8');  // a character cut between two reads stays whole
  readNew = () => {
    const size = fs.statSync(logPath).size;
    if (size <= offset) return;
    const fd = fs.openSync(logPath, 'r');
    const buffer = Buffer.alloc(size - offset);
    const got = fs.readSync(fd, buffer, 0, buffer.length, offset);
    fs.closeSync(fd);
    offset += got;
    const lines = (partial + decoder.write(buffer.subarray(0, got))).split('\n');
    partial = lines.pop();
    if (lines.some((line) => line.includes(wanted))) ask('log');
  };
  try {
    watcher = fs.watch(logPath, { persistent: true }, () => readNew());
  } catch (e) {
    console.error(`served_at: ${logPath} cannot be watched (${e.message}): asking every 5 ms instead`);
  }
}
console.log('watching');
if (watcher) {
  readNew();  // lines written before the watch
  setInterval(() => ask('poll'), 100);
} else {
  for (;;) {
    await ask('poll');
    await new Promise((r) => setTimeout(r, 5));
  }
}
