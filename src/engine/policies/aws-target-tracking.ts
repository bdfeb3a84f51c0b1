// AWS target tracking as AWS runs it: AlarmHigh and AlarmLow over 1-minute datapoints, proportional scale-out, conservative scale-in, warm-up and cooldowns.
//
// Sources:
// - EC2 Auto Scaling User Guide, "Target tracking scaling policies" (as-scaling-target-tracking):
//   "Amazon EC2 Auto Scaling creates and manages the CloudWatch alarms that trigger the scaling policy
//   and calculates the scaling adjustment based on the metric and the target value"; "we act
//   conservatively by rounding up or down … adding 1.5 instances … we round up and add two …
//   removing 1.5 instances … we remove just one"; "scales out proportionally to the metric as fast as
//   it can, but scales in more gradually"; several policies: "scale out … if any … are ready for scale
//   out, but will scale in only if all of the target tracking policies (with the scale-in portion
//   enabled) are ready to scale in"; warm-up: "Until its specified warm-up time has expired, an
//   instance is not counted toward the aggregated metrics"; "While scaling out, we do not consider
//   instances that are warming up as part of the current capacity"; "A scale-in activity can't start
//   while a scale-out activity is in progress".
// - "Set the default instance warmup" (ec2-auto-scaling-default-instance-warmup): warming instances
//   "are counted as part of the desired capacity for the next scale-out activity"; "This blocks
//   scale-in activities initiated by scaling policies until the instances finish warming up".
// - Application Auto Scaling User Guide, "Target tracking scaling policies", "Cooldown period": after a
//   scale-out "the scaling policy won't increase the desired capacity again unless either a larger scale
//   out is triggered or the cooldown period ends. While the scale-out cooldown period is in effect, the
//   capacity added by the initiating scale-out activity is calculated as part of the desired capacity
//   for the next scale-out activity"; after a scale-in "scale-in activities are blocked until the
//   cooldown period has expired. However, if another alarm triggers a scale-out activity during the
//   scale-in cooldown period, Application Auto Scaling scales out the target immediately"; "Supporting
//   application availability during high utilization periods": capacity is removed "only when
//   utilization passes a threshold that is far enough below the target value (usually more than 10%
//   lower)".
// - The alarms AWS creates for a policy (as exported from real accounts, e.g. a terraformer export of
//   "TargetTracking-…-AlarmHigh-…" / "-AlarmLow-…": GreaterThanThreshold at the target over 3
//   periods of 60 s; LessThanThreshold at 90 % of it (63 for 70, 72 for 80) over 15 periods of 60 s;
//   Average; TreatMissingData missing).
// Where AWS is silent (docs/aws-policies.md, "AWS target tracking"): the newest period's average sizes
// the change; desired = ⌈base × value ÷ target⌉ both ways (for a whole base, ⌈exact⌉ is "add 1.5 →
// add 2" and "remove 1.5 → remove 1"); a period without data does not breach; during a scale-out
// cooldown the base is the capacity before the scale-out that started it.
import { isoUtc } from '../../syntax/duration.js';
import type { Direction } from '../../schema.js';
import { DEFAULT_PERIOD_SECONDS } from '../../schemas/aws-policies.js';
import type { AwsTargetTracking, AwsTargetTrackingPolicy, AwsTargetTrackingTrace } from '../../schemas/aws-target-tracking.js';
import type { AWS_TARGET_TRACKING_CODES } from '../../schemas/codes.js';
import type { Point } from '../metrics.js';
import type { Proposal } from '../pipeline/recommendation.js';
import { clean } from '../step-scaling.js';
import type { Policy } from './policy.js';
import { warmupView } from './step-scaling.js';

type Code = (typeof AWS_TARGET_TRACKING_CODES)[number];

/** AlarmHigh: the metric above the target in 3 consecutive periods (as AWS creates it). */
const HIGH_ALARM_PERIODS = 3;
/** AlarmLow: the metric below SCALE_IN_RATIO × target in 15 consecutive periods. */
const LOW_ALARM_PERIODS = 15;
/** AlarmLow's threshold as a fraction of the target ("usually more than 10% lower"). */
const SCALE_IN_RATIO = 0.9;

/** The group's last scaling activity, as the decision state records it. */
interface LastActivity {
  at: number;
  direction: Direction;
  rule: string | null;
  from: number;
  to: number;
}

