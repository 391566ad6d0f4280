// A stand-in for the `wrangler` CLI (4.x) for tests/deploy.test.mjs: scripts/deploy runs it
// instead of the real one (through a shell shim first on PATH) and never reaches Cloudflare.
//
// It answers the commands scripts/deploy uses with what wrangler 4.164 prints: the same JSON for
// `d1 list --json`, `kv namespace list` and `secret list --format json`; the same banner, text
// and config snippet for `d1 create`, `kv namespace create`, `queues create`, `queues info` and
// `queues list` (a table); the same errors on stderr, with the same colour codes ("A database
// with that name already exists", `Queue "x" does not exist.`, "queue name already taken
// [code: 11009]", `Worker "x" not found.`) and exit status 1. (Captured from wrangler 4.164.0
// itself, run against a stand-in Cloudflare API through CLOUDFLARE_API_BASE_URL.)
//
// State persists between calls in the JSON file FAKE_WRANGLER_STATE:
//   { d1: [{uuid, name}], kv: [{id, title}], queues: [{queue_id, queue_name}],
//     workers: { <name>: { secrets: { KEY: sha256(value) }, deployed: {...} | null } },
//     unlistedQueues: [names `queues list` leaves out, as a later page would],
//     forbidden: [strings that must never appear in a command line] }
// Every call is appended to the JSON array in FAKE_WRANGLER_LOG: { argv, config, worker,
// secretKeys (what `secret bulk`/`put` received on stdin, names only), violation? }.
// A command line carrying a forbidden string is recorded with `violation` and fails (exit 97).
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';

const statePath = process.env.FAKE_WRANGLER_STATE;
const logPath = process.env.FAKE_WRANGLER_LOG;
if (!statePath || !logPath) {
  process.stderr.write('fake wrangler: FAKE_WRANGLER_STATE and FAKE_WRANGLER_LOG must be set\n');
  process.exit(2);
}

const VERSION = '4.164.0';
const BANNER = `\n ⛅️ wrangler ${VERSION}\n────────────────────\n`;
const ACCOUNT = 'f00dfeedf00dfeedf00dfeedf00dfeed';

const argv = process.argv.slice(2);
const state = readJson(statePath, {});
state.d1 ??= [];
state.kv ??= [];
state.queues ??= [];
state.workers ??= {};
state.unlistedQueues ??= [];
state.forbidden ??= [];

const flags = new Set(argv.filter((a) => a.startsWith('-')));
const positional = [];
let configFile = 'wrangler.toml';
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--config' || a === '-c') configFile = argv[++i];
  else if (a.startsWith('--config=')) configFile = a.slice('--config='.length);
  else if (a === '--format' || a === '--name') i++;
  else if (!a.startsWith('-')) positional.push(a);
}
const entry = { argv, config: configFile };

