// Azure autoscale semantics, one describe per rule of the foundation issue, each citing the Azure passage it follows.
import { describe, expect, it } from 'vitest';
import { aggregateTrigger } from '../../src/engine/metrics.js';
import { capacityFromAction } from '../../src/engine/actions.js';
import type { Action } from '../../src/schema.js';
import { compile, flat, metricRule, MIN, ruleSet, run, T0 } from '../helpers.js';
import { decide, type TargetInput } from '../../src/engine/decide.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';

const cpuHigh = metricRule('cpu-high', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 1 });
const cpuLow = metricRule('cpu-low', 'in', 'LessThan', 30, { type: 'ChangeCount', value: 1 });

// Azure, "Understand autoscale settings": statistic = how samples in a time grain are combined
// (and so how instances are combined); timeAggregation = how grain values in the window are combined.
describe('metric trigger: time grain statistic, then time aggregation over the window', () => {
  type Case = { name: string; points: Array<{ t: number; v: number }>; statistic: 'Average' | 'Min' | 'Max' | 'Sum' | 'Count'; agg: 'Average' | 'Minimum' | 'Maximum' | 'Total' | 'Count' | 'Last'; window?: number; expected: number | undefined; grains: number };
  // Two instances report every minute: a = 10, 20, 30 ... ; b = 50 each minute.
  const twoInstances = [0, 1, 2].flatMap((i) => [
    { t: T0 - (2 - i) * MIN, v: 10 * (i + 1) },
    { t: T0 - (2 - i) * MIN, v: 50 },
  ]);
  const cases: Case[] = [
    { name: 'average of per-grain averages', points: twoInstances, statistic: 'Average', agg: 'Average', expected: (30 + 35 + 40) / 3, grains: 3 },
    { name: 'max grain of per-grain sums', points: twoInstances, statistic: 'Sum', agg: 'Maximum', expected: 80, grains: 3 },
    { name: 'minimum of per-grain minimums', points: twoInstances, statistic: 'Min', agg: 'Minimum', expected: 10, grains: 3 },
    { name: 'total of per-grain counts is the sample count', points: twoInstances, statistic: 'Count', agg: 'Total', expected: 6, grains: 3 },
    { name: 'count is the number of grains with data', points: twoInstances, statistic: 'Max', agg: 'Count', expected: 3, grains: 3 },
    { name: 'last is the newest grain', points: twoInstances, statistic: 'Max', agg: 'Last', expected: 50, grains: 3 },
    { name: 'points at or before now - window are outside it', points: [{ t: T0 - 10 * MIN, v: 1000 }, { t: T0, v: 10 }], statistic: 'Average', agg: 'Average', expected: 10, grains: 1 },
    // Series reach aggregateTrigger sorted by time, as the context normalizes them.
    { name: 'points after now are ignored', points: [{ t: T0, v: 10 }, { t: T0 + MIN, v: 1000 }], statistic: 'Average', agg: 'Average', expected: 10, grains: 1 },
    { name: 'an empty window has no value', points: [{ t: T0 - 20 * MIN, v: 5 }], statistic: 'Average', agg: 'Average', expected: undefined, grains: 0 },
  ];
  it.each(cases)('$name', ({ points, statistic, agg, window, expected, grains }) => {
    const result = aggregateTrigger(points, T0, { grainMs: MIN, statistic, windowMs: window ?? 10 * MIN, timeAggregation: agg });
    expect(result.value).toBe(expected);
    expect(result.grains).toBe(grains);
  });
});

// Azure: dividePerInstance divides the metric by the current instance count (e.g. queue length per instance).
describe('dividePerInstance compares the value per instance', () => {
  it.each([
    { capacity: 4, total: 4400, fires: true, value: 1100 },
    { capacity: 5, total: 4400, fires: false, value: 880 },
  ])('total $total over $capacity instances → $value per instance, fires: $fires', async ({ capacity, total, fires, value }) => {
    const rule = metricRule('rpm-high', 'out', 'GreaterThan', 1000, { type: 'ChangeCount', value: 1 }, { metric: 'requests', dividePerInstance: true });
    const d = await run(ruleSet([rule]), { capacity, metrics: { requests: flat(total) } });
    expect(d.trace.rules[0]).toMatchObject({ status: fires ? 'Fired' : 'NotMet', condition: { aggregated: total, dividedBy: capacity, value } });
    expect(d.action).toBe(fires ? 'scaleOut' : 'none');
  });
});

