// The admin console's API (docs/API.md "The admin API") through the real Workers: the main one
// forwards `/api/admin/...` to the operator's Worker (wrangler.admin.toml) over its service
// binding. Every route refuses no session and a customer's session (401); every write needs an
// Idempotency-Key and answers a retry once; each action's effect on D1, on the panel fake and
// on the provider fakes; audit rows; the CSV export; price edits against new and old orders.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawnApp, TEST_ADMIN_ID } from './helpers/app.mjs';
import { buy, eventually, expirySeconds, panelUser, preCheckout, provisioned, requestInvoice, send, startUser, DAY } from './helpers/shop.mjs';
import { callbackUpdate } from './helpers/updates.mjs';
import { Session, initData } from './helpers/web.mjs';

let app;
let admin;
let nextUser = 8_200_000;

before(async () => {
  app = await spawnApp({ providers: true });
  await startUser(app, TEST_ADMIN_ID, { username: 'the_admin' });
  admin = new Session(app);
  const res = await admin.widget(TEST_ADMIN_ID);
  assert.equal(res.status, 200, await res.clone().text());
});
after(() => app?.stop());

/** An admin write with a fresh (or the given) Idempotency-Key. */
const write = (path, body = {}, { method = 'POST', key = randomUUID(), session = admin } = {}) =>
  session.json(path, { method, body, headers: key ? { 'Idempotency-Key': key } : {} });

async function customer(opts = {}) {
  const id = ++nextUser;
  await startUser(app, id, opts);
  return id;
}

async function subscriber(opts = {}) {
  const id = await customer(opts);
  const { orderId } = await buy(app, id);
  await provisioned(app, orderId);
  return { id, orderId };
}

const paymentOf = (publicId) => app.db('SELECT p.* FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.public_id = ?', publicId)[0];
const audit = (action, subject) => app.db('SELECT * FROM audit_log WHERE action = ? AND subject = ? ORDER BY id', action, subject);

const ROUTES = [
  ['GET', '/api/admin/me'], ['GET', '/api/admin/stats'], ['GET', '/api/admin/series'], ['GET', '/api/admin/users'],
  ['GET', '/api/admin/users/1'], ['GET', '/api/admin/payments'], ['GET', '/api/admin/payments.csv'],
  ['GET', '/api/admin/plans'], ['GET', '/api/admin/promos'], ['GET', '/api/admin/broadcasts'],
  ['GET', '/api/admin/broadcasts/1'], ['GET', '/api/admin/nodes'], ['POST', '/api/admin/users/1/extend'],
  ['POST', '/api/admin/users/1/disable'], ['POST', '/api/admin/users/1/enable'],
  ['POST', '/api/admin/users/1/devices/reset'], ['POST', '/api/admin/users/1/link/revoke'],
  ['POST', '/api/admin/payments/1/refund'], ['PUT', '/api/admin/plans/monthly'], ['POST', '/api/admin/promos'],
  ['POST', '/api/admin/promos/X/deactivate'], ['POST', '/api/admin/broadcasts/preview'],
  ['POST', '/api/admin/broadcasts'], ['POST', '/api/admin/broadcasts/1/cancel'], ['GET', '/api/admin/nope'],
];

