// User JSONata expressions compiled and evaluated under a step budget, a depth limit and size limits.
//
// Why counting and not a timer: in deployed Workers Date.now() does not advance while JavaScript runs,
// so a wall-clock timeout cannot stop a runaway expression. jsonata calls two hooks around every node
// it evaluates (looked up in its environment under Symbol.for('jsonata.__evaluate_entry'/'__exit')),
// and those count steps, pending evaluations and the size of every value produced. Work that happens
// inside one native call (sorting, regular expressions, building big strings) is charged to the same
// step budget or checked before it starts. Every failure comes back as a value, never as a throw.
import jsonata from 'jsonata';
import { LIMITS } from '../limits.js';
import { ExprHelperError, HELPER_FUNCTIONS, sortSteps, type HelperContext } from './expr-functions.js';

// ---------------------------------------------------------------------------------------------------
// Public API

export interface ExprLimits {
  /** evaluation steps (calls of jsonata's evaluate entry hook) one evaluation may take */
  maxSteps: number;
  /** nesting depth of evaluation (entry minus exit) */
  maxDepth: number;
  /** max characters of expression source */
  maxSourceLength: number;
  /** max length of any string value produced */
  maxStringLength: number;
  /** max items in any array produced */
  maxArrayLength: number;
}

/**
 * About 50 ms of CPU: jsonata takes roughly 0.5 µs per step in V8 with the hooks installed
 * (measured on `$sum([1..30000].($*$))`). A condition that filters a full 10 000-point series costs
 * about 40 000 steps, so real rules fit with room; a runaway loop is stopped long before the
 * Workers CPU limit.
 */
const DEFAULT_MAX_STEPS = 100_000;
/**
 * jsonata evaluates array items and group-by values concurrently, so "entry minus exit" counts every
 * pending evaluation, not one call chain: a 10-item array literal is already 11 deep, and a group-by
 * over k keys at least k. Each pending evaluation holds ~2 KB (measured), so 2000 caps that memory
 * at ~4 MB while allowing group-bys over ~1900 keys and ~650 levels of non-tail recursion (three
 * pending nodes per call). A limit of ~200 would reject a 200-item array literal.
 */
const DEFAULT_MAX_DEPTH = 2_000;
/** The request schema's own limit on expression text (src/limits.ts); real conditions are a line or two. */
const DEFAULT_MAX_SOURCE_LENGTH = LIMITS.expressionLength;
/** 100 000 characters: ten times the longest reason or label a rule would build, ~200 KB of memory. */
const DEFAULT_MAX_STRING_LENGTH = 100_000;
/** 100 000 items: ten full 10 000-point series side by side, under a megabyte of numbers. */
const DEFAULT_MAX_ARRAY_LENGTH = 100_000;

export const DEFAULT_EXPR_LIMITS: ExprLimits = Object.freeze({
  maxSteps: DEFAULT_MAX_STEPS,
  maxDepth: DEFAULT_MAX_DEPTH,
  maxSourceLength: DEFAULT_MAX_SOURCE_LENGTH,
  maxStringLength: DEFAULT_MAX_STRING_LENGTH,
  maxArrayLength: DEFAULT_MAX_ARRAY_LENGTH,
});

export type ExprErrorCode =
  | 'ExprSyntax'
  | 'ExprTooLong'
  | 'ExprStepBudget'
  | 'ExprDepthLimit'
  | 'ExprSizeLimit'
  | 'ExprRuntime'
  | 'ExprType';

export interface ExprError {
  code: ExprErrorCode;
  message: string;
  /** 0-based character offset into the source, where jsonata reports one */
  position?: number;
  token?: string;
  /** jsonata's own error code, e.g. S0201, D2014 */
  jsonataCode?: string;
}

export interface CompiledExpr {
  readonly source: string;
}

export interface EvalOptions {
  /** epoch ms, used by time helpers ($window, $now(), $millis()) */
  now: number;
  limits?: ExprLimits;
  bindings?: Record<string, unknown>;
}

export type EvalResult = { ok: true; value: unknown; steps: number } | { ok: false; error: ExprError; steps: number };

type Typed<T> = { ok: true; value: T; steps: number } | { ok: false; error: ExprError; steps: number };

// ---------------------------------------------------------------------------------------------------
// Internal limits, each with its reason

/**
 * Bracket nesting allowed in the source. jsonata's parser recurses per bracket and overflows V8's
 * stack somewhere between 1000 and 2000 levels; no readable rule nests more than a dozen.
 */
const MAX_SOURCE_NESTING = 256;
/** Nesting of arrays/objects in a value; bounds the recursion of deep equality, $string and our own sizing. */
const MAX_VALUE_NESTING = 128;
/**
 * A value (arrays and objects, counted through every level) may hold this many times maxArrayLength
 * items: room for a maximal array of small objects such as points, while `[$x, $x]` doubling can
 * never build something exponentially large for $string or `=` to walk.
 */
const VALUE_ITEMS_FACTOR = 4;
/** ...and this many times maxStringLength characters of strings and keys, counted through every level. */
const VALUE_CHARS_FACTOR = 10;
/**
 * $string and `&` refuse a value whose JSON could exceed this many times maxStringLength (an upper
 * estimate that is at most ~13× the real size), so no oversized string is even built transiently.
 */
const SERIALIZE_ESTIMATE_FACTOR = 16;
/** Upper bound on the JSON characters of one number (e.g. "-1.2345678901234567e-300,"). */
const JSON_CHARS_PER_ITEM = 26;
/** A new array or object costs one step per this many items when first seen: it bounds total allocation. */
const NEW_ITEMS_PER_STEP = 16;
/**
 * Producing an array again, or handing any value to `=`, `in`, `&`…, costs one step per this many
 * items: deep equality and aggregates spend 10–20 ns per item, so 32 items ≈ one step's CPU.
 */
const REPEAT_ITEMS_PER_STEP = 32;
/**
 * Producing a string costs one step per this many characters: jsonata's string functions split
 * strings into code points (~40 ns per character), so 16 characters ≈ one step's CPU.
 */
const CHARS_PER_STEP = 16;
/**
 * Date/number pictures are parsed character by character at ~1 µs each (measured on 100 000-character
 * pictures), so each picture character costs this many steps; real pictures are a few dozen long.
 */
const PICTURE_STEPS_PER_CHAR = 2;
/**
 * Units of regular-expression work per step. The cost model below over-estimates V8's backtracking
 * by 1–10×; measured worst cases run ~3 500 units per microsecond, so 1000 units ≈ 0.3 µs < one step.
 */
const REGEX_WORK_PER_STEP = 1_000;
/** A regular expression must be able to scan at least this many characters within the step budget. */
const REGEX_MIN_USEFUL_INPUT = 64;
/** `(ab+){3}` is unrolled into three copies for the cost model; larger exact counts are refused. */
const REGEX_MAX_UNROLL = 8;
/** $fromMillis/$now picture width modifiers ([Y,100000]) pad output; no date part needs more. */
const MAX_PICTURE_WIDTH = 64;
/**
 * $toMillis with a picture builds a regular expression of adjacent `[0-9]+` groups whose backtracking
 * grows with input length to the power of the number of components; a timestamp needs neither much.
 */
const MAX_PICTURE_PARSE_INPUT = 40;
const MAX_PICTURE_PARSE_MARKERS = 8;
/**
 * A longer timestamp is still parsed when its backtracking provably fits the step budget: v
 * variable-width groups can split n characters at most C(n + v, v) ways, and each split costs a
 * pass over the alternatives of a group. Dates written in words ("twenty-first August two thousand
 * and seventeen", jsonata's parseDateTime tests) need 45–80 characters but only two or three groups.
 * V8 got through ~1 200 of these units per µs on adjacent `[0-9]+` groups (7 groups failing on 40
 * digits: C(47, 7) ≈ 6.3e7 units in 52 ms), so 100 units are far below one step's ~0.5 µs.
 */
