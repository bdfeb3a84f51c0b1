// Kubernetes HPA conformance (src/engine/hpa/): upstream test tables from kubernetes/kubernetes ported case by case, each row named after the Go test it follows.
//
// Sources: pkg/controller/podautoscaler/replica_calculator_test.go, horizontal_test.go,
// pkg/apis/autoscaling/v2/defaults.go and test/integration/podautoscaler (KEP-4951). Every expected
// count and reason is the Go table's own value; comments only translate the Go fixture into the
// pod-less inputs the engine takes:
// - Utilization: the value is GetResourceUtilizationRatio's integer percentage, int(Σ levels × 100 ÷
//   Σ requests), over the pods that count (failed and deleted pods never do);
// - Pods / Resource AverageValue: the value is GetMetricUsageRatio's per-pod average, Σ levels ÷ pods
//   in integer milli-units;
// - Object / External: the value is the object's level or the sum of the external series; the Go
//   levels are milli-units, so 8600 is 8.6.
// horizontal_test.go's init() raises scaleUpLimitFactor to 8 for its reconcile tests; only rows whose
// result is the same with the real factor 2 are ported, and the comment says why it is the same.
// Rows that need a pod list (unready, hot-CPU, missing-metric pods) have no pod-less equivalent and
// are left out.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { DecisionState } from '../../src/schema.js';
import { compile } from '../helpers.js';
import {
  computeDesiredReplicas,
  computeReplicasForMetric,
  type HpaMetricInput,
  type HpaTolerances,
  resolveTolerances,
} from '../../src/engine/hpa/replica-calculator.js';
import { normalizeWithBehavior, normalizeWithoutBehavior, type HpaReason } from '../../src/engine/hpa/normalize.js';
import { INT32_MAX } from '../../src/syntax/int32.js';
import {
  applyHpaBehaviorDefaults,
  HPA_DEFAULT_TOLERANCE,
  HpaBehavior,
  HpaHistory,
  type HpaScalingRules,
} from '../../src/schemas/hpa-behavior.js';
import { behavior, iso, MIN, ok, rules, T0, type Ok } from './hpa-fixtures.js';

const tol = (scaleDown: number, scaleUp: number): HpaTolerances => ({ scaleDown, scaleUp });

const recs = (list: Array<[number, number]>): HpaHistory =>
  HpaHistory.parse({ recommendations: list.map(([replicas, ageMs]) => ({ at: iso(T0 - ageMs), replicas })) });

// Metric inputs, named after the replica_calculator.go function each one reaches.
const util = (value: number, averageUtilization: number, source: 'Resource' | 'ContainerResource' = 'Resource'): HpaMetricInput => ({
  source,
  target: { type: 'Utilization', averageUtilization },
  value,
});
const podsAvg = (value: number, averageValue: number | string): HpaMetricInput => ({ source: 'Pods', target: { type: 'AverageValue', averageValue }, value });
const object = (value: number, target: number | string): HpaMetricInput => ({ source: 'Object', target: { type: 'Value', value: target }, value });
const objectPerPod = (value: number, averageValue: number | string): HpaMetricInput => ({ source: 'Object', target: { type: 'AverageValue', averageValue }, value });
const external = (value: number, target: number | string): HpaMetricInput => ({ source: 'External', target: { type: 'Value', value: target }, value });
const externalPerPod = (value: number, averageValue: number | string): HpaMetricInput => ({ source: 'External', target: { type: 'AverageValue', averageValue }, value });
/** A metric the controller could not read (failed fetch, unknown source type): invalid for this decision. */
const broken = (name: string): HpaMetricInput => ({ name, target: { type: 'Value', value: 1 }, value: null });

/** math.MaxInt64 milli-units; as a double it is 2^63, exactly what float64(MaxInt64) is in Go. */
// eslint-disable-next-line no-loss-of-precision -- Go's constant as written upstream; the rounding is the point.
const MAX_INT64_MILLI = 9223372036854775.807;

// ---------------------------------------------------------------------------------------------
// replica_calculator_test.go

