// Unexpected exceptions: logged once with their stack under a correlation id, answered as a value that names only the id.
//
// Errors are values everywhere in edgescale (ARCHITECTURE.md); an exception is a defect. Where one
// is caught (one target of a batch in src/service/batch.ts, one document of /v1/validate and the
// app's onError in src/http/app.ts), it becomes an `InternalError` entry whose message says nothing
// about the input or the code path, and whose correlation id finds the logged stack.
import { consoleSink, createLogger, type Logger } from '../observability/log.js';

/** Where a caller that has no logger (the CLI's eval, benchmarks) still gets its stack: one JSON line on the console. */
const FALLBACK_LOG = createLogger({ sink: consoleSink, level: 'error' });

/** A fresh id for one failure: "es-" and 16 hex digits, enough to be unique in any log search. */
function newCorrelationId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `es-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export interface InternalFailure {
  code: 'InternalError';
  message: string;
  path: string;
  correlationId: string;
}

/**
 * Logs `error` (with its stack) under a new correlation id and returns the entry to answer with.
 * `where` says what was being done ("deciding targets[3]"); it goes in the log and the message, which
 * never carry the error's own text: an exception's message can quote the input (or a secret).
 */
export function internalFailure(error: unknown, where: string, path: string, log: Logger = FALLBACK_LOG): InternalFailure {
  const correlationId = newCorrelationId();
  const stack = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  log.error('internal_error', `internal error ${correlationId} while ${where}`, { correlationId, where, stack });
  return {
    code: 'InternalError',
    message: `an unexpected error occurred while ${where}; it has been logged with correlation id ${correlationId}`,
    path,
    correlationId,
  };
}
