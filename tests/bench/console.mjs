// The admin console at scale (`scripts/bench --console [USERS] [PAYMENTS]`): seeds USERS
// customers (default 10,000) and PAYMENTS completed payments (default 20,000, each with its
// provisioned order and subscription period, spread over 90 days, four currencies and four
// channels) into the local D1, then measures, against the real Workers under wrangler dev:
// - the admin API's reads, one request at a time (median and p95 of 20);
// - in headless Chromium, the time from navigation to the dashboard's first chart drawn, and to
//   all four, on a fresh page each time (median of 5; the first one, reported apart, pays for
//   the Workers' first requests on that page).
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { spawnApp, REPO_ROOT, TEST_ADMIN_ID } from '../helpers/app.mjs';
import { launchBrowser } from '../helpers/browser.mjs';
import { startUser } from '../helpers/shop.mjs';
import { Session, widgetPayload } from '../helpers/web.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const USERS = arg('--users', 10_000);
const PAYMENTS = arg('--payments', 20_000);
const DAY = 86_400;
const SHOTS = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

const app = await spawnApp({ readyTimeoutMs: 120_000 });
try {
  await startUser(app, TEST_ADMIN_ID);
  const admin = new Session(app);
  const signIn = await admin.widget(TEST_ADMIN_ID);
  if (signIn.status !== 200) throw new Error(`admin sign-in: ${signIn.status}`);

  // ---- seed
  const t0 = Date.now();
  const now = Math.floor(Date.now() / 1000);
  const channels = [['stars', 'XTR', 100], ['razorpay', 'INR', 16900], ['xendit', 'IDR', 32000], ['cryptopay', 'USD', 200]];
  app.withDb((db) => {
    const user = db.prepare(`INSERT INTO users (telegram_id, username, first_name, referral_code, referred_by, created_at, updated_at,
                               expires_at, panel_status, panel_short_uuid) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'ACTIVE', ?)`);
    const firstId = Number(db.prepare('SELECT COALESCE(max(id), 0) + 1 AS n FROM users').get().n);
    for (let i = 0; i < USERS; i++) {
      const created = now - Math.floor((i / USERS) * 120 * DAY);
      const referrer = i > 100 && i % 5 === 0 ? firstId + (i % 100) : null;
      user.run(3_000_000 + i, `bench_${i}`, `Bench${i}`, `bn${i.toString(36).padStart(6, '0')}`, referrer, created, created, `sh${i.toString(36)}`);
    }
    const order = db.prepare(`INSERT INTO orders (public_id, user_id, plan_id, kind, provider, amount_minor, currency, days, status,
                               created_at, updated_at, paid_at, provisioned_at) VALUES (?, ?, 1, 'purchase', ?, ?, ?, 30, 'provisioned', ?, ?, ?, ?)`);
    const payment = db.prepare(`INSERT INTO payments (order_id, user_id, provider, amount_minor, currency, status, idempotency_key,
                                 created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const period = db.prepare(`INSERT INTO subscriptions (user_id, plan_id, order_id, source, days, starts_at, expires_at, created_at, updated_at)
                                VALUES (?, 1, ?, 'purchase', 30, ?, ?, ?, ?)`);
    const expiry = db.prepare('UPDATE users SET expires_at = ? WHERE id = ?');
    const expiries = new Map(); // each period stacked on the customer's expiry, as provisioning does
    for (let i = 0; i < PAYMENTS; i++) {
      const userId = firstId + ((i * 7919) % USERS);
      const at = now - Math.floor(((PAYMENTS - i) / PAYMENTS) * 90 * DAY);
      const [provider, currency, amount] = channels[i % 4];
      const { lastInsertRowid: orderId } = order.run(`bench${i.toString(36).padStart(8, '0')}`, userId, provider, amount, currency, at, at, at, at);
      payment.run(orderId, userId, provider, amount, currency, i % 50 === 0 ? 'refunded' : 'completed', `bench:${i}`, at, at);
      const from = Math.max(at, expiries.get(userId) ?? 0);
      period.run(userId, orderId, from, from + 30 * DAY, at, at);
      expiries.set(userId, from + 30 * DAY);
      expiry.run(from + 30 * DAY, userId);
    }
    db.exec('ANALYZE');
  });
  const seeded = Date.now() - t0;

  // ---- the API, one request at a time
  const routes = [
    '/api/admin/stats', '/api/admin/series?days=90', '/api/admin/users?limit=50', '/api/admin/users?q=bench_99&limit=50',
    '/api/admin/users?sort=expires&limit=50', '/api/admin/payments?limit=50', '/api/admin/payments?provider=razorpay&limit=50',
  ];
  const api = [];
  for (const route of routes) {
    const times = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      const res = await admin.fetch(route);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${route}: ${res.status}`);
      times.push(performance.now() - t);
    }
    api.push([route, median(times), p95(times)]);
  }
  const csvStart = performance.now();
  const csv = await (await admin.fetch('/api/admin/payments.csv')).text();
  const csvMs = performance.now() - csvStart;

  // ---- the dashboard in Chromium
  const browser = await launchBrowser();
  // Signed in once through the Login Widget's redirect, as an operator would; then each run is a
  // new tab in that browser (the session cookie and the cached, content-hashed assets kept).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: { 'CF-Connecting-IP': '10.9.9.9' } });
  await context.route('https://telegram.org/**', (route) => route.fulfill({ status: 200, contentType: 'application/javascript', body: '' }));
  const login = await context.newPage();
  await login.goto(`${app.url}/admin/?${new URLSearchParams(widgetPayload(app.tg.token, { id: TEST_ADMIN_ID, first_name: 'Bench' }))}`);
  await login.waitForSelector('[data-testid="console"]:visible', { timeout: 60_000 });
  await login.close();
  const firsts = [];
  const alls = [];
  mkdirSync(SHOTS, { recursive: true });
  for (let run = 0; run < 6; run++) {
    const page = await context.newPage();
    await page.goto(`${app.url}/admin/#dashboard`);
    await page.waitForFunction(() => [...document.querySelectorAll('.uplot canvas')].some((c) => c.width > 0), null, { timeout: 60_000, polling: 'raf' });
    const first = await page.evaluate(() => performance.now());
    await page.waitForFunction(() => document.querySelectorAll('.uplot canvas').length >= 4, null, { timeout: 60_000, polling: 'raf' });
    const all = await page.evaluate(() => performance.now());
    if (run === 0) {
      firsts.cold = first;
      alls.cold = all;
      await page.screenshot({ path: path.join(SHOTS, 'admin-dashboard-10k.png'), fullPage: true });
    } else {
      firsts.push(first);
      alls.push(all);
    }
    await page.close();
  }
  await browser.close();

  const users = app.db('SELECT count(*) AS n FROM users')[0].n;
  const pays = app.db('SELECT count(*) AS n FROM payments')[0].n;
  console.log(`\nadmin console at scale: ${users} users, ${pays} payments (seeded in ${(seeded / 1000).toFixed(1)} s), wrangler dev on this machine\n`);
  console.log('| route | median | p95 |');
  console.log('|---|---|---|');
  for (const [route, med, p] of api) console.log(`| \`GET ${route}\` | ${med.toFixed(0)} ms | ${p.toFixed(0)} ms |`);
  console.log(`| \`GET /api/admin/payments.csv\` (${csv.split('\r\n').length - 2} rows, ${(csv.length / 1e6).toFixed(1)} MB) | ${csvMs.toFixed(0)} ms | |`);
  console.log(`\ndashboard, navigation → first chart drawn: median ${median(firsts).toFixed(0)} ms of 5 (first load with cold isolates: ${firsts.cold.toFixed(0)} ms)`);
  console.log(`dashboard, navigation → all four charts: median ${median(alls).toFixed(0)} ms of 5 (cold: ${alls.cold.toFixed(0)} ms)`);
  console.log(`screenshot: test-artifacts/screenshots/admin-dashboard-10k.png`);
} finally {
  await app.stop();
}
