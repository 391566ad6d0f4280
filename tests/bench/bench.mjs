// Latency and throughput of the hot handlers against the local Worker, next to an empty route
// of the same Worker, in one run (numbers from different runs are not comparable: the machine
// is shared and wrangler dev is not production).
//
//   node tests/bench/bench.mjs [--requests 600] [--concurrency 8]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { spawnApp } from '../helpers/app.mjs';
import { textUpdate, preCheckoutUpdate, paymentUpdate } from '../helpers/updates.mjs';
import { requestInvoice, startUser } from '../helpers/shop.mjs';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '600' }, concurrency: { type: 'string', default: '8' } },
});
const total = Number(values.requests);
const concurrency = Number(values.concurrency);

/** The median `d1_round_trips` of the Worker's `event` log lines written since `mark`. */
function medianTrips(mark, event) {
  const lines = app.logs().slice(mark).split('\n').filter((l) => l.includes(`"${event}"`));
  const trips = lines.map((l) => /"d1_round_trips":(\d+)/.exec(l)).filter(Boolean).map((m) => Number(m[1]));
  if (trips.length === 0) return '-';
  trips.sort((a, b) => a - b);
  return String(trips[Math.floor(trips.length / 2)]);
}

async function measure(name, makeRequest, event = 'telegram.handled') {
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
  return { name, median: pct(50), p99: pct(99), rps: total / seconds, failures, trips: event ? medianTrips(mark, event) : '-' };
}

const app = await spawnApp();
try {
  let updateId = 1_000_000;
  const post = (update) =>
    app.fetch('/telegram/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 'test-webhook-secret' },
      body: JSON.stringify(update),
    });
  const results = [
    await measure('empty route (Worker 404, no I/O)', () => app.fetch('/bench/empty'), null),
    await measure('GET /healthz (one D1 read)', () => app.fetch('/healthz'), null),
    // 200 distinct users: the first pass creates them, later passes are returning users.
    await measure('/start update (D1 claim + upsert + sendMessage)', (i) =>
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
    await measure('pre_checkout_query (order lookup + answer)', () =>
      post(preCheckoutUpdate(++updateId, { userId: buyer, payload: invoice.payload, amount: invoice.amount })),
    ),
  );
  let charge = 0;
  results.push(
    await measure('successful_payment (record + order + enqueue + message)', () =>
      post(paymentUpdate(++updateId, {
        userId: buyer, payload: invoice.payload, amount: invoice.amount, chargeId: `bench-${++charge}`, recurring: true,
      })),
    ),
  );
  console.log(`\n${total} requests per route, ${concurrency} concurrent, wrangler dev (local workerd) on this machine\n`);
  console.log(
    'route'.padEnd(52), 'median ms'.padStart(10), 'p99 ms'.padStart(10), 'req/s'.padStart(10),
    '% empty'.padStart(8), 'D1 trips'.padStart(9), 'failed'.padStart(8),
  );
  const empty = results[0].rps;
  for (const r of results) {
    console.log(
      r.name.padEnd(52),
      r.median.toFixed(2).padStart(10),
      r.p99.toFixed(2).padStart(10),
      r.rps.toFixed(0).padStart(10),
      `${Math.round((100 * r.rps) / empty)}%`.padStart(8),
      r.trips.padStart(9),
      String(r.failures).padStart(8),
    );
  }
  // Provisioning jobs the payments above queued (each renewal order is provisioned once).
  const jobMark = 0;
  console.log(`provisioning job (median D1 round trips per job): ${medianTrips(jobMark, 'job.done')}`);
} finally {
  await app.stop();
}
