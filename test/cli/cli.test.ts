// The CLI's pure parts (the `node` vitest project): argument interpretation, issue and decision text, format detection, and the commands over in-memory files.
// Tokenising is node:util parseArgs, which src/cli/main.ts injects (a leftover of when these tests ran in workerd,
// which lacks it); it is covered by scripts/cli-smoke.mjs, and here a stub stands in where a test needs the step after it.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/schemas/decision.js';
import pkg from '../../package.json';
import { COMMANDS, DEFAULT_HOST, DEFAULT_PORT, EXIT, interpret, parseCommandLine, parseNow, parseWholeNumber, usageFromParseError, type CliRequest, type CommandName, type ParseArgs } from '../../src/cli/args.js';
import { classifyMetrics, extractState, runCli, runRequest, VERSION_TEXT, type CliIo } from '../../src/cli/commands.js';
import { caretLines, formatDecision, formatIssue, jsonErrorPosition, jsonSyntaxIssue, palette, table, useColor, valueAtPath, visibleLength } from '../../src/cli/format.js';
import { detectFormat } from '../../src/cli/importers.js';
import { serveChecks, workerEnv } from '../../src/cli/serve-config.js';
import k8sApi from '../../rules/k8s-api.json';
import webTier from '../../rules/web-tier.json';

// README.md "Try it": web-tier at 4 instances with cpu 85 at 10:30Z scales out to 5 by cpu-high with this
// reason; the same target three minutes later, with that decision's state, is held by the cooldown.
const README = {
  now: '2026-11-22T10:30:00Z',
  reason: 'scale-out 4→5: rule cpu-high fired (cpu average over PT10M = 85, > 70)',
  later: '2026-11-22T10:33:00Z',
  laterReason: 'scale-out deferred: cooldown of rule cpu-high until 10:35Z (rule cpu-high fired)',
};

