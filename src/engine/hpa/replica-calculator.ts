// Kubernetes HPA replica calculation, pure: tolerance, per-metric replica counts, and the largest proposal of all metrics.
//
// A port, number for number, of kubernetes/kubernetes:
// - pkg/controller/podautoscaler/replica_calculator.go: Tolerances.isWithin, GetResourceReplicas,
//   calcPlainMetricReplicas (Pods and resource AverageValue), GetObjectMetricReplicas and
//   GetExternalMetricReplicas (through getUsageRatioReplicaCount), GetObjectPerPodMetricReplicas,
//   GetExternalPerPodMetricReplicas;
// - pkg/controller/podautoscaler/metrics/utilization.go: GetResourceUtilizationRatio (an integer
//   percentage) and GetMetricUsageRatio (integer milli-units);
// - pkg/controller/podautoscaler/horizontal.go: computeReplicasForMetrics;
// - KEP-4951 (configurable tolerance): behavior.scaleUp.tolerance / behavior.scaleDown.tolerance,
//   falling back to the controller's --horizontal-pod-autoscaler-tolerance (0.1).
// Quantities are read by src/syntax/quantity.ts (quantity.go); Go's int32 arithmetic is src/syntax/int32.ts.
//
// Floating point is NOT cleaned here, on purpose: JavaScript numbers are IEEE-754 doubles like Go's
// float64, and every expression keeps Go's operand order, so a ratio that lands exactly on the band
// edge (1.1) or a product like 1.6666666666666667 × 3 gives the same bits, hence the same ceil, as the
// controller. int32 arithmetic wraps as in Go (`| 0`); float→int32 conversions that Go leaves
// implementation-defined (out of range) saturate here.
//
// Without a pod list (a target without `pods`), every current replica is ready and reports a value:
// Pods and Resource metrics take the averaged series, the ready-pod count is currentReplicas, and
// Object/External `Value` targets take an optional `readyPods`. With one, groupPods, the per-pod ratios
// and the rebalancing of missing and unready pods are ./pods.ts; combineMetricResults then combines
// both kinds of proposal the same way.
import { HPA_DEFAULT_TOLERANCE, type HpaMetricSource, type HpaMetricTarget } from '../../schemas/hpa-behavior.js';
import { HPA_METRIC_ERROR_CODES, HPA_TOLERANCE_VERDICTS, type HPA_DESIRED_CODES } from '../../schemas/codes.js';
import { floatToInt32, INT32_MAX } from '../../syntax/int32.js';
import { parseQuantity, quantityMilliValue, quantityToFloat64 } from '../../syntax/quantity.js';

// ---------------------------------------------------------------------------------------------
// Tolerance (replica_calculator.go Tolerances, KEP-4951)

export interface HpaTolerances {
  scaleUp: number;
  scaleDown: number;
}

/** Tolerances.isWithin: (1 − scaleDown) ≤ ratio ≤ (1 + scaleUp), both edges inclusive. */
export function isWithinTolerance(ratio: number, t: HpaTolerances): boolean {
  return 1.0 - t.scaleDown <= ratio && ratio <= 1.0 + t.scaleUp;
}

export type HpaToleranceResult = { ok: true; tolerances: HpaTolerances } | { ok: false; code: 'InvalidTolerance'; message: string };

/**
 * The tolerances the controller uses for one HPA: behavior.scaleUp.tolerance and
 * behavior.scaleDown.tolerance when set (read with AsApproximateFloat64), otherwise the cluster-wide
 * flag. Assumes the HPAConfigurableTolerance feature gate is on (beta and on by default since 1.35).
 */
export function resolveTolerances(
  behavior: { scaleUp?: { tolerance?: number | string | undefined }; scaleDown?: { tolerance?: number | string | undefined } } | undefined,
  clusterTolerance: number = HPA_DEFAULT_TOLERANCE,
): HpaToleranceResult {
  const read = (dir: 'scaleUp' | 'scaleDown'): number | string => {
    const raw = behavior?.[dir]?.tolerance;
    if (raw === undefined) return clusterTolerance;
    const q = parseQuantity(raw);
    if (!q) return `behavior.${dir}.tolerance ${JSON.stringify(raw)} is not a Kubernetes quantity`;
    const v = quantityToFloat64(q);
    if (v < 0) return `behavior.${dir}.tolerance ${JSON.stringify(raw)} must be greater than or equal to zero`;
    return v;
  };
  const scaleUp = read('scaleUp');
  const scaleDown = read('scaleDown');
  if (typeof scaleUp === 'string') return { ok: false, code: 'InvalidTolerance', message: scaleUp };
  if (typeof scaleDown === 'string') return { ok: false, code: 'InvalidTolerance', message: scaleDown };
  return { ok: true, tolerances: { scaleUp, scaleDown } };
}

