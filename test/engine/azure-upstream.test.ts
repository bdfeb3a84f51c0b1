// Microsoft Learn worked examples (autoscale settings, best practices, flapping, custom metric, troubleshooting, profiles, VMSS scale-in policy, instance protection) replayed through decide().
//
// Sources, as stored in MicrosoftDocs/azure-monitor-docs and MicrosoftDocs/azure-compute-docs:
//   [settings]   articles/azure-monitor/autoscale/autoscale-understanding-settings.md ("Understand autoscale settings")
//   [best]       articles/azure-monitor/autoscale/autoscale-best-practices.md ("Best practices for autoscale"); the
//                "Choose the thresholds carefully" and multiple-profiles sections are from its 2022 revision
//                (MicrosoftDocs/azure-docs), which the current page dropped
//   [flapping]   articles/azure-monitor/autoscale/autoscale-flapping.md ("Flapping in Autoscale")
//   [custom]     articles/azure-monitor/autoscale/autoscale-custom-metric.md ("Autoscale a web app by using custom metrics")
//   [profiles]   articles/azure-monitor/autoscale/autoscale-multiprofile.md and autoscale-common-scale-patterns.md
//   [scale-in]   articles/virtual-machine-scale-sets/virtual-machine-scale-sets-scale-in-policy.md
//   [protection] articles/virtual-machine-scale-sets/virtual-machine-scale-sets-instance-protection.md
//   [troubleshoot] articles/azure-monitor/autoscale/autoscale-troubleshoot.md ("Troubleshoot Azure Monitor autoscale")
// Every expected number is the doc's own or computed by hand from the doc's rule (shown beside the case);
// none was read off this code. Where a doc contradicts its own arithmetic the case says so.
// Windows time zones in the docs are replaced by their CLDR IANA equivalents, which edgescale requires:
// "Pacific Standard Time" = America/Los_Angeles, "E. Europe Standard Time" = Europe/Chisinau (+02:00 in November).
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/schemas/decision.js';
import type { RuleSetInput } from '../../src/schema.js';
import type { PlacementInstance } from '../../src/schemas/placement.js';
import { flat, MIN, ruleSet, run, T0 } from '../helpers.js';

type Rule = RuleSetInput['rules'][number];
type Op = 'GreaterThan' | 'GreaterThanOrEqual' | 'LessThan' | 'LessThanOrEqual';
interface TriggerExtra {
  timeGrain?: string;
  statistic?: 'Average' | 'Min' | 'Max' | 'Sum' | 'Count';
  timeWindow?: string;
  timeAggregation?: 'Average' | 'Minimum' | 'Maximum' | 'Total' | 'Count' | 'Last';
  dividePerInstance?: boolean;
  cooldown?: string;
}

/** A rule written as its Azure metricTrigger + scaleAction. */
function rule(id: string, direction: 'out' | 'in', metric: string, operator: Op, threshold: number, action: Rule['action'], extra: TriggerExtra = {}): Rule {
  const { cooldown, ...trigger } = extra;
  return { id, direction, when: { metric: { metric, operator, threshold, ...trigger } }, action, ...(cooldown && { cooldown }) };
}
const by = (value: number): Rule['action'] => ({ type: 'ChangeCount', value });
const byPercent = (value: number): Rule['action'] => ({ type: 'PercentChangeCount', value });
const at = (iso: string) => Date.parse(iso);

// ---------------------------------------------------------------------------------------------
// [settings] "Autoscale setting schema": VMSS1, capacity 1–4 (default 1); scale out by 1 when average
// Percentage CPU > 85 over PT10M, scale in by 1 when < 60; PT1M grains, Average/Average, cooldown PT5M.

const CPU = 'Percentage CPU';
const vmss1Trigger: TriggerExtra = { timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT10M', timeAggregation: 'Average', dividePerInstance: false, cooldown: 'PT5M' };
const VMSS1 = ruleSet(
  [rule('cpu-above-85', 'out', CPU, 'GreaterThan', 85, by(1), vmss1Trigger), rule('cpu-below-60', 'in', CPU, 'LessThan', 60, by(1), vmss1Trigger)],
  { capacity: { minimum: 1, maximum: 4, default: 1 } },
);

describe('[settings] the VMSS1 example setting (CPU > 85 out, < 60 in, 1–4 instances)', () => {
  type Case = { name: string; capacity: number; cpu: number | null; to: number; code: string };
  const cases: Case[] = [
    { name: 'CPU 90 > 85 at 2 scales out by 1', capacity: 2, cpu: 90, to: 3, code: 'ScaleOut' },
    { name: 'CPU 90 at the maximum 4 stays at 4 ("doesn\'t scale your resource above this number")', capacity: 4, cpu: 90, to: 4, code: 'ClampedToMax' },
    { name: 'CPU 70 is neither > 85 nor < 60', capacity: 2, cpu: 70, to: 2, code: 'NoRuleFired' },
    // Flapping check (settings: "evaluates whether that action would trigger a scale-out action"): 50 × 3 ÷ 2 = 75 ≤ 85.
    { name: 'CPU 50 at 3 scales in: projected 50 × 3 ÷ 2 = 75 is not > 85', capacity: 3, cpu: 50, to: 2, code: 'ScaleIn' },
    { name: 'CPU 50 at 2 does not scale in: projected 50 × 2 ÷ 1 = 100 > 85', capacity: 2, cpu: 50, to: 2, code: 'FlappingPrevented' },
    { name: 'CPU 42.5 at 2 scales in: projected 85 is not > 85', capacity: 2, cpu: 42.5, to: 1, code: 'ScaleIn' },
    { name: 'CPU 43 at 2 does not scale in: projected 86 > 85', capacity: 2, cpu: 43, to: 2, code: 'FlappingPrevented' },
    { name: 'CPU 50 at the minimum 1: nothing below it', capacity: 1, cpu: 50, to: 1, code: 'ClampedToMin' },
    // capacity.default: "If the current capacity is already higher than the default capacity, autoscale doesn't scale in."
    { name: 'no CPU data at 3 (above default 1): no scale-in', capacity: 3, cpu: null, to: 3, code: 'MissingDataNoScaleIn' },
    { name: 'no CPU data at the default 1: stays', capacity: 1, cpu: null, to: 1, code: 'MissingDataNoScaleIn' },
  ];
  it.each(cases)('$name → $to ($code)', async ({ capacity, cpu, to, code }) => {
    const d = await run(VMSS1, { capacity, metrics: cpu === null ? {} : { [CPU]: flat(cpu) } });
    expect(d.to).toBe(to);
    expect(d.code).toBe(code);
  });

  // "timeWindow = PT10M means that every time autoscale runs, it queries metrics for the past 10 minutes";
  // "take the ten 1-minute samples, and average them".
  it.each([
    { name: 'ten samples 80..98 (step 2) average 89 > 85', points: Array.from({ length: 10 }, (_, i) => ({ t: T0 - (9 - i) * MIN, v: 80 + 2 * i })), value: 89, to: 3 },
    { name: 'a spike older than 10 minutes is not looked at: 80 for the window', points: [{ t: T0 - 15 * MIN, v: 100 }, { t: T0 - 10 * MIN, v: 100 }, ...flat(80)], value: 80, to: 2 },
  ])('$name', async ({ points, value, to }) => {
    const d = await run(VMSS1, { capacity: 2, metrics: { [CPU]: points } });
    expect(d.trace.rules[0]!.condition).toMatchObject({ kind: 'metric', value });
    expect(d.to).toBe(to);
  });
});

// [settings] "How does autoscale evaluate multiple rules?": the highest scale-out capacity wins; scale-in
// only if every scale-in rule fires, to the highest capacity among them.
describe('[settings] several rules: the largest capacity wins in both directions', () => {
  type Case = { name: string; rules: Rule[]; capacity: number; metrics: Record<string, number>; to: number; code: string; rule: string | null };
  const out3 = rule('out-3', 'out', 'm1', 'GreaterThan', 70, by(3));
  const out5 = rule('out-5', 'out', 'm2', 'GreaterThan', 70, by(5));
  const out15pc = rule('out-15pc', 'out', 'm2', 'GreaterThan', 70, byPercent(15));
  const in50pc = rule('in-50pc', 'in', 'm1', 'LessThan', 30, byPercent(50));
  const in3 = rule('in-3', 'in', 'm2', 'LessThan', 30, by(3));
  const cases: Case[] = [
    { name: '"Rule 1 ... by three instances, rule 2 ... by five. If both rules are triggered, autoscale scales out by five"', rules: [out3, out5], capacity: 10, metrics: { m1: 90, m2: 90 }, to: 15, code: 'ScaleOut', rule: 'out-5' },
    { name: 'only the +3 rule triggered: +3', rules: [out3, out5], capacity: 10, metrics: { m1: 90, m2: 50 }, to: 13, code: 'ScaleOut', rule: 'out-3' },
    // "one rule specifies scale-out by three instances and another ... by 15%, the higher of the two": 15 % of 40 = 6 > 3.
    { name: '+3 and +15 % at 40: 46 beats 43', rules: [out3, out15pc], capacity: 40, metrics: { m1: 90, m2: 90 }, to: 46, code: 'ScaleOut', rule: 'out-15pc' },
    { name: '+3 and +15 % at 10: 13 beats 10 + ceil(1.5) = 12', rules: [out3, out15pc], capacity: 10, metrics: { m1: 90, m2: 90 }, to: 13, code: 'ScaleOut', rule: 'out-3' },
    // "two scale-in rules, one that decreases capacity by 50% and one ... by three instances. If the first rule results in five
    // instances and the second rule results in seven, autoscale scales in to seven instances."
    { name: '−50 % (5) and −3 (7) at 10: seven', rules: [in50pc, in3], capacity: 10, metrics: { m1: 10, m2: 10 }, to: 7, code: 'ScaleIn', rule: 'in-3' },
    { name: '"Autoscale only scales in if all the scale-in rules are triggered": −3 not triggered', rules: [in50pc, in3], capacity: 10, metrics: { m1: 10, m2: 50 }, to: 10, code: 'ScaleInNotUnanimous', rule: null },
  ];
  it.each(cases)('$name → $to', async ({ rules, capacity, metrics, to, code, rule: winner }) => {
    const series = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, flat(v)]));
    const d = await run(ruleSet(rules), { capacity, metrics: series });
    expect(d).toMatchObject({ to, code, rule: winner });
  });
});

