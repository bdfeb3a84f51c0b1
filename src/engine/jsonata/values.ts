// jsonata's value helpers the evaluator needs: sequences, truthiness ($boolean), $string, field lookup, append, deep equality.
//
// Ported from jsonata 2.2.2 (src/utils.js and src/functions.js: boolean, string, lookup, append; MIT, © IBM Corp.
// 2016, 2018). Metered where the work grows with the data: deep equality charges one unit per pair compared.
import { jsonataError } from './messages.js';
import type { Meter, Sequence } from './runtime.js';

// ---------------------------------------------------------------------------------------------------
// Sequences. jsonata marks a sequence with a plain `sequence = true` property (enumerable); so do we,
// because Object.defineProperty (runtime.ts createSequence) costs ~10x more per array and sequences are
// made for every path step. isSeq/isSequence read the flag either way.

/** An empty jsonata sequence. */
export function newSeq(): Sequence {
  const seq = [] as unknown as Sequence;
  seq.sequence = true;
  return seq;
}

/** A sequence holding one item (jsonata's createSequence(item)). */
export function seqOf(item: unknown): Sequence {
  const seq = [item] as unknown as Sequence;
  seq.sequence = true;
  return seq;
}

/** Mark an existing array as a sequence (evaluateRangeExpression's `result.sequence = true`). */
export function markSeq(arr: unknown[]): Sequence {
  (arr as Sequence).sequence = true;
  return arr as Sequence;
}

const FLAGS = ['sequence', 'keepSingleton', 'outerWrapper', 'tupleStream'] as const;
const isEnumerable = Object.prototype.propertyIsEnumerable;

/**
 * Make a sequence's flags non-enumerable (as runtime.ts createSequence makes them), for sequences that
 * leave the evaluator: the result, and values stored in constructed objects. Deep-equality helpers that
 * compare an array's own enumerable properties (vitest's toEqual) then see a plain array.
 */
export function hideFlags<T>(value: T): T {
  if (Array.isArray(value) && (value as unknown as Sequence).sequence === true && isEnumerable.call(value, 'sequence')) {
    for (const flag of FLAGS) {
      if (isEnumerable.call(value, flag)) {
        Object.defineProperty(value, flag, { value: (value as unknown as Sequence)[flag], enumerable: false, writable: true, configurable: true });
      }
    }
  }
  return value;
}

export function isSeq(value: unknown): value is Sequence {
  return Array.isArray(value) && (value as Sequence).sequence === true;
}

// ---------------------------------------------------------------------------------------------------
// Type tests (utils.js)

/** utils.isNumeric: a number that is not NaN; ±Infinity throws D1001. */
export function isNumeric(n: unknown): n is number {
  if (typeof n !== 'number') return false;
  if (n !== n) return false;
  if (n === Infinity || n === -Infinity) throw jsonataError('D1001', { value: n });
  return true;
}

/** utils.isFunction: a lambda, a built-in or a plain JS function. */
export function isFunc(arg: unknown): boolean {
  if (typeof arg === 'function') return true;
  if (typeof arg !== 'object' || arg === null) return false;
  const o = arg as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return o._jsonata_function === true || o._jsonata_lambda === true;
}

export function isArrayOfNumbers(arg: unknown): boolean {
  if (!Array.isArray(arg)) return false;
  // jsonata tests every item (filter), so ±Infinity anywhere throws D1001 as it does there.
  let ok = true;
  for (let i = 0; i < arg.length; i++) if (!isNumeric(arg[i])) ok = false;
  return ok;
}

export function isArrayOfStrings(arg: unknown): boolean {
  if (!Array.isArray(arg)) return false;
  for (let i = 0; i < arg.length; i++) if (typeof arg[i] !== 'string') return false;
  return true;
}

const hasOwn = Object.prototype.hasOwnProperty;

// ---------------------------------------------------------------------------------------------------
// functions.js helpers

/** fn.boolean: jsonata's effective boolean value (undefined for undefined). */
export function toBoolean(arg: unknown): boolean | undefined {
  if (arg === undefined) return undefined;
  if (Array.isArray(arg)) {
    if (arg.length === 1) return toBoolean(arg[0]);
    if (arg.length > 1) {
      // jsonata filters the whole array (no short cut): keep that, since isNumeric may throw D1001.
      let any = false;
      for (let i = 0; i < arg.length; i++) if (toBoolean(arg[i])) any = true;
      return any;
    }
    return false;
  }
  if (typeof arg === 'string') return arg.length > 0;
  if (isNumeric(arg)) return arg !== 0;
  if (arg !== null && typeof arg === 'object' && !isFunc(arg)) return Object.keys(arg).length > 0;
  return arg === true;
}

