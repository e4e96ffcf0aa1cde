// Watches a running server's /readyz for bench/publish.sh, from one process
// on one kept-alive connection, so that watching costs the server's machine
// little CPU while the server installs a snapshot. (A loop starting curl,
// grep and sleep every 10 ms took a whole core of the bench's two.)
//   node bench/served_at.mjs PORT SNAPSHOT
// Prints "watching" once /readyz has answered, then, when /readyz reports
// {"source":"live","snapshot":SNAPSHOT}, "served <unix ms>" (Date.now()) and
// exits 0. Polls every 5 ms, each request allowed 5 s; exits 1 after 120 s in
// all, or when the server has not answered for 10 s. Loopback only.
import http from 'node:http';

const [port, snapshot] = process.argv.slice(2).map(Number);
if (!Number.isInteger(port) || !Number.isInteger(snapshot)) {
  console.error('usage: node bench/served_at.mjs PORT SNAPSHOT');
  process.exit(2);
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const started = Date.now();
const limit = setTimeout(() => {
  console.error(`served_at: snapshot ${snapshot} not served on port ${port} within 120 s`);
  process.exit(1);
}, 120000);
limit.unref();
let watching = false;
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

for (;;) {
  const body = await get();
  const now = Date.now();
  if (body !== null) {
    lastAnswer = now;
    if (!watching) {
      watching = true;
      console.log('watching');
    }
    try {
      const r = JSON.parse(body);
      if (r.source === 'live' && r.snapshot === snapshot) {
        console.log(`served ${now}`);
        process.exit(0);
      }
    } catch {
      // not JSON (a server still starting): asked again
    }
  }
  if (now - started > 120000 || now - lastAnswer > 10000) {
    console.error(`served_at: snapshot ${snapshot} not served on port ${port} within the time allowed`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 5));
}
