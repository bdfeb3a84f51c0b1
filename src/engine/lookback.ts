// How far back any evaluation of a rule set can look: the points older than that take no part in a decision.
import { alarmSpan } from '../schemas/aws-policies.js';
import { parseIsoDuration } from '../syntax/duration.js';
import type { CompiledRuleSet } from './ruleset.js';

/** Duration fields any policy reads metrics over. */
const WINDOW_KEYS = new Set(['timeWindow', 'window', 'defaultWindow', 'maxAge', 'stableWindow', 'history']);

const CACHE = new WeakMap<CompiledRuleSet, number>();

/**
 * The longest window or maximum age anywhere in the rule set (Azure rules, expressions, target
 * tracking, step scaling, simple scaling's alarm periods, the kpa stable window, the predictive history,
 * missing data), in ms: a decision at `now` reads only points in
 * (now − lookback, now]. Computed once per compiled rule set. Simulate hands each evaluation only
 * those points; the metrics report counts the older ones of a payload as `BeforeLookback`.
 */
export function lookbackMs(ruleSet: CompiledRuleSet): number {
  const cached = CACHE.get(ruleSet);
  if (cached !== undefined) return cached;
  let longest = ruleSet.maxWindowMs;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) for (const v of value) walk(v);
    else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (WINDOW_KEYS.has(key) && typeof v === 'string') longest = Math.max(longest, parseIsoDuration(v) ?? 0);
        else walk(v);
      }
    }
  };
  walk(ruleSet.spec);
  // A simple scaling alarm reads evaluationPeriods periods of periodSeconds (numbers, not durations).
  for (const { policy } of ruleSet.spec.simpleScaling?.policies ?? []) {
    const { periodMs, periods } = alarmSpan(policy);
    longest = Math.max(longest, periodMs * periods);
  }
  CACHE.set(ruleSet, longest);
  return longest;
}
