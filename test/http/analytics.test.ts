// The worker's metrics: with an Analytics Engine dataset bound as EDGESCALE_ANALYTICS, each evaluate writes its outcomes
// to it as counts per group (src/observability/analytics.ts), through the worker's own fetch inside workerd.
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index.js';
import { ANALYTICS_MAX_POINTS_PER_CALL } from '../../src/observability/analytics.js';
import type { Env } from '../../src/env.js';

const AUTH = { authorization: 'Bearer test-token-0123456789abcdef0123456789abcdef', 'content-type': 'application/json' };
const NOW = '2026-11-22T10:30:00Z';

/** A dataset that keeps what is written, as Analytics Engine's binding takes it. */
function dataset() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, binding: { writeDataPoint: (p?: AnalyticsEngineDataPoint) => void points.push(p!) } as AnalyticsEngineDataset };
}

async function evaluate(body: unknown, bound: AnalyticsEngineDataset | undefined) {
  const e = { ...(env as Env), ...(bound && { EDGESCALE_ANALYTICS: bound }) } as Env;
  const req = new Request('http://edgescale.test/v1/evaluate', { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
  return worker.fetch!(req as Parameters<NonNullable<typeof worker.fetch>>[0], e, createExecutionContext());
}

const hot = (id: string, ruleSet = 'web-tier') => ({ id, ruleSet, capacity: 4, metrics: { cpu: 85 } });
const cold = (id: string) => ({ id, ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 20 } });

describe('EDGESCALE_ANALYTICS', () => {
  it('counts a batch, its decisions by rule set, action and code, and its refused targets', async () => {
    const ds = dataset();
    const res = await evaluate({ now: NOW, targets: [hot('web-1'), hot('web-2'), cold('api-1'), { id: 'x', ruleSet: 'no-such-set', capacity: 2, metrics: {} }] }, ds.binding);
    expect(res.status).toBe(207);
    const rows = ds.points.map((p) => `${p.blobs!.join('|')} ${p.doubles!.join(',')} @${p.indexes![0]}`).sort();
    expect(rows).toEqual([
      'batch 1,4 @batch',
      'decisions|scaleIn|ScaleIn|web-tier 1 @web-tier',
      'decisions|scaleOut|ScaleOut|web-tier 2 @web-tier',
      'targetErrors|UnknownRuleSet 1 @targetErrors',
    ]);
  });

  it('counts deliveries by outcome when the request delivers', async () => {
    const ds = dataset();
    const res = await evaluate({ now: NOW, deliver: true, targets: [hot('web-3')] }, ds.binding);
    expect(res.status).toBe(200);
    // No ACTUATOR_URL in the test bindings, and wrangler.toml's delivery queue bound: the decision is queued.
    expect(ds.points.filter((p) => p.blobs![0] === 'deliveries').map((p) => [p.blobs![1], p.doubles![0]])).toEqual([['queued', 1]]);
  });

  it('folds rule sets into "*" rather than write more than ANALYTICS_MAX_POINTS_PER_CALL points for one batch', async () => {
    const ds = dataset();
    // Inline rule sets with distinct ids: one group each, more than the cap.
    const many = Array.from({ length: ANALYTICS_MAX_POINTS_PER_CALL + 5 }, (_, i) => ({
      id: `t-${i}`,
      capacity: 2,
      metrics: { cpu: 90 },
      ruleSet: {
        id: `inline-${i}`,
        capacity: { minimum: 1, maximum: 10, default: 2 },
        rules: [
          {
            id: 'hot',
            direction: 'out',
            when: { metric: { metric: 'cpu', timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT5M', timeAggregation: 'Average', operator: 'GreaterThan', threshold: 80 } },
            action: { type: 'ChangeCount', value: 1 },
          },
        ],
      },
    }));
    const res = await evaluate({ now: NOW, targets: many }, ds.binding);
    expect(res.status).toBe(200);
    expect(ds.points.length).toBeLessThanOrEqual(ANALYTICS_MAX_POINTS_PER_CALL);
    const decisions = ds.points.filter((p) => p.blobs![0] === 'decisions');
    expect(decisions.map((p) => [...p.blobs!, p.doubles![0]])).toEqual([['decisions', 'scaleOut', 'ScaleOut', '*', ANALYTICS_MAX_POINTS_PER_CALL + 5]]);
  });

  it('writes nothing and still answers when no dataset is bound', async () => {
    expect((await evaluate({ now: NOW, targets: [hot('web-4')] }, undefined)).status).toBe(200);
  });
});
