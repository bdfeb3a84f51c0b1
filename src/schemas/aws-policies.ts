// zod schemas for AWS EC2 Auto Scaling step, simple and target tracking policies, shaped as AWS documents them.
//
// Sources (Amazon EC2 Auto Scaling User Guide and API Reference):
// - "Step and simple scaling policies" (as-scaling-simple-step), sections "Step adjustments for step
//   scaling" and "Scaling adjustment types";
// - API Reference "StepAdjustment" and "PutScalingPolicy";
// - "Target tracking scaling policies" (as-scaling-target-tracking), section "Considerations";
// - "Quotas for Amazon EC2 Auto Scaling" (20 step adjustments per step scaling policy);
// - "Scaling cooldowns for Amazon EC2 Auto Scaling" (Cooldown) and API CreateAutoScalingGroup
//   DefaultCooldown, for simple scaling; CloudWatch "Using Amazon CloudWatch alarms" (Period,
//   EvaluationPeriods, DatapointsToAlarm) for the alarm that invokes it, shared with step scaling rules
//   (EvaluationPeriods, DatapointsToAlarm, checkAlarmSpan).
// The range rules AWS enforces on step adjustments live here in `validateStepAdjustments`, so the
// engine (src/engine/step-scaling.ts) and the schema apply one implementation.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { STEP_ISSUE_CODES } from './codes.js';

/** "Step adjustments per step scaling policy: 20" (Quotas for Amazon EC2 Auto Scaling; cannot be changed). */
const MAX_STEP_ADJUSTMENTS = 20;

/** "Scaling policies per Auto Scaling group: 50" (same quota table); bounds a list of target-tracking policies. */
export const MAX_SCALING_POLICIES = 50;

export const MetricName = z
  .string()
  .min(1)
  .max(LIMITS.idLength)
  .meta({ description: 'Metric name: a key of the target\'s `metrics`.' });

/** CloudWatch alarm comparison operators that make sense for a static threshold. */
export const AlarmComparison = z
  .enum(['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'])
  .meta({ description: 'CloudWatch alarm ComparisonOperator: when the alarm is in ALARM and so invokes the policy.' });

/** CloudWatch statistics an alarm can use on its data points. */
export const AlarmStatistic = z
  .enum(['Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount'])
  .meta({
    description:
      'CloudWatch statistic that reduces the metric points given for this policy to the one value compared with the ' +
      'threshold (only used when points, not a single value, are given). Default Average.',
  });

export const AdjustmentType = z
  .enum(['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'])
  .meta({
    description:
      'How ScalingAdjustment is read (as-scaling-adjustment): add/remove that many units, set capacity to it, or ' +
      'add/remove that percent of the current capacity (rounded as AWS rounds).',
  });

const Bound = z.number().nullable().optional();

export const StepAdjustment = z
  .strictObject({
    metricIntervalLowerBound: Bound.meta({
      description:
        'Lower bound of (metric − threshold). Inclusive when the metric is above the threshold, exclusive when below ' +
        '(API StepAdjustment). Absent or null means negative infinity.',
    }),
    metricIntervalUpperBound: Bound.meta({
      description:
        'Upper bound of (metric − threshold). Exclusive when the metric is above the threshold, inclusive when below ' +
        '(API StepAdjustment). Absent or null means positive infinity. Must be greater than the lower bound.',
    }),
    scalingAdjustment: z.number().int().meta({
      description:
        'Amount to scale by, read with adjustmentType. Positive adds, negative removes; for ExactCapacity a ' +
        'non-negative capacity.',
    }),
  })
  .meta({ description: 'AWS StepAdjustment: a range of breach sizes and the adjustment made when the breach falls in it.' });

// ---------------------------------------------------------------------------------------------
// Step adjustment validation (as-scaling-steps; API StepAdjustment)

export type StepIssueCode = (typeof STEP_ISSUE_CODES)[number];

export interface StepIssue {
  code: StepIssueCode;
  message: string;
  /** Where in the policy, e.g. "stepAdjustments[1].metricIntervalLowerBound". */
  path: string;
  /** The same place as path segments, for zod issues. */
  segments: Array<string | number>;
}

