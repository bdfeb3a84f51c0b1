// Kubernetes HorizontalPodAutoscaler arithmetic, pure: per-metric replica counts, tolerance, and `behavior` normalisation.
//
// A port, number for number, of kubernetes/kubernetes:
// - pkg/controller/podautoscaler/replica_calculator.go: Tolerances.isWithin, GetResourceReplicas,
//   calcPlainMetricReplicas (Pods and resource AverageValue), GetObjectMetricReplicas and
//   GetExternalMetricReplicas (through getUsageRatioReplicaCount), GetObjectPerPodMetricReplicas,
//   GetExternalPerPodMetricReplicas;
// - pkg/controller/podautoscaler/metrics/utilization.go: GetResourceUtilizationRatio (an integer
//   percentage) and GetMetricUsageRatio (integer milli-units);
// - pkg/controller/podautoscaler/horizontal.go: computeReplicasForMetrics, reconcileAutoscaler (the
//   ScalingDisabled shortcut, the current-outside-[min, max] shortcuts, recordInitialRecommendation),
//   stabilizeRecommendation + normalizeDesiredReplicas + convertDesiredReplicasWithRules +
//   calculateScaleUpLimit (no `behavior`), stabilizeRecommendationWithBehaviors +
//   normalizeDesiredReplicasWithBehaviors + convertDesiredReplicasWithBehaviorRate +
//   calculateScaleUpLimitWithScalingRules + calculateScaleDownLimitWithBehaviors +
//   getReplicasChangePerPeriod (with `behavior`), storeScaleEvent + markScaleEventsOutdated +
//   getLongestPolicyPeriod;
// - staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go: ParseQuantity,
//   AsApproximateFloat64 and MilliValue, because targets and tolerances are Kubernetes quantities;
// - KEP-4951 (configurable tolerance): behavior.scaleUp.tolerance / behavior.scaleDown.tolerance,
//   falling back to the controller's --horizontal-pod-autoscaler-tolerance (0.1).
//
// Floating point is NOT cleaned here, on purpose: JavaScript numbers are IEEE-754 doubles like Go's
// float64, and every expression keeps Go's operand order, so a ratio that lands exactly on the band
// edge (1.1) or a product like 1.6666666666666667 × 3 gives the same bits, hence the same ceil, as the
// controller. int32 arithmetic wraps as in Go (`| 0`); float→int32 conversions that Go leaves
// implementation-defined (out of range) saturate here.
//
// Omitted from replica_calculator.go (the caller has no pod list): missing-metric pods (treated as
// 100% / target on scale-down, 0 on scale-up), unready and not-yet-initialised CPU pods, and the
// re-computation that may cancel a scale when those assumptions flip its direction. Pods and
// Resource metrics assume every current replica is ready and reports a value, so the ready-pod count
// is currentReplicas. Object/External `Value` targets take an optional `readyPods` because there
// replica_calculator.go multiplies by the ready-pod count and nothing else.
import type { HpaBehaviorDefaulted, HpaHistory, HpaMetricSource, HpaMetricTarget, HpaScalingPolicy, HpaScalingRulesDefaulted } from '../schemas/hpa-behavior.js';
import { isoUtc, toEpochMs } from './duration.js';
import { HPA_METRIC_ERROR_CODES, HPA_TOLERANCE_VERDICTS } from '../schemas/codes.js';
import type { HpaNormalizeTrace } from '../schemas/decision.js';

// ---------------------------------------------------------------------------------------------
// Constants (each with where Kubernetes defines it)

/** Replica counts, policy values and proposals are int32 in autoscaling/v2 and in the controller. */
export const INT32_MAX = 2_147_483_647;
const INT32_MIN = -2_147_483_648;
/** horizontal.go `scaleUpLimitFactor`: without `behavior`, one step may at most double the replicas… */
const HPA_SCALE_UP_LIMIT_FACTOR = 2;
/** …or reach 4, whichever is larger (`scaleUpLimitMinimum`; issue #32304, bogus CPU spikes). */
const HPA_SCALE_UP_LIMIT_MINIMUM = 4;
/** kube-controller-manager --horizontal-pod-autoscaler-tolerance default: the ±10% dead band. */
export const HPA_DEFAULT_TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-downscale-stabilization default (5m); also the scaleDown window default. */
export const HPA_DEFAULT_DOWNSCALE_STABILIZATION_SECONDS = 300;
/** validation.go MaxStabilizationWindowSeconds. */
export const HPA_MAX_STABILIZATION_WINDOW_SECONDS = 3600;
/** validation.go MaxPeriodSeconds. */
export const HPA_MAX_PERIOD_SECONDS = 1800;

const MS_PER_SECOND = 1000;

// ---------------------------------------------------------------------------------------------
// Kubernetes quantities (apimachinery resource.Quantity), enough for tolerances and metric targets

/** A parsed quantity, exactly as ParseQuantity stores it: unscaled × 10^exponent. */
export interface KubeQuantity {
  unscaled: bigint;
  exponent: number;
}

/** quantity.go splitREString suffix characters. */
const SUFFIX_CHARS = 'eEinumkKMGTP';
/** quantity.go maxInt64Factors: decimal digits that always fit an int64. */
const MAX_INT64_FACTORS = 18;
/** Nano: the smallest scale a Quantity keeps; finer values are rounded up to it. */
const NANO_EXPONENT = -9;
const INT64_MAX = 9_223_372_036_854_775_807n;
const DECIMAL_SUFFIXES = new Map<string, number>([
  ['n', -9], ['u', -6], ['m', -3], ['', 0], ['k', 3], ['M', 6], ['G', 9], ['T', 12], ['P', 15], ['E', 18],
]);
const BINARY_SUFFIXES = new Map<string, number>([['Ki', 10], ['Mi', 20], ['Gi', 30], ['Ti', 40], ['Pi', 50], ['Ei', 60]]);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

