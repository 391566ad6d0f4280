// Razorpay (UPI), Xendit (QRIS) and Crypto Pay through the real Worker, with the strict
// provider stand-ins on loopback (tests/fakes/providers.mjs): bot checkout → the stand-in holds
// the object at the right amount → signed webhook → provisioned → customer told; and every way
// a webhook can be wrong.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnApp, TEST_ADMIN_ID } from './helpers/app.mjs';
import { redeliver } from './fakes/providers.mjs';
import { callbackUpdate } from './helpers/updates.mjs';
import { createHmac } from 'node:crypto';
import { send, startUser, eventually, provisioned, order, panelUser, expirySeconds, DAY } from './helpers/shop.mjs';

let app;
let rzp;
let xnd;
let cp;
before(async () => {
  app = await spawnApp({ providers: true });
  ({ razorpay: rzp, xendit: xnd, cryptopay: cp } = app.providers);
});
after(() => app?.stop());

let nextUser = 810_000;
const METHOD = { razorpay: 'razorpay', xendit: 'xendit', cryptopay: 'cryptopay' };
const PRICE = { razorpay: 16900, xendit: 32000, cryptopay: 200 };

/** A new customer presses `pay:monthly:<provider>`; returns their id, the order row and the object. */
async function checkout(provider) {
  const userId = ++nextUser;
  await startUser(app, userId);
  const before = app.tg.calls.length;
  await send(app, callbackUpdate(app.nextUpdateId(), { userId, data: `pay:monthly:${METHOD[provider]}` }));
  const row = app.db(
    'SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? ORDER BY o.id DESC LIMIT 1', userId,
  )[0];
  assert.ok(row, 'an order');
  const sent = app.tg.calls.slice(before).filter((c) => c.ok && ['sendMessage', 'sendPhoto'].includes(c.method) && String(c.body.chat_id) === String(userId));
  return { userId, row, sent };
}

const paymentsOf = (publicId) => app.db('SELECT p.* FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.public_id = ?', publicId);
const adminTold = (fragment) => eventually(() => app.tg.messagesTo(TEST_ADMIN_ID).some((t) => t.includes(fragment)), { what: `admin alert "${fragment}"` });

describe('the whole flow, per channel', () => {
  test('razorpay: a UPI payment link at exactly ₹169, both events extend once, the customer is told and gets the link', async () => {
    const { userId, row, sent } = await checkout('razorpay');
    assert.equal(row.status, 'pending');
    assert.equal(row.currency, 'INR');
    assert.equal(row.amount_minor, 16900);
    const link = rzp.links.get(row.external_id);
    assert.ok(link, 'the order names the link it is paid through');
    assert.equal(link.amount, 16900);
    assert.equal(link.reference_id, row.public_id);
    assert.equal(link.upi_link, true);
    assert.ok(row.expires_at >= link.expire_by, 'the order waits at least as long as the link');
    const button = sent.at(-1).body.reply_markup.inline_keyboard[0][0];
    assert.equal(button.url, link.short_url);
    assert.match(button.text, /₹169/);

    const { deliveries, payment } = await rzp.pay(link.id);
    // payment.captured names no order (a link payment's notes are empty): it waits for
    // payment_link.paid, which does; captured again afterwards is a duplicate. No alert either way.
    assert.deepEqual(deliveries.map((d) => [d.status, JSON.parse(d.body).outcome]), [[200, 'ignored'], [200, 'applied']]);
    assert.equal(JSON.parse((await redeliver(deliveries[0])).body).outcome, 'duplicate');
    await provisioned(app, row.public_id);
    assert.equal(paymentsOf(row.public_id).length, 1);
    assert.equal(paymentsOf(row.public_id)[0].external_id, payment.id);
    assert.equal(order(app, row.public_id).external_id, link.id, 'the order keeps the object it was paid through');
    const user = panelUser(app, userId);
    assert.ok(Math.abs(expirySeconds(user) - (Math.floor(Date.now() / 1000) + 30 * DAY)) < 60);
    assert.ok(!app.tg.messagesTo(TEST_ADMIN_ID).some((t) => t.includes(payment.id)), 'no alert about a payment that was fine');
    const told = app.tg.messagesTo(userId);
    assert.ok(told.some((t) => t.includes('Payment received')), 'told when the provider confirmed');
    assert.ok(told.some((t) => t.includes(user.subscriptionUrl)), 'the same provisioning notice as Stars');
  });

  test('xendit: a QRIS code for Rp 32,000 as a QR image with the amount and expiry; paying provisions', async () => {
    const { userId, row, sent } = await checkout('xendit');
    const pr = xnd.requests.get(row.external_id);
    assert.ok(pr);
    assert.equal(pr.request_amount, 32000);
    assert.equal(pr.reference_id, row.public_id);
    const photo = sent.find((c) => c.method === 'sendPhoto');
    assert.ok(photo, 'the QR string rendered as an image');
    assert.equal(photo.body.photo.contentType, 'image/png');
    assert.match(photo.body.caption, /Rp 32,000/);
    assert.match(photo.body.caption, /until/);
    const delivery = await xnd.pay(pr.payment_request_id);
    assert.equal(delivery.status, 200);
    await provisioned(app, row.public_id);
    assert.ok(panelUser(app, userId));
  });

  test('crypto pay: a USD invoice for "2.00" in USDT or TON behind a button; paying provisions', async () => {
    const { userId, row, sent } = await checkout('cryptopay');
    const invoice = cp.invoices.get(Number(row.external_id));
    assert.ok(invoice);
    assert.equal(invoice.amount, '2.00');
    assert.equal(invoice.fiat, 'USD');
    assert.deepEqual(invoice.accepted_assets, ['USDT', 'TON']);
    assert.equal(invoice.payload, `order:${row.public_id}`);
    assert.equal(sent.at(-1).body.reply_markup.inline_keyboard[0][0].url, invoice.bot_invoice_url);
    const delivery = await cp.pay(invoice.invoice_id);
    assert.equal(delivery.status, 200);
    await provisioned(app, row.public_id);
    assert.ok(panelUser(app, userId));
  });
});