/** The shape validated and matched: bounds may be absent or null (both mean unbounded), as AWS accepts. */
export type StepLike = Pick<StepAdjustment, 'metricIntervalLowerBound' | 'metricIntervalUpperBound' | 'scalingAdjustment'>;

const LOWER = 'metricIntervalLowerBound';
const UPPER = 'metricIntervalUpperBound';

function at(segments: Array<string | number>): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function issue(code: StepIssueCode, message: string, ...segments: Array<string | number>): StepIssue {
  const full = ['stepAdjustments', ...segments];
  return { code, message, path: at(full), segments: full };
}

export const isSet = (b: number | null | undefined): b is number => b !== null && b !== undefined;

/**
 * The rules AWS enforces on a policy's step adjustments (as-scaling-steps; API StepAdjustment):
 * ranges neither overlap nor leave a gap; at most one null lower bound and one null upper bound; a
 * negative lower bound needs a step with a null lower bound, a positive upper bound one with a null
 * upper bound; no step has both bounds null; the upper bound is above the lower bound; ExactCapacity
 * adjustments are non-negative; at most 20 steps. Returns every problem found, each with its path.
 */
export function validateStepAdjustments(steps: readonly StepLike[], adjustmentType?: AdjustmentType): StepIssue[] {
  const issues: StepIssue[] = [];
  if (steps.length === 0) {
    return [{ code: 'NoStepAdjustments', message: 'a step scaling policy needs at least one step adjustment', path: 'stepAdjustments', segments: ['stepAdjustments'] }];
  }
  if (steps.length > MAX_STEP_ADJUSTMENTS) {
    issues.push({
      code: 'TooManyStepAdjustments',
      message: `${steps.length} step adjustments; AWS allows at most ${MAX_STEP_ADJUSTMENTS} per policy`,
      path: 'stepAdjustments',
      segments: ['stepAdjustments'],
    });
  }

  // Steps whose own bounds are sound take part in the overlap/gap check.
  const sound: Array<{ index: number; lower: number; upper: number }> = [];
  let nullLower: number | undefined;
  let nullUpper: number | undefined;
  let negativeLower: number | undefined;
  let positiveUpper: number | undefined;

  steps.forEach((step, i) => {
    const lower = step.metricIntervalLowerBound;
    const upper = step.metricIntervalUpperBound;
    let ok = true;
    for (const [key, value] of [[LOWER, lower], [UPPER, upper]] as const) {
      if (isSet(value) && !Number.isFinite(value)) {
        issues.push(issue('InvalidNumber', `${key} must be a finite number or null`, i, key));
        ok = false;
      }
    }
    if (!Number.isInteger(step.scalingAdjustment)) {
      issues.push(issue('InvalidNumber', 'scalingAdjustment must be an integer', i, 'scalingAdjustment'));
    } else if (adjustmentType === 'ExactCapacity' && step.scalingAdjustment < 0) {
      issues.push(issue('NegativeExactCapacity', `scalingAdjustment ${step.scalingAdjustment} is negative; for exact capacity, you must specify a non-negative value`, i, 'scalingAdjustment'));
    }
    if (!ok) return;

    if (!isSet(lower) && !isSet(upper)) {
      issues.push(issue('BothBoundsNull', 'the upper and lower bound can\'t be null in the same step adjustment', i));
      return;
    }
    if (isSet(lower) && isSet(upper) && !(upper > lower)) {
      issues.push(issue('UpperNotAboveLower', `upper bound ${upper} must be greater than lower bound ${lower}`, i, UPPER));
      return;
    }
    if (!isSet(lower)) {
      if (nullLower !== undefined) {
        issues.push(issue('MultipleUnboundedLower', `only one step adjustment can have a null lower bound (step ${nullLower} already has one)`, i, LOWER));
      } else nullLower = i;
    } else if (lower < 0 && negativeLower === undefined) negativeLower = i;
    if (!isSet(upper)) {
      if (nullUpper !== undefined) {
        issues.push(issue('MultipleUnboundedUpper', `only one step adjustment can have a null upper bound (step ${nullUpper} already has one)`, i, UPPER));
      } else nullUpper = i;
    } else if (upper > 0 && positiveUpper === undefined) positiveUpper = i;
    sound.push({ index: i, lower: isSet(lower) ? lower : -Infinity, upper: isSet(upper) ? upper : Infinity });
  });

  if (negativeLower !== undefined && nullLower === undefined) {
    issues.push(issue('MissingUnboundedLower', `step ${negativeLower} has a negative lower bound, so a step adjustment with a null lower bound is required`, negativeLower, LOWER));
  }
  if (positiveUpper !== undefined && nullUpper === undefined) {
    issues.push(issue('MissingUnboundedUpper', `step ${positiveUpper} has a positive upper bound, so a step adjustment with a null upper bound is required`, positiveUpper, UPPER));
  }

  // Ordered by lower bound, each range must start exactly where the previous one ends.
  const ordered = [...sound].sort((a, b) => a.lower - b.lower || a.upper - b.upper);
  for (let k = 1; k < ordered.length; k++) {
    const prev = ordered[k - 1]!;
    const next = ordered[k]!;
    const end = (x: number) => (x === Infinity ? '+∞' : x === -Infinity ? '−∞' : String(x));
    const range = (s: { lower: number; upper: number }) => `(${end(s.lower)} to ${end(s.upper)})`;
    if (prev.upper > next.lower) {
      issues.push(issue('StepsOverlap', `step ${next.index} ${range(next)} overlaps step ${prev.index} ${range(prev)}; the ranges of step adjustments can't overlap`, next.index));
    } else if (prev.upper < next.lower) {
      issues.push(issue('StepsGap', `there is a gap between step ${prev.index} (ends at ${prev.upper}) and step ${next.index} (starts at ${next.lower}); the ranges of step adjustments can't have a gap`, next.index));
    }
  }
  return issues;
}


