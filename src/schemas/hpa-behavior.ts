// zod schemas for the Kubernetes HPA `behavior` (autoscaling/v2, field for field), HPA metric targets, and the history the HPA algorithm carries in a decision's state.
//
// Sources (kubernetes/kubernetes):
// - staging/src/k8s.io/api/autoscaling/v2/types.go: HorizontalPodAutoscalerBehavior, HPAScalingRules
//   (stabilizationWindowSeconds, selectPolicy, policies, tolerance), HPAScalingPolicy, MetricTarget;
// - pkg/apis/autoscaling/validation/validation.go: validateScalingRules (window 0..3600, a known
//   selectPolicy, at least one policy), validateScalingPolicy (Pods|Percent, value > 0, periodSeconds
//   1..1800), validateMetricTarget (averageUtilization > 0, value/averageValue positive), tolerance ≥ 0;
// - pkg/apis/autoscaling/v2/defaults.go: GenerateHPAScaleUpRules / GenerateHPAScaleDownRules /
//   copyHPAScalingRules (defaults per field, only when `behavior` is present);
// - pkg/controller/podautoscaler/horizontal.go: maybeInitScaleDownStabilizationWindow (an unset
//   scale-down window takes the controller's --horizontal-pod-autoscaler-downscale-stabilization),
//   timestampedRecommendation and timestampedScaleEvent (the history).
import { z } from 'zod';
import { toEpochMs } from '../syntax/duration.js';
import { INT32_MAX } from '../syntax/int32.js';
import { parseQuantity, quantityMilliValue, quantityToFloat64 } from '../syntax/quantity.js';

// ---------------------------------------------------------------------------------------------
// Constants (each with where Kubernetes defines it)

/** kube-controller-manager --horizontal-pod-autoscaler-tolerance default: the ±10% dead band. */
export const HPA_DEFAULT_TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-downscale-stabilization default (5m); also the scaleDown window default. */
export const HPA_DEFAULT_DOWNSCALE_STABILIZATION_SECONDS = 300;
/** validation.go MaxStabilizationWindowSeconds. */
const HPA_MAX_STABILIZATION_WINDOW_SECONDS = 3600;
/** validation.go MaxPeriodSeconds. */
const HPA_MAX_PERIOD_SECONDS = 1800;

/**
 * Policies per direction. Kubernetes sets no limit; this bounds the work of one decision. Real
 * behaviors use one to three policies.
 */
const HPA_MAX_POLICIES = 20;
/**
 * Stored recommendations: one per decision inside the longest stabilization window (3600 s), at up
 * to one decision per second, plus the one being stored.
 */
const HPA_MAX_RECOMMENDATIONS = HPA_MAX_STABILIZATION_WINDOW_SECONDS + 1;
/**
 * Stored scale events per direction: Kubernetes appends only while every stored event is inside the
 * longest policy period (1800 s), so at one scale per second this is the most it holds.
 */
const HPA_MAX_SCALE_EVENTS = HPA_MAX_PERIOD_SECONDS + 1;

// ---------------------------------------------------------------------------------------------
// Quantities

/** A Kubernetes quantity, as JSON carries it: a number, or a string such as "0.05", "50m", "1.5k". */
export const HpaQuantity = z
  .union([z.number(), z.string()])
  .refine((v) => parseQuantity(v) !== undefined, { message: 'expected a Kubernetes quantity such as 0.1, "0.05", "50m" or "1.5k"' })
  .meta({ description: 'Kubernetes quantity (resource.Quantity): a number or a string such as "0.05", "50m", "1.5k", "2Gi".' });

export const NonNegativeQuantity = HpaQuantity.refine(
  (v) => {
    const q = parseQuantity(v);
    return q !== undefined && quantityToFloat64(q) >= 0;
  },
  { message: 'must be greater than or equal to zero' },
);

const PositiveQuantity = HpaQuantity.refine(
  (v) => {
    const q = parseQuantity(v);
    return q !== undefined && q.unscaled > 0n && quantityMilliValue(q) > 0;
  },
  { message: 'must be positive' },
);

// ---------------------------------------------------------------------------------------------
// behavior

export const HpaScalingPolicyType = z
  .enum(['Pods', 'Percent'])
  .meta({ description: 'Pods: change by at most `value` pods per period. Percent: by at most `value` percent of the count at the start of the period.' });

