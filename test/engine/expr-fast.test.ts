// The fast path for numeric rule expressions (src/engine/expr-fast.ts) against the JSONata closures: same value, work, memory and budget use, or it bails having charged nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpr, ExprEvaluator, type CompiledExpr } from '../../src/engine/expr.js';
import { BAIL, compileFast } from '../../src/engine/expr-fast.js';
import { summarizeSortedWindow, type MetricSummary, type Point } from '../../src/engine/metrics.js';
import { BudgetPool } from '../../src/engine/jsonata/runtime.js';
import { REQUEST_MEMORY, REQUEST_WORK } from '../../src/engine/expr-budgets.js';
import { loadRuleSet, type CompiledRule, type CompiledRuleSet } from '../../src/engine/ruleset.js';
import { decide } from '../../src/engine/decide.js';

const NOW = Date.parse('2026-11-22T10:30:00Z');

function compiled(source: string): CompiledExpr {
  const c = compileExpr(source);
  if (!c.ok) throw new Error(`${source}: ${c.error.message}`);
  return c.expr;
}

/** The context evaluateRule gives an expression (conditions.ts), around these summaries and capacity. */
function contextOf(metrics: Record<string, MetricSummary>, capacity: { current: number; minimum: number; maximum: number; default: number }) {
  return {
    now: new Date(NOW).toISOString(),
    nowMs: NOW,
    window: 'PT5M',
    target: { id: 't', labels: {} },
    capacity,
    metrics,
    state: { version: 1, cooldownUntil: {} },
    rule: { id: 'r', direction: 'out' },
  };
}

// ---------------------------------------------------------------------------------------------------
// Generated expressions in (and near) the subset

const METRICS = ['cpu', 'queue'] as const;
const FIELDS = ['last', 'first', 'avg', 'min', 'max', 'sum', 'count'] as const;

const numberLeaf = fc.oneof(
  fc.integer({ min: 0, max: 200 }).map(String),
  fc.integer({ min: 0, max: 4 }).map(String), // small: equal to counts and capacities often
  fc.constantFrom('0', '0.5', '1e3', '2.25', '100'),
  fc.tuple(fc.constantFrom(...METRICS), fc.constantFrom(...FIELDS)).map(([m, f]) => `metrics.${m}.${f}`),
  fc.constantFrom('capacity.current', 'capacity.minimum', 'capacity.maximum', 'capacity.default', 'nowMs'),
  fc.constantFrom(...METRICS).map((m) => `$count(metrics.${m}.points)`),
  fc.constantFrom(...METRICS).map((m) => `$rate(metrics.${m}.points)`),
  fc.tuple(fc.constantFrom('max', 'min', 'sum', 'average'), fc.constantFrom(...METRICS)).map(([f, m]) => `$${f}(metrics.${m}.points.v)`),
  // just outside: the closures alone evaluate these (the program is not compiled, or the run bails)
  fc.constantFrom('metrics.cpu.points[0].v', '$percentile(metrics.cpu.points.v, 90)', '$count(metrics.cpu.points.v)', '$abs(-3)', 'metrics.nothing.last', 'state.missingCount'),
);

const { num, bool } = fc.letrec<{ num: string; bool: string }>((tie) => ({
  num: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberLeaf,
    fc.tuple(tie('num'), fc.constantFrom('+', '-', '*', '/', '%'), tie('num')).map(([l, op, r]) => `(${l} ${op} ${r})`),
    tie('num').map((x) => `-${x}`),
    fc.tuple(tie('num'), tie('num')).map(([a, b]) => `$ceilDiv(${a}, ${b})`),
    fc.tuple(fc.constantFrom('max', 'min'), fc.array(tie('num'), { minLength: 1, maxLength: 3 })).map(([f, xs]) => `$${f}([${xs.join(', ')}])`),
    fc.tuple(tie('bool'), tie('num'), tie('num')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
  ),
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(tie('num'), fc.constantFrom('<', '<=', '>', '>=', '=', '!='), tie('num')).map(([l, op, r]) => `${l} ${op} ${r}`),
    fc.tuple(tie('bool'), fc.constantFrom('and', 'or'), tie('bool')).map(([l, op, r]) => `(${l} ${op} ${r})`),
    fc.constantFrom('true', 'false'),
    fc.tuple(tie('bool'), fc.constantFrom('=', '!='), tie('bool')).map(([l, op, r]) => `(${l}) ${op} (${r})`),
  ),
}));

