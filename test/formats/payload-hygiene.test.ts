// Issue 17, item 1 (payload hygiene): series of a metrics payload that no rule reads are ignored and counted,
// not refused; a target the payload gave nothing gets a note; a target's own unknown metric is still refused.
import { describe, expect, it } from 'vitest';
import { evaluateBatch } from '../../src/service/batch.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { MIN, T0 } from '../helpers.js';

const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
const minutesBack = (n = 10) => Array.from({ length: n }, (_, i) => T0 - (n - 1 - i) * MIN);
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** What the OpenTelemetry JS SDK (sdk-metrics, OTLP/HTTP JSON exporter) POSTs for one service instance: the app's CPU gauge plus the runtime and HTTP metrics it always carries. */
function otlpResource(service: string, instance: string, cpu: number) {
  const times = minutesBack();
  return {
    resource: {
      attributes: [
        str('service.name', service),
        str('service.instance.id', instance),
        str('telemetry.sdk.language', 'nodejs'),
        str('telemetry.sdk.name', 'opentelemetry'),
        str('telemetry.sdk.version', '1.30.1'),
        str('host.name', `${instance}.internal`),
        str('process.runtime.name', 'nodejs'),
      ],
      droppedAttributesCount: 0,
    },
    scopeMetrics: [
      {
        scope: { name: 'web-app-metrics', version: '1.4.0' },
        metrics: [
          { name: 'app.cpu.percent', unit: '%', gauge: { dataPoints: times.map((t) => ({ attributes: [], timeUnixNano: nanos(t), asDouble: cpu })) } },
          {
            name: 'http.server.duration',
            description: 'Measures the duration of inbound HTTP requests.',
            unit: 'ms',
            histogram: {
              aggregationTemporality: 2,
              dataPoints: times.map((t) => ({
                attributes: [str('http.method', 'GET'), { key: 'http.status_code', value: { intValue: 200 } }],
                startTimeUnixNano: nanos(T0 - 3_600_000),
                timeUnixNano: nanos(t),
                count: 40,
                sum: 812.5,
                bucketCounts: [0, 10, 20, 10, 0],
                explicitBounds: [0, 5, 10, 25],
                min: 1.2,
                max: 24.9,
              })),
            },
          },
        ],
      },
      {
        scope: { name: '@opentelemetry/instrumentation-runtime-node', version: '0.12.0' },
        metrics: [
          {
            name: 'nodejs.eventloop.utilization',
            unit: '1',
            gauge: { dataPoints: times.map((t) => ({ attributes: [], startTimeUnixNano: nanos(T0 - 3_600_000), timeUnixNano: nanos(t), asDouble: 0.12 })) },
          },
          {
            name: 'v8js.memory.heap.used',
            unit: 'By',
            sum: {
              aggregationTemporality: 2,
              isMonotonic: false,
              dataPoints: times.map((t) => ({ attributes: [str('v8js.heap.space.name', 'new_space')], timeUnixNano: nanos(t), asInt: '1048576' })),
            },
          },
        ],
      },
    ],
  };
}

const OTLP_FORMAT = { format: 'otlp', targetLabel: 'service.name', metricNames: { 'app.cpu.percent': 'cpu' } };

