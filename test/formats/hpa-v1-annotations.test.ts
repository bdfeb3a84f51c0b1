// Kubernetes HPA inputs the importer used to get wrong (issue 17, Kubernetes findings), each with its upstream source:
//
// - autoscaling/v1 as `kubectl get hpa.v1.autoscaling -o yaml` prints an HPA created in autoscaling/v2: the
//   metrics v1 cannot express go to the annotation autoscaling.alpha.kubernetes.io/metrics (v1 MetricSpec,
//   v2beta1-shaped), the behavior to autoscaling.alpha.kubernetes.io/behavior (the internal type marshalled
//   without json tags), with current-metrics and conditions beside them. The reading follows
//   pkg/apis/autoscaling/v1/conversion.go, Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler:
//   annotation metrics first, then targetCPUUtilizationPercentage; CPU 80 only when both give nothing;
//   an annotation that does not decode is ignored (`err == nil` guard); a zero behavior is ignored.
// - A Pods metric with target type Value and an averageValue: validation.go validatePodsSource runs
//   validateMetricTarget (Utilization | Value | AverageValue) and requires only averageValue; horizontal.go
//   computeStatusForPodsMetric reads metricSpec.Pods.Target.AverageValue, whatever the type.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import type { ImportResult } from '../../src/formats/import-context.js';
import { importHpaManifest } from '../../src/formats/hpa-manifest.js';
import { compile } from '../helpers.js';

function imported(r: ImportResult) {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r;
}

const T = Date.parse('2026-11-23T17:00:00Z');

/** A memory-60 HPA (autoscaling/v2, one Resource memory Utilization 60 metric) read back through autoscaling/v1. */
const V1_MEMORY_60 = `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  annotations:
    autoscaling.alpha.kubernetes.io/conditions: '[{"type":"AbleToScale","status":"True","lastTransitionTime":"2026-11-20T09:12:03Z","reason":"ReadyForNewScale","message":"recommended size matches current size"},{"type":"ScalingActive","status":"True","lastTransitionTime":"2026-11-20T09:12:03Z","reason":"ValidMetricFound","message":"the HPA was able to successfully calculate a replica count from memory resource utilization (percentage of request)"}]'
    autoscaling.alpha.kubernetes.io/current-metrics: '[{"type":"Resource","resource":{"name":"memory","currentAverageUtilization":41,"currentAverageValue":"110047232"}}]'
    autoscaling.alpha.kubernetes.io/metrics: '[{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":60}}]'
  creationTimestamp: "2026-11-20T09:11:48Z"
  name: web
  namespace: shop
  resourceVersion: "48121"
  uid: 0b6f3c8e-4f3a-4d55-9a43-0c1a3c9d7e21
spec:
  maxReplicas: 10
  minReplicas: 2
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
status:
  currentReplicas: 2
  desiredReplicas: 2
  lastScaleTime: "2026-11-20T09:12:03Z"
`;

/** CPU 50 and a Pods metric in v2, with behavior, read back through v1 (Go field names in the behavior annotation). */
const V1_CPU_AND_PODS = `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  annotations:
    autoscaling.alpha.kubernetes.io/behavior: '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null},"ScaleDown":{"StabilizationWindowSeconds":600,"SelectPolicy":"Max","Policies":[{"Type":"Percent","Value":10,"PeriodSeconds":60}],"Tolerance":null}}'
    autoscaling.alpha.kubernetes.io/metrics: '[{"type":"Pods","pods":{"metricName":"packets-per-second","targetAverageValue":"1k"}}]'
  name: php-apache
  namespace: default
spec:
  maxReplicas: 10
  minReplicas: 1
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: php-apache
  targetCPUUtilizationPercentage: 50
`;

