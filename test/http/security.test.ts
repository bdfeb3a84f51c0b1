// Security of the HTTP edge: bearer and webhook-signature auth, their scope, request limits, and secrets kept out of answers and logs.
//
// Follows SECURITY.md and src/http/auth.ts (credentials, window, scope), src/limits.ts (limits and
// the variables that lower them) and docs/actuator.md (the X-Edgescale-Signature format, which
// webhook senders use too). Signatures here are computed with Web Crypto directly, not with
// src/delivery/sign.ts, so a bug there cannot make both sides agree.
import { env, exports } from 'cloudflare:workers';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Env } from '../../src/env.js';
import { createApp } from '../../src/http/app.js';
import { constantTimeEqual, createAuth, WEBHOOK_TOLERANCE_SECONDS } from '../../src/http/auth.js';
import { MIN_SECRET_LENGTH } from '../../src/http/credentials.js';
import { readJson } from '../../src/http/body.js';
import { checkEvaluateLimits, checkRuleSetLimits, DEFAULT_REQUEST_LIMITS, LIMIT_CEILINGS, LIMIT_VARIABLES, LIMITS, resolveLimits, type LimitName } from '../../src/limits.js';
import { MAX_PROFILES } from '../../src/schemas/profiles.js';

const API_TOKEN = 'test-token-0123456789abcdef0123456789abcdef'; // vitest.config.ts bindings
const WEBHOOK_KEY = 'test-webhook-key-0123456789abcdef0123456789'; // vitest.config.ts bindings
const NOW = '2026-11-22T10:30:00Z';
/** A batch the bundled queue-workers set decides (930 queued on 2 workers: scale out). */
const EVALUATE = { now: NOW, targets: [{ id: 'q', ruleSet: 'queue-workers', capacity: 2, metrics: { queue: 930 } }] };
const RULE_SET = { id: 'ok', capacity: { minimum: 1, maximum: 3, default: 1 }, rules: [] };

const utf8 = new TextEncoder();

