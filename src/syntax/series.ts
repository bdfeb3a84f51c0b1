// Metric series in every accepted form (a number, points, start/step/values, t/v columns), validated and normalized in one pass.
import { parseIsoDuration, LATEST_MS, toEpochMs } from './duration.js';

/** One normalized sample: `t` in epoch ms. The engine's `Point` (src/engine/metrics.ts) has this shape. */
export interface SeriesPoint {
  t: number;
  v: number;
  instance?: string;
}

/** Regular data as sent and checked: the i-th value at start + i × step, epoch ms, step > 0. */
export interface RegularColumns {
  readonly start: number;
  readonly step: number;
  readonly values: readonly number[];
  readonly instance: string | undefined;
}

/**
 * A series the schema has read: its points in epoch ms, sorted by time (stable: equal times keep the
 * order they were sent in). Its own class so the engine can tell it from a series sent by a caller
 * in-process (tests, the CLI's callers) and never parses the same series twice.
 *
 * Regular data (`start`, `step`, `values`) stays in its columns until points are asked for: a decision
 * asks only for the points its rule set's lookback reaches (pointsAfter), and the decision id reads
 * the columns themselves, so a fleet's older points never become objects (issue #15).
 */
export class NormalizedSeries {
  private materialized: SeriesPoint[] | undefined;

  constructor(points: SeriesPoint[] | undefined, readonly regular?: RegularColumns) {
    this.materialized = points;
  }

  /** Every point, sorted by time. */
  get points(): SeriesPoint[] {
    return (this.materialized ??= regularPoints(this.regular!, 0));
  }

  /** How many points the series has, without making them. */
  get length(): number {
    return this.materialized?.length ?? this.regular!.values.length;
  }

  /**
   * The points with t > from, and possibly older ones: regular data makes only those, and always its
   * newest point (a series whose every point is old is stale, not empty: missing data's maxAge tells
   * the two apart); points already made are returned whole (a window ending at `now` skips the older ones).
   */
  pointsAfter(from: number): SeriesPoint[] {
    const r = this.regular;
    if (this.materialized !== undefined || r === undefined || !(from >= r.start) || r.values.length === 0) return this.points;
    return regularPoints(r, Math.min(r.values.length - 1, Math.floor((from - r.start) / r.step) + 1));
  }
}

/** Regular data's points from index `first` on. */
function regularPoints(r: RegularColumns, first: number): SeriesPoint[] {
  const { start, step, values, instance } = r;
  const points: SeriesPoint[] = new Array(values.length - first);
  for (let i = first; i < values.length; i++) {
    const point: SeriesPoint = { t: start + i * step, v: values[i]! };
    if (instance !== undefined) point.instance = instance;
    points[i - first] = point;
  }
  return points;
}

/** What the schema yields for a series: a bare number stays a number (one point at `now`, which only deciding knows). */
export type ParsedSeries = number | NormalizedSeries;

interface SeriesIssue {
  /** Inside the series: `[3].t`, `t[17]`, `values`. */
  path: Array<string | number>;
  message: string;
}

export type SeriesResult = { ok: true; value: ParsedSeries } | { ok: false; issues: SeriesIssue[] };

/**
 * The smallest epoch-ms number the columnar forms take: 1973-03-03T09:46:40Z. Epoch seconds of any
 * date from then to the year 5138 are below it, so a column of seconds is refused instead of being
 * read as January 1970. Earlier instants are written as ISO 8601 strings.
 */
export const MIN_COLUMN_EPOCH_MS = 1e11;

export const TIMESTAMP_MESSAGE =
  'expected an ISO 8601 timestamp with a zone offset (e.g. "2026-11-22T10:30:00Z") or epoch milliseconds, between years 1 and 9999';
const SECONDS_MESSAGE = `expected epoch milliseconds (>= ${MIN_COLUMN_EPOCH_MS}, 1973-03-03) or an ISO 8601 timestamp; this looks like epoch seconds: multiply by 1000`;
const SHAPE_MESSAGE =
  'Invalid input: expected a number, an array of points {t, v, instance?}, {start, step, values, instance?} or {t: [...], v: [...], instance? | instances?}';
/** Issues listed per series before stopping: enough to show a pattern, bounded for a hostile series. */
const MAX_ISSUES = 50;

const received = (x: unknown): string => (x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x);
const expected = (what: string, x: unknown) => `Invalid input: expected ${what}, received ${received(x)}`;
const tooMany = (n: number, max: number) => `Too big: expected at most ${max} points, got ${n}`;
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function unknownKeys(o: Record<string, unknown>, known: readonly string[]): string | undefined {
  const extra = Object.keys(o).filter((k) => !known.includes(k));
  if (extra.length === 0) return undefined;
  return `Unrecognized key${extra.length > 1 ? 's' : ''}: ${extra.map((k) => `"${k}"`).join(', ')}`;
}

