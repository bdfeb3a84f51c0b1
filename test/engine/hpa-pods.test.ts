// Pods as input for the HPA replica calculation (src/engine/hpa/pods.ts): replica_calculator_test.go's tables replayed row by row through decide().
//
// Source: kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator_test.go (the version
// with Tolerances and calcScenario; its fixture: pods "test-pod-<i>", two containers, each with the
// row's request and level). Every expected replica count, utilization and raw value is the Go row's
// own. The Go fixture translated into a request:
// - a pod's request is the sum over its two containers (calculateRequests), its sample the sum of its
//   containers' levels (a ContainerResource row reads one container: metric "cpu@container2");
// - Go's zero times (startTime when the row sets none, the Ready condition's lastTransitionTime, the
//   samples' timestamp) are LONG_AGO; hotCPUCreationTime() is now and coolCPUCreationTime() is
//   3 minutes ago (horizontal_test.go); samples cover time.Minute, as the fake metrics client reports;
// - the testing controller settings: cpu initialization period 2m, initial readiness delay 10s,
//   tolerance 0.1 (defaultTesting* in replica_calculator.go);
// - the row's replicas are read from the metric's proposal in the trace, and the decision reaches
//   them too under a behavior that lets any change through at once.
// Rows left out, and why: TestReplicaCalcSuperfluousMetrics and TestReplicaCalcDisjointResourcesMetrics
// feed samples of pods that are not in the pod list; a request carries each sample inside its pod, so
// such a sample cannot be written. TestCalculateRequests and TestCalculatePodRequestsFromContainers
// test the summing of container requests, which the caller does (requests are given per pod).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { evaluateBatch } from '../../src/service/batch.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { exportHpaManifest } from '../../src/formats/hpa-manifest.js';
import { exportAzureAutoscale } from '../../src/formats/azure/export.js';
import { DecisionState, Target } from '../../src/schema.js';
import type { HpaPodInput } from '../../src/schemas/hpa-pods.js';
import { HPA_METRIC_ERROR_CODES, HPA_POD_REBALANCE_OUTCOMES } from '../../src/schemas/codes.js';
import type { HpaMetricTarget } from '../../src/schemas/hpa-behavior.js';
import { compile } from '../helpers.js';
import { iso, MIN, SEC, T0 } from './hpa-fixtures.js';

const LONG_AGO = '2000-01-01T00:00:00Z';
const HOT = iso(T0);
const COOL = iso(T0 - 3 * MIN);
type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

const PERMISSIVE = {
  scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent' as const, value: 100_000, periodSeconds: 15 }] },
  scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent' as const, value: 100, periodSeconds: 15 }] },
};

interface Rule {
  metric: string;
  source: 'Resource' | 'ContainerResource' | 'Pods' | 'Object' | 'External';
  target: HpaMetricTarget;
}

async function run(rule: Rule, current: number, pods: HpaPodInput[], opts: { tolerances?: [number, number]; metrics?: Record<string, number> } = {}) {
  const [down, up] = opts.tolerances ?? [0.1, 0.1];
  const set = compile({
    id: 'hpa-pods',
    capacity: { minimum: 1, maximum: 100, default: 1 },
    rules: [],
    targetTracking: [{ id: 'm', window: 'PT1M', ...rule }],
    behavior: { scaleUp: { ...PERMISSIVE.scaleUp, tolerance: up }, scaleDown: { ...PERMISSIVE.scaleDown, tolerance: down } },
    hpaController: { cpuInitializationPeriodSeconds: 120, initialReadinessDelaySeconds: 10 },
  });
  // Through the request schema, as the batch reads a target.
  const target = Target.parse({ id: 't1', ruleSet: 'x', capacity: current, metrics: opts.metrics ?? {}, pods, state: DecisionState.parse({ hpa: {} }) });
  const d = await decide(set, { id: 't1', capacity: current, metrics: target.metrics, pods: target.pods!, state: target.state! }, T0);
  const metric = d.trace.policies!.targetTracking!.metrics[0]!;
  return { d, metric };
}

// ---------------------------------------------------------------------------------------------
// Resource metrics (GetResourceReplicas)

interface ResourceRow {
  name: string;
  current: number;
  /** Per-container request of each pod, as Go's resource.MustParse. */
  requests: string[];
  /** Per-container levels (milli) of each pod that reports; makePodMetricLevels(x) is [x, x]. */
  levels: number[][];
  container?: 'container1' | 'container2';
  readiness?: boolean[];
  phase?: Phase[];
  deleted?: boolean[];
  start?: string[];
  target: number;
  tolerances?: [number, number];
  expected: number;
  utilization: number;
  raw: number;
}

const L = (...xs: number[]): number[][] => xs.map((x) => [x, x]);
const milli = (q: string): number => Math.round(Number(q) * 1000);

function resourcePods(r: ResourceRow): HpaPodInput[] {
  const count = Math.max(r.current, r.phase?.length ?? 0);
  const metric = r.container ? `cpu@${r.container}` : 'cpu';
  const ci = r.container === 'container2' ? 1 : 0;
  return Array.from({ length: count }, (_, i) => {
    const req = r.requests[i];
    const level = r.levels[i];
    const sample = level === undefined ? undefined : r.container ? level[ci] : level.reduce((a, b) => a + b, 0);
    return {
      name: `test-pod-${i}`,
      phase: r.phase?.[i] ?? 'Running',
      ready: r.readiness?.[i] ?? true,
      readyTransitionTime: LONG_AGO,
      startTime: r.start?.[i] ?? LONG_AGO,
      ...(r.deleted?.[i] && { deletionTimestamp: HOT }),
      ...(req !== undefined && { requests: { [metric]: `${r.container ? milli(req) : 2 * milli(req)}m` } }),
      metrics: sample === undefined ? {} : { [metric]: { value: `${sample}m`, timestamp: LONG_AGO, windowSeconds: 60 } },
    };
  });
}