export const HpaSelectPolicy = z
  .enum(['Max', 'Min', 'Disabled'])
  .meta({ description: 'Max: the policy allowing the biggest change wins (default). Min: the smallest change. Disabled: no scaling in this direction.' });

export const HpaScalingPolicy = z
  .strictObject({
    type: HpaScalingPolicyType,
    value: z.number().int().min(1).max(INT32_MAX).meta({ description: 'Amount of change allowed per period; must be greater than zero.' }),
    periodSeconds: z
      .number()
      .int()
      .min(1)
      .max(HPA_MAX_PERIOD_SECONDS)
      .meta({ description: 'Window over which past changes count against `value`; 1 to 1800 seconds.' }),
  })
  .meta({ description: 'HPAScalingPolicy: one rate limit for one direction.' });

export const HpaScalingRules = z
  .strictObject({
    stabilizationWindowSeconds: z
      .number()
      .int()
      .min(0)
      .max(HPA_MAX_STABILIZATION_WINDOW_SECONDS)
      .optional()
      .meta({ description: 'Past recommendations considered, 0 to 3600 seconds. Defaults: scale-up 0, scale-down 300.' }),
    selectPolicy: HpaSelectPolicy.optional().meta({ description: 'Which policy applies when several are given; default Max.' }),
    policies: z
      .array(HpaScalingPolicy)
      .min(1, 'must specify at least one Policy')
      .max(HPA_MAX_POLICIES)
      .optional()
      .meta({ description: 'Rate limits. Defaults: scale-up Pods 4 and Percent 100 per 15 s; scale-down Percent 100 per 15 s.' }),
    tolerance: NonNegativeQuantity.optional().meta({
      description: 'Dead band around ratio 1 for this direction (KEP-4951), e.g. 0.05 for 5%. Default: the controller tolerance, 0.1.',
    }),
  })
  .meta({ description: 'HPAScalingRules: stabilization, rate limits and tolerance for one direction.' });

export const HpaBehavior = z
  .strictObject({
    scaleUp: HpaScalingRules.optional().meta({ description: 'Rules for scaling up; unset fields take the scale-up defaults.' }),
    scaleDown: HpaScalingRules.optional().meta({ description: 'Rules for scaling down; unset fields take the scale-down defaults.' }),
  })
  .meta({ description: 'Kubernetes HorizontalPodAutoscalerBehavior (autoscaling/v2), accepted verbatim.' });

export type HpaScalingPolicy = z.infer<typeof HpaScalingPolicy>;
export type HpaSelectPolicy = z.infer<typeof HpaSelectPolicy>;
export type HpaScalingRules = z.infer<typeof HpaScalingRules>;
export type HpaBehavior = z.infer<typeof HpaBehavior>;

/** HPAScalingRules after defaulting: every field but tolerance is set (tolerance falls back to the controller flag). */
export interface HpaScalingRulesDefaulted {
  stabilizationWindowSeconds: number;
  selectPolicy: HpaSelectPolicy;
  policies: HpaScalingPolicy[];
  tolerance?: number | string;
}

export interface HpaBehaviorDefaulted {
  scaleUp: HpaScalingRulesDefaulted;
  scaleDown: HpaScalingRulesDefaulted;
}

/** defaults.go defaultHPAScaleUpRules: no stabilization; the larger of +4 pods or +100% per 15 s. */
export const HPA_DEFAULT_SCALE_UP_RULES: Readonly<HpaScalingRulesDefaulted> = Object.freeze<HpaScalingRulesDefaulted>({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});

