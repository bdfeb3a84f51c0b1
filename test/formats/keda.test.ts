// KEDA ScaledObjects imported to native rule sets, and decided with KEDA's semantics through decide(), the batch and the CLI.
//
// Expected numbers are worked by hand from kedacore/keda (commit 8b4f083c): controllers/keda/hpa.go (the
// HPA a ScaledObject becomes: External metrics with AverageValue targets by default), pkg/scalers/*
// (prometheus threshold/activationThreshold, rabbitmq QueueLength value 20 by default, aws-sqs-queue
// queueLength 5 by default, cron desiredReplicas in [start, end)), pkg/scaling/scale_handler.go
// (activation: value strictly above the threshold), pkg/fallback/fallback.go (fallback on failure
// failureThreshold + 1), pkg/scaling/modifiers/formula.go (the composite metric), and the HPA formulas
// of kubernetes replica_calculator.go: External AverageValue desired = ceil(total ÷ target), Value
// desired = ceil(value ÷ target × current), no change within the 0.1 tolerance.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParseArgs } from '../../src/cli/args.js';
import { runCli, type CliIo } from '../../src/cli/commands.js';
import { detectFormat, importWrapped } from '../../src/formats/foreign.js';
import { decide } from '../../src/engine/decide.js';
import type { CompiledRuleSet } from '../../src/engine/ruleset.js';
import { translateFormula } from '../../src/formats/keda/formula.js';
import { importKedaScaledObject } from '../../src/formats/keda/import.js';
import { resolveBundled } from '../../src/rulesets/bundled.js';
import { evaluateBatch } from '../../src/service/batch.js';
import type { Decision } from '../../src/schemas/decision.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/keda/${name}`, import.meta.url), 'utf8');

/** A ScaledObject for deployment "worker" with the given spec lines (indented two spaces). */
const so = (spec: string, name = 'worker') => `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: ${name}
  namespace: jobs
spec:
  scaleTargetRef:
    name: worker
${spec}`;

function imported(text: string) {
  const r = importKedaScaledObject(text);
  if (!r.ok) throw new Error(`import failed: ${JSON.stringify(r.issues)}`);
  return r;
}

function issues(text: string) {
  const r = importKedaScaledObject(text);
  if (r.ok) throw new Error('expected the import to be refused');
  return r.issues;
}

const at = (iso: string) => Date.parse(iso);
const run = (rs: CompiledRuleSet, capacity: number, metrics: Record<string, number>, now: string, state?: Decision['state']): Decision =>
  decide(rs, { id: 'Deployment/worker', capacity, metrics, ...(state && { state }) }, at(now));

const NOW = '2026-11-23T10:00:00Z';

describe('fixtures from kedacore/keda-docs (content/docs/2.21/scalers, Apache-2.0)', () => {
  it.each([
    { file: 'prometheus.yaml', metric: 's0-prometheus', target: { type: 'AverageValue', averageValue: 100 }, min: 0, max: 100, activation: 0 },
    { file: 'rabbitmq-queue.yaml', metric: 's0-rabbitmq-testqueue', target: { type: 'AverageValue', averageValue: 20 }, min: 0, max: 100, activation: 0 },
    { file: 'aws-sqs-queue.yaml', metric: 's0-aws-sqs-myQueue', target: { type: 'AverageValue', averageValue: 5 }, min: 0, max: 100, activation: 0 },
    { file: 'cpu-container.yaml', metric: 'cpu@foo', target: { type: 'Utilization', averageUtilization: 50 }, min: 1, max: 100, activation: undefined },
    { file: 'cron-cpu.yaml', metric: 'cpu', target: { type: 'Utilization', averageUtilization: 80 }, min: 0, max: 4, activation: undefined },
  ])('$file imports: metric $metric, capacity $min–$max', ({ file, metric, target, min, max, activation }) => {
    const r = imported(fixture(file));
    expect(r.ruleSet.targetTracking?.map((t) => ({ metric: t.metric, target: t.target }))).toEqual([{ metric, target }]);
    expect(r.ruleSet.capacity).toEqual({ minimum: min, maximum: max, default: min });
    expect(r.ruleSet.scaleToZero?.activationThreshold).toBe(activation);
    expect(r.ruleSet.missingData).toEqual({ policy: 'hold' });
  });

  it('multi-document files: the Secret and TriggerAuthentication are reported by path, the ScaledObject imported', () => {
    const r = imported(fixture('rabbitmq-queue.yaml'));
    expect(r.unsupported.map((u) => u.path)).toEqual(['documents[0].kind', 'documents[1].kind', 'documents[2].spec.triggers[0].authenticationRef']);
    expect(r.ruleSet.targets).toEqual([{ id: 'Deployment/rabbitmq-deployment', labels: { namespace: 'default', apiVersion: 'apps/v1' } }]);
  });

  it('the cron + cpu example: a cron profile in Asia/Kolkata whose minimum is desiredReplicas 1', () => {
    const r = imported(fixture('cron-cpu.yaml'));
    expect(r.ruleSet.profiles).toEqual([
      { name: 's0-cron-Asia-Kolkata-06xxx-020xxx', capacity: { minimum: 1, maximum: 4, default: 1 }, cron: { timeZone: 'Asia/Kolkata', start: '0 6 * * *', end: '0 20 * * *' } },
    ]);
  });
});

