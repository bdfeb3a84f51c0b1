// Batch evaluation shared by every adapter (HTTP, cron, CLI): per-target parsing, rule set resolution, decisions.
import { EvaluateEnvelope, Target } from '../schema.js';
import type { MetricFormatOptions } from '../schemas/metric-formats.js';
import type { AttributedDecision, ImportReport, Issue, MetricsReport, PayloadNote, RequestedBy, RuleSetOrigin, TargetError, TargetResult } from '../schemas/decision.js';
import { isRecord } from '../util/is-record.js';
import { decide, type TargetInput } from '../engine/decide.js';
import { selectProfile, type ProfileSelection } from '../engine/active-profile.js';
import { isoUtc, toEpochMs } from '../syntax/duration.js';
import type { TraceLevel } from './trace-level.js';
import { loadRuleSet, zodIssues, type CompiledRuleSet } from '../engine/ruleset.js';
import { BudgetPool } from '../engine/jsonata/runtime.js';
import { REQUEST_MEMORY, REQUEST_WORK } from '../engine/expr-budgets.js';
import { importWrapped, unwrapForeign } from '../formats/foreign.js';
import { convertMetricsColumns, prefixPath } from '../formats/metrics.js';
import { lookbackMs } from '../engine/lookback.js';
import { CLOCK_SKEW_TOLERANCE_MS } from '../engine/series.js';
import type { UNUSED_POINT_CODES } from '../schemas/codes.js';
import { unknownActuatorIssue } from '../delivery/wiring.js';
import { internalFailure } from './internal-error.js';
import type { Logger } from '../observability/log.js';

export type RuleSetResolver = (id: string) => CompiledRuleSet | undefined;

export type BatchOutcome =
  | { ok: false; error: TargetError }
  | { ok: true; now: string; deliver: boolean; trace: TraceLevel; results: TargetResult[]; decided: number; failed: number; metrics?: MetricsReport };

const idOf = (raw: unknown): string | null => (typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id : null);

function asError(issues: Issue[]): TargetError {
  const [first] = issues as [Issue, ...Issue[]];
  const error: TargetError = { code: first.code, message: first.message, path: first.path };
  if (first.position !== undefined) error.position = first.position;
  if (issues.length > 1) error.issues = issues;
  return error;
}

/**
 * Decide every target of a batch. The envelope must be valid; after that each target stands alone,
 * so one malformed target gets an error entry and the rest of the batch is still decided.
 */
export interface BatchLimits {
  /** Points per converted series, when a deployment lowered LIMITS.pointsPerSeries; and where that limit comes from, for the message. */
  pointsPerSeries?: number;
  pointsPerSeriesSource?: string;
  /**
   * The actuator names this deployment configures (configuredActuators in src/delivery/wiring.ts);
   * a rule set naming another is refused with UnknownActuator. Absent (CLI eval): not checked.
   */
  actuators?: ReadonlySet<string>;
}

/** Who is asking, and what they may decide (built by src/http/scopes.ts from the request's credential). */
export interface BatchAccess {
  /** Stamped on every decision, so it is signed with it when delivered. */
  requestedBy: RequestedBy;
  /** Refuses one target before its rule set is loaded or anything is decided; undefined lets it through. */
  allow?: (target: { id: string; ruleSet: { source: 'bundled'; id: string } | { source: 'inline' | 'imported' } }, prefix: string) => TargetError | undefined;
  /** Ids an inline or imported rule set may not take (the bundled ones); default: the ids `resolve` knows. */
  reserved?: (id: string) => boolean;
}

/** In-process callers (the CLI's eval, benchmarks, tests): no credential, no scope. */
const IN_PROCESS_ACCESS: BatchAccess = { requestedBy: { credential: 'cli', kind: 'cli' } };

