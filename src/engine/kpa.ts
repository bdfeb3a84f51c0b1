// The Knative Pod Autoscaler's arithmetic, number for number: the decider (autoscaler.go Scale) and the scaler's initial scale and scale to zero (kpa/scaler.go).
//
// Sources (knative/serving, commit 98e5ef90aa7033797aa0a61ef97f3ff7e49a3944):
// - pkg/autoscaler/scaling/autoscaler.go: newAutoscaler (start in panic above one pod), Scale (rate
//   limits, desired stable/panic pod counts, activation scale, panic enter/extend/leave, maxPanicPods,
//   the scale-down delay window, excess burst capacity);
// - pkg/autoscaler/aggregation/max/{timewindow,window}.go: the delay window, a max over 2 s buckets kept
//   as its descending maxima;
// - pkg/reconciler/autoscaling/resources/target.go ResolveMetricTarget; kpa/resources/decider.go MakeDecider;
// - pkg/reconciler/autoscaling/kpa/scaler.go scale and handleScaleToZero, kpa.go computeActiveCondition.
// Pure: `now`, the observed values and the previous state are arguments; the next state is returned.
import { KPA_TARGET_MIN, KPA_TICK_MS, type KpaPolicy } from '../schemas/kpa.js';
import type { KPA_CODES } from '../schemas/codes.js';
import { acceptedDurationMs } from '../syntax/duration.js';
import type { Mutable } from '../util/mutable.js';

type KpaCode = (typeof KPA_CODES)[number];

/** The policy's settings resolved once, as MakeDecider builds a DeciderSpec. */
export interface KpaSpec {
  readonly policy: KpaPolicy;
  readonly targetValue: number;
  readonly totalValue: number;
  readonly panicThreshold: number;
  readonly stableWindowMs: number;
  readonly panicWindowMs: number;
  readonly scaleDownDelayMs: number;
  readonly graceMs: number;
  readonly retentionMs: number;
}

/** The delay window of an autoscaler without a scale-down delay: shared, as it is never written to (recordDelay copies). */
const NO_DELAY: KpaMemory['delay'] = Object.freeze([]);

/** Knative's BucketSize (config.go): a panic window is never shorter than one bucket (MakeMetric). */
const BUCKET_MS = 1_000;

/** ResolveMetricTarget + MakeDecider: per-pod target and total, panic threshold as a fraction, windows in ms. */
export function resolveKpaSpec(policy: KpaPolicy): KpaSpec {
  const concurrency = policy.scalingMetric === 'concurrency';
  let total = concurrency ? (policy.containerConcurrency > 0 ? policy.containerConcurrency : 100) : 200;
  if (policy.target !== undefined) {
    // "We pick the smaller value between container concurrency and the annotationTarget" (target.go).
    total = concurrency && policy.containerConcurrency !== 0 ? Math.min(policy.target, policy.containerConcurrency) : policy.target;
  }
  const stableWindowMs = acceptedDurationMs(policy.stableWindow);
  return {
    policy,
    targetValue: Math.max(KPA_TARGET_MIN, total * (policy.targetUtilizationPercentage / 100)),
    totalValue: total,
    panicThreshold: policy.panicThresholdPercentage / 100,
    stableWindowMs,
    panicWindowMs: Math.max(BUCKET_MS, (stableWindowMs * policy.panicWindowPercentage) / 100),
    scaleDownDelayMs: acceptedDurationMs(policy.scaleDownDelay),
    graceMs: acceptedDurationMs(policy.scaleToZeroGracePeriod),
    retentionMs: acceptedDurationMs(policy.scaleToZeroPodRetentionPeriod),
  };
}

/** The state as the engine computes with it (epoch ms); `fresh` when the previous decision sent none. */
export interface KpaMemory {
  readonly fresh: boolean;
  readonly panicTime?: number;
  readonly maxPanicPods: number;
  readonly delay: ReadonlyArray<{ readonly bucket: number; readonly pods: number }>;
  readonly zeroSince?: number;
  readonly initialized: boolean;
}

