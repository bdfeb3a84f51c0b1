// Evaluating one rule: its condition (metric trigger or JSONata) and, when it fires, the capacity it asks for.
import type { MetricTrigger } from '../schema.js';
import type { MetricConditionTrace, RuleTrace, StateOut } from '../schemas/decision.js';
import type { Operator } from '../schemas/vocabulary.js';
import { formatIsoDuration } from '../syntax/duration.js';
import { ExprEvaluator, type CompiledExpr, type EvalOptions, type ExprError } from './expr.js';
import { BAIL, type FastProgram } from './expr-fast.js';
import { writeState, type CooldownState } from './cooldown.js';
import { capacityFromAction } from './actions.js';
import { aggregateTrigger, copyPoints, summarizeSortedWindow, summarizeWindow, type MetricSummary, type Point, type TriggerAggregation } from './metrics.js';
import { prepareRule, type CompiledRule, type PreparedRule } from './ruleset.js';
import type { BudgetPool } from './jsonata/runtime.js';

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
  /** Each series sorted by `t` (src/engine/series.ts output, as decide() builds it): windows are found from its newest end. */
  series: ReadonlyMap<string, readonly Point[]>;
  /**
   * The target's timers as read from its state: the expressions' `state` is written from them
   * (writeState) when the first context is made, so a target whose rules build none never writes it.
   */
  cooldown: CooldownState;
  /** The target's expression budget (inside its request's); every expression of the target draws on it. */
  budget?: BudgetPool;
}

/** One window's part of the expression context, built once per target and shared by its rules. */
interface WindowContext {
  readonly windowMs: number;
  readonly window: string;
  readonly metrics: Record<string, MetricSummary>;
  /** Whether the summaries' `points` hold copies (made before the first expression that may modify its input). */
  copied: boolean;
  /** The context shared by the window's rules that cannot modify their input (made on first use; `rule` set per rule). */
  shared: Record<string, unknown> | undefined;
}

/**
 * V8 keeps a hidden class reached by adding properties (a class's fields, an object filled key by
 * key) only while some object has it; optimized code that relies on one is thrown away when it is
 * collected. Between targets (and in a benchmark that forces full collections) every object of
 * these classes may be gone, so one of each is kept here: a ContextCache, and a metrics object for
 * each of the first few sets of metric names (bounded, so arbitrary names cannot grow it).
 */
const SHAPES: unknown[] = [];
const MAX_METRIC_SHAPES = 64;
const metricShapes = new Set<string>();
/** A summary standing in for real ones in the kept metrics objects (of the same hidden class as them). */
const STAND_IN = summarizeWindow([{ t: 0, v: 0 }], 0, 1)!;
/**
 * The metric names, in order, of the last metrics object passed to keepMetricsShape: a fleet's targets
 * mostly send the same metrics, and a metrics object with these names needs no key built and looked up.
 */
let lastMetricNames: readonly string[] = [];
function keepMetricsShape(metrics: Record<string, unknown>): void {
  const names = Object.keys(metrics);
  lastMetricNames = names;
  if (metricShapes.size >= MAX_METRIC_SHAPES) return;
  const key = names.join('\u0000');
  if (metricShapes.has(key)) return;
  metricShapes.add(key);
  const copy: Record<string, unknown> = {};
  for (const name of names) copy[name] = STAND_IN;
  SHAPES.push(copy);
}

/** `new Date(now).toISOString()` of the last `now` seen: every target of a request shares one `now`. */
let isoMs = Number.NaN;
let isoText = '';
function isoOf(now: number): string {
  if (now !== isoMs) {
    isoText = new Date(now).toISOString();
    isoMs = now;
  }
  return isoText;
}

/**
 * Expression context per window length, built once per target and shared by its rules.
 *
 * Expressions see `{ now, nowMs, window, target, capacity, metrics, state, rule }` (docs/rules.md). The
 * summaries' `points` arrays are new per window, but hold the series' own Point objects rather than
 * copies: JSONata builds new values for everything except the transform operator (`~> |…|…|`), which
 * writes into the objects its pattern matches, and its pattern can reach the input through `$$` or a
 * variable. So a rule with a transform gets what every rule used to get — copies of the points (made
 * once per window, before its first evaluation there, and shared by later rules of that window as the
 * copies always were) and its own context and `rule` objects per evaluation — and every other rule
 * shares the originals and one context per window (see contextFor).
 */
