// The CLI's commands, options and help texts, and the pure step from parsed arguments to a typed request.
//
// Tokenising is node:util's parseArgs (src/cli/main.ts passes it in as `ParseArgs`); everything after
// it — which command, which values are valid, what the usage error says — lives here without I/O, so
// it can be tested inside workerd, where node:util parseArgs is not implemented.
import { parseIsoDuration, toEpochMs } from '../syntax/duration.js';
import { LIMITS } from '../limits.js';
import { TRACE_LEVELS } from '../schemas/codes.js';
import type { TraceLevel } from '../service/trace-level.js';
import { settleOptionValues } from './option-values.js';
import { didYouMean } from './suggest.js';

export type RuleSetFormat = 'auto' | 'native' | 'azure' | 'hpa' | 'keda' | 'aws' | 'knative';
const RULESET_FORMATS: readonly RuleSetFormat[] = ['auto', 'native', 'azure', 'hpa', 'keda', 'aws', 'knative'];
const IMPORT_FORMATS = ['azure', 'hpa', 'keda', 'aws', 'knative'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
const EXPORT_FORMATS = ['azure', 'hpa'] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];
const OUTPUT_FORMATS = ['json', 'yaml'] as const;
type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `edgescale serve` defaults: wrangler dev's port, and loopback so nothing is exposed by accident. */
export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
/**
 * Where `serve` keeps its delivery outbox (outbox.db): beside the directory it is started in, like
 * .wrangler/ for wrangler dev, so two checkouts never share one and nothing needs to exist beforehand.
 */
const DEFAULT_DATA_DIR = './.edgescale';
/** Highest TCP port number (RFC 793: ports are 16-bit). */
const MAX_PORT = 65_535;

/** Exit statuses: 2 for usage errors, as grep, diff and most POSIX tools do. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export type CliRequest =
  | { command: 'help'; text: string }
  | { command: 'version' }
  | { command: 'validate'; files: string[]; format: RuleSetFormat; quiet: boolean; json?: true; strict?: true; name?: string; parameters?: string }
  | { command: 'lint'; files: string[]; format: RuleSetFormat; json?: true; strict?: true; name?: string; parameters?: string }
  | {
      command: 'eval';
      ruleSet: string;
      metrics: string;
      format: RuleSetFormat;
      capacity?: number;
      state?: string;
      now?: number;
      json: boolean;
      quiet?: true;
      target?: string;
      name?: string;
      parameters?: string;
      trace?: TraceLevel;
    }
  | { command: 'import'; format: ImportFormat; file: string; output?: OutputFormat; quiet?: true; id?: string; name?: string; parameters?: string }
  | { command: 'export'; format: ExportFormat; file: string; output?: OutputFormat }
  | { command: 'serve'; port: number; host: string; dataDir: string }
  | {
      command: 'simulate';
      ruleSets: string[];
      metrics: string;
      format: RuleSetFormat;
      capacity?: number;
      step?: string;
      from?: number;
      to?: number;
      load?: 'replay' | 'demand';
      provisioningDelay?: string;
      json: boolean;
      quiet?: true;
      html?: string;
      name?: string;
      parameters?: string;
    };

export type ParseOutcome = { ok: true; request: CliRequest } | { ok: false; message: string; command?: CommandName };

/** The subset of node:util parseArgs' config and result the CLI uses. */
interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}
export type ParseArgs = (config: { args: string[]; options: Record<string, OptionSpec>; allowPositionals: true; strict: true }) => {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
};

export type CommandName = 'validate' | 'lint' | 'eval' | 'import' | 'export' | 'serve' | 'simulate';

interface CommandSpec {
  options: Record<string, OptionSpec>;
  help: string;
}

/** The options several commands take, each specified once; `withShared` gives a command --help and the ones it names. */
const SHARED_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  format: { type: 'string' },
  capacity: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  name: { type: 'string' },
  parameters: { type: 'string' },
  output: { type: 'string', short: 'o' },
} as const satisfies Record<string, OptionSpec>;

