// Metric series in every form (number, points, start/step/values, t/v columns): one-pass parsing, the timestamp fast path, error paths, limits, the converters' columns, the docs' examples.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateBatch } from '../../src/service/batch.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { Target } from '../../src/schema.js';
import { toEpochMs, EARLIEST_MS, LATEST_MS } from '../../src/syntax/duration.js';
import { NormalizedSeries, parseSeries } from '../../src/syntax/series.js';
import { checkEvaluateLimits, DEFAULT_REQUEST_LIMITS, LIMITS } from '../../src/limits.js';
import { convertMetrics, convertMetricsColumns } from '../../src/formats/metrics.js';
import { decide } from '../../src/engine/decide.js';
import { compile, metricRule, MIN, ruleSet, T0 } from '../helpers.js';

const NOW = '2026-11-22T10:30:00Z';
const iso = (ms: number) => new Date(ms).toISOString();
const SERIES_LIMITS = { maxPoints: LIMITS.pointsPerSeries, maxInstanceLength: LIMITS.idLength };

/** The oracle: what normalizeSeries (src/engine/metrics.ts) made of a point series before the one-pass parser — times as Date.parse reads them, a stable sort by time. */
function oracle(points: Array<{ t: string | number; v: number; instance?: string }>) {
  return points
    .map((p) => ({ t: typeof p.t === 'number' ? p.t : Date.parse(p.t), v: p.v, ...(p.instance !== undefined && { instance: p.instance }) }))
    .sort((a, b) => a.t - b.t);
}

/** The outcome of one batch, with the decisions (or errors) of its targets. */
async function batch(body: unknown) {
  const outcome = await evaluateBatch(body, resolveBundled, T0);
  if (!outcome.ok) throw new Error(`batch refused: ${JSON.stringify(outcome.error)}`);
  return outcome.results;
}

async function decisionsOf(targets: unknown[]) {
  const results = await batch({ now: NOW, targets });
  return results.map((r) => {
    if (!r.ok) throw new Error(`target refused: ${JSON.stringify(r.error)}`);
    return r.decision;
  });
}

