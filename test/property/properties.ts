// The engine's invariants as fast-check properties, shared by the vitest file and the Node fuzz runner (no vitest here).
//
// Each invariant follows a passage of docs/rules.md (quoted beside it). Expected values are derived
// from the scenario's raw input or from the documented combination rules, not from the engine's
// helpers; where a property reads the trace (statuses, per-rule capacities) it checks how the
// decision follows from them, which is the part docs/rules.md specifies.
import fc from 'fast-check';
import { decide, type TargetInput } from '../../src/engine/decide.js';
import type { AttributedDecision, Decision } from '../../src/schemas/decision.js';
import { BLOCK_CODES, DECISION_CODES, RULE_STATUSES } from '../../src/schemas/codes.js';
import { evaluateBatch } from '../../src/service/batch.js';
import { CLOCK_SKEW_TOLERANCE_MS } from '../../src/engine/series.js';
import { DecisionState, EvaluateEnvelope, Target, type RuleSetInput } from '../../src/schema.js';
import { activeAt, compileGenerated, DATE_LIMIT_MS, edgeScenarioArb, materialize, metricsAt, metricsDraftArb, scenarioArb, type Scenario } from './arbitraries.js';
import { policyScenarioArb } from './policy-arbitraries.js';

// ---------------------------------------------------------------------------------------------------
// Documented vocabularies. Decision codes, rule statuses and block codes come from the engine's one
// list each (DECISION_CODES, RULE_STATUSES, BLOCK_CODES in src/engine/decision.ts); docs/rules.md,
// "Decision codes", documents them.

// ---------------------------------------------------------------------------------------------------
// Helpers

class PropertyViolation extends Error {
  override name = 'PropertyViolation';
}

function check(condition: boolean, message: string, details?: unknown): asserts condition {
  if (!condition) throw new PropertyViolation(details === undefined ? message : `${message}\n${JSON.stringify(details, null, 1)}`);
}

