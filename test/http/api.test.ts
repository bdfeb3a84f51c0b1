// The HTTP API through the worker's own fetch inside workerd: auth, evaluate, validate, rule sets, errors.
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST_LIMITS } from '../../src/limits.js';
import pkg from '../../package.json';

const AUTH = { authorization: 'Bearer test-token-0123456789abcdef0123456789abcdef', 'content-type': 'application/json' };
const NOW = '2026-11-22T10:30:00Z';

function minutes(v: number, count = 10, end = Date.parse(NOW)) {
  return Array.from({ length: count }, (_, i) => ({ t: new Date(end - (count - 1 - i) * 60_000).toISOString(), v }));
}

async function call(path: string, init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const res = await exports.default.fetch(`http://edgescale.test${path}`, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers: init.headers ?? AUTH,
    ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as any, headers: res.headers };
}

describe('auth: /v1 needs the bearer token from the wrangler secret', () => {
  it.each<{ name: string; headers: Record<string, string>; status: number }>([
    { name: 'no header', headers: {}, status: 401 },
    { name: 'wrong token', headers: { authorization: 'Bearer nope' }, status: 401 },
    { name: 'wrong scheme', headers: { authorization: 'Basic dGVzdC10b2tlbg==' }, status: 401 },
    { name: 'right token', headers: { authorization: 'Bearer test-token-0123456789abcdef0123456789abcdef' }, status: 200 },
  ])('$name → $status', async ({ headers, status }) => {
    const res = await call('/v1/rulesets', { headers });
    expect(res.status).toBe(status);
    if (status === 401) expect(res.json.error).toEqual({ code: 'Unauthorized', message: 'a valid bearer token is required', path: 'headers.authorization' });
  });
  it('healthz needs no token and reports the schemes on (vitest.config.ts binds a webhook key)', async () => {
    const res = await call('/healthz', { headers: {} });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok', auth: 'bearer, webhook signature (POST /v1/evaluate)', ruleSets: 9 });
    expect(res.json.version).toBe(pkg.version);
  });
});

// Issue 19, item 3: trace levels, and one timestamp format in the envelope and the decisions.
describe('POST /v1/evaluate `trace`: full (default), none, summary', () => {
  const body = (trace?: string, deliver = false) => ({ now: NOW, ...(trace && { trace }), deliver, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: minutes(85) } }] });
  const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;

  it('full is the default; none drops only the trace; summary keeps the outcome, the deciding rule and the whole state in under 400 bytes', async () => {
    const full = (await call('/v1/evaluate', { body: body() })).json.results[0].decision;
    const none = (await call('/v1/evaluate', { body: body('none') })).json.results[0].decision;
    const answer = (await call('/v1/evaluate', { body: body('summary') })).json;
    const summary = answer.results[0].decision;
    expect(full.trace.rules).toHaveLength(2);
    const { trace: _dropped, ...withoutTrace } = full;
    expect(none).toEqual(withoutTrace);
    // The target and now are the entry's and the answer's; the reason sentence and the trace are left out.
    expect(answer).toMatchObject({ now: '2026-11-22T10:30:00Z', results: [{ target: 'web-1', ok: true }] });
    expect(summary).toEqual({
      decisionId: full.decisionId,
      action: 'scaleOut',
      from: 4,
      to: 5,
      code: 'ScaleOut',
      rule: 'cpu-high',
      state: full.state,
    });
    expect(bytes(summary)).toBeLessThan(bytes(full) / 5);
    expect(bytes(summary)).toBeLessThanOrEqual(400);
  });

  it('the same decision id at every level; with deliver the delivery is still reported beside a summary', async () => {
    const ids = await Promise.all(['full', 'none', 'summary'].map(async (t) => (await call('/v1/evaluate', { body: body(t) })).json.results[0].decision.decisionId));
    expect(new Set(ids).size).toBe(1);
    const delivered = (await call('/v1/evaluate', { body: body('summary', true) })).json.results[0];
    expect(delivered.decision.trace).toBeUndefined();
    expect(delivered.delivery).toMatchObject({ decisionId: ids[0] });
  });

  it('an unknown level is a 422 naming `trace`', async () => {
    const res = await call('/v1/evaluate', { body: body('verbose') });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: 'SchemaViolation', path: 'trace' });
  });

  it("the envelope's now is written as the decisions' now (no .000 for whole seconds)", async () => {
    const res = await call('/v1/evaluate', { body: { ...body(), now: '2026-11-22T10:30:00.000Z' } });
    expect(res.json.now).toBe('2026-11-22T10:30:00Z');
    expect(res.json.results[0].decision.now).toBe('2026-11-22T10:30:00Z');
  });
});

