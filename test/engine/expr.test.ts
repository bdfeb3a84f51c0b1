// The JSONata layer: syntax errors, bounded evaluation of hostile expressions, typed results, helpers and the documented examples.
/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import {
  compileExpr,
  DEFAULT_EXPR_LIMITS,
  evaluateCondition,
  evaluateExpr,
  evaluateNumber,
  type CompiledExpr,
  type ExprErrorCode,
  type ExprLimits,
} from '../../src/engine/expr.js';
import { parseIsoDuration } from '../../src/engine/expr-functions.js';
import jsonataDoc from '../../docs/jsonata.md?raw';
import { HANG_GUARD_MS } from '../helpers.js';

const NOW = Date.parse('2026-11-22T10:30:00Z');
const MIN = 60_000;

/** The input every documented example runs against (printed verbatim in docs/jsonata.md). */
const DOC_INPUT = {
  nowMs: NOW,
  capacity: { current: 4, minimum: 2, maximum: 20, default: 3 },
  metrics: {
    cpu: {
      avg: 61.6,
      points: [
        { t: NOW - 10 * MIN, v: 40 },
        { t: NOW - 6 * MIN, v: 55 },
        { t: NOW - 4 * MIN, v: 61 },
        { t: NOW - 2 * MIN, v: 70 },
        { t: NOW, v: 82 },
      ],
    },
    backlog: {
      last: 600,
      points: [
        { t: NOW - 10 * MIN, v: 1200 },
        { t: NOW - 5 * MIN, v: 900 },
        { t: NOW, v: 600 },
      ],
    },
  },
};

function compiled(source: string, limits?: ExprLimits): CompiledExpr {
  const c = compileExpr(source, limits);
  if (!c.ok) throw new Error(`fixture expression does not compile: ${JSON.stringify(c.error)}`);
  return c.expr;
}

async function run(source: string, input: unknown = DOC_INPUT, bindings?: Record<string, unknown>) {
  return evaluateExpr(compiled(source), input, { now: NOW, ...(bindings && { bindings }) });
}

/** Plain JSON of a result (jsonata sequences carry extra non-index properties). */
const plain = (value: unknown) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

// ---------------------------------------------------------------------------------------------------

interface DocExample {
  helper: string;
  expr: string;
  result: unknown;
}

/** Every example of docs/jsonata.md, in the order it shows them. */
const DOC_EXAMPLES: DocExample[] = [
  { helper: '$window', expr: '$window(metrics.cpu.points, "PT5M").v', result: [61, 70, 82] },
  { helper: '$window', expr: '$count($window(metrics.cpu.points, "PT10M"))', result: 4 },
  {
    helper: '$window',
    expr: '$window([{"t": "2026-11-22T10:26:00Z", "v": 1}, {"t": "2026-11-22T10:31:00Z", "v": 2}], "PT10M").v',
    result: 1,
  },
  { helper: '$duration', expr: '$duration("PT1H30M")', result: 5_400_000 },
  { helper: '$duration', expr: '$duration("PT1.5S")', result: 1500 },
  { helper: '$duration', expr: '$duration("P2W") / $duration("P1D")', result: 14 },
  { helper: '$percentile', expr: '$percentile(metrics.cpu.points.v, 75)', result: 70 },
  { helper: '$percentile', expr: '$percentile([1, 2, 3, 4], 50)', result: 2.5 },
  { helper: '$percentile', expr: '$percentile([15, 20, 35, 40, 50], 40)', result: 29 },
  { helper: '$percentile', expr: '$percentile($window(metrics.cpu.points, "PT5M").v, 50) > 65', result: true },
  { helper: '$rate', expr: '$rate(metrics.backlog.points)', result: -1 },
  { helper: '$rate', expr: '$rate($window(metrics.cpu.points, "PT5M"))', result: 0.0875 },
  { helper: '$slope', expr: '$slope(metrics.backlog.points)', result: -1 },
  { helper: '$slope', expr: '$slope([{"t": 0, "v": 10}, {"t": 60000, "v": 16}, {"t": 120000, "v": 22}])', result: 0.1 },
  { helper: '$ewma', expr: '$ewma([10, 20, 30], 0.5)', result: 22.5 },
  { helper: '$ewma', expr: '$ewma([10, 20, 30], 1)', result: 30 },
  { helper: '$clamp', expr: '$clamp(capacity.current * 6, capacity.minimum, capacity.maximum)', result: 20 },
  { helper: '$clamp', expr: '$clamp(-3, 0, 10)', result: 0 },
  { helper: '$ceilDiv', expr: '$ceilDiv(metrics.backlog.last, 250)', result: 3 },
  { helper: '$ceilDiv', expr: '$clamp($ceilDiv(metrics.backlog.last, 100), capacity.minimum, capacity.maximum)', result: 6 },
  { helper: '$ceilDiv', expr: '$ceilDiv(0.1 + 0.2, 0.1)', result: 3 },
  { helper: '$now', expr: '$now()', result: '2026-11-22T10:30:00.000Z' },
  { helper: '$now', expr: '$millis() = nowMs', result: true },
  { helper: '$now', expr: '$now("[H01]:[m01]")', result: '10:30' },
];

