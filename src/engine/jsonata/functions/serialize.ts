// JSON text of a value as jsonata's $string makes it (JSON.stringify with jsonata's replacer), built with a running size check.
//
// jsonata 2.2.2 src/functions.js `string` (MIT, © IBM Corp.) calls JSON.stringify(arg, replacer, space)
// where the replacer rounds non-integer numbers to 15 significant digits, turns functions into "",
// and raises D1001 for ±Infinity. This is the same algorithm written out so that the output length
// is checked against rt.maxStringLength while it grows (nothing larger than the limit plus one
// piece is ever built) and every value visited is charged.

import { JsonataError, type Runtime } from '../runtime.js';
import { CHARS_PER_UNIT, MAX_VALUE_DEPTH, checkStringLength, isFunction, isNumeric, tooDeep } from './util.js';

/** Values visited per charge to the meter while serializing (charging every node would cost more than the node). */
const NODES_PER_CHARGE = 256;
/**
 * Units per value written: preparing (jsonata's replacer), checking and appending one value takes
 * up to ~250 ns (measured: 20 000 three-field objects, ~140 000 values, 26–38 ms warm; jsonata's own
 * JSON.stringify with its replacer takes 10–25 ms), so six units at the budgets' ≤ 100 ns per unit.
 */
const UNITS_PER_NODE = 6;
/** Fixed units per serialization (setting up the writer costs ~1–2 µs even for a tiny value). */
const SERIALIZE_CALL_UNITS = 16;
/** A string that JSON.stringify would escape (quotes, backslashes, control characters, surrogates). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

export interface Serialized {
  text: string | undefined;
  /** values visited */
  nodes: number;
}

/** The number as jsonata's replacer leaves it: non-integers rounded to 15 significant digits. */
function replaceNumber(val: number): number {
  return !Number.isInteger(val) ? Number(val.toPrecision(15)) : val;
}

/**
 * JSON.stringify(value, jsonataReplacer, pretty ? 2 : 0), metered. `fn` names the function for
 * error messages. Returns undefined text where JSON.stringify returns undefined.
 */
export function serialize(rt: Runtime, value: unknown, pretty: boolean, fn: string): Serialized {
  let out = '';
  let nodes = 0;
  let uncharged = 0;
  const limit = rt.maxStringLength;
  const doing = `serializing a value in ${fn}`;

  /** Refuses the output once it would pass the limit (checked before each piece is appended). */
  const room = (more: number) => {
    if (out.length + more > limit) checkStringLength(rt, out.length + more, fn);
  };

  /** Applies toJSON and the replacer: the value to write. */
  const prepare = (key: string, val: unknown): unknown => {
    if (typeof val === 'object' && val !== null && typeof (val as { toJSON?: unknown }).toJSON === 'function') {
      val = (val as { toJSON(k: string): unknown }).toJSON(key);
    }
    if (typeof val === 'number') return isNumeric(val) ? replaceNumber(val) : val;
    return val && isFunction(val) ? '' : val;
  };

  const quote = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"');

  /** Writes `val` (already prepared); returns false when it has no JSON form (undefined, symbol…). */
  const write = (val: unknown, indent: string, depth: number): boolean => {
    if (++uncharged >= NODES_PER_CHARGE) {
      nodes += uncharged;
      rt.meter.charge(uncharged * UNITS_PER_NODE, doing);
      uncharged = 0;
    }
    switch (typeof val) {
      case 'string': {
        room(val.length + 2);
        out += quote(val);
        return true;
      }
      case 'number': {
        const s = Number.isFinite(val) ? String(val) : 'null';
        room(s.length);
        out += s;
        return true;
      }
      case 'boolean':
        room(5);
        out += val ? 'true' : 'false';
        return true;
      case 'bigint':
        throw new JsonataError('D3001', 'Attempting to invoke string function on a value that cannot be serialized', { value: String(val) });
      case 'object': {
        if (val === null) {
          room(4);
          out += 'null';
          return true;
        }
        if (depth >= MAX_VALUE_DEPTH) throw tooDeep(doing);
        const inner = pretty ? indent + '  ' : indent;
        const sep = pretty ? '\n' + inner : '';
        if (Array.isArray(val)) {
          if (val.length === 0) {
            room(2);
            out += '[]';
            return true;
          }
          room(1);
          out += '[';
          for (let i = 0; i < val.length; i++) {
            room(sep.length + 1);
            out += i > 0 ? ',' + sep : sep;
            if (!write(prepare(String(i), val[i]), inner, depth + 1)) {
              room(4);
              out += 'null';
            }
          }
          room(indent.length + 2);
          out += pretty ? '\n' + indent + ']' : ']';
          return true;
        }
        let first = true;
        room(1);
        out += '{';
        for (const key of Object.keys(val)) {
          const item = prepare(key, (val as Record<string, unknown>)[key]);
          if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
          room(sep.length + key.length + 5);
          out += (first ? sep : ',' + sep) + quote(key) + (pretty ? ': ' : ':');
          first = false;
          write(item, inner, depth + 1);
        }
        room(indent.length + 2);
        out += !first && pretty ? '\n' + indent + '}' : '}';
        return true;
      }
      default:
        return false;
    }
  };

  const ok = write(prepare('', value), '', 0);
  nodes += uncharged;
  rt.meter.charge(SERIALIZE_CALL_UNITS + uncharged * UNITS_PER_NODE + Math.ceil(out.length / CHARS_PER_UNIT), doing);
  return { text: ok ? out : undefined, nodes };
}
