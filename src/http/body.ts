// Reading a request body once within the size limit: raw bytes (signatures are over them) and JSON held to the request limits.
import type { Context } from 'hono';
import type { ErrorBody } from '../schemas/decision.js';
import { logOf } from './request-log.js';
import { checkEvaluateLimits, checkRuleSetLimits, checkSimulateLimits, LIMIT_CEILINGS, limitSource, resolveLimits, type LimitIssue, type RequestLimits } from '../limits.js';

export type RawBodyResult = { ok: true; bytes: Uint8Array } | { ok: false; error: ErrorBody };
export type BodyResult = { ok: true; value: unknown } | { ok: false; error: ErrorBody };

/** The deployment's effective request limits (src/limits.ts), from the worker variables. */
export function requestLimits(c: Context): RequestLimits {
  const { limits, warnings } = resolveLimits(c.env ?? {});
  // Each misconfiguration is reported once per process or isolate (Logger.once), not per request.
  for (const warning of warnings) logOf(c).once(warning, 'warn', 'config.invalid', warning);
  return limits;
}

/**
 * Bodies the runtime has already read whole, by request. `edgescale serve` reads a body with a
 * Content-Length within the limit straight off the socket (src/cli/serve-fast.ts) instead of through a
 * web stream; readRawBody takes those bytes as it would have read them. Never set in the worker.
 */
const bodiesRead = new WeakMap<Request, Uint8Array>();

/** Hands readRawBody the whole body of `request`, already read: a fresh buffer of exactly the body's length, at most the body limit. */
export function provideBody(request: Request, bytes: Uint8Array): void {
  bodiesRead.set(request, bytes);
}

/**
 * The body's bytes, read at most once per request and never past the limit: a body without a
 * Content-Length (chunked) is streamed and the stream cancelled as soon as it passes the limit,
 * instead of being buffered whole first. The bytes go into hono's body cache, so the auth
 * middleware can verify a signature over them and the route can still read the body afterwards.
 */
export async function readRawBody(c: Context, limits: RequestLimits = requestLimits(c)): Promise<RawBodyResult> {
  const limit = limits.bodyBytes;
  const tooLarge: RawBodyResult = {
    ok: false,
    error: { code: 'PayloadTooLarge', message: `the body exceeds the limit of ${limit} bytes (${limitSource('bodyBytes', limits)})`, path: 'body' },
  };
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > limit) return tooLarge;
  if (Object.keys(c.req.bodyCache).length > 0) {
    // Already read (by the middleware, or as another type): hono converts from its cache.
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    return bytes.length > limit ? tooLarge : { ok: true, bytes };
  }
  const bytes = bodiesRead.get(c.req.raw) ?? (await readCapped(c.req.raw.body, limit));
  if (!bytes || bytes.length > limit) return tooLarge;
  // hono 4 keeps body *promises* in bodyCache (request.js #cachedBody stores `raw[key]()` and converts
  // from any cached key with `.then`), although its type says ArrayBuffer; store what it stores.
  (c.req.bodyCache as Record<string, unknown>).arrayBuffer = Promise.resolve(bytes.buffer);
  return { ok: true, bytes };
}

/**
 * Bytes of a chunked body read and dropped after it passed the limit, before giving up on it: 16 MiB
 * (as much as the CLI reads from a file), at least 4 MiB past the highest body limit
 * (LIMIT_CEILINGS.bodyBytes, 12 MiB) and 12 MiB past the default. More than the socket buffers of
 * both ends hold together (a few MiB on Linux), so a client that has finished sending is always
 * read to its end and its keep-alive connection stays usable, while a client still uploading past
 * it is cut off. Dropping costs no memory and little CPU (native reads, nothing parsed).
 */
const DRAIN_BYTES = LIMIT_CEILINGS.bodyBytes + 4 * 1_048_576;

/** All of the stream, or undefined as soon as it has more than `limit` bytes (the rest drained up to DRAIN_BYTES). */
async function readCapped(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array | undefined> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Over the limit: nothing more is kept, but the rest is read and dropped up to DRAIN_BYTES, so
      // the 413 leaves the connection usable. workerd (wrangler dev) hangs a keep-alive connection
      // whose chunked body was left half read; Node closes it, as the 413 says (`Connection: close`,
      // src/http/errors.ts). A body longer still is cancelled, and the connection with it.
      for (let drained = total; drained <= DRAIN_BYTES; ) {
        const next = await reader.read();
        if (next.done) return undefined;
        drained += next.value.byteLength;
      }
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  // A fresh buffer of exactly the body's length: the cache hands out `.buffer`, which must hold nothing else.
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * The count limits each route's body is held to, checked on the parsed JSON before the schema:
 * a request over a limit is refused whole with 422 LimitExceeded naming the limit and the path.
 * Keyed here rather than passed by each route so the routes (src/http/app.ts) read bodies as before.
 */
const ROUTE_LIMITS: Record<string, (value: unknown, limits: RequestLimits) => LimitIssue | undefined> = {
  'POST /v1/evaluate': checkEvaluateLimits,
  'POST /v1/validate': (value, limits) => checkRuleSetLimits(value, '', limits),
  'POST /v1/simulate': checkSimulateLimits,
};

/** One decoder for every body: decode() without `stream` keeps no state between calls, and a new TextDecoder per request showed in the profile of `edgescale serve`. */
const UTF8 = new TextDecoder();

export async function readJson(c: Context, limits: RequestLimits = requestLimits(c)): Promise<BodyResult> {
  // Any content type is read as JSON: webhook senders and `curl -d` often label JSON as text or form data.
  const raw = await readRawBody(c, limits);
  if (!raw.ok) return raw;
  const text = UTF8.decode(raw.bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const error: ErrorBody = { code: 'MalformedJson', message: `the body is not valid JSON: ${message}`, path: 'body' };
    const pos = /position (\d+)/.exec(message);
    if (pos) {
      const offset = Number(pos[1]);
      const before = text.slice(0, offset).split('\n');
      error.position = offset;
      error.message = `the body is not valid JSON at line ${before.length}, column ${before[before.length - 1]!.length + 1}: ${message}`;
    }
    return { ok: false, error };
  }
  const over = ROUTE_LIMITS[`${c.req.method} ${c.req.path}`]?.(value, limits);
  if (over) return { ok: false, error: over };
  return { ok: true, value };
}
