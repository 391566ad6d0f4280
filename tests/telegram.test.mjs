// The Telegram webhook through the real Worker (wrangler dev, local D1/KV/Queues), with the
// Telegram Bot API and the Remnawave panel faked on loopback.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnApp } from './helpers/app.mjs';
import { textUpdate, callbackUpdate, callbackData } from './helpers/updates.mjs';
import { eventually } from './helpers/shop.mjs';

let app;
before(async () => {
  app = await spawnApp();
});
after(async () => {
  await app?.stop();
});

let nextUserId = 5_000_000;
const newUserId = () => ++nextUserId;

const start = (userId, opts = {}) =>
  app.sendUpdate(textUpdate(app.nextUpdateId(), { userId, text: '/start', ...opts }));

const userRow = (telegramId) => app.db('SELECT * FROM users WHERE telegram_id = ?', telegramId)[0];
const count = (table) => app.db(`SELECT COUNT(*) AS n FROM ${table}`)[0].n;

describe('authentication', () => {
  for (const [name, secret] of [['no', null], ['a wrong', 'not-the-secret'], ['an almost right', 'test-webhook-secreT']]) {
    test(`an update with ${name} secret header is refused with 401 and changes nothing`, async () => {
      const userId = newUserId();
      const users = count('users');
      const events = count('processed_events');
      const res = await app.sendUpdate(textUpdate(app.nextUpdateId(), { userId, text: '/start' }), { secret });
      assert.equal(res.status, 401);
      assert.deepEqual(app.tg.messagesTo(userId), []);
      assert.equal(count('users'), users);
      assert.equal(count('processed_events'), events);
    });
  }
});

describe('/start', () => {
  const greetings = [
    ['ru', 'Привет'],
    ['hi', 'नमस्ते'],
    ['id', 'Halo'],
    ['en', 'Hi,'],
    ['pt-br', 'Hi,'],
  ];
  for (const [languageCode, greeting] of greetings) {
    test(`answers a new ${languageCode} user with the localized welcome and the main menu`, async () => {
      const userId = newUserId();
      const res = await start(userId, { languageCode, firstName: 'Ana' });
      assert.equal(res.status, 200);
      const sent = app.tg.callsTo('sendMessage').filter((c) => c.body.chat_id === userId);
      assert.equal(sent.length, 1);
      assert.ok(sent[0].body.text.startsWith(`${greeting}`), sent[0].body.text);
      assert.match(sent[0].body.text, /Ana/);
      assert.deepEqual(callbackData(sent[0].body.reply_markup), ['menu:buy', 'menu:trial', 'menu:status', 'menu:invite', 'menu:lang', 'menu:help']);
      const row = userRow(userId);
      assert.equal(row.language_code, languageCode);
      assert.match(row.referral_code, /^[a-z2-9]{8}$/);
    });
  }

  test('a returning user is welcomed back and their profile is refreshed', async () => {
    const userId = newUserId();
    await start(userId, { username: 'old_name' });
    await start(userId, { username: 'new_name', languageCode: 'ru' });
    const texts = app.tg.messagesTo(userId);
    assert.equal(texts.length, 2);
    assert.match(texts[1], /^С возвращением/);
    const row = userRow(userId);
    assert.equal(row.username, 'new_name');
    assert.equal(count(`users WHERE telegram_id = ${userId}`), 1);
  });

  test('user-controlled names are escaped for Telegram HTML', async () => {
    const userId = newUserId();
    await start(userId, { firstName: '<b>Bob</b> & co' });
    assert.match(app.tg.messagesTo(userId)[0], /&lt;b&gt;Bob&lt;\/b&gt; &amp; co/);
  });
});

describe('referral deep links', () => {
  test('a referral link records the referrer once and never overwrites it', async () => {
    const [referrer, other, friend] = [newUserId(), newUserId(), newUserId()];
    await start(referrer);
    await start(other);
    const code = userRow(referrer).referral_code;
    const otherCode = userRow(other).referral_code;

    await start(friend, { text: `/start ref_${code}` });
    assert.equal(userRow(friend).referred_by, userRow(referrer).id);
    await start(friend, { text: `/start ref_${otherCode}` });
    assert.equal(userRow(friend).referred_by, userRow(referrer).id);

    const audit = app.db("SELECT * FROM audit_log WHERE action = 'referral.recorded' AND subject = ?", `user:${userRow(friend).id}`);
    assert.equal(audit.length, 1);
    assert.equal(app.tg.messagesTo(friend).length, 2, 'the friend is welcomed both times');
  });

  test('nobody can refer themselves, and unknown codes are ignored', async () => {
    const userId = newUserId();
    await start(userId);
    const own = userRow(userId).referral_code;
    await start(userId, { text: `/start ref_${own}` });
    await start(userId, { text: '/start ref_zzzzzzzz' });
    await start(userId, { text: '/start ref_<script>' });
    assert.equal(userRow(userId).referred_by, null);
    assert.equal(app.tg.messagesTo(userId).length, 4);
  });

  test('a referral cycle is refused', async () => {
    const [a, b] = [newUserId(), newUserId()];
    await start(a);
    await start(b, { text: `/start ref_${userRow(a).referral_code}` });
    await start(a, { text: `/start ref_${userRow(b).referral_code}` });
    assert.equal(userRow(b).referred_by, userRow(a).id);
    assert.equal(userRow(a).referred_by, null);
  });

  test('the invite screen shows the deep link and the count of invited friends', async () => {
    const [referrer, friend] = [newUserId(), newUserId()];
    await start(referrer);
    const code = userRow(referrer).referral_code;
    await start(friend, { text: `/start ref_${code}` });
    await app.sendUpdate(textUpdate(app.nextUpdateId(), { userId: referrer, text: '/invite' }));
    const text = app.tg.messagesTo(referrer).at(-1);
    assert.ok(text.includes(`https://t.me/WavegateTestBot?start=ref_${code}`), text);
    assert.match(text, /invited so far: 1/);
  });
});