// ---------------------------------------------------------------------------------------------
// Per-metric replica counts (replica_calculator.go)

export interface HpaMetricInput {
  /** Shown in messages; defaults to "<source> <target type>". */
  name?: string;
  /**
   * Which MetricSpec type this came from; it decides the formula. Defaults: Utilization → Resource,
   * AverageValue → Pods, Value → External.
   */
  source?: HpaMetricSource;
  target: HpaMetricTarget;
  /** The target's MilliValue when the caller parsed it beforehand (targetMilliValue; a rule set does at load). */
  targetMilli?: number;
  /**
   * The current reading; null or undefined when the metric could not be read (an invalid metric in
   * computeReplicasForMetrics). What it means depends on the target:
   * - Utilization: the average utilization in percent of request (Kubernetes truncates it to an integer);
   * - AverageValue with Resource/ContainerResource/Pods: the per-pod average;
   * - AverageValue with Object/External: the TOTAL (Kubernetes divides it by the per-pod target);
   * - Value: the object's value, or the sum of the external series.
   */
  value: number | null | undefined;
}

type HpaToleranceVerdict = (typeof HPA_TOLERANCE_VERDICTS)[number];
type HpaMetricErrorCode = (typeof HPA_METRIC_ERROR_CODES)[number];

export type HpaMetricResult =
  | {
      ok: true;
      name: string;
      source: HpaMetricSource;
      replicas: number;
      /** The usage ratio compared with the tolerance band (replica_calculator.go `usageRatio`). */
      ratio: number;
      verdict: HpaToleranceVerdict;
      tolerances: HpaTolerances;
      message: string;
    }
  | { ok: false; name: string; source: HpaMetricSource; code: HpaMetricErrorCode; message: string };

export interface HpaMetricContext {
  /** scale.Spec.Replicas. */
  currentReplicas: number;
  /** scale.Status.Replicas, used by Object/External AverageValue; defaults to currentReplicas. */
  statusReplicas?: number;
  /** Running and Ready pods, used by Object/External Value targets only; defaults to currentReplicas. */
  readyPods?: number;
  /** The target carries a pod list and it is empty: getReadyPodsCount fails ("no pods returned by selector"). */
  noPodsListed?: boolean;
  tolerances?: Partial<HpaTolerances>;
}

export const DEFAULT_SOURCE: Record<HpaMetricTarget['type'], HpaMetricSource> = {
  Utilization: 'Resource',
  AverageValue: 'Pods',
  Value: 'External',
};

/** Which MetricSpec types take which targets (validation.go validate*Source). */
export const ALLOWED_TARGETS: Record<HpaMetricSource, ReadonlyArray<HpaMetricTarget['type']>> = {
  Resource: ['Utilization', 'AverageValue'],
  ContainerResource: ['Utilization', 'AverageValue'],
  Pods: ['AverageValue'],
  Object: ['Value', 'AverageValue'],
  External: ['Value', 'AverageValue'],
};

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6))));

function bandText(t: HpaTolerances): string {
  return `[${fmt(1 - t.scaleDown)}, ${fmt(1 + t.scaleUp)}]`;
}

/** One metric → a replica proposal, following the replica_calculator.go function for its source and target. */
/** An AverageValue or Value target's MilliValue; undefined for Utilization or a target that is not a quantity. */
export function targetMilliValue(target: HpaMetricTarget): number | undefined {
  if (target.type === 'Utilization') return undefined;
  const q = parseQuantity(target.type === 'Value' ? target.value : target.averageValue);
  return q && quantityMilliValue(q);
}

