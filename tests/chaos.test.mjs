// Chaos: 200 Stars payments from 50 users, 20% of them replayed and 20% refunded at random
// moments (some racing their provisioning), while the panel fails 30% of all calls at random.
// Every kept order must be provisioned exactly once, no payment lost, no day added twice;
// every refund takes back exactly the unused part of its own order and no other order loses a
// day. Prints the counts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnApp, TEST_ADMIN_ID } from './helpers/app.mjs';
import { refundUpdate, paymentUpdate, callbackUpdate } from './helpers/updates.mjs';
import { redeliver } from './fakes/providers.mjs';
import { DAY, eventually, expirySeconds, newChargeId, pay, preCheckout, requestInvoice, send, startUser } from './helpers/shop.mjs';

const USERS = 50;
const PAYMENTS = 200;
const REPLAY_SHARE = 0.2;
const REFUND_SHARE = 0.2;
/** A refund comes up to this long after its payment: before, during or after provisioning. */
const REFUND_DELAY_MS = 40_000;
const PANEL_FAILURE_RATE = 0.3;
const CONCURRENCY = 10;

let app;
before(async () => {
  app = await spawnApp();
});
after(async () => {
  await app?.stop();
});

/** Small deterministic PRNG so a failing run can be replayed. */
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function inParallel(items, limit, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

test('200 payments, 20% replayed, 20% refunded at random moments, panel failing 30%: exact days for everyone', { timeout: 480_000 }, async () => {
  const random = mulberry32(20261126);
  const users = Array.from({ length: USERS }, (_, i) => 8_000_000 + i);
  for (const userId of users) await startUser(app, userId);

  // Each payment: a user (spread evenly), an invoice, an approved pre-checkout; some refunded.
  const payments = Array.from({ length: PAYMENTS }, (_, i) => ({
    userId: users[i % USERS], chargeId: newChargeId(), refund: random() < REFUND_SHARE, refundDelay: random() * REFUND_DELAY_MS,
  }));
  const started = Math.floor(Date.now() / 1000);
  app.panel.setFailRate(PANEL_FAILURE_RATE, 500, 42);

  const refunds = [];
  const refund = async (p) => {
    await sleep(p.refundDelay);
    await send(app, refundUpdate(app.nextUpdateId(), { userId: p.userId, payload: p.invoice.payload, amount: p.invoice.amount, chargeId: p.chargeId }));
  };
  await inParallel(payments, CONCURRENCY, async (p) => {
    p.invoice = await requestInvoice(app, p.userId, 'monthly');
    const answer = await preCheckout(app, p.userId, p.invoice);
    assert.equal(answer.ok, true);
    await pay(app, p.userId, p.invoice, { chargeId: p.chargeId });
    if (p.refund) refunds.push(refund(p));
  });
  const replays = payments.filter(() => random() < REPLAY_SHARE);
  await inParallel(replays, CONCURRENCY, (p) => pay(app, p.userId, p.invoice, { chargeId: p.chargeId }));
  await Promise.all(refunds);
  const paidBy = Math.floor(Date.now() / 1000);

  const kept = payments.filter((p) => !p.refund).map((p) => p.invoice.payload.slice('order:'.length));
  const refunded = payments.filter((p) => p.refund).map((p) => p.invoice.payload.slice('order:'.length));
  const orderIds = [...kept, ...refunded];
  const list = (ids) => ids.map(() => '?').join(',');
  const placeholders = list(orderIds);
  await eventually(() => {
    const done = app.db(`SELECT COUNT(*) AS n FROM orders WHERE public_id IN (${list(kept)}) AND status = 'provisioned' AND notified_at IS NOT NULL`, ...kept)[0].n;
    const reverted = app.db(`SELECT COUNT(*) AS n FROM orders WHERE public_id IN (${list(refunded)}) AND status = 'refunded' AND reverted_at IS NOT NULL`, ...refunded)[0].n;
    return done === kept.length && reverted === refunded.length;
  }, { timeoutMs: 420_000, what: 'kept orders provisioned and refunded ones taken back' });
  const finished = Math.floor(Date.now() / 1000);
  app.panel.clearFaults();

  const count = (sql, ...args) => app.db(sql, ...args)[0].n;
  const refundedRows = app.db(`SELECT public_id, target_expires_at, provisioned_at, refunded_at, reverted_at, taken_back_seconds, days FROM orders WHERE public_id IN (${list(refunded)})`, ...refunded);
  const stats = {
    payments: PAYMENTS,
    replayed: replays.length,
    refunded: refunded.length,
    refundedBeforeProvisioning: refundedRows.filter((r) => r.provisioned_at === null).length,
    refundsThatTookDays: refundedRows.filter((r) => r.taken_back_seconds > 0).length,
    paymentRows: count(`SELECT COUNT(*) AS n FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.public_id IN (${placeholders})`, ...orderIds),
    provisioned: count(`SELECT COUNT(*) AS n FROM orders WHERE public_id IN (${list(kept)}) AND status = 'provisioned'`, ...kept),
    keptPeriods: count(`SELECT COUNT(*) AS n FROM subscriptions s JOIN orders o ON o.id = s.order_id WHERE o.public_id IN (${list(kept)}) AND s.status = 'active'`, ...kept),
    panelUsers: users.filter((id) => [...app.panel.users.values()].some((u) => u.username === `tg_${id}`)).length,
    panelCalls: app.panel.calls.length,
    panelFailuresInjected: app.panel.calls.filter((c) => c.status >= 500 || c.status === 'reset').length,
    seconds: finished - started,
  };
  console.log(`chaos: ${JSON.stringify(stats)}`);

  assert.equal(stats.paymentRows, PAYMENTS, 'one payment row per charge, replays added none');
  assert.equal(stats.provisioned, kept.length, 'every kept order provisioned');
  assert.equal(stats.keptPeriods, kept.length, 'one live period per kept order');
  assert.ok(stats.refunded > 0 && stats.refundsThatTookDays > 0, 'refunds really happened and took days');
  assert.ok(stats.panelFailuresInjected > 0, 'the panel really failed');
  const wrongAlerts = app.tg.messagesTo(TEST_ADMIN_ID).filter((t) => /after its own refund|could not be provisioned/.test(t));
  assert.deepEqual(wrongAlerts, [], 'no false alerts');

  // Each refund took exactly the unused part of its own period as of when the take-back was
  // decided (once, between the refund and the revert, however often the panel failed): the
  // whole 30 days of a period not started yet, the rest of a running one, nothing of days that
  // never reached the panel.
  for (const r of refundedRows) {
    if (r.target_expires_at === null || !r.taken_back_seconds) continue; // its days never reached the panel
    const start = r.target_expires_at - r.days * DAY;
    const unusedAt = (t) => r.target_expires_at - Math.max(t, start);
    assert.ok(r.taken_back_seconds >= unusedAt(r.reverted_at) - 2 && r.taken_back_seconds <= unusedAt(r.refunded_at) + 2,
      `order ${r.public_id}: took ${r.taken_back_seconds} s; its unused part was ${unusedAt(r.refunded_at)} s at the refund, ${unusedAt(r.reverted_at)} s at the revert`);
  }

  // No day lost or doubled: each customer's expiry is 30 days per kept order after a first
  // period that started while the test ran, plus at most the minutes used of a refunded
  // running period. A customer whose every order was refunded is disabled.
  for (const userId of users) {
    const mine = payments.filter((p) => p.userId === userId);
    const keptCount = mine.filter((p) => !p.refund).length;
    const user = [...app.panel.users.values()].find((u) => u.username === `tg_${userId}`);
    if (keptCount === 0) {
      assert.ok(!user || user.status === 'DISABLED' || expirySeconds(user) <= finished + 65, `user ${userId}: everything refunded`);
      continue;
    }
    const base = expirySeconds(user) - keptCount * 30 * DAY;
    assert.ok(base >= started - 5 && base <= finished + 5, `user ${userId}: ${mine.length} payments (${keptCount} kept), expiry base ${base} outside [${started}, ${finished}] (paid by ${paidBy})`);
    const created = app.panel.calls.filter((c) => c.method === 'POST' && c.path === '/api/users' && c.body?.username === `tg_${userId}` && c.status === 201);
    assert.equal(created.length, 1, `user ${userId} created once`);
  }
});

// ------------------------------------------------------------------ four channels

/**
 * 400 payments spread over Stars, Razorpay, Xendit and Crypto Pay: 20% of them replayed, 10%
 * followed by a forged (badly signed) delivery, 5% underpaid by one unit, the panel failing 30%
 * of calls. Every valid payment is provisioned exactly once, every bad one refused, nothing
 * lost; prints the counts per channel.
 */
test('400 payments over the four channels, 20% replayed, 10% badly signed, 5% underpaid, panel failing 30%', { timeout: 900_000 }, async () => {
  const CHANNELS = ['stars', 'razorpay', 'xendit', 'cryptopay'];
  const random = mulberry32(20261205);
  const shop = await spawnApp({ providers: true });
  try {
    const { razorpay, xendit, cryptopay } = shop.providers;
    const standin = { razorpay, xendit, cryptopay };
    const users = Array.from({ length: 80 }, (_, i) => 8_100_000 + i);
    for (const userId of users) await startUser(shop, userId);
    const payments = Array.from({ length: 400 }, (_, i) => ({
      userId: users[i % users.length], channel: CHANNELS[i % 4],
      replay: random() < 0.2, forged: random() < 0.1, underpaid: random() < 0.05,
    }));
    const started = Math.floor(Date.now() / 1000);
    shop.panel.setFailRate(0.3, 500, 7);

    const latestOrder = (userId) => shop.db('SELECT o.public_id, o.external_id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? ORDER BY o.id DESC LIMIT 1', userId)[0];
    const short = {
      razorpay: (row) => razorpay.sendEvent('payment_link.paid', {
        payment_link: { entity: { ...razorpay.links.get(row.external_id), status: 'paid' } },
        payment: { entity: { id: `pay_short_${row.public_id}`, amount: 16899, currency: 'INR', status: 'captured', notes: { order: row.public_id } } },
      }),
      xendit: (row) => xendit.sendEvent('payment.capture', { payment_id: `py-short-${row.public_id}`, payment_request_id: row.external_id, reference_id: row.public_id, request_amount: 31999, currency: 'IDR', status: 'SUCCEEDED' }),
      cryptopay: (row) => cryptopay.sendUpdate({ ...cryptopay.invoices.get(Number(row.external_id)), status: 'paid', amount: '1.99' }),
    };
    const forge = {
      stars: (p) => shop.sendUpdate(paymentUpdate(shop.nextUpdateId(), { userId: p.userId, payload: `order:${p.order}`, amount: 100, chargeId: newChargeId() }), { secret: 'forged-secret' }),
      razorpay: (p) => razorpay.sendEvent('payment.captured', { payment: { entity: { id: `pay_forged_${p.order}`, amount: 16900, currency: 'INR', status: 'captured', notes: { order: p.order } } } }, { secret: 'forged' }),
      xendit: (p) => xendit.sendEvent('payment.capture', { payment_id: `py-forged-${p.order}`, reference_id: p.order, request_amount: 32000, currency: 'IDR', status: 'SUCCEEDED' }, { token: 'forged' }),
      cryptopay: (p) => cryptopay.sendUpdate({ invoice_id: 1, status: 'paid', currency_type: 'fiat', fiat: 'USD', amount: '2.00', payload: `order:${p.order}` }, { signingToken: '1:forged' }),
    };

    async function run(p) {
      if (p.channel === 'stars') {
        const invoice = await requestInvoice(shop, p.userId, 'monthly');
        p.order = invoice.payload.slice('order:'.length);
        assert.equal((await preCheckout(shop, p.userId, invoice)).ok, true);
        const update = paymentUpdate(shop.nextUpdateId(), { userId: p.userId, payload: invoice.payload, amount: p.underpaid ? invoice.amount - 1 : invoice.amount, chargeId: newChargeId() });
        p.statuses = [(await shop.sendUpdate(update)).status];
        if (p.replay) p.replayStatus = (await shop.sendUpdate(update)).status;
      } else {
        await send(shop, callbackUpdate(shop.nextUpdateId(), { userId: p.userId, data: `pay:monthly:${p.channel}` }));
        const row = latestOrder(p.userId);
        p.order = row.public_id;
        assert.ok(row.external_id, `${p.channel} checkout for ${p.userId} has its object`);
        const out = p.underpaid ? await short[p.channel](row) : await standin[p.channel].pay(p.channel === 'cryptopay' ? Number(row.external_id) : row.external_id);
        const deliveries = out.deliveries ?? [out];
        p.statuses = deliveries.map((d) => d.status);
        if (p.replay) p.replayStatus = (await redeliver(deliveries[0])).status;
      }
      if (p.forged) p.forgedStatus = (await forge[p.channel](p)).status;
    }
    // One worker per user at a time (a user's payments in order), ten users in parallel.
    const byUser = users.map((userId) => payments.filter((p) => p.userId === userId));
    await inParallel(byUser, 10, async (mine) => {
      for (const p of mine) await run(p);
    });

    const valid = payments.filter((p) => !p.underpaid);
    const list = (xs) => xs.map(() => '?').join(',');
    const validOrders = valid.map((p) => p.order);
    await eventually(() => shop.db(`SELECT COUNT(*) AS n FROM orders WHERE public_id IN (${list(validOrders)}) AND status = 'provisioned' AND notified_at IS NOT NULL`, ...validOrders)[0].n === valid.length,
      { timeoutMs: 600_000, what: 'every valid payment provisioned' });
    const finished = Math.floor(Date.now() / 1000);
    shop.panel.clearFaults();

    const stats = {};
    for (const channel of CHANNELS) {
      const mine = payments.filter((p) => p.channel === channel);
      const orders = mine.map((p) => p.order);
      const good = mine.filter((p) => !p.underpaid).map((p) => p.order);
      const bad = mine.filter((p) => p.underpaid).map((p) => p.order);
      stats[channel] = {
        payments: mine.length,
        replayed: mine.filter((p) => p.replay).length,
        replaysAnswered200: mine.filter((p) => p.replay && p.replayStatus === 200).length,
        forged: mine.filter((p) => p.forged).length,
        forgedRefused401: mine.filter((p) => p.forged && p.forgedStatus === 401).length,
        underpaid: bad.length,
        underpaidProvisioned: bad.length ? shop.db(`SELECT COUNT(*) AS n FROM orders WHERE public_id IN (${list(bad)}) AND status IN ('paid', 'provisioned')`, ...bad)[0].n : 0,
        provisioned: shop.db(`SELECT COUNT(*) AS n FROM orders WHERE public_id IN (${list(good)}) AND status = 'provisioned'`, ...good)[0].n,
        paymentRows: shop.db(`SELECT COUNT(*) AS n FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.public_id IN (${list(orders)})`, ...orders)[0].n,
        deliveriesNot2xx: mine.filter((p) => p.statuses.some((s) => s < 200 || s > 299)).length,
      };
    }
    console.log(`chaos (four channels): ${JSON.stringify({ ...stats, panelFailuresInjected: shop.panel.calls.filter((c) => c.status >= 500).length, seconds: finished - started })}`);

    for (const [channel, s] of Object.entries(stats)) {
      assert.equal(s.provisioned, s.payments - s.underpaid, `${channel}: every valid payment provisioned`);
      assert.equal(s.paymentRows, s.payments - s.underpaid, `${channel}: one payment row per valid payment, none for replays or bad ones`);
      assert.equal(s.underpaidProvisioned, 0, `${channel}: no underpaid order provisioned`);
      assert.equal(s.forgedRefused401, s.forged, `${channel}: every forged delivery refused`);
      assert.equal(s.replaysAnswered200, s.replayed, `${channel}: every replay acknowledged`);
      assert.equal(s.deliveriesNot2xx, 0, `${channel}: every genuine delivery acknowledged`);
    }
    // Exactly 30 days per valid payment on each customer's panel user, created once.
    for (const userId of users) {
      const count = payments.filter((p) => p.userId === userId && !p.underpaid).length;
      if (!count) continue;
      const user = [...shop.panel.users.values()].find((u) => u.username === `tg_${userId}`);
      const base = expirySeconds(user) - count * 30 * DAY;
      assert.ok(base >= started - 5 && base <= finished + 5, `user ${userId}: ${count} valid payments, expiry base ${base} outside [${started}, ${finished}]`);
      const created = shop.panel.calls.filter((c) => c.method === 'POST' && c.path === '/api/users' && c.body?.username === `tg_${userId}` && c.status === 201);
      assert.equal(created.length, 1, `user ${userId} created once`);
    }
  } finally {
    await shop.stop();
  }
});
