// The Knative Pod Autoscaler as a policy: stable and panic window means from the caller's series, the KPA's arithmetic (kpa.ts), its state carried in the decision's.
import type { StateOut } from '../../schemas/decision.js';
import type { KpaState, KpaTrace } from '../../schemas/kpa.js';
import { isoUtc, toEpochMs } from '../../syntax/duration.js';
import { kpaSentence } from '../explain.js';
import { kpaScale, resolveKpaSpec, type KpaMemory, type KpaSpec } from '../kpa.js';
import { pointsInWindow, type Point } from '../metrics.js';
import type { Proposal } from '../pipeline/recommendation.js';
import type { Policy } from './policy.js';

/**
 * The mean of the revision's total over a window. Knative's collector sums the pods' reports into
 * one-second buckets and averages the buckets (aggregation/bucketing.go WindowAverage); here the caller
 * sends the series, so points that share a timestamp (one per pod) are summed first, then the sums are
 * averaged. A gap is not a zero: send zeros for seconds without traffic (docs/kpa.md).
 */
function windowMean(points: readonly Point[], now: number, windowMs: number): { value?: number; count: number } {
  const inWindow = pointsInWindow(points, now, windowMs);
  let count = 0;
  let total = 0;
  let lastT: number | undefined;
  for (const p of inWindow) {
    if (p.t !== lastT) count++;
    lastT = p.t;
    total += p.v;
  }
  return count === 0 ? { count } : { value: total / count, count };
}

/** The state as sent back (ISO timestamps) → epoch ms; no `kpa` part means a new autoscaler (newAutoscaler). */
function readMemory(state: KpaState | undefined): KpaMemory {
  if (state === undefined) return { fresh: true, maxPanicPods: 0, delay: [], initialized: false };
  const panicTime = state.panicTime !== undefined ? toEpochMs(state.panicTime) : undefined;
  const zeroSince = state.zeroSince !== undefined ? toEpochMs(state.zeroSince) : undefined;
  return {
    fresh: false,
    ...(panicTime !== undefined && { panicTime }),
    maxPanicPods: state.maxPanicPods ?? 0,
    delay: state.delay ?? [],
    ...(zeroSince !== undefined && { zeroSince }),
    initialized: state.initialized ?? false,
  };
}

function writeMemory(m: KpaMemory): NonNullable<StateOut['kpa']> {
  return {
    ...(m.panicTime !== undefined && { panicTime: isoUtc(m.panicTime), maxPanicPods: m.maxPanicPods }),
    ...(m.delay.length > 0 && { delay: m.delay.map((e) => ({ ...e })) }),
    ...(m.zeroSince !== undefined && { zeroSince: isoUtc(m.zeroSince) }),
    ...(m.initialized && { initialized: true }),
  };
}

export const kpaPolicy: Policy<KpaSpec> = {
  kind: 'kpa',
  compile: (spec) => (spec.kpa === undefined ? undefined : resolveKpaSpec(spec.kpa)),
  metrics: (spec) => [spec.policy.metric],
  recommend(spec, ctx) {
    const { now, current, bounds } = ctx;
    const metric = spec.policy.metric;
    const points = ctx.series.get(metric) ?? [];
    const stable = windowMean(points, now, spec.stableWindowMs);
    const panic = windowMean(points, now, spec.panicWindowMs);
    // The panic window lies inside the stable one; with no panic point, the panic value is 0 as in a
    // Knative window whose recent buckets were empty.
    const observed = stable.value === undefined ? {} : { observedStable: stable.value, observedPanic: panic.value ?? 0 };
    const r = kpaScale(spec, { ...observed, readyPods: current, minimum: bounds.minimum, now }, readMemory(ctx.target.state?.kpa));
    const message = kpaSentence(r, spec, metric, { ...(stable.value !== undefined && { stable: stable.value, panic: panic.value ?? 0 }) });
    const trace: KpaTrace = {
      code: r.code,
      ...(r.mode && { mode: r.mode }),
      scalingMetric: spec.policy.scalingMetric,
      ...observed,
      stablePoints: stable.count,
      panicPoints: panic.count,
      targetValue: spec.targetValue,
      totalValue: spec.totalValue,
      readyPods: current,
      ...(r.desiredStablePods !== undefined && { desiredStablePods: r.desiredStablePods, desiredPanicPods: r.desiredPanicPods! }),
      ...(r.maxScaleUp !== undefined && { maxScaleUp: r.maxScaleUp, maxScaleDown: r.maxScaleDown! }),
      panicThreshold: spec.panicThreshold,
      stableWindowMs: spec.stableWindowMs,
      panicWindowMs: spec.panicWindowMs,
      ...(r.decider !== undefined && { decider: r.decider }),
      ...(r.desired !== undefined && { desired: r.desired }),
      ...(r.excessBurstCapacity !== undefined && { excessBurstCapacity: r.excessBurstCapacity }),
      ...(r.delayedFrom !== undefined && { delayedFrom: r.delayedFrom }),
      ...(r.zeroUntil !== undefined && { scaleToZero: { since: isoUtc(r.zeroSince!), until: isoUtc(r.zeroUntil), kept: r.desired! } }),
      message,
    };
    const proposals: Proposal[] = r.desired === undefined ? [] : [{ source: 'kpa', id: 'kpa', capacity: r.desired, message, label: 'the KPA' }];
    return {
      kind: 'kpa',
      proposals,
      missing: stable.count === 0 ? [metric] : [],
      trace,
      ...(r.desired === undefined && { declined: r.code }),
      state: { kpa: writeMemory(r.memory) },
    };
  },
};