export interface KpaInputs {
  /** Mean over the stable and panic windows; undefined when the stable window has no point (ErrNoData). */
  readonly observedStable: number | undefined;
  readonly observedPanic: number | undefined;
  /** The reported capacity: Knative's ready pod count. */
  readonly readyPods: number;
  /** The rule set's minimum (min-scale): the scaler's bounds come first (scaler.go scale). */
  readonly minimum: number;
  readonly now: number;
}

export interface KpaResult {
  readonly code: KpaCode;
  /** The capacity the policy proposes; undefined when there is no data (invalidSR: no scale). */
  readonly desired?: number;
  readonly memory: KpaMemory;
  readonly mode?: 'stable' | 'panic';
  readonly decider?: number;
  readonly desiredStablePods?: number;
  readonly desiredPanicPods?: number;
  readonly maxScaleUp?: number;
  readonly maxScaleDown?: number;
  readonly excessBurstCapacity?: number;
  readonly delayedFrom?: number;
  readonly zeroUntil?: number;
  readonly zeroSince?: number;
}

/**
 * max.TimeWindow.Record then Current: pop the maxima the new value dominates, drop buckets that left
 * the window, merge a same-bucket entry, append; the window's value is its first (largest) entry.
 */
function recordDelay(entries: KpaMemory['delay'], size: number, bucket: number, value: number): { entries: KpaMemory['delay']; current: number } {
  const out = [...entries];
  let v = value;
  while (out.length > 0 && v >= out[out.length - 1]!.pods) out.pop();
  while (out.length > 0 && bucket - out[0]!.bucket >= size) out.shift();
  const last = out[out.length - 1];
  if (last !== undefined && last.bucket === bucket) {
    if (last.pods > v) v = last.pods;
    out.pop();
  }
  out.push({ bucket, pods: v });
  return { entries: out, current: out[0]!.pods };
}

