// The JSONata compiler (src/engine/jsonata/compile.ts, index.ts): jsonata's semantics, metering, limits, refusals and errors.
import { describe, expect, it } from 'vitest';
import { compileJsonata, DEFAULT_MAX_CALL_DEPTH } from '../../../src/engine/jsonata/index.js';
import { BudgetExceeded, JsonataError, Meter, type Builtin, type Runtime } from '../../../src/engine/jsonata/runtime.js';

const BIG = 1e12;

function runtime(opts: Partial<{ work: number; memory: number; maxArrayLength: number; maxStringLength: number }> = {}): Runtime {
  return {
    meter: new Meter(opts.work ?? BIG, opts.memory ?? BIG),
    now: Date.UTC(2024, 0, 15, 12, 0, 0),
    maxArrayLength: opts.maxArrayLength ?? 1e7,
    maxStringLength: opts.maxStringLength ?? 1e7,
  };
}

function evaluate(expr: string, input?: unknown, bindings?: Record<string, unknown>, rt: Runtime = runtime()): unknown {
  return compileJsonata(expr).evaluate(input, bindings, rt);
}

/** The error an expression throws (at compile or evaluation time). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('jsonata semantics', () => {
  it('evaluates paths, predicates, operators and functions as jsonata does', () => {
    const data = {
      metrics: { queue: { avg: 60 }, cpu: { points: [{ v: 10 }, { v: 90 }, { v: 40 }] } },
      capacity: { current: 5 },
    };
    expect(evaluate('metrics.queue.avg > 50 and capacity.current < 10', data)).toBe(true);
    expect(evaluate('$max(metrics.cpu.points.v) > 80', data)).toBe(true);
    expect(evaluate('metrics.cpu.points[v > 20].v', data)).toEqual([90, 40]);
    expect(evaluate('metrics.cpu.points[0].v', data)).toBe(10);
    expect(evaluate('metrics.cpu.points^(>v).v', data)).toEqual([90, 40, 10]);
    expect(evaluate('metrics.cpu.points#$i[$i > 0].v', data)).toEqual([90, 40]);
    expect(evaluate('metrics.nothing.here', data)).toBeUndefined();
    expect(evaluate('"n=" & $count(metrics.cpu.points)', data)).toBe('n=3');
    expect(evaluate('$x.a ?? "none"', undefined, { x: { a: 1 } })).toBe(1);
    expect(evaluate('$x.b ?? "none"', undefined, { x: { a: 1 } })).toBe('none');
    expect(evaluate('[1..3] ~> $map(function($v){ $v * 2 }) ~> $sum()')).toBe(12);
    expect(evaluate('($inc := $sum(?); $inc([1, 2]))')).toBe(3);
    expect(evaluate('$$.a', { a: 7 })).toBe(7);
  });

  it('keeps singleton arrays with [] and unwraps singleton sequences otherwise', () => {
    expect(evaluate('a.b', { a: [{ b: 1 }] })).toBe(1);
    expect(evaluate('a.b[]', { a: [{ b: 1 }] })).toEqual([1]);
    expect(evaluate('a.b', { a: [{ b: [1, 2] }, { b: 3 }] })).toEqual([1, 2, 3]);
  });

  it('groups, transforms and chains functions', () => {
    const data = { items: [{ k: 'a', n: 1 }, { k: 'b', n: 2 }, { k: 'a', n: 3 }] };
    expect(evaluate('items{k: $sum(n)}', data)).toEqual({ a: 4, b: 2 });
    expect(evaluate('$ ~> |items[k="a"]|{"seen": true}, ["n"]|', data)).toEqual({
      items: [{ k: 'a', seen: true }, { k: 'b', n: 2 }, { k: 'a', seen: true }],
    });
    // the input is not modified by the transform (it works on a clone)
    expect(data.items[0]).toEqual({ k: 'a', n: 1 });
    expect(evaluate('($double := function($x){ $x * 2 }; $inc := function($x){ $x + 1 }; ($double ~> $inc)(5))')).toBe(11);
  });

  it('binds extra functions from the options in the outermost frame', () => {
    const twice: Builtin = {
      _jsonata_function: true,
      name: 'twice',
      implementation(this: unknown, x: number) {
        return x * 2;
      },
    };
    const compiled = compileJsonata('$twice(21)', { functions: new Map([['twice', twice]]) });
    expect(compiled.evaluate(undefined, undefined, runtime())).toBe(42);
  });
});

describe('metering', () => {
  it('charges more work and memory for more input', () => {
    const expr = compileJsonata('items.($ * 2)');
    const small = runtime();
    const large = runtime();
    expect(expr.evaluate({ items: Array.from({ length: 10 }, (_, i) => i) }, undefined, small)).toHaveLength(10);
    expect(expr.evaluate({ items: Array.from({ length: 1000 }, (_, i) => i) }, undefined, large)).toHaveLength(1000);
    expect(large.meter.work).toBeGreaterThan(50 * small.meter.work);
    expect(large.meter.memory).toBeGreaterThan(20 * small.meter.memory);

    const map = compileJsonata('$map(items, function($x){ $x + 1 })');
    const m10 = runtime();
    const m1000 = runtime();
    map.evaluate({ items: Array.from({ length: 10 }, (_, i) => i) }, undefined, m10);
    map.evaluate({ items: Array.from({ length: 1000 }, (_, i) => i) }, undefined, m1000);
    expect(m1000.meter.work).toBeGreaterThan(50 * m10.meter.work);
  });

  it('refuses a range beyond the budget before allocating it', () => {
    const rt = runtime({ work: 1_000_000, memory: BIG });
    const err = thrown(() => evaluate('$count([1..5000000])', undefined, undefined, rt));
    expect(err).toBeInstanceOf(BudgetExceeded);
    expect((err as BudgetExceeded).kind).toBe('work');
    // the work charge for the whole range came first: no memory was charged for it
    expect(rt.meter.memory).toBe(0);

    const memRt = runtime({ work: BIG, memory: 1_000_000 });
    const memErr = thrown(() => evaluate('[1..5000000]', undefined, undefined, memRt));
    expect(memErr).toBeInstanceOf(BudgetExceeded);
    expect((memErr as BudgetExceeded).kind).toBe('memory');
  });

  it("keeps jsonata's range cap (D2014) and the array and string size limits (U3010, U3011)", () => {
    expect((thrown(() => evaluate('[1..20000000]')) as JsonataError).code).toBe('D2014');
    const arrayErr = thrown(() => evaluate('[1..2000]', undefined, undefined, runtime({ maxArrayLength: 1000 }))) as JsonataError;
    expect(arrayErr).toBeInstanceOf(JsonataError);
    expect(arrayErr.code).toBe('U3010');
    const stringErr = thrown(() =>
      evaluate('$s & $s', undefined, { s: 'x'.repeat(600) }, runtime({ maxStringLength: 1000 })),
    ) as JsonataError;
    expect(stringErr.code).toBe('U3011');
    expect(stringErr.position).toBe(4);
  });

  it('stops a non-terminating tail loop with BudgetExceeded', () => {
    const err = thrown(() => evaluate('($loop := function($n){ $loop($n + 1) }; $loop(0))', undefined, undefined, runtime({ work: 100_000 })));
    expect(err).toBeInstanceOf(BudgetExceeded);
  });
});

describe('recursion', () => {
  it('reports deep non-tail recursion as U1001', () => {
    const err = thrown(() => evaluate('($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))')) as JsonataError;
    expect(err).toBeInstanceOf(JsonataError);
    expect(err.code).toBe('U1001');
    expect(err.message).toMatch(/Stack overflow/);
    // just inside the limit works
    expect(evaluate(`($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(${DEFAULT_MAX_CALL_DEPTH - 10}))`)).toBe(DEFAULT_MAX_CALL_DEPTH - 10);
  });

  it('turns a JS stack overflow into U1001 too', () => {
    const compiled = compileJsonata('($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000000))', { maxCallDepth: 10_000_000 });
    const err = thrown(() => compiled.evaluate(undefined, undefined, runtime())) as JsonataError;
    expect(err.code).toBe('U1001');
  });

  it('runs tail recursion 10,000 deep without consuming depth', () => {
    expect(evaluate('($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(10000, 0))')).toBe(10000);
    expect(
      evaluate(`(
        $even := function($n) { $n = 0 ? true : $odd($n - 1) };
        $odd := function($n) { $n = 0 ? false : $even($n - 1) };
        $even(10000)
      )`),
    ).toBe(true);
  });
});

describe('compile-time refusals and errors', () => {
  it('refuses a reference to a refused function, with its position', () => {
    const err = thrown(() => compileJsonata('1 + $random()')) as JsonataError;
    expect(err).toBeInstanceOf(JsonataError);
    expect(err.code).toBe('U3003');
    expect(err.position).toBe(11);
    expect(err.token).toBe('random');
    expect((thrown(() => compileJsonata('$map([1], $eval)')) as JsonataError).code).toBe('U3003');
    expect((thrown(() => compileJsonata('[3,1,2] ~> $shuffle')) as JsonataError).code).toBe('U3003');
  });

  it("accepts the name when the expression binds it itself", () => {
    expect(evaluate('($random := function(){ 4 }; $random())')).toBe(4);
    expect(evaluate('(function($eval){ $eval + 1 })(2)')).toBe(3);
  });

  it("keeps jsonata's syntax errors: code, position and token", () => {
    const err = thrown(() => compileJsonata('a +')) as JsonataError;
    expect(err).toBeInstanceOf(JsonataError);
    expect(err.code).toBe('S0207');
    expect(err.position).toBe(3);
    expect(err.token).toBe('(end)');
    expect(err.message).toBe('Unexpected end of expression');
    const err2 = thrown(() => compileJsonata('{"a": 1')) as JsonataError;
    expect(err2.code).toBe('S0203');
    expect(thrown(() => compileJsonata('"abc')) as JsonataError).toMatchObject({ code: 'S0101' });
  });

  it('refuses a regex RE2 cannot run, with its position', () => {
    const err = thrown(() => compileJsonata('$match("aa", /(a)\\1/)')) as JsonataError;
    expect(err.code).toBe('U3001');
    expect(err.position).toBeGreaterThan(0);
    expect(evaluate('$match("abcab", /a(b)/).groups')).toEqual(['b', 'b']);
  });

  it('refuses an expression nested deeper than maxAstDepth', () => {
    const deep = '('.repeat(50) + '1' + ')'.repeat(50);
    expect((thrown(() => compileJsonata(deep, { maxAstDepth: 20 })) as JsonataError).code).toBe('U3002');
    expect(compileJsonata(deep).evaluate(undefined, undefined, runtime())).toBe(1);
  });

  it("reports evaluation errors with jsonata's code, position, token and message", () => {
    const err = thrown(() => evaluate('1 + "a"')) as JsonataError;
    expect(err).toBeInstanceOf(JsonataError);
    expect(err).toMatchObject({ code: 'T2002', position: 3, token: '+' });
    expect(err.message).toBe('The right side of the "+" operator must evaluate to a number');
    expect(thrown(() => evaluate('$undefinedFn(1)'))).toMatchObject({ code: 'T1006', token: 'undefinedFn' });
    expect(thrown(() => evaluate('(function($x)<n:n>{ $x })("a")'))).toMatchObject({ code: 'T0410' });
  });
});
