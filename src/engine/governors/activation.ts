// KEDA activation: leave 0 (or idle) only when an activating metric is above its threshold; go to 0 (or idle) only when none is.
//
// Two modes. Without `cooldown` (the original): the policies decide the way to 0, and this gate only
// refuses to leave 0 while inactive and to reach 0 while active. With `cooldown`, KEDA's executor
// (kedacore/keda pkg/scaling/executor/scale_scaledobjects.go, RequestScale, scaleFromZeroOrIdle and
// scaleToZeroOrIdle) decides 0 and idle itself:
//   active   and (current == 0, or idle set and current < minimum) → max(1, minimum) (Activated);
//   active   otherwise                                             → the policies, never below max(1, minimum);
//   inactive and (current > idle when set, or current > 0 with minimum 0):
//            lastActive + cooldown before now                      → idle (or 0) (Deactivated),
//            else                                                 → the policies, never below max(1, minimum);
//   inactive otherwise                                            → stays where it is (at 0 or idle).
// "Active" is KEDA's isActive: any trigger above its activation threshold, or with `expr` the computed
// value above it (KEDA's scalingModifiers: scale_handler.go getScaledObjectState resets the activity and
// takes the composite metric > activationTarget, default 0; an error in a trigger makes it inactive and an
// error, as no data does here) (and, with
// `activeDuringProfiles`, a scheduled profile in force: a cron trigger inside its window; with `activeOnFallback`,
// the missing-data fallback in effect for a listed metric: scale_handler.go getScalerState
// isActiveOrFallback). Each active decision
// records `state.activation.lastActive` (KEDA's status.lastActiveTime); without one (a first decision)
// the cooldown counts as passed, as KEDA's default initialCooldownPeriod of 0 does.
import type { StateOut } from '../../schemas/decision.js';
import { ContextCache } from '../conditions.js';
import { compileExpr, evaluateNumber, type CompiledExpr } from '../expr.js';
import { acceptedDurationMs, isoUtc, toEpochMs } from '../../syntax/duration.js';
import type { Point } from '../metrics.js';
import type { DecisionContext } from '../pipeline/context.js';
import type { MissingDataOutcome } from '../policies/missing-data.js';
import type { Note } from '../pipeline/recommendation.js';
import type { Governor } from './governor.js';

interface ActivationMetric {
  readonly metric: string;
  readonly activationThreshold: number;
}

interface CompiledScaleToZero {
  readonly metrics: readonly ActivationMetric[];
  /** With `expr`: the one activating value, named metrics[0].metric; undefined when it did not compile (the load refuses it). */
  readonly expr?: CompiledExpr;
  readonly windowMs: number;
  readonly cooldownMs?: number;
  readonly idleCapacity?: number;
  readonly activeDuringProfiles: boolean;
  /** Metrics whose missing-data fallback in effect counts as active (cooldown mode only). */
  readonly activeOnFallback?: ReadonlySet<string>;
}

type ActivationCode = 'ActivationNotReached' | 'Activated' | 'DeactivationBlocked' | 'Deactivated';

