// POST /v1/simulate through the worker inside workerd: the answer, scopes (route, target, rule set kinds), and every bad input as a 4xx with a path.
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../src/env.js';
import { createApp } from '../../src/http/app.js';

const TOKEN = 'test-token-0123456789abcdef0123456789abcdef';
const T0 = Date.parse('2026-11-23T10:00:00Z');
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString().replace('.000Z', 'Z');
const series = (values: number[]) => values.map((v, i) => ({ t: at(i), v }));

async function post(body: unknown, init: { raw?: string; token?: string; bindings?: Partial<Env> } = {}) {
  const request = new Request('http://edgescale.test/v1/simulate', {
    method: 'POST',
    headers: { authorization: `Bearer ${init.token ?? TOKEN}`, 'content-type': 'application/json' },
    body: init.raw ?? JSON.stringify(body),
  });
  const res = init.bindings ? await createApp().fetch(request, { ...env, ...init.bindings }) : await exports.default.fetch(request);
  return { status: res.status, json: (await res.json()) as any };
}

// web-tier (out above 70 % over PT10M, in below 30 %, cooldown PT5M) at 2, CPU 85 for 12 minutes.
const HOT = { ruleSets: ['web-tier'], capacity: 2, metrics: { cpu: series(Array(12).fill(85)) } };

describe('POST /v1/simulate', () => {
  it('replays web-tier: out at 10:00 and again after the 5-minute cooldown at 10:05 and 10:10', async () => {
    const res = await post(HOT);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ from: at(0), to: at(12), step: 'PT1M', model: 'replay', evaluations: 12 });
    const [result] = res.json.results;
    expect(result.ruleSetOrigin).toMatchObject({ id: 'web-tier', source: 'bundled' });
    expect(result.timeline.map((e: { to: number }) => e.to)).toEqual([3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5, 5]);
    expect(result.timeline[1].code).toBe('CooldownActive');
    // 3×5 + 4×5 + 5×2 = 45 instance-minutes
    expect(result.summary).toMatchObject({ evaluations: 12, instanceHours: 0.75, scaleEvents: { out: 3, in: 0 }, flaps: 0, underProvisioned: null });
  });

  it('compares rule sets side by side, with timeline: false for the summaries only', async () => {
    const hpa = { id: 'hpa-50', capacity: { minimum: 1, maximum: 10, default: 2 }, rules: [], targetTracking: [{ id: 'cpu', metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 50 } }] };
    const res = await post({ ...HOT, ruleSets: ['web-tier', hpa], timeline: false });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { ruleSet: string; timeline?: unknown }) => [r.ruleSet, r.timeline])).toEqual([
      ['web-tier', undefined],
      ['hpa-50', undefined],
    ]);
    expect(res.json.results[1].summary.capacity.end).toBe(10);
  });

  it.each([
    ['a rule set not bundled', { ...HOT, ruleSets: ['nope'] }, 422, 'UnknownRuleSet', 'ruleSets[0]'],
    ['an inline set with a bundled id', { ...HOT, ruleSets: [{ id: 'web-tier', capacity: { minimum: 1, maximum: 2, default: 1 }, rules: [] }] }, 422, 'ReservedRuleSetId', 'ruleSets[0].id'],
    ['a metric no rule reads', { ...HOT, metrics: { cpu_percent: series([1]) } }, 422, 'UnknownMetric', 'metrics.cpu_percent'],
    ['a bad timestamp', { ...HOT, metrics: { cpu: [{ t: 'now', v: 1 }] } }, 422, 'SchemaViolation', 'metrics.cpu[0].t'],
    ['to before from', { ...HOT, from: at(5), to: at(0) }, 422, 'SchemaViolation', 'to'],
    ['too many evaluations', { ...HOT, from: at(0), to: at(50_000) }, 422, 'LimitExceeded', 'to'],
    ['no rule sets', { ...HOT, ruleSets: [] }, 422, 'SchemaViolation', 'ruleSets'],
    ['a string body', 'simulate please', 422, 'SchemaViolation', ''],
  ])('%s → %i %s at %s', async (_name, body, status, code, path) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(res.json.error).toMatchObject({ code, path });
  });

  it('malformed JSON is 400', async () => {
    const res = await post(undefined, { raw: '{"ruleSets": [' });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('MalformedJson');
  });
});

describe('POST /v1/simulate: scopes', () => {
  const secret = (id: string) => `${id}-secret-0123456789abcdef0123456789abcdef`;
  const creds = [
    { id: 'evaluator', kind: 'token', routes: ['POST /v1/evaluate'], targets: ['*'], ruleSets: { bundled: ['*'] } },
    { id: 'planner', kind: 'token', routes: ['POST /v1/simulate'], targets: ['sim-*'], ruleSets: { bundled: ['web-tier'] } },
  ];
  const bindings: Partial<Env> = {
    EDGESCALE_CREDENTIALS: JSON.stringify({ credentials: creds.map((c) => ({ ...c, secret: secret(c.id) })) }),
    EDGESCALE_API_TOKEN: '',
    EDGESCALE_WEBHOOK_HMAC_KEY: '',
  };
  const as = (id: string, body: unknown) => post(body, { token: secret(id), bindings });

  it.each([
    ['a credential without the route', 'evaluator', { ...HOT, target: 'sim-1' }, 403, 'RouteNotAllowed', 'url'],
    ['a target outside its targets', 'planner', { ...HOT, target: 'prod-1' }, 403, 'TargetNotAllowed', 'target'],
    ['the default target id outside its targets', 'planner', HOT, 403, 'TargetNotAllowed', 'target'],
    ['a bundled set outside its rule sets', 'planner', { ...HOT, target: 'sim-1', ruleSets: ['web-tier', 'k8s-api'] }, 403, 'RuleSetNotAllowed', 'ruleSets[1]'],
    ['an inline set it may not send', 'planner', { ...HOT, target: 'sim-1', ruleSets: [{ id: 'x', capacity: { minimum: 1, maximum: 2, default: 1 }, rules: [] }] }, 403, 'RuleSetNotAllowed', 'ruleSets[0]'],
  ])('%s → %i %s', async (_name, id, body, status, code, path) => {
    const res = await as(id, body);
    expect(res.status).toBe(status);
    expect(res.json.error).toMatchObject({ code, path });
  });

  it('within its scope it simulates', async () => {
    const res = await as('planner', { ...HOT, target: 'sim-1' });
    expect(res.status).toBe(200);
    expect(res.json.results[0].summary.scaleEvents.out).toBe(3);
  });
});
