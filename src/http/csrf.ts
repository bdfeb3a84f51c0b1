// Requests from web pages: a foreign Origin is refused (403 OriginNotAllowed), CORS headers only for EDGESCALE_ALLOWED_ORIGINS, and POST bodies only as application/json (415 otherwise) unless signed.
//
// Why (SECURITY.md, "Browsers"): a page on any site can make the browser POST to a server on the
// user's machine or network. A `text/plain`, form or multipart body needs no CORS preflight, so it
// arrives, and on a dev server with auth off it would be decided and delivered. Refusing every POST
// body but application/json forces a preflight for any cross-origin request, and refusing any Origin
// not configured stops those that reach us anyway (every browser sends Origin on a cross-origin POST).
// Signed webhook requests are exempt from the content-type rule only: a browser cannot sign them.
import type { MiddlewareHandler } from 'hono';
import type { Env } from '../env.js';
import type { Logger } from '../observability/log.js';
import { errorResponse } from './errors.js';
import { logOf } from './request-log.js';

/** Methods and headers a configured origin may use (answered to its preflight). */
const CORS_METHODS = 'GET, POST, OPTIONS';
const CORS_HEADERS = 'Authorization, Content-Type, X-Edgescale-Signature, X-Edgescale-Key-Id';
/** How long a browser may cache a preflight answer (seconds). */
const CORS_MAX_AGE = '600';

/**
 * EDGESCALE_ALLOWED_ORIGINS: origins separated by commas or spaces, each exactly as a browser sends
 * it (`https://ops.example.com`, `http://localhost:3000`: scheme, host, port; no path, no trailing
 * slash). Unset or empty: none. An entry that is not an origin (or "*", which is never honoured) is
 * ignored with a warning logged once.
 */
function allowedOrigins(env: Env, log: Logger): Set<string> {
  const out = new Set<string>();
  for (const entry of (env.EDGESCALE_ALLOWED_ORIGINS ?? '').split(/[\s,]+/).filter(Boolean)) {
    let origin: string | undefined;
    try {
      const url = new URL(entry);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === entry) origin = url.origin;
    } catch {
      origin = undefined;
    }
    if (origin) out.add(origin);
    // Told once per entry (Logger.once), not per request.
    else log.once(`allowed-origin:${entry}`, 'warn', 'config.invalid', `EDGESCALE_ALLOWED_ORIGINS entry "${entry.slice(0, 100)}" is not an origin like https://ops.example.com (no path, no trailing slash, no "*"); ignored`);
  }
  return out;
}

/**
 * Before auth: an Origin not allowed is 403 OriginNotAllowed (also for preflights); an allowed one
 * gets `Access-Control-Allow-Origin` on the answer, and its preflight (OPTIONS) is answered here
 * (204), since a browser sends no credentials with it. Without an Origin header (curl, servers,
 * same-origin GETs) nothing changes.
 */
export const originGuard: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const origin = c.req.header('origin');
  if (origin === undefined) return next();
  if (!allowedOrigins(c.env ?? {}, logOf(c)).has(origin)) {
    // The header is not echoed: nothing from a request's headers is copied into an answer.
    return errorResponse(c, {
      code: 'OriginNotAllowed',
      message: 'requests from web pages are refused unless their origin is listed in EDGESCALE_ALLOWED_ORIGINS',
      path: 'headers.origin',
    });
  }
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Vary', 'Origin', { append: true });
  if (c.req.method === 'OPTIONS') {
    c.header('Access-Control-Allow-Methods', CORS_METHODS);
    c.header('Access-Control-Allow-Headers', CORS_HEADERS);
    c.header('Access-Control-Max-Age', CORS_MAX_AGE);
    return c.body(null, 204);
  }
  return next();
};

/** `application/json`, any case, with or without parameters (`; charset=utf-8`). */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  return value.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** After auth: a POST body must be application/json unless the request was signed as a webhook (415 otherwise). */
export const jsonBodiesOnly: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  if (c.req.method !== 'POST' || c.get('edgescaleAuth')?.scheme === 'webhook' || isJsonContentType(c.req.header('content-type'))) return next();
  return errorResponse(c, {
    code: 'UnsupportedMediaType',
    message: 'POST bodies must be sent with Content-Type: application/json (curl: -H \'content-type: application/json\')',
    path: 'headers.content-type',
  });
};
