// Baseline for bench/notify.sh and bench/messages.sh: nodemailer (a mature SMTP
// client) sending N messages of BYTES each, as the sink counts them (headers
// included), over a pool of connections to the same sink.
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
const MailComposer = require('nodemailer/lib/mail-composer');
const message = (i, text) => ({ from: 'programme@example.org', to: `p${i}@example.org`, subject: `Changed: event ${i}`, text });
const lines = (length) => 'x'.repeat(Math.max(0, length)).replace(/(.{76})/g, '$1\n');
// The size the sink counts (the message as nodemailer sends it: headers, CRLF line ends),
// brought to BYTES by adjusting the body's length: a few rounds converge.
const compiledSize = (text) => new Promise((resolve, reject) =>
  new MailComposer(message(0, text)).compile().build((err, buf) => (err ? reject(err) : resolve(buf.length))));
let length = bytes - 600;
for (let round = 0; round < 6; ++round) {
  const size = await compiledSize(lines(length));
  if (size === bytes) break;
  length += Math.round(((bytes - size) * 76) / 78);
}
const body = lines(length);
let next = 0;
async function worker() {
  while (next < n) {
    const i = next++;
    await transport.sendMail(message(i, body));
  }
}
await Promise.all(Array.from({ length: connections * 4 }, worker));
transport.close();
