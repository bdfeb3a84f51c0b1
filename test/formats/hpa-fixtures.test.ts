// Public HPA manifests (test/formats/fixtures/hpa, README there: kubernetes/website, CC BY 4.0) imported and decided as a user would pass them.
//
// - php-apache.yaml: the HorizontalPodAutoscaler walkthrough's own manifest, in YAML flow style.
// - kubectl-get-hpa-list.yaml: the two HPAs of the walkthrough page in the List `kubectl get hpa -A -o yaml`
//   prints; one is chosen by name (the API's and the CLI's --name), as docs/importing.md describes.
// Decisions follow replica_calculator.go: desired = ceil(current × value / target), and without behavior
// at most max(2 × current, 4) per step (horizontal.go).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import type { ImportResult } from '../../src/formats/import-context.js';
import { importHpaManifest } from '../../src/formats/hpa-manifest.js';
import { compile } from '../helpers.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'hpa', name), 'utf8');
const PHP_APACHE = fixture('php-apache.yaml');
const LIST = fixture('kubectl-get-hpa-list.yaml');
const T = Date.parse('2026-11-23T17:00:00Z');

function imported(r: ImportResult) {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r;
}

describe('kubernetes/website examples/application/hpa/php-apache.yaml', () => {
  it('imports as CPU Utilization 50 on Deployment/php-apache, 1–10 replicas', () => {
    const r = imported(importHpaManifest(PHP_APACHE));
    expect(r.ruleSet).toMatchObject({
      id: 'php-apache',
      capacity: { minimum: 1, maximum: 10, default: 1 },
      targetTracking: [{ id: 'resource-cpu', metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 50 } }],
      targets: [{ id: 'Deployment/php-apache', labels: { apiVersion: 'apps/v1' } }],
    });
    expect(r.ruleSet.behavior).toBeUndefined();
    expect(r.unsupported).toEqual([]);
  });

  it.each([
    { name: 'CPU 75 % at 4 replicas → ceil(4 × 75 / 50) = 6', capacity: 4, cpu: 75, to: 6 },
    { name: 'CPU 54 % at 4 replicas is within the 0.1 tolerance → 4', capacity: 4, cpu: 54, to: 4 },
    { name: 'CPU 250 % at 1 replica → ceil(5) = 5, limited to max(2 × 1, 4) = 4 without behavior', capacity: 1, cpu: 250, to: 4 },
  ])('$name', async ({ capacity, cpu, to }) => {
    const d = await decide(compile(imported(importHpaManifest(PHP_APACHE)).ruleSet), { id: 'Deployment/php-apache', capacity, metrics: { cpu } }, T);
    expect(d.to).toBe(to);
  });
});

describe('a kubectl get hpa -o yaml List of the walkthrough HPAs', () => {
  it('without a name the List is refused, naming both', () => {
    const r = importHpaManifest(LIST);
    expect(r.ok ? [] : r.issues).toEqual([{ code: 'ImportError', path: '', message: '2 HorizontalPodAutoscalers (php-apache, cm-test): choose one by name' }]);
  });

  it('php-apache: the three metrics; the Ingress is not looked up; cm-test is left out; status is ignored', () => {
    const r = imported(importHpaManifest(LIST, { name: 'php-apache' }));
    expect(r.ruleSet.targetTracking).toEqual([
      { id: 'resource-cpu', metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: 50 } },
      { id: 'pods-packets-per-second', metric: 'packets-per-second', source: 'Pods', target: { type: 'AverageValue', averageValue: '1k' } },
      { id: 'object-requests-per-second', metric: 'requests-per-second', source: 'Object', target: { type: 'Value', value: '10k' } },
    ]);
    expect(r.unsupported.map((u) => u.path)).toEqual(['items[1].metadata.name', 'items[0].spec.metrics[2].object.describedObject']);
  });

  it('php-apache decides on its largest proposal: packets-per-second 2k per pod at 3 replicas → ceil(3 × 2) = 6 (the limit max(2 × 3, 4) = 6)', async () => {
    const set = compile(imported(importHpaManifest(LIST, { name: 'php-apache' })).ruleSet);
    const d = await decide(set, { id: 'Deployment/php-apache', capacity: 3, metrics: { cpu: 50, 'packets-per-second': 2000, 'requests-per-second': 10_000 } }, T);
    expect(d.to).toBe(6);
  });

  it('cm-test: a Pods metric on a ReplicationController, which needs no API group in scaleTargetRef', () => {
    const r = imported(importHpaManifest(LIST, { name: 'cm-test' }));
    expect(r.ruleSet).toMatchObject({
      id: 'cm-test',
      capacity: { minimum: 1, maximum: 4, default: 1 },
      targetTracking: [{ id: 'pods-http-requests', metric: 'http_requests', source: 'Pods', target: { type: 'AverageValue', averageValue: '500m' } }],
      targets: [{ id: 'ReplicationController/cm-test', labels: { namespace: 'prom' } }],
    });
    expect(r.notes.some((n) => n.includes('without an API group'))).toBe(false);
  });

  it.each([
    { name: 'its status value, 66m against 500m at 1 replica, holds at the minimum 1', value: 0.066, to: 1 },
    { name: '1.2 against 500m at 1 replica → ceil(2.4) = 3', value: 1.2, to: 3 },
    { name: '5 against 500m at 1 replica → ceil(10) = 10, limited to max(2, 4) = 4 = maxReplicas', value: 5, to: 4 },
  ])('cm-test: $name', async ({ value, to }) => {
    const set = compile(imported(importHpaManifest(LIST, { name: 'cm-test' })).ruleSet);
    const d = await decide(set, { id: 'ReplicationController/cm-test', capacity: 1, metrics: { http_requests: value } }, T);
    expect(d.to).toBe(to);
  });
});
