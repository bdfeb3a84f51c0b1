// AWS EC2 Auto Scaling step scaling and target tracking, each case citing the AWS passage whose numbers it reproduces.
import { describe, expect, it } from 'vitest';
import {
  evaluateStepScaling,
  matchStepAdjustment,
  roundPercentAdjustment,
  type StepScalingCode,
  type StepScalingInput,
} from '../../src/engine/step-scaling.js';
import { combineTargetTracking, evaluateTargetTracking, type TargetTrackingCode, type TargetTrackingPolicyCode } from '../oracles/target-tracking.js';
import { StepScalingPolicy, TargetTrackingPolicies, validateStepAdjustments, type StepAdjustment, type StepIssueCode, type StepScalingPolicy as StepPolicy, type TargetTrackingPolicy } from '../../src/schemas/aws-policies.js';

// User Guide, as-scaling-simple-step#as-scaling-steps: "a CloudWatch alarm with a breach threshold of
// 50 percent … step adjustments with an adjustment type of PercentChangeInCapacity".
// "Example: Step adjustments for scale-out policy": 0–10 → 0, 10–20 → 10, 20–null → 30.
const docScaleOut: StepPolicy = {
  metric: 'cpu',
  threshold: 50,
  comparison: 'GreaterThanOrEqualToThreshold',
  adjustmentType: 'PercentChangeInCapacity',
  stepAdjustments: [
    { metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 0 },
    { metricIntervalLowerBound: 10, metricIntervalUpperBound: 20, scalingAdjustment: 10 },
    { metricIntervalLowerBound: 20, metricIntervalUpperBound: null, scalingAdjustment: 30 },
  ],
};
// "Example: Step adjustments for scale-in policy": −10–0 → 0, −20–−10 → −10, null–−20 → −30.
const docScaleIn: StepPolicy = {
  metric: 'cpu',
  threshold: 50,
  comparison: 'LessThanOrEqualToThreshold',
  adjustmentType: 'PercentChangeInCapacity',
  stepAdjustments: [
    { metricIntervalLowerBound: -10, metricIntervalUpperBound: 0, scalingAdjustment: 0 },
    { metricIntervalLowerBound: -20, metricIntervalUpperBound: -10, scalingAdjustment: -10 },
    { metricIntervalLowerBound: null, metricIntervalUpperBound: -20, scalingAdjustment: -30 },
  ],
};

