// Converting metrics from OTLP/JSON, Prometheus query results and Azure Monitor responses into native per-target series.
// Pure and deterministic: no I/O, no clock, no module state. The format readers live beside this file and
// only see the `Sink` below, so every format places points, counts misses and reports problems the same way.
import type { UNMATCHED_POINT_CODES } from '../schemas/codes.js';
import { LIMITS } from '../limits.js';
import { isoUtc, LATEST_MS } from '../syntax/duration.js';
import { MIN_COLUMN_EPOCH_MS } from '../syntax/series.js';
import { readAzureMonitor } from './azure-monitor.js';
import { checkValueBounds } from './bounds.js';
import { readOtlp } from './otlp.js';
import { readPrometheus } from './prometheus.js';
import { isRecord } from '../util/is-record.js';
import { AZURE_AGGREGATIONS, AZURE_RESOURCE_TARGET, METRIC_FORMATS, type AzureAggregation, type MetricFormat } from '../schemas/metric-formats.js';

export interface ConvertMetricsInput {
  format: MetricFormat;
  /** The parsed JSON body exactly as the source system returns or exports it. */
  payload: unknown;
  /** The label (Prometheus), attribute (OTLP) or dimension (Azure) whose value is the target id. */
  targetLabel: string;
  /** The label naming the instance; defaults per format, see DEFAULT_INSTANCE_LABELS. */
  instanceLabel?: string;
  /** Source metric name -> edgescale metric name; names not listed pass through unchanged. */
  metricNames?: Record<string, string>;
  /** Prometheus only: the metric name for every series of the result (expressions often lack `__name__`). */
  metric?: string;
  /** Azure Monitor only: which aggregation of each data point becomes the value. Default 'average'. */
  aggregation?: AzureAggregation;
}

export interface NativePoint {
  t: number;
  v: number;
  instance?: string;
}

/** Why points were not placed; `code` is the machine form of `reason`. */
export type UnmatchedCode = (typeof UNMATCHED_POINT_CODES)[number];

interface Unmatched {
  /** Native points the payload would have produced but did not (an OTLP histogram point yields up to three). */
  points: number;
  /** Input series with at least one such point (or, for OTLP, metrics of an unsupported type). */
  series: number;
  /** In order of first occurrence, so the same payload always gives the same list. */
  reasons: Array<{ code: UnmatchedCode; reason: string; count: number }>;
}

interface MetricFormatIssue {
  code: 'MetricFormat';
  message: string;
  /** Where in the payload, e.g. "data.result[3].values[7][1]"; "" is the payload itself. */
  path: string;
}

export type ConvertMetricsResult =
  | { ok: true; targets: Record<string, Record<string, NativePoint[]>>; unmatched: Unmatched }
  | { ok: false; issues: MetricFormatIssue[] };

/**
 * A converted series in the native columnar form `{ "t": [...], "v": [...] }` (docs/rules.md): times in
 * epoch ms, sorted by time then instance; `instances` (null: none) only when a point names one.
 */
interface ColumnarSeries {
  t: number[];
  v: number[];
  instances?: Array<string | null>;
}

export type ConvertMetricsColumnsResult =
  | { ok: true; targets: Record<string, Record<string, ColumnarSeries>>; unmatched: Unmatched }
  | { ok: false; issues: MetricFormatIssue[] };

/**
 * Bounds on one conversion. A payload arrives inside a request body of at most LIMITS.bodyBytes, so honest
 * payloads stay far below these; they bound the work done on a hostile or runaway one.
 */
export const FORMAT_LIMITS = {
  /** Input series (Prometheus result entries, Azure timeseries, OTLP metric × attribute set): a full batch of
   *  LIMITS.targetsPerBatch (500) targets with 20 series each. */
  maxSeries: 10_000,
  /** Input data points: 1 MiB holds about 50,000 of the tersest points (Prometheus `[1795343400,"1"]`), so twice
   *  that is never reached by a real body but stops a conversion from walking an unbounded object. */
  maxPoints: 100_000,
  /** Points in one converted series (target × metric): the native limit, LIMITS.pointsPerSeries. */
  maxPointsPerSeries: LIMITS.pointsPerSeries,
  /** Issues listed before stopping: enough to show a pattern, few enough to read in one response. */
  maxIssues: 50,
  /** Nesting of the payload, objects and arrays counted. OTLP's deepest standard field,
   *  resourceMetrics[].scopeMetrics[].metrics[].histogram.dataPoints[].attributes[].value.arrayValue.values[],
   *  is 10 levels; only AnyValues nested in AnyValues go deeper, and no reader looks inside those.
   *  Checked without recursion first, so no reader (nor JSON.stringify of an attribute set) meets a
   *  payload deep enough to exhaust the stack. */
  maxDepth: 64,
} as const;