/** The rule's window. */
const WINDOW_MS = 10 * 60_000;

/**
 * A series as RuleInputs holds it (sorted by t, none after now): 0–14 one-minute points ending at now
 * or a little before, so the 10-minute window holds anything from none to all of them, and sometimes
 * two points share a time (as the clock-skew tolerance makes them at `now`).
 */
const series = fc.option(
  fc
    .tuple(
      fc.array(fc.oneof(fc.integer({ min: -50, max: 500 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(0)), { minLength: 0, maxLength: 14 }),
      fc.integer({ min: 0, max: 12 }),
      fc.boolean(),
    )
    .map(([vs, minutesBefore, twin]) => {
      const end = NOW - minutesBefore * 60_000;
      const points: Point[] = vs.map((v, i) => ({ t: end - (vs.length - 1 - i) * 60_000, v }));
      if (twin && points.length > 0) points.push({ t: points[points.length - 1]!.t, v: vs[0]! + 1 });
      return points;
    }),
  { freq: 6, nil: undefined },
);

/** The window's summaries of these series, as ContextCache builds them for the closures. */
function summariesOf(all: Map<string, Point[]>): Record<string, MetricSummary> {
  const metrics: Record<string, MetricSummary> = {};
  for (const [name, points] of all) {
    const s = summarizeSortedWindow(points, NOW, WINDOW_MS);
    if (s) metrics[name] = s;
  }
  return metrics;
}

const capacity = fc.record({
  current: fc.integer({ min: 0, max: 40 }),
  minimum: fc.integer({ min: 0, max: 3 }),
  maximum: fc.integer({ min: 10, max: 50 }),
  default: fc.integer({ min: 1, max: 5 }),
});

/** The target's remaining budget: mostly plenty, sometimes little, so that some evaluations run out part way. */
const remaining = fc.oneof({ arbitrary: fc.constant(Infinity), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 120 }), weight: 2 });

function pool(work: number): BudgetPool {
  const request = new BudgetPool('request', REQUEST_WORK, REQUEST_MEMORY);
  return new BudgetPool('target', Number.isFinite(work) ? work : REQUEST_WORK, REQUEST_MEMORY, request);
}

