// Wildcards and descendants (jsonata's evaluateWildcard, evaluateDescendants): `*` and `**` steps.
import type { Ev } from './ast.js';
import { D_DESCEND, D_EVAL, D_STEP, produced } from './charges.js';
import type { Sequence } from './runtime.js';
import { flatten } from './sequences.js';
import { M } from './state.js';
import { isFunc, markSeq, newSeq } from './values.js';

export function compileWildcard(): Ev {
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

export function compileDescendants(): Ev {
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