describe('step scaling reproduces the as-scaling-steps worked example (threshold 50, PercentChangeInCapacity)', () => {
  type Case = { name: string; policy: StepPolicy; value: number; current: number; step: number; expected: number; code: StepScalingCode };
  const cases: Case[] = [
    // "If the metric value gets to 60, the desired capacity … increases by 1 instance, to 11 … (add 10 percent of 10 instances)."
    { name: 'metric reaches 60 with 10 instances: +10 % of 10 = 1 → 11', policy: docScaleOut, value: 60, current: 10, step: 1, expected: 11, code: 'ScaleOut' },
    // "If the metric value rises to 70 … increases by another 3 instances, to 14 … (add 30 percent of 11 instances, 3.3 instances, rounded down to 3 instances)."
    { name: 'metric rises to 70 with 11 instances: +30 % of 11 = 3.3, rounded down to 3 → 14', policy: docScaleOut, value: 70, current: 11, step: 2, expected: 14, code: 'ScaleOut' },
    // "If the metric value gets to 40, the desired capacity … decreases by 1 instance, to 13 … (remove 10 percent of 14 instances, 1.4 instances, rounded down to 1 instance)."
    { name: 'metric gets to 40 with 14 instances: −10 % of 14 = 1.4, rounded down to 1 → 13', policy: docScaleIn, value: 40, current: 14, step: 1, expected: 13, code: 'ScaleIn' },
    // "If the metric value falls to 30 … decreases by another 3 instances, to 10 … (remove 30 percent of 13 instances, 3.9 instances, rounded down to 3 instances)."
    { name: 'metric falls to 30 with 13 instances: −30 % of 13 = 3.9, rounded down to 3 → 10', policy: docScaleIn, value: 30, current: 13, step: 2, expected: 10, code: 'ScaleIn' },
    // "The desired and current capacity is maintained while the aggregated metric value is greater than 40 and less than 60."
    { name: 'metric 55 hits the scale-out 0 % step: capacity maintained', policy: docScaleOut, value: 55, current: 10, step: 0, expected: 10, code: 'NoChange' },
    { name: 'metric 45 hits the scale-in 0 % step: capacity maintained', policy: docScaleIn, value: 45, current: 10, step: 0, expected: 10, code: 'NoChange' },
  ];
  it.each(cases)('$name', ({ policy, value, current, step, expected, code }) => {
    const r = evaluateStepScaling(policy, { metric: value, currentCapacity: current });
    expect(r.fired).toBe(true);
    expect(r.step?.index).toBe(step);
    expect(r.newCapacity).toBe(expected);
    expect(r.code).toBe(code);
    expect(r.message.length).toBeGreaterThan(0);
  });

  // The diagram: "-infinity … 30% | -10% | 40% Unchanged 60% | +10% | 70% +30% … infinity", and
  // "above the threshold the lower bound is inclusive and the upper bound exclusive; below it the lower
  // bound is exclusive and the upper bound inclusive" — every edge from both sides.
  type Edge = { value: number; policy: 'out' | 'in'; step: number; interval: string };
  const edges: Edge[] = [
    { value: 50, policy: 'out', step: 0, interval: '[0, 10)' },
    { value: 59.999, policy: 'out', step: 0, interval: '[0, 10)' },
    { value: 60, policy: 'out', step: 1, interval: '[10, 20)' },
    { value: 69.999, policy: 'out', step: 1, interval: '[10, 20)' },
    { value: 70, policy: 'out', step: 2, interval: '[20, +∞)' },
    { value: 1e6, policy: 'out', step: 2, interval: '[20, +∞)' },
    { value: 50, policy: 'in', step: 0, interval: '(-10, 0]' },
    { value: 40.001, policy: 'in', step: 0, interval: '(-10, 0]' },
    { value: 40, policy: 'in', step: 1, interval: '(-20, -10]' },
    { value: 30.001, policy: 'in', step: 1, interval: '(-20, -10]' },
    { value: 30, policy: 'in', step: 2, interval: '(−∞, -20]' },
    { value: -1e6, policy: 'in', step: 2, interval: '(−∞, -20]' },
  ];
  it.each(edges)('metric $value picks $policy step $step $interval (inclusive/exclusive edges)', ({ value, policy, step, interval }) => {
    const r = evaluateStepScaling(policy === 'out' ? docScaleOut : docScaleIn, { metric: value, currentCapacity: 10 });
    expect(r.step?.index).toBe(step);
    expect(r.step?.interval).toBe(interval);
    expect(r.step?.side).toBe(value > 50 ? 'above' : value < 50 ? 'below' : policy === 'out' ? 'above' : 'below');
  });

  it.each([
    { value: 49.999, policy: docScaleOut },
    { value: 50.001, policy: docScaleIn },
  ])('the policy does not run when its alarm is not breached (metric $value)', ({ value, policy }) => {
    const r = evaluateStepScaling(policy, { metric: value, currentCapacity: 10 });
    expect(r).toMatchObject({ fired: false, code: 'AlarmNotBreached', newCapacity: 10, adjustment: 0 });
    expect(r.step).toBeUndefined();
  });
});

// API Reference, StepAdjustment: "suppose that you have an alarm with a breach threshold of 50: To
// trigger the adjustment when the metric is greater than or equal to 50 and less than 60, specify a
// lower bound of 0 and an upper bound of 10. To trigger the adjustment when the metric is greater than
// 40 and less than or equal to 50, specify a lower bound of -10 and an upper bound of 0."
describe('step matching follows the API StepAdjustment examples (breach = metric − 50)', () => {
  const above: StepAdjustment[] = [
    { metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 1 },
    { metricIntervalLowerBound: 10, scalingAdjustment: 2 },
  ];
  const below: StepAdjustment[] = [
    { metricIntervalLowerBound: -10, metricIntervalUpperBound: 0, scalingAdjustment: -1 },
    { metricIntervalUpperBound: -10, scalingAdjustment: -2 },
  ];
  it.each([
    { metric: 50, steps: above, side: 'above' as const, expected: 0 },
    { metric: 55, steps: above, side: 'above' as const, expected: 0 },
    { metric: 60, steps: above, side: 'above' as const, expected: 1 },
    { metric: 50, steps: below, side: 'below' as const, expected: 0 },
    { metric: 45, steps: below, side: 'below' as const, expected: 0 },
    { metric: 40, steps: below, side: 'below' as const, expected: 1 },
  ])('metric $metric ($side the threshold) matches step $expected', ({ metric, steps, side, expected }) => {
    expect(matchStepAdjustment(steps, metric - 50, side)).toBe(expected);
  });

  it('a breach computed in floating point still reaches a step that starts at it (0.7 − 0.5 = 0.2)', () => {
    const policy: StepPolicy = {
      metric: 'load',
      threshold: 0.5,
      comparison: 'GreaterThanThreshold',
      adjustmentType: 'ChangeInCapacity',
      stepAdjustments: [
        { metricIntervalLowerBound: 0, metricIntervalUpperBound: 0.2, scalingAdjustment: 1 },
        { metricIntervalLowerBound: 0.2, scalingAdjustment: 2 },
      ],
    };
    expect(evaluateStepScaling(policy, { metric: 0.7, currentCapacity: 4 })).toMatchObject({ step: { index: 1 }, newCapacity: 6 });
  });
});

