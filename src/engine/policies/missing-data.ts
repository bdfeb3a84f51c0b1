// Missing data as a policy: which metrics have none, and what that asks for (Azure: no scale-in, up to the default; KEDA: fallback).
import type { RuleSet } from '../../schema.js';
import { acceptedDurationMs } from '../../syntax/duration.js';
import type { Point } from '../metrics.js';
import type { DecisionContext } from '../pipeline/context.js';
import type { Note } from '../pipeline/recommendation.js';

export type MissingDataPolicy = 'azure' | 'hold' | 'fallback';

export interface CompiledMissingData {
  readonly policy: MissingDataPolicy;
  readonly fallbackAfter: number;
  /** Always set for the "fallback" policy (the schema requires it). */
  readonly fallbackCapacity?: number;
  /** KEDA's fallback.behavior: the fallback capacity alone (static, the default) or against the current one. */
  readonly fallbackBehavior?: 'static' | 'currentIfHigher' | 'currentIfLower';
  /** Data older than this is stale; absent when the rule set sets no maxAge. */
  readonly maxAgeMs?: number;
  /** The metrics the fallback is for; absent: every metric. */
  readonly fallbackMetrics?: ReadonlySet<string>;
}

/** Azure's missing-data behaviour, and KEDA's fallbackAfter default, when the rule set says nothing. */
const DEFAULT_MISSING_DATA: CompiledMissingData = { policy: 'azure', fallbackAfter: 3 };

export function compileMissingData(spec: RuleSet): CompiledMissingData {
  const md = spec.missingData;
  if (!md) return DEFAULT_MISSING_DATA;
  const { maxAge, fallbackMetrics, ...rest } = md;
  return {
    ...rest,
    ...(maxAge !== undefined && { maxAgeMs: acceptedDurationMs(maxAge) }),
    ...(fallbackMetrics !== undefined && { fallbackMetrics: new Set(fallbackMetrics) }),
  };
}

/** Data older than maxAge is stale: the series is dropped (so counts as missing); returns the names dropped. */
export function dropStale(policy: CompiledMissingData, series: Map<string, Point[]>, now: number): string[] {
  const stale: string[] = [];
  if (policy.maxAgeMs === undefined) return stale;
  const cutoff = now - policy.maxAgeMs;
  for (const [name, points] of series) {
    if (points.length > 0 && points[points.length - 1]!.t < cutoff) {
      stale.push(name);
      series.delete(name);
    }
  }
  return stale;
}

/**
 * What missing data asks for at this evaluation, as the Azure tier of combine() weighs it against the
 * rules (pipeline/combine.ts):
 * - `override`: a capacity that wins unless a scale-out rule asks for more — KEDA's fallback once
 *   `fallbackAfter` evaluations had no data (KEDA feeds it to the HPA beside the other metrics), or
 *   Azure's default capacity when below it;
 * - `hold`: scale-in is suspended (Azure), capacity is held ("hold"), or the fallback is pending or in effect.
 */
export interface MissingDataOutcome {
  readonly metrics: readonly string[];
  /** The missing metrics the fallback is for (all of `metrics` unless `fallbackMetrics` scopes it). */
  readonly scoped: readonly string[];
  readonly stale: readonly string[];
  /** Consecutive evaluations without data (for a metric the fallback is for), this one included; 0 when none is missing. */
  readonly count: number;
  readonly policy: CompiledMissingData;
  readonly override?: { readonly to: number; readonly code: 'MissingDataFallback' | 'MissingDataDefault'; readonly note: Note };
  readonly hold?: { readonly code: 'MissingDataNoScaleIn' | 'MissingDataHold' | 'MissingDataFallback'; readonly note: Note };
}

export function missingDataOutcome(ctx: DecisionContext, metrics: readonly string[]): MissingDataOutcome {
  const policy = ctx.ruleSet.families.missingData;
  const { stale, bounded, bounds } = ctx;
  if (metrics.length === 0) return { metrics, scoped: metrics, stale, count: 0, policy };
  const scope = policy.fallbackMetrics;
  const scoped = scope === undefined ? metrics : metrics.filter((m) => scope.has(m));
  // Only the metrics the fallback is for count (KEDA counts its scalers' failures, fallback.go
  // IncrementFailure); the others hold capacity, as the HPA does on a metric it cannot read.
  if (scoped.length === 0) {
    const note = { kind: 'missingHold' as const, metrics, policy: policy.policy, count: 0, fallbackAfter: policy.fallbackAfter, unscoped: true as const };
    return { metrics, scoped, stale, count: 0, policy, hold: { code: 'MissingDataHold', note } };
  }
  const count = (ctx.target.state?.missingCount ?? 0) + 1;
  const base = { metrics, scoped, stale, count, policy };
  if (policy.policy === 'fallback' && count >= policy.fallbackAfter) {
    const to = fallbackCapacity(policy, bounded);
    const against = policy.fallbackBehavior === 'currentIfHigher' || policy.fallbackBehavior === 'currentIfLower' ? { behavior: policy.fallbackBehavior, fallback: policy.fallbackCapacity! } : {};
    const hold = { code: 'MissingDataFallback' as const, note: { kind: 'missingFallback' as const, metrics: scoped, count, to, inEffect: true, ...against } };
    if (to === bounded) return { ...base, hold };
    return { ...base, override: { to, code: 'MissingDataFallback', note: { kind: 'missingFallback', metrics: scoped, count, to, inEffect: false, ...against } }, hold };
  }
  const hold = {
    code: policy.policy === 'azure' ? ('MissingDataNoScaleIn' as const) : ('MissingDataHold' as const),
    note: { kind: 'missingHold' as const, metrics: scoped, policy: policy.policy, count, fallbackAfter: policy.fallbackAfter },
  };
  if (policy.policy === 'azure' && bounded < bounds.default) {
    return { ...base, override: { to: bounds.default, code: 'MissingDataDefault', note: { kind: 'missingDefault', metrics, to: bounds.default } }, hold };
  }
  return { ...base, hold };
}

/**
 * The capacity the fallback asks for: kedacore/keda pkg/fallback/fallback.go doFallback — static:
 * fallback.replicas; currentReplicasIfHigher: the current count when it is strictly higher, else
 * replicas; currentReplicasIfLower: the current count when strictly lower, else replicas. KEDA reads the
 * scale target's current replicas; here the current capacity as the rules see it (within the bounds,
 * which the result is brought into anyway).
 */
function fallbackCapacity(policy: CompiledMissingData, current: number): number {
  const replicas = policy.fallbackCapacity!;
  if (policy.fallbackBehavior === 'currentIfHigher') return current > replicas ? current : replicas;
  if (policy.fallbackBehavior === 'currentIfLower') return current < replicas ? current : replicas;
  return replicas;
}
