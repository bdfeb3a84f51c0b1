// The kpa policy against Knative's own tests: autoscaler_test.go and kpa/scaler_test.go replayed row by row through decide(), the state carried between calls.
//
// Sources (knative/serving, commit 98e5ef90aa7033797aa0a61ef97f3ff7e49a3944):
// - pkg/autoscaler/scaling/autoscaler_test.go: every expected DesiredPodCount and ExcessBurstCapacity
//   below is the Go test's own value (expectedEBC is its helper, compared ±1 as its approxEquateInt32 does).
// - pkg/reconciler/autoscaling/kpa/scaler_test.go TestScaler: the rows a stateless engine can replay.
// How the Go fixtures become edgescale inputs:
// - newTestAutoscaler's DeciderSpec (TargetValue tv, TotalValue tv ÷ 0.75, PanicThreshold 2, rates 10,
//   StableWindow 60 s, Reachable) is `kpa` with target tv ÷ 0.75 and 75 % utilization, 200 %, rates 10, PT60S;
// - the fake podCounter's readyCount is the target's capacity;
// - the fake metric client's stable and panic values become a series whose stable-window mean and
//   panic-window (6 s) mean are exactly those values: a point at `now` with the panic value and one 30 s
//   earlier with 2 × stable − panic (negative when the surge is more than twice the stable mean; only the
//   means enter the arithmetic, and the trace shows both);
// - an autoscaler created at readyCount 1 (every newTestAutoscaler) is the state `{ kpa: {} }`: a KPA
//   that exists and is not panicking. No `kpa` state at all is a new autoscaler (TestStartInPanicMode).
// docs/kpa.md's request/response examples are sent as written (last describe).
// Not replayable: TestCantCountPods and TestNewFail (a failing pod counter: edgescale is always told the
// capacity); the OpenTelemetry gauges of the *Metrics tests (their DesiredPodCount, EBC and panic mode are
// checked here through the trace).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { DecisionState, type RuleSetInput } from '../../src/schema.js';
import type { Decision } from '../../src/schemas/decision.js';
import type { KpaTrace } from '../../src/schemas/kpa.js';
import { isoUtc as iso } from '../../src/syntax/duration.js';
import { compile } from '../helpers.js';
import { evaluateBatch } from '../../src/service/batch.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { simulateRequest } from '../../src/service/simulate.js';

const T0 = Date.parse('2026-11-22T10:30:00Z');
const S = 1_000;

type Kpa = NonNullable<RuleSetInput['kpa']>;

/** newTestAutoscalerWithScalingMetric's DeciderSpec, as a rule set. */
function testAutoscaler(targetValue: number, tbc: number, extra: Partial<Kpa> = {}, capacity: Partial<RuleSetInput['capacity']> = {}): RuleSetInput {
  return {
    id: 'kpa-test',
    capacity: { minimum: 0, maximum: 100_000, ...capacity, default: capacity.minimum ?? 0 },
    rules: [],
    // As the importer writes it: no data, no scale (autoscaler.go returns invalidSR on ErrNoData).
    missingData: { policy: 'hold' },
    kpa: {
      metric: 'concurrency',
      target: targetValue / 0.75,
      targetUtilizationPercentage: 75,
      targetBurstCapacity: tbc,
      panicThresholdPercentage: 200,
      maxScaleUpRate: 10,
      maxScaleDownRate: 10,
      stableWindow: 'PT60S',
      ...extra,
    },
  };
}

/** A series whose 60 s mean is `stable` and whose 6 s mean is `panic`. */
const series = (stable: number, panic: number, now: number) => [
  { t: now - 30 * S, v: 2 * stable - panic },
  { t: now, v: panic },
];

/** autoscaler_test.go expectedEBC. */
function expectedEBC(totCap: number, targetBC: number, recordedConcurrency: number, numPods: number): number {
  return Math.floor((totCap / 0.75) * numPods - targetBC - recordedConcurrency);
}

const FRESH_AT_ONE = { kpa: {} };

interface Step {
  ready: number;
  stable?: number;
  panic?: number;
  now?: number;
  state?: unknown;
}

function scale(spec: RuleSetInput, { ready, stable, panic, now = T0, state }: Step): Decision {
  const metrics: Record<string, Array<{ t: number; v: number }>> = stable === undefined ? {} : { concurrency: series(stable, panic ?? stable, now) };
  return decide(compile(spec), { id: 'rev', capacity: ready, metrics, ...(state !== undefined && { state: DecisionState.parse(state) }) }, now);
}

const kpaTrace = (d: Decision) => (d.trace.policies as { kpa: KpaTrace }).kpa;

