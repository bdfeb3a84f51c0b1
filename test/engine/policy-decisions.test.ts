// Target tracking, behavior, step scaling, mixing, flapping, missing data, scale to zero and placement seen through decide(): numbers, codes, reasons and traces.
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/schemas/decision.js';
import type { DecisionCode } from '../../src/schemas/codes.js';
import { decide, type TargetInput } from '../../src/engine/decide.js';
import { loadRuleSet, type CompiledRuleSet } from '../../src/engine/ruleset.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import type { DecisionState, RuleSetInput } from '../../src/schema.js';
import type { HpaBehavior } from '../../src/schemas/hpa-behavior.js';
import type { PlacementInstance } from '../../src/schemas/placement.js';
import { compile, flat, metricRule, MIN, ruleSet, run, T0 } from '../helpers.js';

type TT = NonNullable<RuleSetInput['targetTracking']>[number];
type RuleInput = RuleSetInput['rules'][number];
const SECOND = 1000;

function bundled(id: string): CompiledRuleSet {
  const set = resolveBundled(id);
  if (!set) throw new Error(`bundled rule set ${id} does not compile`);
  return set;
}

/**
 * An HPA that has run before but holds no recommendation and no scale event: what the controller's
 * own unit tests start from (an empty recommendation log), so a first scale-down is not held by the
 * current count that recordInitialRecommendation would store.
 */
const emptyHpaHistory: DecisionState = { version: 1, cooldownUntil: {}, hpa: { recommendations: [], scaleEvents: { up: [], down: [] } } };

/** Runs decisions in order, each with the previous decision's `to` and `state`, at T0 + `at` seconds. */
async function runSteps(set: CompiledRuleSet, capacity: number, steps: Array<{ at: number; metrics: TargetInput['metrics'] }>): Promise<Decision[]> {
  const out: Decision[] = [];
  let state: DecisionState | undefined;
  for (const step of steps) {
    const d = await decide(set, { id: 't1', capacity, metrics: step.metrics, ...(state && { state }) }, T0 + step.at * SECOND);
    out.push(d);
    capacity = d.to;
    state = d.state;
  }
  return out;
}

const cpuTarget = (averageUtilization: number, extra: Partial<TT> = {}): TT => ({
  id: 'cpu-60',
  metric: 'cpu',
  target: { type: 'Utilization', averageUtilization },
  ...extra,
});
const ttSet = (targetTracking: TT[], extra: Partial<RuleSetInput> = {}): RuleSetInput =>
  ruleSet([], { capacity: { minimum: 1, maximum: 50, default: 2 }, targetTracking, ...extra });

// ---------------------------------------------------------------------------------------------
// 1. Target tracking

// replica_calculator.go: usageRatio = current ÷ target; Tolerances.isWithin keeps the count when
// (1 − tolerance) ≤ ratio ≤ (1 + tolerance) (both edges inclusive), otherwise ceil(ratio × current).
// GetResourceReplicas (Utilization, an int32 percentage, so truncated), calcPlainMetricReplicas
// (Pods AverageValue), GetExternalMetricReplicas (Value: ratio × ready pods), and
// GetExternalPerPodMetricReplicas (AverageValue of a total: ceil(total ÷ per-pod target)).
// horizontal.go computeReplicasForMetrics: the largest proposal wins.
describe('target tracking: each rule proposes a count, the tolerance band decides, the largest proposal wins', () => {
  const rps100: TT = { id: 'rps-100', metric: 'rps', source: 'Pods', target: { type: 'AverageValue', averageValue: '100' } };
  type Case = {
    name: string;
    rules: TT[];
    metrics: Record<string, number>;
    to: number;
    code: DecisionCode;
    verdicts: string[];
    ratios: number[];
    decidedBy: string;
    /** Each rule's own proposal (trace metrics[].replicas), in rule order. */
    replicas: number[];
    /** A reason docs/rules.md quotes verbatim. */
    docsQuote?: string;
  };
  const cases: Case[] = [
    {
      name: 'ratio exactly 1.1 is inside the band (isWithin is inclusive): no change (GetResourceReplicas)',
      rules: [cpuTarget(60)],
      metrics: { cpu: 66 },
      to: 10,
      code: 'NoChange',
      verdicts: ['WithinTolerance'],
      ratios: [66 / 60],
      decidedBy: 'targetTracking:cpu-60',
      replicas: [10],
    },
    {
      name: 'utilization is a whole percent: 66.9 % reads as 66, still inside the band (GetResourceUtilizationRatio)',
      rules: [cpuTarget(60)],
      metrics: { cpu: 66.9 },
      to: 10,
      code: 'NoChange',
      verdicts: ['WithinTolerance'],
      ratios: [66 / 60],
      decidedBy: 'targetTracking:cpu-60',
      replicas: [10],
    },
    {
      name: 'ratio 1.5 proposes ceil(1.5 × 10) = 15 (GetResourceReplicas)',
      rules: [cpuTarget(60)],
      metrics: { cpu: 90 },
      to: 15,
      code: 'ScaleOut',
      verdicts: ['OutsideTolerance'],
      ratios: [1.5],
      decidedBy: 'targetTracking:cpu-60',
      replicas: [15],
      docsQuote: 'scale-out 10→15: target tracking (cpu-60): cpu-60: utilization 90% vs target 60% is ratio 1.5, outside the tolerance band [0.9, 1.1], so it proposes ceil(1.5 × 10) = 15',
    },
    {
      name: 'ratio 67/60 is just outside the band: ceil(11.17) = 12',
      rules: [cpuTarget(60)],
      metrics: { cpu: 67 },
      to: 12,
      code: 'ScaleOut',
      verdicts: ['OutsideTolerance'],
      ratios: [67 / 60],
      decidedBy: 'targetTracking:cpu-60',
      replicas: [12],
    },
    {
      name: 'Pods AverageValue: per-pod 150 vs 100 proposes ceil(1.5 × 10) = 15 (calcPlainMetricReplicas)',
      rules: [rps100],
      metrics: { rps: 150 },
      to: 15,
      code: 'ScaleOut',
      verdicts: ['OutsideTolerance'],
      ratios: [1.5],
      decidedBy: 'targetTracking:rps-100',
      replicas: [15],
    },
    {
      name: 'External Value: 120 vs 100 proposes ceil(1.2 × 10 ready pods) = 12 (GetExternalMetricReplicas)',
      rules: [{ id: 'queue-total', metric: 'queue', target: { type: 'Value', value: '100' } }],
      metrics: { queue: 120 },
      to: 12,
      code: 'ScaleOut',
      verdicts: ['OutsideTolerance'],
      ratios: [1.2],
      decidedBy: 'targetTracking:queue-total',
      replicas: [12],
    },
    {
      name: 'External AverageValue: a total of 1500 at 100 per pod proposes ceil(1500 ÷ 100) = 15 (GetExternalPerPodMetricReplicas)',
      rules: [{ id: 'queue-per-pod', metric: 'queue', source: 'External', target: { type: 'AverageValue', averageValue: '100' } }],
      metrics: { queue: 1500 },
      to: 15,
      code: 'ScaleOut',
      verdicts: ['OutsideTolerance'],
      ratios: [1500 / (100 * 10)],
      decidedBy: 'targetTracking:queue-per-pod',
      replicas: [15],
    },
    {
      name: 'two rules propose 15 and 18: the largest, 18, wins (computeReplicasForMetrics)',
      rules: [cpuTarget(60), rps100],
      metrics: { cpu: 90, rps: 180 },
      to: 18,
      code: 'ScaleOut',
      verdicts: ['OutsideTolerance', 'OutsideTolerance'],
      ratios: [1.5, 1.8],
      decidedBy: 'targetTracking:rps-100',
      replicas: [15, 18],
    },
    {
      name: 'one rule inside its band, one outside: the outside one decides',
      rules: [cpuTarget(60), rps100],
      metrics: { cpu: 60, rps: 130 },
      to: 13,
      code: 'ScaleOut',
      verdicts: ['WithinTolerance', 'OutsideTolerance'],
      ratios: [1, 1.3],
      decidedBy: 'targetTracking:rps-100',
      replicas: [10, 13],
    },
  ];
  it.each(cases)('$name', async ({ rules, metrics, to, code, verdicts, ratios, decidedBy, replicas, docsQuote }) => {
    const d = await run(ttSet(rules), { capacity: 10, metrics });
    expect(d).toMatchObject({ from: 10, to, code });
    if (docsQuote) expect(d.reason).toContain(docsQuote);
    const tt = d.trace.policies?.targetTracking;
    expect(tt?.metrics.map((m) => (m.ok ? m.verdict : m.code))).toEqual(verdicts);
    expect(tt?.metrics.map((m) => (m.ok ? m.ratio : undefined))).toEqual(ratios);
    expect(tt?.metrics.map((m) => (m.ok ? m.replicas : undefined))).toEqual(replicas);
    expect(tt?.desired).toBe(to);
    expect(d.trace.policies?.decidedBy).toBe(decidedBy);
    expect(d.trace.policies?.proposals).toEqual([{ source: 'targetTracking', id: decidedBy.replace('targetTracking:', ''), capacity: to }]);
  });
});

