// aggregateTrigger's one-pass folds against the arithmetic they replace: a grain array per time grain reduced with Array.reduce.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateTrigger, pointsInWindow, type Point } from '../../src/engine/metrics.js';
import type { GrainStatistic, TimeAggregation } from '../../src/schemas/vocabulary.js';

const MIN = 60_000;
const NOW = Date.parse('2026-11-22T10:30:00Z');

/** The previous implementation, kept as the oracle: group by grain into arrays, reduce each, reduce the grains. */
function byArrays(points: readonly Point[], now: number, spec: { grainMs: number; statistic: GrainStatistic; windowMs: number; timeAggregation: TimeAggregation }) {
  const sum = (vs: number[]) => vs.reduce((a, b) => a + b, 0);
  const min = (vs: number[]) => vs.reduce((a, b) => (b < a ? b : a));
  const max = (vs: number[]) => vs.reduce((a, b) => (b > a ? b : a));
  const reducers: Record<string, (vs: number[]) => number> = {
    Average: (vs) => sum(vs) / vs.length,
    Min: min,
    Max: max,
    Sum: sum,
    Count: (vs) => vs.length,
    Minimum: min,
    Maximum: max,
    Total: sum,
    Last: (vs) => vs[vs.length - 1]!,
  };
  const inWindow = pointsInWindow(points, now, spec.windowMs);
  if (inWindow.length === 0) return { value: undefined, grains: 0, samples: 0 };
  const grains = new Map<number, number[]>();
  for (const p of inWindow) {
    const key = Math.floor(p.t / spec.grainMs);
    const bucket = grains.get(key);
    if (bucket) bucket.push(p.v);
    else grains.set(key, [p.v]);
  }
  const values = [...grains.values()].map(reducers[spec.statistic]!);
  return { value: reducers[spec.timeAggregation]!(values), grains: values.length, samples: inWindow.length };
}

const STATISTICS: GrainStatistic[] = ['Average', 'Min', 'Max', 'Sum', 'Count'];
const AGGREGATIONS: TimeAggregation[] = ['Average', 'Minimum', 'Maximum', 'Total', 'Count', 'Last'];

describe('aggregateTrigger', () => {
  it('one pass gives exactly the grouped reduction: every statistic × aggregation, sorted series with several samples per grain, gaps, −0 and points after now', () => {
    const series = fc
      .array(fc.tuple(fc.integer({ min: -40 * 60, max: 90 }), fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, -0, 0.1, 0.2, 0.3))), { maxLength: 80 })
      .map((xs) => xs.map(([s, v]) => ({ t: NOW + s * 1000, v })).sort((a, b) => a.t - b.t));
    fc.assert(
      fc.property(
        series,
        fc.constantFrom(...STATISTICS),
        fc.constantFrom(...AGGREGATIONS),
        fc.constantFrom(MIN, 5 * MIN),
        fc.constantFrom(5 * MIN, 10 * MIN, 30 * MIN),
        (points, statistic, timeAggregation, grainMs, windowMs) => {
          const spec = { grainMs, statistic, windowMs, timeAggregation };
          expect(aggregateTrigger(points, NOW, spec)).toEqual(byArrays(points, NOW, spec));
        },
      ),
      { numRuns: 3_000, seed: 15 },
    );
  });

  it('a grain with two instances: Average of their mean per minute, then Maximum over the window', () => {
    const points = [1, 2, 3].flatMap((m) => [
      { t: NOW - (3 - m) * MIN, v: 10 * m },
      { t: NOW - (3 - m) * MIN, v: 10 * m + 4 },
    ]);
    expect(aggregateTrigger(points, NOW, { grainMs: MIN, statistic: 'Average', windowMs: 5 * MIN, timeAggregation: 'Maximum' })).toEqual({ value: 32, grains: 3, samples: 6 });
  });
});
