// What evaluation charges to the meter: the descriptions of its work and the charge for a produced array.
//
// One unit of work per node evaluated, one per item visited by a step, filter, group-by, flattening
// or comparison; items produced are charged with memory (MEMORY_COST); ranges and string
// concatenation are charged before they allocate.
import { edgescaleError, U_ARRAY_TOO_LONG } from './messages.js';
import { MEMORY_COST, type JsonataError } from './runtime.js';
import { M, RT } from './state.js';

export const D_EVAL = 'evaluating the expression';
export const D_STEP = 'visiting the items of a path step';
export const D_FILTER = 'filtering items';
export const D_ARRAY = 'building an array';
export const D_OBJECT = 'building an object';
export const D_GROUP = 'grouping items';
export const D_SORT = 'sorting';
export const D_RANGE = 'building a range';
export const D_CONCAT = 'concatenating strings';
export const D_CALL = 'calling a function';
export const D_DESCEND = 'visiting descendants';
export const D_CLONE = 'cloning a value for a transform';

/**
 * Units per item × key/value pair of an object constructor or group-by: evaluating the key, a write
 * into a dictionary-mode object and the group bookkeeping measured ~3× a path step's item.
 */
export const GROUP_ENTRY_UNITS = 3;

export function tooManyItems(n: number): JsonataError {
  return edgescaleError(U_ARRAY_TOO_LONG, `array of ${n} items exceeds the limit of ${RT.maxArrayLength}`, { value: n });
}

/** An array of n items was produced: check the size limit, charge one unit per item and its memory. */
export function produced(n: number, doing: string): void {
  if (n > RT.maxArrayLength) throw tooManyItems(n);
  M.charge(n, doing);
  M.alloc(MEMORY_COST.arrayHeader + n * MEMORY_COST.arraySlot, doing);
}
