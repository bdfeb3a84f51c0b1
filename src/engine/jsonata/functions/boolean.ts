// $boolean, $not, $exists, $type, $error, $assert: ported from jsonata 2.2.2 src/functions.js (MIT, © IBM Corp.).

import { JsonataError, type Focus } from '../runtime.js';
import { MAX_VALUE_DEPTH, isFunction, isNumeric, keysOf, tooDeep } from './util.js';

/** Effective boolean value (jsonata's boolean), counting the values it looks at into `counter`. */
export function toBoolean(arg: unknown, counter?: { n: number }, depth = 0): boolean | undefined {
  if (arg === undefined) return undefined;
  if (counter) counter.n++;
  let result = false;
  if (Array.isArray(arg)) {
    if (depth > MAX_VALUE_DEPTH) throw tooDeep('taking a boolean value');
    if (arg.length === 1) {
      result = toBoolean(arg[0], counter, depth + 1)!;
    } else if (arg.length > 1) {
      // jsonata evaluates every item (filter), not just up to the first true one
      let trues = 0;
      for (const val of arg) if (toBoolean(val, counter, depth + 1)) trues++;
      result = trues > 0;
    }
  } else if (typeof arg === 'string') {
    result = arg.length > 0;
  } else if (isNumeric(arg)) {
    result = arg !== 0;
  } else if (arg !== null && typeof arg === 'object' && !isFunction(arg)) {
    result = keysOf(arg).length > 0;
  } else if (typeof arg === 'boolean' && arg === true) {
    result = true;
  }
  return result;
}

export function boolean(this: Focus, arg: unknown): boolean | undefined {
  const counter = { n: 0 };
  const result = toBoolean(arg, counter);
  if (counter.n > 1) this.rt.meter.charge(counter.n, 'taking a boolean value');
  return result;
}

export function not(this: Focus, arg: unknown): boolean | undefined {
  if (arg === undefined) return undefined;
  return !boolean.call(this, arg);
}

export function exists(arg: unknown): boolean {
  return arg !== undefined;
}

export function type(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return 'null';
  if (isNumeric(value)) return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  if (isFunction(value)) return 'function';
  return 'object';
}

export function error(message?: string): never {
  throw new JsonataError('D3137', message || '$error() function evaluated');
}

export function assert(condition: boolean, message?: string): undefined {
  if (!condition) throw new JsonataError('D3141', message || '$assert() statement failed');
  return undefined;
}
