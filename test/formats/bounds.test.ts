// Importers and metric converters are bounded: any input comes back as a rule set, a conversion or issues with a path; none throws.
//
// The bounds and their reasons are IMPORT_LIMITS in src/limits.ts and FORMAT_LIMITS in src/formats/metrics.ts;
// the walk that enforces depth and size without recursion is src/formats/bounds.ts. Issue #13 found an HPA
// manifest whose aliases expand too far answered with a 500; these cases would have failed then.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importAzureAutoscale } from '../../src/formats/azure/import.js';
import { checkValueBounds } from '../../src/formats/bounds.js';
import { importAny, importHpaManifest } from '../../src/formats/hpa-manifest.js';
import { convertMetrics, FORMAT_LIMITS } from '../../src/formats/metrics.js';
import type { MetricFormat } from '../../src/schemas/metric-formats.js';
import { BUNDLED_RULE_FILES } from '../../src/generated/bundled-rules.js';
import { IMPORT_LIMITS } from '../../src/limits.js';
import { BILLION_LAUGHS } from './hostile-inputs.js';
import { HANG_GUARD_MS } from '../helpers.js';
import { azureObjectArb, hpaObjectArb, hpaTextArb, metricsInputArb } from '../../scripts/fuzz/edge-properties.js';

const HPA_YAML = BUNDLED_RULE_FILES['php-apache.hpa.yaml'] as string;


function issues(result: { ok: boolean; issues?: Array<{ code: string; path: string; message: string }> }) {
  expect(result.ok).toBe(false);
  return result.issues!;
}

