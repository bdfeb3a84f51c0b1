// Compiles jsonata's processed AST into JavaScript closures, one per node, evaluated synchronously under a meter.
//
// A port of jsonata 2.2.2's evaluator (src/jsonata.js: evaluate, evaluatePath, evaluateStep,
// evaluateTupleStep, evaluateFilter, evaluateBinary, evaluateGroupExpression, evaluateSortExpression,
// evaluateTransformExpression, evaluateApplyExpression, evaluateFunction, apply, applyInner,
// applyProcedure, partial application, evaluateLambda, …; MIT, © IBM Corp. 2016, 2017). Each function
// keeps jsonata's name in a comment so the two can be read side by side. What differs is only when
// the work is done: node types, operators, literals, static field names and which path steps are plain
// field lookups are resolved once here, so evaluation never dispatches on a node's type; and nothing
// is async (jsonata awaits every node; no edgescale function needs to wait).
//
// Evaluation state (the meter, the runtime, the call depth) lives in module variables set by
// runProgram() for the duration of one evaluation and restored afterwards, so a nested evaluation (a
// helper evaluating another expression) works. Evaluation is synchronous, so nothing interleaves.
//
// Metering: one unit of work per node evaluated, one per item visited by a step, filter, group-by,
// flattening or comparison, items produced charged with memory (MEMORY_COST); ranges and string
// concatenation are charged before they allocate.
import jsonata from 'jsonata';
import { Frame } from './frame.js';
import { BUILTINS, REFUSED_FUNCTIONS } from './library.js';
import {
  edgescaleError,
  jsonataError,
  populateMessage,
  U_ARRAY_TOO_LONG,
  U_FUNCTION_REFUSED,
  U_REGEX_REFUSED,
  U_STACK_OVERFLOW,
  U_STRING_TOO_LONG,
} from './messages.js';
import { compileRegex, RegexRefused } from './regex.js';
import {
  BudgetExceeded,
  BudgetPool,
  JsonataError,
  MEMORY_COST,
  Meter,
  functionValueCaller,
  type Builtin,
  type Focus,
  type JsFunctionArg,
  type Runtime,
  type Sequence,
  type SignatureValidator,
} from './runtime.js';
import {
  append,
  boolize,
  deepEqual,
  functionArity,
  hideFlags,
  isArrayOfNumbers,
  isArrayOfStrings,
  isFunc,
  isNumeric,
  isSeq,
  lookupField,
  markSeq,
  newSeq,
  seqOf,
  toBoolean,
  toJsonataString,
} from './values.js';

// ---------------------------------------------------------------------------------------------------
// Types

/** A node of jsonata's processed AST (parser.js processAST); its shape depends on `type`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = any;

/** A compiled node: jsonata's evaluate(expr, input, environment) for one fixed expr. */
export type Ev = (input: unknown, env: Frame) => unknown;

type Tuple = Record<string, unknown>;

/** A lambda value (jsonata's evaluateLambda procedure object). */
interface Lambda {
  _jsonata_lambda: true;
  input: unknown;
  environment: Frame | undefined;
  arguments: ReadonlyArray<{ value: string }>;
  signature?: SignatureValidator;
  /** the compiled body (absent for a native partial and for a thunk) */
  body?: Ev;
  /** a tail call (parser.js tailCallOptimize): evaluated by apply's trampoline */
  thunk?: true;
  thunkCall?: ThunkCall;
  /** a partially applied native function: the function and its parameter names */
  native?: NativeFn;
  nativeParams?: string[];
}

interface ThunkCall {
  proc: Ev;
  args: Ev[];
  token: string | undefined;
  position: number | undefined;
}

type NativeFn = (this: unknown, ...args: unknown[]) => unknown;

/** The placeholder `?` of a partial application. */
const PLACEHOLDER: unique symbol = Symbol('jsonata partial placeholder');

/** Marks the JS closures this module wraps function values in, so they are not wrapped twice for a built-in. */
const WRAPPED: unique symbol = Symbol('jsonata wrapped function');

// ---------------------------------------------------------------------------------------------------
// Limits

/**
 * Deepest nesting of function applications (lambda calls, and built-in calls that call back) before
 * U1001. Each JSONata call level takes a handful of JS frames (apply, applyInner, applyProcedure, the
 * body's closures), a few hundred bytes each; workerd runs JavaScript on a smaller stack than Node's
 * default, and 400 levels stays well inside it even for bodies a few dozen nodes deep. Tail calls
 * (jsonata's thunks) do not count: they run in apply's loop.
 */
export const DEFAULT_MAX_CALL_DEPTH = 400;

/** jsonata's own cap on the size of a range (D2014). */
const MAX_RANGE_SIZE = 1e7;

// ---------------------------------------------------------------------------------------------------
// Evaluation state (set by runProgram)

const IDLE_METER = new Meter(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);

/**
 * One object of each hidden class the evaluator makes by adding properties to new objects — a
 * sequence is an array given a `sequence` flag (and maybe more flags), of each elements kind — kept
 * alive for good: V8 collects such a class once no object has it, and throws away the optimized code
 * that relied on it, so every full collection between evaluations would otherwise start the JIT over.
 */
const SHAPES: unknown[] = [new BudgetPool('request', 1, 1)];
for (const item of [undefined, 0, 0.5, 'x', {}]) {
  for (const flag of [undefined, 'keepSingleton', 'outerWrapper', 'tupleStream'] as const) {
    const pushed = newSeq();
    if (item !== undefined) pushed.push(item);
    const single = item !== undefined ? seqOf(item) : newSeq();
    for (const seq of [pushed, single]) {
      if (flag !== undefined) seq[flag] = true;
      SHAPES.push(seq);
    }
  }
}

let M: Meter = IDLE_METER;
let RT: Runtime = { meter: IDLE_METER, now: 0, maxStringLength: Number.POSITIVE_INFINITY, maxArrayLength: Number.POSITIVE_INFINITY };
let DEPTH = 0;
let MAX_DEPTH = DEFAULT_MAX_CALL_DEPTH;

/**
 * Units per item × key/value pair of an object constructor or group-by: evaluating the key, a write
 * into a dictionary-mode object and the group bookkeeping measured ~3× a path step's item.
 */
const GROUP_ENTRY_UNITS = 3;

const D_EVAL = 'evaluating the expression';
const D_STEP = 'visiting the items of a path step';
const D_FILTER = 'filtering items';
const D_ARRAY = 'building an array';
const D_OBJECT = 'building an object';
const D_GROUP = 'grouping items';
const D_SORT = 'sorting';
const D_RANGE = 'building a range';
const D_CONCAT = 'concatenating strings';
const D_CALL = 'calling a function';
const D_DESCEND = 'visiting descendants';
const D_CLONE = 'cloning a value for a transform';

// ---------------------------------------------------------------------------------------------------
// Small helpers

function tooManyItems(n: number): JsonataError {
  return edgescaleError(U_ARRAY_TOO_LONG, `array of ${n} items exceeds the limit of ${RT.maxArrayLength}`, { value: n });
}

/** An array of n items was produced: check the size limit, charge one unit per item and its memory. */
function produced(n: number, doing: string): void {
  if (n > RT.maxArrayLength) throw tooManyItems(n);
  M.charge(n, doing);
  M.alloc(MEMORY_COST.arrayHeader + n * MEMORY_COST.arraySlot, doing);
}

/** An error jsonata would annotate (its errors are objects with a code); never the meter's. */
function isJsonataErr(err: unknown): err is JsonataError {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' && !(err instanceof BudgetExceeded);
}

function isLambda(value: unknown): value is Lambda {
  return typeof value === 'object' && value !== null && (value as Lambda)._jsonata_lambda === true;
}

/** The tail of jsonata's evaluate(): unwrap a sequence (empty → undefined, singleton → its item). */
function finish(result: unknown, keepArray: boolean): unknown {
  if (Array.isArray(result) && (result as Sequence).sequence === true && !(result as Sequence).tupleStream) {
    if (keepArray) (result as Sequence).keepSingleton = true;
    if (result.length === 0) return undefined;
    if (result.length === 1) return (result as Sequence).keepSingleton ? result : result[0];
  }
  return result;
}

function flatten(arg: unknown, flattened: unknown[] = []): unknown[] {
  if (Array.isArray(arg)) {
    for (let i = 0; i < arg.length; i++) flatten(arg[i], flattened);
  } else {
    flattened.push(arg);
  }
  return flattened;
}

const hasOwn = Object.prototype.hasOwnProperty;

// ---------------------------------------------------------------------------------------------------
// Function application (jsonata: apply, applyInner, applyProcedure, applyNativeFunction, evaluateFunction's closure)

/**
 * A function value as a plain JS closure with its arity (evaluateFunction: "wrap this in a closure"),
 * which is how built-ins receive function arguments.
 */
function wrapFunction(fn: unknown, env: Frame): JsFunctionArg {
  const closure = function (...params: unknown[]): unknown {
    return apply(fn, params, null, env, undefined, undefined);
  } as JsFunctionArg & { [WRAPPED]?: true; _jsonata_regex?: true };
  closure.arity = functionArity(fn);
  closure[WRAPPED] = true;
  if ((fn as { _jsonata_regex?: unknown })._jsonata_regex === true) closure._jsonata_regex = true;
  M.alloc(MEMORY_COST.closure, D_CALL);
  return closure;
}

/**
 * A built-in receives only plain JS functions: arguments that reach it unwrapped (through a tail call
 * or a partial application, where jsonata passes them as they are) are wrapped here.
 */
