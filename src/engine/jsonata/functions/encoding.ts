// $base64encode/$base64decode and the URL encoders: ported from jsonata 2.2.2 src/functions.js (MIT, © IBM Corp.), Workers-safe.
//
// jsonata on Node encodes with Buffer.from(str, 'binary') (each UTF-16 unit's low byte) and decodes
// with toString('binary') (each byte one character), leniently; written out here without Buffer,
// which Workers lack, with the same results.

import { JsonataError, type Focus } from '../runtime.js';
import { produceString, readChars, scanChars } from './util.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  table['-'.charCodeAt(0)] = 62; // Node also accepts the URL-safe alphabet
  table['_'.charCodeAt(0)] = 63;
  return table;
})();

/** Any character beyond Latin-1 (Node's 'binary' encoding keeps only its low byte). */
// eslint-disable-next-line no-control-regex -- the range starts at NUL on purpose: every Latin-1 character
const BEYOND_LATIN1 = /[^\x00-\xff]/g;

export function base64encode(this: Focus, str: string | undefined): string | undefined {
  if (str === undefined) return undefined;
  scanChars(this.rt, str.length, 'encoding base64');
  produceString(this.rt, Math.ceil(str.length / 3) * 4, '$base64encode');
  if (typeof btoa === 'function') {
    return btoa(str.replace(BEYOND_LATIN1, (c) => String.fromCharCode(c.charCodeAt(0) & 0xff)));
  }
  let out = '';
  const chunk: string[] = [];
  for (let i = 0; i < str.length; i += 3) {
    const b0 = str.charCodeAt(i) & 0xff;
    const has1 = i + 1 < str.length;
    const has2 = i + 2 < str.length;
    const b1 = has1 ? str.charCodeAt(i + 1) & 0xff : 0;
    const b2 = has2 ? str.charCodeAt(i + 2) & 0xff : 0;
    chunk.push(
      ALPHABET[b0 >> 2]!,
      ALPHABET[((b0 & 3) << 4) | (b1 >> 4)]!,
      has1 ? ALPHABET[((b1 & 15) << 2) | (b2 >> 6)]! : '=',
      has2 ? ALPHABET[b2 & 63]! : '=',
    );
    if (chunk.length >= 4096) {
      out += chunk.join('');
      chunk.length = 0;
    }
  }
  return out + chunk.join('');
}

export function base64decode(this: Focus, str: string | undefined): string | undefined {
  if (str === undefined) return undefined;
  scanChars(this.rt, str.length, 'decoding base64');
  produceString(this.rt, Math.floor((str.length * 3) / 4), '$base64decode');
  if (typeof atob === 'function' && !/[-_]/.test(str)) {
    try {
      return atob(str); // well-formed input: the same bytes as Node's decoder
    } catch {
      // malformed for atob: decode leniently below, as Node does
    }
  }
  let bits = 0;
  let nbits = 0;
  const codes: number[] = [];
  let out = '';
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c === 0x3d) break; // '=' ends the data
    const v = c < 128 ? DECODE[c]! : -1;
    if (v < 0) continue; // whitespace and anything else is skipped
    bits = (bits << 6) | v;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      codes.push((bits >> nbits) & 0xff);
      bits &= (1 << nbits) - 1;
      if (codes.length >= 4096) {
        out += String.fromCharCode(...codes);
        codes.length = 0;
      }
    }
  }
  return out + String.fromCharCode(...codes);
}

function uri(focus: Focus, str: string | undefined, fn: (s: string) => string, name: string): string | undefined {
  if (str === undefined) return undefined;
  readChars(focus.rt, str.length, `${name}`);
  let result: string;
  try {
    result = fn(str);
  } catch {
    const err = new JsonataError('D3140', `Malformed URL passed to $${name}(): ${JSON.stringify(str).slice(0, 100)}`, { value: str });
    throw Object.assign(err, { functionName: name });
  }
  produceString(focus.rt, result.length, `$${name}`);
  return result;
}

export function encodeUrlComponent(this: Focus, str: string | undefined): string | undefined {
  return uri(this, str, encodeURIComponent, 'encodeUrlComponent');
}

export function encodeUrl(this: Focus, str: string | undefined): string | undefined {
  return uri(this, str, encodeURI, 'encodeUrl');
}

export function decodeUrlComponent(this: Focus, str: string | undefined): string | undefined {
  return uri(this, str, decodeURIComponent, 'decodeUrlComponent');
}

export function decodeUrl(this: Focus, str: string | undefined): string | undefined {
  return uri(this, str, decodeURI, 'decodeUrl');
}
