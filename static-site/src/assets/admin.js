// The operator console (`/admin/`): plain DOM code over the skeleton of pages/admin.mjs, the
// admin API (functions/src/admin) through lib/api.js, charts with uPlot. Every text comes from
// the catalogs (lib/i18n.js).
//
// Sign-in is the cabinet's: back from the Telegram Login Widget (`?id=…&hash=…`) the fields go
// to POST /api/auth/telegram; later visits find the cabinet's localStorage mark and use the
// cookie session. GET /api/me says whether there is a session at all (refreshing it once), then
// GET /api/admin/me whether it is an operator's: 401 there shows "not an operator".
//
// Every write carries an `Idempotency-Key`: one per operator action, the same one when the
// action is retried after a network error (the API answers a repeated key with the first
// answer and does nothing again).

import uPlot from 'uplot';
import { t, LOCALE } from './lib/i18n.js';
import { api, get, refresh, ApiError } from './lib/api.js';
import { langRedirect, mountLoginWidget } from './lib/common.js';

const $ = (id) => document.getElementById(id);
const SIGNED_IN = 'wg_signed_in';
const WIDGET_FIELDS = ['id', 'first_name', 'last_name', 'username', 'photo_url', 'auth_date', 'hash'];
const DAY = 86_400;
const SERIES_DAYS = 90;
const PAGE_SIZE = 50;
const EXPONENT = { USD: 2, INR: 2, XTR: 0, IDR: 0 };
const CURRENCIES = ['XTR', 'USD', 'INR', 'IDR'];
const CURRENCY_NAMES = { XTR: 'site-cur-xtr', USD: 'site-cur-usd', INR: 'site-cur-inr', IDR: 'site-cur-idr' };
const PROVIDERS = {
  stars: 'adm-provider-stars', razorpay: 'adm-provider-razorpay', xendit: 'adm-provider-xendit',
  cryptopay: 'adm-provider-cryptopay', trial: 'adm-provider-trial', bonus: 'adm-provider-bonus',
};
const STATUSES = {
  pending: 'adm-pay-pending', completed: 'adm-pay-completed', failed: 'adm-pay-failed', refunded: 'adm-pay-refunded',
  paid: 'adm-order-paid', provisioned: 'adm-order-provisioned', cancelled: 'adm-order-cancelled',
};
const KINDS = { purchase: 'adm-kind-purchase', renewal: 'adm-kind-renewal', trial: 'adm-kind-trial', bonus: 'adm-kind-bonus' };
const PANEL_STATUS = { ACTIVE: 'status-active', EXPIRED: 'status-expired', DISABLED: 'status-disabled', LIMITED: 'status-limited' };
const BROADCAST_STATUS = { draft: 'adm-bc-draft', sending: 'adm-bc-sending', done: 'adm-bc-done', cancelled: 'adm-bc-cancelled' };
const AUDIENCES = { all: 'adm-aud-all', active: 'adm-aud-active', expired: 'adm-aud-expired', never_paid: 'adm-aud-never-paid' };
const CONFIRMS = { disable: 'adm-confirm-disable', 'devices/reset': 'adm-confirm-reset', 'link/revoke': 'adm-confirm-link' };
const PALETTE = ['#2f6fde', '#d9731a', '#1f9d55', '#a23fc0', '#c0392b', '#138d90'];

const store = {
  get: (k) => { try { return localStorage.getItem(k); } catch { return null; } },
  set: (k, v) => { try { localStorage.setItem(k, v); } catch { /* storage off: fine */ } },
  del: (k) => { try { localStorage.removeItem(k); } catch { /* storage off: fine */ } },
};

// ------------------------------------------------------------------ small helpers

/** An element: attributes (null/false skipped), then children (null skipped). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null && v !== false) node.setAttribute(k, v === true ? '' : v);
  node.append(...children.filter((c) => c != null));
  return node;
}

const numberFormat = new Intl.NumberFormat(LOCALE);
const percent = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 0 });
const num = (n) => numberFormat.format(Number(n) || 0);
const label = (map, code) => (code == null ? '—' : t(map[code] ?? '', {}, String(code)));

/** Minor units as money in the page's language: `$2.00`, `₹169.00`, `Rp 32,000`, `⭐100`. */
function money(minor, currency) {
  const exp = EXPONENT[currency] ?? 0;
  const major = Number(minor) / 10 ** exp;
  if (currency === 'XTR') return `⭐${num(major)}`;
  try {
    return new Intl.NumberFormat(LOCALE, {
      style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: exp, maximumFractionDigits: exp,
    }).format(major);
  } catch {
    return `${num(major)} ${currency}`;
  }
}

/** A time (unix seconds or an ISO string) in the operator's time zone. */
function when(value, style = { dateStyle: 'medium', timeStyle: 'short' }) {
  if (value == null || value === '') return '—';
  const date = new Date(typeof value === 'number' ? value * 1000 : value);
  return Number.isNaN(date.getTime()) ? String(value) : new Intl.DateTimeFormat(LOCALE, style).format(date);
}

const dayLabel = new Intl.DateTimeFormat(LOCALE, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayLong = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeZone: 'UTC' });

function bytes(value) {
  const n = Number(value) || 0;
  const fmt = (v) => new Intl.NumberFormat(LOCALE, { maximumFractionDigits: v < 10 ? 1 : 0 }).format(v);
  if (n >= 1024 ** 4) return t('adm-tb', { tb: fmt(n / 1024 ** 4) });
  return t('traffic-gb', { gb: fmt(n / 1024 ** 3) });
}

function planLabel(slug) {
  if (!slug) return '—';
  if (slug === 'bonus') return t('adm-plan-bonus');
  return t(`plan-${slug}`, {}, slug);
}

function customerName(u) {
  const name = [u.first_name, u.last_name].filter(Boolean).join(' ');
  return [name, u.username ? `@${u.username}` : ''].filter(Boolean).join(' ') || String(u.telegram_id);
}

