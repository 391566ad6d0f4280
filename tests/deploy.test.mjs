// scripts/deploy against a fake wrangler (tests/fakes/wrangler-cli.mjs): the first run creates
// what is missing and writes the ids into both configs, a second run changes nothing, missing
// secrets and differing ids stop it before anything is created or deployed, and secrets from a
// file reach both Workers without their values in a command line or in the output.
//
// Each test copies what the script reads (scripts/, both wrangler configs, d1-migrations/,
// .dev.vars.example, shared/src/config.rs, package-lock.json) into a temp dir whose
// node_modules/.bin/wrangler is the fake; nothing is built (WAVEGATE_DEPLOY_SKIP_BUILD=1) and
// nothing reaches Cloudflare.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FAKE = path.join(REPO, 'tests', 'fakes', 'wrangler-cli.mjs');
const CONFIGS = ['wrangler.toml', 'wrangler.admin.toml'];
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** KEY=VALUE lines of a .dev.vars-style file, in order (empty values too). */
function readVars(file) {
  const vars = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^([A-Z][A-Z0-9_]*)=(.*)$/);
    if (m) vars.set(m[1], m[2]);
  }
  return vars;
}
/** The [vars] keys of a wrangler config. */
function varsKeys(text) {
  const section = text.split(/^\[vars\]\s*$/m)[1]?.split(/^\[/m)[0] ?? '';
  return [...section.matchAll(/^([A-Z][A-Z0-9_]*)\s*=/gm)].map((m) => m[1]);
}
/** Every queue a config names: producers, consumers and dead-letter queues. */
function queueNames(text) {
  return [...text.matchAll(/^\s*(?:queue|dead_letter_queue)\s*=\s*"([^"]+)"/gm)].map((m) => m[1]);
}

/** Every key .dev.vars.example documents that is not a [vars] entry: a complete set of secrets. */
function allSecretKeys() {
  const vars = new Set(CONFIGS.flatMap((f) => varsKeys(fs.readFileSync(path.join(REPO, f), 'utf8'))));
  return [...readVars(path.join(REPO, '.dev.vars.example')).keys()].filter((k) => !vars.has(k));
}
const workersWithSecrets = (keys) => ({
  wavegate: { secrets: Object.fromEntries(keys.map((k) => [k, sha256(`value of ${k}`)])), deployed: null },
  'wavegate-admin': { secrets: Object.fromEntries(keys.map((k) => [k, sha256(`value of ${k}`)])), deployed: null },
});

/** A temp copy of the repository with the fake wrangler first on the scripts' PATH. */
function sandbox(t, state = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wavegate-deploy-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const item of ['scripts', 'd1-migrations', ...CONFIGS, '.dev.vars.example', 'package-lock.json']) {
    fs.cpSync(path.join(REPO, item), path.join(dir, item), { recursive: true });
  }
  fs.mkdirSync(path.join(dir, 'shared', 'src'), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'shared', 'src', 'config.rs'), path.join(dir, 'shared', 'src', 'config.rs'));
  // node_modules: the pinned node, the real wrangler package (scripts/deploy reads the configs
  // with its TOML parser), the fake as the `wrangler` command, and lib.sh's install stamp.
  const bin = path.join(dir, 'node_modules', '.bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  fs.symlinkSync(path.join(REPO, 'node_modules', 'wrangler'), path.join(dir, 'node_modules', 'wrangler'));
  fs.writeFileSync(path.join(bin, 'wrangler'), `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" "$@"\n`, { mode: 0o755 });
  fs.writeFileSync(
    path.join(dir, 'node_modules', '.wavegate-lock.sha256'),
    `${sha256(fs.readFileSync(path.join(dir, 'package-lock.json')))}\n`,
  );
  const statePath = path.join(dir, 'fake-wrangler-state.json');
  const logPath = path.join(dir, 'fake-wrangler-log.json');
  fs.writeFileSync(statePath, JSON.stringify(state));
  return {
    dir,
    read: (file) => fs.readFileSync(path.join(dir, file), 'utf8'),
    write: (file, text) => fs.writeFileSync(path.join(dir, file), text),
    state: () => JSON.parse(fs.readFileSync(statePath, 'utf8')),
    log: () => (fs.existsSync(logPath) ? JSON.parse(fs.readFileSync(logPath, 'utf8')) : []),
    deploy(...args) {
      const env = { ...process.env, WAVEGATE_DEPLOY_SKIP_BUILD: '1', FAKE_WRANGLER_STATE: statePath, FAKE_WRANGLER_LOG: logPath };
      for (const key of ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'WAVEGATE_SECRETS_FROM']) delete env[key];
      const r = spawnSync('bash', ['scripts/deploy', ...args], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
      return { status: r.status, output: `${r.stdout}${r.stderr}`, stderr: r.stderr };
    },
  };
}

