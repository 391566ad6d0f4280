// Gift subscriptions through the real Worker: Anna pays for a plan as a gift through Razorpay
// (the provider fake checks the amount), the queue issues her a one-time link instead of days,
// a new customer opens it and gets a panel user with the plan's days, Anna cannot redeem her own
// gift and nobody can redeem it twice.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnApp } from './helpers/app.mjs';
import { callbackUpdate, textUpdate } from './helpers/updates.mjs';
import { send, startUser, eventually, order, panelUser, expirySeconds, DAY } from './helpers/shop.mjs';

let app;
let rzp;
before(async () => {
  app = await spawnApp({ providers: true });
  rzp = app.providers.razorpay;
});
after(() => app?.stop());

test('a gift paid through Razorpay gives the buyer a link; the first other person to open it gets the plan, once', async () => {
  const [anna, ivan, petr] = [995_001, 995_002, 995_003];
  await startUser(app, anna);
  await send(app, callbackUpdate(app.nextUpdateId(), { userId: anna, data: 'gift:monthly:razorpay' }));
  const row = app.db('SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id WHERE u.telegram_id = ? ORDER BY o.id DESC LIMIT 1', anna)[0];
  assert.equal(JSON.parse(row.metadata).gift, true);
  assert.equal(rzp.links.get(row.external_id).amount, 16900, 'a gift is at the plan price');
  await rzp.pay(row.external_id);
  await eventually(() => order(app, row.public_id).status === 'provisioned', { what: 'the gift order done' });
  const ready = await eventually(() => app.tg.messagesTo(anna).find((t) => t.includes('?start=gift_')), { what: 'Anna gets the link' });
  assert.equal(panelUser(app, anna), undefined, 'the buyer gets no days');
  const code = /start=(gift_[a-z0-9]{16})/.exec(ready)[1];

  await send(app, textUpdate(app.nextUpdateId(), { userId: anna, text: `/start ${code}` }));
  assert.match(app.tg.messagesTo(anna).at(-1), /your own gift/);

  const before = Math.floor(Date.now() / 1000);
  await send(app, textUpdate(app.nextUpdateId(), { userId: ivan, text: `/start ${code}` }));
  assert.match(app.tg.messagesTo(ivan).at(-1), /You received a gift: 30 days/);
  await eventually(() => panelUser(app, ivan), { what: 'Ivan has a panel user' });
  const ivanUser = panelUser(app, ivan);
  assert.ok(Math.abs(expirySeconds(ivanUser) - (before + 30 * DAY)) < 120, 'the plan\'s 30 days');
  assert.equal(ivanUser.hwidDeviceLimit, 3);
  await eventually(() => app.tg.messagesTo(ivan).some((t) => t.includes(ivanUser.subscriptionUrl)), { what: 'Ivan gets his link' });
  await eventually(() => app.tg.messagesTo(anna).some((t) => /gift was just redeemed/.test(t)), { what: 'Anna told' });

  await startUser(app, petr);
  await send(app, textUpdate(app.nextUpdateId(), { userId: petr, text: `/start ${code}` }));
  assert.match(app.tg.messagesTo(petr).at(-1), /already been redeemed/);
  assert.equal(panelUser(app, petr), undefined);
  assert.equal(app.db("SELECT count(*) AS n FROM orders WHERE json_extract(metadata, '$.gift') = ?", code.slice(5))[0].n, 1);
});
