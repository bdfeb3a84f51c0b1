// Azure autoscale settings and Kubernetes HPA manifests through the API: inline (`{ "azure": … }`, `{ "hpa": … }`), bundled in rules/, and validated.
//
// The expected decisions are the ones Azure autoscale and the HPA controller would make, worked out
// by hand from their documented rules and cited per case:
// - Azure: "Understand autoscale settings" (scale out if any out rule fires, in only if all in rules
//   fire, the largest capacity wins; dividePerInstance divides by the current count), "Autoscale with
//   multiple profiles" (a recurrence without end lasts until the next profile starts; bounds of a new
//   profile apply at once). rules/vmss-web.azure.json is the portal's shape for a Monday–Friday
//   08:00–18:00 "Weekday" profile in "Pacific Standard Time" (UTC-8 in November).
// - HPA: pkg/controller/podautoscaler/replica_calculator.go (desired = ceil(ratio × current) outside
//   the 0.1 tolerance; External AverageValue: ceil(total ÷ target)) and horizontal.go (the largest
//   metric proposal wins; scale-up limited by the behavior's policies, selectPolicy Max; scale-down
//   stabilised over stabilizationWindowSeconds).
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BUNDLED_RULE_FILES } from '../../src/generated/bundled-rules.js';

const AUTH = { authorization: 'Bearer test-token-0123456789abcdef0123456789abcdef', 'content-type': 'application/json' };
const AZURE_TEMPLATE = BUNDLED_RULE_FILES['vmss-web.azure.json'] as Record<string, unknown>;
const HPA_YAML = BUNDLED_RULE_FILES['php-apache.hpa.yaml'] as string;

