// The pure ARM template functions (no parameters, variables or deployment scope): each takes evaluated arguments and returns a value or throws ArmExpressionError.
//
// Sources (Microsoft Learn, Azure Resource Manager templates; the page is named at each function):
// - template-functions-string, -numeric, -logical, -comparison, -array, -object.
// - Where a page is silent on a detail (argument types, null, the string comparison), Microsoft's port of
//   the template language's built-ins, Azure/azure-policy-linter
//   src/PolicyLinter.Core/Expressions/EvaluationHelpers/ExpressionBuiltInFunctions.cs (MIT), is followed,
//   except where it differs from the ARM page (contains() on strings: ARM says case-sensitive).
// ARM integers are 64-bit; edgescale computes in doubles, so an integer result beyond ±2^53 is refused
// rather than rounded. `if` is not here: it is lazy, so the evaluator handles it (arm-expressions.ts).
import { isRecord } from '../../util/is-record.js';
import { UNIQUE_STRING_MAX_INPUT, uniqueStringOf } from './arm-hash.js';

export type ArmValue = string | number | boolean | null | ArmValue[] | { [key: string]: ArmValue };

export class ArmExpressionError extends Error {}

/** A computed string (concat, format of long pieces): autoscale fields are names and ids, far below this. */
const MAX_RESULT_LENGTH = 65_536;
/** Parts of one object or array value (a variable, a default, a concat() of arrays): real templates hold dozens. */
export const MAX_VALUE_NODES = 10_000;

const fail = (message: string): never => {
  throw new ArmExpressionError(message);
};

const kindOf = (v: ArmValue): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'an array'
      : typeof v === 'object'
        ? 'an object'
        : typeof v === 'string'
          ? 'a string'
          : typeof v === 'number'
            ? Number.isInteger(v)
              ? 'an integer'
              : 'a number'
            : 'a boolean';

export const bounded = (s: string): string => (s.length > MAX_RESULT_LENGTH ? fail(`the result is longer than ${MAX_RESULT_LENGTH} characters`) : s);
const boundedArray = (a: ArmValue[], fn: string): ArmValue[] => (a.length > MAX_VALUE_NODES ? fail(`${fn}(): an array of more than ${MAX_VALUE_NODES} elements`) : a);

/** A string, an integer or a boolean as ARM prints them in concat() and format() (.NET's Boolean.ToString: "True"). */
export const asText = (v: ArmValue, fn: string): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return fail(`${fn}() takes strings and numbers here, got ${kindOf(v)}`);
};

const arity = (fn: string, args: ArmValue[], min: number, max = min): void => {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    fail(`${fn}() takes ${want} argument${min === 1 && max === 1 ? '' : 's'}, got ${args.length}`);
  }
};
const asString = (fn: string, v: ArmValue, what = 'a string'): string => (typeof v === 'string' ? v : fail(`${fn}() expects ${what}, got ${kindOf(v)}`));
const asBool = (fn: string, v: ArmValue): boolean => (typeof v === 'boolean' ? v : fail(`${fn}() expects booleans, got ${kindOf(v)}`));
/** An ARM integer, exact in a double. */
const asInt = (fn: string, v: ArmValue): number =>
  typeof v === 'number' && Number.isSafeInteger(v) ? v : fail(`${fn}() expects integers, got ${typeof v === 'number' ? String(v) : kindOf(v)}`);
const exact = (fn: string, n: bigint): number =>
  n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER) ? fail(`${fn}(): ${n} is beyond the integers edgescale computes exactly (±2^53)`) : Number(n);

/** JToken.DeepEquals: same type and value; objects by property name and value (order aside); arrays element by element. */
function deepEquals(a: ArmValue, b: ArmValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEquals(x, b[i]!));
  if (isRecord(a) || isRecord(b)) {
    if (!isRecord(a) || !isRecord(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEquals(a[k]!, b[k]!));
  }
  return a === b;
}

/** .NET's invariant-culture string order (string.Compare(…, InvariantCulture)): ICU's root collation, "a" before "A". */
const collator = new Intl.Collator('en-US');