describe('a real-looking OTLP export with metrics no rule reads', () => {
  const body = {
    now: new Date(T0).toISOString(),
    metricsFormat: OTLP_FORMAT,
    metricsPayload: { resourceMetrics: [otlpResource('web-a', 'web-a-0', 85), otlpResource('web-a', 'web-a-1', 85)] },
    targets: [
      { id: 'web-a', ruleSet: 'web-tier', capacity: 4 },
      { id: 'web-b', ruleSet: 'web-tier', capacity: 4 },
    ],
  };

  it('decides (it was a 422 UnknownMetric at targets[0].metrics.http.server.duration.avg) and counts every ignored series', async () => {
    const outcome = await evaluateBatch(structuredClone(body), resolveBundled, T0);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.results.map((r) => (r.ok ? r.decision.code : r.error.code))).toEqual(['ScaleOut', 'MissingDataNoScaleIn']);
    expect(JSON.stringify(outcome)).not.toContain('UnknownMetric');
    // 2 instances × 10 minutes each; a histogram point gives .count, .sum and .avg.
    expect(outcome.metrics?.ignored).toEqual([
      { target: 'web-a', metric: 'http.server.duration.avg', points: 20 },
      { target: 'web-a', metric: 'http.server.duration.count', points: 20 },
      { target: 'web-a', metric: 'http.server.duration.sum', points: 20 },
      { target: 'web-a', metric: 'nodejs.eventloop.utilization', points: 20 },
      { target: 'web-a', metric: 'v8js.memory.heap.used', points: 20 },
    ]);
    expect(outcome.metrics).toMatchObject({
      format: 'otlp',
      targets: ['web-a'],
      unknownTargets: [],
      targetsWithoutData: ['web-b'],
      unmatched: { points: 0, series: 0, reasons: [] },
    });
  });

  it('ignoring them changes nothing: the decision equals the one on the cpu series alone', async () => {
    const outcome = await evaluateBatch(structuredClone(body), resolveBundled, T0);
    const native = await evaluateBatch(
      {
        now: body.now,
        targets: [
          {
            id: 'web-a',
            ruleSet: 'web-tier',
            capacity: 4,
            metrics: {
              cpu: minutesBack().flatMap((t) => [
                { t, v: 85, instance: 'web-a-0' },
                { t, v: 85, instance: 'web-a-1' },
              ]),
            },
          },
        ],
      },
      resolveBundled,
      T0,
    );
    expect(outcome.ok && native.ok).toBe(true);
    if (!outcome.ok || !native.ok) return;
    expect(outcome.results[0]).toEqual(native.results[0]);
    expect(outcome.results[0]).not.toHaveProperty('notes');
  });

  it('the target the payload has no series for carries a NoPayloadData note; its decision is the ordinary one', async () => {
    const outcome = await evaluateBatch(structuredClone(body), resolveBundled, T0);
    const alone = await evaluateBatch({ now: body.now, targets: [{ id: 'web-b', ruleSet: 'web-tier', capacity: 4 }] }, resolveBundled, T0);
    expect(outcome.ok && alone.ok).toBe(true);
    if (!outcome.ok || !alone.ok) return;
    const [, b] = outcome.results;
    expect(b).toMatchObject({ index: 1, target: 'web-b', ok: true, notes: [{ code: 'NoPayloadData', message: expect.stringContaining('no series for this target') }] });
    if (!b!.ok || !alone.results[0]!.ok) throw new Error('not decided');
    // The notes are copied into the decision (what an actuator receives); the rest, its id included, is the ordinary decision.
    const { notes, ...decision } = b!.decision;
    expect(notes).toEqual(b!.notes);
    expect(decision).toEqual(alone.results[0]!.decision);
    expect(alone.results[0]!.decision).not.toHaveProperty('notes');
  });

  it("the decision's notes stay with trace: none; trace: summary leaves them to the entry's notes; a decision without notes has none", async () => {
    const { resultsAtTraceLevel } = await import('../../src/service/trace-level.js');
    const outcome = await evaluateBatch(structuredClone(body), resolveBundled, T0);
    if (!outcome.ok) throw new Error('batch refused');
    const [a, b] = resultsAtTraceLevel(outcome.results, 'none');
    expect(a!.ok && a!.decision).not.toHaveProperty('notes');
    expect(b!.ok && b!.decision).toMatchObject({ notes: [{ code: 'NoPayloadData' }] });
    const [, summary] = resultsAtTraceLevel(outcome.results, 'summary');
    expect(summary!.ok && summary!.decision).not.toHaveProperty('notes');
    expect(summary).toMatchObject({ notes: [{ code: 'NoPayloadData' }] });
  });

  it("a target's own metric no rule reads is still refused with UnknownMetric, whatever the payload carries", async () => {
    const withTypo = structuredClone(body);
    (withTypo.targets[0] as Record<string, unknown>).metrics = { cpu_percent: 85 };
    const outcome = await evaluateBatch(withTypo, resolveBundled, T0);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.results[0]).toMatchObject({ ok: false, error: { code: 'UnknownMetric', path: 'targets[0].metrics.cpu_percent' } });
    // Only the own typo is named, not the payload's extra series.
    expect(outcome.results[0]!.ok === false && outcome.results[0]!.error.issues).toBeFalsy();
    expect(outcome.metrics?.ignored).toEqual([]);
  });

  it("a payload series overridden by the target's own series of the same name is not ignored but counted OverriddenByTarget", async () => {
    const own = structuredClone(body);
    (own.targets[0] as Record<string, unknown>).metrics = { cpu: 20 };
    const outcome = await evaluateBatch(own, resolveBundled, T0);
    if (!outcome.ok) throw new Error('batch refused');
    expect(outcome.metrics?.ignored.map((i) => i.metric)).not.toContain('cpu');
    // The own 20 % decided (web-tier scales in below 30 %), not the payload's 85 %.
    expect(outcome.results[0]).toMatchObject({ ok: true, decision: { code: 'ScaleIn' } });
    // 2 instances × 10 minutes of the payload's cpu.
    expect(outcome.metrics?.unused).toEqual({
      points: 20,
      reasons: [{ code: 'OverriddenByTarget', reason: expect.stringContaining("target's own series is used"), count: 20, targets: ['web-a'] }],
    });
  });
});

