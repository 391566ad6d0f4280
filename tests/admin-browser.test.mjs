// The operator console (`/admin/`) in headless Chromium against the real Workers (wrangler dev:
// the main one serving static-site/dist, generated first, and forwarding `/api/admin/...` to the
// operator's Worker) with the panel and Telegram stand-ins. Signed in the cabinet's way (a
// signed Login Widget redirect, here back to /admin/): a customer gets "not an operator" and a
// 401 from the admin API; the admin gets the dashboard (KPIs matching rows seeded into D1, four
// charts drawn by uPlot), finds a customer, adds 7 days, refunds a Stars payment, previews and
// sends a broadcast, filters payments and edits a price. Any console error fails a test
// (strictPage), except the 401s the customer's visit is expected to log. axe finds no serious
// or critical problem; screenshots land in test-artifacts/screenshots/admin-*.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawnApp, REPO_ROOT, TEST_ADMIN_ID } from './helpers/app.mjs';
import { launchBrowser, strictPage } from './helpers/browser.mjs';
import { buy, eventually, panelUser, provisioned, startUser, DAY } from './helpers/shop.mjs';
import { freshIp, widgetPayload, Session } from './helpers/web.mjs';
import { buildSite, loadCatalogs, format } from '../scripts/site-build.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const SHOTS = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };
/** What Chromium logs for a 401 answer: expected on a customer's visit, and only there. */
const HTTP_401 = /^console error: Failed to load resource: the server responded with a status of 401\b/;

let app;
let browser;
let en;
let ru;
let nextUser = 7_600_000;

