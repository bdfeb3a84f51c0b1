// Public entry of edgescale's JSONata engine: parse with jsonata's parser, compile to closures, evaluate under a meter.
//
// Only jsonata's PARSER is used (`jsonata(source).ast()`, jsonata 2.2.2; MIT, © IBM Corp.): its syntax
// errors come through with their code, position and token; evaluation is compile.ts's port of its
// evaluator, synchronous and metered, with no eval/new Function (Workers forbid them).
import jsonata from 'jsonata';
import { astChildren, type AstNode } from './ast.js';
import { compileAst, type CompileSettings, type Program } from './compile.js';
import { functionsFrame } from './globals.js';
import { runProgram } from './run.js';
import { DEFAULT_MAX_CALL_DEPTH } from './state.js';
import { edgescaleError, populateMessage, U_AST_TOO_DEEP } from './messages.js';
import { JsonataError, type Builtin, type Runtime } from './runtime.js';

export { DEFAULT_MAX_CALL_DEPTH } from './state.js';

/**
 * Default of CompileOptions.maxAstDepth: far deeper than any real condition (a generated sum of
 * 1,500 terms is 1,500 deep), far shallower than the JS stack: evaluating one level costs one or
 * two small closure frames, so 2,000 levels take well under 1 MB of stack. A recursion that
 * multiplies it past the stack is a RangeError, reported as U1001 like any runaway recursion.
 */
const DEFAULT_MAX_AST_DEPTH = 2_000;

export interface CompileOptions {
  /** extra functions bound in the outermost frame (edgescale's helpers: $window, $percentile, …) */
  functions?: ReadonlyMap<string, Builtin>;
  /** max nesting of the AST accepted (default DEFAULT_MAX_AST_DEPTH) */
  maxAstDepth?: number;
  /**
   * max nesting of function applications before U1001 (default DEFAULT_MAX_CALL_DEPTH, 400); tail
   * calls do not nest. An addition to the original contract, for the conformance runner's `depth`.
   */
  maxCallDepth?: number;
}

export interface CompiledJsonata {
  readonly source: string;
  readonly ast: unknown;
  /**
   * Evaluate synchronously. `bindings` are bound as variables ($name). Result unwrapped as jsonata's
   * evaluate does (singleton sequence → item; a sequence keeps its `sequence` flag, which is fine).
   * Throws JsonataError or BudgetExceeded.
   */
  evaluate(input: unknown, bindings: Readonly<Record<string, unknown>> | undefined, rt: Runtime): unknown;
  /** evaluate(input, undefined, rt). */
  run(input: unknown, rt: Runtime): unknown;
}

/** jsonata's parser error (a plain object with code/position/token and a populated message) as a JsonataError. */
function syntaxError(err: unknown): unknown {
  if (err instanceof RangeError) {
    return edgescaleError(U_AST_TOO_DEEP, 'the expression is nested too deeply to parse');
  }
  if (typeof err !== 'object' || err === null || typeof (err as { code?: unknown }).code !== 'string') return err;
  if (err instanceof JsonataError) return err;
  const plain = err as Record<string, unknown>;
  const out = new JsonataError(plain.code as string, typeof plain.message === 'string' ? plain.message : (plain.code as string));
  for (const [k, v] of Object.entries(plain)) if (k !== 'stack' && k !== 'message') (out as unknown as Record<string, unknown>)[k] = v;
  if (typeof plain.message !== 'string') populateMessage(out as unknown as Record<string, unknown>);
  return out;
}

function hasKeys(bindings: Readonly<Record<string, unknown>>): boolean {
  for (const _ in bindings) return true;
  return false;
}

/** Refuse an AST nested deeper than `max` (checked without recursing past it). */
function checkDepth(node: AstNode, max: number, depth = 1): void {
  if (depth > max) {
    throw edgescaleError(U_AST_TOO_DEEP, `the expression is nested more than ${max} levels deep`, { position: node.position });
  }
  for (const child of astChildren(node)) checkDepth(child, max, depth + 1);
}

/** Throws JsonataError: jsonata's own syntax errors unchanged (code, position, token), or our refusals (U3xxx) with position. */
export function compileJsonata(source: string, options: CompileOptions = {}): CompiledJsonata {
  let ast: AstNode;
  try {
    ast = jsonata(source).ast();
  } catch (err) {
    throw syntaxError(err);
  }
  checkDepth(ast, options.maxAstDepth ?? DEFAULT_MAX_AST_DEPTH);
  const functionNames = new Set(options.functions?.keys() ?? []);
  const globals = functionsFrame(options.functions);
  const compile = (settings: CompileSettings) => {
    try {
      return compileAst(ast, settings);
    } catch (err) {
      if (err instanceof RangeError) throw edgescaleError(U_AST_TOO_DEEP, 'the expression is nested too deeply to compile');
      throw err;
    }
  };
  // Compiled for evaluations without bindings (variables it never binds read the globals directly);
  // the same tree compiled without that shortcut on the first evaluation with bindings.
  const program = compile({ functionNames, globals });
  let withBindings: Program | undefined;
  const maxCallDepth = options.maxCallDepth ?? DEFAULT_MAX_CALL_DEPTH;
  return {
    source,
    ast,
    evaluate(input, bindings, rt) {
      if (bindings !== undefined && hasKeys(bindings)) {
        withBindings ??= compile({ functionNames });
        return runProgram(withBindings, globals, input, bindings, rt, maxCallDepth);
      }
      return runProgram(program, globals, input, bindings, rt, maxCallDepth);
    },
    run(input, rt) {
      return runProgram(program, globals, input, undefined, rt, maxCallDepth);
    },
  };
}
