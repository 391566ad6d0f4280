// Strict stand-ins for the payment providers' HTTP APIs, for the demo and integration tests
// (facts: ../shared/specs/payments.md §2–4). Each checks auth and the amount rules the real API
// enforces, refuses a reused reference id, keeps what was created in plain objects a test can
// read, and `pay(id)` does what the customer's payment would: marks the object paid and sends
// the provider's signed webhook to `webhookUrl`, resolving the Worker's answers.
//
//   const rzp = await startRazorpayFake();   // POST /v1/payment_links, GET /v1/payment_links/:id,
//                                            // POST /v1/payments/:id/refund
//   const xnd = await startXenditFake();     // POST /v3/payment_requests (QRIS), POST /refunds
//   const cp  = await startCryptoPayFake();  // /api/createInvoice, /api/getInvoices, /api/getMe
//   rzp.webhookUrl = `${worker}/webhooks/razorpay`; const { deliveries } = await rzp.pay(link.id);
//   await redeliver(deliveries[0]);          // the same signed bytes again (a retry or replay)
//   await rzp.pay(link.id, { deliver: false }); // paid, but the webhook is lost (reconciliation)
//
// Answers use each API's own error shapes, so a request the provider would refuse fails here too.

import http from 'node:http';
import { createHash, createHmac, randomBytes } from 'node:crypto';

const nowSec = () => Math.floor(Date.now() / 1000);
const rid = (prefix, n = 14) => `${prefix}${randomBytes(n).toString('base64url').replace(/[-_]/g, 'x').slice(0, n)}`;