/** A row of cells: strings, nodes, or [content, attributes] pairs. */
function row(attrs, cells) {
  return el('tr', attrs, ...cells.map((c) => (Array.isArray(c) ? el('td', c[1], c[0]) : el('td', {}, c ?? '—'))));
}

function fillTable(body, rows, cols) {
  body.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: String(cols), class: 'muted' }, t('adm-none-yet')))]));
}

function showError(text) {
  $('notice').textContent = '';
  $('errors').textContent = text;
}

function notify(text) {
  $('errors').textContent = '';
  $('notice').textContent = text;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => ($('notice').textContent = ''), 8000);
}

function errorText(err) {
  if (!(err instanceof ApiError)) return t('app-error-network');
  if (err.status === 429) return t('app-error-rate');
  if (err.status === 409 && err.reason === 'the customer has no panel user') return t('adm-error-no-panel');
  return t('adm-error', { reason: err.reason || `HTTP ${err.status}` });
}

/** A failed call: 401 means the session is gone (or is no operator's any more): ask again. */
function fail(err) {
  if (err instanceof ApiError && err.status === 401 && Date.now() - (fail.restarted ?? 0) > 10_000) {
    fail.restarted = Date.now();
    return start();
  }
  showError(errorText(err));
}

/** Ask first, in the page's <dialog>. */
function confirmAction(text) {
  const dialog = $('confirm');
  if (!dialog.showModal) return Promise.resolve(window.confirm(text));
  $('confirm-text').textContent = text;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true }));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const uuid = () =>
  crypto.randomUUID?.() ?? [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** Keys of actions that have not had an answer yet, by action. */
const pendingKeys = new Map();

/**
 * A write: one `Idempotency-Key` per action, kept until the API's answer is known to be final,
 * so that a retry (after a network error, a 5xx, or the operator pressing again) is the same
 * request to the server, which then answers what the first one did and runs nothing twice.
 * A 5xx may have come after the effect (the Worker died mid-run): it is asked again with the
 * same key, and only an answer the server marks as the stored one frees the key.
 */
async function write(method, path, body = {}) {
  const action = `${method} ${path} ${JSON.stringify(body)}`;
  const key = pendingKeys.get(action) ?? uuid();
  pendingKeys.set(action, key);
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await api(method, path, body, { headers: { 'Idempotency-Key': key } });
      pendingKeys.delete(action);
      return answer;
    } catch (err) {
      const api = err instanceof ApiError;
      const running = api && err.status === 409 && /still running/.test(err.reason ?? '');
      const uncertain = !api || running || ((err.status >= 500 || err.body == null) && !err.replayed);
      if (!uncertain) {
        pendingKeys.delete(action);
        throw err;
      }
      if (attempt >= 3) throw err; // the key stays: pressing again asks the same question
      await sleep(700 * attempt);
    }
  }
}

/** A 409 about the request itself (still running, outcome unknown), not about the action. */
const journalAnswer = (err) => err instanceof ApiError && /still running|outcome is unknown/.test(err.reason ?? '');

/** Runs `fn` with `button` disabled. */
async function busy(button, fn) {
  if (button) button.disabled = true;
  try {
    return await fn();
  } finally {
    if (button) button.disabled = false;
  }
}

// ------------------------------------------------------------------ sign-in

let bot = '';

async function signInFromWidget() {
  const params = new URLSearchParams(location.search);
  if (!(params.has('hash') && params.has('id') && params.has('auth_date'))) return;
  const body = {};
  for (const field of WIDGET_FIELDS) {
    if (!params.has(field)) continue;
    body[field] = field === 'id' || field === 'auth_date' ? Number(params.get(field)) : params.get(field);
    params.delete(field);
  }
  const query = params.toString();
  history.replaceState(null, '', location.pathname + (query ? `?${query}` : '') + location.hash);
  try {
    await api('POST', '/api/auth/telegram', body, { retry: false });
    store.set(SIGNED_IN, '1');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) showError(t('app-error-bot-first'));
    else if (err instanceof ApiError && err.status === 401) showError(t('app-error-signin'));
    else showError(errorText(err));
  }
}

function show(state) {
  $('loading').hidden = true;
  $('signin').hidden = state !== 'signin';
  $('not-admin').hidden = state !== 'not-admin';
  $('console').hidden = state !== 'console';
}

async function showSignIn() {
  store.del(SIGNED_IN);
  show('signin');
  if (!bot) bot = (await get('/api/plans').catch(() => null))?.bot ?? '';
  mountLoginWidget($('login-widget'), bot);
}

