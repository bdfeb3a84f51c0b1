// fmt(), the number format of every reason: its fast path gives exactly String(Number(n.toFixed(2))).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fmt } from '../../src/engine/explain.js';

/** The definition fmt() keeps: toFixed(2), read back as a number, printed. */
const byToFixed = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toFixed(2))));

describe('fmt', () => {
  it.each([
    [82.4, '82.4'],
    [70, '70'],
    [1 / 3, '0.33'],
    [2 / 3, '0.67'],
    [-2 / 3, '-0.67'],
    [1.005, '1'], // 1.00499999999999989… : toFixed's exact reading, not 1.01
    [2.675, '2.67'],
    [0.125, '0.13'], // an exact half, away from zero
    [-0.125, '-0.13'],
    [-0.001, '0'],
    [12345678.915, '12345678.91'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ])('fmt(%d) = %s, as toFixed(2) gives it', (n, expected) => {
    expect(fmt(n)).toBe(expected);
    expect(fmt(n)).toBe(byToFixed(n));
  });

  it('every number near a half of a hundredth formats as toFixed(2) does (the boundary the fast path leaves to toFixed)', () => {
    const differ: number[] = [];
    for (let k = -50_000; k <= 50_000; k++) {
      for (const n of [(k + 0.5) / 100, k / 100 + 0.005, k * 1000.01 + 0.005]) if (fmt(n) !== byToFixed(n)) differ.push(n);
    }
    expect(differ).toEqual([]);
  });

  it('any double formats as toFixed(2) does', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double(),
          fc.double({ min: -1e4, max: 1e4 }),
          fc.integer({ min: -1e9, max: 1e9 }).map((i) => i / 1000),
        ),
        (n) => fmt(n) === byToFixed(n),
      ),
      { numRuns: 20_000, seed: 20261206 },
    );
  });
});
