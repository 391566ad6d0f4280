// Fault runs through the real Workers, with the main Worker built with injected faults
// (`build-faults/`, functions/src/store/faults.rs; never deployed):
// - D1 fails at every call of a payment's recording, before the call and after it (the write
//   committed, the answer lost), on Razorpay webhooks and Stars payments; each is redelivered
//   as the provider would;
// - the panel is down while a stream of payments comes in (FAULT_PANEL_DOWN_SECONDS, 20 by
//   default; the closing note's run used 600);
// - Telegram answers 429 in storms while a broadcast goes out.
// Nothing lost, nothing doubled; each prints its counts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnApp, REPO_ROOT, TEST_ADMIN_ID } from './helpers/app.mjs';
import { DAY, buy, eventually, expirySeconds, newChargeId, panelUser, requestInvoice, send, startUser } from './helpers/shop.mjs';
import { callbackUpdate, paymentUpdate, textUpdate } from './helpers/updates.mjs';

const PANEL_DOWN_SECONDS = Number(process.env.FAULT_PANEL_DOWN_SECONDS ?? 20);
const FAULT = 'X-Wavegate-Fault';

let app;
let configDir;
before(async () => {
  assert.ok(fs.existsSync(path.join(REPO_ROOT, 'build-faults/index.js')), 'build-faults/ missing: run scripts/test (or build_faults from scripts/lib.sh)');
  configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wavegate-faults-'));
  const toml = fs
    .readFileSync(path.join(REPO_ROOT, 'wrangler.toml'), 'utf8')
    .replace('main = "build/index.js"', `main = "${path.join(REPO_ROOT, 'build-faults/index.js')}"`)
    .replace('directory = "static-site/dist"', `directory = "${path.join(REPO_ROOT, 'static-site/dist')}"`)
    .replace('migrations_dir = "d1-migrations"', `migrations_dir = "${path.join(REPO_ROOT, 'd1-migrations')}"`);
  fs.writeFileSync(path.join(configDir, 'wrangler.toml'), toml);
  app = await spawnApp({ configPath: path.join(configDir, 'wrangler.toml'), providers: true });
});
after(async () => {
  await app?.stop();
  if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
});

const userRow = (telegramId) => app.db('SELECT id FROM users WHERE telegram_id = ?', telegramId)[0].id;
const unprovisioned = (telegramId) =>
  app.db("SELECT count(*) AS n FROM orders WHERE user_id = ? AND status = 'paid'", userRow(telegramId))[0].n;

/** The D1 round trips of the last logged request with this event. */
function lastTrips(event) {
  const line = app.logs().split('\n').reverse().find((l) => l.includes(`"event":"${event}"`) && l.includes('d1_round_trips'));
  assert.ok(line, `no ${event} line with its round trips`);
  return Number(/"d1_round_trips":(\d+)/.exec(line)[1]);
}

/**
 * Sends `make(id)` once per fault (d1 and d1-after at every call 1..trips), then again without
 * a fault as the provider redelivers, and checks the second answer is 200.
 */
async function underFaults(label, trips, send) {
  const counts = { attempts: 0, refused: 0, accepted: 0 };
  const ids = [];
  for (const mode of ['d1', 'd1-after']) {
    for (let k = 1; k <= trips; k++) {
      const id = `${label}-${mode}-${k}`;
      ids.push(id);
      const faulted = await send(id, `${mode}=${k}`);
      counts.attempts++;
      assert.ok([200, 503].includes(faulted.status), `${id}: ${faulted.status} ${await faulted.text()}`);
      if (faulted.status === 503) counts.refused++;
      else counts.accepted++;
      const redelivered = await send(id, null);
      assert.equal(redelivered.status, 200, `${id}: the redelivery`);
    }
  }
  return { ids, counts };
}

