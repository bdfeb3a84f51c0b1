// AWS step scaling as a policy: every policy whose alarm is in breach proposes its step's capacity (step-scaling.ts).
//
// The alarm: without evaluationPeriods, the points of one `window` reduced with the statistic (as
// before); with it, CloudWatch's period-by-period "M out of N" evaluation (../aws-alarm.ts, shared with
// simple scaling), `window` being the Period.
//
// Warm-up (User Guide as-step-scaling-warmup and "Set the default instance warmup"; API PutScalingPolicy
// EstimatedInstanceWarmup): an instance still warming up does not contribute to the aggregated metric
// and is not yet part of the current capacity, while the desired capacity already counts it, so
// "multiple alarm breaches that fall in the range of the same step adjustment result in a single scaling
// activity" and scale-in waits until the warm-up ends. Which instances are warming comes from the
// target's `instances` (createdAt); without them nothing is excluded.
import { acceptedDurationMs, toEpochMs } from '../../syntax/duration.js';
import type { StepScalingTrace } from '../../schemas/decision.js';
import { pointsInWindow, type Point } from '../metrics.js';
import type { RuleSet } from '../../schema.js';
import type { DecisionContext } from '../pipeline/context.js';
import type { Proposal } from '../pipeline/recommendation.js';
import { evaluateStepScaling } from '../step-scaling.js';
import { evaluateAlarm, type AlarmSpan } from '../aws-alarm.js';
import type { Policy } from './policy.js';

type StepScalingRule = NonNullable<RuleSet['stepScaling']>[number];

export interface CompiledStepScaling {
  readonly rules: ReadonlyArray<{ readonly rule: StepScalingRule; readonly windowMs: number; readonly warmupMs?: number; readonly span?: AlarmSpan }>;
}

/** Ids of the target's instances created less than `warmupMs` before now (createdAt ≤ now; a later one is not yet launched). */
function warmingInstances(ctx: DecisionContext, warmupMs: number): Set<string> {
  const out = new Set<string>();
  for (const i of ctx.target.instances ?? []) {
    const created = toEpochMs(i.createdAt);
    if (created !== undefined && created <= ctx.now && ctx.now - created < warmupMs) out.add(i.id);
  }
  return out;
}

/**
 * The capacity in service: the target's `inServiceCapacity` when given (never above the capacity),
 * else the capacity less the weights (AWS WeightedCapacity, default 1) of the warming instances.
 */
function inServiceOf(ctx: DecisionContext, warming: ReadonlySet<string>): number {
  if (ctx.target.inServiceCapacity !== undefined) return Math.min(ctx.bounded, ctx.target.inServiceCapacity);
  let units = 0;
  for (const i of ctx.target.instances ?? []) if (warming.has(i.id)) units += i.weight ?? 1;
  return Math.max(0, ctx.bounded - units);
}

const NOT_WARMING: ReadonlySet<string> = new Set();

/**
 * A policy's view of the target under its warm-up: the warming instances, the points without theirs (warming
 * instances are not counted toward the metric) and the capacity in service. No warm-up: nothing is warming.
 */
export function warmupView(ctx: DecisionContext, warmupMs: number | undefined, points: readonly Point[]): { warming: ReadonlySet<string>; points: readonly Point[]; inService: number } {
  const warming = warmupMs === undefined ? NOT_WARMING : warmingInstances(ctx, warmupMs);
  const kept = warming.size > 0 ? points.filter((p) => p.instance === undefined || !warming.has(p.instance)) : points;
  return { warming, points: kept, inService: inServiceOf(ctx, warming) };
}

export const stepScalingPolicy: Policy<CompiledStepScaling> = {
  kind: 'stepScaling',
  compile(spec) {
    const rules = spec.stepScaling ?? [];
    if (rules.length === 0) return undefined;
    return {
      rules: rules.map((rule) => {
        const windowMs = acceptedDurationMs(rule.window);
        // Without evaluationPeriods the rule reads one window, as it always did (the same decision as one period).
        const periods = rule.evaluationPeriods;
        const span = periods === undefined ? undefined : { periodMs: windowMs, periods, toAlarm: rule.datapointsToAlarm ?? periods };
        return { rule, windowMs, ...(span && { span }), ...(rule.warmupSeconds !== undefined && { warmupMs: rule.warmupSeconds * 1000 }) };
      }),
    };
  },
  metrics: ({ rules }) => rules.map((r) => r.rule.policy.metric),
  lookbackMs: ({ rules }) => Math.max(0, ...rules.map((r) => r.windowMs * (r.span?.periods ?? 1))),
  recommend({ rules }, ctx) {
    const { series, now, bounded: current } = ctx;
    const proposals: Proposal[] = [];
    const traces: StepScalingTrace[] = [];
    const missing: string[] = [];
    for (const { rule: r, windowMs, warmupMs, span } of rules) {
      const { warming, points, inService } = warmupView(ctx, warmupMs, pointsInWindow(series.get(r.policy.metric) ?? [], now, windowMs * (span?.periods ?? 1)));
      if (points.length === 0) missing.push(r.policy.metric);
      // With evaluationPeriods, each period is a data point of its own and M of N decide (aws-alarm.ts).
      const alarm = span && { ...evaluateAlarm(r.policy, span, points, now), toAlarm: span.toAlarm };
      // Warming instances are part of the desired capacity but not yet of the current one.
      const input = { metric: points.map((p) => p.v), ...(alarm && { alarm }), currentCapacity: inService, ...(inService < current && { desiredCapacity: current }) };
      // The schema ran validateStepAdjustments on the policy when the rule set loaded.
      const result = evaluateStepScaling(r.policy, input, { validated: true });
      traces.push({ id: r.id, result, ...(warming.size > 0 && { warming: [...warming].sort() }) });
      // The message is a sentence; reasons append clauses after it, so drop its full stop.
      if (result.fired)
        proposals.push({ source: 'stepScaling', id: r.id, capacity: result.newCapacity, message: result.message.replace(/\.$/, ''), label: `step scaling policy ${r.id}` });
    }
    return { kind: 'stepScaling', proposals, missing, trace: traces };
  },
};