describe('every point of a target the batch does not list is counted UnknownTarget', () => {
  it('two unknown targets: their points are counted, in the order of unknownTargets, after the decided targets\' reasons', async () => {
    const series = (service: string, n: number) => ({ metric: { __name__: 'cpu', service }, values: minutesBack(n).map((ms) => [ms / 1000, '50']) });
    const old = { metric: { __name__: 'cpu', service: 'web-a' }, values: [[(T0 - 60 * MIN) / 1000, '50']] };
    const outcome = await evaluateBatch(
      {
        now: new Date(T0).toISOString(),
        metricsFormat: { format: 'prometheus', targetLabel: 'service' },
        metricsPayload: { status: 'success', data: { resultType: 'matrix', result: [series('web-z', 4), series('web-a', 10), old, series('web-c', 3)] } },
        targets: [{ id: 'web-a', ruleSet: 'web-tier', capacity: 3 }],
      },
      resolveBundled,
      T0,
    );
    if (!outcome.ok) throw new Error('batch refused');
    expect(outcome.metrics?.unknownTargets).toEqual(['web-c', 'web-z']);
    expect(outcome.metrics?.unused).toEqual({
      points: 8,
      reasons: [
        { code: 'BeforeLookback', reason: expect.any(String), count: 1, targets: ['web-a'] },
        { code: 'UnknownTarget', reason: expect.stringContaining('unknownTargets'), count: 7, targets: ['web-c', 'web-z'] },
      ],
    });
  });
});

describe('Prometheus results whose mapping yields nothing for a target', () => {
  const t = T0 / 1000;
  const now = new Date(T0).toISOString();
  const targets = [
    { id: 'web-a', ruleSet: 'web-tier', capacity: 4 },
    { id: 'web-b', ruleSet: 'web-tier', capacity: 4 },
  ];

  it('`avg by (job)` removed the target label: every point unmatched, both targets get NoPayloadData', async () => {
    const outcome = await evaluateBatch(
      {
        now,
        metricsFormat: { format: 'prometheus', targetLabel: 'service', metric: 'cpu' },
        metricsPayload: { status: 'success', data: { resultType: 'vector', result: [{ metric: { job: 'node' }, value: [t, '91.2'] }] } },
        targets,
      },
      resolveBundled,
      T0,
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.metrics).toMatchObject({ targets: [], targetsWithoutData: ['web-a', 'web-b'], ignored: [], unmatched: { points: 1, series: 1 } });
    expect(outcome.results.map((r) => [r.ok && r.decision.code, r.ok && r.notes?.map((n) => n.code)])).toEqual([
      ['MissingDataNoScaleIn', ['NoPayloadData']],
      ['MissingDataNoScaleIn', ['NoPayloadData']],
    ]);
  });

  it('a multi-series result without metricNames: the unmapped names are ignored and the target says so (NoPayloadMetricRead)', async () => {
    const series = (name: string, service: string, pod: string, v: string) => ({
      metric: { __name__: name, service, pod, instance: '10.0.0.10:9100', job: 'web' },
      values: minutesBack().map((ms) => [ms / 1000, v]),
    });
    const outcome = await evaluateBatch(
      {
        now,
        metricsFormat: { format: 'prometheus', targetLabel: 'service', instanceLabel: 'pod', metricNames: { app_cpu_percent: 'cpu' } },
        metricsPayload: {
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [
              series('app_cpu_percent', 'web-a', 'web-a-0', '82'),
              series('http_server_active_requests', 'web-a', 'web-a-0', '412'),
              series('process_resident_memory_bytes', 'web-a', 'web-a-0', '1.2e8'),
              // web-b's CPU is exported under another name the mapping does not rename.
              series('container_cpu_usage_percent', 'web-b', 'web-b-0', '95'),
            ],
          },
        },
        targets,
      },
      resolveBundled,
      T0,
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.metrics?.ignored).toEqual([
      { target: 'web-a', metric: 'http_server_active_requests', points: 10 },
      { target: 'web-a', metric: 'process_resident_memory_bytes', points: 10 },
      { target: 'web-b', metric: 'container_cpu_usage_percent', points: 10 },
    ]);
    expect(outcome.metrics?.targetsWithoutData).toEqual([]);
    const [a, b] = outcome.results;
    expect(a).toMatchObject({ ok: true, decision: { code: 'ScaleOut' } });
    expect(a).not.toHaveProperty('notes');
    expect(b).toMatchObject({
      ok: true,
      decision: { code: 'MissingDataNoScaleIn' },
      notes: [{ code: 'NoPayloadMetricRead', message: expect.stringContaining('container_cpu_usage_percent') }],
    });
  });
});

