// Deterministic forecasts from a history on a regular grid: seasonal naive, seasonal max and percentile, additive Holt-Winters; their error (MAPE).
//
// Hyndman & Athanasopoulos, Forecasting: Principles and Practice, 3rd ed. (FPP3), https://otexts.com/fpp3/:
// - §5.2 "Some simple forecasting methods": seasonal naive, ŷ(T+h|T) = y(T+h−m(k+1)), k = ⌊(h−1)/m⌋;
// - §8.3 "Methods with seasonality", additive Holt-Winters, component form:
//     ŷ(t+h|t) = ℓ(t) + h·b(t) + s(t+h−m(k+1))
//     ℓ(t) = α(y(t) − s(t−m)) + (1−α)(ℓ(t−1) + b(t−1))
//     b(t) = β*(ℓ(t) − ℓ(t−1)) + (1−β*)b(t−1)
//     s(t) = γ(y(t) − ℓ(t−1) − b(t−1)) + (1−γ)s(t−m)
// - §5.8 "Evaluating point forecast accuracy": MAPE = mean(|100 e(t) / y(t)|).
// FPP3 estimates α, β*, γ and the initial states by optimisation; here they are fixed (HW_* below) and the
// states initialised from the first two seasons, so the same history always gives the same forecast.
// Everything works on Float64Arrays with counted loops: 14 days of 5-minute points in well under a millisecond.
import { endAt, firstAfter, type Point } from '../metrics.js';

/** α: the level follows a new observation by a fifth; FPP3's fitted α for hourly demand series is of this order. */
const HW_ALPHA = 0.2;
/** β*: the trend changes slowly (FPP3 requires 0 ≤ β* ≤ 1, typically much smaller than α). */
const HW_BETA = 0.05;
/** γ: each season's shape moves a tenth towards the latest season (FPP3 requires 0 ≤ γ ≤ 1 − α). */
const HW_GAMMA = 0.1;

export type ForecastMethod = 'seasonalNaive' | 'seasonalMax' | 'seasonalPercentile' | 'holtWinters';

/** A history read onto slots of `stepMs` ending at `end`: `values[i]` is the slot ending at end − (length−1−i)·step. */
export interface Grid {
  readonly values: Float64Array;
  readonly end: number;
  readonly stepMs: number;
}

export interface ForecastOptions {
  readonly method: ForecastMethod;
  /** The season in slots (m). */
  readonly season: number;
  /** seasonalMax / seasonalPercentile: how many past seasons. */
  readonly seasons: number;
  /** seasonalPercentile: 0 < p ≤ 100. */
  readonly percentile: number;
  /** Slots to forecast (h = 1..horizon). */
  readonly horizon: number;
}

export interface ForecastResult {
  /** The forecast for slots length … length+horizon−1 (h = 1..horizon). */
  readonly forecast: Float64Array;
  /** Mean absolute percentage error of the method's one-slot-ahead forecasts over the history; null without any. */
  readonly mape: number | null;
  /** Slots the error was measured over, and those skipped because their actual was 0. */
  readonly errorPoints: number;
  readonly zeros: number;
  /** Inner-loop steps taken: what the linear-work test counts (never time). */
  readonly ops: number;
}

/**
 * The points within (end − maxSlots·step, end] onto the grid: each slot (end − (j+1)·step, end − j·step]
 * is the mean of its points; an empty slot repeats the slot before it (the last value carried forward).
 * The grid starts at the oldest point's slot. Points are sorted by time (the schema normalized them).
 */
export function toGrid(points: readonly Point[], end: number, stepMs: number, maxSlots: number): Grid & { ops: number } {
  const from = end - maxSlots * stepMs;
  // The points inside the window, its first found by bisection (points older than it are never read).
  const last = endAt(points, end);
  const first = firstAfter(points, from, last);
  if (first >= last) return { values: new Float64Array(0), end, stepMs, ops: 0 };
  const n = Math.floor((end - points[first]!.t) / stepMs) + 1;
  const values = new Float64Array(n);
  let cur = -1;
  // A running mean, not a sum: values near the largest double must not overflow to Infinity.
  let mean = 0;
  let count = 0;
  let ops = 0;
  const close = (upTo: number) => {
    // Finish slot `cur` and carry its value into the empty slots up to (not including) `upTo`.
    const v = mean;
    for (let i = cur; i < upTo; i++) values[i] = v;
    ops += upTo - cur;
  };
  for (let k = first; k < last; k++) {
    const p = points[k]!;
    const i = n - 1 - Math.floor((end - p.t) / stepMs);
    ops++;
    if (i !== cur) {
      if (cur >= 0) close(i);
      cur = i;
      mean = 0;
      count = 0;
    }
    count++;
    mean += (p.v - mean) / count;
  }
  close(n);
  return { values, end, stepMs, ops };
}

/** The nearest-rank percentile of the first `k` entries of `buf` (sorted here in place by insertion: k ≤ 14). */
function nearestRank(buf: Float64Array, k: number, p: number): number {
  for (let i = 1; i < k; i++) {
    const v = buf[i]!;
    let j = i - 1;
    while (j >= 0 && buf[j]! > v) {
      buf[j + 1] = buf[j]!;
      j--;
    }
    buf[j + 1] = v;
  }
  return buf[Math.max(0, Math.ceil((p / 100) * k) - 1)]!;
}

