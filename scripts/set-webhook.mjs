// Registers the Telegram webhook, the bot's localized command list, and the menu button that
// opens the cabinet as a Mini App (at PUBLIC_BASE_URL/app/, or the Worker's own origin).
// Usage: scripts/set-webhook https://your-worker.example.workers.dev
import { readFileSync, existsSync } from 'node:fs';

const base = process.argv[2];
if (!base || !/^https:\/\/[^/]+\/?$/.test(base)) {
  console.error('usage: scripts/set-webhook https://<worker host>   (HTTPS origin, no path)');
  process.exit(2);
}

// Environment first, then .dev.vars (KEY=VALUE lines).
const fileVars = {};
if (existsSync('.dev.vars')) {
  for (const line of readFileSync('.dev.vars', 'utf8').split('\n')) {
    const m = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/);
    if (m) fileVars[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
}
const env = (key) => process.env[key] || fileVars[key] || '';
const token = env('TELEGRAM_BOT_TOKEN');
const secret = env('TELEGRAM_WEBHOOK_SECRET');
const api = (env('TELEGRAM_API_BASE') || 'https://api.telegram.org').replace(/\/$/, '');
if (!token || !secret) {
  console.error('TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET must be set (environment or .dev.vars)');
  process.exit(2);
}

async function call(method, body) {
  const res = await fetch(`${api}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!json.ok) throw new Error(`${method}: ${json.description || res.status}`);
  return json.result;
}

// The commands of interface.md, described in each bot language.
const commands = {
  en: ['Start', 'Plans and payment', 'My subscription', 'Free trial', 'Promo code', 'My invite link', 'Referral stats', 'Language', 'Help and support'],
  ru: ['Начало', 'Тарифы и оплата', 'Моя подписка', 'Пробный период', 'Промокод', 'Моя ссылка-приглашение', 'Статистика приглашений', 'Язык', 'Помощь и поддержка'],
  hi: ['शुरू करें', 'प्लान और भुगतान', 'मेरी सदस्यता', 'मुफ़्त ट्रायल', 'प्रोमो कोड', 'मेरा आमंत्रण लिंक', 'रेफ़रल आँकड़े', 'भाषा', 'मदद और सहायता'],
  id: ['Mulai', 'Paket dan pembayaran', 'Langganan saya', 'Uji coba gratis', 'Kode promo', 'Tautan undangan saya', 'Statistik referal', 'Bahasa', 'Bantuan dan dukungan'],
};
const names = ['start', 'buy', 'status', 'trial', 'promo', 'invite', 'mypoints', 'language', 'help'];

await call('setWebhook', {
  url: `${base.replace(/\/$/, '')}/telegram/webhook`,
  secret_token: secret,
  allowed_updates: ['message', 'callback_query', 'pre_checkout_query', 'my_chat_member', 'subscription'],
  drop_pending_updates: false,
});
for (const [lang, descriptions] of Object.entries(commands)) {
  const list = names.map((command, i) => ({ command, description: descriptions[i] }));
  await call('setMyCommands', lang === 'en' ? { commands: list } : { commands: list, language_code: lang });
}
// Admins see their commands too (in English, like every operator message), in their own chat.
const adminCommands = [
  ['stats', 'The shop at a glance'],
  ['user', 'A customer: /user <telegram id | @username>'],
  ['refund', 'Refund a payment: /refund <payment id>'],
  ['broadcast', 'Message customers'],
  ['promo_new', 'New promo code: CODE days|percent VALUE [uses] [YYYY-MM-DD]'],
  ['promo_list', 'Promo codes and their uses'],
  ['promo_off', 'Switch a promo code off: /promo_off CODE'],
];
const admins = env('ADMIN_TELEGRAM_IDS').split(',').map((id) => id.trim()).filter((id) => /^\d+$/.test(id));
for (const admin of admins) {
  const list = names.map((command, i) => ({ command, description: commands.en[i] }))
    .concat(adminCommands.map(([command, description]) => ({ command, description })));
  await call('setMyCommands', { commands: list, scope: { type: 'chat', chat_id: Number(admin) } });
}
// The menu button: the cabinet as a Mini App (Telegram requires HTTPS).
const site = (env('PUBLIC_BASE_URL') || base).replace(/\/$/, '');

await call('setChatMenuButton', { menu_button: { type: 'web_app', text: 'My VPN', web_app: { url: `${site}/app/` } } });
console.log(`webhook set to ${base.replace(/\/$/, '')}/telegram/webhook; commands registered in en, ru, hi, id, and for ${admins.length} admin chat(s); menu button opens ${site}/app/`);
