// AWS's own worked examples and rules for step, simple and target tracking scaling, ported case by case; expected numbers come from the pages cited.
//
// Sources (each table names the passage it follows):
// - EC2 Auto Scaling User Guide, "Step and simple scaling policies" (as-scaling-simple-step): #as-scaling-steps,
//   #as-scaling-adjustment, #as-step-scaling-warmup, and the AWS CLI examples of #policy-creating-aws-cli.
// - EC2 Auto Scaling User Guide, "Example scaling policies for the AWS CLI" (examples-scaling-policies).
// - EC2 Auto Scaling User Guide, "Dynamic scaling" (as-scale-based-on-demand): #as-how-scaling-policies-work,
//   #multiple-scaling-policy-resolution.
// - EC2 Auto Scaling User Guide, "Target tracking scaling policies" (as-scaling-target-tracking), Considerations.
// - Application Auto Scaling User Guide, "How step scaling … works" (step-scaling-policy-overview) and
//   "How target tracking scaling … works" (target-tracking-scaling-policy-overview).
// - EC2 Auto Scaling API Reference: StepAdjustment, PutScalingPolicy (MinAdjustmentMagnitude,
//   MetricAggregationType); Application Auto Scaling API Reference: PutScalingPolicy, StepScalingPolicyConfiguration.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import {
  evaluateStepScaling,
  roundPercentAdjustment,
  stepContains,
  type BreachSide,
  type StepScalingCode,
  type StepScalingInput,
} from '../../src/engine/step-scaling.js';
import { combineTargetTracking, evaluateTargetTracking, type TargetTrackingCode, type TargetTrackingPolicyCode } from '../oracles/target-tracking.js';
import { StepScalingPolicy, validateStepAdjustments, type StepAdjustment, type StepIssueCode, type StepScalingPolicy as StepPolicy, type TargetTrackingPolicy } from '../../src/schemas/aws-policies.js';
import { compile, flat, ruleSet, T0 } from '../helpers.js';

// as-scaling-steps (and the same section of step-scaling-policy-overview): "a CloudWatch alarm and a
// scale-out policy for when the metric is above 50 percent … a second alarm and a scale-in policy for
// when the metric is below 50 percent … an adjustment type of PercentChangeInCapacity".
const out50: StepPolicy = {
  metric: 'cpu',
  threshold: 50,
  comparison: 'GreaterThanThreshold',
  adjustmentType: 'PercentChangeInCapacity',
  stepAdjustments: [
    { metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 0 },
    { metricIntervalLowerBound: 10, metricIntervalUpperBound: 20, scalingAdjustment: 10 },
    { metricIntervalLowerBound: 20, metricIntervalUpperBound: null, scalingAdjustment: 30 },
  ],
};
const in50: StepPolicy = {
  metric: 'cpu',
  threshold: 50,
  comparison: 'LessThanThreshold',
  adjustmentType: 'PercentChangeInCapacity',
  stepAdjustments: [
    { metricIntervalLowerBound: -10, metricIntervalUpperBound: 0, scalingAdjustment: 0 },
    { metricIntervalLowerBound: -20, metricIntervalUpperBound: -10, scalingAdjustment: -10 },
    { metricIntervalLowerBound: null, metricIntervalUpperBound: -20, scalingAdjustment: -30 },
  ],
};

// as-scaling-simple-step #policy-creating-aws-cli / examples-scaling-policies, Example 4
// ("my-step-scale-out-policy", alarm "GreaterThanOrEqualToThreshold" at 60): "Increase the instance
// count by 10 percent when the value of the metric is greater than or equal to 70 percent but less than
// 80 percent … by 20 percent … 80 … 90 … by 30 percent when … greater than or equal to 90 percent",
// --min-adjustment-magnitude 1.
const cliScaleOut: StepPolicy = {
  metric: 'cpu',
  statistic: 'Average',
  threshold: 60,
  comparison: 'GreaterThanOrEqualToThreshold',
  adjustmentType: 'PercentChangeInCapacity',
  minAdjustmentMagnitude: 1,
  stepAdjustments: [
    { metricIntervalLowerBound: 10, metricIntervalUpperBound: 20, scalingAdjustment: 10 },
    { metricIntervalLowerBound: 20, metricIntervalUpperBound: 30, scalingAdjustment: 20 },
    { metricIntervalLowerBound: 30, scalingAdjustment: 30 },
  ],
};
// Example 5 ("my-step-scale-in-policy": MetricIntervalUpperBound=0.0,ScalingAdjustment=-2) with the
// "RemoveCapacity" alarm: "--threshold 40 --comparison-operator LessThanOrEqualToThreshold".
const cliScaleIn: StepPolicy = {
  metric: 'cpu',
  statistic: 'Average',
  threshold: 40,
  comparison: 'LessThanOrEqualToThreshold',
  adjustmentType: 'ChangeInCapacity',
  stepAdjustments: [{ metricIntervalUpperBound: 0, scalingAdjustment: -2 }],
};
// Example 6, a simple scaling policy: "--scaling-adjustment 30 --adjustment-type PercentChangeInCapacity
// --min-adjustment-magnitude 2". One adjustment whatever the breach: one step from the threshold up.
const simpleScaleOut: StepPolicy = {
  metric: 'cpu',
  threshold: 60,
  comparison: 'GreaterThanOrEqualToThreshold',
  adjustmentType: 'PercentChangeInCapacity',
  minAdjustmentMagnitude: 2,
  stepAdjustments: [{ metricIntervalLowerBound: 0, scalingAdjustment: 30 }],
};

/** One step covering the whole breaching side of a threshold-50 alarm: a simple scaling policy. */
function oneStep(adjustmentType: StepPolicy['adjustmentType'], scalingAdjustment: number, minAdjustmentMagnitude?: number): StepPolicy {
  const down = scalingAdjustment < 0;
  return {
    metric: 'cpu',
    threshold: 50,
    comparison: down ? 'LessThanThreshold' : 'GreaterThanThreshold',
    adjustmentType,
    stepAdjustments: [down ? { metricIntervalUpperBound: 0, scalingAdjustment } : { metricIntervalLowerBound: 0, scalingAdjustment }],
    ...(minAdjustmentMagnitude !== undefined && { minAdjustmentMagnitude }),
  };
}
/** docs/aws-policies.md, "In a rule set": AWS target tracking's alarms and pace as a Kubernetes behavior. */
const AWS_TARGET_TRACKING_BEHAVIOR = {
  scaleUp: { tolerance: 0, stabilizationWindowSeconds: 0, policies: [{ type: 'Percent' as const, value: 100_000, periodSeconds: 15 }] },
  scaleDown: { tolerance: 0.1, stabilizationWindowSeconds: 0, policies: [{ type: 'Percent' as const, value: 100, periodSeconds: 15 }] },
};
/** AWS target tracking policies as a rule set's targetTracking rules, with AWS_TARGET_TRACKING_BEHAVIOR. */
function awsTargetTrackingSet(policies: TargetTrackingPolicy[], bounds: { minCapacity?: number; maxCapacity?: number } = {}) {
  return compile({
    id: 'aws-target-tracking',
    capacity: { minimum: bounds.minCapacity ?? 0, maximum: bounds.maxCapacity ?? 100, default: bounds.minCapacity ?? 0 },
    rules: [],
    targetTracking: policies.map((p) => ({
      id: p.metric,
      metric: p.metric,
      source: 'Pods' as const,
      target: { type: 'AverageValue' as const, averageValue: p.targetValue },
      disableScaleIn: p.disableScaleIn ?? false,
    })),
    behavior: AWS_TARGET_TRACKING_BEHAVIOR,
  });
}
/**
 * The same policies as `awsTargetTracking` (AWS's alarms, src/engine/policies/aws-target-tracking.ts),
 * and a metric held for the 15 one-minute periods AlarmLow reads (each value one instance's, every minute).
 */