/** expectScale: DesiredPodCount is the decider's count, EBC within ±1 (approxEquateInt32). */
function expectScale(d: Decision, pods: number, ebc?: number) {
  const t = kpaTrace(d);
  expect(t.decider).toBe(pods);
  if (ebc !== undefined) expect(Math.abs(t.excessBurstCapacity! - ebc)).toBeLessThanOrEqual(1);
  if (pods > 0) expect(d.to).toBe(pods);
}

describe('autoscaler_test.go TestAutoscalerScale (table)', () => {
  interface Row {
    label: string;
    target: number;
    tbc: number;
    stable: number;
    panic: number;
    baseScale: number;
    extra?: Partial<Kpa>;
    state?: unknown;
    wantScale: number;
    wantEBC: number;
  }
  const panicking = { kpa: { panicTime: iso(T0 - 5 * S), maxPanicPods: 5 } };
  const rows: Row[] = [
    { label: 'AutoscalerNoDataAtZeroNoAutoscale', target: 10, tbc: 100, stable: 0, panic: 0, baseScale: 1, wantScale: 0, wantEBC: expectedEBC(10, 100, 0, 1) },
    { label: 'AutoscalerNoDataAtZeroNoAutoscaleWithExplicitEPs', target: 10, tbc: 100, stable: 0, panic: 0, baseScale: 1, wantScale: 0, wantEBC: expectedEBC(10, 100, 0, 1) },
    { label: 'AutoscalerStableModeUnlimitedTBC', target: 181, tbc: -1, stable: 21, panic: 26, baseScale: 1, wantScale: 1, wantEBC: -1 },
    { label: 'Autoscaler0TBC', target: 10, tbc: 0, stable: 50, panic: 49, baseScale: 1, wantScale: 5, wantEBC: 0 },
    { label: 'AutoscalerStableModeNoChange', target: 10, tbc: 100, stable: 50, panic: 50, baseScale: 1, wantScale: 5, wantEBC: expectedEBC(10, 100, 50, 1) },
    // prepFunc: panicTime = now − 5 s, maxPanicPods = 5. "Note that we use stable concurrency value for desired scale."
    {
      label: 'AutoscalerPanicStableLargerThanPanic',
      target: 1,
      tbc: 100,
      stable: 50,
      panic: 30,
      baseScale: 5,
      state: panicking,
      wantScale: 50,
      wantEBC: expectedEBC(1, 100, 30, 5),
    },
    // "And here we use panic, since it's larger."
    { label: 'AutoscalerPanicStableLessThanPanic', target: 1, tbc: 100, stable: 20, panic: 30, baseScale: 5, state: panicking, wantScale: 30, wantEBC: expectedEBC(1, 100, 30, 5) },
    { label: 'AutoscalerStableModeNoChangeAlreadyScaled', target: 10, tbc: 100, stable: 50, panic: 50, baseScale: 5, wantScale: 5, wantEBC: expectedEBC(10, 100, 50, 5) },
    {
      label: 'AutoscalerStableModeIncreaseWithSmallScaleUpRate',
      target: 1,
      tbc: 1982,
      stable: 3,
      panic: 3.1,
      baseScale: 2,
      extra: { maxScaleUpRate: 1.1 },
      wantScale: 3,
      wantEBC: expectedEBC(1, 1982, 3.1, 2),
    },
    {
      label: 'AutoscalerStableModeDecreaseWithSmallScaleDownRate',
      target: 10,
      tbc: 1982,
      stable: 1,
      panic: 1,
      baseScale: 100,
      extra: { maxScaleDownRate: 1.1 },
      wantScale: 90,
      wantEBC: expectedEBC(10, 1982, 1, 100),
    },
    {
      label: 'AutoscalerStableModeDecreaseNonReachable',
      target: 10,
      tbc: 1982,
      stable: 1,
      panic: 1,
      baseScale: 100,
      extra: { maxScaleDownRate: 1.1, reachable: false },
      wantScale: 1,
      wantEBC: expectedEBC(10, 1982, 1, 100),
    },
    // "PanicConcurrency takes precedence."
    { label: 'AutoscalerPanicModeDoublePodCount', target: 10, tbc: 84, stable: 50, panic: 100, baseScale: 1, wantScale: 10, wantEBC: expectedEBC(10, 84, 100, 1) },
  ];
  for (const r of rows) {
    it(`TestAutoscalerScale/${r.label}: ${r.wantScale} pods, EBC ${r.wantEBC}`, () => {
      const d = scale(testAutoscaler(r.target, r.tbc, r.extra), { ready: r.baseScale, stable: r.stable, panic: r.panic, state: r.state ?? FRESH_AT_ONE });
      expect(kpaTrace(d).observedStable).toBeCloseTo(r.stable, 9);
      expect(kpaTrace(d).observedPanic).toBeCloseTo(r.panic, 9);
      expectScale(d, r.wantScale, r.wantEBC);
    });
  }

  it('the whole table as one request through the evaluate path (schema, batch, decide), every row matching', async () => {
    const request = {
      now: iso(T0),
      targets: rows.map((r) => ({
        id: r.label,
        ruleSet: testAutoscaler(r.target, r.tbc, r.extra),
        capacity: r.baseScale,
        state: r.state ?? FRESH_AT_ONE,
        metrics: { concurrency: series(r.stable, r.panic, T0).map((p) => ({ t: iso(p.t), v: p.v })) },
      })),
    };
    const outcome = await evaluateBatch(JSON.parse(JSON.stringify(request)), resolveBundled, T0);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    const got = outcome.results.map((x) => (x.ok ? [x.decision.target, kpaTrace(x.decision).decider] : [x.error]));
    expect(got).toEqual(rows.map((r) => [r.label, r.wantScale]));
  });
});

