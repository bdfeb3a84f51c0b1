// User JSONata expressions: compiled once to closures, evaluated synchronously under metered work and memory budgets.
//
// Why metering and not a timer: in deployed Workers Date.now() does not advance while JavaScript runs,
// so a wall-clock timeout cannot stop a runaway expression. The evaluator (src/engine/jsonata/) charges
// every operation by what it touches and produces — elements visited, comparisons in a sort, characters
// built, regex input scanned — against three budgets at once: the expression's own, its target's and
// its request's (src/engine/expr-budgets.ts). Every failure comes back as a value, never as a throw.
import { BAIL, fastMemory, fastWork, runFast, type FastProgram } from './expr-fast.js';
import type { Point } from './metrics.js';
import { LIMITS } from '../limits.js';
import { ExprHelperError, HELPER_FUNCTIONS, type HelperFunction } from './expr-functions.js';
import { EXPRESSION_MEMORY, EXPRESSION_WORK } from './expr-budgets.js';
import { compileJsonata, type CompiledJsonata } from './jsonata/index.js';
import { parseSignature } from './jsonata/signature.js';
import { BudgetExceeded, JsonataError, Meter, type BudgetKind, type BudgetLevel, type BudgetPool, type Builtin, type Focus, type Runtime } from './jsonata/runtime.js';
import { EXPR_ERROR_CODES } from '../schemas/codes.js';

// ---------------------------------------------------------------------------------------------------
// Public API

export interface ExprLimits {
  /** work units one evaluation may use (see expr-budgets.ts) */
  work: number;
  /** estimated bytes one evaluation may allocate */
  memory: number;
  /** max characters of expression source */
  maxSourceLength: number;
  /** max length of any string value produced */
  maxStringLength: number;
  /** max items in any array produced */
  maxArrayLength: number;
}

/** 100 000 characters: ten times the longest reason or label a rule would build, ~200 KB of memory. */
const DEFAULT_MAX_STRING_LENGTH = 100_000;
/** 100 000 items: ten full 10 000-point series side by side, under a megabyte of numbers. */
const DEFAULT_MAX_ARRAY_LENGTH = 100_000;

export const DEFAULT_EXPR_LIMITS: ExprLimits = Object.freeze({
  work: EXPRESSION_WORK,
  memory: EXPRESSION_MEMORY,
  maxSourceLength: LIMITS.expressionLength,
  maxStringLength: DEFAULT_MAX_STRING_LENGTH,
  maxArrayLength: DEFAULT_MAX_ARRAY_LENGTH,
});

export type ExprErrorCode = (typeof EXPR_ERROR_CODES)[number];

export interface ExprError {
  code: ExprErrorCode;
  message: string;
  /** 0-based character offset into the source, where one is known */
  position?: number;
  token?: string;
  /** jsonata's own error code, e.g. S0201, D2014 (edgescale's refusals use U3xxx) */
  jsonataCode?: string;
  /** for ExprBudget: which budget ran out */
  budget?: { level: BudgetLevel; kind: BudgetKind; limit: number };
}

export interface CompiledExpr {
  readonly source: string;
  /** jsonata's parse tree, for static analysis (which metrics an expression reads) without parsing again */
  readonly ast: unknown;
}

export interface EvalOptions {
  /** epoch ms: `$now()`, `$millis()` and the time helpers ($window) read it, never a clock */
  now: number;
  limits?: ExprLimits;
  bindings?: Record<string, unknown>;
  /** the target's budget pool (inside its request's): what this evaluation may still use */
  budget?: BudgetPool;
}

export type EvalResult = { ok: true; value: unknown; work: number; memory: number } | { ok: false; error: ExprError; work: number; memory: number };

type Typed<T> = { ok: true; value: T; work: number; memory: number } | { ok: false; error: ExprError; work: number; memory: number };

// ---------------------------------------------------------------------------------------------------
// Internal limits, each with its reason

/**
 * Bracket nesting allowed in the source. jsonata's parser recurses per bracket and overflows V8's
 * stack somewhere between 1000 and 2000 levels; no readable rule nests more than a dozen.
 */