class ApiError extends Error {
  constructor(status, body) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * A loopback server whose handler may throw ApiError. `standin.failNext(n, status)` makes the
 * next n requests fail with that status before the handler runs (a provider outage).
 */
async function serve(handler, standin) {
  const failures = [];
  standin.failNext = (n = 1, status = 503) => {
    for (let i = 0; i < n; i++) failures.push(status);
  };
  const server = http.createServer(async (req, res) => {
    let status = 200;
    let body;
    try {
      const raw = await readBody(req);
      if (failures.length) {
        const failed = failures.shift();
        throw new ApiError(failed, { error: { code: 'SERVER_ERROR', description: `stand-in failure ${failed}` }, message: `stand-in failure ${failed}` });
      }
      body = await handler(req, new URL(req.url, 'http://standin'), raw);
    } catch (err) {
      if (!(err instanceof ApiError)) console.error('[provider stand-in]', err);
      status = err instanceof ApiError ? err.status : 500;
      body = err instanceof ApiError ? err.body : { error: String(err.message) };
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function parseJson(raw, fail) {
  if (!raw.length) return {};
  try {
    const body = JSON.parse(raw.toString('utf8'));
    if (body && typeof body === 'object' && !Array.isArray(body)) return body;
  } catch {
    // fall through
  }
  throw fail();
}

/** The `user:pass` of a Basic authorization header, or null. */
function basicAuth(req) {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
  return m ? Buffer.from(m[1], 'base64').toString('utf8') : null;
}

/**
 * POST a webhook body exactly as given (the signature is over these bytes). The result keeps
 * what was sent, so `redeliver(result)` can repeat it byte for byte as the provider's retry does.
 */
async function deliver(url, raw, headers) {
  if (!url) throw new Error('provider stand-in: no webhookUrl set');
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  return { status: res.status, body: await res.text(), url, raw, headers };
}

/** Send an earlier delivery again, same bytes and headers (a provider retry or a replay). */
export const redeliver = (sent) => deliver(sent.url, sent.raw, sent.headers);

// ------------------------------------------------------------------ Razorpay

/**
 * Razorpay: payment links (UPI) and refunds. Basic auth `key_id:key_secret`; amounts in integer
 * paise ≥ 100, INR only; `reference_id` unique across links; `notes` ≤ 15 pairs.
 */
export async function startRazorpayFake({ keyId = 'rzp_test_standin', keySecret = 'rzp_standin_key_secret', webhookSecret = 'rzp_standin_webhook_secret' } = {}) {
  const bad = (description, field) => new ApiError(400, { error: { code: 'BAD_REQUEST_ERROR', description, source: 'business', step: 'payment_initiation', reason: 'input_validation_failed', metadata: {}, field } });
  const rzp = {
    name: 'razorpay', keyId, keySecret, webhookSecret, webhookUrl: null,
    links: new Map(), // plink id -> payment link entity
    payments: new Map(), // pay id -> payment entity
    refunds: [],
    calls: [],

    /** The customer paid link `id` by UPI: payment.captured and payment_link.paid, signed. */
    async pay(id, { deliver: send = true } = {}) {
      const link = rzp.links.get(id);
      if (!link) throw new Error(`razorpay stand-in: no link ${id}`);
      if (link.status !== 'created') throw new Error(`razorpay stand-in: link ${id} is ${link.status}`);
      const payment = {
        id: rid('pay_'), entity: 'payment', amount: link.amount, currency: link.currency, status: 'captured',
        // A link's notes stay on the link (and its order): the payment's are empty, as Razorpay sends them.
        order_id: rid('order_'), method: 'upi', captured: true, amount_refunded: 0, notes: [], vpa: 'customer@upi', created_at: nowSec(),
      };
      rzp.payments.set(payment.id, payment);
      Object.assign(link, { status: 'paid', amount_paid: link.amount, payments: [{ payment_id: payment.id, amount: payment.amount, method: 'upi', status: 'captured' }] });
      const order = { id: payment.order_id, entity: 'order', amount: link.amount, amount_paid: link.amount, receipt: link.reference_id, status: 'paid' };
      if (!send) return { payment, deliveries: [] }; // the webhook is lost
      // Razorpay does not order its events: payment.captured (naming no order) comes first here.
      const captured = await rzp.sendEvent('payment.captured', { payment: { entity: payment } });
      const paid = await rzp.sendEvent('payment_link.paid', { payment_link: { entity: link }, order: { entity: order }, payment: { entity: payment } });
      return { payment, deliveries: [captured, paid] };
    },

    recordRefund(payment, amount, notes = []) {
      payment.amount_refunded += amount;
      const refund = { id: rid('rfnd_'), entity: 'refund', amount, currency: payment.currency, payment_id: payment.id, notes, status: 'processed', speed_processed: 'normal', created_at: nowSec() };
      rzp.refunds.push(refund);
      return refund;
    },

    /** A refund made in the dashboard: refund.processed, signed. */
    async refund(paymentId, amount) {
      const payment = rzp.payments.get(paymentId);
      if (!payment) throw new Error(`razorpay stand-in: no payment ${paymentId}`);
      const refund = rzp.recordRefund(payment, amount ?? payment.amount - payment.amount_refunded);
      return rzp.sendEvent('refund.processed', { refund: { entity: refund }, payment: { entity: payment } });
    },

    /** Sign and send one event (`payload` as Razorpay nests it). */
    async sendEvent(event, payload, { secret = webhookSecret } = {}) {
      const raw = JSON.stringify({ entity: 'event', account_id: 'acc_standin', event, contains: Object.keys(payload), payload, created_at: nowSec() });
      const signature = createHmac('sha256', secret).update(raw).digest('hex');
      return deliver(rzp.webhookUrl, raw, { 'x-razorpay-signature': signature, 'x-razorpay-event-id': rid('evt_') });
    },
  };

  const server = await serve(async (req, url, raw) => {
    rzp.calls.push({ method: req.method, path: url.pathname });
    if (basicAuth(req) !== `${keyId}:${keySecret}`) {
      throw new ApiError(401, { error: { code: 'BAD_REQUEST_ERROR', description: 'The api key provided is invalid', source: 'NA', step: 'NA', reason: 'NA', metadata: {} } });
    }
    const body = req.method === 'POST' ? parseJson(raw, () => bad('The request body is not valid JSON')) : {};
    if (req.method === 'POST' && url.pathname === '/v1/payment_links') {
      if (!Number.isInteger(body.amount)) throw bad('The amount must be an integer.', 'amount');
      if (body.amount < 100) throw bad('The amount must be atleast INR 1.00.', 'amount');
      if (body.currency !== 'INR') throw bad('The currency should be INR for UPI payment links.', 'currency');
      if (body.reference_id !== undefined) {
        if (typeof body.reference_id !== 'string' || body.reference_id.length > 40) throw bad('The reference id may not be greater than 40 characters.', 'reference_id');
        if ([...rzp.links.values()].some((l) => l.reference_id === body.reference_id)) {
          throw bad(`Payment Link with reference id ${body.reference_id} already exists`, 'reference_id');
        }
      }
      if (body.expire_by !== undefined && (!Number.isInteger(body.expire_by) || body.expire_by < nowSec() + 15 * 60)) {
        throw bad('expire by date should be atleast 15 minutes after current time', 'expire_by');
      }
      const notes = body.notes ?? {};
      if (typeof notes !== 'object' || Array.isArray(notes) || Object.keys(notes).length > 15) throw bad('Number of notes cannot exceed 15.', 'notes');
      const id = rid('plink_');
      const link = {
        id, entity: 'payment_link', amount: body.amount, amount_paid: 0, currency: 'INR', status: 'created',
        reference_id: body.reference_id ?? '', description: body.description ?? '', expire_by: body.expire_by ?? 0,
        upi_link: body.upi_link === true, notes: Object.keys(notes).length ? notes : [], payments: null,
        short_url: `https://rzp.io/rzp/${id.slice(6)}`, created_at: nowSec(), callback_url: body.callback_url ?? '',
      };
      rzp.links.set(id, link);
      return link;
    }
    let m = /^\/v1\/payment_links\/([A-Za-z0-9_]+)$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      const link = rzp.links.get(m[1]);
      if (!link) throw bad('The id provided does not exist', 'id');
      return link;
    }
    m = /^\/v1\/payments\/([A-Za-z0-9_]+)\/refund$/.exec(url.pathname);
    if (req.method === 'POST' && m) {
      const payment = rzp.payments.get(m[1]);
      if (!payment) throw bad('The id provided does not exist', 'id');
      const amount = body.amount ?? payment.amount - payment.amount_refunded;
      if (!Number.isInteger(amount) || amount < 100) throw bad('The amount must be atleast INR 1.00.', 'amount');
      if (amount > payment.amount - payment.amount_refunded) throw bad('The refund amount provided is greater than amount captured', 'amount');
      const refund = rzp.recordRefund(payment, amount, body.notes);
      // As Razorpay: the refund's webhook follows the API answer.
      if (rzp.webhookUrl) setTimeout(() => rzp.sendEvent('refund.processed', { refund: { entity: refund }, payment: { entity: payment } }).catch(() => {}), 50);
      return refund;
    }
    throw new ApiError(404, { error: { code: 'BAD_REQUEST_ERROR', description: 'The requested URL was not found on the server.' } });
  }, rzp);
  return Object.assign(rzp, server);
}

// ------------------------------------------------------------------ Xendit

/**
 * Xendit Payments API v3, QRIS: Basic auth `secret_key:`, header `api-version: 2024-11-11`;
 * whole IDR, at most 10,000,000; `reference_id` unique. Webhooks carry `x-callback-token`.
 */
export async function startXenditFake({ secretKey = 'xnd_development_standin', callbackToken = 'xnd_standin_callback_token' } = {}) {
  const err = (status, error_code, message) => new ApiError(status, { error_code, message });
  const xnd = {
    name: 'xendit', secretKey, callbackToken, webhookUrl: null,
    requests: new Map(), // payment_request_id -> payment request
    refunds: [],
    calls: [],

    /** The customer scanned and paid request `id`: payment.capture with status SUCCEEDED. */
    async pay(id, { deliver: send = true } = {}) {
      const pr = xnd.requests.get(id);
      if (!pr) throw new Error(`xendit stand-in: no payment request ${id}`);
      if (pr.status !== 'REQUIRES_ACTION') throw new Error(`xendit stand-in: request ${id} is ${pr.status}`);
      pr.status = 'SUCCEEDED';
      pr.payment_id = rid('py-', 24);
      const data = {
        payment_id: pr.payment_id, payment_request_id: pr.payment_request_id, reference_id: pr.reference_id,
        business_id: 'standin-business', customer_id: null, type: 'PAY', country: 'ID', currency: 'IDR',
        request_amount: pr.request_amount, capture_method: 'AUTOMATIC', channel_code: 'QRIS', status: 'SUCCEEDED',
        captures: [{ capture_timestamp: new Date().toISOString(), capture_id: pr.payment_id, capture_amount: pr.request_amount }],
        metadata: pr.metadata, created: pr.created, updated: new Date().toISOString(),
      };
      return send ? xnd.sendEvent('payment.capture', data) : null;
    },

    recordRefund(pr, amount, body = {}) {
      const refund = { id: rid('rfd-', 24), payment_request_id: pr.payment_request_id, payment_id: pr.payment_id, reference_id: body.reference_id ?? null, amount, currency: 'IDR', status: 'PENDING', reason: body.reason ?? 'REQUESTED_BY_CUSTOMER', created: new Date().toISOString() };
      xnd.refunds.push(refund);
      return refund;
    },

    /** A refund settles: refund.succeeded with the token. */
    async settleRefund(id) {
      const refund = xnd.refunds.find((r) => r.id === id);
      if (!refund) throw new Error(`xendit stand-in: no refund ${id}`);
      refund.status = 'SUCCEEDED';
      return xnd.sendEvent('refund.succeeded', { ...refund, updated: new Date().toISOString() });
    },

    /** A refund made in the dashboard, settled at once. */
    async refund(paymentRequestId, amount) {
      const pr = xnd.requests.get(paymentRequestId);
      if (!pr || pr.status !== 'SUCCEEDED') throw new Error(`xendit stand-in: no paid request ${paymentRequestId}`);
      return xnd.settleRefund(xnd.recordRefund(pr, amount ?? pr.request_amount).id);
    },

    async sendEvent(event, data, { token = callbackToken } = {}) {
      const raw = JSON.stringify({ event, business_id: 'standin-business', created: new Date().toISOString(), data, api_version: 'v3' });
      return deliver(xnd.webhookUrl, raw, { 'x-callback-token': token, 'webhook-id': rid('wh-', 20) });
    },
  };

  const server = await serve(async (req, url, raw) => {
    xnd.calls.push({ method: req.method, path: url.pathname });
    if (basicAuth(req) !== `${secretKey}:`) throw err(401, 'INVALID_API_KEY', 'API key is invalid');
    const body = req.method === 'POST' ? parseJson(raw, () => err(400, 'API_VALIDATION_ERROR', 'Invalid JSON body')) : {};
    if (req.method === 'POST' && url.pathname === '/v3/payment_requests') {
      if (req.headers['api-version'] !== '2024-11-11') throw err(400, 'API_VALIDATION_ERROR', 'api-version header must be 2024-11-11');
      const amount = body.request_amount;
      if (typeof amount !== 'number' || !Number.isInteger(amount)) throw err(400, 'API_VALIDATION_ERROR', 'request_amount must be a whole number of IDR');
      if (amount < 1 || amount > 10_000_000) throw err(400, 'API_VALIDATION_ERROR', 'request_amount must be between 1 and 10000000 for QRIS');
      if (body.currency !== 'IDR' || body.country !== 'ID') throw err(400, 'API_VALIDATION_ERROR', 'QRIS needs country ID and currency IDR');
      if (body.channel_code !== 'QRIS' || body.type !== 'PAY') throw err(400, 'API_VALIDATION_ERROR', 'channel_code QRIS with type PAY expected');
      if (typeof body.reference_id !== 'string' || !body.reference_id || body.reference_id.length > 255) throw err(400, 'API_VALIDATION_ERROR', 'reference_id is required');
      if ([...xnd.requests.values()].some((p) => p.reference_id === body.reference_id)) throw err(409, 'DUPLICATE_ERROR', 'reference_id has already been used');
      const id = rid('pr-', 24);
      const pr = {
        payment_request_id: id, reference_id: body.reference_id, business_id: 'standin-business', type: 'PAY', country: 'ID',
        currency: 'IDR', request_amount: amount, capture_method: 'AUTOMATIC', channel_code: 'QRIS',
        channel_properties: body.channel_properties ?? {}, status: 'REQUIRES_ACTION', metadata: body.metadata ?? null,
        actions: [{ type: 'PRESENT_TO_CUSTOMER', descriptor: 'QR_STRING', value: `00020101021226660014ID.CO.QRIS.WWW0215ID${id.slice(3, 17)}5303360540${String(amount).length}${amount}5802ID6304ABCD` }],
        created: new Date().toISOString(), updated: new Date().toISOString(),
      };
      xnd.requests.set(id, pr);
      return pr;
    }
    const m = /^\/v3\/payment_requests\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      const pr = xnd.requests.get(m[1]);
      if (!pr) throw err(404, 'DATA_NOT_FOUND', 'payment request not found');
      return pr;
    }
    if (req.method === 'POST' && url.pathname === '/refunds') {
      const pr = xnd.requests.get(body.payment_request_id);
      if (!pr) throw err(404, 'DATA_NOT_FOUND', 'payment_request_id not found');
      if (pr.status !== 'SUCCEEDED') throw err(400, 'INELIGIBLE_TRANSACTION', 'only a succeeded payment can be refunded');
      const already = xnd.refunds.filter((r) => r.payment_request_id === pr.payment_request_id).reduce((s, r) => s + r.amount, 0);
      const amount = body.amount ?? pr.request_amount - already;
      if (!Number.isInteger(amount) || amount < 1 || amount > pr.request_amount - already) throw err(400, 'API_VALIDATION_ERROR', 'refund amount exceeds the refundable amount');
      if (body.currency !== undefined && body.currency !== 'IDR') throw err(400, 'API_VALIDATION_ERROR', 'currency must be IDR');
      const refund = xnd.recordRefund(pr, amount, body);
      // As Xendit: the refund settles later and its webhook says so.
      if (xnd.webhookUrl) setTimeout(() => xnd.settleRefund(refund.id).catch(() => {}), 50);
      return refund;
    }
    throw err(404, 'NOT_FOUND', 'The requested resource was not found');
  }, xnd);
  return Object.assign(xnd, server);
}

// ------------------------------------------------------------------ Crypto Pay

// Fixed rates in USD, so a fiat invoice is paid in crypto at a believable, repeatable amount.
const USD_PER_ASSET = { USDT: 1, USDC: 1, TON: 5, BTC: 60000, ETH: 3000, LTC: 80, BNB: 600, TRX: 0.12 };
const USD_PER_FIAT = { USD: 1, EUR: 1.08, GBP: 1.27, RUB: 0.011, INR: 0.012, IDR: 0.000062 };
const CRYPTO_ASSETS = Object.keys(USD_PER_ASSET);
const FIATS = Object.keys(USD_PER_FIAT);
const decimal = (n) => n.toFixed(8).replace(/\.?0+$/, '');

/**
 * Crypto Pay (@CryptoBot): `Crypto-Pay-API-Token`; amounts as decimal strings > 0; an asset or a
 * fiat with accepted assets; description ≤ 1024, payload ≤ 4 KB, expires_in 1–2678400 s.
 * Webhooks are signed with HMAC-SHA256 keyed by SHA-256(token).
 */
export async function startCryptoPayFake({ token = '12345:AAstandinToken' } = {}) {
  const fail = (code, name) => new ApiError(code, { ok: false, error: { code, name } });
  let nextInvoice = 1000;
  let nextUpdate = 1;
  const cp = {
    name: 'cryptopay', token, webhookUrl: null,
    invoices: new Map(), // invoice_id -> invoice
    calls: [],

    /**
     * The customer paid invoice `id` (a fiat invoice in its first accepted asset, converted at
     * the fixed rates): invoice_paid, signed.
     */
    async pay(id, { deliver: send = true } = {}) {
      const invoice = cp.invoices.get(Number(id));
      if (!invoice) throw new Error(`crypto pay stand-in: no invoice ${id}`);
      if (invoice.status !== 'active') throw new Error(`crypto pay stand-in: invoice ${id} is ${invoice.status}`);
      const asset = invoice.asset ?? invoice.accepted_assets[0];
      const usd = invoice.asset ? Number(invoice.amount) * USD_PER_ASSET[asset] : Number(invoice.amount) * USD_PER_FIAT[invoice.fiat];
      Object.assign(invoice, {
        status: 'paid', paid_asset: asset, paid_amount: invoice.asset ? invoice.amount : decimal(usd / USD_PER_ASSET[asset]),
        paid_usd_rate: decimal(USD_PER_ASSET[asset]), paid_at: new Date().toISOString(), paid_anonymously: false,
        fee_asset: asset, fee_amount: '0',
        ...(invoice.fiat ? { paid_fiat_rate: decimal(USD_PER_ASSET[asset] / USD_PER_FIAT[invoice.fiat]) } : {}),
      });
      return send ? cp.sendUpdate(invoice) : null;
    },

    async sendUpdate(invoice, { signingToken = token } = {}) {
      const raw = JSON.stringify({ update_id: nextUpdate++, update_type: 'invoice_paid', request_date: new Date().toISOString(), payload: invoice });
      const key = createHash('sha256').update(signingToken).digest();
      return deliver(cp.webhookUrl, raw, { 'crypto-pay-api-signature': createHmac('sha256', key).update(raw).digest('hex') });
    },
  };

  const server = await serve(async (req, url, raw) => {
    cp.calls.push({ method: req.method, path: url.pathname });
    const m = /^\/api\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) throw fail(404, 'METHOD_NOT_FOUND');
    if (req.headers['crypto-pay-api-token'] !== token) throw fail(401, 'UNAUTHORIZED');
    const params = { ...Object.fromEntries(url.searchParams), ...(req.method === 'POST' ? parseJson(raw, () => fail(400, 'PARAMS_INVALID')) : {}) };
    const ok = (result) => ({ ok: true, result });
    switch (m[1]) {
      case 'getMe':
        return ok({ app_id: 1, name: 'Wavegate stand-in', payment_processing_bot_username: 'CryptoTestnetBot' });
      case 'createInvoice': {
        const type = params.currency_type ?? 'crypto';
        if (type === 'crypto' && !CRYPTO_ASSETS.includes(params.asset)) throw fail(400, 'ASSET_INVALID');
        if (type === 'fiat') {
          if (!FIATS.includes(params.fiat)) throw fail(400, 'FIAT_INVALID');
          const accepted = params.accepted_assets === undefined ? [] : String(params.accepted_assets).split(',');
          if (accepted.some((a) => !CRYPTO_ASSETS.includes(a))) throw fail(400, 'ACCEPTED_ASSETS_INVALID');
        }
        if (type !== 'crypto' && type !== 'fiat') throw fail(400, 'CURRENCY_TYPE_INVALID');
        if (typeof params.amount !== 'string' || !/^\d+(\.\d{1,18})?$/.test(params.amount) || !(Number(params.amount) > 0)) {
          throw fail(400, 'AMOUNT_INVALID');
        }
        if (params.description !== undefined && [...String(params.description)].length > 1024) throw fail(400, 'DESCRIPTION_TOO_LONG');
        if (params.payload !== undefined && Buffer.byteLength(String(params.payload)) > 4096) throw fail(400, 'PAYLOAD_TOO_LONG');
        const expiresIn = params.expires_in === undefined ? null : Number(params.expires_in);
        if (expiresIn !== null && !(Number.isInteger(expiresIn) && expiresIn >= 1 && expiresIn <= 2_678_400)) throw fail(400, 'EXPIRES_IN_INVALID');
        const id = nextInvoice++;
        const hash = `IV${randomBytes(6).toString('hex')}`;
        const invoice = {
          invoice_id: id, hash, currency_type: type, ...(type === 'crypto' ? { asset: params.asset } : { fiat: params.fiat, accepted_assets: params.accepted_assets ? String(params.accepted_assets).split(',') : CRYPTO_ASSETS }),
          amount: params.amount, status: 'active', description: params.description, payload: params.payload,
          bot_invoice_url: `https://t.me/CryptoTestnetBot?start=${hash}`,
          mini_app_invoice_url: `https://t.me/CryptoTestnetBot/app?startapp=invoice-${hash}`,
          web_app_invoice_url: `https://testnet-app.send.tg/invoices/${hash}`,
          created_at: new Date().toISOString(), allow_comments: true, allow_anonymous: true,
          ...(expiresIn ? { expiration_date: new Date(Date.now() + expiresIn * 1000).toISOString() } : {}),
        };
        cp.invoices.set(id, invoice);
        return ok(invoice);
      }
      case 'getInvoices': {
        const ids = params.invoice_ids ? String(params.invoice_ids).split(',').map(Number) : null;
        return ok({ items: [...cp.invoices.values()].filter((i) => !ids || ids.includes(i.invoice_id)) });
      }
      default:
        throw fail(405, 'METHOD_NOT_FOUND');
    }
  }, cp);
  return Object.assign(cp, server);
}

/** All three, with the Worker variables that point at them (the demo's payment channels). */
export async function startProviderFakes() {
  const [razorpay, xendit, cryptopay] = await Promise.all([startRazorpayFake(), startXenditFake(), startCryptoPayFake()]);
  return {
    razorpay,
    xendit,
    cryptopay,
    vars: {
      RAZORPAY_KEY_ID: razorpay.keyId,
      RAZORPAY_KEY_SECRET: razorpay.keySecret,
      RAZORPAY_WEBHOOK_SECRET: razorpay.webhookSecret,
      RAZORPAY_API_BASE: razorpay.url,
      XENDIT_SECRET_KEY: xendit.secretKey,
      XENDIT_CALLBACK_TOKEN: xendit.callbackToken,
      XENDIT_API_BASE: xendit.url,
      CRYPTOPAY_TOKEN: cryptopay.token,
      CRYPTOPAY_API_BASE: cryptopay.url,
    },
    /** Point every webhook at the Worker (`/webhooks/<name>`, interface.md). */
    connect(workerUrl) {
      razorpay.webhookUrl = `${workerUrl}/webhooks/razorpay`;
      xendit.webhookUrl = `${workerUrl}/webhooks/xendit`;
      cryptopay.webhookUrl = `${workerUrl}/webhooks/cryptopay`;
    },
    /** Everything waiting for the customer's money, for the chat page's "pay (test)". */
    waiting() {
      return [
        ...[...razorpay.links.values()].filter((l) => l.status === 'created').map((l) => ({ provider: 'razorpay', id: l.id, url: l.short_url, amount: `₹${(l.amount / 100).toFixed(2)}`, reference: l.reference_id })),
        ...[...xendit.requests.values()].filter((p) => p.status === 'REQUIRES_ACTION').map((p) => ({ provider: 'xendit', id: p.payment_request_id, url: null, amount: `Rp ${p.request_amount.toLocaleString('id-ID')}`, reference: p.reference_id })),
        ...[...cryptopay.invoices.values()].filter((i) => i.status === 'active').map((i) => ({ provider: 'cryptopay', id: String(i.invoice_id), url: i.bot_invoice_url, amount: `${i.amount} ${i.fiat ?? i.asset}`, reference: i.payload ?? '' })),
      ];
    },
    pay(provider, id, opts) {
      const standin = { razorpay, xendit, cryptopay }[provider];
      if (!standin) throw new Error(`no provider ${provider}`);
      return standin.pay(id, opts);
    },
    close: () => Promise.allSettled([razorpay.close(), xendit.close(), cryptopay.close()]),
  };
}