/** node:util parseArgs' message for an unknown option (lib/internal/util/parse_args/parse_args.js, with allowPositionals). */
const nodeUnknownOption = (flag: string) => {
  const error = new TypeError(`Unknown option '${flag}'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- "${flag}"`);
  return Object.assign(error, { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
};

const neverParse: ParseArgs = () => {
  throw new Error('parse must not be called for this command line');
};

describe('parseCommandLine: the command word, --help and --version are read before parseArgs', () => {
  it.each<{ name: string; argv: string[]; expected: { command?: string; message?: RegExp; helpOf?: CommandName | 'main' } }>([
    { name: '--help prints the main help', argv: ['--help'], expected: { command: 'help', helpOf: 'main' } },
    { name: '-h prints the main help', argv: ['-h'], expected: { command: 'help', helpOf: 'main' } },
    { name: '--version', argv: ['--version'], expected: { command: 'version' } },
    { name: 'help <command> prints that command’s help', argv: ['help', 'eval'], expected: { command: 'help', helpOf: 'eval' } },
    { name: 'no arguments print the main help, as kubectl and az do', argv: [], expected: { command: 'help', helpOf: 'main' } },
    { name: 'version is also a command word (kubectl version, az version)', argv: ['version'], expected: { command: 'version' } },
    { name: 'an unknown command is a usage error', argv: ['frobnicate'], expected: { message: /^unknown command "frobnicate"$/ } },
    { name: 'a mistyped command is a usage error that suggests the command', argv: ['evaluate'], expected: { message: /^unknown command "evaluate" \(did you mean eval\?\)$/ } },
    { name: 'a mistyped help topic suggests the command', argv: ['help', 'simulat'], expected: { message: /^unknown command "simulat" \(did you mean simulate\?\)$/ } },
    { name: 'a mistyped --version before the command suggests it', argv: ['--verison'], expected: { message: /^unknown option "--verison" \(did you mean --version\?\)$/ } },
    { name: 'an option before the command is a usage error', argv: ['--json', 'eval'], expected: { message: /unknown option "--json"/ } },
    { name: 'help for an unknown command is a usage error', argv: ['help', 'nope'], expected: { message: /unknown command "nope"/ } },
  ])('$name', ({ argv, expected }) => {
    const out = parseCommandLine(argv, neverParse);
    if (expected.message) {
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.message).toMatch(expected.message);
      return;
    }
    expect(out.ok && out.request.command).toBe(expected.command);
    if (out.ok && out.request.command === 'help') {
      expect(out.request.text).toBe(expected.helpOf === 'main' ? (parseCommandLine(['-h'], neverParse) as { request: { text: string } }).request.text : COMMANDS[expected.helpOf!].help);
    }
  });

  it('hands the command’s own option table to parseArgs, strict and with positionals', () => {
    const seen: Array<Parameters<ParseArgs>[0]> = [];
    const parse: ParseArgs = (config) => {
      seen.push(config);
      return { values: {}, positionals: ['rules/web-tier.json'] };
    };
    const out = parseCommandLine(['validate', 'rules/web-tier.json'], parse);
    expect(out).toEqual({ ok: true, request: { command: 'validate', files: ['rules/web-tier.json'], format: 'auto', quiet: false } });
    expect(seen).toEqual([{ args: ['rules/web-tier.json'], options: COMMANDS.validate.options, allowPositionals: true, strict: true }]);
  });

  it('an unknown flag (parseArgs ERR_PARSE_ARGS_UNKNOWN_OPTION) is a usage error naming the flag and the command', () => {
    const out = parseCommandLine(['eval', '--bogus'], () => {
      throw nodeUnknownOption('--bogus');
    });
    expect(out).toEqual({ ok: false, message: 'unknown option "--bogus"', command: 'eval' });
  });

  it('every command takes --help and -h', () => {
    for (const spec of Object.values(COMMANDS)) expect(spec.options.help).toEqual({ type: 'boolean', short: 'h' });
  });
});

describe('interpret: parsed values → a typed request or a usage error (exit 2)', () => {
  type Case = { name: string; command: CommandName; values?: Record<string, string | boolean>; positionals?: string[]; expected: Partial<CliRequest> | RegExp };
  it.each<Case>([
    { name: 'validate needs at least one file', command: 'validate', expected: /no files given/ },
    { name: 'validate takes several files and --quiet', command: 'validate', values: { quiet: true }, positionals: ['a.json', 'b.json'], expected: { files: ['a.json', 'b.json'], quiet: true } },
    { name: 'validate refuses an unknown --format', command: 'validate', values: { format: 'yaml' }, positionals: ['a'], expected: /--format must be one of auto, native, azure, hpa/ },
    { name: 'validate takes --json and --strict', command: 'validate', values: { json: true, strict: true }, positionals: ['a.json'], expected: { command: 'validate', files: ['a.json'], json: true, strict: true } },
    { name: 'lint needs at least one file', command: 'lint', expected: /no files given/ },
    { name: 'lint takes files, --format, --json and --strict', command: 'lint', values: { format: 'azure', strict: true }, positionals: ['a.json'], expected: { command: 'lint', files: ['a.json'], format: 'azure', strict: true } },
    { name: '--help wins over missing arguments', command: 'eval', values: { help: true }, expected: { command: 'help', text: COMMANDS.eval.help } },
    { name: 'eval needs a rule set and a metrics file', command: 'eval', positionals: ['web-tier'], expected: /expected a rule set and a metrics file/ },
    { name: 'eval refuses a third argument', command: 'eval', positionals: ['a', 'b', 'c'], expected: /expected 2 arguments, got 3/ },
    {
      name: 'eval reads --capacity as a whole number and --now as ISO 8601 with an offset',
      command: 'eval',
      values: { capacity: '4', now: '2026-11-22T10:30:00Z', json: true, target: 'web-1', state: 's.json' },
      positionals: ['web-tier', 'm.json'],
      expected: { ruleSet: 'web-tier', metrics: 'm.json', capacity: 4, now: Date.UTC(2026, 10, 22, 10, 30), json: true, target: 'web-1', state: 's.json', format: 'auto' },
    },
    { name: '--now as epoch milliseconds', command: 'eval', values: { now: '1795343400000' }, positionals: ['a', 'b'], expected: { now: 1_795_343_400_000 } },
    { name: '--now without an offset is refused (it would be read in the machine’s zone)', command: 'eval', values: { now: '2026-11-22T10:30:00' }, positionals: ['a', 'b'], expected: /--now must be an ISO 8601 timestamp with an offset/ },
    { name: '--capacity 4.5 is refused', command: 'eval', values: { capacity: '4.5' }, positionals: ['a', 'b'], expected: /--capacity must be a whole number from 0 to 100000/ },
    { name: '--capacity above LIMITS.maxCapacity is refused', command: 'eval', values: { capacity: '100001' }, positionals: ['a', 'b'], expected: /--capacity must be a whole number/ },
    { name: 'import azure <file>', command: 'import', values: { id: 'web' }, positionals: ['azure', 'x.json'], expected: { format: 'azure', file: 'x.json', id: 'web' } },
    { name: 'import of an unknown format', command: 'import', positionals: ['terraform', 'x.tf'], expected: /unknown import format "terraform"/ },
    { name: 'import azure --name chooses one setting of a template', command: 'import', values: { name: 'web' }, positionals: ['azure', 'x.json'], expected: { format: 'azure', file: 'x.json', name: 'web' } },
    { name: 'import needs a file', command: 'import', positionals: ['hpa'], expected: /expected a file to import/ },
    { name: 'export hpa <file>', command: 'export', positionals: ['hpa', 'web.json'], expected: { format: 'hpa', file: 'web.json' } },
    { name: 'export of an unknown format', command: 'export', positionals: ['keda', 'web.json'], expected: /unknown export format "keda"/ },
    { name: 'export needs a file', command: 'export', positionals: ['azure'], expected: /expected a rule set file to export/ },
    { name: 'export takes one file', command: 'export', positionals: ['azure', 'a.json', 'b.json'], expected: /unexpected argument "b\.json"/ },
    { name: 'import without arguments names its formats', command: 'import', positionals: [], expected: /^expected a format \(azure, hpa, keda, aws or knative\) and a file$/ },
    { name: 'export without arguments names its formats', command: 'export', positionals: [], expected: /^expected a format \(azure or hpa\) and a file$/ },
    { name: 'export --output must be json or yaml', command: 'export', values: { output: 'yml' }, positionals: ['hpa', 'web.json'], expected: /--output must be json or yaml \(got "yml"\)/ },
    { name: 'serve defaults to 127.0.0.1:8787', command: 'serve', expected: { port: DEFAULT_PORT, host: DEFAULT_HOST, dataDir: './.edgescale' } },
    { name: 'serve --data-dir sets the outbox directory', command: 'serve', values: { 'data-dir': '/var/lib/edgescale' }, expected: { dataDir: '/var/lib/edgescale' } },
    { name: 'serve --data-dir must not be empty', command: 'serve', values: { 'data-dir': '' }, expected: /--data-dir must not be empty/ },
    { name: 'serve --port 0 picks a free port', command: 'serve', values: { port: '0', host: '::1' }, expected: { port: 0, host: '::1' } },
    { name: 'serve --port above 65535 is refused (16-bit ports, RFC 793)', command: 'serve', values: { port: '65536' }, expected: /--port must be a whole number from 0 to 65535/ },
    { name: 'serve takes no arguments', command: 'serve', positionals: ['8080'], expected: /unexpected argument "8080"/ },
  ])('$name', ({ command, values = {}, positionals = [], expected }) => {
    const out = interpret(command, values, positionals);
    if (expected instanceof RegExp) {
      expect(out.ok).toBe(false);
      if (!out.ok) {
        expect(out.message).toMatch(expected);
        expect(out.command).toBe(command);
      }
    } else {
      expect(out.ok).toBe(true);
      if (out.ok) expect(out.request).toMatchObject(expected);
    }
  });

  it.each<{ text: string; expected: number | undefined }>([
    { text: '4', expected: 4 },
    { text: '0', expected: 0 },
    { text: '4.0', expected: undefined },
    { text: '+4', expected: undefined },
    { text: '0x4', expected: undefined },
    { text: '', expected: undefined },
    { text: '-1', expected: undefined },
  ])('parseWholeNumber("$text") → $expected (decimal digits only)', ({ text, expected }) => {
    expect(parseWholeNumber(text, 0, 10)).toBe(expected);
  });

  it('parseNow follows the API’s Timestamp: an offset is required, epoch ms are accepted', () => {
    expect(parseNow('2026-11-22T11:30:00+01:00')).toBe(Date.UTC(2026, 10, 22, 10, 30));
    expect(parseNow('0')).toBe(0);
    expect(parseNow('yesterday')).toBeUndefined();
  });

  it('usageFromParseError names the unknown option, with the nearest long option of the command, and keeps the first line of other messages', () => {
    expect(usageFromParseError(nodeUnknownOption('-x'), COMMANDS.eval.options)).toBe('unknown option "-x"');
    expect(usageFromParseError(nodeUnknownOption('--capcity'), COMMANDS.eval.options)).toBe('unknown option "--capcity" (did you mean --capacity?)');
    expect(usageFromParseError(nodeUnknownOption('--capcity'), COMMANDS.validate.options)).toBe('unknown option "--capcity"');
    const ambiguous = Object.assign(new TypeError("Option '--now' argument is ambiguous.\nDid you forget to specify the option argument for '--now'?"), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
    expect(usageFromParseError(ambiguous)).toBe("Option '--now' argument is ambiguous.");
  });
});

describe('issues: file:PATH: message (Code), with the JSONata expression line and a caret under `position`', () => {
  it.each<{ name: string; expr: string; position: number; line: string; caret: string }>([
    { name: 'caret under the offending token', expr: 'metrics.cpu.avg > )', position: 18, line: '    metrics.cpu.avg > )', caret: '                      ^' },
    { name: 'position 0', expr: ')x', position: 0, line: '    )x', caret: '    ^' },
    { name: 'at the end of the expression (unexpected end)', expr: 'a and', position: 5, line: '    a and', caret: '         ^' },
    { name: 'a multi-line expression shows the line holding the position', expr: 'a > 1 and\n  b <', position: 14, line: '      b <', caret: '        ^' },
    { name: 'tabs before the caret are kept so it lines up', expr: 'a and\n\t\tb ++', position: 10, line: '    \t\tb ++', caret: '    \t\t  ^' },
  ])('$name', ({ expr, position, line, caret }) => {
    expect(caretLines(expr, position)).toEqual([line, caret]);
  });

  it('a long line is cut to a window around the caret, marked with …', () => {
    const expr = `${'x'.repeat(200)}!${'y'.repeat(200)}`;
    const [line, caret] = caretLines(expr, 200, '');
    expect(line.startsWith('…') && line.endsWith('…')).toBe(true);
    expect(line[caret.length - 1]).toBe('!');
    expect(visibleLength(line)).toBeLessThanOrEqual(82);
  });

  const raw = { rules: [{ id: 'hot', when: { expr: 'metrics.cpu.avg > )' } }] };

  it('formatIssue finds the expression at the issue’s path and draws the caret (the CLI’s JSONata error format)', () => {
    const text = formatIssue('rules/x.json', { code: 'ExprSyntax', message: 'The symbol ")" cannot be used as a unary operator', path: 'rules[0].when.expr', position: 18 }, raw);
    expect(text.split('\n')).toEqual(['rules/x.json:rules[0].when.expr: The symbol ")" cannot be used as a unary operator (ExprSyntax)', '    metrics.cpu.avg > )', '                      ^']);
  });

  it.each<{ name: string; issue: Parameters<typeof formatIssue>[1]; expected: string }>([
    { name: 'a path-only issue is one line', issue: { code: 'InvalidBounds', message: 'minimum 5 is above maximum 2', path: 'capacity.minimum' }, expected: 'f.json:capacity.minimum: minimum 5 is above maximum 2 (InvalidBounds)' },
    { name: 'the whole file is "$"', issue: { code: 'SchemaViolation', message: 'Unrecognized key: "cpu"', path: '' }, expected: 'f.json:$: Unrecognized key: "cpu" (SchemaViolation)' },
    { name: 'a syntax error names line:column', issue: { code: 'InvalidJson', message: 'invalid JSON: x', path: '', line: 3, column: 15 }, expected: 'f.json:3:15: invalid JSON: x (InvalidJson)' },
    { name: 'a position whose expression is not at the path is named, not drawn', issue: { code: 'ExprSyntax', message: 'm', path: 'rules[1].when.expr', position: 4 }, expected: 'f.json:rules[1].when.expr: m (ExprSyntax) at character 4' },
  ])('$name', ({ issue, expected }) => {
    expect(formatIssue('f.json', issue, raw)).toBe(expected);
  });

  it('valueAtPath reads engine paths with indexes', () => {
    expect(valueAtPath({ profiles: [{ rules: [{}, { action: { expr: 'e' } }] }] }, 'profiles[0].rules[1].action.expr')).toBe('e');
    expect(valueAtPath(raw, 'rules[3].when')).toBeUndefined();
  });

  // V8's JSON.parse messages (Node 20): "… in JSON at position N", "Unexpected end of JSON input", and
  // "Unexpected token 'X', …"<10 characters either side>"… is not valid JSON".
  it.each<{ name: string; text: string; message: string; at: (text: string) => number | undefined }>([
    { name: '"at position N" is used as it is', text: '{"a": 1 "b": 2}', message: "Expected ',' or '}' after property value in JSON at position 8", at: () => 8 },
    { name: 'unexpected end is the end of the text', text: '{"a": [1,2', message: 'Unexpected end of JSON input', at: (t) => t.length },
    { name: 'a left-cut snippet puts the token 10 characters in', text: '{\n  "id": "x",\n  "capacity": }', message: 'Unexpected token \'}\', ..."apacity": }" is not valid JSON', at: (t) => t.lastIndexOf('}') },
    { name: 'an uncut snippet is the start of the text', text: '{"a": }', message: 'Unexpected token \'}\', "{"a": }" is not valid JSON', at: (t) => t.indexOf('}') },
    { name: 'an unrecognised message gives no position', text: '{', message: 'something else', at: () => undefined },
  ])('jsonErrorPosition: $name', ({ text, message, at }) => {
    expect(jsonErrorPosition(text, message)).toBe(at(text));
  });

  it('jsonSyntaxIssue turns the position into a 1-based line and column', () => {
    const text = '{\n  "id": "x",\n  "capacity": }';
    const issue = jsonSyntaxIssue(text, new SyntaxError('Unexpected token \'}\', ..."apacity": }" is not valid JSON'));
    expect(issue).toMatchObject({ code: 'InvalidJson', line: 3, column: '  "capacity": }'.length, message: "invalid JSON: Unexpected token '}'" });
  });
});

describe('colours: only for a terminal, and never with NO_COLOR (no-color.org)', () => {
  it.each<{ tty: boolean; env: Record<string, string>; expected: boolean }>([
    { tty: true, env: {}, expected: true },
    { tty: false, env: {}, expected: false },
    { tty: true, env: { NO_COLOR: '1' }, expected: false },
    { tty: true, env: { NO_COLOR: '0' }, expected: false },
    // "when present and not an empty string (regardless of its value)"
    { tty: true, env: { NO_COLOR: '' }, expected: true },
  ])('tty=$tty env=$env → $expected', ({ tty, env, expected }) => {
    expect(useColor(tty, env)).toBe(expected);
  });

  it('table() lines up columns by visible width, so coloured cells align like plain ones', () => {
    const p = palette(true);
    const plain = table([['a', 'Fired', 'x'], ['longer', 'NotMet', 'y']]);
    const coloured = table([['a', p.green('Fired'), 'x'], ['longer', 'NotMet', 'y']]).map((l) => l.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), ''));
    expect(coloured).toEqual(plain);
    expect(plain).toEqual(['a       Fired   x', 'longer  NotMet  y']);
  });
});