test('D1 failing at every call of a payment, before and after the call: each payment recorded and provisioned exactly once', { timeout: 600_000 }, async () => {
  // Razorpay: a renewal-style stream of payments on one order (each a new payment id).
  const rzpBuyer = 8_600_001;
  await startUser(app, rzpBuyer);
  await send(app, callbackUpdate(app.nextUpdateId(), { userId: rzpBuyer, data: 'pay:monthly:razorpay' }));
  const order = app.db("SELECT public_id, amount_minor FROM orders WHERE provider = 'razorpay' AND user_id = ? ORDER BY id DESC LIMIT 1", userRow(rzpBuyer))[0];
  const secret = app.providers.razorpay.webhookSecret;
  const razorpay = (paymentId, fault) => {
    const raw = JSON.stringify({ entity: 'event', event: 'payment.captured', contains: ['payment'], created_at: 1, payload: { payment: { entity: {
      id: paymentId, amount: order.amount_minor, currency: 'INR', status: 'captured', method: 'upi', notes: { order: order.public_id } } } } });
    const headers = { 'content-type': 'application/json', 'X-Razorpay-Signature': createHmac('sha256', secret).update(raw).digest('hex') };
    if (fault) headers[FAULT] = fault;
    return app.fetch('/webhooks/razorpay', { method: 'POST', headers, body: raw });
  };
  assert.equal((await razorpay('pay_faultclean', null)).status, 200);
  const rzpTrips = lastTrips('payment.webhook');
  await eventually(() => unprovisioned(rzpBuyer) === 0, { what: 'the first Razorpay payment provisioned' });
  const rzpBase = expirySeconds(panelUser(app, rzpBuyer));
  const rzp = await underFaults('pay_fault', rzpTrips, razorpay);

  // Stars: renewals of a Stars subscription (each a new charge id), as Telegram sends them.
  const starsBuyer = 8_600_002;
  await startUser(app, starsBuyer);
  const invoice = await requestInvoice(app, starsBuyer, 'monthly', 'starsub');
  const updates = new Map();
  const stars = (chargeId, fault) => {
    if (!updates.has(chargeId)) {
      updates.set(chargeId, paymentUpdate(app.nextUpdateId(), { userId: starsBuyer, payload: invoice.payload, amount: invoice.amount, chargeId, recurring: true }));
    }
    const headers = { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 'test-webhook-secret' };
    if (fault) headers[FAULT] = fault;
    return app.fetch('/telegram/webhook', { method: 'POST', headers, body: JSON.stringify(updates.get(chargeId)) });
  };
  assert.equal((await stars(newChargeId(), null)).status, 200);
  const starsTrips = lastTrips('telegram.handled');
  await eventually(() => unprovisioned(starsBuyer) === 0, { what: 'the first Stars payment provisioned' });
  const starsBase = expirySeconds(panelUser(app, starsBuyer));
  const starsRun = await underFaults(`stx${Date.now().toString(36)}`, starsTrips, stars);

  for (const [buyer, run, base, keyOf] of [
    [rzpBuyer, rzp, rzpBase, (id) => `razorpay:${id}`],
    [starsBuyer, starsRun, starsBase, (id) => `stars:${id}`],
  ]) {
    assert.ok(run.counts.refused > 0, 'the faults were hit');
    await eventually(() => unprovisioned(buyer) === 0, { what: `every payment of ${buyer} provisioned`, timeoutMs: 120_000 });
    const rows = app.db(`SELECT p.idempotency_key AS k, o.days, o.status FROM payments p JOIN orders o ON o.id = p.order_id
                          WHERE p.idempotency_key IN (SELECT value FROM json_each(?))`, JSON.stringify(run.ids.map(keyOf)));
    assert.equal(rows.length, run.ids.length, 'every payment recorded');
    assert.equal(new Set(rows.map((r) => r.k)).size, rows.length, 'none twice');
    assert.ok(rows.every((r) => r.status === 'provisioned'), 'every order provisioned');
    const days = rows.reduce((sum, r) => sum + r.days, 0);
    assert.equal(expirySeconds(panelUser(app, buyer)) - base, days * DAY, 'the panel got each payment\'s days exactly once');
  }
  console.log(`D1 faults on payment recording:
  Razorpay: ${rzpTrips} D1 calls per payment; ${rzp.counts.attempts} faulted deliveries (${rzp.counts.refused} answered 503, ${rzp.counts.accepted} absorbed) + ${rzp.counts.attempts} redeliveries → ${rzp.ids.length} payments recorded once, ${rzp.ids.length} orders provisioned once
  Stars:    ${starsTrips} D1 calls per payment; ${starsRun.counts.attempts} faulted deliveries (${starsRun.counts.refused} answered 503, ${starsRun.counts.accepted} absorbed) + ${starsRun.counts.attempts} redeliveries → ${starsRun.ids.length} payments recorded once, ${starsRun.ids.length} orders provisioned once`);
});

