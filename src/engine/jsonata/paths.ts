// Paths (jsonata's evaluatePath): the loop over a path's steps and tuple streams, and the fast path for plain field names.
import type { AstNode, Ev, Tuple } from './ast.js';
import { D_EVAL, D_STEP, produced } from './charges.js';
import type { Compiler } from './compile.js';
import { compileGroup } from './constructors.js';
import type { Frame } from './frame.js';
import { MEMORY_COST, type Sequence } from './runtime.js';
import { fieldReader, type FieldReader } from './fields.js';
import { finish } from './sequences.js';
import { M } from './state.js';
import { compileStep, compileTupleStep, type StepEv } from './steps.js';
import { newSeq, seqOf } from './values.js';

/** An array a step built (a sequence, or a constructor's `cons` array): such values take the general path. */
function builtBySteps(a: unknown[]): boolean {
  return (a as Sequence).sequence === true || !!(a as { cons?: boolean }).cons;
}

/** `unwrap`: finish the result as evaluate() does (the caller then adds no wrapper). */
export function compilePath(c: Compiler, node: AstNode, unwrap: boolean): Ev {
  const steps: AstNode[] = node.steps;
  const n = steps.length;
  const firstIsVariable = steps[0].type === 'variable';
  const keepSingletonArray = node.keepSingletonArray === true;
  const group = node.group ? compileGroup(c, node.group) : undefined;
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
    if (i === 0 && consFirst) return { kind: 'cons' as const, ev: c.compile(step), focus: step.focus as string | undefined };
    if (i >= tupleFrom) return { kind: 'tuple' as const, tuple: compileTupleStep(c, step), focus: step.focus as string | undefined };
    return { kind: 'step' as const, step: compileStep(c, step), focus: step.focus as string | undefined };
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
  // each step's field read (jsonata's fn.lookup on one object), its own literal for the context's names
  const readers: FieldReader[] = steps.map((s) => fieldReader(s.value));
  const fallback: Ev = unwrap ? (input, env) => finish(general(input, env), false) : general;
  const nameSteps = plans.map((plan) => (plan as { step: StepEv }).step);
  /**
   * The general loop's result, and its charges, for a path whose steps 0..i-1 each found one
   * non-array value and whose step i found the plain array `r` (not a sequence, not a constructed
   * array), without building the one-item sequences of steps 0..i: each such step charges 1 + 2
   * (compileNameStep on one item) and, unless it is the last, produced(1); step i produces r's items
   * (flattened one level, which are r's items), and the remaining steps run on them as the general
   * loop runs them. A last step that finds one plain array returns that array itself.
   */
  const fromArray = (r: unknown[], i: number, env: Frame): unknown => {
    // Those charges in one go when all of them fit (produced(1)'s size check passes: the array limit
    // is at least 1), else one by one, so that a budget runs out where it always did.
    const units = 4 * i + 3;
    const bytes = i * (MEMORY_COST.arrayHeader + MEMORY_COST.arraySlot);
    if (M.fits(units, bytes)) {
      M.add(units, bytes);
    } else {
      for (let k = 0; k < i; k++) {
        M.charge(3, D_STEP);
        produced(1, D_STEP);
      }
      M.charge(3, D_STEP);
    }
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
    // the loop below for one step, with the reader a constant of its own closure
    const read = readers[0]!;
    return (input, env) => {
      M.charge(2, D_EVAL);
      if (input === null || typeof input !== 'object') return undefined;
      if (Array.isArray(input)) return fallback(input, env);
      const r = read(input as Record<string, unknown>);
      if (r === undefined) return undefined;
      if (Array.isArray(r)) {
        if (builtBySteps(r)) return fallback(input, env);
        return finish(fromArray(r, 0, env), false);
      }
      return r;
    };
  }
  if (n === 2 && unwrap) {
    // the loop below for two steps, unrolled, with the readers constants of their own closure
    const read0 = readers[0]!;
    const read1 = readers[1]!;
    return (input, env) => {
      M.charge(3, D_EVAL);
      if (input === null || typeof input !== 'object') return undefined;
      if (Array.isArray(input)) return fallback(input, env);
      const r0 = read0(input as Record<string, unknown>);
      if (r0 === undefined) return undefined;
      if (Array.isArray(r0)) {
        if (builtBySteps(r0)) return fallback(input, env);
        return finish(fromArray(r0, 0, env), false);
      }
      if (r0 === null || typeof r0 !== 'object') return undefined;
      const r1 = read1(r0 as Record<string, unknown>);
      if (r1 === undefined) return undefined;
      if (Array.isArray(r1)) {
        if (builtBySteps(r1)) return fallback(input, env);
        return finish(fromArray(r1, 1, env), false);
      }
      return r1;
    };
  }
  if (n === 3 && unwrap) {
    // the loop below for three steps, unrolled, with the readers constants of their own closure
    const read0 = readers[0]!;
    const read1 = readers[1]!;
    const read2 = readers[2]!;
    return (input, env) => {
      M.charge(4, D_EVAL);
      if (input === null || typeof input !== 'object') return undefined;
      if (Array.isArray(input)) return fallback(input, env);
      const r0 = read0(input as Record<string, unknown>);
      if (r0 === undefined) return undefined;
      if (Array.isArray(r0)) {
        if (builtBySteps(r0)) return fallback(input, env);
        return finish(fromArray(r0, 0, env), false);
      }
      if (r0 === null || typeof r0 !== 'object') return undefined;
      const r1 = read1(r0 as Record<string, unknown>);
      if (r1 === undefined) return undefined;
      if (Array.isArray(r1)) {
        if (builtBySteps(r1)) return fallback(input, env);
        return finish(fromArray(r1, 1, env), false);
      }
      if (r1 === null || typeof r1 !== 'object') return undefined;
      const r2 = read2(r1 as Record<string, unknown>);
      if (r2 === undefined) return undefined;
      if (Array.isArray(r2)) {
        if (builtBySteps(r2)) return fallback(input, env);
        return finish(fromArray(r2, 2, env), false);
      }
      return r2;
    };
  }
  return (input, env) => {
    M.charge(1 + n, D_EVAL);
    let v = input;
    if (Array.isArray(v)) return fallback(input, env);
    for (let i = 0; i < n; i++) {
      if (v === null || typeof v !== 'object') return undefined;
      const r = readers[i]!(v as Record<string, unknown>);
      if (r === undefined) return undefined;
      if (Array.isArray(r)) {
        if (builtBySteps(r)) return fallback(input, env);
        return unwrap ? finish(fromArray(r, i, env), false) : fromArray(r, i, env);
      }
      v = r;
    }
    // a single non-array value: the general loop's one-item sequence, unwrapped (or, without
    // `unwrap`, that sequence itself, as jsonata's evaluatePath returns it)
    return unwrap ? v : seqOf(v);
  };
}