function awsAlarmsSet(policies: TargetTrackingPolicy[], bounds: { minCapacity?: number; maxCapacity?: number } = {}) {
  return compile({
    id: 'aws-alarms',
    capacity: { minimum: bounds.minCapacity ?? 0, maximum: bounds.maxCapacity ?? 100, default: bounds.minCapacity ?? 0 },
    rules: [],
    awsTargetTracking: { policies: policies.map((p) => ({ id: p.metric, metric: p.metric, targetValue: p.targetValue, ...(p.disableScaleIn === true && { disableScaleIn: true }) })) },
  });
}
const held = (metric: number | number[]) =>
  Array.from({ length: 15 }, (_, k) => (typeof metric === 'number' ? [metric] : metric).map((v, i) => ({ t: T0 - (14 - k) * 60_000, v, instance: `i${i}` }))).flat();
/** A simple scale-in policy on its own metric: below `threshold`, change by `adjustment`. */
const policyIn = (metric: string, threshold: number, adjustment: number): StepPolicy => ({
  metric,
  threshold,
  comparison: 'LessThanThreshold',
  adjustmentType: 'ChangeInCapacity',
  stepAdjustments: [{ metricIntervalUpperBound: 0, scalingAdjustment: adjustment }],
});
/** A metric value that breaches the oneStep policy's alarm. */
const breaching = (p: StepPolicy): number => (p.comparison.startsWith('Greater') ? 80 : 20);

// ---------------------------------------------------------------------------------------------
// Step adjustments

// as-scaling-steps, the diagram: "-infinity 30% 40% 60% 70% infinity / -30% | -10% | Unchanged | +10% |
// +30%", and "If the metric value is above the breach threshold, the lower bound is inclusive and the
// upper bound is exclusive. If the metric value is below the breach threshold, the lower bound is
// exclusive and the upper bound is inclusive." Group of 10 ("both a current capacity and a desired
// capacity of 10"); the capacities are hand-computed percentages of 10.
describe('as-scaling-steps: every region of the scaling configuration, from a group of 10', () => {
  type Case = { metric: number; fires: 'out' | 'in' | null; step?: number; expected: number; code: StepScalingCode | 'AlarmNotBreached' };
  const cases: Case[] = [
    { metric: 5, fires: 'in', step: 2, expected: 7, code: 'ScaleIn' }, // −30 % of 10 = −3
    { metric: 30, fires: 'in', step: 2, expected: 7, code: 'ScaleIn' }, // breach −20: upper bound of (−∞, −20] inclusive below the threshold
    { metric: 30.5, fires: 'in', step: 1, expected: 9, code: 'ScaleIn' }, // −10 % of 10 = −1
    { metric: 40, fires: 'in', step: 1, expected: 9, code: 'ScaleIn' }, // breach −10 closes (−20, −10]
    { metric: 40.5, fires: 'in', step: 0, expected: 10, code: 'NoChange' }, // "maintained while … greater than 40 and less than 60"
    { metric: 49.9, fires: 'in', step: 0, expected: 10, code: 'NoChange' },
    { metric: 50, fires: null, expected: 10, code: 'AlarmNotBreached' }, // neither "above 50" nor "below 50"
    { metric: 50.1, fires: 'out', step: 0, expected: 10, code: 'NoChange' },
    { metric: 59.9, fires: 'out', step: 0, expected: 10, code: 'NoChange' },
    { metric: 60, fires: 'out', step: 1, expected: 11, code: 'ScaleOut' }, // breach 10 opens [10, 20) above the threshold: +10 % of 10
    { metric: 69.9, fires: 'out', step: 1, expected: 11, code: 'ScaleOut' },
    { metric: 70, fires: 'out', step: 2, expected: 13, code: 'ScaleOut' }, // +30 % of 10 = 3
    { metric: 100, fires: 'out', step: 2, expected: 13, code: 'ScaleOut' },
  ];
  it.each(cases)('metric $metric → $fires step $step → $expected ($code)', ({ metric, fires, step, expected, code }) => {
    const out = evaluateStepScaling(out50, { metric, currentCapacity: 10 });
    const inn = evaluateStepScaling(in50, { metric, currentCapacity: 10 });
    expect(out.fired).toBe(fires === 'out');
    expect(inn.fired).toBe(fires === 'in');
    const r = fires === 'in' ? inn : out;
    expect(r.step?.index).toBe(step);
    expect(r.newCapacity).toBe(expected);
    expect(r.code).toBe(code);
  });
});

// as-scaling-steps, the narrative (EC2: "desired capacity of the group increases by 1 instance, to 11
// … another 3 instances, to 14 … (add 30 percent of 11 instances, 3.3 instances, rounded down to 3
// instances) … decreases by 1 instance, to 13 … (remove 10 percent of 14 instances, 1.4 instances,
// rounded down to 1 instance) … another 3 instances, to 10 … (remove 30 percent of 13 instances, 3.9
// instances, rounded down to 3 instances)"; Application Auto Scaling step-scaling-policy-overview gives
// the same numbers for a scalable target). Each step starts from the capacity the previous one reached.
describe('as-scaling-steps: the 10 → 11 → 14 → 13 → 10 walk-through', () => {
  type Case = { name: string; policy: StepPolicy; metric: number; current: number; step: number; raw: number; rounded: number; expected: number };
  const cases: Case[] = [
    { name: 'metric gets to 60: add 10 percent of 10 instances → 11', policy: out50, metric: 60, current: 10, step: 1, raw: 1, rounded: 1, expected: 11 },
    { name: 'metric rises to 70: add 30 percent of 11, 3.3 rounded down to 3 → 14', policy: out50, metric: 70, current: 11, step: 2, raw: 3.3, rounded: 3, expected: 14 },
    { name: 'metric gets to 40: remove 10 percent of 14, 1.4 rounded down to 1 → 13', policy: in50, metric: 40, current: 14, step: 1, raw: -1.4, rounded: -1, expected: 13 },
    { name: 'metric falls to 30: remove 30 percent of 13, 3.9 rounded down to 3 → 10', policy: in50, metric: 30, current: 13, step: 2, raw: -3.9, rounded: -3, expected: 10 },
  ];
  it.each(cases)('$name', ({ policy, metric, current, step, raw, rounded, expected }) => {
    const r = evaluateStepScaling(policy, { metric, currentCapacity: current });
    expect(r.step?.index).toBe(step);
    expect(r.percent).toMatchObject({ raw, rounded, minAdjustmentMagnitudeApplied: false });
    expect(r.newCapacity).toBe(expected);
  });
});

