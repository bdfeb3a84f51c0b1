// Profiles inside decisions: the active profile's bounds and rules apply, and every decision names it and the next change.
import { describe, expect, it } from 'vitest';
import type { RequestedBy } from '../../src/schemas/decision.js';
import { profileChangeDecisions } from '../../src/engine/profile-change.js';

const CRON: RequestedBy = { credential: 'cron', kind: 'cron' };
import { tickInterval } from '../../src/cron/scheduled.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { loadRuleSet } from '../../src/engine/ruleset.js';
import { compile, flat, metricRule, ruleSet, run } from '../helpers.js';

const at = (iso: string) => Date.parse(iso);

// Azure, "Autoscale with multiple profiles": a fixed-date profile wins, then a recurring one, else
// the default; on a switch the new profile's bounds apply at once.
describe('decisions follow the active profile (storefront, Europe/Berlin)', () => {
  type Case = { name: string; now: string; capacity: number; profile: string; to: number; code: string; next: { at: string; to: string } | null };
  const cases: Case[] = [
    { name: 'Monday 08:00 Berlin (07:00Z) business hours raise the minimum to 4', now: '2026-11-23T07:00:00Z', capacity: 2, profile: 'business-hours', to: 4, code: 'BroughtIntoBounds', next: { at: '2026-11-23T17:00:00Z', to: 'default' } },
    { name: 'one millisecond earlier the night (default) profile applies', now: '2026-11-23T06:59:59.999Z', capacity: 2, profile: 'weekend', to: 2, code: 'NoRuleFired', next: { at: '2026-11-23T07:00:00Z', to: 'business-hours' } },
    { name: 'Monday 18:00 Berlin business hours end and the maximum drops to 10', now: '2026-11-23T17:00:00Z', capacity: 14, profile: 'default', to: 10, code: 'BroughtIntoBounds', next: { at: '2026-11-24T07:00:00Z', to: 'business-hours' } },
    { name: 'the fixed-date sale beats business hours on a weekday', now: '2026-12-28T09:00:00Z', capacity: 6, profile: 'winter-sale', to: 10, code: 'BroughtIntoBounds', next: { at: '2027-01-02T23:00:00Z', to: 'weekend' } },
  ];
  it.each(cases)('$name', async ({ now, capacity, profile, to, code, next }) => {
    const rs = resolveBundled('storefront')!;
    const { decide } = await import('../../src/engine/decide.js');
    const t = at(now);
    const d = await decide(rs, { id: 'storefront-eu-1', capacity, metrics: { cpu: flat(50, 10, t) } }, t);
    expect(d.profile.name).toBe(profile);
    expect(d.profile.nextChange).toEqual(next);
    expect(d).toMatchObject({ to, code });
  });

  it('a profile with its own rules uses them instead of the default rules', async () => {
    const spec = ruleSet([metricRule('cpu-high', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 1 })], {
      profiles: [
        {
          name: 'always',
          capacity: { minimum: 1, maximum: 100, default: 2 },
          rules: [metricRule('cpu-high-big', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 5 })],
          recurrence: { timeZone: 'UTC', days: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'], start: '00:00' },
        },
      ],
    });
    const d = await run(spec, { capacity: 3, metrics: { cpu: flat(90) } });
    expect(d).toMatchObject({ to: 8, rule: 'cpu-high-big', profile: { name: 'always', kind: 'recurrence' } });
  });

  it('a scheduled profile without a schedule is refused with its path', () => {
    const loaded = loadRuleSet(ruleSet([], { profiles: [{ name: 'x', capacity: { minimum: 1, maximum: 2, default: 1 } }] }));
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.issues[0]).toMatchObject({ code: 'InvalidProfile', path: 'profiles[0].name' });
  });

  it('rule errors inside a profile name the profile path', async () => {
    const spec = ruleSet([], {
      profiles: [
        {
          name: 'p',
          capacity: { minimum: 1, maximum: 10, default: 2 },
          rules: [{ id: 'bad', direction: 'out', when: { expr: '$error("x")' }, action: { type: 'ChangeCount', value: 1 } }],
          cron: { timeZone: 'UTC', start: '0 0 * * *', duration: 'P1D' },
        },
      ],
    });
    const d = await run(spec, { capacity: 3 });
    expect(d.trace.rules[0]).toMatchObject({ status: 'RuleError', error: { path: 'profiles[0].rules[0].when.expr' } });
  });
});

