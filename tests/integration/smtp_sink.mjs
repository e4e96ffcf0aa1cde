// A real SMTP server on loopback for the tests and the benchmark (the
// smtp-server package from npm), run as its own process so that a test can
// kill it mid-delivery. Every accepted message is written to --dir as
// <n>.eml before the 250 reply goes out.
//
//   node smtp_sink.mjs --dir DIR [--port 0] [--tls-key K --tls-cert C]
//        [--reject RCPT-SUBSTRING] [--refuse] [--hang] [--die-at N] [--tempfail N]
//        [--count-only --expect N]
//
// --reject: RCPT TO containing the text gets "550 5.1.1 … mailbox unavailable".
// --refuse: every connection is greeted with 554 (the server refuses service).
// --hang: DATA is read but never answered (the client must time out).
// --die-at N: the process kills itself (SIGKILL) when the N-th message's data
//   has arrived, before recording or answering it.
// --tempfail N: the first N messages get "451 4.3.0 try again later".
// --auth USER:PASS: AUTH is required (after STARTTLS), with these credentials.
// --count-only: nothing is written; with --expect N, prints "done <epoch ms>
//   <bytes>" when the N-th message was accepted (bytes: the accepted messages'
//   data, all together).
// Prints "listening <port>" on stdout once ready.
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

const args = process.argv.slice(2);
const opt = (name, fallback = undefined) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const flag = (name) => args.includes(name);

const dir = opt('--dir');
const countOnly = flag('--count-only');
const expect = Number(opt('--expect', '0'));
const dieAt = Number(opt('--die-at', '0'));
let tempfail = Number(opt('--tempfail', '0'));
const reject = opt('--reject');
let received = 0;
let accepted = 0;
let acceptedBytes = 0;

const auth = opt('--auth');
const options = {
  secure: false,
  authOptional: !auth,
  disabledCommands: auth ? [] : ['AUTH'],
  onAuth(a, session, callback) {
    if (`${a.username}:${a.password}` === auth) return callback(null, { user: a.username });
    const err = new Error('5.7.8 authentication credentials invalid');
    err.responseCode = 535;
    return callback(err);
  },
  logger: false,
  size: 10 * 1024 * 1024,
  onConnect(session, callback) {
    if (flag('--refuse')) {
      const err = new Error('5.3.2 service refused for the test');
      err.responseCode = 554;
      return callback(err);
    }
    callback();
  },
  onRcptTo(address, session, callback) {
    if (reject && address.address.includes(reject)) {
      const err = new Error(`5.1.1 <${address.address}>: mailbox unavailable`);
      err.responseCode = 550;
      return callback(err);
    }
    callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      received += 1;
      if (dieAt && received === dieAt) process.kill(process.pid, 'SIGKILL');
      if (flag('--hang')) return;  // never answered
      if (tempfail > 0) {
        tempfail -= 1;
        const err = new Error('4.3.0 try again later');
        err.responseCode = 451;
        return callback(err);
      }
      accepted += 1;
      for (const c of chunks) acceptedBytes += c.length;
      if (!countOnly) {
        const body = Buffer.concat(chunks);
        const envelope = { from: session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), secure: session.secure, user: session.user || null };
        const name = String(Date.now()) + '-' + String(process.pid) + '-' + String(accepted).padStart(6, '0');
        fs.writeFileSync(path.join(dir, name + '.json'), JSON.stringify(envelope));
        fs.writeFileSync(path.join(dir, name + '.eml'), body);
      }
      callback(null, `2.0.0 queued as ${accepted}`);
      if (expect && accepted === expect) process.stdout.write(`done ${Date.now()} ${acceptedBytes}\n`);
    });
  },
};
if (opt('--tls-key')) {
  options.key = fs.readFileSync(opt('--tls-key'));
  options.cert = fs.readFileSync(opt('--tls-cert'));
} else {
  options.hideSTARTTLS = true;
}
const server = new SMTPServer(options);
server.on('error', (e) => process.stderr.write(`smtp sink: ${e.message}\n`));
server.listen(Number(opt('--port', '0')), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
