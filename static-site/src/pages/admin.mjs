// The operator console (`/admin/`). Like the cabinet, a static skeleton with every label rendered
// at build time; assets/admin.js signs in (the cabinet's Telegram sign-in and cookie session),
// asks GET /api/admin/me, and fills the sections from the admin API. Sections are hash-routed
// (`#dashboard`, `#users`, `#users/<telegram id>`, `#payments`, `#plans`, `#promos`,
// `#broadcast`, `#nodes`). `data-testid` attributes are the browser test's hooks; keep them.

import { confirmDialog, layout } from '../layout.mjs';

const SECTIONS = [
  ['dashboard', 'adm-nav-dashboard'],
  ['users', 'adm-nav-users'],
  ['payments', 'adm-nav-payments'],
  ['plans', 'adm-nav-plans'],
  ['promos', 'adm-nav-promos'],
  ['broadcast', 'adm-nav-broadcast'],
  ['nodes', 'adm-nav-nodes'],
];

const PROVIDERS = ['stars', 'razorpay', 'xendit', 'cryptopay'];
const PAYMENT_STATUSES = ['pending', 'completed', 'failed', 'refunded'];
const CURRENCIES = ['XTR', 'USD', 'INR', 'IDR'];

/** `<option>`s: the values with their labels, an "any" first when asked. */
function options(ctx, list, label, any = false) {
  const opts = list.map(([value, key]) => `<option value="${value}">${key ? ctx.t(key) : ctx.esc(label(value))}</option>`);
  return (any ? `<option value="">${ctx.t('adm-any')}</option>` : '') + opts.join('');
}

/** A table in a scrollable, focusable region (wide tables scroll sideways on a phone). */
function table(ctx, { label, testid, body, cols }) {
  const head = cols.map((key) => `<th scope="col">${ctx.t(key)}</th>`).join('');
  return `<div class="table-wrap" role="region" aria-labelledby="${label}" tabindex="0">
<table class="grid" data-testid="${testid}"><thead><tr>${head}</tr></thead><tbody id="${body}"></tbody></table>
</div>`;
}

const PAYMENT_COLS = ['adm-col-number', 'adm-col-date', 'adm-col-customer', 'adm-col-provider', 'adm-col-status',
  'adm-col-amount', 'adm-col-kind', 'adm-col-plan', 'adm-col-order', 'adm-col-external', 'adm-actions'];

function dashboard(ctx) {
  const { t } = ctx;
  const chart = (id, key) => `<figure class="chart-card" data-testid="chart-${id}">
<figcaption id="cap-${id}">${t(key)}</figcaption>
<div id="chart-${id}" class="chart-box"></div>
</figure>`;
  return `<section id="view-dashboard" class="view" data-view="dashboard" data-testid="view-dashboard" hidden>
<div class="view-head"><h2 id="h-dashboard" tabindex="-1">${t('adm-nav-dashboard')}</h2>
<button type="button" class="btn btn-alt btn-small" id="dash-refresh" data-testid="dash-refresh">${t('adm-refresh')}</button></div>
<div id="kpis" class="kpis" data-testid="kpis"></div>
<h3 id="h-charts">${t('adm-charts-title', { days: 90 })}</h3>
<div class="charts">
${chart('revenue', 'adm-chart-revenue')}
${chart('new-paying', 'adm-chart-new-paying')}
${chart('active', 'adm-chart-active')}
${chart('plan-mix', 'adm-chart-plan-mix')}
</div>
</section>`;
}

function users(ctx) {
  const { t } = ctx;
  const sorts = options(ctx, [['newest', 'adm-sort-newest'], ['oldest', 'adm-sort-oldest'], ['expires', 'adm-sort-expires'], ['-expires', 'adm-sort-expires-late']]);
  return `<section id="view-users" class="view" data-view="users" data-testid="view-users" hidden>
<h2 id="h-users" tabindex="-1">${t('adm-nav-users')}</h2>
<form id="user-search" class="filters" role="search" novalidate>
<div class="field field-wide"><label for="user-q">${t('adm-users-search')}</label>
<input id="user-q" name="q" type="search" autocomplete="off" spellcheck="false" maxlength="64" aria-describedby="user-q-hint" data-testid="user-q"></div>
<div class="field"><label for="user-sort">${t('adm-users-sort')}</label><select id="user-sort" name="sort" data-testid="user-sort">${sorts}</select></div>
<button type="submit" class="btn" data-testid="user-search-submit">${t('adm-users-search')}</button>
</form>
<p id="user-q-hint" class="muted hint">${t('adm-users-hint')}</p>
${table(ctx, { label: 'h-users', testid: 'users-table', body: 'users-rows', cols: ['adm-col-id', 'adm-col-name', 'adm-col-joined', 'adm-col-expires', 'adm-col-status', 'adm-col-plan', 'adm-col-payments', 'adm-col-locale'] })}
<div class="pager"><button type="button" class="btn btn-alt btn-small" id="users-prev" data-testid="users-prev">${t('adm-prev')}</button>
<span id="users-page" class="muted"></span>
<button type="button" class="btn btn-alt btn-small" id="users-next" data-testid="users-next">${t('adm-next')}</button></div>
</section>`;
}

