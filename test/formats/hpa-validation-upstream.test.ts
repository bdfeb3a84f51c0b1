// Kubernetes' own HPA validation tests replayed row by row through importHpaManifest: each Go row written as the autoscaling/v2 manifest it stands for.
//
// Sources (kubernetes/kubernetes):
// - pkg/apis/autoscaling/validation/validation_test.go, read at sanposhiho/kubernetes
//   059ce4e8a1d958959595b970acaf846259348518 (a mirror of upstream with its import paths rewritten; the
//   upstream copies stored for kubernetes/kubernetes itself are older): TestValidateBehavior,
//   TestValidateHorizontalPodAutoscaler (successCases, errorCases, the sourceTypes matrix),
//   prepareMinReplicasCases and TestValidateHorizontalPodAutoscalerScaleToZeroEnabled. A row passes as
//   upstream's does: no issue for a success case; for an error case the first issue's message contains the
//   row's msg (`strings.Contains(errs[0].Error(), c.msg)`).
// - pkg/apis/autoscaling/validation/validation.go at jpbetz/kubernetes 84d89e453ca553e172bfa807afea96b7e908c0b7
//   (with kubernetes#132537): the rows marked "validation.go" check rules that file has and the test file
//   above predates (maxReplicas 0 is Required, apiVersion, tolerance).
// - pkg/controller/podautoscaler/horizontal.go computeStatusFor{Resource,External,Object,Pods}Metric: how
//   an accepted target is read.
// Written differently from the Go rows, and why:
// - behavior rows without policies: the Go rows leave Policies nil on the internal type, which the API
//   server's defaulting (v2 defaults.go copyHPAScalingRules) would fill before validating a manifest; the
//   manifest writes `policies: []`, which defaulting keeps, to reach the same check.
// - minReplicas: edgescale validates as a cluster with the HPAScaleToZero gate on (hpa-validation.ts), so
//   the row "minReplicas -1" reads "must be greater than or equal to 0" where the gate-off Go row reads 1;
//   TestValidateHorizontalPodAutoscalerScaleToZeroDisabled is not replayed.
// - Go's quantities resource.NewMilliQuantity(300) are written "300m".
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import type { ImportResult } from '../../src/formats/import-context.js';
import { importHpaManifest } from '../../src/formats/hpa-manifest.js';
import { compile } from '../helpers.js';

type Json = Record<string, unknown>;

const RC = { kind: 'ReplicationController', name: 'myrc' };
const hpa = (spec: Json): Json => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'myautoscaler', namespace: 'default' },
  spec: { scaleTargetRef: RC, minReplicas: 1, maxReplicas: 5, ...spec },
});
const withMetric = (metric: Json, spec: Json = {}): Json => hpa({ metrics: [metric], ...spec });
const cpuUtil70 = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };
const selector = { matchLabels: { label: 'value' } };

function messages(r: ImportResult): string[] {
  return r.ok ? [] : r.issues.map((i) => i.message);
}
function imported(r: ImportResult) {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r;
}

describe('validation_test.go TestValidateHorizontalPodAutoscaler: success cases are imported', () => {
  it.each([
    { name: 'Resource cpu Utilization 70', m: cpuUtil70 },
    { name: 'no metrics', m: undefined },
    { name: 'Resource cpu AverageValue 300m', m: { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '300m' } } } },
    { name: 'Pods somemetric AverageValue 300m', m: { type: 'Pods', pods: { metric: { name: 'somemetric' }, target: { type: 'AverageValue', averageValue: '300m' } } } },
    {
      name: 'ContainerResource cpu/test-container Utilization 70',
      m: { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'test-container', target: { type: 'Utilization', averageUtilization: 70 } } },
    },
    {
      name: 'ContainerResource cpu/test-container AverageValue 300m',
      m: { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'test-container', target: { type: 'AverageValue', averageValue: '300m' } } },
    },
    {
      name: 'Object ReplicationController/myrc somemetric Value 300m',
      m: { type: 'Object', object: { describedObject: RC, metric: { name: 'somemetric' }, target: { type: 'Value', value: '300m' } } },
    },
    {
      name: 'External somemetric (selector) Value 300m',
      m: { type: 'External', external: { metric: { name: 'somemetric', selector }, target: { type: 'Value', value: '300m' } } },
    },
    {
      name: 'External somemetric (selector) AverageValue 300m',
      m: { type: 'External', external: { metric: { name: 'somemetric', selector }, target: { type: 'AverageValue', averageValue: '300m' } } },
    },
  ])('$name', ({ m }) => {
    const r = importHpaManifest(m === undefined ? hpa({}) : withMetric(m));
    expect(messages(r)).toEqual([]);
  });
});

