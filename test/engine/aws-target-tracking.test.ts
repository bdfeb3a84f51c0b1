// AWS target tracking as AWS runs it: AlarmHigh (3 × 1 min above the target) and AlarmLow (15 × 1 min below 90 % of it), warm-up and cooldowns, through evaluateAwsTargetTracking and decide().
//
// Sources: EC2 Auto Scaling User Guide "Target tracking scaling policies" (as-scaling-target-tracking:
// the 1.5-instance rounding example, several policies, warm-up), "Set the default instance warmup"
// (ec2-auto-scaling-default-instance-warmup: warming instances count toward the desired capacity,
// scale-in blocked); Application Auto Scaling User Guide "Target tracking scaling policies", "Cooldown
// period" (ScaleOutCooldown, ScaleInCooldown); the alarms AWS creates (AlarmHigh GreaterThanThreshold
// 3 × 60 s, AlarmLow LessThanThreshold 0.9 × target 15 × 60 s).
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { evaluateAwsTargetTracking, type AwsTrackingInput } from '../../src/engine/policies/aws-target-tracking.js';
import type { DecisionState, RuleSetInput } from '../../src/schema.js';
import type { AwsTargetTrackingPolicy } from '../../src/schemas/aws-target-tracking.js';
import { lintRuleSet } from '../../src/engine/lint/index.js';
import { loadRuleSet } from '../../src/engine/ruleset.js';
import { compile, MIN, T0 } from '../helpers.js';

const iso = (ms: number) => new Date(ms).toISOString();
const cpu = (extra: Partial<AwsTargetTrackingPolicy> = {}): AwsTargetTrackingPolicy => ({ id: 'cpu', metric: 'cpu', targetValue: 50, ...extra });
/** One point per minute, the newest at `now`: values[0] is the newest. */
const minutes = (values: number[], now = T0) => values.map((v, i) => ({ t: now - i * MIN, v })).reverse();
const repeat = (v: number, n: number) => Array.from({ length: n }, () => v);
const run = (policy: AwsTargetTrackingPolicy, values: number[], desired: number, extra: Partial<AwsTrackingInput> = {}) =>
  evaluateAwsTargetTracking(policy, { points: minutes(values), now: T0, desired, warming: [], ...extra });

describe('AlarmHigh: above the target in 3 consecutive 1-minute periods, then proportional scale-out', () => {
  it('3 at 75 % against 50 %: ⌈3 × 75 ÷ 50⌉ = ⌈4.5⌉ = 5 (adding 1.5 instances rounds up to 2)', () => {
    const r = run(cpu(), [75, 75, 75], 3);
    expect([r.trace.code, r.proposal, r.trace.high.inAlarm, r.trace.high.periods]).toEqual(['ScaleOut', 5, true, [75, 75, 75]]);
  });

  it.each([
    ['two breaching periods and an older one at the target', [80, 80, 50], 'NoAlarm'],
    ['the target exactly is not above it (GreaterThanThreshold)', [50, 50, 50], 'NoAlarm'],
    ['a period without data does not breach', [80, 80], 'NoAlarm'],
    ['three breaching periods after a quiet hour', [80, 80, 80, ...repeat(20, 12)], 'ScaleOut'],
  ])('%s → %s', (_what, values, code) => {
    expect(run(cpu(), values, 4).trace.code).toBe(code);
  });

  it('the newest period sizes the change; points of one period are averaged (two instances at 90 and 70 are 80)', () => {
    const points = [{ t: T0, v: 90, instance: 'a' }, { t: T0, v: 70, instance: 'b' }, ...minutes([60, 60], T0 - MIN)];
    const r = evaluateAwsTargetTracking(cpu(), { points, now: T0, desired: 4, warming: [] });
    expect([r.trace.value, r.trace.high.periods, r.proposal]).toEqual([80, [80, 60, 60], 7]);
  });

  it('a period is (now − P, now]: a point exactly one minute old belongs to the second period', () => {
    const r = evaluateAwsTargetTracking(cpu(), {
      points: [
        { t: T0 - MIN, v: 90 },
        { t: T0 - 30_000, v: 60 },
      ],
      now: T0,
      desired: 2,
      warming: [],
    });
    expect(r.trace.high.periods).toEqual([60, 90, null]);
  });
});