export class ContextCache {
  /**
   * The window last asked for: a rule asks for its window two or three times, and rules mostly share
   * one, so most targets never need the list of earlier windows.
   */
  private last: WindowContext | undefined = undefined;
  /** Windows built before the last one (made when a second window length is asked for). */
  private earlier: WindowContext[] | undefined = undefined;
  /** The options every expression of this target is evaluated with. */
  readonly options: EvalOptions;
  /** The expressions' `state` (stateOut), once made. */
  private state: StateOut | undefined = undefined;
  constructor(private readonly inputs: RuleInputs) {
    this.options = inputs.budget ? { now: inputs.now, budget: inputs.budget } : { now: inputs.now };
  }

  private windowContext(windowMs: number, window?: string): WindowContext {
    const last = this.last;
    if (last !== undefined && last.windowMs === windowMs) return last;
    let w: WindowContext | undefined;
    const earlier = this.earlier;
    if (earlier !== undefined) {
      for (let i = 0; i < earlier.length; i++) {
        if (earlier[i]!.windowMs === windowMs) {
          w = earlier[i]!;
          earlier[i] = last!;
          break;
        }
      }
    }
    if (w === undefined) {
      w = this.buildWindow(windowMs, window);
      if (last !== undefined) (this.earlier ??= []).push(last);
    }
    this.last = w;
    return w;
  }

  private buildWindow(windowMs: number, window: string | undefined): WindowContext {
    const { now, series } = this.inputs;
    isoOf(now); // where the context's `now` was always computed (it throws for a `now` Date cannot show)
    const metrics: Record<string, MetricSummary> = {};
    let count = 0;
    let sameNames = true;
    for (const [name, points] of series) {
      const summary = summarizeSortedWindow(points, now, windowMs);
      if (summary) {
        metrics[name] = summary;
        if (sameNames && lastMetricNames[count] !== name) sameNames = false;
        count++;
      }
    }
    if (!sameNames || count !== lastMetricNames.length) keepMetricsShape(metrics);
    return { windowMs, window: window ?? formatIsoDuration(windowMs), metrics, copied: false, shared: undefined };
  }

  /** The context of a window without `rule`. */
  forWindow(windowMs: number): Record<string, unknown> {
    const w = this.windowContext(windowMs);
    this.copyPoints(w);
    const { now, target, capacity } = this.inputs;
    return { now: isoOf(now), nowMs: now, window: w.window, target, capacity, metrics: w.metrics, state: this.stateOut() };
  }

  /** The window's summaries, for checking which metrics have data. */
  metricsFor(cr: CompiledRule, prepared: PreparedRule): Record<string, unknown> {
    return this.windowContext(cr.conditionWindowMs, prepared.window).metrics;
  }

  /**
   * The context the expressions of `cr` see. A rule that cannot modify its input gets its window's
   * shared context with `rule` set to its own: the previous rule's evaluations are over by then, and
   * their results (a boolean, a number, an error) hold nothing of the context, so no evaluation can
   * tell this object from a new one. A rule that can modify its input gets new ones, as always.
   */
  contextFor(cr: CompiledRule, prepared: PreparedRule): Record<string, unknown> {
    const w = this.windowContext(cr.conditionWindowMs, prepared.window);
    if (prepared.mutatesInput) {
      this.copyPoints(w);
      const { rule } = cr;
      return this.newContext(w, { id: rule.id, direction: rule.direction });
    }
    const shared = (w.shared ??= this.newContext(w, prepared.ruleContext));
    shared.rule = prepared.ruleContext;
    return shared;
  }

  private newContext(w: WindowContext, rule: PreparedRule['ruleContext']): Record<string, unknown> {
    const { now, target, capacity } = this.inputs;
    return { now: isoOf(now), nowMs: now, window: w.window, target, capacity, metrics: w.metrics, state: this.stateOut(), rule };
  }

  /** The expressions' `state`: the target's state as the decision would write it now, made once. */
  private stateOut(): unknown {
    return (this.state ??= writeState(this.inputs.cooldown, this.inputs.now));
  }

  private copyPoints(w: WindowContext): void {
    if (w.copied) return;
    w.copied = true;
    for (const name of Object.keys(w.metrics)) {
      const summary = w.metrics[name]!;
      summary.points = copyPoints(summary.points);
    }
  }
}

SHAPES.push(new ContextCache({ now: 0, target: { id: '', labels: {} }, capacity: { current: 0, minimum: 0, maximum: 0, default: 0 }, series: new Map(), cooldown: { until: {} } }));

