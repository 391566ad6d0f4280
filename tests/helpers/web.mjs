// Signing in to the web cabinet as Telegram would let a customer: a Login Widget payload or
// Mini App initData signed with the test bot's token (payments.md §1), and a cookie jar.
import { createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';

let ipCounter = 0;
/** A client address of its own, so that one test's sign-ins do not eat another's rate limit. */
export const freshIp = () => `10.${(++ipCounter >> 8) & 255}.${ipCounter & 255}.${1 + (ipCounter % 250)}`;

/** The Login Widget's fields for `user`, with the hash over the data-check string. */
export function widgetPayload(token, user, { authDate = Math.floor(Date.now() / 1000) } = {}) {
  const fields = { id: user.id, first_name: user.first_name ?? 'Web', auth_date: authDate };
  if (user.username) fields.username = user.username;
  const check = Object.keys(fields).sort().map((k) => `${k}=${fields[k]}`).join('\n');
  const secret = createHash('sha256').update(token).digest();
  return { ...fields, hash: createHmac('sha256', secret).update(check).digest('hex') };
}

/** An Ed25519 key pair standing in for Telegram's: the Worker trusts its public half when
 * started with `TELEGRAM_WEBAPP_PUBLIC_KEY` (see webappKeyVar). */
export const telegramKeys = generateKeyPairSync('ed25519');
export const webappKeyVar = () => telegramKeys.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

/** Mini App initData for `user`; `signed` adds Telegram's Ed25519 signature (of bot `botId`). */
export function initData(token, user, { authDate = Math.floor(Date.now() / 1000), signed = false, signWith = telegramKeys.privateKey } = {}) {
  const fields = { auth_date: String(authDate), query_id: 'AAE1', user: JSON.stringify({ first_name: 'Mini', language_code: 'en', ...user }) };
  if (signed) {
    const botId = token.split(':')[0];
    const message = `${botId}:WebAppData\n` + Object.keys(fields).sort().map((k) => `${k}=${fields[k]}`).join('\n');
    fields.signature = sign(null, Buffer.from(message), signWith).toString('base64url');
  }
  const check = Object.keys(fields).sort().map((k) => `${k}=${fields[k]}`).join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(token).digest();
  const hash = createHmac('sha256', secret).update(check).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}

/** The cookies a response sets, as `{name: {value, attributes}}`. */
export function setCookies(res) {
  const out = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim());
    const [name, value] = pair.split('=');
    out[name] = { value, attributes: attrs };
  }
  return out;
}

/** A signed-in browser, more or less: keeps the cookies and sends them back. */
export class Session {
  constructor(app, ip = freshIp()) {
    this.app = app;
    this.ip = ip;
    this.cookies = {};
  }

  cookieHeader() {
    return Object.entries(this.cookies).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async fetch(path, { method = 'GET', body, headers = {} } = {}) {
    const res = await this.app.fetch(path, {
      method,
      headers: {
        'CF-Connecting-IP': this.ip,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookieHeader() ? { cookie: this.cookieHeader() } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    for (const [name, { value, attributes }] of Object.entries(setCookies(res))) {
      this.cookies[name] = attributes.includes('Max-Age=0') ? '' : value;
    }
    return res;
  }

  async json(path, opts) {
    const res = await this.fetch(path, opts);
    return { status: res.status, body: await res.json().catch(() => null), res };
  }

  /** Signs in with a Login Widget payload for Telegram user `id` (who has started the bot). */
  async widget(id, extra = {}) {
    return this.fetch('/api/auth/telegram', { method: 'POST', body: widgetPayload(this.app.tg.token, { id, ...extra }) });
  }

  /** Signs in from the Mini App. */
  async webapp(id, opts = {}) {
    return this.fetch('/api/auth/webapp', { method: 'POST', body: { initData: initData(this.app.tg.token, { id }, opts) } });
  }
}
