// Fixtures shared by the HPA tests: the clock, horizontal_test.go's generators, and behavior defaulting.
import type { HpaNormalizeResult } from '../../src/engine/hpa/normalize.js';
import { applyHpaBehaviorDefaults, HpaBehavior, type HpaBehaviorDefaulted, type HpaScalingRules } from '../../src/schemas/hpa-behavior.js';

export const T0 = Date.parse('2026-11-22T10:30:00Z');
export const SEC = 1000;
export const MIN = 60 * SEC;
export const iso = (ms: number): string => new Date(ms).toISOString();

export type Ok = Extract<HpaNormalizeResult, { ok: true }>;
export function ok(r: HpaNormalizeResult): Ok {
  if (!r.ok) throw new Error(`expected ok, got ${r.code}: ${r.message}`);
  return r;
}

/** horizontal_test.go generateScalingRules: a Pods and/or a Percent policy (0 = absent), selectPolicy Max. */
export function rules(pods: number, podsPeriod: number, percent: number, percentPeriod: number, window: number): HpaScalingRules {
  const policies: NonNullable<HpaScalingRules['policies']> = [];
  if (pods !== 0) policies.push({ type: 'Pods', value: pods, periodSeconds: podsPeriod });
  if (percent !== 0) policies.push({ type: 'Percent', value: percent, periodSeconds: percentPeriod });
  return { stabilizationWindowSeconds: window, selectPolicy: 'Max', policies };
}

/**
 * horizontal_test.go generateEventsUniformDistribution: n events spread over the last `period`
 * seconds, each in the middle of its segment, oldest first (3 over 120 s: −100 s, −60 s, −20 s); Go
 * truncates the offset to whole seconds (time.Duration of a float).
 */
export function uniformEvents(changes: number[], period: number): Array<{ at: string; change: number }> {
  const segment = period / changes.length;
  return changes.map((change, idx) => ({ at: iso(T0 - Math.trunc(period - segment * (idx + 1) + segment / 2) * SEC), change }));
}

/** A behavior as the controller sees it, after defaults.go. */
export function behavior(b: HpaBehavior = {}): HpaBehaviorDefaulted {
  return applyHpaBehaviorDefaults(HpaBehavior.parse(b))!;
}
