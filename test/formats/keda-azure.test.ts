// KEDA azure-queue and azure-servicebus triggers: queue-length style, the value arrives in the request.
//
// kedacore/keda at 8b4f083c: pkg/scalers/azure_queue_scaler.go (queueName required; queueLength default 5,
// activationQueueLength default 0, int64; queueLengthStrategy all | visibleonly; metric
// "s<i>-azure-queue-<queueName>"; active when the count > activationQueueLength) and its tables
// testAzQueueMetadata / azQueueMetricIdentifiers; pkg/scalers/azure_servicebus_scaler.go (messageCount
// default 5, activationMessageCount default 0; Validate; useRegex and operation; metric
// "s<i>-azure-servicebus-<queue | topic>") and its tables parseServiceBusMetadataDataset /
// azServiceBusMetricIdentifiers. Fixtures: kedacore/keda-docs 2.21 (test/formats/fixtures/keda/SOURCES.md).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/engine/decide.js';
import { importKedaScaledObject } from '../../src/formats/keda/import.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/keda/${name}`, import.meta.url), 'utf8');
const NOW = Date.parse('2026-11-23T10:00:00Z');

function load(text: string) {
  const r = importKedaScaledObject(text);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r;
}

/** A ScaledObject with one trigger of `type` and the given metadata (min 1: no activation), after `index` cpu triggers. */
const one = (type: string, metadata: Record<string, string | undefined>, index = 0, spec = '  minReplicaCount: 1\n') =>
  `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: w }
spec:
  scaleTargetRef: { name: w }
${spec}  triggers:
${Array.from({ length: index }, (_, i) => `  - type: cpu\n    metricType: Utilization\n    metadata: { value: "50", containerName: c${i} }\n`).join('')}  - type: ${type}
    metadata: ${JSON.stringify(metadata)}
`;
const external = (text: string) => load(text).ruleSet.targetTracking?.find((t) => t.source === 'External');