const PICTURE_PARSE_UNITS_PER_STEP = 100;
/**
 * Alternatives in the regex jsonata builds for a number in words ([Yw], [DW], [dwo]): about 70
 * words (one…nineteen, their ordinals, the decades, the magnitudes, "and") and a separator class.
 */
const PICTURE_WORDS_ALTERNATIVES = 80;
/** $pad may build this many times maxStringLength before trimming a multi-character pad string. */
const PAD_WORK_FACTOR = 4;
/** $replace must not be able to produce more than this many times maxStringLength characters. */
const REPLACE_OUTPUT_FACTOR = 4;
/** Error messages quote values (jsonata's T2009 embeds both operands); keep them readable. */
const MAX_MESSAGE_LENGTH = 300;

const ENTRY_HOOK = Symbol.for('jsonata.__evaluate_entry');
const EXIT_HOOK = Symbol.for('jsonata.__evaluate_exit');
// A space cannot appear in a $variable name, so no expression can read or overwrite this binding.
const STATE_KEY = 'edgescale evaluation state';
// Marks AST nodes whose value is consumed deeply (`=`, `in`, `&`, conditions, predicates).
const DEEP_CONSUMER = Symbol('edgescale.deepConsumer');

// ---------------------------------------------------------------------------------------------------
// jsonata internals we touch (typed narrowly)

interface AstNode {
  type?: string;
  value?: unknown;
  position?: number;
  [DEEP_CONSUMER]?: true;
  [key: string]: unknown;
}

interface Env {
  lookup(name: string | symbol): unknown;
  base: Env & { RegexEngine?: unknown; options?: Record<string, unknown> };
}

interface Focus {
  environment: Env;
  input?: unknown;
  createSequence?: () => unknown[];
}

interface NativeFunction {
  implementation: (this: Focus, ...args: unknown[]) => unknown;
  signature?: { definition?: string };
}

type Jsonata = ReturnType<typeof jsonata>;

/** jsonata binds any key, symbols included, though its typings only admit strings. */
function assignSymbol(instance: Jsonata, name: symbol, value: unknown): void {
  (instance as unknown as { assign(name: symbol, value: unknown): void }).assign(name, value);
}

// ---------------------------------------------------------------------------------------------------
// Errors

/** Thrown by the hooks and guards; jsonata passes it through untouched apart from position/token. */
class ExprLimitError extends Error {
  constructor(readonly exprError: ExprError) {
    super(exprError.message);
    this.name = 'ExprLimitError';
  }
}

function limitError(code: ExprErrorCode, message: string, node?: AstNode, source?: string): ExprLimitError {
  const error: ExprError = { code, message };
  if (node && typeof node.position === 'number' && source !== undefined) {
    error.position = locateToken(source, node.position, node.value);
  }
  return new ExprLimitError(error);
}

const JSONATA_CODE = /^[STDU]\d{4}$/;

function jsonataErrorCode(code: string): ExprErrorCode {
  if (code.startsWith('S')) return 'ExprSyntax';
  if (code === 'D2014' || code === 'D2015') return 'ExprSizeLimit';
  if (code === 'D1011' || code === 'U1001') return 'ExprDepthLimit';
  if (code === 'D1012') return 'ExprStepBudget';
  if (code.startsWith('T')) return 'ExprType';
  return 'ExprRuntime';
}

