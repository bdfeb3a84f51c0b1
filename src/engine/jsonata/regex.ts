// Regular expressions on RE2 (re2js, linear time): JS regex literals translated to RE2 syntax, and jsonata's matcher shape.
//
// jsonata builds `new RegExp(pattern, flags + 'g')` for a /…/flags literal (flags i and m only) and
// wraps it in a closure returning {match, start, end, groups, next} (evaluateRegex in jsonata 2.2.2
// src/jsonata.js, MIT, © IBM Corp.). We keep that shape but run the pattern on re2js, whose matching
// time is linear in the input (no catastrophic backtracking), after translating V8's non-unicode
// regex syntax into RE2's so that what matches is what V8 would match (see translate() for the few
// differences left). Patterns RE2 cannot run (backreferences, lookaround) are refused at compile time.
//
// Positions: re2js reports UTF-16 indices for string input, as jsonata's are.

import { RE2JS } from 're2js';
import { JsonataError, type Focus, type Meter } from './runtime.js';

/** A pattern RE2 cannot run; the message says what and why. */
export class RegexRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegexRefused';
  }
}

export interface RegexMatch {
  match: string;
  start: number;
  end: number;
  /** captured groups 1…n; undefined for a group that did not take part (as JS RegExp) */
  groups: string[];
  next(): RegexMatch | undefined;
}

export type JsonataMatcher = ((this: Focus | undefined, str: string, offset?: number) => RegexMatch | undefined) & {
  arity: 1;
  _jsonata_regex: true;
  /** the JS pattern source, for messages (jsonata's D1004 quotes it) */
  readonly source: string;
  /** RE2 program size (instructions): the per-character cost factor of a search */
  readonly programSize: number;
};

/**
 * (characters scanned × program instructions) per unit of work. RE2's NFA advances at most one
 * thread per instruction per character, so scanned × programSize bounds its steps; re2js takes up to
 * ~20 ns per such step on its slowest path (the NFA reading through our counting string: /a.*y|a/
 * rescanning 5 000 characters per find), and the budgets allow ≤ 100 ns per unit
 * (src/engine/expr-budgets.ts), so 2 steps per unit.
 */
export const REGEX_STEPS_PER_UNIT = 2;

/**
 * Fixed units per search: re2js spends ~1–2 µs setting up each find (matcher reset, input wrapper,
 * prefilter, engine choice) whatever it scans, measured over 100 000 finds of /,/ and /(\w+),/.
 */
export const REGEX_FIND_UNITS = 32;

/** Extra fixed units when a match's groups are extracted (re2js runs the engine again over the match). */
const REGEX_GROUPS_UNITS = 16;

/** Longest pattern source compileRegex accepts: translation and RE2 compilation are linear in it. */
const MAX_REGEX_SOURCE_LENGTH = 10_000;

// ---------------------------------------------------------------------------------------------------
// Metering: a search that cannot charge a meter itself leaves its cost here for the library.

let pendingWork = 0;

/**
 * Work of searches done since the last call that no meter was charged for (a matcher called without a
 * Focus, e.g. through a function-argument wrapper, or its `next()`). The library's regex functions
 * take it after every find and charge their own meter. Synchronous code: nothing interleaves.
 */
export function takeRegexWork(): number {
  const w = pendingWork;
  pendingWork = 0;
  return w;
}

/**
 * A string wrapper re2js reads through (it accepts String objects): remembers the furthest position
 * any of re2js's engines examined, so a search is charged for what it actually scanned.
 */
class ScannedString extends String {
  furthest = -1;
  override charCodeAt(index: number): number {
    if (index > this.furthest) this.furthest = index;
    return super.charCodeAt(index);
  }
  override indexOf(search: string, position?: number): number {
    const found = super.indexOf(search, position);
    const reach = found < 0 ? this.length - 1 : found + search.length - 1;
    if (reach > this.furthest) this.furthest = reach;
    return found;
  }
}

// ---------------------------------------------------------------------------------------------------
// Translation: V8 regex syntax (no `u` flag, Annex B) to RE2 syntax

/** JS \s: WhiteSpace and LineTerminator code points (ECMA-262), as [lo, hi] ranges. */
const JS_SPACE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];

