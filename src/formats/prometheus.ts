// Reader for Prometheus HTTP API query results: /api/v1/query (vector) and /api/v1/query_range (matrix).
//
// Shapes from the Prometheus docs, docs/querying/api.md, "Format overview" and "Expression query result
// formats": the envelope { status: "success" | "error", data, errorType, error, warnings }, `data` as
// { resultType: "matrix" | "vector" | "scalar" | "string", result }, vector entries { metric, value: [<unix_time>,
// "<sample_value>"] }, matrix entries { metric, values: [[<unix_time>, "<sample_value>"], ...] }. "Output
// timestamps are always represented as Unix timestamps in seconds" and sample values are "quoted JSON strings"
// because JSON has no NaN or Inf. Native histogram samples arrive as `histogram` / `histograms` instead.
import type { ReaderOptions, Sink } from './metrics.js';
import { isRecord } from '../util/is-record.js';

type Json = Record<string, unknown>;

const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// Go's strconv.ParseFloat, which Prometheus uses, also reads "Inf", "+Inf", "infinity" and "NaN" in any case.
const NON_FINITE_RE = /^[+-]?(?:inf|infinity|nan)$/i;

function readLabels(raw: unknown, path: string, sink: Sink): Map<string, string> | undefined {
  if (!isRecord(raw)) {
    sink.issue(path, 'expected the series labels as an object { "<label_name>": "<label_value>", ... }');
    return undefined;
  }
  const labels = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      sink.issue(`${path}.${name}`, 'label values are strings in the Prometheus API');
      return undefined;
    }
    // An empty label value is the same as no label in Prometheus.
    if (value !== '') labels.set(name, value);
  }
  return labels;
}

/** [<unix_time>, "<sample_value>"] as epoch ms and a finite number, or undefined after an issue. */
function readSample(raw: unknown, path: string, sink: Sink): { t: number; v: number } | undefined {
  if (!Array.isArray(raw) || raw.length !== 2) {
    sink.issue(path, 'expected a sample [<unix_time>, "<sample_value>"]');
    return undefined;
  }
  const [ts, value] = raw as [unknown, unknown];
  if (typeof ts !== 'number' || !Number.isFinite(ts)) {
    sink.issue(`${path}[0]`, 'expected the sample time as Unix seconds, e.g. 1435781451.781');
    return undefined;
  }
  // Prometheus keeps int64 milliseconds and prints them as seconds with up to three decimals; rounding
  // undoes the float error of ×1000 (1435781451.781 × 1000 = 1435781451780.9998).
  const t = sink.time(Math.round(ts * 1000), `${path}[0]`, () => `the sample time ${ts} (Unix seconds)`, 'check the query\'s time range (start, end, time)');
  if (t === undefined) return undefined;
  if (typeof value !== 'string') {
    sink.issue(`${path}[1]`, 'expected the sample value as a quoted string, e.g. "12.5", as the Prometheus API sends it');
    return undefined;
  }
  if (NON_FINITE_RE.test(value)) {
    sink.issue(
      `${path}[1]`,
      `the sample value "${value}" is not finite; edgescale refuses NaN and ±Inf rather than drop them. ` +
        'Filter them in the query: `x == x` drops NaN, `x < +Inf > -Inf` drops infinities',
    );
    return undefined;
  }
  const v = FLOAT_RE.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(v)) {
    sink.issue(`${path}[1]`, `the sample value "${value}" is not a finite decimal number`);
    return undefined;
  }
  return { t, v };
}

