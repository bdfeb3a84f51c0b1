// JSONata conformance (npm run conformance): jsonata's own test suite, run through edgescale's expression wrapper.
//
// Bundled like bench/run.ts:
//   node scripts/node-bundle.mjs scripts/jsonata-conformance.ts .bench/conformance.mjs && node .bench/conformance.mjs [--suite <dir>] [--verbose]
//
// The suite is jsonata's language-neutral test suite (TESTSUITE.md in its directory: groups/<group>/<case>.json
// with expr or expr-file, data or dataset, bindings, and one of result / undefinedResult / code / error). It is
// read from --suite, else $JSONATA_TEST_SUITE, else ../shared/jsonata-test-suite next to the repository; it is
// never copied into the repository, and a clone without it skips (exit 0).
//
// Every case runs twice:
//  1. with generous limits (the point is semantics, not budgets): each outcome is a pass, a refusal that
//     edgescale makes on purpose (regex literals it cannot bound, $eval, the transform operator, step/size/
//     depth budgets), or a real mismatch;
//  2. with the DEFAULT limits rules get in production, only counting the cases those budgets stop.
// Exit 1 when a real mismatch is not listed in scripts/jsonata-conformance.baseline.json.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileExpr, DEFAULT_EXPR_LIMITS, evaluateExpr, type ExprError, type ExprLimits } from '../src/engine/expr.js';

// ---------------------------------------------------------------------------------------------------
// Limits

/**
 * Pass 1 limits. 10 million steps is ~5 s of CPU at ~0.5 µs per step (src/engine/expr.ts,
 * DEFAULT_MAX_STEPS), more than any suite case needs. Arrays may reach jsonata's own hard cap on
 * ranges (1e7, error D2014), so its own limit, not ours, decides those cases; strings get the same.
 */
const GENEROUS_LIMITS: ExprLimits = Object.freeze({
  maxSteps: 10_000_000,
  /**
   * Pending evaluations. jsonata's stack overflows around a few thousand nested calls anyway (a
   * RangeError, which the wrapper reports as ExprDepthLimit just as jsonata would fail).
   */
  maxDepth: 10_000,
  maxSourceLength: 1_000_000,
  maxStringLength: 10_000_000,
  maxArrayLength: 10_000_000,
});

/**
 * A case's `timelimit` (ms) becomes a step budget at the measured ~0.5 µs per step, i.e. 2000 steps
 * per millisecond (src/engine/expr.ts, DEFAULT_MAX_STEPS). jsonata's runner applies timelimit and
 * depth only together (test/run-test-suite.js, timeboxExpression); so do we.
 */
const STEPS_PER_MS = 2_000;

/**
 * Cases have no wall-clock cap of their own without `timelimit`; this one only catches a promise that
 * never settles (a bug), since a synchronous loop is bounded by the step budget.
 */
const CASE_TIMEOUT_MS = 60_000;

/** How much of an expected/actual value a mismatch report quotes. */
const MAX_QUOTE = 300;

// ---------------------------------------------------------------------------------------------------
// Suite loading

interface TestCase {
  expr?: string;
  'expr-file'?: string;
  data?: unknown;
  dataset?: string | null;
  bindings?: Record<string, unknown>;
  result?: unknown;
  undefinedResult?: boolean;
  code?: string;
  token?: string;
  error?: Record<string, unknown>;
  timelimit?: number;
  depth?: number;
}

interface LoadedCase {
  id: string;
  expr: string;
  input: unknown;
  bindings: Record<string, unknown>;
  tc: TestCase;
}

