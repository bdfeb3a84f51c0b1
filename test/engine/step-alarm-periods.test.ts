// AWS step scaling's alarm evaluated period by period ("M out of N"), through decide(), sharing simple scaling's alarm code.
//
// Sources: CloudWatch User Guide "Alarm evaluation" (alarm-evaluation: Period, Evaluation Periods,
// Datapoints to Alarm), API PutMetricAlarm (DatapointsToAlarm defaults to EvaluationPeriods; Period ×
// EvaluationPeriods at most one day); API StepAdjustment ("the aggregated CloudWatch metric").
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { lookbackMs } from '../../src/engine/lookback.js';
import { loadRuleSet } from '../../src/engine/ruleset.js';
import type { RuleSetInput } from '../../src/schema.js';
import { isoUtc as iso } from '../../src/syntax/duration.js';
import { compile, MIN, T0 } from '../helpers.js';

type StepRule = NonNullable<RuleSetInput['stepScaling']>[number];

const rule = (extra: Partial<StepRule> = {}): StepRule => ({
  id: 'cpu-out',
  window: 'PT1M',
  policy: {
    metric: 'cpu',
    statistic: 'Maximum',
    threshold: 90,
    comparison: 'GreaterThanThreshold',
    adjustmentType: 'ChangeInCapacity',
    stepAdjustments: [
      { metricIntervalLowerBound: 0, metricIntervalUpperBound: 8, scalingAdjustment: 1 },
      { metricIntervalLowerBound: 8, scalingAdjustment: 3 },
    ],
  },
  ...extra,
});

const spec = (r: StepRule): RuleSetInput => ({ id: 'step-alarm', capacity: { minimum: 1, maximum: 20, default: 2 }, rules: [], stepScaling: [r] });

/** One point a minute, oldest first, the last at T0. */
const perMinute = (values: number[]) => values.map((v, i) => ({ t: iso(T0 - (values.length - 1 - i) * MIN), v }));

async function run(r: StepRule, values: number[], capacity = 4) {
  const d = await decide(compile(spec(r)), { id: 't', capacity, metrics: { cpu: perMinute(values) } }, T0);
  const result = d.trace.policies?.stepScaling?.[0]?.result;
  return { to: d.to, code: result?.code, breaching: result?.breachingPeriods, value: result?.value, periods: result?.periods };
}

describe('evaluationPeriods: each period is a data point of its own', () => {
  it('3 of 3: one breaching minute among three does not fire; three do', async () => {
    const one = await run(rule({ evaluationPeriods: 3 }), [20, 20, 95]);
    expect([one.to, one.code, one.breaching]).toEqual([4, 'AlarmNotBreached', 1]);
    expect(one.periods?.map((p) => [p.end, p.value, p.breaching])).toEqual([
      [iso(T0), 95, true],
      [iso(T0 - MIN), 20, false],
      [iso(T0 - 2 * MIN), 20, false],
    ]);
    const all = await run(rule({ evaluationPeriods: 3 }), [95, 95, 95]);
    expect([all.to, all.code, all.breaching]).toEqual([5, 'ScaleOut', 3]);
  });

  it('2 of 3 (datapointsToAlarm): any two breaching periods fire, one does not', async () => {
    const r = rule({ evaluationPeriods: 3, datapointsToAlarm: 2 });
    expect((await run(r, [95, 20, 95])).to).toBe(5);
    expect((await run(r, [95, 95, 20])).to).toBe(5);
    expect((await run(r, [20, 95, 20])).to).toBe(4);
  });

  it('the step is sized on the mean of the breaching periods (95 and 105 → 100, breach 10 → +3)', async () => {
    const r = rule({ evaluationPeriods: 3, datapointsToAlarm: 2 });
    const both = await run(r, [95, 20, 105]);
    expect([both.value, both.to]).toEqual([100, 7]);
    const low = await run(r, [95, 20, 93]);
    expect([low.value, low.to]).toEqual([94, 5]);
  });

  it('a period without data does not breach; no data in any period is MissingData', async () => {
    // Points only at T0 and T0 − 1 min: the third period is empty, so 3 of 3 cannot be reached.
    const gap = await run(rule({ evaluationPeriods: 3 }), [95, 95]);
    expect([gap.to, gap.code, gap.breaching, gap.periods?.[2]?.value]).toEqual([4, 'AlarmNotBreached', 2, null]);
    const d = await decide(compile(spec(rule({ evaluationPeriods: 3 }))), { id: 't', capacity: 4, metrics: { cpu: [{ t: iso(T0 - 10 * MIN), v: 99 }] } }, T0);
    expect(d.trace.policies?.stepScaling?.[0]?.result.code).toBe('MissingData');
  });

  it('the lookback covers evaluationPeriods × window', () => {
    expect(lookbackMs(compile(spec(rule({ window: 'PT20M', evaluationPeriods: 3 }))))).toBe(60 * MIN);
    expect(lookbackMs(compile(spec(rule({ window: 'PT20M' }))))).toBe(20 * MIN);
  });
});

describe('without evaluationPeriods a rule decides as before, the same as evaluationPeriods 1', () => {
  const cases: Array<[string, number[]]> = [
    ['below', [10, 50, 80]],
    ['one breach in the last minute', [20, 20, 95]],
    ['at the threshold', [90]],
    ['large breach', [99, 120]],
    ['no data in the window', []],
  ];
  for (const window of ['PT1M', 'PT3M']) {
    for (const [name, values] of cases) {
      it(`${name}, window ${window}`, async () => {
        const before = await run(rule({ window }), values);
        const one = await run(rule({ window, evaluationPeriods: 1 }), values);
        expect([one.to, one.code, one.value]).toEqual([before.to, before.code, before.value]);
        expect(before.periods).toBeUndefined();
      });
    }
  }
  it('window PT3M reads the maximum of three minutes as one data point (95 in the last minute fires)', async () => {
    expect((await run(rule({ window: 'PT3M' }), [20, 20, 95])).to).toBe(5);
  });
});

describe("CloudWatch's limits, refused with paths", () => {
  it('datapointsToAlarm above evaluationPeriods, and window × evaluationPeriods over a day', () => {
    const bad = loadRuleSet({
      id: 'bad',
      capacity: { minimum: 1, maximum: 10, default: 1 },
      rules: [],
      stepScaling: [rule({ evaluationPeriods: 2, datapointsToAlarm: 3 }), rule({ id: 'long', window: 'PT1H', evaluationPeriods: 25 })],
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.issues.map((i) => i.path).sort()).toEqual(['stepScaling[0].datapointsToAlarm', 'stepScaling[1].evaluationPeriods']);
  });
});
