// Who may call /v1: the bearer token (every route) or a webhook's HMAC signature (POST /v1/evaluate only), and a localhost-only dev switch.
//
// Credentials, in this order (SECURITY.md, "Authentication"):
//   1. An `Authorization` header decides alone: `Bearer <EDGESCALE_API_TOKEN>`, compared in constant
//      time. A request that carries one is never judged by its signature, so a wrong token gets no
//      second chance through another scheme.
//   2. Without one, and only when EDGESCALE_WEBHOOK_HMAC_KEY is set, `X-Edgescale-Signature:
//      t=<unix s>,v1=<hex HMAC-SHA256(key, "<t>.<raw body>")>` in the delivery format of
//      src/delivery/sign.ts (verified by its verifySignature): valid for 5 minutes either side of the
//      worker's clock, and scoped to POST /v1/evaluate (403 elsewhere).
// Failures answer only the code (401 Unauthorized, 403 Forbidden) with a fixed sentence per scheme:
// nothing says whether the token, the timestamp or the MAC was wrong, and nothing echoes a header.
import type { Context, MiddlewareHandler } from 'hono';
import type { Env } from '../env.js';
import { DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER, verifySignature } from '../delivery/sign.js';
import { readRawBody } from './body.js';
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

/**
 * How far a signed request's `t` may be from the worker's clock, in either direction: the delivery
 * signature's window (5 minutes, Stripe's default). Older is a replay or a badly delayed request;
 * newer would let a captured request be replayed until that future time.
 */
export const WEBHOOK_TOLERANCE_SECONDS = DEFAULT_TOLERANCE_SECONDS;

/**
 * Shortest webhook key accepted: 16 bytes is 128 bits when random. RFC 2104 §3 discourages HMAC keys
 * shorter than the hash output (32 bytes for SHA-256), so SECURITY.md asks for `openssl rand -hex 32`;
 * below 16 bytes the key is treated as unset and the misconfiguration is logged (without the key).
 */
export const MIN_WEBHOOK_KEY_BYTES = 16;

/** The one route a webhook signature may call: senders push metrics to be decided, nothing else. */
export const WEBHOOK_SCOPE = { method: 'POST', path: '/v1/evaluate' } as const;

/** How the request authenticated, for routes that care (e.g. to use a signed request's `t` as its instant). */
export type AuthInfo = { scheme: 'bearer' } | { scheme: 'webhook'; signedAt: number } | { scheme: 'disabled' };

declare module 'hono' {
  interface ContextVariableMap {
    edgescaleAuth: AuthInfo;
  }
}

const UNAUTHORIZED_BEARER = { code: 'Unauthorized', message: 'a valid bearer token is required', path: 'headers.authorization' } as const;
const UNAUTHORIZED_SIGNATURE = { code: 'Unauthorized', message: 'a valid request signature is required', path: 'headers.x-edgescale-signature' } as const;
const FORBIDDEN_WEBHOOK = {
  code: 'Forbidden',
  message: `a webhook signature may only call ${WEBHOOK_SCOPE.method} ${WEBHOOK_SCOPE.path}; use the bearer token for other routes`,
  path: 'url',
} as const;

/** Decodes exactly: invalid UTF-8 throws instead of becoming U+FFFD, and a BOM is kept, so the text re-encodes to the received bytes. */
const exactUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface AuthOptions {
  /** Epoch milliseconds; the signature window is measured against it. */
  clock?: () => number;
}

/** The /v1 middleware; `requireAuth` is this with the real clock. */
export function createAuth(options: AuthOptions = {}): MiddlewareHandler<{ Bindings: Env }> {
  const clock = options.clock ?? (() => Date.now());
  // Each misconfiguration is logged once per isolate, not once per request.
  let warnedDisabled = false;
  let warnedShortKey = false;

  const webhookKey = (env: Env): string | undefined => {
    const key = env.EDGESCALE_WEBHOOK_HMAC_KEY;
    if (!key) return undefined;
    if (encoder.encode(key).length < MIN_WEBHOOK_KEY_BYTES) {
      if (!warnedShortKey) {
        warnedShortKey = true;
        console.error(`edgescale: EDGESCALE_WEBHOOK_HMAC_KEY is shorter than ${MIN_WEBHOOK_KEY_BYTES} bytes; signed requests are refused until it is replaced (openssl rand -hex 32)`);
      }
      return undefined;
    }
    return key;
  };

  const unauthorized = (c: Context, body: typeof UNAUTHORIZED_BEARER | typeof UNAUTHORIZED_SIGNATURE) => {
    // RFC 9110 §15.5.2: a 401 carries a challenge; the bearer token is the scheme every route takes.
    c.header('WWW-Authenticate', 'Bearer realm="edgescale"');
    return errorResponse(c, { ...body });
  };

  return async (c, next) => {
    if (authDisabled(c.env, c.req.url)) {
      if (!warnedDisabled) {
        warnedDisabled = true;
        console.warn('!!! edgescale: AUTH IS DISABLED (EDGESCALE_DEV_AUTH_DISABLED=true). Never deploy with this set. !!!');
      }
      c.header('X-Edgescale-Auth', 'disabled (dev only)');
      c.set('edgescaleAuth', { scheme: 'disabled' });
      return next();
    }

    const authorization = c.req.header('authorization');
    const signature = c.req.header(SIGNATURE_HEADER);
    const key = webhookKey(c.env);
    if (authorization === undefined && signature !== undefined && key !== undefined) {
      // The MAC is over the raw bytes, so the body is read here (once, within the size limit; the
      // route reads the same bytes from the cache). Too large is 413: it cannot be verified unread.
      const raw = await readRawBody(c);
      if (!raw.ok) return errorResponse(c, raw.error);
      let text: string;
      try {
        text = exactUtf8.decode(raw.bytes);
      } catch {
        return unauthorized(c, UNAUTHORIZED_SIGNATURE);
      }
      const verified = await verifySignature(key, signature, text, Math.floor(clock() / 1000), WEBHOOK_TOLERANCE_SECONDS);
      if (!verified.ok) return unauthorized(c, UNAUTHORIZED_SIGNATURE);
      // Scope after verification: only a sender holding the key learns it may not call this route.
      if (c.req.method !== WEBHOOK_SCOPE.method || c.req.path !== WEBHOOK_SCOPE.path) return errorResponse(c, { ...FORBIDDEN_WEBHOOK });
      // verifySignature accepted the header, so it has exactly one `t=` of whole seconds.
      c.set('edgescaleAuth', { scheme: 'webhook', signedAt: Number(/(?:^|,)\s*t=(\d+)/.exec(signature)![1]) });
      return next();
    }

    const token = c.env.EDGESCALE_API_TOKEN;
    if (!token) {
      console.error('edgescale: EDGESCALE_API_TOKEN is not set; refusing every request (wrangler secret put EDGESCALE_API_TOKEN)');
      return errorResponse(c, { code: 'AuthNotConfigured', message: 'the server has no API token configured', path: 'headers.authorization' });
    }
    const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!match || !constantTimeEqual(match[1]!.trim(), token)) return unauthorized(c, UNAUTHORIZED_BEARER);
    c.set('edgescaleAuth', { scheme: 'bearer' });
    return next();
  };
}

export const requireAuth: MiddlewareHandler<{ Bindings: Env }> = createAuth();