function hex(cp: number): string {
  return `\\x{${cp.toString(16)}}`;
}

function rangesText(ranges: ReadonlyArray<readonly [number, number]>): string {
  return ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('');
}

function complement(ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

const SPACE_CLASS_ITEMS = rangesText(JS_SPACE_RANGES);
const NON_SPACE_CLASS_ITEMS = rangesText(complement(JS_SPACE_RANGES));
/** JS `.` without the s flag: anything but a line terminator. */
const JS_DOT = `[^\\n\\r\\x{2028}\\x{2029}]`;

/** A literal code point in RE2 syntax (inside or outside a class). */
function literal(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return String.fromCharCode(cp);
  if (cp > 0x20 && cp < 0x7f) return '\\' + String.fromCharCode(cp); // ASCII punctuation: RE2 accepts any escaped
  return hex(cp);
}

const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** One class or escape atom: a single code point, or a set (shorthand) that cannot bound a range. */
type Atom = { cp: number } | { set: string };

interface Translated {
  pattern: string;
  flags: number;
}

/**
 * Translates a V8 (non-unicode) regex source into RE2 syntax with the same meaning.
 * Remaining differences, all edge cases: with `m`, ^ and $ treat only \n as a line end (V8 also \r,
 * U+2028, U+2029); a non-BMP character is one character to RE2 but two to V8 (`.` matches all of an
 * emoji); `i` folds by Unicode simple case folding (V8 by toUpperCase, so K also matches KELVIN SIGN).
 */
function translate(source: string, jsFlags: string): Translated {
  if (source.length > MAX_REGEX_SOURCE_LENGTH) {
    throw new RegexRefused(`the regular expression is ${source.length} characters long, more than the limit of ${MAX_REGEX_SOURCE_LENGTH}`);
  }
  let flags = 0;
  for (const f of jsFlags) {
    if (f === 'i') flags |= RE2JS.CASE_INSENSITIVE;
    else if (f === 'm') flags |= RE2JS.MULTILINE;
    else if (f === 'g' || f === 'y' || f === 'd') continue; // searching position is ours to handle
    else throw new RegexRefused(`the regular expression flag '${f}' is not supported`);
  }
  const hasNamedGroups = /\(\?<[^=!]/.test(source);
  let out = '';
  let i = 0;
  const n = source.length;

  /** Reads an escape after the backslash at i (i points at '\\'); returns the atom and advances i. */
  const readEscape = (inClass: boolean): Atom => {
    const c = source[i + 1];
    if (c === undefined) throw new RegexRefused('the regular expression ends with a lone backslash');
    i += 2;
    switch (c) {
      case 'd':
        return { set: '\\d' };
      case 'D':
        return { set: '\\D' };
      case 'w':
        return { set: '\\w' };
      case 'W':
        return { set: '\\W' };
      case 's':
        return { set: inClass ? SPACE_CLASS_ITEMS : `[${SPACE_CLASS_ITEMS}]` };
      case 'S':
        return { set: inClass ? NON_SPACE_CLASS_ITEMS : `[${NON_SPACE_CLASS_ITEMS}]` };
      case 'b':
        if (inClass) return { cp: 0x08 };
        return { set: '\\b' };
      case 'B':
        if (inClass) return { cp: 0x42 };
        return { set: '\\B' };
      case 'n':
        return { cp: 0x0a };
      case 'r':
        return { cp: 0x0d };
      case 't':
        return { cp: 0x09 };
      case 'f':
        return { cp: 0x0c };
      case 'v':
        return { cp: 0x0b };
      case '0':
        if (!isDigit(source[i])) return { cp: 0 };
        break;
      case 'x':
        if (isHex(source[i]) && isHex(source[i + 1])) {
          const cp = parseInt(source.slice(i, i + 2), 16);
          i += 2;
          return { cp };
        }
        return { cp: 0x78 };
      case 'u':
        if (isHex(source[i]) && isHex(source[i + 1]) && isHex(source[i + 2]) && isHex(source[i + 3])) {
          let cp = parseInt(source.slice(i, i + 4), 16);
          i += 4;
          if (cp >= 0xd800 && cp <= 0xdbff && source[i] === '\\' && source[i + 1] === 'u') {
            const lowText = source.slice(i + 2, i + 6);
            const low = /^[0-9a-fA-F]{4}$/.test(lowText) ? parseInt(lowText, 16) : -1;
            if (low >= 0xdc00 && low <= 0xdfff) {
              cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
              i += 6;
            }
          }
          if (cp >= 0xd800 && cp <= 0xdfff) throw new RegexRefused('a lone surrogate (\\uD800–\\uDFFF) cannot be matched by RE2');
          return { cp };
        }
        return { cp: 0x75 };
      case 'c': {
        const l = source[i];
        if (l !== undefined && /^[A-Za-z]$/.test(l)) {
          i += 1;
          return { cp: l.charCodeAt(0) % 32 };
        }
        i -= 1; // `\c` not followed by a letter is a literal backslash followed by c
        return { cp: 0x5c };
      }
      case 'k':
        if (hasNamedGroups) throw new RegexRefused('named backreferences (\\k<name>) cannot run in linear time and are not supported');
        return { cp: 0x6b };
    }
    if (isDigit(c)) {
      if (c === '8' || c === '9') return { cp: c.charCodeAt(0) };
      throw new RegexRefused(`backreferences and octal escapes (\\${c}) are not supported: RE2 matches in linear time and has none`);
    }
    const cp = c.codePointAt(0)!;
    if (cp > 0xffff) i += 1;
    return { cp }; // identity escape
  };

  const atomText = (a: Atom) => ('cp' in a ? literal(a.cp) : a.set);

  const readClass = (): string => {
    // i at '['
    i += 1;
    let negated = false;
    if (source[i] === '^') {
      negated = true;
      i += 1;
    }
    const atoms: Atom[] = [];
    const dashes: boolean[] = []; // atoms[k] is a literal '-' written as such
    while (i < n && source[i] !== ']') {
      if (source[i] === '\\') {
        atoms.push(readEscape(true));
        dashes.push(false);
      } else {
        const cp = source.codePointAt(i)!;
        i += cp > 0xffff ? 2 : 1;
        atoms.push({ cp });
        dashes.push(cp === 0x2d);
      }
    }
    if (i >= n) throw new RegexRefused('unterminated character class');
    i += 1; // ']'
    if (atoms.length === 0) return negated ? '[\\x{0}-\\x{10ffff}]' : '[^\\x{0}-\\x{10ffff}]';
    let body = '';
    for (let k = 0; k < atoms.length; k++) {
      const a = atoms[k]!;
      const b = atoms[k + 2];
      if (dashes[k + 1] && b !== undefined && 'cp' in a && 'cp' in b) {
        if (a.cp > b.cp) throw new RegexRefused('range out of order in character class');
        body += `${literal(a.cp)}-${literal(b.cp)}`;
        k += 2;
      } else {
        body += atomText(a);
      }
    }
    return `[${negated ? '^' : ''}${body}]`;
  };

  while (i < n) {
    const c = source[i]!;
    switch (c) {
      case '\\':
        out += atomText(readEscape(false));
        break;
      case '[':
        out += readClass();
        break;
      case '.':
        out += JS_DOT;
        i += 1;
        break;
      case '(':
        if (source[i + 1] === '?') {
          const d = source[i + 2];
          if (d === ':') {
            out += '(?:';
            i += 3;
          } else if (d === '=' || d === '!') {
            throw new RegexRefused('lookahead assertions ((?=…), (?!…)) are not supported by RE2');
          } else if (d === '<' && (source[i + 3] === '=' || source[i + 3] === '!')) {
            throw new RegexRefused('lookbehind assertions ((?<=…), (?<!…)) are not supported by RE2');
          } else if (d === '<') {
            const close = source.indexOf('>', i + 3);
            if (close < 0) throw new RegexRefused('unterminated group name');
            const name = source.slice(i + 3, close);
            if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RegexRefused(`the group name '${name}' is not supported by RE2`);
            out += `(?P<${name}>`;
            i = close + 1;
          } else {
            throw new RegexRefused(`the group syntax (?${d ?? ''} is not supported`);
          }
        } else {
          out += '(';
          i += 1;
        }
        break;
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
        if (m) {
          const lo = Number(m[1]);
          const hi = m[3] ? Number(m[3]) : lo;
          if (lo > 1000 || hi > 1000) throw new RegexRefused(`repetition counts above 1000 (${m[0]}) are not supported by RE2`);
          out += m[0];
          i += m[0].length;
        } else {
          out += '\\{';
          i += 1;
        }
        break;
      }
      case '}':
        out += '\\}';
        i += 1;
        break;
      case ']':
        out += '\\]';
        i += 1;
        break;
      case ')':
      case '|':
      case '*':
      case '+':
      case '?':
      case '^':
      case '$':
        out += c;
        i += 1;
        break;
      default: {
        const cp = source.codePointAt(i)!;
        out += literal(cp);
        i += cp > 0xffff ? 2 : 1;
      }
    }
  }
  return { pattern: out, flags };
}

// ---------------------------------------------------------------------------------------------------
// Compilation and matching

const compiled = new WeakMap<RegExp, { re2: RE2JS; programSize: number }>();

function compileRe2(re: RegExp): { re2: RE2JS; programSize: number } {
  const cached = compiled.get(re);
  if (cached) return cached;
  const { pattern, flags } = translate(re.source, re.flags);
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(pattern, flags);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new RegexRefused(`the regular expression /${re.source}/ cannot run on RE2: ${why}`);
  }
  const entry = { re2, programSize: Math.max(1, re2.programSize()) };
  compiled.set(re, entry);
  return entry;
}

