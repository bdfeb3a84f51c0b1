// Metric series in windows: Azure's grain/window aggregation, and the summaries given to JSONata (parsing is src/engine/series.ts).
import type { GrainStatistic, TimeAggregation } from '../schemas/vocabulary.js';

export interface Point {
  t: number;
  v: number;
  instance?: string;
}

/** Points with now - window < t <= now. Points from the future are ignored, not trusted. */
export function pointsInWindow(points: readonly Point[], now: number, windowMs: number): Point[] {
  const from = now - windowMs;
  return points.filter((p) => p.t > from && p.t <= now);
}

/** In points sorted by time: the index after the last one at or before `now` (later ones are from the future). */
export function endAt(points: readonly Point[], now: number): number {
  let end = points.length;
  while (end > 0 && points[end - 1]!.t > now) end--;
  return end;
}

/** In points[0, end) sorted by time: the index of the first one after `from`, by bisection (a window is (from, now]). */
export function firstAfter(points: readonly Point[], from: number, end: number): number {
  let start = 0;
  for (let hi = end; start < hi; ) {
    const mid = (start + hi) >>> 1;
    if (points[mid]!.t > from) hi = mid;
    else start = mid + 1;
  }
  return start;
}

/**
 * How a grain statistic or a time aggregation folds its values, in time order: the arithmetic of
 * `values.reduce((a, b) => a + b, 0)` (sum, and average = sum ÷ count), `reduce((a, b) => (b < a ? b
 * : a))` (min; max alike), the count, or the last value — one value at a time, so a window is read in
 * one pass without an array per grain (aggregateTrigger runs once per rule per target).
 */
type Fold = 'sum' | 'average' | 'min' | 'max' | 'count' | 'last';
const FOLDS = {
  Average: 'average',
  Min: 'min',
  Max: 'max',
  Sum: 'sum',
  Count: 'count',
  Minimum: 'min',
  Maximum: 'max',
  Total: 'sum',
  Last: 'last',
} as const satisfies Record<GrainStatistic | TimeAggregation, Fold>;

/** The fold after `v`; `acc` starts at 0 (a sum's initial value), `first` for the first value. */
function foldIn(fold: Fold, acc: number, v: number, first: boolean): number {
  switch (fold) {
    case 'sum':
    case 'average':
      return acc + v;
    case 'min':
      return first || v < acc ? v : acc;
    case 'max':
      return first || v > acc ? v : acc;
    case 'last':
      return v;
    case 'count':
      return acc;
  }
}

/** The folded value of `n` values (n ≥ 1). */
function foldOut(fold: Fold, acc: number, n: number): number {
  return fold === 'average' ? acc / n : fold === 'count' ? n : acc;
}

export interface TriggerAggregation {
  /** The aggregated value; undefined when the window holds no data. */
  value: number | undefined;
  /** Grains in the window that held at least one sample. */
  grains: number;
  samples: number;
}

/**
 * Azure's metric trigger arithmetic: samples in the window are grouped into time grains aligned
 * to the epoch (as Azure aligns grains to the clock), each grain is reduced with `statistic`
 * (which also combines instances), and the grain values are reduced with `timeAggregation`.
 * `points` must be sorted by time, as every series a decision reads is (the context normalizes them):
 * a grain's samples are then adjacent and grains come in time order, so one pass over the window folds
 * each grain and then the grains.
 */
export function aggregateTrigger(
  points: readonly Point[],
  now: number,
  spec: { grainMs: number; statistic: GrainStatistic; windowMs: number; timeAggregation: TimeAggregation },
): TriggerAggregation {
  const end = endAt(points, now);
  const start = firstAfter(points, now - spec.windowMs, end);
  if (start >= end) return { value: undefined, grains: 0, samples: 0 };
  const grainFold = FOLDS[spec.statistic];
  const timeFold = FOLDS[spec.timeAggregation];
  let grains = 0;
  let total = 0;
  let key = Math.floor(points[start]!.t / spec.grainMs);
  let grain = 0;
  let inGrain = 0;
  for (let i = start; i < end; i++) {
    const p = points[i]!;
    const k = Math.floor(p.t / spec.grainMs);
    if (k !== key) {
      total = foldIn(timeFold, total, foldOut(grainFold, grain, inGrain), grains === 0);
      grains++;
      key = k;
      grain = 0;
      inGrain = 0;
    }
    grain = foldIn(grainFold, grain, p.v, inGrain === 0);
    inGrain++;
  }
  total = foldIn(timeFold, total, foldOut(grainFold, grain, inGrain), grains === 0);
  grains++;
  return { value: foldOut(timeFold, total, grains), grains, samples: end - start };
}

