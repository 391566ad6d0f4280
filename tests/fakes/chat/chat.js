// The chat page's client: renders what the bot sent to the Telegram stand-in as Telegram would
// (its HTML subset, inline keyboards, edits, photos, invoices, callback answers as toasts) and
// turns what the person does into updates through the stand-in's /api/* routes (chat.mjs).

const $ = (id) => document.getElementById(id);
const list = $('messages');
const state = {
  identities: [],
  who: null, // the identity chatting now
  lang: localStorage.getItem('wg-lang') || 'en',
  cursor: 0,
  poll: null, // AbortController of the running long poll
  rows: new Map(), // message id -> <li>
};

async function api(path, body) {
  const res = await fetch(path, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error || `HTTP ${res.status}`);
  return json;
}

const from = () => ({ id: state.who.id, first_name: state.who.first_name, username: state.who.username, language_code: state.lang });
const chatBody = (extra) => ({ chat: state.who.id, from: from(), ...extra });

// ---------------------------------------------------------------- rendering

const TAGS = { B: 'b', STRONG: 'b', I: 'i', EM: 'i', U: 'u', INS: 'u', S: 's', STRIKE: 's', DEL: 's', CODE: 'code', PRE: 'pre', A: 'a', BLOCKQUOTE: 'blockquote', 'TG-SPOILER': 'span', SPAN: 'span' };

/** Telegram's HTML parse mode, rebuilt from allowed tags only (never innerHTML of bot text). */
function rich(text, parseMode) {
  const box = document.createElement('div');
  box.className = 'text';
  if (!/^html$/i.test(parseMode || '')) {
    box.textContent = text;
    return box;
  }
  const doc = new DOMParser().parseFromString(`<body>${text}</body>`, 'text/html');
  const copy = (node, into) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        into.append(child.textContent);
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const tag = TAGS[child.tagName];
        if (!tag) {
          copy(child, into);
          continue;
        }
        const el = document.createElement(tag);
        if (tag === 'a') {
          const href = child.getAttribute('href') || '';
          if (/^(https?|tg):/i.test(href)) el.href = href;
          el.target = '_blank';
          el.rel = 'noopener';
        }
        if (child.tagName === 'TG-SPOILER' || child.classList.contains('tg-spoiler')) {
          el.className = 'tg-spoiler';
          el.addEventListener('click', () => el.classList.add('shown'));
        }
        copy(child, el);
        into.append(el);
      }
    }
  };
  copy(doc.body, box);
  return box;
}

function keyboard(markup, messageId, invoiceEvent) {
  const rows = markup?.inline_keyboard ?? [];
  const box = document.createElement('div');
  box.className = 'keyboard';
  const addRow = (buttons) => {
    const row = document.createElement('div');
    row.className = 'row';
    for (const b of buttons) row.append(button(b, messageId, invoiceEvent));
    box.append(row);
  };
  // An invoice without a keyboard gets Telegram's own Pay button.
  if (invoiceEvent && !rows.flat().some((b) => b.pay)) addRow([{ text: `Pay ${money(invoiceEvent.currency, invoiceEvent.amount)}`, pay: true }]);
  for (const r of rows) addRow(r);
  return box;
}

function button(b, messageId, invoiceEvent) {
  const el = document.createElement('button');
  el.type = 'button';
  el.textContent = b.text;
  if (b.callback_data !== undefined) {
    el.dataset.kind = 'callback';
    el.dataset.callback = b.callback_data;
    el.addEventListener('click', () => act(() => api('/api/press', chatBody({ messageId, data: b.callback_data }))));
  } else if (b.pay) {
    el.dataset.kind = 'pay';
    el.addEventListener('click', () => openPaySheet(invoiceEvent, { messageId }));
  } else if (b.url && /^https:\/\/t\.me\/\$/.test(b.url)) {
    el.dataset.kind = 'invoice-link';
    el.addEventListener('click', async () => openPaySheet(await api(`/api/invoice?link=${encodeURIComponent(b.url)}`), { link: b.url }));
  } else if (b.url && b.standin) {
    // A provider stand-in's payment page: "pay (test)" does what the customer's payment would.
    el.dataset.kind = 'standin-pay';
    el.textContent = `${b.text} · pay (test)`;
    el.addEventListener('click', () => payTest(b.standin.provider, b.standin.id));
  } else if (b.url || b.web_app || b.login_url) {
    const href = String(b.url || b.web_app?.url || b.login_url?.url);
    el.dataset.kind = 'url';
    el.title = href;
    el.addEventListener('click', () => {
      if (/^(https?|tg):/i.test(href)) window.open(href, '_blank', 'noopener');
      else toast(`not a link Telegram would open: ${href}`, true);
    });
  } else if (b.copy_text) {
    el.dataset.kind = 'copy';
    el.addEventListener('click', async () => {
      await navigator.clipboard?.writeText(b.copy_text.text).catch(() => {});
      toast('Copied to clipboard');
    });
  }
  return el;
}