before(async () => {
  // The Worker serves static-site/dist (wrangler.toml [assets]): generate it first.
  await buildSite();
  const catalogs = await loadCatalogs(path.join(REPO_ROOT, 'shared', 'locales'));
  en = catalogs.get('en');
  ru = catalogs.get('ru');
  await fs.mkdir(SHOTS, { recursive: true });
  app = await spawnApp();
  browser = await launchBrowser();
  // Signing in through the widget needs a customer record: the admin starts the bot first.
  await startUser(app, TEST_ADMIN_ID, { username: 'the_admin', firstName: 'Operator' });
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

const tid = (id) => `[data-testid="${id}"]`;
const shot = (page, name, fullPage = true) => page.screenshot({ path: path.join(SHOTS, `admin-${name}.png`), fullPage });
const paymentOf = (publicId) => app.db('SELECT p.* FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.public_id = ?', publicId)[0];

/**
 * A strict page in a context of its own (own cookies, own client address for the sign-in rate
 * limit), Telegram's scripts answering an empty 200. `bypassCSP` only for axe, which Playwright
 * injects as an inline script.
 */
async function open(urlPath, { viewport = DESKTOP, bypassCSP = false } = {}) {
  const context = await browser.newContext({ viewport, bypassCSP, extraHTTPHeaders: { 'CF-Connecting-IP': freshIp() } });
  const page = await strictPage(context, { viewport });
  await page.route('https://telegram.org/**', (route) =>
    route.fulfill({ status: 200, contentType: 'application/javascript', body: '' }),
  );
  page.closeAll = () => context.close();
  if (urlPath) await page.goto(new URL(urlPath, app.url).href);
  return page;
}

/** The address Telegram's Login Widget sends Telegram user `id` back to. */
const widgetUrl = (id, base = '/admin/') =>
  `${base}?${new URLSearchParams(widgetPayload(app.tg.token, { id, first_name: 'Operator' }))}`;

/** The console, signed in as the admin (or `id`), on the dashboard (or what `hash` names). */
async function signedIn({ id = TEST_ADMIN_ID, base = '/admin/', ...opts } = {}) {
  const page = await open(widgetUrl(id, base), opts);
  await page.waitForSelector(`${tid('console')}:visible`, { timeout: 20_000 }).catch(async (err) => {
    const shown = await page.textContent(tid('error')).catch(() => '?');
    await page.closeAll();
    throw new Error(`the console never opened (page says "${shown}"; ${page.problems.join('; ')}): ${err.message}`);
  });
  return page;
}

/** Go to a section by its hash, as the side nav's links do. */
async function goTo(page, hash, view = hash.split('/')[0]) {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await page.waitForSelector(`${tid(`view-${view}`)}:visible`);
}

function assertClean(page, what, allowed = []) {
  const left = page.problems.filter((p) => !allowed.some((re) => re.test(p)));
  assert.deepEqual(left, [], `${what}: console errors`);
}

/** Waits until `selector`'s text is not empty; returns it trimmed. */
async function textOf(page, selector) {
  await page.waitForFunction((s) => document.querySelector(s)?.textContent.trim(), selector);
  return (await page.textContent(selector)).trim();
}

/** A customer with a provisioned monthly Stars subscription (in Telegram's ledger too, for refunds). */
async function subscriber() {
  const id = ++nextUser;
  await startUser(app, id);
  const { orderId, chargeId, invoice } = await buy(app, id);
  app.tg.ledgerPayment({ id: chargeId, userId: id, amount: invoice.amount, payload: invoice.payload });
  await provisioned(app, orderId);
  return { id, orderId, chargeId, invoice };
}

/**
 * Customers and payments written straight into D1, at known ages: revenue in dollars, rupees
 * and rupiah (the bot's purchases in these tests are all Stars), one pending and one refunded
 * payment that must not count.
 */
function seedShop() {
  const now = Math.floor(Date.now() / 1000);
  const ages = [0, 0, 3 * DAY, 10 * DAY, 40 * DAY];
  const ids = ages.map((age, i) => {
    const id = 7_500_000 + i;
    app.db(
      'INSERT INTO users (telegram_id, username, first_name, referral_code, locale, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      id, `seeded_${i}`, `Seeded${i}`, `sd${'abcdefgh'[i]}xyzqw`, 'en', now - age, now - age,
    );
    return id;
  });
  const pays = [
    // [customer, provider, minor, currency, status, age]
    [0, 'cryptopay', 200, 'USD', 'completed', 0],
    [1, 'cryptopay', 600, 'USD', 'completed', 3 * DAY],
    [2, 'cryptopay', 1200, 'USD', 'completed', 20 * DAY],
    [3, 'cryptopay', 5000, 'USD', 'completed', 40 * DAY],
    [0, 'cryptopay', 999, 'USD', 'pending', 0],
    [1, 'cryptopay', 777, 'USD', 'refunded', DAY],
    [2, 'razorpay', 16900, 'INR', 'completed', 2 * DAY],
    [3, 'xendit', 32000, 'IDR', 'completed', 0],
  ];
  pays.forEach(([who, provider, minor, currency, status, age], i) => {
    const at = now - age;
    const order = `seed_order_${i}`;
    app.db(
      `INSERT INTO orders (public_id, user_id, plan_id, kind, provider, amount_minor, currency, days, status, created_at, updated_at, paid_at, provisioned_at, notified_at)
       VALUES (?, (SELECT id FROM users WHERE telegram_id = ?), (SELECT id FROM plans WHERE slug = 'monthly'), 'purchase', ?, ?, ?, 30, ?, ?, ?, ?, ?, ?)`,
      order, ids[who], provider, minor, currency, status === 'pending' ? 'pending' : status === 'refunded' ? 'refunded' : 'provisioned',
      at, at, at, at, at,
    );
    app.db(
      `INSERT INTO payments (order_id, user_id, provider, amount_minor, currency, external_id, status, idempotency_key, created_at, updated_at)
       VALUES ((SELECT id FROM orders WHERE public_id = ?), (SELECT id FROM users WHERE telegram_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)`,
      order, ids[who], provider, minor, currency, `seed-ext-${i}`, status, `${provider}:seed-${i}`, at, at,
    );
  });
  return { now };
}

test('a customer gets "not an operator" and a 401 from the admin API; a visitor gets the sign-in', async () => {
  const id = ++nextUser;
  await startUser(app, id);

  // The API refuses the customer's session (outside the browser too).
  const customer = new Session(app);
  assert.equal((await customer.widget(id)).status, 200);
  assert.equal((await customer.json('/api/admin/stats')).status, 401);

  const page = await open(widgetUrl(id));
  try {
    await page.waitForSelector(`${tid('not-admin')}:visible`, { timeout: 20_000 });
    assert.ok(await page.isHidden(tid('console')));
    assert.ok(await page.isHidden(tid('signin')));
    assert.equal((await page.textContent('#h-not-admin')).trim(), format(en, 'adm-not-admin-title'));
    assert.equal(new URL(page.url()).search, '', 'the widget fields are gone from the address bar');
    const status = await page.evaluate(async () => (await fetch('/api/admin/stats', { credentials: 'same-origin' })).status);
    assert.equal(status, 401);
    assert.ok(page.problems.some((p) => HTTP_401.test(p)), `the admin API answered 401 (${page.problems})`);
    assertClean(page, 'customer', [HTTP_401]);

    // Signing out from there shows the sign-in.
    await page.click(tid('not-admin-signout'));
    await page.waitForSelector(`${tid('signin')}:visible`);
  } finally {
    await page.closeAll();
  }

  // A visitor without a session: the sign-in, and no call to /api/me or the admin API.
  const anonymous = await open(null);
  try {
    const calls = [];
    anonymous.on('request', (r) => {
      const p = new URL(r.url()).pathname;
      if (p.startsWith('/api/me') || p.startsWith('/api/admin/')) calls.push(p);
    });
    await anonymous.goto(new URL('/admin/', app.url).href);
    await anonymous.waitForSelector(`${tid('signin')}:visible`);
    await anonymous.waitForLoadState('networkidle');
    assert.deepEqual(calls, []);
    assertClean(anonymous, 'anonymous');
  } finally {
    await anonymous.closeAll();
  }

  // The console may not be framed (unlike the cabinet).
  const res = await app.fetch('/admin/');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/);
});

test('the dashboard: KPIs match the seeded rows and the four charts are drawn', async () => {
  seedShop();
  const todayStart = Math.floor(Date.now() / 1000 / DAY) * DAY;
  const users = app.db('SELECT count(*) AS n FROM users')[0].n;
  const usersToday = app.db('SELECT count(*) AS n FROM users WHERE created_at >= ?', todayStart)[0].n;

  for (const [viewport, name] of [[DESKTOP, 'dashboard'], [PHONE, 'dashboard-mobile']]) {
    const page = await signedIn({ viewport });
    try {
      await page.waitForSelector(`${tid('kpi-users')} .kpi-value`, { timeout: 20_000 });
      assert.equal(await page.getAttribute(`${tid('kpi-users')} .kpi-value`, 'data-value'), String(users));
      assert.equal(await page.getAttribute(tid('kpi-users-new'), 'data-today'), String(usersToday));

      // Revenue (minor units in data-value, money in the text): completed payments only.
      const cell = (currency, period) => `${tid('kpi-revenue')} tr[data-currency="${currency}"] td[data-period="${period}"]`;
      const want = {
        USD: { today: [200, '$2.00'], d7: [800, '$8.00'], d30: [2000, '$20.00'] },
        INR: { today: [0, '₹0.00'], d7: [16900, '₹169.00'], d30: [16900, '₹169.00'] },
        IDR: { today: [32000, 'Rp 32,000'], d7: [32000, 'Rp 32,000'], d30: [32000, 'Rp 32,000'] },
      };
      for (const [currency, periods] of Object.entries(want)) {
        for (const [period, [minor, text]] of Object.entries(periods)) {
          assert.equal(await page.getAttribute(cell(currency, period), 'data-value'), String(minor), `${currency} ${period}`);
          assert.equal((await page.textContent(cell(currency, period))).replace(/\s/g, ' ').trim(), text, `${currency} ${period}`);
        }
      }

      // Every chart: a canvas with a size and something drawn on it.
      for (const chart of ['revenue', 'new-paying', 'active', 'plan-mix']) {
        await page.waitForSelector(`${tid(`chart-${chart}`)} .uplot canvas`);
      }
      for (const currency of ['USD', 'INR', 'IDR']) {
        assert.ok(await page.$(`#chart-revenue [data-currency="${currency}"] canvas`), `a revenue chart in ${currency}`);
      }
      await page.waitForFunction(() => {
        const canvases = [...document.querySelectorAll('#view-dashboard .uplot canvas')];
        return canvases.length >= 6 && canvases.every((c) => {
          if (!c.width || !c.height) return false;
          const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
          return false;
        });
      }, null, { timeout: 10_000 });
      const sizes = await page.$$eval('#view-dashboard .uplot canvas', (cs) => cs.map((c) => [c.width, c.height]));
      assert.ok(sizes.every(([w, h]) => w > 0 && h > 0), JSON.stringify(sizes));
      const mix = await page.getAttribute(`${tid('chart-plan-mix')} canvas`, 'aria-label');
      assert.ok(mix.includes(format(en, 'plan-monthly')), mix);

      if (viewport === PHONE) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the console is ${overflow}px wider than the phone`);
      }
      await shot(page, name);
      assertClean(page, name);
    } finally {
      await page.closeAll();
    }
  }
});

test('find a customer, open the file and add 7 days: a bonus order and an audit row', async () => {
  const s = await subscriber();
  const page = await signedIn();
  try {
    await page.click(tid('nav-users'));
    await page.waitForSelector(`#users-rows ${tid('user-row')}`);
    await page.fill(tid('user-q'), String(s.id));
    await page.click(tid('user-search-submit'));
    await page.waitForFunction((id) => {
      const rows = document.querySelectorAll('#users-rows [data-testid="user-row"]');
      return rows.length === 1 && rows[0].dataset.id === String(id);
    }, s.id);
    await page.click(`#users-rows ${tid('user-row')}[data-id="${s.id}"] ${tid('user-link')}`);
    await page.waitForSelector(`${tid('view-user')}:visible`);
    assert.equal(new URL(page.url()).hash, `#users/${s.id}`);
    assert.equal(await textOf(page, tid('user-id')), String(s.id));
    assert.equal(await textOf(page, tid('user-plan')), format(en, 'plan-monthly'));
    assert.equal(await textOf(page, tid('user-status')), format(en, 'status-active'));
    const payment = paymentOf(s.orderId);
    await page.waitForSelector(`#user-payments ${tid('payment-row')}[data-payment-id="${payment.id}"][data-status="completed"]`);

    await page.fill(tid('extend-days'), '7');
    await page.click(tid('extend'));
    await page.waitForSelector('#confirm[open]');
    assert.equal((await page.textContent('#confirm-text')).trim(), format(en, 'adm-confirm-extend', { days: 7 }));
    await page.click(tid('confirm-ok'));
    assert.equal(await textOf(page, tid('notice')), format(en, 'adm-done-extend', { days: 7 }));

    const bonus = await eventually(() => {
      const rows = app.db("SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? AND o.kind = 'bonus'", s.id);
      return rows.length ? rows : null;
    }, { what: 'the bonus order' });
    assert.equal(bonus.length, 1, 'one bonus order for one press');
    assert.equal(bonus[0].days, 7);
    const audit = app.db("SELECT * FROM audit_log WHERE action = 'user.extend' AND subject = ?", `user:${s.id}`);
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor, `admin:${TEST_ADMIN_ID}`);
    // The file shows both after the action.
    await page.waitForSelector(`${tid('order-row')}[data-kind="bonus"]`);
    await page.waitForSelector(`${tid('audit-row')}[data-action="user.extend"]`);
    await page.waitForFunction(() => !document.querySelector('[data-testid="notice"]').textContent.trim(), null, { timeout: 15_000 });
    await shot(page, 'user');
    assertClean(page, 'extend');

    // The panel down: the press fails with 503, and the page asks again with the same key
    // (the answer might have come after the effect) until the server says that 503 is the
    // stored answer. Nothing ran twice; pressing again later is a new request that works.
    const route = `POST /api/admin/users/${s.id}/disable`;
    app.panel.down();
    await page.click(tid('act-disable'));
    await page.click(tid('confirm-ok'));
    await page.waitForFunction(() => document.querySelector('#errors')?.textContent.trim(), null, { timeout: 30_000 });
    assert.deepEqual(app.db('SELECT status FROM admin_requests WHERE route = ?', route), [{ status: 503 }]);
    app.panel.up();
    await page.click(tid('act-disable'));
    await page.click(tid('confirm-ok'));
    assert.equal(await textOf(page, tid('notice')), format(en, 'adm-done'));
    assert.deepEqual(app.db('SELECT status FROM admin_requests WHERE route = ? ORDER BY created_at, status', route).map((r) => r.status).sort(), [200, 503]);
    assert.equal(app.db("SELECT count(*) AS n FROM audit_log WHERE action = 'user.disable' AND subject = ?", `user:${s.id}`)[0].n, 1);
    assert.equal(panelUser(app, s.id).status, 'DISABLED');
    assertClean(page, 'disable', [/status of 503/]);
  } finally {
    await page.closeAll();
  }
});

test("refund a Stars payment from the customer's file: confirmed first, then refundStarPayment", async () => {
  const s = await subscriber();
  const payment = paymentOf(s.orderId);
  const page = await signedIn();
  try {
    await goTo(page, `users/${s.id}`, 'user');
    const row = `#user-payments ${tid('payment-row')}[data-payment-id="${payment.id}"]`;
    await page.waitForSelector(`${row}[data-status="completed"] ${tid('refund')}`);
    assert.equal((await page.textContent(`${row} ${tid('payment-amount')}`)).trim(), `⭐${s.invoice.amount}`);

    // Cancel first: nothing happens.
    await page.click(`${row} ${tid('refund')}`);
    await page.waitForSelector('#confirm[open]');
    await page.click(tid('confirm-cancel'));
    await page.waitForFunction(() => !document.getElementById('confirm').open);
    assert.equal(paymentOf(s.orderId).status, 'completed');

    await page.click(`${row} ${tid('refund')}`);
    await page.waitForSelector('#confirm[open]');
    assert.equal((await page.textContent('#confirm-text')).trim(),
      format(en, 'adm-refund-confirm', { id: String(payment.id), amount: `⭐${s.invoice.amount}` }));
    await page.click(tid('confirm-ok'));
    await page.waitForSelector(`${row}[data-status="refunded"]`, { timeout: 20_000 });
    assert.equal(await textOf(page, tid('notice')), format(en, 'adm-refund-done', { id: String(payment.id) }));
    assert.equal(await page.$(`${row} ${tid('refund')}`), null, 'no refund button on a refunded payment');

    const calls = app.tg.callsTo('refundStarPayment').filter((c) => String(c.body.telegram_payment_charge_id) === s.chargeId);
    assert.equal(calls.length, 1);
    assert.equal(String(calls[0].body.user_id), String(s.id));
    assert.equal(paymentOf(s.orderId).status, 'refunded');
    const audit = app.db("SELECT * FROM audit_log WHERE action = 'payment.refund' AND subject = ?", `payment:${payment.id}`);
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor, `admin:${TEST_ADMIN_ID}`);
    assertClean(page, 'refund');
  } finally {
    await page.closeAll();
  }
});

