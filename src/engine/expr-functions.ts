// The helper functions edgescale registers into every JSONata expression ($window, $percentile, $rate, …).
import { EARLIEST_MS, LATEST_MS, parseIsoDuration, toEpochMs } from '../syntax/duration.js';

// One duration grammar for the whole engine: rule windows, cooldowns and `$duration` must agree, so
// this re-exports duration.ts rather than keeping a second parser. It accepts PnW, PnDTnHnMnS (with
// fractions, e.g. PT1.5S) and refuses years and months, which have no fixed length in milliseconds.
export { parseIsoDuration };

/** What a helper may see of the evaluation it runs in (the evaluator's Runtime satisfies it as it is). */
interface HelperContext {
  /** Epoch milliseconds of the evaluation; the time helpers never read a clock. */
  readonly now: number;
  /** The evaluation's meter: charge native work to its budgets; throws when one is spent. */
  readonly meter: { charge(units: number, doing: string): void };
}

/** A helper's failure; expr.ts turns it into a structured ExprError with the call's position. */
export class ExprHelperError extends Error {
  /**
   * A code in edgescale's own U-range, so the evaluator places this error at the call (position and
   * token) as it places jsonata's; expr.ts reports it with `exprCode`, not this.
   */
  readonly code = 'U3900';
  constructor(
    readonly exprCode: 'ExprType' | 'ExprRuntime',
    message: string,
  ) {
    super(message);
    this.name = 'ExprHelperError';
  }
}

export interface HelperFunction {
  /** Name without the `$`. */
  readonly name: string;
  /** JSONata signature: jsonata validates arguments against it before the call (T0410 etc.). */
  readonly signature: string;
  // Each helper has its own parameter list; its signature string is what checks the arguments at run time.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly impl: (ctx: HelperContext, ...args: any[]) => unknown;
}

// Comparisons of a native numeric sort per unit of work: a unit is what the evaluator pays to visit
// one element (tens of ns); a Float64Array comparison costs a few ns, so 4 per unit is an upper bound.
const SORT_COMPARISONS_PER_UNIT = 4;
// Points a helper reads per unit of work: each point is a property read or two and a comparison,
// about what the evaluator charges one unit for, and ISO timestamps are parsed (charged double).
const POINT_UNITS = 1;
const ISO_POINT_UNITS = 2;

// Quotients within this relative distance of an integer are treated as that integer by $ceilDiv, so
// binary rounding (0.1 + 0.2 = 0.30000000000000004) cannot turn 3 instances into 4.
const CEIL_DIV_SNAP = 1e-9;

const typeError = (message: string) => new ExprHelperError('ExprType', message);
const valueError = (message: string) => new ExprHelperError('ExprRuntime', message);

/** Work units for sorting n numbers (n·log2 n comparisons). */
function sortUnits(n: number): number {
  return n < 2 ? 0 : Math.ceil((n * Math.log2(n)) / SORT_COMPARISONS_PER_UNIT);
}

/** Charge for reading every point of a series once, before doing it; `doing` names the helper (`reading points in $rate`). */
function chargePoints(ctx: HelperContext, doing: string, points: readonly unknown[], passes = 1): void {
  const iso = points.length > 0 && typeof (points[0] as { t?: unknown } | null)?.t === 'string';
  ctx.meter.charge(points.length * passes * (iso ? ISO_POINT_UNITS : POINT_UNITS), doing);
}

interface TimedPoint {
  t: number;
  v: number;
}

function pointTime(fn: string, point: unknown, index: number): number {
  const t = (point as { t?: unknown } | null)?.t;
  // toEpochMs of a number, inline: the common case
  if (typeof t === 'number' && Number.isFinite(t) && t >= EARLIEST_MS && t <= LATEST_MS) return t;
  const ms = typeof t === 'number' || typeof t === 'string' ? toEpochMs(t) : undefined;
  if (ms === undefined) {
    throw typeError(`$${fn}: point ${index} has no valid "t" (expected epoch milliseconds or an ISO 8601 timestamp with an offset)`);
  }
  return ms;
}

