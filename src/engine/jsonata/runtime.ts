// What compiled JSONata and its built-in library share at run time: the meter, errors, sequences, function values.
//
// The evaluator is edgescale's own (compile.ts turns jsonata's AST into closures); its semantics follow
// jsonata 2.x (src/jsonata.js, src/functions.js, src/utils.js of jsonata-js/jsonata, MIT, © IBM Corp.).
// Everything here is synchronous: nothing an edgescale expression can do needs to wait.

// ---------------------------------------------------------------------------------------------------
// Errors

/**
 * An error in jsonata's own shape: `code` is jsonata's code (S0201, T2001, D3030, …) so callers and
 * the conformance suite see exactly what jsonata would report; `position` is jsonata's character
 * position (1 past the token, as jsonata reports it) where the failing node has one.
 */
export class JsonataError extends Error {
  code: string;
  position?: number;
  token?: unknown;
  value?: unknown;
  value2?: unknown;
  index?: number;
  constructor(code: string, message: string, details: Partial<Pick<JsonataError, 'position' | 'token' | 'value' | 'value2' | 'index'>> = {}) {
    super(message);
    this.name = 'JsonataError';
    this.code = code;
    Object.assign(this, details);
  }
}

/** Which budget ran out: the expression's own, its target's share, or the whole request's. */
export type BudgetLevel = 'expression' | 'target' | 'request';
/** What ran out: work (CPU) or allocation (memory). */
export type BudgetKind = 'work' | 'memory';

/** Thrown by the meter; never caught by expression code (try/catch does not exist in JSONata). */
export class BudgetExceeded extends Error {
  constructor(
    readonly level: BudgetLevel,
    readonly kind: BudgetKind,
    readonly limit: number,
    readonly doing: string,
  ) {
    super(`the ${level} ${kind} budget of ${limit.toLocaleString('en-US')} units ran out while ${doing}`);
    this.name = 'BudgetExceeded';
  }
}

// ---------------------------------------------------------------------------------------------------
// Metering

/**
 * One pool of a budget shared by several evaluations: a target's or a request's. `used` only grows;
 * an evaluation takes its remaining allowance at start and gives back the unused part at the end.
 */
export class BudgetPool {
  workUsed = 0;
  memoryUsed = 0;
  constructor(
    readonly level: Exclude<BudgetLevel, 'expression'>,
    readonly workLimit: number,
    readonly memoryLimit: number,
    /** the enclosing pool (a target's pool sits inside its request's) */
    readonly parent?: BudgetPool,
  ) {}
  get workLeft(): number {
    const own = this.workLimit - this.workUsed;
    return this.parent ? Math.min(own, this.parent.workLeft) : own;
  }
  get memoryLeft(): number {
    const own = this.memoryLimit - this.memoryUsed;
    return this.parent ? Math.min(own, this.parent.memoryLeft) : own;
  }
  /** The innermost pool whose allowance is the binding one. */
  binding(kind: BudgetKind): BudgetPool {
    const own = kind === 'work' ? this.workLimit - this.workUsed : this.memoryLimit - this.memoryUsed;
    if (!this.parent) return this;
    const up = kind === 'work' ? this.parent.workLeft : this.parent.memoryLeft;
    return up < own ? this.parent.binding(kind) : this;
  }
  add(work: number, memory: number): void {
    this.workUsed += work;
    this.memoryUsed += memory;
    this.parent?.add(work, memory);
  }
}

/**
 * Counts the work and allocation of one evaluation. Units: one unit of work is about one element
 * visited, produced or compared (tens of nanoseconds); one unit of memory is one byte, estimated
 * (MEMORY_COST below). The evaluation stops with BudgetExceeded at whichever of its own limit, its
 * target's remainder or its request's remainder is smallest.
 */
