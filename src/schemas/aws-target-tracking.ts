// zod schema for AWS target tracking as AWS runs it (src/engine/policies/aws-target-tracking.ts): the policies, each with its warm-up or cooldowns.
//
// Sources: Amazon EC2 Auto Scaling User Guide, "Target tracking scaling policies"
// (as-scaling-target-tracking) and "Set the default instance warmup"
// (ec2-auto-scaling-default-instance-warmup); Application Auto Scaling User Guide, "Target tracking
// scaling policies" (application-auto-scaling-target-tracking), "Cooldown period"; API
// PutScalingPolicy (EstimatedInstanceWarmup) and TargetTrackingScalingPolicyConfiguration
// (TargetValue, DisableScaleIn, ScaleOutCooldown, ScaleInCooldown).
import { z } from 'zod';
import { AWS_TARGET_TRACKING_CODES } from './codes.js';
import { MAX_COOLDOWN_SECONDS, MAX_SCALING_POLICIES, MAX_WARMUP_SECONDS, MetricName, PolicyId } from './aws-policies.js';

const Seconds = (max: number) => z.number().int().min(0).max(max);

export const AwsTargetTrackingPolicy = z
  .strictObject({
    id: PolicyId,
    metric: MetricName.meta({ description: "The tracked metric: a key of the target's `metrics`, as per-instance values." }),
    targetValue: z.number().positive().finite().meta({ description: 'TargetValue: AlarmHigh fires above it, AlarmLow below 90 % of it.' }),
    disableScaleIn: z.boolean().optional().meta({ description: 'DisableScaleIn: the policy never removes capacity and takes no part in the scale-in vote.' }),
    periodSeconds: z
      .number()
      .int()
      .min(10)
      .max(3600)
      .optional()
      .meta({ description: "Period of the alarms' datapoints (default 60: AWS creates its alarms on 1-minute periods)." }),
    warmupSeconds: Seconds(MAX_WARMUP_SECONDS)
      .optional()
      .meta({
        description:
          "EC2 EstimatedInstanceWarmup (or the group's DefaultInstanceWarmup): instances of the target's `instances` created less than this " +
          'many seconds ago are warming up — their points are left out, they count toward the desired capacity but not the in-service one, and scale-in waits.',
      }),
    scaleOutCooldown: Seconds(MAX_COOLDOWN_SECONDS)
      .optional()
      .meta({ description: 'Application Auto Scaling ScaleOutCooldown: after this policy scaled out, a further scale-out counts from the capacity before it.' }),
    scaleInCooldown: Seconds(MAX_COOLDOWN_SECONDS)
      .optional()
      .meta({ description: 'Application Auto Scaling ScaleInCooldown: after this policy scaled in, it does not scale in again until this has passed.' }),
  })
  .meta({ description: 'One AWS target tracking policy, run with AWS\'s alarms (docs/aws-policies.md, "AWS target tracking").' });

export const AwsTargetTracking = z
  .strictObject({ policies: z.array(AwsTargetTrackingPolicy).min(1).max(MAX_SCALING_POLICIES) })
  .superRefine((v, ctx) => {
    const ids = new Set<string>();
    const metrics = new Set<string>();
    v.policies.forEach((p, i) => {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: ['policies', i, 'id'], message: `policy id "${p.id}" is used twice` });
      // as-scaling-target-tracking: "provided that each of them uses a different metric".
      if (metrics.has(p.metric))
        ctx.addIssue({ code: 'custom', path: ['policies', i, 'metric'], message: `metric "${p.metric}" is tracked twice; each target tracking policy uses a different metric` });
      ids.add(p.id);
      metrics.add(p.metric);
    });
  })
  .meta({ description: 'AWS target tracking policies run as AWS runs them: AlarmHigh, AlarmLow, warm-up and cooldowns.' });

/** One of the policy's two alarms: its threshold, its periods' averages (newest first) and whether it is in ALARM. */
const AlarmTrace = z.object({ threshold: z.number(), periods: z.array(z.number().nullable()), inAlarm: z.boolean() });

export const AwsTargetTrackingTraceSchema = z
  .object({
    id: z.string(),
    metric: z.string(),
    targetValue: z.number(),
    value: z.number().optional().meta({ description: "The newest period's average, which sizes the change." }),
    high: AlarmTrace,
    low: AlarmTrace,
    desired: z.number().int(),
    inService: z.number().int(),
    warming: z.array(z.string()).optional(),
    base: z.number().int().optional().meta({ description: 'The capacity the proportional formula multiplied.' }),
    wanted: z.number().int().optional(),
    code: z.enum(AWS_TARGET_TRACKING_CODES),
    message: z.string(),
  })
  .meta({ description: "One AWS target tracking policy: its alarms' periods (newest first), capacities and outcome." });

export type AwsTargetTracking = z.infer<typeof AwsTargetTracking>;
export type AwsTargetTrackingPolicy = z.infer<typeof AwsTargetTrackingPolicy>;
export type AwsTargetTrackingTrace = z.infer<typeof AwsTargetTrackingTraceSchema>;