/** Who is here: nobody (sign-in), a customer (not an operator), or an operator (the console). */
async function start() {
  if (store.get(SIGNED_IN) !== '1') return showSignIn();
  try {
    await get('/api/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return showSignIn();
    $('loading').hidden = true;
    return showError(errorText(err));
  }
  try {
    await api('GET', '/api/admin/me', undefined, { retry: false });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return show('not-admin');
    $('loading').hidden = true;
    return showError(errorText(err));
  }
  show('console');
  route();
}

async function signOut() {
  stopPolling();
  try {
    await api('POST', '/api/auth/logout', {}, { retry: false });
  } catch {
    // the cookies are cleared either way
  }
  showSignIn();
}

// ------------------------------------------------------------------ routing

const LOADERS = {};
let current = '';
/** Counts requests for a customer's file, so a late answer for another one is dropped. */
let userTicket = 0;

/** `#users/123` → ['users', '123'] → the user view; unknown hashes show the dashboard. */
function route(focus = false) {
  let hash = location.hash.slice(1);
  try {
    hash = decodeURIComponent(hash);
  } catch {
    // a malformed escape: taken as it is
  }
  const [name, arg] = hash.split('/');
  const view = name === 'users' && arg ? 'user' : Object.hasOwn(LOADERS, name) && name !== 'user' ? name : 'dashboard';
  current = view;
  if (view !== 'user') userTicket++;
  $('errors').textContent = '';
  for (const section of document.querySelectorAll('.view')) section.hidden = section.dataset.view !== view;
  const tab = view === 'user' ? 'users' : view;
  for (const a of document.querySelectorAll('[data-section]')) {
    if (a.dataset.section === tab) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  for (const a of document.querySelectorAll('[data-lang-link]')) a.hash = location.hash;
  if (focus) $(`h-${view}`)?.focus();
  Promise.resolve(LOADERS[view](arg)).catch(fail);
}

// ------------------------------------------------------------------ dashboard

function kpi(testid, title, value, raw, ...more) {
  const cls = `kpi-value${value.length > 12 ? ' kpi-text' : ''}`;
  return el('section', { class: 'kpi', 'data-testid': testid },
    el('h3', {}, title), el('p', { class: cls, 'data-value': raw == null ? null : String(raw) }, value), ...more);
}

function renderKpis(s) {
  const cards = [];
  cards.push(kpi('kpi-users', t('adm-kpi-users'), num(s.users.total), s.users.total,
    el('p', { class: 'muted', 'data-testid': 'kpi-users-new', 'data-today': String(s.users.today) },
      t('adm-kpi-users-new', { today: s.users.today, d7: s.users.d7, d30: s.users.d30 }))));

  const mix = s.active.by_plan_channel.map((r) =>
    el('li', {}, `${planLabel(r.plan)} · ${label(PROVIDERS, r.channel)}: `, el('strong', {}, num(r.n))));
  cards.push(kpi('kpi-active', t('adm-kpi-active'), num(s.active.total), s.active.total,
    mix.length ? el('ul', { class: 'kpi-list' }, ...mix) : el('p', { class: 'muted' }, t('adm-kpi-active-none'))));

  const revenue = s.revenue.length
    ? el('table', { class: 'mini', 'data-testid': 'kpi-revenue-table' },
      el('thead', {}, el('tr', {}, ...['adm-col-currency', 'adm-col-today', 'adm-col-7d', 'adm-col-30d'].map((k) => el('th', { scope: 'col' }, t(k))))),
      el('tbody', {}, ...s.revenue.map((r) => el('tr', { 'data-currency': r.currency },
        el('th', { scope: 'row' }, r.currency),
        ...['today', 'd7', 'd30'].map((p) => el('td', { 'data-period': p, 'data-value': String(r[p]) }, money(r[p], r.currency)))))))
    : el('p', { class: 'muted' }, t('adm-kpi-revenue-none'));
  cards.push(el('section', { class: 'kpi kpi-wide', 'data-testid': 'kpi-revenue' }, el('h3', {}, t('adm-kpi-revenue')), revenue));

  const tr = s.trials;
  cards.push(kpi('kpi-trials', t('adm-kpi-trials'), num(tr.total), tr.total,
    el('p', { class: 'muted' }, t('adm-kpi-trials-sub', { d30: tr.d30, percent: Math.round(tr.conversion * 100) }))));
  const rf = s.referrals;
  cards.push(kpi('kpi-referrals', t('adm-kpi-referrals'), percent.format(rf.share), rf.share,
    el('p', { class: 'muted' }, t('adm-kpi-referrals-sub', { referred: rf.referred, paying: rf.paying_users }))));

  const p = s.panel;
  cards.push(p
    ? kpi('kpi-panel', t('adm-kpi-panel'), t('adm-kpi-online', { now: Number(p.online_now) || 0, today: Number(p.online_today) || 0 }), p.online_now,
      el('p', { class: 'muted' }, t('adm-kpi-panel-more', { nodes: Number(p.nodes_online) || 0, traffic: bytes(p.traffic_bytes) })))
    : kpi('kpi-panel', t('adm-kpi-panel'), '—', null, el('p', { class: 'error' }, t('adm-panel-down', { error: s.panel_error ?? '' }))));
  $('kpis').replaceChildren(...cards);
}

const charts = [];

/** Integer steps for the count axes (no "0.5 customers"). */
const COUNT_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];

/**
 * One uPlot chart in `box`: x is UTC days (or plan indexes for `bars`), one series per entry of
 * `lines` ({label, data, color}), values shown with `fmt`. The canvas is labelled with `summary`.
 */
/** The y axis as wide as its longest label ("Rp 30,000" needs more room than "0"). */
function axisWidth(u, values, index, cycle) {
  const axis = u.axes[index];
  if (cycle > 1) return axis._size;
  const longest = (values ?? []).reduce((a, v) => (v.length > a.length ? v : a), '');
  u.ctx.font = axis.font[0];
  return Math.ceil(axis.ticks.size + axis.gap + u.ctx.measureText(longest).width / devicePixelRatio) + 4;
}

function chart(box, { xs, lines, fmt, bars = false, names = [], summary, counts = false }) {
  const css = getComputedStyle(document.documentElement);
  const ink = css.getPropertyValue('--muted').trim() || '#4a5160';
  const line = css.getPropertyValue('--line').trim() || '#d5dae3';
  const axis = { stroke: ink, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 }, font: '12px system-ui, sans-serif' };
  const top = Math.max(0, ...lines.flatMap((l) => l.data));
  const opts = {
    width: Math.max(240, box.clientWidth),
    height: 220,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    legend: { show: !bars },
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    scales: {
      x: bars ? { time: false, range: () => [-0.5, Math.max(xs.length, 1) - 0.5] } : { time: true },
      y: { range: () => [0, top > 0 ? top * 1.15 : 1] },
    },
    axes: [
      bars
        ? { ...axis, splits: () => xs, values: (u, splits) => splits.map((i) => names[i] ?? ''), gap: 4 }
        : { ...axis, values: (u, splits) => splits.map((s) => dayLabel.format(new Date(s * 1000))) },
      { ...axis, size: axisWidth, values: (u, splits) => splits.map(fmt), ...(counts ? { incrs: COUNT_INCRS } : {}) },
    ],
    series: [
      { label: bars ? t('adm-col-plan') : t('adm-col-date'), value: (u, v) => (v == null ? '' : bars ? names[v] ?? '' : dayLong.format(new Date(v * 1000))) },
      ...lines.map((l) => ({
        label: l.label,
        stroke: l.color,
        fill: `${l.color}${bars ? 'cc' : '22'}`,
        width: bars ? 0 : 2,
        points: { show: false },
        value: (u, v) => (v == null ? '' : fmt(v)),
        ...(bars ? { paths: uPlot.paths.bars({ size: [0.6, 72] }) } : {}),
      })),
    ],
  };
  const plot = new uPlot(opts, [xs, ...lines.map((l) => l.data)], box);
  const canvas = plot.root.querySelector('canvas');
  canvas?.setAttribute('role', 'img');
  canvas?.setAttribute('aria-label', summary);
  charts.push({ plot, box });
  return plot;
}

