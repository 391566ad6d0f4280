// Latency and throughput of the hot handlers against the local Worker, next to an empty route
// of the same Worker, in one run (numbers from different runs are not comparable: the machine
// is shared and wrangler dev is not production).
//
//   node tests/bench/bench.mjs [--requests 600] [--concurrency 8]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { spawnApp, TEST_ADMIN_ID } from '../helpers/app.mjs';
import { textUpdate, preCheckoutUpdate, paymentUpdate, callbackUpdate } from '../helpers/updates.mjs';
import { requestInvoice, send, startUser } from '../helpers/shop.mjs';
import { createHash, createHmac } from 'node:crypto';
import { Session, widgetPayload } from '../helpers/web.mjs';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '600' }, concurrency: { type: 'string', default: '8' } },
});
const defaultTotal = Number(values.requests);
const concurrency = Number(values.concurrency);

/** The median of a numeric field of the Worker's `event` log lines written since `mark`. */
function medianField(mark, event, field) {
  const lines = app.logs().slice(mark).split('\n').filter((l) => l.includes(`"${event}"`));
  const re = new RegExp(`"${field}":(\\d+)`);
  const values = lines.map((l) => re.exec(l)).filter(Boolean).map((m) => Number(m[1]));
  if (values.length === 0) return '-';
  values.sort((a, b) => a - b);
  return String(values[Math.floor(values.length / 2)]);
}

async function measure(name, makeRequest, event = 'telegram.handled', total = defaultTotal) {
  // Warm-up: compile paths, open the D1 file.
  for (let i = 0; i < 20; i++) await makeRequest(-1 - i);
  const mark = app.logs().length;
  const latencies = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      const res = await makeRequest(i);
      latencies.push(performance.now() - t0);
      if (!res.ok && res.status !== 404) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  const field = (f) => (event ? medianField(mark, event, f) : '-');
  return { name, total, median: pct(50), p99: pct(99), rps: total / seconds, failures, trips: field('d1_round_trips'), calls: field('outbound_calls') };
}