export class Meter {
  work = 0;
  memory = 0;
  private workCap = 0;
  private memoryCap = 0;
  private workLevel: BudgetLevel = 'expression';
  private memoryLevel: BudgetLevel = 'expression';
  constructor(
    readonly workLimit: number,
    readonly memoryLimit: number,
    /** the pools the evaluation draws on (set again by restart) */
    public pool?: BudgetPool,
  ) {
    this.takeAllowance();
  }
  /** The caps of an evaluation starting now: its own limits, or what its pools have left if that is less. */
  private takeAllowance(): void {
    const pool = this.pool;
    const pw = pool ? pool.workLeft : Infinity;
    const pm = pool ? pool.memoryLeft : Infinity;
    this.workCap = Math.min(this.workLimit, Math.max(0, pw));
    this.memoryCap = Math.min(this.memoryLimit, Math.max(0, pm));
    this.workLevel = pw < this.workLimit && pool ? pool.binding('work').level : 'expression';
    this.memoryLevel = pm < this.memoryLimit && pool ? pool.binding('memory').level : 'expression';
  }
  /**
   * Start another evaluation on this meter, exactly as a new Meter with the same limits and `pool`
   * would (nothing used, the pools' allowance as it is now): for running many evaluations without
   * allocating. Only between evaluations, after settle().
   */
  restart(pool: BudgetPool | undefined): void {
    this.pool = pool;
    this.work = 0;
    this.memory = 0;
    this.takeAllowance();
  }
  /** Charge `units` of work for `doing` (a short gerund phrase used in the error message). */
  charge(units: number, doing: string): void {
    // Refused before it is counted: a charge is made before the work it pays for, so refused work never happened.
    if (this.work + units > this.workCap) this.exceeded('work', doing);
    this.work += units;
  }
  /** Charge `bytes` of estimated allocation. */
  alloc(bytes: number, doing: string): void {
    if (this.memory + bytes > this.memoryCap) this.exceeded('memory', doing);
    this.memory += bytes;
  }
  /**
   * Whether `units` of work and `bytes` of memory more stay within the caps: a run of fixed charges
   * (each made before its work) can then be made as one add(), with the same totals; when it is false
   * the caller makes them one by one, so a budget runs out at the same charge as always.
   */
  fits(units: number, bytes: number): boolean {
    return this.work + units <= this.workCap && this.memory + bytes <= this.memoryCap;
  }
  /** Count `units` of work and `bytes` of memory that fits() said fit. */
  add(units: number, bytes: number): void {
    this.work += units;
    this.memory += bytes;
  }
  /** Work that can still be charged before the cap (the fast path checks built-ins' charges against it, src/engine/expr-fast.ts). */
  workRoom(): number {
    return this.workCap - this.work;
  }
  /** Would charging `units` more work exceed the cap? For refusing work before doing it. */
  canCharge(units: number): boolean {
    return this.work + units <= this.workCap;
  }
  private exceeded(kind: BudgetKind, doing: string): never {
    const level = kind === 'work' ? this.workLevel : this.memoryLevel;
    const limit =
      level === 'expression'
        ? kind === 'work'
          ? this.workLimit
          : this.memoryLimit
        : kind === 'work'
          ? this.pool!.binding('work').workLimit
          : this.pool!.binding('memory').memoryLimit;
    throw new BudgetExceeded(level, kind, limit, doing);
  }
  /** Hand what was used to the pools. Call once, when the evaluation ends (in a finally). */
  settle(): void {
    this.pool?.add(Math.min(this.work, this.workCap), Math.min(this.memory, this.memoryCap));
  }
}

/**
 * Estimated bytes per produced thing, for Meter.alloc. V8 stores an array slot in 8 bytes, a
 * one-byte string character in 1 (two-byte in 2: we charge 2 to stay an upper bound), an object
 * property in ~3 slots plus its hidden class share. Headers round small things up.
 */
export const MEMORY_COST = Object.freeze({
  arrayHeader: 32,
  arraySlot: 8,
  objectHeader: 56,
  objectProperty: 24,
  stringHeader: 24,
  stringChar: 2,
  closure: 64,
  frame: 64,
});