describe('autoscaler_test.go sequences, state carried between decisions', () => {
  /** Runs the steps in order, each with the state the previous decision returned. */
  function sequence(spec: RuleSetInput | ((i: number) => RuleSetInput), steps: Step[], initial: unknown = FRESH_AT_ONE): Decision[] {
    let state = initial;
    return steps.map((s, i) => {
      const d = scale(typeof spec === 'function' ? spec(i) : spec, { ...s, state });
      state = d.state;
      return d;
    });
  }

  it('TestAutoscalerStableModeIncreaseWithConcurrencyDefault: 5, then 10', () => {
    const [a, b] = sequence(testAutoscaler(10, 101), [
      { ready: 1, stable: 50, panic: 10 },
      { ready: 1, stable: 100, panic: 10 },
    ]);
    expectScale(a!, 5, expectedEBC(10, 101, 10, 1));
    expectScale(b!, 10, expectedEBC(10, 101, 10, 1));
    expect(kpaTrace(b!).mode).toBe('stable');
  });

  it('TestAutoscalerStableModeIncreaseWithRPS: 5, then 10 (rps)', () => {
    const [a, b] = sequence(testAutoscaler(10, 101, { scalingMetric: 'rps' }), [
      { ready: 1, stable: 50, panic: 50 },
      { ready: 1, stable: 100, panic: 99 },
    ]);
    expectScale(a!, 5, expectedEBC(10, 101, 50, 1));
    expectScale(b!, 10, expectedEBC(10, 101, 99, 1));
    expect(kpaTrace(b!).scalingMetric).toBe('rps');
  });

  it('TestAutoscalerMetrics and TestAutoscalerMetricsWithRPS: the pod count, EBC and panic gauge', () => {
    const [c] = sequence(testAutoscaler(10, 100), [{ ready: 1, stable: 50, panic: 50 }]);
    expectScale(c!, 5, expectedEBC(10, 100, 50, 1));
    expect(kpaTrace(c!).mode).toBe('panic');
    const [r] = sequence(testAutoscaler(10, 100, { scalingMetric: 'rps' }), [{ ready: 1, stable: 100, panic: 99, now: T0 + 61 * S }]);
    expectScale(r!, 10, expectedEBC(10, 100, 99, 1));
    expect(kpaTrace(r!).mode).toBe('panic');
  });

  it('TestAutoscalerUnpanicAfterSlowIncrease: 25 (panic starts), 41 (panic time kept), 50 (panic over)', () => {
    const tm1 = T0;
    const tm2 = tm1 + 30 * S;
    const tm3 = tm2 + 30 * S + 2 * S; // stableWindow/2 + tickInterval
    const [a, b, c] = sequence(testAutoscaler(1, 98), [
      { ready: 10, stable: 11, panic: 25, now: tm1 },
      { ready: 40, stable: 30, panic: 41, now: tm2 },
      { ready: 55, stable: 50, panic: 56, now: tm3 },
    ]);
    expectScale(a!, 25, expectedEBC(1, 98, 25, 10));
    expect(a!.state.kpa?.panicTime).toBe(iso(tm1));
    expectScale(b!, 41, expectedEBC(1, 98, 41, 40));
    expect(b!.state.kpa?.panicTime).toBe(iso(tm1)); // "Panic Time should not have moved"
    expectScale(c!, 50, expectedEBC(1, 98, 56, 55)); // "no longer in panic"
    expect(c!.state.kpa?.panicTime).toBeUndefined();
    expect(kpaTrace(c!).mode).toBe('stable');
  });

  it('TestAutoscalerExtendPanicWindow: 25, then 80 with the panic time moved to now', () => {
    const [a, b] = sequence(testAutoscaler(1, 98), [
      { ready: 10, stable: 11, panic: 25, now: T0 },
      { ready: 40, stable: 30, panic: 80, now: T0 + 30 * S },
    ]);
    expectScale(a!, 25, expectedEBC(1, 98, 25, 10));
    expectScale(b!, 80, expectedEBC(1, 98, 80, 40));
    expect(b!.state.kpa?.panicTime).toBe(iso(T0 + 30 * S));
    expect(b!.state.kpa?.maxPanicPods).toBe(80);
  });

  it('TestAutoscalerStableModeDecrease: 10, then 5', () => {
    const [a, b] = sequence(testAutoscaler(10, 98), [
      { ready: 8, stable: 100, panic: 100 },
      { ready: 8, stable: 50, panic: 50 },
    ]);
    expectScale(a!, 10, expectedEBC(10, 98, 100, 8));
    expectScale(b!, 5, expectedEBC(10, 98, 50, 8));
  });

  it('TestAutoscalerStableModeNoTrafficScaleToZero: 1, then 0', () => {
    const [a, b] = sequence(testAutoscaler(10, 75), [
      { ready: 1, stable: 1, panic: 0 },
      { ready: 1, stable: 0, panic: 0 },
    ]);
    expectScale(a!, 1, expectedEBC(10, 75, 0, 1));
    expectScale(b!, 0, expectedEBC(10, 75, 0, 1));
  });

  it('TestAutoscalerActivationScale: 0 without traffic, 2 (the activation scale) with any', () => {
    const [a, b] = sequence(testAutoscaler(10, 75, { activationScale: 2 }), [
      { ready: 1, stable: 0, panic: 0 },
      { ready: 1, stable: 1, panic: 0 },
    ]);
    expectScale(a!, 0, expectedEBC(10, 75, 0, 1));
    expectScale(b!, 2, expectedEBC(10, 75, 0, 1));
  });

  it('TestAutoscalerPanicModeExponentialTrackAndStabilize: 6, 36, 216, 1296, 1296 with the panic time extended', () => {
    const tm = T0 + 10;
    const ds = sequence(testAutoscaler(1, 101), [
      { ready: 1, stable: 6, panic: 6, now: T0 },
      { ready: 6, stable: 36, panic: 36, now: tm },
      { ready: 36, stable: 216, panic: 216, now: tm + S },
      { ready: 216, stable: 1296, panic: 1296, now: tm + S },
      { ready: 1296, stable: 1296, panic: 1296, now: tm + 2 * S },
    ]);
    expectScale(ds[0]!, 6, expectedEBC(1, 101, 6, 1));
    expectScale(ds[1]!, 36, expectedEBC(1, 101, 36, 6));
    expect(ds[1]!.state.kpa?.panicTime).toBe(iso(tm));
    expectScale(ds[2]!, 216, expectedEBC(1, 101, 216, 36));
    expect(ds[2]!.state.kpa?.panicTime).toBe(iso(tm + S));
    expectScale(ds[3]!, 1296, expectedEBC(1, 101, 1296, 216));
    expect(ds[3]!.state.kpa?.panicTime).toBe(iso(tm + S));
    expectScale(ds[4]!, 1296, expectedEBC(1, 101, 1296, 1296));
  });

  it('TestAutoscalerPanicThenUnPanicScaleDown: 10, 100 (panic), 100 held at 30 s, 1 after the stable window', () => {
    const ds = sequence(testAutoscaler(10, 93), [
      { ready: 1, stable: 100, panic: 100, now: T0 },
      { ready: 10, stable: 100, panic: 1000, now: T0 },
      { ready: 10, stable: 1, panic: 1, now: T0 + 30 * S }, // "Traffic dropped off, scale stays as we're still in panic."
      { ready: 10, stable: 1, panic: 1, now: T0 + 61 * S }, // "Scale down after the StableWindow"
    ]);
    expectScale(ds[0]!, 10, expectedEBC(10, 93, 100, 1));
    expectScale(ds[1]!, 100, expectedEBC(10, 93, 1000, 10));
    expectScale(ds[2]!, 100, expectedEBC(10, 93, 1, 10));
    expect(kpaTrace(ds[2]!).mode).toBe('panic');
    expect(kpaTrace(ds[2]!).desiredStablePods).toBe(1);
    expectScale(ds[3]!, 1, expectedEBC(10, 93, 1, 10));
    expect(ds[3]!.state.kpa).toEqual({ initialized: true }); // panic memory dropped ("Un-panicking.")
  });

  it('TestAutoscalerRateLimitScaleUp: 10 (×10 of 1), then 100', () => {
    const [a, b] = sequence(testAutoscaler(10, 61), [
      { ready: 1, stable: 1000, panic: 1001 },
      { ready: 10, stable: 1000, panic: 1001 },
    ]);
    expectScale(a!, 10, expectedEBC(10, 61, 1001, 1));
    expect(kpaTrace(a!).maxScaleUp).toBe(10);
    expectScale(b!, 100, expectedEBC(10, 61, 1001, 10));
  });

  it('TestAutoscalerRateLimitScaleDown: 10 (÷10 of 100), then 1', () => {
    const [a, b] = sequence(testAutoscaler(10, 61), [
      { ready: 100, stable: 1, panic: 1 },
      { ready: 10, stable: 1, panic: 1 },
    ]);
    expectScale(a!, 10, expectedEBC(10, 61, 1, 100));
    expect(kpaTrace(a!).maxScaleDown).toBe(10);
    expectScale(b!, 1, expectedEBC(10, 61, 1, 10));
  });

  it('TestAutoscalerUseOnePodAsMinimumIfEndpointsNotFound: 0 ready pods count as 1 for the rate limit', () => {
    const [a] = sequence(testAutoscaler(10, 81), [{ ready: 0, stable: 1000, panic: 888 }]);
    expectScale(a!, 10, expectedEBC(10, 81, 888, 0));
  });

  it('TestAutoscalerUpdateTarget: 10, then 100 after the spec changes (state kept)', () => {
    const updated: RuleSetInput = testAutoscaler(1, 71);
    const ds = sequence(
      (i) => (i === 0 ? testAutoscaler(10, 77) : updated),
      [
        { ready: 1, stable: 100, panic: 101 },
        { ready: 10, stable: 100, panic: 101 },
      ],
    );
    expectScale(ds[0]!, 10, expectedEBC(10, 77, 101, 1));
    expectScale(ds[1]!, 100, expectedEBC(1, 71, 101, 10));
  });

  it('TestAutoscalerNoDataNoAutoscale: no data, no scale (ScaleResult invalid)', () => {
    const d = scale(testAutoscaler(10, 100), { ready: 3, state: FRESH_AT_ONE });
    expect(kpaTrace(d).code).toBe('KpaNoData');
    expect(kpaTrace(d).decider).toBeUndefined();
    expect(d.trace.policies?.proposals).toEqual([]);
    expect(d.to).toBe(3);
  });

  it('TestStartInPanicMode: a new autoscaler (no kpa state) starts in panic above one ready pod, with maxPanicPods at the ready count', () => {
    // DeciderSpec TargetValue 100, TotalValue 120, PanicThreshold 220 (22,000 %: above the annotation's 1000 %
    // maximum, so 1000 % here; the observed 10 is far below either), static metric client 10/10.
    const spec = testAutoscaler(100, 11, { target: 120, targetUtilizationPercentage: (100 / 120) * 100, panicThresholdPercentage: 1000 });
    for (const ready of [0, 1]) {
      const d = scale(spec, { ready, stable: 10, panic: 10 });
      expect(kpaTrace(d).mode).toBe('stable');
      expect(d.state.kpa?.panicTime).toBeUndefined();
    }
    const d = scale(spec, { ready: 2, stable: 10, panic: 10 });
    expect(kpaTrace(d).mode).toBe('panic');
    expect(d.state.kpa).toMatchObject({ panicTime: iso(T0), maxPanicPods: 2 });
    expect(kpaTrace(d).desiredStablePods).toBe(1);
    expect(d.to).toBe(2); // no scale-down while the history is rebuilt
  });
});

