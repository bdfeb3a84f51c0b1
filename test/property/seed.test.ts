// The properties run from the fixed seed test/setup/fast-check-seed.ts sets (or FC_SEED): the same cases every run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('fast-check seed', () => {
  it('is fixed for npm test, so two samplings of one arbitrary give the same values', () => {
    expect(fc.readConfigureGlobal().seed).toBe(Number(process.env.FC_SEED ?? 20_261_206));
    const sample = () => fc.sample(fc.integer(), { numRuns: 5, seed: fc.readConfigureGlobal().seed });
    expect(sample()).toEqual(sample());
  });
});