// Issue 17, item 1: a documented clock-skew tolerance for points after `now`, and every unused point counted per reason.
describe('points after now and points no window reads', () => {
  const webTier = (id: string) => ({ id, ruleSet: 'web-tier', capacity: 3 });
  /** A Prometheus instant-query answer (resultType vector): one sample per service, stamped `at` (epoch seconds, fractional as Prometheus gives it). */
  const vector = (samples: Array<[service: string, at: number, v: string]>) => ({
    status: 'success',
    data: { resultType: 'vector', result: samples.map(([service, at, v]) => ({ metric: { __name__: 'app_cpu_percent', service, job: 'web' }, value: [at, v] })) },
  });
  const format = { format: 'prometheus', targetLabel: 'service', metricNames: { app_cpu_percent: 'cpu' } };

  it('an instant query stamped 87 ms after a whole-second now is used as a point at now (before: MissingDataNoScaleIn at 90 % CPU)', async () => {
    const outcome = await evaluateBatch(
      { now: new Date(T0).toISOString(), metricsFormat: format, metricsPayload: vector([['web-a', T0 / 1000 + 0.087, '90']]), targets: [webTier('web-a')] },
      resolveBundled,
      T0,
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.results[0]).toMatchObject({ ok: true, decision: { code: 'ScaleOut', from: 3, to: 4 } });
    expect(outcome.results[0]).not.toHaveProperty('notes');
    expect(outcome.metrics?.clockSkew).toEqual({ toleranceMs: 5000, points: 1 });
    expect(outcome.metrics?.unused).toEqual({ points: 0, reasons: [] });
  });

  it('the tolerance ends at 5 s: a sample 5 s after now is used, one 5.001 s after is AfterNow, and a target with nothing else gets NoPayloadPointUsable', async () => {
    const outcome = await evaluateBatch(
      {
        now: new Date(T0).toISOString(),
        metricsFormat: format,
        metricsPayload: vector([
          ['web-a', T0 / 1000 + 5, '90'],
          ['web-b', T0 / 1000 + 5.001, '90'],
        ]),
        targets: [webTier('web-a'), webTier('web-b')],
      },
      resolveBundled,
      T0,
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const [a, b] = outcome.results;
    expect(a).toMatchObject({ ok: true, decision: { code: 'ScaleOut' } });
    expect(b).toMatchObject({ ok: true, decision: { code: 'MissingDataNoScaleIn' }, notes: [{ code: 'NoPayloadPointUsable' }] });
    expect(outcome.metrics?.clockSkew.points).toBe(1);
    expect(outcome.metrics?.unused).toMatchObject({ points: 1, reasons: [{ code: 'AfterNow', count: 1, targets: ['web-b'] }] });
  });

  it('points older than the longest window of the rule set are counted BeforeLookback; points inside it are not', async () => {
    // web-tier's longest window is PT10M: of one point a minute over the last 30 minutes, 10 are read (t > now − 10 min).
    const values = Array.from({ length: 30 }, (_, i) => [(T0 - (29 - i) * MIN) / 1000, '50']);
    const outcome = await evaluateBatch(
      {
        now: new Date(T0).toISOString(),
        metricsFormat: format,
        metricsPayload: { status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'app_cpu_percent', service: 'web-a' }, values }] } },
        targets: [webTier('web-a')],
      },
      resolveBundled,
      T0,
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.results[0]).toMatchObject({ ok: true, decision: { code: 'NoRuleFired' } });
    expect(outcome.results[0]).not.toHaveProperty('notes');
    expect(outcome.metrics?.unused).toMatchObject({ points: 20, reasons: [{ code: 'BeforeLookback', count: 20, targets: ['web-a'] }] });
  });

  it("a target's own series gets the same tolerance: a point 2 s after now decides, one 6 s after does not", async () => {
    const decideWith = async (offsetMs: number) => {
      const outcome = await evaluateBatch(
        { now: new Date(T0).toISOString(), targets: [{ ...webTier('web-a'), metrics: { cpu: [{ t: T0 + offsetMs, v: 90 }] } }] },
        resolveBundled,
        T0,
      );
      if (!outcome.ok) throw new Error('batch refused');
      return (outcome.results[0] as { decision: { code: string } }).decision.code;
    };
    expect(await decideWith(2_000)).toBe('ScaleOut');
    expect(await decideWith(6_000)).toBe('MissingDataNoScaleIn');
  });
});

