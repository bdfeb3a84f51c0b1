// Canonical JSON and SHA-256 (node:crypto, synchronous), for spec hashes and decision ids.
import { createHash } from 'node:crypto';

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

/** SHA-256 of a string's UTF-8 bytes, as lowercase hex (node:crypto: native in Node, and in workerd under nodejs_compat). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