describe('POST /v1/evaluate decides a batch', () => {
  it('decides a bundled web-tier target with from, to, reason, trace, state and id', async () => {
    const res = await call('/v1/evaluate', { body: { now: NOW, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: minutes(85) } }] } });
    expect(res.status).toBe(200);
    const [result] = res.json.results;
    expect(result).toMatchObject({ index: 0, target: 'web-1', ok: true });
    expect(result.decision).toMatchObject({
      target: 'web-1',
      ruleSet: 'web-tier',
      action: 'scaleOut',
      from: 4,
      to: 5,
      rule: 'cpu-high',
      code: 'ScaleOut',
      reason: 'scale-out 4→5: rule cpu-high fired (cpu average over PT10M = 85, > 70)',
      state: { cooldownUntil: { out: '2026-11-22T10:35:00Z', in: '2026-11-22T10:35:00Z' } },
    });
    expect(result.decision.trace.rules.map((r: any) => [r.rule, r.status])).toEqual([
      ['cpu-high', 'Fired'],
      ['cpu-low', 'NotMet'],
    ]);
    expect(result.decision.decisionId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sending the state back inside the cooldown returns none with the cooldown as the reason', async () => {
    const first = await call('/v1/evaluate', { body: { now: NOW, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: minutes(85) } }] } });
    const state = first.json.results[0].decision.state;
    const later = '2026-11-22T10:33:00Z';
    const res = await call('/v1/evaluate', {
      body: { now: later, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 5, metrics: { cpu: minutes(90, 10, Date.parse(later)) }, state }] },
    });
    expect(res.json.results[0].decision).toMatchObject({
      action: 'none',
      code: 'CooldownActive',
      reason: 'scale-out deferred: cooldown of rule cpu-high until 10:35Z (rule cpu-high fired)',
    });
  });

  it('the same request gives the same response', async () => {
    const body = { now: NOW, targets: [{ id: 'q', ruleSet: 'queue-workers', capacity: 2, metrics: { queue: 930 } }] };
    const a = await call('/v1/evaluate', { body });
    const b = await call('/v1/evaluate', { body });
    expect(b.json).toEqual(a.json);
    expect(a.json.results[0].decision).toMatchObject({ from: 2, to: 10, rule: 'backlog-high' });
  });

  it('deliver: true reports a delivery per decision (queued, NotConfigured, when no actuator URL is configured: wrangler.toml binds the queue)', async () => {
    const res = await call('/v1/evaluate', { body: { now: NOW, deliver: true, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } }] } });
    expect(res.status).toBe(200);
    const [result] = res.json.results;
    expect(result.delivery).toMatchObject({ decisionId: result.decision.decisionId, target: 'web-1', outcome: 'queued', attempts: 0, error: { code: 'NotConfigured' } });
  });

  it('POST /v1/scheduled previews the profile changes of a tick', async () => {
    const res = await call('/v1/scheduled', { body: { at: '2026-11-23T07:00:00Z' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ tick: '2026-11-23T07:00:00Z', previous: '2026-11-23T06:55:00Z', deliveries: [] });
    expect(res.json.decisions.map((d: any) => [d.target, d.profile.name])).toEqual([
      ['demo-worker', 'burst'],
      ['storefront-eu-1', 'business-hours'],
      ['storefront-eu-2', 'business-hours'],
    ]);
  });

  it('metrics in Prometheus format decide exactly as the same points in native form', async () => {
    const t = Date.parse(NOW);
    const native = await call('/v1/evaluate', {
      body: { now: NOW, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: [{ t, v: 85, instance: 'vm-0' }] } }] },
    });
    const prometheus = await call('/v1/evaluate', {
      body: {
        now: NOW,
        metricsFormat: { format: 'prometheus', targetLabel: 'service', metric: 'cpu' },
        metricsPayload: { status: 'success', data: { resultType: 'vector', result: [{ metric: { service: 'web-1', instance: 'vm-0' }, value: [t / 1000, '85'] }, { metric: { service: 'other', instance: 'x' }, value: [t / 1000, '1'] }] } },
        targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4 }],
      },
    });
    expect(prometheus.status).toBe(200);
    expect(prometheus.json.results[0].decision).toEqual(native.json.results[0].decision);
    expect(prometheus.json.metrics).toMatchObject({ format: 'prometheus', targets: ['web-1'], unknownTargets: ['other'] });
  });

  it('a malformed metrics payload is a 422 naming the place in the payload', async () => {
    const res = await call('/v1/evaluate', {
      body: { now: NOW, metricsFormat: { format: 'prometheus', targetLabel: 'service', metric: 'cpu' }, metricsPayload: { status: 'success', data: { resultType: 'vector', result: [{ metric: { service: 'web-1' }, value: [1, 'NaN'] }] } }, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4 }] },
    });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('MetricFormat');
    expect(res.json.error.path).toMatch(/^metricsPayload\.data\.result\[0\]\.value/);
  });

  it('a batch with one broken target still decides the others (207)', async () => {
    const res = await call('/v1/evaluate', {
      body: {
        now: NOW,
        targets: [
          { id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: minutes(20) } },
          { id: 'ghost', ruleSet: 'no-such-set', capacity: 4 },
          { id: 'api-1', ruleSet: 'api-requests', capacity: 4, metrics: { requests: minutes(4800) } },
        ],
      },
    });
    expect(res.status).toBe(207);
    expect(res.json.summary).toEqual({ decided: 2, failed: 1 });
    expect(res.json.results.map((r: any) => r.ok)).toEqual([true, false, true]);
    expect(res.json.results[0].decision).toMatchObject({ action: 'scaleIn', to: 3 });
    expect(res.json.results[1].error).toEqual({ code: 'UnknownRuleSet', message: 'no bundled rule set has the id "no-such-set"', path: 'targets[1].ruleSet' });
    expect(res.json.results[2].decision).toMatchObject({ action: 'scaleOut', from: 4, to: 5, rule: 'rpm-high' });
  });
});