describe('scaling: the HPA KEDA creates (hpa.go), decided through decide()', () => {
  const prom = (extra = '') =>
    so(`  minReplicaCount: 1
  maxReplicaCount: 20
  triggers:
  - type: prometheus
${extra}    metadata:
      serverAddress: http://prometheus:9090
      query: sum(rate(http_requests_total[2m]))
      threshold: "100"
`);

  it('AverageValue (the default): the total ÷ the per-replica target, 450 at 4 replicas → ceil(450 ÷ 100) = 5', () => {
    const d = run(imported(prom()).compiled, 4, { 's0-prometheus': 450 }, NOW);
    expect([d.action, d.to]).toEqual(['scaleOut', Math.ceil(450 / 100)]);
  });

  it('Value: the value against the target times the replicas, 150 at 4 replicas → ceil(1.5 × 4) = 6', () => {
    const d = run(imported(prom('    metricType: Value\n')).compiled, 4, { 's0-prometheus': 150 }, NOW);
    expect([d.action, d.to]).toEqual(['scaleOut', Math.ceil((150 / 100) * 4)]);
  });

  it('within the 0.1 tolerance nothing moves: 430 at 4 replicas is ratio 1.075', () => {
    const d = run(imported(prom()).compiled, 4, { 's0-prometheus': 430 }, NOW);
    expect(d.to).toBe(4);
  });

  it('rabbitmq QueueLength: 45 messages at 1 replica against value 20 → 3; aws-sqs-queue: 23 messages at 3 against the default 5 → 5', () => {
    expect(run(imported(fixture('rabbitmq-queue.yaml')).compiled, 1, { 's0-rabbitmq-testqueue': 45 }, NOW).to).toBe(Math.ceil(45 / 20));
    expect(run(imported(fixture('aws-sqs-queue.yaml')).compiled, 3, { 's0-aws-sqs-myQueue': 23 }, NOW).to).toBe(Math.ceil(23 / 5));
  });

  it('advanced.horizontalPodAutoscalerConfig.behavior is the HPA behavior: Pods 1 per 60 s caps 4 → 9 at 5', () => {
    const text = so(`  minReplicaCount: 1
  advanced:
    horizontalPodAutoscalerConfig:
      behavior:
        scaleUp:
          policies: [{ type: Pods, value: 1, periodSeconds: 60 }]
  triggers:
  - type: prometheus
    metadata: { serverAddress: "http://p:9090", query: q, threshold: "100" }
`);
    const d = run(imported(text).compiled, 4, { 's0-prometheus': 900 }, NOW);
    expect([d.to, d.code]).toEqual([5, 'ScaleUpLimit']);
  });

  it('the paused-scale-in annotation disables scale-down, as hpa.go sets selectPolicy Disabled', () => {
    const text = so(`  minReplicaCount: 1
  triggers:
  - type: prometheus
    metadata: { serverAddress: "http://p:9090", query: q, threshold: "100" }
`).replace('  namespace: jobs\n', '  namespace: jobs\n  annotations:\n    autoscaling.keda.sh/paused-scale-in: "true"\n');
    const r = imported(text);
    expect(r.ruleSet.behavior).toEqual({ scaleDown: { selectPolicy: 'Disabled' } });
    expect(run(r.compiled, 6, { 's0-prometheus': 100 }, NOW, { version: 1, cooldownUntil: {}, hpa: { recommendations: [], scaleEvents: { up: [], down: [] } } }).to).toBe(6);
  });
});

describe('activation and scale to zero (scale_handler.go, executor RequestScale)', () => {
  const text = so(`  triggers:
  - type: prometheus
    metadata: { serverAddress: "http://p:9090", query: q, threshold: "100", activationThreshold: "5" }
`);
  const rs = () => imported(text).compiled;

  it.each([
    { value: 3, to: 0, code: 'ActivationNotReached' },
    // "Activation only occurs when this value is greater than the set value; not greater than or equal to."
    { value: 5, to: 0, code: 'ActivationNotReached' },
    // scaleFromZeroOrIdle: max(1, minReplicaCount), whatever the HPA would ask
    { value: 6, to: 1, code: 'Activated' },
  ])('at 0 replicas, value $value against activationThreshold 5 → $to ($code)', ({ value, to, code }) => {
    const d = run(rs(), 0, { 's0-prometheus': value }, NOW);
    expect([d.to, d.code]).toEqual([to, code]);
  });

  it('minReplicaCount defaults to 0; inactive, the step to 0 waits cooldownPeriod (300 s) after the last active decision: at 300 s still 1, at 301 s 0', () => {
    const active = run(rs(), 1, { 's0-prometheus': 50 }, '2026-11-23T10:00:00Z');
    expect(active.state.activation).toEqual({ lastActive: '2026-11-23T10:00:00Z' });
    const cooling = run(rs(), 1, { 's0-prometheus': 0 }, '2026-11-23T10:05:00Z', active.state);
    // still cooling down: the HPA decides (its own stabilization holds 1), and the trace says until when
    expect([cooling.to, cooling.code]).toEqual([1, 'ScaleDownStabilized']);
    expect(cooling.trace.activation).toMatchObject({ active: false, coolingUntil: '2026-11-23T10:05:00Z' });
    // KEDA: lastActiveTime.Add(cooldownPeriod).Before(now)
    const last = run(rs(), 1, { 's0-prometheus': 0 }, '2026-11-23T10:05:01Z', cooling.state);
    expect([last.action, last.to, last.code]).toEqual(['scaleIn', 0, 'Deactivated']);
  });

  it('cooldownPeriod becomes the activation cooldown: 60 s', () => {
    const r = imported(text.replace('  triggers:', '  cooldownPeriod: 60\n  triggers:'));
    expect(r.ruleSet.scaleToZero).toMatchObject({ cooldown: 'PT60S' });
    expect(r.unsupported.find((u) => u.field === 'cooldownPeriod')).toBeUndefined();
  });

  it('idleReplicaCount: idle while inactive (after the cooldown), minReplicaCount when active again; idle ≥ min is refused as KEDA refuses it', () => {
    const base = (idle: number) =>
      so(`  idleReplicaCount: ${idle}\n  minReplicaCount: 2\n  triggers:\n  - type: prometheus\n    metadata: { serverAddress: "http://p:9090", query: q, threshold: "100", activationThreshold: "5" }\n`);
    const r = imported(base(0));
    expect(r.ruleSet.capacity.minimum).toBe(2);
    expect(r.ruleSet.scaleToZero).toMatchObject({ idleCapacity: 0, cooldown: 'PT300S' });
    expect(r.unsupported.map((u) => u.path)).not.toContain('spec.idleReplicaCount');
    expect(run(r.compiled, 3, { 's0-prometheus': 2 }, NOW)).toMatchObject({ to: 0, code: 'Deactivated' });
    expect(run(r.compiled, 0, { 's0-prometheus': 2 }, NOW)).toMatchObject({ to: 0, code: 'ActivationNotReached' });
    expect(run(r.compiled, 0, { 's0-prometheus': 9 }, NOW)).toMatchObject({ to: 2, code: 'Activated' });
    expect(issues(base(2))).toEqual([{ code: 'ImportError', path: 'spec.idleReplicaCount', message: 'IdleReplicaCount=2 must be less than MinReplicaCount=2' }]);
  });

  it('with two activating triggers the target is active when either is (KEDA isActive: any trigger)', () => {
    const r = imported(
      so(`  triggers:
  - type: prometheus
    metadata: { serverAddress: "http://p:9090", query: q, threshold: "100" }
  - type: aws-sqs-queue
    metadata: { queueURL: "https://sqs.eu-west-1.amazonaws.com/123456789012/orders", queueLength: "10", activationQueueLength: "2" }
`),
    );
    expect(r.ruleSet.scaleToZero).toEqual({
      metric: 's0-prometheus',
      activationThreshold: 0,
      also: [{ metric: 's1-aws-sqs-orders', activationThreshold: 2 }],
      cooldown: 'PT300S',
    });
    expect(r.unsupported.find((u) => u.field === 'activation')).toBeUndefined();
    expect(r.ruleSet.targetTracking?.map((t) => t.metric)).toEqual(['s0-prometheus', 's1-aws-sqs-orders']);
    expect(run(r.compiled, 0, { 's0-prometheus': 0, 's1-aws-sqs-orders': 3 }, NOW)).toMatchObject({ to: 1, code: 'Activated' });
    expect(run(r.compiled, 0, { 's0-prometheus': 0, 's1-aws-sqs-orders': 2 }, NOW)).toMatchObject({ to: 0, code: 'ActivationNotReached' });
  });
});

