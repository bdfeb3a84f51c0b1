// Kubernetes HPA semantics (src/engine/hpa/, src/syntax/quantity.ts): cases ported from horizontal_test.go and replica_calculator_test.go, plus one table per rule.
//
// Expected numbers are worked out by hand in the comments from the Kubernetes sources (or copied from
// the Go test tables, which Kubernetes' own CI checks), never read back from the code under test.
import { describe, expect, it } from 'vitest';
import {
  computeDesiredReplicas,
  computeReplicasForMetric,
  type HpaMetricInput,
  type HpaTolerances,
  isWithinTolerance,
  resolveTolerances,
} from '../../src/engine/hpa/replica-calculator.js';
import { recordHpaScaleEvent, trimHpaHistory } from '../../src/engine/hpa/history.js';
import { normalizeWithBehavior, normalizeWithoutBehavior, type HpaReason } from '../../src/engine/hpa/normalize.js';
import { INT32_MAX } from '../../src/syntax/int32.js';
import { parseQuantity, quantityMilliValue, quantityToFloat64 } from '../../src/syntax/quantity.js';
import {
  applyHpaBehaviorDefaults,
  HPA_DEFAULT_TOLERANCE,
  HPA_DEFAULT_SCALE_DOWN_RULES,
  HPA_DEFAULT_SCALE_UP_RULES,
  HpaBehavior,
  HpaHistory,
  HpaMetricTarget,
  type HpaScalingRules,
} from '../../src/schemas/hpa-behavior.js';

import { behavior, iso, MIN, ok, rules, SEC, T0, uniformEvents } from './hpa-fixtures.js';

const emptyHistory = (): HpaHistory => HpaHistory.parse({});

// ---------------------------------------------------------------------------------------------
// Rate limits: horizontal_test.go TestScalingWithRules (convertDesiredReplicasWithBehaviorRate)

describe('behavior rate limits follow convertDesiredReplicasWithBehaviorRate (horizontal_test.go TestScalingWithRules)', () => {
  interface Case {
    name: string;
    up?: Array<{ at: string; change: number }>;
    down?: Array<{ at: string; change: number }>;
    min: number;
    max: number;
    scaleUp?: HpaScalingRules;
    scaleDown?: HpaScalingRules;
    current: number;
    desired: number;
    expected: number;
    reason: HpaReason;
  }
  const cases: Case[] = [
    { name: 'prenormalized desired replicas within range', current: 5, desired: 7, min: 3, max: 8, expected: 7, reason: 'DesiredWithinRange' },
    { name: 'prenormalized desired replicas < minReplicas', current: 3, desired: 1, min: 2, max: 8, expected: 2, reason: 'TooFewReplicas' },
    { name: 'prenormalized desired replicas within range when minReplicas is 0', current: 1, desired: 0, min: 0, max: 10, expected: 0, reason: 'DesiredWithinRange' },
    // The Go test calls convertDesiredReplicasWithBehaviorRate directly and gets TooManyReplicas;
    // through reconcileAutoscaler, current 20 > max 10 short-circuits to max first: same 10.
    { name: 'maxReplicas is the limit because maxReplicas < scaleUpLimit (reconcile shortcut)', current: 20, desired: 1000, min: 1, max: 10, expected: 10, reason: 'CurrentAboveMax' },
    // default scale-up: max(100 + 4, 100 × 2) = 200 > 150.
    { name: 'desired replica count is more than the maximum replica count', current: 100, desired: 1000, min: 100, max: 150, expected: 150, reason: 'TooManyReplicas' },
    // Percent 1: ceil(3 × 1.01) = 4.
    { name: 'scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies', current: 3, desired: 1000, min: 1, max: 2000, scaleUp: rules(0, 0, 1, 60, 0), expected: 4, reason: 'ScaleUpLimit' },
    // Pods 20: 1000 − 20 = 980 (the Go table marks this row testThis and skips it; the arithmetic holds).
    { name: 'scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies', current: 1000, desired: 3, min: 3, max: 2000, scaleDown: rules(20, 60, 0, 0, 0), expected: 980, reason: 'ScaleDownLimit' },
    // default: max(10 + 4, 10 × 2) = 20.
    { name: 'scaleUp with default behavior', current: 10, desired: 50, min: 1, max: 1000, expected: 20, reason: 'ScaleUpLimit' },
    { name: 'scaleUp with pods policy larger than percent policy', scaleUp: rules(100, 60, 100, 60, 0), current: 10, desired: 500, min: 1, max: 1000, expected: 110, reason: 'ScaleUpLimit' },
    { name: 'scaleUp with percent policy larger than pods policy', scaleUp: rules(2, 60, 100, 60, 0), current: 10, desired: 500, min: 1, max: 1000, expected: 20, reason: 'ScaleUpLimit' },
    { name: 'scaleUp with spec MaxReplicas limitation with large pod policy', scaleUp: rules(100, 60, 0, 0, 0), current: 10, desired: 50, min: 1, max: 1000, expected: 50, reason: 'DesiredWithinRange' },
    { name: 'scaleUp with spec MaxReplicas limitation with large percent policy', scaleUp: rules(10000, 60, 0, 0, 0), current: 10, desired: 50, min: 1, max: 1000, expected: 50, reason: 'DesiredWithinRange' },
    { name: 'scaleUp with pod policy limitation', scaleUp: rules(30, 60, 0, 0, 0), current: 10, desired: 50, min: 1, max: 1000, expected: 40, reason: 'ScaleUpLimit' },
    { name: 'scaleUp with percent policy limitation', scaleUp: rules(0, 0, 200, 60, 0), current: 10, desired: 50, min: 1, max: 1000, expected: 30, reason: 'ScaleUpLimit' },
    // Max on scale-down = the biggest change = the smallest count: min(100 − 20, trunc(100 × 0.99)) = 80.
    { name: 'scaleDown with percent policy larger than pod policy', scaleDown: rules(20, 60, 1, 60, 300), current: 100, desired: 2, min: 1, max: 1000, expected: 80, reason: 'ScaleDownLimit' },
    { name: 'scaleDown with pod policy larger than percent policy', scaleDown: rules(2, 60, 1, 60, 300), current: 100, desired: 2, min: 1, max: 1000, expected: 98, reason: 'ScaleDownLimit' },
    { name: 'scaleDown with spec MinReplicas=nil limitation with large pod policy', scaleDown: rules(100, 60, 0, 0, 300), current: 10, desired: 0, min: 1, max: 1000, expected: 1, reason: 'TooFewReplicas' },
    { name: 'scaleDown with spec MinReplicas limitation with large pod policy', scaleDown: rules(100, 60, 0, 0, 300), current: 10, desired: 0, min: 1, max: 1000, expected: 1, reason: 'TooFewReplicas' },
    { name: 'scaleDown with spec MinReplicas limitation with large percent policy', scaleDown: rules(0, 0, 100, 60, 300), current: 10, desired: 2, min: 5, max: 1000, expected: 5, reason: 'TooFewReplicas' },
    { name: 'scaleDown with pod policy limitation', scaleDown: rules(5, 60, 0, 0, 300), current: 10, desired: 2, min: 1, max: 1000, expected: 5, reason: 'ScaleDownLimit' },
    { name: 'scaleDown with percent policy limitation', scaleDown: rules(0, 0, 50, 60, 300), current: 10, desired: 5, min: 1, max: 1000, expected: 5, reason: 'DesiredWithinRange' },
    // Events 1, 5, 9 at −100 s, −60 s, −20 s; only the −20 s one is inside 60 s: 100 − 9 + 300 = 391 > 200.
    { name: 'scaleUp with spec MaxReplicas limitation with large pod policy and events', up: uniformEvents([1, 5, 9], 120), scaleUp: rules(300, 60, 0, 0, 0), current: 100, desired: 500, min: 1, max: 200, expected: 200, reason: 'TooManyReplicas' },
    { name: 'scaleUp with spec MaxReplicas limitation with large percent policy and events', up: uniformEvents([1, 5, 9], 120), scaleUp: rules(0, 0, 10000, 60, 0), current: 100, desired: 500, min: 1, max: 200, expected: 200, reason: 'TooManyReplicas' },
    // 100 − 15 + 5 = 90 < 100: the limit is raised to the current count, which blocks any scale-up.
    { name: 'scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events', up: uniformEvents([1, 5, 9], 120), scaleUp: rules(5, 120, 0, 0, 0), current: 100, desired: 500, min: 1, max: 1000, expected: 100, reason: 'ScaleUpLimit' },
    { name: 'scaleUp with pod policy and previous scale up events', up: uniformEvents([1, 5, 9], 120), scaleUp: rules(150, 120, 0, 0, 0), current: 100, desired: 500, min: 1, max: 1000, expected: 235, reason: 'ScaleUpLimit' },
    { name: 'scaleUp with percent policy and previous scale up events', up: uniformEvents([1, 5, 9], 120), scaleUp: rules(0, 0, 200, 120, 0), current: 100, desired: 500, min: 1, max: 1000, expected: 255, reason: 'ScaleUpLimit' },
    // period start = 6 − 4 + 2 = 4; ceil(4 × 4) = 16.
    { name: 'scaleUp with percent policy and previous scale up and down events', up: uniformEvents([4], 120), down: uniformEvents([2], 120), scaleUp: rules(0, 0, 300, 300, 0), current: 6, desired: 24, min: 1, max: 1000, expected: 16, reason: 'ScaleUpLimit' },
    { name: 'scaleDown with default policy and previous events', down: uniformEvents([1, 5, 9], 120), current: 10, desired: 5, min: 1, max: 1000, expected: 5, reason: 'DesiredWithinRange' },
    // 100 + 15 − 115 = 0, below min 1.
    { name: 'scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events', down: uniformEvents([1, 5, 9], 120), scaleDown: rules(115, 120, 0, 0, 300), current: 100, desired: 0, min: 1, max: 1000, expected: 1, reason: 'TooFewReplicas' },
    { name: 'scaleDown with spec MinReplicas limitation with large pod policy and previous events', down: uniformEvents([1, 5, 9], 120), scaleDown: rules(130, 120, 0, 0, 300), current: 100, desired: 0, min: 5, max: 1000, expected: 5, reason: 'TooFewReplicas' },
    { name: 'scaleDown with spec MinReplicas limitation with large percent policy and previous events', down: uniformEvents([1, 5, 9], 120), scaleDown: rules(0, 0, 100, 120, 300), current: 100, desired: 2, min: 5, max: 1000, expected: 5, reason: 'TooFewReplicas' },
    // 100 + 15 − 5 = 110 > 100: kept at the current count.
    { name: 'scaleDown with pod policy limitation and previous events', down: uniformEvents([1, 5, 9], 120), scaleDown: rules(5, 120, 0, 0, 300), current: 100, desired: 2, min: 1, max: 1000, expected: 100, reason: 'ScaleDownLimit' },
    // (100 + 12) × 50% = 56.
    { name: 'scaleDown with percent policy limitation and previous events', down: uniformEvents([2, 4, 6], 120), scaleDown: rules(0, 0, 50, 120, 300), current: 100, desired: 0, min: 1, max: 1000, expected: 56, reason: 'ScaleDownLimit' },
    // (10 − 2 + 4) × 50% = 6.
    { name: 'scaleDown with percent policy and previous scale up and down events', up: uniformEvents([2], 120), down: uniformEvents([4], 120), scaleDown: rules(0, 0, 50, 180, 0), current: 10, desired: 1, min: 1, max: 1000, expected: 6, reason: 'ScaleDownLimit' },
    // (100 + 30) × 90% = 117 > 100: no further scale-down.
    { name: 'scaleDown with previous events preventing further scale down', down: uniformEvents([10, 10, 10], 120), scaleDown: rules(0, 0, 10, 120, 300), current: 100, desired: 0, min: 1, max: 1000, expected: 100, reason: 'ScaleDownLimit' },
    // (10 + 30) × (1 − 10) = −360: nothing limits the metrics' 5.
    { name: 'scaleDown with with previous events still allowing more scale down', down: uniformEvents([10, 10, 10], 120), scaleDown: rules(0, 0, 1000, 120, 300), current: 10, desired: 5, min: 1, max: 1000, expected: 5, reason: 'DesiredWithinRange' },
    { name: "check 'outdated' flag for events for one behavior for up", up: uniformEvents([8, 12, 9, 11], 120), scaleUp: rules(1000, 60, 0, 0, 0), current: 100, desired: 200, min: 1, max: 1000, expected: 200, reason: 'DesiredWithinRange' },
    { name: "check that events were not marked 'outdated' for two different policies in the behavior for up", up: uniformEvents([8, 12, 9, 11], 120), scaleUp: rules(1000, 120, 100, 60, 0), current: 100, desired: 200, min: 1, max: 1000, expected: 200, reason: 'DesiredWithinRange' },
    { name: "check that events were marked 'outdated' for two different policies in the behavior for up", up: uniformEvents([8, 12, 9, 11], 120), scaleUp: rules(1000, 30, 100, 60, 0), current: 100, desired: 200, min: 1, max: 1000, expected: 200, reason: 'DesiredWithinRange' },
    { name: "check 'outdated' flag for events for one behavior for down", down: uniformEvents([8, 12, 9, 11], 120), scaleDown: rules(1000, 60, 0, 0, 300), current: 100, desired: 5, min: 1, max: 1000, expected: 5, reason: 'DesiredWithinRange' },
    { name: "check that events were not marked 'outdated' for two different policies in the behavior for down", down: uniformEvents([8, 12, 9, 11], 120), scaleDown: rules(1000, 120, 100, 60, 300), current: 100, desired: 5, min: 1, max: 1000, expected: 5, reason: 'DesiredWithinRange' },
    { name: "check that events were marked 'outdated' for two different policies in the behavior for down", down: uniformEvents([8, 12, 9, 11], 120), scaleDown: rules(1000, 30, 100, 60, 300), current: 100, desired: 5, min: 1, max: 1000, expected: 5, reason: 'DesiredWithinRange' },
  ];
  it.each(cases)('$name → $expected ($reason)', (c) => {
    // No stored recommendations, so stabilization passes the desired count through unchanged,
    // and the rate-limit step sees exactly what the Go test feeds convertDesiredReplicasWithBehaviorRate.
    const history = HpaHistory.parse({ scaleEvents: { up: c.up ?? [], down: c.down ?? [] } });
    const b: HpaBehavior = {};
    if (c.scaleUp) b.scaleUp = c.scaleUp;
    if (c.scaleDown) b.scaleDown = c.scaleDown;
    const r = ok(normalizeWithBehavior({ currentReplicas: c.current, desiredReplicas: c.desired, minReplicas: c.min, maxReplicas: c.max, behavior: behavior(b), history, now: T0 }));
    expect(r.replicas).toBe(c.expected);
    expect(r.reason).toBe(c.reason);
    expect(r.message.length).toBeGreaterThan(0);
  });
});

