// /broadcast through the real Worker, its notices queue and the Telegram fake: the admin
// composes, previews and sends; every eligible customer gets it exactly once while Telegram
// answers 429 (retry_after: resent), 403 (the customer blocked the bot: marked and skipped
// later) and a 502 midway (maybe delivered: counted failed, never resent; the rest go on after a
// pause); the admin gets the final counts; customers cannot.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnApp, TEST_ADMIN_ID } from './helpers/app.mjs';
import { callbackUpdate, textUpdate } from './helpers/updates.mjs';
import { send, startUser, eventually } from './helpers/shop.mjs';

let app;
before(async () => {
  app = await spawnApp();
  await startUser(app, TEST_ADMIN_ID);
});
after(() => app?.stop());

const say = (userId, text) => send(app, textUpdate(app.nextUpdateId(), { userId, text }));
const press = (userId, data, messageId) => send(app, callbackUpdate(app.nextUpdateId(), { userId, data, messageId }));
const FIRST = 990_000;
const N = 60;

test('every eligible customer gets the broadcast exactly once through 429, 403 and a retried batch', async () => {
  const now = Math.floor(Date.now() / 1000);
  const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
  const code = (n) => Array.from({ length: 8 }, (_, k) => ALPHABET[Math.floor((n + 7_777) / 31 ** k) % 31]).join('');
  const rows = Array.from({ length: N }, (_, i) => [FIRST + i, code(i)]);
  app.db(`INSERT INTO users (telegram_id, first_name, referral_code, created_at, updated_at)
          SELECT value ->> 0, 'Reader', value ->> 1, ?, ? FROM json_each(?)`, now, now, JSON.stringify(rows));
  // One customer blocked the bot long ago (the shop knows); two did since (only Telegram knows).
  app.db('UPDATE users SET is_blocked = 1 WHERE telegram_id = ?', FIRST + 5);
  app.tg.blockedBy.add(String(FIRST + 10));
  app.tg.blockedBy.add(String(FIRST + 40));

  // A customer cannot broadcast.
  await say(FIRST + 1, '/broadcast');
  assert.match(app.tg.messagesTo(FIRST + 1).at(-1), /I don't know that command/);

  await say(TEST_ADMIN_ID, '/broadcast');
  await say(TEST_ADMIN_ID, 'Maintenance tonight 02:00–02:30 UTC <no action needed>\nbutton: Status page | https://status.example.com');
  const shown = app.tg.callsTo('sendMessage').filter((c) => c.body.chat_id === TEST_ADMIN_ID).slice(-2);
  assert.equal(shown[0].body.text, 'Maintenance tonight 02:00–02:30 UTC &lt;no action needed&gt;');
  assert.equal(shown[0].body.reply_markup.inline_keyboard[0][0].url, 'https://status.example.com');
  const recipients = app.db('SELECT count(*) AS n FROM users WHERE is_blocked = 0')[0].n;
  assert.match(shown[1].body.text, new RegExp(`Recipients: ${recipients}\\b`));
  const go = shown[1].body.reply_markup.inline_keyboard.flat().find((b) => b.callback_data.endsWith(':go')).callback_data;
  const controlId = shown[1].result.message_id;

  // Telegram: the first send throttled; a 502 later on (a batch retried midway).
  app.tg.failNext(1, { method: 'sendMessage', error_code: 429, retry_after: 1 });
  const sendsFrom = app.tg.calls.length; // the preview the admin saw is not a delivery
  await press(TEST_ADMIN_ID, go, controlId);
  app.tg.failNext(1, { method: 'sendMessage', error_code: 502, description: 'Bad Gateway' });
  const id = Number(go.split(':')[1]);
  await eventually(() => app.db('SELECT status FROM broadcasts WHERE id = ?', id)[0].status === 'done', { what: 'the broadcast done', timeoutMs: 90_000 });

  const broadcastSends = () => app.tg.calls.slice(sendsFrom)
    .filter((c) => c.method === 'sendMessage' && String(c.body.text).startsWith('Maintenance tonight'));
  const attempts = broadcastSends();
  const delivered = attempts.filter((c) => c.ok).map((c) => String(c.body.chat_id));
  assert.equal(new Set(delivered).size, delivered.length, 'nobody got it twice');
  // Everyone not blocked in D1 (the admin included), less the two Telegram refused with 403 and
  // the one the 502 hit (Telegram may have delivered it: never sent again, counted failed).
  assert.equal(delivered.length, recipients - 3);
  assert.ok(!delivered.includes(String(FIRST + 5)), 'blocked customers are skipped');
  assert.deepEqual(app.db('SELECT status, count(*) AS n FROM broadcast_recipients WHERE broadcast_id = ? GROUP BY status ORDER BY status', id),
    [{ status: 'blocked', n: 2 }, { status: 'failed', n: 1 }, { status: 'sent', n: recipients - 3 }]);
  assert.equal(app.db('SELECT is_blocked FROM users WHERE telegram_id = ?', FIRST + 10)[0].is_blocked, 1, 'a 403 marks the customer blocked');
  assert.ok(attempts.some((c) => c.status === 429) && attempts.some((c) => c.status === 502), 'the failures happened');
  await eventually(() => app.tg.messagesTo(TEST_ADMIN_ID).some((t) => t.startsWith(`✅ Broadcast #${id} done`) && t.includes(`${recipients - 3} sent, 2 blocked, 1 failed`)), { what: 'the final report' });
  const audit = app.db("SELECT action FROM audit_log WHERE subject = ? ORDER BY id", `broadcast:${id}`).map((r) => r.action);
  assert.deepEqual(audit, ['broadcast.drafted', 'broadcast.sent']);

  // Pressing send again changes nothing.
  const before = attempts.length;
  await press(TEST_ADMIN_ID, go, controlId);
  assert.match(app.tg.calls.filter((c) => c.body.chat_id === TEST_ADMIN_ID).at(-1).body.text, /is done already/);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(broadcastSends().length, before);
});