describe('fallback (pkg/fallback: replicas once failures exceed failureThreshold)', () => {
  const text = so(`  minReplicaCount: 1
  fallback:
    failureThreshold: 3
    replicas: 6
  triggers:
  - type: rabbitmq
    metadata: { queueName: orders, mode: QueueLength, value: "20" }
`);

  it('maps to missingData fallback after failureThreshold + 1 evaluations', () => {
    expect(imported(text).ruleSet.missingData).toEqual({ policy: 'fallback', fallbackCapacity: 6, fallbackAfter: 4 });
  });

  it('the third failed evaluation holds, the fourth (> failureThreshold 3) goes to the 6 replicas', () => {
    const rs = imported(text).compiled;
    const third = run(rs, 4, {}, NOW, { version: 1, cooldownUntil: {}, missingCount: 2 });
    expect([third.to, third.code]).toEqual([4, 'MissingDataHold']);
    const fourth = run(rs, 4, {}, NOW, { version: 1, cooldownUntil: {}, missingCount: 3 });
    expect([fourth.to, fourth.code]).toEqual([6, 'MissingDataFallback']);
  });

  it('refused without a trigger other than cpu/memory (CheckFallbackValid)', () => {
    const cpuOnly = so(
      `  minReplicaCount: 1\n  fallback: { failureThreshold: 3, replicas: 6 }\n  triggers:\n  - type: cpu\n    metricType: Utilization\n    metadata: { value: "60" }\n`,
    );
    expect(issues(cpuOnly)).toEqual([expect.objectContaining({ code: 'ImportError', path: 'spec.fallback' })]);
  });

  it('behavior scalingModifiers (a "??" placeholder for the formula) is reported at its path and the import holds instead', () => {
    const r = imported(text.replace('    replicas: 6\n', '    replicas: 6\n    behavior: scalingModifiers\n'));
    expect(r.ruleSet.missingData).toEqual({ policy: 'hold' });
    expect(r.unsupported.map((u) => u.path)).toContain('spec.fallback.behavior');
  });
});

describe('cron triggers: windows [start, end) in their zone (cron_scaler.go)', () => {
  const text = so(`  minReplicaCount: 0
  maxReplicaCount: 10
  triggers:
  - type: cron
    metadata: { timezone: Europe/Berlin, start: "0 8 * * 1-5", end: "0 18 * * 1-5", desiredReplicas: "5" }
  - type: cron
    name: lunch
    metadata: { timezone: Europe/Berlin, start: "0 12 * * 1-5", end: "0 14 * * 1-5", desiredReplicas: "7" }
  - type: aws-sqs-queue
    metadata: { queueURL: orders, queueLength: "10" }
`);

  // Monday 23 November 2026; Berlin is UTC+1.
  it.each([
    { when: '2026-11-23T06:59:59Z', local: '07:59:59', to: 0 },
    { when: '2026-11-23T07:00:00Z', local: '08:00 (start, inclusive)', to: 5 },
    { when: '2026-11-23T11:30:00Z', local: '12:30 (both windows: the larger)', to: 7 },
    { when: '2026-11-23T16:59:59Z', local: '17:59:59', to: 5 },
    { when: '2026-11-23T17:00:00Z', local: '18:00 (end, exclusive)', to: 0 },
  ])('at $local Berlin, from 0 with an empty queue → $to', ({ when, to }) => {
    const d = run(imported(text).compiled, 0, { 's2-aws-sqs-orders': 0 }, when);
    expect(d.to).toBe(to);
  });

  it("the queue still scales above the window's floor: 90 messages at 5 → ceil(90 ÷ 10) = 9", () => {
    expect(run(imported(text).compiled, 5, { 's2-aws-sqs-orders': 90 }, '2026-11-23T09:00:00Z').to).toBe(9);
  });
});

