// Reader for Azure Monitor "Metrics - List" responses (GET {resourceUri}/providers/Microsoft.Insights/metrics, api-version 2018-01-01).
//
// Shape from the REST spec (azure-rest-api-specs, monitor/.../stable/2018-01-01/metrics_API.json and its
// examples GetMetric.json, GetMetricError.json): { timespan, interval, value: [Metric] }, a Metric being
// { id, name: { value, localizedValue }, unit, timeseries: [{ metadatavalues: [{ name: { value }, value }],
// data: [{ timeStamp, average?, minimum?, maximum?, total?, count? }] }], errorCode?, errorMessage? }.
// Aggregations a grain has no samples for are simply absent (GetMetric.json: `{ "timeStamp", "count": 0.0 }`),
// dimension names come back lower-cased ("blobtype" for a $filter on "BlobType"), and a metric that failed
// has an errorCode other than "Success" beside an empty timeseries (GetMetricError.json).
//
// A multi-resource query (Metrics - List At Subscription Scope, api-version 2021-05-01, with
// `$filter=Microsoft.ResourceId eq '*'`; example PostMultiResourceMetricBody.json) answers with one metric
// whose id is the subscription's ("subscriptions/{sub}/providers/Microsoft.Insights/metrics/…") and one time
// series per resource, each naming its resource in the `microsoft.resourceid` dimension.
import { toEpochMs } from '../syntax/duration.js';
import type { ReaderOptions, Sink } from './metrics.js';
import { isRecord } from '../util/is-record.js';
import { AZURE_RESOURCE_TARGET } from '../schemas/metric-formats.js';

type Json = Record<string, unknown>;
const join = (base: string, key: string) => (base === '' ? key : `${base}.${key}`);

const METRICS_SUFFIX = '/providers/microsoft.insights/metrics/';

/** The dimension a multi-resource response names each series' resource by (lower-cased, as Azure returns dimension names). */
const RESOURCE_ID_DIMENSION = 'microsoft.resourceid';

/**
 * "…/virtualMachineScaleSets/web-a/providers/Microsoft.Insights/metrics/Percentage CPU" → "web-a".
 * A subscription-scope metric ("subscriptions/{sub}/providers/Microsoft.Insights/metrics/…") names no
 * resource: undefined, not the subscription id.
 */
function resourceName(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const at = id.toLowerCase().lastIndexOf(METRICS_SUFFIX);
  if (at <= 0) return undefined;
  return lastSegment(id.slice(0, at));
}

/** The resource name of a resource id ("/subscriptions/…/virtualMachines/sas1-dev" → "sas1-dev"); undefined for a subscription's own id. */
function lastSegment(resourceId: string): string | undefined {
  const parts = resourceId.split('/').filter((p) => p !== '');
  if (parts.length <= 2 && parts[0]?.toLowerCase() === 'subscriptions') return undefined;
  const name = parts[parts.length - 1];
  return name === undefined || name === '' ? undefined : name;
}

type Dimensions = Array<{ name: string; value: string }>;

function readDimensions(series: Json, path: string, sink: Sink): Dimensions | undefined {
  const raw = series.metadatavalues;
  if (raw === undefined || raw === null) return [];
  const mPath = join(path, 'metadatavalues');
  if (!Array.isArray(raw)) {
    sink.issue(mPath, 'expected metadatavalues as an array of { name: { value }, value }');
    return undefined;
  }
  const out: Dimensions = [];
  for (const [i, d] of raw.entries()) {
    if (!isRecord(d) || !isRecord(d.name) || typeof d.name.value !== 'string' || typeof d.value !== 'string') {
      sink.issue(`${mPath}[${i}]`, 'expected a dimension value { "name": { "value": "<dimension>" }, "value": "<string>" }');
      return undefined;
    }
    out.push({ name: d.name.value.toLowerCase(), value: d.value });
  }
  return out;
}

// Case-insensitive: Azure lower-cases dimension names in responses whatever case the query used.
const dimension = (dims: Dimensions, name: string) => dims.find((d) => d.name === name.toLowerCase())?.value;

