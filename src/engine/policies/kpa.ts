// The Knative Pod Autoscaler as a policy: stable and panic window means from the caller's series, the KPA's arithmetic (kpa.ts), its state carried in the decision's.
import type { StateOut } from '../../schemas/decision.js';
import type { KpaState, KpaTrace } from '../../schemas/kpa.js';
import { isoUtc, toEpochMs } from '../../syntax/duration.js';
import { kpaSentence } from '../explain.js';
import { kpaScale, resolveKpaSpec, type KpaMemory, type KpaResult, type KpaSpec } from '../kpa.js';
import { endAt, firstAfter, type Point } from '../metrics.js';
import type { Proposal } from '../pipeline/recommendation.js';
import type { Policy, PolicyOutcome } from './policy.js';
import type { Mutable } from '../../util/mutable.js';

/** Each window's mean of the revision's total (undefined without a point), and how many distinct timestamps it had. */
interface WindowMeans {
  stable: number | undefined;
  stableCount: number;
  panic: number | undefined;
  panicCount: number;
}

/**
 * The means of the revision's total over the stable and the panic window, in one pass. Knative's
 * collector sums the pods' reports into one-second buckets and averages the buckets
 * (aggregation/bucketing.go WindowAverage); here the caller sends the series, so points that share a
 * timestamp (one per pod) are summed first, then the sums are averaged. A gap is not a zero: send zeros
 * for seconds without traffic (docs/kpa.md). The series is sorted by time: the windows, which end at
 * `now`, are found by bisection, then summed from their oldest point.
 */
function windowMeans(points: readonly Point[], now: number, stableMs: number, panicMs: number): WindowMeans {
  const stableFrom = now - stableMs;
  const panicFrom = now - panicMs;
  const from = Math.min(stableFrom, panicFrom);
  // The loop below reads only the windows' points.
  const end = endAt(points, now);
  const start = firstAfter(points, from, end);
  let stableCount = 0;
  let stableTotal = 0;
  let panicCount = 0;
  let panicTotal = 0;
  let lastT = Number.NaN;
  for (let i = start; i < end; i++) {
    const { t, v } = points[i]!;
    const distinct = t !== lastT;
    lastT = t;
    if (t > stableFrom) {
      if (distinct) stableCount++;
      stableTotal += v;
    }
    if (t > panicFrom) {
      if (distinct) panicCount++;
      panicTotal += v;
    }
  }
  return {
    stable: stableCount === 0 ? undefined : stableTotal / stableCount,
    stableCount,
    panic: panicCount === 0 ? undefined : panicTotal / panicCount,
    panicCount,
  };
}

/** The metrics a kpa with data lacks: none (shared; read, never written). */
const NONE_MISSING: readonly string[] = Object.freeze([]);

/** A new autoscaler's memory (newAutoscaler): the state sent back had no `kpa` part. */
const FRESH: KpaMemory = { fresh: true, maxPanicPods: 0, delay: [], initialized: false };
/** The memory of a state `kpa: {}`: not panicking, no delay window, no zero wanted, not yet initialized. */
const CALM: KpaMemory = { fresh: false, maxPanicPods: 0, delay: [], initialized: false };

/** The state as sent back (ISO timestamps) → epoch ms. Field by field: this runs once per target per decision. */
function readMemory(state: KpaState | undefined): KpaMemory {
  if (state === undefined) return FRESH;
  // A calm autoscaler's state is `{}`, the usual case.
  if (state.panicTime === undefined && state.zeroSince === undefined && state.maxPanicPods === undefined && state.delay === undefined && state.initialized === undefined) return CALM;
  const m: Mutable<KpaMemory> = { fresh: false, maxPanicPods: state.maxPanicPods ?? 0, delay: state.delay ?? [], initialized: state.initialized ?? false };
  if (state.panicTime !== undefined) m.panicTime = toEpochMs(state.panicTime);
  if (state.zeroSince !== undefined) m.zeroSince = toEpochMs(state.zeroSince);
  return m;
}

function writeMemory(m: KpaMemory): NonNullable<StateOut['kpa']> {
  const out: Mutable<NonNullable<StateOut['kpa']>> = {};
  if (m.panicTime !== undefined) {
    out.panicTime = isoUtc(m.panicTime);
    out.maxPanicPods = m.maxPanicPods;
  }
  // Copied: the state a caller gets back never shares an object with the one it sent.
  if (m.delay.length > 0) out.delay = m.delay.map((e) => ({ bucket: e.bucket, pods: e.pods }));
  if (m.zeroSince !== undefined) out.zeroSince = isoUtc(m.zeroSince);
  if (m.initialized) out.initialized = true;
  return out;
}