function bubbleFor(e) {
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  if (e.type === 'invoice') {
    bubble.classList.add('invoice');
    const h = document.createElement('h4');
    h.textContent = e.title;
    const d = document.createElement('div');
    d.textContent = e.description;
    const p = document.createElement('div');
    p.className = 'price';
    p.textContent = money(e.currency, e.amount);
    bubble.append(h, d, p);
    return bubble;
  }
  if (e.photo) {
    const img = document.createElement('img');
    img.src = e.photo;
    img.alt = 'photo from the bot';
    img.addEventListener('load', () => (list.scrollTop = list.scrollHeight));
    bubble.append(img);
  } else if (e.photo === null) {
    bubble.append('[photo]');
  }
  if (e.text) bubble.append(rich(e.text, e.parseMode));
  return bubble;
}

function addRow(e) {
  const li = document.createElement('li');
  li.className = 'msg in';
  li.dataset.type = e.type;
  if (e.id !== undefined) li.dataset.messageId = e.id;
  li.append(bubbleFor(e));
  if (e.markup || e.type === 'invoice') li.append(keyboard(e.markup, e.id, e.type === 'invoice' ? e : null));
  list.append(li);
  if (e.id !== undefined) state.rows.set(e.id, { li, event: e });
  return li;
}

function apply(e) {
  switch (e.type) {
    case 'message':
    case 'invoice':
      addRow(e);
      break;
    case 'edit': {
      const row = state.rows.get(e.id);
      if (!row) break;
      const next = { ...row.event, markup: e.markup };
      if (e.text !== undefined) Object.assign(next, { text: e.text, parseMode: e.parseMode });
      const li = addRow(next);
      row.li.replaceWith(li);
      const mark = document.createElement('span');
      mark.className = 'edited';
      mark.textContent = 'edited';
      li.querySelector('.bubble').append(mark);
      break;
    }
    case 'delete':
      state.rows.get(e.id)?.li.remove();
      state.rows.delete(e.id);
      break;
    case 'toast': // ephemeral, as in Telegram: an old one in the history is not shown again
      if (Date.now() - e.at < 5000) toast(e.text, e.alert);
      break;
    case 'user': {
      const li = document.createElement('li');
      li.className = 'msg out';
      li.dataset.type = 'user';
      const bubble = document.createElement('div');
      bubble.className = 'bubble';
      bubble.textContent = e.text;
      li.append(bubble);
      list.append(li);
      break;
    }
    case 'service':
    case 'refund': {
      const li = document.createElement('li');
      li.className = 'msg service';
      li.dataset.type = e.type;
      const bubble = document.createElement('div');
      bubble.className = 'bubble';
      bubble.textContent = e.text;
      if (e.type === 'service') {
        const refund = document.createElement('button');
        refund.type = 'button';
        refund.textContent = 'Refund (as Telegram)';
        refund.addEventListener('click', () => act(() => api('/api/refund', chatBody({ chargeId: e.chargeId }))));
        bubble.append(' · ', refund);
      }
      li.append(bubble);
      list.append(li);
      break;
    }
    default:
      break;
  }
  list.scrollTop = list.scrollHeight;
}

let toastTimer;
function toast(text, alert = false) {
  const el = $('toast');
  el.textContent = text;
  el.className = alert ? 'toast alert' : 'toast';
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), alert ? 5000 : 2500);
}

async function act(fn) {
  try {
    return await fn();
  } catch (err) {
    toast(err.message, true);
    return null;
  }
}

function money(currency, amount) {
  if (currency === 'XTR') return `⭐${amount}`;
  return `${amount} ${currency}`;
}

// ---------------------------------------------------------------- payments