function withShared(...names: Array<Exclude<keyof typeof SHARED_OPTIONS, 'help'>>): Record<string, OptionSpec> {
  const out: Record<string, OptionSpec> = { help: SHARED_OPTIONS.help };
  for (const name of names) out[name] = SHARED_OPTIONS[name];
  return out;
}
const FORMAT_HELP = `  --format F        auto (default), native, azure, hpa, keda, aws or knative. auto reads a
                    CloudFormation template with scaling resources (JSON or YAML), aws autoscaling
                    describe-* output and *.aws.json/yaml as aws, *.knative.yaml and YAML or JSON
                    whose apiVersion is serving.knative.dev as knative, other .yaml/.yml as a
                    Kubernetes HPA manifest (a KEDA ScaledObject when it holds one and no HPA),
                    JSON with kind HorizontalPodAutoscaler as one too,
                    an Azure autoscale setting (az monitor autoscale show, ARM resource or
                    template) as azure, and anything else as a native rule set.`;

const LINT_OPTIONS: Record<string, OptionSpec> = { ...withShared('json', 'name', 'parameters'), strict: { type: 'boolean' } };
const NAME_HELP = `      --name NAME   which HorizontalPodAutoscaler (kubectl get hpa -o yaml prints a List) or
                    ScaledObject, which autoscale setting of an ARM template, or which AWS Auto
                    Scaling group (or policy) of a template or describe output, when the file holds
                    several; without it, several are an error naming them
      --parameters F  deployment parameter values for an ARM template (az deployment's parameters
                    file, or its "parameters" object): they replace the template's defaults`;
const LINT_HELP = `      --json        print one JSON object per file, in an array: valid, id, rules, metrics and
                    warnings (code, path, message, fix), or valid: false and errors
      --strict      exit 1 when any file has a warning`;

const SIMULATE_HELP = `Usage: edgescale simulate [options] <ruleset>... --metrics FILE

Replay one or more rule sets over a metric history, every evaluation seeing the metrics up to its
instant and the previous decision's state and capacity, and print a summary table (the rule sets
side by side) and a chart of capacity against required capacity. docs/simulate.md.

  <ruleset>   a rule set file (native JSON, an Azure setting, an HPA manifest; see --format) or the
              id of a bundled rule set; up to 4, compared over the same history
  --metrics   a JSON file holding one of
                { "cpu": [{ "t": "2026-11-23T10:00:00Z", "v": 71 }, ...] }        metrics by name
                { "capacity": 2, "metrics": {...}, "load": {...}, "step": ... }  a simulate request
                                                                                  without ruleSets

Options:
  -m, --metrics F   the history (required)
  -c, --capacity N  instance count at the start (default: the file's, else the first rule set's default)
      --step D      time between evaluations, ISO 8601 (default PT1M, or the file's)
      --from T      first evaluation; --to T end (exclusive): ISO 8601 with offset or epoch ms
                    (default: the history's first point to one step past its last)
      --load M      replay (the rules see the metrics as observed) or demand (they see the file's
                    load on the simulated capacity); needs a "load" object in the file
      --provisioning-delay D   new instances serve only after D (ISO 8601), with a "load" object
      --json        print the whole answer of POST /v1/simulate as JSON
  -q, --quiet       no note lines on stderr (defaults taken, fields replaced)
      --html F      also write a self-contained HTML report (charts, summary, decisions) to F
${FORMAT_HELP}
${NAME_HELP}
                    (both apply to every rule set file given)
  -h, --help        this text

Exit status: 0 simulated, 1 a rule set or the history is invalid, 2 usage error or unreadable file.`;

