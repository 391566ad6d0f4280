// Selling through the real Worker: /buy → invoice → pre-checkout → Stars payment → queue →
// panel user (strict Remnawave fake) → link and QR to the customer. Also refunds, renewals,
// trials, /status and its actions, panel outages and reconciliation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnApp, TEST_ADMIN_ID } from './helpers/app.mjs';
import { DEFAULT_SQUAD_UUID } from './fakes/remnawave.mjs';
import { callbackUpdate, callbackData, textUpdate, refundUpdate, paymentUpdate } from './helpers/updates.mjs';
import {
  DAY, buy, eventually, expirySeconds, newChargeId, order, panelUser, pay, preCheckout, provisioned, requestInvoice, send, startUser,
} from './helpers/shop.mjs';

const GIB = 2 ** 30;
let app;
before(async () => {
  app = await spawnApp();
});
after(async () => {
  await app?.stop();
});

let nextUserId = 6_000_000;
const newUser = async (opts) => {
  const id = ++nextUserId;
  await startUser(app, id, opts);
  return id;
};
const now = () => Math.floor(Date.now() / 1000);
const near = (actual, expected, slack = 120) =>
  assert.ok(Math.abs(actual - expected) <= slack, `expected ≈${expected}, got ${actual} (off by ${actual - expected} s)`);
const userRow = (telegramId) => app.db('SELECT * FROM users WHERE telegram_id = ?', telegramId)[0];

