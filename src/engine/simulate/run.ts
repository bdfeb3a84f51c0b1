// The replay loop: decide() at every step from `from` to `to`, each decision's state and capacity feeding the next.
import { decide } from '../decide.js';
import type { BudgetPool } from '../jsonata/runtime.js';
import type { Point } from '../metrics.js';
import type { CompiledRuleSet } from '../ruleset.js';
import type { DecisionState } from '../../schema.js';
import type { SimulationSummary, TimelineEntry } from '../../schemas/simulate.js';
import { isoUtc, parseIsoDuration } from '../../syntax/duration.js';
import { NormalizedSeries } from '../../syntax/series.js';
import { Fleet } from './fleet.js';
import { Cursor, reportedMetric, requiredCapacity, utilization, type CompiledLoad } from './load.js';
import { SummaryBuilder } from './summary.js';

export interface SimulationSpec {
  ruleSet: CompiledRuleSet;
  target: string;
  /** First evaluation (epoch ms); evaluations at from, from + step, … while before `to`. */
  from: number;
  to: number;
  stepMs: number;
  capacity: number;
  state?: DecisionState;
  /** The history by name, each sorted by time (epoch ms). */
  metrics: Readonly<Record<string, readonly Point[]>>;
  load?: CompiledLoad;
  flapWindowMs: number;
  timeline: boolean;
  /** The request's expression budget, shared by every evaluation (SIMULATE_LIMITS.expressionWork). */
  budget?: BudgetPool;
}

export interface Simulation {
  summary: SimulationSummary;
  timeline?: TimelineEntry[];
}

/** Evaluations a simulation makes: one at `from` and one every step before `to`. */
export function evaluationCount(from: number, to: number, stepMs: number): number {
  return to > from ? Math.ceil((to - from) / stepMs) : 0;
}

/** Duration fields any policy reads metrics over, so each evaluation is handed only the points it can use. */
const WINDOW_KEYS = new Set(['timeWindow', 'window', 'defaultWindow', 'maxAge', 'stableWindow']);

/**
 * How far back an evaluation at `now` can look: the longest window or maximum age anywhere in the
 * rule set (Azure rules, expressions, target tracking, step scaling, the kpa stable window, missing data). Each evaluation
 * gets the points in (now − lookback, now]; decide() windows them itself, so the result is what it
 * would be with the whole history up to `now`, at a cost independent of the history's length.
 */
function lookbackMs(ruleSet: CompiledRuleSet): number {
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
  return longest;
}

/** One series read at increasing instants: the points in (now − lookback, now]. */
class Window {
  private lo = 0;
  private hi = 0;
  constructor(readonly points: readonly Point[]) {}
  slice(now: number, lookback: number): { points: Point[]; latest: number | null } {
    const { points } = this;
    while (this.hi < points.length && points[this.hi]!.t <= now) this.hi++;
    while (this.lo < this.hi && points[this.lo]!.t <= now - lookback) this.lo++;
    const slice = points.slice(this.lo, this.hi);
    return { points: slice, latest: this.hi > 0 ? points[this.hi - 1]!.v : null };
  }
}

/** Replay `spec.ruleSet` over the history. Pure and deterministic: same spec, same result. */
export function simulate(spec: SimulationSpec): Simulation {
  const { ruleSet, load, stepMs } = spec;
  const lookback = lookbackMs(ruleSet) + stepMs;
  const demandMetric = load?.model === 'demand' ? load.metric : undefined;
  const windows = new Map<string, Window>();
  for (const [name, points] of Object.entries(spec.metrics)) if (name !== demandMetric) windows.set(name, new Window(points));
  // The demand model's metric is written as the simulation goes: one point per step, from the load and the serving instances.
  const written: Point[] = [];
  if (demandMetric !== undefined) windows.set(demandMetric, new Window(written));

  const fleet = new Fleet(spec.capacity, load?.provisioningDelayMs ?? 0, load?.scaleInDelayMs ?? 0);
  const loadCursor = load ? new Cursor(load.series) : undefined;
  const summary = new SummaryBuilder(stepMs, spec.flapWindowMs);
  const timeline: TimelineEntry[] | undefined = spec.timeline ? [] : undefined;
  let state = spec.state;

  const n = evaluationCount(spec.from, spec.to, stepMs);
  for (let i = 0; i < n; i++) {
    const now = spec.from + i * stepMs;
    fleet.advance(now);
    const loadNow = loadCursor?.at(now);
    if (demandMetric !== undefined && loadNow !== undefined) written.push({ t: now, v: reportedMetric(loadNow, fleet.serving, load!) });

    const metrics: Record<string, NormalizedSeries> = {};
    const seen: Record<string, number | null> = {};
    for (const [name, w] of windows) {
      const { points, latest } = w.slice(now, lookback);
      if (points.length > 0) metrics[name] = new NormalizedSeries(points);
      seen[name] = latest;
    }
    const from = fleet.desired;
    const decision = decide(ruleSet, { id: spec.target, capacity: from, metrics, ...(state && { state }) }, now, spec.budget ? { requestBudget: spec.budget } : {});
    state = decision.state as DecisionState;
    fleet.scaleTo(decision.to, now);

    const required = load && loadNow !== undefined ? requiredCapacity(loadNow, load) : null;
    const util = load && loadNow !== undefined ? utilization(loadNow, fleet.serving, load) : null;
    summary.add({ t: now, from, to: decision.to, serving: fleet.serving, running: fleet.running, required, utilization: util, code: decision.code });
    timeline?.push({
      t: isoUtc(now),
      capacity: from,
      to: decision.to,
      serving: fleet.serving,
      running: fleet.running,
      ...(load && { load: loadNow ?? null, required, utilization: util === null ? null : Math.round(util * 100) / 100 }),
      metrics: seen,
      action: decision.action,
      code: decision.code,
      rule: decision.rule,
      reason: decision.reason,
    });
  }
  return { summary: summary.finish(), ...(timeline && { timeline }) };
}