// CloudWatch alarm comparison operators: the alarm (and so the policy) fires on the comparison only.
describe('the alarm comparison decides whether the policy runs at all', () => {
  const policy = (comparison: StepPolicy['comparison']): StepPolicy => ({
    metric: 'cpu',
    threshold: 50,
    comparison,
    adjustmentType: 'ChangeInCapacity',
    stepAdjustments: comparison.startsWith('Greater')
      ? [{ metricIntervalLowerBound: 0, scalingAdjustment: 1 }]
      : [{ metricIntervalUpperBound: 0, scalingAdjustment: -1 }],
  });
  it.each([
    { comparison: 'GreaterThanOrEqualToThreshold', value: 50, fired: true },
    { comparison: 'GreaterThanThreshold', value: 50, fired: false },
    { comparison: 'GreaterThanThreshold', value: 50.5, fired: true },
    { comparison: 'LessThanOrEqualToThreshold', value: 50, fired: true },
    { comparison: 'LessThanThreshold', value: 50, fired: false },
    { comparison: 'LessThanThreshold', value: 49.5, fired: true },
  ] as const)('$comparison with metric $value → fired $fired', ({ comparison, value, fired }) => {
    const r = evaluateStepScaling(policy(comparison), { metric: value, currentCapacity: 5 });
    expect(r.fired).toBe(fired);
    expect(r.code).toBe(fired ? (comparison.startsWith('Greater') ? 'ScaleOut' : 'ScaleIn') : 'AlarmNotBreached');
  });
});