interface ScannedQuantity {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** quantity.go parseQuantityString, step for step. */
function scanQuantity(str: string): ScannedQuantity | undefined {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') pos++;
  }
  // strip leading zeros
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
    if (str[i] === '0') pos++;
    else break;
  }
  // the numerator
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  let num = str.slice(pos, i);
  pos = i;
  if (num.length === 0) num = '0';
  // the denominator
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    let j = pos;
    while (j < end && isDigit(str[j])) j++;
    if (j >= end) return { positive, value: str, num, denom: str.slice(pos), suffix: '' };
    denom = str.slice(pos, j);
    pos = j;
  }
  const value = str.slice(0, pos);
  // the suffix: letters, then an optional signed exponent
  const suffixStart = pos;
  let k = pos;
  while (k < end && SUFFIX_CHARS.includes(str[k] as string)) k++;
  if (k >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  pos = k;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  for (let m = pos; m < end; m++) if (!isDigit(str[m])) return undefined;
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

/** quantity suffixer `interpret`: decimal SI, binary SI, or a decimal exponent ("e-3", "E6"). */
function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number } | undefined {
  const dec = DECIMAL_SUFFIXES.get(suffix);
  if (dec !== undefined) return { base: 10, exponent: dec };
  const bin = BINARY_SUFFIXES.get(suffix);
  if (bin !== undefined) return { base: 2, exponent: bin };
  if (suffix.length > 1 && (suffix[0] === 'E' || suffix[0] === 'e')) {
    const rest = suffix.slice(1);
    if (!/^[+-]?\d+$/.test(rest)) return undefined;
    const exponent = Number.parseInt(rest, 10);
    if (exponent > INT32_MAX || exponent < INT32_MIN) return undefined;
    return { base: 10, exponent };
  }
  return undefined;
}

/**
 * ParseQuantity: a string such as "0.05", "50m", "1.5Gi", "1e-3", or a JSON number (read through its
 * shortest decimal form, which is what a JSON number carries). undefined when Kubernetes would
 * reject it.
 */
export function parseQuantity(input: string | number): KubeQuantity | undefined {
  const str = typeof input === 'number' ? (Number.isFinite(input) ? String(input) : '') : input;
  if (str.length === 0) return undefined;
  if (str === '0') return { unscaled: 0n, exponent: 0 };
  const s = scanQuantity(str);
  if (!s) return undefined;
  const sfx = interpretSuffix(s.suffix);
  if (!sfx) return undefined;

  let precision: number;
  let scale: number;
  let mantissa = 1n;
  if (sfx.base === 10) {
    scale = sfx.exponent;
    precision = MAX_INT64_FACTORS - (s.num.length + s.denom.length);
  } else {
    scale = 0;
    if (sfx.exponent >= 0 && s.denom.length === 0) {
      mantissa = 1n << BigInt(sfx.exponent);
      precision = 15 - s.num.length - Math.trunc((sfx.exponent * 3) / 10) - 1;
    } else precision = -1;
  }

  // Fast path: an int64 amount with a scale no finer than nano.
  if (precision >= 0) {
    scale -= s.denom.length;
    if (scale >= NANO_EXPONENT) {
      const result = BigInt(s.num + s.denom) * mantissa;
      if (result <= INT64_MAX) return { unscaled: s.positive ? result : -result, exponent: scale };
    }
  }

  // Slow path (inf.Dec): exact decimal, then rounded up (away from zero) to nano.
  const m = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(s.value);
  if (!m) return undefined;
  const intPart = m[1] ?? '';
  const frac = m[2] ?? '';
  let unscaled = BigInt(intPart + frac === '' ? '0' : intPart + frac);
  let decScale = frac.length;
  if (sfx.base === 10) decScale -= sfx.exponent;
  else unscaled *= 1n << BigInt(sfx.exponent);
  if (unscaled !== 0n) {
    const target = -NANO_EXPONENT;
    if (decScale <= target) unscaled *= 10n ** BigInt(target - decScale);
    else {
      const div = 10n ** BigInt(decScale - target);
      const q = unscaled / div;
      unscaled = q * div === unscaled ? q : q + 1n;
    }
    decScale = target;
  }
  return { unscaled: s.positive ? unscaled : -unscaled, exponent: -decScale };
}

/** Go math.Pow10 (table based, so the same bits as Go, not a correctly rounded 10^n). */
function goPow10(n: number): number {
  if (n >= 0 && n <= 308) return Number(`1e${32 * Math.floor(n / 32)}`) * Number(`1e${n % 32}`);
  if (n < 0 && n >= -323) return Number(`1e-${32 * Math.floor(-n / 32)}`) / Number(`1e${-n % 32}`);
  return n > 0 ? Number.POSITIVE_INFINITY : 0;
}

/** Quantity.AsApproximateFloat64: float64(unscaled) × Pow10(exponent), as the controller reads tolerance. */
export function quantityToFloat64(q: KubeQuantity): number {
  const base = Number(q.unscaled);
  if (q.exponent === 0) return base;
  return base * goPow10(q.exponent);
}

/** Quantity.MilliValue: the value in thousandths, rounded away from zero (ceil for positive values). */
export function quantityMilliValue(q: KubeQuantity): number {
  const shift = q.exponent + 3;
  if (shift >= 0) return Number(q.unscaled * 10n ** BigInt(shift));
  const div = 10n ** BigInt(-shift);
  const quot = q.unscaled / div;
  if (quot * div === q.unscaled) return Number(quot);
  return Number(q.unscaled > 0n ? quot + 1n : quot - 1n);
}

/** int32 wrap-around, as Go's int32 addition and subtraction. Also turns -0 into 0. */
const int32 = (x: number): number => x | 0;

/** float64 → int32 after ceil/trunc; Go leaves out-of-range conversions implementation-defined, we saturate. */
function floatToInt32(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x >= INT32_MAX) return INT32_MAX;
  if (x <= INT32_MIN) return INT32_MIN;
  return Math.trunc(x) + 0;
}

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

