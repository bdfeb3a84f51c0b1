// AWS EC2 Auto Scaling step scaling, pure: alarm breach, step matching, adjustment types, rounding, MinAdjustmentMagnitude.
//
// Every rule here follows a passage of the Amazon EC2 Auto Scaling documentation:
// - User Guide "Step and simple scaling policies" (as-scaling-simple-step):
//   · #as-scaling-steps — bounds are relative to the breach threshold; "If the metric value is above the
//     breach threshold, the lower bound is inclusive and the upper bound is exclusive. If the metric value
//     is below the breach threshold, the lower bound is exclusive and the upper bound is inclusive."; the
//     rules on overlaps, gaps and null bounds;
//   · #as-scaling-adjustment — ChangeInCapacity / ExactCapacity / PercentChangeInCapacity, the rounding
//     of a non-integer percent result, and MinAdjustmentMagnitude;
//   · #as-step-scaling-warmup — the new desired capacity never undoes a desired capacity that is already
//     further along (current 10, desired 11, +1 → stays 11; +3 → 13); and "A scale-in activity can't start
//     while a scale-out activity is in progress" (newer text: "all scale-in activities initiated by scaling
//     policies are blocked until the instances finish warming up").
// - API Reference "StepAdjustment" — the same inclusivity rules, "The upper bound must be greater than
//   the lower bound", and "For exact capacity, you must specify a non-negative value".
// - User Guide "Dynamic scaling" (as-scale-based-on-demand) — the result never leaves the group's
//   minimum and maximum size.
import { isSet, validateStepAdjustments, type AlarmComparison, type AlarmStatistic, type StepLike, type StepScalingPolicy } from '../schemas/aws-policies.js';
import { STEP_SCALING_CODES } from '../schemas/codes.js';
import type { StepScalingResult } from '../schemas/decision.js';
import type { AlarmEvaluation } from './aws-alarm.js';

/**
 * Significant digits kept before comparing or rounding. Binary floating point turns 0.7 − 0.5 into
 * 0.19999999999999996 (which would miss a step starting at 0.2) and 11 × 30 ÷ 100 into values a hair
 * off an integer; 12 digits removes that noise and is far finer than any metric or capacity.
 */
const SIGNIFICANT_DIGITS = 12;

export const clean = (x: number): number => Number(x.toPrecision(SIGNIFICANT_DIGITS));

// ---------------------------------------------------------------------------------------------
// Alarm and step matching

/** Which side of the threshold the metric is on; it decides which bound is inclusive. */
export type BreachSide = 'above' | 'below';