describe('cron ticks find profile starts without stored state', () => {
  it.each([
    { name: 'a real tick reports the five minutes before it', cron: '*/5 * * * *', tick: '2026-11-23T07:00:00Z', from: '2026-11-23T06:55:00Z', to: '2026-11-23T07:00:00Z' },
    { name: 'an hourly trigger reports the hour before it', cron: '0 * * * *', tick: '2026-11-23T07:00:00Z', from: '2026-11-23T06:00:00Z', to: '2026-11-23T07:00:00Z' },
    { name: 'a manual tick mid-slot reports the last complete slot', cron: '*/5 * * * *', tick: '2026-11-23T07:03:10Z', from: '2026-11-23T06:55:00Z', to: '2026-11-23T07:00:00Z' },
    { name: 'an unreadable cron falls back to five minutes', cron: 'not a cron', tick: '2026-11-23T07:00:00Z', from: '2026-11-23T06:55:00Z', to: '2026-11-23T07:00:00Z' },
  ])('$name', ({ cron, tick, from, to }) => {
    const interval = tickInterval(cron, at(tick));
    expect([new Date(interval.from).toISOString(), new Date(interval.to).toISOString()]).toEqual([new Date(from).toISOString(), new Date(to).toISOString()]);
  });

  type Case = { name: string; from: string; to: string; expected: Array<[string, string, number | null]> };
  const cases: Case[] = [
    { name: 'business hours begin on Monday 08:00 Berlin', from: '2026-11-23T06:55:00Z', to: '2026-11-23T07:00:00Z', expected: [['storefront-eu-1', 'business-hours', 6], ['storefront-eu-2', 'business-hours', 6]] },
    { name: 'a tick just before the start reports nothing', from: '2026-11-23T06:50:00Z', to: '2026-11-23T06:55:00Z', expected: [] },
    { name: 'the default profile begins at 18:00 Berlin, with no start capacity', from: '2026-11-23T16:55:00Z', to: '2026-11-23T17:00:00Z', expected: [['storefront-eu-1', 'default', null], ['storefront-eu-2', 'default', null]] },
    { name: 'the weekend begins Saturday 00:00 Berlin (Friday 23:00Z)', from: '2026-11-27T22:55:00Z', to: '2026-11-27T23:00:00Z', expected: [['storefront-eu-1', 'weekend', null], ['storefront-eu-2', 'weekend', null]] },
  ];
  it.each(cases)('$name', ({ from, to, expected }) => {
    const { decisions } = profileChangeDecisions(resolveBundled('storefront')!, at(from), at(to), CRON);
    expect(decisions.map((d) => [d.target, d.profile.name, d.setCapacity])).toEqual(expected);
    for (const d of decisions) {
      expect(d.decisionId).toMatch(/^[0-9a-f]{64}$/);
      expect(d.bounds).toEqual(resolveBundled('storefront')!.profiles.find((p) => p.name === d.profile.name)?.capacity ?? resolveBundled('storefront')!.spec.capacity);
    }
  });
  it('the same start seen by two overlapping ticks has the same decision id', () => {
    const rs = resolveBundled('storefront')!;
    const a = profileChangeDecisions(rs, at('2026-11-23T06:55:00Z'), at('2026-11-23T07:00:00Z'), CRON).decisions;
    const b = profileChangeDecisions(rs, at('2026-11-23T06:58:00Z'), at('2026-11-23T07:03:00Z'), CRON).decisions;
    expect(b.map((d) => d.decisionId)).toEqual(a.map((d) => d.decisionId));
  });
  it('says who asked and which bundled rule set decided, without changing the decision id', () => {
    const rs = resolveBundled('storefront')!;
    const window = [at('2026-11-23T06:55:00Z'), at('2026-11-23T07:00:00Z')] as const;
    const byCron = profileChangeDecisions(rs, ...window, CRON).decisions;
    const byToken = profileChangeDecisions(rs, ...window, { credential: 'ops', kind: 'token' }).decisions;
    expect(byCron.length).toBeGreaterThan(0);
    for (const d of byCron) {
      expect(d.requestedBy).toEqual(CRON);
      expect(d.ruleSetOrigin).toEqual({ id: 'storefront', source: 'bundled', hash: rs.specHash });
    }
    expect(byToken.map((d) => d.requestedBy.credential)).toEqual(byCron.map(() => 'ops'));
    expect(byToken.map((d) => d.decisionId)).toEqual(byCron.map((d) => d.decisionId));
  });
  it('a start capacity outside the profile bounds is clamped', () => {
    const rs = compile(
      ruleSet([], {
        targets: [{ id: 'x' }],
        profiles: [{ name: 'p', capacity: { minimum: 2, maximum: 4, default: 2 }, startCapacity: 9, cron: { timeZone: 'UTC', start: '0 8 * * *', duration: 'PT1H' } }],
      }),
    );
    const [d] = profileChangeDecisions(rs, at('2026-11-23T07:59:00Z'), at('2026-11-23T08:00:00Z'), CRON).decisions;
    expect(d).toMatchObject({ setCapacity: 4, profile: { name: 'p', previous: 'default' } });
  });
});
