// Rule set loading: schema and semantic checks with paths, metric discovery, bundled examples, hashing.
import { describe, expect, it } from 'vitest';
import { loadRuleSet, metricReferences } from '../../src/engine/ruleset.js';
import { bundledId, bundledRuleSets } from '../../src/rulesets/bundled.js';
import { canonicalJson, sha256Hex } from '../../src/engine/hash.js';
import { formatIsoDuration, parseIsoDuration } from '../../src/syntax/duration.js';
import { importForeign } from '../../src/formats/foreign.js';
import { ruleSet } from '../helpers.js';

describe('rule set validation reports every problem with its path', () => {
  type Case = { name: string; spec: unknown; code: string; path: string };
  const base = ruleSet([]);
  const rule = { id: 'r', direction: 'out', when: { expr: 'true' }, action: { type: 'ChangeCount', value: 1 } };
  const cases: Case[] = [
    { name: 'minimum above maximum', spec: { ...base, capacity: { minimum: 5, maximum: 2, default: 3 } }, code: 'InvalidBounds', path: 'capacity.minimum' },
    { name: 'default outside the bounds', spec: { ...base, capacity: { minimum: 1, maximum: 2, default: 3 } }, code: 'InvalidBounds', path: 'capacity.default' },
    { name: 'unknown field (typo)', spec: { ...base, cooldwn: 'PT5M' }, code: 'SchemaViolation', path: '' },
    { name: 'month durations are refused', spec: { ...base, cooldown: 'P1M' }, code: 'SchemaViolation', path: 'cooldown' },
    { name: 'duplicate rule ids', spec: { ...base, rules: [rule, rule] }, code: 'DuplicateRuleId', path: 'rules[1].id' },
    { name: 'JSONata syntax error', spec: { ...base, rules: [{ ...rule, when: { expr: '(1 + ' } }] }, code: 'ExprSyntax', path: 'rules[0].when.expr' },
    { name: 'capacity expression syntax error', spec: { ...base, rules: [{ ...rule, action: { type: 'Expression', expr: '$ceilDiv(' } }] }, code: 'ExprSyntax', path: 'rules[0].action.expr' },
    {
      name: 'grain longer than window',
      spec: { ...base, rules: [{ ...rule, when: { metric: { metric: 'cpu', timeGrain: 'PT10M', timeWindow: 'PT5M', operator: 'GreaterThan', threshold: 1 } } }] },
      code: 'InvalidWindow',
      path: 'rules[0].when.metric.timeGrain',
    },
    { name: 'exact count outside the bounds', spec: { ...base, rules: [{ ...rule, action: { type: 'ExactCount', value: 1000 } }] }, code: 'InvalidBounds', path: 'rules[0].action.value' },
    { name: 'unknown direction', spec: { ...base, rules: [{ ...rule, direction: 'up' }] }, code: 'SchemaViolation', path: 'rules[0].direction' },
    // Kubernetes validation.go validatePodsSource / validateExternalSource: a Pods metric takes only AverageValue, an
    // External one Value or AverageValue.
    {
      name: 'a Pods metric with a Utilization target',
      spec: { ...base, targetTracking: [{ id: 'tt', metric: 'cpu', source: 'Pods', target: { type: 'Utilization', averageUtilization: 50 } }] },
      code: 'InvalidMetricTarget',
      path: 'targetTracking[0].target.type',
    },
    {
      name: 'an External metric with a Utilization target',
      spec: { ...base, targetTracking: [{ id: 'a', metric: 'q', target: { type: 'Value', value: 5 } }, { id: 'b', metric: 'q', source: 'External', target: { type: 'Utilization', averageUtilization: 50 } }] },
      code: 'InvalidMetricTarget',
      path: 'targetTracking[1].target.type',
    },
  ];
  it.each(cases)('$name → $code at "$path"', ({ spec, code, path }) => {
    const loaded = loadRuleSet(spec);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code, path })]));
  });
});

describe('metric names are discovered from expressions', () => {
  it.each([
    { expr: 'metrics.cpu.avg > 70', refs: ['cpu'] },
    { expr: 'metrics.queue.last / capacity.current > metrics.target.last', refs: ['queue', 'target'] },
    { expr: '$keys(metrics)', refs: 'dynamic' },
    { expr: 'capacity.current < 3', refs: [] },
  ])('$expr → $refs', ({ expr, refs }) => {
    const found = metricReferences(expr);
    expect(found === 'dynamic' ? 'dynamic' : [...found].sort()).toEqual(refs);
  });
});