// User Guide, as-scaling-adjustment: the three adjustment types with the page's own examples.
describe('adjustment types ChangeInCapacity, ExactCapacity, PercentChangeInCapacity (as-scaling-adjustment)', () => {
  const oneStep = (adjustmentType: StepPolicy['adjustmentType'], scalingAdjustment: number, minAdjustmentMagnitude?: number): StepPolicy => ({
    metric: 'cpu',
    threshold: 50,
    comparison: scalingAdjustment < 0 ? 'LessThanThreshold' : 'GreaterThanThreshold',
    adjustmentType,
    stepAdjustments: [scalingAdjustment < 0 ? { metricIntervalUpperBound: 0, scalingAdjustment } : { metricIntervalLowerBound: 0, scalingAdjustment }],
    ...(minAdjustmentMagnitude !== undefined ? { minAdjustmentMagnitude } : {}),
  });
  type Case = { name: string; policy: StepPolicy; current: number; adjustment: number; expected: number };
  const cases: Case[] = [
    // "If the current capacity of the group is 3 and the adjustment is 5 … for a total of 8 capacity units."
    { name: 'ChangeInCapacity: 3 and adjustment 5 → 8', policy: oneStep('ChangeInCapacity', 5), current: 3, adjustment: 5, expected: 8 },
    // "If the current capacity of the group is 3 and the adjustment is 5 … we change the capacity to 5."
    { name: 'ExactCapacity: 3 and adjustment 5 → 5', policy: oneStep('ExactCapacity', 5), current: 3, adjustment: 2, expected: 5 },
    // "If the current capacity is 10 and the adjustment is 10 percent … for a total of 11 capacity units."
    { name: 'PercentChangeInCapacity: 10 and 10 percent → 11', policy: oneStep('PercentChangeInCapacity', 10), current: 10, adjustment: 1, expected: 11 },
    // MinAdjustmentMagnitude: "a policy that adds 25 percent … minimum increment of 2 instances … group with 4 instances … 25 percent of 4 is 1 … there are 2 instances added."
    { name: 'MinAdjustmentMagnitude 2: +25 % of 4 is 1, raised to 2 → 6', policy: oneStep('PercentChangeInCapacity', 25, 2), current: 4, adjustment: 2, expected: 6 },
    // Same rule, scale-in: the minimum is a magnitude ("The minimum value to scale by", PutScalingPolicy).
    { name: 'MinAdjustmentMagnitude 2: −25 % of 4 is −1, raised to −2 → 2', policy: oneStep('PercentChangeInCapacity', -25, 2), current: 4, adjustment: -2, expected: 2 },
    { name: 'MinAdjustmentMagnitude 2 does not shrink a larger change: +25 % of 20 = 5 → 25', policy: oneStep('PercentChangeInCapacity', 25, 2), current: 20, adjustment: 5, expected: 25 },
    { name: 'MinAdjustmentMagnitude is only for PercentChangeInCapacity: +1 stays +1', policy: oneStep('ChangeInCapacity', 1, 3), current: 4, adjustment: 1, expected: 5 },
    // Rounding note: "Values greater than 1 are rounded down. For example, 12.7 is rounded to 12."
    { name: 'percent result 12.7 (+10 % of 127) rounds down to 12 → 139', policy: oneStep('PercentChangeInCapacity', 10), current: 127, adjustment: 12, expected: 139 },
    // "Values between 0 and 1 are rounded to 1. For example, .67 is rounded to 1."
    { name: 'percent result 0.67 (+67 % of 1) rounds to 1 → 2', policy: oneStep('PercentChangeInCapacity', 67), current: 1, adjustment: 1, expected: 2 },
    // "Values between 0 and -1 are rounded to -1. For example, -.58 is rounded to -1."
    { name: 'percent result −0.58 (−58 % of 1) rounds to −1 → 0', policy: oneStep('PercentChangeInCapacity', -58), current: 1, adjustment: -1, expected: 0 },
    // "Values less than -1 are rounded up. For example, -6.67 is rounded to -6." (−23 % of 29 = −6.67)
    { name: 'percent result −6.67 (−23 % of 29) rounds up to −6 → 23', policy: oneStep('PercentChangeInCapacity', -23), current: 29, adjustment: -6, expected: 23 },
    { name: 'capacity never goes below zero: −5 from 3 → 0', policy: oneStep('ChangeInCapacity', -5), current: 3, adjustment: -5, expected: 0 },
  ];
  it.each(cases)('$name', ({ policy, current, adjustment, expected }) => {
    const r = evaluateStepScaling(policy, { metric: policy.comparison.startsWith('Greater') ? 80 : 20, currentCapacity: current });
    expect(r.adjustment).toBe(adjustment);
    expect(r.newCapacity).toBe(expected);
  });

  it('reports the raw percent, the rounded value and whether MinAdjustmentMagnitude applied', () => {
    const r = evaluateStepScaling(oneStep('PercentChangeInCapacity', 25, 2), { metric: 80, currentCapacity: 4 });
    expect(r.percent).toEqual({ raw: 1, rounded: 1, minAdjustmentMagnitudeApplied: true });
  });

  // The Note's four examples, applied to the raw value directly.
  it.each([
    { raw: 12.7, expected: 12 },
    { raw: 0.67, expected: 1 },
    { raw: -0.58, expected: -1 },
    { raw: -6.67, expected: -6 },
    { raw: 3, expected: 3 },
    { raw: 0, expected: 0 },
    { raw: 3.3000000000000003, expected: 3 },
  ])('roundPercentAdjustment($raw) = $expected', ({ raw, expected }) => {
    expect(roundPercentAdjustment(raw)).toBe(expected);
  });
});

// as-step-scaling-warmup: "suppose that the metric gets to 60, and then it gets to 62 while the new
// instance is still warming up. The current capacity is still 10 instances, so 1 instance is added …
// However, the desired capacity of the group is already 11 instances, so the scaling policy does not
// increase the desired capacity further. If the metric gets to 70 while the new instance is still
// warming up, we should add 3 instances (30 percent of 10 instances). However, the desired capacity of
// the group is already 11, so we add only 2 instances, for a new desired capacity of 13 instances."
// as-scaling-adjustment (instance weighting): "suppose that the desired capacity is 30 and the current
// capacity is 32. When the alarm is triggered, if the scaling policy decrements the desired capacity by
// 1, then no scaling action is taken."
// as-scale-based-on-demand: "maximum capacity of 3, a current capacity of 2, and a scaling policy that
// adds 3 instances … adds only 1 instance"; "minimum capacity of 2, a current capacity of 3, and a
// scaling policy that removes 2 instances … removes only 1 instance".
describe('the desired capacity already set and the group bounds limit the result', () => {
  const changeBy = (n: number): StepPolicy => ({
    metric: 'cpu',
    threshold: 50,
    comparison: n < 0 ? 'LessThanThreshold' : 'GreaterThanThreshold',
    adjustmentType: 'ChangeInCapacity',
    stepAdjustments: [n < 0 ? { metricIntervalUpperBound: 0, scalingAdjustment: n } : { metricIntervalLowerBound: 0, scalingAdjustment: n }],
  });
  type Case = { name: string; policy: StepPolicy; input: StepScalingInput; expected: number; code: StepScalingCode };
  const cases: Case[] = [
    { name: 'warm-up: metric 62, current 10, desired already 11 → stays 11', policy: docScaleOut, input: { metric: 62, currentCapacity: 10, desiredCapacity: 11 }, expected: 11, code: 'DesiredAlreadyCovers' },
    { name: 'warm-up: metric 70, current 10, desired 11 → 13 (adds only 2)', policy: docScaleOut, input: { metric: 70, currentCapacity: 10, desiredCapacity: 11 }, expected: 13, code: 'ScaleOut' },
    { name: 'weighting: desired 30, current 32, decrement 1 → no scaling action', policy: changeBy(-1), input: { metric: 20, currentCapacity: 32, desiredCapacity: 30 }, expected: 30, code: 'DesiredAlreadyCovers' },
    { name: 'max 3, current 2, adds 3 → adds only 1', policy: changeBy(3), input: { metric: 80, currentCapacity: 2, maxCapacity: 3 }, expected: 3, code: 'ClampedToMax' },
    { name: 'min 2, current 3, removes 2 → removes only 1', policy: changeBy(-2), input: { metric: 20, currentCapacity: 3, minCapacity: 2 }, expected: 2, code: 'ClampedToMin' },
  ];
  it.each(cases)('$name', ({ policy, input, expected, code }) => {
    const r = evaluateStepScaling(policy, input);
    expect(r.newCapacity).toBe(expected);
    expect(r.code).toBe(code);
  });
});