/** `d1 create wavegate`, `secret bulk`, `deploy`, ...: the words of a call, without flags and their values. */
function command(entry) {
  const words = [];
  for (let i = 0; i < entry.argv.length; i++) {
    const a = entry.argv[i];
    if (['--config', '-c', '--format', '--name'].includes(a)) i++;
    else if (!a.startsWith('-')) words.push(a);
  }
  return words.slice(0, 4).join(' ');
}
const creates = (log) => log.filter((e) => /^(d1 create|kv namespace create|queues create)\b/.test(command(e)));
const changes = (log) => log.filter((e) => /^(d1 create|kv namespace create|queues create|d1 migrations apply|deploy)\b/.test(command(e)) || /^secret (bulk|put)/.test(command(e)));
function assertCleanLog(log) {
  assert.deepEqual(log.filter((e) => e.violation || e.unsupported), [], 'no secret in argv, no command the fake does not know');
}
/** The text with every line that is not in the original removed, and what was removed. */
function inserted(original, text) {
  const before = original.split('\n');
  const added = [];
  const kept = [];
  let i = 0;
  for (const line of text.split('\n')) {
    if (line === before[i]) {
      kept.push(line);
      i++;
    } else {
      added.push(line);
    }
  }
  return { kept: kept.join('\n'), added };
}
const expectedQueues = () => [...new Set(CONFIGS.flatMap((f) => queueNames(fs.readFileSync(path.join(REPO, f), 'utf8'))))].sort();

