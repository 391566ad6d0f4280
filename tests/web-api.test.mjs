// The web cabinet's API through the real Worker (docs/API.md "The web cabinet's API"):
// sign-in with good and bad widget payloads and initData, sessions (expiry, revocation,
// refresh rotation and reuse), every route's 401, one customer never reaching another's data,
// CORS, security headers, the sign-in rate limit, and each cabinet action's effect on D1 and
// on the panel fake.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { spawnApp, TEST_ADMIN_ID } from './helpers/app.mjs';
import { makeDevice } from './fakes/remnawave.mjs';
import { buy, eventually, panelUser, provisioned, startUser } from './helpers/shop.mjs';
import { textUpdate } from './helpers/updates.mjs';
import { Session, freshIp, initData, setCookies, telegramKeys, webappKeyVar, widgetPayload } from './helpers/web.mjs';
import { generateKeyPairSync } from 'node:crypto';

const JWT_SECRET = 'test-jwt-secret-0123456789abcdef';
let app;
let nextUser = 7_100_000;

before(async () => {
  app = await spawnApp({ providers: true, vars: { TELEGRAM_WEBAPP_PUBLIC_KEY: webappKeyVar() } });
});
after(() => app?.stop());

/** A customer who started the bot, signed in through the widget. */
async function customer() {
  const id = ++nextUser;
  await startUser(app, id);
  const session = new Session(app);
  const res = await session.widget(id);
  assert.equal(res.status, 200, await res.clone().text());
  return { id, session };
}

/** A customer with a provisioned monthly subscription. */
async function subscriber() {
  const c = await customer();
  const { orderId } = await buy(app, c.id);
  await provisioned(app, orderId);
  return { ...c, panel: panelUser(app, c.id) };
}