// AWS target tracking "DisableScaleIn" (as-scaling-target-tracking): the policy never removes
// capacity. The scale-down window is set to 0 so the behavior's stabilization cannot hide the effect.
describe('disableScaleIn keeps the capacity a target tracking rule would remove', () => {
  const noWindow: HpaBehavior = { scaleDown: { stabilizationWindowSeconds: 0 } };
  it.each([
    // The rule's own proposal stays 5 in its trace; disableScaleIn raises what it hands on to the current 10.
    { name: 'with disableScaleIn the ratio-0.5 proposal of 5 is held at 10', disableScaleIn: true, cpu: 30, to: 10, code: 'NoChange', replicas: 5, proposal: 10, docsQuote: '; disableScaleIn (cpu-60) keeps the current 10' },
    { name: 'without it the same reading scales in to 5', disableScaleIn: false, cpu: 30, to: 5, code: 'ScaleIn', replicas: 5, proposal: 5 },
    { name: 'disableScaleIn still scales out (ratio 1.5 → 15)', disableScaleIn: true, cpu: 90, to: 15, code: 'ScaleOut', replicas: 15, proposal: 15 },
  ] as Array<{ name: string; disableScaleIn: boolean; cpu: number; to: number; code: DecisionCode; replicas: number; proposal: number; docsQuote?: string }>)('$name', async ({ disableScaleIn, cpu, to, code, replicas, proposal, docsQuote }) => {
    const d = await run(ttSet([cpuTarget(60, { disableScaleIn })], { behavior: noWindow }), { capacity: 10, metrics: { cpu } });
    expect(d).toMatchObject({ from: 10, to, code });
    // docs/rules.md quotes this clause of the reason verbatim.
    if (docsQuote) expect(d.reason).toContain(docsQuote);
    const tt = d.trace.policies?.targetTracking;
    expect(tt?.metrics[0]).toMatchObject({ ok: true, rule: 'cpu-60', replicas, disableScaleIn });
    expect(tt?.desired).toBe(to);
    expect(d.trace.policies?.proposals).toEqual([{ source: 'targetTracking', id: 'cpu-60', capacity: proposal }]);
    expect(d.trace.policies?.decidedBy).toBe('targetTracking:cpu-60');
  });
});

// as-scaling-target-tracking, Considerations: "will scale in only if all of the target tracking policies
// (with the scale-in portion enabled) are ready to scale in" — a rule with scale-in disabled has no vote,
// even at its own target, where on its own it would hold the count.
describe('a rule with disableScaleIn has no vote on scale-in, even at its target', () => {
  const noWindow: HpaBehavior = { scaleDown: { stabilizationWindowSeconds: 0 } };
  const rps = (disableScaleIn: boolean): TT => ({ id: 'rps-100', metric: 'rps', source: 'Pods', target: { type: 'AverageValue', averageValue: 100 }, disableScaleIn });
  // Both rules report their own proposal (cpu 5, rps the current 10); only a rule with a vote on
  // scale-in is handed on, so with rps disabled the proposals hold cpu's 5 alone.
  it.each([
    { name: 'rps at its target with scale-in disabled: cpu alone votes, 10 → 5', disableScaleIn: true, to: 5, code: 'ScaleIn', rule: 'cpu-60', decidedBy: 'cpu-60', proposal: 5, docsQuote: '; rule rps-100 has scale-in disabled and no vote on it' },
    { name: 'the same rps rule with scale-in enabled holds 10 (not every rule is ready to scale in)', disableScaleIn: false, to: 10, code: 'NoChange', rule: null, decidedBy: 'rps-100', proposal: 10 },
  ] as Array<{ name: string; disableScaleIn: boolean; to: number; code: DecisionCode; rule: string | null; decidedBy: string; proposal: number; docsQuote?: string }>)('$name', async ({ disableScaleIn, to, code, rule, decidedBy, proposal, docsQuote }) => {
    const d = await run(ttSet([cpuTarget(60), rps(disableScaleIn)], { behavior: noWindow }), { capacity: 10, metrics: { cpu: 30, rps: 100 } });
    expect(d).toMatchObject({ from: 10, to, code, rule });
    // docs/rules.md quotes this clause of the reason verbatim.
    if (docsQuote) expect(d.reason).toContain(docsQuote);
    const tt = d.trace.policies?.targetTracking;
    expect(tt?.metrics.map((m) => [m.rule, m.ok && m.verdict, m.ok && m.replicas, m.disableScaleIn])).toEqual([
      ['cpu-60', 'OutsideTolerance', 5, false],
      ['rps-100', 'WithinTolerance', 10, disableScaleIn],
    ]);
    expect(tt?.desired).toBe(to);
    expect(d.trace.policies?.proposals).toEqual([{ source: 'targetTracking', id: decidedBy, capacity: proposal }]);
    expect(d.trace.policies?.decidedBy).toBe(`targetTracking:${decidedBy}`);
  });
});