/** defaults.go defaultHPAScaleDownRules (window from the controller flag): everything may go in 15 s. */
export const HPA_DEFAULT_SCALE_DOWN_RULES: Readonly<HpaScalingRulesDefaulted> = Object.freeze<HpaScalingRulesDefaulted>({
  stabilizationWindowSeconds: HPA_DEFAULT_DOWNSCALE_STABILIZATION_SECONDS,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

function copyRules(from: HpaScalingRules | undefined, defaults: Readonly<HpaScalingRulesDefaulted>): HpaScalingRulesDefaulted {
  const out: HpaScalingRulesDefaulted = {
    stabilizationWindowSeconds: from?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: from?.selectPolicy ?? defaults.selectPolicy,
    policies: (from?.policies ?? defaults.policies).map((p) => ({ ...p })),
  };
  if (from?.tolerance !== undefined) out.tolerance = from.tolerance;
  return out;
}

/**
 * Kubernetes defaulting of `behavior`. No behavior stays no behavior (the controller then takes the
 * older path: normalizeWithoutBehavior). Otherwise each unset field of scaleUp and scaleDown takes
 * its default (copyHPAScalingRules copies field by field, so `{ selectPolicy: Min }` keeps the
 * default policies), and an unset scale-down window takes the controller's downscale window.
 */
export function applyHpaBehaviorDefaults(
  behavior: HpaBehavior | undefined,
  options: { downscaleStabilizationWindowSeconds?: number } = {},
): HpaBehaviorDefaulted | undefined {
  if (!behavior) return undefined;
  const scaleDownDefaults = {
    ...HPA_DEFAULT_SCALE_DOWN_RULES,
    stabilizationWindowSeconds: options.downscaleStabilizationWindowSeconds ?? HPA_DEFAULT_DOWNSCALE_STABILIZATION_SECONDS,
  };
  return { scaleUp: copyRules(behavior.scaleUp, HPA_DEFAULT_SCALE_UP_RULES), scaleDown: copyRules(behavior.scaleDown, scaleDownDefaults) };
}

// ---------------------------------------------------------------------------------------------
// Metric targets (MetricTarget), for rule sets that carry the HPA's `metrics`

export const HpaMetricSource = z
  .enum(['Resource', 'ContainerResource', 'Pods', 'Object', 'External'])
  .meta({ description: 'The MetricSpec type; it decides which replica_calculator.go formula applies.' });

export const HpaMetricTarget = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('Utilization'),
      averageUtilization: z.number().int().min(1).max(INT32_MAX).meta({ description: 'Target average utilization, percent of the pods\' requests.' }),
    }),
    z.strictObject({
      type: z.literal('AverageValue'),
      averageValue: PositiveQuantity.meta({ description: 'Target value per pod.' }),
    }),
    z.strictObject({
      type: z.literal('Value'),
      value: PositiveQuantity.meta({ description: 'Target value of the object or external metric.' }),
    }),
  ])
  .meta({ description: 'Kubernetes MetricTarget: Utilization, AverageValue or Value.' });

export type HpaMetricSource = z.infer<typeof HpaMetricSource>;
export type HpaMetricTarget = z.infer<typeof HpaMetricTarget>;

// ---------------------------------------------------------------------------------------------
// History carried in the decision state

export const IsoTimestamp = z
  .string()
  .refine((s) => toEpochMs(s) !== undefined, { message: 'expected an ISO 8601 timestamp with an offset, e.g. "2026-11-22T10:30:00Z"' })
  .meta({ description: 'ISO 8601 timestamp with an offset, e.g. "2026-11-22T10:30:00Z".' });

const HpaTimestampedRecommendation = z
  .strictObject({
    at: IsoTimestamp,
    replicas: z.number().int().min(0).max(INT32_MAX).meta({ description: 'The raw (unstabilized) recommendation made at `at`.' }),
  })
  .meta({ description: 'horizontal.go timestampedRecommendation.' });

const HpaTimestampedScaleEvent = z
  .strictObject({
    at: IsoTimestamp,
    change: z.number().int().min(0).max(INT32_MAX).meta({ description: 'Replicas added (up) or removed (down), as a non-negative count.' }),
    outdated: z
      .boolean()
      .optional()
      .meta({ description: 'Marked when older than the direction\'s longest policy period; the slot is reused by the next event.' }),
  })
  .meta({ description: 'horizontal.go timestampedScaleEvent.' });

export const HpaHistory = z
  .strictObject({
    recommendations: z.array(HpaTimestampedRecommendation).max(HPA_MAX_RECOMMENDATIONS).default([]),
    scaleEvents: z
      .strictObject({
        up: z.array(HpaTimestampedScaleEvent).max(HPA_MAX_SCALE_EVENTS).default([]),
        down: z.array(HpaTimestampedScaleEvent).max(HPA_MAX_SCALE_EVENTS).default([]),
      })
      .default({ up: [], down: [] }),
  })
  .meta({ description: 'What the HPA algorithm remembers between decisions: recent raw recommendations and recent scale events.' });

export type HpaHistory = z.infer<typeof HpaHistory>;