const R5 = ['1.0', '1.0', '1.0', '1.0', '1.0'];
const R7 = [...R5, '1.0', '1.0'];
const T = true;
const F = false;
const resourceRows: ResourceRow[] = [
  // TestReplicaCalcResourceScale
  { name: 'TestReplicaCalcResourceScale/scale up', current: 3, requests: R5.slice(0, 3), levels: L(300, 500, 700), target: 30, expected: 5, utilization: 50, raw: 2 * 500 },
  {
    name: 'TestReplicaCalcResourceScale/scale up: container metric',
    current: 3,
    container: 'container2',
    requests: R5.slice(0, 3),
    levels: [
      [1000, 300],
      [1000, 500],
      [1000, 700],
    ],
    target: 30,
    expected: 5,
    utilization: 50,
    raw: 500,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale up: unready pod scales less',
    current: 3,
    readiness: [F, T, T],
    requests: R5.slice(0, 3),
    levels: L(300, 500, 700),
    target: 30,
    expected: 4,
    utilization: 60,
    raw: 2 * 600,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale up: hot-CPU container scales less',
    current: 3,
    start: [HOT, COOL, COOL],
    container: 'container2',
    requests: R5.slice(0, 3),
    levels: [
      [0, 300],
      [0, 500],
      [0, 700],
    ],
    target: 30,
    expected: 4,
    utilization: 60,
    raw: 600,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale up: hot-CPU pod scales less',
    current: 3,
    start: [HOT, COOL, COOL],
    requests: R5.slice(0, 3),
    levels: L(300, 500, 700),
    target: 30,
    expected: 4,
    utilization: 60,
    raw: 2 * 600,
  },
  {
    name: 'TestReplicaCalcResourceScale/no scale: unready pods ignored',
    current: 3,
    readiness: [T, F, F],
    requests: R5.slice(0, 3),
    levels: L(400, 500, 700),
    target: 30,
    expected: 3,
    utilization: 40,
    raw: 2 * 400,
  },
  {
    name: 'TestReplicaCalcResourceScale/no scale: hot-CPU pods ignored',
    current: 3,
    readiness: [T, F, F],
    start: [COOL, HOT, HOT],
    requests: R5.slice(0, 3),
    levels: L(400, 500, 700),
    target: 30,
    expected: 3,
    utilization: 40,
    raw: 2 * 400,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale up: failed pods ignored',
    current: 2,
    readiness: [T, T, F, F],
    phase: ['Running', 'Running', 'Failed', 'Failed'],
    requests: R5.slice(0, 4),
    levels: L(500, 700),
    target: 30,
    expected: 4,
    utilization: 60,
    raw: 2 * 600,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale up: failed pods ignored with missing container metric',
    current: 2,
    readiness: [T, T, F, F],
    phase: ['Running', 'Running', 'Failed', 'Failed'],
    container: 'container2',
    requests: R5.slice(0, 4),
    levels: [
      [1000, 500],
      [9000, 700],
    ],
    target: 30,
    expected: 4,
    utilization: 60,
    raw: 600,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale up: container metrics with failed pods ignored',
    current: 2,
    readiness: [T, T, F, F],
    phase: ['Running', 'Running', 'Failed', 'Failed'],
    container: 'container2',
    requests: R5.slice(0, 4),
    levels: [
      [1000, 500],
      [9000, 700],
    ],
    target: 30,
    expected: 4,
    utilization: 60,
    raw: 600,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale up: pods being deleted are ignored',
    current: 2,
    readiness: [T, T, F, F],
    phase: ['Running', 'Running', 'Running', 'Running'],
    deleted: [F, F, T, T],
    requests: R5.slice(0, 4),
    levels: L(500, 700),
    target: 30,
    expected: 4,
    utilization: 60,
    raw: 2 * 600,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale up: container metrics with pods being deleted ignored',
    current: 2,
    readiness: [T, T, F, F],
    phase: ['Running', 'Running', 'Running', 'Running'],
    deleted: [F, F, T, T],
    container: 'container1',
    requests: R5.slice(0, 4),
    levels: L(500, 700),
    target: 30,
    expected: 4,
    utilization: 60,
    raw: 600,
  },
  { name: 'TestReplicaCalcResourceScale/scale down', current: 5, requests: R5, levels: L(100, 300, 500, 250, 250), target: 50, expected: 3, utilization: 28, raw: 2 * 280 },
  {
    name: 'TestReplicaCalcResourceScale/scale down: container metric',
    current: 5,
    container: 'container2',
    requests: R5,
    levels: [
      [1000, 100],
      [1000, 300],
      [1000, 500],
      [1000, 250],
      [1000, 250],
    ],
    target: 50,
    expected: 3,
    utilization: 28,
    raw: 280,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale down: exclude unready pods',
    current: 5,
    readiness: [T, T, T, F, F],
    requests: R5,
    levels: L(100, 300, 500, 250, 250),
    target: 50,
    expected: 2,
    utilization: 30,
    raw: 2 * 300,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale down: container metric excludes unready pods',
    current: 5,
    readiness: [T, T, T, F, F],
    container: 'container2',
    requests: R5,
    levels: [
      [1000, 100],
      [1000, 300],
      [1000, 500],
      [1000, 250],
      [1000, 250],
    ],
    target: 50,
    expected: 2,
    utilization: 30,
    raw: 300,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale down: exclude unscheduled pods',
    current: 5,
    readiness: [T, F, F, F, F],
    phase: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'],
    requests: R5,
    levels: L(100),
    target: 50,
    expected: 1,
    utilization: 10,
    raw: 2 * 100,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale down: container metric excludes unscheduled pods',
    current: 5,
    readiness: [T, F, F, F, F],
    phase: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'],
    container: 'container2',
    requests: R5,
    levels: [
      [1000, 100],
      [1000, 300],
      [1000, 500],
      [1000, 250],
      [1000, 250],
    ],
    target: 50,
    expected: 1,
    utilization: 10,
    raw: 100,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale down: ignore hot-CPU pods',
    current: 5,
    start: [COOL, COOL, COOL, HOT, HOT],
    requests: R5,
    levels: L(100, 300, 500, 250, 250),
    target: 50,
    expected: 2,
    utilization: 30,
    raw: 2 * 300,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale down: container metric ignores hot-CPU pods',
    current: 5,
    start: [COOL, COOL, COOL, HOT, HOT],
    container: 'container2',
    requests: R5,
    levels: [
      [1000, 100],
      [1000, 300],
      [1000, 500],
      [1000, 1000],
      [1000, 1000],
    ],
    target: 50,
    expected: 2,
    utilization: 30,
    raw: 300,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale down: failed pods ignored',
    current: 5,
    readiness: [T, T, T, T, T, F, F],
    phase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'],
    requests: R7,
    levels: L(100, 300, 500, 250, 250),
    target: 50,
    expected: 3,
    utilization: 28,
    raw: 2 * 280,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale down: container metric with failed pods ignored',
    current: 5,
    readiness: [T, T, T, T, T, F, F],
    phase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'],
    container: 'container2',
    requests: R7,
    levels: [
      [1000, 100],
      [1000, 300],
      [1000, 500],
      [1000, 250],
      [1000, 250],
    ],
    target: 50,
    expected: 3,
    utilization: 28,
    raw: 280,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale down: pods being deleted are ignored',
    current: 5,
    readiness: [T, T, T, T, T, F, F],
    phase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Running', 'Running'],
    deleted: [F, F, F, F, F, T, T],
    requests: R7,
    levels: L(100, 300, 500, 250, 250),
    target: 50,
    expected: 3,
    utilization: 28,
    raw: 2 * 280,
  },
  {
    name: 'TestReplicaCalcResourceScale/scale down: still-running pods being deleted are ignored',
    current: 5,
    readiness: [T, T, T, T, T, F, F],
    phase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Running', 'Running'],
    deleted: [F, F, F, F, F, T, T],
    container: 'container2',
    requests: R7,
    levels: [
      [1000, 100],
      [1000, 300],
      [1000, 500],
      [1000, 250],
      [1000, 250],
    ],
    target: 50,
    expected: 3,
    utilization: 28,
    raw: 280,
  },
  // Standalone resource tests
  { name: 'TestReplicaCalcTolerance', current: 3, requests: ['0.9', '1.0', '1.1'], levels: L(1010, 1030, 1020), target: 100, expected: 3, utilization: 102, raw: 2 * 1020 },
  {
    name: 'TestReplicaCalcConfigurableTolerance/Outside of a 0% tolerance',
    current: 3,
    tolerances: [0, 0],
    requests: ['0.9', '1.0', '1.1'],
    levels: L(909, 1010, 1111),
    target: 100,
    expected: 4,
    utilization: 101,
    raw: 2 * 1010,
  },
  {
    name: 'TestReplicaCalcConfigurableTolerance/Within a 200% scale-up tolerance',
    current: 3,
    tolerances: [0.1, 2],
    requests: ['0.9', '1.0', '1.1'],
    levels: L(1890, 1910, 1900),
    target: 100,
    expected: 3,
    utilization: 190,
    raw: 2 * 1900,
  },
  {
    name: 'TestReplicaCalcConfigurableTolerance/Outside 8% scale-up tolerance',
    current: 3,
    tolerances: [2, 0.08],
    requests: ['0.9', '1.0', '1.1'],
    levels: L(1100, 1080, 1090),
    target: 100,
    expected: 4,
    utilization: 109,
    raw: 2 * 1090,
  },
  {
    name: 'TestReplicaCalcConfigurableTolerance/Within a 36% scale-down tolerance',
    current: 3,
    tolerances: [0.36, 0.1],
    requests: ['0.9', '1.0', '1.1'],
    levels: L(660, 640, 650),
    target: 100,
    expected: 3,
    utilization: 65,
    raw: 2 * 650,
  },
  {
    name: 'TestReplicaCalcConfigurableTolerance/Outside a 34% scale-down tolerance',
    current: 3,
    tolerances: [0.34, 0.1],
    requests: ['0.9', '1.0', '1.1'],
    levels: L(660, 640, 650),
    target: 100,
    expected: 2,
    utilization: 65,
    raw: 2 * 650,
  },
  { name: 'TestReplicaCalcMissingMetrics', current: 4, requests: R5.slice(0, 4), levels: L(400, 95), target: 100, expected: 3, utilization: 24, raw: 495 },
  { name: 'TestReplicaCalcMissingMetricsNoChangeEq', current: 2, requests: R5.slice(0, 2), levels: L(1000), target: 100, expected: 2, utilization: 100, raw: 2 * 1000 },
  { name: 'TestReplicaCalcMissingMetricsNoChangeGt', current: 2, requests: R5.slice(0, 2), levels: L(1900), target: 100, expected: 2, utilization: 190, raw: 2 * 1900 },
  { name: 'TestReplicaCalcMissingMetricsNoChangeLt', current: 2, requests: R5.slice(0, 2), levels: L(600), target: 100, expected: 2, utilization: 60, raw: 2 * 600 },
  {
    name: 'TestReplicaCalcMissingMetricsUnreadyChange',
    current: 3,
    readiness: [F, T, T],
    requests: R5.slice(0, 3),
    levels: L(100, 450),
    target: 50,
    expected: 3,
    utilization: 45,
    raw: 2 * 450,
  },
  {
    name: 'TestReplicaCalcMissingMetricsHotCpuNoChange',
    current: 3,
    start: [HOT, COOL, COOL],
    requests: R5.slice(0, 3),
    levels: L(100, 450),
    target: 50,
    expected: 3,
    utilization: 45,
    raw: 2 * 450,
  },
  {
    name: 'TestReplicaCalcMissingMetricsUnreadyScaleUp',
    current: 3,
    readiness: [F, T, T],
    requests: R5.slice(0, 3),
    levels: L(100, 2000),
    target: 50,
    expected: 4,
    utilization: 200,
    raw: 2 * 2000,
  },
  {
    name: 'TestReplicaCalcMissingMetricsHotCpuScaleUp',
    current: 3,
    readiness: [F, T, T],
    start: [HOT, COOL, COOL],
    requests: R5.slice(0, 3),
    levels: L(100, 2000),
    target: 50,
    expected: 4,
    utilization: 200,
    raw: 2 * 2000,
  },
  {
    name: 'TestReplicaCalcMissingMetricsUnreadyScaleDown',
    current: 4,
    readiness: [F, T, T, T],
    requests: R5.slice(0, 4),
    levels: L(100, 100, 100),
    target: 50,
    expected: 3,
    utilization: 10,
    raw: 2 * 100,
  },
  {
    name: 'TestReplicaCalcMissingMetricsScaleDownTargetOver100',
    current: 4,
    readiness: [F, T, T, T],
    requests: ['1.0', '1.0', '2.0', '2.0'],
    levels: L(200, 100, 100),
    target: 300,
    expected: 2,
    utilization: 6,
    raw: 2 * 100,
  },
  {
    name: 'TestReplicaCalcDuringRollingUpdateWithMaxSurge',
    current: 2,
    phase: ['Running', 'Running', 'Running'],
    requests: R5.slice(0, 3),
    levels: L(100, 100),
    target: 50,
    expected: 2,
    utilization: 10,
    raw: 2 * 100,
  },
];

