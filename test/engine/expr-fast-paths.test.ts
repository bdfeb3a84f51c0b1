// The evaluator's fast paths give what the general ones give: field readers, unrolled paths, built-in calls, bulk charges, the shared evaluator, sorted windows.
import { describe, expect, it } from 'vitest';
import { compileExpr, evaluateExpr, ExprEvaluator, DEFAULT_EXPR_LIMITS, type CompiledExpr } from '../../src/engine/expr.js';
import { BudgetPool } from '../../src/engine/jsonata/runtime.js';
import { summarizeSortedWindow, summarizeWindow, type Point } from '../../src/engine/metrics.js';

const NOW = Date.parse('2026-11-22T10:30:00Z');

function compiled(source: string, limits = DEFAULT_EXPR_LIMITS): CompiledExpr {
  const c = compileExpr(source, limits);
  if (!c.ok) throw new Error(`fixture does not compile: ${c.error.message}`);
  return c.expr;
}

const value = (source: string, input: unknown) => {
  const r = evaluateExpr(compiled(source), input, { now: NOW });
  if (!r.ok) throw new Error(`${source}: ${r.error.code} ${r.error.message}`);
  return r.value;
};

describe('field reads', () => {
  // `last` and `id` have readers of their own; `queue` and `other` go through the generic one.
  for (const name of ['last', 'id', 'queue', 'other']) {
    it(`reads only own fields of plain objects, for "${name}" at every depth`, () => {
      expect(value(name, { [name]: 1 })).toBe(1);
      expect(value(`a.${name}`, { a: { [name]: 2 } })).toBe(2);
      expect(value(`a.b.${name}`, { a: { b: { [name]: 3 } } })).toBe(3);
      expect(value(`a.b.c.${name}`, { a: { b: { c: { [name]: 4 } } } })).toBe(4);
      // inherited: not a field
      expect(value(`a.${name}`, { a: Object.create({ [name]: 5 }) })).toBeUndefined();
      expect(value(`a.b.${name}`, { a: { b: Object.create({ [name]: 5 }) } })).toBeUndefined();
      // an object without a prototype
      const bare = Object.create(null) as Record<string, unknown>;
      bare[name] = 6;
      expect(value(`a.${name}`, { a: bare })).toBe(6);
      // a function value's fields are not data
      expect(value(`a.${name}`, { a: { _jsonata_function: true, [name]: 7 } })).toBeUndefined();
      expect(value(`a.b.${name}`, { a: { b: { _jsonata_lambda: true, [name]: 7 } } })).toBeUndefined();
      // a missing step
      expect(value(`a.b.${name}`, { a: {} })).toBeUndefined();
      expect(value(`a.b.${name}`, { a: 1 })).toBeUndefined();
    });
  }

  it('never reads what Object.prototype has, even when a name is added to it', () => {
    expect(value('a.constructor', { a: {} })).toBeUndefined();
    expect(value('a.b.toString', { a: { b: {} } })).toBeUndefined();
    Object.defineProperty(Object.prototype, 'last', { value: 9, configurable: true, writable: true });
    try {
      expect(value('a.last', { a: {} })).toBeUndefined();
      expect(value('a.b.last', { a: { b: {} } })).toBeUndefined();
      expect(value('a.b.last', { a: { b: { last: 8 } } })).toBe(8);
    } finally {
      delete (Object.prototype as { last?: unknown }).last;
    }
  });

  it('hands arrays met on the way to the general path loop', () => {
    expect(value('a.b.last', { a: [{ b: { last: 1 } }, { b: { last: 2 } }] })).toEqual([1, 2]);
    expect(value('a.b.last', { a: { b: [{ last: 1 }, { last: 2 }] } })).toEqual([1, 2]);
    expect(value('a.b', { a: { b: [1, 2, 3] } })).toEqual([1, 2, 3]);
    expect(value('metrics.q.points.v', { metrics: { q: { points: [{ v: 1 }, { v: 2 }] } } })).toEqual([1, 2]);
  });
});

