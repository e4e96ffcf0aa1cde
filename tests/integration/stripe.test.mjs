// Stripe activation of partner placements (issue 17), on SQLite and
// PostgreSQL: Checkout Sessions made against a local fake of Stripe's API,
// and webhook deliveries signed by Stripe's own npm client
// (webhooks.generateTestHeaderString, no network): accepted, refused for every
// way a signature can be wrong, rotation with two secrets, duplicates and
// concurrent deliveries to two instances applied once, out-of-order events
// ending in the right state.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import Stripe from 'stripe';

import { cli, request, startServer, tempDir, testStore } from './lib.mjs';

const STAFF = 'stripe-staff-token-0123456789abcdef';
const OLD_SECRET = 'whsec_old_0123456789abcdefghijklmnop';
const NEW_SECRET = 'whsec_new_0123456789abcdefghijklmnop';
const SECRET_KEY = 'sk_test_marquee_0123456789';
const stripe = new Stripe('sk_test_unused');  // signs fixtures only: no network
const CSV = 'key,title,starts_at,ends_at,time_zone,venue\n' +
  'jazz,Harbour Jazz,2031-06-11 19:00,21:00,Europe/Berlin,Pier 5\n';

const json = (r) => JSON.parse(r.body.toString('utf8'));
const staff = (base, method, url, body) => request(`${base}${url}`, {
  method, body: body === undefined ? undefined : JSON.stringify(body),
  headers: { authorization: `Bearer ${STAFF}`, 'content-type': 'application/json' },
});

let counter = 0;
function event(type, object) {
  counter += 1;
  return JSON.stringify({ id: `evt_test_${process.pid}_${counter}`, object: 'event', type, data: { object } });
}
function deliver(base, payload, { secret = NEW_SECRET, timestamp, scheme, header } = {}) {
  const signature = header ?? stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp, scheme });
  return request(`${base}/api/v1/webhooks/stripe`, {
    method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  });
}
const completed = (id, extra = {}) => ({ object: 'checkout.session', id: `cs_${id}`, client_reference_id: String(id),
  payment_status: 'paid', payment_intent: `pi_${id}`, amount_total: 25000, currency: 'eur',
  metadata: { placement_id: String(id) }, ...extra });

