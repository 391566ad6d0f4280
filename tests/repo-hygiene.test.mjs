// Repository hygiene: the items of docs/SECURITY.md that no request can prove.
//
// - 9 and 10, "secrets only in Worker secrets, none in git history": every blob, commit and
//   tag reachable from any ref, and the files `git add -A` would commit, are searched for
//   secret-looking text (bot tokens, live payment keys, private keys, cloud tokens, Sentry
//   DSNs, long random values assigned to a secret's name); no commit may ever have tracked a
//   `.dev.vars` (or `.env`) file; `.dev.vars.example` holds only empty values or obvious
//   placeholders for secrets; the wrangler files set no secret as a plain var; and
//   `.gitignore` ignores `.dev.vars`.
// - 7 "parameterized SQL only": every `.rs` file of shared/src, bot-webhook/src and
//   functions/src is lexed (comments and string literals told apart from code) and every place
//   SQL reaches a database, or text holding SQL is built, is classified. SQL must be a
//   compile-time constant: a literal, `concat!`/`sql!` of literals, a `const`, or a name bound
//   to one of those. The type system backs this up (`Statement.sql` is `&'static str`, asserted
//   below), so the scan also forbids the one escape hatch, leaking a built `String`.
//
// Reads the repository only: no Worker, no network. Works in a fresh clone, which must have
// the full history (a shallow clone fails the history test, on purpose).
//
//   npm exec -- node --test tests/repo-hygiene.test.mjs

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function git(args, input) {
  return execFileSync('git', args, { cwd: ROOT, input, maxBuffer: 1 << 30 });
}

// ================================================================== secrets

/**
 * What secret-looking text is. Each pattern is written so that its own source text does not
 * match it (this file is scanned too). `keep(match)` can turn down a match that cannot be a
 * secret by construction.
 */
