// Builders shared by the tests: small rule sets, metric series and a decide() that fails loudly on bad fixtures.
import { decide, type TargetInput } from '../src/engine/decide.js';
import type { Decision } from '../src/schemas/decision.js';
import { loadRuleSet, type CompiledRuleSet } from '../src/engine/ruleset.js';
import type { RuleSetInput } from '../src/schema.js';

export const T0 = Date.parse('2026-11-22T10:30:00Z');
export const MIN = 60_000;

/**
 * A hang guard for the few tests that look at the clock: work that must stay bounded (a hostile
 * expression, a regex V8 would backtrack on forever, a huge YAML mapping) finishes well inside it on a
 * loaded machine, while the failures they guard against take minutes. Not a speed measurement: speed
 * is `npm run bench` and `npm run bench:hostile`; the tests themselves assert counted work.
 */
export const HANG_GUARD_MS = 10_000;

type RuleInput = RuleSetInput['rules'][number];

/** An Azure-style metric rule: `cpu` average over 10 one-minute grains. */
export function metricRule(
  id: string,
  direction: 'out' | 'in',
  operator: 'GreaterThan' | 'GreaterThanOrEqual' | 'LessThan' | 'LessThanOrEqual' | 'Equals' | 'NotEquals',
  threshold: number,
  action: RuleInput['action'],
  extra: Partial<RuleInput> & { metric?: string; dividePerInstance?: boolean } = {},
): RuleInput {
  const { metric = 'cpu', dividePerInstance, ...rest } = extra;
  return {
    id,
    direction,
    when: { metric: { metric, operator, threshold, ...(dividePerInstance !== undefined && { dividePerInstance }) } },
    action,
    ...rest,
  };
}

export function ruleSet(rules: RuleInput[], extra: Partial<RuleSetInput> = {}): RuleSetInput {
  return { id: 'test-set', capacity: { minimum: 1, maximum: 100, default: 2 }, rules, ...extra };
}

export function compile(spec: RuleSetInput): CompiledRuleSet {
  const loaded = loadRuleSet(spec);
  if (!loaded.ok) throw new Error(`fixture rule set is invalid: ${JSON.stringify(loaded.issues)}`);
  return loaded.ruleSet;
}

/** `minutes` one-minute points ending at `now`, all with value `v`. */
export function flat(v: number, minutes = 10, now = T0): Array<{ t: number; v: number }> {
  return Array.from({ length: minutes }, (_, i) => ({ t: now - i * MIN, v })).reverse();
}

export async function run(spec: RuleSetInput, target: Partial<TargetInput> & { capacity: number }, now = T0): Promise<Decision> {
  return decide(compile(spec), { id: 't1', metrics: {}, ...target }, now);
}

/** The value of one sample line of a Prometheus text exposition, e.g. `edgescale_decisions_total{action="scaleOut",code="ScaleOut"}`. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