// [settings] "How does autoscale evaluate cooldown?": scale-out cooldown 60 minutes, scale-in cooldown 40 minutes;
// the cooldown of the rule that most recently fired holds both directions.
describe('[settings] the cooldown timeline (out PT60M, in PT40M, one shared timer)', () => {
  const spec = ruleSet(
    [rule('cpu-spike', 'out', 'cpu', 'GreaterThan', 75, by(1), { cooldown: 'PT60M' }), rule('cpu-normal', 'in', 'cpu', 'LessThan', 30, by(1), { cooldown: 'PT40M' })],
    { capacity: { minimum: 1, maximum: 10, default: 1 } },
  );
  type Step = { name: string; time: string; cpu: number; action: Decision['action']; code: string; reason: string };
  const steps: Step[] = [
    { name: '1. a CPU spike triggers a scale-out at 10:00', time: '10:00', cpu: 90, action: 'scaleOut', code: 'ScaleOut', reason: 'scale-out 3→4: rule cpu-spike fired' },
    { name: '   no further scale action until 11:00 (a scale-in at 10:30)', time: '10:30', cpu: 10, action: 'none', code: 'CooldownActive', reason: 'scale-in deferred: cooldown of rule cpu-spike until 11:00Z' },
    { name: '   nor a scale-out at 10:59', time: '10:59', cpu: 90, action: 'none', code: 'CooldownActive', reason: 'scale-out deferred: cooldown of rule cpu-spike until 11:00Z' },
    { name: '2. CPU returns to normal and a scale-in runs at 13:00 (10 × 4 ÷ 3 = 13.3 is no flap)', time: '13:00', cpu: 10, action: 'scaleIn', code: 'ScaleIn', reason: 'scale-in 4→3: rule cpu-normal fired' },
    { name: '3. CPU spikes at 13:20: the scale-in cooldown defers the scale-out', time: '13:20', cpu: 90, action: 'none', code: 'CooldownActive', reason: 'scale-out deferred: cooldown of rule cpu-normal until 13:40Z' },
    { name: '4. the scale-out runs at 13:40, when the cooldown of the 13:00 scale-in elapses', time: '13:40', cpu: 90, action: 'scaleOut', code: 'ScaleOut', reason: 'scale-out 3→4: rule cpu-spike fired' },
  ];
  /** Replays the timeline up to step `last`, carrying capacity and state as a caller would. */
  async function replay(last: number): Promise<Decision> {
    let capacity = 3;
    let state: Decision['state'] | undefined;
    let d: Decision | undefined;
    for (const step of steps.slice(0, last + 1)) {
      const now = at(`2026-11-23T${step.time}:00Z`);
      d = await run(spec, { capacity, metrics: { cpu: flat(step.cpu, 10, now) }, ...(state && { state }) }, now);
      capacity = d.to;
      state = d.state;
    }
    return d!;
  }
  it.each(steps.map((s, i) => ({ ...s, i })))('$name → $code', async ({ i, action, code, reason }) => {
    const d = await replay(i);
    expect(d.action).toBe(action);
    expect(d.code).toBe(code);
    expect(d.reason).toContain(reason);
  });
});

// ---------------------------------------------------------------------------------------------
// [best] "Best practices for autoscale".