describe('validation_test.go TestValidateHorizontalPodAutoscaler: error cases are refused, the first issue naming the upstream message', () => {
  const containerCpu = (target: Json, extra: Json = {}) => ({ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'test-application', target, ...extra } });
  const external = (metric: Json, target?: Json) => ({ type: 'External', external: { metric, ...(target && { target }) } });
  it.each([
    { name: 'scaleTargetRef without kind', manifest: hpa({ scaleTargetRef: { name: 'myrc' }, metrics: [cpuUtil70] }), msg: 'scaleTargetRef.kind: Required' },
    {
      name: 'scaleTargetRef without kind (ContainerResource)',
      manifest: hpa({ scaleTargetRef: { name: 'myrc' }, metrics: [containerCpu({ type: 'Utilization', averageUtilization: 70 })] }),
      msg: 'scaleTargetRef.kind: Required',
    },
    { name: 'scaleTargetRef kind ".."', manifest: hpa({ scaleTargetRef: { kind: '..', name: 'myrc' }, metrics: [cpuUtil70] }), msg: 'scaleTargetRef.kind: Invalid' },
    {
      name: 'scaleTargetRef kind ".." (ContainerResource)',
      manifest: hpa({ scaleTargetRef: { kind: '..', name: 'myrc' }, metrics: [containerCpu({ type: 'Utilization', averageUtilization: 70 })] }),
      msg: 'scaleTargetRef.kind: Invalid',
    },
    { name: 'scaleTargetRef without name', manifest: hpa({ scaleTargetRef: { kind: 'ReplicationController' }, metrics: [cpuUtil70] }), msg: 'scaleTargetRef.name: Required' },
    {
      name: 'scaleTargetRef without name (ContainerResource)',
      manifest: hpa({ scaleTargetRef: { kind: 'ReplicationController' }, metrics: [containerCpu({ type: 'Utilization', averageUtilization: 70 })] }),
      msg: 'scaleTargetRef.name: Required',
    },
    {
      name: 'scaleTargetRef name ".."',
      manifest: hpa({ scaleTargetRef: { kind: 'ReplicationController', name: '..' }, metrics: [cpuUtil70] }),
      msg: 'scaleTargetRef.name: Invalid',
    },
    {
      name: 'scaleTargetRef name ".." (ContainerResource)',
      manifest: hpa({ scaleTargetRef: { kind: 'ReplicationController', name: '..' }, metrics: [containerCpu({ type: 'Utilization', averageUtilization: 70 })] }),
      msg: 'scaleTargetRef.name: Invalid',
    },
    // The Go row (gate off) reads "must be greater than or equal to 1": see the header.
    { name: 'minReplicas -1', manifest: hpa({ scaleTargetRef: {}, minReplicas: -1 }), msg: 'must be greater than or equal to 0' },
    { name: 'minReplicas 7 > maxReplicas 5', manifest: hpa({ scaleTargetRef: {}, minReplicas: 7 }), msg: 'must be greater than or equal to `minReplicas`' },
    {
      name: 'Resource with averageUtilization and averageValue',
      manifest: withMetric({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70, averageValue: '300m' } } }),
      msg: 'may not set both a target raw value and a target utilization',
    },
    {
      name: 'ContainerResource with averageUtilization and averageValue',
      manifest: withMetric(containerCpu({ type: 'Utilization', averageUtilization: 70, averageValue: '300m' })),
      msg: 'may not set both a target raw value and a target utilization',
    },
    {
      name: 'Resource without a name',
      manifest: withMetric({ type: 'Resource', resource: { target: { type: 'Utilization', averageUtilization: 70 } } }),
      msg: 'must specify a resource name',
    },
    {
      name: 'ContainerResource without a name',
      manifest: withMetric({ type: 'ContainerResource', containerResource: { container: 'test-application', target: { type: 'Utilization', averageUtilization: 70 } } }),
      msg: 'must specify a resource name',
    },
    {
      name: 'ContainerResource named InvalidResource',
      manifest: withMetric({
        type: 'ContainerResource',
        containerResource: { name: 'InvalidResource', container: 'test-application', target: { type: 'Utilization', averageUtilization: 70 } },
      }),
      msg: 'Invalid value: "InvalidResource": must be a standard resource type or fully qualified',
    },
    {
      name: 'Resource averageUtilization -10',
      manifest: withMetric({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: -10 } } }),
      msg: 'must be greater than 0',
    },
    { name: 'ContainerResource averageUtilization -10', manifest: withMetric(containerCpu({ type: 'Utilization', averageUtilization: -10 })), msg: 'must be greater than 0' },
    {
      name: 'ContainerResource without a container',
      manifest: withMetric({ type: 'ContainerResource', containerResource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: -10 } } }),
      msg: 'must specify a container',
    },
    {
      name: 'ContainerResource container "---***"',
      manifest: withMetric({ type: 'ContainerResource', containerResource: { name: 'cpu', container: '---***', target: { type: 'Utilization', averageUtilization: -10 } } }),
      msg: 'Invalid value: "---***"',
    },
    {
      name: 'Resource target Value without a value',
      manifest: withMetric({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Value' } } }),
      msg: 'must set either a target raw value or a target utilization',
    },
    {
      name: 'ContainerResource target Value without a value',
      manifest: withMetric(containerCpu({ type: 'Value' })),
      msg: 'must set either a target raw value or a target utilization',
    },
    {
      name: 'Pods without a metric name',
      manifest: withMetric({ type: 'Pods', pods: { metric: {}, target: { type: 'Value', averageValue: '100m' } } }),
      msg: 'must specify a metric name',
    },
    {
      name: 'Pods target Value without averageValue',
      manifest: withMetric({ type: 'Pods', pods: { metric: { name: 'somemetric' }, target: { type: 'Value' } } }),
      msg: 'must specify a positive target averageValue',
    },
    {
      name: 'Object target Value without value or averageValue',
      manifest: withMetric({ type: 'Object', object: { describedObject: RC, metric: { name: 'somemetric' }, target: { type: 'Value' } } }),
      msg: 'must set either a target value or averageValue',
    },
    {
      name: 'Object describedObject without kind',
      manifest: withMetric({ type: 'Object', object: { describedObject: { name: 'myrc' }, metric: { name: 'somemetric' }, target: { type: 'Value', value: '100m' } } }),
      msg: 'object.describedObject.kind: Required',
    },
    {
      name: 'Object without a metric name',
      manifest: withMetric({ type: 'Object', object: { describedObject: RC, target: { type: 'Value', value: '100m' } } }),
      msg: 'must specify a metric name',
    },
    { name: 'External without a metric name', manifest: withMetric(external({ selector }, { type: 'Value', value: '300m' })), msg: 'must specify a metric name' },
    { name: 'External metric name "foo/../"', manifest: withMetric(external({ name: 'foo/../', selector }, { type: 'Value', value: '300m' })), msg: "'/'" },
    {
      name: 'External target Value without a value',
      manifest: withMetric(external({ name: 'somemetric', selector }, { type: 'Value' })),
      msg: 'must set either a target value for metric or a per-pod target',
    },
    { name: 'External value -300m', manifest: withMetric(external({ name: 'somemetric', selector }, { type: 'Value', value: '-300m' })), msg: 'must be positive' },
    { name: 'External averageValue -300m', manifest: withMetric(external({ name: 'somemetric', selector }, { type: 'Value', averageValue: '-300m' })), msg: 'must be positive' },
    {
      name: 'External with value and averageValue',
      manifest: withMetric(external({ name: 'somemetric', selector }, { type: 'Value', value: '300m', averageValue: '300m' })),
      msg: 'may not set both a target value for metric and a per-pod target',
    },
    {
      name: 'External target type "boogity"',
      manifest: withMetric(external({ name: 'somemetric', selector }, { type: 'boogity', value: '300m' })),
      msg: 'must be either Utilization, Value, or AverageValue',
    },
    { name: 'External target without a type', manifest: withMetric(external({ name: 'somemetric', selector }, { value: '300m' })), msg: 'must specify a metric target type' },
    { name: 'External without a target', manifest: withMetric(external({ name: 'somemetric', selector })), msg: 'must specify a metric target' },
    { name: 'an empty metric', manifest: withMetric({}), msg: 'must specify a metric source type' },
    { name: 'metric type InvalidType', manifest: withMetric({ type: 'InvalidType' }), msg: 'type: Unsupported value' },
    {
      name: 'Resource and Pods in one metric',
      manifest: withMetric({
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '100m' } },
        pods: { metric: { name: 'somemetric' }, target: { type: 'AverageValue', averageValue: '100m' } },
      }),
      msg: 'must populate the given metric source only',
    },
  ])('$name → $msg', ({ manifest, msg }) => {
    const r = importHpaManifest(manifest);
    expect(r.ok).toBe(false);
    expect(messages(r)[0]).toContain(msg);
  });

  // The sourceTypes loop: each source's body under every other type → "must populate information for the given metric source".
  const sources: Record<string, [string, Json]> = {
    Resource: ['resource', { name: 'cpu', target: { type: 'AverageValue', averageValue: '100m' } }],
    ContainerResource: ['containerResource', { name: 'cpu', container: 'test-application', target: { type: 'AverageValue', averageValue: '100m' } }],
    Pods: ['pods', { metric: { name: 'somemetric' }, target: { type: 'AverageValue', averageValue: '100m' } }],
    Object: ['object', { describedObject: RC, metric: { name: 'somemetric' }, target: { type: 'Value', value: '100m' } }],
  };
  const pairs = Object.keys(sources).flatMap((correct) =>
    Object.keys(sources)
      .filter((t) => t !== correct)
      .map((incorrect) => ({ correct, incorrect })),
  );
  it.each(pairs)('a $correct source under type $incorrect → must populate information for the given metric source', ({ correct, incorrect }) => {
    const [key, body] = sources[correct]!;
    const r = importHpaManifest(withMetric({ type: incorrect, [key]: body }));
    expect(messages(r)[0]).toContain('must populate information for the given metric source');
    expect(r.ok ? '' : r.issues[0]!.path).toBe(`spec.metrics[0].${sources[incorrect]![0]}`);
  });
  it('runs the 12 pairs of the Go loop', () => expect(pairs).toHaveLength(12));
});