// TestReplicaCalcComputedToleranceAlgImplementation: its numbers computed as the Go test computes them.
{
  const startPods = 10;
  const totalUsed = startPods * 150;
  const totalRequested = 2 * totalUsed;
  const requestedToUsed = Math.trunc(totalRequested / totalUsed);
  const perPod = totalRequested / startPods;
  const target = Math.abs(1 / (requestedToUsed * (1 - 0.1))) + 0.01;
  const finalTarget = Math.trunc(target * 100);
  const usedRatio = totalUsed / (totalRequested * target);
  const requests = [perPod + 100, perPod - 100, perPod + 10, perPod - 10, perPod + 2, perPod - 2, perPod + 1, perPod - 1, perPod, perPod].map((m) => String(m / 1000));
  const levels = L(...Array.from({ length: 10 }, () => totalUsed / 10));
  const common = { current: startPods, requests, levels, utilization: Math.trunc((totalUsed * 100) / totalRequested), raw: (2 * totalUsed) / 10 };
  resourceRows.push({ name: 'TestReplicaCalcComputedToleranceAlgImplementation/scale down', ...common, target: finalTarget, expected: Math.ceil(usedRatio * startPods) });
  const within = Math.trunc((Math.abs(1 / (requestedToUsed * (1 - 0.1))) + 0.004) * 100);
  resourceRows.push({ name: 'TestReplicaCalcComputedToleranceAlgImplementation/no scale close to the tolerance', ...common, target: within, expected: startPods });
}