describe('[best] capacity limits', () => {
  const rules = [rule('cpu-high', 'out', 'cpu', 'GreaterThan', 75, by(1)), rule('cpu-low', 'in', 'cpu', 'LessThan', 30, by(1))];
  type Case = { name: string; bounds: { minimum: number; maximum: number; default: number }; capacity: number; cpu: number; to: number; code: string };
  const cases: Case[] = [
    // "If you have a setting that has minimum=2, maximum=2, and the current instance count is 2, no scale action can occur."
    { name: 'min = max = 2 at 2: a scale-out rule firing changes nothing', bounds: { minimum: 2, maximum: 2, default: 2 }, capacity: 2, cpu: 90, to: 2, code: 'ClampedToMax' },
    { name: 'min = max = 2 at 2: a scale-in rule firing changes nothing', bounds: { minimum: 2, maximum: 2, default: 2 }, capacity: 2, cpu: 10, to: 2, code: 'ClampedToMin' },
    // "you set the range between 3 and 6. If you have one running instance, the autoscale engine scales to three instances
    // on its next run. Likewise, if you manually set the scale to eight instances, the autoscale engine scales it back to six".
    { name: 'range 3–6, one running instance: scales to 3', bounds: { minimum: 3, maximum: 6, default: 3 }, capacity: 1, cpu: 50, to: 3, code: 'BroughtIntoBounds' },
    { name: 'range 3–6, eight instances: scales back to 6', bounds: { minimum: 3, maximum: 6, default: 3 }, capacity: 8, cpu: 50, to: 6, code: 'BroughtIntoBounds' },
  ];
  it.each(cases)('$name → $to ($code)', async ({ bounds, capacity, cpu, to, code }) => {
    const d = await run(ruleSet(rules, { capacity: bounds }), { capacity, metrics: { cpu: flat(cpu) } });
    expect(d).toMatchObject({ to, code });
    if (to === capacity) expect(d.action).toBe('none');
  });
});

// [best] "Always select a safe default instance count": "If current capacity is below the default, autoscale scales out
// to the default ... If current capacity is already higher than the default, autoscale doesn't scale in." Bounds from
// [profiles] "Scale based on metrics": minimum 2, maximum 10, default 3.
describe('[best] metrics missing: up to the default, never in', () => {
  const spec = ruleSet([rule('cpu-high', 'out', 'cpu', 'GreaterThan', 75, by(1)), rule('cpu-low', 'in', 'cpu', 'LessThan', 30, by(1))], {
    capacity: { minimum: 2, maximum: 10, default: 3 },
  });
  it.each([
    { capacity: 2, to: 3, code: 'MissingDataDefault' },
    { capacity: 3, to: 3, code: 'MissingDataNoScaleIn' },
    { capacity: 5, to: 5, code: 'MissingDataNoScaleIn' },
  ])('no data at $capacity → $to ($code)', async ({ capacity, to, code }) => {
    const d = await run(spec, { capacity, metrics: {} });
    expect(d).toMatchObject({ to, code });
  });
});

// [best] "Always use a scale-out and scale-in rule combination": CPU > 90 out, Memory > 90 out, CPU < 45 in — "the memory
// usage might be over 90% while the CPU usage is under 45%". Scale-out is evaluated first; when memory falls, the
// flapping estimate (value × current ÷ new) still guards the scale-in on the other metric.
describe('[best] scale-out on a metric the scale-in rule does not read', () => {
  const spec = ruleSet([
    rule('cpu-high', 'out', 'cpu', 'GreaterThan', 90, by(1)),
    rule('memory-high', 'out', 'memory', 'GreaterThan', 90, by(1)),
    rule('cpu-low', 'in', 'cpu', 'LessThan', 45, by(1)),
  ]);
  it.each([
    { name: 'memory 95 and CPU 40: both conditions met, scale-out wins', capacity: 4, cpu: 40, memory: 95, to: 5, code: 'ScaleOut' },
    { name: 'memory 80 and CPU 40 at 5: projected memory 80 × 5 ÷ 4 = 100 > 90 stops the scale-in', capacity: 5, cpu: 40, memory: 80, to: 5, code: 'FlappingPrevented' },
    { name: 'memory 70 and CPU 40 at 5: projected 87.5 and 50, scale in', capacity: 5, cpu: 40, memory: 70, to: 4, code: 'ScaleIn' },
  ])('$name', async ({ capacity, cpu, memory, to, code }) => {
    const d = await run(spec, { capacity, metrics: { cpu: flat(cpu), memory: flat(memory) } });
    expect(d).toMatchObject({ to, code });
  });
});

// [best] "Choose the appropriate statistic and time aggregation": "with a 1-minute timeGrain, statistic set to Average, and
// timeAggregation set to Maximum, autoscale first averages the metric across instances for each minute. It then compares
// the highest 1-minute average in the time window with the rule threshold."
describe('[best] statistic across instances per grain, then time aggregation over the window', () => {
  // Two instances over three minutes: a = 60, 90, 70 and b = 40, 70, 50 → minute averages 50, 80, 60.
  const points = [60, 90, 70].flatMap((a, i) => {
    const t = T0 - (2 - i) * MIN;
    return [
      { t, v: a, instance: 'a' },
      { t, v: [40, 70, 50][i]!, instance: 'b' },
    ];
  });
  it.each([
    { aggregation: 'Maximum' as const, value: 80, fires: true },
    { aggregation: 'Average' as const, value: (50 + 80 + 60) / 3, fires: false },
    { aggregation: 'Minimum' as const, value: 50, fires: false },
  ])('Average per minute, $aggregation over the window = $value; threshold > 75 fires: $fires', async ({ aggregation, value, fires }) => {
    const spec = ruleSet([rule('cpu-high', 'out', 'cpu', 'GreaterThan', 75, by(1), { timeGrain: 'PT1M', statistic: 'Average', timeAggregation: aggregation })]);
    const d = await run(spec, { capacity: 2, metrics: { cpu: points } });
    expect(d.trace.rules[0]!.condition).toMatchObject({ value, grains: 3 });
    expect(d.to).toBe(fires ? 3 : 2);
  });
});

// [best] "Considerations for scaling threshold values for queue-length metrics": "the threshold is the average number of
// messages available per current number of instances" — modelled as dividePerInstance on the queue total.
// Increase by 1 when the count >= 50, decrease by 1 when <= 10.
describe('[best] queue length per instance (>= 50 out, <= 10 in)', () => {
  const q: TriggerExtra = { dividePerInstance: true };
  const spec = ruleSet([rule('queue-high', 'out', 'queue', 'GreaterThanOrEqual', 50, by(1), q), rule('queue-low', 'in', 'queue', 'LessThanOrEqual', 10, by(1), q)]);
  it.each([
    { name: '2. two instances, total 50: still 50/2 = 25 per instance, no scale-out', capacity: 2, total: 50, to: 2, code: 'NoRuleFired', perInstance: 25 },
    { name: '3–4. total 100 at two instances: 50 per instance, a third instance is added', capacity: 2, total: 100, to: 3, code: 'ScaleOut', perInstance: 50 },
    { name: '4. at three instances 149 is not enough (49.67)', capacity: 3, total: 149, to: 3, code: 'NoRuleFired', perInstance: 149 / 3 },
    { name: '4. "won\'t happen until the total ... reaches 150 because 150/3 = 50"', capacity: 3, total: 150, to: 4, code: 'ScaleOut', perInstance: 50 },
    // Flapping estimate by hand: 30 ÷ 2 = 15 per instance, well under 50.
    { name: '5. "the first scale-in action happens when the total messages add up to 30 because 30/3 = 10"', capacity: 3, total: 30, to: 2, code: 'ScaleIn', perInstance: 10 },
    { name: '5. at 31 (10.33 per instance) no scale-in yet', capacity: 3, total: 31, to: 3, code: 'NoRuleFired', perInstance: 31 / 3 },
  ])('$name', async ({ capacity, total, to, code, perInstance }) => {
    const d = await run(spec, { capacity, metrics: { queue: flat(total) } });
    expect(d).toMatchObject({ to, code });
    expect(d.trace.rules[0]!.condition).toMatchObject({ aggregated: total, dividedBy: capacity, value: perInstance });
  });
});

