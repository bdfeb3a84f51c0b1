// The Knative importer (src/formats/knative/): real Services from knative/serving, config-autoscaler defaults, every annotation, Knative's own validation, and the wrapped form through a batch.
//
// Fixtures: test/formats/fixtures/knative (knative/serving at 98e5ef90aa7033797aa0a61ef97f3ff7e49a3944,
// Apache-2.0; see its README). Expected values come from knative/serving: config.go defaultConfig and
// validate, register.go (keys and legacy spellings), annotation_validation.go (ranges and messages),
// target.go ResolveMetricTarget, decider.go MakeDecider / GetInitialScale, pa_lifecycle.go ScaleBounds.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { detectFormat, importWrapped } from '../../src/formats/foreign.js';
import type { ImportResult } from '../../src/formats/import-context.js';
import { importKnativeService } from '../../src/formats/knative/import.js';
import { parseGoDuration } from '../../src/syntax/go-duration.js';
import { importerFor } from '../../src/cli/importers.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { evaluateBatch } from '../../src/service/batch.js';
import { DecisionState } from '../../src/schema.js';
import type { KpaTrace } from '../../src/schemas/kpa.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/knative/${name}.yaml`, import.meta.url), 'utf8');
const T0 = Date.parse('2026-11-22T10:30:00Z');

function ok(r: ImportResult) {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r;
}
function issues(r: ImportResult) {
  if (r.ok) throw new Error('expected the import to fail');
  return r.issues.map((i) => [i.path, i.message]);
}

/** A Service with these template annotations (and containerConcurrency when given). */
function service(annotations: Record<string, string>, extra: { cc?: number; name?: string } = {}) {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: extra.name ?? 'hello', namespace: 'demo' },
    spec: {
      template: {
        metadata: { annotations },
        spec: { containers: [{ image: 'ghcr.io/knative/helloworld-go:latest' }], ...(extra.cc !== undefined && { containerConcurrency: extra.cc }) },
      },
    },
  };
}
const ann = (key: string) => `spec.template.metadata.annotations["autoscaling.knative.dev/${key}"]`;

/** config.go defaultConfig as the kpa policy writes it. */
const DEFAULT_KPA = {
  metric: 'concurrency',
  scalingMetric: 'concurrency',
  target: 100,
  containerConcurrency: 0,
  targetUtilizationPercentage: 70,
  stableWindow: 'PT1M',
  panicWindowPercentage: 10,
  panicThresholdPercentage: 200,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  scaleDownDelay: 'PT0S',
  initialScale: 1,
  enableScaleToZero: true,
  scaleToZeroGracePeriod: 'PT30S',
  scaleToZeroPodRetentionPeriod: 'PT0S',
  targetBurstCapacity: 211,
};

describe('knative/serving load-test-setup.yaml (three Services)', () => {
  it('without --name, the three are named and none is chosen', () => {
    expect(issues(importKnativeService(fixture('load-test-setup')))).toEqual([
      ['', '3 Knative Services or Configurations (load-test-always, load-test-zero, load-test-200): choose one by name'],
    ]);
  });
  it('load-test-always: the legacy targetBurstCapacity "-1", everything else config-autoscaler\'s defaults', () => {
    const r = ok(importKnativeService(fixture('load-test-setup'), { name: 'load-test-always' }));
    expect(r.ruleSet).toEqual({
      id: 'load-test-always',
      description: 'Imported from the Knative Service "load-test-always"',
      capacity: { minimum: 0, maximum: 100_000, default: 0 },
      rules: [],
      kpa: { ...DEFAULT_KPA, targetBurstCapacity: -1 },
      missingData: { policy: 'hold' },
      targets: [{ id: 'Service/load-test-always', labels: { namespace: 'default' } }],
    });
    expect(r.unsupported.map((u) => u.path)).toEqual(['documents[1].metadata.name', 'documents[2].metadata.name']);
  });
  it('load-test-200 decides 2 → 3 on 150 concurrent requests (ceil(150 ÷ 70)), with its burst capacity in the trace', () => {
    const r = ok(importKnativeService(fixture('load-test-setup'), { name: 'load-test-200' }));
    const metrics = { concurrency: Array.from({ length: 60 }, (_, i) => ({ t: T0 - i * 1000, v: 150 })) };
    const d = decide(r.compiled, { id: 'rev', capacity: 2, metrics, state: DecisionState.parse({ kpa: {} }) }, T0);
    expect([d.from, d.to]).toEqual([2, 3]);
    const kpa = (d.trace.policies as { kpa: KpaTrace }).kpa;
    // EBC = floor(ready × total − TBC − panic) = floor(2 × 100 − 200 − 150)
    expect(kpa.excessBurstCapacity).toBe(-150);
    expect(kpa.targetValue).toBe(70);
  });
});