describe('menus', () => {
  test('the language button switches the stored locale and later replies follow it', async () => {
    const userId = newUserId();
    await start(userId, { languageCode: 'en' });
    await app.sendUpdate(callbackUpdate(app.nextUpdateId(), { userId, data: 'menu:lang' }));
    const picker = app.tg.callsTo('editMessageText').filter((c) => c.body.chat_id === userId).at(-1);
    assert.deepEqual(callbackData(picker.body.reply_markup), ['lang:en', 'lang:ru', 'lang:hi', 'lang:id']);

    await app.sendUpdate(callbackUpdate(app.nextUpdateId(), { userId, data: 'lang:hi' }));
    assert.equal(userRow(userId).locale, 'hi');
    await app.sendUpdate(textUpdate(app.nextUpdateId(), { userId, text: '/help', languageCode: 'en' }));
    assert.match(app.tg.messagesTo(userId).at(-1), /Wavegate कैसे काम करता है/);
    const answered = app.tg.callsTo('answerCallbackQuery').length;
    assert.ok(answered >= 2, 'every button press is answered');
  });

  test('every main-menu button and a stale button answer without errors', async () => {
    const userId = newUserId();
    await start(userId);
    const firstCall = app.tg.calls.length;
    for (const [i, data] of ['menu:buy', 'menu:status', 'no:such:button'].entries()) {
      const res = await app.sendUpdate(callbackUpdate(app.nextUpdateId(), { userId, data, messageId: 100 + i }));
      assert.equal(res.status, 200);
    }
    const calls = app.tg.calls.slice(firstCall);
    assert.deepEqual(calls.filter((c) => !c.ok), [], 'no Bot API call was rejected');
    assert.equal(calls.filter((c) => c.method === 'answerCallbackQuery').length, 3);
    assert.equal(calls.filter((c) => c.method === 'editMessageText').length, 2);
  });
});

describe('promo codes', () => {
  test('/promo waits for the code in a stored dialog; a typo keeps waiting, the code ends it', async () => {
    const userId = newUserId();
    await start(userId, { languageCode: 'en' });
    const say = (text) => app.sendUpdate(textUpdate(app.nextUpdateId(), { userId, text, languageCode: 'en' }));
    await say('/promo');
    assert.match(app.tg.messagesTo(userId).at(-1), /Send me your promo code/);
    assert.equal(userRow(userId).dialog, 'promo_code');
    assert.ok(userRow(userId).dialog_expires_at > Date.now() / 1000 + 500, 'waits about ten minutes');
    await say('spring 25!');
    assert.match(app.tg.messagesTo(userId).at(-1), /does not look like a promo code/);
    await say('SPRING25');
    assert.match(app.tg.messagesTo(userId).at(-1), /There is no promo code <b>SPRING25<\/b>/);
    assert.equal(userRow(userId).dialog, null);
    await say('SPRING25');
    assert.doesNotMatch(app.tg.messagesTo(userId).at(-1), /promo code/, 'answered: now it is just text');
  });
});

