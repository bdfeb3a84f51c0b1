// AWS EC2 Auto Scaling target tracking, pure: proportional desired capacity per policy, and several policies combined.
//
// A test oracle, not engine code: decide() runs target tracking through src/engine/policies/target-tracking.ts (the
// HPA algorithm with AWS alarms as tolerances, docs/aws-policies.md). test/engine/aws-upstream.test.ts
// checks decide() against the same AWS cases this independent model reproduces.
//
// Source: Amazon EC2 Auto Scaling User Guide, "Target tracking scaling policies"
// (as-scaling-target-tracking), section "Considerations":
// - "we act conservatively by rounding up or down when determining how many instances to add or
//   remove … We might determine that adding 1.5 instances will decrease the CPU utilization to close
//   to 50 percent … we round up and add two instances … Similarly, if we determine that removing 1.5
//   instances increases your CPU utilization to above 50 percent, we remove just one instance."
// - "the Auto Scaling group scales out proportionally to the metric as fast as it can, but scales in
//   more gradually."
// - "It will scale out the Auto Scaling group if any of the target tracking policies are ready for
//   scale out, but will scale in only if all of the target tracking policies (with the scale-in
//   portion enabled) are ready to scale in."
// - "You can disable the scale-in portion of a target tracking scaling policy."
// - "A target tracking scaling policy does not scale in your Auto Scaling group when the specified
//   metric has insufficient data".
// and "Dynamic scaling" (as-scale-based-on-demand), "Multiple scaling policies": AWS "chooses the
// policy that provides the largest capacity for both scale out and scale in".
import type { TargetTrackingPolicy } from '../../src/schemas/aws-policies.js';

/**
 * Significant digits kept before rounding: 100 × 1.1 ÷ 1 is 110.00000000000001 in binary floating
 * point, and ceil would make it 111. Twelve digits removes that noise and nothing real.
 */
const SIGNIFICANT_DIGITS = 12;

const clean = (x: number): number => Number(x.toPrecision(SIGNIFICANT_DIGITS));

/**
 * The one formula, both directions: desired = ceil(current × metric ÷ target).
 *
 * The proportional capacity is exact = current × metric ÷ target. AWS rounds "conservatively":
 * when it must add a fractional number of instances it rounds the addition up (add 1.5 → add 2), and
 * when it must remove a fractional number it rounds the removal down (remove 1.5 → remove 1). For an
 * integer current capacity both are the same thing: current + ⌈exact − current⌉ = current −
 * ⌊current − exact⌋ = ⌈exact⌉. AWS documents no other arithmetic for scale-in; its "more gradual"
 * scale-in is about when the scale-in alarm fires (longer evaluation), which belongs to the caller's
 * metric window, not to this formula.
 */

/**
 * The scale-in alarm's threshold as a fraction of the target. Application Auto Scaling,
 * target-tracking-scaling-policy-overview: the policy "slows down scaling by removing capacity only
 * when utilization passes a threshold that is far enough below the target value (usually more than
 * 10% lower)"; the low alarm AWS creates for a target tracking policy compares LessThanThreshold
 * with 90 % of the target. At or above it, a proportional scale-in waits.
 */
const SCALE_IN_ALARM_RATIO = 0.9;

/** Mean of the points given: the per-instance average the predefined ASGAverage… metrics stand for. */
function averagePoints(points: readonly number[]): number | undefined {
  if (points.length === 0) return undefined;
  return clean(points.reduce((a, b) => a + b, 0) / points.length);
}

export type TargetTrackingPolicyCode = 'ScaleOut' | 'ScaleIn' | 'AtTarget' | 'AboveScaleInThreshold' | 'ScaleInDisabled' | 'InsufficientData' | 'NoCapacity' | 'InvalidInput';

export interface TargetTrackingPolicyResult {
  metric: string;
  targetValue: number;
  scaleInEnabled: boolean;
  /** The averaged metric value, when there was data. */
  value?: number;
  /** Points averaged into value. */
  points: number;
  /** value ÷ targetValue. */
  ratio?: number;
  /** current × ratio, before rounding. */
  exact?: number;
  /** Capacity this policy asks for: ⌈exact⌉, never below 0, never below current without scale-in. */
  desired: number;
  /** What the policy is ready to do; a policy with scale-in disabled is never ready to scale in. */
  wants: 'out' | 'in' | 'hold';
  code: TargetTrackingPolicyCode;
  message: string;
}

/**
 * One target tracking policy. `metric` is the value, or points averaged into it; undefined or no
 * points means insufficient data, and then the policy neither scales out nor in.
 */
