// Reading a JSON body within the size limit, with malformed JSON reported by line and column.
import type { Context } from 'hono';
import { LIMITS } from '../limits.js';
import type { ErrorBody } from './errors.js';

export type BodyResult = { ok: true; value: unknown } | { ok: false; error: ErrorBody };

export async function readJson(c: Context, limit: number = LIMITS.bodyBytes): Promise<BodyResult> {
  // Any content type is read as JSON: webhook senders and `curl -d` often label JSON as text or form data.
  const declared = Number(c.req.header('content-length') ?? 0);
  const tooLarge: ErrorBody = {
    code: 'PayloadTooLarge',
    message: `the body exceeds the limit of ${limit} bytes (LIMITS.bodyBytes)`,
    path: 'body',
  };
  if (declared > limit) return { ok: false, error: tooLarge };
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length > limit) return { ok: false, error: tooLarge };
  const text = new TextDecoder().decode(bytes);
  try {
    return { ok: true, value: JSON.parse(text) };
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
}