function renderCharts(series) {
  for (const { plot } of charts.splice(0)) plot.destroy();
  const xs = Array.from({ length: series.days }, (_, i) => series.start + i * DAY);
  const fill = (rows, pick) => {
    const byDay = new Map();
    for (const r of rows) byDay.set(r.day, (byDay.get(r.day) ?? 0) + pick(r));
    return xs.map((x) => byDay.get(x) ?? 0);
  };
  const countFmt = (v) => num(Math.round(v));

  // Revenue: one chart per currency that earned anything (their scales differ a hundredfold).
  const box = $('chart-revenue');
  box.replaceChildren();
  const currencies = CURRENCIES.filter((c) => series.revenue.some((r) => r.currency === c));
  for (const [i, currency] of (currencies.length ? currencies : ['XTR']).entries()) {
    const exp = EXPONENT[currency] ?? 0;
    const data = fill(series.revenue.filter((r) => r.currency === currency), (r) => r.amount / 10 ** exp);
    const total = data.reduce((a, b) => a + b, 0);
    const sub = el('div', { class: 'chart-sub', 'data-currency': currency });
    box.append(sub);
    chart(sub, {
      xs,
      lines: [{ label: `${t(CURRENCY_NAMES[currency])} (${currency})`, data, color: PALETTE[i] }],
      fmt: (v) => money(Math.round(v * 10 ** exp), currency),
      summary: `${t('adm-chart-revenue')}, ${currency}: ${t('adm-chart-total', { total: money(Math.round(total * 10 ** exp), currency) })}`,
    });
  }

  const newPaying = fill(series.new_paying, (r) => r.n);
  chart($('chart-new-paying'), {
    xs, counts: true, fmt: countFmt,
    lines: [{ label: t('adm-chart-new-paying'), data: newPaying, color: PALETTE[2] }],
    summary: `${t('adm-chart-new-paying')}: ${t('adm-chart-total', { total: num(newPaying.reduce((a, b) => a + b, 0)) })}`,
  });

  const active = fill(series.active, (r) => r.n);
  chart($('chart-active'), {
    xs, counts: true, fmt: countFmt,
    lines: [{ label: t('adm-chart-active'), data: active, color: PALETTE[0] }],
    summary: `${t('adm-chart-active')}: ${num(active.at(-1) ?? 0)}`,
  });

  const mix = series.plan_mix.length ? series.plan_mix : [{ plan: null, n: 0 }];
  const names = mix.map((m) => planLabel(m.plan));
  chart($('chart-plan-mix'), {
    xs: mix.map((_, i) => i), bars: true, names, counts: true, fmt: countFmt,
    lines: [{ label: t('adm-chart-plan-mix'), data: mix.map((m) => m.n), color: PALETTE[3] }],
    summary: `${t('adm-chart-plan-mix')}: ${mix.map((m, i) => `${names[i]} ${num(m.n)}`).join(', ')}`,
  });
}

/** Charts follow their boxes' width (a phone turned, a window resized). */
const resized = new ResizeObserver(() => {
  cancelAnimationFrame(resized.frame);
  resized.frame = requestAnimationFrame(() => {
    for (const { plot, box } of charts) {
      const width = Math.max(240, box.clientWidth);
      if (box.isConnected && box.clientWidth && Math.abs(plot.width - width) > 2) plot.setSize({ width, height: plot.height });
    }
  });
});

LOADERS.dashboard = async () => {
  const [stats, series] = await Promise.all([get('/api/admin/stats'), get(`/api/admin/series?days=${SERIES_DAYS}`)]);
  renderKpis(stats);
  renderCharts(series);
};

// ------------------------------------------------------------------ customers

const users = { q: '', sort: 'newest', cursor: '', stack: [], next: null };

LOADERS.users = async () => {
  const params = new URLSearchParams({ sort: users.sort, limit: String(PAGE_SIZE) });
  if (users.q) params.set('q', users.q);
  if (users.cursor) params.set('cursor', users.cursor);
  const page = await get(`/api/admin/users?${params}`);
  users.next = page.next_cursor;
  const rows = page.items.map((u) => row({ 'data-testid': 'user-row', 'data-id': String(u.telegram_id) }, [
    el('a', { href: `#users/${u.telegram_id}`, 'data-testid': 'user-link' }, String(u.telegram_id)),
    [customerName(u), { class: 'wrap-text' }],
    when(u.created_at, { dateStyle: 'medium' }),
    when(u.expires_at),
    u.is_blocked ? `${label(PANEL_STATUS, u.panel_status)} · ${t('adm-blocked')}` : label(PANEL_STATUS, u.panel_status),
    planLabel(u.plan),
    num(u.payments),
    u.locale ?? '—',
  ]));
  fillTable($('users-rows'), rows, 8);
  if (!rows.length) $('users-rows').firstChild.firstChild.textContent = t('adm-users-empty');
  pager('users', users);
};

