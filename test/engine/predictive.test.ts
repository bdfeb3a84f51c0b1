// The predictive policy: hand-worked forecasts per method, AWS's documented capacity examples, the refusal below the minimum history, never a scale-in by itself, largest-wins with reactive rules, ForecastOnly, linear work.
//
// Every expected number below is worked by hand from the method's equation (FPP3 §5.2, §8.3; see
// src/engine/predictive/forecast.ts) or quoted from AWS's documentation (src/schemas/predictive.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateBatch } from '../../src/service/batch.js';
import { decide } from '../../src/engine/decide.js';
import type { RuleSetInput } from '../../src/schema.js';
import type { PredictiveTrace } from '../../src/schemas/predictive.js';
import { effectiveMaximum, leadSlots, requiredCapacity } from '../../src/engine/predictive/capacity.js';
import { forecast, toGrid, type ForecastOptions } from '../../src/engine/predictive/forecast.js';
import { compile, metricRule } from '../helpers.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { simulateRequest } from '../../src/service/simulate.js';

const HOUR = 3_600_000;
/** Friday 2026-11-27 23:00 UTC: the coming hour is Saturday's first. */
const NOW = Date.parse('2026-11-27T23:00:00Z');

type Predictive = NonNullable<RuleSetInput['predictive']>;

/** `values[i]` at NOW − (n−1−i) hours: the last value is at NOW. */
const hourly = (values: number[]) => ({ start: NOW - (values.length - 1) * HOUR, step: 'PT1H', values });
const grid = (values: number[]) => ({ values: Float64Array.from(values), end: NOW, stepMs: HOUR });
const options = (o: Partial<ForecastOptions>): ForecastOptions => ({ method: 'seasonalNaive', season: 24, seasons: 3, percentile: 90, horizon: 6, ...o });
/** The hour of day of the slot ending at NOW − (n−1−i) hours. */
const hourOf = (i: number, n: number) => new Date(NOW - (n - 1 - i) * HOUR).getUTCHours();

function spec(predictive: Partial<Predictive>, extra: Partial<RuleSetInput> = {}): RuleSetInput {
  return {
    id: 'predictive-test',
    capacity: { minimum: 1, maximum: 100, default: 2 },
    rules: [],
    predictive: { metric: 'requests', targetValue: 25, step: 'PT1H', season: 'P1D', mode: 'ForecastAndScale', schedulingBuffer: 'PT0S', ...predictive },
    ...extra,
  };
}

function run(s: RuleSetInput, capacity: number, metrics: Record<string, unknown>) {
  const d = decide(compile(s), { id: 't1', capacity, metrics: metrics as never }, NOW);
  return { d, trace: d.trace.policies?.predictive as PredictiveTrace };
}

