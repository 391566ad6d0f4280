// Spawn the real Worker under `wrangler dev` (local mode) for integration tests,
// wired to a fake Remnawave panel and a fake Telegram Bot API.
//
//   const app = await spawnApp({ vars: { RAZORPAY_KEY_ID: 'rzp_test' } });
//   try { ... } finally { await app.stop(); }
//
// Each app gets its own temp state dir (D1 file, caches), its own free HTTP
// port and a random inspector port, so several apps can run side by side.
//
// Configuration comes ONLY from the test: wrangler is started with
// `--env-file <empty file>`, which makes it skip the developer's `.dev.vars`
// (and `.env`), and every var is passed with `--var KEY:VALUE`, which wrangler
// does not expand or re-quote. Keys the test sets are also removed from
// wrangler's own environment.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { startRemnawaveFake, DEFAULT_SQUAD_UUID } from '../fakes/remnawave.mjs';
import { startTelegramFake } from '../fakes/telegram.mjs';
import { mountChat } from '../fakes/chat.mjs';
import { startProviderFakes } from '../fakes/providers.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN_DIR = path.join(REPO_ROOT, 'node_modules', '.bin');
const WRANGLER = path.join(BIN_DIR, 'wrangler');

export const TEST_WEBHOOK_SECRET = 'test-webhook-secret';
export const TEST_ADMIN_ID = 900001;

/** wrangler processes started and not yet stopped; killed on process exit as a last resort. */
const liveChildren = new Set();
const killAll = () => {
  for (const child of liveChildren) killGroup(child.pid, 'SIGKILL');
};
process.once('exit', killAll);
// wrangler runs in its own process group, so Ctrl-C does not reach it: forward, then die as asked.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

/**
 * Start the fakes and the Worker; resolves once `GET /healthz` answers 200.
 *
 * @param {object} [opts]
 * @param {Record<string, string|number|null>} [opts.vars] merged over the defaults; `null` omits a var
 * @param {object} [opts.panelOpts] options for startRemnawaveFake
 * @param {object} [opts.telegramOpts] options for startTelegramFake
 * @param {boolean} [opts.providers] start the Razorpay, Xendit and Crypto Pay stand-ins and set their keys
 * @param {number} [opts.port] the Worker's port (default: a free one)
 * @param {string} [opts.stateDir] keep state there (default: a temp dir removed by stop())
 * @param {string} [opts.varsFile] write the Worker's variables to this env file instead of --var flags
 * @param {(chunk: string) => void} [opts.onOutput] wrangler's output as it comes
 * @param {string} [opts.configPath] wrangler config (default: the repo's wrangler.toml); wrangler runs in its directory
 * @param {string} [opts.d1Binding] D1 binding to migrate (default 'DB')
 * @param {number} [opts.readyTimeoutMs] default 60000
 */
