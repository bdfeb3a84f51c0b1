// GET /metrics scraped by a real Prometheus: Debian's `prometheus` (/usr/bin/prometheus) scrapes `edgescale serve` (dist/cli.mjs)
// on 127.0.0.1 with a token granted only GET /metrics; after a few evaluations, Prometheus' HTTP API must report the decisions
// edgescale made. Both processes and the temporary directory are removed at the end, whatever happened; a watchdog ends the run.
// Prints "N passed, M failed"; exits 1 on any failure. Run after `npm run build:cli`: node scripts/prometheus-test.mjs
// (PROMETHEUS=/path overrides the binary).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChecks, expect, requireFiles, stopProcess } from './lib/checks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'edgescale.mjs');
const prometheusBin = process.env.PROMETHEUS ?? '/usr/bin/prometheus';
/** Longest a server start or one wait for Prometheus may take on a loaded CI machine. */
const STEP_MS = 30_000;
/** The whole run: past it, everything is stopped and the run fails. */
const TOTAL_MS = 120_000;
/** Scrape every second, so the first scrape after the evaluations comes quickly. */
const SCRAPE_INTERVAL = '1s';

requireFiles('prometheus-test', [
  [join(root, 'dist', 'cli.mjs'), 'run `npm run build:cli` first'],
  [prometheusBin, 'install it: apt-get install -y --no-install-recommends prometheus'],
]);

const { check, fail, summary, watchdog: startWatchdog } = createChecks();
const OPS_TOKEN = randomBytes(32).toString('hex');
const SCRAPE_TOKEN = randomBytes(32).toString('hex');
const tmp = mkdtempSync(join(tmpdir(), 'edgescale-prometheus-test-'));

const children = [];
/** Stops every process started here (SIGTERM, then SIGKILL after 5 s) and removes the temporary directory. */
async function cleanup() {
  await Promise.all(children.map((child) => stopProcess(child)));
  rmSync(tmp, { recursive: true, force: true });
}
const watchdog = startWatchdog(TOTAL_MS, cleanup);

/** Spawns `command` and resolves once its output matches `ready` (to the match), or rejects with the output so far. */
function start(command, args, env, ready) {
  const child = spawn(command, args, { cwd: root, env });
  children.push(child);
  let output = '';
  const result = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${output}`)), STEP_MS);
    const onData = (d) => {
      output += d;
      const m = ready.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('close', (code) => (clearTimeout(timer), reject(new Error(`${command} exited with ${code}: ${output}`))));
  });
  return { result, output: () => output };
}

/** A free TCP port on 127.0.0.1 (Prometheus takes no port 0). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls an instant query until `accept` takes its result, or throws with the last answer after STEP_MS. */
async function waitForQuery(base, query, accept) {
  const deadline = Date.now() + STEP_MS;
  let last;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(5_000) });
      last = await res.json();
      if (last.status === 'success' && accept(last.data.result)) return last.data.result;
    } catch (error) {
      last = String(error);
    }
    await sleep(500);
  }
  throw new Error(`${query}: no acceptable answer within ${STEP_MS / 1000} s; last: ${JSON.stringify(last)}`);
}

try {
  // edgescale serve: one token that may evaluate, one that may only be scraped with (the least Prometheus needs).
  const env = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(env)) if (/^(EDGESCALE_|ACTUATOR_)/.test(name)) delete env[name];
  env.EDGESCALE_CREDENTIALS = JSON.stringify({
    credentials: [
      { id: 'ops', kind: 'token', secret: OPS_TOKEN, routes: ['POST /v1/evaluate'], targets: ['*'], ruleSets: { bundled: ['*'] } },
      { id: 'prometheus', kind: 'token', secret: SCRAPE_TOKEN, routes: ['GET /metrics'] },
    ],
  });
  const serve = start(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', join(tmp, 'data')], env, /listening on (http:\/\/\S+)/);
  const base = (await serve.result)[1];

  await check('three decisions through POST /v1/evaluate (scale out 4→5 each)', async () => {
    const targets = [1, 2, 3].map((i) => ({ id: `web-${i}`, ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } }));
    const res = await fetch(`${base}/v1/evaluate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ now: '2026-11-22T10:30:00Z', targets }),
    });
    const body = await res.json();
    expect(res.status === 200 && body.results.every((r) => r.ok && r.decision.code === 'ScaleOut'), `${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  });

  await check('GET /metrics refuses the evaluating token (403) and answers the scrape token', async () => {
    const refused = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } });
    expect(refused.status === 403, `expected 403, got ${refused.status}`);
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
    const text = await res.text();
    expect(res.status === 200 && text.includes('edgescale_decisions_total{action="scaleOut",code="ScaleOut"} 3'), `${res.status}: ${text.slice(0, 300)}`);
  });

  // Prometheus: scrapes the server every second with the scrape token, read from a file as a deployment would.
  const tokenFile = join(tmp, 'scrape-token');
  writeFileSync(tokenFile, SCRAPE_TOKEN, { mode: 0o600 });
  const target = new URL(base).host;
  writeFileSync(
    join(tmp, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${SCRAPE_INTERVAL}`,
      `  scrape_timeout: ${SCRAPE_INTERVAL}`,
      'scrape_configs:',
      '  - job_name: edgescale',
      '    authorization:',
      '      type: Bearer',
      `      credentials_file: ${tokenFile}`,
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const promPort = await freePort();
  const prometheus = start(
    prometheusBin,
    [`--config.file=${join(tmp, 'prometheus.yml')}`, `--storage.tsdb.path=${join(tmp, 'tsdb')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=info'],
    { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    /Server is ready to receive web requests/,
  );
  await prometheus.result;
  const promBase = `http://127.0.0.1:${promPort}`;

  await check('Prometheus scrapes edgescale serve: up{job="edgescale"} is 1', async () => {
    await waitForQuery(promBase, 'up{job="edgescale"}', (r) => r.length === 1 && r[0].value[1] === '1');
  });

  await check('Prometheus reports edgescale_decisions_total{action="scaleOut",code="ScaleOut"} = 3', async () => {
    const result = await waitForQuery(promBase, 'edgescale_decisions_total{job="edgescale",action="scaleOut"}', (r) => r.length === 1);
    expect(result[0].metric.code === 'ScaleOut' && result[0].value[1] === '3', JSON.stringify(result));
  });

  await check('and the batch size histogram: one request of three targets', async () => {
    const result = await waitForQuery(promBase, 'edgescale_batch_targets_sum{job="edgescale"}', (r) => r.length === 1);
    expect(result[0].value[1] === '3', JSON.stringify(result));
  });
} catch (error) {
  fail('setup', error);
} finally {
  clearTimeout(watchdog);
  await cleanup();
}
process.exit(summary());
