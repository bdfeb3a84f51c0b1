// Reader for OpenTelemetry OTLP/JSON ExportMetricsServiceRequest bodies (gauge, sum, histogram, exponential histogram, summary).
//
// Encoding, from the OTLP specification (opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding"):
// proto3 JSON mapping with lowerCamelCase keys, enums as integers, unknown fields ignored, and 64-bit integers
// (timeUnixNano, asInt, count) as decimal strings, "either numbers or strings are accepted when decoding".
// proto3 JSON writes non-finite doubles as the strings "NaN", "Infinity" and "-Infinity"; those are refused.
// Field meanings from opentelemetry/proto/metrics/v1/metrics.proto: NumberDataPoint carries `asDouble` or
// `asInt` (a oneof), HistogramDataPoint `count` (fixed64) and an optional `sum`, SummaryDataPoint `count` and
// `sum` (plain fields, so omitted when 0), and `flags` bit 1 is DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK.
import type { Placement, ReaderOptions, Sink } from './metrics.js';
import { isRecord } from '../util/is-record.js';

type Json = Record<string, unknown>;
const join = (base: string, key: string) => (base === '' ? key : `${base}.${key}`);

const KINDS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;
type Kind = (typeof KINDS)[number];
/** Keys of a Metric that are not data; any other object with `dataPoints` is a data type we do not know. */
const METRIC_FIELDS = new Set<string>(['name', 'description', 'unit', 'metadata', ...KINDS]);

const NO_RECORDED_VALUE = 1;
const NANOS_PER_MS = 1_000_000n;
const UINT_RE = /^\d+$/;
const INT_RE = /^-?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A repeated field: absent means empty (proto3 JSON omits empty lists); anything but an array is an issue. */
function list(owner: Json, key: string, path: string, sink: Sink): unknown[] | undefined {
  const v = owner[key];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  sink.issue(join(path, key), `expected an array (OTLP repeated field "${key}")`);
  return undefined;
}

type Attributes = Array<{ key: string; value: unknown }>;

function readAttributes(owner: Json, path: string, sink: Sink): Attributes | undefined {
  const raw = list(owner, 'attributes', path, sink);
  if (!raw) return undefined;
  const out: Attributes = [];
  for (const [i, kv] of raw.entries()) {
    if (!isRecord(kv) || typeof kv.key !== 'string') {
      sink.issue(`${join(path, 'attributes')}[${i}]`, 'expected a KeyValue object { key, value: { stringValue | intValue | doubleValue | boolValue } }');
      return undefined;
    }
    out.push({ key: kv.key, value: kv.value });
  }
  return out;
}

/**
 * The attribute as a label value. AnyValue scalars become strings (intValue canonical decimal, boolValue
 * "true"/"false"); arrays, key-value lists, bytes and empty values name nothing and count as absent.
 */
function attribute(attrs: Attributes, key: string): string | undefined {
  const found = attrs.find((a) => a.key === key);
  if (!found || !isRecord(found.value)) return undefined;
  const v = found.value;
  // An empty string names nothing (as an empty Prometheus label), so the next candidate label is tried.
  if (typeof v.stringValue === 'string') return v.stringValue === '' ? undefined : v.stringValue;
  if (typeof v.intValue === 'string' && INT_RE.test(v.intValue)) return BigInt(v.intValue).toString();
  if (typeof v.intValue === 'number' && Number.isSafeInteger(v.intValue)) return String(v.intValue);
  if (typeof v.doubleValue === 'number' && Number.isFinite(v.doubleValue)) return String(v.doubleValue);
  if (typeof v.doubleValue === 'string' && FLOAT_RE.test(v.doubleValue)) return String(Number(v.doubleValue));
  if (typeof v.boolValue === 'boolean') return String(v.boolValue);
  return undefined;
}

/** Data point attributes first (they are more specific), then the resource's. */
function lookup(key: string, point: Attributes, resource: Attributes): string | undefined {
  return attribute(point, key) ?? attribute(resource, key);
}

function double(raw: unknown, path: string, sink: Sink): number | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (raw === 'NaN' || raw === 'Infinity' || raw === '-Infinity' || (typeof raw === 'number' && !Number.isFinite(raw))) {
    sink.issue(path, `the value ${String(raw)} is not a finite number; edgescale compares finite values only`);
    return undefined;
  }
  if (typeof raw === 'string' && FLOAT_RE.test(raw)) {
    const n = Number(raw);
    if (Number.isFinite(n)) return n;
    sink.issue(path, `the value "${raw}" overflows to infinity`);
    return undefined;
  }
  sink.issue(path, 'expected a number (a double, or its decimal string)');
  return undefined;
}