/**
 * Labels tried for the instance when `instanceLabel` is not given, first present wins.
 * OTLP: the resource semantic conventions name a service instance `service.instance.id` and a host `host.name`.
 * Prometheus: every scraped series carries `instance` (host:port of the scrape target).
 * Azure: scale set host metrics split by `VMName`, App Service plans by `Instance` (dimension names compare
 * case-insensitively because Azure returns them lower-cased, e.g. "blobtype" for a filter on "BlobType").
 */
const DEFAULT_INSTANCE_LABELS: Record<MetricFormat, readonly string[]> = {
  otlp: ['service.instance.id', 'host.name'],
  prometheus: ['instance'],
  azureMonitor: ['VMName', 'Instance'],
};

// The same rule as `Id` in src/schema.ts: a target id we produce must be one the evaluate request accepts.
const TARGET_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;
// JavaScript dates span ±8.64e15 ms; later timestamps cannot be formatted in messages.
const MAX_EPOCH_MS = 8.64e15;
// The times a native series takes (src/syntax/series.ts): epoch ms from 1e11 (smaller numbers there
// look like epoch seconds) to the end of year 9999 (ISO 8601's four-digit years).
const EARLIEST_PAYLOAD_TIME = isoUtc(MIN_COLUMN_EPOCH_MS);
const LATEST_PAYLOAD_TIME = isoUtc(LATEST_MS);

/** What a format reader is given besides the payload. */
export interface ReaderOptions {
  targetLabel: string;
  instanceLabels: readonly string[];
  /** The edgescale name for a source metric name (metricNames applied). */
  rename: (source: string) => string;
  /** `metricNames` has an entry for this exact source name. */
  renames: (source: string) => boolean;
  metric?: string;
  aggregation: AzureAggregation;
}

/** A native point bound for a target, as a reader found it. */
export interface Placement {
  target: string | undefined;
  metric: string;
  t: number;
  v: number;
  instance: string | undefined;
}

/** The one way readers report: place points, count misses, record issues. */
export interface Sink {
  /** True once the issue cap or an input limit is reached: readers stop walking the payload. */
  readonly stopped: boolean;
  issue(path: string, message: string): void;
  /** Counts one input series; false (with an issue) when FORMAT_LIMITS.maxSeries is exceeded. */
  series(key: string, path: string): boolean;
  /** Counts one input data point; false (with an issue) when FORMAT_LIMITS.maxPoints is exceeded. */
  point(path: string): boolean;
  /**
   * Epoch ms, or undefined after an issue when outside the times a native series holds
   * (MIN_COLUMN_EPOCH_MS to LATEST_MS). `written` gives the value as the payload wrote it, with its unit
   * (`the sample time -5 (Unix seconds)`), and `hint` what the format expects, for the message: `written` is a
   * function since it is needed only for a refused time, and this runs for every point of a payload.
   */
  time(ms: number, path: string, written: () => string, hint?: string): number | undefined;
  /** Places the points of one input data point, or counts them all as unmatched when the target is missing. */
  place(seriesKey: string, points: Placement[]): void;
  unmatched(seriesKey: string, code: UnmatchedCode, reason: string, points: number): void;
}

type Reader = (payload: unknown, options: ReaderOptions, sink: Sink) => void;

const READERS: Record<MetricFormat, Reader> = {
  otlp: readOtlp,
  prometheus: readPrometheus,
  azureMonitor: readAzureMonitor,
};