// [best] "Considerations for multiple rules configured in a profile": CPU < 30 in 1, Memory < 50 in 1, CPU > 75 out 1,
// Memory > 75 out 1. The doc gives no instance count; 5 is used, and 2 for a hand-computed flapping case.
describe('[best] four rules: out if any, in only if all', () => {
  const spec = ruleSet([
    rule('cpu-low', 'in', 'cpu', 'LessThan', 30, by(1)),
    rule('memory-low', 'in', 'memory', 'LessThan', 50, by(1)),
    rule('cpu-high', 'out', 'cpu', 'GreaterThan', 75, by(1)),
    rule('memory-high', 'out', 'memory', 'GreaterThan', 75, by(1)),
  ]);
  it.each([
    { name: '"If CPU is 76% and Memory is 50%, autoscale scales out"', capacity: 5, cpu: 76, memory: 50, to: 6, code: 'ScaleOut' },
    { name: '"If CPU is 50% and Memory is 76%, autoscale scales out"', capacity: 5, cpu: 50, memory: 76, to: 6, code: 'ScaleOut' },
    { name: '"if CPU is 25% and Memory is 51%, autoscale doesn\'t scale in"', capacity: 5, cpu: 25, memory: 51, to: 5, code: 'ScaleInNotUnanimous' },
    // Projections at 4: CPU 29 × 5 ÷ 4 = 36.25, memory 49 × 5 ÷ 4 = 61.25, both ≤ 75.
    { name: '"To scale in, CPU must be 29% and Memory 49%"', capacity: 5, cpu: 29, memory: 49, to: 4, code: 'ScaleIn' },
    // By hand: at 2 → 1 memory would be 49 × 2 = 98 > 75, so the scale-in is deferred.
    { name: 'the same at 2 instances: memory projected to 98 > 75 defers the scale-in', capacity: 2, cpu: 29, memory: 49, to: 2, code: 'FlappingPrevented' },
  ])('$name', async ({ capacity, cpu, memory, to, code }) => {
    const d = await run(spec, { capacity, metrics: { cpu: flat(cpu), memory: flat(memory) } });
    expect(d).toMatchObject({ to, code });
  });
});

// [best] (2022) "Choose the thresholds carefully for all metric types": "575 x 3 (current instance count) = 1,725 / 2 (final
// number of instances when scaled down) = 862.5 threads ... autoscale does not scale down at all"; with CPU% >= 80 out and
// <= 60 in: "60 x 3 = 180 / 2 = 90. So autoscale does not scale-in"; "50 x 3 instance = 150 / 2 instances = 75, which is
// below the scale-out threshold of 80, so it scales in successfully to 2 instances".
describe('[best] choose the thresholds carefully: the scale-in estimate', () => {
  type Case = { name: string; metric: string; out: number; inAt: number; capacity: number; value: number; to: number; code: string; projected?: number };
  const cases: Case[] = [
    { name: '1–2. two instances, threads per instance grow to 625: a third is added', metric: 'threads', out: 600, inAt: 600, capacity: 2, value: 625, to: 3, code: 'ScaleOut' },
    { name: '3–5. threads fall to 575 at three: estimate 862.5 ≥ 600, no scale-in', metric: 'threads', out: 600, inAt: 600, capacity: 3, value: 575, to: 3, code: 'FlappingPrevented', projected: 862.5 },
    { name: '2. CPU goes to 80 at two instances: a third is added', metric: 'cpu', out: 80, inAt: 60, capacity: 2, value: 80, to: 3, code: 'ScaleOut' },
    { name: '3–4. CPU falls to 60 at three: estimate 90 ≥ 80, skipped', metric: 'cpu', out: 80, inAt: 60, capacity: 3, value: 60, to: 3, code: 'FlappingPrevented', projected: 90 },
    { name: '5. CPU falls to 50: estimate 75 < 80, scales in to 2', metric: 'cpu', out: 80, inAt: 60, capacity: 3, value: 50, to: 2, code: 'ScaleIn', projected: 75 },
  ];
  it.each(cases)('$name', async ({ metric, out, inAt, capacity, value, to, code, projected }) => {
    const spec = ruleSet([rule(`${metric}-out`, 'out', metric, 'GreaterThanOrEqual', out, by(1)), rule(`${metric}-in`, 'in', metric, 'LessThanOrEqual', inAt, by(1))]);
    const d = await run(spec, { capacity, metrics: { [metric]: flat(value) } });
    expect(d).toMatchObject({ to, code });
    if (projected !== undefined) expect(d.trace.flapping?.checks).toEqual([expect.objectContaining({ capacity: 2, projected })]);
  });
});

// ---------------------------------------------------------------------------------------------
// [flapping] "Flapping in Autoscale".

// Intro: "Scale out increasing by 1 instance when average CPU usage is above 50%. Scale in decreasing the instance count by
// 1 instance when average CPU usage is lower than 30%." Table T0/T1: 1 instance at 56 % → 2; at 2 instances 28 % the
// scale-in would return to 56 %, so "the autoscale engine will defer the scale-in event at T1".
describe('[flapping] the introductory example (CPU > 50 out, < 30 in)', () => {
  const spec = ruleSet([rule('cpu-above-50', 'out', 'cpu', 'GreaterThan', 50, by(1)), rule('cpu-below-30', 'in', 'cpu', 'LessThan', 30, by(1))]);
  it.each([
    { name: 'T0: one instance at 56 % scales out to 2', capacity: 1, cpu: 56, to: 2, code: 'ScaleOut' },
    { name: 'T1: two instances at 28 % defer the scale-in (28 × 2 ÷ 1 = 56 > 50)', capacity: 2, cpu: 28, to: 2, code: 'FlappingPrevented' },
    { name: 'by hand: 26 % would project 52 > 50, still deferred', capacity: 2, cpu: 26, to: 2, code: 'FlappingPrevented' },
    { name: 'by hand: 25 % projects exactly 50, not above 50: scales in', capacity: 2, cpu: 25, to: 1, code: 'ScaleIn' },
  ])('$name', async ({ capacity, cpu, to, code }) => {
    const d = await run(spec, { capacity, metrics: { cpu: flat(cpu) } });
    expect(d).toMatchObject({ to, code });
  });
  it('the deferral starts no cooldown and says why', async () => {
    const d = await run(spec, { capacity: 2, metrics: { cpu: flat(28) } });
    expect(d).toMatchObject({ action: 'none', from: 2, to: 2, code: 'FlappingPrevented', rule: null, trace: { scaleIn: { wants: 1 } } });
    expect(d.trace.flapping?.blockedBy).toMatchObject({ capacity: 1, rule: 'cpu-above-50', value: 28, projected: 56, threshold: 50, fires: true });
    expect(d.state.cooldownUntil).toEqual({});
  });
});

