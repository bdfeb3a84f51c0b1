// `edgescale serve`'s Prometheus metrics (GET /metrics): what the adapters observe about decisions and deliveries, recorded with prom-client.
//
// Node only: src/cli/ is never reached from the worker (src/index.ts), so prom-client is never in its
// bundle. The engine knows nothing of it either: the HTTP app hands each batch's results and each
// delivery's to the Observer (src/observability/outcomes.ts) made here. Every series is listed, with
// its type and labels, in docs/operations.md. Label values come from closed lists (actions, decision
// codes, expression error codes, delivery outcomes, outbox states), so no caller can grow the series.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OutboxState, RoundReport } from '../delivery/outbox.js';
import type { Observer } from '../observability/outcomes.js';

/**
 * Evaluate latency buckets, seconds: a one-target batch takes about a millisecond on a laptop
 * (BENCHMARKS.md), a batch at the default target limit a few hundred; 5 s is past any request a
 * proxy would wait for.
 */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Targets per request: steps of about 2.5 up to the highest targets-per-batch an operator may allow (LIMIT_CEILINGS.targetsPerBatch, 10,000). */
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];

export interface ServeMetrics {
  observer: Observer;
  /** Outbox rounds: the deliveries the outbox made after the request that asked had answered. */
  onRound(report: RoundReport): void;
  /** The text exposition of every series. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/** A registry of its own (never prom-client's global one), so two servers in one process, or tests, do not share counts. */
export function createServeMetrics(outboxCounts?: () => Record<OutboxState, number>): ServeMetrics {
  const registry = new Registry();
  // Node's own: process_cpu_seconds_total, process_resident_memory_bytes, nodejs_eventloop_lag_seconds, … (prom-client's defaults).
  collectDefaultMetrics({ register: registry });
  const decisions = new Counter({
    name: 'edgescale_decisions_total',
    help: 'Decisions made by POST /v1/evaluate, by action and decision code.',
    labelNames: ['action', 'code'] as const,
    registers: [registry],
  });
  const targetErrors = new Counter({
    name: 'edgescale_target_errors_total',
    help: 'Targets of POST /v1/evaluate that could not be decided, by error code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const ruleErrors = new Counter({
    name: 'edgescale_rule_errors_total',
    help: 'Rules whose expression failed while deciding (trace status RuleError), by expression error code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'edgescale_evaluate_duration_seconds',
    help: 'Time to decide one POST /v1/evaluate batch (parsing, rule sets, decisions; not reading the body or delivering).',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'edgescale_batch_targets',
    help: 'Targets per POST /v1/evaluate request.',
    buckets: BATCH_BUCKETS,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'edgescale_deliveries_total',
    help: 'Decisions handed to delivery by a request (POST /v1/evaluate or /v1/scheduled with deliver), by outcome.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const outboxAttempts = new Counter({
    name: 'edgescale_outbox_attempts_total',
    help: 'Attempts the outbox made in its own rounds, by result: delivered, retried (due again later) or dead (no longer retried).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  if (outboxCounts) {
    new Gauge({
      name: 'edgescale_outbox_entries',
      help: 'Entries in the delivery outbox, by state; pending is the queue depth.',
      labelNames: ['state'] as const,
      registers: [registry],
      // Read from the store at each scrape: the count is the database's, whatever wrote it.
      collect() {
        const counts = outboxCounts();
        for (const state of ['pending', 'delivered', 'dead'] as const) this.set({ state }, counts[state]);
      },
    });
  }

  return {
    observer: {
      evaluated(results, seconds) {
        latency.observe(seconds);
        batchSize.observe(results.length);
        for (const r of results) {
          if (!r.ok) {
            targetErrors.inc({ code: r.error.code });
            continue;
          }
          decisions.inc({ action: r.decision.action, code: r.decision.code });
          for (const rule of r.decision.trace.rules) if (rule.status === 'RuleError') ruleErrors.inc({ code: rule.error?.code ?? 'Unknown' });
        }
      },
      delivered(results) {
        for (const r of results) deliveries.inc({ outcome: r.outcome });
      },
    },
    onRound(report) {
      if (report.delivered > 0) outboxAttempts.inc({ result: 'delivered' }, report.delivered);
      if (report.retried > 0) outboxAttempts.inc({ result: 'retried' }, report.retried);
      if (report.dead > 0) outboxAttempts.inc({ result: 'dead' }, report.dead);
    },
    scrape: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
