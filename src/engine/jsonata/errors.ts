// Errors during evaluation: telling jsonata's errors from the meter's, annotating them, and what callers see.
import { populateMessage } from './messages.js';
import { BudgetExceeded, JsonataError } from './runtime.js';
import { stackOverflow } from './state.js';

/** An error jsonata would annotate (its errors are objects with a code); never the meter's. */
export function isJsonataErr(err: unknown): err is JsonataError {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' && !(err instanceof BudgetExceeded);
}

/** applyInner's annotation: the procedure's name unless the error has a token, the call's position when known. */
export function annotateApplied(err: JsonataError, token: string | undefined, position: number | undefined): void {
  if (err.token === undefined && token !== undefined) err.token = token;
  err.position = position || err.position;
}

/** evaluateFunction's annotation: the call's position and procedure name where the error has none. */
export function annotateCall(err: unknown, position: number | undefined, procName: string | undefined): void {
  if (isJsonataErr(err)) {
    if (!err.position) err.position = position;
    if (!err.token) err.token = procName;
  }
}

function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

/** Turn what evaluation threw into what callers see: JsonataError (message from jsonata's catalog) or BudgetExceeded. */
export function normalizeError(err: unknown): unknown {
  if (err instanceof BudgetExceeded) return err;
  if (isStackOverflow(err)) return stackOverflow();
  if (err instanceof JsonataError) {
    populateMessage(err as unknown as Record<string, unknown>);
    return err;
  }
  if (typeof err === 'object' && err !== null && !(err instanceof Error) && typeof (err as { code?: unknown }).code === 'string') {
    // jsonata's own plain-object errors (e.g. from a lambda signature's validate); Error subclasses
    // of the host's (edgescale's helpers) pass through as they are
    const plain = err as Record<string, unknown>;
    const out = new JsonataError(plain.code as string, typeof plain.message === 'string' ? plain.message : (plain.code as string));
    for (const [k, v] of Object.entries(plain)) if (k !== 'stack' && k !== 'message') (out as unknown as Record<string, unknown>)[k] = v;
    populateMessage(out as unknown as Record<string, unknown>);
    return out;
  }
  return err;
}