describe('forecast methods, worked by hand', () => {
  // A daily sine: 100 + 50 sin(2π · hour / 24), two days of hourly slots.
  const n = 48;
  const sine = Array.from({ length: n }, (_, i) => 100 + 50 * Math.sin((2 * Math.PI * hourOf(i, n)) / 24));

  it('seasonal naive repeats the same hour yesterday; a periodic series has 0 % MAPE', () => {
    const r = forecast(grid(sine), options({ horizon: 7 }));
    // h = 1 is 00:00 (sin 0): 100; h = 6 is 05:00: 100 + 50 sin(5π/12) = 148.2963; h = 7 is 06:00: 150.
    expect(r.forecast[0]).toBeCloseTo(100, 9);
    expect(r.forecast[5]).toBeCloseTo(148.2963, 4);
    expect(r.forecast[6]).toBeCloseTo(150, 9);
    expect(r.mape).toBe(0);
    expect(r.errorPoints).toBe(24);
  });

  it('a weekly pattern: the weekly season says Saturday is quiet, the daily one says busy', () => {
    // Two weeks ending Friday 23:00: weekdays 100, weekends 20.
    const m = 168;
    const week = Array.from({ length: 2 * m }, (_, i) => {
      const day = new Date(NOW - (2 * m - 1 - i) * HOUR).getUTCDay();
      return day === 0 || day === 6 ? 20 : 100;
    });
    expect(forecast(grid(week), options({ season: m, horizon: 1 })).forecast[0]).toBe(20);
    expect(forecast(grid(week), options({ season: 24, horizon: 1 })).forecast[0]).toBe(100);
    // With the daily season each slot is forecast from the day before. The history starts on a Saturday
    // (not measured); of the 13 measured days, one Saturday is forecast from a Friday (100 for 20:
    // |20 − 100| ÷ 20 = 400 %) and two Mondays from Sundays (20 for 100: 80 %): (24 × 400 + 48 × 80) ÷ 312.
    expect(forecast(grid(week), options({ season: 24, horizon: 1 })).mape).toBeCloseTo((24 * 400 + 48 * 80) / 312, 9);
    expect(forecast(grid(week), options({ season: m, horizon: 1 })).mape).toBe(0);
  });

  it('seasonal max and percentile over the last k seasons', () => {
    // Three days, each flat: 80, then 120, then 100. The next hours see [100, 120, 80] one season apart.
    const days = Array.from({ length: 72 }, (_, i) => [80, 120, 100][Math.floor(i / 24)]!);
    expect(forecast(grid(days), options({ method: 'seasonalMax' })).forecast[0]).toBe(120);
    // Nearest rank: p50 → ceil(1.5) = 2nd of [80, 100, 120] = 100; p33 → 1st = 80; p90 → 3rd = 120.
    expect(forecast(grid(days), options({ method: 'seasonalPercentile', percentile: 50 })).forecast[0]).toBe(100);
    expect(forecast(grid(days), options({ method: 'seasonalPercentile', percentile: 33 })).forecast[0]).toBe(80);
    expect(forecast(grid(days), options({ method: 'seasonalPercentile', percentile: 90 })).forecast[0]).toBe(120);
    // k = 2: only [100, 120].
    expect(forecast(grid(days), options({ method: 'seasonalMax', seasons: 2 })).forecast[0]).toBe(120);
    expect(forecast(grid(days), options({ method: 'seasonalPercentile', percentile: 50, seasons: 2 })).forecast[0]).toBe(100);
    // MAPE of the max: day 2 (120) forecast from [80]: 1/3; day 3 (100) from [120, 80]: 0.2 → (24/3 + 24 × 0.2) / 48.
    expect(forecast(grid(days), options({ method: 'seasonalMax' })).mape).toBeCloseTo((100 * (24 / 3 + 24 * 0.2)) / 48, 9);
  });

  it('Holt-Winters follows a trend exactly where seasonal naive lags a season behind', () => {
    // y(i) = 10 + 2i + 5 sin(2π i / 24): the initial states are the line and the sine, and the updates keep them.
    const y = (i: number) => 10 + 2 * i + 5 * Math.sin((2 * Math.PI * i) / 24);
    const trend = Array.from({ length: 48 }, (_, i) => y(i));
    const hw = forecast(grid(trend), options({ method: 'holtWinters', horizon: 6 }));
    expect(hw.forecast[0]).toBeCloseTo(106, 9); // y(48) = 10 + 96 + 5 sin(4π)
    expect(hw.forecast[5]).toBeCloseTo(116 + 5 * Math.sin((2 * Math.PI * 5) / 24), 9); // y(53) = 120.8296
    expect(hw.mape).toBeCloseTo(0, 9);
    // Seasonal naive forecasts y(48 + h − 24): 48 below (a day of trend at 2 per hour).
    expect(forecast(grid(trend), options({ horizon: 1 })).forecast[0]).toBeCloseTo(106 - 48, 9);
  });

  it('the grid: a slot is the mean of its points, an empty slot repeats the one before', () => {
    const pts = [
      { t: NOW - 3 * HOUR, v: 10 },
      { t: NOW - 2.5 * HOUR, v: 30 },
      { t: NOW, v: 7 },
    ];
    const g = toGrid(pts, NOW, HOUR, 100);
    // Slots end at NOW − 3h, −2h, −1h, NOW: 10, mean(30) = 30, carried 30, 7.
    expect([...g.values]).toEqual([10, 30, 30, 7]);
  });

  it('the work is linear in the history (operations counted, never time)', () => {
    const ops = (days: number) => {
      const values = Array.from({ length: days * 288 }, (_, i) => 100 + (i % 288));
      const g = toGrid(
        values.map((v, i) => ({ t: NOW - (values.length - 1 - i) * 300_000, v })),
        NOW,
        300_000,
        20_160,
      );
      const r = forecast({ values: g.values, end: NOW, stepMs: 300_000 }, options({ season: 288, method: 'seasonalPercentile', seasons: 3, horizon: 24 }));
      const hw = forecast({ values: g.values, end: NOW, stepMs: 300_000 }, options({ season: 288, method: 'holtWinters', horizon: 24 }));
      return g.ops + r.ops + hw.ops;
    };
    // Once past the warm-up seasons, each further week of history costs exactly the same operations.
    const [a, b, c] = [ops(7), ops(14), ops(21)];
    expect(c - b).toBe(b - a);
    expect(b - a).toBeGreaterThan(0);
  });
});