export const StepScalingPolicy = z
  .strictObject({
    metric: MetricName,
    statistic: AlarmStatistic.optional(),
    threshold: z.number().meta({ description: 'The CloudWatch alarm threshold; breach = metric value − threshold.' }),
    comparison: AlarmComparison,
    adjustmentType: AdjustmentType,
    stepAdjustments: z
      .array(StepAdjustment)
      .min(1)
      .max(MAX_STEP_ADJUSTMENTS)
      .meta({ description: `1 to ${MAX_STEP_ADJUSTMENTS} step adjustments whose ranges neither overlap nor leave a gap.` }),
    minAdjustmentMagnitude: z
      .number()
      .int()
      .min(0)
      .optional()
      .meta({
        description:
          'Smallest number of capacity units a PercentChangeInCapacity step changes by (as-scaling-adjustment). ' +
          'Ignored for the other adjustment types.',
      }),
  })
  .superRefine((policy, ctx) => {
    for (const issue of validateStepAdjustments(policy.stepAdjustments, policy.adjustmentType)) {
      // The array's own min/max already reported these two; the rest are the range rules.
      if (issue.code === 'NoStepAdjustments' || issue.code === 'TooManyStepAdjustments') continue;
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.segments, params: { awsCode: issue.code } });
    }
  })
  .meta({
    description:
      'AWS EC2 Auto Scaling step scaling policy together with the CloudWatch alarm that invokes it (metric, ' +
      'statistic, threshold, comparison).',
  });

export const TargetTrackingPolicy = z
  .strictObject({
    metric: MetricName.meta({
      description:
        'Metric name. Its points are averaged (the mean of the values given, e.g. one per instance, as ' +
        'ASGAverageCPUUtilization is the average over the group\'s instances) before comparing with the target.',
    }),
    targetValue: z
      .number()
      .positive()
      .meta({ description: 'Value of the metric the policy keeps the group at or close to (TargetValue).' }),
    disableScaleIn: z
      .boolean()
      .optional()
      .meta({ description: 'When true the policy only scales out; it neither scales in nor blocks other policies\' scale-in.' }),
  })
  .meta({ description: 'AWS EC2 Auto Scaling target tracking scaling policy (TargetTrackingConfiguration).' });

