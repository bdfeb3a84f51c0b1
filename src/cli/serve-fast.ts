// `edgescale serve` between @hono/node-server and the app: small request bodies read off the socket without the web-stream bridge, and gzip for large answers.
//
// The hono app (src/http/app.ts) stays the one place that routes, authenticates and validates; this
// only changes how the bytes get to and from it. @hono/node-server still parses the request line, Host
// and headers and writes the answer. What it would do for a POST — build an undici Request with an
// AbortSignal around Readable.toWeb(incoming), then read that stream back (a fifth to a third of a
// 1-target evaluate's CPU, issue #15 and BENCHMARKS.md) — is replaced for a body with a Content-Length
// within the body limit: the bytes are collected from the socket here and handed to readRawBody
// (src/http/body.ts). A client that disconnects while its body is being read ahead leaves the app an
// empty or failing stream, as it would have found anyway; nothing truncated is ever decided on.
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Http2Bindings, HttpBindings } from '@hono/node-server';
import type { Env } from '../env.js';
import { createApp, type AppOptions } from '../http/app.js';
import { provideBody } from '../http/body.js';
import { nodePeerLocality } from '../http/locality.js';
import { resolveLimits } from '../limits.js';

const gzip = promisify(gzipCallback);

/**
 * How long a declared body may take to arrive before it is left to the streaming path. A client on
 * the same machine or network sends a body within the limit in well under this; one that is slower
 * (or that sends headers and then nothing, as a hostile one may) gets exactly the path it had before:
 * the app answers while the body is still coming (a 401 does not wait for it) and @hono/node-server
 * drains or closes after the answer. So reading ahead never holds an unauthenticated connection, or
 * its buffered bytes, longer than this.
 */
const BODY_WAIT_MS = 200;

/**
 * Answers smaller than this are sent as they are. 32 KiB is about 16 targets' decisions: below it the
 * bytes saved (a few kilobytes, one or two TCP segments) do not pay for compressing them on the
 * loopback and LAN links `edgescale serve` runs on, and the hot path (a few targets) stays cheap.
 */
export const GZIP_MIN_BYTES = 32 * 1024;

/** The server's request: node-server's lightweight web Request and the Node message under it. */
type NodeFetch = (request: Request, incoming: IncomingMessage, outgoing: ServerResponse) => Response | Promise<Response>;

/**
 * The fetch callback `edgescale serve` gives @hono/node-server: the worker's app over `env`, with the
 * dev switch asking the TCP peer. `fast: false` is the plain bridge (every body through a web stream,
 * no gzip), kept for the tests that check both give the same answers.
 */
export function serveFetch(
  env: Env,
  options: { fast?: boolean; bodyWaitMs?: number; app?: Omit<AppOptions, 'locality'> } = {},
): (request: Request, node: HttpBindings | Http2Bindings) => Response | Promise<Response> {
  // The dev switch asks the TCP peer, never the Host header or URL (src/http/locality.ts). The peer of
  // each request is kept beside the Request object the app receives; the app's bindings stay the
  // worker's variables, so no binding a configuration could set is ever read as the peer.
  const peers = new WeakMap<Request, string | undefined>();
  const app = createApp({ ...options.app, locality: nodePeerLocality((request) => peers.get(request)) });
  const plain = (request: Request) => app.fetch(request, env);
  // The body limit is the one readRawBody applies, resolved from the same variables.
  const answer = options.fast === false ? undefined : fastFetch(plain, resolveLimits(env).limits.bodyBytes, options.bodyWaitMs);
  return (request, node) => {
    peers.set(request, node.incoming.socket.remoteAddress);
    return answer ? answer(request, node.incoming as IncomingMessage, node.outgoing as ServerResponse) : plain(request);
  };
}

/**
 * Wraps the app's fetch. `bodyLimit` is the deployment's body limit (resolveLimits(env).bodyBytes, the
 * same value readRawBody holds the body to); bodies declared over it, chunked bodies and GET/HEAD go
 * to the app untouched, so their 413s and stream handling are the app's own.
 */
function fastFetch(fetch: (request: Request) => Response | Promise<Response>, bodyLimit: number, bodyWaitMs: number = BODY_WAIT_MS): NodeFetch {
  return (request, incoming, outgoing) => {
    if (outgoing instanceof GzipServerResponse && incoming.method !== 'HEAD' && acceptsGzip(incoming.headers['accept-encoding'])) outgoing.gzip = true;
    if (!readsAhead(incoming, bodyLimit)) return fetch(request);
    return readDeclaredBody(incoming, bodyWaitMs).then((bytes) => {
      if (bytes) {
        provideBody(request, bytes);
        // Should anything read the body from the Request itself, @hono/node-server makes it from these bytes.
        (incoming as IncomingMessage & { rawBody?: Buffer }).rawBody = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
      return fetch(request);
    });
  };
}

/** Whether the body is read ahead: not GET/HEAD, not chunked, a Content-Length within the limit. */
function readsAhead(incoming: IncomingMessage, bodyLimit: number): boolean {
  if (incoming.method === 'GET' || incoming.method === 'HEAD' || incoming.headers['transfer-encoding'] !== undefined) return false;
  const header = incoming.headers['content-length'];
  return header !== undefined && /^\d{1,15}$/.test(header) && Number(header) <= bodyLimit;
}

/**
 * The whole body (as many bytes as its Content-Length says) in a fresh buffer of exactly that length
 * (readRawBody's cache hands out its `.buffer`), or undefined when it does not end within `waitMs` or
 * the connection fails: then whatever was read is put back (`unshift`) for the streaming path, which
 * reads the body as before.
 */
export function readDeclaredBody(incoming: IncomingMessage, waitMs: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      clearTimeout(timer);
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', giveBack);
      incoming.off('aborted', giveBack);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.byteLength;
    };
    const onEnd = () => {
      cleanup();
      // Node's parser ends a Content-Length body at exactly that length; readRawBody checks the limit again.
      const out = new Uint8Array(total);
      let offset = 0;
      for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.byteLength;
      }
      resolve(out);
    };
    function giveBack() {
      cleanup();
      incoming.pause();
      if (total > 0 && !incoming.readableEnded && !incoming.destroyed) incoming.unshift(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      resolve(undefined);
    }
    const timer = setTimeout(giveBack, waitMs);
    incoming.on('data', onData);
    incoming.once('end', onEnd);
    incoming.once('error', giveBack);
    incoming.once('aborted', giveBack);
  });
}

