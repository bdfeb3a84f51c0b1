// Regex literals on RE2: the same matches (and UTF-16 positions) as V8 gives jsonata, refusals, and metering per search.
import { describe, expect, it } from 'vitest';
import { compileRegex, RegexRefused, takeRegexWork, type RegexMatch } from '../../../src/engine/jsonata/regex.js';
import { BUILTINS } from '../../../src/engine/jsonata/library.js';
import { Meter, type Focus, type Runtime } from '../../../src/engine/jsonata/runtime.js';
import { HANG_GUARD_MS } from '../../helpers.js';

function runtime(work = 1e12): Runtime {
  return { meter: new Meter(work, 1e12), now: 0, maxStringLength: 10_000_000, maxArrayLength: 10_000_000 };
}

interface Found {
  match: string;
  start: number;
  end: number;
  groups: Array<string | undefined>;
}

/** Every match as jsonata's evaluateRegex closure finds them with V8 (g flag, lastIndex), or its error code. */
function v8Matches(re: RegExp, str: string): Found[] | string {
  const out: Found[] = [];
  const r = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  r.lastIndex = 0;
  let m = r.exec(str);
  let first = true;
  while (m !== null) {
    if (!first && m[0] === '') return 'D1004';
    first = false;
    out.push({ match: m[0], start: m.index, end: m.index + m[0].length, groups: m.slice(1) });
    if (r.lastIndex >= str.length) break;
    m = r.exec(str);
  }
  return out;
}

