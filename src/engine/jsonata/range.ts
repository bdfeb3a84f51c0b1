// Ranges (jsonata's evaluateRangeExpression): `[lo..hi]`, checked and charged in full before it is allocated.
import { D_RANGE, tooManyItems } from './charges.js';
import { jsonataError } from './messages.js';
import { MEMORY_COST, type Sequence } from './runtime.js';
import { M, RT } from './state.js';
import { markSeq } from './values.js';

/** jsonata's own cap on the size of a range (D2014). */
const MAX_RANGE_SIZE = 1e7;

export function range(lhs: unknown, rhs: unknown): Sequence | undefined {
  if (lhs !== undefined && !Number.isInteger(lhs)) throw jsonataError('T2003', { value: lhs });
  if (rhs !== undefined && !Number.isInteger(rhs)) throw jsonataError('T2004', { value: rhs });
  if (lhs === undefined || rhs === undefined) return undefined;
  const lo = lhs as number;
  const hi = rhs as number;
  if (lo > hi) return undefined;
  const size = hi - lo + 1;
  if (size > MAX_RANGE_SIZE) throw jsonataError('D2014', { value: size });
  if (size > RT.maxArrayLength) throw tooManyItems(size);
  // refuse before allocating: charge the whole range first
  M.charge(size, D_RANGE);
  M.alloc(MEMORY_COST.arrayHeader + size * MEMORY_COST.arraySlot, D_RANGE);
  const result = new Array<number>(size);
  for (let item = lo, index = 0; item <= hi; item++, index++) result[index] = item;
  return markSeq(result);
}