export function evaluateTargetTracking(
  policy: TargetTrackingPolicy,
  metric: number | readonly number[] | undefined,
  currentCapacity: number,
): TargetTrackingPolicyResult {
  const scaleInEnabled = policy.disableScaleIn !== true;
  const base = { metric: policy.metric, targetValue: policy.targetValue, scaleInEnabled };
  const points = metric === undefined ? [] : typeof metric === 'number' ? [metric] : metric;
  const hold = (code: TargetTrackingPolicyCode, message: string): TargetTrackingPolicyResult => ({
    ...base,
    points: points.length,
    desired: currentCapacity,
    wants: 'hold',
    code,
    message: `${message}.`,
  });

  if (!(Number.isInteger(currentCapacity) && currentCapacity >= 0)) {
    return hold('InvalidInput', `current capacity must be a non-negative integer, got ${currentCapacity}`);
  }
  if (!(Number.isFinite(policy.targetValue) && policy.targetValue > 0)) {
    return hold('InvalidInput', `target value for "${policy.metric}" must be a positive number, got ${policy.targetValue}`);
  }
  if (points.some((p) => !Number.isFinite(p))) {
    return hold('InvalidInput', `metric "${policy.metric}" has a value that is not a finite number`);
  }
  const value = averagePoints(points);
  if (value === undefined) {
    return hold('InsufficientData', `metric "${policy.metric}" has no data, so this policy neither scales out nor lets the group scale in`);
  }

  const ratio = clean(value / policy.targetValue);
  const exact = clean((currentCapacity * value) / policy.targetValue);
  const proportional = Math.max(0, Math.ceil(exact));
  const measured = { value, ratio, exact, points: points.length };
  const rounded = Number.isInteger(exact) ? '' : `, rounded up to ${proportional}`;
  const head = `${policy.metric} ${value} against target ${policy.targetValue} (ratio ${ratio}): ${currentCapacity} × ${ratio} = ${exact}${rounded}`;

  if (currentCapacity === 0) {
    return {
      ...base,
      ...measured,
      desired: 0,
      wants: 'hold',
      code: 'NoCapacity',
      message: `${head}; with no instances the proportional formula cannot scale, so capacity stays 0.`,
    };
  }
  if (proportional > currentCapacity) {
    return {
      ...base,
      ...measured,
      desired: proportional,
      wants: 'out',
      code: 'ScaleOut',
      message: `${head}; scale out ${currentCapacity} → ${proportional}.`,
    };
  }
  if (proportional < currentCapacity) {
    if (!scaleInEnabled) {
      return {
        ...base,
        ...measured,
        desired: currentCapacity,
        wants: 'hold',
        code: 'ScaleInDisabled',
        message: `${head}; scale-in is disabled for this policy, so it stays at ${currentCapacity}.`,
      };
    }
    const threshold = clean(policy.targetValue * SCALE_IN_ALARM_RATIO);
    if (!(value < threshold)) {
      return {
        ...base,
        ...measured,
        desired: currentCapacity,
        wants: 'hold',
        code: 'AboveScaleInThreshold',
        message: `${head}; the scale-in alarm fires only below ${SCALE_IN_ALARM_RATIO * 100} % of the target (${threshold}), so it stays at ${currentCapacity}.`,
      };
    }
    return {
      ...base,
      ...measured,
      desired: proportional,
      wants: 'in',
      code: 'ScaleIn',
      message: `${head}${rounded ? ` (removing ${clean(currentCapacity - exact)} instances rounds down to removing ${currentCapacity - proportional})` : ''}; scale in ${currentCapacity} → ${proportional}.`,
    };
  }
  return {
    ...base,
    ...measured,
    desired: currentCapacity,
    wants: 'hold',
    code: 'AtTarget',
    message: `${head}, which is the current capacity; no change.`,
  };
}

export type TargetTrackingCode =
  | 'ScaleOut'
  | 'ScaleIn'
  | 'ScaleInNotUnanimous'
  | 'ScaleInDisabled'
  | 'NoChange'
  | 'ClampedToMax'
  | 'ClampedToMin'
  | 'NoPolicies'
  | 'InvalidPolicy'
  | 'InvalidInput';

export interface TargetTrackingBounds {
  minCapacity?: number;
  maxCapacity?: number;
}

export interface TargetTrackingDecision {
  currentCapacity: number;
  /** Capacity the policies agree on, before the group's bounds. */
  desired: number;
  /** desired within the group's bounds. */
  newCapacity: number;
  code: TargetTrackingCode;
  message: string;
  /** Metric of the policy that decided, or null when none did. */
  decidedBy: string | null;
  policies: TargetTrackingPolicyResult[];
}

/**
 * Several target tracking policies on one group. Any policy ready to scale out → the largest desired
 * capacity among them. Otherwise the group scales in only if every policy with scale-in enabled is
 * ready to scale in, to the largest of their desired capacities (the smallest removal); policies with
 * scale-in disabled take no part in that vote. The result is then kept within the group's bounds.
 */
