// The customer cabinet (`/app/`), also the bot's Mini App. Plain DOM code over the static
// skeleton of pages/app.mjs; every text comes from the catalogs (lib/i18n.js).
//
// Sign-in, in order:
//   1. Back from the Telegram Login Widget (redirect mode: `?id=…&hash=…`): POST the fields to
//      /api/auth/telegram, then drop them from the address bar.
//   2. Inside Telegram (`Telegram.WebApp.initData`, or the `tgWebAppData` of the hash when the
//      SDK did not load): POST /api/auth/webapp on every launch, so the session always belongs
//      to the Telegram account that opened the Mini App.
//   3. Otherwise a previous sign-in in this browser (a localStorage mark: the cookies are
//      HttpOnly, and asking /api/me blindly would put a 401 in every anonymous visitor's
//      console): GET /api/me, which refreshes the session once on a 401.
//   4. Else the sign-in panel: the Login Widget (no callback function, so no eval) and
//      "Open in Telegram".

import { t, LOCALE } from './lib/i18n.js';
import { api, get, post, put, ApiError, useInitData, svgDataUrl } from './lib/api.js';
import { langRedirect, mountLoginWidget, setBotLinks, planName, trafficText, LOCALES } from './lib/common.js';

const $ = (id) => document.getElementById(id);
const tg = window.Telegram?.WebApp;
const SIGNED_IN = 'wg_signed_in';
const LOCALE_HOLD = 'wg_locale_hold';
const WIDGET_FIELDS = ['id', 'first_name', 'last_name', 'username', 'photo_url', 'auth_date', 'hash'];
const STATUS = { ACTIVE: 'status-active', EXPIRED: 'status-expired', DISABLED: 'status-disabled', LIMITED: 'status-limited' };
const METHODS = {
  stars: ['method-stars', 'XTR'],
  starsub: ['method-stars-subscription', 'XTR'],
  razorpay: ['method-razorpay', 'INR'],
  xendit: ['method-xendit', 'IDR'],
  cryptopay: ['method-crypto', 'USD'],
};
const PROMO_ERRORS = {
  unknown: 'app-promo-unknown',
  expired: 'app-promo-expired',
  used_up: 'app-promo-used-up',
  already_used: 'app-promo-already-used',
  discount_held: 'app-promo-held',
};
const DEEPLINKS = {
  v2rayng: (url) => `v2rayng://install-sub?url=${encodeURIComponent(url)}`,
  hiddify: (url) => `hiddify://import/${url}`,
  streisand: (url) => `streisand://import/${url}`,
  happ: (url) => `happ://add/${url}`,
};

let me = null;
let bot = '';
const store = {
  get: (s, k) => { try { return s.getItem(k); } catch { return null; } },
  set: (s, k, v) => { try { s.setItem(k, v); } catch { /* storage off: fine */ } },
  del: (s, k) => { try { s.removeItem(k); } catch { /* storage off: fine */ } },
};

// ------------------------------------------------------------------ small helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function showError(text) {
  $('errors').textContent = text;
}

function notify(text) {
  $('errors').textContent = '';
  $('notice').textContent = text;
}

/** A localized sentence for an API failure. */
function errorText(err) {
  if (!(err instanceof ApiError)) return t('app-error-network');
  if (err.status === 429) return t('app-error-rate');
  if (err.status === 503) return t('status-panel-unavailable');
  return t('error-generic');
}

/** Handle a failed call: 401 means the session is gone, anything else is shown. */
function fail(err) {
  if (err instanceof ApiError && err.status === 401) return showSignIn();
  showError(errorText(err));
}

function inTelegram() {
  return !!tg?.initData;
}

function initData() {
  if (tg?.initData) return tg.initData;
  const m = /[#&]tgWebAppData=([^&]*)/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : '';
}

/** Ask before a destructive action: Telegram's own dialog in the Mini App, else <dialog>. */
function confirmAction(text) {
  if (inTelegram() && tg.showConfirm && tg.isVersionAtLeast?.('6.2')) {
    return new Promise((resolve) => tg.showConfirm(text, (ok) => resolve(!!ok)));
  }
  const dialog = $('confirm');
  if (!dialog.showModal) return Promise.resolve(window.confirm(text));
  $('confirm-text').textContent = text;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true }));
}