const MAX_SOURCE_NESTING = 256;
/**
 * Compiled expressions kept per isolate, by source: a fleet sends the same inline rule sets every
 * interval, and compiling is ~10× the cost of evaluating. A memo of a pure function (same source,
 * same closures), bounded so that a stream of distinct sources cannot grow it: 1024 entries of at
 * most 4 KB of source and its closures stay under ~20 MB even at the worst.
 */
const COMPILE_CACHE_ENTRIES = 1024;
const compileCache = new Map<string, CompiledExprImpl>();

/** Error messages are one sentence of at most this many characters: they end up in traces and logs. */
const MAX_MESSAGE_LENGTH = 300;

// ---------------------------------------------------------------------------------------------------
// edgescale's helpers as built-ins of the evaluator

const HELPERS: ReadonlyMap<string, Builtin> = new Map(
  HELPER_FUNCTIONS.map((h): [string, Builtin] => [
    h.name,
    {
      _jsonata_function: true,
      name: h.name,
      signature: h.signature,
      validator: parseSignature(h.signature),
      // what partial application and arity see (a rest parameter: arity 0, one parameter named `...args`)
      implementation(this: Focus, ...args: unknown[]) {
        return h.impl(this.rt, ...args);
      },
      invoke: (rt: Runtime, args: unknown[]) => callHelper(h, rt, args),
    },
  ]),
);

/** `h.impl(rt, ...args)`, without spreading for the argument counts the helpers' signatures allow. */
function callHelper(h: HelperFunction, rt: Runtime, args: unknown[]): unknown {
  switch (args.length) {
    case 1:
      return h.impl(rt, args[0]);
    case 2:
      return h.impl(rt, args[0], args[1]);
    case 3:
      return h.impl(rt, args[0], args[1], args[2]);
    default:
      return h.impl(rt, ...args);
  }
}

// ---------------------------------------------------------------------------------------------------
// Errors

/** jsonata code → edgescale code. U3xxx are edgescale's own (src/engine/jsonata/). */
const SIZE_CODES = new Set(['D2014', 'U3010', 'U3011', 'U3012', 'U3013']);
const DEPTH_CODES = new Set(['U1001', 'U3002']);

