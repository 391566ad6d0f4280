// The demo's chat page (served by the Telegram stand-in) driven in headless Chromium against the
// real Worker: what a newcomer does after `scripts/dev`, and the side panel's operator actions.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnApp, TEST_ADMIN_ID } from './helpers/app.mjs';
import { launchBrowser, strictPage } from './helpers/browser.mjs';
import { eventually, panelUser, expirySeconds, DAY } from './helpers/shop.mjs';

let app;
let browser;
before(async () => {
  app = await spawnApp({ providers: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await app?.stop();
});

const botMessage = (page, text) => page.locator('#messages li.in', { hasText: text });
const pressButton = (page, data) => page.locator(`#messages button[data-callback="${data}"]`).last().click();

test('a new customer: /start, buy, pay with Stars; the link and the QR arrive; the side panel shows the expiry', async () => {
  const page = await strictPage(browser);
  await page.goto(app.tg.url + '/');
  await page.locator('#identity').selectOption('700001');
  await page.locator('[data-command="/start"]').click();
  await botMessage(page, 'What would you like to do').waitFor();

  await pressButton(page, 'menu:buy');
  await page.locator('#messages button[data-callback="plan:monthly"]').waitFor();
  await pressButton(page, 'plan:monthly');
  await page.locator('#messages button[data-callback="pay:monthly:stars"]').waitFor();
  await pressButton(page, 'pay:monthly:stars');

  // Telegram's invoice with its Pay button, then the payment sheet.
  const invoice = page.locator('#messages li[data-type="invoice"]').last();
  await invoice.waitFor();
  assert.match(await invoice.innerText(), /⭐100/);
  const paidFrom = Math.floor(Date.now() / 1000);
  await invoice.locator('button[data-kind="pay"]').click();
  await page.locator('#pay-confirm').click();

  await page.locator('#messages li[data-type="service"]', { hasText: 'You paid ⭐100' }).waitFor();
  const ready = botMessage(page, 'sub.example.test');
  await ready.waitFor({ timeout: 30_000 });
  const qr = page.locator('#messages li.in img').last();
  await qr.waitFor({ timeout: 30_000 });
  await eventually(() => qr.evaluate((img) => img.complete && img.naturalWidth > 100), { what: 'the QR image loaded' });
  const paidTo = Math.floor(Date.now() / 1000);

  // The panel user has 30 days from the payment, and the side panel shows exactly that.
  const user = panelUser(app, 700001);
  assert.ok(user, 'the Worker made no panel user');
  const expiry = expirySeconds(user);
  assert.ok(expiry >= paidFrom + 30 * DAY && expiry <= paidTo + 30 * DAY + 5, `expiry ${expiry} not 30 days after the payment`);
  const row = page.locator('#panel-users tr[data-username="tg_700001"]');
  await row.waitFor({ timeout: 10_000 });
  assert.equal(await row.locator('td[data-expire-at]').getAttribute('data-expire-at'), user.expireAt);
  assert.match(await row.innerText(), /ACTIVE/);
  assert.match(await ready.innerText(), new RegExp(user.subscriptionUrl.replace(/[.]/g, '\\.')));

  await page.screenshot({ path: process.env.CHAT_SCREENSHOT || '/tmp/wavegate-chat.png' });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the admin sees the node alert after a node is taken down and the health cron runs', async () => {
  const page = await strictPage(browser);
  await page.goto(app.tg.url + '/');
  await page.locator('#identity').selectOption(String(TEST_ADMIN_ID));
  // The health cron learns the nodes' state first, then sees one go down.
  await page.locator('#crons button[title="*/5 * * * *"]').click();
  await page.locator('#side-result', { hasText: 'answered 200' }).waitFor();
  await page.locator('#panel-nodes button', { hasText: 'take down' }).first().click();
  await eventually(() => app.panel.nodes.some((n) => !n.isConnected), { what: 'a node down in the panel stand-in' });
  await page.locator('#crons button[title="*/5 * * * *"]').click();
  await botMessage(page, app.panel.nodes.find((n) => !n.isConnected).name).waitFor({ timeout: 20_000 });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('UPI from the chat: the bot\'s pay button gets "pay (test)", which sends Razorpay\'s signed webhook; the link and QR arrive', async () => {
  const page = await strictPage(browser);
  await page.goto(app.tg.url + '/');
  await page.locator('#identity').selectOption('more'); // a brand-new customer
  await page.locator('[data-command="/buy"]').click();
  await page.locator('#messages button[data-callback="plan:monthly"]').last().click();
  await page.locator('#messages button[data-callback="pay:monthly:razorpay"]').last().click();
  const pay = page.locator('#messages button[data-kind="standin-pay"]').last();
  await pay.waitFor();
  assert.match(await pay.innerText(), /₹169 · pay \(test\)/);
  // The side panel lists the same waiting payment.
  await page.locator('#payments li[data-provider="razorpay"]', { hasText: '₹169.00' }).waitFor();
  await pay.click();
  await page.locator('#side-result', { hasText: 'razorpay sent its signed webhook; the Worker answered 200, 200' }).waitFor();
  await botMessage(page, 'Payment received').waitFor();
  await botMessage(page, 'sub.example.test').waitFor({ timeout: 30_000 });
  assert.equal([...app.providers.razorpay.links.values()].filter((l) => l.status === 'paid').length, 1);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the chat API refuses malformed requests and unknown invoices without delivering anything', async () => {
  const before = app.tg.calls.length;
  const post = (p, body) => fetch(app.tg.url + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal((await post('/api/send', '{"chat":')).status, 400);
  const form = await fetch(app.tg.url + '/api/send', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ chat: 5, from: { id: 5 }, text: '/start' }) });
  assert.equal(form.status, 415, 'a cross-site form post cannot talk to the bot');
  assert.equal((await post('/api/send', JSON.stringify({ chat: 'x', from: { id: 1 }, text: 'hi' }))).status, 400);
  assert.equal((await post('/api/pay', JSON.stringify({ chat: 5, from: { id: 5 }, messageId: 999999 }))).status, 404);
  assert.equal((await post('/api/refund', JSON.stringify({ chat: 5, from: { id: 5 }, chargeId: 'nope' }))).status, 404);
  assert.equal((await post('/api/cron', JSON.stringify({ expr: '* * * * *' }))).status, 400);
  assert.equal((await post('/api/payments/pay', JSON.stringify({ provider: 'razorpay', id: 'plink_none' }))).status, 404);
  assert.equal(app.tg.calls.length, before, 'nothing reached the bot');
  // A panel event fired from the side panel is signed as the panel signs it: the Worker takes it.
  const fired = await post('/api/panel/webhook', JSON.stringify({ event: 'user.modified', userId: [...app.panel.users.keys()][0] }));
  assert.equal(fired.status, 200);
  assert.equal((await fired.json()).status, 200);
});
