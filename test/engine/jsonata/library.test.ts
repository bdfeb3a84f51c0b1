// The built-in library: same results and error codes as jsonata 2.2.2, and metering that grows with the work done.
import jsonata from 'jsonata';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUILTINS, REFUSED_FUNCTIONS } from '../../../src/engine/jsonata/library.js';
import { BudgetExceeded, JsonataError, Meter, createSequence, type Focus, type Runtime } from '../../../src/engine/jsonata/runtime.js';
import { parseSignature } from '../../../src/engine/jsonata/signature.js';
import { mergeSort } from '../../../src/engine/jsonata/functions/arrays.js';
import { MAX_PICTURE_LENGTH } from '../../../src/engine/jsonata/functions/format-number.js';

const NOW = Date.UTC(2024, 2, 5, 14, 30, 15, 250);

function runtime(opts: Partial<{ work: number; memory: number; maxStringLength: number; maxArrayLength: number }> = {}): Runtime {
  return {
    meter: new Meter(opts.work ?? 1e9, opts.memory ?? 1e12),
    now: NOW,
    maxStringLength: opts.maxStringLength ?? 1_000_000,
    maxArrayLength: opts.maxArrayLength ?? 1_000_000,
  };
}

/** Calls a built-in as the evaluator does: validate against its signature, then apply with the focus. */
function call(name: string, args: unknown[], opts: { rt?: Runtime; input?: unknown } = {}): unknown {
  const fn = BUILTINS.get(name);
  if (!fn) throw new Error(`no built-in $${name}`);
  const rt = opts.rt ?? runtime();
  const validated = fn.validator!.validate(args, opts.input);
  const focus: Focus = { input: opts.input, rt };
  return fn.implementation.apply(focus, validated);
}

/** A function argument as the evaluator passes it: a plain JS function with its arity. */
function fnArg<F extends (...a: any[]) => unknown>(f: F, arity = f.length): F & { arity: number } {
  return Object.assign(f, { arity });
}

function workOf(name: string, args: unknown[], opts: { input?: unknown } = {}): number {
  const rt = runtime();
  call(name, args, { rt, input: opts.input });
  return rt.meter.work;
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return (err as { code?: string }).code ?? (err as Error).name;
  }
  return undefined;
}

/** jsonata's own result (or error code) for `$name($a0, $a1, …)`. */
async function reference(name: string, args: unknown[]): Promise<{ value?: unknown; code?: string }> {
  const params = args.map((_, i) => `$a${i}`).join(', ');
  const bindings: Record<string, unknown> = {};
  args.forEach((a, i) => (bindings[`a${i}`] = a));
  try {
    return { value: await jsonata(`$${name}(${params})`).evaluate(undefined, bindings) };
  } catch (err) {
    return { code: (err as { code?: string }).code };
  }
}

function ours(name: string, args: unknown[]): { value?: unknown; code?: string } {
  try {
    let value = call(name, args);
    if (Array.isArray(value) && (value as { sequence?: boolean }).sequence && value.length === 1) value = value[0];
    return { value };
  } catch (err) {
    return { code: (err as { code?: string }).code };
  }
}

const norm = (v: unknown) => JSON.stringify(v, (_k, x) => (x === undefined ? '<undefined>' : x));

describe('the registry', () => {
  it('has every function jsonata 2.2.2 registers, except the refused ones, with jsonata signatures', () => {
    const jsonataNames = [
      'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter', 'lowercase',
      'uppercase', 'length', 'trim', 'pad', 'match', 'contains', 'replace', 'split', 'join', 'formatNumber', 'formatBase',
      'formatInteger', 'parseInteger', 'number', 'floor', 'ceil', 'round', 'abs', 'sqrt', 'power', 'random', 'boolean',
      'not', 'map', 'zip', 'filter', 'single', 'reduce', 'sift', 'keys', 'lookup', 'append', 'exists', 'spread', 'merge',
      'reverse', 'each', 'error', 'assert', 'type', 'sort', 'shuffle', 'distinct', 'base64encode', 'base64decode',
      'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'eval', 'toMillis', 'fromMillis', 'clone',
      'now', 'millis',
    ];
    for (const name of jsonataNames) {
      expect(BUILTINS.has(name) || REFUSED_FUNCTIONS.has(name), name).toBe(true);
      expect(BUILTINS.has(name) && REFUSED_FUNCTIONS.has(name), name).toBe(false);
    }
    expect([...REFUSED_FUNCTIONS.keys()].sort()).toEqual(['eval', 'random', 'shuffle']);
    expect(BUILTINS.get('substring')!.signature).toBe('<s-nn?:s>');
    expect(BUILTINS.get('reduce')!.signature).toBe('<afj?:j>');
    for (const [name, b] of BUILTINS) {
      expect(b._jsonata_function).toBe(true);
      expect(b.name).toBe(name);
      expect(b.validator!.definition).toBe(b.signature);
    }
  });

  it('keeps jsonata arities, which $map & co. use to decide how many arguments to pass', () => {
    expect(BUILTINS.get('string')!.implementation.length).toBe(1);
    expect(BUILTINS.get('substring')!.implementation.length).toBe(3);
    expect(BUILTINS.get('replace')!.implementation.length).toBe(4);
    expect(BUILTINS.get('zip')!.implementation.length).toBe(0);
  });
});

