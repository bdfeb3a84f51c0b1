// The CLI's commands (validate, lint, eval, import, export; serve is handed to the host) over an injected I/O, so they hold no Node APIs.
import pkg from '../../package.json';
import { ENGINE_VERSION } from '../engine/decide.js';
import type { TargetError, Warning } from '../schemas/decision.js';
import { lintRuleSet } from '../engine/lint/index.js';
import { toEpochMs } from '../syntax/duration.js';
import { loadRuleSet, type CompiledRuleSet } from '../engine/ruleset.js';
import { BUNDLED_RULE_FILES } from '../generated/bundled-rules.js';
import { bundledRuleSets } from '../rulesets/bundled.js';
import { exportAzureAutoscale } from '../formats/azure/export.js';
import { exportHpaManifest } from '../formats/hpa-manifest.js';
import { evaluateBatch } from '../service/batch.js';
import { EXIT, parseCommandLine, type CliRequest, type ParseArgs, type RuleSetFormat } from './args.js';
import { formatDecision, formatIssue, jsonSyntaxIssue, palette, type CliIssue, type Palette } from './format.js';
import { detectFormat, importerFor, type ImporterOptions } from './importers.js';
import { isRecord } from '../util/is-record.js';
import { readDeploymentParameters } from '../formats/azure/deployment-parameters.js';
import { atTraceLevel } from '../service/trace-level.js';
import { simulateCommand } from './simulate.js';
import { stringify as toYaml } from 'yaml';

export const VERSION_TEXT = `edgescale ${pkg.version} (${ENGINE_VERSION})`;

/** Id given to the target when neither --target, the target file nor the rule set's `targets` names one. */
const DEFAULT_TARGET_ID = 'cli';

export type ReadResult = { ok: true; text: string } | { ok: false; missing: boolean; message: string };

/** Everything the commands do to the outside world; src/cli/main.ts implements it on Node. */
export interface CliIo {
  readText(path: string): Promise<ReadResult>;
  /** One line (or block) to stdout / stderr; the newline is added by the implementation. */
  out(text: string): void;
  err(text: string): void;
  /** Colours on (stdout is a terminal and NO_COLOR is unset). */
  color: boolean;
  /** The clock, used only when neither --now nor the request file gives an instant. */
  now(): number;
  parse: ParseArgs;
  /** Runs the HTTP server until it is stopped; resolves to the exit status. */
  serve(options: { port: number; host: string; dataDir: string }): Promise<number>;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, io.parse);
  if (!parsed.ok) {
    io.err(`edgescale: ${parsed.message}`);
    io.err(`Run "edgescale ${parsed.command ? `${parsed.command} ` : ''}--help" for usage.`);
    return EXIT.usage;
  }
  return runRequest(parsed.request, io);
}

/** Run a parsed request; the exit status is EXIT.ok, EXIT.failed (invalid input) or EXIT.usage. */
export async function runRequest(request: CliRequest, io: CliIo): Promise<number> {
  const p = palette(io.color);
  switch (request.command) {
    case 'help':
      io.out(request.text);
      return EXIT.ok;
    case 'version':
      io.out(VERSION_TEXT);
      return EXIT.ok;
    case 'validate':
    case 'lint':
      return validate(request, io, p);
    case 'eval':
      return evaluate(request, io, p);
    case 'simulate':
      return simulateCommand(request, io, p);
    case 'import':
      return importFile(request, io, p);
    case 'export':
      return exportFile(request, io);
    case 'serve':
      return io.serve({ port: request.port, host: request.host, dataDir: request.dataDir });
  }
}

// ---------------------------------------------------------------------------------------------
// Rule set files

type SourceResult =
  | { ok: true; format: Exclude<RuleSetFormat, 'auto'>; ruleSet: CompiledRuleSet; raw: unknown; unsupported: Array<{ path: string; message: string; reason?: string }>; notes: string[] }
  | { ok: false; format: Exclude<RuleSetFormat, 'auto'>; issues: CliIssue[]; raw: unknown };