describe('knative/serving rollout-probe-setup-activator-direct-lin.yaml', () => {
  it('minScale/maxScale (legacy keys) become the bounds, containerConcurrency 30 the per-pod total', () => {
    const r = ok(importKnativeService(fixture('rollout-probe-setup-activator-direct-lin')));
    expect(r.ruleSet.capacity).toEqual({ minimum: 50, maximum: 100, default: 50 });
    expect(r.ruleSet.kpa).toMatchObject({ target: 30, containerConcurrency: 30, targetBurstCapacity: -1 });
    // serving.knative.dev/rollout-duration is not an autoscaling annotation: not reported.
    expect(r.unsupported).toEqual([]);
  });
});

describe('config-autoscaler', () => {
  it('the shipped ConfigMap (only its _example block) gives the same rule set as none', () => {
    const text = `${fixture('config-autoscaler')}\n---\n${fixture('load-test-setup')}`;
    const a = ok(importKnativeService(text, { name: 'load-test-zero' }));
    const b = ok(importKnativeService(fixture('load-test-setup'), { name: 'load-test-zero' }));
    expect(a.ruleSet).toEqual(b.ruleSet);
    expect(a.unsupported.filter((u) => u.field === '_example')).toEqual([]);
  });
  it('its data sets every default the annotations do not; the legacy fraction 0.8 is 80 %', () => {
    const config = {
      'max-scale-up-rate': '3',
      'max-scale-down-rate': '1.5',
      'container-concurrency-target-percentage': '0.8',
      'container-concurrency-target-default': '50',
      'target-burst-capacity': '0',
      'stable-window': '2m',
      'panic-window-percentage': '20',
      'panic-threshold-percentage': '300',
      'scale-down-delay': '30s',
      'enable-scale-to-zero': 'false',
      'scale-to-zero-grace-period': '45s',
      'scale-to-zero-pod-retention-period': '1m30s',
      'initial-scale': '2',
      'min-scale': '1',
      'max-scale': '20',
    };
    const r = ok(importKnativeService(service({}), { config }));
    expect(r.ruleSet.kpa).toEqual({
      ...DEFAULT_KPA,
      target: 50,
      targetUtilizationPercentage: 80,
      maxScaleUpRate: 3,
      maxScaleDownRate: 1.5,
      targetBurstCapacity: 0,
      stableWindow: 'PT2M',
      panicWindowPercentage: 20,
      panicThresholdPercentage: 300,
      scaleDownDelay: 'PT30S',
      enableScaleToZero: false,
      scaleToZeroGracePeriod: 'PT45S',
      scaleToZeroPodRetentionPeriod: 'PT1M30S',
      initialScale: 2,
    });
    expect(r.ruleSet.capacity).toEqual({ minimum: 1, maximum: 20, default: 1 });
  });
  it('rps: requests-per-second-target-default, and 70 % whatever container-concurrency-target-percentage says (NewConfigFromMap never reads TargetUtilization)', () => {
    const r = ok(
      importKnativeService(service({ 'autoscaling.knative.dev/metric': 'rps' }), {
        config: { 'requests-per-second-target-default': '150', 'container-concurrency-target-percentage': '90' },
      }),
    );
    expect(r.ruleSet.kpa).toMatchObject({ metric: 'rps', scalingMetric: 'rps', target: 150, targetUtilizationPercentage: 70 });
  });
  it('config.go validate refuses, each at its key', () => {
    const bad = (config: Record<string, string>) => issues(importKnativeService(service({}), { config }));
    expect(bad({ 'max-scale-up-rate': '1' })).toEqual([['config["max-scale-up-rate"]', 'config-autoscaler: max-scale-up-rate = 1, must be greater than 1.0 (config.go validate)']]);
    expect(bad({ 'stable-window': '5s' })[0]![0]).toBe('config["stable-window"]');
    expect(bad({ 'scale-to-zero-grace-period': '0s' })[0]![0]).toBe('config["scale-to-zero-grace-period"]');
    expect(bad({ 'scale-down-delay': '1500ms' })[0]![1]).toContain('at most second precision');
    expect(bad({ 'target-burst-capacity': '-2' })[0]![0]).toBe('config["target-burst-capacity"]');
    expect(bad({ 'initial-scale': '0' })[0]![1]).toContain('allow-zero-initial-scale');
    expect(bad({ 'min-scale': '5', 'max-scale': '3' })[0]![1]).toContain('min-scale (5) must be less than max-scale (3)');
    expect(bad({ 'max-scale-limit': '10' })[0]![1]).toContain('max-scale = 0, must be in [1, max-scale-limit(10)] range');
    expect(bad({ 'stable-window': 'sixty' })).toEqual([['config["stable-window"]', 'invalid value: sixty: stable-window must be a Go duration such as "60s" or "1m30s"']]);
    expect(bad({ 'enable-scale-to-zero': 'yes' })[0]![0]).toBe('config["enable-scale-to-zero"]');
  });
  it('a value config.go does not check but the policy bounds (panic-threshold-percentage 5000) is refused at its key', () => {
    const r = issues(importKnativeService(service({}), { config: { 'panic-threshold-percentage': '5000' } }));
    expect(r.map(([path]) => path)).toEqual(['config["panic-threshold-percentage"]']);
    expect(r[0]![1]).toContain('kpa.panicThresholdPercentage');
  });
  it('keys Knative does not read are reported, not used', () => {
    const r = ok(importKnativeService(service({}), { config: { 'max-scale-up-rates': '3' } }));
    expect(r.unsupported.map((u) => u.field)).toEqual(['max-scale-up-rates']);
    expect(r.ruleSet.kpa?.maxScaleUpRate).toBe(1000);
  });
});