// ---------------------------------------------------------------------------------------------------
// Sequences (jsonata src/utils.js)

/** A jsonata sequence: an array marked so that a singleton result unwraps to its item. */
export type Sequence = unknown[] & {
  sequence: true;
  keepSingleton?: boolean;
  outerWrapper?: boolean;
  tupleStream?: boolean;
};

export function createSequence(...items: unknown[]): Sequence {
  const seq = items as Sequence;
  Object.defineProperty(seq, 'sequence', { value: true, configurable: true, writable: true });
  return seq;
}

export function isSequence(value: unknown): value is Sequence {
  return Array.isArray(value) && (value as Sequence).sequence === true;
}

// ---------------------------------------------------------------------------------------------------
// Function values

/** What a built-in sees as `this`: the focus of the call (jsonata passes {environment, input}). */
export interface Focus {
  /** the context value at the call (signature `-` arguments default to it) */
  readonly input: unknown;
  readonly rt: Runtime;
}

/** Per-evaluation services the evaluator and the library share. */
export interface Runtime {
  readonly meter: Meter;
  /** epoch ms of the evaluation: `$now()` and `$millis()` read this, never a clock */
  readonly now: number;
  /** Per-value size limits (characters of one string, items of one array). */
  readonly maxStringLength: number;
  readonly maxArrayLength: number;
}

/**
 * A built-in function. `implementation` receives the validated arguments; function-typed arguments
 * arrive as plain JS functions (see JsFunctionArg) so the library never needs the evaluator.
 */
export interface Builtin {
  readonly _jsonata_function: true;
  readonly name: string;
  /** jsonata signature string, e.g. '<s-nn?:s>' */
  readonly signature?: string;
  /** the parsed signature (signature.ts), filled when the library is built */
  readonly validator?: SignatureValidator;
  // Built-ins take their own parameter lists (their arity is read from them); the signature validates.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly implementation: (this: Focus, ...args: any[]) => unknown;
  /**
   * `implementation` called with the validated arguments as one list, for a built-in that reads
   * nothing of its focus but `rt`: calls make no focus object and spread nothing. Optional (the host's
   * helpers have one); `implementation` stays what partial application and arity read.
   */
  readonly invoke?: (rt: Runtime, args: unknown[]) => unknown;
}

export interface SignatureValidator {
  /** jsonata's signature.validate: defaults context args, checks types, returns the arguments to pass. */
  validate(args: unknown[], context: unknown): unknown[];
  readonly definition: string;
  /**
   * validate()'s common case alone (signature.ts fastValidator): the arguments validate() would
   * return, or undefined when validate() must decide. Absent for signatures it does not cover.
   */
  readonly fast?: (args: unknown[]) => unknown[] | undefined;
}

/**
 * How a JSONata function (lambda, built-in, partial application, regex) reaches a built-in as an
 * argument: a synchronous JS function with its arity, as jsonata wraps it in evaluateFunction.
 */
export type JsFunctionArg = ((...args: unknown[]) => unknown) & { arity: number };

export function isFunctionValue(value: unknown): boolean {
  return (
    typeof value === 'function' ||
    (typeof value === 'object' &&
      value !== null &&
      ((value as { _jsonata_function?: unknown })._jsonata_function === true || (value as { _jsonata_lambda?: unknown })._jsonata_lambda === true))
  );
}

// ---------------------------------------------------------------------------------------------------
// Appended for the library (functions/regex-functions.ts)

/**
 * How the library calls a function value it finds inside data instead of receiving it as an argument:
 * a custom matcher's `next` (jsonata calls `matches.next.apply(this, [str])`, which works both for JS
 * functions and for its lambda objects, whose `apply(self, args)` runs them). The evaluator sets
 * `call` to its own apply; without it the library calls JS functions, and objects through an
 * `apply(self, args)` method when they have one.
 */
export const functionValueCaller: { call?: (fn: unknown, args: unknown[]) => unknown } = {};