describe('the fast path for numeric rule expressions', () => {
  it('gives the value, work, memory and budget use the JSONata closures give, or bails having charged nothing', () => {
    let fast = 0;
    let bailed = 0;
    let outside = 0;
    fc.assert(
      fc.property(fc.oneof(bool, num), series, series, capacity, remaining, (source, cpu, queue, cap, left) => {
        const expr = compiled(source);
        const program = compileFast(expr.ast);
        if (program === undefined) {
          outside++;
          return;
        }
        const all = new Map<string, Point[]>();
        if (cpu) all.set('cpu', cpu);
        if (queue) all.set('queue', queue);
        const metrics = summariesOf(all);
        // A metric the expression reads without data in the window: the rule is MissingData before
        // any evaluation (conditions.ts); the fast path must bail then.
        const missing = program.metrics.some((m) => metrics[m] === undefined);
        const general = new ExprEvaluator();
        const generalPool = pool(left);
        const opts = { now: NOW, budget: generalPool };
        const expected = program.boolean ? general.conditionOf(expr, contextOf(metrics, cap), opts) : general.numberOf(expr, contextOf(metrics, cap), opts);

        const evaluator = new ExprEvaluator();
        const fastPool = pool(left);
        const got = evaluator.fastOf(expr, program, all, WINDOW_MS, cap, { now: NOW, budget: fastPool });
        if (missing) expect(got).toBe(BAIL);
        if (got === BAIL) {
          bailed++;
          expect([fastPool.workUsed, fastPool.memoryUsed, fastPool.parent!.workUsed]).toEqual([0, 0, 0]);
          return;
        }
        fast++;
        expect(got).toBe(expected);
        expect([evaluator.work, evaluator.memory]).toEqual([general.work, general.memory]);
        expect([fastPool.workUsed, fastPool.memoryUsed, fastPool.parent!.workUsed]).toEqual([generalPool.workUsed, generalPool.memoryUsed, generalPool.parent!.workUsed]);
      }),
      { numRuns: 6_000 },
    );
    // Not vacuous: most generated expressions ran on the fast path, and each way out was taken.
    expect(fast).toBeGreaterThan(1_500);
    expect(bailed).toBeGreaterThan(200);
    expect(outside).toBeGreaterThan(200);
  });

  it("each operator below, at and above its operand: the closures' answer", () => {
    const all = new Map([
      [
        'queue',
        [
          { t: NOW - 60_000, v: 3 },
          { t: NOW, v: 3 },
        ],
      ],
    ]);
    const metrics = summariesOf(all);
    for (const op of ['<', '<=', '>', '>=', '=', '!=', '+', '-', '*', '/', '%']) {
      for (const current of [2, 3, 4]) {
        const cap = { current, minimum: 0, maximum: 10, default: 1 };
        const source = `metrics.queue.last ${op} capacity.current`;
        const expr = compiled(source);
        const program = compileFast(expr.ast)!;
        const evaluator = new ExprEvaluator();
        const expected = program.boolean ? evaluator.conditionOf(expr, contextOf(metrics, cap), { now: NOW }) : evaluator.numberOf(expr, contextOf(metrics, cap), { now: NOW });
        expect(evaluator.fastOf(expr, program, all, WINDOW_MS, cap, { now: NOW }), `${source} at ${current}`).toBe(expected);
      }
    }
  });

  it("compiles the bundled queue-workers expressions and aggregates of a metric's values, and not what reads anything but numbers", () => {
    for (const source of [
      'metrics.queue.last / capacity.current > 100',
      'metrics.queue.last / capacity.current < 50 and ($count(metrics.queue.points) < 2 or $rate(metrics.queue.points) <= 0)',
      '$ceilDiv(metrics.queue.last, 100)',
      '$max([1, $ceilDiv(metrics.queue.last, 100)])',
      '$max(metrics.cpu.points.v) > 90',
      '$average(metrics.cpu.points.v) < $sum(metrics.queue.points.v)',
    ]) {
      expect(compileFast(compiled(source).ast), source).toBeDefined();
    }
    for (const source of [
      '$percentile(metrics.cpu.points.v, 90) > 90',
      '$max(metrics.cpu.points.t) > 0',
      'metrics.cpu.points[v > 2]',
      'state.missingCount > 2',
      '$x := 1',
      'window = "PT5M"',
      '$string(1)',
      '"a" < "b"',
      '[1, 2]',
    ]) {
      expect(compileFast(compiled(source).ast), source).toBeUndefined();
    }
  });

  it('bails where the closures report an error: division by zero in $ceilDiv, $rate of one point, a non-finite result', () => {
    const all = new Map([['queue', [{ t: NOW, v: 5 }]]]);
    const one = summariesOf(all).queue!;
    const cap = { current: 0, minimum: 0, maximum: 10, default: 1 };
    for (const source of [
      '$ceilDiv(metrics.queue.last, capacity.current)',
      '$rate(metrics.queue.points) <= 0',
      'metrics.queue.last / capacity.current',
      '(1 / capacity.current) + 1',
    ]) {
      const expr = compiled(source);
      const program = compileFast(expr.ast)!;
      const evaluator = new ExprEvaluator();
      expect(evaluator.fastOf(expr, program, all, WINDOW_MS, cap, { now: NOW }), source).toBe(BAIL);
      const general = program.boolean
        ? evaluator.conditionOf(expr, contextOf({ queue: one }, cap), { now: NOW })
        : evaluator.numberOf(expr, contextOf({ queue: one }, cap), { now: NOW });
      // what the rule then reports is the closures' own error ($rate's undefined <= 0 is no boolean)
      expect(general, source).toBeUndefined();
      expect(evaluator.error?.code, source).toMatch(/^Expr/);
    }
  });
});

