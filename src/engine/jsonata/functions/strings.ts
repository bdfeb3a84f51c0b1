// String functions ($string, $substring…, $pad, $join), ported from jsonata 2.2.2 src/functions.js (MIT, © IBM Corp.), metered per character.

import { JsonataError, MEMORY_COST, type Focus, type Runtime } from '../runtime.js';
import { serialize } from './serialize.js';
import { codePointLength, isFunction, produceString, readChars, scanChars, work } from './util.js';

export function string(this: Focus, arg: unknown, prettify = false): string | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'string') return arg;
  if (isFunction(arg)) return '';
  if (typeof arg === 'number' && !Number.isFinite(arg)) {
    throw new JsonataError('D3001', 'Attempting to invoke string function on Infinity or NaN', { value: arg });
  }
  if (Array.isArray(arg) && (arg as { outerWrapper?: boolean }).outerWrapper) arg = arg[0];
  const { text } = serialize(this.rt, arg, prettify === true, '$string');
  if (text !== undefined) this.rt.meter.alloc(MEMORY_COST.stringHeader + text.length * MEMORY_COST.stringChar, 'building a string in $string');
  return text;
}

/** UTF-16 offset of the code point at index `cp` (clamped to the string). */
function unitOffset(str: string, cp: number): number {
  let i = 0;
  let k = 0;
  while (k < cp && i < str.length) {
    const c = str.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length) {
      const d = str.charCodeAt(i + 1);
      i += d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    } else {
      i += 1;
    }
    k++;
  }
  return i;
}

/** Array.prototype.slice's index rule (ToIntegerOrInfinity, negative from the end, clamped). */
function relIndex(rel: number, len: number): number {
  const r = Number.isNaN(rel) ? 0 : Math.trunc(rel);
  if (r < 0) return Math.max(len + r, 0);
  return Math.min(r, len);
}

/** stringToArray(str).slice(start, end).join('') without building the array. */
function sliceCodePoints(str: string, start: number, end?: number): string {
  const len = codePointLength(str);
  const from = relIndex(start, len);
  const to = end === undefined ? len : relIndex(end, len);
  if (to <= from) return '';
  if (len === str.length) return str.slice(from, to);
  const a = unitOffset(str, from);
  const b = a + unitOffset(str.slice(a), to - from);
  return str.slice(a, b);
}

export function substring(this: Focus, str: string | undefined, start: number, length?: number): string | undefined {
  if (str === undefined) return undefined;
  // code points are counted, then (with surrogate pairs) walked again to the start and end
  scanChars(this.rt, str.length * 2, 'taking a substring');
  const strLength = codePointLength(str);
  if (strLength + start < 0) start = 0;
  let result: string;
  if (length !== undefined) {
    if (length <= 0) return '';
    const end = start >= 0 ? start + length : strLength + start + length;
    result = sliceCodePoints(str, start, end);
  } else {
    result = sliceCodePoints(str, start);
  }
  produceString(this.rt, result.length, '$substring');
  return result;
}

export function substringBefore(this: Focus, str: string | undefined, chars: string): string | undefined {
  return substringAround(this.rt, str, chars, true);
}

export function substringAfter(this: Focus, str: string | undefined, chars: string): string | undefined {
  return substringAround(this.rt, str, chars, false);
}

/** $substringBefore/$substringAfter: the part of `str` before (or after) the first `chars`, or all of it without one. */
function substringAround(rt: Runtime, str: string | undefined, chars: string, before: boolean): string | undefined {
  if (str === undefined) return undefined;
  readChars(rt, str.length + chars.length, 'searching a string');
  const pos = str.indexOf(chars);
  const result = pos < 0 ? str : before ? str.substring(0, pos) : str.substring(pos + chars.length);
  produceString(rt, result.length, before ? '$substringBefore' : '$substringAfter');
  return result;
}

export function lowercase(this: Focus, str: string | undefined): string | undefined {
  if (str === undefined) return undefined;
  readChars(this.rt, str.length, 'converting to lower case');
  // case mapping can lengthen a string (İ → i̇); the input is within the limit, so the transient result is bounded
  const result = str.toLowerCase();
  produceString(this.rt, result.length, '$lowercase');
  return result;
}

export function uppercase(this: Focus, str: string | undefined): string | undefined {
  if (str === undefined) return undefined;
  readChars(this.rt, str.length, 'converting to upper case');
  const result = str.toUpperCase(); // at most 3× longer (ΐ → Ϊ́)
  produceString(this.rt, result.length, '$uppercase');
  return result;
}

export function length(this: Focus, str: string | undefined): number | undefined {
  if (str === undefined) return undefined;
  scanChars(this.rt, str.length, 'counting characters');
  return codePointLength(str);
}

export function trim(this: Focus, str: string | undefined): string | undefined {
  if (str === undefined) return undefined;
  scanChars(this.rt, str.length * 2, 'trimming a string');
  let result = str.replace(/[ \t\n\r]+/gm, ' ');
  if (result.charAt(0) === ' ') result = result.substring(1);
  if (result.charAt(result.length - 1) === ' ') result = result.substring(0, result.length - 1);
  produceString(this.rt, result.length, '$trim');
  return result;
}

export function pad(this: Focus, str: string | undefined, width: number, char?: string): string | undefined {
  if (str === undefined) return undefined;
  if (char === undefined || char.length === 0) char = ' ';
  width = Math.trunc(width);
  scanChars(this.rt, str.length + char.length, 'padding a string');
  const padLength = Math.abs(width) - codePointLength(str);
  if (!(padLength > 0)) return str;
  // the padding is the first padLength code points of char repeated: size it before building it
  const charPoints = codePointLength(char);
  const whole = Math.floor(padLength / charPoints);
  const rest = padLength - whole * charPoints;
  const paddingUnits = whole * char.length + unitOffset(char, rest);
  produceString(this.rt, str.length + paddingUnits, '$pad');
  const padding = char.repeat(whole) + char.slice(0, unitOffset(char, rest));
  return width > 0 ? str + padding : padding + str;
}

export function join(this: Focus, strs: string[] | undefined, separator?: string): string | undefined {
  if (strs === undefined) return undefined;
  if (separator === undefined) separator = '';
  work(this.rt, strs.length, 'joining strings');
  let total = strs.length > 1 ? separator.length * (strs.length - 1) : 0;
  for (const s of strs) total += s.length;
  produceString(this.rt, total, '$join');
  return strs.join(separator);
}