export async function spawnApp({
  vars = {},
  panelOpts,
  telegramOpts,
  configPath = path.join(REPO_ROOT, 'wrangler.toml'),
  d1Binding = 'DB',
  readyTimeoutMs = 60_000,
  port: wantedPort,
  stateDir: givenStateDir,
  varsFile,
  onOutput,
  providers: withProviders = false,
} = {}) {
  configPath = path.resolve(configPath);
  if (!existsSync(configPath)) throw new Error(`spawnApp: no wrangler config at ${configPath}`);
  // A port someone else holds (another scripts/dev?) would answer /healthz for us: refuse it.
  if (wantedPort && !(await portIsFree(wantedPort))) {
    throw new Error(`port ${wantedPort} is taken (another scripts/dev?): stop that or set PORT`);
  }
  const cwd = path.dirname(configPath);
  const panel = await startRemnawaveFake(panelOpts);
  const tg = await startTelegramFake(telegramOpts);
  // Razorpay, Xendit and Crypto Pay stand-ins, their keys set (so the channels are on).
  const providers = withProviders ? await startProviderFakes() : null;
  const stateDir = givenStateDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'wavegate-test-')));
  await fs.mkdir(stateDir, { recursive: true });

  const allVars = {
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    TELEGRAM_API_BASE: tg.url,
    BOT_USERNAME: 'WavegateTestBot',
    ADMIN_TELEGRAM_IDS: String(TEST_ADMIN_ID),
    REMNAWAVE_URL: panel.url,
    REMNAWAVE_TOKEN: panel.token,
    REMNAWAVE_WEBHOOK_SECRET: 'x'.repeat(32) + 'y'.repeat(32),
    REMNAWAVE_SQUADS: DEFAULT_SQUAD_UUID,
    JWT_SECRET: 'test-jwt-secret-0123456789abcdef',
    PUBLIC_BASE_URL: 'http://127.0.0.1',
    METRICS_TOKEN: 'test-metrics-token',
    ...providers?.vars,
    ...vars,
  };
  const effectiveVars = Object.fromEntries(
    Object.entries(allVars)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );

  // wrangler's environment: Node 22 first on PATH, no telemetry, non-interactive,
  // and none of the Worker's keys (wrangler can read secrets from process.env).
  const env = {
    ...process.env,
    PATH: `${BIN_DIR}${path.delimiter}${process.env.PATH ?? ''}`,
    WRANGLER_SEND_METRICS: 'false',
    CI: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    WRANGLER_LOG_PATH: path.join(stateDir, 'wrangler-logs'),
  };
  for (const key of [...Object.keys(allVars), 'CLOUDFLARE_INCLUDE_PROCESS_ENV']) delete env[key];

  let output = '';
  const cleanupFakes = async () => {
    await Promise.allSettled([panel.close(), tg.close(), providers?.close()]);
    if (!givenStateDir) await fs.rm(stateDir, { recursive: true, force: true, maxRetries: 3 });
  };

  // 1. D1 migrations into the fresh state dir.
  try {
    output += await run(
      WRANGLER,
      ['d1', 'migrations', 'apply', d1Binding, '--local', '--persist-to', stateDir, '--config', configPath],
      { cwd, env },
    );
  } catch (err) {
    await cleanupFakes();
    throw err;
  }

  // 2. wrangler dev. An env file of our own disables .dev.vars. Tests give every value with
  // --var (never expanded or re-quoted); `varsFile` instead writes them to that file, for a
  // person to read (the demo), so its values must be plain.
  const envFile = varsFile ?? path.join(stateDir, 'empty.env');
  let varArgs = [];
  if (varsFile) {
    const unsafe = Object.entries(effectiveVars).filter(([, v]) => /[\s"'$#\\]/.test(v));
    if (unsafe.length) throw new Error(`spawnApp: values of ${unsafe.map(([k]) => k)} cannot go in an env file as they are`);
    const lines = Object.entries(effectiveVars).map(([k, v]) => `${k}=${v}`);
    await fs.writeFile(varsFile, `# Written by the Wavegate demo; every run rewrites it.\n${lines.join('\n')}\n`);
  } else {
    await fs.writeFile(envFile, '');
    varArgs = Object.entries(effectiveVars).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  }

  // The operator's Worker (wrangler.admin.toml) runs beside the main one in the same wrangler,
  // sharing its D1, KV and queues. wrangler gives `--var` and `--env-file` to the first Worker
  // only, so this one gets a copy of its config with the same variables written in.
  const adminConfig = await writeAdminConfig(stateDir, effectiveVars);

  let child;
  let port;
  for (let attempt = 1; ; attempt++) {
    port = attempt === 1 && wantedPort ? wantedPort : await freePort();
    const args = [
      'dev', '--config', configPath, '--config', adminConfig, '--local', '--ip', '127.0.0.1', '--port', String(port),
      '--inspector-port', '0', '--test-scheduled', '--persist-to', stateDir,
      '--show-interactive-dev-session=false', '--env-file', envFile, ...varArgs,
    ];
    child = spawn(WRANGLER, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => resolve({ code, signal }));
      child.on('error', (err) => resolve({ error: err.message })); // e.g. wrangler not installed
    });
    const collect = (chunk) => {
      onOutput?.(chunk);
      output += chunk;
      if (output.length > 4_000_000) output = output.slice(-2_000_000);
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    liveChildren.add(child);

    const url = `http://127.0.0.1:${port}`;
    const outcome = await waitReady(`${url}/healthz`, exited, readyTimeoutMs);
    if (outcome === 'ready') break;

    killGroup(child.pid, 'SIGKILL');
    liveChildren.delete(child);
    // Someone took the port between our probe and wrangler's bind: try another one.
    if (outcome.exit && /EADDRINUSE|address already in use/i.test(output) && attempt < 3) continue;
    await cleanupFakes();
    const why = outcome.exit ? `wrangler exited (${JSON.stringify(outcome.exit)})` : `/healthz not 200 after ${readyTimeoutMs} ms (last: ${outcome.lastStatus})`;
    throw new Error(`spawnApp: ${why}. Last wrangler output:\n${lastLines(output, 50)}`);
  }

  const url = `http://127.0.0.1:${port}`;
  // As scripts/set-webhook does for a real bot: the Telegram stand-in now delivers updates here.
  tg.webhook = { url: `${url}/telegram/webhook`, secret: effectiveVars.TELEGRAM_WEBHOOK_SECRET };
  providers?.connect(url);
  // The chat page on the Telegram stand-in (the demo's front door; tests/chat.test.mjs drives it).
  const chat = mountChat({
    tg,
    panel,
    providers,
    workerUrl: url,
    remnawaveSecret: effectiveVars.REMNAWAVE_WEBHOOK_SECRET,
    adminId: Number(String(effectiveVars.ADMIN_TELEGRAM_IDS ?? '').split(',')[0]) || TEST_ADMIN_ID,
    crons: cronsOf(configPath),
  });
  let updateId = 100_000;
  let d1File;
  let stopped = false;

  const app = {
    url,
    port,
    panel,
    tg,
    chat,
    providers,
    stateDir,
    vars: effectiveVars,
    pid: child.pid,

    /** wrangler's stdout + stderr so far. */
    logs: () => output,

    /** fetch() against the Worker; `path` is relative to app.url. */
    fetch: (p, init) => fetch(new URL(p, url), init),

    /** POST a Telegram update to /telegram/webhook, as Telegram would; `secret: null` omits the header. */
    sendUpdate: (update, opts = {}) => tg.deliver(update, opts),

    /** A fresh, increasing update_id. */
    nextUpdateId: () => ++updateId,

    /** Run the Worker's scheduled handler for a cron expression; resolves {status, body}. */
    async runCron(expr) {
      return toResult(await fetch(`${url}/__scheduled?cron=${encodeURIComponent(expr)}`));
    },

    /**
     * Run SQL directly on the Worker's local D1 file. Queries returning rows
     * resolve to plain row objects; other statements to {changes, lastInsertRowid}.
     * Reads see everything the Worker has committed; writes are seen by the
     * Worker on its next query.
     */
    db(sql, ...params) {
      d1File ??= findD1File(stateDir);
      const returnsRows = /^\s*(select|with|pragma|values|explain)\b/i.test(sql) || /\breturning\b/i.test(sql);
      const db = new DatabaseSync(d1File, { readOnly: returnsRows && !/\breturning\b/i.test(sql) });
      try {
        db.exec('PRAGMA busy_timeout = 5000');
        const stmt = db.prepare(sql);
        if (returnsRows) return stmt.all(...params).map((row) => ({ ...row }));
        const { changes, lastInsertRowid } = stmt.run(...params);
        return { changes, lastInsertRowid };
      } finally {
        db.close();
      }
    },

    /**
     * Runs `fn(db)` with one connection to the Worker's local D1 file, in one transaction: for
     * seeding thousands of rows (benchmarks) without a connection per statement.
     */
    withDb(fn) {
      d1File ??= findD1File(stateDir);
      const db = new DatabaseSync(d1File);
      try {
        db.exec('PRAGMA busy_timeout = 5000; BEGIN');
        const result = fn(db);
        db.exec('COMMIT');
        return result;
      } catch (err) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw err;
      } finally {
        db.close();
      }
    },

    /** Kill wrangler (whole process group), close the fakes, delete the state dir. */
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        killGroup(child.pid, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      killGroup(child.pid, 'SIGKILL'); // stragglers in the group (workerd)
      liveChildren.delete(child);
      await cleanupFakes();
    },
  };
  return app;
}