describe('selectPolicy Min picks the smallest change (horizontal_test.go TestCalculateScaleUpLimitWithScalingRules / TestCalculateScaleDownLimitWithBehaviors)', () => {
  const minRules = (window: number): HpaScalingRules => ({
    stabilizationWindowSeconds: window,
    selectPolicy: 'Min',
    policies: [
      { type: 'Pods', value: 2, periodSeconds: 60 },
      { type: 'Percent', value: 50, periodSeconds: 60 },
    ],
  });
  it('scale-up from 1: Pods allows 3, Percent ceil(1.5) = 2, Min takes 2', () => {
    const r = ok(normalizeWithBehavior({ currentReplicas: 1, desiredReplicas: 10, minReplicas: 1, maxReplicas: 100, behavior: behavior({ scaleUp: minRules(0) }), history: emptyHistory(), now: T0 }));
    expect(r.trace.limits.map((l) => l.limit)).toEqual([3, 2]);
    expect(r.replicas).toBe(2);
    expect(r.reason).toBe('ScaleUpLimit');
  });
  it('scale-down from 5: Pods allows 3, Percent trunc(2.5) = 2, Min (least change) keeps 3', () => {
    const r = ok(normalizeWithBehavior({ currentReplicas: 5, desiredReplicas: 1, minReplicas: 1, maxReplicas: 100, behavior: behavior({ scaleDown: minRules(0) }), history: emptyHistory(), now: T0 }));
    expect(r.trace.limits.map((l) => l.limit)).toEqual([3, 2]);
    expect(r.replicas).toBe(3);
    expect(r.reason).toBe('ScaleDownLimit');
  });
});

