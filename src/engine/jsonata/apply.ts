// Applying function values (jsonata's apply, applyInner, applyProcedure, partial application): lambdas, built-ins, JS functions.
//
// Tail calls (parser.js tailCallOptimize) come back from a lambda body as thunks, which apply's
// trampoline (runThunks) runs in a loop rather than nesting; every other application counts
// towards the call-depth limit (state.ts).
import type { Ev } from './ast.js';
import { D_CALL } from './charges.js';
import { annotateApplied, isJsonataErr } from './errors.js';
import { Frame } from './frame.js';
import { jsonataError } from './messages.js';
import { MEMORY_COST, type Builtin, type Focus, type JsFunctionArg, type SignatureValidator } from './runtime.js';
import { enterCall, leaveCall, M, RT } from './state.js';
import { functionArity } from './values.js';

/** A lambda value (jsonata's evaluateLambda procedure object). */
export interface Lambda {
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

export interface ThunkCall {
  proc: Ev;
  args: Ev[];
  token: string | undefined;
  position: number | undefined;
}

export type NativeFn = (this: unknown, ...args: unknown[]) => unknown;

/** The placeholder `?` of a partial application. */
export const PLACEHOLDER: unique symbol = Symbol('jsonata partial placeholder');

/** Marks the JS closures this module wraps function values in, so they are not wrapped twice for a built-in. */
const WRAPPED: unique symbol = Symbol('jsonata wrapped function');

export function isLambda(value: unknown): value is Lambda {
  return typeof value === 'object' && value !== null && (value as Lambda)._jsonata_lambda === true;
}

/**
 * A function value as a plain JS closure with its arity (evaluateFunction: "wrap this in a closure"),
 * which is how built-ins receive function arguments.
 */
export function wrapFunction(fn: unknown, env: Frame): JsFunctionArg {
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
export function wrapForBuiltin(args: unknown[], env: Frame): unknown[] {
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

/** A built-in's signature validator: its own, or the one jsonata's parser left in `signature`. */
export function builtinValidator(builtin: Builtin & { signature?: unknown }): SignatureValidator | undefined {
  return builtin.validator ?? (typeof builtin.signature === 'object' ? (builtin.signature as SignatureValidator) : undefined);
}

/** jsonata's apply: applyInner, then the trampoline that runs tail calls (thunks) without nesting. */
export function apply(proc: unknown, args: unknown[], input: unknown, env: Frame, token: string | undefined, position: number | undefined): unknown {
  enterCall();
  try {
    const result = applyInner(proc, args, input, env, token, position);
    return isLambda(result) && result.thunk === true ? runThunks(result, input, env) : result;
  } finally {
    leaveCall();
  }
}

/** apply's trampoline: run tail calls (thunks) until a value that is not one comes back. */
export function runThunks(thunk: Lambda, input: unknown, env: Frame): unknown {
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
        const builtin = proc as Builtin;
        const sig = builtinValidator(builtin);
        const validated = sig !== undefined ? sig.validate(args, input) : args;
        if (builtin.invoke !== undefined) return builtin.invoke(RT, wrapForBuiltin(validated, env));
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
    if (proc && isJsonataErr(err)) annotateApplied(err, token, position);
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
export function partialApplyProcedure(proc: Lambda, args: unknown[], env: Frame): Lambda {
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
export function partialApplyNative(native: NativeFn, args: unknown[], env: Frame): Lambda {
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