describe('calls of known built-ins', () => {
  it('validate their arguments as jsonata does, with the same codes and positions', () => {
    const err = (source: string, input: unknown = {}) => {
      const r = evaluateExpr(compiled(source), input, { now: NOW });
      return r.ok ? r.value : { code: r.error.jsonataCode ?? r.error.code, position: r.error.position, token: r.error.token };
    };
    expect(err('$count([1, 2, 3])')).toBe(3);
    expect(err('$max(a)', { a: [3, 9, 4] })).toBe(9);
    expect(err('$max(a)', { a: 5 })).toBe(5);
    expect(err('$max(a)', { a: ['x'] })).toMatchObject({ code: 'T0412', token: 'max' });
    expect(err('$ceilDiv(7, 2)')).toBe(4);
    expect(err('$ceilDiv("7", 2)')).toMatchObject({ code: 'T0410', token: 'ceilDiv' });
    expect(err('$ceilDiv(7)')).toMatchObject({ code: 'T0410', token: 'ceilDiv' });
    expect(err('$rate(p)', { p: [{ t: NOW - 60_000, v: 1 }, { t: NOW, v: 4 }] })).toBeCloseTo(0.05);
    expect(err('$rate(p)', { p: [{ t: NOW - 60_000, v: 1 }, 3] })).toMatchObject({ code: 'T0412', token: 'rate' });
    expect(err('$rate(p)', { p: [{ t: NOW - 60_000, v: 1 }, { t: NOW, v: 'x' }] })).toMatchObject({ code: 'ExprType', token: 'rate' });
    expect(err('$rate(p)', { p: [{ t: NOW - 60_000, v: 1 }, { t: '2026-11-22T10:30:00Z', v: 4 }] })).toBeCloseTo(0.05);
    // a function argument is wrapped before the signature refuses it
    expect(err('$count(function($x){$x})')).toBe(1);
    expect(err('$ceilDiv(function($x){$x}, 2)')).toMatchObject({ code: 'T0410' });
    expect(err('$map([1, 2], function($x){$x * 2})')).toEqual([2, 4]);
  });
});

describe('charges made in one go', () => {
  // `a.b.c` reaching an array: the path's 4 units, then 3 + 1 (one-item step), 3 + 1, and 3 for the array's step.
  const input = { a: { b: { c: [1, 2, 3] } } };
  it('charge exactly what the charges one by one would, and run out where they would', () => {
    const full = evaluateExpr(compiled('a.b.c'), input, { now: NOW });
    expect(full).toMatchObject({ ok: true, work: 15 });
    for (let work = 1; work <= 15; work++) {
      const r = evaluateExpr(compiled('a.b.c', { ...DEFAULT_EXPR_LIMITS, work }), input, { now: NOW });
      // the charges, in order: 4, 3, 1, 3, 1, 3; a run stops before the first that does not fit
      const expected = [4, 7, 8, 11, 12, 15].filter((w) => w <= work).pop() ?? 0;
      expect(r.work).toBe(expected);
      expect(r.ok).toBe(work >= 15);
    }
  });
});

describe('the shared evaluator', () => {
  it('gives evaluateExpr results and charges each evaluation to the pools of its own options', () => {
    const ev = new ExprEvaluator();
    const a = new BudgetPool('target', 1_000_000, 10_000_000);
    const b = new BudgetPool('target', 1_000_000, 10_000_000);
    const e = compiled('$sum([1..100])');
    const input = {};
    const ra = ev.evaluate(e, input, { now: NOW, budget: a });
    const rb = ev.evaluate(e, input, { now: NOW, budget: b });
    const rn = ev.evaluate(e, input, { now: NOW });
    const plain = evaluateExpr(e, input, { now: NOW });
    expect(ra).toEqual(plain);
    expect(rb).toEqual(plain);
    expect(rn).toEqual(plain);
    expect(a.workUsed).toBe(plain.work);
    expect(b.workUsed).toBe(plain.work);
    // a pool that runs out stops its own evaluation only
    const small = new BudgetPool('target', 10, 10_000_000);
    const rs = ev.evaluate(e, input, { now: NOW, budget: small });
    expect(rs.ok ? 'finished' : rs.error).toMatchObject({ code: 'ExprBudget', budget: { level: 'target', kind: 'work', limit: 10 } });
    expect(ev.evaluate(e, input, { now: NOW, budget: b })).toEqual(plain);
    expect(ev.evaluate(compiled('$now()'), input, { now: NOW + 1000 })).toMatchObject({ ok: true, value: new Date(NOW + 1000).toISOString() });
  });
});

describe('sorted windows', () => {
  it('summarize exactly what the scan of the whole series summarizes', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 500; round++) {
      const n = Math.floor(rand() * 40);
      const points: Point[] = [];
      let t = NOW - Math.floor(rand() * 40) * 60_000;
      for (let i = 0; i < n; i++) {
        // repeated times, gaps, and points after now
        t += rand() < 0.2 ? 0 : Math.floor(rand() * 3) * 60_000;
        points.push({ t, v: Math.round(rand() * 100) });
      }
      const windowMs = Math.floor(rand() * 45) * 60_000;
      expect(summarizeSortedWindow(points, NOW, windowMs)).toEqual(summarizeWindow(points, NOW, windowMs));
    }
  });
});
