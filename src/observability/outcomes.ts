// What the adapters do with a batch's results and a delivery's: one log record per decision, and the outcomes handed to an observer (the metrics of `edgescale serve`).
//
// The engine stays pure: it returns results; the adapter that asked (src/http/app.ts) observes them here.
import type { DeliveryResult, TargetResult } from '../schemas/decision.js';
import type { Logger } from './log.js';

/** Told what happened; `edgescale serve` records it as Prometheus metrics (src/cli/metrics.ts). The worker has none. */
export interface Observer {
  /** A batch was decided (POST /v1/evaluate): every target's result, and the seconds evaluateBatch took. */
  evaluated(results: readonly TargetResult[], seconds: number): void;
  /** Decisions were handed to delivery: one result per decision. */
  delivered(results: readonly DeliveryResult[]): void;
}

/**
 * One `decision` record per decided target: target, rule set, action, code, from → to, rule, decision
 * id. At info when the capacity changes (scaleOut, scaleIn), at debug when it holds: a steady fleet
 * evaluated every minute would otherwise log every target every minute. A target that could not be
 * decided is a `decision.error` record at debug (the request's own record has its status); an
 * InternalError is logged with its stack where it happened (src/service/internal-error.ts).
 */
export function logDecisions(log: Logger, results: readonly TargetResult[]): void {
  for (const r of results) {
    if (r.ok) {
      const d = r.decision;
      const level = d.action === 'none' ? 'debug' : 'info';
      if (!log.enabled(level)) continue;
      log.log(level, 'decision', `${d.target}: ${d.action} ${d.from}→${d.to} (${d.code})`, {
        target: d.target,
        ruleSet: d.ruleSet,
        action: d.action,
        code: d.code,
        from: d.from,
        to: d.to,
        ...(d.rule !== undefined && d.rule !== null && { rule: d.rule }),
        decisionId: d.decisionId,
      });
    } else if (log.enabled('debug')) {
      log.debug('decision.error', `targets[${r.index}]${r.target !== null ? ` (${r.target})` : ''}: ${r.error.code}`, {
        index: r.index,
        ...(r.target !== null && { target: r.target }),
        code: r.error.code,
        path: r.error.path,
      });
    }
  }
}
