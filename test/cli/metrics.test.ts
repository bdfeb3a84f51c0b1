// GET /metrics of `edgescale serve`: a few evaluations through the serve app over a real socket, then the scrape counts exactly what they decided; the route takes a credential like /v1.
import { createAdaptorServer } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServeMetrics } from '../../src/cli/metrics.js';
import { serveFetch } from '../../src/cli/serve-fast.js';
import type { Env } from '../../src/env.js';
import { createLogger, type LogRecord } from '../../src/observability/log.js';
import { sample } from '../helpers.js';

const TOKEN = 'metrics-test-token-0123456789abcdef012345';
const SCRAPER = 'metrics-scraper-token-0123456789abcdef0123';
const EVALUATOR = 'metrics-evaluator-token-0123456789abcdef01';
const NOW = '2026-11-22T10:30:00Z';

const ENV = {
  EDGESCALE_CREDENTIALS: JSON.stringify({
    credentials: [
      {
        id: 'ops',
        kind: 'token',
        secret: TOKEN,
        routes: ['POST /v1/evaluate', 'GET /metrics'],
        targets: ['*'],
        ruleSets: { bundled: ['*'], inline: true, imported: true },
        deliver: true,
      },
      { id: 'prometheus', kind: 'token', secret: SCRAPER, routes: ['GET /metrics'] },
      { id: 'evaluator', kind: 'token', secret: EVALUATOR, routes: ['POST /v1/evaluate'], targets: ['*'], ruleSets: { bundled: ['*'] } },
    ],
  }),
} as unknown as Env;

const records: LogRecord[] = [];
let server: ReturnType<typeof createAdaptorServer>;
let base: string;

