// The cost model of docs/OPERATIONS.md, measured: what one paying customer's month costs in
// Worker requests, D1 rows read and written (as D1 reports them: the request log's
// `d1_rows_read`/`d1_rows_written`), and queue operations, through the real Workers with U
// customers (default 50). Then the shop's fixed cost (the 5-minute node check), and what
// that comes to for 1,000, 10,000 and 100,000 customers on the Workers Free and Paid plans.
//
// A paying customer's month, as modelled:
//   buying:   /start, the buy menu, a plan and method, the pre-checkout, the payment, its
//             provisioning job (and the thank-you);
//   using:    4 × /status in the bot, a cabinet sign-in, 4 × GET /api/me, 1 × GET /api/plans;
//   reminded: 3 notices a period (72 h, 24 h, expired), measured as one hourly run sending one
//             to everyone, times three;
//   synced:   720 hourly runs (the usage and expiry sweep's pages), measured as one quiet run.
//
//   node tests/bench/cost.mjs [--users 50]
import { parseArgs } from 'node:util';
import { spawnApp } from '../helpers/app.mjs';
import { buy, send, startUser } from '../helpers/shop.mjs';
import { callbackUpdate, textUpdate } from '../helpers/updates.mjs';
import { Session } from '../helpers/web.mjs';

const { values } = parseArgs({ options: { users: { type: 'string', default: '50' } } });
const U = Number(values.users);
const FIRST = 6_100_000;

const app = await spawnApp({ providers: true });

/** Sums the cost fields of every invocation's last log line since `mark`. */
function costsSince(mark) {
  const lines = app.logs().slice(mark).split('\n');
  const total = { invocations: 0, read: 0, written: 0, trips: 0, jobs: 0 };
  for (const line of lines) {
    if (line.includes('"event":"job.done"')) total.jobs++;
    const read = /"d1_rows_read":(\d+)/.exec(line);
    if (!read) continue;
    total.invocations++;
    total.read += Number(read[1]);
    total.written += Number(/"d1_rows_written":(\d+)/.exec(line)?.[1] ?? 0);
    total.trips += Number(/"d1_round_trips":(\d+)/.exec(line)?.[1] ?? 0);
  }
  return total;
}

async function quiet() {
  let last = -1;
  for (;;) {
    const n = app.logs().length;
    if (n === last) return;
    last = n;
    await new Promise((r) => setTimeout(r, 2500));
  }
}

async function phase(name, requestsPerUser, fn) {
  await quiet();
  const mark = app.logs().length;
  await fn();
  await quiet();
  const c = costsSince(mark);
  return { name, requests: requestsPerUser, read: c.read / U, written: c.written / U, jobs: c.jobs / U };
}

