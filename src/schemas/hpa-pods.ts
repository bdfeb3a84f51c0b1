// zod schemas for the pods a target may carry (the HPA replica calculation's pod list) and the HPA controller settings a rule set may set.
//
// Sources (kubernetes/kubernetes):
// - pkg/controller/podautoscaler/replica_calculator.go: groupPods reads, per pod, the deletion
//   timestamp, status.phase, status.startTime, the Ready condition (status and lastTransitionTime) and
//   the metric sample (value, timestamp, window); calculateRequests reads the resource requests;
//   getReadyPodsCount counts Running pods whose Ready condition is True;
// - cmd/kube-controller-manager/app/options/hpacontroller.go and
//   pkg/controller/podautoscaler/config/v1alpha1/defaults.go: --horizontal-pod-autoscaler-tolerance
//   (0.1), --horizontal-pod-autoscaler-cpu-initialization-period (5m),
//   --horizontal-pod-autoscaler-initial-readiness-delay (30s);
// - metrics.k8s.io PodMetrics: timestamp and window of a resource sample.
import { z } from 'zod';
import { HpaQuantity, IsoTimestamp, NonNegativeQuantity } from './hpa-behavior.js';
import { parseQuantity, quantityMilliValue } from '../syntax/quantity.js';
import { INT32_MAX } from '../syntax/int32.js';

// ---------------------------------------------------------------------------------------------
// Limits and defaults (each with its reason or its upstream source)

/**
 * Pods per target. Kubernetes sets no limit on an HPA's pod list; this one bounds one decision to a
 * linear pass over at most 5,000 pods, about 1 MB of JSON at ~200 bytes a pod, well inside the body
 * ceiling of src/limits.ts, while holding workloads far larger than most HPAs scale.
 */
const HPA_MAX_PODS = 5000;
/** A pod name is a DNS subdomain (RFC 1123): at most 253 characters (apimachinery validation). */
const HPA_POD_NAME_MAX = 253;
/** Metric samples and resource requests per pod: a rule set reads at most a few; 64 leaves room and bounds the record. */
const HPA_MAX_POD_METRICS = 64;
/** Metric and resource names: the rule set's metric-name bound (LIMITS.idLength is 128). */
const HPA_POD_KEY_MAX = 128;

/** kube-controller-manager --horizontal-pod-autoscaler-cpu-initialization-period default (5m). */
export const HPA_DEFAULT_CPU_INITIALIZATION_PERIOD_SECONDS = 300;
/** kube-controller-manager --horizontal-pod-autoscaler-initial-readiness-delay default (30s). */
export const HPA_DEFAULT_INITIAL_READINESS_DELAY_SECONDS = 30;
/**
 * The window a CPU sample covers when the caller gives none. metrics.k8s.io reports one per sample;
 * replica_calculator_test.go's fake metrics client reports time.Minute, and edgescale takes the same.
 */
export const HPA_DEFAULT_SAMPLE_WINDOW_SECONDS = 60;
/**
 * horizontal.go scaleUpLimitFactor and scaleUpLimitMinimum, the scale-up limit without `behavior`.
 * Upstream they are constants, not flags; a rule set may set them (hpaController) to model a
 * controller patched or configured otherwise, or to compare how fast a target would grow.
 */
export const HPA_SCALE_UP_LIMIT_FACTOR = 2;
export const HPA_SCALE_UP_LIMIT_MINIMUM = 4;
/** The largest scaleUpLimitFactor: 1000× in one step is already no limit; the bound keeps the product inside int32 arithmetic at realistic counts. */
const HPA_MAX_SCALE_UP_LIMIT_FACTOR = 1000;
/** Upper bound for the two controller durations and a sample window: one day, far beyond any real setting. */
const HPA_MAX_CONTROLLER_SECONDS = 86_400;

// ---------------------------------------------------------------------------------------------
// Pods

const HpaPodPhase = z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).meta({ description: 'status.phase. Failed pods are ignored; Pending pods count as unready.' });

const PodKey = z.string().min(1).max(HPA_POD_KEY_MAX);

export const HpaPodSample = z
  .union([
    HpaQuantity,
    z.strictObject({
      value: HpaQuantity.meta({ description: "The sample: the pod's usage in the metric's unit (cores for cpu, bytes for memory)." }),
      timestamp: IsoTimestamp.optional().meta({ description: "When the sample was taken (PodMetrics.timestamp). Default: the decision's `now`." }),
      windowSeconds: z
        .number()
        .min(0)
        .max(HPA_MAX_CONTROLLER_SECONDS)
        .optional()
        .meta({ description: `The interval the sample covers (PodMetrics.window). Default: ${HPA_DEFAULT_SAMPLE_WINDOW_SECONDS}.` }),
    }),
  ])
  .meta({ description: 'One pod\'s sample of a metric: a quantity (0.45, "450m"), or { value, timestamp, windowSeconds } when the CPU initialization check needs them.' });