export const COMMANDS: Record<CommandName, CommandSpec> = {
  validate: {
    options: { ...withShared('format', 'quiet'), ...LINT_OPTIONS },
    help: `Usage: edgescale validate [options] <file>...

Check rule set files. Every problem is printed as
  file:PATH: message (Code)
with the JSON path inside the file; JSONata errors also show the expression line with a caret
under the position. Lint warnings of valid files follow (docs/lint.md), as
  file:PATH: warning: message (Code)
      fix: suggested fix

Options:
${FORMAT_HELP}
${NAME_HELP}
  -q, --quiet       print nothing for valid files but their warnings
${LINT_HELP}
  -h, --help        this text

Exit status: 0 all valid, 1 any invalid (or, with --strict, any warning), 2 usage error or
unreadable file.`,
  },
  lint: {
    options: { ...withShared('format'), ...LINT_OPTIONS },
    help: `Usage: edgescale lint [options] <file>...

Print the lint warnings of rule set files (docs/lint.md): settings that load but that a reviewer
of autoscale rules would flag, such as scale-out and scale-in rules that fire at the same load.
Each is printed as
  file:PATH: warning: message (Code)
      fix: suggested fix
Problems that make a file invalid are printed as validate prints them.

Options:
${FORMAT_HELP}
${NAME_HELP}
${LINT_HELP}
  -h, --help        this text

Exit status: 0 no file invalid (warnings or not), 1 any invalid (or, with --strict, any
warning), 2 usage error or unreadable file.`,
  },
  eval: {
    options: {
      ...withShared('format', 'capacity', 'json', 'quiet', 'name', 'parameters'),
      state: { type: 'string', short: 's' },
      now: { type: 'string' },
      target: { type: 'string', short: 't' },
      trace: { type: 'string' },
    },
    help: `Usage: edgescale eval [options] <ruleset> <metrics>

Decide one target with the engine the worker runs, and print the decision.

  <ruleset>   a rule set file (native JSON, or an Azure setting / HPA manifest, see --format),
              or the id of a bundled rule set (rules/*.json) when no such file exists
  <metrics>   a JSON file holding one of
                { "cpu": 85, "mem": [{ "t": "2026-11-22T10:29:00Z", "v": 71 }] }   metrics by name
                { "id": ..., "capacity": 4, "metrics": {...}, "state": {...} }      a whole target
                { "now": ..., "targets": [...], "metricsFormat": ... }               an evaluate request

Options:
  -c, --capacity N  current instance count (default: the target's, else the rule set's default)
  -s, --state F     state from the previous decision: a state object, a decision (its .state is
                    used) or an evaluate response
      --now T       evaluation instant: ISO 8601 with offset (2026-11-22T10:30:00Z) or epoch ms
                    (default: the request's now, else the clock)
  -t, --target ID   the target's id; with an evaluate request, the target to decide
      --json        print the whole decision as JSON (stable, for scripts)
      --trace L     with --json, how much of it: full (default), summary or none (no trace)
  -q, --quiet       no note lines on stderr (defaults taken, fields replaced); errors and what an
                    import left out are still printed
${FORMAT_HELP}
${NAME_HELP}
  -h, --help        this text

Exit status: 0 decided, 1 the rule set or the target is invalid, 2 usage error or unreadable file.`,
  },
  import: {
    options: { ...withShared('name', 'parameters', 'output', 'json', 'quiet'), id: { type: 'string' } },
    help: `Usage: edgescale import azure|hpa|keda|aws|knative [options] <file>

Convert an Azure autoscale setting (az monitor autoscale show, ARM resource or template; JSON), a
Kubernetes HorizontalPodAutoscaler manifest or a KEDA ScaledObject (YAML or JSON), AWS Auto
Scaling (a CloudFormation template or describe-* output) or a Knative Service (its
autoscaling.knative.dev annotations; a config-autoscaler ConfigMap in the same file supplies the
cluster defaults) into a native rule set, printed as JSON (or YAML) on stdout. Fields edgescale
cannot honour and the choices made are listed on stderr.

Options:
      --id ID       id of the produced rule set (default: from the setting's or manifest's name)
      --name NAME   which HorizontalPodAutoscaler, ScaledObject or Knative Service, which autoscale
                    setting of an ARM template, or which AWS Auto Scaling group (or policy),
                    when the file holds several
      --parameters F  deployment parameter values for an ARM template (az deployment's parameters
                    file): they replace the template's defaults
  -o, --output F    json (default) or yaml; --json is -o json
  -q, --quiet       no note lines on stderr; what was not imported is still listed
  -h, --help        this text

Exit status: 0 converted, 1 the input cannot be converted, 2 usage error or unreadable file.`,
  },
  export: {
    options: withShared('output'),
    help: `Usage: edgescale export azure|hpa [options] <file>

Convert a native rule set (JSON) into an Azure autoscale setting (JSON, the shape az monitor
autoscale show prints) or a Kubernetes autoscaling/v2 HorizontalPodAutoscaler (YAML), printed on
stdout. What the target format cannot express is listed on stderr and left out.

Options:
  -o, --output F    json or yaml (default: json for azure, yaml for hpa)
  -h, --help        this text

Exit status: 0 converted, 1 the rule set is invalid, 2 usage error or unreadable file.`,
  },
  simulate: {
    options: {
      ...withShared('format', 'capacity', 'json', 'quiet', 'name', 'parameters'),
      metrics: { type: 'string', short: 'm' },
      step: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      load: { type: 'string' },
      'provisioning-delay': { type: 'string' },
      html: { type: 'string' },
    },
    help: SIMULATE_HELP,
  },
  serve: {
    options: { ...withShared(), port: { type: 'string', short: 'p' }, host: { type: 'string' }, 'data-dir': { type: 'string' } },
    help: `Usage: edgescale serve [options]

Serve the worker's HTTP API (/v1/evaluate, /v1/validate, /v1/rulesets, /docs, ...) on Node, with the
bundled rule sets. Configuration comes from the environment, as worker variables would:
EDGESCALE_API_TOKEN or EDGESCALE_CREDENTIALS, EDGESCALE_DEV_AUTH_DISABLED, ACTUATOR_URL,
ACTUATOR_HMAC_KEY, EDGESCALE_WEBHOOK_HMAC_KEY, EDGESCALE_ALLOWED_ORIGINS, EDGESCALE_LIMIT_*,
ACTUATOR_URL_<NAME>. Secrets shorter than 32 characters are refused (exit 2).

Options:
  -p, --port N      port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
      --host H      address to bind (default ${DEFAULT_HOST})
      --data-dir D  directory of the delivery outbox, created if missing (default ${DEFAULT_DATA_DIR});
                    one server per directory
  -h, --help        this text

Decisions to deliver are written to a SQLite outbox in the data directory before they are sent,
and retried with backoff until the actuator answers 2xx, across restarts (docs/actuator.md).
There is no cron trigger under Node: use POST /v1/scheduled to run a tick.`,
  },
};

