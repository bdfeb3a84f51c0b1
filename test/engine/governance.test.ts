// Policies through decide(): flapping, missing-data policies, scale to zero, target tracking, behavior, step scaling, placement.
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/schemas/decision.js';
import { decide } from '../../src/engine/decide.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import type { RuleSetInput } from '../../src/schema.js';
import { compile, flat, metricRule, MIN, ruleSet, run, T0 } from '../helpers.js';

const out70 = metricRule('cpu-high', 'out', 'GreaterThanOrEqual', 70, { type: 'ChangeCount', value: 1 });

// Azure, "Autoscale best practices — Choose the thresholds carefully for all metric types" (flapping):
// autoscale estimates the metric after a scale-in as value × current ÷ new; "Flapping in Autoscale",
// "Scaling by more than one instance": it tries larger counts until every metric is within its thresholds
// and skips the scale-in only when none is. edgescale does the same and records why in trace.flapping.
describe('flapping prevention projects scale-out metrics onto the smaller capacity', () => {
  // wants: the scale-in rule's capacity (trace.scaleIn.wants); checks: [capacity, projected, fires] per
  // projection (trace.flapping.checks, absent when flapping protection is off); blockedBy: [capacity, rule]
  // of the projection that stopped the scale-in going further; clamp: trace.clamp.
  type Case = {
    name: string;
    spec: RuleSetInput;
    capacity: number;
    cpu: number;
    to: number;
    code: string;
    rule: string | null;
    wants: number;
    checks?: Array<[number, number, boolean]>;
    blockedBy?: [number, string];
    clamp?: { wanted: number; to: number; bound: 'minimum' | 'maximum' };
  };
  const inRule = (threshold: number, action: RuleSetInput['rules'][number]['action']) => metricRule('cpu-low', 'in', 'LessThan', threshold, action);
  const cases: Case[] = [
    {
      name: 'a scale-in that would push CPU over the scale-out threshold is deferred',
      spec: ruleSet([out70, inRule(65, { type: 'ChangeCount', value: 1 })]),
      capacity: 5,
      cpu: 60,
      to: 5,
      code: 'FlappingPrevented',
      rule: null,
      wants: 4,
      checks: [[4, 75, true]],
      blockedBy: [4, 'cpu-high'],
    },
    {
      name: 'a large scale-in is reduced to the smallest safe capacity',
      spec: ruleSet([out70, inRule(40, { type: 'PercentChangeCount', value: 70 })]),
      capacity: 10,
      cpu: 30,
      to: 5,
      code: 'ScaleIn',
      rule: 'cpu-low',
      wants: 3,
      checks: [[3, 100, true], [4, 75, true], [5, 60, false]],
      blockedBy: [4, 'cpu-high'],
    },
    {
      // 10 − 7 = 3 is clamped to the minimum 5; at 5 cpu 40 projects to 80, at 6 to 66.7: the result is above
      // the minimum, so the code is the rule's scale-in, not ClampedToMin.
      name: 'a scale-in clamped to the minimum, then raised by flapping prevention, is a scale-in',
      spec: ruleSet([out70, inRule(65, { type: 'ChangeCount', value: 7 })], { capacity: { minimum: 5, maximum: 20, default: 5 } }),
      capacity: 10,
      cpu: 40,
      to: 6,
      code: 'ScaleIn',
      rule: 'cpu-low',
      wants: 3,
      checks: [[5, 80, true], [6, (40 * 10) / 6, false]],
      blockedBy: [5, 'cpu-high'],
      clamp: { wanted: 3, to: 5, bound: 'minimum' },
    },
    {
      name: 'a safe scale-in goes ahead (25 × 5 ÷ 4 = 31.25)',
      spec: ruleSet([out70, inRule(30, { type: 'ChangeCount', value: 1 })]),
      capacity: 5,
      cpu: 25,
      to: 4,
      code: 'ScaleIn',
      rule: 'cpu-low',
      wants: 4,
      checks: [[4, 31.25, false]],
    },
    {
      name: 'flappingProtection: false scales in regardless',
      spec: ruleSet([out70, inRule(65, { type: 'ChangeCount', value: 1 })], { flappingProtection: false }),
      capacity: 5,
      cpu: 60,
      to: 4,
      code: 'ScaleIn',
      rule: 'cpu-low',
      wants: 4,
    },
    {
      name: 'a total (Sum) metric does not change with capacity, so it is not scaled up',
      spec: ruleSet([
        { id: 'cpu-total-high', direction: 'out', when: { metric: { metric: 'cpu', statistic: 'Sum', operator: 'GreaterThan', threshold: 1000 } }, action: { type: 'ChangeCount', value: 1 } },
        inRule(65, { type: 'ChangeCount', value: 1 }),
      ]),
      capacity: 5,
      cpu: 60,
      to: 4,
      code: 'ScaleIn',
      rule: 'cpu-low',
      wants: 4,
      checks: [[4, 60, false]], // a projected Average would be 60 × 5 ÷ 4 = 75
    },
  ];
  it.each(cases)('$name', async ({ spec, capacity, cpu, to, code, rule, wants, checks, blockedBy, clamp }) => {
    const d = await run(spec, { capacity, metrics: { cpu: flat(cpu) } });
    expect(d).toMatchObject({ from: capacity, to, code, rule });
    expect(d.trace.scaleIn).toMatchObject({ fired: ['cpu-low'], wants });
    const flapping = d.trace.flapping;
    if (checks) {
      expect(flapping?.checks.map((c) => [c.capacity, c.projected, c.fires])).toEqual(checks.map(([c, p, f]) => [c, expect.closeTo(p, 9), f]));
    } else expect(flapping).toBeUndefined();
    expect(flapping?.blockedBy && [flapping.blockedBy.capacity, flapping.blockedBy.rule]).toEqual(blockedBy);
    expect(d.trace.clamp).toEqual(clamp);
  });
  it('the projections are in the trace', async () => {
    const d = await run(ruleSet([out70, metricRule('cpu-low', 'in', 'LessThan', 65, { type: 'ChangeCount', value: 1 })]), { capacity: 5, metrics: { cpu: flat(60) } });
    expect(d.trace.flapping?.checks).toEqual([expect.objectContaining({ capacity: 4, rule: 'cpu-high', value: 60, projected: 75, threshold: 70, fires: true })]);
  });
});

