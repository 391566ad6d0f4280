// Customer journeys through the real webhook: start, choose, get an invoice, pay.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { textUpdate, callbackUpdate, preCheckoutUpdate, paymentUpdate } from './updates.mjs';

export const DAY = 86_400;

let chargeCounter = 0;
export const newChargeId = () => `stxTEST${Date.now().toString(36)}${(++chargeCounter).toString(36)}`;

/** Sends an update and insists on 200. */
export async function send(app, update) {
  const res = await app.sendUpdate(update);
  assert.equal(res.status, 200, `update ${JSON.stringify(update).slice(0, 200)} → ${res.status} ${res.body}`);
  return res;
}

export async function startUser(app, userId, opts = {}) {
  await send(app, textUpdate(app.nextUpdateId(), { userId, text: '/start', ...opts }));
}

/** Presses `pay:<slug>:<method>` and returns the invoice Telegram was asked to send. */
export async function requestInvoice(app, userId, slug = 'monthly', method = 'stars') {
  const before = app.tg.calls.length;
  await send(app, callbackUpdate(app.nextUpdateId(), { userId, data: `pay:${slug}:${method}` }));
  const name = method === 'starsub' ? 'createInvoiceLink' : 'sendInvoice';
  const call = app.tg.calls
    .slice(before)
    .find((c) => c.method === name && (name === 'createInvoiceLink' || String(c.body.chat_id) === String(userId)));
  assert.ok(call, `no ${name} after pay:${slug}:${method}`);
  return { payload: call.body.payload, amount: call.body.prices[0].amount, currency: call.body.currency, call };
}

/** Runs a pre-checkout and returns Telegram's answer call. */
export async function preCheckout(app, userId, invoice, overrides = {}) {
  const update = preCheckoutUpdate(app.nextUpdateId(), { userId, payload: invoice.payload, amount: invoice.amount, ...overrides });
  await send(app, update);
  const answer = app.tg.callsTo('answerPreCheckoutQuery').find((c) => c.body.pre_checkout_query_id === update.pre_checkout_query.id);
  assert.ok(answer, 'pre-checkout was not answered');
  return answer.body;
}

/** Pays an invoice (after an approved pre-checkout); returns the charge id. */
export async function pay(app, userId, invoice, opts = {}) {
  const chargeId = opts.chargeId ?? newChargeId();
  await send(app, paymentUpdate(app.nextUpdateId(), { userId, payload: invoice.payload, amount: invoice.amount, chargeId, ...opts }));
  return chargeId;
}

/** A full purchase: invoice, approved pre-checkout, payment. */
export async function buy(app, userId, slug = 'monthly') {
  const invoice = await requestInvoice(app, userId, slug);
  const answer = await preCheckout(app, userId, invoice);
  assert.equal(answer.ok, true, JSON.stringify(answer));
  const chargeId = await pay(app, userId, invoice);
  return { invoice, chargeId, orderId: invoice.payload.replace(/^order:/, '') };
}

/** Polls until `check()` returns a truthy value. */
export async function eventually(check, { timeoutMs = 30_000, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await sleep(150);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export const order = (app, publicId) => app.db('SELECT * FROM orders WHERE public_id = ?', publicId)[0];

/** Waits until the order is provisioned and the customer was told. */
export async function provisioned(app, publicId, timeoutMs = 30_000) {
  return eventually(() => {
    const row = order(app, publicId);
    return row && row.status === 'provisioned' && row.notified_at ? row : null;
  }, { timeoutMs, what: `order ${publicId} provisioned` });
}

/** The panel user Wavegate made for a Telegram user. */
export const panelUser = (app, telegramId) => [...app.panel.users.values()].find((u) => u.username === `tg_${telegramId}`);

export const expirySeconds = (user) => Math.floor(new Date(user.expireAt).getTime() / 1000);