describe('operators compare the aggregated value with the threshold', () => {
  it.each([
    { operator: 'GreaterThan', value: 70, fires: false },
    { operator: 'GreaterThanOrEqual', value: 70, fires: true },
    { operator: 'LessThan', value: 70, fires: false },
    { operator: 'LessThanOrEqual', value: 70, fires: true },
    { operator: 'Equals', value: 70, fires: true },
    { operator: 'NotEquals', value: 70, fires: false },
  ] as const)('$operator 70 with value $value → fired: $fires', async ({ operator, value, fires }) => {
    const d = await run(ruleSet([metricRule('r', 'out', operator, 70, { type: 'ChangeCount', value: 1 })]), { capacity: 3, metrics: { cpu: flat(value) } });
    expect(d.trace.rules[0]!.status).toBe(fires ? 'Fired' : 'NotMet');
  });
});

// Azure scaleAction types ChangeCount, PercentChangeCount, ExactCount; percent rounding and the
// minimum change are edgescale's documented settings (docs/rules.md).
describe('actions: change by count, by percent, set exact count', () => {
  type Case = { name: string; action: Action; direction: 'out' | 'in'; current: number; expected: number };
  const cases: Case[] = [
    { name: '+3 from 10', action: { type: 'ChangeCount', value: 3 }, direction: 'out', current: 10, expected: 13 },
    { name: '-3 from 10', action: { type: 'ChangeCount', value: 3 }, direction: 'in', current: 10, expected: 7 },
    { name: '+10 % of 10 is 1', action: { type: 'PercentChangeCount', value: 10, rounding: 'ceil', minimumChange: 1 }, direction: 'out', current: 10, expected: 11 },
    { name: '-50 % of 10 is 5', action: { type: 'PercentChangeCount', value: 50, rounding: 'ceil', minimumChange: 1 }, direction: 'in', current: 10, expected: 5 },
    { name: '+10 % of 3 rounds 0.3 up to 1 (ceil)', action: { type: 'PercentChangeCount', value: 10, rounding: 'ceil', minimumChange: 0 }, direction: 'out', current: 3, expected: 4 },
    { name: '+10 % of 3 rounds 0.3 down to 0 (floor, no minimum)', action: { type: 'PercentChangeCount', value: 10, rounding: 'floor', minimumChange: 0 }, direction: 'out', current: 3, expected: 3 },
    { name: '+10 % of 3 floor, minimum change 1 still adds 1', action: { type: 'PercentChangeCount', value: 10, rounding: 'floor', minimumChange: 1 }, direction: 'out', current: 3, expected: 4 },
    { name: '+25 % of 10 rounds 2.5 to 3 (round)', action: { type: 'PercentChangeCount', value: 25, rounding: 'round', minimumChange: 1 }, direction: 'out', current: 10, expected: 13 },
    { name: '-25 % of 10 truncates 2.5 to 2 (trunc)', action: { type: 'PercentChangeCount', value: 25, rounding: 'trunc', minimumChange: 1 }, direction: 'in', current: 10, expected: 8 },
    { name: '+10 % of 30 is exactly 3 despite float error', action: { type: 'PercentChangeCount', value: 10, rounding: 'ceil', minimumChange: 1 }, direction: 'out', current: 30, expected: 33 },
    { name: '-5 from 3 never goes below 0', action: { type: 'ChangeCount', value: 5 }, direction: 'in', current: 3, expected: 0 },
    { name: 'exact count 7', action: { type: 'ExactCount', value: 7 }, direction: 'out', current: 2, expected: 7 },
  ];
  it.each(cases)('$name → $expected', ({ action, direction, current, expected }) => {
    expect(capacityFromAction(action, direction, current)).toBe(expected);
  });
});

