// Lighthouse (mobile, simulated throttling) and axe-core on the site's pages, served by the real
// Worker under wrangler dev, plus each page's weight (HTML + CSS + JS it loads, gzipped).
// Lighthouse is a measuring tool, not a test dependency: it is fetched from npm on first use
// into .tools/lighthouse (no browser download: it drives Debian's Chromium).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { spawnApp, REPO_ROOT } from '../helpers/app.mjs';
import { launchBrowser, CHROMIUM } from '../helpers/browser.mjs';
import { buildSite } from '../../scripts/site-build.mjs';
import { startUser } from '../helpers/shop.mjs';
import { Session } from '../helpers/web.mjs';

const LH_VERSION = '13.5.0';
const toolDir = path.join(REPO_ROOT, '.tools', 'lighthouse');
const lhBin = path.join(toolDir, 'node_modules', '.bin', 'lighthouse');
if (!existsSync(lhBin)) {
  mkdirSync(toolDir, { recursive: true });
  console.error(`installing lighthouse@${LH_VERSION} into .tools/lighthouse (once)`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', toolDir, `lighthouse@${LH_VERSION}`], { stdio: 'inherit' });
}
const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

const PAGES = ['/', '/pricing/', '/features/', '/faq/', '/ru/', '/hi/', '/id/', '/privacy/', '/app/'];

// Built for the origin it is served from, as scripts/deploy builds it for PUBLIC_BASE_URL:
// canonical and hreflang links are absolute then (search engines want them so).
const port = 18_000 + Math.floor(Math.random() * 1000);
await buildSite({ origin: `http://127.0.0.1:${port}`, bot: 'WavegateTestBot' });
const app = await spawnApp({ providers: true, port });
try {
  const browser = await launchBrowser();
  const rows = [];
  for (const page of PAGES) {
    const url = new URL(page, app.url).href;
    // Weight: the document and every same-origin script and stylesheet it loads.
    const ctx = await browser.newContext();
    const tab = await ctx.newPage();
    await tab.route('https://telegram.org/**', (r) => r.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
    const bodies = [];
    tab.on('response', async (res) => {
      const type = res.request().resourceType();
      if (res.url().startsWith(app.url) && ['document', 'script', 'stylesheet'].includes(type)) {
        bodies.push(res.body().then((b) => gzipSync(b, { level: 9 }).length).catch(() => 0));
      }
    });
    await tab.goto(url, { waitUntil: 'networkidle' });
    const weight = (await Promise.all(bodies)).reduce((a, b) => a + b, 0);
    // axe-core in the page (this context bypasses the CSP only to inject axe).
    const axeCtx = await browser.newContext({ bypassCSP: true });
    const axeTab = await axeCtx.newPage();
    await axeTab.route('https://telegram.org/**', (r) => r.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
    await axeTab.goto(url, { waitUntil: 'networkidle' });
    await axeTab.addScriptTag({ content: readFileSync(axePath, 'utf8') });
    const axe = await axeTab.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => v.impact);
    });
    await ctx.close();
    await axeCtx.close();
    // Lighthouse, mobile.
    const out = execFileSync(lhBin, [url, '--quiet', '--output=json', '--only-categories=performance,accessibility,best-practices,seo',
      `--chrome-path=${CHROMIUM}`, '--chrome-flags=--headless=new --no-sandbox --disable-gpu'], { maxBuffer: 64 << 20, env: { ...process.env, CHROME_PATH: CHROMIUM } });
    const report = JSON.parse(out);
    const score = (c) => Math.round((report.categories[c]?.score ?? 0) * 100);
    rows.push({
      page,
      performance: score('performance'), accessibility: score('accessibility'),
      'best-practices': score('best-practices'), seo: score('seo'),
      LCP: `${Math.round(report.audits['largest-contentful-paint'].numericValue)} ms`,
      'axe serious+critical': axe.filter((i) => i === 'serious' || i === 'critical').length,
      'axe all': axe.length,
      'weight (gz)': `${(weight / 1024).toFixed(1)} KiB`,
    });
    console.error(`measured ${page}`);
  }
  await browser.close();
  console.table(rows);
} finally {
  await app.stop();
}