async function call(path: string, body: unknown) {
  const res = await exports.default.fetch(`http://edgescale.test${path}`, { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}

/** `count` one-minute points of value v ending at `end`. */
/** What a decision says, without what hashes or names its rule set (decisionId, ruleSet, ruleSetOrigin). */
function sameDecision(d: Record<string, unknown>) {
  const { decisionId: _id, ruleSet: _ruleSet, ruleSetOrigin: _origin, ...rest } = d;
  return rest;
}

function minutes(v: number, end: string, count = 10) {
  const endMs = Date.parse(end);
  return Array.from({ length: count }, (_, i) => ({ t: new Date(endMs - (count - 1 - i) * 60_000).toISOString(), v }));
}

type Case = { name: string; now: string; capacity: number; metrics: Record<string, number>; action: string; to: number; profile: string; rule?: string };

describe('a real-shaped Azure autoscale setting decides as Azure autoscale would', () => {
  const MON_0900_PST = '2026-11-23T17:00:00Z';
  const cases: Case[] = [
    {
      name: 'weekday 09:00: the queue rule fires per instance (800 ÷ 8 = 100 > 50), +2 inside Weekday [4, 20]',
      now: MON_0900_PST, capacity: 8, metrics: { 'Percentage CPU': 50, ApproximateMessageCount: 800 },
      action: 'scaleOut', to: 10, profile: 'Weekday', rule: 'approximatemessagecount-out',
    },
    {
      name: 'weekday 09:00: CPU 85 > 70 fires the percent rule, 25 % of 8 is 2',
      now: MON_0900_PST, capacity: 8, metrics: { 'Percentage CPU': 85, ApproximateMessageCount: 160 },
      action: 'scaleOut', to: 10, profile: 'Weekday', rule: 'percentage-cpu-out',
    },
    {
      name: 'weekday 09:00: both scale-in rules fire (CPU 20 < 30, 40 ÷ 8 = 5 < 10), −1',
      now: MON_0900_PST, capacity: 8, metrics: { 'Percentage CPU': 20, ApproximateMessageCount: 40 },
      action: 'scaleIn', to: 7, profile: 'Weekday',
    },
    {
      name: 'weekday 09:00: CPU low but the queue (160 ÷ 8 = 20) is not, so scale-in waits for every scale-in rule',
      now: MON_0900_PST, capacity: 8, metrics: { 'Percentage CPU': 20, ApproximateMessageCount: 160 },
      action: 'none', to: 8, profile: 'Weekday',
    },
    {
      name: 'weekday 08:00 exactly: Weekday starts and 2 is brought up to its minimum 4',
      now: '2026-11-23T16:00:00Z', capacity: 2, metrics: { 'Percentage CPU': 50 },
      action: 'scaleOut', to: 4, profile: 'Weekday',
    },
    {
      name: 'weekday 07:59: still the default profile [2, 6]; CPU 85 > 70, +1',
      now: '2026-11-23T15:59:00Z', capacity: 2, metrics: { 'Percentage CPU': 85 },
      action: 'scaleOut', to: 3, profile: 'default', rule: 'percentage-cpu-out',
    },
    {
      name: 'weekday 19:00: Weekday ended at 18:00; 8 is brought down to the default maximum 6',
      now: '2026-11-24T03:00:00Z', capacity: 8, metrics: { 'Percentage CPU': 50 },
      action: 'scaleIn', to: 6, profile: 'default',
    },
    {
      name: 'Saturday 10:00: no weekday recurrence, the default profile; CPU 85, +1',
      now: '2026-11-28T18:00:00Z', capacity: 3, metrics: { 'Percentage CPU': 85 },
      action: 'scaleOut', to: 4, profile: 'default', rule: 'percentage-cpu-out',
    },
  ];

  const target = (c: Case, ruleSet: unknown) => ({
    id: 'vmss-web',
    ruleSet,
    capacity: c.capacity,
    metrics: Object.fromEntries(Object.entries(c.metrics).map(([m, v]) => [m, minutes(v, c.now)])),
  });

  it.each(cases)('$name', async (c) => {
    // An imported rule set may not take a bundled id (ReservedRuleSetId), so the inline copy is renamed.
    const inline = await call('/v1/evaluate', { now: c.now, targets: [target(c, { azure: AZURE_TEMPLATE, id: 'vmss-web-inline' })] });
    const bundled = await call('/v1/evaluate', { now: c.now, targets: [target(c, 'vmss-web')] });
    expect(inline.status).toBe(200);
    const decision = inline.json.results[0].decision;
    expect({ action: decision.action, to: decision.to, profile: decision.profile.name }).toEqual({ action: c.action, to: c.to, profile: c.profile });
    if (c.rule) expect(decision.rule).toBe(c.rule);
    // The bundled file and the inline setting are the same rules: the same decision (its id differs
    // with the rule set's id), each saying where its rule set came from.
    expect(sameDecision(bundled.json.results[0].decision)).toEqual(sameDecision(decision));
    expect(decision.ruleSetOrigin).toMatchObject({ id: 'vmss-web-inline', source: 'imported' });
    expect(bundled.json.results[0].decision.ruleSetOrigin).toMatchObject({ id: 'vmss-web', source: 'bundled' });
    expect(inline.json.results[0].imported).toMatchObject({ format: 'azure', unsupported: [] });
  });
});

describe('a real-shaped HPA manifest with behavior decides as the HPA controller would', () => {
  const NOW = '2026-11-23T17:00:00Z';
  const cases: Array<Omit<Case, 'profile'>> = [
    { name: 'CPU 75 % vs 50 %: ratio 1.5 → ceil(1.5 × 4) = 6; the queue asks ceil(150 ÷ 30) = 5; the larger wins', now: NOW, capacity: 4, metrics: { cpu: 75, queue_messages_ready: 150 }, action: 'scaleOut', to: 6 },
    { name: 'queue 300 asks ceil(300 ÷ 30) = 10; scale-up limited to max(4 + 4 pods, 4 + 100 %) = 8', now: NOW, capacity: 4, metrics: { cpu: 50, queue_messages_ready: 300 }, action: 'scaleOut', to: 8 },
    { name: 'CPU 52 % (ratio 1.04) and queue 120 (ratio 1.0) are within the 0.1 tolerance: no change', now: NOW, capacity: 4, metrics: { cpu: 52, queue_messages_ready: 120 }, action: 'none', to: 4 },
    {
      name: 'CPU 20 % on a new HPA: ceil(0.4 × 4) = 2, but the current 4 is its first recommendation (recordInitialRecommendation), so the 300 s window holds 4',
      now: NOW, capacity: 4, metrics: { cpu: 20, queue_messages_ready: 0 }, action: 'none', to: 4,
    },
  ];

  it.each(cases)('$name', async (c) => {
    const targets = [{ id: 'php', ruleSet: { hpa: HPA_YAML, id: 'php-apache-inline' }, capacity: c.capacity, metrics: c.metrics }];
    const inline = await call('/v1/evaluate', { now: c.now, targets });
    const bundled = await call('/v1/evaluate', { now: c.now, targets: [{ ...targets[0], ruleSet: 'php-apache' }] });
    expect(inline.status).toBe(200);
    const decision = inline.json.results[0].decision;
    expect({ action: decision.action, to: decision.to }).toEqual({ action: c.action, to: c.to });
    expect(sameDecision(bundled.json.results[0].decision)).toEqual(sameDecision(decision));
  });

  it('scale-down is stabilised: the recommendation of 2 waits until the initial 4 has left the 300 s window', async () => {
    const at = (now: string, state?: unknown) =>
      call('/v1/evaluate', { now, targets: [{ id: 'php', ruleSet: 'php-apache', capacity: 4, metrics: { cpu: 20, queue_messages_ready: 0 }, ...(state !== undefined && { state }) }] });
    const first = await at(NOW);
    expect(first.json.results[0].decision).toMatchObject({ action: 'none', to: 4 });
    const state = first.json.results[0].decision.state;
    // 17:04:59 is inside the window that began with 4 at 17:00:00; 17:05:01 is past it.
    expect((await at('2026-11-23T17:04:59Z', state)).json.results[0].decision).toMatchObject({ action: 'none', to: 4 });
    expect((await at('2026-11-23T17:05:01Z', state)).json.results[0].decision).toMatchObject({ action: 'scaleIn', to: 2 });
  });

  it('the label selector it cannot apply is reported by path with the decision, not dropped silently', async () => {
    const res = await call('/v1/evaluate', { now: NOW, targets: [{ id: 'php', ruleSet: { hpa: HPA_YAML, id: 'php-apache-inline' }, capacity: 4, metrics: { cpu: 50, queue_messages_ready: 120 } }] });
    expect(res.json.results[0].imported.unsupported).toEqual([
      expect.objectContaining({ path: 'targets[0].ruleSet.hpa.spec.metrics[1].external.metric.selector', field: 'selector' }),
    ]);
  });
});

const HPA_MANIFEST_OBJECT = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 8,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
  },
};