const HpaPod = z
  .strictObject({
    name: z.string().min(1).max(HPA_POD_NAME_MAX).meta({ description: 'metadata.name; unique in the list.' }),
    phase: HpaPodPhase.default('Running'),
    ready: z.boolean().optional().meta({ description: "The Ready condition's status (True/False). Omitted: the pod has no Ready condition (unready for cpu)." }),
    readyTransitionTime: IsoTimestamp.optional().meta({
      description: "lastTransitionTime of the Ready condition. Omitted: unknown, read as long ago (Go's zero time).",
    }),
    startTime: IsoTimestamp.optional().meta({ description: 'status.startTime. Omitted: not started yet (unready for cpu).' }),
    deletionTimestamp: IsoTimestamp.optional().meta({ description: 'metadata.deletionTimestamp: a pod being deleted is ignored.' }),
    requests: z
      .record(PodKey, NonNegativeQuantity)
      .optional()
      .refine((r) => r === undefined || Object.keys(r).length <= HPA_MAX_POD_METRICS, { message: `at most ${HPA_MAX_POD_METRICS} requests per pod` })
      .meta({
        description:
          'Resource requests summed over the pod\'s containers, by resource name ({ "cpu": "500m" }), or by the metric name for one container ("cpu@app"). Needed for Utilization targets.',
      }),
    metrics: z
      .record(PodKey, HpaPodSample)
      .default({})
      .refine((m) => Object.keys(m).length <= HPA_MAX_POD_METRICS, { message: `at most ${HPA_MAX_POD_METRICS} metrics per pod` })
      .meta({ description: 'The pod\'s current sample per metric name ({ "cpu": 0.45 }). A metric a pod lacks makes it a missing pod for that metric.' }),
  })
  .meta({ description: 'One pod of the scaled workload, as the HPA controller sees it (replica_calculator.go groupPods).' });

export const HpaPods = z
  .array(HpaPod)
  .max(HPA_MAX_PODS)
  .superRefine((pods, ctx) => {
    const seen = new Set<string>();
    pods.forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: 'custom', message: `pod name ${JSON.stringify(p.name)} appears twice`, path: [i, 'name'] });
      seen.add(p.name);
    });
  })
  .meta({ description: 'The pods of the target (the HPA\'s pod list). When present, the HPA replica calculation groups them as Kubernetes does: docs/hpa.md "Pods as input".' });

export type HpaPodInput = z.input<typeof HpaPod>;

/** A pod's sample of `metric` in milli-units, with its timestamp and window (raw), or undefined when it has none. */
export function podSampleMilli(sample: z.infer<typeof HpaPodSample>): number | undefined {
  const raw = typeof sample === 'object' ? sample.value : sample;
  const q = parseQuantity(raw);
  return q && quantityMilliValue(q);
}

// ---------------------------------------------------------------------------------------------
// Controller settings

export const HpaControllerSettings = z
  .strictObject({
    tolerance: NonNegativeQuantity.optional().meta({
      description: '--horizontal-pod-autoscaler-tolerance: the dead band for directions whose behavior sets none. Default 0.1.',
    }),
    cpuInitializationPeriodSeconds: z.number().int().min(0).max(HPA_MAX_CONTROLLER_SECONDS).default(HPA_DEFAULT_CPU_INITIALIZATION_PERIOD_SECONDS).meta({
      description: '--horizontal-pod-autoscaler-cpu-initialization-period: after a pod starts, cpu samples count only from ready pods with a full window since readiness.',
    }),
    initialReadinessDelaySeconds: z.number().int().min(0).max(HPA_MAX_CONTROLLER_SECONDS).default(HPA_DEFAULT_INITIAL_READINESS_DELAY_SECONDS).meta({
      description:
        '--horizontal-pod-autoscaler-initial-readiness-delay: after the initialization period, an unready pod whose readiness last changed within this delay of its start has never been ready, and is ignored.',
    }),
    scaleUpLimitFactor: z
      .number()
      .min(1)
      .max(HPA_MAX_SCALE_UP_LIMIT_FACTOR)
      .optional()
      .meta({
        description: `Without behavior, one step reaches at most max(scaleUpLimitFactor × current, scaleUpLimitMinimum). Default ${HPA_SCALE_UP_LIMIT_FACTOR}: a constant in horizontal.go, settable here.`,
      }),
    scaleUpLimitMinimum: z
      .number()
      .int()
      .min(1)
      .max(INT32_MAX)
      .optional()
      .meta({
        description: `The floor of that limit, so small targets can grow. Default ${HPA_SCALE_UP_LIMIT_MINIMUM}: a constant in horizontal.go, settable here.`,
      }),
  })
  .meta({
    description:
      "kube-controller-manager's HPA settings, per rule set: tolerance, cpu initialization period, initial readiness delay (its flags), and the scale-up limit without behavior (constants upstream).",
  });

export type HpaControllerSettings = z.infer<typeof HpaControllerSettings>;
