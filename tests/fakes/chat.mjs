// The chat page: a phone-shaped Telegram client served by the Telegram stand-in, so a person
// (or a browser test) can talk to the real Worker with no bot token, panel or provider account.
//
// Everything the page shows comes from the Bot API calls the Worker makes to the stand-in
// (`tg.onCall`), and everything the page does becomes the update Telegram would deliver
// (`tg.deliver`): a typed text, a button press (callback_query), a Stars payment
// (pre_checkout_query, then successful_payment once the bot said ok), a refund by Telegram
// (refunded_payment). A side panel shows and changes what the panel stand-in holds and runs the
// Worker's crons, as an operator or the panel would.
//
//   mountChat({ tg, panel, workerUrl, remnawaveSecret, adminId, crons })
//
// Routes (on the stand-in's own port, next to /bot<token>/<method>):
//   GET  /                      the page (tests/fakes/chat/)
//   GET  /api/info              bot name, identities, crons, panel webhook events
//   GET  /api/events?chat&after what happened in a chat after event `after` (waits up to 20 s)
//   GET  /api/file/<file_id>    a photo the bot sent
//   POST /api/send {chat, from, text}            POST /api/press {chat, from, messageId, data}
//   POST /api/pay {chat, from, messageId|link}   POST /api/refund {chat, from, chargeId}
//   GET  /api/invoice?link      an invoice link's parameters (Stars subscriptions)
//   GET  /api/panel             users and nodes of the panel stand-in
//   POST /api/panel/user {id, action: expire|extend|shorten|traffic|device|disable|enable}
//   POST /api/panel/node {uuid, connected}       POST /api/panel/webhook {event, userId?, nodeUuid?}
//   POST /api/cron {expr}
//   GET  /api/payments          provider objects waiting for money (Razorpay links, QRIS, invoices)
//   POST /api/payments/pay {provider, id}        "pay (test)": the provider's signed webhook

import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeDevice } from './remnawave.mjs';
import { textUpdate, callbackUpdate, preCheckoutUpdate, paymentUpdate, refundUpdate } from '../helpers/updates.mjs';

const PAGE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'chat');
const PAGE_FILES = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/chat.js': ['chat.js', 'text/javascript; charset=utf-8'],
  '/chat.css': ['chat.css', 'text/css; charset=utf-8'],
};
const HOUR_MS = 3_600_000;
const GB = 1024 ** 3;

/** What the crons in wrangler.toml do, for the buttons. */
const CRON_LABELS = {
  '*/5 * * * *': 'node health (every 5 min)',
  '0 * * * *': 'hourly: reconciliation and housekeeping',
};

/** Panel webhook events the side panel can fire (Remnawave 3.x names). */
const PANEL_EVENTS = {
  user: ['user.modified', 'user.expiration', 'user.expired', 'user.disabled', 'user.enabled', 'user.limited',
    'user.first_connected', 'user.bandwidth_usage_threshold_reached', 'user.not_connected', 'user.traffic_reset'],
  node: ['node.connection_lost', 'node.connection_restored'],
};

/**
 * Serve the chat page and its API on the Telegram stand-in.
 * @param {object} o
 * @param {object} o.tg the Telegram stand-in (tests/fakes/telegram.mjs)
 * @param {object} o.panel the Remnawave stand-in (tests/fakes/remnawave.mjs)
 * @param {object} [o.providers] the payment stand-ins (tests/fakes/providers.mjs)
 * @param {string} o.workerUrl the Worker's origin
 * @param {string} [o.remnawaveSecret] signs panel webhook events
 * @param {number} o.adminId the operator's Telegram id
 * @param {string[]} [o.crons] cron expressions the Worker has
 */