describe('validation_test.go TestValidateBehavior', () => {
  const simplePolicies = [
    { type: 'Percent', value: 10, periodSeconds: 1 },
    { type: 'Pods', value: 1, periodSeconds: 1800 },
  ];
  const four = [
    { type: 'Pods', value: 1, periodSeconds: 2 },
    { type: 'Percent', value: 3, periodSeconds: 4 },
    { type: 'Pods', value: 5, periodSeconds: 6 },
    { type: 'Percent', value: 7, periodSeconds: 8 },
  ];
  it.each([
    { name: 'no scaleUp, no scaleDown', behavior: {} },
    {
      name: 'scaleUp 3600 s Min, scaleDown 0 s Disabled',
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 3600, selectPolicy: 'Min', policies: simplePolicies },
        scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled', policies: simplePolicies },
      },
    },
    {
      name: 'four policies each way, Max, 120 s',
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 120, selectPolicy: 'Max', policies: four },
        scaleDown: { stabilizationWindowSeconds: 120, selectPolicy: 'Max', policies: four },
      },
    },
  ])('success: $name', ({ behavior }) => {
    expect(messages(importHpaManifest(withMetric(cpuUtil70, { behavior })))).toEqual([]);
  });

  const errorRows = (dir: 'scaleUp' | 'scaleDown') => [
    { rules: { selectPolicy: 'Min', policies: [] }, msg: `spec.behavior.${dir}.policies: Required value: must specify at least one Policy` },
    {
      rules: { stabilizationWindowSeconds: 3601, selectPolicy: 'Min', policies: simplePolicies },
      msg: `spec.behavior.${dir}.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600`,
    },
    {
      rules: { policies: [{ type: dir === 'scaleUp' ? 'Pods' : 'Percent', value: 7, periodSeconds: 1801 }] },
      msg: `spec.behavior.${dir}.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800`,
    },
    {
      rules: { selectPolicy: 'incorrect', policies: [{ type: 'Pods', value: 7, periodSeconds: 8 }] },
      msg: `spec.behavior.${dir}.selectPolicy: Unsupported value: "incorrect": supported values: "Disabled", "Max", "Min"`,
    },
    {
      rules: { policies: [{ type: 'hm', value: 7, periodSeconds: 8 }] },
      msg: `spec.behavior.${dir}.policies[0].type: Unsupported value: "hm": supported values: "Percent", "Pods"`,
    },
    { rules: { policies: [{ type: 'Pods', value: 8 }] }, msg: `spec.behavior.${dir}.policies[0].periodSeconds: Invalid value: 0: must be greater than zero` },
    { rules: { policies: [{ type: 'Pods', periodSeconds: 8 }] }, msg: `spec.behavior.${dir}.policies[0].value: Invalid value: 0: must be greater than zero` },
    { rules: { policies: [{ type: 'Pods', periodSeconds: -1, value: 1 }] }, msg: `spec.behavior.${dir}.policies[0].periodSeconds: Invalid value: -1: must be greater than zero` },
    { rules: { policies: [{ type: 'Pods', periodSeconds: 1, value: -1 }] }, msg: `spec.behavior.${dir}.policies[0].value: Invalid value: -1: must be greater than zero` },
  ];
  it.each([...errorRows('scaleUp').map((r) => ({ dir: 'scaleUp', ...r })), ...errorRows('scaleDown').map((r) => ({ dir: 'scaleDown', ...r }))])('$msg', ({ dir, rules, msg }) => {
    const r = importHpaManifest(withMetric(cpuUtil70, { behavior: { [dir]: rules } }));
    expect(r.ok).toBe(false);
    expect(messages(r)[0]).toContain(msg);
    expect(r.ok ? '' : r.issues[0]!.path).toBe(msg.slice(0, msg.indexOf(':')));
  });

  it('validation.go: a negative tolerance is refused (ValidateNonnegativeQuantity); a policy list left out takes the defaults', () => {
    expect(messages(importHpaManifest(withMetric(cpuUtil70, { behavior: { scaleDown: { tolerance: '-0.05' } } })))[0]).toBe(
      'spec.behavior.scaleDown.tolerance: Invalid value: "-0.05": must be greater than or equal to 0',
    );
    expect(messages(importHpaManifest(withMetric(cpuUtil70, { behavior: { scaleUp: { selectPolicy: 'Min' } } })))).toEqual([]);
  });
});

