// AWS simple scaling: the docs' adjustment examples, the alarm's evaluation periods and the cooldown, through evaluateSimpleScaling and decide().
//
// Sources: Amazon EC2 Auto Scaling User Guide "Step and simple scaling policies" (#as-scaling-adjustment:
// the rounding note and the MinAdjustmentMagnitude example), "Simple scaling policies", "Scaling
// cooldowns for Amazon EC2 Auto Scaling"; API CreateAutoScalingGroup (DefaultCooldown 300 s).
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { evaluateSimpleScaling } from '../../src/engine/policies/simple-scaling.js';
import type { Decision, SimpleScalingResult } from '../../src/schemas/decision.js';
import type { DecisionState, RuleSetInput } from '../../src/schema.js';
import type { SimpleScalingPolicy } from '../../src/schemas/aws-policies.js';
import { loadRuleSet } from '../../src/engine/ruleset.js';
import { compile, MIN, T0 } from '../helpers.js';
import { lookbackMs } from '../../src/engine/lookback.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { simulateRequest } from '../../src/service/simulate.js';
import { isoUtc as iso } from '../../src/syntax/duration.js';

const cpuHigh = (extra: Partial<SimpleScalingPolicy> = {}): SimpleScalingPolicy => ({
  metric: 'cpu',
  threshold: 70,
  comparison: 'GreaterThanOrEqualToThreshold',
  adjustmentType: 'ChangeInCapacity',
  scalingAdjustment: 1,
  ...extra,
});

const at = (v: number, t = T0) => [{ t, v }];

function once(policy: SimpleScalingPolicy, current: number, v = 80): SimpleScalingResult {
  return evaluateSimpleScaling(policy, { points: at(v), now: T0, current, cooldownMs: 300_000 });
}

describe('adjustment types (as-scaling-adjustment)', () => {
  it('adds 25 % of 4 as the MinAdjustmentMagnitude of 2, as the docs example does', () => {
    const r = once(cpuHigh({ adjustmentType: 'PercentChangeInCapacity', scalingAdjustment: 25, minAdjustmentMagnitude: 2 }), 4);
    expect(r.adjustment?.percent).toEqual({ raw: 1, rounded: 1, minAdjustmentMagnitudeApplied: true });
    expect(r.newCapacity).toBe(6);
    expect(r.code).toBe('ScaleOut');
  });

  // The rounding note, row by row: 12.7 → 12, .67 → 1, −.58 → −1, −6.67 → −6.
  it.each([
    [10, 127, 12.7, 12, 22],
    [3, 22, 0.66, 1, 4],
    [2, -29, -0.58, -1, 1],
    [23, -29, -6.67, -6, 17],
  ])('current %i, %i %% = %f rounds to %i (→ %i)', (current, pct, raw, rounded, to) => {
    const r = once(cpuHigh({ adjustmentType: 'PercentChangeInCapacity', scalingAdjustment: pct }), current);
    expect(r.adjustment?.percent?.raw).toBe(raw);
    expect(r.adjustment?.adjustment).toBe(rounded);
    expect(r.newCapacity).toBe(to);
  });

  it('ExactCapacity sets the capacity and ChangeInCapacity never goes below 0', () => {
    expect(once(cpuHigh({ adjustmentType: 'ExactCapacity', scalingAdjustment: 7 }), 3).newCapacity).toBe(7);
    const r = once(cpuHigh({ scalingAdjustment: -5 }), 2);
    expect(r.newCapacity).toBe(0);
    expect(r.code).toBe('ScaleIn');
  });

  it('MinAdjustmentMagnitude is ignored for ChangeInCapacity', () => {
    expect(once(cpuHigh({ scalingAdjustment: 1, minAdjustmentMagnitude: 3 }), 4).newCapacity).toBe(5);
  });
});