/** `log` gets the stack of an exception that became a target's InternalError; without one it goes to the console. */
export async function evaluateBatch(
  body: unknown,
  resolve: RuleSetResolver,
  clockNow: number,
  limits: BatchLimits = {},
  access: BatchAccess = IN_PROCESS_ACCESS,
  log?: Logger,
): Promise<BatchOutcome> {
  const envelope = EvaluateEnvelope.safeParse(body);
  if (!envelope.success) return { ok: false, error: asError(zodIssues(envelope.error)) };
  const now = envelope.data.now !== undefined ? toEpochMs(envelope.data.now)! : clockNow;
  const targets = envelope.data.targets;
  let metrics: MetricsReport | undefined;
  let converted: Extract<ReturnType<typeof convertMetricsPayload>, { ok: true }> | undefined;
  const { metricsFormat, metricsPayload } = envelope.data;
  if (metricsFormat) {
    const c = convertMetricsPayload(metricsFormat, metricsPayload, limits);
    if (!c.ok) return c;
    converted = c;
    const ids = new Set(targets.map(idOf).filter((id): id is string => id !== null));
    metrics = {
      format: metricsFormat.format,
      targets: Object.keys(c.targets).filter((id) => ids.has(id)),
      unknownTargets: Object.keys(c.targets).filter((id) => !ids.has(id)),
      // In request order; a target listed twice is listed once.
      targetsWithoutData: [...ids].filter((id) => !Object.hasOwn(c.targets, id)),
      ignored: [],
      unmatched: c.unmatched,
      unused: { points: 0, reasons: [] },
      clockSkew: { toleranceMs: CLOCK_SKEW_TOLERANCE_MS, points: 0 },
    };
  }

  const results: TargetResult[] = [];
  // One `now` per batch, so each rule set's active profile is chosen once, not once per target.
  const selections = new Map<CompiledRuleSet, ProfileSelection>();
  // One expression budget for the whole request, whatever its number of targets × rules.
  const budget = new BudgetPool('request', REQUEST_WORK, REQUEST_MEMORY);
  for (const [index, raw] of targets.entries()) {
    const id = idOf(raw);
    const payload = converted && id !== null ? { series: Object.hasOwn(converted.targets, id) ? converted.targets[id]! : {} } : undefined;
    // An exception while deciding one target is a defect: it becomes that target's InternalError
    // entry (logged with its stack under a correlation id) and the rest of the batch is still decided.
    // Synchronous (an async evaluateOne and its .catch() were three promises per target, ~5 % of a
    // 10,000-target batch, for work that never waits), with a microtask turn every YIELD_EVERY targets.
    if (index % YIELD_EVERY === YIELD_EVERY - 1) await undefined;
    let outcome: TargetOutcome;
    try {
      outcome = evaluateOne(raw, index, resolve, now, selections, budget, access, limits.actuators, payload);
    } catch (error) {
      outcome = { ok: false, error: internalFailure(error, `deciding targets[${index}]`, `targets[${index}]`, log) as TargetError };
    }
    if (outcome.ok && outcome.ignored && id !== null) metrics?.ignored.push(...outcome.ignored.map((i) => ({ target: id, ...i })));
    if (outcome.ok && outcome.pointUse && metrics && id !== null) countPointUse(metrics, id, outcome.pointUse);
    results.push(
      outcome.ok
        ? {
            index,
            target: id,
            ok: true,
            decision: outcome.decision,
            ...(outcome.imported && { imported: outcome.imported }),
            ...(outcome.notes && outcome.notes.length > 0 && { notes: outcome.notes }),
          }
        : { index, target: id, ok: false, error: outcome.error },
    );
  }
  if (metrics && converted) countUnknownTargets(metrics, converted.targets);
  const decided = results.filter((r) => r.ok).length;
  // The envelope's `now` is written as every decision's is (isoUtc: no ".000" for whole seconds).
  return { ok: true, now: isoUtc(now), deliver: envelope.data.deliver, trace: envelope.data.trace, results, decided, failed: results.length - decided, ...(metrics && { metrics }) };
}