/**
 * Evaluates every target's expressions, each with its target's options (its `now` and budget pool):
 * one meter restarted per evaluation rather than one allocated per target. Evaluation is synchronous
 * and nothing an expression runs can evaluate a rule, so evaluations never overlap on it.
 */
const EVALUATOR = new ExprEvaluator();

/** Evaluate one rule. Never throws: a failing expression becomes a RuleError trace. */
export function evaluateRule(cr: CompiledRule, inputs: RuleInputs, contexts: ContextCache): RuleTrace {
  const { rule } = cr;
  const prepared = cr.prepared ?? preparedOf(cr);
  let fired: boolean;
  let condition: RuleTrace['condition'];
  let ctx: Record<string, unknown> | undefined;

  if ('metric' in rule.when) {
    const trig = rule.when.metric;
    const agg = aggregateTrigger(inputs.series.get(trig.metric) ?? [], inputs.now, {
      grainMs: prepared.grainMs!,
      windowMs: cr.conditionWindowMs,
      statistic: trig.statistic,
      timeAggregation: trig.timeAggregation,
    });
    if (agg.value === undefined) return missingData(cr, prepared, unmeasuredCondition(trig, agg), [trig.metric]);
    if (trig.dividePerInstance) {
      // Azure divides by the instance count; with zero instances we divide by one rather than by zero.
      const dividedBy = Math.max(1, inputs.capacity.current);
      const value = agg.value / dividedBy;
      fired = COMPARE[trig.operator](value, trig.threshold);
      condition = dividedCondition(trig, agg, agg.value, dividedBy, value);
    } else {
      fired = COMPARE[trig.operator](agg.value, trig.threshold);
      condition = measuredCondition(trig, agg, agg.value);
    }
  } else {
    // Each shape of the condition's trace written as one literal (kind, expr, window, then work and
    // value as they become known), not grown property by property.
    const expr = rule.when.expr;
    // The fast program where the condition has one (src/engine/expr-fast.ts): it reads the series in
    // the window itself, and bails when one of the rule's metrics has no data there (prepareRule gives
    // a rule a fast condition only when it reads them all). The window's summaries and context otherwise.
    const fast = fastValue(cr, cr.condition!, prepared.fastCondition, inputs, contexts);
    let value: boolean | undefined;
    if (fast !== BAIL) {
      value = fast as boolean;
    } else {
      const missing = missingMetrics(cr, contexts.metricsFor(cr, prepared));
      if (missing !== undefined) {
        const missingCondition: RuleTrace['condition'] = { kind: 'expression', expr, window: prepared.window };
        return missingData(cr, prepared, missingCondition, missing);
      }
      ctx = contexts.contextFor(cr, prepared);
      value = EVALUATOR.conditionOf(cr.condition!, ctx, contexts.options);
    }
    if (value === undefined) {
      const failedCondition: RuleTrace['condition'] = { kind: 'expression', expr, window: prepared.window, work: EVALUATOR.work };
      return ruleError(cr, prepared, failedCondition, EVALUATOR.error!, 'when.expr');
    }
    fired = value;
    condition = { kind: 'expression', expr, window: prepared.window, work: EVALUATOR.work, value };
  }

  if (!fired) return notMet(cr, prepared, condition);
  let capacity: number;
  if (rule.action.type === 'Expression') {
    // An expression condition found the same window's metrics all there (on the fast path or the
    // closures'), and only an expression that can modify its input could have taken one out since.
    if (!('expr' in rule.when) || prepared.mutatesInput) {
      const missing = missingMetrics(cr, contexts.metricsFor(cr, prepared));
      if (missing !== undefined) return missingData(cr, prepared, condition, missing);
    }
    const fast = fastValue(cr, cr.capacity!, prepared.fastCapacity, inputs, contexts);
    let value: number | undefined;
    if (fast !== BAIL) {
      value = fast as number;
    } else {
      // A fresh context for an expression that may modify its input, as each evaluation always had.
      if (ctx === undefined || prepared.mutatesInput) ctx = contexts.contextFor(cr, prepared);
      value = EVALUATOR.numberOf(cr.capacity!, ctx, contexts.options);
    }
    if (value === undefined) return ruleError(cr, prepared, condition, EVALUATOR.error!, 'action.expr');
    // capacityFromAction of a whole number below 1e12, which toPrecision(12) and any rounding keep as it is
    capacity = Number.isInteger(value) && Math.abs(value) < 1e12 ? Math.max(0, value) : capacityFromAction(rule.action, rule.direction, inputs.capacity.current, value);
  } else {
    capacity = capacityFromAction(rule.action, rule.direction, inputs.capacity.current);
  }
  return firedTrace(cr, prepared, condition, capacity);
}

