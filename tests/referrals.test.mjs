// Referral rewards and standing through the real Worker: a friend who follows the invite link
// and pays gives the inviter 7 days on the panel (once, also when Telegram repeats the update),
// /mypoints and the leaderboard show it, and a refund of that payment takes the days back.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnApp, TEST_ADMIN_ID } from './helpers/app.mjs';
import { buy, provisioned, panelUser, eventually, send, expirySeconds, DAY, requestInvoice, preCheckout } from './helpers/shop.mjs';
import { textUpdate, callbackUpdate, paymentUpdate, refundUpdate } from './helpers/updates.mjs';

let app;
before(async () => {
  app = await spawnApp();
});
after(() => app?.stop());

const code = (telegramId) => app.db('SELECT referral_code FROM users WHERE telegram_id = ?', telegramId)[0].referral_code;
const bonusOrders = (telegramId) => app.db(
  "SELECT o.public_id, o.days, o.status FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? AND o.kind = 'bonus' ORDER BY o.id",
  telegramId,
);
const texts = (chatId) => app.tg.callsTo('sendMessage').filter((c) => c.body.chat_id === chatId).map((c) => c.body.text);

test('a referred friend\'s first payment gives the inviter 7 days on the panel once; a refund takes them back', async () => {
  const [anna, ivan] = [950_001, 950_002];
  await send(app, textUpdate(app.nextUpdateId(), { userId: anna, text: '/start', username: 'anna_vpn' }));
  const { orderId } = await buy(app, anna, 'monthly');
  await provisioned(app, orderId);
  const before = expirySeconds(panelUser(app, anna));

  await send(app, textUpdate(app.nextUpdateId(), { userId: ivan, text: `/start ref_${code(anna)}` }));
  const invoice = await requestInvoice(app, ivan, 'monthly');
  assert.equal((await preCheckout(app, ivan, invoice)).ok, true);
  const chargeId = 'stxREFERRED1';
  const payment = paymentUpdate(app.nextUpdateId(), { userId: ivan, payload: invoice.payload, amount: invoice.amount, chargeId });
  await send(app, payment);
  await send(app, { ...payment, update_id: app.nextUpdateId() }); // Telegram repeats it

  await eventually(() => bonusOrders(anna)[0]?.status === 'provisioned', { what: 'the bonus provisioned' });
  await eventually(() => expirySeconds(panelUser(app, anna)) === before + 7 * DAY, { what: 'Anna +7 days' });
  await eventually(() => texts(anna).some((t) => t.includes('+7 days for inviting friends')), { what: 'Anna told' });
  assert.equal(bonusOrders(anna).length, 1, 'one reward for one first payment');

  await send(app, textUpdate(app.nextUpdateId(), { userId: anna, text: '/mypoints' }));
  const points = texts(anna).at(-1);
  assert.match(points, /Friends invited: 1/);
  assert.match(points, /Friends who paid: 1/);
  assert.match(points, /Days earned: 7/);
  await send(app, callbackUpdate(app.nextUpdateId(), { userId: ivan, data: 'top:week' }));
  const board = app.tg.calls.filter((c) => c.body.chat_id === ivan && c.method === 'editMessageText').at(-1).body.text;
  assert.match(board, /1\. @anna_vpn — 1/);
  assert.doesNotMatch(board, new RegExp(String(anna)), 'never an id');

  // Ivan's payment is refunded: Anna's 7 days are taken back.
  await send(app, refundUpdate(app.nextUpdateId(), { userId: ivan, payload: invoice.payload, amount: invoice.amount, chargeId }));
  await eventually(() => bonusOrders(anna)[0]?.status === 'refunded', { what: 'the bonus refunded' });
  await eventually(() => expirySeconds(panelUser(app, anna)) === before, { what: 'Anna back to her own days' });
});

test('/stats and /user answer the admins, and anyone else as an unknown command', async () => {
  const customer = 950_101;
  await send(app, textUpdate(app.nextUpdateId(), { userId: customer, text: '/start' }));
  await send(app, textUpdate(app.nextUpdateId(), { userId: TEST_ADMIN_ID, text: '/start' }));
  await send(app, textUpdate(app.nextUpdateId(), { userId: TEST_ADMIN_ID, text: '/stats' }));
  const stats = texts(TEST_ADMIN_ID).at(-1);
  const users = app.db('SELECT count(*) AS n FROM users')[0].n;
  assert.match(stats, new RegExp(`Users: ${users} \\(today \\d+, 7 days \\d+\\)`));
  assert.match(stats, /Revenue, 30 days: ⭐\d+/);
  assert.match(stats, /Paying users who came by referral: \d+% \(\d+ of \d+\)/);
  await send(app, textUpdate(app.nextUpdateId(), { userId: customer, text: '/stats' }));
  assert.match(texts(customer).at(-1), /I don't know that command/);
  // /user: one customer's card for the admins, nothing for anyone else.
  await send(app, textUpdate(app.nextUpdateId(), { userId: TEST_ADMIN_ID, text: `/user ${customer}` }));
  assert.match(texts(TEST_ADMIN_ID).at(-1), new RegExp(`Telegram id ${customer}`));
  assert.match(texts(TEST_ADMIN_ID).at(-1), /Subscription: none \(no panel user\)/);
  await send(app, textUpdate(app.nextUpdateId(), { userId: customer, text: `/user ${TEST_ADMIN_ID}` }));
  assert.match(texts(customer).at(-1), /I don't know that command/);
});
