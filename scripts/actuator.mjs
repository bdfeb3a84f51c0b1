#!/usr/bin/env node
// A tiny local actuator for manual testing: verifies each signed decision POST (docs/actuator.md) and prints it.
//
//   ACTUATOR_HMAC_KEY=... node scripts/actuator.mjs [--port 8788] [--fail N]
//
// The signature check is written here independently of src/delivery/sign.ts, with node:crypto, so
// it also cross-checks the worker's implementation. Listens on 127.0.0.1 only. Answers 200 to a
// verified decision (also to a repeat, which it reports as a duplicate, as an idempotent actuator
// should), 401 to a bad or missing signature, 400 to a body it cannot use, and 503 to the first N
// requests with --fail N so the worker's retries and queue can be watched.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

/** Five minutes either way, the window the worker's own verifier uses. */
const TOLERANCE_SECONDS = 300;
/** Decisions are a few KB; anything past 1 MiB is not ours. */
const MAX_BODY_BYTES = 1_048_576;
const HOST = '127.0.0.1';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8788' },
    fail: { type: 'string', default: '0' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('usage: ACTUATOR_HMAC_KEY=<key> node scripts/actuator.mjs [--port 8788] [--fail N]');
  process.exit(0);
}
const port = Number(values.port);
let failuresLeft = Number(values.fail);
if (!Number.isInteger(port) || port < 1 || port > 65535 || !Number.isInteger(failuresLeft) || failuresLeft < 0) {
  console.error('actuator: --port must be 1-65535 and --fail a whole number ≥ 0');
  process.exit(2);
}
const key = process.env.ACTUATOR_HMAC_KEY;
if (!key) {
  console.error('actuator: set ACTUATOR_HMAC_KEY to the same key the worker signs with (wrangler secret / .dev.vars)');
  process.exit(2);
}

/** decisionId → times seen, to show that retries and redeliveries carry the same key. */
const seen = new Map();

/**
 * X-Edgescale-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key, `${t}.${rawBody}`)>.
 * Signature first, then age, so an old but genuine request reads as stale and a forged one as bad.
 */
function verify(header, rawBody, nowSeconds) {
  if (!header) return { ok: false, code: 'MissingSignature' };
  let t;
  const candidates = [];
  for (const part of header.split(',')) {
    const entry = part.trim();
    const eq = entry.indexOf('=');
    if (eq <= 0) return { ok: false, code: 'MalformedSignature' };
    const name = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    if (name === 't') {
      if (t !== undefined || !/^\d+$/.test(value)) return { ok: false, code: 'MalformedSignature' };
      t = Number(value);
    } else if (name === 'v1') {
      if (!/^[0-9a-fA-F]{64}$/.test(value)) return { ok: false, code: 'MalformedSignature' };
      candidates.push(Buffer.from(value, 'hex'));
    }
  }
  if (t === undefined || candidates.length === 0) return { ok: false, code: 'MalformedSignature' };
  const expected = createHmac('sha256', key).update(`${t}.`).update(rawBody).digest();
  let matched = false;
  for (const c of candidates) matched = timingSafeEqual(c, expected) || matched;
  if (!matched) return { ok: false, code: 'BadSignature' };
  if (Math.abs(nowSeconds - t) > TOLERANCE_SECONDS) return { ok: false, code: 'StaleTimestamp', age: nowSeconds - t };
  return { ok: true };
}

function answer(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function time() {
  return new Date().toISOString().slice(11, 19);
}

const server = createServer((req, res) => {
  if (req.method !== 'POST') return answer(res, 405, { error: 'MethodNotAllowed' });
  const chunks = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk);
  });
  req.on('end', () => {
    const attempt = req.headers['x-edgescale-delivery-attempt'] ?? '?';
    const idemKey = req.headers['idempotency-key'] ?? '';
    if (tooLarge) {
      console.log(`${time()}  ✗ 413  body over ${MAX_BODY_BYTES} bytes`);
      return answer(res, 413, { error: 'PayloadTooLarge' });
    }
    if (failuresLeft > 0) {
      failuresLeft--;
      console.log(`${time()}  ✗ 503  simulated outage (attempt ${attempt}, key ${String(idemKey).slice(0, 12)}…; ${failuresLeft} more to fail)`);
      return answer(res, 503, { error: 'SimulatedOutage' });
    }
    const raw = Buffer.concat(chunks);
    const check = verify(req.headers['x-edgescale-signature'], raw, Math.floor(Date.now() / 1000));
    if (!check.ok) {
      const detail = check.code === 'StaleTimestamp' ? ` (timestamp ${check.age} s off)` : '';
      console.log(`${time()}  ✗ 401  ${check.code}${detail}`);
      return answer(res, 401, { error: check.code });
    }
    let decision;
    try {
      decision = JSON.parse(raw.toString('utf8'));
    } catch {
      console.log(`${time()}  ✗ 400  signed body is not JSON`);
      return answer(res, 400, { error: 'InvalidJson' });
    }
    // Key on the signed body's decisionId; the header is only a copy and is not signed.
    if (typeof decision?.decisionId !== 'string' || decision.decisionId !== idemKey) {
      console.log(`${time()}  ✗ 400  Idempotency-Key does not match the body's decisionId`);
      return answer(res, 400, { error: 'IdempotencyKeyMismatch' });
    }
    const times = (seen.get(decision.decisionId) ?? 0) + 1;
    seen.set(decision.decisionId, times);
    const what =
      decision.kind === 'profileChange'
        ? `${decision.target}  profile ${decision.profile?.name} [${decision.bounds?.minimum}, ${decision.bounds?.maximum}]`
        : `${decision.target}  ${decision.action ?? '?'} ${decision.from ?? '?'}→${decision.to ?? '?'}`;
    const dup = times > 1 ? `  (duplicate #${times}: already applied, not applied again)` : '';
    console.log(`${time()}  ✓ 200  ${what}  ${decision.reason ?? ''}  [id ${decision.decisionId.slice(0, 12)}…, attempt ${attempt}]${dup}`);
    return answer(res, 200, { ok: true, duplicate: times > 1 });
  });
});

server.listen(port, HOST, () => {
  console.log(`actuator listening on http://${HOST}:${port}/ (set ACTUATOR_URL to this)`);
  if (failuresLeft > 0) console.log(`actuator will answer 503 to the first ${failuresLeft} request(s)`);
});
