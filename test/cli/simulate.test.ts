// `edgescale simulate`: arguments, the summary table and terminal chart, --json, and the self-contained --html report.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, interpret, type CliRequest } from '../../src/cli/args.js';
import { runRequest, type CliIo } from '../../src/cli/commands.js';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The real example files, and in-memory ones, read through the injected I/O. */
function io(files: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = {
    readText: async (path) => (Object.hasOwn(files, path) ? { ok: true, text: files[path]! } : { ok: false, missing: true, message: 'no such file' }),
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    color: false,
    now: () => Date.parse('2026-11-23T00:00:00Z'),
    parse: () => ({ values: {}, positionals: [] }),
    serve: async () => EXIT.ok,
  };
  return { cli, out, err };
}

const EXAMPLE = 'examples/daily-cycle.metrics.json';
const files = { [EXAMPLE]: read(EXAMPLE), 'rules/web-tier.json': read('rules/web-tier.json'), 'examples/web.hpa.yaml': read('examples/web.hpa.yaml') };
const simulate = (over: Partial<Extract<CliRequest, { command: 'simulate' }>>): CliRequest => ({ command: 'simulate', ruleSets: ['rules/web-tier.json'], metrics: EXAMPLE, format: 'auto', json: false, ...over });

describe('edgescale simulate: arguments', () => {
  it.each([
    [{ metrics: 'h.json' }, [], /no rule set given/],
    [{}, ['web-tier'], /--metrics FILE is required/],
    [{ metrics: 'h.json', step: '1m' }, ['web-tier'], /--step must be an ISO 8601 duration/],
    [{ metrics: 'h.json', load: 'both' }, ['web-tier'], /--load must be replay or demand/],
    [{ metrics: 'h.json', from: 'monday' }, ['web-tier'], /--from must be an ISO 8601 timestamp/],
    [{ metrics: 'h.json', capacity: '-1' }, ['web-tier'], /--capacity must be a whole number/],
  ])('%o %o is a usage error', (values, positionals, message) => {
    const out = interpret('simulate', values, positionals);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.message).toMatch(message);
  });

  it('reads every option', () => {
    const out = interpret('simulate', { metrics: 'h.json', step: 'PT5M', from: '2026-11-23T00:00:00Z', to: '1795392000000', load: 'replay', 'provisioning-delay': 'PT2M', capacity: '4', json: true, html: 'r.html' }, ['a.json', 'b.yaml']);
    expect(out).toEqual({
      ok: true,
      request: {
        command: 'simulate', ruleSets: ['a.json', 'b.yaml'], metrics: 'h.json', format: 'auto', json: true, capacity: 4, step: 'PT5M',
        provisioningDelay: 'PT2M', from: Date.parse('2026-11-23T00:00:00Z'), to: 1795392000000, load: 'replay', html: 'r.html',
      },
    });
  });
});