/** sfixed64/fixed64: a decimal string (the OTLP/JSON form) or an integer number. Beyond 2^53 it rounds to the nearest double. */
function int64(raw: unknown, path: string, sink: Sink, unsigned: boolean): number | undefined {
  if (typeof raw === 'string' && (unsigned ? UINT_RE : INT_RE).test(raw)) return Number(raw);
  if (typeof raw === 'number' && Number.isInteger(raw) && (!unsigned || raw >= 0)) return raw;
  sink.issue(path, `expected a 64-bit ${unsigned ? 'unsigned ' : ''}integer as a decimal string, e.g. "42" (OTLP/JSON encodes int64 as strings)`);
  return undefined;
}

/**
 * timeUnixNano in epoch ms, truncated as Prometheus's OTLP receiver does (integer division by 1e6). The
 * proto comment says points with a 0 (or absent, which is 0) timeUnixNano SHOULD be rejected, so they are.
 */
function timeMs(raw: unknown, path: string, sink: Sink): number | undefined {
  let nanos: bigint | undefined;
  if (typeof raw === 'string' && UINT_RE.test(raw)) nanos = BigInt(raw);
  else if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) nanos = BigInt(raw);
  if (nanos === undefined) {
    sink.issue(path, 'expected timeUnixNano as a decimal string of nanoseconds since the epoch, e.g. "1795343400000000000"');
    return undefined;
  }
  if (nanos === 0n) {
    sink.issue(path, 'timeUnixNano is 0 or missing; the OTLP data model says such points SHOULD be rejected');
    return undefined;
  }
  return sink.time(
    Number(nanos / NANOS_PER_MS),
    path,
    () => `timeUnixNano "${nanos}"`,
    'timeUnixNano counts nanoseconds since 1970-01-01T00:00:00Z (a time in 2026 has 19 digits): was it written in seconds or milliseconds?',
  );
}

/** Histogram and summary points expand to three native series: `<name>.count`, `<name>.sum`, `<name>.avg`. */
const DERIVED = ['count', 'sum', 'avg'] as const;

function derivedName(name: string, part: (typeof DERIVED)[number], options: ReaderOptions): string {
  const full = `${name}.${part}`;
  // An explicit rename of the derived name wins; otherwise the base name's rename keeps the suffix.
  return options.renames(full) ? options.rename(full) : `${options.rename(name)}.${part}`;
}

export function readOtlp(payload: unknown, options: ReaderOptions, sink: Sink): void {
  if (!isRecord(payload)) {
    sink.issue('', 'expected an OTLP/JSON ExportMetricsServiceRequest object { "resourceMetrics": [...] }');
    return;
  }
  if (payload.resourceMetrics === undefined) {
    sink.issue('resourceMetrics', 'missing resourceMetrics: this is not an OTLP/JSON ExportMetricsServiceRequest');
    return;
  }
  const resourceMetrics = list(payload, 'resourceMetrics', '', sink);
  for (const [ri, rm] of (resourceMetrics ?? []).entries()) {
    const rPath = `resourceMetrics[${ri}]`;
    if (!isRecord(rm)) {
      sink.issue(rPath, 'expected a ResourceMetrics object');
      continue;
    }
    const resource = rm.resource === undefined || rm.resource === null ? {} : rm.resource;
    if (!isRecord(resource)) {
      sink.issue(join(rPath, 'resource'), 'expected a Resource object');
      continue;
    }
    const resourceAttrs = readAttributes(resource, join(rPath, 'resource'), sink);
    const scopeMetrics = list(rm, 'scopeMetrics', rPath, sink);
    if (!resourceAttrs || !scopeMetrics) continue;
    for (const [si, sm] of scopeMetrics.entries()) {
      const sPath = `${rPath}.scopeMetrics[${si}]`;
      if (!isRecord(sm)) {
        sink.issue(sPath, 'expected a ScopeMetrics object');
        continue;
      }
      for (const [mi, metric] of (list(sm, 'metrics', sPath, sink) ?? []).entries()) {
        if (sink.stopped) return;
        readMetric(metric, `${sPath}.metrics[${mi}]`, resourceAttrs, options, sink);
      }
    }
  }
}

