// One target, one decision: context → policies → combine → governors → explain, each stage in its own folder.
import { afterScale, writeState, type CooldownState } from './cooldown.js';
import type { Decision, Trace } from '../schemas/decision.js';
import { isoUtc } from '../syntax/duration.js';
import { blockMessage, explainReason, missingBehaviour } from './explain.js';
import { recordHpaScaleEvent } from './hpa/history.js';
import type { BudgetPool } from './jsonata/runtime.js';
import type { CompiledRuleSet } from './ruleset.js';
import { describeSelection, selectProfile, type ProfileSelection } from './active-profile.js';
import { buildContext, type DecisionContext, type TargetInput } from './pipeline/context.js';
import { decisionId } from './pipeline/decision-id.js';
import { combine } from './pipeline/combine.js';
import type { Block, Recommendation } from './pipeline/recommendation.js';
import { azureTier, evaluateRules } from './policies/rules.js';
import { missingDataOutcome } from './policies/missing-data.js';
import type { Governed, GovernorTrace } from './governors/governor.js';

export type { TargetInput } from './pipeline/context.js';

export { ENGINE_VERSION } from './pipeline/decision-id.js';

export interface DecideOptions {
  /** The active profile, when the caller already chose it for a batch sharing one `now`. */
  selection?: ProfileSelection;
  /** The request's expression budget; the target gets its own pool inside it (expr-budgets.ts). */
  requestBudget?: BudgetPool;
}

