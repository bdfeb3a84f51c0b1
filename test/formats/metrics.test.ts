// Metric format converters: OTLP/JSON, Prometheus HTTP API and Azure Monitor Metrics - List payloads into native series.
//
// Payloads are written as each source really sends them: OTLP per opentelemetry-proto docs/specification.md
// ("JSON Protobuf Encoding") and examples/metrics.json; Prometheus per docs/querying/api.md ("Expression query
// result formats" and its `up` examples); Azure per azure-rest-api-specs monitor 2018-01-01 metrics_API.json and
// its examples GetMetric.json and GetMetricError.json. Those published examples are read from
// fixtures/metrics/ (source, commit and licence in its README.md).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import {
  convertMetrics,
  FORMAT_LIMITS,
  prefixPath,
  type ConvertMetricsInput,
  type ConvertMetricsResult,
  type NativePoint,
  type UnmatchedCode,
} from '../../src/formats/metrics.js';
import { MetricFormatOptions } from '../../src/schemas/metric-formats.js';
import { compile, metricRule, MIN, ruleSet, T0 } from '../helpers.js';

type Targets = Record<string, Record<string, NativePoint[]>>;

/** A payload of fixtures/metrics/ as the tests use it: parsed JSON (typed loosely; spreading and indexing it is the point). */
 
const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`fixtures/metrics/${name}`, import.meta.url), 'utf8'));
/** An azure-rest-api-specs example file: the response body of its 200. */
 
const azureExample = (name: string): any => fixture(name).responses['200'].body;

function converted(input: ConvertMetricsInput): Extract<ConvertMetricsResult, { ok: true }> {
  const r = convertMetrics(input);
  if (!r.ok) throw new Error(`unexpected issues: ${JSON.stringify(r.issues)}`);
  return r;
}

function issuesOf(input: ConvertMetricsInput) {
  const r = convertMetrics(input);
  if (r.ok) throw new Error(`expected issues, got ${JSON.stringify(r)}`);
  return r.issues;
}

const NONE = { points: 0, series: 0, reasons: [] };
/** "2026-11-22T10:21:00Z", as Azure writes timestamps (no milliseconds). */
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
const SUBSCRIPTION = '/subscriptions/b324c52b-4073-4807-93af-e07d289c093e/resourceGroups/rg-web/providers';

// ---------------------------------------------------------------------------------------------
// One canonical dataset, rendered by hand into each format.

interface Sample {
  target: string;
  instance: string;
  metric: 'cpu' | 'requests';
  t: number;
  v: number;
}

const TARGETS = ['web-a', 'web-b', 'web-c'] as const;
const CPU_BASE = { 'web-a': 80, 'web-b': 20, 'web-c': 50 } as const;
const REQUEST_BASE = { 'web-a': 400, 'web-b': 40, 'web-c': 150 } as const;
const MINUTES = 10;

/** 3 targets × 2 instances × 10 one-minute points of cpu (fractional) and requests (integer), ending at T0. */
const CANONICAL: Sample[] = TARGETS.flatMap((target) =>
  [0, 1].flatMap((i) =>
    Array.from({ length: MINUTES }, (_, m) => {
      const t = T0 - (MINUTES - 1 - m) * MIN;
      const instance = `${target}-${i}`;
      return [
        { target, instance, metric: 'cpu' as const, t, v: CPU_BASE[target] + 3 * i + [0, 0.5, 1.25][m % 3]! },
        { target, instance, metric: 'requests' as const, t, v: REQUEST_BASE[target] + 7 * m + i },
      ];
    }).flat(),
  ),
);

const group = <K extends string>(xs: Sample[], key: (s: Sample) => K) => {
  const out = new Map<K, Sample[]>();
  for (const s of xs) out.set(key(s), [...(out.get(key(s)) ?? []), s]);
  return out;
};

/** The native series a caller would send for the canonical data: sorted by time, then instance. */
function nativeTargets(samples: Sample[], t: (ms: number) => number | string = (ms) => ms): Record<string, Record<string, Array<{ t: number | string; v: number; instance: string }>>> {
  const out: Record<string, Record<string, Array<{ t: number | string; v: number; instance: string }>>> = {};
  for (const [target, rows] of group(samples, (s) => s.target)) {
    out[target] = {};
    for (const [metric, points] of group(rows, (s) => s.metric)) {
      out[target]![metric] = [...points]
        .sort((a, b) => a.t - b.t || (a.instance < b.instance ? -1 : a.instance > b.instance ? 1 : 0))
        .map((p) => ({ t: t(p.t), v: p.v, instance: p.instance }));
    }
  }
  return out;
}

/** OTLP/JSON: one ResourceMetrics per instance (service.name = target, service.instance.id = instance). */
function toOtlp(samples: Sample[]): unknown {
  const start = T0 - 3_600_000;
  return {
    resourceMetrics: [...group(samples, (s) => `${s.target}/${s.instance}`).values()].map((rows) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: rows[0]!.target } },
          { key: 'service.instance.id', value: { stringValue: rows[0]!.instance } },
          { key: 'telemetry.sdk.language', value: { stringValue: 'nodejs' } },
        ],
      },
      scopeMetrics: [
        {
          scope: { name: 'web-app-metrics', version: '1.4.0' },
          metrics: [
            {
              name: 'app.cpu.percent',
              unit: '%',
              description: 'CPU used by the process',
              gauge: {
                dataPoints: rows.filter((s) => s.metric === 'cpu').map((s) => ({ timeUnixNano: nanos(s.t), asDouble: s.v })),
              },
            },
            {
              name: 'http.server.active_requests',
              unit: '{request}',
              // An UpDownCounter: a cumulative, non-monotonic sum whose int64 values are strings in OTLP/JSON.
              sum: {
                aggregationTemporality: 2,
                isMonotonic: false,
                dataPoints: rows
                  .filter((s) => s.metric === 'requests')
                  .map((s) => ({ startTimeUnixNano: nanos(start), timeUnixNano: nanos(s.t), asInt: String(s.v) })),
              },
            },
          ],
        },
      ],
    })),
  };
}

