// zod schemas for the Knative-style `kpa` policy (its settings, its trace, its part of the decision state).
//
// Sources (knative/serving, commit 98e5ef90aa7033797aa0a61ef97f3ff7e49a3944):
// - pkg/autoscaler/config/config.go: defaultConfig (every default below) and validate (every range);
// - pkg/apis/autoscaling/register.go: WindowMin/WindowMax, PanicWindowPercentageMin/Max,
//   PanicThresholdPercentageMin/Max, TargetMin;
// - pkg/apis/autoscaling/annotation_validation.go: target-utilization-percentage in [1, 100],
//   target-burst-capacity ≥ 0 or -1, scale-down-delay and retention in [0, 1h], activation-scale ≥ 2;
// - pkg/autoscaler/scaling/autoscaler.go: the panic state (panicTime, maxPanicPods) and the
//   scale-down delay window (aggregation/max), carried here in the decision state.
import { z } from 'zod';
import { parseIsoDuration, toEpochMs } from '../syntax/duration.js';
import { INT32_MAX } from '../syntax/int32.js';
import { LIMITS } from '../limits.js';
import { KPA_CODES, KPA_METRICS, KPA_MODES } from './codes.js';

// ---------------------------------------------------------------------------------------------
// Constants (each with where Knative defines it)

/** config.go defaultConfig: Knative's cluster defaults (config-autoscaler). */
export const KPA_DEFAULTS = {
  containerConcurrencyTargetDefault: 100,
  requestsPerSecondTargetDefault: 200,
  targetUtilizationPercentage: 70,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  targetBurstCapacity: 211,
  panicWindowPercentage: 10,
  panicThresholdPercentage: 200,
  stableWindow: 'PT60S',
  scaleToZeroGracePeriod: 'PT30S',
  scaleToZeroPodRetentionPeriod: 'PT0S',
  scaleDownDelay: 'PT0S',
  initialScale: 1,
} as const;

/** register.go WindowMin / WindowMax: the stable window's range (config.go validate). */
export const KPA_WINDOW_MIN_MS = 6_000;
export const KPA_WINDOW_MAX_MS = 3_600_000;
/** register.go TargetMin: the smallest target value (ResolveMetricTarget floors target × utilization to it). */
export const KPA_TARGET_MIN = 0.01;
/** multiscaler.go tickInterval: Knative decides every 2 s; the scale-down delay window's bucket (max.NewTimeWindow). */
export const KPA_TICK_MS = 2_000;
/**
 * Entries of the scale-down delay window kept in the state. Knative's window has
 * ceil(delay ÷ tick) buckets: at most 1800 for the 1 h maximum delay. Only the descending maxima are
 * kept (aggregation/max/window.go), so real states hold a few; the bound is the worst case.
 */
const KPA_MAX_DELAY_ENTRIES = KPA_WINDOW_MAX_MS / KPA_TICK_MS;

const goodDuration = (min: number, max: number) => (s: string) => {
  const ms = parseIsoDuration(s);
  return ms !== undefined && ms >= min && ms <= max;
};
const wholeSeconds = (s: string) => (parseIsoDuration(s) ?? 0) % 1000 === 0;

/** An ISO duration within [min, max]; `seconds`: with at most second precision, as config.go validate requires of the stable window and the scale-down delay. */
const Duration = (min: number, max: number, what: string, seconds = false) => {
  const d = z.string().refine(goodDuration(min, max), { message: `expected an ISO 8601 duration ${what}` });
  return seconds ? d.refine(wholeSeconds, { message: 'must be specified with at most second precision (config.go validate)' }) : d;
};

// ---------------------------------------------------------------------------------------------
// Settings