describe('azure-queue', () => {
  it('the keda-docs example: s0-azure-queue-functionsqueue, AverageValue 5, activation 0 at minReplicaCount 0', () => {
    const r = load(fixture('azure-queue.yaml'));
    expect(r.ruleSet.targetTracking?.map((t) => ({ metric: t.metric, target: t.target }))).toEqual([
      { metric: 's0-azure-queue-functionsqueue', target: { type: 'AverageValue', averageValue: 5 } },
    ]);
    expect(r.ruleSet.scaleToZero).toMatchObject({ metric: 's0-azure-queue-functionsqueue', activationThreshold: 0 });
    // The connection settings say where KEDA reads; the request carries the value instead: not reported.
    expect(r.unsupported.map((u) => u.path)).toEqual(['documents[0].kind', 'documents[1].spec.triggers[0].authenticationRef']);
    expect(r.notes.join('\n')).toContain('send the approximate message count (ApproximateMessagesCount) of queue "functionsqueue" as metrics["s0-azure-queue-functionsqueue"]');
  });

  it('decides as the HPA reads it: 30 messages at 3 replicas against 5 → 6 (the docs: "30 messages … scales to 3 pods" at queueLength 10)', () => {
    const rs = load(fixture('azure-queue.yaml')).compiled;
    expect(decide(rs, { id: 'Deployment/azurequeue-function', capacity: 3, metrics: { 's0-azure-queue-functionsqueue': 30 } }, NOW).to).toBe(Math.ceil(30 / 5));
    const ten = load(one('azure-queue', { queueName: 'orders', queueLength: '10' })).compiled;
    expect(decide(ten, { id: 'Deployment/w', capacity: 1, metrics: { 's0-azure-queue-orders': 30 } }, NOW).to).toBe(3);
  });

  it('activationQueueLength 50 (the trigger specification): 50 messages at 0 stay at 0, 51 activate', () => {
    const rs = load(one('azure-queue', { queueName: 'orders', queueLength: '5', activationQueueLength: '50' }, 0, '')).compiled;
    expect(decide(rs, { id: 'Deployment/w', capacity: 0, metrics: { 's0-azure-queue-orders': 50 } }, NOW)).toMatchObject({ to: 0, code: 'ActivationNotReached' });
    expect(decide(rs, { id: 'Deployment/w', capacity: 0, metrics: { 's0-azure-queue-orders': 51 } }, NOW)).toMatchObject({ to: 1, code: 'Activated' });
  });

  // azQueueMetricIdentifiers
  it.each([
    { name: 'properly formed queue metric', index: 0, metadata: { connectionFromEnv: 'CONNECTION', queueName: 'sample', queueLength: '5' }, metric: 's0-azure-queue-sample' },
    { name: 'azure-workload queue metric', index: 1, metadata: { accountName: 'sample_acc', queueName: 'sample_queue' }, metric: 's1-azure-queue-sample_queue' },
  ])('azQueueMetricIdentifiers: $name → $metric', ({ index, metadata, metric }) => {
    expect(external(one('azure-queue', metadata, index))?.metric).toBe(metric);
  });

  // testAzQueueMetadata rows the import can judge (the connection and pod identity rows depend on the TriggerAuthentication, which is not read).
  it.each([
    { name: 'nothing passed', metadata: {}, path: 'spec.triggers[0].metadata.queueName' },
    { name: 'empty queueName', metadata: { connectionFromEnv: 'CONNECTION', queueName: '' }, path: 'spec.triggers[0].metadata.queueName' },
    { name: 'improperly formed queueLength', metadata: { connectionFromEnv: 'CONNECTION', queueName: 'sample', queueLength: 'AA' }, path: 'spec.triggers[0].metadata.queueLength' },
    {
      name: 'improperly formed activationQueueLength',
      metadata: { connectionFromEnv: 'CONNECTION', queueName: 'sample', queueLength: '1', activationQueueLength: 'AA' },
      path: 'spec.triggers[0].metadata.activationQueueLength',
    },
    {
      name: 'invalid queueLengthStrategy',
      metadata: { connectionFromEnv: 'CONNECTION', queueName: 'sample', queueLength: '5', queueLengthStrategy: 'invalid' },
      path: 'spec.triggers[0].metadata.queueLengthStrategy',
    },
    { name: 'properly formed', metadata: { connectionFromEnv: 'CONNECTION', queueName: 'sample', queueLength: '5' }, path: null },
    { name: 'valid queueLengthStrategy all', metadata: { connectionFromEnv: 'CONNECTION', queueName: 'sample', queueLength: '5', queueLengthStrategy: 'all' }, path: null },
    {
      name: 'valid queueLengthStrategy visibleonly',
      metadata: { connectionFromEnv: 'CONNECTION', queueName: 'sample', queueLength: '5', queueLengthStrategy: 'visibleonly' },
      path: null,
    },
    {
      name: 'podIdentity azure-workload with private cloud and endpoint suffix',
      metadata: { accountName: 'sample_acc', queueName: 'sample_queue', cloud: 'Private', endpointSuffix: 'queue.core.private.cloud' },
      path: null,
    },
  ])('testAzQueueMetadata: $name', ({ metadata, path }) => {
    const r = importKedaScaledObject(one('azure-queue', metadata));
    if (path === null) expect(r.ok ? [] : r.issues).toEqual([]);
    else expect(!r.ok && r.issues.map((i) => [i.code, i.path])).toEqual([['ImportError', path]]);
  });

  it('queueLengthStrategy visibleonly: the notes say what to send (visible messages, KEDA peeks up to 32)', () => {
    const r = load(one('azure-queue', { queueName: 'orders', queueLengthStrategy: 'visibleonly' }));
    expect(r.notes.join('\n')).toContain('the number of visible messages of queue "orders"');
  });
});