/** /api/v1/query_range of {__name__=~"app_cpu_percent|http_server_active_requests"}: a matrix. */
function toPrometheus(samples: Sample[]): unknown {
  const names = { cpu: 'app_cpu_percent', requests: 'http_server_active_requests' } as const;
  return {
    status: 'success',
    data: {
      resultType: 'matrix',
      result: [...group(samples, (s) => `${s.metric}/${s.target}/${s.instance}`).values()].map((rows, i) => ({
        metric: {
          __name__: names[rows[0]!.metric],
          job: 'kubernetes-pods',
          instance: `10.0.0.${i + 10}:9100`,
          namespace: 'prod',
          service: rows[0]!.target,
          pod: rows[0]!.instance,
        },
        values: rows.map((s) => [s.t / 1000, String(s.v)]),
      })),
    },
  };
}

/** One Metrics - List response per scale set ($filter=VMName eq '*'), as an array. */
function toAzure(samples: Sample[]): unknown {
  const names = { cpu: ['Percentage CPU', 'Percent'], requests: ['Inbound Flows', 'Count'] } as const;
  return [...group(samples, (s) => s.target)].map(([target, rows]) => ({
    cost: 0,
    timespan: `${iso(T0 - (MINUTES - 1) * MIN)}/${iso(T0 + MIN)}`,
    interval: 'PT1M',
    namespace: 'Microsoft.Compute/virtualMachineScaleSets',
    resourceregion: 'westeurope',
    value: [...group(rows, (s) => s.metric)].map(([metric, points]) => ({
      id: `${SUBSCRIPTION}/Microsoft.Compute/virtualMachineScaleSets/${target}/providers/Microsoft.Insights/metrics/${names[metric][0]}`,
      type: 'Microsoft.Insights/metrics',
      name: { value: names[metric][0], localizedValue: names[metric][0] },
      unit: names[metric][1],
      timeseries: [...group(points, (s) => s.instance)].map(([instance, series]) => ({
        // Azure answers with lower-cased dimension names whatever case the $filter used.
        metadatavalues: [{ name: { value: 'vmname', localizedValue: 'vmname' }, value: instance }],
        data: series.map((s) => ({ timeStamp: iso(s.t), average: s.v })),
      })),
      errorCode: 'Success',
    })),
  }));
}

const FORMATS: Array<{ name: string; input: ConvertMetricsInput }> = [
  {
    name: 'OTLP/JSON (target = resource attribute service.name, default instance service.instance.id)',
    input: {
      format: 'otlp',
      payload: toOtlp(CANONICAL),
      targetLabel: 'service.name',
      metricNames: { 'app.cpu.percent': 'cpu', 'http.server.active_requests': 'requests' },
    },
  },
  {
    name: 'Prometheus query_range matrix (target = label service, instance = label pod)',
    input: {
      format: 'prometheus',
      payload: toPrometheus(CANONICAL),
      targetLabel: 'service',
      instanceLabel: 'pod',
      metricNames: { app_cpu_percent: 'cpu', http_server_active_requests: 'requests' },
    },
  },
  {
    name: 'Azure Monitor Metrics - List per scale set (target = @resource, default instance VMName)',
    input: {
      format: 'azureMonitor',
      payload: toAzure(CANONICAL),
      targetLabel: '@resource',
      metricNames: { 'Percentage CPU': 'cpu', 'Inbound Flows': 'requests' },
    },
  },
];

const RULES = compile(
  ruleSet([
    metricRule('cpu-high', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 1 }),
    metricRule('cpu-low', 'in', 'LessThan', 30, { type: 'ChangeCount', value: 1 }),
  ]),
);
// Averages over the 10-minute window follow from CPU_BASE: web-a ≈ 82 (> 70), web-b ≈ 22 (< 30), web-c ≈ 52.
const EXPECTED_ACTION = { 'web-a': 'scaleOut', 'web-b': 'scaleIn', 'web-c': 'none' } as const;

async function decisions(targets: Record<string, Record<string, unknown>>) {
  return Promise.all(
    TARGETS.map((id) => decide(RULES, { id, capacity: 2, metrics: targets[id] as Record<string, NativePoint[]> }, T0)),
  );
}

describe('the same data in four formats gives the same native series and the same decisions', () => {
  it.each(FORMATS)('$name converts back to the native series of the canonical dataset', ({ input }) => {
    const r = converted(input);
    expect(r.targets).toEqual(nativeTargets(CANONICAL));
    expect(r.unmatched).toEqual(NONE);
  });

  it.each(FORMATS)('$name decides exactly as native epoch-ms points do (same decision id)', async ({ input }) => {
    const native = await decisions(nativeTargets(CANONICAL));
    expect(native.map((d) => d.action)).toEqual(TARGETS.map((t) => EXPECTED_ACTION[t]));
    expect(await decisions(converted(input).targets)).toEqual(native);
  });

  it.each(FORMATS)('$name decides as native ISO-timestamp points do (all but the input hash)', async ({ input }) => {
    const withoutId = (ds: Awaited<ReturnType<typeof decisions>>) => ds.map(({ decisionId: _, ...d }) => d);
    const native = await decisions(nativeTargets(CANONICAL, iso));
    expect(withoutId(await decisions(converted(input).targets))).toEqual(withoutId(native));
  });

  it.each(FORMATS)('$name gives the same output when the payload lists series in reverse order', ({ input }) => {
    const reversed = [...CANONICAL].reverse();
    const payload = { otlp: toOtlp, prometheus: toPrometheus, azureMonitor: toAzure }[input.format](reversed);
    expect(converted({ ...input, payload }).targets).toEqual(converted(input).targets);
  });
});

// ---------------------------------------------------------------------------------------------
// OTLP specifics

/** opentelemetry-proto examples/metrics.json as published (fixtures/metrics/README.md): int64 fields as decimal strings. */
const OTLP_SPEC_EXAMPLE = fixture('otlp-metrics.json');
const SPEC_T = 1544712660300; // 1544712660300000000 ns

/** One OTLP metric on one resource, for the small cases below. */
function otlpMetric(metric: Record<string, unknown>, resourceAttrs: unknown[] = [{ key: 'service.name', value: { stringValue: 'checkout' } }]) {
  return { resourceMetrics: [{ resource: { attributes: resourceAttrs }, scopeMetrics: [{ scope: { name: 'test' }, metrics: [metric] }] }] };
}
const otlp = (payload: unknown, extra: Partial<ConvertMetricsInput> = {}): ConvertMetricsInput => ({
  format: 'otlp',
  payload,
  targetLabel: 'service.name',
  ...extra,
});
const T1 = T0 - MIN;