function compareArm(fn: string, args: ArmValue[]): number {
  arity(fn, args, 2);
  const [a, b] = args as [ArmValue, ArmValue];
  if (typeof a === 'string' || typeof b === 'string') {
    if (typeof a !== 'string' || typeof b !== 'string') return fail(`${fn}() compares two strings or two numbers, got ${kindOf(a)} and ${kindOf(b)}`);
    // Windows' culture-aware order (NLS) skips hyphens and apostrophes where ICU's does not; for letters,
    // digits and spaces the two agree, so only those are compared.
    if (!/^[\p{L}\p{N} ]*$/u.test(a) || !/^[\p{L}\p{N} ]*$/u.test(b)) {
      return fail(
        `${fn}(): ordering strings with punctuation (${JSON.stringify(a.slice(0, 40))}, ${JSON.stringify(b.slice(0, 40))}) depends on .NET's culture data; only letters, digits and spaces are compared`,
      );
    }
    return collator.compare(a, b);
  }
  if (typeof a !== 'number' || typeof b !== 'number') return fail(`${fn}() compares two strings or two numbers, got ${kindOf(a)} and ${kindOf(b)}`);
  return a < b ? -1 : a > b ? 1 : 0;
}

function arithmetic(fn: string, args: ArmValue[], op: (a: bigint, b: bigint) => bigint, divides = false): number {
  arity(fn, args, 2);
  const a = asInt(fn, args[0]!);
  const b = asInt(fn, args[1]!);
  // By the operation, not the name: `fn` is spelled as the template wrote it (ARM's names are case-insensitive).
  if (divides && b === 0) return fail(`${fn}() cannot divide by zero`);
  return exact(fn, op(BigInt(a), BigInt(b)));
}

/** min()/max(): integers as arguments, or one array of them ("array of integers, or comma-separated list of integers"). */
function extreme(fn: string, args: ArmValue[], pick: (a: number, b: number) => number): number {
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (list.length === 0) return fail(`${fn}() takes at least one integer`);
  return list.map((v) => (typeof v === 'number' ? v : fail(`${fn}() expects numbers, got ${kindOf(v)}`))).reduce((x, y) => pick(x, y));
}

/** .NET String.Split(string[], None): at each position the first delimiter that matches, empty pieces kept. */
function splitOn(input: string, delimiters: string[]): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < input.length;) {
    const d = delimiters.find((x) => input.startsWith(x, i));
    if (d === undefined) i++;
    else {
      out.push(input.slice(start, i));
      i += d.length;
      start = i;
      if (out.length > MAX_VALUE_NODES) fail(`split(): more than ${MAX_VALUE_NODES} pieces`);
    }
  }
  out.push(input.slice(start));
  return out;
}

/** Nesting of a json() value: deeper would make the recursive walks (equals, the import's) unsafe; real values nest a few levels. */
const MAX_JSON_DEPTH = 64;