test('a broadcast preview shows the text as customers will see it, with the recipient count; sending shows live progress', async () => {
  const page = await signedIn();
  try {
    await page.click(tid('nav-broadcast'));
    await page.waitForSelector(`${tid('view-broadcast')}:visible`);
    const text = 'Big <b>news</b> &amp; <i>more</i> <script>alert(1)</script> <a href="https://example.com/x">read</a> <a href="javascript:alert(1)">bad</a>\n'
      + 'button: Open | https://example.com/open';
    await page.fill(tid('bc-text'), text);
    await page.click(tid('bc-preview-btn'));
    await page.waitForSelector(`${tid('bc-preview')}:visible`);

    // Plain text, as the bot sends it (escaped): nothing in it becomes markup.
    const bubble = page.locator(tid('bc-bubble'));
    assert.equal(await bubble.locator('*').count(), 0, 'no element from the text');
    assert.equal(await bubble.textContent(), text.split('\nbutton:')[0]);
    assert.equal(await page.getAttribute(tid('bc-button'), 'href'), 'https://example.com/open');
    assert.equal((await page.textContent(tid('bc-button'))).trim(), 'Open');

    // Everyone who has not blocked the bot (no language filter).
    const recipients = app.db('SELECT count(*) AS n FROM users WHERE is_blocked = 0')[0].n;
    assert.equal(await page.getAttribute(tid('bc-recipients'), 'data-value'), String(recipients));
    assert.equal((await page.textContent(tid('bc-recipients'))).trim(), format(en, 'adm-bc-recipients', { n: recipients }));
    assert.equal(app.db('SELECT count(*) AS n FROM broadcasts')[0].n, 0, 'a preview changes nothing');
    await shot(page, 'broadcast-preview');

    // Send: asked first, then the progress until it is done.
    await page.fill(tid('bc-text'), 'Console news <b>today</b>');
    await page.click(tid('bc-send'));
    await page.waitForSelector('#confirm[open]');
    assert.equal((await page.textContent('#confirm-text')).trim(), format(en, 'adm-bc-confirm', { n: recipients }));
    await page.click(tid('confirm-ok'));
    await page.waitForSelector(`${tid('bc-progress')}:visible`, { timeout: 20_000 });
    await page.waitForSelector(`${tid('bc-progress')}[data-status="done"]`, { timeout: 90_000 });
    const [b] = app.db('SELECT * FROM broadcasts ORDER BY id DESC LIMIT 1');
    assert.equal(b.status, 'done');
    const counts = Object.fromEntries(app.db('SELECT status, count(*) AS n FROM broadcast_recipients WHERE broadcast_id = ? GROUP BY status', b.id).map((r) => [r.status, r.n]));
    assert.equal((await page.textContent(tid('bc-progress-text'))).trim(),
      format(en, 'adm-bc-progress', { sent: counts.sent ?? 0, blocked: counts.blocked ?? 0, failed: counts.failed ?? 0, pending: 0 }));
    assert.equal(await page.$eval(tid('bc-bar'), (bar) => bar.value === bar.max), true, 'the bar is full');
    await page.waitForSelector(`${tid('bc-row')}[data-id="${b.id}"][data-status="done"]`);
    assertClean(page, 'broadcast');
  } finally {
    await page.closeAll();
  }
});