/** The pager under a list: "previous" walks back the stack of cursors, "next" takes next_cursor. */
function pager(name, state) {
  $(`${name}-prev`).disabled = state.stack.length === 0;
  $(`${name}-next`).disabled = !state.next;
  $(`${name}-page`).textContent = t('adm-page', { n: state.stack.length + 1 });
}

function wirePager(name, state, load) {
  const prev = $(`${name}-prev`);
  const next = $(`${name}-next`);
  // The position moves only once the page has loaded: a double click or a failed load leaves
  // the pager where the rows on screen are.
  const go = async (cursor, stack) => {
    const before = { cursor: state.cursor, stack: state.stack };
    prev.disabled = next.disabled = true;
    Object.assign(state, { cursor, stack });
    try {
      await load();
    } catch (err) {
      Object.assign(state, before);
      pager(name, state);
      fail(err);
    }
  };
  next.addEventListener('click', () => {
    if (state.next && !next.disabled) go(state.next, [...state.stack, state.cursor]);
  });
  prev.addEventListener('click', () => {
    if (state.stack.length && !prev.disabled) go(state.stack.at(-1), state.stack.slice(0, -1));
  });
}

// ------------------------------------------------------------------ one customer

let shownUser = null;

function fact(name, value, testid) {
  return el('div', {}, el('dt', {}, name), el('dd', { 'data-testid': testid ?? null }, value ?? '—'));
}

LOADERS.user = async (id) => {
  shownUser = null; // no action on the previous file while this one loads
  const ticket = ++userTicket;
  $('h-user').textContent = '';
  $('user-facts').replaceChildren();
  const file = await get(`/api/admin/users/${encodeURIComponent(id)}`);
  // Another file (or view) was asked for meanwhile: this answer is stale.
  if (ticket !== userTicket || current !== 'user') return;
  const u = file.user;
  shownUser = u.telegram_id;
  $('h-user').textContent = customerName(u);
  const p = file.panel;
  const panelState = p == null ? t('adm-panel-none') : p.missing ? t('adm-panel-missing') : p.error ? t('adm-panel-down', { error: p.error }) : null;
  const used = p && !panelState ? p.traffic_used_bytes : u.traffic_used_bytes;
  const limit = p && !panelState ? p.traffic_limit_bytes : u.traffic_limit_bytes;
  const link = (p && !panelState ? p.subscription_url : null) ?? u.subscription_url;
  $('user-facts').replaceChildren(
    fact(t('adm-col-id'), String(u.telegram_id), 'user-id'),
    fact(t('adm-field-username'), u.username ? `@${u.username}` : '—'),
    fact(t('adm-col-joined'), when(u.created_at)),
    fact(t('adm-col-locale'), u.locale ?? '—'),
    fact(t('adm-col-plan'), planLabel(u.plan), 'user-plan'),
    fact(t('adm-col-status'), label(PANEL_STATUS, p && !panelState ? p.status : u.panel_status), 'user-status'),
    fact(t('adm-col-expires'), when(p && !panelState ? p.expire_at : u.expires_at), 'user-expires'),
    fact(t('adm-field-traffic'), used == null ? '—' : limit ? `${bytes(used)} / ${bytes(limit)}` : `${bytes(used)} / ${t('adm-unlimited')}`),
    fact(t('adm-field-devices'), p && !panelState ? `${p.devices ?? '—'} / ${p.device_limit || t('adm-unlimited')}` : '—'),
    fact(t('adm-field-online'), p && !panelState ? when(p.online_at) : '—'),
    fact(t('adm-field-link'), link ? el('code', { class: 'break' }, link) : '—', 'user-sub-link'),
    fact(t('adm-field-bonus'), num(u.bonus_days)),
    fact(t('adm-field-trial'), t(u.trial_used ? 'adm-yes' : 'adm-no')),
    fact(t('adm-field-referral-code'), u.referral_code ?? '—'),
    fact(t('adm-field-referred-by'), u.referred_by ? el('a', { href: `#users/${u.referred_by}` }, String(u.referred_by)) : '—'),
    fact(t('adm-field-panel'), panelState ?? p.username ?? '—'),
    ...(u.is_blocked ? [fact(t('adm-col-status'), t('adm-blocked'))] : []),
  );
  fillTable($('user-payments'), file.payments.map((pay) => paymentRow(pay, false)), 10);
  fillTable($('user-orders'), file.orders.map((o) => row({ 'data-testid': 'order-row', 'data-kind': o.kind }, [
    el('code', {}, o.id), when(o.created_at), label(KINDS, o.kind), label(PROVIDERS, o.provider), label(STATUSES, o.status),
    o.amount_minor ? money(o.amount_minor, o.currency) : '—', num(o.days), planLabel(o.plan),
  ])), 8);
  fillTable($('user-referrals'), file.referrals.map((r) => row({}, [
    el('a', { href: `#users/${r.telegram_id}` }, String(r.telegram_id)), customerName(r), when(r.referred_at), t(r.paid ? 'adm-yes' : 'adm-no'),
  ])), 4);
  fillTable($('user-audit'), file.audit.map((a) => row({ 'data-testid': 'audit-row', 'data-action': a.action }, [
    when(a.created_at), a.actor, el('code', {}, a.action), [el('code', { class: 'break' }, auditChange(a.details)), { class: 'wrap-text' }],
  ])), 4);
};

/** An audit row's change as `before → after` (compact JSON). */
function auditChange(details) {
  if (details == null) return '';
  const text = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (typeof details === 'object' && ('before' in details || 'after' in details)) return `${text(details.before ?? null)} → ${text(details.after ?? null)}`;
  return text(details);
}

async function userAction(action, button, body = {}) {
  const id = shownUser;
  if (id == null) return;
  const confirmKey = CONFIRMS[action];
  if (confirmKey && !(await confirmAction(t(confirmKey)))) return;
  await busy(button, async () => {
    try {
      await write('POST', `/api/admin/users/${id}/${action}`, body);
      notify(action === 'extend' ? t('adm-done-extend', { days: body.days }) : t('adm-done'));
    } catch (err) {
      return fail(err);
    }
    if (shownUser === id && current === 'user') await LOADERS.user(id).catch(fail);
  });
}