class Collector implements Sink {
  readonly issues: MetricFormatIssue[] = [];
  private limitHit = false;
  private readonly seriesSeen = new Set<string>();
  private points = 0;
  // Map, not an object: a target or metric called "constructor" or "__proto__" must stay an ordinary key.
  readonly out = new Map<string, Map<string, Columns>>();
  private readonly unmatchedSeries = new Set<string>();
  private unmatchedPoints = 0;
  private readonly reasons = new Map<UnmatchedCode, { code: UnmatchedCode; reason: string; count: number }>();

  constructor(private readonly targetLabel: string) {}

  get stopped(): boolean {
    return this.limitHit || this.issues.length >= FORMAT_LIMITS.maxIssues;
  }

  issue(path: string, message: string): void {
    if (this.issues.length < FORMAT_LIMITS.maxIssues) this.issues.push({ code: 'MetricFormat', message, path });
  }

  series(key: string, path: string): boolean {
    if (this.seriesSeen.has(key)) return true;
    this.seriesSeen.add(key);
    if (this.seriesSeen.size <= FORMAT_LIMITS.maxSeries) return true;
    this.issue(path, `more than ${FORMAT_LIMITS.maxSeries} series in one payload (FORMAT_LIMITS.maxSeries); split it or filter the query`);
    this.limitHit = true;
    return false;
  }

  point(path: string): boolean {
    this.points += 1;
    if (this.points <= FORMAT_LIMITS.maxPoints) return true;
    this.issue(path, `more than ${FORMAT_LIMITS.maxPoints} data points in one payload (FORMAT_LIMITS.maxPoints); shorten the range or coarsen the step`);
    this.limitHit = true;
    return false;
  }

  time(ms: number, path: string, written: () => string, hint?: string): number | undefined {
    if (ms >= MIN_COLUMN_EPOCH_MS && ms <= LATEST_MS) return ms;
    // Checked here, not left to the native series' own check: that one would point at targets[i].metrics
    // (not in the request) and read a small number as epoch seconds, which a converted time never is.
    const at = Number.isFinite(ms) && Math.abs(ms) <= MAX_EPOCH_MS ? ` is ${isoUtc(ms)},` : ' is';
    const range = ms < MIN_COLUMN_EPOCH_MS ? `before ${EARLIEST_PAYLOAD_TIME}, the earliest` : `after ${LATEST_PAYLOAD_TIME}, the latest`;
    this.issue(path, `${written()}${at} ${range} time a metric series may hold${hint ? `; ${hint}` : ''}`);
    return undefined;
  }

  place(seriesKey: string, points: Placement[]): void {
    const first = points[0];
    if (first === undefined) return;
    // One data point names one target and one instance, so checking the first decides for all its values.
    if (first.target === undefined || first.target === '') {
      const reason =
        this.targetLabel === AZURE_RESOURCE_TARGET
          ? "the metric's id names no resource and the series has no microsoft.resourceid dimension (a subscription-scope query needs $filter=Microsoft.ResourceId eq '*')"
          : `no "${this.targetLabel}" label, attribute or dimension`;
      return this.unmatched(seriesKey, 'NoTargetLabel', reason, points.length);
    }
    if (first.target.length > LIMITS.idLength || !TARGET_ID_RE.test(first.target)) {
      return this.unmatched(
        seriesKey,
        'InvalidTargetId',
        `the "${this.targetLabel}" value is not a valid target id (letters, digits and . _ : / -, starting with a letter or digit, at most ${LIMITS.idLength} characters)`,
        points.length,
      );
    }
    if (first.instance !== undefined && first.instance.length > LIMITS.idLength) {
      return this.unmatched(seriesKey, 'InstanceTooLong', `the instance name is longer than ${LIMITS.idLength} characters`, points.length);
    }
    let metrics = this.out.get(first.target);
    if (!metrics) this.out.set(first.target, (metrics = new Map()));
    for (const p of points) {
      let series = metrics.get(p.metric);
      if (!series) metrics.set(p.metric, (series = { t: [], v: [], instances: [], named: false }));
      series.t.push(p.t);
      series.v.push(p.v);
      // An empty label is an absent label (Prometheus treats them alike), so it names no instance.
      const instance = p.instance !== undefined && p.instance !== '' ? p.instance : null;
      series.instances.push(instance);
      if (instance !== null) series.named = true;
    }
  }

