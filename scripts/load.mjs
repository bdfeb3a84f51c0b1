#!/usr/bin/env node
// A bounded load generator for a local `npm start` (wrangler dev): a fixed mix of valid and invalid requests.
//
//   node scripts/load.mjs [--url http://127.0.0.1:8787] [--duration 60] [--concurrency 64] [--token T] [--seed 1]
//
// Plain Node 20, no dependencies. Loopback only: it refuses any host but 127.0.0.1, localhost and
// [::1], so it can never be pointed at a deployed worker. The request sequence comes from a seeded
// PRNG (the same --seed gives the same bodies in the same order; which connection sends which is up
// to scheduling). 80 % are valid /v1/evaluate batches of 1–20 targets over the bundled rule sets;
// 20 % are invalid: malformed JSON, an unknown rule set, "NaN" as a metric value, a body over 1 MiB,
// and a wrong bearer token when --token is given and the server checks tokens.
//
// Exit 1 when a valid request is answered with anything but 2xx (or has a target that failed), when
// an invalid request is answered 2xx, or when anything is answered 5xx; 2 when it cannot run.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';

/** wrangler dev is a developer's server; five minutes of load says all a run can say. */
const MAX_DURATION_S = 300;
/** Connections beyond this only queue inside workerd (one isolate) and measure the client. */
const MAX_CONCURRENCY = 256;
/** The worker refuses bodies over LIMITS.bodyBytes (src/limits.ts: 1 MiB) with 413. */
const BODY_LIMIT_BYTES = 1_048_576;
/** The oversized body: just past the limit, as a client that miscounts would send. */
const OVERSIZED_BYTES = BODY_LIMIT_BYTES + 64 * 1024;
/** Share of valid requests in the fixed mix. */
const VALID_SHARE = 0.8;
/** Unexpected answers quoted in the report. */
const MAX_SAMPLES = 5;
/** A request slower than this is abandoned and counted as an error (a stuck server, not slowness). */
const REQUEST_TIMEOUT_MS = 30_000;
/** wrangler dev's reload or a stuck socket must not keep the script alive past its duration. */
const HARD_STOP_GRACE_MS = REQUEST_TIMEOUT_MS + 5_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Evaluation instants sweep a week in one-minute steps, so storefront's profiles all take turns. */
const BASE_NOW_MS = Date.parse('2026-11-23T00:00:00Z');
const WEEK_MINUTES = 7 * 24 * 60;

// ---------------------------------------------------------------------------------------------------
// Options

