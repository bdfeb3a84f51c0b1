// KEDA's executor through decide(): scaleToZero with `cooldown` (and `idleCapacity`, `also`), row by row
// against kedacore/keda pkg/scaling/executor/scale_scaledobjects.go RequestScale (at 8b4f083c):
//   isActive && (idle set && current < min || current == 0)      → scaleFromZeroOrIdle: max(1, min)
//   isActive otherwise                                            → the HPA (never below its min, max(1, min))
//   !isActive && (idle set && current > idle || current > 0 && min == 0)
//        lastActiveTime + cooldownPeriod before now               → scaleToZeroOrIdle: idle, else min (0)
//        else                                                     → "ScaleTarget cooling down": the HPA
//   !isActive && idle unset && current < min                      → min
//   otherwise                                                     → no change
// isActive is any trigger above its activation threshold (scale_handler.go getScaledObjectState).
import { describe, expect, it } from 'vitest';
import type { RuleSetInput } from '../../src/schema.js';
import { ruleSet, run, T0 } from '../helpers.js';

const COOLDOWN_S = 300;
const at = (seconds: number) => T0 + seconds * 1000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** An HPA-like set: the queue per replica against 100 (AverageValue), activation above 5 on queue or above 0 on jobs. */
function spec(extra: Partial<NonNullable<RuleSetInput['scaleToZero']>> = {}, minimum = 0) {
  return ruleSet([], {
    capacity: { minimum, maximum: 20, default: Math.max(minimum, 1) },
    targetTracking: [{ id: 'queue', metric: 'queue', target: { type: 'AverageValue', averageValue: 100 } }],
    behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
    scaleToZero: { metric: 'queue', activationThreshold: 5, also: [{ metric: 'jobs', activationThreshold: 0 }], cooldown: `PT${COOLDOWN_S}S`, ...extra },
    metrics: ['jobs'],
  });
}
const lastActive = (seconds: number) => ({ version: 1 as const, cooldownUntil: {}, activation: { lastActive: iso(at(seconds)) } });

describe('scaleToZero with a cooldown decides 0 as KEDA’s executor does (minReplicaCount 0)', () => {
  it.each([
    { name: 'active from 0 (queue 250 > 5): scaleFromZeroOrIdle → max(1, min) = 1', capacity: 0, queue: 250, jobs: 0, now: 0, to: 1, code: 'Activated' },
    { name: 'active from 0 through a second trigger only (jobs 1 > 0, queue 3): → 1', capacity: 0, queue: 3, jobs: 1, now: 0, to: 1, code: 'Activated' },
    { name: 'inactive at 0 (queue 5, not above 5): stays at 0', capacity: 0, queue: 5, jobs: 0, now: 0, to: 0, code: 'ActivationNotReached' },
    { name: 'active above 0: the HPA decides (150 per replica against 100 at 2 → 3)', capacity: 2, queue: 150, jobs: 0, now: 0, to: 3, code: 'ScaleOut' },
    { name: 'active, the HPA asks for 0 (queue 6 → ceil(0.06 × 2) = 1): never below 1', capacity: 2, queue: 6, jobs: 0, now: 0, to: 1, code: 'ScaleIn' },
    {
      name: 'inactive, cooling down (active 300 s ago, exactly the cooldown: not before now): the HPA, never below 1',
      capacity: 2,
      queue: 0,
      jobs: 0,
      now: 300,
      active: 0,
      to: 1,
      code: 'DeactivationBlocked',
    },
    { name: 'inactive, the cooldown passed (301 s since active): scaleToZeroOrIdle → 0', capacity: 2, queue: 0, jobs: 0, now: 301, active: 0, to: 0, code: 'Deactivated' },
    { name: 'inactive, no last active time (a first decision): the cooldown counts as passed → 0', capacity: 4, queue: 2, jobs: 0, now: 0, to: 0, code: 'Deactivated' },
  ])('$name', async ({ capacity, queue, jobs, now, active, to, code }) => {
    const d = await run(spec(), { capacity, metrics: { queue, jobs }, ...(active !== undefined && { state: lastActive(active) }) }, at(now));
    expect({ to: d.to, code: d.code }).toEqual({ to, code });
  });

  it('an active decision records lastActive; an inactive one carries it over, and the trace says until when it cools down', async () => {
    const active = await run(spec(), { capacity: 2, metrics: { queue: 250, jobs: 0 } }, at(0));
    expect(active.state.activation).toEqual({ lastActive: iso(at(0)) });
    const cooling = await run(spec(), { capacity: 3, metrics: { queue: 0, jobs: 0 }, state: active.state }, at(120));
    expect(cooling.state.activation).toEqual({ lastActive: iso(at(0)) });
    expect(cooling.trace.activation).toMatchObject({ active: false, lastActive: iso(at(0)), coolingUntil: iso(at(COOLDOWN_S)) });
    const after = await run(spec(), { capacity: 3, metrics: { queue: 0, jobs: 0 }, state: cooling.state }, at(COOLDOWN_S + 1));
    expect(after).toMatchObject({ to: 0, code: 'Deactivated', rule: null });
    expect(after.reason).toMatch(/the cooldown since the last active decision has passed, so capacity goes to 0$/);
    expect(after.trace.activation?.also).toEqual([{ metric: 'jobs', value: 0, threshold: 0, active: false }]);
  });

  it('no data from any activating metric neither activates nor deactivates (KEDA’s trigger error)', async () => {
    const atZero = await run(spec(), { capacity: 0, metrics: {} }, at(0));
    expect(atZero).toMatchObject({ to: 0, code: 'ActivationNotReached' });
    const above = await run(spec(), { capacity: 3, metrics: {}, state: lastActive(-1000) }, at(0));
    expect(above.to).toBeGreaterThanOrEqual(1);
    expect(above.code).not.toBe('Deactivated');
  });
});