function wrapForBuiltin(args: unknown[], env: Frame): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === null || a === undefined) continue;
    const t = typeof a;
    const needs =
      (t === 'object' && ((a as Lambda)._jsonata_lambda === true || (a as Builtin)._jsonata_function === true)) ||
      (t === 'function' && (a as { [WRAPPED]?: true })[WRAPPED] !== true && (a as { _jsonata_regex?: unknown })._jsonata_regex === true);
    if (needs) {
      out ??= args.slice();
      out[i] = wrapFunction(a, env);
    }
  }
  return out ?? args;
}

function stackOverflow(): JsonataError {
  return jsonataError(U_STACK_OVERFLOW);
}

/** jsonata's apply: applyInner, then the trampoline that runs tail calls (thunks) without nesting. */
function apply(proc: unknown, args: unknown[], input: unknown, env: Frame, token: string | undefined, position: number | undefined): unknown {
  if (++DEPTH > MAX_DEPTH) {
    DEPTH--;
    throw stackOverflow();
  }
  try {
    const result = applyInner(proc, args, input, env, token, position);
    return isLambda(result) && result.thunk === true ? runThunks(result, input, env) : result;
  } finally {
    DEPTH--;
  }
}

/** apply's trampoline: run tail calls (thunks) until a value that is not one comes back. */
function runThunks(thunk: Lambda, input: unknown, env: Frame): unknown {
  let result: unknown = thunk;
  while (isLambda(result) && result.thunk === true) {
    M.charge(1, D_CALL);
    const call = result.thunkCall!;
    const tenv = result.environment!;
    const next = call.proc(result.input, tenv);
    const targs: unknown[] = [];
    for (let i = 0; i < call.args.length; i++) targs.push(call.args[i]!(result.input, tenv));
    result = applyInner(next, targs, input, env, call.token, call.position);
  }
  return result;
}

/** jsonata's applyInner: validate against the signature, then run a lambda, a built-in or a JS function. */
function applyInner(proc: unknown, args: unknown[], input: unknown, env: Frame, token: string | undefined, position: number | undefined): unknown {
  try {
    if (typeof proc === 'object' && proc !== null) {
      if ((proc as Lambda)._jsonata_lambda === true) {
        const lambda = proc as Lambda;
        const validated = lambda.signature !== undefined ? lambda.signature.validate(args, input) : args;
        return applyProcedure(lambda, validated);
      }
      if ((proc as Builtin)._jsonata_function === true) {
        const builtin = proc as Builtin & { signature?: unknown };
        const sig = builtin.validator ?? (typeof builtin.signature === 'object' ? (builtin.signature as SignatureValidator) : undefined);
        const validated = sig !== undefined ? sig.validate(args, input) : args;
        const focus: Focus = { input, rt: RT };
        return builtin.implementation.apply(focus, wrapForBuiltin(validated, env));
      }
    } else if (typeof proc === 'function') {
      const sig = (proc as { signature?: { validate?: unknown } }).signature;
      const validated = sig !== undefined && typeof sig.validate === 'function' ? (sig as SignatureValidator).validate(args, input) : args;
      // jsonata passes the input as `this`; a regex matcher (regex.ts) takes the focus, for its meter.
      if ((proc as { _jsonata_regex?: unknown })._jsonata_regex === true) return (proc as NativeFn).apply({ input, rt: RT }, validated);
      return (proc as NativeFn).apply(input, validated);
    }
    throw jsonataError('T1006');
  } catch (err) {
    if (proc && isJsonataErr(err)) {
      if (err.token === undefined && token !== undefined) err.token = token;
      err.position = position || err.position;
    }
    throw err;
  }
}

/** jsonata's applyProcedure: a new frame under the lambda's closure frame with the parameters bound. */
function applyProcedure(proc: Lambda, args: unknown[]): unknown {
  const frame = new Frame(proc.environment ?? null);
  const params = proc.arguments;
  for (let i = 0; i < params.length; i++) frame.bind(params[i]!.value, args[i]);
  M.alloc(MEMORY_COST.frame, D_CALL);
  if (proc.native !== undefined) {
    // applyNativeFunction: the arguments looked up by the native function's parameter names
    const names = proc.nativeParams!;
    const nargs: unknown[] = [];
    for (let i = 0; i < names.length; i++) nargs.push(frame.lookup(names[i]!));
    const focus: Focus = { input: undefined, rt: RT };
    return proc.native.apply(focus, wrapForBuiltin(nargs, frame));
  }
  return proc.body!(proc.input, frame);
}

/** jsonata's getNativeFunctionArguments: parameter names read from the function's source text. */
function nativeParamNames(fn: NativeFn): string[] {
  const m = /\(([^)]*)\)/.exec(fn.toString());
  if (m === null) return Array.from({ length: Math.max(1, fn.length) }, (_, i) => `\u0000${i}`);
  return m[1]!.split(',').map((s) => s.trim());
}

/** jsonata's partialApplyProcedure. */
function partialApplyProcedure(proc: Lambda, args: unknown[], env: Frame): Lambda {
  const frame = new Frame(proc.environment ?? env);
  const unbound: Array<{ value: string }> = [];
  proc.arguments.forEach((param, index) => {
    const arg = args[index];
    if (arg === PLACEHOLDER) unbound.push(param);
    else frame.bind(param.value, arg);
  });
  const result: Lambda = { _jsonata_lambda: true, input: proc.input, environment: frame, arguments: unbound };
  if (proc.body !== undefined) result.body = proc.body;
  if (proc.native !== undefined) {
    result.native = proc.native;
    result.nativeParams = proc.nativeParams!;
  }
  M.alloc(MEMORY_COST.closure + MEMORY_COST.frame, D_CALL);
  return result;
}

/** jsonata's partialApplyNativeFunction. */
function partialApplyNative(native: NativeFn, args: unknown[], env: Frame): Lambda {
  const names = nativeParamNames(native);
  const pseudo: Lambda = {
    _jsonata_lambda: true,
    input: undefined,
    environment: undefined,
    arguments: names.map((value) => ({ value })),
    native,
    nativeParams: names,
  };
  return partialApplyProcedure(pseudo, args, env);
}

// ---------------------------------------------------------------------------------------------------
// Built-ins and the global frame

/** $clone as jsonata defines it (functionClone: JSON.parse($string(arg))), metered by the size of its text; only used if the library has no $clone. */
function meteredClone(arg: unknown): unknown {
  if (arg === undefined) return undefined;
  const text = toJsonataString(arg)!;
  const doing = D_CLONE;
  M.charge(1 + Math.ceil(text.length / 16), doing);
  M.alloc(MEMORY_COST.stringHeader + text.length * MEMORY_COST.stringChar, doing);
  return JSON.parse(text);
}

let transformSignature: SignatureValidator | undefined;
/** '<(oa):o>', parsed by jsonata's own signature parser (reached through the parser's lambda signatures). */
function getTransformSignature(): SignatureValidator {
  transformSignature ??= (jsonata('function($o)<(oa):o>{$o}').ast() as AstNode).signature as SignatureValidator;
  return transformSignature;
}

let cloneSignature: SignatureValidator | undefined;
const FALLBACK_CLONE: Builtin = {
  _jsonata_function: true,
  name: 'clone',
  signature: '<(oa)-:o>',
  get validator(): SignatureValidator {
    cloneSignature ??= (jsonata('function($o)<(oa)-:o>{$o}').ast() as AstNode).signature as SignatureValidator;
    return cloneSignature;
  },
  implementation(this: Focus, arg: unknown) {
    return meteredClone(arg);
  },
} as Builtin;

let builtinsFrame: Frame | undefined;
/** The outermost frame: the library's built-ins (jsonata's staticFrame). */
function getBuiltinsFrame(): Frame {
  if (builtinsFrame === undefined) {
    // read here so that SHAPES outlives the module's loading (a module variable no function reads does not)
    if (SHAPES.length === 0) throw new Error('no shapes kept');
    const frame = new Frame(null);
    for (const [name, fn] of BUILTINS) if (!REFUSED_FUNCTIONS.has(name)) frame.bind(name, fn);
    if (!BUILTINS.has('clone')) frame.bind('clone', FALLBACK_CLONE);
    builtinsFrame = frame;
  }
  return builtinsFrame;
}

// The library calls function values it finds inside data (a custom matcher's `next` lambda) through this.
functionValueCaller.call = (fn, args) => apply(fn, args, null, getBuiltinsFrame(), undefined, undefined);

// ---------------------------------------------------------------------------------------------------
// The compiler

export interface CompileSettings {
  /** names of the extra functions bound in the outermost frame (they are never refused) */
  readonly functionNames: ReadonlySet<string>;
  /**
   * The outermost frame the program will always run under, when it will never run with bindings
   * (runProgram's `bindings`): a variable the expression never binds can then only resolve to this
   * frame's value, which is read once here (the frames of built-ins and helpers never change).
   */
  readonly globals?: Frame;
}

export interface Program {
  readonly root: Ev;
  /** whether the expression reads `$$` (the root input, bound as `$`) */
  readonly usesRoot: boolean;
  /** whether the expression binds (`:=`) in its outermost scope, the evaluation's own frame */
  readonly bindsAtRoot?: boolean;
}

/** Compile a processed AST (jsonata(source).ast()). Throws JsonataError for refusals (U3xxx). */
export function compileAst(ast: AstNode, settings: CompileSettings): Program {
  const c = new Compiler(settings, ast);
  const root = c.compileScope(ast, []);
  const rootBinds = new Set<string>();
  collectBinds(ast, rootBinds, true);
  return { root, usesRoot: c.usesRoot, bindsAtRoot: rootBinds.size > 0 };
}

