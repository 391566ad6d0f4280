// A strict fake of the Remnawave panel 3.x HTTP API, for integration tests.
//
// It behaves like the real panel where Wavegate can observe a difference
// (see /work/shared/specs/remnawave-api.md):
//   * requests without `X-Forwarded-For` / `X-Forwarded-Proto: https` get their
//     socket destroyed, with no HTTP response (the panel's proxy check);
//   * unknown routes: Express 404; wrong bearer token: Nest 401;
//   * path params, query and body are validated with the zod schemas shipped in
//     `@remnawave/backend-contract` (the panel's own contract), failures give the
//     nestjs-zod 400 shape; business errors use the contract's ERRORS table;
//   * success bodies are `{"response": ...}`, DELETE is 204 with no body.
// Routes are taken from the contract's commands (their URL and method), so the
// precedence of e.g. `/api/users/stream` over `/api/users/:userId` is right.
// Contract routes this fake does not implement answer 501 so a test author
// notices at once.
//
// State lives in plain objects the test can read and change directly:
// `panel.users` (Map id -> user exactly as the panel returns it),
// `panel.squads`, `panel.nodes`, `panel.devices`, `panel.version`.

import http from 'node:http';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import contract from '@remnawave/backend-contract';

const { ERRORS, USERS_STATUS } = contract;

export const DEFAULT_SQUAD_UUID = 'a1b2c3d4-0000-4000-8000-000000000001';
export const SUBSCRIPTION_BASE = 'https://sub.example.test';
const DAY_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------- helpers

const iso = (d = new Date()) => new Date(d).toISOString();

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomString(length) {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}

