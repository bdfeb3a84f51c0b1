// Sequences as evaluation sees them: evaluate()'s unwrapping, flattening, and a path step's read of one field.
import type { Sequence } from './runtime.js';

/** The tail of jsonata's evaluate(): unwrap a sequence (empty → undefined, singleton → its item). */
export function finish(result: unknown, keepArray: boolean): unknown {
  if (Array.isArray(result) && (result as Sequence).sequence === true && !(result as Sequence).tupleStream) {
    if (keepArray) (result as Sequence).keepSingleton = true;
    if (result.length === 0) return undefined;
    if (result.length === 1) return (result as Sequence).keepSingleton ? result : result[0];
  }
  return result;
}

export function flatten(arg: unknown, flattened: unknown[] = []): unknown[] {
  if (Array.isArray(arg)) {
    for (let i = 0; i < arg.length; i++) flatten(arg[i], flattened);
  } else {
    flattened.push(arg);
  }
  return flattened;
}

/**
 * Object.prototype.hasOwnProperty, for fn.lookup's read of one field: a plain object's own value,
 * unless it is a function value (whose marker fields are not data). That read is written out where
 * a path reads a field (compileName, the name step, the path fast paths) rather than shared as a
 * helper: an inlined helper keeps one feedback vector for all its callers, so its property loads go
 * megamorphic across the objects every path in the program reads, and the name step's loop measured
 * ~1.5× slower with it.
 */
export const hasOwn = Object.prototype.hasOwnProperty;