describe('annotations (register.go keys, annotation_validation.go ranges)', () => {
  it('every annotation maps to its setting', () => {
    const r = ok(
      importKnativeService(
        service(
          {
            'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev',
            'autoscaling.knative.dev/metric': 'concurrency',
            'autoscaling.knative.dev/target': '50',
            'autoscaling.knative.dev/target-utilization-percentage': '80',
            'autoscaling.knative.dev/window': '45s',
            'autoscaling.knative.dev/panic-window-percentage': '20',
            'autoscaling.knative.dev/panic-threshold-percentage': '150',
            'autoscaling.knative.dev/target-burst-capacity': '10',
            'autoscaling.knative.dev/scale-down-delay': '15m',
            'autoscaling.knative.dev/scale-to-zero-pod-retention-period': '1m5s',
            'autoscaling.knative.dev/min-scale': '1',
            'autoscaling.knative.dev/max-scale': '10',
            'autoscaling.knative.dev/activation-scale': '3',
            'autoscaling.knative.dev/initial-scale': '4',
            'autoscaling.knative.dev/metric-aggregation-algorithm': 'linear',
          },
          { cc: 20 },
        ),
      ),
    );
    expect(r.ruleSet.kpa).toEqual({
      ...DEFAULT_KPA,
      // target.go: "We pick the smaller value between container concurrency and the annotationTarget"
      target: 20,
      containerConcurrency: 20,
      targetUtilizationPercentage: 80,
      stableWindow: 'PT45S',
      panicWindowPercentage: 20,
      panicThresholdPercentage: 150,
      targetBurstCapacity: 10,
      scaleDownDelay: 'PT15M',
      scaleToZeroPodRetentionPeriod: 'PT1M5S',
      activationScale: 3,
      initialScale: 4,
    });
    expect(r.ruleSet.capacity).toEqual({ minimum: 1, maximum: 10, default: 1 });
    expect(r.unsupported).toEqual([]);
  });
  it('the new key wins over its legacy spelling (KeyPriority order)', () => {
    const r = ok(importKnativeService(service({ 'autoscaling.knative.dev/min-scale': '2', 'autoscaling.knative.dev/minScale': '7' })));
    expect(r.ruleSet.capacity.minimum).toBe(2);
  });
  it('refused as the webhook refuses them, each at its annotation', () => {
    const bad = (a: Record<string, string>, extra: { cc?: number } = {}) => issues(importKnativeService(service(a, extra)));
    expect(bad({ 'autoscaling.knative.dev/window': '5s' })).toEqual([[ann('window'), 'autoscaling.knative.dev/window: expected 6s <= 5s <= 1h0m0s (annotation_validation.go)']]);
    expect(bad({ 'autoscaling.knative.dev/window': '10500ms' })[0]![1]).toContain('at most second precision');
    expect(bad({ 'autoscaling.knative.dev/panic-threshold-percentage': '105' })[0]![0]).toBe(ann('panic-threshold-percentage'));
    expect(bad({ 'autoscaling.knative.dev/panicWindowPercentage': '0.5' })[0]![0]).toBe(ann('panicWindowPercentage'));
    expect(bad({ 'autoscaling.knative.dev/target-utilization-percentage': '0' })[0]![0]).toBe(ann('target-utilization-percentage'));
    expect(bad({ 'autoscaling.knative.dev/target': '0.001' })[0]![1]).toContain('should be at least 0.01');
    expect(bad({ 'autoscaling.knative.dev/target-burst-capacity': '-2' })[0]![0]).toBe(ann('target-burst-capacity'));
    expect(bad({ 'autoscaling.knative.dev/activation-scale': '1' })[0]![1]).toContain('activation-scale=1 must be greater than 1');
    expect(bad({ 'autoscaling.knative.dev/min-scale': '3', 'autoscaling.knative.dev/activation-scale': '2' })[0]![1]).toContain('min-scale=3 is greater than activation-scale=2');
    expect(bad({ 'autoscaling.knative.dev/min-scale': '5', 'autoscaling.knative.dev/max-scale': '3' })[0]![1]).toContain('max-scale=3 is less than min-scale=5');
    expect(bad({ 'autoscaling.knative.dev/min-scale': '-1' })[0]![0]).toBe(ann('min-scale'));
    expect(bad({ 'autoscaling.knative.dev/initial-scale': '0' })[0]![1]).toContain('not allowed by cluster');
    expect(bad({ 'autoscaling.knative.dev/scale-down-delay': '2h' })[0]![0]).toBe(ann('scale-down-delay'));
    expect(bad({ 'autoscaling.knative.dev/metric': 'cpu' })[0]![0]).toBe(ann('metric'));
    expect(bad({ 'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev' })[0]![1]).toContain('edgescale import hpa');
    expect(bad({ 'autoscaling.knative.dev/metric-aggregation-algorithm': 'median' })[0]![0]).toBe(ann('metric-aggregation-algorithm'));
    expect(bad({}, { cc: -1 })[0]![0]).toBe('spec.template.spec.containerConcurrency');
  });
  it('initial-scale 0 with allow-zero-initial-scale', () => {
    const r = ok(importKnativeService(service({ 'autoscaling.knative.dev/initial-scale': '0' }), { config: { 'allow-zero-initial-scale': 'true' } }));
    expect(r.ruleSet.kpa?.initialScale).toBe(0);
  });
  it('reported, not used: an unknown autoscaling annotation, weighted-exponential averaging, annotations on the Service itself', () => {
    const s = service({ 'autoscaling.knative.dev/maxScaleUpRate': '5', 'autoscaling.knative.dev/metric-aggregation-algorithm': 'weighted-exponential' });
    (s.metadata as Record<string, unknown>).annotations = { 'autoscaling.knative.dev/min-scale': '3' };
    const r = ok(importKnativeService(s));
    expect(r.unsupported.map((u) => u.path)).toEqual(['metadata.annotations["autoscaling.knative.dev/min-scale"]', ann('maxScaleUpRate'), ann('metric-aggregation-algorithm')]);
    expect(r.ruleSet.capacity.minimum).toBe(0);
  });
  it('bad input is an ImportError, never a throw', () => {
    expect(issues(importKnativeService('kind: [')).length).toBeGreaterThan(0);
    expect(issues(importKnativeService({ kind: 'Deployment' }))).toEqual([['', 'no Knative Service or Configuration (apiVersion serving.knative.dev/…) in the input']]);
    expect(issues(importKnativeService(service({ 'autoscaling.knative.dev/target': '1e400' })))[0]![0]).toBe(ann('target'));
    const odd = service({});
    (odd.spec.template.metadata as Record<string, unknown>).annotations = ['not', 'a', 'map'];
    expect(issues(importKnativeService(odd))[0]![0]).toBe('spec.template.metadata.annotations');
  });
});

