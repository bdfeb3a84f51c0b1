// How far back any evaluation of a rule set can look: the points older than that take no part in a decision.
import { acceptedDurationMs } from '../syntax/duration.js';
import type { CompiledRuleSet } from './ruleset.js';

const CACHE = new WeakMap<CompiledRuleSet, number>();

/**
 * The longest window anything in the rule set reads metrics over, in ms: the Azure and expression
 * rules of every profile (and the expression rules' defaultWindow), each policy family and governor
 * as it declares it (`lookbackMs` in policies/policy.ts and governors/governor.ts: target tracking and
 * step scaling windows, simple scaling's alarm periods, the kpa stable window, the predictive history,
 * activation's window), and missing data's maxAge. A decision at `now` reads only points in
 * (now − lookback, now], and always the newest (syntax/series.ts). Computed once per compiled rule
 * set. Simulate hands each evaluation only those points; the metrics report counts the older ones of
 * a payload as `BeforeLookback`.
 */
export function lookbackMs(ruleSet: CompiledRuleSet): number {
  const cached = CACHE.get(ruleSet);
  if (cached !== undefined) return cached;
  const { policies, governors, missingData } = ruleSet.families;
  const longest = Math.max(
    ruleSet.maxWindowMs,
    acceptedDurationMs(ruleSet.spec.defaultWindow),
    missingData.maxAgeMs ?? 0,
    ...policies.map((p) => p.lookbackMs),
    ...governors.map((g) => g.lookbackMs),
  );
  CACHE.set(ruleSet, longest);
  return longest;
}
