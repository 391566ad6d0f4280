// The customer cabinet (`/app/`, also the bot's Mini App). The page is a static skeleton with
// every label rendered at build time; assets/app.js signs in, fills it from the API and bakes
// nothing else in: the texts it needs at run time come from the strings block (the generator
// collects the keys app.js names). `data-testid` attributes are stable hooks for the browser
// tests; keep them.

import { confirmDialog, layout, LANGUAGE_NAMES } from '../layout.mjs';

const GUIDES = [
  ['app-guide-android', [
    ['v2rayNG', 'v2rayng', 'https://play.google.com/store/apps/details?id=com.v2ray.ang', 'Google Play'],
    ['Hiddify', 'hiddify', 'https://play.google.com/store/apps/details?id=app.hiddify.com', 'Google Play'],
  ]],
  ['app-guide-ios', [
    ['Streisand', 'streisand', 'https://apps.apple.com/app/streisand/id6450534064', 'App Store'],
    ['Happ', 'happ', 'https://apps.apple.com/app/happ-proxy-utility/id6504287215', 'App Store'],
  ]],
  ['app-guide-desktop', [
    ['Hiddify', 'hiddify', 'https://github.com/hiddify/hiddify-app/releases/latest', 'GitHub'],
  ]],
];

function guides(ctx) {
  const { t, esc } = ctx;
  return GUIDES.map(
    ([title, apps]) => `<details class="guide"><summary>${t(title)}</summary>
<p>${t('app-guide-steps')}</p>
<ul class="guide-apps">${apps
      .map(
        ([name, scheme, store, storeName]) =>
          `<li><a class="btn btn-small" data-deeplink="${scheme}" href="#">${t('app-guide-add', { app: name })}</a> <a href="${store}" rel="noopener">${esc(`${name} · ${storeName}`)}</a></li>`,
      )
      .join('')}</ul></details>`,
  ).join('\n');
}