const MAIN_HELP = `Usage: edgescale <command> [options]

Commands:
  validate <file>...            check rule set files
  lint <file>...                print the lint warnings of rule set files
  eval <ruleset> <metrics>      decide one target and explain the decision
  simulate <ruleset>... -m F    replay rule sets over a metric history, compared side by side
  import azure|hpa|keda|aws|knative <file>  convert an Azure setting, an HPA, a KEDA ScaledObject, AWS Auto Scaling or a Knative Service
  export azure|hpa <file>       convert a native rule set into one of those
  serve                         run the HTTP API on Node

Options:
  -h, --help                    help (also: edgescale <command> --help, edgescale help <command>)
      --version                 print the version (also: edgescale version)

Colours are used when stdout is a terminal and NO_COLOR is not set.`;

const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

/** Words that may come first: the commands, then help and version. */
const FIRST_WORDS = [...Object.keys(COMMANDS), 'help', 'version'];

/**
 * What eval and simulate both read: --format, --json, --quiet (only when given) and --capacity (a whole
 * number from 0 to LIMITS.maxCapacity, only when given); or what is wrong with them.
 */
interface DecidingFields {
  format: RuleSetFormat;
  json: boolean;
  quiet?: true;
  capacity?: number;
  name?: string;
  parameters?: string;
}