describe("AWS's documented capacity arithmetic", () => {
  it('required capacity: load ÷ TargetValue, rounded up (ALBRequestCount, target 1000 per instance)', () => {
    expect(requiredCapacity(10_000, 1000)).toBe(10);
    expect(requiredCapacity(10_001, 1000)).toBe(11);
    expect(requiredCapacity(9_500, 1000)).toBe(10);
    expect(requiredCapacity(0.1 + 0.2, 0.3)).toBe(1); // 1.0000000000000002 is 1
    expect(requiredCapacity(-5, 1000)).toBe(0);
  });

  it('MaxCapacityBuffer: forecast 50, maximum 40, buffer 10 → effective maximum 55; buffer 0 → 50; HonorMaxCapacity → 40', () => {
    expect(effectiveMaximum(50, 40, 'IncreaseMaxCapacity', 10)).toBe(55);
    expect(effectiveMaximum(50, 40, 'IncreaseMaxCapacity', 0)).toBe(50);
    expect(effectiveMaximum(50, 40, 'HonorMaxCapacity', 10)).toBe(40);
    expect(effectiveMaximum(30, 40, 'IncreaseMaxCapacity', 10)).toBe(40);
  });

  it('SchedulingBufferTime: the default 300 s on a 5-minute grid asks now for the next two slots', () => {
    expect(leadSlots(300_000, 300_000)).toBe(2);
    expect(leadSlots(0, 300_000)).toBe(1);
    expect(leadSlots(3_600_000, 300_000)).toBe(13);
  });

  it('through decide(): forecast 50 000 at 1000 each, maximum 40', () => {
    const flat = hourly(Array.from({ length: 24 }, () => 50_000));
    const base = { targetValue: 1000, capacity: { minimum: 1, maximum: 40, default: 2 } };
    const honor = run(spec({ targetValue: 1000 }, { capacity: base.capacity }), 30, { requests: flat });
    expect([honor.d.to, honor.d.code]).toEqual([40, 'ClampedToMax']);
    expect(honor.trace.maximum).toEqual({ behavior: 'HonorMaxCapacity', configured: 40, effective: 40 });
    const increase = run(spec({ targetValue: 1000, maxCapacityBreachBehavior: 'IncreaseMaxCapacity', maxCapacityBuffer: 10 }, { capacity: base.capacity }), 30, {
      requests: flat,
    });
    expect([increase.d.to, increase.d.code]).toEqual([50, 'ScaleOut']);
    expect(increase.trace.maximum).toEqual({ behavior: 'IncreaseMaxCapacity', buffer: 10, configured: 40, effective: 55 });
    expect(increase.d.trace.capacity.maximum).toBe(55);
  });

  it('a forecast beyond any fleet asks for LIMITS.maxCapacity (100,000), never Infinity', () => {
    const huge = hourly(Array.from({ length: 24 }, () => 1e308));
    const s = spec({ targetValue: 0.5, maxCapacityBreachBehavior: 'IncreaseMaxCapacity', maxCapacityBuffer: 100 }, { capacity: { minimum: 1, maximum: 40, default: 2 } });
    const { d, trace } = run(s, 30, { requests: huge });
    expect([trace.required, trace.forecast[0]!.capacity, trace.maximum!.effective, d.to]).toEqual([100_000, 100_000, 100_000, 100_000]);
  });

  it('maxCapacityBuffer is required with IncreaseMaxCapacity and refused with HonorMaxCapacity', () => {
    expect(() => compile(spec({ maxCapacityBreachBehavior: 'IncreaseMaxCapacity' }))).toThrow(/maxCapacityBuffer is required/);
    expect(() => compile(spec({ maxCapacityBuffer: 5 }))).toThrow(/only with IncreaseMaxCapacity/);
  });
});

