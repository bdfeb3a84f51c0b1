// How much of each decision an answer carries (the request's `trace`): whole decisions are delivered and signed; answers may be lighter.
import type { TRACE_LEVELS } from '../schemas/codes.js';
import type { AnsweredDecision, AttributedDecision, DecisionSummary, EvaluatedTarget } from '../schemas/decision.js';

export type TraceLevel = (typeof TRACE_LEVELS)[number];

/** The summary of a decision: its outcome, reason, the rules that fired and the state the next evaluation needs. */
function summarize(d: AttributedDecision): DecisionSummary {
  const fired: string[] = [];
  for (const r of d.trace.rules) if (r.status === 'Fired') fired.push(r.rule);
  return { target: d.target, decisionId: d.decisionId, now: d.now, action: d.action, from: d.from, to: d.to, code: d.code, reason: d.reason, rule: d.rule, state: d.state, fired };
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