describe('minReplicas 0 (prepareMinReplicasCases, TestValidateHorizontalPodAutoscalerScaleToZeroEnabled) and validateMetrics', () => {
  it.each([
    {
      name: 'Object ReplicationController/myrc somemetric Value 300m',
      m: { type: 'Object', object: { describedObject: RC, metric: { name: 'somemetric' }, target: { type: 'Value', value: '300m' } } },
    },
    {
      name: 'External somemetric AverageValue 300m',
      m: { type: 'External', external: { metric: { name: 'somemetric', selector }, target: { type: 'AverageValue', averageValue: '300m' } } },
    },
  ])('minReplicas 0 with $name is imported with minimum 0', ({ m }) => {
    const r = imported(importHpaManifest(withMetric(m, { minReplicas: 0 })));
    expect(r.ruleSet.capacity.minimum).toBe(0);
    expect(r.notes.some((n) => n.includes('HPAScaleToZero'))).toBe(true);
  });

  it('validation.go validateMetrics: minReplicas 0 with only a Resource metric is refused at spec.metrics', () => {
    const r = importHpaManifest(withMetric(cpuUtil70, { minReplicas: 0 }));
    expect(r.ok ? [] : r.issues).toEqual([
      { code: 'ImportError', path: 'spec.metrics', message: 'spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas' },
    ]);
  });
});