describe('idleCapacity (KEDA idleReplicaCount 0, minReplicaCount 2)', () => {
  const idle = spec({ idleCapacity: 0 }, 2);
  it.each([
    { name: 'active at idle (0 < min 2): scaleFromZeroOrIdle → min 2', capacity: 0, queue: 50, to: 2, code: 'Activated' },
    { name: 'inactive at idle: stays at idle, below the minimum, without a bounds note', capacity: 0, queue: 0, to: 0, code: 'ActivationNotReached' },
    { name: 'inactive above idle, the cooldown passed: → idle 0', capacity: 5, queue: 0, to: 0, code: 'Deactivated' },
    { name: 'active above the minimum: the HPA (150 per replica at 3 → 5)', capacity: 3, queue: 150, to: 5, code: 'ScaleOut' },
  ])('$name', async ({ capacity, queue, to, code }) => {
    const d = await run(idle, { capacity, metrics: { queue, jobs: 0 } }, at(0));
    expect({ to: d.to, code: d.code }).toEqual({ to, code });
    if (code === 'ActivationNotReached') expect(d.reason).not.toMatch(/bounds/);
  });

  it('refused at load: idleCapacity not below the minimum, or without a cooldown', async () => {
    const { loadRuleSet } = await import('../../src/engine/ruleset.js');
    const base = { id: 'x', capacity: { minimum: 2, maximum: 5, default: 2 }, rules: [], metrics: ['queue'] };
    const notBelow = loadRuleSet({ ...base, scaleToZero: { metric: 'queue', activationThreshold: 0, cooldown: 'PT5M', idleCapacity: 2 } });
    const noCooldown = loadRuleSet({ ...base, scaleToZero: { metric: 'queue', activationThreshold: 0, idleCapacity: 0 } });
    expect(notBelow.ok ? [] : notBelow.issues.map((i) => [i.code, i.path])).toEqual([['InvalidBounds', 'scaleToZero.idleCapacity']]);
    expect(noCooldown.ok ? [] : noCooldown.issues.map((i) => [i.code, i.path])).toEqual([['InvalidBounds', 'scaleToZero.idleCapacity']]);
  });
});

// A trigger in fallback is active: kedacore/keda pkg/scaling/scale_handler.go getScalerState,
// `isActiveOrFallback := fallbackActive || isMetricActive` (the fallback also clears the scaler's error).
describe('activeOnFallback: the missing-data fallback in effect counts as active (KEDA)', () => {
  const fallback = (activeOnFallback?: string[], extra: Partial<NonNullable<RuleSetInput['scaleToZero']>> = {}, minimum = 0) => ({
    ...spec({ ...(activeOnFallback && { activeOnFallback }), ...extra }, minimum),
    missingData: { policy: 'fallback' as const, fallbackCapacity: 6, fallbackAfter: 2 },
  });
  const missing = (n: number) => ({ version: 1 as const, cooldownUntil: {}, missingCount: n });

  it.each([
    { name: 'at 0, the fallback in effect (2nd evaluation without data): → 1 (scaleFromZeroOrIdle)', on: ['queue'], count: 1, to: 1, code: 'Activated' },
    { name: 'at 0, before the fallback (1st evaluation, a trigger error): stays at 0', on: ['queue'], count: 0, to: 0, code: 'ActivationNotReached' },
    { name: 'at 0, without activeOnFallback the fallback does not activate: stays at 0', on: undefined, count: 1, to: 0, code: 'ActivationNotReached' },
    { name: 'at 0, the fallback is for a metric not listed: stays at 0', on: ['jobs'], count: 1, to: 0, code: 'ActivationNotReached' },
  ])('$name', async ({ on, count, to, code }) => {
    const d = await run(fallback(on), { capacity: 0, metrics: { jobs: 0 }, state: missing(count) }, at(0));
    expect({ to: d.to, code: d.code }).toEqual({ to, code });
  });

  it('idleCapacity 0, minimum 2: from idle the fallback goes to the minimum 2', async () => {
    const d = await run(fallback(['queue'], { idleCapacity: 0 }, 2), { capacity: 0, metrics: { jobs: 0 }, state: missing(1) }, at(0));
    expect([d.to, d.code]).toEqual([2, 'Activated']);
  });

  it('above 0 the fallback keeps the target active: lastActive is recorded, it never deactivates, the HPA goes to 6', async () => {
    const d = await run(fallback(['queue']), { capacity: 3, metrics: { jobs: 0 }, state: { ...missing(5), activation: { lastActive: iso(at(-1000)) } } }, at(0));
    expect([d.to, d.code]).toEqual([6, 'MissingDataFallback']);
    expect(d.state.activation).toEqual({ lastActive: iso(at(0)) });
    expect(d.trace.activation).toMatchObject({ active: false, fallback: ['queue'] });
  });

  it('refused at load when it names a metric the set does not read (UnknownMetric)', async () => {
    const { loadRuleSet } = await import('../../src/engine/ruleset.js');
    const r = loadRuleSet(fallback(['queue', 'lag']));
    expect(r.ok ? [] : r.issues.map((i) => [i.code, i.path])).toEqual([['UnknownMetric', 'scaleToZero.activeOnFallback[1]']]);
  });

  it('refused at load without a cooldown, naming the field', async () => {
    const { loadRuleSet } = await import('../../src/engine/ruleset.js');
    const r = loadRuleSet(fallback(['queue'], { cooldown: undefined }));
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(['scaleToZero.activeOnFallback']);
  });
});