async function errorOf(metrics: Record<string, unknown>) {
  const [result] = await batch({ now: NOW, targets: [{ id: 'a', ruleSet: 'web-tier', capacity: 4, metrics }] });
  if (!result || result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  return result.error;
}

describe('timestamps: the fast path and impossible dates (src/syntax/duration.ts)', () => {
  it('reads YYYY-MM-DDTHH:MM:SS(.fff)Z exactly as Date.parse does, over years 1 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: EARLIEST_MS, max: LATEST_MS }), (ms) => {
        const withMs = iso(ms);
        expect(toEpochMs(withMs)).toBe(Date.parse(withMs));
        const whole = withMs.replace(/\.\d{3}Z$/, 'Z');
        expect(toEpochMs(whole)).toBe(Date.parse(whole));
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads a run of timestamps in one hour (the remembered hour) exactly as each would be read alone, invalid minutes and seconds included', () => {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const stamp = fc.record({ minute: fc.integer({ min: 0, max: 61 }), second: fc.integer({ min: 0, max: 61 }), ms: fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }), junk: fc.boolean() });
    fc.assert(
      fc.property(fc.integer({ min: EARLIEST_MS, max: LATEST_MS - 3_600_000 }), fc.array(stamp, { minLength: 1, maxLength: 12 }), (base, stamps) => {
        const hour = iso(base).slice(0, 14); // YYYY-MM-DDTHH:
        for (const { minute, second, ms, junk } of stamps) {
          const text = `${hour}${junk ? `${pad(minute)[0]}x` : pad(minute)}:${pad(second)}${ms === undefined ? '' : `.${pad(ms, 3)}`}Z`;
          const valid = !junk && minute <= 59 && second <= 59;
          expect(toEpochMs(text)).toBe(valid ? Date.parse(text) : undefined);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2026-02-29T12:00:00.000Z',
    '1900-02-29T00:00:00Z',
    '2026-04-31T10:00:00Z',
    '2026-02-30T00:00:00+01:00',
    '2026-02-30T00:00Z',
    '2026-02-30 00:00:00Z',
    '+002026-02-30T00:00:00Z',
    '2026/02/30 10:00:00 +00:00',
    'Feb 30 2026 10:00 +0000',
    'Tue, 30 Feb 2026 10:00:00 +0000',
    '2026-13-01T00:00:00Z',
    '2026-02-28T10:60:00Z',
    '0000-12-31T23:59:59Z',
  ])('refuses %s (Date.parse would roll it over or it is out of range)', (text) => {
    expect(toEpochMs(text)).toBeUndefined();
  });

  it.each([
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['2026-02-28T24:00:00Z', '2026-03-01T00:00:00.000Z'],
    ['2026-11-22t10:30:00z', '2026-11-22T10:30:00.000Z'],
    ['2026-11-22T11:30:00+01:00', '2026-11-22T10:30:00.000Z'],
    ['2026-11-22T11:30:00+0100', '2026-11-22T10:30:00.000Z'],
    ['2026-11-22T10:30:00.5Z', '2026-11-22T10:30:00.500Z'],
    ['2026-11-22T10:30:00.123456Z', '2026-11-22T10:30:00.123Z'],
    ['Sun, 22 Nov 2026 10:30:00 +0000', '2026-11-22T10:30:00.000Z'],
    ['Sun Nov 22 2026 10:30:00 GMT+0000', '2026-11-22T10:30:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('still accepts %s', (text, instant) => {
    expect(toEpochMs(text)).toBe(Date.parse(instant));
  });

  it('refuses an impossible date in a request, with its path', async () => {
    expect(await errorOf({ cpu: [{ t: '2026-02-30T10:00:00Z', v: 1 }] })).toMatchObject({ code: 'SchemaViolation', path: 'targets[0].metrics.cpu[0].t' });
    const [result] = await batch({ now: '2026-04-31T10:30:00Z', targets: [{ id: 'a', ruleSet: 'web-tier', capacity: 4 }] }).catch((e: Error) => [e.message]);
    expect(String(result)).toContain('"path":"now"');
  });
});

// ---------------------------------------------------------------------------------------------
// The same data in every form

/** 10 one-minute samples from two instances ending at T0, values varying; as points, in a shuffled order. */
const SAMPLES = Array.from({ length: 20 }, (_, i) => ({ t: T0 - (9 - (i >> 1)) * MIN, v: 20 + ((i * 37) % 23) + 0.25 * (i % 4), instance: `vm-${i % 2}` }));

describe('the columnar forms decide as the point forms do (same decision, same decision id)', () => {
  it('regular columns, irregular columns (ms and ISO), points (ISO and ms): one normalization, one id', async () => {
    const values = [78, 81, 84, 86, 85, 88, 90, 87, 85, 86];
    const start = T0 - 9 * MIN;
    const forms = [
      values.map((v, i) => ({ t: iso(start + i * MIN), v })),
      values.map((v, i) => ({ t: start + i * MIN, v })),
      [...values.map((v, i) => ({ t: start + i * MIN, v }))].reverse(),
      { start: iso(start), step: 'PT1M', values },
      { start, step: 60_000, values },
      { t: values.map((_, i) => start + i * MIN), v: values },
      { t: values.map((_, i) => iso(start + i * MIN)), v: values },
    ];
    const decisions = await decisionsOf(forms.map((cpu, i) => ({ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu }, labels: { form: String(i) } })));
    const ids = new Set(decisions.map((d) => d.decisionId));
    // Labels are part of the id: compare with the labels removed instead.
    expect(ids.size).toBe(forms.length);
    const plain = await decisionsOf(forms.map((cpu) => ({ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu } })));
    expect(new Set(plain.map((d) => d.decisionId)).size).toBe(1);
    expect(plain.map((d) => [d.action, d.to, d.reason])).toEqual(plain.map(() => ['scaleOut', 5, plain[0]!.reason]));
  });

  it('per-instance data: points, t/v columns with "instances", in shuffled order (stable for equal times)', async () => {
    const shuffled = [...SAMPLES].sort((a, b) => ((a.v * 7) % 5) - ((b.v * 7) % 5));
    const points = shuffled.map((p) => ({ ...p, t: iso(p.t) }));
    const columns = { t: shuffled.map((p) => p.t), v: shuffled.map((p) => p.v), instances: shuffled.map((p) => p.instance) };
    const [a, b] = await decisionsOf([points, columns].map((cpu) => ({ id: 'api-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu } })));
    expect(b!.decisionId).toBe(a!.decisionId);
    expect(b!.trace).toEqual(a!.trace);
    // Two regular series of one instance each are two metrics' worth; one instance for a whole series:
    const vm0 = SAMPLES.filter((p) => p.instance === 'vm-0');
    const whole = await decisionsOf([
      { id: 'x', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: vm0.map((p) => ({ t: p.t, v: p.v, instance: 'vm-0' })) } },
      { id: 'x', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: { start: vm0[0]!.t, step: 'PT1M', values: vm0.map((p) => p.v), instance: 'vm-0' } } },
      { id: 'x', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: { t: vm0.map((p) => p.t), v: vm0.map((p) => p.v), instance: 'vm-0' } } },
    ]);
    expect(new Set(whole.map((d) => d.decisionId)).size).toBe(1);
  });

  it('normalizes as normalizeSeries did (the oracle above): the same points, in the same order, for random point series', () => {
    const point = fc.record(
      { back: fc.integer({ min: -3, max: 30 }), v: fc.double({ noNaN: true, noDefaultInfinity: true }), iso: fc.boolean(), instance: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }) },
      { requiredKeys: ['back', 'v', 'iso'] },
    );
    fc.assert(
      fc.property(fc.array(point, { maxLength: 40 }), (draft) => {
        const raw = draft.map((p) => {
          const t = T0 - p.back * 30_000;
          return { t: p.iso ? iso(t) : t, v: p.v, ...(p.instance !== undefined && { instance: p.instance }) };
        });
        const parsed = parseSeries(raw, SERIES_LIMITS);
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
        expect((parsed.value as NormalizedSeries).points).toEqual(oracle(raw));
        // And the same points as columns.
        const columns = parseSeries({ t: raw.map((p) => p.t), v: raw.map((p) => p.v), instances: raw.map((p) => p.instance ?? null) }, SERIES_LIMITS);
        if (!columns.ok) throw new Error(JSON.stringify(columns.issues));
        expect((columns.value as NormalizedSeries).points).toEqual(oracle(raw));
      }),
      { numRuns: 300 },
    );
  });

  it('decide() reads a series the schema parsed without parsing it again, and a raw one the same way', () => {
    const spec = compile(ruleSet([metricRule('up', 'out', 'GreaterThan', 50, { type: 'ChangeCount', value: 1 })]));
    const raw = { start: iso(T0 - 9 * MIN), step: 'PT1M', values: [60, 61, 62, 63, 64, 65, 66, 67, 68, 69] };
    const target = Target.parse({ id: 't1', ruleSet: 'web-tier', capacity: 2, metrics: { cpu: raw } });
    expect(target.metrics.cpu).toBeInstanceOf(NormalizedSeries);
    const viaSchema = decide(spec, { id: 't1', capacity: 2, metrics: target.metrics }, T0);
    const direct = decide(spec, { id: 't1', capacity: 2, metrics: { cpu: raw } }, T0);
    expect(direct).toEqual(viaSchema);
    expect(() => decide(spec, { id: 't1', capacity: 2, metrics: { cpu: { t: [1], v: [] } } }, T0)).toThrow(/invalid metric series/);
  });
});

describe('malformed series: a 422 SchemaViolation naming what and where', () => {
  it.each([
    ['a string', 'hot', 'targets[0].metrics.cpu', /expected a number, an array of points/],
    ['null', null, 'targets[0].metrics.cpu', /expected a number/],
    ['an empty object', {}, 'targets[0].metrics.cpu', /expected a number/],
    ['a point that is not an object', [{ t: NOW, v: 1 }, 5], 'targets[0].metrics.cpu[1]', /expected object, received number/],
    ['a point with an unknown key', [{ t: NOW, v: 1, value: 2 }], 'targets[0].metrics.cpu[0]', /Unrecognized key: "value"/],
    ['a point without t', [{ v: 1 }], 'targets[0].metrics.cpu[0].t', /expected string or number, received undefined/],
    ['a point with a zone-less time', [{ t: '2026-11-22T10:30:00', v: 1 }], 'targets[0].metrics.cpu[0].t', /zone offset/],
    ['a point with a string value', [{ t: NOW, v: '85' }], 'targets[0].metrics.cpu[0].v', /expected number, received string/],
    ['a point with a long instance', [{ t: NOW, v: 1, instance: 'x'.repeat(200) }], 'targets[0].metrics.cpu[0].instance', /<=128 characters/],
    ['start/step/values with a bad start', { start: 'yesterday', step: 'PT1M', values: [1] }, 'targets[0].metrics.cpu.start', /ISO 8601 timestamp/],
    ['start in epoch seconds', { start: 1795343400, step: 'PT1M', values: [1] }, 'targets[0].metrics.cpu.start', /looks like epoch seconds/],
    ['a month step', { start: NOW, step: 'P1M', values: [1] }, 'targets[0].metrics.cpu.step', /positive ISO 8601 duration/],
    ['a zero step', { start: NOW, step: 0, values: [1] }, 'targets[0].metrics.cpu.step', /positive/],
    ['a fractional ms step', { start: NOW, step: 1.5, values: [1] }, 'targets[0].metrics.cpu.step', /whole number of milliseconds/],
    ['a null value', { start: NOW, step: 'PT1M', values: [1, null] }, 'targets[0].metrics.cpu.values[1]', /expected number, received null/],
    ['values not an array', { start: NOW, step: 'PT1M', values: 5 }, 'targets[0].metrics.cpu.values', /expected array/],
    ['an unknown key beside values', { start: NOW, step: 'PT1M', values: [1], unit: 's' }, 'targets[0].metrics.cpu', /Unrecognized key: "unit"/],
    ['values past year 9999', { start: '9999-12-31T23:59:00Z', step: 'PT1M', values: [1, 2] }, 'targets[0].metrics.cpu.values', /after the year 9999/],
    ['t in epoch seconds', { t: [1795343340, 1795343400], v: [1, 2] }, 'targets[0].metrics.cpu.t[0]', /looks like epoch seconds: multiply by 1000/],
    ['an impossible date in t', { t: [NOW, '2026-02-30T00:00:00Z'], v: [1, 2] }, 'targets[0].metrics.cpu.t[1]', /ISO 8601 timestamp/],
    ['a boolean in t', { t: [true], v: [1] }, 'targets[0].metrics.cpu.t[0]', /expected string or number, received boolean/],
    ['a string in v', { t: [NOW], v: ['1'] }, 'targets[0].metrics.cpu.v[0]', /expected number, received string/],
    ['t and v of different lengths', { t: [NOW, NOW], v: [1] }, 'targets[0].metrics.cpu.v', /"t" has 2, "v" has 1/],
    ['v without t', { v: [1] }, 'targets[0].metrics.cpu.t', /expected array, received undefined/],
    ['instances of another length', { t: [NOW], v: [1], instances: ['a', 'b'] }, 'targets[0].metrics.cpu.instances', /one instance \(or null\) per time/],
    ['a number among instances', { t: [NOW], v: [1], instances: [3] }, 'targets[0].metrics.cpu.instances[0]', /expected string, received number/],
    ['instance and instances', { t: [NOW], v: [1], instance: 'a', instances: ['a'] }, 'targets[0].metrics.cpu.instances', /not both/],
  ])('%s', async (_name, cpu, path, message) => {
    const error = await errorOf({ cpu });
    const issues = error.issues ?? [error];
    expect(issues[0]).toMatchObject({ code: 'SchemaViolation', path });
    expect(issues[0]!.message).toMatch(message);
  });

  it('reports every bad value of a column, each at its index', async () => {
    const error = await errorOf({ cpu: { t: [NOW, 'x', NOW, 'y'], v: [1, 2, 'z', 4] } });
    expect(error.issues?.map((i) => i.path)).toEqual(['targets[0].metrics.cpu.t[1]', 'targets[0].metrics.cpu.v[2]', 'targets[0].metrics.cpu.t[3]']);
  });

  it('counts a columnar series of N values as N points (LIMITS.pointsPerSeries), in the schema and at the HTTP edge', async () => {
    const n = LIMITS.pointsPerSeries + 1;
    const values = Array.from({ length: n }, () => 1);
    const start = T0 - n * 1000;
    expect((await errorOf({ cpu: { start, step: 1000, values } })).path).toBe('targets[0].metrics.cpu.values');
    expect((await errorOf({ cpu: { t: values.map((_, i) => start + i), v: values } })).path).toBe('targets[0].metrics.cpu.t');
    const body = { targets: [{ id: 'a', metrics: { cpu: { start, step: 1000, values } } }] };
    expect(checkEvaluateLimits(body, DEFAULT_REQUEST_LIMITS)).toMatchObject({ code: 'LimitExceeded', path: 'targets[0].metrics.cpu' });
    const lowered = { ...DEFAULT_REQUEST_LIMITS, pointsPerSeries: 3 };
    expect(checkEvaluateLimits({ targets: [{ metrics: { cpu: { t: [1, 2, 3, 4], v: [1, 2, 3, 4] } } }] }, lowered)?.message).toMatch(/4 exceeds the limit of 3 points per series/);
    expect(checkEvaluateLimits({ targets: [{ metrics: { cpu: { t: [1, 2, 3], v: [1, 2, 3] } } }] }, lowered)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Converters

/** A Prometheus range query: two instances of `cpu` for target web-1, the second listed first. */
const PROM = {
  status: 'success',
  data: {
    resultType: 'matrix',
    result: ['vm-2', 'vm-1'].map((instance, k) => ({
      metric: { __name__: 'cpu', service: 'web-1', instance },
      values: Array.from({ length: 10 }, (_, i) => [(T0 - (9 - i) * MIN) / 1000, String(80 + i + k)]),
    })),
  },
};

describe("the metric converters' columnar output", () => {
  it('is irregular columns sorted by time then instance, the same points convertMetrics lists', () => {
    const columns = convertMetricsColumns({ format: 'prometheus', payload: PROM, targetLabel: 'service' });
    if (!columns.ok) throw new Error(JSON.stringify(columns.issues));
    const cpu = columns.targets['web-1']!.cpu!;
    expect(cpu.t.slice(0, 4)).toEqual([T0 - 9 * MIN, T0 - 9 * MIN, T0 - 8 * MIN, T0 - 8 * MIN]);
    expect(cpu.instances!.slice(0, 4)).toEqual(['vm-1', 'vm-2', 'vm-1', 'vm-2']);
    expect(cpu.v.slice(0, 4)).toEqual([81, 80, 82, 81]);
    const points = convertMetrics({ format: 'prometheus', payload: PROM, targetLabel: 'service' });
    if (!points.ok) throw new Error('unexpected issues');
    expect(points.targets['web-1']!.cpu).toEqual(cpu.t.map((t, i) => ({ t, v: cpu.v[i], instance: cpu.instances![i] })));
  });

  it('omits instances when no point names one, and decides as the same data sent as points does', async () => {
    const single = { ...PROM, data: { ...PROM.data, result: [{ ...PROM.data.result[0]!, metric: { __name__: 'cpu', service: 'web-1' } }] } };
    const columns = convertMetricsColumns({ format: 'prometheus', payload: single, targetLabel: 'service' });
    if (!columns.ok) throw new Error(JSON.stringify(columns.issues));
    expect(Object.keys(columns.targets['web-1']!.cpu!)).toEqual(['t', 'v']);
    for (const payload of [PROM, single]) {
      const viaPayload = await batch({ now: NOW, metricsFormat: { format: 'prometheus', targetLabel: 'service' }, metricsPayload: payload, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4 }] });
      const converted = convertMetrics({ format: 'prometheus', payload, targetLabel: 'service' });
      if (!converted.ok) throw new Error('unexpected issues');
      const asPoints = await batch({ now: NOW, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: converted.targets['web-1'] }] });
      const [a, b] = [viaPayload[0]!, asPoints[0]!];
      if (!a.ok || !b.ok) throw new Error('refused');
      expect(a.decision.decisionId).toBe(b.decision.decisionId);
      expect(a.decision.action).toBe('scaleOut');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The documentation's examples

describe('the README and docs/rules.md examples', () => {
  const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

  it("the README's columnar request decides web-1 4→5 and api-1 4→3, as the same data as points does", async () => {
    const block = /<!-- columnar-example[^>]*-->\n```json\n([\s\S]*?)\n```/.exec(read('README.md'));
    expect(block).not.toBeNull();
    const request = JSON.parse(block![1]!) as { now: string; targets: Array<{ metrics: Record<string, unknown> }> };
    const results = await batch(request);
    expect(results.map((r) => (r.ok ? [r.target, r.decision.action, r.decision.from, r.decision.to, r.decision.rule] : r.error))).toEqual([
      ['web-1', 'scaleOut', 4, 5, 'cpu-high'],
      ['api-1', 'scaleIn', 4, 3, 'cpu-low'],
    ]);
    // The same data as points (the README's other form) gets the same decision ids.
    const asPoints = request.targets.map((t) => {
      const parsed = Target.parse({ ...t, ruleSet: 'web-tier' });
      const cpu = parsed.metrics.cpu as NormalizedSeries;
      return { ...t, metrics: { cpu: cpu.points.map((p) => ({ ...p, t: iso(p.t) })) } };
    });
    const again = await batch({ ...request, targets: asPoints });
    expect(again.map((r) => r.ok && r.decision.decisionId)).toEqual(results.map((r) => r.ok && r.decision.decisionId));
  });

  it("every example of docs/rules.md's Metric series table is accepted", () => {
    const section = read('docs/rules.md').split('## Metric series')[1]!.split('\n## ')[0]!;
    const examples = [...section.matchAll(/^\| [^|]+ \| `([^`]+)` \|/gm)].map((m) => JSON.parse(m[1]!) as unknown);
    expect(examples).toHaveLength(4);
    for (const cpu of examples) expect(Target.safeParse({ id: 'a', ruleSet: 'web-tier', capacity: 1, metrics: { cpu } }).success).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
describe('regular data stays in its columns (issue #15: no point objects a decision does not read)', () => {
  it('parsing makes no points; a decision asks only for those after its lookback; all of them on request', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => i % 97);
    const parsed = parseSeries({ start: iso(T0 - 9_999 * MIN), step: 'PT1M', values }, SERIES_LIMITS);
    if (!parsed.ok || !(parsed.value instanceof NormalizedSeries)) throw new Error('not parsed');
    const s = parsed.value;
    expect(s.length).toBe(10_000);
    // (T0 − 10 min, T0]: ten points, the newest last.
    const recent = s.pointsAfter(T0 - 10 * MIN);
    expect(recent.map((p) => p.t)).toEqual(Array.from({ length: 10 }, (_, i) => T0 - (9 - i) * MIN));
    expect(recent.map((p) => p.v)).toEqual(values.slice(-10));
    // Nothing after T0: the newest point still comes, so an old series reads as stale, not as empty.
    expect(s.pointsAfter(T0)).toEqual([{ t: T0, v: values[9_999] }]);
    expect(s.pointsAfter(T0 - 20_000 * MIN)).toHaveLength(10_000);
    expect(s.points).toHaveLength(10_000);
  });

  it('a regular series older than missingData.maxAge and every window is stale, as the same points are', async () => {
    const spec = ruleSet([metricRule('cpu-high', 'out', 'GreaterThan', 70, { type: 'ChangeCount', value: 1 }), metricRule('cpu-low', 'in', 'LessThan', 30, { type: 'ChangeCount', value: 1 })], {
      missingData: { policy: 'hold', maxAge: 'PT15M' },
    });
    const start = T0 - 120 * MIN;
    const values = Array.from({ length: 60 }, (_, i) => 50 + (i % 7));
    const decided = [{ start: iso(start), step: 'PT1M', values }, values.map((v, i) => ({ t: start + i * MIN, v }))].map((cpu) => decide(compile(spec), { id: 'w', capacity: 3, metrics: { cpu } }, T0));
    const [a, b] = await Promise.all(decided);
    expect(a!.trace.missingData?.stale).toEqual(['cpu']);
    expect(a!.trace).toEqual(b!.trace);
    expect([a!.code, a!.reason, a!.decisionId]).toEqual([b!.code, b!.reason, b!.decisionId]);
  });

  it('decides, and hashes, as the same data sent as points: a long history, an instance, −0 and a sample just after now', async () => {
    // Three days of minutes before now, and one value 2 s after now (inside CLOCK_SKEW_TOLERANCE_MS).
    const start = T0 - 3 * 24 * 60 * MIN + 2_000;
    const values = Array.from({ length: 3 * 24 * 60 + 1 }, (_, i) => (i % 50 === 0 ? -0 : 60 + (i % 37)));
    const regular = { start: iso(start), step: 'PT1M', values, instance: 'vm-7' };
    const points = values.map((v, i) => ({ t: iso(start + i * MIN), v, instance: 'vm-7' }));
    const [a, b] = await decisionsOf([regular, points].map((cpu) => ({ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu } })));
    expect(a!.decisionId).toBe(b!.decisionId);
    expect(a!.trace).toEqual(b!.trace);
    expect([a!.action, a!.reason]).toEqual([b!.action, b!.reason]);
  });
});