export interface AwsTrackingInput {
  /** The metric's points, those of warming instances already left out. */
  points: readonly Point[];
  now: number;
  /** The desired capacity: the target's capacity, warming instances included. */
  desired: number;
  /** Ids of the instances still warming up. */
  warming: readonly string[];
  /** The capacity in service (inServiceOf): absent, the desired capacity less one per warming instance. */
  inService?: number;
  last?: LastActivity;
}

export interface AwsTrackingResult {
  trace: AwsTargetTrackingTrace;
  /** What the policy asks for: a capacity, or nothing (it takes no part). */
  proposal?: number;
  missing: boolean;
}

/** Each period's Average, newest first: period k is (now − (k+1)·P, now − k·P]; null without data. */
function periodAverages(points: readonly Point[], now: number, periodMs: number, n: number): Array<number | null> {
  const sums = new Array<number>(n).fill(0);
  const counts = new Array<number>(n).fill(0);
  for (const p of points) {
    const d = now - p.t;
    if (d < 0 || d >= n * periodMs) continue;
    const k = Math.floor(d / periodMs);
    sums[k]! += p.v;
    counts[k]! += 1;
  }
  return sums.map((s, i) => (counts[i] === 0 ? null : clean(s / counts[i]!)));
}

/** ⌈base × value ÷ target⌉, after the floating-point noise is rounded away. */
const proportional = (base: number, value: number, target: number) => Math.max(0, Math.ceil(clean((base * value) / target)));

/** One policy at `now`: its alarms, then what it asks for. */
export function evaluateAwsTargetTracking(policy: AwsTargetTrackingPolicy, input: AwsTrackingInput): AwsTrackingResult {
  const periodMs = (policy.periodSeconds ?? DEFAULT_PERIOD_SECONDS) * 1000;
  const { now, desired, last } = input;
  const target = policy.targetValue;
  const lowThreshold = clean(target * SCALE_IN_RATIO);
  const lowPeriods = periodAverages(input.points, now, periodMs, LOW_ALARM_PERIODS);
  const highPeriods = lowPeriods.slice(0, HIGH_ALARM_PERIODS);
  // Every datapoint of the alarm breaches (DatapointsToAlarm = EvaluationPeriods).
  const highAlarm = highPeriods.every((v) => v !== null && v > target);
  const lowAlarm = lowPeriods.every((v) => v !== null && v < lowThreshold);
  const value = lowPeriods.find((v) => v !== null) ?? undefined;
  const inService = Math.min(desired, input.inService ?? Math.max(0, desired - input.warming.length));
  const mine = last !== undefined && last.rule === policy.id;
  const base = {
    id: policy.id,
    metric: policy.metric,
    targetValue: target,
    ...(value !== undefined && { value }),
    high: { threshold: target, periods: highPeriods, inAlarm: highAlarm },
    low: { threshold: lowThreshold, periods: lowPeriods, inAlarm: lowAlarm },
    desired,
    inService,
    ...(input.warming.length > 0 && { warming: [...input.warming] }),
  };
  const done = (code: Code, message: string, proposal: number | undefined, extra: { base?: number; wanted?: number } = {}): AwsTrackingResult => ({
    trace: { ...base, ...extra, code, message },
    ...(proposal !== undefined && { proposal }),
    missing: code === 'InsufficientData',
  });
  const scaleIn = policy.disableScaleIn !== true;
  // A policy with scale-in enabled that is not ready to scale in holds the others' scale-in.
  const holdIfVoting = scaleIn ? desired : undefined;
  const vs = `${policy.metric} ${value} vs target ${target}`;

  if (value === undefined) {
    return done(
      'InsufficientData',
      `${policy.metric} has no datapoint in the last ${LOW_ALARM_PERIODS} periods: the alarms have insufficient data, so the policy neither scales out nor in`,
      undefined,
    );
  }
  if (highAlarm) {
    // Scale-out cooldown (Application Auto Scaling): the capacity this policy's scale-out added counts
    // toward the desired capacity, so the proportional formula starts from the capacity before it.
    const cooling = mine && last.direction === 'out' && policy.scaleOutCooldown !== undefined && now < last.at + policy.scaleOutCooldown * 1000;
    const from = cooling ? Math.min(last.from, inService) : inService;
    if (from === 0) return done('NoCapacity', `AlarmHigh is in ALARM (${vs}) but there is no capacity in service to scale proportionally`, desired);
    const wanted = proportional(from, value, target);
    const how = `AlarmHigh is in ALARM (${policy.metric} > ${target} in ${HIGH_ALARM_PERIODS} periods); ⌈${from} × ${value} ÷ ${target}⌉ = ${wanted}`;
    const why = cooling
      ? ` (from ${from}, the capacity before this policy's scale-out at ${isoUtc(last.at)}: its ScaleOutCooldown lasts until ${isoUtc(last.at + policy.scaleOutCooldown! * 1000)})`
      : inService < desired
        ? ` (${desired - inService} of the desired ${desired} not yet in service)`
        : '';
    if (wanted > desired) return done('ScaleOut', `${how}${why}; scale out ${desired} → ${wanted}`, wanted, { base: from, wanted });
    return done('DesiredAlreadyCovers', `${how}${why}, which the desired capacity ${desired} already covers`, desired, { base: from, wanted });
  }
  if (!lowAlarm) return done('NoAlarm', `neither alarm is in ALARM (${vs}; AlarmLow below ${lowThreshold}), so the policy is not ready to scale`, holdIfVoting);
  const low = `AlarmLow is in ALARM (${policy.metric} < ${lowThreshold} in ${LOW_ALARM_PERIODS} periods)`;
  if (!scaleIn) return done('ScaleInDisabled', `${low} but scale-in is disabled for this policy, which takes no part in scale-in`, undefined);
  if (input.warming.length > 0 || inService < desired) {
    const what = input.warming.length > 0 ? `${input.warming.length} instance(s) are still warming up` : `only ${inService} of the desired ${desired} are in service`;
    return done('WarmingBlocksScaleIn', `${low} but ${what}, which blocks scale-in`, desired);
  }
  if (mine && last.direction === 'in' && policy.scaleInCooldown !== undefined && now < last.at + policy.scaleInCooldown * 1000)
    return done(
      'ScaleInCooldown',
      `${low} but this policy's ScaleInCooldown after its scale-in at ${isoUtc(last.at)} lasts until ${isoUtc(last.at + policy.scaleInCooldown * 1000)}`,
      desired,
    );
  const wanted = Math.min(desired, proportional(inService, value, target));
  const how = `${low}; ⌈${inService} × ${value} ÷ ${target}⌉ = ${wanted}`;
  if (wanted >= desired) return done('NoChange', `${how}, no fewer than ${desired}`, desired, { base: inService, wanted });
  return done('ScaleIn', `${how} (removing a fraction of an instance rounds down); scale in ${desired} → ${wanted}`, wanted, { base: inService, wanted });
}