describe('replica_calculator_test.go GetResourceReplicas rows, with pods, through decide()', () => {
  it.each(resourceRows)('$name → $expected', async (r) => {
    const metric = r.container ? `cpu@${r.container}` : 'cpu';
    const source = r.container ? 'ContainerResource' : 'Resource';
    const { d, metric: m } = await run(
      { metric, source, target: { type: 'Utilization', averageUtilization: r.target } },
      r.current,
      resourcePods(r),
      r.tolerances && { tolerances: r.tolerances },
    );
    expect(m.ok && m.replicas).toBe(r.expected);
    expect(m.value).toBe(r.utilization);
    expect(m.pods?.rawAverage).toBe(r.raw / 1000);
    expect(d.to).toBe(r.expected);
  });

  it('TestReplicaCalcEmptyMetrics: no pod reports cpu, so the metric is invalid and nothing scales', async () => {
    const r: ResourceRow = { name: '', current: 4, requests: R5.slice(0, 3), levels: [], target: 100, expected: 4, utilization: 0, raw: 0 };
    const { d, metric: m } = await run({ metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 100 } }, 4, resourcePods(r));
    expect(m).toMatchObject({ ok: false, code: 'NoReadyPodMetrics', pods: { ready: 0, missing: 4 } });
    expect(d.to).toBe(4);
    expect(d.trace.policies?.targetTracking?.code).toBe('NoValidMetrics');
  });

  it('TestReplicaCalcEmptyCPURequest: a pod without a cpu request makes the metric invalid ("missing request for")', async () => {
    const r: ResourceRow = { name: '', current: 1, requests: [], levels: L(200), target: 100, expected: 1, utilization: 0, raw: 0 };
    const { d, metric: m } = await run({ metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 100 } }, 1, resourcePods(r));
    expect(m).toMatchObject({ ok: false, code: 'MissingRequest' });
    expect(m.ok ? '' : m.message).toContain('missing request for cpu');
    expect(d.to).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// Pods metrics (GetMetricReplicas → calcPlainMetricReplicas) and Object/External with pods

interface MetricRow {
  name: string;
  current: number;
  kind: 'pods' | 'object' | 'objectPerPod' | 'external' | 'externalPerPod';
  /** Go levels, milli: one per pod for pods metrics, the object's value, or the external series. */
  levels: number[];
  /** targetUsage or perPodTargetUsage, milli. */
  target: number;
  readiness?: boolean[];
  phase?: Phase[];
  start?: string[];
  tolerances?: [number, number];
  expected: number;
  /** expectedUsage (milli) for pods metrics: the ready pods' integer average. */
  usage?: number;
  /** Object/External Value: the Running and Ready pods getReadyPodsCount finds. */
  readyPods?: number;
}

const metricRows: MetricRow[] = [
  { name: 'TestReplicaCalcScaleUpCM', current: 3, kind: 'pods', levels: [20000, 10000, 30000], target: 15000, expected: 4, usage: 20000 },
  {
    name: 'TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale',
    current: 3,
    kind: 'pods',
    readiness: [T, T, F],
    start: [COOL, COOL, HOT],
    levels: [50000, 10000, 30000],
    target: 15000,
    expected: 6,
    usage: 30000,
  },
  {
    name: 'TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown',
    current: 3,
    kind: 'pods',
    readiness: [F, T, F],
    start: [HOT, COOL, HOT],
    levels: [50000, 15000, 30000],
    target: 15000,
    expected: 7,
    usage: 31666,
  },
  { name: 'TestReplicaCalcScaleUpCMObject', current: 3, kind: 'object', levels: [20000], target: 15000, expected: 4, readyPods: 3 },
  { name: 'TestReplicaCalcScaleUpCMPerPodObject', current: 3, kind: 'objectPerPod', levels: [20000], target: 5000, expected: 4 },
  { name: 'TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods', current: 3, kind: 'object', readiness: [F, T, F], levels: [50000], target: 10000, expected: 5, readyPods: 1 },
  { name: 'TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods', current: 3, kind: 'external', readiness: [F, T, F], levels: [8600], target: 4400, expected: 2, readyPods: 1 },
  // Despite their names, the Go rows TestReplicaCalcScaleUpCMExternal and ...NoLabels run with
  // metricType podMetric (GetMetricReplicas): one pod at 8600m against 4400m, ratio 1.95 → ceil(1.95 × 1) = 2,
  // usage 8600. They differ upstream only in the metric selector the fake client checks, which a request
  // has already applied (edgescale reads the selected series), so both replay the same input.
  { name: 'TestReplicaCalcScaleUpCMExternal', current: 1, kind: 'pods', levels: [8600], target: 4400, expected: 2, usage: 8600 },
  { name: 'TestReplicaCalcScaleUpCMExternalNoLabels', current: 1, kind: 'pods', levels: [8600], target: 4400, expected: 2, usage: 8600 },
  // The same numbers as the External Value metric the names suggest (GetExternalMetricReplicas): 1 ready pod, ceil(8600 / 4400 × 1) = 2.
  { name: 'TestReplicaCalcScaleUpCMExternal, as an External Value metric', current: 1, kind: 'external', levels: [8600], target: 4400, expected: 2, readyPods: 1 },
  { name: 'TestReplicaCalcScaleUpPerPodCMExternal', current: 3, kind: 'externalPerPod', levels: [8600], target: 2150, expected: 4 },
  { name: 'TestReplicaCalcScaleDownCM', current: 5, kind: 'pods', levels: [12000, 12000, 12000, 12000, 12000], target: 20000, expected: 3, usage: 12000 },
  { name: 'TestReplicaCalcScaleDownPerPodCMObject', current: 5, kind: 'objectPerPod', levels: [6000], target: 2000, expected: 3 },
  { name: 'TestReplicaCalcScaleDownCMObject', current: 5, kind: 'object', levels: [12000], target: 20000, expected: 3, readyPods: 5 },
  { name: 'TestReplicaCalcScaleDownCMExternal', current: 5, kind: 'external', levels: [8600], target: 14334, expected: 3, readyPods: 5 },
  { name: 'TestReplicaCalcScaleDownPerPodCMExternal', current: 5, kind: 'externalPerPod', levels: [8600], target: 2867, expected: 3 },
  { name: 'TestReplicaCalcToleranceCM', current: 3, kind: 'pods', levels: [20000, 21000, 21000], target: 20000, expected: 3, usage: 20666 },
  { name: 'TestReplicaCalcToleranceCMObject', current: 3, kind: 'object', levels: [20666], target: 20000, expected: 3, readyPods: 3 },
  { name: 'TestReplicaCalcTolerancePerPodCMObject', current: 4, kind: 'objectPerPod', levels: [20166], target: 5000, expected: 4 },
  { name: 'TestReplicaCalcToleranceCMExternal', current: 3, kind: 'external', levels: [8600], target: 8888, expected: 3, readyPods: 3 },
  { name: 'TestReplicaCalcTolerancePerPodCMExternal', current: 3, kind: 'externalPerPod', levels: [8600], target: 2900, expected: 3 },
  { name: 'TestReplicaCalcConfigurableToleranceCM', current: 3, kind: 'pods', tolerances: [0.1, 0.01], levels: [20000, 21000, 21000], target: 20000, expected: 4, usage: 20666 },
  { name: 'TestReplicaCalcConfigurableToleranceCMObject', current: 3, kind: 'object', tolerances: [0.1, 0.01], levels: [20666], target: 20000, expected: 4, readyPods: 3 },
  { name: 'TestReplicaCalcConfigurableTolerancePerPodCMObject', current: 4, kind: 'objectPerPod', tolerances: [0.1, 0.01], levels: [20208], target: 5000, expected: 5 },
  { name: 'TestReplicaCalcConfigurableToleranceCMExternal', current: 3, kind: 'external', tolerances: [0.1, 0.01], levels: [8900], target: 8800, expected: 4, readyPods: 3 },
  { name: 'TestReplicaCalcConfigurableTolerancePerPodCMExternal', current: 3, kind: 'externalPerPod', tolerances: [0.1, 0.01], levels: [8600], target: 2800, expected: 4 },
  { name: 'TestPlainMetricReplicaCalcMissingMetricsNoChangeEq', current: 5, kind: 'pods', levels: [20000, 19000, 21000], target: 20000, expected: 5, usage: 20000 },
  {
    name: 'TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM',
    current: 2,
    kind: 'pods',
    phase: ['Running', 'Running', 'Running'],
    levels: [10000, 10000],
    target: 17000,
    expected: 2,
    usage: 10000,
  },
];

describe('replica_calculator_test.go Pods, Object and External rows, with pods, through decide()', () => {
  it.each(metricRows)('$name → $expected', async (r) => {
    const count = Math.max(r.current, r.phase?.length ?? 0);
    const perPod = r.kind === 'pods';
    const pods: HpaPodInput[] = Array.from({ length: count }, (_, i) => ({
      name: `test-pod-${i}`,
      phase: r.phase?.[i] ?? 'Running',
      ready: r.readiness?.[i] ?? true,
      readyTransitionTime: LONG_AGO,
      startTime: r.start?.[i] ?? LONG_AGO,
      metrics: perPod && r.levels[i] !== undefined ? { qps: `${r.levels[i]}m` } : ({} as Record<string, string>),
    }));
    const q = `${r.target}m`;
    const rule: Rule =
      r.kind === 'pods'
        ? { metric: 'qps', source: 'Pods', target: { type: 'AverageValue', averageValue: q } }
        : r.kind === 'object' || r.kind === 'external'
          ? { metric: 'qps', source: r.kind === 'object' ? 'Object' : 'External', target: { type: 'Value', value: q } }
          : { metric: 'qps', source: r.kind === 'objectPerPod' ? 'Object' : 'External', target: { type: 'AverageValue', averageValue: q } };
    // Object and External values reach the engine as one series: the object's value, or the external series' sum.
    const metrics: Record<string, number> = perPod ? {} : { qps: r.levels.reduce((a, b) => a + b, 0) / 1000 };
    const { d, metric: m } = await run(rule, r.current, pods, { ...(r.tolerances && { tolerances: r.tolerances }), metrics });
    expect(m.ok && m.replicas).toBe(r.expected);
    if (r.usage !== undefined) expect(m.value).toBe(r.usage / 1000);
    if (r.readyPods !== undefined) expect(m.readyPods).toBe(r.readyPods);
    expect(d.to).toBe(r.expected);
  });
});

// ---------------------------------------------------------------------------------------------
// TestGroupPods, observed in the trace of a Resource AverageValue metric (GetRawResourceReplicas
// groups pods as GetResourceReplicas does, and needs no requests). Go's time.Now() is T0.

interface GroupRow {
  name: string;
  resource: 'cpu' | 'memory';
  pods: HpaPodInput[];
  ready: number;
  unready: string[];
  missing: string[];
  ignored: string[];
}
const ago = (ms: number): string => iso(T0 - ms);
const sample = (timestamp: string, windowSeconds: number) => ({ value: '1m', timestamp, windowSeconds });
/** PodMetric{Value: 1}: Go's zero timestamp and zero window. */
const bare = sample(LONG_AGO, 0);

const groupRows: GroupRow[] = [
  {
    name: 'count in a ready pod - memory',
    resource: 'memory',
    pods: [{ name: 'bentham', phase: 'Succeeded', metrics: { memory: sample(HOT, 60) } }],
    ready: 1,
    unready: [],
    missing: [],
    ignored: [],
  },
  {
    name: 'unready a pod without ready condition - CPU',
    resource: 'cpu',
    pods: [{ name: 'lucretius', phase: 'Succeeded', startTime: HOT, metrics: { cpu: bare } }],
    ready: 0,
    unready: ['lucretius'],
    missing: [],
    ignored: [],
  },
  {
    name: 'count in a ready pod with fresh metrics during initialization period - CPU',
    resource: 'cpu',
    pods: [{ name: 'bentham', phase: 'Succeeded', startTime: ago(MIN), ready: true, readyTransitionTime: ago(30 * SEC), metrics: { cpu: sample(HOT, 30) } }],
    ready: 1,
    unready: [],
    missing: [],
    ignored: [],
  },
  {
    name: 'unready a ready pod without fresh metrics during initialization period - CPU',
    resource: 'cpu',
    pods: [{ name: 'bentham', phase: 'Succeeded', startTime: ago(MIN), ready: true, readyTransitionTime: ago(30 * SEC), metrics: { cpu: sample(HOT, 60) } }],
    ready: 0,
    unready: ['bentham'],
    missing: [],
    ignored: [],
  },
  {
    name: 'unready an unready pod during initialization period - CPU',
    resource: 'cpu',
    pods: [{ name: 'lucretius', phase: 'Succeeded', startTime: ago(10 * MIN), ready: false, readyTransitionTime: ago(9 * MIN + 54 * SEC), metrics: { cpu: bare } }],
    ready: 0,
    unready: ['lucretius'],
    missing: [],
    ignored: [],
  },
  {
    name: 'count in a ready pod without fresh metrics after initialization period - CPU',
    resource: 'cpu',
    pods: [{ name: 'bentham', phase: 'Succeeded', startTime: ago(3 * MIN), ready: true, readyTransitionTime: ago(3 * MIN), metrics: { cpu: sample(ago(2 * MIN), 60) } }],
    ready: 1,
    unready: [],
    missing: [],
    ignored: [],
  },
  {
    name: 'count in an unready pod that was ready after initialization period - CPU',
    resource: 'cpu',
    pods: [{ name: 'lucretius', phase: 'Succeeded', startTime: ago(10 * MIN), ready: false, readyTransitionTime: ago(9 * MIN), metrics: { cpu: bare } }],
    ready: 1,
    unready: [],
    missing: [],
    ignored: [],
  },
  {
    name: 'unready pod that has never been ready after initialization period - CPU',
    resource: 'cpu',
    pods: [{ name: 'lucretius', phase: 'Succeeded', startTime: ago(10 * MIN), ready: false, readyTransitionTime: ago(9 * MIN + 50 * SEC), metrics: { cpu: bare } }],
    ready: 1,
    unready: [],
    missing: [],
    ignored: [],
  },
  { name: 'a missing pod', resource: 'cpu', pods: [{ name: 'epicurus', phase: 'Succeeded', startTime: ago(3 * MIN) }], ready: 0, unready: [], missing: ['epicurus'], ignored: [] },
  {
    name: 'several pods',
    resource: 'cpu',
    pods: [
      { name: 'lucretius', phase: 'Succeeded', startTime: HOT, metrics: { cpu: bare } },
      { name: 'niccolo', phase: 'Succeeded', startTime: ago(3 * MIN), ready: true, readyTransitionTime: ago(3 * MIN), metrics: { cpu: bare } },
      { name: 'epicurus', phase: 'Succeeded', startTime: ago(3 * MIN) },
    ],
    ready: 1,
    unready: ['lucretius'],
    missing: ['epicurus'],
    ignored: [],
  },
  { name: 'pending pods are unreadied', resource: 'cpu', pods: [{ name: 'unscheduled', phase: 'Pending' }], ready: 0, unready: ['unscheduled'], missing: [], ignored: [] },
  {
    name: 'ignore pods with deletion timestamps',
    resource: 'cpu',
    pods: [{ name: 'deleted', phase: 'Pending', deletionTimestamp: '1970-01-01T00:00:01Z', metrics: { cpu: bare } }],
    ready: 0,
    unready: [],
    missing: [],
    ignored: ['deleted'],
  },
  {
    name: 'ignore pods in a failed state',
    resource: 'cpu',
    pods: [{ name: 'failed', phase: 'Failed', metrics: { cpu: bare } }],
    ready: 0,
    unready: [],
    missing: [],
    ignored: ['failed'],
  },
];

describe('replica_calculator_test.go TestGroupPods, through decide() (the grouping in the trace)', () => {
  it.each(groupRows)('TestGroupPods/$name', async (r) => {
    const { metric: m } = await run({ metric: r.resource, source: 'Resource', target: { type: 'AverageValue', averageValue: '1m' } }, 1, r.pods, {
      tolerances: [0.1, 0.1],
    });
    expect(m.pods).toMatchObject({ ready: r.ready, unreadyPods: r.unready, missingPods: r.missing, ignoredPods: r.ignored });
    expect(m.pods).toMatchObject({ unready: r.unready.length, missing: r.missing.length, ignored: r.ignored.length });
    // A ready pod's sample decides; none left is replica_calculator.go's "did not receive metrics for targeted pods".
    if (r.ready === 0) expect(m).toMatchObject({ ok: false, code: 'NoReadyPodMetrics' });
    else expect(m.ok).toBe(true);
  });

  it('TestGroupPods/void: an empty pod list is "no pods returned by selector"', async () => {
    const { metric: m, d } = await run({ metric: 'cpu', source: 'Resource', target: { type: 'AverageValue', averageValue: '1m' } }, 1, []);
    expect(m).toMatchObject({ ok: false, code: 'NoPods' });
    expect(d.to).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------
// Where Kubernetes is silent or the request has a say: edgescale's choices (docs/hpa.md "Pods as input")

async function batch(body: unknown) {
  const outcome = await evaluateBatch(body, resolveBundled, T0);
  if (!outcome.ok) throw new Error(`batch refused: ${JSON.stringify(outcome.error)}`);
  return outcome.results;
}

describe('pods as input: the request, the settings and the trace', () => {
  it("docs/hpa.md's example decides 4 → 5, with the trace and the reason the page shows", async () => {
    const doc = readFileSync('docs/hpa.md', 'utf8');
    const block = /<!-- pods-example[^>]*-->\n```json\n([\s\S]*?)\n```/.exec(doc);
    expect(block).not.toBeNull();
    const [r] = await batch(JSON.parse(block![1]!));
    if (!r?.ok) throw new Error(JSON.stringify(r));
    expect([r.decision.action, r.decision.from, r.decision.to]).toEqual(['scaleOut', 4, 5]);
    const shown = /The trace of the\nmetric[^\n]*\n\n(?:<!-- fragment -->\n)?```json\n([\s\S]*?)\n```/.exec(doc);
    expect(r.decision.trace.policies?.targetTracking?.metrics[0]).toMatchObject(JSON.parse(shown![1]!) as object);
    const reason = /and the reason reads: "([^"]+)"/.exec(doc)![1]!.replace(/\s+/g, ' ');
    expect(r.decision.reason).toBe(reason);
  });

  it('a duplicate pod name is an issue with its path, not an exception', async () => {
    const [r] = await batch({ now: iso(T0), targets: [{ id: 'a', ruleSet: 'web-tier', capacity: 2, pods: [{ name: 'p' }, { name: 'q' }, { name: 'p' }] }] });
    expect(r?.ok).toBe(false);
    expect(r && !r.ok && r.error).toMatchObject({ code: 'SchemaViolation', path: 'targets[0].pods[2].name', message: 'pod name "p" appears twice' });
  });

  it('a bad phase, instant or field is an issue per field', async () => {
    const pods = [{ name: 'p', phase: 'Sleeping', startTime: 'yesterday', extra: 1 }];
    const [r] = await batch({ now: iso(T0), targets: [{ id: 'a', ruleSet: 'web-tier', capacity: 2, pods }] });
    const paths = r && !r.ok ? r.error.issues?.map((i) => i.path) : [];
    expect(paths).toEqual(['targets[0].pods[0].phase', 'targets[0].pods[0].startTime', 'targets[0].pods[0]']);
  });

  // A ready pod 4 minutes after its start, ready for 30 s, whose sample covers 60 s: inside the default
  // 5m initialization period its sample does not yet cover a full window since readiness (unready, and at
  // 0 on this scale-up: 45%, ratio 0.9, the edge of the band); with a 2m period it counts: 90% → 4.
  const initPods: HpaPodInput[] = [
    { name: 'old', ready: true, startTime: ago(60 * MIN), readyTransitionTime: ago(59 * MIN), requests: { cpu: 1 }, metrics: { cpu: 0.9 } },
    { name: 'new', ready: true, startTime: ago(4 * MIN), readyTransitionTime: ago(30 * SEC), requests: { cpu: 1 }, metrics: { cpu: 0.9 } },
  ];
  async function withController(hpaController: Record<string, unknown> | undefined, pods: HpaPodInput[], averageUtilization = 50) {
    const ruleSet = {
      id: 'ctl',
      capacity: { minimum: 1, maximum: 20, default: 1 },
      rules: [],
      targetTracking: [{ id: 'cpu', metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization } }],
      behavior: PERMISSIVE,
      ...(hpaController && { hpaController }),
    };
    const [r] = await batch({ now: iso(T0), targets: [{ id: 'a', ruleSet, capacity: 2, pods, state: { hpa: {} } }] });
    if (!r?.ok) throw new Error(JSON.stringify(r));
    return r.decision;
  }

  it('the cpu initialization period defaults to 5 minutes (kube-controller-manager) and is settable', async () => {
    const byDefault = await withController(undefined, initPods);
    expect(byDefault.trace.policies?.targetTracking?.metrics[0]).toMatchObject({
      value: 90,
      pods: { ready: 1, unreadyPods: ['new'], rebalance: { ratio: 0.9, pods: 2, outcome: 'WithinTolerance' } },
    });
    expect(byDefault.to).toBe(2);
    const short = await withController({ cpuInitializationPeriodSeconds: 120 }, initPods);
    expect(short.trace.policies?.targetTracking?.metrics[0]).toMatchObject({ value: 90, pods: { ready: 2, unready: 0 } });
    expect(short.to).toBe(4);
  });

  it('the initial readiness delay defaults to 30 s: a pod unready since 20 s after its start has never been ready', async () => {
    const pods: HpaPodInput[] = [
      { name: 'old', ready: true, startTime: ago(60 * MIN), readyTransitionTime: ago(59 * MIN), requests: { cpu: 1 }, metrics: { cpu: 0.2 } },
      { name: 'flaky', ready: false, startTime: ago(10 * MIN), readyTransitionTime: ago(10 * MIN - 20 * SEC), requests: { cpu: 1 }, metrics: { cpu: 0.2 } },
    ];
    const byDefault = await withController(undefined, pods);
    expect(byDefault.trace.policies?.targetTracking?.metrics[0]?.pods).toMatchObject({ ready: 1, unreadyPods: ['flaky'] });
    const short = await withController({ initialReadinessDelaySeconds: 10 }, pods);
    expect(short.trace.policies?.targetTracking?.metrics[0]?.pods).toMatchObject({ ready: 2, unreadyPods: [] });
  });

  it("hpaController.tolerance is the controller's tolerance, with or without pods; behavior's tolerance still wins", async () => {
    // 115% of a 100% target: outside 0.1, inside 0.2.
    const pods: HpaPodInput[] = ['a', 'b'].map((name) => ({ name, ready: true, startTime: ago(60 * MIN), requests: { cpu: 1 }, metrics: { cpu: 1.15 } }));
    const tolerant = await withController({ tolerance: '200m' }, pods, 100);
    expect(tolerant.trace.policies?.targetTracking?.metrics[0]).toMatchObject({ verdict: 'WithinTolerance', tolerances: { scaleUp: 0.2, scaleDown: 0.2 } });
    expect((await withController(undefined, pods, 100)).trace.policies?.targetTracking?.metrics[0]).toMatchObject({ verdict: 'OutsideTolerance', replicas: 3 });
    const set = compile({
      id: 'agg',
      capacity: { minimum: 1, maximum: 20, default: 1 },
      rules: [],
      targetTracking: [{ id: 'cpu', metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 100 } }],
      hpaController: { tolerance: 0.2 },
      behavior: { ...PERMISSIVE, scaleUp: { ...PERMISSIVE.scaleUp, tolerance: 0.05 } },
    });
    const d = await decide(set, { id: 'a', capacity: 2, metrics: { cpu: 115 }, state: DecisionState.parse({ hpa: {} }) }, T0);
    expect(d.trace.policies?.targetTracking?.metrics[0]).toMatchObject({ tolerances: { scaleUp: 0.05, scaleDown: 0.2 }, replicas: 3 });
  });

  it('a metric no pod reports but the target sends as a series is read from the series; Value targets still count ready pods', async () => {
    const set = compile({
      id: 'mixed',
      capacity: { minimum: 1, maximum: 20, default: 1 },
      rules: [],
      targetTracking: [
        { id: 'cpu', metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 50 } },
        { id: 'queue', metric: 'queue', source: 'External', target: { type: 'Value', value: 10 } },
      ],
      behavior: PERMISSIVE,
    });
    const pods: HpaPodInput[] = [
      { name: 'a', ready: true },
      { name: 'b', ready: false },
      { name: 'c', phase: 'Pending' },
    ];
    const d = await decide(set, { id: 't', capacity: 3, metrics: { cpu: 60, queue: 30 }, pods, state: DecisionState.parse({ hpa: {} }) }, T0);
    const [cpu, queue] = d.trace.policies!.targetTracking!.metrics;
    // cpu: the series' 60% over the 3 current replicas, ceil(1.2 × 3) = 4, no grouping.
    expect(cpu).toMatchObject({ ok: true, replicas: 4, value: 60 });
    expect(cpu?.pods).toBeUndefined();
    // queue: ratio 3 × the one Running and ready pod.
    expect(queue).toMatchObject({ ok: true, replicas: 3, readyPods: 1 });
    expect(d.to).toBe(4);
  });

  it('an empty pod list fails an Object/External Value metric outside its tolerance as getReadyPodsCount does', async () => {
    const { metric: m, d } = await run({ metric: 'queue', source: 'External', target: { type: 'Value', value: 10 } }, 3, [], { metrics: { queue: 30 } });
    expect(m).toMatchObject({ ok: false, code: 'NoPods' });
    expect(d.to).toBe(3);
    const inside = await run({ metric: 'queue', source: 'External', target: { type: 'Value', value: 10 } }, 3, [], { metrics: { queue: 10.5 } });
    expect(inside.metric).toMatchObject({ ok: true, replicas: 3, verdict: 'WithinTolerance' });
  });

  it('requests that sum to 0 are "no metrics returned matched known pods" (utilization.go), not a division by zero', async () => {
    const pods: HpaPodInput[] = [{ name: 'a', ready: true, startTime: LONG_AGO, requests: { cpu: 0 }, metrics: { cpu: 0.5 } }];
    const { metric: m, d } = await run({ metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 50 } }, 2, pods);
    expect(m).toMatchObject({ ok: false, code: 'NoMatchingRequests', pods: { ready: 1 } });
    expect(d.to).toBe(2);
  });

  it('a metric no pod reports is missing data, as a series without points: the missing-data policy sees it', async () => {
    const set = compile({
      id: 'md',
      capacity: { minimum: 1, maximum: 10, default: 5 },
      rules: [],
      missingData: { policy: 'azure' },
      targetTracking: [{ id: 'cpu', metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 50 } }],
      behavior: PERMISSIVE,
    });
    const state = DecisionState.parse({ hpa: {} });
    const withPods = await decide(set, { id: 't', capacity: 2, metrics: {}, pods: [{ name: 'a', ready: true, requests: { cpu: 1 } }], state }, T0);
    const without = await decide(set, { id: 't', capacity: 2, metrics: {}, state }, T0);
    expect(withPods.trace.missingData?.metrics).toEqual(['cpu']);
    expect(withPods.trace.policies?.targetTracking?.metrics[0]).toMatchObject({ ok: false, code: 'NoReadyPodMetrics', pods: { missing: 1 } });
    expect([withPods.to, without.to]).toEqual([5, 5]);
  });

  // horizontal.go hands GetObjectPerPodMetricReplicas / GetExternalPerPodMetricReplicas scale.status.replicas;
  // with pods it is their count as the ReplicaSet controller keeps it (controller_utils.go IsPodActive).
  it.each([
    { name: 'TestReplicaCalcScaleUpPerPodCMExternal with a Failed and a deleted pod beside the 3: status 3 → 4', extra: 2, surge: 0, status: 3, expected: 4 },
    { name: 'the same during a surge of one Pending pod: status 4, ratio 8.6 ÷ (2.15 × 4) = 1, within → 4', extra: 0, surge: 1, status: 4, expected: 4 },
  ])('External AverageValue divides by the active pods: $name', async (c) => {
    const pods: HpaPodInput[] = [
      ...['a', 'b', 'c'].map((name) => ({ name, ready: true })),
      ...(c.extra
        ? [
            { name: 'failed', phase: 'Failed' as const },
            { name: 'leaving', ready: true, deletionTimestamp: iso(T0) },
          ]
        : []),
      ...(c.surge ? [{ name: 'surge', phase: 'Pending' as const }] : []),
    ];
    const { metric: m } = await run({ metric: 'qps', source: 'External', target: { type: 'AverageValue', averageValue: '2150m' } }, 3, pods, { metrics: { qps: 8.6 } });
    expect(m).toMatchObject({ ok: true, replicas: c.expected, statusReplicas: c.status });
  });

  it('the decision id covers the pods, whatever the spelling of their quantities and instants', async () => {
    const rule: Rule = { metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 50 } };
    const a: HpaPodInput[] = [{ name: 'a', ready: true, startTime: LONG_AGO, requests: { cpu: '500m' }, metrics: { cpu: 0.25 } }];
    const b: HpaPodInput[] = [{ name: 'a', ready: true, startTime: '2000-01-01T01:00:00+01:00', requests: { cpu: 0.5 }, metrics: { cpu: '250m' } }];
    const c: HpaPodInput[] = [{ name: 'a', ready: false, startTime: LONG_AGO, requests: { cpu: '500m' }, metrics: { cpu: 0.25 } }];
    const [da, db, dc] = await Promise.all([run(rule, 1, a), run(rule, 1, b), run(rule, 1, c)]);
    expect(db.d.decisionId).toBe(da.d.decisionId);
    expect(dc.d.decisionId).not.toBe(da.d.decisionId);
  });

  it('hpaController is reported by the HPA and Azure exporters, which have no field for it', () => {
    const spec = {
      id: 'x',
      capacity: { minimum: 1, maximum: 5, default: 1 },
      rules: [],
      targetTracking: [{ id: 'cpu', metric: 'cpu', target: { type: 'Utilization' as const, averageUtilization: 50 } }],
      hpaController: { tolerance: 0.2 },
    };
    const hpa = exportHpaManifest(spec);
    const azure = exportAzureAutoscale(spec);
    expect(hpa.ok && hpa.unsupported.map((u) => u.field)).toContain('hpaController');
    expect(azure.ok && azure.unsupported.map((u) => u.field)).toContain('hpaController');
  });
});

describe('docs/hpa.md "Pods as input" codes table', () => {
  it('names exactly HPA_POD_REBALANCE_OUTCOMES and the metric codes a pod list adds', () => {
    const section = readFileSync('docs/hpa.md', 'utf8').split('## Pods as input')[1]!.split('\n## ')[0]!;
    const rows = [...section.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()] as const);
    const outcomes = rows.filter(([, where]) => where === '`pods.rebalance.outcome`').map(([c]) => c);
    const codes = rows.filter(([, where]) => where === 'metric `code`').map(([c]) => c);
    expect(outcomes).toEqual([...HPA_POD_REBALANCE_OUTCOMES]);
    expect(codes.every((c) => (HPA_METRIC_ERROR_CODES as readonly string[]).includes(c))).toBe(true);
    expect(codes.sort()).toEqual(['MissingRequest', 'NoMatchingRequests', 'NoPods', 'NoReadyPodMetrics']);
  });
});