describe('edgescale simulate: output', () => {
  it('prints the summary table, side by side, and a chart per rule set (the README example)', async () => {
    const { cli, out } = io(files);
    expect(await runRequest(simulate({ ruleSets: ['rules/web-tier.json', 'examples/web.hpa.yaml'] }), cli)).toBe(EXIT.ok);
    const text = out.join('\n');
    expect(text).toContain('simulated 2026-11-23T00:00:00Z → 2026-11-24T00:00:00Z every PT1M: 1440 evaluations per rule set, demand model');
    expect(text).toMatch(/^ +rules\/web-tier\.json +examples\/web\.hpa\.yaml$/m);
    expect(text).toMatch(/^instance-hours +\d+(\.\d+)? +\d+(\.\d+)?$/m);
    expect(text).toMatch(/^under-provisioned minutes +\d+ +\d+$/m);
    expect(text).toContain('rules/web-tier.json: capacity █, required capacity •');
    expect(text).toContain('examples/web.hpa.yaml: capacity █, required capacity •');
    expect(text.split('\n').filter((l) => l.includes(' │')).length).toBe(20); // two charts of 10 rows
  });

  it('--json prints the answer of POST /v1/simulate', async () => {
    const { cli, out } = io(files);
    expect(await runRequest(simulate({ json: true, step: 'PT5M' }), cli)).toBe(EXIT.ok);
    const answer = JSON.parse(out.join('\n'));
    expect(answer).toMatchObject({ step: 'PT5M', model: 'demand', evaluations: 288, results: [{ ruleSet: 'web-tier', ruleSetOrigin: { source: 'bundled' } }] });
    expect(answer.results[0].timeline).toHaveLength(288);
  });

  it('--load replay without metrics in the file replays nothing the rules read: every evaluation is missing data', async () => {
    const { cli, out } = io(files);
    expect(await runRequest(simulate({ json: true, load: 'replay' }), cli)).toBe(EXIT.ok);
    const [result] = JSON.parse(out.join('\n')).results;
    expect(Object.keys(result.summary.decisions)).not.toContain('ScaleOut');
  });

  it('--html writes a self-contained report: uPlot inlined, the charts data, the decision table, no network', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgescale-simulate-'));
    const file = join(dir, 'report.html');
    const { cli, err } = io(files);
    expect(await runRequest(simulate({ html: file }), cli)).toBe(EXIT.ok);
    expect(err).toContain(`edgescale: wrote ${file}`);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain(read('node_modules/uplot/dist/uPlot.iife.min.js').slice(0, 200));
    expect(html).toContain('new uPlot(');
    expect(html).toMatch(/<table class="decisions">/);
    expect(html).toContain('ScaleOut');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('points a bad history at the file and path, and an unknown rule set at its argument', async () => {
    const bad = io({ ...files, 'h.json': JSON.stringify({ capacity: 2, metrics: { cpu: [{ t: 'soon', v: 1 }] } }) });
    expect(await runRequest(simulate({ metrics: 'h.json' }), bad.cli)).toBe(EXIT.failed);
    expect(bad.err.join('\n')).toMatch(/^h\.json:metrics\.cpu\[0\]\.t: .*\(SchemaViolation\)/m);
    const missing = io(files);
    expect(await runRequest(simulate({ ruleSets: ['nope.json'] }), missing.cli)).toBe(EXIT.usage);
    expect(missing.err.join('\n')).toMatch(/nope\.json is neither a file nor a bundled rule set/);
  });
});

describe('edgescale simulate --name and --parameters, as validate, lint, eval and import take them', () => {
  const TEMPLATE = 'test/formats/fixtures/azure/monitor-autoscale-vmss-simplemetricbased.azuredeploy.json';
  const PARAMETERS = 'test/formats/fixtures/azure/monitor-autoscale-vmss-simplemetricbased.azuredeploy.parameters.json';
  const hpaList = ['web-a', 'web-b']
    .map((name, i) => `- apiVersion: autoscaling/v2\n  kind: HorizontalPodAutoscaler\n  metadata: { name: ${name} }\n  spec:\n    scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${name} }\n    minReplicas: ${i + 2}\n    maxReplicas: 20\n`)
    .join('');
  const withFiles = { ...files, 'hpas.yaml': `apiVersion: v1\nkind: List\nitems:\n${hpaList}`, [TEMPLATE]: read(TEMPLATE), [PARAMETERS]: read(PARAMETERS) };

  it('parses --name and --parameters', () => {
    const out = interpret('simulate', { metrics: 'h.json', name: 'web-b', parameters: 'p.json' }, ['hpas.yaml']);
    expect(out).toMatchObject({ ok: true, request: { command: 'simulate', name: 'web-b', parameters: 'p.json' } });
  });

  it('--name chooses one HorizontalPodAutoscaler of a kubectl get hpa -o yaml List; without it the List is refused, naming both', async () => {
    const without = io(withFiles);
    expect(await runRequest(simulate({ ruleSets: ['hpas.yaml'] }), without.cli)).toBe(EXIT.failed);
    expect(without.err.join('\n')).toContain('2 HorizontalPodAutoscalers (web-a, web-b): choose one by name');
    const chosen = io(withFiles);
    expect(await runRequest(simulate({ ruleSets: ['hpas.yaml'], name: 'web-b', json: true, step: 'PT1H' }), chosen.cli)).toBe(EXIT.ok);
    const [result] = JSON.parse(chosen.out.join('\n')).results;
    expect(result.ruleSet).toBe('web-b');
    expect(Math.min(...result.timeline.map((e: { capacity: number }) => e.capacity))).toBeGreaterThanOrEqual(3); // web-b's minReplicas
  });

  it('--parameters gives an ARM template the values its parameters have no default for', async () => {
    const history = JSON.stringify({ capacity: 2, metrics: { 'Percentage CPU': [{ t: '2026-11-23T00:00:00Z', v: 90 }, { t: '2026-11-23T01:00:00Z', v: 20 }] } });
    const withHistory = { ...withFiles, 'cpu.json': history };
    const without = io(withHistory);
    expect(await runRequest(simulate({ ruleSets: [TEMPLATE], metrics: 'cpu.json', step: 'PT1H', json: true }), without.cli)).toBe(EXIT.ok);
    expect(without.err.join('\n')).toContain('parameter "autoscaleEnabled" has no defaultValue');
    const given = io(withHistory);
    expect(await runRequest(simulate({ ruleSets: [TEMPLATE], metrics: 'cpu.json', parameters: PARAMETERS, step: 'PT1H', json: true }), given.cli)).toBe(EXIT.ok);
    expect(given.err.join('\n')).not.toContain('autoscaleEnabled');
    expect(JSON.parse(given.out.join('\n')).results).toHaveLength(1);
  });

  it('--parameters on an HPA manifest is an error naming the file kind', async () => {
    const { cli, err } = io(withFiles);
    expect(await runRequest(simulate({ ruleSets: ['examples/web.hpa.yaml'], parameters: PARAMETERS }), cli)).toBe(EXIT.failed);
    expect(err.join('\n')).toContain('deployment parameters apply to an ARM template (with "resources"); this input is not one');
  });
});