/** HMAC-SHA256 over `<t>.` followed by the body bytes, hex: the wire format of docs/actuator.md, computed independently. */
async function hmacHex(key: string, t: number, body: Uint8Array): Promise<string> {
  const k = await crypto.subtle.importKey('raw', utf8.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const prefix = utf8.encode(`${t}.`);
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix);
  message.set(body, prefix.length);
  return [...new Uint8Array(await crypto.subtle.sign('HMAC', k, message))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const bytesOf = (body: unknown) => (body instanceof Uint8Array ? body : utf8.encode(typeof body === 'string' ? body : JSON.stringify(body)));

interface SignedInit {
  method?: string;
  /** What is signed; defaults to what is sent. */
  signedBody?: unknown;
  body?: unknown;
  t?: number;
  key?: string;
  headers?: Record<string, string>;
}

/** A request signed as a webhook sender signs it. */
async function signedRequest(path: string, init: SignedInit = {}): Promise<Request> {
  const method = init.method ?? 'POST';
  const sent = init.body === undefined ? undefined : bytesOf(init.body);
  const signed = init.signedBody !== undefined ? bytesOf(init.signedBody) : (sent ?? new Uint8Array(0));
  const t = init.t ?? nowSeconds();
  const v1 = await hmacHex(init.key ?? WEBHOOK_KEY, t, signed);
  return new Request(`http://edgescale.test${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'X-Edgescale-Signature': `t=${t},v1=${v1}`, ...init.headers },
    ...(sent !== undefined && { body: sent }),
  });
}

async function answer(res: Response) {
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as any, headers: res.headers };
}

/** Through the deployed worker's own fetch, with the configured bindings. */
const viaWorker = async (req: Request) => answer(await exports.default.fetch(req));

/** Through the same app in this isolate with chosen bindings (to vary configuration the worker's bindings pin). */
const viaApp = async (req: Request, overrides: Partial<Env> = {}) => answer(await createApp().fetch(req, { ...env, ...overrides }));

const UNAUTHORIZED_BEARER = { code: 'Unauthorized', message: 'a valid bearer token is required', path: 'headers.authorization' };
const UNAUTHORIZED_SIGNATURE = { code: 'Unauthorized', message: 'a valid request signature is required', path: 'headers.x-edgescale-signature' };

describe('webhook senders may sign POST /v1/evaluate instead of sending the bearer token (src/http/auth.ts)', () => {
  type Case = { name: string; init: () => SignedInit | Promise<SignedInit>; status: number; code?: string };
  const cases: Case[] = [
    { name: 'a fresh signature over the body decides the batch', init: () => ({ body: EVALUATE }), status: 200 },
    {
      name: 'a signature made 4 minutes ago is inside the 5-minute window',
      init: () => ({ body: EVALUATE, t: nowSeconds() - 240 }),
      status: 200,
    },
    { name: 'wrong key → Unauthorized', init: () => ({ body: EVALUATE, key: 'another-webhook-key' }), status: 401, code: 'Unauthorized' },
    {
      name: 'expired: t 10 minutes old → Unauthorized',
      init: () => ({ body: EVALUATE, t: nowSeconds() - 600 }),
      status: 401,
      code: 'Unauthorized',
    },
    {
      name: 'future: t 10 minutes ahead → Unauthorized',
      init: () => ({ body: EVALUATE, t: nowSeconds() + 600 }),
      status: 401,
      code: 'Unauthorized',
    },
    {
      name: 'tampered body: signed with capacity 2, sent with capacity 1 → Unauthorized',
      init: () => ({ signedBody: EVALUATE, body: { ...EVALUATE, targets: [{ ...EVALUATE.targets[0], capacity: 1 }] } }),
      status: 401,
      code: 'Unauthorized',
    },
    {
      name: 'signed over the re-serialised JSON, not the raw bytes sent → Unauthorized',
      init: () => ({ signedBody: JSON.stringify(EVALUATE), body: JSON.stringify(EVALUATE, null, 2) }),
      status: 401,
      code: 'Unauthorized',
    },
  ];
  it.each(cases)('$name ($status)', async ({ init, status, code }) => {
    const res = await viaWorker(await signedRequest('/v1/evaluate', await init()));
    expect(res.status).toBe(status);
    if (code) {
      expect(res.json.error).toEqual(UNAUTHORIZED_SIGNATURE);
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="edgescale"');
    } else {
      expect(res.json.results[0]).toMatchObject({ ok: true, target: 'q' });
    }
  });

  it.each<{ name: string; header: string }>([
    { name: 'no v1 entry', header: 't=1700000000' },
    { name: 'no t entry', header: `v1=${'0'.repeat(64)}` },
    { name: 't not whole seconds', header: `t=17e8,v1=${'0'.repeat(64)}` },
    { name: 'v1 not hex', header: `t=1700000000,v1=${'z'.repeat(64)}` },
    { name: 'empty', header: '' },
  ])('a malformed signature header ($name) is Unauthorized with the same sentence as a wrong MAC', async ({ header }) => {
    const res = await viaWorker(new Request('http://edgescale.test/v1/evaluate', { method: 'POST', headers: { 'X-Edgescale-Signature': header }, body: JSON.stringify(EVALUATE) }));
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual(UNAUTHORIZED_SIGNATURE);
  });

  it('no credentials at all is the bearer 401 (missing)', async () => {
    const res = await viaWorker(new Request('http://edgescale.test/v1/evaluate', { method: 'POST', body: JSON.stringify(EVALUATE) }));
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual(UNAUTHORIZED_BEARER);
  });

  it('the signature covers the raw bytes: a BOM and non-ASCII text verify byte for byte', async () => {
    const json = JSON.stringify({ ...EVALUATE, targets: [{ ...EVALUATE.targets[0], labels: { site: 'München · 東京' } }] });
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8.encode(json)]);
    const res = await viaWorker(await signedRequest('/v1/evaluate', { body: bytes }));
    expect(res.status).toBe(200);
    // Without the BOM in the signed bytes the MAC differs, so the worker did not strip it before verifying.
    const stripped = await viaWorker(await signedRequest('/v1/evaluate', { body: bytes, signedBody: utf8.encode(json) }));
    expect(stripped.status).toBe(401);
  });

  it('a body that is not UTF-8 is Unauthorized even with a MAC over its bytes (it cannot be the JSON that was signed)', async () => {
    const bytes = new Uint8Array([...utf8.encode('{"targets":["'), 0xff, 0xfe, ...utf8.encode('"]}')]);
    const res = await viaWorker(await signedRequest('/v1/evaluate', { body: bytes }));
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual(UNAUTHORIZED_SIGNATURE);
  });

  it('a signed body over the size limit is 413 PayloadTooLarge (it cannot be verified without reading it)', async () => {
    const body = JSON.stringify({ targets: [{ pad: 'x'.repeat(DEFAULT_REQUEST_LIMITS.bodyBytes) }] });
    const res = await viaWorker(await signedRequest('/v1/evaluate', { body }));
    expect(res.status).toBe(413);
    expect(res.json.error).toMatchObject({ code: 'PayloadTooLarge', path: 'body' });
  });

  it('the same signed request twice inside the window gives the same decision id, which the actuator applies once (docs/actuator.md)', async () => {
    const req = await signedRequest('/v1/evaluate', { body: EVALUATE });
    const first = await viaWorker(req.clone());
    const replay = await viaWorker(req);
    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.json.results[0].decision.decisionId).toBe(first.json.results[0].decision.decisionId);
  });

  it('a signed batch without `now` is decided at the signature\'s t, so the signed bytes alone fix the decision', async () => {
    const { now: _omit, ...withoutNow } = EVALUATE;
    const t = nowSeconds() - 90;
    const req = await signedRequest('/v1/evaluate', { body: withoutNow, t });
    const first = await viaWorker(req.clone());
    const again = await viaWorker(req);
    expect(first.status).toBe(200);
    expect(first.json.now).toBe(new Date(t * 1000).toISOString().replace('.000Z', 'Z'));
    expect(again.json.results[0].decision.decisionId).toBe(first.json.results[0].decision.decisionId);
  });
});

describe('the replay window is 5 minutes either side of the worker clock (Stripe tolerance, src/delivery/sign.ts)', () => {
  const CLOCK_S = 1_795_000_000;
  /** A minimal app with a fixed clock; the route echoes the body it reads after the middleware. */
  function fixedClockApp() {
    const app = new Hono<{ Bindings: Env }>();
    app.use('/v1/*', createAuth({ clock: () => CLOCK_S * 1000 }));
    app.post('/v1/evaluate', async (c) => {
      const body = await readJson(c);
      return c.json({ body: body.ok ? body.value : body.error, auth: c.get('edgescaleAuth') });
    });
    return app;
  }
  it('the window is the documented 300 s', () => expect(WEBHOOK_TOLERANCE_SECONDS).toBe(300));
  it.each<{ name: string; t: number; status: number }>([
    { name: 'signed exactly 300 s ago', t: CLOCK_S - 300, status: 200 },
    { name: 'signed 301 s ago (a replay of an old request)', t: CLOCK_S - 301, status: 401 },
    { name: 'signed for 300 s ahead', t: CLOCK_S + 300, status: 200 },
    { name: 'signed for 301 s ahead', t: CLOCK_S + 301, status: 401 },
  ])('$name → $status', async ({ t, status }) => {
    const res = await answer(await fixedClockApp().fetch(await signedRequest('/v1/evaluate', { body: EVALUATE, t }), env));
    expect(res.status).toBe(status);
    if (status === 200) {
      // The route still read the whole body after the middleware had read it to verify the MAC.
      expect(res.json.body).toEqual(EVALUATE);
      expect(res.json.auth).toMatchObject({ scheme: 'webhook', signedAt: t, credential: { id: 'webhook', kind: 'webhook' } });
    }
  });
  it('a request captured inside the window and replayed after it is refused', async () => {
    const captured = await signedRequest('/v1/evaluate', { body: EVALUATE, t: CLOCK_S });
    const later = new Hono<{ Bindings: Env }>();
    later.use('/v1/*', createAuth({ clock: () => (CLOCK_S + 301) * 1000 }));
    later.post('/v1/evaluate', (c) => c.json({ ok: true }));
    expect((await fixedClockApp().fetch(captured.clone(), env)).status).toBe(200);
    expect((await later.fetch(captured, env)).status).toBe(401);
  });
});

describe('scope: a webhook signature is for POST /v1/evaluate only; the bearer token is for every route', () => {
  it.each<{ name: string; path: string; method: string; body?: unknown; route: string }>([
    { name: 'signed POST /v1/validate', path: '/v1/validate', method: 'POST', body: RULE_SET, route: 'POST /v1/validate' },
    { name: 'signed POST /v1/scheduled', path: '/v1/scheduled', method: 'POST', body: { at: NOW }, route: 'POST /v1/scheduled' },
    { name: 'signed GET /v1/rulesets (over an empty body)', path: '/v1/rulesets', method: 'GET', route: 'GET /v1/rulesets' },
    { name: 'signed GET /v1/rulesets/web-tier', path: '/v1/rulesets/web-tier', method: 'GET', route: 'GET /v1/rulesets' },
  ])('$name → 403 RouteNotAllowed', async ({ path, method, body, route }) => {
    const res = await viaWorker(await signedRequest(path, { method, body }));
    expect(res.status).toBe(403);
    expect(res.json.error).toEqual({ code: 'RouteNotAllowed', message: `credential "webhook" may not call ${route} (it may call: POST /v1/evaluate)`, path: 'url' });
  });
  it.each<{ name: string; path: string; method: string; body?: unknown }>([
    { name: 'signed GET /v1/evaluate (right path, wrong method)', path: '/v1/evaluate', method: 'GET' },
    { name: 'signed POST to an unknown /v1 route', path: '/v1/evaluate/extra', method: 'POST', body: EVALUATE },
  ])('$name → 404 NotFound (no such route to be granted)', async ({ path, method, body }) => {
    const res = await viaWorker(await signedRequest(path, { method, body }));
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('NotFound');
  });
  it('a forged signature on another route is 401, not 403: scope is only told to holders of the key', async () => {
    const res = await viaWorker(await signedRequest('/v1/validate', { body: RULE_SET, key: 'another-webhook-key' }));
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual(UNAUTHORIZED_SIGNATURE);
  });
  it.each<{ name: string; path: string; headers: Record<string, string>; withSignature: boolean; status: number }>([
    { name: 'the bearer token still works on /v1/validate', path: '/v1/validate', headers: { authorization: `Bearer ${API_TOKEN}` }, withSignature: false, status: 200 },
    { name: 'the bearer token still works on /v1/evaluate', path: '/v1/evaluate', headers: { authorization: `Bearer ${API_TOKEN}` }, withSignature: false, status: 200 },
    { name: 'bearer plus a valid signature on /v1/validate: the bearer decides (200)', path: '/v1/validate', headers: { authorization: `Bearer ${API_TOKEN}` }, withSignature: true, status: 200 },
    { name: 'a wrong bearer plus a valid signature: the bearer decides alone (401)', path: '/v1/evaluate', headers: { authorization: 'Bearer nope' }, withSignature: true, status: 401 },
  ])('$name', async ({ path, headers, withSignature, status }) => {
    const body = path === '/v1/validate' ? RULE_SET : EVALUATE;
    const req = withSignature
      ? await signedRequest(path, { body, headers })
      : new Request(`http://edgescale.test${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const res = await viaWorker(req);
    expect(res.status).toBe(status);
    if (status === 401) expect(res.json.error).toEqual(UNAUTHORIZED_BEARER);
  });
  it('without EDGESCALE_WEBHOOK_HMAC_KEY a signature is no credential: the request is judged as a bearer request', async () => {
    const res = await viaApp(await signedRequest('/v1/evaluate', { body: EVALUATE }), { EDGESCALE_WEBHOOK_HMAC_KEY: '' });
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual(UNAUTHORIZED_BEARER);
  });
});