async function copy(input, button) {
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    input.select();
    document.execCommand?.('copy');
  }
  const label = button.textContent;
  button.textContent = t('app-copied');
  notify(t('app-copied'));
  setTimeout(() => (button.textContent = label), 2000);
}

function dateTime(iso, opts) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  try {
    return new Intl.DateTimeFormat(LOCALE, { ...opts, timeZone: me?.timeZone || undefined }).format(date);
  } catch {
    return new Intl.DateTimeFormat(LOCALE, opts).format(date); // an unknown time zone
  }
}

function gigabytes(bytes) {
  const gb = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: bytes < 10 * 1024 ** 3 ? 1 : 0 }).format(bytes / 1024 ** 3);
  return t('traffic-gb', { gb });
}

// ------------------------------------------------------------------ Telegram Mini App

/** Telegram's theme as CSS variables (site.css reads them), so the Mini App looks native. */
function applyTheme() {
  const p = tg?.themeParams;
  if (!p || !inTelegram()) return;
  const map = {
    bg_color: '--bg', text_color: '--fg', hint_color: '--muted',
    button_color: '--accent', button_text_color: '--accent-fg', secondary_bg_color: '--card',
  };
  const root = document.documentElement;
  for (const [key, cssVar] of Object.entries(map)) {
    if (/^#[0-9a-f]{3,8}$/i.test(p[key] ?? '')) root.style.setProperty(cssVar, p[key]);
  }
  if (tg.colorScheme) root.style.setProperty('color-scheme', tg.colorScheme);
  root.classList.add('tg');
}

// ------------------------------------------------------------------ sign-in

/** Returns true when there is (probably) a session to use. */
async function signIn() {
  const params = new URLSearchParams(location.search);
  if (params.has('hash') && params.has('id') && params.has('auth_date')) {
    const body = {};
    for (const field of WIDGET_FIELDS) {
      if (!params.has(field)) continue;
      body[field] = field === 'id' || field === 'auth_date' ? Number(params.get(field)) : params.get(field);
    }
    for (const field of WIDGET_FIELDS) params.delete(field);
    const query = params.toString();
    history.replaceState(null, '', location.pathname + (query ? `?${query}` : '') + location.hash);
    return signInWith('/api/auth/telegram', body);
  }
  const data = initData();
  if (data) {
    useInitData(data);
    return signInWith('/api/auth/webapp', { initData: data });
  }
  return store.get(localStorage, SIGNED_IN) === '1';
}

async function signInWith(path, body) {
  try {
    await api('POST', path, body, { retry: false });
    store.set(localStorage, SIGNED_IN, '1');
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) showError(t('app-error-bot-first'));
    else if (err instanceof ApiError && err.status === 401) showError(t('app-error-signin'));
    else showError(errorText(err));
    return false;
  }
}

function showSignIn() {
  store.del(localStorage, SIGNED_IN);
  $('cabinet').hidden = true;
  $('signin').hidden = false;
  if (!inTelegram()) mountLoginWidget($('login-widget'), bot);
}

// ------------------------------------------------------------------ the subscription

function renderMe() {
  const sub = me.subscription;
  $('no-sub').hidden = !!sub;
  $('trial').hidden = !!sub || !me.trialAvailable;
  $('sub-facts').hidden = !sub;
  $('link-panel').hidden = !sub;
  $('devices-panel').hidden = !sub;
  $('renewal').hidden = !sub?.starsRenewal;
  if (!sub) return;
  const q = (id) => document.querySelector(`[data-testid="${id}"]`);
  q('plan').textContent = sub.plan ? t(`plan-${sub.plan}`, {}, sub.plan) : t('status-unknown-plan');
  q('status').textContent = t(STATUS[sub.status] ?? '', {}, sub.status);
  q('expiry').textContent = sub.expiresAt ? dateTime(sub.expiresAt, { dateStyle: 'long', timeStyle: 'short' }) : '—';
  const used = sub.trafficUsedBytes ?? 0;
  const limit = sub.trafficLimitBytes ?? 0;
  const bar = q('traffic-bar');
  if (limit > 0) {
    q('traffic').textContent = t('app-traffic-of', { used: gigabytes(used), limit: gigabytes(limit) });
    bar.style.width = `${Math.min(100, Math.round((used / limit) * 100))}%`;
    $('traffic-bar-wrap').hidden = false;
  } else {
    q('traffic').textContent = t('app-traffic-unlimited', { used: gigabytes(used) });
    bar.style.width = '0%';
    $('traffic-bar-wrap').hidden = true;
  }
  q('device-limit').textContent = String(sub.deviceLimit ?? '—');
  if (sub.starsRenewal) $('renewal').textContent = t(sub.starsRenewal.canceled ? 'status-renewal-canceled' : 'status-renewal-on');
  setLink(sub.subscriptionUrl, false);
}

