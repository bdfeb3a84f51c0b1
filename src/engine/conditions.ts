// Evaluating one rule: its condition (metric trigger or JSONata) and, when it fires, the capacity it asks for.
import type { Operator } from '../schema.js';
import { formatIsoDuration, parseIsoDuration } from './duration.js';
import { evaluateCondition, evaluateNumber } from './expr.js';
import { capacityFromAction } from './actions.js';
import { aggregateTrigger, pointsInWindow, summarize, type MetricSummary, type Point } from './metrics.js';
import type { CompiledRule } from './ruleset.js';
import { describeAction } from './ruleset.js';
import type { RuleTrace } from './decision.js';

const COMPARE: Record<Operator, (a: number, b: number) => boolean> = {
  GreaterThan: (a, b) => a > b,
  GreaterThanOrEqual: (a, b) => a >= b,
  LessThan: (a, b) => a < b,
  LessThanOrEqual: (a, b) => a <= b,
  Equals: (a, b) => a === b,
  NotEquals: (a, b) => a !== b,
};

export function compare(op: Operator, a: number, b: number): boolean {
  return COMPARE[op](a, b);
}

export const OPERATOR_SYMBOL: Record<Operator, string> = {
  GreaterThan: '>',
  GreaterThanOrEqual: '≥',
  LessThan: '<',
  LessThanOrEqual: '≤',
  Equals: '=',
  NotEquals: '≠',
};

/** Everything a rule can see; the context of JSONata expressions is built from it. */
export interface RuleInputs {
  now: number;
  target: { id: string; labels: Record<string, string> };
  /** Capacity the rules act on: the current capacity brought into bounds. */
  capacity: { current: number; minimum: number; maximum: number; default: number };
  series: ReadonlyMap<string, readonly Point[]>;
  state: unknown;
}

/** Expression context per window length, built once per target and shared by its rules. */
export class ContextCache {
  private readonly byWindow = new Map<number, Record<string, unknown>>();
  constructor(private readonly inputs: RuleInputs) {}

  forWindow(windowMs: number): Record<string, unknown> {
    let ctx = this.byWindow.get(windowMs);
    if (!ctx) {
      const { now, target, capacity, series, state } = this.inputs;
      const metrics: Record<string, MetricSummary> = {};
      for (const [name, points] of series) {
        const summary = summarize(pointsInWindow(points, now, windowMs));
        if (summary) metrics[name] = summary;
      }
      ctx = {
        now: new Date(now).toISOString(),
        nowMs: now,
        window: formatIsoDuration(windowMs),
        target,
        capacity,
        metrics,
        state,
      };
      this.byWindow.set(windowMs, ctx);
    }
    return ctx;
  }
}

/** Evaluate one rule. Never throws: a failing expression becomes a RuleError trace. */
export async function evaluateRule(cr: CompiledRule, inputs: RuleInputs, contexts: ContextCache): Promise<RuleTrace> {
  const { rule } = cr;
  const base = { rule: rule.id, direction: rule.direction, action: describeAction(rule.action, rule.direction) };
  const path = (suffix: string) => `${cr.path}.${suffix}`;
  let fired: boolean;
  let trace: RuleTrace;

  if ('metric' in rule.when) {
    const trig = rule.when.metric;
    const agg = aggregateTrigger(inputs.series.get(trig.metric) ?? [], inputs.now, {
      grainMs: parseIsoDuration(trig.timeGrain)!,
      windowMs: cr.conditionWindowMs,
      statistic: trig.statistic,
      timeAggregation: trig.timeAggregation,
    });
    const condition: RuleTrace['condition'] = {
      kind: 'metric',
      metric: trig.metric,
      timeGrain: trig.timeGrain,
      statistic: trig.statistic,
      timeWindow: trig.timeWindow,
      timeAggregation: trig.timeAggregation,
      grains: agg.grains,
      samples: agg.samples,
      operator: trig.operator,
      threshold: trig.threshold,
    };
    if (agg.value === undefined) {
      return { ...base, status: 'MissingData', condition, missing: [trig.metric] };
    }
    condition.aggregated = agg.value;
    let value = agg.value;
    if (trig.dividePerInstance) {
      // Azure divides by the instance count; with zero instances we divide by one rather than by zero.
      condition.dividedBy = Math.max(1, inputs.capacity.current);
      value = agg.value / condition.dividedBy;
    }
    condition.value = value;
    fired = COMPARE[trig.operator](value, trig.threshold);
    trace = { ...base, status: fired ? 'Fired' : 'NotMet', condition };
  } else {
    const ctx = contexts.forWindow(cr.conditionWindowMs);
    const condition: RuleTrace['condition'] = {
      kind: 'expression',
      expr: rule.when.expr,
      window: formatIsoDuration(cr.conditionWindowMs),
    };
    const missing = missingMetrics(cr, ctx);
    if (missing.length > 0) return { ...base, status: 'MissingData', condition, missing };
    const result = await evaluateCondition(cr.condition!, { ...ctx, rule: { id: rule.id, direction: rule.direction } }, { now: inputs.now });
    condition.steps = result.steps;
    if (!result.ok) {
      return { ...base, status: 'RuleError', condition, error: { ...result.error, path: path('when.expr') } };
    }
    condition.value = result.value;
    fired = result.value;
    trace = { ...base, status: fired ? 'Fired' : 'NotMet', condition };
  }

  if (!fired) return trace;
  if (rule.action.type === 'Expression') {
    const ctx = contexts.forWindow(cr.conditionWindowMs);
    const missing = missingMetrics(cr, ctx);
    if (missing.length > 0) return { ...trace, status: 'MissingData', missing };
    const result = await evaluateNumber(cr.capacity!, { ...ctx, rule: { id: rule.id, direction: rule.direction } }, { now: inputs.now });
    if (!result.ok) return { ...trace, status: 'RuleError', error: { ...result.error, path: path('action.expr') } };
    return { ...trace, capacity: capacityFromAction(rule.action, rule.direction, inputs.capacity.current, result.value) };
  }
  return { ...trace, capacity: capacityFromAction(rule.action, rule.direction, inputs.capacity.current) };
}

function missingMetrics(cr: CompiledRule, ctx: Record<string, unknown>): string[] {
  const metrics = ctx.metrics as Record<string, unknown>;
  return cr.metrics.filter((m) => metrics[m] === undefined);
}