function readMetric(metric: unknown, path: string, resourceAttrs: Attributes, options: ReaderOptions, sink: Sink): void {
  if (!isRecord(metric)) return sink.issue(path, 'expected a Metric object');
  if (typeof metric.name !== 'string' || metric.name === '') return sink.issue(join(path, 'name'), 'every OTLP metric needs a name');
  const name = metric.name;
  const kinds = KINDS.filter((k) => metric[k] !== undefined && metric[k] !== null);
  if (kinds.length > 1) return sink.issue(path, `the metric carries ${kinds.join(' and ')}; OTLP allows exactly one data type`);
  const kind: Kind | undefined = kinds[0];
  if (kind === undefined) {
    // A data type newer than this reader: count its points rather than drop them unseen.
    for (const [key, value] of Object.entries(metric)) {
      if (METRIC_FIELDS.has(key) || !isRecord(value) || !Array.isArray(value.dataPoints)) continue;
      sink.unmatched(join(path, key), 'UnsupportedMetricType', `metric data type "${key}" is not supported`, value.dataPoints.length);
    }
    return;
  }
  const data = metric[kind];
  const kPath = join(path, kind);
  if (!isRecord(data)) return sink.issue(kPath, `expected a ${kind} object with dataPoints`);
  const points = list(data, 'dataPoints', kPath, sink);
  for (const [pi, dp] of (points ?? []).entries()) {
    if (sink.stopped) return;
    const pPath = `${kPath}.dataPoints[${pi}]`;
    if (!isRecord(dp)) {
      sink.issue(pPath, 'expected a data point object');
      continue;
    }
    const attrs = readAttributes(dp, pPath, sink);
    if (!attrs) continue;
    // A series is one metric of one resource with one attribute set (attribute order as sent).
    const seriesKey = `${path}|${JSON.stringify(dp.attributes ?? [])}`;
    if (!sink.series(seriesKey, pPath) || !sink.point(pPath)) return;
    const t = timeMs(dp.timeUnixNano, join(pPath, 'timeUnixNano'), sink);
    const target = lookup(options.targetLabel, attrs, resourceAttrs);
    let instance: string | undefined;
    for (const label of options.instanceLabels) if ((instance = lookup(label, attrs, resourceAttrs)) !== undefined) break;
    const flagged = typeof dp.flags === 'number' && (dp.flags & NO_RECORDED_VALUE) !== 0;
    const placeAll = (values: Array<[string, number]>) =>
      t !== undefined && sink.place(seriesKey, values.map(([m, v]) => ({ target, metric: m, t, v, instance }) satisfies Placement));

    if (kind === 'gauge' || kind === 'sum') {
      if (flagged) {
        sink.unmatched(seriesKey, 'NoRecordedValue', 'data point flagged NO_RECORDED_VALUE (a staleness marker)', 1);
        continue;
      }
      const hasDouble = dp.asDouble !== undefined && dp.asDouble !== null;
      const hasInt = dp.asInt !== undefined && dp.asInt !== null;
      if (hasDouble && hasInt) {
        sink.issue(pPath, 'the data point has both asDouble and asInt; OTLP allows one');
        continue;
      }
      if (!hasDouble && !hasInt) {
        sink.unmatched(seriesKey, 'NoValue', 'number data point with neither asDouble nor asInt', 1);
        continue;
      }
      const v = hasDouble ? double(dp.asDouble, join(pPath, 'asDouble'), sink) : int64(dp.asInt, join(pPath, 'asInt'), sink, false);
      // Sums pass through as sent: a cumulative sum stays a running total (see docs/metric-formats.md).
      if (v !== undefined) placeAll([[options.rename(name), v]]);
      continue;
    }

    // histogram, exponentialHistogram, summary: count and sum of the observations.
    if (flagged) {
      sink.unmatched(seriesKey, 'NoRecordedValue', 'data point flagged NO_RECORDED_VALUE (a staleness marker)', DERIVED.length);
      continue;
    }
    // `count` is a plain fixed64 (omitted when 0); histogram `sum` is `optional double` (absent = unknown,
    // e.g. when negative values were recorded), summary `sum` a plain double (omitted when 0).
    const count = int64(dp.count ?? '0', join(pPath, 'count'), sink, true);
    const rawSum = dp.sum ?? (kind === 'summary' ? 0 : undefined);
    const sum = rawSum === undefined ? undefined : double(rawSum, join(pPath, 'sum'), sink);
    if (count === undefined || (rawSum !== undefined && sum === undefined)) continue;
    const values: Array<[string, number]> = [[derivedName(name, 'count', options), count]];
    if (sum === undefined) {
      sink.unmatched(seriesKey, 'NoHistogramSum', `${kind} data point without a sum: only <name>.count is produced`, 2);
    } else {
      values.push([derivedName(name, 'sum', options), sum]);
      if (count > 0) values.push([derivedName(name, 'avg', options), sum / count]);
      else sink.unmatched(seriesKey, 'EmptyHistogram', `${kind} data point with count 0 has no average`, 1);
    }
    placeAll(values);
  }
}