// Azure, "Autoscale best practices — considerations for scaling when multiple rules are configured
// in a profile": scale out if ANY rule is met; scale in only if ALL scale-in rules are met; in both
// cases the rule that results in the largest instance count wins.
describe('combination: scale out if any scale-out rule fires, taking the largest capacity', () => {
  it.each([
    { name: '+3 and +10 % at 10 give 13', actions: [{ type: 'ChangeCount', value: 3 }, { type: 'PercentChangeCount', value: 10 }], cpu: [90, 90], to: 13, rule: 'out-0' },
    { name: 'only the +10 % rule fires: 11', actions: [{ type: 'ChangeCount', value: 3 }, { type: 'PercentChangeCount', value: 10 }], cpu: [50, 90], to: 11, rule: 'out-1' },
    { name: 'ties go to the rule written first', actions: [{ type: 'ChangeCount', value: 1 }, { type: 'PercentChangeCount', value: 10 }], cpu: [90, 90], to: 11, rule: 'out-0' },
  ] as const)('$name', async ({ actions, cpu, to, rule }) => {
    const rules = actions.map((action, i) => metricRule(`out-${i}`, 'out', 'GreaterThan', 70, action, { metric: `m${i}` }));
    const d = await run(ruleSet(rules), { capacity: 10, metrics: { m0: flat(cpu[0]), m1: flat(cpu[1]) } });
    expect(d).toMatchObject({ action: 'scaleOut', from: 10, to, rule, code: 'ScaleOut' });
    expect(d.reason).toContain(`scale-out 10→${to}: rule ${rule} fired`);
  });
});

describe('combination: scale-in waits for every scale-in rule, then takes the largest capacity', () => {
  const inRules = [
    metricRule('in-half', 'in', 'LessThan', 30, { type: 'PercentChangeCount', value: 50 }, { metric: 'm0' }),
    metricRule('in-three', 'in', 'LessThan', 30, { type: 'ChangeCount', value: 3 }, { metric: 'm1' }),
  ];
  it('two scale-in rules −50 % and −3 at 10 give 7', async () => {
    const d = await run(ruleSet(inRules), { capacity: 10, metrics: { m0: flat(10), m1: flat(10) } });
    expect(d).toMatchObject({ action: 'scaleIn', from: 10, to: 7, rule: 'in-three', code: 'ScaleIn' });
    expect(d.trace.scaleIn).toMatchObject({ fired: ['in-half', 'in-three'], required: ['in-half', 'in-three'], unanimous: true, wants: 7, rule: 'in-three' });
    expect(d.trace.rules.map((r) => [r.rule, r.status, r.capacity])).toEqual([
      ['in-half', 'Fired', 5],
      ['in-three', 'Fired', 7],
    ]);
    expect(d.trace.rules[0]!.blocked?.code).toBe('NotLargest');
  });
  it('a scale-in with one of two in-rules unmet does nothing', async () => {
    const d = await run(ruleSet(inRules), { capacity: 10, metrics: { m0: flat(10), m1: flat(50) } });
    expect(d).toMatchObject({ action: 'none', from: 10, to: 10, code: 'ScaleInNotUnanimous', rule: null });
    expect(d.trace.rules.map((r) => [r.rule, r.status])).toEqual([
      ['in-half', 'Fired'],
      ['in-three', 'NotMet'],
    ]);
    expect(d.trace.rules[0]!.blocked).toMatchObject({ code: 'NotUnanimous' });
    expect(d.trace.scaleIn).toMatchObject({ fired: ['in-half'], required: ['in-half', 'in-three'], unanimous: false });
  });
  it('a scale-in rule that fails to evaluate counts as not fired', async () => {
    const rules = [inRules[0]!, { id: 'in-broken', direction: 'in' as const, when: { expr: '$number("x") < 5' }, action: { type: 'ChangeCount' as const, value: 1 } }];
    const d = await run(ruleSet(rules), { capacity: 10, metrics: { m0: flat(10) } });
    expect(d.code).toBe('ScaleInNotUnanimous');
    expect(d.trace.rules[1]).toMatchObject({ status: 'RuleError', error: { path: 'rules[1].when.expr' } });
  });
});

