// $sum, $count, $max, $min, $average: ported from jsonata 2.2.2 src/functions.js (MIT, © IBM Corp.), one unit of work per item.

import type { Focus } from '../runtime.js';
import { work } from './util.js';

export function sum(this: Focus, args: number[] | undefined): number | undefined {
  if (args === undefined) return undefined;
  work(this.rt, args.length, 'summing numbers');
  let total = 0;
  for (const num of args) total += num;
  return total;
}

export function count(this: Focus, args: unknown[] | undefined): number {
  if (args === undefined) return 0;
  // the signature check (`a`) already walked the argument; charge as the other aggregates
  work(this.rt, args.length, 'counting items');
  return args.length;
}

export function max(this: Focus, args: number[] | undefined): number | undefined {
  if (args === undefined || args.length === 0) return undefined;
  work(this.rt, args.length, 'finding the maximum');
  let m = -Infinity;
  for (const x of args) m = Math.max(m, x);
  return m;
}

export function min(this: Focus, args: number[] | undefined): number | undefined {
  if (args === undefined || args.length === 0) return undefined;
  work(this.rt, args.length, 'finding the minimum');
  let m = Infinity;
  for (const x of args) m = Math.min(m, x);
  return m;
}

export function average(this: Focus, args: number[] | undefined): number | undefined {
  if (args === undefined || args.length === 0) return undefined;
  work(this.rt, args.length, 'averaging numbers');
  let total = 0;
  for (const num of args) total += num;
  return total / args.length;
}
