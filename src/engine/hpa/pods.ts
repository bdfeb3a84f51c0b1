// The HPA replica calculation with a pod list, pure: groupPods, the usage ratios over per-pod samples, and the rebalancing of missing and unready pods.
//
// A port, branch for branch, of kubernetes/kubernetes:
// - pkg/controller/podautoscaler/replica_calculator.go: groupPods, removeMetricsForPods,
//   calculateRequests (requests summed over the pod's containers, here given per pod),
//   GetResourceReplicas (Utilization), calcPlainMetricReplicas (GetRawResourceReplicas for a
//   resource AverageValue, GetMetricReplicas for Pods), getReadyPodsCount (Object/External Value);
// - pkg/controller/podautoscaler/metrics/utilization.go: GetResourceUtilizationRatio (integer
//   percentage over the pods that have both a sample and a request; raw average) and
//   GetMetricUsageRatio (integer average), in exact integer arithmetic (BigInt), as the int64 and
//   big.Int paths there compute them.
// Sentences about the outcome are written by src/engine/explain.ts; this file returns numbers, names and codes.
import { HPA_METRIC_ERROR_CODES, HPA_POD_REBALANCE_OUTCOMES } from '../../schemas/codes.js';
import { HPA_DEFAULT_SAMPLE_WINDOW_SECONDS, podSampleMilli, type HpaPodInput } from '../../schemas/hpa-pods.js';
import { toEpochMs } from '../../syntax/duration.js';
import { floatToInt32, INT32_MAX, INT32_MIN } from '../../syntax/int32.js';
import { parseQuantity, quantityMilliValue } from '../../syntax/quantity.js';
import { isWithinTolerance, type HpaTolerances } from './replica-calculator.js';

type HpaMetricErrorCode = (typeof HPA_METRIC_ERROR_CODES)[number];
export type HpaPodRebalanceOutcome = (typeof HPA_POD_REBALANCE_OUTCOMES)[number];

/** One pod, read once per decision: instants in epoch ms, requests and samples in milli-units. */
export interface HpaPodView {
  readonly name: string;
  readonly phase: string;
  /** The Ready condition's status; undefined when the pod has no Ready condition. */
  readonly ready: boolean | undefined;
  /** The Ready condition's lastTransitionTime; −∞ when unknown (Go's zero time is before every real instant). */
  readonly readyTransitionMs: number;
  /** status.startTime; undefined when the pod has not started (Go: StartTime == nil). */
  readonly startMs: number | undefined;
  readonly deleted: boolean;
  readonly requests: ReadonlyMap<string, number>;
  readonly samples: ReadonlyMap<string, { milli: number; timestampMs: number; windowMs: number }>;
}

const instant = (t: string | undefined): number | undefined => (t === undefined ? undefined : toEpochMs(t));

/** The target's pods as the calculation reads them; a sample without a timestamp was taken at `now`. */
export function readPods(pods: readonly HpaPodInput[], now: number): HpaPodView[] {
  return pods.map((p) => {
    const requests = new Map<string, number>();
    for (const [k, v] of Object.entries(p.requests ?? {})) {
      const q = parseQuantity(v);
      if (q) requests.set(k, quantityMilliValue(q));
    }
    const samples = new Map<string, { milli: number; timestampMs: number; windowMs: number }>();
    for (const [k, s] of Object.entries(p.metrics ?? {})) {
      const milli = podSampleMilli(s);
      if (milli === undefined) continue;
      const detail = typeof s === 'object' ? s : undefined;
      samples.set(k, {
        milli,
        timestampMs: instant(detail?.timestamp) ?? now,
        windowMs: (detail?.windowSeconds ?? HPA_DEFAULT_SAMPLE_WINDOW_SECONDS) * 1000,
      });
    }
    return {
      name: p.name,
      phase: p.phase ?? 'Running',
      ready: p.ready,
      readyTransitionMs: instant(p.readyTransitionTime) ?? -Infinity,
      startMs: instant(p.startTime),
      deleted: p.deletionTimestamp !== undefined,
      requests,
      samples,
    };
  });
}

/** kube-controller-manager's two pod-timing flags, in ms. */
export interface HpaPodTiming {
  readonly cpuInitializationPeriodMs: number;
  readonly initialReadinessDelayMs: number;
}

/** groupPods' answer: the pods that count, and the three sets it puts aside. */
export interface HpaPodGrouping {
  ready: number;
  unready: string[];
  missing: string[];
  ignored: string[];
}

/**
 * replica_calculator.go groupPods. Deleted and Failed pods are ignored; Pending pods are unready;
 * pods without a sample are missing; for cpu only, a pod is unready when it has no Ready condition or
 * no start time, or, inside the cpu initialization period, when it is not ready or its sample does not
 * cover a full window since readiness changed, or, after it, when it is not ready and has never been
 * ready (its readiness last changed within the initial readiness delay of its start).
 */