describe('constantTimeEqual compares whole byte strings (src/http/auth.ts)', () => {
  it.each<{ name: string; a: string; b: string; equal: boolean }>([
    { name: 'equal', a: 'test-token', b: 'test-token', equal: true },
    { name: 'both empty', a: '', b: '', equal: true },
    { name: 'one byte differs at the end', a: 'test-token', b: 'test-tokem', equal: false },
    { name: 'one byte differs at the start', a: 'test-token', b: 'Test-token', equal: false },
    { name: 'a prefix (shorter)', a: 'test-tok', b: 'test-token', equal: false },
    { name: 'longer only by NUL bytes (the length itself must count)', a: 'test-token', b: 'test-token\u0000\u0000', equal: false },
    { name: 'empty against non-empty', a: '', b: 'x', equal: false },
    { name: 'same UTF-16 length, different UTF-8 bytes', a: 'é', b: 'e', equal: false },
    { name: 'equal non-ASCII', a: 'schlüssel-東京', b: 'schlüssel-東京', equal: true },
  ])('$name → $equal', ({ a, b, equal }) => {
    expect(constantTimeEqual(a, b)).toBe(equal);
    expect(constantTimeEqual(b, a)).toBe(equal);
  });
});

describe('request limits are refused whole, naming the limit and the path (src/limits.ts, SECURITY.md)', () => {
  const bearer = (path: string, body: unknown) =>
    new Request(`http://edgescale.test${path}`, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const rule = (expr = 'true', actionExpr?: string) => ({
    id: 'r',
    direction: 'out',
    when: { expr },
    action: actionExpr === undefined ? { type: 'ChangeCount', value: 1 } : { type: 'Expression', expr: actionExpr },
  });
  const ruleSet = (extra: Record<string, unknown>) => ({ id: 'inline', capacity: { minimum: 1, maximum: 5, default: 1 }, rules: [rule()], ...extra });
  const target = (extra: Record<string, unknown>) => ({ id: 't', ruleSet: 'web-tier', capacity: 3, ...extra });
  const profile = (i: number, rules?: unknown[]) => ({
    name: `p${i}`,
    capacity: { minimum: 1, maximum: 5, default: 1 },
    recurrence: { timeZone: 'UTC', days: ['Monday'], start: '08:00' },
    ...(rules && { rules }),
  });
  const times = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));

  type Case = { name: string; route: '/v1/evaluate' | '/v1/validate'; body: () => unknown; limit: LimitName; actual: number; path: string; unit: string };
  const cases: Case[] = [
    {
      name: 'targets per batch',
      route: '/v1/evaluate',
      body: () => ({ now: NOW, targets: times(DEFAULT_REQUEST_LIMITS.targetsPerBatch + 1, (i) => target({ id: `t${i}` })) }),
      limit: 'targetsPerBatch',
      actual: DEFAULT_REQUEST_LIMITS.targetsPerBatch + 1,
      path: 'targets',
      unit: 'targets per batch',
    },
    {
      name: 'points per series',
      route: '/v1/evaluate',
      body: () => ({ now: NOW, targets: [target({ metrics: { cpu: times(DEFAULT_REQUEST_LIMITS.pointsPerSeries + 1, (i) => ({ t: i, v: 1 })) } })] }),
      limit: 'pointsPerSeries',
      actual: DEFAULT_REQUEST_LIMITS.pointsPerSeries + 1,
      path: 'targets[0].metrics.cpu',
      unit: 'points per series',
    },
    {
      name: 'instances per target',
      route: '/v1/evaluate',
      body: () => ({ now: NOW, targets: [target({ instances: times(DEFAULT_REQUEST_LIMITS.maxInstances + 1, (i) => ({ id: String(i) })) })] }),
      limit: 'maxInstances',
      actual: DEFAULT_REQUEST_LIMITS.maxInstances + 1,
      path: 'targets[0].instances',
      unit: 'instances per target',
    },
    {
      name: 'rules per set (inline rule set of the second target)',
      route: '/v1/evaluate',
      body: () => ({ now: NOW, targets: [target({}), target({ id: 'u', ruleSet: ruleSet({ rules: times(DEFAULT_REQUEST_LIMITS.rulesPerSet + 1, () => rule()) }) })] }),
      limit: 'rulesPerSet',
      actual: DEFAULT_REQUEST_LIMITS.rulesPerSet + 1,
      path: 'targets[1].ruleSet.rules',
      unit: 'rules per list',
    },
    {
      name: 'condition expression length',
      route: '/v1/evaluate',
      body: () => ({ now: NOW, targets: [target({ ruleSet: ruleSet({ rules: [rule(`true${' '.repeat(DEFAULT_REQUEST_LIMITS.expressionLength - 3)}`)] }) })] }),
      limit: 'expressionLength',
      actual: DEFAULT_REQUEST_LIMITS.expressionLength + 1,
      path: 'targets[0].ruleSet.rules[0].when.expr',
      unit: 'characters per expression',
    },
    {
      name: 'capacity expression length',
      route: '/v1/evaluate',
      body: () => ({ now: NOW, targets: [target({ ruleSet: ruleSet({ rules: [rule('true', `2${' '.repeat(DEFAULT_REQUEST_LIMITS.expressionLength)}`)] }) })] }),
      limit: 'expressionLength',
      actual: DEFAULT_REQUEST_LIMITS.expressionLength + 1,
      path: 'targets[0].ruleSet.rules[0].action.expr',
      unit: 'characters per expression',
    },
    {
      name: 'profiles per set',
      route: '/v1/validate',
      body: () => ruleSet({ profiles: times(DEFAULT_REQUEST_LIMITS.profilesPerSet + 1, (i) => profile(i)) }),
      limit: 'profilesPerSet',
      actual: DEFAULT_REQUEST_LIMITS.profilesPerSet + 1,
      path: 'profiles',
      unit: 'profiles per rule set',
    },
    {
      name: 'rules of one profile',
      route: '/v1/validate',
      body: () => ruleSet({ profiles: [profile(0), profile(1, times(DEFAULT_REQUEST_LIMITS.rulesPerSet + 1, () => rule()))] }),
      limit: 'rulesPerSet',
      actual: DEFAULT_REQUEST_LIMITS.rulesPerSet + 1,
      path: 'profiles[1].rules',
      unit: 'rules per list',
    },
    {
      name: 'expression inside a profile rule',
      route: '/v1/validate',
      body: () => ruleSet({ profiles: [profile(0, [rule('x'.repeat(DEFAULT_REQUEST_LIMITS.expressionLength + 1))])] }),
      limit: 'expressionLength',
      actual: DEFAULT_REQUEST_LIMITS.expressionLength + 1,
      path: 'profiles[0].rules[0].when.expr',
      unit: 'characters per expression',
    },
    {
      name: 'target-tracking policies per set',
      route: '/v1/validate',
      body: () => ruleSet({ targetTracking: times(DEFAULT_REQUEST_LIMITS.rulesPerSet + 1, (i) => ({ id: `tt${i}`, metric: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } })) }),
      limit: 'rulesPerSet',
      actual: DEFAULT_REQUEST_LIMITS.rulesPerSet + 1,
      path: 'targetTracking',
      unit: 'rules per list',
    },
  ];
  it.each(cases)('$name over the limit → 422 LimitExceeded at $path', async ({ route, body, limit, actual, path, unit }) => {
    const res = await viaWorker(bearer(route, body()));
    expect(res.status).toBe(422);
    expect(res.json.error).toEqual({
      code: 'LimitExceeded',
      message: `${path}: ${actual} exceeds the limit of ${DEFAULT_REQUEST_LIMITS[limit]} ${unit} (DEFAULT_REQUEST_LIMITS.${limit})`,
      path,
    });
  });

  it('the body over DEFAULT_REQUEST_LIMITS.bodyBytes → 413 PayloadTooLarge naming the limit', async () => {
    const res = await viaWorker(bearer('/v1/evaluate', { targets: [{ pad: 'x'.repeat(DEFAULT_REQUEST_LIMITS.bodyBytes) }] }));
    expect(res.status).toBe(413);
    expect(res.json.error).toEqual({ code: 'PayloadTooLarge', message: `the body exceeds the limit of ${DEFAULT_REQUEST_LIMITS.bodyBytes} bytes (DEFAULT_REQUEST_LIMITS.bodyBytes)`, path: 'body' });
  });

  it('a chunked body without Content-Length is cut off at the limit too (413)', async () => {
    const chunk = utf8.encode('x'.repeat(64 * 1024));
    // Longer than the limit and than the drain window after it (16 MiB, src/http/body.ts).
    const chunks = Math.ceil((17 * 1_048_576) / chunk.length) + 48;
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < chunks) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const req = new Request('http://edgescale.test/v1/evaluate', { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: stream });
    expect(req.headers.get('content-length')).toBeNull();
    const res = await viaApp(req);
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('PayloadTooLarge');
    // Stopped reading soon after the limit instead of draining the whole stream.
    expect(sent).toBeLessThan(chunks);
  });

  it.each<{ name: string; variable: string; value: string; body: unknown; status: number; code: string; message: string; path: string }>([
    {
      name: 'targets lowered to 2',
      variable: LIMIT_VARIABLES.targetsPerBatch,
      value: '2',
      body: { now: NOW, targets: [target({ id: 'a' }), target({ id: 'b' }), target({ id: 'c' })] },
      status: 422,
      code: 'LimitExceeded',
      message: 'targets: 3 exceeds the limit of 2 targets per batch (set by EDGESCALE_LIMIT_TARGETS_PER_BATCH)',
      path: 'targets',
    },
    {
      name: 'body lowered to 100 bytes',
      variable: LIMIT_VARIABLES.bodyBytes,
      value: '100',
      body: { now: NOW, targets: [target({ labels: { pad: 'x'.repeat(100) } })] },
      status: 413,
      code: 'PayloadTooLarge',
      message: 'the body exceeds the limit of 100 bytes (set by EDGESCALE_LIMIT_BODY_BYTES)',
      path: 'body',
    },
    {
      name: 'points lowered to 3',
      variable: LIMIT_VARIABLES.pointsPerSeries,
      value: '3',
      body: { now: NOW, targets: [target({ metrics: { cpu: times(4, (i) => ({ t: i, v: 1 })) } })] },
      status: 422,
      code: 'LimitExceeded',
      message: 'targets[0].metrics.cpu: 4 exceeds the limit of 3 points per series (set by EDGESCALE_LIMIT_POINTS_PER_SERIES)',
      path: 'targets[0].metrics.cpu',
    },
  ])('a worker variable lowers a limit: $name', async ({ variable, value, body, status, code, message, path }) => {
    const res = await viaApp(bearer('/v1/evaluate', body), { [variable]: value } as Partial<Env>);
    expect(res.status).toBe(status);
    expect(res.json.error).toEqual({ code, message, path });
  });

  it('a lowered points limit holds for series converted from a metricsPayload too (Prometheus query_range, 4 points > 3)', async () => {
    const start = Date.parse(NOW) / 1000 - 240;
    const body = {
      now: NOW,
      metricsFormat: { format: 'prometheus', targetLabel: 'target', metric: 'queue' },
      metricsPayload: {
        status: 'success',
        data: { resultType: 'matrix', result: [{ metric: { target: 'q' }, values: times(4, (i) => [start + i * 60, '900']) }] },
      },
      targets: [{ id: 'q', ruleSet: 'queue-workers', capacity: 2 }],
    };
    const lowered = await viaApp(bearer('/v1/evaluate', body), { [LIMIT_VARIABLES.pointsPerSeries]: '3' } as Partial<Env>);
    expect(lowered.status).toBe(422);
    expect(lowered.json.error).toMatchObject({
      code: 'MetricFormat',
      message: 'target "q" would get 4 points of "queue", more than 3 (set by EDGESCALE_LIMIT_POINTS_PER_SERIES)',
      path: 'metricsPayload',
    });
    // The same request within the default limit is decided.
    expect((await viaApp(bearer('/v1/evaluate', body))).status).toBe(200);
  });

  it('a batch inside lowered limits is still decided', async () => {
    const res = await viaApp(bearer('/v1/evaluate', EVALUATE), { EDGESCALE_LIMIT_TARGETS_PER_BATCH: '1' });
    expect(res.status).toBe(200);
  });

  it('POST /v1/simulate is held to the deployment\'s limits, not to the schema\'s ceilings: series points and inline rule sets', async () => {
    const n = DEFAULT_REQUEST_LIMITS.pointsPerSeries + 1;
    const history = { cpu: { start: NOW, step: 60_000, values: times(n, () => 50) } };
    const over = await viaApp(bearer('/v1/simulate', { ruleSets: ['web-tier'], capacity: 3, metrics: history }));
    expect(over.status).toBe(422);
    expect(over.json.error).toEqual({
      code: 'LimitExceeded',
      message: `metrics.cpu: ${n} exceeds the limit of ${DEFAULT_REQUEST_LIMITS.pointsPerSeries} points per series (DEFAULT_REQUEST_LIMITS.pointsPerSeries)`,
      path: 'metrics.cpu',
    });
    const rules = await viaApp(bearer('/v1/simulate', { ruleSets: ['web-tier', ruleSet({ rules: times(3, () => rule()) })], capacity: 3 }), { EDGESCALE_LIMIT_RULES_PER_SET: '2' });
    expect(rules.json.error).toMatchObject({ code: 'LimitExceeded', path: 'ruleSets[1].rules' });
  });

  it('a worker variable raises a limit up to its ceiling: what the default refuses is then accepted, end to end', async () => {
    // Rules per list and expression length, through /v1/validate: the edge check, the schema and the expression compiler all admit it.
    const body = ruleSet({ rules: times(DEFAULT_REQUEST_LIMITS.rulesPerSet + 1, (i) => ({ ...rule(`true${' '.repeat(DEFAULT_REQUEST_LIMITS.expressionLength)}`), id: `r${i}` })) });
    const refused = await viaApp(bearer('/v1/validate', body));
    expect(refused.json.error).toMatchObject({ code: 'LimitExceeded', path: 'rules' });
    const raised = { EDGESCALE_LIMIT_RULES_PER_SET: String(LIMIT_CEILINGS.rulesPerSet), EDGESCALE_LIMIT_EXPRESSION_LENGTH: String(LIMIT_CEILINGS.expressionLength) };
    const accepted = await viaApp(bearer('/v1/validate', body), raised);
    expect(accepted.status).toBe(200);
    expect(accepted.json).toMatchObject({ valid: true });
    // Targets per batch, through /v1/evaluate.
    const batch = { now: NOW, targets: times(DEFAULT_REQUEST_LIMITS.targetsPerBatch + 1, (i) => target({ id: `t${i}` })) };
    expect((await viaApp(bearer('/v1/evaluate', batch))).json.error).toMatchObject({ code: 'LimitExceeded', path: 'targets' });
    const decided = await viaApp(bearer('/v1/evaluate', batch), { EDGESCALE_LIMIT_TARGETS_PER_BATCH: String(DEFAULT_REQUEST_LIMITS.targetsPerBatch + 1) });
    expect(decided.status).toBe(200);
    expect(decided.json.results).toHaveLength(DEFAULT_REQUEST_LIMITS.targetsPerBatch + 1);
  });
});