/** Collects the issues of one series, capped at MAX_ISSUES. */
class Issues {
  readonly list: SeriesIssue[] = [];
  add(message: string, ...path: Array<string | number>): void {
    if (this.list.length < MAX_ISSUES) this.list.push({ path, message });
  }
  get full(): boolean {
    return this.list.length >= MAX_ISSUES;
  }
}

function checkInstance(x: unknown, maxLength: number, issues: Issues, ...path: Array<string | number>): x is string {
  if (typeof x !== 'string') issues.add(expected('string', x), ...path);
  else if (x.length > maxLength) issues.add(`Too big: expected string to have <=${maxLength} characters`, ...path);
  else return true;
  return false;
}

/** Sorted by time, stable, as the engine has always read a series; already sorted series are not copied. */
function sorted(points: SeriesPoint[], ordered: boolean): NormalizedSeries {
  return new NormalizedSeries(ordered ? points : points.sort((a, b) => a.t - b.t));
}

export interface SeriesLimits {
  /** Points per series (LIMITS.pointsPerSeries): a columnar series of N values counts N points. */
  maxPoints: number;
  /** Characters of an instance name (LIMITS.idLength). */
  maxInstanceLength: number;
}

/** A series in any accepted form, validated and normalized in one pass over its values. */
export function parseSeries(input: unknown, limits: SeriesLimits): SeriesResult {
  if (typeof input === 'number') return Number.isFinite(input) ? { ok: true, value: input } : { ok: false, issues: [{ path: [], message: expected('number', input) }] };
  const issues = new Issues();
  let value: NormalizedSeries | undefined;
  if (Array.isArray(input)) value = readPoints(input, limits, issues);
  else if (isObject(input) && 'values' in input) value = readRegular(input, limits, issues);
  else if (isObject(input) && ('t' in input || 'v' in input)) value = readColumns(input, limits, issues);
  else issues.add(SHAPE_MESSAGE);
  return value && issues.list.length === 0 ? { ok: true, value } : { ok: false, issues: issues.list };
}

const POINT_KEYS = ['t', 'v', 'instance'] as const;

/** The point-object form: `[{ "t": "2026-11-22T10:29:00Z", "v": 71, "instance": "vm-1" }, ...]`. */
function readPoints(input: unknown[], limits: SeriesLimits, issues: Issues): NormalizedSeries | undefined {
  if (input.length > limits.maxPoints) {
    issues.add(`Too big: expected array to have <=${limits.maxPoints} items`);
    return undefined;
  }
  const points: SeriesPoint[] = new Array(input.length);
  let ordered = true;
  let last = -Infinity;
  for (let i = 0; i < input.length && !issues.full; i++) {
    const p = input[i];
    if (!isObject(p)) {
      issues.add(expected('object', p), i);
      continue;
    }
    const { t: rawT, v, instance } = p;
    let keys = 0;
    for (const _ in p) keys++;
    if (keys > (rawT !== undefined ? 1 : 0) + (v !== undefined ? 1 : 0) + (instance !== undefined ? 1 : 0)) {
      const extra = unknownKeys(p, POINT_KEYS);
      if (extra) issues.add(extra, i);
    }
    const t = typeof rawT === 'string' || typeof rawT === 'number' ? toEpochMs(rawT) : undefined;
    if (t === undefined) issues.add(typeof rawT === 'string' || typeof rawT === 'number' ? TIMESTAMP_MESSAGE : expected('string or number', rawT), i, 't');
    if (typeof v !== 'number' || !Number.isFinite(v)) issues.add(expected('number', v), i, 'v');
    if (instance !== undefined) checkInstance(instance, limits.maxInstanceLength, issues, i, 'instance');
    if (issues.list.length > 0) continue;
    const point: SeriesPoint = { t: t!, v: v as number };
    if (instance !== undefined) point.instance = instance as string;
    points[i] = point;
    if (t! < last) ordered = false;
    else last = t!;
  }
  return issues.list.length > 0 ? undefined : sorted(points, ordered);
}

/** A timestamp of a columnar form: ISO 8601, or epoch ms no smaller than MIN_COLUMN_EPOCH_MS. */
function columnTime(x: unknown, issues: Issues, ...path: Array<string | number>): number | undefined {
  let t: number | undefined;
  if (typeof x === 'string') t = toEpochMs(x);
  else if (typeof x === 'number') {
    if (Number.isFinite(x) && Math.abs(x) < MIN_COLUMN_EPOCH_MS) {
      issues.add(SECONDS_MESSAGE, ...path);
      return undefined;
    }
    t = toEpochMs(x);
  } else {
    issues.add(expected('string or number', x), ...path);
    return undefined;
  }
  if (t === undefined) issues.add(TIMESTAMP_MESSAGE, ...path);
  return t;
}

