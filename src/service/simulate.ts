// Simulation requests shared by POST /v1/simulate and `edgescale simulate`: parse, resolve each rule set, bound the work, replay.
import { SimulateEnvelope, type SimulateResponse, type SimulationResult } from '../schemas/simulate.js';
import type { ErrorBody, Issue } from '../schemas/decision.js';
import { zodIssues } from '../engine/ruleset.js';
import { BudgetPool } from '../engine/jsonata/runtime.js';
import type { Point } from '../engine/metrics.js';
import { evaluationCount, simulate } from '../engine/simulate/run.js';
import type { CompiledLoad } from '../engine/simulate/load.js';
import { SIMULATE_LIMITS } from '../limits.js';
import { acceptedDurationMs, formatIsoDuration, isoUtc, toEpochMs } from '../syntax/duration.js';
import type { ParsedSeries } from '../syntax/series.js';
import { MetricSeries } from '../schema.js';
import { convertMetricsPayload, resolveRuleSet, type BatchAccess, type ResolvedRuleSet, type RuleSetResolver } from './batch.js';
import { internalFailure } from './internal-error.js';
import type { Logger } from '../observability/log.js';

export type SimulateOutcome = { ok: true; response: SimulateResponse } | { ok: false; error: ErrorBody };

/** In-process callers (the CLI, benchmarks, tests): no credential, no scope, no reserved ids. */
const IN_PROCESS: BatchAccess = { requestedBy: { credential: 'cli', kind: 'cli' }, reserved: () => false };

function asError(issues: Issue[]): ErrorBody {
  const [first] = issues as [Issue, ...Issue[]];
  return { ...first, ...(issues.length > 1 && { issues }) };
}

/** One entry of `ruleSets`, resolved as POST /v1/evaluate resolves a target's (resolveRuleSet: scope, reserved ids, importers). */
function resolveOne(raw: unknown, index: number, target: string, resolve: RuleSetResolver, access: BatchAccess): ResolvedRuleSet | { ok: false; error: ErrorBody } {
  const prefix = `ruleSets[${index}]`;
  const r = resolveRuleSet(raw, { id: target, path: prefix, scopePath: prefix }, resolve, access);
  // Scope refusals point at the simulation's `target`, or at the rule set itself (not a `.ruleSet` inside it).
  if (!r.ok && r.error.code === 'TargetNotAllowed') return { ok: false, error: { ...r.error, path: 'target' } };
  if (!r.ok && r.error.code === 'RuleSetNotAllowed') return { ok: false, error: { ...r.error, path: prefix } };
  return r;
}

/** A history series as sorted points; a bare number (one value at one instant) has no history to replay. */
function historyPoints(series: ParsedSeries, path: string): { ok: true; points: Point[] } | { ok: false; error: ErrorBody } {
  if (typeof series === 'number') {
    return { ok: false, error: { code: 'SchemaViolation', message: 'a simulation replays a history: send points ([{ "t": …, "v": … }]) or columns, not a single value', path } };
  }
  return { ok: true, points: series.points };
}

/**
 * Simulate every rule set of the request over the same history. Bad input of any kind is an error
 * value with a path (4xx over HTTP); an exception is a defect, answered as InternalError.
 */