test('the first deploy creates the D1 database, the KV namespace and every queue once, writes the same ids into both configs, then migrates and deploys the admin Worker before the main one', (t) => {
  const repo = sandbox(t, { workers: workersWithSecrets(allSecretKeys()) });
  const originals = Object.fromEntries(CONFIGS.map((f) => [f, repo.read(f)]));

  const run = repo.deploy();

  assert.equal(run.status, 0, run.output);
  const log = repo.log();
  assertCleanLog(log);
  const state = repo.state();
  assert.equal(state.d1.length, 1);
  assert.equal(state.d1[0].name, 'wavegate');
  assert.equal(state.kv.length, 1);
  assert.equal(state.kv[0].title, 'wavegate-kv');
  assert.deepEqual(state.queues.map((q) => q.queue_name).sort(), expectedQueues());
  const created = creates(log).map(command).sort();
  assert.deepEqual(created, ['d1 create wavegate', 'kv namespace create wavegate-kv', ...expectedQueues().map((q) => `queues create ${q}`)].sort());

  const [db, ns] = [state.d1[0].uuid, state.kv[0].id];
  for (const file of CONFIGS) {
    const { kept, added } = inserted(originals[file], repo.read(file));
    assert.equal(kept, originals[file], `${file}: nothing but the ids changed`);
    assert.deepEqual(added, [`database_id = "${db}"`, `id = "${ns}"`], file);
    assert.match(repo.read(file), new RegExp(`\\[\\[d1_databases\\]\\]\\nbinding = "DB"\\ndatabase_name = "wavegate"\\ndatabase_id = "${db}"\\n`));
    assert.match(repo.read(file), new RegExp(`\\[\\[kv_namespaces\\]\\]\\nbinding = "KV"\\nid = "${ns}"\\n`));
  }

  const at = (predicate) => log.findIndex(predicate);
  const lastCreate = Math.max(...creates(log).map((e) => log.indexOf(e)));
  const migrate = at((e) => command(e) === 'd1 migrations apply DB');
  const deployAdmin = at((e) => command(e) === 'deploy' && e.config === 'wrangler.admin.toml');
  const deployMain = at((e) => command(e) === 'deploy' && e.config === 'wrangler.toml');
  assert.ok(lastCreate < migrate && migrate < deployAdmin && deployAdmin < deployMain, `order: ${log.map(command).join(', ')}`);
  assert.ok(log[migrate].argv.includes('--remote'));
  assert.equal(log[migrate].database, db);
  assert.deepEqual(log[deployAdmin].deployed.d1, [db]);
  assert.deepEqual(log[deployMain].deployed.d1, [db]);
  assert.deepEqual(log[deployAdmin].deployed.kv, [ns]);
  assert.deepEqual(log[deployMain].deployed.kv, [ns]);
  assert.equal(log.filter((e) => command(e) === 'deploy').length, 2);
  assert.match(run.stderr, /==> deploying the admin console's Worker/);
});

test('a second deploy creates nothing and changes no file', (t) => {
  const repo = sandbox(t, { workers: workersWithSecrets(allSecretKeys()) });
  assert.equal(repo.deploy().status, 0);
  const files = Object.fromEntries(CONFIGS.map((f) => [f, repo.read(f)]));
  const resources = JSON.stringify({ d1: repo.state().d1, kv: repo.state().kv, queues: repo.state().queues });
  const calls = repo.log().length;

  const run = repo.deploy();

  assert.equal(run.status, 0, run.output);
  const again = repo.log().slice(calls);
  assertCleanLog(again);
  assert.deepEqual(creates(again), []);
  assert.ok(!again.some((e) => /^(d1 list|kv namespace list)/.test(command(e))), 'ids already in both files: no look-ups');
  for (const file of CONFIGS) assert.equal(repo.read(file), files[file], file);
  assert.equal(JSON.stringify({ d1: repo.state().d1, kv: repo.state().kv, queues: repo.state().queues }), resources);
  assert.deepEqual(again.filter((e) => command(e) === 'deploy').map((e) => e.config), ['wrangler.admin.toml', 'wrangler.toml']);
});

test('resources that already exist are found by name and their ids written, not created again', (t) => {
  const queues = expectedQueues();
  const [missingQueue, unlistedQueue, ...listed] = queues;
  const repo = sandbox(t, {
    workers: workersWithSecrets(allSecretKeys()),
    d1: [{ uuid: '11111111-2222-4333-8444-555555555555', name: 'wavegate' }],
    kv: [{ id: 'aaaabbbbccccddddeeeeffff00001111', title: 'wavegate-kv' }, { id: 'ffffeeeeddddccccbbbbaaaa99998888', title: 'KV' }],
    // One queue exists but is not on the first page `queues list` shows.
    queues: [unlistedQueue, ...listed].map((name, i) => ({ queue_id: `q${i}`, queue_name: name })),
    unlistedQueues: [unlistedQueue],
  });

  const run = repo.deploy();

  assert.equal(run.status, 0, run.output);
  const log = repo.log();
  assertCleanLog(log);
  assert.deepEqual(creates(log).map(command), [`queues create ${missingQueue}`]);
  assert.ok(log.some((e) => command(e) === `queues info ${unlistedQueue}`));
  for (const file of CONFIGS) {
    assert.match(repo.read(file), /database_id = "11111111-2222-4333-8444-555555555555"/, file);
    assert.match(repo.read(file), /\nid = "aaaabbbbccccddddeeeeffff00001111"/, file);
  }
});

test('queues added to either config later (a producer, a consumer, a dead-letter queue) are created by the next deploy', (t) => {
  const repo = sandbox(t, { workers: workersWithSecrets(allSecretKeys()) });
  assert.equal(repo.deploy().status, 0);
  const calls = repo.log().length;
  repo.write('wrangler.toml', `${repo.read('wrangler.toml')}
[[queues.producers]]
binding = "AUDIT"
queue = "wavegate-test-audit"

[[queues.consumers]]
queue = "wavegate-test-audit"
dead_letter_queue = "wavegate-test-audit-dlq"
`);
  repo.write('wrangler.admin.toml', `${repo.read('wrangler.admin.toml')}
[[queues.producers]]
binding = "ADMIN_ONLY"
queue = "wavegate-test-admin-only"
`);

  const run = repo.deploy();

  assert.equal(run.status, 0, run.output);
  const again = repo.log().slice(calls);
  assertCleanLog(again);
  assert.deepEqual(
    creates(again).map(command).sort(),
    ['queues create wavegate-test-admin-only', 'queues create wavegate-test-audit', 'queues create wavegate-test-audit-dlq'],
  );
});

test('a required secret missing on one Worker stops the deploy before anything is created or deployed', (t) => {
  const workers = workersWithSecrets(allSecretKeys());
  delete workers['wavegate-admin'].secrets.REMNAWAVE_TOKEN;
  const repo = sandbox(t, { workers });
  const files = Object.fromEntries(CONFIGS.map((f) => [f, repo.read(f)]));

  const run = repo.deploy();

  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /on wavegate-admin \(wrangler\.admin\.toml\): REMNAWAVE_TOKEN\n/);
  assert.match(run.stderr, /wrangler secret put REMNAWAVE_TOKEN -c wrangler\.admin\.toml\n/);
  assert.doesNotMatch(run.stderr, /secret put REMNAWAVE_TOKEN\n/, 'the main Worker has it');
  assert.doesNotMatch(run.stderr, /on wavegate \(/);
  assert.deepEqual(changes(repo.log()).map(command), []);
  for (const file of CONFIGS) assert.equal(repo.read(file), files[file]);
});

test('on a fresh account a secrets file without a required key puts the others and stops, naming the key and no value', (t) => {
  const repo = sandbox(t);
  const secrets = { TELEGRAM_BOT_TOKEN: `123:${randomBytes(12).toString('hex')}`, TELEGRAM_WEBHOOK_SECRET: randomBytes(16).toString('hex'), BOT_USERNAME: 'ShopTestBot', REMNAWAVE_URL: 'https://panel.shop.test' };
  repo.write('.dev.vars.production', Object.entries(secrets).map(([k, v]) => `${k}=${v}`).join('\n'));
  repo.write('fake-wrangler-state.json', JSON.stringify({ forbidden: Object.values(secrets) }));

  const run = repo.deploy('--secrets-from', '.dev.vars.production');

  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /on wavegate \(wrangler\.toml\): REMNAWAVE_TOKEN\n/);
  assert.match(run.stderr, /on wavegate-admin \(wrangler\.admin\.toml\): REMNAWAVE_TOKEN\n/);
  assert.match(run.stderr, /npx wrangler secret put REMNAWAVE_TOKEN\n/);
  assert.match(run.stderr, /npx wrangler secret put REMNAWAVE_TOKEN -c wrangler\.admin\.toml\n/);
  for (const value of Object.values(secrets)) assert.ok(!run.output.includes(value), 'no value in the output');
  const log = repo.log();
  assertCleanLog(log);
  assert.deepEqual(changes(log).map(command), ['secret bulk', 'secret bulk']);
  assert.equal(repo.read('wrangler.toml'), fs.readFileSync(path.join(REPO, 'wrangler.toml'), 'utf8'));
});