describe('OTLP/JSON (opentelemetry-proto metrics.proto and the JSON Protobuf Encoding)', () => {
  it('reads examples/metrics.json: sum and gauge as sent, each histogram as .count, .sum and .avg', () => {
    expect(converted(otlp(OTLP_SPEC_EXAMPLE)).targets).toEqual({
      'my.service': {
        'my.counter': [{ t: SPEC_T, v: 5 }],
        'my.gauge': [{ t: SPEC_T, v: 10 }],
        // count "2" (a decimal string, as the JSON encoding writes int64), sum 2.
        'my.histogram.count': [{ t: SPEC_T, v: 2 }],
        'my.histogram.sum': [{ t: SPEC_T, v: 2 }],
        'my.histogram.avg': [{ t: SPEC_T, v: 1 }],
        'my.exponential.histogram.count': [{ t: SPEC_T, v: 3 }],
        'my.exponential.histogram.sum': [{ t: SPEC_T, v: 10 }],
        'my.exponential.histogram.avg': [{ t: SPEC_T, v: 10 / 3 }],
      },
    });
  });

  interface IntCase {
    name: string;
    asInt: unknown;
    expected: number;
  }
  // "64-bit integer numbers in JSON-encoded payloads are encoded as decimal strings, and either numbers or
  // strings are accepted when decoding" (specification.md, JSON Protobuf Encoding).
  it.each<IntCase>([
    { name: 'a decimal string (the OTLP/JSON form)', asInt: '42', expected: 42 },
    { name: 'a negative decimal string (sfixed64)', asInt: '-7', expected: -7 },
    { name: 'a JSON number (also accepted when decoding)', asInt: 42, expected: 42 },
    { name: 'a string above 2^53, rounded to the nearest double', asInt: '9007199254740993', expected: 9007199254740992 },
  ])('asInt as $name', ({ asInt, expected }) => {
    const payload = otlpMetric({ name: 'queue.depth', gauge: { dataPoints: [{ timeUnixNano: nanos(T0), asInt }] } });
    expect(converted(otlp(payload)).targets).toEqual({ checkout: { 'queue.depth': [{ t: T0, v: expected }] } });
  });

  it('timeUnixNano as a string and as a number give the same epoch ms, sub-millisecond nanos truncated', () => {
    const point = (timeUnixNano: unknown) => otlpMetric({ name: 'g', gauge: { dataPoints: [{ timeUnixNano, asDouble: 1 }] } });
    const asString = converted(otlp(point('1544712660300999999'))).targets;
    expect(asString).toEqual({ checkout: { g: [{ t: SPEC_T, v: 1 }] } });
    expect(converted(otlp(point(1544712660300000000))).targets).toEqual(asString);
  });

  it('asDouble as a decimal string is read (proto3 JSON accepts strings for doubles)', () => {
    const payload = otlpMetric({ name: 'g', gauge: { dataPoints: [{ timeUnixNano: nanos(T0), asDouble: '12.5' }] } });
    expect(converted(otlp(payload)).targets).toEqual({ checkout: { g: [{ t: T0, v: 12.5 }] } });
  });

  interface HistogramCase {
    name: string;
    kind: 'histogram' | 'exponentialHistogram' | 'summary';
    point: Record<string, unknown>;
    metricNames?: Record<string, string>;
    expected: Record<string, NativePoint[]>;
    unmatched: Array<{ code: UnmatchedCode; count: number }>;
  }
  it.each<HistogramCase>([
    {
      name: 'a histogram expands to .count, .sum and .avg = sum / count (count as an OTLP/JSON string)',
      kind: 'histogram',
      point: { timeUnixNano: nanos(T0), count: '4', sum: 1.5, bucketCounts: ['1', '3'], explicitBounds: [0.25] },
      expected: { 'http.server.duration.count': [{ t: T0, v: 4 }], 'http.server.duration.sum': [{ t: T0, v: 1.5 }], 'http.server.duration.avg': [{ t: T0, v: 0.375 }] },
      unmatched: [],
    },
    {
      name: 'a rename of the base name keeps the suffixes',
      kind: 'histogram',
      point: { timeUnixNano: nanos(T0), count: '4', sum: 1.5 },
      metricNames: { 'http.server.duration': 'latency' },
      expected: { 'latency.count': [{ t: T0, v: 4 }], 'latency.sum': [{ t: T0, v: 1.5 }], 'latency.avg': [{ t: T0, v: 0.375 }] },
      unmatched: [],
    },
    {
      name: 'a rename of a derived name wins over the base name',
      kind: 'histogram',
      point: { timeUnixNano: nanos(T0), count: '4', sum: 1.5 },
      metricNames: { 'http.server.duration.avg': 'latency' },
      expected: { 'http.server.duration.count': [{ t: T0, v: 4 }], 'http.server.duration.sum': [{ t: T0, v: 1.5 }], latency: [{ t: T0, v: 0.375 }] },
      unmatched: [],
    },
    {
      name: 'a histogram without `sum` (optional double: unknown) gives .count only, two points unmatched',
      kind: 'histogram',
      point: { timeUnixNano: nanos(T0), count: '4' },
      expected: { 'http.server.duration.count': [{ t: T0, v: 4 }] },
      unmatched: [{ code: 'NoHistogramSum', count: 2 }],
    },
    {
      name: 'a histogram with `count` omitted (fixed64 0 is left out) has no average',
      kind: 'histogram',
      point: { timeUnixNano: nanos(T0), sum: 0 },
      expected: { 'http.server.duration.count': [{ t: T0, v: 0 }], 'http.server.duration.sum': [{ t: T0, v: 0 }] },
      unmatched: [{ code: 'EmptyHistogram', count: 1 }],
    },
    {
      name: 'an exponential histogram expands the same way',
      kind: 'exponentialHistogram',
      point: { timeUnixNano: nanos(T0), count: '2', sum: 0.5, scale: 3, zeroCount: '0', positive: { offset: 1, bucketCounts: ['2'] } },
      expected: { 'http.server.duration.count': [{ t: T0, v: 2 }], 'http.server.duration.sum': [{ t: T0, v: 0.5 }], 'http.server.duration.avg': [{ t: T0, v: 0.25 }] },
      unmatched: [],
    },
    {
      name: 'a summary whose `sum` is 0 and therefore omitted (plain double) has sum 0',
      kind: 'summary',
      point: { timeUnixNano: nanos(T0), count: '5', quantileValues: [{ quantile: 0.5, value: 0 }] },
      expected: { 'http.server.duration.count': [{ t: T0, v: 5 }], 'http.server.duration.sum': [{ t: T0, v: 0 }], 'http.server.duration.avg': [{ t: T0, v: 0 }] },
      unmatched: [],
    },
  ])('$name', ({ kind, point, metricNames, expected, unmatched }) => {
    const payload = otlpMetric({ name: 'http.server.duration', unit: 's', [kind]: { aggregationTemporality: 2, dataPoints: [point] } });
    const r = converted(otlp(payload, metricNames ? { metricNames } : {}));
    expect(r.targets).toEqual({ checkout: expected });
    expect(r.unmatched.reasons.map(({ code, count }) => ({ code, count }))).toEqual(unmatched);
  });

  it('looks for the target in the data point attributes first, then the resource; intValue attributes read as decimals', () => {
    const payload = otlpMetric(
      {
        name: 'g',
        gauge: {
          dataPoints: [
            { timeUnixNano: nanos(T0), asDouble: 1, attributes: [{ key: 'k8s.deployment.name', value: { stringValue: 'web-canary' } }] },
            { timeUnixNano: nanos(T0), asDouble: 2 },
            { timeUnixNano: nanos(T0), asDouble: 3, attributes: [{ key: 'k8s.deployment.name', value: { intValue: '7' } }] },
          ],
        },
      },
      [
        { key: 'k8s.deployment.name', value: { stringValue: 'web' } },
        // An empty service.instance.id names nothing: the instance falls back to host.name.
        { key: 'service.instance.id', value: { stringValue: '' } },
        { key: 'host.name', value: { stringValue: 'node-3' } },
      ],
    );
    expect(converted(otlp(payload, { targetLabel: 'k8s.deployment.name' })).targets).toEqual({
      'web-canary': { g: [{ t: T0, v: 1, instance: 'node-3' }] },
      web: { g: [{ t: T0, v: 2, instance: 'node-3' }] },
      '7': { g: [{ t: T0, v: 3, instance: 'node-3' }] },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Prometheus specifics

/** docs/querying/api.md, Instant queries: `up` at 2015-07-01T20:10:51.781Z (fixtures/metrics/README.md). */
const PROM_VECTOR = fixture('prometheus-query-up.json');
/** docs/querying/api.md, Range queries: `up` over 30 s at a 15 s step. */
const PROM_MATRIX = fixture('prometheus-query-range-up.json');
const prom = (payload: unknown, extra: Partial<ConvertMetricsInput> = {}): ConvertMetricsInput => ({
  format: 'prometheus',
  payload,
  targetLabel: 'job',
  ...extra,
});
const UP_AT = Date.parse('2015-07-01T20:10:51.781Z');

describe('Prometheus HTTP API results (docs/querying/api.md)', () => {
  it('a vector gives one point per series at its evaluation time, instance from the `instance` label', () => {
    expect(converted(prom(PROM_VECTOR)).targets).toEqual({
      prometheus: { up: [{ t: UP_AT, v: 1, instance: 'localhost:9090' }] },
      node: { up: [{ t: UP_AT, v: 0, instance: 'localhost:9100' }] },
    });
  });

  it('a matrix gives every sample of every series, seconds turned into exact milliseconds', () => {
    const at = (iso8601: string) => Date.parse(iso8601);
    expect(converted(prom(PROM_MATRIX)).targets).toEqual({
      prometheus: {
        up: ['2015-07-01T20:10:30.781Z', '2015-07-01T20:10:45.781Z', '2015-07-01T20:11:00.781Z'].map((t) => ({ t: at(t), v: 1, instance: 'localhost:9090' })),
      },
      node: {
        up: [
          { t: at('2015-07-01T20:10:30.781Z'), v: 0, instance: 'localhost:9091' },
          { t: at('2015-07-01T20:10:45.781Z'), v: 0, instance: 'localhost:9091' },
          { t: at('2015-07-01T20:11:00.781Z'), v: 1, instance: 'localhost:9091' },
        ],
      },
    });
  });

  it('seconds whose ×1000 is inexact in floating point still give the milliseconds written (1089039920.205 s)', () => {
    // 1089039920.205 * 1000 === 1089039920204.9999 in IEEE doubles; the API means millisecond 1089039920205.
    const payload = { status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'api' }, value: [1089039920.205, '3'] }] } };
    expect(converted(prom(payload)).targets).toEqual({ api: { up: [{ t: 1089039920205, v: 3 }] } });
  });

  it('`metric` names series of an expression result, which has no __name__', () => {
    const payload = {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: { job: 'api' }, value: [T0 / 1000, '0.82'] }] },
    };
    expect(converted(prom(payload, { metric: 'cpu' })).targets).toEqual({ api: { cpu: [{ t: T0, v: 0.82 }] } });
  });

  it('`metric` overrides __name__ and metricNames renames __name__ when `metric` is absent', () => {
    expect(Object.keys(converted(prom(PROM_VECTOR, { metric: 'availability' })).targets.node!)).toEqual(['availability']);
    expect(Object.keys(converted(prom(PROM_VECTOR, { metricNames: { up: 'alive' } })).targets.node!)).toEqual(['alive']);
  });

  interface EnvelopeCase {
    name: string;
    payload: unknown;
    path: string;
    message: RegExp;
  }
  it.each<EnvelopeCase>([
    {
      name: 'status "error" is an issue carrying errorType and error',
      payload: { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:5: parse error' },
      path: 'status',
      message: /bad_data.*parse error/,
    },
    {
      name: 'a scalar has no labels to find a target in',
      payload: { status: 'success', data: { resultType: 'scalar', result: [1435781451.781, '1'] } },
      path: 'data.resultType',
      message: /scalar.*no labels/,
    },
    {
      name: 'a string result is refused the same way',
      payload: { status: 'success', data: { resultType: 'string', result: [1435781451.781, 'hello'] } },
      path: 'data.resultType',
      message: /string.*no labels/,
    },
  ])('$name', ({ payload, path, message }) => {
    const issues = issuesOf(prom(payload));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'MetricFormat', path });
    expect(issues[0]!.message).toMatch(message);
  });
});

