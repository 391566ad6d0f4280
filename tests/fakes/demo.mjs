// `scripts/dev --demo` (and `scripts/dev` with no real .dev.vars): the whole shop on this
// machine with no accounts. Starts the same strict stand-ins the integration tests use (Telegram
// Bot API with its chat page, the Remnawave panel, Razorpay, Xendit and Crypto Pay), points the real Worker under `wrangler dev`
// at them, makes one returning customer through a real Stars purchase, and prints one line:
// where to open the chat page.
//
// State is fresh on every run (the panel stand-in lives in memory, so the Worker's D1 must
// start empty with it) under .wrangler/demo/: `demo.vars` is the configuration the Worker gets
// (written here, never into .dev.vars), `worker.log` its log, `state/` its D1, KV and queues.
//
// Environment: PORT (the Worker, default 8787), CHAT_PORT (the chat page, default 8788; a taken
// port falls back to a free one), DEMO_VERBOSE=1 to print the Worker's log here as well,
// DEMO_DIR instead of .wrangler/demo (tests).

import fs from 'node:fs';
import path from 'node:path';
import { spawnApp, REPO_ROOT } from '../helpers/app.mjs';
import { seedReturningCustomer } from './chat.mjs';

const dir = process.env.DEMO_DIR || path.join(REPO_ROOT, '.wrangler', 'demo');
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
const logFile = path.join(dir, 'worker.log');
const log = fs.createWriteStream(logFile);
const verbose = process.env.DEMO_VERBOSE === '1';

const app = await spawnApp({
  port: Number(process.env.PORT || 8787),
  stateDir: path.join(dir, 'state'),
  varsFile: path.join(dir, 'demo.vars'),
  readyTimeoutMs: 120_000,
  providers: true,
  telegramOpts: { port: Number(process.env.CHAT_PORT || 8788), botUsername: 'WavegateDemoBot', botName: 'Wavegate VPN', token: '7000000001:DEMO-token' },
  vars: {
    BOT_USERNAME: 'WavegateDemoBot',
    TELEGRAM_WEBHOOK_SECRET: 'demo-webhook-secret',
    SUPPORT_CONTACT: '@wavegate_support',
    PUBLIC_BASE_URL: `http://127.0.0.1:${process.env.PORT || 8787}`,
  },
  onOutput: (chunk) => {
    log.write(chunk);
    if (verbose) process.stdout.write(chunk);
  },
});

const returning = app.chat.identities.find((w) => w.key === 'returning');
try {
  await seedReturningCustomer(app.chat, app.tg, returning);
} catch (err) {
  // The demo still works without it; say why so a broken purchase path is not hidden.
  console.error(`demo: could not make ${returning.first_name} a returning customer: ${err.message} (see ${logFile})`);
}

console.log(`Wavegate demo: open ${app.tg.url}/ to chat with your bot (Worker on ${app.url}, log in ${path.relative(process.cwd(), logFile)}; Ctrl-C stops)`);

// Ctrl-C: spawnApp's own signal handler stops wrangler and the stand-ins go with this process.