/** Waits until no job has finished for two seconds (the renewals above are provisioned). */
async function waitForQuietQueue() {
  let last = -1;
  for (;;) {
    const n = app.logs().split('"job.done"').length;
    if (n === last) return;
    last = n;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

const app = await spawnApp({ providers: true, vars: { REMNAWAVE_WEBHOOK_SECRET: 'bench-panel-webhook-secret' } });
try {
  let updateId = 1_000_000;
  const post = (update) =>
    app.fetch('/telegram/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 'test-webhook-secret' },
      body: JSON.stringify(update),
    });
  // 200 distinct users, all created before the measurement: every measured /start is a
  // returning user's (the welcome rides back on the webhook response: no outbound call).
  for (let u = 0; u < 200; u++) {
    await post(textUpdate(++updateId, { userId: 7_000_000 + u, text: '/start', languageCode: 'ru' }));
  }
  const results = [
    await measure('empty route (Worker 404, no I/O)', () => app.fetch('/bench/empty'), null),
    await measure('GET /healthz (one D1 read)', () => app.fetch('/healthz'), null),
    await measure('/start, returning user (claim + refresh; reply in response)', (i) =>
      post(textUpdate(++updateId, { userId: 7_000_000 + (Math.abs(i) % 200), text: '/start', languageCode: 'ru' })),
    ),
  ];

  // Stars: one pending order is checked over and over (pre-checkout changes nothing); then
  // payments renew one subscription order (each payment records a payment, creates its
  // renewal order, queues provisioning and thanks the customer: the heaviest payment path).
  const buyer = 7_500_000;
  await startUser(app, buyer);
  const invoice = await requestInvoice(app, buyer, 'monthly', 'starsub');
  results.push(
    await measure('pre_checkout_query (claim + order; answer in response)', () =>
      post(preCheckoutUpdate(++updateId, { userId: buyer, payload: invoice.payload, amount: invoice.amount })),
    ),
  );
  let charge = 0;
  results.push(
    await measure('successful_payment (record + order + enqueue; thank-you in response)', () =>
      post(paymentUpdate(++updateId, {
        userId: buyer, payload: invoice.payload, amount: invoice.amount, chargeId: `bench-${++charge}`, recurring: true,
      })),
    ),
  );

  // Provider webhooks: each request a new payment (a new payment id) on one order, as renewals
  // above: verify the signature on the raw body, parse, find the order by its object, record,
  // create the repeat order, queue provisioning, tell the customer (one Bot API call).
  const webhookTotal = Math.min(defaultTotal, 200);
  await send(app, callbackUpdate(++updateId, { userId: buyer, data: 'pay:monthly:razorpay' }));
  await send(app, callbackUpdate(++updateId, { userId: buyer, data: 'pay:monthly:xendit' }));
  await send(app, callbackUpdate(++updateId, { userId: buyer, data: 'pay:monthly:cryptopay' }));
  const ordersOf = (provider) => app.db("SELECT o.public_id, o.external_id FROM orders o WHERE o.provider = ? AND o.external_id IS NOT NULL ORDER BY o.id DESC LIMIT 1", provider)[0];
  const { razorpay, xendit, cryptopay } = app.providers;
  const rzpOrder = ordersOf('razorpay');
  const xndOrder = ordersOf('xendit');
  const cpOrder = ordersOf('cryptopay');
  const signedPost = (path, raw, headers) => app.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  let n = 0;
  results.push(await measure('Razorpay payment.captured (verify + parse + record + enqueue)', () => {
    const raw = JSON.stringify({ entity: 'event', event: 'payment.captured', contains: ['payment'], payload: { payment: { entity: {
      id: `pay_bench${++n}`, amount: 16900, currency: 'INR', status: 'captured', method: 'upi', notes: { order: rzpOrder.public_id } } } }, created_at: 1 });
    return signedPost('/webhooks/razorpay', raw, { 'x-razorpay-signature': createHmac('sha256', razorpay.webhookSecret).update(raw).digest('hex') });
  }, 'payment.webhook', webhookTotal));
  results.push(await measure('Xendit payment.capture (token + parse + record + enqueue)', () => {
    const raw = JSON.stringify({ event: 'payment.capture', data: { payment_id: `py-bench${++n}`, payment_request_id: xndOrder.external_id,
      reference_id: xndOrder.public_id, request_amount: 32000, currency: 'IDR', status: 'SUCCEEDED' } });
    return signedPost('/webhooks/xendit', raw, { 'x-callback-token': xendit.callbackToken });
  }, 'payment.webhook', webhookTotal));
  const cpKey = createHash('sha256').update(cryptopay.token).digest();
  results.push(await measure('Crypto Pay invoice_paid (verify + parse + record + enqueue)', () => {
    const raw = JSON.stringify({ update_id: ++n, update_type: 'invoice_paid', request_date: '2026-12-05T00:00:00Z', payload: {
      invoice_id: 900_000 + n, status: 'paid', currency_type: 'fiat', fiat: 'USD', amount: '2.00', paid_asset: 'USDT', paid_amount: '2', payload: `order:${cpOrder.public_id}` } });
    return signedPost('/webhooks/cryptopay', raw, { 'crypto-pay-api-signature': createHmac('sha256', cpKey).update(raw).digest('hex') });
  }, 'payment.webhook', webhookTotal));

  // The cabinet: the public plans, a signed-in customer's /api/me (session: JWT + KV denylist +
  // D1 sign-in check, then the user, the summary and the cached panel numbers), and a sign-in
  // (widget hash, user lookup, one D1 batch, a JWT). Each sign-in from its own address: the
  // rate limit is 20 a minute per address.
  const cabinetUser = buyer; // a subscriber: /api/me shows the panel numbers
  const session = new Session(app);
  await session.widget(cabinetUser);
  const cookie = session.cookieHeader();
  // Each from its own address: the public reads are limited to 120 a minute per address.
  let planIp = 0;
  results.push(await measure('GET /api/plans (public; one D1 read)', () =>
    app.fetch('/api/plans', { headers: { 'CF-Connecting-IP': `10.6.${(++planIp >> 8) & 255}.${planIp & 255}` } }), 'api.done'));
  results.push(await measure('GET /api/me (session check, user, summary, panel via KV cache)', () =>
    app.fetch('/api/me', { headers: { cookie } }), 'api.done'));
  let ip = 0;
  results.push(await measure('POST /api/auth/telegram (widget hash, user, D1 batch, JWT)', () =>
    app.fetch('/api/auth/telegram', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'CF-Connecting-IP': `10.9.${(++ip >> 8) & 255}.${ip & 255}` },
      body: JSON.stringify(widgetPayload(app.tg.token, { id: cabinetUser })),
    }), null, Math.min(defaultTotal, 200)));

  // The rest of the routes, fewer requests each: every route of the main Worker is in the table.
  const few = Math.min(defaultTotal, 200);
  const subscriber = (i) => 7_000_000 + (Math.abs(i) % 200);
  // Spread over the 200 customers: one customer is limited to 60 updates a minute.
  results.push(await measure('/status (no subscription yet: the shop\'s own view)', (i) =>
    post(textUpdate(++updateId, { userId: subscriber(i), text: '/status' })), 'telegram.handled', few));
  results.push(await measure('button press menu:buy (screen edit: one Bot API call)', (i) =>
    post(callbackUpdate(++updateId, { userId: subscriber(i), data: 'menu:buy' })), 'telegram.handled', few));
  // One user over the bot's limit (60 a minute): answered "slow down", no D1, no panel.
  for (let k = 0; k < 70; k++) await post(textUpdate(++updateId, { userId: 7_900_000, text: '/help' }));
  results.push(await measure('bot update over the per-user limit ("slow down")', () =>
    post(textUpdate(++updateId, { userId: 7_900_000, text: '/help' })), 'telegram.handled', few));
  const panelSecret = app.vars.REMNAWAVE_WEBHOOK_SECRET;
  const panelUserRow = [...app.panel.users.values()][0];
  // One customer's events: a delivery while another for the same customer is being handled is
  // answered 409 (the panel retries it), which is the expected answer here, not a failure.
  const expect = (status) => async (res) => ((await res).status === status ? { ok: true, status } : res);
  results.push(await measure('POST /webhooks/remnawave user.modified, one customer (verify + mirror; 409 while one is in flight)', () => {
    const { raw, headers } = app.panel.signedEvent(panelSecret, 'user.modified', panelUserRow);
    return expect(409)(app.fetch('/webhooks/remnawave', { method: 'POST', headers, body: raw }));
  }, null, few));
  results.push(await measure('POST /webhooks/razorpay, bad signature (401, counted in D1)', () =>
    expect(401)(app.fetch('/webhooks/razorpay', { method: 'POST', headers: { 'content-type': 'application/json', 'x-razorpay-signature': '0'.repeat(64) }, body: '{}' })), null, few));
  const cabinet = { cookie };
  results.push(await measure('GET /api/me/devices (session, panel devices via cache)', () => app.fetch('/api/me/devices', { headers: cabinet }), 'api.done', few));
  results.push(await measure('GET /api/referrals (session, referral standing)', () => app.fetch('/api/referrals', { headers: cabinet }), 'api.done', few));
  results.push(await measure('GET /api/me/qr.svg (session, QR of the link)', () => app.fetch('/api/me/qr.svg', { headers: cabinet }), 'api.done', few));
  results.push(await measure('PUT /api/me/locale (session, one write)', (i) =>
    app.fetch('/api/me/locale', { method: 'PUT', headers: { ...cabinet, 'content-type': 'application/json', origin: app.url }, body: JSON.stringify({ locale: i % 2 ? 'ru' : 'en' }) }), 'api.done', few));
  const adminSession = new Session(app);
  await startUser(app, TEST_ADMIN_ID);
  await adminSession.widget(TEST_ADMIN_ID);
  const adminCookie = { cookie: adminSession.cookieHeader() };
  results.push(await measure('GET /api/admin/stats (forwarded to the admin Worker; panel)', () => app.fetch('/api/admin/stats', { headers: adminCookie }), null, few));
  results.push(await measure('GET /metrics (forwarded; six D1 reads)', () =>
    app.fetch('/metrics', { headers: { Authorization: `Bearer ${app.vars.METRICS_TOKEN}` } }), null, few));
  results.push(await measure('GET / (static page: assets, no Worker code)', () => app.fetch('/'), null, few));

  console.log(`\n${defaultTotal} requests per route (${webhookTotal} per provider webhook), ${concurrency} concurrent, wrangler dev (local workerd) on this machine\n`);
  console.log(
    'route'.padEnd(66), 'median ms'.padStart(10), 'p99 ms'.padStart(10), 'req/s'.padStart(10),
    '% empty'.padStart(8), 'D1 trips'.padStart(9), 'outbound'.padStart(9), 'failed'.padStart(8),
  );
  const empty = results[0].rps;
  for (const r of results) {
    console.log(
      r.name.padEnd(66),
      r.median.toFixed(2).padStart(10),
      r.p99.toFixed(2).padStart(10),
      r.rps.toFixed(0).padStart(10),
      `${Math.round((100 * r.rps) / empty)}%`.padStart(8),
      r.trips.padStart(9),
      r.calls.padStart(9),
      String(r.failures).padStart(8),
    );
  }
  // Provisioning jobs the payments above queued (each renewal order is provisioned once).
  const jobMark = 0;
  console.log(`provisioning job, median per job: ${medianField(jobMark, 'job.done', 'd1_round_trips')} D1 round trips, ${medianField(jobMark, 'job.done', 'outbound_calls')} outbound calls`);

  // From successful_payment to the customer's link message, over 100 payments by new
  // customers with a healthy panel, 4 at a time: the webhook answers, the queue batches, the
  // job creates the panel user and sends the link. Where the time goes comes from the job's
  // own log line (`queued_ms`: waiting in the queue, `run_ms`: the job: D1, panel, Bot API).
  await waitForQuietQueue();
  const linkMark = app.logs().length;
  const buyers = Array.from({ length: 100 }, (_, i) => 7_600_000 + i);
  for (const id of buyers) await startUser(app, id);
  const invoices = new Map();
  for (const id of buyers) invoices.set(id, await requestInvoice(app, id, 'monthly'));
  const toLink = [];
  const webhook = [];
  let nextBuyer = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (nextBuyer < buyers.length) {
      const id = buyers[nextBuyer++];
      const inv = invoices.get(id);
      const t0 = performance.now();
      const res = await post(paymentUpdate(++updateId, { userId: id, payload: inv.payload, amount: inv.amount, chargeId: `bench-link-${id}` }));
      webhook.push(performance.now() - t0);
      if (!res.ok) throw new Error(`payment for ${id}: ${res.status}`);
      const link = await app.tg.waitFor((c) => c.ok && c.method === 'sendMessage' && c.body.chat_id === id && /https?:\/\//.test(c.body.text ?? '') && c.at > t0, 30_000);
      toLink.push(link.at - t0);
    }
  }));
  const jobs = app.logs().slice(linkMark).split('\n').filter((l) => l.includes('"job.done"') && l.includes('"provision"'))
    .map((l) => { try { return JSON.parse(l.slice(l.indexOf('{'))); } catch { return null; } })
    .filter((l) => l && l.queued_ms !== undefined);
  const p = (values, q) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))] ?? NaN;
  };
  const fmt = (values) => `p50 ${p(values, 50).toFixed(0)} ms, p99 ${p(values, 99).toFixed(0)} ms`;
  console.log(`\nsuccessful_payment → link message, ${toLink.length} payments: ${fmt(toLink)}`);
  console.log(`  webhook answered:      ${fmt(webhook)}`);
  console.log(`  waiting in the queue:  ${fmt(jobs.map((j) => j.queued_ms))} (max_batch_timeout = 1 s)`);
  console.log(`  provisioning job:      ${fmt(jobs.map((j) => j.run_ms))} (D1, panel fake, Bot API fake), of which`);
  const hostMs = (url) => jobs.map((j) => (j.outbound ?? []).filter((h) => h.host === new URL(url).host).reduce((a, h) => a + h.ms, 0));
  console.log(`    panel calls:         ${fmt(hostMs(app.panel.url))}`);
  console.log(`    Bot API calls:       ${fmt(hostMs(app.tg.url))} (the link message and the QR photo)`);
} finally {
  await app.stop();
}
