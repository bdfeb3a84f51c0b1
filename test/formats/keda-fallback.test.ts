// KEDA fallback: CheckFallbackValid replayed from KEDA's own table, the fallback behaviours of doFallback, HasValidFallback.
//
// kedacore/keda at 8b4f083c: apis/keda/v1alpha1/scaledobject_types.go CheckFallbackValid and its table
// scaledobject_types_test.go TestCheckFallbackValid; pkg/fallback/fallback.go GetMetricsWithFallback,
// HasValidFallback and doFallback (static: replicas; currentReplicasIfHigher: current if strictly higher,
// else replicas; currentReplicasIfLower: current if strictly lower, else replicas).
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { importKedaScaledObject } from '../../src/formats/keda/import.js';

const so = (spec: string) => `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: worker, namespace: jobs }
spec:
  scaleTargetRef: { name: worker }
${spec}`;

/** A trigger of KEDA's table: its couchdb triggers are a prometheus trigger here (couchdb is not imported); the type is what CheckFallbackValid reads. */
const trigger = (type: string, metricType?: string, name?: string) => {
  const mt = metricType ? `    metricType: ${metricType}\n` : '';
  const nm = name ? `    name: ${name}\n` : '';
  if (type === 'cpu' || type === 'memory')
    return `  - type: ${type}\n${mt || '    metricType: Utilization\n'}    metadata: { value: "${metricType === 'AverageValue' ? '500m' : '60'}" }\n`;
  return `  - type: prometheus\n${nm}${mt}    metadata: { serverAddress: "http://p:9090", query: q, threshold: "10" }\n`;
};

interface Row {
  name: string;
  fallback?: string;
  triggers: string[];
  modifiers?: string;
  error?: string;
  /** The metrics the imported fallback is scoped to: the scalers' beside a cpu/memory trigger. */
  scoped?: string[];
}

// TestCheckFallbackValid, row by row (name, fallback, triggers, expectedError / errorContains).
const CHECK_FALLBACK_VALID: Row[] = [
  { name: 'No fallback configured', triggers: [trigger('couchdb')] },
  { name: 'Explicit AverageValue metricType - valid', fallback: '{ failureThreshold: 3, replicas: 1 }', triggers: [trigger('couchdb', 'AverageValue')] },
  { name: 'Implicit AverageValue metricType (empty string) - valid', fallback: '{ failureThreshold: 3, replicas: 1 }', triggers: [trigger('couchdb')] },
  { name: 'Value metricType - valid', fallback: '{ failureThreshold: 3, replicas: 1 }', triggers: [trigger('couchdb', 'Value')] },
  {
    name: 'Multiple triggers with one valid AverageValue - valid',
    fallback: '{ failureThreshold: 3, replicas: 1 }',
    triggers: [trigger('prometheus', 'Value', 'p'), trigger('couchdb', 'AverageValue', 'c')],
  },
  { name: 'CPU trigger - invalid', fallback: '{ failureThreshold: 3, replicas: 1 }', triggers: [trigger('cpu', 'AverageValue')], error: 'type for the fallback to be enabled' },
  {
    name: 'Memory trigger - invalid',
    fallback: '{ failureThreshold: 3, replicas: 1 }',
    triggers: [trigger('memory', 'AverageValue')],
    error: 'type for the fallback to be enabled',
  },
  {
    name: 'Multiple triggers with one CPU and one valid - valid',
    fallback: '{ failureThreshold: 3, replicas: 1 }',
    triggers: [trigger('cpu', 'Utilization'), trigger('couchdb', 'AverageValue')],
    scoped: ['s1-prometheus'],
  },
  {
    name: 'Negative FailureThreshold - invalid',
    fallback: '{ failureThreshold: -1, replicas: 1 }',
    triggers: [trigger('couchdb', 'AverageValue')],
    error: 'must both be greater than or equal to 0',
  },
  {
    name: 'Negative Replicas - invalid',
    fallback: '{ failureThreshold: 3, replicas: -1 }',
    triggers: [trigger('couchdb', 'AverageValue')],
    error: 'must both be greater than or equal to 0',
  },
  {
    name: 'Using ScalingModifiers with AverageValue MetricType - valid',
    fallback: '{ failureThreshold: 3, replicas: 1 }',
    triggers: [trigger('couchdb', undefined, 'x')],
    modifiers: '{ metricType: AverageValue, formula: "x * 2", target: "2" }',
  },
  {
    name: 'Using ScalingModifiers with Value MetricType - valid',
    fallback: '{ failureThreshold: 3, replicas: 1 }',
    triggers: [trigger('couchdb', undefined, 'x')],
    modifiers: '{ metricType: Value, formula: "x * 2", target: "2" }',
  },
];

