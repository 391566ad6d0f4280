// Keeping customers through the real Worker: the usage notices the panel's user events bring
// (connected tip, traffic warning and limit, setup help, device limit), event order on the
// mirror, the hourly usage and expiry sync over the panel's user stream (a page per queue job),
// and the pace of the queue's Telegram sends.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnApp } from './helpers/app.mjs';
import { buy, provisioned, panelUser, eventually, startUser, expirySeconds, send } from './helpers/shop.mjs';
import { textUpdate } from './helpers/updates.mjs';
import { makeDevice } from './fakes/remnawave.mjs';

const GB = 1024 ** 3;
const HOUR = 3600;
let app;
let secret;
before(async () => {
  app = await spawnApp();
  secret = app.vars.REMNAWAVE_WEBHOOK_SECRET;
});
after(() => app?.stop());

const now = () => Math.floor(Date.now() / 1000);
/** Signs `event` for `data` as the panel does, delivers it, returns the Worker's outcome. */
async function fire(event, data, opts) {
  const { raw, headers } = app.panel.signedEvent(secret, event, data, opts);
  const res = await app.fetch('/webhooks/remnawave', { method: 'POST', headers, body: raw });
  assert.equal(res.status, 200, `${event}: ${res.status}`);
  return (await res.json()).outcome;
}
const sent = (chatId, re) => app.tg.callsTo('sendMessage').filter((c) => c.body.chat_id === chatId && re.test(c.body.text));
const buttons = (call) => call.body.reply_markup?.inline_keyboard.flat().map((b) => b.callback_data) ?? [];

async function customer(telegramId) {
  await startUser(app, telegramId);
  const { orderId } = await buy(app, telegramId, 'monthly');
  await provisioned(app, orderId);
  return panelUser(app, telegramId);
}

test('usage notices: the connected tip, the traffic warning and limit with a buy button, setup help with the link; each once', async () => {
  const id = 940_001;
  const user = await customer(id);

  assert.equal(await fire('user.first_connected', user), 'notice queued');
  await eventually(() => sent(id, /connected/).length === 1, { what: 'the connected tip' });
  // The panel sends it again (a new delivery, a new signature): the claim keeps it to one.
  assert.equal(await fire('user.first_connected', { ...user, updatedAt: new Date().toISOString() }), 'notice sent before');

  user.trafficLimitBytes = 100 * GB;
  user.userTraffic.usedTrafficBytes = 80 * GB;
  user.lastTriggeredThreshold = 80;
  assert.equal(await fire('user.bandwidth_usage_threshold_reached', user), 'notice queued');
  await eventually(() => sent(id, /80%/).length === 1, { what: 'the traffic warning' });
  assert.deepEqual(buttons(sent(id, /80%/)[0]), ['menu:buy']);
  assert.equal(await fire('user.bandwidth_usage_threshold_reached', { ...user, updatedAt: new Date().toISOString() }), 'notice sent before');

  user.status = 'LIMITED';
  user.userTraffic.usedTrafficBytes = 100 * GB;
  assert.equal(await fire('user.limited', user), 'notice queued');
  await eventually(() => sent(id, /paused/).length === 1, { what: 'the limit notice' });
  assert.deepEqual(buttons(sent(id, /paused/)[0]), ['menu:buy']);
  const row = app.db('SELECT panel_status, traffic_used_bytes, traffic_limit_bytes FROM users WHERE telegram_id = ?', id)[0];
  assert.deepEqual(row, { panel_status: 'LIMITED', traffic_used_bytes: 100 * GB, traffic_limit_bytes: 100 * GB }, 'the mirror has the traffic');

  assert.equal(await fire('user.not_connected', user, { meta: { notConnectedAfterHours: 24, expiration: null } }), 'notice queued');
  await eventually(() => sent(id, /no device has connected/).length === 1, { what: 'the setup help' });
  assert.deepEqual(buttons(sent(id, /no device has connected/)[0]), ['sub:link', 'sub:qr']);

  // Panel users nobody bought get nothing.
  const stranger = app.panel.addUser({ telegramId: 940_099 });
  assert.equal(await fire('user.first_connected', stranger), 'not a customer');
});

test('the device limit: the device that fills the last slot brings the reset button, once a day', async () => {
  const id = 940_101;
  const user = await customer(id);
  assert.equal(user.hwidDeviceLimit, 3, 'the monthly plan allows 3 devices');
  const add = async () => {
    const device = makeDevice(user.id);
    app.panel.devices.set(user.id, [...(app.panel.devices.get(user.id) ?? []), device]);
    return fire('user_hwid_devices.added', { user, hwidUserDevice: device });
  };
  assert.equal(await add(), 'below the device limit');
  assert.equal(await add(), 'below the device limit');
  assert.equal(await add(), 'notice queued');
  await eventually(() => sent(id, /device slots/).length === 1, { what: 'the device-limit message' });
  const message = sent(id, /device slots/)[0];
  assert.match(message.body.text, /All 3 device slots/);
  assert.deepEqual(buttons(message), ['sub:devices']);
  assert.equal(await add(), 'notice sent before', 'once a day');
});