// as-scale-based-on-demand: "one instance is at 60 percent CPU and the other is at 40 percent CPU. On
// average, they are at 50 percent CPU." Points are reduced with the alarm's statistic.
describe('data points are reduced with the alarm statistic before the comparison', () => {
  it.each([
    { statistic: undefined, points: [60, 40], value: 50 },
    { statistic: 'Average', points: [60, 40], value: 50 },
    { statistic: 'Maximum', points: [60, 40], value: 60 },
    { statistic: 'Minimum', points: [60, 40], value: 40 },
    { statistic: 'Sum', points: [60, 40], value: 100 },
    { statistic: 'SampleCount', points: [60, 40, 10], value: 3 },
  ] as const)('$statistic of $points is $value', ({ statistic, points, value }) => {
    const policy: StepPolicy = { ...docScaleOut, ...(statistic ? { statistic } : {}), threshold: 0 };
    expect(evaluateStepScaling(policy, { metric: points, currentCapacity: 10 }).value).toBe(value);
  });

  it('no points means insufficient data: the alarm does not invoke the policy', () => {
    expect(evaluateStepScaling(docScaleOut, { metric: [], currentCapacity: 10 })).toMatchObject({ fired: false, code: 'MissingData', newCapacity: 10 });
  });
});

// Rules listed under as-scaling-steps and API StepAdjustment, plus the 20-step quota.
describe('step adjustment validation reports each AWS rule with its path', () => {
  type Case = { name: string; steps: StepAdjustment[]; type?: StepPolicy['adjustmentType']; code: StepIssueCode; path: string };
  const cases: Case[] = [
    { name: 'at least one step adjustment', steps: [], code: 'NoStepAdjustments', path: 'stepAdjustments' },
    {
      name: 'at most 20 step adjustments',
      steps: [...Array.from({ length: 20 }, (_, i) => ({ metricIntervalLowerBound: i, metricIntervalUpperBound: i + 1, scalingAdjustment: 1 })), { metricIntervalLowerBound: 20, scalingAdjustment: 2 }],
      code: 'TooManyStepAdjustments',
      path: 'stepAdjustments',
    },
    { name: 'the upper and lower bound can\'t be null in the same step', steps: [{ scalingAdjustment: 1 }], code: 'BothBoundsNull', path: 'stepAdjustments[0]' },
    { name: 'the upper bound must be greater than the lower bound', steps: [{ metricIntervalLowerBound: 10, metricIntervalUpperBound: 10, scalingAdjustment: 1 }, { metricIntervalLowerBound: 10, scalingAdjustment: 1 }], code: 'UpperNotAboveLower', path: 'stepAdjustments[0].metricIntervalUpperBound' },
    { name: 'ranges can\'t overlap', steps: [{ metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 1 }, { metricIntervalLowerBound: 5, scalingAdjustment: 2 }], code: 'StepsOverlap', path: 'stepAdjustments[1]' },
    { name: 'ranges can\'t have a gap', steps: [{ metricIntervalLowerBound: 20, scalingAdjustment: 2 }, { metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 1 }], code: 'StepsGap', path: 'stepAdjustments[0]' },
    { name: 'only one step can have a null lower bound', steps: [{ metricIntervalUpperBound: -10, scalingAdjustment: -2 }, { metricIntervalUpperBound: 0, scalingAdjustment: -1 }], code: 'MultipleUnboundedLower', path: 'stepAdjustments[1].metricIntervalLowerBound' },
    { name: 'only one step can have a null upper bound', steps: [{ metricIntervalLowerBound: 0, scalingAdjustment: 1 }, { metricIntervalLowerBound: 10, scalingAdjustment: 2 }], code: 'MultipleUnboundedUpper', path: 'stepAdjustments[1].metricIntervalUpperBound' },
    { name: 'a negative lower bound needs a step with a null lower bound', steps: [{ metricIntervalLowerBound: -10, metricIntervalUpperBound: 0, scalingAdjustment: -1 }], code: 'MissingUnboundedLower', path: 'stepAdjustments[0].metricIntervalLowerBound' },
    { name: 'a positive upper bound needs a step with a null upper bound', steps: [{ metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 1 }], code: 'MissingUnboundedUpper', path: 'stepAdjustments[0].metricIntervalUpperBound' },
    { name: 'exact capacity must be non-negative', steps: [{ metricIntervalLowerBound: 0, scalingAdjustment: -1 }], type: 'ExactCapacity', code: 'NegativeExactCapacity', path: 'stepAdjustments[0].scalingAdjustment' },
  ];
  it.each(cases)('$name → $code at $path', ({ steps, type, code, path }) => {
    const issues = validateStepAdjustments(steps, type ?? 'ChangeInCapacity');
    expect(issues.map((i) => ({ code: i.code, path: i.path }))).toContainEqual({ code, path });
  });

  it.each([
    { name: 'the as-scaling-steps scale-out policy', policy: docScaleOut },
    { name: 'the as-scaling-steps scale-in policy', policy: docScaleIn },
  ])('$name is valid', ({ policy }) => {
    expect(validateStepAdjustments(policy.stepAdjustments, policy.adjustmentType)).toEqual([]);
    expect(StepScalingPolicy.safeParse(policy).success).toBe(true);
  });

  it('a policy spanning both sides of the threshold with contiguous ranges is valid', () => {
    const steps: StepAdjustment[] = [
      { metricIntervalUpperBound: -10, scalingAdjustment: -2 },
      { metricIntervalLowerBound: -10, metricIntervalUpperBound: 0, scalingAdjustment: -1 },
      { metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 1 },
      { metricIntervalLowerBound: 10, scalingAdjustment: 2 },
    ];
    expect(validateStepAdjustments(steps, 'ChangeInCapacity')).toEqual([]);
  });

  it('the engine refuses an invalid policy instead of guessing a step', () => {
    const policy: StepPolicy = { ...docScaleOut, stepAdjustments: [{ metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 1 }, { metricIntervalLowerBound: 5, scalingAdjustment: 2 }] };
    const r = evaluateStepScaling(policy, { metric: 57, currentCapacity: 10 });
    expect(r).toMatchObject({ fired: false, code: 'InvalidPolicy', newCapacity: 10 });
    expect(r.issues?.[0]?.code).toBe('StepsOverlap');
  });

  it('a fired alarm whose breach no step covers changes nothing (NoStepMatched)', () => {
    const policy: StepPolicy = { ...docScaleOut, stepAdjustments: [{ metricIntervalLowerBound: 10, scalingAdjustment: 10 }] };
    expect(evaluateStepScaling(policy, { metric: 55, currentCapacity: 10 })).toMatchObject({ fired: true, code: 'NoStepMatched', newCapacity: 10 });
  });
});