/** Several target-tracking policies on one group: AWS requires "each of them uses a different metric". */
export const TargetTrackingPolicies = z
  .array(TargetTrackingPolicy)
  .max(MAX_SCALING_POLICIES)
  .superRefine((policies, ctx) => {
    const seen = new Map<string, number>();
    policies.forEach((p, i) => {
      const first = seen.get(p.metric);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `metric "${p.metric}" is already tracked by policy ${first}; each target tracking policy must use a different metric`,
          path: [i, 'metric'],
        });
      } else {
        seen.set(p.metric, i);
      }
    });
  });

/**
 * The group's DefaultCooldown when none is set: "Default: 300 seconds" (API CreateAutoScalingGroup,
 * DefaultCooldown: "The amount of time, in seconds, between one scaling activity ending and another
 * one starting due to simple scaling policies").
 */
export const DEFAULT_COOLDOWN_SECONDS = 300;

/** CloudWatch's default alarm period for a metric of standard resolution (one data point a minute). */
export const DEFAULT_PERIOD_SECONDS = 60;

/** CloudWatch alarms: "the number of evaluation periods times the period can't exceed one day" (86,400 s). */
const MAX_ALARM_SPAN_SECONDS = 86_400;

/** A cooldown longer than a day is not a cooldown; one day also bounds the state a decision has to keep. */
export const MAX_COOLDOWN_SECONDS = 86_400;

/** An instance warm-up longer than a day is beyond any instance's start; the same bound as the cooldown. */
export const MAX_WARMUP_SECONDS = 86_400;

/** CloudWatch EvaluationPeriods, shared by the simple and step scaling alarms. */
export const EvaluationPeriods = z
  .number()
  .int()
  .min(1)
  .max(MAX_ALARM_SPAN_SECONDS / 10)
  .meta({ description: 'CloudWatch EvaluationPeriods: how many of the latest periods the alarm looks at, each reduced with the statistic on its own. Default 1.' });

/** CloudWatch DatapointsToAlarm, shared by the simple and step scaling alarms. */
export const DatapointsToAlarm = z
  .number()
  .int()
  .min(1)
  .meta({ description: 'CloudWatch DatapointsToAlarm: how many of those periods must breach ("M out of N"). Default evaluationPeriods.' });

/**
 * CloudWatch's limits on an alarm's periods (PutMetricAlarm): DatapointsToAlarm ≤ EvaluationPeriods and
 * Period × EvaluationPeriods ≤ one day. `periodSeconds` is the alarm's Period.
 */
export function checkAlarmSpan(p: { evaluationPeriods?: number | undefined; datapointsToAlarm?: number | undefined }, periodSeconds: number, ctx: z.RefinementCtx, periodPath: string): void {
  const periods = p.evaluationPeriods ?? 1;
  if (p.datapointsToAlarm !== undefined && p.datapointsToAlarm > periods) {
    ctx.addIssue({ code: 'custom', path: ['datapointsToAlarm'], message: `datapointsToAlarm ${p.datapointsToAlarm} is above evaluationPeriods ${periods}` });
  }
  if (periodSeconds * periods > MAX_ALARM_SPAN_SECONDS) {
    ctx.addIssue({ code: 'custom', path: ['evaluationPeriods'], message: `${periodPath} × evaluationPeriods exceeds one day, which CloudWatch refuses` });
  }
}