describe('results match jsonata 2.2.2', () => {
  const cases: Array<[string, unknown[]]> = [
    ['sum', [[1, 2, 3.5]]],
    ['max', [[]]],
    ['average', [[1, 2, 4]]],
    ['string', [{ a: 1 / 3, b: [1, null, 'x'], c: 1e21, d: -0 }]],
    ['string', [{ a: [1, { b: 2 }], e: {} }, true]],
    ['string', [[]]],
    ['string', ['already']],
    ['substring', ['😀a😀bcd', 1, 3]],
    ['substring', ['hello world', -5]],
    ['substring', ['hello', -10, 3]],
    ['substring', ['hello', 1.7, 2.2]],
    ['substringBefore', ['a-b-c', '-']],
    ['substringAfter', ['a-b-c', 'x']],
    ['uppercase', ['straße']],
    ['length', ['😀é']],
    ['trim', ['  a \n\t b  ']],
    ['pad', ['😀', 5, 'xy']],
    ['pad', ['abc', -6, '#']],
    ['pad', ['abc', 2]],
    ['join', [['a', 'b', 'c'], ', ']],
    ['join', [[]]],
    ['split', ['a,b,,c', ',']],
    ['split', ['a,b,,c', ',', 2]],
    ['split', ['abc', '']],
    ['replace', ['banana', 'an', 'AN', 1]],
    ['replace', ['banana', 'an', 'AN']],
    ['number', ['0x1F']],
    ['number', ['0b101']],
    ['number', ['-1.5e3']],
    ['number', [' 12']],
    ['number', [false]],
    ['round', [2.5]],
    ['round', [3.5]],
    ['round', [-2.5]],
    ['round', [1.005, 2]],
    ['round', [12345, -2]],
    ['sqrt', [-1]],
    ['power', [10, 400]],
    ['power', [2, 0.5]],
    ['formatBase', [255, 16]],
    ['formatBase', [255, 40]],
    ['formatNumber', [1234.5678, '#,##0.00']],
    ['formatNumber', [0.125, '0.0e0']],
    ['formatNumber', [-12.5, '#0.0;(#0.0)']],
    ['formatNumber', [0.42, '#0%']],
    ['formatNumber', [1234.5, '#.##0,00', { 'decimal-separator': ',', 'grouping-separator': '.' }]],
    ['formatNumber', [1, '#.#.#']],
    ['formatInteger', [123456789012, 'w']],
    ['formatInteger', [2024, 'I']],
    ['formatInteger', [28, 'A']],
    ['formatInteger', [1234567, '#,##0']],
    ['formatInteger', [21, '0;o']],
    ['formatInteger', [3, 'Ww;o']],
    ['parseInteger', ['one thousand and twenty-four', 'w']],
    ['parseInteger', ['MMXXIV', 'I']],
    ['parseInteger', ['1,234,567', '#,##0']],
    ['fromMillis', [1510067557121]],
    ['fromMillis', [1510067557121, '[Y0001]-[M01]-[D01] [H01]:[m]:[s].[f001][Z]', '-0500']],
    ['fromMillis', [1510067557121, '[FNn], [D1o] [MNn] [Y] [h]:[m01] [P] [z]', '+0530']],
    ['fromMillis', [1510067557121, '[Y,2] [W] [w] [X] [x] [d] [F1]']],
    ['fromMillis', [1510067557121, '[Q]']],
    ['toMillis', ['2017-11-07T15:12:37.121Z']],
    ['toMillis', ['2017-11-07']],
    ['toMillis', ['not a date']],
    ['toMillis', ['2018-12-10', '[Y]-[M]-[D]']],
    ['toMillis', ['10 December 2018 at 3:45 pm', '[D] [MNn] [Y] at [h]:[m] [P]']],
    ['toMillis', ['Monday, Twenty-third of March, two thousand and seventeen', '[FNn], [Dw] of [MNn], [Yw]']],
    ['boolean', [[0, '', []]]],
    ['boolean', [[0, 'x']]],
    ['boolean', [{}]],
    ['not', ['']],
    ['keys', [[{ b: 1, a: 2 }, { '1': 0, c: 3, a: 4 }]]],
    ['lookup', [[{ a: [1, 2] }, { a: 3 }, { b: 4 }], 'a']],
    ['append', [[1, 2], 3]],
    ['append', [1, [2, 3]]],
    ['spread', [{ a: 1, b: 2 }]],
    ['spread', [[{ a: 1 }, 5, { b: 2, c: 3 }]]],
    ['merge', [[{ a: 1, b: 2 }, { b: 3 }]]],
    ['reverse', [[1, 2, 3]]],
    ['zip', [[1, 2, 3], [4, 5], [6, 7, 8]]],
    ['zip', [[1, 2]]],
    ['distinct', [[1, '1', 1, [1], [1], { a: 1 }, { a: 1 }, null, null]]],
    ['sort', [[3, 1, 2, 1.5]]],
    ['sort', [['b', 'a', 'C']]],
    ['sort', [[1, 'a']]],
    ['type', [null]],
    ['type', [[1]]],
    ['error', ['custom']],
    ['assert', [false, 'nope']],
    ['assert', [true]],
    ['base64encode', ['hello:world']],
    ['base64encode', ['€é']],
    ['base64decode', ['aGVsbG86d29ybGQ=']],
    ['base64decode', ['4oKs']],
    ['encodeUrlComponent', ['?x=шеллы']],
    ['encodeUrl', ['https://mozilla.org/?x=шеллы']],
    ['decodeUrlComponent', ['%E0%A4%A']],
    ['decodeUrl', ['https://mozilla.org/?x=%D1%88']],
    ['clone', [{ a: [1, { b: 0.1 + 0.2 }] }]],
    ['count', [[1, 2, 3]]],
    ['exists', [null]],
  ];
  for (const [name, args] of cases) {
    it(`$${name}(${norm(args).slice(1, -1).slice(0, 80)})`, async () => {
      const expected = await reference(name, args);
      expect(norm(ours(name, args))).toBe(norm(expected));
    });
  }
});