/** json()'s value bounded in parts and nesting, walked without recursion. */
function checkJsonValue(v: unknown): void {
  const stack: [unknown, number][] = [[v, 0]];
  let n = 0;
  while (stack.length > 0) {
    const [x, depth] = stack.pop()!;
    if (++n > MAX_VALUE_NODES) fail(`json(): a value with more than ${MAX_VALUE_NODES} parts`);
    if (depth > MAX_JSON_DEPTH) fail(`json(): a value nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (Array.isArray(x)) for (const y of x) stack.push([y, depth + 1]);
    else if (isRecord(x)) for (const y of Object.values(x)) stack.push([y, depth + 1]);
  }
}

type Fn = (args: ArmValue[], fn: string) => ArmValue;

/** The functions by lower-case name; `names` gives each its documented spelling. */
const FUNCTIONS: Record<string, Fn> = {
  // template-functions-logical
  true: (a, fn) => (arity(fn, a, 0), true),
  false: (a, fn) => (arity(fn, a, 0), false),
  not: (a, fn) => (arity(fn, a, 1), !asBool(fn, a[0]!)),
  // "and(arg1, arg2, …)", "or(arg1, arg2, …)": at least two booleans. Every argument is evaluated (the page
  // promises laziness for if() only), so one that cannot be evaluated is reported, never skipped.
  and: (a, fn) => (arity(fn, a, 2, Infinity), a.map((x) => asBool(fn, x)).every(Boolean)),
  or: (a, fn) => (arity(fn, a, 2, Infinity), a.map((x) => asBool(fn, x)).some(Boolean)),
  // bool(): "string or int"; 'true'/'false' in any case (Boolean.Parse), an integer is true unless 0.
  bool: (a, fn) => {
    arity(fn, a, 1);
    const v = a[0]!;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number' && Number.isInteger(v)) return v !== 0;
    if (typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v)) return v.trim().toLowerCase() === 'true';
    return fail(`bool() converts 'true', 'false' or an integer, got ${JSON.stringify(v)}`);
  },
  // template-functions-comparison
  equals: (a, fn) => (arity(fn, a, 2), deepEquals(a[0]!, a[1]!)),
  less: (a, fn) => compareArm(fn, a) < 0,
  lessorequals: (a, fn) => compareArm(fn, a) <= 0,
  greater: (a, fn) => compareArm(fn, a) > 0,
  greaterorequals: (a, fn) => compareArm(fn, a) >= 0,
  // "Returns first non-null value from the parameters. Empty strings, empty arrays, and empty objects are not null."
  coalesce: (a, fn) => (arity(fn, a, 1, Infinity), a.find((x) => x !== null) ?? null),
  null: (a, fn) => (arity(fn, a, 0), null),
  // template-functions-numeric: 64-bit integers, checked (overflow is an error); div truncates toward zero
  // and mod keeps the dividend's sign, as C#'s / and % on long.
  add: (a, fn) => arithmetic(fn, a, (x, y) => x + y),
  sub: (a, fn) => arithmetic(fn, a, (x, y) => x - y),
  mul: (a, fn) => arithmetic(fn, a, (x, y) => x * y),
  div: (a, fn) => arithmetic(fn, a, (x, y) => x / y, true),
  mod: (a, fn) => arithmetic(fn, a, (x, y) => x % y, true),
  min: (a, fn) => extreme(fn, a, Math.min),
  max: (a, fn) => extreme(fn, a, Math.max),
  // int(): "string or int"; a string as long.Parse reads it (optional sign, digits, surrounding spaces).
  int: (a, fn) => {
    arity(fn, a, 1);
    const v = a[0]!;
    if (typeof v === 'number' && Number.isInteger(v)) return asInt(fn, v);
    if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return exact(fn, BigInt(v.trim()));
    return fail(`int() converts an integer or a string of digits, got ${JSON.stringify(v)}`);
  },
  // float(): "string or int".
  float: (a, fn) => {
    arity(fn, a, 1);
    const v = a[0]!;
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
    return fail(`float() converts a number or a numeric string, got ${JSON.stringify(v)}`);
  },
  // template-functions-string
  // string(): strings as they are, integers in decimal, booleans "True"/"False", objects and arrays as compact
  // JSON ('{"valueA":10,"valueB":"Example Text"}' in the page's example), null as "".
  string: (a, fn) => {
    arity(fn, a, 1);
    const v = a[0]!;
    if (v === null) return '';
    if (typeof v === 'object') return bounded(JSON.stringify(v));
    if (typeof v === 'number' && !Number.isInteger(v)) return fail(`string() of the non-integer ${v} is not supported (ARM prints it with .NET's formatting)`);
    return bounded(asText(v, fn));
  },
  tolower: (a, fn) => (arity(fn, a, 1), asString(fn, a[0]!).toLowerCase()),
  toupper: (a, fn) => (arity(fn, a, 1), asString(fn, a[0]!).toUpperCase()),
  trim: (a, fn) => (arity(fn, a, 1), asString(fn, a[0]!).trim()),
  // substring(stringToParse, startIndex, [length]): fails outside the string, as the page's remarks say.
  substring: (a, fn) => {
    arity(fn, a, 2, 3);
    const s = asString(fn, a[0]!);
    const start = asInt(fn, a[1]!);
    if (start < 0 || start > s.length) return fail(`substring(): the index ${start} is outside the string of length ${s.length}`);
    if (a.length === 2) return s.slice(start);
    const length = asInt(fn, a[2]!);
    if (length < 0 || start + length > s.length) {
      return fail(`substring(): the index and length parameters must refer to a location within the string (index ${start}, length ${length}, string length ${s.length})`);
    }
    return s.slice(start, start + length);
  },
  // take/skip: "If this value is 0 or less…", "If it's larger than the length…" — clamped, never an error.
  take: (a, fn) => {
    arity(fn, a, 2);
    const n = Math.max(0, asInt(fn, a[1]!));
    const v = a[0]!;
    return Array.isArray(v) ? v.slice(0, n) : asString(fn, v, 'an array or a string').slice(0, n);
  },
  skip: (a, fn) => {
    arity(fn, a, 2);
    const n = Math.max(0, asInt(fn, a[1]!));
    const v = a[0]!;
    return Array.isArray(v) ? v.slice(n) : asString(fn, v, 'an array or a string').slice(n);
  },
  // replace(): every instance of oldString. Whether ARM matches it without regard to case is not documented
  // (Microsoft's policy port does): when that would change the result, the call is refused instead of guessed.
  replace: (a, fn) => {
    arity(fn, a, 3);
    const [s, from, to] = [asString(fn, a[0]!), asString(fn, a[1]!), asString(fn, a[2]!)];
    if (from === '') return fail('replace(): the string to replace is empty');
    const exactResult = s.split(from).join(to);
    const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (s.replace(new RegExp(escaped, 'gi'), () => to) !== exactResult) {
      return fail(`replace(): ${JSON.stringify(from)} also occurs in another case in ${JSON.stringify(s)}; whether ARM replaces it is not documented`);
    }
    return bounded(exactResult);
  },
  // startsWith/endsWith/indexOf/lastIndexOf: "The comparison is case-insensitive."
  startswith: (a, fn) => (arity(fn, a, 2), asString(fn, a[0]!).toLowerCase().startsWith(asString(fn, a[1]!).toLowerCase())),
  endswith: (a, fn) => (arity(fn, a, 2), asString(fn, a[0]!).toLowerCase().endsWith(asString(fn, a[1]!).toLowerCase())),
  indexof: (a, fn) => (arity(fn, a, 2), asString(fn, a[0]!).toLowerCase().indexOf(asString(fn, a[1]!).toLowerCase())),
  lastindexof: (a, fn) => (arity(fn, a, 2), asString(fn, a[0]!).toLowerCase().lastIndexOf(asString(fn, a[1]!).toLowerCase())),
  // split(inputString, delimiter): "string or array of strings".
  split: (a, fn) => {
    arity(fn, a, 2);
    const s = asString(fn, a[0]!);
    const d = a[1]!;
    const delimiters = Array.isArray(d) ? d.map((x) => asString(fn, x, 'string delimiters')) : [asString(fn, d, 'a string or an array of strings as delimiter')];
    if (delimiters.length === 0 || delimiters.some((x) => x === '')) return fail('split(): a delimiter is empty');
    return splitOn(s, delimiters);
  },
  // padLeft(valueToPad, totalLength, [paddingCharacter]): "string or int", the default a space.
  padleft: (a, fn) => {
    arity(fn, a, 2, 3);
    const v = a[0]!;
    const s = typeof v === 'number' ? asText(asInt(fn, v), fn) : asString(fn, v, 'a string or an integer');
    const pad = a.length === 3 ? asString(fn, a[2]!) : ' ';
    if (pad.length !== 1) return fail('padLeft(): the padding is one character');
    const total = asInt(fn, a[1]!);
    if (total > MAX_RESULT_LENGTH) return fail(`padLeft(): a length above ${MAX_RESULT_LENGTH}`);
    return s.padStart(total, pad);
  },
  // uniqueString(baseString, …): strings only (arm-hash.ts).
  uniquestring: (a, fn) => {
    arity(fn, a, 1, Infinity);
    const parts = a.map((x) => asString(fn, x, 'strings'));
    if (parts.join('-').length > UNIQUE_STRING_MAX_INPUT) return fail(`uniqueString(): the input is longer than ARM's ${UNIQUE_STRING_MAX_INPUT} characters`);
    return uniqueStringOf(parts);
  },
  // template-functions-array (and the string page for the string forms)
  createarray: (a, fn) => boundedArray([...a], fn),
  // concat() of arrays is handled with strings in arm-expressions.ts (it existed before these).
  // length(): characters, elements or root-level properties; null is 0.
  length: (a, fn) => {
    arity(fn, a, 1);
    const v = a[0]!;
    if (v === null) return 0;
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (isRecord(v)) return Object.keys(v).length;
    return fail(`length() takes a string, an array or an object, got ${kindOf(v)}`);
  },
  empty: (a, fn) => {
    arity(fn, a, 1);
    const v = a[0]!;
    if (v === null) return true;
    if (typeof v === 'string' || Array.isArray(v)) return v.length === 0;
    if (isRecord(v)) return Object.keys(v).length === 0;
    return fail(`empty() takes a string, an array or an object, got ${kindOf(v)}`);
  },
  // contains(): an array's element (deep equality), an object's key (case-insensitive), a string's substring
  // ("The string comparison is case-sensitive"); itemToFind "string or int".
  contains: (a, fn) => {
    arity(fn, a, 2);
    const [c, item] = a as [ArmValue, ArmValue];
    if (Array.isArray(c)) return c.some((x) => deepEquals(x, item));
    const needle = typeof item === 'number' ? asText(asInt(fn, item), fn) : asString(fn, item, 'a string or an integer to find');
    if (typeof c === 'string') return c.includes(needle);
    if (isRecord(c)) return Object.keys(c).some((k) => k.toLowerCase() === needle.toLowerCase());
    return fail(`contains() looks in an array, an object or a string, got ${kindOf(c)}`);
  },
  // first()/last(): the element, or the character as a string; null for an empty array, "" for an empty string.
  first: (a, fn) => {
    arity(fn, a, 1);
    const v = a[0]!;
    if (v === null) return null;
    if (Array.isArray(v)) return v.length > 0 ? v[0]! : null;
    return asString(fn, v, 'an array or a string').slice(0, 1);
  },
  last: (a, fn) => {
    arity(fn, a, 1);
    const v = a[0]!;
    if (v === null) return null;
    if (Array.isArray(v)) return v.length > 0 ? v[v.length - 1]! : null;
    const s = asString(fn, v, 'an array or a string');
    return s.slice(-1);
  },
  // template-functions-object
  // json(arg1): "Converts a valid JSON string into a JSON data type"; json('null') is null. Strict JSON only.
  json: (a, fn) => {
    arity(fn, a, 1);
    const s = asString(fn, a[0]!);
    if (s.length > MAX_RESULT_LENGTH) return fail(`json(): a string longer than ${MAX_RESULT_LENGTH} characters`);
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch {
      return fail(`json(): ${JSON.stringify(s.slice(0, 60))} is not JSON edgescale reads (strict JSON: double quotes)`);
    }
    checkJsonValue(v);
    return v as ArmValue;
  },
  // createObject(key1, value1, …): string keys, no key twice.
  createobject: (a, fn) => {
    if (a.length % 2 !== 0) return fail('createObject() takes keys and values in pairs');
    const pairs: Array<[string, ArmValue]> = [];
    const seen = new Set<string>();
    for (let i = 0; i < a.length; i += 2) {
      const key = asString(fn, a[i]!, 'string keys');
      if (seen.has(key)) return fail(`createObject(): the key ${JSON.stringify(key)} is given twice`);
      seen.add(key);
      pairs.push([key, a[i + 1]!]);
    }
    // fromEntries defines each key as an own property: "__proto__" is a key like any other, never the prototype.
    return Object.fromEntries(pairs);
  },
};

/** Documented spellings, for messages and the supported list. */
export const PURE_FUNCTION_NAMES = [
  'string',
  'int',
  'float',
  'bool',
  'true',
  'false',
  'null',
  'not',
  'and',
  'or',
  'equals',
  'less',
  'lessOrEquals',
  'greater',
  'greaterOrEquals',
  'coalesce',
  'add',
  'sub',
  'mul',
  'div',
  'mod',
  'min',
  'max',
  'toLower',
  'toUpper',
  'trim',
  'substring',
  'take',
  'skip',
  'replace',
  'startsWith',
  'endsWith',
  'indexOf',
  'lastIndexOf',
  'split',
  'padLeft',
  'uniqueString',
  'length',
  'empty',
  'contains',
  'first',
  'last',
  'createArray',
  'json',
  'createObject',
] as const;

/** The pure function `name` (any case), or undefined when it is not one. */
export function pureFunction(name: string): Fn | undefined {
  return Object.hasOwn(FUNCTIONS, name.toLowerCase()) ? FUNCTIONS[name.toLowerCase()] : undefined;
}
