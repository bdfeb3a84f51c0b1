// `edgescale serve`'s fast path (src/cli/serve-fast.ts) answers every request exactly as the plain @hono/node-server bridge does — statuses, headers, bodies, auth, CSRF, the dev switch, 413s — over real sockets; and gzip is negotiated only for large answers.
import { createAdaptorServer } from '@hono/node-server';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsGzip, GZIP_MIN_BYTES, GzipServerResponse, readDeclaredBody, serveFetch } from '../../src/cli/serve-fast.js';
import { formatSignatureHeader, signPayload } from '../../src/delivery/sign.js';
import type { Env } from '../../src/env.js';
import webTier from '../../rules/web-tier.json';

const TOKEN = 'fast-path-token-0123456789abcdef0123456789';
const WEBHOOK_KEY = 'fast-path-webhook-0123456789abcdef01234567';
/** A small body limit, so the 413 cases and the exact-limit case stay cheap. */
const BODY_LIMIT = 8192;
/** Short, so the slow-body tests wait little; the server's default is BODY_WAIT_MS (200 ms). */
const WAIT_MS = 60;

const target = (i: number, ruleSet = 'web-tier') => ({ id: `web-${i}`, ruleSet, capacity: 4, metrics: { cpu: 85 } });
const evaluateBody = (n = 1, ruleSet = 'web-tier') => JSON.stringify({ now: '2026-11-22T10:30:00Z', targets: Array.from({ length: n }, (_, i) => target(i, ruleSet)) });

/** Headers that differ between two answers to the same request: the clock's Date, and X-Request-Id (a fresh random id per request). */
const VARYING_HEADERS = new Set(['date', 'x-request-id']);

interface Answer {
  status: number;
  /** Header lines in wire order, Date left out (it is the clock's). */
  headers: Array<[string, string]>;
  body: Buffer;
}

type Part = string | Buffer | { wait: number };

/** Writes the parts on a fresh connection (waiting where asked) and reads the one answer to the end. */
function exchange(port: number, parts: Part[]): Promise<Answer & { at: number; sentAll: number }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const t0 = Date.now();
    let at = -1;
    let sentAll = -1;
    sock.setTimeout(10_000, () => sock.destroy(new Error('timed out')));
    sock.on('data', (d) => {
      if (at < 0) at = Date.now() - t0;
      chunks.push(d);
    });
    sock.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
    sock.on('close', () => resolve({ ...parse(Buffer.concat(chunks)), at, sentAll }));
    sock.on('connect', async () => {
      for (const part of parts) {
        if (typeof part === 'object' && 'wait' in part) await new Promise((r) => setTimeout(r, part.wait));
        else if (!sock.destroyed) sock.write(part);
      }
      sentAll = Date.now() - t0;
    });
  });
}

function parse(raw: Buffer): Answer {
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers = lines.map((l): [string, string] => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]).filter(([name]) => !VARYING_HEADERS.has(name.toLowerCase()));
  let body = raw.subarray(end + 4);
  if (headers.some(([n, v]) => n.toLowerCase() === 'transfer-encoding' && v === 'chunked')) {
    const out: Buffer[] = [];
    for (let at = 0; ; ) {
      const lineEnd = body.indexOf('\r\n', at);
      const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
      if (!size) break;
      out.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 4 + size;
    }
    body = Buffer.concat(out);
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

/** A request with a Content-Length body (or none), Connection: close. */
function request(method: string, path: string, headers: string[], body?: string | Buffer): Part[] {
  const length = body === undefined ? [] : [`Content-Length: ${Buffer.byteLength(body)}`];
  const head = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headers, ...length, 'Connection: close'].join('\r\n');
  return body === undefined ? [`${head}\r\n\r\n`] : [`${head}\r\n\r\n`, body];
}

const json = 'Content-Type: application/json';
const bearer = `Authorization: Bearer ${TOKEN}`;