function pointValue(fn: string, point: unknown, index: number): number {
  const v = (point as { v?: unknown } | null)?.v;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw typeError(`$${fn}: point ${index} has no numeric "v"`);
  }
  return v;
}

function timedPoints(fn: string, points: readonly unknown[]): TimedPoint[] {
  return points.map((p, i) => ({ t: pointTime(fn, p, i), v: pointValue(fn, p, i) }));
}

function durationMs(fn: string, iso: string): number {
  const ms = parseIsoDuration(iso);
  if (ms === undefined) {
    throw valueError(`$${fn}: "${iso.slice(0, 40)}" is not an ISO 8601 duration such as "PT5M" or "P1D" (years and months are not accepted)`);
  }
  return ms;
}

function finiteNumbers(fn: string, numbers: readonly unknown[]): number[] {
  for (let i = 0; i < numbers.length; i++) {
    const x = numbers[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw typeError(`$${fn}: item ${i} is not a finite number`);
  }
  return numbers as number[];
}

/** $window(points, duration): the points with now − duration < t ≤ now, in their original order. */
function window(ctx: HelperContext, points: unknown[] | undefined, duration: string): unknown[] | undefined {
  if (points === undefined) return undefined;
  const ms = durationMs('window', duration);
  chargePoints(ctx, 'reading points in $window', points);
  const from = ctx.now - ms;
  return points.filter((p, i) => {
    const t = pointTime('window', p, i);
    return t > from && t <= ctx.now;
  });
}

/** $duration(iso): milliseconds in an ISO 8601 duration. */
function duration(_ctx: HelperContext, iso: string | undefined): number | undefined {
  return iso === undefined ? undefined : durationMs('duration', iso);
}

/**
 * $percentile(numbers, p): linear interpolation between closest ranks, as numpy's default
 * ("linear"): sort ascending, h = (n − 1)·p/100, result = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 */
function percentile(ctx: HelperContext, numbers: unknown[] | undefined, p: number): number | undefined {
  if (numbers === undefined || numbers.length === 0) return undefined;
  if (!(p >= 0 && p <= 100)) throw valueError(`$percentile: p must be between 0 and 100, got ${p}`);
  const xs = finiteNumbers('percentile', numbers);
  ctx.meter.charge(xs.length * POINT_UNITS + sortUnits(xs.length), `sorting ${xs.length} numbers for $percentile`);
  const sorted = sortedNumbers(xs);
  const h = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return below + (h - lo) * (above - below);
}

/**
 * `[...xs].sort((a, b) => a - b)` for finite numbers. A Float64Array sorts numerically without calling
 * back into JavaScript; it puts -0 before 0, which the comparator treats as equal (keeping their
 * order), so a list with a -0 is sorted the original way.
 */
function sortedNumbers(xs: readonly number[]): ArrayLike<number> {
  for (let i = 0; i < xs.length; i++) if (xs[i] === 0 && 1 / xs[i]! < 0) return [...xs].sort((a, b) => a - b);
  return Float64Array.from(xs).sort();
}

/** $rate(points): (v_last − v_first) / seconds between the earliest and the latest point by t. */
function rate(ctx: HelperContext, points: unknown[] | undefined): number | undefined {
  if (points === undefined || points.length < 2) return undefined;
  chargePoints(ctx, 'reading points in $rate', points);
  return rateOfRange(points, 0, points.length);
}

/**
 * $rate of points[start … end − 1] (at least two), after its charge: also what the fast path for
 * numeric expressions (src/engine/expr-fast.ts) computes over a window of a series, without copying it.
 */
export function rateOfRange(points: readonly unknown[], start: number, end: number): number | undefined {
  // timedPoints' checks, point by point in the same order, without building the list
  let firstT = pointTime('rate', points[start], 0);
  let firstV = pointValue('rate', points[start], 0);
  let lastT = firstT;
  let lastV = firstV;
  for (let i = start + 1; i < end; i++) {
    const p = points[i] as { t?: unknown; v?: unknown } | null;
    // pointTime and pointValue of the common point ({t: epoch ms, v: finite number}) inline; they decide anything else
    const pt = p !== null && typeof p === 'object' ? p.t : undefined;
    const t = typeof pt === 'number' && Number.isFinite(pt) && pt >= EARLIEST_MS && pt <= LATEST_MS ? pt : pointTime('rate', p, i - start);
    const pv = p !== null && typeof p === 'object' ? p.v : undefined;
    const v = typeof pv === 'number' && Number.isFinite(pv) ? pv : pointValue('rate', p, i - start);
    // Strict comparisons: among equal times the point listed first wins, so ties are deterministic.
    if (t < firstT) {
      firstT = t;
      firstV = v;
    }
    if (t > lastT) {
      lastT = t;
      lastV = v;
    }
  }
  if (lastT === firstT) return undefined;
  return (lastV - firstV) / ((lastT - firstT) / 1000);
}

/** $slope(points): least-squares slope of v against t, per second. */
function slope(ctx: HelperContext, points: unknown[] | undefined): number | undefined {
  if (points === undefined || points.length < 2) return undefined;
  chargePoints(ctx, 'reading points in $slope', points, 3);
  const ps = timedPoints('slope', points);
  // Centre on the means before multiplying: epoch milliseconds squared lose every significant digit.
  let tMean = 0;
  let vMean = 0;
  for (const p of ps) {
    tMean += p.t / ps.length;
    vMean += p.v / ps.length;
  }
  let num = 0;
  let den = 0;
  for (const p of ps) {
    const dt = (p.t - tMean) / 1000;
    num += dt * (p.v - vMean);
    den += dt * dt;
  }
  return den === 0 ? undefined : num / den;
}

/** $ewma(numbers, alpha): s₀ = x₀, sᵢ = α·xᵢ + (1 − α)·sᵢ₋₁; returns the last s. */
function ewma(ctx: HelperContext, numbers: unknown[] | undefined, alpha: number): number | undefined {
  if (numbers === undefined || numbers.length === 0) return undefined;
  ctx.meter.charge(numbers.length * POINT_UNITS, 'averaging in $ewma');
  if (!(alpha > 0 && alpha <= 1)) throw valueError(`$ewma: alpha must be in (0, 1], got ${alpha}`);
  const xs = finiteNumbers('ewma', numbers);
  let s = xs[0]!;
  for (let i = 1; i < xs.length; i++) s = alpha * xs[i]! + (1 - alpha) * s;
  return s;
}

/** $clamp(x, lo, hi): x brought into [lo, hi]. */
function clamp(_ctx: HelperContext, x: number | undefined, lo: number, hi: number): number | undefined {
  if (x === undefined) return undefined;
  if (lo > hi) throw valueError(`$clamp: the lower bound ${lo} is above the upper bound ${hi}`);
  return Math.min(hi, Math.max(lo, x));
}

/** $ceilDiv(a, b): ⌈a / b⌉, e.g. instances needed for a backlog at a per-instance rate. */
function ceilDiv(_ctx: HelperContext, a: number | undefined, b: number): number | undefined {
  if (a === undefined) return undefined;
  if (b === 0) throw valueError('$ceilDiv: division by zero');
  const q = a / b;
  const nearest = Math.round(q);
  const result = Math.abs(q - nearest) <= CEIL_DIV_SNAP * Math.max(1, Math.abs(q)) ? nearest : Math.ceil(q);
  return result === 0 ? 0 : result; // no -0 in results
}

/** Every helper, registered on each compiled expression by expr.ts. */
export const HELPER_FUNCTIONS: readonly HelperFunction[] = Object.freeze([
  { name: 'window', signature: '<a<o>s:a<o>>', impl: window },
  { name: 'duration', signature: '<s:n>', impl: duration },
  { name: 'percentile', signature: '<a<n>n:n>', impl: percentile },
  { name: 'rate', signature: '<a<o>:n>', impl: rate },
  { name: 'slope', signature: '<a<o>:n>', impl: slope },
  { name: 'ewma', signature: '<a<n>n:n>', impl: ewma },
  { name: 'clamp', signature: '<nnn:n>', impl: clamp },
  { name: 'ceilDiv', signature: '<nn:n>', impl: ceilDiv },
]);
