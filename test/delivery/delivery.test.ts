// Signed delivery to an actuator: the signature (src/delivery/sign.ts) and retries, queueing and the queue consumer (src/delivery/deliver.ts).
import { describe, expect, it } from 'vitest';
import {
  DELIVERY_CONCURRENCY,
  DELIVERY_DEFAULTS,
  MAX_ATTEMPTS_LIMIT,
  QUEUE_RETRY_BASE_SECONDS,
  QUEUE_RETRY_MAX_SECONDS,
  deliverDecisions,
  handleQueueBatch,
  type DeliverableDecision,
  type DeliveryConfig,
  type DeliveryDeps,
  type DeliveryErrorCode,
  type DeliveryOutcome,
  type QueueMessageLike,
  type QueuedDelivery,
} from '../../src/delivery/deliver.js';
import { signPayload, verifySignature, type SignatureFailureCode } from '../../src/delivery/sign.js';
import { sha256Hex } from '../../src/engine/hash.js';

const KEY = 'whsec-test-key-7f3a9c1e5b';
const OTHER_KEY = 'whsec-other-key-0000000000';
const URL_ = 'https://actuator.test/v1/decisions';
/** 2026-11-22T10:30:00Z in unix seconds. */
const NOW = Date.parse('2026-11-22T10:30:00Z') / 1000;
const enc = new TextEncoder();

/** HMAC-SHA256 hex computed in the test, independently of src/delivery/sign.ts. */
async function hmacHex(key: string, data: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(data)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Parses `t=<secs>,v1=<hex>` with its own regex (the documented format), not sign.ts's parser. */
function parseHeader(header: string | undefined): { t: number; v1: string } {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) throw new Error(`signature header has the wrong shape: ${header}`);
  return { t: Number(m[1]), v1: m[2]! };
}

function decision(n: number, extra: Partial<DeliverableDecision> = {}): DeliverableDecision {
  return {
    decisionId: sha256Hex(`inputs-${n}`),
    target: `web-${n}`,
    ruleSet: 'web-tier',
    action: 'scaleOut',
    from: 4,
    to: 5,
    code: 'ScaleOut',
    reason: 'scale-out 4→5: rule cpu-high fired (cpu average over PT10M = 85, > 70)',
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------------
// Fakes

type Step = number | 'network' | 'timeout';
interface Recorded {
  url: string;
  method: string;
  headers: Headers;
  body: string;
  redirect: string | undefined;
  signal: unknown;
  at: number;
}
interface LogLine {
  level: 'info' | 'warn' | 'error';
  msg: string;
  data?: unknown;
}

/**
 * Fake fetch answering from a per-decision script (by Idempotency-Key; 200 once the script runs out),
 * a fake sleep that records delays and advances the fake clock, a recording queue and log.
 */
function harness(
  opts: {
    script?: Record<string, Step[]>;
    queue?: 'none' | 'ok' | 'throws';
    random?: () => number;
    fetchDelay?: (req: Recorded) => Promise<void>;
  } = {},
) {
  let clockMs = NOW * 1000;
  const requests: Recorded[] = [];
  const sleeps: number[] = [];
  const queued: unknown[] = [];
  const logs: LogLine[] = [];
  const calls: Record<string, number> = {};
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchFake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const rec: Recorded = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers,
      body: String(init?.body ?? ''),
      redirect: init?.redirect,
      signal: init?.signal,
      at: Math.floor(clockMs / 1000),
    };
    requests.push(rec);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (opts.fetchDelay) await opts.fetchDelay(rec);
      const id = headers.get('idempotency-key') ?? '';
      const n = (calls[id] = (calls[id] ?? 0) + 1);
      const step = opts.script?.[id]?.[n - 1] ?? 200;
      if (step === 'network') throw new TypeError('fetch failed: connection refused');
      if (step === 'timeout') throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      return new Response(step === 204 ? null : `{"status":${step}}`, { status: step });
    } finally {
      inFlight--;
    }
  };
  const deps: DeliveryDeps = {
    fetch: fetchFake as typeof fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
      clockMs += ms;
    },
    nowSeconds: () => clockMs / 1000,
    random: opts.random ?? (() => 1),
    log: (level, msg, data) => logs.push({ level, msg, data }),
  };
  if (opts.queue === 'ok') deps.queue = { send: async (body) => void queued.push(body) };
  if (opts.queue === 'throws') deps.queue = { send: async () => Promise.reject(new Error('queue is full')) };
  return { deps, requests, sleeps, queued, logs, maxInFlight: () => maxInFlight, advance: (s: number) => (clockMs += s * 1000) };
}

