// The dead-letter path through the real runtime: a Worker configured with one retry, a panel
// that stays down. After the last retry the job lands in the dead-letter queue, the admins
// are alerted, and the hourly reconciliation provisions the order once the panel is back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnApp, REPO_ROOT, TEST_ADMIN_ID } from './helpers/app.mjs';
import { buy, eventually, order, provisioned, startUser, panelUser } from './helpers/shop.mjs';
import { startSentryFake } from './fakes/sentry.mjs';

let app;
let configDir;
let sentry;
before(async () => {
  sentry = await startSentryFake();
  // The repo's wrangler.toml with absolute paths and max_retries = 1 (production keeps 16).
  configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wavegate-dlq-'));
  const toml = fs
    .readFileSync(path.join(REPO_ROOT, 'wrangler.toml'), 'utf8')
    .replace('main = "build/index.js"', `main = "${path.join(REPO_ROOT, 'build/index.js')}"`)
    .replace('directory = "static-site/dist"', `directory = "${path.join(REPO_ROOT, 'static-site/dist')}"`)
    .replace('migrations_dir = "d1-migrations"', `migrations_dir = "${path.join(REPO_ROOT, 'd1-migrations')}"`)
    .replace(/max_retries = 16/, 'max_retries = 1');
  assert.match(toml, /max_retries = 1\n/);
  fs.writeFileSync(path.join(configDir, 'wrangler.toml'), toml);
  app = await spawnApp({ configPath: path.join(configDir, 'wrangler.toml'), vars: { SENTRY_DSN: sentry.dsn } });
});
after(async () => {
  await app?.stop();
  await sentry?.close();
  if (configDir) fs.rmSync(configDir, { recursive: true, force: true });
});

test('a job that fails every retry alerts the admins and is provisioned later by reconciliation', { timeout: 120_000 }, async () => {
  const userId = 9_100_001;
  await startUser(app, userId);
  app.panel.down();
  const { orderId } = await buy(app, userId);

  const alert = await eventually(
    () => app.tg.messagesTo(TEST_ADMIN_ID).find((t) => t.includes(orderId)),
    { timeoutMs: 60_000, what: 'dead-letter alert to the admin' },
  );
  assert.match(alert, /could not be provisioned/);
  assert.equal(order(app, orderId).status, 'paid', 'the order stays paid');
  // Counted for /metrics, and reported to Sentry from the queue with the job and its cause.
  const dead = app.db("SELECT labels, value FROM metric_counters WHERE name = 'dead_letters'");
  assert.deepEqual(dead, [{ labels: 'queue_job="provision"', value: 1 }]);
  assert.ok(app.db("SELECT value FROM metric_counters WHERE name = 'queue_retries' AND labels = 'queue_job=\"provision\"'")[0].value >= 1);
  const event = await eventually(() => sentry.events.find((e) => e.tags?.kind === 'dead_letter'), { what: 'the dead letter in Sentry' });
  assert.equal(event.tags.route, 'job:provision');
  assert.match(JSON.stringify(event.exception), new RegExp(orderId));
  assert.match(event.tags.request_id, /^[0-9a-f]{12}$/);

  app.panel.up();
  app.db('UPDATE orders SET paid_at = paid_at - 3600 WHERE public_id = ?', orderId);
  assert.equal((await app.runCron('0 * * * *')).status, 200);
  await provisioned(app, orderId);
  assert.ok(panelUser(app, userId));
});