function oneSentence(message: string): string {
  const text = message.replace(/\s+/g, ' ').trim();
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

/**
 * jsonata reports the offset just past the offending token; we report where the token starts, so an
 * editor can underline it. Without a token we keep jsonata's offset (clamped into the source).
 */
function locateToken(source: string, position: number, token: unknown): number {
  const clamp = (p: number) => Math.max(0, Math.min(source.length, p));
  if (token === '(end)') return source.length;
  if (typeof token !== 'string' && typeof token !== 'number') return clamp(position);
  const text = String(token);
  for (const end of [position, position - 1]) {
    let start = end - text.length;
    if (text.length > 0 && start >= 0 && source.startsWith(text, start)) {
      if (source[start - 1] === '$') start -= 1; // function and variable names are written with a `$`
      return start;
    }
  }
  const quote = source[position - 1];
  if (quote === '"' || quote === "'") {
    // A string literal token: step back to its opening quote.
    for (let i = position - 2; i >= 0; i--) {
      if (source[i] === quote && source[i - 1] !== '\\') return i;
    }
  }
  return clamp(position - text.length);
}

function toExprError(err: unknown, source: string, limits?: ExprLimits): ExprError {
  try {
    if (err instanceof ExprLimitError) {
      const e = { ...err.exprError };
      const pos = (err as unknown as { position?: unknown }).position;
      const token = (err as unknown as { token?: unknown }).token;
      if (e.position === undefined && typeof pos === 'number') e.position = locateToken(source, pos, token);
      return e;
    }
    const obj = err as { code?: unknown; message?: unknown; position?: unknown; token?: unknown } | null;
    if (err instanceof ExprHelperError) {
      const e: ExprError = { code: err.exprCode, message: oneSentence(err.message) };
      if (typeof obj?.position === 'number') e.position = locateToken(source, obj.position, obj.token);
      if (typeof obj?.token === 'string') e.token = obj.token;
      return e;
    }
    if (err instanceof RangeError) {
      if (/call stack/i.test(err.message)) {
        return { code: 'ExprDepthLimit', message: 'expression nested or recursed too deeply for the JavaScript stack' };
      }
      if (/invalid (string|array) length/i.test(err.message)) {
        return { code: 'ExprSizeLimit', message: 'expression built a string or array too large for the runtime' };
      }
    }
    if (obj && typeof obj === 'object' && typeof obj.code === 'string' && JSONATA_CODE.test(obj.code)) {
      let message = typeof obj.message === 'string' && obj.message ? obj.message : `jsonata error ${obj.code}`;
      if ((obj.code === 'D2014' || obj.code === 'D2015') && limits) {
        // jsonata's texts quote its own 1e7 cap, or the attempted size as if it were the maximum.
        const size = typeof (obj as { value?: unknown }).value === 'number' ? (obj as { value: number }).value : undefined;
        message =
          obj.code === 'D2014' && size !== undefined
            ? `the range would allocate ${size} items, more than the limit of ${limits.maxArrayLength}`
            : `expression built a sequence longer than the limit of ${limits.maxArrayLength} items`;
      }
      const e: ExprError = { code: jsonataErrorCode(obj.code), message: oneSentence(message), jsonataCode: obj.code };
      if (typeof obj.position === 'number') e.position = locateToken(source, obj.position, obj.token);
      if ((typeof obj.token === 'string' && obj.token !== '(end)') || typeof obj.token === 'number') {
        e.token = String(obj.token);
      }
      return e;
    }
    if (err instanceof Error) return { code: 'ExprRuntime', message: oneSentence(err.message || err.name) };
    return { code: 'ExprRuntime', message: oneSentence(`expression failed: ${String(err)}`) };
  } catch {
    return { code: 'ExprRuntime', message: 'expression failed with an error that could not be described' };
  }
}

// ---------------------------------------------------------------------------------------------------
// Regular expressions: V8 backtracks, and one exec() is a single jsonata step, so step counting alone
// cannot stop /(a+)+$/. Every regex literal is parsed here at compile time: nested repetition,
// repeated alternation and backreferences (the exponential cases) are refused, and the rest get a
// polynomial cost model that is charged to the step budget *before* each exec() runs.

/** 128 ASCII bits in words 0–3; word 4 ≠ 0 means "some non-ASCII character". */
type CharSet = Uint32Array;

function csNew(): CharSet {
  return new Uint32Array(5);
}
function csAdd(cs: CharSet, code: number): void {
  if (code < 128) cs[code >> 5] = cs[code >> 5]! | (1 << (code & 31));
  else cs[4] = 1;
}
function csAddRange(cs: CharSet, lo: number, hi: number): void {
  for (let c = lo; c <= Math.min(hi, 127); c++) csAdd(cs, c);
  if (hi >= 128) cs[4] = 1;
}
function csHas(cs: CharSet, code: number): boolean {
  return code < 128 ? (cs[code >> 5]! & (1 << (code & 31))) !== 0 : cs[4] !== 0;
}
function csAll(): CharSet {
  return new Uint32Array([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 1]);
}
function csComplement(cs: CharSet): CharSet {
  // The complement of a partly non-ASCII set still holds other non-ASCII characters.
  return new Uint32Array([~cs[0]! >>> 0, ~cs[1]! >>> 0, ~cs[2]! >>> 0, ~cs[3]! >>> 0, 1]);
}
function csUnion(into: CharSet, from: CharSet): void {
  for (let i = 0; i < 5; i++) into[i] = into[i]! | from[i]!;
}
function csOverlaps(a: CharSet, b: CharSet): boolean {
  for (let i = 0; i < 5; i++) if ((a[i]! & b[i]!) !== 0) return true;
  return false;
}
function csFoldCase(cs: CharSet): void {
  for (let c = 65; c <= 90; c++) {
    if (csHas(cs, c) || csHas(cs, c + 32)) {
      csAdd(cs, c);
      csAdd(cs, c + 32);
    }
  }
}
function csDigits(): CharSet {
  const cs = csNew();
  csAddRange(cs, 48, 57);
  return cs;
}
function csWord(): CharSet {
  const cs = csDigits();
  csAddRange(cs, 65, 90);
  csAddRange(cs, 97, 122);
  csAdd(cs, 95);
  return cs;
}
function csSpace(): CharSet {
  const cs = csNew();
  csAddRange(cs, 9, 13);
  csAdd(cs, 32);
  cs[4] = 1; // NBSP, line separators, …
  return cs;
}

type RNode =
  | { k: 'char'; set: CharSet }
  | { k: 'assert' }
  | { k: 'backref' }
  | { k: 'look'; body: RNode[][] }
  | { k: 'group'; body: RNode[][] }
  | { k: 'quant'; atom: RNode; min: number; max: number };

/** A parser for the regex syntax V8 accepts without the `u` flag (jsonata only allows i and m). */
class RegexParser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): RNode[][] {
    const top = this.disjunction();
    // A stray `)` cannot occur in a pattern V8 accepted; anything left is read as more terms.
    while (this.i < this.src.length) {
      this.i++;
      top.push(this.sequence());
    }
    return top;
  }

  private disjunction(): RNode[][] {
    const alts = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): RNode[] {
    const items: RNode[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      items.push(this.quantifier(this.atom()));
    }
    return items;
  }

  private charNode(set: CharSet): RNode {
    if (this.ignoreCase) csFoldCase(set);
    return { k: 'char', set };
  }

  private literal(code: number): RNode {
    const set = csNew();
    csAdd(set, code);
    return this.charNode(set);
  }

  private atom(): RNode {
    const c = this.src[this.i++]!;
    switch (c) {
      case '^':
      case '$':
        return { k: 'assert' };
      case '.':
        return { k: 'char', set: csAll() };
      case '[':
        return this.charNode(this.characterClass());
      case '(':
        return this.group();
      case '\\':
        return this.escape();
      default:
        return this.literal(c.charCodeAt(0));
    }
  }

  private group(): RNode {
    const s = this.src;
    let look = false;
    if (s.startsWith('?:', this.i)) this.i += 2;
    else if (s.startsWith('?=', this.i) || s.startsWith('?!', this.i)) (this.i += 2), (look = true);
    else if (s.startsWith('?<=', this.i) || s.startsWith('?<!', this.i)) (this.i += 3), (look = true);
    else if (s.startsWith('?<', this.i)) {
      const close = s.indexOf('>', this.i);
      this.i = close < 0 ? s.length : close + 1;
    }
    const body = this.disjunction();
    if (s[this.i] === ')') this.i++;
    return look ? { k: 'look', body } : { k: 'group', body };
  }

  private hex(digits: number): number | undefined {
    const text = this.src.slice(this.i, this.i + digits);
    if (text.length !== digits || !/^[0-9a-fA-F]+$/.test(text)) return undefined;
    this.i += digits;
    return parseInt(text, 16);
  }

  /** One escape outside or inside a class: a code point, a class set, or undefined for "special". */
  private escapeValue(inClass: boolean): { code: number } | { set: CharSet } | { special: 'assert' | 'backref' } {
    const e = this.src[this.i++];
    switch (e) {
      case undefined:
        return { set: csAll() };
      case 'd':
        return { set: csDigits() };
      case 'D':
        return { set: csComplement(csDigits()) };
      case 'w':
        return { set: csWord() };
      case 'W':
        return { set: csComplement(csWord()) };
      case 's':
        return { set: csSpace() };
      case 'S':
        return { set: csComplement(csSpace()) };
      case 'b':
        return inClass ? { code: 8 } : { special: 'assert' };
      case 'B':
        return inClass ? { code: 66 } : { special: 'assert' };
      case 'n':
        return { code: 10 };
      case 'r':
        return { code: 13 };
      case 't':
        return { code: 9 };
      case 'v':
        return { code: 11 };
      case 'f':
        return { code: 12 };
      case '0':
        return { code: 0 };
      case 'x':
        return { code: this.hex(2) ?? 120 };
      case 'u':
        return { code: this.hex(4) ?? 117 };
      case 'c': {
        const next = this.src[this.i];
        if (next && /[A-Za-z]/.test(next)) {
          this.i++;
          return { code: next.charCodeAt(0) % 32 };
        }
        return { set: csAll() };
      }
      case 'k':
        return !inClass && this.src[this.i] === '<' ? { special: 'backref' } : { code: 107 };
      default:
        // \1–\9 refer back to a group outside a class (octal escapes inside one: any character).
        if (e >= '1' && e <= '9') return inClass ? { set: csAll() } : { special: 'backref' };
        return { code: e.charCodeAt(0) };
    }
  }

  private escape(): RNode {
    const v = this.escapeValue(false);
    if ('special' in v) return { k: v.special };
    if ('set' in v) return this.charNode(v.set);
    return this.literal(v.code);
  }

  private characterClass(): CharSet {
    const s = this.src;
    const negate = s[this.i] === '^';
    if (negate) this.i++;
    const set = csNew();
    const classAtom = (): { code: number } | { set: CharSet } => {
      const c = s[this.i++]!;
      if (c !== '\\') return { code: c.charCodeAt(0) };
      const v = this.escapeValue(true);
      return 'special' in v ? { set: csAll() } : v;
    };
    while (this.i < s.length && s[this.i] !== ']') {
      const from = classAtom();
      if (s[this.i] === '-' && this.i + 1 < s.length && s[this.i + 1] !== ']') {
        this.i++;
        const to = classAtom();
        if ('code' in from && 'code' in to) {
          csAddRange(set, from.code, to.code);
          continue;
        }
        // Annex B: a class escape at either end makes "-" a literal.
        csAdd(set, 45);
        if ('set' in to) csUnion(set, to.set);
        else csAdd(set, to.code);
      }
      if ('set' in from) csUnion(set, from.set);
      else csAdd(set, from.code);
    }
    this.i++; // the closing ]
    if (this.ignoreCase) csFoldCase(set);
    return negate ? csComplement(set) : set;
  }

  private quantifier(atom: RNode): RNode {
    const s = this.src;
    let min: number;
    let max: number;
    const c = s[this.i];
    if (c === '*') (min = 0), (max = Infinity), this.i++;
    else if (c === '+') (min = 1), (max = Infinity), this.i++;
    else if (c === '?') (min = 0), (max = 1), this.i++;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i, this.i + 40));
      if (!m) return atom; // Annex B: a "{" that is not a quantifier is a literal, read as the next atom
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length;
    } else return atom;
    if (s[this.i] === '?') this.i++; // lazy: same worst case
    return { k: 'quant', atom, min, max };
  }
}

/** Why a regex literal is refused. */
class UnsafeRegex extends Error {}

interface RegexCost {
  /** atoms in the pattern (work per attempted position without backtracking) */
  atoms: number;
  /** product of alternation widths */
  alternatives: number;
  /** per-start work grows as (n+1)^exponent */
  exponent: number;
}

