// Numeric functions ($number, $abs, $floor, $ceil, $round, $sqrt, $power, $formatBase): ported from jsonata 2.2.2 src/functions.js (MIT, © IBM Corp.).

import { JsonataError, type Focus } from '../runtime.js';
import { produceString, scanChars } from './util.js';

const DECIMAL_NUMBER = /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/;
// jsonata 2.2's pattern as written (the alternation is not anchored as a whole: kept for fidelity)
const PREFIXED_NUMBER = /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/;

export function number(this: Focus, arg: unknown): number | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'number') return arg;
  if (typeof arg === 'string') {
    scanChars(this.rt, arg.length, 'parsing a number'); // both patterns are linear
    if (DECIMAL_NUMBER.test(arg) && !Number.isNaN(parseFloat(arg)) && Number.isFinite(Number(arg))) return parseFloat(arg);
    if (PREFIXED_NUMBER.test(arg)) return Number(arg);
  }
  if (arg === true) return 1;
  if (arg === false) return 0;
  throw new JsonataError('D3030', `Unable to cast value to a number: ${JSON.stringify(arg)?.slice(0, 100)}`, { value: arg, index: 1 });
}

export function abs(arg: number | undefined): number | undefined {
  if (arg === undefined) return undefined;
  return Math.abs(arg);
}

export function floor(arg: number | undefined): number | undefined {
  if (arg === undefined) return undefined;
  return Math.floor(arg);
}

export function ceil(arg: number | undefined): number | undefined {
  if (arg === undefined) return undefined;
  return Math.ceil(arg);
}

/** Round half to even, with precision shifted in the decimal string as jsonata does. */
export function round(arg: number | undefined, precision?: number): number | undefined {
  if (arg === undefined) return undefined;
  let value: string[];
  if (precision) {
    value = arg.toString().split('e');
    arg = +(value[0] + 'e' + (value[1] ? +value[1] + precision : precision));
  }
  let result = Math.round(arg);
  const diff = result - arg;
  if (Math.abs(diff) === 0.5 && Math.abs(result % 2) === 1) result = result - 1;
  if (precision) {
    value = result.toString().split('e');
    result = +(value[0] + 'e' + (value[1] ? +value[1] - precision : -precision));
  }
  if (Object.is(result, -0)) result = 0;
  return result;
}

export function sqrt(arg: number | undefined): number | undefined {
  if (arg === undefined) return undefined;
  if (arg < 0) {
    throw new JsonataError('D3060', `The sqrt function cannot be applied to a negative number: ${arg}`, { value: arg, index: 1 });
  }
  return Math.sqrt(arg);
}

export function power(arg: number | undefined, exp: number): number | undefined {
  if (arg === undefined) return undefined;
  const result = Math.pow(arg, exp);
  if (!Number.isFinite(result)) {
    const err = new JsonataError(
      'D3061',
      `The power function has resulted in a value that cannot be represented as a JSON number: base=${arg}, exponent=${exp}`,
      { value: arg, index: 1 },
    );
    throw Object.assign(err, { exp });
  }
  return result;
}

export function formatBase(this: Focus, value: number | undefined, radix?: number): string | undefined {
  if (value === undefined) return undefined;
  value = round(value)!;
  radix = radix === undefined ? 10 : round(radix)!;
  if (radix < 2 || radix > 36) {
    throw new JsonataError('D3100', `The radix of the formatBase function must be between 2 and 36.  It was given ${radix}`, { value: radix });
  }
  const result = value.toString(radix);
  produceString(this.rt, result.length, '$formatBase');
  return result;
}
