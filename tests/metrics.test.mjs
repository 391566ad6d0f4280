// GET /metrics and error tracking through the real Workers (the main one forwards /metrics to
// the operator's Worker): the bearer token, the Prometheus text format, every family the
// Grafana dashboard reads, counters against what D1 holds after real payments, rejected
// webhooks, and a 5xx reaching the Sentry fake from the queue with its request id and causes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnApp, REPO_ROOT } from './helpers/app.mjs';
import { buy, eventually, provisioned, send, startUser } from './helpers/shop.mjs';
import { callbackUpdate } from './helpers/updates.mjs';
import { startSentryFake } from './fakes/sentry.mjs';

const TOKEN = 'test-metrics-token';
let app;
let sentry;

before(async () => {
  sentry = await startSentryFake();
  app = await spawnApp({ providers: true, vars: { METRICS_TOKEN: TOKEN, SENTRY_DSN: sentry.dsn } });
});
after(async () => {
  await app?.stop();
  await sentry?.close();
});

const scrape = (auth = `Bearer ${TOKEN}`) => app.fetch('/metrics', { headers: auth ? { Authorization: auth } : {} });

/**
 * Parses the Prometheus text format strictly: every sample belongs to a family declared by
 * `# HELP` and `# TYPE` before it, names and labels are well formed, values are numbers.
 * Returns { types: Map(family → type), samples: Map('name{labels}' → value) }.
 */
