// AWS step scaling with instance warm-up through decide(): warming instances are left out of the metric and of the current capacity.
//
// Sources: EC2 Auto Scaling User Guide "Step and simple scaling policies" (#as-step-scaling-warmup:
// current 10, desired 11 while one instance warms up; +1 → stays 11, +3 → 13; "A scale-in activity
// can't start while a scale-out activity is in progress"), "Set the default instance warmup" (warming
// instances do not contribute to the aggregated metrics; "multiple alarm breaches that fall in the range
// of the same step adjustment result in a single scaling activity"); API PutScalingPolicy
// EstimatedInstanceWarmup.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import type { RuleSetInput } from '../../src/schema.js';
import { compile, T0 } from '../helpers.js';

const iso = (ms: number) => new Date(ms).toISOString();
/** `old` instances launched an hour ago and `fresh` ones a minute ago, each reporting its own cpu. */
function fleet(old: number[], fresh: number[]) {
  const instances = [...old.map((_, i) => ({ id: `old-${i}`, createdAt: iso(T0 - 3_600_000) })), ...fresh.map((_, i) => ({ id: `new-${i}`, createdAt: iso(T0 - 60_000) }))];
  const cpu = [...old.map((v, i) => ({ t: T0, v, instance: `old-${i}` })), ...fresh.map((v, i) => ({ t: T0, v, instance: `new-${i}` }))];
  return { capacity: instances.length, instances, metrics: { cpu } };
}

const set = (warmupSeconds?: number) =>
  compile({
    id: 'step-warmup',
    capacity: { minimum: 1, maximum: 20, default: 2 },
    rules: [],
    stepScaling: [
      {
        id: 'cpu-out',
        ...(warmupSeconds !== undefined && { warmupSeconds }),
        policy: {
          metric: 'cpu',
          threshold: 70,
          comparison: 'GreaterThanOrEqualToThreshold',
          adjustmentType: 'ChangeInCapacity',
          stepAdjustments: [
            { metricIntervalLowerBound: 0, metricIntervalUpperBound: 20, scalingAdjustment: 1 },
            { metricIntervalLowerBound: 20, scalingAdjustment: 3 },
          ],
        },
      },
      {
        id: 'cpu-in',
        ...(warmupSeconds !== undefined && { warmupSeconds }),
        policy: {
          metric: 'cpu',
          threshold: 30,
          comparison: 'LessThanThreshold',
          adjustmentType: 'ChangeInCapacity',
          stepAdjustments: [{ metricIntervalUpperBound: 0, scalingAdjustment: -1 }],
        },
      },
    ],
  } satisfies RuleSetInput);

describe('step scaling warm-up (as-step-scaling-warmup)', () => {
  it('a second breach in the same step while the first new instance warms up asks for nothing more (4 in service + 1 warming, +1 → 5)', async () => {
    const d = await decide(set(300), { id: 'g', ...fleet([80, 80, 80, 80], [100]) }, T0);
    expect(d.to).toBe(5);
    const trace = d.trace.policies?.stepScaling?.[0];
    expect([trace?.result.code, trace?.result.value, trace?.warming]).toEqual(['DesiredAlreadyCovers', 80, ['new-0']]);
    // Without warm-up the same fleet scales again: 5 + 1, and the warming instance's 100 lifts the average to 84.
    const plain = await decide(set(), { id: 'g', ...fleet([80, 80, 80, 80], [100]) }, T0);
    expect([plain.to, plain.trace.policies?.stepScaling?.[0]?.result.value]).toEqual([6, 84]);
  });

  it('a larger step while warming adds to the in-service capacity (4 + 3 = 7)', async () => {
    const d = await decide(set(300), { id: 'g', ...fleet([95, 95, 95, 95], [100]) }, T0);
    expect(d.to).toBe(7);
  });

  it("a warming instance's metric does not breach the alarm on its own", async () => {
    const d = await decide(set(300), { id: 'g', ...fleet([50, 50, 50, 50], [100]) }, T0);
    expect([d.to, d.trace.policies?.stepScaling?.[0]?.result.code]).toEqual([5, 'AlarmNotBreached']);
  });

  it('scale-in waits while an instance warms up, and goes ahead once it has', async () => {
    const d = await decide(set(300), { id: 'g', ...fleet([10, 10, 10, 10], [10]) }, T0);
    expect([d.to, d.trace.policies?.stepScaling?.[1]?.result.code]).toEqual([5, 'DesiredAlreadyCovers']);
    const later = await decide(set(30), { id: 'g', ...fleet([10, 10, 10, 10], [10]) }, T0);
    expect(later.to).toBe(4);
  });

  it('AWS\'s example with an explicit in-service capacity: current 10, desired 11; +1 stays 11, +3 gives 13', async () => {
    const cpu = (v: number) => [{ t: T0, v }];
    const plusOne = await decide(set(300), { id: 'g', capacity: 11, inServiceCapacity: 10, metrics: { cpu: cpu(80) } }, T0);
    expect([plusOne.to, plusOne.trace.policies?.stepScaling?.[0]?.result.code]).toEqual([11, 'DesiredAlreadyCovers']);
    const plusThree = await decide(set(300), { id: 'g', capacity: 11, inServiceCapacity: 10, metrics: { cpu: cpu(95) } }, T0);
    expect(plusThree.to).toBe(13);
    // And a scale-in waits while 1 of the 11 is not in service.
    const low = await decide(set(300), { id: 'g', capacity: 11, inServiceCapacity: 10, metrics: { cpu: cpu(10) } }, T0);
    expect(low.to).toBe(11);
  });

  it('a warming instance takes its weight (WeightedCapacity) out of the in-service capacity: weights 4, 4 and 2 warming are 8 units in service, +3 → 11', async () => {
    const f = fleet([95, 95], [100]);
    const weights = [4, 4, 2];
    const d = await decide(set(300), { id: 'g', ...f, capacity: 10, instances: f.instances.map((i, k) => ({ ...i, weight: weights[k]! })) }, T0);
    expect(d.to).toBe(11);
    // Without weights the warming instance counts 1: 9 in service, +3 → 12.
    const plain = await decide(set(300), { id: 'g', ...f, capacity: 10 }, T0);
    expect(plain.to).toBe(12);
  });
});
