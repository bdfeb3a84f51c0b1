// The Azure-style rules as a policy: evaluate every rule of the active profile, then what Azure's combination asks for.
import { ContextCache, evaluateRule } from '../conditions.js';
import type { RuleTrace } from '../../schemas/decision.js';
import type { DecisionContext } from '../pipeline/context.js';
import { holdAt, scaleTo, type Block, type Recommendation } from '../pipeline/recommendation.js';
import type { MissingDataOutcome } from './missing-data.js';

export interface RulesOutcome {
  /** One trace per rule, in file order. */
  readonly traces: readonly RuleTrace[];
  readonly outs: readonly RuleTrace[];
  readonly ins: readonly RuleTrace[];
  readonly firedOut: readonly RuleTrace[];
  readonly firedIn: readonly RuleTrace[];
  readonly missing: readonly string[];
}

export function evaluateRules(ctx: DecisionContext): RulesOutcome {
  const contexts = new ContextCache(ctx.ruleInputs);
  const traces: RuleTrace[] = [];
  // Sequential on purpose: the order of evaluation (and so of any error) is the order of the file.
  for (const rule of ctx.profile.rules) traces.push(evaluateRule(rule, ctx.ruleInputs, contexts));
  const outs = traces.filter((t) => t.direction === 'out');
  const ins = traces.filter((t) => t.direction === 'in');
  return {
    traces,
    outs,
    ins,
    firedOut: outs.filter((t) => t.status === 'Fired'),
    firedIn: ins.filter((t) => t.status === 'Fired'),
    missing: traces.flatMap((t) => t.missing ?? []),
  };
}

/** Largest capacity among fired rules; ties go to the rule written first. */
function largest(traces: readonly RuleTrace[]): RuleTrace | undefined {
  return traces.reduce<RuleTrace | undefined>((best, t) => (best === undefined || t.capacity! > best.capacity! ? t : best), undefined);
}

/** What the Azure tier decided, with what it adds to the trace and the rules it blocked. */
export interface AzureTier {
  readonly recommendation: Recommendation;
  readonly scaleOut: { wants?: number; rule?: string };
  readonly scaleIn: { wants?: number; rule?: string };
  readonly blocks: readonly Block[];
}

/**
 * Azure: scale out if ANY out rule fires (the largest capacity wins); otherwise scale in only if ALL
 * in rules fire (again the largest capacity wins). While a metric has no data the missing-data policy
 * speaks for the rules' scale-in: never scale in (Azure), hold, or go to the fallback (KEDA, which
 * feeds it to the HPA beside the other metrics, so a fired scale-out that asks for more still wins);
 * below the default capacity, go up to it (Azure).
 */
export function azureTier(ctx: DecisionContext, r: RulesOutcome, md: MissingDataOutcome, hasFamilies: boolean): AzureTier {
  const { bounded } = ctx;
  const blocks: Block[] = [];
  const scaleOut: AzureTier['scaleOut'] = {};
  const scaleIn: AzureTier['scaleIn'] = {};
  const done = (recommendation: Recommendation): AzureTier => ({ recommendation, scaleOut, scaleIn, blocks });
  const cooldownOf = (id: string) => ctx.profile.rules.find((cr) => cr.rule.id === id)?.cooldownMs ?? 0;

  // Without rules, missing data still goes through the missing-data policy below.
  if (r.traces.length === 0 && md.metrics.length === 0) {
    return done(hasFamilies ? holdAt(bounded, 'NoRuleFired', { kind: 'noPolicyAsks' }) : holdAt(bounded, 'NoRules', { kind: 'noRules' }));
  }
  const bestOut = largest(r.firedOut);
  let out: Recommendation | undefined;
  if (bestOut) {
    scaleOut.wants = bestOut.capacity!;
    scaleOut.rule = bestOut.rule;
    for (const t of r.firedOut) if (t !== bestOut) blocks.push({ rule: t.rule, code: 'NotLargest', by: bestOut.rule, capacity: bestOut.capacity!, direction: 'out' });
    if (bestOut.capacity! > bounded) out = scaleTo(bestOut.capacity!, bounded, bestOut.rule, cooldownOf(bestOut.rule), 'ScaleOut', { kind: 'ruleFired', trace: bestOut });
    else blocks.push({ rule: bestOut.rule, code: 'NoIncrease', capacity: bestOut.capacity!, bounded });
  }
  if (md.override && (!out || md.override.to > out.to)) {
    const { to, code, note } = md.override;
    return done(scaleTo(to, bounded, null, 0, code, note));
  }
  if (out) return done(out);
  if (bestOut) {
    for (const t of r.firedIn) blocks.push({ rule: t.rule, code: 'OutranFirst' });
    return done(holdAt(bounded, 'NoChange', { kind: 'ruleAsksNoChange', rule: bestOut.rule, capacity: bestOut.capacity!, bounded, direction: 'out' }));
  }
  if (md.hold) {
    for (const t of r.firedIn) blocks.push({ rule: t.rule, code: 'MissingData', metrics: md.metrics });
    return done(holdAt(bounded, md.hold.code, md.hold.note));
  }
  const { ins, firedIn } = r;
  if (ins.length > 0 && firedIn.length === ins.length) {
    const bestIn = largest(firedIn)!;
    scaleIn.wants = bestIn.capacity!;
    scaleIn.rule = bestIn.rule;
    for (const t of firedIn) if (t !== bestIn) blocks.push({ rule: t.rule, code: 'NotLargest', by: bestIn.rule, capacity: bestIn.capacity!, direction: 'in' });
    if (bestIn.capacity! < bounded) {
      const everyIn = ins.length > 1 ? ins.map((t) => t.rule) : undefined;
      return done(scaleTo(bestIn.capacity!, bounded, bestIn.rule, cooldownOf(bestIn.rule), 'ScaleIn', { kind: 'ruleFired', trace: bestIn, ...(everyIn && { everyIn }) }));
    }
    blocks.push({ rule: bestIn.rule, code: 'NoDecrease', capacity: bestIn.capacity!, bounded });
    return done(holdAt(bounded, 'NoChange', { kind: 'ruleAsksNoChange', rule: bestIn.rule, capacity: bestIn.capacity!, bounded, direction: 'in' }));
  }
  if (firedIn.length > 0) {
    const notFired = ins.filter((t) => t.status !== 'Fired');
    for (const t of firedIn) blocks.push({ rule: t.rule, code: 'NotUnanimous', notFired: notFired.map((n) => n.rule) });
    return done(holdAt(bounded, 'ScaleInNotUnanimous', { kind: 'scaleInNotUnanimous', notFired }));
  }
  const failed = r.traces.filter((t) => t.status === 'RuleError').map((t) => t.rule);
  return done(holdAt(bounded, 'NoRuleFired', { kind: 'noRuleFired', failed }));
}