/** toBoolean with undefined as false (jsonata's boolize, for and/or). */
export function boolize(value: unknown): boolean {
  const b = toBoolean(value);
  return b === undefined ? false : b;
}

function stringReplacer(_key: string, val: unknown): unknown {
  if (val !== undefined && val !== null && isNumeric(val)) {
    return !Number.isInteger(val) ? Number(val.toPrecision(15)) : val;
  }
  return val && isFunc(val) ? '' : val;
}

/** fn.string: jsonata's $string (undefined for undefined). */
export function toJsonataString(arg: unknown, prettify = false): string | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'string') return arg;
  if (isFunc(arg)) return '';
  if (typeof arg === 'number' && !isFinite(arg)) throw jsonataError('D3001', { value: arg });
  let value = arg;
  if (Array.isArray(value) && (value as Sequence).outerWrapper) value = value[0];
  return JSON.stringify(value, stringReplacer, prettify ? 2 : 0);
}

/**
 * fn.lookup: the `key` field of an object, or of every item of an array (flattened one level into a
 * sequence). Charges one unit per array item visited.
 */
export function lookupField(input: unknown, key: string, meter: Meter): unknown {
  if (Array.isArray(input)) {
    meter.charge(input.length, 'looking up a field in an array');
    const result = newSeq();
    for (let i = 0; i < input.length; i++) {
      const res = lookupField(input[i], key, meter);
      if (res !== undefined) {
        if (Array.isArray(res)) {
          for (let j = 0; j < res.length; j++) result.push(res[j]);
        } else {
          result.push(res);
        }
      }
    }
    return result;
  }
  if (input !== null && typeof input === 'object') {
    const o = input as Record<string, unknown>;
    if (hasOwn.call(o, key) && o._jsonata_function !== true && o._jsonata_lambda !== true) return o[key];
  }
  return undefined;
}

/** fn.append: concatenate, treating undefined as empty and a non-array as a singleton. */
export function append(arg1: unknown, arg2: unknown): unknown {
  if (arg1 === undefined) return arg2;
  if (arg2 === undefined) return arg1;
  const a1 = Array.isArray(arg1) ? arg1 : seqOf(arg1);
  const a2 = Array.isArray(arg2) ? arg2 : [arg2];
  return a1.concat(a2);
}

/** utils.isDeepEqual, charging one unit of work per pair of values compared. */
export function deepEqual(lhs: unknown, rhs: unknown, meter: Meter): boolean {
  meter.charge(1, 'comparing values');
  if (lhs === rhs) return true;
  if (typeof lhs === 'object' && typeof rhs === 'object' && lhs !== null && rhs !== null) {
    if (Array.isArray(lhs) && Array.isArray(rhs)) {
      if (lhs.length !== rhs.length) return false;
      for (let i = 0; i < lhs.length; i++) if (!deepEqual(lhs[i], rhs[i], meter)) return false;
      return true;
    }
    let lkeys = Object.getOwnPropertyNames(lhs);
    let rkeys = Object.getOwnPropertyNames(rhs);
    if (lkeys.length !== rkeys.length) return false;
    meter.charge(lkeys.length, 'comparing object keys');
    lkeys = lkeys.sort();
    rkeys = rkeys.sort();
    for (let i = 0; i < lkeys.length; i++) if (lkeys[i] !== rkeys[i]) return false;
    for (let i = 0; i < lkeys.length; i++) {
      const key = lkeys[i]!;
      if (!deepEqual((lhs as Record<string, unknown>)[key], (rhs as Record<string, unknown>)[key], meter)) return false;
    }
    return true;
  }
  return false;
}

/** utils.getFunctionArity. */
export function functionArity(func: unknown): number {
  const f = func as { arity?: unknown; implementation?: unknown; length?: unknown; arguments?: unknown[] };
  if (typeof f.arity === 'number') return f.arity;
  if (typeof f.implementation === 'function') return f.implementation.length;
  if (typeof f.length === 'number') return f.length;
  return (f.arguments as unknown[]).length;
}