async function listen(fetch: ReturnType<typeof serveFetch>, gzip = false) {
  // As src/cli/main.ts starts it; the plain bridge gets Node's own responses.
  const server = createAdaptorServer({ fetch, ...(gzip && { serverOptions: { ServerResponse: GzipServerResponse } }) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port };
}

// Logging off, as the test suites run (vitest.config.ts): the answers are what is compared here.
const ENV = { EDGESCALE_API_TOKEN: TOKEN, EDGESCALE_WEBHOOK_HMAC_KEY: WEBHOOK_KEY, EDGESCALE_LIMIT_BODY_BYTES: String(BODY_LIMIT), EDGESCALE_LOG_LEVEL: 'off' } as unknown as Env;
const DEV_ENV = { EDGESCALE_API_TOKEN: TOKEN, EDGESCALE_DEV_AUTH_DISABLED: 'true', EDGESCALE_LOG_LEVEL: 'off' } as unknown as Env;

const servers: Array<Awaited<ReturnType<typeof listen>>> = [];
let plain: number;
let fast: number;
let devPlain: number;
let devFast: number;

beforeAll(async () => {
  const started = await Promise.all([
    listen(serveFetch(ENV, { fast: false })),
    listen(serveFetch(ENV, { bodyWaitMs: WAIT_MS }), true),
    listen(serveFetch(DEV_ENV, { fast: false })),
    listen(serveFetch(DEV_ENV, { bodyWaitMs: WAIT_MS }), true),
  ]);
  servers.push(...started);
  [plain, fast, devPlain, devFast] = started.map((s) => s.port) as [number, number, number, number];
});

afterAll(async () => {
  await Promise.all(servers.map(({ server }) => new Promise((r) => server.close(r))));
});

/** A JSON body of exactly `bytes` bytes (padded with spaces) that evaluates one target. */
function paddedTo(bytes: number): string {
  const body = evaluateBody();
  return body + ' '.repeat(bytes - Buffer.byteLength(body));
}

function chunked(method: string, path: string, headers: string[], body: Buffer): Part[] {
  const head = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headers, 'Transfer-Encoding: chunked', 'Connection: close'].join('\r\n');
  return [`${head}\r\n\r\n`, `${body.length.toString(16)}\r\n`, body, '\r\n0\r\n\r\n'];
}