function groupPods(pods: readonly HpaPodView[], metric: string, isCpu: boolean, timing: HpaPodTiming, now: number): HpaPodGrouping {
  const g: HpaPodGrouping = { ready: 0, unready: [], missing: [], ignored: [] };
  for (const pod of pods) {
    if (pod.deleted || pod.phase === 'Failed') {
      g.ignored.push(pod.name);
      continue;
    }
    if (pod.phase === 'Pending') {
      g.unready.push(pod.name);
      continue;
    }
    const sample = pod.samples.get(metric);
    if (!sample) {
      g.missing.push(pod.name);
      continue;
    }
    if (isCpu) {
      let unready: boolean;
      if (pod.ready === undefined || pod.startMs === undefined) unready = true;
      else if (pod.startMs + timing.cpuInitializationPeriodMs > now) {
        // time.After is strict; metric.Timestamp.Before(transition + window) is strict too.
        unready = !pod.ready || sample.timestampMs < pod.readyTransitionMs + sample.windowMs;
      } else {
        unready = !pod.ready && pod.startMs + timing.initialReadinessDelayMs > pod.readyTransitionMs;
      }
      if (unready) {
        g.unready.push(pod.name);
        continue;
      }
    }
    g.ready++;
  }
  return g;
}

// ---------------------------------------------------------------------------------------------
// utilization.go, in exact integer arithmetic

type Ratio = { ok: true; ratio: number; value: number; raw: number } | { ok: false; code: HpaMetricErrorCode; detail: string };

/** GetResourceUtilizationRatio: int32(Σ samples × 100 ÷ Σ requests) over the pods with both, and the raw average. */
function resourceUtilizationRatio(samples: ReadonlyMap<string, number>, requests: ReadonlyMap<string, number>, targetUtilization: number): Ratio {
  let metricsTotal = 0n;
  let requestsTotal = 0n;
  let entries = 0n;
  for (const [name, v] of samples) {
    const r = requests.get(name);
    if (r === undefined) continue;
    metricsTotal += BigInt(v);
    requestsTotal += BigInt(r);
    entries++;
  }
  if (requestsTotal === 0n) return { ok: false, code: 'NoMatchingRequests', detail: 'no metrics returned matched known pods' };
  const percentage = (metricsTotal * 100n) / requestsTotal;
  if (percentage < BigInt(INT32_MIN) || percentage > BigInt(INT32_MAX)) {
    return { ok: false, code: 'InvalidValue', detail: `resource utilization ${percentage} is outside the int32 range` };
  }
  const utilization = Number(percentage);
  return { ok: true, ratio: utilization / targetUtilization, value: utilization, raw: Number(metricsTotal / entries) };
}

/** GetMetricUsageRatio: the integer average of the samples ÷ the target. */
function metricUsageRatio(samples: ReadonlyMap<string, number>, targetMilli: number): Ratio {
  let total = 0n;
  for (const v of samples.values()) total += BigInt(v);
  const usage = Number(total / BigInt(samples.size));
  return { ok: true, ratio: usage / targetMilli, value: usage, raw: usage };
}

// ---------------------------------------------------------------------------------------------
// GetResourceReplicas and calcPlainMetricReplicas

export type HpaPodMetricResult =
  | {
      ok: true;
      replicas: number;
      /** The usage ratio before rebalancing, as Kubernetes reports it. */
      ratio: number;
      /** Utilization: the integer percentage; AverageValue: the per-pod average in milli-units. */
      value: number;
      /** GetResourceUtilizationRatio's raw average in milli-units (Utilization only). */
      rawAverage?: number;
      grouping: HpaPodGrouping;
      /** Present when missing or unready pods were filled in and the ratio computed again. */
      rebalance?: { ratio: number; pods: number; outcome: HpaPodRebalanceOutcome };
      withinTolerance: boolean;
    }
  | { ok: false; code: HpaMetricErrorCode; detail: string; grouping?: HpaPodGrouping };

export interface HpaPodMetricInput {
  /** The metric's name: the key of each pod's sample (and of its request, for one container: "cpu@app"). */
  metric: string;
  /** The resource, for Resource and ContainerResource metrics ("cpu" for "cpu@app"); undefined for Pods metrics. */
  resource: string | undefined;
  target: { kind: 'utilization'; utilization: number } | { kind: 'usage'; milli: number };
  currentReplicas: number;
  tolerances: HpaTolerances;
  timing: HpaPodTiming;
  now: number;
}

/**
 * GetResourceReplicas (Utilization) or calcPlainMetricReplicas (AverageValue), over `pods`: the
 * ready pods' samples decide first; missing pods (on a scale-down: their request × max(100, target)%,
 * or the target usage; on a scale-up: 0) and, on a scale-up, unready pods (0) are then filled in, and
 * the scale is kept at the current count if the new ratio falls inside the tolerance, reverses the
 * direction, or the count of pods considered would.
 */