// Azure's default, a hold policy, and KEDA's fallback ("fallback.replicas after failureThreshold").
describe('missing-data policies', () => {
  const rules = [metricRule('cpu-high', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 1 }), metricRule('cpu-low', 'in', 'LessThan', 30, { type: 'ChangeCount', value: 1 })];
  const bounds = { minimum: 1, maximum: 10, default: 4 };
  it('hold: no data keeps the capacity even below the default', async () => {
    const d = await run(ruleSet(rules, { capacity: bounds, missingData: { policy: 'hold' } }), { capacity: 2 });
    expect(d).toMatchObject({ action: 'none', to: 2, code: 'MissingDataHold' });
  });
  it('fallback: holds, then after N evaluations without data sets the fallback capacity, counting in state', async () => {
    const spec = ruleSet(rules, { capacity: bounds, missingData: { policy: 'fallback', fallbackCapacity: 6, fallbackAfter: 3 } });
    const codes: string[] = [];
    let state: Decision['state'] | undefined;
    let capacity = 2;
    for (let i = 0; i < 3; i++) {
      const d = await run(spec, { capacity, ...(state && { state }) }, T0 + i * MIN);
      codes.push(d.code);
      state = d.state;
      capacity = d.to;
    }
    expect(codes).toEqual(['MissingDataHold', 'MissingDataHold', 'MissingDataFallback']);
    expect(capacity).toBe(6);
    expect(state?.missingCount).toBe(3);
    const back = await run(spec, { capacity, metrics: { cpu: flat(50, 10, T0 + 3 * MIN) }, ...(state && { state }) }, T0 + 3 * MIN);
    expect(back.state.missingCount).toBeUndefined();
  });
  it('maxAge: a series whose newest point is older than maxAge counts as missing', async () => {
    const spec = ruleSet(rules, { capacity: bounds, missingData: { policy: 'azure', maxAge: 'PT2M' } });
    const d = await run(spec, { capacity: 6, metrics: { cpu: flat(10, 10, T0 - 3 * MIN) } });
    expect(d).toMatchObject({ code: 'MissingDataNoScaleIn', to: 6 });
    expect(d.trace.missingData?.stale).toEqual(['cpu']);
  });
});