describe('the zod schemas carry the same rules, with paths', () => {
  it.each([
    { name: 'overlapping steps', patch: { stepAdjustments: [{ metricIntervalLowerBound: 0, metricIntervalUpperBound: 10, scalingAdjustment: 1 }, { metricIntervalLowerBound: 5, scalingAdjustment: 2 }] }, path: ['stepAdjustments', 1] },
    { name: 'an unknown field', patch: { cooldown: 300 }, path: [] },
    { name: 'a fractional adjustment', patch: { stepAdjustments: [{ metricIntervalLowerBound: 0, scalingAdjustment: 1.5 }] }, path: ['stepAdjustments', 0, 'scalingAdjustment'] },
    { name: 'an unknown comparison', patch: { comparison: 'GreaterThan' }, path: ['comparison'] },
    { name: 'no steps', patch: { stepAdjustments: [] }, path: ['stepAdjustments'] },
  ])('a step policy with $name is rejected at $path', ({ patch, path }) => {
    const r = StepScalingPolicy.safeParse({ ...docScaleOut, ...patch });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path)).toContainEqual(path);
  });

  it('target tracking policies must each use a different metric (as-scaling-target-tracking)', () => {
    const r = TargetTrackingPolicies.safeParse([{ metric: 'cpu', targetValue: 50 }, { metric: 'cpu', targetValue: 40 }]);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual([1, 'metric']);
  });

  it('a target value must be positive', () => {
    expect(TargetTrackingPolicies.safeParse([{ metric: 'cpu', targetValue: 0 }]).success).toBe(false);
  });
});