// "Small or no margins between thresholds": thread count >= 600 out, < 600 (then < 400) in; the tables give the total
// thread count and the count per instance (total ÷ instances), modelled as dividePerInstance on the total.
describe('[flapping] thread-count tables', () => {
  const perInstance: TriggerExtra = { dividePerInstance: true };
  type Case = { name: string; inAt: number; capacity: number; threads: number; to: number; code: string };
  const cases: Case[] = [
    { name: 'no margin, T0: 2 instances, 1250 threads (625 each) → 3', inAt: 600, capacity: 2, threads: 1250, to: 3, code: 'ScaleOut' },
    { name: 'no margin, T1: 3 instances, 417 each; 1250 / 2 = 625 ≥ 600 → "autoscale doesn\'t scale in"', inAt: 600, capacity: 3, threads: 1250, to: 3, code: 'FlappingPrevented' },
    { name: 'margin 400, T0: 2 instances, 625 each → 3', inAt: 400, capacity: 2, threads: 1250, to: 3, code: 'ScaleOut' },
    { name: 'margin 400, T1: 3 instances, 417 each → no scale event', inAt: 400, capacity: 3, threads: 1250, to: 3, code: 'NoRuleFired' },
    { name: 'margin 400, T2: 3 instances, 1180 threads (394 each) → scale in to 2 (1180 / 2 = 590 < 600)', inAt: 400, capacity: 3, threads: 1180, to: 2, code: 'ScaleIn' },
    { name: 'margin 400, T3: 2 instances, 590 each → no scale event', inAt: 400, capacity: 2, threads: 1180, to: 2, code: 'NoRuleFired' },
  ];
  it.each(cases)('$name', async ({ inAt, capacity, threads, to, code }) => {
    const spec = ruleSet([rule('threads-high', 'out', 'threads', 'GreaterThanOrEqual', 600, by(1), perInstance), rule('threads-low', 'in', 'threads', 'LessThan', inAt, by(1), perInstance)]);
    const d = await run(spec, { capacity, metrics: { threads: flat(threads) } });
    expect(d).toMatchObject({ to, code });
  });
});

// "Scaling by more than one instance": scale out by 20 when requests >= 200 per instance OR CPU > 70 %; scale in by 10 when
// requests <= 50 per instance. "autoscale will try to scale in by 10 instances to 20 ... the autoscale engine estimates the
// CPU usage for instance counts above 20 until it finds an instance count where all metrics are within the defined
// thresholds", and "If autoscale can't find a suitable number of instances, it will skip the scale in event".
// Discrepancy in the doc: it says "may scale in by 3, from 30 to 27", but its own estimate at 27 is 65 × 30 ÷ 27 = 72.2 %,
// above 70 %. By its stated rule the first count above 20 with CPU ≤ 70 % is 28 (65 × 30 ÷ 28 = 69.64 %).
describe('[flapping] scaling in by fewer instances than the rule says', () => {
  const spec = ruleSet(
    [
      rule('requests-high', 'out', 'requests', 'GreaterThanOrEqual', 200, by(20), { dividePerInstance: true }),
      rule('cpu-high', 'out', 'cpu', 'GreaterThan', 70, by(20)),
      rule('requests-low', 'in', 'requests', 'LessThanOrEqual', 50, by(10), { dividePerInstance: true }),
    ],
    { capacity: { minimum: 1, maximum: 100, default: 1 } },
  );
  type Case = { name: string; cpu: number; requests: number; to: number; code: string; blockedAt?: number };
  const cases: Case[] = [
    { name: 'T0: 30 instances, CPU 65 %, 3000 requests (100 each): no scale event', cpu: 65, requests: 3000, to: 30, code: 'NoRuleFired' },
    { name: 'T1: 1500 requests (50 each) ask for 20; CPU 65 % × 30 ÷ n ≤ 70 first at n = 28 (doc: 27)', cpu: 65, requests: 1500, to: 28, code: 'ScaleIn', blockedAt: 27 },
    { name: 'by hand: CPU 50 % → 50 × 30 ÷ 22 = 68.2 (21 gives 71.4)', cpu: 50, requests: 1500, to: 22, code: 'ScaleIn', blockedAt: 21 },
    { name: 'by hand: CPU 46 % → 46 × 30 ÷ 20 = 69: the full scale-in by 10', cpu: 46, requests: 1500, to: 20, code: 'ScaleIn' },
    { name: 'by hand: CPU 69.9 % → even 29 gives 72.3: no suitable count, the scale-in is skipped', cpu: 69.9, requests: 1500, to: 30, code: 'FlappingPrevented', blockedAt: 29 },
  ];
  it.each(cases)('$name', async ({ cpu, requests, to, code, blockedAt }) => {
    const d = await run(spec, { capacity: 30, metrics: { cpu: flat(cpu), requests: flat(requests) } });
    expect(d).toMatchObject({ to, code });
    if (blockedAt !== undefined) expect(d.trace.flapping?.blockedBy).toMatchObject({ capacity: blockedAt, rule: 'cpu-high' });
    // requests per instance never reach 200 between 20 and 30 instances (1500 ÷ 20 = 75).
    expect(d.trace.flapping?.checks.filter((c) => c.rule === 'requests-high' && c.fires) ?? []).toEqual([]);
  });
  it('the reduced scale-in keeps its rule and cooldown and names the reduction', async () => {
    const d = await run(spec, { capacity: 30, metrics: { cpu: flat(65), requests: flat(1500) } });
    expect(d).toMatchObject({ action: 'scaleIn', from: 30, to: 28, rule: 'requests-low' });
    expect(d.trace.scaleIn.wants).toBe(20);
    expect(d.trace.flapping).toMatchObject({ to: 28, blockedBy: { capacity: 27, rule: 'cpu-high', fires: true } });
    expect(d.state.cooldownUntil.in).toBeDefined();
  });
});