function setLink(url, bustQr) {
  $('sub-link').value = url ?? '';
  for (const a of document.querySelectorAll('[data-deeplink]')) {
    const make = DEEPLINKS[a.dataset.deeplink];
    if (make && url) a.href = make(url);
  }
  const qr = $('qr');
  qr.hidden = !url;
  if (url) {
    qr.dataset.src = '/api/me/qr.svg';
    svgDataUrl(bustQr ? `/api/me/qr.svg?v=${Date.now()}` : '/api/me/qr.svg').then((src) => { qr.src = src; }, () => { qr.hidden = true; });
  }
}

async function loadDevices() {
  let data;
  try {
    data = await get('/api/me/devices');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return ($('devices-panel').hidden = true);
    return fail(err);
  }
  renderDevices(data);
}

function renderDevices({ total, limit, devices }) {
  $('devices-count').textContent = t('app-devices-count', { total, limit });
  const rows = devices.map((d) => {
    const name = d.deviceModel || d.platform || d.hwid;
    const detail = [d.platform, d.osVersion].filter(Boolean).join(' ');
    const added = d.createdAt ? t('app-device-added', { date: dateTime(d.createdAt, { dateStyle: 'medium' }) }) : '';
    const remove = el('button', { type: 'button', class: 'btn btn-small btn-alt', 'data-testid': 'device-remove', 'aria-label': t('app-device-remove-label', { device: name }) }, t('app-device-remove'));
    remove.addEventListener('click', () => removeDevice(d.hwid));
    return el('li', { 'data-testid': 'device', 'data-hwid': d.hwid },
      el('span', { class: 'device-name' }, el('strong', {}, name), ` ${detail}`, el('br'), el('small', {}, added)), remove);
  });
  if (!rows.length) rows.push(el('li', { class: 'muted' }, t('app-devices-empty')));
  $('devices').replaceChildren(...rows);
  $('reset-devices').hidden = devices.length === 0;
}

async function removeDevice(hwid) {
  if (!(await confirmAction(t('app-device-confirm')))) return;
  try {
    await post('/api/me/devices/delete', { hwid });
    notify(t('app-device-removed'));
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) return fail(err);
  }
  await loadDevices();
}

async function resetDevices() {
  if (!(await confirmAction(t('app-devices-reset-confirm')))) return;
  try {
    await post('/api/me/devices/reset');
    notify(t('app-devices-reset-done'));
  } catch (err) {
    return fail(err);
  }
  await loadDevices();
}

async function revokeLink() {
  if (!(await confirmAction(t('revoke-confirm')))) return;
  try {
    const { subscriptionUrl } = await post('/api/me/link/revoke');
    if (me?.subscription) me.subscription.subscriptionUrl = subscriptionUrl;
    setLink(subscriptionUrl, true);
    notify(t('app-revoke-done'));
  } catch (err) {
    fail(err);
  }
}

// ------------------------------------------------------------------ buying

function renderBuy(plans) {
  const cards = plans.map((p) => {
    const buttons = (p.methods ?? []).filter((m) => METHODS[m]).map((method) => {
      const [key, currency] = METHODS[method];
      const price = p.prices.find((pr) => pr.currency === currency);
      const b = el('button', { type: 'button', class: 'btn', 'data-testid': 'buy', 'data-plan': p.slug, 'data-method': method }, t(key, { price: price?.display ?? '' }));
      b.addEventListener('click', () => checkout(p, method, b));
      return b;
    });
    const meta = [t('site-plan-days', { days: p.days }), trafficText(p.trafficBytes), t('site-plan-devices', { devices: p.devices })].join(' · ');
    return el('div', { class: 'buy-plan', 'data-plan-card': p.slug }, el('h3', {}, planName(p)), el('p', { class: 'muted' }, meta), el('div', { class: 'buy-methods' }, ...buttons));
  });
  $('buy-plans').replaceChildren(...cards);
}