// ---------------------------------------------------------------------------------------------
// The commands over in-memory files (CliIo): what the smoke script checks on Node, without fs.

interface Captured {
  io: CliIo;
  out: string[];
  err: string[];
}

function memoryIo(files: Record<string, string>, color = false): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    readText: async (path) => (Object.hasOwn(files, path) ? { ok: true, text: files[path]! } : { ok: false, missing: true, message: 'no such file' }),
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    color,
    now: () => {
      throw new Error('the clock must not be read when --now is given');
    },
    parse: neverParse,
    serve: async () => EXIT.ok,
  };
  return { io, out, err };
}

const evalRequest = (over: Partial<Extract<CliRequest, { command: 'eval' }>>): CliRequest => ({ command: 'eval', ruleSet: 'web-tier', metrics: 'm.json', format: 'auto', json: true, ...over });

// Issue 16: `validate` called a set valid whose scale-out (cpu > 50) and scale-in (cpu < 70) rules both fire at 60.
describe('lint warnings through validate and lint (docs/lint.md)', () => {
  const rule = (id: string, direction: string, operator: string, threshold: number) => ({ id, direction, when: { metric: { metric: 'cpu', operator, threshold } }, action: { type: 'ChangeCount', value: 1 } });
  const spec = (outAt: number, inAt: number) => JSON.stringify({ id: 'o', capacity: { minimum: 1, maximum: 10, default: 2 }, cooldown: 'PT10M', rules: [rule('cpu-high', 'out', 'GreaterThan', outAt), rule('cpu-low', 'in', 'LessThan', inAt)] });
  const files = { 'overlap.json': spec(50, 70), 'clean.json': spec(80, 30) };
  const warningLines = [
    'overlap.json:rules[0].when.metric.threshold: warning: Scale-out rule cpu-high (cpu > 50) and scale-in rule cpu-low (cpu < 70) both fire at cpu = 60, so one load asks for both more and fewer instances (scale-out wins, and flapping follows when the load moves). (OutInOverlap)\n' +
      "    fix: Keep the scale-in threshold below the scale-out threshold with a margin, as Azure's best practices advise (out at >= 80, in at <= 60).",
  ];
  const request = (command: 'validate' | 'lint', argv: string[], flags: { json?: true; strict?: true } = {}): CliRequest =>
    command === 'validate' ? { command, files: argv, format: 'auto', quiet: false, ...flags } : { command, files: argv, format: 'auto', ...flags };

  it.each<{ name: string; command: 'validate' | 'lint'; argv: string[]; strict?: true; status: number; out: string[] }>([
    { name: 'validate: valid, the warning after it, exit 0', command: 'validate', argv: ['overlap.json'], status: EXIT.ok, out: ['overlap.json: valid (rule set o, 2 rules)', ...warningLines] },
    { name: 'validate --strict: exit 1 on the warning', command: 'validate', argv: ['overlap.json'], strict: true, status: EXIT.failed, out: ['overlap.json: valid (rule set o, 2 rules)', ...warningLines] },
    { name: 'validate --strict on a clean set: exit 0', command: 'validate', argv: ['clean.json'], strict: true, status: EXIT.ok, out: ['clean.json: valid (rule set o, 2 rules)'] },
    { name: 'validate counts warnings over several files', command: 'validate', argv: ['clean.json', 'overlap.json'], status: EXIT.ok, out: ['clean.json: valid (rule set o, 2 rules)', 'overlap.json: valid (rule set o, 2 rules)', ...warningLines, '2 files valid, 0 invalid, 1 warning'] },
    { name: 'lint: only the warnings and a count, exit 0', command: 'lint', argv: ['clean.json', 'overlap.json'], status: EXIT.ok, out: [...warningLines, '1 warning in 1 file'] },
    { name: 'lint --strict: exit 1', command: 'lint', argv: ['overlap.json'], strict: true, status: EXIT.failed, out: [...warningLines, '1 warning in 1 file'] },
    { name: 'lint --strict on a clean set: exit 0', command: 'lint', argv: ['clean.json'], strict: true, status: EXIT.ok, out: ['0 warnings in 0 files'] },
  ])('$name', async ({ command, argv, strict, status, out }) => {
    const c = memoryIo(files);
    expect(await runRequest(request(command, argv, strict ? { strict } : {}), c.io)).toBe(status);
    expect(c.out).toEqual(out);
  });

  it('--json: one object per file with its warnings (validate and lint alike)', async () => {
    for (const command of ['validate', 'lint'] as const) {
      const c = memoryIo({ ...files, 'bad.json': '{"id": "b"}' });
      expect(await runRequest(request(command, ['overlap.json', 'clean.json', 'bad.json'], { json: true }), c.io)).toBe(EXIT.failed);
      const answer = JSON.parse(c.out.join('\n')) as Array<Record<string, unknown>>;
      expect(answer.map((f) => [f.file, f.valid, (f.warnings as unknown[] | undefined)?.length])).toEqual([
        ['overlap.json', true, 1],
        ['clean.json', true, 0],
        ['bad.json', false, undefined],
      ]);
      expect(answer[0]).toMatchObject({ id: 'o', rules: 2, metrics: ['cpu'], warnings: [{ code: 'OutInOverlap', path: 'rules[0].when.metric.threshold' }] });
    }
  });
});

