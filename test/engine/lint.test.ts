// Lint warnings (src/engine/lint/, docs/lint.md): per warning, a rule set that triggers it and one that does not.
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../src/engine/ruleset.js';
import { lintRuleSet } from '../../src/engine/lint/index.js';
import { bundledRuleSets } from '../../src/rulesets/bundled.js';
import { WARNING_CODES } from '../../src/schemas/codes.js';
import type { Warning } from '../../src/schemas/decision.js';

type Json = Record<string, unknown>;

const trigger = (threshold: number, operator: string, extra: Json = {}) => ({ metric: { metric: 'cpu', operator, threshold, timeWindow: 'PT10M', ...extra } });
const out = (id: string, threshold: number, operator = 'GreaterThan', extra: Json = {}, action: Json = { type: 'ChangeCount', value: 1 }) => ({
  id,
  direction: 'out',
  when: trigger(threshold, operator, extra),
  action,
});
const inn = (id: string, threshold: number, operator = 'LessThan', extra: Json = {}, action: Json = { type: 'ChangeCount', value: 1 }) => ({
  id,
  direction: 'in',
  when: trigger(threshold, operator, extra),
  action,
});

/** A set a reviewer would pass: out at > 80, in at < 30, cooldown = window, bounds 2–10. */
function set(patch: Json = {}): Json {
  return { id: 'lint', capacity: { minimum: 2, maximum: 10, default: 2 }, cooldown: 'PT10M', rules: [out('cpu-high', 80), inn('cpu-low', 30)], ...patch };
}

function lint(spec: Json): Warning[] {
  const loaded = loadRuleSet(spec);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return lintRuleSet(loaded.ruleSet);
}

const codes = (spec: Json) => lint(spec).map((w) => w.code);

describe('the reference set has no warning', () => {
  it('out > 80, in < 30, cooldown PT10M over PT10M windows, bounds 2–10', () => {
    expect(lint(set())).toEqual([]);
  });
});

describe('OutInOverlap: out and in rules that can fire together', () => {
  it('the issue\'s example: out cpu > 50 and in cpu < 70 both fire at 60', () => {
    const ws = lint(set({ rules: [out('cpu-high', 50), inn('cpu-low', 70)] }));
    expect(ws).toEqual([
      {
        code: 'OutInOverlap',
        path: 'rules[0].when.metric.threshold',
        message:
          'Scale-out rule cpu-high (cpu > 50) and scale-in rule cpu-low (cpu < 70) both fire at cpu = 60, so one load asks for both more and fewer instances (scale-out wins, and flapping follows when the load moves).',
        fix: "Keep the scale-in threshold below the scale-out threshold with a margin, as Azure's best practices advise (out at >= 80, in at <= 60).",
      },
    ]);
  });
  it('touching inclusive thresholds overlap at the threshold (>= 70 and <= 70)', () => {
    const [w] = lint(set({ rules: [out('hi', 70, 'GreaterThanOrEqual'), inn('lo', 70, 'LessThanOrEqual')] }));
    expect(w?.code).toBe('OutInOverlap');
    expect(w?.message).toContain('at cpu = 70');
  });
  it('not when the thresholds only touch with a strict operator (> 70 and <= 70), nor on another window', () => {
    expect(codes(set({ rules: [out('hi', 70), inn('lo', 70, 'LessThanOrEqual')] }))).not.toContain('OutInOverlap');
    expect(codes(set({ rules: [out('hi', 50), inn('lo', 70, 'LessThan', { timeWindow: 'PT20M' })], cooldown: 'PT20M' }))).not.toContain('OutInOverlap');
  });
  it('expression rules are not analysed', () => {
    const rules = [out('cpu-high', 80), { id: 'e-in', direction: 'in', when: { expr: 'metrics.cpu.avg < 90' }, action: { type: 'ChangeCount', value: 1 } }];
    expect(lint(set({ rules }))).toEqual([]);
  });
});