// KEDA ScaledObject: activationThreshold decides 0 ↔ 1; minReplicaCount 0 allows scale to zero.
describe('scale to zero with an activation threshold', () => {
  const spec = ruleSet(
    [
      { id: 'backlog', direction: 'out', when: { expr: 'metrics.queue.last > 0' }, action: { type: 'Expression', expr: '$ceilDiv(metrics.queue.last, 100)' } },
      { id: 'idle', direction: 'in', when: { expr: 'metrics.queue.last = 0' }, action: { type: 'ExactCount', value: 0 } },
    ],
    { capacity: { minimum: 0, maximum: 20, default: 0 }, scaleToZero: { metric: 'queue', activationThreshold: 5 } },
  );
  it.each([
    { name: 'from 0, a backlog at the threshold does not activate', capacity: 0, queue: 5, to: 0, code: 'ActivationNotReached' },
    { name: 'from 0, a backlog above the threshold scales out', capacity: 0, queue: 250, to: 3, code: 'ScaleOut' },
    { name: 'an idle queue at or below the threshold goes to 0', capacity: 2, queue: 0, to: 0, code: 'ScaleIn' },
  ])('$name ($code)', async ({ capacity, queue, to, code }) => {
    const d = await run(spec, { capacity, metrics: { queue } });
    expect(d).toMatchObject({ to, code });
    expect(d.trace.activation).toMatchObject({ metric: 'queue', threshold: 5 });
  });
  it('scale to zero is blocked while the metric is above the activation threshold', async () => {
    const toZero = ruleSet([{ id: 'down', direction: 'in', when: { expr: 'true' }, action: { type: 'ExactCount', value: 0 } }], {
      capacity: { minimum: 0, maximum: 20, default: 0 },
      scaleToZero: { metric: 'queue', activationThreshold: 5 },
      metrics: ['queue'],
    });
    const d = await run(toZero, { capacity: 3, metrics: { queue: 9 } });
    expect(d).toMatchObject({ to: 1, code: 'DeactivationBlocked' });
  });
});

