// The customer cabinet (`/app/`) in headless Chromium against the real Worker (wrangler dev,
// static-site/dist generated first) with the panel, Telegram and provider stand-ins: sign-in
// through a signed Login Widget redirect (and a tampered one refused), the Mini App's
// `#tgWebAppData`, a subscriber's facts, QR and link, copying the link, removing a device
// through the confirm dialog, and a Razorpay checkout that reaches the provider stand-in.
// Any console error fails a test (strictPage), except the one 401 a refused sign-in is
// expected to log. Telegram's scripts and the payment page are stubbed so nothing leaves the
// machine; screenshots of each state land in test-artifacts/screenshots/cabinet-*.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { spawnApp, REPO_ROOT } from './helpers/app.mjs';
import { launchBrowser, strictPage } from './helpers/browser.mjs';
import { buy, eventually, panelUser, provisioned, startUser } from './helpers/shop.mjs';
import { freshIp, initData, widgetPayload } from './helpers/web.mjs';
import { makeDevice } from './fakes/remnawave.mjs';
import { buildSite, loadCatalogs, format } from '../scripts/site-build.mjs';

const SHOTS = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };
/** What Chromium logs for the 401 of a refused sign-in: expected there, and only there. */
const SIGNIN_401 = /^console error: Failed to load resource: the server responded with a status of 401\b/;

let app;
let browser;
let en;
let nextUser = 7_300_000;