describe('FlappingBlocksScaleIn: a gap Azure\'s projection closes', () => {
  it('out > 70, in < 60, bounds 1–10: scale-in is blocked from 2 to 6 instances (60 × 6/5 = 72 > 70; 60 × 7/6 = 70)', () => {
    const ws = lint(set({ capacity: { minimum: 1, maximum: 10, default: 2 }, rules: [out('cpu-high', 70), inn('cpu-low', 60)] }));
    expect(ws).toHaveLength(1);
    expect(ws[0]).toMatchObject({ code: 'FlappingBlocksScaleIn', path: 'rules[1].when.metric.threshold' });
    expect(ws[0]!.message).toBe(
      "In the default profile (bounds 1–10), Azure's flapping projection blocks scale-in by cpu-low (cpu < 60) from 2 to 6 instances: cpu just under 60 at 6 instances projects to 72 at 5, which fires cpu-high (cpu > 70).",
    );
    expect(ws[0]!.fix).toContain('at most 35 (70 × 1/2)');
  });
  it('the bounds decide: with a minimum of 6 only 7 would be affected, and 60 × 7/6 = 70 is not > 70', () => {
    expect(codes(set({ capacity: { minimum: 6, maximum: 10, default: 6 }, rules: [out('cpu-high', 70), inn('cpu-low', 60)] }))).toEqual([]);
  });
  it('a profile sharing the top-level rules is checked against its own bounds (night: 1–4)', () => {
    const night = { name: 'night', capacity: { minimum: 1, maximum: 4, default: 1 }, recurrence: { timeZone: 'UTC', days: ['Monday'], start: '00:00', end: '06:00' } };
    const ws = lint(set({ capacity: { minimum: 6, maximum: 10, default: 6 }, rules: [out('cpu-high', 70), inn('cpu-low', 60)], profiles: [night] }));
    expect(ws.map((w) => [w.code, w.path])).toEqual([['FlappingBlocksScaleIn', 'rules[1].when.metric.threshold']]);
    expect(ws[0]!.message).toContain('In profile "night" (bounds 1–4), Azure\'s flapping projection blocks scale-in by cpu-low (cpu < 60) from 2 to 4 instances');
  });
  it('not for totals (Sum is not projected), nor with flappingProtection off', () => {
    const sum = { statistic: 'Sum' };
    expect(codes(set({ capacity: { minimum: 1, maximum: 10, default: 2 }, rules: [out('hi', 70, 'GreaterThan', sum), inn('lo', 60, 'LessThan', sum)] }))).toEqual([]);
    expect(codes(set({ capacity: { minimum: 1, maximum: 10, default: 2 }, flappingProtection: false, rules: [out('hi', 70), inn('lo', 60)] }))).toEqual([]);
  });
});

describe('ScaleInNeverUnanimous: scale-in rules that can never all fire', () => {
  it('in cpu < 30 and in cpu > 50 on the same value', () => {
    const ws = lint(set({ rules: [out('cpu-high', 80), inn('cpu-low', 30), inn('cpu-odd', 50, 'GreaterThan')] }));
    expect(ws.map((w) => [w.code, w.path])).toEqual([['ScaleInNeverUnanimous', 'rules[2].when.metric.threshold']]);
    expect(ws[0]!.message).toContain('the default profile never scales in');
  });
  it('not when they can hold together (cpu < 30 and cpu > 5)', () => {
    expect(lint(set({ rules: [out('cpu-high', 80), inn('cpu-low', 30), inn('cpu-some', 5, 'GreaterThan')] }))).toEqual([]);
  });
});

describe('WindowOutsideAzureRange: windows and grains Azure does not accept', () => {
  it('a PT2M window (Azure: 5 minutes to 12 hours)', () => {
    const ws = lint(set({ cooldown: 'PT10M', rules: [out('cpu-high', 80, 'GreaterThan', { timeWindow: 'PT2M' }), inn('cpu-low', 30)] }));
    expect(ws.map((w) => [w.code, w.path])).toEqual([['WindowOutsideAzureRange', 'rules[0].when.metric.timeWindow']]);
  });
  it('a PT30S grain (Azure: 1 minute to 12 hours)', () => {
    expect(lint(set({ rules: [out('cpu-high', 80, 'GreaterThan', { timeGrain: 'PT30S' }), inn('cpu-low', 30)] })).map((w) => w.path)).toEqual(['rules[0].when.metric.timeGrain']);
  });
  it('not at the limits (PT5M window, PT1M grain)', () => {
    expect(lint(set({ rules: [out('cpu-high', 80, 'GreaterThan', { timeWindow: 'PT5M' }), inn('cpu-low', 30)] }))).toEqual([]);
  });
});