describe('buying with Telegram Stars', () => {
  test('the whole flow: plans, invoice at the Stars price, pre-checkout, payment, panel user, link and QR', async () => {
    const userId = await newUser({ languageCode: 'en' });
    await send(app, callbackUpdate(app.nextUpdateId(), { userId, data: 'menu:buy', messageId: 11 }));
    const plans = app.tg.callsTo('editMessageText').filter((c) => c.body.chat_id === userId).at(-1);
    assert.deepEqual(callbackData(plans.body.reply_markup), ['plan:monthly', 'plan:quarterly', 'plan:yearly', 'menu:promo', 'menu:home']);
    assert.match(plans.body.text, /⭐100 · \$2\.00 · ₹169 · Rp 32,000/);

    await send(app, callbackUpdate(app.nextUpdateId(), { userId, data: 'plan:monthly', messageId: 11 }));
    const methods = app.tg.callsTo('editMessageText').filter((c) => c.body.chat_id === userId).at(-1);
    assert.deepEqual(callbackData(methods.body.reply_markup), ['pay:monthly:stars', 'pay:monthly:starsub', 'gift:monthly', 'menu:buy']);

    const invoice = await requestInvoice(app, userId, 'monthly');
    assert.equal(invoice.currency, 'XTR');
    assert.equal(invoice.amount, 100);
    assert.equal(invoice.call.body.prices.length, 1);
    assert.equal(invoice.call.body.provider_token, undefined);
    const orderId = invoice.payload.replace('order:', '');
    assert.equal(order(app, orderId).status, 'pending');

    const answer = await preCheckout(app, userId, invoice);
    assert.equal(answer.ok, true);
    const paidAt = now();
    const chargeId = await pay(app, userId, invoice);
    assert.match(app.tg.messagesTo(userId).join('\n'), /Payment received/);

    const row = await provisioned(app, orderId);
    const user = panelUser(app, userId);
    assert.ok(user, 'panel user created');
    assert.equal(user.telegramId, userId);
    assert.equal(user.trafficLimitBytes, 100 * GIB);
    assert.equal(user.hwidDeviceLimit, 3);
    assert.deepEqual(user.activeInternalSquads.map((s) => s.uuid), [DEFAULT_SQUAD_UUID]);
    near(expirySeconds(user), paidAt + 30 * DAY);
    assert.equal(row.target_expires_at, expirySeconds(user));

    const texts = app.tg.messagesTo(userId);
    assert.ok(texts.some((t) => t.includes(user.subscriptionUrl)), 'the link exactly as the panel returned it');
    const photo = app.tg.callsTo('sendPhoto').find((c) => String(c.body.chat_id) === String(userId));
    assert.ok(photo && photo.body.photo.size > 1000, 'a QR code image');
    assert.equal(photo.body.photo.bytes.subarray(1, 4).toString(), 'PNG');

    const payment = app.db('SELECT * FROM payments WHERE external_id = ?', chargeId)[0];
    assert.equal(payment.status, 'completed');
    assert.equal(payment.amount_minor, 100);
    assert.equal(payment.idempotency_key, `stars:${chargeId}`);
    assert.equal(userRow(userId).subscription_url, user.subscriptionUrl);
  });

  test('a tampered amount, another currency, someone else\'s order or an unknown order is refused at pre-checkout', async () => {
    const userId = await newUser();
    const other = await newUser();
    const invoice = await requestInvoice(app, userId, 'monthly');
    const cases = [
      [{ amount: 1 }, userId],
      [{ currency: 'USD' }, userId],
      [{}, other],
      [{ payload: 'order:doesnotexist0000' }, userId],
      [{ payload: 'sub:42:vpn_1m' }, userId],
    ];
    for (const [overrides, payer] of cases) {
      const answer = await preCheckout(app, payer, invoice, overrides);
      assert.equal(answer.ok, false, JSON.stringify(overrides));
      assert.ok(answer.error_message.length > 0);
    }
    assert.equal(order(app, invoice.payload.slice(6)).status, 'pending');
  });

  test('a payment that does not match its order is never provisioned: the order fails and the admins are told once', async () => {
    const userId = await newUser();
    const invoice = await requestInvoice(app, userId);
    const chargeId = newChargeId();
    await pay(app, userId, { ...invoice, amount: 1 }, { chargeId });
    await pay(app, userId, { ...invoice, amount: 1 }, { chargeId }); // redelivered
    const orderId = invoice.payload.slice(6);
    assert.equal(order(app, orderId).status, 'failed');
    assert.equal(app.db('SELECT COUNT(*) AS n FROM payments WHERE external_id = ?', chargeId)[0].n, 0);
    assert.equal(app.db("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'payment.unmatched' AND subject = ?", `payment:stars:${chargeId}`)[0].n, 1);
    const alert = await eventually(() => app.tg.messagesTo(900001).find((t) => t.includes(chargeId)), { what: 'admin alert' });
    assert.match(alert, /amount or currency differs from the order, so nothing was provisioned/);
    await sleep(1500);
    assert.equal(app.tg.messagesTo(900001).filter((t) => t.includes(chargeId)).length, 1);
    assert.equal(app.tg.messagesTo(userId).filter((t) => /could not match it/.test(t)).length, 1);
    assert.equal(panelUser(app, userId), undefined);
  });

  test('a replayed payment extends once', async () => {
    const userId = await newUser();
    const { invoice, chargeId, orderId } = await buy(app, userId);
    await provisioned(app, orderId);
    const expiry = expirySeconds(panelUser(app, userId));
    for (let i = 0; i < 3; i++) await pay(app, userId, invoice, { chargeId });
    await sleep(2500); // any second provisioning would have run by now
    assert.equal(expirySeconds(panelUser(app, userId)), expiry);
    assert.equal(app.db('SELECT COUNT(*) AS n FROM payments WHERE external_id = ?', chargeId)[0].n, 1);
    assert.equal(app.db('SELECT COUNT(*) AS n FROM subscriptions s JOIN users u ON u.id = s.user_id WHERE u.telegram_id = ?', userId)[0].n, 1);
    assert.equal(app.tg.messagesTo(userId).filter((t) => t.includes('Payment received')).length, 1);
  });

  test('a second purchase extends from the current expiry', async () => {
    const userId = await newUser();
    const first = await buy(app, userId, 'monthly');
    await provisioned(app, first.orderId);
    const afterFirst = expirySeconds(panelUser(app, userId));
    const second = await buy(app, userId, 'quarterly');
    await provisioned(app, second.orderId);
    const user = panelUser(app, userId);
    assert.equal(expirySeconds(user), afterFirst + 90 * DAY);
    assert.equal(user.trafficLimitBytes, 300 * GIB);
    assert.equal(app.panel.callsTo('/api/users', 'POST').filter((c) => c.body.username === `tg_${userId}`).length, 1);
  });

  test('a Stars subscription renews itself: each recurring payment extends by 30 days', async () => {
    const userId = await newUser();
    const invoice = await requestInvoice(app, userId, 'monthly', 'starsub');
    assert.equal(invoice.call.body.subscription_period, 2592000);
    const offer = app.tg.callsTo('sendMessage').filter((c) => c.body.chat_id === userId).at(-1);
    assert.match(offer.body.reply_markup.inline_keyboard[0][0].url, /^https:\/\/t\.me\/\$invoice\//);
    assert.equal((await preCheckout(app, userId, invoice)).ok, true);
    const expiresAt = now() + 30 * DAY;
    await pay(app, userId, invoice, { recurring: true, first: true, expiresAt });
    await provisioned(app, invoice.payload.slice(6));
    const afterFirst = expirySeconds(panelUser(app, userId));

    const renewalCharge = newChargeId();
    await pay(app, userId, invoice, { chargeId: renewalCharge, recurring: true, expiresAt: expiresAt + 30 * DAY });
    const renewal = await eventually(() => app.db(
      "SELECT o.* FROM orders o JOIN payments p ON p.order_id = o.id WHERE p.external_id = ? AND o.status = 'provisioned' AND o.notified_at IS NOT NULL",
      renewalCharge,
    )[0], { what: 'renewal provisioned' });
    assert.equal(renewal.kind, 'renewal');
    assert.equal(expirySeconds(panelUser(app, userId)), afterFirst + 30 * DAY);

    // The status screen offers to cancel the renewal, which calls editUserStarSubscription.
    await send(app, callbackUpdate(app.nextUpdateId(), { userId, data: 'sub:cancel', messageId: 77 }));
    const edit = app.tg.callsTo('editUserStarSubscription').at(-1);
    assert.equal(edit.body.user_id, userId);
    assert.equal(edit.body.is_canceled, true);
  });

  test('a refund takes the days back, and disables the user when nothing is left', async () => {
    const userId = await newUser();
    const first = await buy(app, userId, 'monthly');
    await provisioned(app, first.orderId);
    const second = await buy(app, userId, 'monthly');
    await provisioned(app, second.orderId);
    const stacked = expirySeconds(panelUser(app, userId));

    await send(app, refundUpdate(app.nextUpdateId(), { userId, payload: second.invoice.payload, amount: 100, chargeId: second.chargeId }));
    await eventually(() => order(app, second.orderId).reverted_at, { what: 'second order reverted' });
    assert.equal(expirySeconds(panelUser(app, userId)), stacked - 30 * DAY);
    assert.equal(panelUser(app, userId).status, 'ACTIVE');
    assert.ok(app.tg.messagesTo(userId).some((t) => /refunded/.test(t)));

    // A replayed refund changes nothing.
    await send(app, refundUpdate(app.nextUpdateId(), { userId, payload: second.invoice.payload, amount: 100, chargeId: second.chargeId }));
    await send(app, refundUpdate(app.nextUpdateId(), { userId, payload: first.invoice.payload, amount: 100, chargeId: first.chargeId }));
    await eventually(() => order(app, first.orderId).reverted_at, { what: 'first order reverted' });
    assert.equal(panelUser(app, userId).status, 'DISABLED');
    assert.equal(app.db("SELECT COUNT(*) AS n FROM payments p JOIN users u ON u.id = p.user_id WHERE u.telegram_id = ? AND p.status = 'refunded'", userId)[0].n, 2);
  });

  test('when the panel fails the first several calls the order is still provisioned, exactly once', async () => {
    const userId = await newUser();
    const invoice = await requestInvoice(app, userId);
    assert.equal((await preCheckout(app, userId, invoice)).ok, true);
    app.panel.failNext(5, 503);
    const paidAt = now();
    await pay(app, userId, invoice);
    await provisioned(app, invoice.payload.slice(6), 60_000);
    near(expirySeconds(panelUser(app, userId)), paidAt + 30 * DAY, 180);
    assert.equal(app.panel.callsTo('/api/users', 'POST').filter((c) => c.body.username === `tg_${userId}` && c.status === 201).length, 1);
    await sleep(2000);
    assert.equal(app.tg.messagesTo(userId).filter((t) => t.includes(panelUser(app, userId).subscriptionUrl)).length, 1);
  });
});

describe('waiting for another job', () => {
  test('a job that finds the customer\'s lease held waits (re-sent, no retry spent) and provisions once it is free', async () => {
    const userId = await newUser();
    const invoice = await requestInvoice(app, userId);
    const orderId = invoice.payload.slice(6);
    assert.equal((await preCheckout(app, userId, invoice)).ok, true);
    // A job that crashed holding this customer's lease: it expires in 20 s.
    app.db('UPDATE users SET provisioning_until = ?, provisioning_token = ? WHERE telegram_id = ?', now() + 20, 'crashed@0', userId);
    const mark = app.logs().length;
    await pay(app, userId, invoice);
    await provisioned(app, orderId, 90_000);
    const lines = app.logs().slice(mark).split('\n').filter((l) => l.includes('"job.done"') && l.includes(orderId))
      .map((l) => JSON.parse(l.slice(l.indexOf('{'))));
    const outcomes = lines.map((l) => l.outcome);
    assert.ok(outcomes.filter((o) => o === 'wait').length >= 1, `waited: ${outcomes}`);
    assert.deepEqual(outcomes.filter((o) => o === 'retry'), [], 'no retry was spent on waiting');
    assert.deepEqual(app.tg.messagesTo(TEST_ADMIN_ID).filter((t) => t.includes(orderId)), [], 'no false alert');
  });
});

describe('the thank-you', () => {
  test('rides back on the webhook response as a sendMessage that Telegram runs', async () => {
    const userId = await newUser();
    const invoice = await requestInvoice(app, userId);
    assert.equal((await preCheckout(app, userId, invoice)).ok, true);
    const before = app.tg.callsTo('sendMessage').length;
    const res = await app.sendUpdate(paymentUpdate(app.nextUpdateId(), { userId, payload: invoice.payload, amount: invoice.amount, chargeId: newChargeId() }));
    assert.equal(res.status, 200);
    assert.equal(res.json.method, 'sendMessage');
    assert.equal(res.json.chat_id, userId);
    assert.match(res.json.text, /Payment received/);
    // The strict fake accepted it as Telegram would (parse mode, length, fields).
    const run = app.tg.callsTo('sendMessage').slice(before).find((c) => c.body.chat_id === userId && /Payment received/.test(c.body.text));
    assert.ok(run?.ok, JSON.stringify(run));
    await provisioned(app, invoice.payload.slice(6));
  });
});

describe('failures retrying cannot fix', () => {
  test('a panel that refuses an order tells the admins at once, without retries; reconciliation provisions it later', async () => {
    const userId = await newUser();
    const invoice = await requestInvoice(app, userId);
    const orderId = invoice.payload.slice(6);
    assert.equal((await preCheckout(app, userId, invoice)).ok, true);
    app.panel.failNext(1, 400); // the first provisioning call: a 400 is the panel's final word
    await pay(app, userId, invoice);

    const alert = await eventually(() => app.tg.messagesTo(TEST_ADMIN_ID).find((t) => t.includes(orderId)), {
      timeoutMs: 15_000, what: 'the admin alert',
    });
    assert.match(alert, /retrying will not fix/);
    const panelCalls = () => app.panel.calls.filter((c) => JSON.stringify(c).includes(`tg_${userId}`)).length;
    const seen = panelCalls();
    assert.ok(seen > 0, 'the refused call is recorded');
    await sleep(7000); // longer than the first retry's 5 s backoff
    assert.equal(panelCalls(), seen, 'the job was not retried');
    assert.equal(order(app, orderId).status, 'paid', 'the order stays paid');

    // The cause is gone (the fake answers normally again): the hourly reconciliation goes on.
    app.db('UPDATE orders SET paid_at = paid_at - 3600 WHERE public_id = ?', orderId);
    assert.equal((await app.runCron('0 * * * *')).status, 200);
    await provisioned(app, orderId);
    assert.equal(app.tg.messagesTo(TEST_ADMIN_ID).filter((t) => t.includes(orderId)).length, 1, 'alerted once');
  });
});

describe('trial', () => {
  test('a new user gets the trial once, with the trial limits', async () => {
    const userId = await newUser();
    const welcome = app.tg.callsTo('sendMessage').filter((c) => c.body.chat_id === userId).at(-1);
    assert.ok(callbackData(welcome.body.reply_markup).includes('menu:trial'));
    const startedAt = now();
    await send(app, textUpdate(app.nextUpdateId(), { userId, text: '/trial' }));
    const trialOrder = await eventually(() => app.db(
      "SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? AND o.kind = 'trial' AND o.notified_at IS NOT NULL", userId)[0],
    { what: 'trial provisioned' });
    assert.equal(trialOrder.amount_minor, 0);
    const user = panelUser(app, userId);
    assert.equal(user.trafficLimitBytes, 10 * GIB);
    assert.equal(user.hwidDeviceLimit, 1);
    near(expirySeconds(user), startedAt + 3 * DAY);

    await send(app, textUpdate(app.nextUpdateId(), { userId, text: '/trial' }));
    assert.match(app.tg.messagesTo(userId).at(-1), /already used your free trial/);
    assert.equal(app.db("SELECT COUNT(*) AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? AND o.kind = 'trial'", userId)[0].n, 1);
  });

  test('a paying customer is not offered the trial', async () => {
    const userId = await newUser();
    const { orderId } = await buy(app, userId);
    await provisioned(app, orderId);
    await send(app, textUpdate(app.nextUpdateId(), { userId, text: '/trial' }));
    assert.match(app.tg.messagesTo(userId).at(-1), /free trial is for new customers/);
  });
});

describe('/status', () => {
  test('a user without a subscription sees buy and trial buttons', async () => {
    const userId = await newUser();
    await send(app, textUpdate(app.nextUpdateId(), { userId, text: '/status' }));
    const screen = app.tg.callsTo('sendMessage').filter((c) => c.body.chat_id === userId).at(-1);
    assert.match(screen.body.text, /don't have a subscription yet/);
    assert.deepEqual(callbackData(screen.body.reply_markup), ['menu:buy', 'menu:trial', 'menu:home']);
  });

  test('a subscriber sees plan, expiry in their time zone, traffic and devices, and the actions work', async () => {
    const userId = await newUser({ languageCode: 'ru' });
    const { orderId } = await buy(app, userId, 'monthly');
    await provisioned(app, orderId);
    const user = panelUser(app, userId);
    user.userTraffic.usedTrafficBytes = Math.round(1.5 * GIB);

    await send(app, textUpdate(app.nextUpdateId(), { userId, text: '/status', languageCode: 'ru' }));
    const screen = app.tg.callsTo('sendMessage').filter((c) => c.body.chat_id === userId).at(-1);
    const moscow = new Date(new Date(user.expireAt).getTime() + 3 * 3600_000);
    const pad = (n) => String(n).padStart(2, '0');
    const expected = `${pad(moscow.getUTCDate())}.${pad(moscow.getUTCMonth() + 1)}.${moscow.getUTCFullYear()} ${pad(moscow.getUTCHours())}:${pad(moscow.getUTCMinutes())}`;
    assert.ok(screen.body.text.includes(expected), `${screen.body.text} should show ${expected}`);
    assert.match(screen.body.text, /1[.,]5/);
    assert.match(screen.body.text, /Месячный|Месяц|месяц/i);
    for (const data of ['sub:qr', 'sub:link', 'sub:devices', 'sub:revoke']) {
      assert.ok(callbackData(screen.body.reply_markup).includes(data), data);
    }

    // Buttons are pressed on the status message itself (Telegram refuses a text edit of any
    // other kind of message, such as the QR photo).
    const messageId = screen.result.message_id;
    await send(app, callbackUpdate(app.nextUpdateId(), { userId, data: 'sub:devices', messageId }));
    const reset = app.panel.callsTo('/api/hwid/devices/delete-all', 'POST').at(-1);
    assert.deepEqual(reset.body, { userId: user.id });

    const oldUrl = user.subscriptionUrl;
    await send(app, callbackUpdate(app.nextUpdateId(), { userId, data: 'sub:revoke', messageId }));
    assert.equal(app.panel.callsTo(`/api/users/${user.id}/actions/revoke`).length, 0, 'asks first');
    await send(app, callbackUpdate(app.nextUpdateId(), { userId, data: 'sub:revoke-yes', messageId }));
    assert.equal(app.panel.callsTo(`/api/users/${user.id}/actions/revoke`, 'POST').length, 1);
    const newUrl = panelUser(app, userId).subscriptionUrl;
    assert.notEqual(newUrl, oldUrl);
    assert.equal(userRow(userId).subscription_url, newUrl);
    assert.ok(app.tg.messagesTo(userId).at(-1).includes(newUrl));
  });

  test('when the panel is down /status says so instead of failing', async () => {
    const userId = await newUser();
    const { orderId } = await buy(app, userId);
    await provisioned(app, orderId);
    app.panel.down();
    try {
      const res = await app.sendUpdate(textUpdate(app.nextUpdateId(), { userId, text: '/status' }));
      assert.equal(res.status, 200);
    } finally {
      app.panel.up();
    }
    assert.match(app.tg.messagesTo(userId).at(-1), /can't reach the VPN server/);
  });
});

describe('reconciliation', () => {
  test('the hourly job re-queues a paid order that was never provisioned', async () => {
    const userId = await newUser();
    const user = userRow(userId);
    const old = now() - 3600;
    app.db(
      "INSERT INTO orders (public_id, user_id, plan_id, kind, provider, amount_minor, currency, days, status, chat_id, created_at, updated_at, paid_at) VALUES (?, ?, 1, 'purchase', 'stars', 100, 'XTR', 30, 'paid', ?, ?, ?, ?)",
      `slipped${userId}`, user.id, userId, old, old, old,
    );
    const res = await app.runCron('0 * * * *');
    assert.equal(res.status, 200);
    await provisioned(app, `slipped${userId}`);
    assert.ok(panelUser(app, userId));
  });
});