describe('where a Knative Service is accepted', () => {
  it('format detection: *.knative.yaml, YAML text with apiVersion serving.knative.dev, a JSON Service', () => {
    expect(detectFormat('svc.knative.yaml', undefined)).toBe('knative');
    expect(detectFormat('svc.yaml', fixture('load-test-setup'))).toBe('knative');
    expect(detectFormat('hpa.yaml', 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n')).toBe('hpa');
    expect(detectFormat('svc.json', service({}))).toBe('knative');
  });
  it('edgescale import knative', () => {
    const r = ok(importerFor('knative')!(fixture('load-test-setup'), { name: 'load-test-zero', id: 'lt0' }));
    expect(r.ruleSet.id).toBe('lt0');
    expect(r.ruleSet.kpa?.targetBurstCapacity).toBe(0);
  });
  it('POST /v1/evaluate: { "knative": text, "name": … } as a target\'s ruleSet, with the panic state coming back', async () => {
    const body = {
      now: '2026-11-22T10:30:00Z',
      targets: [
        {
          id: 'rev',
          ruleSet: { knative: fixture('load-test-setup'), name: 'load-test-200' },
          capacity: 1,
          state: { kpa: {} },
          metrics: {
            concurrency: [
              { t: '2026-11-22T10:29:30Z', v: 0 },
              { t: '2026-11-22T10:30:00Z', v: 400 },
            ],
          },
        },
        { id: 'bad', ruleSet: { knative: 42 }, capacity: 1 },
      ],
    };
    const outcome = await evaluateBatch(body, resolveBundled, T0);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
    const [a, b] = outcome.results;
    // Panic: ceil(400 ÷ 70) = 6 pods wanted on 1 ready ≥ 2 ×; the stable mean is 200 (ceil(200 ÷ 70) = 3).
    expect(a!.ok && [a!.decision.to, a!.decision.state.kpa]).toEqual([6, { panicTime: '2026-11-22T10:30:00Z', maxPanicPods: 6, initialized: true }]);
    expect(b!.ok).toBe(false);
    expect(!b!.ok && b!.error.code).toBe('SchemaViolation');
  });
});

describe('Go durations (src/syntax/go-duration.ts) against golang/go src/time/time_test.go parseDurationTests', () => {
  const valid: Array<[string, number]> = [
    ['0', 0],
    ['5s', 5_000],
    ['30s', 30_000],
    ['1478s', 1_478_000],
    ['-5s', -5_000],
    ['+5s', 5_000],
    ['-0', 0],
    ['+0', 0],
    ['5.0s', 5_000],
    ['5.6s', 5_600],
    ['5.s', 5_000],
    ['.5s', 500],
    ['1.004s', 1_004],
    ['13ms', 13],
    ['11us', 0.011],
    ['12µs', 0.012],
    ['14s', 14_000],
    ['15m', 900_000],
    ['16h', 57_600_000],
    ['3h30m', 12_600_000],
    ['10.5s4m', 250_500],
    ['-2m3.4s', -123_400],
    ['39h9m14.425s', 140_954_425],
  ];
  for (const [text, ms] of valid) it(`${text} = ${ms} ms`, () => expect(parseGoDuration(text)).toBeCloseTo(ms, 9));
  for (const text of ['', '3', '-', 's', '.', '-.', '.s', '+.s', '1d', '1.5.5s', '5 s']) it(`"${text}" is refused`, () => expect(parseGoDuration(text)).toBeUndefined());
});

describe('any annotation or config-autoscaler value', () => {
  const KEYS = [
    'target',
    'target-utilization-percentage',
    'window',
    'panic-window-percentage',
    'panicThresholdPercentage',
    'target-burst-capacity',
    'scale-down-delay',
    'scale-to-zero-pod-retention-period',
    'min-scale',
    'maxScale',
    'initial-scale',
    'activation-scale',
    'metric',
    'class',
    'metric-aggregation-algorithm',
  ];
  const CONFIG = [
    'max-scale-up-rate',
    'max-scale-down-rate',
    'container-concurrency-target-percentage',
    'stable-window',
    'scale-to-zero-grace-period',
    'enable-scale-to-zero',
    'max-scale',
    'max-scale-limit',
    'initial-scale',
    'allow-zero-initial-scale',
  ];
  const value = fc.oneof(fc.string(), fc.constantFrom('0', '-1', '1', '2', '1.5', '1e9', '100', '1000', '2147483648', '60s', '1h', '0.5s', 'NaN', 'rps', 'linear'));
  it('imports, or gives ImportError issues at a path; never throws, and an accepted set loads', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...KEYS), value),
        fc.dictionary(fc.constantFrom(...CONFIG), value),
        fc.option(fc.integer({ min: -5, max: 2000 })),
        (anns, config, cc) => {
          const annotations = Object.fromEntries(Object.entries(anns).map(([k, v]) => [`autoscaling.knative.dev/${k}`, v]));
          const r = importKnativeService(service(annotations, cc === null ? {} : { cc }), { config });
          if (r.ok) expect(r.compiled.spec.kpa).toBeDefined();
          else for (const i of r.issues) expect(i.code === 'ImportError' && typeof i.path === 'string' && i.message.length > 0).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("the wrapped form (src/formats/foreign.ts), as POST /v1/validate and a target's ruleSet take it", () => {
  it('imports, reports the format, and prefixes problems with where the wrapper sits', () => {
    const good = importWrapped({ knative: fixture('load-test-setup'), name: 'load-test-zero', config: { 'max-scale-up-rate': '4' } }, 'targets[0].ruleSet');
    expect(good?.ok && [good.imported.format, good.ruleSet.kpa?.maxScaleUpRate]).toEqual(['knative', 4]);
    const bad = importWrapped({ knative: service({ 'autoscaling.knative.dev/window': '1s' }) }, 'targets[0].ruleSet');
    expect(bad?.ok === false && bad.issues.map((i) => [i.code, i.path])).toEqual([['ImportError', `targets[0].ruleSet.knative.${ann('window')}`]]);
  });
});

describe('utilization kept exact', () => {
  it('container-concurrency-target-percentage "57" stays 57 (0.57 × 100 would be 56.99999999999999)', () => {
    const r = ok(importKnativeService(service({}), { config: { 'container-concurrency-target-percentage': '57' } }));
    expect(r.ruleSet.kpa?.targetUtilizationPercentage).toBe(57);
  });
});