try {
  const users = Array.from({ length: U }, (_, i) => FIRST + i);
  const rows = [];
  rows.push(await phase('buying (5 bot updates + provisioning)', 5, async () => {
    for (const u of users) {
      await startUser(app, u);
      await send(app, callbackUpdate(app.nextUpdateId(), { userId: u, data: 'menu:buy' }));
      await buy(app, u);
    }
  }));
  rows.push(await phase('using (4 /status, sign-in, 4 /api/me, /api/plans)', 10, async () => {
    for (const [i, u] of users.entries()) {
      for (let k = 0; k < 4; k++) await send(app, textUpdate(app.nextUpdateId(), { userId: u, text: '/status' }));
      const session = new Session(app);
      await session.widget(u);
      for (let k = 0; k < 4; k++) await session.fetch('/api/me');
      await app.fetch('/api/plans', { headers: { 'CF-Connecting-IP': `10.8.${i >> 8}.${i & 255}` } });
    }
  }));
  // Everyone 71 hours from expiry: one hourly run sends each the 72-hour reminder.
  const soon = Math.floor(Date.now() / 1000) + 71 * 3600;
  app.db(`UPDATE users SET expires_at = ? WHERE telegram_id BETWEEN ? AND ?`, soon, FIRST, FIRST + U - 1);
  for (const user of app.panel.users.values()) {
    if (user.telegramId >= FIRST && user.telegramId < FIRST + U) user.expireAt = new Date(soon * 1000).toISOString();
  }
  const remind = await phase('one hourly run with a reminder each', 0, async () => {
    if ((await app.runCron('0 * * * *')).status !== 200) throw new Error('cron failed');
  });
  const hourly = await phase('one quiet hourly run (sweep, reconciliation)', 0, async () => {
    if ((await app.runCron('0 * * * *')).status !== 200) throw new Error('cron failed');
  });
  const reminded = { name: 'reminded (3 notices a period)', requests: 0, read: 3 * (remind.read - hourly.read), written: 3 * (remind.written - hourly.written), jobs: 3 * (remind.jobs - hourly.jobs) };
  // The sweep reads the panel 500 customers a page (shop::sync::PAGE_SIZE), one queue job a
  // page: with fewer customers than a page, the measured job is a whole page's; at scale each
  // customer's share is 1/500 of a job an hour.
  const PAGE_SIZE = 500;
  const syncJobs = U >= PAGE_SIZE ? 720 * hourly.jobs : 720 / PAGE_SIZE;
  // A quiet hourly run's writes are the shop's, not a customer's: the metrics refresh rewrites
  // its ~20 rows and the cron its bookkeeping whatever the number of customers (fixed below).
  const hourlyFixedWritten = hourly.written * U;
  const synced = { name: 'synced (720 hourly runs, its share)', requests: 0, read: 720 * hourly.read, written: 0, jobs: syncJobs };
  rows.push(reminded, synced);
  await quiet();
  let mark = app.logs().length;
  await app.runCron('*/5 * * * *');
  await quiet();
  const five = costsSince(mark);

  const month = rows.reduce((t, r) => ({ requests: t.requests + r.requests, read: t.read + r.read, written: t.written + r.written, jobs: t.jobs + r.jobs }), { requests: 0, read: 0, written: 0, jobs: 0 });
  // A queue message is 3 operations (write, read, delete); a consumer invocation is a request.
  const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
  console.log(`\nOne paying customer's month, measured with ${U} customers (wrangler dev, local D1):\n`);
  console.log('| part | requests | D1 rows read | D1 rows written | queue messages |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${r.requests} | ${fmt(r.read)} | ${fmt(r.written)} | ${fmt(r.jobs)} |`);
  console.log(`| **a paying customer's month** | **${month.requests}** + ${fmt(month.jobs)} queue deliveries | **${fmt(month.read)}** | **${fmt(month.written)}** | **${fmt(month.jobs)}** (${fmt(3 * month.jobs)} operations) |`);
  const fixedRuns = 8640 + 720;
  console.log(`\nFixed, whatever the customers: ${fixedRuns.toLocaleString('en-US')} cron invocations a month; the 5-minute node check reads ${five.read} and writes ${five.written} D1 rows a run (${fmt(8640 * five.read)} read, ${fmt(8640 * five.written)} written a month); a quiet hourly run writes ${fmt(hourlyFixedWritten)} rows (${fmt(720 * hourlyFixedWritten)} a month).`);

  // Plans (Cloudflare's published numbers, 2026: docs/OPERATIONS.md cites them).
  const FREE = { requestsPerDay: 100_000, readPerDay: 5_000_000, writtenPerDay: 100_000, queueOpsPerDay: 10_000 };
  const PAID = { base: 5, requests: 10_000_000, perMRequests: 0.3, read: 25_000_000_000, perMRead: 0.001, written: 50_000_000, perMWritten: 1.0, queueOps: 1_000_000, perMQueueOps: 0.4 };
  console.log('\n| customers | requests/day | D1 rows read/day | D1 rows written/day | queue ops/day | Workers Free | Workers Paid ($/month) |');
  console.log('|---:|---:|---:|---:|---:|---|---:|');
  for (const n of [1_000, 10_000, 100_000]) {
    const perMonth = {
      requests: n * (month.requests + month.jobs) + fixedRuns,
      read: n * month.read + 8640 * five.read,
      written: n * month.written + 8640 * five.written + 720 * hourlyFixedWritten,
      ops: n * 3 * month.jobs,
    };
    const day = (x) => x / 30;
    const fits = day(perMonth.requests) <= FREE.requestsPerDay && day(perMonth.read) <= FREE.readPerDay
      && day(perMonth.written) <= FREE.writtenPerDay && day(perMonth.ops) <= FREE.queueOpsPerDay;
    const over = (used, included, perM) => Math.max(0, used - included) / 1e6 * perM;
    const paid = PAID.base + over(perMonth.requests, PAID.requests, PAID.perMRequests) + over(perMonth.read, PAID.read, PAID.perMRead)
      + over(perMonth.written, PAID.written, PAID.perMWritten) + over(perMonth.ops, PAID.queueOps, PAID.perMQueueOps);
    const limits = [];
    if (day(perMonth.requests) > FREE.requestsPerDay) limits.push('requests');
    if (day(perMonth.read) > FREE.readPerDay) limits.push('rows read');
    if (day(perMonth.written) > FREE.writtenPerDay) limits.push('rows written');
    if (day(perMonth.ops) > FREE.queueOpsPerDay) limits.push('queue ops');
    console.log(`| ${n.toLocaleString('en-US')} | ${fmt(day(perMonth.requests))} | ${fmt(day(perMonth.read))} | ${fmt(day(perMonth.written))} | ${fmt(day(perMonth.ops))} | ${fits ? 'fits' : `over: ${limits.join(', ')}`} | ${paid.toFixed(2)} |`);
  }
} finally {
  await app.stop();
}