describe('bad input gets a 4xx JSON error naming where', () => {
  type Case = { name: string; raw?: string; body?: unknown; status: number; code: string; path: string; message?: RegExp; position?: number };
  const inline = (expr: string) => ({
    id: 'inline',
    capacity: { minimum: 1, maximum: 5, default: 1 },
    rules: [{ id: 'r', direction: 'out', when: { expr }, action: { type: 'ChangeCount', value: 1 } }],
  });
  const cases: Case[] = [
    { name: 'malformed JSON', raw: '{"targets": [', status: 400, code: 'MalformedJson', path: 'body', message: /not valid JSON/ },
    { name: 'empty batch', body: { targets: [] }, status: 422, code: 'SchemaViolation', path: 'targets' },
    { name: 'unknown bundled rule set', body: { now: NOW, targets: [{ id: 'a', ruleSet: 'nope', capacity: 1 }] }, status: 422, code: 'UnknownRuleSet', path: 'targets[0].ruleSet' },
    {
      name: 'JSONata syntax error in an inline rule set',
      body: { now: NOW, targets: [{ id: 'a', ruleSet: inline('metrics.cpu.avg > '), capacity: 1 }] },
      status: 422,
      code: 'ExprSyntax',
      path: 'targets[0].ruleSet.rules[0].when.expr',
    },
    {
      name: 'NaN metric value (sent as a string)',
      body: { now: NOW, targets: [{ id: 'a', ruleSet: 'web-tier', capacity: 3, metrics: { cpu: [{ t: NOW, v: 'NaN' }] } }] },
      status: 422,
      code: 'SchemaViolation',
      path: 'targets[0].metrics.cpu[0].v',
      message: /expected number/,
    },
    {
      name: 'unknown metric name',
      body: { now: NOW, targets: [{ id: 'a', ruleSet: 'web-tier', capacity: 3, metrics: { cpu_percent: 50 } }] },
      status: 422,
      code: 'UnknownMetric',
      path: 'targets[0].metrics.cpu_percent',
      message: /metric "cpu_percent" is not used by rule set web-tier \(it uses: cpu\)/,
    },
    { name: 'timestamp without a zone', body: { now: '2026-11-22T10:30:00', targets: [{ id: 'a', ruleSet: 'web-tier', capacity: 3 }] }, status: 422, code: 'SchemaViolation', path: 'now' },
  ];
  it.each(cases)('$name → $status $code at $path', async ({ raw, body, status, code, path, message }) => {
    const res = await call('/v1/evaluate', raw !== undefined ? { raw } : { body });
    expect(res.status).toBe(status);
    const error = res.json.error ?? res.json.results?.[0]?.error;
    expect(error).toMatchObject({ code });
    expect(error.path).toBe(path);
    if (message) expect(error.message).toMatch(message);
  });
  it('a JSONata syntax error reports the character position', async () => {
    const res = await call('/v1/evaluate', { body: { now: NOW, targets: [{ id: 'a', ruleSet: inline('metrics.cpu.avg > > 3'), capacity: 1 }] } });
    expect(res.json.results[0].error.position).toEqual(expect.any(Number));
  });
  it('a body over the size limit is refused with 413', async () => {
    const res = await call('/v1/evaluate', { raw: JSON.stringify({ targets: [{ pad: 'x'.repeat(DEFAULT_REQUEST_LIMITS.bodyBytes) }] }) });
    expect(res.status).toBe(413);
    expect(res.json.error).toMatchObject({ code: 'PayloadTooLarge', path: 'body' });
  });
  it('an unknown route is a JSON 404', async () => {
    const res = await call('/v1/nothing');
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('NotFound');
  });
});

