// The panel's webhooks through the real Worker (POST /webhooks/remnawave), signed by the panel
// fake as the panel signs them: authentication, the freshness window, replays, the customer's
// row mirroring what the operator set, node alerts shared with the 5-minute cron, and the
// failed-login alert.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnApp, TEST_ADMIN_ID } from './helpers/app.mjs';
import { buy, provisioned, panelUser, eventually } from './helpers/shop.mjs';
import { startUser } from './helpers/shop.mjs';

let app;
let secret;
before(async () => {
  app = await spawnApp();
  secret = app.vars.REMNAWAVE_WEBHOOK_SECRET;
});
after(() => app?.stop());

const deliver = ({ raw, headers }) => app.fetch('/webhooks/remnawave', { method: 'POST', headers, body: raw });
const userRow = (telegramId) => app.db('SELECT expires_at, panel_status, subscription_url FROM users WHERE telegram_id = ?', telegramId)[0];
const adminMessages = () => app.tg.messagesTo(TEST_ADMIN_ID);

test('user.modified mirrors what the operator set; a replay is 200 and changes nothing', async () => {
  const userId = 920_001;
  await startUser(app, userId);
  const { orderId } = await buy(app, userId, 'monthly');
  await provisioned(app, orderId);
  const user = panelUser(app, userId);
  // The operator gives 5 more days and disables the user on the panel.
  user.expireAt = new Date(new Date(user.expireAt).getTime() + 5 * 86_400_000).toISOString();
  user.status = 'DISABLED';
  const signed = app.panel.signedEvent(secret, 'user.modified', user);
  const res = await deliver(signed);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).outcome, 'synced');
  const row = userRow(userId);
  assert.equal(row.expires_at, Math.floor(new Date(user.expireAt).getTime() / 1000));
  assert.equal(row.panel_status, 'DISABLED');
  assert.equal(row.subscription_url, user.subscriptionUrl);

  // The same delivery again (a retry or a replay): acknowledged, nothing done twice.
  app.db('UPDATE users SET panel_status = ? WHERE telegram_id = ?', 'ACTIVE', userId);
  const again = await deliver(signed);
  assert.equal(again.status, 200);
  assert.equal((await again.json()).outcome, 'duplicate');
  assert.equal(userRow(userId).panel_status, 'ACTIVE');
});

test('a bad signature, a stale or a future timestamp is 401 and changes nothing; garbage is 400', async () => {
  const user = app.panel.addUser({ telegramId: 777 });
  const forged = app.panel.signedEvent('z'.repeat(64), 'user.modified', user);
  assert.equal((await deliver(forged)).status, 401);
  const stale = app.panel.signedEvent(secret, 'user.modified', user, { timestamp: new Date(Date.now() - 10 * 60_000).toISOString() });
  assert.equal((await deliver(stale)).status, 401);
  const future = app.panel.signedEvent(secret, 'user.modified', user, { timestamp: new Date(Date.now() + 10 * 60_000).toISOString() });
  assert.equal((await deliver(future)).status, 401);
  const unsigned = await app.fetch('/webhooks/remnawave', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(unsigned.status, 401);
  const garbage = app.panel.signedEvent(secret, 'user.modified', { id: 'not a user' }, { malformed: true });
  assert.equal((await deliver(garbage)).status, 400);
  const other = app.panel.signedEvent(secret, 'crm.infra_billing_node_payment_in_7_days', { providerName: 'x', nodeName: 'DE-1', nextBillingAt: new Date().toISOString(), loginUrl: 'https://billing.example.test' });
  const ignored = await deliver(other);
  assert.equal(ignored.status, 200);
  assert.equal((await ignored.json()).outcome, 'ignored');
  assert.equal((await app.fetch('/webhooks/remnawave')).status, 405);
});

test('node flapping: one alert per change, whoever saw it first (webhook or cron)', async () => {
  const node = app.panel.nodes[0];
  assert.equal((await app.runCron('*/5 * * * *')).status, 200); // the cron's baseline
  const before = adminMessages().length;

  node.isConnected = false;
  const lost = await deliver(app.panel.signedEvent(secret, 'node.connection_lost', node));
  assert.equal((await lost.json()).outcome, 'node alert');
  await eventually(() => adminMessages().length === before + 1, { what: 'the down alert' });
  assert.match(adminMessages().at(-1), /DOWN/);
  // The cron sees the same state: no second alert; nor does a repeated event.
  assert.equal((await app.runCron('*/5 * * * *')).status, 200);
  const again = await deliver(app.panel.signedEvent(secret, 'node.connection_lost', { ...node, updatedAt: new Date().toISOString() }));
  assert.equal((await again.json()).outcome, 'node unchanged');

  // The cron sees the recovery first this time; the panel's event then says nothing new.
  node.isConnected = true;
  assert.equal((await app.runCron('*/5 * * * *')).status, 200);
  await eventually(() => adminMessages().length === before + 2, { what: 'the recovery alert' });
  const restored = await deliver(app.panel.signedEvent(secret, 'node.connection_restored', node));
  assert.equal((await restored.json()).outcome, 'node unchanged');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(adminMessages().length, before + 2, 'two changes, two alerts');
});

test('a failed login to the panel alerts the admins', async () => {
  const res = await deliver(app.panel.signedEvent(secret, 'service.login_attempt_failed', { loginAttempt: { username: 'admin', ip: '203.0.113.9', userAgent: 'curl/8' } }));
  assert.equal((await res.json()).outcome, 'admin alert');
  await eventually(() => adminMessages().some((t) => t.includes('failed login') && t.includes('203.0.113.9')), { what: 'login alert' });
});