function user(ctx) {
  const { t } = ctx;
  return `<section id="view-user" class="view" data-view="user" data-testid="view-user" hidden>
<p><a href="#users" data-testid="back-users">${t('adm-back-users')}</a></p>
<h2 id="h-user" tabindex="-1" data-testid="user-title"></h2>
<div class="cols">
<section class="panel" aria-labelledby="h-user-profile">
<h3 id="h-user-profile">${t('adm-user-profile')}</h3>
<dl id="user-facts" class="facts" data-testid="user-facts"></dl>
</section>
<section class="panel" aria-labelledby="h-user-actions">
<h3 id="h-user-actions">${t('adm-actions')}</h3>
<form id="extend-form" class="row" novalidate>
<label for="extend-days">${t('adm-extend-days')}</label>
<input id="extend-days" name="days" type="number" inputmode="numeric" min="1" max="3650" step="1" value="7" required data-testid="extend-days">
<button type="submit" class="btn" data-testid="extend">${t('adm-extend')}</button>
</form>
<div class="row actions">
<button type="button" class="btn btn-alt" data-action="disable" data-testid="act-disable">${t('adm-disable')}</button>
<button type="button" class="btn btn-alt" data-action="enable" data-testid="act-enable">${t('adm-enable')}</button>
<button type="button" class="btn btn-alt" data-action="devices/reset" data-testid="act-reset-devices">${t('adm-reset-devices')}</button>
<button type="button" class="btn btn-alt" data-action="link/revoke" data-testid="act-new-link">${t('adm-new-link')}</button>
</div>
</section>
</div>
<h3 id="h-user-payments">${t('adm-user-payments')}</h3>
${table(ctx, { label: 'h-user-payments', testid: 'user-payments', body: 'user-payments', cols: PAYMENT_COLS.filter((c) => c !== 'adm-col-customer') })}
<h3 id="h-user-orders">${t('adm-user-orders')}</h3>
${table(ctx, { label: 'h-user-orders', testid: 'user-orders', body: 'user-orders', cols: ['adm-col-order', 'adm-col-date', 'adm-col-kind', 'adm-col-provider', 'adm-col-status', 'adm-col-amount', 'adm-col-days', 'adm-col-plan'] })}
<h3 id="h-user-referrals">${t('adm-user-referrals')}</h3>
${table(ctx, { label: 'h-user-referrals', testid: 'user-referrals', body: 'user-referrals', cols: ['adm-col-id', 'adm-col-name', 'adm-col-date', 'adm-col-paid'] })}
<h3 id="h-user-audit">${t('adm-user-audit')}</h3>
${table(ctx, { label: 'h-user-audit', testid: 'user-audit', body: 'user-audit', cols: ['adm-col-date', 'adm-col-actor', 'adm-col-action', 'adm-col-change'] })}
</section>`;
}

function payments(ctx) {
  const { t } = ctx;
  const providerKeys = { stars: 'adm-provider-stars', razorpay: 'adm-provider-razorpay', xendit: 'adm-provider-xendit', cryptopay: 'adm-provider-cryptopay' };
  const statusKeys = { pending: 'adm-pay-pending', completed: 'adm-pay-completed', failed: 'adm-pay-failed', refunded: 'adm-pay-refunded' };
  return `<section id="view-payments" class="view" data-view="payments" data-testid="view-payments" hidden>
<h2 id="h-payments" tabindex="-1">${t('adm-nav-payments')}</h2>
<form id="payment-filters" class="filters" novalidate>
<div class="field"><label for="pf-provider">${t('adm-col-provider')}</label><select id="pf-provider" name="provider" data-testid="pf-provider">${options(ctx, PROVIDERS.map((p) => [p, providerKeys[p]]), null, true)}</select></div>
<div class="field"><label for="pf-status">${t('adm-col-status')}</label><select id="pf-status" name="status" data-testid="pf-status">${options(ctx, PAYMENT_STATUSES.map((s) => [s, statusKeys[s]]), null, true)}</select></div>
<div class="field"><label for="pf-currency">${t('adm-col-currency')}</label><select id="pf-currency" name="currency" data-testid="pf-currency">${options(ctx, CURRENCIES.map((c) => [c]), (c) => c, true)}</select></div>
<div class="field"><label for="pf-from">${t('adm-filter-from')}</label><input id="pf-from" name="from" type="date" data-testid="pf-from"></div>
<div class="field"><label for="pf-to">${t('adm-filter-to')}</label><input id="pf-to" name="to" type="date" data-testid="pf-to"></div>
<button type="submit" class="btn" data-testid="pf-apply">${t('adm-apply')}</button>
<a id="payments-csv" class="btn btn-alt" href="/api/admin/payments.csv" download="payments.csv" data-testid="payments-csv">${t('adm-csv')}</a>
</form>
${table(ctx, { label: 'h-payments', testid: 'payments-table', body: 'payments-rows', cols: PAYMENT_COLS })}
<div class="pager"><button type="button" class="btn btn-alt btn-small" id="payments-prev" data-testid="payments-prev">${t('adm-prev')}</button>
<span id="payments-page" class="muted"></span>
<button type="button" class="btn btn-alt btn-small" id="payments-next" data-testid="payments-next">${t('adm-next')}</button></div>
</section>`;
}

