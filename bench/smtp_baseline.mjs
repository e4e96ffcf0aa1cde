// Baseline for bench/notify.sh: nodemailer (a mature SMTP client) sending N
// messages of a given size over a pool of connections to the same sink.
//   node bench/smtp_baseline.mjs PORT N BYTES CONNECTIONS
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'integration', 'package.json'));
const nodemailer = require('nodemailer');

const [port, n, bytes, connections] = process.argv.slice(2).map(Number);
const transport = nodemailer.createTransport({
  host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: connections, maxMessages: Infinity,
});
const body = 'x'.repeat(Math.max(0, bytes - 600)).replace(/(.{76})/g, '$1\n');
let next = 0;
async function worker() {
  while (next < n) {
    const i = next++;
    await transport.sendMail({ from: 'programme@example.org', to: `p${i}@example.org`, subject: `Changed: event ${i}`, text: body });
  }
}
await Promise.all(Array.from({ length: connections * 4 }, worker));
transport.close();