function deep(depth: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

describe('checkValueBounds walks without recursion and names the first place over a bound', () => {
  const bounds = { maxDepth: 3, maxNodes: 10, depthName: 'D', nodesName: 'N' };
  it('depth: the path of the first value one level too deep, in document order', () => {
    expect(checkValueBounds({ ok: [1], spec: { x: [[1]] } }, bounds)).toEqual({ path: 'spec.x[0]', message: 'nested more than 3 levels deep (D)' });
    expect(checkValueBounds({ ok: [1], spec: { x: [1] } }, bounds)).toBeUndefined();
  });
  it('size: refused before a wide value is pushed, under the prefix given', () => {
    expect(checkValueBounds({ list: Array(20).fill(0) }, bounds, 'hpa')).toEqual({ path: 'hpa.list', message: 'more than 10 values in one document (N)' });
  });
  it('a value nested 1,000,000 levels (which JSON.parse builds and JSON.stringify overflows on) is refused at the bound', () => {
    // The top value is an array, then objects and arrays alternate: the first value at depth 65 sits
    // under 64 keys, and it is the depth bound (D) that refuses it, not the node bound (N).
    const problem = checkValueBounds(deep(1_000_000), { ...bounds, maxDepth: 64, maxNodes: 1_000 });
    expect(problem?.path).toBe('[0].a'.repeat(32));
    expect(problem?.message).toMatch(/\b64\b.*\(D\)$/);
  });
});

describe('HPA manifests as YAML text are bounded (IMPORT_LIMITS)', () => {
  it('an alias bomb is an ImportError naming the guard, not an exception', () => {
    const [issue, ...rest] = issues(importHpaManifest(BILLION_LAUGHS));
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ code: 'ImportError', path: '' });
    expect(issue!.message).toMatch(/aliases expand too far .*IMPORT_LIMITS\.yamlAliases/);
  });

  it('an alias bomb inside a List names the document it is in', () => {
    const list = `---\n${HPA_YAML}\n---\n${BILLION_LAUGHS}\n`;
    expect(issues(importHpaManifest(list))[0]).toMatchObject({ code: 'ImportError', path: 'documents[1]' });
  });

  it('more aliases than IMPORT_LIMITS.yamlAliases are refused at the first one over, with its line', () => {
    const text = `${HPA_YAML}\nx-shared: &s 1\nx-refs: [${Array(IMPORT_LIMITS.yamlAliases + 1).fill('*s').join(', ')}]\n`;
    const [issue] = issues(importHpaManifest(text));
    expect(issue!.path).toBe(`x-refs[${IMPORT_LIMITS.yamlAliases}]`);
    expect(issue!.message).toMatch(/more than 100 YAML aliases \(IMPORT_LIMITS\.yamlAliases\) \(line \d+\)/);
  });

  it('a manifest with a few anchors and aliases (a shared policy) still imports', () => {
    const text = HPA_YAML.replace('averageUtilization: 50', 'averageUtilization: &target 50').replace('value: 100', 'value: *target');
    expect(text).toContain('*target');
    expect(importHpaManifest(text).ok).toBe(true);
  });

  it('nesting past IMPORT_LIMITS.nestingDepth: block nesting is refused with its path and line, flow nesting before the parser overflows', () => {
    const block = Array.from({ length: 80 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1';
    const [issue] = issues(importHpaManifest(block));
    expect(issue!.message).toMatch(/nested more than 64 levels deep \(IMPORT_LIMITS\.nestingDepth\) \(line 65\)/);
    expect(issue!.path).toBe(Array.from({ length: 64 }, (_, i) => `k${i}`).join('.'));
    const flow = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    expect(issues(importHpaManifest(flow))[0]!.code).toBe('ImportError');
  });

  it('text over IMPORT_LIMITS.manifestChars is refused before it is parsed', () => {
    const [issue] = issues(importHpaManifest(`${HPA_YAML}\n# ${'x'.repeat(IMPORT_LIMITS.manifestChars)}`));
    expect(issue!.message).toMatch(/more than 65536 \(IMPORT_LIMITS\.manifestChars\)/);
  });

  it('6,000 keys in one mapping are read in one pass, not compared pairwise (yaml\'s own check took a minute for 60,000)', () => {
    const text = Array.from({ length: 6_000 }, (_, i) => `k${i}: 1`).join('\n');
    const t0 = performance.now();
    importHpaManifest(text);
    expect(performance.now() - t0).toBeLessThan(HANG_GUARD_MS);
  });

  it('a duplicate key is an ImportError with its path and line, as Kubernetes refuses it', () => {
    const [issue] = issues(importHpaManifest(HPA_YAML.replace('maxReplicas: 10', 'maxReplicas: 10\n  maxReplicas: 99')));
    expect(issue!.path).toBe('spec.maxReplicas');
    expect(issue!.message).toMatch(/duplicate key "maxReplicas" \(line \d+\)/);
  });
});

describe('foreign rule sets as objects are bounded', () => {
  it('an HPA object nested past the limit names the path', () => {
    const hpa = { kind: 'HorizontalPodAutoscaler', spec: { metrics: [deep(100_000)] } };
    const [issue] = issues(importAny('hpa', hpa));
    expect(issue!.path).toMatch(/^spec\.metrics\[0\]\[0\](\.a\[0\])+$/);
    expect(issue!.message).toMatch(/nested more than 64 levels deep/);
  });
  it('an Azure setting nested past the limit names the path', () => {
    const [issue] = issues(importAzureAutoscale({ properties: { profiles: [deep(100_000)] } }));
    expect(issue!.path).toMatch(/^properties\.profiles\[0\]/);
    expect(issue!.message).toMatch(/IMPORT_LIMITS\.nestingDepth/);
  });
  it('an Azure setting with more values than IMPORT_LIMITS.documentNodes is refused', () => {
    const [issue] = issues(importAzureAutoscale({ properties: { tags: Array(IMPORT_LIMITS.documentNodes + 1).fill(0) } }));
    expect(issue!.message).toMatch(/IMPORT_LIMITS\.documentNodes/);
  });
});

describe('metric payloads of any shape become issues, never exceptions', () => {
  for (const format of ['otlp', 'prometheus', 'azureMonitor'] as MetricFormat[]) {
    it(`${format}: a payload nested 100,000 levels is one MetricFormat issue naming FORMAT_LIMITS.maxDepth`, () => {
      const r = convertMetrics({ format, payload: { deep: deep(100_000) }, targetLabel: 'target' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0]).toMatchObject({ code: 'MetricFormat', message: expect.stringContaining(`nested more than ${FORMAT_LIMITS.maxDepth} levels`) });
    });
  }
});

// The fuzzer's arbitraries (scripts/fuzz/edge-properties.ts), a few hundred cases each here; npm run fuzz runs 100,000+.
describe('fuzzed: every importer and converter returns a value or issues with paths', () => {
  const wellFormed = (r: { ok: boolean; issues?: Array<{ code: string; path: unknown; message: unknown }> }, code: string) =>
    r.ok || (r.issues!.length > 0 && r.issues!.every((i) => i.code === code && typeof i.path === 'string' && typeof i.message === 'string'));
  it('HPA text', () => fc.assert(fc.property(hpaTextArb, (text) => wellFormed(importHpaManifest(text), 'ImportError')), { numRuns: 150 }));
  it('HPA objects and Azure settings', () =>
    fc.assert(fc.property(hpaObjectArb, azureObjectArb, (h, a) => wellFormed(importAny('hpa', h), 'ImportError') && wellFormed(importAzureAutoscale(a), 'ImportError')), { numRuns: 150 }));
  it('metric payloads', () => fc.assert(fc.property(metricsInputArb, (input) => wellFormed(convertMetrics(input), 'MetricFormat')), { numRuns: 200 }));
  // A counterexample the property found (seed -481217756): String() of an object whose own `toString` is not a function throws.
  it('a kind or name that is an object with its own toString is described, not thrown on', () => {
    const hpa = { apiVersion: 'autoscaling/v2', kind: { toString: '' }, metadata: { name: { toString: 1 } }, spec: {} };
    const r = importHpaManifest(hpa);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ code: 'ImportError', path: '' });
    expect(wellFormed(importAny('hpa', [hpa, 1]), 'ImportError')).toBe(true);
  });
});