export type HpaToleranceResult =
  | { ok: true; tolerances: HpaTolerances }
  | { ok: false; code: 'InvalidTolerance'; message: string };

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
    ok: true, name, source, replicas, ratio, verdict, tolerances, message,
  });

  // Resource/ContainerResource Utilization: GetResourceReplicas with an integer utilization percentage.
  if (target.type === 'Utilization') {
    if (current === 0) return fail('NoPods', `${name}: no pods to average over at 0 replicas (no pods returned by selector).`);
    if (!(target.averageUtilization > 0)) return fail('InvalidTarget', `${name}: averageUtilization must be greater than 0.`);
    // GetResourceUtilizationRatio: currentUtilization = int32(metricsTotal*100/requestsTotal), truncated.
    const utilization = Math.trunc(value) + 0;
    const ratio = utilization / target.averageUtilization;
    if (isWithinTolerance(ratio, tolerances)) {
      return ok(current, ratio, 'WithinTolerance', `${name}: utilization ${utilization}% vs target ${target.averageUtilization}% is ratio ${fmt(ratio)}, inside the tolerance band ${band}, so it proposes the current ${current}.`);
    }
    const replicas = floatToInt32(Math.ceil(ratio * current));
    return ok(replicas, ratio, 'OutsideTolerance', `${name}: utilization ${utilization}% vs target ${target.averageUtilization}% is ratio ${fmt(ratio)}, outside the tolerance band ${band}, so it proposes ceil(${fmt(ratio)} × ${current}) = ${replicas}.`);
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
      return ok(current, ratio, 'WithinTolerance', `${name}: per-pod average ${show(usage)} vs target ${show(targetMilli)} is ratio ${fmt(ratio)}, inside the tolerance band ${band}, so it proposes the current ${current}.`);
    }
    const replicas = floatToInt32(Math.ceil(ratio * current));
    return ok(replicas, ratio, 'OutsideTolerance', `${name}: per-pod average ${show(usage)} vs target ${show(targetMilli)} is ratio ${fmt(ratio)}, outside the tolerance band ${band}, so it proposes ceil(${fmt(ratio)} × ${current}) = ${replicas}.`);
  }

  // Object/External AverageValue: GetObjectPerPodMetricReplicas / GetExternalPerPodMetricReplicas.
  if (target.type === 'AverageValue') {
    const status = ctx.statusReplicas ?? current;
    const ratio = usage / (targetMilli * status);
    if (isWithinTolerance(ratio, tolerances)) {
      return ok(status, ratio, 'WithinTolerance', `${name}: total ${show(usage)} over ${status} replicas vs ${show(targetMilli)} per replica is ratio ${fmt(ratio)}, inside the tolerance band ${band}, so it proposes ${status}.`);
    }
    const replicas = floatToInt32(Math.ceil(usage / targetMilli));
    return ok(replicas, ratio, 'OutsideTolerance', `${name}: total ${show(usage)} over ${status} replicas vs ${show(targetMilli)} per replica is ratio ${fmt(ratio)}, outside the tolerance band ${band}, so it proposes ceil(${show(usage)} ÷ ${show(targetMilli)}) = ${replicas}.`);
  }

  // Object/External Value: GetObjectMetricReplicas / GetExternalMetricReplicas → getUsageRatioReplicaCount.
  const ratio = usage / targetMilli;
  if (current === 0) {
    // Scale from zero: no tolerance and no ready pods, replicas = ceil(ratio).
    const replicas = floatToInt32(Math.ceil(ratio));
    return ok(replicas, ratio, 'ToleranceNotApplied', `${name}: value ${show(usage)} vs target ${show(targetMilli)} is ratio ${fmt(ratio)}; at 0 replicas Kubernetes skips the tolerance and proposes ceil(${fmt(ratio)}) = ${replicas}.`);
  }
  if (isWithinTolerance(ratio, tolerances)) {
    return ok(current, ratio, 'WithinTolerance', `${name}: value ${show(usage)} vs target ${show(targetMilli)} is ratio ${fmt(ratio)}, inside the tolerance band ${band}, so it proposes the current ${current}.`);
  }
  const ready = ctx.readyPods ?? current;
  const replicaCountFloat = ratio * ready;
  const replicas = replicaCountFloat > INT32_MAX ? INT32_MAX : floatToInt32(Math.ceil(replicaCountFloat));
  return ok(replicas, ratio, 'OutsideTolerance', `${name}: value ${show(usage)} vs target ${show(targetMilli)} is ratio ${fmt(ratio)}, outside the tolerance band ${band}, so it proposes ceil(${fmt(ratio)} × ${ready} ready pods) = ${replicas}.`);
}

export interface HpaDesiredInput extends HpaMetricContext {
  metrics: HpaMetricInput[];
}

export type HpaDesiredResult =
  | {
      ok: true;
      code: 'ValidMetricFound';
      /** The largest proposal: the raw recommendation to feed to normalizeWith(out)Behavior. */
      desiredReplicas: number;
      /** The metric that proposed it (the first of equal proposals, as computeReplicasForMetrics). */
      metric: string;
      invalidMetrics: number;
      perMetric: HpaMetricResult[];
      message: string;
    }
  | { ok: false; code: 'NoValidMetrics' | 'InvalidMetricsBlockScaleDown'; perMetric: HpaMetricResult[]; message: string };

/**
 * computeReplicasForMetrics: every metric proposes, the largest proposal wins. When every metric is
 * invalid, or some are invalid and the valid ones would scale down, Kubernetes does not scale at all.
 */
