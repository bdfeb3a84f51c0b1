// The shared evaluator's values without result objects, one- and two-argument built-in calls, and the per-signature fast validators give what the general paths give.
import { describe, expect, it } from 'vitest';
import { compileExpr, evaluateCondition, evaluateExpr, evaluateNumber, ExprEvaluator, DEFAULT_EXPR_LIMITS, type CompiledExpr } from '../../src/engine/expr.js';
import { BudgetPool } from '../../src/engine/jsonata/runtime.js';
import { parseSignature } from '../../src/engine/jsonata/signature.js';

const NOW = Date.parse('2026-11-22T10:30:00Z');

function compiled(source: string, limits = DEFAULT_EXPR_LIMITS): CompiledExpr {
  const c = compileExpr(source, limits);
  if (!c.ok) throw new Error(`fixture does not compile: ${c.error.message}`);
  return c.expr;
}

const points = [
  { t: NOW - 240_000, v: 10 },
  { t: NOW - 180_000, v: 12 },
  { t: NOW - 120_000, v: 9 },
  { t: NOW - 60_000, v: 15 },
  { t: NOW, v: 14 },
];
const input = { metrics: { queue: { last: 14, points } }, capacity: { current: 3 }, s: 'text', n: 5, o: { a: 1 } };

// Conditions and capacities over the context, with every kind of outcome: values, wrong types, no value, runtime errors.
const SOURCES = [
  'metrics.queue.last / capacity.current > 4',
  'metrics.queue.last / capacity.current < 50 and ($count(metrics.queue.points) < 2 or $rate(metrics.queue.points) <= 0)',
  '$ceilDiv(metrics.queue.last, 100)',
  '$max([1, $ceilDiv(metrics.queue.last, 4)])',
  '$count(metrics.queue.points)',
  '$count(n)',
  '$count(nothing)',
  '$rate(metrics.queue.points)',
  '$rate(o)',
  '$rate(n)',
  '$rate([o, n])',
  '$max(metrics.queue.points.v)',
  '$max(n)',
  '$max(s)',
  '$max([n, s])',
  '$sum(metrics.queue.points.v) > 10',
  '$ceilDiv(n, 0)',
  '$ceilDiv(s, 2)',
  '$ceilDiv(n)',
  '$ceilDiv(nothing, 2)',
  '$power(n, 2)',
  '$string(n)',
  '$length(s) = 4',
  '$count($map(metrics.queue.points, function($p) { $p.v }))',
  '$round(metrics.queue.last / 3, 2)',
  'n',
  's',
  'nothing',
  'o',
  '$sum([1..10]) / 0',
  '1 / 0',
];

describe('the shared evaluator without result objects', () => {
  it('gives evaluateCondition and evaluateNumber values, errors and work', () => {
    const ev = new ExprEvaluator();
    for (const source of SOURCES) {
      const e = compiled(source);
      for (const [kind, plain, viaEvaluator] of [
        ['condition', evaluateCondition(e, input, { now: NOW }), () => ev.conditionOf(e, input, { now: NOW })],
        ['number', evaluateNumber(e, input, { now: NOW }), () => ev.numberOf(e, input, { now: NOW })],
      ] as const) {
        const value = viaEvaluator();
        expect({ source, kind, ok: value !== undefined, value, work: ev.work, memory: ev.memory }).toEqual({
          source,
          kind,
          ok: plain.ok,
          value: plain.ok ? plain.value : undefined,
          work: plain.work,
          memory: plain.memory,
        });
        if (!plain.ok) expect({ source, kind, error: ev.error }).toEqual({ source, kind, error: plain.error });
      }
      // evaluate() keeps its result objects, equal to evaluateExpr's
      expect(ev.evaluate(e, input, { now: NOW })).toEqual(evaluateExpr(e, input, { now: NOW }));
    }
  });

  it('stops at the same charge for every budget, with the same work reported', () => {
    const ev = new ExprEvaluator();
    for (const source of SOURCES.slice(0, 5)) {
      const e = compiled(source);
      const full = evaluateExpr(e, input, { now: NOW }).work;
      for (let limit = 0; limit <= full + 1; limit++) {
        const a = new BudgetPool('target', limit, 10_000_000);
        const b = new BudgetPool('target', limit, 10_000_000);
        const plain = evaluateNumber(e, input, { now: NOW, budget: a });
        const value = ev.numberOf(e, input, { now: NOW, budget: b });
        expect({ source, limit, ok: value !== undefined, work: ev.work, used: b.workUsed }).toEqual({ source, limit, ok: plain.ok, work: plain.work, used: a.workUsed });
        if (!plain.ok) expect(ev.error).toEqual(plain.error);
      }
    }
  });

  it('goes through evaluateExpr for other limits and options', () => {
    const ev = new ExprEvaluator();
    const limits = { ...DEFAULT_EXPR_LIMITS, work: 3 };
    const e = compiled('$count(metrics.queue.points)', limits);
    const plain = evaluateNumber(e, input, { now: NOW });
    expect(ev.numberOf(e, input, { now: NOW })).toBeUndefined();
    expect(ev.error).toEqual(plain.ok ? undefined : plain.error);
    expect(ev.work).toBe(plain.work);
    expect(ev.conditionOf(compiled('n > 1'), input, { now: Number.NaN })).toBeUndefined();
    expect(ev.error).toMatchObject({ code: 'ExprRuntime' });
  });
});

describe('fast validators of one array or two numbers', () => {
  const values: unknown[] = [
    undefined,
    null,
    0,
    -1.5,
    'x',
    true,
    [],
    [1, 2],
    [1, 'a'],
    ['a'],
    [{ t: 1, v: 2 }],
    [{ t: 1 }, null],
    [{ t: 1 }, [1]],
    [[1], [2]],
    { a: 1 },
    [{ _jsonata_lambda: true }],
    { _jsonata_function: true },
    [undefined],
    () => 1,
  ];
  for (const signature of ['<a:n>', '<a<o>:n>', '<a<n>:n>', '<nn:n>', '<a<s>:n>']) {
    it(`return what validate() returns, or leave it to validate(), for ${signature}`, () => {
      const validator = parseSignature(signature);
      const general = parseSignature(signature, undefined, false);
      expect(general.fast).toBeUndefined();
      const lists: unknown[][] = [[], [undefined, undefined, undefined]];
      for (const a of values) {
        lists.push([a]);
        for (const b of values) lists.push([a, b]);
      }
      for (const args of lists) {
        const fast = validator.fast?.(args);
        if (fast === undefined) continue;
        let expected: unknown;
        try {
          expected = general.validate(args, undefined);
        } catch (err) {
          expected = err;
        }
        expect({ args, fast }).toEqual({ args, fast: expected });
      }
    });
  }
});