describe('the predictive policy through decide()', () => {
  const n = 48;
  const sine = hourly(Array.from({ length: n }, (_, i) => 100 + 50 * Math.sin((2 * Math.PI * hourOf(i, n)) / 24)));

  it('scales out to the forecast of the coming hour, with the forecast, its capacity and its error in the trace', () => {
    // Coming hour 00:00: 100 → ceil(100 / 25) = 4. With a 3-hour scheduling buffer, 03:00: 100 + 50 sin(π/4) = 135.36 → 6.
    const { d, trace } = run(spec({ horizon: 'PT6H' }), 2, { requests: sine });
    expect([d.action, d.to, d.code]).toEqual(['scaleOut', 4, 'ScaleOut']);
    expect(trace.code).toBe('PredictiveScale');
    expect(trace.forecast.map((f) => f.capacity)).toEqual([4, 5, 5, 6, 6, 6]);
    expect(trace.forecast[0]!.at).toBe('2026-11-28T00:00:00Z');
    expect(trace.error).toEqual({ mape: 0, points: 24, zeros: 0 });
    expect(trace.history).toEqual({ slots: 48, from: '2026-11-25T23:00:00Z', minimumSlots: 24, seasonSlots: 24, seasonsUsed: 2 });
    expect(d.reason).toContain('the seasonalNaive forecast of requests reaches 100 by 00:00Z, which needs 4 at 25 each');
    const ahead = run(spec({ horizon: 'PT6H', schedulingBuffer: 'PT1H' }), 2, { requests: sine });
    expect([ahead.d.to, ahead.trace.required, ahead.trace.requiredBy]).toEqual([5, 5, '2026-11-28T01:00:00Z']);
  });

  it('too little history: refuses with a code and says so', () => {
    const half = hourly(Array.from({ length: 12 }, () => 500));
    const { d, trace } = run(spec({}), 3, { requests: half });
    expect([d.action, d.to]).toEqual(['none', 3]);
    expect(trace.code).toBe('PredictiveTooLittleHistory');
    expect(trace.message).toBe('requests has 12 slots of PT1H history, fewer than the 24 it needs, so the predictive policy does not forecast');
    expect(d.reason).toBe(
      'no change at 3: no policy asks for a change; the predictive policy: requests has 12 slots of PT1H history, fewer than the 24 it needs, so the predictive policy does not forecast',
    );
    expect(d.trace.policies?.proposals).toEqual([]);
    // Holt-Winters needs two seasons whatever minimumHistory says.
    expect(run(spec({ method: 'holtWinters', minimumHistory: 'PT1H' }), 3, { requests: sine }).trace.history.minimumSlots).toBe(48);
    expect(run(spec({}), 3, {}).trace.code).toBe('PredictiveNoData');
  });

  it('never scales in by itself', () => {
    const { d, trace } = run(spec({}), 10, { requests: sine });
    expect([d.action, d.to, d.code]).toEqual(['none', 10, 'NoChange']);
    expect(trace.desired).toBe(4);
    expect(d.reason).toContain('it never scales in by itself');
  });

  it('ForecastOnly never changes capacity, but the forecast is in the trace', () => {
    const { d, trace } = run(spec({ mode: 'ForecastOnly' }), 2, { requests: sine });
    expect([d.action, d.to]).toEqual(['none', 2]);
    expect(trace.code).toBe('PredictiveForecastOnly');
    expect(trace.required).toBe(4);
    expect(d.reason).toBe(
      'no change at 2: no policy asks for a change; the predictive policy: the seasonalNaive forecast of requests reaches 100 by 00:00Z, which needs 4 at 25 each (its error over the history is 0% MAPE); ForecastOnly, so capacity is not changed',
    );
    expect(trace.desired).toBeUndefined();
    expect(d.trace.policies?.proposals).toEqual([]);
  });

  describe('the largest capacity wins with reactive rules', () => {
    const cpu = (v: number) => ({ start: NOW - 9 * 60_000, step: 'PT1M', values: Array.from({ length: 10 }, () => v) });
    const rules = [
      metricRule('cpu-high', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 1 }),
      metricRule('cpu-low', 'in', 'LessThan', 30, { type: 'ChangeCount', value: 5 }),
    ];

    it('the forecast above a reactive scale-out wins', () => {
      const { d } = run(spec({}, { rules }), 2, { requests: sine, cpu: cpu(80) });
      expect([d.to, d.trace.policies?.decidedBy]).toEqual([4, 'predictive:predictive']);
    });
    it('a reactive scale-out above the forecast wins', () => {
      const { d } = run(spec({}, { rules }), 4, { requests: sine, cpu: cpu(80) });
      expect([d.to, d.rule, d.trace.policies?.decidedBy]).toEqual([5, 'cpu-high', 'rules']);
    });
    it('a reactive scale-in stops at the forecast', () => {
      const { d } = run(spec({}, { rules }), 8, { requests: sine, cpu: cpu(10) });
      expect([d.action, d.to, d.trace.policies?.decidedBy]).toEqual(['scaleIn', 4, 'predictive:predictive']);
      expect(d.reason).toBe(
        'scale-in 8→4: the rules ask for 3, but the predictive policy keeps 4: the seasonalNaive forecast of requests reaches 100 by 00:00Z, which needs 4 at 25 each (its error over the history is 0% MAPE)',
      );
    });
    it('a target tracking scale-in stops at the forecast too, and the reason names who asked for less', () => {
      const tracking = {
        targetTracking: [{ id: 'rps-100', metric: 'rps', source: 'Pods' as const, target: { type: 'AverageValue' as const, averageValue: '100' } }],
        // Without Kubernetes' default 300 s scale-down stabilization, which would hold 8.
        behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
      };
      // 8 instances at 20 rps each: target tracking asks for ceil(8 × 20 ÷ 100) = 2; the forecast needs 4.
      const { d } = run(spec({}, tracking), 8, { requests: sine, rps: 20 });
      expect([d.action, d.to]).toEqual(['scaleIn', 4]);
      expect(d.reason).toContain('target tracking (rps-100) asks for 2, but the predictive policy keeps 4');
    });
    it('a reactive scale-in below the capacity the forecast needs goes only as far as it', () => {
      const { d } = run(spec({}, { rules }), 6, { requests: sine, cpu: cpu(10) });
      expect([d.action, d.to]).toEqual(['scaleIn', 4]);
    });
  });
});