// Kubernetes replica_calculator.go: usageRatio = value / target; inside [1 − tol, 1 + tol] no change,
// otherwise ceil(usageRatio × current); horizontal.go: the largest metric proposal wins.
describe('target tracking through decide()', () => {
  const spec = (extra: Partial<RuleSetInput> = {}) =>
    ruleSet([], {
      capacity: { minimum: 1, maximum: 50, default: 2 },
      targetTracking: [{ id: 'cpu-60', metric: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } }],
      ...extra,
    });
  it.each([
    { name: 'ratio exactly 1.1 is within the tolerance', cpu: 66, to: 10, verdict: 'WithinTolerance', ratio: 1.1 },
    { name: 'ratio 1.5 proposes ceil(1.5 × 10) = 15', cpu: 90, to: 15, verdict: 'OutsideTolerance', ratio: 1.5 },
    { name: 'ratio 0.5 proposes 5, the 5-minute stabilization holds the first scale-down', cpu: 30, to: 10, verdict: 'OutsideTolerance', ratio: 0.5 },
  ])('$name', async ({ cpu, to, verdict, ratio }) => {
    const d = await run(spec(), { capacity: 10, metrics: { cpu } });
    expect(d.to).toBe(to);
    expect(d.trace.policies?.targetTracking?.metrics[0]).toMatchObject({ verdict, ratio });
  });
  it('a scale-down is stabilized over 300 s, then taken', async () => {
    const first = await run(spec(), { capacity: 10, metrics: { cpu: 30 } });
    expect(first).toMatchObject({ to: 10, code: 'ScaleDownStabilized' });
    expect(first.trace.hpa?.stabilizationPick?.picked).toBe(10);
    const later = T0 + 301_000;
    const second = await run(spec(), { capacity: 10, metrics: { cpu: 30 }, state: first.state }, later);
    expect(second.to).toBe(5);
  });
  it('without behavior a scale-up is limited to max(2 × current, 4)', async () => {
    const d = await run(spec(), { capacity: 2, metrics: { cpu: 600 } });
    expect(d).toMatchObject({ to: 4, code: 'ScaleUpLimit' });
    expect(d.trace.hpa?.limits.map((l) => l.limit)).toEqual([4]);
  });
  it('behavior Pods 4 / Percent 100 per 15 s with selectPolicy Max allows the larger', async () => {
    const d = await decide(resolveBundled('k8s-api')!, { id: 'api', capacity: 10, metrics: { cpu: 600, rps: 100 } }, T0);
    expect(d).toMatchObject({ to: 20, code: 'ScaleUpLimit' });
    expect(d.trace.hpa?.limits.map((l) => [l.policy, l.limit])).toEqual([
      ['Pods 4 per 15s', 14],
      ['Percent 100 per 15s', 20],
    ]);
  });
  it('a rule with disableScaleIn has no vote on scale-in: the others scale in (AWS)', async () => {
    const s = ruleSet([], {
      capacity: { minimum: 1, maximum: 50, default: 2 },
      targetTracking: [
        { id: 'cpu-60', metric: 'cpu', target: { type: 'Utilization', averageUtilization: 60 }, disableScaleIn: true },
        { id: 'rps-100', metric: 'rps', source: 'Pods', target: { type: 'AverageValue', averageValue: '100' } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
    });
    // cpu 30 → 5 (abstains: scale-in disabled); rps 70 per pod → ceil(0.7 × 10) = 7.
    const d = await run(s, { capacity: 10, metrics: { cpu: 30, rps: 70 } });
    expect(d).toMatchObject({ to: 7, rule: 'rps-100' });
  });
  it('disableScaleIn never proposes less than the current capacity', async () => {
    const s = ruleSet([], {
      capacity: { minimum: 1, maximum: 50, default: 2 },
      targetTracking: [{ id: 'cpu-60', metric: 'cpu', target: { type: 'Utilization', averageUtilization: 60 }, disableScaleIn: true }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
    });
    const d = await run(s, { capacity: 10, metrics: { cpu: 30 } });
    expect(d.to).toBe(10);
  });
});

// AWS EC2 Auto Scaling user guide, "Step and simple scaling policies": the example with a threshold of
// 60 and steps at +0/+10/+20 above it.
describe('step scaling through decide() (rules/aws-step.json)', () => {
  it.each([
    { cpu: 59.9, to: 10, code: 'NoRuleFired' },
    { cpu: 60, to: 11, code: 'ScaleOut' },
    { cpu: 70, to: 12, code: 'ScaleOut' },
    { cpu: 80, to: 13, code: 'ScaleOut' },
    { cpu: 29, to: 9, code: 'ScaleIn' },
  ])('cpu $cpu at 10 instances → $to', async ({ cpu, to, code }) => {
    const d = await decide(resolveBundled('aws-step')!, { id: 'w', capacity: 10, metrics: { cpu } }, T0);
    expect(d).toMatchObject({ to, code });
  });
});

// Azure "Use custom scale-in policies with Virtual Machine Scale Sets": balance zones, then the
// highest instance id (Default); protected instances are never removed.
describe('placement through decide()', () => {
  const instances = [
    { id: '0', zone: '1', createdAt: '2026-01-01T00:00:00Z' },
    { id: '1', zone: '2', createdAt: '2026-01-02T00:00:00Z' },
    { id: '2', zone: '3', createdAt: '2026-01-03T00:00:00Z' },
    { id: '3', zone: '1', createdAt: '2026-01-04T00:00:00Z' },
  ];
  const spec = ruleSet([metricRule('cpu-low', 'in', 'LessThan', 30, { type: 'ChangeCount', value: 1 }), out70], { placement: { zones: ['1', '2', '3'] } });
  it('a scale-in names the instance to remove: zone 1 has the most, highest id there', async () => {
    const d = await run(spec, { capacity: 4, metrics: { cpu: flat(10) }, instances });
    expect(d.to).toBe(3);
    expect(d.placement).toMatchObject({ ok: true, removed: ['3'] });
  });
  it('a scale-out says how many to add per zone', async () => {
    const d = await run(spec, { capacity: 4, metrics: { cpu: flat(90) }, instances });
    expect(d.to).toBe(5);
    expect(d.placement).toMatchObject({ ok: true, placed: 1 });
  });
  it('protection that blocks the scale-in lowers the decision and says so', async () => {
    const protectedAll = instances.map((i) => ({ ...i, protected: true }));
    const d = await run(spec, { capacity: 4, metrics: { cpu: flat(10) }, instances: protectedAll });
    expect(d).toMatchObject({ to: 4, code: 'ProtectionLimitsScaleIn', action: 'none' });
  });
  it('compile check: the placement settings are part of the rule set schema', () => {
    expect(compile(spec).spec.placement?.zones).toEqual(['1', '2', '3']);
  });
});