describe('selectPolicy Disabled freezes that direction (calculateScaleUpLimitWithScalingRules returns currentReplicas)', () => {
  const disabled: HpaScalingRules = { selectPolicy: 'Disabled' };
  const cases: Array<{ name: string; b: HpaBehavior; current: number; desired: number; expected: number; reason: HpaReason }> = [
    { name: 'scale-up disabled: stays at the current count', b: { scaleUp: disabled }, current: 4, desired: 9, expected: 4, reason: 'ScaleUpLimit' },
    { name: 'scale-down disabled: stays at the current count', b: { scaleDown: { ...disabled, stabilizationWindowSeconds: 0 } }, current: 9, desired: 2, expected: 9, reason: 'ScaleDownLimit' },
    { name: 'scale-down disabled does not block scale-up', b: { scaleDown: disabled }, current: 4, desired: 6, expected: 6, reason: 'DesiredWithinRange' },
  ];
  it.each(cases)('$name', ({ b, current, desired, expected, reason }) => {
    const r = ok(normalizeWithBehavior({ currentReplicas: current, desiredReplicas: desired, minReplicas: 1, maxReplicas: 20, behavior: behavior(b), history: emptyHistory(), now: T0 }));
    expect(r.replicas).toBe(expected);
    expect(r.reason).toBe(reason);
  });
});

// ---------------------------------------------------------------------------------------------
// Stabilization: horizontal_test.go TestNormalizeDesiredReplicasWithBehavior

describe('stabilization with behavior: lowest of the scale-up window, highest of the scale-down window (TestNormalizeDesiredReplicasWithBehavior)', () => {
  interface Case {
    name: string;
    recs: Array<[number, number]>; // [replicas, age in ms]
    current: number;
    desired: number;
    up: number;
    down: number;
    expected: number;
    /** The Go test's expected stored list, in order. */
    k8sStored?: number[];
    /** Of those, the values older than both windows: never read again, so trimmed from the state. */
    trimmed?: number[];
  }
  const cases: Case[] = [
    { name: 'empty recommendations for scaling down', recs: [], current: 100, desired: 5, up: 0, down: 0, expected: 5, k8sStored: [5] },
    { name: 'simple scale down stabilization', recs: [[4, 2 * MIN], [5, MIN]], current: 100, desired: 3, up: 0, down: 180, expected: 5, k8sStored: [4, 5, 3] },
    { name: 'simple scale up stabilization', recs: [[4, 2 * MIN], [5, MIN]], current: 1, desired: 7, up: 300, down: 0, expected: 4, k8sStored: [4, 5, 7] },
    { name: 'no scale down stabilization', recs: [[1, 2 * MIN], [2, MIN]], current: 100, desired: 3, up: 300, down: 0, expected: 3, k8sStored: [1, 2, 3] },
    { name: 'no scale up stabilization', recs: [[4, 2 * MIN], [5, MIN]], current: 1, desired: 3, up: 0, down: 300, expected: 3, k8sStored: [4, 5, 3] },
    // Both samples are older than both (zero) windows: the last one's slot is reused.
    { name: 'no scale down stabilization, reuse recommendation element', recs: [[10, 10 * MIN], [9, 9 * MIN]], current: 100, desired: 3, up: 0, down: 0, expected: 3, k8sStored: [10, 3], trimmed: [10] },
    { name: 'no scale up stabilization, reuse recommendation element', recs: [[10, 10 * MIN], [9, 9 * MIN]], current: 1, desired: 100, up: 0, down: 0, expected: 100, k8sStored: [10, 100], trimmed: [10] },
    { name: 'scale down stabilization, reuse one of obsolete recommendation element', recs: [[10, 10 * MIN], [4, MIN], [5, 2 * MIN], [9, 9 * MIN]], current: 100, desired: 3, up: 0, down: 180, expected: 5, k8sStored: [10, 4, 5, 3], trimmed: [10] },
    { name: 'scale up stabilization, reuse one of obsolete recommendation element', recs: [[10, 100 * MIN], [6, MIN], [5, 2 * MIN], [9, 3 * MIN]], current: 1, desired: 100, up: 300, down: 0, expected: 5, k8sStored: [100, 6, 5, 9] },
    { name: 'scale up and down stabilization, do not scale up when prenormalized rec goes down', recs: [[2, 100 * MIN], [3, 3 * MIN]], current: 2, desired: 1, up: 300, down: 300, expected: 2 },
    { name: 'scale up and down stabilization, do not scale down when prenormalized rec goes up', recs: [[2, 100 * MIN], [1, 3 * MIN]], current: 2, desired: 3, up: 300, down: 300, expected: 2 },
  ];
  it.each(cases)('$name → $expected', (c) => {
    const history = HpaHistory.parse({ recommendations: c.recs.map(([replicas, age]) => ({ at: iso(T0 - age), replicas })) });
    const b = behavior({ scaleUp: { stabilizationWindowSeconds: c.up }, scaleDown: { stabilizationWindowSeconds: c.down } });
    const r = ok(normalizeWithBehavior({ currentReplicas: c.current, desiredReplicas: c.desired, minReplicas: 1, maxReplicas: 1000, behavior: b, history, now: T0 }));
    expect(r.trace.stabilizationPick?.picked).toBe(c.expected);
    if (c.k8sStored) {
      const kept = [...c.k8sStored];
      for (const t of c.trimmed ?? []) kept.splice(kept.indexOf(t), 1);
      expect(r.history.recommendations.map((x) => x.replicas)).toEqual(kept);
    }
  });

  it('names the stabilization in the AbleToScale condition with Kubernetes\' reason and message', () => {
    const history = HpaHistory.parse({ recommendations: [{ at: iso(T0 - MIN), replicas: 5 }] });
    const r = ok(normalizeWithBehavior({ currentReplicas: 8, desiredReplicas: 3, minReplicas: 1, maxReplicas: 10, behavior: behavior({}), history, now: T0 }));
    expect(r.replicas).toBe(5);
    expect(r.reason).toBe('ScaleDownStabilized');
    expect(r.conditions.ableToScale).toEqual({
      status: true,
      reason: 'ScaleDownStabilized',
      message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
    });
    expect(r.conditions.scalingLimited?.reason).toBe('DesiredWithinRange');
    expect(r.conditions.scalingLimited?.status).toBe(false);
  });
});

describe('stabilization windows exclude a sample exactly at the cutoff with behavior, include it without', () => {
  it('behavior: a sample at exactly now − window is not after the cutoff (time.After), so it does not count', () => {
    const history = HpaHistory.parse({ recommendations: [{ at: iso(T0 - 300 * SEC), replicas: 9 }, { at: iso(T0 - 299 * SEC), replicas: 6 }] });
    const r = ok(normalizeWithBehavior({ currentReplicas: 8, desiredReplicas: 3, minReplicas: 1, maxReplicas: 10, behavior: behavior({}), history, now: T0 }));
    expect(r.trace.stabilizationPick?.candidates.scaleDown).toEqual([3, 6]);
    expect(r.replicas).toBe(6);
  });
  it('no behavior: stabilizeRecommendation only drops samples before the cutoff (time.Before), so it counts', () => {
    const history = HpaHistory.parse({ recommendations: [{ at: iso(T0 - 300 * SEC), replicas: 9 }, { at: iso(T0 - 299 * SEC), replicas: 6 }] });
    const r = ok(normalizeWithoutBehavior({ currentReplicas: 8, desiredReplicas: 3, minReplicas: 1, maxReplicas: 10, history, now: T0 }));
    expect(r.trace.stabilizationPick?.candidates.scaleDown).toEqual([3, 9, 6]);
    // The highest is 9, inside min 1 and min(max 10, max(2 × 8, 4) = 16): the downscale window even
    // lifts the count above the current 8, as stabilizeRecommendation returns the maximum as is.
    expect(r.replicas).toBe(9);
    expect(r.reason).toBe('ScaleDownStabilized');
  });
});

// ---------------------------------------------------------------------------------------------
// No behavior: horizontal_test.go TestNormalizeDesiredReplicas and TestConvertDesiredReplicasWithRules