export function decide(ruleSet: CompiledRuleSet, target: TargetInput, now: number, options: DecideOptions = {}): Decision {
  const selection = options.selection ?? selectProfile(ruleSet, now);
  let ctx = buildContext(ruleSet, selection, target, now, options.requestBudget);
  const { families } = ruleSet;

  // Policies: the Azure rules, the families beside them, then missing data over everything they lacked.
  const rules = evaluateRules(ctx);
  const outcomes = families.policies.map((p) => p.recommend(ctx));
  // A family may raise the maximum for this decision (AWS IncreaseMaxCapacity); the governors then clamp to it.
  const raised = outcomes.reduce((a, o) => Math.max(a, o.maximum ?? 0), 0);
  if (raised > ctx.bounds.maximum) ctx = { ...ctx, bounds: { ...ctx.bounds, maximum: raised } };
  const missing = [...new Set([...rules.missing, ...outcomes.flatMap((o) => o.missing)])];
  const md = missingDataOutcome(ctx, missing);

  // Combine: the Azure tier (rules and missing data), then the largest proposal of all.
  const azure = azureTier(ctx, rules, md, outcomes.length > 0);
  const combined = combine(ctx, azure.recommendation, outcomes, missing);

  // Governors, in order; each sees the recommendation the previous one let through.
  let recommendation = combined.recommendation;
  const blocks: Block[] = [...azure.blocks];
  const governorTrace: GovernorTrace = {};
  let placement: Decision['placement'];
  let hpa: Governed['hpa'];
  const governorState: Array<NonNullable<Governed['state']>> = [];
  const input = { ctx, rules, missingData: md, ...(combined.declined !== undefined && { declined: combined.declined }) };
  for (const governor of families.governors) {
    const g = governor.govern(recommendation, input);
    recommendation = g.recommendation;
    if (g.blocks) blocks.push(...g.blocks);
    if (g.trace) mergeTrace(governorTrace, g.trace);
    if (g.placement) placement = g.placement;
    if (g.hpa) hpa = g.hpa;
    if (g.state) governorState.push(g.state);
  }

  // Explain and finish: blocks on the rules, the trace, the reason, the state to send back.
  for (const b of blocks) {
    const t = rules.traces.find((r) => r.rule === b.rule);
    if (t) t.blocked = { code: b.code, message: blockMessage(b) };
  }
  const { current, bounded, bounds } = ctx;
  const { to, code, rule } = recommendation;
  const state = nextState(ctx, recommendation, hpa, md.count);
  // Each family's own memory (the kpa's panic state), whatever the governors did with its proposal.
  for (const o of outcomes) if (o.state) Object.assign(state, o.state);
  // …and each governor's (activation's lastActive).
  for (const s of governorState) Object.assign(state, s);
  const cooldown: Trace['cooldown'] = { mode: ruleSet.spec.cooldownMode };
  if (governorTrace.cooldown) Object.assign(cooldown, governorTrace.cooldown);
  cooldown.out ??= state.cooldownUntil.out;
  cooldown.in ??= state.cooldownUntil.in;
  if (cooldown.out === undefined) delete cooldown.out;
  if (cooldown.in === undefined) delete cooldown.in;
  // Assembled field by field (Object.assign for the parts other stages wrote), not by spreads: this
  // runs once per target, and spreads of objects of varying shapes were a sixth of a fleet batch.
  const trace: Trace = {
    capacity: { current, bounded, minimum: bounds.minimum, maximum: bounds.maximum, default: bounds.default },
    profile: { code: selection.code, message: selection.message, profiles: selection.trace },
    rules: rules.traces as Trace['rules'],
    scaleOut: Object.assign({ fired: rules.firedOut.map((t) => t.rule) }, azure.scaleOut),
    scaleIn: Object.assign(
      {
        fired: rules.firedIn.map((t) => t.rule),
        required: rules.ins.map((t) => t.rule),
        unanimous: rules.ins.length > 0 && rules.firedIn.length === rules.ins.length,
      },
      azure.scaleIn,
    ),
    cooldown,
  };
  if (md.metrics.length > 0) {
    const missingData: NonNullable<Trace['missingData']> = { metrics: [...md.metrics], behaviour: missingBehaviour(md, bounds.default) };
    if (md.stale.length > 0) missingData.stale = [...md.stale];
    trace.missingData = missingData;
  }
  if (combined.policies) trace.policies = combined.policies;
  // The governors' parts after the policies', their cooldown part merged into `cooldown` above.
  const governed = trace as Record<string, unknown>;
  for (const key of Object.keys(governorTrace) as Array<keyof GovernorTrace>) if (key !== 'cooldown') governed[key] = governorTrace[key];
  const decision: Decision = {
    target: target.id,
    ruleSet: ruleSet.spec.id,
    profile: describeSelection(selection),
    actuator: ruleSet.spec.actuator ?? 'default',
    decisionId: decisionId(ruleSet, target, ctx.normalized, now),
    now: isoUtc(now),
    action: to > current ? 'scaleOut' : to < current ? 'scaleIn' : 'none',
    from: current,
    to,
    code,
    reason: explainReason(recommendation.notes, current, to, code),
    rule,
    trace,
    state,
  };
  if (placement) decision.placement = placement;
  return decision;
}

/** Later governors' trace parts after earlier ones'; the cooldown part is merged, not replaced. */
function mergeTrace(into: GovernorTrace, part: GovernorTrace): void {
  const { cooldown, ...rest } = part;
  Object.assign(into, rest);
  if (cooldown) into.cooldown = { ...into.cooldown, ...cooldown };
}

/** The state sent back: the cooldown timers after this decision, the HPA's history, the missing-data count. */
function nextState(ctx: DecisionContext, final: Recommendation, hpa: Governed['hpa'], missingCount: number): Decision['state'] {
  const { current, now } = ctx;
  const { to, rule, cooldownMs } = final;
  let next: CooldownState = ctx.cooldown;
  let history = hpa?.history;
  if (to !== current) {
    const direction = to > current ? 'out' : 'in';
    next = afterScale(ctx.cooldown, now, { direction, rule, from: current, to, cooldownMs }, ctx.ruleSet.spec.cooldownMode);
    if (hpa) {
      const recorded = recordHpaScaleEvent({ history: hpa.history, behavior: hpa.behavior, previousReplicas: current, newReplicas: to, now });
      if (recorded.ok) history = recorded.history;
    }
  }
  const state = writeState(next, now);
  if (history) state.hpa = history;
  if (missingCount > 0) state.missingCount = missingCount;
  return state;
}