/** The trace, in the schema's key order; optional parts only when the decider produced them. */
function kpaTrace(r: KpaResult, spec: KpaSpec, w: WindowMeans, readyPods: number, message: string): KpaTrace {
  let t: Mutable<KpaTrace>;
  if (r.desired !== undefined && w.stable !== undefined) {
    // The usual case, where Scale ran: one literal (this runs once per target per decision).
    t = {
      code: r.code,
      mode: r.mode!,
      scalingMetric: spec.policy.scalingMetric,
      observedStable: w.stable,
      observedPanic: w.panic ?? 0,
      stablePoints: w.stableCount,
      panicPoints: w.panicCount,
      targetValue: spec.targetValue,
      totalValue: spec.totalValue,
      readyPods,
      desiredStablePods: r.desiredStablePods!,
      desiredPanicPods: r.desiredPanicPods!,
      maxScaleUp: r.maxScaleUp!,
      maxScaleDown: r.maxScaleDown!,
      panicThreshold: spec.panicThreshold,
      stableWindowMs: spec.stableWindowMs,
      panicWindowMs: spec.panicWindowMs,
      decider: r.decider!,
      desired: r.desired,
      excessBurstCapacity: r.excessBurstCapacity!,
    } as KpaTrace;
    if (r.delayedFrom !== undefined) t.delayedFrom = r.delayedFrom;
    if (r.zeroUntil !== undefined) t.scaleToZero = { since: isoUtc(r.zeroSince!), until: isoUtc(r.zeroUntil), kept: r.desired };
  } else {
    // No data in the stable window (KpaNoData): the settings and the counts only.
    t = {
      code: r.code,
      scalingMetric: spec.policy.scalingMetric,
      stablePoints: w.stableCount,
      panicPoints: w.panicCount,
      targetValue: spec.targetValue,
      totalValue: spec.totalValue,
      readyPods,
      panicThreshold: spec.panicThreshold,
      stableWindowMs: spec.stableWindowMs,
      panicWindowMs: spec.panicWindowMs,
    } as KpaTrace;
  }
  t.message = message;
  return t;
}

export const kpaPolicy: Policy<KpaSpec> = {
  kind: 'kpa',
  compile: (spec) => (spec.kpa === undefined ? undefined : resolveKpaSpec(spec.kpa)),
  metrics: (spec) => [spec.policy.metric],
  // The panic window lies inside the stable one, but is never shorter than a bucket.
  lookbackMs: (spec) => Math.max(spec.stableWindowMs, spec.panicWindowMs),
  recommend(spec, ctx) {
    const { now, current, bounds } = ctx;
    const metric = spec.policy.metric;
    const points = ctx.series.get(metric) ?? [];
    const w = windowMeans(points, now, spec.stableWindowMs, spec.panicWindowMs);
    // The panic window lies inside the stable one; with no panic point, the panic value is 0 as in a
    // Knative window whose recent buckets were empty.
    // No spreads on this path: spreading an object of either of two shapes into a literal cost V8 ~3 µs
    // per call here (measured in bench/kpa.ts), five times the rest of the policy's step.
    const observedStable = w.stable;
    const observedPanic = observedStable === undefined ? undefined : (w.panic ?? 0);
    const r = kpaScale(spec, { observedStable, observedPanic, readyPods: current, minimum: bounds.minimum, now }, readMemory(ctx.target.state?.kpa));
    const message = kpaSentence(r, spec, metric, observedStable, w.panic ?? 0);
    const trace = kpaTrace(r, spec, w, current, message);
    const proposals: Proposal[] = r.desired === undefined ? [] : [{ source: 'kpa', id: 'kpa', capacity: r.desired, message, label: 'the KPA' }];
    const outcome: Mutable<PolicyOutcome> = { kind: 'kpa', proposals, missing: w.stableCount === 0 ? [metric] : NONE_MISSING, trace };
    if (r.desired === undefined) outcome.declined = r.code;
    outcome.state = { kpa: writeMemory(r.memory) };
    return outcome;
  },
};