describe('POST /v1/validate reports compile errors with path and position', () => {
  it('a valid rule set', async () => {
    const res = await call('/v1/validate', { body: { id: 'ok', capacity: { minimum: 1, maximum: 3, default: 1 }, rules: [] } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ valid: true, id: 'ok', rules: 0 });
  });
  it('every problem, each with its path', async () => {
    const res = await call('/v1/validate', {
      body: {
        id: 'bad',
        capacity: { minimum: 5, maximum: 3, default: 4 },
        rules: [
          { id: 'r1', direction: 'out', when: { expr: 'a +' }, action: { type: 'ChangeCount', value: 1 } },
          { id: 'r1', direction: 'in', when: { expr: 'true' }, action: { type: 'ChangeCount', value: 1 } },
        ],
      },
    });
    expect(res.status).toBe(422);
    expect(res.json.valid).toBe(false);
    const byPath = Object.fromEntries(res.json.errors.map((e: any) => [e.path, e.code]));
    expect(byPath).toEqual({ 'capacity.minimum': 'InvalidBounds', 'rules[0].when.expr': 'ExprSyntax', 'rules[1].id': 'DuplicateRuleId' });
    expect(res.json.errors.find((e: any) => e.code === 'ExprSyntax').position).toEqual(expect.any(Number));
  });
  // Issue 16: a set whose scale-out (cpu > 50) and scale-in (cpu < 70) rules both fire at 60 is valid, with a warning.
  it('lint warnings beside a valid answer: the overlapping 50/70 rules (docs/lint.md)', async () => {
    const rule = (id: string, direction: string, operator: string, threshold: number) => ({
      id,
      direction,
      when: { metric: { metric: 'cpu', operator, threshold } },
      action: { type: 'ChangeCount', value: 1 },
    });
    const body = { id: 'overlap', capacity: { minimum: 1, maximum: 10, default: 2 }, cooldown: 'PT10M', rules: [rule('cpu-high', 'out', 'GreaterThan', 50), rule('cpu-low', 'in', 'LessThan', 70)] };
    const res = await call('/v1/validate', { body });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ valid: true, id: 'overlap' });
    expect(res.json.warnings).toEqual([
      {
        code: 'OutInOverlap',
        path: 'rules[0].when.metric.threshold',
        message: expect.stringContaining('cpu-high (cpu > 50) and scale-in rule cpu-low (cpu < 70) both fire at cpu = 60'),
        fix: expect.stringContaining('margin'),
      },
    ]);
    const fixed = await call('/v1/validate', { body: { ...body, rules: [rule('cpu-high', 'out', 'GreaterThan', 80), rule('cpu-low', 'in', 'LessThan', 30)] } });
    expect(fixed.json).toMatchObject({ valid: true, warnings: [] });
  });
  it('a schema violation names the field', async () => {
    const res = await call('/v1/validate', { body: { id: 'x', capacity: { minimum: 1, maximum: 2, default: 1 }, rules: [{ id: 'r', direction: 'up' }] } });
    expect(res.status).toBe(422);
    expect(res.json.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['rules[0].direction']));
  });
});

