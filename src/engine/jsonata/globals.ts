// The outermost frames a program runs under: the library's built-ins (with a fallback $clone) and the host's extra functions.
import jsonata from 'jsonata';
import { apply } from './apply.js';
import type { AstNode } from './ast.js';
import { D_CLONE } from './charges.js';
import { Frame } from './frame.js';
import { BUILTINS, REFUSED_FUNCTIONS } from './library.js';
import { BudgetPool, functionValueCaller, MEMORY_COST, type Builtin, type Focus, type SignatureValidator } from './runtime.js';
import { M } from './state.js';
import { newSeq, seqOf, toJsonataString } from './values.js';

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

/** A signature such as '<(oa):o>', parsed by jsonata's own signature parser (reached through the parser's lambda signatures). */
export function parsedSignature(signature: string): SignatureValidator {
  return (jsonata(`function($o)${signature}{$o}`).ast() as AstNode).signature as SignatureValidator;
}

/** $clone as jsonata defines it (functionClone: JSON.parse($string(arg))), metered by the size of its text; only used if the library has no $clone. */
function meteredClone(arg: unknown): unknown {
  if (arg === undefined) return undefined;
  const text = toJsonataString(arg)!;
  const doing = D_CLONE;
  M.charge(1 + Math.ceil(text.length / 16), doing);
  M.alloc(MEMORY_COST.stringHeader + text.length * MEMORY_COST.stringChar, doing);
  return JSON.parse(text);
}

let cloneSignature: SignatureValidator | undefined;
const FALLBACK_CLONE: Builtin = {
  _jsonata_function: true,
  name: 'clone',
  signature: '<(oa)-:o>',
  get validator(): SignatureValidator {
    cloneSignature ??= parsedSignature('<(oa)-:o>');
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

/** The frame holding the extra functions of CompileOptions.functions, under the built-ins. */
export function functionsFrame(functions: ReadonlyMap<string, Builtin> | undefined): Frame {
  const base = getBuiltinsFrame();
  if (functions === undefined || functions.size === 0) return base;
  const frame = new Frame(base);
  for (const [name, fn] of functions) frame.bind(name, fn);
  return frame;
}