test('payments: filter by channel, page through, and the CSV link carries the filters', async () => {
  const page = await signedIn();
  try {
    await page.click(tid('nav-payments'));
    await page.waitForSelector(`#payments-rows ${tid('payment-row')}`);
    const all = app.db('SELECT count(*) AS n FROM payments')[0].n;
    assert.equal(await page.locator(`#payments-rows ${tid('payment-row')}`).count(), Math.min(all, 50));

    await page.selectOption(tid('pf-provider'), 'stars');
    await page.click(tid('pf-apply'));
    const stars = app.db("SELECT count(*) AS n FROM payments WHERE provider = 'stars'")[0].n;
    await page.waitForFunction((n) => {
      const rows = [...document.querySelectorAll('#payments-rows [data-testid="payment-row"]')];
      return rows.length === n;
    }, Math.min(stars, 50));
    const href = await page.getAttribute(tid('payments-csv'), 'href');
    assert.equal(href, '/api/admin/payments.csv?provider=stars');
    const csv = await page.evaluate(async (url) => {
      const res = await fetch(url, { credentials: 'same-origin' });
      return { status: res.status, type: res.headers.get('content-type'), lines: (await res.text()).split('\r\n').filter(Boolean).length };
    }, href);
    assert.equal(csv.status, 200);
    assert.match(csv.type, /^text\/csv/);
    assert.equal(csv.lines, stars + 1, 'a header and one line per Stars payment');
    // The button itself: fetched (so a refused export shows as an error), saved as a file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(tid('payments-csv'))]);
    assert.equal(download.suggestedFilename(), 'payments.csv');
    const saved = await fs.readFile(await download.path(), 'utf8');
    assert.equal(saved.split('\r\n').filter(Boolean).length, stars + 1);

    await page.selectOption(tid('pf-provider'), '');
    await page.click(tid('pf-apply'));
    await page.waitForFunction((n) => document.querySelectorAll('#payments-rows [data-testid="payment-row"]').length === n, Math.min(all, 50));
    await shot(page, 'payments');
    assertClean(page, 'payments');
  } finally {
    await page.closeAll();
  }
});

