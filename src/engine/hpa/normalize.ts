// Kubernetes HPA normalisation, pure: reconcileAutoscaler's shortcuts, stabilization, the rate limits of `behavior` (or the scale-up limit without one), and [min, max].
//
// A port, number for number, of kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go:
// reconcileAutoscaler (the ScalingDisabled shortcut, the current-outside-[min, max] shortcuts),
// stabilizeRecommendation + normalizeDesiredReplicas + convertDesiredReplicasWithRules +
// calculateScaleUpLimit (no `behavior`), stabilizeRecommendationWithBehaviors +
// normalizeDesiredReplicasWithBehaviors + convertDesiredReplicasWithBehaviorRate +
// calculateScaleUpLimitWithScalingRules + calculateScaleDownLimitWithBehaviors +
// getReplicasChangePerPeriod (with `behavior`). The history it reads and stores is ./history.ts.
// int32 arithmetic wraps as in Go (`| 0`); float→int32 conversions that Go leaves
// implementation-defined (out of range) saturate here (src/syntax/int32.ts).
import {
  HPA_DEFAULT_DOWNSCALE_STABILIZATION_SECONDS,
  type HpaBehaviorDefaulted,
  type HpaHistory,
  type HpaScalingPolicy,
  type HpaScalingRulesDefaulted,
} from '../../schemas/hpa-behavior.js';
import { HPA_SCALE_UP_LIMIT_FACTOR, HPA_SCALE_UP_LIMIT_MINIMUM } from '../../schemas/hpa-pods.js';
import type { HPA_REASONS } from '../../schemas/codes.js';
import type { HpaNormalizeTrace } from '../../schemas/decision.js';
import { floatToInt32, int32, INT32_MAX, INT32_MIN } from '../../syntax/int32.js';
import { startHistory, trim, writeHistory, type Ev, type Hist, type Rec } from './history.js';

// horizontal.go scaleUpLimitFactor (2) and scaleUpLimitMinimum (4; issue #32304, bogus CPU spikes):
// without `behavior`, one step reaches at most max(2 × current, 4). Constants upstream, settable per
// rule set (hpaController), so they are defined with that schema.

const MS_PER_SECOND = 1000;

// ---------------------------------------------------------------------------------------------
// Normalisation

export type HpaReason = (typeof HPA_REASONS)[number];

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
  /** scaleUpLimitFactor, default HPA_SCALE_UP_LIMIT_FACTOR (2). */
  scaleUpLimitFactor?: number;
  /** scaleUpLimitMinimum, default HPA_SCALE_UP_LIMIT_MINIMUM (4). */
  scaleUpLimitMinimum?: number;
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
    return {
      replicas: max,
      reason: 'CurrentAboveMax',
      message: `Current replicas ${cur} are above maxReplicas ${max}: scale to ${max} without consulting metrics or behavior.`,
      conditions: {},
    };
  }
  if (cur < min) {
    return {
      replicas: min,
      reason: 'CurrentBelowMin',
      message: `Current replicas ${cur} are below minReplicas ${min}: scale to ${min} without consulting metrics or behavior.`,
      conditions: {},
    };
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
function policyLimit(direction: 'up' | 'down', current: number, h: Hist, rules: HpaScalingRulesDefaulted, now: number): { limit: number; traces: HpaLimitTrace[] } {
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
  upLimit: { factor: number; minimum: number } = { factor: HPA_SCALE_UP_LIMIT_FACTOR, minimum: HPA_SCALE_UP_LIMIT_MINIMUM },
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
          : `scale-up limit without a behavior: one step reaches at most max(${upLimit.factor} × ${current}, ${upLimit.minimum}) = ${r}, so ${stabilized} is capped to ${r}`,
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
  if (!Number.isInteger(window) || window < 0)
    return { ok: false, code: 'InvalidInput', message: `downscaleStabilizationWindowSeconds must be a non-negative integer, got ${window}` };
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

  // convertDesiredReplicasWithRules (calculateScaleUpLimit)
  const upLimit = { factor: input.scaleUpLimitFactor ?? HPA_SCALE_UP_LIMIT_FACTOR, minimum: input.scaleUpLimitMinimum ?? HPA_SCALE_UP_LIMIT_MINIMUM };
  const scaleUpLimit = floatToInt32(Math.max(upLimit.factor * current, upLimit.minimum));
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
    limits: [{ policy: `scaleUpLimit max(${upLimit.factor} × current, ${upLimit.minimum})`, limit: scaleUpLimit }],
    rateLimit: scaleUpLimit,
    allowed: { minimum: min, maximum: maximumAllowed },
  };
  let converted: { replicas: number; reason: NonNullable<HpaConditions['scalingLimited']>['reason'] } = { replicas: stabilized, reason: 'DesiredWithinRange' };
  if (stabilized < min) converted = { replicas: min, reason: 'TooFewReplicas' };
  else if (stabilized > maximumAllowed) converted = { replicas: maximumAllowed, reason: upReason };

  const done = finish(current, desired, stabilized, stabReason, pick, converted, trace, upLimit);
  const history = writeHistory(trim({ ...start, recommendations }, undefined, now, window));
  return { ok: true, replicas: converted.replicas, ...done, trace, history };
}
