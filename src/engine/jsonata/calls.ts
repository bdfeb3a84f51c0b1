// Function nodes (jsonata's evaluateFunction, evaluateLambda, evaluatePartialApplication, evaluateApplyExpression): calls, lambdas, `?` partials, `~>`.
import jsonata from 'jsonata';
import {
  apply,
  builtinValidator,
  isLambda,
  partialApplyNative,
  partialApplyProcedure,
  PLACEHOLDER,
  runThunks,
  wrapForBuiltin,
  wrapFunction,
  type Lambda,
  type NativeFn,
  type ThunkCall,
} from './apply.js';
import type { AstNode, Ev } from './ast.js';
import { D_CALL, D_EVAL } from './charges.js';
import { compileAst, type Compiler } from './compile.js';
import { annotateApplied, annotateCall, isJsonataErr } from './errors.js';
import type { Frame } from './frame.js';
import { jsonataError } from './messages.js';
import { MEMORY_COST, type Builtin, type Focus, type SignatureValidator } from './runtime.js';
import { enterCall, leaveCall, M, RT } from './state.js';
import { finish } from './sequences.js';
import { isFunc } from './values.js';

/** A compiled call; `applyto` is the `~>` form, whose left side (`context`) is the first argument. */
type CallEv = (input: unknown, env: Frame, applyto: boolean, context: unknown) => unknown;

/** The name a call's procedure is reported by: the variable's, or a path's first step's. */
function procedureName(procedure: AstNode): string | undefined {
  return procedure.type === 'path' ? procedure.steps[0].value : procedure.value;
}

/** evaluateFunction. */
export function compileCall(c: Compiler, node: AstNode): CallEv {
  const procedure: AstNode = node.procedure;
  const procEv = c.compile(procedure);
  const argEvs: Ev[] = (node.arguments as AstNode[]).map((a) => c.compile(a));
  const nargs = argEvs.length;
  const procIsPath = procedure.type === 'path';
  const procName = procedureName(procedure);
  const position: number | undefined = node.position;
  const known = c.staticGlobal(procedure);
  if (known !== undefined && typeof known === 'object' && known !== null && (known as Builtin)._jsonata_function === true) {
    return builtinCall(known as Builtin, argEvs, procName, position);
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
      annotateCall(err, position, procName);
      throw err;
    }
  };
}

/**
 * The call closure for a procedure known at compile time to be `builtin` (a global nothing in the
 * expression can rebind): what the general closure, apply() and applyInner() do for a built-in, in
 * the same order with the same charges and error annotations, without dispatching on the procedure.
 * The arguments' loop and applyInner's part are written out here, not shared with compileCall and
 * applyInner: each call site keeps its own type feedback (see hasOwn in sequences.ts).
 */
function builtinCall(builtin: Builtin, argEvs: Ev[], procName: string | undefined, position: number | undefined): CallEv {
  const nargs = argEvs.length;
  const sig = builtinValidator(builtin);
  const impl = builtin.implementation;
  const invoke = builtin.invoke;
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
      enterCall(); // apply()
      try {
        let result: unknown;
        try {
          // applyInner()
          const validated = sig !== undefined ? sig.validate(args, input) : args;
          if (invoke !== undefined) {
            result = invoke(RT, wrapForBuiltin(validated, env));
          } else {
            const focus: Focus = { input, rt: RT };
            result = impl.apply(focus, wrapForBuiltin(validated, env));
          }
        } catch (err) {
          if (isJsonataErr(err)) annotateApplied(err, procName, position);
          throw err;
        }
        if (isLambda(result) && result.thunk === true) result = runThunks(result, input, env);
        return result;
      } finally {
        leaveCall();
      }
    } catch (err) {
      annotateCall(err, position, procName);
      throw err;
    }
  };
}

/**
 * A call node (`$f(…)`, no `~>`) whose procedure is known at compile time to be a built-in with a
 * signature fastValidator covers, as an expression: what compile() makes of it (builtinCall's closure
 * under evaluate()'s unwrapping), as one closure. Arguments that pass the fast check go to the
 * built-in as they are: every function value among them was wrapped as it was evaluated, so
 * wrapForBuiltin would return them unchanged. Undefined for any other call (compile() then makes it
 * as before); decided before anything of the node is compiled.
 */