function deciding(
  values: Values,
  command: CommandName,
): { ok: true; fields: DecidingFields } | { ok: false; message: string; command: CommandName } {
  const format = parseFormat(values, command);
  if (!format.ok) return format;
  const fields: DecidingFields = { format: format.format, json: values.json === true };
  if (values.quiet === true) fields.quiet = true;
  Object.assign(fields, sourceFlags(values));
  const capacity = str(values, 'capacity');
  if (capacity !== undefined) {
    const n = parseWholeNumber(capacity, 0, LIMITS.maxCapacity);
    if (n === undefined) return { ok: false, message: `--capacity must be a whole number from 0 to ${LIMITS.maxCapacity} (got "${capacity}")`, command };
    fields.capacity = n;
  }
  return { ok: true, fields };
}

/** `<format> <file>` of import and export: a format of `formats`, then exactly one file; or what is wrong. */
function formatAndFile<F extends string>(positionals: readonly string[], formats: readonly F[], command: string, fileWanted: string): { format: F; file: string } | string {
  const [format, file, ...extra] = positionals;
  if (format === undefined) return `expected a format (${listOr(formats)}) and a file`;
  if (!(formats as readonly string[]).includes(format)) return `unknown ${command} format "${format}" (expected ${formats.join(' or ')})`;
  if (file === undefined) return `expected ${fileWanted}`;
  if (extra.length > 0) return `unexpected argument "${extra[0]}"`;
  return { format: format as F, file };
}

/** "a, b or c". */
const listOr = (xs: readonly string[]): string => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

/** Why `output` is not an --output this CLI writes, or undefined when it is one. */
function outputProblem(output: string): string | undefined {
  if ((OUTPUT_FORMATS as readonly string[]).includes(output)) return undefined;
  return `--output must be ${OUTPUT_FORMATS.join(' or ')} (got "${output}")${didYouMean(output, OUTPUT_FORMATS)}`;
}

/**
 * parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown options and missing values.
 * Node's text is about its own syntax ("To specify a positional argument starting with a '-', place it
 * at the end of the command after '--'"): an unknown option is named with the nearest of `options`
 * instead, and any other message keeps its first line.
 */
export function usageFromParseError(error: unknown, options: Record<string, OptionSpec> = {}): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /^Unknown option '([^']+)'/.exec(message)?.[1] : undefined;
  if (unknown !== undefined) {
    // Single letters are too short to guess from; long names are compared with the long names.
    const near = unknown.startsWith('--') ? didYouMean(unknown, Object.keys(options).map((name) => `--${name}`)) : '';
    return `unknown option "${unknown}"${near}`;
  }
  return message.split('\n')[0]!;
}

/**
 * From argv (without node and the script) to a request. `parse` is node:util parseArgs; it throws
 * on unknown options, which become usage errors naming the command so its help can be pointed to.
 */
export function parseCommandLine(argv: readonly string[], parse: ParseArgs): ParseOutcome {
  const [first, ...rest] = argv;
  // No arguments: the command list, as kubectl and az print it (exit 0), rather than an error.
  if (first === undefined || first === '--help' || first === '-h') return { ok: true, request: { command: 'help', text: MAIN_HELP } };
  if (first === '--version' || first === 'version') return { ok: true, request: { command: 'version' } };
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { ok: true, request: { command: 'help', text: MAIN_HELP } };
    return isCommand(topic) ? { ok: true, request: { command: 'help', text: COMMANDS[topic].help } } : { ok: false, message: `unknown command "${topic}"${didYouMean(topic, Object.keys(COMMANDS))}` };
  }
  if (first.startsWith('-')) {
    const near = didYouMean(first, ['--help', '--version']);
    return { ok: false, message: `unknown option "${first}"${near || ' (options go after the command)'}` };
  }
  if (!isCommand(first)) return { ok: false, message: `unknown command "${first}"${didYouMean(first, FIRST_WORDS)}` };

  const options = COMMANDS[first].options;
  const settled = settleOptionValues(rest, options);
  if (!settled.ok) return { ok: false, message: settled.message, command: first };
  let parsed: ReturnType<ParseArgs>;
  try {
    parsed = parse({ args: settled.args, options, allowPositionals: true, strict: true });
  } catch (error) {
    return { ok: false, message: usageFromParseError(error, options), command: first };
  }
  return interpret(first, parsed.values, parsed.positionals);
}

