// HMAC-SHA256 signing of decision deliveries: the X-Edgescale-Signature header, made and checked with Web Crypto only.
//
// Wire format (Stripe-like, https://docs.stripe.com/webhooks/signatures; verification order follows
// stripe-node src/Webhooks.ts `validateComputedSignature`):
//
//   X-Edgescale-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key, `${t}.${rawBody}`)>
//   Idempotency-Key: <decisionId>
//   X-Edgescale-Delivery-Attempt: <n, 1 for the first try, counting on across queue redeliveries>
//
// The key is used as its UTF-8 bytes (not hex- or base64-decoded), exactly as node:crypto's
// createHmac('sha256', keyString) does, so an actuator can verify with a single line of Node.
// Only `t` and the raw body are signed. The Idempotency-Key header is a convenience copy of the
// body's (signed) `decisionId`; actuators should key on the body's value (docs/actuator.md).

export const SIGNATURE_HEADER = 'X-Edgescale-Signature';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const ATTEMPT_HEADER = 'X-Edgescale-Delivery-Attempt';
/** Scheme label of the signature; a future algorithm gets a new label and verifiers ignore labels they do not know. */
const SIGNATURE_SCHEME = 'v1';
/** Five minutes, Stripe's default: wide enough for clock skew and a slow network, narrow enough to limit replays. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
/** Header entries accepted; two `v1` values cover a key rotation, so 16 entries is generous and bounds the parse work. */
const MAX_HEADER_ENTRIES = 16;
/** Hex characters in a SHA-256 HMAC. */
const HEX_SIGNATURE_LENGTH = 64;

export type SignatureFailureCode = 'MissingSignature' | 'MalformedSignature' | 'StaleTimestamp' | 'BadSignature';
export type VerifyResult = { ok: true } | { ok: false; code: SignatureFailureCode; message: string };

const encoder = new TextEncoder();

/**
 * Hex HMAC-SHA256 over `${timestamp}.${body}`. `timestamp` must be whole unix seconds (it is written
 * into the header as is). Web Crypto refuses a zero-length HMAC key, so an empty `key` rejects; the
 * delivery adapter never signs without a key (it reports NotConfigured instead).
 */
export async function signPayload(key: string, timestamp: number, body: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(`${timestamp}.${body}`));
  return toHex(new Uint8Array(mac));
}

/** The header value for one signed request: `t=<timestamp>,v1=<signature>`. */
export function formatSignatureHeader(timestamp: number, signature: string): string {
  return `t=${timestamp},${SIGNATURE_SCHEME}=${signature}`;
}

/**
 * Checks an X-Edgescale-Signature header against the raw body.
 *
 * Order, as in stripe-node: a missing header, then a header that does not parse, then the
 * signature, then the age. Checking the signature before the age means StaleTimestamp is only
 * reported for a genuine but old (replayed or badly delayed) request; a forged one is BadSignature.
 * Unlike Stripe, which only rejects old timestamps, a timestamp more than `toleranceSeconds` in the
 * future is stale too: accepting it would let a captured request be replayed until that time.
 * Several `v1` entries are accepted (any match passes), as in Stripe, so a sender can sign with an
 * old and a new key during a rotation; unknown entries (`v0`, a future `v2`) are ignored.
 */
export async function verifySignature(
  key: string,
  header: string | null | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
): Promise<VerifyResult> {
  if (header === null || header === undefined || header.trim() === '') {
    return { ok: false, code: 'MissingSignature', message: `the ${SIGNATURE_HEADER} header is missing or empty` };
  }
  const parsed = parseSignatureHeader(header);
  if (!parsed.ok) return { ok: false, code: 'MalformedSignature', message: parsed.message };
  if (key === '') {
    // Nothing can be verified without a key; the caller's configuration is at fault, not the sender.
    return { ok: false, code: 'BadSignature', message: 'no verification key is configured' };
  }
  const expected = await signPayload(key, parsed.timestamp, body);
  // Compare against every candidate without stopping early, so timing does not reveal which matched.
  let matched = false;
  for (const candidate of parsed.signatures) matched = constantTimeEqualHex(expected, candidate) || matched;
  if (!matched) return { ok: false, code: 'BadSignature', message: 'no v1 signature matches the body for this key' };
  const age = nowSeconds - parsed.timestamp;
  if (Math.abs(age) > toleranceSeconds) {
    return {
      ok: false,
      code: 'StaleTimestamp',
      message: `signature timestamp is ${Math.abs(age)} s ${age >= 0 ? 'old' : 'in the future'}, outside the ${toleranceSeconds} s window`,
    };
  }
  return { ok: true };
}

type ParsedHeader = { ok: true; timestamp: number; signatures: string[] } | { ok: false; message: string };

/** Splits `t=…,v1=…[,v1=…]`; every entry must be `name=value`, `t` must appear once as whole seconds. */
function parseSignatureHeader(header: string): ParsedHeader {
  const entries = header.split(',');
  if (entries.length > MAX_HEADER_ENTRIES) return { ok: false, message: `more than ${MAX_HEADER_ENTRIES} entries in the header` };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    const eq = entry.indexOf('=');
    if (eq <= 0) return { ok: false, message: `header entry "${entry.slice(0, 32)}" is not name=value` };
    const name = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    if (name === 't') {
      if (timestamp !== undefined) return { ok: false, message: 'the header carries more than one t=' };
      // Whole seconds only, at most 12 digits: the value must round-trip exactly into the signed string.
      if (!/^\d{1,12}$/.test(value)) return { ok: false, message: 't= is not whole unix seconds' };
      timestamp = Number(value);
    } else if (name === SIGNATURE_SCHEME) {
      if (value.length !== HEX_SIGNATURE_LENGTH || !/^[0-9a-fA-F]+$/.test(value)) {
        return { ok: false, message: `${SIGNATURE_SCHEME}= is not ${HEX_SIGNATURE_LENGTH} hex characters` };
      }
      signatures.push(value.toLowerCase());
    }
  }
  if (timestamp === undefined) return { ok: false, message: 'the header has no t= timestamp' };
  if (signatures.length === 0) return { ok: false, message: `the header has no ${SIGNATURE_SCHEME}= signature` };
  return { ok: true, timestamp, signatures };
}

/** Equal-length lowercase hex compared in time that depends only on the length. */
function constantTimeEqualHex(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