// "Log files": the FlappingOccurred record "Current instance count: '6', Intended new instance count: '1'. Actual new instance
// count: '4'" with its active profile: capacity 1–30 (default 1); Requests Average/Maximum >= 3 per instance → +10;
// Requests Max/Maximum < 3 per instance → −5; PT1M grain and window. The record has no metric value: any total T with
// T/6 < 3, T/3 >= 3 and T/4 < 3 (9 <= T < 12) gives 4; other totals are computed by the same rule.
describe('[flapping] the FlappingOccurred activity-log record (6 → intended 1 → actual 4)', () => {
  const trigger = (statistic: 'Average' | 'Max'): TriggerExtra => ({ timeGrain: 'PT1M', statistic, timeWindow: 'PT1M', timeAggregation: 'Maximum', dividePerInstance: true, cooldown: 'PT1M' });
  const spec = ruleSet(
    [rule('requests-out', 'out', 'Requests', 'GreaterThanOrEqual', 3, by(10), trigger('Average')), rule('requests-in', 'in', 'Requests', 'LessThan', 3, by(5), trigger('Max'))],
    { capacity: { minimum: 1, maximum: 30, default: 1 } },
  );
  it.each([
    { total: 9, to: 4, why: '9/3 = 3 ≥ 3 flaps, 9/4 = 2.25 does not' },
    { total: 10, to: 4, why: '10/3 = 3.33 flaps, 10/4 = 2.5 does not' },
    { total: 11.9, to: 4, why: '11.9/4 = 2.975 < 3' },
    { total: 12, to: 5, why: '12/4 = 3 ≥ 3 flaps, 12/5 = 2.4 does not' },
    { total: 5, to: 2, why: '5/1 = 5 flaps, 5/2 = 2.5 does not' },
    { total: 2, to: 1, why: '2/1 = 2 < 3: the intended count is safe' },
  ])('requests total $total: 6 → $to ($why)', async ({ total, to }) => {
    const d = await run(spec, { capacity: 6, metrics: { Requests: flat(total, 1) } });
    expect(d).toMatchObject({ action: 'scaleIn', from: 6, to, code: 'ScaleIn', rule: 'requests-in' });
    if (to !== 1) expect(d.reason).toContain(`reduced from 1 to ${to}`);
  });
});

// ---------------------------------------------------------------------------------------------
// [custom] Sessions per instance (metric divided by the instance count): scale out by 1 when > 70, in by 1 when < 60,
// maximum 4. Minimum and default are not set by the doc; 1 is used.
describe('[custom] sessions per instance (> 70 out, < 60 in, maximum 4)', () => {
  const d1: TriggerExtra = { dividePerInstance: true };
  const spec = ruleSet([rule('sessions-high', 'out', 'Sessions', 'GreaterThan', 70, by(1), d1), rule('sessions-low', 'in', 'Sessions', 'LessThan', 60, by(1), d1)], {
    capacity: { minimum: 1, maximum: 4, default: 1 },
  });
  it.each([
    { name: '150 sessions on 2 (75 each) > 70: +1', capacity: 2, sessions: 150, to: 3, code: 'ScaleOut' },
    { name: '140 sessions on 2 (70 each) is not > 70', capacity: 2, sessions: 140, to: 2, code: 'NoRuleFired' },
    { name: '400 sessions on 4 (100 each): the maximum 4 holds', capacity: 4, sessions: 400, to: 4, code: 'ClampedToMax' },
    { name: '170 on 3 (56.7 each) < 60, but 170 ÷ 2 = 85 > 70: deferred', capacity: 3, sessions: 170, to: 3, code: 'FlappingPrevented' },
    { name: '140 on 3 (46.7 each): 140 ÷ 2 = 70 is not > 70, scale in', capacity: 3, sessions: 140, to: 2, code: 'ScaleIn' },
    { name: '130 on 3 (43.3 each): 65 on 2, scale in', capacity: 3, sessions: 130, to: 2, code: 'ScaleIn' },
  ])('$name', async ({ capacity, sessions, to, code }) => {
    const d = await run(spec, { capacity, metrics: { Sessions: flat(sessions) } });
    expect(d).toMatchObject({ to, code });
  });
});

// [troubleshoot] "Example 2": Outbound Flows with "Divide metric by instance count", scale out by 1 when the value per
// instance is greater than 10; "The Observed Metric Value metric in the middle is 3 because there are 2 active instances,
// and 6 divided by 2 is 3", so no scale-out.
describe('[troubleshoot] the observed value of a per-instance rule', () => {
  const spec = ruleSet([rule('outbound-flows-high', 'out', 'Outbound Flows', 'GreaterThan', 10, by(1), { dividePerInstance: true })]);
  it.each([
    { flows: 6, observed: 3, to: 2, code: 'NoRuleFired' },
    { flows: 22, observed: 11, to: 3, code: 'ScaleOut' },
  ])('Outbound Flows $flows on 2 instances is observed as $observed → $to', async ({ flows, observed, to, code }) => {
    const d = await run(spec, { capacity: 2, metrics: { 'Outbound Flows': flat(flows) } });
    expect(d.trace.rules[0]!.condition).toMatchObject({ aggregated: flows, dividedBy: 2, value: observed, threshold: 10 });
    expect(d).toMatchObject({ to, code });
  });
});

// ---------------------------------------------------------------------------------------------
// [profiles] "Each time the autoscale service runs, the profiles are evaluated in the following order: 1. Fixed date
// profiles 2. Recurring profiles 3. Default profile. The first suitable profile that's found is used."

describe('[profiles] the Monday profile of the best-practices example', () => {
  // Default: 2–10 instances, queue > 10 out, queue < 3 in. Monday (03:00–20:00 here): 3–10 instances, CPU rules only —
  // "it only processes the CPU-based scale-out/in rules configured for this profile. At this time, it does not check for
  // the queue length". 2026-11-23 is a Monday.
  const spec = ruleSet([rule('queue-high', 'out', 'queue', 'GreaterThan', 10, by(1)), rule('queue-low', 'in', 'queue', 'LessThan', 3, by(1))], {
    capacity: { minimum: 2, maximum: 10, default: 2 },
    profiles: [
      {
        name: 'Monday',
        capacity: { minimum: 3, maximum: 10, default: 3 },
        rules: [rule('cpu-high', 'out', 'cpu', 'GreaterThan', 75, by(1)), rule('cpu-low', 'in', 'cpu', 'LessThan', 25, by(1))],
        recurrence: { timeZone: 'UTC', days: ['Monday'], start: '03:00', end: '20:00' },
      },
    ],
  });
  it.each([
    { name: '"if the instance count is two, it scales to the new minimum of three"; the long queue is not looked at', now: '2026-11-23T10:00:00Z', capacity: 2, profile: 'Monday', to: 3, code: 'BroughtIntoBounds' },
    { name: 'on Monday the CPU rules decide', now: '2026-11-23T10:00:00Z', capacity: 4, profile: 'Monday', to: 5, code: 'ScaleOut', cpu: 90 },
    { name: '"If the number of instances at the time is 12, it scales in to 10" once the default applies again', now: '2026-11-23T20:00:00Z', capacity: 12, profile: 'default', to: 10, code: 'BroughtIntoBounds', queue: 5 },
    { name: 'on Tuesday the queue rule decides again', now: '2026-11-24T10:00:00Z', capacity: 4, profile: 'default', to: 5, code: 'ScaleOut' },
  ])('$name', async ({ now, capacity, profile, to, code, cpu = 50, queue = 50 }) => {
    const t = at(now);
    const d = await run(spec, { capacity, metrics: { cpu: flat(cpu, 10, t), queue: flat(queue, 10, t) } }, t);
    expect(d.profile.name).toBe(profile);
    expect(d).toMatchObject({ to, code });
  });
});