// as-scaling-target-tracking, Considerations: "We might determine that adding 1.5 instances will
// decrease the CPU utilization to close to 50 percent. Because it is not possible to add 1.5 instances,
// we round up and add two instances … Similarly, if we determine that removing 1.5 instances increases
// your CPU utilization to above 50 percent, we remove just one instance."
describe('target tracking: desired = ceil(current × metric ÷ target), rounding adds up and removals down', () => {
  type Case = { name: string; policy: TargetTrackingPolicy; metric: number | number[] | undefined; current: number; desired: number; code: TargetTrackingPolicyCode };
  const cpu50: TargetTrackingPolicy = { metric: 'cpu', targetValue: 50 };
  const cases: Case[] = [
    // 3 instances at 75 % → 4.5 needed: add 1.5 → round the addition up to 2.
    { name: 'adding 1.5 instances rounds up to adding 2 (3 at 75 % → 5)', policy: cpu50, metric: 75, current: 3, desired: 3 + 2, code: 'ScaleOut' },
    // 5 instances at 35 % → 3.5 needed: remove 1.5 → remove just 1.
    { name: 'removing 1.5 instances removes just 1 (5 at 35 % → 4)', policy: cpu50, metric: 35, current: 5, desired: 5 - 1, code: 'ScaleIn' },
    { name: 'proportional scale-out: 10 at 60 % of a 50 % target → 12', policy: cpu50, metric: 60, current: 10, desired: 12, code: 'ScaleOut' },
    { name: 'proportional scale-in below the scale-in alarm (90 % of 50 = 45): 10 at 44 % → 9', policy: cpu50, metric: 44, current: 10, desired: 9, code: 'ScaleIn' },
    { name: 'at 45 % the scale-in alarm (LessThanThreshold 45) has not fired: stays 10', policy: cpu50, metric: 45, current: 10, desired: 10, code: 'AboveScaleInThreshold' },
    { name: 'removing 0.8 instances removes none: 10 at 46 % → stays 10', policy: cpu50, metric: 46, current: 10, desired: 10, code: 'AtTarget' },
    { name: 'metric at the target: no change', policy: cpu50, metric: 50, current: 10, desired: 10, code: 'AtTarget' },
    // The policy metric is the per-instance average (as-scale-based-on-demand: 60 % and 40 % are 50 % on average).
    { name: 'points are averaged: 60 and 40 average to the 50 % target', policy: cpu50, metric: [60, 40], current: 2, desired: 2, code: 'AtTarget' },
    { name: 'points are averaged: 80 and 70 average 75 → 2 × 1.5 = 3', policy: cpu50, metric: [80, 70], current: 2, desired: 3, code: 'ScaleOut' },
    { name: 'floating point: 100 × 1.1 ÷ 1 is 110, not 111', policy: { metric: 'q', targetValue: 1 }, metric: 1.1, current: 100, desired: 110, code: 'ScaleOut' },
    // "You can disable the scale-in portion of a target tracking scaling policy."
    { name: 'disableScaleIn never goes below current (10 at 25 % stays 10)', policy: { ...cpu50, disableScaleIn: true }, metric: 25, current: 10, desired: 10, code: 'ScaleInDisabled' },
    { name: 'disableScaleIn still scales out (10 at 60 % → 12)', policy: { ...cpu50, disableScaleIn: true }, metric: 60, current: 10, desired: 12, code: 'ScaleOut' },
    // "does not scale in your Auto Scaling group when the specified metric has insufficient data"
    { name: 'no data: hold', policy: cpu50, metric: undefined, current: 10, desired: 10, code: 'InsufficientData' },
    { name: 'no points: hold', policy: cpu50, metric: [], current: 10, desired: 10, code: 'InsufficientData' },
    { name: 'no instances: the proportional formula stays at 0', policy: cpu50, metric: 90, current: 0, desired: 0, code: 'NoCapacity' },
  ];
  it.each(cases)('$name', ({ policy, metric, current, desired, code }) => {
    const r = evaluateTargetTracking(policy, metric, current);
    expect(r.desired).toBe(desired);
    expect(r.code).toBe(code);
    expect(r.message.length).toBeGreaterThan(0);
  });

  it('reports the ratio and the unrounded proportional capacity', () => {
    expect(evaluateTargetTracking({ metric: 'cpu', targetValue: 50 }, 75, 3)).toMatchObject({ value: 75, ratio: 1.5, exact: 4.5, desired: 5, wants: 'out' });
  });
});

