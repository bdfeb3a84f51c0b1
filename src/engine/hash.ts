// Canonical JSON and SHA-256 (node:crypto, synchronous), for spec hashes and decision ids.
import * as nodeCrypto from 'node:crypto';

/** JSON with object keys sorted at every level, so equal values always hash equally. */
export function canonicalJson(value: unknown): string {
  // One string built by appending (no per-level arrays or joins): this runs on every decision.
  let out = '';
  const write = (v: unknown): void => {
    if (v === null || typeof v !== 'object') {
      out += typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'null') : (JSON.stringify(v) ?? 'null');
      return;
    }
    if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out += ',';
        write(v[i] === undefined ? null : v[i]);
      }
      out += ']';
      return;
    }
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    out += '{';
    let first = true;
    for (const k of keys) {
      const item = obj[k];
      if (item === undefined) continue;
      if (!first) out += ',';
      first = false;
      out += JSON.stringify(k);
      out += ':';
      write(item);
    }
    out += '}';
  };
  write(value);
  return out;
}

/** node:crypto's one-shot hash() where the runtime has it (Node ≥ 20.12): no Hash object per call. */
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;

/**
 * SHA-256 of bytes, or of a string's UTF-8 bytes, as lowercase hex (node:crypto: native in Node, and
 * in workerd under nodejs_compat; a Hash object where the one-shot hash() is missing).
 */
export function sha256Hex(data: string | Uint8Array): string {
  return oneShot !== undefined ? oneShot('sha256', data, 'hex') : nodeCrypto.createHash('sha256').update(data).digest('hex');
}
