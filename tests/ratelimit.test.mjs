// Rate limits through the real runtime's rate-limiting bindings (wrangler.toml): the bot per
// Telegram user (BOT_RATE_LIMITER, 60 a minute: then one polite "slow down", and nothing else
// runs — no D1 claim, no panel call); the public plans per client address
// (PUBLIC_RATE_LIMITER, 120 a minute); never on money (payments, pre-checkout) and never on
// provider webhooks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnApp } from './helpers/app.mjs';
import { callbackUpdate, preCheckoutUpdate, textUpdate } from './helpers/updates.mjs';
import { newChargeId, pay, requestInvoice, send, startUser } from './helpers/shop.mjs';

let app;
before(async () => {
  app = await spawnApp({ providers: true });
});
after(() => app?.stop());

const SLOW_DOWN = /going a little fast/;

test('a user who floods the bot gets one "slow down" and costs no D1 claim and no panel call; others and money are not limited', { timeout: 180_000 }, async () => {
  // The runtime's windows are aligned to the wall clock's minutes: start early in one, so the
  // flood and what follows fall in the same window.
  const into = Date.now() % 60_000;
  if (into > 15_000) await new Promise((r) => setTimeout(r, 60_000 - into + 300));
  const flooder = 8_500_001;
  // A subscriber: /status asks the panel, so a flood would cost panel calls if it got through.
  await startUser(app, flooder);
  const invoice = await requestInvoice(app, flooder);
  await pay(app, flooder, invoice);
  // An invoice asked for before the flood, paid during it.
  const later = await requestInvoice(app, flooder, 'quarterly');
  const claims = () => app.db("SELECT count(*) AS n FROM processed_events WHERE provider = 'telegram'")[0].n;

  let replied = 0;
  let limitedAt = null;
  for (let i = 0; i < 75 && limitedAt === null; i++) {
    const before = app.tg.messagesTo(flooder).length;
    const res = await app.sendUpdate(textUpdate(app.nextUpdateId(), { userId: flooder, text: '/help' }));
    assert.equal(res.status, 200);
    const last = app.tg.messagesTo(flooder).slice(before);
    if (last.some((t) => SLOW_DOWN.test(t))) limitedAt = i;
    else replied++;
  }
  assert.ok(limitedAt !== null, 'the flood was limited');
  assert.ok(replied >= 55 && replied <= 60, `${replied} updates answered before the limit`);

  // Over the limit: more messages, /status included, get nothing more and cost nothing.
  const claimsBefore = claims();
  const panelBefore = app.panel.calls.length;
  const messagesBefore = app.tg.messagesTo(flooder).length;
  for (let i = 0; i < 20; i++) {
    const res = await app.sendUpdate(textUpdate(app.nextUpdateId(), { userId: flooder, text: i % 2 ? '/status' : '/help' }));
    assert.equal(res.status, 200, 'Telegram is answered 200: no redelivery storm');
  }
  assert.equal(app.tg.messagesTo(flooder).length, messagesBefore, 'one "slow down" a minute, not one per message');
  assert.equal(claims(), claimsBefore, 'no D1 claim for limited updates');
  assert.equal(app.panel.calls.length, panelBefore, 'no panel call');

  // A button press over the limit is answered (its spinner stops) with the notice.
  const press = callbackUpdate(app.nextUpdateId(), { userId: flooder, data: 'menu:status' });
  const answer = await app.sendUpdate(press);
  assert.equal(answer.status, 200);
  assert.equal(answer.json.method, 'answerCallbackQuery');
  assert.match(answer.json.text, SLOW_DOWN);

  // Money is never limited: a pre-checkout is answered ok and a payment recorded.
  const more = await requestInvoice(app, flooder).catch(() => null);
  assert.equal(more, null, 'pressing pay is limited like any button');
  const preUpdate = preCheckoutUpdate(app.nextUpdateId(), { userId: flooder, payload: later.payload, amount: later.amount });
  await send(app, preUpdate);
  const pre = app.tg.callsTo('answerPreCheckoutQuery').find((c) => c.body.pre_checkout_query_id === preUpdate.pre_checkout_query.id);
  assert.equal(pre?.body.ok, true, 'the pre-checkout query was answered ok');
  const charge = newChargeId();
  await pay(app, flooder, later, { chargeId: charge });
  assert.equal(app.db('SELECT count(*) AS n FROM payments WHERE idempotency_key = ?', `stars:${charge}`)[0].n, 1, 'the payment is recorded');

  // Another user is not affected.
  const other = 8_500_002;
  await startUser(app, other);
  assert.doesNotMatch(app.tg.messagesTo(other).at(-1), SLOW_DOWN);

  // A Russian speaker is told in Russian.
  const ru = 8_500_003;
  for (let i = 0; i < 62; i++) await app.sendUpdate(textUpdate(app.nextUpdateId(), { userId: ru, text: '/help', languageCode: 'ru' }));
  assert.ok(app.tg.messagesTo(ru).some((t) => /Слишком быстро/.test(t)));
});

test('GET /api/plans: 120 a minute per client address, then 429; other addresses and provider webhooks are not limited', { timeout: 120_000 }, async () => {
  const ip = '198.51.100.77';
  const statuses = [];
  for (let i = 0; i < 125; i++) {
    statuses.push((await app.fetch('/api/plans', { headers: { 'CF-Connecting-IP': ip } })).status);
  }
  assert.ok(statuses.slice(0, 115).every((s) => s === 200), statuses.join(','));
  assert.equal(statuses.at(-1), 429);
  const other = await app.fetch('/api/plans', { headers: { 'CF-Connecting-IP': '198.51.100.78' } });
  assert.equal(other.status, 200);
  const body = await (await app.fetch('/api/plans', { headers: { 'CF-Connecting-IP': ip } })).json();
  assert.deepEqual(body, { ok: false, error: 'too many attempts' });
  // A provider's many webhooks from that same address are never throttled.
  for (let i = 0; i < 130; i++) {
    const res = await app.fetch('/webhooks/razorpay', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'CF-Connecting-IP': ip, 'X-Razorpay-Signature': '0'.repeat(64) },
      body: '{}',
    });
    assert.equal(res.status, 401, 'authenticated or refused on its signature, never 429');
  }
});