/**
 * A metrics payload in another format (metricsFormat + metricsPayload) as native columnar series per
 * target, for POST /v1/evaluate and POST /v1/simulate alike. Option problems point at
 * `metricsFormat.<option>`, payload problems at a path inside `metricsPayload`.
 */
export function convertMetricsPayload(
  format: MetricFormatOptions,
  payload: unknown,
  limits: Pick<BatchLimits, 'pointsPerSeries' | 'pointsPerSeriesSource'> = {},
): Extract<ReturnType<typeof convertMetricsColumns>, { ok: true }> | { ok: false; error: TargetError } {
  const converted = convertMetricsColumns(
    { ...format, payload },
    {
      ...(limits.pointsPerSeries !== undefined && { maxPointsPerSeries: limits.pointsPerSeries }),
      ...(limits.pointsPerSeriesSource !== undefined && { limitName: limits.pointsPerSeriesSource }),
    },
  );
  if (converted.ok) return converted;
  const OPTIONS = new Set(['format', 'targetLabel', 'instanceLabel', 'metric', 'aggregation', 'metricNames']);
  const where = (path: string) => (OPTIONS.has(path.split(/[.[]/)[0]!) ? `metricsFormat.${path}` : prefixPath('metricsPayload', path));
  return { ok: false, error: asError(converted.issues.map((i) => ({ code: 'MetricFormat' as const, message: i.message, path: where(i.path) }))) };
}

/** A rule set as a request gives it, resolved: compiled, where it came from, and what its import left out. */
export interface ResolvedRuleSet {
  ok: true;
  ruleSet: CompiledRuleSet;
  origin: RuleSetOrigin;
  imported?: ImportReport;
}

/**
 * The one place a rule set given by a request is resolved — for POST /v1/evaluate's targets and POST
 * /v1/simulate's rule sets alike: the caller's scope first (for target `at.id`; a refusal costs no
 * load, import or expression), then a bundled id, an Azure setting or HPA manifest (imported; the
 * importer compiled it), or a native rule set (loaded). An inline or imported rule set never takes a
 * bundled id, so an actuator can trust the id of a bundled one. `at.path` is where the rule set is in
 * the request, `at.scopePath` where a scope refusal points.
 */
export function resolveRuleSet(
  raw: unknown,
  at: { id: string; path: string; scopePath: string },
  resolve: RuleSetResolver,
  access: BatchAccess,
): ResolvedRuleSet | { ok: false; error: TargetError } {
  const source: RuleSetOrigin['source'] = typeof raw === 'string' ? 'bundled' : unwrapForeign(raw) ? 'imported' : 'inline';
  const refused = access.allow?.({ id: at.id, ruleSet: typeof raw === 'string' ? { source: 'bundled', id: raw } : { source: source as 'inline' | 'imported' } }, at.scopePath);
  if (refused) return { ok: false, error: refused };
  const reserved = access.reserved ?? ((id: string) => resolve(id) !== undefined);
  const reservedId = (id: string, path: string): TargetError => ({
    code: 'ReservedRuleSetId',
    message: `the ${source} rule set's id "${id}" is the id of a bundled rule set; give it another id, or name the bundled one ("ruleSet": "${id}")`,
    path,
  });
  const done = (ruleSet: CompiledRuleSet, imported?: ImportReport): ResolvedRuleSet => ({
    ok: true,
    ruleSet,
    origin: { id: ruleSet.spec.id, source, hash: ruleSet.specHash },
    ...(imported && { imported }),
  });
  const converted = importWrapped(raw, at.path);
  if (converted) {
    if (!converted.ok) return { ok: false, error: asError(converted.issues) };
    if (reserved(converted.ruleSet.id)) return { ok: false, error: reservedId(converted.ruleSet.id, at.path) };
    return done(converted.compiled, converted.imported);
  }
  if (typeof raw === 'string') {
    const found = resolve(raw);
    if (!found) return { ok: false, error: { code: 'UnknownRuleSet', message: `no bundled rule set has the id "${raw}"`, path: at.path } };
    return done(found);
  }
  const inlineId = (raw as { id?: unknown } | null)?.id;
  if (typeof inlineId === 'string' && reserved(inlineId)) return { ok: false, error: reservedId(inlineId, `${at.path}.id`) };
  const loaded = loadRuleSet(raw, at.path);
  if (!loaded.ok) return { ok: false, error: asError(loaded.issues) };
  return done(loaded.ruleSet);
}

/**
 * Targets decided between two turns of the microtask queue. Each target used to await (three promises
 * each), and V8 kept the batch's garbage in check; one synchronous run over 10,000 targets did not
 * (the fleet batch failed under --max-old-space-size=80). 256 targets are ~7 ms: a turn that often
 * costs nothing measurable and keeps the heap as it was.
 */
const YIELD_EVERY = 256;

/** One target's outcome: its decision (with what the batch reports beside it), or its error entry. */
type TargetOutcome =
  | { ok: true; decision: AttributedDecision; imported?: ImportReport; ignored?: Array<{ metric: string; points: number }>; notes?: PayloadNote[]; pointUse?: PointUse }
  | { ok: false; error: TargetError };

function evaluateOne(
  raw: unknown,
  index: number,
  resolve: RuleSetResolver,
  now: number,
  selections: Map<CompiledRuleSet, ProfileSelection>,
  budget: BudgetPool,
  access: BatchAccess,
  actuators?: ReadonlySet<string>,
  payload?: { series: Record<string, unknown> },
): TargetOutcome {
  const prefix = `targets[${index}]`;
  // The payload's series join the target's own metrics (which win for the same name) and are parsed with
  // them; `fromPayload` remembers which names only the payload gave, for the knownMetrics check below.
  const own = isRecord(raw) && isRecord(raw.metrics) ? raw.metrics : undefined;
  const fromPayload = payload ? Object.keys(payload.series).filter((m) => !(own && Object.hasOwn(own, m))) : [];
  if (payload && isRecord(raw) && (own !== undefined || raw.metrics === undefined)) raw = { ...raw, metrics: { ...payload.series, ...own } };
  const parsed = Target.safeParse(raw);
  if (!parsed.success) return { ok: false, error: asError(zodIssues(parsed.error, prefix)) };
  const target = parsed.data;
  // Scope first: a refused target costs no rule set load, no import and no expression.
  const resolved = resolveRuleSet(target.ruleSet, { id: target.id, scopePath: prefix, path: `${prefix}.ruleSet` }, resolve, access);
  if (!resolved.ok) return resolved;
  const { ruleSet, imported } = resolved;

  // A rule set naming an actuator this deployment has no URL for: refused here, not discovered at delivery.
  if (actuators) {
    const path = typeof target.ruleSet === 'string' ? `${prefix}.ruleSet` : `${prefix}.ruleSet.actuator`;
    const issue = unknownActuatorIssue(ruleSet.spec.actuator, actuators, path);
    if (issue) return { ok: false, error: asError([typeof target.ruleSet === 'string' ? { ...issue, message: `bundled rule set ${ruleSet.spec.id}: ${issue.message}` } : issue]) };
  }

  // A metric of the target's own that no rule reads is almost always a typo ("cpu_percent" for "cpu"),
  // which would otherwise look like missing data and silently stop every scale-in. A metrics payload
  // (OTLP export, PromQL result) routinely carries more than the rules read: those series are ignored
  // and counted in the batch's metrics report instead.
  const ignored: Array<{ metric: string; points: number }> = [];
  if (ruleSet.knownMetrics) {
    const payloadOnly = new Set(fromPayload);
    const unknown = Object.keys(target.metrics).filter((m) => !ruleSet.knownMetrics!.has(m));
    const refused = unknown.filter((m) => !payloadOnly.has(m));
    if (refused.length > 0) {
      const known = [...ruleSet.knownMetrics].sort().join(', ') || 'none';
      const issues: Issue[] = refused.map((m) => ({
        code: 'UnknownMetric',
        message: `metric "${m}" is not used by rule set ${ruleSet.spec.id} (it uses: ${known})`,
        path: `${prefix}.metrics.${m}`,
      }));
      return { ok: false, error: asError(issues) };
    }
    if (unknown.length > 0) {
      const kept = { ...target.metrics };
      for (const m of unknown) {
        ignored.push({ metric: m, points: pointCount(payload!.series[m]) });
        delete kept[m];
      }
      target.metrics = kept;
    }
  }
  const pointUse = payload ? payloadPointUse(payload.series, own, ignored, ruleSet, now) : undefined;
  const notes = payload ? payloadNotes(payload.series, fromPayload, ignored, own !== undefined && Object.keys(own).length > 0, ruleSet, pointUse!) : [];
  // Field by field, not spread: this runs once per target of a batch of up to 10,000.
  const input: TargetInput = { id: target.id, capacity: target.capacity, metrics: target.metrics };
  if (target.labels) input.labels = target.labels;
  if (target.state) input.state = target.state;
  if (target.instances) input.instances = target.instances;
  if (target.inServiceCapacity !== undefined) input.inServiceCapacity = target.inServiceCapacity;
  if (target.unavailableZones) input.unavailableZones = target.unavailableZones;
  if (target.pods) input.pods = target.pods;
  let selection = selections.get(ruleSet);
  if (!selection) selections.set(ruleSet, (selection = selectProfile(ruleSet, now)));
  const decision = decide(ruleSet, input, now, { selection, requestBudget: budget });
  const ruleSetOrigin = resolved.origin;
  // The decision is this call's own: attributed in place rather than copied.
  const attributed = decision as AttributedDecision;
  attributed.requestedBy = access.requestedBy;
  attributed.ruleSetOrigin = ruleSetOrigin;
  // The actuator receives the decision alone: the payload notes go inside it too (after the id was taken:
  // they do not change it, as requestedBy does not).
  if (notes.length > 0) attributed.notes = notes;
  const out: Extract<TargetOutcome, { ok: true }> = {
    ok: true,
    decision: attributed,
  };
  if (imported) out.imported = imported;
  if (ignored.length > 0) out.ignored = ignored;
  if (notes.length > 0) out.notes = notes;
  if (pointUse) out.pointUse = pointUse;
  return out;
}

/** How the points of a target's read payload series fall against `now` and the rule set's lookback. */
interface PointUse {
  /** points in the read series */
  read: number;
  /** stamped after now + CLOCK_SKEW_TOLERANCE_MS: ignored by every window */
  afterNow: number;
  /** at or before now − lookback: older than any window of the rule set */
  beforeLookback: number;
  /** after now within the tolerance: used as points at now */
  skewed: number;
  /** in payload series of a metric the target's own `metrics` also give: the own series won */
  overridden: number;
}

function payloadPointUse(
  series: Record<string, unknown>,
  own: Record<string, unknown> | undefined,
  ignored: Array<{ metric: string }>,
  ruleSet: CompiledRuleSet,
  now: number,
): PointUse {
  const use: PointUse = { read: 0, afterNow: 0, beforeLookback: 0, skewed: 0, overridden: 0 };
  const skip = new Set(ignored.map((i) => i.metric));
  const oldest = now - lookbackMs(ruleSet);
  const newest = now + CLOCK_SKEW_TOLERANCE_MS;
  for (const name of Object.keys(series)) {
    const s = series[name];
    // A metric the target also sent itself: its payload series took no part, the target's own won.
    if (own && Object.hasOwn(own, name)) {
      use.overridden += pointCount(s);
      continue;
    }
    if (skip.has(name) || !isRecord(s) || !Array.isArray(s.t)) continue;
    const times = s.t as number[];
    use.read += times.length;
    for (let i = 0; i < times.length; i++) {
      const t = times[i]!;
      if (t > newest) use.afterNow++;
      else if (t > now) use.skewed++;
      else if (t <= oldest) use.beforeLookback++;
    }
  }
  return use;
}

const UNUSED_REASONS: Record<(typeof UNUSED_POINT_CODES)[number], string> = {
  AfterNow: `stamped more than ${CLOCK_SKEW_TOLERANCE_MS / 1000} s after now (CLOCK_SKEW_TOLERANCE_MS): from the future, ignored`,
  BeforeLookback: 'older than the longest window or maximum age of the target\'s rule set',
  OverriddenByTarget: "in a series of a metric the target's own `metrics` also give: the target's own series is used",
  UnknownTarget: 'placed on a target the batch does not list (see unknownTargets): not decided',
};

/** Add `count` points of one reason, for one target, to the batch's metrics report. */
function countUnused(report: MetricsReport, code: (typeof UNUSED_POINT_CODES)[number], target: string, count: number): void {
  if (count === 0) return;
  report.unused.points += count;
  let entry = report.unused.reasons.find((r) => r.code === code);
  if (!entry) report.unused.reasons.push((entry = { code, reason: UNUSED_REASONS[code], count: 0, targets: [] }));
  entry.count += count;
  if (!entry.targets.includes(target)) entry.targets.push(target);
}

/** Add one decided target's point use to the batch's metrics report. */
function countPointUse(report: MetricsReport, target: string, use: PointUse): void {
  report.clockSkew.points += use.skewed;
  countUnused(report, 'AfterNow', target, use.afterNow);
  countUnused(report, 'BeforeLookback', target, use.beforeLookback);
  countUnused(report, 'OverriddenByTarget', target, use.overridden);
}

/** Every point of the targets the payload has series for but the batch does not list, after the decided targets'. */
function countUnknownTargets(report: MetricsReport, targets: Record<string, Record<string, unknown>>): void {
  for (const id of report.unknownTargets) {
    let points = 0;
    for (const series of Object.values(targets[id]!)) points += pointCount(series);
    countUnused(report, 'UnknownTarget', id, points);
  }
}

/** Points of a converted (columnar) series. */
function pointCount(series: unknown): number {
  return isRecord(series) && Array.isArray(series.t) ? series.t.length : 0;
}

/**
 * Why a target of a payload batch may be deciding on nothing, so that its MissingDataNoScaleIn does not
 * look like an ordinary one: the payload (or the mapping: targetLabel, metricNames, metric) gave it no
 * series at all, or only series no rule of its rule set reads.
 */
function payloadNotes(
  series: Record<string, unknown>,
  fromPayload: string[],
  ignored: Array<{ metric: string; points: number }>,
  hasOwn: boolean,
  ruleSet: CompiledRuleSet,
  use: PointUse,
): PayloadNote[] {
  const own = hasOwn ? ' It was decided on its own `metrics` only.' : '';
  if (Object.keys(series).length === 0) {
    return [{ code: 'NoPayloadData', message: `the metrics payload has no series for this target (check the targetLabel value and the query's labels).${own}` }];
  }
  if (fromPayload.length > 0 && ignored.length === fromPayload.length) {
    const known = [...(ruleSet.knownMetrics ?? [])].sort().join(', ') || 'none';
    const names = ignored.map((i) => i.metric).join(', ');
    return [
      {
        code: 'NoPayloadMetricRead',
        message: `the metrics payload's series for this target (${names}) are read by no rule of rule set ${ruleSet.spec.id} (it uses: ${known}); rename them with metricNames or metric.${own}`,
      },
    ];
  }
  if (use.read > 0 && use.afterNow + use.beforeLookback === use.read) {
    return [
      {
        code: 'NoPayloadPointUsable',
        message: `none of the ${use.read} points the metrics payload gave this target is usable: ${use.afterNow} after now (beyond the ${CLOCK_SKEW_TOLERANCE_MS / 1000} s clock-skew tolerance), ${use.beforeLookback} older than every window of rule set ${ruleSet.spec.id}; check the query's time and range.${own}`,
      },
    ];
  }
  return [];
}