beforeAll(async () => {
  const metrics = createServeMetrics(() => ({ pending: 3, delivered: 5, dead: 1 }));
  // Captured at debug, so the test can also check the records serve writes (src/cli/main.ts passes its process sink).
  const log = createLogger({ sink: (r) => void records.push(r), level: 'debug' });
  const fetch = serveFetch(ENV, { app: { loggerFor: () => log, observerFor: () => metrics.observer, metrics: metrics.scrape } });
  server = createAdaptorServer({ fetch });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const evaluate = (body: unknown, token = TOKEN) =>
  fetch(`${base}/v1/evaluate`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const scrape = (token?: string) => fetch(`${base}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

const hot = (id: string) => ({ id, ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } });
const cold = (id: string) => ({ id, ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 20 } });
const broken = {
  id: 'broken-1',
  capacity: 3,
  metrics: { cpu: 90 },
  ruleSet: {
    id: 'broken-set',
    capacity: { minimum: 1, maximum: 10, default: 2 },
    rules: [{ id: 'numeric', direction: 'out', when: { expr: 'metrics.cpu.avg' }, action: { type: 'ChangeCount', value: 1 } }],
  },
};

describe('GET /metrics after a few evaluations', () => {
  let text: string;
  beforeAll(async () => {
    expect((await evaluate({ now: NOW, targets: [hot('web-1'), hot('web-2')] })).status).toBe(200);
    expect((await evaluate({ now: NOW, targets: [cold('api-1')] })).status).toBe(200);
    // One target decided with a failing rule, one refused (no such bundled rule set): 207.
    expect((await evaluate({ now: NOW, targets: [broken, { id: 'x', ruleSet: 'no-such-set', capacity: 2, metrics: {} }] })).status).toBe(207);
    // Delivered without an ACTUATOR_URL, queue or outbox: logged.
    expect((await evaluate({ now: NOW, deliver: true, targets: [hot('web-3')] })).status).toBe(200);
    const res = await scrape(SCRAPER);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    text = await res.text();
  });

  it('counts decisions by action and code', () => {
    expect(sample(text, 'edgescale_decisions_total{action="scaleOut",code="ScaleOut"}')).toBe(3);
    expect(sample(text, 'edgescale_decisions_total{action="scaleIn",code="ScaleIn"}')).toBe(1);
    expect(sample(text, 'edgescale_decisions_total{action="none",code="NoRuleFired"}')).toBe(1);
  });

  it('counts rule errors by expression error code, and targets that could not be decided', () => {
    expect(sample(text, 'edgescale_rule_errors_total{code="ExprType"}')).toBe(1);
    expect(sample(text, 'edgescale_target_errors_total{code="UnknownRuleSet"}')).toBe(1);
  });

  it('observes each batch: latency and targets per request', () => {
    expect(sample(text, 'edgescale_evaluate_duration_seconds_count')).toBe(4);
    expect(sample(text, 'edgescale_batch_targets_count')).toBe(4);
    expect(sample(text, 'edgescale_batch_targets_sum')).toBe(6);
    expect(sample(text, 'edgescale_batch_targets_bucket{le="1"}')).toBe(2);
    expect(sample(text, 'edgescale_batch_targets_bucket{le="2"}')).toBe(4);
  });

  it('counts deliveries by outcome, and reads the outbox depth at the scrape', () => {
    expect(sample(text, 'edgescale_deliveries_total{outcome="logged"}')).toBe(1);
    expect(sample(text, 'edgescale_outbox_entries{state="pending"}')).toBe(3);
    expect(sample(text, 'edgescale_outbox_entries{state="dead"}')).toBe(1);
    expect(text).toContain('# TYPE edgescale_decisions_total counter');
    expect(text).toContain('# TYPE edgescale_evaluate_duration_seconds histogram');
    expect(text).toContain('# TYPE edgescale_outbox_entries gauge');
  });

  it('docs/operations.md lists exactly the edgescale_* series served, with their types', () => {
    const served = [...text.matchAll(/^# TYPE (edgescale_\w+) (\w+)$/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `(edgescale_\w+)` \| (\w+) \|/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
    expect(served.length).toBe(8);
    expect(documented).toEqual(served);
  });

  it('logs one request record per request, with the credential and a correlation id, and one decision record per change', () => {
    const requests = records.filter((r) => r.event === 'request' && r.route === '/v1/evaluate');
    expect(requests).toHaveLength(4);
    expect(requests[2]).toMatchObject({ level: 'info', method: 'POST', status: 207, credential: 'ops' });
    expect(typeof requests[0]!.durationMs).toBe('number');
    expect(requests[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const changes = records.filter((r) => r.event === 'decision' && r.level === 'info');
    expect(changes.map((r) => `${r.target} ${r.action} ${r.from}→${r.to} ${r.code}`)).toEqual([
      'web-1 scaleOut 4→5 ScaleOut',
      'web-2 scaleOut 4→5 ScaleOut',
      'api-1 scaleIn 4→3 ScaleIn',
      'web-3 scaleOut 4→5 ScaleOut',
    ]);
    expect(changes[0]!.decisionId).toMatch(/^[0-9a-f]{64}$/);
    // The decision held is at debug; the logged delivery is whole.
    expect(records.filter((r) => r.event === 'decision' && r.level === 'debug').map((r) => r.target)).toEqual(['broken-1']);
    const logged = records.find((r) => r.event === 'delivery.LoggedOnly');
    expect(logged).toMatchObject({ outcome: 'logged', actuator: 'default', decision: { target: 'web-3', state: { cooldownUntil: { out: '2026-11-22T10:35:00Z' } } } });
  });
});

describe('GET /metrics takes a credential like /v1', () => {
  it('refuses a request without one (401), and a token not granted GET /metrics (403)', async () => {
    expect((await scrape()).status).toBe(401);
    const refused = await scrape(EVALUATOR);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RouteNotAllowed');
  });

  it('a token granted only GET /metrics scrapes, and may not evaluate', async () => {
    expect((await scrape(SCRAPER)).status).toBe(200);
    expect((await evaluate({ now: NOW, targets: [hot('web-9')] }, SCRAPER)).status).toBe(403);
  });
});