test(`the panel down for ${PANEL_DOWN_SECONDS} s during a stream of payments: every order provisioned once after it returns`, { timeout: (PANEL_DOWN_SECONDS * 3 + 300) * 1000 }, async () => {
  const buyers = Array.from({ length: 12 }, (_, i) => 8_700_000 + i);
  for (const b of buyers) await startUser(app, b);
  const retries = () => Number(app.db("SELECT COALESCE(sum(value), 0) AS n FROM metric_counters WHERE name = 'queue_retries'")[0].n);
  const retriesBefore = retries();
  app.panel.down();
  const downAt = Date.now();
  const orders = [];
  // Payments spread over the first half of the outage: Stars and Razorpay alternately.
  const gap = (PANEL_DOWN_SECONDS * 1000) / 2 / buyers.length;
  for (const [i, b] of buyers.entries()) {
    if (i % 2 === 0) {
      orders.push((await buy(app, b)).orderId);
    } else {
      await send(app, callbackUpdate(app.nextUpdateId(), { userId: b, data: 'pay:monthly:razorpay' }));
      const o = app.db("SELECT public_id, amount_minor FROM orders WHERE provider = 'razorpay' AND user_id = ? ORDER BY id DESC LIMIT 1", userRow(b))[0];
      const raw = JSON.stringify({ entity: 'event', event: 'payment.captured', contains: ['payment'], created_at: 1, payload: { payment: { entity: {
        id: `pay_outage${i}`, amount: o.amount_minor, currency: 'INR', status: 'captured', method: 'upi', notes: { order: o.public_id } } } } });
      const res = await app.fetch('/webhooks/razorpay', { method: 'POST', headers: { 'content-type': 'application/json', 'X-Razorpay-Signature': createHmac('sha256', app.providers.razorpay.webhookSecret).update(raw).digest('hex') }, body: raw });
      assert.equal(res.status, 200, 'a payment is accepted while the panel is down');
      orders.push(o.public_id);
    }
    await sleep(gap);
  }
  const paidWhileDown = app.db("SELECT count(*) AS n FROM orders WHERE status = 'paid' AND public_id IN (SELECT value FROM json_each(?))", JSON.stringify(orders))[0].n;
  assert.equal(paidWhileDown, buyers.length, 'paid, waiting for the panel');
  await sleep(Math.max(0, PANEL_DOWN_SECONDS * 1000 - (Date.now() - downAt)));
  app.panel.up();
  const upAt = Date.now();
  await eventually(
    () => app.db("SELECT count(*) AS n FROM orders WHERE status = 'provisioned' AND public_id IN (SELECT value FROM json_each(?))", JSON.stringify(orders))[0].n === buyers.length,
    { what: 'every order provisioned after the panel returned', timeoutMs: (PANEL_DOWN_SECONDS * 2 + 240) * 1000 },
  );
  const caughtUpSeconds = Math.round((Date.now() - upAt) / 1000);
  for (const b of buyers) {
    const users = [...app.panel.users.values()].filter((u) => u.username === `tg_${b}`);
    assert.equal(users.length, 1, `one panel user for ${b}`);
    const days = app.db("SELECT days FROM orders WHERE user_id = ? AND status = 'provisioned'", userRow(b));
    assert.equal(days.length, 1, 'one provisioned order');
    const expected = Math.floor(Date.now() / 1000) + days[0].days * DAY;
    assert.ok(Math.abs(expirySeconds(users[0]) - expected) < PANEL_DOWN_SECONDS * 3 + 600, 'one period, not two');
  }
  const lags = app.db("SELECT provisioned_at - paid_at AS lag FROM orders WHERE public_id IN (SELECT value FROM json_each(?))", JSON.stringify(orders)).map((r) => r.lag);
  const dead = app.db("SELECT COALESCE(sum(value), 0) AS n FROM metric_counters WHERE name = 'dead_letters'")[0].n;
  assert.equal(dead, 0, 'nothing dead-lettered');
  console.log(`panel down ${PANEL_DOWN_SECONDS} s: ${orders.length} payments accepted (200) while it was down; ${retries() - retriesBefore} provisioning retries; all ${orders.length} provisioned once, ${caughtUpSeconds} s after it returned; lag max ${Math.max(...lags)} s, min ${Math.min(...lags)} s; dead letters ${dead}`);
});

