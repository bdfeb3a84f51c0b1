// Combine: the Azure tier (rules + missing data) against the families' proposals; the largest capacity wins.
import type { PolicyOutcome } from '../policies/policy.js';
import type { Trace } from '../../schemas/decision.js';
import type { DecisionContext } from './context.js';
import { holdAt, scaleTo, type Note, type Proposal, type Recommendation } from './recommendation.js';

export interface Combined {
  readonly recommendation: Recommendation;
  /** `trace.policies`, when the rule set has families beside the rules. */
  readonly policies?: NonNullable<Trace['policies']>;
  /** Nothing recommended anything and a family declined (its code): the HPA then stores nothing (governors/behavior.ts). */
  readonly declined?: string;
}

/**
 * Target tracking, step scaling and any other family propose capacities beside the rules; the
 * largest proposal wins, so capacity goes out if any family asks for more and in only if every
 * family that has an opinion asks for less (AWS: "the policy that provides the largest capacity").
 * The rules, when the profile has any, always have an opinion: their recommendation or holding. So
 * does the missing-data policy while a metric has no data (hold, default or fallback), even in a
 * rule set without rules: a policy on another metric must not scale in past it. Ties go to the
 * rules, then to the family and proposal listed first. A floor (the predictive policy's proposal) takes
 * part like any other, but never scales in alone: with no other opinion, capacity stays.
 */
export function combine(ctx: DecisionContext, azure: Recommendation, families: readonly PolicyOutcome[], missing: readonly string[]): Combined {
  if (families.length === 0) return { recommendation: azure };
  const { bounded } = ctx;
  const hasRules = ctx.profile.rules.length > 0;
  const proposals = families.flatMap((f) => f.proposals);
  // Each family's trace under its kind, then the proposals (the order the trace has always had).
  const traces: Record<string, unknown> = {};
  for (const f of families) traces[f.kind] = f.trace;
  const policies = { ...traces, proposals: proposals.map(({ source, id, capacity }) => ({ source, id, capacity })) } as NonNullable<Trace['policies']>;
  // The HPA returns before normalizing when no metric gave a recommendation (reconcileAutoscaler).
  const declined = !hasRules && proposals.length === 0 && azure.kind === 'hold' ? families.find((f) => f.declined !== undefined)?.declined : undefined;
  const done = (recommendation: Recommendation): Combined => ({ recommendation, policies, ...(declined !== undefined && { declined }) });
  if (proposals.length === 0) {
    // Nothing proposed: a family that has something to say about it (a forecast it only traces, a refusal) says it.
    const remarks: Note[] = families.flatMap((f) => (f.remark === undefined ? [] : [{ kind: 'familyRemark' as const, label: f.label ?? f.kind, message: f.remark }]));
    return done(remarks.length > 0 && azure.kind === 'hold' ? { ...azure, notes: [...azure.notes, ...remarks] } : azure);
  }

  const azureWants = hasRules || missing.length > 0 ? azure.to : undefined;
  const best = proposals.reduce((a, b) => (b.capacity > a.capacity ? b : a));
  // A floor alone never scales in: without any other opinion, capacity stays (AWS and Azure predictive
  // scaling only scale out; scaling in is left to the reactive policies).
  if (azureWants === undefined && best.floor === true && best.capacity < bounded && proposals.every((p) => p.floor === true)) {
    policies.decidedBy = `${best.source}:${best.id}`;
    return done(holdAt(bounded, 'NoChange', { kind: 'floorHolds', label: best.label, message: best.message, capacity: best.capacity }));
  }
  if (azureWants !== undefined && azureWants >= best.capacity) {
    policies.decidedBy = hasRules ? 'rules' : 'missingData';
    if (best.capacity === azureWants) return done(azure);
    // Say why the policy's smaller capacity lost, or its scale-in silently disappears.
    const keeper = hasRules ? 'rules' : 'missingData';
    return done({ ...azure, notes: [...azure.notes, { kind: 'largestWins', label: best.label, capacity: best.capacity, keeper, keeps: azureWants }] });
  }
  policies.decidedBy = `${best.source}:${best.id}`;
  // A floor that wins below the current capacity: another policy asked for less, and the floor limits it.
  const others = proposals.filter((p) => p.floor !== true);
  const below = others.reduce<Proposal | undefined>((a, b) => (a === undefined || b.capacity > a.capacity ? b : a), undefined);
  const asked =
    azureWants !== undefined && (below === undefined || azureWants >= below.capacity) ? { label: hasRules ? 'the rules' : 'the missing-data policy', capacity: azureWants } : below;
  const note: Note =
    best.floor === true && best.capacity < bounded && asked !== undefined
      ? { kind: 'floorLimits', label: best.label, message: best.message, capacity: best.capacity, by: asked.label, asks: asked.capacity }
      : { kind: 'familyDecides', label: best.label, message: best.message };
  if (best.capacity === bounded) return done(holdAt(bounded, 'NoChange', note));
  return done(scaleTo(best.capacity, bounded, best.id, 0, best.capacity > bounded ? 'ScaleOut' : 'ScaleIn', note));
}
