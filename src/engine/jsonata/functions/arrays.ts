// $append, $reverse, $zip, $distinct, $sort: ported from jsonata 2.2.2 src/functions.js (MIT, © IBM Corp.), metered per item and per comparison.

import { JsonataError, MEMORY_COST, createSequence, isSequence, type Focus, type JsFunctionArg, type Runtime } from '../runtime.js';
import { deepEquals, isArrayOfNumbers, isArrayOfStrings, isFunction, produceArray, work } from './util.js';

export function append(this: Focus, arg1: unknown, arg2: unknown): unknown {
  if (arg1 === undefined) return arg2;
  if (arg2 === undefined) return arg1;
  const a = Array.isArray(arg1) ? arg1 : [arg1];
  const b = Array.isArray(arg2) ? arg2 : [arg2];
  produceArray(this.rt, a.length + b.length, '$append');
  // Array.prototype.concat: a new plain array (a sequence's flag is not copied)
  const result = new Array<unknown>(a.length + b.length);
  for (let i = 0; i < a.length; i++) result[i] = a[i];
  for (let i = 0; i < b.length; i++) result[a.length + i] = b[i];
  return result;
}

export function reverse(this: Focus, arr: unknown[] | undefined): unknown[] | undefined {
  if (arr === undefined) return undefined;
  if (arr.length <= 1) return arr;
  const length = arr.length;
  produceArray(this.rt, length, '$reverse');
  const result = new Array<unknown>(length);
  for (let i = 0; i < length; i++) result[length - i - 1] = arr[i];
  return result;
}

export function zip(this: Focus, ...args: unknown[]): unknown[][] {
  const result: unknown[][] = [];
  let length = Infinity;
  for (const arg of args) length = Math.min(length, Array.isArray(arg) ? arg.length : 0);
  if (args.length === 0) length = Infinity; // Math.min() of nothing, as jsonata (then no tuples are built below)
  if (!Number.isFinite(length)) return result;
  produceArray(this.rt, length, '$zip');
  this.rt.meter.alloc(length * (MEMORY_COST.arrayHeader + args.length * MEMORY_COST.arraySlot), 'building tuples in $zip');
  work(this.rt, length * args.length, 'zipping arrays');
  for (let i = 0; i < length; i++) result.push(args.map((arg) => (arg as unknown[])[i]));
  return result;
}

export function distinct(this: Focus, arr: unknown): unknown {
  if (arr === undefined) return undefined;
  if (!Array.isArray(arr) || arr.length <= 1) return arr;
  const results: unknown[] = isSequence(arr) ? createSequence() : [];
  work(this.rt, arr.length, 'removing duplicates');
  // Primitives (and functions) are equal only when identical, which a Set decides in one step; NaN
  // is never equal to itself in jsonata's deepEquals, so each NaN is kept.
  const seen = new Set<unknown>();
  // Arrays and objects compare deeply, pairwise against every distinct one kept so far (quadratic, as
  // jsonata): each comparison is charged by the values it visits.
  const keptObjects: unknown[] = [];
  const counter = { n: 0 };
  for (const value of arr) {
    if (typeof value === 'object' && value !== null && !isFunction(value)) {
      let includes = false;
      for (const kept of keptObjects) {
        counter.n = 0;
        const eq = deepEquals(value, kept, counter);
        this.rt.meter.charge(counter.n, 'comparing values in $distinct');
        if (eq) {
          includes = true;
          break;
        }
      }
      if (!includes) {
        keptObjects.push(value);
        results.push(value);
      }
    } else if (typeof value === 'number' && Number.isNaN(value)) {
      results.push(value);
    } else if (!seen.has(value)) {
      seen.add(value);
      results.push(value);
    }
  }
  this.rt.meter.alloc(MEMORY_COST.arrayHeader + results.length * MEMORY_COST.arraySlot, 'building an array in $distinct');
  return results;
}

/**
 * Stable merge sort with jsonata's exact split points, merge order and comparator calls (its msort:
 * `comp(left, right)` truthy takes the right item first), but merging by index into one buffer
 * instead of recursing per element and slicing: O(n log n) time, O(n) memory, log n stack depth.
 * Charges each merge's items (an upper bound on its comparisons and moves) before doing it.
 */
export function mergeSort(rt: Runtime, arr: readonly unknown[], comp: (a: unknown, b: unknown) => unknown, fn = '$sort'): unknown[] {
  const n = arr.length;
  produceArray(rt, n, fn);
  rt.meter.alloc(MEMORY_COST.arrayHeader + n * MEMORY_COST.arraySlot, `sorting in ${fn}`);
  const a = arr.slice();
  const buf = new Array<unknown>(n);
  const doing = `sorting in ${fn}`;
  const msort = (lo: number, hi: number): void => {
    if (hi - lo <= 1) return;
    const mid = lo + Math.floor((hi - lo) / 2);
    msort(lo, mid);
    msort(mid, hi);
    rt.meter.charge(hi - lo, doing);
    let i = lo;
    let j = mid;
    let k = lo;
    while (i < mid && j < hi) {
      if (comp(a[i], a[j])) buf[k++] = a[j++];
      else buf[k++] = a[i++];
    }
    while (i < mid) buf[k++] = a[i++];
    while (j < hi) buf[k++] = a[j++];
    for (let x = lo; x < hi; x++) a[x] = buf[x];
  };
  msort(0, n);
  return a;
}

export function sort(this: Focus, arr: unknown[] | undefined, comparator?: JsFunctionArg): unknown[] | undefined {
  if (arr === undefined) return undefined;
  if (arr.length <= 1) return arr;
  let comp: (a: unknown, b: unknown) => unknown;
  if (comparator === undefined) {
    work(this.rt, arr.length, 'checking the items to sort');
    if (!isArrayOfNumbers(arr) && !isArrayOfStrings(arr)) {
      throw new JsonataError(
        'D3070',
        'The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function',
        { index: 1 },
      );
    }
    comp = (a, b) => (a as number) > (b as number);
  } else {
    comp = (a, b) => comparator.apply(this, [a, b]);
  }
  return mergeSort(this.rt, arr, comp);
}