describe('without behavior: highest recommendation of the last 5 minutes (TestNormalizeDesiredReplicas)', () => {
  const cases: Array<{ name: string; recs: Array<[number, number]>; desired: number; expected: number; k8sLog: number[]; trimmed?: number[] }> = [
    { name: 'empty log', recs: [], desired: 5, expected: 5, k8sLog: [5] },
    { name: 'stabilize', recs: [[4, 2 * MIN], [5, MIN]], desired: 3, expected: 5, k8sLog: [4, 5, 3] },
    { name: 'no stabilize', recs: [[1, 2 * MIN], [2, MIN]], desired: 3, expected: 3, k8sLog: [1, 2, 3] },
    { name: 'no stabilize - old recommendations', recs: [[10, 10 * MIN], [9, 9 * MIN]], desired: 3, expected: 3, k8sLog: [10, 3], trimmed: [10] },
    { name: 'stabilize - old recommendations', recs: [[10, 10 * MIN], [4, MIN], [5, 2 * MIN], [9, 9 * MIN]], desired: 3, expected: 5, k8sLog: [10, 4, 5, 3], trimmed: [10] },
  ];
  it.each(cases)('$name → $expected', (c) => {
    const history = HpaHistory.parse({ recommendations: c.recs.map(([replicas, age]) => ({ at: iso(T0 - age), replicas })) });
    // current 10: every expected value is inside [min 1, max(2 × 10, 4)], so only stabilization acts.
    const r = ok(normalizeWithoutBehavior({ currentReplicas: 10, desiredReplicas: c.desired, minReplicas: 1, maxReplicas: 100, history, now: T0 }));
    expect(r.trace.stabilizationPick?.picked).toBe(c.expected);
    expect(r.replicas).toBe(c.expected);
    expect(r.reason).toBe(c.expected !== c.desired ? 'ScaleDownStabilized' : 'DesiredWithinRange');
    const kept = [...c.k8sLog];
    for (const t of c.trimmed ?? []) kept.splice(kept.indexOf(t), 1);
    expect(r.history.recommendations.map((x) => x.replicas)).toEqual(kept);
  });
});