function repoRoot(): string {
  // The bundle lives in .bench/; walk up to the package.json named edgescale.
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      const pkg = join(dir, 'package.json');
      if (existsSync(pkg)) {
        try {
          if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'edgescale') return dir;
        } catch {
          // not ours; keep walking
        }
      }
      if (dirname(dir) === dir) break;
    }
  }
  return process.cwd();
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function loadSuite(suite: string): LoadedCase[] {
  const datasets = new Map<string, unknown>();
  for (const name of readdirSync(join(suite, 'datasets')).filter((n) => n.endsWith('.json')).sort()) {
    datasets.set(name.slice(0, -'.json'.length), readJson(join(suite, 'datasets', name)));
  }
  const cases: LoadedCase[] = [];
  const groupsDir = join(suite, 'groups');
  const groups = readdirSync(groupsDir)
    .filter((g) => statSync(join(groupsDir, g)).isDirectory())
    .sort();
  for (const group of groups) {
    const files = readdirSync(join(groupsDir, group))
      .filter((n) => n.endsWith('.json'))
      .sort();
    for (const file of files) {
      const spec = readJson(join(groupsDir, group, file)) as TestCase | TestCase[];
      const list = Array.isArray(spec) ? spec : [spec];
      list.forEach((tc, i) => {
        const id = `${group}/${file.slice(0, -'.json'.length)}${Array.isArray(spec) ? `#${i}` : ''}`;
        const expr = tc['expr-file'] ? readFileSync(join(groupsDir, group, tc['expr-file']), 'utf8') : tc.expr;
        if (typeof expr !== 'string') throw new Error(`${id}: no expr`);
        // As jsonata's runner (resolveDataset): `data` wins, a null dataset is undefined input.
        let input: unknown;
        if ('data' in tc) input = tc.data;
        else if (tc.dataset === null || tc.dataset === undefined) input = undefined;
        else if (datasets.has(tc.dataset)) input = datasets.get(tc.dataset);
        else throw new Error(`${id}: unknown dataset ${tc.dataset}`);
        cases.push({ id, expr, input, bindings: tc.bindings ?? {}, tc });
      });
    }
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------
// Deep equality as the suite's runner checks it: chai's `deep.equal` (deep-eql). Arrays compare by
// length and items only (jsonata marks sequences with an extra `sequence` property), objects by their
// enumerable keys, +0 and -0 differ, NaN equals NaN.

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return a !== 0 || 1 / (a as number) === 1 / (b as number);
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  const ka = enumerableKeys(a);
  const kb = enumerableKeys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && deepEqual((a as never)[k], (b as never)[k]));
}

function enumerableKeys(o: object): string[] {
  const keys: string[] = [];
  for (const k in o) keys.push(k);
  return keys.sort();
}