// ---------------------------------------------------------------------------------------------
// Azure Monitor specifics

/** azure-rest-api-specs 2018-01-01 examples/GetMetric.json (BlobCapacity, aggregation=Average,count, $filter=BlobType eq '*'): the 200 body. */
const AZURE_GET_METRIC = azureExample('GetMetric.json');
/** examples/GetMetricError.json: the first metric failed, the second came back. */
const AZURE_GET_METRIC_ERROR = azureExample('GetMetricError.json');
const azure = (payload: unknown, extra: Partial<ConvertMetricsInput> = {}): ConvertMetricsInput => ({
  format: 'azureMonitor',
  payload,
  targetLabel: 'BlobType', // as the $filter wrote it; the response says "blobtype"
  ...extra,
});
const MINUTE = (m: number) => Date.parse(`2017-04-14T02:2${m}:00Z`);

describe('Azure Monitor Metrics - List (2018-01-01)', () => {
  interface AggregationCase {
    aggregation: 'average' | 'count' | 'maximum' | undefined;
    expected: Targets;
    missing: number;
  }
  it.each<AggregationCase>([
    {
      // GetMetric.json: only the 02:23 grain had a sample, so only it carries `average`.
      aggregation: undefined,
      expected: { PageBlob: { BlobCapacity: [{ t: MINUTE(3), v: 0 }] }, BlockBlob: { BlobCapacity: [{ t: MINUTE(3), v: 245 }] } },
      missing: 6,
    },
    {
      aggregation: 'count',
      expected: {
        PageBlob: { BlobCapacity: [0, 0, 0, 1].map((v, m) => ({ t: MINUTE(m), v })) },
        BlockBlob: { BlobCapacity: [0, 0, 0, 1].map((v, m) => ({ t: MINUTE(m), v })) },
      },
      missing: 0,
    },
    { aggregation: 'maximum', expected: {}, missing: 8 },
  ])('aggregation $aggregation picks that field; points without it are counted as MissingAggregation ($missing)', ({ aggregation, expected, missing }) => {
    const r = converted(azure(AZURE_GET_METRIC, aggregation ? { aggregation } : {}));
    expect(r.targets).toEqual(expected);
    expect(r.unmatched).toEqual(
      missing === 0 ? NONE : { points: missing, series: 2, reasons: [{ code: 'MissingAggregation', reason: expect.any(String), count: missing }] },
    );
  });

  it('a metric whose errorCode is not "Success" is an issue at its errorCode, with Azure\'s message (GetMetricError.json)', () => {
    const issues = issuesOf(azure(AZURE_GET_METRIC_ERROR, { targetLabel: '@resource' }));
    expect(issues).toEqual([{ code: 'MetricFormat', path: 'value[0].errorCode', message: expect.stringContaining('InvalidSamplingType') }]);
  });

  it('dimension names compare case-insensitively whichever side is capitalised', () => {
    const series = (name: string) => ({
      value: [
        {
          ...AZURE_GET_METRIC.value[0],
          timeseries: [{ metadatavalues: [{ name: { value: name }, value: 'vmss_3' }, { name: { value: 'blobtype' }, value: 'PageBlob' }], data: [{ timeStamp: '2017-04-14T02:23:00Z', average: 7 }] }],
        },
      ],
    });
    const expected = { PageBlob: { BlobCapacity: [{ t: MINUTE(3), v: 7, instance: 'vmss_3' }] } };
    expect(converted(azure(series('VMName'))).targets).toEqual(expected);
    expect(converted(azure(series('vmname'))).targets).toEqual(expected);
    expect(converted(azure(series('VMNAME'), { instanceLabel: 'vmName' })).targets).toEqual(expected);
  });

  it('@resource takes the target from the resource name in the metric id', () => {
    const ok = { ...AZURE_GET_METRIC_ERROR, value: [AZURE_GET_METRIC_ERROR.value[1]] };
    expect(converted(azure(ok, { targetLabel: '@resource' })).targets).toEqual({
      'tk-cosmos-mongo': { MongoRequests: [{ t: Date.parse('2021-06-07T21:51:00Z'), v: 0 }] },
    });
  });

  it('an ARM error body is an issue, not an empty result', () => {
    const body = { error: { code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action' } };
    expect(issuesOf(azure(body))).toEqual([{ code: 'MetricFormat', path: 'error', message: expect.stringContaining('AuthorizationFailed') }]);
  });
});

// ---------------------------------------------------------------------------------------------
// Unmatched points: counted with a reason, never dropped unseen.

interface UnmatchedCase {
  name: string;
  input: ConvertMetricsInput;
  targets: Targets;
  points: number;
  series: number;
  code: UnmatchedCode;
}

const UNMATCHED: UnmatchedCase[] = [
  {
    name: 'Prometheus series without the target label',
    input: prom(PROM_MATRIX, { targetLabel: 'service' }),
    targets: {},
    points: 6,
    series: 2,
    code: 'NoTargetLabel',
  },
  {
    name: 'Prometheus expression result without __name__ and no `metric` option',
    input: prom({ status: 'success', data: { resultType: 'vector', result: [{ metric: { job: 'api' }, value: [T0 / 1000, '1'] }] } }),
    targets: {},
    points: 1,
    series: 1,
    code: 'NoMetricName',
  },
  {
    name: 'Prometheus native histogram samples (no single value)',
    input: prom({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { __name__: 'rpc_latency', job: 'api' }, histogram: [T0 / 1000, { count: '10', sum: '3.5', buckets: [[0, '0.5', '1', '10']] }] },
          { metric: { __name__: 'up', job: 'api' }, value: [T0 / 1000, '1'] },
        ],
      },
    }),
    targets: { api: { up: [{ t: T0, v: 1 }] } },
    points: 1,
    series: 1,
    code: 'NativeHistogram',
  },
  {
    name: 'Prometheus target label value that is not a valid target id',
    input: prom({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'my api' }, value: [T0 / 1000, '1'] }] } }),
    targets: {},
    points: 1,
    series: 1,
    code: 'InvalidTargetId',
  },
  {
    name: 'OTLP data point with the target attribute on neither the point nor the resource',
    input: otlp(
      otlpMetric(
        {
          name: 'g',
          gauge: {
            dataPoints: [
              { timeUnixNano: nanos(T1), asDouble: 1 },
              { timeUnixNano: nanos(T0), asDouble: 2, attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
            ],
          },
        },
        [],
      ),
    ),
    targets: { checkout: { g: [{ t: T0, v: 2 }] } },
    points: 1,
    series: 1,
    code: 'NoTargetLabel',
  },
  {
    name: 'OTLP histogram without a target counts all three derived points',
    input: otlp(otlpMetric({ name: 'h', histogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: nanos(T0), count: '2', sum: 1 }] } }, [])),
    targets: {},
    points: 3,
    series: 1,
    code: 'NoTargetLabel',
  },
  {
    name: 'OTLP point flagged NO_RECORDED_VALUE (flags bit 1, a staleness marker)',
    input: otlp(otlpMetric({ name: 'g', gauge: { dataPoints: [{ timeUnixNano: nanos(T1), asDouble: 1 }, { timeUnixNano: nanos(T0), flags: 1 }] } })),
    targets: { checkout: { g: [{ t: T1, v: 1 }] } },
    points: 1,
    series: 1,
    code: 'NoRecordedValue',
  },
  {
    name: 'Azure point whose chosen aggregation is null',
    input: azure({ value: [{ ...AZURE_GET_METRIC.value[0], timeseries: [{ ...AZURE_GET_METRIC.value[0]!.timeseries[1], data: [{ timeStamp: '2017-04-14T02:22:00Z', average: null }, { timeStamp: '2017-04-14T02:23:00Z', average: 245 }] }] }] }),
    targets: { BlockBlob: { BlobCapacity: [{ t: MINUTE(3), v: 245 }] } },
    points: 1,
    series: 1,
    code: 'MissingAggregation',
  },
  {
    name: 'Prometheus series whose target label is empty (the same as absent)',
    input: prom({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up', job: '' }, value: [T0 / 1000, '1'] }] } }),
    targets: {},
    points: 1,
    series: 1,
    code: 'NoTargetLabel',
  },
  {
    name: 'Azure timeseries without the target dimension',
    input: azure(AZURE_GET_METRIC, { targetLabel: 'Tier', aggregation: 'count' }),
    targets: {},
    points: 8,
    series: 2,
    code: 'NoTargetLabel',
  },
];

describe('points that cannot be placed are counted in `unmatched` with a reason', () => {
  it.each(UNMATCHED)('$name -> $code', ({ input, targets, points, series, code }) => {
    const r = converted(input);
    expect(r.targets).toEqual(targets);
    expect(r.unmatched).toEqual({ points, series, reasons: [{ code, reason: expect.any(String), count: points }] });
  });
});

// ---------------------------------------------------------------------------------------------
// Non-finite values are refused with their path.

interface NonFiniteCase {
  name: string;
  input: ConvertMetricsInput;
  path: string;
}

const promSeries = (values: string[]) => ({
  status: 'success',
  data: {
    resultType: 'matrix',
    result: [
      { metric: { __name__: 'cpu', job: 'api' }, values: [[T0 / 1000, '1']] },
      { metric: { __name__: 'cpu', job: 'web' }, values: values.map((v, i) => [T0 / 1000 + i * 60, v]) },
    ],
  },
});
const azurePoint = (average: unknown) => ({
  value: [{ ...AZURE_GET_METRIC.value[0], timeseries: [{ ...AZURE_GET_METRIC.value[0]!.timeseries[0], data: [{ timeStamp: '2017-04-14T02:23:00Z', count: 1, average }] }] }],
});

const NON_FINITE: NonFiniteCase[] = [
  {
    name: 'Prometheus vector value "NaN"',
    input: prom({ status: 'success', data: { resultType: 'vector', result: [{ metric: { __name__: 'up', job: 'api' }, value: [T0 / 1000, 'NaN'] }] } }),
    path: 'data.result[0].value[1]',
  },
  { name: 'Prometheus matrix value "+Inf"', input: prom(promSeries(['1', '2', '+Inf'])), path: 'data.result[1].values[2][1]' },
  { name: 'Prometheus matrix value "-Inf"', input: prom(promSeries(['-Inf'])), path: 'data.result[1].values[0][1]' },
  { name: 'Prometheus value that is not a number', input: prom(promSeries(['1', 'high'])), path: 'data.result[1].values[1][1]' },
  {
    name: 'OTLP asDouble "NaN" (proto3 JSON spelling)',
    input: otlp(otlpMetric({ name: 'g', gauge: { dataPoints: [{ timeUnixNano: nanos(T1), asDouble: 1 }, { timeUnixNano: nanos(T0), asDouble: 'NaN' }] } })),
    path: 'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[1].asDouble',
  },
  {
    name: 'OTLP asDouble "Infinity"',
    input: otlp(otlpMetric({ name: 'g', sum: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: nanos(T0), asDouble: 'Infinity' }] } })),
    path: 'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].asDouble',
  },
  {
    name: 'OTLP histogram sum "-Infinity"',
    input: otlp(otlpMetric({ name: 'h', histogram: { aggregationTemporality: 1, dataPoints: [{ timeUnixNano: nanos(T0), count: '1', sum: '-Infinity' }] } })),
    path: 'resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].sum',
  },
  { name: 'Azure average "NaN" (a string)', input: azure(azurePoint('NaN')), path: 'value[0].timeseries[0].data[0].average' },
  { name: 'Azure average Infinity (built in JavaScript)', input: azure(azurePoint(Number.POSITIVE_INFINITY)), path: 'value[0].timeseries[0].data[0].average' },
];