export function podMetricReplicas(pods: readonly HpaPodView[], input: HpaPodMetricInput): HpaPodMetricResult {
  const { metric, resource, target, currentReplicas: current, tolerances } = input;
  if (pods.length === 0) return { ok: false, code: 'NoPods', detail: 'no pods returned by selector while calculating replica count' };
  const samples = new Map<string, number>();
  for (const p of pods) {
    const s = p.samples.get(metric);
    if (s) samples.set(p.name, s.milli);
  }
  const grouping = groupPods(pods, metric, resource === 'cpu', input.timing, input.now);
  for (const name of grouping.ignored) samples.delete(name);
  for (const name of grouping.unready) samples.delete(name);
  if (samples.size === 0) return { ok: false, code: 'NoReadyPodMetrics', detail: 'did not receive metrics for targeted pods (pods might be unready)', grouping };

  let requests: Map<string, number> | undefined;
  if (target.kind === 'utilization') {
    requests = new Map();
    for (const p of pods) {
      const r = p.requests.get(metric) ?? (resource !== undefined ? p.requests.get(resource) : undefined);
      if (r === undefined) return { ok: false, code: 'MissingRequest', detail: `missing request for ${resource ?? metric} in pod ${p.name}`, grouping };
      requests.set(p.name, r);
    }
  }
  const ratioOf = (m: ReadonlyMap<string, number>): Ratio =>
    requests && target.kind === 'utilization' ? resourceUtilizationRatio(m, requests, target.utilization) : metricUsageRatio(m, target.kind === 'usage' ? target.milli : 1);

  const first = ratioOf(samples);
  if (!first.ok) return { ...first, grouping };
  const { ratio: usageRatio, value } = first;
  const base = { ratio: usageRatio, value, ...(requests && { rawAverage: first.raw }), grouping, withinTolerance: isWithinTolerance(usageRatio, tolerances) };

  const scaleUpWithUnready = grouping.unready.length > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && grouping.missing.length === 0) {
    if (base.withinTolerance) return { ok: true, replicas: current, ...base };
    // Without unready or missing pods, the ready pods decide alone.
    return { ok: true, replicas: floatToInt32(Math.ceil(usageRatio * grouping.ready)), ...base };
  }

  if (grouping.missing.length > 0) {
    if (usageRatio < 1.0) {
      // Scale-down: a missing pod is taken at 100% of its request (or the target above 100%), or at the target usage.
      for (const name of grouping.missing) {
        if (target.kind === 'utilization') {
          const fallback = BigInt(Math.max(100, target.utilization));
          samples.set(name, Number((BigInt(requests!.get(name)!) * fallback) / 100n));
        } else samples.set(name, target.milli);
      }
    } else if (usageRatio > 1.0) {
      for (const name of grouping.missing) samples.set(name, 0);
    }
  }
  if (scaleUpWithUnready) for (const name of grouping.unready) samples.set(name, 0);

  const again = ratioOf(samples);
  if (!again.ok) return { ...again, grouping };
  const newRatio = again.ratio;
  const considered = samples.size;
  const kept = (outcome: HpaPodRebalanceOutcome): HpaPodMetricResult => ({ ok: true, replicas: current, ...base, rebalance: { ratio: newRatio, pods: considered, outcome } });
  if (isWithinTolerance(newRatio, tolerances)) return kept('WithinTolerance');
  if ((usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0)) return kept('DirectionReversed');
  const newReplicas = floatToInt32(Math.ceil(newRatio * considered));
  if ((newRatio < 1.0 && newReplicas > current) || (newRatio > 1.0 && newReplicas < current)) return kept('CountReversed');
  return { ok: true, replicas: newReplicas, ...base, rebalance: { ratio: newRatio, pods: considered, outcome: 'Scaled' } };
}

/** getReadyPodsCount: Running pods whose Ready condition is True (deleted pods included, as there). */
export function readyPodsCount(pods: readonly HpaPodView[]): number {
  let n = 0;
  for (const p of pods) if (p.phase === 'Running' && p.ready === true) n++;
  return n;
}

/**
 * scale.Status.Replicas, which Object/External AverageValue targets divide by (horizontal.go passes
 * statusReplicas to GetObjectPerPodMetricReplicas / GetExternalPerPodMetricReplicas), derived from the
 * pods as the ReplicaSet controller counts them: active pods (pkg/controller/controller_utils.go
 * IsPodActive: not Succeeded, not Failed, no deletion timestamp).
 */
export function activePodsCount(pods: readonly HpaPodView[]): number {
  let n = 0;
  for (const p of pods) if (p.phase !== 'Succeeded' && p.phase !== 'Failed' && !p.deleted) n++;
  return n;
}
