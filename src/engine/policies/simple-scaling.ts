// AWS simple scaling as a policy: an alarm over its evaluation periods, one adjustment, and the group's cooldown after any activity.
//
// Sources (Amazon EC2 Auto Scaling User Guide and API Reference):
// - "Simple scaling policies" (simple-scaling-policies): "A simple scaling policy must also wait for an
//   in-progress scaling activity or health check replacement to complete and a cooldown period to end
//   before it responds to additional alarms";
// - "Scaling cooldowns for Amazon EC2 Auto Scaling" (ec2-auto-scaling-scaling-cooldowns): "After your
//   Auto Scaling group launches or terminates instances, it waits for a cooldown period to end before
//   any further scaling activities initiated by simple scaling policies can start", the period being
//   "the default cooldown or the scaling-policy-specific cooldown"; target tracking and step scaling
//   do not wait for it;
// - "Step and simple scaling policies" (as-scaling-simple-step, #as-scaling-adjustment): the adjustment
//   types, the rounding of percent changes and MinAdjustmentMagnitude, applied by step-scaling.ts's
//   `applyAdjustment`, which step scaling uses too;
// - CloudWatch "Using Amazon CloudWatch alarms": Period, EvaluationPeriods, DatapointsToAlarm, evaluated
//   period by period in ../aws-alarm.ts (shared with step scaling).
import { alarmSpan, type SimpleScaling, type SimpleScalingPolicy } from '../../schemas/aws-policies.js';
import type { SIMPLE_SCALING_CODES } from '../../schemas/codes.js';
import type { SimpleScalingResult, SimpleScalingTrace } from '../../schemas/decision.js';
import { isoUtc } from '../../syntax/duration.js';
import type { Point } from '../metrics.js';
import type { Proposal } from '../pipeline/recommendation.js';
import { evaluateAlarm } from '../aws-alarm.js';
import { applyAdjustment, COMPARISON_TEXT } from '../step-scaling.js';
import type { Policy } from './policy.js';

type SimpleScalingCode = (typeof SIMPLE_SCALING_CODES)[number];

/** The group's last scaling activity, as the decision state records it. */
interface LastActivity {
  at: number;
  rule: string | null;
}

export interface SimpleScalingInput {
  points: readonly Point[];
  now: number;
  current: number;
  last?: LastActivity;
  /** The cooldown (ms) the last activity started: its simple policy's own, else the group's default. */
  cooldownMs: number;
}

/**
 * One simple scaling policy at `now`: the alarm over its periods; when in ALARM and no cooldown holds,
 * the adjustment applied to the current capacity. Bounds are the pipeline's (governors/clamp.ts).
 */
export function evaluateSimpleScaling(policy: SimpleScalingPolicy, input: SimpleScalingInput): SimpleScalingResult {
  const span = alarmSpan(policy);
  const { periods, breachingPeriods, state } = evaluateAlarm(policy, span, input.points, input.now);
  const { toAlarm, periods: n } = span;
  const cmp = `${policy.metric} ${COMPARISON_TEXT[policy.comparison]} ${policy.threshold}`;
  if (state === 'INSUFFICIENT_DATA') {
    return {
      fired: false,
      periods,
      breachingPeriods,
      code: 'MissingData',
      message: `metric "${policy.metric}" has no data in the alarm's ${n} period(s), so the alarm has insufficient data`,
    };
  }
  if (state === 'OK') {
    return {
      fired: false,
      periods,
      breachingPeriods,
      code: 'AlarmNotBreached',
      message: `the alarm is not breached: ${cmp} in ${breachingPeriods} of ${n} period(s), ${toAlarm} needed`,
    };
  }
  const fired = `the alarm fired (${cmp} in ${breachingPeriods} of ${n} period(s))`;
  const { last } = input;
  if (last !== undefined && input.now < last.at + input.cooldownMs) {
    const until = isoUtc(last.at + input.cooldownMs);
    const by = last.rule === null ? 'the last scaling activity' : `the activity of ${last.rule}`;
    return {
      fired: true,
      periods,
      breachingPeriods,
      cooldown: { until, startedBy: last.rule, seconds: input.cooldownMs / 1000 },
      code: 'CooldownActive',
      message: `${fired} but the cooldown after ${by} lasts until ${until}, so the policy does not respond`,
    };
  }
  const adjustment = applyAdjustment(policy.adjustmentType, policy.scalingAdjustment, input.current, policy.minAdjustmentMagnitude);
  const next = adjustment.wanted;
  const code: SimpleScalingCode = next > input.current ? 'ScaleOut' : next < input.current ? 'ScaleIn' : 'NoChange';
  return { fired: true, periods, breachingPeriods, adjustment, newCapacity: next, code, message: `${fired}; ${adjustment.how}; capacity ${input.current} → ${next}` };
}

export interface CompiledSimpleScaling {
  readonly spec: SimpleScaling;
  /** Each policy's cooldown in ms, by id. */
  readonly cooldownMs: ReadonlyMap<string, number>;
  readonly defaultCooldownMs: number;
}

export const simpleScalingPolicy: Policy<CompiledSimpleScaling> = {
  kind: 'simpleScaling',
  compile(spec) {
    const s = spec.simpleScaling;
    if (s === undefined) return undefined;
    const defaultCooldownMs = s.defaultCooldown * 1000;
    return { spec: s, defaultCooldownMs, cooldownMs: new Map(s.policies.map((p) => [p.id, (p.policy.cooldown ?? s.defaultCooldown) * 1000])) };
  },
  metrics: ({ spec }) => spec.policies.map((p) => p.policy.metric),
  // An alarm reads evaluationPeriods periods of periodSeconds.
  lookbackMs: ({ spec }) =>
    Math.max(
      0,
      ...spec.policies.map(({ policy }) => {
        const { periodMs, periods } = alarmSpan(policy);
        return periodMs * periods;
      }),
    ),
  recommend(compiled, ctx) {
    const { series, now, bounded: current } = ctx;
    const lastScale = ctx.cooldown.lastScale;
    const last = lastScale && { at: lastScale.at, rule: lastScale.rule };
    // The cooldown in effect is the one the last activity started: a simple policy's own, else the group's default.
    const cooldownMs = (last?.rule !== undefined && last.rule !== null ? compiled.cooldownMs.get(last.rule) : undefined) ?? compiled.defaultCooldownMs;
    const proposals: Proposal[] = [];
    const missing: string[] = [];
    const trace: SimpleScalingTrace[] = [];
    for (const { id, policy } of compiled.spec.policies) {
      const result = evaluateSimpleScaling(policy, { points: series.get(policy.metric) ?? [], now, current, ...(last && { last }), cooldownMs });
      if (result.code === 'MissingData') missing.push(policy.metric);
      trace.push({ id, result });
      if (result.newCapacity !== undefined)
        proposals.push({ source: 'simpleScaling', id, capacity: result.newCapacity, message: result.message, label: `simple scaling policy ${id}` });
    }
    return { kind: 'simpleScaling', proposals, missing, trace };
  },
};
