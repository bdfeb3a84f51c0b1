// The worker's counterpart of `edgescale serve`'s /metrics: each request's outcomes written to a Workers Analytics Engine dataset, aggregated into a few data points.
//
// Optional: only when the deployment binds a dataset as EDGESCALE_ANALYTICS (wrangler.toml, docs/operations.md).
// Analytics Engine counts every writeDataPoint call against a per-invocation limit (250 on 2026-04-23,
// https://developers.cloudflare.com/analytics/analytics-engine/limits/) and a batch may hold 10,000 targets, so a
// batch is written as counts per group, never a point per decision. Writes are non-blocking (nothing to await).
import type { DeliveryResult, TargetResult } from '../schemas/decision.js';
import type { Observer } from './outcomes.js';

/**
 * Data points one observed call may write: well under Analytics Engine's 250 per invocation, so an evaluate that
 * also delivers (two calls) and whatever else a deployment writes stay within it.
 */
export const ANALYTICS_MAX_POINTS_PER_CALL = 100;
/** Analytics Engine refuses an index over 96 bytes; the index is the rule set id, which may be up to 128 characters. */
const INDEX_MAX_BYTES = 96;

interface Group {
  blobs: string[];
  index: string;
  count: number;
}

const encoder = new TextEncoder();
/** The longest prefix of `text` that fits in `max` UTF-8 bytes (never a split character). */
function cutToBytes(text: string, max: number): string {
  if (encoder.encode(text).length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (encoder.encode(out + ch).length > max) break;
    out += ch;
  }
  return out;
}

function count(groups: Map<string, Group>, blobs: string[], index: string, n = 1): void {
  const key = blobs.join('\u0000');
  const g = groups.get(key);
  if (g) g.count += n;
  else groups.set(key, { blobs, index, count: n });
}

function write(dataset: AnalyticsEngineDataset, groups: Iterable<Group>): void {
  for (const g of groups) dataset.writeDataPoint({ blobs: g.blobs, doubles: [g.count], indexes: [cutToBytes(g.index, INDEX_MAX_BYTES)] });
}

/**
 * An Observer writing to `dataset`. Per evaluated batch: one `batch` point (doubles: 1, targets), one `decisions` point
 * per rule set, action and code (blobs: event, action, code, rule set; double: count; index: rule set), one
 * `ruleErrors` point per expression error code and one `targetErrors` point per error code. When the rule sets of one
 * batch make more groups than ANALYTICS_MAX_POINTS_PER_CALL allows, decisions are counted by action and code alone,
 * with the rule set `*`. Per delivery: one `deliveries` point per outcome.
 */
export function analyticsObserver(dataset: AnalyticsEngineDataset): Observer {
  return {
    evaluated(results: readonly TargetResult[]) {
      const decisions = new Map<string, Group>();
      const errors = new Map<string, Group>();
      for (const r of results) {
        if (!r.ok) {
          count(errors, ['targetErrors', r.error.code], 'targetErrors');
          continue;
        }
        const d = r.decision;
        count(decisions, ['decisions', d.action, d.code, d.ruleSet], d.ruleSet);
        for (const rule of d.trace.rules) if (rule.status === 'RuleError') count(errors, ['ruleErrors', rule.error?.code ?? 'Unknown'], 'ruleErrors');
      }
      let byDecision: Iterable<Group> = decisions.values();
      if (1 + errors.size + decisions.size > ANALYTICS_MAX_POINTS_PER_CALL) {
        // Codes and actions are closed lists, rule set ids are not: without the rule set the groups stay few.
        const folded = new Map<string, Group>();
        for (const g of decisions.values()) count(folded, ['decisions', g.blobs[1]!, g.blobs[2]!, '*'], '*', g.count);
        byDecision = folded.values();
      }
      dataset.writeDataPoint({ blobs: ['batch'], doubles: [1, results.length], indexes: ['batch'] });
      write(dataset, byDecision);
      write(dataset, errors.values());
    },
    delivered(results: readonly DeliveryResult[]) {
      const outcomes = new Map<string, Group>();
      for (const r of results) count(outcomes, ['deliveries', r.outcome], 'deliveries');
      write(dataset, outcomes.values());
    },
  };
}
