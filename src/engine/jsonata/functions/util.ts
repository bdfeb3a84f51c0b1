// Shared by the built-in library: metering helpers, size limits, and jsonata 2.2.2's utils.js predicates (MIT, © IBM Corp.).

import { JsonataError, MEMORY_COST, isFunctionValue, type Focus, type JsFunctionArg, type Runtime } from '../runtime.js';

/**
 * Characters per unit of work when native string operations read or produce them (copying, case
 * mapping, indexOf, split, join: ~0.5–2 ns per character), a unit being "tens of nanoseconds"
 * (runtime.ts; the budgets assume at most 100 ns, src/engine/expr-budgets.ts).
 */
export const CHARS_PER_UNIT = 16;
/**
 * Characters per unit when our own JS loops walk them one by one (code points for $length and
 * $substring, the base64 fallback, $trim's regex): ~3–10 ns per character measured.
 */
const SCAN_CHARS_PER_UNIT = 4;
/**
 * Units per object property enumerated or set ($keys, $merge, $spread, $each, $sift): Object.keys
 * of a large (dictionary-mode) object costs ~200 ns per key, measured on 100 000 keys.
 */
export const PROPERTY_UNITS = 4;

/** Deepest nesting $string, $clone and deep equality walk; real JSON is a few levels deep. */
export const MAX_VALUE_DEPTH = 1_000;

/** Charge `units` of work (rounded up). */
export function work(rt: Runtime, units: number, doing: string): void {
  if (units > 0) rt.meter.charge(Math.ceil(units), doing);
}

/** Charge reading `chars` characters with a native string operation. */
export function readChars(rt: Runtime, chars: number, doing: string): void {
  if (chars > 0) rt.meter.charge(Math.ceil(chars / CHARS_PER_UNIT), doing);
}

/** Charge walking `chars` characters one by one in JS. */
export function scanChars(rt: Runtime, chars: number, doing: string): void {
  if (chars > 0) rt.meter.charge(Math.ceil(chars / SCAN_CHARS_PER_UNIT), doing);
}

/** Refuse a string of `length` characters above rt.maxStringLength, before building it. */
export function checkStringLength(rt: Runtime, length: number, fn: string): void {
  if (length > rt.maxStringLength) throw sizeRefused('string', fn, length, rt.maxStringLength);
}

/** Refuse an array of `length` items above rt.maxArrayLength, before building it. */
export function checkArrayLength(rt: Runtime, length: number, fn: string): void {
  if (length > rt.maxArrayLength) throw sizeRefused('array', fn, length, rt.maxArrayLength);
}

/** How a refusal of each kind of value reads: its code, its units and the limit's setting. */
const SIZE_LIMITS = {
  string: { code: 'U3011', article: 'a', units: 'characters', setting: 'maxStringLength' },
  array: { code: 'U3010', article: 'an', units: 'items', setting: 'maxArrayLength' },
} as const;

function sizeRefused(kind: keyof typeof SIZE_LIMITS, fn: string, length: number, limit: number): JsonataError {
  const { code, article, units, setting } = SIZE_LIMITS[kind];
  return new JsonataError(code, `${fn} would build ${article} ${kind} of ${length} ${units}, more than the limit of ${limit} ${units} per ${kind} (${setting})`, {
    value: length,
  });
}

/** A string of `length` characters is about to be produced: check the limit, charge work and memory. */
export function produceString(rt: Runtime, length: number, fn: string): void {
  checkStringLength(rt, length, fn);
  const doing = `building a string in ${fn}`;
  if (length > 0) rt.meter.charge(Math.ceil(length / CHARS_PER_UNIT), doing);
  rt.meter.alloc(MEMORY_COST.stringHeader + length * MEMORY_COST.stringChar, doing);
}

/** An array of `length` items is about to be produced: check the limit, charge work (one per item) and memory. */
export function produceArray(rt: Runtime, length: number, fn: string): void {
  checkArrayLength(rt, length, fn);
  const doing = `building an array in ${fn}`;
  if (length > 0) rt.meter.charge(length, doing);
  rt.meter.alloc(MEMORY_COST.arrayHeader + length * MEMORY_COST.arraySlot, doing);
}

/** An object of `props` properties is about to be produced: charge work (PROPERTY_UNITS each) and memory. */
export function produceObject(rt: Runtime, props: number, fn: string): void {
  const doing = `building an object in ${fn}`;
  if (props > 0) rt.meter.charge(props * PROPERTY_UNITS, doing);
  rt.meter.alloc(MEMORY_COST.objectHeader + props * MEMORY_COST.objectProperty, doing);
}

// ---------------------------------------------------------------------------------------------------
// jsonata utils.js