/** The child expressions of a node (for scope analysis and the depth check). */
export function astChildren(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const add = (n: AstNode): void => {
    if (n !== null && typeof n === 'object' && typeof n.type === 'string') out.push(n);
  };
  switch (node.type) {
    case 'path':
      for (const s of node.steps) add(s);
      break;
    case 'binary':
    case 'bind':
    case 'apply':
      add(node.lhs);
      add(node.rhs);
      break;
    case 'unary':
      if (node.value === '{') for (const [k, v] of node.lhs) (add(k), add(v));
      else if (node.value === '[') for (const e of node.expressions) add(e);
      else add(node.expression);
      break;
    case 'function':
    case 'partial':
      add(node.procedure);
      for (const a of node.arguments) add(a);
      break;
    case 'lambda':
      add(node.body);
      break;
    case 'condition':
      add(node.condition);
      add(node.then);
      add(node.else);
      break;
    case 'block':
      for (const e of node.expressions) add(e);
      break;
    case 'transform':
      add(node.pattern);
      add(node.update);
      add(node.delete);
      break;
    case 'sort':
      for (const t of node.terms) add(t.expression);
      break;
  }
  if (Array.isArray(node.predicate)) for (const p of node.predicate) add(p.expr);
  if (Array.isArray(node.stages)) for (const s of node.stages) if (s.type === 'filter') add(s.expr);
  if (node.group) for (const [k, v] of node.group.lhs) (add(k), add(v));
  return out;
}

/**
 * Names bound by `:=` in the scope a node opens (its own frame): every bind below it that is not
 * inside a nested block or lambda (which open frames of their own). Tail-call thunks are transparent.
 */
function collectBinds(node: AstNode, out: Set<string>, top: boolean): void {
  if (!top && (node.type === 'block' || (node.type === 'lambda' && node.thunk !== true))) return;
  if (node.type === 'bind') out.add(node.lhs.value);
  for (const child of astChildren(node)) collectBinds(child, out, false);
}

/** Names bound anywhere in the expression by `:=` or as lambda parameters. */
function collectBoundNames(node: AstNode, out: Set<string>): void {
  if (node.type === 'bind') out.add(node.lhs.value);
  if (node.type === 'lambda' && Array.isArray(node.arguments)) for (const p of node.arguments) out.add(p.value);
  for (const child of astChildren(node)) collectBoundNames(child, out);
}

/** Names bound by focus (@$x) and index (#$i) bindings anywhere in the expression (tuple frames). */
function collectTupleNames(node: AstNode, out: Set<string>): void {
  if (typeof node.focus === 'string') out.add(node.focus);
  if (typeof node.index === 'string') out.add(node.index);
  if (Array.isArray(node.stages)) for (const s of node.stages) if (s.type === 'index') out.add(s.value);
  for (const child of astChildren(node)) collectTupleNames(child, out);
}

class Compiler {
  usesRoot = false;
  /**
   * Lexical scopes for refusing references to refused functions ($random, $eval, …). A reference is
   * the user's own variable, not the refused built-in, when the same name is bound by `:=` in an
   * enclosing block (or at the top level), is a parameter of an enclosing lambda, or is a focus/index
   * variable anywhere in the expression. This is the simple lexical reading: a bind anywhere in an
   * enclosing block counts, even after the reference, so `($random(); $random := 1)` compiles (and
   * fails at run time with T1006, since the built-in is not bound).
   */
  private readonly scopes: Array<Set<string>> = [];
  private readonly tupleNames = new Set<string>();
  /** Every name any frame of this program can bind (settings.globals only). */
  private readonly boundNames: Set<string> | undefined;

  constructor(
    private readonly settings: CompileSettings,
    ast: AstNode,
  ) {
    collectTupleNames(ast, this.tupleNames);
    if (settings.globals !== undefined) {
      const bound = new Set<string>(this.tupleNames);
      collectBoundNames(ast, bound);
      // runProgram binds `$` (the root); tuple frames bind '@' and, for a sort step, String(undefined)
      for (const name of ['$', '@', 'undefined']) bound.add(name);
      this.boundNames = bound;
    }
  }

  /** Compile a node that opens a scope (the root, a block, a lambda body) with `params` bound in it. */
  compileScope(node: AstNode, params: string[]): Ev {
    const names = new Set(params);
    collectBinds(node, names, true);
    this.scopes.push(names);
    try {
      return this.compile(node);
    } finally {
      this.scopes.pop();
    }
  }

  private refuseIfRefused(node: AstNode): void {
    const name: string = node.value;
    const reason = REFUSED_FUNCTIONS.get(name);
    if (reason === undefined || this.settings.functionNames.has(name) || this.tupleNames.has(name)) return;
    for (const scope of this.scopes) if (scope.has(name)) return;
    throw edgescaleError(U_FUNCTION_REFUSED, `$${name} is not available: ${reason}`, { position: node.position, token: name });
  }

  // jsonata's evaluate(): the node's own evaluation, then its predicates, its group-by, and the
  // sequence unwrapping (keepArray keeps a singleton sequence).
  compile(node: AstNode): Ev {
    if (node.type === 'path' && node.predicate === undefined && node.keepArray !== true) {
      // a path does its own unwrapping (its fast path never makes a sequence to unwrap)
      return this.compilePath(node, true);
    }
    const core = this.compileCore(node);
    const preds: Array<(input: unknown, env: Frame) => unknown> = Array.isArray(node.predicate)
      ? node.predicate.map((p: AstNode) => this.compileFilter(p.expr))
      : [];
    const group = node.type !== 'path' && node.group ? this.compileGroup(node.group) : undefined;
    const keep = node.keepArray === true;
    if (preds.length === 0 && group === undefined) {
      if (!mayBeSequence(node)) return core;
      return keep ? (input, env) => finish(core(input, env), true) : (input, env) => finish(core(input, env), false);
    }
    return (input, env) => {
      let result = core(input, env);
      for (let i = 0; i < preds.length; i++) result = preds[i]!(result, env);
      if (group !== undefined) result = group(result, env);
      return finish(result, keep);
    };
  }