test('an event that arrives after a newer one never rolls the mirror back', async () => {
  const id = 940_201;
  const user = await customer(id);
  const later = new Date(Date.now() + 40 * 86_400_000).toISOString();
  const sooner = new Date(Date.now() + 2 * 86_400_000).toISOString();
  assert.equal(await fire('user.modified', { ...user, expireAt: later }), 'synced');
  const older = new Date(Date.now() - 20_000).toISOString();
  assert.equal(await fire('user.modified', { ...user, expireAt: sooner }, { timestamp: older }), 'not mirrored');
  const row = app.db('SELECT expires_at FROM users WHERE telegram_id = ?', id)[0];
  assert.equal(row.expires_at, Math.floor(Date.parse(later) / 1000));
});

test('the hourly sync walks every panel user a page per job and mirrors what the panel says', async () => {
  const customers = [940_301, 940_302];
  for (const id of customers) await customer(id);
  // Many panel users nobody bought through the shop, so the sweep takes several pages.
  for (let i = 0; i < 1_150; i++) app.panel.addUser({ status: i % 3 ? 'ACTIVE' : 'EXPIRED' });
  // The operator changes the customers on the panel and no webhook tells the shop.
  const [a, b] = customers.map((id) => panelUser(app, id));
  a.expireAt = new Date(Date.now() + 90 * 86_400_000).toISOString();
  a.userTraffic.usedTrafficBytes = 7 * GB;
  b.status = 'DISABLED';
  const total = app.panel.users.size;
  app.panel.reset();

  assert.equal((await app.runCron('0 * * * *')).status, 200);
  await eventually(() => app.db('SELECT finished_at FROM panel_sync')[0]?.finished_at, { what: 'the sweep to finish', timeoutMs: 60_000 });
  const sweep = app.db('SELECT sweep, pages, mirrored, cursor FROM panel_sync')[0];
  assert.equal(sweep.pages, Math.ceil(total / 500), `${total} users in pages of 500`);
  assert.equal(sweep.cursor, null);
  const reads = app.panel.callsTo('/api/users/stream', 'GET');
  assert.equal(reads.length, sweep.pages, 'one stream read per page');
  assert.ok(reads.every((c) => c.query.size === 500 || c.query.size === '500'));
  const rowA = app.db('SELECT expires_at, traffic_used_bytes FROM users WHERE telegram_id = ?', customers[0])[0];
  assert.deepEqual(rowA, { expires_at: expirySeconds(a), traffic_used_bytes: 7 * GB });
  assert.equal(app.db('SELECT panel_status FROM users WHERE telegram_id = ?', customers[1])[0].panel_status, 'DISABLED');
  assert.ok(sweep.mirrored >= 2);

  // The next hour starts a new sweep; nothing changed, so nothing is written.
  assert.equal((await app.runCron('0 * * * *')).status, 200);
  await eventually(() => {
    const s = app.db('SELECT sweep, finished_at, cursor FROM panel_sync')[0];
    return s.sweep === sweep.sweep + 1 && s.cursor === null;
  }, { what: 'the second sweep', timeoutMs: 60_000 });
  assert.equal(app.db('SELECT mirrored FROM panel_sync')[0].mirrored, 0);
});

test('the notices queue paces its Telegram sends under 20 a second', async () => {
  const ids = Array.from({ length: 14 }, (_, i) => 940_401 + i);
  for (const id of ids) await startUser(app, id);
  for (const id of ids) app.db('UPDATE users SET expires_at = ? WHERE telegram_id = ?', now() + 23 * HOUR, id);
  assert.equal((await app.runCron('0 * * * *')).status, 200);
  await eventually(() => ids.every((id) => sent(id, /ends on/).length === 1), { what: 'the 14 reminders' });
  const times = ids.map((id) => sent(id, /ends on/)[0].at).sort((x, y) => x - y);
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  assert.ok(Math.min(...gaps) >= 40, `sends at least ~50 ms apart: ${gaps.map(Math.round).join(', ')}`);
  const perSecond = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
  assert.ok(perSecond <= 21, `${perSecond} in one second`);
  await sleep(10);
});