export function mountChat({ tg, panel, providers = null, workerUrl, remnawaveSecret, adminId, crons = [] }) {
  const feed = new EventEmitter();
  feed.setMaxListeners(100);
  const log = []; // { seq, chat, ...event }
  const files = new Map(); // file_id -> { bytes, contentType }
  const invoices = new Map(); // `${chat}:${message_id}` -> invoice parameters
  const callbackChats = new Map(); // callback_query_id -> chat id (answers become toasts there)
  let updateId = 1;
  let chargeCounter = 0;

  const push = (chat, event) => {
    const entry = { seq: log.length + 1, chat: String(chat), at: Date.now(), ...event };
    log.push(entry);
    feed.emit('event', entry);
    return entry;
  };

  // ---- what the bot did, from its Bot API calls
  tg.onCall((call) => {
    if (!call.ok) return;
    const b = call.body;
    const markup = annotate(b.reply_markup?.inline_keyboard ? b.reply_markup : null);
    const id = call.result?.message_id;
    switch (call.method) {
      case 'sendMessage':
        push(b.chat_id, { type: 'message', id, text: String(b.text), parseMode: b.parse_mode ?? null, markup });
        break;
      case 'sendPhoto': {
        let photo = null;
        if (b.photo && typeof b.photo === 'object' && b.photo.bytes) {
          const fileId = call.result.photo[0].file_id;
          files.set(fileId, { bytes: b.photo.bytes, contentType: b.photo.contentType || 'image/png' });
          photo = `/api/file/${encodeURIComponent(fileId)}`;
        } else if (files.has(String(b.photo))) {
          photo = `/api/file/${encodeURIComponent(b.photo)}`;
        }
        push(b.chat_id, { type: 'message', id, photo, text: b.caption ?? '', parseMode: b.parse_mode ?? null, markup });
        break;
      }
      case 'sendInvoice': {
        const amount = b.prices.reduce((sum, p) => sum + Number(p.amount), 0);
        const invoice = { title: b.title, description: b.description, currency: b.currency, amount, payload: b.payload };
        invoices.set(`${b.chat_id}:${id}`, invoice);
        push(b.chat_id, { type: 'invoice', id, ...invoice, markup });
        break;
      }
      case 'editMessageText':
      case 'editMessageCaption':
      case 'editMessageReplyMarkup': {
        if (!b.chat_id) break;
        const edit = { type: 'edit', id: Number(b.message_id), markup };
        if (call.method !== 'editMessageReplyMarkup') {
          edit.text = String(b.text ?? b.caption ?? '');
          edit.parseMode = b.parse_mode ?? null;
        }
        push(b.chat_id, edit);
        break;
      }
      case 'deleteMessage':
        push(b.chat_id, { type: 'delete', id: Number(b.message_id) });
        break;
      case 'answerCallbackQuery': {
        const chat = callbackChats.get(String(b.callback_query_id));
        if (chat && b.text) push(chat, { type: 'toast', text: String(b.text), alert: b.show_alert === true || b.show_alert === 'true' });
        break;
      }
      default:
        break;
    }
  });

  /** Mark url buttons that open a provider stand-in's payment page, for a "pay (test)" beside them. */
  function annotate(markup) {
    if (!markup || !providers) return markup;
    const waiting = providers.waiting();
    const rows = markup.inline_keyboard.map((row) => row.map((button) => {
      const hit = button.url && waiting.find((w) => w.url === button.url);
      return hit ? { ...button, standin: { provider: hit.provider, id: hit.id } } : button;
    }));
    return { ...markup, inline_keyboard: rows };
  }

  async function payProvider({ provider, id }) {
    if (!providers) throw new ChatError(400, 'no payment stand-ins in this run');
    if (!providers.waiting().some((w) => w.provider === provider && w.id === String(id))) throw new ChatError(404, 'nothing waiting for that payment');
    const out = await providers.pay(provider, String(id));
    const deliveries = out.deliveries ?? [out];
    const last = deliveries.at(-1);
    return { status: last.status, body: last.body, deliveries: deliveries.map((d) => d.status) };
  }

  // ---- what the person does, as Telegram updates
  const nextId = () => updateId++;
  const person = (from) => ({
    userId: Number(from.id),
    firstName: String(from.first_name || 'Guest'),
    username: from.username || undefined,
    languageCode: from.language_code || 'en',
  });
  const withFrom = (update, from, key) => {
    update[key].from = { id: Number(from.id), is_bot: false, first_name: String(from.first_name || 'Guest'), language_code: from.language_code || 'en' };
    if (from.username) update[key].from.username = from.username;
    return update;
  };
  const checkDelivered = (res, what) => {
    if (res.status < 200 || res.status > 299) throw new ChatError(502, `the Worker answered ${res.status} to ${what}: ${res.body.slice(0, 300)}`);
  };

  async function sendText({ chat, from, text }) {
    text = String(text ?? '').trim();
    if (!text) throw new ChatError(400, 'type something first');
    push(chat, { type: 'user', text });
    const res = await tg.deliver(textUpdate(nextId(), { ...person(from), text }));
    checkDelivered(res, 'the message');
  }

  async function press({ chat, from, messageId, data }) {
    const update = withFrom(callbackUpdate(nextId(), { ...person(from), data: String(data), messageId: Number(messageId) }), from, 'callback_query');
    // Telegram sends the message the button is under, as it is now.
    update.callback_query.message = messageAsShown(chat, Number(messageId)) ?? update.callback_query.message;
    callbackChats.set(update.callback_query.id, String(chat));
    const res = await tg.deliver(update);
    checkDelivered(res, 'the button');
  }

  /** The bot's message `id` in `chat` as Telegram would send it in a callback_query. */
  function messageAsShown(chat, id) {
    const history = log.filter((e) => e.chat === String(chat) && e.id === id && ['message', 'invoice', 'edit'].includes(e.type));
    if (!history.length) return null;
    const first = history[0];
    const last = history.at(-1);
    const message = { message_id: id, from: tg.botUser, chat: { id: Number(chat), type: 'private' }, date: Math.floor(first.at / 1000) };
    if (last !== first) message.edit_date = Math.floor(last.at / 1000);
    const text = history.findLast((e) => e.text !== undefined)?.text;
    if (first.type === 'invoice') message.invoice = { title: first.title, description: first.description, start_parameter: '', currency: first.currency, total_amount: first.amount };
    else if (first.photo !== undefined) Object.assign(message, { photo: [{ file_id: 'shown', file_unique_id: 'shown', width: 512, height: 512 }], caption: text || undefined });
    else message.text = text;
    const markup = last.markup ?? (last.type === 'edit' ? null : first.markup);
    if (markup) message.reply_markup = { inline_keyboard: markup.inline_keyboard.map((row) => row.map(({ standin, ...b }) => b)) };
    return message;
  }

  /** Telegram's checkout: ask the bot (pre_checkout_query), then pay if it said ok. */
  async function pay({ chat, from, messageId, link }) {
    const invoice = link ? invoiceFromLink(link) : invoices.get(`${chat}:${messageId}`);
    if (!invoice) throw new ChatError(404, 'no such invoice');
    const p = person(from);
    const pcq = withFrom(preCheckoutUpdate(nextId(), { userId: p.userId, payload: invoice.payload, amount: invoice.amount, currency: invoice.currency }), from, 'pre_checkout_query');
    const res = await tg.deliver(pcq);
    checkDelivered(res, 'the pre-checkout query');
    const answer = await tg.waitFor((c) => c.ok && c.method === 'answerPreCheckoutQuery' && c.body.pre_checkout_query_id === pcq.pre_checkout_query.id, 10_000)
      .catch(() => null);
    if (!answer) throw new ChatError(504, 'the bot did not answer the pre-checkout query within 10 s');
    if (!(answer.body.ok === true || answer.body.ok === 'true')) {
      push(chat, { type: 'toast', text: String(answer.body.error_message ?? 'The bot refused the payment'), alert: true });
      return { ok: false };
    }
    const chargeId = `stxDEMO${Date.now().toString(36)}${(++chargeCounter).toString(36)}`;
    const subscription = invoice.subscription_period !== undefined;
    tg.ledgerPayment({ id: chargeId, userId: p.userId, amount: invoice.amount, payload: invoice.payload, subscription });
    push(chat, {
      type: 'service', chargeId, payload: invoice.payload, amount: invoice.amount, currency: invoice.currency,
      text: `You paid ${formatAmount(invoice.currency, invoice.amount)} for “${invoice.title}”${subscription ? ' (renews every 30 days)' : ''}`,
    });
    const opts = { userId: p.userId, payload: invoice.payload, amount: invoice.amount, chargeId, currency: invoice.currency };
    if (subscription) Object.assign(opts, { recurring: true, first: true, expiresAt: Math.floor(Date.now() / 1000) + 30 * 86_400 });
    const paid = await tg.deliver(withFrom(paymentUpdate(nextId(), opts), from, 'message'));
    checkDelivered(paid, 'the payment');
    return { ok: true, chargeId };
  }

  /** Telegram (its support, or the bot's own refundStarPayment) gave the Stars back. */
  async function refund({ chat, from, chargeId }) {
    const paid = log.find((e) => e.type === 'service' && e.chargeId === chargeId && e.chat === String(chat));
    if (!paid) throw new ChatError(404, 'no such payment in this chat');
    if (log.some((e) => e.type === 'refund' && e.chargeId === chargeId)) throw new ChatError(409, 'already refunded');
    const p = person(from);
    tg.ledgerRefund({ id: chargeId, userId: p.userId, amount: paid.amount });
    push(chat, { type: 'refund', chargeId, text: `${formatAmount(paid.currency, paid.amount)} refunded by Telegram` });
    const res = await tg.deliver(withFrom(refundUpdate(nextId(), { userId: p.userId, payload: paid.payload, amount: paid.amount, chargeId }), from, 'message'));
    checkDelivered(res, 'the refund');
  }

  function invoiceFromLink(link) {
    const params = tg.invoiceLinks.get(String(link));
    if (!params) return null;
    const amount = params.prices.reduce((sum, p) => sum + Number(p.amount), 0);
    return { ...params, amount };
  }

  // ---- the panel, as an operator or the panel itself changes it
  function panelView() {
    const now = Date.now();
    return {
      now: new Date(now).toISOString(),
      users: [...panel.users.values()].map((u) => ({
        id: u.id, username: u.username, telegramId: u.telegramId, status: u.status, expireAt: u.expireAt,
        usedBytes: u.userTraffic.usedTrafficBytes, limitBytes: u.trafficLimitBytes,
        devices: (panel.devices.get(u.id) ?? []).length, deviceLimit: u.hwidDeviceLimit,
        subscriptionUrl: u.subscriptionUrl,
      })),
      nodes: panel.nodes.map((n) => ({
        uuid: n.uuid, name: n.name, countryCode: n.countryCode, isConnected: n.isConnected, isDisabled: n.isDisabled,
        usersOnline: n.usersOnline, lastStatusChange: n.lastStatusChange, lastStatusMessage: n.lastStatusMessage,
      })),
    };
  }

  function changeUser({ id, action }) {
    const user = panel.users.get(Number(id));
    if (!user) throw new ChatError(404, 'no such panel user');
    const now = Date.now();
    const expiry = new Date(user.expireAt).getTime();
    switch (action) {
      case 'expire': // the panel's own job marks it expired
        user.expireAt = new Date(now - 60_000).toISOString();
        user.status = 'EXPIRED';
        break;
      case 'extend':
      case 'shorten': {
        const next = expiry + (action === 'extend' ? 24 : -24) * HOUR_MS;
        user.expireAt = new Date(next).toISOString();
        if (next <= now && user.status === 'ACTIVE') user.status = 'EXPIRED';
        if (next > now && user.status === 'EXPIRED') user.status = 'ACTIVE';
        break;
      }
      case 'traffic': {
        user.userTraffic.usedTrafficBytes += GB;
        user.userTraffic.lifetimeUsedTrafficBytes += GB;
        user.userTraffic.onlineAt = new Date(now).toISOString();
        user.userTraffic.firstConnectedAt ??= new Date(now).toISOString();
        if (user.trafficLimitBytes > 0 && user.userTraffic.usedTrafficBytes >= user.trafficLimitBytes && user.status === 'ACTIVE') {
          user.status = 'LIMITED';
        }
        break;
      }
      case 'device': {
        const list = panel.devices.get(user.id) ?? [];
        const device = makeDevice(user.id, { platform: ['Android', 'iOS', 'Windows', 'macOS'][list.length % 4] });
        list.push(device);
        panel.devices.set(user.id, list);
        user.updatedAt = new Date(now).toISOString();
        // The panel announces every new device (user_hwid_devices.added), as it does for real.
        if (remnawaveSecret) {
          const signed = panel.signedEvent(remnawaveSecret, 'user_hwid_devices.added', { user, hwidUserDevice: device });
          return fetch(`${workerUrl}/webhooks/remnawave`, { method: 'POST', headers: signed.headers, body: signed.raw })
            .then(async (res) => ({ status: res.status, body: (await res.text()).slice(0, 300) }));
        }
        break;
      }
      case 'disable':
        user.status = 'DISABLED';
        break;
      case 'enable':
        user.status = expiry > now ? 'ACTIVE' : 'EXPIRED';
        break;
      default:
        throw new ChatError(400, `unknown action ${action}`);
    }
    user.updatedAt = new Date(now).toISOString();
  }

  function changeNode({ uuid, connected }) {
    const node = panel.nodes.find((n) => n.uuid === uuid);
    if (!node) throw new ChatError(404, 'no such node');
    node.isConnected = connected === true;
    node.lastStatusChange = new Date().toISOString();
    node.lastStatusMessage = node.isConnected ? null : 'Connection lost (demo)';
    node.usersOnline = node.isConnected ? node.usersOnline : 0;
  }

  /** Sign and send a panel webhook event as the panel does (remnawave-api.md §8). */
  async function fireWebhook({ event, userId, nodeUuid }) {
    if (!remnawaveSecret) throw new ChatError(400, 'REMNAWAVE_WEBHOOK_SECRET is not set');
    const scope = String(event).split('.')[0];
    if (!PANEL_EVENTS[scope]?.includes(event)) throw new ChatError(400, `unknown event ${event}`);
    let signed;
    if (scope === 'user') {
      const user = panel.users.get(Number(userId));
      if (!user) throw new ChatError(404, 'no such panel user');
      const hours = Math.round((Date.now() - new Date(user.expireAt).getTime()) / HOUR_MS);
      const meta = event === 'user.expiration' ? { notConnectedAfterHours: null, expiration: hours }
        : event === 'user.not_connected' ? { notConnectedAfterHours: 24, expiration: null } : null;
      signed = panel.signedEvent(remnawaveSecret, event, user, { meta });
    } else {
      const node = panel.nodes.find((n) => n.uuid === nodeUuid);
      if (!node) throw new ChatError(404, 'no such node');
      signed = panel.signedEvent(remnawaveSecret, event, node);
    }
    const res = await fetch(`${workerUrl}/webhooks/remnawave`, { method: 'POST', headers: signed.headers, body: signed.raw });
    return { status: res.status, body: (await res.text()).slice(0, 300) };
  }

  async function runCron({ expr }) {
    if (!crons.includes(expr)) throw new ChatError(400, 'not one of the Worker\'s crons');
    const res = await fetch(`${workerUrl}/__scheduled?cron=${encodeURIComponent(expr)}`);
    return { status: res.status, body: (await res.text()).slice(0, 300) };
  }

  // ---- HTTP
  function eventsAfter(chat, after) {
    return log.filter((e) => e.seq > after && e.chat === chat);
  }

  async function waitEvents(chat, after, timeoutMs) {
    const ready = eventsAfter(chat, after);
    if (ready.length || timeoutMs <= 0) return ready;
    return new Promise((resolve) => {
      const onEvent = (e) => {
        if (e.chat !== chat) return;
        clearTimeout(timer);
        feed.off('event', onEvent);
        // Let the rest of a burst (a message, then its photo) arrive in the same answer.
        setTimeout(() => resolve(eventsAfter(chat, after)), 50);
      };
      const timer = setTimeout(() => {
        feed.off('event', onEvent);
        resolve([]);
      }, timeoutMs);
      feed.on('event', onEvent);
    });
  }

  const identities = [
    { key: 'new', label: 'new customer', id: 700001, first_name: 'Alex' },
    { key: 'returning', label: 'returning', id: 700002, first_name: 'Maria', username: 'maria_demo' },
    { key: 'admin', label: 'admin', id: adminId, first_name: 'Operator', username: 'shop_admin' },
  ];

  tg.addRoutes(async (req, res, url) => {
    const page = PAGE_FILES[url.pathname];
    if (page && req.method === 'GET') {
      const body = await fs.readFile(path.join(PAGE_DIR, page[0]));
      res.writeHead(200, { 'content-type': page[1], 'cache-control': 'no-store' });
      res.end(body);
      return true;
    }
    if (!url.pathname.startsWith('/api/')) return false;
    try {
      const result = await api(req, url);
      if (result?.bytes) {
        res.writeHead(200, { 'content-type': result.contentType, 'cache-control': 'max-age=3600' });
        res.end(result.bytes);
      } else {
        sendJson(res, 200, result ?? { ok: true });
      }
    } catch (err) {
      if (!(err instanceof ChatError)) console.error('[chat]', err);
      sendJson(res, err instanceof ChatError ? err.status : 500, { error: err.message });
    }
    return true;
  });

  async function api(req, url) {
    const route = `${req.method} ${url.pathname}`;
    if (req.method === 'GET') {
      if (route === 'GET /api/info') {
        return {
          bot: { name: tg.botUser.first_name, username: tg.botUser.username },
          identities, crons: crons.map((expr) => ({ expr, label: CRON_LABELS[expr] ?? expr })), panelEvents: PANEL_EVENTS,
        };
      }
      if (route === 'GET /api/events') {
        const chat = String(url.searchParams.get('chat') ?? '');
        if (!/^-?\d+$/.test(chat)) throw new ChatError(400, 'chat must be a number');
        const after = Number(url.searchParams.get('after') ?? 0) || 0;
        const wait = url.searchParams.get('wait') === '0' ? 0 : 20_000;
        const events = await waitEvents(chat, after, wait);
        return { events, last: log.length };
      }
      if (url.pathname.startsWith('/api/file/')) {
        const file = files.get(decodeURIComponent(url.pathname.slice('/api/file/'.length)));
        if (!file) throw new ChatError(404, 'no such file');
        return file;
      }
      if (route === 'GET /api/panel') return panelView();
      if (route === 'GET /api/payments') return { waiting: providers ? providers.waiting() : [], enabled: !!providers };
      if (route === 'GET /api/invoice') {
        const invoice = invoiceFromLink(url.searchParams.get('link'));
        if (!invoice) throw new ChatError(404, 'no such invoice link');
        return invoice;
      }
      throw new ChatError(404, 'not found');
    }
    if (req.method !== 'POST') throw new ChatError(405, 'method not allowed');
    const body = await readJson(req);
    switch (route) {
      case 'POST /api/send':
        return sendText(checkChat(body));
      case 'POST /api/press':
        return press(checkChat(body));
      case 'POST /api/pay':
        return pay(checkChat(body));
      case 'POST /api/refund':
        return refund(checkChat(body));
      case 'POST /api/panel/user':
        return changeUser(body);
      case 'POST /api/panel/node':
        return changeNode(body);
      case 'POST /api/panel/webhook':
        return fireWebhook(body);
      case 'POST /api/cron':
        return runCron(body);
      case 'POST /api/payments/pay':
        return payProvider(body);
      default:
        throw new ChatError(404, 'not found');
    }
  }

  return {
    identities,
    sendText,
    press,
    pay,
    refund,
    events: (chat) => log.filter((e) => e.chat === String(chat)),
    /** Press the button whose callback_data matches `re` on the newest bot message that has one. */
    async pressMatching(identity, re) {
      const chat = String(identity.id);
      const mine = log.filter((e) => e.chat === chat && e.markup);
      for (let i = mine.length - 1; i >= 0; i--) {
        const button = mine[i].markup.inline_keyboard.flat().find((b) => re.test(b.callback_data ?? ''));
        if (button) return press({ chat, from: identity, messageId: mine[i].id, data: button.callback_data });
      }
      throw new Error(`chat: no button matching ${re} in chat ${chat}`);
    },
  };
}