type Flat = { kind: 'atom'; set: CharSet; min: number; max: number; alt: boolean } | { kind: 'zero' };

interface Acc {
  atoms: number;
  alternatives: number;
  exponent: number;
}

function hasChoice(alts: RNode[][]): boolean {
  if (alts.length > 1) return true;
  const node = (n: RNode): boolean =>
    n.k === 'quant' ? n.max > n.min || node(n.atom) : n.k === 'group' || n.k === 'look' ? hasChoice(n.body) : false;
  return alts.some((seq) => seq.some(node));
}

function unionSet(alts: RNode[][], into: CharSet = csNew()): CharSet {
  const node = (n: RNode): void => {
    if (n.k === 'char') csUnion(into, n.set);
    else if (n.k === 'quant') node(n.atom);
    else if (n.k === 'group') unionSet(n.body, into);
  };
  for (const seq of alts) seq.forEach(node);
  return into;
}

/** Characters a choice-free pattern always consumes, or undefined when it varies. */
function fixedLength(alts: RNode[][]): number | undefined {
  const node = (n: RNode): number | undefined => {
    switch (n.k) {
      case 'char':
        return 1;
      case 'group':
        return fixedLength(n.body);
      case 'quant': {
        const inner = node(n.atom);
        return n.max === n.min && inner !== undefined ? inner * n.min : undefined;
      }
      default:
        return 0;
    }
  };
  let len: number | undefined;
  for (const seq of alts) {
    let total = 0;
    for (const n of seq) {
      const l = node(n);
      if (l === undefined) return undefined;
      total += l;
    }
    if (len !== undefined && len !== total) return undefined;
    len = total;
  }
  return len;
}

/** Fewest characters a pattern can consume. */
function minLength(alts: RNode[][]): number {
  const node = (n: RNode): number =>
    n.k === 'char' ? 1 : n.k === 'group' ? minLength(n.body) : n.k === 'quant' ? n.min * node(n.atom) : 0;
  return Math.min(...alts.map((seq) => seq.reduce((sum, n) => sum + node(n), 0)));
}

function flattenAlts(alts: RNode[][], out: Flat[], acc: Acc, optional: boolean): void {
  if (alts.length === 1) {
    for (const n of alts[0]!) flattenNode(n, out, acc, optional);
    return;
  }
  // An alternation: each branch is costed on its own, and the whole acts as one atom in the sequence.
  let width = 0;
  let exponent = 0;
  for (const seq of alts) {
    const c = analyzeSequence(seq, true);
    acc.atoms += c.atoms;
    width += c.alternatives;
    exponent = Math.max(exponent, c.exponent);
  }
  acc.alternatives *= width;
  acc.exponent += exponent;
  const variable = alts.some((seq) => hasChoice([seq])) || fixedLength(alts) === undefined;
  out.push({
    kind: 'atom',
    set: unionSet(alts),
    min: optional || minLength(alts) === 0 ? 0 : 1,
    max: variable ? Infinity : 1,
    alt: true,
  });
}

function flattenNode(n: RNode, out: Flat[], acc: Acc, optional: boolean): void {
  switch (n.k) {
    case 'char':
      out.push({ kind: 'atom', set: n.set, min: optional ? 0 : 1, max: 1, alt: false });
      return;
    case 'assert':
      out.push({ kind: 'zero' });
      return;
    case 'backref':
      throw new UnsafeRegex('uses a backreference, which can take exponential time to match');
    case 'look': {
      const c = analyzeAlternatives(n.body, true);
      acc.atoms += c.atoms;
      acc.alternatives *= c.alternatives;
      acc.exponent += c.exponent;
      out.push({ kind: 'zero' });
      return;
    }
    case 'group':
      flattenAlts(n.body, out, acc, optional);
      return;
    case 'quant': {
      const { atom, min, max } = n;
      if (atom.k === 'char') {
        out.push({ kind: 'atom', set: atom.set, min: optional ? 0 : min, max, alt: false });
        return;
      }
      if (atom.k === 'backref') throw new UnsafeRegex('uses a backreference, which can take exponential time to match');
      if (atom.k !== 'group') throw new UnsafeRegex('repeats an assertion, which is not supported');
      const choice = hasChoice(atom.body);
      // A repetition "must consume" only if its body cannot match the empty string.
      const atLeast = optional || minLength(atom.body) === 0 ? 0 : min;
      if (max > min) {
        if (!choice) {
          out.push({ kind: 'atom', set: unionSet(atom.body), min: atLeast, max, alt: false });
        } else if (max <= 1) {
          flattenAlts(atom.body, out, acc, true); // (…)? is one optional copy
        } else {
          throw new UnsafeRegex(
            'repeats a group that itself contains a repetition or an alternation, which can take exponential time to match; rewrite it without the nesting (for example [ab]+ instead of (a|b)+)',
          );
        }
        return;
      }
      if (min === 0) return;
      if (!choice) {
        out.push({ kind: 'atom', set: unionSet(atom.body), min: atLeast, max: min, alt: false });
        return;
      }
      if (min > REGEX_MAX_UNROLL) {
        throw new UnsafeRegex(`repeats a group containing a repetition more than ${REGEX_MAX_UNROLL} times`);
      }
      for (let r = 0; r < min; r++) flattenAlts(atom.body, out, acc, optional);
      return;
    }
  }
}

/**
 * Cost of a sequence. A repetition only backtracks if something after it can fail ("counted"), and
 * two counted repetitions multiply their work only when they can match the same characters with
 * nothing mandatory and disjoint in between (`\d*\d*x` does, `\s*\w+=\s*` does not).
 */
function analyzeSequence(seq: RNode[], tailCanFail: boolean): RegexCost {
  const flat: Flat[] = [];
  const acc: Acc = { atoms: 0, alternatives: 1, exponent: 0 };
  for (const n of seq) flattenNode(n, flat, acc, false);
  const failsAfter: boolean[] = new Array(flat.length);
  let fail = tailCanFail;
  for (let i = flat.length - 1; i >= 0; i--) {
    failsAfter[i] = fail;
    const f = flat[i]!;
    if (f.kind === 'zero' || f.min >= 1 || f.alt) fail = true;
  }
  let active: CharSet[] = [];
  let counted = 0;
  let pairs = 0;
  flat.forEach((f, i) => {
    if (f.kind === 'zero') return;
    if (f.min >= 1) active = active.filter((s) => csOverlaps(s, f.set));
    if (f.max > f.min && failsAfter[i]) {
      if (active.some((s) => csOverlaps(s, f.set))) pairs++;
      active.push(f.set);
      counted++;
    }
  });
  return {
    atoms: acc.atoms + flat.length,
    alternatives: acc.alternatives,
    exponent: acc.exponent + (counted > 0 ? 1 + pairs : 0),
  };
}

function analyzeAlternatives(alts: RNode[][], tailCanFail: boolean): RegexCost {
  const seq: RNode[] = alts.length === 1 ? alts[0]! : [{ k: 'group', body: alts }];
  return analyzeSequence(seq, tailCanFail);
}

/** Worst-case work of one exec() over n characters: every start position × backtracking per start. */
function regexWork(cost: RegexCost, n: number): number {
  return (n + 1) * Math.max(1, cost.atoms) * cost.alternatives * Math.pow(n + 1, cost.exponent);
}

function analyzeRegex(re: RegExp, maxSteps: number): RegexCost {
  const cost = analyzeAlternatives(new RegexParser(re.source, re.ignoreCase).parse(), false);
  if (regexWork(cost, REGEX_MIN_USEFUL_INPUT) > maxSteps * REGEX_WORK_PER_STEP) {
    throw new UnsafeRegex(
      `could use the whole step budget on a ${REGEX_MIN_USEFUL_INPUT}-character string; avoid adjacent repetitions that can match the same characters`,
    );
  }
  return cost;
}