describe('autoscaling/v1 with the autoscaling.alpha.kubernetes.io/metrics annotation (conversion.go)', () => {
  it('a memory-60 HPA imports as memory Utilization 60, not as the default CPU 80', () => {
    const r = imported(importHpaManifest(V1_MEMORY_60));
    expect(r.ruleSet.targetTracking).toEqual([{ id: 'resource-memory', metric: 'memory', source: 'Resource', target: { type: 'Utilization', averageUtilization: 60 } }]);
    expect(r.notes.join('\n')).not.toMatch(/CPU at 80/);
    expect(r.ruleSet.capacity).toEqual({ minimum: 2, maximum: 10, default: 2 });
  });

  it('and decides on memory: 90 % against 60 % at 4 replicas → ceil(4 × 90 / 60) = 6', async () => {
    const { ruleSet } = imported(importHpaManifest(V1_MEMORY_60));
    const d = await decide(compile(ruleSet), { id: 'Deployment/web', capacity: 4, metrics: { memory: 90 } }, T);
    expect(d.to).toBe(6);
  });

  it('annotation metrics come first, then targetCPUUtilizationPercentage (outMetrics[len(otherMetrics)] = out.Spec.Metrics[0])', () => {
    const { ruleSet } = imported(importHpaManifest(V1_CPU_AND_PODS));
    expect(ruleSet.targetTracking).toEqual([
      { id: 'pods-packets-per-second', metric: 'packets-per-second', source: 'Pods', target: { type: 'AverageValue', averageValue: '1k' } },
      { id: 'resource-cpu', metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 50 } },
    ]);
  });

  it('the behavior annotation (Go field names, null Tolerance) becomes behavior', () => {
    const { ruleSet } = imported(importHpaManifest(V1_CPU_AND_PODS));
    expect(ruleSet.behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
    });
  });

  it('an annotation that does not decode is ignored, as conversion.go ignores it, and reported', () => {
    const text = V1_MEMORY_60.replace(`'[{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":60}}]'`, `'not json'`);
    const r = imported(importHpaManifest(text));
    expect(r.ruleSet.targetTracking).toEqual([{ id: 'resource-cpu', metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 80 } }]);
    expect(r.unsupported).toContainEqual(expect.objectContaining({ path: 'metadata.annotations["autoscaling.alpha.kubernetes.io/metrics"]' }));
  });

  it('a zero behavior ({}) is ignored: the default behavior applies', () => {
    const text = V1_CPU_AND_PODS.replace(/autoscaling\.alpha\.kubernetes\.io\/behavior: '.*'\n/, `autoscaling.alpha.kubernetes.io/behavior: '{"ScaleUp":null,"ScaleDown":null}'\n`);
    const r = imported(importHpaManifest(text));
    expect(r.ruleSet.behavior).toBeUndefined();
  });

  it('an invalid metric inside the annotation is an ImportError at its path', () => {
    const text = V1_MEMORY_60.replace('"targetAverageUtilization":60', '"targetAverageUtilization":"sixty"');
    const r = importHpaManifest(text);
    expect(r.ok).toBe(false);
    // Converted (conversion.go) and validated as the API server does: the message has Kubernetes' internal path.
    if (!r.ok) {
      expect(r.issues[0]).toMatchObject({
        path: 'metadata.annotations["autoscaling.alpha.kubernetes.io/metrics"][0].resource.targetAverageUtilization',
        message: 'spec.metrics[0].resource.target.averageUtilization: Invalid value: "sixty": must be a whole number',
      });
    }
  });
});

describe('a Pods metric with target type Value and averageValue (validation.go validatePodsSource)', () => {
  const manifest = (target: Record<string, unknown>) => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'worker' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'worker' }, maxReplicas: 20, metrics: [{ type: 'Pods', pods: { metric: { name: 'jobs_in_flight' }, target } }] },
  });

  it('is accepted and read as AverageValue of averageValue, as computeStatusForPodsMetric reads it', async () => {
    const r = imported(importHpaManifest(manifest({ type: 'Value', averageValue: '5' })));
    expect(r.ruleSet.targetTracking).toEqual([{ id: 'pods-jobs-in-flight', metric: 'jobs_in_flight', source: 'Pods', target: { type: 'AverageValue', averageValue: '5' } }]);
    expect(r.notes.join('\n')).toMatch(/target type Value is read as AverageValue 5/);
    // 7 per pod against 5 at 4 replicas → ceil(4 × 7 / 5) = 6.
    const d = await decide(compile(r.ruleSet), { id: 'Deployment/worker', capacity: 4, metrics: { jobs_in_flight: 7 } }, T);
    expect(d.to).toBe(6);
  });

  it('a value beside it is reported as not read', () => {
    const r = imported(importHpaManifest(manifest({ type: 'Value', value: '50', averageValue: '5' })));
    expect(r.unsupported).toContainEqual(expect.objectContaining({ path: 'spec.metrics[0].pods.target.value', field: 'value' }));
  });

  it('without averageValue it is refused, as Kubernetes refuses it', () => {
    const r = importHpaManifest(manifest({ type: 'Value', value: '5' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ path: 'spec.metrics[0].pods.target.averageValue' });
  });
});

describe('kubectl get hpa -o yaml: a List of two HPAs', () => {
  const LIST = `apiVersion: v1
items:
- apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata:
    name: api
    namespace: shop
  spec:
    maxReplicas: 6
    minReplicas: 2
    metrics:
    - resource:
        name: cpu
        target:
          averageUtilization: 70
          type: Utilization
      type: Resource
    scaleTargetRef:
      apiVersion: apps/v1
      kind: Deployment
      name: api
- apiVersion: autoscaling/v2
  kind: HorizontalPodAutoscaler
  metadata:
    name: worker
    namespace: shop
  spec:
    maxReplicas: 20
    minReplicas: 1
    metrics:
    - pods:
        metric:
          name: jobs_in_flight
        target:
          averageValue: "5"
          type: AverageValue
      type: Pods
    scaleTargetRef:
      apiVersion: apps/v1
      kind: Deployment
      name: worker
kind: List
metadata:
  resourceVersion: ""
`;

  it('without a name: an error listing both names', () => {
    const r = importHpaManifest(LIST);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toMatch(/2 HorizontalPodAutoscalers \(api, worker\): choose one by name/);
  });

  it('with a name: that one, the other reported as left out', () => {
    const r = imported(importHpaManifest(LIST, { name: 'worker' }));
    expect(r.ruleSet.id).toBe('worker');
    expect(r.unsupported).toContainEqual(expect.objectContaining({ path: 'items[0].metadata.name' }));
  });
});
