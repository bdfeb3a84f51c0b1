// Azure's predictiveAutoscalePolicy and AWS PredictiveScaling policies imported as a native `predictive` policy, and decisions from what they import.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { importAwsAutoscaling } from '../../src/formats/aws/import.js';
import { importAzureAutoscale } from '../../src/formats/azure/import.js';
import type { ImportResult } from '../../src/formats/import-context.js';
import type { PredictiveTrace } from '../../src/schemas/predictive.js';

const ok = (r: ImportResult) => {
  if (!r.ok) throw new Error(`import failed: ${JSON.stringify(r.issues)}`);
  return r;
};
const NOW = Date.parse('2026-11-27T12:00:00Z');
const STEP = 300_000;
/** `days` of 5-minute points ending at NOW, `f(t)` at each. */
const history = (days: number, f: (t: number) => number) => {
  const n = days * 288;
  const values = Array.from({ length: n }, (_, i) => f(NOW - (n - 1 - i) * STEP));
  return { start: NOW - (n - 1) * STEP, step: 'PT5M', values };
};

const VMSS = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/web';
const rule = (operator: string, threshold: number, direction: 'Increase' | 'Decrease') => ({
  metricTrigger: {
    metricName: 'Percentage CPU',
    metricResourceUri: VMSS,
    timeGrain: 'PT1M',
    statistic: 'Average',
    timeWindow: 'PT10M',
    timeAggregation: 'Average',
    operator,
    threshold,
  },
  scaleAction: { direction, type: 'ChangeCount', value: '1', cooldown: 'PT5M' },
});
const azure = (predictiveAutoscalePolicy: unknown, rules = [rule('GreaterThan', 70, 'Increase'), rule('LessThan', 30, 'Decrease')]) => ({
  name: 'web-autoscale',
  enabled: true,
  targetResourceUri: VMSS,
  predictiveAutoscalePolicy,
  profiles: [{ name: 'default', capacity: { minimum: '1', maximum: '20', default: '2' }, rules }],
});

describe("Azure's predictiveAutoscalePolicy", () => {
  it('Enabled with a look-ahead: the same time last week, sized to the scale-out threshold', () => {
    const r = ok(importAzureAutoscale(azure({ scaleMode: 'Enabled', scaleLookAheadTime: 'PT10M' })));
    expect(r.ruleSet.predictive).toEqual({
      metric: 'Percentage CPU total',
      targetValue: 70,
      method: 'seasonalNaive',
      season: 'P7D',
      minimumHistory: 'P7D',
      mode: 'ForecastAndScale',
      schedulingBuffer: 'PT10M',
    });
    expect(r.unsupported).toEqual([]);
    expect(r.notes.some((n) => n.includes('metrics["Percentage CPU total"] as the sum of "Percentage CPU"'))).toBe(true);
    // A week of history: 140 (two instances' worth at 70) except at 12:05–12:15 a week ago, 560.
    const busy = (t: number) => {
      const ago = NOW - t;
      return ago <= 7 * 86_400_000 - 5 * 60_000 && ago >= 7 * 86_400_000 - 15 * 60_000 ? 560 : 140;
    };
    const d = decide(r.compiled, { id: 'web', capacity: 2, metrics: { 'Percentage CPU total': history(7, busy), 'Percentage CPU': 50 } }, NOW);
    const trace = d.trace.policies?.predictive as PredictiveTrace;
    // PT10M look-ahead on a 5-minute grid: slots ending 12:05, 12:10, 12:15 → the 560 a week ago → ceil(560 ÷ 70) = 8.
    expect(trace.forecast.slice(0, 4).map((f) => f.capacity)).toEqual([8, 8, 8, 2]);
    expect([d.action, d.to, trace.required]).toEqual(['scaleOut', 8, 8]);
  });

  it('ForecastOnly forecasts into the trace only; Disabled imports nothing', () => {
    expect(ok(importAzureAutoscale(azure({ scaleMode: 'ForecastOnly', scaleLookAheadTime: null }))).ruleSet.predictive).toMatchObject({
      mode: 'ForecastOnly',
      schedulingBuffer: 'PT0S',
    });
    expect(ok(importAzureAutoscale(azure({ scaleMode: 'Disabled', scaleLookAheadTime: null }))).ruleSet.predictive).toBeUndefined();
  });

  it('a look-ahead over PT1H, or no Percentage CPU scale-out rule, is reported by name', () => {
    const long = ok(importAzureAutoscale(azure({ scaleMode: 'Enabled', scaleLookAheadTime: 'PT2H' })));
    expect(long.unsupported.map((u) => [u.path, u.field])).toEqual([['predictiveAutoscalePolicy.scaleLookAheadTime', 'scaleLookAheadTime']]);
    expect(long.ruleSet.predictive?.schedulingBuffer).toBe('PT0S');
    const none = ok(importAzureAutoscale(azure({ scaleMode: 'Enabled' }, [rule('LessThan', 30, 'Decrease')])));
    expect(none.ruleSet.predictive).toBeUndefined();
    expect(none.unsupported.map((u) => u.field)).toEqual(['predictiveAutoscalePolicy']);
  });
});