describe('autoscaler_test.go scale-down delay (aggregation/max time window in the state)', () => {
  // DeciderSpec TargetValue 10, rates 10, PanicThreshold 100 (10,000 %: 1000 % here, never reached at 4
  // pods on 1), ScaleDownDelay 5m, Reachable; the pod counter always reports 0 ready pods.
  const delayed = (extra: Partial<Kpa> = {}) =>
    testAutoscaler(10, 0, { target: 10, targetUtilizationPercentage: 100, panicThresholdPercentage: 1000, scaleDownDelay: 'PT5M', ...extra });
  const M = 60 * S;

  it('TestAutoscalerScaleDownDelay/simple and /gradual: one autoscaler, nine decisions', () => {
    const steps: Array<[number, number, number]> = [
      // simple
      [2 * S, 40, 4],
      [5 * M, 0, 4], // "five minutes pass at reduced concurrency - should not scale down"
      [5 * M + 2 * S, 0, 0], // "now we scale down"
      // gradual
      [9 * M, 40, 4],
      [10 * M, 30, 4], // "4 still dominates"
      [11 * M, 0, 4], // "still at 4"
      [14 * M, 0, 3], // "4 scrolls out, drop to 3"
      [15 * M, 0, 0], // "everything scrolled out, drop to 0"
    ];
    let state: unknown = FRESH_AT_ONE;
    for (const [at, value, want] of steps) {
      const d = scale(delayed(), { ready: 0, stable: value, panic: value, now: T0 + at, state });
      expect(kpaTrace(d).decider, `at ${at / S} s`).toBe(want);
      state = d.state;
    }
  });

  it('TestAutoscalerScaleDownDelay: the delay window is its descending maxima, a few entries', () => {
    const a = scale(delayed(), { ready: 0, stable: 40, panic: 40, now: T0 + 2 * S, state: FRESH_AT_ONE });
    const b = scale(delayed(), { ready: 0, stable: 30, panic: 30, now: T0 + 62 * S, state: a.state });
    expect(b.state.kpa?.delay).toEqual([
      { bucket: Math.floor((T0 + 2 * S) / 2000), pods: 4 },
      { bucket: Math.floor((T0 + 62 * S) / 2000), pods: 3 },
    ]);
    expect(kpaTrace(b).code).toBe('KpaScaleDownDelayed');
    expect(kpaTrace(b).delayedFrom).toBe(3);
  });

  it('TestAutoscalerScaleDownDelayNotReachable: an unreachable revision scales down at once', () => {
    const a = scale(delayed(), { ready: 0, stable: 40, panic: 40, now: T0 + 2 * S, state: FRESH_AT_ONE });
    expect(kpaTrace(a).decider).toBe(4);
    const b = scale(delayed(), { ready: 0, stable: 0, panic: 0, now: T0 + M, state: a.state });
    expect(kpaTrace(b).decider).toBe(4);
    const c = scale(delayed({ reachable: false }), { ready: 0, stable: 0, panic: 0, now: T0 + 2 * S, state: b.state });
    expect(kpaTrace(c).decider).toBe(0);
  });

  it('a delay window left in the state is dropped once the spec has no delay (New makes no delayWindow then)', () => {
    const a = scale(delayed(), { ready: 0, stable: 40, panic: 40, now: T0, state: FRESH_AT_ONE });
    expect(a.state.kpa?.delay).toHaveLength(1);
    const b = scale(delayed({ scaleDownDelay: 'PT0S' }), { ready: 4, stable: 10, panic: 10, now: T0 + 4 * S, state: a.state });
    expect(kpaTrace(b).decider).toBe(1);
    expect(b.state.kpa?.delay).toBeUndefined();
  });

  it('TestAutoscalerScaleDownDelayZero: without a delay, 4 then 2 half a second later', () => {
    const a = scale(delayed({ scaleDownDelay: 'PT0S' }), { ready: 0, stable: 40, panic: 40, now: T0, state: FRESH_AT_ONE });
    const b = scale(delayed({ scaleDownDelay: 'PT0S' }), { ready: 0, stable: 20, panic: 20, now: T0 + 500, state: a.state });
    expect(kpaTrace(a).decider).toBe(4);
    expect(kpaTrace(b).decider).toBe(2);
    expect(b.state.kpa?.delay).toBeUndefined();
  });
});

