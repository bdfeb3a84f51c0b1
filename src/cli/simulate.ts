// `edgescale simulate`: rule set files and a metric history → the service's simulation, printed as a summary table and a terminal chart (or JSON, or an HTML report).
import type { SimulateResponse, SimulationResult, SimulationSummary } from '../schemas/simulate.js';
import type { CompiledRuleSet } from '../engine/ruleset.js';
import { simulateRequest } from '../service/simulate.js';
import { EXIT, type CliRequest } from './args.js';
import { noter, readJsonFile, resolveRuleSet, type CliIo } from './commands.js';
import { formatIssue, table, type Palette } from './format.js';
import { isRecord } from '../util/is-record.js';

type SimulateCli = Extract<CliRequest, { command: 'simulate' }>;

/** Chart size in characters: fits an 80-column terminal with the axis labels. */
const CHART_WIDTH = 64;
const CHART_HEIGHT = 10;

/** Keys that make a metrics file a simulation request (without ruleSets) rather than metrics by name. */
const REQUEST_KEYS = ['metrics', 'load', 'capacity', 'from', 'to', 'step', 'state', 'flapWindow', 'target'];

export async function simulateCommand(request: SimulateCli, io: CliIo, p: Palette): Promise<number> {
  const compiled = new Map<string, CompiledRuleSet>();
  for (const arg of request.ruleSets) {
    // The request's format, quiet, name and parameters, with this rule set (as eval passes its whole request).
    const resolved = await resolveRuleSet({ ...request, ruleSet: arg }, io, p);
    if (!resolved.ok) return resolved.status;
    compiled.set(arg, resolved.ruleSet);
  }
  const history = await readJsonFile(io, request.metrics, p);
  if (!history.ok) return history.status;
  if (!isRecord(history.value)) {
    io.err(`edgescale: ${request.metrics}: expected a JSON object: metrics by name, or { "metrics": …, "load": …, "capacity": … }`);
    return EXIT.failed;
  }
  const isRequest = REQUEST_KEYS.some((k) => k in (history.value as object));
  const body: Record<string, unknown> = isRequest ? { ...history.value } : { metrics: history.value };
  const note = noter(io, request.quiet);
  if ('ruleSets' in body) note(`the ruleSets in ${request.metrics} are replaced by the rule sets given on the command line`);
  body.ruleSets = [...request.ruleSets];
  if (request.capacity !== undefined) body.capacity = request.capacity;
  else if (body.capacity === undefined) {
    const first = compiled.get(request.ruleSets[0]!)!;
    body.capacity = first.spec.capacity.default;
    note(`no capacity given; starting at ${request.ruleSets[0]}'s default ${body.capacity} (pass --capacity N)`);
  }
  if (request.step !== undefined) body.step = request.step;
  if (request.from !== undefined) body.from = request.from;
  if (request.to !== undefined) body.to = request.to;
  if (request.load !== undefined || request.provisioningDelay !== undefined) {
    if (!isRecord(body.load)) {
      io.err(`edgescale: ${request.metrics}: --load and --provisioning-delay need a "load" object in the file (series, perInstance, target, metric); docs/simulate.md`);
      return EXIT.usage;
    }
    body.load = { ...body.load, ...(request.load && { model: request.load }), ...(request.provisioningDelay && { provisioningDelay: request.provisioningDelay }) };
  }
  if (!request.json || request.html !== undefined) body.timeline = true;

  const outcome = simulateRequest(body, (name) => compiled.get(name));
  if (!outcome.ok) {
    // Paths into ruleSets[i] name the rule set argument; the rest point into the metrics file.
    const m = /^ruleSets\[(\d+)\]\.?(.*)$/.exec(outcome.error.path);
    const file = m ? request.ruleSets[Number(m[1])]! : request.metrics;
    const issue = { code: outcome.error.code, message: outcome.error.message, path: m ? m[2]! : outcome.error.path };
    io.err(formatIssue(file, issue, m ? undefined : history.value, p));
    return EXIT.failed;
  }
  const response = outcome.response;
  const labels = request.ruleSets;
  if (request.html !== undefined) {
    const { writeHtmlReport } = await import('./simulate-html.js');
    const written = await writeHtmlReport(request.html, response, labels);
    if (!written.ok) {
      io.err(`edgescale: cannot write ${request.html}: ${written.message}`);
      return EXIT.usage;
    }
    if (!request.json) io.err(`edgescale: wrote ${request.html}`);
  }
  if (request.json) {
    io.out(JSON.stringify(response, null, 2));
    return EXIT.ok;
  }
  io.out(describeRun(response));
  io.out('');
  io.out(summaryTable(response.results, labels).join('\n'));
  for (const [i, r] of response.results.entries()) {
    io.out('');
    io.out(terminalChart(r, labels[i]!, p).join('\n'));
  }
  return EXIT.ok;
}