describe('scalingModifiers: the composite metric (hpa.go, modifiers/formula.go)', () => {
  const text = (formula: string, target: string, metricType = '') =>
    so(`  minReplicaCount: 1
  maxReplicaCount: 50
  advanced:
    scalingModifiers:
      formula: "${formula}"
      target: "${target}"
${metricType}  triggers:
  - type: prometheus
    name: a
    metadata: { serverAddress: "http://p:9090", query: qa, threshold: "100" }
  - type: prometheus
    name: b
    metadata: { serverAddress: "http://p:9090", query: qb, threshold: "100" }
`);

  it('"(a + b) / 2" with target 10: a 40, b 80 at 3 replicas → composite 60 → ceil(60 ÷ 10) = 6', () => {
    const r = imported(text('(a + b) / 2', '10'));
    expect(r.ruleSet.targetTracking).toEqual([]);
    const d = run(r.compiled, 3, { a: 40, b: 80 }, NOW);
    expect([d.action, d.to]).toEqual(['scaleOut', 6]);
  });

  it('the same formula within the tolerance: composite 31 at 3 replicas is ratio 1.033, no change', () => {
    expect(run(imported(text('(a + b) / 2', '10')).compiled, 3, { a: 30, b: 32 }, NOW).to).toBe(3);
  });

  it('a ternary with metricType Value: "a > 50 ? a : b", a 60 at 2 replicas against 20 → ceil(3 × 2) = 6; a 40, b 10 → ceil(0.5 × 2) = 1 after the 300 s window', () => {
    const rs = imported(text('a > 50 ? a : b', '20', '      metricType: Value\n')).compiled;
    expect(run(rs, 2, { a: 60, b: 10 }, NOW).to).toBe(6);
    const first = run(rs, 2, { a: 40, b: 10 }, NOW);
    expect(first.to).toBe(2);
    expect(run(rs, 2, { a: 40, b: 10 }, '2026-11-23T10:05:01Z', first.state).to).toBe(1);
  });

  it.each([
    { formula: 'a ?? b', path: 'spec.advanced.scalingModifiers.formula', message: /"\?\?" needs fallback.behavior scalingModifiers.*\(at character 3 of/ },
    { formula: 'count([a, b], {# > 1})', path: 'spec.advanced.scalingModifiers.formula', message: /function count\(\) is not translated/ },
    { formula: 'a + c', path: 'spec.advanced.scalingModifiers.formula', message: /unknown name "c".*character 5/ },
    { formula: 'round(a)', path: 'spec.advanced.scalingModifiers.formula', message: /round\(\) is not translated/ },
  ])('refuses $formula at $path', ({ formula, path, message }) => {
    const [issue] = issues(text(formula, '10'));
    expect(issue).toMatchObject({ code: 'ImportError', path });
    expect(issue!.message).toMatch(message);
  });

  it('refuses a target that is not a number above 0 (minReplicaCount 0 is imported: keda-activation-target.test.ts)', () => {
    expect(issues(text('a', '0'))[0]).toMatchObject({ path: 'spec.advanced.scalingModifiers.target' });
  });

  it('translates the expr subset into parenthesised JSONata', () => {
    const read = (n: string) => (n === 'x' || n === 'y' ? `m.${n}` : undefined);
    expect(translateFormula('x + y * 2', read)).toEqual({ ok: true, jsonata: '(m.x + (m.y * 2))', triggers: ['x', 'y'] });
    expect(translateFormula('x ** 2 ** 3', read)).toMatchObject({ jsonata: '$power(m.x, $power(2, 3))' });
    expect(translateFormula('x < 2 ? x + y >= 2 ? 5 : 10 : 0', read)).toMatchObject({ jsonata: '((m.x < 2) ? (((m.x + m.y) >= 2) ? 5 : 10) : 0)' });
    expect(translateFormula('!(x == 1) && y != 2 || min(x, y, 3) > 0', read)).toMatchObject({ jsonata: '(($not(((m.x = 1))) and (m.y != 2)) or ($min([m.x, m.y, 3]) > 0))' });
    expect(translateFormula('int(x)', read)).toMatchObject({ jsonata: '(m.x < 0 ? $ceil(m.x) : $floor(m.x))' });
    expect(translateFormula('x % 2', read)).toMatchObject({ ok: false, position: 2 });
    expect(translateFormula('(x', read)).toMatchObject({ ok: false, position: 2 });
  });
});

describe('refusals: code and path, never a throw', () => {
  const one = (trigger: string, spec = '') => so(`${spec}  triggers:\n${trigger}`);
  it.each([
    { name: 'an unsupported trigger type', text: one('  - type: kafka\n    metadata: { topic: t }\n'), path: 'spec.triggers[0].type', message: /"kafka" is not supported/ },
    {
      name: 'metricType Utilization on an external scaler',
      text: one('  - type: prometheus\n    metricType: Utilization\n    metadata: { serverAddress: s, query: q, threshold: "1" }\n'),
      path: 'spec.triggers[0].metricType',
      message: /AverageValue or Value/,
    },
    {
      name: 'a threshold that is not a number',
      text: one('  - type: prometheus\n    metadata: { serverAddress: s, query: q, threshold: lots }\n'),
      path: 'spec.triggers[0].metadata.threshold',
      message: /must be a number/,
    },
    {
      name: 'rabbitmq MessageRate',
      text: one('  - type: rabbitmq\n    metadata: { queueName: q, mode: MessageRate, value: "5", protocol: http }\n'),
      path: 'spec.triggers[0].metadata.mode',
      message: /only QueueLength/,
    },
    {
      name: 'rabbitmq queueLength beside mode',
      text: one('  - type: rabbitmq\n    metadata: { queueName: q, mode: QueueLength, queueLength: "5" }\n'),
      path: 'spec.triggers[0].metadata.queueLength',
      message: /deprecated/,
    },
    {
      name: 'aws-sqs queueLength 5.5 (an int64 in KEDA)',
      text: one('  - type: aws-sqs-queue\n    metadata: { queueURL: q, queueLength: "5.5" }\n'),
      path: 'spec.triggers[0].metadata.queueLength',
      message: /whole number/,
    },
    {
      name: 'cron with start = end',
      text: one('  - type: cron\n    metadata: { timezone: UTC, start: "0 8 * * *", end: "0 8 * * *", desiredReplicas: "2" }\n'),
      path: 'spec.triggers[0].metadata.end',
      message: /same time/,
    },
    {
      name: 'cron without desiredReplicas',
      text: one('  - type: cron\n    metadata: { timezone: UTC, start: "0 8 * * *", end: "0 9 * * *" }\n'),
      path: 'spec.triggers[0].metadata.desiredReplicas',
      message: /no desiredReplicas/,
    },
    {
      name: 'cron in an unknown zone',
      text: one('  - type: cron\n    metadata: { timezone: Mars/Olympus, start: "0 8 * * *", end: "0 9 * * *", desiredReplicas: "2" }\n'),
      path: 'spec.triggers',
      message: /IANA time zone/,
    },
    {
      name: 'minReplicaCount above maxReplicaCount',
      text: one('  - type: prometheus\n    metadata: { serverAddress: s, query: q, threshold: "1" }\n', '  minReplicaCount: 5\n  maxReplicaCount: 3\n'),
      path: 'spec.minReplicaCount',
      message: /MinReplicaCount=5 must be less than MaxReplicaCount=3/,
    },
    {
      name: 'duplicate trigger names',
      text: one(
        '  - type: prometheus\n    name: p\n    metadata: { serverAddress: s, query: q, threshold: "1" }\n  - type: prometheus\n    name: p\n    metadata: { serverAddress: s, query: q2, threshold: "1" }\n',
      ),
      path: 'spec.triggers[1].name',
      message: /defined multiple times/,
    },
    {
      name: 'a behavior Kubernetes refuses',
      text: one(
        '  - type: prometheus\n    metadata: { serverAddress: s, query: q, threshold: "1" }\n',
        '  advanced:\n    horizontalPodAutoscalerConfig:\n      behavior: { scaleUp: { selectPolicy: Sometimes } }\n',
      ),
      path: 'spec.advanced.horizontalPodAutoscalerConfig.behavior',
      message: /selectPolicy/,
    },
    {
      name: 'a trigger named like the cpu metric',
      text: one(
        '  - type: cpu\n    metricType: Utilization\n    metadata: { value: "50" }\n  - type: prometheus\n    name: cpu\n    metadata: { serverAddress: s, query: q, threshold: "1" }\n',
        '  minReplicaCount: 1\n',
      ),
      path: 'spec.triggers[1].name',
      message: /also the name of a cpu trigger's metric/,
    },
    { name: 'no triggers', text: so('  triggers: []\n'), path: 'spec.triggers', message: /at least one trigger/ },
  ])('$name → ImportError at $path', ({ text, path, message }) => {
    const list = issues(text);
    expect(list[0]).toMatchObject({ code: 'ImportError' });
    expect(list[0]!.path.startsWith(path)).toBe(true);
    expect(list[0]!.message).toMatch(message);
  });

  it('several ScaledObjects need --name; a wrong apiVersion is refused at its path', () => {
    const two = `${so('  triggers:\n  - type: prometheus\n    metadata: { serverAddress: s, query: q, threshold: "1" }\n', 'a')}---\n${so('  minReplicaCount: 2\n  triggers:\n  - type: prometheus\n    metadata: { serverAddress: s, query: q, threshold: "1" }\n', 'b')}`;
    expect(issues(two)[0]!.message).toBe('2 ScaledObjects (a, b): choose one by name');
    const b = importKedaScaledObject(two, { name: 'b' });
    expect(b.ok && b.ruleSet.capacity.minimum).toBe(2);
    expect(issues(so('  triggers: []\n').replace('keda.sh/v1alpha1', 'keda.k8s.io/v1alpha1'))[0]).toMatchObject({ path: 'apiVersion' });
    expect(issues('kind: HorizontalPodAutoscaler\n')[0]!.message).toBe('no ScaledObject (kind: ScaledObject) in the input');
  });

  it('unknown fields are named, not dropped', () => {
    const r = imported(
      so('  minReplicaCount: 1\n  scaleWhenever: true\n  triggers:\n  - type: prometheus\n    metadata: { serverAddress: s, query: q, threshold: "1", shard: "3" }\n'),
    );
    expect(r.unsupported.map((u) => u.path)).toEqual(['spec.scaleWhenever', 'spec.triggers[0].metadata.shard']);
  });
});

describe("wiring: auto-detection, the API's inline { keda } and the CLI", () => {
  it('detectFormat: YAML with a ScaledObject is keda, with an HPA hpa; JSON by kind', () => {
    expect(detectFormat('so.yaml', undefined, fixture('prometheus.yaml'))).toBe('keda');
    expect(detectFormat('so.yaml', fixture('rabbitmq-queue.yaml'))).toBe('keda');
    expect(detectFormat('h.yaml', undefined, 'kind: HorizontalPodAutoscaler\n')).toBe('hpa');
    expect(detectFormat('so.json', { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject' })).toBe('keda');
    expect(detectFormat('l.json', { kind: 'List', items: [{ kind: 'ScaledObject' }] })).toBe('keda');
  });

  it('{ "keda": … } is imported where a rule set is accepted, with the report; a bad one gives its path', () => {
    const ok = importWrapped({ keda: fixture('aws-sqs-queue.yaml') }, 'targets[0].ruleSet');
    expect(ok?.ok && ok.imported.format).toBe('keda');
    const bad = importWrapped({ keda: so('  triggers: []\n') }, 'targets[0].ruleSet');
    expect(bad).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'ImportError', path: 'targets[0].ruleSet.keda.spec.triggers' })] });
  });

  it("POST /v1/evaluate's batch decides an inline ScaledObject: 23 messages at 3 replicas → 5", async () => {
    const outcome = await evaluateBatch(
      { now: NOW, targets: [{ id: 'q', ruleSet: { keda: fixture('aws-sqs-queue.yaml') }, capacity: 3, metrics: { 's0-aws-sqs-myQueue': 23 } }] },
      resolveBundled,
      at(NOW),
    );
    expect(outcome.ok).toBe(true);
    const result = outcome.ok ? outcome.results[0] : undefined;
    expect(result?.ok && [result.decision.to, result.decision.ruleSetOrigin.source]).toEqual([5, 'imported']);
  });

  it('edgescale import keda prints the rule set; validate and eval detect the format', async () => {
    const files: Record<string, string> = { 'so.yaml': fixture('prometheus.yaml'), 'm.json': '{ "s0-prometheus": 450 }' };
    const cli = () => {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = {
        readText: async (p) => (Object.hasOwn(files, p) ? { ok: true, text: files[p]! } : { ok: false, missing: true, message: 'no such file' }),
        out: (t) => out.push(t),
        err: (t) => err.push(t),
        color: false,
        now: () => at(NOW),
        parse: parseArgs as unknown as ParseArgs,
        serve: async () => 0,
      };
      return { io, out, err };
    };
    const imp = cli();
    expect(await runCli(['import', 'keda', 'so.yaml'], imp.io)).toBe(0);
    expect(JSON.parse(imp.out.join('\n'))).toMatchObject({ id: 'prometheus-scaledobject', scaleToZero: { metric: 's0-prometheus' } });
    const val = cli();
    expect(await runCli(['validate', 'so.yaml'], val.io)).toBe(0);
    expect(val.out.join('\n')).toMatch(/so\.yaml: valid \(keda, rule set prometheus-scaledobject/);
    const ev = cli();
    expect(await runCli(['eval', '--json', '--now', NOW, '-c', '4', 'so.yaml', 'm.json'], ev.io)).toBe(0);
    expect((JSON.parse(ev.out.join('\n')) as Decision).to).toBe(5);
  });
});

