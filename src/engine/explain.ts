// Human sentences for decisions and rules; machine codes live beside them in the decision itself.
import { OPERATOR_SYMBOL } from './conditions.js';
import type { FlappingCheck, RuleTrace } from '../schemas/decision.js';
import type { DecisionCode } from '../schemas/codes.js';
import { shortUtc } from '../syntax/duration.js';
import type { Block, Note } from './pipeline/recommendation.js';
import type { MissingDataOutcome, MissingDataPolicy } from './policies/missing-data.js';
import type { HpaPodGrouping, HpaPodMetricResult, HpaPodRebalanceOutcome } from './hpa/pods.js';
import type { KpaResult, KpaSpec } from './kpa.js';

/**
 * Below this magnitude of n × 100, the product's rounding error (at most half an ulp, < 1.2e-7 here)
 * stays far inside FMT_HALF_MARGIN, so the fast path in fmt() rounds exactly as toFixed(2) does.
 */
const FMT_FAST_LIMIT = 1e9;
/** How far from a half n × 100 must be for Math.round to pick toFixed(2)'s integer whatever that rounding error. */
const FMT_HALF_MARGIN = 1e-6;

/**
 * A number as people read it in a reason: at most two decimals, no trailing zeros — exactly
 * String(Number(n.toFixed(2))). toFixed rounds the exact value of n, half away from zero; away from a
 * half, Math.round(n × 100) finds the same integer k, and k / 100 is the double nearest to k/100, the
 * one Number() reads from toFixed's digits, printed from k's digits by hundredths(). toFixed and the
 * double-to-string conversion (~0.1 µs each) are left for the rest: a reason has several numbers and a
 * batch has thousands of reasons.
 */
export function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const y = n * 100;
  const k = Math.round(y);
  if (y < FMT_FAST_LIMIT && y > -FMT_FAST_LIMIT && 0.5 - Math.abs(y - k) > FMT_HALF_MARGIN) return hundredths(k);
  return String(Number(n.toFixed(2)));
}

/**
 * String(k / 100) for an integer |k| < FMT_FAST_LIMIT, from integers: "q.rr" without trailing zeros.
 * With at most nine significant digits no shorter decimal reads back as the same double, so this is
 * the shortest round-trip form String() prints; small integers print from V8's number-string cache.
 */
function hundredths(k: number): string {
  const a = k < 0 ? -k : k;
  const q = Math.trunc(a / 100);
  const r = a - q * 100;
  const digits = r === 0 ? String(q) : r % 10 === 0 ? `${q}.${r / 10}` : r < 10 ? `${q}.0${r}` : `${q}.${r}`;
  return k < 0 ? `-${digits}` : digits;
}

/** "cpu Average over PT10M = 82.4 > 70" or "expression `metrics.q.last > 100` is true". */
function describeCondition(t: RuleTrace): string {
  const c = t.condition;
  if (c.kind === 'metric') {
    if (c.value === undefined) return `${c.metric} has no data in the last ${c.timeWindow}`;
    const per = c.dividedBy !== undefined ? ` per instance (÷${c.dividedBy})` : '';
    const holds = t.status === 'Fired';
    const op = holds ? OPERATOR_SYMBOL[c.operator] : `not ${OPERATOR_SYMBOL[c.operator]}`;
    return `${c.metric} ${c.timeAggregation.toLowerCase()} over ${c.timeWindow}${per} = ${fmt(c.value)}, ${op} ${fmt(c.threshold)}`;
  }
  if (t.status === 'MissingData') return `${(t.missing ?? []).join(', ')} has no data in the last ${c.window}`;
  if (t.status === 'RuleError') return `its expression failed: ${t.error?.message ?? 'unknown error'}`;
  return `\`${c.expr}\` is ${String(c.value)}`;
}

/** A sentence used as a clause inside a reason: no capital, no full stop. */
function asClause(sentence: string): string {
  return sentence.charAt(0).toLowerCase() + sentence.slice(1).replace(/\.$/, '');
}