describe('CooldownShorterThanWindow', () => {
  it('the set\'s PT5M cooldown under PT10M windows: each rule reads 5 minutes from before its scale', () => {
    const ws = lint(set({ cooldown: 'PT5M' }));
    expect(ws.map((w) => [w.code, w.path])).toEqual([
      ['CooldownShorterThanWindow', 'cooldown'],
      ['CooldownShorterThanWindow', 'cooldown'],
    ]);
    expect(ws[0]!.message).toBe(
      'Rule cpu-high has a cooldown of PT5M but looks back over PT10M, so its first evaluation after it scales still reads PT5M of load from before the change and can scale again on stale data.',
    );
  });
  it('a rule\'s own cooldown is pointed at; not when it covers the window', () => {
    const rules = [{ ...out('cpu-high', 80), cooldown: 'PT3M' }, { ...inn('cpu-low', 30), cooldown: 'PT15M' }];
    expect(lint(set({ rules })).map((w) => w.path)).toEqual(['rules[0].cooldown']);
  });
});

describe('ProfileShadowed: profiles an earlier one always outranks', () => {
  const weekday = (name: string, start: string, end: string, days = ['Monday', 'Tuesday']) => ({
    name,
    capacity: { minimum: 2, maximum: 10, default: 2 },
    recurrence: { timeZone: 'Europe/Berlin', days, start, end },
  });
  it('a recurrence inside an earlier one (Monday 09–17 inside Monday–Tuesday 08–18)', () => {
    const ws = lint(set({ profiles: [weekday('business', '08:00', '18:00'), weekday('core', '09:00', '17:00', ['Monday'])] }));
    expect(ws.map((w) => [w.code, w.path])).toEqual([['ProfileShadowed', 'profiles[1].recurrence']]);
    expect(ws[0]!.message).toContain('profile "business", listed earlier, is active whenever it is');
  });
  it('a duplicate cron schedule, and a fixed date inside an earlier one', () => {
    const cron = (name: string) => ({ name, capacity: { minimum: 2, maximum: 10, default: 2 }, cron: { timeZone: 'UTC', start: '0 8 * * 1-5', duration: 'PT10H' } });
    const fixed = (name: string, start: string, end: string) => ({ name, capacity: { minimum: 2, maximum: 10, default: 2 }, fixedDate: { timeZone: 'UTC', start, end } });
    expect(lint(set({ profiles: [cron('a'), cron('b')] })).map((w) => w.path)).toEqual(['profiles[1].cron']);
    expect(lint(set({ profiles: [fixed('sale', '2026-11-27T00:00:00', '2026-11-30T00:00:00'), fixed('day', '2026-11-28T00:00:00', '2026-11-29T00:00:00')] })).map((w) => w.path)).toEqual(['profiles[1].fixedDate']);
  });
  it('not when the later one reaches beyond (longer hours, another day, another zone), nor listed first', () => {
    expect(lint(set({ profiles: [weekday('business', '08:00', '18:00'), weekday('late', '09:00', '19:00', ['Monday'])] }))).toEqual([]);
    expect(lint(set({ profiles: [weekday('business', '08:00', '18:00'), weekday('wed', '09:00', '17:00', ['Wednesday'])] }))).toEqual([]);
    expect(lint(set({ profiles: [weekday('core', '09:00', '17:00', ['Monday']), weekday('business', '08:00', '18:00')] }))).toEqual([]);
  });
});