const CONFIG: DeliveryConfig = { actuatorUrl: URL_, hmacKey: KEY };

// ---------------------------------------------------------------------------------------------------
// sign.ts

describe('signPayload: hex HMAC-SHA256 over `${t}.${body}` (Stripe scheme, docs.stripe.com/webhooks/signatures)', () => {
  it('the test helper reproduces RFC 4231 test case 2, so it is a sound independent reference', async () => {
    expect(await hmacHex('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
  it.each([
    { name: 'a decision body', body: JSON.stringify(decision(1)) },
    { name: 'an empty body', body: '' },
    { name: 'non-ASCII body (UTF-8 bytes are signed)', body: '{"reason":"4→5 … ü"}' },
  ])('matches an independent crypto.subtle recomputation for $name', async ({ body }) => {
    expect(await signPayload(KEY, NOW, body)).toBe(await hmacHex(KEY, `${NOW}.${body}`));
  });
});

describe('verifySignature: codes follow stripe-node validateComputedSignature (missing, malformed, signature, then age)', () => {
  const body = JSON.stringify(decision(1));
  type Case = { name: string; header: () => Promise<string | null>; body?: string; key?: string; now?: number; expected: true | SignatureFailureCode };
  const sig = (t: number, b = body, k = KEY) => hmacHex(k, `${t}.${b}`);
  const cases: Case[] = [
    { name: 'a fresh, correct signature', header: async () => `t=${NOW},v1=${await sig(NOW)}`, expected: true },
    { name: 'uppercase hex', header: async () => `t=${NOW},v1=${(await sig(NOW)).toUpperCase()}`, expected: true },
    { name: 'spaces after commas and an unknown v0 entry (ignored)', header: async () => `t=${NOW}, v0=abc, v1=${await sig(NOW)}`, expected: true },
    { name: 'two v1 entries during a key rotation, one matching', header: async () => `t=${NOW},v1=${await sig(NOW, body, OTHER_KEY)},v1=${await sig(NOW)}`, expected: true },
    { name: 'exactly at the 300 s edge of the window', header: async () => `t=${NOW - 300},v1=${await sig(NOW - 300)}`, expected: true },
    { name: 'no header', header: async () => null, expected: 'MissingSignature' },
    { name: 'an empty header', header: async () => '  ', expected: 'MissingSignature' },
    { name: 'a header that is not name=value', header: async () => 'garbage', expected: 'MalformedSignature' },
    { name: 'no t=', header: async () => `v1=${await sig(NOW)}`, expected: 'MalformedSignature' },
    { name: 'no v1=', header: async () => `t=${NOW}`, expected: 'MalformedSignature' },
    { name: 'a non-numeric t=', header: async () => `t=soon,v1=${await sig(NOW)}`, expected: 'MalformedSignature' },
    { name: 'a fractional t=', header: async () => `t=${NOW}.5,v1=${await sig(NOW)}`, expected: 'MalformedSignature' },
    { name: 'two t= entries', header: async () => `t=${NOW},t=${NOW - 1000},v1=${await sig(NOW)}`, expected: 'MalformedSignature' },
    { name: 'a v1= that is not 64 hex characters', header: async () => `t=${NOW},v1=${(await sig(NOW)).slice(0, 40)}`, expected: 'MalformedSignature' },
    { name: 'a tampered body', header: async () => `t=${NOW},v1=${await sig(NOW)}`, body: body.replace('"to":5', '"to":50'), expected: 'BadSignature' },
    { name: 'the wrong key', header: async () => `t=${NOW},v1=${await sig(NOW)}`, key: OTHER_KEY, expected: 'BadSignature' },
    { name: 'an empty verification key', header: async () => `t=${NOW},v1=${await sig(NOW)}`, key: '', expected: 'BadSignature' },
    { name: 'a timestamp 301 s old', header: async () => `t=${NOW - 301},v1=${await sig(NOW - 301)}`, expected: 'StaleTimestamp' },
    { name: 'a timestamp 301 s in the future', header: async () => `t=${NOW + 301},v1=${await sig(NOW + 301)}`, expected: 'StaleTimestamp' },
    { name: 'a genuine request replayed an hour later', header: async () => `t=${NOW},v1=${await sig(NOW)}`, now: NOW + 3600, expected: 'StaleTimestamp' },
    { name: 'a replay whose old t= was rewritten to now', header: async () => `t=${NOW + 3600},v1=${await sig(NOW)}`, now: NOW + 3600, expected: 'BadSignature' },
  ];
  it.each(cases)('$name → $expected', async (c) => {
    const result = await verifySignature(c.key ?? KEY, await c.header(), c.body ?? body, c.now ?? NOW);
    if (c.expected === true) expect(result).toEqual({ ok: true });
    else expect(result).toMatchObject({ ok: false, code: c.expected });
  });
  it('takes a custom tolerance: 60 s rejects a 61 s old request', async () => {
    const header = `t=${NOW - 61},v1=${await sig(NOW - 61)}`;
    expect(await verifySignature(KEY, header, body, NOW, 60)).toMatchObject({ ok: false, code: 'StaleTimestamp' });
    expect(await verifySignature(KEY, header, body, NOW)).toEqual({ ok: true });
  });
});

// ---------------------------------------------------------------------------------------------------
// deliver.ts: deliverDecisions

describe('deliverDecisions sends one signed POST per decision', () => {
  it('POSTs the decision as JSON with a signature that verifies, both with verifySignature and recomputed here', async () => {
    const h = harness();
    const d = decision(1);
    const [result] = await deliverDecisions([d], CONFIG, h.deps);
    expect(result).toEqual({ decisionId: d.decisionId, target: d.target, outcome: 'delivered', attempts: 1, status: 200 });
    expect(h.requests).toHaveLength(1);
    const req = h.requests[0]!;
    expect(req).toMatchObject({ url: URL_, method: 'POST', redirect: 'manual' });
    expect(req.signal).toBeInstanceOf(AbortSignal);
    expect(req.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual(d);
    const header = req.headers.get('x-edgescale-signature') ?? undefined;
    const { t, v1 } = parseHeader(header);
    expect(t).toBe(NOW);
    expect(v1).toBe(await hmacHex(KEY, `${t}.${req.body}`));
    expect(await verifySignature(KEY, header, req.body, NOW)).toEqual({ ok: true });
    expect(req.headers.get('idempotency-key')).toBe(d.decisionId);
    expect(req.headers.get('x-edgescale-delivery-attempt')).toBe('1');
  });

  it('treats every 2xx as delivered (204 No Content included)', async () => {
    const d = decision(1);
    const h = harness({ script: { [d.decisionId]: [204] } });
    expect(await deliverDecisions([d], CONFIG, h.deps)).toMatchObject([{ outcome: 'delivered', status: 204, attempts: 1 }]);
  });

  it('keeps results in input order and never has more than DELIVERY_CONCURRENCY (6, the Workers connection limit) in flight', async () => {
    const ds = Array.from({ length: 15 }, (_, i) => decision(i));
    // Later decisions answer sooner, so completion order is the reverse of input order.
    const h = harness({ fetchDelay: (req) => new Promise((r) => setTimeout(r, 20 - ds.findIndex((d) => d.decisionId === req.headers.get('idempotency-key')))) });
    const results = await deliverDecisions(ds, CONFIG, h.deps);
    expect(results.map((r) => r.decisionId)).toEqual(ds.map((d) => d.decisionId));
    expect(results.every((r) => r.outcome === 'delivered')).toBe(true);
    expect(DELIVERY_CONCURRENCY).toBe(6);
    expect(h.maxInFlight()).toBe(6);
  });

  it('returns an empty list for no decisions and sends nothing', async () => {
    const h = harness();
    expect(await deliverDecisions([], CONFIG, h.deps)).toEqual([]);
    expect(h.requests).toHaveLength(0);
  });
});

describe('deliverDecisions retries transient failures (RFC 9110 §15.5.9 408, RFC 6585 §4 429, §15.6 5xx) and not permanent ones', () => {
  type Case = { name: string; script: Step[]; outcome: DeliveryOutcome; attempts: number; code?: DeliveryErrorCode; status?: number };
  const cases: Case[] = [
    { name: '500 then 200', script: [500, 200], outcome: 'delivered', attempts: 2, status: 200 },
    { name: '503 twice then 200', script: [503, 503, 200], outcome: 'delivered', attempts: 3, status: 200 },
    { name: '429 then 200', script: [429, 200], outcome: 'delivered', attempts: 2, status: 200 },
    { name: '408 then 200', script: [408, 200], outcome: 'delivered', attempts: 2, status: 200 },
    { name: 'a network error then 200', script: ['network', 200], outcome: 'delivered', attempts: 2, status: 200 },
    { name: 'a timeout then 200', script: ['timeout', 200], outcome: 'delivered', attempts: 2, status: 200 },
    { name: '502 on every attempt (queued as Unavailable)', script: [502, 502, 502, 502], outcome: 'queued', attempts: 4, code: 'Unavailable', status: 502 },
    { name: 'network errors on every attempt (queued as NetworkError)', script: ['network', 'network', 'network', 'network'], outcome: 'queued', attempts: 4, code: 'NetworkError' },
    { name: '400: no retry', script: [400], outcome: 'queued', attempts: 1, code: 'Rejected', status: 400 },
    { name: '401: no retry', script: [401], outcome: 'queued', attempts: 1, code: 'Rejected', status: 401 },
    { name: '404: no retry', script: [404], outcome: 'queued', attempts: 1, code: 'Rejected', status: 404 },
    { name: '422: no retry', script: [422], outcome: 'queued', attempts: 1, code: 'Rejected', status: 422 },
    { name: '500 then 400: stops at the permanent answer', script: [500, 400], outcome: 'queued', attempts: 2, code: 'Rejected', status: 400 },
    { name: 'a 302 redirect is not followed and not retried', script: [302], outcome: 'queued', attempts: 1, code: 'Rejected', status: 302 },
  ];
  it.each(cases)('$name → $outcome after $attempts attempt(s)', async (c) => {
    const d = decision(1);
    const h = harness({ script: { [d.decisionId]: c.script }, queue: 'ok' });
    const [result] = await deliverDecisions([d], CONFIG, h.deps);
    expect(result).toMatchObject({ outcome: c.outcome, attempts: c.attempts });
    expect(h.requests).toHaveLength(c.attempts);
    if (c.status !== undefined) expect(result!.status).toBe(c.status);
    if (c.code) expect(result!.error?.code).toBe(c.code);
    else expect(result!.error).toBeUndefined();
    expect(h.sleeps).toHaveLength(c.attempts - 1);
  });

  it('sends the same Idempotency-Key (the decisionId) on every retry, counts attempts up, and signs each attempt afresh', async () => {
    const d = decision(7);
    const h = harness({ script: { [d.decisionId]: [500, 'network', 503, 200] } });
    const [result] = await deliverDecisions([d], CONFIG, h.deps);
    expect(result).toMatchObject({ outcome: 'delivered', attempts: 4 });
    expect(h.requests.map((r) => r.headers.get('idempotency-key'))).toEqual([d.decisionId, d.decisionId, d.decisionId, d.decisionId]);
    expect(h.requests.map((r) => r.headers.get('x-edgescale-delivery-attempt'))).toEqual(['1', '2', '3', '4']);
    for (const req of h.requests) {
      const { t, v1 } = parseHeader(req.headers.get('x-edgescale-signature') ?? undefined);
      expect(t).toBe(req.at);
      expect(v1).toBe(await hmacHex(KEY, `${t}.${req.body}`));
      expect(req.body).toBe(h.requests[0]!.body);
    }
  });

  it('waits min(maxDelay, base·2^(n-1)) at the top of the full-jitter window (AWS "Exponential Backoff and Jitter"), capped at maxDelay', async () => {
    const d = decision(1);
    const config = { ...CONFIG, maxAttempts: 7, baseDelayMs: 100, maxDelayMs: 1000 };
    const h = harness({ script: { [d.decisionId]: [500, 500, 500, 500, 500, 500, 500] }, queue: 'ok', random: () => 1 });
    await deliverDecisions([d], config, h.deps);
    // Windows before retries 1..6: 100, 200, 400, 800, then the 1000 cap twice.
    expect(h.sleeps).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('draws each wait uniformly inside the window from deps.random (0.5 → half the window, 0 → no wait)', async () => {
    const d = decision(1);
    const draws = [0.5, 0.5, 0];
    const h = harness({ script: { [d.decisionId]: [500, 500, 500, 500] }, queue: 'ok', random: () => draws.shift() ?? 0 });
    await deliverDecisions([d], CONFIG, h.deps);
    const { baseDelayMs } = DELIVERY_DEFAULTS;
    expect(h.sleeps).toEqual([baseDelayMs * 0.5, baseDelayMs * 2 * 0.5, 0]);
  });

  it('uses the documented defaults: 4 attempts, 200 ms base, 2 s cap', async () => {
    expect(DELIVERY_DEFAULTS).toMatchObject({ maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 2000 });
    const d = decision(1);
    const h = harness({ script: { [d.decisionId]: [500, 500, 500, 500, 500] }, queue: 'ok' });
    const [sent] = await deliverDecisions([d], CONFIG, h.deps);
    expect(sent!.attempts).toBe(4);
    expect(h.sleeps).toEqual([200, 400, 800]);
  });

  it.each([
    { name: 'maxAttempts 0 falls back to the default', maxAttempts: 0, attempts: DELIVERY_DEFAULTS.maxAttempts },
    { name: 'maxAttempts NaN falls back to the default', maxAttempts: Number.NaN, attempts: DELIVERY_DEFAULTS.maxAttempts },
    { name: `maxAttempts 100 is capped at ${MAX_ATTEMPTS_LIMIT} (Workers Free: 50 subrequests)`, maxAttempts: 100, attempts: MAX_ATTEMPTS_LIMIT },
    { name: 'maxAttempts 1 means no retry', maxAttempts: 1, attempts: 1 },
  ])('$name', async ({ maxAttempts, attempts }) => {
    const d = decision(1);
    const h = harness({ script: { [d.decisionId]: Array(20).fill(500) }, queue: 'ok' });
    const [result] = await deliverDecisions([d], { ...CONFIG, maxAttempts }, h.deps);
    expect(result!.attempts).toBe(attempts);
    expect(h.requests).toHaveLength(attempts);
  });
});

describe('deliverDecisions never drops a decision silently', () => {
  it('hands an exhausted decision to the queue with { decision, attempts, lastError, firstAttemptAt }', async () => {
    const d = decision(3);
    const h = harness({ script: { [d.decisionId]: [503, 503, 503, 503] }, queue: 'ok' });
    const [result] = await deliverDecisions([d], CONFIG, h.deps);
    expect(result).toMatchObject({ outcome: 'queued', attempts: 4, status: 503, error: { code: 'Unavailable', status: 503 } });
    expect(h.queued).toHaveLength(1);
    const msg = h.queued[0] as QueuedDelivery;
    expect(msg.decision).toEqual(d);
    expect(msg.attempts).toBe(4);
    expect(msg.lastError).toMatchObject({ code: 'Unavailable', status: 503 });
    expect(msg.firstAttemptAt).toBe('2026-11-22T10:30:00Z');
  });

  it('dead-letters a permanent 4xx to the queue too, after one attempt', async () => {
    const d = decision(3);
    const h = harness({ script: { [d.decisionId]: [400] }, queue: 'ok' });
    await deliverDecisions([d], CONFIG, h.deps);
    expect(h.queued).toEqual([{ decision: d, attempts: 1, lastError: expect.objectContaining({ code: 'Rejected', status: 400 }), firstAttemptAt: '2026-11-22T10:30:00Z' }]);
  });

  it('without a queue, logs the whole decision at error level and reports failed', async () => {
    const d = decision(4);
    const h = harness({ script: { [d.decisionId]: [500, 500, 500, 500] }, queue: 'none' });
    const [result] = await deliverDecisions([d], CONFIG, h.deps);
    expect(result).toMatchObject({ outcome: 'failed', attempts: 4, error: { code: 'Unavailable' } });
    const errors = h.logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.data).toMatchObject({ decision: d, attempts: 4 });
  });

  it('when the queue refuses the dead letter, logs the whole decision at error level and reports QueueSendFailed', async () => {
    const d = decision(4);
    const h = harness({ script: { [d.decisionId]: [400] }, queue: 'throws' });
    const [result] = await deliverDecisions([d], CONFIG, h.deps);
    expect(result).toMatchObject({ outcome: 'failed', attempts: 1, status: 400, error: { code: 'QueueSendFailed' } });
    expect(h.logs.filter((l) => l.level === 'error').map((l) => (l.data as { decision: unknown }).decision)).toEqual([d]);
  });

  it('without ACTUATOR_URL and without a queue, logs each whole decision at info and reports logged, sending nothing', async () => {
    const ds = [decision(1), decision(2)];
    const h = harness({ queue: 'none' });
    const results = await deliverDecisions(ds, { hmacKey: KEY }, h.deps);
    expect(results).toEqual(ds.map((d) => ({ decisionId: d.decisionId, target: d.target, outcome: 'logged', attempts: 0 })));
    expect(h.requests).toHaveLength(0);
    expect(h.logs.filter((l) => l.level === 'info').map((l) => (l.data as { decision: unknown }).decision)).toEqual(ds);
  });

  it('an actuator without a URL where a queue is bound: every decision is queued (NotConfigured), with a structured log line saying why and until when', async () => {
    const ds = [decision(1), decision(2)];
    const h = harness({ queue: 'ok' });
    const results = await deliverDecisions(ds, { actuator: 'billing', hmacKey: KEY }, h.deps);
    expect(h.requests).toHaveLength(0);
    expect(results.map((r) => [r.outcome, r.attempts, r.error?.code])).toEqual([
      ['queued', 0, 'NotConfigured'],
      ['queued', 0, 'NotConfigured'],
    ]);
    expect(results[0]!.error!.message).toBe('actuator "billing" has no URL: ACTUATOR_URL_BILLING is not set');
    expect((h.queued as QueuedDelivery[]).map((m) => m.decision)).toEqual(ds);
    const lines = h.logs.filter((l) => (l.data as { event?: string })?.event === 'QueuedUntilConfigured');
    expect(lines.map((l) => [l.level, (l.data as { decisionId: string }).decisionId, (l.data as { variable: string }).variable])).toEqual(
      ds.map((d) => ['warn', d.decisionId, 'ACTUATOR_URL_BILLING']),
    );
    expect(lines[0]!.msg).toMatch(/redelivered once it is, else moved to the dead-letter queue/);

    // The consumer keeps it queued (an hour at a time) until the URL appears, then delivers it with the same key.
    const { m, calls } = message('m-1', h.queued[0]);
    await handleQueueBatch({ messages: [m] }, { actuator: 'billing', hmacKey: KEY }, h.deps);
    expect(calls).toEqual([{ op: 'retry', options: { delaySeconds: QUEUE_RETRY_MAX_SECONDS } }]);
    expect(h.logs.at(-1)).toMatchObject({ level: 'error', data: { event: 'QueuedUntilConfigured', actuator: 'billing', variable: 'ACTUATOR_URL_BILLING' } });
    const later = message('m-1', h.queued[0], 2);
    await handleQueueBatch({ messages: [later.m] }, { actuator: 'billing', actuatorUrl: URL_, hmacKey: KEY }, h.deps);
    expect(later.calls).toEqual([{ op: 'ack' }]);
    expect(h.requests.map((r) => r.headers.get('idempotency-key'))).toEqual([ds[0]!.decisionId]);
  });

  it.each([
    { name: 'a URL without a key', config: { actuatorUrl: URL_ } },
    { name: 'a URL with an empty key', config: { actuatorUrl: URL_, hmacKey: '' } },
    { name: 'a URL that does not parse', config: { actuatorUrl: 'not a url', hmacKey: KEY } },
    { name: 'a non-http URL', config: { actuatorUrl: 'ftp://actuator.test/x', hmacKey: KEY } },
  ])('with $name: sends nothing unsigned, logs an error, queues every decision as NotConfigured', async ({ config }) => {
    const ds = [decision(1), decision(2)];
    const h = harness({ queue: 'ok' });
    const results = await deliverDecisions(ds, config, h.deps);
    expect(h.requests).toHaveLength(0);
    expect(results.map((r) => [r.outcome, r.attempts, r.error?.code])).toEqual([
      ['queued', 0, 'NotConfigured'],
      ['queued', 0, 'NotConfigured'],
    ]);
    expect((h.queued as QueuedDelivery[]).map((m) => m.decision)).toEqual(ds);
    expect(h.logs.some((l) => l.level === 'error')).toBe(true);
  });

  it('with a URL but no key and no queue: each whole decision is logged at error level', async () => {
    const d = decision(1);
    const h = harness({ queue: 'none' });
    const [result] = await deliverDecisions([d], { actuatorUrl: URL_ }, h.deps);
    expect(result).toMatchObject({ outcome: 'failed', attempts: 0, error: { code: 'NotConfigured' } });
    expect(h.logs.some((l) => l.level === 'error' && (l.data as { decision?: unknown })?.decision === d)).toBe(true);
  });

  it.each([
    { name: 'no decisionId', d: { target: 'web-1' } as unknown as DeliverableDecision },
    { name: 'a decisionId with a newline (not a header value)', d: { decisionId: 'abc\ndef', target: 'web-1' } },
    { name: 'no target', d: { decisionId: sha256Hex('x') } as unknown as DeliverableDecision },
    { name: 'a value JSON cannot encode', d: { decisionId: sha256Hex('x'), target: 'web-1', big: 1n } },
  ])('a decision with $name is reported InvalidDecision and logged whole at error level, not sent', async ({ d }) => {
    const h = harness({ queue: 'ok' });
    const [result] = await deliverDecisions([d], CONFIG, h.deps);
    expect(result).toMatchObject({ outcome: 'failed', attempts: 0, error: { code: 'InvalidDecision' } });
    expect(h.requests).toHaveLength(0);
    expect(h.logs.filter((l) => l.level === 'error').map((l) => (l.data as { decision: unknown }).decision)).toEqual([d]);
  });

  it('reports a throwing dependency as a failed result instead of rejecting', async () => {
    const d = decision(1);
    const h = harness({ script: { [d.decisionId]: [500, 200] }, queue: 'ok' });
    const deps = { ...h.deps, sleep: async () => Promise.reject(new Error('timer broke')) };
    const [result] = await deliverDecisions([d], CONFIG, deps);
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'InternalError' } });
    expect(h.logs.some((l) => l.level === 'error' && (l.data as { decision?: unknown }).decision === d)).toBe(true);
  });

  it('never writes the HMAC key into a log line, a result or a queue message', async () => {
    const ds = [decision(1), decision(2), decision(3)];
    const h = harness({ script: { [ds[0]!.decisionId]: [500, 200], [ds[1]!.decisionId]: [400], [ds[2]!.decisionId]: [503, 503, 503, 503] }, queue: 'ok' });
    const results = await deliverDecisions(ds, CONFIG, h.deps);
    const h2 = harness({ queue: 'none' });
    const results2 = await deliverDecisions(ds, { actuatorUrl: URL_, hmacKey: KEY, maxAttempts: 0 }, h2.deps);
    const everything = JSON.stringify([h.logs, h.queued, results, h2.logs, results2]);
    expect(everything).not.toContain(KEY);
    expect(h.logs.length).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------------
// deliver.ts: handleQueueBatch

/** A Cloudflare Queues message double (message.body, attempts, ack(), retry({ delaySeconds })). */
function message(id: string, body: unknown, attempts = 1) {
  const calls: Array<{ op: 'ack' } | { op: 'retry'; options?: { delaySeconds?: number } }> = [];
  const m: QueueMessageLike = {
    id,
    body,
    attempts,
    ack: () => void calls.push({ op: 'ack' }),
    retry: (options) => void calls.push(options === undefined ? { op: 'retry' } : { op: 'retry', options }),
  };
  return { m, calls };
}

function queuedBody(d: DeliverableDecision, attempts = 4): QueuedDelivery {
  return { decision: d, attempts, lastError: { code: 'Unavailable', message: 'actuator answered HTTP 503', status: 503 }, firstAttemptAt: '2026-11-22T10:29:00.000Z' };
}

describe('handleQueueBatch re-attempts queued decisions (Cloudflare Queues: message.ack(), message.retry({ delaySeconds }))', () => {
  it('acks a delivered message and retries a failed one; each message is settled exactly once', async () => {
    const ok = decision(1);
    const down = decision(2);
    const rejected = decision(3);
    const h = harness({ script: { [down.decisionId]: [503], [rejected.decisionId]: [400] }, random: () => 1 });
    const a = message('m-ok', queuedBody(ok));
    const b = message('m-down', queuedBody(down), 3);
    const c = message('m-rejected', queuedBody(rejected, 1));
    const results = await handleQueueBatch({ messages: [a.m, b.m, c.m] }, CONFIG, h.deps);
    expect(a.calls).toEqual([{ op: 'ack' }]);
    // Third delivery: window min(max, base·2^2); random 1 → the top of it.
    expect(b.calls).toEqual([{ op: 'retry', options: { delaySeconds: Math.min(QUEUE_RETRY_MAX_SECONDS, QUEUE_RETRY_BASE_SECONDS * 4) } }]);
    // Permanent answers wait the longest: they need an operator.
    expect(c.calls).toEqual([{ op: 'retry', options: { delaySeconds: QUEUE_RETRY_MAX_SECONDS } }]);
    expect(results.map((r) => [r.messageId, r.action, r.status, r.error?.code])).toEqual([
      ['m-ok', 'ack', 200, undefined],
      ['m-down', 'retry', 503, 'Unavailable'],
      ['m-rejected', 'retry', 400, 'Rejected'],
    ]);
    expect(h.requests).toHaveLength(3);
  });

  it('sends the signed decision with the original Idempotency-Key, attempt numbers continuing from the in-process attempts', async () => {
    const d = decision(5);
    const h = harness({ script: { [d.decisionId]: [500, 500] } });
    for (const delivery of [1, 2, 3]) {
      const { m } = message('m-1', queuedBody(d, 4), delivery);
      await handleQueueBatch({ messages: [m] }, CONFIG, h.deps);
    }
    expect(h.requests.map((r) => r.headers.get('idempotency-key'))).toEqual([d.decisionId, d.decisionId, d.decisionId]);
    expect(h.requests.map((r) => r.headers.get('x-edgescale-delivery-attempt'))).toEqual(['5', '6', '7']);
    for (const req of h.requests) {
      expect(JSON.parse(req.body)).toEqual(d);
      expect(await verifySignature(KEY, req.headers.get('x-edgescale-signature'), req.body, req.at)).toEqual({ ok: true });
    }
  });

  it('grows the redelivery delay with message.attempts inside [window/2, window] (equal jitter), capped at one hour', async () => {
    const d = decision(5);
    for (const [attempts, draw] of [[1, 0], [1, 1], [2, 0.5], [20, 1], [20, 0]] as const) {
      const h = harness({ script: { [d.decisionId]: [503] }, random: () => draw });
      const { m, calls } = message('m', queuedBody(d), attempts);
      await handleQueueBatch({ messages: [m] }, CONFIG, h.deps);
      const window = Math.min(QUEUE_RETRY_MAX_SECONDS, QUEUE_RETRY_BASE_SECONDS * 2 ** (attempts - 1));
      expect(calls).toEqual([{ op: 'retry', options: { delaySeconds: Math.ceil(window / 2 + (draw * window) / 2) } }]);
    }
  });

  it('leaves messages queued, sending nothing, while the key or URL is missing', async () => {
    const d = decision(6);
    for (const config of [{ actuatorUrl: URL_ }, { hmacKey: KEY }]) {
      const h = harness();
      const { m, calls } = message('m', queuedBody(d));
      const [result] = await handleQueueBatch({ messages: [m] }, config, h.deps);
      expect(h.requests).toHaveLength(0);
      expect(calls).toEqual([{ op: 'retry', options: { delaySeconds: QUEUE_RETRY_MAX_SECONDS } }]);
      expect(result).toMatchObject({ action: 'retry', attempt: 0, error: { code: 'NotConfigured' } });
      expect(h.logs.filter((l) => l.level === 'error')).toHaveLength(1);
    }
  });

  it.each([
    { name: 'a bare string', body: 'hello' },
    { name: 'a decision without the envelope', body: decision(1) },
    { name: 'an envelope whose decision lacks decisionId', body: { decision: { target: 'web-1' }, attempts: 1 } },
  ])('retries $name without sending (poison message → the dead-letter queue after max_retries), logging it whole', async ({ body }) => {
    const h = harness();
    const { m, calls } = message('m-bad', body);
    const [result] = await handleQueueBatch({ messages: [m] }, CONFIG, h.deps);
    expect(h.requests).toHaveLength(0);
    expect(calls).toEqual([{ op: 'retry' }]);
    expect(result).toMatchObject({ action: 'retry', error: { code: 'InvalidDecision' } });
    expect(h.logs.filter((l) => l.level === 'error').map((l) => (l.data as { body: unknown }).body)).toEqual([body]);
  });

  it('settles a message once even when the logger throws after the ack', async () => {
    const d = decision(1);
    const h = harness();
    const deps = { ...h.deps, log: () => { throw new Error('log sink down'); } };
    const { m, calls } = message('m', queuedBody(d));
    const [result] = await handleQueueBatch({ messages: [m] }, CONFIG, deps);
    expect(calls).toEqual([{ op: 'ack' }]);
    expect(result).toMatchObject({ action: 'ack', error: { code: 'InternalError' } });
  });

  it('end to end: a decision queued during an outage is delivered by the consumer once the actuator is back, with the same key', async () => {
    const d = decision(9);
    const h = harness({ script: { [d.decisionId]: ['network', 'network', 'network', 'network', 200] }, queue: 'ok' });
    const [first] = await deliverDecisions([d], CONFIG, h.deps);
    expect(first).toMatchObject({ outcome: 'queued', attempts: 4, error: { code: 'NetworkError' } });
    h.advance(60);
    const { m, calls } = message('m-9', h.queued[0]);
    await handleQueueBatch({ messages: [m] }, CONFIG, h.deps);
    expect(calls).toEqual([{ op: 'ack' }]);
    expect(new Set(h.requests.map((r) => r.headers.get('idempotency-key')))).toEqual(new Set([d.decisionId]));
    expect(h.requests.map((r) => r.headers.get('x-edgescale-delivery-attempt'))).toEqual(['1', '2', '3', '4', '5']);
  });
});