describe('validation.go rules the test file predates', () => {
  it.each([
    { name: 'maxReplicas 0 → Required', spec: { maxReplicas: 0, minReplicas: undefined }, msg: 'spec.maxReplicas: Required value: must be set and greater than 0' },
    { name: 'maxReplicas unset → Required', spec: { maxReplicas: undefined, minReplicas: undefined }, msg: 'spec.maxReplicas: Required value: must be set and greater than 0' },
    { name: 'maxReplicas -1', spec: { maxReplicas: -1, minReplicas: undefined }, msg: 'spec.maxReplicas: Invalid value: -1: must be greater than or equal to 1' },
    {
      name: 'scaleTargetRef name "a/b" (IsValidPathSegmentName)',
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'a/b' } },
      msg: `spec.scaleTargetRef.name: Invalid value: "a/b": may not contain '/'`,
    },
    {
      name: 'scaleTargetRef name with "%"',
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web%20' } },
      msg: `spec.scaleTargetRef.name: Invalid value: "web%20": may not contain '%'`,
    },
    {
      name: 'an apiVersion that does not parse',
      spec: { scaleTargetRef: { apiVersion: 'apps/v1/beta', kind: 'Deployment', name: 'web' } },
      msg: 'spec.scaleTargetRef.apiVersion: Invalid value: "apps/v1/beta": unexpected GroupVersion string: apps/v1/beta',
    },
    {
      name: 'an Object metric without describedObject',
      spec: { metrics: [{ type: 'Object', object: { metric: { name: 'rps' }, target: { type: 'Value', value: 10 } } }] },
      msg: 'spec.metrics[0].object.describedObject.kind: Required value',
    },
  ])('$name', ({ spec, msg }) => {
    const r = importHpaManifest(hpa(spec));
    expect(r.ok).toBe(false);
    expect(messages(r)[0]).toBe(msg);
  });

  it('every error is reported, each at its path, not only the first', () => {
    const r = importHpaManifest(
      hpa({
        scaleTargetRef: { kind: 'Deployment', name: 'a/b' },
        minReplicas: 0,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70, averageValue: '300m' } } }],
      }),
    );
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['spec.scaleTargetRef.name', 'spec.metrics[0].resource.target.averageValue', 'spec.metrics']);
  });

  it("in a List, the path names the item and the message keeps Kubernetes' own path; both errors of maxReplicas 0 (against the defaulted minReplicas 1) are given", () => {
    const r = importHpaManifest({ apiVersion: 'v1', kind: 'List', items: [hpa({ maxReplicas: 0, minReplicas: undefined })] });
    expect(r.ok ? [] : r.issues).toEqual([
      { code: 'ImportError', path: 'items[0].spec.maxReplicas', message: 'spec.maxReplicas: Required value: must be set and greater than 0' },
      { code: 'ImportError', path: 'items[0].spec.maxReplicas', message: 'spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`' },
    ]);
  });

  it('a Resource name is only required, not checked (validateResourceSource): "cpu!" is accepted and read from the request; a ContainerResource name is checked', () => {
    const resource = imported(importHpaManifest(withMetric({ type: 'Resource', resource: { name: 'cpu!', target: { type: 'Utilization', averageUtilization: 70 } } })));
    expect(resource.ruleSet.targetTracking?.[0]?.metric).toBe('cpu!');
    const container = importHpaManifest(
      withMetric({ type: 'ContainerResource', containerResource: { name: 'cpu!', container: 'app', target: { type: 'Utilization', averageUtilization: 70 } } }),
    );
    expect(messages(container)).toContain('spec.metrics[0].containerResource.name: Invalid value: "cpu!": must be a standard resource type or fully qualified');
  });

  it('scaleTargetRef without an API group is accepted with a note (refused on create since 1.34, kept on update); ReplicationController needs none', () => {
    const deployment = imported(importHpaManifest(hpa({ scaleTargetRef: { kind: 'Deployment', name: 'web' } })));
    expect(deployment.notes.some((n) => n.startsWith('spec.scaleTargetRef.apiVersion: not set, without an API group'))).toBe(true);
    expect(imported(importHpaManifest(hpa({}))).notes.some((n) => n.includes('without an API group'))).toBe(false);
  });
});

