// Trust boundaries (issue #13): no 500 loses a batch, every answer is JSON, a 413 closes its connection, a bad cron is 422.
//
// Each case is one of the findings and failed before the fix: an HPA manifest whose aliases
// expand too far answered 500 on /v1/validate and /v1/evaluate and lost the innocent target beside it;
// /v1/scheduled ran `cron: "garbage"` as if it were the five-minute trigger. The raw-socket checks of
// the 413 against real servers are scripts/edge-smoke.mjs (they need processes and sockets, which
// workerd's test runner has not); here the answer itself is checked, through the worker and in-process.
import { env, exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Env } from '../../src/env.js';
import { createApp } from '../../src/http/app.js';
import { loadRuleSet, type CompiledRuleSet } from '../../src/engine/ruleset.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { evaluateBatch } from '../../src/service/batch.js';
import { DEFAULT_REQUEST_LIMITS } from '../../src/limits.js';
import { BILLION_LAUGHS } from '../formats/hostile-inputs.js';

const NOW = '2026-11-22T10:30:00Z';
/** The full-scope token vitest.config.ts binds, read from the binding so a new token there needs no edit here. */
const headers = () => ({ authorization: `Bearer ${(env as Env).EDGESCALE_API_TOKEN}`, 'content-type': 'application/json' });
/** The README's web tier at 4 instances running hot: decided 4 → 5 whatever else is in the batch. */
const INNOCENT = { id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } };
const CORRELATION_ID = /^es-[0-9a-f]{16}$/;