/** An HS256 JWT with our claims, signed with `secret`. */
function jwt(claims, secret = JWT_SECRET) {
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const signed = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

const PROTECTED = [
  ['GET', '/api/me'], ['PUT', '/api/me/locale'], ['GET', '/api/me/devices'], ['POST', '/api/me/devices/delete'],
  ['POST', '/api/me/devices/reset'], ['POST', '/api/me/link/revoke'], ['GET', '/api/me/qr.svg'],
  ['GET', '/api/referrals'], ['POST', '/api/promo'], ['POST', '/api/checkout'], ['GET', '/api/admin/stats'],
  ['GET', '/api/qr.svg?data=x'],
];

describe('sign-in', () => {
  test('a signed widget payload opens a session in HttpOnly, Secure, SameSite cookies', async () => {
    const id = ++nextUser;
    await startUser(app, id);
    const session = new Session(app);
    const res = await session.widget(id, { username: 'web_user' });
    assert.equal(res.status, 200);
    const cookies = setCookies(res);
    for (const [name, sameSite, path] of [['wg_session', 'SameSite=Lax', 'Path=/api'], ['wg_refresh', 'SameSite=Strict', 'Path=/api/auth']]) {
      assert.ok(cookies[name]?.value, `${name} set`);
      for (const attr of ['HttpOnly', 'Secure', sameSite, path]) assert.ok(cookies[name].attributes.includes(attr), `${name} ${attr}`);
    }
    assert.ok(cookies.wg_session.attributes.includes('Max-Age=3600'), 'the access token lives an hour');
    const me = await session.json('/api/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.telegramId, id);
    assert.equal(me.body.subscription, null);
    assert.equal(me.body.trialAvailable, true);
    assert.equal(app.db("SELECT via FROM session_families f JOIN users u ON u.id = f.user_id WHERE u.telegram_id = ?", id)[0].via, 'widget');
  });

  test('a forged, tampered, stale or malformed widget payload is refused and stores nothing', async () => {
    const id = ++nextUser;
    await startUser(app, id);
    const families = () => app.db('SELECT COUNT(*) AS n FROM session_families')[0].n;
    const before = families();
    const s = new Session(app);
    const forged = widgetPayload('1:not-the-bot', { id });
    assert.equal((await s.fetch('/api/auth/telegram', { method: 'POST', body: forged })).status, 401);
    const tampered = { ...widgetPayload(app.tg.token, { id }), id: id + 1 };
    assert.equal((await s.fetch('/api/auth/telegram', { method: 'POST', body: tampered })).status, 401);
    const stale = widgetPayload(app.tg.token, { id }, { authDate: Math.floor(Date.now() / 1000) - 2 * 86_400 });
    assert.equal((await s.fetch('/api/auth/telegram', { method: 'POST', body: stale })).status, 401);
    assert.equal((await s.fetch('/api/auth/telegram', { method: 'POST', body: '{not json' })).status, 400);
    const noHash = widgetPayload(app.tg.token, { id });
    delete noHash.hash;
    assert.equal((await s.fetch('/api/auth/telegram', { method: 'POST', body: noHash })).status, 401);
    assert.equal(families(), before);
    assert.deepEqual(s.cookies, {});
  });

  test('a Telegram user who never started the bot is sent to the bot', async () => {
    const res = await new Session(app).widget(++nextUser);
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error, 'open the bot first');
  });

  test('Mini App initData signs in, with and without Telegram\'s Ed25519 signature, and makes a new customer', async () => {
    const id = ++nextUser;
    const s = new Session(app);
    assert.equal((await s.webapp(id, { signed: true })).status, 200);
    assert.equal((await s.json('/api/me')).body.telegramId, id);
    assert.equal(app.db('SELECT COUNT(*) AS n FROM users WHERE telegram_id = ?', id)[0].n, 1, 'the record is made');
    assert.equal((await new Session(app).webapp(id)).status, 200, 'older clients send no signature');
    assert.equal(app.db("SELECT COUNT(*) AS n FROM session_families f JOIN users u ON u.id = f.user_id WHERE u.telegram_id = ? AND via = 'webapp'", id)[0].n, 2);
  });

  test('initData with a bad hash, a signature by another key, or a stale date is 401', async () => {
    const id = ++nextUser;
    const s = new Session(app);
    const post = (data) => s.fetch('/api/auth/webapp', { method: 'POST', body: { initData: data } });
    assert.equal((await post(initData('1:other-bot', { id }))).status, 401);
    const stranger = generateKeyPairSync('ed25519').privateKey;
    assert.equal((await post(initData(app.tg.token, { id }, { signed: true, signWith: stranger }))).status, 401);
    assert.equal((await post(initData(app.tg.token, { id }, { authDate: Math.floor(Date.now() / 1000) - 2 * 86_400 }))).status, 401);
    const good = initData(app.tg.token, { id }, { signed: true });
    assert.equal((await post(good.replace('query_id=AAE1', 'query_id=AAE2'))).status, 401);
    assert.equal((await s.fetch('/api/auth/webapp', { method: 'POST', body: { nope: 1 } })).status, 400);
    assert.equal(app.db('SELECT COUNT(*) AS n FROM users WHERE telegram_id = ?', id)[0].n, 0, 'nothing stored');
  });
});

describe('sessions', () => {
  test('every route but the public ones answers 401 without a session, with junk, or with a token not ours', async () => {
    const { id } = await customer();
    const uid = app.db('SELECT id FROM users WHERE telegram_id = ?', id)[0].id;
    const fam = app.db('SELECT id FROM session_families WHERE user_id = ?', uid)[0].id;
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: String(id), uid, fam, jti: 'j', iat: now, exp: now + 600 };
    const tokens = [null, 'garbage', jwt(claims, 'another-secret'), jwt({ ...claims, exp: now - 1 }),
      jwt(claims).replace(/\.[^.]+$/, '.'), `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`];
    for (const token of tokens) {
      for (const [method, path] of PROTECTED) {
        const res = await app.fetch(path, {
          method,
          headers: { 'content-type': 'application/json', ...(token ? { cookie: `wg_session=${token}` } : {}) },
          body: method === 'GET' ? undefined : JSON.stringify({ plan: 'monthly', method: 'razorpay', hwid: 'x', code: 'X', locale: 'ru' }),
        });
        assert.equal(res.status, 401, `${method} ${path} with ${token?.slice(0, 20)}`);
      }
    }
    // A token we did sign, for this very user's live sign-in, is accepted: the refusals above
    // are about the token. The same claims naming a sign-in that does not exist are not.
    const ours = await app.fetch('/api/me', { headers: { cookie: `wg_session=${jwt(claims)}` } });
    assert.equal(ours.status, 200);
    const unknownFamily = await app.fetch('/api/me', { headers: { cookie: `wg_session=${jwt({ ...claims, fam: 'nope' })}` } });
    assert.equal(unknownFamily.status, 401);
    const otherUser = await app.fetch('/api/me', { headers: { cookie: `wg_session=${jwt({ ...claims, uid: uid + 1 })}` } });
    assert.equal(otherUser.status, 401, 'sub and uid must name the same customer');
  });

  test("the same sign-in opens the admin API for an admin and not for a customer", async () => {
    const s = new Session(app);
    await startUser(app, TEST_ADMIN_ID);
    assert.equal((await s.widget(TEST_ADMIN_ID)).status, 200);
    assert.equal((await s.fetch('/api/admin/stats')).status, 200);
    const { session } = await customer();
    assert.equal((await session.fetch('/api/admin/stats')).status, 401);
  });

  test('refresh rotates both tokens; a spent refresh token revokes the whole sign-in', async () => {
    const { session } = await customer();
    const first = { ...session.cookies };
    const rotated = await session.fetch('/api/auth/refresh', { method: 'POST' });
    assert.equal(rotated.status, 200);
    assert.notEqual(session.cookies.wg_refresh, first.wg_refresh);
    assert.notEqual(session.cookies.wg_session, first.wg_session);
    assert.equal((await session.fetch('/api/me')).status, 200);

    // A second request with the first token within seconds (another tab) is refused, and the
    // sign-in goes on.
    const racer = new Session(app);
    racer.cookies = { wg_refresh: first.wg_refresh };
    assert.equal((await racer.fetch('/api/auth/refresh', { method: 'POST' })).status, 401);
    assert.equal((await session.fetch('/api/me')).status, 200, 'a race is not a theft');
    // A minute later a thief replays it.
    app.db('UPDATE refresh_tokens SET used_at = used_at - 60 WHERE used_at IS NOT NULL');
    const thief = new Session(app);
    thief.cookies = { wg_refresh: first.wg_refresh };
    assert.equal((await thief.fetch('/api/auth/refresh', { method: 'POST' })).status, 401);
    // Now the whole family is dead: the customer's current tokens too.
    assert.equal((await session.fetch('/api/me')).status, 401, 'the access token of the family is denied');
    assert.equal((await session.fetch('/api/auth/refresh', { method: 'POST' })).status, 401, 'its refresh token too');
    assert.ok(app.db('SELECT revoked_at FROM session_families WHERE revoked_at IS NOT NULL').length >= 1);
  });

  test('logout revokes the access token and the refresh token, and clears the cookies', async () => {
    const { session } = await customer();
    const kept = { ...session.cookies };
    const res = await session.fetch('/api/auth/logout', { method: 'POST' });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.values(setCookies(res)).map((c) => c.attributes.includes('Max-Age=0')), [true, true]);
    const replay = new Session(app);
    replay.cookies = kept;
    assert.equal((await replay.fetch('/api/me')).status, 401, 'the logged-out access token is denied');
    assert.equal((await replay.fetch('/api/auth/refresh', { method: 'POST' })).status, 401);
    assert.equal((await new Session(app).fetch('/api/auth/logout', { method: 'POST' })).status, 200, 'no session: still 200');
  });

  test('logout after the access token expired still ends the sign-in through the refresh token', async () => {
    const { session } = await customer();
    const refresh = session.cookies.wg_refresh;
    session.cookies.wg_session = '';
    assert.equal((await session.fetch('/api/auth/logout', { method: 'POST' })).status, 200);
    const later = new Session(app);
    later.cookies = { wg_refresh: refresh };
    assert.equal((await later.fetch('/api/auth/refresh', { method: 'POST' })).status, 401);
  });

  test('inside Telegram\'s web client (no cookies in a frame) the Mini App authenticates each call with its initData', async () => {
    const id = ++nextUser;
    const s = new Session(app);
    assert.equal((await s.webapp(id, { signed: true })).status, 200);
    const tma = (opts) => ({ authorization: `tma ${initData(app.tg.token, { id }, opts)}` });
    const me = await app.fetch('/api/me', { headers: tma({ signed: true }) });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).telegramId, id);
    assert.equal((await app.fetch('/api/me', { headers: tma({ signed: true, signWith: generateKeyPairSync('ed25519').privateKey }) })).status, 401);
    assert.equal((await app.fetch('/api/me', { headers: { authorization: `tma ${initData('1:other', { id })}` } })).status, 401);
    const stranger = await app.fetch('/api/me', { headers: { authorization: `tma ${initData(app.tg.token, { id: ++nextUser })}` } });
    assert.equal(stranger.status, 404, 'no record yet: the sign-in makes it');
  });
});

