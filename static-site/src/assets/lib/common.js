// What every page does: the `?lang=` redirect, bot links, and the plan cards.
import { t, has } from './i18n.js';

export const LOCALES = ['en', 'ru', 'hi', 'id'];

/**
 * `?lang=xx` on any page goes to that locale's copy of the page. Static pages are served as
 * assets with no Worker in front, so the redirect happens here, in the site's external script
 * (the CSP allows no inline script). The target is the page's own `hreflang` alternate; the
 * `lang` parameter is dropped, other parameters and the hash are kept. Returns true when it
 * navigates away.
 */
export function langRedirect() {
  const params = new URLSearchParams(location.search);
  const want = params.get('lang');
  if (!want) return false;
  params.delete('lang');
  const query = params.toString();
  const rest = (query ? `?${query}` : '') + location.hash;
  const alt = LOCALES.includes(want) && document.querySelector(`link[rel="alternate"][hreflang="${want}"]`);
  if (alt && want !== document.documentElement.lang) {
    location.replace(new URL(alt.getAttribute('href'), location.href).pathname + rest);
    return true;
  }
  history.replaceState(null, '', location.pathname + rest);
  return false;
}

/**
 * Telegram's Login Widget in `box`, in redirect mode (no callback, so no `eval` under the CSP):
 * it sends the signed payload back to this page's address. Once per box.
 */
export function mountLoginWidget(box, bot) {
  if (!bot || box.firstChild) return;
  const s = document.createElement('script');
  s.async = true;
  s.src = 'https://telegram.org/js/telegram-widget.js?22';
  s.dataset.telegramLogin = bot;
  s.dataset.size = 'large';
  s.dataset.authUrl = location.origin + location.pathname;
  s.dataset.requestAccess = 'write';
  box.append(s);
}

/** Point every `[data-bot-link]` at the bot (`data-start` adds a /start parameter). */
export function setBotLinks(bot) {
  if (!bot) return;
  for (const a of document.querySelectorAll('[data-bot-link]')) {
    const start = a.dataset.start;
    a.href = `https://t.me/${encodeURIComponent(bot)}${start ? `?start=${encodeURIComponent(start)}` : ''}`;
  }
}

const CURRENCY_KEYS = { XTR: 'site-cur-xtr', USD: 'site-cur-usd', INR: 'site-cur-inr', IDR: 'site-cur-idr' };

export function planName(plan) {
  return has(`plan-${plan.slug}`) ? t(`plan-${plan.slug}`) : plan.name;
}

export function trafficText(bytes) {
  return bytes === 0 ? t('traffic-unlimited') : t('traffic-gb', { gb: Math.round(bytes / 1024 ** 3) });
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/**
 * Re-render `[data-plans]` lists from `GET /api/plans` (the same markup the generator writes
 * with the seeded prices; keep layout.mjs planCards in step).
 */
export function renderPlans(plans) {
  for (const list of document.querySelectorAll('[data-plans]')) {
    const heading = list.dataset.heading || 'h3';
    const cards = plans.map((p) => {
      const prices = el('dl', { class: 'prices' });
      for (const pr of p.prices) {
        prices.append(el('div', {}, el('dt', {}, t(CURRENCY_KEYS[pr.currency], {}, pr.currency)),
          el('dd', {}, el('span', { class: 'price', 'data-plan': p.slug, 'data-currency': pr.currency, 'data-amount': String(pr.amount) }, pr.display))));
      }
      return el('li', { class: 'plan', 'data-plan-card': p.slug },
        el(heading, { class: 'plan-name' }, planName(p)),
        el('ul', { class: 'plan-meta' },
          el('li', {}, t('site-plan-days', { days: p.days })),
          el('li', {}, trafficText(p.trafficBytes)),
          el('li', {}, t('site-plan-devices', { devices: p.devices }))),
        prices);
    });
    list.replaceChildren(...cards);
    list.dataset.live = 'true';
  }
}