describe('replica_calculator_test.go: one metric → one proposal', () => {
  interface Case {
    name: string;
    metric: HpaMetricInput;
    current: number;
    /** scale.Status.Replicas for Object/External AverageValue (GetObjectPerPodMetricReplicas). */
    status?: number;
    /** Running and Ready pods for Object/External Value (getReadyPodsCount). */
    ready?: number;
    tolerances?: HpaTolerances;
    expected: number;
    within?: true;
  }
  const cases: Case[] = [
    // TestReplicaCalcResourceScale: requests 1.0 per pod; (300+500+700)×100/3000 = 50%.
    { name: 'TestReplicaCalcResourceScale/scale up', metric: util(50, 30), current: 3, expected: 5 },
    { name: 'TestReplicaCalcResourceScale/scale up: container metric', metric: util(50, 30, 'ContainerResource'), current: 3, expected: 5 },
    // Two running pods (500, 700) of four; the failed or deleted two are ignored: 1200×100/2000 = 60%.
    { name: 'TestReplicaCalcResourceScale/scale up: failed pods ignored', metric: util(60, 30), current: 2, expected: 4 },
    { name: 'TestReplicaCalcResourceScale/scale up: failed pods ignored with missing container metric', metric: util(60, 30, 'ContainerResource'), current: 2, expected: 4 },
    { name: 'TestReplicaCalcResourceScale/scale up: container metrics with failed pods ignored', metric: util(60, 30, 'ContainerResource'), current: 2, expected: 4 },
    { name: 'TestReplicaCalcResourceScale/scale up: pods being deleted are ignored', metric: util(60, 30), current: 2, expected: 4 },
    // (100+300+500+250+250)×100/5000 = 28%.
    { name: 'TestReplicaCalcResourceScale/scale down', metric: util(28, 50), current: 5, expected: 3 },
    { name: 'TestReplicaCalcResourceScale/scale down: container metric', metric: util(28, 50, 'ContainerResource'), current: 5, expected: 3 },
    { name: 'TestReplicaCalcResourceScale/scale down: failed pods ignored', metric: util(28, 50), current: 5, expected: 3 },
    { name: 'TestReplicaCalcResourceScale/scale down: pods being deleted are ignored', metric: util(28, 50), current: 5, expected: 3 },
    { name: 'TestReplicaCalcResourceScale/scale down: still-running pods being deleted are ignored', metric: util(28, 50, 'ContainerResource'), current: 5, expected: 3 },
    // Pods metric: (20000+10000+30000)/3 = 20000m.
    { name: 'TestReplicaCalcScaleUpCM', metric: podsAvg(20, 15), current: 3, expected: 4 },
    { name: 'TestReplicaCalcScaleUpCMObject', metric: object(20, 15), current: 3, expected: 4 },
    { name: 'TestReplicaCalcScaleUpCMPerPodObject', metric: objectPerPod(20, 5), current: 3, status: 3, expected: 4 },
    // One of three pods ready: getUsageRatioReplicaCount multiplies by the ready count only.
    { name: 'TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods', metric: object(50, 10), current: 3, ready: 1, expected: 5 },
    { name: 'TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods', metric: external(8.6, 4.4), current: 3, ready: 1, expected: 2 },
    { name: 'TestReplicaCalcScaleUpPerPodCMExternal', metric: externalPerPod(8.6, 2.15), current: 3, status: 3, expected: 4 },
    { name: 'TestReplicaCalcScaleDownCM', metric: podsAvg(12, 20), current: 5, expected: 3 },
    { name: 'TestReplicaCalcScaleDownPerPodCMObject', metric: objectPerPod(6, 2), current: 5, status: 5, expected: 3 },
    { name: 'TestReplicaCalcScaleDownCMObject', metric: object(12, 20), current: 5, expected: 3 },
    // 8600/14334 × 5 = 2.99986… → 3.
    { name: 'TestReplicaCalcScaleDownCMExternal', metric: external(8.6, 14.334), current: 5, expected: 3 },
    { name: 'TestReplicaCalcScaleDownPerPodCMExternal', metric: externalPerPod(8.6, 2.867), current: 5, status: 5, expected: 3 },
    // Requests 0.9/1.0/1.1: (1010+1030+1020)×100/3000 = 102%.
    { name: 'TestReplicaCalcTolerance', metric: util(102, 100), current: 3, expected: 3, within: true },
    // (20000+21000+21000)/3 = 20666m (integer division).
    { name: 'TestReplicaCalcToleranceCM', metric: podsAvg(20.666, 20), current: 3, expected: 3, within: true },
    { name: 'TestReplicaCalcToleranceCMObject', metric: object(20.666, 20), current: 3, expected: 3, within: true },
    { name: 'TestReplicaCalcTolerancePerPodCMObject', metric: objectPerPod(20.166, 5), current: 4, status: 4, expected: 4, within: true },
    { name: 'TestReplicaCalcToleranceCMExternal', metric: external(8.6, 8.888), current: 3, expected: 3, within: true },
    { name: 'TestReplicaCalcTolerancePerPodCMExternal', metric: externalPerPod(8.6, 2.9), current: 3, status: 3, expected: 3, within: true },
    // TestReplicaCalcConfigurableTolerance (Tolerances{scaleDown, scaleUp}); requests 0.9/1.0/1.1.
    { name: 'TestReplicaCalcConfigurableTolerance/Outside of a 0% tolerance (3030m → 101%)', metric: util(101, 100), current: 3, tolerances: tol(0, 0), expected: 4 },
    { name: 'TestReplicaCalcConfigurableTolerance/Within a 200% scale-up tolerance (5700m → 190%)', metric: util(190, 100), current: 3, tolerances: tol(HPA_DEFAULT_TOLERANCE, 2), expected: 3, within: true },
    { name: 'TestReplicaCalcConfigurableTolerance/Outside 8% scale-up tolerance (3270m → 109%)', metric: util(109, 100), current: 3, tolerances: tol(2, 0.08), expected: 4 },
    { name: 'TestReplicaCalcConfigurableTolerance/Within a 36% scale-down tolerance (1950m → 65%)', metric: util(65, 100), current: 3, tolerances: tol(0.36, HPA_DEFAULT_TOLERANCE), expected: 3, within: true },
    { name: 'TestReplicaCalcConfigurableTolerance/Outside a 34% scale-down tolerance (1950m → 65%)', metric: util(65, 100), current: 3, tolerances: tol(0.34, HPA_DEFAULT_TOLERANCE), expected: 2 },
    { name: 'TestReplicaCalcConfigurableToleranceCM', metric: podsAvg(20.666, 20), current: 3, tolerances: tol(HPA_DEFAULT_TOLERANCE, 0.01), expected: 4 },
    { name: 'TestReplicaCalcConfigurableToleranceCMObject', metric: object(20.666, 20), current: 3, tolerances: tol(HPA_DEFAULT_TOLERANCE, 0.01), expected: 4 },
    { name: 'TestReplicaCalcConfigurableTolerancePerPodCMObject', metric: objectPerPod(20.208, 5), current: 4, status: 4, tolerances: tol(HPA_DEFAULT_TOLERANCE, 0.01), expected: 5 },
    { name: 'TestReplicaCalcConfigurableToleranceCMExternal', metric: external(8.9, 8.8), current: 3, tolerances: tol(HPA_DEFAULT_TOLERANCE, 0.01), expected: 4 },
    { name: 'TestReplicaCalcConfigurableTolerancePerPodCMExternal', metric: externalPerPod(8.6, 2.8), current: 3, status: 3, tolerances: tol(HPA_DEFAULT_TOLERANCE, 0.01), expected: 4 },
    // Six pod metrics, four pods: only the four known pods count, 23500×100/4000 = 587%.
    { name: 'TestReplicaCalcSuperfluousMetrics', metric: util(587, 100), current: 4, expected: 24 },
    // 1500m used of 3000m = 50%; target int32((1/(2×0.9) + 0.01) × 100) = 56, then + 0.004 → 55.
    { name: 'TestReplicaCalcComputedToleranceAlgImplementation/scale down', metric: util(50, 56), current: 10, expected: 9 },
    { name: 'TestReplicaCalcComputedToleranceAlgImplementation/no scale within the band', metric: util(50, 55), current: 10, expected: 10, within: true },
    // Overflow guards.
    { name: 'TestReplicaCalcScaleUpOverflow', metric: object(MAX_INT64_MILLI, '1m'), current: 3, expected: INT32_MAX },
    { name: 'TestExternalPerPodMetricReplicaOverflow', metric: externalPerPod(MAX_INT64_MILLI, '1m'), current: 1, status: 1, expected: INT32_MAX },
    { name: 'TestExternalPerPodMetricUsageOverflow', metric: externalPerPod(MAX_INT64_MILLI, '9223372036854775807m'), current: 1, status: 1, expected: 1, within: true },
    // Two series of MaxInt64/2+1 milli: Go caps the sum at MaxInt64, whose float64 is 2^63, as is this double.
    // eslint-disable-next-line no-loss-of-precision -- the rounding to 2^63 is what the case checks.
    { name: 'TestReplicaCalcExternalMetricUsageOverflow', metric: external(9223372036854775.808, '9223372036854775807m'), current: 3, expected: 3, within: true },
  ];
  it.each(cases)('$name → $expected', (c) => {
    const r = computeReplicasForMetric(c.metric, {
      currentReplicas: c.current,
      ...(c.status !== undefined && { statusReplicas: c.status }),
      ...(c.ready !== undefined && { readyPods: c.ready }),
      ...(c.tolerances && { tolerances: c.tolerances }),
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.replicas).toBe(c.expected);
    expect(r.verdict).toBe(c.within ? 'WithinTolerance' : 'OutsideTolerance');
  });
});

// ---------------------------------------------------------------------------------------------
// horizontal_test.go, whole reconcileAutoscaler runs

interface Reconcile {
  min: number;
  max: number;
  current: number;
  /** scale.Status.Replicas; defaults to current. */
  status?: number;
  metrics: HpaMetricInput[];
  behavior?: HpaBehavior;
  /** tc.recommendations: undefined is Go's nil (recordInitialRecommendation stores the current count). */
  history?: HpaHistory;
}

/** reconcileAutoscaler: the bound shortcuts, then computeReplicasForMetrics, then normalizeDesiredReplicas[WithBehaviors]. */
function reconcile(c: Reconcile): { replicas: number; reason: string; result?: Ok } {
  const b = c.behavior ? behavior(c.behavior) : undefined;
  const base = { currentReplicas: c.current, minReplicas: c.min, maxReplicas: c.max, history: c.history, now: T0 };
  const normalize = (desiredReplicas: number) => ok(b ? normalizeWithBehavior({ ...base, desiredReplicas, behavior: b }) : normalizeWithoutBehavior({ ...base, desiredReplicas }));
  // The shortcuts come before any metric is read, so a target with no metrics still moves to its bound.
  if ((c.current === 0 && c.min !== 0) || c.current > c.max || c.current < c.min) {
    const n = normalize(c.current);
    return { replicas: n.replicas, reason: n.reason, result: n };
  }
  const t = resolveTolerances(c.behavior);
  if (!t.ok) throw new Error(t.message);
  const d = computeDesiredReplicas({ currentReplicas: c.current, statusReplicas: c.status ?? c.current, tolerances: t.tolerances, metrics: c.metrics });
  // computeReplicasForMetrics returned -1: the controller does not rescale.
  if (!d.ok) return { replicas: c.current, reason: d.code };
  const n = normalize(d.desiredReplicas);
  return { replicas: n.replicas, reason: n.reason, result: n };
}

describe('horizontal_test.go: reconcile runs (metrics, then normalisation)', () => {
  interface Case extends Reconcile {
    name: string;
    expected: number;
    reason: HpaReason | 'NoValidMetrics' | 'InvalidMetricsBlockScaleDown';
    /** The test's expected ScalingLimited condition, when the run reached normalisation. */
    limited?: [boolean, string];
    /** The test's expected AbleToScale reason when nothing was rescaled (otherwise it is SucceededRescale). */
    able?: string;
  }
  const empty = HpaHistory.parse({});
  const within: [boolean, string] = [false, 'DesiredWithinRange'];
  const cases: Case[] = [
    // 1500×100/3000 = 50% vs 30%: 5. Limit max(2×3, 4) = 6 is not below maxReplicas 6, so 5 is in range.
    { name: 'TestScaleUp', min: 2, max: 6, current: 3, metrics: [util(50, 30)], expected: 5, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleUpContainer', min: 2, max: 6, current: 3, metrics: [util(50, 30, 'ContainerResource')], expected: 5, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleUpDeployment', min: 2, max: 6, current: 3, metrics: [util(50, 30)], expected: 5, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleUpReplicaSet', min: 2, max: 6, current: 3, metrics: [util(50, 30)], expected: 5, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestConditionNoAmbiguousSelectorWhenNoSelectorOverlapBetweenHPAs', min: 2, max: 6, current: 3, metrics: [util(50, 30)], expected: 5, reason: 'DesiredWithinRange', limited: within },
    // Two running pods (500, 700), two failed or deleted: 60% vs 30% → 4 = max(2×2, 4).
    { name: 'TestScaleUpIgnoresFailedPods', min: 2, max: 6, current: 2, metrics: [util(60, 30)], expected: 4, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleUpIgnoresDeletionPods', min: 2, max: 6, current: 2, metrics: [util(60, 30)], expected: 4, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleUpCM', min: 2, max: 6, current: 3, metrics: [podsAvg(20, 15)], expected: 4, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleUpCMObject', min: 2, max: 6, current: 3, metrics: [object(20, 15)], expected: 4, reason: 'DesiredWithinRange', limited: within },
    // From 0 replicas: ceil(20/15) = 2, no tolerance; limit max(0, 4) = 4.
    { name: 'TestScaleUpFromZeroCMObject', min: 0, max: 6, current: 0, metrics: [object(20, 15)], expected: 2, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleUpFromZeroIgnoresToleranceCMObject', min: 0, max: 6, current: 0, metrics: [object(1, 1)], expected: 1, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleUpPerPodCMObject', min: 2, max: 6, current: 3, metrics: [objectPerPod(40, 10)], expected: 4, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleUpCMExternal', min: 2, max: 6, current: 3, metrics: [external(8.6, 6.666)], expected: 4, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleUpPerPodCMExternal', min: 2, max: 6, current: 3, metrics: [externalPerPod(8.6, 2.222)], expected: 4, reason: 'DesiredWithinRange', limited: within },
    // recommendations: [] in the Go test, so nothing holds the scale-down back.
    { name: 'TestScaleDown', min: 2, max: 6, current: 5, history: empty, metrics: [util(28, 50)], expected: 3, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleDownContainerResource', min: 2, max: 6, current: 5, history: empty, metrics: [util(28, 50, 'ContainerResource')], expected: 3, reason: 'DesiredWithinRange', limited: within },
    // Behavior with scaleUp rules only: scaleDown defaults (window = the controller's 300 s, Percent 100 per 15 s).
    { name: 'TestScaleDownWithScalingRules', min: 2, max: 6, current: 5, history: empty, behavior: { scaleUp: rules(0, 0, 100, 15, 30) }, metrics: [util(28, 50)], expected: 3, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleDownIgnoresFailedPods', min: 2, max: 6, current: 5, history: empty, metrics: [util(28, 50)], expected: 3, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleDownIgnoresDeletionPods', min: 2, max: 6, current: 5, history: empty, metrics: [util(28, 50)], expected: 3, reason: 'DesiredWithinRange', limited: within },
    // recommendations: nil → the initial recommendation 5 holds the count for the downscale window.
    { name: 'TestScaleDownStabilizeInitialSize', min: 2, max: 6, current: 5, metrics: [util(28, 50)], expected: 5, reason: 'ScaleDownStabilized', limited: within, able: 'ScaleDownStabilized' },
    { name: 'TestScaleDownCM', min: 2, max: 6, current: 5, history: empty, metrics: [podsAvg(12, 20)], expected: 3, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleDownCMObject', min: 2, max: 6, current: 5, history: empty, metrics: [object(12, 20)], expected: 3, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleDownToZeroCMObject', min: 0, max: 6, current: 5, history: empty, metrics: [object(0, 20)], expected: 0, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleDownPerPodCMObject', min: 2, max: 6, current: 5, history: empty, metrics: [objectPerPod(60, 20)], expected: 3, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleDownCMExternal', min: 2, max: 6, current: 5, history: empty, metrics: [external(8.6, 14.4)], expected: 3, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleDownToZeroCMExternal', min: 0, max: 6, current: 5, history: empty, metrics: [external(0, 14.4)], expected: 0, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleDownPerPodCMExternal', min: 2, max: 6, current: 5, history: empty, metrics: [externalPerPod(8.6, 3)], expected: 3, reason: 'DesiredWithinRange', limited: within },
    // Requests 0.9/1.0/1.1: 3060m → 102%.
    { name: 'TestTolerance', min: 1, max: 5, current: 3, metrics: [util(102, 100)], expected: 3, reason: 'DesiredWithinRange', limited: within, able: 'ReadyForNewScale' },
    // (20000+20001+21000)/3 = 20333m.
    { name: 'TestToleranceCM', min: 1, max: 5, current: 3, metrics: [podsAvg(20.333, 20)], expected: 3, reason: 'DesiredWithinRange', limited: within, able: 'ReadyForNewScale' },
    { name: 'TestToleranceCMObject', min: 1, max: 5, current: 3, metrics: [object(20.05, 20)], expected: 3, reason: 'DesiredWithinRange', limited: within, able: 'ReadyForNewScale' },
    { name: 'TestToleranceCMExternal', min: 2, max: 6, current: 4, metrics: [external(8.6, 8.666)], expected: 4, reason: 'DesiredWithinRange', limited: within, able: 'ReadyForNewScale' },
    { name: 'TestTolerancePerPodCMObject', min: 2, max: 6, current: 4, metrics: [objectPerPod(8.6, 2.2)], expected: 4, reason: 'DesiredWithinRange', limited: within, able: 'ReadyForNewScale' },
    { name: 'TestTolerancePerPodCMExternal', min: 2, max: 6, current: 4, metrics: [externalPerPod(8.6, 2.2)], expected: 4, reason: 'DesiredWithinRange', limited: within, able: 'ReadyForNewScale' },
    // (10+95+10)×100/3000 = 3% vs 90%: ceil(0.1) = 1, below minReplicas.
    { name: 'TestMinReplicas', min: 2, max: 5, current: 3, history: empty, metrics: [util(3, 90)], expected: 2, reason: 'TooFewReplicas', limited: [true, 'TooFewReplicas'] },
    { name: 'TestZeroMinReplicasDesiredZero', min: 0, max: 5, current: 3, history: empty, metrics: [util(0, 90)], expected: 0, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestMinReplicasDesiredZero', min: 2, max: 5, current: 3, history: empty, metrics: [util(0, 90)], expected: 2, reason: 'TooFewReplicas', limited: [true, 'TooFewReplicas'] },
    { name: 'TestZeroReplicas', min: 3, max: 5, current: 0, metrics: [util(0, 90)], expected: 0, reason: 'ScalingDisabled' },
    { name: 'TestTooFewReplicas', min: 3, max: 5, current: 2, metrics: [], expected: 3, reason: 'CurrentBelowMin' },
    { name: 'TestTooManyReplicas', min: 3, max: 5, current: 10, metrics: [], expected: 5, reason: 'CurrentAboveMax' },
    { name: 'TestScaleUpRCImmediately', min: 2, max: 6, current: 1, metrics: [], expected: 2, reason: 'CurrentBelowMin' },
    { name: 'TestScaleDownRCImmediately', min: 2, max: 5, current: 6, metrics: [util(616, 50)], expected: 5, reason: 'CurrentAboveMax' },
    // 18500×100/3000 = 616% vs 90%: ceil(20.53) = 21. max(2×3, 4) = 6 is not above maxReplicas 5, so TooManyReplicas.
    { name: 'TestMaxReplicas', min: 2, max: 5, current: 3, metrics: [util(616, 90)], expected: 5, reason: 'TooManyReplicas', limited: [true, 'TooManyReplicas'] },
    // 587% × 4 → 24; max(2×4, 4) = 8 is not above maxReplicas 6.
    { name: 'TestSuperfluousMetrics', min: 2, max: 6, current: 4, metrics: [util(587, 100)], expected: 6, reason: 'TooManyReplicas', limited: [true, 'TooManyReplicas'] },
    // 200m of a 200m request = 100% vs 50%: 2 ≤ max(2×1, 4).
    { name: 'TestEventCreated', min: 1, max: 5, current: 1, metrics: [util(100, 50)], expected: 2, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestEventNotCreated', min: 1, max: 5, current: 2, metrics: [util(50, 50)], expected: 2, reason: 'DesiredWithinRange', limited: within, able: 'ReadyForNewScale' },
    // 600m of 300m = 200% vs 10%: ceil(20 × 3) = 60; Percent 700 per 60 s from 3: ceil(3 × 8) = 24.
    { name: 'TestUpscaleCap', min: 1, max: 100, current: 3, behavior: { scaleUp: rules(0, 0, 700, 60, 0) }, metrics: [util(200, 10)], expected: 24, reason: 'ScaleUpLimit', limited: [true, 'ScaleUpLimit'] },
    { name: 'TestUpscaleCapGreaterThanMaxReplicas', min: 1, max: 20, current: 3, behavior: { scaleUp: rules(0, 0, 700, 60, 0) }, metrics: [util(200, 10)], expected: 20, reason: 'TooManyReplicas', limited: [true, 'TooManyReplicas'] },
    // spec 4, status 5 (surge): 2500m of 5000m = 50% → within, the spec count stays.
    { name: 'TestMoreReplicasThanSpecNoScale', min: 1, max: 8, current: 4, status: 5, metrics: [util(50, 50)], expected: 4, reason: 'DesiredWithinRange', limited: within, able: 'ReadyForNewScale' },
    { name: 'TestNoBackoffUpscaleCM', min: 1, max: 5, current: 3, metrics: [podsAvg(20, 15)], expected: 4, reason: 'DesiredWithinRange', limited: within },
    // CPU 60000m of 3000m = 2000% vs 10% → 600, Pods → 4: the larger is capped by maxReplicas.
    { name: 'TestNoBackoffUpscaleCMNoBackoffCpu', min: 1, max: 5, current: 3, metrics: [util(2000, 10), podsAvg(20, 15)], expected: 5, reason: 'TooManyReplicas', limited: [true, 'TooManyReplicas'] },
    // 150m of 300m = 50% vs 100% → 2 (Go has 3 pods: ceil(0.5 × 3) = 2 as well); 4 from 1 min ago holds it, 10 is too old.
    { name: 'TestStabilizeDownscale', min: 1, max: 5, current: 4, history: recs([[10, 10 * MIN], [4, MIN]]), metrics: [util(50, 100)], expected: 4, reason: 'ScaleDownStabilized', limited: within, able: 'ScaleDownStabilized' },
    { name: 'TestComputedToleranceAlgImplementation/tc1', min: 0, max: 1000, current: 10, history: empty, metrics: [util(50, 56)], expected: 9, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestComputedToleranceAlgImplementation/tc2', min: 0, max: 1000, current: 10, history: empty, metrics: [util(50, 55)], expected: 10, reason: 'DesiredWithinRange', limited: within, able: 'ReadyForNewScale' },
    // An invalid metric does not block a scale-up: (300+400+500)×100/3000 = 40% vs 30% → 4.
    { name: 'TestScaleUpOneMetricInvalid', min: 2, max: 6, current: 3, metrics: [util(40, 30), broken('CheddarCheese')], expected: 4, reason: 'DesiredWithinRange', limited: within },
    { name: 'TestScaleUpOneMetricEmpty', min: 2, max: 6, current: 3, metrics: [util(40, 30), broken('qps external')], expected: 4, reason: 'DesiredWithinRange', limited: within },
    // …but it blocks a scale-down.
    { name: 'TestNoScaleDownOneMetricInvalid', min: 2, max: 6, current: 5, history: empty, metrics: [util(28, 50), broken('CheddarCheese')], expected: 5, reason: 'InvalidMetricsBlockScaleDown' },
    { name: 'TestNoScaleDownOneMetricEmpty', min: 2, max: 6, current: 5, history: empty, metrics: [util(28, 50), broken('qps external')], expected: 5, reason: 'InvalidMetricsBlockScaleDown' },
    { name: 'TestScaleUpBothMetricsEmpty', min: 2, max: 6, current: 3, metrics: [broken('CheddarCheese')], expected: 3, reason: 'NoValidMetrics' },
    { name: 'TestConditionInvalidSourceType', min: 2, max: 6, current: 3, metrics: [broken('CheddarCheese')], expected: 3, reason: 'NoValidMetrics' },
    { name: 'TestConditionFailedGetMetrics/FailedGetResourceMetric', min: 1, max: 100, current: 3, metrics: [{ ...util(0, 10), value: null }], expected: 3, reason: 'NoValidMetrics' },
    { name: 'TestConditionFailedGetMetrics/FailedGetPodsMetric', min: 1, max: 100, current: 3, metrics: [{ ...podsAvg(0, 15), value: null }], expected: 3, reason: 'NoValidMetrics' },
    { name: 'TestConditionFailedGetMetrics/FailedGetObjectMetric', min: 1, max: 100, current: 3, metrics: [{ ...object(0, 15), value: null }], expected: 3, reason: 'NoValidMetrics' },
    { name: 'TestConditionFailedGetMetrics/FailedGetExternalMetric', min: 1, max: 100, current: 3, metrics: [{ ...external(0, 0.3), value: null }], expected: 3, reason: 'NoValidMetrics' },
  ];
  it.each(cases)('$name → $expected ($reason)', (c) => {
    const r = reconcile(c);
    expect(r.replicas).toBe(c.expected);
    expect(r.reason).toBe(c.reason);
    if (c.limited) expect([r.result?.conditions.scalingLimited?.status, r.result?.conditions.scalingLimited?.reason]).toEqual(c.limited);
    if (c.able) expect(r.result?.conditions.ableToScale?.reason).toBe(c.able);
  });
  it('TestZeroReplicas sets ScalingActive=False/ScalingDisabled', () => {
    const r = reconcile({ min: 3, max: 5, current: 0, metrics: [] });
    expect(r.result?.conditions.scalingActive).toMatchObject({ status: false, reason: 'ScalingDisabled' });
  });

  // The same runs through decide(), the product path: one targetTracking rule per metric (a metric the
  // controller could not read is one without data), tc.recommendations as state.hpa. Rows with a
  // status count apart from the spec count have no place in a request and are left out.
  const throughDecide = cases.filter((c) => c.status === undefined);
  it.each(throughDecide)('decide(): $name → $expected', async (c) => {
    const set = compile({
      id: 'hpa-upstream',
      capacity: { minimum: c.min, maximum: c.max, default: c.min },
      rules: [],
      targetTracking: c.metrics.map((m, i) => ({ id: `m${i}`, metric: `m${i}`, window: 'PT1M', target: m.target, ...(m.source && { source: m.source }) })),
      ...(c.behavior && { behavior: c.behavior }),
    });
    const metrics = Object.fromEntries(c.metrics.flatMap((m, i) => (m.value === null || m.value === undefined ? [] : [[`m${i}`, m.value]])));
    const state = c.history && DecisionState.parse({ hpa: c.history });
    const d = await decide(set, { id: 't1', capacity: c.current, metrics, ...(state && { state }) }, T0);
    expect(d.to).toBe(c.expected);
    if (c.reason === 'ScalingDisabled') expect(d.code).toBe('ScalingDisabled');
    if (c.reason === 'CurrentAboveMax' || c.reason === 'CurrentBelowMin') expect(d.code).toBe('BroughtIntoBounds');
    // computeReplicasForMetrics returned -1: reconcileAutoscaler stores no recommendation of this run.
    if (c.reason === 'NoValidMetrics' || c.reason === 'InvalidMetricsBlockScaleDown') {
      expect(d.state.hpa?.recommendations.map((r) => r.replicas)).toEqual((c.history?.recommendations ?? [{ replicas: c.current }]).map((r) => r.replicas));
    }
  });
});

// horizontal.go reconcileAutoscaler, the branches before computeReplicasForMetrics: "if scale.Spec.Replicas == 0
// && minReplicas != 0 { // Autoscaling is disabled for this resource", "else if currentReplicas >
// hpa.Spec.MaxReplicas { desiredReplicas = hpa.Spec.MaxReplicas }", "else if currentReplicas < minReplicas {
// desiredReplicas = minReplicas }". Through decide(), metrics that would move the count further are not read.
describe('decide() in the HPA family: a count outside the bounds goes to the bound, without consulting metrics', () => {
  type Case = { name: string; current: number; cpu: number; expected: number; code: string; scaleToZero?: boolean };
  const cases: Case[] = [
    { name: 'above the maximum with a low metric: to the maximum 5, not on down to 1', current: 10, cpu: 10, expected: 5, code: 'BroughtIntoBounds' },
    { name: 'below the minimum with a high metric: to the minimum 2, not on up', current: 1, cpu: 200, expected: 2, code: 'BroughtIntoBounds' },
    { name: '0 with a minimum of 2: scaling is disabled, the count stays 0', current: 0, cpu: 200, expected: 0, code: 'ScalingDisabled' },
    // Not reconcileAutoscaler's: with scaleToZero, 0 is KEDA's to leave, so the count is brought to the minimum 2
    // and decided there (docs/rules.md): ceil(2 × 200 ÷ 50) = 8, limited to max(2 × 2, 4) = 4.
    { name: '0 with scaleToZero: not "scaling disabled"; brought to 2 and decided there', current: 0, cpu: 200, expected: 4, code: 'ScaleUpLimit', scaleToZero: true },
  ];
  it.each(cases)('$name', async ({ current, cpu, expected, code, scaleToZero }) => {
    const set = compile({
      id: 'hpa-bounds',
      capacity: { minimum: 2, maximum: 5, default: 2 },
      rules: [],
      targetTracking: [{ id: 'cpu', metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 50 } }],
      ...(scaleToZero && { scaleToZero: { metric: 'cpu', activationThreshold: 0 } }),
    });
    const d = await decide(set, { id: 't1', capacity: current, metrics: { cpu } }, T0);
    expect(d.to).toBe(expected);
    expect(d.code).toBe(code);
  });
});

// ---------------------------------------------------------------------------------------------
// horizontal_test.go, normalisation tables. TestScalingWithRules, TestConvertDesiredReplicasWithRules,
// TestNormalizeDesiredReplicas[WithBehavior] and TestStoreScaleEvents are ported row by row in hpa.test.ts.

describe('selectPolicy Min and Disabled (calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors)', () => {
  const minRules: HpaScalingRules = {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Min',
    policies: [
      { type: 'Pods', value: 2, periodSeconds: 60 },
      { type: 'Percent', value: 50, periodSeconds: 60 },
    ],
  };
  // TestCalculateScaleUpLimitWithScalingRules: from 1, Pods gives 3 and Percent ceil(1.5) = 2; Min → 2.
  it('TestCalculateScaleUpLimitWithScalingRules → 2', () => {
    const r = ok(normalizeWithBehavior({ currentReplicas: 1, desiredReplicas: 100, minReplicas: 1, maxReplicas: 1000, behavior: behavior({ scaleUp: minRules }), history: HpaHistory.parse({}), now: T0 }));
    expect(r.trace.rateLimit).toBe(2);
    expect([r.replicas, r.reason]).toEqual([2, 'ScaleUpLimit']);
  });
  // TestCalculateScaleDownLimitWithBehaviors: from 5, Pods gives 3 and Percent int(2.5) = 2; Min (least change) → 3.
  it('TestCalculateScaleDownLimitWithBehaviors → 3', () => {
    const r = ok(normalizeWithBehavior({ currentReplicas: 5, desiredReplicas: 0, minReplicas: 1, maxReplicas: 1000, behavior: behavior({ scaleDown: minRules }), history: HpaHistory.parse({}), now: T0 }));
    expect(r.trace.rateLimit).toBe(3);
    expect([r.replicas, r.reason]).toEqual([3, 'ScaleDownLimit']);
  });
  // From the code (no Go table): Disabled returns currentReplicas as the limit, and
  // convertDesiredReplicasWithBehaviorRate then names ScaleUpLimit, or TooManyReplicas when
  // maxReplicas is not above that limit; the same mirrored for scale-down.
  const disabled: HpaScalingRules = { selectPolicy: 'Disabled' };
  it.each([
    { name: 'scale-up Disabled holds the current count', b: { scaleUp: disabled }, current: 4, desired: 9, max: 20, min: 1, expected: 4, reason: 'ScaleUpLimit' },
    { name: 'scale-up Disabled at maxReplicas reads TooManyReplicas', b: { scaleUp: disabled }, current: 20, desired: 30, max: 20, min: 1, expected: 20, reason: 'TooManyReplicas' },
    { name: 'scale-down Disabled holds the current count', b: { scaleDown: { ...disabled, stabilizationWindowSeconds: 0 } }, current: 9, desired: 2, max: 20, min: 1, expected: 9, reason: 'ScaleDownLimit' },
    { name: 'scale-down Disabled at minReplicas reads TooFewReplicas', b: { scaleDown: { ...disabled, stabilizationWindowSeconds: 0 } }, current: 3, desired: 1, max: 20, min: 3, expected: 3, reason: 'TooFewReplicas' },
    { name: 'scale-down Disabled does not limit a scale-up', b: { scaleDown: disabled }, current: 4, desired: 6, max: 20, min: 1, expected: 6, reason: 'DesiredWithinRange' },
  ] as Array<{ name: string; b: HpaBehavior; current: number; desired: number; max: number; min: number; expected: number; reason: HpaReason }>)(
    '$name',
    (c) => {
      const r = ok(normalizeWithBehavior({ currentReplicas: c.current, desiredReplicas: c.desired, minReplicas: c.min, maxReplicas: c.max, behavior: behavior(c.b), history: HpaHistory.parse({}), now: T0 }));
      expect([r.replicas, r.reason]).toEqual([c.expected, c.reason]);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// defaults.go and KEP-4951

describe('defaults.go SetDefaults_HorizontalPodAutoscalerBehavior / copyHPAScalingRules', () => {
  it('an empty behavior gets defaultHPAScaleUpRules and defaultHPAScaleDownRules (window from the controller, 300 s)', () => {
    expect(behavior({})).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });
  it('copyHPAScalingRules copies every set field, tolerance included, and keeps the defaults for the rest', () => {
    const d = behavior({ scaleDown: { tolerance: '0.5' }, scaleUp: { stabilizationWindowSeconds: 60 } });
    expect(d.scaleDown).toEqual({ stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], tolerance: '0.5' });
    expect(d.scaleUp.stabilizationWindowSeconds).toBe(60);
    expect(d.scaleUp.policies).toHaveLength(2);
  });
  it('no behavior stays nil: the controller takes normalizeDesiredReplicas', () => {
    expect(applyHpaBehaviorDefaults(undefined)).toBeUndefined();
  });
});

describe('KEP-4951 test/integration/podautoscaler TestHPAWithTolerance (External AverageValue 100, tolerance up 5% / down 50%)', () => {
  const tolerances = resolveTolerances({ scaleUp: { tolerance: '0.05' }, scaleDown: { tolerance: '0.5' } });
  // Each step starts from the previous step's count (simulatePodsScheduled sets status = spec).
  it.each([
    { name: 'scale_up: 3700 over 35 pods is ratio 1.057 > 1.05', current: 35, value: 3700, expected: 37 },
    { name: 'scale_up_in_tolerance: 3800 over 37 pods is ratio 1.027', current: 37, value: 3800, expected: 37 },
    { name: 'scale_down: 1000 over 37 pods is ratio 0.27 < 0.5', current: 37, value: 1000, expected: 10 },
    { name: 'scale_down_in_tolerance: 800 over 10 pods is ratio 0.8', current: 10, value: 800, expected: 10 },
  ])('$name → $expected', ({ current, value, expected }) => {
    if (!tolerances.ok) throw new Error(tolerances.message);
    const d = computeDesiredReplicas({ currentReplicas: current, statusReplicas: current, tolerances: tolerances.tolerances, metrics: [externalPerPod(value, 100)] });
    expect(d.ok && d.desiredReplicas).toBe(expected);
  });
  it('the tolerances read as AsApproximateFloat64: 5 × 0.01 and 5 × 0.1', () => {
    expect(tolerances).toEqual({ ok: true, tolerances: { scaleUp: 0.05, scaleDown: 0.5 } });
  });
});
