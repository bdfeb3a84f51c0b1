// Columnar metric series through the worker's own fetch inside workerd: the README's request, same ids as points, 422 paths, the points limit at the edge.
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import readme from '../../README.md?raw';

const AUTH = { authorization: 'Bearer test-token-0123456789abcdef0123456789abcdef', 'content-type': 'application/json' };
const NOW = '2026-11-22T10:30:00Z';
const END = Date.parse(NOW);

async function evaluate(body: unknown) {
  const res = await exports.default.fetch('http://edgescale.test/v1/evaluate', { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}

describe('POST /v1/evaluate with columnar series', () => {
  it("the README's columnar example: web-1 4→5, api-1 4→3", async () => {
    const block = /<!-- columnar-example[^>]*-->\n```json\n([\s\S]*?)\n```/.exec(readme);
    const res = await evaluate(JSON.parse(block![1]!));
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: any) => [r.target, r.decision.action, r.decision.to])).toEqual([
      ['web-1', 'scaleOut', 5],
      ['api-1', 'scaleIn', 3],
    ]);
  });

  // The id Node gives this input is pinned in test/engine/azure-semantics.test.ts; workerd hashes with
  // its own node:crypto (one-shot hash() where it has it, a Hash object where not) and must agree.
  it('the decision id inside workerd is the one pinned under Node (web-tier, ten ISO points of cpu)', async () => {
    const cpu = Array.from({ length: 10 }, (_, i) => ({ t: `2026-11-22T10:${String(20 + i).padStart(2, '0')}:00Z`, v: 60 + i * 0.7 }));
    const res = await evaluate({ now: NOW, targets: [{ id: 'cli', ruleSet: 'web-tier', capacity: 3, metrics: { cpu } }] });
    expect(res.status).toBe(200);
    expect(res.json.results[0].decision.decisionId).toBe('88f0ea51018f95c962cc51646128a2ff738eaf715e64e0f992125052d7c82517');
  });

  it('points, start/step/values and t/v columns of the same data get the same decision id', async () => {
    const values = [71, 74, 80, 85, 90, 88, 86, 91, 93, 95];
    const start = END - 9 * 60_000;
    const forms = [
      values.map((v, i) => ({ t: new Date(start + i * 60_000).toISOString(), v })),
      { start: new Date(start).toISOString(), step: 'PT1M', values },
      { t: values.map((_, i) => start + i * 60_000), v: values },
    ];
    const res = await evaluate({ now: NOW, targets: forms.map((cpu) => ({ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu } })) });
    expect(res.status).toBe(200);
    expect(new Set(res.json.results.map((r: any) => r.decision.decisionId)).size).toBe(1);
  });

  it.each([
    [{ t: [1795343340, 1795343400], v: [1, 2] }, 'targets[0].metrics.cpu.t[0]', /epoch seconds/],
    [{ start: NOW, step: 'PT1M', values: [1, 'x'] }, 'targets[0].metrics.cpu.values[1]', /expected number/],
    [[{ t: '2026-02-30T10:00:00Z', v: 1 }], 'targets[0].metrics.cpu[0].t', /ISO 8601 timestamp/],
  ])('a malformed series is a 422 SchemaViolation at its path (%#)', async (cpu, path, message) => {
    const res = await evaluate({ now: NOW, targets: [{ id: 'a', ruleSet: 'web-tier', capacity: 4, metrics: { cpu } }] });
    expect(res.status).toBe(422);
    const error = res.json.error ?? res.json.results?.[0]?.error;
    expect(error).toMatchObject({ code: 'SchemaViolation', path });
    expect(error.message).toMatch(message);
  });

  it('a columnar series over the points limit is refused at the edge, whole', async () => {
    const values = Array.from({ length: 10_001 }, () => 1);
    const res = await evaluate({ now: NOW, targets: [{ id: 'a', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: { start: END - 20_000_000, step: 1000, values } } }] });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: 'LimitExceeded', path: 'targets[0].metrics.cpu' });
  });
});