describe('upstream test tables, replayed row by row', () => {
  /** A ScaledObject whose trigger `index` is the given one, after `index` cpu triggers (min 1, so no activation is involved). */
  const nth = (index: number, trigger: string) =>
    so(
      `  minReplicaCount: 1\n  triggers:\n${Array.from({ length: index }, (_, i) => `  - type: cpu\n    metricType: Utilization\n    metadata: { value: "50", containerName: c${i} }\n`).join('')}${trigger}`,
    );
  const external = (text: string) => imported(text).ruleSet.targetTracking?.find((t) => t.source === 'External')?.metric;

  // pkg/scalers/*_scaler_test.go: the metric identifier tables (GenerateMetricNameWithIndex over each scaler's name).
  it.each([
    { table: 'prometheusMetricIdentifiers[0]', index: 0, trigger: '  - type: prometheus\n    metadata: { serverAddress: s, query: q, threshold: "100" }\n', name: 's0-prometheus' },
    { table: 'prometheusMetricIdentifiers[1]', index: 1, trigger: '  - type: prometheus\n    metadata: { serverAddress: s, query: q, threshold: "100" }\n', name: 's1-prometheus' },
    { table: 'rabbitMQMetricIdentifiers[0]', index: 0, trigger: '  - type: rabbitmq\n    metadata: { queueLength: "10", queueName: sample }\n', name: 's0-rabbitmq-sample' },
    {
      table: 'rabbitMQMetricIdentifiers[1]',
      index: 1,
      trigger: '  - type: rabbitmq\n    metadata: { queueLength: "10", queueName: namespace/name }\n',
      name: 's1-rabbitmq-namespace-2Fname',
    },
    {
      table: 'awsSQSMetricIdentifiers[0]',
      index: 0,
      trigger: '  - type: aws-sqs-queue\n    metadata: { queueURL: "https://sqs.eu-west-1.amazonaws.com/account_id/DeleteArtifactQ", queueLength: "1" }\n',
      name: 's0-aws-sqs-DeleteArtifactQ',
    },
    {
      table: 'awsSQSMetricIdentifiers[1]',
      index: 1,
      trigger: '  - type: aws-sqs-queue\n    metadata: { queueURL: "https://sqs.eu-west-1.amazonaws.com/account_id/DeleteArtifactQ", queueLength: "1" }\n',
      name: 's1-aws-sqs-DeleteArtifactQ',
    },
  ])('$table: $name', ({ index, trigger, name }) => {
    expect(external(nth(index, trigger))).toBe(name);
  });

  // cron_scaler_test.go cronMetricIdentifiers: the cron profile carries KEDA's metric name.
  it.each([
    { index: 0, start: '0 0 * * Thu', end: '59 23 * * Thu', name: 's0-cron-Etc-UTC-00xxThu-5923xxThu' },
    { index: 1, start: '0 */2 * * *', end: '0 1-23/2 * * *', name: 's1-cron-Etc-UTC-0xSl2xxx-01-23Sl2xxx' },
    { index: 2, start: '0,30 * * * *', end: '15,45 * * * *', name: 's2-cron-Etc-UTC-0Cm30xxxx-15Cm45xxxx' },
  ])('cronMetricIdentifiers: $name', ({ index, start, end, name }) => {
    const r = imported(nth(index, `  - type: cron\n    metadata: { timezone: Etc/UTC, start: "${start}", end: "${end}", desiredReplicas: "10" }\n`));
    expect(r.ruleSet.profiles?.map((p) => p.name)).toEqual([name]);
  });

  // cron_scaler_test.go testCronMetadata: which metadata KEDA accepts.
  it.each([
    { metadata: '{}', refused: true },
    { metadata: '{ timezone: Etc/UTC, start: "0 0 * * Thu", end: "59 23 * * Thu", desiredReplicas: "10" }', refused: false },
    { metadata: '{ timezone: Etc/UTC, start: "0 */2 * * *", end: "0 1-23/2 * * *", desiredReplicas: "10" }', refused: false },
    { metadata: '{ timezone: Etc/UTC, start: "0,30 * * * *", end: "15,45 * * * *", desiredReplicas: "10" }', refused: false },
    { metadata: '{ timezone: Asia/Kolkata, start: "30 * * * *", end: "45 * * * *" }', refused: true },
    { metadata: '{ start: "30 * * * *", end: "45 * * * *", desiredReplicas: "10" }', refused: true },
    { metadata: '{ timezone: Asia/Kolkata, start: "30-33 * * * *", end: "45 * * * *", desiredReplicas: "10" }', refused: false },
    { metadata: '{ timezone: Asia/Kolkata, start: "30 * * * *", end: "45-50 * * * *", desiredReplicas: "10" }', refused: false },
    { metadata: '{ timezone: Asia/Kolkata, start: "-30 * * * *", end: "45 * * * *", desiredReplicas: "10" }', refused: true },
    { metadata: '{ timezone: Asia/Kolkata, start: "30 * * * *", end: "-50 * * * *", desiredReplicas: "10" }', refused: true },
    { metadata: '{ timezone: Asia/Kolkata, start: "30 * * * *", end: "50 * * -3 *", desiredReplicas: "10" }', refused: true },
    { metadata: '{ timezone: Asia/Kolkata, start: "30 * * * *", end: "30 * * * *", desiredReplicas: "10" }', refused: true },
  ])('testCronMetadata $metadata → refused: $refused', ({ metadata, refused }) => {
    const r = importKedaScaledObject(nth(0, `  - type: cron\n    metadata: ${metadata}\n`));
    expect(r.ok).toBe(!refused);
    if (!r.ok) expect(r.issues[0]!.path.startsWith('spec.triggers')).toBe(true);
  });

  // apis/keda/v1alpha1/scaledobject_types_test.go TestCheckReplicaCountBoundsAreValid.
  it.each([
    { name: 'Valid: min 1, max 5, no idle', spec: '  minReplicaCount: 1\n  maxReplicaCount: 5\n', error: undefined },
    { name: 'Valid: min 1, max 5, idle 0', spec: '  minReplicaCount: 1\n  maxReplicaCount: 5\n  idleReplicaCount: 0\n', error: undefined },
    { name: 'Invalid: min 2 > max 1', spec: '  minReplicaCount: 2\n  maxReplicaCount: 1\n', error: 'MinReplicaCount=2 must be less than MaxReplicaCount=1' },
    {
      name: 'Invalid: idle 1 == min 1',
      spec: '  minReplicaCount: 1\n  maxReplicaCount: 5\n  idleReplicaCount: 1\n',
      error: 'IdleReplicaCount=1 must be less than MinReplicaCount=1',
    },
    {
      name: 'Invalid: idle 2 > min 1',
      spec: '  minReplicaCount: 1\n  maxReplicaCount: 5\n  idleReplicaCount: 2\n',
      error: 'IdleReplicaCount=2 must be less than MinReplicaCount=1',
    },
  ])('$name', ({ spec, error }) => {
    const r = importKedaScaledObject(so(`${spec}  triggers:\n  - type: prometheus\n    metadata: { serverAddress: s, query: q, threshold: "1" }\n`));
    if (error === undefined) expect(r.ok).toBe(true);
    else expect(!r.ok && r.issues.map((i) => i.message)).toEqual([error]);
  });
});

