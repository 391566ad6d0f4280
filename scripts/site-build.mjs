// The static site generator: static-site/src → static-site/dist.
//
//   node scripts/site-build.mjs            # what scripts/build runs
//   import { buildSite } from './site-build.mjs'; await buildSite({ outDir, localesDir })
//
// Every page exists in the four locales (en at `/`, ru at `/ru/`, hi at `/hi/`, id at `/id/`),
// rendered from the Fluent catalogs in shared/locales at build time: a page works (text,
// prices, links) before any script runs. The build is strict: a catalog that does not parse,
// a key missing in any locale, or any Fluent error while formatting throws, so a broken
// translation fails the build rather than reaching a customer. Prices come from the seed
// migration (the no-JavaScript fallback; assets/site.js swaps in the live ones from
// `GET /api/plans`) and are formatted exactly like the Rust `Money` Display.
//
// Output: the pages, `/assets/*` (esbuild-bundled, minified, content-hashed, so they can be
// cached for a year), `/favicon.svg`, `/locales/<code>.ftl` (the bot's messages only: the Worker
// reads its catalogs from there), and `_headers` with one explicit rule per page path
// (Cloudflare combines matching rules, so a catch-all `/*` would have to be undone for the
// cabinet, which Telegram's web clients frame; the operator console at `/admin/` is never framed).

import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FluentBundle, FluentResource } from '@fluent/bundle';
import { parse as parseFtl, serialize as serializeFtl } from '@fluent/syntax';
import * as esbuild from 'esbuild';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const LOCALES = ['en', 'ru', 'hi', 'id'];
export const DEFAULT_LOCALE = 'en';

const CSP_BASE =
  "default-src 'self'; script-src 'self' https://telegram.org; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; frame-src https://oauth.telegram.org; base-uri 'none'; form-action 'self'; object-src 'none'";
const FRAME_SITE = "frame-ancestors 'none'";
const FRAME_APP = "frame-ancestors 'self' https://web.telegram.org https://webk.telegram.org https://webz.telegram.org";

/**
 * Generate the whole site. Every option has the repository's default.
 *
 * @param {object} [opts]
 * @param {string} [opts.srcDir] templates and assets (static-site/src)
 * @param {string} [opts.outDir] wiped and recreated (static-site/dist)
 * @param {string} [opts.localesDir] the Fluent catalogs (shared/locales)
 * @param {string} [opts.seedSql] the plans seed (d1-migrations/0002_seed_plans.sql)
 * @param {string} [opts.origin] absolute origin for canonical/hreflang URLs ('' = root-relative)
 * @param {string} [opts.bot] the bot's username for no-JS links (site.js fills it in from /api/plans)
 * @returns {Promise<{pages: {locale: string, path: string, url: string, file: string, cabinet: boolean}[], assets: Record<string, string>}>}
 */
export async function buildSite({
  srcDir = path.join(REPO_ROOT, 'static-site', 'src'),
  outDir = path.join(REPO_ROOT, 'static-site', 'dist'),
  localesDir = path.join(REPO_ROOT, 'shared', 'locales'),
  seedSql = path.join(REPO_ROOT, 'd1-migrations', '0002_seed_plans.sql'),
  origin = process.env.SITE_ORIGIN ?? '',
  bot = process.env.BOT_USERNAME ?? '',
} = {}) {
  origin = origin.replace(/\/+$/, ''); // PUBLIC_BASE_URL may end in a slash
  const catalogs = await loadCatalogs(localesDir);
  const plans = parseSeedPlans(await fs.readFile(seedSql, 'utf8'));

  await fs.rm(outDir, { recursive: true, force: true });
  await fs.mkdir(path.join(outDir, 'assets'), { recursive: true });
  const { assets, keysByEntry } = await buildAssets(srcDir, outDir, catalogs.get(DEFAULT_LOCALE));
  await fs.copyFile(path.join(srcDir, 'favicon.svg'), path.join(outDir, 'favicon.svg'));

  const { PAGES } = await import(pathToFileURL(path.join(srcDir, 'pages', 'index.mjs')).href);
  const pages = [];
  for (const page of PAGES) {
    for (const locale of LOCALES) {
      const ctx = pageContext({ page, locale, catalogs, plans, assets, keysByEntry, origin, bot });
      const html = page.render(ctx);
      const url = localeHref(locale, page.path);
      const file = path.join(outDir, ...url.split('/').filter(Boolean), 'index.html');
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, html);
      pages.push({ locale, path: page.path, url, file, cabinet: !!page.cabinet });
    }
  }

  await fs.mkdir(path.join(outDir, 'locales'), { recursive: true });
  for (const locale of LOCALES) {
    const source = await fs.readFile(path.join(localesDir, `${locale}.ftl`), 'utf8');
    await fs.writeFile(path.join(outDir, 'locales', `${locale}.ftl`), workerCatalog(source));
  }
  await fs.writeFile(path.join(outDir, '_headers'), headersFile(pages));
  return { pages, assets };
}