const SECRET_DETECTORS = [
  // @BotFather's format: the bot id, a colon, 35 characters.
  { name: 'telegram bot token', re: /(?<![0-9])[0-9]{8,10}:[A-Za-z0-9_-]{35}/g },
  // The Bot API's token shape (Telegram, Crypto Pay `<app id>:AA…`) at any id length and a
  // length near 35, so a token one character short is still caught.
  { name: 'bot API style token', re: /(?<![0-9])[0-9]{3,10}:AA[A-Za-z0-9_-]{28,}/g },
  { name: 'Razorpay live key', re: /rzp_live_[A-Za-z0-9]{8,}/g },
  { name: 'Xendit production key', re: /xnd_production_[A-Za-z0-9_-]{10,}/g },
  { name: 'PEM private key', re: /-{5}BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-{5}/g },
  {
    name: 'Cloudflare API token assigned',
    re: /\b(?:CLOUDFLARE|CF)_API_(?:TOKEN|KEY)["']?\s*[:=]\s*["'`]?[A-Za-z0-9_-]{30,}/g,
  },
  { name: 'AWS access key id', re: /\b(?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA)[0-9A-Z]{16}\b/g },
  { name: 'AWS secret access key', re: /aws_secret_access_key["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}/gi },
  {
    // A DSN's public key is 32 hex digits. One pointing at a loopback or reserved host (the
    // tests' fake Sentry) reaches nobody, so it is no secret.
    name: 'Sentry DSN with a key',
    re: /https?:\/\/[0-9a-f]{32}(?::[0-9a-f]{32})?@([^\s"'`/]+)\/[0-9]+/g,
    keep: (m) => !isReservedHost(m[1]),
  },
  { name: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,})/g },
  { name: 'Stripe-style live key', re: /\b[rs]k_live_[A-Za-z0-9]{16,}/g },
  {
    // A secret's name given a long random value: mixed case and digits (base64, most API
    // tokens) or 40+ hex digits. Fixtures use words ("test-jwt-secret-…"), not noise.
    name: 'random value assigned to a secret name',
    re: /\b[A-Z][A-Z0-9_]*(?:SECRET|TOKEN|PASSWORD|API_KEY|SECRET_KEY|PRIVATE_KEY)["']?\s*[:=]\s*["'`]?([A-Za-z0-9_/+=.-]{24,})/g,
    keep: (m) => looksRandom(m[1]),
  },
];

function isReservedHost(hostAndPort) {
  const host = hostAndPort.replace(/:[0-9]+$/, '').replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host === '::1' ||
    host === '0.0.0.0' ||
    /^127\./.test(host) ||
    /(^|\.)example\.(com|org|net)$/.test(host) ||
    /\.(example|test|invalid|localhost)$/.test(host)
  );
}

function looksRandom(value) {
  if (/replace|example|placeholder|your|changeme|dummy|fake|test/i.test(value)) return false;
  const mixed = /[A-Z]/.test(value) && /[a-z]/.test(value) && /[0-9]/.test(value);
  return mixed || /^[0-9a-f]{40,}$/i.test(value);
}

/**
 * Secret-looking strings that are public fixtures, each allowed as this exact string only
 * (anywhere, in any commit). A new real token in the same file still fails. Every entry must
 * still be something a detector flags (checked below), so the list cannot rot into noise.
 *
 * Fixtures that no detector flags need no entry; they are listed in ALLOWED_BY_SHAPE and the
 * self-test proves they pass.
 */
const ALLOWED_SECRETS = new Map([
  [
    // The bot token of the Login Widget and Mini App test vectors (shared/specs/payments.md,
    // "Vectors"; the tests in shared/src/web/login.rs and shared/src/telegram/webapp.rs). A
    // published example, not a bot's: 34 characters after the colon, one short of a real
    // token, which the "bot API style" detector flags all the same.
    '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
    'public test vector of payments.md (Telegram login and Mini App hashes)',
  ],
]);

/** Fixture values that look like credentials but that the detectors pass by their shape. */
const ALLOWED_BY_SHAPE = [
  '123456:TEST-token', // bot-webhook/tests/support/mod.rs BOT_TOKEN
  '123456789:TEST-token', // tests/fakes/telegram.mjs default token
  '7000000001:DEMO-token', // tests/fakes/demo.mjs, the demo's bot
  '123456789:replace-with-your-bot-token', // .dev.vars.example
  '12345:AAkat', // payments.md Crypto Pay vector C0
  '12345:AAtestnetTokenExample', // payments.md Crypto Pay vector C1
  '12345:AAstandinToken', // tests/fakes/providers.mjs Crypto Pay stand-in
  'rzp_wh_secret_123', // payments.md Razorpay vector R1
  'rzp_key_secret_abc', // payments.md Razorpay vectors R2, R3
  "JWT_SECRET: 'test-jwt-secret-0123456789abcdef'", // tests/helpers/app.mjs
  "METRICS_TOKEN: 'test-metrics-token'", // tests/helpers/app.mjs
  'TELEGRAM_WEBHOOK_SECRET=replace-with-a-long-random-secret', // .dev.vars.example
  // Telegram's published Ed25519 keys for Mini App signatures (payments.md): public keys.
  'e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d',
  '40055058a4ee38156a06562e52eece92a771bcd8346a8c4615cb7376eddf72ec',
  'https://0123456789abcdef0123456789abcdef@127.0.0.1:9000/1', // a DSN at a loopback fake
];

/** Every detector hit in `text`, allowlisted or not: `{ detector, match, index }`. */
function rawSecretHits(text) {
  const hits = [];
  for (const d of SECRET_DETECTORS) {
    for (const m of text.matchAll(d.re)) {
      if (d.keep && !d.keep(m)) continue;
      hits.push({ detector: d.name, match: m[0], index: m.index });
    }
  }
  return hits;
}

/** The hits in `text` that are not allowlisted. */
function secretFindings(text) {
  return rawSecretHits(text).filter((h) => !ALLOWED_SECRETS.has(h.match));
}

/** A finding as a message that does not repeat the secret. */
function redact(s) {
  return `${s.slice(0, 6)}… (${s.length} chars)`;
}

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

/** Every object reachable from any ref, read once: `{ sha, type, path, body }` (no trees). */
function reachableObjects() {
  const listed = git(['rev-list', '--objects', '--all']).toString().trim().split('\n').filter(Boolean);
  const pathOf = new Map();
  for (const line of listed) {
    const space = line.indexOf(' ');
    pathOf.set(space < 0 ? line : line.slice(0, space), space < 0 ? '' : line.slice(space + 1));
  }
  // Annotated tags are not listed by rev-list; their messages can hold text too.
  for (const line of git(['for-each-ref', '--format=%(objectname) %(objecttype)']).toString().split('\n')) {
    const [sha, type] = line.split(' ');
    if (type === 'tag') pathOf.set(sha, '(tag)');
  }
  const shas = [...pathOf.keys()];
  const types = git(['cat-file', '--batch-check=%(objectname) %(objecttype)'], shas.join('\n') + '\n')
    .toString()
    .trim()
    .split('\n')
    .map((l) => l.split(' '));
  const wanted = types.filter(([, type]) => type !== 'tree').map(([sha]) => sha);
  const out = git(['cat-file', '--batch'], wanted.join('\n') + '\n');
  const objects = [];
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    const [sha, type, size] = out.subarray(at, eol).toString().split(' ');
    const body = out.subarray(eol + 1, eol + 1 + Number(size));
    objects.push({ sha, type, path: pathOf.get(sha) ?? '', body });
    at = eol + 1 + Number(size) + 1;
  }
  return objects;
}

/** Paths `git add -A` would commit: tracked files, and untracked ones not ignored. */
function committableFiles() {
  const tracked = git(['ls-files', '-z']).toString().split('\0');
  const untracked = git(['ls-files', '-z', '--others', '--exclude-standard']).toString().split('\0');
  return [...new Set([...tracked, ...untracked])].filter(Boolean);
}

/** Every path any commit on any ref ever added, changed or deleted (merges included). */
function everyPathInHistory() {
  const out = git(['log', '--all', '-m', '--name-only', '--format=']).toString();
  return [...new Set(out.split('\n').filter(Boolean))];
}

/** Paths that must never be committed: local secret files. */
function forbiddenSecretFiles(paths) {
  return paths.filter((p) => {
    const base = path.posix.basename(p);
    // `.dev.vars` is wrangler's local secrets file, `.env` its alternative; only the
    // documented example may be tracked.
    const devVars = /^\.dev\.vars(\..+)?$/.test(base) && base !== '.dev.vars.example';
    const env = /^\.env(\..+)?$/.test(base) && base !== '.env.example';
    return devVars || env;
  });
}

/** A configuration key that names a secret (TELEGRAM_WEBAPP_PUBLIC_KEY is a public key). */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|DSN|PRIVATE|(?<!PUBLIC)_KEY/;

/** The keys of every `[vars]` / `[env.<name>.vars]` table of a wrangler.toml. */
function plainVarKeys(toml) {
  const keys = [];
  let inVars = false;
  for (const line of toml.split('\n')) {
    const table = /^\s*\[\[?([^\]]+)\]\]?\s*(#.*)?$/.exec(line);
    if (table) {
      inVars = /^(env\.[^.]+\.)?vars$/.test(table[1].trim());
      continue;
    }
    const kv = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    if (inVars && kv) keys.push(kv[1]);
  }
  return keys;
}

/**
 * The `KEY=value` lines of an env file whose key names a secret and whose value is neither
 * empty nor an obvious placeholder.
 */
function realLookingSecretValues(text) {
  const bad = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const [, key, raw] = m;
    const value = raw.replace(/^(["'])(.*)\1$/, '$2');
    const secret = SECRET_NAME.test(key);
    if (!secret || value === '') continue;
    if (/replace-with|your-|example|placeholder|changeme/i.test(value)) continue;
    bad.push(key);
  }
  return bad;
}

describe('no secret in git history or the tree (SECURITY.md items 9 and 10)', () => {
  test('the clone has the full history, so the history scan sees every commit', () => {
    const shallow = git(['rev-parse', '--is-shallow-repository']).toString().trim();
    assert.equal(
      shallow,
      'false',
      'a shallow clone hides history from this scan: clone with full history ' +
        '(GitHub Actions: actions/checkout with fetch-depth: 0)',
    );
  });

  test('no blob, commit message or tag on any ref holds secret-looking text', () => {
    const started = Date.now();
    const objects = reachableObjects();
    assert.ok(objects.some((o) => o.type === 'commit'), 'git found no commits');
    const problems = [];
    for (const o of objects) {
      if (o.body.includes(0)) continue; // binary (images)
      const text = o.body.toString('utf8');
      for (const f of secretFindings(text)) {
        const where =
          o.type === 'blob'
            ? `${o.path} (blob ${o.sha.slice(0, 10)}, line ${lineOf(text, f.index)})`
            : `${o.type} ${o.sha.slice(0, 10)}`;
        problems.push(`${where}: ${f.detector}: ${redact(f.match)}`);
      }
    }
    assert.deepEqual(
      problems,
      [],
      'secret-looking text in history (find the commit: git log --all --find-object=<blob>; a real secret ' +
        'must be revoked, then removed from history; a public fixture goes in ALLOWED_SECRETS)',
    );
    const ms = Date.now() - started;
    assert.ok(ms < 60_000, `the scan took ${ms} ms`);
  });

  test('no file that would be committed now holds secret-looking text', () => {
    const problems = [];
    for (const file of committableFiles()) {
      let body;
      try {
        body = fs.readFileSync(path.join(ROOT, file));
      } catch {
        continue; // deleted in the working tree, or a directory (submodule)
      }
      if (body.includes(0)) continue;
      const text = body.toString('utf8');
      for (const f of secretFindings(text)) {
        problems.push(`${file}:${lineOf(text, f.index)}: ${f.detector}: ${redact(f.match)}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test('no commit ever tracked a .dev.vars or .env file; only .dev.vars.example', () => {
    const everyPath = [...everyPathInHistory(), ...committableFiles()];
    assert.ok(everyPath.includes('.dev.vars.example'), 'the example configuration is tracked');
    assert.deepEqual(forbiddenSecretFiles([...new Set(everyPath)]), []);
  });

  test('every version of .dev.vars.example has empty or placeholder values for its secrets', () => {
    const versions = git(['log', '--all', '--format=%H', '--', '.dev.vars.example'])
      .toString()
      .split('\n')
      .filter(Boolean);
    assert.ok(versions.length > 0);
    const problems = [];
    for (const commit of versions) {
      let text;
      try {
        text = git(['show', `${commit}:.dev.vars.example`]).toString();
      } catch {
        continue; // the commit deleted it
      }
      for (const key of realLookingSecretValues(text)) problems.push(`${commit.slice(0, 10)}: ${key}`);
    }
    const current = fs.readFileSync(path.join(ROOT, '.dev.vars.example'), 'utf8');
    for (const key of realLookingSecretValues(current)) problems.push(`working tree: ${key}`);
    assert.deepEqual(problems, []);
  });

  test('wrangler.toml and wrangler.admin.toml set no secret as a plain var', () => {
    const problems = [];
    for (const file of ['wrangler.toml', 'wrangler.admin.toml']) {
      for (const key of plainVarKeys(fs.readFileSync(path.join(ROOT, file), 'utf8'))) {
        if (SECRET_NAME.test(key)) problems.push(`${file}: ${key} belongs in \`wrangler secret put\``);
      }
    }
    assert.deepEqual(problems, []);
  });

  test('.gitignore ignores .dev.vars (at the root and below) but not the example', () => {
    const ignored = (p) => {
      try {
        git(['check-ignore', '--no-index', '-q', p]);
        return true;
      } catch {
        return false;
      }
    };
    assert.ok(ignored('.dev.vars'), '.dev.vars is not ignored');
    assert.ok(ignored('functions/.dev.vars'), 'functions/.dev.vars is not ignored');
    assert.ok(!ignored('.dev.vars.example'), '.dev.vars.example is ignored');
  });

  test('the allowlist holds only exact strings a detector flags', () => {
    for (const allowed of ALLOWED_SECRETS.keys()) {
      assert.ok(
        rawSecretHits(allowed).some((h) => h.match === allowed),
        `ALLOWED_SECRETS entry ${redact(allowed)} is not flagged by any detector: drop it`,
      );
    }
  });

  test('self-test: realistic secrets built at run time are flagged, the fixtures are not', () => {
    const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const pick = (n, set = alnum) => Array.from({ length: n }, () => set[randomInt(set.length)]).join('');
    const digits = (n) => String(randomInt(1, 10)) + pick(n - 1, '0123456789');
    const hex = (n) => randomBytes(n / 2).toString('hex');
    // Realistic values, assembled here so that this file holds none.
    const samples = {
      'telegram bot token': `${digits(10)}:AA${pick(33, alnum + '_-')}`,
      'bot API style token': `${digits(5)}:AA${pick(33)}`,
      'Razorpay live key': ['rzp', 'live', pick(14)].join('_'),
      'Xendit production key': ['xnd', 'production', pick(60)].join('_'),
      'PEM private key': ['-----BEGIN', 'RSA', 'PRIVATE', 'KEY-----'].join(' ') + '\nMIIEow' + pick(60) + '\n',
      'Cloudflare API token assigned': ['CLOUDFLARE', 'API', 'TOKEN'].join('_') + '=' + pick(40, alnum + '_-'),
      'AWS access key id': 'AK' + 'IA' + pick(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
      'AWS secret access key': 'aws_secret_access_key = ' + pick(40, alnum + '/+'),
      'Sentry DSN with a key': `https://${hex(32)}@o${digits(6)}.ingest.sentry.io/${digits(7)}`,
      'GitHub token': 'gh' + 'p_' + pick(36),
      'Stripe-style live key': 'sk' + '_live_' + pick(24),
      'random value assigned to a secret name': 'JWT_SECRET=' + randomBytes(32).toString('base64') + 'Aa1',
    };
    for (const [detector, secret] of Object.entries(samples)) {
      const line = `const leaked = "${secret}";`;
      const found = secretFindings(line);
      assert.ok(
        found.some((f) => f.detector === detector),
        `${detector} not flagged in ${redact(secret)}: ${JSON.stringify(found.map((f) => f.detector))}`,
      );
    }
    assert.equal(Object.keys(samples).length, SECRET_DETECTORS.length, 'a sample for every detector');

    // The allowlisted vector is flagged without the allowlist and passes with it; the
    // other fixtures pass by their shape.
    for (const allowed of ALLOWED_SECRETS.keys()) {
      assert.notDeepEqual(rawSecretHits(`TOKEN: &str = "${allowed}";`), []);
      assert.deepEqual(secretFindings(`TOKEN: &str = "${allowed}";`), []);
    }
    for (const fixture of ALLOWED_BY_SHAPE) assert.deepEqual(secretFindings(fixture), [], fixture);

    // A real token one character longer than the allowlisted vector is not allowed by it.
    const [vector] = ALLOWED_SECRETS.keys();
    assert.notDeepEqual(secretFindings(vector + 'x'), []);
  });

  test('self-test: a committed .dev.vars, a real value in the example and a secret var are caught', () => {
    assert.deepEqual(forbiddenSecretFiles(['.dev.vars.example', 'README.md', '.gitignore']), []);
    assert.deepEqual(forbiddenSecretFiles(['.dev.vars', 'functions/.dev.vars', '.dev.vars.prod', '.env']), [
      '.dev.vars',
      'functions/.dev.vars',
      '.dev.vars.prod',
      '.env',
    ]);
    const toml = '[vars]\nTRIAL_DAYS = "3"\nJWT_SECRET = "x"\n[[queues.producers]]\nbinding = "JOBS"\n[env.prod.vars]\nMETRICS_TOKEN = "y"\n';
    assert.deepEqual(plainVarKeys(toml).filter((k) => SECRET_NAME.test(k)), ['JWT_SECRET', 'METRICS_TOKEN']);
    const example = ['TELEGRAM_BOT_TOKEN=123456789:replace-with-your-bot-token', 'JWT_SECRET=', 'TRIAL_DAYS=3'];
    assert.deepEqual(realLookingSecretValues(example.join('\n')), []);
    const leaked = [
      ...example,
      'RAZORPAY_KEY_SECRET=' + randomBytes(18).toString('base64url'),
      'SENTRY_DSN="https://k@o1.ingest.sentry.io/2"',
    ];
    assert.deepEqual(realLookingSecretValues(leaked.join('\n')), ['RAZORPAY_KEY_SECRET', 'SENTRY_DSN']);
  });
});

// ================================================================== SQL

/** The Rust sources whose SQL is checked. */
const SQL_DIRS = ['shared/src', 'bot-webhook/src', 'functions/src'];

/**
 * Places the scan flags that are not SQL built from input, each with why. Keyed by
 * `file fn(): call` (the call up to its first argument, spaces collapsed) with the number
 * of such calls, so a new site, even a copy of an allowed one in the same function, fails.
 * An entry that no longer matches fails too: keep this list true.
 */
const ALLOWED_SQL_SITES = [
  {
    site: 'shared/src/db/mod.rs (macro stmt): Statement { sql: $sql',
    count: 1,
    why: "stmt!'s non-literal arm. Statement.sql is &'static str, so the compiler admits only " +
      'constants here (or a leaked String, which this scan forbids)',
  },
  {
    site: 'shared/src/shop/sql/reports.rs console_users(): stmt!(sql',
    count: 1,
    why: 'one of four fixed statements chosen by `match sort` (UserSort), each a compile-time ' +
      'crate::sql!(concat!(…)) of literals; the search text is bound as ?1–?4',
  },
  {
    site: 'functions/src/store/d1.rs batch(): prepare(s',
    count: 1,
    why: 'the D1 adapter preparing each Statement of a batch (&[Statement]); its sql is &\'static str',
  },
  // The SQLite adapter is test-only (feature `sqlite`, never in the Worker): it runs the
  // migrations and the tests' own setup SQL on an in-memory database.
  {
    site: 'shared/src/db/sqlite.rs with_migrations(): execute_batch(&sql',
    count: 1,
    why: 'applies each d1-migrations/*.sql file in one transaction (test-only)',
  },
  {
    site: 'shared/src/db/sqlite.rs exec(): prepare(sql',
    count: 1,
    why: "SqliteDb::exec, the tests' setup SQL, arguments bound (test-only)",
  },
  {
    site: 'shared/src/db/sqlite.rs migrate(): execute_batch(&format!("BEGIN;\\n{sql}\\nCOMMIT;")',
    count: 1,
    why: "SqliteDb::migrate, a migration script in one transaction (the migration tests; test-only)",
  },
  {
    site: 'shared/src/db/sqlite.rs rows(): query(&self.conn.borrow()',
    count: 1,
    why: "SqliteDb::rows, the tests' inspection SQL, arguments bound (test-only)",
  },
  {
    site: 'shared/src/db/sqlite.rs query(): prepare(sql',
    count: 1,
    why: 'the helper behind first/all/rows: sql is a Statement\'s or a test\'s (test-only)',
  },
  {
    site: 'shared/src/db/sqlite.rs first(): query(&self.conn.borrow()',
    count: 1,
    why: 'Db::first on SQLite: passes statement.sql (&\'static str) and binds its args (test-only)',
  },
  {
    site: 'shared/src/db/sqlite.rs all(): query(&self.conn.borrow()',
    count: 1,
    why: 'Db::all on SQLite: passes statement.sql (&\'static str) and binds its args (test-only)',
  },
];

/**
 * Rust source with comments blanked and every string or char literal replaced by `"…"` or
 * `'…'` of the same length (line breaks kept), plus the literals by start offset.
 */
function lexRust(src) {
  const out = src.split('');
  const literals = new Map();
  const blank = (from, to) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const isIdent = (c) => c !== undefined && /[A-Za-z0-9_]/.test(c);
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < src.length && depth > 0) {
        if (src[j] === '/' && src[j + 1] === '*') (depth++, (j += 2));
        else if (src[j] === '*' && src[j + 1] === '/') (depth--, (j += 2));
        else j++;
      }
      blank(i, j);
      i = j;
      continue;
    }
    // Raw strings: r"…", r#"…"#, br#"…"#.
    const raw = /^b?r(#*)"/.exec(src.slice(i, i + 40));
    if (raw && !isIdent(src[i - 1])) {
      const close = '"' + raw[1];
      const bodyStart = i + raw[0].length;
      const end = src.indexOf(close, bodyStart);
      const stop = end < 0 ? src.length : end + close.length;
      literals.set(i, { start: i, end: stop, value: src.slice(bodyStart, end < 0 ? src.length : end) });
      blank(i, stop);
      out[i] = '"';
      out[stop - 1] = '"';
      i = stop;
      continue;
    }
    if (c === '"' || (c === 'b' && src[i + 1] === '"' && !isIdent(src[i - 1]))) {
      const bodyStart = src.indexOf('"', i) + 1;
      let j = bodyStart;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      const stop = j + 1;
      literals.set(i, { start: i, end: stop, value: src.slice(bodyStart, j) });
      blank(i, stop);
      out[i] = '"';
      out[stop - 1] = '"';
      i = stop;
      continue;
    }
    if (c === "'") {
      // A char literal ('a', '\n', '\u{1F600}', '"'), else a lifetime or label ('static).
      const ch = /^'(?:\\(?:u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/u.exec(src.slice(i, i + 16));
      if (ch) {
        blank(i, i + ch[0].length);
        out[i] = "'";
        out[i + ch[0].length - 1] = "'";
        i += ch[0].length;
        continue;
      }
    }
    i++;
  }
  return { code: out.join(''), literals };
}

/** The index just past the bracket that closes the one at `open` (code is lexed). */
function closing(code, open) {
  const pairs = { '(': ')', '[': ']', '{': '}' };
  const stack = [];
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (pairs[c]) stack.push(pairs[c]);
    else if (c === ')' || c === ']' || c === '}') {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
  }
  return code.length;
}

/** Top-level comma-separated parts of code[from, to): `{ start, end }` (trimmed). */
function splitTop(code, from, to, { angles = false } = {}) {
  const parts = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const c = code[i];
    if ('([{'.includes(c) || (angles && c === '<')) depth++;
    else if (')]}'.includes(c) || (angles && c === '>' && code[i - 1] !== '-')) depth--;
    else if (c === ',' && depth === 0) {
      parts.push([start, i]);
      start = i + 1;
    }
  }
  parts.push([start, to]);
  return parts
    .map(([s, e]) => {
      while (s < e && /\s/.test(code[s])) s++;
      while (e > s && /\s/.test(code[e - 1])) e--;
      return { start: s, end: e };
    })
    .filter((p) => p.end > p.start);
}

/** Does this text read as SQL? Upper-case keywords, or unmistakable statement shapes. */
function isSqlText(text) {
  return (
    /\b(SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES)\b/.test(text) ||
    /\bselect\b[\s\S]+?\bfrom\b|\binsert\s+(or\s+\w+\s+)?into\b|\bupdate\s+\w+\s+set\b|\bdelete\s+from\b|\bvalues\s*\(/i.test(text)
  );
}

/** `{name}`/`{}`/`{0:?}` interpolations of a format string (`{{` and `}}` are not). */
function hasInterpolation(template) {
  return /\{[A-Za-z0-9_.:?#<>^+-]*\}/.test(template.replace(/\{\{|\}\}/g, ''));
}

/** The function around `pos`: name, where its parameter list is, and where it starts. */
function enclosingFn(code, pos) {
  let found = null;
  for (const m of code.matchAll(/\bfn\s+([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (m.index > pos) break;
    found = m;
  }
  const macro = [...code.slice(0, pos).matchAll(/\bmacro_rules!\s*([A-Za-z_][A-Za-z0-9_]*)/g)].pop();
  if (macro && (!found || macro.index > found.index)) {
    return { name: `(macro ${macro[1]})`, start: macro.index, params: [] };
  }
  if (!found) return { name: '(top level)', start: 0, params: [] };
  const open = code.indexOf('(', found.index);
  const close = closing(code, open) - 1;
  const params = splitTop(code, open + 1, close, { angles: true }).map((p) => code.slice(p.start, p.end));
  return { name: `${found[1]}()`, start: found.index, params };
}

/**
 * Is the expression code[start, end) a compile-time SQL string? Returns null if so, else why
 * not. Names are followed to a `const`/`static`, a typed parameter, or their `let`.
 */
function notConstantSql(file, start, end, depth = 0) {
  const { code, literals } = file;
  let s = start;
  while (code[s] === '&' || /\s/.test(code[s])) s++;
  const text = code.slice(s, end).trim();
  const lit = literals.get(s);
  if (lit && lit.end === end) return null; // "…", r#"…"#
  if (/^(?:\$crate::|crate::)?(?:sql|concat)!\s*\(/.test(text) && closing(code, code.indexOf('(', s)) === end) {
    return null; // compile-time: concat! takes only literals, sql! a const expression
  }
  if (/^(?:rusqlite::)?(?:params_from_iter\s*\(|params!)/.test(text)) return null; // bound values, not SQL
  if (depth > 4) return 'too many names to follow';
  const name = /^([A-Za-z_][A-Za-z0-9_]*)(\.sql)?$/.exec(text);
  if (!name) return `not a constant: ${text.slice(0, 60)}`;
  const [, ident, field] = name;
  if (!field && new RegExp(`\\b(?:const|static)\\s+${ident}\\s*:\\s*&(?:'static\\s+)?str\\s*=`).test(code)) return null;
  const fn = enclosingFn(code, s);
  const param = fn.params.find((p) => new RegExp(`^(?:mut\\s+)?${ident}\\s*:`).test(p));
  if (param) {
    const type = param.slice(param.indexOf(':') + 1).replace(/\s+/g, ' ').trim();
    if (!field && type === "&'static str") return null;
    // A Statement's sql is &'static str (asserted by the type-guard test).
    if (/^&?(?:crate::db::|super::)?Statement$/.test(type)) return null;
    return `parameter ${ident}: ${type}`;
  }
  if (field) return `${ident}.sql of unknown type`;
  // The nearest `let` before this use whose statement has ended (in `let x = f(x)` the
  // right-hand x is the earlier binding).
  const lets = [...code.slice(fn.start, s).matchAll(new RegExp(`\\blet\\s+(?:mut\\s+)?${ident}\\b\\s*(?::[^=;]*)?=(?!=)`, 'g'))];
  let initStart = -1;
  let initEnd = -1;
  for (const binding of lets.reverse()) {
    const from = fn.start + binding.index + binding[0].length;
    const to = statementEnd(code, from);
    if (to < s) {
      initStart = from;
      initEnd = to;
      break;
    }
  }
  if (initStart < 0) return `${ident} is not bound to a constant`;
  while (/\s/.test(code[initEnd - 1])) initEnd--;
  const inner = notConstantSql(file, initStart, initEnd, depth + 1);
  return inner && `${ident} = ${inner}`;
}

/** Where the statement that goes on at `from` ends: its `;` at bracket depth 0. */
function statementEnd(code, from) {
  let level = 0;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if ('([{'.includes(c)) level++;
    else if (')]}'.includes(c)) level--;
    else if (c === ';' && level === 0) return i;
  }
  return code.length;
}

/** Everything in one file the SQL rule flags: `{ site, line, why }`. */
function sqlFindings(rel, src, stats = { sinks: 0 }) {
  const file = lexRust(src);
  const { code, literals } = file;
  const findings = [];
  const flag = (at, callEnd, why) => {
    const fn = enclosingFn(code, at);
    const call = src.slice(at, callEnd).replace(/\s+/g, ' ').trim();
    findings.push({ site: `${rel} ${fn.name}: ${call}`, line: lineOf(src, at), why });
  };

  // 1. Where SQL reaches a database: its argument must be constant SQL.
  for (const m of code.matchAll(/(?<![A-Za-z0-9_$])(stmt!|prepare|query|query_row|query_map|execute|execute_batch|exec)\s*\(/g)) {
    if (/\bfn\s+$/.test(code.slice(Math.max(0, m.index - 8), m.index))) continue; // a definition
    const open = m.index + m[0].length - 1;
    const close = closing(code, open) - 1;
    const [first] = splitTop(code, open + 1, close);
    if (!first) continue; // no argument: not an SQL call (`.execute()` of a KV put)
    stats.sinks++;
    const why = notConstantSql(file, first.start, first.end);
    if (why) flag(m.index, first.end, why);
  }
  // Statement { sql: … } and the shorthand Statement { sql, … }.
  for (const m of code.matchAll(/\bStatement\s*\{/g)) {
    const before = code.slice(Math.max(0, m.index - 60), m.index);
    if (/\bstruct\s+$|->\s*(?:[A-Za-z_][A-Za-z0-9_]*::)*$/.test(before)) continue; // the type, a return type
    const open = m.index + m[0].length - 1;
    const close = closing(code, open) - 1;
    for (const field of splitTop(code, open + 1, close)) {
      const f = /^sql\s*(?::|$)/.exec(code.slice(field.start, field.end));
      if (!f) continue;
      const valueStart = f[0].endsWith(':') ? field.start + f[0].length : field.start;
      const why = notConstantSql(file, valueStart, field.end);
      if (why) flag(m.index, field.end, why);
    }
  }

  // 2. Text holding SQL that is built at run time.
  const formatArgs = [];
  for (const m of code.matchAll(/(?<![A-Za-z0-9_])(format|format_args|write|writeln|print|println|eprint|eprintln|panic)!\s*\(/g)) {
    const open = m.index + m[0].length - 1;
    const close = closing(code, open) - 1;
    formatArgs.push([open, close]);
    const args = splitTop(code, open + 1, close);
    const t = args[m[1].startsWith('write') ? 1 : 0];
    if (!t) continue;
    // The template: a literal, or concat! of literals.
    const template = [...literals.values()]
      .filter((l) => l.start >= t.start && l.end <= t.end)
      .map((l) => l.value)
      .join('');
    if (isSqlText(template) && (hasInterpolation(template) || args.length > (m[1].startsWith('write') ? 2 : 1))) {
      flag(m.index, t.end, `${m[1]}! builds SQL text`);
    }
  }
  for (const lit of literals.values()) {
    if (!isSqlText(lit.value)) continue;
    const before = code.slice(Math.max(0, lit.start - 40), lit.start);
    const after = code.slice(lit.end, lit.end + 40);
    if (/\+=?\s*&?\s*$/.test(before) || /^\s*\+/.test(after)) flag(lit.start, lit.end, 'SQL joined with +');
    else if (/(?:push_str|insert_str|push|extend)\s*\(\s*&?\s*$/.test(before)) flag(lit.start, lit.end, 'SQL pushed onto a String');
    else if (/String::from\s*\(\s*$/.test(before) || /^\s*\.\s*(?:to_string|to_owned|into|replace|replacen)\s*\(/.test(after)) {
      flag(lit.start, lit.end, 'SQL turned into an owned String (to be edited)');
    } else if (hasInterpolation(lit.value.replace(/'\{\}'/g, "''")) && !formatArgs.some(([from, to]) => lit.start >= from && lit.end <= to)) {
      // (An empty JSON object, '{}', is SQL text, not a hole; format! templates are reported above.)
      flag(lit.start, lit.end, 'SQL template with {…} to fill in');
    }
  }

  // 3. The only way to get a built String into Statement.sql: leak it (or unsafe casts).
  for (const m of code.matchAll(/\.leak\s*\(|\b(?:Box|String|Vec)::leak\b|\btransmute\b|\bfrom_raw_parts\b|\bfrom_utf8_unchecked\b/g)) {
    flag(m.index, m.index + m[0].length, 'leaks or forges a &\'static str');
  }
  return findings;
}

function rustFiles() {
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.rs')) files.push(rel);
    }
  };
  for (const dir of SQL_DIRS) walk(dir);
  return files.sort();
}

/** Findings not covered by the allowlist, and allowlist entries whose count is off. */
function sqlProblems(findings) {
  const bySite = new Map();
  for (const f of findings) bySite.set(f.site, [...(bySite.get(f.site) ?? []), f]);
  const problems = [];
  for (const [site, list] of bySite) {
    const allowed = ALLOWED_SQL_SITES.find((a) => a.site === site);
    if (!allowed) for (const f of list) problems.push(`${site} (line ${f.line}): ${f.why}`);
    else if (allowed.count !== list.length) problems.push(`${site}: ${list.length} sites, the allowlist says ${allowed.count}`);
  }
  for (const a of ALLOWED_SQL_SITES) if (!bySite.has(a.site)) problems.push(`allowlist entry matches nothing now: ${a.site}`);
  return problems;
}

describe('only parameterized SQL (SECURITY.md item 7)', () => {
  test("Statement.sql is &'static str and the Db trait takes only Statements", () => {
    const src = fs.readFileSync(path.join(ROOT, 'shared/src/db/mod.rs'), 'utf8');
    assert.match(src, /pub struct Statement \{\s*pub sql: &'static str,\s*pub args: Vec<Arg>,\s*\}/);
    const trait = /pub trait Db \{([\s\S]*?)\n\}/.exec(src);
    assert.ok(trait, 'trait Db found');
    const params = [...trait[1].matchAll(/async fn \w+\(&self, ([^)]*)\)/g)].map((m) => m[1]);
    assert.deepEqual(params, ['statement: &Statement', 'statement: &Statement', 'statement: &Statement', 'statements: &[Statement]']);
  });

  test('every statement in shared, bot-webhook and functions is constant SQL with bound arguments', () => {
    const files = rustFiles();
    assert.ok(files.length > 50, `found ${files.length} .rs files`);
    const stats = { sinks: 0 };
    const findings = files.flatMap((rel) => sqlFindings(rel, fs.readFileSync(path.join(ROOT, rel), 'utf8'), stats));
    assert.ok(stats.sinks > 150, `only ${stats.sinks} statements found: is the scanner still reading stmt!?`);
    assert.deepEqual(sqlProblems(findings), []);
  });

  test('self-test: SQL built from strings is flagged; constants and bound arguments are not', () => {
    const good = String.raw`
      const BY_ID: &str = "SELECT * FROM users WHERE id = ?1";
      macro_rules! cols { () => { "id, name" }; }
      fn by_id(db: &impl Db, id: i64, name: &str) {
          let sql = "UPDATE users SET name = ?2 WHERE id = ?1";
          db.run(&stmt!(sql, id, name));
          let q = crate::sql!(concat!("SELECT ", cols!(), " FROM users WHERE name = ?1"));
          db.all(&stmt!(q, name));
          db.first(&stmt!(BY_ID, id));
          db.all(&stmt!("SELECT count(*) FROM orders -- a comment: it's paid
                         WHERE status = 'paid'")); // format!("SELECT {}", x) in a comment
          let label = format!("user:{id}"); // not SQL
          let apostrophe = '"'; let life: &'static str = "x";
      }
      fn with(sql: &'static str) -> Statement { stmt!(sql, 1) }`;
    assert.deepEqual(sqlFindings('good.rs', good), []);

    const bad = {
      'format! into a statement': String.raw`fn f(db: &D, name: &str) {
          let sql = format!("SELECT * FROM users WHERE name = '{name}'");
          db.all(&stmt!(sql));
      }`,
      'format! with a positional argument': String.raw`fn f(t: &str) { let s = format!("DELETE FROM {} WHERE id = ?1", t); }`,
      'prepare with a built string': String.raw`fn f(d1: &D1Database, id: &str) { d1.prepare(&("SELECT * FROM users WHERE id = ".to_owned() + id)); }`,
      'a &str parameter as SQL': String.raw`fn f(d1: &D1Database, q: &str) { d1.prepare(q); }`,
      'push_str': String.raw`fn f(ids: &str) { let mut s = String::new(); s.push_str("DELETE FROM users WHERE id IN ("); s.push_str(ids); }`,
      'plus': String.raw`fn f(id: &str) -> String { "SELECT * FROM orders WHERE public_id = '".to_string() + id + "'" }`,
      'leak into a Statement': String.raw`fn f(t: &str) -> Statement { Statement { sql: format!("SELECT {t}").leak(), args: vec![] } }`,
      'replace in a template': String.raw`const Q: &str = "SELECT * FROM {table} WHERE id = ?1"; fn f(t: &str) { let q = Q.replace("{table}", t); }`,
      'lower-case SQL': String.raw`fn f(d: &D, n: &str) { d.exec(&format!("insert into users (name) values ('{n}')")); }`,
    };
    for (const [what, snippet] of Object.entries(bad)) {
      assert.notDeepEqual(sqlFindings('bad.rs', snippet), [], `${what} was not flagged`);
    }
  });

  test('self-test: a new dynamic site fails even next to an allowed one, and stale entries fail', () => {
    const allowed = ALLOWED_SQL_SITES[2];
    const finding = { site: allowed.site, line: 1, why: 'x' };
    const others = ALLOWED_SQL_SITES.filter((a) => a !== allowed).flatMap((a) =>
      Array.from({ length: a.count }, () => ({ site: a.site, line: 1, why: 'x' })),
    );
    assert.deepEqual(sqlProblems([...others, finding]), []);
    assert.equal(sqlProblems([...others, finding, finding]).length, 1, 'a second copy of an allowed site');
    assert.equal(sqlProblems(others).length, 1, 'an entry that matches nothing');
  });
});