describe('delivery semantics', () => {
  test('a replayed update is processed once', async () => {
    const userId = newUserId();
    const update = textUpdate(app.nextUpdateId(), { userId, text: '/start' });
    const first = await app.sendUpdate(update);
    const replay = await app.sendUpdate(update);
    assert.equal(first.status, 200);
    assert.equal(replay.status, 200);
    assert.equal(replay.json.outcome, 'duplicate');
    assert.equal(app.tg.messagesTo(userId).length, 1);
  });

  test('when Telegram is briefly down the update is refused with 5xx and processed on redelivery', async () => {
    // /help answers with its own sendMessage (the /start welcome rides on the webhook response).
    const userId = newUserId();
    const update = textUpdate(app.nextUpdateId(), { userId, text: '/help' });
    app.tg.failNext(1, { error_code: 502, description: 'Bad Gateway', method: 'sendMessage' });
    const failed = await app.sendUpdate(update);
    assert.equal(failed.status, 503);
    // Its log line names the request, the route and the outcome, and keeps the token out.
    const line = await eventually(() => app.logs().split('\n').map((l) => l.slice(l.indexOf('{'))).map((l) => {
      try { return JSON.parse(l); } catch { return null; }
    }).find((l) => l?.event === 'request.failed' && /Bad Gateway/.test(JSON.stringify(l))), { what: 'the request.failed line' });
    assert.match(line.request_id, /^[0-9a-f]{8,}$/);
    assert.deepEqual([line.route, line.outcome, line.status], ['/telegram/webhook', 'failed', 503]);
    assert.ok(!JSON.stringify(line).includes(app.tg.token), 'no bot token in the log line');
    const redelivered = await app.sendUpdate(update);
    assert.equal(redelivered.status, 200);
    assert.equal(app.tg.messagesTo(userId).length, 1);
  });

  test('a user who blocked the bot is remembered instead of retried', async () => {
    const userId = newUserId();
    await start(userId);
    app.tg.failNext(1, { error_code: 403, description: 'Forbidden: bot was blocked by the user', method: 'sendMessage' });
    const res = await app.sendUpdate(textUpdate(app.nextUpdateId(), { userId, text: '/help' }));
    assert.equal(res.status, 200);
    assert.equal(userRow(userId).is_blocked, 1);
  });
});

describe('bad input', () => {
  const bodies = [
    ['not JSON', 'garbage{'],
    ['JSON that is not an update', '{"hello":"world"}'],
    ['an update with a wrong type', '{"update_id":"x","message":5}'],
    ['an empty body', ''],
  ];
  for (const [name, body] of bodies) {
    test(`${name} is acknowledged with 200 and changes nothing`, async () => {
      const users = count('users');
      const events = count('processed_events');
      const calls = app.tg.calls.length;
      const res = await app.fetch('/telegram/webhook', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 'test-webhook-secret' },
        body,
      });
      assert.equal(res.status, 200);
      assert.equal(count('users'), users);
      assert.equal(count('processed_events'), events);
      assert.equal(app.tg.calls.length, calls);
    });
  }

  test('a payment update that cannot be read is recorded and the admins are told, never dropped', async () => {
    const chargeId = `stxUnreadable${Date.now()}`;
    // total_amount as a string: Telegram's shape is broken, the money is real.
    const body = JSON.stringify({
      update_id: app.nextUpdateId(),
      message: {
        message_id: 1, date: 1, chat: { id: 6100001, type: 'private' }, from: { id: 6100001, is_bot: false, first_name: 'X' },
        successful_payment: { currency: 'XTR', total_amount: 'a lot', invoice_payload: 'order:x', telegram_payment_charge_id: chargeId },
      },
    });
    const res = await app.fetch('/telegram/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 'test-webhook-secret' },
      body,
    });
    assert.equal(res.status, 200);
    const audit = app.db("SELECT * FROM audit_log WHERE action = 'payment.unreadable' AND details LIKE ?", `%${chargeId}%`);
    assert.equal(audit.length, 1);
    const deadline = Date.now() + 15000;
    while (!app.tg.messagesTo(900001).some((t) => t.includes(chargeId)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(app.tg.messagesTo(900001).some((t) => t.includes(chargeId)), 'an admin alert names the charge');
    assert.equal(app.db('SELECT COUNT(*) AS n FROM payments WHERE external_id = ?', chargeId)[0].n, 0);
  });

  test('an oversized body is refused with 413', async () => {
    const users = count('users');
    const update = textUpdate(app.nextUpdateId(), { userId: newUserId(), text: `/start ${'x'.repeat(70_000)}` });
    const res = await app.sendUpdate(update);
    assert.equal(res.status, 413);
    assert.equal(count('users'), users);
  });

  test('wrong methods and unknown routes get 405 and 404, never 5xx', async () => {
    assert.equal((await app.fetch('/telegram/webhook')).status, 405);
    assert.equal((await app.fetch('/no/such/route')).status, 404);
    assert.equal((await app.fetch('/healthz', { method: 'DELETE' })).status, 405);
  });
});

describe('/healthz', () => {
  test('reports ok, the version and that D1 answers, with no secrets', async () => {
    const res = await app.fetch('/healthz');
    const body = await res.json();
    assert.equal(res.status, 200);
    assert.equal(body.ok, true);
    assert.match(body.version, /^\d+\.\d+\.\d+$/);
    assert.equal(body.checks.d1, true);
    assert.ok(!JSON.stringify(body).includes(app.vars.TELEGRAM_BOT_TOKEN));
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });

  test('the static landing page is served for /', async () => {
    const res = await app.fetch('/');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /Wavegate/);
  });
});