export function simulateRequest(body: unknown, resolve: RuleSetResolver, access: BatchAccess = IN_PROCESS, log?: Logger): SimulateOutcome {
  const parsed = SimulateEnvelope.safeParse(body);
  if (!parsed.success) return { ok: false, error: asError(zodIssues(parsed.error)) };
  const req = parsed.data;

  const resolved: ResolvedRuleSet[] = [];
  for (const [i, raw] of req.ruleSets.entries()) {
    const r = resolveOne(raw, i, req.target, resolve, access);
    if (!r.ok) return r;
    resolved.push(r);
  }

  // A payload in another format: the series of this simulation's target, under the names it gives them.
  let history: Record<string, ParsedSeries> = req.metrics;
  if (req.metricsFormat) {
    const converted = convertMetricsPayload(req.metricsFormat, req.metricsPayload);
    if (!converted.ok) return converted;
    const series = converted.targets[req.target];
    if (!series) {
      const found = Object.keys(converted.targets).sort();
      const message = `the payload has no series for target "${req.target}" (by ${req.metricsFormat.targetLabel}; it has ${found.length ? found.map((t) => `"${t}"`).join(', ') : 'none'}): set \`target\` to one of them`;
      return { ok: false, error: { code: 'MetricFormat', message, path: 'metricsPayload' } };
    }
    const parsed: Record<string, ParsedSeries> = {};
    for (const [name, columns] of Object.entries(series)) {
      // Through the schema's series parser, with its limits, as an inline series would be.
      const one = MetricSeries.safeParse(columns);
      if (!one.success) return { ok: false, error: asError(zodIssues(one.error, 'metricsPayload').map((i) => ({ ...i, code: 'MetricFormat' as const, message: `${name}: ${i.message}` }))) };
      parsed[name] = one.data;
    }
    history = { ...parsed, ...req.metrics };
  }

  // The history: every series as points, and the names some rule set reads (a typo would look like missing data).
  const metrics: Record<string, Point[]> = {};
  const known = resolved.every((r) => r.ruleSet.knownMetrics) ? new Set(resolved.flatMap((r) => [...r.ruleSet.knownMetrics!])) : undefined;
  const unknownIssue = (name: string, path: string): ErrorBody => ({
    code: 'UnknownMetric',
    message: `metric "${name}" is not read by any of the rule sets (they read: ${[...known!].sort().join(', ') || 'none'})`,
    path,
  });
  for (const [name, series] of Object.entries(history)) {
    const path = Object.hasOwn(req.metrics, name) ? `metrics.${name}` : 'metricsPayload';
    if (known && !known.has(name)) {
      // From a payload, a metric no rule reads is ignored, as POST /v1/evaluate ignores it (docs/metric-formats.md); one of `metrics` is a typo.
      if (!Object.hasOwn(req.metrics, name)) continue;
      return { ok: false, error: unknownIssue(name, path) };
    }
    const points = historyPoints(series, path);
    if (!points.ok) return points;
    metrics[name] = points.points;
  }
  let load: CompiledLoad | undefined;
  if (req.load) {
    const l = req.load;
    const points = historyPoints(l.series, 'load.series');
    if (!points.ok) return points;
    if (l.model === 'demand' && known && !known.has(l.metric!)) return { ok: false, error: unknownIssue(l.metric!, 'load.metric') };
    load = {
      model: l.model,
      series: points.points,
      perInstance: l.perInstance,
      target: l.target,
      ...(l.metric !== undefined && { metric: l.metric }),
      as: l.as,
      provisioningDelayMs: acceptedDurationMs(l.provisioningDelay),
      scaleInDelayMs: acceptedDurationMs(l.scaleInDelay),
    };
  }

  // The span: given, or the history's first point to one step past its last.
  const stepMs = acceptedDurationMs(req.step);
  if (stepMs < SIMULATE_LIMITS.minStepMs)
    return { ok: false, error: { code: 'SchemaViolation', message: `step must be at least ${SIMULATE_LIMITS.minStepMs / 1000} s`, path: 'step' } };
  const all = [...Object.values(metrics), ...(load ? [load.series] : [])].filter((p) => p.length > 0);
  const from = req.from !== undefined ? toEpochMs(req.from)! : all.length ? Math.min(...all.map((p) => p[0]!.t)) : undefined;
  const to = req.to !== undefined ? toEpochMs(req.to)! : all.length ? Math.max(...all.map((p) => p[p.length - 1]!.t)) + stepMs : undefined;
  if (from === undefined || to === undefined) {
    return {
      ok: false,
      error: {
        code: 'SchemaViolation',
        message: 'no history to take the span from: send `from` and `to`, or metrics or a load series with points',
        path: req.from === undefined ? 'from' : 'to',
      },
    };
  }
  if (to <= from) return { ok: false, error: { code: 'SchemaViolation', message: `to (${isoUtc(to)}) must be after from (${isoUtc(from)})`, path: 'to' } };
  const evaluations = evaluationCount(from, to, stepMs);
  if (evaluations * resolved.length > SIMULATE_LIMITS.evaluations) {
    return {
      ok: false,
      error: {
        code: 'LimitExceeded',
        message: `${evaluations} evaluations × ${resolved.length} rule set(s) = ${evaluations * resolved.length}, over SIMULATE_LIMITS.evaluations (${SIMULATE_LIMITS.evaluations}); use a longer step, a shorter span or fewer rule sets`,
        path: req.to !== undefined ? 'to' : 'step',
      },
    };
  }

  // One expression budget for the whole request; memory is bounded per evaluation by each target's own pool.
  const budget = new BudgetPool('request', SIMULATE_LIMITS.expressionWork, Number.MAX_SAFE_INTEGER);
  const results: SimulationResult[] = [];
  try {
    for (const [index, r] of resolved.entries()) {
      const run = simulate({
        ruleSet: r.ruleSet,
        target: req.target,
        from,
        to,
        stepMs,
        capacity: req.capacity,
        ...(req.state && { state: req.state }),
        metrics,
        ...(load && { load }),
        flapWindowMs: acceptedDurationMs(req.flapWindow),
        timeline: req.timeline,
        budget,
      });
      results.push({ index, ruleSet: r.ruleSet.spec.id, ruleSetOrigin: r.origin, ...(r.imported && { imported: r.imported }), ...run });
    }
  } catch (error) {
    return { ok: false, error: internalFailure(error, `simulating ruleSets[${results.length}]`, `ruleSets[${results.length}]`, log) };
  }
  return {
    ok: true,
    response: { from: isoUtc(from), to: isoUtc(to), step: formatIsoDuration(stepMs), model: load?.model ?? 'replay', evaluations, results },
  };
}