// API Reference, StepAdjustment: "suppose that you have an alarm with a breach threshold of 50: To
// trigger the adjustment when the metric is greater than or equal to 50 and less than 60, specify a
// lower bound of 0 and an upper bound of 10. To trigger the adjustment when the metric is greater than 40
// and less than or equal to 50, specify a lower bound of -10 and an upper bound of 0."
// MetricIntervalLowerBound: "If the metric value is above the breach threshold, the lower bound is
// inclusive (the metric must be greater than or equal to the threshold plus the lower bound). Otherwise,
// it is exclusive (the metric must be greater than the threshold plus the lower bound). A null value
// indicates negative infinity." MetricIntervalUpperBound: "… above … exclusive (the metric must be less
// than the threshold plus the upper bound). Otherwise, it is inclusive (… less than or equal to …). A
// null value indicates positive infinity."
describe('API StepAdjustment: bounds relative to a threshold of 50, inclusive by side', () => {
  type Case = { name: string; step: StepAdjustment; metric: number; side: BreachSide; inside: boolean };
  const s0to10: StepAdjustment = { metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 1 };
  const sm10to0: StepAdjustment = { metricIntervalLowerBound: -10, metricIntervalUpperBound: 0, scalingAdjustment: -1 };
  const s10up: StepAdjustment = { metricIntervalLowerBound: 10, metricIntervalUpperBound: null, scalingAdjustment: 2 };
  const sdownm20: StepAdjustment = { metricIntervalLowerBound: null, metricIntervalUpperBound: -20, scalingAdjustment: -2 };
  const sm20tom10: StepAdjustment = { metricIntervalLowerBound: -20, metricIntervalUpperBound: -10, scalingAdjustment: -1 };
  const cases: Case[] = [
    { name: '[0, 10): metric 50 (≥ 50)', step: s0to10, metric: 50, side: 'above', inside: true },
    { name: '[0, 10): metric 59.99 (< 60)', step: s0to10, metric: 59.99, side: 'above', inside: true },
    { name: '[0, 10): metric 60 is not < 60', step: s0to10, metric: 60, side: 'above', inside: false },
    { name: '(−10, 0]: metric 50 (≤ 50)', step: sm10to0, metric: 50, side: 'below', inside: true },
    { name: '(−10, 0]: metric 40.01 (> 40)', step: sm10to0, metric: 40.01, side: 'below', inside: true },
    { name: '(−10, 0]: metric 40 is not > 40', step: sm10to0, metric: 40, side: 'below', inside: false },
    { name: 'lower bound 10 above the threshold: metric 60 ≥ 50 + 10', step: s10up, metric: 60, side: 'above', inside: true },
    { name: 'null upper bound is +∞: metric 1e9', step: s10up, metric: 1e9, side: 'above', inside: true },
    { name: 'lower bound −20 below the threshold: metric 30 is not > 50 − 20', step: sm20tom10, metric: 30, side: 'below', inside: false },
    { name: 'upper bound −10 below the threshold: metric 40 ≤ 50 − 10', step: sm20tom10, metric: 40, side: 'below', inside: true },
    { name: 'null lower bound is −∞: metric −1e9', step: sdownm20, metric: -1e9, side: 'below', inside: true },
    { name: 'upper bound −20 below the threshold: metric 30 ≤ 30', step: sdownm20, metric: 30, side: 'below', inside: true },
  ];
  it.each(cases)('$name → $inside', ({ step, metric, side, inside }) => {
    expect(stepContains(step, metric - 50, side)).toBe(inside);
  });
});

// ---------------------------------------------------------------------------------------------
// Adjustment types, rounding, MinAdjustmentMagnitude

// as-scaling-adjustment (EC2) and #as-scaling-adjustment of step-scaling-policy-overview (Application
// Auto Scaling): the examples of each type, the rounding Note, and MinAdjustmentMagnitude. For the Note's
// four values the current capacity is chosen so the percentage lands on them (10 % of 127 = 12.7, …).
describe('as-scaling-adjustment: ChangeInCapacity, ExactCapacity, PercentChangeInCapacity and their rounding', () => {
  type Case = { name: string; policy: StepPolicy; current: number; adjustment: number; expected: number };
  const cases: Case[] = [
    // "If the current capacity of the group is 3 and the adjustment is 5 … we add 5 capacity units … for a total of 8"
    { name: 'ChangeInCapacity: 3 and +5 → 8', policy: oneStep('ChangeInCapacity', 5), current: 3, adjustment: 5, expected: 8 },
    { name: 'ChangeInCapacity: a negative value decreases the capacity (3 and −2 → 1)', policy: oneStep('ChangeInCapacity', -2), current: 3, adjustment: -2, expected: 1 },
    // "If the current capacity of the group is 3 and the adjustment is 5 … we change the capacity to 5"
    { name: 'ExactCapacity: 3 and 5 → 5', policy: oneStep('ExactCapacity', 5), current: 3, adjustment: 2, expected: 5 },
    // "Specify a non-negative value with this adjustment type" (newer text): 0 is allowed.
    { name: 'ExactCapacity 0 is allowed: 3 → 0', policy: oneStep('ExactCapacity', 0), current: 3, adjustment: -3, expected: 0 },
    // "If the current capacity is 10 and the adjustment is 10 percent … we add 1 capacity unit … for a total of 11"
    { name: 'PercentChangeInCapacity: 10 and 10 percent → 11', policy: oneStep('PercentChangeInCapacity', 10), current: 10, adjustment: 1, expected: 11 },
    // Note: "Values greater than 1 are rounded down. For example, 12.7 is rounded to 12."
    { name: '+10 % of 127 = 12.7 → 12, so 139', policy: oneStep('PercentChangeInCapacity', 10), current: 127, adjustment: 12, expected: 139 },
    // "Values between 0 and 1 are rounded to 1. For example, .67 is rounded to 1."
    { name: '+67 % of 1 = 0.67 → 1, so 2', policy: oneStep('PercentChangeInCapacity', 67), current: 1, adjustment: 1, expected: 2 },
    // "Values between 0 and -1 are rounded to -1. For example, -.58 is rounded to -1."
    { name: '−58 % of 1 = −0.58 → −1, so 0', policy: oneStep('PercentChangeInCapacity', -58), current: 1, adjustment: -1, expected: 0 },
    // "Values less than -1 are rounded up. For example, -6.67 is rounded to -6."
    { name: '−23 % of 29 = −6.67 → −6, so 23', policy: oneStep('PercentChangeInCapacity', -23), current: 29, adjustment: -6, expected: 23 },
    // "a policy that adds 25 percent and you specify a minimum increment of 2 instances … 4 instances … 25
    // percent of 4 is 1 instance. However, because you specified a minimum increment of 2, there are 2
    // instances added." (PutScalingPolicy MinAdjustmentMagnitude and Application Auto Scaling: the same.)
    { name: 'MinAdjustmentMagnitude 2: +25 % of 4 is 1, 2 are added → 6', policy: oneStep('PercentChangeInCapacity', 25, 2), current: 4, adjustment: 2, expected: 6 },
    // PutScalingPolicy: "The minimum value to scale by" — a magnitude, so it holds for removals too.
    { name: 'MinAdjustmentMagnitude 2: −25 % of 4 is −1, 2 are removed → 2', policy: oneStep('PercentChangeInCapacity', -25, 2), current: 4, adjustment: -2, expected: 2 },
    { name: 'MinAdjustmentMagnitude is a floor, not a cap: +25 % of 40 = 10 → 50', policy: oneStep('PercentChangeInCapacity', 25, 2), current: 40, adjustment: 10, expected: 50 },
    // "With PercentChangeInCapacity, you can also specify …": it has no say over the other types.
    { name: 'MinAdjustmentMagnitude does not touch ChangeInCapacity: +1 stays +1', policy: oneStep('ChangeInCapacity', 1, 2), current: 4, adjustment: 1, expected: 5 },
  ];
  it.each(cases)('$name', ({ policy, current, adjustment, expected }) => {
    const r = evaluateStepScaling(policy, { metric: breaching(policy), currentCapacity: current });
    expect(r.fired).toBe(true);
    expect(r.adjustment).toBe(adjustment);
    expect(r.newCapacity).toBe(expected);
  });

  // The Note's four values, and the raw values of the as-scaling-steps walk-through, on the rounding alone.
  it.each([
    { raw: 12.7, expected: 12 },
    { raw: 0.67, expected: 1 },
    { raw: -0.58, expected: -1 },
    { raw: -6.67, expected: -6 },
    { raw: 3.3, expected: 3 },
    { raw: -1.4, expected: -1 },
    { raw: -3.9, expected: -3 },
    { raw: 1, expected: 1 },
  ])('rounding $raw → $expected', ({ raw, expected }) => {
    expect(roundPercentAdjustment(raw)).toBe(expected);
  });
});