describe('kpa/scaler_test.go TestScaler: initial scale, bounds and scale to zero', () => {
  // The decider's count is the row's scaleTo: target 1 per pod at 100 %, rates 1000 (no rate limit in
  // the way), a 60 s grace period (kpa_test.go gracePeriod). `zeroFor` is how long zero has been wanted:
  // the PA's InactiveFor (paMarkInactive(now − x)). Knative's Active → Inactive step (active for a stable
  // window at desired 0, scaling to 1 meanwhile) is folded into this one timer, so "just before idle
  // period" rows are zero wanted from now.
  // Not replayed, each for want of what a stateless engine is not told:
  // - "waits to scale to zero (just before idle period), custom PA window", "custom PA window, check for
  //   standard window, no probe", "waits to scale to zero after idle period" (also "; sks in proxy mode",
  //   "(custom PA window)"): the Active → Inactive step (a reconcile that marks the PA inactive without
  //   scaling) has no equivalent; the timer here starts when zero is first wanted;
  // - "waits to scale to zero (just before grace period, sks short)", "… (sks in proxy long)", "… and last
  //   pod timeout positive": the Serverless Service's time in proxy mode is not known;
  // - "scale to zero after grace period, but fail prober" / "but wrong prober response": no activator probe;
  // - "waits to scale to zero while activating until after deadline exceeded", "scale to zero while
  //   activating after deadline exceeded", "… after revision deadline exceeded": no activation state or
  //   progress deadline;
  // - "ignore minScale if unreachable": edgescale's bounds always apply (set the minimum to 0 instead).
  const G = 60 * S;
  interface Row {
    label: string;
    start: number;
    scaleTo: number | null;
    want: number;
    minScale?: number;
    maxScale?: number;
    zeroFor?: number;
    extra?: Partial<Kpa>;
    kpa?: Record<string, unknown>;
  }
  const rows: Row[] = [
    { label: 'waits to scale to zero (just before idle period)', start: 1, scaleTo: 0, want: 1, zeroFor: 0 },
    { label: 'scale to 1 waiting for idle expires', start: 10, scaleTo: 0, want: 1, zeroFor: 0 },
    { label: 'can scale to zero after grace period, but 0 PA retention', start: 1, scaleTo: 0, want: 0, zeroFor: G, extra: { scaleToZeroPodRetentionPeriod: 'PT0S' } },
    {
      label: "can't scale to zero after grace period, but before last pod retention",
      start: 1,
      scaleTo: 0,
      want: 1,
      zeroFor: G,
      extra: { scaleToZeroPodRetentionPeriod: 'PT120S' },
    },
    { label: 'scale to zero after grace period, and after last pod retention', start: 1, scaleTo: 0, want: 0, zeroFor: G, extra: { scaleToZeroPodRetentionPeriod: 'PT60S' } },
    { label: 'scale to zero after grace period', start: 1, scaleTo: 0, want: 0, zeroFor: G },
    { label: 'waits to scale to zero (just before grace period)', start: 1, scaleTo: 0, want: 1, zeroFor: G - S },
    { label: 'scale down to minScale before grace period', start: 10, scaleTo: 0, minScale: 2, want: 2, zeroFor: G - S },
    { label: 'scale down to minScale after grace period', start: 10, scaleTo: 0, minScale: 2, want: 2, zeroFor: G },
    {
      label: 'scale to zero ignore last pod retention if  revision is unreachable',
      start: 1,
      scaleTo: 0,
      want: 0,
      zeroFor: G,
      extra: { reachable: false, scaleToZeroPodRetentionPeriod: 'PT600S' },
    },
    {
      label: "can't scale to zero if revision is unreachable, but before deadline",
      start: 1,
      scaleTo: 0,
      want: 1,
      zeroFor: G - S,
      extra: { reachable: false, scaleToZeroPodRetentionPeriod: 'PT600S' },
    },
    { label: 'scale to zero with TBC=-1', start: 1, scaleTo: 0, want: 0, zeroFor: G, extra: { targetBurstCapacity: -1 } },
    { label: 'observe minScale if reachability unknown', start: 10, scaleTo: 0, minScale: 2, want: 2, zeroFor: G },
    { label: 'scales up', start: 1, scaleTo: 10, want: 10 },
    { label: 'scales up to maxScale', start: 1, scaleTo: 10, maxScale: 8, want: 8 },
    { label: 'scale up inactive revision', start: 1, scaleTo: 10, want: 10, zeroFor: G / 2 },
    { label: 'does not scale up from zero with no metrics', start: 0, scaleTo: null, want: 0, zeroFor: 0 },
    { label: 'scales up from zero to desired one', start: 0, scaleTo: 1, want: 1 },
    { label: 'scales up from zero to desired high scale', start: 0, scaleTo: 10, want: 10 },
    { label: 'negative scale does not scale', start: 12, scaleTo: null, want: 12 },
    { label: 'initial scale attained, but now time to scale down', start: 2, scaleTo: 0, want: 1, extra: { initialScale: 2 }, kpa: { initialized: true } },
    { label: "haven't scaled to initial scale, override desired scale with initial scale", start: 0, scaleTo: 1, want: 2, extra: { initialScale: 2 } },
    { label: 'initial scale reached for the first time', start: 5, scaleTo: 1, want: 5, extra: { initialScale: 5 } },
    { label: 'reaching initial scale zero', start: 0, scaleTo: 0, want: 0, zeroFor: 0, extra: { initialScale: 0 } },
    { label: 'unreachable revision with initialScale > 1 can scale to 0', start: 2, scaleTo: 0, want: 1, extra: { initialScale: 2, reachable: false } },
  ];
  for (const r of rows) {
    it(`TestScaler/${r.label}: ${r.want}`, () => {
      const spec = testAutoscaler(
        1,
        0,
        {
          target: 1,
          targetUtilizationPercentage: 100,
          maxScaleUpRate: 1000,
          maxScaleDownRate: 1000,
          panicThresholdPercentage: 1000,
          scaleToZeroGracePeriod: 'PT60S',
          ...r.extra,
        },
        { ...(r.minScale !== undefined && { minimum: r.minScale }), ...(r.maxScale !== undefined && { maximum: r.maxScale }) },
      );
      const kpa = { ...(r.zeroFor !== undefined && { zeroSince: iso(T0 - r.zeroFor) }), ...r.kpa };
      const d = scale(spec, { ready: r.start, ...(r.scaleTo !== null && { stable: r.scaleTo, panic: r.scaleTo }), state: { kpa } });
      if (r.scaleTo !== null) expect(kpaTrace(d).decider).toBe(r.scaleTo);
      expect(d.to).toBe(r.want);
    });
  }

  it('the grace period counts from the first decision that wanted zero, carried in the state', () => {
    const spec = testAutoscaler(1, 0, { target: 1, targetUtilizationPercentage: 100, scaleToZeroGracePeriod: 'PT30S' });
    const a = scale(spec, { ready: 1, stable: 0, now: T0, state: FRESH_AT_ONE });
    expect(a.to).toBe(1);
    expect(kpaTrace(a).code).toBe('KpaScaleToZeroGrace');
    expect(a.state.kpa?.zeroSince).toBe(iso(T0));
    const b = scale(spec, { ready: 1, stable: 0, now: T0 + 29 * S, state: a.state });
    expect(b.to).toBe(1);
    expect(kpaTrace(b).scaleToZero).toEqual({ since: iso(T0), until: iso(T0 + 30 * S), kept: 1 });
    const c = scale(spec, { ready: 1, stable: 0, now: T0 + 30 * S, state: b.state });
    expect(c.to).toBe(0);
    // Traffic again: the timer is gone.
    const e = scale(spec, { ready: 0, stable: 3, now: T0 + 40 * S, state: c.state });
    expect(e.to).toBe(3);
    expect(e.state.kpa?.zeroSince).toBeUndefined();
  });

  it('handleScaleToZero: enable-scale-to-zero false keeps one pod', () => {
    const d = scale(testAutoscaler(10, 0, { enableScaleToZero: false }), { ready: 1, stable: 0, state: FRESH_AT_ONE });
    expect(d.to).toBe(1);
    expect(kpaTrace(d).code).toBe('KpaScaleToZeroDisabled');
  });
});