describe('documented examples (docs/jsonata.md)', () => {
  it.each(DOC_EXAMPLES)('$helper: $expr gives the documented result', async ({ expr, result }) => {
    const r = await run(expr);
    expect(r.ok ? plain(r.value) : r.error).toEqual(result);
  });

  it('shows the input the examples run against', () => {
    expect(jsonataDoc).toContain(JSON.stringify(DOC_INPUT, null, 2));
  });

  it.each(DOC_EXAMPLES)('shows $expr with its result', ({ expr, result }) => {
    expect(jsonataDoc).toContain(`| \`${expr}\` | \`${JSON.stringify(result)}\` |`);
  });

  it('documents every helper that has examples', () => {
    for (const helper of new Set(DOC_EXAMPLES.map((e) => e.helper))) expect(jsonataDoc).toContain(`### \`${helper}(`);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('compileExpr', () => {
  const SYNTAX_ERRORS: Array<{ name: string; source: string; position: number; jsonataCode: string }> = [
    { name: 'an unclosed parenthesis, at the end', source: '(1 + 2', position: 6, jsonataCode: 'S0203' },
    { name: 'a dangling operator, at the end', source: 'a.b >', position: 5, jsonataCode: 'S0207' },
    { name: 'two names in a row, at the second', source: 'foo bar', position: 4, jsonataCode: 'S0201' },
    { name: 'a binary operator used as unary, at the operator', source: 'a.b > > 2', position: 6, jsonataCode: 'S0211' },
    { name: 'a stray bracket, at the bracket', source: '$sum(]', position: 5, jsonataCode: 'S0211' },
    { name: 'an unknown operator, at the operator', source: 'a.b = 3 ! 4', position: 8, jsonataCode: 'S0204' },
    { name: 'an assignment to a non-variable, at the name', source: 'x := 1', position: 0, jsonataCode: 'S0212' },
    { name: 'a missing colon in an object, at the value', source: '{"a" 1}', position: 5, jsonataCode: 'S0202' },
    { name: 'an unterminated string, at the end', source: '"abc', position: 4, jsonataCode: 'S0101' },
    { name: 'an empty expression', source: '', position: 0, jsonataCode: 'S0207' },
  ];

  it.each(SYNTAX_ERRORS)('reports $name as ExprSyntax', ({ source, position, jsonataCode }) => {
    const c = compileExpr(source);
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.error).toMatchObject({ code: 'ExprSyntax', position, jsonataCode });
    expect(c.error.message).not.toMatch(/\n/);
  });

  it('reports the offending token', () => {
    const c = compileExpr('foo bar');
    expect(!c.ok && c.error.token).toBe('bar');
  });

  it('refuses a source longer than maxSourceLength as ExprTooLong', () => {
    // The compiler's bound is the ceiling (LIMIT_CEILINGS.expressionLength); the HTTP edge holds requests to the deployment's limit.
    const c = compileExpr(`1${' + 1'.repeat(Math.ceil(DEFAULT_EXPR_LIMITS.maxSourceLength / 4))}`);
    expect(c.ok ? undefined : c.error.code).toBe('ExprTooLong');
    const custom = compileExpr('a.b.c.d.e.f', { ...DEFAULT_EXPR_LIMITS, maxSourceLength: 10 });
    expect(custom.ok ? undefined : custom.error).toMatchObject({ code: 'ExprTooLong', position: 10 });
  });

  const SAFE_REGEXES = [
    ['a literal word, case-insensitive', '$contains("Scale OUT", /out/i)', true],
    ['an anchored date', '$contains("2026-11-22", /^\\d{4}-\\d{2}-\\d{2}$/)', true],
    ['an alternation that is not repeated', '$match("POST /api/v1", /(GET|POST) \\/api/).groups[0]', 'POST'],
    ['repetitions separated by other characters', '$match("key = value", /\\s*(\\w+)\\s*=\\s*(\\w+)\\s*/).groups', ['key', 'value']],
    ['a repeated fixed group', '$contains("abab", /^(ab)+$/)', true],
    ['a group repeated a fixed number of times', '$contains("10.0.0.1", /^(\\d+\\.){3}\\d+$/)', true],
    ['an optional character', '$contains("color", /colou?r/)', true],
    ['a trailing repetition', '$match("cpu-high-17", /\\d+$/).match', '17'],
  ] as const;

  it.each(SAFE_REGEXES)('accepts a regex with %s', async (_name, source, expected) => {
    const r = await run(source);
    expect(r.ok && plain(r.value)).toEqual(expected);
    // A short string and pattern: a few hundred units at most (each find is charged its scan).
    expect(r.work).toBeLessThan(1_000);
  });

  // RE2 (re2js) runs every pattern in time linear in its input, so the patterns that backtrack
  // exponentially in V8 are ordinary here; each find is charged input × pattern size before it runs.
  const BACKTRACKING_IN_V8 = [
    ['nested repetition', '$match($pad("", 5000, "a") & "!", /(a+)+$/)', undefined],
    ['overlapping alternation', '$contains($pad("", 5000, "a") & "c", /(a|aa)+b/)', false],
    ['many overlapping repetitions', '$contains($pad("", 5000, "1"), /\\d*\\d*\\d*\\d*\\d*\\d*x/)', false],
    ['a repetition that finally matches', '$match($pad("", 5000, "a") & "b", /(a+)+b/).index', 0],
  ] as const;

  it.each(BACKTRACKING_IN_V8)('runs a regex with %s in linear time', async (_name, source, expected) => {
    const r = await run(source);
    expect(r.ok ? plain(r.value) : r.error).toEqual(expected);
    // 5,000 characters × a short pattern: tens of thousands of units, far from the budget.
    expect(r.work).toBeLessThan(DEFAULT_EXPR_LIMITS.work / 10);
  });

  it('charges a regex scan by the length of what it scans', async () => {
    const short = await run('$contains($pad("", 100, "1"), /\\d+x/)');
    const long = await run('$contains($pad("", 10000, "1"), /\\d+x/)');
    expect(short.ok && long.ok).toBe(true);
    expect(long.work).toBeGreaterThan(short.work * 20);
  });

  it.each([
    ['a backreference', '$contains("abcabc", /(\\w+)\\1/)', 19],
    ['a lookahead', '$contains("abc", /a(?=b)/)', 17],
    ['a lookbehind', '$contains("abc", /(?<=a)b/)', 17],
  ])('refuses %s, which RE2 cannot run, when compiled', (_name, source, position) => {
    const c = compileExpr(source);
    expect(c.ok ? 'compiled' : c.error).toMatchObject({ code: 'ExprRefused', jsonataCode: 'U3001' });
    expect(c.ok ? -1 : c.error.position).toBeGreaterThanOrEqual(position - 8);
    expect(c.ok ? -1 : c.error.position).toBeLessThanOrEqual(source.length);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('evaluateExpr on ordinary expressions', () => {
  // maxWork: a generous ceiling for each (about twice what it uses): ordinary expressions cost a
  // handful of units per node and one per item they touch.
  const ORDINARY: Array<{ name: string; expr: string; value: unknown; maxWork: number; bindings?: Record<string, unknown> }> = [
    { name: 'a comparison', expr: 'metrics.cpu.avg > 60', value: true, maxWork: 15 },
    { name: 'arithmetic with precedence', expr: '1 + 2 * 3 - 4 / 2', value: 5, maxWork: 20 },
    { name: 'a missing path', expr: 'metrics.nosuch.avg', value: undefined, maxWork: 10 },
    { name: 'string concatenation', expr: '"cpu is " & $string(metrics.cpu.avg) & "%"', value: 'cpu is 61.6%', maxWork: 80 },
    { name: 'a filter over points', expr: 'metrics.cpu.points[v > 60].v', value: [61, 70, 82], maxWork: 100 },
    { name: 'an aggregate over points', expr: '$sum(metrics.cpu.points.v)', value: 308, maxWork: 100 },
    { name: 'a conditional', expr: 'capacity.current < capacity.maximum ? capacity.current + 1 : capacity.current', value: 5, maxWork: 30 },
    { name: 'an object constructor', expr: '{"desired": capacity.current * 2, "why": "cpu"}', value: { desired: 8, why: 'cpu' }, maxWork: 30 },
    { name: 'a spread of points', expr: '$max(metrics.cpu.points.v) - $min(metrics.cpu.points.v)', value: 42, maxWork: 200 },
    { name: 'sorting numbers', expr: '$sort([3, 1, 2])', value: [1, 2, 3], maxWork: 40 },
    { name: 'sorting strings', expr: '$sort(["b", "c", "a"])', value: ['a', 'b', 'c'], maxWork: 40 },
    { name: 'sorting with a comparator', expr: '$sort([1, 3, 2], function($a, $b){ $a < $b })', value: [3, 2, 1], maxWork: 60 },
    { name: 'an order-by', expr: 'metrics.cpu.points^(>v)[0].v', value: 82, maxWork: 150 },
    { name: 'distinct values', expr: '$distinct([1, 2, 2, 3, 1])', value: [1, 2, 3], maxWork: 40 },
    { name: 'distinct objects', expr: '$distinct([{"a": 1}, {"a": 1}, {"a": 2}])', value: [{ a: 1 }, { a: 2 }], maxWork: 60 },
    { name: 'a regex replace', expr: '$replace("a-b-c", /-/, "+")', value: 'a+b+c', maxWork: 300 },
    { name: 'a string replace', expr: '$replace("a-b-c", "-", "+")', value: 'a+b+c', maxWork: 20 },
    { name: 'joining', expr: '$join(["a", "b", "c"], ",")', value: 'a,b,c', maxWork: 30 },
    { name: 'padding', expr: '$pad("7", -3, "0")', value: '007', maxWork: 15 },
    { name: 'serializing', expr: '$string({"a": [1, 2]})', value: '{"a":[1,2]}', maxWork: 150 },
    { name: 'formatting now', expr: '$fromMillis(nowMs, "[H01]:[m01]")', value: '10:30', maxWork: 400 },
    { name: 'parsing a timestamp', expr: '$toMillis("2026-11-22T10:30:00Z") = nowMs', value: true, maxWork: 30 },
    { name: 'parsing with a picture', expr: '$toMillis("2026-11-22 10:30", "[Y0001]-[M01]-[D01] [H01]:[m01]") = nowMs', value: true, maxWork: 2_000 },
    { name: 'a binding', expr: '$threshold * 2', value: 70, maxWork: 10, bindings: { threshold: 35 } },
    { name: 'a recursive function', expr: '($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(10))', value: 3_628_800, maxWork: 300 },
    { name: 'a group-by', expr: '[{"k": "a", "v": 1}, {"k": "a", "v": 2}, {"k": "b", "v": 3}]{k: $sum(v)}', value: { a: 3, b: 3 }, maxWork: 150 },
    { name: 'a group-by over 500 keys', expr: '$count($keys([1..500]{$string($): $}))', value: 500, maxWork: 40_000 },
    { name: 'a range', expr: '$sum([1..1000])', value: 500_500, maxWork: 8_000 },
    { name: 'a 300-item array literal', expr: `$sum([${Array.from({ length: 300 }, (_, i) => i + 1).join(', ')}])`, value: 45_150, maxWork: 2_000 },
    { name: 'a long chain of additions', expr: Array(1500).fill('1').join('+'), value: 1500, maxWork: 6_000 },
  ];

  it.each(ORDINARY)('evaluates $name with a modest amount of work', async ({ expr, value, maxWork, bindings }) => {
    const r = await run(expr, DOC_INPUT, bindings);
    expect(r.ok ? plain(r.value) : r.error).toEqual(value);
    expect(r.work).toBeGreaterThan(0);
    expect(r.work).toBeLessThanOrEqual(maxWork);
  });

  it('filters a full 10 000-point series with a few percent of the budget', async () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ t: NOW - i * 1000, v: i % 100 }));
    const r = await run('$count(metrics.cpu.points[v > 70])', { metrics: { cpu: { points } } });
    expect(r).toMatchObject({ ok: true, value: 2900 });
    expect(r.work).toBeGreaterThan(10_000);
    expect(r.work).toBeLessThan(DEFAULT_EXPR_LIMITS.work / 10);
  });

  it('reports runtime errors with position, token and jsonata code', async () => {
    const r = await run('1 + "a"');
    expect(r.ok ? undefined : r.error).toMatchObject({ code: 'ExprType', jsonataCode: 'T2002', position: 2, token: '+' });
    const e = await run('$error("too hot")');
    expect(e.ok ? undefined : e.error).toMatchObject({ code: 'ExprRuntime', message: 'too hot', jsonataCode: 'D3137', position: 0 });
  });
});

// ---------------------------------------------------------------------------------------------------

describe('hostile expressions come back as structured errors, quickly', () => {
  const dagOfObjects = '($f := function($x, $n){ $n = 0 ? $x : $f({"a": $x, "b": $x}, $n - 1) }; $f(1, 40))';

  const HOSTILE: Array<{ name: string; expr: string; code: ExprErrorCode; at: 'compile' | 'evaluate' }> = [
    // refused when compiled
    { name: 'deeply nested parentheses', expr: `${'('.repeat(300)}1${')'.repeat(300)}`, code: 'ExprDepthLimit', at: 'compile' },
    { name: 'deeply nested array literals', expr: `${'['.repeat(300)}${']'.repeat(300)}`, code: 'ExprDepthLimit', at: 'compile' },
    { name: 'an operator chain 2040 deep', expr: Array(2040).fill('1').join('+'), code: 'ExprDepthLimit', at: 'compile' },
    { name: 'a regex backreference', expr: '$contains("abcabc", /(\\w+)\\1/)', code: 'ExprRefused', at: 'compile' },
    { name: '$eval of generated source', expr: '$eval("[1..1e9]")', code: 'ExprRefused', at: 'compile' },
    { name: '$random', expr: '$random() > 0.5', code: 'ExprRefused', at: 'compile' },
    { name: '$shuffle', expr: '$shuffle([1, 2, 3])[0] = 1', code: 'ExprRefused', at: 'compile' },
    // stopped while evaluating
    { name: 'unbounded tail recursion', expr: '($f := function($x){ $f($x + 1) }; $f(0))', code: 'ExprBudget', at: 'evaluate' },
    { name: 'unbounded non-tail recursion', expr: '($f := function($x){ 1 + $f($x + 1) }; $f(0))', code: 'ExprDepthLimit', at: 'evaluate' },
    {
      name: 'mutual recursion',
      expr: '($a := function($n){ $n = 0 ? 0 : $b($n - 1) }; $b := function($n){ $n = 0 ? 1 : $a($n - 1) }; $a(1e9))',
      code: 'ExprBudget',
      at: 'evaluate',
    },
    { name: 'exponential recursion', expr: '($f := function($n){ $n <= 0 ? 1 : $f($n - 1) + $f($n - 1) }; $f(40))', code: 'ExprBudget', at: 'evaluate' },
    { name: 'a range of a billion', expr: '[1..1e9]', code: 'ExprSizeLimit', at: 'evaluate' },
    { name: 'counting ten million', expr: '$count([1..10000000])', code: 'ExprSizeLimit', at: 'evaluate' },
    { name: 'mapping over a million', expr: '$map([1..1000000], function($x){ $x })', code: 'ExprSizeLimit', at: 'evaluate' },
    {
      name: 'exponential string growth',
      expr: '($s := function($x, $n){ $n = 0 ? $x : $s($x & $x, $n - 1) }; $s("ab", 40))',
      code: 'ExprSizeLimit',
      at: 'evaluate',
    },
    { name: 'loops over a large range', expr: '[1..2].$sum([1..100000].($ * $))', code: 'ExprBudget', at: 'evaluate' },
    { name: '$reduce over a large range', expr: '$reduce([1..100000], function($a, $b){ $a + $b })', code: 'ExprBudget', at: 'evaluate' },
    { name: 'a huge object from $merge', expr: '$merge([1..100000].{$string($): $})', code: 'ExprBudget', at: 'evaluate' },
    { name: 'a huge object from a group-by', expr: '[1..100000]{$string($): $}', code: 'ExprBudget', at: 'evaluate' },
    { name: 'a group-by with one constant key over a large range', expr: '[1..3].([1..99999]{"k": $})', code: 'ExprBudget', at: 'evaluate' },
    { name: 'a self-doubling object serialized', expr: `$string(${dagOfObjects})`, code: 'ExprSizeLimit', at: 'evaluate' },
    { name: 'a self-doubling object compared', expr: `${dagOfObjects} = ${dagOfObjects}`, code: 'ExprBudget', at: 'evaluate' },
    {
      name: 'a value nested a thousand deep',
      expr: '($f := function($x, $n){ $n = 0 ? $x : $f([[$x]], $n - 1) }; $string($f(1, 1000), true))',
      code: 'ExprSizeLimit',
      at: 'evaluate',
    },
    { name: '$string of a huge structure', expr: '$string([1..100000])', code: 'ExprSizeLimit', at: 'evaluate' },
    { name: 'a huge array repeated', expr: '($x := [1..99999]; [$x, $x, $x])', code: 'ExprSizeLimit', at: 'evaluate' },
    { name: '$pad to a billion', expr: '$pad("", 1e9)', code: 'ExprSizeLimit', at: 'evaluate' },
    { name: '$fromMillis with a 100,000-character picture', expr: '$fromMillis(0, $pad("", 100000, "["))', code: 'ExprSizeLimit', at: 'evaluate' },
    { name: '$toMillis with a 100,000-character picture', expr: '$toMillis("2026", $pad("", 100000, "["))', code: 'ExprSizeLimit', at: 'evaluate' },
    { name: 'a picture width of a million', expr: '$fromMillis(0, "[Y,1000000]")', code: 'ExprSizeLimit', at: 'evaluate' },
    { name: 'words of huge numbers in a loop', expr: '$count([1..100000].$formatInteger(123456789012345, "w"))', code: 'ExprBudget', at: 'evaluate' },
    { name: '$join of many pieces', expr: '$join($split($pad("", 99999, "x"), ""), "yyyyy")', code: 'ExprSizeLimit', at: 'evaluate' },
    { name: '$replace that multiplies', expr: '$replace($pad("", 50000, "a"), "a", "bbbbbbbbbb")', code: 'ExprSizeLimit', at: 'evaluate' },
    { name: 'many big strings', expr: '$count([1..1000].($pad("", 99999, "x")))', code: 'ExprBudget', at: 'evaluate' },
    { name: 'a regex scanned in a loop', expr: '[1..1000].$contains($pad("", 50000, "1"), /\\d+x/)', code: 'ExprBudget', at: 'evaluate' },
    { name: 'repeated big sorts', expr: '[1..20].$sort([1..100000])', code: 'ExprBudget', at: 'evaluate' },
    { name: 'sorts with a comparator', expr: '[1..20].$sort([1..12000], function($a, $b){ $a < $b })', code: 'ExprBudget', at: 'evaluate' },
    { name: 'an order-by over a large range', expr: '[1..100000]^($)', code: 'ExprBudget', at: 'evaluate' },
    { name: '$distinct over many objects', expr: '$distinct([1..5000].{"a": $})', code: 'ExprBudget', at: 'evaluate' },
    { name: 'descendants of a large structure', expr: '$count([1..2000].{"a": [1..50]}.**)', code: 'ExprSizeLimit', at: 'evaluate' },
    { name: 'descendants in a loop', expr: '$sum([1..40000].($count($$.**)))', code: 'ExprBudget', at: 'evaluate' },
  ];

  it('has at least thirty hostile cases', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(30);
  });

  it.each(HOSTILE)('$name → $code', async ({ expr, code, at }) => {
    const started = performance.now();
    const c = compileExpr(expr);
    if (at === 'compile') {
      expect(c.ok ? 'compiled' : c.error.code).toBe(code);
      if (!c.ok) expect(c.error.position).toBeTypeOf('number');
    } else {
      expect(c.ok ? 'compiled' : c.error).toBe('compiled');
      if (!c.ok) return;
      const r = await evaluateExpr(c.expr, DOC_INPUT, { now: NOW });
      expect(r.ok ? r.value : r.error.code).toBe(code);
      expect(r.work).toBeLessThanOrEqual(DEFAULT_EXPR_LIMITS.work + 1);
      expect(r.memory).toBeLessThanOrEqual(DEFAULT_EXPR_LIMITS.memory + 1_000_000);
      if (!r.ok) {
        expect(r.error.message.length).toBeLessThanOrEqual(300);
        expect(r.error.message).not.toMatch(/\n/);
      }
    }
    // The work and memory above are the bound; the clock only guards against a hang.
    expect(performance.now() - started).toBeLessThan(HANG_GUARD_MS);
  });

  it('names the budget that ran out', async () => {
    const r = await run('($f := function($x){ $f($x + 1) }; $f(0))');
    expect(r.ok ? undefined : r.error).toMatchObject({ code: 'ExprBudget', budget: { level: 'expression' } });
    expect(r.ok ? undefined : r.error.message).toMatch(/^the expression (work|memory) budget of [\d,]+ units ran out while /);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('limits given per compile or per evaluation', () => {
  const limits = (over: Partial<ExprLimits>): ExprLimits => ({ ...DEFAULT_EXPR_LIMITS, ...over });

  it.each([
    { name: 'a smaller work budget', expr: '$sum([1..100].($ * 2))', over: { work: 50 }, code: 'ExprBudget' },
    { name: 'a smaller memory budget', expr: '$count([1..100])', over: { memory: 100 }, code: 'ExprBudget' },
    { name: 'a shorter string limit', expr: '"abc" & "defghijk"', over: { maxStringLength: 10 }, code: 'ExprSizeLimit' },
    { name: 'a shorter array limit, before allocating a range', expr: '[1..11]', over: { maxArrayLength: 10 }, code: 'ExprSizeLimit' },
    { name: 'a shorter array limit on built arrays', expr: '$append([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11])', over: { maxArrayLength: 10 }, code: 'ExprSizeLimit' },
  ] as const)('applies $name from EvalOptions', async ({ expr, over, code }) => {
    const r = await evaluateExpr(compiled(expr), {}, { now: NOW, limits: limits(over) });
    expect(r.ok ? r.value : r.error.code).toBe(code);
    const ok = await evaluateExpr(compiled(expr), {}, { now: NOW });
    expect(ok.ok).toBe(true);
  });

  it('uses the limits given to compileExpr when the evaluation gives none', async () => {
    const r = await evaluateExpr(compiled('$sum([1..100])', limits({ work: 5 })), {}, { now: NOW });
    expect(r.ok ? r.value : r.error).toMatchObject({ code: 'ExprBudget', budget: { level: 'expression', kind: 'work', limit: 5 } });
  });

  it('refuses invalid limits as a value', async () => {
    const c = compileExpr('1', limits({ work: 0 }));
    expect(c.ok ? undefined : c.error.code).toBe('ExprRuntime');
    const r = await evaluateExpr(compiled('1'), {}, { now: NOW, limits: limits({ memory: Number.NaN }) });
    expect(r.ok ? undefined : r.error.code).toBe('ExprRuntime');
  });

  it('groups by thousands of keys: a group-by costs its items, not a depth', async () => {
    const r = await run('$count($keys([1..3000]{$string($): $}))');
    expect(r).toMatchObject({ ok: true, value: 3000 });
  });
});

// ---------------------------------------------------------------------------------------------------

describe('evaluateCondition and evaluateNumber', () => {
  const CONDITIONS: Array<{ expr: string; ok: boolean | ExprErrorCode; message?: RegExp }> = [
    { expr: 'metrics.cpu.avg > 60', ok: true },
    { expr: 'metrics.cpu.avg > 70', ok: false },
    { expr: 'metrics.cpu.avg', ok: 'ExprType', message: /produced the number 61\.6; it must produce true or false/ },
    { expr: 'metrics.nosuch.avg > 70', ok: 'ExprType', message: /no value/ },
    { expr: 'metrics.nosuch.avg', ok: 'ExprType', message: /no value, usually because a path matched nothing/ },
    { expr: '"true"', ok: 'ExprType', message: /the string "true"/ },
    { expr: '[true]', ok: 'ExprType', message: /an array of 1 item/ },
    { expr: '{"fire": true}', ok: 'ExprType', message: /an object/ },
    { expr: '1 + "x"', ok: 'ExprType' },
  ];

  it.each(CONDITIONS)('evaluateCondition($expr) → $ok', async ({ expr, ok, message }) => {
    const r = await evaluateCondition(compiled(expr), DOC_INPUT, { now: NOW });
    if (typeof ok === 'boolean') {
      expect(r).toMatchObject({ ok: true, value: ok });
    } else {
      expect(r.ok ? r.value : r.error.code).toBe(ok);
      if (message && !r.ok) expect(r.error.message).toMatch(message);
    }
  });

  const NUMBERS: Array<{ expr: string; ok: number | ExprErrorCode; bindings?: Record<string, unknown>; message?: RegExp }> = [
    { expr: 'capacity.current + 1', ok: 5 },
    { expr: '$ceilDiv(metrics.backlog.last, 250)', ok: 3 },
    { expr: '"5"', ok: 'ExprType', message: /the string "5"; it must produce a finite number/ },
    { expr: 'capacity.nosuch', ok: 'ExprType', message: /no value/ },
    { expr: 'capacity.current > 1', ok: 'ExprType', message: /the boolean true/ },
    { expr: '$x', ok: 'ExprType', bindings: { x: Number.POSITIVE_INFINITY }, message: /the number Infinity/ },
    { expr: '$x', ok: 'ExprType', bindings: { x: Number.NaN }, message: /the number NaN/ },
    { expr: '1 / 0', ok: 'ExprType', message: /the number Infinity/ },
  ];

  it.each(NUMBERS)('evaluateNumber($expr) → $ok', async ({ expr, ok, bindings, message }) => {
    const r = await evaluateNumber(compiled(expr), DOC_INPUT, { now: NOW, ...(bindings && { bindings }) });
    if (typeof ok === 'number') {
      expect(r).toMatchObject({ ok: true, value: ok });
    } else {
      expect(r.ok ? r.value : r.error.code).toBe(ok);
      if (message && !r.ok) expect(r.error.message).toMatch(message);
    }
  });
});

// ---------------------------------------------------------------------------------------------------

describe('helper functions beyond the documented examples', () => {
  const HELPER_CASES: Array<{ name: string; expr: string; ok: unknown } | { name: string; expr: string; error: ExprErrorCode }> = [
    { name: '$window keeps a point exactly at now', expr: '$count($window([{"t": nowMs, "v": 1}], "PT1S"))', ok: 1 },
    { name: '$window drops a point exactly at the window start', expr: '$count($window([{"t": nowMs - 1000, "v": 1}], "PT1S"))', ok: 0 },
    { name: '$window accepts ISO timestamps with an offset', expr: '$count($window([{"t": "2026-11-22T11:29:00+01:00", "v": 1}], "PT5M"))', ok: 1 },
    { name: '$window refuses a timestamp without a zone', expr: '$window([{"t": "2026-11-22T10:29:00", "v": 1}], "PT5M")', error: 'ExprType' },
    { name: '$window refuses a point without t', expr: '$window([{"v": 1}], "PT5M")', error: 'ExprType' },
    { name: '$window refuses months', expr: '$window(metrics.cpu.points, "P1M")', error: 'ExprRuntime' },
    { name: '$window of nothing is nothing', expr: '$window(metrics.nosuch.points, "PT5M")', ok: undefined },
    { name: '$window wraps a single point', expr: '$window({"t": nowMs, "v": 7}, "PT1M").v', ok: 7 },
    { name: '$duration refuses years', expr: '$duration("P1Y")', error: 'ExprRuntime' },
    { name: '$duration refuses a number', expr: '$duration(5)', error: 'ExprType' },
    { name: '$percentile of nothing is nothing', expr: '$percentile([], 50)', ok: undefined },
    { name: '$percentile at 0 is the minimum', expr: '$percentile([5, 1, 3], 0)', ok: 1 },
    { name: '$percentile at 100 is the maximum', expr: '$percentile([5, 1, 3], 100)', ok: 5 },
    { name: '$percentile of one number', expr: '$percentile([4], 90)', ok: 4 },
    { name: '$percentile refuses p above 100', expr: '$percentile([1, 2], 101)', error: 'ExprRuntime' },
    { name: '$percentile refuses strings', expr: '$percentile(["1", "2"], 50)', error: 'ExprType' },
    { name: '$rate of one point is nothing', expr: '$rate([{"t": 0, "v": 1}])', ok: undefined },
    { name: '$rate of simultaneous points is nothing', expr: '$rate([{"t": 0, "v": 1}, {"t": 0, "v": 5}])', ok: undefined },
    { name: '$rate orders by time, not by position', expr: '$rate([{"t": 60000, "v": 10}, {"t": 0, "v": 4}])', ok: 0.1 },
    { name: '$rate refuses a point without v', expr: '$rate([{"t": 0}, {"t": 1000, "v": 1}])', error: 'ExprType' },
    { name: '$slope of one point is nothing', expr: '$slope([{"t": 0, "v": 1}])', ok: undefined },
    { name: '$slope keeps precision at epoch-millisecond times', expr: '$slope([{"t": nowMs, "v": 1}, {"t": nowMs + 1000, "v": 3}])', ok: 2 },
    { name: '$ewma of nothing is nothing', expr: '$ewma([], 0.5)', ok: undefined },
    { name: '$ewma refuses alpha 0', expr: '$ewma([1, 2], 0)', error: 'ExprRuntime' },
    { name: '$clamp refuses inverted bounds', expr: '$clamp(1, 10, 0)', error: 'ExprRuntime' },
    { name: '$ceilDiv rounds up', expr: '$ceilDiv(1001, 100)', ok: 11 },
    { name: '$ceilDiv of an exact multiple', expr: '$ceilDiv(1000, 100)', ok: 10 },
    { name: '$ceilDiv of a negative quotient', expr: '$ceilDiv(-7, 2)', ok: -3 },
    { name: '$ceilDiv never returns -0', expr: '$string($ceilDiv(-1, 2))', ok: '0' },
    { name: '$ceilDiv refuses division by zero', expr: '$ceilDiv(1, 0)', error: 'ExprRuntime' },
  ];

  it.each(HELPER_CASES)('$name', async (c) => {
    const r = await run(c.expr);
    if ('error' in c) expect(r.ok ? r.value : r.error.code).toBe(c.error);
    else expect(r.ok ? plain(r.value) : r.error).toEqual(c.ok);
  });

  it('places a helper error at the call', async () => {
    const r = await run('1 + $ceilDiv(1, 0)');
    expect(r.ok ? undefined : r.error).toMatchObject({ code: 'ExprRuntime', message: '$ceilDiv: division by zero', position: 4 });
  });

  it.each([
    ['PT5M', 300_000],
    ['PT1H30M', 5_400_000],
    ['P1D', 86_400_000],
    ['P1DT2H', 93_600_000],
    ['P2W', 1_209_600_000],
    ['PT1.5S', 1500],
    ['PT0S', 0],
    ['P1Y', undefined],
    ['P1M', undefined],
    ['P', undefined],
    ['PT', undefined],
    ['P1DT', undefined],
    ['5M', undefined],
    ['-PT5M', undefined],
    ['pt5m', undefined],
  ] as const)('parseIsoDuration(%s) = %s', (iso, ms) => {
    expect(parseIsoDuration(iso)).toBe(ms);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('evaluation never throws and keeps budgets per evaluation', () => {
  it('gives every evaluation of one compiled expression its own budget', async () => {
    const expr = compiled('$sum([1..n].($ * 2 + $ * 3))');
    const evaluate = (n: number) => evaluateExpr(expr, { n }, { now: NOW });
    // Each needs over a third of the budget: one shared counter would fail the third.
    const [a, b, c] = [evaluate(40_000), evaluate(40_000), evaluate(40_000)];
    for (const r of [a, b, c]) expect(r).toMatchObject({ ok: true, value: 4_000_100_000 });
    expect(a.work).toBeGreaterThan(DEFAULT_EXPR_LIMITS.work / 3);
    expect(b.work).toBe(a.work);
    expect(c.work).toBe(a.work);
    const huge = evaluate(99_999);
    expect(huge.ok ? huge.value : huge.error.code).toBe('ExprBudget');
    const small = evaluate(10);
    expect(small).toMatchObject({ ok: true, value: 275 });
    expect(small.work).toBe(evaluate(10).work);
  });

  it('gives $now() and $millis() the evaluation time, never a clock', async () => {
    const expr = compiled('[$millis(), $now()]');
    const [x, y] = [evaluateExpr(expr, {}, { now: 1 }), evaluateExpr(expr, {}, { now: 2 })];
    expect([x.ok && plain(x.value), y.ok && plain(y.value)]).toEqual([
      [1, '1970-01-01T00:00:00.001Z'],
      [2, '1970-01-01T00:00:00.002Z'],
    ]);
  });

  it('stops at the first error: nothing after it runs', async () => {
    let ticks = 0;
    const tick = () => ++ticks;
    const r = await run('[$error("stop"), [1..50000].$tick()]', {}, { tick });
    expect(r.ok ? undefined : r.error.message).toBe('stop');
    expect(ticks).toBe(0);
  });

  it('turns a throwing binding into ExprRuntime', async () => {
    const r = await run('$boom()', {}, {
      boom: () => {
        throw new Error('kaput');
      },
    });
    expect(r.ok ? undefined : r.error).toMatchObject({ code: 'ExprRuntime', message: 'kaput' });
  });

  it('refuses a missing now and a foreign expression object', async () => {
    const r = await evaluateExpr(compiled('1'), {}, { now: Number.NaN });
    expect(r.ok ? undefined : r.error.code).toBe('ExprRuntime');
    const f = await evaluateExpr({ source: '1', ast: {} }, {}, { now: NOW });
    expect(f).toMatchObject({ ok: false, error: { code: 'ExprRuntime' }, work: 0 });
  });

  it('reads a timestamp without an offset as UTC, whatever the host TZ (npm run test:tz runs this under America/St_Johns)', async () => {
    const r = await run('[$toMillis("2026-01-01T10:00:00"), $toMillis("2026-01-01T10:00:00.5"), $toMillis("2026-01-01"), $toMillis("2026-01-01T10:00:00+01:00")]');
    expect(r.ok && plain(r.value)).toEqual([Date.UTC(2026, 0, 1, 10), Date.UTC(2026, 0, 1, 10, 0, 0, 500), Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1, 9)]);
  });

  it('supports the transform operator on a copy: the input is never changed', async () => {
    const input = { metrics: { cpu: { avg: 50 } } };
    const r = await run('($ ~> |metrics.cpu|{"avg": avg * 2}|).metrics.cpu.avg', input);
    expect(r).toMatchObject({ ok: true, value: 100 });
    expect(input.metrics.cpu.avg).toBe(50);
  });
});