export function readPrometheus(payload: unknown, options: ReaderOptions, sink: Sink): void {
  if (!isRecord(payload)) {
    sink.issue('', 'expected a Prometheus API response { "status": "success", "data": { "resultType", "result" } }');
    return;
  }
  if (payload.status === 'error') {
    const type = typeof payload.errorType === 'string' ? ` (${payload.errorType})` : '';
    const error = typeof payload.error === 'string' ? `: ${payload.error}` : '';
    sink.issue('status', `Prometheus answered with an error${type}${error}`);
    return;
  }
  if (payload.status !== 'success') {
    sink.issue('status', 'expected status "success" (or "error"); is this a Prometheus /api/v1/query or /api/v1/query_range response?');
    return;
  }
  const data = payload.data;
  if (!isRecord(data)) {
    sink.issue('data', 'expected data { "resultType", "result" }');
    return;
  }
  const resultType = data.resultType;
  if (resultType === 'scalar' || resultType === 'string') {
    sink.issue(
      'data.resultType',
      `a ${resultType} result has no labels, so no target can be found in it; return a vector instead, e.g. ` +
        `label_replace(vector(<expr>), "${options.targetLabel}", "<target id>", "", "")`,
    );
    return;
  }
  if (resultType !== 'vector' && resultType !== 'matrix') {
    sink.issue('data.resultType', 'expected resultType "vector" (/api/v1/query) or "matrix" (/api/v1/query_range)');
    return;
  }
  if (!Array.isArray(data.result)) {
    sink.issue('data.result', `expected the ${resultType} result as an array of series`);
    return;
  }
  for (const [i, entry] of data.result.entries()) {
    if (sink.stopped) return;
    const path = `data.result[${i}]`;
    if (!isRecord(entry)) {
      sink.issue(path, 'expected a series { "metric": {...}, "value" | "values": ... }');
      continue;
    }
    const labels = readLabels(entry.metric, `${path}.metric`, sink);
    if (!labels || !sink.series(path, path)) continue;
    readSeries(entry, path, resultType, labels, options, sink);
  }
}

function readSeries(entry: Json, path: string, resultType: 'vector' | 'matrix', labels: Map<string, string>, options: ReaderOptions, sink: Sink): void {
  // `metric` names every series (query expressions such as rate(...) drop __name__); else __name__ renamed.
  const source = labels.get('__name__');
  const metric = options.metric ?? (source === undefined ? undefined : options.rename(source));
  const target = labels.get(options.targetLabel);
  let instance: string | undefined;
  for (const label of options.instanceLabels) if ((instance = labels.get(label)) !== undefined) break;

  const samples: Array<[unknown, string]> = [];
  let histograms = 0;
  if (resultType === 'vector') {
    if (entry.value !== undefined) samples.push([entry.value, `${path}.value`]);
    else if (entry.histogram !== undefined) histograms = 1;
    else return sink.issue(path, 'expected "value": [<unix_time>, "<sample_value>"] in a vector series');
  } else {
    if (entry.values !== undefined) {
      if (!Array.isArray(entry.values)) return sink.issue(`${path}.values`, 'expected "values": [[<unix_time>, "<sample_value>"], ...]');
      entry.values.forEach((s, j) => samples.push([s, `${path}.values[${j}]`]));
    }
    if (entry.histograms !== undefined) {
      if (!Array.isArray(entry.histograms)) return sink.issue(`${path}.histograms`, 'expected "histograms" as an array');
      histograms = entry.histograms.length;
    }
    if (entry.values === undefined && entry.histograms === undefined) {
      return sink.issue(path, 'expected "values": [[<unix_time>, "<sample_value>"], ...] in a matrix series');
    }
  }
  if (histograms > 0) {
    for (let h = 0; h < histograms; h++) if (!sink.point(path)) return;
    sink.unmatched(
      path,
      'NativeHistogram',
      'native histogram samples carry no single value; query histogram_count(), histogram_sum() or histogram_avg() instead',
      histograms,
    );
  }
  for (const [raw, samplePath] of samples) {
    if (sink.stopped || !sink.point(samplePath)) return;
    const sample = readSample(raw, samplePath, sink);
    if (!sample) continue;
    if (metric === undefined) {
      sink.unmatched(path, 'NoMetricName', 'series without __name__ (an expression result) and no `metric` option naming it', 1);
      continue;
    }
    sink.place(path, [{ target, metric, t: sample.t, v: sample.v, instance }]);
  }
}