describe('notes say what was chosen', () => {
  it('a formula without behavior: the default behavior is written out and noted, the HPA path without behavior is not claimed', () => {
    const r = imported(
      so(
        '  minReplicaCount: 1\n  advanced:\n    scalingModifiers: { formula: "a * 2", target: "5" }\n  triggers:\n  - type: prometheus\n    name: a\n    metadata: { serverAddress: s, query: q, threshold: "1" }\n',
      ),
    );
    expect(r.ruleSet.behavior).toMatchObject({ scaleDown: { stabilizationWindowSeconds: 300 } });
    expect(r.notes.some((n) => n.startsWith('No behavior:'))).toBe(false);
    expect(r.notes.some((n) => n.includes("Kubernetes' default behavior"))).toBe(true);
    expect(r.ruleSet.rules.map((x) => x.id)).toEqual(['composite-metric-out', 'composite-metric-in']);
  });
});

describe('hostile and mutated input: always a result, never a throw', () => {
  // A ScaledObject with every part the importer reads, parsed, then one subtree replaced.
  const BASE = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'm', namespace: 'n', annotations: { 'autoscaling.keda.sh/paused-scale-in': 'true' } },
    spec: {
      scaleTargetRef: { name: 'w', kind: 'Deployment', apiVersion: 'apps/v1' },
      minReplicaCount: 1,
      maxReplicaCount: 10,
      cooldownPeriod: 60,
      fallback: { failureThreshold: 3, replicas: 4 },
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } }, scalingModifiers: { formula: 'a + b', target: '5' } },
      triggers: [
        { type: 'prometheus', name: 'a', metadata: { serverAddress: 's', query: 'q', threshold: '10', activationThreshold: '1' } },
        { type: 'aws-sqs-queue', name: 'b', metadata: { queueURL: 'q', queueLength: '5' } },
        { type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 9 * * *', desiredReplicas: '3' } },
        { type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } },
      ],
    },
  };
  const paths: Array<Array<string | number>> = [];
  const walk = (v: unknown, p: Array<string | number>) => {
    paths.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
  };
  walk(BASE, []);
  const replaceAt = (p: Array<string | number>, value: unknown): unknown => {
    if (p.length === 0) return value;
    const copy = structuredClone(BASE) as Record<string | number, unknown>;
    let node = copy;
    for (const k of p.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
    node[p[p.length - 1]!] = value;
    return copy;
  };
  const hostile = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, -1, 0, 1.5, 1e308, '', '__proto__', 'x'.repeat(2000), [], {}, '??', '(((((a', '0 0 31 2 *'));

  it('the unmutated base imports (formula over a and b; the cron trigger outside the formula is noted)', () => {
    const r = importKedaScaledObject(BASE);
    expect(r.ok).toBe(true);
  });

  it('one subtree replaced by anything: ok, or ImportError issues with string paths', () => {
    fc.assert(
      fc.property(fc.nat(paths.length - 1), hostile, (i, value) => {
        const r = importKedaScaledObject(replaceAt(paths[i]!, value) as object);
        if (!r.ok) {
          expect(r.issues.length).toBeGreaterThan(0);
          for (const issue of r.issues) expect(issue.code === 'ImportError' && typeof issue.path === 'string').toBe(true);
        }
      }),
      { numRuns: 400, seed: 17 },
    );
  });

  it('any text as a formula: translated or refused with a position inside it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (formula) => {
        const r = translateFormula(formula, (n) => (n === 'a' ? 'm.a' : undefined));
        if (!r.ok) expect(r.position >= 0 && r.position <= formula.length).toBe(true);
      }),
      { numRuns: 400, seed: 17 },
    );
  });
});