/** The RegExp class jsonata instantiates for regex literals: charges each exec() before running it. */
function guardedRegexClass(
  costs: ReadonlyMap<RegExp, RegexCost>,
  maxSteps: number,
  charge: (steps: number, doing: string) => void,
) {
  return class GuardedRegExp {
    lastIndex = 0;
    readonly #re: RegExp;
    readonly #cost: RegexCost;
    constructor(re: RegExp) {
      this.#re = new RegExp(re.source, re.flags);
      this.#cost = costs.get(re) ?? analyzeRegex(re, maxSteps);
    }
    exec(s: string): RegExpExecArray | null {
      const n = Math.max(0, s.length - this.lastIndex);
      charge(
        Math.ceil(regexWork(this.#cost, n) / REGEX_WORK_PER_STEP),
        `matching /${this.#re.source.slice(0, 40)}/ against a ${s.length}-character string`,
      );
      this.#re.lastIndex = this.lastIndex;
      const m = this.#re.exec(s);
      this.lastIndex = this.#re.lastIndex;
      return m;
    }
  };
}

// ---------------------------------------------------------------------------------------------------
// Per-evaluation state: counters and size bookkeeping live here, one object per evaluateExpr call,
// so a compiled expression can be evaluated concurrently with independent budgets.

interface Weight {
  /** array elements and object members, counted through every level */
  items: number;
  /** characters of strings and keys, counted through every level */
  chars: number;
  /** levels of arrays/objects below this one */
  nest: number;
}

const IN_PROGRESS: Weight = Object.freeze({ items: -1, chars: -1, nest: -1 });

function isFunctionLike(x: object): boolean {
  const f = x as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return typeof x === 'function' || f._jsonata_lambda === true || f._jsonata_function === true;
}

class EvalState implements HelperContext {
  steps = 0;
  pending = 0;
  /**
   * Set once evaluateExpr has its answer. jsonata runs array items and group-by values under
   * Promise.all, which rejects on the first error while the sibling branches keep running; with
   * this set, their next step throws instead of spending CPU nobody will look at.
   */
  finished = false;
  readonly maxSteps: number;
  readonly maxDepth: number;
  readonly maxItems: number;
  readonly maxChars: number;
  /** Sizes of arrays/objects seen in this evaluation (memoised, so shared sub-values cost once). */
  private readonly weights = new WeakMap<object, Weight>();
  /** The caller's input and bindings: JSON trees we did not build, navigated without re-measuring. */
  private readonly trusted = new WeakSet<object>();
  private regexClass: unknown;

  constructor(
    readonly compiled: CompiledExprImpl,
    readonly limits: ExprLimits,
    readonly now: number,
  ) {
    this.maxSteps = limits.maxSteps;
    this.maxDepth = limits.maxDepth;
    this.maxItems = limits.maxArrayLength * VALUE_ITEMS_FACTOR;
    this.maxChars = limits.maxStringLength * VALUE_CHARS_FACTOR;
  }

  trust(value: unknown): void {
    if (typeof value === 'object' && value !== null) this.trusted.add(value);
  }

  charge(steps: number, doing?: string): void {
    if (steps <= 0) return;
    this.steps += steps;
    if (this.steps > this.maxSteps) {
      // Report what was spent, not the (possibly astronomical) price of the work that was refused.
      this.steps = this.maxSteps + 1;
      throw limitError(
        'ExprStepBudget',
        `expression exceeded its budget of ${this.maxSteps} evaluation steps${doing ? ` while ${doing}` : ''}`,
      );
    }
  }

  regexEngine(): unknown {
    this.regexClass ??= guardedRegexClass(this.compiled.regexCosts, this.maxSteps, (n, doing) => this.charge(n, doing));
    return this.regexClass;
  }

  sizeError(message: string, node?: AstNode): ExprLimitError {
    return limitError('ExprSizeLimit', message, node, this.compiled.source);
  }

  checkString(s: string, node?: AstNode): void {
    if (s.length > this.limits.maxStringLength) {
      throw this.sizeError(
        `expression built a string of ${s.length} characters, more than the limit of ${this.limits.maxStringLength}`,
        node,
      );
    }
    if (s.length >= CHARS_PER_STEP) this.charge(Math.floor(s.length / CHARS_PER_STEP), 'building strings');
  }

  /** Size of an array or object, through every level; memoised; throws past the limits. */
  weigh(value: object, node?: AstNode, depth = 0): Weight {
    const known = this.weights.get(value);
    if (known !== undefined) {
      if (known === IN_PROGRESS) throw this.sizeError('expression built a value that contains itself', node);
      return known;
    }
    if (depth > MAX_VALUE_NESTING) {
      throw this.sizeError(`expression built a value nested more than ${MAX_VALUE_NESTING} levels deep`, node);
    }
    this.weights.set(value, IN_PROGRESS);
    let items = 0;
    let chars = 0;
    let nest = 0;
    const add = (x: unknown): void => {
      if (typeof x === 'string') chars += x.length;
      else if (typeof x === 'object' && x !== null && !isFunctionLike(x)) {
        const w = this.weigh(x, node, depth + 1);
        items += w.items;
        chars += w.chars;
        if (w.nest + 1 > nest) nest = w.nest + 1;
      }
    };
    let own = 0;
    if (Array.isArray(value)) {
      own = value.length;
      for (let i = 0; i < value.length; i++) add(value[i]);
    } else {
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        own++;
        chars += key.length;
        add((value as Record<string, unknown>)[key]);
      }
    }
    items += own;
    const w: Weight = { items, chars, nest };
    this.weights.set(value, w);
    if (nest > MAX_VALUE_NESTING) {
      throw this.sizeError(`expression built a value nested more than ${MAX_VALUE_NESTING} levels deep`, node);
    }
    if (items > this.maxItems) {
      throw this.sizeError(`expression built a value of ${items} items, more than the limit of ${this.maxItems}`, node);
    }
    if (chars > this.maxChars) {
      throw this.sizeError(
        `expression built a value holding ${chars} characters of text, more than the limit of ${this.maxChars}`,
        node,
      );
    }
    this.charge(Math.floor(own / NEW_ITEMS_PER_STEP), 'building arrays and objects');
    return w;
  }

  /** Upper estimate of JSON.stringify's output for a value. */
  jsonEstimate(value: unknown, pretty: boolean): number {
    if (typeof value === 'string') return value.length + 2;
    if (typeof value !== 'object' || value === null || isFunctionLike(value)) return JSON_CHARS_PER_ITEM;
    const w = this.weigh(value);
    return w.chars + (w.items + 1) * (JSON_CHARS_PER_ITEM + (pretty ? 2 * (w.nest + 1) + 1 : 0));
  }

  /** Refuse to stringify a value whose JSON could be far longer than any string we allow. */
  checkSerializable(value: unknown, pretty: boolean, node?: AstNode): void {
    if (typeof value !== 'object' || value === null) return;
    const estimate = this.jsonEstimate(value, pretty);
    const cap = this.limits.maxStringLength * SERIALIZE_ESTIMATE_FACTOR;
    if (estimate > cap) {
      throw this.sizeError(
        `expression tried to turn a value of up to ${estimate} characters into a string, more than the limit of ${this.limits.maxStringLength}`,
        node,
      );
    }
    this.charge(Math.floor(this.weigh(value).items / REPEAT_ITEMS_PER_STEP), 'serializing values');
  }

  /** Exit-hook bookkeeping for an array or object result. */
  account(node: AstNode, input: unknown, value: object): void {
    if (isFunctionLike(value)) return;
    const deep = node[DEEP_CONSUMER] === true;
    let trusted = this.trusted.has(value);
    if (
      !trusted &&
      node.type === 'name' &&
      typeof input === 'object' &&
      input !== null &&
      !Array.isArray(input) &&
      this.trusted.has(input)
    ) {
      // A field of a trusted object is part of the same trusted tree.
      this.trusted.add(value);
      trusted = true;
    }
    if (!trusted) {
      if (Array.isArray(value) && value.length > this.limits.maxArrayLength) {
        throw this.sizeError(
          `expression built an array of ${value.length} items, more than the limit of ${this.limits.maxArrayLength}`,
          node,
        );
      }
      this.weigh(value, node);
    }
    if (Array.isArray(value)) this.charge(Math.floor(value.length / REPEAT_ITEMS_PER_STEP), 'passing arrays around');
    if (deep) {
      if (this.compiled.stringOperands.has(node)) {
        this.checkSerializable(value, false, node);
      } else {
        this.charge(Math.floor(this.weigh(value, node).items / REPEAT_ITEMS_PER_STEP), 'comparing values');
      }
    }
  }
}

function stateOf(env: Env): EvalState {
  return env.base.lookup(STATE_KEY) as EvalState;
}

// The hooks are module constants without state of their own: each call finds its evaluation's
// EvalState through the evaluation's base frame, which jsonata creates afresh per evaluate().
function onEntry(node: AstNode, _input: unknown, env: Env): void {
  const s = stateOf(env);
  if (s.finished) throw new ExprLimitError({ code: 'ExprRuntime', message: 'evaluation already finished' });
  if (++s.steps > s.maxSteps) {
    const message = `expression exceeded its budget of ${s.maxSteps} evaluation steps`;
    throw limitError('ExprStepBudget', message, node, s.compiled.source);
  }
  if (++s.pending > s.maxDepth) {
    throw limitError(
      'ExprDepthLimit',
      `expression exceeded its depth limit of ${s.maxDepth} pending evaluations (deep recursion, or a group-by over very many keys)`,
      node,
      s.compiled.source,
    );
  }
  if (s.steps === 1 && env.base.options?.sequence !== s.limits.maxArrayLength) {
    // jsonata checks ranges ([1..1e7]) against options.sequence before allocating them.
    env.base.options = { ...env.base.options, sequence: s.limits.maxArrayLength };
  }
  if (node.type === 'regex') env.base.RegexEngine = s.regexEngine();
}

function onExit(node: AstNode, input: unknown, env: Env, result: unknown): void {
  const s = stateOf(env);
  s.pending--;
  if (typeof result === 'string') s.checkString(result, node);
  else if (typeof result === 'object' && result !== null) s.account(node, input, result);
}

// ---------------------------------------------------------------------------------------------------
// Built-in functions that do unbounded work inside one step are wrapped with a check or a charge.

const WRAPPED_BUILTINS = [
  'sort',
  'distinct',
  'string',
  'join',
  'pad',
  'replace',
  'fromMillis',
  'toMillis',
  'formatNumber',
  'formatInteger',
  'parseInteger',
] as const;
type Builtins = Record<(typeof WRAPPED_BUILTINS)[number], NativeFunction>;

/**
 * jsonata does not export its built-ins. The entry hook runs synchronously at the start of
 * evaluate(), so a throwaway expression can read them from its environment and stop right there.
 */
function captureBuiltins(): Builtins {
  const probe = jsonata('$');
  let found: Partial<Builtins> | undefined;
  const stop = new Error('captured');
  assignSymbol(probe, ENTRY_HOOK, (_n: unknown, _i: unknown, env: Env) => {
    found = {};
    for (const name of WRAPPED_BUILTINS) found[name] = env.lookup(name) as NativeFunction;
    throw stop;
  });
  probe.evaluate(undefined).catch(() => undefined);
  for (const name of WRAPPED_BUILTINS) {
    if (typeof found?.[name]?.implementation !== 'function') throw new Error(`jsonata built-in $${name} not found`);
  }
  return found as Builtins;
}

/**
 * The `[…]` markers of a picture, found with indexOf so the scan stays linear: a regex such as
 * /\[[^\]]*\]/g rescans to the end from every "[" when no "]" follows (100 000 "[" took 6 s).
 */
function pictureMarkers(picture: string): string[] {
  const markers: string[] = [];
  for (let open = picture.indexOf('['); open >= 0; ) {
    const close = picture.indexOf(']', open + 1);
    if (close < 0) break; // no later "[" has a "]" after it either
    markers.push(picture.slice(open, close + 1));
    open = picture.indexOf('[', close + 1);
  }
  return markers;
}

function pictureWidthsOk(picture: string): boolean {
  for (const marker of pictureMarkers(picture)) {
    const comma = marker.lastIndexOf(',');
    if (comma < 0) continue;
    for (const digits of marker.slice(comma).match(/\d+/g) ?? []) {
      if (digits.length > 3 || Number(digits) > MAX_PICTURE_WIDTH) return false;
    }
  }
  return true;
}

/**
 * Higher-order functions ($map, $filter, $reduce, $sift, $each, $single) pass a function only as many
 * arguments as its arity (jsonata's hofFuncArgs reads getFunctionArity: implementation.length), so
 * `$map([1,2,3], $string)` calls $string(value) and never $string(value, index). A wrapper must
 * report the arity of what it wraps; rest parameters and extra named ones would change the call.
 */
function withArity<F extends (...args: any[]) => unknown>(impl: F, arity: number): F {
  Object.defineProperty(impl, 'length', { value: arity });
  return impl;
}

/**
 * Upper bound, in steps, on the backtracking of the regex $toMillis builds from a picture: every
 * `[…]` marker counted as a variable-width group, C(n + v, v) ways to split n characters among v
 * groups, times the alternatives a words-format group tries at each split.
 */
function pictureParseSteps(inputLength: number, picture: string, markers: number): number {
  let splits = 1;
  for (let i = 1; i <= markers; i++) splits = (splits * (inputLength + i)) / i; // C(n + v, v), exact enough
  // A presentation modifier with w or W ([Yw], [DW], [dwo]) is a number in words; [W] alone is the week.
  const inWords = pictureMarkers(picture).some((m) => /[wW]/.test(m.slice(2).split(',')[0]!));
  const words = inWords ? PICTURE_WORDS_ALTERNATIVES : 1;
  return Math.ceil((splits * words) / PICTURE_PARSE_UNITS_PER_STEP);
}

function registerBuiltins(instance: Jsonata, builtins: Builtins): void {
  const register = (name: string, impl: (this: Focus, ...args: any[]) => unknown, signature?: string) => {
    if (Object.prototype.hasOwnProperty.call(builtins, name)) {
      withArity(impl, (builtins as Record<string, NativeFunction>)[name]!.implementation.length);
    }
    (instance.registerFunction as (n: string, f: unknown, s?: string) => void)(name, impl, signature);
  };
  const call = (f: NativeFunction, focus: Focus, args: unknown[]) => f.implementation.apply(focus, args);
  const sig = (f: NativeFunction) => f.signature?.definition;

  register(
    'sort',
    function (arr: unknown, comparator: unknown) {
      const s = stateOf(this.environment);
      if (!Array.isArray(arr) || arr.length <= 1) return call(builtins.sort, this, [arr, comparator]);
      s.charge(sortSteps(arr.length), `sorting ${arr.length} items`);
      const numbers = arr.every((x) => typeof x === 'number');
      if (comparator === undefined && (numbers || arr.every((x) => typeof x === 'string'))) {
        // jsonata's merge sort copies arrays per element (quadratic); a stable native sort gives the
        // same order: ascending, equal items keep their order.
        return [...(arr as Array<number | string>)].sort((a, b) => (a > b ? 1 : a < b ? -1 : 0));
      }
      return call(builtins.sort, this, [arr, comparator]);
    },
    sig(builtins.sort),
  );

  register(
    'distinct',
    function (arr: unknown) {
      if (!Array.isArray(arr) || arr.length <= 1) return call(builtins.distinct, this, [arr]);
      const s = stateOf(this.environment);
      if (arr.every((x) => x === null || typeof x !== 'object')) {
        // Primitives compare by value, so a Set does in linear time what jsonata does pairwise.
        s.charge(Math.floor(arr.length / REPEAT_ITEMS_PER_STEP), 'removing duplicates');
        const seen = new Set<unknown>();
        const out = (arr as { sequence?: boolean }).sequence === true && this.createSequence ? this.createSequence() : [];
        for (const x of arr) {
          if (!seen.has(x)) {
            seen.add(x);
            out.push(x);
          }
        }
        return out;
      }
      const n = arr.length;
      const perComparison = 1 + s.weigh(arr).items / n;
      const comparisons = (n * (n - 1)) / 2;
      s.charge(Math.ceil((comparisons * perComparison) / REPEAT_ITEMS_PER_STEP), `removing duplicates among ${n} values`);
      return call(builtins.distinct, this, [arr]);
    },
    sig(builtins.distinct),
  );

  register(
    'string',
    function (value: unknown, pretty: unknown) {
      stateOf(this.environment).checkSerializable(value, pretty === true);
      return call(builtins.string, this, [value, pretty]);
    },
    sig(builtins.string),
  );

  register(
    'join',
    function (strings: unknown, separator: unknown) {
      const s = stateOf(this.environment);
      if (Array.isArray(strings)) {
        let total = typeof separator === 'string' ? separator.length * Math.max(0, strings.length - 1) : 0;
        for (const x of strings) total += typeof x === 'string' ? x.length : 0;
        if (total > s.limits.maxStringLength) {
          throw s.sizeError(`$join would build a string of ${total} characters, more than the limit of ${s.limits.maxStringLength}`);
        }
      }
      return call(builtins.join, this, [strings, separator]);
    },
    sig(builtins.join),
  );

  register(
    'pad',
    function (str: unknown, width: unknown, char: unknown) {
      const s = stateOf(this.environment);
      const w = typeof width === 'number' ? Math.abs(Math.trunc(width)) : 0;
      const charLength = typeof char === 'string' && char.length > 0 ? char.length : 1;
      if (w > s.limits.maxStringLength || w * charLength > s.limits.maxStringLength * PAD_WORK_FACTOR) {
        throw s.sizeError(`$pad to a width of ${w} would exceed the string limit of ${s.limits.maxStringLength}`);
      }
      return call(builtins.pad, this, [str, width, char]);
    },
    sig(builtins.pad),
  );

  register(
    'replace',
    function (str: unknown, pattern: unknown, replacement: unknown, limit: unknown) {
      const s = stateOf(this.environment);
      if (typeof str === 'string' && typeof replacement === 'string') {
        // Matches do not overlap, so each "$1" reference expands to at most the whole input overall;
        // with n characters there are at most n + 1 matches.
        let matches = str.length + 1;
        let matchLength = 1;
        if (typeof pattern === 'string' && pattern.length > 0) {
          matches = 0;
          for (let at = str.indexOf(pattern); at >= 0; at = str.indexOf(pattern, at + pattern.length)) matches++;
          matchLength = pattern.length;
        }
        if (typeof limit === 'number' && limit >= 0) matches = Math.min(matches, Math.floor(limit));
        const worst = str.length + matches * replacement.length * Math.max(1, matchLength);
        if (worst > s.limits.maxStringLength * REPLACE_OUTPUT_FACTOR) {
          throw s.sizeError(
            `$replace could build a string of ${worst} characters, more than the limit of ${s.limits.maxStringLength}`,
          );
        }
      }
      return call(builtins.replace, this, [str, pattern, replacement, limit]);
    },
    sig(builtins.replace),
  );

  const checkPicture = (s: EvalState, fn: string, picture: unknown) => {
    if (typeof picture !== 'string') return;
    // Charged before the scan below, so a picture too long for the budget is not even scanned.
    s.charge(picture.length * PICTURE_STEPS_PER_CHAR, `parsing a ${picture.length}-character picture`);
    if (!pictureWidthsOk(picture)) {
      throw s.sizeError(`${fn}: picture width modifiers above ${MAX_PICTURE_WIDTH} are not supported`);
    }
  };
  const chargedPicture = (name: 'formatNumber' | 'formatInteger' | 'parseInteger', fn: NativeFunction) =>
    register(
      name,
      function (...args: unknown[]) {
        checkPicture(stateOf(this.environment), `$${name}`, args[1]);
        return call(fn, this, args);
      },
      sig(fn),
    );
  chargedPicture('formatNumber', builtins.formatNumber);
  chargedPicture('formatInteger', builtins.formatInteger);
  chargedPicture('parseInteger', builtins.parseInteger);

  register(
    'fromMillis',
    function (millis: unknown, picture: unknown, timezone: unknown) {
      checkPicture(stateOf(this.environment), '$fromMillis', picture);
      return call(builtins.fromMillis, this, [millis, picture, timezone]);
    },
    sig(builtins.fromMillis),
  );

  register(
    'toMillis',
    function (timestamp: unknown, picture: unknown) {
      const s = stateOf(this.environment);
      if (typeof picture === 'string' && typeof timestamp === 'string') {
        checkPicture(s, '$toMillis', picture);
        const markers = picture.match(/\[/g)?.length ?? 0;
        if (timestamp.length > MAX_PICTURE_PARSE_INPUT || markers > MAX_PICTURE_PARSE_MARKERS) {
          const steps = pictureParseSteps(timestamp.length, picture, markers);
          if (steps > s.limits.maxSteps) {
            throw s.sizeError(
              `$toMillis with a picture accepts at most ${MAX_PICTURE_PARSE_INPUT} characters and ${MAX_PICTURE_PARSE_MARKERS} components, or a longer timestamp when the picture has few components`,
            );
          }
          s.charge(steps, `parsing a ${timestamp.length}-character timestamp against a picture`);
        }
      }
      return call(builtins.toMillis, this, [timestamp, picture]);
    },
    sig(builtins.toMillis),
  );

  // The evaluation's `now` replaces the clock: $now() and $millis() are deterministic.
  register(
    'now',
    function (picture: unknown, timezone: unknown) {
      const s = stateOf(this.environment);
      checkPicture(s, '$now', picture);
      return call(builtins.fromMillis, this, [s.now, picture, timezone]);
    },
    '<s?s?:s>',
  );
  register(
    'millis',
    function () {
      return stateOf(this.environment).now;
    },
    '<:n>',
  );

  register(
    'eval',
    function () {
      throw new ExprHelperError(
        'ExprRuntime',
        '$eval is not available: an expression must be fully visible when it is compiled',
      );
    },
    '<sx?:x>',
  );

  for (const helper of HELPER_FUNCTIONS) {
    register(
      helper.name,
      // The helper's own parameters, less the context it is handed first.
      withArity(function (this: Focus, ...args: unknown[]) {
        return helper.impl(stateOf(this.environment), ...args);
      }, Math.max(0, helper.impl.length - 1)),
      helper.signature,
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// Compilation

class CompiledExprImpl implements CompiledExpr {
  constructor(
    readonly source: string,
    readonly instance: Jsonata,
    readonly limits: ExprLimits,
    /** Cost model of every regex literal, computed once here and only read afterwards. */
    readonly regexCosts: ReadonlyMap<RegExp, RegexCost>,
    /** Operands of `&`, which jsonata turns into JSON text. */
    readonly stringOperands: ReadonlySet<AstNode>,
  ) {}
}

/** Deepest bracket nesting in the source, skipping strings and comments; first offset past the limit. */
function nestingOverflow(source: string, limit: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < source.length && source[i] !== c; i++) if (source[i] === '\\' && c !== '`') i++;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 1;
    } else if (c === '(' || c === '[' || c === '{') {
      if (++depth > limit) return i;
    } else if (c === ')' || c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

function validLimits(limits: ExprLimits): string | undefined {
  for (const key of ['maxSteps', 'maxDepth', 'maxSourceLength', 'maxStringLength', 'maxArrayLength'] as const) {
    const v = limits?.[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) return `expression limit ${key} must be a positive integer`;
  }
  return undefined;
}

export function compileExpr(
  source: string,
  limits: ExprLimits = DEFAULT_EXPR_LIMITS,
): { ok: true; expr: CompiledExpr } | { ok: false; error: ExprError } {
  try {
    if (typeof source !== 'string') {
      return { ok: false, error: { code: 'ExprSyntax', message: 'expression must be a string' } };
    }
    const invalid = validLimits(limits);
    if (invalid) return { ok: false, error: { code: 'ExprRuntime', message: invalid } };
    if (source.length > limits.maxSourceLength) {
      return {
        ok: false,
        error: {
          code: 'ExprTooLong',
          message: `expression is ${source.length} characters long, more than the limit of ${limits.maxSourceLength}`,
          position: limits.maxSourceLength,
        },
      };
    }
    const nestingLimit = Math.min(MAX_SOURCE_NESTING, limits.maxDepth);
    const overflow = nestingOverflow(source, nestingLimit);
    if (overflow !== undefined) {
      return {
        ok: false,
        error: {
          code: 'ExprDepthLimit',
          message: `expression nests brackets more than ${nestingLimit} levels deep`,
          position: overflow,
        },
      };
    }

    let instance: Jsonata;
    try {
      // options.sequence makes jsonata refuse oversized ranges and sequences before allocating them.
      instance = jsonata(source, { sequence: limits.maxArrayLength });
    } catch (err) {
      const error = toExprError(err, source);
      return { ok: false, error: error.code === 'ExprDepthLimit' ? error : { ...error, code: 'ExprSyntax' } };
    }

    const inspected = inspectAst(instance.ast() as unknown as AstNode, source, limits);
    if ('error' in inspected) return { ok: false, error: inspected.error };

    registerBuiltins(instance, captureBuiltins());
    assignSymbol(instance, ENTRY_HOOK, onEntry);
    assignSymbol(instance, EXIT_HOOK, onExit);
    return {
      ok: true,
      expr: new CompiledExprImpl(source, instance, { ...limits }, inspected.regexCosts, inspected.stringOperands),
    };
  } catch (err) {
    return { ok: false, error: toExprError(err, typeof source === 'string' ? source : '') };
  }
}

const DEEP_BINARY = new Set(['=', '!=', 'in', '&', 'and', 'or']);

/**
 * One pass over the AST: refuse what we cannot bound, cost every regex, and mark the nodes whose
 * values are consumed deeply. The walk is iterative because the AST can be ~2000 levels deep.
 */
function inspectAst(
  root: AstNode,
  source: string,
  limits: ExprLimits,
): { error: ExprError } | { regexCosts: Map<RegExp, RegexCost>; stringOperands: Set<AstNode> } {
  const regexCosts = new Map<RegExp, RegexCost>();
  const stringOperands = new Set<AstNode>();
  const seen = new Set<object>();
  const stack: Array<[unknown, number]> = [[root, 0]];
  const fail = (message: string, node: AstNode, code: ExprErrorCode = 'ExprSyntax') => {
    const error: ExprError = { code, message };
    if (typeof node.position === 'number') error.position = locateToken(source, node.position, node.value);
    return { error };
  };
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null || item instanceof RegExp || seen.has(item)) continue;
    seen.add(item);
    if (Array.isArray(item)) {
      for (const child of item) stack.push([child, depth]);
      continue;
    }
    const node = item as AstNode;
    const isNode = typeof node.type === 'string';
    const level = isNode ? depth + 1 : depth;
    if (level > limits.maxDepth) {
      return fail(`expression nests more than ${limits.maxDepth} levels deep`, node, 'ExprDepthLimit');
    }
    if (isNode) {
      if (node.type === 'transform') {
        return fail('the transform operator |…|…| is not supported in edgescale expressions', node);
      }
      if (node.type === 'variable' && node.value === 'eval') {
        return fail('$eval is not available: an expression must be fully visible when it is compiled', node);
      }
      if (node.type === 'regex' && node.value instanceof RegExp) {
        try {
          regexCosts.set(node.value, analyzeRegex(node.value, limits.maxSteps));
        } catch (err) {
          // Anything but a verdict means our parser did not understand the pattern: refuse it too.
          const why = err instanceof UnsafeRegex ? err.message : 'could not be checked for catastrophic backtracking';
          const literal = `/${node.value.source}/`;
          const error: ExprError = { code: 'ExprSyntax', message: oneSentence(`regular expression ${literal} ${why}`) };
          const at = source.lastIndexOf(literal, node.position);
          if (at >= 0) error.position = at;
          return { error };
        }
      }
      if (node.type === 'binary' && typeof node.value === 'string' && DEEP_BINARY.has(node.value)) {
        for (const side of [node.lhs, node.rhs]) {
          if (side && typeof side === 'object' && !Array.isArray(side)) {
            (side as AstNode)[DEEP_CONSUMER] = true;
            if (node.value === '&') stringOperands.add(side as AstNode);
          }
        }
      }
      if (node.type === 'condition' && node.condition && typeof node.condition === 'object') {
        (node.condition as AstNode)[DEEP_CONSUMER] = true;
      }
      for (const key of ['predicate', 'stages'] as const) {
        const filters = node[key];
        if (Array.isArray(filters)) {
          for (const f of filters as AstNode[]) {
            if (f && typeof f.expr === 'object' && f.expr !== null) (f.expr as AstNode)[DEEP_CONSUMER] = true;
          }
        }
      }
    }
    for (const key of Object.keys(node)) stack.push([node[key], level]);
  }
  return { regexCosts, stringOperands };
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

export async function evaluateExpr(expr: CompiledExpr, input: unknown, opts: EvalOptions): Promise<EvalResult> {
  let state: EvalState | undefined;
  const source = typeof expr?.source === 'string' ? expr.source : '';
  try {
    if (!(expr instanceof CompiledExprImpl)) {
      return { ok: false, error: { code: 'ExprRuntime', message: 'not an expression returned by compileExpr' }, steps: 0 };
    }
    const limits = opts?.limits ?? expr.limits;
    const invalid = validLimits(limits);
    if (invalid) return { ok: false, error: { code: 'ExprRuntime', message: invalid }, steps: 0 };
    const now = opts?.now;
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      return { ok: false, error: { code: 'ExprRuntime', message: 'evaluation needs `now` as epoch milliseconds' }, steps: 0 };
    }
    state = new EvalState(expr, { ...limits }, now);
    state.trust(input);
    const bindings: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(opts.bindings ?? {})) {
      bindings[name] = value;
      state.trust(value);
    }
    bindings[STATE_KEY] = state;
    const value: unknown = await expr.instance.evaluate(input, bindings);
    return { ok: true, value, steps: state.steps };
  } catch (err) {
    return { ok: false, error: toExprError(err, source, state?.limits), steps: state?.steps ?? 0 };
  } finally {
    if (state) state.finished = true;
  }
}

/** A short description of a value for type errors, without serializing anything large. */
function describe(value: unknown): string {
  if (value === undefined) return 'no value';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object' && isFunctionLike(value)) return 'a function';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Evaluate and require a boolean result (undefined, from a path that matched nothing, is an ExprType error). */
export async function evaluateCondition(expr: CompiledExpr, input: unknown, opts: EvalOptions): Promise<Typed<boolean>> {
  const r = await evaluateExpr(expr, input, opts);
  if (!r.ok || typeof r.value === 'boolean') return r as Typed<boolean>;
  const message =
    r.value === undefined
      ? 'condition produced no value, usually because a path matched nothing in the input; it must produce true or false'
      : `condition produced ${describe(r.value)}; it must produce true or false`;
  return { ok: false, error: { code: 'ExprType', message }, steps: r.steps };
}

/** Evaluate and require a finite number (NaN and ±Infinity are ExprType errors). */
export async function evaluateNumber(expr: CompiledExpr, input: unknown, opts: EvalOptions): Promise<Typed<number>> {
  const r = await evaluateExpr(expr, input, opts);
  if (!r.ok || (typeof r.value === 'number' && Number.isFinite(r.value))) return r as Typed<number>;
  const message =
    r.value === undefined
      ? 'expression produced no value, usually because a path matched nothing in the input; it must produce a number'
      : `expression produced ${describe(r.value)}; it must produce a finite number`;
  return { ok: false, error: { code: 'ExprType', message }, steps: r.steps };
}