describe('the cabinet', () => {
  test('/api/me shows the live subscription exactly as the panel has it', async () => {
    const { session, panel } = await subscriber();
    const me = (await session.json('/api/me')).body;
    assert.equal(me.subscription.status, 'ACTIVE');
    assert.equal(me.subscription.plan, 'monthly');
    assert.equal(me.subscription.subscriptionUrl, panel.subscriptionUrl);
    assert.equal(new Date(me.subscription.expiresAt).getTime(), new Date(panel.expireAt).getTime() - (new Date(panel.expireAt).getTime() % 1000));
    assert.equal(me.subscription.deviceLimit, 3);
    assert.equal(me.subscription.trafficLimitBytes, 107374182400);
    assert.equal(me.timeZone, 'UTC');
  });

  test('devices: listed from the panel, one removed, all reset; another customer\'s device is out of reach', async () => {
    const a = await subscriber();
    const b = await subscriber();
    const phone = makeDevice(a.panel.id, { platform: 'iOS', deviceModel: 'iPhone 15' });
    const laptop = makeDevice(a.panel.id, { platform: 'Windows' });
    const bPhone = makeDevice(b.panel.id);
    app.panel.devices.set(a.panel.id, [phone, laptop]);
    app.panel.devices.set(b.panel.id, [bPhone]);

    const list = (await a.session.json('/api/me/devices')).body;
    assert.equal(list.total, 2);
    assert.equal(list.limit, 3);
    assert.deepEqual(list.devices.map((d) => d.hwid).sort(), [phone.hwid, laptop.hwid].sort());
    assert.equal(list.devices.find((d) => d.hwid === phone.hwid).deviceModel, 'iPhone 15');

    // A tries B's device: 404, B keeps it.
    const foreign = await a.session.json('/api/me/devices/delete', { method: 'POST', body: { hwid: bPhone.hwid } });
    assert.equal(foreign.status, 404);
    assert.equal(app.panel.devices.get(b.panel.id).length, 1);

    const removed = await a.session.json('/api/me/devices/delete', { method: 'POST', body: { hwid: phone.hwid } });
    assert.deepEqual(removed.body, { ok: true, total: 1 });
    assert.deepEqual(app.panel.devices.get(a.panel.id).map((d) => d.hwid), [laptop.hwid]);

    assert.equal((await a.session.json('/api/me/devices/reset', { method: 'POST' })).status, 200);
    assert.equal(app.panel.devices.get(a.panel.id).length, 0);
    assert.equal(app.panel.devices.get(b.panel.id).length, 1, 'B untouched');
  });

  test('a new link revokes the old one on the panel and in D1; the QR code is of the new link', async () => {
    const { id, session, panel } = await subscriber();
    const old = panel.subscriptionUrl;
    const res = await session.json('/api/me/link/revoke', { method: 'POST' });
    assert.equal(res.status, 200);
    assert.notEqual(res.body.subscriptionUrl, old);
    assert.equal(panelUser(app, id).subscriptionUrl, res.body.subscriptionUrl);
    assert.equal(app.db('SELECT subscription_url FROM users WHERE telegram_id = ?', id)[0].subscription_url, res.body.subscriptionUrl);
    assert.equal((await session.json('/api/me')).body.subscription.subscriptionUrl, res.body.subscriptionUrl, 'not a stale cache');
    const qr = await session.fetch('/api/me/qr.svg');
    assert.equal(qr.status, 200);
    assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
    assert.match(await qr.text(), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
  });

  test('a Xendit QRIS string is drawn as a QR code for a signed-in customer', async () => {
    const { session } = await customer();
    const qris = await session.json('/api/checkout', { method: 'POST', body: { plan: 'monthly', method: 'xendit' } });
    assert.equal(qris.status, 200);
    const svg = await session.fetch(`/api/qr.svg?data=${encodeURIComponent(qris.body.qrString)}`);
    assert.equal(svg.status, 200);
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    assert.match(await svg.text(), /^<svg /);
    assert.equal((await session.fetch(`/api/qr.svg?data=${'x'.repeat(1025)}`)).status, 400);
    assert.equal((await session.fetch('/api/qr.svg')).status, 400);
  });

  test('without a subscription the subscription actions are 404 and the panel is not called', async () => {
    const { session } = await customer();
    const before = app.panel.calls.length;
    for (const [method, path] of [['GET', '/api/me/devices'], ['POST', '/api/me/devices/reset'], ['POST', '/api/me/link/revoke'], ['GET', '/api/me/qr.svg']]) {
      assert.equal((await session.fetch(path, { method, body: method === 'POST' ? {} : undefined })).status, 404, path);
    }
    assert.equal(app.panel.calls.length, before);
  });

  test('the language is stored on the customer and the bot speaks it', async () => {
    const { id, session } = await customer();
    assert.equal((await session.json('/api/me/locale', { method: 'PUT', body: { locale: 'xx' } })).status, 400);
    const res = await session.json('/api/me/locale', { method: 'PUT', body: { locale: 'ru' } });
    assert.deepEqual(res.body, { ok: true, locale: 'ru' });
    assert.equal(app.db('SELECT locale FROM users WHERE telegram_id = ?', id)[0].locale, 'ru');
    const me = (await session.json('/api/me')).body;
    assert.equal(me.locale, 'ru');
    assert.equal(me.timeZone, 'Europe/Moscow');
    const before = app.tg.calls.length;
    await app.sendUpdate(textUpdate(app.nextUpdateId(), { userId: id, text: '/help' }));
    const reply = app.tg.calls.slice(before).find((c) => c.method === 'sendMessage');
    assert.match(reply.body.text, /[А-Яа-я]/, 'the bot answers in Russian');
  });

  test('checkout from a session: a provider channel reaches its fake; Stars gives an invoice link', async () => {
    const { id, session } = await customer();
    const rzp = await session.json('/api/checkout', { method: 'POST', body: { plan: 'monthly', method: 'razorpay' } });
    assert.equal(rzp.status, 200, JSON.stringify(rzp.body));
    assert.equal(rzp.body.amount, 16900);
    assert.ok(rzp.body.payUrl);
    assert.equal(app.db('SELECT status FROM orders WHERE public_id = ?', rzp.body.order)[0].status, 'pending');

    const before = app.tg.calls.length;
    const stars = await session.json('/api/checkout', { method: 'POST', body: { plan: 'monthly', method: 'stars' } });
    assert.equal(stars.status, 200, JSON.stringify(stars.body));
    assert.deepEqual([stars.body.amount, stars.body.currency, stars.body.price], [100, 'XTR', '⭐100']);
    const link = app.tg.calls.slice(before).find((c) => c.method === 'createInvoiceLink');
    assert.equal(link.body.payload, `order:${stars.body.order}`);
    assert.equal(link.body.prices[0].amount, 100);
    assert.equal(link.body.subscription_period, undefined, 'a one-off invoice');
    assert.ok(stars.body.invoiceUrl.startsWith('https://t.me/'));
    const order = app.db('SELECT user_id, amount_minor, currency, status FROM orders WHERE public_id = ?', stars.body.order)[0];
    assert.deepEqual([order.amount_minor, order.currency, order.status], [100, 'XTR', 'pending']);
    assert.equal(order.user_id, app.db('SELECT id FROM users WHERE telegram_id = ?', id)[0].id);

    const sub = await session.json('/api/checkout', { method: 'POST', body: { plan: 'monthly', method: 'starsub' } });
    assert.equal(sub.status, 200);
    assert.equal(app.tg.calls.filter((c) => c.method === 'createInvoiceLink').at(-1).body.subscription_period, 2592000);
    assert.equal((await session.json('/api/checkout', { method: 'POST', body: { plan: 'yearly', method: 'starsub' } })).status, 400);
  });

  test('referrals: the link, the counts and the leaderboard', async () => {
    const { id, session } = await customer();
    const res = await session.json('/api/referrals?period=week');
    assert.equal(res.status, 200);
    const code = app.db('SELECT referral_code FROM users WHERE telegram_id = ?', id)[0].referral_code;
    assert.equal(res.body.link, `https://t.me/WavegateTestBot?start=ref_${code}`);
    assert.deepEqual([res.body.invited, res.body.paying, res.body.daysEarned], [0, 0, 0]);
    assert.equal(res.body.leaderboard.period, 'week');
    assert.ok(Array.isArray(res.body.leaderboard.top));
    assert.equal((await session.json('/api/referrals?period=decade')).status, 400);
  });

  test('a promo code redeems once through the API', async () => {
    const code = `WEB${Date.now().toString(36).toUpperCase()}`;
    await app.sendUpdate(textUpdate(app.nextUpdateId(), { userId: TEST_ADMIN_ID, text: `/promo_new ${code} percent 20` }));
    await eventually(() => app.db('SELECT id FROM promo_codes WHERE code = ?', code)[0], { what: 'promo created' });
    const { session } = await customer();
    assert.deepEqual((await session.json('/api/promo', { method: 'POST', body: { code } })).body, { ok: true, kind: 'percent', value: 20 });
    const again = await session.json('/api/promo', { method: 'POST', body: { code } });
    assert.deepEqual([again.status, again.body.error], [409, 'already_used']);
    const unknown = await session.json('/api/promo', { method: 'POST', body: { code: 'NOPE123' } });
    assert.deepEqual([unknown.status, unknown.body.error], [409, 'unknown']);
    const priced = await session.json('/api/checkout', { method: 'POST', body: { plan: 'monthly', method: 'razorpay' } });
    assert.equal(priced.body.amount, 13520, '20% off ₹169');
  });
});

describe('the public API, CORS and headers', () => {
  test('/api/plans lists the plans with every price formatted as the bot does, cacheable for a minute', async () => {
    const res = await app.fetch('/api/plans');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=60');
    const body = await res.json();
    assert.equal(body.bot, 'WavegateTestBot');
    const monthly = body.plans.find((p) => p.slug === 'monthly');
    assert.deepEqual(Object.fromEntries(monthly.prices.map((p) => [p.currency, p.display])), { USD: '$2.00', XTR: '⭐100', INR: '₹169', IDR: 'Rp 32,000' });
    assert.deepEqual(monthly.methods, ['stars', 'starsub', 'razorpay', 'xendit', 'cryptopay']);
    assert.ok(!body.plans.find((p) => p.slug === 'yearly').methods.includes('starsub'));
  });

  test('CORS only for PUBLIC_BASE_URL; a write from another origin is refused', async () => {
    const ok = await app.fetch('/api/plans', { headers: { origin: 'http://127.0.0.1' } });
    assert.equal(ok.headers.get('access-control-allow-origin'), 'http://127.0.0.1');
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
    const evil = await app.fetch('/api/plans', { headers: { origin: 'https://evil.example' } });
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
    const preflight = await app.fetch('/api/me/locale', { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'PUT' } });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-methods'), /PUT/);
    const evilPreflight = await app.fetch('/api/me/locale', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    assert.equal(evilPreflight.headers.get('access-control-allow-methods'), null);

    const { id, session } = await customer();
    const csrf = await session.fetch('/api/me/locale', { method: 'PUT', body: { locale: 'hi' }, headers: { origin: 'https://evil.example' } });
    assert.equal(csrf.status, 401);
    assert.equal(app.db('SELECT locale FROM users WHERE telegram_id = ?', id)[0].locale, null, 'nothing changed');
    const same = await session.fetch('/api/me/locale', { method: 'PUT', body: { locale: 'hi' }, headers: { origin: app.url } });
    assert.equal(same.status, 200, 'the Worker\'s own origin may write');
  });

  test('security headers on API responses and on the static pages (the Mini App may be framed by Telegram)', async () => {
    for (const res of [await app.fetch('/api/plans'), await app.fetch('/api/me')]) {
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.match(res.headers.get('content-security-policy'), /default-src 'none'/);
      assert.ok(res.headers.get('referrer-policy'));
      assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000');
    }
    for (const path of ['/', '/ru/pricing/', '/hi/faq/']) {
      const res = await app.fetch(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
      assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/, path);
      assert.doesNotMatch(res.headers.get('content-security-policy'), /unsafe-inline/, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000', path);
    }
    for (const path of ['/app/', '/id/app/']) {
      const res = await app.fetch(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('x-frame-options'), null, path);
      assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'self' https:\/\/web\.telegram\.org/, path);
    }
  });

  test('sign-in is rate limited per client address; webhooks are not', async () => {
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 24; i++) {
      const res = await app.fetch('/api/auth/telegram', { method: 'POST', headers: { 'content-type': 'application/json', 'CF-Connecting-IP': ip }, body: '{}' });
      statuses.push(res.status);
    }
    assert.ok(statuses.slice(0, 20).every((s) => s === 401), statuses.join(','));
    assert.equal(statuses.at(-1), 429);
    // Another address is not affected.
    const other = await app.fetch('/api/auth/telegram', { method: 'POST', headers: { 'content-type': 'application/json', 'CF-Connecting-IP': freshIp() }, body: '{}' });
    assert.equal(other.status, 401);
    // Telegram's webhook from that same address: never 429.
    for (let i = 0; i < 30; i++) {
      const res = await app.sendUpdate(textUpdate(app.nextUpdateId(), { userId: ++nextUser, text: '/help' }));
      assert.equal(res.status, 200);
    }
  });
});
