// $map, $filter, $single, $reduce, $sift, $each: ported from jsonata 2.2.2 src/functions.js (MIT, © IBM Corp.), synchronous.
//
// The function argument's own evaluation is charged by the evaluator; here each call costs one unit
// and what is built is allocated.

import { JsonataError, MEMORY_COST, createSequence, type Focus, type JsFunctionArg, type Sequence } from '../runtime.js';
import { toBoolean } from './boolean.js';
import { PROPERTY_UNITS, callFn, checkArrayLength, getFunctionArity, hofFuncArgs, keysOf, produceObject, work } from './util.js';

export function map(this: Focus, arr: unknown[] | undefined, func: JsFunctionArg): Sequence | undefined {
  if (arr === undefined) return undefined;
  const result = createSequence();
  work(this.rt, arr.length, 'mapping over an array');
  for (let i = 0; i < arr.length; i++) {
    const res = callFn(this, func, hofFuncArgs(func, arr[i], i, arr));
    if (res !== undefined) result.push(res);
  }
  checkArrayLength(this.rt, result.length, '$map');
  this.rt.meter.alloc(MEMORY_COST.arrayHeader + result.length * MEMORY_COST.arraySlot, 'building an array in $map');
  return result;
}

export function filter(this: Focus, arr: unknown[] | undefined, func: JsFunctionArg): Sequence | undefined {
  if (arr === undefined) return undefined;
  const result = createSequence();
  work(this.rt, arr.length, 'filtering an array');
  for (let i = 0; i < arr.length; i++) {
    const entry = arr[i];
    const res = callFn(this, func, hofFuncArgs(func, entry, i, arr));
    if (truthy(this, res)) result.push(entry);
  }
  this.rt.meter.alloc(MEMORY_COST.arrayHeader + result.length * MEMORY_COST.arraySlot, 'building an array in $filter');
  return result;
}

/** jsonata's boolean() of a predicate result, charging what a deep array result costs to inspect. */
function truthy(focus: Focus, res: unknown): boolean {
  if (!Array.isArray(res)) return toBoolean(res) === true;
  const counter = { n: 0 };
  const b = toBoolean(res, counter);
  focus.rt.meter.charge(counter.n, 'taking a boolean value');
  return b === true;
}

export function single(this: Focus, arr: unknown[] | undefined, func?: JsFunctionArg): unknown {
  if (arr === undefined) return undefined;
  let hasFoundMatch = false;
  let result: unknown;
  work(this.rt, arr.length, 'searching an array');
  for (let i = 0; i < arr.length; i++) {
    const entry = arr[i];
    let positiveResult = true;
    if (func !== undefined) {
      const res = callFn(this, func, hofFuncArgs(func, entry, i, arr));
      positiveResult = truthy(this, res);
    }
    if (positiveResult) {
      if (!hasFoundMatch) {
        result = entry;
        hasFoundMatch = true;
      } else {
        throw new JsonataError('D3138', 'The $single() function expected exactly 1 matching result.  Instead it matched more.', { index: i });
      }
    }
  }
  if (!hasFoundMatch) throw new JsonataError('D3139', 'The $single() function expected exactly 1 matching result.  Instead it matched 0.');
  return result;
}

export function foldLeft(this: Focus, sequence: unknown[] | undefined, func: JsFunctionArg, init?: unknown): unknown {
  if (sequence === undefined) return undefined;
  const arity = getFunctionArity(func);
  if (arity < 2) {
    throw new JsonataError('D3050', 'The second argument of reduce function must be a function with at least two arguments', { index: 1 });
  }
  let result: unknown;
  let index: number;
  if (init === undefined && sequence.length > 0) {
    result = sequence[0];
    index = 1;
  } else {
    result = init;
    index = 0;
  }
  work(this.rt, sequence.length, 'reducing an array');
  while (index < sequence.length) {
    const args = [result, sequence[index]];
    if (arity >= 3) args.push(index);
    if (arity >= 4) args.push(sequence);
    result = callFn(this, func, args);
    index++;
  }
  return result;
}

export function sift(this: Focus, arg: Record<string, unknown>, func: JsFunctionArg): Record<string, unknown> | undefined {
  const result = Object.create(null) as Record<string, unknown>;
  const keys = keysOf(arg);
  work(this.rt, keys.length * PROPERTY_UNITS, 'sifting an object');
  let kept = 0;
  for (const item of keys) {
    const entry = arg[item];
    const res = callFn(this, func, hofFuncArgs(func, entry, item, arg));
    if (truthy(this, res)) {
      result[item] = entry;
      kept++;
    }
  }
  if (kept === 0) return undefined;
  produceObject(this.rt, kept, '$sift');
  return result;
}

export function each(this: Focus, obj: Record<string, unknown>, func: JsFunctionArg): Sequence {
  const result = createSequence();
  const keys = keysOf(obj);
  work(this.rt, keys.length * PROPERTY_UNITS, 'iterating over an object');
  for (const key of keys) {
    const val = callFn(this, func, hofFuncArgs(func, obj[key], key, obj));
    if (val !== undefined) result.push(val);
  }
  this.rt.meter.alloc(MEMORY_COST.arrayHeader + result.length * MEMORY_COST.arraySlot, 'building an array in $each');
  return result;
}