/** First path where two JSON-like values differ (Object.is on leaves, so -0 ≠ 0), or undefined. */
function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${path}: ${String(a)} ≠ ${String(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (ka.join('\u0000') !== kb.join('\u0000')) return `${path}: keys [${ka.join(', ')}] ≠ [${kb.join(', ')}]`;
  for (const k of ka) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
const DURATION_RE = /^PT(?:(\d+)M)?(?:(\d+)S)?$/;
/** The few durations the arbitraries write (PTnM, PTnS), read independently of the engine's parser. */
function durationMs(text: string): number {
  const m = DURATION_RE.exec(text);
  if (!m) throw new Error(`unexpected duration ${text}`);
  return Number(m[1] ?? 0) * 60_000 + Number(m[2] ?? 0) * 1000;
}
function timeMs(t: string | number): number {
  return typeof t === 'number' ? t : Date.parse(t);
}
/** Does a cooldown timer of the input state hold `direction` at `now`? ("until" is exclusive: now < until.) */
function cooldownHolds(input: TargetInput, direction: 'out' | 'in', now: number): boolean {
  const until = input.state?.cooldownUntil[direction];
  return until !== undefined && now < timeMs(until);
}
/** Bounds in force at the scenario's `now` (the active profile's, else the top-level ones). */
function boundsOf(s: Scenario) {
  return activeAt(s.ruleSet, s.now).capacity;
}
/** Rules in force at the scenario's `now`, in file order. */
function rulesOf(s: Scenario) {
  return activeAt(s.ruleSet, s.now).rules;
}
/**
 * docs/rules.md step 1: points with now − window < t ≤ now; a bare number is one point at now. A point
 * up to CLOCK_SKEW_TOLERANCE_MS after now counts as a point at now (src/engine/series.ts), so it is in
 * every window.
 */
function hasPointInWindow(scenario: Scenario, metric: string, windowMs: number, now: number): boolean {
  const series = scenario.target.metrics[metric];
  if (series === undefined) return false;
  if (typeof series === 'number') return true;
  return series.some((p) => {
    const t = timeMs(p.t);
    return (t > now - windowMs && t <= now) || (t > now && t <= now + CLOCK_SKEW_TOLERANCE_MS);
  });
}

async function decideScenario(s: Scenario): Promise<{ d: Decision; input: TargetInput }> {
  const { ruleSet, input } = await materialize(s);
  return { d: await decide(ruleSet, input, s.now), input };
}

/** A batch request body for one target with its rule set inline, as a client would send it (JSON). */
function batchBody(raw: RuleSetInput, input: TargetInput, now: number): unknown {
  // `now` as epoch milliseconds or as an ISO string, alternating on a bit of the instant itself
  // (only inside the range a Date can show).
  const sentNow = now % 2 === 0 && Math.abs(now) <= DATE_LIMIT_MS ? new Date(now).toISOString() : now;
  return JSON.parse(JSON.stringify({ now: sentNow, targets: [{ ...input, ruleSet: raw }] }));
}

/** Metric names a generated rule set reads: trigger metrics, `metrics.NAME` paths, its `metrics` list. */
function namedMetrics(raw: RuleSetInput): Set<string> {
  const names = new Set<string>(raw.metrics ?? []);
  const profileRules = (raw.profiles ?? []).flatMap((p) => (p.rules as RuleSetInput['rules'] | undefined) ?? []);
  for (const rule of [...raw.rules, ...profileRules]) {
    if ('metric' in rule.when) names.add(rule.when.metric.metric);
    else for (const m of rule.when.expr.matchAll(/metrics\.(m\d)/g)) names.add(m[1]!);
    if (rule.action.type === 'Expression') for (const m of rule.action.expr.matchAll(/metrics\.(m\d)/g)) names.add(m[1]!);
  }
  for (const r of raw.targetTracking ?? []) names.add(r.metric);
  for (const r of raw.stepScaling ?? []) names.add(r.policy.metric);
  if (raw.kpa) names.add(raw.kpa.metric);
  if (raw.predictive) names.add(raw.predictive.metric);
  return names;
}

// ---------------------------------------------------------------------------------------------------
// Property definitions

interface PropertyParams {
  numRuns: number;
  seed?: number;
  path?: string;
  endOnFailure?: boolean;
}

export interface PropertyDef {
  /** Behaviour asserted, used as the test name. */
  name: string;
  /** The passage the behaviour follows. */
  source: string;
  /** Runs in the vitest file unless overridden; the fuzz runner splits its total by these weights. */
  defaultRuns: number;
  /** fc.assert: throws a report with the shrunk counterexample on failure. */
  assert(params: PropertyParams): Promise<void>;
  /** fc.check: returns the run details instead of throwing. */
  check(params: PropertyParams): Promise<fc.RunDetails<unknown>>;
}

function define<Ts extends [unknown, ...unknown[]]>(name: string, source: string, defaultRuns: number, build: () => fc.IAsyncProperty<Ts>): PropertyDef {
  return {
    name,
    source,
    defaultRuns,
    assert: (params) => fc.assert(build(), params),
    check: async (params) => (await fc.check(build(), params)) as fc.RunDetails<unknown>,
  };
}

/** The scenario with every target-tracking rule marked disableScaleIn, and nothing else that removes capacity. */
function onlyDisableScaleIn(s: Scenario): Scenario {
  const { stepScaling: _steps, kpa: _kpa, missingData, ...rest } = s.ruleSet;
  const ruleSet: RuleSetInput = { ...rest, targetTracking: (s.ruleSet.targetTracking ?? []).map((r) => ({ ...r, disableScaleIn: true })) };
  if (missingData && missingData.policy !== 'fallback') ruleSet.missingData = missingData;
  return { ...s, ruleSet };
}

const laterArb = fc.record({
  delayMs: fc.oneof(fc.constantFrom(30_000, 60_000, 300_000, 600_000), fc.integer({ min: 1, max: 20 * 60_000 })),
  fresh: fc.option(metricsDraftArb, { nil: undefined }),
});

export const PROPERTIES: readonly PropertyDef[] = [
  // 1. Errors are values (COMMON.md): a schema-valid request always gets a decision, and any other
  //    request an error value. Realistic scenarios, and one in ten with an instant at the edge of the
  //    Date range (edgeScenarioArb).
  define('every schema-valid request gets a decision, directly and through evaluateBatch, without throwing', 'COMMON.md: errors are values', 600, () =>
    fc.asyncProperty(fc.oneof({ arbitrary: scenarioArb, weight: 9 }, { arbitrary: edgeScenarioArb, weight: 1 }, { arbitrary: policyScenarioArb, weight: 3 }), async (s) => {
      const { ruleSet, input } = await materialize(s);
      const body = batchBody(s.ruleSet, input, s.now) as { targets: unknown[] };
      const valid = EvaluateEnvelope.safeParse(body).success && Target.safeParse(body.targets[0]).success;
      const outcome = await evaluateBatch(body, () => undefined, 0).catch((error: unknown) => {
        throw new PropertyViolation(`evaluateBatch rejected (schema-valid: ${valid}): ${String(error)}`);
      });
      if (!valid) {
        check(!outcome.ok || outcome.results[0]?.ok === false, 'a request the schema refuses got a decision', outcome);
        return;
      }
      let d: Decision;
      try {
        d = decide(ruleSet, input, s.now);
      } catch (error) {
        throw new PropertyViolation(`decide threw on a schema-valid request: ${String(error)}`);
      }
      check(typeof d === 'object' && d !== null && ['scaleOut', 'scaleIn', 'none'].includes(d.action), 'decide returned no decision', d);
      check(Number.isInteger(d.to) && d.to >= 0, 'to is not a non-negative integer', d.to);
      check(outcome.ok, 'a schema-valid batch envelope was refused', outcome);
      const [result] = outcome.results;
      // docs/rules.md "Unknown metrics": the only refusal left for a schema-valid target, for exactly the
      // metrics no trigger, no `metrics.NAME` path and no `metrics` entry of the set names.
      const unknown = Object.keys(s.target.metrics).filter((m) => !namedMetrics(s.ruleSet).has(m));
      check(result !== undefined, 'evaluateBatch returned no result');
      if (unknown.length === 0) check(result.ok, 'a schema-valid target was refused', result);
      else check(!result.ok && result.error.code === 'UnknownMetric', `metrics ${unknown.join(', ')} are unknown, but the target was not refused for it`, result);
    }),
  ),

  // 2. docs/rules.md: "Bounds every decision is clamped to." — the bounds of the profile in force
  //    (docs/schedules.md: the first fixedDate profile whose [start, end) holds now, else the default).
  //    The one exception (docs/rules.md, Kubernetes behavior): in the Kubernetes family, 0 with a minimum
  //    above 0 means autoscaling is disabled, and the count stays 0 (ScalingDisabled).
  define('the new capacity stays within [minimum, maximum] and from echoes the current capacity', 'docs/rules.md, capacity bounds; docs/schedules.md', 600, () =>
    fc.asyncProperty(fc.oneof({ arbitrary: scenarioArb, weight: 3 }, { arbitrary: policyScenarioArb, weight: 1 }), async (s) => {
      const { d } = await decideScenario(s);
      const { minimum, maximum } = boundsOf(s);
      check(d.profile.name === activeAt(s.ruleSet, s.now).name, `profile ${d.profile.name} applied, not ${activeAt(s.ruleSet, s.now).name}`, s.ruleSet.profiles);
      const hpaFamily = s.ruleSet.behavior !== undefined || (s.ruleSet.targetTracking?.length ?? 0) > 0;
      const disabled = hpaFamily && s.target.capacity === 0 && minimum > 0 && !s.ruleSet.scaleToZero;
      check(disabled === (d.code === 'ScalingDisabled'), `ScalingDisabled ${disabled ? 'expected' : 'unexpected'}: code ${d.code}`, d.reason);
      if (disabled) check(d.to === 0, `scaling is disabled, yet to is ${d.to}`, d.reason);
      else check(d.to >= minimum && d.to <= maximum, `to ${d.to} is outside [${minimum}, ${maximum}]`, d.reason);
      check(d.from === s.target.capacity, 'from is not the current capacity', d.from);
      check(d.action === (d.to > d.from ? 'scaleOut' : d.to < d.from ? 'scaleIn' : 'none'), 'action disagrees with from → to', d);
    }),
  ),

  // 3. docs/rules.md "Cooldown": no action in a held direction; "Bringing capacity into its bounds is never deferred".
  define('no action while a cooldown holds that direction, except bringing capacity to the nearest bound', 'docs/rules.md, Cooldown', 600, () =>
    fc.asyncProperty(scenarioArb, async (s) => {
      const { d, input } = await decideScenario(s);
      if (d.action === 'none') return;
      const direction = d.action === 'scaleOut' ? 'out' : 'in';
      if (!cooldownHolds(input, direction, s.now)) return;
      const { minimum, maximum } = boundsOf(s);
      check(d.code === 'BroughtIntoBounds', `${d.action} while the ${direction} cooldown holds, code ${d.code}`, { reason: d.reason, state: input.state });
      check(d.to === clamp(d.from, minimum, maximum), `brought into bounds but not to the nearest bound: ${d.from} → ${d.to}`, [minimum, maximum]);
    }),
  ),

  // 4. docs/rules.md "How rules combine" 2–4: scale in only if ALL scale-in rules fire, no scale-out rule
  //    fired, and the largest capacity among them wins (clamped).
  define('a scale-in by rules needs every scale-in rule fired and no scale-out rule fired; the largest capacity wins', 'docs/rules.md, How rules combine 2-4', 600, () =>
    fc.asyncProperty(scenarioArb, async (s) => {
      const { d } = await decideScenario(s);
      if (d.action !== 'scaleIn' || d.code === 'BroughtIntoBounds') return;
      const ins = d.trace.rules.filter((r) => r.direction === 'in');
      check(ins.length > 0 && ins.every((r) => r.status === 'Fired'), 'scaled in although not every scale-in rule fired', d.trace.rules);
      check(!d.trace.rules.some((r) => r.direction === 'out' && r.status === 'Fired'), 'scaled in although a scale-out rule fired', d.trace.rules);
      const { minimum, maximum } = boundsOf(s);
      const wants = Math.max(...ins.map((r) => r.capacity!));
      const floor = clamp(wants, minimum, maximum);
      check(d.to >= floor, `scale-in to ${d.to}, below the largest scale-in capacity ${wants} (clamped: ${floor})`, ins);
      if (d.to !== floor) {
        // Azure flapping prevention (src/engine/flapping.ts, on by default) may stop a scale-in short of
        // the rules' capacity, never beyond it; the trace then records the projection that did.
        const flapping = (d.trace as { flapping?: { to?: number } }).flapping;
        check(flapping?.to === d.to, `scale-in to ${d.to}, not the largest scale-in capacity ${floor}, and no flapping projection explains it`, d.trace);
      }
      check(d.rule === ins.find((r) => r.capacity === wants)!.rule, `deciding rule ${d.rule} is not the first with the largest capacity`, ins);
    }),
  ),

  // 5. docs/rules.md "How rules combine" 1 and "Missing metrics": scale out if ANY out rule fires, or
  //    to the default on missing data, or into bounds.
  define('a scale-out needs a fired scale-out rule, missing data below the default, or capacity below the minimum', 'docs/rules.md, How rules combine 1; Missing metrics', 600, () =>
    fc.asyncProperty(scenarioArb, async (s) => {
      const { d } = await decideScenario(s);
      if (d.action !== 'scaleOut') return;
      const firedOut = d.trace.rules.filter((r) => r.direction === 'out' && r.status === 'Fired');
      check(
        firedOut.length > 0 || d.code === 'MissingDataDefault' || d.code === 'BroughtIntoBounds',
        `scaled out with code ${d.code} but no scale-out rule fired`,
        d.trace.rules,
      );
      const { minimum, maximum } = boundsOf(s);
      if (d.code === 'BroughtIntoBounds') check(d.from < minimum && d.to === minimum, 'brought into bounds upwards, but not to the minimum', d);
      if (d.code === 'MissingDataDefault') check(d.to === boundsOf(s).default, 'missing-data scale-out not to the default', d);
      if (d.code === 'ScaleOut' || d.code === 'ClampedToMax') {
        const wants = Math.max(...firedOut.map((r) => r.capacity!));
        check(d.to === clamp(wants, minimum, maximum), `scale-out to ${d.to}, but the largest scale-out capacity is ${wants}`, firedOut);
        check(d.rule === firedOut.find((r) => r.capacity === wants)!.rule, `deciding rule ${d.rule} is not the first with the largest capacity`, firedOut);
      }
    }),
  ),

  // 6. decide.ts decisionId: "stable across retries": the core is pure, so equal inputs decide equally.
  define('the same input decides the same (decisionId included), also from a structured clone, and is not mutated', 'decision.ts, decisionId', 500, () =>
    fc.asyncProperty(fc.oneof({ arbitrary: scenarioArb, weight: 3 }, { arbitrary: policyScenarioArb, weight: 1 }), async (s) => {
      const { ruleSet, input } = await materialize(s);
      const before = structuredClone(input);
      const a = await decide(ruleSet, input, s.now);
      const b = await decide(ruleSet, input, s.now);
      const diffAgain = firstDifference(a, b);
      check(diffAgain === undefined, `a second decide differs: ${diffAgain}`);
      const diffInput = firstDifference(before, input);
      check(diffInput === undefined, `decide mutated its input: ${diffInput}`);
      const copy = await materialize(structuredClone(s));
      const c = await decide(copy.ruleSet, copy.input, s.now);
      const diffClone = firstDifference(a, c);
      check(diffClone === undefined, `a structured clone of the input decides differently: ${diffClone}`);
    }),
  ),

  // 7. docs/rules.md "Cooldown": "The timers travel in the decision's `state` ... send the state back".
  define('the returned state is a valid DecisionState that a later decide and evaluateBatch accept, equally', 'docs/rules.md, Cooldown: send the state back', 400, () =>
    fc.asyncProperty(fc.oneof({ arbitrary: scenarioArb, weight: 3 }, { arbitrary: policyScenarioArb, weight: 1 }), laterArb, async (s, later) => {
      const { ruleSet, input } = await materialize(s);
      const first = await decide(ruleSet, input, s.now);
      const parsed1 = DecisionState.safeParse(first.state);
      check(parsed1.success, 'state does not parse as DecisionState', first.state);
      const now2 = s.now + later.delayMs;
      const metrics2 = later.fresh ? metricsAt(later.fresh, now2) : input.metrics;
      const input2: TargetInput = { ...input, capacity: first.to, metrics: metrics2, state: first.state };
      const second = await decide(ruleSet, input2, now2);
      const parsed2 = DecisionState.safeParse(second.state);
      check(parsed2.success, 'second state does not parse as DecisionState', second.state);

      // Through the HTTP path: JSON in, zod-parsed. Metrics the set does not read are refused there
      // (UnknownMetric), so only known ones are sent.
      const known = ruleSet.knownMetrics;
      const sent = Object.fromEntries(Object.entries(metrics2).filter(([m]) => !known || known.has(m)));
      const body = batchBody(s.ruleSet, { ...input2, metrics: sent }, now2) as { targets: [TargetInput & { ruleSet: unknown }] };
      const outcome = await evaluateBatch(body, () => undefined, 0);
      check(outcome.ok && outcome.results[0]?.ok === true, 'evaluateBatch refused the state fed back', outcome);
      // The batch adds who asked and where the rule set came from (SECURITY.md); the rest must be decide()'s.
      const { requestedBy: _by, ruleSetOrigin: _origin, ...viaBatch } = (outcome.results[0] as { decision: AttributedDecision }).decision;
      // The same JSON, decided directly, must agree exactly: the batch adds nothing but parsing.
      const { ruleSet: rawSet, ...jsonTarget } = body.targets[0];
      const direct = await decide(compileGenerated(rawSet as RuleSetInput), asTargetInput(jsonTarget), now2);
      const diff = firstDifference(viaBatch, direct);
      check(diff === undefined, `evaluateBatch and decide disagree: ${diff}`);
    }),
  ),

  // 8. decision.ts: decisionId is the "SHA-256 of the canonical inputs", so it moves with them.
  define('the decisionId changes when the capacity or now changes', 'decision.ts, decisionId', 600, () =>
    fc.asyncProperty(
      scenarioArb,
      fc.integer({ min: 1, max: 50 }),
      fc.integer({ min: -3_600_000, max: 3_600_000 }).filter((n) => n !== 0),
      async (s, dc, dt) => {
        const { ruleSet, input } = await materialize(s);
        const base = await decide(ruleSet, input, s.now);
        const otherCapacity = await decide(ruleSet, { ...input, capacity: input.capacity + dc }, s.now);
        const otherNow = await decide(ruleSet, input, s.now + dt);
        check(otherCapacity.decisionId !== base.decisionId, `capacity ${input.capacity} and ${input.capacity + dc} share a decisionId`);
        check(otherNow.decisionId !== base.decisionId, `now and now${dt > 0 ? '+' : ''}${dt} ms share a decisionId`);
      },
    ),
  ),

  // 9. docs/rules.md "Missing metrics": MissingData status from the window alone; never scale in; up to the default.
  define('missing data is found from the window, never leads to a scale-in by rules, and raises capacity to the default', 'docs/rules.md, Missing metrics', 600, () =>
    fc.asyncProperty(scenarioArb, async (s) => {
      const { d, input } = await decideScenario(s);
      const rules = rulesOf(s);
      const defaultWindow = durationMs(s.ruleSet.defaultWindow ?? 'PT10M');
      rules.forEach((rule, i) => {
        const t = d.trace.rules[i]!;
        if ('metric' in rule.when) {
          const windowMs = durationMs(rule.when.metric.timeWindow ?? 'PT10M');
          const present = hasPointInWindow(s, rule.when.metric.metric, windowMs, s.now);
          if (!present) check(t.status === 'MissingData', `rule ${rule.id}: no point of ${rule.when.metric.metric} in the window, status ${t.status}`, t);
          // An Expression action may read other metrics, and only those can make a rule with data MissingData.
          else if (rule.action.type !== 'Expression') check(t.status !== 'MissingData', `rule ${rule.id}: has data but status MissingData`, t);
        } else {
          const windowMs = rule.when.window ? durationMs(rule.when.window) : defaultWindow;
          const refs = [...rule.when.expr.matchAll(/metrics\.(m\d)/g)].map((m) => m[1]!);
          if (refs.some((m) => !hasPointInWindow(s, m, windowMs, s.now))) {
            check(t.status === 'MissingData', `rule ${rule.id}: a metric of its expression has no data, status ${t.status}`, t);
          }
        }
      });

      const anyMissing = d.trace.rules.some((r) => r.status === 'MissingData');
      check(anyMissing === (d.trace.missingData !== undefined), 'trace.missingData disagrees with the rule statuses', d.trace);
      if (!anyMissing) return;
      check(!(d.action === 'scaleIn' && d.code !== 'BroughtIntoBounds'), `scaled in (${d.code}) with missing data`, d.reason);
      check(!d.trace.rules.some((r) => r.direction === 'in' && r.rule === d.rule), 'a scale-in rule decided with missing data', d.rule);
      const { minimum, maximum, default: def } = boundsOf(s);
      if (clamp(d.from, minimum, maximum) < def && !cooldownHolds(input, 'out', s.now)) {
        check(d.to >= def, `missing data below the default ${def}, but to is ${d.to}`, d.reason);
      }
    }),
  ),

  // 10. COMMON.md / docs/rules.md "Decision codes": every decision carries a code and a sentence.
  define('every decision has a documented code, a reason, and a trace entry per rule with a documented status', 'docs/rules.md, Decision codes', 600, () =>
    fc.asyncProperty(fc.oneof({ arbitrary: scenarioArb, weight: 3 }, { arbitrary: policyScenarioArb, weight: 1 }), async (s) => {
      const { d } = await decideScenario(s);
      check((DECISION_CODES as readonly string[]).includes(d.code), `undocumented code ${d.code}`);
      check(typeof d.reason === 'string' && d.reason.trim().length > 0, 'empty reason');
      check(d.trace.rules.length === rulesOf(s).length, 'trace has not one entry per rule', d.trace.rules);
      d.trace.rules.forEach((t, i) => {
        check(t.rule === rulesOf(s)[i]!.id, `trace entry ${i} is rule ${t.rule}, not in file order`);
        check((RULE_STATUSES as readonly string[]).includes(t.status), `undocumented rule status ${t.status}`, t);
        if (t.blocked) check((BLOCK_CODES as readonly string[]).includes(t.blocked.code) && t.blocked.message.length > 0, 'bad blocked entry', t);
        if (t.status === 'Fired') check(Number.isInteger(t.capacity) && t.capacity! >= 0, 'a fired rule without a whole capacity', t);
        if (t.status === 'RuleError') check(t.error !== undefined && t.error.message.length > 0, 'a RuleError without an error', t);
      });
      // The kpa and predictive policies name themselves `kpa` and `predictive` (one each per rule set).
      const policyIds = [
        ...(s.ruleSet.targetTracking ?? []).map((r) => r.id),
        ...(s.ruleSet.stepScaling ?? []).map((r) => r.id),
        ...(s.ruleSet.kpa ? ['kpa'] : []),
        ...(s.ruleSet.predictive ? ['predictive'] : []),
      ];
      check(d.rule === null || rulesOf(s).some((r) => r.id === d.rule) || policyIds.includes(d.rule), `decision names unknown rule ${d.rule}`);
    }),
  ),

  // 11. docs/rules.md "Cooldown": "After a scale action taken by a rule, no further action happens until
  //     that rule's cooldown has passed" (shared: both directions; perDirection: the one that scaled);
  //     "Bringing capacity into its bounds ... starts no timer"; cooldown.ts writeState: expired timers dropped.
  define('the state records the scale and starts the deciding rule\'s cooldown; otherwise it carries live timers over', 'docs/rules.md, Cooldown; cooldown.ts', 500, () =>
    fc.asyncProperty(scenarioArb, async (s) => {
      const { d, input } = await decideScenario(s);
      const live = (t: string | number | undefined) => (t !== undefined && timeMs(t) > s.now ? timeMs(t) : undefined);
      const expected: { out?: number; in?: number } = { out: live(input.state?.cooldownUntil.out), in: live(input.state?.cooldownUntil.in) };
      let lastScale = input.state?.lastScale && { ...input.state.lastScale, at: timeMs(input.state.lastScale.at) };
      if (d.action !== 'none') {
        const direction = d.action === 'scaleOut' ? 'out' : 'in';
        lastScale = { at: s.now, direction, rule: d.rule, from: d.from, to: d.to };
        const rule = rulesOf(s).find((r) => r.id === d.rule);
        const cooldownMs = rule ? durationMs(rule.cooldown ?? s.ruleSet.cooldown ?? 'PT5M') : 0;
        if (cooldownMs > 0) {
          if ((s.ruleSet.cooldownMode ?? 'shared') === 'shared') expected.out = expected.in = s.now + cooldownMs;
          else expected[direction] = s.now + cooldownMs;
        }
      }
      const got = d.state;
      const gotLast = got.lastScale && { ...got.lastScale, at: timeMs(got.lastScale.at) };
      const diffLast = firstDifference(gotLast, lastScale);
      check(diffLast === undefined, `lastScale is not what happened: ${diffLast}`, { got: got.lastScale, expected: lastScale });
      for (const dir of ['out', 'in'] as const) {
        const until = got.cooldownUntil[dir];
        check((until === undefined ? undefined : timeMs(until)) === expected[dir], `cooldownUntil.${dir} is ${until}, expected ${expected[dir]}`, { input: input.state, decision: d.reason });
      }
    }),
  ),

  // 12. horizontal.go convertDesiredReplicasWithRules (no behavior): "scaleUpLimit := calculateScaleUpLimit(currentReplicas)"
  //     = max(scaleUpLimitFactor × current, scaleUpLimitMinimum) = max(2 × current, 4); docs/rules.md applies it to every
  //     decision of a rule set with targetTracking and no behavior (step scaling and missing-data moves included).
  define('without behavior, a target-tracking rule set never scales up past max(2 × current, 4) in one decision', 'horizontal.go convertDesiredReplicasWithRules', 500, () =>
    fc.asyncProperty(policyScenarioArb, async (s) => {
      if (s.ruleSet.behavior !== undefined || !(s.ruleSet.targetTracking?.length)) return;
      const { minimum, maximum } = boundsOf(s);
      const current = s.target.capacity;
      if (current < minimum || current > maximum) return; // reconcileAutoscaler's shortcuts go straight to the bound.
      const { d } = await decideScenario(s);
      const limit = Math.max(2 * current, 4);
      check(d.to <= Math.max(limit, current), `scaled up ${current} → ${d.to}, past max(2 × ${current}, 4) = ${limit}`, d.reason);
    }),
  ),

  // 13. AWS "Target tracking scaling policies": with DisableScaleIn "the target tracking scaling policy won't remove
  //     capacity"; Kubernetes stabilization never goes below the lowest of current and the recommendations. With
  //     every target-tracking rule so marked and nothing else that removes capacity, only the bounds scale in.
  define('with disableScaleIn on every target-tracking rule (and no step scaling or fallback), only the bounds scale in', 'AWS DisableScaleIn; horizontal.go stabilizeRecommendationWithBehaviors', 500, () =>
    fc.asyncProperty(policyScenarioArb.filter((s) => (s.ruleSet.targetTracking?.length ?? 0) > 0).map(onlyDisableScaleIn), async (s) => {
      const { d } = await decideScenario(s);
      const { maximum } = boundsOf(s);
      if (d.action === 'scaleIn') check(d.from > maximum && d.to === maximum && d.code === 'BroughtIntoBounds', `scaled in ${d.from} → ${d.to} (${d.code})`, d.reason);
    }),
  ),

  // 14. AWS and Azure predictive scaling only scale out (docs/predictive.md): a rule set whose only policy is
  //     the predictive one (missing data aside) never scales in but to the bounds, and in ForecastOnly never moves.
  define('the predictive policy alone never scales in, and in ForecastOnly never changes capacity, but to the bounds', 'docs/predictive.md, From forecast to capacity 4 and 6', 500, () =>
    fc.asyncProperty(
      policyScenarioArb
        .filter((s) => s.ruleSet.predictive !== undefined)
        .map((s) => {
          const { targetTracking: _t, stepScaling: _s, kpa: _k, behavior: _b, missingData: _m, ...rest } = s.ruleSet;
          return { ...s, ruleSet: rest };
        }),
      async (s) => {
        const { d } = await decideScenario(s);
        const { minimum, maximum } = boundsOf(s);
        const intoBounds = d.to === Math.min(maximum, Math.max(minimum, d.from)) && d.code === 'BroughtIntoBounds';
        if (d.action === 'scaleIn') check(intoBounds, `the predictive policy scaled in ${d.from} → ${d.to} (${d.code})`, d.reason);
        if (s.ruleSet.predictive!.mode === 'ForecastOnly' && d.action !== 'none') check(intoBounds, `ForecastOnly changed ${d.from} → ${d.to} (${d.code})`, d.reason);
      },
    ),
  ),
];

/** The parsed JSON target as decide() input (zod has already vetted it in the batch; here it is plain JSON). */
function asTargetInput(t: Omit<TargetInput, 'state'> & { state?: unknown }): TargetInput {
  const out: TargetInput = { ...t } as TargetInput;
  if (t.state !== undefined) out.state = DecisionState.parse(t.state);
  return out;
}