export interface MetricSummary {
  last: number;
  first: number;
  avg: number;
  min: number;
  max: number;
  sum: number;
  count: number;
  /** Points in the window, oldest first, `t` in epoch milliseconds. */
  points: Array<{ t: number; v: number; instance?: string }>;
}

/**
 * The summary of the points with now − window < t ≤ now, in one pass; its `points` holds the
 * series' own Point objects (in a new array) instead of copies: for contexts whose expressions cannot
 * modify their input (see conditions.ts); copyPoints() makes the copies when one can.
 */
export function summarizeWindow(points: readonly Point[], now: number, windowMs: number): MetricSummary | undefined {
  const from = now - windowMs;
  // Where the window's points are (the loop keeps little state: it runs over every point of the series).
  let n = 0;
  let firstIndex = 0;
  let lastIndex = 0;
  for (let i = 0; i < points.length; i++) {
    const t = points[i]!.t;
    if (t > from && t <= now) {
      if (n++ === 0) firstIndex = i;
      lastIndex = i;
    }
  }
  if (n === 0) return undefined;
  // Sorted series (as src/engine/series.ts makes them) have their window in one run: copy it in one go.
  return summaryOf(n === lastIndex - firstIndex + 1 ? points.slice(firstIndex, lastIndex + 1) : pointsInWindow(points, now, windowMs));
}

/**
 * summarizeWindow for points sorted by `t` (as src/engine/series.ts makes them, and as RuleInputs holds
 * them): the same summary, with the window's bounds found by windowBounds (the points after `now`,
 * then a bisection) instead of scanning the whole series. For sorted points the window is one run,
 * the run summarizeWindow finds and copies.
 */
export function summarizeSortedWindow(points: readonly Point[], now: number, windowMs: number): MetricSummary | undefined {
  if (!windowBounds(points, now, windowMs)) return undefined;
  return summaryOf(points.slice(WINDOW.start, WINDOW.end));
}

/** What windowBounds found: the window's points are points[start … end − 1]. */
export const WINDOW = { start: 0, end: 0 };

/**
 * The bounds of the window (now − windowMs, now] in points sorted by `t` (endAt, then firstAfter), into
 * WINDOW (no allocation: this runs per metric, per window, per target); false when it holds no point.
 */
export function windowBounds(points: readonly Point[], now: number, windowMs: number): boolean {
  const end = endAt(points, now);
  const start = firstAfter(points, now - windowMs, end);
  WINDOW.start = start;
  WINDOW.end = end;
  return start !== end;
}

/** Copies of the points, as summaries expose them to expressions that may modify them. */
export function copyPoints(points: readonly Point[]): Point[] {
  return points.map((p) => ({ ...p }));
}

/** The summary of `points` (which it keeps as `points`); the same arithmetic, in the same order, as sum/min/max above. */
function summaryOf(points: Point[]): MetricSummary | undefined {
  const n = points.length;
  if (n === 0) return undefined;
  foldRange(points, 0, n);
  const total = FOLD.sum;
  return {
    last: points[n - 1]!.v,
    first: points[0]!.v,
    avg: total / n,
    min: FOLD.min,
    max: FOLD.max,
    sum: total,
    count: n,
    points,
  };
}

/** What foldRange found. */
export const FOLD = { sum: 0, min: 0, max: 0 };

/**
 * The sum (from 0, in point order), min and max of points[start … end − 1] (at least one) into FOLD:
 * the summaries' arithmetic, which the fast path for expressions (expr-fast.ts) shares, so the two
 * give the same numbers bit for bit.
 */
export function foldRange(points: readonly Point[], start: number, end: number): void {
  const first = points[start]!.v;
  let total = 0;
  let lo = first;
  let hi = first;
  for (let i = start; i < end; i++) {
    const v = points[i]!.v;
    total += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  FOLD.sum = total;
  FOLD.min = lo;
  FOLD.max = hi;
}
