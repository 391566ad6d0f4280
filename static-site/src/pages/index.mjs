// Every page of the site, rendered once per locale by scripts/site-build.mjs. `path` is the
// page's URL without the locale prefix; `cabinet` pages may be framed by Telegram's web clients
// (see the generator's `_headers`); the operator console (`/admin/`) may not be framed at all.

import { layout, planCards, planStringKeys, ctas, sections } from '../layout.mjs';
import { appPage } from './app.mjs';
import { adminPage } from './admin.mjs';

const STORES = {
  v2rayng: 'https://play.google.com/store/apps/details?id=com.v2ray.ang',
  hiddifyAndroid: 'https://play.google.com/store/apps/details?id=app.hiddify.com',
  streisand: 'https://apps.apple.com/app/streisand/id6450534064',
  happ: 'https://apps.apple.com/app/happ-proxy-utility/id6504287215',
  hiddifyDesktop: 'https://github.com/hiddify/hiddify-app/releases/latest',
};

const FEATURES = ['devices', 'pay', 'trial', 'private'];

const home = {
  path: '/',
  render: (ctx) =>
    layout(ctx, {
      title: ctx.t('site-home-title'),
      description: ctx.t('site-home-desc'),
      body: `<section class="hero">
<h1>${ctx.t('site-hero-title')}</h1>
<p class="lead">${ctx.t('site-hero-text')}</p>
${ctas(ctx)}
</section>
<section aria-labelledby="h-features">
<h2 id="h-features">${ctx.t('site-features-title')}</h2>
<ul class="cards">${FEATURES.map((f) => `<li><h3>${ctx.t(`site-feat-${f}-title`)}</h3><p>${ctx.t(`site-feat-${f}`)}</p></li>`).join('')}</ul>
<p><a href="${ctx.href('/features/')}">${ctx.t('site-more-features')}</a></p>
</section>
<section aria-labelledby="h-pricing">
<h2 id="h-pricing">${ctx.t('site-pricing-title')}</h2>
${planCards(ctx, 'h3')}
<p><a href="${ctx.href('/pricing/')}">${ctx.t('site-more-pricing')}</a></p>
</section>
${ctx.strings('site.js', planStringKeys(ctx))}`,
    }),
};

const pricing = {
  path: '/pricing/',
  render: (ctx) =>
    layout(ctx, {
      title: ctx.t('site-pricing-page-title'),
      description: ctx.t('site-pricing-desc'),
      body: `<h1>${ctx.t('site-pricing-title')}</h1>
<p class="lead">${ctx.t('site-pricing-lead')}</p>
${planCards(ctx, 'h2')}
<section aria-labelledby="h-methods">
<h2 id="h-methods">${ctx.t('site-methods-title')}</h2>
<ul class="list">
<li>${ctx.t('site-method-stars')}</li>
<li>${ctx.t('site-method-upi')}</li>
<li>${ctx.t('site-method-qris')}</li>
<li>${ctx.t('site-method-crypto')}</li>
</ul>
<p>${ctx.t('site-pricing-trial')}</p>
</section>
${ctas(ctx)}
${ctx.strings('site.js', planStringKeys(ctx))}`,
    }),
};

const features = {
  path: '/features/',
  render: (ctx) =>
    layout(ctx, {
      title: ctx.t('site-features-page-title'),
      description: ctx.t('site-features-desc'),
      body: `<h1>${ctx.t('site-features-title')}</h1>
<ul class="cards">${[...FEATURES, 'apps', 'devices-control', 'referrals', 'gifts']
        .map((f) => `<li><h2>${ctx.t(`site-feat-${f}-title`)}</h2><p>${ctx.t(`site-feat-${f}`)}</p></li>`)
        .join('')}</ul>
${ctas(ctx)}`,
    }),
};

const faqItem = (ctx, q, a, links = []) =>
  `<details><summary>${ctx.t(q)}</summary><p>${ctx.t(a)}</p>${
    links.length ? `<p class="store-links">${links.map(([label, url]) => `<a href="${url}" rel="noopener">${ctx.esc(label)}</a>`).join(' ')}</p>` : ''
  }</details>`;

const faq = {
  path: '/faq/',
  render: (ctx) =>
    layout(ctx, {
      title: ctx.t('site-faq-page-title'),
      description: ctx.t('site-faq-desc'),
      body: `<h1>${ctx.t('site-faq-title')}</h1>
<section aria-labelledby="h-setup">
<h2 id="h-setup">${ctx.t('site-faq-setup')}</h2>
${faqItem(ctx, 'site-faq-android-q', 'site-faq-android', [['v2rayNG', STORES.v2rayng], ['Hiddify', STORES.hiddifyAndroid]])}
${faqItem(ctx, 'site-faq-ios-q', 'site-faq-ios', [['Streisand', STORES.streisand], ['Happ', STORES.happ]])}
${faqItem(ctx, 'site-faq-desktop-q', 'site-faq-desktop', [['Hiddify', STORES.hiddifyDesktop]])}
</section>
<section aria-labelledby="h-pay">
<h2 id="h-pay">${ctx.t('site-faq-billing')}</h2>
${faqItem(ctx, 'site-faq-pay-q', 'site-faq-pay')}
${faqItem(ctx, 'site-faq-trial-q', 'site-faq-trial')}
${faqItem(ctx, 'site-faq-refund-q', 'site-faq-refund')}
${faqItem(ctx, 'site-faq-devices-q', 'site-faq-devices')}
</section>
${ctas(ctx)}`,
    }),
};

const privacy = {
  path: '/privacy/',
  render: (ctx) =>
    layout(ctx, {
      title: ctx.t('site-privacy-title'),
      description: ctx.t('site-privacy-desc'),
      body: `<h1>${ctx.t('site-privacy-title')}</h1>
${sections(ctx, [
  ['site-privacy-data-title', 'site-privacy-data'],
  ['site-privacy-traffic-title', 'site-privacy-traffic'],
  ['site-privacy-pay-title', 'site-privacy-pay'],
  ['site-privacy-cookies-title', 'site-privacy-cookies'],
  ['site-privacy-rights-title', 'site-privacy-rights'],
])}`,
    }),
};

const terms = {
  path: '/terms/',
  render: (ctx) =>
    layout(ctx, {
      title: ctx.t('site-terms-title'),
      description: ctx.t('site-terms-desc'),
      body: `<h1>${ctx.t('site-terms-title')}</h1>
${sections(ctx, [
  ['site-terms-service-title', 'site-terms-service'],
  ['site-terms-pay-title', 'site-terms-pay'],
  ['site-terms-use-title', 'site-terms-use'],
  ['site-terms-refund-title', 'site-terms-refund'],
  ['site-terms-change-title', 'site-terms-change'],
])}`,
    }),
};

export const PAGES = [home, pricing, features, faq, privacy, terms, appPage, adminPage];
