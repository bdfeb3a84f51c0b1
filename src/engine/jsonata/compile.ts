// Compiles jsonata's processed AST into JavaScript closures, one per node: the entry point and the dispatch on node types.
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
// The compilers of the larger node kinds have files of their own (paths, steps, operators,
// constructors, order, calls, transform, wildcards); this file holds the Compiler (scopes, refusals,
// what is known about globals), evaluate()'s wrapping, and the small leaves. Closures read the
// evaluation's meter and runtime from state.ts; charges.ts says what they charge.
import type { AstNode, Ev } from './ast.js';
import { collectBinds, collectBoundNames, collectTupleNames, mayBeSequence } from './ast.js';
import { compileApply, compileBuiltinCallExpr, compileCall, compileLambda, compilePartial } from './calls.js';
import { D_EVAL } from './charges.js';
import { compileGroup } from './constructors.js';
import { Frame } from './frame.js';
import { REFUSED_FUNCTIONS } from './library.js';
import { edgescaleError, U_FUNCTION_REFUSED, U_REGEX_REFUSED } from './messages.js';
import { compileBinary, compileUnary } from './operators.js';
import { compilePath } from './paths.js';
import { compileRegex, RegexRefused } from './regex.js';
import type { Sequence } from './runtime.js';
import { finish, hasOwn } from './sequences.js';
import { M } from './state.js';
import { compileFilter } from './steps.js';
import { compileTransform } from './transform.js';
import { lookupField, toBoolean } from './values.js';
import { compileDescendants, compileWildcard } from './wildcards.js';

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
  /** usesRoot || bindsAtRoot: whether an evaluation needs a frame of its own even without bindings */
  readonly needsFrame: boolean;
}

/** Compile a processed AST (jsonata(source).ast()). Throws JsonataError for refusals (U3xxx). */
export function compileAst(ast: AstNode, settings: CompileSettings): Program {
  const c = new Compiler(settings, ast);
  const root = c.compileScope(ast, []);
  const rootBinds = new Set<string>();
  collectBinds(ast, rootBinds, true);
  const bindsAtRoot = rootBinds.size > 0;
  return { root, usesRoot: c.usesRoot, bindsAtRoot, needsFrame: c.usesRoot || bindsAtRoot };
}

/** A node whose value is known when compiling (a literal, a regex, a global): one unit of work, then the value. */
export function literal(value: unknown): Ev {
  return () => {
    M.charge(1, D_EVAL);
    return value;
  };
}

export class Compiler {
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
    return this.inScope(names, () => this.compile(node));
  }

  private inScope<T>(names: Set<string>, compile: () => T): T {
    this.scopes.push(names);
    try {
      return compile();
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

  /**
   * The globals frame, when a variable of this name can only resolve there: the program runs without
   * bindings and nothing in it binds the name.
   */
  private globalsFor(name: string): Frame | undefined {
    const globals = this.settings.globals;
    return globals !== undefined && !this.boundNames!.has(name) ? globals : undefined;
  }

  /** The value of a plain variable reference that always resolves to the globals (see compileVariable). */
  staticGlobal(node: AstNode): unknown {
    if (node.type !== 'variable' || node.predicate !== undefined || node.group !== undefined || node.keepArray === true) return undefined;
    const name: string = node.value;
    if (name === '') return undefined;
    return this.globalsFor(name)?.lookup(name);
  }

  // jsonata's evaluate(): the node's own evaluation, then its predicates, its group-by, and the
  // sequence unwrapping (keepArray keeps a singleton sequence).
  compile(node: AstNode): Ev {
    if (node.type === 'path' && node.predicate === undefined && node.keepArray !== true) {
      // a path does its own unwrapping (its fast path never makes a sequence to unwrap)
      return compilePath(this, node, true);
    }
    if (node.predicate === undefined && node.group === undefined && node.keepArray !== true) {
      if (node.type === 'function') {
        // a call of a known built-in: the call and its unwrapping in one closure
        const call = compileBuiltinCallExpr(this, node);
        if (call !== undefined) return call;
      } else if (node.type === 'block') {
        // a block and its unwrapping in one closure
        return this.compileBlock(node, true);
      }
    }
    const core = this.compileCore(node);
    const preds: Array<(input: unknown, env: Frame) => unknown> = Array.isArray(node.predicate) ? node.predicate.map((p: AstNode) => compileFilter(this, p.expr)) : [];
    const group = node.type !== 'path' && node.group ? compileGroup(this, node.group) : undefined;
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
        return compilePath(this, node, false);
      case 'binary':
        return compileBinary(this, node);
      case 'unary':
        return compileUnary(this, node);
      case 'name':
        return compileName(node);
      case 'string':
      case 'number':
      case 'value':
        return literal(node.value);
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
        return compileRegexLiteral(node);
      case 'function': {
        const call = compileCall(this, node);
        return (input, env) => call(input, env, false, undefined);
      }
      case 'variable':
        return this.compileVariable(node);
      case 'lambda':
        return compileLambda(this, node);
      case 'partial':
        return compilePartial(this, node);
      case 'apply':
        return compileApply(this, node);
      case 'transform':
        return compileTransform(this, node);
      default:
        // jsonata's evaluate has no case for other node types (e.g. a sort outside a path): undefined.
        return literal(undefined);
    }
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
    // Never bound by this program and it runs without bindings: the lookup would always end in the globals.
    const globals = this.globalsFor(name);
    if (globals !== undefined) return literal(globals.lookup(name));
    return (_input, env) => {
      M.charge(1, D_EVAL);
      return env.lookup(name);
    };
  }

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

  /** `unwrap`: finish the result as evaluate() does (the caller then adds no wrapper). */
  private compileBlock(node: AstNode, unwrap = false): Ev {
    const names = new Set<string>();
    collectBinds(node, names, true);
    const exprs = this.inScope(names, () => (node.expressions as AstNode[]).map((e) => this.compile(e)));
    // A block gets its own frame (jsonata always makes one); without a `:=` inside, nothing could be
    // bound in it, so the frame is skipped.
    const needsFrame = names.size > 0;
    const n = exprs.length;
    if (unwrap) {
      if (n === 1 && !needsFrame) {
        // parentheses around one expression
        const only = exprs[0]!;
        return (input, env) => {
          M.charge(1, D_EVAL);
          return finish(only(input, env), false);
        };
      }
      return (input, env) => {
        M.charge(1, D_EVAL);
        const frame = needsFrame ? new Frame(env) : env;
        let result: unknown = undefined;
        for (let i = 0; i < n; i++) result = exprs[i]!(input, frame);
        return finish(result, false);
      };
    }
    return (input, env) => {
      M.charge(1, D_EVAL);
      const frame = needsFrame ? new Frame(env) : env;
      let result: unknown = undefined;
      for (let i = 0; i < n; i++) result = exprs[i]!(input, frame);
      return result;
    };
  }
}

/** evaluateName: fn.lookup of the field (flattening over an array input). */
function compileName(node: AstNode): Ev {
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

/** A regex literal: compiled for RE2 now (a pattern it cannot run is refused here, with its position). */
function compileRegexLiteral(node: AstNode): Ev {
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
  return literal(matcher);
}