describe('horizontal.go reads a target by the field that is set (Resource, External, Pods) or by its type (Object)', () => {
  const T = Date.parse('2026-11-23T17:00:00Z');
  const track = (m: Json) => imported(importHpaManifest(withMetric(m, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 20 })));

  it('Resource type Value with averageValue is AverageValue (computeStatusForResourceMetricGeneric reads averageValue first)', async () => {
    const r = track({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Value', averageValue: '500m' } } });
    expect(r.ruleSet.targetTracking?.[0]?.target).toEqual({ type: 'AverageValue', averageValue: '500m' });
    // 4 pods at 1 core each against 500m per pod → ceil(4 × 1 / 0.5) = 8.
    const d = await decide(compile(r.ruleSet), { id: 'Deployment/web', capacity: 4, metrics: { cpu: 1 } }, T);
    expect(d.to).toBe(8);
  });

  it('Resource type AverageValue with averageUtilization is Utilization', () => {
    expect(track({ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageUtilization: 60 } } }).ruleSet.targetTracking?.[0]?.target).toEqual({
      type: 'Utilization',
      averageUtilization: 60,
    });
  });

  it('External type Utilization with value is Value (computeStatusForExternalMetric: averageValue, else value)', async () => {
    const r = track({ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Utilization', value: 30 } } });
    expect(r.ruleSet.targetTracking?.[0]?.target).toEqual({ type: 'Value', value: 30 });
    // Value: ceil(3 × 45 / 30) = 5 (within the scale-up limit max(2 × 3, 4) = 6).
    const d = await decide(compile(r.ruleSet), { id: 'Deployment/web', capacity: 3, metrics: { queue: 45 } }, T);
    expect(d.to).toBe(5);
  });

  it('External type Value with only averageValue is AverageValue', () => {
    expect(track({ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', averageValue: 30 } } }).ruleSet.targetTracking?.[0]?.target).toEqual({
      type: 'AverageValue',
      averageValue: 30,
    });
  });

  it('Resource with averageUtilization and an extra value: value is reported as not read', () => {
    const r = track({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60, value: '1' } } });
    expect(r.unsupported).toContainEqual(expect.objectContaining({ path: 'spec.metrics[0].resource.target.value', field: 'value' }));
  });

  it.each([
    { type: 'Utilization', target: { type: 'Utilization', value: 10 } },
    { type: 'Value', target: { type: 'Value', averageValue: 10 } },
    { type: 'AverageValue', target: { type: 'AverageValue', value: 10 } },
  ])('Object type $type without its own field: valid to the API server, but the controller never computes it, so it is refused', ({ target }) => {
    const r = importHpaManifest(withMetric({ type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' }, metric: { name: 'rps' }, target } }));
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['spec.metrics[0].object.target']);
    expect(messages(r)[0]).toContain('invalid object metric source: neither a value target nor an average value target was set');
  });
});

describe('autoscaling/v2beta1 and the v1 metrics annotation: converted as conversion.go converts them, then validated', () => {
  const beta1 = (metric: Json): Json => ({ ...withMetric(metric), apiVersion: 'autoscaling/v2beta1' });
  it.each([
    {
      name: 'Resource with targetAverageUtilization and targetAverageValue',
      metric: { type: 'Resource', resource: { name: 'cpu', targetAverageUtilization: 70, targetAverageValue: '300m' } },
      path: 'spec.metrics[0].resource.targetAverageValue',
      message: 'spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization',
    },
    {
      name: 'Pods without targetAverageValue (a non-pointer quantity: 0)',
      metric: { type: 'Pods', pods: { metricName: 'rps' } },
      path: 'spec.metrics[0].pods.targetAverageValue',
      message: 'spec.metrics[0].pods.target.averageValue: Invalid value: 0: must be positive',
    },
    {
      name: 'Object with averageValue but no targetValue (value is always set, 0 when unset)',
      metric: { type: 'Object', object: { target: { kind: 'Service', name: 'web' }, metricName: 'rps', averageValue: '10' } },
      path: 'spec.metrics[0].object.targetValue',
      message: 'spec.metrics[0].object.target.value: Invalid value: 0: must be positive',
    },
    {
      name: 'Object whose target has no kind',
      metric: { type: 'Object', object: { target: { name: 'web' }, metricName: 'rps', targetValue: '10' } },
      path: 'spec.metrics[0].object.target.kind',
      message: 'spec.metrics[0].object.describedObject.kind: Required value',
    },
    {
      name: 'External with targetValue and targetAverageValue',
      metric: { type: 'External', external: { metricName: 'queue', targetValue: 10, targetAverageValue: 2 } },
      path: 'spec.metrics[0].external.targetValue',
      message: 'spec.metrics[0].external.target.value: Forbidden: may not set both a target value for metric and a per-pod target',
    },
    {
      name: 'External metricName "a/b"',
      metric: { type: 'External', external: { metricName: 'a/b', targetValue: 10 } },
      path: 'spec.metrics[0].external.metricName',
      message: `spec.metrics[0].external.metric.name: Invalid value: "a/b": may not contain '/'`,
    },
  ])('v2beta1 $name', ({ metric, path, message }) => {
    const r = importHpaManifest(beta1(metric));
    expect(r.ok ? [] : r.issues[0]).toEqual({ code: 'ImportError', path, message });
  });

  it('a valid v2beta1 Object with targetValue and averageValue is AverageValue (conversion.go sets the type from averageValue)', () => {
    const r = imported(
      importHpaManifest(beta1({ type: 'Object', object: { target: { kind: 'Service', name: 'web' }, metricName: 'rps', targetValue: '100', averageValue: '10' } })),
    );
    expect(r.ruleSet.targetTracking?.[0]?.target).toEqual({ type: 'AverageValue', averageValue: '10' });
  });

  it('a v1 annotation metric is checked the same way, reported at its place in the annotation', () => {
    const annotation = JSON.stringify([{ type: 'Pods', pods: { metricName: 'rps/x', targetAverageValue: '5' } }]);
    const r = importHpaManifest({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', annotations: { 'autoscaling.alpha.kubernetes.io/metrics': annotation } },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
    });
    expect(r.ok ? [] : r.issues[0]).toEqual({
      code: 'ImportError',
      path: 'metadata.annotations["autoscaling.alpha.kubernetes.io/metrics"][0].pods.metricName',
      message: `spec.metrics[0].pods.metric.name: Invalid value: "rps/x": may not contain '/'`,
    });
  });

  it('the v1 behavior annotation is validated too (a policy of value 0), reported at the annotation', () => {
    const behavior = JSON.stringify({ ScaleUp: { StabilizationWindowSeconds: 0, SelectPolicy: 'Max', Policies: [{ Type: 'Pods', Value: 0, PeriodSeconds: 15 }] } });
    const r = importHpaManifest({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', annotations: { 'autoscaling.alpha.kubernetes.io/behavior': behavior } },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    });
    expect(r.ok ? [] : r.issues).toEqual([
      {
        code: 'ImportError',
        path: 'metadata.annotations["autoscaling.alpha.kubernetes.io/behavior"]',
        message: 'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
      },
    ]);
  });
});