export const appPage = {
  path: '/app/',
  cabinet: true,
  render: (ctx) => {
    const { t, locale } = ctx;
    const langOptions = ctx.locales
      .map((l) => `<option value="${l}" lang="${l}"${l === locale ? ' selected' : ''}>${LANGUAGE_NAMES[l]}</option>`)
      .join('');
    const body = `<h1>${t('app-title')}</h1>
<noscript><p class="notice">${t('app-noscript')}</p></noscript>
<p id="loading" class="muted">${t('app-loading')}</p>
<div id="errors" class="error" role="alert" aria-live="assertive" data-testid="error"></div>
<div id="notice" class="notice" role="status" aria-live="polite" data-testid="notice"></div>

<section id="signin" class="panel" hidden data-testid="signin" aria-labelledby="h-signin">
<h2 id="h-signin">${t('app-signin-title')}</h2>
<p>${t('app-signin-text')}</p>
<div id="login-widget" class="login-widget"></div>
<p><a class="btn" href="${ctx.botHref}" data-bot-link data-testid="open-telegram">${t('app-open-telegram')}</a></p>
</section>

<div id="cabinet" hidden>
<section class="panel" aria-labelledby="h-sub">
<h2 id="h-sub">${t('app-sub-title')}</h2>
<p id="no-sub" hidden data-testid="no-subscription">${t('app-no-sub')}</p>
<p id="trial" hidden><a href="${ctx.botHref}" data-bot-link data-start="trial">${t('app-trial')}</a></p>
<dl id="sub-facts" class="facts" hidden>
<div><dt>${t('app-plan')}</dt><dd data-testid="plan"></dd></div>
<div><dt>${t('app-status')}</dt><dd data-testid="status"></dd></div>
<div><dt>${t('app-expires')}</dt><dd data-testid="expiry"></dd></div>
<div><dt>${t('app-traffic')}</dt><dd><span data-testid="traffic"></span>
<span class="bar" id="traffic-bar-wrap"><span class="bar-fill" data-testid="traffic-bar"></span></span></dd></div>
<div><dt>${t('app-device-limit')}</dt><dd data-testid="device-limit"></dd></div>
</dl>
<p id="renewal" class="muted" data-testid="renewal" hidden></p>
</section>

<section id="link-panel" class="panel" hidden aria-labelledby="h-link">
<h2 id="h-link">${t('app-link-title')}</h2>
<label for="sub-link">${t('app-link-label')}</label>
<div class="row"><input id="sub-link" type="text" readonly data-testid="link"><button type="button" class="btn" id="copy-link" data-testid="copy">${t('app-copy')}</button></div>
<img id="qr" class="qr" alt="${t('app-qr-alt')}" width="220" height="220" data-testid="qr" hidden>
<p><button type="button" class="btn btn-alt" id="revoke" data-testid="revoke">${t('app-revoke')}</button></p>
<h3>${t('app-guide-title')}</h3>
${guides(ctx)}
</section>

<section id="devices-panel" class="panel" hidden aria-labelledby="h-devices">
<h2 id="h-devices">${t('app-devices-title')}</h2>
<p id="devices-count" data-testid="devices-count"></p>
<ul id="devices" class="devices" data-testid="devices"></ul>
<p><button type="button" class="btn btn-alt" id="reset-devices" data-testid="reset-all">${t('app-devices-reset')}</button></p>
</section>

<section class="panel" aria-labelledby="h-buy">
<h2 id="h-buy">${t('app-buy-title')}</h2>
<div id="buy-plans" class="buy-plans" data-testid="buy-plans"></div>
<div id="checkout" class="checkout" aria-live="polite" data-testid="checkout-result"></div>
<form id="promo" class="row promo" novalidate>
<label for="promo-code">${t('app-promo-label')}</label>
<input id="promo-code" name="code" type="text" autocomplete="off" autocapitalize="characters" maxlength="32" data-testid="promo-input">
<button type="submit" class="btn" data-testid="promo-submit">${t('app-promo-apply')}</button>
</form>
<p id="promo-result" aria-live="polite" data-testid="promo-result"></p>
</section>

<section class="panel" aria-labelledby="h-ref">
<h2 id="h-ref">${t('app-ref-title')}</h2>
<p>${t('app-ref-text')}</p>
<label for="ref-link">${t('app-ref-link')}</label>
<div class="row"><input id="ref-link" type="text" readonly data-testid="referral-link"><button type="button" class="btn" id="copy-ref" data-testid="referral-copy">${t('app-copy')}</button></div>
<p><a class="btn btn-alt" id="share-ref" href="#" data-testid="referral-share">${t('app-share')}</a></p>
<ul class="facts-inline">
<li>${t('app-ref-invited')} <strong id="ref-invited" data-testid="ref-invited"></strong></li>
<li>${t('app-ref-paying')} <strong id="ref-paying" data-testid="ref-paying"></strong></li>
<li>${t('app-ref-days')} <strong id="ref-days" data-testid="ref-days"></strong></li>
</ul>
<p id="ref-next" data-testid="ref-next"></p>
<h3 id="h-top">${t('app-top-title')}</h3>
<div class="tabs" role="tablist" aria-labelledby="h-top">
<button type="button" role="tab" aria-selected="true" aria-controls="leaderboard" data-period="week" data-testid="period-week">${t('top-week')}</button>
<button type="button" role="tab" aria-selected="false" aria-controls="leaderboard" data-period="month" data-testid="period-month" tabindex="-1">${t('top-month')}</button>
<button type="button" role="tab" aria-selected="false" aria-controls="leaderboard" data-period="all" data-testid="period-all" tabindex="-1">${t('top-all')}</button>
</div>
<ol id="leaderboard" class="leaderboard" role="tabpanel" aria-labelledby="h-top" data-testid="leaderboard"></ol>
<p id="top-mine" class="muted" data-testid="leaderboard-mine"></p>
</section>

<section class="panel" aria-labelledby="h-settings">
<h2 id="h-settings">${t('app-settings-title')}</h2>
<label for="language">${t('site-lang-label')}</label>
<select id="language" data-testid="language">${langOptions}</select>
<p><button type="button" class="btn btn-alt" id="signout" data-testid="signout">${t('app-signout')}</button></p>
</section>
</div>

${confirmDialog(ctx)}
${ctx.strings('app.js', ctx.plans.map((p) => `plan-${p.slug}`))}`;
    return layout(ctx, {
      title: t('app-page-title'),
      description: t('app-desc'),
      head: '<script src="https://telegram.org/js/telegram-web-app.js" defer></script>\n',
      script: 'app.js',
      mainClass: 'cabinet',
      body,
    });
  },
};
