// Who is calling /v1: a bearer token, a webhook's HMAC signature, or — dev switch on and the request provably local — nobody; each resolves to a credential with a scope (src/http/credentials.ts).
//
// Credentials, in this order (SECURITY.md, "Authentication"):
//   0. The configuration must be usable (credentials.ts: lengths, whitespace, one source, no secret
//      equal to ACTUATOR_HMAC_KEY); otherwise every /v1 request is 503 AuthNotConfigured naming the
//      variable, and the problem is logged once, without the value.
//   1. An `Authorization` header decides alone: `Bearer <token>`, compared in constant time with every
//      configured token. A request that carries one is never judged by its signature, so a wrong
//      token gets no second chance through another scheme.
//   2. Without one, and only when a webhook key is configured, `X-Edgescale-Signature: t=<unix s>,
//      v1=<hex HMAC-SHA256(key, "<t>.<raw body>")>` in the delivery format of src/delivery/sign.ts
//      (verified by its verifySignature), valid for 5 minutes either side of the worker's clock. The
//      key is the one `X-Edgescale-Key-Id` names, or the only one configured.
//   3. With neither, EDGESCALE_DEV_AUTH_DISABLED=true lets the request through as "local-dev" only if
//      the runtime's locality check (src/http/locality.ts) says it came from this machine.
// Failures answer only the code (401 Unauthorized) with a fixed sentence per scheme: nothing says
// whether the token, the key id, the timestamp or the MAC was wrong, and nothing echoes a header.
// What the credential may then do is checked by src/http/scopes.ts.
import type { Context, MiddlewareHandler } from 'hono';
import type { Env } from '../env.js';
import { DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER, verifySignature } from '../delivery/sign.js';
import { readRawBody } from './body.js';
import { errorResponse } from './errors.js';
import { LOCAL_DEV_CREDENTIAL, loadCredentials, type ConfigProblem, type Credential, type SecretCredential } from './credentials.js';
import { workerdLocality, type Locality } from './locality.js';
import { logOf } from './request-log.js';
import devAuthWarning from './dev-auth-warning.json';

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

/**
 * The one warning that auth is off, in one wording wherever it is told: by `edgescale serve` at start
 * (src/cli/serve-config.ts), by the first request it lets through, and by `npm start` (scripts/dev-vars.mjs, which
 * reads the same file); Logger.once keys it by this text, so a process tells it once.
 */
export const DEV_AUTH_WARNING: string = devAuthWarning.text;

/** The switch is on only for the exact string "true". */
export const devSwitchOn = (env: Env): boolean => env.EDGESCALE_DEV_AUTH_DISABLED === 'true';

/**
 * How far a signed request's `t` may be from the worker's clock, in either direction: the delivery
 * signature's window (5 minutes, Stripe's default). Older is a replay or a badly delayed request;
 * newer would let a captured request be replayed until that future time.
 */
export const WEBHOOK_TOLERANCE_SECONDS = DEFAULT_TOLERANCE_SECONDS;

/** Names the webhook key a request is signed with, when more than one is configured. Not secret, not signed. */
export const KEY_ID_HEADER = 'X-Edgescale-Key-Id';

/** How the request authenticated, and as which credential. */
type AuthInfo =
  | { scheme: 'bearer'; credential: Credential }
  | { scheme: 'webhook'; signedAt: number; credential: Credential }
  | { scheme: 'disabled'; credential: Credential };

declare module 'hono' {
  interface ContextVariableMap {
    edgescaleAuth: AuthInfo;
  }
}

const UNAUTHORIZED_BEARER = { code: 'Unauthorized', message: 'a valid bearer token is required', path: 'headers.authorization' } as const;
const UNAUTHORIZED_SIGNATURE = { code: 'Unauthorized', message: 'a valid request signature is required', path: 'headers.x-edgescale-signature' } as const;

/** Decodes exactly: invalid UTF-8 throws instead of becoming U+FFFD, and a BOM is kept, so the text re-encodes to the received bytes. */
const exactUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface AuthOptions {
  /** Epoch milliseconds; the signature window is measured against it. */
  clock?: () => number;
  /** Whether a request came from this machine (the dev switch); default: workerd's (src/http/locality.ts). */
  locality?: Locality;
}

/** The one-sentence 503 for unusable credentials: names the variables and what is wrong, never a value. */
function notConfiguredBody(problems: ConfigProblem[]) {
  const [first] = problems as [ConfigProblem, ...ConfigProblem[]];
  return {
    code: 'AuthNotConfigured' as const,
    message: `the server's credentials are not usable, so every /v1 request is refused: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : ''}`,
    path: `env.${first.variable}`,
    ...(problems.length > 1 && { issues: problems.map((p) => ({ path: `env.${p.variable}`, message: p.message })) }),
  };
}