export const SimpleScalingPolicy = z
  .strictObject({
    metric: MetricName,
    statistic: AlarmStatistic.optional(),
    threshold: z.number().meta({ description: 'The CloudWatch alarm threshold.' }),
    comparison: AlarmComparison,
    periodSeconds: z
      .number()
      .int()
      .min(10)
      .max(MAX_ALARM_SPAN_SECONDS)
      .optional()
      .meta({ description: `CloudWatch alarm Period: the seconds each evaluated data point covers. Default ${DEFAULT_PERIOD_SECONDS}.` }),
    evaluationPeriods: EvaluationPeriods.optional(),
    datapointsToAlarm: DatapointsToAlarm.optional(),
    adjustmentType: AdjustmentType,
    scalingAdjustment: z.number().int().meta({
      description: 'ScalingAdjustment, read with adjustmentType: positive adds, negative removes; for ExactCapacity a non-negative capacity.',
    }),
    minAdjustmentMagnitude: z.number().int().min(0).optional().meta({
      description: 'Smallest number of capacity units a PercentChangeInCapacity policy changes by. Ignored for the other adjustment types.',
    }),
    cooldown: z
      .number()
      .int()
      .min(0)
      .max(MAX_COOLDOWN_SECONDS)
      .optional()
      .meta({ description: 'Cooldown in seconds after an activity this policy started; defaults to the group\'s defaultCooldown.' }),
  })
  .superRefine((p, ctx) => {
    // API PutScalingPolicy / StepAdjustment: "For exact capacity, you must specify a non-negative value".
    if (p.adjustmentType === 'ExactCapacity' && p.scalingAdjustment < 0) {
      ctx.addIssue({ code: 'custom', path: ['scalingAdjustment'], message: `scalingAdjustment ${p.scalingAdjustment} is negative; for exact capacity, you must specify a non-negative value` });
    }
    checkAlarmSpan(p, p.periodSeconds ?? DEFAULT_PERIOD_SECONDS, ctx, 'periodSeconds');
  })
  .meta({
    description:
      'AWS EC2 Auto Scaling simple scaling policy with the CloudWatch alarm that invokes it. After any scaling activity ' +
      'of the group it waits for its cooldown before it responds again (Scaling cooldowns).',
  });

/** The simple scaling policy's alarm span: `periodSeconds` and `evaluationPeriods` with their defaults. */
export function alarmSpan(p: Pick<SimpleScalingPolicy, 'periodSeconds' | 'evaluationPeriods' | 'datapointsToAlarm'>): { periodMs: number; periods: number; toAlarm: number } {
  const periods = p.evaluationPeriods ?? 1;
  return { periodMs: (p.periodSeconds ?? DEFAULT_PERIOD_SECONDS) * 1000, periods, toAlarm: p.datapointsToAlarm ?? periods };
}

/** A policy's id, as traces and the cooldown state name it. */
export const PolicyId = z
  .string()
  .min(1)
  .max(LIMITS.idLength)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'ids use letters, digits and . _ : / - and start with a letter or digit');

const SimpleScalingRule = z
  .strictObject({
    id: PolicyId,
    policy: SimpleScalingPolicy,
  })
  .meta({ description: 'AWS simple scaling policy with its alarm; `id` names it in traces and in the cooldown state.' });

export const SimpleScaling = z
  .strictObject({
    defaultCooldown: z
      .number()
      .int()
      .min(0)
      .max(MAX_COOLDOWN_SECONDS)
      .default(DEFAULT_COOLDOWN_SECONDS)
      .meta({ description: `The group's DefaultCooldown in seconds (default ${DEFAULT_COOLDOWN_SECONDS}): the cooldown after an activity no simple policy with its own cooldown started.` }),
    policies: z.array(SimpleScalingRule).min(1).max(MAX_SCALING_POLICIES),
  })
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.policies.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['policies', i, 'id'], message: `policy id "${p.id}" is used twice` });
      seen.add(p.id);
    });
  })
  .meta({ description: 'AWS simple scaling policies of one group and the group\'s DefaultCooldown.' });

export type AlarmComparison = z.infer<typeof AlarmComparison>;
export type AlarmStatistic = z.infer<typeof AlarmStatistic>;
export type AdjustmentType = z.infer<typeof AdjustmentType>;
export type StepAdjustment = z.infer<typeof StepAdjustment>;
export type StepScalingPolicy = z.infer<typeof StepScalingPolicy>;
export type TargetTrackingPolicy = z.infer<typeof TargetTrackingPolicy>;
export type SimpleScalingPolicy = z.infer<typeof SimpleScalingPolicy>;
export type SimpleScaling = z.infer<typeof SimpleScaling>;