describe('the fast path answers exactly as the plain bridge', () => {
  const cases: Array<{ name: string; status: number; parts: () => Promise<Part[]> | Part[]; dev?: boolean }> = [
    { name: 'GET /healthz', status: 200, parts: () => request('GET', '/healthz', []) },
    { name: 'evaluate with the token', status: 200, parts: () => request('POST', '/v1/evaluate', [json, bearer], evaluateBody()) },
    { name: 'evaluate, 3 targets, one unknown rule set (207)', status: 207, parts: () => request('POST', '/v1/evaluate', [json, bearer], JSON.stringify({ now: '2026-11-22T10:30:00Z', targets: [target(1), target(2, 'nope'), target(3)] })) },
    { name: 'evaluate without credentials', status: 401, parts: () => request('POST', '/v1/evaluate', [json], evaluateBody()) },
    { name: 'evaluate with a wrong token', status: 401, parts: () => request('POST', '/v1/evaluate', [json, `Authorization: Bearer ${'x'.repeat(40)}`], evaluateBody()) },
    { name: 'a bad webhook signature', status: 401, parts: () => request('POST', '/v1/evaluate', [json, `X-Edgescale-Signature: t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`], evaluateBody()) },
    {
      name: 'a signed webhook (the signature is over the body read ahead)',
      status: 200,
      parts: async () => {
        const body = evaluateBody();
        const t = Math.floor(Date.now() / 1000);
        return request('POST', '/v1/evaluate', [json, `X-Edgescale-Signature: ${formatSignatureHeader(t, await signPayload(WEBHOOK_KEY, t, body))}`], body);
      },
    },
    { name: 'a foreign Origin', status: 403, parts: () => request('POST', '/v1/evaluate', ['Content-Type: text/plain', 'Origin: https://evil.example', bearer], evaluateBody()) },
    { name: 'text/plain', status: 415, parts: () => request('POST', '/v1/evaluate', ['Content-Type: text/plain', bearer], evaluateBody()) },
    { name: 'a body of exactly the limit (read ahead)', status: 200, parts: () => request('POST', '/v1/evaluate', [json, bearer], paddedTo(BODY_LIMIT)) },
    { name: 'a Content-Length one byte over the limit', status: 413, parts: () => request('POST', '/v1/evaluate', [json, bearer], paddedTo(BODY_LIMIT + 1)) },
    { name: 'a chunked body over the limit', status: 413, parts: () => chunked('POST', '/v1/evaluate', [json, bearer], Buffer.alloc(BODY_LIMIT * 3, 0x20)) },
    { name: 'a chunked body within the limit', status: 200, parts: () => chunked('POST', '/v1/evaluate', [json, bearer], Buffer.from(evaluateBody())) },
    { name: 'an unknown bundled rule set', status: 422, parts: () => request('POST', '/v1/evaluate', [json, bearer], evaluateBody(1, 'nope')) },
    { name: 'malformed JSON', status: 400, parts: () => request('POST', '/v1/evaluate', [json, bearer], '{"now": ') },
    { name: 'an empty body', status: 400, parts: () => request('POST', '/v1/evaluate', [json, bearer], '') },
    { name: 'validate a bundled rule set', status: 200, parts: () => request('POST', '/v1/validate', [json, bearer], JSON.stringify(webTier)) },
    { name: 'validate an invalid rule set', status: 422, parts: () => request('POST', '/v1/validate', [json, bearer], JSON.stringify({ id: 'x', capacity: { min: 1, max: 4, default: 2 }, rules: [] })) },
    { name: 'an unknown route', status: 404, parts: () => request('GET', '/nope', [bearer]) },
    { name: 'GET on a POST route', status: 404, parts: () => request('GET', '/v1/evaluate', [bearer]) },
    { name: 'PUT on a POST route', status: 404, parts: () => request('PUT', '/v1/evaluate', [json, bearer], evaluateBody()) },
    { name: 'dev switch: a loopback peer with Host: localhost', status: 200, dev: true, parts: () => request('POST', '/v1/evaluate', [json, 'Host: localhost'], evaluateBody()).map((p, i) => (i === 0 ? String(p).replace('Host: 127.0.0.1\r\n', '') : p)) },
    { name: 'dev switch: X-Forwarded-For keeps auth on', status: 401, dev: true, parts: () => request('POST', '/v1/evaluate', [json, 'X-Forwarded-For: 203.0.113.9'], evaluateBody()) },
    { name: 'dev switch: Host: evil.example keeps auth on', status: 401, dev: true, parts: () => request('POST', '/v1/evaluate', [json, 'Host: evil.example'], evaluateBody()).map((p, i) => (i === 0 ? String(p).replace('Host: 127.0.0.1\r\n', '') : p)) },
  ];

  it.each(cases)('$name → $status', async ({ status, parts, dev }) => {
    const bytes = await parts();
    const [a, b] = await Promise.all([exchange(dev ? devPlain : plain, bytes), exchange(dev ? devFast : fast, bytes)]);
    expect(a.status).toBe(status);
    expect(b.status).toBe(a.status);
    expect(b.headers).toEqual(a.headers);
    expect(b.body.toString('utf8')).toBe(a.body.toString('utf8'));
  });

  it('a body that arrives slowly is left to the streaming path: same answer, and a 401 does not wait for it', async () => {
    const body = evaluateBody();
    const half = body.length >> 1;
    const slow = (headers: string[]) => {
      const [head] = request('POST', '/v1/evaluate', headers, body);
      return [head!, body.slice(0, half), { wait: WAIT_MS * 3 }, body.slice(half)];
    };
    const [a, b] = await Promise.all([exchange(plain, slow([json, bearer])), exchange(fast, slow([json, bearer]))]);
    expect(a.status).toBe(200);
    expect([b.status, b.headers, b.body.toString()]).toEqual([a.status, a.headers, a.body.toString()]);
    // Without credentials: the answer comes before the rest of the body is sent (the client never sends it here).
    const [head] = request('POST', '/v1/evaluate', [json], body);
    // The client stays silent for 5 s: an answer well inside that did not wait for the body, even on a loaded machine.
    const unauth = await exchange(fast, [head!, body.slice(0, half), { wait: 5_000 }]);
    expect(unauth.status).toBe(401);
    expect(unauth.at).toBeLessThan(4_000);
  });
});

