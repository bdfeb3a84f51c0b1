// JSONata conformance (npm run conformance): jsonata's own test suite, run through edgescale's compiled engine.
//
// Bundled like bench/run.ts:
//   node scripts/node-bundle.mjs scripts/jsonata-conformance.ts .bench/conformance.mjs && node .bench/conformance.mjs [--suite <dir>] [--verbose]
//
// The suite is jsonata's language-neutral test suite (TESTSUITE.md in its directory: groups/<group>/<case>.json
// with expr or expr-file, data or dataset, bindings, and one of result / undefinedResult / code / error). It is
// read from --suite, else $JSONATA_TEST_SUITE, else ../shared/jsonata-test-suite next to the repository; it is
// never copied into the repository, and a clone without it skips (exit 0).
//
// Every case is compiled with compileJsonata and evaluated synchronously (src/engine/jsonata/index.ts) under a
// Meter with generous limits (the point is semantics, not budgets) and a fixed clock. Each outcome is:
//  - a pass;
//  - refused by design: a compile-time refusal (U3xxx: $random, $shuffle, $eval, regex features RE2 cannot
//    run), which must be listed with its reason under "refusedByDesign" in the baseline;
//  - a mismatch, which fails the run unless listed under "knownMismatches" (kept empty).
// A second pass reruns every passing case with the production per-value limits (DEFAULT_* below) and
// reports the cases those limits stop (informational).
// Exit 1 on a mismatch or refusal the baseline does not list.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileJsonata } from '../src/engine/jsonata/index.js';
import { BudgetExceeded, JsonataError, Meter, type Runtime } from '../src/engine/jsonata/runtime.js';

// ---------------------------------------------------------------------------------------------------
// Limits

/** Pass 1 budgets: far beyond any case (1e12 units of work would be hours). */
const GENEROUS_WORK = 1e12;
const GENEROUS_MEMORY = 1e13;
/**
 * Per-value limits of pass 1: jsonata's own range cap (1e7, D2014) decides the range cases, so arrays
 * may reach it; strings get the same room.
 */
const GENEROUS_MAX_ARRAY = 10_000_000;
const GENEROUS_MAX_STRING = 10_000_000;

/**
 * A case's `timelimit` (ms) becomes a work budget: jsonata's runner stops a case at its time limit,
 * and one unit of work is tens of nanoseconds (runtime.ts), so 20 000 units per millisecond is at
 * least as generous as the time jsonata itself gets. jsonata's runner applies timelimit and depth only
 * together (test/run-test-suite.js, timeboxExpression); so do we.
 */
const WORK_PER_MS = 20_000;

/**
 * A case's `depth` limits jsonata's evaluation nesting (evaluate calls in progress). Our limit counts
 * function applications instead; a recursive call in jsonata takes about three evaluate levels (the
 * call, the body, the operator around the recursive call), so depth / 3 calls.
 */
const EVALUATE_LEVELS_PER_CALL = 3;

/** The fixed clock of every case ($now(), $millis()). */
const FIXED_NOW = Date.UTC(2024, 0, 15, 12, 0, 0);

/** Pass 2: the per-value limits production rules get (src/engine/expr.ts DEFAULT_MAX_*). */
const DEFAULT_MAX_STRING = 100_000;
const DEFAULT_MAX_ARRAY = 100_000;
/** Pass 2 work budget: the production step budget of 100 000 steps (src/engine/expr.ts), as units. */
const DEFAULT_WORK = 100_000;
const DEFAULT_MEMORY = 16 * 1024 * 1024;

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

interface Limits {
  work: number;
  memory: number;
  maxArrayLength: number;
  maxStringLength: number;
  maxCallDepth?: number;
}

type Outcome = { kind: 'value'; value: unknown } | { kind: 'error'; error: unknown; phase: 'compile' | 'evaluate' };

function run(c: LoadedCase, limits: Limits): Outcome {
  let compiled;
  try {
    compiled = compileJsonata(c.expr, limits.maxCallDepth !== undefined ? { maxCallDepth: limits.maxCallDepth } : {});
  } catch (error) {
    return { kind: 'error', error, phase: 'compile' };
  }
  const rt: Runtime = {
    meter: new Meter(limits.work, limits.memory),
    now: FIXED_NOW,
    maxArrayLength: limits.maxArrayLength,
    maxStringLength: limits.maxStringLength,
  };
  try {
    return { kind: 'value', value: compiled.evaluate(c.input, c.bindings, rt) };
  } catch (error) {
    return { kind: 'error', error, phase: 'evaluate' };
  }
}