test('a Telegram 429 storm during a broadcast: everyone gets it exactly once', { timeout: 300_000 }, async () => {
  const FIRST = 8_800_000;
  const N = 40;
  const now = Math.floor(Date.now() / 1000);
  const rows = Array.from({ length: N }, (_, i) => [FIRST + i, `storm${String(i).padStart(3, '0')}`]);
  app.db(`INSERT INTO users (telegram_id, first_name, referral_code, created_at, updated_at)
          SELECT value ->> 0, 'Reader', value ->> 1, ?, ? FROM json_each(?)`, now, now, JSON.stringify(rows));
  await startUser(app, TEST_ADMIN_ID);
  const say = (text) => send(app, textUpdate(app.nextUpdateId(), { userId: TEST_ADMIN_ID, text }));
  await say('/broadcast');
  await say('Storm test: scheduled maintenance');
  const control = app.tg.callsTo('sendMessage').filter((c) => c.body.chat_id === TEST_ADMIN_ID).at(-1);
  const go = control.body.reply_markup.inline_keyboard.flat().find((b) => b.callback_data.endsWith(':go')).callback_data;
  const id = Number(go.split(':')[1]);
  const recipients = app.db('SELECT count(*) AS n FROM users WHERE is_blocked = 0')[0].n;
  const from = app.tg.calls.length;
  // The storm: for 4 s, every 300 ms the next two sends are refused with 429 (retry_after 1).
  let storming = true;
  const storm = (async () => {
    while (storming) {
      app.tg.failNext(2, { method: 'sendmessage', error_code: 429, retry_after: 1 });
      await sleep(300);
    }
  })();
  const started = Date.now();
  await send(app, callbackUpdate(app.nextUpdateId(), { userId: TEST_ADMIN_ID, data: go, messageId: control.result.message_id }));
  await sleep(4_000);
  storming = false;
  await storm;
  await eventually(() => app.db('SELECT status FROM broadcasts WHERE id = ?', id)[0].status === 'done', { what: 'the broadcast done', timeoutMs: 240_000 });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const sends = app.tg.calls.slice(from).filter((c) => c.method === 'sendMessage' && String(c.body.text).startsWith('Storm test'));
  const delivered = sends.filter((c) => c.ok).map((c) => String(c.body.chat_id));
  const throttled = sends.filter((c) => c.status === 429).length;
  assert.ok(throttled >= 5, `the storm hit (${throttled} × 429)`);
  assert.equal(new Set(delivered).size, delivered.length, 'nobody got it twice');
  assert.equal(delivered.length, recipients, 'everybody got it');
  assert.deepEqual(app.db('SELECT status, count(*) AS n FROM broadcast_recipients WHERE broadcast_id = ? GROUP BY status', id), [{ status: 'sent', n: recipients }]);
  console.log(`429 storm during a broadcast to ${recipients}: ${throttled} sends answered 429 (retry_after 1 s), ${delivered.length} delivered, 0 twice, done in ${seconds} s`);
});