export function readAzureMonitor(payload: unknown, options: ReaderOptions, sink: Sink): void {
  // Metrics - List answers for one resource; an array of such responses covers several resources.
  const responses: Array<[unknown, string]> = Array.isArray(payload) ? payload.map((r, i) => [r, `[${i}]`]) : [[payload, '']];
  for (const [response, base] of responses) {
    if (sink.stopped) return;
    if (!isRecord(response)) {
      sink.issue(base, 'expected an Azure Monitor Metrics - List response { "value": [...] } (or an array of them)');
      continue;
    }
    if (response.value === undefined && (isRecord(response.error) || typeof response.code === 'string')) {
      const error = isRecord(response.error) ? response.error : response;
      const code = typeof error.code === 'string' ? ` ${error.code}` : '';
      const message = typeof error.message === 'string' ? `: ${error.message}` : '';
      sink.issue(join(base, isRecord(response.error) ? 'error' : 'code'), `Azure Monitor answered with an error${code}${message}`);
      continue;
    }
    if (!Array.isArray(response.value)) {
      sink.issue(join(base, 'value'), 'expected "value": [ metric, ... ] (Azure Monitor Metrics - List response)');
      continue;
    }
    for (const [k, metric] of response.value.entries()) {
      if (sink.stopped) return;
      readMetric(metric, `${join(base, 'value')}[${k}]`, options, sink);
    }
  }
}

function readMetric(metric: unknown, path: string, options: ReaderOptions, sink: Sink): void {
  if (!isRecord(metric)) return sink.issue(path, 'expected a metric { id, name: { value }, unit, timeseries }');
  if (!isRecord(metric.name) || typeof metric.name.value !== 'string' || metric.name.value === '') {
    return sink.issue(join(path, 'name.value'), 'expected the metric name as name.value, e.g. "Percentage CPU"');
  }
  const source = metric.name.value;
  if (typeof metric.errorCode === 'string' && metric.errorCode !== 'Success') {
    const detail = typeof metric.errorMessage === 'string' ? `: ${metric.errorMessage}` : '';
    return sink.issue(join(path, 'errorCode'), `Azure Monitor could not return "${source}" (${metric.errorCode})${detail}`);
  }
  const name = options.rename(source);
  const resource = resourceName(metric.id);
  const timeseries = metric.timeseries ?? [];
  if (!Array.isArray(timeseries)) return sink.issue(join(path, 'timeseries'), 'expected timeseries as an array');
  for (const [s, series] of timeseries.entries()) {
    if (sink.stopped) return;
    const sPath = `${join(path, 'timeseries')}[${s}]`;
    if (!isRecord(series)) {
      sink.issue(sPath, 'expected a time series { metadatavalues, data }');
      continue;
    }
    const dims = readDimensions(series, sPath, sink);
    // A metadata-only response (resultType=Metadata) has no data: no points, nothing to count.
    const data = series.data ?? [];
    if (!Array.isArray(data)) {
      sink.issue(join(sPath, 'data'), 'expected data as an array of { timeStamp, average, ... }');
      continue;
    }
    if (!dims || !sink.series(sPath, sPath)) continue;
    // "@resource": the series' own resource (a multi-resource response's microsoft.resourceid), else the metric's.
    const seriesResource = dimension(dims, RESOURCE_ID_DIMENSION);
    const target = options.targetLabel === AZURE_RESOURCE_TARGET ? (seriesResource !== undefined ? lastSegment(seriesResource) : resource) : dimension(dims, options.targetLabel);
    let instance: string | undefined;
    for (const label of options.instanceLabels) if ((instance = dimension(dims, label)) !== undefined) break;
    for (const [d, point] of data.entries()) {
      const pPath = `${join(sPath, 'data')}[${d}]`;
      if (sink.stopped || !sink.point(pPath)) return;
      if (!isRecord(point)) {
        sink.issue(pPath, 'expected a metric value { timeStamp, average, minimum, maximum, total, count }');
        continue;
      }
      const stamp = point.timeStamp;
      const parsed = typeof stamp === 'string' ? toEpochMs(stamp) : undefined;
      if (parsed === undefined) {
        sink.issue(join(pPath, 'timeStamp'), 'expected timeStamp as ISO 8601 with a zone offset, e.g. "2026-11-22T10:00:00Z"');
        continue;
      }
      const t = sink.time(parsed, join(pPath, 'timeStamp'), () => `timeStamp "${stamp as string}"`);
      const raw = point[options.aggregation];
      if (raw === undefined || raw === null) {
        sink.unmatched(
          sPath,
          'MissingAggregation',
          `no "${options.aggregation}" value (Azure leaves it out for grains without samples, or when the query did not ask for it)`,
          1,
        );
        continue;
      }
      if (typeof raw !== 'number' || !Number.isFinite(raw)) {
        sink.issue(join(pPath, options.aggregation), `expected "${options.aggregation}" as a finite number`);
        continue;
      }
      if (t !== undefined) sink.place(sPath, [{ target, metric: name, t, v: raw, instance }]);
    }
  }
}
