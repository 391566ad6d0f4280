import { performance } from 'node:perf_hooks';
// A fake Telegram Bot API server for integration tests.
//
// `POST /bot<token>/<method>` with a JSON, urlencoded or multipart body, like
// api.telegram.org. It validates the parameters Wavegate relies on as strictly
// as Telegram does (message length, inline keyboards, HTML / MarkdownV2
// entities, Stars invoices) and answers with Telegram's own error texts, so a
// request the real API would refuse fails in tests too.
//
// Every call is recorded in `tg.calls` as
//   { method, body, ok, status, error?, result? }
// where `body` is the parsed parameters (JSON-typed form fields such as
// reply_markup or prices are decoded; uploaded files become
// { filename, contentType, size, bytes: Buffer }).

import http from 'node:http';
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';

// Form fields that Telegram expects as JSON-serialized values.
const JSON_FIELDS = new Set([
  'reply_markup', 'prices', 'entities', 'caption_entities', 'link_preview_options', 'reply_parameters',
  'commands', 'scope', 'allowed_updates', 'suggested_tip_amounts', 'media', 'menu_button',
]);

const INLINE_BUTTON_ACTIONS = [
  'url', 'callback_data', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat', 'copy_text', 'callback_game', 'pay',
];

/** A 400 with Telegram's "Bad Request: ..." description. */
class BadRequest extends Error {
  constructor(detail) {
    super(`Bad Request: ${detail}`);
  }
}

const byteLength = (s) => Buffer.byteLength(String(s), 'utf8');
const nowSec = () => Math.floor(Date.now() / 1000);

/** Methods that send a message to a chat: flood control and blocked users apply to them. */
const SENDING_METHODS = new Set(['sendmessage', 'sendphoto', 'sendinvoice', 'senddocument']);

function required(body, ...names) {
  for (const name of names) {
    if (body[name] === undefined || body[name] === null || body[name] === '') {
      throw new BadRequest(`${name} is empty`);
    }
  }
}

/**
 * Start the fake on 127.0.0.1 (`port` 0: a random one; a taken port falls back to a random one).
 * @param {{token?: string, botUsername?: string, botName?: string, port?: number}} [opts]
 */