// as-scaling-simple-step #policy-creating-aws-cli and examples-scaling-policies, Examples 4–6, with the
// group of "create-auto-scaling-group … --max-size 5 --min-size 1" where the bounds matter.
describe('the AWS CLI example policies', () => {
  type Case = { name: string; policy: StepPolicy; metric: number; input: Omit<StepScalingInput, 'metric'>; step?: number; expected: number; code: StepScalingCode };
  const cases: Case[] = [
    { name: 'Example 4, metric 70 (≥ 70, < 80): +10 % of 10 → 11', policy: cliScaleOut, metric: 70, input: { currentCapacity: 10 }, step: 0, expected: 11, code: 'ScaleOut' },
    { name: 'Example 4, metric 79.9: still +10 % → 11', policy: cliScaleOut, metric: 79.9, input: { currentCapacity: 10 }, step: 0, expected: 11, code: 'ScaleOut' },
    { name: 'Example 4, metric 80 (≥ 80, < 90): +20 % of 10 → 12', policy: cliScaleOut, metric: 80, input: { currentCapacity: 10 }, step: 1, expected: 12, code: 'ScaleOut' },
    { name: 'Example 4, metric 90 (≥ 90): +30 % of 10 → 13', policy: cliScaleOut, metric: 90, input: { currentCapacity: 10 }, step: 2, expected: 13, code: 'ScaleOut' },
    { name: 'Example 4, +10 % of 3 = 0.3 is rounded to 1 → 4', policy: cliScaleOut, metric: 75, input: { currentCapacity: 3 }, step: 0, expected: 4, code: 'ScaleOut' },
    // The alarm (≥ 60) fires at 65, but the steps start at 70: no step adjustment covers the breach.
    { name: 'Example 4, metric 65: the alarm fires, no step covers +5, nothing changes', policy: cliScaleOut, metric: 65, input: { currentCapacity: 10 }, expected: 10, code: 'NoStepMatched' },
    { name: 'Example 4 in a group of max 5: +30 % of 5 = 1.5 → 1 gives 6, kept at 5', policy: cliScaleOut, metric: 95, input: { currentCapacity: 5, minCapacity: 1, maxCapacity: 5 }, step: 2, expected: 5, code: 'ClampedToMax' },
    { name: 'Example 5, metric 40 (≤ 40): −2 from 5 → 3', policy: cliScaleIn, metric: 40, input: { currentCapacity: 5 }, step: 0, expected: 3, code: 'ScaleIn' },
    { name: 'Example 5, metric 10: the one step has no lower bound, −2 → 3', policy: cliScaleIn, metric: 10, input: { currentCapacity: 5 }, step: 0, expected: 3, code: 'ScaleIn' },
    { name: 'Example 5, metric 40.1 is not ≤ 40: no change', policy: cliScaleIn, metric: 40.1, input: { currentCapacity: 5 }, expected: 5, code: 'AlarmNotBreached' },
    { name: 'Example 5 in a group of min 1: −2 from 2 gives 0, kept at 1', policy: cliScaleIn, metric: 30, input: { currentCapacity: 2, minCapacity: 1, maxCapacity: 5 }, step: 0, expected: 1, code: 'ClampedToMin' },
    // Example 6: a simple policy adding 30 % with a minimum of 2.
    { name: 'Example 6, 4 instances: +30 % = 1.2 → 1, raised to 2 → 6', policy: simpleScaleOut, metric: 61, input: { currentCapacity: 4 }, step: 0, expected: 6, code: 'ScaleOut' },
    { name: 'Example 6, 10 instances: +30 % = 3 → 13', policy: simpleScaleOut, metric: 99, input: { currentCapacity: 10 }, step: 0, expected: 13, code: 'ScaleOut' },
  ];
  it.each(cases)('$name', ({ policy, metric, input, step, expected, code }) => {
    const r = evaluateStepScaling(policy, { metric, ...input });
    expect(r.step?.index).toBe(step);
    expect(r.newCapacity).toBe(expected);
    expect(r.code).toBe(code);
  });
});

// ---------------------------------------------------------------------------------------------
// Desired capacity already set: warm-up, cooldown, weighting, and the group's bounds