describe('AlarmLow: below 90 % of the target in 15 consecutive 1-minute periods, then conservative scale-in', () => {
  it('10 at 35 % against 50 %: ⌈10 × 0.7⌉ = 7; 5 at 35 %: ⌈3.5⌉ = 4 (removing 1.5 instances removes 1)', () => {
    expect([run(cpu(), repeat(35, 15), 10).proposal, run(cpu(), repeat(35, 15), 5).proposal]).toEqual([7, 4]);
    expect(run(cpu(), repeat(35, 15), 5).trace).toMatchObject({ code: 'ScaleIn', low: { threshold: 45, inAlarm: true }, base: 5, wanted: 4 });
  });

  it.each([
    ['14 low periods and one at 45 (90 % exactly is not below)', [...repeat(30, 14), 45], 'NoAlarm', 10],
    ['14 low periods and one without data', repeat(30, 14), 'NoAlarm', 10],
    ['15 periods at 44.9', repeat(44.9, 15), 'ScaleIn', 9],
    ['15 periods at 40 on 2 instances: ⌈1.6⌉ = 2 removes nothing', repeat(40, 15), 'NoChange', 2],
  ])('%s → %s', (_what, values, code, proposal) => {
    const desired = code === 'NoChange' ? 2 : 10;
    const r = run(cpu(), values, desired);
    expect([r.trace.code, r.proposal]).toEqual([code, proposal]);
  });

  it('between the alarms (45 ≤ metric ≤ 50) the policy holds, and with scale-in disabled it takes no part', () => {
    expect([run(cpu(), repeat(48, 15), 6).trace.code, run(cpu(), repeat(48, 15), 6).proposal]).toEqual(['NoAlarm', 6]);
    const off = run(cpu({ disableScaleIn: true }), repeat(30, 15), 6);
    expect([off.trace.code, off.proposal]).toEqual(['ScaleInDisabled', undefined]);
    expect(run(cpu({ disableScaleIn: true }), repeat(48, 15), 6).proposal).toBeUndefined();
  });

  it('no datapoint in 15 minutes: insufficient data, no proposal, the metric is missing', () => {
    const r = evaluateAwsTargetTracking(cpu(), { points: [{ t: T0 - 15 * MIN, v: 90 }], now: T0, desired: 3, warming: [] });
    expect([r.trace.code, r.proposal, r.missing]).toEqual(['InsufficientData', undefined, true]);
  });
});

describe('instance warm-up (EC2): warming instances are out of the metric and the in-service capacity, in the desired one, and hold scale-in', () => {
  /** `inService` instances launched an hour ago at `v`, `fresh` ones a minute ago at 100 %. */
  function fleet(inService: number, fresh: number, v: number, history = 3) {
    const ids = [...Array.from({ length: inService }, (_, i) => `old-${i}`), ...Array.from({ length: fresh }, (_, i) => `new-${i}`)];
    const instances = ids.map((id) => ({ id, createdAt: iso(id.startsWith('old') ? T0 - 3_600_000 : T0 - MIN) }));
    const points = Array.from({ length: history }, (_, k) =>
      ids.filter((id) => id.startsWith('old') || k === 0).map((id) => ({ t: T0 - k * MIN, v: id.startsWith('old') ? v : 100, instance: id })),
    ).flat();
    return { id: 'web', capacity: ids.length, instances, metrics: { cpu: points.sort((a, b) => a.t - b.t) } };
  }
  const set = (policy: AwsTargetTrackingPolicy) => compile({ id: 'tt', capacity: { minimum: 1, maximum: 20, default: 1 }, rules: [], awsTargetTracking: { policies: [policy] } });
  const trace = (d: Awaited<ReturnType<typeof decide>>) => (d.trace.policies?.awsTargetTracking ?? [])[0];

  it.each([
    // 4 in service + 1 warming: at 60 % ⌈4 × 1.2⌉ = 5, which the desired 5 covers (one activity for two breaches).
    [60, 5, 'DesiredAlreadyCovers'],
    // at 70 %: ⌈4 × 1.4⌉ = ⌈5.6⌉ = 6.
    [70, 6, 'ScaleOut'],
  ])('4 in service at %i %% and 1 warming at 100 %%: → %i (%s)', async (v, to, code) => {
    const d = await decide(set(cpu({ warmupSeconds: 300 })), fleet(4, 1, v), T0);
    expect([d.to, trace(d)?.code, trace(d)?.inService, trace(d)?.desired, trace(d)?.warming, trace(d)?.value]).toEqual([to, code, 4, 5, ['new-0'], v]);
  });

  it('without warm-up the warming instance counts: 5 instances averaging 68 % → ⌈5 × 1.36⌉ = 7', async () => {
    const d = await decide(set(cpu()), fleet(4, 1, 60), T0);
    expect([d.to, trace(d)?.value]).toEqual([7, 68]);
  });

  it('AlarmLow in ALARM while an instance warms up: scale-in waits (WarmingBlocksScaleIn), and goes ahead once it has warmed', async () => {
    const warming = await decide(set(cpu({ warmupSeconds: 300 })), fleet(6, 1, 20, 15), T0);
    expect([warming.to, trace(warming)?.code]).toEqual([7, 'WarmingBlocksScaleIn']);
    const warm = await decide(set(cpu({ warmupSeconds: 30 })), fleet(6, 1, 20, 15), T0);
    // No instance warming: all 7 in service; the fresh one's 100 % of the newest minute raises its average to 31.43.
    expect([warm.to, trace(warm)?.code, trace(warm)?.value]).toEqual([5, 'ScaleIn', 31.4285714286]);
  });
});