export async function startTelegramFake({ token = '123456789:TEST-token', botUsername = 'WavegateTestBot', botName = 'Wavegate Test', port = 0 } = {}) {
  const events = new EventEmitter();
  const botId = Number(token.split(':')[0]) || 123456789;
  const botUser = { id: botId, is_bot: true, first_name: botName, username: botUsername };
  let nextMessageId = 1;
  let failures = []; // [{ remaining, method?, error_code, description, retry_after }]
  const messages = new Map(); // `${chatId}:${messageId}` -> last content, to spot "message is not modified"

  const routes = []; // extra HTTP handlers (the chat page): (req, res, url) => Promise<boolean>

  const tg = {
    url: '',
    token,
    botUser,
    calls: [],

    /**
     * Where updates go, as registered with `setWebhook` (the Bot API method or this object):
     * { url, secret } with `secret` echoed in X-Telegram-Bot-Api-Secret-Token.
     */
    webhook: null,

    /** Invoice links made by createInvoiceLink: link -> the invoice's parameters. */
    invoiceLinks: new Map(),

    /** Call `listener(call)` after every recorded Bot API call. */
    onCall(listener) {
      events.on('call', listener);
    },

    /** Serve more paths on this server; `handler(req, res, url)` resolves true when it answered. */
    addRoutes(handler) {
      routes.push(handler);
    },

    /**
     * Deliver an update to the webhook as Telegram does: POST with the secret header
     * (`secret: null` omits it), and a 2xx answer naming a `method` is executed as a Bot API
     * call. Resolves { status, body, json } of the webhook's answer.
     */
    async deliver(update, { secret = tg.webhook?.secret } = {}) {
      if (!tg.webhook?.url) throw new Error('telegram fake: no webhook set');
      const headers = { 'content-type': 'application/json' };
      if (secret !== null && secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
      const res = await fetch(tg.webhook.url, { method: 'POST', headers, body: JSON.stringify(update) });
      const body = await res.text();
      let json = null;
      try {
        json = JSON.parse(body);
      } catch {
        // not JSON
      }
      // Telegram does not run getters or webhook/session methods from a webhook reply.
      if (res.ok && typeof json?.method === 'string' && !/^(get|setWebhook$|deleteWebhook$|close$|logOut$)/i.test(json.method)) {
        const { method, ...params } = json;
        await fetch(`${tg.url}/bot${tg.token}/${method}`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params),
        });
      }
      return { status: res.status, body, json };
    },

    /** Calls to one method (case-insensitive), failed ones included. */
    callsTo(method) {
      const m = method.toLowerCase();
      return tg.calls.filter((c) => c.method.toLowerCase() === m);
    },

    /** Texts (or captions) successfully sent or edited to a chat, oldest first. */
    messagesTo(chatId) {
      return tg.calls
        .filter((c) => c.ok && ['sendMessage', 'sendPhoto', 'editMessageText', 'editMessageCaption'].includes(c.method))
        .filter((c) => String(c.body.chat_id) === String(chatId))
        .map((c) => c.body.text ?? c.body.caption ?? '');
    },

    /**
     * Resolve with the first call (already recorded or future) matching the predicate.
     * `predicate` may be a method name instead of a function.
     */
    waitFor(predicate, timeoutMs = 10000) {
      const test = typeof predicate === 'string' ? (c) => c.method === predicate : predicate;
      const found = tg.calls.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const onCall = (call) => {
          if (!test(call)) return;
          clearTimeout(timer);
          events.off('call', onCall);
          resolve(call);
        };
        const timer = setTimeout(() => {
          events.off('call', onCall);
          const seen = tg.calls.map((c) => c.method).join(', ') || 'none';
          reject(new Error(`telegram fake: no matching call within ${timeoutMs} ms (calls so far: ${seen})`));
        }, timeoutMs);
        events.on('call', onCall);
      });
    },

    /**
     * Fail the next `n` calls (only to `opts.method` if given) with a Telegram error,
     * by default 429 with retry_after 1.
     */
    failNext(n = 1, { error_code = 429, retry_after = 1, description, method } = {}) {
      failures.push({
        remaining: n,
        method: method?.toLowerCase(),
        error_code,
        retry_after: error_code === 429 ? retry_after : undefined,
        description: description ?? (error_code === 429 ? `Too Many Requests: retry after ${retry_after}` : `Error ${error_code}`),
      });
    },

    /** Users who blocked the bot: sending them anything is 403, as Telegram answers. */
    blockedBy: new Set(),

    /**
     * Telegram's flood control for sending methods, off unless set: more than `perSecond`
     * messages in any one second is 429 with `retry_after`. `stats` counts what it saw.
     */
    rateLimit: null, // { perSecond: 30, retryAfter: 1 }
    stats: { throttled: 0, sentPerSecond: new Map(), inFlight: 0, peakInFlight: 0 },

    /** The bot's Stars ledger (`getStarTransactions`), oldest first. */
    ledger: [],

    /** Telegram took `amount` Stars from `userId` for `payload` (charge `id`) at `date` (unix). */
    ledgerPayment({ id, userId, amount, payload, date = Math.floor(Date.now() / 1000), subscription = false }) {
      const source = { type: 'user', transaction_type: 'invoice_payment', user: { id: userId, is_bot: false, first_name: 'Payer' }, invoice_payload: payload };
      if (subscription) source.subscription_period = 2592000;
      tg.ledger.push({ id, amount, date, source });
    },

    /** The bot refunded charge `id` to `userId`. */
    ledgerRefund({ id, userId, amount, date = Math.floor(Date.now() / 1000) }) {
      tg.ledger.push({ id, amount, date, receiver: { type: 'user', transaction_type: 'invoice_payment', user: { id: userId, is_bot: false, first_name: 'Payer' } } });
    },

    /** Forget recorded calls and pending failures. */
    reset() {
      tg.calls.length = 0;
      failures = [];
      messages.clear();
    },

    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  // ---- results

  function chatOf(chatId) {
    const numeric = /^-?\d+$/.test(String(chatId));
    if (!numeric) return { id: -1000000000001, type: 'channel', title: String(chatId).replace(/^@/, ''), username: String(chatId).replace(/^@/, '') };
    const id = Number(chatId);
    return id > 0 ? { id, type: 'private', first_name: 'Test' } : { id, type: 'supergroup', title: 'Test group' };
  }

  function newMessage(body, extra) {
    const message = { message_id: nextMessageId++, from: botUser, chat: chatOf(body.chat_id), date: nowSec(), ...extra };
    if (body.reply_markup?.inline_keyboard) message.reply_markup = body.reply_markup;
    const kind = extra.text !== undefined ? 'text' : extra.photo ? 'photo' : 'other';
    messages.set(`${message.chat.id}:${message.message_id}`, { kind, text: extra.text ?? extra.caption, markup: JSON.stringify(body.reply_markup ?? null) });
    return message;
  }

  /** Edit a message; `field` is 'text', 'caption' or null (reply markup only). */
  function editMessage(body, field) {
    if (body.inline_message_id) return true;
    required(body, 'chat_id', 'message_id');
    const key = `${chatOf(body.chat_id).id}:${body.message_id}`;
    const before = messages.get(key);
    // As Telegram: text edits only on text messages, caption edits only on media.
    if (before && field === 'text' && before.kind !== 'text') throw new BadRequest('there is no text in the message to edit');
    if (before && field === 'caption' && before.kind === 'text') throw new BadRequest('there is no caption in the message to edit');
    const after = { kind: before?.kind, text: field ? body[field] : before?.text, markup: JSON.stringify(body.reply_markup ?? null) };
    if (before && before.text === after.text && before.markup === after.markup) {
      throw new BadRequest('message is not modified: specified new message content and reply markup are exactly the same as a content and reply markup of the current message');
    }
    messages.set(key, after);
    const msg = { message_id: Number(body.message_id), from: botUser, chat: chatOf(body.chat_id), date: nowSec(), edit_date: nowSec() };
    if (field && body[field] !== undefined) msg[field] = body[field];
    if (body.reply_markup?.inline_keyboard) msg.reply_markup = body.reply_markup;
    return msg;
  }

  // ---- methods (lower-case name -> [canonical name, handler])

  const methods = {};
  const def = (name, fn) => (methods[name.toLowerCase()] = [name, fn]);

  def('getMe', () => ({ ...botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false }));

  def('sendMessage', (b) => {
    required(b, 'chat_id');
    checkText(b.text, b.parse_mode, 4096, 'message text');
    checkReplyMarkup(b.reply_markup);
    return newMessage(b, { text: b.text });
  });

  def('sendPhoto', (b) => {
    required(b, 'chat_id', 'photo');
    if (b.caption !== undefined) checkText(b.caption, b.parse_mode, 1024, 'caption', true);
    checkReplyMarkup(b.reply_markup);
    const size = typeof b.photo === 'object' ? b.photo.size : 50000;
    const photo = [{ file_id: `photo-${randomBytes(8).toString('hex')}`, file_unique_id: randomBytes(6).toString('hex'), width: 512, height: 512, file_size: size }];
    return newMessage(b, b.caption !== undefined ? { photo, caption: b.caption } : { photo });
  });

  def('editMessageText', (b) => {
    checkText(b.text, b.parse_mode, 4096, 'message text');
    checkReplyMarkup(b.reply_markup, true);
    return editMessage(b, 'text');
  });

  def('editMessageCaption', (b) => {
    if (b.caption !== undefined) checkText(b.caption, b.parse_mode, 1024, 'caption', true);
    checkReplyMarkup(b.reply_markup, true);
    return editMessage(b, 'caption');
  });

  def('editMessageReplyMarkup', (b) => {
    checkReplyMarkup(b.reply_markup, true);
    return editMessage(b, null);
  });

  def('sendInvoice', (b) => {
    required(b, 'chat_id');
    if (b.subscription_period !== undefined) throw new BadRequest('SUBSCRIPTION_PERIOD_INVALID');
    const total = checkInvoice(b);
    checkReplyMarkup(b.reply_markup);
    return newMessage(b, {
      invoice: { title: b.title, description: b.description, start_parameter: b.start_parameter ?? '', currency: b.currency, total_amount: total },
    });
  });

  def('createInvoiceLink', (b) => {
    checkInvoice(b);
    if (b.subscription_period !== undefined) {
      if (Number(b.subscription_period) !== 2592000) throw new BadRequest('SUBSCRIPTION_PERIOD_INVALID');
      if (b.currency !== 'XTR') throw new BadRequest('SUBSCRIPTION_PERIOD_INVALID');
    }
    const link = `https://t.me/$invoice/${randomBytes(12).toString('base64url')}`;
    tg.invoiceLinks.set(link, { ...b });
    return link;
  });

  def('answerCallbackQuery', (b) => {
    required(b, 'callback_query_id');
    if (b.text !== undefined && String(b.text).length > 200) throw new BadRequest('MESSAGE_TOO_LONG');
    return true;
  });

  def('answerPreCheckoutQuery', (b) => {
    required(b, 'pre_checkout_query_id');
    const ok = b.ok === true || b.ok === 'true';
    if (!ok && b.ok !== false && b.ok !== 'false') throw new BadRequest('ok is empty');
    if (!ok) required(b, 'error_message');
    return true;
  });

  def('deleteMessage', (b) => {
    required(b, 'chat_id', 'message_id');
    messages.delete(`${chatOf(b.chat_id).id}:${b.message_id}`);
    return true;
  });

  def('sendChatAction', (b) => {
    required(b, 'chat_id', 'action');
    return true;
  });

  def('setMyCommands', (b) => {
    if (!Array.isArray(b.commands)) throw new BadRequest('commands is empty');
    for (const c of b.commands) {
      if (!/^[a-z0-9_]{1,32}$/.test(c?.command ?? '')) throw new BadRequest('BOT_COMMAND_INVALID');
      if (!c.description || c.description.length > 256) throw new BadRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    }
    return true;
  });

  def('setChatMenuButton', (b) => {
    const button = b.menu_button;
    if (button && button.type === 'web_app') {
      if (!button.text || !/^https:\/\//.test(button.web_app?.url ?? '')) throw new BadRequest('WEB_APP_URL_INVALID');
    }
    return true;
  });

  def('setWebhook', (b) => {
    required(b, 'url');
    if (b.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(b.secret_token)) {
      throw new BadRequest('secret token contains unallowed characters');
    }
    tg.webhook = { url: String(b.url), secret: b.secret_token };
    return true;
  });
  def('deleteWebhook', () => {
    tg.webhook = null;
    return true;
  });
  def('getWebhookInfo', () => ({ url: tg.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: 0 }));

  def('editUserStarSubscription', (b) => {
    required(b, 'user_id', 'telegram_payment_charge_id');
    if (typeof b.is_canceled !== 'boolean' && b.is_canceled !== 'true' && b.is_canceled !== 'false') {
      throw new BadRequest('is_canceled is empty');
    }
    return true;
  });

  def('getStarTransactions', (b) => {
    const offset = b.offset === undefined ? 0 : Number(b.offset);
    const limit = b.limit === undefined ? 100 : Number(b.limit);
    if (!Number.isInteger(offset) || offset < 0) throw new BadRequest('offset is invalid');
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new BadRequest('limit must be between 1 and 100');
    return { transactions: tg.ledger.slice(offset, offset + limit) };
  });

  def('refundStarPayment', (b) => {
    required(b, 'user_id', 'telegram_payment_charge_id');
    const id = String(b.telegram_payment_charge_id);
    const paid = tg.ledger.find((t) => t.id === id && t.source && String(t.source.user?.id) === String(b.user_id));
    if (!paid) throw new BadRequest('CHARGE_NOT_FOUND');
    if (tg.ledger.some((t) => t.id === id && t.receiver)) throw new BadRequest('CHARGE_ALREADY_REFUNDED');
    tg.ledgerRefund({ id, userId: Number(b.user_id), amount: paid.amount });
    return true;
  });

  // ---- request pipeline

  async function handle(req, res) {
    const url = new URL(req.url, 'http://fake');
    for (const route of routes) {
      if (await route(req, res, url)) return;
    }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (m[1] !== tg.token) return reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });

    const entry = methods[m[2].toLowerCase()];
    const call = { method: entry ? entry[0] : m[2], body: {}, ok: false, status: 0, at: performance.now() };
    const finish = (status, payload) => {
      call.status = status;
      call.ok = payload.ok;
      if (payload.ok) call.result = payload.result;
      else call.error = payload.description;
      tg.calls.push(call);
      events.emit('call', call);
      reply(res, status, payload);
    };

    try {
      call.body = { ...Object.fromEntries(url.searchParams), ...(await parseBody(req)) };
    } catch (err) {
      return finish(400, { ok: false, error_code: 400, description: `Bad Request: ${err.message}` });
    }
    if (!entry) return finish(404, { ok: false, error_code: 404, description: 'Not Found' });

    const sending = SENDING_METHODS.has(m[2].toLowerCase());
    if (sending && tg.blockedBy.has(String(call.body.chat_id))) {
      return finish(403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    }
    if (sending && tg.rateLimit) {
      const second = Math.floor(Date.now() / 1000);
      const count = tg.stats.sentPerSecond.get(second) ?? 0;
      if (count >= tg.rateLimit.perSecond) {
        tg.stats.throttled++;
        const retryAfter = tg.rateLimit.retryAfter ?? 1;
        return finish(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } });
      }
      tg.stats.sentPerSecond.set(second, count + 1);
    }

    const failure = failures.find((f) => f.remaining > 0 && (!f.method || f.method === m[2].toLowerCase()));
    if (failure) {
      failure.remaining--;
      failures = failures.filter((f) => f.remaining > 0);
      const payload = { ok: false, error_code: failure.error_code, description: failure.description };
      if (failure.retry_after !== undefined) payload.parameters = { retry_after: failure.retry_after };
      return finish(failure.error_code, payload);
    }

    try {
      finish(200, { ok: true, result: entry[1](call.body) });
    } catch (err) {
      if (!(err instanceof BadRequest)) throw err;
      finish(400, { ok: false, error_code: 400, description: err.message });
    }
  }

  const server = http.createServer((req, res) => {
    // Outbound calls the Worker has open at once (the bench's "peak outbound calls").
    tg.stats.inFlight++;
    tg.stats.peakInFlight = Math.max(tg.stats.peakInFlight, tg.stats.inFlight);
    res.on('close', () => { tg.stats.inFlight--; });
    handle(req, res).catch((err) => {
      console.error('[telegram fake]', err);
      reply(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${err.message}` });
    });
  });
  await listen(server, port);
  tg.url = `http://127.0.0.1:${server.address().port}`;
  return tg;
}

// -------------------------------------------------------------- validation

/** Text or caption: non-empty (unless optional), length after entity parsing, valid markup. */
function checkText(text, parseMode, max, what, optional = false) {
  if (text === undefined || text === null || text === '') {
    if (optional) return;
    throw new BadRequest(`${what} is empty`);
  }
  text = String(text);
  let plain = text;
  if (parseMode && /^html$/i.test(parseMode)) plain = checkHtml(text);
  else if (parseMode === 'MarkdownV2') plain = checkMarkdownV2(text);
  if (!plain.trim()) throw new BadRequest(`${what} is empty`);
  // Telegram counts UTF-16 code units.
  if (plain.length > max) throw new BadRequest(`${what} is too long`);
}

const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);

/** Telegram's HTML parse mode: known tags, balanced, only &lt; &gt; &amp; &quot; and numeric entities. Returns the plain text. */
function checkHtml(text) {
  const stack = [];
  let plain = '';
  const fail = (why, offset) => {
    throw new BadRequest(`can't parse entities: ${why} at byte offset ${byteLength(text.slice(0, offset))}`);
  };
  for (let i = 0; i < text.length; ) {
    const ch = text[i];
    if (ch === '<') {
      const end = text.indexOf('>', i);
      if (end < 0) fail('Unclosed start tag', i);
      const tag = text.slice(i + 1, end);
      const closing = tag.startsWith('/');
      const name = (closing ? tag.slice(1) : tag).trim().split(/\s/)[0].toLowerCase();
      if (!HTML_TAGS.has(name)) fail(`Unsupported start tag "${name}"`, i);
      if (closing) {
        if (stack.pop() !== name) fail(`Unmatched end tag "${name}"`, i);
      } else {
        if (name === 'a' && !/\shref\s*=\s*("[^"]*"|'[^']*'|\S+)/.test(tag)) fail('Can\'t find end of href', i);
        stack.push(name);
      }
      i = end + 1;
    } else if (ch === '&') {
      const m = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(text.slice(i));
      if (!m) fail('Unsupported HTML entity or unescaped "&"', i);
      plain += m[1] === 'lt' ? '<' : m[1] === 'gt' ? '>' : m[1] === 'amp' ? '&' : m[1] === 'quot' ? '"' : '?';
      i += m[0].length;
    } else if (ch === '>') {
      plain += ch; // Telegram tolerates a bare '>'
      i++;
    } else {
      plain += ch;
      i++;
    }
  }
  if (stack.length) fail(`Can't find end tag corresponding to start tag "${stack.at(-1)}"`, text.length);
  return plain;
}

/**
 * MarkdownV2: characters that are never markup must be escaped outside code
 * and link URLs (the mistake bots actually make). Returns the text without
 * escapes and markup characters, for the length check.
 */
function checkMarkdownV2(text) {
  let plain = '';
  let inCode = false; // inside `...` or ```...```
  let inUrl = false; // inside the (...) of [text](url)
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      plain += text[i + 1] ?? '';
      i++;
      continue;
    }
    if (ch === '`') {
      if (text.startsWith('```', i)) i += 2;
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      plain += ch;
      continue;
    }
    if (inUrl) {
      if (ch === ')') inUrl = false;
      continue;
    }
    if (ch === ']' && text[i + 1] === '(') {
      inUrl = true;
      i++;
      continue;
    }
    if ('.!-+={}#'.includes(ch)) {
      throw new BadRequest(`can't parse entities: Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
    }
    if (!'*_~|[]()>'.includes(ch)) plain += ch;
  }
  return plain;
}

/** reply_markup: inline keyboards checked strictly, other keyboard kinds by shape. */
function checkReplyMarkup(markup, inlineOnly = false) {
  if (markup === undefined || markup === null || markup === '') return;
  if (typeof markup !== 'object' || Array.isArray(markup)) throw new BadRequest("can't parse reply keyboard markup JSON object");
  if (!('inline_keyboard' in markup)) {
    if (inlineOnly) throw new BadRequest('inline keyboard expected');
    if (Array.isArray(markup.keyboard) || markup.remove_keyboard === true || markup.force_reply === true) return;
    throw new BadRequest("can't parse reply keyboard markup JSON object");
  }
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) {
    throw new BadRequest("can't parse inline keyboard button: InlineKeyboardMarkup must be an Array of Arrays");
  }
  if (rows.flat().length > 100 || rows.some((r) => r.length > 8)) throw new BadRequest('BUTTONS_TOO_MUCH');
  for (const button of rows.flat()) {
    if (!button || typeof button !== 'object') throw new BadRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
    if (typeof button.text !== 'string' || !button.text.trim()) throw new BadRequest("can't parse inline keyboard button: Text must be non-empty");
    const actions = INLINE_BUTTON_ACTIONS.filter((a) => button[a] !== undefined);
    if (actions.length === 0) throw new BadRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
    if (actions.length > 1) throw new BadRequest(`can't parse inline keyboard button: more than one action field (${actions.join(', ')})`);
    if ('callback_data' in button) {
      const n = typeof button.callback_data === 'string' ? byteLength(button.callback_data) : 0;
      if (n < 1 || n > 64) throw new BadRequest('BUTTON_DATA_INVALID');
    }
    if ('url' in button && !/^(https?|tg):\/\/\S+$/i.test(String(button.url))) throw new BadRequest('BUTTON_URL_INVALID');
    if ('web_app' in button && !/^https:\/\/\S+$/i.test(String(button.web_app?.url ?? ''))) throw new BadRequest('BUTTON_TYPE_INVALID');
  }
}

/** sendInvoice / createInvoiceLink parameters; returns the total amount. */
function checkInvoice(b) {
  required(b, 'title', 'description', 'payload', 'currency', 'prices');
  const title = [...String(b.title)].length;
  const description = [...String(b.description)].length;
  const payload = byteLength(b.payload);
  if (title < 1 || title > 32) throw new BadRequest('INVOICE_TITLE_INVALID');
  if (description < 1 || description > 255) throw new BadRequest('INVOICE_DESCRIPTION_INVALID');
  if (payload < 1 || payload > 128) throw new BadRequest('INVOICE_PAYLOAD_INVALID');
  if (!/^[A-Z]{3}$/.test(b.currency)) throw new BadRequest('CURRENCY_INVALID');
  const prices = b.prices;
  if (!Array.isArray(prices) || prices.length === 0) throw new BadRequest('prices is empty');
  for (const p of prices) {
    if (!p?.label || !Number.isInteger(Number(p.amount))) throw new BadRequest("can't parse prices JSON object");
  }
  if (b.currency === 'XTR') {
    if (prices.length !== 1) throw new BadRequest('STARS_INVOICE_INVALID');
    if (!(Number(prices[0].amount) > 0)) throw new BadRequest('STARS_INVOICE_INVALID');
    if (b.provider_token) throw new BadRequest('STARS_INVOICE_INVALID');
  } else if (!b.provider_token) {
    throw new BadRequest('PAYMENT_PROVIDER_INVALID');
  }
  const total = prices.reduce((sum, p) => sum + Number(p.amount), 0);
  if (total <= 0) throw new BadRequest('TOTAL_AMOUNT_INVALID');
  return total;
}

// ---------------------------------------------------------------- I/O

async function parseBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const raw = Buffer.concat(chunks);
  if (!raw.length) return {};
  const type = (req.headers['content-type'] ?? '').toLowerCase();

  if (type.startsWith('application/json')) {
    const body = JSON.parse(raw.toString('utf8'));
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('JSON object expected');
    return decodeJsonFields(body);
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return decodeJsonFields(Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
  }
  if (type.startsWith('multipart/form-data')) {
    // Let the platform's fetch implementation parse multipart bodies.
    const form = await new Response(raw, { headers: { 'content-type': req.headers['content-type'] } }).formData();
    const body = {};
    for (const [name, value] of form) {
      if (typeof value === 'string') {
        body[name] = value;
      } else {
        const bytes = Buffer.from(await value.arrayBuffer());
        body[name] = { filename: value.name, contentType: value.type, size: bytes.length, bytes };
      }
    }
    return decodeJsonFields(body);
  }
  throw new Error(`unsupported content type "${type}"`);
}

/** Decode JSON-serialized fields (Telegram accepts both forms). */
function decodeJsonFields(body) {
  for (const key of Object.keys(body)) {
    if (JSON_FIELDS.has(key) && typeof body[key] === 'string') {
      try {
        body[key] = JSON.parse(body[key]);
      } catch {
        throw new Error(`can't parse ${key} JSON object`);
      }
    }
  }
  return body;
}

/** Listen on 127.0.0.1:`port`, or on a random port when that one is taken (or 0). */
async function listen(server, port) {
  try {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    if (port === 0 || err.code !== 'EADDRINUSE') throw err;
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
}

function reply(res, status, payload) {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
