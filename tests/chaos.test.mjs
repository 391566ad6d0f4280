// Chaos: 200 Stars payments from 50 users, 20% of them replayed, while the panel fails 30% of
// all calls at random. Every paid order must be provisioned exactly once, no payment lost, no
// day added twice. Prints the counts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnApp } from './helpers/app.mjs';
import { DAY, eventually, expirySeconds, newChargeId, pay, preCheckout, requestInvoice, startUser } from './helpers/shop.mjs';

const USERS = 50;
const PAYMENTS = 200;
const REPLAY_SHARE = 0.2;
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

test('200 payments, 20% replayed, panel failing 30%: every order provisioned exactly once', { timeout: 300_000 }, async () => {
  const random = mulberry32(20261126);
  const users = Array.from({ length: USERS }, (_, i) => 8_000_000 + i);
  for (const userId of users) await startUser(app, userId);

  // Each payment: a user (spread evenly), an invoice, an approved pre-checkout.
  const payments = Array.from({ length: PAYMENTS }, (_, i) => ({ userId: users[i % USERS], chargeId: newChargeId() }));
  const started = Math.floor(Date.now() / 1000);
  app.panel.setFailRate(PANEL_FAILURE_RATE, 500, 42);

  await inParallel(payments, CONCURRENCY, async (p) => {
    p.invoice = await requestInvoice(app, p.userId, 'monthly');
    const answer = await preCheckout(app, p.userId, p.invoice);
    assert.equal(answer.ok, true);
    await pay(app, p.userId, p.invoice, { chargeId: p.chargeId });
  });
  const replays = payments.filter(() => random() < REPLAY_SHARE);
  await inParallel(replays, CONCURRENCY, (p) => pay(app, p.userId, p.invoice, { chargeId: p.chargeId }));
  const paidBy = Math.floor(Date.now() / 1000);

  const orderIds = payments.map((p) => p.invoice.payload.slice('order:'.length));
  const placeholders = orderIds.map(() => '?').join(',');
  await eventually(() => {
    const done = app.db(`SELECT COUNT(*) AS n FROM orders WHERE public_id IN (${placeholders}) AND status = 'provisioned' AND notified_at IS NOT NULL`, ...orderIds)[0].n;
    return done === PAYMENTS;
  }, { timeoutMs: 240_000, what: 'all orders provisioned' });
  const finished = Math.floor(Date.now() / 1000);
  app.panel.clearFaults();

  const count = (sql, ...args) => app.db(sql, ...args)[0].n;
  const stats = {
    payments: PAYMENTS,
    replayed: replays.length,
    paymentRows: count(`SELECT COUNT(*) AS n FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.public_id IN (${placeholders})`, ...orderIds),
    provisioned: count(`SELECT COUNT(*) AS n FROM orders WHERE public_id IN (${placeholders}) AND status = 'provisioned'`, ...orderIds),
    subscriptionPeriods: count(`SELECT COUNT(*) AS n FROM subscriptions s JOIN orders o ON o.id = s.order_id WHERE o.public_id IN (${placeholders})`, ...orderIds),
    panelUsers: users.filter((id) => [...app.panel.users.values()].some((u) => u.username === `tg_${id}`)).length,
    panelCalls: app.panel.calls.length,
    panelFailuresInjected: app.panel.calls.filter((c) => c.status >= 500 || c.status === 'reset').length,
    seconds: finished - started,
  };
  console.log(`chaos: ${JSON.stringify(stats)}`);

  assert.equal(stats.paymentRows, PAYMENTS, 'one payment row per charge, replays added none');
  assert.equal(stats.provisioned, PAYMENTS, 'every paid order provisioned');
  assert.equal(stats.subscriptionPeriods, PAYMENTS, 'one period per order');
  assert.equal(stats.panelUsers, USERS, 'one panel user per customer');
  assert.ok(stats.panelFailuresInjected > 0, 'the panel really failed');

  // No duplicate days: each user's expiry is 30 days per payment after a first payment made
  // while the test ran (stacking never loses or doubles a period).
  for (const userId of users) {
    const n = payments.filter((p) => p.userId === userId).length;
    const user = [...app.panel.users.values()].find((u) => u.username === `tg_${userId}`);
    const base = expirySeconds(user) - n * 30 * DAY;
    assert.ok(base >= started - 5 && base <= finished + 5, `user ${userId}: ${n} payments, expiry base ${base} outside [${started}, ${finished}] (paid by ${paidBy})`);
    const created = app.panel.calls.filter((c) => c.method === 'POST' && c.path === '/api/users' && c.body?.username === `tg_${userId}` && c.status === 201);
    assert.equal(created.length, 1, `user ${userId} created once`);
  }
});
