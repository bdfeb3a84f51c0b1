// Raw-socket checks of `edgescale serve`'s trust boundaries (SECURITY.md): the dev switch trusts the TCP peer, never Host, the request line or forwarding headers; bad secrets stop the server; browsers' requests are refused.
// Run by scripts/cli-smoke.mjs (which passes its check/expect/run/startServer helpers); the server is the built CLI on 127.0.0.1.
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';

const BODY = JSON.stringify({ now: '2026-11-22T10:30:00Z', targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } }] });
const TOKEN = 'smoke-token-0123456789abcdef0123456789abcdef';

/**
 * Sends `head` (request line and headers, CRLF-joined, without the blank line) and the body over a
 * fresh TCP connection, optionally from `localAddress`, and resolves to the status, headers and body.
 */
function rawRequest(port, lines, { body = BODY, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ...(localAddress && { localAddress }) });
    const chunks = [];
    let peer;
    socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
    socket.on('connect', () => {
      peer = socket.localAddress;
      const withLength = [...lines, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
      socket.end(`${withLength.join('\r\n')}\r\n\r\n${body}`);
    });
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...headerLines] = (head ?? '').split('\r\n');
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0), headers, body: rest.join('\r\n\r\n'), peer });
    });
  });
}

/** An address of this machine that is not loopback, to connect from (so the server's peer is not loopback), if there is one. */
function nonLoopbackAddress() {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

export async function serveTrustChecks({ check, expect, run, startServer }) {
  await check('serve refuses bad secrets at start (exit 2), naming the variable and never the value', async () => {
    const cases = [
      { env: { EDGESCALE_API_TOKEN: 'x' }, message: 'EDGESCALE_API_TOKEN is shorter than 32 characters' },
      { env: { EDGESCALE_API_TOKEN: ` ${TOKEN}` }, message: 'EDGESCALE_API_TOKEN has leading or trailing whitespace' },
      { env: { EDGESCALE_API_TOKEN: TOKEN, EDGESCALE_WEBHOOK_HMAC_KEY: `k${TOKEN}`, ACTUATOR_HMAC_KEY: `k${TOKEN}` }, message: 'EDGESCALE_WEBHOOK_HMAC_KEY has the same secret as ACTUATOR_HMAC_KEY' },
      { env: { EDGESCALE_CREDENTIALS: '{"credentials":[{"id":"ci","kind":"token","secret":"short","routes":["POST /v1/evaluate"]}]}' }, message: 'credentials[0].secret: is shorter than 32' },
      { env: { EDGESCALE_CREDENTIALS: `{"credentials":[{"secret":"${TOKEN}"` }, message: 'EDGESCALE_CREDENTIALS is not valid JSON' },
    ];
    for (const { env, message } of cases) {
      const r = await run(['serve', '--port', '0'], env);
      expect(r.code === 2 && r.stderr.includes('refusing to start') && r.stderr.includes(message), `expected exit 2 and "${message}"`, r);
      expect(!r.stderr.includes(TOKEN) && !r.stdout.includes(TOKEN), 'the secret was printed', r);
    }
  });

  const server = await startServer(['--port', '0'], { EDGESCALE_DEV_AUTH_DISABLED: 'true', EDGESCALE_API_TOKEN: TOKEN });
  const port = Number(new URL(server.url).port);
  const post = (lines, options) => rawRequest(port, ['POST /v1/evaluate HTTP/1.1', ...lines], options);
  try {
    await check('dev switch: a loopback peer with Host: localhost is let through without credentials (200, X-Edgescale-Auth)', async () => {
      const r = await post(['Host: localhost', 'Content-Type: application/json']);
      expect(r.status === 200 && r.headers['x-edgescale-auth'] === 'disabled (dev only)', `expected 200 and the header, got ${r.status} ${r.body.slice(0, 200)}`);
      expect(JSON.parse(r.body).results[0].decision.requestedBy.kind === 'local-dev', 'expected requestedBy local-dev');
    });

    await check('dev switch: Host, the request line and forwarding headers never make a request local (raw sockets, loopback peer)', async () => {
      const cases = [
        { name: 'HTTP/1.0 without Host', lines: ['POST /v1/evaluate HTTP/1.0', 'Content-Type: application/json'], raw: true },
        { name: 'absolute-form request line with Host: evil.example', lines: ['POST http://localhost/v1/evaluate HTTP/1.1', 'Host: evil.example', 'Content-Type: application/json'], raw: true },
        { name: 'Host: evil.example (DNS rebinding)', lines: ['Host: evil.example', 'Content-Type: application/json'] },
        // @hono/node-server answers 400 itself for a Host it cannot build a URL from; either way, not local.
        { name: 'Host: 127.1', lines: ['Host: 127.1', 'Content-Type: application/json'], statuses: [400, 401] },
        { name: `a reverse proxy: Host: 127.0.0.1:${port}, X-Forwarded-For`, lines: [`Host: 127.0.0.1:${port}`, 'X-Forwarded-For: 203.0.113.9', 'Content-Type: application/json'] },
        { name: 'a reverse proxy: Forwarded', lines: ['Host: localhost', 'Forwarded: for=203.0.113.9', 'Content-Type: application/json'] },
        { name: 'X-Real-IP', lines: ['Host: localhost', 'X-Real-IP: 203.0.113.9', 'Content-Type: application/json'] },
        { name: 'CF-Connecting-IP (no Cloudflare in front of serve)', lines: ['Host: localhost', 'CF-Connecting-IP: 127.0.0.1', 'Content-Type: application/json'] },
      ];
      for (const c of cases) {
        const r = c.raw ? await rawRequest(port, c.lines) : await post(c.lines);
        expect((c.statuses ?? [401]).includes(r.status) && !r.headers['x-edgescale-auth'], `${c.name}: expected ${(c.statuses ?? [401]).join(' or ')} without X-Edgescale-Auth, got ${r.status} ${r.body.slice(0, 200)}`);
      }
    });

    await check('dev switch: a peer that is not loopback gets 401 whatever it claims, and 200 with the token', async () => {
      const from = nonLoopbackAddress();
      if (!from) {
        console.log('    (no non-loopback address on this machine: the peer rule is covered by test/http/locality.test.ts only)');
        return;
      }
      const claims = [
        ['Host: localhost'],
        ['Host: 127.0.0.1', 'X-Forwarded-For: 127.0.0.1'],
        ['Host: localhost', 'CF-Connecting-IP: 127.0.0.1'],
        ['Host: [::1]', 'Forwarded: for=127.0.0.1', 'X-Real-IP: 127.0.0.1'],
      ];
      for (const lines of claims) {
        const r = await post([...lines, 'Content-Type: application/json'], { localAddress: from });
        expect(r.peer === from, `expected to connect from ${from}, got ${r.peer}`);
        expect(r.status === 401, `from ${from} with ${lines.join(', ')}: expected 401, got ${r.status} ${r.body.slice(0, 200)}`);
      }
      const withToken = await post(['Host: localhost', 'Content-Type: application/json', `Authorization: Bearer ${TOKEN}`], { localAddress: from });
      expect(withToken.status === 200, `from ${from} with the token: expected 200, got ${withToken.status}`);
    });

    await check('CSRF: a text/plain POST is 415 and a foreign Origin 403, even from a loopback peer with auth off', async () => {
      const plain = await post(['Host: localhost', 'Content-Type: text/plain']);
      expect(plain.status === 415 && JSON.parse(plain.body).error.code === 'UnsupportedMediaType', `expected 415, got ${plain.status} ${plain.body}`);
      const origin = await post(['Host: localhost', 'Content-Type: text/plain', 'Origin: https://evil.example']);
      expect(origin.status === 403 && JSON.parse(origin.body).error.code === 'OriginNotAllowed', `expected 403, got ${origin.status} ${origin.body}`);
      expect(!origin.headers['access-control-allow-origin'], 'expected no CORS header');
    });
  } finally {
    await server.stop();
  }
}