describe('the alarm: evaluation periods and datapoints to alarm', () => {
  const policy = cpuHigh({ periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 2 });
  const series = (values: number[]) => values.map((v, i) => ({ t: T0 - i * MIN, v }));

  it('fires on 2 breaching periods of 3 and not on 1', () => {
    const two = evaluateSimpleScaling(policy, { points: series([80, 50, 75]), now: T0, current: 2, cooldownMs: 0 });
    expect(two.breachingPeriods).toBe(2);
    expect(two.periods.map((p) => p.value)).toEqual([80, 50, 75]);
    expect(two.newCapacity).toBe(3);
    const one = evaluateSimpleScaling(policy, { points: series([80, 50, 60]), now: T0, current: 2, cooldownMs: 0 });
    expect(one.code).toBe('AlarmNotBreached');
    expect(one.newCapacity).toBeUndefined();
  });

  it('reads each period with the statistic and a period without data does not breach', () => {
    const max = cpuHigh({ statistic: 'Maximum', periodSeconds: 120, evaluationPeriods: 2 });
    const points = [
      { t: T0, v: 60 },
      { t: T0 - MIN, v: 90 },
    ];
    const r = evaluateSimpleScaling(max, { points, now: T0, current: 2, cooldownMs: 0 });
    expect(r.periods.map((p) => [p.value, p.breaching])).toEqual([
      [90, true],
      [null, false],
    ]);
    expect(r.code).toBe('AlarmNotBreached');
    expect(evaluateSimpleScaling(max, { points: [], now: T0, current: 2, cooldownMs: 0 }).code).toBe('MissingData');
  });

  it('refuses a datapointsToAlarm above evaluationPeriods and a negative exact capacity, with paths', () => {
    const bad = loadRuleSet({
      id: 'bad',
      capacity: { minimum: 1, maximum: 10, default: 1 },
      rules: [],
      simpleScaling: {
        policies: [
          { id: 'p', policy: cpuHigh({ evaluationPeriods: 2, datapointsToAlarm: 3 }) },
          { id: 'q', policy: cpuHigh({ adjustmentType: 'ExactCapacity', scalingAdjustment: -1 }) },
        ],
      },
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues.map((i) => i.path).sort()).toEqual(['simpleScaling.policies[0].policy.datapointsToAlarm', 'simpleScaling.policies[1].policy.scalingAdjustment']);
  });
});

describe('cooldown (Scaling cooldowns): after any activity, simple policies wait', () => {
  const set = (extra: Partial<RuleSetInput> = {}) =>
    compile({
      id: 'simple',
      capacity: { minimum: 1, maximum: 10, default: 2 },
      rules: [],
      simpleScaling: { policies: [{ id: 'cpu-out', policy: cpuHigh() }] },
      ...extra,
    });

  async function steps(rs: ReturnType<typeof set>, seconds: number[]): Promise<Decision[]> {
    const out: Decision[] = [];
    let capacity = 2;
    let state: DecisionState | undefined;
    for (const s of seconds) {
      const now = T0 + s * 1000;
      const d = await decide(rs, { id: 't', capacity, metrics: { cpu: at(85, now) }, ...(state && { state }) }, now);
      out.push(d);
      capacity = d.to;
      state = d.state;
    }
    return out;
  }

  it('waits the default 300 s after its own scale-out, then scales again', async () => {
    const ds = await steps(set(), [0, 120, 299, 300]);
    expect(ds.map((d) => [d.from, d.to])).toEqual([
      [2, 3],
      [3, 3],
      [3, 3],
      [3, 4],
    ]);
    const held = ds[1]!.trace.policies?.simpleScaling ?? [];
    expect(held[0]!.result.code).toBe('CooldownActive');
    expect(held[0]!.result.cooldown).toEqual({ until: '2026-11-22T10:35:00Z', startedBy: 'cpu-out', seconds: 300 });
  });

  it("the policy's own Cooldown overrides the group's default", async () => {
    const rs = set({ simpleScaling: { defaultCooldown: 600, policies: [{ id: 'cpu-out', policy: cpuHigh({ cooldown: 60 }) }] } });
    const ds = await steps(rs, [0, 59, 60]);
    expect(ds.map((d) => d.to)).toEqual([3, 3, 4]);
  });

  it("an activity of another family starts the group's default cooldown for simple policies", async () => {
    const rs = set({
      simpleScaling: { defaultCooldown: 120, policies: [{ id: 'cpu-out', policy: cpuHigh({ cooldown: 900 }) }] },
    });
    const state: DecisionState = { version: 1, lastScale: { at: new Date(T0 - 100_000).toISOString(), direction: 'out', rule: 'step-x', from: 2, to: 3 }, cooldownUntil: {} };
    const held = await decide(rs, { id: 't', capacity: 3, metrics: { cpu: at(85) }, state }, T0);
    expect(held.to).toBe(3);
    const free = await decide(rs, { id: 't', capacity: 3, metrics: { cpu: at(85, T0 + 20_000) }, state }, T0 + 20_000);
    expect(free.to).toBe(4);
    expect(free.trace.policies?.decidedBy).toBe('simpleScaling:cpu-out');
  });
});

describe('the alarm reads evaluationPeriods × periodSeconds of points, also in simulate', () => {
  // Three 10-minute periods, all breaching: 30 minutes of data, longer than any window the rule set names.
  const spec: RuleSetInput = {
    id: 'simple-long-alarm',
    capacity: { minimum: 1, maximum: 10, default: 2 },
    rules: [],
    simpleScaling: { policies: [{ id: 'cpu-out', policy: cpuHigh({ periodSeconds: 600, evaluationPeriods: 3 }) }] },
  };
  const cpu = Array.from({ length: 41 }, (_, i) => ({ t: iso(T0 - (40 - i) * MIN), v: 85 }));

  it("the rule set's lookback covers the alarm's 30 minutes", () => {
    expect(lookbackMs(compile(spec))).toBe(30 * MIN);
  });

  it('simulate decides at T0 what decide() decides at T0: all three periods breach, scale out', async () => {
    const live = await decide(compile(spec), { id: 't', capacity: 2, metrics: { cpu } }, T0);
    expect([live.code, live.to]).toEqual(['ScaleOut', 3]);
    const outcome = simulateRequest({ ruleSets: [spec], capacity: 2, from: iso(T0), to: iso(T0 + MIN), step: 'PT1M', metrics: { cpu } }, resolveBundled);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    const [entry] = outcome.response.results[0]!.timeline!;
    expect([entry!.code, entry!.to]).toEqual([live.code, live.to]);
  });
});