describe('who gets in', () => {
  test('every route answers 401 without a session and to a customer, and changes nothing', async () => {
    const id = await customer();
    const customerSession = new Session(app);
    assert.equal((await customerSession.widget(id)).status, 200);
    const auditBefore = app.db('SELECT count(*) AS n FROM audit_log')[0].n;
    for (const session of [new Session(app), customerSession]) {
      for (const [method, path] of ROUTES) {
        const body = method === 'GET' ? undefined : { days: 7 };
        const res = await session.fetch(path, { method, body, headers: { 'Idempotency-Key': randomUUID() } });
        assert.equal(res.status, 401, `${method} ${path}`);
        assert.match(res.headers.get('content-type') ?? '', /json/);
      }
    }
    assert.equal(app.db('SELECT count(*) AS n FROM audit_log')[0].n, auditBefore);
    assert.equal(app.db('SELECT count(*) AS n FROM admin_requests')[0].n, 0);
  });

  test("an admin's Mini App initData does not open the console; a signed-out session is 401", async () => {
    const tma = await new Session(app).json('/api/admin/me', { headers: { Authorization: `tma ${initData(app.tg.token, { id: TEST_ADMIN_ID })}` } });
    assert.equal(tma.status, 401);
    const second = new Session(app);
    assert.equal((await second.widget(TEST_ADMIN_ID)).status, 200);
    const stale = second.cookieHeader();
    assert.equal((await second.json('/api/admin/me')).status, 200);
    assert.equal((await second.fetch('/api/auth/logout', { method: 'POST' })).status, 200);
    const replay = await app.fetch('/api/admin/me', { headers: { cookie: stale } });
    assert.equal(replay.status, 401, 'the old cookie after logout');
  });

  test('the security headers and CORS come from the main Worker; preflight allows the key header', async () => {
    const res = await admin.fetch('/api/admin/stats', { headers: { Origin: 'http://127.0.0.1' } });
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://127.0.0.1');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const pre = await app.fetch('/api/admin/users/1/extend', { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1', 'Access-Control-Request-Method': 'POST' } });
    assert.match(pre.headers.get('access-control-allow-headers'), /Idempotency-Key/);
  });

  test('an admin gets in; a write from another site is refused', async () => {
    const me = await admin.json('/api/admin/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.telegram_id, TEST_ADMIN_ID);
    assert.equal(me.res.headers.get('x-frame-options'), 'DENY');
    assert.equal(me.res.headers.get('cache-control'), 'no-store');
    const id = await customer();
    const res = await admin.fetch(`/api/admin/users/${id}/extend`, {
      method: 'POST', body: { days: 7 }, headers: { 'Idempotency-Key': randomUUID(), Origin: 'https://evil.example' },
    });
    assert.equal(res.status, 401);
    assert.equal(app.db("SELECT count(*) AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? AND o.kind = 'bonus'", id)[0].n, 0);
  });
});

describe('users', () => {
  test('search by id, @username, name and short uuid; sort and cursor pages', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await customer({ username: `searchable_${i}`, firstName: `Zed${i}` }));
    const byId = await admin.json(`/api/admin/users?q=${ids[2]}`);
    assert.deepEqual(byId.body.items.map((u) => u.telegram_id), [ids[2]]);
    const byName = await admin.json('/api/admin/users?q=%40searchable_');
    assert.deepEqual(byName.body.items.map((u) => u.telegram_id), [...ids].reverse());
    const byFirst = await admin.json('/api/admin/users?q=zed3');
    assert.deepEqual(byFirst.body.items.map((u) => u.telegram_id), [ids[3]]);
    // LIKE's wildcards are text: "_" alone matches no one in particular.
    const wildcard = await admin.json('/api/admin/users?q=%25');
    assert.equal(wildcard.body.items.length, 0);

    const page1 = await admin.json('/api/admin/users?q=searchable&sort=oldest&limit=2');
    assert.deepEqual(page1.body.items.map((u) => u.telegram_id), ids.slice(0, 2));
    // Encoded as the console's URLSearchParams sends it (`:` as `%3A`).
    const page2 = await admin.json(`/api/admin/users?${new URLSearchParams({ q: 'searchable', sort: 'oldest', limit: '2', cursor: page1.body.next_cursor })}`);
    assert.deepEqual(page2.body.items.map((u) => u.telegram_id), ids.slice(2, 4));
    const page3 = await admin.json(`/api/admin/users?q=searchable&sort=oldest&limit=2&cursor=${page2.body.next_cursor}`);
    assert.deepEqual(page3.body.items.map((u) => u.telegram_id), ids.slice(4));
    assert.equal(page3.body.next_cursor, null);

    const { id: sub } = await subscriber({ username: 'searchable_sub' });
    const short = panelUser(app, sub).shortUuid;
    const byShort = await admin.json(`/api/admin/users?q=${short}`);
    assert.deepEqual(byShort.body.items.map((u) => u.telegram_id), [sub]);
    assert.equal(byShort.body.items[0].plan, 'monthly');
    const soon = await admin.json('/api/admin/users?q=searchable&sort=expires&limit=1');
    assert.equal(soon.body.items[0].telegram_id, sub, 'the one with an expiry comes first');
    for (const bad of ['sort=sideways', 'limit=0', 'limit=999', 'cursor=x']) {
      assert.equal((await admin.json(`/api/admin/users?${bad}`)).status, 400, bad);
    }
  });

  test("a user's file: profile, live panel view, payments, referrals and audit trail", async () => {
    const { id, orderId } = await subscriber({ username: 'file_owner' });
    const file = await admin.json(`/api/admin/users/${id}`);
    assert.equal(file.status, 200);
    assert.equal(file.body.user.username, 'file_owner');
    assert.equal(file.body.panel.status, 'ACTIVE');
    assert.equal(file.body.panel.short_uuid, panelUser(app, id).shortUuid);
    assert.equal(file.body.payments.length, 1);
    assert.equal(file.body.payments[0].order_id, orderId);
    assert.equal(file.body.payments[0].currency, 'XTR');
    assert.ok(Array.isArray(file.body.referrals) && Array.isArray(file.body.audit));
    assert.equal((await admin.json('/api/admin/users/424242424')).status, 404);
  });

  test('extend N days: a bonus order, provisioned; a retried request answers once; audit row', async () => {
    const { id } = await subscriber();
    const before = expirySeconds(panelUser(app, id));
    const key = randomUUID();
    const first = await write(`/api/admin/users/${id}/extend`, { days: 7 }, { key });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.ok, true);
    const again = await write(`/api/admin/users/${id}/extend`, { days: 7 }, { key });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.res.headers.get('idempotent-replayed'), 'true');
    await eventually(() => expirySeconds(panelUser(app, id)) >= before + 7 * DAY - 5, { what: '7 days on the panel' });
    const bonus = app.db("SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? AND o.kind = 'bonus'", id);
    assert.equal(bonus.length, 1, 'one bonus order for one request');
    assert.equal(bonus[0].days, 7);
    const rows = audit('user.extend', `user:${id}`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].actor, `admin:${TEST_ADMIN_ID}`);

    // The same key on another route is refused; a missing key or a bad body changes nothing.
    assert.equal((await write(`/api/admin/users/${id}/disable`, {}, { key })).status, 422);
    assert.equal((await write(`/api/admin/users/${id}/extend`, { days: 7 }, { key: null })).status, 400);
    assert.equal((await write(`/api/admin/users/${id}/extend`, { days: 0 })).status, 400);
    assert.equal((await write(`/api/admin/users/${id}/extend`, '{not json')).status, 400);
    assert.equal((await write(`/api/admin/users/${id}/extend`, { days: 7, extra: 1 })).status, 400);
    assert.equal((await write(`/api/admin/users/${id}/extend`, { days: 7 }, { method: 'PUT' })).status, 404, 'the method is part of the route');
    assert.equal(app.db("SELECT count(*) AS n FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? AND o.kind = 'bonus'", id)[0].n, 1);
  });

  test('disable, enable, reset devices and a new link act on the panel, each audited with before and after', async () => {
    const { id } = await subscriber();
    const disabled = await write(`/api/admin/users/${id}/disable`);
    assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
    assert.equal(panelUser(app, id).status, 'DISABLED');
    const row = audit('user.disable', `user:${id}`)[0];
    assert.deepEqual(JSON.parse(row.details).before.status, 'ACTIVE');
    assert.deepEqual(JSON.parse(row.details).after.status, 'DISABLED');
    assert.equal((await write(`/api/admin/users/${id}/enable`)).status, 200);
    assert.equal(panelUser(app, id).status, 'ACTIVE');
    const oldShort = panelUser(app, id).shortUuid;
    const link = await write(`/api/admin/users/${id}/link/revoke`);
    assert.equal(link.status, 200);
    assert.notEqual(panelUser(app, id).shortUuid, oldShort);
    assert.equal(app.db('SELECT panel_short_uuid FROM users WHERE telegram_id = ?', id)[0].panel_short_uuid, panelUser(app, id).shortUuid);
    const told = app.tg.messagesTo(id).at(-1);
    assert.ok(told.includes(panelUser(app, id).shortUuid), 'the customer got the new link');
    assert.equal((await write(`/api/admin/users/${id}/devices/reset`)).status, 200);
    assert.equal(audit('user.reset_devices', `user:${id}`).length, 1);
    const never = await customer();
    assert.equal((await write(`/api/admin/users/${never}/disable`)).status, 409, 'no panel user');

    // The panel down: 503, and the same key answers 503 again without calling the panel (a
    // failure after the effect must not run twice); a new press is a new key.
    app.panel.down();
    const key = randomUUID();
    const failed = await write(`/api/admin/users/${id}/disable`, {}, { key });
    assert.equal(failed.status, 503);
    assert.deepEqual(failed.body, { ok: false, error: 'temporarily unavailable' });
    app.panel.reset();
    const replayed = await write(`/api/admin/users/${id}/disable`, {}, { key });
    assert.equal(replayed.status, 503);
    assert.equal(replayed.res.headers.get('idempotent-replayed'), 'true');
    assert.equal(app.panel.calls.length, 0, 'the replay did not reach the panel');
    app.panel.up();
    assert.equal((await write(`/api/admin/users/${id}/disable`)).status, 200);
    assert.equal(panelUser(app, id).status, 'DISABLED');
  });
});