describe('without behavior: min, then max or max(2 × current, 4) (TestConvertDesiredReplicasWithRules)', () => {
  const cases: Array<{ name: string; current: number; desired: number; min: number; max: number; expected: number; reason: HpaReason }> = [
    { name: 'prenormalized desired replicas within range', current: 5, desired: 7, min: 3, max: 8, expected: 7, reason: 'DesiredWithinRange' },
    { name: 'prenormalized desired replicas < minReplicas', current: 3, desired: 1, min: 2, max: 8, expected: 2, reason: 'TooFewReplicas' },
    { name: 'prenormalized desired zeroed replicas within range', current: 1, desired: 0, min: 0, max: 10, expected: 0, reason: 'DesiredWithinRange' },
    // The Go test calls convertDesiredReplicasWithRules directly (TooManyReplicas); reconcile shortcuts first.
    { name: 'maxReplicas is the limit because maxReplicas < scaleUpLimit (reconcile shortcut)', current: 20, desired: 1000, min: 1, max: 10, expected: 10, reason: 'CurrentAboveMax' },
    // calculateScaleUpLimit(3) = max(2 × 3, 4) = 6.
    { name: 'scaleUpLimit is the limit because scaleUpLimit < maxReplicas', current: 3, desired: 1000, min: 1, max: 2000, expected: 6, reason: 'ScaleUpLimit' },
    // Own: max(2 × 1, 4) = 4 — the minimum wins at small counts.
    { name: 'scaleUpLimitMinimum: from 1 replica one step may still reach 4', current: 1, desired: 10, min: 1, max: 100, expected: 4, reason: 'ScaleUpLimit' },
    // Own: max(2 × 10, 4) = 20 > maxReplicas 15, so maxReplicas is the binding limit.
    { name: 'maxReplicas below the doubling limit: TooManyReplicas', current: 10, desired: 25, min: 1, max: 15, expected: 15, reason: 'TooManyReplicas' },
    // Own: exactly double is allowed.
    { name: 'exactly doubling is allowed', current: 10, desired: 20, min: 1, max: 100, expected: 20, reason: 'DesiredWithinRange' },
  ];
  it.each(cases)('$name → $expected ($reason)', (c) => {
    const r = ok(normalizeWithoutBehavior({ currentReplicas: c.current, desiredReplicas: c.desired, minReplicas: c.min, maxReplicas: c.max, history: emptyHistory(), now: T0 }));
    expect(r.replicas).toBe(c.expected);
    expect(r.reason).toBe(c.reason);
  });

  it('keeps no scale events: recordHpaScaleEvent without a behavior stores nothing', () => {
    const r = recordHpaScaleEvent({ history: emptyHistory(), behavior: undefined, previousReplicas: 3, newReplicas: 6, now: T0 });
    expect(r.ok && r.history.scaleEvents).toEqual({ up: [], down: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// Shortcuts of reconcileAutoscaler and the first decision

describe('reconcileAutoscaler shortcuts run before any normalisation', () => {
  const cases: Array<{ name: string; current: number; desired: number; min: number; max: number; expected: number; reason: HpaReason }> = [
    { name: 'zero replicas with minReplicas ≥ 1 means autoscaling is disabled', current: 0, desired: 7, min: 1, max: 10, expected: 0, reason: 'ScalingDisabled' },
    { name: 'above maxReplicas: straight to max, ignoring stabilization and rate limits', current: 15, desired: 20, min: 1, max: 10, expected: 10, reason: 'CurrentAboveMax' },
    { name: 'below minReplicas: straight to min, ignoring rate limits', current: 1, desired: 1, min: 30, max: 40, expected: 30, reason: 'CurrentBelowMin' },
  ];
  it.each(cases)('$name', (c) => {
    for (const r of [
      normalizeWithBehavior({ currentReplicas: c.current, desiredReplicas: c.desired, minReplicas: c.min, maxReplicas: c.max, behavior: behavior({}), history: emptyHistory(), now: T0 }),
      normalizeWithoutBehavior({ currentReplicas: c.current, desiredReplicas: c.desired, minReplicas: c.min, maxReplicas: c.max, history: emptyHistory(), now: T0 }),
    ]) {
      const o = ok(r);
      expect(o.replicas).toBe(c.expected);
      expect(o.reason).toBe(c.reason);
      // No recommendation is stored on these paths.
      expect(o.history.recommendations).toEqual([]);
    }
  });
  it('ScalingDisabled sets ScalingActive=False with Kubernetes\' message', () => {
    const r = ok(normalizeWithBehavior({ currentReplicas: 0, desiredReplicas: 3, minReplicas: 1, maxReplicas: 10, behavior: behavior({}), now: T0 }));
    expect(r.conditions.scalingActive).toEqual({ status: false, reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
    // recordInitialRecommendation ran before the shortcut.
    expect(r.history.recommendations).toEqual([{ at: '2026-11-22T10:30:00Z', replicas: 0 }]);
  });
  it('minReplicas 0 with 0 replicas is not disabled (scale to and from zero)', () => {
    const r = ok(normalizeWithBehavior({ currentReplicas: 0, desiredReplicas: 3, minReplicas: 0, maxReplicas: 10, behavior: behavior({}), history: emptyHistory(), now: T0 }));
    // default scale-up from 0: max(0 + 4, ceil(0 × 2)) = 4 ≥ 3.
    expect(r.replicas).toBe(3);
  });
});

describe('the first decision records the current count (recordInitialRecommendation), so a fresh HPA cannot scale down at once', () => {
  it.each([
    { name: 'with default behavior', withBehavior: true },
    { name: 'without behavior', withBehavior: false },
  ])('$name: current 10, raw 3 → 10 (ScaleDownStabilized)', ({ withBehavior }) => {
    const base = { currentReplicas: 10, desiredReplicas: 3, minReplicas: 1, maxReplicas: 20, now: T0 };
    const r = ok(withBehavior ? normalizeWithBehavior({ ...base, behavior: behavior({}) }) : normalizeWithoutBehavior(base));
    expect(r.replicas).toBe(10);
    expect(r.reason).toBe('ScaleDownStabilized');
    expect(r.history.recommendations.map((x) => x.replicas)).toEqual([10, 3]);
  });
  it('an explicit empty history is an initialised one: no current count is injected', () => {
    const r = ok(normalizeWithBehavior({ currentReplicas: 10, desiredReplicas: 3, minReplicas: 1, maxReplicas: 20, behavior: behavior({}), history: emptyHistory(), now: T0 }));
    expect(r.replicas).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// Scale events: horizontal_test.go TestStoreScaleEvents

describe('storeScaleEvent: outdated events are marked and the last one reused (TestStoreScaleEvents)', () => {
  interface Case {
    name: string;
    prev: Array<[number, number]>; // [change, age in seconds]
    rules?: HpaScalingRules;
    /** The Go test's expected list: [change, outdated]. */
    k8s: Array<[number, boolean]>;
    /** Positions (in the Go list) of entries older than every policy period of both directions: never read again, trimmed here. */
    trimmedAt?: number[];
    /** getReplicasChangePerPeriod(60, prev) in the Go test. */
    changeIn60s: number;
  }
  const cases: Case[] = [
    { name: 'empty entries with default behavior', prev: [], k8s: [], changeIn60s: 0 },
    { name: 'empty entries with two-policy-behavior', prev: [], rules: rules(10, 60, 100, 60, 0), k8s: [[5, false]], changeIn60s: 0 },
    { name: 'one outdated entry to be kept untouched without behavior', prev: [[7, 61]], k8s: [[7, false]], changeIn60s: 0 },
    { name: 'one outdated entry to be replaced with behavior', prev: [[7, 61]], rules: rules(10, 60, 100, 60, 0), k8s: [[5, false]], changeIn60s: 0 },
    { name: 'one actual entry to be not touched with behavior', prev: [[7, 58]], rules: rules(10, 60, 100, 60, 0), k8s: [[7, false], [5, false]], changeIn60s: 7 },
    { name: 'two entries, one of them to be replaced', prev: [[7, 61], [6, 59]], rules: rules(10, 60, 0, 0, 0), k8s: [[5, false], [6, false]], changeIn60s: 6 },
    { name: 'replace one entry, use policies with different periods', prev: [[8, 29], [6, 59], [7, 61], [9, 61]], rules: rules(10, 60, 100, 30, 0), k8s: [[8, false], [6, false], [7, true], [5, false]], trimmedAt: [2], changeIn60s: 14 },
    { name: 'two entries, both actual', prev: [[7, 58], [6, 59]], rules: rules(10, 120, 100, 30, 0), k8s: [[7, false], [6, false], [5, false]], changeIn60s: 13 },
  ];
  it.each(cases)('$name', (c) => {
    const prev = c.prev.map(([change, age]) => ({ at: iso(T0 - age * SEC), change }));
    for (const direction of ['up', 'down'] as const) {
      const history = HpaHistory.parse({ scaleEvents: { [direction]: prev } });
      const b = c.rules ? behavior(direction === 'up' ? { scaleUp: c.rules } : { scaleDown: c.rules }) : undefined;
      const r = recordHpaScaleEvent({ history, behavior: b, previousReplicas: 10, newReplicas: direction === 'up' ? 15 : 5, now: T0 });
      if (!r.ok) throw new Error(r.message);
      const expected = c.k8s.filter((_, i) => !(c.trimmedAt ?? []).includes(i));
      expect(r.history.scaleEvents[direction].map((e) => [e.change, e.outdated === true])).toEqual(expected);
    }
  });
  it.each(cases)('getReplicasChangePerPeriod(60) before storing: $name → $changeIn60s', (c) => {
    // Observed through a Pods-0-per-60s-like limit: period start = current − added in the last 60 s.
    const up = c.prev.map(([change, age]) => ({ at: iso(T0 - age * SEC), change }));
    const r = ok(normalizeWithBehavior({
      currentReplicas: 100, desiredReplicas: 1000, minReplicas: 1, maxReplicas: 10000,
      behavior: behavior({ scaleUp: rules(1, 60, 0, 0, 0) }),
      history: HpaHistory.parse({ scaleEvents: { up } }),
      now: T0,
    }));
    expect(r.trace.limits[0]?.replicasAddedInPeriod).toBe(c.changeIn60s);
  });

  it('a shorter period in one direction reuses slots the other direction still reads, exactly as Kubernetes does', () => {
    // scaleUp looks back 15 s, scaleDown 300 s. A scale-up event 20 s old is outdated for scale-up
    // and its slot is reused, although scale-down policies would still have counted it.
    const b = behavior({ scaleUp: rules(4, 15, 0, 0, 0), scaleDown: rules(0, 0, 10, 300, 0) });
    const history = HpaHistory.parse({ scaleEvents: { up: [{ at: iso(T0 - 400 * SEC), change: 2 }, { at: iso(T0 - 20 * SEC), change: 3 }] } });
    const r = recordHpaScaleEvent({ history, behavior: b, previousReplicas: 10, newReplicas: 14, now: T0 });
    if (!r.ok) throw new Error(r.message);
    // Both are older than 15 s → outdated; the last (index 1) is overwritten; nothing is trimmed from
    // the up list because scale-down reads further back than scale-up.
    expect(r.history.scaleEvents.up).toEqual([
      { at: iso(T0 - 400 * SEC).replace('.000Z', 'Z'), change: 2, outdated: true },
      { at: '2026-11-22T10:30:00Z', change: 4 },
    ]);
  });
  it('an unchanged count stores nothing (storeScaleEvent only runs after a rescale)', () => {
    const r = recordHpaScaleEvent({ history: emptyHistory(), behavior: behavior({}), previousReplicas: 4, newReplicas: 4, now: T0 });
    expect(r.ok && r.history.scaleEvents).toEqual({ up: [], down: [] });
  });
});

describe('policy periods: events inside periodSeconds count, an event exactly periodSeconds old does not', () => {
  const cases: Array<{ name: string; age: number; expected: number }> = [
    // Pods 2 per 60 s from 10 with a +2 event: inside → start 8, limit 10 (= current, blocked).
    { name: 'event 59 s old counts', age: 59, expected: 10 },
    // exactly 60 s: not after now − 60 s (time.After) → start 10, limit 12.
    { name: 'event exactly 60 s old does not count', age: 60, expected: 12 },
    { name: 'event 61 s old does not count', age: 61, expected: 12 },
  ];
  it.each(cases)('$name → $expected', ({ age, expected }) => {
    const history = HpaHistory.parse({ scaleEvents: { up: [{ at: iso(T0 - age * SEC), change: 2 }] } });
    const r = ok(normalizeWithBehavior({ currentReplicas: 10, desiredReplicas: 50, minReplicas: 1, maxReplicas: 100, behavior: behavior({ scaleUp: rules(2, 60, 0, 0, 0) }), history, now: T0 }));
    expect(r.replicas).toBe(expected);
    expect(r.reason).toBe('ScaleUpLimit');
  });
});

describe('a sequence of decisions carries recommendations and events through the state', () => {
  it('default behavior from 1 to 100: 5 at 0 s, 10 at 15 s, still 10 at 20 s (the +5 is inside the 15 s period), 20 at 30 s', () => {
    const b = behavior({});
    let history: HpaHistory | undefined;
    let current = 1;
    const seen: number[] = [];
    for (const t of [0, 15, 20, 30]) {
      const now = T0 + t * SEC;
      const r = ok(normalizeWithBehavior({ currentReplicas: current, desiredReplicas: 100, minReplicas: 1, maxReplicas: 100, behavior: b, history, now }));
      seen.push(r.replicas);
      const rec = recordHpaScaleEvent({ history: r.history, behavior: b, previousReplicas: current, newReplicas: r.replicas, now });
      if (!rec.ok) throw new Error(rec.message);
      history = rec.history;
      current = r.replicas;
    }
    // t=0: max(1 + 4, ceil(1 × 2)) = 5. t=15: the +4 at 0 s is exactly 15 s old, not counted: max(9, 10) = 10.
    // t=20: the +5 at 15 s counts: start 5 → max(9, 10) = 10 = current, blocked. t=30: +5 at 15 s is
    // exactly 15 s old: start 10 → max(14, 20) = 20.
    expect(seen).toEqual([5, 10, 10, 20]);
    // Events older than 15 s are trimmed (scale-up and scale-down both look back 15 s): the +4 at 0 s
    // went at 20 s; the +5 at 15 s is exactly 15 s old at 30 s, kept (harmless, it no longer counts).
    expect(history?.scaleEvents.up.map((e) => e.change)).toEqual([5, 10]);
  });
  it('trims recommendations older than the longest stabilization window', () => {
    const b = behavior({});
    const history = HpaHistory.parse({ recommendations: [{ at: iso(T0 - 301 * SEC), replicas: 50 }, { at: iso(T0 - 100 * SEC), replicas: 7 }] });
    const r = ok(normalizeWithBehavior({ currentReplicas: 7, desiredReplicas: 7, minReplicas: 1, maxReplicas: 100, behavior: b, history, now: T0 }));
    expect(r.history.recommendations.map((x) => x.replicas)).toEqual([7, 7]);
    const t = trimHpaHistory(HpaHistory.parse({ recommendations: [{ at: iso(T0 - 301 * SEC), replicas: 50 }] }), undefined, T0, 600);
    expect(t.ok && t.history.recommendations.length).toBe(1);
  });
});

describe('errors are values', () => {
  it.each([
    { name: 'minReplicas above maxReplicas', min: 5, max: 3, code: 'InvalidInput' },
    { name: 'maxReplicas 0', min: 0, max: 0, code: 'InvalidInput' },
  ])('$name → $code', ({ min, max, code }) => {
    const r = normalizeWithBehavior({ currentReplicas: 3, desiredReplicas: 3, minReplicas: min, maxReplicas: max, behavior: behavior({}), now: T0 });
    expect(r.ok || r.code).toBe(code);
  });
  it('a history timestamp without an offset → InvalidHistory', () => {
    const history = { recommendations: [{ at: '2026-11-22T10:30:00', replicas: 3 }], scaleEvents: { up: [], down: [] } };
    const r = normalizeWithoutBehavior({ currentReplicas: 3, desiredReplicas: 3, minReplicas: 1, maxReplicas: 5, history, now: T0 });
    expect(r.ok || r.code).toBe('InvalidHistory');
  });
});

// ---------------------------------------------------------------------------------------------
// Replica calculator: replica_calculator_test.go

const tol = (scaleDown: number, scaleUp: number): HpaTolerances => ({ scaleDown, scaleUp });

describe('per-metric replicas follow replica_calculator.go (replica_calculator_test.go)', () => {
  interface Case {
    name: string;
    metric: HpaMetricInput;
    current: number;
    readyPods?: number;
    tolerances?: HpaTolerances;
    expected: number;
    /** The ratio is inside the tolerance band (otherwise outside). */
    within?: true;
  }
  const util = (value: number, target: number): HpaMetricInput => ({ source: 'Resource', target: { type: 'Utilization', averageUtilization: target }, value });
  const pods = (value: number, target: number): HpaMetricInput => ({ source: 'Pods', target: { type: 'AverageValue', averageValue: target }, value });
  const object = (value: number, target: number | string): HpaMetricInput => ({ source: 'Object', target: { type: 'Value', value: target }, value });
  const objectPerPod = (value: number, target: number): HpaMetricInput => ({ source: 'Object', target: { type: 'AverageValue', averageValue: target }, value });
  const external = (value: number, target: number): HpaMetricInput => ({ source: 'External', target: { type: 'Value', value: target }, value });
  const externalPerPod = (value: number, target: number): HpaMetricInput => ({ source: 'External', target: { type: 'AverageValue', averageValue: target }, value });
  const cases: Case[] = [
    // TestReplicaCalcResourceScale "scale up": (300+500+700)×100/3000 = 50% vs 30%: ceil(5/3 × 3) = 5.
    { name: 'TestReplicaCalcResourceScale: scale up', metric: util(50, 30), current: 3, expected: 5 },
    // "scale down": 1400×100/5000 = 28% vs 50%: ceil(0.56 × 5) = 3.
    { name: 'TestReplicaCalcResourceScale: scale down', metric: util(28, 50), current: 5, expected: 3 },
    // TestReplicaCalcResourceTolerance, requests 0.9/1.0/1.1 = 3000m.
    { name: 'TestReplicaCalcResourceTolerance: within default tolerance (3060m → 102%)', metric: util(102, 100), current: 3, expected: 3, within: true },
    { name: 'TestReplicaCalcResourceTolerance: outside 0% tolerance (3030m → 101%)', metric: util(101, 100), current: 3, tolerances: tol(0, 0), expected: 4 },
    { name: 'TestReplicaCalcResourceTolerance: within 200% scale-up tolerance (190%)', metric: util(190, 100), current: 3, tolerances: tol(HPA_DEFAULT_TOLERANCE, 2), expected: 3, within: true },
    { name: 'TestReplicaCalcResourceTolerance: outside 8% scale-up tolerance (109%)', metric: util(109, 100), current: 3, tolerances: tol(2, 0.08), expected: 4 },
    { name: 'TestReplicaCalcResourceTolerance: within 36% scale-down tolerance (65%)', metric: util(65, 100), current: 3, tolerances: tol(0.36, HPA_DEFAULT_TOLERANCE), expected: 3, within: true },
    { name: 'TestReplicaCalcResourceTolerance: outside 34% scale-down tolerance (65%)', metric: util(65, 100), current: 3, tolerances: tol(0.34, HPA_DEFAULT_TOLERANCE), expected: 2 },
    // TestReplicaCalcComputedToleranceAlgImplementation: 1500m used of 3000m = 50%; target
    // int32((1/(2×0.9) + 0.01) × 100) = 56 → 50/56 = 0.893 < 0.9 → ceil(8.93) = 9; with +0.004 the
    // target is 55 → 0.909 ≥ 0.9 → stays 10.
    { name: 'TestReplicaCalcComputedToleranceAlgImplementation: just outside the band', metric: util(50, 56), current: 10, expected: 9 },
    { name: 'TestReplicaCalcComputedToleranceAlgImplementation: just inside the band', metric: util(50, 55), current: 10, expected: 10, within: true },
    // TestReplicaCalcPodMetric (levels in milli-units): avg 20000m vs 15000m → ceil(4/3 × 3) = 4.
    { name: 'TestReplicaCalcPodMetric: scale up', metric: pods(20, 15), current: 3, expected: 4 },
    { name: 'TestReplicaCalcPodMetric: scale down', metric: pods(12, 20), current: 5, expected: 3 },
    // avg = 62000/3 = 20666m (integer division) → 1.0333.
    { name: 'TestReplicaCalcPodMetric: within default tolerance', metric: pods(20.666, 20), current: 3, expected: 3, within: true },
    { name: 'TestReplicaCalcPodMetric: outside configurable 1% tolerance', metric: pods(20.666, 20), current: 3, tolerances: tol(HPA_DEFAULT_TOLERANCE, 0.01), expected: 4 },
    { name: 'TestReplicaCalcObjectMetric: scale up', metric: object(20, 15), current: 3, expected: 4 },
    // 50000m / 10000m = 5 × 1 ready pod.
    { name: 'TestReplicaCalcObjectMetric: scale up: ignores unready pods', metric: object(50, 10), current: 3, readyPods: 1, expected: 5 },
    { name: 'TestReplicaCalcObjectMetric: scale down', metric: object(12, 20), current: 5, expected: 3 },
    { name: 'TestReplicaCalcObjectMetric: within default tolerance', metric: object(20.666, 20), current: 3, expected: 3, within: true },
    { name: 'TestReplicaCalcObjectMetric: outside configurable 1% tolerance', metric: object(20.666, 20), current: 3, tolerances: tol(HPA_DEFAULT_TOLERANCE, 0.01), expected: 4 },
    // MaxInt64 milli over a 1m target: saturates.
    // eslint-disable-next-line no-loss-of-precision -- Go's MaxInt64 as written upstream; as a double it is 2^63.
    { name: 'TestReplicaCalcObjectMetric: very large metric saturates replicas to MaxInt32', metric: object(9223372036854775.807, '1m'), current: 3, expected: INT32_MAX },
    // 20000m total / (5000m × 3) = 1.33 → ceil(20000/5000) = 4.
    { name: 'TestReplicaCalcObjectPerPodMetric: scale up', metric: objectPerPod(20, 5), current: 3, expected: 4 },
    { name: 'TestReplicaCalcObjectPerPodMetric: scale down', metric: objectPerPod(6, 2), current: 5, expected: 3 },
    { name: 'TestReplicaCalcObjectPerPodMetric: within default tolerance', metric: objectPerPod(20.166, 5), current: 4, expected: 4, within: true },
    // 20208/20000 = 1.0104 > 1.01 → ceil(20208/5000) = 5.
    { name: 'TestReplicaCalcObjectPerPodMetric: outside configurable 1% tolerance', metric: objectPerPod(20.208, 5), current: 4, tolerances: tol(HPA_DEFAULT_TOLERANCE, 0.01), expected: 5 },
    // 8600/4400 = 1.95 × 1 ready pod → 2 (6 if unready pods were counted).
    { name: 'TestReplicaCalcExternalMetric: scale down: ignores unready pods', metric: external(8.6, 4.4), current: 3, readyPods: 1, expected: 2 },
    { name: 'TestReplicaCalcExternalMetric: scale down', metric: external(8.6, 14.334), current: 5, expected: 3 },
    { name: 'TestReplicaCalcExternalMetric: within default tolerance', metric: external(8.6, 8.888), current: 3, expected: 3, within: true },
    { name: 'TestReplicaCalcExternalMetric: outside configurable 1% tolerance', metric: external(8.9, 8.8), current: 3, tolerances: tol(HPA_DEFAULT_TOLERANCE, 0.01), expected: 4 },
    { name: 'TestReplicaCalcExternalPerPodMetric: scale up', metric: externalPerPod(8.6, 2.15), current: 3, expected: 4 },
    // 8600/2867 = 2.9997 → 3.
    { name: 'TestReplicaCalcExternalPerPodMetric: scale down', metric: externalPerPod(8.6, 2.867), current: 5, expected: 3 },
    { name: 'TestReplicaCalcExternalPerPodMetric: within default tolerance', metric: externalPerPod(8.6, 2.9), current: 3, expected: 3, within: true },
    { name: 'TestReplicaCalcExternalPerPodMetric: outside configurable 1% tolerance', metric: externalPerPod(8.6, 2.8), current: 3, tolerances: tol(HPA_DEFAULT_TOLERANCE, 0.01), expected: 4 },
  ];
  it.each(cases)('$name → $expected', (c) => {
    const ctx = { currentReplicas: c.current, ...(c.readyPods !== undefined ? { readyPods: c.readyPods } : {}), ...(c.tolerances ? { tolerances: c.tolerances } : {}) };
    const r = computeReplicasForMetric(c.metric, ctx);
    if (!r.ok) throw new Error(r.message);
    expect(r.replicas).toBe(c.expected);
    expect(r.verdict).toBe(c.within ? 'WithinTolerance' : 'OutsideTolerance');
  });
});

describe('tolerance band: (1 − scaleDown) ≤ ratio ≤ (1 + scaleUp), both edges inside (Tolerances.isWithin)', () => {
  const cases: Array<{ name: string; value: number; target: number; t?: HpaTolerances; verdict: 'WithinTolerance' | 'OutsideTolerance'; expected: number }> = [
    // 110/100 = 1.1 and 1 + 0.1 = 1.1 in float64: the edge is inside.
    { name: 'ratio exactly 1.1 stays', value: 110, target: 100, verdict: 'WithinTolerance', expected: 10 },
    { name: 'ratio 1.11 scales up: ceil(11.1) = 12', value: 111, target: 100, verdict: 'OutsideTolerance', expected: 12 },
    // 90/100 = 0.9 and 1 − 0.1 = 0.9 in float64.
    { name: 'ratio exactly 0.9 stays', value: 90, target: 100, verdict: 'WithinTolerance', expected: 10 },
    { name: 'ratio 0.89 scales down: ceil(8.9) = 9', value: 89, target: 100, verdict: 'OutsideTolerance', expected: 9 },
    // Per direction (KEP-4951): tight up, loose down.
    { name: 'scale-up tolerance 0.05: ratio 1.06 scales up to ceil(10.6) = 11', value: 106, target: 100, t: tol(0.2, 0.05), verdict: 'OutsideTolerance', expected: 11 },
    { name: 'scale-down tolerance 0.2: ratio 0.85 stays', value: 85, target: 100, t: tol(0.2, 0.05), verdict: 'WithinTolerance', expected: 10 },
    { name: 'scale-down tolerance 0.2: ratio 0.79 scales down to ceil(7.9) = 8', value: 79, target: 100, t: tol(0.2, 0.05), verdict: 'OutsideTolerance', expected: 8 },
    { name: 'zero tolerance: ratio 1.01 scales up to ceil(10.1) = 11', value: 101, target: 100, t: tol(0, 0), verdict: 'OutsideTolerance', expected: 11 },
    // GetResourceUtilizationRatio truncates: 110.9% is 110%, inside the band.
    { name: 'utilization is truncated to an integer percentage (110.9 → 110)', value: 110.9, target: 100, verdict: 'WithinTolerance', expected: 10 },
  ];
  it.each(cases)('$name', ({ value, target, t, verdict, expected }) => {
    const r = computeReplicasForMetric({ target: { type: 'Utilization', averageUtilization: target }, value }, { currentReplicas: 10, ...(t ? { tolerances: t } : {}) });
    if (!r.ok) throw new Error(r.message);
    expect(r.verdict).toBe(verdict);
    expect(r.replicas).toBe(expected);
    expect(r.message).toMatch(verdict === 'WithinTolerance' ? /inside the tolerance band/ : /outside the tolerance band/);
  });
  it('isWithinTolerance is inclusive at both edges', () => {
    expect(isWithinTolerance(1.1, tol(0.1, 0.1))).toBe(true);
    expect(isWithinTolerance(0.9, tol(0.1, 0.1))).toBe(true);
    expect(isWithinTolerance(1.1000000000000003, tol(0.1, 0.1))).toBe(false);
  });
});

describe('behavior tolerances resolve from quantities, falling back to the controller flag (KEP-4951, AsApproximateFloat64)', () => {
  const cases: Array<{ name: string; b: HpaBehavior | undefined; expected: HpaTolerances }> = [
    { name: 'no behavior: 0.1 both ways', b: undefined, expected: tol(0.1, 0.1) },
    { name: 'string "0.05" up, unset down', b: { scaleUp: { tolerance: '0.05' } }, expected: tol(0.1, 0.05) },
    { name: 'milli "50m" down', b: { scaleDown: { tolerance: '50m' } }, expected: tol(0.05, 0.1) },
    // 0.3 parses as 3 × 10⁻¹ and AsApproximateFloat64 computes 3 × Pow10(−1) = 3 × 0.1, which is
    // 0.30000000000000004 in float64 — in Go as here.
    { name: 'numbers (0.3 reads as 3 × 0.1 = 0.30000000000000004, like Go)', b: { scaleUp: { tolerance: 0.02 }, scaleDown: { tolerance: 0.3 } }, expected: tol(3 * 0.1, 2 * 0.01) },
    { name: 'zero', b: { scaleUp: { tolerance: 0 } }, expected: tol(0.1, 0) },
  ];
  it.each(cases)('$name', ({ b, expected }) => {
    const r = resolveTolerances(b);
    expect(r).toEqual({ ok: true, tolerances: expected });
  });
  it('"100m" reads as exactly 0.1, so ratio 1.1 is still inside the band', () => {
    const r = resolveTolerances({ scaleUp: { tolerance: '100m' } });
    if (!r.ok) throw new Error(r.message);
    expect(isWithinTolerance(110 / 100, r.tolerances)).toBe(true);
  });
  it('a negative tolerance → InvalidTolerance', () => {
    expect(resolveTolerances({ scaleDown: { tolerance: -0.1 } })).toMatchObject({ ok: false, code: 'InvalidTolerance' });
  });
});

describe('several metrics: the largest proposal wins (computeReplicasForMetrics)', () => {
  const cpu = (value: number | null): HpaMetricInput => ({ name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 }, value });
  const qps = (value: number | null): HpaMetricInput => ({ name: 'qps', source: 'Pods', target: { type: 'AverageValue', averageValue: 100 }, value });
  const cases: Array<{ name: string; metrics: HpaMetricInput[]; ok: boolean; code: string; desired?: number; metric?: string }> = [
    // cpu 75/50 = 1.5 → 15; qps 200/100 = 2 → 20.
    { name: 'qps proposes 20, cpu 15: 20 from qps', metrics: [cpu(75), qps(200)], ok: true, code: 'ValidMetricFound', desired: 20, metric: 'qps' },
    // cpu 20/50 = 0.4 → 4; qps 50/100 = 0.5 → 5: the largest, even when both scale down.
    { name: 'both scale down: the larger (5) wins', metrics: [cpu(20), qps(50)], ok: true, code: 'ValidMetricFound', desired: 5, metric: 'qps' },
    // equal proposals: the first keeps it (replicaCountProposal > replicas is strict).
    { name: 'a tie keeps the first metric', metrics: [cpu(100), qps(200)], ok: true, code: 'ValidMetricFound', desired: 20, metric: 'cpu' },
    { name: 'one invalid metric does not block a scale-up', metrics: [cpu(null), qps(200)], ok: true, code: 'ValidMetricFound', desired: 20, metric: 'qps' },
    { name: 'one invalid metric blocks a scale-down', metrics: [cpu(null), qps(50)], ok: false, code: 'InvalidMetricsBlockScaleDown' },
    { name: 'all metrics invalid', metrics: [cpu(null), qps(null)], ok: false, code: 'NoValidMetrics' },
    { name: 'an unsupported source/target pair is an invalid metric', metrics: [{ source: 'Pods', target: { type: 'Utilization', averageUtilization: 50 }, value: 90 }], ok: false, code: 'NoValidMetrics' },
  ];
  it.each(cases)('$name → $code', (c) => {
    const r = computeDesiredReplicas({ currentReplicas: 10, metrics: c.metrics });
    expect(r.ok).toBe(c.ok);
    expect(r.code).toBe(c.code);
    if (r.ok) {
      expect(r.desiredReplicas).toBe(c.desired);
      expect(r.metric).toBe(c.metric);
    }
  });
});

describe('per-metric edge cases', () => {
  const cases: Array<{ name: string; metric: HpaMetricInput; current: number; ok: boolean; expected: number | string }> = [
    // getUsageRatioReplicaCount at 0 replicas: ceil(25/10) = 3 with no tolerance.
    { name: 'External Value from zero replicas: ceil(ratio), no tolerance', metric: { source: 'External', target: { type: 'Value', value: 10 }, value: 25 }, current: 0, ok: true, expected: 3 },
    { name: 'External Value from zero replicas, ratio 1.05 still scales to ceil(1.05) = 2', metric: { source: 'External', target: { type: 'Value', value: 20 }, value: 21 }, current: 0, ok: true, expected: 2 },
    { name: 'Pods metric at zero replicas has no pods', metric: { source: 'Pods', target: { type: 'AverageValue', averageValue: 10 }, value: 25 }, current: 0, ok: false, expected: 'NoPods' },
    { name: 'Pods metric with a Value target is unsupported', metric: { source: 'Pods', target: { type: 'Value', value: 10 }, value: 25 }, current: 2, ok: false, expected: 'UnsupportedTarget' },
    { name: 'a missing value is MetricUnavailable', metric: { target: { type: 'Value', value: 10 }, value: undefined }, current: 2, ok: false, expected: 'MetricUnavailable' },
    // Targets are read with MilliValue (rounded up): "0.0001" is 1m, and a 0.0001 value is 1m too: ratio 1.
    { name: 'sub-milli values are rounded up to 1m like Quantity.MilliValue', metric: { target: { type: 'Value', value: '0.0001' }, value: 0.0004 }, current: 4, ok: true, expected: 4 },
  ];
  it.each(cases)('$name', (c) => {
    const r = computeReplicasForMetric(c.metric, { currentReplicas: c.current });
    expect(r.ok).toBe(c.ok);
    if (r.ok) expect(r.replicas).toBe(c.expected);
    else expect(r.code).toBe(c.expected);
  });
  it('scale from zero reports ToleranceNotApplied', () => {
    const r = computeReplicasForMetric({ source: 'Object', target: { type: 'Value', value: 10 }, value: 10.5 }, { currentReplicas: 0 });
    expect(r.ok && r.verdict).toBe('ToleranceNotApplied');
  });
});

// ---------------------------------------------------------------------------------------------
// Quantities and schemas

describe('Kubernetes quantities (apimachinery ParseQuantity / AsApproximateFloat64 / MilliValue)', () => {
  const cases: Array<{ input: string | number; float?: number; milli?: number }> = [
    { input: '0.05', float: 0.05, milli: 50 },
    { input: '50m', float: 0.05, milli: 50 },
    { input: 0.1, float: 0.1, milli: 100 },
    { input: '1.5k', float: 1500, milli: 1_500_000 },
    { input: '1e-3', float: 0.001, milli: 1 },
    { input: '2Ki', float: 2048, milli: 2_048_000 },
    { input: '0.0001', milli: 1 },
    { input: '-0.0001', milli: -1 },
    { input: '.5', float: 0.5, milli: 500 },
  ];
  it.each(cases)('$input', ({ input, float, milli }) => {
    const q = parseQuantity(input);
    expect(q).toBeDefined();
    if (float !== undefined) expect(quantityToFloat64(q!)).toBe(float);
    if (milli !== undefined) expect(quantityMilliValue(q!)).toBe(milli);
  });
  it.each(['abc', '1e', '1ki', '5 m', '', '1.2.3'])('rejects %j', (input) => {
    expect(parseQuantity(input)).toBeUndefined();
  });
});

describe('HpaBehavior accepts the Kubernetes object verbatim and rejects what validation.go rejects', () => {
  it('accepts the documented example', () => {
    const b = {
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleUp: {
        stabilizationWindowSeconds: 0,
        policies: [
          { type: 'Percent', value: 100, periodSeconds: 15 },
          { type: 'Pods', value: 4, periodSeconds: 15 },
        ],
        selectPolicy: 'Max',
        tolerance: '0.05',
      },
    };
    expect(HpaBehavior.safeParse(b).success).toBe(true);
  });
  const bad: Array<{ name: string; b: unknown }> = [
    { name: 'unknown field', b: { scaleUp: { window: 3 } } },
    { name: 'window above 3600', b: { scaleDown: { stabilizationWindowSeconds: 3601 } } },
    { name: 'negative window', b: { scaleDown: { stabilizationWindowSeconds: -1 } } },
    { name: 'periodSeconds above 1800', b: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 1801 }] } } },
    { name: 'periodSeconds 0', b: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 0 }] } } },
    { name: 'value 0', b: { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 15 }] } } },
    { name: 'unknown policy type', b: { scaleUp: { policies: [{ type: 'Nodes', value: 1, periodSeconds: 15 }] } } },
    { name: 'empty policies', b: { scaleUp: { policies: [] } } },
    { name: 'unknown selectPolicy', b: { scaleUp: { selectPolicy: 'Avg' } } },
    { name: 'negative tolerance', b: { scaleUp: { tolerance: '-0.1' } } },
    { name: 'tolerance not a quantity', b: { scaleUp: { tolerance: 'ten percent' } } },
  ];
  it.each(bad)('rejects $name', ({ b }) => {
    expect(HpaBehavior.safeParse(b).success).toBe(false);
  });
  it('metric targets must be positive', () => {
    expect(HpaMetricTarget.safeParse({ type: 'Value', value: '0' }).success).toBe(false);
    expect(HpaMetricTarget.safeParse({ type: 'Utilization', averageUtilization: 0 }).success).toBe(false);
    expect(HpaMetricTarget.safeParse({ type: 'AverageValue', averageValue: '500m' }).success).toBe(true);
  });
});