test('ids that differ between wrangler.toml and wrangler.admin.toml are refused before any wrangler call', (t) => {
  const repo = sandbox(t, { workers: workersWithSecrets(allSecretKeys()) });
  const withId = (file, id) => repo.write(file, repo.read(file).replace('database_name = "wavegate"\n', `database_name = "wavegate"\ndatabase_id = "${id}"\n`));
  withId('wrangler.toml', '11111111-1111-4111-8111-111111111111');
  withId('wrangler.admin.toml', '22222222-2222-4222-8222-222222222222');
  const files = Object.fromEntries(CONFIGS.map((f) => [f, repo.read(f)]));

  const run = repo.deploy();

  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /D1 DB: database_id 11111111-1111-4111-8111-111111111111 in wrangler\.toml, 22222222-2222-4222-8222-222222222222 in wrangler\.admin\.toml/);
  assert.deepEqual(repo.log(), []);
  for (const file of CONFIGS) assert.equal(repo.read(file), files[file]);
});

test('--secrets-from puts every secret on both Workers through stdin, never in a command line or the output', (t) => {
  const repo = sandbox(t);
  const keys = allSecretKeys();
  const values = Object.fromEntries(keys.map((k) => [k, `${k.toLowerCase()}-${randomBytes(9).toString('base64url')}`]));
  values.ADMIN_TELEGRAM_IDS = '';                    // empty: not a secret (it counts as missing)
  values.TRIAL_DAYS = '5';                           // a [vars] key: left to the configs
  values.SUPPORT_CONTACT = `"@help_${randomBytes(4).toString('hex')}"`; // quoted, as .dev.vars allows
  repo.write('prod.vars', `# production\n${Object.entries(values).map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
  const secret = Object.entries(values).filter(([k, v]) => v && k !== 'TRIAL_DAYS');
  const plain = (v) => v.replace(/^"(.*)"$/, '$1');
  repo.write('fake-wrangler-state.json', JSON.stringify({ forbidden: secret.map(([, v]) => plain(v)) }));

  const run = repo.deploy('--secrets-from', 'prod.vars');

  assert.equal(run.status, 0, run.output);
  const log = repo.log();
  assertCleanLog(log);
  const puts = log.filter((e) => command(e) === 'secret bulk');
  assert.deepEqual(puts.map((e) => e.worker), ['wavegate', 'wavegate-admin']);
  for (const put of puts) assert.deepEqual(put.secretKeys.sort(), secret.map(([k]) => k).sort());
  const state = repo.state();
  for (const worker of ['wavegate', 'wavegate-admin']) {
    assert.deepEqual(state.workers[worker].secrets, Object.fromEntries(secret.map(([k, v]) => [k, sha256(plain(v))])), worker);
    assert.ok(state.workers[worker].deployed, `${worker} deployed`);
  }
  const logText = fs.readFileSync(path.join(repo.dir, 'fake-wrangler-log.json'), 'utf8');
  for (const [key, value] of secret) {
    assert.ok(!run.output.includes(plain(value)), `${key}'s value is not in the output`);
    assert.ok(!logText.includes(plain(value)), `${key}'s value is in no command line`);
  }
  assert.match(run.stderr, /not put as secrets \(they are \[vars\] in the configs; change them there\): TRIAL_DAYS/);
});