export function computeReplicasForMetric(metric: HpaMetricInput, ctx: HpaMetricContext): HpaMetricResult {
  const tolerances: HpaTolerances = {
    scaleUp: ctx.tolerances?.scaleUp ?? HPA_DEFAULT_TOLERANCE,
    scaleDown: ctx.tolerances?.scaleDown ?? HPA_DEFAULT_TOLERANCE,
  };
  const source = metric.source ?? DEFAULT_SOURCE[metric.target.type];
  const name = metric.name ?? `${source} ${metric.target.type}`;
  const fail = (code: HpaMetricErrorCode, message: string): HpaMetricResult => ({ ok: false, name, source, code, message });
  const current = ctx.currentReplicas;
  const { target, value } = metric;

  if (value === null || value === undefined) return fail('MetricUnavailable', `${name}: no current value, so this metric is invalid for this decision.`);
  if (!Number.isFinite(value)) return fail('InvalidValue', `${name}: the current value ${value} is not a finite number.`);
  if (!ALLOWED_TARGETS[source].includes(target.type)) {
    return fail('UnsupportedTarget', `${name}: a ${source} metric cannot have a ${target.type} target (autoscaling/v2 validation).`);
  }

  const band = bandText(tolerances);
  const ok = (replicas: number, ratio: number, verdict: HpaToleranceVerdict, message: string): HpaMetricResult => ({
    ok: true,
    name,
    source,
    replicas,
    ratio,
    verdict,
    tolerances,
    message,
  });

  // Resource/ContainerResource Utilization: GetResourceReplicas with an integer utilization percentage.
  if (target.type === 'Utilization') {
    if (current === 0) return fail('NoPods', `${name}: no pods to average over at 0 replicas (no pods returned by selector).`);
    if (!(target.averageUtilization > 0)) return fail('InvalidTarget', `${name}: averageUtilization must be greater than 0.`);
    // GetResourceUtilizationRatio: currentUtilization = int32(metricsTotal*100/requestsTotal), truncated.
    const utilization = Math.trunc(value) + 0;
    const ratio = utilization / target.averageUtilization;
    if (isWithinTolerance(ratio, tolerances)) {
      return ok(
        current,
        ratio,
        'WithinTolerance',
        `${name}: utilization ${utilization}% vs target ${target.averageUtilization}% is ratio ${fmt(ratio)}, inside the tolerance band ${band}, so it proposes the current ${current}.`,
      );
    }
    const replicas = floatToInt32(Math.ceil(ratio * current));
    return ok(
      replicas,
      ratio,
      'OutsideTolerance',
      `${name}: utilization ${utilization}% vs target ${target.averageUtilization}% is ratio ${fmt(ratio)}, outside the tolerance band ${band}, so it proposes ceil(${fmt(ratio)} × ${current}) = ${replicas}.`,
    );
  }

  const targetRaw = target.type === 'Value' ? target.value : target.averageValue;
  const targetMilli = metric.targetMilli ?? targetMilliValue(target);
  if (targetMilli === undefined) return fail('InvalidTarget', `${name}: target ${JSON.stringify(targetRaw)} is not a Kubernetes quantity.`);
  if (!(targetMilli > 0)) return fail('InvalidTarget', `${name}: target ${JSON.stringify(targetRaw)} must be positive.`);
  const valueQ = parseQuantity(value);
  if (!valueQ) return fail('InvalidValue', `${name}: the current value ${value} is not representable as a Kubernetes quantity.`);
  // Metric values and targets reach the controller as Quantities read with MilliValue().
  const usage = quantityMilliValue(valueQ);
  const show = (milli: number): string => fmt(milli / 1000);

  // Pods and resource AverageValue: calcPlainMetricReplicas, ratio = per-pod average ÷ target.
  if (target.type === 'AverageValue' && (source === 'Pods' || source === 'Resource' || source === 'ContainerResource')) {
    if (current === 0) return fail('NoPods', `${name}: no pods to average over at 0 replicas (no pods returned by selector).`);
    const ratio = usage / targetMilli;
    if (isWithinTolerance(ratio, tolerances)) {
      return ok(
        current,
        ratio,
        'WithinTolerance',
        `${name}: per-pod average ${show(usage)} vs target ${show(targetMilli)} is ratio ${fmt(ratio)}, inside the tolerance band ${band}, so it proposes the current ${current}.`,
      );
    }
    const replicas = floatToInt32(Math.ceil(ratio * current));
    return ok(
      replicas,
      ratio,
      'OutsideTolerance',
      `${name}: per-pod average ${show(usage)} vs target ${show(targetMilli)} is ratio ${fmt(ratio)}, outside the tolerance band ${band}, so it proposes ceil(${fmt(ratio)} × ${current}) = ${replicas}.`,
    );
  }

  // Object/External AverageValue: GetObjectPerPodMetricReplicas / GetExternalPerPodMetricReplicas.
  if (target.type === 'AverageValue') {
    const status = ctx.statusReplicas ?? current;
    const ratio = usage / (targetMilli * status);
    if (isWithinTolerance(ratio, tolerances)) {
      return ok(
        status,
        ratio,
        'WithinTolerance',
        `${name}: total ${show(usage)} over ${status} replicas vs ${show(targetMilli)} per replica is ratio ${fmt(ratio)}, inside the tolerance band ${band}, so it proposes ${status}.`,
      );
    }
    const replicas = floatToInt32(Math.ceil(usage / targetMilli));
    return ok(
      replicas,
      ratio,
      'OutsideTolerance',
      `${name}: total ${show(usage)} over ${status} replicas vs ${show(targetMilli)} per replica is ratio ${fmt(ratio)}, outside the tolerance band ${band}, so it proposes ceil(${show(usage)} ÷ ${show(targetMilli)}) = ${replicas}.`,
    );
  }

  // Object/External Value: GetObjectMetricReplicas / GetExternalMetricReplicas → getUsageRatioReplicaCount.
  const ratio = usage / targetMilli;
  if (current === 0) {
    // Scale from zero: no tolerance and no ready pods, replicas = ceil(ratio).
    const replicas = floatToInt32(Math.ceil(ratio));
    return ok(
      replicas,
      ratio,
      'ToleranceNotApplied',
      `${name}: value ${show(usage)} vs target ${show(targetMilli)} is ratio ${fmt(ratio)}; at 0 replicas Kubernetes skips the tolerance and proposes ceil(${fmt(ratio)}) = ${replicas}.`,
    );
  }
  if (isWithinTolerance(ratio, tolerances)) {
    return ok(
      current,
      ratio,
      'WithinTolerance',
      `${name}: value ${show(usage)} vs target ${show(targetMilli)} is ratio ${fmt(ratio)}, inside the tolerance band ${band}, so it proposes the current ${current}.`,
    );
  }
  if (ctx.noPodsListed) return fail('NoPods', `${name}: unable to calculate ready pods: no pods returned by selector while calculating replica count.`);
  const ready = ctx.readyPods ?? current;
  const replicaCountFloat = ratio * ready;
  const replicas = replicaCountFloat > INT32_MAX ? INT32_MAX : floatToInt32(Math.ceil(replicaCountFloat));
  return ok(
    replicas,
    ratio,
    'OutsideTolerance',
    `${name}: value ${show(usage)} vs target ${show(targetMilli)} is ratio ${fmt(ratio)}, outside the tolerance band ${band}, so it proposes ceil(${fmt(ratio)} × ${ready} ready pods) = ${replicas}.`,
  );
}