export function combineTargetTracking(
  policies: readonly TargetTrackingPolicy[],
  metrics: Readonly<Record<string, number | readonly number[] | undefined>>,
  currentCapacity: number,
  bounds: TargetTrackingBounds = {},
): TargetTrackingDecision {
  const done = (desired: number, code: TargetTrackingCode, message: string, decidedBy: string | null, results: TargetTrackingPolicyResult[]): TargetTrackingDecision => {
    let newCapacity = desired;
    let finalCode = code;
    let finalMessage = message;
    if (bounds.maxCapacity !== undefined && newCapacity > bounds.maxCapacity) {
      newCapacity = bounds.maxCapacity;
      finalCode = 'ClampedToMax';
      finalMessage = `${message}; ${desired} is above the maximum size, so ${currentCapacity} → ${newCapacity}`;
    } else if (bounds.minCapacity !== undefined && newCapacity < bounds.minCapacity) {
      newCapacity = bounds.minCapacity;
      finalCode = 'ClampedToMin';
      finalMessage = `${message}; ${desired} is below the minimum size, so ${currentCapacity} → ${newCapacity}`;
    }
    return { currentCapacity, desired, newCapacity, code: finalCode, message: `${finalMessage}.`, decidedBy, policies: results };
  };

  if (!(Number.isInteger(currentCapacity) && currentCapacity >= 0)) {
    return { currentCapacity, desired: currentCapacity, newCapacity: currentCapacity, code: 'InvalidInput', message: `current capacity must be a non-negative integer, got ${currentCapacity}.`, decidedBy: null, policies: [] };
  }
  for (const [name, n] of [['minCapacity', bounds.minCapacity], ['maxCapacity', bounds.maxCapacity]] as const) {
    if (n !== undefined && !(Number.isInteger(n) && n >= 0)) {
      return { currentCapacity, desired: currentCapacity, newCapacity: currentCapacity, code: 'InvalidInput', message: `${name} must be a non-negative integer, got ${n}.`, decidedBy: null, policies: [] };
    }
  }
  if (policies.length === 0) {
    return done(currentCapacity, 'NoPolicies', 'there are no target tracking policies, so capacity stays ' + currentCapacity, null, []);
  }
  const seen = new Set<string>();
  for (const p of policies) {
    if (seen.has(p.metric)) {
      return { currentCapacity, desired: currentCapacity, newCapacity: currentCapacity, code: 'InvalidPolicy', message: `two target tracking policies track "${p.metric}"; each must use a different metric.`, decidedBy: null, policies: [] };
    }
    seen.add(p.metric);
  }

  const results = policies.map((p) => evaluateTargetTracking(p, metrics[p.metric], currentCapacity));
  const invalid = results.find((r) => r.code === 'InvalidInput');
  if (invalid) {
    return { currentCapacity, desired: currentCapacity, newCapacity: currentCapacity, code: 'InvalidInput', message: invalid.message, decidedBy: null, policies: results };
  }

  const largest = (rs: TargetTrackingPolicyResult[]): TargetTrackingPolicyResult =>
    rs.reduce((best, r) => (r.desired > best.desired ? r : best));

  const outs = results.filter((r) => r.wants === 'out');
  if (outs.length > 0) {
    const win = largest(outs);
    const others = outs.length > 1 ? ` (the largest of ${outs.length} policies ready to scale out)` : '';
    return done(win.desired, 'ScaleOut', `"${win.metric}" is ready to scale out to ${win.desired}${others}`, win.metric, results);
  }

  const voters = results.filter((r) => r.scaleInEnabled);
  if (voters.length === 0) {
    return done(currentCapacity, 'ScaleInDisabled', `every policy has scale-in disabled and none is ready to scale out, so capacity stays ${currentCapacity}`, null, results);
  }
  const ins = voters.filter((r) => r.wants === 'in');
  if (ins.length === voters.length) {
    const win = largest(ins);
    const all = voters.length > 1 ? `all ${voters.length} policies with scale-in enabled are ready to scale in; the largest capacity wins: ` : '';
    return done(win.desired, 'ScaleIn', `${all}"${win.metric}" scales in to ${win.desired}`, win.metric, results);
  }
  if (ins.length > 0) {
    const blockers = voters.filter((r) => r.wants !== 'in').map((r) => `"${r.metric}" (${r.code})`);
    const verb = (n: number) => (n === 1 ? 'is' : 'are');
    return done(
      currentCapacity,
      'ScaleInNotUnanimous',
      `${ins.map((r) => `"${r.metric}"`).join(', ')} ${verb(ins.length)} ready to scale in, but ${blockers.join(', ')} ${verb(blockers.length)} not, and scale-in needs every policy with scale-in enabled; capacity stays ${currentCapacity}`,
      null,
      results,
    );
  }
  return done(currentCapacity, 'NoChange', `no policy is ready to scale out or in; capacity stays ${currentCapacity}`, null, results);
}