async function extend(event) {
  event.preventDefault();
  const input = $('extend-days');
  const days = Number(input.value);
  if (!Number.isInteger(days) || days < 1 || days > 3650) return input.reportValidity?.() ?? input.focus();
  if (!(await confirmAction(t('adm-confirm-extend', { days })))) return;
  await userAction('extend', event.submitter ?? null, { days });
}

// ------------------------------------------------------------------ payments

function paymentRow(p, withCustomer = true) {
  const refund = p.status === 'completed'
    ? el('button', { type: 'button', class: 'btn btn-small btn-alt', 'data-testid': 'refund', 'aria-label': t('adm-refund-label', { id: String(p.id) }) }, t('adm-refund'))
    : '';
  if (refund) refund.addEventListener('click', () => refundPayment(p, refund));
  return row({ 'data-testid': 'payment-row', 'data-payment-id': String(p.id), 'data-status': p.status }, [
    String(p.id),
    when(p.created_at),
    ...(withCustomer ? [el('a', { href: `#users/${p.telegram_id}` }, p.username ? `@${p.username}` : String(p.telegram_id))] : []),
    label(PROVIDERS, p.provider),
    [label(STATUSES, p.status), { 'data-testid': 'payment-status' }],
    [money(p.amount_minor, p.currency), { class: 'num', 'data-testid': 'payment-amount' }],
    label(KINDS, p.kind),
    planLabel(p.plan),
    p.order_id ? el('code', {}, p.order_id) : '—',
    p.external_id ? el('code', { class: 'break' }, p.external_id) : '—',
    refund,
  ]);
}

async function refundPayment(p, button) {
  if (!(await confirmAction(t('adm-refund-confirm', { id: String(p.id), amount: money(p.amount_minor, p.currency) })))) return;
  await busy(button, async () => {
    let answer;
    try {
      answer = await write('POST', `/api/admin/payments/${p.id}/refund`);
    } catch (err) {
      if (err instanceof ApiError && !journalAnswer(err) && (err.status === 409 || err.status === 502)) return showError(t('adm-refund-refused', { id: String(p.id), reason: err.reason ?? '' }));
      return fail(err);
    }
    notify(answer.status === 'requested'
      ? t('adm-refund-requested', { id: String(p.id), provider: label(PROVIDERS, answer.provider) })
      : t('adm-refund-done', { id: String(p.id) }));
  });
  if (current === 'user' && shownUser != null) await LOADERS.user(shownUser).catch(fail);
  else if (current === 'payments') await LOADERS.payments().catch(fail);
}

/**
 * The CSV through fetch rather than the link itself: an expired session is refreshed, and a
 * refusal (too many rows) is shown instead of being saved as "payments.csv".
 */
async function downloadCsv(event) {
  event.preventDefault();
  const link = event.currentTarget;
  const fetchCsv = () => fetch(link.getAttribute('href'), { credentials: 'same-origin' });
  let res = await fetchCsv();
  if (res.status === 401 && (await refresh())) res = await fetchCsv();
  if (!res.ok) {
    const json = await res.json().catch(() => null);
    return fail(new ApiError(res.status, json?.error, json));
  }
  const url = URL.createObjectURL(await res.blob());
  const save = el('a', { href: url, download: 'payments.csv', hidden: '' });
  document.body.append(save);
  save.click();
  save.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const payments = { filter: '', cursor: '', stack: [], next: null };

function paymentFilter() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData($('payment-filters'))) if (value) params.set(name, value);
  return params;
}

LOADERS.payments = async () => {
  const params = new URLSearchParams(payments.filter);
  params.set('limit', String(PAGE_SIZE));
  if (payments.cursor) params.set('cursor', payments.cursor);
  const page = await get(`/api/admin/payments?${params}`);
  payments.next = page.next_cursor;
  fillTable($('payments-rows'), page.items.map((p) => paymentRow(p)), 11);
  if (!page.items.length) $('payments-rows').firstChild.firstChild.textContent = t('adm-payments-empty');
  pager('payments', payments);
};

// ------------------------------------------------------------------ plans

LOADERS.plans = async () => {
  const { plans } = await get('/api/admin/plans');
  $('plan-forms').replaceChildren(...plans.map(planForm));
};

function planForm(plan) {
  const id = (name) => `plan-${plan.slug}-${name}`;
  const field = (name, text, input) => el('div', { class: 'field' }, el('label', { for: id(name) }, text), input);
  const number = (name, value, extra = {}) =>
    el('input', { id: id(name), name, type: 'number', inputmode: 'numeric', min: '0', step: '1', value: String(value), required: true, ...extra });
  const active = el('input', { id: id('active'), name: 'active', type: 'checkbox', checked: !!plan.is_active });
  const prices = CURRENCIES.map((c) => {
    const exp = EXPONENT[c];
    const minor = plan.prices?.[c];
    return field(`price-${c}`, `${t(CURRENCY_NAMES[c])} (${c})`, el('input', {
      id: id(`price-${c}`), name: `price-${c}`, type: 'number', inputmode: 'decimal', min: exp ? '0.01' : '1', step: exp ? '0.01' : '1',
      value: minor == null ? '' : (minor / 10 ** exp).toFixed(exp), 'data-currency': c,
    }));
  });
  const form = el('form', { class: 'panel plan-form', 'data-plan': plan.slug, 'data-testid': 'plan-form', 'aria-labelledby': id('h'), novalidate: true },
    el('h3', { id: id('h') }, `${planLabel(plan.slug)} `, el('small', {}, plan.slug)),
    el('div', { class: 'filters' },
      field('name', t('adm-field-name'), el('input', { id: id('name'), name: 'name', type: 'text', maxlength: '64', value: plan.name, required: true })),
      field('days', t('adm-field-days'), number('days', plan.days, { min: '1' })),
      field('traffic', t('adm-field-traffic-gb'), number('traffic', Math.round(plan.traffic_limit_bytes / 1024 ** 3))),
      field('devices', t('adm-field-device-limit'), number('devices', plan.device_limit)),
      el('div', { class: 'field field-check' }, active, el('label', { for: id('active') }, t('adm-field-active')))),
    el('div', { class: 'filters' }, ...prices),
    el('div', { class: 'row' },
      el('button', { type: 'submit', class: 'btn', 'data-testid': 'plan-save' }, t('adm-save')),
      el('span', { class: 'muted' }, plan.updated_at ? t('adm-plan-updated', { date: when(plan.updated_at) }) : '')));
  form.addEventListener('submit', (e) => savePlan(e, plan.slug));
  return form;
}

