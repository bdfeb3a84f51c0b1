// The request middleware (src/http/request-log.ts) in workerd: a correlation id per request, echoed as X-Request-Id; one `request` record with method, route, status, duration and credential; secrets never in a record; the dev-switch warning told once.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Env } from '../../src/env.js';
import { createApp } from '../../src/http/app.js';
import { DEV_AUTH_WARNING } from '../../src/http/auth.js';
import { workerdLocality } from '../../src/http/locality.js';
import { requestIdOf } from '../../src/http/request-log.js';
import { envLoggers } from '../../src/observability/env-logger.js';
import { jsonLine, type LogRecord } from '../../src/observability/log.js';

const API_TOKEN = 'test-token-0123456789abcdef0123456789abcdef'; // vitest.config.ts bindings
const HMAC_KEY = 'actuator-key-0123456789abcdef0123456789abcd';
const NOW = '2026-11-22T10:30:00Z';
const EVALUATE = { now: NOW, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } }] };

/** An app whose records are captured, at debug (the suites otherwise run with EDGESCALE_LOG_LEVEL=off). */
function captured(options: { local?: boolean } = {}) {
  const records: LogRecord[] = [];
  const app = createApp({ loggerFor: envLoggers((r) => void records.push(r)), ...(options.local && { locality: workerdLocality(true) }) });
  // The dev switch trusts only requests to a loopback host (src/http/locality.ts).
  const origin = options.local ? 'http://localhost:8787' : 'http://edgescale.test';
  const call = (path: string, init: RequestInit = {}, bindings: Partial<Env> = {}) =>
    app.fetch(new Request(`${origin}${path}`, { ...init, headers: { ...(options.local && { host: 'localhost:8787' }), ...(init.headers as Record<string, string>) } }), {
      ...env,
      EDGESCALE_LOG_LEVEL: 'debug',
      ...bindings,
    } as Env);
  return { records, call };
}
const bearer = { authorization: `Bearer ${API_TOKEN}` };
const post = (body: unknown) => ({ method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the correlation id', () => {
  it('keeps a safe incoming X-Request-Id, and answers with it', async () => {
    const { records, call } = captured();
    const res = await call('/healthz', { headers: { 'x-request-id': 'lb-7f3a.42:9_z' } });
    expect(res.headers.get('x-request-id')).toBe('lb-7f3a.42:9_z');
    expect(records).toMatchObject([{ event: 'request', requestId: 'lb-7f3a.42:9_z' }]);
  });

  it('replaces a missing or unsafe one with a random UUID', async () => {
    const { records, call } = captured();
    const unsafe = ['', 'has space', 'quote"inside', '-leading-dash', 'x'.repeat(129), '{"level":"error"}'];
    for (const id of unsafe) await call('/healthz', { headers: { 'x-request-id': id } });
    await call('/healthz');
    const ids = records.map((r) => r.requestId as string);
    expect(ids).toHaveLength(unsafe.length + 1);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(requestIdOf('x'.repeat(128))).toBe('x'.repeat(128));
  });

  it('is on every record of the request: its decisions and its delivery too', async () => {
    const { records, call } = captured();
    const res = await call('/v1/evaluate', { ...post({ ...EVALUATE, deliver: true }), headers: { ...post(EVALUATE).headers, 'x-request-id': 'req-1' } });
    expect(res.status).toBe(200);
    const events = records.map((r) => r.event);
    expect([events[0], events.at(-1)]).toEqual(['decision', 'request']);
    expect(events.slice(1, -1).length).toBeGreaterThan(0);
    for (const e of events.slice(1, -1)) expect(e).toMatch(/^delivery\./);
    for (const r of records) expect(r.requestId).toBe('req-1');
  });
});

describe('the request record', () => {
  it('names method, route (never the raw path), status, duration and the credential that authenticated', async () => {
    const { records, call } = captured();
    await call('/v1/rulesets/web-tier', { headers: bearer });
    await call('/v1/rulesets', { headers: { authorization: 'Bearer wrong-token-0123456789abcdef0123456789' } });
    await call('/nowhere/at/all');
    expect(records.map(({ method, route, status, credential, level }) => ({ method, route, status, credential, level }))).toEqual([
      { method: 'GET', route: '/v1/rulesets/:id', status: 200, credential: 'api-token', level: 'info' },
      { method: 'GET', route: '/v1/rulesets', status: 401, credential: undefined, level: 'info' },
      { method: 'GET', route: '(none)', status: 404, credential: undefined, level: 'info' },
    ]);
    for (const r of records) {
      expect(typeof r.durationMs).toBe('number');
      expect(r.durationMs as number).toBeGreaterThanOrEqual(0);
    }
  });

  it('a successful poll of /healthz is at debug, other requests at info', async () => {
    const { records, call } = captured();
    await call('/healthz');
    await call('/v1/rulesets', { headers: bearer });
    expect(records.map((r) => [r.route, r.level])).toEqual([
      ['/healthz', 'debug'],
      ['/v1/rulesets', 'info'],
    ]);
  });

  it('a decision record holds target, action, code, from → to and the decision id', async () => {
    const { records, call } = captured();
    await call('/v1/evaluate', post(EVALUATE));
    const d = records.find((r) => r.event === 'decision')!;
    expect(d).toMatchObject({ level: 'info', target: 'web-1', ruleSet: 'web-tier', action: 'scaleOut', code: 'ScaleOut', from: 4, to: 5, rule: 'cpu-high' });
    expect(d.decisionId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('at warn, neither requests nor decisions are written', async () => {
    const { records, call } = captured();
    await call('/v1/evaluate', post(EVALUATE), { EDGESCALE_LOG_LEVEL: 'warn' });
    expect(records).toEqual([]);
  });
});

describe('secrets never reach a record', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the bearer token, the webhook key and the actuator signing key are in no record of a delivering request', async () => {
    const { records, call } = captured();
    // An actuator that refuses (401, as for a wrong key): the decision is queued with its error, every step logged.
    const sent: Request[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => (sent.push(new Request(input, init)), new Response('bad signature', { status: 401 })));
    const res = await call('/v1/evaluate', post({ ...EVALUATE, deliver: true }), { ACTUATOR_URL: 'https://actuator.test/decisions', ACTUATOR_HMAC_KEY: HMAC_KEY });
    expect(sent[0]!.headers.get('x-edgescale-signature')).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(res.status).toBe(200);
    const text = records.map(jsonLine).join('\n');
    expect(
      records.filter((r) => r.event.startsWith('delivery.')).map(({ event, actuator, attempts, status, outcome }) => ({ event, actuator, attempts, status, outcome })),
    ).toEqual([{ event: 'delivery.Queued', actuator: 'default', attempts: 1, status: 401, outcome: 'queued' }]);
    for (const secret of [API_TOKEN, HMAC_KEY, env.EDGESCALE_WEBHOOK_HMAC_KEY!]) expect(text).not.toContain(secret);
  });
});

describe('the dev switch warning', () => {
  it('is told once, in one wording, however many requests it lets through', async () => {
    const { records, call } = captured({ local: true });
    for (let i = 0; i < 3; i++) expect((await call('/v1/rulesets', {}, { EDGESCALE_DEV_AUTH_DISABLED: 'true' })).status).toBe(200);
    expect(records.filter((r) => r.event === 'auth.disabled').map((r) => r.message)).toEqual([DEV_AUTH_WARNING]);
    expect(records.filter((r) => r.event === 'request').map((r) => r.credential)).toEqual(['local-dev', 'local-dev', 'local-dev']);
  });
});