/** A finite number (jsonata's isNumeric: throws D1001 for ±Infinity). */
export function isNumeric(n: unknown): n is number {
  let isNum = false;
  if (typeof n === 'number') {
    isNum = !Number.isNaN(n);
    if (isNum && !Number.isFinite(n)) {
      throw new JsonataError('D1001', `Number out of range: ${n}`, { value: n });
    }
  }
  return isNum;
}

export function isArrayOfStrings(arg: unknown): boolean {
  return Array.isArray(arg) && arg.every((item) => typeof item === 'string');
}

export function isArrayOfNumbers(arg: unknown): boolean {
  // jsonata filters every item (so D1001 is raised for an Infinity anywhere)
  if (!Array.isArray(arg)) return false;
  let ok = true;
  for (const item of arg) if (!isNumeric(item)) ok = false;
  return ok;
}

export const isFunction = isFunctionValue;

export function isLambda(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && (arg as { _jsonata_lambda?: unknown })._jsonata_lambda === true;
}

/** jsonata's getFunctionArity. */
export function getFunctionArity(func: unknown): number {
  const f = func as { arity?: unknown; implementation?: { length: number }; length?: unknown };
  if (typeof f.arity === 'number') return f.arity;
  if (typeof f.implementation === 'function') return f.implementation.length;
  if (typeof f.length === 'number') return f.length;
  return 0;
}

/** Object.keys of an object, [] otherwise (jsonata's utils.keys). */
export function keysOf(arg: unknown): string[] {
  return typeof arg === 'object' && arg !== null ? Object.keys(arg) : [];
}

/** Code points of a string (jsonata's stringToArray). */
export function stringToArray(str: string): string[] {
  return Array.from(str);
}

/** Number of code points (without building an array). */
export function codePointLength(str: string): number {
  let n = str.length;
  for (let i = 0; i < str.length - 1; i++) {
    const c = str.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = str.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * jsonata's isDeepEqual, iterative-safe up to MAX_VALUE_DEPTH, counting the nodes it visits into
 * `counter.n` so callers can charge comparisons by what they touched.
 */
/** Units one object-to-object comparison costs beyond its keys (see deepEquals). */
const OBJECT_COMPARE_UNITS = 4;

export function deepEquals(lhs: unknown, rhs: unknown, counter: { n: number }, depth = 0): boolean {
  counter.n++;
  if (lhs === rhs) return true;
  if (typeof lhs === 'object' && typeof rhs === 'object' && lhs !== null && rhs !== null) {
    if (depth > MAX_VALUE_DEPTH) throw tooDeep('comparing values');
    if (Array.isArray(lhs) && Array.isArray(rhs)) {
      if (lhs.length !== rhs.length) return false;
      for (let ii = 0; ii < lhs.length; ii++) {
        if (!deepEquals(lhs[ii], rhs[ii], counter, depth + 1)) return false;
      }
      return true;
    }
    let lkeys = Object.getOwnPropertyNames(lhs);
    let rkeys = Object.getOwnPropertyNames(rhs);
    if (lkeys.length !== rkeys.length) return false;
    lkeys = lkeys.sort();
    rkeys = rkeys.sort();
    // Listing and sorting both key lists costs far more than visiting a value (measured ~100 ns
    // for a one-key object against ~20 ns per value): OBJECT_COMPARE_UNITS plus two per key.
    counter.n += OBJECT_COMPARE_UNITS + 2 * lkeys.length;
    for (let ii = 0; ii < lkeys.length; ii++) {
      if (lkeys[ii] !== rkeys[ii]) return false;
    }
    for (const key of lkeys) {
      if (!deepEquals((lhs as Record<string, unknown>)[key], (rhs as Record<string, unknown>)[key], counter, depth + 1)) return false;
    }
    return true;
  }
  return false;
}

export function tooDeep(doing: string): JsonataError {
  return new JsonataError('U3012', `a value nested more than ${MAX_VALUE_DEPTH} levels deep cannot be handled while ${doing}`);
}

/** Call a function argument as jsonata does (`func.apply(this, args)`). */
export function callFn(focus: Focus, func: JsFunctionArg, args: unknown[]): unknown {
  return func.apply(focus, args);
}

/**
 * The arguments for the function of $map/$filter/$each/$sift/$single: the value, then the position
 * and the whole structure only if the function takes them (jsonata's hofFuncArgs).
 */
export function hofFuncArgs(func: unknown, arg1: unknown, arg2: unknown, arg3: unknown): unknown[] {
  const args = [arg1];
  const length = getFunctionArity(func);
  if (length >= 2) args.push(arg2);
  if (length >= 3) args.push(arg3);
  return args;
}