describe('NaN, ±Inf and non-numbers are refused as issues with their path, not dropped', () => {
  it.each(NON_FINITE)('$name at $path', ({ input, path }) => {
    expect(issuesOf(input)).toEqual([{ code: 'MetricFormat', path, message: expect.any(String) }]);
  });

  it('every bad value is listed, up to FORMAT_LIMITS.maxIssues', () => {
    const issues = issuesOf(prom(promSeries(Array.from({ length: FORMAT_LIMITS.maxIssues + 10 }, () => 'NaN'))));
    expect(issues).toHaveLength(FORMAT_LIMITS.maxIssues);
    expect(issues[1]!.path).toBe('data.result[1].values[1][1]');
  });
});

// ---------------------------------------------------------------------------------------------
// Malformed payloads: issues with paths, never a throw.

interface MalformedCase {
  name: string;
  input: ConvertMetricsInput;
  path: string;
}
const oneGauge = (point: Record<string, unknown>) => otlp(otlpMetric({ name: 'g', gauge: { dataPoints: [point] } }));
const G = 'resourceMetrics[0].scopeMetrics[0].metrics[0]';

const MALFORMED: MalformedCase[] = [
  { name: 'OTLP payload null', input: otlp(null), path: '' },
  { name: 'OTLP payload that is a Prometheus response', input: otlp(PROM_VECTOR), path: 'resourceMetrics' },
  { name: 'OTLP resourceMetrics not an array', input: otlp({ resourceMetrics: {} }), path: 'resourceMetrics' },
  { name: 'OTLP attributes not an array', input: otlp({ resourceMetrics: [{ resource: { attributes: {} } }] }), path: 'resourceMetrics[0].resource.attributes' },
  { name: 'OTLP attribute without a key', input: otlp(otlpMetric({ name: 'g', gauge: {} }, [{ value: { stringValue: 'x' } }])), path: 'resourceMetrics[0].resource.attributes[0]' },
  { name: 'OTLP metric without a name', input: otlp(otlpMetric({ gauge: { dataPoints: [] } })), path: `${G}.name` },
  { name: 'OTLP metric with both gauge and sum', input: otlp(otlpMetric({ name: 'g', gauge: { dataPoints: [] }, sum: { dataPoints: [] } })), path: G },
  { name: 'OTLP point without timeUnixNano (0 must be rejected)', input: oneGauge({ asDouble: 1 }), path: `${G}.gauge.dataPoints[0].timeUnixNano` },
  { name: 'OTLP timeUnixNano "0" (SHOULD be rejected)', input: oneGauge({ timeUnixNano: '0', asDouble: 1 }), path: `${G}.gauge.dataPoints[0].timeUnixNano` },
  { name: 'OTLP timeUnixNano not a decimal string', input: oneGauge({ timeUnixNano: '2026-11-22T10:30:00Z', asDouble: 1 }), path: `${G}.gauge.dataPoints[0].timeUnixNano` },
  { name: 'OTLP asInt with a fraction', input: oneGauge({ timeUnixNano: nanos(T0), asInt: '4.5' }), path: `${G}.gauge.dataPoints[0].asInt` },
  { name: 'OTLP point with both asDouble and asInt', input: oneGauge({ timeUnixNano: nanos(T0), asDouble: 1, asInt: '1' }), path: `${G}.gauge.dataPoints[0]` },
  { name: 'OTLP dataPoints not an array', input: otlp(otlpMetric({ name: 'g', gauge: { dataPoints: 'x' } })), path: `${G}.gauge.dataPoints` },
  { name: 'Prometheus payload an array', input: prom([]), path: '' },
  { name: 'Prometheus without data', input: prom({ status: 'success' }), path: 'data' },
  { name: 'Prometheus unknown status', input: prom({ status: 'ok', data: {} }), path: 'status' },
  { name: 'Prometheus unknown resultType', input: prom({ status: 'success', data: { resultType: 'table', result: [] } }), path: 'data.resultType' },
  { name: 'Prometheus result not an array', input: prom({ status: 'success', data: { resultType: 'vector', result: {} } }), path: 'data.result' },
  {
    name: 'Prometheus sample that is not a pair',
    input: prom({ status: 'success', data: { resultType: 'vector', result: [{ metric: { job: 'a' }, value: ['1'] }] } }),
    path: 'data.result[0].value',
  },
  {
    name: 'Prometheus sample time as a string',
    input: prom({ status: 'success', data: { resultType: 'vector', result: [{ metric: { job: 'a' }, value: ['1435781451.781', '1'] }] } }),
    path: 'data.result[0].value[0]',
  },
  {
    name: 'Prometheus sample value unquoted',
    input: prom({ status: 'success', data: { resultType: 'vector', result: [{ metric: { job: 'a' }, value: [1435781451.781, 1] }] } }),
    path: 'data.result[0].value[1]',
  },
  {
    name: 'Prometheus label value not a string',
    input: prom({ status: 'success', data: { resultType: 'vector', result: [{ metric: { job: 7 }, value: [1435781451.781, '1'] }] } }),
    path: 'data.result[0].metric.job',
  },
  {
    name: 'Prometheus matrix series without values',
    input: prom({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { job: 'a' } }] } }),
    path: 'data.result[0]',
  },
  { name: 'Azure payload a number', input: azure(42), path: '' },
  { name: 'Azure response without value', input: azure({ timespan: 'x' }), path: 'value' },
  { name: 'Azure array holding a non-object', input: azure([AZURE_GET_METRIC, 5]), path: '[1]' },
  {
    name: 'Azure timeStamp without a zone offset',
    input: azure({ value: [{ ...AZURE_GET_METRIC.value[0], timeseries: [{ data: [{ timeStamp: '2017-04-14T02:20:00', average: 1 }] }] }] }),
    path: 'value[0].timeseries[0].data[0].timeStamp',
  },
  {
    name: 'Azure metadata value without a name',
    input: azure({ value: [{ ...AZURE_GET_METRIC.value[0], timeseries: [{ metadatavalues: [{ value: 'x' }], data: [] }] }] }),
    path: 'value[0].timeseries[0].metadatavalues[0]',
  },
  { name: 'Azure metric without name.value', input: azure({ value: [{ name: 'BlobCapacity', timeseries: [] }] }), path: 'value[0].name.value' },
];