describe('docs/kpa.md examples, sent as written', () => {
  const doc = readFileSync(new URL('../../docs/kpa.md', import.meta.url), 'utf8');
  const block = (name: string): Record<string, unknown> => {
    const m = new RegExp(`<!-- kpa-example:${name} -->\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
    if (!m) throw new Error(`docs/kpa.md has no ${name} block`);
    return JSON.parse(m[1]!) as Record<string, unknown>;
  };
  it('three requests, each response as documented, each request carrying the previous state', async () => {
    let previous: Decision | undefined;
    for (const n of [1, 2, 3]) {
      const request = block(`request-${n}`) as { targets: Array<{ state: unknown }> };
      // The documented state is exactly what the previous decision returned.
      if (previous) expect(request.targets[0]!.state).toEqual(previous.state);
      const outcome = await evaluateBatch(request, resolveBundled, T0);
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
      const [result] = outcome.results;
      if (!result!.ok) throw new Error(JSON.stringify(result!.error));
      expect(result!.decision).toMatchObject(block(`response-${n}`));
      previous = result!.decision;
    }
  });
});

describe('simulate: each evaluation is handed the whole stable window', () => {
  it("a PT1H stable window averages points older than the rule set's defaultWindow (PT10M)", () => {
    const at = (minute: number) => iso(T0 + minute * 60 * S);
    const values = [...Array<number>(10).fill(70), ...Array<number>(10).fill(7)];
    const outcome = simulateRequest(
      {
        ruleSets: [
          testAutoscaler(7, 0, { target: 10, targetUtilizationPercentage: 70, stableWindow: 'PT1H', panicThresholdPercentage: 1000, maxScaleUpRate: 1000, maxScaleDownRate: 1000 }),
        ],
        capacity: 10,
        state: { kpa: {} },
        from: at(0),
        to: at(20),
        step: 'PT1M',
        metrics: { concurrency: values.map((v, i) => ({ t: at(i), v })) },
      },
      resolveBundled,
    );
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    const timeline = outcome.response.results[0]!.timeline!;
    // At 10:49: (10 × 70 + 10 × 7) ÷ 20 = 38.5 → ceil(38.5 ÷ 7) = 6 pods; ten minutes of 7 alone would be 1.
    expect(timeline[19]!.to).toBe(6);
  });
});

describe('the windows the kpa reads: (now − window, now], one bucket per timestamp', () => {
  it('sums the pods reporting at one second, averages the seconds, and leaves out points at or before the window start and after now', () => {
    const spec = testAutoscaler(10, 0, { panicThresholdPercentage: 1000, maxScaleUpRate: 1000, maxScaleDownRate: 1000 });
    const points = [
      // Long before the stable window (60 s): an hour of history the window must skip.
      ...Array.from({ length: 3_600 }, (_, i) => ({ t: T0 - (3_700 - i) * S, v: 1_000 })),
      { t: T0 - 60 * S, v: 1_000 }, // exactly at the start: outside, as in Knative's window
      { t: T0 - 30 * S, v: 20 }, // two pods at one second: one bucket of 50
      { t: T0 - 30 * S, v: 30 },
      { t: T0 - 3 * S, v: 40 }, // panic window (6 s): two buckets, 40 and 20 + 10
      { t: T0, v: 20 },
      { t: T0, v: 10 },
      { t: T0 + 60 * S, v: 1_000 }, // a minute after now: from the future, ignored
    ];
    const d = decide(compile(spec), { id: 'k', capacity: 2, metrics: { concurrency: points }, state: DecisionState.parse({ kpa: {} }) }, T0);
    const t = kpaTrace(d);
    expect([t.stablePoints, t.observedStable, t.panicPoints, t.observedPanic]).toEqual([3, 40, 2, 35]);
    // ceil(40 ÷ 10) = 4 stable pods.
    expect(t.desiredStablePods).toBe(4);
  });
});