describe('payments', () => {
  test('refund a Stars payment through the same path as /refund; a second time is refused', async () => {
    const id = await customer();
    const { orderId, chargeId, invoice } = await buy(app, id);
    app.tg.ledgerPayment({ id: chargeId, userId: id, amount: invoice.amount, payload: invoice.payload });
    await provisioned(app, orderId);
    const payment = paymentOf(orderId);
    const res = await write(`/api/admin/payments/${payment.id}/refund`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'refunded');
    assert.equal(String(app.tg.callsTo('refundStarPayment').at(-1).body.telegram_payment_charge_id), chargeId);
    assert.equal(paymentOf(orderId).status, 'refunded');
    assert.equal(audit('payment.refund', `payment:${payment.id}`).length, 1);
    const again = await write(`/api/admin/payments/${payment.id}/refund`);
    assert.equal(again.status, 409);
    assert.equal(app.tg.callsTo('refundStarPayment').filter((c) => String(c.body.telegram_payment_charge_id) === chargeId).length, 1);
  });

  test('refund a Razorpay payment: its refund API, then its webhook takes the days back', async () => {
    const id = await customer();
    await send(app, callbackUpdate(app.nextUpdateId(), { userId: id, data: 'pay:monthly:razorpay' }));
    const row = app.db('SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? ORDER BY o.id DESC LIMIT 1', id)[0];
    await app.providers.razorpay.pay(row.external_id);
    await provisioned(app, row.public_id);
    const payment = paymentOf(row.public_id);
    const res = await write(`/api/admin/payments/${payment.id}/refund`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'requested');
    assert.equal(app.providers.razorpay.refunds.length, 1);
    assert.equal(app.providers.razorpay.refunds[0].amount, payment.amount_minor);
    await eventually(() => paymentOf(row.public_id).status === 'refunded', { what: 'the refund webhook' });
  });

  test('list with filters and cursor pages; the CSV export has the same rows', async () => {
    const all = await admin.json('/api/admin/payments?limit=200');
    assert.equal(all.status, 200);
    const stars = await admin.json('/api/admin/payments?provider=stars&limit=200');
    assert.ok(stars.body.items.length >= 2);
    assert.ok(stars.body.items.every((p) => p.provider === 'stars'));
    const refunded = await admin.json('/api/admin/payments?status=refunded');
    assert.ok(refunded.body.items.length >= 2 && refunded.body.items.every((p) => p.status === 'refunded'));
    const inr = await admin.json('/api/admin/payments?currency=INR');
    assert.ok(inr.body.items.every((p) => p.currency === 'INR'));
    const tomorrow = new Date(Date.now() + DAY * 1000).toISOString().slice(0, 10);
    assert.equal((await admin.json(`/api/admin/payments?from=${tomorrow}`)).body.items.length, 0);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await admin.json(`/api/admin/payments?from=${today}&to=${today}&limit=200`)).body.items.length, all.body.items.length);
    const first = await admin.json('/api/admin/payments?limit=1');
    const second = await admin.json(`/api/admin/payments?limit=1&cursor=${first.body.next_cursor}`);
    assert.equal(second.body.items[0].id, all.body.items[1].id);
    for (const bad of ['provider=paypal', 'status=weird', 'from=2026-1-1', 'currency=EUR']) {
      assert.equal((await admin.json(`/api/admin/payments?${bad}`)).status, 400, bad);
    }

    const csv = await admin.fetch('/api/admin/payments.csv?provider=stars');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match(csv.headers.get('content-disposition'), /attachment; filename="payments.csv"/);
    const lines = (await csv.text()).split('\r\n').filter(Boolean);
    assert.equal(lines[0], 'id,created_at,telegram_id,username,provider,status,amount,currency,order_id,kind,plan,external_id');
    assert.equal(lines.length - 1, stars.body.items.length);
    const top = stars.body.items[0];
    const cells = lines[1].split(',');
    assert.equal(Number(cells[0]), top.id);
    assert.match(cells[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(cells[4], 'stars');
    assert.equal(cells[6], String(top.amount_minor), 'Stars have no decimals');
    const rupees = (await (await admin.fetch('/api/admin/payments.csv?currency=INR')).text()).split('\r\n')[1];
    assert.match(rupees, /,169\.00,INR,/);
  });
});