const GENEROUS: Limits = {
  work: GENEROUS_WORK,
  memory: GENEROUS_MEMORY,
  maxArrayLength: GENEROUS_MAX_ARRAY,
  maxStringLength: GENEROUS_MAX_STRING,
};

const PRODUCTION: Limits = {
  work: DEFAULT_WORK,
  memory: DEFAULT_MEMORY,
  maxArrayLength: DEFAULT_MAX_ARRAY,
  maxStringLength: DEFAULT_MAX_STRING,
};

function limitsFor(c: LoadedCase): Limits {
  const { timelimit, depth } = c.tc;
  if (typeof timelimit !== 'number' || typeof depth !== 'number') return GENEROUS;
  return {
    ...GENEROUS,
    work: Math.max(1, Math.round(timelimit * WORK_PER_MS)),
    // jsonata's runner treats depth 0 as "no depth limit".
    ...(depth > 0 ? { maxCallDepth: Math.max(1, Math.floor(depth / EVALUATE_LEVELS_PER_CALL)) } : {}),
  };
}

function errorCode(e: unknown): string | undefined {
  if (e instanceof JsonataError) return e.code;
  if (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string') return (e as { code: string }).code;
  return undefined;
}

/** A compile-time refusal by design (our U3xxx codes), or undefined. */
function refusal(o: Outcome): string | undefined {
  if (o.kind !== 'error' || o.phase !== 'compile') return undefined;
  const code = errorCode(o.error);
  return code !== undefined && code.startsWith('U3') ? `${code}: ${(o.error as Error).message}` : undefined;
}

type Verdict = { kind: 'pass' } | { kind: 'refused'; reason: string; detail: string } | { kind: 'mismatch'; detail: string };

function describeOutcome(o: Outcome): string {
  if (o.kind === 'value') return quote(o.value);
  const e = o.error as { code?: string; token?: unknown; message?: string };
  if (e instanceof BudgetExceeded) return `${o.phase}: ${e.message}`;
  return `${o.phase} error ${e.code ?? '(no code)'}${e.token !== undefined ? ` (token ${JSON.stringify(e.token)})` : ''}: ${e.message}`;
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
    // jsonata's runner: `code` must match; at compile time `token` too when given.
    const want: Record<string, unknown> = tc.error ?? { code: tc.code };
    expected = `error ${quote(want)}`;
    if (o.kind !== 'error') ok = false;
    else {
      const e = o.error as { token?: unknown };
      const code = errorCode(o.error);
      ok = code === want.code;
      if (ok && tc.token !== undefined && o.phase === 'compile') ok = e.token === tc.token;
      // U1001 is what jsonata's runner reports when its timebox (timelimit + depth) stops a runaway
      // expression; our work budget is the same stop.
      if (!ok && want.code === 'U1001' && o.error instanceof BudgetExceeded) ok = true;
    }
  } else {
    return { kind: 'mismatch', detail: 'the case has nothing to check (no result, undefinedResult, code or error)' };
  }
  if (ok) return { kind: 'pass' };
  const detail = `expected ${expected}, got ${describeOutcome(o)}`;
  const reason = refusal(o);
  if (reason !== undefined) return { kind: 'refused', reason, detail };
  return { kind: 'mismatch', detail };
}

// ---------------------------------------------------------------------------------------------------
// Baseline

interface Baseline {
  /** case id → one-line reason: refused at compile time on purpose */
  refusedByDesign: Record<string, string>;
  /** case id → one-line reason (keep empty) */
  knownMismatches: Record<string, string>;
}

