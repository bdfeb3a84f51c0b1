// The contract of a governor: a pure function of (recommendation, context, its own settings) → the recommendation it lets through.
import type { RuleSet } from '../../schema.js';
import type { Decision, StateOut, Trace } from '../../schemas/decision.js';
import type { HpaBehaviorDefaulted, HpaHistory } from '../../schemas/hpa-behavior.js';
import type { DecisionContext } from '../pipeline/context.js';
import type { Block, Recommendation } from '../pipeline/recommendation.js';
import type { MissingDataOutcome } from '../policies/missing-data.js';
import type { RulesOutcome } from '../policies/rules.js';

/** What governors may read besides the recommendation. */
interface GovernInput {
  readonly ctx: DecisionContext;
  readonly rules: RulesOutcome;
  /** combine() found no recommendation and a family declined: its code. */
  readonly declined?: string;
  /** What missing data asked for (activation reads whether the fallback is in effect). */
  readonly missingData?: MissingDataOutcome;
}

/** The parts of the trace governors write. */
export type GovernorTrace = Partial<Pick<Trace, 'hpa' | 'clamp' | 'flapping' | 'activation'>> & { cooldown?: { out?: string; in?: string } };

export interface Governed {
  readonly recommendation: Recommendation;
  readonly trace?: GovernorTrace;
  /** Rules that fired but did not get their way because of this governor. */
  readonly blocks?: readonly Block[];
  readonly placement?: Decision['placement'];
  /** The Kubernetes behavior history to store, and the behavior to record the scale event with. */
  readonly hpa?: { readonly history: HpaHistory; readonly behavior?: HpaBehaviorDefaulted };
  /** Its part of the state sent back (activation's lastActive). */
  readonly state?: Partial<Pick<StateOut, 'activation'>>;
}

export interface Governor<C> {
  readonly name: string;
  /** Its settings from a schema-valid rule set, once at load; undefined when the rule set does not use it. */
  compile(spec: RuleSet): C | undefined;
  /** The metric names it reads, if any (activation's metric). */
  metrics?(compiled: C): readonly string[];
  /** How far back before `now` it reads them, in ms; 0 when omitted. */
  lookbackMs?(compiled: C): number;
  govern(recommendation: Recommendation, input: GovernInput, compiled: C): Governed;
}

export interface CompiledGovernor {
  readonly name: string;
  readonly compiled: unknown;
  readonly metrics: readonly string[];
  readonly lookbackMs: number;
  govern(recommendation: Recommendation, input: GovernInput): Governed;
}

export function bindGovernor<C>(governor: Governor<C>, spec: RuleSet): CompiledGovernor | undefined {
  const compiled = governor.compile(spec);
  if (compiled === undefined) return undefined;
  return {
    name: governor.name,
    compiled,
    metrics: governor.metrics?.(compiled) ?? [],
    lookbackMs: governor.lookbackMs?.(compiled) ?? 0,
    govern: (rec, input) => governor.govern(rec, input, compiled),
  };
}