// ------------------------------------------------------------------ catalogs

/**
 * The catalog as the Worker reads it: the bot's messages and the terms only. The pages' own
 * strings (`site-`, `app-`, `adm-`: three quarters of the file) are rendered into the pages at
 * build time, and each isolate of the Worker parses its catalog once, so they would only cost
 * it CPU. Comments go too.
 */
export function workerCatalog(source) {
  const resource = parseFtl(source, { withSpans: false });
  resource.body = resource.body.filter((entry) =>
    entry.type === 'Term' || (entry.type === 'Message' && !WEB_ONLY.test(entry.id.name)));
  for (const entry of resource.body) entry.comment = null;
  return serializeFtl(resource);
}

const WEB_ONLY = /^(site|app|adm)-/;

/** Parse every catalog strictly: syntax errors (Junk) and duplicate keys throw. */
export async function loadCatalogs(localesDir) {
  const catalogs = new Map();
  for (const locale of LOCALES) {
    const file = path.join(localesDir, `${locale}.ftl`);
    const text = await fs.readFile(file, 'utf8');
    const ast = parseFtl(text, { withSpans: true });
    const junk = ast.body.filter((e) => e.type === 'Junk');
    if (junk.length) {
      const why = junk.map((j) => `${j.annotations.map((a) => a.message).join(', ')} near: ${j.content.slice(0, 60).trim()}`);
      throw new Error(`${file}: Fluent syntax error(s):\n  ${why.join('\n  ')}`);
    }
    const bundle = new FluentBundle(locale, { useIsolating: false });
    const errors = bundle.addResource(new FluentResource(text));
    if (errors.length) throw new Error(`${file}: ${errors.map(String).join('; ')}`);
    const messages = new Map(ast.body.filter((e) => e.type === 'Message').map((m) => [m.id.name, m]));
    catalogs.set(locale, { locale, bundle, messages, file });
  }
  return catalogs;
}

/** Format one message; a missing key, a missing variable or any Fluent error throws. */
export function format(catalog, key, args) {
  const msg = catalog.bundle.getMessage(key);
  if (!msg?.value) throw new Error(`${catalog.file}: no message "${key}"`);
  const errors = [];
  const out = catalog.bundle.formatPattern(msg.value, args, errors);
  if (errors.length) throw new Error(`${catalog.file}: "${key}": ${errors.map(String).join('; ')}`);
  return out;
}

/**
 * A message for the browser (see static-site/src/assets/lib/i18n.js). Variables stay as
 * `{$name}` markers for the page's tiny replacer. A message that selects on a number (plurals)
 * becomes `{"$": "<variable>", "<category>": "<text>", …}`: one text per CLDR plural category
 * of the locale, made by formatting with a sample integer of that category and turning the
 * number back into the marker; the browser picks with Intl.PluralRules. Exact-number variants
 * (`[0]`) are not kept, so client messages use categories only.
 */
export function clientMessage(catalog, key) {
  const msg = catalog.messages.get(key);
  if (!msg?.value) throw new Error(`${catalog.file}: no message "${key}"`);
  const { vars, selectors } = variablesOf(msg.value);
  const markers = Object.fromEntries([...vars].map((v) => [v, `{$${v}}`]));
  if (selectors.size === 0) return format(catalog, key, markers);
  if (selectors.size > 1) throw new Error(`${catalog.file}: "${key}": a client message may select on one variable`);
  const [sel] = selectors;
  const rules = new Intl.PluralRules(catalog.locale);
  const numbers = new Intl.NumberFormat(catalog.locale);
  const out = { $: sel };
  for (const category of rules.resolvedOptions().pluralCategories) {
    let n = 1;
    while (n < 1000 && rules.select(n) !== category) n++;
    if (n === 1000) continue; // a category integers never take (e.g. ru "other" is for fractions)
    const text = format(catalog, key, { ...markers, [sel]: n });
    const shown = numbers.format(n);
    if (text.split(shown).length > 2) throw new Error(`${catalog.file}: "${key}": sample ${n} is ambiguous in "${text}"`);
    out[category] = text.replace(shown, `{$${sel}}`);
  }
  return out;
}

