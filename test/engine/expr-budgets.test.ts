// Expression budgets at their three levels (expression, target, request) and the determinism rule, through decide() and evaluateBatch().
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { compileExpr, evaluateExpr } from '../../src/engine/expr.js';
import { EXPRESSION_WORK, REQUEST_WORK, TARGET_WORK } from '../../src/engine/expr-budgets.js';
import { BudgetPool } from '../../src/engine/jsonata/runtime.js';
import { evaluateBatch } from '../../src/service/batch.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { loadRuleSet } from '../../src/engine/ruleset.js';
import { compile, ruleSet, T0, flat } from '../helpers.js';

/**
 * About 270,000 units: a 30,000-item range, a map over it and a sum. Three of these fit an
 * expression's budget; a target's budget holds ~14, a request's ~55.
 */
const HEAVY = '$sum([1..30000].($ * 2)) > 0';

function exprRule(id: string, expr: string, direction: 'out' | 'in' = 'out') {
  return { id, direction, when: { expr }, action: { type: 'ChangeCount' as const, value: 1 } };
}

describe('the expression budget', () => {
  it('stops one expression that does more than its own budget and names the level', () => {
    const c = compileExpr('[1..4].$sum([1..99999].($ * 2))');
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    const r = evaluateExpr(c.expr, {}, { now: T0 });
    expect(r.ok ? 'finished' : r.error).toMatchObject({ code: 'ExprBudget', budget: { level: 'expression', kind: 'work', limit: EXPRESSION_WORK } });
    expect(r.work).toBeLessThanOrEqual(EXPRESSION_WORK + 1);
  });

  it('lets an expression under its budget finish, charging work that grows with its input', () => {
    const c = compileExpr('$sum([1..n].($ * 2))');
    if (!c.ok) throw new Error('fixture');
    const small = evaluateExpr(c.expr, { n: 1000 }, { now: T0 });
    const large = evaluateExpr(c.expr, { n: 90_000 }, { now: T0 });
    expect(small).toMatchObject({ ok: true, value: 1_001_000 });
    expect(large).toMatchObject({ ok: true, value: 8_100_090_000 });
    expect(large.work).toBeGreaterThan(small.work * 50);
  });

  it('charges allocation to the memory budget', () => {
    const c = compileExpr('[1..n]');
    if (!c.ok) throw new Error('fixture');
    const r = evaluateExpr(c.expr, { n: 50_000 }, { now: T0 });
    expect(r.ok).toBe(true);
    expect(r.memory).toBeGreaterThanOrEqual(50_000 * 8);
  });
});

describe('the target budget', () => {
  it('stops the rules of one target once they have used its budget together; the target is still decided', async () => {
    const rules = Array.from({ length: 30 }, (_, i) => exprRule(`heavy-${i}`, HEAVY));
    const d = await decide(compile(ruleSet(rules)), { id: 't', capacity: 3, metrics: {} }, T0);
    const statuses = d.trace.rules.map((r) => r.status);
    const fired = statuses.filter((s) => s === 'Fired').length;
    const errors = d.trace.rules.filter((r) => r.status === 'RuleError');
    // Each rule alone fits its own budget; together they run out of the target's.
    expect(fired).toBeGreaterThan(5);
    expect(fired).toBeLessThan(30);
    expect(errors.length).toBe(30 - fired);
    expect(errors[0]!.error).toMatchObject({ code: 'ExprBudget', budget: { level: 'target', limit: TARGET_WORK }, path: expect.stringContaining('when.expr') });
    // The rules that ran still decide: any fired out-rule scales out by 1.
    expect(d.action).toBe('scaleOut');
    expect(d.to).toBe(4);
  });
});

describe('the request budget', () => {
  it('bounds a batch whatever its number of targets × rules, and every target still gets an answer', async () => {
    const heavySet = ruleSet(Array.from({ length: 12 }, (_, i) => exprRule(`heavy-${i}`, HEAVY)));
    const targets = Array.from({ length: 12 }, (_, i) => ({ id: `hostile-${i}`, capacity: 3, ruleSet: { ...heavySet, id: `heavy-${i}` }, metrics: {} }));
    targets.push({ id: 'innocent', capacity: 4, ruleSet: 'web-tier' as never, metrics: { cpu: flat(90) } as never });
    const outcome = await evaluateBatch({ now: new Date(T0).toISOString(), targets }, resolveBundled, T0);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.results).toHaveLength(13);
    expect(outcome.decided).toBe(13);
    const errors = outcome.results.flatMap((r) => (r.ok ? r.decision.trace.rules.filter((t) => t.status === 'RuleError') : []));
    const levels = new Set(errors.map((t) => t.error?.budget?.level));
    expect(levels.has('request')).toBe(true);
    const work = outcome.results.flatMap((r) => (r.ok ? r.decision.trace.rules.map((t) => (t.condition.kind === 'expression' ? t.condition.work ?? 0 : 0)) : []));
    expect(work.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(REQUEST_WORK + 12 * 13);
    // The innocent target's metric rules need no expression budget: it is decided on its data.
    const innocent = outcome.results.at(-1)!;
    expect(innocent.ok && innocent.decision.action).toBe('scaleOut');
  });

  it('shares one pool: a target pool cannot give more than its request has left', () => {
    const request = new BudgetPool('request', 1000, 1000);
    const target = new BudgetPool('target', 800, 800, request);
    request.add(900, 0);
    expect(target.workLeft).toBe(100);
    expect(target.binding('work').level).toBe('request');
  });
});

describe('determinism', () => {
  it.each([
    ['$random()', 0],
    ['$shuffle([1, 2, 3])[0] > 1', 0],
    ['capacity.current > 1 and $random() < 0.5', 25],
  ])('refuses %s when compiled, with the position of the call', (source, position) => {
    const c = compileExpr(source);
    expect(c.ok ? 'compiled' : c.error).toMatchObject({ code: 'ExprRefused', position });
  });

  it('refuses a rule set using $random at validation, naming the rule', () => {
    const r = loadRuleSet(ruleSet([exprRule('coin', '$random() < 0.5')]));
    expect(r.ok ? 'valid' : r.issues[0]).toMatchObject({ code: 'ExprRefused', path: expect.stringContaining('rules[0].when.expr') });
  });

  it('binds $now() and $millis() to the request time: the same request gives the same decision and id', async () => {
    const spec = ruleSet([exprRule('clock', '$millis() = nowMs and $substring($now(), 0, 4) = "2026"')]);
    const body = { now: new Date(T0).toISOString(), targets: [{ id: 'a', capacity: 2, ruleSet: spec, metrics: {} }] };
    const first = await evaluateBatch(structuredClone(body), resolveBundled, T0 + 5_000);
    const second = await evaluateBatch(structuredClone(body), resolveBundled, T0 + 99_000);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(JSON.stringify(second.results)).toBe(JSON.stringify(first.results));
    expect(first.results[0]!.ok && first.results[0]!.decision.action).toBe('scaleOut');
  });
});