describe('CheckFallbackValid (scaledobject_types_test.go TestCheckFallbackValid), row by row', () => {
  it.each(CHECK_FALLBACK_VALID)('$name', ({ fallback, triggers, modifiers, error, scoped }) => {
    // minReplicaCount 1: the rows are about the fallback, not activation.
    const text = so(
      `  minReplicaCount: 1\n${fallback ? `  fallback: ${fallback}\n` : ''}${modifiers ? `  advanced:\n    scalingModifiers: ${modifiers}\n` : ''}  triggers:\n${triggers.join('')}`,
    );
    const r = importKedaScaledObject(text);
    if (error) {
      expect(r.ok).toBe(false);
      expect(!r.ok && r.issues).toEqual([{ code: 'ImportError', path: 'spec.fallback', message: expect.stringContaining(error) }]);
      expect(!r.ok && r.issues[0]!.message).toContain('CheckFallbackValid');
    } else {
      expect(r.ok ? r.ruleSet.missingData : r.issues).toEqual(
        fallback ? { policy: 'fallback', fallbackCapacity: 1, fallbackAfter: 4, ...(scoped && { fallbackMetrics: scoped }) } : { policy: 'hold' },
      );
    }
  });
});

describe('fallback.behavior (fallback.go doFallback), decided through decide()', () => {
  const NOW = Date.parse('2026-11-23T10:00:00Z');
  const withBehavior = (behavior: string) =>
    so(`  minReplicaCount: 1
  maxReplicaCount: 20
  fallback: { failureThreshold: 0, replicas: 6, behavior: ${behavior} }
  advanced:
    horizontalPodAutoscalerConfig:
      behavior: { scaleDown: { stabilizationWindowSeconds: 0 } }
  triggers:
${trigger('prometheus')}`);
  const compiled = (behavior: string) => {
    const r = importKedaScaledObject(withBehavior(behavior));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r;
  };
  /** failureThreshold 0: the first evaluation without data (NumberOfFailures 1 > 0) applies the fallback. */
  const fallBack = (behavior: string, capacity: number) => {
    const d = decide(compiled(behavior).compiled, { id: 'Deployment/worker', capacity, metrics: {} }, NOW);
    return { to: d.to, code: d.code, reason: d.reason };
  };

  it.each([
    { behavior: 'static', current: 8, to: 6 },
    { behavior: 'static', current: 3, to: 6 },
    { behavior: 'currentReplicasIfHigher', current: 8, to: 8 },
    { behavior: 'currentReplicasIfHigher', current: 3, to: 6 },
    { behavior: 'currentReplicasIfHigher', current: 6, to: 6 },
    { behavior: 'currentReplicasIfLower', current: 8, to: 6 },
    { behavior: 'currentReplicasIfLower', current: 3, to: 3 },
    { behavior: 'currentReplicasIfLower', current: 6, to: 6 },
  ])('$behavior with replicas 6 at $current replicas → $to', ({ behavior, current, to }) => {
    expect(fallBack(behavior, current)).toMatchObject({ to, code: 'MissingDataFallback' });
  });

  it("without a behavior the HPA stabilizes the way down, as it does for KEDA's fallback metric: static 6 at 8 stays 8 (ScaleDownStabilized)", () => {
    const r = importKedaScaledObject(withBehavior('static').replace(/ {2}advanced:\n.*\n.*\n/, ''));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const d = decide(r.compiled, { id: 'Deployment/worker', capacity: 8, metrics: {} }, NOW);
    expect([d.to, d.code]).toEqual([8, 'ScaleDownStabilized']);
  });

  it('imports currentReplicasIfHigher / IfLower as missingData.fallbackBehavior, static without one', () => {
    expect(compiled('currentReplicasIfHigher').ruleSet.missingData).toEqual({ policy: 'fallback', fallbackCapacity: 6, fallbackAfter: 1, fallbackBehavior: 'currentIfHigher' });
    expect(compiled('currentReplicasIfLower').ruleSet.missingData).toEqual({ policy: 'fallback', fallbackCapacity: 6, fallbackAfter: 1, fallbackBehavior: 'currentIfLower' });
    expect(compiled('static').ruleSet.missingData).toEqual({ policy: 'fallback', fallbackCapacity: 6, fallbackAfter: 1 });
    expect(compiled('currentReplicasIfHigher').unsupported).toEqual([]);
    expect(compiled('currentReplicasIfHigher').notes.join('\n')).toContain('the higher of the current capacity and 6 (currentReplicasIfHigher, doFallback)');
  });

  it('the reason names the behaviour: 8 stays 8, the higher of the current capacity and 6', () => {
    expect(fallBack('currentReplicasIfHigher', 8).reason).toContain('stays at the fallback 8, the higher of the current capacity and 6 (KEDA fallback, currentReplicasIfHigher)');
    expect(fallBack('currentReplicasIfLower', 3).reason).toContain('stays at the fallback 3, the lower of the current capacity and 6 (KEDA fallback, currentReplicasIfLower)');
  });

  it('with data, the behaviour changes nothing: the trigger decides (250 against 10 at 8 → 20, the maximum)', () => {
    const d = decide(compiled('currentReplicasIfLower').compiled, { id: 'Deployment/worker', capacity: 8, metrics: { 's0-prometheus': 250 } }, NOW);
    expect(d.code).not.toMatch(/^MissingData/);
    expect(d.to).toBeGreaterThan(8);
  });
});

