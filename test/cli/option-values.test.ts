// settleOptionValues (src/cli/option-values.ts): what parseArgs would call ambiguous or missing, settled before it runs.
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/args.js';
import { settleOptionValues } from '../../src/cli/option-values.js';

const options = COMMANDS.eval.options;

describe('settleOptionValues', () => {
  it.each<{ args: string[]; expected: string[] | string }>([
    { args: ['-c', '-1', 'a', 'b'], expected: ['--capacity=-1', 'a', 'b'] },
    { args: ['--capacity', '-1'], expected: ['--capacity=-1'] },
    { args: ['--now', '-1.5'], expected: ['--now=-1.5'] },
    { args: ['--now', '-.5'], expected: ['--now=-.5'] },
    // Values that look like nothing else pass through as they are, and "-" (standard input) is a value.
    { args: ['-c', '4', '-s', '-', 'a'], expected: ['-c', '4', '-s', '-', 'a'] },
    { args: ['--capacity=-1', '--json'], expected: ['--capacity=-1', '--json'] },
    // Boolean options take no value: the next word is left alone.
    { args: ['--json', '-1'], expected: ['--json', '-1'] },
    // After -- everything is a positional, as parseArgs reads it.
    { args: ['a', '--', '-c', '-1'], expected: ['a', '--', '-c', '-1'] },
    { args: ['a', 'b', '-c'], expected: '-c needs a value' },
    { args: ['--state'], expected: '--state needs a value' },
    { args: ['-s', '--json', 'a', 'b'], expected: '-s needs a value (got the option "--json"; write --state=--json if that is the value)' },
    { args: ['-t', '-x'], expected: '-t needs a value (got the option "-x"; write --target=-x if that is the value)' },
  ])('$args', ({ args, expected }) => {
    const out = settleOptionValues(args, options);
    if (typeof expected === 'string') expect(out).toEqual({ ok: false, message: expected });
    else expect(out).toEqual({ ok: true, args: expected });
  });

  it('what it settles, parseArgs then reads without an error', () => {
    const settled = settleOptionValues(['-c', '-1', '--now', '-5', 'a', 'b'], options);
    expect(settled.ok).toBe(true);
    if (!settled.ok) return;
    expect(() => parseArgs({ args: ['-c', '-1', 'a', 'b'], options, allowPositionals: true, strict: true })).toThrow(/ambiguous/);
    const parsed = parseArgs({ args: settled.args, options, allowPositionals: true, strict: true });
    expect(parsed.values).toMatchObject({ capacity: '-1', now: '-5' });
    expect(parsed.positionals).toEqual(['a', 'b']);
  });
});