/** The /v1 middleware; by default with the real clock and workerd's locality. */
export function createAuth(options: AuthOptions = {}): MiddlewareHandler<{ Bindings: Env }> {
  const clock = options.clock ?? (() => Date.now());
  const isLocal = options.locality ?? workerdLocality();

  const unauthorized = (c: Context, body: typeof UNAUTHORIZED_BEARER | typeof UNAUTHORIZED_SIGNATURE) => {
    // RFC 9110 §15.5.2: a 401 carries a challenge; the bearer token is the scheme every route takes.
    c.header('WWW-Authenticate', 'Bearer realm="edgescale"');
    return errorResponse(c, { ...body });
  };

  return async (c, next) => {
    const env = c.env ?? {};
    // Each misconfiguration is logged once per process or isolate (Logger.once, keyed by its text), not once per request.
    const log = logOf(c);
    const logOnce = (level: 'warn' | 'error', event: string, message: string) => log.once(message, level, event, message);
    const configured = loadCredentials(env);
    if (!configured.ok) {
      logOnce('error', 'auth.not_configured', `refusing every /v1 request (503 AuthNotConfigured): ${configured.problems.map((p) => p.message).join('; ')}`);
      return errorResponse(c, notConfiguredBody(configured.problems));
    }
    const authorization = c.req.header('authorization');
    const signature = c.req.header(SIGNATURE_HEADER);

    if (authorization === undefined && signature === undefined && devSwitchOn(env)) {
      if (isLocal(c)) {
        logOnce('warn', 'auth.disabled', DEV_AUTH_WARNING);
        c.header('X-Edgescale-Auth', 'disabled (dev only)');
        c.set('edgescaleAuth', { scheme: 'disabled', credential: LOCAL_DEV_CREDENTIAL });
        return next();
      }
      logOnce('warn', 'auth.dev_switch_ignored', 'EDGESCALE_DEV_AUTH_DISABLED=true is ignored for requests that are not provably local (SECURITY.md, "The dev switch"); they need credentials');
    }

    if (authorization === undefined && signature !== undefined && configured.webhooks.length > 0) {
      const keyId = c.req.header(KEY_ID_HEADER);
      const credential: SecretCredential | undefined =
        keyId !== undefined ? configured.webhooks.find((w) => w.id === keyId) : configured.webhooks.length === 1 ? configured.webhooks[0] : undefined;
      // The MAC is over the raw bytes, so the body is read here (once, within the size limit; the
      // route reads the same bytes from the cache). Too large is 413: it cannot be verified unread.
      const raw = await readRawBody(c);
      if (!raw.ok) return errorResponse(c, raw.error);
      if (!credential) return unauthorized(c, UNAUTHORIZED_SIGNATURE);
      let text: string;
      try {
        text = exactUtf8.decode(raw.bytes);
      } catch {
        return unauthorized(c, UNAUTHORIZED_SIGNATURE);
      }
      const verified = await verifySignature(credential.secret, signature, text, Math.floor(clock() / 1000), WEBHOOK_TOLERANCE_SECONDS);
      if (!verified.ok) return unauthorized(c, UNAUTHORIZED_SIGNATURE);
      // verifySignature accepted the header, so it has exactly one `t=` of whole seconds.
      c.set('edgescaleAuth', { scheme: 'webhook', signedAt: Number(/(?:^|,)\s*t=(\d+)/.exec(signature)![1]), credential });
      return next();
    }

    if (configured.source === 'none') {
      logOnce('error', 'auth.not_configured', 'no credentials are configured (EDGESCALE_API_TOKEN or EDGESCALE_CREDENTIALS); refusing every /v1 request (wrangler secret put EDGESCALE_API_TOKEN)');
      return errorResponse(c, { code: 'AuthNotConfigured', message: 'the server has no API token configured', path: 'env.EDGESCALE_API_TOKEN' });
    }
    const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!match) return unauthorized(c, UNAUTHORIZED_BEARER);
    const presented = match[1]!.trim();
    // Every token is compared, whichever matches, so the time does not say which one (or whether one) did.
    let found: SecretCredential | undefined;
    for (const token of configured.tokens) if (constantTimeEqual(presented, token.secret) && !found) found = token;
    if (!found) return unauthorized(c, UNAUTHORIZED_BEARER);
    c.set('edgescaleAuth', { scheme: 'bearer', credential: found });
    return next();
  };
}
