// The generated site served by the real Worker (wrangler dev, static assets from
// static-site/dist), in headless Chromium: each locale renders in its own language, `?lang=`
// redirects, prices are live from GET /api/plans, axe finds no serious or critical problems,
// and screenshots land in test-artifacts/screenshots/ (desktop and a 390×844 phone).
// Any console error fails a test (strictPage); Telegram's scripts are stubbed so the cabinet's
// SDK and login widget need no network.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawnApp, REPO_ROOT } from './helpers/app.mjs';
import { launchBrowser, strictPage } from './helpers/browser.mjs';
import { buildSite, loadCatalogs, format, LOCALES } from '../scripts/site-build.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const SHOTS = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');
const PHONE = { width: 390, height: 844 };
const prefix = (l) => (l === 'en' ? '' : `/${l}`);

let app;
let browser;
let catalogs;

before(async () => {
  // The Worker serves static-site/dist (wrangler.toml [assets]): generate it first.
  await buildSite();
  catalogs = await loadCatalogs(path.join(REPO_ROOT, 'shared', 'locales'));
  await fs.mkdir(SHOTS, { recursive: true });
  app = await spawnApp();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await app?.stop();
});

/** A strict page in its own context (no shared HTTP cache), Telegram's scripts stubbed. */
async function open(urlPath, { viewport, bypassCSP = false } = {}) {
  const context = await browser.newContext({ ...(viewport ? { viewport } : {}), bypassCSP });
  const page = await strictPage(context, viewport ? { viewport } : {});
  await page.route('https://telegram.org/**', (route) =>
    route.fulfill({ status: 200, contentType: 'application/javascript', body: '' }),
  );
  await page.goto(new URL(urlPath, app.url).href);
  page.closeAll = () => context.close();
  return page;
}

function assertClean(page, what) {
  assert.deepEqual(page.problems, [], `${what}: console errors`);
}

test('the landing renders in each locale with its own language and lang attribute', async () => {
  for (const locale of LOCALES) {
    const page = await open(`${prefix(locale)}/`);
    try {
      assert.equal(await page.getAttribute('html', 'lang'), locale);
      const h1 = await page.textContent('h1');
      assert.equal(h1.trim(), format(catalogs.get(locale), 'site-hero-title'), locale);
      const current = await page.getAttribute('[data-testid="lang-switch"] [aria-current="true"]', 'hreflang');
      assert.equal(current, locale);
      await page.waitForSelector('[data-plans][data-live="true"]', { timeout: 10_000 }).catch((err) => {
        throw new Error(`${locale}: live prices never arrived (${page.problems.join('; ')}): ${err.message}`);
      });
      await page.screenshot({ path: path.join(SHOTS, `landing-${locale}.png`), fullPage: true });
      assertClean(page, locale);
    } finally {
      await page.closeAll();
    }
  }
});

test('?lang=ru on the landing ends on /ru/', async () => {
  const page = await open('/?lang=ru');
  try {
    await page.waitForURL((u) => u.pathname === '/ru/' && !u.search);
    assert.equal(await page.getAttribute('html', 'lang'), 'ru');
    assertClean(page, '?lang=ru');
  } finally {
    await page.closeAll();
  }
});

test('pricing shows the live prices from GET /api/plans', async () => {
  const res = await app.fetch('/api/plans');
  assert.equal(res.status, 200);
  const { plans } = await res.json();
  const monthlyUsd = plans.find((p) => p.slug === 'monthly').prices.find((p) => p.currency === 'USD');

  const price = (page) => page.textContent('[data-plans][data-live="true"] [data-plan="monthly"][data-currency="USD"]');
  let page = await open('/pricing/');
  try {
    await page.waitForSelector('[data-plans][data-live="true"]');
    assert.equal(await price(page), monthlyUsd.display);
    assertClean(page, 'pricing');
  } finally {
    await page.closeAll();
  }

  // The admin changes the price: the page follows the API, not the seed baked into the HTML.
  app.db(
    "UPDATE plan_prices SET amount_minor = 250 WHERE currency = 'USD' AND plan_id = (SELECT id FROM plans WHERE slug = 'monthly')",
  );
  const deadline = Date.now() + 75_000; // /api/plans may be cached up to 60 s
  let shown;
  for (;;) {
    page = await open('/pricing/');
    try {
      await page.waitForSelector('[data-plans][data-live="true"]');
      shown = await price(page);
      assertClean(page, 'pricing after the change');
      if (shown === '$2.50') {
        const fallback = await (await app.fetch('/pricing/')).text();
        assert.ok(fallback.includes('>$2.00</span>'), 'the HTML still carries the seeded fallback');
        await page.screenshot({ path: path.join(SHOTS, 'pricing-en.png'), fullPage: true });
        break;
      }
    } finally {
      await page.closeAll();
    }
    assert.ok(Date.now() < deadline, `the live price never showed: still ${shown}`);
    await new Promise((r) => setTimeout(r, 3000));
  }
});

test('axe finds no serious or critical violations on any page', async () => {
  const paths = [
    ...['/', '/pricing/', '/features/', '/faq/', '/privacy/', '/terms/', '/app/'],
    ...['ru', 'hi', 'id'].flatMap((l) => [`/${l}/`, `/${l}/app/`]),
  ];
  const failures = [];
  for (const p of paths) {
    // Playwright injects axe as an inline script: only the test's own page may bypass the CSP.
    const page = await open(p, { bypassCSP: true });
    try {
      await page.waitForLoadState('networkidle');
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
      });
      for (const v of violations) if (v.impact === 'serious' || v.impact === 'critical') failures.push({ page: p, ...v });
      assertClean(page, p);
    } finally {
      await page.closeAll();
    }
  }
  assert.deepEqual(failures, []);
});

test('screenshots on a phone: landing, pricing, FAQ and the cabinet sign-in', async () => {
  for (const [name, p] of [['landing', '/'], ['pricing', '/pricing/'], ['faq', '/faq/'], ['app-signin', '/app/'], ['landing-hi', '/hi/']]) {
    const page = await open(p, { viewport: PHONE });
    try {
      await page.waitForLoadState('networkidle');
      if (p.endsWith('/app/')) await page.waitForSelector('[data-testid="signin"]:not([hidden])');
      // Nothing wider than the phone: no sideways scrolling.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${p}: ${overflow}px wider than the screen`);
      await page.screenshot({ path: path.join(SHOTS, `${name}-mobile.png`), fullPage: true });
      assertClean(page, p);
    } finally {
      await page.closeAll();
    }
  }
});
