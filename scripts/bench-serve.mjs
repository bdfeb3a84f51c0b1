#!/usr/bin/env node
// `edgescale serve` throughput: GET /healthz against a 1-target POST /v1/evaluate, req/s over paired rounds (issue #15 item 6).
//
//   node scripts/bench-serve.mjs [--cli dist/cli.mjs ...] [--duration 5] [--concurrency 16] [--rounds 5] [--warmup 2] [--accept-gzip] [--profile DIR]
//   npm run bench:serve        # builds dist/cli.mjs first
//
// Starts the built CLI (`--cli`, default dist/cli.mjs; repeat it to compare builds) as `edgescale serve`
// on 127.0.0.1 with a fresh token and data directory, then per round drives /healthz and /v1/evaluate
// for --duration seconds each, on each build in turn, the orders alternating between rounds so drifting
// machine load hits every build and route alike. The client is raw
// keep-alive node:net sockets with prebuilt request bytes and a minimal response parser (status line
// and Content-Length), so it costs the shared CPU as little as possible. Loopback only, bounded: at
// most MAX_DURATION_S per phase and MAX_CONCURRENCY connections; it stops the server itself.
// Beside req/s it reports the server's CPU time per request (Linux /proc), which other processes on a
// shared machine disturb much less than wall-clock throughput.
// Exits 1 when any answer is not 200 (a benchmark of errors measures nothing).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { loadavg, tmpdir, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** A phase longer than this measures the machine's patience, not the server. */
const MAX_DURATION_S = 60;
/** More connections than this only queue in the one Node process. */
const MAX_CONCURRENCY = 256;
const TOKEN = 'b'.repeat(64);

const { values: opts } = parseArgs({
  options: {
    /** The built CLI to start; repeat it to compare builds, round by round. */
    cli: { type: 'string', multiple: true, default: [] },
    duration: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    'accept-gzip': { type: 'boolean', default: false },
    /** A directory for the server's V8 CPU profile (node --cpu-prof), written when it stops. */
    profile: { type: 'string' },
    /** With --profile: drive only this route (healthz or evaluate), so the profile shows one path. */
    only: { type: 'string' },
  },
});
const duration = Math.min(Number(opts.duration), MAX_DURATION_S);
const concurrency = Math.min(Number(opts.concurrency), MAX_CONCURRENCY);
const rounds = Number(opts.rounds);
const warmup = Math.min(Number(opts.warmup), MAX_DURATION_S);
if (!(duration > 0 && concurrency > 0 && rounds > 0 && warmup >= 0)) {
  console.error('bench-serve: --duration, --concurrency and --rounds must be positive numbers');
  process.exit(2);
}

const BODY = JSON.stringify({ now: '2026-11-22T10:30:00Z', targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } }] });