describe('refusals and replays', () => {
  test('a bad signature or token is 401 and changes nothing, per channel', async () => {
    const before = app.db('SELECT COUNT(*) AS n FROM payments')[0].n;
    const { row } = await checkout('razorpay');
    const payment = { id: 'pay_forged', amount: 16900, currency: 'INR', status: 'captured', notes: { order: row.public_id } };
    const r = await rzp.sendEvent('payment.captured', { payment: { entity: payment } }, { secret: 'not-the-secret' });
    assert.equal(r.status, 401);
    const x = await xnd.sendEvent('payment.capture', { payment_id: 'py-forged', reference_id: row.public_id, request_amount: 32000, currency: 'IDR', status: 'SUCCEEDED' }, { token: 'wrong' });
    assert.equal(x.status, 401);
    const c = await cp.sendUpdate({ invoice_id: 1, status: 'paid', currency_type: 'fiat', fiat: 'USD', amount: '2.00', payload: `order:${row.public_id}` }, { signingToken: '1:other' });
    assert.equal(c.status, 401);
    const unsigned = await app.fetch('/webhooks/cryptopay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(unsigned.status, 401);
    assert.equal(app.db('SELECT COUNT(*) AS n FROM payments')[0].n, before);
    assert.equal(order(app, row.public_id).status, 'pending');
  });

  test('a replayed webhook is 200 and changes nothing', async () => {
    const { row } = await checkout('cryptopay');
    const first = await cp.pay(Number(row.external_id));
    await provisioned(app, row.public_id);
    const provisions = app.panel.calls.length;
    for (let i = 0; i < 3; i++) {
      const again = await redeliver(first);
      assert.equal(again.status, 200);
      assert.equal(JSON.parse(again.body).outcome, 'duplicate');
    }
    assert.equal(paymentsOf(row.public_id).length, 1);
    await new Promise((r) => setTimeout(r, 1500)); // a re-queued provision would run by now
    const extend = app.panel.calls.slice(provisions).filter((c) => c.method !== 'GET');
    assert.deepEqual(extend, [], 'no second change on the panel');
  });

  test('short by one unit, another currency, an unknown order: recorded, admins told, never provisioned', async () => {
    // Razorpay short by one paisa.
    const a = await checkout('razorpay');
    const link = rzp.links.get(a.row.external_id);
    const short = await rzp.sendEvent('payment_link.paid', {
      payment_link: { entity: { ...link, status: 'paid' } },
      payment: { entity: { id: 'pay_short1', amount: 16899, currency: 'INR', status: 'captured', notes: { order: a.row.public_id } } },
    });
    assert.equal(JSON.parse(short.body).outcome, 'unmatched');
    assert.equal(order(app, a.row.public_id).status, 'failed');
    await adminTold('pay_short1');

    // Xendit short by one rupiah.
    const b = await checkout('xendit');
    const x = await xnd.sendEvent('payment.capture', {
      payment_id: 'py-short1', payment_request_id: b.row.external_id, reference_id: b.row.public_id,
      request_amount: 31999, currency: 'IDR', status: 'SUCCEEDED',
    });
    assert.equal(JSON.parse(x.body).outcome, 'unmatched');
    await adminTold('py-short1');

    // Crypto Pay short by one cent.
    const c = await checkout('cryptopay');
    const invoice = cp.invoices.get(Number(c.row.external_id));
    const cshort = await cp.sendUpdate({ ...invoice, status: 'paid', amount: '1.99' });
    assert.equal(JSON.parse(cshort.body).outcome, 'unmatched');

    // Another currency the shop knows (USD on a rupee order), and one it does not (EUR).
    const d = await checkout('razorpay');
    const usd = await rzp.sendEvent('payment.captured', { payment: { entity: { id: 'pay_usd1', amount: 16900, currency: 'USD', status: 'captured', notes: { order: d.row.public_id } } } });
    assert.equal(JSON.parse(usd.body).outcome, 'unmatched');
    const eur = await rzp.sendEvent('payment.captured', { payment: { entity: { id: 'pay_eur1', amount: 16900, currency: 'EUR', status: 'captured', notes: { order: d.row.public_id } } } });
    assert.equal(JSON.parse(eur.body).outcome, 'unreadable');
    await adminTold('pay_eur1');

    // A link of one order whose reference names another: it matches neither.
    const e1 = await checkout('razorpay');
    const e2 = await checkout('razorpay');
    const crossed = await rzp.sendEvent('payment_link.paid', {
      payment_link: { entity: { ...rzp.links.get(e1.row.external_id), reference_id: e2.row.public_id } },
      payment: { entity: { id: 'pay_crossed', amount: 16900, currency: 'INR', status: 'captured', notes: [] } },
    });
    assert.equal(JSON.parse(crossed.body).outcome, 'unmatched');
    assert.equal(order(app, e1.row.public_id).status, 'pending');
    assert.equal(order(app, e2.row.public_id).status, 'pending');

    // An order we never made.
    const unknown = await rzp.sendEvent('payment.captured', { payment: { entity: { id: 'pay_nobody', amount: 16900, currency: 'INR', status: 'captured', notes: { order: 'zzzzzzzzzzzzzzzz' } } } });
    assert.equal(JSON.parse(unknown.body).outcome, 'unmatched');
    await adminTold('pay_nobody');

    for (const r of [a, b, c, d]) {
      assert.equal(app.db('SELECT COUNT(*) AS n FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.public_id = ?', r.row.public_id)[0].n, 0);
      assert.equal(panelUser(app, r.userId), undefined, 'nothing provisioned');
    }
  });

  test('reordered events: payment.failed first, then payment.captured, then payment_link.paid: one extension', async () => {
    const { row } = await checkout('razorpay');
    const link = rzp.links.get(row.external_id);
    const failed = await rzp.sendEvent('payment.failed', { payment: { entity: { id: 'pay_try1', amount: 16900, currency: 'INR', status: 'failed', notes: { order: row.public_id } } } });
    assert.equal(JSON.parse(failed.body).outcome, 'ignored');
    assert.equal(order(app, row.public_id).status, 'pending');
    const payment = { id: 'pay_try2', amount: 16900, currency: 'INR', status: 'captured', notes: { order: row.public_id } };
    const captured = await rzp.sendEvent('payment.captured', { payment: { entity: payment } });
    assert.equal(JSON.parse(captured.body).outcome, 'applied');
    const linkPaid = await rzp.sendEvent('payment_link.paid', { payment_link: { entity: { ...link, status: 'paid' } }, payment: { entity: payment } });
    assert.equal(JSON.parse(linkPaid.body).outcome, 'duplicate');
    await provisioned(app, row.public_id);
    assert.equal(paymentsOf(row.public_id).length, 1);
  });

  test('malformed, oversized, unused and wrong-method requests', async () => {
    const garbage = await rzp.sendEvent('payment.captured', {}); // signed, but no payment in it
    assert.equal(garbage.status, 400);
    const big = await app.fetch('/webhooks/razorpay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(70_000) });
    assert.equal(big.status, 413);
    const unused = await rzp.sendEvent('payment_link.expired', { payment_link: { entity: { id: 'plink_x' } } });
    assert.equal(unused.status, 200);
    assert.equal(JSON.parse(unused.body).outcome, 'ignored');
    assert.equal((await app.fetch('/webhooks/xendit')).status, 405);
  });
});

describe('refunds, failures and expiry', () => {
  test('a Razorpay refund (API or dashboard) takes the days back and tells the customer; a Xendit refund too', async () => {
    for (const provider of ['razorpay', 'xendit']) {
      const { userId, row } = await checkout(provider);
      if (provider === 'razorpay') await rzp.pay(row.external_id);
      else await xnd.pay(row.external_id);
      await provisioned(app, row.public_id);
      const paidUntil = expirySeconds(panelUser(app, userId));
      if (provider === 'razorpay') {
        await rzp.refund(rzp.links.get(row.external_id).payments[0].payment_id);
      } else {
        await xnd.refund(row.external_id);
      }
      await eventually(() => order(app, row.public_id).status === 'refunded', { what: `${provider} order refunded` });
      await eventually(() => expirySeconds(panelUser(app, userId)) < paidUntil - 29 * DAY, { what: `${provider} days taken back` });
      await eventually(() => app.tg.messagesTo(userId).some((t) => /refund/i.test(t)), { what: `${provider} customer told` });
    }
  });

  test('a Xendit refund that names only the payment request still finds its payment', async () => {
    const { userId, row } = await checkout('xendit');
    await xnd.pay(row.external_id);
    await provisioned(app, row.public_id);
    const res = await xnd.sendEvent('refund.succeeded', { id: 'rfd-byrequest', payment_request_id: row.external_id, amount: 32000, currency: 'IDR', status: 'SUCCEEDED' });
    assert.equal(JSON.parse(res.body).outcome, 'refund applied');
    await eventually(() => order(app, row.public_id).status === 'refunded', { what: 'refunded by request id' });
    await eventually(() => app.tg.messagesTo(userId).some((t) => /refund/i.test(t)), { what: 'customer told' });
  });

  test('two partial refunds of one payment: each recorded and each alerted, no days taken', async () => {
    const { userId, row } = await checkout('razorpay');
    await rzp.pay(row.external_id);
    await provisioned(app, row.public_id);
    const paymentId = rzp.links.get(row.external_id).payments[0].payment_id;
    const before = expirySeconds(panelUser(app, userId));
    const first = await rzp.refund(paymentId, 10000);
    const second = await rzp.refund(paymentId, 6900);
    assert.deepEqual([first, second].map((d) => JSON.parse(d.body).outcome), ['unmatched', 'unmatched']);
    await eventually(() => app.tg.messagesTo(TEST_ADMIN_ID).filter((t) => t.includes('partial') && t.includes(row.public_id)).length === 2,
      { what: 'one alert per partial refund' });
    assert.equal(order(app, row.public_id).status, 'provisioned');
    assert.equal(app.db("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'payment.refund_partial' AND subject = ?", `order:${row.public_id}`)[0].n, 2);
    assert.equal(expirySeconds(panelUser(app, userId)), before);
  });

  test('a customer opening checkouts in a loop is stopped after ten in ten minutes', async () => {
    const userId = ++nextUser;
    await startUser(app, userId);
    const objects = () => cp.invoices.size;
    const before = objects();
    for (let i = 0; i < 12; i++) await send(app, callbackUpdate(app.nextUpdateId(), { userId, data: 'pay:monthly:cryptopay' }));
    assert.equal(objects() - before, 10, 'ten invoices created, not twelve');
    assert.equal(app.tg.messagesTo(userId).filter((t) => t.includes('many checkouts')).length, 2);
  });

  test('a provider that fails at checkout: the customer gets a clear message and no order is left pending', async () => {
    rzp.failNext(1, 503);
    const { userId, row } = await checkout('razorpay');
    assert.equal(row.status, 'cancelled');
    assert.equal(row.external_id, null);
    assert.ok(app.tg.messagesTo(userId).some((t) => t.includes('did not answer')));
  });

  test('a payment whose webhook never came is recovered by the hourly check, once, for every channel', async () => {
    for (const provider of ['razorpay', 'xendit', 'cryptopay']) {
      const { userId, row } = await checkout(provider);
      await { razorpay: rzp, xendit: xnd, cryptopay: cp }[provider].pay(provider === 'cryptopay' ? Number(row.external_id) : row.external_id, { deliver: false });
      // The checkout's wait ends; the next hourly run closes it and asks the provider.
      app.db('UPDATE orders SET expires_at = ? WHERE public_id = ?', Math.floor(Date.now() / 1000) - 60, row.public_id);
      assert.equal((await app.runCron('0 * * * *')).status, 200);
      await eventually(() => panelUser(app, userId), { what: `${provider}: the lost payment provisioned` });
      await adminTold('recovered by the hourly check');
      assert.equal(app.db('SELECT COUNT(*) AS n FROM payments p JOIN orders o ON o.id = p.order_id JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ?', userId)[0].n, 1);
      // The next run finds nothing more to do for it.
      assert.equal((await app.runCron('0 * * * *')).status, 200);
      assert.equal(app.db('SELECT COUNT(*) AS n FROM payments p JOIN orders o ON o.id = p.order_id JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ?', userId)[0].n, 1);
    }
    assert.match(app.logs(), /"cron.provider_reconciliation"[^\n]*"recovered":1/);
  });

  test('the hourly cron closes expired checkouts; money that arrives later is still honoured', async () => {
    const { userId, row } = await checkout('cryptopay');
    app.db('UPDATE orders SET expires_at = ? WHERE public_id = ?', Math.floor(Date.now() / 1000) - 60, row.public_id);
    assert.equal((await app.runCron('0 * * * *')).status, 200);
    await eventually(() => order(app, row.public_id).status === 'cancelled', { what: 'order closed' });
    const late = await cp.pay(Number(row.external_id));
    assert.equal(late.status, 200, late.body);
    assert.equal(JSON.parse(late.body).outcome, 'applied');
    await eventually(() => panelUser(app, userId), { what: 'the late payment provisioned' });
    const orders = app.db('SELECT o.status FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? ORDER BY o.id', userId);
    assert.deepEqual(orders.map((o) => o.status).sort(), ['cancelled', 'provisioned']);
  });
});

/** A Mini App initData for `userId`, signed for the bot token as Telegram signs it. */
function initData(userId, { token = app.tg.token, authDate = Math.floor(Date.now() / 1000) } = {}) {
  const fields = { auth_date: String(authDate), query_id: 'AAE1', user: JSON.stringify({ id: userId, first_name: 'Mini', language_code: 'en' }) };
  const check = Object.keys(fields).sort().map((k) => `${k}=${fields[k]}`).join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(token).digest();
  const hash = createHmac('sha256', secret).update(check).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}

describe('POST /api/checkout (the cabinet and Mini App checkout)', () => {
  const call = (body, auth) => app.fetch('/api/checkout', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify(body),
  });

  test('the signed-in bot user gets a payable checkout; paying it provisions', async () => {
    const userId = ++nextUser;
    await startUser(app, userId);
    const res = await call({ plan: 'monthly', method: 'razorpay' }, `tma ${initData(userId)}`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.amount, 16900);
    assert.equal(body.currency, 'INR');
    assert.equal(body.price, '₹169');
    const row = order(app, body.order);
    assert.equal(row.status, 'pending');
    const link = rzp.links.get(row.external_id);
    assert.equal(body.payUrl, link.short_url);
    assert.ok(Date.parse(body.expiresAt) > Date.now());
    await rzp.pay(link.id);
    await provisioned(app, body.order);

    const qris = await (await call({ plan: 'monthly', method: 'xendit' }, `tma ${initData(userId)}`)).json();
    assert.match(qris.qrString, /^000201/);
    assert.equal(qris.amount, 32000);
  });

  test('no session, a forged or stale one, an unknown customer, a method not offered or an unknown plan: refused, nothing stored', async () => {
    const userId = ++nextUser;
    await startUser(app, userId);
    const orders = () => app.db('SELECT COUNT(*) AS n FROM orders')[0].n;
    const before = orders();
    const body = { plan: 'monthly', method: 'razorpay' };
    assert.equal((await call(body)).status, 401);
    assert.equal((await call(body, `tma ${initData(userId, { token: '1:other-bot' })}`)).status, 401);
    assert.equal((await call(body, `tma ${initData(userId, { authDate: Math.floor(Date.now() / 1000) - 2 * 86_400 })}`)).status, 401);
    assert.equal((await call(body, `Bearer ${initData(userId)}`)).status, 401);
    const stranger = await call(body, `tma ${initData(999_999_001)}`);
    assert.equal(stranger.status, 404);
    assert.match((await stranger.json()).error, /open the bot first/);
    const auth = `tma ${initData(userId)}`;
    // (Stars is offered: tests/web-api.test.mjs; a Stars subscription is for 30-day plans only.)
    assert.equal((await call({ plan: 'yearly', method: 'starsub' }, auth)).status, 400);
    assert.equal((await call({ plan: 'lifetime', method: 'razorpay' }, auth)).status, 404);
    assert.equal((await call({ plan: 'monthly', method: 'paypal' }, auth)).status, 400);
    const malformed = await app.fetch('/api/checkout', { method: 'POST', headers: { authorization: auth }, body: '{"plan":' });
    assert.equal(malformed.status, 400);
    assert.equal(orders(), before);
  });
});