describe('azure-servicebus', () => {
  it('the keda-docs example names a queue and a topic subscription: refused as KEDA refuses it (Validate)', () => {
    const r = importKedaScaledObject(fixture('azure-servicebus.yaml'));
    expect(!r.ok && r.issues).toEqual([
      { code: 'ImportError', path: 'documents[1].spec.triggers[0].metadata.subscriptionName', message: 'subscription name provided with queue name' },
    ]);
  });

  it('the example with the topic lines removed (the queue form): s0-azure-servicebus-functions-sbqueue, AverageValue 5; 12 active messages at 1 → 3', () => {
    const text = fixture('azure-servicebus.yaml').replace(/^\s+# or\n\s+topicName: .*\n\s+subscriptionName: .*\n/m, '');
    const r = load(text);
    expect(r.ruleSet.targetTracking?.map((t) => ({ metric: t.metric, target: t.target }))).toEqual([
      { metric: 's0-azure-servicebus-functions-sbqueue', target: { type: 'AverageValue', averageValue: 5 } },
    ]);
    expect(r.notes.join('\n')).toContain('send the active message count of queue "functions-sbqueue"');
    expect(decide(r.compiled, { id: 'Deployment/azure-servicebus-queue-function', capacity: 1, metrics: { 's0-azure-servicebus-functions-sbqueue': 12 } }, NOW).to).toBe(
      Math.ceil(12 / 5),
    );
  });

  it('activationMessageCount 2 (the trigger specification): 2 active messages at 0 stay at 0, 3 activate', () => {
    const rs = load(one('azure-servicebus', { queueName: 'q', messageCount: '5', activationMessageCount: '2' }, 0, '')).compiled;
    expect(decide(rs, { id: 'Deployment/w', capacity: 0, metrics: { 's0-azure-servicebus-q': 2 } }, NOW).code).toBe('ActivationNotReached');
    expect(decide(rs, { id: 'Deployment/w', capacity: 0, metrics: { 's0-azure-servicebus-q': 3 } }, NOW).code).toBe('Activated');
  });

  // azServiceBusMetricIdentifiers, and the regex names of GetMetricSpecForScaling.
  it.each([
    { index: 0, metadata: { queueName: 'testqueue', connectionFromEnv: 'CONNECTION' }, metric: 's0-azure-servicebus-testqueue' },
    { index: 1, metadata: { topicName: 'testtopic', subscriptionName: 'testsubscription', connectionFromEnv: 'CONNECTION' }, metric: 's1-azure-servicebus-testtopic' },
    { index: 0, metadata: { queueName: 'orders-.*', useRegex: 'true', operation: 'max' }, metric: 's0-azure-servicebus-queue-regex' },
    { index: 0, metadata: { topicName: 't', subscriptionName: 'sub-.*', useRegex: 'true' }, metric: 's0-azure-servicebus-topic-regex' },
  ])('metric name $metric', ({ index, metadata, metric }) => {
    expect(external(one('azure-servicebus', metadata, index))?.metric).toBe(metric);
  });

  // parseServiceBusMetadataDataset rows the import can judge (connection, cloud and pod identity rows depend on the authentication, not read).
  it.each([
    { name: 'nothing', metadata: {}, path: 'spec.triggers[0].metadata' },
    { name: 'properly formed queue', metadata: { queueName: 'testqueue', connectionFromEnv: 'CONNECTION' }, path: null },
    { name: 'queue with message count', metadata: { queueName: 'testqueue', connectionFromEnv: 'CONNECTION', messageCount: '1000' }, path: null },
    { name: 'topic & subscription', metadata: { topicName: 'testtopic', subscriptionName: 'testsubscription', connectionFromEnv: 'CONNECTION' }, path: null },
    { name: 'queue and topic', metadata: { queueName: 'testqueue', topicName: 'testtopic', connectionFromEnv: 'CONNECTION' }, path: 'spec.triggers[0].metadata.topicName' },
    {
      name: 'queue and subscription',
      metadata: { queueName: 'testqueue', subscriptionName: 'testsubscription', connectionFromEnv: 'CONNECTION' },
      path: 'spec.triggers[0].metadata.subscriptionName',
    },
    { name: 'topic but no subscription', metadata: { topicName: 'testtopic', connectionFromEnv: 'CONNECTION' }, path: 'spec.triggers[0].metadata.subscriptionName' },
    { name: 'subscription but no topic', metadata: { subscriptionName: 'testsubscription', connectionFromEnv: 'CONNECTION' }, path: 'spec.triggers[0].metadata' },
    {
      name: 'invalid activation message count',
      metadata: { queueName: 'testqueue', messageCount: '1000', activationMessageCount: 'AA' },
      path: 'spec.triggers[0].metadata.activationMessageCount',
    },
    { name: 'queue with incorrect useRegex value', metadata: { queueName: 'testqueue', useRegex: 'ababa' }, path: 'spec.triggers[0].metadata.useRegex' },
    { name: 'queue regex, operation avg', metadata: { queueName: 'testqueue', useRegex: 'true', operation: 'avg' }, path: null },
    { name: 'queue regex, operation random', metadata: { queueName: 'testqueue', useRegex: 'true', operation: 'random' }, path: 'spec.triggers[0].metadata.operation' },
    { name: 'queue with invalid regex string', metadata: { queueName: '*', useRegex: 'true', operation: 'avg' }, path: 'spec.triggers[0].metadata.queueName' },
    {
      name: 'subscription with invalid regex string',
      metadata: { topicName: 't', subscriptionName: '*', useRegex: 'true', operation: 'avg' },
      path: 'spec.triggers[0].metadata.subscriptionName',
    },
    { name: 'useRegex false', metadata: { topicName: 't', subscriptionName: 's', useRegex: 'false' }, path: null },
  ])('parseServiceBusMetadataDataset: $name', ({ metadata, path }) => {
    const r = importKedaScaledObject(one('azure-servicebus', metadata));
    if (path === null) expect(r.ok ? [] : r.issues).toEqual([]);
    else expect(!r.ok && r.issues.map((i) => [i.code, i.path])).toEqual([['ImportError', path]]);
  });

  it('with useRegex the notes name the operation over the matching entities', () => {
    expect(load(one('azure-servicebus', { queueName: 'orders-.*', useRegex: 'true', operation: 'max' })).notes.join('\n')).toContain(
      'send the max of the active message counts of the queues matching "orders-.*"',
    );
  });
});