function re2Matches(re: RegExp, str: string): Found[] | string {
  const out: Found[] = [];
  try {
    let m: RegexMatch | undefined = compileRegex(re).call(undefined, str);
    while (m !== undefined) {
      out.push({ match: m.match, start: m.start, end: m.end, groups: m.groups });
      m = m.next();
    }
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  return out;
}

describe('translation keeps V8 semantics', () => {
  const cases: Array<[RegExp, string[]]> = [
    [/a+/g, ['caaat aa', '', 'bbb']],
    [/(\w+)@(\w+)\.com/g, ['x a@b.com, c@d.com', 'none']],
    [/\s+/g, ['a \u00a0b\u2003c\ufeffd\te']],
    [/\S+/g, ['a \u00a0b\u2003c\ufeffd\te']],
    [/[\s,]+/g, ['a, b\u00a0,c']],
    [/[^\s]+/g, ['a \u00a0b']],
    [/./g, ['a\nb\rc\u2028d']],
    [/^\d{2,3}$/gm, ['12\n345\n6789']],
    [/^a|b$/g, ['ab', 'ba']],
    [/(a)|(b)/g, ['ab']],
    [/(?<year>\d{4})-(?<m>\d\d)/g, ['2024-03 and 1999-12']],
    [/\bfoo\b/gi, ['Foo food FOO']],
    [/[a-c-]+/g, ['x-a-bz']],
    [/[\d-z]+/g, ['1-z9a']],
    [/\x41\u0042\cJ/g, ['AB\n']],
    [/a{2}b{/g, ['aab{ aab']],
    [/\/\.\*/g, ['a/.*b']],
    [/[\b]/g, ['a\bb']],
    [/[^]/g, ['a\n']],
    [/a-b c#/g, ['xa-b c#y']],
    [/[-#@!~<>'"= ]+/g, ['a-#@ !~<>\'"=b']],
    [/x*/g, ['abc']],
    [/a|/g, ['bab']],
    [/\u00e9+/gi, ['ÉéE']],
    [new RegExp('\\p{L}', 'g'), ['p{L}']],
  ];
  for (const [re, inputs] of cases) {
    for (const input of inputs) {
      it(`${re} on ${JSON.stringify(input)}`, () => {
        expect(re2Matches(re, input)).toEqual(v8Matches(re, input));
      });
    }
  }

  it('reports UTF-16 positions, as V8 does, around non-BMP characters', () => {
    const m = compileRegex(/b+/g).call(undefined, '😀a😀bb😀b')!;
    expect([m.start, m.end, m.match]).toEqual([5, 7, 'bb']);
    const n = m.next()!;
    expect([n.start, n.end]).toEqual([9, 10]);
    expect(n.next()).toBeUndefined();
  });

  it('throws D1004 for a later empty match, as jsonata', () => {
    expect(re2Matches(/x*/g, 'abc')).toBe('D1004');
  });
});

describe('refusals', () => {
  const refused: RegExp[] = [/(a)\1/g, /a(?=b)/g, /a(?!b)/g, /(?<=a)b/g, /(?<!a)b/g, /(?<n>a)\k<n>/g, /a{1001}/g, /(a{500}){500}/g];
  for (const re of refused) {
    it(`refuses ${re}`, () => {
      expect(() => compileRegex(re)).toThrow(RegexRefused);
    });
  }

  it('says why', () => {
    expect(() => compileRegex(/(a)\1/g)).toThrow(/backreference/);
    expect(() => compileRegex(/a(?=b)/g)).toThrow(/lookahead/);
  });

  it('runs what backtracks catastrophically in V8, in linear time', () => {
    const m = compileRegex(/(a+)+$/g);
    const input = 'a'.repeat(5_000) + 'b';
    const t = Date.now();
    expect(m.call(undefined, input)).toBeUndefined();
    expect(Date.now() - t).toBeLessThan(HANG_GUARD_MS);
  });
});

describe('metering', () => {
  it('charges the meter of the focus it is called with, growing with the input scanned', () => {
    const m = compileRegex(/z/g);
    const cost = (n: number) => {
      const rt = runtime();
      m.call({ input: undefined, rt } as Focus, 'a'.repeat(n));
      return rt.meter.work;
    };
    expect(cost(100_000)).toBeGreaterThan(cost(1_000) * 50);
  });

  it('charges more per character for a larger program', () => {
    const work = (re: RegExp) => {
      const rt = runtime();
      compileRegex(re).call({ input: undefined, rt } as Focus, 'x'.repeat(10_000));
      return rt.meter.work;
    };
    expect(work(/(alpha|beta|gamma|delta)+[0-9]{3}/g)).toBeGreaterThan(work(/q/g) * 3);
  });

  it('leaves the cost of searches without a focus for the library to take', () => {
    takeRegexWork();
    const first = compileRegex(/b/g).call(undefined, 'a'.repeat(10_000) + 'b')!;
    const w = takeRegexWork();
    expect(w).toBeGreaterThan(10_000 / 16);
    first.next();
    expect(takeRegexWork()).toBe(0); // nothing scanned after the end
    expect(takeRegexWork()).toBe(0);
  });

  it('charges a pathological pattern for the input it really rescans on every find', () => {
    // /a.*y|a/ keeps its first alternative alive to the end of the input on every find
    const input = 'a'.repeat(2_000);
    const scan = (re: RegExp) => {
      const rt = runtime();
      const matchFn = BUILTINS.get('match')!;
      const matcher = compileRegex(re);
      matchFn.implementation.apply({ input: undefined, rt }, [input, (s: string) => matcher.call(undefined, s)]);
      return rt.meter.work;
    };
    // ~n²/2 characters rescanned in all, against ~n for a pattern that stops at each match
    expect(scan(/a.*y|a/g)).toBeGreaterThan((input.length * input.length) / 2);
    expect(scan(/a/g)).toBeLessThan(input.length * 100);
    expect(scan(/a.*y|a/g)).toBeGreaterThan(scan(/a/g) * 40);
  });

  it('lets the library stop a regex function at the budget', () => {
    const rt = runtime(500);
    const matcher = compileRegex(/a/g);
    const replace = BUILTINS.get('replace')!;
    expect(() =>
      replace.implementation.apply({ input: undefined, rt }, ['a'.repeat(10_000), (s: string) => matcher.call(undefined, s), 'b']),
    ).toThrow(/budget/);
  });
});