// as-scaling-target-tracking, Considerations: "It will scale out the Auto Scaling group if any of the
// target tracking policies are ready for scale out, but will scale in only if all of the target
// tracking policies (with the scale-in portion enabled) are ready to scale in." and
// as-scale-based-on-demand, Multiple scaling policies: "chooses the policy that provides the largest
// capacity for both scale out and scale in".
describe('several target tracking policies: out if any, in only if all (with scale-in enabled), largest capacity wins', () => {
  const cpu: TargetTrackingPolicy = { metric: 'cpu', targetValue: 50 };
  const rps: TargetTrackingPolicy = { metric: 'rps', targetValue: 1000 };
  type Case = {
    name: string;
    policies: TargetTrackingPolicy[];
    metrics: Record<string, number | number[]>;
    bounds?: { minCapacity?: number; maxCapacity?: number };
    expected: number;
    code: TargetTrackingCode;
    decidedBy: string | null;
  };
  // Current capacity 10 throughout: cpu 60 → 12, cpu 40 → 8, rps 1500 → 15, rps 850 → 9 (below the scale-in alarm at 900), rps 1000 → 10.
  const cases: Case[] = [
    { name: 'one wants out (12), one wants in (9): scale out to 12', policies: [cpu, rps], metrics: { cpu: 60, rps: 850 }, expected: 12, code: 'ScaleOut', decidedBy: 'cpu' },
    { name: 'both want out (12, 15): the largest, 15', policies: [cpu, rps], metrics: { cpu: 60, rps: 1500 }, expected: 15, code: 'ScaleOut', decidedBy: 'rps' },
    { name: 'both want in (8, 9): the largest, 9', policies: [cpu, rps], metrics: { cpu: 40, rps: 850 }, expected: 9, code: 'ScaleIn', decidedBy: 'rps' },
    { name: 'one wants in, the other is at target: no scale-in', policies: [cpu, rps], metrics: { cpu: 40, rps: 1000 }, expected: 10, code: 'ScaleInNotUnanimous', decidedBy: null },
    { name: 'one wants in, the other has no data: no scale-in', policies: [cpu, rps], metrics: { cpu: 40 }, expected: 10, code: 'ScaleInNotUnanimous', decidedBy: null },
    { name: 'a policy with scale-in disabled does not block the others\' scale-in', policies: [cpu, { ...rps, disableScaleIn: true }], metrics: { cpu: 40, rps: 1000 }, expected: 8, code: 'ScaleIn', decidedBy: 'cpu' },
    { name: 'a policy with scale-in disabled still scales out', policies: [cpu, { ...rps, disableScaleIn: true }], metrics: { cpu: 40, rps: 1500 }, expected: 15, code: 'ScaleOut', decidedBy: 'rps' },
    { name: 'every policy with scale-in disabled: no scale-in', policies: [{ ...cpu, disableScaleIn: true }], metrics: { cpu: 20 }, expected: 10, code: 'ScaleInDisabled', decidedBy: null },
    { name: 'all at target: no change', policies: [cpu, rps], metrics: { cpu: 50, rps: 1000 }, expected: 10, code: 'NoChange', decidedBy: null },
    { name: 'scale-out capped by the maximum size', policies: [cpu, rps], metrics: { cpu: 60, rps: 1500 }, bounds: { maxCapacity: 12 }, expected: 12, code: 'ClampedToMax', decidedBy: 'rps' },
    { name: 'scale-in floored by the minimum size', policies: [cpu], metrics: { cpu: 20 }, bounds: { minCapacity: 6 }, expected: 6, code: 'ClampedToMin', decidedBy: 'cpu' },
    { name: 'no policies: no change', policies: [], metrics: {}, expected: 10, code: 'NoPolicies', decidedBy: null },
    { name: 'two policies on one metric are refused', policies: [cpu, { ...cpu, targetValue: 40 }], metrics: { cpu: 60 }, expected: 10, code: 'InvalidPolicy', decidedBy: null },
  ];
  it.each(cases)('$name', ({ policies, metrics, bounds, expected, code, decidedBy }) => {
    const d = combineTargetTracking(policies, metrics, 10, bounds);
    expect(d.newCapacity).toBe(expected);
    expect(d.code).toBe(code);
    expect(d.decidedBy).toBe(decidedBy);
    expect(d.message.length).toBeGreaterThan(0);
  });
});