describe('combination: scale-out is considered before scale-in', () => {
  it('when both directions fire, capacity goes out and scale-in is marked as outranked', async () => {
    const spec = ruleSet([
      metricRule('cpu-high', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 1 }),
      metricRule('mem-low', 'in', 'LessThan', 30, { type: 'ChangeCount', value: 1 }, { metric: 'mem' }),
    ]);
    const d = await run(spec, { capacity: 4, metrics: { cpu: flat(90), mem: flat(10) } });
    expect(d).toMatchObject({ action: 'scaleOut', to: 5, rule: 'cpu-high' });
  });
  it('a fired scale-out rule that asks for no more capacity still stops scale-in', async () => {
    const spec = ruleSet([
      metricRule('pin', 'out', 'GreaterThan', 70, { type: 'ExactCount', value: 3 }),
      metricRule('mem-low', 'in', 'LessThan', 30, { type: 'ChangeCount', value: 1 }, { metric: 'mem' }),
    ]);
    const d = await run(spec, { capacity: 4, metrics: { cpu: flat(90), mem: flat(10) } });
    expect(d).toMatchObject({ action: 'none', code: 'NoChange' });
    expect(d.trace.rules[1]!.blocked?.code).toBe('OutranFirst');
  });
});

// Azure: "Autoscale never takes your service below or above the boundaries"; a capacity outside
// them is brought to the nearest bound.
describe('bounds: results are clamped to [minimum, maximum]', () => {
  type Case = { name: string; capacity: number; cpu: number; to: number; code: string; reason: RegExp };
  const spec = ruleSet([cpuHigh, { ...cpuLow, action: { type: 'ChangeCount', value: 5 } }], { capacity: { minimum: 2, maximum: 10, default: 3 } });
  const cases: Case[] = [
    { name: 'scale-out past the maximum stops at it', capacity: 10, cpu: 90, to: 10, code: 'ClampedToMax', reason: /^no change at 10: rule cpu-high fired .*asked for 11, clamped to the maximum 10/ },
    { name: 'scale-in past the minimum stops at it', capacity: 4, cpu: 10, to: 2, code: 'ClampedToMin', reason: /^scale-in 4→2: rule cpu-low fired .*; asked for 0, clamped to the minimum 2$/ },
    { name: 'a capacity above the maximum is brought down', capacity: 14, cpu: 50, to: 10, code: 'BroughtIntoBounds', reason: /^scale-in 14→10: capacity brought into bounds \[2, 10\]; no rule fired/ },
    { name: 'a capacity below the minimum is brought up', capacity: 0, cpu: 50, to: 2, code: 'BroughtIntoBounds', reason: /^scale-out 0→2: capacity brought into bounds \[2, 10\]/ },
    { name: 'rules act on the capacity once inside the bounds', capacity: 1, cpu: 90, to: 3, code: 'ScaleOut', reason: /^scale-out 1→3: capacity brought into bounds \[2, 10\], then rule cpu-high fired/ },
  ];
  it.each(cases)('$name ($code)', async ({ capacity, cpu, to, code, reason }) => {
    const d = await run(spec, { capacity, metrics: { cpu: flat(cpu) } });
    expect(d.to).toBe(to);
    expect(d.code).toBe(code);
    expect(d.reason).toMatch(reason);
  });
});

