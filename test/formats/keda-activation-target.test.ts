// KEDA scalingModifiers activationTarget: the composite value activates, at minReplicaCount 0 and with idleReplicaCount.
//
// kedacore/keda at 8b4f083c, pkg/scaling/scale_handler.go getScaledObjectState: with scalingModifiers the
// activity of the triggers is reset and the object is active when a metric of the modified list (the
// composite) is strictly above activationTarget (strconv.ParseFloat, default 0); a scaler error makes it
// inactive and an error. pkg/scaling/executor/scale_scaledobjects.go RequestScale then scales from 0 (or
// idle) to max(1, minReplicaCount) when active, and to 0 (or idle) after cooldownPeriod when inactive; at
// minReplicaCount ≥ 1 without idleReplicaCount an inactive object is left to the HPA.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { importKedaScaledObject } from '../../src/formats/keda/import.js';
import type { Decision } from '../../src/schemas/decision.js';

const NOW = Date.parse('2026-11-23T10:00:00Z');

/** Two prometheus triggers a and b (their own activation thresholds 1000, which scalingModifiers overrides), formula "(a + b) / 2", target 10. */
const so = (spec: string, modifiers = '      activationTarget: "50"\n') => `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: worker, namespace: jobs }
spec:
  scaleTargetRef: { name: worker }
${spec}  cooldownPeriod: 120
  maxReplicaCount: 50
  advanced:
    scalingModifiers:
      formula: "(a + b) / 2"
      target: "10"
${modifiers}  triggers:
  - type: prometheus
    name: a
    metadata: { serverAddress: "http://p:9090", query: qa, threshold: "100", activationThreshold: "1000" }
  - type: prometheus
    name: b
    metadata: { serverAddress: "http://p:9090", query: qb, threshold: "100", activationThreshold: "1000" }
`;

function load(text: string) {
  const r = importKedaScaledObject(text);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r;
}
const run = (text: string, capacity: number, metrics: Record<string, number>, state?: Decision['state']) =>
  decide(load(text).compiled, { id: 'Deployment/worker', capacity, metrics, ...(state && { state }) }, NOW);

describe('minReplicaCount 0: the composite value against activationTarget (it was refused)', () => {
  const zero = so('  minReplicaCount: 0\n');

  it('imports scaleToZero on the composite expression, with activationTarget as its threshold', () => {
    const r = load(zero);
    expect(r.ruleSet.scaleToZero).toEqual({
      metric: 'composite-metric',
      expr: r.ruleSet.scaleToZero!.expr,
      activationThreshold: 50,
      window: 'PT1M',
      cooldown: 'PT120S',
    });
    expect(r.ruleSet.scaleToZero!.expr).toContain('metrics.`a`.avg');
  });

  it('at 0: composite (40 + 40) / 2 = 40 is not above 50 → stays 0; (40 + 80) / 2 = 60 is → 1 (Activated)', () => {
    expect(run(zero, 0, { a: 40, b: 40 })).toMatchObject({ to: 0, code: 'ActivationNotReached' });
    const d = run(zero, 0, { a: 40, b: 80 });
    expect(d).toMatchObject({ to: 1, code: 'Activated' });
    expect(d.trace.activation).toMatchObject({ metric: 'composite-metric', value: 60, threshold: 50, active: true });
  });

  it("the triggers' own activation thresholds (1000) take no part: KEDA resets their activity under scalingModifiers", () => {
    expect(run(zero, 0, { a: 2000, b: 2000 }).code).toBe('Activated');
    // 20 and 20: each below its 1000, composite 20 below 50: inactive whatever the triggers say.
    expect(run(zero, 0, { a: 20, b: 20 }).code).toBe('ActivationNotReached');
  });

  it('active at 1: the HPA takes it from there, composite 60 against 10 (AverageValue) asks 6, the default behavior allows max(1 + 4, 1 × 2) = 5', () => {
    expect(run(zero, 1, { a: 40, b: 80 })).toMatchObject({ to: 5, code: 'ScaleUpLimit' });
  });

  it('inactive at 3: 0 once cooldownPeriod (120 s) has passed since the last active decision, not before', () => {
    const lastActive = (at: string) => ({ cooldownUntil: {}, activation: { lastActive: at } }) as unknown as Decision['state'];
    expect(run(zero, 3, { a: 10, b: 10 }, lastActive('2026-11-23T09:57:00Z'))).toMatchObject({ to: 0, code: 'Deactivated' });
    const cooling = run(zero, 3, { a: 10, b: 10 }, lastActive('2026-11-23T09:59:00Z'));
    expect(cooling.to).toBeGreaterThanOrEqual(1);
    expect(cooling.trace.activation).toMatchObject({ active: false, coolingUntil: '2026-11-23T10:01:00Z' });
  });

  it('a trigger without data is an error, as in KEDA: no activation at 0, no deactivation at 3', () => {
    expect(run(zero, 0, { a: 400 })).toMatchObject({ to: 0, code: 'ActivationNotReached' });
    expect(run(zero, 3, { a: 10 }).to).toBeGreaterThanOrEqual(1);
  });

  it('without activationTarget the threshold is 0: composite 0 stays 0, 0.5 activates', () => {
    const noTarget = so('  minReplicaCount: 0\n', '');
    expect(load(noTarget).ruleSet.scaleToZero?.activationThreshold).toBe(0);
    expect(run(noTarget, 0, { a: 0, b: 0 }).code).toBe('ActivationNotReached');
    expect(run(noTarget, 0, { a: 0, b: 1 }).code).toBe('Activated');
  });
});

