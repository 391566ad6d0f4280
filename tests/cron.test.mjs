// Cron triggers through the real Worker: `GET /__scheduled?cron=…` runs the scheduled handler,
// alerts travel through the real local Queue to the fake Telegram.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnApp, TEST_ADMIN_ID } from './helpers/app.mjs';
import { eventually, order, provisioned, requestInvoice, startUser } from './helpers/shop.mjs';

const FIVE_MINUTES = '*/5 * * * *';
const HOURLY = '0 * * * *';

let app;
before(async () => {
  app = await spawnApp();
});
after(async () => {
  await app?.stop();
});

const adminMessages = () => app.tg.messagesTo(TEST_ADMIN_ID);

async function runCron(expr) {
  const res = await app.runCron(expr);
  assert.equal(res.status, 200, res.body);
}

/** Waits for the admin to have received `n` messages in all, then a little longer to see no more come. */
async function expectAdminMessages(n) {
  const deadline = Date.now() + 10_000;
  while (adminMessages().length < n && Date.now() < deadline) await sleep(100);
  await sleep(1500); // the queue delivers within ~1 s: anything extra would show up by now
  assert.equal(adminMessages().length, n, `admin messages: ${JSON.stringify(adminMessages())}`);
}

test('node health: baseline first, then one alert per change, nothing while unchanged', async () => {
  const node = app.panel.nodes[0];
  node.isConnected = false; // already down before the first run: baseline only

  await runCron(FIVE_MINUTES);
  await expectAdminMessages(0);

  node.isConnected = true;
  await runCron(FIVE_MINUTES);
  await expectAdminMessages(1);
  assert.match(adminMessages()[0], new RegExp(`${node.name} \\(${node.countryCode}\\) is back up`));

  node.isConnected = false;
  await runCron(FIVE_MINUTES);
  await expectAdminMessages(2);
  assert.match(adminMessages()[1], /is DOWN/);

  await runCron(FIVE_MINUTES);
  await expectAdminMessages(2);
  node.isConnected = true;
  await runCron(FIVE_MINUTES);
  await expectAdminMessages(3);
});

test('node health: an unreachable panel and a panel older than 3.0 are reported as down', async () => {
  const before = adminMessages().length;
  app.panel.down();
  await runCron(FIVE_MINUTES);
  await expectAdminMessages(before + 1);
  assert.match(adminMessages().at(-1), /Remnawave panel is DOWN/);

  app.panel.up();
  await runCron(FIVE_MINUTES);
  await expectAdminMessages(before + 2);
  assert.match(adminMessages().at(-1), /Remnawave panel is back up/);

  app.panel.version = '2.7.2';
  await runCron(FIVE_MINUTES);
  await expectAdminMessages(before + 3);
  assert.match(adminMessages().at(-1), /Remnawave panel is DOWN: .*2\.7\.2 is not supported/);
  app.panel.version = '3.4.4';
});

test('every panel request from the cron carries the token and the forwarded headers', async () => {
  assert.equal(app.panel.droppedConnections, 0);
  assert.ok(app.panel.calls.length > 0);
  assert.ok(app.panel.calls.every((c) => c.headers.authorization === `Bearer ${app.panel.token}`));
});

test('the hourly job forgets webhook claims older than 30 days and keeps recent ones', async () => {
  const old = Math.floor(Date.now() / 1000) - 31 * 24 * 3600;
  app.db("INSERT INTO processed_events (provider, event_id, processed_at) VALUES ('telegram', 'old-1', ?)", old);
  app.db("INSERT INTO processed_events (provider, event_id, processed_at) VALUES ('telegram', 'new-1', ?)", old + 2 * 24 * 3600);
  await runCron(HOURLY);
  const ids = app.db("SELECT event_id FROM processed_events WHERE event_id IN ('old-1', 'new-1')").map((r) => r.event_id);
  assert.deepEqual(ids, ['new-1']);
});

test('the daily Stars ledger check provisions a charge whose update never arrived, once', async () => {
  // Arrange: a customer opened an invoice and paid; Telegram's ledger has the charge, the
  // successful_payment update was lost. The last full read of the ledger was a day ago.
  const userId = 700_001;
  await startUser(app, userId);
  const invoice = await requestInvoice(app, userId, 'monthly');
  const orderId = invoice.payload.replace(/^order:/, '');
  const hourAgo = Math.floor(Date.now() / 1000) - 3600;
  app.tg.ledgerPayment({ id: 'stxLedgerLost1', userId, amount: invoice.amount, payload: invoice.payload, date: hourAgo });
  // Earlier hourly runs read the (then empty) ledger to its end: that was "a day ago".
  app.db('UPDATE ledger_cursors SET caught_up_at = caught_up_at - 86400');
  assert.equal(order(app, orderId).status, 'pending');

  // Act
  await runCron(HOURLY);
  await provisioned(app, orderId);
  const reads = app.tg.callsTo('getStarTransactions').length;
  await runCron(HOURLY);

  // Assert: recorded through the pipeline under its charge id, provisioned, the link sent;
  // the cursor is past it, and the next hour does not read the ledger again.
  const payments = app.db("SELECT idempotency_key, status FROM payments WHERE external_id = 'stxLedgerLost1'");
  assert.deepEqual(payments, [{ idempotency_key: 'stars:stxLedgerLost1', status: 'completed' }]);
  await eventually(() => app.tg.messagesTo(userId).some((m) => m.includes('https://')), { what: 'the link message' });
  const [cursor] = app.db("SELECT position FROM ledger_cursors WHERE name = 'stars'");
  assert.equal(cursor.position, app.tg.ledger.length);
  assert.equal(app.tg.callsTo('getStarTransactions').length, reads);
});