  unmatched(seriesKey: string, code: UnmatchedCode, reason: string, points: number): void {
    this.unmatchedSeries.add(seriesKey);
    this.unmatchedPoints += points;
    const entry = this.reasons.get(code);
    if (entry) entry.count += points;
    else this.reasons.set(code, { code, reason, count: points });
  }

  summary(): Unmatched {
    return { points: this.unmatchedPoints, series: this.unmatchedSeries.size, reasons: [...this.reasons.values()] };
  }
}

// Plain code-unit order: localeCompare would depend on the runtime's locale data.
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One series as the readers place it: parallel columns in payload order. */
interface Columns {
  t: number[];
  v: number[];
  instances: Array<string | null>;
  /** Some point names an instance. */
  named: boolean;
}

/**
 * The columns in time order, then instance (none first); the sort is stable, so equal keys keep the
 * payload's order. Sorts an index, not objects: no allocation per point beyond the output columns.
 */
function sortedColumns(c: Columns): ColumnarSeries {
  const n = c.t.length;
  const order = new Array<number>(n);
  let ordered = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (i > 0 && compareAt(c, i - 1, i) > 0) ordered = false;
  }
  if (!ordered) order.sort((a, b) => compareAt(c, a, b));
  const out: ColumnarSeries = { t: ordered ? c.t : order.map((i) => c.t[i]!), v: ordered ? c.v : order.map((i) => c.v[i]!) };
  if (c.named) out.instances = ordered ? c.instances : order.map((i) => c.instances[i]!);
  return out;
}

function compareAt(c: Columns, a: number, b: number): number {
  const ta = c.t[a]!;
  const tb = c.t[b]!;
  if (ta !== tb) return ta - tb;
  const ia = c.instances[a]!;
  const ib = c.instances[b]!;
  if (ia === ib) return 0;
  if (ia === null) return -1;
  if (ib === null) return 1;
  return byCodeUnit(ia, ib);
}

/** Columns back to point objects, for callers of convertMetrics. */
function toPoints(c: ColumnarSeries): NativePoint[] {
  return c.t.map((t, i) => {
    const point: NativePoint = { t, v: c.v[i]! };
    const instance = c.instances?.[i];
    if (instance !== undefined && instance !== null) point.instance = instance;
    return point;
  });
}

function checkOptions(input: ConvertMetricsInput): MetricFormatIssue[] {
  const issues: MetricFormatIssue[] = [];
  const bad = (path: string, message: string) => issues.push({ code: 'MetricFormat', message, path });
  if (!METRIC_FORMATS.includes(input.format)) bad('format', `format must be one of ${METRIC_FORMATS.join(', ')}`);
  if (typeof input.targetLabel !== 'string' || input.targetLabel === '') bad('targetLabel', 'targetLabel must name the label that holds the target id');
  if (input.targetLabel === AZURE_RESOURCE_TARGET && input.format !== 'azureMonitor') {
    bad('targetLabel', `"${AZURE_RESOURCE_TARGET}" is only meaningful for the azureMonitor format`);
  }
  if (input.instanceLabel !== undefined && (typeof input.instanceLabel !== 'string' || input.instanceLabel === '')) {
    bad('instanceLabel', 'instanceLabel must be a non-empty string when given');
  }
  if (input.metric !== undefined) {
    if (input.format !== 'prometheus') bad('metric', '`metric` applies only to the prometheus format (OTLP and Azure always name their metrics)');
    else if (typeof input.metric !== 'string' || input.metric === '') bad('metric', 'metric must be a non-empty string when given');
  }
  if (input.aggregation !== undefined) {
    if (input.format !== 'azureMonitor') bad('aggregation', '`aggregation` applies only to the azureMonitor format');
    else if (!AZURE_AGGREGATIONS.includes(input.aggregation)) bad('aggregation', `aggregation must be one of ${AZURE_AGGREGATIONS.join(', ')}`);
  }
  if (input.metricNames !== undefined) {
    if (!isRecord(input.metricNames)) bad('metricNames', 'metricNames must map source metric names to edgescale metric names');
    else {
      for (const [from, to] of Object.entries(input.metricNames)) {
        if (typeof to !== 'string' || to === '') bad(`metricNames.${from}`, 'the new metric name must be a non-empty string');
      }
    }
  }
  return issues;
}