test('plans: a price is shown in major units and saved in minor units', async () => {
  const page = await signedIn();
  const price = (currency) =>
    app.db("SELECT amount_minor FROM plan_prices WHERE currency = ? AND plan_id = (SELECT id FROM plans WHERE slug = 'monthly')", currency)[0]?.amount_minor;
  try {
    await page.click(tid('nav-plans'));
    const form = `${tid('plan-form')}[data-plan="monthly"]`;
    await page.waitForSelector(form);
    assert.equal(await page.inputValue('#plan-monthly-price-USD'), (price('USD') / 100).toFixed(2));
    assert.equal(await page.inputValue('#plan-monthly-price-XTR'), String(price('XTR')));
    await shot(page, 'plans');

    const before = { USD: price('USD'), XTR: price('XTR') };
    const shown = await page.$(form);
    await page.fill('#plan-monthly-price-USD', '2.50');
    await page.click(`${form} ${tid('plan-save')}`);
    assert.equal(await textOf(page, tid('notice')), format(en, 'adm-plan-saved', { plan: 'Monthly' }));
    // The forms are drawn again from the saved plans.
    await page.waitForFunction((el) => !el.isConnected, shown);
    assert.equal(await page.inputValue('#plan-monthly-price-USD'), '2.50');
    assert.equal(price('USD'), 250);
    assert.equal(price('XTR'), before.XTR, 'other prices are kept');
    const audit = app.db("SELECT * FROM audit_log WHERE action = 'plan.edit' AND subject = 'plan:monthly' ORDER BY id DESC LIMIT 1")[0];
    assert.equal(JSON.parse(audit.details).after.prices.USD, 250);

    // Put it back.
    await page.fill('#plan-monthly-price-USD', (before.USD / 100).toFixed(2));
    await page.click(`${form} ${tid('plan-save')}`);
    await eventually(() => price('USD') === before.USD, { what: 'the price put back', timeoutMs: 10_000 });
    assertClean(page, 'plans');
  } finally {
    await page.closeAll();
  }
});

