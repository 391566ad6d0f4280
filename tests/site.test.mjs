// The static site generator (scripts/site-build.mjs) and what it writes: every page in every
// locale, strict about the catalogs, CSP-clean markup, and the seeded prices as the no-JS
// fallback. No Worker needed: these read the generated files.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse as parseFtl, FluentSerializer } from '@fluent/syntax';
import { buildSite, formatMoney, parseSeedPlans, LOCALES, REPO_ROOT } from '../scripts/site-build.mjs';

const PAGE_PATHS = ['/', '/pricing/', '/features/', '/faq/', '/privacy/', '/terms/', '/app/', '/admin/'];
let tmp;
let site;

before(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'wavegate-site-'));
  site = await buildSite({ outDir: path.join(tmp, 'dist') });
});
after(() => fs.rm(tmp, { recursive: true, force: true }));

const read = (file) => fs.readFile(file, 'utf8');
const prefix = (l) => (l === 'en' ? '' : `/${l}`);

/** A copy of the catalogs with `edit(locale, text)` applied, in a temp dir. */
async function brokenCatalogs(edit) {
  const dir = await fs.mkdtemp(path.join(tmp, 'locales-'));
  for (const l of LOCALES) {
    const text = await read(path.join(REPO_ROOT, 'shared', 'locales', `${l}.ftl`));
    await fs.writeFile(path.join(dir, `${l}.ftl`), edit(l, text));
  }
  return dir;
}

test('the generator writes every page in all four locales', () => {
  const urls = site.pages.map((p) => p.url).sort();
  const want = LOCALES.flatMap((l) => PAGE_PATHS.map((p) => prefix(l) + p)).sort();
  assert.deepEqual(urls, want);
});

test('a key missing in any one locale fails the build', async () => {
  const localesDir = await brokenCatalogs((l, text) => (l === 'hi' ? text.replace(/^site-faq-trial-q = .*$/m, '') : text));
  await assert.rejects(buildSite({ localesDir, outDir: path.join(tmp, 'broken-1') }), /hi\.ftl: no message "site-faq-trial-q"/);
});

test('a key the cabinet script needs at run time, missing in one locale, fails the build', async () => {
  const localesDir = await brokenCatalogs((l, text) => (l === 'id' ? text.replace(/^app-promo-held = .*$/m, '') : text));
  await assert.rejects(buildSite({ localesDir, outDir: path.join(tmp, 'broken-2') }), /id\.ftl: no message "app-promo-held"/);
});

test('a catalog syntax error or a missing variable fails the build', async () => {
  const syntax = await brokenCatalogs((l, text) => (l === 'ru' ? `${text}\nsite-oops = { $unclosed\n` : text));
  await assert.rejects(buildSite({ localesDir: syntax, outDir: path.join(tmp, 'broken-3') }), /ru\.ftl: Fluent syntax error/);
  const variable = await brokenCatalogs((l, text) => (l === 'en' ? text.replace(/^site-hero-title = .*$/m, 'site-hero-title = Hi { $who }') : text));
  await assert.rejects(buildSite({ localesDir: variable, outDir: path.join(tmp, 'broken-4') }), /en\.ftl: "site-hero-title": .*Unknown variable/);
});

test("the catalogs are published for the Worker with every bot message, word for word, and none of the pages' own", async () => {
  const serializer = new FluentSerializer();
  const messages = (text) => new Map(parseFtl(text, { withSpans: false }).body
    .filter((e) => e.type === 'Message' || e.type === 'Term')
    .map((e) => {
      e.comment = null;
      return [e.id.name, serializer.serializeEntry(e)];
    }));
  for (const l of LOCALES) {
    const src = messages(await fs.readFile(path.join(REPO_ROOT, 'shared', 'locales', `${l}.ftl`), 'utf8'));
    const out = messages(await fs.readFile(path.join(tmp, 'dist', 'locales', `${l}.ftl`), 'utf8'));
    const bot = [...src.keys()].filter((k) => !/^(site|app|adm)-/.test(k));
    assert.ok(bot.length > 100, `${l}: the bot's messages`);
    assert.deepEqual([...out.keys()].sort(), bot.sort(), `${l}: exactly the bot's messages and terms`);
    for (const k of bot) assert.equal(out.get(k), src.get(k), `${l}: ${k} unchanged`);
  }
});