export function computeDesiredReplicas(input: HpaDesiredInput): HpaDesiredResult {
  const perMetric = input.metrics.map((m) => computeReplicasForMetric(m, input));
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
    return { ok: false, code: 'NoValidMetrics', perMetric, message: `No metric could propose a replica count (${invalid} invalid of ${perMetric.length}), so the HPA does not scale.${why}` };
  }
  if (invalid > 0 && replicas < input.currentReplicas) {
    return {
      ok: false,
      code: 'InvalidMetricsBlockScaleDown',
      perMetric,
      message: `The valid metrics would scale down to ${replicas}, but ${invalid} of ${perMetric.length} metrics are invalid, and Kubernetes never scales down on partial data; replicas stay at ${input.currentReplicas}.`,
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

// ---------------------------------------------------------------------------------------------
// History (horizontal.go timestampedRecommendation / timestampedScaleEvent), read and written as ISO

interface Rec {
  at: number;
  replicas: number;
}
interface Ev {
  at: number;
  change: number;
  outdated: boolean;
}
interface Hist {
  recommendations: Rec[];
  up: Ev[];
  down: Ev[];
}

function readHistory(history: HpaHistory): Hist | string {
  const recommendations: Rec[] = [];
  for (const r of history.recommendations) {
    const at = toEpochMs(r.at);
    if (at === undefined) return `recommendation timestamp ${JSON.stringify(r.at)} is not an ISO 8601 timestamp with an offset`;
    recommendations.push({ at, replicas: r.replicas });
  }
  const events = (list: HpaHistory['scaleEvents']['up']): Ev[] | string => {
    const out: Ev[] = [];
    for (const e of list) {
      const at = toEpochMs(e.at);
      if (at === undefined) return `scale event timestamp ${JSON.stringify(e.at)} is not an ISO 8601 timestamp with an offset`;
      out.push({ at, change: e.change, outdated: e.outdated === true });
    }
    return out;
  };
  const up = events(history.scaleEvents.up);
  if (typeof up === 'string') return up;
  const down = events(history.scaleEvents.down);
  if (typeof down === 'string') return down;
  return { recommendations, up, down };
}

function writeHistory(h: Hist): HpaHistory {
  const ev = (e: Ev) => (e.outdated ? { at: isoUtc(e.at), change: e.change, outdated: true } : { at: isoUtc(e.at), change: e.change });
  return {
    recommendations: h.recommendations.map((r) => ({ at: isoUtc(r.at), replicas: r.replicas })),
    scaleEvents: { up: h.up.map(ev), down: h.down.map(ev) },
  };
}

/** getLongestPolicyPeriod. */
function longestPolicyPeriod(rules: HpaScalingRulesDefaulted): number {
  let longest = 0;
  for (const p of rules.policies) if (p.periodSeconds > longest) longest = p.periodSeconds;
  return longest;
}

/**
 * Drop only what can never matter again (for the same behavior and a `now` that does not go back):
 * - recommendations older than every stabilization window: Kubernetes never counts them again, it
 *   only reuses their slot, and stabilization is a min/max so slot order is irrelevant;
 * - scale events of a direction older than its longest policy period, but only when that period is
 *   at least the other direction's: events are also read by the other direction's policies, and when
 *   that direction looks further back Kubernetes keeps them (its slot reuse already bounds the list),
 *   so we keep its list exactly as Kubernetes would, order included.
 * Entries exactly at a cutoff are kept (harmless: they do not count either).
 */
function trim(h: Hist, behavior: HpaBehaviorDefaulted | undefined, now: number, noBehaviorWindowSeconds: number): Hist {
  const recWindow = behavior
    ? Math.max(behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds)
    : noBehaviorWindowSeconds;
  const recCutoff = now - recWindow * MS_PER_SECOND;
  const recommendations = h.recommendations.filter((r) => !(r.at < recCutoff));
  if (!behavior) return { recommendations, up: h.up, down: h.down };
  const upPeriod = longestPolicyPeriod(behavior.scaleUp);
  const downPeriod = longestPolicyPeriod(behavior.scaleDown);
  const keepRecent = (events: Ev[], period: number): Ev[] => {
    const cutoff = now - period * MS_PER_SECOND;
    return events.filter((e) => !(e.at < cutoff));
  };
  return {
    recommendations,
    up: upPeriod >= downPeriod ? keepRecent(h.up, upPeriod) : h.up,
    down: downPeriod >= upPeriod ? keepRecent(h.down, downPeriod) : h.down,
  };
}

export type HpaHistoryResult = { ok: true; history: HpaHistory } | { ok: false; code: 'InvalidHistory'; message: string };

/** Trim a history to what the given behavior (or, without one, the downscale window) can still read. */
export function trimHpaHistory(
  history: HpaHistory,
  behavior: HpaBehaviorDefaulted | undefined,
  now: number,
  downscaleStabilizationWindowSeconds: number = HPA_DEFAULT_DOWNSCALE_STABILIZATION_SECONDS,
): HpaHistoryResult {
  const h = readHistory(history);
  if (typeof h === 'string') return { ok: false, code: 'InvalidHistory', message: h };
  return { ok: true, history: writeHistory(trim(h, behavior, now, downscaleStabilizationWindowSeconds)) };
}

/**
 * storeScaleEvent, called after the target was actually rescaled from previousReplicas to
 * newReplicas. Without a behavior nothing is stored (the events would never be read). Events of that
 * direction older than its longest policy period are marked outdated (markScaleEventsOutdated) and
 * the last outdated one is overwritten; otherwise the event is appended. The result is trimmed.
 */
export function recordHpaScaleEvent(input: {
  history: HpaHistory | undefined;
  behavior: HpaBehaviorDefaulted | undefined;
  previousReplicas: number;
  newReplicas: number;
  now: number;
}): HpaHistoryResult {
  const { behavior, previousReplicas, newReplicas, now } = input;
  const h = readHistory(input.history ?? { recommendations: [], scaleEvents: { up: [], down: [] } });
  if (typeof h === 'string') return { ok: false, code: 'InvalidHistory', message: h };
  // Without a behavior storeScaleEvent returns at once (and the caller's downscale window, which
  // trimming would need, is not known here): the history goes back untouched.
  if (!behavior) return { ok: true, history: writeHistory(h) };
  // Kubernetes calls storeScaleEvent only after a rescale, so an unchanged count stores nothing.
  if (newReplicas === previousReplicas) return { ok: true, history: writeHistory(trim(h, behavior, now, 0)) };
  const upward = newReplicas > previousReplicas;
  const rules = upward ? behavior.scaleUp : behavior.scaleDown;
  const cutoff = now - longestPolicyPeriod(rules) * MS_PER_SECOND;
  const events = (upward ? h.up : h.down).map((e) => (e.at < cutoff ? { ...e, outdated: true } : e));
  const change = int32(upward ? newReplicas - previousReplicas : previousReplicas - newReplicas);
  const fresh: Ev = { at: now, change, outdated: false };
  let oldIndex = -1;
  events.forEach((e, i) => {
    if (e.outdated) oldIndex = i;
  });
  if (oldIndex >= 0) events[oldIndex] = fresh;
  else events.push(fresh);
  const next: Hist = upward ? { ...h, up: events } : { ...h, down: events };
  return { ok: true, history: writeHistory(trim(next, behavior, now, 0)) };
}

// ---------------------------------------------------------------------------------------------
// Normalisation

export type HpaReason =
  | 'ScalingDisabled'
  | 'CurrentAboveMax'
  | 'CurrentBelowMin'
  | 'ScaleUpStabilized'
  | 'ScaleDownStabilized'
  | 'ScaleUpLimit'
  | 'ScaleDownLimit'
  | 'TooManyReplicas'
  | 'TooFewReplicas'
  | 'DesiredWithinRange';

/** The HPA status conditions Kubernetes would set in this step, with its exact reasons and messages. */
interface HpaConditions {
  ableToScale?: { status: true; reason: 'ScaleUpStabilized' | 'ScaleDownStabilized' | 'ReadyForNewScale'; message: string };
  scalingLimited?: { status: boolean; reason: 'ScaleUpLimit' | 'ScaleDownLimit' | 'TooManyReplicas' | 'TooFewReplicas' | 'DesiredWithinRange'; message: string };
  scalingActive?: { status: false; reason: 'ScalingDisabled'; message: string };
}

interface HpaStabilizationPick {
  /** Stabilization windows in seconds (scaleUp absent without a behavior: only scale-down is stabilized). */
  window: { scaleUp?: number; scaleDown: number };
  /** The raw recommendation first, then every stored recommendation inside each window. */
  candidates: { scaleUp?: number[]; scaleDown: number[] };
  /** Lowest scale-up candidate: the floor the result may not go below (behavior only). */
  scaleUpBound?: number;
  /** Highest scale-down candidate: the ceiling the result may not go above. */
  scaleDownBound: number;
  picked: number;
}

interface HpaLimitTrace {
  /** "Pods 4 per 15s", "Percent 100 per 15s", or "scaleUpLimit" (no behavior). */
  policy: string;
  type?: HpaScalingPolicy['type'];
  value?: number;
  periodSeconds?: number;
  /** current − added in the period + removed in the period. */
  periodStartReplicas?: number;
  replicasAddedInPeriod?: number;
  replicasRemovedInPeriod?: number;
  /** The replica count this policy allows. */
  limit: number;
}

export type HpaNormalizeResult =
  | {
      ok: true;
      replicas: number;
      reason: HpaReason;
      message: string;
      conditions: HpaConditions;
      trace: HpaNormalizeTrace;
      /** The history to carry in the decision's state (recommendation stored, trimmed). */
      history: HpaHistory;
    }
  | { ok: false; code: 'InvalidInput' | 'InvalidHistory'; message: string };

interface BaseInput {
  currentReplicas: number;
  /** The raw recommendation (computeDesiredReplicas). */
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  /** The history from the previous decision's state; omit it for the very first decision of this HPA. */
  history?: HpaHistory | undefined;
  /** Epoch milliseconds. */
  now: number;
}

export interface HpaNormalizeWithBehaviorInput extends BaseInput {
  /** Fully defaulted (applyHpaBehaviorDefaults). */
  behavior: HpaBehaviorDefaulted;
}

export interface HpaNormalizeWithoutBehaviorInput extends BaseInput {
  /** --horizontal-pod-autoscaler-downscale-stabilization, default 300 s. */
  downscaleStabilizationWindowSeconds?: number;
}

const K8S_MESSAGES = {
  readyForNewScale: 'recommended size matches current size',
  scaleUpStabilized: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
  scaleDownStabilized: 'recent recommendations were higher than current one, applying the highest recent recommendation',
  scaleUpLimit: 'the desired replica count is increasing faster than the maximum scale rate',
  scaleDownLimit: 'the desired replica count is decreasing faster than the maximum scale rate',
  tooMany: 'the desired replica count is more than the maximum replica count',
  tooFew: 'the desired replica count is less than the minimum replica count',
  withinRange: 'the desired count is within the acceptable range',
  scalingDisabled: 'scaling is disabled since the replica count of the target is zero',
} as const;

function checkInput(i: BaseInput): string | undefined {
  const ints: Array<[string, number]> = [
    ['currentReplicas', i.currentReplicas],
    ['desiredReplicas', i.desiredReplicas],
    ['minReplicas', i.minReplicas],
    ['maxReplicas', i.maxReplicas],
  ];
  for (const [k, v] of ints) {
    if (!Number.isInteger(v) || v < 0 || v > INT32_MAX) return `${k} must be an integer from 0 to ${INT32_MAX}, got ${v}`;
  }
  if (i.maxReplicas < 1) return 'maxReplicas must be at least 1';
  if (i.minReplicas > i.maxReplicas) return `minReplicas ${i.minReplicas} must be less than or equal to maxReplicas ${i.maxReplicas}`;
  if (!Number.isFinite(i.now)) return 'now must be epoch milliseconds';
  return undefined;
}

/**
 * Start of normalisation: read the history, or — for the first decision of an HPA —
 * recordInitialRecommendation stores the current count, so a fresh HPA cannot scale down within its
 * first stabilization window.
 */
function startHistory(i: BaseInput): Hist | string {
  if (i.history === undefined) return { recommendations: [{ at: i.now, replicas: i.currentReplicas }], up: [], down: [] };
  return readHistory(i.history);
}

/**
 * reconcileAutoscaler when computeReplicasForMetrics fails (every metric invalid, or some invalid
 * while the rest would scale down, returned as -1): recordInitialRecommendation has already run, but
 * the controller returns before normalizing, so no recommendation of this evaluation is stored.
 */
export function historyWithoutRecommendation(input: {
  history: HpaHistory | undefined;
  currentReplicas: number;
  behavior: HpaBehaviorDefaulted | undefined;
  now: number;
  downscaleStabilizationWindowSeconds?: number;
}): HpaHistoryResult {
  const start = startHistory({ ...input, desiredReplicas: input.currentReplicas, minReplicas: 0, maxReplicas: 1 });
  if (typeof start === 'string') return { ok: false, code: 'InvalidHistory', message: start };
  const window = input.downscaleStabilizationWindowSeconds ?? HPA_DEFAULT_DOWNSCALE_STABILIZATION_SECONDS;
  return { ok: true, history: writeHistory(trim(start, input.behavior, input.now, window)) };
}

/** The reasons of reconcileAutoscaler's shortcuts: the count goes to a bound, or stays, with no metric consulted. */
export const HPA_SHORTCUT_REASONS: ReadonlySet<HpaReason> = new Set<HpaReason>(['ScalingDisabled', 'CurrentAboveMax', 'CurrentBelowMin']);

/** reconcileAutoscaler's branches that skip the metrics and normalisation altogether. */
function shortcut(i: BaseInput): { replicas: number; reason: HpaReason; message: string; conditions: HpaConditions } | undefined {
  const { currentReplicas: cur, minReplicas: min, maxReplicas: max } = i;
  if (cur === 0 && min !== 0) {
    return {
      replicas: 0,
      reason: 'ScalingDisabled',
      message: `Scaling is disabled: the target has 0 replicas and minReplicas is ${min}, so the HPA leaves it at 0.`,
      conditions: { scalingActive: { status: false, reason: 'ScalingDisabled', message: K8S_MESSAGES.scalingDisabled } },
    };
  }
  if (cur > max) {
    return { replicas: max, reason: 'CurrentAboveMax', message: `Current replicas ${cur} are above maxReplicas ${max}: scale to ${max} without consulting metrics or behavior.`, conditions: {} };
  }
  if (cur < min) {
    return { replicas: min, reason: 'CurrentBelowMin', message: `Current replicas ${cur} are below minReplicas ${min}: scale to ${min} without consulting metrics or behavior.`, conditions: {} };
  }
  return undefined;
}

/** getReplicasChangePerPeriod: the sum of changes strictly after now − period. */
function changeInPeriod(periodSeconds: number, events: Ev[], now: number): number {
  const cutoff = now - periodSeconds * MS_PER_SECOND;
  let replicas = 0;
  for (const e of events) if (e.at > cutoff) replicas = int32(replicas + e.change);
  return replicas;
}

const policyLabel = (p: HpaScalingPolicy): string => `${p.type} ${p.value} per ${p.periodSeconds}s`;

/** calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors. */
function policyLimit(
  direction: 'up' | 'down',
  current: number,
  h: Hist,
  rules: HpaScalingRulesDefaulted,
  now: number,
): { limit: number; traces: HpaLimitTrace[] } {
  if (rules.selectPolicy === 'Disabled') return { limit: current, traces: [] };
  // Up: Max picks the largest allowed count; Min the smallest. Down: Max (most change) picks the
  // smallest count; Min (least change) the largest.
  const wantLargest = (direction === 'up') === (rules.selectPolicy === 'Max');
  let result = wantLargest ? INT32_MIN : INT32_MAX;
  const traces: HpaLimitTrace[] = [];
  for (const p of rules.policies) {
    const added = changeInPeriod(p.periodSeconds, h.up, now);
    const removed = changeInPeriod(p.periodSeconds, h.down, now);
    const periodStart = int32(int32(current - added) + removed);
    let proposed: number;
    if (direction === 'up') {
      // Percent is rounded up, or a small count would never grow.
      proposed = p.type === 'Pods' ? int32(periodStart + p.value) : floatToInt32(Math.ceil(periodStart * (1 + p.value / 100)));
    } else {
      proposed = p.type === 'Pods' ? int32(periodStart - p.value) : floatToInt32(periodStart * (1 - p.value / 100));
    }
    result = wantLargest ? Math.max(result, proposed) : Math.min(result, proposed);
    traces.push({
      policy: policyLabel(p),
      type: p.type,
      value: p.value,
      periodSeconds: p.periodSeconds,
      periodStartReplicas: periodStart,
      replicasAddedInPeriod: added,
      replicasRemovedInPeriod: removed,
      limit: proposed,
    });
  }
  return { limit: result, traces };
}

function stabilityClause(pick: HpaStabilizationPick, desired: number, reason: 'ScaleUpStabilized' | 'ScaleDownStabilized'): string {
  if (reason === 'ScaleDownStabilized') {
    return `scale-down stabilized: the highest recommendation in the last ${pick.window.scaleDown}s is ${pick.scaleDownBound}, so the raw ${desired} becomes ${pick.picked}`;
  }
  return `scale-up stabilized: the lowest recommendation in the last ${pick.window.scaleUp ?? 0}s is ${pick.scaleUpBound ?? desired}, so the raw ${desired} becomes ${pick.picked}`;
}

function finish(
  current: number,
  desired: number,
  stabilized: number,
  stabReason: 'ScaleUpStabilized' | 'ScaleDownStabilized' | undefined,
  pick: HpaStabilizationPick,
  converted: { replicas: number; reason: NonNullable<HpaConditions['scalingLimited']>['reason'] },
  trace: HpaNormalizeTrace,
): { reason: HpaReason; message: string; conditions: HpaConditions } {
  const conditions: HpaConditions = {
    ableToScale: stabReason
      ? { status: true, reason: stabReason, message: stabReason === 'ScaleUpStabilized' ? K8S_MESSAGES.scaleUpStabilized : K8S_MESSAGES.scaleDownStabilized }
      : { status: true, reason: 'ReadyForNewScale', message: K8S_MESSAGES.readyForNewScale },
    scalingLimited: {
      status: converted.replicas !== stabilized,
      reason: converted.reason,
      message: {
        ScaleUpLimit: K8S_MESSAGES.scaleUpLimit,
        ScaleDownLimit: K8S_MESSAGES.scaleDownLimit,
        TooManyReplicas: K8S_MESSAGES.tooMany,
        TooFewReplicas: K8S_MESSAGES.tooFew,
        DesiredWithinRange: K8S_MESSAGES.withinRange,
      }[converted.reason],
    },
  };
  const parts: string[] = [];
  if (stabReason) parts.push(stabilityClause(pick, desired, stabReason));
  const r = converted.replicas;
  switch (converted.reason) {
    case 'ScaleUpLimit':
      parts.push(
        trace.selectPolicy
          ? `scale-up rate limit: the policies (selectPolicy ${trace.selectPolicy}) allow at most ${r} from ${current}, so ${stabilized} is capped to ${r}`
          : `scale-up limit without a behavior: one step reaches at most max(${HPA_SCALE_UP_LIMIT_FACTOR} × ${current}, ${HPA_SCALE_UP_LIMIT_MINIMUM}) = ${r}, so ${stabilized} is capped to ${r}`,
      );
      break;
    case 'ScaleDownLimit':
      parts.push(`scale-down rate limit: the policies (selectPolicy ${trace.selectPolicy ?? 'Max'}) allow no fewer than ${r} from ${current}, so ${stabilized} is raised to ${r}`);
      break;
    case 'TooManyReplicas':
      parts.push(`${stabilized} is above maxReplicas, capped to ${r}`);
      break;
    case 'TooFewReplicas':
      parts.push(`${stabilized} is below minReplicas, raised to ${r}`);
      break;
    case 'DesiredWithinRange':
      break;
  }
  const outcome = r === current ? `replicas stay at ${current}` : `scale from ${current} to ${r}`;
  const reason: HpaReason = converted.reason !== 'DesiredWithinRange' ? converted.reason : (stabReason ?? 'DesiredWithinRange');
  const lead = parts.length ? `${parts.join('; ')}: ` : `Desired ${desired} is within range and rate limits: `;
  const message = lead.charAt(0).toUpperCase() + lead.slice(1) + outcome + '.';
  return { reason, message, conditions };
}

/**
 * normalizeDesiredReplicasWithBehaviors: stabilize (lowest recommendation in the scale-up window,
 * highest in the scale-down window, current count kept in between), then the rate limits of the
 * policies over their periods, then [minReplicas, maxReplicas]. The raw recommendation is stored.
 */
export function normalizeWithBehavior(input: HpaNormalizeWithBehaviorInput): HpaNormalizeResult {
  const bad = checkInput(input);
  if (bad) return { ok: false, code: 'InvalidInput', message: bad };
  const { currentReplicas: current, desiredReplicas: desired, minReplicas: min, maxReplicas: max, behavior, now } = input;
  const start = startHistory(input);
  if (typeof start === 'string') return { ok: false, code: 'InvalidHistory', message: start };

  const skip = shortcut(input);
  if (skip) {
    return { ok: true, ...skip, trace: { currentReplicas: current, desiredReplicas: desired, limits: [] }, history: writeHistory(trim(start, behavior, now, 0)) };
  }

  // stabilizeRecommendationWithBehaviors
  const upWindow = behavior.scaleUp.stabilizationWindowSeconds;
  const downWindow = behavior.scaleDown.stabilizationWindowSeconds;
  const upCutoff = now - upWindow * MS_PER_SECOND;
  const downCutoff = now - downWindow * MS_PER_SECOND;
  let upRecommendation = desired;
  let downRecommendation = desired;
  const upCandidates = [desired];
  const downCandidates = [desired];
  let oldIndex = -1;
  start.recommendations.forEach((rec, i) => {
    if (rec.at > upCutoff) {
      upRecommendation = Math.min(rec.replicas, upRecommendation);
      upCandidates.push(rec.replicas);
    }
    if (rec.at > downCutoff) {
      downRecommendation = Math.max(rec.replicas, downRecommendation);
      downCandidates.push(rec.replicas);
    }
    if (rec.at < upCutoff && rec.at < downCutoff) oldIndex = i;
  });
  let stabilized = current;
  if (stabilized < upRecommendation) stabilized = upRecommendation;
  if (stabilized > downRecommendation) stabilized = downRecommendation;
  const recommendations = start.recommendations.slice();
  const entry: Rec = { at: now, replicas: desired };
  if (oldIndex >= 0) recommendations[oldIndex] = entry;
  else recommendations.push(entry);
  const stabReason = stabilized !== desired ? (desired >= current ? 'ScaleUpStabilized' : 'ScaleDownStabilized') : undefined;
  const pick: HpaStabilizationPick = {
    window: { scaleUp: upWindow, scaleDown: downWindow },
    candidates: { scaleUp: upCandidates, scaleDown: downCandidates },
    scaleUpBound: upRecommendation,
    scaleDownBound: downRecommendation,
    picked: stabilized,
  };

  // convertDesiredReplicasWithBehaviorRate
  const trace: HpaNormalizeTrace = { currentReplicas: current, desiredReplicas: desired, stabilizationPick: pick, direction: 'none', limits: [] };
  let converted: { replicas: number; reason: NonNullable<HpaConditions['scalingLimited']>['reason'] } = { replicas: stabilized, reason: 'DesiredWithinRange' };
  if (stabilized > current) {
    const { limit, traces } = policyLimit('up', current, start, behavior.scaleUp, now);
    // Never below the current count: past scale-ups may exceed a policy changed since.
    const scaleUpLimit = limit < current ? current : limit;
    trace.direction = 'up';
    trace.selectPolicy = behavior.scaleUp.selectPolicy;
    trace.limits = traces;
    trace.rateLimit = scaleUpLimit;
    let maximumAllowed = max;
    let reason: 'ScaleUpLimit' | 'TooManyReplicas' = 'TooManyReplicas';
    if (maximumAllowed > scaleUpLimit) {
      maximumAllowed = scaleUpLimit;
      reason = 'ScaleUpLimit';
    }
    trace.allowed = { maximum: maximumAllowed };
    if (stabilized > maximumAllowed) converted = { replicas: maximumAllowed, reason };
  } else if (stabilized < current) {
    const { limit, traces } = policyLimit('down', current, start, behavior.scaleDown, now);
    const scaleDownLimit = limit > current ? current : limit;
    trace.direction = 'down';
    trace.selectPolicy = behavior.scaleDown.selectPolicy;
    trace.limits = traces;
    trace.rateLimit = scaleDownLimit;
    let minimumAllowed = min;
    let reason: 'ScaleDownLimit' | 'TooFewReplicas' = 'TooFewReplicas';
    if (minimumAllowed < scaleDownLimit) {
      minimumAllowed = scaleDownLimit;
      reason = 'ScaleDownLimit';
    }
    trace.allowed = { minimum: minimumAllowed };
    if (stabilized < minimumAllowed) converted = { replicas: minimumAllowed, reason };
  }

  const done = finish(current, desired, stabilized, stabReason, pick, converted, trace);
  const history = writeHistory(trim({ ...start, recommendations }, behavior, now, 0));
  return { ok: true, replicas: converted.replicas, ...done, trace, history };
}

/**
 * normalizeDesiredReplicas (no `behavior`): the highest recommendation of the downscale window, then
 * convertDesiredReplicasWithRules — minReplicas, and maxReplicas or max(2 × current, 4) whichever is
 * lower. No scale events are kept or read on this path.
 */
export function normalizeWithoutBehavior(input: HpaNormalizeWithoutBehaviorInput): HpaNormalizeResult {
  const bad = checkInput(input);
  if (bad) return { ok: false, code: 'InvalidInput', message: bad };
  const window = input.downscaleStabilizationWindowSeconds ?? HPA_DEFAULT_DOWNSCALE_STABILIZATION_SECONDS;
  if (!Number.isInteger(window) || window < 0) return { ok: false, code: 'InvalidInput', message: `downscaleStabilizationWindowSeconds must be a non-negative integer, got ${window}` };
  const { currentReplicas: current, desiredReplicas: desired, minReplicas: min, maxReplicas: max, now } = input;
  const start = startHistory(input);
  if (typeof start === 'string') return { ok: false, code: 'InvalidHistory', message: start };

  const skip = shortcut(input);
  if (skip) {
    return { ok: true, ...skip, trace: { currentReplicas: current, desiredReplicas: desired, limits: [] }, history: writeHistory(trim(start, undefined, now, window)) };
  }

  // stabilizeRecommendation: samples at or after the cutoff count; the last older one is reused.
  const cutoff = now - window * MS_PER_SECOND;
  let maxRecommendation = desired;
  const candidates = [desired];
  let oldIndex = -1;
  start.recommendations.forEach((rec, i) => {
    if (rec.at < cutoff) oldIndex = i;
    else {
      candidates.push(rec.replicas);
      if (rec.replicas > maxRecommendation) maxRecommendation = rec.replicas;
    }
  });
  const recommendations = start.recommendations.slice();
  const entry: Rec = { at: now, replicas: desired };
  if (oldIndex >= 0) recommendations[oldIndex] = entry;
  else recommendations.push(entry);
  const stabilized = maxRecommendation;
  const stabReason = stabilized !== desired ? 'ScaleDownStabilized' : undefined;
  const pick: HpaStabilizationPick = { window: { scaleDown: window }, candidates: { scaleDown: candidates }, scaleDownBound: maxRecommendation, picked: stabilized };

  // convertDesiredReplicasWithRules
  const scaleUpLimit = floatToInt32(Math.max(HPA_SCALE_UP_LIMIT_FACTOR * current, HPA_SCALE_UP_LIMIT_MINIMUM));
  let maximumAllowed: number;
  let upReason: 'ScaleUpLimit' | 'TooManyReplicas';
  if (max > scaleUpLimit) {
    maximumAllowed = scaleUpLimit;
    upReason = 'ScaleUpLimit';
  } else {
    maximumAllowed = max;
    upReason = 'TooManyReplicas';
  }
  const trace: HpaNormalizeTrace = {
    currentReplicas: current,
    desiredReplicas: desired,
    stabilizationPick: pick,
    direction: stabilized > current ? 'up' : stabilized < current ? 'down' : 'none',
    limits: [{ policy: `scaleUpLimit max(${HPA_SCALE_UP_LIMIT_FACTOR} × current, ${HPA_SCALE_UP_LIMIT_MINIMUM})`, limit: scaleUpLimit }],
    rateLimit: scaleUpLimit,
    allowed: { minimum: min, maximum: maximumAllowed },
  };
  let converted: { replicas: number; reason: NonNullable<HpaConditions['scalingLimited']>['reason'] } = { replicas: stabilized, reason: 'DesiredWithinRange' };
  if (stabilized < min) converted = { replicas: min, reason: 'TooFewReplicas' };
  else if (stabilized > maximumAllowed) converted = { replicas: maximumAllowed, reason: upReason };

  const done = finish(current, desired, stabilized, stabReason, pick, converted, trace);
  const history = writeHistory(trim({ ...start, recommendations }, undefined, now, window));
  return { ok: true, replicas: converted.replicas, ...done, trace, history };
}