function ruleList(ids: readonly string[]): string {
  if (ids.length <= 1) return ids.join('');
  return `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------------
// The explain stage: every sentence of a decision's reason, its rules' blocks and its missing-data
// trace is written here, from the structured notes the policies and governors return.

const MISSING_HOLD: Record<MissingDataPolicy, (m: string, count: number, after: number) => string> = {
  azure: (m) => `${m} has no data, so scale-in is suspended (Azure's missing-data behaviour)`,
  hold: (m) => `${m} has no data, so capacity is held (missingData policy "hold")`,
  fallback: (m, count, after) => `${m} has no data (${count} of ${after} evaluations before the fallback), so capacity is held`,
};

const ACTIVATION: Record<Extract<Note, { kind: 'activation' }>['code'], (n: Extract<Note, { kind: 'activation' }>, shown: string) => string> = {
  ActivationNotReached: (n, shown) => `${n.metric} ${shown} is not above the activation threshold ${fmt(n.threshold)}, so capacity stays at ${n.at}`,
  Activated: (n, shown) =>
    n.fallback
      ? `${n.metric} is in the missing-data fallback, which counts as active (KEDA), so capacity goes to ${n.at}`
      : `${n.metric} ${shown} is above the activation threshold ${fmt(n.threshold)}, so capacity leaves ${n.at === 0 ? 0 : 'idle'}`,
  Deactivated: (n, shown) =>
    `no activating metric is above its threshold (${n.metric} ${shown}, threshold ${fmt(n.threshold)}) and the cooldown since the last active decision has passed, so capacity goes to ${n.at}`,
  DeactivationBlocked: (n, shown) =>
    `capacity may go to 0 only while ${n.metric} is at or below ${fmt(n.threshold)} (${n.value === undefined ? `${n.metric} has no data` : `it is ${shown}`})`,
};

function cooldownMessage(n: Extract<Note, { kind: 'cooldown' }>): string {
  return `${n.setter ? `cooldown of rule ${n.setter}` : 'cooldown'} until ${shortUtc(n.until)}`;
}

/** "projected cpu 75 ≥ 70 of rule cpu-high" */
function projection(c: FlappingCheck): string {
  return `projected ${c.metric} ${fmt(c.projected)} ${OPERATOR_SYMBOL[c.operator as keyof typeof OPERATOR_SYMBOL]} ${fmt(c.threshold)} of rule ${c.rule}`;
}

/** One note as a clause of the reason. */
function clause(n: Note): string {
  switch (n.kind) {
    case 'noRules':
      return 'the rule set has no rules';
    case 'noPolicyAsks':
      return 'no policy asks for a change';
    case 'ruleFired': {
      const every = n.everyIn ? `every scale-in rule fired (${ruleList(n.everyIn)}); ` : '';
      return `${every}rule ${n.trace.rule} fired (${describeCondition(n.trace)})`;
    }
    case 'ruleAsksNoChange':
      return `rule ${n.rule} fired but asks for ${n.capacity}, not ${n.direction === 'out' ? 'above' : 'below'} ${n.bounded}`;
    case 'scaleInNotUnanimous': {
      const details = n.notFired.map((t) => `${t.rule}: ${describeCondition(t)}`).join('; ');
      return `scale-in needs every scale-in rule, but ${ruleList(n.notFired.map((t) => t.rule))} did not fire (${details})`;
    }
    case 'noRuleFired':
      return `no rule fired${n.failed.length > 0 ? `; ${ruleList(n.failed)} failed to evaluate` : ''}`;
    case 'missingFallback': {
      // currentIfHigher / currentIfLower: the fallback is the current capacity or fallbackCapacity, whichever is higher / lower.
      const which = n.behavior === undefined ? '' : `, the ${n.behavior === 'currentIfHigher' ? 'higher' : 'lower'} of the current capacity and ${n.fallback}`;
      const kind = n.behavior === undefined ? 'KEDA fallback' : `KEDA fallback, ${n.behavior === 'currentIfHigher' ? 'currentReplicasIfHigher' : 'currentReplicasIfLower'}`;
      return `${ruleList(n.metrics)} has had no data for ${n.count} evaluations, so capacity ${n.inEffect ? 'stays at' : 'goes to'} the fallback ${n.to}${which} (${kind})`;
    }
    case 'missingDefault':
      return `${ruleList(n.metrics)} has no data, so capacity goes to the default ${n.to} (Azure's missing-data behaviour)`;
    case 'missingHold':
      if (n.unscoped) return `${ruleList(n.metrics)} has no data, so capacity is held (not a metric of missingData.fallbackMetrics, so no fallback)`;
      return MISSING_HOLD[n.policy](ruleList(n.metrics), n.count, n.fallbackAfter);
    case 'familyDecides':
      return `${n.label}: ${n.message}`;
    case 'familyRemark':
      return `${n.label}: ${n.message}`;
    case 'floorLimits':
      return `${n.by} ${n.by.startsWith('the rules') ? 'ask' : 'asks'} for ${n.asks}, but ${n.label} keeps ${n.capacity}: ${n.message}`;
    case 'floorHolds':
      return `${n.label}: ${n.message}; it never scales in by itself, so capacity stays above its ${n.capacity}`;
    case 'largestWins':
      return `${n.label} asks for ${n.capacity}, but ${n.keeper === 'rules' ? 'the rules keep' : 'the missing-data policy keeps'} ${n.keeps} (the largest proposal wins)`;
    case 'behaviorShortcut':
      return `${asClause(n.message)} (Kubernetes reconcileAutoscaler)`;
    case 'behavior':
      return `behavior ${n.reason} (${n.from} → ${n.to}): ${asClause(n.message)}`;
    case 'cooldown':
      return `${n.direction === 'out' ? 'scale-out' : 'scale-in'} deferred: ${cooldownMessage(n)}${n.rule ? ` (rule ${n.rule} fired)` : ''}`;
    case 'clamp':
      return `asked for ${n.wanted}, clamped to the ${n.bound} ${n.to}`;
    case 'flappingDeferred':
      return `scale-in ${n.from}→${n.to} deferred: ${projection(n.check)} (flapping prevention)`;
    case 'flappingReduced':
      return `reduced from ${n.from} to ${n.to}: at ${n.check.capacity} the ${projection(n.check)} (flapping prevention)`;
    case 'activation':
      return ACTIVATION[n.code](n, n.value === undefined ? 'no data' : fmt(n.value));
    case 'placement':
      return n.reason;
    case 'bounds':
      return `capacity brought into bounds [${n.minimum}, ${n.maximum}]`;
  }
}

/**
 * The decision's reason: the notes in order, joined by "; " (a bounds note leads, with "; " or
 * ", then "), framed by what happened: "scale-out 2→4: …", or "no change at 3: …" unless the
 * reason already says the scale was deferred.
 */
export function explainReason(notes: readonly Note[], from: number, to: number, code: DecisionCode): string {
  let text = '';
  let bounds: Extract<Note, { kind: 'bounds' }> | undefined;
  for (const n of notes) {
    if (n.kind === 'bounds') bounds = n;
    else text = text === '' ? clause(n) : `${text}; ${clause(n)}`;
  }
  if (bounds) text = `${clause(bounds)}${bounds.then ? ', then' : ';'} ${text}`;
  if (from !== to) return `${to > from ? 'scale-out' : 'scale-in'} ${from}→${to}: ${text}`;
  if (code !== 'CooldownActive' && code !== 'FlappingPrevented') return `no change at ${from}: ${text}`;
  return text;
}

/** A block's message: why a rule that fired did not get its way. */
export function blockMessage(b: Block): string {
  switch (b.code) {
    case 'NotLargest':
      return b.direction === 'out' ? `rule ${b.by} asks for more (${b.capacity})` : `rule ${b.by} keeps more capacity (${b.capacity})`;
    case 'NoIncrease':
      return `asks for ${b.capacity}, not above the current ${b.bounded}`;
    case 'NoDecrease':
      return `asks for ${b.capacity}, not below the current ${b.bounded}`;
    case 'OutranFirst':
      return 'a scale-out rule fired, and scale-out is considered before scale-in';
    case 'MissingData':
      return `scale-in is suspended while ${ruleList(b.metrics)} has no data`;
    case 'NotUnanimous':
      return `scale-in needs every scale-in rule; ${ruleList(b.notFired)} did not fire`;
    default: {
      const n = b.note;
      if (n.kind === 'cooldown') return cooldownMessage(n);
      if (n.kind === 'flappingDeferred' || n.kind === 'flappingReduced') return projection(n.check);
      return clause(n);
    }
  }
}

/** The fallback capacity as the behaviour sentence names it. */
function fallbackWording(policy: MissingDataOutcome['policy']): string {
  if (policy.fallbackBehavior === 'currentIfHigher') return `the higher of the current capacity and ${policy.fallbackCapacity}`;
  if (policy.fallbackBehavior === 'currentIfLower') return `the lower of the current capacity and ${policy.fallbackCapacity}`;
  return `${policy.fallbackCapacity}`;
}

/** `trace.missingData.behaviour`: what the missing-data policy does while these metrics have no data. */
export function missingBehaviour(md: MissingDataOutcome, defaultCapacity: number): string {
  const { policy } = md;
  const behaviour = {
    azure: `scale-in is suspended and capacity is raised to the default ${defaultCapacity} if below it (Azure)`,
    hold: 'capacity is held (missingData policy "hold")',
    fallback:
      md.scoped.length === 0
        ? "capacity is held; the fallback is only for missingData.fallbackMetrics (KEDA: its scalers' metrics)"
        : `capacity is held, then set to ${fallbackWording(policy)} after ${policy.fallbackAfter} evaluations without data${md.scoped.length < md.metrics.length ? ` for ${ruleList(md.scoped)}` : ''} (KEDA fallback; this is evaluation ${md.count})`,
  }[policy.policy];
  return `no data for ${ruleList(md.metrics)}${md.stale.length ? ` (stale: ${ruleList(md.stale)})` : ''}: ${behaviour}`;
}

// ---------------------------------------------------------------------------------------------------
// Kubernetes HPA with a pod list (src/engine/hpa/pods.ts): the sentence of one metric's proposal

const podList = (names: readonly string[]): string => (names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`);

/** "3 ready, 1 unready (web-0), 1 missing (web-3), 1 ignored (web-9)". */
function describePodGrouping(g: HpaPodGrouping): string {
  const parts = [`${g.ready} ready`];
  if (g.unready.length > 0) parts.push(`${g.unready.length} unready (${podList(g.unready)})`);
  if (g.missing.length > 0) parts.push(`${g.missing.length} missing (${podList(g.missing)})`);
  if (g.ignored.length > 0) parts.push(`${g.ignored.length} ignored (${podList(g.ignored)})`);
  return parts.join(', ');
}

const REBALANCE_KEPT: Record<Exclude<HpaPodRebalanceOutcome, 'Scaled'>, string> = {
  WithinTolerance: 'inside the tolerance band',
  DirectionReversed: 'the other side of 1, which reverses the direction',
  CountReversed: 'but ceil(ratio × pods) would reverse the direction',
};

/** One metric's proposal over the target's pods: the grouping, the ratio, the rebalancing, the count. */
export function describeHpaPodMetric(name: string, r: Extract<HpaPodMetricResult, { ok: true }>, what: string, current: number): string {
  const head = `${name}: ${what} over pods (${describePodGrouping(r.grouping)}) is ratio ${fmt(r.ratio)}`;
  if (!r.rebalance) {
    return r.withinTolerance
      ? `${head}, inside the tolerance band, so it proposes the current ${current}.`
      : `${head}, outside the tolerance band, so it proposes ceil(${fmt(r.ratio)} × ${r.grouping.ready} ready pods) = ${r.replicas}.`;
  }
  const re = r.rebalance;
  const filled = `with missing and unready pods filled in it is ${fmt(re.ratio)} over ${re.pods} pods`;
  if (re.outcome === 'Scaled') return `${head}; ${filled}, so it proposes ceil(${fmt(re.ratio)} × ${re.pods}) = ${r.replicas}.`;
  return `${head}; ${filled}, ${REBALANCE_KEPT[re.outcome]}, so it proposes the current ${current}.`;
}

/** Why a metric over the target's pods proposes nothing (replica_calculator.go's error). */
export function describeHpaPodFailure(name: string, detail: string, g: HpaPodGrouping | undefined): string {
  return `${name}: ${detail}${g ? ` (pods: ${describePodGrouping(g)})` : ''}, so this metric is invalid for this decision.`;
}

// ---------------------------------------------------------------------------------------------
// The kpa policy (policies/kpa.ts): one sentence for its trace and its proposal, from its numbers.

/** What the Knative-style autoscaler computed, in the order autoscaler.go computes it. */
export function kpaSentence(r: KpaResult, spec: KpaSpec, metric: string, stable: number | undefined, panic: number): string {
  const p = spec.policy;
  if (r.desired === undefined || stable === undefined) return `${metric} has no data in the stable window (${p.stableWindow}), so the KPA does not scale`;
  const words = kpaWords(spec);
  let sentence = `${metric} ${fmt(stable)}${words.over}${fmt(panic)}${words.overPanic}${r.desiredStablePods} pods stable, ${r.desiredPanicPods} panic (rate limits ${r.maxScaleDown}..${r.maxScaleUp})`;
  if (r.mode === 'panic') sentence += `${words.panicMode}${r.memory.maxPanicPods}`;
  if (r.delayedFrom !== undefined) sentence += `; the scale-down delay (${p.scaleDownDelay}) keeps ${r.decider} instead of ${r.delayedFrom}`;
  if (r.code === 'KpaInitialScale') sentence += `; the initial scale ${p.initialScale} has not been reached yet`;
  if (r.code === 'KpaScaleToZeroDisabled') sentence += '; scale to zero is disabled, so 1 pod stays';
  if (r.zeroUntil !== undefined)
    sentence += `; zero is wanted, but the last pod stays until ${shortUtc(r.zeroUntil)} (grace period ${p.scaleToZeroGracePeriod}, retention ${p.scaleToZeroPodRetentionPeriod})`;
  return sentence;
}

/** The parts of a kpa sentence that only its settings decide, worded once per compiled policy. */
const KPA_WORDS = new WeakMap<KpaSpec, { over: string; overPanic: string; panicMode: string }>();

function kpaWords(spec: KpaSpec): { over: string; overPanic: string; panicMode: string } {
  let words = KPA_WORDS.get(spec);
  if (words === undefined) {
    const p = spec.policy;
    words = {
      over: ` over ${p.stableWindow} and `,
      overPanic: ` over the last ${fmt(spec.panicWindowMs / 1000)} s at ${fmt(spec.targetValue)} per pod: `,
      panicMode: `; panic mode (panic pods at ${fmt(spec.panicThreshold)}× the ready pods within the last ${p.stableWindow}) keeps the panic maximum `,
    };
    KPA_WORDS.set(spec, words);
  }
  return words;
}

// ---------------------------------------------------------------------------------------------
// The predictive policy (policies/predictive.ts): one sentence for its trace and its proposal.

/** What the predictive policy found: the forecast's capacity and error, or why it did not forecast. */
export function predictiveSentence(
  r:
    | { code: 'PredictiveNoData' | 'PredictiveTooLittleHistory'; metric: string; slots: number; minimumSlots: number; step: string }
    | { code: 'PredictiveScale' | 'PredictiveForecastOnly'; metric: string; method: string; load: number; required: number; by: number; mape: number | null; targetValue: number },
): string {
  if (!('load' in r)) {
    if (r.slots === 0) return `${r.metric} has no history, so the predictive policy does not forecast`;
    return `${r.metric} has ${r.slots} slots of ${r.step} history, fewer than the ${r.minimumSlots} it needs, so the predictive policy does not forecast`;
  }
  const error = r.mape === null ? 'its error over the history is unknown' : `its error over the history is ${fmt(r.mape)}% MAPE`;
  const only = r.code === 'PredictiveForecastOnly' ? '; ForecastOnly, so capacity is not changed' : '';
  return `the ${r.method} forecast of ${r.metric} reaches ${fmt(r.load)} by ${shortUtc(r.by)}, which needs ${r.required} at ${fmt(r.targetValue)} each (${error})${only}`;
}