export interface HpaDesiredInput extends HpaMetricContext {
  metrics: HpaMetricInput[];
}

export type HpaDesiredResult =
  | {
      ok: true;
      code: Extract<(typeof HPA_DESIRED_CODES)[number], 'ValidMetricFound'>;
      /** The largest proposal: the raw recommendation to feed to normalizeWith(out)Behavior. */
      desiredReplicas: number;
      /** The metric that proposed it (the first of equal proposals, as computeReplicasForMetrics). */
      metric: string;
      invalidMetrics: number;
      perMetric: HpaMetricResult[];
      message: string;
    }
  | { ok: false; code: Exclude<(typeof HPA_DESIRED_CODES)[number], 'ValidMetricFound'>; perMetric: HpaMetricResult[]; message: string };

/**
 * computeReplicasForMetrics: every metric proposes, the largest proposal wins. When every metric is
 * invalid, or some are invalid and the valid ones would scale down, Kubernetes does not scale at all.
 */
export function computeDesiredReplicas(input: HpaDesiredInput): HpaDesiredResult {
  return combineMetricResults(
    input.metrics.map((m) => computeReplicasForMetric(m, input)),
    input.currentReplicas,
  );
}

/** computeReplicasForMetrics' combination of proposals already computed (with or without a pod list). */
export function combineMetricResults(perMetric: HpaMetricResult[], currentReplicas: number): HpaDesiredResult {
  let replicas = 0;
  let metric = '';
  let invalid = 0;
  let firstInvalid: HpaMetricResult | undefined;
  for (const r of perMetric) {
    if (!r.ok) {
      if (invalid === 0) firstInvalid = r;
      invalid++;
      continue;
    }
    if (replicas === 0 || r.replicas > replicas) {
      replicas = r.replicas;
      metric = r.name;
    }
  }
  if (invalid >= perMetric.length) {
    const why = firstInvalid ? ` First error: ${firstInvalid.message}` : ' No metrics were given.';
    return {
      ok: false,
      code: 'NoValidMetrics',
      perMetric,
      message: `No metric could propose a replica count (${invalid} invalid of ${perMetric.length}), so the HPA does not scale.${why}`,
    };
  }
  if (invalid > 0 && replicas < currentReplicas) {
    return {
      ok: false,
      code: 'InvalidMetricsBlockScaleDown',
      perMetric,
      message: `The valid metrics would scale down to ${replicas}, but ${invalid} of ${perMetric.length} metrics are invalid, and Kubernetes never scales down on partial data; replicas stay at ${currentReplicas}.`,
    };
  }
  const partial = invalid > 0 ? ` (${invalid} invalid metric${invalid === 1 ? '' : 's'} ignored because this is not a scale-down)` : '';
  return {
    ok: true,
    code: 'ValidMetricFound',
    desiredReplicas: replicas,
    metric,
    invalidMetrics: invalid,
    perMetric,
    message: `The largest proposal is ${replicas}, from ${metric}${partial}.`,
  };
}