describe('PercentRoundsToZero', () => {
  it('+10 % with floor and minimumChange 0 does nothing from 2 to 9 instances', () => {
    const action = { type: 'PercentChangeCount', value: 10, rounding: 'floor', minimumChange: 0 };
    const ws = lint(set({ rules: [out('cpu-high', 80, 'GreaterThan', {}, action), inn('cpu-low', 30)] }));
    expect(ws.map((w) => [w.code, w.path])).toEqual([['PercentRoundsToZero', 'rules[0].action']]);
    expect(ws[0]!.message).toContain('fires but changes nothing from 2 to 9 instances in the default profile');
  });
  it('not with the defaults (ceil, minimumChange 1): 10 % of 2 is 1', () => {
    expect(lint(set({ rules: [out('cpu-high', 80, 'GreaterThan', {}, { type: 'PercentChangeCount', value: 10 }), inn('cpu-low', 30)] }))).toEqual([]);
  });
});

describe('FixedCapacity: minimum = maximum with rules', () => {
  it('bounds 3–3 with two rules', () => {
    const ws = lint(set({ capacity: { minimum: 3, maximum: 3, default: 3 } }));
    expect(ws.map((w) => [w.code, w.path, w.message])).toEqual([['FixedCapacity', 'capacity.maximum', 'The default profile has minimum = maximum = 3, so its 2 rules can never change the capacity.']]);
  });
  it('not without rules', () => {
    expect(lint(set({ capacity: { minimum: 3, maximum: 3, default: 3 }, rules: [] }))).toEqual([]);
  });
});

describe('OneDirectionOnly: rules that scale one way only', () => {
  it('scale-out rules without a scale-in rule', () => {
    const ws = lint(set({ rules: [out('cpu-high', 80)] }));
    expect(ws.map((w) => [w.code, w.path])).toEqual([['OneDirectionOnly', 'rules']]);
    expect(ws[0]!.message).toContain('no scale-in rule');
  });
  it('not when target tracking can scale in beside them', () => {
    expect(lint(set({ rules: [out('cpu-high', 80)], targetTracking: [{ id: 'tt', metric: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } }] }))).toEqual([]);
  });
});

describe('ExactCountNeverMoves', () => {
  it('a scale-out rule setting the minimum', () => {
    const ws = lint(set({ rules: [out('cpu-high', 80, 'GreaterThan', {}, { type: 'ExactCount', value: 2 }), inn('cpu-low', 30)] }));
    expect(ws.map((w) => [w.code, w.path])).toEqual([['ExactCountNeverMoves', 'rules[0].action.value']]);
  });
  it('not one setting a count above the minimum', () => {
    expect(lint(set({ rules: [out('cpu-high', 80, 'GreaterThan', {}, { type: 'ExactCount', value: 6 }), inn('cpu-low', 30)] }))).toEqual([]);
  });
});

describe('every warning code has a test above, and lint is deterministic', () => {
  it('the codes tested are WARNING_CODES', () => {
    const tested = ['OutInOverlap', 'FlappingBlocksScaleIn', 'ScaleInNeverUnanimous', 'WindowOutsideAzureRange', 'CooldownShorterThanWindow', 'ProfileShadowed', 'PercentRoundsToZero', 'FixedCapacity', 'OneDirectionOnly', 'ExactCountNeverMoves', 'KpaPanicBelowCapacity', 'KpaPanicWindowUnderTick', 'KpaActivationOutsideBounds', 'PredictiveHistoryUnderSeason', 'PredictiveForecastOnly'];
    expect([...tested].sort()).toEqual([...WARNING_CODES].sort());
  });
  it('a profile sharing the top-level rules does not repeat their warnings', () => {
    const shared = set({ rules: [out('cpu-high', 50), inn('cpu-low', 70)], profiles: [{ name: 'night', capacity: { minimum: 2, maximum: 10, default: 2 }, recurrence: { timeZone: 'UTC', days: ['Monday'], start: '00:00', end: '06:00' } }] });
    expect(codes(shared)).toEqual(['OutInOverlap']);
  });
  it('the bundled rule sets lint without throwing, twice the same', () => {
    for (const entry of bundledRuleSets().values()) {
      if (!entry.ruleSet) continue;
      expect(lintRuleSet(entry.ruleSet)).toEqual(lintRuleSet(entry.ruleSet));
    }
  });
});