export const KpaPolicy = z
  .strictObject({
    metric: z.string().min(1).max(LIMITS.idLength).meta({
      description: "Name of the series in the target's `metrics`: the revision's total concurrency (in-flight requests summed over its pods) or its requests per second.",
    }),
    scalingMetric: z.enum(KPA_METRICS).default('concurrency').meta({ description: 'autoscaling.knative.dev/metric: what `metric` measures (concurrency or rps).' }),
    target: z.number().min(KPA_TARGET_MIN).optional().meta({
      description:
        'autoscaling.knative.dev/target: the per-pod value; defaults to containerConcurrency, else container-concurrency-target-default (100) or requests-per-second-target-default (200).',
    }),
    // pkg/apis/config/defaults.go: container-concurrency-max-limit is 1000 by default and a cluster may raise it to MaxInt32.
    containerConcurrency: z.number().int().min(0).max(INT32_MAX).default(0).meta({
      description: "The revision's hard concurrency limit (0: none). With concurrency and a target, the smaller of the two is the per-pod total (ResolveMetricTarget).",
    }),
    targetUtilizationPercentage: z.number().min(1).max(100).default(KPA_DEFAULTS.targetUtilizationPercentage).meta({
      description: 'autoscaling.knative.dev/target-utilization-percentage: the share of the per-pod total the autoscaler aims at.',
    }),
    stableWindow: Duration(KPA_WINDOW_MIN_MS, KPA_WINDOW_MAX_MS, 'from PT6S to PT1H', true).default(KPA_DEFAULTS.stableWindow).meta({
      description: 'autoscaling.knative.dev/window: the stable window the metric is averaged over; also how long panic mode lasts after the last panic reading.',
    }),
    panicWindowPercentage: z.number().min(1).max(100).default(KPA_DEFAULTS.panicWindowPercentage).meta({
      description: 'autoscaling.knative.dev/panic-window-percentage: the panic window as a percentage of the stable window.',
    }),
    panicThresholdPercentage: z.number().min(110).max(1000).default(KPA_DEFAULTS.panicThresholdPercentage).meta({
      description: 'autoscaling.knative.dev/panic-threshold-percentage: panic when the panic-window pod count is at least this percentage of the ready pods.',
    }),
    maxScaleUpRate: z
      .number()
      .gt(1)
      .default(KPA_DEFAULTS.maxScaleUpRate)
      .meta({ description: 'config-autoscaler max-scale-up-rate: at most ceil(rate × ready pods) in one decision.' }),
    maxScaleDownRate: z
      .number()
      .gt(1)
      .default(KPA_DEFAULTS.maxScaleDownRate)
      .meta({ description: 'config-autoscaler max-scale-down-rate: at least floor(ready pods ÷ rate) in one decision.' }),
    scaleDownDelay: Duration(0, KPA_WINDOW_MAX_MS, 'from PT0S to PT1H', true).default(KPA_DEFAULTS.scaleDownDelay).meta({
      description: 'autoscaling.knative.dev/scale-down-delay: a scale-down applies only after the lower count held this long (the largest count within it wins).',
    }),
    activationScale: z.number().int().min(2).max(INT32_MAX).optional().meta({
      description: 'autoscaling.knative.dev/activation-scale: the smallest non-zero count (from zero, go straight to it).',
    }),
    initialScale: z.number().int().min(0).max(INT32_MAX).default(KPA_DEFAULTS.initialScale).meta({
      description: 'autoscaling.knative.dev/initial-scale: the minimum until the revision has first reached it (state.kpa.initialized).',
    }),
    enableScaleToZero: z.boolean().default(true).meta({ description: 'config-autoscaler enable-scale-to-zero: false keeps at least one pod.' }),
    scaleToZeroGracePeriod: Duration(1, KPA_WINDOW_MAX_MS, "longer than PT0S, at most PT1H (edgescale's bound; Knative sets none)")
      .default(KPA_DEFAULTS.scaleToZeroGracePeriod)
      .meta({
        description: 'config-autoscaler scale-to-zero-grace-period: how long zero must have been wanted before the last pod goes.',
      }),
    scaleToZeroPodRetentionPeriod: Duration(0, KPA_WINDOW_MAX_MS, 'from PT0S to PT1H').default(KPA_DEFAULTS.scaleToZeroPodRetentionPeriod).meta({
      description: 'autoscaling.knative.dev/scale-to-zero-pod-retention-period: the last pod stays at least this long too (the longer of the two wins).',
    }),
    targetBurstCapacity: z
      .number()
      .refine((v) => v >= 0 || v === -1, { message: 'target-burst-capacity must be either non-negative or -1 (for unlimited) (config.go validate)' })
      .default(KPA_DEFAULTS.targetBurstCapacity)
      .meta({ description: "autoscaling.knative.dev/target-burst-capacity: the spare requests to keep; only the trace's excessBurstCapacity reads it (-1: unlimited)." }),
    reachable: z.boolean().default(true).meta({
      description: 'Whether a route sends traffic to the revision. An unreachable one has no scale-down rate limit, delay or initial scale (autoscaler.go, scaler.go).',
    }),
  })
  .meta({ description: 'Knative Pod Autoscaler (KPA): stable and panic windows, rate limits, scale-down delay, activation and initial scale, scale to zero.' });

