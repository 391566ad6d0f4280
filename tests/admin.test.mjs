// Admins' actions through the real Worker: /refund of a Stars payment (refundStarPayment, then
// the days come off the panel) and of a Razorpay payment (its refund API; its webhook takes the
// days back), /user's buttons on the panel fake, the audit trail; customers get nothing.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnApp, TEST_ADMIN_ID } from './helpers/app.mjs';
import { callbackUpdate, textUpdate } from './helpers/updates.mjs';
import { send, startUser, buy, provisioned, panelUser, expirySeconds, eventually, order, DAY } from './helpers/shop.mjs';

let app;
let rzp;
before(async () => {
  app = await spawnApp({ providers: true });
  rzp = app.providers.razorpay;
  await startUser(app, TEST_ADMIN_ID);
});
after(() => app?.stop());

const say = (userId, text) => send(app, textUpdate(app.nextUpdateId(), { userId, text }));
const press = (userId, data) => send(app, callbackUpdate(app.nextUpdateId(), { userId, data }));
const lastText = (chatId) => app.tg.messagesTo(chatId).at(-1);
const paymentOf = (publicId) => app.db('SELECT p.* FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.public_id = ?', publicId)[0];
const auditOf = (action, subject) => app.db('SELECT * FROM audit_log WHERE action = ? AND subject = ? ORDER BY id', action, subject);

test('/refund of a Stars payment gives the Stars back and takes the days off the panel; customers cannot', async () => {
  const anna = 980_001;
  await startUser(app, anna);
  const { orderId, chargeId, invoice } = await buy(app, anna, 'monthly');
  app.tg.ledgerPayment({ id: chargeId, userId: anna, amount: invoice.amount, payload: invoice.payload });
  await provisioned(app, orderId);
  const paidUntil = expirySeconds(panelUser(app, anna));
  const payment = paymentOf(orderId);

  await say(anna, `/refund ${payment.id}`);
  assert.match(lastText(anna), /I don't know that command/);
  assert.equal(paymentOf(orderId).status, 'completed');

  await say(TEST_ADMIN_ID, `/refund ${payment.id}`);
  assert.match(lastText(TEST_ADMIN_ID), new RegExp(`Payment #${payment.id} refunded`));
  const refundCall = app.tg.callsTo('refundStarPayment').at(-1);
  assert.equal(String(refundCall.body.telegram_payment_charge_id), chargeId);
  assert.equal(paymentOf(orderId).status, 'refunded');
  await eventually(() => expirySeconds(panelUser(app, anna)) <= paidUntil - 29 * DAY, { what: 'the days taken back' });
  const audit = auditOf('payment.refund', `payment:${payment.id}`);
  assert.equal(audit.length, 1);
  assert.equal(audit[0].actor, `admin:${TEST_ADMIN_ID}`);
  assert.equal(JSON.parse(audit[0].details).after.status, 'refunded');

  // Again: the fake says it is refunded already; nothing changes.
  await say(TEST_ADMIN_ID, `/refund ${payment.id}`);
  assert.match(lastText(TEST_ADMIN_ID), /was not refunded: the payment is refunded/);
});

test('/refund of a Razorpay payment goes through its refund API and its webhook takes the days back', async () => {
  const priya = 980_101;
  await startUser(app, priya);
  await press(priya, 'pay:monthly:razorpay');
  const row = app.db('SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? ORDER BY o.id DESC LIMIT 1', priya)[0];
  await rzp.pay(row.external_id);
  await provisioned(app, row.public_id);
  const paidUntil = expirySeconds(panelUser(app, priya));
  const payment = paymentOf(row.public_id);

  await say(TEST_ADMIN_ID, `/refund ${payment.id}`);
  assert.match(lastText(TEST_ADMIN_ID), /razorpay accepted the refund/i);
  // Asked again (before or after Razorpay's webhook): refused, no second refund request.
  await say(TEST_ADMIN_ID, `/refund ${payment.id}`);
  assert.match(lastText(TEST_ADMIN_ID), /was not refunded: (a refund was requested from razorpay already|the payment is refunded)/);
  await eventually(() => order(app, row.public_id).status === 'refunded', { what: 'refunded by the webhook' });
  await eventually(() => expirySeconds(panelUser(app, priya)) <= paidUntil - 29 * DAY, { what: 'days taken back' });
  assert.equal(auditOf('payment.refund', `payment:${payment.id}`).length, 1);
});

test("/user's buttons: +30 days reach the panel once, disable and enable change the panel user; customers change nothing", async () => {
  const ivan = 980_201;
  await startUser(app, ivan);
  const { orderId } = await buy(app, ivan, 'monthly');
  await provisioned(app, orderId);
  const paidUntil = expirySeconds(panelUser(app, ivan));

  await say(TEST_ADMIN_ID, `/user ${ivan}`);
  const card = app.tg.callsTo('sendMessage').filter((c) => c.body.chat_id === TEST_ADMIN_ID).at(-1);
  const buttons = card.body.reply_markup.inline_keyboard.flat().map((b) => b.callback_data);
  assert.deepEqual(buttons, [`adm:x7:${ivan}`, `adm:x30:${ivan}`, `adm:off:${ivan}`, `adm:dev:${ivan}`, `adm:link:${ivan}`]);

  // A customer pressing an admin button (forged callback data): nothing happens.
  await press(ivan, `adm:x30:${ivan}`);
  await press(ivan, `adm:off:${ivan}`);
  assert.equal(panelUser(app, ivan).status, 'ACTIVE');

  await press(TEST_ADMIN_ID, `adm:x30:${ivan}`);
  await eventually(() => expirySeconds(panelUser(app, ivan)) === paidUntil + 30 * DAY, { what: '+30 days on the panel' });
  await press(TEST_ADMIN_ID, `adm:off:${ivan}`);
  assert.equal(panelUser(app, ivan).status, 'DISABLED');
  await press(TEST_ADMIN_ID, `adm:on:${ivan}`);
  assert.equal(panelUser(app, ivan).status, 'ACTIVE');
  const oldLink = panelUser(app, ivan).subscriptionUrl;
  await press(TEST_ADMIN_ID, `adm:link:${ivan}`);
  const newLink = panelUser(app, ivan).subscriptionUrl;
  assert.notEqual(newLink, oldLink);
  assert.ok(app.tg.messagesTo(ivan).some((t) => t.includes(newLink)), 'Ivan gets his new link');

  const actions = app.db("SELECT action FROM audit_log WHERE subject = ? AND actor = ? ORDER BY id", `user:${ivan}`, `admin:${TEST_ADMIN_ID}`).map((r) => r.action);
  assert.deepEqual(actions, ['user.extend', 'user.disable', 'user.enable', 'user.new_link']);
  assert.equal(app.db("SELECT count(*) AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? AND o.kind = 'bonus'", ivan)[0].n, 1);
});
