// scripts/set-webhook against the Telegram fake: the webhook with its secret, the command lists
// in four languages and for the admins, and the menu button opening the cabinet as a Mini App.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { startTelegramFake } from './fakes/telegram.mjs';
import { REPO_ROOT } from './helpers/app.mjs';

test('set-webhook registers the webhook, the commands and the Mini App menu button', async () => {
  const tg = await startTelegramFake();
  try {
    const env = {
      ...process.env, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_WEBHOOK_SECRET: 'test-secret_1', TELEGRAM_API_BASE: tg.url,
      ADMIN_TELEGRAM_IDS: '900001', PUBLIC_BASE_URL: 'https://shop.example',
    };
    await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'scripts/set-webhook.mjs'), 'https://worker.example'], { env, cwd: '/tmp' });
    const hook = tg.calls.find((c) => c.method === 'setWebhook');
    assert.equal(hook.body.url, 'https://worker.example/telegram/webhook');
    assert.equal(hook.body.secret_token, 'test-secret_1');
    const commands = tg.calls.filter((c) => c.method === 'setMyCommands');
    assert.deepEqual(commands.map((c) => c.body.language_code ?? c.body.scope?.chat_id ?? 'en'), ['en', 'ru', 'hi', 'id', 900001]);
    const menu = tg.calls.find((c) => c.method === 'setChatMenuButton');
    assert.deepEqual(menu.body.menu_button.web_app, { url: 'https://shop.example/app/' });
  } finally {
    await tg.close();
  }
});