// docs/importing.md "Differences worth knowing": where the existing engine parts decide otherwise than KEDA, pinned so a change is seen.
describe('documented differences from KEDA', () => {
  const NOW2 = '2026-11-23T10:00:00Z';
  const text = (extra: string, metadata: string) => so(`${extra}  triggers:\n  - type: rabbitmq\n    metadata: { queueName: orders, mode: QueueLength, ${metadata} }\n`);

  it('as KEDA: value 10, activationValue 50, 40 messages at 3 replicas is inactive, so 0 once the cooldown has passed', () => {
    const d = run(imported(text('', 'value: "10", activationValue: "50"')).compiled, 3, { 's0-rabbitmq-orders': 40 }, NOW2);
    expect([d.to, d.code]).toEqual([0, 'Deactivated']);
  });

  it('as KEDA: from 0, 450 against 100 goes to 1 (scaleFromZeroOrIdle), then the HPA', () => {
    const d = run(imported(text('', 'value: "100"')).compiled, 0, { 's0-rabbitmq-orders': 450 }, NOW2);
    expect([d.to, d.code]).toEqual([1, 'Activated']);
    expect(run(imported(text('', 'value: "100"')).compiled, 1, { 's0-rabbitmq-orders': 450 }, NOW2, d.state).to).toBe(4);
  });

  it('as KEDA: a fallback at 0 replicas is active, so 1 (scaleFromZeroOrIdle); above 0 it goes to the fallback through the behavior', () => {
    const rs = imported(text('  fallback: { failureThreshold: 3, replicas: 6 }\n', 'value: "100"')).compiled;
    const state = { version: 1 as const, cooldownUntil: {}, missingCount: 3 };
    expect(run(rs, 0, {}, NOW2, state)).toMatchObject({ to: 1, code: 'Activated' });
    // Before the fallback (the 4th failure exceeds failureThreshold 3) the trigger is an error: no change.
    expect(run(rs, 0, {}, NOW2, { ...state, missingCount: 2 })).toMatchObject({ to: 0, code: 'ActivationNotReached' });
    expect(run(rs, 2, {}, NOW2, state)).toMatchObject({ to: 4, code: 'ScaleUpLimit' });
  });
});

