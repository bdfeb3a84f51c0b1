// Order-by (jsonata's evaluateSortExpression): sort terms compared as jsonata does, with functions.js's stable merge sort.
import type { AstNode, Tuple } from './ast.js';
import { D_EVAL, D_SORT } from './charges.js';
import type { Compiler } from './compile.js';
import { Frame } from './frame.js';
import { jsonataError } from './messages.js';
import { MEMORY_COST, type Sequence } from './runtime.js';
import { M } from './state.js';

/** evaluateSortExpression (with functions.js sort: a stable merge sort; comparator true = swap). */
export function compileSort(c: Compiler, node: AstNode): (input: unknown, env: Frame) => unknown {
  const terms = (node.terms as AstNode[]).map((t) => ({ ev: c.compile(t.expression), descending: t.descending === true }));
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

