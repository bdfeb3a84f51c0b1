// Per request: a correlation id (a safe incoming X-Request-Id, else a random UUID) echoed in the answer, a logger carrying it, and one access-log record.
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Env } from '../env.js';
import { consoleSink, createLogger, type Logger } from '../observability/log.js';

/** The header a caller or a proxy may set to follow a request through the logs; always in the answer. */
const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * An incoming id is kept when it is 1–128 letters, digits, ".", "_", ":" or "-": room for a UUID, a
 * W3C trace id or a load balancer's id, nothing that could forge a log field or a header. Anything
 * else is replaced, not rejected: the id is for finding log lines, never a reason to refuse a request.
 */
const SAFE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Routes polled on a schedule — a load balancer's health check, Prometheus' scrape every 15 s — whose
 * successful answers are logged at debug: at info they would outnumber the requests that matter.
 */
const POLLED_ROUTES = new Set(['/healthz', '/metrics']);

declare module 'hono' {
  interface ContextVariableMap {
    /** The request's logger: every record carries its requestId. */
    log: Logger;
    requestId: string;
  }
}

/** For middleware mounted without requestLog (a test's own app): the worker's console logger, so a warning is still told. */
const UNMOUNTED = createLogger({ sink: consoleSink });

/** The request's logger (requestLog sets it first thing). */
export function logOf(c: Context): Logger {
  return (c.get('log') as Logger | undefined) ?? UNMOUNTED;
}

/** The id a request is logged under. */
export function requestIdOf(incoming: string | undefined): string {
  return incoming !== undefined && SAFE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/** The route a request matched ("/v1/rulesets/:id"), never the raw path: bounded, and no id of the caller's in it. */
function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) if (routes[i]!.method !== 'ALL') return routes[i]!.path;
  return '(none)';
}

/**
 * The first middleware: the request's id and logger, then after the answer one `request` record —
 * method, route, status, duration, the credential that authenticated (none before auth), the id.
 * `now` is in milliseconds (performance.now: in a deployed worker it advances only across I/O, so
 * there the duration is coarse).
 */
export function requestLog(loggerFor: (env: Env) => Logger, now: () => number = () => performance.now()): MiddlewareHandler<{ Bindings: Env }> {
  return async (c, next) => {
    const started = now();
    const requestId = requestIdOf(c.req.header(REQUEST_ID_HEADER));
    const log = loggerFor(c.env ?? {}).with({ requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    // Set before the answer exists, so every route's c.json / c.body carries it: set after, hono would
    // rebuild the Response around a stream, and `edgescale serve` could no longer gzip it (src/cli/serve-fast.ts).
    c.header(REQUEST_ID_HEADER, requestId);
    await next();
    const status = c.res.status;
    const route = routeOf(c);
    const level = status >= 500 ? 'error' : POLLED_ROUTES.has(route) && status < 400 ? 'debug' : 'info';
    if (!log.enabled(level)) return;
    const credential = c.get('edgescaleAuth')?.credential.id;
    const durationMs = Math.round((now() - started) * 1000) / 1000;
    log.log(level, 'request', `${c.req.method} ${route} ${status} ${durationMs} ms`, { method: c.req.method, route, status, durationMs, ...(credential && { credential }) });
  };
}
