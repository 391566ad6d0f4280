// `scripts/dev`'s demo through its real entry point (tests/fakes/demo.mjs): it starts, prints the
// one line, has made a returning customer through a real Stars purchase, keeps its configuration
// out of .dev.vars, and Ctrl-C stops the Worker with it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './helpers/app.mjs';

const freePort = () => new Promise((resolve) => {
  const srv = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
});

test('the demo prints where to chat, with a returning customer already served, and stops on Ctrl-C', { timeout: 180_000 }, async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wavegate-demo-'));
  const devVars = path.join(REPO_ROOT, '.dev.vars');
  const devVarsBefore = existsSync(devVars) ? await fs.readFile(devVars, 'utf8') : null;
  const port = await freePort();
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'tests/fakes/demo.mjs'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), CHAT_PORT: '0', DEMO_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  try {
    const deadline = Date.now() + 150_000;
    while (!/\n/.test(out) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 1, `one line expected, got:\n${out}\nstderr:\n${err}`);
    const m = /^Wavegate demo: open (http:\/\/127\.0\.0\.1:\d+)\/ to chat with your bot/.exec(lines[0]);
    assert.ok(m, lines[0]);
    assert.equal(err, '', 'nothing on stderr');
    const chatUrl = m[1];

    const page = await fetch(`${chatUrl}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Wavegate demo chat<\/title>/);

    // Maria (700002) bought through the buttons: her chat has the payment, the link and the QR.
    const { events } = await (await fetch(`${chatUrl}/api/events?chat=700002&after=0&wait=0`)).json();
    assert.ok(events.some((e) => e.type === 'invoice'), 'an invoice');
    assert.ok(events.some((e) => e.type === 'service' && /You paid ⭐\d+/.test(e.text)), 'a payment');
    const qr = events.find((e) => e.type === 'message' && e.photo);
    assert.ok(qr, 'the QR photo');
    assert.equal((await fetch(chatUrl + qr.photo)).headers.get('content-type'), 'image/png');
    const panel = await (await fetch(`${chatUrl}/api/panel`)).json();
    assert.ok(panel.users.some((u) => u.username === 'tg_700002' && u.status === 'ACTIVE'), JSON.stringify(panel.users));

    // The Worker's configuration is the demo's own file, pointing at the stand-ins.
    const vars = await fs.readFile(path.join(dir, 'demo.vars'), 'utf8');
    assert.match(vars, new RegExp(`^TELEGRAM_API_BASE=${chatUrl}$`, 'm'));
    assert.match(vars, /^REMNAWAVE_URL=http:\/\/127\.0\.0\.1:\d+$/m);
    assert.equal(existsSync(devVars) ? await fs.readFile(devVars, 'utf8') : null, devVarsBefore, '.dev.vars untouched');

    child.kill('SIGINT');
    await once(child, 'exit');
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`), 'the Worker stopped with the demo');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await fs.rm(dir, { recursive: true, force: true });
  }
});