let pending = null;
function openPaySheet(invoice, target) {
  pending = target;
  $('pay-title').textContent = invoice.title;
  $('pay-description').textContent = invoice.description + (invoice.subscription_period ? ' (renews every 30 days)' : '');
  $('pay-total').textContent = money(invoice.currency, invoice.amount);
  $('pay-confirm').textContent = `Pay ${money(invoice.currency, invoice.amount)}`;
  $('paysheet').showModal();
}
$('paysheet').addEventListener('close', () => {
  if ($('paysheet').returnValue === 'pay' && pending) {
    const target = pending;
    act(() => api('/api/pay', chatBody(target)));
  }
  pending = null;
});

// ---------------------------------------------------------------- the chat feed

async function poll() {
  state.poll?.abort();
  const controller = new AbortController();
  state.poll = controller;
  let first = true;
  while (!controller.signal.aborted) {
    try {
      const url = `/api/events?chat=${state.who.id}&after=${state.cursor}${first ? '&wait=0' : ''}`;
      const res = await fetch(url, { signal: controller.signal });
      const { events } = await res.json();
      if (controller.signal.aborted) return;
      for (const e of events) {
        apply(e);
        state.cursor = Math.max(state.cursor, e.seq);
      }
      first = false;
    } catch {
      if (controller.signal.aborted) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function switchTo(identity) {
  state.who = identity;
  localStorage.setItem('wg-who', String(identity.id));
  state.cursor = 0;
  state.rows.clear();
  list.replaceChildren();
  $('toast').hidden = true;
  poll();
}

function fillIdentities() {
  const extra = JSON.parse(localStorage.getItem('wg-extra') || '[]');
  const all = [...state.identities, ...extra];
  const select = $('identity');
  select.replaceChildren();
  for (const who of all) select.append(new Option(`${who.first_name} (${who.label})`, String(who.id)));
  select.append(new Option('+ another new customer', 'more'));
  return all;
}

$('identity').addEventListener('change', (ev) => {
  const wanted = ev.target.value; // read before the options are rebuilt
  let all = fillIdentities();
  if (wanted === 'more') {
    const extra = JSON.parse(localStorage.getItem('wg-extra') || '[]');
    const id = Math.max(710000, ...extra.map((w) => w.id)) + 1;
    extra.push({ key: `new-${id}`, label: 'new customer', id, first_name: `Guest ${extra.length + 2}` });
    localStorage.setItem('wg-extra', JSON.stringify(extra));
    all = fillIdentities();
    $('identity').value = String(id);
  } else {
    $('identity').value = wanted;
  }
  switchTo(all.find((w) => String(w.id) === $('identity').value));
});

$('language').value = state.lang;
$('language').addEventListener('change', (ev) => {
  state.lang = ev.target.value;
  localStorage.setItem('wg-lang', state.lang);
  toast(`Telegram now says your language is ${state.lang}; /start to see the bot switch`);
});

$('composer').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const text = $('text').value;
  if (!text.trim()) return;
  $('text').value = '';
  act(() => api('/api/send', chatBody({ text })));
});
for (const chip of document.querySelectorAll('[data-command]')) {
  chip.addEventListener('click', () => act(() => api('/api/send', chatBody({ text: chip.dataset.command }))));
}

// ---------------------------------------------------------------- the panel side

const fmtBytes = (n) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${Math.round(n / 1024 ** 2)} MB`);
function fmtExpiry(iso, now) {
  const left = (new Date(iso) - new Date(now)) / 3_600_000;
  const when = new Date(iso).toISOString().replace('T', ' ').slice(0, 16);  // UTC, as the panel stores it
  const rel = Math.abs(left) >= 48 ? `${Math.round(left / 24)} d` : `${Math.round(left)} h`;
  return `${when} (${left >= 0 ? 'in ' + rel : rel.replace('-', '') + ' ago'})`;
}

function sideResult(text) {
  $('side-result').textContent = text;
}

async function panelAction(path, body) {
  const out = await act(() => api(path, body));
  if (out?.status !== undefined) sideResult(`The Worker answered ${out.status} ${out.body}`);
  await refreshPanel();
}

async function payTest(provider, id) {
  const out = await act(() => api('/api/payments/pay', { provider, id }));
  if (out) sideResult(`${provider} sent its signed webhook; the Worker answered ${out.deliveries.join(', ')}`);
  await refreshPanel();
}

async function refreshPayments() {
  const view = await api('/api/payments').catch(() => null);
  if (!view?.enabled) return;
  $('payments-box').hidden = false;
  const ul = $('payments');
  ul.replaceChildren();
  if (!view.waiting.length) ul.append(Object.assign(document.createElement('li'), { textContent: 'nothing waiting' }));
  for (const w of view.waiting) {
    const li = document.createElement('li');
    li.dataset.provider = w.provider;
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = 'pay (test)';
    b.addEventListener('click', () => payTest(w.provider, w.id));
    li.append(`${w.provider} ${w.amount} · ${w.reference || w.id} `, b);
    ul.append(li);
  }
}

async function refreshPanel() {
  refreshPayments();
  const view = await api('/api/panel').catch(() => null);
  if (!view) return;
  const body = $('panel-users');
  body.replaceChildren();
  if (!view.users.length) {
    const tr = body.insertRow();
    const td = tr.insertCell();
    td.colSpan = 6;
    td.textContent = 'no users yet: buy or take the trial';
  }
  for (const u of view.users) {
    const tr = body.insertRow();
    tr.dataset.username = u.username;
    tr.insertCell().textContent = u.username;
    const status = tr.insertCell();
    status.textContent = u.status;
    status.className = `status-${u.status}`;
    const exp = tr.insertCell();
    exp.textContent = fmtExpiry(u.expireAt, view.now);
    exp.dataset.expireAt = u.expireAt;
    tr.insertCell().textContent = `${fmtBytes(u.usedBytes)} / ${u.limitBytes ? fmtBytes(u.limitBytes) : '∞'}`;
    tr.insertCell().textContent = `${u.devices}${u.deviceLimit ? ' / ' + u.deviceLimit : ''}`;
    const actions = tr.insertCell();
    actions.className = 'actions';
    for (const [action, label] of [['shorten', '−1 day'], ['extend', '+1 day'], ['expire', 'expire now'], ['traffic', '+1 GB used'], ['device', '+ device'], [u.status === 'DISABLED' ? 'enable' : 'disable', u.status === 'DISABLED' ? 'enable' : 'disable']]) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.addEventListener('click', () => panelAction('/api/panel/user', { id: u.id, action }));
      actions.append(b);
    }
  }
  const nodes = $('panel-nodes');
  nodes.replaceChildren();
  for (const n of view.nodes) {
    const li = document.createElement('li');
    const dot = document.createElement('span');
    dot.className = `dot ${n.isConnected ? 'up' : 'down'}`;
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = n.isConnected ? 'take down' : 'bring up';
    b.addEventListener('click', () => panelAction('/api/panel/node', { uuid: n.uuid, connected: !n.isConnected }));
    li.append(dot, `${n.name} (${n.countryCode}) ${n.isConnected ? 'connected' : 'down'} · ${n.usersOnline} online `, b);
    nodes.append(li);
  }
  const target = $('webhook-target');
  const chosen = target.value;
  target.replaceChildren();
  for (const u of view.users) target.append(new Option(`user ${u.username}`, `user:${u.id}`));
  for (const n of view.nodes) target.append(new Option(`node ${n.name}`, `node:${n.uuid}`));
  if ([...target.options].some((o) => o.value === chosen)) target.value = chosen;
}

$('webhook').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const [kind, id] = $('webhook-target').value.split(':');
  const event = $('webhook-event').value;
  if (!id || kind !== event.split('.')[0]) {
    sideResult(`choose a ${event.split('.')[0]} for ${event}`);
    return;
  }
  panelAction('/api/panel/webhook', kind === 'user' ? { event, userId: Number(id) } : { event, nodeUuid: id });
});

// ---------------------------------------------------------------- start

async function main() {
  const info = await api('/api/info');
  $('bot-name').textContent = info.bot.name;
  $('bot-username').textContent = `@${info.bot.username}`;
  state.identities = info.identities;
  for (const c of info.crons) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = c.label;
    b.title = c.expr;
    b.addEventListener('click', () => panelAction('/api/cron', { expr: c.expr }));
    $('crons').append(b);
  }
  for (const e of [...info.panelEvents.user, ...info.panelEvents.node]) $('webhook-event').append(new Option(e, e));
  const all = fillIdentities();
  const saved = all.find((w) => String(w.id) === localStorage.getItem('wg-who')) ?? all[0];
  $('identity').value = String(saved.id);
  switchTo(saved);
  await refreshPanel();
  setInterval(refreshPanel, 2000);
}

main();