export interface CompiledAwsTargetTracking {
  readonly spec: AwsTargetTracking;
}

export const awsTargetTrackingPolicy: Policy<CompiledAwsTargetTracking> = {
  kind: 'awsTargetTracking',
  compile(spec) {
    return spec.awsTargetTracking === undefined ? undefined : { spec: spec.awsTargetTracking };
  },
  metrics: ({ spec }) => spec.policies.map((p) => p.metric),
  lookbackMs: ({ spec }) => Math.max(0, ...spec.policies.map((p) => (p.periodSeconds ?? DEFAULT_PERIOD_SECONDS) * 1000 * LOW_ALARM_PERIODS)),
  recommend({ spec }, ctx) {
    const proposals: Proposal[] = [];
    const missing: string[] = [];
    const trace: AwsTargetTrackingTrace[] = [];
    const last = ctx.cooldown.lastScale;
    for (const policy of spec.policies) {
      const warmupMs = policy.warmupSeconds === undefined ? undefined : policy.warmupSeconds * 1000;
      const { warming, points, inService } = warmupView(ctx, warmupMs, ctx.series.get(policy.metric) ?? []);
      const r = evaluateAwsTargetTracking(policy, { points, now: ctx.now, desired: ctx.bounded, warming: [...warming].sort(), inService, ...(last && { last }) });
      trace.push(r.trace);
      if (r.missing) missing.push(policy.metric);
      if (r.proposal !== undefined)
        proposals.push({ source: 'awsTargetTracking', id: policy.id, capacity: r.proposal, message: r.trace.message, label: `target tracking policy ${policy.id}` });
    }
    return { kind: 'awsTargetTracking', proposals, missing, trace };
  },
};