test('prices are formatted like the bot (Rust Money Display)', () => {
  const cases = [
    [100, 'XTR', '⭐100'], [200, 'USD', '$2.00'], [16900, 'INR', '₹169'], [16950, 'INR', '₹169.50'],
    [32000, 'IDR', 'Rp 32,000'], [133900, 'INR', '₹1,339'], [160000, 'USD', '$1,600.00'], [1234567, 'XTR', '⭐1,234,567'],
  ];
  for (const [minor, cur, want] of cases) assert.equal(formatMoney(minor, cur), want, `${minor} ${cur}`);
});

test('every page has its lang, hreflang alternates, canonical, language switch and nav', async () => {
  for (const page of site.pages) {
    const html = await read(page.file);
    const where = page.url;
    assert.match(html, new RegExp(`<html lang="${page.locale}"`), where);
    for (const l of LOCALES) {
      assert.ok(html.includes(`<link rel="alternate" hreflang="${l}" href="${prefix(l)}${page.path}">`), `${where}: hreflang ${l}`);
      assert.ok(html.includes(`href="${prefix(l)}${page.path}" hreflang="${l}" lang="${l}"`), `${where}: switch to ${l}`);
    }
    assert.ok(html.includes(`<link rel="alternate" hreflang="x-default" href="${page.path}">`), `${where}: x-default`);
    assert.ok(html.includes(`<link rel="canonical" href="${page.url}">`), `${where}: canonical`);
    assert.match(html, /<meta name="description" content="[^"]{20,}">/, where);
    assert.match(html, /<nav aria-label="[^"]+"><ul class="nav">/, where);
    assert.match(html, /<main id="main"/, where);
  }
});

test('no page has inline script or inline style (the CSP forbids both)', async () => {
  for (const page of site.pages) {
    const html = await read(page.file);
    for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      const external = /\bsrc="(\/assets\/[^"]+|https:\/\/telegram\.org\/[^"]+)"/.test(attrs) && body.trim() === '';
      const data = /type="application\/json"/.test(attrs);
      assert.ok(external || data, `${page.url}: inline script ${attrs}`);
    }
    assert.doesNotMatch(html, /\sstyle=/i, `${page.url}: style attribute`);
    assert.doesNotMatch(html, /<style/i, `${page.url}: <style>`);
    assert.doesNotMatch(html, /\son[a-z]+=/i, `${page.url}: inline event handler`);
  }
});

test('the landing and pricing pages carry the seeded prices without JavaScript', async () => {
  const seed = parseSeedPlans(await read(path.join(REPO_ROOT, 'd1-migrations', '0002_seed_plans.sql')));
  assert.deepEqual(seed.map((p) => p.slug), ['monthly', 'quarterly', 'yearly']);
  for (const page of site.pages.filter((p) => p.path === '/' || p.path === '/pricing/')) {
    const html = await read(page.file);
    for (const plan of seed) {
      for (const price of plan.prices) {
        const tag = `data-plan="${plan.slug}" data-currency="${price.currency}" data-amount="${price.amount}">${price.display}</span>`;
        assert.ok(html.includes(tag), `${page.url}: ${plan.slug} ${price.currency}`);
      }
    }
  }
  const en = await read(path.join(tmp, 'dist', 'pricing', 'index.html'));
  for (const shown of ['⭐100', '$2.00', '₹169', 'Rp 32,000', '₹1,339', 'Rp 255,000']) assert.ok(en.includes(shown), shown);
});