export type KpaPolicy = z.infer<typeof KpaPolicy>;

// ---------------------------------------------------------------------------------------------
// State carried between decisions

const IsoTimestamp = z
  .string()
  .refine((s) => toEpochMs(s) !== undefined, { message: 'expected an ISO 8601 timestamp with an offset, e.g. "2026-11-22T10:30:00Z"' })
  .meta({ description: 'ISO 8601 timestamp with an offset.' });

const PodCount = z.number().int().min(0).max(INT32_MAX);

export const KpaState = z
  .strictObject({
    panicTime: IsoTimestamp.optional().meta({ description: 'autoscaler.go panicTime: the last evaluation over the panic threshold; absent when not panicking.' }),
    maxPanicPods: PodCount.optional().meta({ description: 'autoscaler.go maxPanicPods: the largest count asked for in this panic (no scale-down while panicking).' }),
    delay: z
      .array(z.strictObject({ bucket: z.number().int(), pods: PodCount }))
      .max(KPA_MAX_DELAY_ENTRIES)
      .optional()
      .meta({ description: "The scale-down delay window's descending maxima (aggregation/max/window.go): 2-second bucket index and pod count." }),
    zeroSince: IsoTimestamp.optional().meta({ description: 'When the autoscaler first wanted zero pods in a row (the grace period and retention count from it).' }),
    initialized: z.boolean().optional().meta({ description: 'The revision has reached its initial scale once (PodAutoscaler ScaleTargetInitialized).' }),
  })
  .meta({ description: 'What the KPA remembers between decisions.' });

export type KpaState = z.infer<typeof KpaState>;

// ---------------------------------------------------------------------------------------------
// Trace

export const KpaTraceSchema = z
  .object({
    code: z.enum(KPA_CODES),
    mode: z.enum(KPA_MODES).optional(),
    scalingMetric: z.enum(KPA_METRICS),
    observedStable: z.number().optional().meta({ description: 'Mean of the metric over the stable window.' }),
    observedPanic: z.number().optional().meta({ description: 'Mean of the metric over the panic window.' }),
    stablePoints: z.number().int(),
    panicPoints: z.number().int(),
    targetValue: z.number().meta({ description: 'Per-pod target: total × utilization (ResolveMetricTarget).' }),
    totalValue: z.number().meta({ description: 'Per-pod total the target is a share of.' }),
    readyPods: z.number().int(),
    desiredStablePods: z.number().int().optional(),
    desiredPanicPods: z.number().int().optional(),
    maxScaleUp: z.number().optional(),
    maxScaleDown: z.number().optional(),
    panicThreshold: z.number().meta({ description: 'panicThresholdPercentage ÷ 100, compared to panic pods ÷ ready pods.' }),
    stableWindowMs: z.number().int(),
    panicWindowMs: z.number().int(),
    decider: z.number().int().optional().meta({ description: "The autoscaler's DesiredPodCount, before the scaler's initial scale and scale to zero." }),
    desired: z.number().int().optional().meta({ description: 'What the policy proposes.' }),
    excessBurstCapacity: z.number().optional().meta({
      description: 'floor(ready × total − targetBurstCapacity − observedPanic); negative: the activator stays in the request path; 0 with TBC 0, -1 with TBC -1.',
    }),
    delayedFrom: z.number().int().optional().meta({ description: 'The count the scale-down delay held back.' }),
    scaleToZero: z
      .object({ since: z.string(), until: z.string(), kept: z.number().int() })
      .optional()
      .meta({ description: 'Zero is wanted, but the grace period (or retention) has not passed since `since`.' }),
    message: z.string(),
  })
  .meta({ description: "The KPA's arithmetic for this decision." });

export type KpaTrace = z.output<typeof KpaTraceSchema>;