function fail(message) {
  console.error(`load: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8787' },
    duration: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '64' },
    token: { type: 'string' },
    seed: { type: 'string', default: '1' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(
    'usage: node scripts/load.mjs [--url http://127.0.0.1:8787] [--duration 60 (≤300 s)] [--concurrency 64 (≤256)] [--token T | EDGESCALE_API_TOKEN] [--seed 1]',
  );
  process.exit(0);
}

function intOption(name, text, max) {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) fail(`--${name} must be a positive integer, got "${text}"`);
  if (n > max) fail(`--${name} is at most ${max}, got ${n}`);
  return n;
}

const durationS = intOption('duration', values.duration, MAX_DURATION_S);
const concurrency = intOption('concurrency', values.concurrency, MAX_CONCURRENCY);
const seed = Number(values.seed);
if (!Number.isInteger(seed)) fail(`--seed must be an integer, got "${values.seed}"`);
const token = values.token ?? process.env.EDGESCALE_API_TOKEN ?? undefined;

let base;
try {
  base = new URL(values.url);
} catch {
  fail(`--url is not a URL: ${values.url}`);
}
if (base.protocol !== 'http:') fail(`--url must be http:// (wrangler dev), got ${base.protocol}`);
if (!LOOPBACK.has(base.hostname)) {
  fail(`refusing to load ${base.hostname}: this script only targets a local server (127.0.0.1, localhost, [::1])`);
}
const port = Number(base.port || 80);
const evaluateUrl = new URL('/v1/evaluate', base).href;

// ---------------------------------------------------------------------------------------------------
// Deterministic request sequence

/** mulberry32: a tiny seeded PRNG, good enough to vary load and reproducible across runs. */
function prng(seedValue) {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rng = prng(seed);
const between = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = (items) => items[Math.floor(rng() * items.length)];
const round1 = (x) => Math.round(x * 10) / 10;
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** A series of one-minute points ending at `now`, a random walk around `mean` kept within [lo, hi]. */
function series(nowMs, minutes, mean, spread, lo, hi, instance) {
  const points = [];
  let v = mean + (rng() - 0.5) * spread;
  for (let m = minutes - 1; m >= 0; m--) {
    v = Math.min(hi, Math.max(lo, v + (rng() - 0.5) * spread * 0.4));
    points.push({ t: iso(nowMs - m * 60_000), v: round1(v), ...(instance !== undefined && { instance }) });
  }
  return points;
}

/** Sometimes a metric comes as one current value, as the README's first example sends it. */
function metric(nowMs, minutes, mean, spread, lo, hi) {
  return rng() < 0.25 ? round1(Math.min(hi, Math.max(lo, mean + (rng() - 0.5) * spread))) : series(nowMs, minutes, mean, spread, lo, hi);
}

/** The state a previous decision would have returned: a scale some minutes ago and its cooldown. */
function previousState(nowMs, capacity, rule) {
  const ago = between(1, 30) * 60_000;
  const direction = rng() < 0.5 ? 'out' : 'in';
  const from = direction === 'out' ? Math.max(1, capacity - 1) : capacity + 1;
  const until = iso(nowMs - ago + 5 * 60_000);
  return {
    version: 1,
    lastScale: { at: iso(nowMs - ago), direction, rule, from, to: capacity },
    cooldownUntil: { out: until, in: until },
  };
}

// Metric shapes follow rules/*.json: the metric names each rule set reads, capacities within or near
// its bounds, values on both sides of its thresholds.
const TARGET_BUILDERS = {
  'web-tier': (nowMs) => {
    const capacity = between(2, 20);
    const mean = pick([20, 50, 85]);
    const instances = between(1, 4);
    const cpu = [];
    for (let i = 0; i < instances; i++) cpu.push(...series(nowMs, 10, mean, 30, 0, 100, `vm-${i}`));
    return { capacity, metrics: { cpu: rng() < 0.3 ? round1(mean) : cpu }, rule: 'cpu-high' };
  },
  'api-requests': (nowMs) => {
    const capacity = between(2, 30);
    const perInstance = pick([200, 700, 1500]);
    return { capacity, metrics: { requests: metric(nowMs, 15, perInstance * capacity, perInstance, 0, 1e6) }, rule: 'rpm-high' };
  },
  'queue-workers': (nowMs) => {
    const capacity = between(1, 50);
    const perWorker = pick([10, 60, 150]);
    return { capacity, metrics: { queue: metric(nowMs, 5, perWorker * capacity, perWorker * 2, 0, 1e6) }, rule: 'backlog-high' };
  },
  storefront: (nowMs) => {
    const capacity = between(1, 30);
    return { capacity, metrics: { cpu: metric(nowMs, 10, pick([20, 50, 80]), 30, 0, 100) }, rule: 'cpu-high' };
  },
  'k8s-api': (nowMs) => {
    const capacity = between(2, 40);
    const utilization = pick([30, 60, 90]);
    const pods = Math.min(capacity, 8);
    const cpu = [];
    for (let i = 0; i < pods; i++) cpu.push({ t: iso(nowMs), v: round1(utilization + (rng() - 0.5) * 20), instance: `pod-${i}` });
    return { capacity, metrics: { cpu, rps: metric(nowMs, 2, pick([50, 100, 200]), 40, 0, 1e5) }, rule: null };
  },
  'aws-step': (nowMs) => {
    const capacity = between(2, 20);
    return { capacity, metrics: { cpu: metric(nowMs, 3, pick([20, 45, 65, 75, 90]), 10, 0, 100) }, rule: 'cpu-high-steps' };
  },
};
const RULE_SETS = Object.keys(TARGET_BUILDERS);

function validBody(index) {
  const nowMs = BASE_NOW_MS + (index % WEEK_MINUTES) * 60_000;
  const targets = [];
  const count = between(1, 20);
  for (let i = 0; i < count; i++) {
    const ruleSet = pick(RULE_SETS);
    const { capacity, metrics, rule } = TARGET_BUILDERS[ruleSet](nowMs);
    const target = { id: `${ruleSet}-${index}-${i}`, ruleSet, capacity, metrics };
    // k8s-api keeps HPA history in its state; a hand-made lastScale is for the Azure/AWS-style sets.
    if (ruleSet !== 'k8s-api' && rng() < 0.25) target.state = previousState(nowMs, capacity, rule);
    if (rng() < 0.2) target.labels = { team: pick(['shop', 'api', 'batch']), env: 'load' };
    targets.push(target);
  }
  return { now: iso(nowMs), targets };
}

// The invalid kinds and the status each must get (src/http/errors.ts, STATUS).
const INVALID_KINDS = {
  'malformed-json': {
    expected: 400,
    build: (index) => {
      const text = JSON.stringify(validBody(index));
      return { body: text.slice(0, between(1, text.length - 1)) };
    },
  },
  'unknown-ruleset': {
    expected: 422,
    build: (index) => {
      const body = validBody(index);
      for (const t of body.targets) t.ruleSet = `no-such-rule-set-${between(1, 999)}`;
      return { body: JSON.stringify(body) };
    },
  },
  'nan-metric': {
    expected: 422,
    build: (index) => {
      const body = validBody(index);
      // Every target, so the batch as a whole fails (one bad target among good ones would be a 207).
      for (const t of body.targets) t.metrics[Object.keys(t.metrics)[0]] = 'NaN';
      return { body: JSON.stringify(body) };
    },
  },
  oversized: {
    expected: 413,
    build: () => ({ body: OVERSIZED_BODY }),
  },
  'bad-auth': {
    expected: 401,
    build: (index) => ({ body: JSON.stringify(validBody(index)), token: `wrong-${token}-${index}` }),
  },
};

// Valid JSON just over the limit, built once: the point is the server's refusal, not the client's work.
const OVERSIZED_BODY = (() => {
  const head = '{"targets":[{"id":"big","ruleSet":"web-tier","capacity":3,"metrics":{"cpu":50}}],"padding":"';
  return head + 'x'.repeat(OVERSIZED_BYTES - head.length - 2) + '"}';
})();

function nextRequest(index, invalidKinds) {
  if (rng() < VALID_SHARE) return { kind: 'valid', expected: 200, body: JSON.stringify(validBody(index)) };
  const kind = pick(invalidKinds);
  return { kind, expected: INVALID_KINDS[kind].expected, ...INVALID_KINDS[kind].build(index) };
}

// ---------------------------------------------------------------------------------------------------
// workerd's memory: the workerd process that owns the listening socket, found through /proc.

function listeningInodes(portNumber) {
  const inodes = new Set();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT, st 0A is LISTEN, inode is the tenth field.
      if (f.length > 9 && f[3] === '0A' && parseInt(f[1].split(':')[1], 16) === portNumber) inodes.add(f[9]);
    }
  }
  return inodes;
}

function workerdPid(portNumber) {
  const candidates = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes('workerd')) candidates.push({ pid: Number(entry), cmdline });
    } catch {
      // gone, or not ours to read
    }
  }
  const inodes = listeningInodes(portNumber);
  for (const c of candidates) {
    try {
      for (const fd of readdirSync(`/proc/${c.pid}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${c.pid}/fd/${fd}`));
        if (m && inodes.has(m[1])) return c.pid;
      }
    } catch {
      // not ours to read; fall back to the command line below
    }
  }
  // wrangler dev passes the listening address on workerd's command line (--socket-addr=entry=localhost:8787).
  const byArg = candidates.filter((c) => c.cmdline.includes(`:${portNumber} `) || c.cmdline.endsWith(`:${portNumber}`));
  if (byArg.length === 1) return byArg[0].pid;
  return candidates.length === 1 ? candidates[0].pid : undefined;
}

