// Promo codes through the real Worker (D1, the queue, the panel fake): an admin creates codes,
// customers redeem them; a days code reaches the panel through the provisioning queue; a percent
// code prices the next invoice and the Razorpay link, pre-checkout accepts exactly that price
// and refuses the full one, and a webhook at the full price is refused too; many customers
// racing for the last use leave exactly one redemption.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnApp, TEST_ADMIN_ID } from './helpers/app.mjs';
import { callbackUpdate, textUpdate } from './helpers/updates.mjs';
import { send, startUser, buy, provisioned, panelUser, expirySeconds, eventually, order, requestInvoice, preCheckout, pay, DAY } from './helpers/shop.mjs';

let app;
let rzp;
before(async () => {
  app = await spawnApp({ providers: true });
  rzp = app.providers.razorpay;
  await startUser(app, TEST_ADMIN_ID);
});
after(() => app?.stop());

const say = (userId, text) => send(app, textUpdate(app.nextUpdateId(), { userId, text }));
const lastText = (chatId) => app.tg.messagesTo(chatId).at(-1);
const promo = (code) => app.db('SELECT * FROM promo_codes WHERE code = ?', code)[0];

async function adminCreates(args) {
  await say(TEST_ADMIN_ID, `/promo_new ${args}`);
  assert.match(lastText(TEST_ADMIN_ID), /^✅ /, lastText(TEST_ADMIN_ID));
}

test('a days code adds its days on the panel once; customers cannot create codes', async () => {
  const anna = 970_001;
  await startUser(app, anna);
  const { orderId } = await buy(app, anna, 'monthly');
  await provisioned(app, orderId);
  const paidUntil = expirySeconds(panelUser(app, anna));

  await say(anna, '/promo_new MINE days 365');
  assert.match(lastText(anna), /I don't know that command/);
  assert.equal(promo('MINE'), undefined);

  await adminCreates('WEEK7 days 7 100');
  await say(anna, '/promo week7');
  assert.match(lastText(anna), /WEEK7.*accepted: \+7 days/s);
  await say(anna, '/promo WEEK7');
  assert.match(lastText(anna), /already used/);
  await eventually(() => expirySeconds(panelUser(app, anna)) === paidUntil + 7 * DAY, { what: 'Anna +7 days on the panel' });
  assert.equal(promo('WEEK7').used_count, 1);
  const audit = app.db("SELECT actor, action FROM audit_log WHERE subject = 'promo:WEEK7' ORDER BY id");
  assert.deepEqual(audit.map((a) => a.action), ['promo.created', 'promo.redeemed']);
  assert.equal(audit[0].actor, `admin:${TEST_ADMIN_ID}`);
});

test('a percent code prices the invoice; pre-checkout takes exactly that price and the full price is refused', async () => {
  const ivan = 970_101;
  await startUser(app, ivan);
  await adminCreates('SPRING25 percent 25');
  await say(ivan, '/promo SPRING25');
  assert.match(lastText(ivan), /25% off your next purchase/);

  const invoice = await requestInvoice(app, ivan, 'monthly');
  assert.equal(invoice.amount, 75, 'the Stars invoice is 25% off ⭐100');
  assert.equal((await preCheckout(app, ivan, invoice, { amount: 100 })).ok, false, 'the full price is not this order');
  assert.equal((await preCheckout(app, ivan, invoice)).ok, true);
  await pay(app, ivan, invoice);
  const orderId = invoice.payload.replace(/^order:/, '');
  await provisioned(app, orderId);
  // Spent: the next invoice is at the full price.
  assert.equal((await requestInvoice(app, ivan, 'monthly')).amount, 100);
});

test('a percent code prices the Razorpay link, and a webhook at the full price does not pay it', async () => {
  const priya = 970_201;
  await startUser(app, priya);
  await adminCreates('UPI10 percent 10');
  await say(priya, '/promo UPI10');

  await send(app, callbackUpdate(app.nextUpdateId(), { userId: priya, data: 'pay:monthly:razorpay' }));
  const row = app.db('SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? ORDER BY o.id DESC LIMIT 1', priya)[0];
  assert.equal(row.amount_minor, 15210, '₹169 less 10%');
  const link = rzp.links.get(row.external_id);
  assert.equal(link.amount, 15210, 'the link asks for the discounted price');

  const full = await rzp.sendEvent('payment_link.paid', {
    payment_link: { entity: { ...link, status: 'paid' } },
    payment: { entity: { id: 'pay_fullprice1', amount: 16900, currency: 'INR', status: 'captured', notes: { order: row.public_id } } },
  });
  assert.equal(JSON.parse(full.body).outcome, 'unmatched');
  assert.equal(order(app, row.public_id).status, 'failed');
  await eventually(() => app.tg.messagesTo(TEST_ADMIN_ID).some((t) => t.includes('pay_fullprice1')), { what: 'admins told' });

  // A new checkout at the discounted price, paid as the link asks: provisioned.
  await send(app, callbackUpdate(app.nextUpdateId(), { userId: priya, data: 'pay:monthly:razorpay' }));
  const again = app.db('SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? ORDER BY o.id DESC LIMIT 1', priya)[0];
  assert.equal(again.amount_minor, 15210);
  await rzp.pay(again.external_id);
  await provisioned(app, again.public_id);
});

test('twenty customers racing for the last three uses: exactly three redemptions', async () => {
  await adminCreates('LAST3 days 3 3');
  const racers = Array.from({ length: 20 }, (_, i) => 970_300 + i);
  for (const id of racers) await startUser(app, id);
  await Promise.all(racers.map((id) => say(id, '/promo LAST3')));

  const redemptions = app.db("SELECT r.user_id FROM promo_redemptions r JOIN promo_codes c ON c.id = r.promo_id WHERE c.code = 'LAST3'");
  assert.equal(redemptions.length, 3);
  assert.equal(promo('LAST3').used_count, 3);
  const answers = racers.map((id) => app.tg.messagesTo(id).filter((t) => t.includes('LAST3')));
  assert.equal(answers.filter((a) => a.length === 1 && /accepted: \+3 days/.test(a[0])).length, 3, answers.join('\n'));
  assert.equal(answers.filter((a) => a.length === 1 && /used up/.test(a[0])).length, 17);
  // The winners have no subscription yet: their days wait, and they are told so (as promo days).
  await eventually(() => racers.filter((id) => app.tg.messagesTo(id).some((t) => /days of your promo code are kept/.test(t))).length === 3, { what: 'winners told their days wait' });
  const bonusOrders = app.db("SELECT count(*) AS n FROM orders WHERE kind = 'bonus' AND json_extract(metadata, '$.promo') = 'LAST3'")[0].n;
  assert.equal(bonusOrders, 3);
});
