// Issue 17, item 2: an Azure Monitor multi-resource (subscription-scope) response is mapped by each series'
// resource (its microsoft.resourceid dimension), not every VM to the subscription id in the metric's id.
//
// Fixture: test/formats/fixtures/azure-monitor/PostMultiResourceMetricBody.json, Microsoft's own example of
// "Metrics - List At Subscription Scope" (azure-rest-api-specs, MIT; see the folder's README).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertMetricsColumns } from '../../src/formats/metrics.js';
import { evaluateBatch } from '../../src/service/batch.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';

const EXAMPLE = JSON.parse(readFileSync(new URL('./fixtures/azure-monitor/PostMultiResourceMetricBody.json', import.meta.url), 'utf8')) as {
  responses: { '200': { body: { value: Array<{ id: string; timeseries: Array<{ metadatavalues?: unknown }> }> } } };
};
const RESPONSE = EXAMPLE.responses['200'].body;
const OPTIONS = { format: 'azureMonitor', targetLabel: '@resource', aggregation: 'count', metricNames: { 'Data Disk Max Burst IOPS': 'iops' } } as const;

describe("Microsoft's multi-resource example, targets by resource", () => {
  it('each VM is a target of its own, with its 13 six-hourly counts (sas1-dev has the 413 burst)', () => {
    const r = convertMetricsColumns({ ...OPTIONS, payload: RESPONSE });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(Object.keys(r.targets).sort()).toEqual(['sas1-dev', 'sas2-vm', 'sas3-vm', 'sas4-vm', 'sas5-vm-asc']);
    // before: one target, the subscription id 92d2a2d8-…, holding all 65 points
    expect(r.targets['92d2a2d8-b514-432d-8cc9-a5f9272630d5']).toBeUndefined();
    const sas1 = r.targets['sas1-dev']!.iops as { t: number[]; v: number[] };
    expect(sas1.t.length).toBe(13);
    expect(Math.max(...sas1.v)).toBe(413);
    expect(sas1.t[sas1.v.indexOf(413)]).toBe(Date.parse('2021-06-10T13:00:00Z'));
    expect((r.targets['sas2-vm']!.iops as { v: number[] }).v[1]).toBe(133);
    expect(r.unmatched).toEqual({ points: 0, series: 0, reasons: [] });
  });

  it('decides each VM from its own series in one batch', async () => {
    const rule = (id: string, direction: 'out' | 'in', operator: string, threshold: number) => ({
      id,
      direction,
      when: { metric: { metric: 'iops', timeGrain: 'PT6H', statistic: 'Max', timeWindow: 'PT6H', timeAggregation: 'Maximum', operator, threshold } },
      action: { type: 'ChangeCount', value: 1 },
    });
    const ruleSet = { id: 'disk-burst', capacity: { minimum: 1, maximum: 5, default: 1 }, rules: [rule('burst', 'out', 'GreaterThan', 100)] };
    // At 2021-06-10T13:00:00Z (+1 s), the last six hours hold sas1-dev's 413 and the others' 72.
    const outcome = await evaluateBatch(
      {
        now: '2021-06-10T13:00:01Z',
        metricsFormat: OPTIONS,
        metricsPayload: RESPONSE,
        targets: ['sas1-dev', 'sas2-vm', 'sas3-vm'].map((id) => ({ id, capacity: 2, ruleSet })),
      },
      resolveBundled,
      0,
    );
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    expect(outcome.results.map((r) => (r.ok ? [r.target, r.decision.code, r.decision.to] : [r.target, r.error.code]))).toEqual([
      ['sas1-dev', 'ScaleOut', 3],
      ['sas2-vm', 'NoRuleFired', 2],
      ['sas3-vm', 'NoRuleFired', 2],
    ]);
    expect(outcome.metrics?.unknownTargets).toEqual(['sas4-vm', 'sas5-vm-asc']);
  });

  it('without the microsoft.resourceid dimension, a subscription-scope series names no resource: unmatched with the reason, never the subscription id', () => {
    const stripped = structuredClone(RESPONSE);
    for (const s of stripped.value[0]!.timeseries) delete s.metadatavalues;
    const r = convertMetricsColumns({ ...OPTIONS, payload: stripped });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.targets).toEqual({});
    expect(r.unmatched).toEqual({
      points: 65,
      series: 5,
      reasons: [{ code: 'NoTargetLabel', reason: expect.stringContaining("a subscription-scope query needs $filter=Microsoft.ResourceId eq '*'"), count: 65 }],
    });
  });
});