/** convertMetrics turns a reader's exception into this issue; the readers themselves must never need it. */
const crashed = (message: string) => message.startsWith('the payload could not be read');

describe('malformed payloads give issues with paths and never throw', () => {
  it.each(MALFORMED)('$name -> issue at "$path"', ({ input, path }) => {
    const issues = issuesOf(input);
    expect(issues.map((i) => i.path)).toEqual([path]);
    expect(issues[0]!.message.length).toBeGreaterThan(10);
  });

  it.each(['otlp', 'prometheus', 'azureMonitor'] as const)('%s: arbitrary JSON never throws and always returns ok or issues', (format) => {
    fc.assert(
      fc.property(fc.jsonValue(), (payload) => {
        const r = convertMetrics({ format, payload, targetLabel: 'service' });
        return r.ok ? Array.isArray(r.unmatched.reasons) : r.issues.length > 0 && r.issues.every((i) => i.code === 'MetricFormat' && !crashed(i.message));
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });

  // Every node of a small real payload, replaced in turn by each hostile value: the readers meet it at
  // every depth, which random replacement rarely reaches.
  const HOSTILE: unknown[] = [null, 0, -1, 'x', 'NaN', '', [], {}, [[]], true];
  const SMALL = CANONICAL.filter((s) => s.target === 'web-a' && s.instance === 'web-a-0' && s.t >= T1);
  const render = { otlp: toOtlp, prometheus: toPrometheus, azureMonitor: toAzure };

  function* mutations(value: unknown): Generator<unknown> {
    for (const leaf of HOSTILE) yield leaf;
    if (value === null || typeof value !== 'object') return;
    for (const key of Object.keys(value)) {
      for (const inner of mutations((value as Record<string, unknown>)[key])) {
        const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
        (copy as Record<string, unknown>)[key] = inner;
        yield copy;
      }
      const without: Record<string, unknown> | unknown[] = Array.isArray(value) ? value.filter((_, i) => String(i) !== key) : { ...value };
      if (!Array.isArray(without)) delete without[key];
      yield without;
    }
  }

  it.each(FORMATS)('$name: every node replaced by a hostile value, or removed, gives a result or issues without a crash', ({ input }) => {
    let runs = 0;
    for (const payload of mutations(render[input.format](SMALL))) {
      const r = convertMetrics({ ...input, payload });
      if (!r.ok) expect(r.issues.filter((i) => crashed(i.message))).toEqual([]);
      else expect(r.unmatched.points).toBeGreaterThanOrEqual(0);
      runs += 1;
    }
    expect(runs).toBeGreaterThan(300);
  });
});

// ---------------------------------------------------------------------------------------------
// Limits and options

describe('FORMAT_LIMITS are enforced with issues', () => {
  it('more than maxSeries series is an issue at the first series over the limit', () => {
    const result = Array.from({ length: FORMAT_LIMITS.maxSeries + 1 }, (_, i) => ({ metric: { __name__: 'up', job: `j${i}` }, value: [T0 / 1000, '1'] }));
    expect(issuesOf(prom({ status: 'success', data: { resultType: 'vector', result } }))).toEqual([
      { code: 'MetricFormat', path: `data.result[${FORMAT_LIMITS.maxSeries}]`, message: expect.stringContaining('maxSeries') },
    ]);
  });

  it('more than maxPoints points is an issue at the first point over the limit', () => {
    const values = Array.from({ length: FORMAT_LIMITS.maxPoints + 1 }, (_, i) => [T0 / 1000 + i, '1']);
    expect(issuesOf(prom({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'up', job: 'a' }, values }] } }))).toEqual([
      { code: 'MetricFormat', path: `data.result[0].values[${FORMAT_LIMITS.maxPoints}]`, message: expect.stringContaining('maxPoints') },
    ]);
  });

  it('a converted series longer than the native pointsPerSeries limit is an issue', () => {
    const values = Array.from({ length: FORMAT_LIMITS.maxPointsPerSeries + 1 }, (_, i) => [T0 / 1000 + i, '1']);
    expect(issuesOf(prom({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'up', job: 'a' }, values }] } }))).toEqual([
      { code: 'MetricFormat', path: '', message: expect.stringContaining('maxPointsPerSeries') },
    ]);
  });
});