describe('plans and prices', () => {
  test("a price edit prices new orders; an order already made keeps its price; the old Stars invoice is refused", async () => {
    const plans = await admin.json('/api/admin/plans');
    const monthly = plans.body.plans.find((p) => p.slug === 'monthly');
    assert.equal(monthly.prices.XTR, 100);
    const buyer = await customer();
    const oldInvoice = await requestInvoice(app, buyer, 'monthly', 'stars');
    assert.equal(oldInvoice.amount, 100);
    // A Razorpay order made before the change.
    const rBuyer = await customer();
    await send(app, callbackUpdate(app.nextUpdateId(), { userId: rBuyer, data: 'pay:monthly:razorpay' }));
    const rOrder = app.db('SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? ORDER BY o.id DESC LIMIT 1', rBuyer)[0];
    assert.equal(rOrder.amount_minor, 16900);

    const edit = { name: 'Monthly', days: 30, traffic_gb: 100, devices: 3, active: true, prices: { ...monthly.prices, XTR: 120, INR: 19900 } };
    const res = await write('/api/admin/plans/monthly', edit, { method: 'PUT' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.changed, true);
    const row = audit('plan.edit', 'plan:monthly').at(-1);
    assert.equal(JSON.parse(row.details).before.prices.XTR, 100);
    assert.equal(JSON.parse(row.details).after.prices.XTR, 120);
    // The same edit again changes nothing and writes no audit row.
    const same = await write('/api/admin/plans/monthly', edit, { method: 'PUT' });
    assert.equal(same.body.changed, false);
    assert.equal(audit('plan.edit', 'plan:monthly').length, 1);

    // Orders already made keep their amount.
    assert.equal(app.db('SELECT amount_minor FROM orders WHERE id = ?', rOrder.id)[0].amount_minor, 16900);
    // Before money: the current price wins, the old Stars invoice is refused at pre-checkout.
    const answer = await preCheckout(app, buyer, oldInvoice);
    assert.equal(answer.ok, false);
    // A new invoice has the new price.
    const newInvoice = await requestInvoice(app, buyer, 'monthly', 'stars');
    assert.equal(newInvoice.amount, 120);
    // After money: the order's price wins, the old Razorpay checkout paid at 169 is accepted.
    await app.providers.razorpay.pay(rOrder.external_id);
    await provisioned(app, rOrder.public_id);
    assert.equal(paymentOf(rOrder.public_id).amount_minor, 16900);
    // The public price list shows the new price.
    const publicPlans = await (await app.fetch('/api/plans')).json();
    assert.equal(JSON.stringify(publicPlans).includes('120'), true);

    // Put it back for the other tests.
    const back = await write('/api/admin/plans/monthly', { ...edit, prices: monthly.prices }, { method: 'PUT' });
    assert.equal(back.status, 200);
  });

  test('a bad edit is refused and changes nothing', async () => {
    const before = app.db('SELECT * FROM plan_prices ORDER BY plan_id, currency');
    const good = { name: 'Monthly', days: 30, traffic_gb: 100, devices: 3, active: true, prices: { XTR: 100 } };
    for (const bad of [
      { ...good, prices: { EUR: 100 } }, { ...good, prices: { XTR: -1 } }, { ...good, prices: {} }, { ...good, days: 0 },
      { ...good, name: '' }, { ...good, extra: true },
    ]) {
      const res = await write('/api/admin/plans/monthly', bad, { method: 'PUT' });
      assert.equal(res.status, 400, JSON.stringify(bad));
    }
    assert.equal((await write('/api/admin/plans/nope', good, { method: 'PUT' })).status, 404);
    assert.deepEqual(app.db('SELECT * FROM plan_prices ORDER BY plan_id, currency'), before);
  });
});

describe('promo codes', () => {
  test('create, list with uses, deactivate; a duplicate is refused', async () => {
    const created = await write('/api/admin/promos', { code: 'WEB7', kind: 'days', value: 7, max_uses: 10, expires: '2099-12-31' });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal((await write('/api/admin/promos', { code: 'web7', kind: 'days', value: 3 })).status, 409);
    assert.equal((await write('/api/admin/promos', { code: 'BAD CODE', kind: 'days', value: 3 })).status, 400);
    assert.equal((await write('/api/admin/promos', { code: 'PCT', kind: 'percent', value: 150 })).status, 400);
    assert.equal((await write('/api/admin/promos', { code: 'NUMDATE', kind: 'days', value: 3, expires: '10' })).status, 400);
    const id = await customer();
    const customerSession = new Session(app);
    await customerSession.widget(id);
    assert.equal((await customerSession.json('/api/promo', { method: 'POST', body: { code: 'WEB7' } })).status, 200);
    const list = await admin.json('/api/admin/promos');
    const web7 = list.body.promos.find((p) => p.code === 'WEB7');
    assert.deepEqual({ kind: web7.kind, value: web7.value, used: web7.used, max: web7.max_uses, active: web7.active },
      { kind: 'days', value: 7, used: 1, max: 10, active: true });
    assert.equal((await write('/api/admin/promos/WEB7/deactivate')).status, 200);
    assert.equal((await admin.json('/api/admin/promos')).body.promos.find((p) => p.code === 'WEB7').active, false);
    assert.equal((await write('/api/admin/promos/WEB7/deactivate')).status, 404);
    assert.equal(audit('promo.created', 'promo:WEB7').length, 1);
  });
});

describe('broadcast', () => {
  test('preview counts recipients and changes nothing; sending goes through the queue with live progress', async () => {
    const before = app.db('SELECT count(*) AS n FROM broadcasts')[0].n;
    const preview = await admin.json('/api/admin/broadcasts/preview', { method: 'POST', body: { text: '<b>News</b>\nbutton: Open | https://example.com', audience: 'active' } });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.equal(preview.body.text, '<b>News</b>');
    assert.deepEqual(preview.body.button, { label: 'Open', url: 'https://example.com' });
    const active = app.db("SELECT count(*) AS n FROM users WHERE expires_at > unixepoch() AND is_blocked = 0")[0].n;
    assert.ok(preview.body.recipients > 0);
    assert.ok(Math.abs(preview.body.recipients - active) <= 1, `${preview.body.recipients} vs ${active}`);
    assert.equal(app.db('SELECT count(*) AS n FROM broadcasts')[0].n, before);
    assert.equal((await admin.json('/api/admin/broadcasts/preview', { method: 'POST', body: { text: '' } })).status, 400);
    assert.equal((await admin.json('/api/admin/broadcasts/preview', { method: 'POST', body: { text: 'x', audience: 'vip' } })).status, 400);

    const sent = await write('/api/admin/broadcasts', { text: 'Hello from the console', audience: 'all', locale: 'en' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const id = sent.body.id;
    await eventually(async () => (await admin.json(`/api/admin/broadcasts/${id}`)).body.status === 'done', { what: 'the broadcast done', timeoutMs: 60_000 });
    const done = (await admin.json(`/api/admin/broadcasts/${id}`)).body;
    assert.equal(done.progress.sent + done.progress.blocked + done.progress.failed, done.progress.total);
    assert.equal(done.progress.total, sent.body.total);
    const delivered = app.tg.calls.filter((c) => c.method === 'sendMessage' && c.body.text === 'Hello from the console');
    assert.equal(delivered.length, done.progress.sent);
    assert.equal(audit('broadcast.start', `broadcast:${id}`).length, 1);
    const list = await admin.json('/api/admin/broadcasts');
    assert.equal(list.body.broadcasts[0].id, id);
  });
});

describe('dashboard', () => {
  test('KPIs and series reflect the shop; the panel adds users online', async () => {
    const stats = await admin.json('/api/admin/stats');
    assert.equal(stats.status, 200);
    const users = app.db('SELECT count(*) AS n FROM users')[0].n;
    assert.equal(stats.body.users.total, users);
    assert.equal(stats.body.users.today, users);
    const xtr = app.db("SELECT sum(amount_minor) AS s FROM payments WHERE status = 'completed' AND currency = 'XTR'")[0].s;
    assert.equal(stats.body.revenue.find((r) => r.currency === 'XTR').today, xtr);
    const active = app.db("SELECT count(*) AS n FROM users WHERE expires_at > unixepoch()")[0].n;
    assert.ok(stats.body.active.total > 0 && stats.body.active.total <= active);
    assert.ok(stats.body.active.by_plan_channel.some((r) => r.plan === 'monthly' && r.channel === 'stars'));
    assert.equal(typeof stats.body.panel.online_now, 'number');

    const series = await admin.json('/api/admin/series?days=30');
    assert.equal(series.status, 200);
    assert.equal(series.body.days, 30);
    assert.equal(series.body.active.length, 30, 'one point per day');
    assert.ok(series.body.active.at(-1).n > 0);
    const today = series.body.revenue.filter((r) => r.currency === 'XTR').at(-1);
    assert.equal(today.amount, xtr);
    assert.ok(series.body.new_paying.at(-1).n >= 3);
    assert.ok(series.body.plan_mix.some((m) => m.plan === 'monthly'));
    assert.equal((await admin.json('/api/admin/series?days=0')).status, 400);
  });

  test('nodes: the panel list with the health watch', async () => {
    await app.runCron('*/5 * * * *');
    const nodes = await admin.json('/api/admin/nodes');
    assert.equal(nodes.status, 200);
    assert.deepEqual(nodes.body.nodes.map((n) => n.name), app.panel.nodes.map((n) => n.name));
    assert.equal(nodes.body.nodes[0].connected, true);
    assert.equal(nodes.body.nodes[0].watch_up, true);
  });
});