function startServer(cli) {
  const dataDir = mkdtempSync(join(tmpdir(), 'edgescale-bench-serve-'));
  const env = { ...process.env, NO_COLOR: '1', EDGESCALE_API_TOKEN: TOKEN };
  for (const name of Object.keys(env)) if (/^(EDGESCALE_|ACTUATOR_)/.test(name) && name !== 'EDGESCALE_API_TOKEN') delete env[name];
  const child = spawn(
    process.execPath,
    [...(opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(opts.profile)}`] : []), resolve(cli), 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => (child.kill('SIGKILL'), fail(new Error(`server did not start:\n${out}`))), 30_000);
    const onData = (d) => {
      out += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        // From here on the server's log lines (a request and a decision record per evaluate) are
        // drained and dropped: kept and rescanned, they made the benchmark itself slower each round.
        child.stdout.off('data', onData);
        child.stderr.off('data', onData);
        child.stdout.resume();
        child.stderr.resume();
        ok({
          port: Number(m[1]),
          pid: child.pid,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => (rmSync(dataDir, { recursive: true, force: true }), done()));
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => (clearTimeout(timer), fail(new Error(`server exited with ${code}:\n${out}`))));
  });
}

function requestBytes(port, route) {
  const gzip = opts['accept-gzip'] ? 'Accept-Encoding: gzip\r\n' : '';
  if (route === 'healthz') return Buffer.from(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${gzip}\r\n`);
  return Buffer.from(
    `POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\n${gzip}Content-Length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`,
  );
}

/**
 * The server's CPU time so far (user + system, /proc/<pid>/stat), in seconds, or undefined off Linux.
 * Per request it is steadier than req/s on a shared machine: other processes take wall time, not this.
 */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Drives one route on `concurrency` keep-alive connections for `seconds`; resolves to { rps, cpuUs (server CPU µs per request), bad }. */
function drive({ port, pid }, route, seconds) {
  const request = requestBytes(port, route);
  let count = 0;
  let bad = 0;
  let stopping = false;
  const sockets = [];
  const one = () =>
    new Promise((done) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.setNoDelay(true);
      sockets.push(sock);
      let buf = Buffer.alloc(0);
      sock.on('connect', () => sock.write(request));
      sock.on('data', (d) => {
        buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buf.toString('latin1', 0, end);
          const len = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? NaN);
          if (!Number.isFinite(len)) {
            bad++;
            sock.destroy();
            return;
          }
          if (buf.length < end + 4 + len) return;
          if (head.startsWith('HTTP/1.1 200 ')) count++;
          else bad++;
          buf = buf.subarray(end + 4 + len);
          if (stopping) {
            sock.end();
            return;
          }
          sock.write(request);
        }
      });
      sock.on('error', () => bad++);
      sock.on('close', done);
    });
  const all = Array.from({ length: concurrency }, one);
  return new Promise((ok) => {
    let startCount = 0;
    // Counting starts after the connections are open and the first answers are in.
    setTimeout(() => {
      startCount = count;
      const cpu0 = cpuSeconds(pid);
      const t0 = process.hrtime.bigint();
      setTimeout(() => {
        const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
        const measured = count - startCount;
        const cpu1 = cpuSeconds(pid);
        const cpuUs = cpu0 === undefined || cpu1 === undefined ? NaN : ((cpu1 - cpu0) * 1e6) / measured;
        stopping = true;
        const force = setTimeout(() => sockets.forEach((s) => s.destroy()), 5_000);
        Promise.all(all).then(() => (clearTimeout(force), ok({ rps: measured / elapsed, cpuUs, bad })));
      }, seconds * 1000);
    }, 250);
  });
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2, max: s[s.length - 1] };
};
const fmt = (x) => x.toFixed(0).padStart(7);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const clis = opts.cli.length > 0 ? opts.cli : [join(root, 'dist', 'cli.mjs')];
const servers = [];
let failed = false;
try {
  for (const cli of clis) servers.push({ cli, ...(await startServer(cli)), healthz: [], evaluate: [], ratios: [], cpuHealthz: [], cpuEvaluate: [], cpuRatios: [] });
  console.log(`bench-serve: ${rounds} rounds × ${duration} s per route, ${concurrency} connections, ${cpus().length} CPUs, load ${load()}`);
  if (opts.only) {
    for (const server of servers) {
      const res = await drive(server, opts.only, duration * rounds);
      console.log(`  ${server.cli}: ${opts.only} only: ${fmt(res.rps)} req/s, ${res.cpuUs.toFixed(0)} µs server CPU per request${res.bad > 0 ? `, ${res.bad} not 200` : ''}`);
      failed ||= res.bad > 0;
    }
  } else {
    for (const server of servers) {
      if (warmup > 0) {
        await drive(server, 'healthz', warmup);
        await drive(server, 'evaluate', warmup);
      }
    }
    // Rounds interleave the builds (and alternate the route order), so drifting machine load hits all alike.
    for (let r = 0; r < rounds; r++) {
      for (const server of r % 2 === 0 ? servers : [...servers].reverse()) {
        const got = {};
        for (const route of r % 2 === 0 ? ['healthz', 'evaluate'] : ['evaluate', 'healthz']) {
          const res = await drive(server, route, duration);
          if (res.bad > 0) {
            failed = true;
            console.error(`bench-serve: ${server.cli} ${route}: ${res.bad} answers were not 200`);
          }
          got[route] = res.rps;
          got[`${route}Cpu`] = res.cpuUs;
        }
        server.healthz.push(got.healthz);
        server.evaluate.push(got.evaluate);
        server.ratios.push(got.evaluate / got.healthz);
        server.cpuHealthz.push(got.healthzCpu);
        server.cpuEvaluate.push(got.evaluateCpu);
        server.cpuRatios.push(got.healthzCpu / got.evaluateCpu);
        console.log(
          `  round ${r + 1} ${server.cli}: healthz ${fmt(got.healthz)} req/s ${fmt(got.healthzCpu)} µs CPU   evaluate ${fmt(got.evaluate)} req/s ${fmt(got.evaluateCpu)} µs CPU   ratio ${(got.evaluate / got.healthz).toFixed(3)}`,
        );
      }
    }
    for (const server of servers) {
      const h = stats(server.healthz);
      const e = stats(server.evaluate);
      const q = stats(server.ratios);
      console.log(`\n  ${server.cli}            min / median / max`);
      console.log(`    healthz   ${fmt(h.min)} / ${fmt(h.median)} / ${fmt(h.max)} req/s`);
      console.log(`    evaluate  ${fmt(e.min)} / ${fmt(e.median)} / ${fmt(e.max)} req/s`);
      console.log(`    ratio     ${q.min.toFixed(3).padStart(7)} / ${q.median.toFixed(3).padStart(7)} / ${q.max.toFixed(3).padStart(7)}   (evaluate / healthz req/s, per round)`);
      const ch = stats(server.cpuHealthz);
      const ce = stats(server.cpuEvaluate);
      const cq = stats(server.cpuRatios);
      console.log(`    server CPU per request: healthz ${fmt(ch.min)} / ${fmt(ch.median)} / ${fmt(ch.max)} µs   evaluate ${fmt(ce.min)} / ${fmt(ce.median)} / ${fmt(ce.max)} µs`);
      console.log(
        `    CPU ratio ${cq.min.toFixed(3).padStart(7)} / ${cq.median.toFixed(3).padStart(7)} / ${cq.max.toFixed(3).padStart(7)}   (healthz µs / evaluate µs: the req/s ratio of a server-bound run)`,
      );
    }
  }
  console.log(`  load after: ${load()}`);
} finally {
  await Promise.all(servers.map((s) => s.stop()));
}
process.exit(failed ? 1 : 0);