/**
 * Compiles a regex literal (as jsonata's parser built it) into jsonata's matcher closure, running on
 * RE2. Throws RegexRefused for patterns RE2 cannot run. Each search charges REGEX_FIND_UNITS +
 * ceil(characters scanned × program size / REGEX_STEPS_PER_UNIT) (plus the groups' pass when the
 * pattern has groups): to `this.rt.meter` when the
 * matcher is called with a Focus, else into takeRegexWork() for the library to charge.
 */
export function compileRegex(re: RegExp): JsonataMatcher {
  const { re2, programSize } = compileRe2(re);
  const source = re.source;

  type Scan = { text: ScannedString; matcher: ReturnType<RE2JS['matcher']>; meter: Meter | undefined };
  const search = (scan: Scan, str: string, from: number): RegexMatch | undefined => {
    const { text, matcher, meter } = scan;
    text.furthest = from - 1;
    const found = from <= str.length && matcher.find(from);
    let result: RegexMatch | undefined;
    if (found) {
      const start = matcher.start();
      const end = matcher.end();
      const groups: string[] = [];
      const count = matcher.groupCount();
      for (let g = 1; g <= count; g++) {
        const v = matcher.group(g);
        groups.push(v === null ? (undefined as unknown as string) : v);
      }
      const match = str.substring(start, end);
      result = {
        match,
        start,
        end,
        groups,
        next: () => {
          if (end >= str.length) return undefined;
          const following = search(scan, str, end);
          if (following && following.match === '') {
            // matches the empty string: it would never progress (jsonata D1004)
            throw new JsonataError('D1004', 'Regular expression matches zero length string', { value: source });
          }
          return following;
        },
      };
    }
    const scanned = Math.max(text.furthest, from) - from + 1;
    let units = REGEX_FIND_UNITS + Math.ceil((scanned * programSize) / REGEX_STEPS_PER_UNIT);
    if (result && result.groups.length > 0) {
      units += REGEX_GROUPS_UNITS + Math.ceil(((result.end - result.start + 1) * programSize) / REGEX_STEPS_PER_UNIT);
    }
    if (meter) meter.charge(units, 'matching a regular expression');
    else pendingWork += units;
    return result;
  };

  const closure = function (this: Focus | undefined, str: string, offset?: number): RegexMatch | undefined {
    if (typeof str !== 'string') str = String(str); // RegExp.prototype.exec's ToString
    const text = new ScannedString(str);
    const scan: Scan = { text, matcher: re2.matcher(text as unknown as string), meter: (this as Focus | undefined)?.rt?.meter };
    return search(scan, str, offset || 0);
  } as JsonataMatcher;
  Object.defineProperties(closure, {
    arity: { value: 1 },
    _jsonata_regex: { value: true },
    source: { value: source },
    programSize: { value: programSize },
  });
  return closure;
}