describe('instance weights (WeightedCapacity) and an explicit in-service capacity', () => {
  const set = compile({ id: 'tt', capacity: { minimum: 1, maximum: 40, default: 1 }, rules: [], awsTargetTracking: { policies: [cpu({ warmupSeconds: 300 })] } });
  const now3 = (v: number, instance?: string) => [2, 1, 0].map((k) => ({ t: T0 - k * MIN, v, ...(instance !== undefined && { instance }) }));

  it('capacity in units: 2 in-service instances of weight 4 and 1 warming of weight 2 (10 units) at 75 % → ⌈8 × 1.5⌉ = 12 units', async () => {
    const instances = [
      { id: 'a', createdAt: iso(T0 - 3_600_000), weight: 4 },
      { id: 'b', createdAt: iso(T0 - 3_600_000), weight: 4 },
      { id: 'c', createdAt: iso(T0 - MIN), weight: 2 },
    ];
    const d = await decide(set, { id: 'w', capacity: 10, instances, metrics: { cpu: [...now3(75, 'a'), ...now3(75, 'b'), ...now3(100, 'c')].sort((x, y) => x.t - y.t) } }, T0);
    expect([d.to, d.trace.policies?.awsTargetTracking?.[0]?.inService]).toEqual([12, 8]);
    // Counted as instances (weight 1 each), the same fleet would be 9 in service: ⌈9 × 1.5⌉ = 14.
    const unweighted = await decide(set, { id: 'w', capacity: 10, instances: instances.map(({ weight: _w, ...i }) => i), metrics: { cpu: [...now3(75, 'a'), ...now3(75, 'b')] } }, T0);
    expect(unweighted.to).toBe(14);
  });

  it('inServiceCapacity: 4 of 6 in service at 75 % asks ⌈4 × 1.5⌉ = 6, which the desired 6 covers; AlarmLow waits while 2 are not in service', async () => {
    const out = await decide(set, { id: 's', capacity: 6, inServiceCapacity: 4, metrics: { cpu: now3(75) } }, T0);
    expect([out.to, out.trace.policies?.awsTargetTracking?.[0]?.code]).toEqual([6, 'DesiredAlreadyCovers']);
    const low = await decide(set, { id: 's', capacity: 6, inServiceCapacity: 4, metrics: { cpu: minutes(repeat(20, 15)) } }, T0);
    expect([low.to, low.trace.policies?.awsTargetTracking?.[0]?.code]).toEqual([6, 'WarmingBlocksScaleIn']);
    // It is part of the decision's inputs: a different in-service capacity is a different decision id.
    const all = await decide(set, { id: 's', capacity: 6, metrics: { cpu: now3(75) } }, T0);
    expect([all.to, all.decisionId === out.decisionId]).toEqual([9, false]);
  });
});

describe('cooldowns (Application Auto Scaling ScaleOutCooldown / ScaleInCooldown), read from the state', () => {
  const state = (direction: 'out' | 'in', agoMs: number, from: number, to: number, rule = 'cpu'): DecisionState => ({
    version: 1,
    lastScale: { at: iso(T0 - agoMs), direction, rule, from, to },
    cooldownUntil: {},
  });
  const last = (s: DecisionState) => ({ ...s.lastScale!, at: Date.parse(String(s.lastScale!.at)) });

  it('within ScaleOutCooldown the capacity the scale-out added counts: from 4 (before 4 → 6), 75 % asks ⌈6⌉ = 6, covered; 90 % asks ⌈7.2⌉ = 8', () => {
    const p = cpu({ scaleOutCooldown: 300 });
    const s = state('out', MIN, 4, 6);
    expect(run(p, [75, 75, 75], 6, { last: last(s) }).trace).toMatchObject({ code: 'DesiredAlreadyCovers', base: 4, wanted: 6 });
    expect(run(p, [90, 90, 90], 6, { last: last(s) }).proposal).toBe(8);
    // After it (6 minutes later), or after another policy's activity, the base is the capacity: ⌈6 × 1.5⌉ = 9.
    expect(run(p, [75, 75, 75], 6, { last: last(state('out', 6 * MIN, 4, 6)) }).proposal).toBe(9);
    expect(run(p, [75, 75, 75], 6, { last: last(state('out', MIN, 4, 6, 'alb')) }).proposal).toBe(9);
  });

  it('within ScaleInCooldown scale-in waits, but a scale-out goes ahead at once', () => {
    const p = cpu({ scaleInCooldown: 300 });
    const s = last(state('in', 2 * MIN, 8, 6));
    expect(run(p, repeat(30, 15), 6, { last: s }).trace.code).toBe('ScaleInCooldown');
    expect(run(p, [75, 75, 75], 6, { last: s }).proposal).toBe(9);
    expect(run(p, repeat(30, 15), 6, { last: last(state('in', 5 * MIN, 8, 6)) }).proposal).toBe(4);
  });

  it('through decide(): the state of the decision that scaled starts the cooldown', async () => {
    const rs = compile({ id: 'tt', capacity: { minimum: 1, maximum: 20, default: 1 }, rules: [], awsTargetTracking: { policies: [cpu({ scaleOutCooldown: 300 })] } });
    const first = await decide(rs, { id: 'svc', capacity: 4, metrics: { cpu: minutes([75, 75, 75]) } }, T0);
    expect([first.to, first.state.lastScale?.rule, first.state.lastScale?.from]).toEqual([6, 'cpu', 4]);
    const next = await decide(rs, { id: 'svc', capacity: 6, metrics: { cpu: minutes([75, 75, 75], T0 + MIN) }, state: first.state }, T0 + MIN);
    expect([next.to, next.code]).toEqual([6, 'NoChange']);
  });
});