describe('HasValidFallback: with scalingModifiers the target must be a whole number, else KEDA never falls back', () => {
  const text = (target: string) =>
    so(`  minReplicaCount: 1
  fallback: { failureThreshold: 2, replicas: 5 }
  advanced:
    scalingModifiers: { formula: "x * 2", target: "${target}" }
  triggers:
${trigger('prometheus', undefined, 'x')}`);

  it('target "2.5": imported, the fallback reported as never applied, capacity holds on missing data', () => {
    const r = importKedaScaledObject(text('2.5'));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.ruleSet.missingData).toEqual({ policy: 'hold' });
    expect(r.unsupported).toEqual([expect.objectContaining({ path: 'spec.fallback', message: expect.stringContaining('strconv.ParseInt') })]);
  });

  it('target "2": the fallback applies', () => {
    const r = importKedaScaledObject(text('2'));
    expect(r.ok && r.ruleSet.missingData).toEqual({ policy: 'fallback', fallbackCapacity: 5, fallbackAfter: 3 });
  });
});

// KEDA's fallback is for its scalers' metrics only: pkg/scaling/scale_handler.go getScalerState skips
// metric specs without External (cpu/memory, which the HPA reads from metrics-server) and calls
// fallback.GetMetricsWithFallback for the others. A cpu metric without data is a metric the HPA cannot
// read: it scales on the valid ones, up only (horizontal.go computeReplicasForMetrics).
describe('the fallback is for the scalers, not cpu/memory (missingData.fallbackMetrics)', () => {
  const NOW = Date.parse('2026-11-23T10:00:00Z');
  // failureThreshold 0 is KEDA's minimum (CheckFallbackValid, HasValidFallback: >= 0): the first failure falls back.
  const text = so(`  minReplicaCount: 1
  maxReplicaCount: 20
  fallback: { failureThreshold: 0, replicas: 10 }
  triggers:
  - type: cpu
    metricType: Utilization
    metadata: { value: "60" }
  - type: prometheus
    metadata: { serverAddress: "http://p:9090", query: q, threshold: "100" }
`);
  const imported = () => {
    const r = importKedaScaledObject(text);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r;
  };
  const at4 = (metrics: Record<string, number>) => {
    const d = decide(imported().compiled, { id: 'Deployment/worker', capacity: 4, metrics }, NOW);
    return [d.to, d.code, d.state.missingCount];
  };

  it('imports the fallback scoped to the prometheus trigger, and says so', () => {
    expect(imported().ruleSet.missingData).toEqual({ policy: 'fallback', fallbackCapacity: 10, fallbackAfter: 1, fallbackMetrics: ['s1-prometheus'] });
    expect(imported().notes.join('\n')).toContain('spec.fallback: for s1-prometheus only (missingData.fallbackMetrics)');
  });

  it('prometheus 400 against 100 at 4, cpu without data: 4 (the valid metric asks for 4), not the fallback 10', () => {
    expect(at4({ 's1-prometheus': 400 })).toEqual([4, 'MissingDataHold', undefined]);
  });

  it('prometheus 800: 8 from the valid metric; prometheus 100: held at 4 (the HPA does not scale down with a metric it cannot read)', () => {
    expect(at4({ 's1-prometheus': 800 })).toEqual([8, 'ScaleOut', undefined]);
    expect(at4({ 's1-prometheus': 100 })).toEqual([4, 'MissingDataHold', undefined]);
  });

  it('prometheus without data falls back: 4 → 8 towards 10 (the no-behavior limit max(2 × 4, 4))', () => {
    expect(at4({})).toEqual([8, 'ScaleUpLimit', 1]);
  });

  it("with scalingModifiers, scoped to the formula's triggers (the composite metric replaces them; another is not read)", () => {
    const r = importKedaScaledObject(
      so(
        `  minReplicaCount: 1\n  fallback: { failureThreshold: 0, replicas: 5 }\n  advanced:\n    scalingModifiers: { formula: "x", target: "2" }\n  triggers:\n${trigger('cpu', 'Utilization')}${trigger('prometheus', undefined, 'x')}${trigger('prometheus', undefined, 'y')}`,
      ),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.ruleSet.missingData).toEqual({ policy: 'fallback', fallbackCapacity: 5, fallbackAfter: 1, fallbackMetrics: ['x'] });
  });

  it('a ScaledObject without a cpu/memory trigger is imported unscoped, as before', () => {
    const r = importKedaScaledObject(so(`  minReplicaCount: 1\n  fallback: { failureThreshold: 2, replicas: 5 }\n  triggers:\n${trigger('prometheus')}`));
    expect(r.ok && r.ruleSet.missingData).toEqual({ policy: 'fallback', fallbackCapacity: 5, fallbackAfter: 3 });
  });
});