// Small deterministic PRNG (mulberry32) for seeded fault injection.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An error that becomes an HTTP response. */
class HttpError extends Error {
  constructor(status, body, headers = {}) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** A business error from the contract's ERRORS table, in the panel's filter shape. */
function panelError(err, path) {
  return new HttpError(err.httpCode, {
    timestamp: iso(),
    path,
    message: err.message,
    errorCode: err.code,
  });
}

// ------------------------------------------------------------- factories

/** A full internal squad object (InternalSquadSchema). */
export function makeSquad(overrides = {}) {
  const now = iso();
  const profileUuid = randomUUID();
  return {
    uuid: DEFAULT_SQUAD_UUID,
    viewPosition: 0,
    name: 'Default-Squad',
    tags: [],
    info: { membersCount: 0, inboundsCount: 1 },
    inbounds: [
      {
        uuid: randomUUID(),
        profileUuid,
        tag: 'VLESS_REALITY',
        type: 'vless',
        network: 'tcp',
        security: 'reality',
        port: 443,
        rawInbound: null,
      },
    ],
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

let nextNodeId = 1;
/** A full node object (NodesSchema); connected and enabled unless overridden. */
export function makeNode(overrides = {}) {
  const now = iso();
  const id = nextNodeId++;
  return {
    uuid: randomUUID(),
    id,
    name: `Node-${id}`,
    address: `10.0.0.${id}`,
    port: 2222,
    proxyUrl: null,
    isConnected: true,
    isDisabled: false,
    isConnecting: false,
    lastStatusChange: now,
    lastStatusMessage: null,
    isTrafficTrackingActive: false,
    trafficResetDay: null,
    trafficLimitBytes: null,
    trafficUsedBytes: 0,
    notifyPercent: null,
    viewPosition: id,
    countryCode: 'DE',
    consumptionMultiplier: 1,
    nodeConsumptionMultiplier: 1,
    tags: [],
    integrationUuids: [],
    ips: [{ ip: `10.0.0.${id}`, status: 'INBOUND' }],
    createdAt: now,
    updatedAt: now,
    configProfile: { activeConfigProfileUuid: null, activeInbounds: [] },
    providerUuid: null,
    provider: null,
    activePluginUuid: null,
    system: null,
    versions: { xray: '25.9.11', node: '2.1.0' },
    xrayUptime: 3600,
    usersOnline: 0,
    note: null,
    ...overrides,
  };
}

/** A HWID device object (HwidUserDeviceSchema). */
export function makeDevice(userId, overrides = {}) {
  const now = iso();
  return {
    hwid: randomString(16),
    userId,
    platform: 'Android',
    osVersion: '15',
    deviceModel: 'Pixel 9',
    userAgent: 'v2rayNG/1.10.0',
    requestIp: '203.0.113.7',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

// ------------------------------------------------------------ the server

/**
 * Start the fake panel on 127.0.0.1 (random port).
 * @param {{token?: string, version?: string}} [opts]
 */
export async function startRemnawaveFake({ token = 'test-panel-token', version = '3.4.4' } = {}) {
  let nextUserId = 1;
  let failQueue = []; // kinds for the next N requests
  let failRate = null; // { p, kind, random }
  let isDown = false;

  const panel = {
    url: '',
    token,
    version,
    calls: [],
    droppedConnections: 0,
    users: new Map(),
    squads: [makeSquad()],
    nodes: [makeNode({ name: 'DE-Frankfurt-1' }), makeNode({ name: 'NL-Amsterdam-1', countryCode: 'NL' })],
    devices: new Map(),

    /** Fail the next `n` answered requests with `kind` (HTTP status number or 'reset'). */
    failNext(n = 1, kind = 500) {
      for (let i = 0; i < n; i++) failQueue.push(kind);
    },
    /** Fail a random fraction `p` of requests; pass `seed` for a reproducible sequence. */
    setFailRate(p, kind = 500, seed) {
      failRate = p > 0 ? { p, kind, random: seed === undefined ? Math.random : mulberry32(seed) } : null;
    },
    /** While down, every request gets 503. */
    down() {
      isDown = true;
    },
    up() {
      isDown = false;
    },
    /** Forget recorded calls and the dropped-connection count (state and faults are kept). */
    reset() {
      panel.calls.length = 0;
      panel.droppedConnections = 0;
    },
    /** Cancel failNext / setFailRate / down. */
    clearFaults() {
      failQueue = [];
      failRate = null;
      isDown = false;
    },
    /** Calls whose path matches (string equality or RegExp), optionally by method. */
    callsTo(path, method) {
      return panel.calls.filter(
        (c) => (path instanceof RegExp ? path.test(c.path) : c.path === path) && (!method || c.method === method),
      );
    },
    /**
     * Put a user straight into the panel's state (no HTTP, no validation).
     * Defaults: username `user_<id>`, expiry in 30 days, the first squad.
     * Any user field may be overridden, e.g. `{ status: 'EXPIRED', telegramId: 42 }`.
     */
    addUser(overrides = {}) {
      const id = nextUserId++;
      const user = buildUser(id, {
        username: overrides.username ?? `user_${id}`,
        expireAt: overrides.expireAt ?? new Date(Date.now() + 30 * DAY_MS),
        activeInternalSquads: panel.squads.slice(0, 1).map((s) => s.uuid),
      });
      for (const [key, value] of Object.entries(overrides)) user[key] = value instanceof Date ? iso(value) : value;
      user.id = id;
      if (overrides.shortUuid && !overrides.subscriptionUrl) user.subscriptionUrl = `${SUBSCRIPTION_BASE}/${user.shortUuid}`;
      panel.users.set(id, user);
      return user;
    },
    /**
     * A webhook delivery as the panel sends it (remnawave-api.md §8): the compact JSON body
     * `{scope, event, timestamp, data, meta?}` and its headers, the signature being hex
     * HMAC-SHA256 of those bytes with `secret`. `timestamp` may be moved to test the window.
     */
    // A webhook delivery as the panel sends it, checked against the contract's
    // RemnawaveWebhookEventSchema so the Worker is only tested on shapes the panel can send
    // (`{ malformed: true }` skips the check, for the tests of garbage).
    signedEvent(secret, event, data, { meta, timestamp = new Date().toISOString(), malformed = false } = {}) {
      const scope = event.split('.')[0];
      const body = { scope, event, timestamp, data };
      if (scope === 'user') body.meta = meta ?? null;
      if (!malformed) {
        const checked = contract.RemnawaveWebhookEventSchema.safeParse(body);
        if (!checked.success) {
          throw new Error(`Remnawave fake: ${event} does not match the webhook contract: ${JSON.stringify(checked.error.issues.slice(0, 3))}`);
        }
      }
      const raw = JSON.stringify(body);
      return {
        raw,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Remnawave',
          'x-remnawave-signature': createHmac('sha256', secret).update(raw).digest('hex'),
          'x-remnawave-timestamp': timestamp,
        },
      };
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  // ---- state helpers used by the handlers

  /** [{uuid, name}] for squad uuids; an unknown uuid fails the panel's insert (a 500 error code). */
  function resolveSquads(uuids, path, error = ERRORS.CREATE_USER_WITH_INTERNAL_SQUAD_ERROR) {
    return uuids.map((uuid) => {
      const squad = panel.squads.find((s) => s.uuid === uuid);
      if (!squad) throw panelError(error, path);
      return { uuid: squad.uuid, name: squad.name };
    });
  }

  function buildUser(id, input, path) {
    const now = iso();
    const shortUuid = input.shortUuid ?? randomString(16);
    return {
      id,
      shortUuid,
      username: input.username,
      status: input.status ?? USERS_STATUS.ACTIVE,
      trafficLimitBytes: input.trafficLimitBytes ?? 0,
      trafficLimitStrategy: input.trafficLimitStrategy ?? 'NO_RESET',
      expireAt: iso(input.expireAt),
      telegramId: input.telegramId || null, // the panel stores 0 as null
      email: input.email || null,
      description: input.description || null,
      tag: input.tag ?? null,
      hwidDeviceLimit: input.hwidDeviceLimit ?? null,
      externalSquadUuid: input.externalSquadUuid ?? null,
      trojanPassword: input.trojanPassword ?? randomString(32),
      vlessUuid: input.vlessUuid ?? randomUUID(),
      ssPassword: input.ssPassword ?? randomString(32),
      lastTriggeredThreshold: 0,
      subRevokedAt: null,
      lastTrafficResetAt: input.lastTrafficResetAt ? iso(input.lastTrafficResetAt) : null,
      createdAt: input.createdAt ? iso(input.createdAt) : now,
      updatedAt: now,
      subscriptionUrl: `${SUBSCRIPTION_BASE}/${shortUuid}`,
      activeInternalSquads: resolveSquads(input.activeInternalSquads ?? [], path),
      userTraffic: {
        usedTrafficBytes: 0,
        lifetimeUsedTrafficBytes: 0,
        onlineAt: null,
        firstConnectedAt: null,
        lastConnectedNodeUuid: null,
      },
    };
  }

  const findBy = (field, value) => [...panel.users.values()].find((u) => u[field] === value);

  /** The user for an action route, or 404 A025 like the panel's actions. */
  function userForAction(id, path) {
    const user = panel.users.get(id);
    if (!user) throw panelError(ERRORS.USER_NOT_FOUND, path);
    return user;
  }

  /** The user for a GET-by route, or 404 A063. */
  function userForGet(user, path) {
    if (!user) throw panelError(ERRORS.GET_USER_BY_UNIQUE_FIELDS_NOT_FOUND, path);
    return user;
  }

  const touch = (user) => {
    user.updatedAt = iso();
    return user;
  };

  // ---- handlers, keyed by contract command name.
  // Each gets { params, query, body, path } (zod-parsed) and returns
  // [status, jsonBody] or [204].

  const ok = (response) => [200, { response }];

  const handlers = {
    GetMetadataCommand: () =>
      ok({
        version: panel.version,
        build: { time: '2026-09-01T00:00:00.000Z', number: '1' },
        git: {
          backend: { commitSha: 'fakefake', branch: 'main', commitUrl: 'https://github.com/remnawave/backend' },
          frontend: { commitSha: 'fakefake', commitUrl: 'https://github.com/remnawave/frontend' },
        },
      }),

    GetStatsCommand: () => {
      const statusCounts = Object.fromEntries(Object.values(USERS_STATUS).map((s) => [s, 0]));
      for (const u of panel.users.values()) statusCounts[u.status] = (statusCounts[u.status] ?? 0) + 1;
      return ok({
        cpu: { cores: 2 },
        memory: { total: 4e9, free: 2e9, used: 2e9 },
        uptime: 3600,
        timestamp: Date.now(),
        users: { statusCounts, totalUsers: panel.users.size },
        onlineStats: { lastDay: 0, lastWeek: 0, neverOnline: panel.users.size, onlineNow: 0 },
        nodes: { totalOnline: panel.nodes.filter((n) => n.isConnected).length, totalBytesLifetime: '0' },
      });
    },

    GetInternalSquadsCommand: () => {
      const internalSquads = panel.squads.map((s) => ({
        ...s,
        info: {
          ...s.info,
          membersCount: [...panel.users.values()].filter((u) =>
            u.activeInternalSquads.some((q) => q.uuid === s.uuid),
          ).length,
        },
      }));
      return ok({ total: internalSquads.length, internalSquads });
    },

    GetNodesCommand: () => ok(panel.nodes),

    CreateUserCommand: ({ body, path }) => {
      if (findBy('username', body.username)) throw panelError(ERRORS.USER_USERNAME_ALREADY_EXISTS, path);
      if (body.shortUuid && findBy('shortUuid', body.shortUuid)) {
        throw panelError(ERRORS.USER_SHORT_UUID_ALREADY_EXISTS, path);
      }
      const user = buildUser(nextUserId, body, path);
      nextUserId++;
      panel.users.set(user.id, user);
      return [201, { response: user }];
    },

    UpdateUserCommand: ({ body, path }) => {
      const user = body.id ? panel.users.get(body.id) : findBy('username', body.username);
      if (!user) throw panelError(ERRORS.USER_NOT_FOUND, path);

      let status = body.status;
      // LIMITED users come back when the limit is raised or removed.
      if (body.trafficLimitBytes !== undefined && user.status === USERS_STATUS.LIMITED) {
        if (body.trafficLimitBytes === 0 || body.trafficLimitBytes > user.trafficLimitBytes) status = USERS_STATUS.ACTIVE;
      }
      // EXPIRED users come back when given a new future expiry (and no explicit status).
      if (user.status === USERS_STATUS.EXPIRED && body.expireAt && !body.status) {
        if (body.expireAt.getTime() !== Date.parse(user.expireAt) && body.expireAt > new Date()) {
          status = USERS_STATUS.ACTIVE;
        }
      }

      if (body.expireAt) user.expireAt = iso(body.expireAt);
      if (body.trafficLimitBytes !== undefined) {
        user.trafficLimitBytes = body.trafficLimitBytes;
        user.lastTriggeredThreshold = 0;
      }
      if (body.trafficLimitStrategy) user.trafficLimitStrategy = body.trafficLimitStrategy;
      if (status) user.status = status;
      for (const field of ['description', 'tag', 'telegramId', 'email', 'hwidDeviceLimit', 'externalSquadUuid']) {
        if (body[field] !== undefined) user[field] = body[field];
      }
      if (body.activeInternalSquads) {
        user.activeInternalSquads = resolveSquads(body.activeInternalSquads, path, ERRORS.UPDATE_USER_ERROR);
      }
      return ok(touch(user));
    },

    GetUsersCommand: ({ query }) => {
      if (query.filters || query.sorting) {
        throw new HttpError(501, { statusCode: 501, message: 'Remnawave fake: filters/sorting on GET /api/users are not implemented' });
      }
      const all = [...panel.users.values()];
      return ok({ users: all.slice(query.start, query.start + query.size), total: all.length });
    },

    GetUsersStreamCommand: ({ query }) => {
      const filters = ['status', 'trafficLimitStrategy', 'telegramId', 'email', 'tag', 'externalSquadUuid'];
      const matching = [...panel.users.values()]
        .filter((u) => filters.every((f) => query[f] === undefined || u[f] === query[f]))
        .filter((u) => query.cursor === undefined || u.id > query.cursor)
        .sort((a, b) => a.id - b.id);
      const users = matching.slice(0, query.size);
      const hasMore = matching.length > users.length;
      return ok({ users, nextCursor: hasMore ? String(users.at(-1).id) : null, hasMore });
    },

    GetUserByIdCommand: ({ params, path }) => ok(userForGet(panel.users.get(params.userId), path)),
    GetUserByUsernameCommand: ({ params, path }) => ok(userForGet(findBy('username', params.username), path)),
    GetUserByShortUuidCommand: ({ params, path }) => ok(userForGet(findBy('shortUuid', params.shortUuid), path)),

    ResolveUserCommand: ({ body, path }) => {
      const user = userForGet(
        body.id !== undefined ? panel.users.get(body.id) : body.shortUuid !== undefined ? findBy('shortUuid', body.shortUuid) : findBy('username', body.username),
        path,
      );
      return ok({ id: user.id, username: user.username, shortUuid: user.shortUuid });
    },

    GetUsersTagsCommand: () =>
      ok({ tags: [...new Set([...panel.users.values()].map((u) => u.tag).filter(Boolean))] }),

    EnableUserCommand: ({ params, path }) => {
      const user = userForAction(params.userId, path);
      if (user.status === USERS_STATUS.ACTIVE) throw panelError(ERRORS.USER_ALREADY_ENABLED, path);
      user.status = USERS_STATUS.ACTIVE;
      return ok(touch(user));
    },

    DisableUserCommand: ({ params, path }) => {
      const user = userForAction(params.userId, path);
      if (user.status === USERS_STATUS.DISABLED) throw panelError(ERRORS.USER_ALREADY_DISABLED, path);
      user.status = USERS_STATUS.DISABLED;
      return ok(touch(user));
    },

    ExtendUserCommand: ({ params, body, path }) => {
      const user = userForAction(params.userId, path);
      const add = body.days * DAY_MS;
      if (user.status === USERS_STATUS.EXPIRED) {
        // Counted from now, and the user is active again.
        user.expireAt = iso(Date.now() + add);
        user.status = USERS_STATUS.ACTIVE;
      } else {
        // ACTIVE, DISABLED, LIMITED: added to the current expiry, status unchanged.
        user.expireAt = iso(Date.parse(user.expireAt) + add);
      }
      return ok(touch(user));
    },

    RevokeUserSubscriptionCommand: ({ params, body, path }) => {
      const user = userForAction(params.userId, path);
      if (!body.revokeOnlyPasswords) {
        if (body.shortUuid && findBy('shortUuid', body.shortUuid)) {
          throw panelError(ERRORS.USER_SHORT_UUID_ALREADY_EXISTS, path);
        }
        user.shortUuid = body.shortUuid ?? randomString(16);
        user.subscriptionUrl = `${SUBSCRIPTION_BASE}/${user.shortUuid}`;
      }
      user.trojanPassword = randomString(32);
      user.vlessUuid = randomUUID();
      user.ssPassword = randomString(32);
      user.subRevokedAt = iso();
      return ok(touch(user));
    },

    ResetUserTrafficCommand: ({ params, path }) => {
      const user = userForAction(params.userId, path);
      if (user.status === USERS_STATUS.LIMITED) user.status = USERS_STATUS.ACTIVE;
      user.userTraffic.usedTrafficBytes = 0;
      user.lastTriggeredThreshold = 0;
      user.lastTrafficResetAt = iso();
      return ok(touch(user));
    },

    DeleteUserCommand: ({ params, path }) => {
      userForAction(params.userId, path);
      panel.users.delete(params.userId);
      panel.devices.delete(params.userId);
      return [204];
    },

    GetUserHwidDevicesCommand: ({ params }) => {
      const devices = panel.devices.get(params.userId) ?? [];
      return ok({ total: devices.length, devices });
    },

    // The panel answers with the devices left; a hwid the user does not have changes nothing.
    DeleteUserHwidDeviceCommand: ({ body, path }) => {
      userForAction(body.userId, path);
      const devices = (panel.devices.get(body.userId) ?? []).filter((d) => d.hwid !== body.hwid);
      panel.devices.set(body.userId, devices);
      return ok({ total: devices.length, devices });
    },

    DeleteAllUserHwidDevicesCommand: ({ body, path }) => {
      userForAction(body.userId, path);
      panel.devices.set(body.userId, []);
      return ok({ total: 0, devices: [] });
    },
  };

  const routes = compileRoutes(handlers);

  // ---- request pipeline

  async function handle(req, res) {
    const url = new URL(req.url, 'http://fake');
    const path = url.pathname;
    const raw = await readBody(req);

    // 1. The panel's proxy middleware: no response at all.
    const xff = req.headers['x-forwarded-for'];
    if (!xff || req.headers['x-forwarded-proto'] !== 'https') {
      panel.droppedConnections++;
      req.socket.destroy();
      return;
    }

    const call = {
      method: req.method,
      path,
      query: queryObject(url.searchParams),
      body: parseJsonLoose(raw),
      headers: { ...req.headers },
      status: undefined,
    };
    const reply = (status, body, headers = {}) => {
      call.status = status;
      panel.calls.push(call);
      send(res, status, body, headers);
    };

    // 2. Injected faults.
    const fault = isDown ? 503 : failQueue.length ? failQueue.shift() : failRate && failRate.random() < failRate.p ? failRate.kind : null;
    if (fault !== null) {
      if (fault === 'reset') {
        call.status = 'reset';
        panel.calls.push(call);
        req.socket.destroy();
        return;
      }
      const headers = fault === 429 ? { 'retry-after': '1' } : {};
      reply(fault, { timestamp: iso(), path, message: fault === 503 ? 'Service Unavailable' : ERRORS.INTERNAL_SERVER_ERROR.message, errorCode: 'A001' }, headers);
      return;
    }

    try {
      // 3. Body parsing (Express json parser; only for JSON content types).
      let body;
      if (raw.length && /^application\/([\w.+-]*\+)?json/i.test(req.headers['content-type'] ?? '')) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch (e) {
          throw new HttpError(400, { message: e.message, error: 'Bad Request', statusCode: 400 });
        }
      }

      // 4. Routing.
      const match = matchRoute(routes, req.method, path);
      if (!match) {
        throw new HttpError(404, { message: `Cannot ${req.method} ${path}`, error: 'Not Found', statusCode: 404 });
      }

      // 5. Auth guard.
      if (req.headers.authorization !== `Bearer ${panel.token}`) {
        throw new HttpError(401, { statusCode: 401, message: 'Unauthorized' });
      }

      // 6. Validation pipes (params, query, body), then the handler.
      const { cmd, handler, name } = match.route;
      const input = {
        path,
        params: validate(cmd.RequestParamSchema, match.params),
        query: validate(cmd.RequestQuerySchema, call.query),
        body: validate(cmd.RequestBodySchema, body),
      };
      if (!handler) {
        throw new HttpError(501, { statusCode: 501, message: `Remnawave fake: ${name} is not implemented` });
      }
      const [status, json] = handler(input);
      reply(status, json);
    } catch (err) {
      if (!(err instanceof HttpError)) {
        // A bug in the fake itself: answer like the panel's generic error, and say why.
        console.error('[remnawave fake]', err);
        err = new HttpError(500, { timestamp: iso(), path, message: String(err?.message ?? err), errorCode: 'A001' });
      }
      reply(err.status, err.body, err.headers);
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('[remnawave fake]', err);
      req.socket.destroy();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  panel.url = `http://127.0.0.1:${server.address().port}`;
  return panel;
}

// ------------------------------------------------------- routing helpers

/**
 * Build the route table from every contract command that has a URL and method.
 * Literal routes win over parameterised ones (fewest params first).
 */
function compileRoutes(handlers) {
  const routes = [];
  for (const [name, cmd] of Object.entries(contract)) {
    if (!name.endsWith('Command') || typeof cmd?.TSQ_url !== 'string' || !cmd.endpointDetails) continue;
    const template = cmd.TSQ_url.replace(/\/+$/, '');
    const paramNames = [];
    const source = template
      .split('/')
      .map((seg) => {
        if (seg.startsWith(':')) {
          paramNames.push(seg.slice(1));
          return '([^/]+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    routes.push({
      name,
      cmd,
      handler: handlers[name],
      method: cmd.endpointDetails.REQUEST_METHOD.toUpperCase(),
      regex: new RegExp(`^${source}/?$`),
      paramNames,
    });
  }
  for (const name of Object.keys(handlers)) {
    if (!routes.some((r) => r.name === name)) throw new Error(`remnawave fake: ${name} is not in the contract`);
  }
  return routes.sort((a, b) => a.paramNames.length - b.paramNames.length);
}

function matchRoute(routes, method, path) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.regex.exec(path);
    if (!m) continue;
    const params = Object.fromEntries(route.paramNames.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
    return { route, params };
  }
  return null;
}

/** Validate like nestjs-zod's pipe: 400 with the zod issues, or the parsed value. */
function validate(schema, value) {
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HttpError(400, { statusCode: 400, message: 'Validation failed', errors: result.error.issues });
  }
  return result.data;
}

// --------------------------------------------------------- I/O helpers

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Query string as Express's simple parser gives it: strings, repeated keys as arrays. */
function queryObject(searchParams) {
  const out = {};
  for (const [k, v] of searchParams) {
    out[k] = k in out ? [].concat(out[k], v) : v;
  }
  return out;
}

function parseJsonLoose(raw) {
  if (!raw.length) return undefined;
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(res, status, body, headers = {}) {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