// Azure: "cooldown — the amount of time to wait after a scale operation before scaling again";
// the timer is shared: the cooldown of the rule that last fired holds every rule.
describe('cooldown: no further action until the cooldown of the rule that fired has passed', () => {
  const spec = ruleSet([{ ...cpuHigh, cooldown: 'PT5M' }, { ...cpuLow, cooldown: 'PT10M' }]);
  it('a scale-out starts the cooldown and returns it in the state', async () => {
    const d = await run(spec, { capacity: 4, metrics: { cpu: flat(90) } });
    expect(d.state).toEqual({
      version: 1,
      lastScale: { at: '2026-11-22T10:30:00Z', direction: 'out', rule: 'cpu-high', from: 4, to: 5 },
      cooldownUntil: { out: '2026-11-22T10:35:00Z', in: '2026-11-22T10:35:00Z' },
    });
  });
  type Case = { name: string; after: number; cpu: number; action: string; code: string; reason: string };
  const cases: Case[] = [
    { name: 'scale-in inside a scale-in cooldown is deferred', after: 4, cpu: 10, action: 'none', code: 'CooldownActive', reason: 'scale-in deferred: cooldown of rule cpu-low until 10:40Z (rule cpu-low fired)' },
    { name: 'shared timer: scale-out inside a scale-in cooldown is deferred too', after: 9, cpu: 90, action: 'none', code: 'CooldownActive', reason: 'scale-out deferred: cooldown of rule cpu-low until 10:40Z (rule cpu-high fired)' },
    { name: 'at the end of the cooldown scaling is allowed again', after: 10, cpu: 10, action: 'scaleIn', code: 'ScaleIn', reason: 'scale-in 4→3: rule cpu-low fired' },
  ];
  it.each(cases)('$name', async ({ after, cpu, action, code, reason }) => {
    const first = await run(spec, { capacity: 5, metrics: { cpu: flat(10) } });
    expect(first).toMatchObject({ action: 'scaleIn', to: 4 });
    const now = T0 + after * MIN;
    const d = await run(spec, { capacity: 4, metrics: { cpu: flat(cpu, 10, now) }, state: first.state }, now);
    expect(d.action).toBe(action);
    expect(d.code).toBe(code);
    expect(d.reason).toContain(reason);
    if (code === 'CooldownActive') expect(d.state).toEqual(first.state);
  });
  it('perDirection: a scale-in cooldown does not hold a scale-out', async () => {
    const perDir = { ...spec, cooldownMode: 'perDirection' as const };
    const first = await run(perDir, { capacity: 5, metrics: { cpu: flat(10) } });
    expect(first.state.cooldownUntil).toEqual({ in: '2026-11-22T10:40:00Z' });
    const now = T0 + 2 * MIN;
    const out = await run(perDir, { capacity: 4, metrics: { cpu: flat(90, 10, now) }, state: first.state }, now);
    expect(out).toMatchObject({ action: 'scaleOut', to: 5, code: 'ScaleOut' });
    const again = await run(perDir, { capacity: 4, metrics: { cpu: flat(10, 10, now) }, state: first.state }, now);
    expect(again).toMatchObject({ action: 'none', code: 'CooldownActive' });
  });
  it('bringing capacity into bounds ignores the cooldown and starts none', async () => {
    const first = await run(spec, { capacity: 5, metrics: { cpu: flat(10) } });
    const now = T0 + MIN;
    const d = await run({ ...spec, capacity: { minimum: 6, maximum: 10, default: 6 } }, { capacity: 4, metrics: { cpu: flat(50, 10, now) }, state: first.state }, now);
    expect(d).toMatchObject({ action: 'scaleOut', to: 6, code: 'BroughtIntoBounds', rule: null });
    expect(d.state.cooldownUntil).toEqual(first.state.cooldownUntil);
  });
});