async function post(path: string, body: unknown) {
  const res = await exports.default.fetch(`http://edgescale.test${path}`, { method: 'POST', headers: headers(), body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, contentType: res.headers.get('content-type'), json: (await res.json()) as any };
}

afterEach(() => vi.restoreAllMocks());

describe('an HPA manifest whose aliases expand too far is a 422 naming the path, and the rest of the batch is decided', () => {
  it('POST /v1/validate: 422 ImportError at "hpa", naming IMPORT_LIMITS.yamlAliases', async () => {
    const r = await post('/v1/validate', { hpa: BILLION_LAUGHS });
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ valid: false, error: { code: 'ImportError', path: 'hpa', message: expect.stringContaining('IMPORT_LIMITS.yamlAliases') } });
  });

  it('POST /v1/evaluate: the bomb is targets[0]\'s ImportError, the innocent targets[1] is decided (207)', async () => {
    const r = await post('/v1/evaluate', { now: NOW, targets: [{ id: 'bomb', ruleSet: { hpa: BILLION_LAUGHS }, capacity: 2 }, INNOCENT] });
    expect(r.status).toBe(207);
    expect(r.json.summary).toEqual({ decided: 1, failed: 1 });
    expect(r.json.results[0]).toMatchObject({ index: 0, target: 'bomb', ok: false, error: { code: 'ImportError', path: 'targets[0].ruleSet.hpa' } });
    expect(r.json.results[1]).toMatchObject({ index: 1, target: 'web-1', ok: true, decision: { action: 'scaleOut', from: 4, to: 5 } });
  });

  it('deep nesting and an oversized manifest: 422 with the path, on both routes', async () => {
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const v = await post('/v1/validate', { hpa: deep });
    expect(v.status).toBe(422);
    expect(v.json.error).toMatchObject({ path: 'hpa' });
    const e = await post('/v1/evaluate', { now: NOW, targets: [INNOCENT, { id: 'deep', ruleSet: { hpa: deep }, capacity: 2 }, { id: 'deep-json', ruleSet: { azure: { properties: JSON.parse(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`) } }, capacity: 2 }] });
    expect(e.status).toBe(207);
    expect(e.json.results.map((x: any) => x.ok)).toEqual([true, false, false]);
    expect(e.json.results[2].error).toMatchObject({ code: 'ImportError', path: expect.stringMatching(/^targets\[2\]\.ruleSet\.azure\.properties(\.a)+$/) });
  });
});

describe('an exception while deciding one target becomes that target\'s InternalError; the rest is decided', () => {
  it('evaluateBatch with a resolver that throws for one rule set: InternalError with a correlation id, logged with the stack', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const resolver = (id: string): CompiledRuleSet | undefined => {
      if (id === 'explodes') throw new TypeError('resolver defect: secret-detail-42');
      return resolveBundled(id);
    };
    const outcome = await evaluateBatch(
      { now: NOW, targets: [INNOCENT, { id: 'boom', ruleSet: 'explodes', capacity: 3 }, { ...INNOCENT, id: 'web-2' }] },
      resolver,
      Date.parse(NOW),
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(outcome.decided).toBe(2);
    const failed = outcome.results[1]!;
    if (failed.ok) throw new Error('expected an error entry');
    expect(failed.error).toMatchObject({ code: 'InternalError', path: 'targets[1]', correlationId: expect.stringMatching(CORRELATION_ID) });
    // The answer names the id, never the exception's text; the log has both, and the stack.
    expect(failed.error.message).not.toContain('secret-detail-42');
    expect(failed.error.message).toContain(failed.error.correlationId!);
    const logged = errors.mock.calls.map((c) => c.join(' ')).join('\n');
    expect(logged).toContain(failed.error.correlationId!);
    expect(logged).toContain('secret-detail-42');
    expect(logged).toMatch(/at .*resolver|TypeError: resolver defect/);
  });

  it('a rule set whose compiled form throws when read (a defect deep in the engine) fails only its own target', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const loaded = loadRuleSet({ id: 'fragile', capacity: { minimum: 1, maximum: 5, default: 1 }, rules: [] });
    if (!loaded.ok) throw new Error('fixture');
    const fragile = new Proxy(loaded.ruleSet, {
      get(target, key, receiver) {
        if (key === 'spec') throw new RangeError('engine defect');
        return Reflect.get(target, key, receiver);
      },
    });
    const outcome = await evaluateBatch({ now: NOW, targets: [{ id: 'f', ruleSet: 'fragile', capacity: 1 }, INNOCENT] }, (id) => (id === 'fragile' ? fragile : resolveBundled(id)), Date.parse(NOW));
    expect(outcome.ok && outcome.results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['InternalError', 'ok']);
  });
});

describe('every answer is JSON, even an internal failure', () => {
  it('an exception escaping a route: 500 JSON InternalError with a correlation id, logged with the stack, no exception text in the answer', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const app = createApp();
    app.post('/v1/explode', () => {
      throw new Error('route defect: secret-detail-43');
    });
    // Logging on at error (the suites run with EDGESCALE_LOG_LEVEL=off): the stack goes to the worker's console.
    const res = await app.request('/v1/explode', { method: 'POST', headers: headers(), body: '{}' }, { ...env, EDGESCALE_LOG_LEVEL: 'error' });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as any;
    expect(body.error).toMatchObject({ code: 'InternalError', path: '', correlationId: expect.stringMatching(CORRELATION_ID) });
    expect(JSON.stringify(body)).not.toContain('secret-detail-43');
    const logged = errors.mock.calls.map((c) => c.join(' ')).join('\n');
    expect(logged).toContain(body.error.correlationId);
    expect(logged).toContain('secret-detail-43');
    expect(logged).toContain('POST /v1/explode');
  });

  it('an unknown route is 404 JSON', async () => {
    const res = await exports.default.fetch('http://edgescale.test/nowhere', { headers: headers() });
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error).toMatchObject({ code: 'NotFound', path: 'url' });
  });
});

describe('a body over the limit is 413 JSON with Connection: close', () => {
  /** A chunked body (no Content-Length) of `bytes` spaces, sent in 64 KiB pieces. */
  function chunked(bytes: number): ReadableStream<Uint8Array> {
    let sent = 0;
    return new ReadableStream({
      pull(controller) {
        const n = Math.min(65_536, bytes - sent);
        if (n <= 0) return controller.close();
        controller.enqueue(new Uint8Array(n).fill(0x20));
        sent += n;
      },
    });
  }

  it('in-process: a chunked body over the limit gets 413 PayloadTooLarge and "Connection: close"', async () => {
    const app = createApp();
    const res = await app.request('/v1/evaluate', { method: 'POST', headers: headers(), body: chunked(DEFAULT_REQUEST_LIMITS.bodyBytes + 1), duplex: 'half' } as RequestInit, env);
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(((await res.json()) as any).error).toMatchObject({ code: 'PayloadTooLarge', path: 'body' });
  });

  it('through the worker: chunked and declared bodies over the limit are 413 JSON on /v1/evaluate and /v1/validate', async () => {
    for (const path of ['/v1/evaluate', '/v1/validate']) {
      const res = await exports.default.fetch(`http://edgescale.test${path}`, { method: 'POST', headers: headers(), body: chunked(2 * DEFAULT_REQUEST_LIMITS.bodyBytes) });
      expect(res.status).toBe(413);
      expect(((await res.json()) as any).error.code).toBe('PayloadTooLarge');
    }
    const declared = await exports.default.fetch('http://edgescale.test/v1/evaluate', { method: 'POST', headers: headers(), body: ' '.repeat(DEFAULT_REQUEST_LIMITS.bodyBytes + 1) });
    expect(declared.status).toBe(413);
  });

  it('other errors keep the connection open', async () => {
    const res = await createApp().request('/v1/evaluate', { method: 'POST', headers: headers(), body: '{' }, env);
    expect(res.status).toBe(400);
    expect(res.headers.get('connection')).toBeNull();
  });
});

describe('POST /v1/scheduled refuses a cron pattern the trigger could not read: 422 at "cron"', () => {
  const at = '2026-11-23T07:00:00Z';
  for (const [cron, why] of [
    ['garbage', /expected 5 space-separated fields/],
    ['* * * * * *', /got 6/],
    ['@hourly', /got 1/],
    ['60 * * * *', /Invalid value for minute/],
    ['0 0 * * 8', /dayOfWeek/],
    ['0 0 30 2 *', /never runs/],
  ] as const) {
    it(`"${cron}"`, async () => {
      const r = await post('/v1/scheduled', { at, cron });
      expect(r.status).toBe(422);
      expect(r.json.error).toMatchObject({ code: 'SchemaViolation', path: 'cron', message: expect.stringMatching(why) });
    });
  }

  it('the trigger\'s own pattern and other five-field patterns are accepted', async () => {
    for (const cron of ['*/5 * * * *', '0 * * * MON-FRI']) {
      const r = await post('/v1/scheduled', { at, cron });
      expect(r.status, cron).toBe(200);
    }
  });
});
