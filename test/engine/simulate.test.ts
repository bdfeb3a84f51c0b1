// Simulation: hand-worked replays of an Azure-style set and an HPA-style set, the demand model, delays, compare, limits and bad input.
import { describe, expect, it } from 'vitest';
import { simulateRequest } from '../../src/service/simulate.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { SIMULATE_LIMITS } from '../../src/limits.js';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString().replace('.000Z', 'Z');
const series = (values: number[]) => values.map((v, i) => ({ t: at(i), v }));

/** Azure-style: out by 1 above 70 %, in by 1 below 30 %, over one-minute windows, no cooldown. */
const azureSet = {
  id: 'sim-azure',
  capacity: { minimum: 1, maximum: 10, default: 2 },
  cooldown: 'PT0S',
  rules: (['out', 'in'] as const).map((direction) => ({
    id: `cpu-${direction}`,
    direction,
    when: {
      metric: {
        metric: 'cpu',
        timeGrain: 'PT1M',
        statistic: 'Average',
        timeWindow: 'PT1M',
        timeAggregation: 'Average',
        operator: direction === 'out' ? 'GreaterThan' : 'LessThan',
        threshold: direction === 'out' ? 70 : 30,
      },
    },
    action: { type: 'ChangeCount', value: 1 },
  })),
};

/** HPA-style target tracking: keep CPU utilisation at 50 % (desired = ceil(current × cpu ÷ 50), 10 % tolerance). */
const hpaSet = {
  id: 'sim-hpa',
  capacity: { minimum: 1, maximum: 10, default: 2 },
  cooldown: 'PT0S',
  rules: [],
  targetTracking: [{ id: 'cpu-50', metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 50 } }],
};

function run(body: Record<string, unknown>) {
  const outcome = simulateRequest(body, resolveBundled);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
  return outcome.response;
}

describe('simulate: an Azure-style set replayed over observed CPU (worked by hand)', () => {
  // cpu per minute and the total load (perInstance 100, target 50 % → required = ceil(load ÷ 50)).
  const cpu = [80, 80, 80, 50, 50, 20, 20, 20, 80, 50];
  const load = [200, 200, 300, 300, 300, 100, 100, 150, 150, 100];
  const response = run({
    ruleSets: [azureSet],
    capacity: 2,
    metrics: { cpu: series(cpu) },
    load: { model: 'replay', series: series(load), perInstance: 100, target: 50 },
  });
  const [result] = response.results;

  it('decides out, out, out, hold, hold, in, in, in, out, hold', () => {
    expect(response).toMatchObject({ from: at(0), to: at(10), step: 'PT1M', model: 'replay', evaluations: 10 });
    expect(result!.timeline!.map((e) => e.to)).toEqual([3, 4, 5, 5, 5, 4, 3, 2, 3, 3]);
    expect(result!.timeline![0]).toMatchObject({ t: at(0), capacity: 2, to: 3, action: 'scaleOut', code: 'ScaleOut', rule: 'cpu-out', metrics: { cpu: 80 }, load: 200, required: 4 });
  });

  it('sums instance-hours, provisioning against required capacity, scale events and flaps', () => {
    const s = result!.summary;
    // running 3+4+5+5+5+4+3+2+3+3 = 37 instance-minutes
    expect(s.instanceHours).toBe(0.616667);
    expect(s.capacity).toEqual({ start: 2, end: 3, min: 2, max: 5 });
    expect(s.scaleEvents).toEqual({ out: 4, in: 3 });
    // reversals within 30 minutes: in at 10:05 after out at 10:02, out at 10:08 after in at 10:07
    expect(s.flaps).toBe(2);
    // required 4,4,6,6,6,2,2,3,3,2 against serving 3,4,5,5,5,4,3,2,3,3: short by 1 at minutes 0, 2, 3, 4, 7
    expect(s.underProvisioned).toEqual({ minutes: 5, instanceHours: 0.083333, maxShortfall: 1 });
    // running above required: 2 at minute 5, 1 at 6, 1 at 9 = 4 instance-minutes
    expect(s.overProvisionedInstanceHours).toBe(0.066667);
    // episodes 10:00→10:01, 10:02→10:05, 10:07→10:08
    expect(s.reaction).toEqual({ episodes: 3, meanMinutes: 1.666667, maxMinutes: 3, unresolved: 0 });
    // load ÷ serving: 66.7, 50, 60, 60, 60, 25, 33.3, 75, 50, 33.3
    expect(s.utilization).toEqual({ p50: 50, p90: 66.666667, p99: 75, max: 75 });
  });

  it('counts a flap only within the window', () => {
    const narrow = run({ ruleSets: [azureSet], capacity: 2, metrics: { cpu: series(cpu) }, flapWindow: 'PT1M', timeline: false });
    expect(narrow.results[0]!.summary.flaps).toBe(1);
    expect(narrow.results[0]!.timeline).toBeUndefined();
    expect(narrow.results[0]!.summary.underProvisioned).toBeNull();
  });
});