// as-step-scaling-warmup: "suppose that the metric gets to 60, so 1 instance is added (10 percent of 10
// instances). Then, the metric gets to 62 while the new instance is still warming up. The scaling policy
// calculates the new desired capacity based on the current capacity, which is still 10. However, the
// desired capacity of the group has already increased to 11 instances, so the scaling policy does not
// increase the desired capacity further. If the metric gets to 70 while the new instance is still warming
// up, we should add 3 instances (30 percent of 10 instances). However, the desired capacity of the group
// is already 11, so we add only 2 instances, for a new desired capacity of 13 instances."
// Newer text: "while an instance is already terminating, if an alarm is in breach in the range of the same
// step adjustment that decremented the desired capacity by 1, then no scaling action is taken", and
// "While the scale-out activity is in progress, all scale-in activities initiated by scaling policies are
// blocked until the instances finish warming up" (older: "A scale-in activity can't start while a
// scale-out activity is in progress").
// as-scaling-adjustment (weighting): "the desired capacity is 30 and the current capacity is 32 … if the
// scaling policy decrements the desired capacity by 1, then no scaling action is taken", because "If your
// absolute number to decrement … is less than the difference between current and desired capacity, no
// scaling action is taken."
// Application Auto Scaling #step-scaling-cooldown: "when the alarm triggers the policy to increase the
// capacity by 2 … If an alarm triggers again during the cooldown period but at a more aggressive step
// adjustment of 3, the previous increase of 2 is considered part of the current capacity. Therefore, only
// 1 is added"; "A scaling policy won't increase the desired capacity again unless either a larger scale out
// is triggered or the cooldown period ends."
describe('as-step-scaling-warmup and #step-scaling-cooldown: the desired capacity already set', () => {
  const changeBy = (n: number): StepPolicy => oneStep('ChangeInCapacity', n);
  type Case = { name: string; policy: StepPolicy; metric: number; current: number; desired: number; expected: number; code: StepScalingCode; says?: string };
  const blockedWhy = 'a scale-in can\'t start while a scale-out is in progress';
  const cases: Case[] = [
    { name: 'metric 60 with 10 in service: +1 → 11', policy: out50, metric: 60, current: 10, desired: 10, expected: 11, code: 'ScaleOut' },
    { name: 'metric 62 while the 11th warms up: +1 of 10 is 11, already desired → stays 11', policy: out50, metric: 62, current: 10, desired: 11, expected: 11, code: 'DesiredAlreadyCovers' },
    { name: 'metric 70 while the 11th warms up: +3 of 10 is 13, only 2 added → 13', policy: out50, metric: 70, current: 10, desired: 11, expected: 13, code: 'ScaleOut' },
    { name: 'an instance terminating (current 10, desired 9), same −1 step again → no scaling action', policy: in50, metric: 40, current: 10, desired: 9, expected: 9, code: 'DesiredAlreadyCovers' },
    { name: 'a scale-in while a scale-out warms up (current 10, desired 11) is blocked → stays 11', policy: in50, metric: 40, current: 10, desired: 11, expected: 11, code: 'DesiredAlreadyCovers', says: blockedWhy },
    { name: 'a ChangeInCapacity −2 while one instance warms up (current 4, desired 5) is blocked → stays 5', policy: cliScaleIn, metric: 30, current: 4, desired: 5, expected: 5, code: 'DesiredAlreadyCovers', says: blockedWhy },
    { name: 'the 0 % step during a warm-up leaves the desired 11 as it is', policy: out50, metric: 55, current: 10, desired: 11, expected: 11, code: 'NoChange' },
    { name: 'weighting: desired 30, current 32, decrement 1 → no scaling action', policy: changeBy(-1), metric: 20, current: 32, desired: 30, expected: 30, code: 'DesiredAlreadyCovers' },
    { name: 'weighting: decrement 2, not more than the difference of 2 → still 30', policy: changeBy(-2), metric: 20, current: 32, desired: 30, expected: 30, code: 'DesiredAlreadyCovers' },
    { name: 'weighting: decrement 3 from the current 32 → 29', policy: changeBy(-3), metric: 20, current: 32, desired: 30, expected: 29, code: 'ScaleIn' },
    { name: 'cooldown: +2 done (10 → 12), the alarm again at a step of +3: only 1 added → 13', policy: changeBy(3), metric: 80, current: 10, desired: 12, expected: 13, code: 'ScaleOut' },
    { name: 'cooldown: +2 done (10 → 12), the same +2 step again: no larger scale-out → stays 12', policy: changeBy(2), metric: 80, current: 10, desired: 12, expected: 12, code: 'DesiredAlreadyCovers' },
  ];
  it.each(cases)('$name', ({ policy, metric, current, desired, expected, code, says }) => {
    const r = evaluateStepScaling(policy, { metric, currentCapacity: current, desiredCapacity: desired });
    expect(r.newCapacity).toBe(expected);
    expect(r.code).toBe(code);
    if (says) expect(r.message).toContain(says);
  });
});

// as-scale-based-on-demand #as-how-scaling-policies-work: "Amazon EC2 Auto Scaling ensures that the new
// capacity never goes outside of the minimum and maximum size limits. Example 1: … a maximum capacity of
// 3, a current capacity of 2, and a dynamic scaling policy that adds 3 instances … adds only 1 instance …
// Example 2: … a minimum capacity of 2, a current capacity of 3, and a dynamic scaling policy that removes 2
// instances … removes only 1 instance". Application Auto Scaling: "A scaling adjustment can't change the
// capacity of the scalable target above the maximum capacity or below the minimum capacity."
describe('as-scale-based-on-demand: the group\'s minimum and maximum size', () => {
  type Case = { name: string; policy: StepPolicy; input: Omit<StepScalingInput, 'metric'>; expected: number; code: StepScalingCode };
  const cases: Case[] = [
    { name: 'Example 1: max 3, current 2, adds 3 → adds only 1', policy: oneStep('ChangeInCapacity', 3), input: { currentCapacity: 2, maxCapacity: 3 }, expected: 3, code: 'ClampedToMax' },
    { name: 'Example 2: min 2, current 3, removes 2 → removes only 1', policy: oneStep('ChangeInCapacity', -2), input: { currentCapacity: 3, minCapacity: 2 }, expected: 2, code: 'ClampedToMin' },
    { name: 'at the maximum, scaling out stops: max 3, current 3, adds 3 → 3', policy: oneStep('ChangeInCapacity', 3), input: { currentCapacity: 3, maxCapacity: 3 }, expected: 3, code: 'ClampedToMax' },
    { name: 'ExactCapacity above the maximum: 20 with max 12 → 12', policy: oneStep('ExactCapacity', 20), input: { currentCapacity: 10, maxCapacity: 12 }, expected: 12, code: 'ClampedToMax' },
    { name: 'a percentage inside the bounds is untouched: +30 % of 10 with max 13 → 13', policy: oneStep('PercentChangeInCapacity', 30), input: { currentCapacity: 10, maxCapacity: 13 }, expected: 13, code: 'ScaleOut' },
  ];
  it.each(cases)('$name', ({ policy, input, expected, code }) => {
    const r = evaluateStepScaling(policy, { metric: breaching(policy), ...input });
    expect(r.newCapacity).toBe(expected);
    expect(r.code).toBe(code);
  });
});