describe('GET /v1/rulesets lists the bundled rule sets', () => {
  it('lists every example as valid', async () => {
    const res = await call('/v1/rulesets');
    expect(res.json.ruleSets.map((r: any) => [r.id, r.valid])).toEqual([
      ['api-requests', true],
      ['aws-step', true],
      ['cron-demo', true],
      ['k8s-api', true],
      ['php-apache', true],
      ['queue-workers', true],
      ['storefront', true],
      ['vmss-web', true],
      ['web-tier', true],
    ]);
  });
  it('returns one by id, with defaults filled in', async () => {
    const res = await call('/v1/rulesets/web-tier');
    expect(res.json.ruleSet).toMatchObject({ id: 'web-tier', cooldownMode: 'shared', capacity: { minimum: 2, maximum: 20, default: 3 } });
  });
  it('404 for an unknown id', async () => {
    const res = await call('/v1/rulesets/nope');
    expect(res.status).toBe(404);
    expect(res.json.error).toMatchObject({ code: 'NotFound', path: 'params.id' });
  });
});

// Issue 17, payload hygiene: an OTLP export carries more than the rules read; those series are ignored and
// counted (they were a 422 UnknownMetric), and a target the payload has nothing for says so.
describe('POST /v1/evaluate with a payload carrying extra metrics', () => {
  const t = Date.parse(NOW);
  const points = (v: number) => Array.from({ length: 10 }, (_, i) => ({ timeUnixNano: `${BigInt(t - (9 - i) * 60_000) * 1_000_000n}`, asDouble: v }));
  const payload = {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'web-1' } }, { key: 'service.instance.id', value: { stringValue: 'web-1-0' } }, { key: 'telemetry.sdk.language', value: { stringValue: 'nodejs' } }] },
        scopeMetrics: [
          {
            scope: { name: 'web-app-metrics', version: '1.4.0' },
            metrics: [
              { name: 'app.cpu.percent', unit: '%', gauge: { dataPoints: points(85) } },
              { name: 'nodejs.eventloop.utilization', unit: '1', gauge: { dataPoints: points(0.2) } },
              { name: 'http.server.active_requests', unit: '{request}', sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints: points(12) } },
            ],
          },
        ],
      },
    ],
  };
  const body = (targets: unknown[]) => ({ now: NOW, metricsFormat: { format: 'otlp', targetLabel: 'service.name', metricNames: { 'app.cpu.percent': 'cpu' } }, metricsPayload: payload, targets });

  it('decides, reports the ignored series and the target without data (no longer 422 UnknownMetric)', async () => {
    const res = await call('/v1/evaluate', { body: body([{ id: 'web-1', ruleSet: 'web-tier', capacity: 4 }, { id: 'web-2', ruleSet: 'web-tier', capacity: 4 }]) });
    expect(res.status).toBe(200);
    expect(res.json.summary).toEqual({ decided: 2, failed: 0 });
    expect(res.json.metrics).toEqual({
      format: 'otlp',
      targets: ['web-1'],
      unknownTargets: [],
      targetsWithoutData: ['web-2'],
      ignored: [
        { target: 'web-1', metric: 'http.server.active_requests', points: 10 },
        { target: 'web-1', metric: 'nodejs.eventloop.utilization', points: 10 },
      ],
      unmatched: { points: 0, series: 0, reasons: [] },
      unused: { points: 0, reasons: [] },
      clockSkew: { toleranceMs: 5000, points: 0 },
    });
    const [one, two] = res.json.results;
    expect(one).toMatchObject({ ok: true, decision: { code: 'ScaleOut', from: 4, to: 5 } });
    expect(one.notes).toBeUndefined();
    expect(two).toMatchObject({ ok: true, decision: { code: 'MissingDataNoScaleIn' }, notes: [{ code: 'NoPayloadData', message: expect.any(String) }] });
  });

  it('a target\'s own metric no rule reads is still a 422 UnknownMetric', async () => {
    const res = await call('/v1/evaluate', { body: body([{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu_percent: 85 } }]) });
    expect(res.status).toBe(422);
    expect(res.json.results[0].error).toMatchObject({ code: 'UnknownMetric', path: 'targets[0].metrics.cpu_percent' });
  });
});