describe('minReplicaCount ≥ 1: activationTarget applies with idleReplicaCount, and changes nothing without it (as KEDA)', () => {
  it('min 2, idle 0: inactive at 4 → idle 0 (Deactivated); active at 0 → the minimum 2 (Activated)', () => {
    const idle = so('  minReplicaCount: 2\n  idleReplicaCount: 0\n');
    expect(load(idle).ruleSet.scaleToZero).toMatchObject({ activationThreshold: 50, idleCapacity: 0 });
    expect(run(idle, 4, { a: 10, b: 10 })).toMatchObject({ to: 0, code: 'Deactivated' });
    expect(run(idle, 0, { a: 60, b: 60 })).toMatchObject({ to: 2, code: 'Activated' });
  });

  it('min 2 without idle: no activation (KEDA leaves an inactive object at its minimum), noted', () => {
    const r = load(so('  minReplicaCount: 2\n'));
    expect(r.ruleSet.scaleToZero).toBeUndefined();
    expect(r.notes.join('\n')).toMatch(/activationTarget: with minReplicaCount 2 and no idleReplicaCount, activation changes no replica count/);
    const d = run(so('  minReplicaCount: 2\n'), 3, { a: 10, b: 10 });
    expect(d.trace.activation).toBeUndefined();
    expect(d.code).not.toBe('Deactivated');
  });
});

describe('refusals', () => {
  it('an activationTarget that does not parse (KEDA errors on every poll and never activates)', () => {
    const r = importKedaScaledObject(so('  minReplicaCount: 0\n', '      activationTarget: "lots"\n'));
    expect(!r.ok && r.issues).toEqual([{ code: 'ImportError', path: 'spec.advanced.scalingModifiers.activationTarget', message: expect.stringContaining('getScaledObjectState') }]);
  });

  it('a native rule set: scaleToZero.expr with `also` is refused, and an expression that does not compile', async () => {
    const { loadRuleSet } = await import('../../src/engine/ruleset.js');
    const base = { id: 'x', capacity: { minimum: 0, maximum: 5, default: 0 }, rules: [] };
    const also = loadRuleSet({ ...base, scaleToZero: { metric: 'v', expr: 'metrics.a.avg', activationThreshold: 1, also: [{ metric: 'b', activationThreshold: 1 }] } });
    expect(!also.ok && also.issues.map((i) => i.path)).toEqual(['scaleToZero.also']);
    const bad = loadRuleSet({ ...base, scaleToZero: { metric: 'v', expr: 'metrics.a.avg +', activationThreshold: 1 } });
    expect(!bad.ok && bad.issues.map((i) => i.path)).toEqual(['scaleToZero.expr']);
    const ok = loadRuleSet({ ...base, scaleToZero: { metric: 'v', expr: 'metrics.a.avg', activationThreshold: 1 } });
    expect(ok.ok && [...ok.ruleSet.knownMetrics!]).toEqual(['a']);
  });
});
