// A strict stand-in for Sentry's envelope endpoint (https://develop.sentry.dev/sdk/envelopes/):
// POST /api/<project>/envelope/ with `X-Sentry-Auth: Sentry sentry_version=7, …,
// sentry_key=<public key>` and an envelope body (a JSON header line with the DSN, an item
// header, the event). Anything else is refused as Sentry would (401 bad key, 400 bad body),
// so a wrong request fails the test instead of passing silently.
import http from 'node:http';

export async function startSentryFake({ publicKey = 'e2ekey0123456789', project = '42' } = {}) {
  const events = [];
  const refused = [];
  let failures = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c)).on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const answer = (status, text) => {
        if (status !== 200) refused.push({ status, text, url: req.url });
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: text }));
      };
      if (req.method !== 'POST' || req.url !== `/api/${project}/envelope/`) return answer(404, 'not found');
      const auth = String(req.headers['x-sentry-auth'] ?? '');
      if (!auth.startsWith('Sentry ') || !auth.includes('sentry_version=7') || !auth.includes(`sentry_key=${publicKey}`)) {
        return answer(401, 'bad auth');
      }
      if (req.headers['content-type'] !== 'application/x-sentry-envelope') return answer(400, 'bad content type');
      if (failures > 0) {
        failures--;
        return answer(503, 'down');
      }
      const lines = body.split('\n').filter(Boolean);
      let header, item, event;
      try {
        [header, item, event] = lines.map((l) => JSON.parse(l));
      } catch {
        return answer(400, 'not an envelope');
      }
      if (lines.length !== 3 || item?.type !== 'event' || !/^[0-9a-f]{32}$/.test(header?.event_id ?? '') || event?.event_id !== header.event_id) {
        return answer(400, 'not an envelope');
      }
      if (!String(header.dsn ?? '').includes(`${publicKey}@`)) return answer(400, 'dsn mismatch');
      events.push(event);
      answer(200, 'ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    dsn: `http://${publicKey}@127.0.0.1:${port}/${project}`,
    events,
    refused,
    /** The next `n` envelopes get 503. */
    failNext(n = 1) {
      failures = n;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