export const activationGovernor: Governor<CompiledScaleToZero> = {
  name: 'activation',
  compile(spec) {
    const z = spec.scaleToZero;
    if (!z) return undefined;
    return {
      metrics: [{ metric: z.metric, activationThreshold: z.activationThreshold }, ...(z.also ?? [])],
      ...(z.expr !== undefined && { expr: exprOf(z.expr) }),
      windowMs: acceptedDurationMs(z.window),
      ...(z.cooldown !== undefined && { cooldownMs: acceptedDurationMs(z.cooldown) }),
      ...(z.idleCapacity !== undefined && { idleCapacity: z.idleCapacity }),
      activeDuringProfiles: z.activeDuringProfiles === true,
      ...(z.activeOnFallback !== undefined && { activeOnFallback: new Set(z.activeOnFallback) }),
    };
  },
  lookbackMs: (z) => z.windowMs,
  // With expr, the metrics it reads are found by the rule set's load (ruleset.ts), not named here.
  metrics: (z) => (z.expr !== undefined ? [] : z.metrics.map((m) => m.metric)),
  govern(w, { ctx, missingData }, z) {
    if (w.settled) return { recommendation: w };
    const { bounded, current, bounds, series, now } = ctx;
    const readings = z.metrics.map((m) => {
      const value = z.expr !== undefined ? exprValue(z.expr, ctx, z.windowMs) : newestInWindow(series.get(m.metric) ?? [], now, z.windowMs);
      return { metric: m.metric, ...(value !== undefined && { value }), threshold: m.activationThreshold, active: value !== undefined && value > m.activationThreshold };
    });
    // The reading a note names: the first active one, else the first with data, else the first.
    const shown = readings.find((r) => r.active) ?? readings.find((r) => r.value !== undefined) ?? readings[0]!;
    const active = readings.some((r) => r.active);
    const anyData = readings.some((r) => r.value !== undefined);
    const [first, ...others] = readings;
    const trace = { activation: { ...first!, ...(others.length > 0 && { also: others }) } };
    // KEDA counts a trigger in fallback as active (scale_handler.go getScalerState: isActiveOrFallback).
    const onFallback = z.cooldownMs !== undefined && z.activeOnFallback !== undefined ? inFallback(missingData, z.activeOnFallback) : [];
    const byFallback = !active && onFallback.length > 0;
    const gate = (code: ActivationCode, gateTo: number, extra: { lastActive?: string; coolingUntil?: string; fallback?: string[] } = {}, state?: Pick<StateOut, 'activation'>) => {
      // On a scale the gate's clause follows the reason; on a hold it is the reason.
      const hold = w.kind === 'hold' || gateTo === current;
      const note: Note =
        byFallback && code === 'Activated'
          ? { kind: 'activation', code, metric: onFallback[0]!, threshold: shown.threshold, replaces: hold, at: gateTo, fallback: true }
          : {
              kind: 'activation',
              code,
              metric: shown.metric,
              ...(shown.value !== undefined && { value: shown.value }),
              threshold: shown.threshold,
              replaces: hold,
              at: gateTo,
            };
      // KEDA's executor sets the count itself: no rule decided it, no cooldown starts, nothing later reshapes it.
      const executor = z.cooldownMs !== undefined && (code === 'Deactivated' || code === 'Activated' || code === 'ActivationNotReached');
      return {
        recommendation: { ...w, to: gateTo, code, notes: hold ? [note] : [...w.notes, note], ...(executor && { rule: null, cooldownMs: 0, settled: true, ownsBounds: true }) },
        trace: { activation: { ...trace.activation, ...extra } },
        ...(state && { state }),
      };
    };

    if (z.cooldownMs === undefined) {
      // The original gate: the policies decide the way to 0.
      if (bounded === 0 && w.to > 0 && !active) return gate('ActivationNotReached', 0);
      if (bounded === 0 && w.to === 0 && active) return gate('Activated', Math.max(1, bounds.minimum));
      if (w.to === 0 && bounded > 0 && (active || !anyData)) return gate('DeactivationBlocked', 1);
      return { recommendation: w, trace };
    }

    // KEDA's executor (see the top of the file). A scheduled profile in force is a cron trigger inside its window.
    const scheduled = z.activeDuringProfiles && ctx.profile.index >= 0;
    const floor = Math.max(1, bounds.minimum);
    const idle = z.idleCapacity;
    const previous = readLastActive(ctx.target.state?.activation?.lastActive);
    if (active || scheduled || byFallback) {
      const state = { activation: { lastActive: isoUtc(now) } };
      const extra = { lastActive: isoUtc(now), ...(onFallback.length > 0 && { fallback: [...onFallback] }) };
      if ((idle !== undefined && current < bounds.minimum) || current === 0) return gate('Activated', floor, extra, state);
      if (w.to < floor) return gate('DeactivationBlocked', floor, extra, state);
      return { recommendation: w, trace: { activation: { ...trace.activation, ...extra } }, state };
    }
    const carried = previous !== undefined ? { activation: { lastActive: isoUtc(previous) } } : undefined;
    const lastActive = previous !== undefined ? { lastActive: isoUtc(previous) } : {};
    if ((idle !== undefined && current > idle) || (current > 0 && bounds.minimum === 0)) {
      // No data from any activating metric is KEDA's isError: it neither activates nor deactivates.
      if (!anyData) return w.to < floor ? gate('DeactivationBlocked', floor, lastActive, carried) : { recommendation: w, trace, ...(carried && { state: carried }) };
      const until = previous !== undefined ? previous + z.cooldownMs : undefined;
      // KEDA: lastActiveTime.Add(cooldownPeriod).Before(now): strictly after the cooldown.
      if (until === undefined || until < now) return gate('Deactivated', idle ?? 0, lastActive, carried);
      const cooling = { ...lastActive, coolingUntil: isoUtc(until) };
      if (w.to < floor) return gate('DeactivationBlocked', floor, cooling, carried);
      return { recommendation: w, trace: { activation: { ...trace.activation, ...cooling } }, ...(carried && { state: carried }) };
    }
    // At 0 or idle and inactive: KEDA leaves the target there (the HPA does not scale it).
    return gate('ActivationNotReached', current, lastActive, carried);
  },
};

/**
 * The listed metrics the missing-data fallback is in effect for at this decision (missing-data.ts: its
 * code MissingDataFallback once fallbackAfter evaluations had no data), in the order they went missing.
 */
function inFallback(md: MissingDataOutcome | undefined, listed: ReadonlySet<string>): string[] {
  if (md?.hold?.code !== 'MissingDataFallback') return [];
  return md.scoped.filter((m) => listed.has(m));
}

/** state.activation.lastActive as epoch ms (the schema accepted it, so it parses; a raw in-process state may not). */
function readLastActive(t: string | number | undefined): number | undefined {
  return t === undefined ? undefined : toEpochMs(t);
}

/**
 * The value of the newest point with now − window < t ≤ now: what the last of pointsInWindow's points
 * holds, read from the end of the series (sorted by time, as the context keeps every series) without
 * copying the window out.
 */
function newestInWindow(points: readonly Point[], now: number, windowMs: number): number | undefined {
  let i = points.length - 1;
  while (i >= 0 && points[i]!.t > now) i--;
  return i >= 0 && points[i]!.t > now - windowMs ? points[i]!.v : undefined;
}

function exprOf(source: string): CompiledExpr | undefined {
  const compiled = compileExpr(source);
  return compiled.ok ? compiled.expr : undefined;
}

/**
 * The activation expression's value over the window, in the context the rules see (metrics' summaries,
 * capacity, now), on the target's expression budget; undefined when it fails or gives no number (a
 * metric without data): KEDA's isError, which neither activates nor deactivates.
 */
function exprValue(expr: CompiledExpr, ctx: DecisionContext, windowMs: number): number | undefined {
  const cache = new ContextCache(ctx.ruleInputs);
  const r = evaluateNumber(expr, cache.forWindow(windowMs), cache.options);
  return r.ok ? r.value : undefined;
}