describe('limit checks and limit variables, directly (src/limits.ts)', () => {
  const D = DEFAULT_REQUEST_LIMITS;
  it('the profile ceiling is the one the profile schema enforces (MAX_PROFILES); the default is Azure\'s 20', () => {
    expect(LIMITS.profilesPerSet).toBe(MAX_PROFILES);
    expect(LIMIT_CEILINGS.profilesPerSet).toBe(MAX_PROFILES);
    expect(D.profilesPerSet).toBe(20);
  });
  it('every default is within its ceiling, and the schemas are built from the ceilings (LIMITS)', () => {
    for (const name of Object.keys(LIMIT_VARIABLES) as LimitName[]) {
      expect(D[name]).toBeGreaterThanOrEqual(1);
      expect(D[name]).toBeLessThanOrEqual(LIMIT_CEILINGS[name]);
      expect(LIMITS[name]).toBe(LIMIT_CEILINGS[name]);
    }
    // The fleet batch of npm run bench:fleet (10,000 columnar targets, about 9 MiB) fits under the raised body limit.
    expect(LIMIT_CEILINGS.targetsPerBatch).toBe(10_000);
    expect(LIMIT_CEILINGS.bodyBytes).toBeGreaterThanOrEqual(10 * 1_048_576);
  });
  it('exactly at each limit passes; one over does not', () => {
    const targets = (n: number) => ({ targets: Array.from({ length: n }, () => ({})) });
    expect(checkEvaluateLimits(targets(D.targetsPerBatch), D)).toBeUndefined();
    expect(checkEvaluateLimits(targets(D.targetsPerBatch + 1), D)?.path).toBe('targets');
    const expr = (n: number) => ({ rules: [{ when: { expr: 'x'.repeat(n) } }] });
    expect(checkRuleSetLimits(expr(D.expressionLength), '', D)).toBeUndefined();
    expect(checkRuleSetLimits(expr(D.expressionLength + 1), 'rs', D)?.path).toBe('rs.rules[0].when.expr');
  });
  it('a raised limit admits what the default refuses, and names the variable when exceeded', () => {
    const targets = (n: number) => ({ targets: Array.from({ length: n }, () => ({})) });
    const raised = resolveLimits({ EDGESCALE_LIMIT_TARGETS_PER_BATCH: String(LIMIT_CEILINGS.targetsPerBatch) }).limits;
    expect(checkEvaluateLimits(targets(D.targetsPerBatch + 1), raised)).toBeUndefined();
    expect(checkEvaluateLimits(targets(LIMIT_CEILINGS.targetsPerBatch + 1), raised)?.message).toBe(
      `targets: ${LIMIT_CEILINGS.targetsPerBatch + 1} exceeds the limit of ${LIMIT_CEILINGS.targetsPerBatch} targets per batch (set by EDGESCALE_LIMIT_TARGETS_PER_BATCH)`,
    );
  });
  it('shapes the schema will refuse are left to it (no throw, no limit issue)', () => {
    for (const body of [null, 3, 'x', [], { targets: 'nope' }, { targets: [null, 1, { metrics: 5, ruleSet: [] }] }]) {
      expect(checkEvaluateLimits(body, D)).toBeUndefined();
    }
  });
  it.each<{ name: string; value: string | undefined; expected: number; warns: boolean }>([
    { name: 'unset keeps the default', value: undefined, expected: D.targetsPerBatch, warns: false },
    { name: 'empty keeps the default', value: '', expected: D.targetsPerBatch, warns: false },
    { name: 'a lower whole number is used', value: '100', expected: 100, warns: false },
    { name: 'surrounding spaces are ignored', value: ' 7 ', expected: 7, warns: false },
    { name: 'a higher whole number within the ceiling is used (raising)', value: String(D.targetsPerBatch + 1), expected: D.targetsPerBatch + 1, warns: false },
    { name: 'the ceiling itself is allowed', value: String(LIMIT_CEILINGS.targetsPerBatch), expected: LIMIT_CEILINGS.targetsPerBatch, warns: false },
    { name: 'above the ceiling is refused (the default stays)', value: String(LIMIT_CEILINGS.targetsPerBatch + 1), expected: D.targetsPerBatch, warns: true },
    { name: 'far above the ceiling is refused', value: '999999999999999', expected: D.targetsPerBatch, warns: true },
    { name: 'zero is refused', value: '0', expected: D.targetsPerBatch, warns: true },
    { name: 'a negative number is refused', value: '-5', expected: D.targetsPerBatch, warns: true },
    { name: 'exponent notation is refused', value: '1e2', expected: D.targetsPerBatch, warns: true },
    { name: 'a fraction is refused', value: '10.5', expected: D.targetsPerBatch, warns: true },
    { name: 'a word is refused', value: 'lots', expected: D.targetsPerBatch, warns: true },
  ])('EDGESCALE_LIMIT_TARGETS_PER_BATCH: $name', ({ value, expected, warns }) => {
    const { limits, warnings } = resolveLimits({ EDGESCALE_LIMIT_TARGETS_PER_BATCH: value });
    expect(limits.targetsPerBatch).toBe(expected);
    expect(warnings.length > 0).toBe(warns);
    if (warns) expect(warnings[0]).toContain('EDGESCALE_LIMIT_TARGETS_PER_BATCH');
    // The other limits are untouched.
    expect(limits.bodyBytes).toBe(D.bodyBytes);
  });
  it.each(Object.keys(LIMIT_VARIABLES) as LimitName[])('%s: raising to the ceiling is accepted, one above it and non-numeric values are refused, each with a warning', (name) => {
    const variable = LIMIT_VARIABLES[name];
    const ceiling = LIMIT_CEILINGS[name];
    expect(resolveLimits({ [variable]: String(ceiling) })).toEqual({ limits: { ...D, [name]: ceiling }, warnings: [] });
    const within = Math.min(ceiling, D[name] + 1);
    expect(resolveLimits({ [variable]: String(within) }).limits[name]).toBe(within);
    const above = resolveLimits({ [variable]: String(ceiling + 1) });
    expect(above.limits).toEqual(D);
    expect(above.warnings).toEqual([`edgescale: ${variable}=${ceiling + 1} is above the ceiling LIMIT_CEILINGS.${name}=${ceiling}; refused, using the default ${D[name]}`]);
    const word = resolveLimits({ [variable]: 'unlimited' });
    expect(word.limits).toEqual(D);
    expect(word.warnings).toEqual([`edgescale: ${variable}="unlimited" is not a whole number >= 1; using the default ${D[name]}`]);
  });
});

