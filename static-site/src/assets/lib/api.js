// The one client for the Worker's /api/ (docs/API.md, "The web cabinet's API"). The session is
// cookies (HttpOnly, set by the Worker); a 401 from any call tries POST /api/auth/refresh once
// and repeats the call; still 401 means "sign in again" (ApiError with status 401).

export class ApiError extends Error {
  constructor(status, reason, body, replayed = false) {
    super(reason || `HTTP ${status}`);
    this.status = status;
    this.reason = reason;
    this.body = body;
    // The admin API's answer to a retried write: the first attempt's, not a new run.
    this.replayed = replayed;
  }
}

// Inside Telegram the Mini App also sends its launch data with every call: in Telegram's web
// client the page is a cross-site frame, where browsers keep no cookies (docs/API.md).
let initData = '';
export function useInitData(data) {
  initData = data;
}

async function raw(method, path, body, headers = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (initData && !path.startsWith('/api/auth/')) init.headers.Authorization = `tma ${initData}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  let json = null;
  try {
    json = await res.json();
  } catch {
    // not JSON (a proxy's error page)
  }
  return { res, json };
}

let refreshing = null;

/** Refresh the session once even when several calls hit a 401 together. */
export function refresh() {
  refreshing ??= raw('POST', '/api/auth/refresh').then(({ res }) => res.ok).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/**
 * Call the API; resolves the JSON body, rejects with ApiError (a network failure rejects with
 * fetch's TypeError). `retry: false` skips the refresh; `headers` are added to the request (the
 * console's `Idempotency-Key`).
 */
export async function api(method, path, body, { retry = true, headers } = {}) {
  let { res, json } = await raw(method, path, body, headers);
  if (res.status === 401 && retry && !path.startsWith('/api/auth/')) {
    // Retried even when this refresh lost a race with another tab's: that tab's new cookies
    // may already be here.
    await refresh();
    ({ res, json } = await raw(method, path, body, headers));
  }
  if (!res.ok) throw new ApiError(res.status, json?.error, json, res.headers.get('Idempotent-Replayed') === 'true');
  return json;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const put = (path, body) => api('PUT', path, body);

/** An SVG from the API as a `data:` URL for an <img>: fetched with the same credentials as every
 * call (an <img src> could not send the Mini App's initData), and allowed by the CSP's img-src. */
export async function svgDataUrl(path) {
  const headers = initData ? { Authorization: `tma ${initData}` } : {};
  const res = await fetch(path, { credentials: 'same-origin', headers });
  if (!res.ok) throw new ApiError(res.status, `HTTP ${res.status}`, null);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(await res.text())}`;
}