describe('bundled example rule sets', () => {
  it('every file in rules/ compiles and its id matches its file name', () => {
    const entries = [...bundledRuleSets().values()];
    expect(entries.length).toBeGreaterThanOrEqual(3);
    for (const e of entries) expect({ id: e.id, issues: e.issues }).toEqual({ id: bundledId(e.file), issues: undefined });
  });
  it.each([
    ['web-tier.json', 'web-tier'],
    ['vmss-web.azure.json', 'vmss-web'],
    ['php-apache.hpa.yaml', 'php-apache'],
    ['php-apache.hpa.yml', 'php-apache'],
    ['plain.yaml', 'plain'],
  ])('a bundled file is known by its stem without the format marker: %s → %s', (file, id) => {
    expect(bundledId(file)).toBe(id);
  });
  it('Azure settings and HPA manifests in rules/ are imported under their file name and report what they left out', () => {
    const entries = bundledRuleSets();
    expect(entries.get('vmss-web')).toMatchObject({ file: 'vmss-web.azure.json', imported: { format: 'azure' } });
    expect(entries.get('vmss-web')?.ruleSet?.spec.profiles?.map((p) => p.name)).toEqual(['Weekday']);
    const hpa = entries.get('php-apache');
    expect(hpa).toMatchObject({ file: 'php-apache.hpa.yaml', imported: { format: 'hpa' } });
    expect(hpa?.imported?.unsupported.map((u) => u.path)).toEqual(['php-apache.hpa.yaml.spec.metrics[1].external.metric.selector']);
  });
  it('a foreign file that does not import is kept with its issues, pointing into the file', () => {
    const entries = bundledRuleSets({ 'bad.hpa.yaml': 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: bad}\nspec: {maxReplicas: 0}\n', 'c.json': ruleSet([], { id: 'c' }) });
    expect(entries.get('bad')?.issues?.[0]).toMatchObject({ code: 'ImportError' });
    expect(entries.get('bad')?.issues?.[0]?.path).toMatch(/^bad\.hpa\.yaml/);
    expect(entries.get('c')?.ruleSet).toBeDefined();
  });
  it('a file whose id differs from its name is reported, and the others still load', () => {
    const entries = bundledRuleSets({ 'a.json': ruleSet([], { id: 'b' }), 'c.json': ruleSet([], { id: 'c' }) });
    expect(entries.get('a')?.issues?.[0]).toMatchObject({ path: 'a.json.id' });
    expect(entries.get('c')?.ruleSet).toBeDefined();
  });
});

describe('durations and hashing', () => {
  it.each([
    ['PT5M', 300_000],
    ['PT1H30M', 5_400_000],
    ['P1DT2H', 93_600_000],
    ['P2W', 1_209_600_000],
    ['PT0.5S', 500],
    ['P1M', undefined],
    ['PT', undefined],
    ['5m', undefined],
  ] as const)('%s → %s ms', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
    if (ms !== undefined && ms >= 1000) expect(parseIsoDuration(formatIsoDuration(ms))).toBe(ms);
  });
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('sha256(%j) matches the FIPS 180-4 test vector', (text, hex) => {
    expect(sha256Hex(text)).toBe(hex);
  });
  it('canonical JSON ignores key order and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: undefined } })).toBe(canonicalJson({ a: { d: [1, 2] }, b: 1 }));
  });
});

describe('every policy family is compiled at load', () => {
  it('durations in ms, defaults applied, target quantities parsed', () => {
    const loaded = loadRuleSet(
      ruleSet([], {
        targetTracking: [{ id: 'tt', metric: 'rps', target: { type: 'AverageValue', averageValue: '500m' }, window: 'PT2M' }],
        stepScaling: [
          {
            id: 'steps',
            policy: { metric: 'q', comparison: 'GreaterThanThreshold', threshold: 10, adjustmentType: 'ChangeInCapacity', stepAdjustments: [{ metricIntervalLowerBound: 0, scalingAdjustment: 1 }] },
          },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
        scaleToZero: { metric: 'q', activationThreshold: 0 },
        missingData: { policy: 'hold', maxAge: 'PT15M' },
      }),
    );
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const { families } = loaded.ruleSet;
    const compiledOf = (kind: string) => families.policies.find((p) => p.kind === kind)?.compiled as { rules: Array<{ windowMs: number; targetMilli?: number }> };
    const governed = (name: string) => families.governors.find((g) => g.name === name)?.compiled;
    expect(families.policies.map((p) => p.kind)).toEqual(['targetTracking', 'stepScaling']);
    expect(compiledOf('targetTracking').rules.map(({ windowMs, targetMilli }) => ({ windowMs, targetMilli }))).toEqual([{ windowMs: 120_000, targetMilli: 500 }]);
    expect(compiledOf('stepScaling').rules.map((s) => s.windowMs)).toEqual([60_000]);
    expect((governed('behavior') as { behavior: { scaleDown: { stabilizationWindowSeconds: number } } }).behavior.scaleDown.stabilizationWindowSeconds).toBe(60);
    expect(governed('activation')).toEqual({ metrics: [{ metric: 'q', activationThreshold: 0 }], windowMs: 300_000, activeDuringProfiles: false });
    expect(families.missingData).toEqual({ policy: 'hold', fallbackAfter: 3, maxAgeMs: 900_000 });
  });
  it('without policies: no family, no behavior normalization, no activation; Azure missing data', () => {
    const loaded = loadRuleSet(ruleSet([]));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const { families } = loaded.ruleSet;
    expect(families.policies).toEqual([]);
    expect(families.governors.map((g) => g.name)).toEqual(['cooldown', 'clamp', 'flapping', 'placement', 'bounds']);
    expect(families.missingData).toEqual({ policy: 'azure', fallbackAfter: 3 });
  });
  it('an importer hands back the set it compiled, with the hash a second load would give', () => {
    const manifest = [
      'apiVersion: autoscaling/v2',
      'kind: HorizontalPodAutoscaler',
      'metadata: { name: web }',
      'spec:',
      '  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }',
      '  minReplicas: 1',
      '  maxReplicas: 10',
      '  metrics:',
      '    - type: Resource',
      '      resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } }',
    ].join('\n');
    const imported = importForeign('hpa', manifest, {}, '');
    if (!imported.ok) throw new Error(JSON.stringify(imported.issues));
    const again = loadRuleSet(imported.ruleSet);
    if (!again.ok) throw new Error(JSON.stringify(again.issues));
    expect(imported.compiled.specHash).toBe(again.ruleSet.specHash);
    expect(imported.compiled.spec).toEqual(again.ruleSet.spec);
  });
});