/** One evaluation of the KPA: the decider, then the scaler's initial scale and scale-to-zero gate. */
export function kpaScale(spec: KpaSpec, inputs: KpaInputs, prev: KpaMemory): KpaResult {
  const { policy } = spec;
  const { readyPods, now } = inputs;
  // newAutoscaler: "We always start in the panic mode, if the deployment is scaled up over 1 pod", with
  // maxPanicPods at the ready count, so a restart without history does not scale down.
  const starting = prev.fresh && readyPods > 1;
  const memory: KpaMemory = starting ? { ...prev, fresh: false, panicTime: now, maxPanicPods: readyPods } : prev.fresh ? { ...prev, fresh: false } : prev;
  if (inputs.observedStable === undefined || inputs.observedPanic === undefined) return { code: 'KpaNoData', memory };
  const stable = inputs.observedStable;
  const panic = inputs.observedPanic;

  // "Use 1 if there are zero current pods."
  const ready = Math.max(1, readyPods);
  const maxScaleUp = Math.ceil(policy.maxScaleUpRate * ready);
  const maxScaleDown = policy.reachable ? Math.floor(ready / policy.maxScaleDownRate) : 0;
  const dspc = Math.ceil(stable / spec.targetValue);
  const dppc = Math.ceil(panic / spec.targetValue);
  let desiredStable = Math.trunc(Math.min(Math.max(dspc, maxScaleDown), maxScaleUp));
  let desiredPanic = Math.trunc(Math.min(Math.max(dppc, maxScaleDown), maxScaleUp));
  const activation = policy.activationScale ?? 0;
  if (activation > 1) {
    if (dspc > 0 && activation > desiredStable) desiredStable = activation;
    if (dppc > 0 && activation > desiredPanic) desiredPanic = activation;
  }

  const over = dppc / ready >= spec.panicThreshold;
  let panicTime = memory.panicTime;
  let maxPanicPods = memory.maxPanicPods;
  if (over) panicTime = now;
  else if (panicTime !== undefined && panicTime + spec.stableWindowMs < now) {
    // "Stop panicking after the surge has made its way into the stable metric."
    panicTime = undefined;
    maxPanicPods = 0;
  }

  let desired = desiredStable;
  if (panicTime !== undefined) {
    // "We do not scale down while in panic mode. Only increases will be applied."
    desired = Math.max(desired, desiredPanic);
    if (desired > maxPanicPods) maxPanicPods = desired;
    desired = maxPanicPods;
  }

  // Knative has a delay window only with a delay (New: `if deciderSpec.ScaleDownDelay > 0`): none is kept without one.
  let delay = spec.scaleDownDelayMs > 0 ? memory.delay : NO_DELAY;
  let delayedFrom: number | undefined;
  if (policy.reachable && spec.scaleDownDelayMs > 0) {
    const size = Math.ceil(spec.scaleDownDelayMs / KPA_TICK_MS);
    const bucket = Math.floor(Math.floor(now / 1000) / (KPA_TICK_MS / 1000));
    const recorded = recordDelay(delay, size, bucket, desired);
    delay = recorded.entries;
    if (recorded.current !== desired) {
      delayedFrom = desired;
      desired = recorded.current;
    }
  }

  // EBC = TotCapacity - Cur#ReqInFlight - TargetBurstCapacity, on the panic value.
  const tbc = policy.targetBurstCapacity;
  const excessBurstCapacity = tbc === 0 ? 0 : tbc > 0 ? Math.floor(readyPods * spec.totalValue - tbc - panic) : -1;
  const decider = desired;

  // scaler.go scale: initial scale raises the minimum until the revision first reached it. ReconcileKind
  // scales first and marks it initialized after (kpa.go computeActiveCondition: ready ≥ max(min, initialScale)).
  let code: KpaCode = panicTime !== undefined ? 'KpaPanic' : delayedFrom !== undefined ? 'KpaScaleDownDelayed' : 'KpaStable';
  if (policy.initialScale > 1 && !memory.initialized && policy.reachable && desired < policy.initialScale) {
    desired = policy.initialScale;
    code = 'KpaInitialScale';
  }
  const initialized = memory.initialized || readyPods >= Math.max(inputs.minimum, policy.initialScale);

  // handleScaleToZero: zero only with scale to zero enabled and after the grace period (and the
  // pod retention, the longer of the two) has passed since zero was first wanted; until then at most 1.
  // Already at zero there is no pod to keep: the timer runs, nothing waits for it.
  let zeroSince: number | undefined;
  let zeroUntil: number | undefined;
  if (desired === 0 && inputs.minimum === 0) {
    if (!policy.enableScaleToZero) {
      desired = 1;
      code = 'KpaScaleToZeroDisabled';
    } else {
      zeroSince = memory.zeroSince ?? now;
      const retention = policy.reachable ? spec.retentionMs : 0;
      const until = zeroSince + Math.max(spec.graceMs, retention);
      if (now < until && readyPods > 0) {
        desired = Math.min(readyPods, 1);
        zeroUntil = until;
        code = 'KpaScaleToZeroGrace';
      }
    }
  }

  // Written out field by field (no spreads): this runs once per target per decision.
  const next: Mutable<KpaMemory> = { fresh: false, maxPanicPods, delay, initialized };
  if (panicTime !== undefined) next.panicTime = panicTime;
  if (zeroSince !== undefined) next.zeroSince = zeroSince;
  const result: Mutable<KpaResult> = {
    code,
    desired,
    memory: next,
    mode: panicTime !== undefined ? 'panic' : 'stable',
    decider,
    desiredStablePods: desiredStable,
    desiredPanicPods: desiredPanic,
    maxScaleUp,
    maxScaleDown,
    excessBurstCapacity,
  };
  if (delayedFrom !== undefined) result.delayedFrom = delayedFrom;
  if (zeroUntil !== undefined) {
    result.zeroUntil = zeroUntil;
    result.zeroSince = zeroSince;
  }
  return result;
}