async function checkout(plan, method, button) {
  const box = $('checkout');
  box.replaceChildren(el('p', {}, t('app-checkout-opening')));
  button.disabled = true;
  let res;
  try {
    res = await post('/api/checkout', { plan: plan.slug, method });
  } catch (err) {
    box.replaceChildren();
    if (err instanceof ApiError && err.status === 401) return showSignIn();
    const key = { 400: 'app-error-method', 404: 'app-error-plan', 429: 'checkout-too-many', 502: 'checkout-failed', 503: 'checkout-failed' }[err.status];
    return showError(key ? t(key) : errorText(err));
  } finally {
    button.disabled = false;
  }
  const until = res.expiresAt ? el('p', { class: 'muted' }, t('app-pay-until', { time: dateTime(res.expiresAt, { dateStyle: 'medium', timeStyle: 'short' }) })) : '';
  if (res.invoiceUrl) {
    box.replaceChildren(el('p', {}, t('app-checkout-invoice', { price: res.price })));
    if (inTelegram() && tg.openInvoice) {
      tg.openInvoice(res.invoiceUrl, (status) => {
        if (status === 'paid') {
          box.replaceChildren(el('p', { class: 'ok' }, t('app-paid')));
          setTimeout(loadMe, 3000);
        } else if (status === 'failed') box.replaceChildren(el('p', {}, t('app-pay-failed')));
        else box.replaceChildren();
      });
    } else location.href = res.invoiceUrl;
    return;
  }
  if (res.payUrl) {
    const link = el('a', { class: 'btn', href: res.payUrl, rel: 'noopener', 'data-testid': 'pay-link' }, t('pay-button', { amount: res.price }));
    box.replaceChildren(el('p', {}, link), until);
    if (inTelegram() && tg.openLink) tg.openLink(res.payUrl);
    else location.href = res.payUrl;
    return;
  }
  if (res.qrString) {
    // QRIS: the code to scan from a banking app, drawn by the Worker (no QR library on the
    // page), and the string itself for apps that take a pasted code.
    const img = el('img', { class: 'qr', alt: t('app-qris-label'), width: '220', height: '220', 'data-testid': 'qris-qr' });
    svgDataUrl(`/api/qr.svg?data=${encodeURIComponent(res.qrString)}`).then((src) => { img.src = src; }, () => img.remove());
    const area = el('textarea', { id: 'qris', readonly: '', rows: '3', 'data-testid': 'qris' });
    area.value = res.qrString;
    const copyBtn = el('button', { type: 'button', class: 'btn btn-small' }, t('app-copy'));
    copyBtn.addEventListener('click', () => copy(area, copyBtn));
    box.replaceChildren(el('p', {}, t('app-qris', { price: res.price })), img, el('label', { for: 'qris' }, t('app-qris-label')), area, copyBtn, until);
  }
}

async function redeemPromo(event) {
  event.preventDefault();
  const input = $('promo-code');
  const out = $('promo-result');
  const code = input.value.trim();
  if (!code) {
    out.textContent = t('app-promo-empty');
    return input.focus();
  }
  try {
    const res = await post('/api/promo', { code });
    out.textContent = res.kind === 'percent' ? t('app-promo-percent', { percent: res.value }) : t('app-promo-days', { days: res.value });
    input.value = '';
    if (res.kind === 'days') setTimeout(loadMe, 3000);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return showSignIn();
    out.textContent = err instanceof ApiError && PROMO_ERRORS[err.reason] ? t(PROMO_ERRORS[err.reason]) : errorText(err);
  }
}

// ------------------------------------------------------------------ referrals

async function loadReferrals(period = 'week') {
  let data;
  try {
    data = await get(`/api/referrals?period=${period}`);
  } catch (err) {
    return fail(err);
  }
  $('ref-link').value = data.link ?? '';
  const share = `https://t.me/share/url?url=${encodeURIComponent(data.link ?? '')}&text=${encodeURIComponent(t('invite-share-text'))}`;
  $('share-ref').href = share;
  $('ref-invited').textContent = String(data.invited ?? 0);
  $('ref-paying').textContent = String(data.paying ?? 0);
  $('ref-days').textContent = String(data.daysEarned ?? 0);
  const next = data.nextMilestone;
  $('ref-next').textContent = next ? t('points-next', { days: next.days, at: next.at, toGo: next.toGo }) : t('points-all-reached');
  const top = data.leaderboard?.top ?? [];
  const rows = top.map((r) => el('li', { 'data-testid': 'leader' }, t('app-top-row', { rank: r.rank, name: r.name, paying: r.paying })));
  if (!rows.length) rows.push(el('li', { class: 'muted' }, t('top-empty')));
  $('leaderboard').replaceChildren(...rows);
  const mine = data.leaderboard?.mine;
  $('top-mine').textContent = mine ? t('top-you', { rank: mine.rank, paying: mine.paying }) : t('top-you-none');
}

function wireTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"][data-period]')];
  const select = (tab) => {
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute('aria-selected', String(on));
      other.tabIndex = on ? 0 : -1;
    }
    loadReferrals(tab.dataset.period);
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', (e) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (!step) return;
      const next = tabs[(i + step + tabs.length) % tabs.length];
      next.focus();
      select(next);
    });
  });
}

// ------------------------------------------------------------------ language

function appHref(locale) {
  return `${locale === 'en' ? '' : `/${locale}`}/app/`;
}

/** Store the choice for the bot too, then open that language's cabinet. */
async function switchLocale(locale) {
  if (!LOCALES.includes(locale) || locale === LOCALE) return;
  try {
    await put('/api/me/locale', { locale });
  } catch {
    // still switch the page; the hold below stops a bounce back
  }
  store.set(sessionStorage, LOCALE_HOLD, locale);
  location.assign(appHref(locale) + location.hash);
}

/** Open the cabinet in the customer's stored language, once (the hold prevents loops). */
function followStoredLocale() {
  const hold = store.get(sessionStorage, LOCALE_HOLD);
  store.del(sessionStorage, LOCALE_HOLD);
  if (!me?.locale || me.locale === LOCALE || !LOCALES.includes(me.locale) || hold === LOCALE) return false;
  store.set(sessionStorage, LOCALE_HOLD, me.locale);
  location.replace(appHref(me.locale) + location.hash);
  return true;
}

// ------------------------------------------------------------------ start

async function loadMe() {
  try {
    me = await get('/api/me');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      showSignIn();
      return false;
    }
    showError(errorText(err));
    return true;
  }
  if (followStoredLocale()) return false;
  renderMe();
  return true;
}

function wire() {
  $('copy-link').addEventListener('click', () => copy($('sub-link'), $('copy-link')));
  $('copy-ref').addEventListener('click', () => copy($('ref-link'), $('copy-ref')));
  $('revoke').addEventListener('click', revokeLink);
  $('reset-devices').addEventListener('click', resetDevices);
  $('promo').addEventListener('submit', redeemPromo);
  $('language').addEventListener('change', (e) => switchLocale(e.target.value));
  $('share-ref').addEventListener('click', (e) => {
    if (!inTelegram() || !tg.openTelegramLink) return;
    e.preventDefault();
    tg.openTelegramLink($('share-ref').href);
  });
  $('signout').addEventListener('click', async () => {
    try {
      await post('/api/auth/logout');
    } catch {
      // the cookies are cleared either way
    }
    showSignIn();
  });
  // The header's language links: signed in, the choice is stored for the bot too.
  for (const a of document.querySelectorAll('[data-lang-link]')) {
    a.addEventListener('click', (e) => {
      if ($('cabinet').hidden) return;
      e.preventDefault();
      switchLocale(a.dataset.langLink);
    });
  }
  wireTabs();
}

async function main() {
  if (langRedirect()) return;
  applyTheme();
  tg?.onEvent?.('themeChanged', applyTheme);
  tg?.ready?.();
  tg?.expand?.();
  wire();
  const plans = get('/api/plans').catch(() => null);
  const signedIn = await signIn();
  const catalog = await plans;
  bot = catalog?.bot ?? '';
  setBotLinks(bot);
  if (catalog?.plans) renderBuy(catalog.plans);
  if (!signedIn) {
    $('loading').hidden = true;
    return showSignIn();
  }
  const ok = await loadMe();
  $('loading').hidden = true;
  if (!ok) return;
  $('signin').hidden = true;
  $('cabinet').hidden = false;
  await Promise.all([me?.subscription ? loadDevices() : null, loadReferrals('week')]);
}

main();