function tryJson(text: string): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * A rule set file in any format → compiled. Issues carry paths inside the file as written (for
 * imported formats, the importer's paths into the Azure setting or manifest). A native file kept in a
 * `rules/` directory must also have the id of its file name, as the worker's bundle requires
 * (src/rulesets/bundled.ts), so `validate rules/*.json` catches what the worker would refuse.
 */
function loadSource(file: string, text: string, format: RuleSetFormat, options: ImporterOptions = {}): SourceResult {
  const json = /\.ya?ml$/i.test(file) && format !== 'native' ? undefined : tryJson(text);
  const raw = json?.ok ? json.value : undefined;
  const fmt = format === 'auto' ? detectFormat(file, raw, text) : format;

  if (fmt === 'native') {
    if (options.name !== undefined) return { ok: false, format: fmt, issues: [{ code: 'ImportError', message: `--name "${options.name}" chooses a HorizontalPodAutoscaler, but this is a native rule set`, path: '' }], raw };
    if (options.parameters !== undefined) return { ok: false, format: fmt, issues: [{ code: 'ImportError', message: '--parameters gives values to an ARM template, but this is a native rule set', path: '' }], raw };
    if (!json || !json.ok) return { ok: false, format: fmt, issues: [jsonSyntaxIssue(text, json?.error ?? new Error('not JSON'))], raw };
    const loaded = loadRuleSet(raw);
    if (!loaded.ok) return { ok: false, format: fmt, issues: loaded.issues, raw };
    const stem = /(?:^|[/\\])rules[/\\]([^/\\]+)\.json$/i.exec(file)?.[1];
    if (stem !== undefined && loaded.ruleSet.spec.id !== stem) {
      return { ok: false, format: fmt, issues: [{ code: 'SchemaViolation', message: `id "${loaded.ruleSet.spec.id}" must match the file name "${stem}" for a bundled rule set`, path: 'id' }], raw };
    }
    return { ok: true, format: fmt, ruleSet: loaded.ruleSet, raw, unsupported: [], notes: [] };
  }

  if (options.parameters !== undefined && fmt !== 'azure') {
    return { ok: false, format: fmt, issues: [{ code: 'ImportError', message: `--parameters gives values to an ARM template, but this is ${fmt === 'hpa' ? 'a Kubernetes manifest' : `a ${fmt} file`}`, path: '' }], raw };
  }
  const importer = importerFor(fmt);
  if (!importer) return { ok: false, format: fmt, issues: [{ code: 'ImporterUnavailable', message: `the ${fmt} importer is not available in this build`, path: '' }], raw };
  const imported = importer(text, options);
  if (!imported.ok) return { ok: false, format: fmt, issues: imported.issues, raw };
  // The importer loaded what it returns: its compiled set is used as is, not loaded and hashed again.
  return { ok: true, format: fmt, ruleSet: imported.compiled, raw, unsupported: imported.unsupported, notes: imported.notes };
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function summary(result: Extract<SourceResult, { ok: true }>): string {
  const { spec } = result.ruleSet;
  const parts = [`rule set ${spec.id}`, count(spec.rules.length, 'rule')];
  if (spec.profiles?.length) parts.push(count(spec.profiles.length, 'profile'));
  if (spec.targetTracking?.length) parts.push('target tracking');
  if (spec.stepScaling?.length) parts.push('step scaling');
  if (spec.simpleScaling) parts.push('simple scaling');
  return `${result.format === 'native' ? '' : `${result.format}, `}${parts.join(', ')}`;
}

/** A lint warning as `file:PATH: warning: message (Code)` and its fix on the next line. */
function formatWarning(file: string, w: Warning, p: Palette): string {
  return `${p.bold(`${file}:${w.path || '$'}`)}: ${p.yellow('warning')}: ${w.message} ${p.dim(`(${w.code})`)}\n    fix: ${w.fix}`;
}

/**
 * `validate` and `lint`: each file loaded (errors), then linted (warnings, docs/lint.md). validate also says
 * which files are valid; lint prints only what needs attention. --json prints one object per file instead;
 * --strict turns any warning into exit 1.
 */
async function validate(request: Extract<CliRequest, { command: 'validate' | 'lint' }>, io: CliIo, p: Palette): Promise<number> {
  const quiet = request.command === 'lint' || request.quiet;
  const json: unknown[] = [];
  let invalid = 0;
  let unreadable = 0;
  let warned = 0;
  let warnings = 0;
  for (const file of request.files) {
    const read = await io.readText(file);
    if (!read.ok) {
      io.err(`edgescale: cannot read ${file}: ${read.message}`);
      unreadable++;
      continue;
    }
    const options = await sourceOptions(request, read.text, io, p);
    if (!options.ok) {
      invalid++;
      continue;
    }
    const result = loadSource(file, read.text, request.format, options.options);
    if (!result.ok) {
      invalid++;
      if (request.json) json.push({ file, valid: false, errors: result.issues });
      else for (const issue of result.issues) io.out(formatIssue(file, issue, result.raw, p));
      continue;
    }
    const found = lintRuleSet(result.ruleSet);
    if (found.length > 0) warned++;
    warnings += found.length;
    if (request.json) {
      const { spec, knownMetrics } = result.ruleSet;
      json.push({ file, valid: true, id: spec.id, rules: spec.rules.length, metrics: knownMetrics ? [...knownMetrics].sort() : null, warnings: found });
      continue;
    }
    if (!quiet) {
      io.out(`${p.bold(file)}: ${p.green('valid')} (${summary(result)})`);
      for (const u of result.unsupported) io.out(`${file}:${u.path || '$'}: ${p.yellow('not imported')}: ${u.message}${u.reason !== undefined ? ` (${u.reason})` : ''}`);
    }
    for (const w of found) io.out(formatWarning(file, w, p));
  }
  if (request.json) io.out(JSON.stringify(json, null, 2));
  else if (request.command === 'lint') io.out(`${count(warnings, 'warning')} in ${count(warned, 'file')}${invalid > 0 ? `, ${invalid} invalid` : ''}`);
  else if (!quiet && request.files.length > 1) {
    const valid = request.files.length - invalid - unreadable;
    io.out(`${count(valid, 'file')} valid, ${invalid} invalid${unreadable > 0 ? `, ${unreadable} unreadable` : ''}${warnings > 0 ? `, ${count(warnings, 'warning')}` : ''}`);
  }
  if (unreadable > 0) return EXIT.usage;
  return invalid > 0 || (request.strict && warnings > 0) ? EXIT.failed : EXIT.ok;
}

// ---------------------------------------------------------------------------------------------
// eval

/** Where a part of the evaluated target came from, so an error names the file and path the user wrote. */
interface Origin {
  file: string;
  /** Path of that part inside the file ("" for the root). */
  path: string;
}

const joinPath = (base: string, rest: string) => (base === '' ? rest.replace(/^\./, '') : `${base}${rest}`);

/** Which state to use from a --state file: a state object, a decision (its `state`) or an evaluate response. */
export function extractState(parsed: unknown, targetId: string): { ok: true; state: unknown; path: string; note?: string } | { ok: false; message: string } {
  if (isRecord(parsed) && Array.isArray(parsed.results)) {
    const decided = parsed.results.flatMap((r, i) => (isRecord(r) && isRecord(r.decision) && isRecord(r.decision.state) ? [{ i, d: r.decision }] : []));
    const match = decided.filter((x) => x.d.target === targetId);
    const pick = match.length > 0 ? match[0] : decided.length === 1 ? decided[0] : undefined;
    if (!pick) {
      const ids = decided.map((x) => String(x.d.target)).join(', ') || 'none';
      return { ok: false, message: `the evaluate response has no decision for target "${targetId}" (decided: ${ids})` };
    }
    return { ok: true, state: pick.d.state, path: `results[${pick.i}].decision.state` };
  }
  if (isRecord(parsed) && isRecord(parsed.state)) {
    const note = typeof parsed.target === 'string' && parsed.target !== targetId ? `the state is from a decision for target "${parsed.target}", used for "${targetId}"` : undefined;
    return { ok: true, state: parsed.state, path: 'state', ...(note && { note }) };
  }
  if (isRecord(parsed)) return { ok: true, state: parsed, path: '' };
  return { ok: false, message: 'expected a state object, a decision or an evaluate response' };
}

type MetricsShape =
  | { kind: 'request'; target: Record<string, unknown>; index: number; envelope: Record<string, unknown> }
  | { kind: 'target'; target: Record<string, unknown> }
  | { kind: 'metrics'; metrics: Record<string, unknown> };

/**
 * The three shapes of the <metrics> file: an evaluate request (has a `targets` array), a whole
 * target (its `metrics` is an object; a metric series never is), or metrics by name.
 */
export function classifyMetrics(parsed: unknown, targetId: string | undefined): { ok: true; shape: MetricsShape } | { ok: false; message: string; usage?: boolean } {
  if (!isRecord(parsed)) return { ok: false, message: 'expected a JSON object: metrics by name, a target or an evaluate request' };
  if (Array.isArray(parsed.targets)) {
    const targets = parsed.targets;
    const ids = targets.map((t) => (isRecord(t) && typeof t.id === 'string' ? t.id : '?'));
    let index: number;
    if (targetId !== undefined) {
      index = ids.indexOf(targetId);
      if (index < 0) return { ok: false, message: `no target "${targetId}" in the request (targets: ${ids.join(', ')})` };
    } else if (targets.length === 1) index = 0;
    else return { ok: false, message: `the request has ${targets.length} targets (${ids.join(', ')}); choose one with --target`, usage: true };
    const target = targets[index];
    if (!isRecord(target)) return { ok: false, message: `targets[${index}] is not an object` };
    return { ok: true, shape: { kind: 'request', target, index, envelope: parsed } };
  }
  if (isRecord(parsed.metrics)) return { ok: true, shape: { kind: 'target', target: parsed } };
  // A target whose samples are all in its pods (an HPA's pod list) has no `metrics`: a `pods` list of named pods makes it
  // a target. (A metric called "pods" would be a number or points, never objects with a `name`.)
  if (Array.isArray(parsed.pods) && parsed.pods.length > 0 && parsed.pods.every((pod) => isRecord(pod) && typeof pod.name === 'string')) {
    return { ok: true, shape: { kind: 'target', target: parsed } };
  }
  return { ok: true, shape: { kind: 'metrics', metrics: parsed } };
}

export async function readJsonFile(io: CliIo, file: string, p: Palette): Promise<{ ok: true; value: unknown } | { ok: false; status: number }> {
  const read = await io.readText(file);
  if (!read.ok) {
    io.err(`edgescale: cannot read ${file}: ${read.message}`);
    return { ok: false, status: EXIT.usage };
  }
  const json = tryJson(read.text);
  if (!json.ok) {
    io.err(formatIssue(file, jsonSyntaxIssue(read.text, json.error), undefined, p));
    return { ok: false, status: EXIT.failed };
  }
  return { ok: true, value: json.value };
}

/**
 * --name and --parameters FILE as importer options. The parameters file (az deployment's format) is
 * read and checked against the template `templateText` here, its problems printed against its own name.
 */
async function sourceOptions(
  request: { name?: string; parameters?: string },
  templateText: string,
  io: CliIo,
  p: Palette,
): Promise<{ ok: true; options: ImporterOptions } | { ok: false; status: number }> {
  const options: ImporterOptions = request.name !== undefined ? { name: request.name } : {};
  if (request.parameters === undefined) return { ok: true, options };
  const file = await readJsonFile(io, request.parameters, p);
  if (!file.ok) return file;
  const checked = readDeploymentParameters(file.value, templateText);
  if (!checked.ok) {
    for (const issue of checked.issues) io.err(formatIssue(request.parameters, { code: 'ImportError', message: issue.message, path: issue.path }, file.value, p));
    return { ok: false, status: EXIT.failed };
  }
  return { ok: true, options: { ...options, parameters: checked.values } };
}

/** `edgescale: note: …` on stderr: what the command assumed or replaced; --quiet leaves these out. */
export const noter =
  (io: CliIo, quiet: boolean | undefined) =>
  (text: string): void => {
    if (!quiet) io.err(`edgescale: note: ${text}`);
  };

/** A rule set argument (a file in any format, or a bundled id) → compiled; problems are printed. Also used by simulate. */
export async function resolveRuleSet(
  request: { ruleSet: string; format: RuleSetFormat; name?: string; parameters?: string; quiet?: boolean },
  io: CliIo,
  p: Palette,
): Promise<{ ok: true; ruleSet: CompiledRuleSet } | { ok: false; status: number }> {
  const arg = request.ruleSet;
  const read = await io.readText(arg);
  if (!read.ok) {
    const bundled = read.missing ? bundledRuleSets().get(arg) : undefined;
    if (bundled?.ruleSet) return { ok: true, ruleSet: bundled.ruleSet };
    if (bundled) {
      // Bundled issues are prefixed with the file name ("web-tier.json.rules[0]"); the file is named separately here.
      for (const issue of bundled.issues ?? []) {
        const path = issue.path.startsWith(bundled.file) ? issue.path.slice(bundled.file.length).replace(/^\./, '') : issue.path;
        io.err(formatIssue(`rules/${bundled.file}`, { ...issue, path }, BUNDLED_RULE_FILES[bundled.file], p));
      }
      return { ok: false, status: EXIT.failed };
    }
    if (read.missing) {
      io.err(`edgescale: ${arg} is neither a file nor a bundled rule set (bundled: ${[...bundledRuleSets().keys()].sort().join(', ')})`);
    } else io.err(`edgescale: cannot read ${arg}: ${read.message}`);
    return { ok: false, status: EXIT.usage };
  }
  const options = await sourceOptions(request, read.text, io, p);
  if (!options.ok) return options;
  const result = loadSource(arg, read.text, request.format, options.options);
  if (!result.ok) {
    for (const issue of result.issues) io.err(formatIssue(arg, issue, result.raw, p));
    return { ok: false, status: EXIT.failed };
  }
  // What the import left out took no part in the decision: say so before the decision, as validate does.
  for (const u of result.unsupported) io.err(`${arg}:${u.path || '$'}: ${p.yellow('not imported')}: ${u.message}${u.reason !== undefined ? ` (${u.reason})` : ''}`);
  result.notes.forEach(noter(io, request.quiet));
  return { ok: true, ruleSet: result.ruleSet };
}

async function evaluate(request: Extract<CliRequest, { command: 'eval' }>, io: CliIo, p: Palette): Promise<number> {
  const resolved = await resolveRuleSet(request, io, p);
  if (!resolved.ok) return resolved.status;
  const ruleSet = resolved.ruleSet;
  const note = noter(io, request.quiet);

  const metricsJson = await readJsonFile(io, request.metrics, p);
  if (!metricsJson.ok) return metricsJson.status;
  const classified = classifyMetrics(metricsJson.value, request.target);
  if (!classified.ok) {
    io.err(`edgescale: ${request.metrics}: ${classified.message}`);
    return classified.usage ? EXIT.usage : EXIT.failed;
  }
  const shape = classified.shape;
  const base: Record<string, unknown> = shape.kind === 'metrics' ? { metrics: shape.metrics } : { ...shape.target };
  // Where each part of the target came from, for error paths; everything starts in the metrics file.
  const targetPath = shape.kind === 'request' ? `targets[${shape.index}]` : '';
  const origins = new Map<string, Origin>();
  const from = (field: string): Origin => {
    const known = origins.get(field);
    if (known) return known;
    if (field === '' || (shape.kind === 'metrics' && field === 'metrics')) return { file: request.metrics, path: field === '' ? targetPath : '' };
    return { file: request.metrics, path: joinPath(targetPath, `.${field}`) };
  };

  const id = request.target ?? (typeof base.id === 'string' ? base.id : undefined) ?? ruleSet.spec.targets?.[0]?.id ?? DEFAULT_TARGET_ID;
  if (request.target !== undefined && shape.kind !== 'request') origins.set('id', { file: '--target', path: '' });
  if (base.ruleSet !== undefined && base.ruleSet !== ruleSet.spec.id) {
    note(`the target's ruleSet in ${request.metrics} is replaced by ${request.ruleSet}`);
  }
  let capacity: unknown = base.capacity;
  if (request.capacity !== undefined) {
    capacity = request.capacity;
    origins.set('capacity', { file: '--capacity', path: '' });
  } else if (capacity === undefined) {
    capacity = ruleSet.spec.capacity.default;
    note(`no capacity given; using the rule set's default ${ruleSet.spec.capacity.default} (pass --capacity N)`);
  }
  let state: unknown = base.state;
  if (request.state !== undefined) {
    const stateJson = await readJsonFile(io, request.state, p);
    if (!stateJson.ok) return stateJson.status;
    const extracted = extractState(stateJson.value, id);
    if (!extracted.ok) {
      io.err(`edgescale: ${request.state}: ${extracted.message}`);
      return EXIT.failed;
    }
    if (extracted.note) note(extracted.note);
    state = extracted.state;
    origins.set('state', { file: request.state, path: extracted.path });
  }
  const target: Record<string, unknown> = { ...base, id, ruleSet: ruleSet.spec.id, capacity };
  if (state !== undefined) target.state = state;
  else delete target.state;

  const envelope: Record<string, unknown> = { targets: [target] };
  let now = request.now;
  if (shape.kind === 'request') {
    const { now: requestNow, metricsFormat, metricsPayload, deliver } = shape.envelope;
    if (metricsFormat !== undefined) envelope.metricsFormat = metricsFormat;
    if (metricsPayload !== undefined) envelope.metricsPayload = metricsPayload;
    if (deliver === true) note('eval never delivers; "deliver" is ignored (use serve and POST /v1/evaluate)');
    if (now === undefined && requestNow !== undefined) {
      const ms = typeof requestNow === 'string' || typeof requestNow === 'number' ? toEpochMs(requestNow) : undefined;
      if (ms === undefined) {
        io.err(formatIssue(request.metrics, { code: 'SchemaViolation', message: 'expected an ISO 8601 timestamp with a zone offset or epoch milliseconds', path: 'now' }, undefined, p));
        return EXIT.failed;
      }
      now = ms;
    }
  }
  now ??= io.now();
  envelope.now = now;

  const outcome = await evaluateBatch(envelope, (name) => (name === ruleSet.spec.id ? ruleSet : undefined), now);
  const error: TargetError | undefined = !outcome.ok ? outcome.error : outcome.results[0]!.ok ? undefined : outcome.results[0]!.error;
  if (error) {
    for (const issue of error.issues ?? [error]) {
      const where = locate(issue.path, from, request.metrics);
      io.err(formatIssue(where.file, { ...issue, path: where.path }, undefined, p));
    }
    return EXIT.failed;
  }
  const result = outcome.ok ? outcome.results[0] : undefined;
  if (!result?.ok) return EXIT.failed;
  io.out(request.json ? JSON.stringify(atTraceLevel(result.decision, request.trace ?? 'full'), null, 2) : formatDecision(result.decision, p));
  return EXIT.ok;
}

/** An evaluateBatch path ("targets[0].metrics.cpu[3].v", "metricsPayload.x") → the file and path it came from. */
function locate(path: string, from: (field: string) => Origin, metricsFile: string): Origin {
  const m = /^targets\[0\](?:\.([^.[]+))?(.*)$/.exec(path);
  if (!m) return { file: metricsFile, path };
  const [, field, rest = ''] = m;
  if (field === undefined) return from('');
  const origin = from(field);
  return { file: origin.file, path: joinPath(origin.path, rest) };
}

// ---------------------------------------------------------------------------------------------
// import

async function importFile(request: Extract<CliRequest, { command: 'import' }>, io: CliIo, p: Palette): Promise<number> {
  const importer = importerFor(request.format);
  if (!importer) {
    io.err(`edgescale: the ${request.format} importer is not available in this build`);
    return EXIT.failed;
  }
  const read = await io.readText(request.file);
  if (!read.ok) {
    io.err(`edgescale: cannot read ${request.file}: ${read.message}`);
    return EXIT.usage;
  }
  const chosen = await sourceOptions(request, read.text, io, p);
  if (!chosen.ok) return chosen.status;
  const options: ImporterOptions = { ...chosen.options };
  if (request.id !== undefined) options.id = request.id;
  const result = importer(read.text, options);
  if (!result.ok) {
    for (const issue of result.issues) io.err(formatIssue(request.file, issue, undefined));
    return EXIT.failed;
  }
  // --output yaml: the same rule set as YAML (yaml's defaults: block style, keys in the JSON's order).
  io.out(request.output === 'yaml' ? toYaml(result.ruleSet).replace(/\n$/, '') : JSON.stringify(result.ruleSet, null, 2));
  for (const u of result.unsupported) io.err(`${request.file}:${u.path || '$'}: not imported: ${u.message}${u.reason !== undefined ? ` (${u.reason})` : ''}`);
  result.notes.forEach(noter(io, request.quiet));
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------
// export

/** A native rule set file → an Azure autoscale setting (JSON) or an HPA manifest (YAML) on stdout. */
async function exportFile(request: Extract<CliRequest, { command: 'export' }>, io: CliIo): Promise<number> {
  const read = await io.readText(request.file);
  if (!read.ok) {
    io.err(`edgescale: cannot read ${request.file}: ${read.message}`);
    return EXIT.usage;
  }
  const json = tryJson(read.text);
  if (!json.ok) {
    io.err(formatIssue(request.file, jsonSyntaxIssue(read.text, json.error), undefined));
    return EXIT.failed;
  }
  const result = request.format === 'azure' ? exportAzureAutoscale(json.value) : exportHpaManifest(json.value);
  if (!result.ok) {
    for (const issue of result.issues) io.err(formatIssue(request.file, issue, json.value));
    return EXIT.failed;
  }
  const value = 'setting' in result ? result.setting : result.manifest;
  // Each format's usual form unless -o says otherwise: az reads JSON, kubectl apply either.
  const yaml = (request.output ?? (request.format === 'hpa' ? 'yaml' : 'json')) === 'yaml';
  io.out(yaml ? ('yaml' in result ? result.yaml : toYaml(value)).replace(/\n$/, '') : JSON.stringify(value, null, 2));
  for (const u of result.unsupported) io.err(`${request.file}:${u.path || '$'}: not exported: ${u.message}`);
  return EXIT.ok;
}