export function compileBuiltinCallExpr(c: Compiler, node: AstNode): Ev | undefined {
  const procedure: AstNode = node.procedure;
  const known = c.staticGlobal(procedure);
  if (known === undefined || typeof known !== 'object' || known === null || (known as Builtin)._jsonata_function !== true) return undefined;
  const builtin = known as Builtin;
  const sig = builtinValidator(builtin);
  const fast = sig?.fast;
  if (sig === undefined || fast === undefined) return undefined;
  c.compile(procedure); // as compileCall does (the closure is not needed: the procedure is known)
  const argEvs: Ev[] = (node.arguments as AstNode[]).map((a) => c.compile(a));
  const nargs = argEvs.length;
  const procName = procedureName(procedure);
  const position: number | undefined = node.position;
  const impl = builtin.implementation;
  const invoke = builtin.invoke;
  /**
   * apply() and applyInner() for the evaluated, wrapped arguments: validation (the fast check, the
   * full one as fallback), the call (without apply() for one or two arguments), thunks, unwrapping,
   * and the error annotations; one copy shared by the arities below.
   */
  const applyArgs = (args: unknown[], input: unknown, env: Frame): unknown => {
    try {
      enterCall(); // apply()
      try {
        let result: unknown;
        try {
          // applyInner()
          const validated = fast(args) ?? wrapForBuiltin(sig.validate(args, input), env);
          if (invoke !== undefined) {
            result = invoke(RT, validated);
          } else {
            const focus: Focus = { input, rt: RT };
            const n = validated.length;
            result = n === 1 ? impl.call(focus, validated[0]) : n === 2 ? impl.call(focus, validated[0], validated[1]) : impl.apply(focus, validated);
          }
        } catch (err) {
          if (isJsonataErr(err)) annotateApplied(err, procName, position);
          throw err;
        }
        if (isLambda(result) && result.thunk === true) result = runThunks(result, input, env);
        return finish(result, false);
      } finally {
        leaveCall();
      }
    } catch (err) {
      annotateCall(err, position, procName);
      throw err;
    }
  };
  if (nargs === 1) {
    // one argument: its list written as a literal
    const arg0 = argEvs[0]!;
    return (input, env) => {
      M.charge(1, D_CALL);
      M.charge(1, D_EVAL); // the procedure's variable
      const a0 = arg0(input, env);
      return applyArgs([isFunc(a0) ? wrapFunction(a0, env) : a0], input, env);
    };
  }
  if (nargs === 2) {
    // two arguments, evaluated (and their functions wrapped) in order
    const arg0 = argEvs[0]!;
    const arg1 = argEvs[1]!;
    return (input, env) => {
      M.charge(1, D_CALL);
      M.charge(1, D_EVAL); // the procedure's variable
      const a0 = arg0(input, env);
      const w0 = isFunc(a0) ? wrapFunction(a0, env) : a0;
      const a1 = arg1(input, env);
      return applyArgs([w0, isFunc(a1) ? wrapFunction(a1, env) : a1], input, env);
    };
  }
  return (input, env) => {
    M.charge(1, D_CALL);
    M.charge(1, D_EVAL); // the procedure's variable
    const args: unknown[] = [];
    for (let i = 0; i < nargs; i++) {
      const arg = argEvs[i]!(input, env);
      args.push(isFunc(arg) ? wrapFunction(arg, env) : arg);
    }
    return applyArgs(args, input, env);
  };
}

export function compileLambda(c: Compiler, node: AstNode): Ev {
  const params: ReadonlyArray<{ value: string }> = node.arguments;
  if (node.thunk === true) {
    // A tail call: the trampoline in apply() evaluates the procedure and arguments in this frame.
    const body: AstNode = node.body;
    const thunkCall: ThunkCall = {
      proc: c.compile(body.procedure),
      args: (body.arguments as AstNode[]).map((a) => c.compile(a)),
      token: body.procedure.type === 'variable' ? body.procedure.value : undefined,
      position: body.procedure.position,
    };
    return (input, env) => {
      M.charge(1, D_EVAL);
      const thunk: Lambda = { _jsonata_lambda: true, input, environment: env, arguments: params, thunk: true, thunkCall };
      return thunk;
    };
  }
  const body = c.compileScope(
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

export function compilePartial(c: Compiler, node: AstNode): Ev {
  const procedure: AstNode = node.procedure;
  const args = (node.arguments as AstNode[]).map((a) => (a.type === 'operator' && a.value === '?' ? PLACEHOLDER : c.compile(a)));
  const procEv = c.compile(procedure);
  const procIsPath = procedure.type === 'path';
  const procName = procedureName(procedure);
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

export function compileApply(c: Compiler, node: AstNode): Ev {
  const lhs = c.compile(node.lhs);
  const position: number | undefined = node.position;
  if (node.rhs.type === 'function') {
    // a function invocation: the left side becomes its first argument
    const call = compileCall(c, node.rhs);
    return (input, env) => {
      M.charge(1, D_EVAL);
      return call(input, env, true, lhs(input, env));
    };
  }
  const rhs = c.compile(node.rhs);
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
let chainEv: Ev | undefined;
/** The chaining lambda of `~>` between two functions, compiled on first use. */
function getChain(): Ev {
  chainEv ??= compileAst(jsonata('function($f, $g) { function($x){ $g($f($x)) } }').ast(), { functionNames: new Set() }).root;
  return chainEv;
}
