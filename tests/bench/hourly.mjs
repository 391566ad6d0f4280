// The hourly cron at scale, against the local Worker: N customers (default 100,000), each with
// a panel user in the Remnawave fake, expiries spread over the next 30 days, 1% of them changed
// on the panel behind the shop's back. One hourly run, then the queue until the usage and
// expiry sweep has read every panel user and the reminders it queued are sent. Prints what the
// issue asks: invocations and queue batches, peak outbound calls and D1 round trips per
// invocation, and the time to cover everyone. CPU per page is measured separately in
// WebAssembly (`scripts/bench`, "sync: parse a stream page").
//
//   node tests/bench/hourly.mjs [--users 100000]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { spawnApp } from '../helpers/app.mjs';

const { values } = parseArgs({ options: { users: { type: 'string', default: '100000' } } });
const N = Number(values.users);
const DAY = 86_400;

const app = await spawnApp();
try {
  const now = Math.floor(Date.now() / 1000);
  let t = performance.now();
  const first = app.panel.users.size + 1;
  for (let i = 0; i < N; i++) {
    const expires = now + Math.floor(((i * 7919) % N) / N * 30 * DAY) + 3600;
    app.panel.addUser({ username: `tg_${8_000_000 + i}`, telegramId: 8_000_000 + i, expireAt: new Date(expires * 1000).toISOString(), hwidDeviceLimit: 3 });
  }
  // The shop's customers, one per panel user, mirroring the panel as provisioning left it.
  const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
  const code = (n) => Array.from({ length: 8 }, (_, k) => ALPHABET[Math.floor(n / 31 ** k) % 31]).join('');
  const rows = [];
  for (const user of app.panel.users.values()) {
    if (user.id < first) continue;
    rows.push([user.telegramId, code(user.id), user.id, user.shortUuid, user.subscriptionUrl,
      Math.floor(Date.parse(user.expireAt) / 1000), user.userTraffic.usedTrafficBytes, user.trafficLimitBytes]);
  }
  app.db(`INSERT INTO users (telegram_id, first_name, referral_code, panel_user_id, panel_short_uuid, subscription_url,
                             expires_at, traffic_used_bytes, traffic_limit_bytes, panel_status, created_at, updated_at)
          SELECT value ->> 0, 'User', value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6,
                 value ->> 7, 'ACTIVE', ?, ?
          FROM json_each(?)`, now, now, JSON.stringify(rows));
  // The operator changes 1% on the panel (longer expiry, traffic) and no webhook says so.
  let changed = 0;
  for (const user of app.panel.users.values()) {
    if (user.id >= first && (user.id - first) % 100 === 0) {
      user.expireAt = new Date(Date.parse(user.expireAt) + 10 * DAY * 1000).toISOString();
      user.userTraffic.usedTrafficBytes = 5 * 1024 ** 3;
      changed++;
    }
  }
  console.log(`seeded ${N} customers and panel users in ${((performance.now() - t) / 1000).toFixed(1)} s; ${changed} changed on the panel`);

  app.panel.reset();
  const mark = app.logs().length;
  t = performance.now();
  const cron = await app.runCron('0 * * * *');
  if (cron.status !== 200) throw new Error(`cron: ${cron.status}`);
  for (;;) {
    const s = app.db('SELECT finished_at FROM panel_sync')[0];
    if (s?.finished_at) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const sweepSeconds = (performance.now() - t) / 1000;
  const sweep = app.db('SELECT sweep, pages, mirrored FROM panel_sync')[0];
  // Let the reminders the cron queued go out.
  let last = -1;
  for (;;) {
    const sends = app.tg.callsTo('sendMessage').length;
    if (sends === last) break;
    last = sends;
    await new Promise((r) => setTimeout(r, 3000));
  }
  const lines = app.logs().slice(mark).split('\n').filter((l) => l.startsWith('{'));
  const parsed = lines.map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter(Boolean);
  const cronLine = parsed.find((l) => l.event === 'cron.done');
  const jobs = parsed.filter((l) => l.event === 'job.done' && l.outcome === 'done');
  const byType = (type) => jobs.filter((l) => l.job?.type === type);
  const peak = (ls, f) => Math.max(0, ...ls.map((l) => l[f] ?? 0));
  const syncJobs = byType('sync_users');
  const reminders = byType('remind');
  const mirroredOk = app.db('SELECT count(*) AS n FROM users WHERE traffic_used_bytes = ?', 5 * 1024 ** 3)[0].n;
  if (process.env.DEBUG_BENCH) for (const l of parsed.filter((l) => /remind|notice|job.done/.test(l.event) && l.job?.type !== 'sync_users').slice(0, 8)) console.log('  ', JSON.stringify(l).slice(0, 400));
  console.log(`hourly cron invocation: ${cronLine?.d1_round_trips} D1 round trips, ${cronLine?.outbound_calls} outbound calls`);
  console.log(`usage and expiry sweep: ${sweep.pages} pages (${syncJobs.length} sync jobs, one per queue invocation), ${sweep.mirrored} rows changed (${mirroredOk} of ${changed} panel changes mirrored), ${sweepSeconds.toFixed(0)} s to cover all ${N}`);
  console.log(`  per sync invocation: peak ${peak(syncJobs, 'outbound_calls')} outbound calls, peak ${peak(syncJobs, 'd1_round_trips')} D1 round trips, median run ${median(syncJobs.map((l) => l.run_ms))} ms (wall, local)`);
  const sendTimes = app.tg.callsTo('sendMessage').map((c) => c.at).sort((a, b) => a - b);
  const sendSeconds = sendTimes.length > 1 ? (sendTimes.at(-1) - sendTimes[0]) / 1000 : 0;
  console.log(`reminders: ${reminders.length} sent from this run in ${sendSeconds.toFixed(0)} s (${(reminders.length / Math.max(sendSeconds, 1)).toFixed(1)}/s; notices queue batches of up to 10: at least ${Math.ceil(reminders.length / 10)} invocations), peak ${peak(reminders, 'outbound_calls')} outbound calls and ${peak(reminders, 'd1_round_trips')} D1 round trips per job`);
  console.log(`panel calls: ${app.panel.calls.length} (${app.panel.callsTo('/api/users/stream').length} stream pages)`);
} finally {
  await app.stop();
}

function median(xs) {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : '-';
}