test('plural forms come out right in Russian', async () => {
  const html = await read(path.join(tmp, 'dist', 'ru', 'pricing', 'index.html'));
  for (const text of ['30 дней', '365 дней', 'до 3 устройств', 'до 5 устройств']) assert.ok(html.includes(text), text);
});

test('the cabinet has its strings block and every test hook', async () => {
  for (const l of LOCALES) {
    const html = await read(path.join(tmp, 'dist', ...prefix(l).split('/').filter(Boolean), 'app', 'index.html'));
    const json = /<script type="application\/json" id="strings">(.*?)<\/script>/s.exec(html);
    assert.ok(json, `${l}: strings`);
    const strings = JSON.parse(json[1]);
    assert.equal(typeof strings['app-copied'], 'string');
    assert.equal(typeof strings['method-stars'], 'string');
    for (const id of ['signin', 'plan', 'status', 'expiry', 'traffic-bar', 'reset-all', 'link', 'copy', 'qr', 'revoke',
      'checkout-result', 'promo-input', 'promo-submit', 'referral-link', 'leaderboard', 'language', 'devices']) {
      assert.ok(html.includes(`data-testid="${id}"`), `${l}: ${id}`);
    }
    assert.ok(html.includes('<script src="https://telegram.org/js/telegram-web-app.js" defer></script>'), `${l}: Telegram SDK`);
  }
});

test('_headers: a strict CSP on every page; only the cabinet may be framed, by Telegram', async () => {
  const text = await read(path.join(tmp, 'dist', '_headers'));
  const rules = new Map();
  let current;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) rules.set((current = line.trim()), []);
    else rules.get(current).push(line.trim());
  }
  assert.ok(![...rules.keys()].some((k) => k === '/*'), 'no catch-all rule');
  for (const page of site.pages) {
    const headers = rules.get(page.url);
    assert.ok(headers, `${page.url}: has a rule`);
    const csp = headers.find((h) => h.startsWith('Content-Security-Policy:'));
    assert.ok(headers.includes('X-Content-Type-Options: nosniff'));
    assert.ok(headers.includes('Strict-Transport-Security: max-age=31536000'));
    assert.ok(headers.includes('Referrer-Policy: strict-origin-when-cross-origin'));
    assert.match(csp, /default-src 'self'; script-src 'self' https:\/\/telegram\.org; style-src 'self';/);
    assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
    if (page.cabinet) {
      assert.match(csp, /frame-ancestors 'self' https:\/\/web\.telegram\.org https:\/\/webk\.telegram\.org https:\/\/webz\.telegram\.org$/);
      assert.ok(!headers.some((h) => h.startsWith('X-Frame-Options')), `${page.url}: no X-Frame-Options`);
    } else {
      assert.match(csp, /frame-ancestors 'none'$/);
      assert.ok(headers.includes('X-Frame-Options: DENY'), page.url);
    }
  }
  assert.ok(rules.get('/assets/*').includes('X-Content-Type-Options: nosniff'));
  assert.ok(rules.get('/locales/*').some((h) => h.startsWith('Cache-Control:')));
});

test('each page weighs under 30 KB gzipped with its CSS and scripts (the console 48 KB, uPlot included)', async () => {
  const dist = path.join(tmp, 'dist');
  const gz = async (rel) => gzipSync(await fs.readFile(path.join(dist, rel)), { level: 9 }).length;
  for (const page of site.pages) {
    const html = await read(page.file);
    const assets = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    let total = gzipSync(html, { level: 9 }).length;
    for (const a of assets) total += await gz(a);
    // The operator console carries uPlot (about 22 KB gzipped); no other page loads its assets.
    const isConsole = page.path === '/admin/';
    assert.ok(total < (isConsole ? 48 : 30) * 1024, `${page.url}: ${total} bytes`);
    assert.equal(assets.some((a) => a.startsWith('/assets/admin-')), isConsole, `${page.url}: the console's assets`);
  }
});
