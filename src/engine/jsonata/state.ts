// The evaluation's meter, runtime and call depth: module state that runProgram sets for one evaluation.
//
// Module variables rather than arguments threaded through every closure: evaluation is synchronous,
// so nothing interleaves with it, and runProgram saves these values, sets them for its run and
// restores them afterwards, so a nested evaluation (a helper evaluating another expression) works.
// Read them directly (`M.charge(…)`); only setState and the call-depth functions change them.
import { jsonataError, U_STACK_OVERFLOW } from './messages.js';
import { Meter, type JsonataError, type Runtime } from './runtime.js';

/**
 * Deepest nesting of function applications (lambda calls, and built-in calls that call back) before
 * U1001. Each JSONata call level takes a handful of JS frames (apply, applyInner, applyProcedure, the
 * body's closures), a few hundred bytes each; workerd runs JavaScript on a smaller stack than Node's
 * default, and 400 levels stays well inside it even for bodies a few dozen nodes deep. Tail calls
 * (jsonata's thunks) do not count: they run in apply's loop.
 */
export const DEFAULT_MAX_CALL_DEPTH = 400;

const IDLE_METER = new Meter(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);

/** The meter every charge of the current evaluation goes to. */
export let M: Meter = IDLE_METER;
/** The current evaluation's runtime (its meter, `now` and size limits), the focus built-ins receive. */
export let RT: Runtime = { meter: IDLE_METER, now: 0, maxStringLength: Number.POSITIVE_INFINITY, maxArrayLength: Number.POSITIVE_INFINITY };
/** Nesting of function applications in the current evaluation, and its limit. */
export let DEPTH = 0;
/** Set by setState for every run (runProgram); read only while one is under way. */
export let MAX_DEPTH = 0;

/** Set the whole state: runProgram, for its evaluation and to restore what it saved. */
export function setState(meter: Meter, rt: Runtime, depth: number, maxDepth: number): void {
  M = meter;
  RT = rt;
  DEPTH = depth;
  MAX_DEPTH = maxDepth;
}

/** U1001, for a call nested too deep (here) or the JS stack running out (runProgram). */
export function stackOverflow(): JsonataError {
  return jsonataError(U_STACK_OVERFLOW);
}

/** One more level of function application (jsonata's apply); U1001 past the limit. Pair with leaveCall. */
export function enterCall(): void {
  if (++DEPTH > MAX_DEPTH) {
    DEPTH--;
    throw stackOverflow();
  }
}

export function leaveCall(): void {
  DEPTH--;
}