describe('several policies and the rest of the pipeline', () => {
  const spec = (policies: AwsTargetTrackingPolicy[], extra: Partial<RuleSetInput> = {}): RuleSetInput => ({
    id: 'tt',
    capacity: { minimum: 1, maximum: 8, default: 1 },
    rules: [],
    awsTargetTracking: { policies },
    missingData: { policy: 'hold' },
    ...extra,
  });
  const alb = (extra: Partial<AwsTargetTrackingPolicy> = {}) => ({ id: 'alb', metric: 'alb', targetValue: 1000, ...extra });

  it('scale out if any policy is ready to, to the largest capacity; then the maximum', async () => {
    const d = await decide(compile(spec([cpu(), alb()])), { id: 't', capacity: 4, metrics: { cpu: minutes([60, 60, 60]), alb: minutes(repeat(500, 15)) } }, T0);
    expect([d.to, d.trace.policies?.decidedBy]).toEqual([5, 'awsTargetTracking:cpu']);
    const capped = await decide(compile(spec([cpu()])), { id: 't', capacity: 6, metrics: { cpu: minutes([100, 100, 100]) } }, T0);
    expect([capped.to, capped.code]).toEqual([8, 'ClampedToMax']);
  });

  it('scale in only if every policy with scale-in enabled is ready to, to the largest of their capacities', async () => {
    const both = await decide(compile(spec([cpu(), alb()])), { id: 't', capacity: 8, metrics: { cpu: minutes(repeat(20, 15)), alb: minutes(repeat(500, 15)) } }, T0);
    expect(both.to).toBe(4); // cpu ⌈3.2⌉ = 4, alb ⌈4⌉ = 4
    const notAll = await decide(compile(spec([cpu(), alb()])), { id: 't', capacity: 8, metrics: { cpu: minutes(repeat(20, 15)), alb: minutes(repeat(950, 15)) } }, T0);
    expect([notAll.to, notAll.code]).toEqual([8, 'NoChange']);
    const disabled = await decide(
      compile(spec([cpu(), alb({ disableScaleIn: true })])),
      { id: 't', capacity: 8, metrics: { cpu: minutes(repeat(20, 15)), alb: minutes(repeat(950, 15)) } },
      T0,
    );
    expect(disabled.to).toBe(4);
  });

  it('without data: no proposal, and the missing-data hold keeps the capacity', async () => {
    const d = await decide(compile(spec([cpu()])), { id: 't', capacity: 3, metrics: {} }, T0);
    expect([d.to, d.trace.policies?.awsTargetTracking?.[0]?.code]).toEqual([3, 'InsufficientData']);
  });

  it('lint counts it as a policy family: minimum = maximum warns FixedCapacity', () => {
    const fixed = compile(spec([cpu()], { capacity: { minimum: 3, maximum: 3, default: 3 } }));
    expect(lintRuleSet(fixed).map((w) => [w.code, w.path])).toEqual([['FixedCapacity', 'capacity.maximum']]);
  });

  it('the schema refuses two policies on one metric, with its path', () => {
    const r = loadRuleSet(spec([cpu(), cpu({ id: 'cpu2' })]));
    expect(r.ok ? [] : r.issues.map((i) => [i.code, i.path])).toEqual([['SchemaViolation', 'awsTargetTracking.policies[1].metric']]);
  });
});