// At 0 replicas: a trigger in fallback is active (kedacore/keda pkg/scaling/scale_handler.go getScalerState:
// `isActiveOrFallback := fallbackActive || isMetricActive`, and the error is cleared by the fallback), so
// pkg/scaling/executor/scale_scaledobjects.go RequestScale takes the active branch: at 0, scaleFromZeroOrIdle
// to max(1, minReplicaCount); above 0 the HPA takes it to fallback.replicas. Before the fallback (failures ≤
// failureThreshold) the scaler is an error: isError with a fallback of replicas ≠ 0 is "no change".
describe('the fallback at 0 replicas activates, as in KEDA (scaleToZero.activeOnFallback)', () => {
  const T = Date.parse('2026-11-23T10:00:00Z');
  const zero = (opts: { fallback?: string; metricType?: string; modifiers?: string } = {}) =>
    so(`  minReplicaCount: 0
  maxReplicaCount: 20
  cooldownPeriod: 300
  fallback: ${opts.fallback ?? '{ failureThreshold: 2, replicas: 6 }'}
${opts.modifiers ? `  advanced:\n    scalingModifiers: ${opts.modifiers}\n` : ''}  triggers:
  - type: prometheus
    name: x
${opts.metricType ? `    metricType: ${opts.metricType}\n` : ''}    metadata: { serverAddress: "http://p:9090", query: q, threshold: "100" }
`);
  const load = (text: string) => {
    const r = importKedaScaledObject(text);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r;
  };
  /** Decisions a minute apart from 0 replicas, each fed the previous one's capacity and state. */
  const run = (text: string, steps: Array<Record<string, number>>) => {
    const { compiled } = load(text);
    let capacity = 0;
    let state: ReturnType<typeof decide>['state'] | undefined;
    return steps.map((metrics, i) => {
      const d = decide(compiled, { id: 'Deployment/worker', capacity, metrics, ...(state && { state }) }, T + i * 60_000);
      capacity = d.to;
      state = d.state;
      return [d.to, d.code];
    });
  };

  it('imports scaleToZero.activeOnFallback for an AverageValue trigger, and says so', () => {
    const r = load(zero());
    expect(r.ruleSet.scaleToZero).toMatchObject({ metric: 'x', cooldown: 'PT300S', activeOnFallback: ['x'] });
    expect(r.notes.join('\n')).toContain('in fallback, x counts as active (scaleToZero.activeOnFallback)');
  });

  it('failureThreshold 2: 0, 0 (failures 1, 2: an error, no change), then active: 1, then the HPA: 4, 6', () => {
    expect(run(zero(), [{}, {}, {}, {}, {}])).toEqual([
      [0, 'ActivationNotReached'],
      [0, 'ActivationNotReached'],
      [1, 'Activated'],
      [4, 'ScaleUpLimit'],
      [6, 'MissingDataFallback'],
    ]);
  });

  it('the reason and trace name the fallback; the decision records the last active time', () => {
    const { compiled } = load(zero({ fallback: '{ failureThreshold: 0, replicas: 6 }' }));
    const d = decide(compiled, { id: 'Deployment/worker', capacity: 0, metrics: {} }, T);
    expect([d.to, d.code]).toEqual([1, 'Activated']);
    expect(d.reason).toContain('x is in the missing-data fallback, which counts as active (KEDA), so capacity goes to 1');
    expect(d.trace.activation).toMatchObject({ active: false, fallback: ['x'], lastActive: '2026-11-23T10:00:00Z' });
    expect(d.state.activation).toEqual({ lastActive: '2026-11-23T10:00:00Z' });
  });

  it('data back below the activation value: inactive, 0 only after cooldownPeriod since the last fallback decision', () => {
    const quiet = { x: 0 };
    const steps = run(zero({ fallback: '{ failureThreshold: 0, replicas: 6 }' }), [{}, {}, quiet, quiet, quiet, quiet, quiet, quiet]);
    // Last active at minute 1 (the fallback); minutes 2–6 are inside its cooldown of 5 minutes, where the
    // HPA without a behavior keeps the highest recommendation of 300 s (the fallback's 6); minute 7, strictly
    // after lastActive + cooldownPeriod (scaleToZeroOrIdle), goes to 0.
    expect(steps.map((s) => s[0])).toEqual([1, 4, 6, 6, 6, 6, 6, 0]);
    expect(steps[7]).toEqual([0, 'Deactivated']);
  });

  it('a Value trigger stays at 0: doFallback needs ready replicas, and at 0 there are none (an error, no change)', () => {
    expect(load(zero({ metricType: 'Value' })).ruleSet.scaleToZero).not.toHaveProperty('activeOnFallback');
    expect(run(zero({ metricType: 'Value', fallback: '{ failureThreshold: 0, replicas: 6 }' }), [{}, {}])).toEqual([
      [0, 'ActivationNotReached'],
      [0, 'ActivationNotReached'],
    ]);
  });

  it('scalingModifiers: active when target × replicas is above activationTarget (2 × 6 = 12 > 0, not > 20)', () => {
    const mod = (activation: string) => zero({ fallback: '{ failureThreshold: 0, replicas: 6 }', modifiers: `{ formula: "x", target: "2"${activation} }` });
    expect(load(mod('')).ruleSet.scaleToZero).toMatchObject({ activeOnFallback: ['x'] });
    expect(run(mod(''), [{}])).toEqual([[1, 'Activated']]);
    expect(load(mod(', activationTarget: "20"')).ruleSet.scaleToZero).not.toHaveProperty('activeOnFallback');
    expect(run(mod(', activationTarget: "20"'), [{}])).toEqual([[0, 'ActivationNotReached']]);
  });
});