describe('gzip for large answers', () => {
  // About 2 KB of decision per target: enough targets for an answer well over GZIP_MIN_BYTES, within the body limit.
  const big = evaluateBody(40);

  it('compresses a large answer for a client that accepts gzip, with Vary, and the bytes inflate to the plain answer', async () => {
    const [a, b] = await Promise.all([
      exchange(plain, request('POST', '/v1/evaluate', [json, bearer], big)),
      exchange(fast, request('POST', '/v1/evaluate', [json, bearer, 'Accept-Encoding: br, gzip'], big)),
    ]);
    expect(a.status).toBe(200);
    expect(a.body.length).toBeGreaterThan(GZIP_MIN_BYTES);
    const h = new Map(b.headers.map(([n, v]) => [n.toLowerCase(), v]));
    expect(b.status).toBe(200);
    expect(h.get('content-encoding')).toBe('gzip');
    expect(h.get('vary')).toMatch(/accept-encoding/i);
    expect(h.get('content-type')).toBe('application/json');
    expect(Number(h.get('content-length'))).toBe(b.body.length);
    expect(b.body.length).toBeLessThan(a.body.length / 4);
    expect(gunzipSync(b.body).toString('utf8')).toBe(a.body.toString('utf8'));
  });

  it.each(['', 'identity', 'gzip;q=0', 'br, deflate', '*;q=0'])('sends the large answer as it is for Accept-Encoding: "%s"', async (accept) => {
    const [a, b] = await Promise.all([
      exchange(plain, request('POST', '/v1/evaluate', [json, bearer], big)),
      exchange(fast, request('POST', '/v1/evaluate', [json, bearer, ...(accept ? [`Accept-Encoding: ${accept}`] : [])], big)),
    ]);
    expect(b.status).toBe(a.status);
    expect(b.headers).toEqual(a.headers);
    expect(b.body.toString()).toBe(a.body.toString());
  });

  it('compresses a large GET answer too (GET /openapi.json), and leaves HEAD alone', async () => {
    const [a, b] = await Promise.all([exchange(plain, request('GET', '/openapi.json', [])), exchange(fast, request('GET', '/openapi.json', ['Accept-Encoding: gzip']))]);
    expect(a.body.length).toBeGreaterThan(GZIP_MIN_BYTES);
    expect(b.headers.find(([n]) => n.toLowerCase() === 'content-encoding')?.[1]).toBe('gzip');
    expect(gunzipSync(b.body).toString()).toBe(a.body.toString());
    const [c, d] = await Promise.all([exchange(plain, request('HEAD', '/openapi.json', [])), exchange(fast, request('HEAD', '/openapi.json', ['Accept-Encoding: gzip']))]);
    expect([d.status, d.headers]).toEqual([c.status, c.headers]);
  });

  it('sends a small answer as it is even when gzip is accepted (same status, headers and bytes)', async () => {
    for (const parts of [request('POST', '/v1/evaluate', [json, bearer], evaluateBody()), request('GET', '/healthz', []), request('POST', '/v1/evaluate', [json], evaluateBody())]) {
      const withGzip = parts.map((p, i) => (i === 0 ? String(p).replace('Connection: close', 'Accept-Encoding: gzip\r\nConnection: close') : p));
      const [a, b] = await Promise.all([exchange(plain, parts), exchange(fast, withGzip)]);
      expect(b.status).toBe(a.status);
      expect(b.headers).toEqual(a.headers);
      expect(b.body.toString()).toBe(a.body.toString());
    }
  });

  it.each<[string | undefined, boolean]>([
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['deflate, gzip;q=0.5', true],
    ['gzip;q=0', false],
    ['gzip; q=0.000', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['br', false],
    ['identity', false],
  ])('acceptsGzip(%j) is %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('readDeclaredBody', () => {
  /** A plain node:http server that reads each body ahead with `waitMs`, then reads whatever the stream still gives. */
  async function probe(parts: Part[], waitMs: number) {
    let seen: { ahead: Uint8Array | undefined; rest: Buffer } | undefined;
    const server = createServer(async (incoming: IncomingMessage, outgoing) => {
      const ahead = await readDeclaredBody(incoming, waitMs);
      const rest: Buffer[] = [];
      for await (const chunk of incoming) rest.push(chunk as Buffer);
      seen = { ahead, rest: Buffer.concat(rest) };
      outgoing.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await exchange((server.address() as AddressInfo).port, parts);
    } finally {
      await new Promise((r) => server.close(r));
    }
    return seen!;
  }
  const body = evaluateBody(3);

  it('reads a prompt body whole, into a fresh buffer of exactly its length', async () => {
    const { ahead, rest } = await probe(request('POST', '/x', [json], body), 1_000);
    expect(Buffer.from(ahead!).toString()).toBe(body);
    expect(ahead!.byteOffset).toBe(0);
    expect(ahead!.buffer.byteLength).toBe(Buffer.byteLength(body));
    expect(rest.length).toBe(0);
  });

  it('gives a slow body back to the stream, which then yields all of it', async () => {
    const [head] = request('POST', '/x', [json], body);
    const { ahead, rest } = await probe([head!, body.slice(0, 10), { wait: 150 }, body.slice(10)], 40);
    expect(ahead).toBeUndefined();
    expect(rest.toString()).toBe(body);
  });
});