describe('simulate: an HPA-style set under the demand model (worked by hand)', () => {
  // 100 req/s for 5 minutes, a step to 400 for 5, back to 100 for 7. One instance serves 100 at 100 %.
  const load = [...Array(5).fill(100), ...Array(5).fill(400), ...Array(7).fill(100)] as number[];
  const demand = { series: series(load), perInstance: 100, target: 50, metric: 'cpu' };

  it('scales with the load it changes: 2 → 4 → 8, held by the 300 s scale-down stabilization, then 2', () => {
    const response = run({ ruleSets: [hpaSet], capacity: 2, load: demand });
    const [result] = response.results;
    expect(response.model).toBe('demand');
    expect(result!.timeline!.map((e) => e.to)).toEqual([2, 2, 2, 2, 2, 4, 8, 8, 8, 8, 8, 8, 8, 8, 8, 2, 2]);
    expect(result!.timeline![10]!.code).toBe('ScaleDownStabilized');
    // the metric the rules saw: cpu = load ÷ (serving × 100) × 100, at most 100
    expect(result!.timeline!.map((e) => e.metrics.cpu)).toEqual([50, 50, 50, 50, 50, 100, 100, 50, 50, 50, 12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 50]);
    const s = result!.summary;
    expect(s.instanceHours).toBe(1.5); // 2×5 + 4 + 8×9 + 2×2 = 90 instance-minutes
    expect(s.underProvisioned).toEqual({ minutes: 1, instanceHours: 0.066667, maxShortfall: 4 }); // 4 serving, 8 required at 10:05
    expect(s.overProvisionedInstanceHours).toBe(0.5); // 8 running for 2 required, 10:10 to 10:14: 30 instance-minutes
    expect(s.scaleEvents).toEqual({ out: 2, in: 1 });
    expect(s.flaps).toBe(1); // in at 10:15, 9 minutes after out at 10:06
    expect(s.reaction).toEqual({ episodes: 1, meanMinutes: 1, maxMinutes: 1, unresolved: 0 });
    // load ÷ serving: 50 ×5, 100, 50 ×4, 12.5 ×5, 50 ×2
    expect(s.utilization).toEqual({ p50: 50, p90: 50, p99: 100, max: 100 });
    expect(run({ ruleSets: [hpaSet], capacity: 2, load: demand, flapWindow: 'PT5M' }).results[0]!.summary.flaps).toBe(0);
  });

  it('with a provisioning delay, overshoots while new instances are not serving yet', () => {
    const response = run({ ruleSets: [hpaSet], capacity: 2, to: at(10), load: { ...demand, provisioningDelay: 'PT2M' } });
    const timeline = response.results[0]!.timeline!;
    // at 10:07 only 4 serve, so CPU still reads 100 % and 8 becomes 16, bounded to the maximum 10
    expect(timeline.map((e) => e.to)).toEqual([2, 2, 2, 2, 2, 4, 8, 10, 10, 10]);
    expect(timeline.map((e) => e.serving)).toEqual([2, 2, 2, 2, 2, 2, 2, 4, 8, 10]);
    const s = response.results[0]!.summary;
    expect(s.instanceHours).toBe(0.866667); // billed from creation: 2×5 + 4 + 8 + 10×3 = 52
    expect(s.underProvisioned).toEqual({ minutes: 3, instanceHours: 0.266667, maxShortfall: 6 }); // short 6, 6, 4
    expect(s.overProvisionedInstanceHours).toBe(0.1); // 10 running for 8 required at 10:07, 10:08, 10:09
    expect(s.reaction).toEqual({ episodes: 1, meanMinutes: 3, maxMinutes: 3, unresolved: 0 });
    expect(s.scaleEvents).toEqual({ out: 3, in: 0 });
  });

  it('with a scale-in delay, removed instances keep serving and are billed while draining', () => {
    const response = run({ ruleSets: [hpaSet], capacity: 2, to: at(19), load: { ...demand, scaleInDelay: 'PT2M' } });
    const timeline = response.results[0]!.timeline!;
    expect(timeline.slice(14, 18).map((e) => [e.to, e.serving, e.running])).toEqual([
      [8, 8, 8],
      [2, 8, 8],
      [2, 8, 8],
      [2, 2, 2],
    ]);
  });
});