/** Whether the alarm is in ALARM: the CloudWatch comparison of the value with the threshold. */
export function alarmBreached(value: number, threshold: number, comparison: AlarmComparison): boolean {
  switch (comparison) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/**
 * Above or below the threshold. AWS defines both sides but not the metric exactly at the threshold
 * (breach 0). Its own API examples need 0 to be inside [0, 10) for an alarm "greater than or equal to
 * 50" and inside (−10, 0] for one "less than or equal to 50", so at breach 0 the side is the alarm's:
 * a GreaterThan… alarm reads it as above (lower bound inclusive), a LessThan… alarm as below (upper
 * bound inclusive).
 */
function breachSide(breach: number, comparison: AlarmComparison): BreachSide {
  if (breach > 0) return 'above';
  if (breach < 0) return 'below';
  return comparison.startsWith('Greater') ? 'above' : 'below';
}

const fmt = (b: number | null | undefined, inf: string): string => (isSet(b) ? String(b) : inf);

/** The step's interval in mathematical notation, with the brackets the side gives it. */
function intervalText(step: StepLike, side: BreachSide): string {
  const lower = fmt(step.metricIntervalLowerBound, '−∞');
  const upper = fmt(step.metricIntervalUpperBound, '+∞');
  const open = !isSet(step.metricIntervalLowerBound) || side === 'below' ? '(' : '[';
  const close = !isSet(step.metricIntervalUpperBound) || side === 'above' ? ')' : ']';
  return `${open}${lower}, ${upper}${close}`;
}

/** True when `breach` lies in the step's range under the side's inclusivity (API StepAdjustment). */
export function stepContains(step: StepLike, breach: number, side: BreachSide): boolean {
  const lower = step.metricIntervalLowerBound;
  const upper = step.metricIntervalUpperBound;
  const aboveLower = !isSet(lower) || (side === 'above' ? breach >= lower : breach > lower);
  const belowUpper = !isSet(upper) || (side === 'above' ? breach < upper : breach <= upper);
  return aboveLower && belowUpper;
}

/** Index of the step adjustment whose range holds `breach`, or undefined. Valid steps hold at most one. */
export function matchStepAdjustment(steps: readonly StepLike[], breach: number, side: BreachSide): number | undefined {
  const i = steps.findIndex((s) => stepContains(s, breach, side));
  return i === -1 ? undefined : i;
}

// ---------------------------------------------------------------------------------------------
// Adjustment arithmetic

/**
 * AWS's rounding of a non-integer PercentChangeInCapacity result (as-scaling-adjustment, Note):
 * "Values greater than 1 are rounded down (12.7 → 12). Values between 0 and 1 are rounded to 1
 * (.67 → 1). Values between 0 and -1 are rounded to -1 (-.58 → -1). Values less than -1 are rounded
 * up (-6.67 → -6)." That is: truncate toward zero, but never round a non-zero change to zero.
 */
export function roundPercentAdjustment(raw: number): number {
  const x = clean(raw);
  if (Number.isInteger(x)) return x;
  if (x > 0 && x < 1) return 1;
  if (x < 0 && x > -1) return -1;
  return Math.trunc(x);
}

/** Reduce the points given for a policy with its CloudWatch statistic; undefined when there are none. */
export function aggregateStatistic(points: readonly number[], statistic: AlarmStatistic = 'Average'): number | undefined {
  if (points.length === 0) return undefined;
  switch (statistic) {
    case 'Average':
      return clean(points.reduce((a, b) => a + b, 0) / points.length);
    case 'Minimum':
      return Math.min(...points);
    case 'Maximum':
      return Math.max(...points);
    case 'Sum':
      return clean(points.reduce((a, b) => a + b, 0));
    case 'SampleCount':
      return points.length;
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export type StepScalingCode = (typeof STEP_SCALING_CODES)[number];

export interface StepScalingInput {
  /** The alarm's aggregated value, or its data points (reduced with the policy's statistic). Not read when `alarm` is given. */
  metric: number | readonly number[];
  /**
   * The alarm evaluated period by period (aws-alarm.ts) with its DatapointsToAlarm: when given, it alone
   * decides whether the policy runs, and the breach is measured on the mean of its breaching periods.
   */
  alarm?: AlarmEvaluation & { toAlarm: number };
  /** Current capacity of the group (instances in service, not counting ones still warming up). */
  currentCapacity: number;
  /** Desired capacity already set (e.g. while instances warm up); defaults to currentCapacity. */
  desiredCapacity?: number;
  /** The group's minimum and maximum size; the result never leaves them. */
  minCapacity?: number;
  maxCapacity?: number;
}

interface StepMatch {
  /** 0-based index into policy.stepAdjustments. */
  index: number;
  lowerBound: number | null;
  upperBound: number | null;
  scalingAdjustment: number;
  side: BreachSide;
  /** The range of the breach it holds, with AWS's brackets for that side, e.g. "[10, 20)". */
  interval: string;
  /** The same range in metric values, e.g. "60 ≤ value < 70". */
  metricRange: string;
  why: string;
}

interface PercentDetail {
  /** current × scalingAdjustment ÷ 100 before rounding. */
  raw: number;
  /** After AWS's rounding. */
  rounded: number;
  /** True when MinAdjustmentMagnitude raised the size of the change. */
  minAdjustmentMagnitudeApplied: boolean;
}

function metricRange(step: StepLike, side: BreachSide, threshold: number): string {
  const lo = step.metricIntervalLowerBound;
  const hi = step.metricIntervalUpperBound;
  const parts: string[] = [];
  if (isSet(lo)) parts.push(`${clean(threshold + lo)} ${side === 'above' ? '≤' : '<'}`);
  parts.push('value');
  if (isSet(hi)) parts.push(`${side === 'above' ? '<' : '≤'} ${clean(threshold + hi)}`);
  return parts.join(' ');
}

export const COMPARISON_TEXT: Record<AlarmComparison, string> = {
  GreaterThanOrEqualToThreshold: '≥',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
};

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

/** One adjustment applied to a capacity: the change, the percent arithmetic when there is one, a phrase, the capacity wanted. */
export interface AppliedAdjustment {
  adjustment: number;
  percent?: PercentDetail;
  how: string;
  /** current + adjustment, never below 0 (ExactCapacity: the adjustment itself). */
  wanted: number;
}

/**
 * A ScalingAdjustment read with its AdjustmentType (as-scaling-adjustment), shared by step and simple
 * scaling: ChangeInCapacity adds it, ExactCapacity sets it, PercentChangeInCapacity adds that percent
 * of `current` rounded as AWS rounds and raised to MinAdjustmentMagnitude when smaller.
 */
export function applyAdjustment(type: StepScalingPolicy['adjustmentType'], scalingAdjustment: number, current: number, minAdjustmentMagnitude?: number): AppliedAdjustment {
  switch (type) {
    case 'ChangeInCapacity':
      return { adjustment: scalingAdjustment, how: `change in capacity ${signed(scalingAdjustment)}`, wanted: Math.max(0, current + scalingAdjustment) };
    case 'ExactCapacity':
      return { adjustment: scalingAdjustment - current, how: `exact capacity ${scalingAdjustment}`, wanted: scalingAdjustment };
    case 'PercentChangeInCapacity': {
      const raw = clean((current * scalingAdjustment) / 100);
      const rounded = roundPercentAdjustment(raw);
      const min = minAdjustmentMagnitude ?? 0;
      // A 0 % step means "unchanged" (the as-scaling-steps example), so the minimum does not apply to it.
      const raise = scalingAdjustment !== 0 && Math.abs(rounded) < min;
      const adjustment = raise ? Math.sign(scalingAdjustment) * min : rounded;
      const how =
        `${signed(scalingAdjustment)} % of ${current} = ${raw}` +
        (rounded !== raw ? `, rounded to ${rounded}` : '') +
        (raise ? `, raised to the MinAdjustmentMagnitude of ${min}` : '');
      return { adjustment, percent: { raw, rounded, minAdjustmentMagnitudeApplied: raise }, how, wanted: Math.max(0, current + adjustment) };
    }
  }
}

/**
 * Run one step scaling policy. The alarm fires when `value comparison threshold`; the breach
 * (value − threshold) picks the step adjustment with AWS's inclusivity; the adjustment type turns the
 * step's scalingAdjustment into a change of capacity (percent rounded as AWS rounds, then raised to
 * MinAdjustmentMagnitude); the desired capacity already set is never undone (a scale-out never lowers
 * it, a scale-in never raises it); and the group's bounds clamp the result. `validated` says the
 * step adjustments already passed validateStepAdjustments (the schema runs it at load), so a rule
 * set's policy is not re-checked on every evaluation.
 */
export function evaluateStepScaling(policy: StepScalingPolicy, input: StepScalingInput, options: { validated?: boolean } = {}): StepScalingResult {
  const current = input.currentCapacity;
  const desired = input.desiredCapacity ?? current;
  const hold = (code: StepScalingCode, message: string, extra: Partial<StepScalingResult> = {}): StepScalingResult => ({
    fired: false,
    adjustment: 0,
    newCapacity: desired,
    code,
    message: `${message}.`,
    ...extra,
  });

  for (const [name, n] of [['currentCapacity', current], ['desiredCapacity', desired], ['minCapacity', input.minCapacity], ['maxCapacity', input.maxCapacity]] as const) {
    if (n !== undefined && !(Number.isInteger(n) && n >= 0)) {
      return hold('InvalidInput', `${name} must be a non-negative integer, got ${n}`);
    }
  }
  if (input.minCapacity !== undefined && input.maxCapacity !== undefined && input.minCapacity > input.maxCapacity) {
    return hold('InvalidInput', `minCapacity ${input.minCapacity} is above maxCapacity ${input.maxCapacity}`);
  }
  if (!Number.isFinite(policy.threshold)) return hold('InvalidInput', `threshold must be a finite number, got ${policy.threshold}`);
  const issues = options.validated ? [] : validateStepAdjustments(policy.stepAdjustments, policy.adjustmentType);
  if (issues.length > 0) {
    return hold('InvalidPolicy', `the policy's step adjustments break AWS's rules: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }

  const { alarm } = input;
  const periodTrace = alarm ? { periods: alarm.periods, breachingPeriods: alarm.breachingPeriods } : {};
  let value: number | undefined;
  let cmp: string;
  if (alarm) {
    const n = alarm.periods.length;
    const condition = `${policy.metric} ${COMPARISON_TEXT[policy.comparison]} ${policy.threshold}`;
    if (alarm.state === 'INSUFFICIENT_DATA') {
      return hold('MissingData', `metric "${policy.metric}" has no data in the alarm's ${n} period(s), so the alarm has insufficient data and does not invoke the policy`, periodTrace);
    }
    if (alarm.state === 'OK') {
      // The value reported is the newest data point, as CloudWatch shows an alarm's latest value.
      const latest = alarm.periods.find((p) => p.value !== null)!.value!;
      const reading = { value: latest, breach: clean(latest - policy.threshold), ...periodTrace };
      return hold('AlarmNotBreached', `the alarm is not breached: ${condition} in ${alarm.breachingPeriods} of ${n} period(s), ${alarm.toAlarm} needed`, reading);
    }
    // AWS sizes the step on "the aggregated CloudWatch metric" (API StepAdjustment), aggregated with
    // MetricAggregationType, default Average; edgescale averages the data points that breached.
    const breaching = alarm.periods.flatMap((p) => (p.breaching && p.value !== null ? [p.value] : []));
    value = aggregateStatistic(breaching, 'Average')!;
    cmp = `${condition} in ${alarm.breachingPeriods} of ${n} period(s), ${alarm.toAlarm} needed; mean of the breaching periods ${value}`;
  } else {
    const points = typeof input.metric === 'number' ? [input.metric] : input.metric;
    if (points.some((p) => !Number.isFinite(p))) return hold('InvalidInput', `metric "${policy.metric}" has a value that is not a finite number`);
    value = aggregateStatistic(points, policy.statistic ?? 'Average');
    if (value === undefined) {
      return hold('MissingData', `metric "${policy.metric}" has no data points, so the alarm has insufficient data and does not invoke the policy`);
    }
    cmp = `${policy.metric} ${value} ${COMPARISON_TEXT[policy.comparison]} ${policy.threshold}`;
  }
  const breach = clean(value - policy.threshold);
  if (!alarmBreached(value, policy.threshold, policy.comparison)) {
    return hold('AlarmNotBreached', `the alarm is not breached: ${cmp} is false`, { value, breach, ...periodTrace });
  }

  const side = breachSide(breach, policy.comparison);
  const index = matchStepAdjustment(policy.stepAdjustments, breach, side);
  if (index === undefined) {
    return {
      ...hold('NoStepMatched', `the alarm fired (${cmp}, breach ${signed(breach)}) but no step adjustment covers that breach, so nothing changes`, { value, breach, ...periodTrace }),
      fired: true,
    };
  }
  const s = policy.stepAdjustments[index]!;
  const interval = intervalText(s, side);
  const step: StepMatch = {
    index,
    lowerBound: s.metricIntervalLowerBound ?? null,
    upperBound: s.metricIntervalUpperBound ?? null,
    scalingAdjustment: s.scalingAdjustment,
    side,
    interval,
    metricRange: metricRange(s, side, policy.threshold),
    why:
      `breach ${signed(breach)} lies in ${interval}: the metric is ${side} the threshold` +
      (breach === 0 ? ` (exactly at it; a ${policy.comparison} alarm reads that as ${side})` : '') +
      `, so the lower bound is ${side === 'above' ? 'inclusive' : 'exclusive'} and the upper bound ${side === 'above' ? 'exclusive' : 'inclusive'}`,
  };

  // What the step asks for.
  const { adjustment, percent, how, wanted } = applyAdjustment(policy.adjustmentType, s.scalingAdjustment, current, policy.minAdjustmentMagnitude);

  // Warm-up / weighting (as-step-scaling-warmup): never undo a desired capacity that is further along.
  // A change of 0 (the "Unchanged" step of as-scaling-steps) leaves the desired capacity as it is, even
  // while it differs from the current capacity: it must not pull 11 back to 10 during a warm-up.
  let next = wanted;
  let covered = false;
  if (policy.adjustmentType !== 'ExactCapacity' && (adjustment === 0 || (adjustment > 0 && desired >= wanted) || (adjustment < 0 && desired <= wanted))) {
    next = desired;
    covered = adjustment !== 0;
  }
  // Warm-up (as-step-scaling-warmup): "A scale-in activity can't start while a scale-out activity is in
  // progress". A desired capacity above the current one means instances are still launching or warming
  // up, so a policy that would lower it (a negative step, or an ExactCapacity below it) waits.
  const blocked = !covered && desired > current && next < desired;
  if (blocked) next = desired;
  // The group's bounds (as-scale-based-on-demand, "How scaling policies work").
  const unclamped = next;
  let clamped: 'ClampedToMax' | 'ClampedToMin' | undefined;
  if (input.maxCapacity !== undefined && next > input.maxCapacity) {
    next = input.maxCapacity;
    clamped = 'ClampedToMax';
  }
  if (input.minCapacity !== undefined && next < input.minCapacity) {
    next = input.minCapacity;
    clamped = 'ClampedToMin';
  }

  const lead = `the alarm fired (${cmp}); step ${index} matched because ${step.why}; ${how}`;
  let code: StepScalingCode;
  let tail: string;
  if (clamped) {
    code = clamped;
    tail = `${unclamped} is ${clamped === 'ClampedToMax' ? 'above the maximum' : 'below the minimum'} size, so desired capacity ${desired} → ${next}`;
  } else if (blocked) {
    // The desired capacity already set stands, as with a covered request; the message says why.
    code = 'DesiredAlreadyCovers';
    tail = `that gives ${wanted}, but ${desired - current} of the desired ${desired} are still launching or warming up (current ${current}) and a scale-in can't start while a scale-out is in progress, so it stays ${desired}`;
  } else if (covered) {
    code = 'DesiredAlreadyCovers';
    tail = `that gives ${wanted}, but the desired capacity is already ${desired}, so it stays ${desired}`;
  } else if (next === desired) {
    code = 'NoChange';
    tail = `desired capacity stays ${desired}`;
  } else {
    code = next > desired ? 'ScaleOut' : 'ScaleIn';
    tail = `desired capacity ${desired} → ${next}`;
  }
  return {
    fired: true,
    value,
    breach,
    ...periodTrace,
    step,
    adjustment,
    ...(percent ? { percent } : {}),
    wanted,
    newCapacity: next,
    code,
    message: `${lead}; ${tail}.`,
  };
}