describe('eval: the README decisions through the CLI', () => {
  it('web-tier, cpu 85, capacity 4 → scale out to 5 by cpu-high (README "Try it")', async () => {
    const c = memoryIo({ 'm.json': '{ "cpu": 85 }' });
    const status = await runRequest(evalRequest({ capacity: 4, now: Date.parse(README.now) }), c.io);
    expect(status).toBe(EXIT.ok);
    const d = JSON.parse(c.out.join('\n')) as Decision;
    expect({ action: d.action, from: d.from, to: d.to, code: d.code, rule: d.rule, reason: d.reason }).toEqual({ action: 'scaleOut', from: 4, to: 5, code: 'ScaleOut', rule: 'cpu-high', reason: README.reason });
  });

  it('--state takes .state from a whole decision: three minutes later the cooldown holds (README)', async () => {
    const first = memoryIo({ 'm.json': '{ "cpu": 85 }' });
    await runRequest(evalRequest({ capacity: 4, now: Date.parse(README.now) }), first.io);
    const c = memoryIo({ 'm.json': '{ "cpu": 88 }', 'd.json': first.out.join('\n') });
    expect(await runRequest(evalRequest({ capacity: 5, now: Date.parse(README.later), state: 'd.json' }), c.io)).toBe(EXIT.ok);
    const d = JSON.parse(c.out.join('\n')) as Decision;
    expect({ action: d.action, code: d.code, reason: d.reason }).toEqual({ action: 'none', code: 'CooldownActive', reason: README.laterReason });
  });

  it('text output: the action line, the reason, the profile and a trace row per rule', async () => {
    const c = memoryIo({ 'm.json': '{ "cpu": 85 }' });
    await runRequest(evalRequest({ capacity: 4, now: Date.parse(README.now), json: false }), c.io);
    const lines = c.out.join('\n').split('\n');
    expect(lines[0]).toBe('scale out  4 → 5  (ScaleOut)');
    expect(lines[1]).toBe(README.reason);
    expect(lines).toContain('profile  default (DefaultProfile), bounds 2–20, default 3');
    // rules/web-tier.json: cpu-high is "> 70", cpu-low "< 30"; both read cpu = 85.
    expect(lines.map((l) => l.trim().split(/\s+/).join(' '))).toEqual(expect.arrayContaining(['rule status value op threshold blocked', 'cpu-high Fired 85 > 70', 'cpu-low NotMet 85 < 30']));
  });

  it('the same text with colours differs only by SGR codes', async () => {
    const runWith = async (color: boolean) => {
      const c = memoryIo({ 'm.json': '{ "cpu": 85 }' }, color);
      await runRequest(evalRequest({ capacity: 4, now: Date.parse(README.now), json: false }), c.io);
      return c.out.join('\n');
    };
    const coloured = await runWith(true);
    expect(coloured).toContain(String.fromCharCode(27));
    expect(coloured.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '')).toBe(await runWith(false));
  });

  it.each<{ name: string; files: Record<string, string>; request: Partial<Extract<CliRequest, { command: 'eval' }>>; status: number; stderr: RegExp }>([
    { name: 'a metric no rule reads is named with the metrics file and its key (UnknownMetric)', files: { 'm.json': '{ "cpu_percent": 85 }' }, request: { capacity: 4 }, status: EXIT.failed, stderr: /^m\.json:cpu_percent: metric "cpu_percent" is not used by rule set web-tier .*\(UnknownMetric\)$/m },
    { name: 'a bad point is located inside the metrics file', files: { 'm.json': '{ "cpu": [{ "t": "2026-11-22T10:29:00Z", "v": "x" }] }' }, request: { capacity: 4 }, status: EXIT.failed, stderr: /^m\.json:cpu\[0\]\.v: .*\(SchemaViolation\)$/m },
    { name: 'a bad state is located inside the --state file (a decision: under "state")', files: { 'm.json': '{ "cpu": 85 }', 's.json': '{ "state": { "version": 2 } }' }, request: { capacity: 4, state: 's.json' }, status: EXIT.failed, stderr: /^s\.json:state\.version: /m },
    {
      name: 'in an evaluate request the target keeps its index',
      files: { 'm.json': JSON.stringify({ targets: [{ id: 'a', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 1 } }, { id: 'b', ruleSet: 'web-tier', capacity: 4, metrics: { mem: 1 } }] }) },
      request: { target: 'b' },
      status: EXIT.failed,
      stderr: /^m\.json:targets\[1\]\.metrics\.mem: .*\(UnknownMetric\)$/m,
    },
    { name: 'an evaluate request with several targets needs --target (usage)', files: { 'm.json': JSON.stringify({ targets: [{ id: 'a' }, { id: 'b' }] }) }, request: {}, status: EXIT.usage, stderr: /choose one with --target/ },
    { name: 'a rule set that is neither a file nor a bundled id (usage), listing the bundled ids', files: { 'm.json': '{}' }, request: { ruleSet: 'nope' }, status: EXIT.usage, stderr: /nope is neither a file nor a bundled rule set \(bundled: .*web-tier/ },
    { name: 'an unreadable metrics file (usage)', files: {}, request: { metrics: 'gone.json' }, status: EXIT.usage, stderr: /cannot read gone\.json: no such file/ },
    { name: 'invalid JSON in the metrics file', files: { 'm.json': '{"cpu": }' }, request: {}, status: EXIT.failed, stderr: /^m\.json:1:9: invalid JSON/m },
  ])('$name', async ({ files, request, status, stderr }) => {
    const c = memoryIo(files);
    expect(await runRequest(evalRequest({ now: Date.parse(README.now), ...request }), c.io)).toBe(status);
    expect(c.err.join('\n')).toMatch(stderr);
    expect(c.out).toEqual([]);
  });

  it('a rule set file with a JSONata error is reported with the caret, on stderr (exit 1)', async () => {
    const ruleSet = { id: 'x', capacity: { minimum: 1, maximum: 3, default: 1 }, rules: [{ id: 'r', direction: 'out', when: { expr: 'metrics.q.last > )' }, action: { type: 'ChangeCount', value: 1 } }] };
    const c = memoryIo({ 'x.json': JSON.stringify(ruleSet), 'm.json': '{}' });
    expect(await runRequest(evalRequest({ ruleSet: 'x.json' }), c.io)).toBe(EXIT.failed);
    expect(c.err).toHaveLength(1);
    const [head, line, caret] = c.err[0]!.split('\n');
    expect(head).toMatch(/^x\.json:rules\[0\]\.when\.expr: .+ \(ExprSyntax\)$/);
    expect(line).toBe('    metrics.q.last > )');
    // ")" is the 18th character (offset 17) of the expression.
    expect(caret).toBe(`    ${' '.repeat(17)}^`);
  });
});

describe('eval inputs: the metrics file’s three shapes and the --state file’s three shapes', () => {
  it.each<{ name: string; parsed: unknown; target?: string; kind: string | RegExp }>([
    { name: 'metrics by name', parsed: { cpu: 85 }, kind: 'metrics' },
    { name: 'a metric named "metrics" is still a metric (a series is a number or an array)', parsed: { metrics: 5 }, kind: 'metrics' },
    { name: 'a whole target (its metrics is an object)', parsed: { id: 'w', capacity: 4, metrics: { cpu: 85 } }, kind: 'target' },
    { name: 'an evaluate request with one target', parsed: { targets: [{ id: 'w' }] }, kind: 'request' },
    { name: 'an evaluate request, target chosen by id', parsed: { targets: [{ id: 'a' }, { id: 'b' }] }, target: 'b', kind: 'request' },
    { name: 'an unknown --target', parsed: { targets: [{ id: 'a' }] }, target: 'z', kind: /no target "z" in the request \(targets: a\)/ },
    { name: 'not an object', parsed: [1, 2], kind: /expected a JSON object/ },
    { name: 'a target whose samples are all in its pods (no metrics)', parsed: { capacity: 4, pods: [{ name: 'web-0', metrics: { cpu: '180m' } }] }, kind: 'target' },
    { name: 'a metric named "pods" is still a metric (its points have no name)', parsed: { pods: [{ t: '2026-11-22T10:30:00Z', v: 3 }] }, kind: 'metrics' },
  ])('$name', ({ parsed, target, kind }) => {
    const out = classifyMetrics(parsed, target);
    if (kind instanceof RegExp) {
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.message).toMatch(kind);
    } else expect(out.ok && out.shape.kind).toBe(kind);
  });

  it('eval with a file holding only the pods (their samples inside): the HPA decides from them, 4 → 8 at 180m of 200m CPU', async () => {
    const pod = (i: number) => ({
      name: `php-apache-${i}`,
      phase: 'Running',
      ready: true,
      readyTransitionTime: '2026-11-22T09:00:00Z',
      startTime: '2026-11-22T08:59:00Z',
      requests: { cpu: '200m' },
      metrics: { cpu: '180m' },
    });
    const c = memoryIo({ 'pods.json': JSON.stringify({ pods: [0, 1, 2, 3].map(pod) }) });
    Object.assign(c.io, { parse: parseArgs as unknown as ParseArgs });
    const status = await runCli(['eval', '--json', '--quiet', '--now', '2026-11-22T10:30:00Z', '-c', '4', 'php-apache', 'pods.json'], c.io);
    expect(c.err.join('\n')).toBe('');
    expect(status).toBe(EXIT.ok);
    // 90 % of the request against a 50 % target: ceil(4 × 1.8) = 8 (replica_calculator.go over the 4 ready pods).
    expect(JSON.parse(c.out.join('\n'))).toMatchObject({ action: 'scaleOut', from: 4, to: 8 });
  });

  const state = { version: 1, cooldownUntil: { out: '2026-11-22T10:35:00Z' } };
  it.each<{ name: string; parsed: unknown; path: string | RegExp }>([
    { name: 'a state object is used as it is', parsed: state, path: '' },
    { name: 'a decision gives its .state', parsed: { target: 'w', decisionId: 'x', state }, path: 'state' },
    { name: 'an evaluate response gives the decision of the same target', parsed: { results: [{ ok: true, decision: { target: 'v', state: {} } }, { ok: true, decision: { target: 'w', state } }] }, path: 'results[1].decision.state' },
    { name: 'an evaluate response without that target is an error', parsed: { results: [{ ok: true, decision: { target: 'a', state } }, { ok: true, decision: { target: 'b', state } }] }, path: /no decision for target "w" \(decided: a, b\)/ },
  ])('$name', ({ parsed, path }) => {
    const out = extractState(parsed, 'w');
    if (path instanceof RegExp) {
      expect(out.ok).toBe(false);
      if (!out.ok) expect(out.message).toMatch(path);
    } else {
      expect(out).toMatchObject({ ok: true, path, state });
    }
  });
});