// pkg/fallback/fallback.go GetMetricsWithFallback: each failure increments status.health[metric].numberOfFailures
// (IncrementFailure) and the fallback applies when `*healthStatus.NumberOfFailures > FailureThreshold`
// (strictly more); a success resets it to 0 (UpdateHealthStatus, NumberOfFailures 0). edgescale counts
// evaluations without data in state.missingCount, with fallbackAfter = failureThreshold + 1.
describe('failureThreshold: the fallback once the failures exceed it (NumberOfFailures > FailureThreshold)', () => {
  const T = Date.parse('2026-11-23T10:00:00Z');
  const decisions = (threshold: number, steps: Array<Record<string, number>>) => {
    const r = importKedaScaledObject(
      so(`  minReplicaCount: 1\n  maxReplicaCount: 20\n  fallback: { failureThreshold: ${threshold}, replicas: 3 }\n  triggers:\n${trigger('prometheus')}`),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    let state: ReturnType<typeof decide>['state'] | undefined;
    return steps.map((metrics, i) => {
      const d = decide(r.compiled, { id: 'Deployment/worker', capacity: 2, metrics, ...(state && { state }) }, T + i * 60_000);
      state = d.state;
      return d.code === 'MissingDataFallback' ? `fallback ${d.to}` : d.code;
    });
  };

  it.each([0, 1, 2, 5])('failureThreshold %i: failures 1..%i hold, failure %i + 1 falls back', (threshold) => {
    const codes = decisions(
      threshold,
      Array.from({ length: threshold + 2 }, () => ({})),
    );
    expect(codes).toEqual([...Array.from({ length: threshold }, () => 'MissingDataHold'), 'fallback 3', 'fallback 3']);
  });

  it('a success resets the count (UpdateHealthStatus, NumberOfFailures 0): failureThreshold 1 needs 2 failures in a row again', () => {
    const ok = { 's0-prometheus': 20 };
    expect(decisions(1, [{}, ok, {}, {}])).toEqual(['MissingDataHold', 'NoChange', 'MissingDataHold', 'fallback 3']);
  });
});
