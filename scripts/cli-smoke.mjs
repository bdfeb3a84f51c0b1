// Smoke test of the built CLI (dist/cli.mjs via bin/edgescale.mjs) as users run it: real processes, files, exit codes and HTTP.
// Run after `node scripts/build-cli.mjs`; prints one line per check, then "N passed, M failed", and exits 1 on any failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createChecks } from './lib/checks.mjs';
import { serveTrustChecks } from './serve-trust-smoke.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'edgescale.mjs');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** Longest a command or the server start may take on a loaded CI machine. */
const TIMEOUT_MS = 30_000;

if (!existsSync(join(root, 'dist', 'cli.mjs'))) {
  console.error('cli-smoke: dist/cli.mjs is missing; run `node scripts/build-cli.mjs` first');
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), 'edgescale-cli-smoke-'));
const file = (name, content) => {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
};

/** The environment of every child: none of the caller's edgescale settings, no colour. */
function childEnv(extra = {}) {
  const env = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(env)) if (/^(EDGESCALE_|ACTUATOR_)/.test(name)) delete env[name];
  return { ...env, ...extra };
}

function run(args, extraEnv) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: childEnv(extraEnv) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: edgescale ${args.join(' ')}`));
    }, TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let servers = 0;
/** Starts `edgescale serve`, resolves once it prints its URL; `stop()` sends SIGTERM and resolves to the exit code. */
function startServer(args, extraEnv) {
  return new Promise((resolve, reject) => {
    // Each server gets its own outbox directory, so a developer's `edgescale serve` in the checkout never holds the lock.
    const dataDir = join(tmp, `data-${++servers}`);
    const child = spawn(process.execPath, [bin, 'serve', '--data-dir', dataDir, ...args], { cwd: root, env: childEnv(extraEnv) });
    let stdout = '';
    let stderr = '';
    const exited = new Promise((r) => child.on('close', (code) => r(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start: ${stdout}${stderr}`));
    }, TIMEOUT_MS);
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        // Warnings follow the URL line; give them a moment to arrive.
        setTimeout(() => resolve({ url: m[1], output: () => stdout + stderr, stop: () => (child.kill('SIGTERM'), exited) }), 200);
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${stdout}${stderr}`));
    });
  });
}

const { check, summary } = createChecks();
function expect(condition, message, result) {
  if (!condition) throw new Error(result ? `${message}\n  exit ${result.code}\n  stdout: ${result.stdout}\n  stderr: ${result.stderr}` : message);
}

// The README's "Try it" request and the answer it documents: web-tier at 4 instances, cpu 85 → 5.
const README_NOW = '2026-11-22T10:30:00Z';
const README_BODY = { now: README_NOW, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } }] };

try {
  await check('--version prints the package version', async () => {
    const r = await run(['--version']);
    expect(r.code === 0 && r.stdout.includes(`edgescale ${pkg.version}`), 'expected the version and exit 0', r);
  });

  await check('--help on the command and on each subcommand exits 0', async () => {
    for (const args of [['--help'], ['validate', '--help'], ['eval', '-h'], ['simulate', '--help'], ['import', '--help'], ['export', '--help'], ['serve', '--help'], ['help', 'eval']]) {
      const r = await run(args);
      expect(r.code === 0 && r.stdout.startsWith('Usage: edgescale'), `edgescale ${args.join(' ')}`, r);
    }
  });

  await check('validate rules/*.json: every bundled rule set is valid (exit 0)', async () => {
    const files = readdirSync(join(root, 'rules'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => `rules/${f}`);
    const r = await run(['validate', ...files]);
    expect(r.code === 0, 'expected exit 0', r);
    for (const f of files) expect(r.stdout.includes(`${f}: valid`), `expected "${f}: valid"`, r);
  });

  await check('validate a broken file: exit 1, file:PATH: message (Code) and a caret under the JSONata error', async () => {
    const broken = file('broken.json', {
      id: 'broken',
      capacity: { minimum: 1, maximum: 5, default: 2 },
      rules: [{ id: 'hot', direction: 'out', when: { expr: 'metrics.cpu.avg > )' }, action: { type: 'ChangeCount', value: 1 } }],
    });
    const r = await run(['validate', broken]);
    expect(r.code === 1, 'expected exit 1', r);
    const lines = r.stdout.split('\n');
    const i = lines.findIndex((l) => l.startsWith(`${broken}:rules[0].when.expr: `) && l.endsWith('(ExprSyntax)'));
    expect(i >= 0, 'expected a file:rules[0].when.expr: … (ExprSyntax) line', r);
    expect(lines[i + 1]?.trim() === 'metrics.cpu.avg > )', 'expected the expression line', r);
    // The ")" is at offset 18 of the expression; the caret line has the same indent as the expression line.
    const indent = lines[i + 1].indexOf('metrics');
    expect(lines[i + 2] === `${' '.repeat(indent + 18)}^`, 'expected the caret under ")"', r);
  });

  await check('lint: the 50/70 overlap is a warning (exit 0), an error with --strict (exit 1); validate --json carries it', async () => {
    const rule = (id, direction, operator, threshold) => ({ id, direction, when: { metric: { metric: 'cpu', operator, threshold } }, action: { type: 'ChangeCount', value: 1 } });
    const overlap = file('overlap.json', { id: 'overlap', capacity: { minimum: 1, maximum: 10, default: 2 }, cooldown: 'PT10M', rules: [rule('cpu-high', 'out', 'GreaterThan', 50), rule('cpu-low', 'in', 'LessThan', 70)] });
    const lint = await run(['lint', overlap]);
    expect(lint.code === 0 && lint.stdout.includes(`${overlap}:rules[0].when.metric.threshold: warning: `) && lint.stdout.includes('(OutInOverlap)'), 'expected the warning and exit 0', lint);
    const strict = await run(['lint', '--strict', overlap]);
    expect(strict.code === 1, 'expected exit 1 with --strict', strict);
    const json = await run(['validate', '--json', overlap]);
    expect(json.code === 0 && JSON.parse(json.stdout)[0].warnings[0].code === 'OutInOverlap', 'expected the warning in --json', json);
  });

  await check('validate: invalid JSON is reported with line:column (exit 1)', async () => {
    const bad = file('syntax.json', '{\n  "id": "x",\n  "capacity": }');
    const r = await run(['validate', bad]);
    expect(r.code === 1 && r.stdout.includes(`${bad}:3:15: invalid JSON`), 'expected file:3:15: invalid JSON', r);
  });

  await check('validate: usage errors exit 2 (unknown flag, no files, unreadable file)', async () => {
    const unknown = await run(['validate', '--bogus', 'rules/web-tier.json']);
    expect(unknown.code === 2 && unknown.stderr.includes('--bogus'), 'unknown flag', unknown);
    const none = await run(['validate']);
    expect(none.code === 2 && none.stderr.includes('no files given'), 'no files', none);
    const missing = await run(['validate', join(tmp, 'does-not-exist.json')]);
    expect(missing.code === 2 && missing.stderr.includes('cannot read') && missing.stderr.includes('no such file'), 'unreadable file', missing);
  });

  await check('manners: no arguments print help (exit 0); a typo is suggested; -c -1 names the range, not parseArgs', async () => {
    const bare = await run([]);
    expect(bare.code === 0 && bare.stdout.startsWith('Usage: edgescale <command>') && bare.stderr === '', 'help on no arguments', bare);
    const typo = await run(['eval', '--capcity', '4', 'web-tier', 'm.json']);
    expect(typo.code === 2 && typo.stderr.includes('unknown option "--capcity" (did you mean --capacity?)'), 'did you mean', typo);
    const negative = await run(['eval', '-c', '-1', 'web-tier', 'm.json']);
    expect(negative.code === 2 && negative.stderr.includes('--capacity must be a whole number from 0 to') && !negative.stderr.includes('ambiguous'), 'range message', negative);
  });

  const metrics = file('metrics.json', { cpu: 85 });
  let firstDecision;
  await check('eval rules/web-tier.json --capacity 4 --now … --json: the README decision 4 → 5', async () => {
    const r = await run(['eval', 'rules/web-tier.json', metrics, '--capacity', '4', '--now', README_NOW, '--json']);
    expect(r.code === 0, 'expected exit 0', r);
    firstDecision = JSON.parse(r.stdout);
    expect(firstDecision.action === 'scaleOut' && firstDecision.from === 4 && firstDecision.to === 5 && firstDecision.code === 'ScaleOut' && firstDecision.rule === 'cpu-high', 'expected scaleOut 4 → 5 by cpu-high', r);
  });

  await check('eval by bundled id, text output: action, from → to, code and the trace table', async () => {
    const r = await run(['eval', 'web-tier', metrics, '--capacity', '4', '--now', README_NOW]);
    expect(r.code === 0 && r.stdout.startsWith('scale out  4 → 5  (ScaleOut)'), 'expected the action line', r);
    expect(/^\s+rule\s+status\s+value\s+op\s+threshold\s+blocked$/m.test(r.stdout) && /^\s+cpu-high\s+Fired\s+85\s+>\s+70$/m.test(r.stdout), 'expected the trace table', r);
  });

  await check('simulate: the README example prints exactly the README output; --html writes a self-contained report', async () => {
    const command = 'npx edgescale simulate rules/web-tier.json examples/web.hpa.yaml --metrics examples/daily-cycle.metrics.json';
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const shown = readme.slice(readme.indexOf(command)).split('```\n')[2];
    const r = await run(command.split(' ').slice(2));
    expect(r.code === 0 && shown !== undefined && r.stdout === shown, 'expected the README output, byte for byte', r);
    const report = join(tmp, 'report.html');
    const h = await run(['simulate', 'rules/web-tier.json', '--metrics', 'examples/daily-cycle.metrics.json', '--html', report]);
    const html = existsSync(report) ? readFileSync(report, 'utf8') : '';
    expect(h.code === 0 && html.includes('new uPlot(') && !/(src|href)="https?:/.test(html), 'expected an HTML report with uPlot inlined', h);
  });

  await check('a reader that stops early (| head -1) ends the command quietly: exit 0, no EPIPE stack trace', async () => {
    const r = await new Promise((resolve, reject) => {
      const args = ['simulate', 'rules/web-tier.json', '--metrics', 'examples/daily-cycle.metrics.json', '--json'];
      const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: childEnv() });
      let stderr = '';
      let first = '';
      child.stderr.on('data', (d) => (stderr += d));
      // Read the first line, then close the pipe as head does; the rest of the ~1 MB answer has nowhere to go.
      child.stdout.on('data', (d) => {
        first += d;
        if (first.includes('\n')) child.stdout.destroy();
      });
      const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error('timed out'))), TIMEOUT_MS);
      child.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout: first.split('\n')[0], stderr })));
    });
    expect(r.code === 0 && r.stdout === '{' && !r.stderr.includes('EPIPE'), 'expected exit 0, the first line, and nothing on stderr', r);
  });

  await check('eval --state with the previous decision: the README cooldown three minutes later', async () => {
    const previous = file('decision.json', firstDecision);
    const hot = file('metrics-88.json', { cpu: 88 });
    const r = await run(['eval', 'web-tier', hot, '--capacity', '5', '--now', '2026-11-22T10:33:00Z', '--state', previous, '--json']);
    expect(r.code === 0, 'expected exit 0', r);
    const d = JSON.parse(r.stdout);
    expect(d.action === 'none' && d.code === 'CooldownActive', `expected CooldownActive, got ${d.code}`, r);
  });

  await check('eval: a metric the rule set does not use is an error with its file and path (exit 1)', async () => {
    const typo = file('typo.json', { cpu_percent: 85 });
    const r = await run(['eval', 'web-tier', typo, '--capacity', '4']);
    expect(r.code === 1 && r.stderr.includes(`${typo}:cpu_percent: `) && r.stderr.includes('(UnknownMetric)'), 'expected file:cpu_percent … (UnknownMetric)', r);
  });

  await check('eval rules/vmss-web.azure.json (an ARM template): Monday 09:00 Pacific, the Weekday profile scales 8 → 10 by the queue rule', async () => {
    const azMetrics = file('az-metrics.json', { 'Percentage CPU': 50, ApproximateMessageCount: 800 });
    const r = await run(['eval', 'rules/vmss-web.azure.json', azMetrics, '--capacity', '8', '--now', '2026-11-23T17:00:00Z', '--json']);
    expect(r.code === 0, 'expected exit 0', r);
    const d = JSON.parse(r.stdout);
    expect(d.action === 'scaleOut' && d.to === 10 && d.profile.name === 'Weekday' && d.rule === 'approximatemessagecount-out', 'expected scaleOut 8 → 10 in Weekday', r);
  });

  await check('eval rules/php-apache.hpa.yaml: CPU 75 % of a 50 % target on 4 pods → ceil(1.5 × 4) = 6, and the selector left out is named', async () => {
    const hpaMetrics = file('hpa-metrics.json', { cpu: 75, queue_messages_ready: 150 });
    const r = await run(['eval', 'rules/php-apache.hpa.yaml', hpaMetrics, '--capacity', '4', '--now', '2026-11-23T17:00:00Z', '--json']);
    expect(r.code === 0, 'expected exit 0', r);
    const d = JSON.parse(r.stdout);
    expect(d.action === 'scaleOut' && d.to === 6, 'expected scaleOut 4 → 6', r);
    expect(r.stderr.includes('spec.metrics[1].external.metric.selector'), 'expected the unsupported selector on stderr', r);
  });

  await check('import hpa prints a native rule set that validates', async () => {
    const manifest = file(
      'hpa.yaml',
      [
        'apiVersion: autoscaling/v2',
        'kind: HorizontalPodAutoscaler',
        'metadata: { name: php-apache }',
        'spec:',
        '  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: php-apache }',
        '  minReplicas: 1',
        '  maxReplicas: 10',
        '  metrics:',
        '  - type: Resource',
        '    resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } }',
        '',
      ].join('\n'),
    );
    const r = await run(['import', 'hpa', manifest]);
    expect(r.code === 0, 'expected exit 0', r);
    const ruleSet = JSON.parse(r.stdout);
    expect(ruleSet.id === 'php-apache' && ruleSet.capacity.maximum === 10, 'expected id php-apache, maximum 10', r);
    const v = await run(['validate', file('php-apache.json', ruleSet)]);
    expect(v.code === 0, 'expected the imported rule set to validate', v);
  });

  await check('serve --port 0 with the dev switch: POST the README request to /v1/evaluate on 127.0.0.1', async () => {
    const server = await startServer(['--port', '0'], { EDGESCALE_DEV_AUTH_DISABLED: 'true' });
    try {
      expect(server.url.startsWith('http://127.0.0.1:'), `expected a loopback URL, got ${server.url}`);
      const res = await fetch(`${server.url}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(README_BODY) });
      const body = await res.json();
      const d = body.results?.[0]?.decision;
      expect(res.status === 200 && d?.action === 'scaleOut' && d.from === 4 && d.to === 5, `expected 200 and scaleOut 4 → 5, got ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      expect(/AUTH IS DISABLED/.test(server.output()), 'expected the auth-disabled warning');
    } finally {
      const code = await server.stop();
      expect(code === 0, `expected exit 0 after SIGTERM, got ${code}`);
    }
  });

  await check('serve without EDGESCALE_API_TOKEN warns that every request gets 503, and it does', async () => {
    const server = await startServer(['--port', '0']);
    try {
      expect(/EDGESCALE_API_TOKEN is not set/.test(server.output()) && /503/.test(server.output()), `expected the warning, got ${server.output()}`);
      const res = await fetch(`${server.url}/v1/rulesets`);
      expect(res.status === 503, `expected 503, got ${res.status}`);
    } finally {
      await server.stop();
    }
  });

  await check('serve refuses the dev switch on a non-loopback address (exit 2)', async () => {
    const r = await run(['serve', '--host', '0.0.0.0', '--port', '0'], { EDGESCALE_DEV_AUTH_DISABLED: 'true' });
    expect(r.code === 2 && r.stderr.includes('refusing to start'), 'expected a refusal', r);
  });

  // Trust boundaries of serve over raw sockets: the dev switch, secrets at start, browsers (SECURITY.md).
  await serveTrustChecks({ check, expect, run, startServer });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

process.exitCode = summary();