type Values = Record<string, string | boolean | undefined>;

const str = (values: Values, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};

/** A whole number in [min, max] written in decimal digits only ("4", not "4.0", "+4" or "0x4"). */
export function parseWholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,15}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

/** `--now`: digits are epoch milliseconds, anything else an ISO 8601 timestamp with an offset (as the API's `now`). */
export function parseNow(text: string): number | undefined {
  return /^-?\d+$/.test(text) ? toEpochMs(Number(text)) : toEpochMs(text);
}

function parseFormat(values: Values, command: CommandName): { ok: true; format: RuleSetFormat } | { ok: false; message: string; command: CommandName } {
  const format = str(values, 'format') ?? 'auto';
  if ((RULESET_FORMATS as readonly string[]).includes(format)) return { ok: true, format: format as RuleSetFormat };
  return { ok: false, message: `--format must be one of ${RULESET_FORMATS.join(', ')} (got "${format}")${didYouMean(format, RULESET_FORMATS)}`, command };
}

/** Which object of a multi-object manifest or template (--name), and the deployment's parameters (--parameters), present only when given. */
function sourceFlags(values: Values): { name?: string; parameters?: string } {
  const name = str(values, 'name');
  const parameters = str(values, 'parameters');
  return { ...(name !== undefined && { name }), ...(parameters !== undefined && { parameters }) };
}

/** --json, --strict, --name and --parameters of validate and lint, present only when given. */
const lintFlags = (values: Values): { json?: true; strict?: true; name?: string; parameters?: string } => {
  return {
    ...(values.json === true && { json: true }),
    ...(values.strict === true && { strict: true }),
    ...sourceFlags(values),
  };
};