// Azure, "Autoscale settings — default": when metrics are missing, capacity is raised to the
// default if below it, and autoscale never scales in.
describe('missing metrics: up to the default if below it, never scale in', () => {
  const spec = ruleSet([cpuHigh, cpuLow], { capacity: { minimum: 1, maximum: 10, default: 4 } });
  type Case = { name: string; capacity: number; metrics: Record<string, Array<{ t: number; v: number }>>; action: string; to: number; code: string; reason: RegExp };
  const cases: Case[] = [
    { name: 'below the default: scale out to it', capacity: 2, metrics: {}, action: 'scaleOut', to: 4, code: 'MissingDataDefault', reason: /^scale-out 2→4: cpu has no data, so capacity goes to the default 4/ },
    { name: 'above the default: stay, no scale-in', capacity: 6, metrics: {}, action: 'none', to: 6, code: 'MissingDataNoScaleIn', reason: /^no change at 6: cpu has no data, so scale-in is suspended/ },
    { name: 'stale points outside the window count as missing', capacity: 6, metrics: { cpu: [{ t: T0 - 30 * MIN, v: 5 }] }, action: 'none', to: 6, code: 'MissingDataNoScaleIn', reason: /scale-in is suspended/ },
  ];
  it.each(cases)('$name ($code)', async ({ capacity, metrics, action, to, code, reason }) => {
    const d = await run(spec, { capacity, metrics });
    expect(d).toMatchObject({ action, to, code });
    expect(d.reason).toMatch(reason);
    expect(d.trace.missingData?.metrics).toEqual(['cpu']);
    expect(d.trace.rules.map((r) => r.status)).toEqual(['MissingData', 'MissingData']);
  });
  it('one in-rule without data suspends scale-in even when the others fire', async () => {
    const two = ruleSet([cpuLow, metricRule('mem-low', 'in', 'LessThan', 30, { type: 'ChangeCount', value: 1 }, { metric: 'mem' })], { capacity: { minimum: 1, maximum: 10, default: 2 } });
    const d = await run(two, { capacity: 6, metrics: { cpu: flat(5) } });
    expect(d).toMatchObject({ action: 'none', code: 'MissingDataNoScaleIn' });
    expect(d.trace.rules[0]!.blocked?.code).toBe('MissingData');
  });
  it('a scale-out rule with data still fires while another metric is missing', async () => {
    const two = ruleSet([cpuHigh, metricRule('mem-high', 'out', 'GreaterThan', 80, { type: 'ChangeCount', value: 1 }, { metric: 'mem' })], { capacity: { minimum: 1, maximum: 10, default: 2 } });
    const d = await run(two, { capacity: 5, metrics: { cpu: flat(95) } });
    expect(d).toMatchObject({ action: 'scaleOut', to: 6, rule: 'cpu-high' });
  });
});

describe('expression conditions and capacity expressions', () => {
  it('a JSONata capacity expression sets messages-per-instance capacity', async () => {
    const spec = ruleSet([
      { id: 'backlog', direction: 'out', when: { expr: 'metrics.queue.last / capacity.current > 100' }, action: { type: 'Expression', expr: '$ceilDiv(metrics.queue.last, 100)' } },
    ]);
    const d = await run(spec, { capacity: 3, metrics: { queue: 1250 } });
    expect(d).toMatchObject({ action: 'scaleOut', from: 3, to: 13, rule: 'backlog' });
    expect(d.trace.rules[0]!.condition).toMatchObject({ kind: 'expression', value: true });
  });
  it('the context carries capacity, bounds, target labels, now and aggregates', async () => {
    const expr = 'capacity.current = 3 and capacity.maximum = 100 and target.labels.tier = "web" and now = "2026-11-22T10:30:00.000Z" and metrics.cpu.avg = 50 and metrics.cpu.count = 10';
    const d = await run(ruleSet([{ id: 'ctx', direction: 'out', when: { expr }, action: { type: 'ChangeCount', value: 1 } }]), {
      capacity: 3,
      labels: { tier: 'web' },
      metrics: { cpu: flat(50) },
    });
    expect(d.trace.rules[0]).toMatchObject({ status: 'Fired' });
  });
  it('a runtime error in one rule is a RuleError naming the rule, and the others still decide', async () => {
    const spec = ruleSet([
      { id: 'broken', direction: 'out', when: { expr: '$error("boom")' }, action: { type: 'ChangeCount', value: 1 } },
      cpuHigh,
    ]);
    const d = await run(spec, { capacity: 3, metrics: { cpu: flat(90) } });
    expect(d).toMatchObject({ action: 'scaleOut', to: 4, rule: 'cpu-high' });
    expect(d.trace.rules[0]).toMatchObject({ rule: 'broken', status: 'RuleError', error: { path: 'rules[0].when.expr' } });
  });
  it('a condition that is not boolean is a RuleError, not a silent false', async () => {
    const spec = ruleSet([{ id: 'numeric', direction: 'out', when: { expr: 'metrics.cpu.avg' }, action: { type: 'ChangeCount', value: 1 } }]);
    const d = await run(spec, { capacity: 3, metrics: { cpu: flat(90) } });
    expect(d.trace.rules[0]).toMatchObject({ status: 'RuleError', error: { code: 'ExprType' } });
    expect(d.code).toBe('NoRuleFired');
    expect(d.reason).toContain('numeric failed to evaluate');
  });
});

