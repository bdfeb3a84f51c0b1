// hpaController.scaleUpLimitFactor / scaleUpLimitMinimum: the HPA's scale-up limit without behavior, through decide().
//
// Source: kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go, convertDesiredReplicasWithRules
// and calculateScaleUpLimit: without `behavior`, one step reaches at most
// int32(max(scaleUpLimitFactor × currentReplicas, scaleUpLimitMinimum)), with the constants
// scaleUpLimitFactor = 2.0 and scaleUpLimitMinimum = 4.0. edgescale lets a rule set set both (issue 17:
// "the controller's tolerance and scale-up limit factor settable"); unset, the constants apply.
// Expected numbers are worked out by hand in each row.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import type { RuleSetInput } from '../../src/schema.js';
import { loadRuleSet } from '../../src/engine/ruleset.js';
import { compile } from '../helpers.js';

const T = Date.parse('2026-11-23T17:00:00Z');

function ruleSet(hpaController?: RuleSetInput['hpaController']): RuleSetInput {
  return {
    id: 'web',
    capacity: { minimum: 1, maximum: 100, default: 2 },
    rules: [],
    targetTracking: [{ id: 'cpu', metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 50 } }],
    ...(hpaController && { hpaController }),
  };
}

describe('the scale-up limit without behavior', () => {
  // cpu 500 % against 50 % → ratio 10 → the calculator asks for 10 × current.
  it.each([
    { name: 'defaults: 2 → max(2 × 2, 4) = 4', settings: undefined, current: 2, to: 4, code: 'ScaleUpLimit' },
    { name: 'defaults: 5 → max(2 × 5, 4) = 10', settings: undefined, current: 5, to: 10, code: 'ScaleUpLimit' },
    { name: 'factor 3: 5 → max(3 × 5, 4) = 15', settings: { scaleUpLimitFactor: 3 }, current: 5, to: 15, code: 'ScaleUpLimit' },
    { name: 'factor 1.5: 5 → int32(max(7.5, 4)) = 7', settings: { scaleUpLimitFactor: 1.5 }, current: 5, to: 7, code: 'ScaleUpLimit' },
    { name: 'minimum 8: 2 → max(2 × 2, 8) = 8', settings: { scaleUpLimitMinimum: 8 }, current: 2, to: 8, code: 'ScaleUpLimit' },
    { name: "factor 20: 5 → the calculator's 50 is under max(100, 4), so 50 goes through", settings: { scaleUpLimitFactor: 20 }, current: 5, to: 50, code: undefined },
    { name: 'factor 1, minimum 1: 5 → max(5, 1) = 5, no scale-up at all', settings: { scaleUpLimitFactor: 1, scaleUpLimitMinimum: 1 }, current: 5, to: 5, code: 'ScaleUpLimit' },
  ])('$name', async ({ settings, current, to, code }) => {
    const d = await decide(compile(ruleSet(settings)), { id: 'web', capacity: current, metrics: { cpu: 500 } }, T);
    expect(d.to).toBe(to);
    if (code) expect(d.code).toBe(code);
    else expect(d.code).not.toBe('ScaleUpLimit');
  });

  it('the trace names the limit used', async () => {
    const d = await decide(compile(ruleSet({ scaleUpLimitFactor: 3, scaleUpLimitMinimum: 6 })), { id: 'web', capacity: 1, metrics: { cpu: 500 } }, T);
    expect(d.to).toBe(6);
    expect(JSON.stringify(d.trace)).toContain('scaleUpLimit max(3 × current, 6)');
    expect(d.reason).toContain('max(3 × 1, 6) = 6');
  });

  it('with a behavior the policies limit instead, and the settings do not apply (normalizeDesiredReplicasWithBehaviors)', async () => {
    const spec = { ...ruleSet({ scaleUpLimitFactor: 50 }), behavior: { scaleUp: { policies: [{ type: 'Pods' as const, value: 1, periodSeconds: 60 }] } } };
    const d = await decide(compile(spec), { id: 'web', capacity: 5, metrics: { cpu: 500 } }, T);
    expect(d.to).toBe(6);
  });

  it.each([
    { settings: { scaleUpLimitFactor: 0.5 }, path: 'hpaController.scaleUpLimitFactor' },
    { settings: { scaleUpLimitMinimum: 0 }, path: 'hpaController.scaleUpLimitMinimum' },
    { settings: { scaleUpLimitMinimum: 2.5 }, path: 'hpaController.scaleUpLimitMinimum' },
  ])('$settings is refused at $path', ({ settings, path }) => {
    const loaded = loadRuleSet(ruleSet(settings));
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.issues[0]?.path).toBe(path);
  });
});