describe('validate over in-memory files', () => {
  const good = JSON.stringify({ id: 'good', capacity: { minimum: 1, maximum: 3, default: 1 }, rules: [] });
  const bad = JSON.stringify({ id: 'bad', capacity: { minimum: 5, maximum: 2, default: 3 }, rules: [] });

  it.each<{ name: string; files: Record<string, string>; argv: string[]; status: number; out: string[] }>([
    { name: 'all valid → exit 0', files: { 'a.json': good }, argv: ['a.json'], status: EXIT.ok, out: ['a.json: valid (rule set good, 0 rules)'] },
    { name: 'one invalid → exit 1 with file:PATH lines and a summary', files: { 'a.json': good, 'b.json': bad }, argv: ['a.json', 'b.json'], status: EXIT.failed, out: ['a.json: valid (rule set good, 0 rules)', 'b.json:capacity.minimum: minimum 5 is above maximum 2 (InvalidBounds)', '1 file valid, 1 invalid'] },
    { name: 'an unreadable file → exit 2, the others still checked', files: { 'b.json': bad }, argv: ['gone.json', 'b.json'], status: EXIT.usage, out: ['b.json:capacity.minimum: minimum 5 is above maximum 2 (InvalidBounds)', '0 files valid, 1 invalid, 1 unreadable'] },
    { name: 'a file in rules/ must carry its file name as id (as src/rulesets/bundled.ts requires)', files: { 'rules/other.json': good }, argv: ['rules/other.json'], status: EXIT.failed, out: ['rules/other.json:id: id "good" must match the file name "other" for a bundled rule set (SchemaViolation)'] },
  ])('$name', async ({ files, argv, status, out }) => {
    const c = memoryIo(files);
    expect(await runRequest({ command: 'validate', files: argv, format: 'auto', quiet: false }, c.io)).toBe(status);
    expect(c.out).toEqual(out);
  });

  it('--quiet prints only problems', async () => {
    const c = memoryIo({ 'a.json': good, 'b.json': bad });
    expect(await runRequest({ command: 'validate', files: ['a.json', 'b.json'], format: 'auto', quiet: true }, c.io)).toBe(EXIT.failed);
    expect(c.out).toEqual(['b.json:capacity.minimum: minimum 5 is above maximum 2 (InvalidBounds)']);
  });

  it('runCli: a usage error prints the message and where help is, exit 2', async () => {
    const c = memoryIo({});
    expect(await runCli(['frobnicate'], c.io)).toBe(EXIT.usage);
    expect(c.err).toEqual(['edgescale: unknown command "frobnicate"', 'Run "edgescale --help" for usage.']);
  });

  it('--version names the package version and the engine', async () => {
    const c = memoryIo({});
    expect(await runCli(['--version'], c.io)).toBe(EXIT.ok);
    expect(c.out).toEqual([VERSION_TEXT]);
    expect(VERSION_TEXT.startsWith(`edgescale ${pkg.version} (`)).toBe(true);
  });
});

describe('export: a native rule set as an Azure setting or an HPA manifest, and back through import', () => {
  it('export azure prints the setting as JSON; importing it gives back the rule set', async () => {
    const exported = memoryIo({ 'web.json': JSON.stringify(webTier) });
    expect(await runRequest({ command: 'export', format: 'azure', file: 'web.json' }, exported.io)).toBe(EXIT.ok);
    const setting = JSON.parse(exported.out.join('\n')) as { profiles: unknown[] };
    expect(setting.profiles.length).toBeGreaterThan(0);
    const back = memoryIo({ 'setting.json': exported.out.join('\n') });
    expect(await runRequest({ command: 'import', format: 'azure', file: 'setting.json', id: webTier.id }, back.io)).toBe(EXIT.ok);
    const ruleSet = JSON.parse(back.out.join('\n')) as { id: string; capacity: unknown; rules: Array<{ id: string }> };
    expect(ruleSet.id).toBe(webTier.id);
    expect(ruleSet.capacity).toEqual(webTier.capacity);
    expect(ruleSet.rules).toHaveLength(webTier.rules.length);
  });

  it('export hpa prints the manifest as YAML, lists what an HPA cannot hold on stderr, and imports back', async () => {
    const exported = memoryIo({ 'k8s.json': JSON.stringify(k8sApi) });
    expect(await runRequest({ command: 'export', format: 'hpa', file: 'k8s.json' }, exported.io)).toBe(EXIT.ok);
    const yaml = exported.out.join('\n');
    expect(yaml).toMatch(/^apiVersion: autoscaling\/v2$/m);
    expect(yaml).toMatch(/^kind: HorizontalPodAutoscaler$/m);
    // k8s-api's default capacity (3) differs from its minimum (2): an HPA has no default.
    expect(exported.err.join('\n')).toMatch(/^k8s\.json:capacity\.default: not exported: an HPA has no default capacity$/m);
    const back = memoryIo({ 'hpa.yaml': yaml });
    expect(await runRequest({ command: 'import', format: 'hpa', file: 'hpa.yaml' }, back.io)).toBe(EXIT.ok);
    const ruleSet = JSON.parse(back.out.join('\n')) as { targetTracking: Array<{ metric: string }> };
    expect(ruleSet.targetTracking.map((t) => t.metric)).toEqual(k8sApi.targetTracking.map((t) => t.metric));
  });

  it.each<{ name: string; files: Record<string, string>; status: number; stderr: RegExp }>([
    { name: 'invalid JSON is an invalid input (exit 1)', files: { 'r.json': '{ "id": ' }, status: EXIT.failed, stderr: /^r\.json:.*invalid JSON: .*\(InvalidJson\)$/m },
    { name: 'an invalid rule set names the path (exit 1)', files: { 'r.json': JSON.stringify({ ...webTier, capacity: { ...webTier.capacity, minimum: -1 } }) }, status: EXIT.failed, stderr: /^r\.json:capacity\.minimum: / },
    { name: 'an unreadable file is a usage error (exit 2)', files: {}, status: EXIT.usage, stderr: /^edgescale: cannot read r\.json: no such file$/ },
  ])('$name', async ({ files, status, stderr }) => {
    const c = memoryIo(files);
    expect(await runRequest({ command: 'export', format: 'azure', file: 'r.json' }, c.io)).toBe(status);
    expect(c.out).toEqual([]);
    expect(c.err.join('\n')).toMatch(stderr);
  });
});

