// zod schemas for AWS EC2 Auto Scaling step scaling and target tracking policies, shaped as AWS documents them.
//
// Sources (Amazon EC2 Auto Scaling User Guide and API Reference):
// - "Step and simple scaling policies" (as-scaling-simple-step), sections "Step adjustments for step
//   scaling" and "Scaling adjustment types";
// - API Reference "StepAdjustment" and "PutScalingPolicy";
// - "Target tracking scaling policies" (as-scaling-target-tracking), section "Considerations";
// - "Quotas for Amazon EC2 Auto Scaling" (20 step adjustments per step scaling policy).
// The range rules AWS enforces on step adjustments live in `validateStepAdjustments`
// (src/engine/step-scaling.ts) so the engine and the schema apply one implementation.
import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { MAX_STEP_ADJUSTMENTS, validateStepAdjustments } from '../engine/step-scaling.js';

/** "Scaling policies per Auto Scaling group: 50" (same quota table); bounds a list of target-tracking policies. */
const MAX_SCALING_POLICIES = 50;

const MetricName = z
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

export type AlarmComparison = z.infer<typeof AlarmComparison>;
export type AlarmStatistic = z.infer<typeof AlarmStatistic>;
export type AdjustmentType = z.infer<typeof AdjustmentType>;
export type StepAdjustment = z.infer<typeof StepAdjustment>;
export type StepScalingPolicy = z.infer<typeof StepScalingPolicy>;
export type TargetTrackingPolicy = z.infer<typeof TargetTrackingPolicy>;