/**
 * Whether Accept-Encoding allows gzip (RFC 9110 §12.5.3): `gzip` or `x-gzip` with a non-zero
 * weight, or `*` with a non-zero weight when gzip is not itself refused.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const item of header.split(',')) {
    const [coding = '', ...params] = item.split(';');
    const name = coding.trim().toLowerCase();
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    if (name === 'gzip' || name === 'x-gzip') return weight > 0;
    if (name === '*') star = weight > 0;
  }
  return star;
}

/**
 * The server's responses (`serverOptions.ServerResponse`): for a request that accepts gzip (`gzip`
 * set by the fetch wrapper), the head is held back until the body is known. A body of at least
 * GZIP_MIN_BYTES of JSON or text, written whole with end() (as @hono/node-server writes every string or
 * byte body), goes out gzipped with `Content-Encoding: gzip`, `Vary: Accept-Encoding` and the
 * compressed length; anything else (smaller, streamed, already encoded, 204/304) goes out exactly as
 * written. A class rather than per-request patches, so every response keeps one shape and a small
 * answer costs a flag and a length check.
 */
export class GzipServerResponse<Incoming extends IncomingMessage = IncomingMessage> extends ServerResponse<Incoming> {
  /** Set for a request whose Accept-Encoding allows gzip. */
  gzip = false;
  #held: [number, OutgoingHttpHeaders] | undefined = undefined;
  #released = false;

  #release(): void {
    this.#released = true;
    const head = this.#held;
    this.#held = undefined;
    if (head) super.writeHead(head[0], head[1]);
  }

  override writeHead(...args: unknown[]): this {
    // Only the (status, headers) form is held; any other goes out as it is.
    if (this.gzip && !this.#released && args.length <= 2 && typeof args[0] === 'number' && (args[1] === undefined || isHeaderObject(args[1]))) {
      this.#held = [args[0], { ...(args[1] as OutgoingHttpHeaders | undefined) }];
      return this;
    }
    if (this.gzip) this.#release();
    return (super.writeHead as (...a: unknown[]) => this).apply(this, args);
  }

  override write(...args: unknown[]): boolean {
    if (this.gzip) this.#release();
    return (super.write as (...a: unknown[]) => boolean).apply(this, args);
  }

  override flushHeaders(): void {
    if (this.gzip) this.#release();
    super.flushHeaders();
  }

  override end(...args: unknown[]): this {
    const head = this.#held;
    const [chunk] = args;
    const body = head && args.length === 1 ? (typeof chunk === 'string' ? Buffer.from(chunk) : chunk instanceof Uint8Array ? chunk : undefined) : undefined;
    if (!head || !body || body.byteLength < GZIP_MIN_BYTES || !compressible(head)) {
      if (this.gzip) this.#release();
      return (super.end as (...a: unknown[]) => this).apply(this, args);
    }
    this.#held = undefined;
    this.#released = true;
    const endWith = (status: number, headers: OutgoingHttpHeaders, bytes: Uint8Array) => {
      super.writeHead(status, headers);
      super.end(bytes);
    };
    gzip(body).then(
      (packed) => endWith(head[0], gzipHeaders(head[1], packed.byteLength), packed),
      // zlib does not fail on bytes in memory; were it to, the answer goes out as it was.
      () => endWith(head[0], head[1], body),
    );
    return this;
  }
}

const isHeaderObject = (value: unknown): value is OutgoingHttpHeaders => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The held headers for a gzipped body: Content-Length replaced, Content-Encoding added, Accept-Encoding added to Vary. */
function gzipHeaders(headers: OutgoingHttpHeaders, length: number): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  let vary: string | undefined;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'vary') vary = String(value);
    else if (lower !== 'content-length') out[name] = value;
  }
  out['Content-Encoding'] = 'gzip';
  out.Vary = vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding';
  out['Content-Length'] = length;
  return out;
}

/** Content types worth compressing: the API's JSON and the docs page. */
const COMPRESSIBLE = /^(application\/(json|[\w.+-]+\+json)|text\/[\w.+-]+)\s*(;|$)/i;

/** A status with a body, a JSON or text content type, and no content coding yet. */
function compressible([status, headers]: [number, OutgoingHttpHeaders]): boolean {
  if (status === 204 || status === 304 || status < 200) return false;
  let type = '';
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'content-encoding') return false;
    if (lower === 'content-type') type = String(value);
  }
  return COMPRESSIBLE.test(type);
}