describe('detectFormat (--format auto): which importer reads a file', () => {
  it.each<{ name: string; file: string; parsed: unknown; expected: string }>([
    { name: 'YAML is an HPA manifest', file: 'hpa.yaml', parsed: undefined, expected: 'hpa' },
    { name: '.yml too', file: 'HPA.YML', parsed: undefined, expected: 'hpa' },
    { name: 'JSON HorizontalPodAutoscaler', file: 'h.json', parsed: { kind: 'HorizontalPodAutoscaler' }, expected: 'hpa' },
    { name: 'kubectl get hpa -o json (a List)', file: 'h.json', parsed: { kind: 'List', items: [{ kind: 'HorizontalPodAutoscaler' }] }, expected: 'hpa' },
    { name: 'ARM resource (type compared without case)', file: 'a.json', parsed: { type: 'Microsoft.Insights/autoscaleSettings', properties: {} }, expected: 'azure' },
    { name: 'ARM template holding one', file: 'a.json', parsed: { resources: [{ type: 'microsoft.insights/autoscalesettings' }] }, expected: 'azure' },
    { name: 'az monitor autoscale show output', file: 'a.json', parsed: { profiles: [], enabled: true, targetResourceUri: '/x' }, expected: 'azure' },
    { name: 'a native rule set with profiles stays native', file: 'n.json', parsed: { id: 'n', capacity: {}, rules: [], profiles: [] }, expected: 'native' },
    { name: 'unparseable JSON is native (its syntax error is reported)', file: 'n.json', parsed: undefined, expected: 'native' },
  ])('$name → $expected', ({ file, parsed, expected }) => {
    expect(detectFormat(file, parsed)).toBe(expected);
  });

  it('validate reads an HPA manifest through the importer', async () => {
    const yaml = ['apiVersion: autoscaling/v2', 'kind: HorizontalPodAutoscaler', 'metadata: { name: web }', 'spec:', '  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }', '  maxReplicas: 5', ''].join('\n');
    const c = memoryIo({ 'web.yaml': yaml });
    expect(await runRequest({ command: 'validate', files: ['web.yaml'], format: 'auto', quiet: false }, c.io)).toBe(EXIT.ok);
    expect(c.out[0]).toMatch(/^web\.yaml: valid \(hpa, rule set web, /);
  });
});

describe('serve: the environment the app sees, and what is refused or warned about', () => {
  it('only EDGESCALE_* and ACTUATOR_* variables reach the app', () => {
    expect(workerEnv({ EDGESCALE_API_TOKEN: 't', ACTUATOR_URL_BILLING: 'u', PATH: '/bin', AWS_SECRET_ACCESS_KEY: 's', EDGESCALE_X: undefined })).toEqual({ EDGESCALE_API_TOKEN: 't', ACTUATOR_URL_BILLING: 'u' });
  });

  it.each<{ name: string; env: Record<string, string>; host: string; refuse: boolean; refusal?: RegExp; warning?: RegExp; noWarnings?: boolean }>([
    // The switch is honoured for loopback TCP peers only (src/http/locality.ts); a server others can reach is refused anyway.
    { name: 'the dev switch on 0.0.0.0 is refused (any client can send Host: localhost)', env: { EDGESCALE_DEV_AUTH_DISABLED: 'true' }, host: '0.0.0.0', refuse: true },
    { name: 'the dev switch on loopback starts, with a warning', env: { EDGESCALE_DEV_AUTH_DISABLED: 'true' }, host: '127.0.0.1', refuse: false, warning: /AUTH IS DISABLED/ },
    { name: 'no token: every request gets 503, and how to fix it', env: {}, host: '127.0.0.1', refuse: false, warning: /EDGESCALE_API_TOKEN is not set: every \/v1 request will be refused with 503.*EDGESCALE_DEV_AUTH_DISABLED=true/ },
    { name: 'a token and nothing else: no warnings', env: { EDGESCALE_API_TOKEN: 'a'.repeat(32) }, host: '0.0.0.0', refuse: false, noWarnings: true },
    // src/http/credentials.ts: what the worker answers 503 for, serve refuses to start with.
    { name: 'a token of 31 characters is refused', env: { EDGESCALE_API_TOKEN: 'a'.repeat(31) }, host: '127.0.0.1', refuse: true, refusal: /EDGESCALE_API_TOKEN is shorter than 32 characters/ },
    { name: 'a token with a trailing newline is refused', env: { EDGESCALE_API_TOKEN: `${'a'.repeat(40)}\n` }, host: '127.0.0.1', refuse: true, refusal: /EDGESCALE_API_TOKEN has leading or trailing whitespace/ },
    { name: 'a webhook key equal to ACTUATOR_HMAC_KEY is refused', env: { EDGESCALE_WEBHOOK_HMAC_KEY: 'k'.repeat(40), ACTUATOR_HMAC_KEY: 'k'.repeat(40) }, host: '127.0.0.1', refuse: true, refusal: /EDGESCALE_WEBHOOK_HMAC_KEY has the same secret as ACTUATOR_HMAC_KEY/ },
    { name: 'an invalid EDGESCALE_CREDENTIALS is refused, naming the path', env: { EDGESCALE_CREDENTIALS: '{"credentials":[{"id":"ci","kind":"token","secret":"short","routes":["POST /v1/evaluate"]}]}' }, host: '127.0.0.1', refuse: true, refusal: /EDGESCALE_CREDENTIALS credentials\[0\]\.secret: is shorter than 32/ },
    { name: 'a switch not exactly "true" does not disable auth (auth.ts compares with "true")', env: { EDGESCALE_DEV_AUTH_DISABLED: 'TRUE' }, host: '0.0.0.0', refuse: false, warning: /EDGESCALE_API_TOKEN is not set/ },
  ])('$name', ({ env, host, refuse, refusal, warning, noWarnings }) => {
    const checks = serveChecks(env, host);
    expect(checks.refuse !== undefined).toBe(refuse);
    if (refusal) expect(checks.refuse).toMatch(refusal);
    // A refusal names the variable and the rule, never the value.
    for (const value of Object.values(env)) if (value.length >= 32) expect(checks.refuse ?? '').not.toContain(value.trim());
    if (warning) expect(checks.warnings.join('\n')).toMatch(warning);
    if (noWarnings) expect(checks.warnings).toEqual([]);
  });

  it('runRequest hands serve to the host with the parsed port and host', async () => {
    const c = memoryIo({});
    const seen: unknown[] = [];
    c.io.serve = async (o) => (seen.push(o), 7);
    expect(await runRequest({ command: 'serve', port: 0, host: '::1', dataDir: '/var/lib/edgescale' }, c.io)).toBe(7);
    expect(seen).toEqual([{ port: 0, host: '::1', dataDir: '/var/lib/edgescale' }]);
  });
});

describe('formatDecision', () => {
  it('names a blocked rule’s code in the table and its message below it', async () => {
    const first = memoryIo({ 'm.json': '{ "cpu": 85 }' });
    await runRequest(evalRequest({ capacity: 4, now: Date.parse(README.now) }), first.io);
    const decision = JSON.parse(first.out.join('\n')) as Decision;
    const held = memoryIo({ 'm.json': '{ "cpu": 88 }', 's.json': JSON.stringify(decision.state) });
    await runRequest(evalRequest({ capacity: 5, now: Date.parse(README.later), state: 's.json' }), held.io);
    const d = JSON.parse(held.out.join('\n')) as Decision;
    const text = formatDecision(d).split('\n');
    expect(text.map((l) => l.trim().split(/\s+/).join(' '))).toContain('cpu-high Fired 88 > 70 CooldownActive');
    expect(text).toContain(`  cpu-high: ${d.trace.rules[0]!.blocked!.message}`);
  });
});

// Issue 17 (Kubernetes): `kubectl get hpa -o yaml` prints a List; validate, lint and eval choose one HPA with --name.
describe('--name chooses one HorizontalPodAutoscaler of a List (validate, lint, eval)', () => {
  const hpa = (name: string, target: number) => `- apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata:
    name: ${name}
    namespace: shop
  spec:
    maxReplicas: 10
    minReplicas: 2
    metrics:
    - resource:
        name: cpu
        target:
          averageUtilization: ${target}
          type: Utilization
      type: Resource
    scaleTargetRef:
      apiVersion: apps/v1
      kind: Deployment
      name: ${name}
`;
  const files = { 'hpas.yaml': `apiVersion: v1\nitems:\n${hpa('api', 50)}${hpa('worker', 80)}kind: List\nmetadata:\n  resourceVersion: ""\n`, 'm.json': '{ "cpu": 90 }', 'native.json': JSON.stringify(webTier) };
  const withParse = (c: Captured) => Object.assign(c.io, { parse: parseArgs as unknown as ParseArgs });

  it.each<{ name: string; argv: string[]; status: number; out?: RegExp; err?: RegExp }>([
    { name: 'validate without --name: invalid, naming both', argv: ['validate', 'hpas.yaml'], status: EXIT.failed, out: /2 HorizontalPodAutoscalers \(api, worker\): choose one by name/ },
    { name: 'validate --name worker: valid', argv: ['validate', '--name', 'worker', 'hpas.yaml'], status: EXIT.ok, out: /hpas\.yaml: valid \(hpa, rule set worker/ },
    { name: 'validate --name of no HPA in the file', argv: ['validate', '--name', 'web', 'hpas.yaml'], status: EXIT.failed, out: /no HorizontalPodAutoscaler named "web"/ },
    { name: 'lint --name api', argv: ['lint', '--name', 'api', 'hpas.yaml'], status: EXIT.ok, out: /0 warnings in 0 files/ },
    { name: 'validate --name on a native rule set is an error', argv: ['validate', '--name', 'api', 'native.json'], status: EXIT.failed, out: /chooses a HorizontalPodAutoscaler, but this is a native rule set/ },
    { name: 'eval without --name: the error names both', argv: ['eval', '--now', '2026-11-23T17:00:00Z', '-c', '4', 'hpas.yaml', 'm.json'], status: EXIT.failed, err: /choose one by name/ },
  ])('$name', async ({ argv, status, out, err }) => {
    const c = memoryIo(files);
    withParse(c);
    expect(await runCli(argv, c.io)).toBe(status);
    if (out) expect(c.out.join('\n')).toMatch(out);
    if (err) expect(c.err.join('\n')).toMatch(err);
  });

  it('eval --name picks the HPA whose target decides: CPU 90 % at 4 replicas against api 50 % → 8, against worker 80 % → 5', async () => {
    for (const [name, to] of [['api', Math.ceil((4 * 90) / 50)], ['worker', Math.ceil((4 * 90) / 80)]] as const) {
      const c = memoryIo(files);
      withParse(c);
      expect(await runCli(['eval', '--json', '--name', name, '--now', '2026-11-23T17:00:00Z', '-c', '4', 'hpas.yaml', 'm.json'], c.io)).toBe(EXIT.ok);
      expect((JSON.parse(c.out.join('\n')) as Decision).to).toBe(to);
    }
  });

  it('interpret keeps --name for validate, lint and eval', () => {
    for (const command of ['validate', 'lint', 'eval'] as const) {
      const out = interpret(command, { name: 'worker' }, command === 'eval' ? ['a.yaml', 'm.json'] : ['a.yaml']);
      expect(out.ok && out.request).toMatchObject({ command, name: 'worker' });
    }
  });

  // An ARM template holding two autoscale settings (Microsoft's quickstart, test/formats/fixtures/azure): --name chooses one.
  it('import azure --name chooses one autoscale setting of a template holding several', async () => {
    const template = JSON.parse(readFileSync(new URL('../formats/fixtures/azure/monitor-autoscale-vmss-simplemetricbased.azuredeploy.json', import.meta.url), 'utf8')) as { resources: Array<{ type: string; name: string }> };
    const setting = template.resources.find((r) => /autoscalesettings/i.test(r.type))!;
    template.resources = [...template.resources.filter((r) => r !== setting), { ...setting, name: 'first' }, { ...setting, name: 'second' }];
    const two = { 'two.json': JSON.stringify(template) };
    const without = memoryIo(two);
    withParse(without);
    expect(await runCli(['import', 'azure', 'two.json'], without.io)).toBe(EXIT.failed);
    expect(without.err.join('\n')).toMatch(/2 autoscale settings \("first", "second"\); choose one by name/);
    const chosen = memoryIo(two);
    withParse(chosen);
    expect(await runCli(['import', 'azure', '--name', 'second', 'two.json'], chosen.io)).toBe(EXIT.ok);
    expect((JSON.parse(chosen.out.join('\n')) as { id: string }).id).toBe('second');
  });

  // Issue 17, item 2: the quickstart's own azuredeploy.parameters.json beside its template.
  describe('--parameters FILE: deployment parameter values for an ARM template', () => {
    const fixture = (name: string) => readFileSync(new URL(`../formats/fixtures/azure/${name}`, import.meta.url), 'utf8');
    const armFiles = {
      'azuredeploy.json': fixture('monitor-autoscale-vmss-simplemetricbased.azuredeploy.json'),
      'azuredeploy.parameters.json': fixture('monitor-autoscale-vmss-simplemetricbased.azuredeploy.parameters.json'),
      'higher.json': JSON.stringify({ parameters: { metricThresholdToScaleOut: { value: 75 } } }),
      'bad.json': JSON.stringify({ parameters: { minimumCapacity: { value: 'two' } } }),
      'm.json': '{ "Percentage CPU": 70 }',
      'native.json': readFileSync(new URL('../../rules/web-tier.json', import.meta.url), 'utf8'),
    };
    const run = async (argv: string[]) => {
      const c = memoryIo(armFiles);
      withParse(c);
      return { status: await runCli(argv, c.io), out: c.out.join('\n'), err: c.err.join('\n') };
    };

    it('import: autoscaleEnabled comes from the file (no "not imported" line for properties.enabled any more)', async () => {
      const without = await run(['import', 'azure', 'azuredeploy.json']);
      expect(without.status).toBe(EXIT.ok);
      expect(without.err).toMatch(/properties\.enabled: not imported/);
      const withFile = await run(['import', 'azure', '--parameters', 'azuredeploy.parameters.json', 'azuredeploy.json']);
      expect(withFile.status).toBe(EXIT.ok);
      expect(withFile.err).not.toMatch(/properties\.enabled/);
    });

    it('eval: CPU 70 scales out at the default threshold 60, not at 75 from --parameters', async () => {
      const decideWith = async (extra: string[]) => {
        const r = await run(['eval', '--json', '--now', '2026-11-22T10:30:00Z', '-c', '4', ...extra, 'azuredeploy.json', 'm.json']);
        expect(r.status).toBe(EXIT.ok);
        return (JSON.parse(r.out) as Decision).code;
      };
      expect(await decideWith([])).toBe('ScaleOut');
      expect(await decideWith(['--parameters', 'higher.json'])).toBe('NoRuleFired');
    });

    it('a value of the wrong type is reported against the parameters file, at its path; --parameters with a rule set that is not a template is an error', async () => {
      const bad = await run(['validate', '--parameters', 'bad.json', 'azuredeploy.json']);
      expect(bad.status).toBe(EXIT.failed);
      expect(bad.err).toMatch(/^bad\.json:parameters\.minimumCapacity\.value: .*expected a value of type Int, got "two"/m);
      const native = await run(['validate', '--parameters', 'higher.json', 'native.json']);
      expect(native.status).toBe(EXIT.failed);
      expect(native.err).toMatch(/^higher\.json:\$: deployment parameters apply to an ARM template \(with "resources"\); this input is not one/m);
    });
  });
});

// Issue 19, item 3: --trace for eval --json, as the API's `trace`.
describe('eval --json --trace', () => {
  it('summary: the outcome, the deciding rule and the state; none: no trace; a bad level is a usage error', async () => {
    const run = async (extra: string[]) => {
      const c = memoryIo({ 'm.json': '{ "cpu": 85 }' });
      Object.assign(c.io, { parse: parseArgs as unknown as ParseArgs });
      const status = await runCli(['eval', '--json', '--now', '2026-11-22T10:30:00Z', '-c', '4', ...extra, 'web-tier', 'm.json'], c.io);
      return { status, out: c.out.join('\n'), err: c.err.join('\n') };
    };
    const full = JSON.parse((await run([])).out) as Decision;
    const summary = JSON.parse((await run(['--trace', 'summary'])).out) as Record<string, unknown>;
    expect(Object.keys(summary).sort()).toEqual(['action', 'code', 'decisionId', 'from', 'rule', 'state', 'to']);
    expect(summary).toMatchObject({ decisionId: full.decisionId, to: 5, rule: 'cpu-high', state: full.state });
    const none = JSON.parse((await run(['--trace', 'none'])).out) as Record<string, unknown>;
    expect(none.trace).toBeUndefined();
    expect(none.decisionId).toBe(full.decisionId);
    const bad = await run(['--trace', 'verbose']);
    expect(bad.status).toBe(EXIT.usage);
    expect(bad.err).toMatch(/--trace must be one of full, summary, none \(got "verbose"\)/);
  });

  it('--trace without --json is a usage error, not silently ignored', async () => {
    const c = memoryIo({ 'm.json': '{ "cpu": 85 }' });
    Object.assign(c.io, { parse: parseArgs as unknown as ParseArgs });
    const status = await runCli(['eval', '--now', '2026-11-22T10:30:00Z', '-c', '4', '--trace', 'summary', 'web-tier', 'm.json'], c.io);
    expect(status).toBe(EXIT.usage);
    expect(c.err.join('\n')).toContain('--trace sets how much of the --json answer to print: add --json');
  });
});

// Issue 19, item 5: the manners kubectl and az users expect, through runCli with node:util parseArgs itself.
describe('CLI manners: help with no arguments, suggestions, plain messages for bad values, --quiet, --output', () => {
  const hpaText = readFileSync(new URL('../../examples/web.hpa.yaml', import.meta.url), 'utf8');
  const files = {
    'web.hpa.yaml': hpaText,
    'm.json': '{ "cpu": 90 }',
    'h.json': JSON.stringify({ cpu: [{ t: '2026-11-23T10:00:00Z', v: 50 }, { t: '2026-11-23T10:05:00Z', v: 60 }] }),
  };
  const run = async (argv: string[]) => {
    const c = memoryIo(files);
    c.io.parse = parseArgs as unknown as ParseArgs;
    return { status: await runCli(argv, c.io), out: c.out, err: c.err };
  };

  it('no arguments: the command list on stdout, exit 0, nothing on stderr', async () => {
    const r = await run([]);
    expect(r.status).toBe(EXIT.ok);
    expect(r.err).toEqual([]);
    expect(r.out[0]).toMatch(/^Usage: edgescale <command> \[options\]/);
    for (const command of Object.keys(COMMANDS)) expect(r.out[0]).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it.each<{ name: string; argv: string[]; message: string | RegExp }>([
    { name: 'a mistyped option suggests the command’s own', argv: ['eval', '--capcity', '4', 'web-tier', 'm.json'], message: 'unknown option "--capcity" (did you mean --capacity?)' },
    { name: 'a mistyped --provisioning-delay (a swap) is suggested', argv: ['simulate', '--provisoining-delay', 'PT5M', 'web-tier', '-m', 'h.json'], message: 'unknown option "--provisoining-delay" (did you mean --provisioning-delay?)' },
    { name: 'an option far from every other gets no guess', argv: ['eval', '--frobnicate', 'web-tier', 'm.json'], message: 'unknown option "--frobnicate"' },
    { name: '-c -1 is a value, refused by the range check (not Node’s "ambiguous" text)', argv: ['eval', '-c', '-1', 'web-tier', 'm.json'], message: '--capacity must be a whole number from 0 to 100000 (got "-1")' },
    { name: '--capacity -1 likewise', argv: ['eval', '--capacity', '-1', 'web-tier', 'm.json'], message: '--capacity must be a whole number from 0 to 100000 (got "-1")' },
    { name: 'simulate -c -3', argv: ['simulate', '-c', '-3', 'web-tier', '-m', 'h.json'], message: '--capacity must be a whole number from 0 to 100000 (got "-3")' },
    { name: 'serve --port -1', argv: ['serve', '--port', '-1'], message: '--port must be a whole number from 0 to 65535 (got "-1")' },
    { name: 'an option without its value at the end', argv: ['eval', 'web-tier', 'm.json', '-c'], message: '-c needs a value' },
    { name: 'an option followed by another option', argv: ['eval', '--state', '--json', 'web-tier', 'm.json'], message: '--state needs a value (got the option "--json"; write --state=--json if that is the value)' },
    { name: 'a mistyped --output value suggests one', argv: ['import', 'hpa', 'web.hpa.yaml', '-o', 'yml'], message: '--output must be json or yaml (got "yml") (did you mean yaml?)' },
    { name: '--json with --output yaml', argv: ['import', 'hpa', 'web.hpa.yaml', '--json', '-o', 'yaml'], message: '--json and --output yaml disagree: choose one' },
    { name: 'a mistyped --format value suggests one', argv: ['validate', '--format', 'hap', 'web.hpa.yaml'], message: '--format must be one of auto, native, azure, hpa, keda, aws, knative (got "hap") (did you mean hpa?)' },
  ])('$name', async ({ argv, message }) => {
    const r = await run(argv);
    expect(r.status).toBe(EXIT.usage);
    expect(r.out).toEqual([]);
    expect(r.err).toEqual([`edgescale: ${message}`, `Run "edgescale ${argv[0]} --help" for usage.`]);
  });

  it('a negative value after an option reads as --option=value; after -- nothing is rewritten', () => {
    expect(parseCommandLine(['eval', '--now', '-5', 'a', 'b'], parseArgs as unknown as ParseArgs)).toEqual(parseCommandLine(['eval', '--now=-5', 'a', 'b'], parseArgs as unknown as ParseArgs));
    const out = parseCommandLine(['validate', '--', '-c', '-1'], parseArgs as unknown as ParseArgs);
    expect(out.ok && out.request).toMatchObject({ command: 'validate', files: ['-c', '-1'] });
  });

  it('eval --quiet: no note lines (an HPA gives three), the same decision', async () => {
    const argv = ['eval', '--json', '--now', '2026-11-23T17:00:00Z', 'web.hpa.yaml', 'm.json'];
    const loud = await run(argv);
    const quiet = await run([...argv, '--quiet']);
    expect([loud.status, quiet.status]).toEqual([EXIT.ok, EXIT.ok]);
    expect(loud.err).toHaveLength(3);
    for (const line of loud.err) expect(line).toMatch(/^edgescale: note: /);
    expect(loud.err.at(-1)).toBe("edgescale: note: no capacity given; using the rule set's default 2 (pass --capacity N)");
    expect(quiet.err).toEqual([]);
    expect(quiet.out).toEqual(loud.out);
  });

  it('simulate -q: no note lines either', async () => {
    const argv = ['simulate', '--json', 'web.hpa.yaml', '-m', 'h.json'];
    const loud = await run(argv);
    const quiet = await run([...argv, '-q']);
    expect([loud.status, quiet.status]).toEqual([EXIT.ok, EXIT.ok]);
    expect(loud.err.filter((l) => l.startsWith('edgescale: note: '))).toHaveLength(3);
    expect(quiet.err).toEqual([]);
    expect(quiet.out).toEqual(loud.out);
  });

  it('import -o yaml: the rule set -o json prints, as YAML; -q drops the notes but not the rule set', async () => {
    const json = await run(['import', 'hpa', 'web.hpa.yaml']);
    const yaml = await run(['import', 'hpa', '-o', 'yaml', 'web.hpa.yaml']);
    const quiet = await run(['import', 'hpa', '--output', 'json', '-q', 'web.hpa.yaml']);
    expect([json.status, yaml.status, quiet.status]).toEqual([EXIT.ok, EXIT.ok, EXIT.ok]);
    expect(yaml.out.join('\n')).toMatch(/^id: web\ndescription: .*\ncapacity:\n {2}minimum: 2\n/);
    expect(parseYaml(yaml.out.join('\n'))).toEqual(JSON.parse(json.out.join('\n')));
    expect(json.err.filter((l) => l.startsWith('edgescale: note: ')).length).toBeGreaterThan(0);
    expect(quiet.err.filter((l) => l.includes('note:'))).toEqual([]);
    expect(quiet.out).toEqual(json.out);
  });

  it('export -o: an HPA as JSON or an Azure setting as YAML, the same object as the default form', async () => {
    const native = { 'k8s.json': JSON.stringify(k8sApi), 'web.json': JSON.stringify(webTier) };
    const exported = async (argv: string[]) => {
      const c = memoryIo(native);
      c.io.parse = parseArgs as unknown as ParseArgs;
      expect(await runCli(argv, c.io)).toBe(EXIT.ok);
      return c.out.join('\n');
    };
    const hpaYaml = await exported(['export', 'hpa', 'k8s.json']);
    const hpaJson = await exported(['export', 'hpa', '-o', 'json', 'k8s.json']);
    expect(hpaYaml).toMatch(/^apiVersion: autoscaling\/v2$/m);
    expect(JSON.parse(hpaJson)).toEqual(parseYaml(hpaYaml));
    const azureJson = await exported(['export', 'azure', 'web.json']);
    const azureYaml = await exported(['export', 'azure', '--output', 'yaml', 'web.json']);
    expect(() => JSON.parse(azureYaml)).toThrow();
    expect(parseYaml(azureYaml)).toEqual(JSON.parse(azureJson));
    expect(await exported(['export', 'azure', '-o', 'json', 'web.json'])).toBe(azureJson);
  });
});