describe('determinism: the same request gives the same decision and id', () => {
  it('decides identically twice, and the id changes with any input', async () => {
    const spec = compile(ruleSet([cpuHigh, cpuLow]));
    const input = { id: 'web-1', capacity: 4, metrics: { cpu: flat(90) } };
    const a = await decide(spec, input, T0);
    const b = await decide(spec, structuredClone(input), T0);
    expect(b).toEqual(a);
    expect(a.decisionId).toMatch(/^[0-9a-f]{64}$/);
    const c = await decide(spec, { ...input, capacity: 5 }, T0);
    const later = await decide(spec, input, T0 + 1);
    expect(new Set([a.decisionId, c.decisionId, later.decisionId]).size).toBe(3);
  });
  // The id's bytes are a contract (docs/actuator.md): a change to how they are computed must bump
  // ENGINE_VERSION. This input's id was computed before the Float64Array rewrite of the pair bytes and
  // must not move: ten ISO points of one series, through the bundled web-tier set.
  it('the id of a fixed input is pinned (web-tier, ten ISO points of cpu, 2026-11-22T10:30:00Z)', async () => {
    const spec = resolveBundled('web-tier')!;
    const cpu = Array.from({ length: 10 }, (_, i) => ({ t: `2026-11-22T10:${String(20 + i).padStart(2, '0')}:00Z`, v: 60 + i * 0.7 }));
    const d = await decide(spec, { id: 'cli', capacity: 3, metrics: { cpu } }, Date.parse('2026-11-22T10:30:00Z'));
    expect(d.decisionId).toBe('88f0ea51018f95c962cc51646128a2ff738eaf715e64e0f992125052d7c82517');
  });
  // pipeline/decision-id.ts: the id hashes the normalized inputs, so spellings of the same input share it.
  it('the id is of the inputs, not their spelling: ISO or epoch, any order, 1.0 or 1, a bare number or its point', async () => {
    const spec = compile(ruleSet([cpuHigh, cpuLow]));
    const points = flat(90).map((p, i) => ({ t: p.t, v: p.v + (i % 3) }));
    const id = async (input: Partial<TargetInput>) => (await decide(spec, { id: 'web-1', capacity: 4, metrics: {}, ...input }, T0)).decisionId;
    const base = await id({ metrics: { cpu: points } });
    const iso = points.map((p) => ({ t: new Date(p.t).toISOString(), v: p.v }));
    const offset = points.map((p) => ({ t: new Date(p.t + 3_600_000).toISOString().replace('Z', '+01:00').replace(/\.000/, ''), v: p.v }));
    expect(await id({ metrics: { cpu: iso } })).toBe(base);
    expect(await id({ metrics: { cpu: [...points].reverse() } })).toBe(base);
    expect(await id({ metrics: { cpu: points.map((p) => ({ t: p.t, v: p.v === 0 ? -0 : p.v * 1.0 })) } })).toBe(base);
    expect(offset[0]!.t).toMatch(/\+01:00$/);
    expect(await id({ metrics: { cpu: offset } })).toBe(base);
    expect(await id({ metrics: { cpu: 42 } })).toBe(await id({ metrics: { cpu: [{ t: T0, v: 42 }] } }));
    // State instants likewise: the same cooldown as ISO or epoch.
    const until = T0 + 5 * MIN;
    expect(await id({ metrics: { cpu: points }, state: { version: 1, cooldownUntil: { out: new Date(until).toISOString() } } })).toBe(
      await id({ metrics: { cpu: points }, state: { version: 1, cooldownUntil: { out: until } } }),
    );
    // …and any difference in a value, a time, a metric name or an instance changes it.
    const others = await Promise.all([
      id({ metrics: { cpu: points.map((p, i) => (i === 4 ? { ...p, v: p.v + 0.001 } : p)) } }),
      id({ metrics: { cpu: points.map((p, i) => (i === 4 ? { ...p, t: p.t - 1 } : p)) } }),
      id({ metrics: { cpu2: points } }),
      id({ metrics: { cpu: points.map((p, i) => (i === 0 ? { ...p, instance: 'vm-0' } : p)) } }),
      id({ metrics: { cpu: points }, labels: { tier: 'web' } }),
    ]);
    expect(new Set([base, ...others]).size).toBe(6);
  });
});
