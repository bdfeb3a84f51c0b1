// Kubernetes HPA history, pure: the timestamped recommendations and scale events an HPA carries between decisions.
//
// A port of kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go: timestampedRecommendation
// and timestampedScaleEvent (read and written as ISO timestamps in the decision's state),
// recordInitialRecommendation, storeScaleEvent + markScaleEventsOutdated + getLongestPolicyPeriod, and
// reconcileAutoscaler's early return when no metric is valid (no recommendation stored).
import { HPA_DEFAULT_DOWNSCALE_STABILIZATION_SECONDS, type HpaBehaviorDefaulted, type HpaHistory, type HpaScalingRulesDefaulted } from '../../schemas/hpa-behavior.js';
import { isoUtc, toEpochMs } from '../../syntax/duration.js';
import { int32 } from '../../syntax/int32.js';

const MS_PER_SECOND = 1000;

// ---------------------------------------------------------------------------------------------
// History (horizontal.go timestampedRecommendation / timestampedScaleEvent), read and written as ISO

export interface Rec {
  at: number;
  replicas: number;
}
export interface Ev {
  at: number;
  change: number;
  outdated: boolean;
}
export interface Hist {
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

export function writeHistory(h: Hist): HpaHistory {
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
export function trim(h: Hist, behavior: HpaBehaviorDefaulted | undefined, now: number, noBehaviorWindowSeconds: number): Hist {
  const recWindow = behavior ? Math.max(behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds) : noBehaviorWindowSeconds;
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

/**
 * Start of normalisation: read the history, or — for the first decision of an HPA —
 * recordInitialRecommendation stores the current count, so a fresh HPA cannot scale down within its
 * first stabilization window.
 */
export function startHistory(i: { history?: HpaHistory | undefined; currentReplicas: number; now: number }): Hist | string {
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
  const start = startHistory(input);
  if (typeof start === 'string') return { ok: false, code: 'InvalidHistory', message: start };
  const window = input.downscaleStabilizationWindowSeconds ?? HPA_DEFAULT_DOWNSCALE_STABILIZATION_SECONDS;
  return { ok: true, history: writeHistory(trim(start, input.behavior, input.now, window)) };
}
