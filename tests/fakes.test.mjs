// Self-tests of the test infrastructure: the Remnawave and Telegram fakes, and
// the spawnApp() harness (run against a throwaway JS worker, so they do not
// depend on the Rust Worker being built).
//
//   npm exec -- node --test tests/fakes.test.mjs

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import contract from '@remnawave/backend-contract';
import { startRemnawaveFake, makeDevice } from './fakes/remnawave.mjs';
import { startTelegramFake } from './fakes/telegram.mjs';
import { spawnApp } from './helpers/app.mjs';
import { startProviderFakes, redeliver } from './fakes/providers.mjs';
import http from 'node:http';
import { createHash, createHmac } from 'node:crypto';

const DAY = 24 * 60 * 60 * 1000;
const inDays = (n) => new Date(Date.now() + n * DAY).toISOString();

// ------------------------------------------------------------------ panel

describe('remnawave fake', () => {
  let panel;
  before(async () => {
    panel = await startRemnawaveFake();
  });
  after(() => panel.close());

  /** A request like Wavegate's panel client makes. */
  async function api(method, p, body, { token = panel.token, headers = {} } = {}) {
    const res = await fetch(panel.url + p, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-proto': 'https',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, text, json: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  const createUser = (fields = {}) =>
    api('POST', '/api/users', { username: `u_${Math.random().toString(36).slice(2, 10)}`, expireAt: inDays(30), ...fields });

  /** Assert that `json` validates against a contract response schema. */
  function assertSchema(schema, json) {
    const r = schema.safeParse(json);
    assert.ok(r.success, JSON.stringify(r.error?.issues, null, 1));
  }

  test('drops the connection without the forwarded headers', async () => {
    panel.reset();
    await assert.rejects(fetch(`${panel.url}/api/system/metadata`, { headers: { authorization: `Bearer ${panel.token}` } }));
    await assert.rejects(
      api('GET', '/api/system/metadata', undefined, { headers: { 'x-forwarded-proto': 'http' } }),
    );
    assert.equal(panel.droppedConnections, 2);
    assert.equal(panel.calls.length, 0);
  });

  test('401 on a missing or wrong token, 404 on unknown routes', async () => {
    const bad = await api('GET', '/api/system/metadata', undefined, { token: 'nope' });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.json, { statusCode: 401, message: 'Unauthorized' });
    const none = await api('GET', '/api/system/metadata', undefined, { headers: { authorization: '' } });
    assert.equal(none.status, 401);
    const unknown = await api('GET', '/api/nope');
    assert.deepEqual(unknown.json, { message: 'Cannot GET /api/nope', error: 'Not Found', statusCode: 404 });
    assert.equal(panel.calls.at(-1).status, 404);
  });

  test('read-only endpoints validate against the contract', async () => {
    const meta = await api('GET', '/api/system/metadata');
    assert.match(meta.headers.get('content-type'), /^application\/json/);
    assertSchema(contract.GetMetadataCommand.ResponseSchema, meta.json);
    assert.equal(meta.json.response.version, '3.4.4');
    assertSchema(contract.GetStatsCommand.ResponseSchema, (await api('GET', '/api/system/stats')).json);
    const squads = await api('GET', '/api/internal-squads');
    assertSchema(contract.GetInternalSquadsCommand.ResponseSchema, squads.json);
    assert.equal(squads.json.response.internalSquads[0].name, 'Default-Squad');
    const nodes = await api('GET', '/api/nodes');
    assertSchema(contract.GetNodesCommand.ResponseSchema, nodes.json);
    assert.equal(nodes.json.response.length, 2);
  });

  test('create: 201 with a contract-valid user; duplicate username is A019', async () => {
    const res = await createUser({
      username: 'tg_123456789',
      telegramId: 123456789,
      trafficLimitBytes: 107374182400,
      trafficLimitStrategy: 'MONTH',
      hwidDeviceLimit: 3,
      description: 'order #1001',
      tag: 'SHOP',
      activeInternalSquads: ['a1b2c3d4-0000-4000-8000-000000000001'],
    });
    assert.equal(res.status, 201);
    assertSchema(contract.CreateUserCommand.ResponseSchema, res.json);
    const user = res.json.response;
    assert.equal(user.status, 'ACTIVE');
    assert.equal(user.subscriptionUrl, `https://sub.example.test/${user.shortUuid}`);
    assert.deepEqual(user.activeInternalSquads, [{ uuid: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'Default-Squad' }]);
    assert.deepEqual(panel.users.get(user.id), user);

    const dup = await createUser({ username: 'tg_123456789' });
    assert.equal(dup.status, 400);
    assert.equal(dup.json.errorCode, 'A019');
    assert.equal(dup.json.message, 'User username already exists');
    assert.equal(dup.json.path, '/api/users');

    // lookups
    assertSchema(contract.GetUserByIdCommand.ResponseSchema, (await api('GET', `/api/users/${user.id}`)).json);
    const byName = await api('GET', '/api/users/by-username/tg_123456789');
    assert.equal(byName.json.response.id, user.id);
    const byShort = await api('GET', `/api/users/by-short-uuid/${user.shortUuid}`);
    assert.equal(byShort.json.response.id, user.id);
    const missing = await api('GET', '/api/users/by-username/nobody');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.errorCode, 'A063');
    const stream = await api('GET', '/api/users/stream?telegramId=123456789&size=10');
    assertSchema(contract.GetUsersStreamCommand.ResponseSchema, stream.json);
    assert.deepEqual(stream.json.response.users.map((u) => u.id), [user.id]);
    assert.equal(stream.json.response.hasMore, false);
  });

  test('bad bodies, queries and path params give the nestjs-zod 400', async () => {
    const res = await api('POST', '/api/users', { username: 'has space' });
    assert.equal(res.status, 400);
    assert.equal(res.json.message, 'Validation failed');
    const paths = res.json.errors.map((e) => e.path.join('.'));
    assert.deepEqual(paths.sort(), ['expireAt', 'username']);
    assert.equal(res.json.errors.find((e) => e.path[0] === 'username').format, 'regex');

    const badId = await api('GET', '/api/users/abc');
    assert.equal(badId.status, 400);
    const badQuery = await api('GET', '/api/users/stream?size=5000');
    assert.equal(badQuery.status, 400);
    const past = await api('PATCH', '/api/users', { id: 1, expireAt: '2020-01-01T00:00:00.000Z' });
    assert.equal(past.status, 400);
    assert.match(JSON.stringify(past.json.errors), /cannot be in the past/);
    const status = await api('PATCH', '/api/users', { id: 1, status: 'EXPIRED' });
    assert.equal(status.status, 400);
    const noId = await api('PATCH', '/api/users', { description: 'x' });
    assert.equal(noId.status, 400);
  });

  test('update, enable/disable, revoke, reset-traffic, delete', async () => {
    const { json } = await createUser({ telegramId: 555 });
    const id = json.response.id;

    const upd = await api('PATCH', '/api/users', { id, expireAt: inDays(60), trafficLimitBytes: 0, description: null });
    assert.equal(upd.status, 200);
    assertSchema(contract.UpdateUserCommand.ResponseSchema, upd.json);
    assert.equal(upd.json.response.description, null);

    assert.equal((await api('POST', `/api/users/${id}/actions/enable`)).json.errorCode, 'A030');
    const dis = await api('POST', `/api/users/${id}/actions/disable`);
    assert.equal(dis.json.response.status, 'DISABLED');
    const again = await api('POST', `/api/users/${id}/actions/disable`);
    assert.equal(again.status, 400);
    assert.equal(again.json.errorCode, 'A029');
    assert.equal((await api('POST', `/api/users/${id}/actions/enable`)).json.response.status, 'ACTIVE');
    assert.equal((await api('POST', '/api/users/9999/actions/enable')).json.errorCode, 'A025');

    const before = panel.users.get(id).shortUuid;
    const rev = await api('POST', `/api/users/${id}/actions/revoke`, {});
    assertSchema(contract.RevokeUserSubscriptionCommand.ResponseSchema, rev.json);
    assert.notEqual(rev.json.response.shortUuid, before);
    assert.equal(rev.json.response.subscriptionUrl, `https://sub.example.test/${rev.json.response.shortUuid}`);
    assert.ok(rev.json.response.subRevokedAt);

    panel.users.get(id).userTraffic.usedTrafficBytes = 12345;
    const reset = await api('POST', `/api/users/${id}/actions/reset-traffic`);
    assert.equal(reset.json.response.userTraffic.usedTrafficBytes, 0);

    panel.devices.set(id, [makeDevice(id)]);
    const devices = await api('GET', `/api/hwid/devices/${id}`);
    assertSchema(contract.GetUserHwidDevicesCommand.ResponseSchema, devices.json);
    assert.equal(devices.json.response.total, 1);
    const cleared = await api('POST', '/api/hwid/devices/delete-all', { userId: id });
    assert.deepEqual(cleared.json, { response: { total: 0, devices: [] } });

    const del = await api('DELETE', `/api/users/${id}`);
    assert.equal(del.status, 204);
    assert.equal(del.text, '');
    assert.equal((await api('DELETE', `/api/users/${id}`)).json.errorCode, 'A025');
    assert.equal((await api('GET', `/api/users/${id}`)).json.errorCode, 'A063');
  });

  test('extend: ACTIVE adds to expireAt, EXPIRED restarts from now, DISABLED keeps status', async () => {
    const active = panel.addUser({ expireAt: new Date(Date.now() + 10 * DAY) });
    const r1 = await api('POST', `/api/users/${active.id}/actions/extend`, { days: 30 });
    assertSchema(contract.ExtendUserCommand.ResponseSchema, r1.json);
    assert.ok(Math.abs(Date.parse(r1.json.response.expireAt) - (Date.now() + 40 * DAY)) < 5000);
    assert.equal(r1.json.response.status, 'ACTIVE');

    const expired = panel.addUser({ status: 'EXPIRED', expireAt: new Date(Date.now() - 5 * DAY) });
    const r2 = await api('POST', `/api/users/${expired.id}/actions/extend`, { days: 30 });
    assert.ok(Math.abs(Date.parse(r2.json.response.expireAt) - (Date.now() + 30 * DAY)) < 5000);
    assert.equal(r2.json.response.status, 'ACTIVE');

    const disabled = panel.addUser({ status: 'DISABLED', expireAt: new Date(Date.now() + 2 * DAY) });
    const r3 = await api('POST', `/api/users/${disabled.id}/actions/extend`, { days: 1 });
    assert.ok(Math.abs(Date.parse(r3.json.response.expireAt) - (Date.now() + 3 * DAY)) < 5000);
    assert.equal(r3.json.response.status, 'DISABLED');

    assert.equal((await api('POST', `/api/users/${active.id}/actions/extend`, { days: 0 })).status, 400);
  });

  test('fault injection: failNext, reset, setFailRate (seeded), down/up', async () => {
    panel.reset();
    panel.failNext(2, 503);
    assert.equal((await api('GET', '/api/system/metadata')).status, 503);
    const second = await api('GET', '/api/system/metadata');
    assert.equal(second.status, 503);
    assert.equal(second.json.errorCode, 'A001');
    assert.equal((await api('GET', '/api/system/metadata')).status, 200);

    panel.failNext(1, 429);
    const limited = await api('GET', '/api/system/metadata');
    assert.equal(limited.status, 429);

    panel.failNext(1, 'reset');
    await assert.rejects(api('GET', '/api/system/metadata'));
    assert.equal((await api('GET', '/api/system/metadata')).status, 200);
    assert.deepEqual(panel.calls.map((c) => c.status), [503, 503, 200, 429, 'reset', 200]);

    const pattern = async (seed) => {
      panel.setFailRate(0.5, 500, seed);
      const out = [];
      for (let i = 0; i < 20; i++) out.push((await api('GET', '/api/system/metadata')).status);
      panel.setFailRate(0);
      return out;
    };
    const a = await pattern(42);
    const b = await pattern(42);
    assert.deepEqual(a, b);
    const failed = a.filter((s) => s === 500).length;
    assert.ok(failed > 3 && failed < 17, `${failed}/20 failed`);

    panel.down();
    assert.equal((await api('GET', '/api/system/metadata')).status, 503);
    panel.up();
    assert.equal((await api('GET', '/api/system/metadata')).status, 200);
  });
});