describe('[settings] profile kinds: fixed date, then recurring, then default', () => {
  // [settings] "eventProfile" fixedDate 2017-12-26T00:00:00 → 23:59:00 Pacific Standard Time; "Weekend profile" 06:00 →
  // 19:00 on Saturdays and Sundays in E. Europe Standard Time; capacities are not in the doc and chosen here. The
  // "black-friday-weekend" fixed date overlapping a Saturday is added to show the fixed date wins over the recurrence.
  const cap = (minimum: number, maximum: number) => ({ minimum, maximum, default: minimum });
  const spec = ruleSet([], {
    capacity: cap(2, 10),
    profiles: [
      { name: 'Weekend profile', capacity: cap(1, 3), rules: [], recurrence: { timeZone: 'Europe/Chisinau', days: ['Saturday', 'Sunday'], start: '06:00', end: '19:00' } },
      { name: 'eventProfile', capacity: cap(10, 20), rules: [], fixedDate: { timeZone: 'America/Los_Angeles', start: '2017-12-26T00:00:00', end: '2017-12-26T23:59:00' } },
      { name: 'black-friday-weekend', capacity: cap(10, 20), rules: [], fixedDate: { timeZone: 'UTC', start: '2026-11-28T00:00:00', end: '2026-11-30T00:00:00' } },
    ],
  });
  it.each([
    { now: '2017-12-26T07:59:59Z', why: '23:59:59 PST on the 25th', profile: 'default', capacity: 5, to: 5 },
    { now: '2017-12-26T08:00:00Z', why: '00:00 PST on the 26th', profile: 'eventProfile', capacity: 5, to: 10 },
    { now: '2017-12-27T07:58:00Z', why: '23:58 PST on the 26th', profile: 'eventProfile', capacity: 12, to: 12 },
    { now: '2017-12-27T08:00:00Z', why: '00:00 PST on the 27th', profile: 'default', capacity: 12, to: 10 },
    { now: '2026-11-21T03:59:00Z', why: 'Saturday 05:59 in Chisinau (+02:00)', profile: 'default', capacity: 5, to: 5 },
    { now: '2026-11-21T04:00:00Z', why: 'Saturday 06:00 in Chisinau', profile: 'Weekend profile', capacity: 5, to: 3 },
    { now: '2026-11-22T16:59:00Z', why: 'Sunday 18:59 in Chisinau', profile: 'Weekend profile', capacity: 1, to: 1 },
    { now: '2026-11-22T17:00:00Z', why: 'Sunday 19:00 in Chisinau: the weekend ends', profile: 'default', capacity: 1, to: 2 },
    { now: '2026-11-28T10:00:00Z', why: 'a Saturday inside the fixed date: fixed date first', profile: 'black-friday-weekend', capacity: 3, to: 10 },
  ])('$now ($why) → $profile, $capacity → $to', async ({ now, profile, capacity, to }) => {
    const d = await run(spec, { capacity }, at(now));
    expect(d.profile.name).toBe(profile);
    expect(d.to).toBe(to);
  });
});