describe('simulate: the forecast leads the load', () => {
  it('capacity rises an hour (two with a PT1H scheduling buffer) before the load does', () => {
    // Three days of hourly load: 1000 from 09:00 to 16:00, 200 otherwise; 100 per instance.
    const start = Date.parse('2026-11-24T00:00:00Z');
    const points = Array.from({ length: 72 }, (_, i) => {
      const t = start + i * HOUR;
      const hour = new Date(t).getUTCHours();
      return { t: new Date(t).toISOString(), v: hour >= 9 && hour < 17 ? 1000 : 200 };
    });
    const timeline = (schedulingBuffer: string) => {
      const outcome = simulateRequest(
        {
          ruleSets: [spec({ targetValue: 100, schedulingBuffer }, { id: `lead-${schedulingBuffer}`, capacity: { minimum: 1, maximum: 20, default: 2 } })],
          capacity: 2,
          from: '2026-11-26T05:00:00Z',
          to: '2026-11-26T11:00:00Z',
          step: 'PT1H',
          metrics: { requests: points },
          timeline: true,
        },
        resolveBundled,
      );
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
      return outcome.response.results[0]!.timeline!;
    };
    const loadRisesAt = points.find((p) => p.t >= '2026-11-26' && p.v === 1000)!.t;
    expect(loadRisesAt).toBe('2026-11-26T09:00:00.000Z');
    const first = (tl: ReturnType<typeof timeline>) => tl.find((e) => e.to === 10);
    expect(first(timeline('PT0S'))).toMatchObject({ t: '2026-11-26T08:00:00Z', capacity: 2, to: 10, action: 'scaleOut' });
    expect(first(timeline('PT1H'))).toMatchObject({ t: '2026-11-26T07:00:00Z', capacity: 2, to: 10, action: 'scaleOut' });
    // Before it, the forecast of the quiet hours (200 → 2) holds the capacity it found.
    expect(
      timeline('PT0S')
        .slice(0, 3)
        .map((e) => e.to),
    ).toEqual([2, 2, 2]);
  });
});

