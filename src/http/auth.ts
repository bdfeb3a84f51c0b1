// Bearer-token auth against a wrangler secret, with a loud, localhost-only switch to turn it off in dev.
import type { MiddlewareHandler } from 'hono';
import type { Env } from '../env.js';
import { errorResponse } from './errors.js';

const encoder = new TextEncoder();

/** Compares in time that depends only on the lengths, so a token cannot be guessed byte by byte. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Auth is off only when EDGESCALE_DEV_AUTH_DISABLED is "true" AND the request came to a loopback
 * host: a deployed worker that inherits the variable by mistake still demands a token.
 */
export function authDisabled(env: Env, url: string): boolean {
  return env.EDGESCALE_DEV_AUTH_DISABLED === 'true' && LOCAL_HOSTS.has(new URL(url).hostname);
}

let warned = false;

export const requireAuth: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  if (authDisabled(c.env, c.req.url)) {
    if (!warned) {
      warned = true;
      console.warn('!!! edgescale: AUTH IS DISABLED (EDGESCALE_DEV_AUTH_DISABLED=true). Never deploy with this set. !!!');
    }
    c.header('X-Edgescale-Auth', 'disabled (dev only)');
    return next();
  }
  const token = c.env.EDGESCALE_API_TOKEN;
  if (!token) {
    console.error('edgescale: EDGESCALE_API_TOKEN is not set; refusing every request (wrangler secret put EDGESCALE_API_TOKEN)');
    return errorResponse(c, { code: 'AuthNotConfigured', message: 'the server has no API token configured', path: 'headers.authorization' });
  }
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match || !constantTimeEqual(match[1]!.trim(), token)) {
    c.header('WWW-Authenticate', 'Bearer realm="edgescale"');
    return errorResponse(c, { code: 'Unauthorized', message: 'a valid bearer token is required', path: 'headers.authorization' });
  }
  return next();
};