describe('simulate: compare', () => {
  it('runs every rule set over the same history, side by side, in request order', () => {
    const load = { model: 'replay' as const, series: series([100, 100, 100]), perInstance: 100, target: 50 };
    const response = run({ ruleSets: [azureSet, hpaSet, 'web-tier'], capacity: 2, metrics: { cpu: series([90, 90, 90]) }, load });
    expect(response.results.map((r) => [r.index, r.ruleSet, r.ruleSetOrigin.source])).toEqual([
      [0, 'sim-azure', 'inline'],
      [1, 'sim-hpa', 'inline'],
      [2, 'web-tier', 'bundled'],
    ]);
    expect(response.results[0]!.summary.capacity.end).toBe(5);
    expect(response.results[1]!.summary.capacity.end).toBe(10);
    expect(response.results.every((r) => r.summary.evaluations === 3)).toBe(true);
  });

  it('imports an HPA manifest given as { hpa }', () => {
    const manifest = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } }
`;
    const response = run({ ruleSets: [{ hpa: manifest }], capacity: 2, metrics: { cpu: series([100, 100]) } });
    expect(response.results[0]!.ruleSetOrigin.source).toBe('imported');
    expect(response.results[0]!.timeline![0]!.to).toBe(4);
  });
});

describe('simulate: limits and bad input are errors with a path', () => {
  const bad = (body: Record<string, unknown>) => {
    const outcome = simulateRequest(body, resolveBundled);
    if (outcome.ok) throw new Error('expected an error');
    return outcome.error;
  };
  const base = { ruleSets: [azureSet], capacity: 2, metrics: { cpu: series([50]) } };

  it('refuses more evaluations than SIMULATE_LIMITS.evaluations, and admits a week at one-minute steps', () => {
    const week = { from: at(0), to: at(7 * 24 * 60) };
    expect(run({ ...base, ...week, timeline: false }).evaluations).toBe(10_080);
    const five = bad({ ...base, ruleSets: [azureSet, hpaSet, azureSet, hpaSet, azureSet] });
    expect(five.path).toBe('ruleSets');
    const error = bad({ ...base, from: at(0), to: at(SIMULATE_LIMITS.evaluations + 1) });
    expect(error).toMatchObject({ code: 'LimitExceeded', path: 'to' });
    expect(error.message).toContain('SIMULATE_LIMITS.evaluations');
  });

  it.each([
    ['UnknownRuleSet', 'ruleSets[0]', { ...base, ruleSets: ['no-such-set'] }],
    ['InvalidBounds', 'ruleSets[0].capacity.minimum', { ...base, ruleSets: [{ ...azureSet, capacity: { minimum: 5, maximum: 1, default: 2 } }] }],
    ['UnknownMetric', 'metrics.cpuu', { ...base, metrics: { cpuu: series([1]) } }],
    ['SchemaViolation', 'metrics.cpu', { ...base, metrics: { cpu: 50 } }],
    ['SchemaViolation', 'metrics.cpu[0].t', { ...base, metrics: { cpu: [{ t: 'yesterday', v: 1 }] } }],
    ['SchemaViolation', 'step', { ...base, step: 'PT0S' }],
    ['SchemaViolation', 'step', { ...base, step: '1 minute' }],
    ['SchemaViolation', 'to', { ...base, from: at(5), to: at(1) }],
    ['SchemaViolation', 'from', { ...base, metrics: {} }],
    ['SchemaViolation', 'capacity', { ...base, capacity: -1 }],
    ['SchemaViolation', 'load.metric', { ...base, load: { series: series([1]), perInstance: 100, target: 50 } }],
    ['SchemaViolation', 'load.perInstance', { ...base, load: { series: series([1]), perInstance: 0, target: 50, metric: 'cpu' } }],
    ['UnknownMetric', 'load.metric', { ...base, load: { series: series([1]), perInstance: 1, target: 50, metric: 'mem' } }],
    ['SchemaViolation', '', { ...base, extra: true }],
  ])('%s at "%s"', (code, path, body) => {
    expect(bad(body)).toMatchObject({ code, path });
  });
});

// A history as it comes from Prometheus: /api/v1/query_range's matrix, `metricsFormat` naming the
// label that holds the target (src/service/simulate.ts, convertMetricsPayload as for evaluate).
describe('simulate: a Prometheus query_range payload as the history', () => {
  const cpu = [80, 80, 80, 50, 50, 20, 20, 20, 80, 50];
  const points = series(cpu) as Array<{ t: string; v: number }>;
  const matrix = (target: string, values: number[]) => ({
    metric: { __name__: 'app_cpu_percent', service: target, instance: '10.0.0.7:9100' },
    values: points.map((p, i) => [Date.parse(p.t) / 1000, String(values[i])]),
  });
  const payload = { status: 'success', data: { resultType: 'matrix', result: [matrix('web-1', cpu), matrix('web-2', cpu.map((v) => 100 - v))] } };
  const metricsFormat = { format: 'prometheus', targetLabel: 'service', metricNames: { app_cpu_percent: 'cpu' } };

  it('decides exactly as the same series sent natively', () => {
    const native = run({ ruleSets: [azureSet], capacity: 2, metrics: { cpu: points } });
    const fromPayload = run({ ruleSets: [azureSet], capacity: 2, target: 'web-1', metricsFormat, metricsPayload: payload });
    expect(fromPayload.results[0]!.summary).toEqual(native.results[0]!.summary);
    expect(fromPayload.results[0]!.summary.scaleEvents).toEqual({ out: 4, in: 3 });
    // The other target's series (100 − cpu) decide differently: the payload is read by target.
    const other = run({ ruleSets: [azureSet], capacity: 2, target: 'web-2', metricsFormat, metricsPayload: payload });
    expect(other.results[0]!.summary.scaleEvents).not.toEqual({ out: 4, in: 3 });
  });

  it('a payload series no rule set reads is ignored (as evaluate ignores it); the same name in `metrics` is refused', () => {
    const extra = { metric: { __name__: 'process_open_fds', service: 'web-1' }, values: points.map((p) => [Date.parse(p.t) / 1000, '42']) };
    const withExtra = { ...payload, data: { ...payload.data, result: [...payload.data.result, extra] } };
    const native = run({ ruleSets: [azureSet], capacity: 2, metrics: { cpu: points } });
    const fromPayload = run({ ruleSets: [azureSet], capacity: 2, target: 'web-1', metricsFormat, metricsPayload: withExtra });
    expect(fromPayload.results[0]!.summary).toEqual(native.results[0]!.summary);
    const typo = simulateRequest({ ruleSets: [azureSet], capacity: 2, metrics: { cpu: points, process_open_fds: points } }, resolveBundled);
    expect(typo).toMatchObject({ ok: false, error: { code: 'UnknownMetric', path: 'metrics.process_open_fds' } });
  });

  it('a payload without the target, or unreadable, is a 4xx-style MetricFormat error with its path', () => {
    const missing = simulateRequest({ ruleSets: [azureSet], capacity: 2, target: 'db-1', metricsFormat, metricsPayload: payload }, resolveBundled);
    expect(missing).toMatchObject({ ok: false, error: { code: 'MetricFormat', path: 'metricsPayload' } });
    const broken = simulateRequest({ ruleSets: [azureSet], capacity: 2, target: 'web-1', metricsFormat, metricsPayload: { status: 'success', data: { resultType: 'matrix', result: 7 } } }, resolveBundled);
    expect(broken).toMatchObject({ ok: false, error: { code: 'MetricFormat' } });
    expect((broken as { error: { path: string } }).error.path.startsWith('metricsPayload')).toBe(true);
  });
});