/** Values and positionals as parseArgs returned them → a typed request, or the usage error. */
export function interpret(command: CommandName, values: Values, positionals: readonly string[]): ParseOutcome {
  if (values.help === true) return { ok: true, request: { command: 'help', text: COMMANDS[command].help } };
  const usage = (message: string): ParseOutcome => ({ ok: false, message, command });

  switch (command) {
    case 'validate': {
      if (positionals.length === 0) return usage('no files given');
      const format = parseFormat(values, command);
      if (!format.ok) return format;
      return { ok: true, request: { command, files: [...positionals], format: format.format, quiet: values.quiet === true, ...lintFlags(values) } };
    }
    case 'lint': {
      if (positionals.length === 0) return usage('no files given');
      const format = parseFormat(values, command);
      if (!format.ok) return format;
      return { ok: true, request: { command, files: [...positionals], format: format.format, ...lintFlags(values) } };
    }
    case 'eval': {
      if (positionals.length !== 2) {
        return usage(positionals.length < 2 ? 'expected a rule set and a metrics file' : `expected 2 arguments, got ${positionals.length}: ${positionals.join(' ')}`);
      }
      const shared = deciding(values, command);
      if (!shared.ok) return shared;
      const request: Extract<CliRequest, { command: 'eval' }> = { command, ruleSet: positionals[0]!, metrics: positionals[1]!, ...shared.fields };
      const now = str(values, 'now');
      if (now !== undefined) {
        const ms = parseNow(now);
        if (ms === undefined) return usage(`--now must be an ISO 8601 timestamp with an offset, such as 2026-11-22T10:30:00Z, or epoch milliseconds (got "${now}")`);
        request.now = ms;
      }
      const state = str(values, 'state');
      if (state !== undefined) request.state = state;
      const trace = str(values, 'trace');
      if (trace !== undefined) {
        if (!(TRACE_LEVELS as readonly string[]).includes(trace)) return usage(`--trace must be one of ${TRACE_LEVELS.join(', ')} (got "${trace}")`);
        // The text output is one summary and the trace table; --trace cuts the JSON answer, as the API's `trace` does.
        if (request.json !== true) return usage('--trace sets how much of the --json answer to print: add --json');
        request.trace = trace as TraceLevel;
      }
      const target = str(values, 'target');
      if (target !== undefined) {
        if (target === '') return usage('--target must not be empty');
        request.target = target;
      }
      return { ok: true, request };
    }
    case 'simulate': {
      if (positionals.length === 0) return usage('no rule set given');
      const metrics = str(values, 'metrics');
      if (metrics === undefined) return usage('--metrics FILE is required: the history to replay');
      const shared = deciding(values, command);
      if (!shared.ok) return shared;
      const request: Extract<CliRequest, { command: 'simulate' }> = { command, ruleSets: [...positionals], metrics, ...shared.fields };
      for (const name of ['step', 'provisioning-delay'] as const) {
        const d = str(values, name);
        if (d !== undefined && parseIsoDuration(d) === undefined) return usage(`--${name} must be an ISO 8601 duration such as PT1M (got "${d}")`);
      }
      const step = str(values, 'step');
      if (step !== undefined) request.step = step;
      const delay = str(values, 'provisioning-delay');
      if (delay !== undefined) request.provisioningDelay = delay;
      for (const name of ['from', 'to'] as const) {
        const t = str(values, name);
        if (t === undefined) continue;
        const ms = parseNow(t);
        if (ms === undefined) return usage(`--${name} must be an ISO 8601 timestamp with an offset or epoch milliseconds (got "${t}")`);
        request[name] = ms;
      }
      const load = str(values, 'load');
      if (load !== undefined) {
        if (load !== 'replay' && load !== 'demand') return usage(`--load must be replay or demand (got "${load}")`);
        request.load = load;
      }
      const html = str(values, 'html');
      if (html !== undefined) request.html = html;
      return { ok: true, request };
    }
    case 'import': {
      const target = formatAndFile(positionals, IMPORT_FORMATS, 'import', 'a file to import');
      if (typeof target === 'string') return usage(target);
      const { format, file } = target;
      const output = str(values, 'output') ?? 'json';
      const wrongOutput = outputProblem(output);
      if (wrongOutput) return usage(wrongOutput);
      if (values.json === true && output !== 'json') return usage(`--json and --output ${output} disagree: choose one`);
      const request: Extract<CliRequest, { command: 'import' }> = { command, format, file, output: output as OutputFormat, ...(values.quiet === true && { quiet: true }) };
      const id = str(values, 'id');
      if (id !== undefined) request.id = id;
      // --name chooses one HPA of a List, or one autoscale setting of an ARM template holding several.
      Object.assign(request, sourceFlags(values));
      return { ok: true, request };
    }
    case 'export': {
      const target = formatAndFile(positionals, EXPORT_FORMATS, 'export', 'a rule set file to export');
      if (typeof target === 'string') return usage(target);
      const { format, file } = target;
      const output = str(values, 'output');
      const wrongOutput = output === undefined ? undefined : outputProblem(output);
      if (wrongOutput) return usage(wrongOutput);
      return { ok: true, request: { command, format, file, ...(output !== undefined && { output: output as OutputFormat }) } };
    }
    case 'serve': {
      if (positionals.length > 0) return usage(`unexpected argument "${positionals[0]}"`);
      const portText = str(values, 'port');
      const port = portText === undefined ? DEFAULT_PORT : parseWholeNumber(portText, 0, MAX_PORT);
      if (port === undefined) return usage(`--port must be a whole number from 0 to ${MAX_PORT} (got "${portText}")`);
      const host = str(values, 'host') ?? DEFAULT_HOST;
      if (host === '') return usage('--host must not be empty');
      const dataDir = str(values, 'data-dir') ?? DEFAULT_DATA_DIR;
      if (dataDir === '') return usage('--data-dir must not be empty');
      return { ok: true, request: { command, port, host, dataDir } };
    }
  }
}
