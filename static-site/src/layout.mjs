// The page shell every page shares: head (title, description, canonical, hreflang alternates,
// stylesheet, scripts), header with the main nav and the language switch, footer.
// Templates are plain functions of the page context that scripts/site-build.mjs passes in
// (`t` formats and HTML-escapes a catalog message; a missing key fails the build).

/** Language names as each language writes itself (the same in every locale). */
export const LANGUAGE_NAMES = { en: 'English', ru: 'Русский', hi: 'हिन्दी', id: 'Bahasa Indonesia' };

const NAV = [
  ['/features/', 'site-nav-features'],
  ['/pricing/', 'site-nav-pricing'],
  ['/faq/', 'site-nav-faq'],
  ['/app/', 'site-nav-app'],
];

/**
 * @param {object} ctx the page context
 * @param {object} o
 * @param {string} o.title the <title>
 * @param {string} o.description the meta description
 * @param {string} o.body the <main> content (HTML)
 * @param {string} [o.head] extra head HTML (scripts)
 * @param {string} [o.script] the page's module entry ('site.js' or 'app.js')
 * @param {string} [o.mainClass]
 */
export function layout(ctx, { title, description, body, head = '', script = 'site.js', mainClass = '' }) {
  const { locale, locales, page, esc, t } = ctx;
  const alternates = locales
    .map((l) => `<link rel="alternate" hreflang="${l}" href="${esc(ctx.abs(page.path, l))}">`)
    .join('\n');
  const nav = NAV.map(
    ([p, key]) => `<li><a href="${ctx.href(p)}"${p === page.path ? ' aria-current="page"' : ''}>${t(key)}</a></li>`,
  ).join('');
  const langs = locales
    .map((l) =>
      l === locale
        ? `<li><a href="${ctx.href(page.path, l)}" hreflang="${l}" lang="${l}" aria-current="true" data-lang-link="${l}">${LANGUAGE_NAMES[l]}</a></li>`
        : `<li><a href="${ctx.href(page.path, l)}" hreflang="${l}" lang="${l}" data-lang-link="${l}">${LANGUAGE_NAMES[l]}</a></li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${locale}" data-page="${esc(page.path)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="description" content="${description}">
<link rel="canonical" href="${esc(ctx.abs(page.path))}">
${alternates}
<link rel="alternate" hreflang="x-default" href="${esc(ctx.abs(page.path, 'en'))}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<meta name="color-scheme" content="light dark">
<link rel="stylesheet" href="${ctx.assets['site.css']}">
${head}<script type="module" src="${ctx.assets[script]}"></script>
</head>
<body>
<a class="skip" href="#main">${t('site-skip')}</a>
<header class="top">
<div class="wrap top-row">
<a class="brand" href="${ctx.href('/')}"${page.path === '/' ? ' aria-current="page"' : ''}>Wavegate</a>
<nav aria-label="${t('site-nav-label')}"><ul class="nav">${nav}</ul></nav>
</div>
<nav class="wrap langs" aria-label="${t('site-lang-label')}" data-testid="lang-switch"><ul>${langs}</ul></nav>
</header>
<main id="main" class="wrap ${mainClass}">
${body}
</main>
<footer class="foot">
<div class="wrap">
<ul class="foot-links">
<li><a href="${ctx.href('/privacy/')}">${t('site-nav-privacy')}</a></li>
<li><a href="${ctx.href('/terms/')}">${t('site-nav-terms')}</a></li>
<li><a href="${ctx.botHref}" data-bot-link>${t('site-footer-bot')}</a></li>
</ul>
<p>© Wavegate</p>
</div>
</footer>
</body>
</html>
`;
}

const CURRENCY_KEYS = { XTR: 'site-cur-xtr', USD: 'site-cur-usd', INR: 'site-cur-inr', IDR: 'site-cur-idr' };

/** The traffic allowance of a plan: `100 GB` or `unlimited traffic` (the bot's own keys). */
/** The "are you sure?" dialog the cabinet and the console share (their scripts open it). */
export function confirmDialog(ctx) {
  const t = ctx.t;
  return `<dialog id="confirm" aria-labelledby="confirm-text">
<form method="dialog">
<p id="confirm-text"></p>
<div class="row"><button class="btn btn-alt" value="cancel" data-testid="confirm-cancel">${t('app-cancel')}</button><button class="btn" value="ok" data-testid="confirm-ok">${t('app-confirm')}</button></div>
</form>
</dialog>`;
}

export function trafficText(ctx, bytes) {
  return bytes === 0 ? ctx.t('traffic-unlimited') : ctx.t('traffic-gb', { gb: Math.round(bytes / 1024 ** 3) });
}

/**
 * The plan cards with the seeded prices: the no-JavaScript fallback. assets/site.js re-renders
 * the same markup (keep the two in step) from `GET /api/plans`.
 */
export function planCards(ctx, heading = 'h3') {
  const { t, esc } = ctx;
  const cards = ctx.plans
    .map((p) => {
      const prices = p.prices
        .map(
          (pr) =>
            `<div><dt>${t(CURRENCY_KEYS[pr.currency])}</dt><dd><span class="price" data-plan="${esc(p.slug)}" data-currency="${pr.currency}" data-amount="${pr.amount}">${esc(pr.display)}</span></dd></div>`,
        )
        .join('');
      return `<li class="plan" data-plan-card="${esc(p.slug)}">
<${heading} class="plan-name">${t(`plan-${p.slug}`)}</${heading}>
<ul class="plan-meta"><li>${t('site-plan-days', { days: p.days })}</li><li>${trafficText(ctx, p.trafficBytes)}</li><li>${t('site-plan-devices', { devices: p.devices })}</li></ul>
<dl class="prices">${prices}</dl>
</li>`;
    })
    .join('\n');
  return `<ul class="plans" data-plans data-heading="${heading}">\n${cards}\n</ul>`;
}

/** Keys site.js needs to re-render plan cards (beyond those its sources name). */
export function planStringKeys(ctx) {
  return ctx.plans.map((p) => `plan-${p.slug}`);
}

/** The two calls to action: the bot and the cabinet. */
export function ctas(ctx) {
  return `<p class="ctas"><a class="btn" href="${ctx.botHref}" data-bot-link>${ctx.t('site-cta-bot')}</a>
<a class="btn btn-alt" href="${ctx.href('/app/')}">${ctx.t('site-cta-app')}</a></p>`;
}

/** A text page from numbered keys: `<prefix>-h1`, `<prefix>-N-title`, `<prefix>-N` … */
export function sections(ctx, list) {
  return list.map(([h, p]) => `<section><h2>${ctx.t(h)}</h2><p>${ctx.t(p)}</p></section>`).join('\n');
}
