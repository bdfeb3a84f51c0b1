// "Did you mean …?" (src/cli/suggest.ts): the bounded edit distance and which known word is suggested.
import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggest } from '../../src/cli/suggest.js';
import { COMMANDS } from '../../src/cli/args.js';

const EVAL_OPTIONS = Object.keys(COMMANDS.eval.options).map((name) => `--${name}`);

describe('editDistance: insertions, deletions, substitutions and neighbour swaps, cut off above the limit', () => {
  it.each<{ a: string; b: string; limit: number; expected: number }>([
    { a: 'capacity', b: 'capacity', limit: 2, expected: 0 },
    { a: 'capcity', b: 'capacity', limit: 2, expected: 1 },
    { a: 'capacitty', b: 'capacity', limit: 2, expected: 1 },
    { a: 'capacuty', b: 'capacity', limit: 2, expected: 1 },
    { a: 'capacity', b: 'capaicty', limit: 2, expected: 1 },
    { a: 'kitten', b: 'sitting', limit: 3, expected: 3 },
    { a: '', b: 'abc', limit: 5, expected: 3 },
    // Above the limit the answer is limit + 1, however far the words are.
    { a: 'kitten', b: 'sitting', limit: 2, expected: 3 },
    { a: 'a', b: 'abcdefghijklmnop', limit: 2, expected: 3 },
    { a: 'abcdefgh', b: 'hgfedcba', limit: 1, expected: 2 },
  ])('editDistance("$a", "$b", $limit) = $expected', ({ a, b, limit, expected }) => {
    expect(editDistance(a, b, limit)).toBe(expected);
    expect(editDistance(b, a, limit)).toBe(expected);
  });

  it('a long argument against a short word is refused at once, without a row per letter', () => {
    expect(editDistance('x'.repeat(100_000), 'json', 2)).toBe(3);
  });
});

describe('suggest: the nearest command or option within the bound, else a unique prefix', () => {
  it.each<{ word: string; candidates: readonly string[]; expected: string | undefined }>([
    { word: '--capcity', candidates: EVAL_OPTIONS, expected: '--capacity' },
    { word: '--CAPACITY', candidates: EVAL_OPTIONS, expected: '--capacity' },
    { word: '--stat', candidates: EVAL_OPTIONS, expected: '--state' },
    { word: '--jsno', candidates: EVAL_OPTIONS, expected: '--json' },
    { word: '--cap', candidates: EVAL_OPTIONS, expected: '--capacity' },
    { word: 'valdate', candidates: Object.keys(COMMANDS), expected: 'validate' },
    { word: 'evaluate', candidates: Object.keys(COMMANDS), expected: 'eval' },
    { word: 'simlate', candidates: Object.keys(COMMANDS), expected: 'simulate' },
    // Short words get one edit only: "lnt" is lint, "ls" is nothing.
    { word: 'lnt', candidates: Object.keys(COMMANDS), expected: 'lint' },
    { word: 'ls', candidates: Object.keys(COMMANDS), expected: undefined },
    { word: '--frobnicate', candidates: EVAL_OPTIONS, expected: undefined },
    { word: '--', candidates: EVAL_OPTIONS, expected: undefined },
    // Two candidates begin with "--n": no guess.
    { word: '--n', candidates: EVAL_OPTIONS, expected: undefined },
    // Ties go to the earlier candidate.
    { word: 'cat', candidates: ['bat', 'cab'], expected: 'bat' },
  ])('suggest("$word") → $expected', ({ word, candidates, expected }) => {
    expect(suggest(word, candidates)).toBe(expected);
  });

  it('didYouMean is the parenthesis the usage errors end with, or nothing', () => {
    expect(didYouMean('--capcity', EVAL_OPTIONS)).toBe(' (did you mean --capacity?)');
    expect(didYouMean('--frobnicate', EVAL_OPTIONS)).toBe('');
  });
});