// ---------------------------------------------------------------------------------------------
// Alarm data

// PutScalingPolicy MetricAggregationType: "The valid values are Minimum, Maximum, and Average. If the
// aggregation type is null, the value is treated as Average." as-scale-based-on-demand: "one instance is
// at 60 percent CPU and the other is at 40 percent CPU. On average, they are at 50 percent CPU."
describe('PutScalingPolicy MetricAggregationType: the points are aggregated before the bounds are compared', () => {
  it.each([
    { statistic: undefined, points: [60, 40], value: 50, fired: false, expected: 10 },
    { statistic: 'Average', points: [60, 40], value: 50, fired: false, expected: 10 },
    { statistic: 'Maximum', points: [60, 40], value: 60, fired: true, expected: 11 },
    { statistic: 'Minimum', points: [60, 75], value: 60, fired: true, expected: 11 },
    { statistic: 'Average', points: [60, 80], value: 70, fired: true, expected: 13 },
  ] as const)('$statistic of $points is $value → $expected', ({ statistic, points, value, fired, expected }) => {
    const policy: StepPolicy = { ...out50, ...(statistic && { statistic }) };
    const r = evaluateStepScaling(policy, { metric: points, currentCapacity: 10 });
    expect(r.value).toBe(value);
    expect(r.fired).toBe(fired);
    expect(r.newCapacity).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Validation

// as-scaling-steps ("note the following") and API StepAdjustment ("There are a few rules for the step
// adjustments for your step policy"), ScalingAdjustment ("For exact capacity, you must specify a
// non-negative value"), MetricIntervalUpperBound ("The upper bound must be greater than the lower bound"),
// and the quota "Step adjustments per step scaling policy: 20".
describe('step adjustment rules from as-scaling-steps and API StepAdjustment', () => {
  const step = (lower: number | null, upper: number | null, scalingAdjustment = 1): StepAdjustment => ({ metricIntervalLowerBound: lower, metricIntervalUpperBound: upper, scalingAdjustment });
  type Case = { name: string; steps: StepAdjustment[]; type?: StepPolicy['adjustmentType']; code: StepIssueCode };
  const cases: Case[] = [
    { name: 'the ranges can\'t overlap', steps: [step(0, 10), step(5, null)], code: 'StepsOverlap' },
    { name: 'the ranges can\'t have a gap', steps: [step(0, 10), step(20, null)], code: 'StepsGap' },
    { name: 'only one step adjustment can have a null lower bound', steps: [step(null, -10), step(null, 0)], code: 'MultipleUnboundedLower' },
    { name: 'a negative lower bound needs a step with a null lower bound', steps: [step(-10, 0, -1)], code: 'MissingUnboundedLower' },
    { name: 'only one step adjustment can have a null upper bound', steps: [step(0, null), step(10, null)], code: 'MultipleUnboundedUpper' },
    { name: 'a positive upper bound needs a step with a null upper bound', steps: [step(0, 10)], code: 'MissingUnboundedUpper' },
    { name: 'the upper and lower bound can\'t be null in the same step adjustment', steps: [step(null, null)], code: 'BothBoundsNull' },
    { name: 'the upper bound must be greater than the lower bound', steps: [step(10, 10), step(10, null)], code: 'UpperNotAboveLower' },
    { name: 'for exact capacity, a non-negative value', steps: [step(0, null, -1)], type: 'ExactCapacity', code: 'NegativeExactCapacity' },
    { name: 'at most 20 step adjustments', steps: [...Array.from({ length: 20 }, (_, i) => step(i, i + 1)), step(20, null)], code: 'TooManyStepAdjustments' },
  ];
  it.each(cases)('$name → $code', ({ steps, type, code }) => {
    expect(validateStepAdjustments(steps, type ?? 'ChangeInCapacity').map((i) => i.code)).toContain(code);
  });

  it.each([
    { name: 'the as-scaling-steps scale-out policy', policy: out50 },
    { name: 'the as-scaling-steps scale-in policy', policy: in50 },
    { name: 'CLI Example 4, whose steps start 10 above the threshold', policy: cliScaleOut },
    { name: 'CLI Example 5, one step with only an upper bound of 0', policy: cliScaleIn },
    { name: 'CLI Example 6, a simple policy as one step from the threshold up', policy: simpleScaleOut },
    { name: 'ExactCapacity 0 (non-negative)', policy: oneStep('ExactCapacity', 0) },
    { name: '20 step adjustments, the quota', policy: { ...cliScaleOut, stepAdjustments: [...Array.from({ length: 19 }, (_, i) => step(i, i + 1)), step(19, null)] } },
  ])('$name is accepted', ({ policy }) => {
    expect(validateStepAdjustments(policy.stepAdjustments, policy.adjustmentType)).toEqual([]);
    expect(StepScalingPolicy.safeParse(policy).success).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Several policies at once

// as-scale-based-on-demand #multiple-scaling-policy-resolution: "the policy for CPUUtilization launches
// one instance, while the policy for the SQS queue launches two instances … This results in the Auto
// Scaling group launching two instances" (a single EC2 instance); "if one policy terminates three
// instances, another policy decreases the number of instances by 25 percent, and the group has eight
// instances … terminating two instances (25 percent of 8 = 2)". Application Auto Scaling PutScalingPolicy:
// "if one policy increases capacity by 3, another policy increases capacity by 200 percent, and the current
// capacity is 10, Application Auto Scaling uses the policy with the highest calculated capacity (200% of
// 10 = 20) and scales out to 30." Here both policies of each pair are step policies on their own metric.
describe('multiple dynamic scaling policies through decide(): the largest capacity wins', () => {
  const policyOn = (metric: string, threshold: number, adjustmentType: StepPolicy['adjustmentType'], scalingAdjustment: number): StepPolicy => ({
    ...oneStep(adjustmentType, scalingAdjustment),
    metric,
    threshold,
  });
  type Case = { name: string; a: StepPolicy; b: StepPolicy; metrics: Record<string, number>; capacity: number; to: number; winner: 'a' | 'b' };
  const cases: Case[] = [
    { name: 'CPU launches 1, SQS launches 2, one instance: launches two → 3', a: policyOn('cpu', 90, 'ChangeInCapacity', 1), b: policyOn('sqs', 100, 'ChangeInCapacity', 2), metrics: { cpu: 95, sqs: 500 }, capacity: 1, to: 3, winner: 'b' },
    { name: 'terminate 3 or −25 % of 8: the larger 6 (terminates two)', a: policyOn('cpu', 20, 'ChangeInCapacity', -3), b: policyOn('sqs', 5, 'PercentChangeInCapacity', -25), metrics: { cpu: 10, sqs: 1 }, capacity: 8, to: 6, winner: 'b' },
    { name: '+3 or +200 % of 10: 30', a: policyOn('cpu', 90, 'ChangeInCapacity', 3), b: policyOn('sqs', 100, 'PercentChangeInCapacity', 200), metrics: { cpu: 95, sqs: 500 }, capacity: 10, to: 30, winner: 'b' },
  ];
  it.each(cases)('$name', async ({ a, b, metrics, capacity, to, winner }) => {
    const set = compile(
      ruleSet([], {
        capacity: { minimum: 1, maximum: 100, default: 1 },
        stepScaling: [
          { id: 'a', window: 'PT1M', policy: a },
          { id: 'b', window: 'PT1M', policy: b },
        ],
      }),
    );
    const series = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, flat(v)]));
    const d = await decide(set, { id: 't1', capacity, metrics: series }, T0);
    expect(d.to).toBe(to);
    expect(d.trace.policies?.decidedBy).toBe(`stepScaling:${winner}`);
  });
});

// Where AWS leaves conflicts open, edgescale holds (docs/aws-policies.md, "Where AWS is silent"). PutScalingPolicy
// (Application Auto Scaling): "if the step scaling policy initiates a scale-in activity before the target
// tracking policy is ready to scale in, the scale-in activity will not be blocked. After the scale-in activity
// completes, the target tracking policy could instruct the scalable target to scale out again" — the flap
// edgescale avoids by letting a policy that has an opinion keep the current capacity.
describe('conflicting policies: a policy that holds keeps the capacity against another policy\'s scale-in', () => {
  const sqsIn = policyIn('sqs', 5, -1);
  type Case = { name: string; ruleSetExtra: Record<string, unknown>; metrics: Record<string, number>; to: number; decidedBy: string };
  const cases: Case[] = [
    {
      name: 'a breached alarm on its 0 % "Unchanged" step holds a scale-in by another step policy',
      ruleSetExtra: { stepScaling: [{ id: 'cpu-out', window: 'PT1M', policy: out50 }, { id: 'sqs-in', window: 'PT1M', policy: sqsIn }] },
      metrics: { cpu: 55, sqs: 1 },
      to: 10,
      decidedBy: 'stepScaling:cpu-out',
    },
    {
      name: 'the same scale-in goes ahead once the cpu alarm is no longer in breach',
      ruleSetExtra: { stepScaling: [{ id: 'cpu-out', window: 'PT1M', policy: out50 }, { id: 'sqs-in', window: 'PT1M', policy: sqsIn }] },
      metrics: { cpu: 45, sqs: 1 },
      to: 9,
      decidedBy: 'stepScaling:sqs-in',
    },
    {
      name: 'target tracking within its tolerance holds a step scale-in',
      ruleSetExtra: { targetTracking: [{ id: 'rps', metric: 'rps', target: { type: 'AverageValue', averageValue: 100 }, window: 'PT1M' }], stepScaling: [{ id: 'sqs-in', window: 'PT1M', policy: sqsIn }] },
      metrics: { rps: 100, sqs: 1 },
      to: 10,
      decidedBy: 'targetTracking:rps',
    },
  ];
  it.each(cases)('$name', async ({ ruleSetExtra, metrics, to, decidedBy }) => {
    const set = compile(ruleSet([], { capacity: { minimum: 1, maximum: 100, default: 1 }, ...ruleSetExtra }));
    const series = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, flat(v)]));
    const d = await decide(set, { id: 't1', capacity: 10, metrics: series }, T0);
    expect(d.to).toBe(to);
    expect(d.trace.policies?.decidedBy).toBe(decidedBy);
  });
});

// ---------------------------------------------------------------------------------------------
// Target tracking

// as-scaling-target-tracking, Considerations: "We might determine that adding 1.5 instances will decrease
// the CPU utilization to close to 50 percent … we round up and add two instances … if we determine that
// removing 1.5 instances increases your CPU utilization to above 50 percent, we remove just one instance."
// Application Auto Scaling target-tracking-scaling-policy-overview: "if we determine that removing 0.5
// instances increases your CPU utilization to above 50 percent, we will choose not to scale-in"; "the policy
// won't scale-in if it calculates that removing a minimum unit of capacity would likely bring the metric
// back above the target value"; "it responds by adding capacity proportional to the metric value as fast as
// it can". examples-scaling-policies Example 1 (TargetValue 40, ASGAverageCPUUtilization) and Example 3
// (TargetValue 1000, ALBRequestCountPerTarget, "DisableScaleIn": true). "does not scale in … when the
// specified metric has insufficient data". Capacities are current × metric ÷ target, hand-rounded by the
// passage's rule.
describe('target tracking: proportional, additions rounded up, removals rounded down', () => {
  const cpu50: TargetTrackingPolicy = { metric: 'cpu', targetValue: 50 };
  const cpu40: TargetTrackingPolicy = { metric: 'cpu', targetValue: 40 };
  const alb1000In: TargetTrackingPolicy = { metric: 'alb', targetValue: 1000, disableScaleIn: true };
  type Case = { name: string; policy: TargetTrackingPolicy; metric: number | number[] | undefined; current: number; desired: number; code: TargetTrackingPolicyCode };
  const cases: Case[] = [
    { name: 'add 1.5 → add 2 (3 at 75 % of 50: 4.5 needed → 5)', policy: cpu50, metric: 75, current: 3, desired: 5, code: 'ScaleOut' },
    { name: 'remove 1.5 → remove 1 (5 at 35 % of 50: 3.5 needed → 4)', policy: cpu50, metric: 35, current: 5, desired: 4, code: 'ScaleIn' },
    { name: 'remove 0.5 → no scale-in (10 at 47.5 %: 9.5 needed → stays 10)', policy: cpu50, metric: 47.5, current: 10, desired: 10, code: 'AtTarget' },
    { name: 'removing one of 4 at 40 % would make it 53.3 % > 50: no scale-in', policy: cpu50, metric: 40, current: 4, desired: 4, code: 'AtTarget' },
    { name: 'Example 1: 10 at 60 % of 40 → 15', policy: cpu40, metric: 60, current: 10, desired: 15, code: 'ScaleOut' },
    { name: 'Example 1: twice the target doubles the group: 10 at 80 % → 20', policy: cpu40, metric: 80, current: 10, desired: 20, code: 'ScaleOut' },
    { name: 'Example 1: 10 at 30 % of 40 needs 7.5 → remove 2 (rounded down) → 8', policy: cpu40, metric: 30, current: 10, desired: 8, code: 'ScaleIn' },
    { name: 'Example 1: the average of 60 % and 40 % is 50 % of 40: 2 → 2.5 → 3', policy: cpu40, metric: [60, 40], current: 2, desired: 3, code: 'ScaleOut' },
    { name: 'Example 3: scale-in disabled, 10 at 500 of 1000 stays 10', policy: alb1000In, metric: 500, current: 10, desired: 10, code: 'ScaleInDisabled' },
    { name: 'Example 3: scale-in disabled still scales out, 10 at 1500 → 15', policy: alb1000In, metric: 1500, current: 10, desired: 15, code: 'ScaleOut' },
    { name: 'insufficient data: no scale-in', policy: cpu50, metric: undefined, current: 10, desired: 10, code: 'InsufficientData' },
  ];
  it.each(cases)('$name', ({ policy, metric, current, desired, code }) => {
    const r = evaluateTargetTracking(policy, metric, current);
    expect(r.desired).toBe(desired);
    expect(r.code).toBe(code);
  });
  it.each(cases)('as a rule set through decide(): $name', async ({ policy, metric, current, desired }) => {
    const series = metric === undefined ? {} : { [policy.metric]: typeof metric === 'number' ? metric : metric.map((v) => ({ t: T0, v })) };
    const d = await decide(awsTargetTrackingSet([policy]), { id: 't1', capacity: current, metrics: series }, T0);
    expect(d.to).toBe(desired);
  });
  it.each(cases)('as awsTargetTracking through decide(), the metric held 15 minutes: $name', async ({ policy, metric, current, desired }) => {
    const series = metric === undefined ? {} : { [policy.metric]: held(metric) };
    const d = await decide(awsAlarmsSet([policy]), { id: 't1', capacity: current, metrics: series }, T0);
    expect(d.to).toBe(desired);
  });

  // target-tracking-scaling-policy-overview: "it slows down scaling by removing capacity only when
  // utilization passes a threshold that is far enough below the target value (usually more than 10%
  // lower)" — the scale-in alarm at 90 % of the target.
  const thresholdCases: Array<{ name: string; metric: number; current: number; desired: number; code: TargetTrackingPolicyCode }> = [
    { name: '10 at 46 % of 50: 9.2 needed rounds up to 10, stays 10', metric: 46, current: 10, desired: 10, code: 'AtTarget' },
    { name: '10 at 45 % of 50: at the threshold, not below it, stays 10', metric: 45, current: 10, desired: 10, code: 'AboveScaleInThreshold' },
    { name: '20 at 46 % of 50: 18.4 needed, but 46 is not below 45, stays 20', metric: 46, current: 20, desired: 20, code: 'AboveScaleInThreshold' },
    { name: '10 at 44 % of 50: below 45, 8.8 needed → 9', metric: 44, current: 10, desired: 9, code: 'ScaleIn' },
  ];
  it.each(thresholdCases)('scale-in waits for the 90 % threshold: $name', ({ metric, current, desired, code }) => {
    const r = evaluateTargetTracking(cpu50, metric, current);
    expect(r.desired).toBe(desired);
    expect(r.code).toBe(code);
  });
  it.each(thresholdCases)('as a rule set through decide(), scale-in waits for the 90 % threshold: $name', async ({ metric, current, desired }) => {
    const d = await decide(awsTargetTrackingSet([cpu50]), { id: 't1', capacity: current, metrics: { cpu: metric } }, T0);
    expect(d.to).toBe(desired);
  });
  it.each(thresholdCases)('as awsTargetTracking through decide(), AlarmLow at 90 % of the target: $name', async ({ metric, current, desired }) => {
    const d = await decide(awsAlarmsSet([cpu50]), { id: 't1', capacity: current, metrics: { cpu: held(metric) } }, T0);
    expect(d.to).toBe(desired);
  });
});

// as-scaling-target-tracking, Considerations: "It will scale out the Auto Scaling group if any of the
// target tracking policies are ready for scale out, but will scale in only if all of the target tracking
// policies (with the scale-in portion enabled) are ready to scale in"; as-scale-based-on-demand: "chooses
// the policy that provides the largest capacity for both scale out and scale in"; "Amazon EC2 Auto Scaling
// does not scale your group below the minimum capacity or above the maximum capacity".
describe('several target tracking policies: out if any, in only if all with scale-in enabled', () => {
  const cpu: TargetTrackingPolicy = { metric: 'cpu', targetValue: 40 };
  const alb: TargetTrackingPolicy = { metric: 'alb', targetValue: 1000 };
  type Case = { name: string; policies: TargetTrackingPolicy[]; metrics: Record<string, number>; bounds?: { minCapacity?: number; maxCapacity?: number }; expected: number; code: TargetTrackingCode };
  // Group of 10: cpu 60 → 15, cpu 30 → 8, alb 1200 → 12, alb 800 → 8, alb 850 → 9 (below the scale-in alarm at 900), alb 1000 → 10.
  const cases: Case[] = [
    { name: 'cpu wants 15, alb wants 8: any ready for scale-out wins → 15', policies: [cpu, alb], metrics: { cpu: 60, alb: 800 }, expected: 15, code: 'ScaleOut' },
    { name: 'both out (15, 12): the largest → 15', policies: [cpu, alb], metrics: { cpu: 60, alb: 1200 }, expected: 15, code: 'ScaleOut' },
    { name: 'both in (8, 9): all ready, the largest capacity → 9', policies: [cpu, alb], metrics: { cpu: 30, alb: 850 }, expected: 9, code: 'ScaleIn' },
    { name: 'cpu in, alb at its target: not all ready → 10', policies: [cpu, alb], metrics: { cpu: 30, alb: 1000 }, expected: 10, code: 'ScaleInNotUnanimous' },
    { name: 'alb with scale-in disabled has no say: cpu scales in → 8', policies: [cpu, { ...alb, disableScaleIn: true }], metrics: { cpu: 30, alb: 1000 }, expected: 8, code: 'ScaleIn' },
    { name: 'scale-out kept at the maximum 12', policies: [cpu, alb], metrics: { cpu: 60, alb: 1200 }, bounds: { maxCapacity: 12 }, expected: 12, code: 'ClampedToMax' },
    { name: 'scale-in kept at the minimum 9', policies: [cpu], metrics: { cpu: 30 }, bounds: { minCapacity: 9 }, expected: 9, code: 'ClampedToMin' },
  ];
  it.each(cases)('$name', ({ policies, metrics, bounds, expected, code }) => {
    const d = combineTargetTracking(policies, metrics, 10, bounds);
    expect(d.newCapacity).toBe(expected);
    expect(d.code).toBe(code);
  });
  // docs/aws-policies.md, "In a rule set": the same policies as targetTracking rules with AWS's alarms as
  // per-direction tolerances (out above the target, in below 90 % of it) and no Kubernetes stabilization
  // or rate limit that AWS does not have, decided by decide() as a request would be.
  it.each(cases)('as a rule set through decide(): $name', async ({ policies, metrics, bounds, expected }) => {
    const d = await decide(awsTargetTrackingSet(policies, bounds), { id: 't1', capacity: 10, metrics }, T0);
    expect(d.to).toBe(expected);
  });
  it.each(cases)('as awsTargetTracking through decide(), the metrics held 15 minutes: $name', async ({ policies, metrics, bounds, expected }) => {
    const series = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, held(v)]));
    const d = await decide(awsAlarmsSet(policies, bounds), { id: 't1', capacity: 10, metrics: series }, T0);
    expect(d.to).toBe(expected);
  });
});
