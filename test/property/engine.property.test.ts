// Property-based tests (fast-check) of the engine's invariants from docs/rules.md; the properties live in properties.ts.
//
// Runs per property default to the counts in properties.ts (7,200 in all, about ten seconds). These run
// in the `node` vitest project; VITE_FUZZ_RUNS (read through `import.meta.env` there and in workerd) gives a
// longer run: `VITE_FUZZ_RUNS=5000 TZ=UTC npx vitest run test/property` (runs per property); the Node fuzz
// runner (scripts/fuzz.ts) runs the same properties with FUZZ_RUNS cases in total.
import { describe, expect, it } from 'vitest';
import { evaluateBatch } from '../../src/service/batch.js';
import { PROPERTIES } from './properties.js';

/** Per-property run count: VITE_FUZZ_RUNS (or FUZZ_RUNS, if a bundler defines it) overrides the default. */
export function runs(defaultCount: number): number {
  const env = (import.meta as unknown as { env?: Record<string, string | undefined> }).env;
  const override = Number(env?.VITE_FUZZ_RUNS ?? env?.FUZZ_RUNS);
  return Number.isInteger(override) && override > 0 ? override : defaultCount;
}

/** Generous per-test timeout: the default runs take about a second each, overrides can take minutes. */
const TIMEOUT_MS = 600_000;

describe('engine invariants hold for generated rule sets, targets and states (docs/rules.md)', () => {
  it.each(PROPERTIES.map((p) => ({ ...p, label: `${p.name} (${p.source})` })))(
    '$label',
    async (p) => {
      await p.assert({ numRuns: runs(p.defaultRuns) });
    },
    TIMEOUT_MS,
  );
});

// Counterexamples property 1 found (shrunk by fast-check, then cut down by hand), kept as plain cases.
// The schema's Timestamp accepts any finite epoch-milliseconds number, but a JavaScript Date only
// spans ±8.64e15 ms (ECMA-262 "Time Values and Time Range"): isoUtc() → Date#toISOString throws a
// RangeError, so evaluateBatch rejects instead of answering with a decision or an error value.
describe('regressions: instants at the edge of the Date range get a decision or an error value (COMMON.md: errors are values)', () => {
  const T0 = Date.parse('2026-11-22T10:30:00Z');
  const PAST_DATE_RANGE = 8_640_000_000_000_001;
  const noRules = { id: 'edge', capacity: { minimum: 1, maximum: 5, default: 1 }, rules: [] };
  const scalesOut = {
    ...noRules,
    rules: [{ id: 'up', direction: 'out', when: { expr: 'true' }, action: { type: 'ChangeCount', value: 1 } }],
  };
  type Case = { name: string; body: { now: number; targets: Array<Record<string, unknown>> } };
  const cases: Case[] = [
    { name: 'now 1 ms past the end of the Date range', body: { now: PAST_DATE_RANGE, targets: [{ id: 't', ruleSet: noRules, capacity: 1 }] } },
    { name: 'now 1 ms before the start of the Date range', body: { now: -PAST_DATE_RANGE, targets: [{ id: 't', ruleSet: noRules, capacity: 1 }] } },
    {
      name: 'a cooldown timer past the Date range',
      body: { now: T0, targets: [{ id: 't', ruleSet: noRules, capacity: 1, state: { cooldownUntil: { out: PAST_DATE_RANGE } } }] },
    },
    {
      name: 'a last scale before the Date range',
      body: { now: T0, targets: [{ id: 't', ruleSet: noRules, capacity: 1, state: { lastScale: { at: -PAST_DATE_RANGE, direction: 'out', rule: null, from: 1, to: 2 } } }] },
    },
    // now itself is a valid Date here; the rule's default PT5M cooldown pushes the timer past the range.
    { name: 'now at the last instant of the Date range, and a rule scales out', body: { now: 8_640_000_000_000_000, targets: [{ id: 't', ruleSet: scalesOut, capacity: 1 }] } },
  ];
  it.each(cases)('$name → resolves, with a decision or an error code per target', async ({ body }) => {
    const outcome = await evaluateBatch(body, () => undefined, 0);
    if (!outcome.ok) {
      expect(outcome.error.code).toEqual(expect.any(String));
      return;
    }
    for (const result of outcome.results) {
      if (result.ok) expect(result.decision.reason).toEqual(expect.any(String));
      else expect(result.error.code).toEqual(expect.any(String));
    }
  });
});