function loadBaseline(path: string): Baseline {
  if (!existsSync(path)) return { refusedByDesign: {}, knownMismatches: {} };
  const raw = readJson(path) as Partial<Baseline>;
  const out: Baseline = { refusedByDesign: raw.refusedByDesign ?? {}, knownMismatches: raw.knownMismatches ?? {} };
  for (const list of [out.refusedByDesign, out.knownMismatches]) {
    for (const [id, reason] of Object.entries(list)) {
      if (typeof reason !== 'string' || reason.trim() === '') throw new Error(`${path}: ${id} needs a one-line reason`);
    }
  }
  return out;
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

function main(): number {
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
  const productionStops: Array<{ id: string; reason: string }> = [];

  for (const c of cases) {
    let verdict: Verdict;
    try {
      verdict = judge(c, run(c, limitsFor(c)));
    } catch (err) {
      verdict = { kind: 'mismatch', detail: `runner error: ${(err as Error).message}` };
    }
    if (verdict.kind === 'pass') passed.push(c.id);
    else if (verdict.kind === 'refused') refused.push({ id: c.id, reason: verdict.reason, detail: verdict.detail });
    else mismatched.push({ id: c.id, detail: verdict.detail, expr: c.expr });

    // Pass 2: production limits, for the cases that pass with generous ones.
    if (verdict.kind === 'pass') {
      const second = run(c, PRODUCTION);
      if (judge(c, second).kind !== 'pass' && second.kind === 'error') {
        const e = second.error;
        const code = errorCode(e);
        const reason =
          e instanceof BudgetExceeded
            ? `${e.kind} budget`
            : code === 'U3010'
              ? 'array size limit (U3010)'
              : code === 'U3011'
                ? 'string size limit (U3011)'
                : code === 'U1001'
                  ? 'call depth (U1001)'
                  : undefined;
        if (reason !== undefined) productionStops.push({ id: c.id, reason });
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const pct = (n: number) => ((100 * n) / cases.length).toFixed(2);

  console.log(`total             ${cases.length}`);
  console.log(`passed            ${passed.length} (${pct(passed.length)} %)`);
  console.log(`refused by design ${refused.length} (${pct(refused.length)} %)`);
  console.log(`mismatched        ${mismatched.length} (${pct(mismatched.length)} %)`);
  console.log(`time              ${seconds.toFixed(1)} s (both passes)\n`);

  const unlistedRefusals = refused.filter((r) => !(r.id in baseline.refusedByDesign));
  if (refused.length > 0) {
    console.log('Refused by design (compile-time refusals):');
    for (const [reason, list] of countBy(refused, (r) => r.reason.replace(/^(U\d+): .*$/, '$1'))) {
      console.log(`  ${String(list.length).padStart(4)}  ${reason}: ${list.map((r) => r.id).join(', ')}`);
      if (args.verbose) for (const r of list) console.log(`          ${r.id}: ${r.reason}`);
    }
    console.log('');
  }
  if (unlistedRefusals.length > 0) {
    console.log(`Refusals not listed under "refusedByDesign" in ${baselinePath}:`);
    for (const r of unlistedRefusals) console.log(`  ${r.id}: ${r.reason}`);
    console.log('');
  }
  const staleRefusals = Object.keys(baseline.refusedByDesign).filter((id) => !refused.some((r) => r.id === id));
  if (staleRefusals.length > 0) {
    console.log(`refusedByDesign entries no longer refused (remove them from ${baselinePath}): ${staleRefusals.join(', ')}\n`);
  }

  console.log(`Stopped by the production limits (pass with generous limits): ${productionStops.length}`);
  for (const [reason, list] of countBy(productionStops, (r) => r.reason)) {
    console.log(`  ${String(list.length).padStart(4)}  ${reason}${args.verbose ? `: ${list.map((r) => r.id).join(', ')}` : ''}`);
  }
  console.log('');

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
    console.log(`knownMismatches entries that no longer mismatch (remove them from ${baselinePath}): ${stale.join(', ')}\n`);
  }

  console.log(`${passed.length} passed, ${refused.length} refused by design, ${mismatched.length} mismatched of ${cases.length} (${pct(passed.length)} % passing)`);
  let code = 0;
  if (unexplained.length > 0) {
    console.log(`${unexplained.length} mismatch(es) not in the baseline ${baselinePath}`);
    code = 1;
  }
  if (unlistedRefusals.length > 0) {
    console.log(`${unlistedRefusals.length} refusal(s) not listed under refusedByDesign in ${baselinePath}`);
    code = 1;
  }
  return code;
}

process.exit(main());