describe('foreign rule sets are checked, and a bad one fails alone', () => {
  it('validate imports an Azure setting and answers the native rule set it became', async () => {
    const res = await call('/v1/validate', { azure: AZURE_TEMPLATE });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ valid: true, id: 'vmss-web-autoscale', imported: { format: 'azure', unsupported: [] } });
    expect(res.json.imported.ruleSet.profiles.map((p: any) => p.recurrence?.timeZone)).toEqual(['America/Los_Angeles']);
  });

  it('validate takes an HPA as an object too, with a chosen id', async () => {
    const res = await call('/v1/validate', { hpa: HPA_MANIFEST_OBJECT, id: 'web-hpa' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ valid: true, id: 'web-hpa', imported: { format: 'hpa', ruleSet: { capacity: { minimum: 2, maximum: 8 } } } });
  });

  it.each<{ name: string; body: unknown; code: string; path: RegExp }>([
    { name: 'YAML that is not an HPA', body: { hpa: 'kind: Deployment\nmetadata: {name: x}\n' }, code: 'ImportError', path: /^hpa/ },
    { name: 'an HPA with maxReplicas below minReplicas', body: { hpa: { ...HPA_MANIFEST_OBJECT, spec: { ...HPA_MANIFEST_OBJECT.spec, maxReplicas: 1 } } }, code: 'ImportError', path: /^hpa\.spec/ },
    { name: 'an Azure setting without profiles', body: { azure: { type: 'Microsoft.Insights/autoscaleSettings', properties: { enabled: true } } }, code: 'ImportError', path: /^azure/ },
    { name: 'an unknown field beside the wrapped setting', body: { azure: {}, extra: 1 }, code: 'SchemaViolation', path: /^$|extra/ },
  ])('validate: $name → 422 $code with the path', async ({ body, code, path }) => {
    const res = await call('/v1/validate', body);
    expect(res.status).toBe(422);
    expect(res.json.valid).toBe(false);
    expect(res.json.error.code).toBe(code);
    expect(res.json.error.path).toMatch(path);
  });

  it('in a batch, a broken HPA is an error entry at its path and the other target is still decided (207)', async () => {
    const res = await call('/v1/evaluate', {
      now: '2026-11-23T17:00:00Z',
      targets: [
        { id: 'bad', ruleSet: { hpa: 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: bad}\nspec: {maxReplicas: 0}\n' }, capacity: 2 },
        { id: 'good', ruleSet: { hpa: HPA_MANIFEST_OBJECT }, capacity: 2, metrics: { cpu: 90 } },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.json.results[0]).toMatchObject({ ok: false, error: { code: 'ImportError' } });
    expect(res.json.results[0].error.path).toMatch(/^targets\[0\]\.ruleSet\.hpa/);
    // ceil(90 / 60 × 2) = 3
    expect(res.json.results[1]).toMatchObject({ ok: true, decision: { action: 'scaleOut', to: 3 }, imported: { format: 'hpa' } });
  });
});