function parseExposition(text) {
  const types = new Map();
  const samples = new Map();
  assert.ok(text.endsWith('\n'), 'ends with a line break');
  for (const line of text.trimEnd().split('\n')) {
    let m;
    if ((m = /^# HELP (wavegate_[a-z_]+) \S.*$/.exec(line))) continue;
    if ((m = /^# TYPE (wavegate_[a-z_]+) (counter|gauge|histogram)$/.exec(line))) {
      assert.ok(!types.has(m[1]), `${m[1]} declared twice`);
      types.set(m[1], m[2]);
      continue;
    }
    m = /^(wavegate_[a-z_]+)(\{(?:[a-z_]+="(?:[^"\\\n]|\\.)*",?)*\})? (-?\d+(?:\.\d+)?)$/.exec(line);
    assert.ok(m, `malformed line: ${line}`);
    const family = [...types.keys()].find((f) => m[1] === f || (types.get(f) === 'histogram' && /^_(bucket|sum|count)$/.test(m[1].slice(f.length))));
    assert.ok(family, `sample before its TYPE: ${line}`);
    samples.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return { types, samples };
}

async function metrics() {
  const res = await scrape();
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await res.text());
}

test('/metrics: 401 without the exact bearer token, in constant time; 405 for other methods', async () => {
  for (const auth of [null, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `bearer ${TOKEN}`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
    const res = await scrape(auth);
    assert.equal(res.status, 401, `auth ${auth}`);
    assert.doesNotMatch(await res.text(), /wavegate_/);
  }
  assert.equal((await app.fetch('/metrics', { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } })).status, 405);
  const ok = await scrape();
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('x-content-type-options'), 'nosniff');
});

test('every family the Grafana dashboard and the alerts use is exported with its type', async () => {
  const { types } = await metrics();
  for (const [family, type] of [
    ['wavegate_payments_total', 'gauge'], ['wavegate_revenue_minor_units_total', 'counter'],
    ['wavegate_refunds_minor_units_total', 'counter'], ['wavegate_provisioning_lag_seconds', 'histogram'],
    ['wavegate_orders_awaiting_provisioning', 'gauge'], ['wavegate_oldest_awaiting_provisioning_seconds', 'gauge'],
    ['wavegate_active_subscriptions', 'gauge'], ['wavegate_users', 'gauge'],
    ['wavegate_reminders_sent_total', 'counter'], ['wavegate_broadcast_sends_total', 'counter'],
    ['wavegate_webhook_rejects_total', 'counter'], ['wavegate_http_errors_total', 'counter'],
    ['wavegate_queue_retries_total', 'counter'], ['wavegate_dead_letters_total', 'counter'],
    ['wavegate_cron_last_success_timestamp_seconds', 'gauge'],
  ]) {
    assert.equal(types.get(family), type, family);
  }
  // The dashboard and the alert rules name only metrics that exist.
  const used = new Set();
  for (const file of ['docs/grafana-dashboard.json', 'docs/prometheus-alerts.yml']) {
    for (const m of readFileSync(path.join(REPO_ROOT, file), 'utf8').matchAll(/wavegate_[a-z_]+/g)) used.add(m[0]);
  }
  assert.ok(used.size >= 10, `the dashboard uses ${used.size} metrics`);
  for (const name of used) {
    const family = name.replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(name) || types.get(family) === 'histogram', `${name} is used but not exported`);
  }
});

test('payments, revenue, provisioning lag and active subscriptions match D1 after real payments', async () => {
  const buyer = 8_400_001;
  await startUser(app, buyer);
  const { orderId } = await buy(app, buyer);
  await provisioned(app, orderId);
  // The money families are recomputed by the hourly run (a scrape reads only the counters).
  const cronStart = Math.floor(Date.now() / 1000);
  assert.equal((await app.runCron('0 * * * *')).status, 200);
  const { samples, types } = await metrics();
  const xtr = app.db("SELECT sum(amount_minor) AS s, count(*) AS n FROM payments WHERE provider = 'stars' AND status = 'completed'")[0];
  assert.equal(samples.get('wavegate_payments_total{channel="stars",status="completed"}'), xtr.n);
  assert.equal(samples.get('wavegate_revenue_minor_units_total{currency="XTR"}'), xtr.s);
  assert.ok(xtr.s > 0);
  assert.equal(types.get('wavegate_provisioning_lag_seconds'), 'histogram');
  const lagCount = samples.get('wavegate_provisioning_lag_seconds_count');
  assert.equal(lagCount, app.db("SELECT count(*) AS n FROM orders WHERE kind NOT IN ('trial', 'bonus') AND paid_at IS NOT NULL AND provisioned_at IS NOT NULL")[0].n);
  assert.ok(lagCount >= 1);
  assert.equal(samples.get('wavegate_provisioning_lag_seconds_bucket{le="+Inf"}'), lagCount);
  // Buckets are cumulative and the payment was provisioned within seconds.
  let last = 0;
  for (const le of ['1', '5', '15', '60', '300', '900', '3600', '21600', '86400', '+Inf']) {
    const n = samples.get(`wavegate_provisioning_lag_seconds_bucket{le="${le}"}`);
    assert.ok(n >= last, `bucket ${le} is cumulative`);
    last = n;
  }
  assert.equal(samples.get('wavegate_provisioning_lag_seconds_bucket{le="60"}'), lagCount);
  assert.equal(samples.get('wavegate_orders_awaiting_provisioning'), 0);
  assert.equal(samples.get('wavegate_users'), app.db('SELECT count(*) AS n FROM users')[0].n);
  assert.equal(samples.get('wavegate_active_subscriptions{paying="true"}'), 1);
  assert.ok(samples.get('wavegate_cron_last_success_timestamp_seconds{cron="hourly"}') >= cronStart);
});

test('rejected webhooks are counted by route and reason; the count survives across requests', async () => {
  const count = async (key) => (await metrics()).samples.get(key) ?? 0;
  const rzp = 'wavegate_webhook_rejects_total{route="razorpay",reason="unauthorized"}';
  const tg = 'wavegate_webhook_rejects_total{route="telegram",reason="unauthorized"}';
  const bad = 'wavegate_webhook_rejects_total{route="cryptopay",reason="malformed"}';
  const [rzp0, tg0, bad0] = [await count(rzp), await count(tg), await count(bad)];
  for (let i = 0; i < 3; i++) {
    const res = await app.fetch('/webhooks/razorpay', { method: 'POST', headers: { 'content-type': 'application/json', 'X-Razorpay-Signature': 'f'.repeat(64) }, body: '{"event":"payment.captured"}' });
    assert.equal(res.status, 401);
  }
  const res = await app.fetch('/telegram/webhook', { method: 'POST', headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 'wrong' }, body: '{}' });
  assert.equal(res.status, 401);
  // A correctly signed Crypto Pay body that is not an update: 400.
  const raw = '{"update_type":"invoice_paid"';
  const secret = createHash('sha256').update(app.providers.cryptopay.token).digest();
  const sig = createHmac('sha256', secret).update(raw).digest('hex');
  const malformed = await app.fetch('/webhooks/cryptopay', { method: 'POST', headers: { 'content-type': 'application/json', 'crypto-pay-api-signature': sig }, body: raw });
  assert.equal(malformed.status, 400);
  assert.equal(await count(rzp), rzp0 + 3);
  assert.equal(await count(tg), tg0 + 1);
  assert.equal(await count(bad), bad0 + 1);
  // The counters live in D1, not in an isolate's memory.
  const row = app.db("SELECT value FROM metric_counters WHERE name = 'webhook_rejects' AND labels = ?", 'route="razorpay",reason="unauthorized"')[0];
  assert.equal(row.value, rzp0 + 3);
});

test('a 5xx is counted and reaches Sentry from the queue with its request id and cause chain', async () => {
  const user = 8_400_002;
  await startUser(app, user);
  const errors = async () => (await metrics()).samples.get('wavegate_http_errors_total{route="telegram"}') ?? 0;
  const before = await errors();
  // Telegram answers 500 to the button's answer: the update is retried (503).
  app.tg.failNext(1, { error_code: 500, description: 'Internal Server Error', method: 'answercallbackquery' });
  const res = await app.sendUpdate(callbackUpdate(app.nextUpdateId(), { userId: user, data: 'menu:help' }));
  assert.equal(res.status, 503);
  const line = app.logs().split('\n').reverse().find((l) => l.includes('"request.failed"') && l.includes('/telegram/webhook'));
  assert.ok(line, 'the 5xx is logged');
  const requestId = JSON.parse(line.slice(line.indexOf('{'))).request_id;
  assert.match(requestId, /^[0-9a-f]{12}$/);
  assert.equal(await errors(), before + 1);
  const event = await eventually(() => sentry.events.find((e) => e.tags?.request_id === requestId), { what: 'the Sentry event' });
  assert.equal(event.tags.route, '/telegram/webhook');
  assert.equal(event.tags.status, '503', 'tags are strings');
  assert.equal(event.level, 'error');
  const chain = event.exception.values.map((v) => v.value).join(' | ');
  assert.match(chain, /telegram update/);
  assert.match(chain, /500|Internal Server Error/);
  assert.doesNotMatch(JSON.stringify(event), /TEST-token|test-webhook-secret/, 'no secret in the report');
  assert.deepEqual(sentry.refused, []);
  // Telegram's retry goes through.
  assert.equal((await app.sendUpdate(callbackUpdate(app.nextUpdateId(), { userId: user, data: 'menu:help' }))).status, 200);
});

test('a Sentry outage is retried by the queue, and never delays the answer', { timeout: 150_000 }, async () => {
  const user = 8_400_003;
  await startUser(app, user);
  sentry.failNext(1);
  app.tg.failNext(1, { error_code: 502, description: 'Bad Gateway', method: 'answercallbackquery' });
  const started = performance.now();
  const res = await app.sendUpdate(callbackUpdate(app.nextUpdateId(), { userId: user, data: 'menu:help' }));
  assert.equal(res.status, 503);
  assert.ok(performance.now() - started < 2_000);
  await eventually(() => sentry.events.find((e) => JSON.stringify(e.exception).includes('Bad Gateway')), { what: 'the retried Sentry event (30 s later)', timeoutMs: 100_000 });
  assert.equal(sentry.refused.filter((r) => r.status !== 503).length, 0);
});

test('no log line of this whole run (both Workers) holds a configured secret', async () => {
  const secretKeys = Object.keys(app.vars).filter((k) => /TOKEN|SECRET|KEY|DSN/.test(k) && !/PUBLIC_KEY|KEY_ID/.test(k));
  assert.ok(secretKeys.length >= 8, secretKeys.join(','));
  // The Workers' own lines (JSON log lines, runtime errors and panics), not wrangler's startup
  // banner, which lists the test's variables as the harness passed them.
  const logs = app.logs().split('\n').filter((l) => /"level":"|Uncaught|panicked|Error:/.test(l)).join('\n');
  assert.ok(logs.includes('"request.failed"') && logs.includes('"payment.webhook"'), 'the run logged failures and payments');
  for (const key of secretKeys) {
    const value = String(app.vars[key] ?? '');
    if (value.length < 8) continue;
    // The DSN's public key goes to Sentry by design (browsers carry it too), never to a log.
    assert.ok(!logs.includes(value), `${key} appears in the logs`);
  }
});