describe('the context of expressions the fast path leaves to the closures', () => {
  // The context's `state` is written from the target's timers when the first context is made
  // (conditions.ts), so a rule set whose expressions all run on the fast path never writes it.
  const spec = {
    id: 'state-reader',
    capacity: { minimum: 1, maximum: 10, default: 2 },
    cooldown: 'PT5M',
    rules: [
      { id: 'fast', direction: 'out', when: { expr: 'metrics.cpu.last > 1000' }, action: { type: 'ChangeCount', value: 1 } },
      {
        id: 'reads-state',
        direction: 'out',
        when: { expr: 'state.cooldownUntil.in = "2026-11-22T10:40:00Z" and state.lastScale.to = 3' },
        action: { type: 'ChangeCount', value: 2 },
      },
    ],
  };
  const state = {
    version: 1 as const,
    lastScale: { at: '2026-11-22T10:20:00Z', direction: 'in' as const, rule: 'x', from: 4, to: 3 },
    cooldownUntil: { in: '2026-11-22T10:40:00Z' },
  };

  it("sees the previous decision's state as the decision writes it, and only the fast rule compiles to the fast path", async () => {
    const loaded = loadRuleSet(spec);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const [fastRule, stateRule] = loaded.ruleSet.defaultProfile.rules;
    expect(fastRule!.prepared?.fastCondition).toBeDefined();
    expect(stateRule!.prepared?.fastCondition).toBeUndefined();
    const d = decide(loaded.ruleSet, { id: 't', capacity: 3, metrics: { cpu: 50 }, state }, NOW);
    expect(d.trace.rules.map((r) => [r.rule, r.status])).toEqual([
      ['fast', 'NotMet'],
      ['reads-state', 'Fired'],
    ]);
    const without = decide(loaded.ruleSet, { id: 't', capacity: 3, metrics: { cpu: 50 } }, NOW);
    expect(without.trace.rules[1]!.status).toBe('NotMet');
  });
});

describe('decide() with and without the fast path', () => {
  /** The same compiled rule set with no fast programs: every expression runs on the closures. */
  function withoutFastPath(ruleSet: CompiledRuleSet): CompiledRuleSet {
    const strip = (cr: CompiledRule): CompiledRule => ({ ...cr, prepared: { ...cr.prepared!, fastCondition: undefined, fastCapacity: undefined } });
    const rules = ruleSet.defaultProfile.rules.map(strip);
    return { ...ruleSet, rules, defaultProfile: { ...ruleSet.defaultProfile, rules } };
  }

  const direction = fc.constantFrom('out', 'in');
  const rule = fc
    .tuple(bool, fc.option(num, { nil: undefined }), direction, fc.option(fc.constantFrom('PT2M', 'PT5M', 'PT30M'), { nil: undefined }))
    .map(([when, capacity, dir, window]) => ({
      direction: dir,
      when: window === undefined ? { expr: when } : { expr: when, window },
      action: capacity === undefined ? { type: 'ChangeCount', value: 1 } : { type: 'Expression', expr: capacity },
    }));

  it('gives the same decision, id, trace (work included) and state, on generated rule sets, series and budgets', () => {
    let fastRules = 0;
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 3 }), series, series, fc.integer({ min: 0, max: 40 }), (rules, cpu, queue, current) => {
        const spec = {
          id: 'generated',
          capacity: { minimum: 1, maximum: 30, default: 2 },
          cooldown: 'PT5M',
          defaultWindow: 'PT10M',
          rules: rules.map((r, i) => ({ ...r, id: `r${i}` })),
        };
        const loaded = loadRuleSet(spec);
        if (!loaded.ok) return; // an expression the schema refuses (a capacity that is a boolean, …)
        fastRules += loaded.ruleSet.defaultProfile.rules.filter((r) => r.prepared?.fastCondition !== undefined).length;
        const metrics: Record<string, Point[]> = {};
        if (cpu) metrics.cpu = cpu;
        if (queue) metrics.queue = queue;
        const target = { id: 't', capacity: current, metrics };
        const fast = decide(loaded.ruleSet, target, NOW);
        const closures = decide(withoutFastPath(loaded.ruleSet), target, NOW);
        expect(fast).toEqual(closures);
      }),
      { numRuns: 1_500 },
    );
    expect(fastRules).toBeGreaterThan(300);
  });
});
