// A broadcast to N customers (default 10,000) through the local Worker: the admin composes and
// confirms it in the bot, the notices queue delivers it. The Telegram fake enforces flood
// control (more than 30 messages in a second is 429, as Telegram does), so a 429 storm would
// show. Prints what the growth issue asks: total time, messages per second, 429s, peak outbound
// calls (in flight at once, and per queue job), D1 round trips and wall time per batch. CPU per
// batch is measured in WebAssembly by `scripts/bench` ("broadcast: one batch of 25").
//
//   node tests/bench/broadcast.mjs [--users 10000]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { spawnApp, TEST_ADMIN_ID } from '../helpers/app.mjs';
import { callbackUpdate, textUpdate } from '../helpers/updates.mjs';

const { values } = parseArgs({ options: { users: { type: 'string', default: '10000' } } });
const N = Number(values.users);
const FIRST = 20_000_000;
const TEXT = 'Wavegate news: new servers in Jakarta and Mumbai.';

const app = await spawnApp();
try {
  const now = Math.floor(Date.now() / 1000);
  const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
  const code = (n) => Array.from({ length: 8 }, (_, k) => ALPHABET[Math.floor((n + 99_999) / 31 ** k) % 31]).join('');
  const rows = Array.from({ length: N }, (_, i) => [FIRST + i, code(i)]);
  app.db(`INSERT INTO users (telegram_id, first_name, referral_code, created_at, updated_at)
          SELECT value ->> 0, 'Reader', value ->> 1, ?, ? FROM json_each(?)`, now, now, JSON.stringify(rows));
  let updateId = 1;
  const send = async (update) => {
    const res = await app.sendUpdate(update);
    if (res.status !== 200) throw new Error(`update → ${res.status} ${res.body}`);
  };
  await send(textUpdate(updateId++, { userId: TEST_ADMIN_ID, text: '/start' }));
  await send(textUpdate(updateId++, { userId: TEST_ADMIN_ID, text: '/broadcast' }));
  await send(textUpdate(updateId++, { userId: TEST_ADMIN_ID, text: TEXT }));
  const control = app.tg.callsTo('sendMessage').filter((c) => c.body.chat_id === TEST_ADMIN_ID).at(-1);
  const go = control.body.reply_markup.inline_keyboard.flat().find((b) => b.callback_data.endsWith(':go')).callback_data;
  const id = Number(go.split(':')[1]);

  app.tg.rateLimit = { perSecond: 30, retryAfter: 1 };
  app.tg.stats.peakInFlight = 0;
  const mark = app.logs().length;
  const from = app.tg.calls.length;
  const t = performance.now();
  await send(callbackUpdate(updateId++, { userId: TEST_ADMIN_ID, data: go, messageId: control.result.message_id }));
  for (;;) {
    const b = app.db('SELECT status FROM broadcasts WHERE id = ?', id)[0];
    if (b.status === 'done') break;
    if (performance.now() - t > 3_600_000) throw new Error('the broadcast did not finish within an hour');
    await new Promise((r) => setTimeout(r, 1000));
  }
  const seconds = (performance.now() - t) / 1000;
  const sends = app.tg.calls.slice(from).filter((c) => c.method === 'sendMessage' && c.body.text === TEXT);
  const ok = sends.filter((c) => c.ok);
  const chats = new Set(ok.map((c) => String(c.body.chat_id)));
  const times = ok.map((c) => c.at).sort((a, b) => a - b);
  const span = (times.at(-1) - times[0]) / 1000;
  const perSecond = new Map();
  for (const at of times) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
  const counts = app.db('SELECT status, count(*) AS n FROM broadcast_recipients WHERE broadcast_id = ? GROUP BY status', id);

  const lines = app.logs().slice(mark).split('\n').filter((l) => l.startsWith('{'));
  const parsed = lines.map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter(Boolean);
  const jobs = parsed.filter((l) => l.event === 'job.done' && l.job?.type === 'broadcast');
  const done = jobs.filter((l) => l.outcome === 'done');
  const peak = (f) => Math.max(0, ...done.map((l) => l[f] ?? 0));
  const median = (xs) => { const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : '-'; };

  console.log(`broadcast to ${N} customers (+ the admin): ${ok.length} delivered to ${chats.size} distinct chats (${ok.length === chats.size ? 'nobody twice' : 'DUPLICATES'}), recipients ${JSON.stringify(counts)}`);
  console.log(`total ${seconds.toFixed(0)} s from the admin's press to done; first to last delivery ${span.toFixed(0)} s = ${(ok.length / span).toFixed(1)} messages/s sustained (target ≥ 20), busiest second ${Math.max(...perSecond.values())} (Telegram's limit 30)`);
  console.log(`429s from the fake's flood control: ${app.tg.stats.throttled}; peak outbound calls in flight at once: ${app.tg.stats.peakInFlight}`);
  console.log(`queue jobs: ${done.length} batches (+ ${jobs.length - done.length} waits/retries), per job: peak ${peak('outbound_calls')} outbound calls, peak ${peak('d1_round_trips')} D1 round trips, median wall ${median(done.map((l) => l.run_ms))} ms (24 pauses of 40 ms are ${24 * 40} ms of it)`);
} finally {
  await app.stop();
}