function readJson(file, fallback) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : fallback;
}
function finish(code) {
  writeFileSync(statePath, JSON.stringify(state, null, 2));
  const log = readJson(logPath, []);
  log.push(entry);
  writeFileSync(logPath, JSON.stringify(log, null, 2));
  process.exit(code);
}
const out = (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
// wrangler's error block: red ✘ [ERROR], the message in bold, details indented, the log line.
function error(message, details = '') {
  process.stderr.write(
    `\x1b[31m✘ \x1b[41;31m[\x1b[41;97mERROR\x1b[41;31m]\x1b[0m \x1b[1m${message}\x1b[0m\n\n` +
      (details ? `${details.replace(/^/gm, '  ')}\n` : '') +
      `\n🪵  Logs were written to "/tmp/fake-wrangler/logs/wrangler.log"\n`,
  );
  finish(1);
}
const apiError = (route, message, code) =>
  error(
    `A request to the Cloudflare API (/accounts/${ACCOUNT}${route}) failed.`,
    `${message} [code: ${code}]\n\nIf you think this is a bug, please open an issue at: https://github.com/cloudflare/workers-sdk/issues/new/choose`,
  );
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const hex32 = () => randomUUID().replaceAll('-', '');

// The few TOML facts the fake needs, read the simple way (the real parser is scripts/deploy's).
function readConfig(file) {
  if (!existsSync(file)) error(`Could not read file: ${file}`);
  const text = readFileSync(file, 'utf8');
  const blocks = [];
  let current = { header: '', lines: [] };
  for (const line of text.split('\n')) {
    const h = line.match(/^\s*\[\[?\s*([^\]\s]+)\s*\]\]?/);
    if (h) blocks.push((current = { header: h[1], lines: [] }));
    else current.lines.push(line);
  }
  const value = (block, key) => {
    for (const line of block.lines) {
      const m = line.match(new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`));
      if (m) return m[1];
    }
    return undefined;
  };
  return {
    name: text.match(/^name\s*=\s*"([^"]+)"/m)?.[1],
    d1: blocks.filter((b) => b.header === 'd1_databases').map((b) => ({
      binding: value(b, 'binding'), name: value(b, 'database_name'), id: value(b, 'database_id'),
      migrations: value(b, 'migrations_dir') ?? 'migrations',
    })),
    kv: blocks.filter((b) => b.header === 'kv_namespaces').map((b) => ({ binding: value(b, 'binding'), id: value(b, 'id') })),
    queues: [...text.matchAll(/^\s*(?:queue|dead_letter_queue)\s*=\s*"([^"]+)"/gm)].map((m) => m[1]),
  };
}
function table(rows) {
  const head = Object.keys(rows[0] ?? { id: '', name: '' });
  const width = head.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (l, m, r) => `${l}${width.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const row = (cells) => `│${cells.map((c, i) => ` ${String(c).padEnd(width[i])} `).join('│')}│`;
  return [line('┌', '┬', '┐'), row(head), line('├', '┼', '┤'), ...rows.map((r) => row(head.map((k) => r[k]))), line('└', '┴', '┘')].join('\n');
}
async function stdin() {
  if (process.stdin.isTTY) return '';
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}
function parseSecrets(text) {
  try {
    return JSON.parse(text);
  } catch {
    const vars = {};
    for (const line of text.split('\n')) {
      const m = line.match(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/);
      if (m) vars[m[1]] = m[2].replace(/^(["'])(.*)\1$/, '$2');
    }
    return vars;
  }
}

// --- no secret value in any command line ---------------------------------------------------------
const leaked = state.forbidden.filter((value) => argv.some((a) => a.includes(value)));
if (leaked.length) {
  entry.violation = 'a secret value in the command line';
  process.stderr.write('fake wrangler: a secret value was passed in the command line\n');
  finish(97);
}

const [group, command, sub] = positional;
const key = (positional.length >= 2 && ['kv', 'd1'].includes(group) && ['namespace', 'migrations', 'time-travel'].includes(command))
  ? `${group} ${command} ${sub}` : `${group} ${command ?? ''}`.trim();

if (flags.has('--version') || flags.has('-v')) {
  out(VERSION);
  finish(0);
}

switch (key) {
  case 'secret list': {
    const name = readConfig(configFile).name;
    entry.worker = name;
    const worker = state.workers[name];
    if (!worker) {
      error(`Worker "${name}" not found.`, `\nIf this is a new Worker, run \`wrangler deploy\` first to create it.\nOtherwise, check that the Worker name is correct and you're logged into the right account.`);
    }
    out(JSON.stringify(Object.keys(worker.secrets).map((n) => ({ name: n, type: 'secret_text' })), null, '  '));
    finish(0);
    break;
  }
  case 'secret bulk':
  case 'secret put': {
    const name = readConfig(configFile).name;
    entry.worker = name;
    const file = positional[2];
    const text = key === 'secret bulk' && file ? readFileSync(file, 'utf8') : await stdin();
    const secrets = key === 'secret put' ? { [file]: text.replace(/\s+$/, '') } : parseSecrets(text);
    entry.secretKeys = Object.keys(secrets);
    out(BANNER);
    if (key === 'secret bulk') out(`🌀 Processing the secrets for the Worker "${name}"`);
    else out(`🌀 Creating the secret for the Worker "${name}"`);
    if (!state.workers[name]) {
      out(`? There doesn't seem to be a Worker called "${name}". Do you want to create a new Worker with that name and add secrets to it?\n🤖 Using fallback value in non-interactive context: yes\n🌀 Creating new Worker "${name}"...`);
      state.workers[name] = { secrets: {}, deployed: null };
    }
    for (const [k, v] of Object.entries(secrets)) {
      if (typeof v !== 'string') error(`The value for "${k}" in "piped input" is not null or a "string" instead it is of type "${typeof v}"`);
      state.workers[name].secrets[k] = sha256(v);
    }
    if (key === 'secret bulk') {
      for (const k of Object.keys(secrets)) out(`✨ Successfully created secret for key: ${k}`);
      out(`\nFinished processing secrets file:\n✨ ${Object.keys(secrets).length} secrets successfully created`);
    } else {
      out(`✨ Success! Uploaded secret ${file}`);
    }
    finish(0);
    break;
  }
  case 'd1 list': {
    const dbs = state.d1.map((db) => ({ uuid: db.uuid, name: db.name, created_at: '2026-01-01T00:00:00.000Z', version: 'production', num_tables: 0, file_size: 12288 }));
    if (flags.has('--json')) out(JSON.stringify(dbs, null, 2));
    else out(BANNER + table(dbs));
    finish(0);
    break;
  }
  case 'd1 create': {
    const name = positional[2];
    out(BANNER);
    if (state.d1.some((db) => db.name === name)) error('A database with that name already exists');
    const db = { uuid: randomUUID(), name };
    state.d1.push(db);
    entry.created = { d1: db.uuid };
    out(`✅ Successfully created DB '${name}' in region WEUR\nCreated your new D1 database.\n\nTo access your new D1 Database in your Worker, add the following snippet to your configuration file:\n[[d1_databases]]\nbinding = "${name.replace(/[\s-]/g, '_')}"\ndatabase_name = "${name}"\ndatabase_id = "${db.uuid}"\n`);
    finish(0);
    break;
  }
  case 'kv namespace list': {
    out(JSON.stringify(state.kv.map((ns) => ({ id: ns.id, title: ns.title, supports_url_encoding: true })), null, '  '));
    finish(0);
    break;
  }
  case 'kv namespace create': {
    const title = positional[3];
    out(`${BANNER}Resource location: remote \n\n🌀 Creating namespace with title "${title}"`);
    if (state.kv.some((ns) => ns.title === title)) {
      error(`A KV namespace with the title "${title}" already exists.`, `\nYou can list existing namespaces with their IDs by running:\n  wrangler kv namespace list\n\nOr choose a different namespace name.`);
    }
    const ns = { id: hex32(), title };
    state.kv.push(ns);
    entry.created = { kv: ns.id };
    out(`✨ Success!\nTo access your new KV Namespace in your Worker, add the following snippet to your configuration file:\n[[kv_namespaces]]\nbinding = "${title.replace(/[\s-]/g, '_')}"\nid = "${ns.id}"\n`);
    finish(0);
    break;
  }
  case 'queues list': {
    const rows = state.queues
      .filter((q) => !state.unlistedQueues.includes(q.queue_name))
      .map((q) => ({ id: q.queue_id, name: q.queue_name, created_on: '2026-01-01T00:00:00Z', modified_on: '2026-01-01T00:00:00Z', producers: '0', consumers: '0' }));
    out(BANNER + table(rows));
    finish(0);
    break;
  }
  case 'queues info': {
    const name = positional[2];
    out(BANNER);
    const q = state.queues.find((x) => x.queue_name === name);
    if (!q) error(`Queue "${name}" does not exist. To create it, run: wrangler queues create ${name}`);
    out(`Queue Name: ${q.queue_name}\nQueue ID: ${q.queue_id}\nCreated On: 2026-01-01T00:00:00Z\nLast Modified: 2026-01-01T00:00:00Z\nNumber of Producers: 0\nNumber of Consumers: 0`);
    finish(0);
    break;
  }
  case 'queues create': {
    const name = positional[2];
    out(`${BANNER}🌀 Creating queue '${name}'`);
    if (state.queues.some((q) => q.queue_name === name)) apiError('/queues', 'queue name already taken', 11009);
    const q = { queue_id: hex32(), queue_name: name };
    state.queues.push(q);
    entry.created = { queue: name };
    const binding = name.replace(/[\s-]/g, '_');
    out(`✅ Created queue '${name}'\n\nConfigure your Worker to send messages to this queue:\n\n[[queues.producers]]\nqueue = "${name}"\nbinding = "${binding}"\n\nConfigure your Worker to consume messages from this queue:\n\n[[queues.consumers]]\nqueue = "${name}"\n`);
    finish(0);
    break;
  }
  case 'd1 migrations apply': {
    const target = positional[3];
    const config = readConfig(configFile);
    const db = config.d1.find((d) => d.binding === target || d.name === target);
    out(`${BANNER}Resource location: remote \n`);
    if (!db) error(`Couldn't find a D1 DB with the name or binding '${target}' in your ${path.basename(configFile)} file.`);
    if (!flags.has('--remote')) error('fake wrangler: scripts/deploy must apply migrations with --remote');
    // Real wrangler 4 would provision a database of its own for a binding without an id.
    if (!db.id || !state.d1.some((d) => d.uuid === db.id)) error(`fake wrangler: D1 binding ${target} has no database_id of an existing database (${db.id ?? 'none'})`);
    entry.database = db.id;
    const files = existsSync(db.migrations) ? readdirSync(db.migrations).filter((f) => f.endsWith('.sql')).sort() : [];
    out(`Migrations to be applied:\n${table(files.map((name) => ({ name })))}\n🌀 Executing on remote database ${db.name} (${db.id}):\n✅ Applied ${files.length} migrations.`);
    finish(0);
    break;
  }
  case 'deploy': {
    const config = readConfig(configFile);
    entry.worker = config.name;
    out(BANNER);
    if (flags.has('--dry-run')) error('fake wrangler: scripts/deploy must not dry-run');
    // What real wrangler 4 would do silently (provision separate resources) is an error here.
    for (const d of config.d1) {
      if (!d.id || !state.d1.some((x) => x.uuid === d.id)) error(`fake wrangler: ${configFile}: D1 binding ${d.binding} has no database_id of an existing database`);
    }
    for (const n of config.kv) {
      if (!n.id || !state.kv.some((x) => x.id === n.id)) error(`fake wrangler: ${configFile}: KV binding ${n.binding} has no id of an existing namespace`);
    }
    for (const q of config.queues) {
      if (!state.queues.some((x) => x.queue_name === q)) apiError(`/queues?name=${q}`, `Queue "${q}" does not exist.`, 11000);
    }
    const deployed = { d1: config.d1.map((d) => d.id), kv: config.kv.map((n) => n.id), queues: config.queues };
    state.workers[config.name] ??= { secrets: {}, deployed: null };
    state.workers[config.name].deployed = deployed;
    entry.deployed = deployed;
    out(`Total Upload: 1024.00 KiB / gzip: 420.00 KiB\nUploaded ${config.name} (2.00 sec)\nDeployed ${config.name} triggers (0.50 sec)\nCurrent Version ID: ${randomUUID()}`);
    finish(0);
    break;
  }
  default:
    entry.unsupported = true;
    process.stderr.write(`fake wrangler: unsupported command: wrangler ${argv.join(' ')}\n`);
    finish(2);
}