/**
 * Make `identity` a returning customer: /start, then buy the first plan with Stars through the
 * same buttons and checkout a person would use.
 */
export async function seedReturningCustomer(chat, tg, identity) {
  const from = identity;
  const chatId = String(identity.id);
  await chat.sendText({ chat: chatId, from, text: '/start' });
  await chat.pressMatching(identity, /^menu:buy$/);
  await chat.pressMatching(identity, /^plan:/);
  await chat.pressMatching(identity, /^pay:[^:]+:stars$/);
  const invoice = chat.events(chatId).findLast((e) => e.type === 'invoice');
  if (!invoice) throw new Error('chat: the bot sent no invoice');
  const paid = await chat.pay({ chat: chatId, from, messageId: invoice.id });
  if (!paid.ok) throw new Error('chat: the bot refused the seeded payment');
  // Provisioning runs on the queue: wait for the QR so the customer is complete when shown.
  await tg.waitFor((c) => c.ok && c.method === 'sendPhoto' && String(c.body.chat_id) === chatId, 30_000);
}

export function formatAmount(currency, amount) {
  return currency === 'XTR' ? `⭐${amount}` : `${amount} ${currency}`;
}

class ChatError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function checkChat(body) {
  if (!/^-?\d+$/.test(String(body.chat ?? ''))) throw new ChatError(400, 'chat must be a number');
  if (!body.from || !/^\d+$/.test(String(body.from.id ?? ''))) throw new ChatError(400, 'from.id must be a number');
  body.chat = String(body.chat);
  return body;
}

async function readJson(req) {
  // Only the page's own fetch sends JSON; a form post from another site cannot (no CORS preflight pass).
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new ChatError(415, 'send JSON (content-type: application/json)');
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 65_536) throw new ChatError(413, 'body too large');
    chunks.push(chunk);
  }
  if (!size) return {};
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (body && typeof body === 'object' && !Array.isArray(body)) return body;
  } catch {
    // fall through
  }
  throw new ChatError(400, 'a JSON object expected');
}

function sendJson(res, status, payload) {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}