describe('request-side options (src/schemas/metric-formats.ts) and their checks in convertMetrics', () => {
  interface OptionCase {
    name: string;
    options: Record<string, unknown>;
    path: string | null;
  }
  it.each<OptionCase>([
    { name: 'a Prometheus request with metric and metricNames is valid', options: { format: 'prometheus', targetLabel: 'service', metric: 'cpu', metricNames: { up: 'alive' } }, path: null },
    { name: 'an Azure request with aggregation and @resource is valid', options: { format: 'azureMonitor', targetLabel: '@resource', aggregation: 'maximum' }, path: null },
    { name: '`metric` with OTLP is refused', options: { format: 'otlp', targetLabel: 'service.name', metric: 'cpu' }, path: 'metric' },
    { name: '`aggregation` with Prometheus is refused', options: { format: 'prometheus', targetLabel: 'job', aggregation: 'total' }, path: 'aggregation' },
    { name: '@resource outside Azure is refused', options: { format: 'prometheus', targetLabel: '@resource' }, path: 'targetLabel' },
    { name: 'an unknown aggregation is refused', options: { format: 'azureMonitor', targetLabel: 'VMName', aggregation: 'p95' }, path: 'aggregation' },
    { name: 'an unknown format is refused', options: { format: 'graphite', targetLabel: 'host' }, path: 'format' },
    { name: 'an empty targetLabel is refused', options: { format: 'otlp', targetLabel: '' }, path: 'targetLabel' },
  ])('$name', ({ options, path }) => {
    const parsed = MetricFormatOptions.safeParse(options);
    const converted = convertMetrics({ ...(options as unknown as ConvertMetricsInput), payload: { status: 'success', data: { resultType: 'vector', result: [] } } });
    if (path === null) {
      expect(parsed.success).toBe(true);
      return;
    }
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toContain(path);
    expect(converted).toMatchObject({ ok: false, issues: [{ code: 'MetricFormat', path }] });
  });

  it('the schema refuses unknown fields (strictObject)', () => {
    expect(MetricFormatOptions.safeParse({ format: 'otlp', targetLabel: 'service.name', label: 'x' }).success).toBe(false);
  });

  it('prefixPath places payload paths under the request field', () => {
    expect(prefixPath('metricsPayload', 'data.result[0]')).toBe('metricsPayload.data.result[0]');
    expect(prefixPath('metricsPayload', '[2].value')).toBe('metricsPayload[2].value');
    expect(prefixPath('metricsPayload', '')).toBe('metricsPayload');
  });
});
