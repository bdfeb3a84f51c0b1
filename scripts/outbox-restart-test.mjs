#!/usr/bin/env node
// The delivery outbox of `edgescale serve` against a real process kill: SIGKILL mid-retry, restart, and
// every decision is delivered exactly once per idempotency key. Node only (real processes, better-sqlite3).
//
//   npm run build:cli && node scripts/outbox-restart-test.mjs
//
// A test actuator here (node:http, its own HMAC check) answers 503 while "down" and 200 once "up", and
// counts requests and 2xx answers per Idempotency-Key. Then:
//   1. up:   decision A is delivered at once.
//   2. down: decision B fails its four in-process attempts (queued), and the outbox's first round fails
//            too; decision C is then sent, and the server is SIGKILLed between C's in-process attempts,
//            before C has been reported anywhere.
//   3. up:   the server restarts on the same --data-dir; B and C are delivered from the outbox, A is not
//            sent again (also when asked to deliver it again), and attempt numbers carry on.
// Prints one line per check and "N passed, M failed"; exits 1 on any failure.
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'edgescale.mjs');
const KEY = 'outbox-restart-test-key-0123456789abcdef';
const TOKEN = 'a'.repeat(24) + '0123456789abcdef0123456789abcdef';
/** Longest wait for any one thing on a loaded CI machine. */
const TIMEOUT_MS = 30_000;
const NOW = '2026-11-22T10:30:00Z';

if (!existsSync(join(root, 'dist', 'cli.mjs'))) {
  console.error('outbox-restart-test: dist/cli.mjs is missing; run `npm run build:cli` first');
  process.exit(1);
}

// ------------------------------------------------------------------------------------------------
// The actuator

let up = true;
/** decisionId → { requests: [{ attempt, status }], ok: number } */
const seen = new Map();
const problems = [];

function verify(header, raw) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  const expected = createHmac('sha256', KEY).update(`${m[1]}.`).update(raw).digest();
  return timingSafeEqual(Buffer.from(m[2], 'hex'), expected) && Math.abs(Date.now() / 1000 - Number(m[1])) <= 300;
}

const actuator = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const key = String(req.headers['idempotency-key'] ?? '');
    let body;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = undefined;
    }
    if (!verify(req.headers['x-edgescale-signature'], raw) || body?.decisionId !== key) {
      problems.push(`a request for ${key.slice(0, 12)} failed verification`);
      res.writeHead(401).end();
      return;
    }
    const entry = seen.get(key) ?? { target: body.target, requests: [], ok: 0 };
    seen.set(key, entry);
    const status = up ? 200 : 503;
    entry.requests.push({ attempt: Number(req.headers['x-edgescale-delivery-attempt']), status });
    if (status === 200) entry.ok++;
    res.writeHead(status).end();
  });
});
await new Promise((r) => actuator.listen(0, '127.0.0.1', r));
const actuatorUrl = `http://127.0.0.1:${actuator.address().port}/decisions`;

// ------------------------------------------------------------------------------------------------
// The server

const dataDir = mkdtempSync(join(tmpdir(), 'edgescale-outbox-'));

function childEnv() {
  const env = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(env)) if (/^(EDGESCALE_|ACTUATOR_)/.test(name)) delete env[name];
  return { ...env, EDGESCALE_API_TOKEN: TOKEN, ACTUATOR_URL: actuatorUrl, ACTUATOR_HMAC_KEY: KEY };
}

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dataDir], { cwd: root, env: childEnv() });
    let output = '';
    const exited = new Promise((r) => child.on('close', (code, signal) => r({ code, signal })));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start: ${output}`));
    }, TIMEOUT_MS);
    child.stderr.on('data', (d) => (output += d));
    child.stdout.on('data', (d) => {
      output += d;
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m && /delivery outbox .*\((\d+) pending/.test(output)) {
        clearTimeout(timer);
        resolve({ url: m[1], child, exited, output: () => output });
      }
    });
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${output}`));
    });
  });
}