/** An expression's value from its fast program over the rule's window, or BAIL (no program, or it left its path). */
function fastValue(cr: CompiledRule, expr: CompiledExpr, program: FastProgram | undefined, inputs: RuleInputs, contexts: ContextCache): number | boolean | typeof BAIL {
  return program !== undefined ? EVALUATOR.fastOf(expr, program, inputs.series, cr.conditionWindowMs, inputs.capacity, contexts.options) : BAIL;
}

// ---------------------------------------------------------------------------------------------------
// Traces. Each shape of a trace is one object literal in one of these functions, never an object
// grown property by property or spread (see SHAPES): V8 then gives each shape one hidden class, kept
// alive by its literal, and code that reads traces stays optimized across targets.

/** A metric condition's trace when its window held no data. */
function unmeasuredCondition(trig: MetricTrigger, agg: TriggerAggregation): MetricConditionTrace {
  const { metric, timeGrain, statistic, timeWindow, timeAggregation, operator, threshold } = trig;
  const { grains, samples } = agg;
  return { kind: 'metric', metric, timeGrain, statistic, timeWindow, timeAggregation, grains, samples, operator, threshold };
}

/** A metric condition's trace with the aggregated value it compared. */
function measuredCondition(trig: MetricTrigger, agg: TriggerAggregation, aggregated: number): MetricConditionTrace {
  const { metric, timeGrain, statistic, timeWindow, timeAggregation, operator, threshold } = trig;
  const { grains, samples } = agg;
  return { kind: 'metric', metric, timeGrain, statistic, timeWindow, timeAggregation, grains, samples, operator, threshold, aggregated, value: aggregated };
}

/** A metric condition's trace with the aggregated value divided per instance (dividePerInstance). */
function dividedCondition(trig: MetricTrigger, agg: TriggerAggregation, aggregated: number, dividedBy: number, value: number): MetricConditionTrace {
  const { metric, timeGrain, statistic, timeWindow, timeAggregation, operator, threshold } = trig;
  const { grains, samples } = agg;
  return { kind: 'metric', metric, timeGrain, statistic, timeWindow, timeAggregation, grains, samples, operator, threshold, aggregated, dividedBy, value };
}

function notMet(cr: CompiledRule, prepared: PreparedRule, condition: RuleTrace['condition']): RuleTrace {
  return { rule: cr.rule.id, direction: cr.rule.direction, action: prepared.action, status: 'NotMet', condition };
}

function firedTrace(cr: CompiledRule, prepared: PreparedRule, condition: RuleTrace['condition'], capacity: number): RuleTrace {
  return { rule: cr.rule.id, direction: cr.rule.direction, action: prepared.action, status: 'Fired', condition, capacity };
}

function missingData(cr: CompiledRule, prepared: PreparedRule, condition: RuleTrace['condition'], missing: string[]): RuleTrace {
  return { rule: cr.rule.id, direction: cr.rule.direction, action: prepared.action, status: 'MissingData', condition, missing };
}

/** A rule whose expression failed; `field` is where in the rule the expression is (`when.expr`, `action.expr`). */
function ruleError(cr: CompiledRule, prepared: PreparedRule, condition: RuleTrace['condition'], error: ExprError, field: string): RuleTrace {
  return { rule: cr.rule.id, direction: cr.rule.direction, action: prepared.action, status: 'RuleError', condition, error: { ...error, path: `${cr.path}.${field}` } };
}

/** PreparedRule of a CompiledRule built without one (not by ruleset.ts). */
const preparedCache = new WeakMap<CompiledRule, PreparedRule>();
function preparedOf(cr: CompiledRule): PreparedRule {
  let prepared = preparedCache.get(cr);
  if (prepared === undefined) {
    prepared = prepareRule(cr);
    preparedCache.set(cr, prepared);
  }
  return prepared;
}

/** The rule's metrics without data in the window, or undefined when all have data. */
function missingMetrics(cr: CompiledRule, metrics: Record<string, unknown>): string[] | undefined {
  const names = cr.metrics;
  let missing: string[] | undefined;
  for (let i = 0; i < names.length; i++) {
    if (metrics[names[i]!] === undefined) (missing ??= []).push(names[i]!);
  }
  return missing;
}