describe('kpa warnings (src/engine/lint/kpa.ts)', () => {
  const kpaSet = (kpa: Json, capacity: Json = { minimum: 0, maximum: 10, default: 0 }) => ({ id: 'kpa', capacity, rules: [], kpa: { metric: 'concurrency', ...kpa } });
  it('KpaPanicBelowCapacity: 110 % of a target at 90 % utilization is below the pods\' 111 %', () => {
    const ws = lint(kpaSet({ panicThresholdPercentage: 110, targetUtilizationPercentage: 90 }));
    expect(ws.map((w) => [w.code, w.path])).toEqual([['KpaPanicBelowCapacity', 'kpa.panicThresholdPercentage']]);
    expect(ws[0]!.message).toContain('full at 111.11 %');
  });
  it('not Knative\'s defaults (200 % of a 70 % target)', () => {
    expect(lint(kpaSet({}))).toEqual([]);
  });
  it('KpaPanicWindowUnderTick: 1 % of PT60S is 0.6 s', () => {
    const ws = lint(kpaSet({ panicWindowPercentage: 1 }));
    expect(ws.map((w) => [w.code, w.path])).toEqual([['KpaPanicWindowUnderTick', 'kpa.panicWindowPercentage']]);
    expect(ws[0]!.fix).toContain('≥ 3.34');
  });
  it('not 4 % of PT60S (2.4 s)', () => {
    expect(lint(kpaSet({ panicWindowPercentage: 4 }))).toEqual([]);
  });
  it('KpaActivationOutsideBounds: activation scale 3 above a maximum of 2, and below a profile minimum of 5', () => {
    expect(codes(kpaSet({ activationScale: 3 }, { minimum: 0, maximum: 2, default: 0 }))).toEqual(['KpaActivationOutsideBounds']);
    expect(codes(kpaSet({ activationScale: 3 }, { minimum: 5, maximum: 10, default: 5 }))).toEqual(['KpaActivationOutsideBounds']);
  });
  it('not an activation scale within the bounds', () => {
    expect(lint(kpaSet({ activationScale: 3 }))).toEqual([]);
  });
});

describe('predictive warnings (src/engine/lint/predictive.ts)', () => {
  const predictiveSet = (predictive: Json) => ({
    id: 'predictive',
    capacity: { minimum: 1, maximum: 10, default: 1 },
    rules: [],
    predictive: { metric: 'requests', targetValue: 100, mode: 'ForecastAndScale', ...predictive },
  });
  it('PredictiveHistoryUnderSeason: a weekly season over 3 days of history never forecasts', () => {
    const ws = lint(predictiveSet({ season: 'P7D', history: 'P3D' }));
    expect(ws.map((w) => [w.code, w.path])).toEqual([['PredictiveHistoryUnderSeason', 'predictive.history']]);
    expect(ws[0]!.message).toBe('The predictive policy reads P3D of history but its seasonalNaive forecast needs one season of P7D, so it never forecasts.');
  });
  it('PredictiveHistoryUnderSeason: Holt-Winters on a daily season with the default 1-day minimum needs two days', () => {
    const ws = lint(predictiveSet({ method: 'holtWinters' }));
    expect(ws.map((w) => [w.code, w.path])).toEqual([['PredictiveHistoryUnderSeason', 'predictive.minimumHistory']]);
    expect(ws[0]!.fix).toBe('Set minimumHistory to at least two seasons of P1D.');
  });
  it('not a daily season with the defaults (14 days read, 1 day minimum), nor Holt-Winters with P2D', () => {
    expect(lint(predictiveSet({}))).toEqual([]);
    expect(lint(predictiveSet({ method: 'holtWinters', minimumHistory: 'P2D' }))).toEqual([]);
  });
  it("PredictiveForecastOnly: AWS's default mode never changes capacity", () => {
    expect(lint(predictiveSet({ mode: 'ForecastOnly' })).map((w) => [w.code, w.path])).toEqual([['PredictiveForecastOnly', 'predictive.mode']]);
    expect(codes({ ...predictiveSet({}), predictive: { metric: 'requests', targetValue: 100 } })).toEqual(['PredictiveForecastOnly']);
  });
});
