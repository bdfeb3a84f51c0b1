// The contract of a policy family beside the Azure rules: compile its part of a rule set once, then propose capacities.
import type { RuleSet } from '../../schema.js';
import type { Issue, StateOut } from '../../schemas/decision.js';
import type { DecisionContext } from '../pipeline/context.js';
import type { Proposal } from '../pipeline/recommendation.js';

/** What one family found at one evaluation. */
export interface PolicyOutcome {
  readonly kind: string;
  /** Capacities it asks for; the largest proposal of all families wins (pipeline/combine.ts). */
  readonly proposals: readonly Proposal[];
  /** Metrics it needed and found no data for; they feed the missing-data policy. */
  readonly missing: readonly string[];
  /** Its trace, shown as `trace.policies[kind]`. */
  readonly trace: unknown;
  /** Present but without a recommendation this evaluation: why (the HPA returns before normalizing then). */
  readonly declined?: string;
  /** Its part of the state sent back (the kpa's panic and delay memory); read again from `ctx.target.state`. */
  readonly state?: Partial<Pick<StateOut, 'kpa'>>;
  /** Its sentence for the reason when it proposes nothing and nothing changes (the predictive policy's refusal, or its ForecastOnly forecast). */
  readonly remark?: string;
  /** How the remark names the family ("the predictive policy"); its kind when absent. */
  readonly label?: string;
  /** A maximum above the profile's this decision may reach (AWS IncreaseMaxCapacity, the predictive policy). */
  readonly maximum?: number;
}

export interface Policy<C> {
  /** Its key in the rule set's trace (`trace.policies.<kind>`) and in `decidedBy`. */
  readonly kind: string;
  /** This family's part of a schema-valid rule set, normalized once at load; undefined when the set has none. */
  compile(spec: RuleSet): C | undefined;
  /** The metric names it reads: a batch may send them (the rule set's known metrics). */
  metrics(compiled: C): readonly string[];
  /** How far back before `now` it reads those metrics, in ms (the rule set's lookback, lookback.ts). */
  lookbackMs(compiled: C): number;
  /** Checks of its settings the schema cannot make (paths through `at`); none when omitted. */
  check?(compiled: C, at: (...path: Array<string | number>) => string): Issue[];
  recommend(compiled: C, ctx: DecisionContext): PolicyOutcome;
}

/** A family bound to its compiled settings, as a compiled rule set holds it. */
export interface CompiledPolicy {
  readonly kind: string;
  readonly compiled: unknown;
  readonly metrics: readonly string[];
  readonly lookbackMs: number;
  check(at: (...path: Array<string | number>) => string): Issue[];
  recommend(ctx: DecisionContext): PolicyOutcome;
}

/** Compile `policy` for `spec`; undefined when the rule set does not use it. */
export function bindPolicy<C>(policy: Policy<C>, spec: RuleSet): CompiledPolicy | undefined {
  const compiled = policy.compile(spec);
  if (compiled === undefined) return undefined;
  return {
    kind: policy.kind,
    compiled,
    metrics: policy.metrics(compiled),
    lookbackMs: policy.lookbackMs(compiled),
    check: (at) => policy.check?.(compiled, at) ?? [],
    recommend: (ctx) => policy.recommend(compiled, ctx),
  };
}