  private compileCore(node: AstNode): Ev {
    switch (node.type) {
      case 'path':
        return this.compilePath(node, false);
      case 'binary':
        return this.compileBinary(node);
      case 'unary':
        return this.compileUnary(node);
      case 'name':
        return this.compileName(node);
      case 'string':
      case 'number':
      case 'value': {
        const value = node.value;
        return () => {
          M.charge(1, D_EVAL);
          return value;
        };
      }
      case 'wildcard':
        return compileWildcard();
      case 'descendant':
        return compileDescendants();
      case 'parent': {
        const label: string = node.slot.label;
        return (_input, env) => {
          M.charge(1, D_EVAL);
          return env.lookup(label);
        };
      }
      case 'condition':
        return this.compileCondition(node);
      case 'block':
        return this.compileBlock(node);
      case 'bind': {
        const name: string = node.lhs.value;
        const rhs = this.compile(node.rhs);
        return (input, env) => {
          M.charge(1, D_EVAL);
          const value = rhs(input, env);
          env.bind(name, value);
          return value;
        };
      }
      case 'regex':
        return this.compileRegexLiteral(node);
      case 'function': {
        const call = this.compileCall(node);
        return (input, env) => call(input, env, false, undefined);
      }
      case 'variable':
        return this.compileVariable(node);
      case 'lambda':
        return this.compileLambda(node);
      case 'partial':
        return this.compilePartial(node);
      case 'apply':
        return this.compileApply(node);
      case 'transform':
        return this.compileTransform(node);
      default:
        // jsonata's evaluate has no case for other node types (e.g. a sort outside a path): undefined.
        return () => {
          M.charge(1, D_EVAL);
          return undefined;
        };
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Paths (evaluatePath, evaluateStep, evaluateTupleStep, evaluateStages)

  /** `unwrap`: finish the result as evaluate() does (the caller then adds no wrapper). */
  private compilePath(node: AstNode, unwrap: boolean): Ev {
    const steps: AstNode[] = node.steps;
    const n = steps.length;
    const firstIsVariable = steps[0].type === 'variable';
    const keepSingletonArray = node.keepSingletonArray === true;
    const group = node.group ? this.compileGroup(node.group) : undefined;
    const keepTuples = node.tuple === true;

    // Fast path: every step a plain field name (no predicates, stages, bindings, grouping). While the
    // value stays a single non-array value, each step is one field lookup; this is exactly what the
    // general loop computes for it (a one-item sequence, unwrapped at the end). An array anywhere
    // hands the whole path to the general loop (lookups have no side effects, so redoing them is safe).
    const simple =
      !keepSingletonArray &&
      group === undefined &&
      steps.every(
        (s) =>
          s.type === 'name' &&
          s.predicate === undefined &&
          s.stages === undefined &&
          s.group === undefined &&
          s.tuple !== true &&
          s.keepArray !== true &&
          s.focus === undefined &&
          s.index === undefined &&
          s.ancestor === undefined,
      );

    // Tuple mode starts at the first step flagged `tuple` and stays on.
    let tupleFrom = n;
    for (let i = 0; i < n; i++) {
      if (steps[i].tuple) {
        tupleFrom = i;
        break;
      }
    }
    const consFirst = steps[0].consarray === true;
    const plans = steps.map((step, i) => {
      if (i === 0 && consFirst) return { kind: 'cons' as const, ev: this.compile(step), focus: step.focus as string | undefined };
      if (i >= tupleFrom) return { kind: 'tuple' as const, tuple: this.compileTupleStep(step), focus: step.focus as string | undefined };
      return { kind: 'step' as const, step: this.compileStep(step), focus: step.focus as string | undefined };
    });

    const general: Ev = (input, env) => {
      let inputSequence: unknown[] = Array.isArray(input) && !firstIsVariable ? input : seqOf(input);
      let resultSequence: unknown = undefined;
      let isTupleStream = false;
      let tupleBindings: Tuple[] | undefined = undefined;
      for (let i = 0; i < n; i++) {
        const plan = plans[i]!;
        if (i >= tupleFrom) isTupleStream = true;
        if (plan.kind === 'cons') {
          resultSequence = plan.ev(inputSequence, env);
        } else if (plan.kind === 'tuple') {
          tupleBindings = plan.tuple(inputSequence, tupleBindings, env);
        } else {
          resultSequence = plan.step(inputSequence, env, i === n - 1);
        }
        if (!isTupleStream && (resultSequence === undefined || (resultSequence as unknown[]).length === 0)) break;
        if (plan.focus === undefined) inputSequence = resultSequence as unknown[];
      }
      if (isTupleStream) {
        if (keepTuples) {
          resultSequence = tupleBindings;
        } else {
          const out = newSeq();
          const tb = tupleBindings ?? [];
          for (let i = 0; i < tb.length; i++) out.push(tb[i]!['@']);
          resultSequence = out;
        }
      }
      if (keepSingletonArray) {
        let rs = resultSequence as Sequence & { cons?: boolean };
        if (Array.isArray(rs) && rs.cons && !rs.sequence) rs = seqOf(rs) as Sequence & { cons?: boolean };
        if (rs !== undefined && rs !== null) rs.keepSingleton = true;
        resultSequence = rs;
      }
      if (group !== undefined) resultSequence = group(isTupleStream ? tupleBindings : resultSequence, env);
      return resultSequence;
    };

    if (!simple) {
      if (unwrap) {
        return (input, env) => {
          M.charge(1, D_EVAL);
          return finish(general(input, env), false);
        };
      }
      return (input, env) => {
        M.charge(1, D_EVAL);
        return general(input, env);
      };
    }
    const names: string[] = steps.map((s) => s.value);
    const fallback: Ev = unwrap ? (input, env) => finish(general(input, env), false) : general;
    const nameSteps = plans.map((plan) => (plan as { step: (input: unknown[], env: Frame, lastStep: boolean) => unknown }).step);
    /**
     * The general loop's result, and its charges, for a path whose steps 0..i-1 each found one
     * non-array value and whose step i found the plain array `r` (not a sequence, not a constructed
     * array), without building the one-item sequences of steps 0..i: each such step charges 1 + 2
     * (compileNameStep on one item) and, unless it is the last, produced(1); step i produces r's items
     * (flattened one level, which are r's items), and the remaining steps run on them as the general
     * loop runs them. A last step that finds one plain array returns that array itself.
     */
    const fromArray = (r: unknown[], i: number, env: Frame): unknown => {
      for (let k = 0; k < i; k++) {
        M.charge(3, D_STEP);
        produced(1, D_STEP);
      }
      M.charge(3, D_STEP);
      if (i === n - 1) return r;
      produced(r.length, D_STEP);
      if (r.length === 0) return newSeq();
      let seq: unknown = r;
      for (let k = i + 1; k < n; k++) {
        seq = nameSteps[k]!(seq as unknown[], env, k === n - 1);
        if (seq === undefined || (seq as unknown[]).length === 0) break;
      }
      return seq;
    };
    if (n === 1 && unwrap) {
      // the loop below for one step, with the name a constant of its own closure
      const name = names[0]!;
      return (input, env) => {
        M.charge(2, D_EVAL);
        if (input === null || typeof input !== 'object') return undefined;
        if (Array.isArray(input)) return fallback(input, env);
        const o = input as Record<string, unknown>;
        const r = o[name];
        if (r === undefined || !hasOwn.call(o, name) || o._jsonata_function === true || o._jsonata_lambda === true) return undefined;
        if (Array.isArray(r)) {
          if ((r as Sequence).sequence === true || (r as { cons?: boolean }).cons) return fallback(input, env);
          return finish(fromArray(r, 0, env), false);
        }
        return r;
      };
    }
    return (input, env) => {
      M.charge(1 + n, D_EVAL);
      let v = input;
      if (Array.isArray(v)) return fallback(input, env);
      for (let i = 0; i < n; i++) {
        if (v === null || typeof v !== 'object') return undefined;
        const o = v as Record<string, unknown>;
        const name = names[i]!;
        const r = o[name];
        if (r === undefined || !hasOwn.call(o, name) || o._jsonata_function === true || o._jsonata_lambda === true) return undefined;
        if (Array.isArray(r)) {
          if ((r as Sequence).sequence === true || (r as { cons?: boolean }).cons) return fallback(input, env);
          return unwrap ? finish(fromArray(r, i, env), false) : fromArray(r, i, env);
        }
        v = r;
      }
      // a single non-array value: the general loop's one-item sequence, unwrapped (or, without
      // `unwrap`, that sequence itself, as jsonata's evaluatePath returns it)
      return unwrap ? v : seqOf(v);
    };
  }

  /** evaluateStep for a step outside a tuple stream. */
  private compileStep(step: AstNode): (input: unknown[], env: Frame, lastStep: boolean) => unknown {
    if (step.type === 'sort') {
      const sort = this.compileSort(step);
      const stages = step.stages ? this.compileStages(step.stages) : undefined;
      return (input, env) => {
        let result = sort(input, env);
        if (stages !== undefined) result = stages(result as Tuple[], env);
        return result;
      };
    }
    if (
      step.type === 'name' &&
      step.stages === undefined &&
      step.predicate === undefined &&
      step.group === undefined &&
      step.keepArray !== true
    ) {
      return compileNameStep(step.value);
    }
    const ev = this.compile(step);
    const stages: Array<(input: unknown, env: Frame) => unknown> = step.stages ? step.stages.map((s: AstNode) => this.compileFilter(s.expr)) : [];
    const ns = stages.length;
    return (input, env, lastStep) => {
      const len = input.length;
      M.charge(len, D_STEP);
      const out = newSeq();
      let first: unknown = undefined;
      let count = 0;
      for (let i = 0; i < len; i++) {
        let res = ev(input[i], env);
        for (let s = 0; s < ns; s++) res = stages[s]!(res, env);
        if (res !== undefined) {
          if (count++ === 0) first = res;
          if (!Array.isArray(res) || (res as { cons?: boolean }).cons) {
            out.push(res);
          } else {
            for (let j = 0; j < res.length; j++) out.push(res[j]);
          }
        }
      }
      if (lastStep && count === 1 && Array.isArray(first) && !isSeq(first)) return first;
      produced(out.length, D_STEP);
      return out;
    };
  }

  /** evaluateTupleStep. */
  private compileTupleStep(step: AstNode): (input: unknown[], tupleBindings: Tuple[] | undefined, env: Frame) => Tuple[] {
    const stages = step.stages ? this.compileStages(step.stages) : undefined;
    if (step.type === 'sort') {
      const sort = this.compileSort(step);
      const index: string = String(step.index); // jsonata writes tuple[expr.index] even when unset ("undefined")
      return (input, tupleBindings, env) => {
        let result: Tuple[];
        if (tupleBindings !== undefined) {
          result = sort(tupleBindings, env) as Tuple[];
        } else {
          const sorted = sort(input, env) as unknown[];
          const seq = newSeq();
          seq.tupleStream = true;
          for (let ss = 0; ss < sorted.length; ss++) {
            const tuple: Tuple = { '@': sorted[ss] };
            tuple[index] = ss;
            seq.push(tuple);
          }
          result = seq as unknown as Tuple[];
        }
        if (stages !== undefined) result = stages(result, env);
        return result;
      };
    }
    const ev = this.compile(step);
    const focus: string | undefined = step.focus;
    const index: string | undefined = step.index;
    const ancestor: string | undefined = step.ancestor ? step.ancestor.label : undefined;
    return (input, tupleBindings, env) => {
      const result = newSeq();
      result.tupleStream = true;
      const tb = tupleBindings ?? input.map((item) => ({ '@': item }) as Tuple);
      M.charge(tb.length, D_STEP);
      for (let ee = 0; ee < tb.length; ee++) {
        const binding = tb[ee]!;
        const stepEnv = Frame.fromTuple(env, binding);
        let res = ev(binding['@'], stepEnv);
        if (res !== undefined) {
          if (!Array.isArray(res)) res = [res];
          const arr = res as Sequence;
          for (let bb = 0; bb < arr.length; bb++) {
            const tuple: Tuple = Object.create(null);
            Object.assign(tuple, binding);
            if (arr.tupleStream) {
              Object.assign(tuple, arr[bb]);
            } else {
              if (focus) {
                tuple[focus] = arr[bb];
                tuple['@'] = binding['@'];
              } else {
                tuple['@'] = arr[bb];
              }
              if (index) tuple[index] = bb;
              if (ancestor !== undefined) tuple[ancestor] = binding['@'];
            }
            result.push(tuple);
          }
        }
      }
      produced(result.length, D_STEP);
      M.alloc(result.length * (MEMORY_COST.objectHeader + 2 * MEMORY_COST.objectProperty), D_STEP);
      let out = result as unknown as Tuple[];
      if (stages !== undefined) out = stages(out, env);
      return out;
    };
  }

  /** evaluateStages: filters and index (#$i) bindings over a tuple stream. */
  private compileStages(stages: AstNode[]): (input: Tuple[], env: Frame) => Tuple[] {
    const ops = stages.map((stage: AstNode) => {
      if (stage.type === 'filter') {
        const f = this.compileFilter(stage.expr);
        return (input: Tuple[], env: Frame) => f(input, env) as Tuple[];
      }
      if (stage.type === 'index') {
        const name: string = stage.value;
        return (input: Tuple[]) => {
          M.charge(input.length, D_STEP);
          for (let ee = 0; ee < input.length; ee++) input[ee]![name] = ee;
          return input;
        };
      }
      return (input: Tuple[]) => input;
    });
    return (input, env) => {
      let result = input;
      for (let i = 0; i < ops.length; i++) result = ops[i]!(result, env);
      return result;
    };
  }

  /** evaluateFilter: a predicate over every item (an integer literal selects by position). */
  private compileFilter(predicate: AstNode): (input: unknown, env: Frame) => unknown {
    if (predicate.type === 'number') {
      const literal = Math.floor(predicate.value);
      return (input) => {
        M.charge(1, D_FILTER);
        let results: unknown[] = newSeq();
        if (input && (input as Sequence).tupleStream) (results as Sequence).tupleStream = true;
        const arr: unknown[] = Array.isArray(input) ? input : seqOf(input);
        let index = literal;
        if (index < 0) index = arr.length + index;
        const item = arr[index];
        if (item !== undefined) {
          if (Array.isArray(item)) results = item;
          else results.push(item);
        }
        return results;
      };
    }
    const ev = this.compile(predicate);
    return (input, env) => {
      const results = newSeq();
      const tupleStream = !!(input && (input as Sequence).tupleStream);
      if (tupleStream) results.tupleStream = true;
      const arr: unknown[] = Array.isArray(input) ? input : seqOf(input);
      const len = arr.length;
      M.charge(len, D_FILTER);
      for (let index = 0; index < len; index++) {
        const item = arr[index];
        let res: unknown;
        if (tupleStream) {
          res = ev((item as Tuple)['@'], Frame.fromTuple(env, item as Tuple));
        } else {
          res = ev(item, env);
        }
        if (res === true) {
          results.push(item);
          continue;
        }
        if (res === false || res === undefined) continue;
        if (isNumeric(res)) res = [res];
        if (isArrayOfNumbers(res)) {
          const nums = res as number[];
          for (let k = 0; k < nums.length; k++) {
            let ii = Math.floor(nums[k]!);
            if (ii < 0) ii = len + ii;
            if (ii === index) results.push(item);
          }
        } else if (toBoolean(res)) {
          results.push(item);
        }
      }
      return results;
    };
  }

  /** evaluateSortExpression (with functions.js sort: a stable merge sort; comparator true = swap). */
  private compileSort(node: AstNode): (input: unknown, env: Frame) => unknown {
    const terms = (node.terms as AstNode[]).map((t) => ({ ev: this.compile(t.expression), descending: t.descending === true }));
    const position: number | undefined = node.position;
    return (input, env) => {
      M.charge(1, D_EVAL);
      const isTupleSort = !!(input && (input as Sequence).tupleStream);
      const comparator = (a: unknown, b: unknown): boolean => {
        M.charge(1, D_SORT);
        let comp = 0;
        for (let index = 0; comp === 0 && index < terms.length; index++) {
          const term = terms[index]!;
          const aa = isTupleSort ? term.ev((a as Tuple)['@'], Frame.fromTuple(env, a as Tuple)) : term.ev(a, env);
          const bb = isTupleSort ? term.ev((b as Tuple)['@'], Frame.fromTuple(env, b as Tuple)) : term.ev(b, env);
          const atype = typeof aa;
          const btype = typeof bb;
          if (atype === 'undefined') {
            comp = btype === 'undefined' ? 0 : 1;
            continue;
          }
          if (btype === 'undefined') {
            comp = -1;
            continue;
          }
          if (!(atype === 'string' || atype === 'number') || !(btype === 'string' || btype === 'number')) {
            throw jsonataError('T2008', { position, value: !(atype === 'string' || atype === 'number') ? aa : bb });
          }
          if (atype !== btype) throw jsonataError('T2007', { position, value: aa, value2: bb });
          if (aa === bb) continue;
          comp = (aa as number) < (bb as number) ? -1 : 1;
          if (term.descending) comp = -comp;
        }
        return comp === 1;
      };
      if (input === undefined) return undefined;
      const arr = input as unknown[];
      if (arr.length <= 1) return arr;
      M.alloc(MEMORY_COST.arrayHeader + arr.length * MEMORY_COST.arraySlot, D_SORT);
      return mergeSort(arr, comparator);
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Names, variables, literals

  /** evaluateName: fn.lookup of the field (flattening over an array input). */
  private compileName(node: AstNode): Ev {
    const name: string = node.value;
    return (input) => {
      M.charge(1, D_EVAL);
      if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
        const o = input as Record<string, unknown>;
        const r = o[name];
        if (r === undefined || !hasOwn.call(o, name) || o._jsonata_function === true || o._jsonata_lambda === true) return undefined;
        return r;
      }
      return lookupField(input, name, M);
    };
  }

  private compileVariable(node: AstNode): Ev {
    const name: string = node.value;
    if (name === '') {
      return (input) => {
        M.charge(1, D_EVAL);
        return Array.isArray(input) && (input as Sequence).outerWrapper ? input[0] : input;
      };
    }
    if (name === '$') this.usesRoot = true;
    this.refuseIfRefused(node);
    const globals = this.settings.globals;
    if (globals !== undefined && !this.boundNames!.has(name)) {
      // Never bound by this program and it runs without bindings: the lookup would always end here.
      const value = globals.lookup(name);
      return () => {
        M.charge(1, D_EVAL);
        return value;
      };
    }
    return (_input, env) => {
      M.charge(1, D_EVAL);
      return env.lookup(name);
    };
  }

  private compileRegexLiteral(node: AstNode): Ev {
    let matcher: unknown;
    try {
      matcher = compileRegex(node.value as RegExp);
    } catch (err) {
      if (err instanceof RegexRefused) {
        throw edgescaleError(U_REGEX_REFUSED, `regular expression ${String(node.value)} is refused: ${err.message}`, {
          position: node.position,
          token: String(node.value),
        });
      }
      throw err;
    }
    return () => {
      M.charge(1, D_EVAL);
      return matcher;
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Operators (evaluateBinary, evaluateUnary)

  private compileBinary(node: AstNode): Ev {
    const op: string = node.value;
    const lhs = this.compile(node.lhs);
    const rhs = this.compile(node.rhs);
    const position: number | undefined = node.position;
    const fail = (err: unknown): never => {
      if (isJsonataErr(err)) {
        err.position = position;
        err.token = op;
      }
      throw err;
    };
    switch (op) {
      case 'and':
        return (input, env) => {
          M.charge(1, D_EVAL);
          const l = lhs(input, env);
          try {
            return boolize(l) && boolize(rhs(input, env));
          } catch (err) {
            return fail(err);
          }
        };
      case 'or':
        return (input, env) => {
          M.charge(1, D_EVAL);
          const l = lhs(input, env);
          try {
            return boolize(l) || boolize(rhs(input, env));
          } catch (err) {
            return fail(err);
          }
        };
      case '+':
      case '-':
      case '*':
      case '/':
      case '%': {
        const f = NUMERIC[op]!;
        const slow = (l: unknown, r: unknown): unknown => {
          try {
            return numericSlow(l, r, f);
          } catch (err) {
            return fail(err);
          }
        };
        // One closure per operator, so the fast case does its arithmetic inline.
        // Both finite numbers (x - x is 0 only for finite x): jsonata's checks all pass.
        const finite = (l: unknown, r: unknown): boolean => typeof l === 'number' && typeof r === 'number' && l - l === 0 && r - r === 0;
        switch (op) {
          case '+':
            return (input, env) => {
              M.charge(1, D_EVAL);
              const l = lhs(input, env);
              const r = rhs(input, env);
              return finite(l, r) ? (l as number) + (r as number) : slow(l, r);
            };
          case '-':
            return (input, env) => {
              M.charge(1, D_EVAL);
              const l = lhs(input, env);
              const r = rhs(input, env);
              return finite(l, r) ? (l as number) - (r as number) : slow(l, r);
            };
          case '*':
            return (input, env) => {
              M.charge(1, D_EVAL);
              const l = lhs(input, env);
              const r = rhs(input, env);
              return finite(l, r) ? (l as number) * (r as number) : slow(l, r);
            };
          case '/':
            return (input, env) => {
              M.charge(1, D_EVAL);
              const l = lhs(input, env);
              const r = rhs(input, env);
              return finite(l, r) ? (l as number) / (r as number) : slow(l, r);
            };
          default:
            return (input, env) => {
              M.charge(1, D_EVAL);
              const l = lhs(input, env);
              const r = rhs(input, env);
              return finite(l, r) ? (l as number) % (r as number) : slow(l, r);
            };
        }
      }
      case '=':
      case '!=': {
        const negate = op === '!=';
        return (input, env) => {
          M.charge(1, D_EVAL);
          const l = lhs(input, env);
          const r = rhs(input, env);
          if (l === undefined || r === undefined) return false;
          if (typeof l !== 'object' || typeof r !== 'object') return (l === r) !== negate;
          try {
            return deepEqual(l, r, M) !== negate;
          } catch (err) {
            return fail(err);
          }
        };
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        const cmp = COMPARE[op]!;
        const general = (l: unknown, r: unknown): unknown => {
          const lt = typeof l;
          if (lt === typeof r && (lt === 'number' || lt === 'string')) return cmp(l as number, r as number);
          try {
            return comparisonSlow(l, r, cmp);
          } catch (err) {
            return fail(err);
          }
        };
        // One closure per operator: two numbers are compared inline, anything else as above.
        switch (op) {
          case '<':
            return (input, env) => {
              M.charge(1, D_EVAL);
              const l = lhs(input, env);
              const r = rhs(input, env);
              return typeof l === 'number' && typeof r === 'number' ? l < r : general(l, r);
            };
          case '<=':
            return (input, env) => {
              M.charge(1, D_EVAL);
              const l = lhs(input, env);
              const r = rhs(input, env);
              return typeof l === 'number' && typeof r === 'number' ? l <= r : general(l, r);
            };
          case '>':
            return (input, env) => {
              M.charge(1, D_EVAL);
              const l = lhs(input, env);
              const r = rhs(input, env);
              return typeof l === 'number' && typeof r === 'number' ? l > r : general(l, r);
            };
          default:
            return (input, env) => {
              M.charge(1, D_EVAL);
              const l = lhs(input, env);
              const r = rhs(input, env);
              return typeof l === 'number' && typeof r === 'number' ? l >= r : general(l, r);
            };
        }
      }
      case '&':
        return (input, env) => {
          M.charge(1, D_EVAL);
          const l = lhs(input, env);
          const r = rhs(input, env);
          try {
            return concat(l, r);
          } catch (err) {
            return fail(err);
          }
        };
      case '..':
        return (input, env) => {
          M.charge(1, D_EVAL);
          const l = lhs(input, env);
          const r = rhs(input, env);
          try {
            return range(l, r);
          } catch (err) {
            return fail(err);
          }
        };
      case 'in':
        return (input, env) => {
          M.charge(1, D_EVAL);
          const l = lhs(input, env);
          const r = rhs(input, env);
          if (l === undefined || r === undefined) return false;
          const arr = Array.isArray(r) ? r : [r];
          M.charge(arr.length, D_FILTER);
          for (let i = 0; i < arr.length; i++) if (arr[i] === l) return true;
          return false;
        };
      default:
        return () => {
          M.charge(1, D_EVAL);
          return undefined;
        };
    }
  }

  private compileUnary(node: AstNode): Ev {
    switch (node.value) {
      case '-': {
        const expr = this.compile(node.expression);
        const position: number | undefined = node.position;
        return (input, env) => {
          M.charge(1, D_EVAL);
          const result = expr(input, env);
          if (result === undefined) return undefined;
          if (isNumeric(result)) return -result;
          throw jsonataError('D1002', { position, token: '-', value: result });
        };
      }
      case '[': {
        const items = (node.expressions as AstNode[]).map((item) => ({ ev: this.compile(item), nested: item.value === '[' }));
        const consarray = node.consarray === true;
        return (input, env) => {
          M.charge(1, D_EVAL);
          const result: unknown[] = [];
          for (let i = 0; i < items.length; i++) {
            const item = items[i]!;
            const value = item.ev(input, env);
            if (value === undefined) continue;
            // fn.append(result, value): an array's items are appended, anything else is pushed
            if (item.nested || !Array.isArray(value)) result.push(value);
            else for (let j = 0; j < value.length; j++) result.push(value[j]);
          }
          produced(result.length, D_ARRAY);
          if (consarray) Object.defineProperty(result, 'cons', { enumerable: false, configurable: false, value: true });
          return result;
        };
      }
      case '{':
        return this.compileGroup(node);
      default:
        return () => {
          M.charge(1, D_EVAL);
          return undefined;
        };
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Object constructor and group-by (evaluateGroupExpression, reduceTupleStream)

  private compileGroup(group: AstNode): (input: unknown, env: Frame) => unknown {
    const pairs = (group.lhs as AstNode[][]).map(([k, v]) => ({ key: this.compile(k), value: this.compile(v) }));
    const position: number | undefined = group.position;
    return (input, env) => {
      M.charge(1, D_EVAL);
      const result: Record<string, unknown> = Object.create(null);
      const groups: Record<string, { data: unknown; exprIndex: number; owned: boolean }> = Object.create(null);
      const reduce = !!(input && (input as Sequence).tupleStream);
      let items: unknown[] = Array.isArray(input) ? input : seqOf(input);
      // an empty input still builds the object once (for a literal object): jsonata pushes undefined
      if (items.length === 0 && !reduce) items = [undefined];
      M.charge(items.length * pairs.length * GROUP_ENTRY_UNITS, D_GROUP);
      for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
        const item = items[itemIndex];
        const ienv = reduce ? Frame.fromTuple(env, item as Tuple) : env;
        for (let pairIndex = 0; pairIndex < pairs.length; pairIndex++) {
          const key = pairs[pairIndex]!.key(reduce ? (item as Tuple)['@'] : item, ienv);
          if (typeof key !== 'string' && key !== undefined) throw jsonataError('T1003', { position, value: key });
          if (key === undefined) continue;
          if (key === '_jsonata_lambda' || key === '_jsonata_function') throw jsonataError('D1013', { position, value: key });
          const entry = groups[key];
          if (entry !== undefined) {
            if (entry.exprIndex !== pairIndex) throw jsonataError('D1009', { position, value: key });
            // fn.append(entry.data, item), without copying the whole array on every item
            if (item === undefined) continue;
            if (!entry.owned) {
              entry.data = Array.isArray(entry.data) ? entry.data.slice() : [entry.data];
              entry.owned = true;
            }
            const data = entry.data as unknown[];
            if (Array.isArray(item)) for (let j = 0; j < item.length; j++) data.push(item[j]);
            else data.push(item);
            M.alloc(MEMORY_COST.arraySlot, D_GROUP);
          } else {
            groups[key] = { data: item, exprIndex: pairIndex, owned: false };
          }
        }
      }
      const keys = Object.keys(groups);
      M.charge(keys.length, D_OBJECT);
      M.alloc(MEMORY_COST.objectHeader + keys.length * MEMORY_COST.objectProperty, D_OBJECT);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        const entry = groups[key]!;
        let context = entry.data;
        let venv = env;
        if (reduce) {
          const tuple = reduceTupleStream(entry.data);
          context = tuple['@'];
          delete tuple['@'];
          venv = Frame.fromTuple(env, tuple);
        }
        const value = pairs[entry.exprIndex]!.value(context, venv);
        if (value !== undefined) result[key] = hideFlags(value);
      }
      return result;
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Control flow (evaluateCondition, evaluateBlock)

  private compileCondition(node: AstNode): Ev {
    const cond = this.compile(node.condition);
    const then = this.compile(node.then);
    const otherwise = node.else !== undefined ? this.compile(node.else) : undefined;
    return (input, env) => {
      M.charge(1, D_EVAL);
      const c = cond(input, env);
      if (c === true || (c !== false && toBoolean(c))) return then(input, env);
      if (otherwise !== undefined) return otherwise(input, env);
      return undefined;
    };
  }

  private compileBlock(node: AstNode): Ev {
    const names = new Set<string>();
    collectBinds(node, names, true);
    this.scopes.push(names);
    let exprs: Ev[];
    try {
      exprs = (node.expressions as AstNode[]).map((e) => this.compile(e));
    } finally {
      this.scopes.pop();
    }
    // A block gets its own frame (jsonata always makes one); without a `:=` inside, nothing could be
    // bound in it, so the frame is skipped.
    const needsFrame = names.size > 0;
    const n = exprs.length;
    return (input, env) => {
      M.charge(1, D_EVAL);
      const frame = needsFrame ? new Frame(env) : env;
      let result: unknown = undefined;
      for (let i = 0; i < n; i++) result = exprs[i]!(input, frame);
      return result;
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Functions (evaluateFunction, evaluateLambda, evaluatePartialApplication, evaluateApplyExpression)

  /** evaluateFunction; `applyto` is the `~>` form, whose left side is the first argument. */
  private compileCall(node: AstNode): (input: unknown, env: Frame, applyto: boolean, context: unknown) => unknown {
    const procedure: AstNode = node.procedure;
    const procEv = this.compile(procedure);
    const argEvs: Ev[] = (node.arguments as AstNode[]).map((a) => this.compile(a));
    const nargs = argEvs.length;
    const procIsPath = procedure.type === 'path';
    const procName: string | undefined = procIsPath ? procedure.steps[0].value : procedure.value;
    const position: number | undefined = node.position;
    const known = this.staticGlobal(procedure);
    if (known !== undefined && typeof known === 'object' && known !== null && (known as Builtin)._jsonata_function === true) {
      return this.builtinCall(known as Builtin, argEvs, procName, position);
    }
    return (input, env, applyto, context) => {
      M.charge(1, D_CALL);
      const proc = procEv(input, env);
      if (proc === undefined && procIsPath && env.lookup(procName!)) {
        throw jsonataError('T1005', { position, token: procName });
      }
      const args: unknown[] = [];
      if (applyto) args.push(context);
      for (let i = 0; i < nargs; i++) {
        const arg = argEvs[i]!(input, env);
        args.push(isFunc(arg) ? wrapFunction(arg, env) : arg);
      }
      const isObj = typeof proc === 'object' && proc !== null;
      try {
        return apply(proc, args, input, env, isObj ? procName : undefined, isObj ? position : undefined);
      } catch (err) {
        if (isJsonataErr(err)) {
          if (!err.position) err.position = position;
          if (!err.token) err.token = procName;
        }
        throw err;
      }
    };
  }

  /** The value of a plain variable reference that always resolves to the globals (see compileVariable). */
  private staticGlobal(node: AstNode): unknown {
    const globals = this.settings.globals;
    if (globals === undefined || node.type !== 'variable' || node.predicate !== undefined || node.group !== undefined || node.keepArray === true) return undefined;
    const name: string = node.value;
    if (name === '' || this.boundNames!.has(name)) return undefined;
    return globals.lookup(name);
  }

  /**
   * The call closure for a procedure known at compile time to be `builtin` (a global nothing in the
   * expression can rebind): what the general closure, apply() and applyInner() do for a built-in, in
   * the same order with the same charges and error annotations, without dispatching on the procedure.
   */
  private builtinCall(
    builtin: Builtin,
    argEvs: Ev[],
    procName: string | undefined,
    position: number | undefined,
  ): (input: unknown, env: Frame, applyto: boolean, context: unknown) => unknown {
    const nargs = argEvs.length;
    const sig = builtin.validator ?? (typeof builtin.signature === 'object' ? (builtin.signature as SignatureValidator) : undefined);
    const impl = builtin.implementation;
    return (input, env, applyto, context) => {
      M.charge(1, D_CALL);
      M.charge(1, D_EVAL); // the procedure's variable
      const args: unknown[] = [];
      if (applyto) args.push(context);
      for (let i = 0; i < nargs; i++) {
        const arg = argEvs[i]!(input, env);
        args.push(isFunc(arg) ? wrapFunction(arg, env) : arg);
      }
      try {
        // apply()
        if (++DEPTH > MAX_DEPTH) {
          DEPTH--;
          throw stackOverflow();
        }
        try {
          let result: unknown;
          // applyInner()
          try {
            const validated = sig !== undefined ? sig.validate(args, input) : args;
            const focus: Focus = { input, rt: RT };
            result = impl.apply(focus, wrapForBuiltin(validated, env));
          } catch (err) {
            if (isJsonataErr(err)) {
              if (err.token === undefined && procName !== undefined) err.token = procName;
              err.position = position || err.position;
            }
            throw err;
          }
          if (isLambda(result) && result.thunk === true) result = runThunks(result, input, env);
          return result;
        } finally {
          DEPTH--;
        }
      } catch (err) {
        if (isJsonataErr(err)) {
          if (!err.position) err.position = position;
          if (!err.token) err.token = procName;
        }
        throw err;
      }
    };
  }

  private compileLambda(node: AstNode): Ev {
    const params: ReadonlyArray<{ value: string }> = node.arguments;
    if (node.thunk === true) {
      // A tail call: the trampoline in apply() evaluates the procedure and arguments in this frame.
      const body: AstNode = node.body;
      const thunkCall: ThunkCall = {
        proc: this.compile(body.procedure),
        args: (body.arguments as AstNode[]).map((a) => this.compile(a)),
        token: body.procedure.type === 'variable' ? body.procedure.value : undefined,
        position: body.procedure.position,
      };
      return (input, env) => {
        M.charge(1, D_EVAL);
        const thunk: Lambda = { _jsonata_lambda: true, input, environment: env, arguments: params, thunk: true, thunkCall };
        return thunk;
      };
    }
    const body = this.compileScope(
      node.body,
      params.map((p) => p.value),
    );
    const signature: SignatureValidator | undefined = node.signature;
    return (input, env) => {
      M.charge(1, D_EVAL);
      M.alloc(MEMORY_COST.closure, D_EVAL);
      const lambda: Lambda = { _jsonata_lambda: true, input, environment: env, arguments: params, body };
      if (signature !== undefined) lambda.signature = signature;
      return lambda;
    };
  }

  private compilePartial(node: AstNode): Ev {
    const procedure: AstNode = node.procedure;
    const args = (node.arguments as AstNode[]).map((a) => (a.type === 'operator' && a.value === '?' ? PLACEHOLDER : this.compile(a)));
    const procEv = this.compile(procedure);
    const procIsPath = procedure.type === 'path';
    const procName: string | undefined = procIsPath ? procedure.steps[0].value : procedure.value;
    const position: number | undefined = node.position;
    return (input, env) => {
      M.charge(1, D_CALL);
      const evaluated = args.map((a) => (a === PLACEHOLDER ? PLACEHOLDER : a(input, env)));
      const proc = procEv(input, env);
      if (proc === undefined && procIsPath && env.lookup(procName!)) {
        throw jsonataError('T1007', { position, token: procName });
      }
      if (isLambda(proc)) return partialApplyProcedure(proc, evaluated, env);
      if (typeof proc === 'object' && proc !== null && (proc as Builtin)._jsonata_function === true) {
        return partialApplyNative((proc as Builtin).implementation as NativeFn, evaluated, env);
      }
      if (typeof proc === 'function') return partialApplyNative(proc as NativeFn, evaluated, env);
      throw jsonataError('T1008', { position, token: procName });
    };
  }

  private compileApply(node: AstNode): Ev {
    const lhs = this.compile(node.lhs);
    const position: number | undefined = node.position;
    if (node.rhs.type === 'function') {
      // a function invocation: the left side becomes its first argument
      const call = this.compileCall(node.rhs);
      return (input, env) => {
        M.charge(1, D_EVAL);
        return call(input, env, true, lhs(input, env));
      };
    }
    const rhs = this.compile(node.rhs);
    return (input, env) => {
      M.charge(1, D_EVAL);
      const l = lhs(input, env);
      const func = rhs(input, env);
      if (!isFunc(func)) throw jsonataError('T2006', { position, value: func });
      if (isFunc(l)) {
        // function chaining: λ($f, $g) { λ($x){ $g($f($x)) } }
        const chain = getChain()(null, env);
        return apply(chain, [l, func], null, env, undefined, undefined);
      }
      return apply(func, [l], null, env, undefined, undefined);
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Transform (evaluateTransformExpression)

  private compileTransform(node: AstNode): Ev {
    const pattern = this.compile(node.pattern);
    const update = this.compile(node.update);
    const del = node.delete !== undefined ? this.compile(node.delete) : undefined;
    const position: number | undefined = node.position;
    const updatePosition: number | undefined = node.update.position;
    const deletePosition: number | undefined = node.delete?.position;
    return (_input, env) => {
      M.charge(1, D_EVAL);
      M.alloc(MEMORY_COST.closure, D_EVAL);
      const transformer = function (this: Focus, obj: unknown): unknown {
        if (obj === undefined) return undefined;
        const cloneFunction = env.lookup('clone');
        if (!isFunc(cloneFunction)) throw jsonataError('T2013', { position });
        // the library's $clone is metered (and so is the fallback below, if the library had none)
        const result = apply(cloneFunction, [obj], null, env, undefined, undefined);
        let matches = pattern(result, env);
        if (matches !== undefined) {
          if (!Array.isArray(matches)) matches = [matches];
          const list = matches as unknown[];
          M.charge(list.length, D_EVAL);
          for (let ii = 0; ii < list.length; ii++) {
            const match = list[ii] as Record<string, unknown>;
            const upd = update(match, env);
            if (upd !== undefined) {
              if (typeof upd !== 'object' || upd === null || Array.isArray(upd)) {
                throw jsonataError('T2011', { position: updatePosition, value: upd });
              }
              const props = Object.keys(upd);
              M.charge(props.length, D_OBJECT);
              M.alloc(props.length * MEMORY_COST.objectProperty, D_OBJECT);
              if (typeof match === 'object' && match !== null) {
                for (const prop of props) match[prop] = (upd as Record<string, unknown>)[prop];
              }
            }
            if (del !== undefined) {
              let deletions = del(match, env);
              if (deletions !== undefined) {
                const val = deletions;
                if (!Array.isArray(deletions)) deletions = [deletions];
                if (!isArrayOfStrings(deletions)) throw jsonataError('T2012', { position: deletePosition, value: val });
                const names = deletions as string[];
                M.charge(names.length, D_OBJECT);
                for (let jj = 0; jj < names.length; jj++) {
                  if (typeof match === 'object' && match !== null) delete match[names[jj]!];
                }
              }
            }
          }
        }
        return result;
      };
      const fn: Builtin = {
        _jsonata_function: true,
        name: 'transform',
        signature: '<(oa):o>',
        validator: getTransformSignature(),
        implementation: transformer,
      };
      return fn;
    };
  }
}

/**
 * evaluateStep for a plain field-name step, with the name node's evaluation (fn.lookup and evaluate's
 * unwrapping) inlined into the loop: the same result as the general step, without a call per item.
 */
function compileNameStep(name: string): (input: unknown[], env: Frame, lastStep: boolean) => unknown {
  return (input, _env, lastStep) => {
    const len = input.length;
    M.charge(1 + 2 * len, D_STEP);
    const out = newSeq();
    let first: unknown = undefined;
    let count = 0;
    for (let i = 0; i < len; i++) {
      const item = input[i];
      let res: unknown;
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
        const o = item as Record<string, unknown>;
        res = o[name];
        if (res === undefined || !hasOwn.call(o, name) || o._jsonata_function === true || o._jsonata_lambda === true) continue;
        if (Array.isArray(res) && (res as Sequence).sequence === true) {
          res = finish(res, false);
          if (res === undefined) continue;
        }
      } else {
        res = finish(lookupField(item, name, M), false);
        if (res === undefined) continue;
      }
      if (count++ === 0) first = res;
      if (!Array.isArray(res) || (res as { cons?: boolean }).cons) {
        out.push(res);
      } else {
        for (let j = 0; j < res.length; j++) out.push(res[j]);
      }
    }
    if (lastStep && count === 1 && Array.isArray(first) && !isSeq(first)) return first;
    produced(out.length, D_STEP);
    return out;
  };
}

/** Node types whose evaluation can return a sequence (the others skip evaluate()'s unwrapping). */
function mayBeSequence(node: AstNode): boolean {
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value':
    case 'lambda':
    case 'regex':
    case 'transform':
    case 'unary':
    case 'partial':
      return false;
    case 'binary':
      return node.value === '..';
    default:
      return true;
  }
}

// ---------------------------------------------------------------------------------------------------
// Operator helpers (evaluateNumericExpression, evaluateComparisonExpression, evaluateStringConcat,
// evaluateRangeExpression)

const NUMERIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
};

function numericSlow(lhs: unknown, rhs: unknown, f: (a: number, b: number) => number): number | undefined {
  if (lhs !== undefined && !isNumeric(lhs)) throw jsonataError('T2001', { value: lhs });
  if (rhs !== undefined && !isNumeric(rhs)) throw jsonataError('T2002', { value: rhs });
  if (lhs === undefined || rhs === undefined) return undefined;
  return f(lhs as number, rhs as number);
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function comparisonSlow(lhs: unknown, rhs: unknown, cmp: (a: number, b: number) => boolean): boolean | undefined {
  const ltype = typeof lhs;
  const rtype = typeof rhs;
  const lcomparable = ltype === 'undefined' || ltype === 'string' || ltype === 'number';
  const rcomparable = rtype === 'undefined' || rtype === 'string' || rtype === 'number';
  if (!lcomparable || !rcomparable) {
    throw jsonataError('T2010', { value: !(ltype === 'string' || ltype === 'number') ? lhs : rhs });
  }
  if (ltype === 'undefined' || rtype === 'undefined') return undefined;
  if (ltype !== rtype) throw jsonataError('T2009', { value: lhs, value2: rhs });
  return cmp(lhs as number, rhs as number);
}

function concat(lhs: unknown, rhs: unknown): string {
  const lstr = lhs === undefined ? '' : toJsonataString(lhs)!;
  const rstr = rhs === undefined ? '' : toJsonataString(rhs)!;
  const length = lstr.length + rstr.length;
  if (length > RT.maxStringLength) {
    throw edgescaleError(U_STRING_TOO_LONG, `string of ${length} characters exceeds the limit of ${RT.maxStringLength}`, { value: length });
  }
  M.charge(length >>> 4, D_CONCAT);
  M.alloc(MEMORY_COST.stringHeader + length * MEMORY_COST.stringChar, D_CONCAT);
  return lstr + rstr;
}

function range(lhs: unknown, rhs: unknown): Sequence | undefined {
  if (lhs !== undefined && !Number.isInteger(lhs)) throw jsonataError('T2003', { value: lhs });
  if (rhs !== undefined && !Number.isInteger(rhs)) throw jsonataError('T2004', { value: rhs });
  if (lhs === undefined || rhs === undefined) return undefined;
  const lo = lhs as number;
  const hi = rhs as number;
  if (lo > hi) return undefined;
  const size = hi - lo + 1;
  if (size > MAX_RANGE_SIZE) throw jsonataError('D2014', { value: size });
  if (size > RT.maxArrayLength) throw tooManyItems(size);
  // refuse before allocating: charge the whole range first
  M.charge(size, D_RANGE);
  M.alloc(MEMORY_COST.arrayHeader + size * MEMORY_COST.arraySlot, D_RANGE);
  const result = new Array<number>(size);
  for (let item = lo, index = 0; item <= hi; item++, index++) result[index] = item;
  return markSeq(result);
}

/** functions.js sort's merge sort, with the same comparisons in the same order; the result is a new plain array. */
function mergeSort(arr: unknown[], comp: (a: unknown, b: unknown) => boolean): unknown[] {
  const merge = (l: unknown[], r: unknown[]): unknown[] => {
    const result: unknown[] = [];
    let i = 0;
    let j = 0;
    while (i < l.length && j < r.length) {
      if (comp(l[i], r[j])) result.push(r[j++]);
      else result.push(l[i++]);
    }
    while (i < l.length) result.push(l[i++]);
    while (j < r.length) result.push(r[j++]);
    return result;
  };
  const msort = (array: unknown[]): unknown[] => {
    if (array.length <= 1) return array;
    const middle = Math.floor(array.length / 2);
    const left = msort(array.slice(0, middle));
    const right = msort(array.slice(middle));
    return merge(left, right);
  };
  return msort(arr);
}

/** reduceTupleStream: the tuples of one group merged, each binding appended (on a copy). */
function reduceTupleStream(tupleStream: unknown): Tuple {
  if (!Array.isArray(tupleStream)) return Object.assign(Object.create(null) as Tuple, tupleStream as Tuple);
  const result: Tuple = Object.create(null);
  Object.assign(result, tupleStream[0]);
  for (let ii = 1; ii < tupleStream.length; ii++) {
    const t = tupleStream[ii] as Tuple;
    for (const prop of Object.keys(t)) result[prop] = append(result[prop], t[prop]);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Wildcard and descendants (evaluateWildcard, evaluateDescendants)

function compileWildcard(): Ev {
  return (input) => {
    M.charge(1, D_EVAL);
    let value = input;
    if (Array.isArray(value) && (value as Sequence).outerWrapper && value.length > 0) value = value[0];
    const results: unknown[] = [];
    // jsonata appends arrays with concat, which turns its sequence into a plain array: keep that
    let plain = false;
    if (value !== null && typeof value === 'object' && !isFunc(value)) {
      const keys = Object.keys(value);
      M.charge(keys.length, D_STEP);
      for (const key of keys) {
        const v = (value as Record<string, unknown>)[key];
        if (Array.isArray(v)) {
          const flat = flatten(v);
          for (let i = 0; i < flat.length; i++) results.push(flat[i]);
          plain = true;
        } else {
          results.push(v);
        }
      }
    }
    produced(results.length, D_STEP);
    return plain ? results : markSeq(results);
  };
}

function compileDescendants(): Ev {
  const recurse = (input: unknown, results: unknown[]): void => {
    M.charge(1, D_DESCEND);
    if (Array.isArray(input)) {
      for (let i = 0; i < input.length; i++) recurse(input[i], results);
      return;
    }
    results.push(input);
    if (input !== null && typeof input === 'object' && !isFunc(input)) {
      for (const key of Object.keys(input)) recurse((input as Record<string, unknown>)[key], results);
    }
  };
  return (input) => {
    M.charge(1, D_EVAL);
    if (input === undefined) return undefined;
    const results = newSeq();
    recurse(input, results);
    produced(results.length, D_DESCEND);
    return results.length === 1 ? results[0] : results;
  };
}

// ---------------------------------------------------------------------------------------------------
// The chaining lambda of `~>` between two functions

let chainEv: Ev | undefined;
function getChain(): Ev {
  chainEv ??= compileAst(jsonata('function($f, $g) { function($x){ $g($f($x)) } }').ast(), { functionNames: new Set() }).root;
  return chainEv;
}

// ---------------------------------------------------------------------------------------------------
// Running a program (jsonata's evaluate entry: the frames, the input wrapping, the error messages)

/** The frame holding the extra functions of CompileOptions.functions, under the built-ins. */
export function functionsFrame(functions: ReadonlyMap<string, Builtin> | undefined): Frame {
  const base = getBuiltinsFrame();
  if (functions === undefined || functions.size === 0) return base;
  const frame = new Frame(base);
  for (const [name, fn] of functions) frame.bind(name, fn);
  return frame;
}

function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

/** Turn what evaluation threw into what callers see: JsonataError (message from jsonata's catalog) or BudgetExceeded. */
function normalizeError(err: unknown): unknown {
  if (err instanceof BudgetExceeded) return err;
  if (isStackOverflow(err)) return stackOverflow();
  if (err instanceof JsonataError) {
    populateMessage(err as unknown as Record<string, unknown>);
    return err;
  }
  if (typeof err === 'object' && err !== null && !(err instanceof Error) && typeof (err as { code?: unknown }).code === 'string') {
    // jsonata's own plain-object errors (e.g. from a lambda signature's validate); Error subclasses
    // of the host's (edgescale's helpers) pass through as they are
    const plain = err as Record<string, unknown>;
    const out = new JsonataError(plain.code as string, typeof plain.message === 'string' ? plain.message : (plain.code as string));
    for (const [k, v] of Object.entries(plain)) if (k !== 'stack' && k !== 'message') (out as unknown as Record<string, unknown>)[k] = v;
    populateMessage(out as unknown as Record<string, unknown>);
    return out;
  }
  return err;
}

export function runProgram(
  program: Program,
  globals: Frame,
  input: unknown,
  bindings: Readonly<Record<string, unknown>> | undefined,
  rt: Runtime,
  maxCallDepth: number,
): unknown {
  const savedM = M;
  const savedRT = RT;
  const savedDepth = DEPTH;
  const savedMax = MAX_DEPTH;
  M = rt.meter;
  RT = rt;
  DEPTH = 0;
  MAX_DEPTH = maxCallDepth;
  try {
    // The evaluation's own frame, under the globals. Nothing is ever bound in it when there are no
    // bindings, no `$$` and no `:=` in the outermost scope (blocks and lambdas bind in frames of their
    // own), and then the globals frame itself serves: every lookup through it ends the same way.
    let exec = globals;
    if (bindings !== undefined || program.usesRoot || program.bindsAtRoot !== false) {
      exec = new Frame(globals);
      if (bindings !== undefined) for (const name of Object.keys(bindings)) exec.bind(name, bindings[name]);
      if (program.usesRoot) exec.bind('$', input);
    }
    let value = input;
    if (Array.isArray(input) && !isSeq(input)) {
      const wrapped = seqOf(input);
      wrapped.outerWrapper = true;
      value = wrapped;
    }
    return hideFlags(program.root(value, exec));
  } catch (err) {
    throw normalizeError(err);
  } finally {
    M = savedM;
    RT = savedRT;
    DEPTH = savedDepth;
    MAX_DEPTH = savedMax;
  }
}