// ------------------------------------------------------------- helpers

/**
 * The repo's wrangler.admin.toml for a test run: paths made absolute (wrangler reads the copy
 * from the state dir) and `vars` written into its `[vars]` (TOML basic strings share JSON's
 * escapes). The copy's directory has no `.dev.vars`, so nothing of the developer's leaks in.
 */
export async function writeAdminConfig(stateDir, vars) {
  const template = readFileSync(path.join(REPO_ROOT, 'wrangler.admin.toml'), 'utf8');
  const [head, tail = ''] = template.split(/^\[vars\]$/m);
  const defaults = Object.fromEntries([...tail.matchAll(/^([A-Z0-9_]+) = "([^"]*)"$/gm)].map((m) => [m[1], m[2]]));
  const all = { ...defaults, ...vars };
  const text = head
    .replace(/^main = "([^"]+)"/m, (_, p) => `main = ${JSON.stringify(path.join(REPO_ROOT, p))}`)
    .replace(/^migrations_dir = "([^"]+)"/m, (_, p) => `migrations_dir = ${JSON.stringify(path.join(REPO_ROOT, p))}`)
    .replace(/^directory = "([^"]+)"/m, (_, p) => `directory = ${JSON.stringify(path.join(REPO_ROOT, p))}`);
  const lines = Object.entries(all).map(([k, v]) => `${k} = ${JSON.stringify(String(v))}`);
  const file = path.join(stateDir, 'wrangler.admin.toml');
  await fs.writeFile(file, `${text}[vars]\n${lines.join('\n')}\n`);
  return file;
}