function plans(ctx) {
  const { t } = ctx;
  return `<section id="view-plans" class="view" data-view="plans" data-testid="view-plans" hidden>
<h2 id="h-plans" tabindex="-1">${t('adm-nav-plans')}</h2>
<p class="muted">${t('adm-plans-intro')}</p>
<div id="plan-forms" class="plan-forms" data-testid="plan-forms"></div>
</section>`;
}

function promos(ctx) {
  const { t } = ctx;
  return `<section id="view-promos" class="view" data-view="promos" data-testid="view-promos" hidden>
<h2 id="h-promos" tabindex="-1">${t('adm-nav-promos')}</h2>
<form id="promo-form" class="panel filters" novalidate>
<h3 id="h-promo-new" class="full">${t('adm-promo-new')}</h3>
<div class="field"><label for="promo-code">${t('adm-field-code')}</label><input id="promo-code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="32" required data-testid="promo-code"></div>
<div class="field"><label for="promo-kind">${t('adm-field-kind')}</label><select id="promo-kind" name="kind" data-testid="promo-kind">${options(ctx, [['days', 'adm-promo-kind-days'], ['percent', 'adm-promo-kind-percent']])}</select></div>
<div class="field"><label for="promo-value">${t('adm-field-value')}</label><input id="promo-value" name="value" type="number" inputmode="numeric" min="1" step="1" required data-testid="promo-value"></div>
<div class="field"><label for="promo-uses">${t('adm-field-max-uses')}</label><input id="promo-uses" name="max_uses" type="number" inputmode="numeric" min="1" step="1" data-testid="promo-uses"></div>
<div class="field"><label for="promo-expires">${t('adm-field-last-day')}</label><input id="promo-expires" name="expires" type="date" data-testid="promo-expires"></div>
<button type="submit" class="btn" data-testid="promo-create">${t('adm-create')}</button>
</form>
<h3 id="h-promo-list">${t('adm-promo-list')}</h3>
${table(ctx, { label: 'h-promo-list', testid: 'promos-table', body: 'promo-rows', cols: ['adm-col-code', 'adm-col-value', 'adm-col-uses', 'adm-col-valid', 'adm-col-active', 'adm-actions'] })}
</section>`;
}