/** convertMetricsColumns with each series as point objects `[{ t, v, instance? }]`, sorted the same way. */
export function convertMetrics(input: ConvertMetricsInput, limits: ConvertLimits = {}): ConvertMetricsResult {
  const r = convertMetricsColumns(input, limits);
  if (!r.ok) return r;
  const targets = Object.fromEntries(Object.entries(r.targets).map(([id, metrics]) => [id, Object.fromEntries(Object.entries(metrics).map(([m, c]) => [m, toPoints(c)]))]));
  return { ok: true, targets, unmatched: r.unmatched };
}

interface ConvertLimits {
  maxPointsPerSeries?: number;
  limitName?: string;
}

/**
 * Converts one payload into native columnar series per target. Never throws: malformed payloads, non-finite
 * values and exceeded limits come back as issues with the path where they were found; data points that parse
 * but cannot be placed (no target label, no value for the chosen aggregation, ...) are counted in `unmatched`.
 */
export function convertMetricsColumns(input: ConvertMetricsInput, limits: ConvertLimits = {}): ConvertMetricsColumnsResult {
  // A deployment may lower the points limit (EDGESCALE_LIMIT_POINTS_PER_SERIES); converted series obey it as inline ones do.
  const maxPoints = Math.min(limits.maxPointsPerSeries ?? FORMAT_LIMITS.maxPointsPerSeries, FORMAT_LIMITS.maxPointsPerSeries);
  const limitName = limits.limitName ?? 'FORMAT_LIMITS.maxPointsPerSeries';
  const optionIssues = checkOptions(input);
  if (optionIssues.length > 0) return { ok: false, issues: optionIssues };
  const names = input.metricNames ?? {};
  // Object.hasOwn: a metric called "constructor" must not find Object.prototype.constructor.
  const renames = (source: string) => Object.hasOwn(names, source);
  const options: ReaderOptions = {
    targetLabel: input.targetLabel,
    instanceLabels: input.instanceLabel !== undefined ? [input.instanceLabel] : DEFAULT_INSTANCE_LABELS[input.format],
    rename: (source) => (renames(source) ? names[source]! : source),
    renames,
    aggregation: input.aggregation ?? 'average',
  };
  if (input.metric !== undefined) options.metric = input.metric;

  const sink = new Collector(input.targetLabel);
  // The body limit bounds the number of values already (nodes: unbounded here); depth is what recursion cares about.
  const tooDeep = checkValueBounds(input.payload, { maxDepth: FORMAT_LIMITS.maxDepth, maxNodes: Infinity, depthName: 'FORMAT_LIMITS.maxDepth', nodesName: '' });
  if (tooDeep) return { ok: false, issues: [{ code: 'MetricFormat', message: `the payload is ${tooDeep.message}`, path: tooDeep.path }] };
  try {
    READERS[input.format](input.payload, options, sink);
  } catch (e) {
    // Readers check every value they touch; this only guards against a defect turning into a 500.
    sink.issue('', `the payload could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (sink.issues.length > 0) return { ok: false, issues: sink.issues };

  const targets: Array<[string, Record<string, ColumnarSeries>]> = [];
  for (const target of [...sink.out.keys()].sort(byCodeUnit)) {
    const metrics = sink.out.get(target)!;
    const entries: Array<[string, ColumnarSeries]> = [];
    for (const metric of [...metrics.keys()].sort(byCodeUnit)) {
      const columns = metrics.get(metric)!;
      if (columns.t.length > maxPoints) {
        sink.issue('', `target "${target}" would get ${columns.t.length} points of "${metric}", more than ${maxPoints} (${limitName})`);
      }
      entries.push([metric, sortedColumns(columns)]);
    }
    // Object.fromEntries defines own properties, so "__proto__" stays data rather than a prototype.
    targets.push([target, Object.fromEntries(entries)]);
  }
  if (sink.issues.length > 0) return { ok: false, issues: sink.issues };
  return { ok: true, targets: Object.fromEntries(targets), unmatched: sink.summary() };
}

/** Joins a payload path under a prefix: prefixPath("metricsPayload", "data.result[0]"), prefixPath("p", "[2].value"). */
export function prefixPath(prefix: string, path: string): string {
  if (path === '') return prefix;
  if (prefix === '') return path;
  return path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;
}
