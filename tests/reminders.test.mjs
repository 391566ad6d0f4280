// Reminders before expiry and the expiry notice through the real Worker: the hourly cron via
// the scheduled trigger, the panel's user.expiration / user.expired webhooks, and the claim
// they share (once per subscription period, whoever is first; a renewal re-arms them).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnApp } from './helpers/app.mjs';
import { startUser, eventually, send } from './helpers/shop.mjs';
import { textUpdate } from './helpers/updates.mjs';

const HOUR = 3600;
let app;
before(async () => {
  app = await spawnApp();
});
after(() => app?.stop());

const now = () => Math.floor(Date.now() / 1000);
const setExpiry = (telegramId, at, extra = {}) => {
  app.db('UPDATE users SET expires_at = ?, panel_user_id = ?, is_blocked = ? WHERE telegram_id = ?', at, extra.panelUserId ?? null, extra.blocked ? 1 : 0, telegramId);
};
const told = (telegramId, re) => app.tg.messagesTo(telegramId).filter((t) => re.test(t));
const ENDS = /ends on/;
const ENDED = /has ended/;
/** Runs the hourly cron and lets the queue deliver what it queued. */
async function hourly() {
  assert.equal((await app.runCron('0 * * * *')).status, 200);
  await sleep(2500);
}

test('the hourly cron: 73 h nothing, 71 h and 23 h one reminder each, expired the notice; once over repeated runs; blocked skipped', async () => {
  const [at73, at71, at23, expired, blocked] = [930_001, 930_002, 930_003, 930_004, 930_005];
  for (const id of [at73, at71, at23, expired, blocked]) await startUser(app, id);
  setExpiry(at73, now() + 73 * HOUR);
  setExpiry(at71, now() + 71 * HOUR);
  setExpiry(at23, now() + 23 * HOUR);
  setExpiry(expired, now() - HOUR);
  setExpiry(blocked, now() + 23 * HOUR, { blocked: true });

  await hourly();
  await eventually(() => told(at71, ENDS).length === 1 && told(at23, ENDS).length === 1 && told(expired, ENDED).length === 1,
    { what: 'the three notices' });
  await hourly();
  await hourly();
  assert.equal(told(at73, ENDS).length, 0, 'more than 72 h left: nothing yet');
  assert.equal(told(at71, ENDS).length, 1);
  assert.equal(told(at23, ENDS).length, 1, 'the 24 h reminder only: the 72 h one is past');
  assert.equal(told(expired, ENDED).length, 1);
  assert.equal(app.tg.messagesTo(blocked).filter((t) => ENDS.test(t)).length, 0, 'a user who blocked the bot is skipped');
  const reminder = app.tg.callsTo('sendMessage').find((c) => c.body.chat_id === at71 && ENDS.test(c.body.text));
  assert.equal(reminder.body.reply_markup.inline_keyboard[0][0].callback_data, 'menu:buy', 'a renew button');
});

test('a 3-day trial is not told "ends in 3 days" as it starts', async () => {
  const id = 930_201;
  await startUser(app, id);
  await send(app, textUpdate(app.nextUpdateId(), { userId: id, text: '/trial' }));
  await eventually(() => app.db('SELECT expires_at FROM users WHERE telegram_id = ?', id)[0]?.expires_at, { what: 'the trial provisioned' });
  await hourly();
  assert.equal(told(id, ENDS).length, 0);
});

test('the panel webhook and the cron share one claim; a renewal re-arms the reminders', async () => {
  const id = 930_101;
  await startUser(app, id);
  const panelUser = app.panel.addUser({ telegramId: id, expireAt: new Date((now() + 23 * HOUR) * 1000) });
  const expiry = Math.floor(new Date(panelUser.expireAt).getTime() / 1000);
  setExpiry(id, expiry, { panelUserId: panelUser.id });
  const secret = app.vars.REMNAWAVE_WEBHOOK_SECRET;
  const deliver = ({ raw, headers }) => app.fetch('/webhooks/remnawave', { method: 'POST', headers, body: raw });

  // The panel says "24 h left" first: the reminder goes; the cron then has nothing to add.
  const first = await deliver(app.panel.signedEvent(secret, 'user.expiration', panelUser, { meta: { notConnectedAfterHours: null, expiration: -24 } }));
  assert.equal((await first.json()).outcome, 'reminder queued');
  await eventually(() => told(id, ENDS).length === 1, { what: 'the webhook reminder' });
  await hourly();
  const again = await deliver(app.panel.signedEvent(secret, 'user.expiration', { ...panelUser, updatedAt: new Date().toISOString() }, { meta: { notConnectedAfterHours: null, expiration: -24 } }));
  assert.equal((await again.json()).outcome, 'reminder sent before');
  await sleep(1500);
  assert.equal(told(id, ENDS).length, 1, 'once across webhook and cron');

  // A renewal moves the expiry: that period is reminded again.
  panelUser.expireAt = new Date((now() + 20 * HOUR) * 1000 + 30 * 86_400_000).toISOString();
  setExpiry(id, Math.floor(new Date(panelUser.expireAt).getTime() / 1000) - 30 * 86_400, { panelUserId: panelUser.id });
  await hourly();
  await eventually(() => told(id, ENDS).length === 2, { what: 'the new period reminded' });

  // The period runs out and the panel says so: the notice, once.
  panelUser.expireAt = new Date(Date.now() - 60_000).toISOString();
  const ended = await deliver(app.panel.signedEvent(secret, 'user.expired', panelUser));
  assert.equal((await ended.json()).outcome, 'reminder queued');
  await eventually(() => told(id, ENDED).length === 1, { what: 'the expiry notice' });
  await hourly();
  assert.equal(told(id, ENDED).length, 1, 'the cron does not send it again');
});