describe('secrets never appear in answers or logs', () => {
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  let spies: Array<{ mock: { calls: unknown[][] }; mockRestore(): void }>;
  beforeEach(() => {
    spies = methods.map((m) => vi.spyOn(console, m).mockImplementation(() => undefined));
  });
  afterEach(() => {
    for (const s of spies) s.mockRestore();
  });
  // Logging on (the suites run with EDGESCALE_LOG_LEVEL=off), through the worker's console sink, at its most verbose.
  const loud = (req: Request, overrides: Partial<Env> = {}) => viaApp(req, { EDGESCALE_LOG_LEVEL: 'debug', ...overrides });
  const logged = () => spies.flatMap((s) => s.mock.calls.map((args) => args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')));

  it('a tour of failing and succeeding requests leaks neither the API token nor the webhook key', async () => {
    const SHORT_KEY = 'short-webhook-key-31-characters'; // one character under MIN_SECRET_LENGTH
    expect(SHORT_KEY.length).toBe(MIN_SECRET_LENGTH - 1);
    const answers = [
      await loud(new Request('http://edgescale.test/v1/rulesets', { headers: { authorization: `Bearer ${API_TOKEN.slice(0, -1)}X` } })),
      await loud(new Request('http://edgescale.test/v1/rulesets', { headers: { authorization: `Bearer ${API_TOKEN}` } })),
      await loud(await signedRequest('/v1/evaluate', { body: EVALUATE })),
      await loud(await signedRequest('/v1/evaluate', { body: EVALUATE, key: `${WEBHOOK_KEY.slice(0, -1)}z` })),
      await loud(await signedRequest('/v1/evaluate', { body: EVALUATE, t: nowSeconds() - 3600 })),
      await loud(await signedRequest('/v1/validate', { body: RULE_SET })),
      await loud(await signedRequest('/v1/evaluate', { body: 'not json' })),
      await loud(new Request('http://edgescale.test/v1/rulesets'), { EDGESCALE_API_TOKEN: '', EDGESCALE_WEBHOOK_HMAC_KEY: '' }),
      // A too-short key makes the configuration unusable: 503 for everyone, logged without the key.
      await loud(await signedRequest('/v1/evaluate', { body: EVALUATE, key: SHORT_KEY }), { EDGESCALE_WEBHOOK_HMAC_KEY: SHORT_KEY }),
      await loud(new Request('http://edgescale.test/v1/evaluate', { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(EVALUATE) }), {
        EDGESCALE_LIMIT_TARGETS_PER_BATCH: 'lots',
      }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 200, 200, 401, 401, 403, 400, 503, 503, 200]);
    expect(answers[8]!.json.error).toMatchObject({ code: 'AuthNotConfigured', path: 'env.EDGESCALE_WEBHOOK_HMAC_KEY' });
    const lines = logged();
    // The configuration problems were logged (so the spies did see the worker's console), one JSON record per line.
    const messages = lines.map((l) => (JSON.parse(l) as { message: string }).message);
    expect(messages.some((l) => l.includes('no credentials are configured'))).toBe(true);
    expect(messages.some((l) => l.includes('EDGESCALE_WEBHOOK_HMAC_KEY is shorter than 32 characters'))).toBe(true);
    expect(messages.some((l) => l.includes('EDGESCALE_LIMIT_TARGETS_PER_BATCH="lots"'))).toBe(true);
    for (const secret of [API_TOKEN, WEBHOOK_KEY, SHORT_KEY]) {
      for (const a of answers) {
        expect(a.text).not.toContain(secret);
        for (const [, value] of a.headers) expect(value).not.toContain(secret);
      }
      for (const line of lines) expect(line).not.toContain(secret);
    }
  });
});