describe('AWS PredictiveScaling policies', () => {
  const group = { AutoScalingGroupName: 'my-asg', MinSize: 1, MaxSize: 40, DesiredCapacity: 2 };
  const policy = (config: Record<string, unknown>, name = 'forecast') => ({
    AutoScalingGroupName: 'my-asg',
    PolicyName: name,
    PolicyType: 'PredictiveScaling',
    PredictiveScalingConfiguration: { MetricSpecifications: [{ TargetValue: 1000, PredefinedMetricPairSpecification: { PredefinedMetricType: 'ALBRequestCount' } }], ...config },
    Enabled: true,
  });
  const input = (...policies: unknown[]) => ({ AutoScalingGroups: [group], ScalingPolicies: policies });

  it("maps every setting as AWS names it; AWS's max-capacity buffer example through decide()", () => {
    const r = ok(
      importAwsAutoscaling(input(policy({ Mode: 'ForecastAndScale', SchedulingBufferTime: 600, MaxCapacityBreachBehavior: 'IncreaseMaxCapacity', MaxCapacityBuffer: 10 }))),
    );
    expect(r.ruleSet.predictive).toEqual({
      metric: 'ALBTargetGroupRequestCount',
      targetValue: 1000,
      method: 'seasonalMax',
      season: 'P1D',
      seasons: 7,
      minimumHistory: 'P1D',
      mode: 'ForecastAndScale',
      schedulingBuffer: 'PT600S',
      maxCapacityBreachBehavior: 'IncreaseMaxCapacity',
      maxCapacityBuffer: 10,
    });
    // A day of 50 000 requests per 5 minutes at 1000 per instance: forecast capacity 50, maximum 40, buffer 10 → 55.
    const d = decide(r.compiled, { id: 'my-asg', capacity: 30, metrics: { ALBTargetGroupRequestCount: history(1, () => 50_000) } }, NOW);
    const trace = d.trace.policies?.predictive as PredictiveTrace;
    expect(trace.maximum).toEqual({ behavior: 'IncreaseMaxCapacity', buffer: 10, configured: 40, effective: 55 });
    expect([d.action, d.to]).toEqual(['scaleOut', 50]);
  });

  it('defaults: ForecastOnly, a 300 s buffer, HonorMaxCapacity', () => {
    const r = ok(importAwsAutoscaling(input(policy({}))));
    expect(r.ruleSet.predictive).toMatchObject({ mode: 'ForecastOnly', schedulingBuffer: 'PT300S', maxCapacityBreachBehavior: 'HonorMaxCapacity' });
    const d = decide(r.compiled, { id: 'my-asg', capacity: 3, metrics: { ALBTargetGroupRequestCount: history(1, () => 50_000) } }, NOW);
    expect([d.action, (d.trace.policies?.predictive as PredictiveTrace).code]).toEqual(['none', 'PredictiveForecastOnly']);
  });

  it('refusals and what is left out carry their codes', () => {
    const codes = (r: ImportResult) => (r.ok ? r.unsupported.map((u) => [u.reason, u.path]) : r.issues.map((i) => [i.reason, i.path]));
    expect(codes(importAwsAutoscaling(input(policy({ MaxCapacityBuffer: 10 }))))).toEqual([
      ['AwsInvalidValue', 'ScalingPolicies[0].PredictiveScalingConfiguration.MaxCapacityBuffer'],
    ]);
    expect(codes(importAwsAutoscaling(input(policy({ Mode: 'Sometimes' }))))).toEqual([['AwsInvalidValue', 'ScalingPolicies[0].PredictiveScalingConfiguration.Mode']]);
    expect(codes(importAwsAutoscaling(input(policy({ SchedulingBufferTime: 3600 }))))).toEqual([
      ['AwsInvalidValue', 'ScalingPolicies[0].PredictiveScalingConfiguration.SchedulingBufferTime'],
    ]);
    expect(codes(importAwsAutoscaling(input(policy({}), policy({}, 'second'))))).toEqual([['AwsPredictiveNotSupported', 'ScalingPolicies[1].PolicyType']]);
  });
});