const REGULAR_KEYS = ['start', 'step', 'values', 'instance'] as const;

/** Regular data: `{ "start": "2026-11-22T10:21:00Z", "step": "PT1M", "values": [71, 74, ...] }`; the i-th value is at start + i × step. */
function readRegular(input: Record<string, unknown>, limits: SeriesLimits, issues: Issues): NormalizedSeries | undefined {
  const extra = unknownKeys(input, REGULAR_KEYS);
  if (extra) issues.add(extra);
  const { start: rawStart, step: rawStep, values, instance } = input;
  const start = columnTime(rawStart, issues, 'start');
  let step: number | undefined;
  if (typeof rawStep === 'string') step = parseIsoDuration(rawStep);
  else if (typeof rawStep === 'number' && Number.isSafeInteger(rawStep)) step = rawStep;
  if (step === undefined || step <= 0) {
    issues.add('expected a positive ISO 8601 duration such as "PT1M" (weeks to seconds) or a positive whole number of milliseconds', 'step');
    step = undefined;
  }
  if (instance !== undefined) checkInstance(instance, limits.maxInstanceLength, issues, 'instance');
  if (!Array.isArray(values)) {
    issues.add(expected('array', values), 'values');
    return undefined;
  }
  if (values.length > limits.maxPoints) {
    issues.add(tooMany(values.length, limits.maxPoints), 'values');
    return undefined;
  }
  for (let i = 0; i < values.length && !issues.full; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) issues.add(expected('number', v), 'values', i);
  }
  if (start === undefined || step === undefined || issues.list.length > 0) return undefined;
  if (values.length > 0 && start + (values.length - 1) * step > LATEST_MS) {
    issues.add(`the last value's time, start + ${values.length - 1} × step, is after the year 9999`, 'values');
    return undefined;
  }
  return new NormalizedSeries(undefined, { start, step, values: values as number[], instance: instance as string | undefined });
}

const COLUMN_KEYS = ['t', 'v', 'instance', 'instances'] as const;

/** Irregular data: `{ "t": [...], "v": [...] }`, optionally `"instance"` for all of it or `"instances"` parallel to `v`. */
function readColumns(input: Record<string, unknown>, limits: SeriesLimits, issues: Issues): NormalizedSeries | undefined {
  const extra = unknownKeys(input, COLUMN_KEYS);
  if (extra) issues.add(extra);
  const { t: ts, v: vs, instance, instances } = input;
  if (instance !== undefined) checkInstance(instance, limits.maxInstanceLength, issues, 'instance');
  if (instance !== undefined && instances !== undefined) issues.add('give "instance" (one for the whole series) or "instances" (one per value), not both', 'instances');
  if (!Array.isArray(ts)) issues.add(expected('array', ts), 't');
  if (!Array.isArray(vs)) issues.add(expected('array', vs), 'v');
  if (instances !== undefined && !Array.isArray(instances)) issues.add(expected('array', instances), 'instances');
  if (!Array.isArray(ts) || !Array.isArray(vs) || issues.list.length > 0) return undefined;
  const names = instances as unknown[] | undefined;
  const n = Math.max(ts.length, vs.length, names?.length ?? 0);
  if (n > limits.maxPoints) {
    issues.add(tooMany(n, limits.maxPoints), ts.length === n ? 't' : vs.length === n ? 'v' : 'instances');
    return undefined;
  }
  if (vs.length !== ts.length) issues.add(`expected as many values as times: "t" has ${ts.length}, "v" has ${vs.length}`, 'v');
  if (names && names.length !== ts.length) issues.add(`expected one instance (or null) per time: "t" has ${ts.length}, "instances" has ${names.length}`, 'instances');
  if (issues.list.length > 0) return undefined;
  const points: SeriesPoint[] = new Array(ts.length);
  let ordered = true;
  let last = -Infinity;
  for (let i = 0; i < ts.length && !issues.full; i++) {
    const t = columnTime(ts[i], issues, 't', i);
    const v: unknown = vs[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) issues.add(expected('number', v), 'v', i);
    const name = names ? names[i] : instance;
    if (names && name !== null) checkInstance(name, limits.maxInstanceLength, issues, 'instances', i);
    if (t === undefined || issues.list.length > 0) continue;
    const point: SeriesPoint = { t, v: v as number };
    if (name !== undefined && name !== null) point.instance = name as string;
    points[i] = point;
    if (t < last) ordered = false;
    else last = t;
  }
  return issues.list.length > 0 ? undefined : sorted(points, ordered);
}

/** The points of a parsed series (at least those after `from`); a bare number is one point at `now`. */
export function seriesPoints(series: ParsedSeries, now: number, from = Number.NEGATIVE_INFINITY): SeriesPoint[] {
  return typeof series === 'number' ? [{ t: now, v: series }] : series.pointsAfter(from);
}