/** One line: the span, the step and the load model. */
export function describeRun(r: SimulateResponse): string {
  return `simulated ${r.from} → ${r.to} every ${r.step}: ${r.evaluations} evaluations per rule set, ${r.model === 'demand' ? 'demand model (the rules see the load on the simulated capacity)' : 'replay (metrics as observed)'}`;
}

const num = (x: number | null | undefined, digits = 2): string => (x === null || x === undefined ? '—' : String(Math.round(x * 10 ** digits) / 10 ** digits));

/** The summary as rows (what is measured) by columns (rule sets, side by side). */
export function summaryTable(results: readonly SimulationResult[], labels: readonly string[]): string[] {
  const rows: Array<[string, (s: SimulationSummary) => string]> = [
    ['instance-hours', (s) => num(s.instanceHours)],
    ['capacity start → end (min–max)', (s) => `${s.capacity.start} → ${s.capacity.end} (${s.capacity.min}–${s.capacity.max})`],
    ['scale events out / in', (s) => `${s.scaleEvents.out} / ${s.scaleEvents.in}`],
    ['flaps', (s) => String(s.flaps)],
    ['under-provisioned minutes', (s) => num(s.underProvisioned?.minutes)],
    ['  depth (instance-hours)', (s) => num(s.underProvisioned?.instanceHours)],
    ['  largest shortfall', (s) => num(s.underProvisioned?.maxShortfall)],
    ['over-provisioned instance-hours', (s) => num(s.overProvisionedInstanceHours)],
    ['reaction mean / max (minutes)', (s) => (s.reaction ? `${num(s.reaction.meanMinutes)} / ${num(s.reaction.maxMinutes)}${s.reaction.unresolved ? ' (1 open)' : ''}` : '—')],
    ['utilisation % p50 / p90 / p99', (s) => (s.utilization ? `${num(s.utilization.p50, 0)} / ${num(s.utilization.p90, 0)} / ${num(s.utilization.p99, 0)}` : '—')],
  ];
  return table([['', ...labels], ...rows.map(([name, cell]) => [name, ...results.map((r) => cell(r.summary))])]);
}

/**
 * Capacity as bars and the required capacity as dots, one column per slice of the timeline (its
 * largest values): dots above a bar are under-provisioning, bar above the dots over-provisioning.
 */
function terminalChart(result: SimulationResult, label: string, p: Palette): string[] {
  const timeline = result.timeline ?? [];
  if (timeline.length === 0) return [`${label}: no timeline`];
  const width = Math.min(CHART_WIDTH, timeline.length);
  const columns = Array.from({ length: width }, (_, c) => {
    const slice = timeline.slice(Math.floor((c * timeline.length) / width), Math.floor(((c + 1) * timeline.length) / width));
    return {
      capacity: Math.max(...slice.map((e) => e.to)),
      required: slice.some((e) => e.required != null) ? Math.max(...slice.map((e) => e.required ?? 0)) : undefined,
    };
  });
  const top = Math.max(1, ...columns.map((c) => Math.max(c.capacity, c.required ?? 0)));
  const rowOf = (v: number) => Math.round((v / top) * CHART_HEIGHT);
  const labelWidth = String(top).length;
  const lines = [`${p.bold(label)}: capacity ${p.green('█')}${timeline.some((e) => e.required != null) ? `, required capacity ${p.yellow('•')}` : ''}`];
  for (let row = CHART_HEIGHT; row >= 1; row--) {
    const axis = row === CHART_HEIGHT ? String(top) : row === 1 ? String(Math.round(top / CHART_HEIGHT)) : '';
    const cells = columns.map((c) => {
      if (c.required !== undefined && c.required > 0 && rowOf(c.required) === row) return p.yellow('•');
      return rowOf(c.capacity) >= row ? p.green('█') : ' ';
    });
    lines.push(`${axis.padStart(labelWidth)} │${cells.join('')}`.trimEnd());
  }
  lines.push(`${' '.repeat(labelWidth)} └${'─'.repeat(width)}`);
  const first = timeline[0]!.t;
  const last = timeline[timeline.length - 1]!.t;
  lines.push(`${' '.repeat(labelWidth + 2)}${first}${last.padStart(Math.max(0, width - first.length))}`);
  return lines;
}