// A fake of Stripe's API: records each request; answers POST /v1/checkout/sessions.
function fakeStripe() {
  const seen = [];
  let refuse = false;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, form: new URLSearchParams(body) });
      res.setHeader('content-type', 'application/json');
      if (refuse) {
        res.statusCode = 400;
        return res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'Amount must be at least 50 cents' } }));
      }
      const id = `cs_test_${seen.length}`;
      res.end(JSON.stringify({ id, object: 'checkout.session', url: `https://checkout.stripe.com/c/pay/${id}` }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`, seen, refuse: (v) => { refuse = v; }, close: () => server.close(),
  })));
}

for (const backend of ['sqlite', 'postgres']) {
  describe(`stripe (${backend})`, { skip: backend === 'postgres' && !process.env.MARQUEE_TEST_PG_ADMIN_URL }, () => {
    let tmp, store, fake, one, two, partner;
    before(async () => {
      tmp = tempDir();
      store = testStore(backend, tmp.dir, 'stripe');
      fake = await fakeStripe();
      writeFileSync(path.join(tmp.dir, 'events.csv'), CSV);
      writeFileSync(path.join(tmp.dir, 'staff'), `${STAFF}\n`);
      writeFileSync(path.join(tmp.dir, 'stripe-key'), `${SECRET_KEY}\n`);
      writeFileSync(path.join(tmp.dir, 'webhook-secrets'), `# rotating: the new secret and the old one\n${NEW_SECRET}\n${OLD_SECRET}\n`);
      assert.equal(cli(['import', path.join(tmp.dir, 'events.csv'), '--db', store.url, '--publish']).status, 0);
      const args = ['--no-seed', '--staff-token-file', path.join(tmp.dir, 'staff'), '--state-dir', tmp.dir,
        '--stripe-api-base', fake.url, '--stripe-secret-key-file', path.join(tmp.dir, 'stripe-key'),
        '--stripe-webhook-secret-file', path.join(tmp.dir, 'webhook-secrets'), '--public-url', 'https://festival.example'];
      one = await startServer(store.url, args);
      two = await startServer(store.url, args);
      partner = json(await staff(one.url, 'POST', '/api/v1/admin/partners', { name: 'Harbour Brewery', contact_email: 'ads@brewery.example' })).partner;
    });
    after(async () => {
      await one?.stop();
      await two?.stop();
      fake?.close();
      store?.drop();
      tmp?.remove();
    });

    async function placement(price = 25000) {
      const r = await staff(one.url, 'POST', '/api/v1/admin/placements', {
        partner_id: partner.id, event_key: 'jazz', slot: 'promoted', price_cents: price,
        starts_at: '2031-06-01T10:00', ends_at: '2031-06-11T19:00',
      });
      assert.equal(r.status, 201, r.body.toString());
      return json(r).placement.id;
    }
    const stateOf = async (id) => json(await staff(one.url, 'GET', `/api/v1/admin/placements/${id}`)).placement.state;

    test('a checkout is made at Stripe for a draft with a price, and refused otherwise', async () => {
      const id = await placement();
      const r = await staff(one.url, 'POST', `/api/v1/admin/placements/${id}/checkout`);
      assert.equal(r.status, 201, r.body.toString());
      assert.match(json(r).checkout_url, /^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_\d+$/);
      assert.equal(json(r).placement.state, 'awaiting_payment');
      const sent = fake.seen.at(-1);
      assert.equal(sent.method, 'POST');
      assert.equal(sent.url, '/v1/checkout/sessions');
      assert.equal(sent.headers.authorization, `Bearer ${SECRET_KEY}`);
      assert.match(sent.headers['idempotency-key'], new RegExp(`^marquee-placement-${id}-v\\d+$`));
      assert.equal(sent.form.get('mode'), 'payment');
      assert.equal(sent.form.get('client_reference_id'), String(id));
      assert.equal(sent.form.get('metadata[placement_id]'), String(id));
      assert.equal(sent.form.get('payment_intent_data[metadata][placement_id]'), String(id));
      assert.equal(sent.form.get('line_items[0][price_data][unit_amount]'), '25000');
      assert.equal(sent.form.get('line_items[0][price_data][currency]'), 'eur');
      assert.equal(sent.form.get('line_items[0][price_data][product_data][name]'), 'Promoted placement: Harbour Jazz');
      assert.equal(sent.form.get('customer_email'), 'ads@brewery.example');
      assert.equal(sent.form.get('success_url'), 'https://festival.example/checkout/complete');
      assert.equal(sent.form.get('cancel_url'), 'https://festival.example/checkout/cancelled');
      const detail = json(await staff(one.url, 'GET', `/api/v1/admin/placements/${id}`));
      assert.match(detail.placement.checkout_session, /^cs_test_\d+$/);
      assert.deepEqual(detail.history.map((h) => h.action), ['create', 'checkout', 'request_payment']);

      const free = await placement(0);
      const noPrice = await staff(one.url, 'POST', `/api/v1/admin/placements/${free}/checkout`);
      assert.equal(noPrice.status, 409);
      assert.match(json(noPrice).detail, /no price/);
      fake.refuse(true);
      const refused = await staff(one.url, 'POST', `/api/v1/admin/placements/${await placement()}/checkout`);
      fake.refuse(false);
      assert.equal(refused.status, 502);
      assert.match(json(refused).detail, /Amount must be at least 50 cents/);
      assert.doesNotMatch(refused.body.toString(), new RegExp(SECRET_KEY));
      // The partner comes back to a page that says what happens next.
      const back = await request(`${one.url}/checkout/complete?session_id=cs_test_1`);
      assert.equal(back.status, 200);
      assert.match(back.body.toString(), /Thank you for your payment/);
      assert.equal(back.headers['x-robots-tag'], 'noindex');
      assert.equal(back.headers['referrer-policy'], 'no-referrer');
    });

    test('signatures: accepted as Stripe signs; every other header refused; both secrets of a rotation', async () => {
      const id = await placement();
      const good = event('checkout.session.completed', completed(id));
      const now = Math.floor(Date.now() / 1000);
      for (const [what, options] of [
        ['another secret', { secret: 'whsec_someone_else' }],
        ['400 s old', { timestamp: now - 400 }],
        ['400 s in the future', { timestamp: now + 400 }],
        ['v0 only', { scheme: 'v0' }],
        ['no header', { header: '' }],
        ['garbage', { header: 't=abc,v1=00' }],
      ]) {
        const r = await deliver(one.url, good, options);
        assert.equal(r.status, 400, what);
        assert.match(r.headers['content-type'], /^application\/problem\+json/, what);
      }
      // The body changed by one byte after signing.
      const header = stripe.webhooks.generateTestHeaderString({ payload: good, secret: NEW_SECRET });
      assert.equal((await deliver(one.url, good.replace('"paid"', '"paie"'), { header })).status, 400);
      assert.equal(await stateOf(id), 'draft');  // nothing applied
      // The old secret still works during the rotation, and so does the new one.
      const r = await deliver(one.url, good, { secret: OLD_SECRET });
      assert.equal(r.status, 200, r.body.toString());
      assert.equal(json(r).outcome, 'applied');
      assert.equal(await stateOf(id), 'paid');
      const again = await deliver(one.url, good, { secret: NEW_SECRET });
      assert.equal(again.status, 200);
      assert.equal(json(again).outcome, 'duplicate');
      const ignored = await deliver(one.url, event('customer.created', { object: 'customer', id: 'cus_1' }));
      assert.equal(ignored.status, 200);
      assert.equal(json(ignored).outcome, 'ignored');
      const history = json(await staff(one.url, 'GET', `/api/v1/admin/placements/${id}`)).history;
      assert.deepEqual(history.map((h) => [h.action, h.actor]), [['create', 'staff token'], ['payment_succeeded', 'stripe']]);
    });

    test('the same event delivered to two instances at once is applied once', async () => {
      for (let round = 0; round < 5; round++) {
        const id = await placement();
        const payload = event('checkout.session.completed', completed(id));
        const answers = await Promise.all([deliver(one.url, payload), deliver(two.url, payload), deliver(one.url, payload)]);
        assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
        assert.deepEqual(answers.map((a) => json(a).outcome).sort(), ['applied', 'duplicate', 'duplicate']);
        const history = json(await staff(two.url, 'GET', `/api/v1/admin/placements/${id}`)).history;
        assert.equal(history.filter((h) => h.action === 'payment_succeeded').length, 1);
      }
    });

    test('events late, repeated or out of order end in the right state', async () => {
      // A refund that arrives before the payment it refunds: refunded, and the late payment changes nothing.
      const a = await placement();
      const refund = event('charge.refunded', { object: 'charge', id: 'ch_a', payment_intent: `pi_${a}`, refunded: true,
        metadata: { placement_id: String(a) } });
      assert.equal(json(await deliver(one.url, refund)).outcome, 'applied');
      assert.equal(json(await deliver(one.url, event('checkout.session.completed', completed(a)))).outcome, 'unchanged');
      assert.equal(await stateOf(a), 'refunded');
      // A bank debit: completed unpaid (nothing yet), then the async success; a late failure changes nothing.
      const b = await placement();
      const bCheckout = json(await staff(one.url, 'POST', `/api/v1/admin/placements/${b}/checkout`)).placement;
      assert.equal(bCheckout.state, 'awaiting_payment');
      const bSession = { id: bCheckout.checkout_session };
      assert.equal(json(await deliver(one.url, event('checkout.session.completed', completed(b, { ...bSession, payment_status: 'unpaid' })))).outcome, 'unchanged');
      assert.equal(await stateOf(b), 'awaiting_payment');
      // Another (older) session of the same placement, or another amount: recorded, never applied.
      assert.equal(json(await deliver(one.url, event('checkout.session.async_payment_succeeded', completed(b, { id: 'cs_old' })))).outcome, 'stale session');
      assert.equal(json(await deliver(one.url, event('checkout.session.async_payment_succeeded', completed(b, { ...bSession, amount_total: 100 })))).outcome, 'wrong amount');
      assert.equal(await stateOf(b), 'awaiting_payment');
      assert.equal(json(await deliver(one.url, event('checkout.session.async_payment_succeeded', completed(b, bSession)))).outcome, 'applied');
      assert.equal(json(await deliver(one.url, event('checkout.session.async_payment_failed', completed(b, bSession)))).outcome, 'unchanged');
      assert.equal(await stateOf(b), 'paid');
      // A refund found by its PaymentIntent alone (charges carry no reference of ours).
      const partial = event('charge.refunded', { object: 'charge', id: 'ch_b1', payment_intent: `pi_${b}`, refunded: false });
      assert.equal(json(await deliver(one.url, partial)).outcome, 'unchanged');
      assert.equal(await stateOf(b), 'paid');
      const full = event('charge.refunded', { object: 'charge', id: 'ch_b2', payment_intent: `pi_${b}`, refunded: true });
      assert.equal(json(await deliver(one.url, full)).outcome, 'applied');
      assert.equal(await stateOf(b), 'refunded');
      // An expired checkout puts the placement back to draft, ready for a new link.
      const c = await placement();
      const cSession = json(await staff(one.url, 'POST', `/api/v1/admin/placements/${c}/checkout`)).placement.checkout_session;
      assert.equal(json(await deliver(one.url, event('checkout.session.expired', completed(c, { id: cSession, payment_status: 'unpaid' })))).outcome, 'applied');
      assert.equal(await stateOf(c), 'draft');
      // An event for no placement of ours is recorded and answered 200 (Stripe stops retrying).
      const stranger = await deliver(one.url, event('checkout.session.completed', completed(999999, { payment_intent: 'pi_x' })));
      assert.equal(stranger.status, 200);
      assert.equal(json(stranger).outcome, 'unknown placement');
      // Audited as Stripe.
      const audit = json(await staff(one.url, 'GET', '/api/v1/admin/audit')).entries;
      assert.ok(audit.some((e) => e.actor === 'stripe' && e.action === 'placement_refund'));
    });
  });
}

describe('stripe without secrets', () => {
  test('the webhook answers 503 and the checkout 503 when nothing is configured', async () => {
    const tmp = tempDir();
    writeFileSync(path.join(tmp.dir, 'staff'), `${STAFF}\n`);
    const server = await startServer(`sqlite:///${tmp.dir}/none.db`, ['--staff-token-file', path.join(tmp.dir, 'staff')]);
    try {
      const payload = event('checkout.session.completed', completed(1));
      const r = await deliver(server.url, payload);
      assert.equal(r.status, 503);
      assert.match(json(r).detail, /MARQUEE_STRIPE_WEBHOOK_SECRETS/);
      const c = await staff(server.url, 'POST', '/api/v1/admin/placements/1/checkout');
      assert.equal(c.status, 503);
    } finally {
      await server.stop();
      tmp.remove();
    }
  });
});