/** Operations counted across calls without allocating per call. */
interface Counter {
  ops: number;
}

/**
 * Seasonal methods at slot `target` from the slots before `origin` (exclusive): the latest slot at the
 * same phase that is before the origin, and up to `seasons − 1` more one season apart each; NaN when none.
 */
function seasonal(y: Float64Array, target: number, origin: number, o: ForecastOptions, buf: Float64Array, count: Counter): number {
  const m = o.season;
  const lag = m * Math.ceil((target - origin + 1) / m);
  let base = target - lag;
  count.ops++;
  if (base < 0) return NaN;
  if (o.method === 'seasonalNaive') return y[base]!;
  let k = 0;
  while (base >= 0 && k < o.seasons) {
    buf[k++] = y[base]!;
    base -= m;
  }
  if (o.method === 'seasonalMax') {
    let max = buf[0]!;
    for (let i = 1; i < k; i++) if (buf[i]! > max) max = buf[i]!;
    count.ops += k;
    return max;
  }
  // Insertion sort of k ≤ PREDICTIVE_MAX_SEASONS values: counted at its worst, k².
  count.ops += k * k;
  return nearestRank(buf, k, o.percentile);
}

/** Adds one forecast-vs-actual pair to a running MAPE (FPP3 §5.8); a zero actual has no percentage error. */
interface ErrorSum {
  sum: number;
  points: number;
  zeros: number;
}
function addError(e: ErrorSum, actual: number, forecast: number): void {
  if (actual === 0) {
    e.zeros++;
    return;
  }
  e.sum += Math.abs((actual - forecast) / actual);
  e.points++;
}

/** Slots of history each method needs before it can forecast at all: one season, two for Holt-Winters' initialisation. */
export function slotsNeeded(method: ForecastMethod, season: number): number {
  return method === 'holtWinters' ? 2 * season : season;
}

/** Forecast `o.horizon` slots past the grid and measure the method's error over it. Needs `slotsNeeded` slots. */
export function forecast(grid: Grid, o: ForecastOptions): ForecastResult {
  return o.method === 'holtWinters' ? holtWinters(grid.values, o) : seasonalForecast(grid.values, o);
}

function seasonalForecast(y: Float64Array, o: ForecastOptions): ForecastResult {
  const n = y.length;
  const buf = new Float64Array(o.seasons);
  const err: ErrorSum = { sum: 0, points: 0, zeros: 0 };
  const count: Counter = { ops: 0 };
  // The error: each slot after the first season, forecast from the slots before it.
  for (let t = o.season; t < n; t++) addError(err, y[t]!, seasonal(y, t, t, o, buf, count));
  const out = new Float64Array(o.horizon);
  for (let h = 1; h <= o.horizon; h++) out[h - 1] = seasonal(y, n - 1 + h, n, o, buf, count);
  return { forecast: out, mape: err.points > 0 ? (100 * err.sum) / err.points : null, errorPoints: err.points, zeros: err.zeros, ops: count.ops };
}

/**
 * Additive Holt-Winters (FPP3 §8.3) with α, β*, γ fixed. Initial states from the first two seasons: the
 * trend is the difference of their means per slot, the level at the end of the first season its mean
 * moved along that trend, each seasonal state the first season's deviation from that line. A straight
 * line plus any repeating pattern is then forecast exactly.
 */
function holtWinters(y: Float64Array, o: ForecastOptions): ForecastResult {
  const m = o.season;
  const n = y.length;
  let mean1 = 0;
  let mean2 = 0;
  // Running means, as in toGrid: no sum to overflow.
  for (let i = 0; i < m; i++) {
    mean1 += (y[i]! - mean1) / (i + 1);
    mean2 += (y[m + i]! - mean2) / (i + 1);
  }
  let b = (mean2 - mean1) / m;
  let level = mean1 + (b * (m - 1)) / 2;
  const s = new Float64Array(m);
  for (let i = 0; i < m; i++) s[i] = y[i]! - (mean1 + b * (i - (m - 1) / 2));
  const err: ErrorSum = { sum: 0, points: 0, zeros: 0 };
  let ops = 2 * m;
  for (let t = m; t < n; t++) {
    const phase = t % m;
    const yt = y[t]!;
    // The one-slot-ahead forecast of y(t) from the states at t−1: its error is the method's error.
    addError(err, yt, level + b + s[phase]!);
    const nextLevel = HW_ALPHA * (yt - s[phase]!) + (1 - HW_ALPHA) * (level + b);
    s[phase] = HW_GAMMA * (yt - level - b) + (1 - HW_GAMMA) * s[phase]!;
    b = HW_BETA * (nextLevel - level) + (1 - HW_BETA) * b;
    level = nextLevel;
    ops++;
  }
  const out = new Float64Array(o.horizon);
  for (let h = 1; h <= o.horizon; h++) {
    // s(T+h−m(k+1)) has the phase of T+h: the ring buffer holds the latest state of each phase.
    out[h - 1] = level + h * b + s[(n - 1 + h) % m]!;
    ops++;
  }
  return { forecast: out, mape: err.points > 0 ? (100 * err.sum) / err.points : null, errorPoints: err.points, zeros: err.zeros, ops };
}