function codeFor(jsonataCode: string): ExprErrorCode {
  if (jsonataCode.startsWith('S')) return 'ExprSyntax';
  if (SIZE_CODES.has(jsonataCode)) return 'ExprSizeLimit';
  if (DEPTH_CODES.has(jsonataCode)) return 'ExprDepthLimit';
  if (jsonataCode.startsWith('U3')) return 'ExprRefused';
  if (jsonataCode.startsWith('T')) return 'ExprType';
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

function toExprError(err: unknown, source: string): ExprError {
  try {
    if (err instanceof BudgetExceeded) {
      return { code: 'ExprBudget', message: oneSentence(err.message), budget: { level: err.level, kind: err.kind, limit: err.limit } };
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
    if (err instanceof JsonataError || (obj && typeof obj === 'object' && typeof obj.code === 'string' && /^[STDU]\d{4}$/.test(obj.code))) {
      const code = obj!.code as string;
      const message = typeof obj!.message === 'string' && obj!.message ? obj!.message : `jsonata error ${code}`;
      const e: ExprError = { code: codeFor(code), message: oneSentence(message), jsonataCode: code };
      if (typeof obj!.position === 'number') e.position = locateToken(source, obj!.position, obj!.token);
      if ((typeof obj!.token === 'string' && obj!.token !== '(end)') || typeof obj!.token === 'number') e.token = String(obj!.token);
      return e;
    }
    if (err instanceof Error) return { code: 'ExprRuntime', message: oneSentence(err.message || err.name) };
    return { code: 'ExprRuntime', message: oneSentence(`expression failed: ${String(err)}`) };
  } catch {
    return { code: 'ExprRuntime', message: 'expression failed with an error that could not be described' };
  }
}

// ---------------------------------------------------------------------------------------------------
// Compilation

class CompiledExprImpl implements CompiledExpr {
  constructor(
    readonly source: string,
    readonly program: CompiledJsonata,
    readonly limits: ExprLimits,
  ) {}
  get ast(): unknown {
    return this.program.ast;
  }
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

const LIMIT_KEYS = ['work', 'memory', 'maxSourceLength', 'maxStringLength', 'maxArrayLength'] as const;

function validLimits(limits: ExprLimits): string | undefined {
  for (const key of LIMIT_KEYS) {
    const v = limits?.[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) return `expression limit ${key} must be a positive integer`;
  }
  return undefined;
}

/**
 * Compile once: parse with jsonata's own parser (its syntax errors, codes and positions unchanged),
 * then turn the tree into closures. Anything edgescale refuses ($random, $shuffle, $eval, a regex
 * RE2 cannot run) is refused here, with its position, never at decision time.
 */
export function compileExpr(source: string, limits: ExprLimits = DEFAULT_EXPR_LIMITS): { ok: true; expr: CompiledExpr } | { ok: false; error: ExprError } {
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
    const overflow = nestingOverflow(source, MAX_SOURCE_NESTING);
    if (overflow !== undefined) {
      return {
        ok: false,
        error: { code: 'ExprDepthLimit', message: `expression nests brackets more than ${MAX_SOURCE_NESTING} levels deep`, position: overflow },
      };
    }
    const cacheable = limits === DEFAULT_EXPR_LIMITS;
    const cached = cacheable ? compileCache.get(source) : undefined;
    if (cached) {
      // Refresh its place: the map's insertion order is the eviction order.
      compileCache.delete(source);
      compileCache.set(source, cached);
      return { ok: true, expr: cached };
    }
    const program = compileJsonata(source, { functions: HELPERS });
    // A copy of the caller's limits, so that changing them later changes nothing; the defaults are
    // frozen and shared as they are (ExprEvaluator recognizes them by identity).
    const expr = new CompiledExprImpl(source, program, cacheable ? DEFAULT_EXPR_LIMITS : { ...limits });
    if (cacheable) {
      if (compileCache.size >= COMPILE_CACHE_ENTRIES) compileCache.delete(compileCache.keys().next().value!);
      compileCache.set(source, expr);
    }
    return { ok: true, expr };
  } catch (err) {
    const error = toExprError(err, typeof source === 'string' ? source : '');
    // Anything the parser or compiler throws that is not a refusal or a limit is a syntax error.
    return { ok: false, error: error.code === 'ExprRuntime' || error.code === 'ExprType' ? { ...error, code: 'ExprSyntax' } : error };
  }
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

/** Evaluate synchronously; never throws. Work and memory used are charged to `opts.budget` too. */
export function evaluateExpr(expr: CompiledExpr, input: unknown, opts: EvalOptions): EvalResult {
  if (!(expr instanceof CompiledExprImpl)) {
    return { ok: false, error: { code: 'ExprRuntime', message: 'not an expression returned by compileExpr' }, work: 0, memory: 0 };
  }
  const limits = opts?.limits ?? expr.limits;
  // expr.limits is compileExpr's own copy of limits it validated; only other limits need checking
  if (limits !== expr.limits) {
    const invalid = validLimits(limits);
    if (invalid) return { ok: false, error: { code: 'ExprRuntime', message: invalid }, work: 0, memory: 0 };
  }
  const now = opts?.now;
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    return { ok: false, error: { code: 'ExprRuntime', message: 'evaluation needs `now` as epoch milliseconds' }, work: 0, memory: 0 };
  }
  const meter = new Meter(limits.work, limits.memory, opts.budget);
  const rt: Runtime = { meter, now, maxStringLength: limits.maxStringLength, maxArrayLength: limits.maxArrayLength };
  return run(expr, input, opts.bindings, rt);
}

/** One evaluation on a ready runtime: the result or the error as a value, and the meter settled into its pools. */
function run(expr: CompiledExprImpl, input: unknown, bindings: EvalOptions['bindings'], rt: Runtime): EvalResult {
  const { meter } = rt;
  try {
    const value = expr.program.evaluate(input, bindings, rt);
    return { ok: true, value, work: meter.work, memory: meter.memory };
  } catch (err) {
    return { ok: false, error: toExprError(err, expr.source), work: meter.work, memory: meter.memory };
  } finally {
    meter.settle();
  }
}

/** What ExprEvaluator's valueOf returns for a failed evaluation (no JSONata value is this symbol). */
const FAILED: unique symbol = Symbol('failed evaluation');

/**
 * evaluateExpr(expr, input, opts) for many evaluations (every target's rules): one Meter and one
 * Runtime, restarted before each evaluation with its options' `now` and budget pool instead of
 * allocated. Only for expressions with the default limits and options without limits or bindings;
 * anything else goes through evaluateExpr. Results, work and memory are evaluateExpr's, evaluation
 * for evaluation. Not reentrant: nothing an expression runs can reach its evaluator.
 */
export class ExprEvaluator {
  private readonly meter = new Meter(DEFAULT_EXPR_LIMITS.work, DEFAULT_EXPR_LIMITS.memory);
  private readonly rt: { meter: Meter; now: number; maxStringLength: number; maxArrayLength: number } = {
    meter: this.meter,
    now: 0,
    maxStringLength: DEFAULT_EXPR_LIMITS.maxStringLength,
    maxArrayLength: DEFAULT_EXPR_LIMITS.maxArrayLength,
  };

  /**
   * What the last conditionOf/numberOf evaluation used (evaluateExpr's `work` and `memory`) and, when
   * it failed, its error (evaluateCondition's or evaluateNumber's); `error` is left as it was when
   * the evaluation succeeds.
   */
  work = 0;
  memory = 0;
  error: ExprError | undefined = undefined;

  evaluate(expr: CompiledExpr, input: unknown, opts: EvalOptions): EvalResult {
    const value = this.valueOf(expr, input, opts);
    if (value === FAILED) return { ok: false, error: this.error!, work: this.work, memory: this.memory };
    return { ok: true, value, work: this.work, memory: this.memory };
  }

  /**
   * evaluate() without its result object: the value, or FAILED with `error` set; `work` and `memory`
   * set either way.
   */
  private valueOf(expr: CompiledExpr, input: unknown, opts: EvalOptions): unknown {
    const now = opts.now;
    if (!this.runsHere(expr, opts)) {
      const r = evaluateExpr(expr, input, opts);
      this.work = r.work;
      this.memory = r.memory;
      if (r.ok) return r.value;
      this.error = r.error;
      return FAILED;
    }
    const meter = this.meter;
    meter.restart(opts.budget);
    this.rt.now = now;
    // run(expr, input, undefined, rt), through the program's entry for evaluations without bindings
    let value: unknown;
    try {
      value = expr.program.run(input, this.rt);
    } catch (err) {
      meter.settle();
      this.work = meter.work;
      this.memory = meter.memory;
      this.error = toExprError(err, expr.source);
      return FAILED;
    }
    meter.settle();
    this.work = meter.work;
    this.memory = meter.memory;
    return value;
  }

  /**
   * Whether an evaluation of `expr` with `opts` can run on this evaluator's own meter and runtime:
   * the default limits, no bindings, a finite `now`. Anything else goes through evaluateExpr.
   */
  private runsHere(expr: CompiledExpr, opts: EvalOptions): expr is CompiledExprImpl {
    const now = opts.now;
    return (
      opts.limits === undefined &&
      opts.bindings === undefined &&
      typeof now === 'number' &&
      Number.isFinite(now) &&
      expr instanceof CompiledExprImpl &&
      expr.limits === DEFAULT_EXPR_LIMITS
    );
  }

  /**
   * A fast program's evaluation (src/engine/expr-fast.ts) over the target's series in a window, under
   * this evaluator's meter, as valueOf would run `expr` on that window's context: the value (a boolean
   * program's as true/false), with `work` and `memory` set and the budget pools charged; or BAIL with
   * nothing charged, when the program left its path, a metric it reads has no data in the window, or
   * its charges do not fit (the caller then takes the closures' path, which reports each of those).
   */
  fastOf(
    expr: CompiledExpr,
    program: FastProgram,
    series: ReadonlyMap<string, readonly Point[]>,
    windowMs: number,
    capacity: { current: number; minimum: number; maximum: number; default: number },
    opts: EvalOptions,
  ): number | boolean | typeof BAIL {
    if (!this.runsHere(expr, opts)) return BAIL;
    const meter = this.meter;
    meter.restart(opts.budget);
    const value = runFast(program, series, opts.now, windowMs, capacity, meter.workRoom(), DEFAULT_EXPR_LIMITS.maxArrayLength);
    if (value === BAIL || !meter.fits(fastWork, fastMemory)) return BAIL;
    meter.add(fastWork, fastMemory);
    meter.settle();
    this.work = meter.work;
    this.memory = meter.memory;
    return program.boolean ? value !== 0 : value;
  }

  /** evaluateCondition(expr, input, opts). */
  condition(expr: CompiledExpr, input: unknown, opts: EvalOptions): Typed<boolean> {
    return asCondition(this.evaluate(expr, input, opts));
  }

  /** evaluateNumber(expr, input, opts). */
  number(expr: CompiledExpr, input: unknown, opts: EvalOptions): Typed<number> {
    return asNumber(this.evaluate(expr, input, opts));
  }

  /**
   * evaluateCondition(expr, input, opts) without a result object: its value, or undefined when it
   * failed (then `error` is its error); `work` and `memory` are its own either way.
   */
  conditionOf(expr: CompiledExpr, input: unknown, opts: EvalOptions): boolean | undefined {
    const value = this.valueOf(expr, input, opts);
    if (typeof value === 'boolean') return value;
    if (value !== FAILED) this.error = notACondition(value);
    return undefined;
  }

  /** evaluateNumber(expr, input, opts) as conditionOf does evaluateCondition's. */
  numberOf(expr: CompiledExpr, input: unknown, opts: EvalOptions): number | undefined {
    const value = this.valueOf(expr, input, opts);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (value !== FAILED) this.error = notANumber(value);
    return undefined;
  }
}

/** A short description of a value for type errors, without serializing anything large. */
function describe(value: unknown): string {
  if (value === undefined) return 'no value';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && ('_jsonata_function' in value || '_jsonata_lambda' in value)) return 'a function';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Evaluate and require a boolean result (undefined, from a path that matched nothing, is an ExprType error). */
export function evaluateCondition(expr: CompiledExpr, input: unknown, opts: EvalOptions): Typed<boolean> {
  return asCondition(evaluateExpr(expr, input, opts));
}

function asCondition(r: EvalResult): Typed<boolean> {
  if (!r.ok || typeof r.value === 'boolean') return r as Typed<boolean>;
  return { ok: false, error: notACondition(r.value), work: r.work, memory: r.memory };
}

/** The error of a condition that produced `value`, not a boolean. */
function notACondition(value: unknown): ExprError {
  const message =
    value === undefined
      ? 'condition produced no value, usually because a path matched nothing in the input; it must produce true or false'
      : `condition produced ${describe(value)}; it must produce true or false`;
  return { code: 'ExprType', message };
}

/** Evaluate and require a finite number (NaN and ±Infinity are ExprType errors). */
export function evaluateNumber(expr: CompiledExpr, input: unknown, opts: EvalOptions): Typed<number> {
  return asNumber(evaluateExpr(expr, input, opts));
}

function asNumber(r: EvalResult): Typed<number> {
  if (!r.ok || (typeof r.value === 'number' && Number.isFinite(r.value))) return r as Typed<number>;
  return { ok: false, error: notANumber(r.value), work: r.work, memory: r.memory };
}

/** The error of an expression that produced `value`, not a finite number. */
function notANumber(value: unknown): ExprError {
  const message =
    value === undefined
      ? 'expression produced no value, usually because a path matched nothing in the input; it must produce a number'
      : `expression produced ${describe(value)}; it must produce a finite number`;
  return { code: 'ExprType', message };
}