describe('more inputs: memory, the deprecated metadata.type, JSON and a List', () => {
  it('memory AverageValue "512Mi": a per-pod average of 768Mi at 4 replicas → ceil(1.5 × 4) = 6', () => {
    const r = imported(so('  minReplicaCount: 1\n  triggers:\n  - type: memory\n    metricType: AverageValue\n    metadata: { value: 512Mi }\n'));
    expect(r.ruleSet.targetTracking).toEqual([{ id: 'resource-memory', metric: 'memory', source: 'Resource', target: { type: 'AverageValue', averageValue: '512Mi' } }]);
    expect(run(r.compiled, 4, { memory: 768 * 2 ** 20 }, NOW).to).toBe(6);
  });

  it('the deprecated metadata.type (before KEDA v2.18) is read as metricType, with a note', () => {
    const r = imported(so('  minReplicaCount: 1\n  triggers:\n  - type: cpu\n    metadata: { type: Utilization, value: "60" }\n'));
    expect(r.ruleSet.targetTracking?.[0]?.target).toEqual({ type: 'Utilization', averageUtilization: 60 });
    expect(r.notes.some((n) => n.includes('deprecated'))).toBe(true);
  });

  it('JSON text of a List (kubectl get scaledobject -o json), status included, one chosen by name', () => {
    const item = (name: string, max: number) => ({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name, namespace: 'jobs' },
      spec: {
        scaleTargetRef: { name },
        minReplicaCount: 1,
        maxReplicaCount: max,
        triggers: [{ type: 'prometheus', metadata: { serverAddress: 's', query: 'q', threshold: '10' } }],
      },
      status: { hpaName: `keda-hpa-${name}`, conditions: [] },
    });
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [item('api', 5), item('worker', 9)] });
    const r = importKedaScaledObject(list, { name: 'worker' });
    expect(r.ok && [r.ruleSet.id, r.ruleSet.capacity.maximum, r.unsupported.map((u) => u.path)]).toEqual(['worker', 9, ['items[0].metadata.name']]);
  });
});

describe('CheckReplicaCountBoundsAreValid compares with GetHPAMinReplicas when minReplicaCount is set', () => {
  const text = (spec: string) => so(`${spec}  triggers:\n  - type: prometheus\n    metadata: { serverAddress: s, query: q, threshold: "1" }\n`);
  it('minReplicaCount 0 with idleReplicaCount 0 passes (the minimum checked is 1); unset with idle 0 is refused (0 ≥ 0)', () => {
    expect(importKedaScaledObject(text('  minReplicaCount: 0\n  idleReplicaCount: 0\n')).ok).toBe(true);
    expect(issues(text('  idleReplicaCount: 0\n'))).toEqual([
      { code: 'ImportError', path: 'spec.idleReplicaCount', message: 'IdleReplicaCount=0 must be less than MinReplicaCount=0' },
    ]);
  });
});