function rssKiB(pid) {
  if (pid === undefined) return undefined;
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

const mib = (kib) => (kib === undefined ? 'unknown' : `${(kib / 1024).toFixed(1)} MiB`);

// ---------------------------------------------------------------------------------------------------
// Running

function percentile(sorted, p) {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function newStats() {
  return { latencies: [], statuses: new Map(), errors: 0, unexpected: 0, failedTargets: 0 };
}

async function send(req) {
  const headers = { 'content-type': 'application/json' };
  const bearer = req.token ?? token;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const started = performance.now();
  try {
    const res = await fetch(evaluateUrl, {
      method: 'POST',
      headers,
      body: req.body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - started };
  } catch (err) {
    return { status: 0, error: err?.cause?.code ?? err?.name ?? String(err), ms: performance.now() - started };
  }
}

async function main() {
  let health;
  try {
    const res = await fetch(new URL('/healthz', base), { signal: AbortSignal.timeout(5_000) });
    health = await res.json();
  } catch (err) {
    fail(`no server answers ${new URL('/healthz', base).href} (${err?.cause?.code ?? err?.message}); start it with \`npm start\``);
  }
  // "bearer", "bearer, webhook signature (…)" or "DISABLED (dev only)" (src/http/app.ts, /healthz).
  const authOn = typeof health?.auth === 'string' && health.auth.startsWith('bearer');
  if (authOn && !token) fail('the server requires a bearer token: pass --token or set EDGESCALE_API_TOKEN');
  const invalidKinds = ['malformed-json', 'unknown-ruleset', 'nan-metric', 'oversized'];
  let badAuthNote = '';
  if (token && authOn) invalidKinds.push('bad-auth');
  else if (token) badAuthNote = 'bad-auth skipped: the server has dev auth disabled, so it accepts any token';
  else badAuthNote = 'bad-auth skipped: no --token given';

  const pid = workerdPid(port);
  const rssBefore = rssKiB(pid);
  let rssPeak = rssBefore;
  const load0 = loadavg();

  const stats = new Map();
  const statsOf = (kind) => {
    if (!stats.has(kind)) stats.set(kind, newStats());
    return stats.get(kind);
  };
  let issued = 0;
  const errorKinds = new Map();
  /** The first few answers that break the rules, quoted in the report so a failure can be diagnosed. */
  const samples = [];
  const keepSample = (kind, res) => {
    if (samples.length < MAX_SAMPLES) samples.push(`${kind} → ${res.status || res.error}: ${(res.text ?? '').slice(0, 300)}`);
  };

  console.log(
    `load: ${evaluateUrl} for ${durationS} s at concurrency ${concurrency}, seed ${seed}, ${Math.round(VALID_SHARE * 100)}% valid; ` +
      `workerd pid ${pid ?? 'unknown'}, auth ${health?.auth ?? 'unknown'}`,
  );
  if (badAuthNote) console.log(`load: ${badAuthNote}`);

  const started = performance.now();
  const deadline = started + durationS * 1000;
  const sampler = setInterval(() => {
    const rss = rssKiB(pid);
    if (rss !== undefined && (rssPeak === undefined || rss > rssPeak)) rssPeak = rss;
  }, 500);
  const hardStop = setTimeout(() => {
    console.error('load: requests still pending long after the duration; giving up');
    process.exit(1);
  }, durationS * 1000 + HARD_STOP_GRACE_MS);
  hardStop.unref();

  async function worker() {
    while (performance.now() < deadline) {
      // Drawn in issue order from the one PRNG: the sequence of bodies is fixed by the seed.
      const index = issued++;
      const req = nextRequest(index, invalidKinds);
      const res = await send(req);
      const s = statsOf(req.kind);
      s.latencies.push(res.ms);
      s.statuses.set(res.status, (s.statuses.get(res.status) ?? 0) + 1);
      if (res.status === 0) {
        s.errors++;
        errorKinds.set(res.error, (errorKinds.get(res.error) ?? 0) + 1);
        if (req.kind === 'valid') keepSample(req.kind, res);
        continue;
      }
      if (req.kind === 'valid') {
        if (res.status >= 200 && res.status < 300) {
          let failed;
          try {
            failed = JSON.parse(res.text).summary?.failed ?? 0;
          } catch {
            failed = 1;
          }
          s.failedTargets += failed;
          if (failed > 0) keepSample(req.kind, res);
        } else {
          keepSample(req.kind, res);
        }
      } else if (res.status !== req.expected) {
        s.unexpected++;
        if (res.status < 400 || res.status >= 500) keepSample(req.kind, res);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  clearInterval(sampler);
  // Let workerd finish what the last requests allocated before reading its memory again.
  await new Promise((r) => setTimeout(r, 1_000));
  const rssAfter = rssKiB(pid);
  if (rssAfter !== undefined && (rssPeak === undefined || rssAfter > rssPeak)) rssPeak = rssAfter;
  const load1 = loadavg();

  // ----- report
  const count = (s, pred) => [...s.statuses].reduce((n, [status, c]) => n + (pred(status) ? c : 0), 0);
  const total = [...stats.values()].reduce((n, s) => n + s.latencies.length, 0);
  const kinds = ['valid', ...invalidKinds].filter((k) => stats.has(k));
  const rows = [];
  let validNon2xx = 0;
  let any5xx = 0;
  let invalid2xx = 0;
  let invalid4xx = 0;
  let invalidTotal = 0;
  let failedTargets = 0;
  let wrongStatus = 0;
  for (const kind of kinds) {
    const s = stats.get(kind);
    const sorted = Float64Array.from(s.latencies).sort();
    const ok2xx = count(s, (st) => st >= 200 && st < 300);
    const c4xx = count(s, (st) => st >= 400 && st < 500);
    const c5xx = count(s, (st) => st >= 500);
    any5xx += c5xx;
    if (kind === 'valid') {
      validNon2xx += s.latencies.length - ok2xx;
      failedTargets += s.failedTargets;
    } else {
      invalidTotal += s.latencies.length;
      invalid2xx += ok2xx;
      invalid4xx += c4xx;
      wrongStatus += s.unexpected;
    }
    const f = (x) => (x === undefined ? '–' : x.toFixed(1));
    const statuses = [...s.statuses].sort((a, b) => a[0] - b[0]).map(([st, c]) => `${st === 0 ? 'net-error' : st}×${c}`).join(' ');
    rows.push(
      `| ${kind}${kind === 'valid' ? '' : ` (→ ${INVALID_KINDS[kind].expected})`} | ${s.latencies.length} | ${(s.latencies.length / elapsedS).toFixed(1)} | ${f(percentile(sorted, 50))} | ${f(percentile(sorted, 90))} | ${f(percentile(sorted, 99))} | ${statuses} |`,
    );
  }

  const day = new Date().toISOString().slice(0, 10);
  console.log('');
  console.log(`### ${day} — load: \`node scripts/load.mjs --duration ${durationS} --concurrency ${concurrency} --seed ${seed}\``);
  console.log('');
  console.log(
    `Against \`npm start\` (wrangler dev, one local workerd) on ${base.host}; Node ${process.version} client on the same machine ` +
      `(${cpus().length} cores, shared with other jobs: load average ${load0[0].toFixed(1)} before, ${load1[0].toFixed(1)} after). ` +
      `${total} requests in ${elapsedS.toFixed(1)} s = **${(total / elapsedS).toFixed(1)} req/s** overall; ` +
      `${Math.round(VALID_SHARE * 100)}/${Math.round((1 - VALID_SHARE) * 100)} valid/invalid, valid batches of 1–20 targets over ${RULE_SETS.join(', ')}.`,
  );
  console.log('');
  console.log('| kind | requests | req/s | p50 ms | p90 ms | p99 ms | statuses |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const row of rows) console.log(row);
  console.log('');
  console.log(`workerd (pid ${pid ?? 'unknown'}) RSS: ${mib(rssBefore)} before, ${mib(rssPeak)} peak, ${mib(rssAfter)} after.`);
  console.log('');
  console.log(`- valid requests not answered 2xx: ${validNon2xx}; targets that failed inside valid batches: ${failedTargets}`);
  console.log(`- invalid requests answered 4xx: ${invalid4xx} of ${invalidTotal}; with a status other than the expected one: ${wrongStatus}; answered 2xx: ${invalid2xx}`);
  console.log(`- 5xx answers: ${any5xx}`);
  if (errorKinds.size > 0) {
    console.log(`- network errors: ${[...errorKinds].map(([k, c]) => `${k}×${c}`).join(', ')}`);
  }
  if (badAuthNote) console.log(`- ${badAuthNote}`);
  for (const sample of samples) console.log(`- sample: ${sample}`);

  const problems = [];
  if (validNon2xx > 0) problems.push(`${validNon2xx} valid request(s) not answered 2xx`);
  if (failedTargets > 0) problems.push(`${failedTargets} target(s) failed inside valid batches`);
  if (any5xx > 0) problems.push(`${any5xx} 5xx answer(s)`);
  if (invalid2xx > 0) problems.push(`${invalid2xx} invalid request(s) answered 2xx`);
  if (problems.length > 0) {
    console.log(`\nload: FAILED — ${problems.join('; ')}`);
    return 1;
  }
  console.log('\nload: OK');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