async function savePlan(event, slug) {
  event.preventDefault();
  const form = event.currentTarget;
  if (!form.reportValidity()) return;
  const value = (name) => form.elements[name].value.trim();
  const prices = {};
  for (const input of form.querySelectorAll('[data-currency]')) {
    if (input.value.trim() === '') continue;
    prices[input.dataset.currency] = Math.round(Number(input.value) * 10 ** EXPONENT[input.dataset.currency]);
  }
  const body = {
    name: value('name'), days: Number(value('days')), traffic_gb: Number(value('traffic')),
    devices: Number(value('devices')), active: form.elements.active.checked, prices,
  };
  await busy(event.submitter, async () => {
    let answer;
    try {
      answer = await write('PUT', `/api/admin/plans/${encodeURIComponent(slug)}`, body);
    } catch (err) {
      return fail(err);
    }
    notify(answer.changed ? t('adm-plan-saved', { plan: body.name }) : t('adm-plan-unchanged'));
    await LOADERS.plans().catch(fail);
  });
}

// ------------------------------------------------------------------ promo codes

LOADERS.promos = async () => {
  const { promos } = await get('/api/admin/promos');
  fillTable($('promo-rows'), promos.map((p) => {
    const off = p.active
      ? el('button', { type: 'button', class: 'btn btn-small btn-alt', 'data-testid': 'promo-deactivate', 'aria-label': t('adm-deactivate-label', { code: p.code }) }, t('adm-deactivate'))
      : '';
    if (off) off.addEventListener('click', () => deactivatePromo(p.code, off));
    return row({ 'data-testid': 'promo-row', 'data-code': p.code }, [
      el('code', {}, p.code),
      p.kind === 'percent' ? t('adm-promo-percent', { value: p.value }) : p.kind === 'days' ? t('adm-promo-days', { value: p.value }) : '—',
      `${num(p.used)} / ${p.max_uses == null ? t('adm-unlimited') : num(p.max_uses)}`,
      // Redeemable before midnight UTC after the last day: show that day.
      p.valid_until == null ? '—' : when(p.valid_until - 1, { dateStyle: 'medium', timeZone: 'UTC' }),
      t(p.active ? 'adm-yes' : 'adm-no'),
      off,
    ]);
  }), 6);
};

async function createPromo(event) {
  event.preventDefault();
  const form = event.currentTarget;
  if (!form.reportValidity()) return;
  const f = form.elements;
  const body = { code: f.code.value.trim(), kind: f.kind.value, value: Number(f.value.value) };
  if (f.max_uses.value) body.max_uses = Number(f.max_uses.value);
  if (f.expires.value) body.expires = f.expires.value;
  await busy(event.submitter, async () => {
    try {
      await write('POST', '/api/admin/promos', body);
    } catch (err) {
      return fail(err);
    }
    notify(t('adm-promo-created', { code: body.code }));
    form.reset();
    await LOADERS.promos().catch(fail);
  });
}

async function deactivatePromo(code, button) {
  if (!(await confirmAction(t('adm-deactivate-confirm', { code })))) return;
  await busy(button, async () => {
    try {
      await write('POST', `/api/admin/promos/${encodeURIComponent(code)}/deactivate`);
    } catch (err) {
      return fail(err);
    }
    notify(t('adm-promo-deactivated', { code }));
    await LOADERS.promos().catch(fail);
  });
}

// ------------------------------------------------------------------ broadcasts

const TG_TAGS = { b: 'b', strong: 'b', i: 'i', em: 'i', u: 'u', ins: 'u', s: 's', strike: 's', del: 's', code: 'code', pre: 'pre', a: 'a' };
const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"' };

function broadcastBody() {
  const body = { text: $('bc-text').value, audience: $('bc-audience').value };
  if ($('bc-locale').value) body.locale = $('bc-locale').value;
  return body;
}

async function previewBroadcast(event) {
  event?.preventDefault();
  const body = broadcastBody();
  if (!body.text.trim()) {
    showError(t('adm-bc-empty'));
    $('bc-text').focus();
    return null;
  }
  let p;
  try {
    p = await api('POST', '/api/admin/broadcasts/preview', body);
  } catch (err) {
    fail(err);
    return null;
  }
  // A broadcast is plain text: the bot escapes it when it sends (shop/broadcast.rs), so the
  // preview shows it as the customer will, tags and all.
  $('bc-bubble').textContent = p.text;
  $('bc-button').replaceChildren(...(p.button && /^https:\/\//.test(p.button.url)
    ? [el('a', { class: 'bubble-button', href: p.button.url, rel: 'noopener noreferrer', target: '_blank', 'data-testid': 'bc-button' }, p.button.label)]
    : []));
  $('bc-recipients').textContent = t('adm-bc-recipients', { n: p.recipients });
  $('bc-recipients').dataset.value = String(p.recipients);
  $('bc-counts').textContent = t('adm-bc-counts', { all: p.counts.all, active: p.counts.active, expired: p.counts.expired, neverPaid: p.counts.never_paid });
  $('bc-preview').hidden = false;
  p.request = body;
  return p;
}