/** Run a command to completion; resolves its output, rejects with it on failure. */
function run(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(cmd)} ${args.slice(0, 3).join(' ')} failed (exit ${code}):\n${lastLines(out, 50)}`));
    });
  });
}

/** Poll `url` until 200 ('ready'), the process exits ({exit}) or time runs out ({timeout, lastStatus}). */
async function waitReady(url, exited, timeoutMs) {
  let exit = null;
  let lastStatus = 'no answer';
  exited.then((e) => (exit = e));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit) return { exit };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return 'ready';
      lastStatus = res.status;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { timeout: true, lastStatus };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * The local D1 database file: `<state>/v3/d1/miniflare-D1DatabaseObject/<hash>.sqlite`
 * (miniflare's `metadata.sqlite` excluded). With several D1 databases, the one
 * that has wrangler's `d1_migrations` table wins.
 */
function findD1File(stateDir) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.sqlite') && entry.name !== 'metadata.sqlite') files.push(p);
    }
  };
  walk(path.join(stateDir, 'v3', 'd1'));
  if (files.length === 1) return files[0];
  const migrated = files.filter((f) => {
    const db = new DatabaseSync(f, { readOnly: true });
    try {
      return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'd1_migrations'").get();
    } finally {
      db.close();
    }
  });
  if (migrated.length === 1) return migrated[0];
  throw new Error(`app.db: expected one D1 database file under ${stateDir}/v3/d1, found: ${files.join(', ') || 'none'}`);
}

/** The cron expressions of a wrangler.toml (`crons = [...]`). */
function cronsOf(configPath) {
  const m = /^\s*crons\s*=\s*\[([^\]]*)\]/m.exec(readFileSync(configPath, 'utf8'));
  return m ? [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]) : [];
}

async function toResult(res) {
  const body = await res.text();
  let json = null;
  try {
    json = JSON.parse(body);
  } catch {
    // not JSON
  }
  return { status: res.status, body, json };
}

function lastLines(text, n) {
  return text.split('\n').slice(-n).join('\n');
}