// Issue 17, item 1: "error paths point into metricsPayload". A payload time before 1973-03-03 used to pass the
// conversion and be refused by the native series check, at targets[0].metrics.cpu.t[0] (not in the request)
// with "looks like epoch seconds: multiply by 1000" (wrong: the format fixes the unit).
describe('payload times outside what a series holds are refused at their path in metricsPayload', () => {
  const now = new Date(T0).toISOString();
  const targets = [{ id: 'web-a', ruleSet: 'web-tier', capacity: 3 }];
  const errorOf = async (metricsFormat: Record<string, unknown>, metricsPayload: unknown) => {
    const outcome = await evaluateBatch({ now, metricsFormat, metricsPayload, targets }, resolveBundled, T0);
    if (outcome.ok) throw new Error(`expected a MetricFormat error, got ${JSON.stringify(outcome.results)}`);
    expect(JSON.stringify(outcome.error)).not.toMatch(/targets\[0\]|multiply by 1000/);
    return outcome.error;
  };
  const prometheus = (at: number) => ({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'cpu', service: 'web-a' }, value: [at, '1'] }] } });
  const PROM = { format: 'prometheus', targetLabel: 'service' };

  it('Prometheus [-5, "1"]: 1969-12-31T23:59:55Z, before the earliest time', async () => {
    expect(await errorOf(PROM, prometheus(-5))).toEqual({
      code: 'MetricFormat',
      path: 'metricsPayload.data.result[0].value[0]',
      message:
        "the sample time -5 (Unix seconds) is 1969-12-31T23:59:55Z, before 1973-03-03T09:46:40Z, the earliest time a metric series may hold; check the query's time range (start, end, time)",
    });
  });

  it('Prometheus: the earliest time itself (1e8 s) is accepted, 1 ms before it is not', async () => {
    const ok = await evaluateBatch({ now, metricsFormat: PROM, metricsPayload: prometheus(1e8), targets }, resolveBundled, T0);
    expect(ok.ok && ok.metrics?.unused).toMatchObject({ points: 1, reasons: [{ code: 'BeforeLookback', count: 1 }] });
    expect((await errorOf(PROM, prometheus(99_999_999.999))).path).toBe('metricsPayload.data.result[0].value[0]');
  });

  it('Prometheus: a time after year 9999 is refused at its path (it was "expected an ISO 8601 timestamp" at targets[0].metrics.cpu.t[0])', async () => {
    const error = await errorOf(PROM, prometheus(253_402_300_800));
    expect(error).toMatchObject({ path: 'metricsPayload.data.result[0].value[0]', message: expect.stringContaining('is +010000-01-01T00:00:00Z, after 9999-12-31T23:59:59.999Z') });
  });

  it('OTLP timeUnixNano "1000000000" (one second, not 2001): the hint names nanoseconds', async () => {
    const payload = {
      resourceMetrics: [
        {
          resource: { attributes: [str('service.name', 'web-a')] },
          scopeMetrics: [{ metrics: [{ name: 'cpu', gauge: { dataPoints: [{ timeUnixNano: nanos(T0), asDouble: 1 }, { timeUnixNano: '1000000000', asDouble: 1 }] } }] }],
        },
      ],
    };
    const error = await errorOf({ format: 'otlp', targetLabel: 'service.name' }, payload);
    expect(error).toMatchObject({
      code: 'MetricFormat',
      path: 'metricsPayload.resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[1].timeUnixNano',
      message: expect.stringMatching(/^timeUnixNano "1000000000" is 1970-01-01T00:00:01Z, before 1973-03-03T09:46:40Z.*nanoseconds since 1970/),
    });
  });

  it('Azure Monitor timeStamp in 1971', async () => {
    const payload = {
      value: [
        {
          id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/web-a/providers/Microsoft.Insights/metrics/Percentage CPU',
          name: { value: 'Percentage CPU' },
          timeseries: [{ metadatavalues: [], data: [{ timeStamp: '1971-06-01T00:00:00Z', average: 50 }] }],
        },
      ],
    };
    const error = await errorOf({ format: 'azureMonitor', targetLabel: '@resource', metricNames: { 'Percentage CPU': 'cpu' } }, payload);
    expect(error).toEqual({
      code: 'MetricFormat',
      path: 'metricsPayload.value[0].timeseries[0].data[0].timeStamp',
      message: 'timeStamp "1971-06-01T00:00:00Z" is 1971-06-01T00:00:00Z, before 1973-03-03T09:46:40Z, the earliest time a metric series may hold',
    });
  });
});