async function sendBroadcast() {
  const button = $('bc-send');
  await busy(button, async () => {
    const p = await previewBroadcast();
    if (!p || !(await confirmAction(t('adm-bc-confirm', { n: p.recipients })))) return;
    let answer;
    try {
      // Exactly what was previewed and confirmed, whatever the form holds now.
      answer = await write('POST', '/api/admin/broadcasts', p.request);
    } catch (err) {
      return fail(err);
    }
    notify(t('adm-bc-started', { id: String(answer.id) }));
    $('bc-text').value = '';
    track(answer.id);
    await loadBroadcasts();
  });
}

let polling = null;

function stopPolling() {
  clearTimeout(polling?.timer);
  polling = null;
}

/** Show broadcast `id`'s progress, polling every 2 s while it is sending. */
async function track(id) {
  stopPolling();
  const mine = (polling = { id });
  let b;
  try {
    b = await get(`/api/admin/broadcasts/${id}`);
  } catch (err) {
    return fail(err);
  }
  if (polling !== mine) return;
  const { total, sent, blocked, failed, pending } = b.progress;
  $('bc-progress').hidden = false;
  $('bc-progress').dataset.status = b.status;
  $('h-bc-progress').textContent = `${t('adm-bc-progress-title', { id: String(id) })} · ${label(BROADCAST_STATUS, b.status)}`;
  $('bc-bar').max = Math.max(total, 1);
  $('bc-bar').value = total ? total - pending : 1;
  $('bc-progress-text').textContent = t('adm-bc-progress', { sent, blocked, failed, pending });
  $('bc-cancel').hidden = b.status !== 'sending';
  if (b.status === 'sending') mine.timer = setTimeout(() => polling === mine && track(id), 2000);
  else if (current === 'broadcast') loadBroadcasts().catch(fail);
}

async function cancelBroadcast() {
  const id = polling?.id;
  if (id == null || !(await confirmAction(t('adm-bc-cancel-confirm')))) return;
  await busy($('bc-cancel'), async () => {
    try {
      await write('POST', `/api/admin/broadcasts/${id}/cancel`);
    } catch (err) {
      return fail(err);
    }
    track(id);
  });
}

async function loadBroadcasts() {
  const { broadcasts } = await get('/api/admin/broadcasts');
  fillTable($('bc-rows'), broadcasts.map((b) => row({ 'data-testid': 'bc-row', 'data-id': String(b.id), 'data-status': b.status }, [
    String(b.id), when(b.started_at ?? b.created_at), label(BROADCAST_STATUS, b.status), label(AUDIENCES, b.audience),
    b.locale ?? t('adm-bc-any-locale'), num(b.total), num(b.sent), [b.text ?? '', { class: 'wrap-text clip' }],
  ])), 8);
  return broadcasts;
}

LOADERS.broadcast = async () => {
  const list = await loadBroadcasts();
  const sending = list.find((b) => b.status === 'sending');
  if (sending && polling?.id !== sending.id) track(sending.id);
};

// ------------------------------------------------------------------ servers

LOADERS.nodes = async () => {
  const { nodes, panel_error: error } = await get('/api/admin/nodes');
  $('nodes-error').textContent = error ? t('adm-panel-down', { error }) : '';
  fillTable($('node-rows'), nodes.map((n) => {
    const state = n.disabled ? 'adm-node-disabled' : n.connected ? 'adm-node-connected' : 'adm-node-disconnected';
    const watch = n.watch_up == null ? '—' : t(n.watch_up ? 'adm-node-up-since' : 'adm-node-down-since', { time: when(n.watch_changed_at) });
    return row({ 'data-testid': 'node-row', 'data-state': n.disabled ? 'disabled' : n.connected ? 'up' : 'down' }, [
      n.name ?? n.uuid, n.country ?? '—', n.address ?? '—',
      [el('span', { class: `state state-${n.disabled ? 'off' : n.connected ? 'up' : 'down'}` }, t(state)), { title: n.last_status_message ?? null }],
      num(n.users_online), n.traffic_limit_bytes ? `${bytes(n.traffic_used_bytes)} / ${bytes(n.traffic_limit_bytes)}` : bytes(n.traffic_used_bytes),
      watch,
    ]);
  }), 7);
  if (!nodes.length) $('node-rows').firstChild.firstChild.textContent = t('adm-nodes-empty');
};

// ------------------------------------------------------------------ start

function wire() {
  window.addEventListener('hashchange', () => !$('console').hidden && route(true));
  for (const b of document.querySelectorAll('[data-signout]')) b.addEventListener('click', signOut);
  $('dash-refresh').addEventListener('click', () => LOADERS.dashboard().catch(fail));
  $('nodes-refresh').addEventListener('click', () => LOADERS.nodes().catch(fail));
  $('user-search').addEventListener('submit', (e) => {
    e.preventDefault();
    Object.assign(users, { q: $('user-q').value.trim(), sort: $('user-sort').value, cursor: '', stack: [] });
    LOADERS.users().catch(fail);
  });
  wirePager('users', users, LOADERS.users);
  $('payment-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const params = paymentFilter();
    Object.assign(payments, { filter: params.toString(), cursor: '', stack: [] });
    $('payments-csv').href = `/api/admin/payments.csv${payments.filter ? `?${payments.filter}` : ''}`;
    LOADERS.payments().catch(fail);
  });
  wirePager('payments', payments, LOADERS.payments);
  $('payments-csv').addEventListener('click', downloadCsv);
  $('extend-form').addEventListener('submit', extend);
  for (const b of document.querySelectorAll('[data-action]')) b.addEventListener('click', () => userAction(b.dataset.action, b));
  $('promo-form').addEventListener('submit', createPromo);
  $('bc-form').addEventListener('submit', previewBroadcast);
  $('bc-send').addEventListener('click', sendBroadcast);
  $('bc-cancel').addEventListener('click', cancelBroadcast);
  resized.observe($('console'));
}

async function main() {
  if (langRedirect()) return;
  wire();
  await signInFromWidget();
  await start();
}

main();