// --------------------------------------------------------------- telegram

describe('telegram fake', () => {
  let tg;
  before(async () => {
    tg = await startTelegramFake();
  });
  after(() => tg.close());

  const call = async (method, body, token = tg.token) => {
    const res = await fetch(`${tg.url}/bot${token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };

  test('auth and unknown methods', async () => {
    assert.deepEqual((await call('getMe', {}, '1:wrong')).json, { ok: false, error_code: 401, description: 'Unauthorized' });
    assert.equal((await call('noSuchMethod', {})).status, 404);
    const me = await call('getMe', {});
    assert.equal(me.json.result.is_bot, true);
  });

  test('refundStarPayment only for a charge in the ledger, once; edits must match the message kind', async () => {
    tg.ledgerPayment({ id: 'stxREF1', userId: 42, amount: 100, payload: 'order:x' });
    assert.equal((await call('refundStarPayment', { user_id: 42, telegram_payment_charge_id: 'stxNOPE' })).json.description, 'Bad Request: CHARGE_NOT_FOUND');
    assert.equal((await call('refundStarPayment', { user_id: 43, telegram_payment_charge_id: 'stxREF1' })).json.description, 'Bad Request: CHARGE_NOT_FOUND');
    assert.equal((await call('refundStarPayment', { user_id: 42, telegram_payment_charge_id: 'stxREF1' })).status, 200);
    assert.equal((await call('refundStarPayment', { user_id: 42, telegram_payment_charge_id: 'stxREF1' })).json.description, 'Bad Request: CHARGE_ALREADY_REFUNDED');

    const photo = await call('sendPhoto', { chat_id: 42, photo: 'AgACAgQAAxkBAAI', caption: 'QR' });
    const id = photo.json.result.message_id;
    assert.equal((await call('editMessageText', { chat_id: 42, message_id: id, text: 'x' })).json.description, 'Bad Request: there is no text in the message to edit');
    assert.equal((await call('editMessageCaption', { chat_id: 42, message_id: id, caption: 'new' })).status, 200);
    const text = await call('sendMessage', { chat_id: 42, text: 'hi' });
    assert.equal((await call('editMessageCaption', { chat_id: 42, message_id: text.json.result.message_id, caption: 'x' })).status, 400);
  });

  test('sendMessage: valid keyboards pass, invalid ones are 400', async () => {
    tg.reset();
    const ok = await call('sendMessage', {
      chat_id: 42,
      text: '<b>Plans</b> &amp; prices',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: '⭐ 1 month', callback_data: 'buy:stars:1m' }], [{ text: 'Site', url: 'https://example.com' }]] },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.result.chat.type, 'private');
    assert.equal(typeof ok.json.result.message_id, 'number');

    const cases = [
      [{ chat_id: 42, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'no action' }]] } }, /Text buttons are unallowed/],
      [{ chat_id: 42, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'long', callback_data: 'x'.repeat(65) }]] } }, /BUTTON_DATA_INVALID/],
      [{ chat_id: 42, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'two', callback_data: 'a', url: 'https://e.com' }]] } }, /more than one/],
      [{ chat_id: 42, text: 'x', reply_markup: { inline_keyboard: [{ text: 'flat', callback_data: 'a' }] } }, /Array of Arrays/],
      [{ chat_id: 42, text: '' }, /text is empty/],
      [{ text: 'hi' }, /chat_id is empty/],
      [{ chat_id: 42, text: 'x'.repeat(4097) }, /too long/],
      [{ chat_id: 42, text: '<b>unclosed', parse_mode: 'HTML' }, /can't parse entities/],
      [{ chat_id: 42, text: 'a < b & c', parse_mode: 'HTML' }, /can't parse entities/],
      [{ chat_id: 42, text: 'Price: 1.99', parse_mode: 'MarkdownV2' }, /Character '\.' is reserved/],
    ];
    for (const [body, expected] of cases) {
      const res = await call('sendMessage', body);
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
      assert.match(res.json.description, /^Bad Request: /);
      assert.match(res.json.description, expected);
    }
    assert.equal((await call('sendMessage', { chat_id: 42, text: 'Price: 1\\.99 *bold*', parse_mode: 'MarkdownV2' })).status, 200);
    assert.deepEqual(tg.messagesTo(42), ['<b>Plans</b> &amp; prices', 'Price: 1\\.99 *bold*']);
    assert.equal(tg.callsTo('sendMessage').filter((c) => !c.ok).length, cases.length);
  });

  test('edits: "message is not modified" like Telegram', async () => {
    const sent = await call('sendMessage', { chat_id: 7, text: 'one' });
    const edit = { chat_id: 7, message_id: sent.json.result.message_id, text: 'two' };
    assert.equal((await call('editMessageText', edit)).status, 200);
    const same = await call('editMessageText', edit);
    assert.equal(same.status, 400);
    assert.match(same.json.description, /message is not modified/);
  });

  test('Stars invoices and pre-checkout answers', async () => {
    const invoice = { title: 'Wavegate 1 month', description: 'VPN for 30 days', payload: 'order:1', currency: 'XTR', prices: [{ label: '1 month', amount: 150 }] };
    const sent = await call('sendInvoice', { chat_id: 42, ...invoice });
    assert.equal(sent.json.result.invoice.total_amount, 150);
    const link = await call('createInvoiceLink', { ...invoice, subscription_period: 2592000 });
    assert.match(link.json.result, /^https:\/\/t\.me\/\$invoice\//);

    const bad = [
      ['sendInvoice', { chat_id: 42, ...invoice, subscription_period: 2592000 }],
      ['createInvoiceLink', { ...invoice, subscription_period: 86400 }],
      ['createInvoiceLink', { ...invoice, prices: [{ label: 'a', amount: 1 }, { label: 'b', amount: 2 }] }],
      ['createInvoiceLink', { ...invoice, prices: [{ label: 'a', amount: 0 }] }],
      ['createInvoiceLink', { ...invoice, provider_token: 'tok' }],
      ['createInvoiceLink', { ...invoice, title: 'x'.repeat(33) }],
      ['createInvoiceLink', { ...invoice, payload: 'p'.repeat(129) }],
      ['answerPreCheckoutQuery', { pre_checkout_query_id: 'q1', ok: false }],
    ];
    for (const [method, body] of bad) assert.equal((await call(method, body)).status, 400, `${method} ${JSON.stringify(body).slice(0, 90)}`);
    assert.equal((await call('answerPreCheckoutQuery', { pre_checkout_query_id: 'q1', ok: true })).json.result, true);
    assert.equal((await call('answerPreCheckoutQuery', { pre_checkout_query_id: 'q1', ok: false, error_message: 'Sold out' })).json.result, true);
  });

  test('multipart sendPhoto records the uploaded file', async () => {
    const form = new FormData();
    form.set('chat_id', '42');
    form.set('caption', 'Your QR');
    form.set('reply_markup', JSON.stringify({ inline_keyboard: [[{ text: 'Open', url: 'https://sub.example.test/abc' }]] }));
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]);
    form.set('photo', new Blob([png], { type: 'image/png' }), 'qr.png');
    const res = await fetch(`${tg.url}/bot${tg.token}/sendPhoto`, { method: 'POST', body: form });
    assert.equal(res.status, 200);
    const recorded = tg.callsTo('sendPhoto').at(-1);
    assert.equal(recorded.body.chat_id, '42');
    assert.equal(recorded.body.reply_markup.inline_keyboard[0][0].text, 'Open');
    assert.equal(recorded.body.photo.filename, 'qr.png');
    assert.equal(recorded.body.photo.contentType, 'image/png');
    assert.equal(recorded.body.photo.size, png.length);
    assert.ok(recorded.body.photo.bytes.equals(png));
    assert.equal(tg.messagesTo(42).at(-1), 'Your QR');
  });

  test('waitFor and failNext', async () => {
    const waiting = tg.waitFor((c) => c.method === 'sendMessage' && c.body.text === 'later');
    setTimeout(() => call('sendMessage', { chat_id: 1, text: 'later' }), 50);
    assert.equal((await waiting).body.chat_id, 1);
    await assert.rejects(tg.waitFor((c) => c.body.text === 'never', 100), /no matching call/);

    tg.failNext(1, { error_code: 429, retry_after: 3, method: 'sendMessage' });
    assert.equal((await call('getMe', {})).status, 200); // other methods unaffected
    const limited = await call('sendMessage', { chat_id: 1, text: 'hi' });
    assert.deepEqual(limited.json, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } });
    assert.equal((await call('sendMessage', { chat_id: 1, text: 'hi' })).status, 200);
  });
});

// ---------------------------------------------------------------- harness

// A throwaway worker exercising the plumbing spawnApp() provides.
const FIXTURE_WORKER = `
export default {
  async fetch(req, env) {
    const url = new URL(req.url);
    switch (url.pathname) {
      case '/healthz':
        return Response.json({ ok: true });
      case '/env':
        return Response.json(Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string')));
      case '/insert':
        await env.DB.prepare('INSERT INTO items (name) VALUES (?)').bind(url.searchParams.get('name')).run();
        return Response.json({ ok: true });
      case '/items':
        return Response.json((await env.DB.prepare('SELECT name FROM items ORDER BY id').all()).results);
      case '/reach-fakes': {
        const panel = await fetch(env.REMNAWAVE_URL + '/api/system/metadata', {
          headers: { authorization: 'Bearer ' + env.REMNAWAVE_TOKEN, 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'https' },
        });
        const tg = await fetch(env.TELEGRAM_API_BASE + '/bot' + env.TELEGRAM_BOT_TOKEN + '/sendMessage', {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ chat_id: Number(env.ADMIN_TELEGRAM_IDS), text: 'hello from the worker' }),
        });
        return Response.json({ panel: panel.status, tg: tg.status });
      }
      case '/telegram/webhook':
        if (req.headers.get('x-telegram-bot-api-secret-token') !== env.TELEGRAM_WEBHOOK_SECRET) return new Response('unauthorized', { status: 401 });
        return Response.json({ update_id: (await req.json()).update_id });
    }
    return new Response('not found', { status: 404 });
  },
  async scheduled(controller, env) {
    await env.DB.prepare('INSERT INTO cron_runs (cron) VALUES (?)').bind(controller.cron).run();
  },
};
`;

async function writeFixture() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wavegate-fixture-'));
  await fs.mkdir(path.join(dir, 'd1-migrations'));
  await fs.writeFile(path.join(dir, 'worker.js'), FIXTURE_WORKER);
  await fs.writeFile(
    path.join(dir, 'd1-migrations', '0001_init.sql'),
    'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\nCREATE TABLE cron_runs (id INTEGER PRIMARY KEY, cron TEXT NOT NULL);\n',
  );
  await fs.writeFile(
    path.join(dir, 'wrangler.toml'),
    [
      'name = "wavegate-fixture"',
      'main = "worker.js"',
      'compatibility_date = "2025-09-01"',
      '[vars]',
      'FROM_TOML = "toml"',
      '[[d1_databases]]',
      'binding = "DB"',
      'database_name = "wavegate"',
      'database_id = "00000000-0000-4000-8000-000000000000"',
      'migrations_dir = "d1-migrations"',
      '[triggers]',
      'crons = ["0 * * * *", "*/5 * * * *"]',
      '',
    ].join('\n'),
  );
  // A developer's .dev.vars next to the config: must NOT reach the worker.
  await fs.writeFile(path.join(dir, '.dev.vars'), 'TELEGRAM_BOT_TOKEN=leaked\nDEV_ONLY=leaked\nMETRICS_TOKEN=leaked\n');
  return dir;
}

describe('spawnApp harness (throwaway JS worker)', () => {
  let fixture, app, app2;
  before(async () => {
    fixture = await writeFixture();
    const configPath = path.join(fixture, 'wrangler.toml');
    // Two apps side by side: distinct ports, no fixed inspector port.
    [app, app2] = await Promise.all([
      spawnApp({ configPath, vars: { METRICS_TOKEN: null, ODD_VALUE: 'a:b $HOME "q" \\n' } }),
      spawnApp({ configPath }),
    ]);
  });
  after(async () => {
    await Promise.all([app?.stop(), app2?.stop()]);
    if (fixture) await fs.rm(fixture, { recursive: true, force: true });
  });

  test('vars come only from the test (.dev.vars ignored, null omits, values verbatim)', async () => {
    const env = await (await app.fetch('/env')).json();
    assert.equal(env.TELEGRAM_BOT_TOKEN, app.tg.token);
    assert.equal(env.REMNAWAVE_URL, app.panel.url);
    assert.equal(env.TELEGRAM_API_BASE, app.tg.url);
    assert.equal(env.FROM_TOML, 'toml');
    assert.equal(env.DEV_ONLY, undefined);
    assert.equal(env.METRICS_TOKEN, undefined);
    assert.equal(env.ODD_VALUE, 'a:b $HOME "q" \\n');
    assert.equal(env.REMNAWAVE_WEBHOOK_SECRET.length, 64);
  });

  test('two apps run side by side with their own state', async () => {
    assert.notEqual(app.port, app2.port);
    assert.notEqual(app.stateDir, app2.stateDir);
    assert.equal((await app2.fetch('/healthz')).status, 200);
    await app2.fetch('/insert?name=only-in-app2');
    assert.deepEqual(app.db('SELECT name FROM items WHERE name = ?', 'only-in-app2'), []);
  });

  test('migrations applied; db() reads rows the worker wrote, the worker sees db() writes', async () => {
    assert.deepEqual(app.db('SELECT name FROM d1_migrations').map((r) => r.name), ['0001_init.sql']);
    assert.equal((await app.fetch('/insert?name=from-worker')).status, 200);
    assert.deepEqual(app.db('SELECT name FROM items'), [{ name: 'from-worker' }]);
    const res = app.db('INSERT INTO items (name) VALUES (?)', 'from-test');
    assert.equal(res.changes, 1);
    assert.deepEqual(await (await app.fetch('/items')).json(), [{ name: 'from-worker' }, { name: 'from-test' }]);
  });

  test('runCron reaches the scheduled handler', async () => {
    const res = await app.runCron('*/5 * * * *');
    assert.equal(res.status, 200);
    assert.deepEqual(app.db('SELECT cron FROM cron_runs'), [{ cron: '*/5 * * * *' }]);
  });

  test('the worker reaches both fakes; sendUpdate sets or omits the secret header', async () => {
    const reach = await (await app.fetch('/reach-fakes')).json();
    assert.deepEqual(reach, { panel: 200, tg: 200 });
    assert.equal(app.panel.callsTo('/api/system/metadata').length, 1);
    const msg = await app.tg.waitFor('sendMessage');
    assert.equal(msg.body.text, 'hello from the worker');

    const id = app.nextUpdateId();
    assert.ok(app.nextUpdateId() > id);
    const ok = await app.sendUpdate({ update_id: id, message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text: '/start' } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json, { update_id: id });
    assert.equal((await app.sendUpdate({ update_id: id }, { secret: null })).status, 401);
    assert.equal((await app.sendUpdate({ update_id: id }, { secret: 'wrong' })).status, 401);
  });

  test('stop() kills wrangler and removes the state dir', async () => {
    const { url, stateDir } = app2;
    await app2.stop();
    await assert.rejects(fetch(`${url}/healthz`));
    await assert.rejects(fs.access(stateDir));
  });
});

// ------------------------------------------------------------------ providers

describe('payment provider stand-ins', () => {
  let fakes;
  let hook; // a capture server standing in for the Worker's webhook routes
  const received = [];
  before(async () => {
    fakes = await startProviderFakes();
    hook = http.createServer(async (req, res) => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      received.push({ path: req.url, headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      res.end('ok');
    });
    await new Promise((r) => hook.listen(0, '127.0.0.1', r));
    fakes.connect(`http://127.0.0.1:${hook.address().port}`);
  });
  after(async () => {
    await fakes.close();
    hook.close();
  });

  const basic = (user, pass) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  const post = (url, body, headers) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  test('razorpay: Basic auth, integer paise >= 100 in INR, unique reference ids; pay sends both signed events', async () => {
    const rzp = fakes.razorpay;
    const auth = { authorization: basic(rzp.keyId, rzp.keySecret) };
    const link = (over) => ({ amount: 16900, currency: 'INR', reference_id: `ord_${Math.random().toString(36).slice(2)}`, upi_link: true, ...over });
    assert.equal((await post(`${rzp.url}/v1/payment_links`, link(), { authorization: basic(rzp.keyId, 'wrong') })).status, 401);
    assert.equal((await post(`${rzp.url}/v1/payment_links`, link({ amount: 99 }), auth)).status, 400);
    assert.equal((await post(`${rzp.url}/v1/payment_links`, link({ amount: 169.5 }), auth)).status, 400);
    assert.equal((await post(`${rzp.url}/v1/payment_links`, link({ amount: '16900' }), auth)).status, 400);
    assert.equal((await post(`${rzp.url}/v1/payment_links`, link({ currency: 'USD' }), auth)).status, 400);
    const res = await post(`${rzp.url}/v1/payment_links`, link({ reference_id: 'ord_once', notes: {} }), auth);
    assert.equal(res.status, 200);
    const created = await res.json();
    assert.deepEqual(created.notes, [], 'empty notes come back as [] as Razorpay sends them');
    assert.equal((await post(`${rzp.url}/v1/payment_links`, link({ reference_id: 'ord_once' }), auth)).status, 400, 'a reused reference id');

    received.length = 0;
    const { payment, deliveries } = await fakes.pay('razorpay', created.id);
    assert.deepEqual(received.map((r) => JSON.parse(r.raw).event), ['payment.captured', 'payment_link.paid']);
    assert.deepEqual(JSON.parse(received[0].raw).payload.payment.entity.notes, [], "a link payment's own notes are empty, as Razorpay's are");
    for (const r of received) {
      assert.equal(r.path, '/webhooks/razorpay');
      assert.equal(r.headers['x-razorpay-signature'], createHmac('sha256', rzp.webhookSecret).update(r.raw).digest('hex'));
      assert.match(r.headers['x-razorpay-event-id'], /^evt_/);
    }
    assert.equal(JSON.parse(received[1].raw).payload.payment_link.entity.reference_id, 'ord_once');
    await redeliver(deliveries[0]);
    assert.deepEqual(received[2], { ...received[0], headers: received[2].headers });
    assert.equal(received[2].headers['x-razorpay-event-id'], received[0].headers['x-razorpay-event-id'], 'a retry keeps its event id');
    await assert.rejects(fakes.pay('razorpay', created.id), /is paid/);

    const refund = (body) => post(`${rzp.url}/v1/payments/${payment.id}/refund`, body, auth);
    assert.equal((await refund({ amount: 16901 })).status, 400, 'more than captured');
    assert.equal((await refund({ amount: 16900 })).status, 200);
    assert.equal((await refund({ amount: 100 })).status, 400, 'nothing left to refund');
  });

  test('xendit: Basic auth with the secret key, v3 api-version, whole IDR up to 10,000,000, unique references; pay sends the token', async () => {
    const xnd = fakes.xendit;
    const headers = { authorization: basic(xnd.secretKey, ''), 'api-version': '2024-11-11' };
    const req = (over) => ({ reference_id: `ord_${Math.random().toString(36).slice(2)}`, type: 'PAY', country: 'ID', currency: 'IDR', request_amount: 32000, channel_code: 'QRIS', channel_properties: {}, ...over });
    const url = `${xnd.url}/v3/payment_requests`;
    assert.equal((await post(url, req(), { ...headers, authorization: basic('xnd_wrong', '') })).status, 401);
    assert.equal((await post(url, req(), { ...headers, 'api-version': '2022-07-31' })).status, 400);
    assert.equal((await post(url, req({ request_amount: 10_000_001 }), headers)).status, 400);
    assert.equal((await post(url, req({ request_amount: 32000.5 }), headers)).status, 400);
    assert.equal((await post(url, req({ request_amount: '32000' }), headers)).status, 400);
    const ok = await post(url, req({ reference_id: 'ord_qr_once' }), headers);
    assert.equal(ok.status, 200);
    const pr = await ok.json();
    assert.equal(pr.actions[0].descriptor, 'QR_STRING');
    assert.equal((await post(url, req({ reference_id: 'ord_qr_once' }), headers)).status, 409);

    received.length = 0;
    await fakes.pay('xendit', pr.payment_request_id);
    assert.equal(received.length, 1);
    assert.equal(received[0].headers['x-callback-token'], xnd.callbackToken);
    const event = JSON.parse(received[0].raw);
    assert.equal(event.event, 'payment.capture');
    assert.equal(event.data.status, 'SUCCEEDED');
    assert.equal(event.data.request_amount, 32000);
    assert.equal(event.data.reference_id, 'ord_qr_once');
    assert.equal((await post(`${xnd.url}/refunds`, { payment_request_id: pr.payment_request_id, amount: 32001 }, headers)).status, 400);
    assert.equal((await post(`${xnd.url}/refunds`, { payment_request_id: pr.payment_request_id, amount: 32000, currency: 'IDR' }, headers)).status, 200);
  });

  test('crypto pay: the API token, decimal-string amounts, known assets; pay signs with SHA-256 of the token', async () => {
    const cp = fakes.cryptopay;
    const call = (params, token = cp.token) => post(`${cp.url}/api/createInvoice`, params, { 'crypto-pay-api-token': token });
    const fiat = { currency_type: 'fiat', fiat: 'USD', accepted_assets: 'USDT,TON', amount: '2.00', payload: 'order:abc', expires_in: 3600 };
    assert.equal((await call(fiat, '1:wrong')).status, 401);
    assert.equal((await call({ ...fiat, amount: 2 })).status, 400, 'a number, not a decimal string');
    assert.equal((await call({ ...fiat, amount: '0' })).status, 400);
    assert.equal((await call({ ...fiat, accepted_assets: 'USDT,DOGE' })).status, 400);
    assert.equal((await call({ ...fiat, expires_in: 2_678_401 })).status, 400);
    const res = await call(fiat);
    assert.equal(res.status, 200);
    const { result: invoice } = await res.json();
    assert.match(invoice.bot_invoice_url, /^https:\/\/t\.me\//);

    received.length = 0;
    await fakes.pay('cryptopay', String(invoice.invoice_id));
    const key = createHash('sha256').update(cp.token).digest();
    assert.equal(received[0].headers['crypto-pay-api-signature'], createHmac('sha256', key).update(received[0].raw).digest('hex'));
    const update = JSON.parse(received[0].raw);
    assert.equal(update.update_type, 'invoice_paid');
    assert.equal(update.payload.status, 'paid');
    assert.equal(update.payload.amount, '2.00');
    assert.equal(update.payload.paid_asset, 'USDT');
    assert.equal(update.payload.paid_amount, '2');
    assert.equal(update.payload.paid_fiat_rate, '1');
    assert.deepEqual(fakes.waiting().filter((w) => w.provider === 'cryptopay'), []);
  });
});