describe('docs/predictive.md examples, sent as written', () => {
  const doc = readFileSync(new URL('../../docs/predictive.md', import.meta.url), 'utf8');
  const block = (name: string): Record<string, unknown> => {
    const m = new RegExp(`<!-- predictive-example:${name} -->\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
    if (!m) throw new Error(`docs/predictive.md has no ${name} block`);
    return JSON.parse(m[1]!) as Record<string, unknown>;
  };
  for (const n of [1, 2]) {
    it(`request ${n} answers response ${n}`, async () => {
      const request = block(`request-${n}`) as { now: string };
      const outcome = await evaluateBatch(request, resolveBundled, Date.parse(request.now));
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
      const [result] = outcome.results;
      if (!result!.ok) throw new Error(JSON.stringify(result!.error));
      expect(result!.decision).toMatchObject(block(`response-${n}`));
    });
  }
  it("the first example's MAPE is the hand-worked one: 8 night slots off by 20 ÷ 220, over 24 slots", () => {
    const mape = (block('response-1') as { trace: { policies: { predictive: PredictiveTrace } } }).trace.policies.predictive.error!.mape!;
    expect(mape).toBeCloseTo((100 * ((8 * 20) / 220)) / 24, 12);
  });
});

describe('compare: a reactive rule set against the same rules with a predictive floor', () => {
  it('over a day with a morning ramp and 10-minute provisioning, the predictive set is short of capacity for fewer minutes', () => {
    // Three days of 5-minute totals: 150 at night, ramping to 850 from 06:00 to 12:00, down again to 22:00.
    const daily = (h: number) => (h < 6 ? 150 : h < 12 ? 150 + (700 * (h - 6)) / 6 : h < 22 ? 850 - (700 * (h - 12)) / 10 : 150);
    const values = Array.from({ length: 3 * 288 }, (_, i) => Math.round(daily((i % 288) / 12)));
    const cpu = (id: string, direction: 'out' | 'in', operator: 'GreaterThan' | 'LessThan', threshold: number) =>
      metricRule(id, direction, operator, threshold, { type: 'ChangeCount', value: 1 }, { cooldown: 'PT5M' });
    const reactive: RuleSetInput = {
      id: 'reactive',
      capacity: { minimum: 2, maximum: 20, default: 3 },
      cooldown: 'PT5M',
      rules: [cpu('cpu-high', 'out', 'GreaterThan', 70), cpu('cpu-low', 'in', 'LessThan', 30)],
    };
    const withForecast: RuleSetInput = {
      ...reactive,
      id: 'reactive-predictive',
      predictive: { metric: 'requests', targetValue: 70, mode: 'ForecastAndScale', schedulingBuffer: 'PT10M' },
    };
    const outcome = simulateRequest(
      {
        ruleSets: [reactive, withForecast],
        capacity: 3,
        from: '2026-11-25T00:00:00Z',
        to: '2026-11-26T00:00:00Z',
        step: 'PT5M',
        metrics: { requests: { start: '2026-11-23T00:00:00Z', step: 'PT5M', values } },
        load: {
          model: 'demand',
          series: { start: '2026-11-25T00:00:00Z', step: 'PT5M', values: values.slice(2 * 288) },
          perInstance: 100,
          target: 70,
          metric: 'cpu',
          provisioningDelay: 'PT10M',
        },
      },
      resolveBundled,
    );
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    const [plain, predicted] = outcome.response.results.map((r) => r.summary.underProvisioned!.minutes);
    expect(predicted).toBeLessThan(plain!);
    expect([plain, predicted]).toEqual([60, 0]);
    // For about the same instance-hours (190.92 and 191.17).
    const [hours, predictedHours] = outcome.response.results.map((r) => r.summary.instanceHours);
    expect(predictedHours! - hours!).toBeCloseTo(0.25, 6);
  });
});
