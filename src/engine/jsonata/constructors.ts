// Constructors: array constructors `[…]`, object constructors `{…}` and group-by (jsonata's evaluateGroupExpression).
import type { AstNode, Ev, Tuple } from './ast.js';
import { D_ARRAY, D_EVAL, D_GROUP, D_OBJECT, GROUP_ENTRY_UNITS, produced } from './charges.js';
import type { Compiler } from './compile.js';
import { Frame } from './frame.js';
import { jsonataError } from './messages.js';
import { MEMORY_COST, type Sequence } from './runtime.js';
import { M } from './state.js';
import { append, hideFlags, seqOf } from './values.js';

/** An array constructor: each item's value appended (an array's items, unless the item is itself a constructor). */
export function compileArray(c: Compiler, node: AstNode): Ev {
  const items = (node.expressions as AstNode[]).map((item) => ({ ev: c.compile(item), nested: item.value === '[' }));
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

/** An object constructor, or a group-by over a path's items or tuples (reduceTupleStream merges a group's tuples). */
export function compileGroup(c: Compiler, group: AstNode): (input: unknown, env: Frame) => unknown {
  const pairs = (group.lhs as AstNode[][]).map(([k, v]) => ({ key: c.compile(k), value: c.compile(v) }));
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