describe('signatures', () => {
  it('defaults a missing `-` argument to the context value, and refuses one of the wrong type (T0411)', () => {
    expect(call('uppercase', [], { input: 'abc' })).toBe('ABC');
    expect(codeOf(() => call('uppercase', [], { input: 42 }))).toBe('T0411');
  });

  it('reports the first argument that does not fit (T0410) and typed arrays (T0412)', () => {
    const v = parseSignature('<s-nn?:s>', 'substring');
    expect(() => v.validate(['abc', 'x'], undefined)).toThrow(JsonataError);
    try {
      v.validate(['abc', 'x'], undefined);
    } catch (err) {
      expect((err as JsonataError).code).toBe('T0410');
      expect((err as JsonataError).index).toBe(2);
    }
    expect(codeOf(() => call('sum', [[1, 'two']]))).toBe('T0412');
    expect(codeOf(() => call('sum', ['one']))).toBe('T0412');
    expect(codeOf(() => call('substring', ['a', 1, 2, 3]))).toBe('T0410');
  });

  it('wraps a non-array in an array for `a`, and parses choice groups and type parameters', () => {
    expect(call('count', [5])).toBe(1);
    expect(parseSignature('<(sn)f<n:n>a<s>?:x>').validate([1, () => 1, ['a']], undefined)).toHaveLength(3);
    expect(codeOf(() => parseSignature('<n<s>>'))).toBe('S0401');
    expect(codeOf(() => parseSignature('<(sa<n>)>'))).toBe('S0402');
  });
});