function quote(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    // -0 is shown as such, since deep equality tells it from 0.
    if (Object.is(value, -0)) return '-0';
    text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'function' ? '<function>' : v)) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE - 1)}…` : text;
}

// ---------------------------------------------------------------------------------------------------
// Running one case

type Outcome = { kind: 'value'; value: unknown } | { kind: 'error'; error: ExprError; phase: 'compile' | 'evaluate' };

async function run(c: LoadedCase, limits: ExprLimits, now: number): Promise<Outcome> {
  const compiled = compileExpr(c.expr, limits);
  if (!compiled.ok) return { kind: 'error', error: compiled.error, phase: 'compile' };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS);
  });
  try {
    const r = await Promise.race([evaluateExpr(compiled.expr, c.input, { now, limits, bindings: c.bindings }), timeout]);
    return r.ok ? { kind: 'value', value: r.value } : { kind: 'error', error: r.error, phase: 'evaluate' };
  } finally {
    clearTimeout(timer);
  }
}

function limitsFor(c: LoadedCase): ExprLimits {
  const { timelimit, depth } = c.tc;
  if (typeof timelimit !== 'number' || typeof depth !== 'number') return GENEROUS_LIMITS;
  return {
    ...GENEROUS_LIMITS,
    maxSteps: Math.max(1, Math.round(timelimit * STEPS_PER_MS)),
    // jsonata's runner treats depth 0 as "no depth limit".
    maxDepth: depth > 0 ? depth : GENEROUS_LIMITS.maxDepth,
  };
}

/**
 * Why edgescale refused a case on purpose, or undefined when the error is not one of its refusals.
 * Only errors the wrapper raises itself count (they carry no jsonata code); messages are matched on the
 * wording src/engine/expr.ts uses for each refusal.
 */
function refusalReason(error: ExprError): string | undefined {
  if (error.jsonataCode !== undefined) {
    // jsonata's sequence limit (D2015) is set from our maxArrayLength; its own range cap (D2014) is not ours.
    return error.jsonataCode === 'D2015' ? 'array size budget (D2015 from maxArrayLength)' : undefined;
  }
  const m = error.message;
  if (/^regular expression \/.*\/ /s.test(m)) return 'regex literal refused at compile time';
  if (/\$eval is not available/.test(m)) return '$eval refused';
  if (/transform operator/.test(m)) return 'transform operator refused';
  switch (error.code) {
    case 'ExprStepBudget':
      return 'step budget';
    case 'ExprDepthLimit':
      return 'depth limit';
    case 'ExprSizeLimit':
      return 'size budget';
    case 'ExprTooLong':
      return 'source length';
    default:
      return undefined;
  }
}

type Verdict =
  | { kind: 'pass' }
  | { kind: 'refused'; reason: string; detail: string }
  | { kind: 'mismatch'; detail: string };

function describeOutcome(o: Outcome): string {
  if (o.kind === 'value') return quote(o.value);
  const e = o.error;
  return `${o.phase} error ${e.jsonataCode ?? e.code}${e.token !== undefined ? ` (token ${JSON.stringify(e.token)})` : ''}: ${e.message}`;
}

function judge(c: LoadedCase, o: Outcome): Verdict {
  const tc = c.tc;
  let expected: string;
  let ok: boolean;
  if ('undefinedResult' in tc) {
    expected = 'undefined';
    ok = o.kind === 'value' && o.value === undefined;
  } else if ('result' in tc) {
    expected = quote(tc.result);
    ok = o.kind === 'value' && deepEqual(o.value, tc.result);
  } else if (tc.error !== undefined || tc.code !== undefined) {
    // jsonata's runner: `code` must match; at compile time `token` too when given; an `error` object
    // must be contained in the thrown error. ExprError carries code, token and message of jsonata's
    // error (not value/functionName/position, which it re-bases), so those three are compared.
    const want: Record<string, unknown> = tc.error ?? { code: tc.code };
    expected = `error ${quote(want)}`;
    if (o.kind !== 'error') ok = false;
    else {
      const e = o.error;
      const got: Record<string, unknown> = { code: e.jsonataCode, token: e.token, message: e.message };
      ok = got.code === want.code;
      if (ok && typeof want.message === 'string') ok = got.message === want.message;
      if (ok && 'token' in want) ok = got.token === want.token;
      if (ok && tc.token !== undefined && o.phase === 'compile') ok = got.token === tc.token;
      // U1001 is the code jsonata's runner throws when its own timebox (timelimit/depth) stops a
      // runaway expression; our step budget and depth limit are the same stop.
      if (!ok && want.code === 'U1001' && (e.code === 'ExprStepBudget' || e.code === 'ExprDepthLimit')) ok = true;
    }
  } else {
    return { kind: 'mismatch', detail: 'the case has nothing to check (no result, undefinedResult, code or error)' };
  }
  if (ok) return { kind: 'pass' };
  const detail = `expected ${expected}, got ${describeOutcome(o)}`;
  if (o.kind === 'error') {
    const reason = refusalReason(o.error);
    if (reason !== undefined) return { kind: 'refused', reason, detail };
  }
  return { kind: 'mismatch', detail };
}

// ---------------------------------------------------------------------------------------------------
// Baseline

interface Baseline {
  /** case id → one-line reason */
  knownMismatches: Record<string, string>;
}

function loadBaseline(path: string): Baseline {
  if (!existsSync(path)) return { knownMismatches: {} };
  const raw = readJson(path) as Partial<Baseline>;
  const known = raw.knownMismatches ?? {};
  for (const [id, reason] of Object.entries(known)) {
    if (typeof reason !== 'string' || reason.trim() === '') throw new Error(`${path}: ${id} needs a one-line reason`);
  }
  return { knownMismatches: known };
}

// ---------------------------------------------------------------------------------------------------
// Main

function parseArgs(argv: string[]): { suite?: string; verbose: boolean } {
  let suite: string | undefined;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--suite') suite = argv[++i];
    else if (a.startsWith('--suite=')) suite = a.slice('--suite='.length);
    else if (a === '--verbose' || a === '-v') verbose = true;
    else throw new Error(`unknown argument ${a} (expected --suite <dir> or --verbose)`);
  }
  return { suite, verbose };
}

function countBy<T>(items: T[], key: (x: T) => string): Array<[string, T[]]> {
  const map = new Map<string, T[]>();
  for (const x of items) map.set(key(x), [...(map.get(key(x)) ?? []), x]);
  return [...map.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const root = repoRoot();
  const suite = resolve(root, args.suite ?? process.env.JSONATA_TEST_SUITE ?? '../shared/jsonata-test-suite');
  if (!existsSync(join(suite, 'groups'))) {
    console.log(`jsonata conformance: suite not found at ${suite}; skipping (set JSONATA_TEST_SUITE or --suite <dir>)`);
    return 0;
  }
  const baselinePath = join(root, 'scripts', 'jsonata-conformance.baseline.json');
  const baseline = loadBaseline(baselinePath);
  const cases = loadSuite(suite);
  console.log(`jsonata conformance — node ${process.version}, ${cases.length} cases from ${suite}\n`);

  const started = performance.now();
  const passed: string[] = [];
  const refused: Array<{ id: string; reason: string; detail: string }> = [];
  const mismatched: Array<{ id: string; detail: string; expr: string }> = [];
  const budgetStops: Array<{ id: string; reason: string }> = [];

  for (const c of cases) {
    // One clock reading per case: $now() and $millis() see the moment the case ran, as with jsonata.
    const now = Date.now();
    let verdict: Verdict;
    try {
      verdict = judge(c, await run(c, limitsFor(c), now));
    } catch (err) {
      verdict = { kind: 'mismatch', detail: `runner error: ${(err as Error).message}` };
    }
    if (verdict.kind === 'pass') passed.push(c.id);
    else if (verdict.kind === 'refused') refused.push({ id: c.id, reason: verdict.reason, detail: verdict.detail });
    else mismatched.push({ id: c.id, detail: verdict.detail, expr: c.expr });

    // Pass 2: production limits. Only a pass-1 pass can be "stopped by a budget" in a meaningful way.
    if (verdict.kind === 'pass') {
      let second: Outcome;
      try {
        second = await run(c, DEFAULT_EXPR_LIMITS, now);
      } catch (err) {
        second = { kind: 'error', phase: 'evaluate', error: { code: 'ExprRuntime', message: (err as Error).message } };
      }
      if (judge(c, second).kind !== 'pass' && second.kind === 'error') {
        const reason = refusalReason(second.error);
        if (reason !== undefined) budgetStops.push({ id: c.id, reason });
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;

  console.log(`total            ${cases.length}`);
  console.log(`passed           ${passed.length}`);
  console.log(`refused by design ${refused.length}`);
  console.log(`mismatched       ${mismatched.length}`);
  console.log(`time             ${seconds.toFixed(1)} s (both passes)\n`);

  if (refused.length > 0) {
    console.log('Refused by design (generous limits):');
    for (const [reason, list] of countBy(refused, (r) => r.reason)) {
      console.log(`  ${String(list.length).padStart(4)}  ${reason}: ${list.map((r) => r.id).join(', ')}`);
      if (args.verbose) for (const r of list) console.log(`          ${r.id}: ${r.detail}`);
    }
    console.log('');
  }
  if (budgetStops.length > 0) {
    console.log(`Stopped by the DEFAULT limits (pass with generous limits): ${budgetStops.length}`);
    for (const [reason, list] of countBy(budgetStops, (r) => r.reason)) {
      console.log(`  ${String(list.length).padStart(4)}  ${reason}${args.verbose ? `: ${list.map((r) => r.id).join(', ')}` : ''}`);
    }
    console.log('');
  } else {
    console.log('Stopped by the DEFAULT limits (pass with generous limits): 0\n');
  }

  const unexplained = mismatched.filter((m) => !(m.id in baseline.knownMismatches));
  if (mismatched.length > 0) {
    console.log('Mismatches:');
    for (const m of mismatched) {
      const known = baseline.knownMismatches[m.id];
      console.log(`  ${known !== undefined ? '(baseline) ' : ''}${m.id}: ${m.expr.replace(/\s+/g, ' ').slice(0, 120)}`);
      console.log(`      ${known !== undefined ? `known: ${known}` : m.detail}`);
    }
    console.log('');
  }
  const stale = Object.keys(baseline.knownMismatches).filter((id) => !mismatched.some((m) => m.id === id));
  if (stale.length > 0) {
    console.log(`Baseline entries that no longer mismatch (remove them from ${baselinePath}): ${stale.join(', ')}\n`);
  }

  console.log(`${passed.length} passed, ${mismatched.length} failed`);
  if (unexplained.length > 0) {
    console.log(`${unexplained.length} mismatch(es) not in the baseline ${baselinePath}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
