// Path steps (jsonata's evaluateStep, evaluateTupleStep, evaluateStages, evaluateFilter): a step over each item, tuple bindings, predicates.
import type { AstNode, Tuple } from './ast.js';
import { D_FILTER, D_STEP, produced } from './charges.js';
import type { Compiler } from './compile.js';
import { Frame } from './frame.js';
import { compileSort } from './order.js';
import { MEMORY_COST, type Sequence } from './runtime.js';
import { finish, hasOwn } from './sequences.js';
import { M } from './state.js';
import { isArrayOfNumbers, isNumeric, isSeq, lookupField, newSeq, seqOf, toBoolean } from './values.js';

/** A compiled step outside a tuple stream: the items in, the step's result sequence out. */
export type StepEv = (input: unknown[], env: Frame, lastStep: boolean) => unknown;

/** evaluateStep for a step outside a tuple stream. */
export function compileStep(c: Compiler, step: AstNode): StepEv {
  if (step.type === 'sort') {
    const sort = compileSort(c, step);
    const stages = step.stages ? compileStages(c, step.stages) : undefined;
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
  const ev = c.compile(step);
  const stages: Array<(input: unknown, env: Frame) => unknown> = step.stages ? step.stages.map((s: AstNode) => compileFilter(c, s.expr)) : [];
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
        // fn.append: an array's items (unless the array was constructed), anything else itself
        if (!Array.isArray(res) || (res as { cons?: boolean }).cons) out.push(res);
        else for (let j = 0; j < res.length; j++) out.push(res[j]);
      }
    }
    return stepResult(out, lastStep, count, first);
  };
}

/** evaluateTupleStep. */
export function compileTupleStep(c: Compiler, step: AstNode): (input: unknown[], tupleBindings: Tuple[] | undefined, env: Frame) => Tuple[] {
  const stages = step.stages ? compileStages(c, step.stages) : undefined;
  if (step.type === 'sort') {
    const sort = compileSort(c, step);
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
  const ev = c.compile(step);
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
function compileStages(c: Compiler, stages: AstNode[]): (input: Tuple[], env: Frame) => Tuple[] {
  const ops = stages.map((stage: AstNode) => {
    if (stage.type === 'filter') {
      const f = compileFilter(c, stage.expr);
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
export function compileFilter(c: Compiler, predicate: AstNode): (input: unknown, env: Frame) => unknown {
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
  const ev = c.compile(predicate);
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

/**
 * evaluateStep for a plain field-name step, with the name node's evaluation (fn.lookup and evaluate's
 * unwrapping) inlined into the loop: the same result as the general step, without a call per item.
 */
function compileNameStep(name: string): StepEv {
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
      if (!Array.isArray(res) || (res as { cons?: boolean }).cons) out.push(res);
      else for (let j = 0; j < res.length; j++) out.push(res[j]);
    }
    return stepResult(out, lastStep, count, first);
  };
}


/**
 * A step's result: the output sequence (charged), or the last step's single plain-array result
 * itself. (Once per step; the per-item appending above is written out in each loop, see hasOwn.)
 */
function stepResult(out: unknown[], lastStep: boolean, count: number, first: unknown): unknown {
  if (lastStep && count === 1 && Array.isArray(first) && !isSeq(first)) return first;
  produced(out.length, D_STEP);
  return out;
}