describe('higher-order functions', () => {
  it('pass index and array only when the function takes them', () => {
    const seen: unknown[][] = [];
    const res = call('map', [[10, 20], fnArg((...a: unknown[]) => (seen.push(a), a.length), 2)]);
    expect([...(res as unknown[])]).toEqual([2, 2]);
    expect(seen).toEqual([[10, 0], [20, 1]]);
    expect(call('filter', [[1, 2, 3, 4], fnArg((v: number) => v % 2 === 0)])).toEqual(createSequence(2, 4));
    expect(call('reduce', [[1, 2, 3], fnArg((a: number, b: number) => a + b)])).toBe(6);
    expect(codeOf(() => call('reduce', [[1, 2], fnArg((a: number) => a)]))).toBe('D3050');
    expect(codeOf(() => call('single', [[1, 2], fnArg(() => true)]))).toBe('D3138');
    expect(codeOf(() => call('single', [[1, 2], fnArg(() => false)]))).toBe('D3139');
    expect(call('sift', [{ a: 1, b: 2 }, fnArg((v: number) => v > 1)])).toEqual({ b: 2 });
    expect(call('sift', [{ a: 1 }, fnArg(() => false)])).toBeUndefined();
    expect(call('each', [{ a: 1, b: 2 }, fnArg((v: number, k: string) => k + v)])).toEqual(createSequence('a1', 'b2'));
  });

  it('sorts stably with the comparator semantics of jsonata (truthy: the right item goes first)', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ k: i % 5, i }));
    const sorted = call('sort', [items, fnArg((a: { k: number }, b: { k: number }) => a.k > b.k)]) as typeof items;
    expect(sorted.map((x) => x.k)).toEqual([...items].sort((a, b) => a.k - b.k).map((x) => x.k));
    for (let j = 1; j < sorted.length; j++) {
      if (sorted[j - 1]!.k === sorted[j]!.k) expect(sorted[j - 1]!.i).toBeLessThan(sorted[j]!.i);
    }
  });

  it('makes the same comparator calls as jsonata, in the same order', async () => {
    const data = [5, 3, 9, 1, 3, 8, 2, 7, 6, 4, 0];
    const theirs: Array<[number, number]> = [];
    await jsonata('$sort($d, $cmp)').evaluate(undefined, {
      d: data,
      cmp: (a: number, b: number) => {
        theirs.push([a, b]);
        return a > b;
      },
    });
    const mine: Array<[number, number]> = [];
    mergeSort(runtime(), data, (a, b) => {
      mine.push([a as number, b as number]);
      return (a as number) > (b as number);
    });
    expect(mine).toEqual(theirs);
  });

  it('sorts 200,000 items without overflowing the stack, charging about n log n', () => {
    const n = 200_000;
    const arr = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const rt = runtime();
    const sorted = call('sort', [arr], { rt }) as number[];
    expect(sorted[0]).toBe(0);
    expect(sorted[n - 1]).toBe(n - 1);
    expect(rt.meter.work).toBeGreaterThanOrEqual(n * Math.floor(Math.log2(n)));
    expect(rt.meter.work).toBeLessThanOrEqual(4 * n * Math.ceil(Math.log2(n)));
  });
});