async function evaluate(server, target) {
  const res = await fetch(`${server.url}/v1/evaluate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ now: NOW, deliver: true, targets: [{ id: target, ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } }] }),
  });
  const json = await res.json();
  const result = json.results?.[0];
  if (!result?.ok) throw new Error(`evaluate ${target}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return { id: result.decision.decisionId, delivery: result.delivery };
}

async function until(what, condition) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const requestsFor = (id) => seen.get(id)?.requests ?? [];

let passed = 0;
let failed = 0;
function check(name, condition, detail = '') {
  if (condition) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${detail ? `\n    ${detail}` : ''}`);
  }
}

let server;
try {
  // 1. Up: A is delivered at once.
  server = await startServer();
  up = true;
  const a = await evaluate(server, 'web-a');
  check('A is delivered on its first attempt', a.delivery?.outcome === 'delivered' && a.delivery.attempts === 1, JSON.stringify(a.delivery));

  // 2. Down: B is queued after its in-process attempts, and an outbox round fails too.
  up = false;
  const b = await evaluate(server, 'web-b');
  check('B is queued after 4 failed in-process attempts', b.delivery?.outcome === 'queued' && b.delivery.attempts === 4, JSON.stringify(b.delivery));
  await until("B's first outbox round", () => requestsFor(b.id).length >= 5);
  // C: killed between its in-process attempts, before the answer reports it anywhere.
  const cRequest = evaluate(server, 'web-c').catch(() => undefined);
  let cId;
  await until("C's second attempt", () => {
    for (const [id, e] of seen) if (e.target === 'web-c' && e.requests.length >= 2) cId = id;
    return cId !== undefined;
  });
  server.child.kill('SIGKILL');
  const killed = await server.exited;
  await cRequest;
  check('the server was killed with SIGKILL mid-retry', killed.signal === 'SIGKILL', JSON.stringify(killed));
  const bBefore = requestsFor(b.id).length;
  const cBefore = requestsFor(cId).length;
  check('nothing was delivered while the actuator was down', requestsFor(b.id).every((r) => r.status === 503) && requestsFor(cId).every((r) => r.status === 503));

  // 3. Up again: restart on the same data directory.
  up = true;
  server = await startServer();
  check('the restarted server finds B and C pending in the outbox', /delivery outbox .*\(2 pending/.test(server.output()), server.output());
  await until('B and C delivered', () => seen.get(b.id)?.ok >= 1 && seen.get(cId)?.ok >= 1);
  const again = await evaluate(server, 'web-a');
  check('asking to deliver A again: reported delivered, not sent', again.id === a.id && again.delivery?.outcome === 'delivered' && again.delivery.attempts === 0, JSON.stringify(again.delivery));
  // Give any duplicate a chance to show up: the outbox's next rounds would have run by now.
  await new Promise((r) => setTimeout(r, 3_000));

  for (const [name, id] of [['A', a.id], ['B', b.id], ['C', cId]]) {
    const e = seen.get(id);
    check(`${name} was answered 2xx exactly once for its idempotency key`, e?.ok === 1, JSON.stringify(e));
    const attempts = e.requests.map((r) => r.attempt);
    // C's in-process attempts were never recorded (the kill came first), so its numbering starts over
    // from the outbox's count; the header is informational (docs/actuator.md), the key is what counts.
    if (name !== 'C') check(`${name}'s attempt numbers count on across the restart (${attempts.join(',')})`, attempts.every((n, i) => n === i + 1), JSON.stringify(attempts));
  }
  check('B and C each got exactly one request after the restart', requestsFor(b.id).length === bBefore + 1 && requestsFor(cId).length === cBefore + 1);
  check('every request carried a valid signature over its body', problems.length === 0, problems.join('; '));

  // One server per data directory: a second one is refused instead of delivering the same entries.
  const second = await startServer().then(
    (s) => (s.child.kill('SIGKILL'), { started: true }),
    (error) => ({ started: false, message: String(error.message) }),
  );
  check('a second server on the same --data-dir is refused (exit 1, "in use")', !second.started && /exited with 1/.test(second.message) && /in use by another process/.test(second.message), JSON.stringify(second));

  server.child.kill('SIGTERM');
  const stopped = await server.exited;
  check('SIGTERM stops the server with exit 0', stopped.code === 0, JSON.stringify(stopped));
  server = undefined;
} catch (error) {
  failed++;
  console.log(`not ok - ${error?.message ?? error}`);
  if (server) console.log(`    server output:\n${server.output()}`);
} finally {
  server?.child.kill('SIGKILL');
  actuator.close();
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