test('--secrets-from refuses a file that still holds the example placeholders, before putting anything', (t) => {
  const repo = sandbox(t);

  const run = repo.deploy('--secrets-from', '.dev.vars.example');

  assert.notEqual(run.status, 0);
  const refusal = run.stderr.match(/still holds the example's placeholder for ([A-Z0-9_, ]+):/);
  assert.ok(refusal, run.output);
  for (const key of ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'BOT_USERNAME', 'REMNAWAVE_URL', 'REMNAWAVE_TOKEN']) {
    assert.ok(refusal[1].split(', ').includes(key), key);
  }
  assert.deepEqual(changes(repo.log()), []);
});

test('the required keys are the ones shared/src/config.rs requires', (t) => {
  const repo = sandbox(t, { workers: workersWithSecrets(allSecretKeys()) });
  const config = repo.read('shared/src/config.rs');
  const anchor = 'let trial = TrialConfig {';
  assert.ok(config.includes(anchor));
  repo.write('shared/src/config.rs', config.replace(anchor, `let _dsn = p.required_secret("EXTRA_REQUIRED_KEY");\n        ${anchor}`));

  const run = repo.deploy();

  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /required: TELEGRAM_BOT_TOKEN, [^)]*\bEXTRA_REQUIRED_KEY\b/);
  assert.match(run.stderr, /on wavegate \(wrangler\.toml\): EXTRA_REQUIRED_KEY\n/);
  assert.match(run.stderr, /npx wrangler secret put EXTRA_REQUIRED_KEY -c wrangler\.admin\.toml\n/);
  assert.deepEqual(changes(repo.log()), []);
});