test('a customer marked blocked by a 403 hears nothing more until they write to the bot again', async () => {
  const id = 940_501;
  await startUser(app, id);
  app.db('UPDATE users SET expires_at = ?, is_blocked = 1 WHERE telegram_id = ?', now() + 23 * HOUR, id);
  assert.equal((await app.runCron('0 * * * *')).status, 200);
  await sleep(2500);
  assert.equal(sent(id, /ends on/).length, 0, 'blocked: skipped');
  await startUser(app, id); // they unblock the bot and /start it
  assert.equal(app.db('SELECT is_blocked FROM users WHERE telegram_id = ?', id)[0].is_blocked, 0);
  assert.equal((await app.runCron('0 * * * *')).status, 200);
  await eventually(() => sent(id, /ends on/).length === 1, { what: 'the reminder after /start' });
});

test('a delivery still being handled is answered 409, and the panel retry after its handler died is handled once', async () => {
  const id = 940_601;
  const user = await customer(id);
  const signed = app.panel.signedEvent(secret, 'user.modified', { ...user, status: 'DISABLED' });
  const post = () => app.fetch('/webhooks/remnawave', { method: 'POST', headers: signed.headers, body: signed.raw });
  // Another request holds this delivery (it is still running, or it died mid-way).
  app.db("INSERT INTO processed_events (provider, event_id, processed_at, done) VALUES ('remnawave', ?, ?, 0)",
    signed.headers['x-remnawave-signature'], now());
  const busy = await post();
  assert.equal(busy.status, 409, 'not acknowledged as done while another request has it');
  assert.equal(app.db('SELECT panel_status FROM users WHERE telegram_id = ?', id)[0].panel_status, 'ACTIVE');
  await sleep(5_000); // the panel's next retry, 5 s later: the holder's lease is over
  const retried = await post();
  assert.equal(retried.status, 200);
  assert.equal((await retried.json()).outcome, 'synced');
  assert.equal(app.db('SELECT panel_status FROM users WHERE telegram_id = ?', id)[0].panel_status, 'DISABLED');
  assert.equal((await (await post()).json()).outcome, 'duplicate');
});

test('the panel\'s expiration event does not tell a 3-day trial "ends in 3 days" as it starts', async () => {
  const id = 940_701;
  await startUser(app, id);
  await send(app, textUpdate(app.nextUpdateId(), { userId: id, text: '/trial' }));
  await eventually(() => panelUser(app, id) && app.db('SELECT expires_at FROM users WHERE telegram_id = ?', id)[0]?.expires_at, { what: 'the trial provisioned' });
  const user = panelUser(app, id);
  await fire('user.expiration', user, { meta: { notConnectedAfterHours: null, expiration: -72 } });
  await sleep(2500);
  assert.equal(sent(id, /ends on/).length, 0);
});

test('every user event the operator causes is mirrored: disabled, enabled, revoked, traffic reset, deleted', async () => {
  const id = 940_801;
  const user = await customer(id);
  const row = () => app.db('SELECT panel_status, subscription_url, panel_short_uuid, traffic_used_bytes FROM users WHERE telegram_id = ?', id)[0];
  const at = (s) => new Date(Date.now() + s * 1000).toISOString(); // each event a little later than the last

  assert.equal(await fire('user.disabled', { ...user, status: 'DISABLED' }, { timestamp: at(1) }), 'synced');
  assert.equal(row().panel_status, 'DISABLED');
  assert.equal(await fire('user.enabled', { ...user, status: 'ACTIVE' }, { timestamp: at(2) }), 'synced');
  assert.equal(row().panel_status, 'ACTIVE');
  const revoked = { ...user, shortUuid: 'newShortUuid1234', subscriptionUrl: 'https://sub.example.test/newShortUuid1234' };
  assert.equal(await fire('user.revoked', revoked, { timestamp: at(3) }), 'synced');
  assert.deepEqual([row().subscription_url, row().panel_short_uuid], [revoked.subscriptionUrl, revoked.shortUuid]);
  const used = { ...revoked, userTraffic: { ...revoked.userTraffic, usedTrafficBytes: 3 * GB } };
  assert.equal(await fire('user.modified', used, { timestamp: at(4) }), 'synced');
  assert.equal(row().traffic_used_bytes, 3 * GB);
  const reset = { ...revoked, userTraffic: { ...revoked.userTraffic, usedTrafficBytes: 0 }, lastTrafficResetAt: at(5) };
  assert.equal(await fire('user.traffic_reset', reset, { timestamp: at(5) }), 'synced');
  assert.equal(row().traffic_used_bytes, 0);
  assert.equal(await fire('user.deleted', reset, { timestamp: at(6) }), 'synced');
  assert.equal(row().panel_status, 'DELETED');
});
