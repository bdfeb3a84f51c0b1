// $keys, $lookup, $spread, $merge, $clone: ported from jsonata 2.2.2 src/functions.js and jsonata.js (MIT, © IBM Corp.), metered per property.

import { MEMORY_COST, createSequence, type Focus, type Sequence } from '../runtime.js';
import { serialize } from './serialize.js';
import { CHARS_PER_UNIT, PROPERTY_UNITS, checkArrayLength, isFunction, isLambda, keysOf, produceObject, work } from './util.js';

export function keys(this: Focus, arg: unknown): Sequence {
  const result = createSequence();
  if (Array.isArray(arg)) {
    // the keys of every item merged into one object, then that object's keys (so integer-like keys
    // come first, as jsonata's do)
    const merged = Object.create(null) as Record<string, true>;
    work(this.rt, arg.length, 'collecting keys');
    for (const item of arg) {
      for (const k of keys.call(this, item)) merged[k as string] = true;
    }
    const ks = Object.keys(merged);
    work(this.rt, ks.length * PROPERTY_UNITS, 'collecting keys');
    checkArrayLength(this.rt, ks.length, '$keys');
    for (const k of ks) result.push(k);
  } else if (arg !== null && typeof arg === 'object' && !isFunction(arg)) {
    const ks = keysOf(arg);
    work(this.rt, ks.length * PROPERTY_UNITS, 'collecting keys');
    checkArrayLength(this.rt, ks.length, '$keys');
    for (const k of ks) result.push(k);
  }
  this.rt.meter.alloc(MEMORY_COST.arrayHeader + result.length * MEMORY_COST.arraySlot, 'building an array in $keys');
  return result;
}

export function lookup(this: Focus, input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const result = createSequence();
    work(this.rt, input.length, 'looking up a key');
    for (const item of input) {
      const res = lookup.call(this, item, key);
      if (res !== undefined) {
        if (Array.isArray(res)) {
          work(this.rt, res.length, 'looking up a key');
          for (const val of res) result.push(val);
        } else {
          result.push(res);
        }
      }
    }
    checkArrayLength(this.rt, result.length, '$lookup');
    this.rt.meter.alloc(MEMORY_COST.arrayHeader + result.length * MEMORY_COST.arraySlot, 'building an array in $lookup');
    return result;
  }
  if (input !== null && typeof input === 'object' && Object.prototype.hasOwnProperty.call(input, key) && !isFunction(input)) {
    return (input as Record<string, unknown>)[key];
  }
  return undefined;
}

export function spread(this: Focus, arg: unknown): unknown {
  if (Array.isArray(arg)) {
    // jsonata appends each item's spread to the result (append = concat: a plain array once anything
    // was appended); built here in one pass instead of copying the result for every item
    const out: unknown[] = [];
    let appended = false;
    work(this.rt, arg.length, 'spreading objects');
    for (const item of arg) {
      const s = spread.call(this, item);
      if (s === undefined) continue;
      appended = true;
      if (Array.isArray(s)) for (const x of s) out.push(x);
      else out.push(s);
      checkArrayLength(this.rt, out.length, '$spread');
    }
    const result = appended ? out : createSequence();
    this.rt.meter.alloc(MEMORY_COST.arrayHeader + out.length * MEMORY_COST.arraySlot, 'building an array in $spread');
    return result;
  }
  if (arg !== null && typeof arg === 'object' && !isLambda(arg)) {
    const result = createSequence();
    const ks = keysOf(arg);
    checkArrayLength(this.rt, ks.length, '$spread');
    for (const key of ks) {
      const obj = Object.create(null) as Record<string, unknown>;
      obj[key] = (arg as Record<string, unknown>)[key];
      result.push(obj);
    }
    this.rt.meter.charge(ks.length * PROPERTY_UNITS, 'spreading an object');
    this.rt.meter.alloc(
      MEMORY_COST.arrayHeader + ks.length * (MEMORY_COST.arraySlot + MEMORY_COST.objectHeader + MEMORY_COST.objectProperty),
      'building objects in $spread',
    );
    return result;
  }
  return arg;
}

export function merge(this: Focus, arg: unknown[] | undefined): Record<string, unknown> | undefined {
  if (arg === undefined) return undefined;
  const result = Object.create(null) as Record<string, unknown>;
  let props = 0;
  for (const obj of arg) {
    const ks = keysOf(obj);
    work(this.rt, 1 + ks.length * PROPERTY_UNITS, 'merging objects');
    for (const prop of ks) {
      if (!(prop in result)) props++;
      result[prop] = (obj as Record<string, unknown>)[prop];
    }
  }
  produceObject(this.rt, props, '$merge');
  return result;
}

/** jsonata's $clone: JSON.parse($string(arg)). */
export function clone(this: Focus, arg: unknown): unknown {
  if (arg === undefined) return undefined;
  const value = Array.isArray(arg) && (arg as { outerWrapper?: boolean }).outerWrapper ? arg[0] : arg;
  const { text, nodes } = serialize(this.rt, value, false, '$clone');
  if (text === undefined) return JSON.parse(undefined as unknown as string); // SyntaxError, as jsonata
  this.rt.meter.charge(Math.ceil(text.length / CHARS_PER_UNIT), 'parsing a copy in $clone');
  this.rt.meter.alloc(nodes * MEMORY_COST.objectProperty + text.length * MEMORY_COST.stringChar, 'copying a value in $clone');
  return JSON.parse(text);
}