function broadcast(ctx) {
  const { t } = ctx;
  const audiences = options(ctx, [['all', 'adm-aud-all'], ['active', 'adm-aud-active'], ['expired', 'adm-aud-expired'], ['never_paid', 'adm-aud-never-paid']]);
  const NAMES = { en: 'English', ru: 'Русский', hi: 'हिन्दी', id: 'Bahasa Indonesia' };
  const locales = `<option value="">${t('adm-bc-any-locale')}</option>` +
    ctx.locales.map((l) => `<option value="${l}" lang="${l}">${NAMES[l]}</option>`).join('');
  return `<section id="view-broadcast" class="view" data-view="broadcast" data-testid="view-broadcast" hidden>
<h2 id="h-broadcast" tabindex="-1">${t('adm-nav-broadcast')}</h2>
<div class="cols">
<form id="bc-form" class="panel" novalidate>
<label for="bc-text">${t('adm-bc-text')}</label>
<textarea id="bc-text" name="text" rows="8" maxlength="4000" aria-describedby="bc-hint" data-testid="bc-text"></textarea>
<p id="bc-hint" class="muted hint">${t('adm-bc-hint')}</p>
<div class="filters">
<div class="field"><label for="bc-audience">${t('adm-bc-audience')}</label><select id="bc-audience" name="audience" data-testid="bc-audience">${audiences}</select></div>
<div class="field"><label for="bc-locale">${t('adm-bc-locale')}</label><select id="bc-locale" name="locale" data-testid="bc-locale">${locales}</select></div>
</div>
<div class="row"><button type="submit" class="btn btn-alt" data-testid="bc-preview-btn">${t('adm-bc-preview')}</button>
<button type="button" class="btn" id="bc-send" data-testid="bc-send">${t('adm-bc-send')}</button></div>
</form>
<section id="bc-preview" class="panel" aria-labelledby="h-bc-preview" aria-live="polite" data-testid="bc-preview" hidden>
<h3 id="h-bc-preview">${t('adm-bc-preview-title')}</h3>
<div class="chat"><div class="bubble" id="bc-bubble" data-testid="bc-bubble"></div><div id="bc-button" class="bubble-buttons"></div></div>
<p><strong id="bc-recipients" data-testid="bc-recipients"></strong></p>
<p id="bc-counts" class="muted" data-testid="bc-counts"></p>
</section>
</div>
<section id="bc-progress" class="panel" aria-labelledby="h-bc-progress" data-testid="bc-progress" hidden>
<h3 id="h-bc-progress"></h3>
<progress id="bc-bar" max="1" value="0" aria-labelledby="h-bc-progress" data-testid="bc-bar"></progress>
<p id="bc-progress-text" aria-live="polite" data-testid="bc-progress-text"></p>
<p><button type="button" class="btn btn-alt" id="bc-cancel" data-testid="bc-cancel">${t('adm-bc-cancel')}</button></p>
</section>
<h3 id="h-bc-recent">${t('adm-bc-recent')}</h3>
${table(ctx, { label: 'h-bc-recent', testid: 'bc-table', body: 'bc-rows', cols: ['adm-col-number', 'adm-col-date', 'adm-col-status', 'adm-bc-audience', 'adm-bc-locale', 'adm-col-total', 'adm-col-sent', 'adm-col-text'] })}
</section>`;
}

function nodes(ctx) {
  const { t } = ctx;
  return `<section id="view-nodes" class="view" data-view="nodes" data-testid="view-nodes" hidden>
<div class="view-head"><h2 id="h-nodes" tabindex="-1">${t('adm-nav-nodes')}</h2>
<button type="button" class="btn btn-alt btn-small" id="nodes-refresh">${t('adm-refresh')}</button></div>
<p id="nodes-error" class="error" role="status"></p>
${table(ctx, { label: 'h-nodes', testid: 'nodes-table', body: 'node-rows', cols: ['adm-col-node', 'adm-col-country', 'adm-col-address', 'adm-col-status', 'adm-col-online', 'adm-col-traffic', 'adm-col-health'] })}
</section>`;
}

export const adminPage = {
  path: '/admin/',
  render: (ctx) => {
    const { t } = ctx;
    const nav = SECTIONS.map(
      ([id, key]) => `<li><a href="#${id}" data-section="${id}" data-testid="nav-${id}">${t(key)}</a></li>`,
    ).join('');
    const body = `<h1 class="console-title">${t('adm-title')}</h1>
<noscript><p class="notice">${t('adm-noscript')}</p></noscript>
<p id="loading" class="muted">${t('app-loading')}</p>
<div class="toasts"><div id="errors" class="error" role="alert" data-testid="error"></div><div id="notice" class="notice" role="status" data-testid="notice"></div></div>

<section id="signin" class="panel" hidden data-testid="signin" aria-labelledby="h-signin">
<h2 id="h-signin">${t('app-signin-title')}</h2>
<p>${t('adm-signin-text')}</p>
<div id="login-widget" class="login-widget"></div>
</section>

<section id="not-admin" class="panel" hidden data-testid="not-admin" aria-labelledby="h-not-admin">
<h2 id="h-not-admin">${t('adm-not-admin-title')}</h2>
<p>${t('adm-not-admin')}</p>
<p><button type="button" class="btn btn-alt" data-signout data-testid="not-admin-signout">${t('app-signout')}</button></p>
</section>

<div id="console" class="console" hidden data-testid="console">
<nav class="side" aria-label="${t('adm-nav-label')}">
<ul>${nav}</ul>
<p><button type="button" class="btn btn-alt btn-small" data-signout data-testid="signout">${t('app-signout')}</button></p>
</nav>
<div class="views">
${dashboard(ctx)}
${users(ctx)}
${user(ctx)}
${payments(ctx)}
${plans(ctx)}
${promos(ctx)}
${broadcast(ctx)}
${nodes(ctx)}
</div>
</div>

${confirmDialog(ctx)}
${ctx.strings('admin.js', [...ctx.plans.map((p) => `plan-${p.slug}`), 'plan-trial'])}`;
    return layout(ctx, {
      title: t('adm-page-title'),
      description: t('adm-desc'),
      head: `<meta name="robots" content="noindex, nofollow">\n<link rel="stylesheet" href="${ctx.assets['admin.css']}">\n`,
      script: 'admin.js',
      mainClass: 'console-main',
      body,
    });
  },
};