describe('applyHpaBehaviorDefaults mirrors defaults.go (per field, only when behavior is set)', () => {
  it('no behavior stays undefined (the controller takes the no-behavior path)', () => {
    expect(applyHpaBehaviorDefaults(undefined)).toBeUndefined();
  });
  it('an empty behavior gets both default rule sets: up 0 s, Pods 4 / Percent 100 per 15 s, Max; down 300 s, Percent 100 per 15 s', () => {
    expect(applyHpaBehaviorDefaults({})).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
    expect(HPA_DEFAULT_SCALE_UP_RULES.stabilizationWindowSeconds).toBe(0);
    expect(HPA_DEFAULT_SCALE_DOWN_RULES.stabilizationWindowSeconds).toBe(300);
  });
  it('copies field by field: a lone selectPolicy keeps the default policies and window', () => {
    const d = applyHpaBehaviorDefaults({ scaleUp: { selectPolicy: 'Min', tolerance: '0.02' } })!;
    expect(d.scaleUp).toEqual({ stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }], tolerance: '0.02' });
  });
  it('an unset scale-down window takes the controller flag; a set one is kept', () => {
    expect(applyHpaBehaviorDefaults({}, { downscaleStabilizationWindowSeconds: 600 })!.scaleDown.stabilizationWindowSeconds).toBe(600);
    expect(applyHpaBehaviorDefaults({ scaleDown: { stabilizationWindowSeconds: 60 } }, { downscaleStabilizationWindowSeconds: 600 })!.scaleDown.stabilizationWindowSeconds).toBe(60);
  });
});

describe('HpaHistory schema', () => {
  it('defaults to empty lists', () => {
    expect(HpaHistory.parse({})).toEqual({ recommendations: [], scaleEvents: { up: [], down: [] } });
  });
  it.each([
    { name: 'timestamp without offset', h: { recommendations: [{ at: '2026-11-22T10:30:00', replicas: 1 }] } },
    { name: 'negative replicas', h: { recommendations: [{ at: '2026-11-22T10:30:00Z', replicas: -1 }] } },
    { name: 'unknown field', h: { scaleEvents: { up: [{ at: '2026-11-22T10:30:00Z', change: 1, sign: '+' }] } } },
  ])('rejects $name', ({ h }) => {
    expect(HpaHistory.safeParse(h).success).toBe(false);
  });
});