test('the console speaks the page language', async () => {
  const page = await signedIn({ base: '/ru/admin/' });
  try {
    assert.equal(await page.getAttribute('html', 'lang'), 'ru');
    assert.equal((await page.textContent(tid('nav-users'))).trim(), format(ru, 'adm-nav-users'));
    await page.waitForSelector(`${tid('kpi-users')} h3`);
    assert.equal((await page.textContent(`${tid('kpi-users')} h3`)).trim(), format(ru, 'adm-kpi-users'));
    assertClean(page, 'ru');
  } finally {
    await page.closeAll();
  }
});

test('axe finds no serious or critical violations in the console', async () => {
  const s = await subscriber();
  const page = await signedIn({ bypassCSP: true });
  const failures = [];
  try {
    const check = async (where) => {
      await page.waitForLoadState('networkidle');
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
      });
      for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') failures.push({ where, ...v });
    };
    await page.waitForSelector(`${tid('chart-plan-mix')} canvas`);
    await page.addScriptTag({ path: AXE });
    await check('dashboard');
    await goTo(page, `users/${s.id}`, 'user');
    await page.waitForSelector(`#user-payments ${tid('payment-row')}`);
    await check('user');
    await goTo(page, 'users');
    await page.waitForSelector(`#users-rows ${tid('user-row')}`);
    await check('users');
    await goTo(page, 'payments');
    await page.waitForSelector(`#payments-rows ${tid('payment-row')}`);
    await check('payments');
    await goTo(page, 'plans');
    await page.waitForSelector(tid('plan-form'));
    await check('plans');
    await goTo(page, 'promos');
    await page.waitForSelector('#promo-rows tr');
    await check('promos');
    await goTo(page, 'broadcast');
    await page.fill(tid('bc-text'), 'Hello <b>there</b>');
    await page.click(tid('bc-preview-btn'));
    await page.waitForSelector(`${tid('bc-preview')}:visible`);
    await check('broadcast');
    await goTo(page, 'nodes');
    await page.waitForSelector('#node-rows tr');
    await check('nodes');
    assertClean(page, 'axe');
  } finally {
    await page.closeAll();
  }
  assert.deepEqual(failures, []);
});