before(async () => {
  // The Worker serves static-site/dist (wrangler.toml [assets]): generate it first.
  await buildSite();
  en = (await loadCatalogs(path.join(REPO_ROOT, 'shared', 'locales'))).get('en');
  await fs.mkdir(SHOTS, { recursive: true });
  app = await spawnApp({ providers: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

const tid = (id) => `[data-testid="${id}"]`;
const shot = (page, name, fullPage = true) => page.screenshot({ path: path.join(SHOTS, `cabinet-${name}.png`), fullPage });

/**
 * A strict page in a context of its own (own cookies, own client address for the sign-in rate
 * limit). Telegram's scripts answer an empty 200; the Razorpay pay page answers 204, so the
 * cabinet's redirect to it is recorded in `page.offsite` and the cabinet stays on screen.
 */
async function open(urlPath, { viewport = DESKTOP, permissions } = {}) {
  const context = await browser.newContext({ viewport, extraHTTPHeaders: { 'CF-Connecting-IP': freshIp() } });
  if (permissions) await context.grantPermissions(permissions, { origin: app.url });
  const page = await strictPage(context, { viewport });
  page.offsite = [];
  await page.route('https://telegram.org/**', (route) =>
    route.fulfill({ status: 200, contentType: 'application/javascript', body: '' }),
  );
  await page.route('https://rzp.io/**', (route) => {
    page.offsite.push(route.request().url());
    return route.fulfill({ status: 204, body: '' });
  });
  page.context = () => context;
  page.closeAll = () => context.close();
  if (urlPath) await page.goto(new URL(urlPath, app.url).href);
  return page;
}

/** The address Telegram's Login Widget redirects back to, for `user`. */
const widgetUrl = (payload, base = '/app/') => `${base}?${new URLSearchParams(payload)}`;

/** A signed-in cabinet for Telegram user `id` (who has started the bot), loaded. */
async function signedIn(id, opts) {
  const page = await open(widgetUrl(widgetPayload(app.tg.token, { id, first_name: 'Browser' })), opts);
  await page.waitForSelector('#cabinet:not([hidden])', { timeout: 20_000 }).catch(async (err) => {
    const shown = await page.textContent(tid('error')).catch(() => '?');
    await page.closeAll();
    throw new Error(`the cabinet never opened (page says "${shown}"; ${page.problems.join('; ')}): ${err.message}`);
  });
  return page;
}

function assertClean(page, what, allowed = []) {
  const left = page.problems.filter((p) => !allowed.some((re) => re.test(p)));
  assert.deepEqual(left, [], `${what}: console errors`);
}

async function cookieNames(page) {
  // Every cookie of the context: the session's live under Path=/api and /api/auth.
  return (await page.context().cookies()).map((c) => c.name).sort();
}

/** A customer with a provisioned monthly subscription and two devices on the panel. */
async function subscriber() {
  const id = ++nextUser;
  await startUser(app, id);
  const { orderId } = await buy(app, id);
  await provisioned(app, orderId);
  const panel = panelUser(app, id);
  assert.ok(panel, 'the panel user exists');
  const phone = makeDevice(panel.id, { platform: 'iOS', osVersion: '18', deviceModel: 'iPhone 15' });
  const laptop = makeDevice(panel.id, { platform: 'Windows', osVersion: '11', deviceModel: 'ThinkPad X1' });
  app.panel.devices.set(panel.id, [phone, laptop]);
  return { id, panel, phone, laptop };
}

test('a signed Login Widget redirect signs in; a tampered one is refused and sets no cookie', async () => {
  const id = ++nextUser;
  await startUser(app, id);

  let page = await signedIn(id);
  try {
    await page.waitForSelector(`${tid('no-subscription')}:visible`);
    assert.equal((await page.textContent(tid('no-subscription'))).trim(), format(en, 'app-no-sub'));
    const url = new URL(page.url());
    assert.equal(url.pathname, '/app/');
    assert.equal(url.search, '', 'the widget fields are gone from the address bar');
    assert.deepEqual(await cookieNames(page), ['wg_refresh', 'wg_session']);
    assert.equal(await page.evaluate(() => localStorage.getItem('wg_signed_in')), '1');
    assert.ok(await page.isHidden(tid('signin')));
    assert.ok(await page.isHidden('#sub-facts'), 'no facts without a subscription');
    // The buy section is there for a customer without a subscription.
    await page.waitForSelector(`${tid('buy')}[data-plan="monthly"][data-method="stars"]`);
    await page.waitForSelector(`${tid('referral-link')}`);
    assert.match(await page.inputValue(tid('referral-link')), /^https:\/\/t\.me\/WavegateTestBot\?start=/);
    await shot(page, 'no-subscription');
    assertClean(page, 'signed in');

    // A reload in the same browser: the marker makes the cabinet ask /api/me, still signed in.
    await page.reload();
    await page.waitForSelector(`${tid('no-subscription')}:visible`);
    assertClean(page, 'reload');
  } finally {
    await page.closeAll();
  }

  // Signed, then first_name changed: the hash no longer matches.
  const tampered = { ...widgetPayload(app.tg.token, { id, first_name: 'Browser' }), first_name: 'Mallory' };
  page = await open(widgetUrl(tampered));
  try {
    await page.waitForSelector(`${tid('signin')}:visible`, { timeout: 20_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="error"]').textContent.trim() !== '');
    assert.equal((await page.textContent(tid('error'))).trim(), format(en, 'app-error-signin'));
    assert.ok(await page.isHidden('#cabinet'));
    assert.ok(await page.isVisible(tid('open-telegram')));
    assert.equal(new URL(page.url()).search, '', 'the refused fields are dropped from the address bar too');
    assert.deepEqual(await cookieNames(page), []);
    assert.equal(await page.evaluate(() => localStorage.getItem('wg_signed_in')), null);
    await shot(page, 'signin-refused');
    assert.ok(page.problems.some((p) => SIGNIN_401.test(p)), `the refused sign-in was a 401 (${page.problems})`);
    assertClean(page, 'tampered sign-in', [SIGNIN_401]);
  } finally {
    await page.closeAll();
  }

  // An anonymous visitor: the sign-in panel, and no call to /api/me at all.
  page = await open(null);
  try {
    const calls = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/me')) calls.push(r.url());
    });
    await page.goto(new URL('/app/', app.url).href);
    await page.waitForSelector(`${tid('signin')}:visible`);
    await page.waitForLoadState('networkidle');
    assert.deepEqual(calls, []);
    assertClean(page, 'anonymous');
  } finally {
    await page.closeAll();
  }
});

test('the Mini App signs in from #tgWebAppData', async () => {
  const id = ++nextUser;
  const data = initData(app.tg.token, { id, first_name: 'Mini' });
  const page = await open(`/app/#tgWebAppData=${encodeURIComponent(data)}`, { viewport: PHONE });
  try {
    await page.waitForSelector(`${tid('no-subscription')}:visible`, { timeout: 20_000 });
    assert.deepEqual(await cookieNames(page), ['wg_refresh', 'wg_session']);
    assert.equal(app.db('SELECT COUNT(*) AS n FROM users WHERE telegram_id = ?', id)[0].n, 1);
    await shot(page, 'miniapp-mobile');
    assertClean(page, 'mini app');
  } finally {
    await page.closeAll();
  }
});

test('a subscriber sees plan, status, expiry, traffic, device limit, the QR and the exact link', async () => {
  const s = await subscriber();
  for (const [viewport, name] of [[PHONE, 'subscriber-mobile'], [DESKTOP, 'subscriber']]) {
    const page = await signedIn(s.id, { viewport });
    try {
      await page.waitForSelector(`${tid('plan')}:visible`);
      assert.ok(await page.isHidden(tid('no-subscription')));
      assert.equal((await page.textContent(tid('plan'))).trim(), format(en, 'plan-monthly'));
      assert.equal((await page.textContent(tid('status'))).trim(), format(en, 'status-active'));
      const expiry = (await page.textContent(tid('expiry'))).trim();
      assert.ok(expiry && expiry !== '—', `expiry shown: ${expiry}`);
      const year = String(new Date(s.panel.expireAt).getUTCFullYear());
      assert.ok(expiry.includes(year), `${expiry} names ${year}`);
      assert.match(await page.textContent(tid('traffic')), /GB/);
      assert.ok(await page.isVisible('#traffic-bar-wrap'), 'a limited plan shows the bar');
      assert.match(await page.getAttribute(tid('traffic-bar'), 'style'), /width:\s*\d+%/);
      assert.equal((await page.textContent(tid('device-limit'))).trim(), '3');

      assert.equal(await page.inputValue(tid('link')), s.panel.subscriptionUrl);
      assert.equal(await page.getAttribute(tid('link'), 'readonly'), '');
      assert.equal(await page.getAttribute(tid('qr'), 'data-src'), '/api/me/qr.svg');
      await page.waitForFunction(() => document.querySelector('[data-testid="qr"]').src.startsWith('data:image/svg+xml'));
      await page.waitForFunction(() => {
        const img = document.querySelector('[data-testid="qr"]');
        return img.complete && img.naturalWidth > 0;
      }, null, { timeout: 15_000 });
      assert.ok(await page.isVisible(tid('qr')));
      const hiddify = await page.getAttribute('[data-deeplink="hiddify"]', 'href');
      assert.equal(hiddify, `hiddify://import/${s.panel.subscriptionUrl}`);
      assert.equal(
        await page.getAttribute('[data-deeplink="v2rayng"]', 'href'),
        `v2rayng://install-sub?url=${encodeURIComponent(s.panel.subscriptionUrl)}`,
      );

      await page.waitForSelector(`${tid('device')}[data-hwid="${s.phone.hwid}"]`);
      assert.equal(await page.locator(tid('device')).count(), 2);
      assert.match(await page.textContent(tid('devices-count')), /2\D+3/);

      if (viewport === PHONE) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the cabinet is ${overflow}px wider than the phone`);
      }
      await shot(page, name);
      assertClean(page, name);
    } finally {
      await page.closeAll();
    }
  }
});

test('copy puts exactly the subscription link on the clipboard', async () => {
  const s = await subscriber();
  const page = await signedIn(s.id, { permissions: ['clipboard-read', 'clipboard-write'] });
  try {
    await page.waitForSelector(`${tid('copy')}:visible`);
    const link = await page.inputValue(tid('link'));
    assert.equal(link, s.panel.subscriptionUrl);
    await page.evaluate(() => navigator.clipboard.writeText('something else'));
    await page.click(tid('copy'));
    await page.waitForFunction(() => document.querySelector('[data-testid="notice"]').textContent.trim() !== '');
    assert.equal((await page.textContent(tid('notice'))).trim(), format(en, 'app-copied'));
    assert.equal((await page.textContent(tid('copy'))).trim(), format(en, 'app-copied'));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    await shot(page, 'copied');
    assertClean(page, 'copy');
  } finally {
    await page.closeAll();
  }
});

test('removing a device asks first, then the row and the panel device are gone', async () => {
  const s = await subscriber();
  const page = await signedIn(s.id);
  try {
    const row = (hwid) => `${tid('device')}[data-hwid="${hwid}"]`;
    await page.waitForSelector(row(s.phone.hwid));

    // Cancel first: nothing happens.
    await page.click(`${row(s.phone.hwid)} ${tid('device-remove')}`);
    await page.waitForSelector('#confirm[open]');
    await page.click(tid('confirm-cancel'));
    await page.waitForFunction(() => !document.getElementById('confirm').open);
    assert.equal(await page.locator(tid('device')).count(), 2);
    assert.equal(app.panel.devices.get(s.panel.id).length, 2);

    await page.click(`${row(s.phone.hwid)} ${tid('device-remove')}`);
    await page.waitForSelector('#confirm[open]');
    assert.ok(await page.isVisible(tid('confirm-ok')));
    await page.locator('#confirm').scrollIntoViewIfNeeded();
    await shot(page, 'confirm-remove', false); // the modal's backdrop covers the viewport only
    await page.click(tid('confirm-ok'));
    await page.waitForSelector(row(s.phone.hwid), { state: 'detached', timeout: 15_000 });
    await page.waitForSelector(row(s.laptop.hwid));
    assert.equal(await page.locator(tid('device')).count(), 1);
    assert.match(await page.textContent(tid('devices-count')), /1\D+3/);
    assert.equal((await page.textContent(tid('notice'))).trim(), format(en, 'app-device-removed'));
    assert.deepEqual(app.panel.devices.get(s.panel.id).map((d) => d.hwid), [s.laptop.hwid]);
    await shot(page, 'device-removed');
    assertClean(page, 'remove device');
  } finally {
    await page.closeAll();
  }
});

test('buying with Razorpay makes a pending ₹169 order at the provider and shows the pay link', async () => {
  const id = ++nextUser;
  await startUser(app, id);
  const linksBefore = new Set(app.providers.razorpay.links.keys());
  const page = await signedIn(id);
  try {
    const button = `${tid('buy')}[data-plan="monthly"][data-method="razorpay"]`;
    await page.waitForSelector(button);
    assert.match(await page.textContent(button), /₹169/);
    await page.click(button);
    await page.waitForSelector(`${tid('checkout-result')} ${tid('pay-link')}`, { timeout: 20_000 });

    const order = app.db(
      'SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? ORDER BY o.id DESC', id,
    );
    assert.equal(order.length, 1, 'one order');
    assert.equal(order[0].status, 'pending');
    assert.equal(order[0].amount_minor, 16900);
    assert.equal(order[0].currency, 'INR');

    const created = [...app.providers.razorpay.links.values()].filter((l) => !linksBefore.has(l.id));
    assert.equal(created.length, 1, 'the stand-in got one payment link');
    const [link] = created;
    assert.equal(link.amount, 16900);
    assert.equal(link.currency, 'INR');
    assert.equal(link.reference_id, order[0].public_id);
    assert.equal(order[0].external_id, link.id);

    assert.equal(await page.getAttribute(tid('pay-link'), 'href'), link.short_url);
    assert.match(await page.textContent(tid('pay-link')), /₹169/);
    // The cabinet sent the browser on to the pay page (stubbed here, never really left).
    await eventually(() => page.offsite.length > 0, { timeoutMs: 10_000, what: 'the redirect to the pay page' });
    assert.deepEqual(page.offsite, [link.short_url]);
    assert.equal(new URL(page.url()).origin, app.url);
    await shot(page, 'checkout-razorpay');
    assertClean(page, 'checkout');
  } finally {
    await page.closeAll();
  }
});