function variablesOf(node, found = { vars: new Set(), selectors: new Set() }) {
  if (!node || typeof node !== 'object') return found;
  if (Array.isArray(node)) {
    for (const n of node) variablesOf(n, found);
    return found;
  }
  if (node.type === 'VariableReference') found.vars.add(node.id.name);
  if (node.type === 'SelectExpression' && node.selector.type === 'VariableReference') found.selectors.add(node.selector.id.name);
  for (const [k, v] of Object.entries(node)) if (k !== 'span') variablesOf(v, found);
  return found;
}

// ------------------------------------------------------------------ plans and money

/**
 * The seeded plans and prices from the migration's INSERTs, in sort order, prices in the order
 * the bot lists currencies (Stars, dollars, rupees, rupiah).
 */
export function parseSeedPlans(sql) {
  const rows = (table) => {
    const m = new RegExp(`INSERT INTO ${table}\\s*\\(([^)]*)\\)\\s*VALUES([\\s\\S]*?);`, 'i').exec(sql);
    if (!m) throw new Error(`seed: no INSERT INTO ${table}`);
    const cols = m[1].split(',').map((c) => c.trim());
    const tuples = [...m[2].matchAll(/\(((?:[^()']|'[^']*'|\([^()]*\))*)\)/g)].map((t) => splitValues(t[1]));
    return tuples.map((vals) => Object.fromEntries(cols.map((c, i) => [c, vals[i]])));
  };
  const order = ['XTR', 'USD', 'INR', 'IDR'];
  const prices = rows('plan_prices');
  return rows('plans')
    .sort((a, b) => Number(a.sort_order) - Number(b.sort_order))
    .map((p) => ({
      slug: p.slug,
      name: p.name,
      days: Number(p.days),
      trafficBytes: Number(p.traffic_limit_bytes),
      devices: Number(p.device_limit),
      prices: prices
        .filter((r) => r.plan_id === p.id)
        .sort((a, b) => order.indexOf(a.currency) - order.indexOf(b.currency))
        .map((r) => ({ currency: r.currency, amount: Number(r.amount_minor), display: formatMoney(Number(r.amount_minor), r.currency) })),
    }));
}

function splitValues(text) {
  const out = [];
  let cur = '';
  let depth = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    if (ch === ',' && !quoted && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out.map((v) => (/^'.*'$/.test(v) ? v.slice(1, -1).replaceAll("''", "'") : v));
}

/** The Rust `Money` Display (shared/src/money.rs): `⭐100`, `$2.00`, `₹169`, `₹169.50`, `Rp 32,000`. */
export function formatMoney(minor, currency) {
  const exponent = currency === 'USD' || currency === 'INR' ? 2 : 0;
  const scale = 10 ** exponent;
  const whole = Math.trunc(minor / scale);
  const cents = String(Math.abs(minor % scale)).padStart(2, '0');
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  switch (currency) {
    case 'XTR': return `⭐${grouped}`;
    case 'USD': return `$${grouped}.${cents}`;
    case 'INR': return minor % scale === 0 ? `₹${grouped}` : `₹${grouped}.${cents}`;
    case 'IDR': return `Rp ${grouped}`;
    default: throw new Error(`unknown currency ${currency}`);
  }
}

// ------------------------------------------------------------------ assets

/**
 * Bundle the entry points with esbuild (minified, content-hashed names) and find the catalog
 * keys each script uses: every string literal in its sources that is an English message or
 * starts with `app-`/`site-`/`adm-` is baked into the page's strings block (a missing one throws
 * when the page is rendered in any locale). The console's entries (admin.js, admin.css) carry
 * uPlot and its stylesheet from node_modules; no other page loads them.
 */
async function buildAssets(srcDir, outDir, enCatalog) {
  const entries = ['site.js', 'app.js', 'admin.js', 'site.css', 'admin.css'].map((f) => path.join(srcDir, 'assets', f));
  const result = await esbuild.build({
    entryPoints: entries,
    outdir: path.join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2021'],
    charset: 'utf8',
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: srcDir,
  });
  const assets = {};
  const keysByEntry = {};
  for (const [out, meta] of Object.entries(result.metafile.outputs)) {
    if (!meta.entryPoint) continue;
    const name = path.basename(meta.entryPoint);
    assets[name] = '/assets/' + path.basename(out);
    const keys = new Set();
    for (const input of Object.keys(meta.inputs)) {
      if (input.includes('node_modules/')) continue; // libraries name no catalog keys
      const source = await fs.readFile(path.resolve(srcDir, input), 'utf8');
      for (const [, key] of source.matchAll(/['"`]([a-z]+(?:-[a-z0-9]+)+)['"`]/g)) {
        if (/^(app|site|adm)-/.test(key) || enCatalog.bundle.hasMessage(key)) keys.add(key);
      }
    }
    keysByEntry[name] = keys;
  }
  return { assets, keysByEntry };
}

// ------------------------------------------------------------------ pages

export function localeHref(locale, pagePath) {
  return (locale === DEFAULT_LOCALE ? '' : `/${locale}`) + pagePath;
}

const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function pageContext({ page, locale, catalogs, plans, assets, keysByEntry, origin, bot }) {
  const catalog = catalogs.get(locale);
  const ctx = {
    locale,
    locales: LOCALES,
    page,
    plans,
    assets,
    origin,
    bot,
    esc,
    /** Text of a message, HTML-escaped. */
    t: (key, args) => esc(format(catalog, key, args)),
    /** Raw text of a message (for attributes use t; this is for JSON and tests). */
    text: (key, args) => format(catalog, key, args),
    /** This locale's URL of a page path ('/pricing/'). */
    href: (pagePath, loc = locale) => localeHref(loc, pagePath),
    abs: (pagePath, loc = locale) => origin + localeHref(loc, pagePath),
    /** The bot link: t.me/<bot> when the build knows it, else the cabinet (site.js fixes it up). */
    botHref: bot ? `https://t.me/${encodeURIComponent(bot)}` : localeHref(locale, '/app/'),
    /**
     * The `<script type="application/json" id="strings">` block for a script entry: the keys
     * its sources use plus `extra`. JSON data blocks are not executed, so the CSP allows them;
     * `<` is escaped so no text can close the element.
     */
    strings: (entry, extra = []) => {
      const keys = [...new Set([...(keysByEntry[entry] ?? []), ...extra])].sort();
      const data = Object.fromEntries(keys.map((k) => [k, clientMessage(catalog, k)]));
      const json = JSON.stringify(data).replace(/</g, '\\u003c');
      return `<script type="application/json" id="strings">${json}</script>`;
    },
  };
  return ctx;
}

// ------------------------------------------------------------------ headers

/** Cloudflare `_headers`: one explicit rule per page, then assets and catalogs. */
export function headersFile(pages) {
  const lines = ['# Generated by scripts/site-build.mjs; do not edit.'];
  for (const { url, cabinet } of pages) {
    lines.push(url);
    lines.push('  X-Content-Type-Options: nosniff');
    lines.push('  Strict-Transport-Security: max-age=31536000');
    lines.push('  Referrer-Policy: strict-origin-when-cross-origin');
    lines.push(`  Content-Security-Policy: ${CSP_BASE}; ${cabinet ? FRAME_APP : FRAME_SITE}`);
    if (!cabinet) lines.push('  X-Frame-Options: DENY');
  }
  lines.push('/assets/*', '  X-Content-Type-Options: nosniff', '  Cache-Control: public, max-age=31536000, immutable');
  lines.push('/locales/*', '  X-Content-Type-Options: nosniff', '  Cache-Control: public, max-age=300');
  lines.push('/favicon.svg', '  X-Content-Type-Options: nosniff', '  Cache-Control: public, max-age=86400');
  return lines.join('\n') + '\n';
}

// ------------------------------------------------------------------ main

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const started = Date.now();
  buildSite().then(
    ({ pages }) => console.log(`site: ${pages.length} pages in ${path.relative(process.cwd(), path.join(REPO_ROOT, 'static-site', 'dist')) || '.'} (${Date.now() - started} ms)`),
    (err) => {
      console.error(`site build failed: ${err.message}`);
      process.exit(1);
    },
  );
}