// KEP-4951 (configurable tolerance): behavior.scaleUp.tolerance and behavior.scaleDown.tolerance
// replace the controller's 0.1 per direction; replica_calculator.go Tolerances.isWithin.
describe('per-direction tolerance from behavior.scaleUp/scaleDown.tolerance', () => {
  const behavior: HpaBehavior = { scaleUp: { tolerance: 0.05 }, scaleDown: { tolerance: 0.2, stabilizationWindowSeconds: 0 } };
  it.each([
    { name: 'ratio 64/60 = 1.067 is above 1 + 0.05: ceil(10.67) = 11', cpu: 64, to: 11, code: 'ScaleOut', verdict: 'OutsideTolerance', replicas: 11 },
    { name: 'ratio 62/60 = 1.033 is inside [0.8, 1.05]: no change', cpu: 62, to: 10, code: 'NoChange', verdict: 'WithinTolerance', replicas: 10 },
    { name: 'ratio 50/60 = 0.833 is inside [0.8, 1.05] (outside the default [0.9, 1.1]): no change', cpu: 50, to: 10, code: 'NoChange', verdict: 'WithinTolerance', replicas: 10 },
    { name: 'ratio 47/60 = 0.783 is below 1 − 0.2: ceil(7.83) = 8', cpu: 47, to: 8, code: 'ScaleIn', verdict: 'OutsideTolerance', replicas: 8 },
  ] as const)('$name', async ({ cpu, to, code, verdict, replicas }) => {
    const d = await run(ttSet([cpuTarget(60)], { behavior }), { capacity: 10, metrics: { cpu } });
    expect(d).toMatchObject({ from: 10, to, code });
    const m = d.trace.policies?.targetTracking?.metrics[0];
    expect(m).toMatchObject({ ok: true, verdict, replicas, tolerances: { scaleUp: 0.05, scaleDown: 0.2 } });
    expect(m?.ok && m.ratio).toBeCloseTo(cpu / 60, 6);
  });
  it('without a tolerance in the behavior the band is the default [0.9, 1.1]: ratio 0.833 proposes 9', async () => {
    const d = await run(ttSet([cpuTarget(60)], { behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } }), { capacity: 10, metrics: { cpu: 50 } });
    expect(d).toMatchObject({ from: 10, to: 9, code: 'ScaleIn' });
    const m = d.trace.policies?.targetTracking?.metrics[0];
    expect(m).toMatchObject({ ok: true, verdict: 'OutsideTolerance', replicas: 9, tolerances: { scaleUp: 0.1, scaleDown: 0.1 } });
    expect(m?.ok && m.ratio).toBeCloseTo(50 / 60, 6);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Behavior

// rules/k8s-api.json: scaleDown stabilizationWindowSeconds 300 with Percent 10 per 60 s.
// horizontal.go stabilizeRecommendationWithBehaviors keeps the highest recommendation made after
// now − 300 s (recordInitialRecommendation stored the current 10 at the first decision);
// calculateScaleDownLimitWithBehaviors allows int32(periodStart × (1 − 10/100)), where periodStart =
// current + replicas removed in the last 60 s (getReplicasChangePerPeriod counts events strictly
// after now − period).
describe('behavior: the scale-down stabilization window holds the highest recent recommendation, then the rate limit paces the scale-in', () => {
  // cpu 30 vs 60 → ratio 0.5; rps 40 vs 100 → 0.4: cpu proposes ceil(0.5 × 10) = 5 (the larger).
  const metrics = { cpu: 30, rps: 40 };
  type Step = { at: number; to: number; code: DecisionCode; reason: string; bound?: number; limits?: Array<[string, number]> };
  const steps: Step[] = [
    {
      at: 0,
      to: 10,
      code: 'ScaleDownStabilized',
      bound: 10,
      reason:
        'no change at 10: target tracking (cpu-utilization): cpu-utilization: utilization 30% vs target 60% is ratio 0.5, outside the tolerance band [0.9, 1.1], so it proposes ceil(0.5 × 10) = 5; ' +
        'behavior ScaleDownStabilized (5 → 10): scale-down stabilized: the highest recommendation in the last 300s is 10, so the raw 5 becomes 10: replicas stay at 10',
    },
    { at: 60, to: 10, code: 'ScaleDownStabilized', bound: 10, reason: 'scale-down stabilized: the highest recommendation in the last 300s is 10, so the raw 5 becomes 10' },
    { at: 299, to: 10, code: 'ScaleDownStabilized', bound: 10, reason: 'the highest recommendation in the last 300s is 10' },
    // The T0 recommendation (10) is not after now − 300 s: only the 5s remain. 10 × 0.9 = 9.
    { at: 300, to: 9, code: 'ScaleDownLimit', bound: 5, limits: [['Percent 10 per 60s', 9]], reason: 'scale-in 10→9: target tracking (cpu-utilization)' },
    // The removal at 300 s is inside the 60 s period: periodStart = 9 + 1 = 10, limit 9 = current.
    { at: 330, to: 9, code: 'ScaleDownLimit', bound: 5, limits: [['Percent 10 per 60s', 9]], reason: 'allow no fewer than 9 from 9' },
    // At 360 s the removal is exactly now − 60 s, so no longer counted: 9 × 0.9 = 8.1 → 8.
    { at: 360, to: 8, code: 'ScaleDownLimit', bound: 5, limits: [['Percent 10 per 60s', 8]], reason: 'scale-in 9→8' },
  ];
  it('a multi-step run carrying state.hpa', async () => {
    const decisions = await runSteps(bundled('k8s-api'), 10, steps.map(({ at }) => ({ at, metrics })));
    decisions.forEach((d, i) => {
      const s = steps[i]!;
      expect({ at: s.at, to: d.to, code: d.code }).toEqual({ at: s.at, to: s.to, code: s.code });
      expect(d.reason).toContain(s.reason);
      if (s.bound !== undefined) expect(d.trace.hpa?.stabilizationPick?.scaleDownBound).toBe(s.bound);
      if (s.limits) expect(d.trace.hpa?.limits.map((l) => [l.policy, l.limit])).toEqual(s.limits);
      expect(d.state.hpa?.recommendations.length).toBeGreaterThan(0);
    });
    expect(decisions[0]!.trace.hpa?.stabilizationPick).toMatchObject({ window: { scaleDown: 300 }, candidates: { scaleDown: [5, 10] }, picked: 10 });
    expect(decisions[3]!).toMatchObject({ from: 10, to: 9, code: 'ScaleDownLimit', trace: { hpa: { reason: 'ScaleDownLimit', selectPolicy: 'Max', rateLimit: 9, stabilizationPick: { picked: 5 } } } });
    expect(decisions[3]!.rule).toBe('cpu-utilization');
    expect(decisions[3]!.state.hpa?.scaleEvents.down).toEqual([{ at: '2026-11-22T10:35:00Z', change: 1 }]);
  });
});

// rules/k8s-api.json scaleUp: Pods 4 and Percent 100 per 15 s, selectPolicy Max
// (calculateScaleUpLimitWithScalingRules: periodStart = current − replicas added in the period;
// Pods → periodStart + 4, Percent → ceil(periodStart × 2), the larger wins). horizontal_test.go
// TestScalingWithRules "scaleUp with default behavior": 10 → desired 50 gives 20 (ScaleUpLimit).
describe('behavior: the scale-up rate limit, each policy with its limit', () => {
  // cpu 600 vs 60 → ratio 10: the recommendation is 10 × current; rps at target.
  const metrics = { cpu: 600, rps: 100 };
  const steps: Array<{ at: number; to: number; code: DecisionCode; limits: Array<[string, number]>; reason: string }> = [
    { at: 0, to: 20, code: 'ScaleUpLimit', limits: [['Pods 4 per 15s', 14], ['Percent 100 per 15s', 20]], reason: 'scale-up rate limit: the policies (selectPolicy Max) allow at most 20 from 10, so 100 is capped to 20' },
    // 10 s later the +10 still counts: periodStart = 20 − 10 = 10, so again at most 20.
    { at: 10, to: 20, code: 'ScaleUpLimit', limits: [['Pods 4 per 15s', 14], ['Percent 100 per 15s', 20]], reason: 'no change at 20' },
    // At 15 s the event is exactly now − 15 s and drops out: 24 or 40, and maxReplicas is 40.
    { at: 15, to: 40, code: 'ClampedToMax', limits: [['Pods 4 per 15s', 24], ['Percent 100 per 15s', 40]], reason: '200 is above maxReplicas, capped to 40' },
  ];
  it('Pods 4 / Percent 100 per 15 s with selectPolicy Max over three decisions', async () => {
    const decisions = await runSteps(bundled('k8s-api'), 10, steps.map(({ at }) => ({ at, metrics })));
    decisions.forEach((d, i) => {
      const s = steps[i]!;
      expect({ at: s.at, to: d.to, code: d.code }).toEqual({ at: s.at, to: s.to, code: s.code });
      expect(d.trace.hpa?.limits.map((l) => [l.policy, l.limit])).toEqual(s.limits);
      expect(d.trace.hpa?.selectPolicy).toBe('Max');
      expect(d.reason).toContain(s.reason);
    });
    expect(decisions[0]!.reason).toMatch(/^scale-out 10→20: target tracking \(cpu-utilization\)/);
  });
});

// horizontal_test.go cases replayed through decide(), each from an empty recommendation log as the
// controller tests start. The target tracking rule makes the raw recommendation the test's
// prenormalizedDesiredReplicas (Utilization target 60: cpu = 60 × desired ÷ current).
describe('behavior: horizontal_test.go cases give the same counts through decide()', () => {
  type Case = {
    name: string;
    bounds: { minimum: number; maximum: number };
    current: number;
    cpu: number;
    target?: number;
    behavior?: HpaBehavior;
    to: number;
    hpaReason: string;
    code: DecisionCode;
  };
  const pods = (value: number, periodSeconds = 60) => ({ type: 'Pods' as const, value, periodSeconds });
  const percent = (value: number, periodSeconds = 60) => ({ type: 'Percent' as const, value, periodSeconds });
  const cases: Case[] = [
    { name: 'TestScalingWithRules "scaleUp with default behavior": 10 → 50 gives 20', bounds: { minimum: 1, maximum: 1000 }, current: 10, cpu: 300, behavior: {}, to: 20, hpaReason: 'ScaleUpLimit', code: 'ScaleUpLimit' },
    { name: 'TestScalingWithRules "scaleUp with pod policy limitation": Pods 30 → 40', bounds: { minimum: 1, maximum: 1000 }, current: 10, cpu: 300, behavior: { scaleUp: { policies: [pods(30)], stabilizationWindowSeconds: 0 } }, to: 40, hpaReason: 'ScaleUpLimit', code: 'ScaleUpLimit' },
    { name: 'TestScalingWithRules "scaleUp with percent policy limitation": Percent 200 → 30', bounds: { minimum: 1, maximum: 1000 }, current: 10, cpu: 300, behavior: { scaleUp: { policies: [percent(200)] } }, to: 30, hpaReason: 'ScaleUpLimit', code: 'ScaleUpLimit' },
    { name: 'TestScalingWithRules "scaleUp with pods policy larger than percent policy": 10 → 500 gives 110', bounds: { minimum: 1, maximum: 1000 }, current: 10, cpu: 3000, behavior: { scaleUp: { policies: [pods(100), percent(100)] } }, to: 110, hpaReason: 'ScaleUpLimit', code: 'ScaleUpLimit' },
    { name: 'TestScalingWithRules "scaleDown with pod policy limitation": 10 → 2 gives 5', bounds: { minimum: 1, maximum: 1000 }, current: 10, cpu: 12, behavior: { scaleDown: { policies: [pods(5)], stabilizationWindowSeconds: 300 } }, to: 5, hpaReason: 'ScaleDownLimit', code: 'ScaleDownLimit' },
    // cpu 1 % vs 60 %: ceil(1/60 × 100) = 2; Percent 1 allows 99, Pods 20 allows 80, Max change → 80.
    { name: 'TestScalingWithRules "scaleDown with percent policy larger than pod policy": 100 → 2 gives 80', bounds: { minimum: 1, maximum: 1000 }, current: 100, cpu: 1, behavior: { scaleDown: { policies: [pods(20), percent(1)], stabilizationWindowSeconds: 300 } }, to: 80, hpaReason: 'ScaleDownLimit', code: 'ScaleDownLimit' },
    { name: 'TestScalingWithRules "scaleDown with spec MinReplicas limitation with large percent policy": gives the minimum 5', bounds: { minimum: 5, maximum: 1000 }, current: 10, cpu: 12, behavior: { scaleDown: { policies: [percent(100)], stabilizationWindowSeconds: 300 } }, to: 5, hpaReason: 'TooFewReplicas', code: 'ClampedToMin' },
    { name: 'TestCalculateScaleUpLimitWithScalingRules: Pods 2 / Percent 50, selectPolicy Min, from 1 → 2', bounds: { minimum: 1, maximum: 100 }, current: 1, cpu: 600, behavior: { scaleUp: { selectPolicy: 'Min', policies: [pods(2), percent(50)] } }, to: 2, hpaReason: 'ScaleUpLimit', code: 'ScaleUpLimit' },
    { name: 'TestCalculateScaleDownLimitWithBehaviors: Pods 2 / Percent 50, selectPolicy Min, from 5 → 3', bounds: { minimum: 1, maximum: 100 }, current: 5, cpu: 6, behavior: { scaleDown: { selectPolicy: 'Min', policies: [pods(2), percent(50)], stabilizationWindowSeconds: 0 } }, to: 3, hpaReason: 'ScaleDownLimit', code: 'ScaleDownLimit' },
    // TestUpscaleCap: 3 pods at 100/200/300 % of requests (average 200 %), target 10 % → 60; Percent 700 per 60 s → 24.
    { name: 'TestUpscaleCap: Percent 700 from 3 → 24', bounds: { minimum: 1, maximum: 100 }, current: 3, cpu: 200, target: 10, behavior: { scaleUp: { policies: [percent(700)] } }, to: 24, hpaReason: 'ScaleUpLimit', code: 'ScaleUpLimit' },
    { name: 'TestUpscaleCapGreaterThanMaxReplicas: maxReplicas 20 → 20', bounds: { minimum: 1, maximum: 20 }, current: 3, cpu: 200, target: 10, behavior: { scaleUp: { policies: [percent(700)] } }, to: 20, hpaReason: 'TooManyReplicas', code: 'ClampedToMax' },
  ];
  it.each(cases)('$name', async ({ bounds, current, cpu, target, behavior, to, hpaReason, code }) => {
    const spec = ttSet([cpuTarget(target ?? 60)], { capacity: { ...bounds, default: bounds.minimum }, ...(behavior && { behavior }) });
    const d = await run(spec, { capacity: current, metrics: { cpu }, state: emptyHpaHistory });
    expect(d).toMatchObject({ to, code });
    expect(d.trace.hpa?.reason).toBe(hpaReason);
    expect(d.reason).toContain(`behavior ${hpaReason}`);
  });
});

// calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors: selectPolicy
// Disabled returns the current count, so that direction never moves.
describe('behavior: selectPolicy Disabled stops one direction only', () => {
  // trace.hpa: the raw recommendation (desiredReplicas), the limit of the direction that moves
  // (rateLimit: the current 10 when that direction's selectPolicy is Disabled) and the result.
  type Hpa = { reason: string; desiredReplicas: number; replicas: number; direction: string; selectPolicy?: string; rateLimit?: number };
  it.each([
    { name: 'scale-down Disabled: the proposal of 5 stays at 10', behavior: { scaleDown: { selectPolicy: 'Disabled' } }, cpu: 30, to: 10, code: 'ScaleDownLimit', hpa: { reason: 'ScaleDownLimit', desiredReplicas: 5, replicas: 10, direction: 'down', selectPolicy: 'Disabled', rateLimit: 10 } },
    { name: 'scale-down Disabled still scales up (ratio 1.5 → 15)', behavior: { scaleDown: { selectPolicy: 'Disabled' } }, cpu: 90, to: 15, code: 'ScaleOut', hpa: { reason: 'DesiredWithinRange', desiredReplicas: 15, replicas: 15, direction: 'up', selectPolicy: 'Max' } },
    { name: 'scale-up Disabled: the proposal of 15 stays at 10', behavior: { scaleUp: { selectPolicy: 'Disabled' } }, cpu: 90, to: 10, code: 'ScaleUpLimit', hpa: { reason: 'ScaleUpLimit', desiredReplicas: 15, replicas: 10, direction: 'up', selectPolicy: 'Disabled', rateLimit: 10 } },
    { name: 'scale-up Disabled still scales down (window 0: ratio 0.5 → 5)', behavior: { scaleUp: { selectPolicy: 'Disabled' }, scaleDown: { stabilizationWindowSeconds: 0 } }, cpu: 30, to: 5, code: 'ScaleIn', hpa: { reason: 'DesiredWithinRange', desiredReplicas: 5, replicas: 5, direction: 'down', selectPolicy: 'Max' } },
  ] satisfies Array<{ name: string; behavior: HpaBehavior; cpu: number; to: number; code: DecisionCode; hpa: Hpa }>)('$name', async ({ behavior, cpu, to, code, hpa }) => {
    const d = await run(ttSet([cpuTarget(60)], { behavior }), { capacity: 10, metrics: { cpu }, state: emptyHpaHistory });
    expect(d).toMatchObject({ from: 10, to, code });
    expect(d.trace.hpa).toMatchObject({ currentReplicas: 10, ...hpa });
    expect(d.trace.policies?.proposals).toEqual([{ source: 'targetTracking', id: 'cpu-60', capacity: hpa.desiredReplicas }]);
  });
});

// Without `behavior` the controller takes normalizeDesiredReplicas + convertDesiredReplicasWithRules:
// at most max(scaleUpLimitFactor 2 × current, scaleUpLimitMinimum 4) per step, and maxReplicas.
// horizontal_test.go TestConvertDesiredReplicasWithRules and TestNormalizeDesiredReplicas.
describe('without behavior: one step reaches at most max(2 × current, 4); scale-down keeps the 300 s window', () => {
  // trace.hpa: reason, the raw recommendation (desiredReplicas), the no-behavior scale-up limit max(2 × current, 4)
  // when scaling up, and the stabilization pick when scaling down.
  type Hpa = { reason: string; desiredReplicas: number; rateLimit?: number; stabilizationPick?: { picked: number } };
  type Case = { name: string; current: number; cpu: number; maximum?: number; history?: Array<[number, number]>; to: number; code: DecisionCode; hpa: Hpa };
  const cases: Case[] = [
    { name: '"scaleUpLimit is the limit because scaleUpLimit < maxReplicas": from 3, max(6, 4) = 6', current: 3, cpu: 6000, to: 6, code: 'ScaleUpLimit', hpa: { reason: 'ScaleUpLimit', desiredReplicas: 300, rateLimit: 6 } },
    { name: 'from 1 the minimum of 4 applies: max(2, 4) = 4', current: 1, cpu: 6000, to: 4, code: 'ScaleUpLimit', hpa: { reason: 'ScaleUpLimit', desiredReplicas: 100, rateLimit: 4 } },
    { name: '"maxReplicas is the limit because maxReplicas < scaleUpLimit": from 8 with maximum 10', current: 8, cpu: 6000, maximum: 10, to: 10, code: 'ClampedToMax', hpa: { reason: 'TooManyReplicas', desiredReplicas: 800, rateLimit: 16 } },
    { name: '"prenormalized desired replicas within range": 5 → 7', current: 5, cpu: 84, to: 7, code: 'ScaleOut', hpa: { reason: 'DesiredWithinRange', desiredReplicas: 7, rateLimit: 10 } },
    // TestNormalizeDesiredReplicas "stabilize": recommendations 4 (2 min ago) and 5 (1 min ago), raw 3 → 5.
    { name: '"stabilize": 4 and 5 in the last 5 minutes hold a raw 3 at 5', current: 6, cpu: 30, history: [[120, 4], [60, 5]], to: 5, code: 'ScaleDownStabilized', hpa: { reason: 'ScaleDownStabilized', desiredReplicas: 3, stabilizationPick: { picked: 5 } } },
    // "no stabilize": 1 and 2 are below the raw 3, which stands.
    { name: '"no stabilize": 1 and 2 do not hold a raw 3', current: 6, cpu: 30, history: [[120, 1], [60, 2]], to: 3, code: 'ScaleIn', hpa: { reason: 'DesiredWithinRange', desiredReplicas: 3, stabilizationPick: { picked: 3 } } },
  ];
  it.each(cases)('$name', async ({ current, cpu, maximum, history, to, code, hpa }) => {
    const spec = ttSet([cpuTarget(60)], { capacity: { minimum: 1, maximum: maximum ?? 1000, default: 1 } });
    const state: DecisionState | undefined = history && {
      version: 1,
      cooldownUntil: {},
      hpa: { recommendations: history.map(([ago, replicas]) => ({ at: new Date(T0 - ago * SECOND).toISOString(), replicas })), scaleEvents: { up: [], down: [] } },
    };
    const d = await run(spec, { capacity: current, metrics: { cpu }, ...(state && { state }) });
    expect(d).toMatchObject({ from: current, to, code });
    expect(d.trace.hpa).toMatchObject({ currentReplicas: current, replicas: to, ...hpa });
    expect(d.trace.hpa?.selectPolicy).toBeUndefined();
    expect(d.state.hpa?.scaleEvents).toEqual({ up: [], down: [] });
  });
  it('a fresh rule set without behavior holds its first scale-down for the 300 s window (recordInitialRecommendation)', async () => {
    const d = await run(ttSet([cpuTarget(60)]), { capacity: 10, metrics: { cpu: 30 } });
    expect(d).toMatchObject({ from: 10, to: 10, code: 'ScaleDownStabilized', action: 'none' });
    expect(d.trace.hpa?.stabilizationPick).toMatchObject({ window: { scaleDown: 300 }, candidates: { scaleDown: [5, 10] }, picked: 10 });
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Step scaling

// AWS EC2 Auto Scaling user guide, "Step and simple scaling policies": #as-scaling-steps (bounds are
// relative to the threshold; above it the lower bound is inclusive and the upper exclusive, below it
// the reverse) and #as-scaling-adjustment (PercentChangeInCapacity: "Values greater than 1 are
// rounded down … Values between 0 and 1 are rounded to 1"); "Dynamic scaling": the group's bounds.
// rules/aws-step.json: ≥ 60 → +10 % in [0, 10), +20 % in [10, 20), +30 % in [20, ∞); < 30 → −1.
describe('step scaling through decide() with rules/aws-step.json', () => {
  // adjustment and wanted come from the firing policy's trace (result.adjustment, result.wanted); percent is
  // [raw, rounded] for PercentChangeInCapacity; clamp is trace.clamp when the bounds moved the result.
  type Case = { name: string; capacity: number; cpu: number; to: number; code: DecisionCode; policy?: number; step?: number; interval?: string; adjustment?: number; wanted?: number; percent?: [number, number]; clamp?: { wanted: number; to: number; bound: 'minimum' | 'maximum' } };
  const cases: Case[] = [
    { name: 'cpu 59.99 does not breach ≥ 60: no change', capacity: 10, cpu: 59.99, to: 10, code: 'NoRuleFired' },
    { name: 'cpu 60 is breach 0, the inclusive lower bound of step 0: +10 % of 10 = 1', capacity: 10, cpu: 60, to: 11, code: 'ScaleOut', policy: 0, step: 0, interval: '[0, 10)', adjustment: 1, wanted: 11, percent: [1, 1] },
    { name: 'cpu 69.99 is still step 0 (upper bound 10 exclusive)', capacity: 10, cpu: 69.99, to: 11, code: 'ScaleOut', policy: 0, step: 0, interval: '[0, 10)', adjustment: 1, wanted: 11, percent: [1, 1] },
    { name: 'cpu 70 is step 1: +20 % of 10 = 2', capacity: 10, cpu: 70, to: 12, code: 'ScaleOut', policy: 0, step: 1, interval: '[10, 20)', adjustment: 2, wanted: 12, percent: [2, 2] },
    { name: 'cpu 80 is step 2: +30 % of 10 = 3', capacity: 10, cpu: 80, to: 13, code: 'ScaleOut', policy: 0, step: 2, interval: '[20, +∞)', adjustment: 3, wanted: 13, percent: [3, 3] },
    { name: '+10 % of 3 = 0.3 is rounded to 1', capacity: 3, cpu: 65, to: 4, code: 'ScaleOut', policy: 0, step: 0, interval: '[0, 10)', adjustment: 1, wanted: 4, percent: [0.3, 1] },
    { name: '+20 % of 7 = 1.4 is rounded down to 1', capacity: 7, cpu: 75, to: 8, code: 'ScaleOut', policy: 0, step: 1, interval: '[10, 20)', adjustment: 1, wanted: 8, percent: [1.4, 1] },
    { name: '+30 % of 18 = 5.4 → 5 gives 23, clamped to the maximum 20', capacity: 18, cpu: 85, to: 20, code: 'ClampedToMax', policy: 0, step: 2, interval: '[20, +∞)', adjustment: 5, wanted: 23, percent: [5.4, 5], clamp: { wanted: 23, to: 20, bound: 'maximum' } },
    { name: 'cpu 30 does not breach < 30: no change', capacity: 10, cpu: 30, to: 10, code: 'NoRuleFired' },
    { name: 'cpu 29.99 breaches < 30 by −0.01, in (−∞, 0]: −1', capacity: 10, cpu: 29.99, to: 9, code: 'ScaleIn', policy: 1, step: 0, interval: '(−∞, 0]', adjustment: -1, wanted: 9 },
    { name: 'the scale-in step at the minimum 2 is clamped back: no change', capacity: 2, cpu: 20, to: 2, code: 'ClampedToMin', policy: 1, step: 0, interval: '(−∞, 0]', adjustment: -1, wanted: 1, clamp: { wanted: 1, to: 2, bound: 'minimum' } },
  ];
  it.each(cases)('$name', async ({ capacity, cpu, to, code, policy, step, interval, adjustment, wanted, percent, clamp }) => {
    const d = await decide(bundled('aws-step'), { id: 'w', capacity, metrics: { cpu } }, T0);
    expect(d).toMatchObject({ from: capacity, to, code });
    // The policy's own sentence ends the clause; decide() adds its own after it, never after a full stop.
    expect(d.reason).not.toContain('.;');
    expect(d.trace.clamp).toEqual(clamp);
    const traces = d.trace.policies?.stepScaling ?? [];
    expect(traces.map((t) => t.id)).toEqual(['cpu-high-steps', 'cpu-low-step']);
    if (policy === undefined) {
      expect(traces.map((t) => [t.result.fired, t.result.code])).toEqual([[false, 'AlarmNotBreached'], [false, 'AlarmNotBreached']]);
      expect(d.trace.policies?.proposals).toEqual([]);
      expect(d.rule).toBeNull();
    } else {
      const fired = traces[policy]!;
      expect(fired.result).toMatchObject({ fired: true, code: policy === 0 ? 'ScaleOut' : 'ScaleIn', step: { index: step, interval }, adjustment, wanted });
      if (percent) {
        expect(fired.result.percent?.raw).toBeCloseTo(percent[0], 9);
        expect(fired.result.percent?.rounded).toBe(percent[1]);
      } else expect(fired.result.percent).toBeUndefined();
      expect(traces[1 - policy]!.result).toMatchObject({ fired: false, code: 'AlarmNotBreached' });
      expect(d.trace.policies?.proposals).toEqual([{ source: 'stepScaling', id: fired.id, capacity: wanted }]);
      expect(d.trace.policies?.decidedBy).toBe(`stepScaling:${fired.id}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 4. Mixing families

// AWS "Multiple dynamic scaling policies": "Amazon EC2 Auto Scaling chooses the policy that provides
// the largest capacity for both scale out and scale in" — so capacity goes out if any family asks
// for more, and in only when every family with an opinion asks for less (the Azure rules always
// have one: their wish, or holding). The empty HPA history keeps the 300 s window out of the way.
describe('Azure rules and target tracking together: the largest capacity wins', () => {
  const spec = ruleSet(
    [
      metricRule('cpu-high', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 1 }),
      metricRule('cpu-low', 'in', 'LessThan', 30, { type: 'ChangeCount', value: 1 }),
    ],
    { capacity: { minimum: 1, maximum: 50, default: 2 }, targetTracking: [{ id: 'rps-100', metric: 'rps', source: 'Pods', target: { type: 'AverageValue', averageValue: '100' } }] },
  );
  // rules: what the Azure rules ask (trace.scaleOut.wants or trace.scaleIn.wants; absent when they hold);
  // targetTracking: the target tracking proposal (trace.policies.proposals).
  type Case = { name: string; cpu: number; rps: number; to: number; code: DecisionCode; rule: string | null; decidedBy: string; rules?: { out?: number; in?: number }; targetTracking: number; docsQuote?: string };
  const cases: Case[] = [
    { name: 'rules ask 11, target tracking 15: 15', cpu: 80, rps: 150, to: 15, code: 'ScaleOut', rule: 'rps-100', decidedBy: 'targetTracking:rps-100', rules: { out: 11 }, targetTracking: 15 },
    { name: 'rules ask 11, target tracking holds 10: 11', cpu: 80, rps: 100, to: 11, code: 'ScaleOut', rule: 'cpu-high', decidedBy: 'rules', rules: { out: 11 }, targetTracking: 10 },
    { name: 'rules scale in to 9, target tracking holds 10: no scale-in', cpu: 20, rps: 100, to: 10, code: 'NoChange', rule: null, decidedBy: 'targetTracking:rps-100', rules: { in: 9 }, targetTracking: 10 },
    { name: 'rules hold 10, target tracking asks 5: its scale-in is blocked and the reason says so', cpu: 50, rps: 50, to: 10, code: 'NoRuleFired', rule: null, decidedBy: 'rules', targetTracking: 5, docsQuote: 'no change at 10: no rule fired; target tracking (rps-100) asks for 5, but the rules keep 10 (the largest proposal wins)' },
    { name: 'both scale in (rules 9, target tracking 5): the larger, 9', cpu: 20, rps: 50, to: 9, code: 'ScaleIn', rule: 'cpu-low', decidedBy: 'rules', rules: { in: 9 }, targetTracking: 5 },
  ];
  it.each(cases)('$name', async ({ cpu, rps, to, code, rule, decidedBy, rules, targetTracking, docsQuote }) => {
    const d = await run(spec, { capacity: 10, metrics: { cpu: flat(cpu), rps }, state: emptyHpaHistory });
    expect(d).toMatchObject({ from: 10, to, code, rule });
    // docs/rules.md quotes this reason verbatim.
    if (docsQuote) expect(d.reason).toContain(docsQuote);
    expect([d.trace.scaleOut.wants, d.trace.scaleIn.wants]).toEqual([rules?.out, rules?.in]);
    expect(d.trace.policies?.proposals).toEqual([{ source: 'targetTracking', id: 'rps-100', capacity: targetTracking }]);
    expect(d.trace.policies?.decidedBy).toBe(decidedBy);
  });
});

// ---------------------------------------------------------------------------------------------
// 5. Flapping

// Azure "Autoscale best practices" (flapping): before a scale-in, autoscale estimates the metric at
// the new count as value × current ÷ new and skips a scale-in that would fire a scale-out rule.
// edgescale scales in as far as is safe. A total (Sum, Count) does not move with the count.
describe('flapping prevention projects scale-out metrics onto the smaller capacity', () => {
  const out70 = metricRule('cpu-high', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 1 });
  const in60 = metricRule('cpu-low', 'in', 'LessThan', 60, { type: 'ChangeCount', value: 1 });
  const sumRule = (id: string, statistic: 'Sum' | 'Average', threshold: number, dividePerInstance = false): RuleInput => ({
    id,
    direction: 'out',
    when: { metric: { metric: 'rps', statistic, operator: 'GreaterThan', threshold, dividePerInstance } },
    action: { type: 'ChangeCount', value: 1 },
  });
  type Case = {
    name: string;
    spec: RuleSetInput;
    capacity: number;
    metrics: TargetInput['metrics'];
    to: number;
    code: DecisionCode;
    /** The scale-in rule that decided, or null when the scale-in was deferred. */
    rule: string | null;
    /** [capacity, scale-out rule] of the projection that stopped the scale-in going further. */
    blockedBy?: [number, string];
    projected?: Array<[number, number, boolean]>;
  };
  const cases: Case[] = [
    {
      name: 'web-tier (out > 70, in < 30) at 5 with cpu 25: 25 × 5 ÷ 4 = 31.25 is safe, scale in',
      spec: bundled('web-tier').spec as RuleSetInput,
      capacity: 5,
      metrics: { cpu: flat(25) },
      to: 4,
      code: 'ScaleIn',
      rule: 'cpu-low',
      projected: [[4, (25 * 5) / 4, false]],
    },
    {
      name: 'in < 60 at 5 with cpu 58: 58 × 5 ÷ 4 = 72.5 > 70, the scale-in is deferred',
      spec: ruleSet([out70, in60]),
      capacity: 5,
      metrics: { cpu: flat(58) },
      to: 5,
      code: 'FlappingPrevented',
      rule: null,
      blockedBy: [4, 'cpu-high'],
      projected: [[4, (58 * 5) / 4, true]],
    },
    {
      name: '−50 % at 10 with cpu 36 wants 5 (72 > 70) and is reduced to 6 (60)',
      spec: ruleSet([out70, metricRule('cpu-low', 'in', 'LessThan', 40, { type: 'PercentChangeCount', value: 50 })]),
      capacity: 10,
      metrics: { cpu: flat(36) },
      to: 6,
      code: 'ScaleIn',
      rule: 'cpu-low',
      blockedBy: [5, 'cpu-high'],
      projected: [[5, (36 * 10) / 5, true], [6, (36 * 10) / 6, false]],
    },
    {
      name: 'a Sum total is not projected: 250 stays 250, not above 300, scale in',
      spec: ruleSet([sumRule('rps-high', 'Sum', 300), in60]),
      capacity: 5,
      metrics: { cpu: flat(58), rps: flat(250) },
      to: 4,
      code: 'ScaleIn',
      rule: 'cpu-low',
      projected: [[4, 250, false]],
    },
    {
      name: 'the same series as an Average is projected: 250 × 5 ÷ 4 = 312.5 > 300, deferred',
      spec: ruleSet([sumRule('rps-high', 'Average', 300), in60]),
      capacity: 5,
      metrics: { cpu: flat(58), rps: flat(250) },
      to: 5,
      code: 'FlappingPrevented',
      rule: null,
      blockedBy: [4, 'rps-high'],
      projected: [[4, (250 * 5) / 4, true]],
    },
    {
      name: 'a Sum divided per instance is projected: 1200 ÷ 5 = 240, at 4 it is 300 > 280, deferred',
      spec: ruleSet([sumRule('rps-high', 'Sum', 280, true), in60]),
      capacity: 5,
      metrics: { cpu: flat(58), rps: flat(1200) },
      to: 5,
      code: 'FlappingPrevented',
      rule: null,
      blockedBy: [4, 'rps-high'],
      projected: [[4, 1200 / 4, true]],
    },
    {
      name: 'a Count time aggregation (grains with data) is not projected: 10 grains stay 10',
      spec: ruleSet([
        { id: 'busy-grains', direction: 'out', when: { metric: { metric: 'cpu', timeAggregation: 'Count', operator: 'GreaterThan', threshold: 10 } }, action: { type: 'ChangeCount', value: 1 } },
        in60,
      ]),
      capacity: 5,
      metrics: { cpu: flat(58) },
      to: 4,
      code: 'ScaleIn',
      rule: 'cpu-low',
      projected: [[4, 10, false]],
    },
    {
      name: 'flappingProtection: false scales in regardless',
      spec: ruleSet([out70, in60], { flappingProtection: false }),
      capacity: 5,
      metrics: { cpu: flat(58) },
      to: 4,
      code: 'ScaleIn',
      rule: 'cpu-low',
    },
  ];
  it.each(cases)('$name', async ({ spec, capacity, metrics, to, code, rule, blockedBy, projected }) => {
    const d = await run(spec, { capacity, metrics });
    expect(d).toMatchObject({ from: capacity, to, code, rule });
    const block = d.trace.flapping?.blockedBy;
    expect(block && [block.capacity, block.rule]).toEqual(blockedBy);
    if (projected) expect(d.trace.flapping?.checks.map((c) => [c.capacity, c.projected, c.fires])).toEqual(projected);
    else expect(d.trace.flapping).toBeUndefined();
  });
  it('a deferred scale-in marks the in-rule, names no rule and starts no cooldown', async () => {
    const d = await run(ruleSet([out70, in60]), { capacity: 5, metrics: { cpu: flat(58) } });
    expect(d).toMatchObject({ action: 'none', rule: null, state: { cooldownUntil: {} } });
    expect(d.trace.rules[1]!.blocked).toEqual({ code: 'FlappingPrevented', message: 'projected cpu 72.5 > 70 of rule cpu-high' });
    expect(d.state.lastScale).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Missing data

// Azure "Autoscale best practices": without metrics autoscale goes up to the default count when
// below it and never scales in. "hold" keeps the count. KEDA ScaledObject `fallback`: after
// `failureThreshold` failed evaluations the target gets `fallback.replicas`.
describe('missing-data policies through decide()', () => {
  const cpuOut = metricRule('cpu-high', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 1 });
  const cpuIn = metricRule('cpu-low', 'in', 'LessThan', 30, { type: 'ChangeCount', value: 1 });
  const memIn = metricRule('mem-low', 'in', 'LessThan', 30, { type: 'ChangeCount', value: 1 }, { metric: 'mem' });
  const bounds = { minimum: 1, maximum: 10, default: 4 };
  type Case = { name: string; spec: RuleSetInput | CompiledRuleSet; capacity: number; metrics: TargetInput['metrics']; to: number; code: DecisionCode; missing?: string[]; rule?: string; proposals?: Array<{ source: string; id: string; capacity: number }>; stale?: string[] };
  const cases: Case[] = [
    { name: 'azure: below the default 4, capacity goes up to it', spec: ruleSet([cpuOut, cpuIn], { capacity: bounds }), capacity: 2, metrics: {}, to: 4, code: 'MissingDataDefault', missing: ['cpu'] },
    { name: 'azure: above the default, capacity is kept and scale-in suspended', spec: ruleSet([cpuOut, cpuIn], { capacity: bounds }), capacity: 6, metrics: {}, to: 6, code: 'MissingDataNoScaleIn', missing: ['cpu'] },
    { name: 'azure: a scale-in rule with data waits while another metric has none', spec: ruleSet([cpuOut, cpuIn, memIn], { capacity: bounds }), capacity: 6, metrics: { cpu: flat(10) }, to: 6, code: 'MissingDataNoScaleIn', missing: ['mem'] },
    { name: 'azure: a scale-out rule with data still fires', spec: ruleSet([cpuOut, memIn], { capacity: bounds }), capacity: 6, metrics: { cpu: flat(90) }, to: 7, code: 'ScaleOut', missing: ['mem'], rule: 'cpu-high' },
    { name: 'hold: below the default, capacity is still held', spec: ruleSet([cpuOut, cpuIn], { capacity: bounds, missingData: { policy: 'hold' } }), capacity: 2, metrics: {}, to: 2, code: 'MissingDataHold', missing: ['cpu'] },
    { name: 'maxAge: a series whose newest point is 3 minutes old is stale after PT2M', spec: ruleSet([cpuOut, cpuIn], { capacity: bounds, missingData: { maxAge: 'PT2M' } }), capacity: 6, metrics: { cpu: flat(10, 10, T0 - 3 * MIN) }, to: 6, code: 'MissingDataNoScaleIn', missing: ['cpu'], stale: ['cpu'] },
    { name: 'without maxAge the same 3-minute-old series is inside the window and scales in', spec: ruleSet([cpuOut, cpuIn], { capacity: bounds }), capacity: 6, metrics: { cpu: flat(10, 10, T0 - 3 * MIN) }, to: 5, code: 'ScaleIn', rule: 'cpu-low' },
    { name: 'target tracking only (k8s-api): below the default 3, capacity goes up to it', spec: bundled('k8s-api'), capacity: 2, metrics: {}, to: 3, code: 'MissingDataDefault', missing: ['cpu', 'rps'] },
    { name: 'target tracking only (k8s-api): above the default, no scale-in', spec: bundled('k8s-api'), capacity: 10, metrics: {}, to: 10, code: 'MissingDataNoScaleIn', missing: ['cpu', 'rps'] },
    {
      name: 'step scaling only: a scale-in step on data waits while another policy\'s metric has none',
      spec: ruleSet([], {
        capacity: bounds,
        stepScaling: [
          (bundled('aws-step').spec.stepScaling ?? [])[1]!,
          { id: 'mem-high', policy: { metric: 'mem', threshold: 80, comparison: 'GreaterThanThreshold', adjustmentType: 'ChangeInCapacity', stepAdjustments: [{ metricIntervalLowerBound: 0, scalingAdjustment: 1 }] } },
        ],
      }),
      capacity: 6,
      metrics: { cpu: 10 },
      to: 6,
      code: 'MissingDataNoScaleIn',
      missing: ['mem'], proposals: [{ source: 'stepScaling', id: 'cpu-low-step', capacity: 5 }],
    },
  ];
  it.each(cases)('$name', async ({ spec, capacity, metrics, to, code, missing, rule, proposals, stale }) => {
    const set = 'spec' in spec && 'specHash' in spec ? (spec as CompiledRuleSet) : compile(spec as RuleSetInput);
    const d = await decide(set, { id: 't1', capacity, metrics }, T0);
    expect(d).toMatchObject({ from: capacity, to, code, rule: rule ?? null });
    expect(d.trace.missingData?.metrics).toEqual(missing);
    if (proposals) expect(d.trace.policies?.proposals).toEqual(proposals);
    if (stale) {
      expect(d.trace.missingData?.stale).toEqual(stale);
      expect(d.trace.missingData?.behaviour).toContain(`(stale: ${stale.join(', ')})`);
    }
  });

  it('fallback: held for fallbackAfter − 1 evaluations, then the fallback, carried in state.missingCount', async () => {
    const spec = compile(ruleSet([cpuOut, cpuIn], { capacity: bounds, missingData: { policy: 'fallback', fallbackCapacity: 6, fallbackAfter: 3 } }));
    const none: TargetInput['metrics'] = {};
    const decisions = await runSteps(spec, 2, [
      { at: 0, metrics: none },
      { at: 60, metrics: none },
      { at: 120, metrics: none },
      { at: 180, metrics: none },
      { at: 240, metrics: { cpu: flat(50, 10, T0 + 240 * SECOND) } },
    ]);
    expect(decisions.map((d) => [d.to, d.code, d.state.missingCount])).toEqual([
      [2, 'MissingDataHold', 1],
      [2, 'MissingDataHold', 2],
      [6, 'MissingDataFallback', 3],
      [6, 'MissingDataFallback', 4],
      [6, 'NoRuleFired', undefined],
    ]);
    expect(decisions.map((d) => [d.from, d.action])).toEqual([
      [2, 'none'],
      [2, 'none'],
      [2, 'scaleOut'],
      [6, 'none'],
      [6, 'none'],
    ]);
    expect(decisions.slice(0, 4).map((d) => d.trace.missingData?.metrics)).toEqual([['cpu'], ['cpu'], ['cpu'], ['cpu']]);
  });

  // The fallback goes through the behavior like any other decision (KEDA feeds it to the HPA): from 3
  // without a behavior one step reaches at most max(2 × 3, 4) = 6, the next one the fallback 8.
  it('fallback in a target-tracking-only rule set, paced by the no-behavior scale-up limit', async () => {
    const spec = compile(ttSet([cpuTarget(60)], { capacity: { minimum: 1, maximum: 50, default: 2 }, missingData: { policy: 'fallback', fallbackCapacity: 8, fallbackAfter: 2 } }));
    const decisions = await runSteps(spec, 3, [
      { at: 0, metrics: {} },
      { at: 60, metrics: {} },
      { at: 120, metrics: {} },
    ]);
    expect(decisions.map((d) => [d.to, d.code, d.state.missingCount])).toEqual([
      [3, 'MissingDataHold', 1],
      [6, 'ScaleUpLimit', 2],
      [8, 'MissingDataFallback', 3],
    ]);
    expect(decisions[1]!).toMatchObject({ from: 3, to: 6, action: 'scaleOut', trace: { missingData: { metrics: ['cpu'] }, hpa: { reason: 'ScaleUpLimit', currentReplicas: 3, desiredReplicas: 8, replicas: 6 } } });
  });

  it('fallback does not undercut a scale-out rule that asks for more', async () => {
    const spec = ruleSet([metricRule('cpu-high', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 5 }), memIn], {
      capacity: { minimum: 1, maximum: 20, default: 1 },
      missingData: { policy: 'fallback', fallbackCapacity: 6, fallbackAfter: 1 },
    });
    const d = await run(spec, { capacity: 5, metrics: { cpu: flat(90) } });
    expect(d).toMatchObject({ from: 5, to: 10, code: 'ScaleOut', rule: 'cpu-high', trace: { scaleOut: { fired: ['cpu-high'], wants: 10 } } });
  });

  // missingData.fallbackMetrics: KEDA's fallback is for its scalers' metrics only (kedacore/keda
  // pkg/scaling/scale_handler.go getScalerState calls fallback.GetMetricsWithFallback for External metric
  // specs alone; cpu/memory go to the HPA from metrics-server). Another metric without data holds, as the
  // HPA does on a metric it cannot read (replica_calculator: it scales up on the valid metrics, never down).
  describe('fallbackMetrics: the fallback scoped to named metrics', () => {
    const scoped = (fallbackMetrics?: string[]) =>
      compile(
        ttSet([cpuTarget(60), { id: 'queue', metric: 'queue', source: 'External', target: { type: 'AverageValue', averageValue: '100' } }], {
          capacity: { minimum: 1, maximum: 20, default: 1 },
          behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
          missingData: { policy: 'fallback', fallbackCapacity: 10, fallbackAfter: 1, ...(fallbackMetrics && { fallbackMetrics }) },
        }),
      );
    const at4 = async (set: CompiledRuleSet, metrics: TargetInput['metrics']) => {
      const d = await decide(set, { id: 't1', capacity: 4, metrics }, T0);
      return [d.to, d.code, d.state.missingCount];
    };

    it.each([
      { queue: 400, to: 4, code: 'MissingDataHold' },
      { queue: 800, to: 8, code: 'ScaleOut' },
      { queue: 100, to: 4, code: 'MissingDataHold' },
    ])('cpu without data, queue $queue against 100 at 4: $to ($code), never the fallback 10', async ({ queue, to, code }) => {
      expect(await at4(scoped(['queue']), { queue })).toEqual([to, code, undefined]);
    });

    it('without fallbackMetrics (every metric) the same cpu without data goes to the fallback, paced 4 → 8', async () => {
      expect(await at4(scoped(), { queue: 400 })).toEqual([8, 'ScaleUpLimit', 1]);
    });

    it('a metric of the list without data counts and falls back; the reason and trace name what falls back', async () => {
      const d = await decide(scoped(['queue']), { id: 't1', capacity: 4, metrics: {} }, T0);
      expect([d.to, d.code, d.state.missingCount]).toEqual([8, 'ScaleUpLimit', 1]);
      expect(d.reason).toContain('queue has had no data for 1 evaluations, so capacity goes to the fallback 10');
      expect(d.trace.missingData).toEqual({
        metrics: ['cpu', 'queue'],
        behaviour: 'no data for cpu and queue: capacity is held, then set to 10 after 1 evaluations without data for queue (KEDA fallback; this is evaluation 1)',
      });
    });

    it('only a metric outside the list missing: the count restarts (0), as KEDA resets a scaler that answers', async () => {
      const set = compile(
        ttSet([cpuTarget(60), { id: 'queue', metric: 'queue', source: 'External', target: { type: 'AverageValue', averageValue: '100' } }], {
          capacity: { minimum: 1, maximum: 20, default: 1 },
          missingData: { policy: 'fallback', fallbackCapacity: 10, fallbackAfter: 3, fallbackMetrics: ['queue'] },
        }),
      );
      const steps = await runSteps(set, 4, [
        { at: 0, metrics: { cpu: 60 } },
        { at: 60, metrics: { cpu: 60 } },
        { at: 120, metrics: { queue: 400 } },
        { at: 180, metrics: { cpu: 60 } },
      ]);
      expect(steps.map((d) => [d.to, d.code, d.state.missingCount])).toEqual([
        [4, 'MissingDataHold', 1],
        [4, 'MissingDataHold', 2],
        [4, 'MissingDataHold', undefined],
        [4, 'MissingDataHold', 1],
      ]);
      expect(steps[2]!.reason).toContain('cpu has no data, so capacity is held (not a metric of missingData.fallbackMetrics, so no fallback)');
    });

    it('naming a metric the rule set does not read is refused (UnknownMetric), with its path', () => {
      const r = loadRuleSet(ruleSet([cpuOut], { capacity: bounds, missingData: { policy: 'fallback', fallbackCapacity: 2, fallbackMetrics: ['cpu', 'queue'] } }));
      expect(r.ok ? [] : r.issues.map((i) => [i.code, i.path, i.message])).toEqual([
        ['UnknownMetric', 'missingData.fallbackMetrics[1]', 'fallbackMetrics names "queue", a metric the rule set does not read'],
      ]);
    });

    it('is refused without policy "fallback", and empty, naming the field', () => {
      for (const missingData of [{ policy: 'hold' as const, fallbackMetrics: ['queue'] }, { policy: 'fallback' as const, fallbackCapacity: 2, fallbackMetrics: [] }]) {
        const r = loadRuleSet(ruleSet([cpuOut], { capacity: bounds, missingData }));
        expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['missingData.fallbackMetrics']);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// 7. Scale to zero

// KEDA "Scaling Deployments — Activating and Scaling": the activation phase alone decides 0 → 1 and
// 1 → 0 (the scaler is active when the metric is above activationThreshold); the scaling phase
// (here the rules or target tracking) decides 1 ↔ N. minReplicaCount 0 is what allows zero.
describe('scale to zero with an activation threshold', () => {
  const keda = ttSet([{ id: 'queue-per-worker', metric: 'queue', source: 'External', target: { type: 'AverageValue', averageValue: '100' } }], {
    capacity: { minimum: 0, maximum: 10, default: 0 },
    scaleToZero: { metric: 'queue', activationThreshold: 5 },
  });
  const idleOn = (metric: string): RuleInput => ({
    id: 'idle',
    direction: 'in',
    when: { metric: { metric, operator: 'LessThanOrEqual', threshold: 5 } },
    action: { type: 'ExactCount', value: 0 },
  });
  // value: the activation metric's reading (trace.activation.value, absent without data); asked: what the
  // scaling phase asked before activation gated it (the target tracking proposal, or the scale-in rule's
  // wants), absent when nothing asked; clamp: trace.clamp when the bounds moved the result.
  type Case = {
    name: string;
    spec: RuleSetInput;
    capacity: number;
    metrics: TargetInput['metrics'];
    to: number;
    code: DecisionCode;
    rule: string | null;
    active: boolean;
    value?: number;
    asked?: { targetTracking?: number; scaleIn?: number };
    clamp?: { wanted: number; to: number; bound: 'minimum' | 'maximum' };
    /** A clause of the reason docs/rules.md quotes verbatim. */
    docsQuote?: string;
  };
  const cases: Case[] = [
    { name: 'from 0, a queue of 3 (not above 5) does not activate', spec: keda, capacity: 0, metrics: { queue: 3 }, to: 0, code: 'ActivationNotReached', rule: null, active: false, value: 3, asked: { targetTracking: 1 }, docsQuote: 'queue 3 is not above the activation threshold 5, so capacity stays at 0' },
    { name: 'from 0, a queue exactly at 5 does not activate', spec: keda, capacity: 0, metrics: { queue: 5 }, to: 0, code: 'ActivationNotReached', rule: null, active: false, value: 5, asked: { targetTracking: 1 } },
    { name: 'from 0, a queue of 250 activates and target tracking sizes it: ceil(250 ÷ 100) = 3', spec: keda, capacity: 0, metrics: { queue: 250 }, to: 3, code: 'ScaleOut', rule: 'queue-per-worker', active: true, value: 250, asked: { targetTracking: 3 } },
    {
      name: 'from 0, an active metric lifts capacity to 1 even when nothing else asks (Activated)',
      spec: ruleSet([metricRule('cpu-high', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 1 })], { capacity: { minimum: 0, maximum: 10, default: 0 }, scaleToZero: { metric: 'queue', activationThreshold: 5 } }),
      capacity: 0,
      metrics: { queue: 50 },
      to: 1,
      code: 'Activated',
      rule: null,
      active: true,
      value: 50,
    },
    { name: 'to 0 with minimum 0 and the metric at or below the threshold', spec: ruleSet([idleOn('queue')], { capacity: { minimum: 0, maximum: 10, default: 0 }, scaleToZero: { metric: 'queue', activationThreshold: 5 } }), capacity: 2, metrics: { queue: flat(0) }, to: 0, code: 'ScaleIn', rule: 'idle', active: false, value: 0, asked: { scaleIn: 0 } },
    { name: 'to 0 is blocked while the metric is above the threshold: 1 instead', spec: ruleSet([idleOn('cpu')], { capacity: { minimum: 0, maximum: 10, default: 0 }, scaleToZero: { metric: 'queue', activationThreshold: 5 } }), capacity: 3, metrics: { cpu: flat(2), queue: 9 }, to: 1, code: 'DeactivationBlocked', rule: 'idle', active: true, value: 9, asked: { scaleIn: 0 }, docsQuote: 'capacity may go to 0 only while queue is at or below 5 (it is 9)' },
    { name: 'to 0 is blocked while the activation metric has no data', spec: ruleSet([idleOn('cpu')], { capacity: { minimum: 0, maximum: 10, default: 0 }, scaleToZero: { metric: 'queue', activationThreshold: 5 } }), capacity: 3, metrics: { cpu: flat(2) }, to: 1, code: 'DeactivationBlocked', rule: 'idle', active: false, asked: { scaleIn: 0 } },
    // (An ExactCount 0 with minimum 1 is refused when the rule set loads, so −5 from 2 asks for 0.)
    {
      name: 'with minimum 1 a rule asking for 0 is clamped to 1',
      spec: ruleSet([{ ...idleOn('queue'), action: { type: 'ChangeCount', value: 5 } }], { capacity: { minimum: 1, maximum: 10, default: 1 }, scaleToZero: { metric: 'queue', activationThreshold: 5 } }),
      capacity: 2,
      metrics: { queue: flat(0) },
      to: 1,
      code: 'ClampedToMin',
      rule: 'idle',
      active: false,
      value: 0,
      asked: { scaleIn: 0 },
      clamp: { wanted: 0, to: 1, bound: 'minimum' },
    },
  ];
  it.each(cases)('$name ($code)', async ({ spec, capacity, metrics, to, code, rule, active, value, asked, clamp, docsQuote }) => {
    const d = await run(spec, { capacity, metrics });
    expect(d).toMatchObject({ from: capacity, to, code, rule });
    if (docsQuote) expect(d.reason).toContain(docsQuote);
    expect(d.trace.activation).toEqual({ metric: 'queue', threshold: 5, active, ...(value !== undefined && { value }) });
    expect(d.trace.policies?.proposals[0]?.capacity).toBe(asked?.targetTracking);
    expect(d.trace.scaleIn.wants).toBe(asked?.scaleIn);
    expect(d.trace.clamp).toEqual(clamp);
  });
});

// ---------------------------------------------------------------------------------------------
// 8. Placement

// Azure "Use custom scale-in policies with Azure Virtual Machine Scale Sets": a scale-in first
// balances zones, then Default removes the highest instance ID, NewestVM the newest, OldestVM the
// oldest; instances protected from scale-in are never removed. "Zone balancing": new instances go
// to the zones with the fewest.
describe('placement through decide()', () => {
  const zones = { zones: ['1', '2', '3'] };
  const balanced: PlacementInstance[] = [
    { id: '0', zone: '1', createdAt: '2026-01-01T00:00:00Z' },
    { id: '1', zone: '2', createdAt: '2026-01-04T00:00:00Z' },
    { id: '2', zone: '3', createdAt: '2026-03-01T00:00:00Z' }, // newest
    { id: '3', zone: '1', createdAt: '2025-12-01T00:00:00Z' }, // oldest
    { id: '4', zone: '2', createdAt: '2026-01-10T00:00:00Z' },
    { id: '5', zone: '3', createdAt: '2026-01-02T00:00:00Z' }, // highest id
  ];
  const scaleIn = (value: number) => metricRule('cpu-low', 'in', 'LessThan', 30, { type: 'ChangeCount', value });
  const scaleOut = metricRule('cpu-high', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 2 });

  it.each([
    { policy: 'Default', removed: ['5'] },
    { policy: 'NewestVM', removed: ['2'] },
    { policy: 'OldestVM', removed: ['3'] },
  ] as const)('scale-in of 1 from even zones under $policy removes $removed', async ({ policy, removed }) => {
    const spec = ruleSet([scaleIn(1)], { placement: { ...zones, scaleInPolicy: policy } });
    const d = await run(spec, { capacity: 6, metrics: { cpu: flat(10) }, instances: balanced });
    expect(d).toMatchObject({ from: 6, to: 5, code: 'ScaleIn', rule: 'cpu-low', placement: { ok: true, code: 'ZoneBalanced', requested: 1, removed, shortfall: 0 } });
    expect(d.trace.rules[0]).toMatchObject({ rule: 'cpu-low', status: 'Fired', capacity: 5, condition: { value: 10, operator: 'LessThan', threshold: 30 } });
  });

  it('scale-in of 2 (Default): the highest id, then the highest id of the zones left with the most', async () => {
    const d = await run(ruleSet([scaleIn(2)], { placement: zones }), { capacity: 6, metrics: { cpu: flat(10) }, instances: balanced });
    expect(d.to).toBe(4);
    expect(d.placement).toMatchObject({
      ok: true,
      removed: ['5', '4'],
      perZone: [
        { zone: '1', before: 2, remove: 0, after: 2 },
        { zone: '2', before: 2, remove: 1, after: 1 },
        { zone: '3', before: 2, remove: 1, after: 1 },
      ],
    });
  });

  it('scale-out of 2 goes to the zones with the fewest instances (decision.placement.perZone)', async () => {
    const four = balanced.slice(0, 4); // zone 1: 0 and 3; zone 2: 1; zone 3: 2
    const d = await run(ruleSet([scaleOut], { placement: zones }), { capacity: 4, metrics: { cpu: flat(90) }, instances: four });
    expect(d).toMatchObject({ to: 6, code: 'ScaleOut', placement: { ok: true, placed: 2, balancedAfter: true } });
    expect(d.placement && 'perZone' in d.placement && d.placement.perZone).toEqual([
      { zone: '1', before: 2, add: 0, after: 2 },
      { zone: '2', before: 1, add: 1, after: 2 },
      { zone: '3', before: 1, add: 1, after: 2 },
    ]);
  });

  type ProtectionCase = { name: string; unprotected: string[]; to: number; action: string; rule: string | null; removed: string[]; shortfall: number; cooldown: boolean };
  const protectionCases: ProtectionCase[] = [
    {
      name: 'a −2 scale-in with one removable instance removes that one: 6 → 5',
      unprotected: ['0'],
      to: 5,
      action: 'scaleIn',
      rule: 'cpu-low',
      removed: ['0'],
      shortfall: 1,
      cooldown: true,
    },
    {
      name: 'every instance protected: no change, no rule, no cooldown',
      unprotected: [],
      to: 6,
      action: 'none',
      rule: null,
      removed: [],
      shortfall: 2,
      cooldown: false,
    },
  ];
  it.each(protectionCases)('protected instances are never removed: $name', async ({ unprotected, to, action, rule, removed, shortfall, cooldown }) => {
    const instances = balanced.map((i) => ({ ...i, protected: !unprotected.includes(i.id) }));
    const d = await run(ruleSet([scaleIn(2)], { placement: zones }), { capacity: 6, metrics: { cpu: flat(10) }, instances });
    expect(d).toMatchObject({ from: 6, to, action, rule, code: 'ProtectionLimitsScaleIn', placement: { ok: true, code: 'ProtectionLimitsScaleIn', requested: 2, removed, shortfall } });
    expect(d.trace.rules[0]).toMatchObject({ rule: 'cpu-low', status: 'Fired', capacity: 4 });
    expect(d.state.cooldownUntil.in !== undefined).toBe(cooldown);
  });
});