describe('metering', () => {
  it('charges aggregates per item', () => {
    const small = workOf('sum', [Array.from({ length: 10 }, () => 1)]);
    const large = workOf('sum', [Array.from({ length: 10_000 }, () => 1)]);
    expect(large).toBeGreaterThanOrEqual(10_000);
    expect(large).toBeGreaterThan(small * 100);
    expect(workOf('count', [Array.from({ length: 5_000 }, () => 1)])).toBeGreaterThanOrEqual(5_000);
  });

  it('charges string functions by characters in and out', () => {
    const a = workOf('uppercase', ['x'.repeat(1_000)]);
    const b = workOf('uppercase', ['x'.repeat(100_000)]);
    expect(b).toBeGreaterThan(a * 50);
    const rt = runtime();
    call('pad', ['x', 50_000, 'ab'], { rt });
    expect(rt.meter.memory).toBeGreaterThanOrEqual(50_000 * 2);
  });

  it('refuses a huge $pad before building it (U3011), naming the limit', () => {
    const rt = runtime({ maxStringLength: 10_000 });
    let err: JsonataError | undefined;
    try {
      call('pad', ['x', 1e9], { rt });
    } catch (e) {
      err = e as JsonataError;
    }
    expect(err?.code).toBe('U3011');
    expect(err?.message).toContain('10000');
    expect(rt.meter.memory).toBeLessThan(10_000);
  });

  it('refuses strings and arrays over the limits (U3011, U3010)', () => {
    const rt = runtime({ maxStringLength: 1_000, maxArrayLength: 100 });
    expect(codeOf(() => call('join', [Array.from({ length: 300 }, () => 'abcd')], { rt }))).toBe('U3011');
    expect(codeOf(() => call('string', [Array.from({ length: 1_000 }, (_, i) => i)], { rt }))).toBe('U3011');
    expect(codeOf(() => call('split', ['a,'.repeat(500), ','], { rt }))).toBe('U3010');
    expect(codeOf(() => call('append', [Array.from({ length: 60 }, () => 1), Array.from({ length: 60 }, () => 2)], { rt }))).toBe('U3010');
    expect(codeOf(() => call('formatInteger', [1e12, 'I'], { rt }))).toBe('U3011');
    expect(codeOf(() => call('fromMillis', [0, '[Y,5000]'], { rt }))).toBe('U3011');
  });

  it('charges $string by the size of the value', () => {
    const value = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, name: `item ${i}` }));
    const a = workOf('string', [value(10)]);
    const b = workOf('string', [value(10_000)]);
    expect(b).toBeGreaterThan(a * 100);
  });

  it('charges each deep comparison $distinct makes (quadratic for distinct objects)', () => {
    const objs = (n: number) => Array.from({ length: n }, (_, i) => ({ v: i }));
    const a = workOf('distinct', [objs(50)]);
    const b = workOf('distinct', [objs(500)]);
    expect(b).toBeGreaterThan(a * 50);
    expect(b).toBeGreaterThanOrEqual((500 * 499) / 2);
    // primitives are linear
    expect(workOf('distinct', [Array.from({ length: 5_000 }, (_, i) => i % 7)])).toBeLessThan(20_000);
  });

  it('charges $keys, $merge, $spread and $each per property', () => {
    const obj = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    for (const name of ['keys', 'spread']) {
      expect(workOf(name, [obj(5_000)])).toBeGreaterThanOrEqual(5_000);
    }
    expect(workOf('merge', [[obj(3_000), obj(3_000)]])).toBeGreaterThanOrEqual(6_000);
    expect(workOf('each', [obj(4_000), fnArg((v: unknown) => v)])).toBeGreaterThanOrEqual(4_000);
  });

  it('charges $formatInteger words per character produced and refuses long pictures', () => {
    const small = workOf('formatInteger', [7, 'w']);
    const large = workOf('formatInteger', [777_777_777_777, 'w']);
    expect(large).toBeGreaterThan(small);
    expect(codeOf(() => call('formatNumber', [1, '#'.repeat(MAX_PICTURE_LENGTH + 1)]))).toBe('U3013');
    expect(codeOf(() => call('fromMillis', [0, 'x'.repeat(MAX_PICTURE_LENGTH + 1)]))).toBe('U3013');
  });

  it('stops at the budget', () => {
    const rt = runtime({ work: 1_000 });
    expect(() => call('sum', [Array.from({ length: 5_000 }, () => 1)], { rt })).toThrow(BudgetExceeded);
  });
});

describe('time and determinism', () => {
  afterEach(() => vi.restoreAllMocks());

  it('$now and $millis read rt.now, never a clock', () => {
    vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now read');
    });
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random read');
    });
    expect(call('millis', [])).toBe(NOW);
    expect(call('now', [])).toBe(new Date(NOW).toISOString());
    expect(call('now', ['[H01]:[m01]', '+0100'])).toBe('15:30');
    // a picture that leaves the date out takes it from rt.now
    expect(call('toMillis', ['10:00', '[H]:[m]'])).toBe(Date.UTC(2024, 2, 5, 10, 0));
  });
});

describe('errors as jsonata', () => {
  it('$error and $assert', () => {
    expect(codeOf(() => call('error', ['boom']))).toBe('D3137');
    expect(codeOf(() => call('assert', [false]))).toBe('D3141');
    try {
      call('error', []);
    } catch (err) {
      expect((err as Error).message).toBe('$error() function evaluated');
    }
  });

  it('numbers', () => {
    expect(codeOf(() => call('number', ['abc']))).toBe('D3030');
    expect(codeOf(() => call('sqrt', [-4]))).toBe('D3060');
    expect(codeOf(() => call('power', [10, 1000]))).toBe('D3061');
    expect(codeOf(() => call('string', [Infinity]))).toBe('D3001');
    expect(codeOf(() => call('formatNumber', [1, '#;#;#']))).toBe('D3080');
    expect(codeOf(() => call('sort', [[{}, 1]]))).toBe('D3070');
  });
});
