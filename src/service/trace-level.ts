// How much of each decision an answer carries (the request's `trace`): whole decisions are delivered and signed; answers may be lighter.
import type { TRACE_LEVELS } from '../schemas/codes.js';
import type { AnsweredDecision, AttributedDecision, DecisionSummary, EvaluatedTarget } from '../schemas/decision.js';

export type TraceLevel = (typeof TRACE_LEVELS)[number];

/**
 * The summary of a decision: what an actuator acts on and what the next request must send back, in
 * about 300 bytes besides the state's policy history. Every field has its name and value in the whole
 * decision; `decidedBy` is `trace.policies.decidedBy` (which family's proposal won, for rule sets with
 * policy families). Left out: the reason sentence (`code` says it as a code), the trace, and what the
 * caller already has — `target` (the batch entry's) and `now` (the answer's, the one the CLI was given). `state` is
 * the whole decision's own object: the caller sends it back as it is, so it is never shortened; its
 * HPA or KPA history (`state.hpa`, `state.kpa`) is as long as the policy's windows make it (docs/operations.md).
 */
function summarize(d: AttributedDecision): DecisionSummary {
  const decidedBy = d.trace.policies?.decidedBy;
  return {
    decisionId: d.decisionId,
    action: d.action,
    from: d.from,
    to: d.to,
    code: d.code,
    rule: d.rule,
    ...(decidedBy !== undefined && { decidedBy }),
    state: d.state,
  };
}

/** One decision at `level`: the same object for "full", a new one otherwise (the whole one may still be delivered). */
export function atTraceLevel(d: AttributedDecision, level: TraceLevel): AnsweredDecision {
  if (level === 'full') return d;
  if (level === 'summary') return summarize(d);
  const rest: Partial<AttributedDecision> = { ...d };
  delete rest.trace;
  return rest as AnsweredDecision;
}

/** Every decided entry of a batch at `level`; entries with errors as they are. */
export function resultsAtTraceLevel(results: EvaluatedTarget[], level: TraceLevel): EvaluatedTarget[] {
  if (level === 'full') return results;
  // Decided entries hold whole decisions until here (evaluateBatch makes them, delivery signs them).
  return results.map((r) => (r.ok ? { ...r, decision: atTraceLevel(r.decision as AttributedDecision, level) } : r));
}