// [profiles] "Add a recurring profile using ARM templates": "Weekday profile" from Monday 04:00 (3–20, default 3; Inbound
// Flows per instance > 100 → +1, < 60 → −1) and "Weekend profile" from Saturday 00:01 (1–3, default 1, no rules), both
// without an end: "A profile will remain active until the next profile's start time." E. Europe Standard Time = +02:00.
describe('[profiles] weekday and weekend recurring profiles without end times', () => {
  const flows: TriggerExtra = { timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT10M', timeAggregation: 'Average', dividePerInstance: true, cooldown: 'PT5M' };
  const zone = 'Europe/Chisinau';
  const spec = ruleSet([], {
    capacity: { minimum: 1, maximum: 20, default: 1 },
    profiles: [
      {
        name: 'Weekday profile',
        capacity: { minimum: 3, maximum: 20, default: 3 },
        rules: [rule('flows-high', 'out', 'Inbound Flows', 'GreaterThan', 100, by(1), flows), rule('flows-low', 'in', 'Inbound Flows', 'LessThan', 60, by(1), flows)],
        recurrence: { timeZone: zone, days: ['Monday'], start: '04:00' },
      },
      { name: 'Weekend profile', capacity: { minimum: 1, maximum: 3, default: 1 }, rules: [], recurrence: { timeZone: zone, days: ['Saturday'], start: '00:01' } },
    ],
  });
  it.each([
    { now: '2026-11-25T10:00:00Z', why: 'Wednesday: 500 flows on 4 = 125 > 100', capacity: 4, flows: 500, profile: 'Weekday profile', to: 5, code: 'ScaleOut' },
    { now: '2026-11-25T10:00:00Z', why: 'Wednesday: 200 flows on 4 = 50 < 60; 200 ÷ 3 = 66.7 ≤ 100', capacity: 4, flows: 200, profile: 'Weekday profile', to: 3, code: 'ScaleIn' },
    { now: '2026-11-27T21:00:00Z', why: 'Friday 23:00 local: 400 on 5 = 80, no rule', capacity: 5, flows: 400, profile: 'Weekday profile', to: 5, code: 'NoRuleFired' },
    { now: '2026-11-27T22:00:59Z', why: 'Saturday 00:00:59 local: the weekday profile still runs', capacity: 5, flows: 400, profile: 'Weekday profile', to: 5, code: 'NoRuleFired' },
    { now: '2026-11-27T22:01:00Z', why: 'Saturday 00:01 local: weekend, at most 3', capacity: 5, flows: 400, profile: 'Weekend profile', to: 3, code: 'BroughtIntoBounds' },
    { now: '2026-11-30T01:59:00Z', why: 'Monday 03:59 local: still the weekend', capacity: 1, flows: 400, profile: 'Weekend profile', to: 1, code: 'NoRules' },
    { now: '2026-11-30T02:00:00Z', why: 'Monday 04:00 local: weekday, at least 3 (240 on 3 = 80, no rule)', capacity: 1, flows: 240, profile: 'Weekday profile', to: 3, code: 'BroughtIntoBounds' },
  ])('$now ($why) → $profile, $to', async ({ now, capacity, flows: total, profile, to, code }) => {
    const t = at(now);
    const d = await run(spec, { capacity, metrics: { 'Inbound Flows': flat(total, 10, t) } }, t);
    expect(d.profile.name).toBe(profile);
    expect(d).toMatchObject({ to, code });
  });
});

// ---------------------------------------------------------------------------------------------
// [scale-in] "Usage examples": zones 1/2/3 holding 3,4,5,10 / 2,6,9,11 / 1,7,8; "Virtual machines with the highest instance
// IDs are assumed to be the newest". Each table row is one scale-in by 1 through decide(); the whole table is one
// scale-in by 6 (11 → 5). Default has no table: its rule "Delete virtual machine with the highest instance ID" after
// zone balance gives the NewestVM column when IDs follow age (checked here with creation times reversed).

const created = (minutes: number) => new Date(T0 - 24 * 60 * MIN + minutes * MIN).toISOString();
function zonal(zones: [number[], number[], number[]], createdAt: (id: number) => string = created): PlacementInstance[] {
  return zones.flatMap((ids, z) => ids.map((id) => ({ id: String(id), zone: String(z + 1), createdAt: createdAt(id) })));
}
const INITIAL: [number[], number[], number[]] = [
  [3, 4, 5, 10],
  [2, 6, 9, 11],
  [1, 7, 8],
];
type Policy = 'Default' | 'NewestVM' | 'OldestVM';
const TABLE_ORDER: Record<Policy, number[]> = {
  OldestVM: [2, 3, 1, 4, 6, 5],
  NewestVM: [11, 10, 9, 8, 5, 7],
  // Default: zones 1 and 2 tie at 4 → highest ID 11; zone 1 → 10; balanced → 9; zones 1 and 3 tie → 8; zone 1 → 5; balanced → 7.
  Default: [11, 10, 9, 8, 5, 7],
};

function scaleInSpec(policy: Policy, remove: number): RuleSetInput {
  return ruleSet([rule('cpu-low', 'in', 'cpu', 'LessThan', 30, by(remove))], {
    capacity: { minimum: 1, maximum: 20, default: 1 },
    placement: { zones: ['1', '2', '3'], scaleInPolicy: policy },
  });
}

describe('[scale-in] the usage-example tables through decide()', () => {
  const rows = (['OldestVM', 'NewestVM', 'Default'] as const).flatMap((policy) => {
    let zones = INITIAL;
    return TABLE_ORDER[policy].map((deletes, i) => {
      const row = { policy, step: i + 1, zones, deletes };
      zones = zones.map((ids) => ids.filter((id) => id !== deletes)) as typeof zones;
      return row;
    });
  });
  // Default reads instance IDs, not creation times: reverse the ages so NewestVM would disagree.
  const reversed = (id: number) => created(100 - id);
  it.each(rows)('$policy scale-in $step of 6 deletes VM$deletes', async ({ policy, zones, deletes }) => {
    const instances = zonal(zones, policy === 'Default' ? reversed : created);
    const capacity = instances.length;
    const d = await run(scaleInSpec(policy, 1), { capacity, metrics: { cpu: flat(10) }, instances });
    expect(d).toMatchObject({ action: 'scaleIn', to: capacity - 1, placement: { ok: true, removed: [String(deletes)] } });
  });
  // The tables' last rows: OldestVM ends 10 / 9, 11 / 7, 8 and NewestVM 3, 4 / 2, 6 / 1.
  it.each([
    { policy: 'OldestVM' as const, after: [1, 2, 2] },
    { policy: 'NewestVM' as const, after: [2, 2, 1] },
    { policy: 'Default' as const, after: [2, 2, 1] },
  ])('$policy: one scale-in by 6 deletes the column in table order and leaves $after', async ({ policy, after }) => {
    const instances = zonal(INITIAL, policy === 'Default' ? reversed : created);
    const d = await run(scaleInSpec(policy, 6), { capacity: 11, metrics: { cpu: flat(10) }, instances });
    expect(d.to).toBe(5);
    expect(d.placement).toMatchObject({ ok: true, code: 'ZoneBalanced', removed: TABLE_ORDER[policy].map(String) });
    if (d.placement?.ok) expect(d.placement.perZone.map((z) => z.after)).toEqual(after);
  });
});

// [scale-in] "For nonzonal Virtual Machine Scale Set, the policy selects the oldest VM across the scale set"; "if VM_0
// (oldest VM in the scale set) is protected from scale-in, and the scale set has 'OldestVM' scale-in policy enabled, VM_0
// will not be considered". [protection] protectFromScaleIn "Protects instance from Autoscale initiated scale-in".
describe('[scale-in] [protection] non-zonal sets and protected instances', () => {
  const nonZonal = (ids: number[], protectedIds: number[] = []): PlacementInstance[] =>
    ids.map((id) => ({ id: String(id), createdAt: created(id), ...(protectedIds.includes(id) && { protected: true }) }));
  type Case = { name: string; policy: Policy; instances: PlacementInstance[]; remove: number; to: number; removed: string[]; code: string };
  const cases: Case[] = [
    { name: 'OldestVM across a non-zonal set: VM_0 then VM_1', policy: 'OldestVM', instances: nonZonal([0, 1, 2, 3]), remove: 2, to: 2, removed: ['0', '1'], code: 'ScaleIn' },
    { name: 'NewestVM across a non-zonal set: VM_3 then VM_2', policy: 'NewestVM', instances: nonZonal([0, 1, 2, 3]), remove: 2, to: 2, removed: ['3', '2'], code: 'ScaleIn' },
    { name: 'OldestVM with VM_0 protected: VM_0 is not considered, VM_1 goes', policy: 'OldestVM', instances: nonZonal([0, 1, 2, 3], [0]), remove: 1, to: 3, removed: ['1'], code: 'ScaleIn' },
    { name: 'three of four protected: a scale-in by 2 removes only the unprotected one', policy: 'Default', instances: nonZonal([0, 1, 2, 3], [0, 1, 2]), remove: 2, to: 3, removed: ['3'], code: 'ProtectionLimitsScaleIn' },
    { name: 'all protected: nothing is removed', policy: 'Default', instances: nonZonal([0, 1, 2, 3], [0, 1, 2, 3]), remove: 1, to: 4, removed: [], code: 'ProtectionLimitsScaleIn' },
  ];
  it.each(cases)('$name', async ({ policy, instances, remove, to, removed, code }) => {
    const spec = ruleSet([rule('cpu-low', 'in', 'cpu', 'LessThan', 30, by(remove))], { capacity: { minimum: 0, maximum: 20, default: 1 }, placement: { scaleInPolicy: policy } });
    const d = await run(spec, { capacity: instances.length, metrics: { cpu: flat(10) }, instances });
    expect(d).toMatchObject({ to, code, placement: { ok: true, removed } });
  });
});

// ---------------------------------------------------------------------------------------------
// edgescale's own dividePerInstance rule at zero instances (docs/rules.md, metric trigger step 4: "divided by the current
// capacity (by 1 when it is 0)"): the flapping estimate must use the same divisor, or a scale-in to 0 is let through that
// the very next evaluation reverses. Queue 30 at 3 instances, out >= 20 per instance, in <= 10 per instance by 3.
describe('flapping estimate for a per-instance metric at zero instances', () => {
  const q: TriggerExtra = { dividePerInstance: true };
  const spec = ruleSet([rule('queue-high', 'out', 'queue', 'GreaterThanOrEqual', 20, by(1), q), rule('queue-low', 'in', 'queue', 'LessThanOrEqual', 10, by(3), q)], {
    capacity: { minimum: 0, maximum: 10, default: 0 },
  });
  it.each([
    // At 0: 30 ÷ 1 = 30 ≥ 20; at 1: 30 ≥ 20; at 2: 15 < 20.
    { total: 30, to: 2, blockedAt: 1 },
    // At 0: 15 ÷ 1 = 15 < 20: the whole scale-in is safe.
    { total: 15, to: 0, blockedAt: undefined },
  ])('queue $total at 3 → $to', async ({ total, to, blockedAt }) => {
    const d = await run(spec, { capacity: 3, metrics: { queue: flat(total) } });
    expect(d.to).toBe(to);
    expect(d.trace.flapping?.blockedBy?.capacity).toBe(blockedAt);
  });
});
