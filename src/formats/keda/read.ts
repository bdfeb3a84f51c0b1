// KEDA ScaledObjects: the documents of the input, the one chosen, and each trigger read as KEDA's scalers read it.
//
// Sources (kedacore/keda, commit 8b4f083ca8c8c2baf8477e322bd4d16ac4dfa09a):
// - apis/keda/v1alpha1/scaledobject_types.go: ScaledObjectSpec { scaleTargetRef, pollingInterval,
//   initialCooldownPeriod, cooldownPeriod, idleReplicaCount, minReplicaCount, maxReplicaCount, advanced
//   { horizontalPodAutoscalerConfig { behavior, name }, restoreToOriginalReplicaCount, scalingModifiers
//   { formula, target, activationTarget, metricType } }, triggers, fallback { failureThreshold, replicas,
//   behavior } }; the annotations (autoscaling.keda.sh/paused, paused-replicas, paused-scale-in,
//   paused-scale-out, force-activation).
// - apis/keda/v1alpha1/scaletriggers_types.go: ScaleTriggers { type, name, useCachedMetrics, metadata
//   (map[string]string), authenticationRef, metricType }; ValidateTriggers (trigger names unique).
// - pkg/scalers/scaler.go: GenerateMetricNameWithIndex ("s<index>-<name>"), GetMetricTargetType (no
//   metricType → AverageValue; Utilization refused for external scalers), GetMetricTarget(Mili).
// - pkg/util/normalize_string.go NormalizeString: / . : % ( ) → "-" in generated metric names.
// - pkg/scalers/cpu_memory_scaler.go (value; metricType Utilization|AverageValue; containerName),
//   prometheus_scaler.go (threshold, activationThreshold; metric "prometheus"),
//   rabbitmq_scaler.go (mode QueueLength with value, or the deprecated queueLength; nothing set → QueueLength
//   20; activationValue; metric "rabbitmq-<queueName>"), aws_sqs_queue_scaler.go (queueLength default 5,
//   activationQueueLength default 0, both int64; metric "aws-sqs-<queue name from queueURL>"),
//   cron_scaler.go (start, end, timezone, desiredReplicas; start ≠ end; desiredReplicas ≠ 0),
//   azure_queue_scaler.go (queueName required; queueLength default 5, activationQueueLength default 0, both
//   int64; queueLengthStrategy all | visibleonly; metric "azure-queue-<queueName>"),
//   azure_servicebus_scaler.go (messageCount default 5, activationMessageCount default 0, both int64; queueName,
//   or topicName with subscriptionName (Validate); useRegex (strconv.ParseBool) with operation sum | max |
//   avg; metric "azure-servicebus-<queueName | topicName>", or "…-queue-regex" / "…-topic-regex").
// This mapping: docs/importing.md#keda-scaledobjects.
import { isRecord } from '../../util/is-record.js';
import { chooseDocument, documents, type Doc } from '../hpa-manifest.js';
import { joinPath, type ImportContext } from '../import-context.js';
import { goParseBool, goParseFloat } from '../../syntax/go-strconv.js';

export type Json = Record<string, unknown>;

export function fail(ctx: ImportContext, path: string, message: string): undefined {
  ctx.issues.push({ code: 'ImportError', path, message });
  return undefined;
}

/** Fields KEDA's types do not define are named, never dropped silently. */
export function reportUnknown(obj: Json, known: readonly string[], path: string, what: string, ctx: ImportContext): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) ctx.unsupported.push({ path: joinPath(path, key), field: key, message: `${what} field "${key}" has no edgescale equivalent and is left out` });
  }
}

/** A scalar as it reads in a message (never String() of an object). */
export function shown(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v === null ? '(null)' : Array.isArray(v) ? '(an array)' : `(${typeof v})`;
}

const SCALED_OBJECT_API = 'keda.sh/v1alpha1';

/** The ScaledObject of the input: by `name` when several; other kinds reported and left out. */
export function chooseScaledObject(input: string | object, name: string | undefined, ctx: ImportContext): (Doc & { value: Json }) | undefined {
  const docs = documents(input, ctx);
  if (!docs) return undefined;
  const doc = chooseDocument(docs, 'ScaledObject', name, ctx);
  if (!doc) return undefined;
  if (doc.value.apiVersion !== SCALED_OBJECT_API)
    return fail(ctx, joinPath(doc.path, 'apiVersion'), `apiVersion must be ${SCALED_OBJECT_API}, got ${JSON.stringify(doc.value.apiVersion)}`);
  return doc;
}

// ---------------------------------------------------------------------------------------------
// Triggers

/** One trigger as the import uses it. */
export interface ReadTrigger {
  index: number;
  path: string;
  type: string;
  /** trigger.name, when set (scalingModifiers formulas refer to triggers by it). */
  name?: string;
  /** The native metric name: the series the request sends for it. */
  metric: string;
  /** `resource`: cpu/memory, always active; `external`: a value and an activation threshold; `cron`: a schedule. */
  kind: 'resource' | 'external' | 'cron';
  /** The autoscaling/v2 MetricSpec KEDA gives the HPA for it (resource and external). */
  hpaMetric?: Json;
  /** External: active when the value is strictly above this (KEDA's activation phase). */
  activation?: number;
  /** External: the HPA target type (a Value trigger's fallback needs ready replicas, fallback.go doFallback). */
  targetType?: 'AverageValue' | 'Value';
  cron?: { start: string; end: string; timezone: string; desiredReplicas: number };
  /** What the request must send, for the notes. */
  send?: string;
}

/** Trigger types read here, and what each supports; anything else is refused. */
const SUPPORTED_TRIGGERS = ['cpu', 'memory', 'prometheus', 'rabbitmq', 'aws-sqs-queue', 'azure-queue', 'azure-servicebus', 'cron'] as const;

/** NormalizeString (pkg/util/normalize_string.go). */
const normalize = (s: string): string => s.replace(/[/.:%()]/g, '-');

/** Go's url.QueryEscape, which rabbitmq_scaler.go applies to the queue name: space → "+", all but A-Z a-z 0-9 - _ . ~ as %XX. */
function queryEscape(s: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : byte === 0x20 ? '+' : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** cron_scaler.go parseCronTimeFormat: a cron pattern as it appears in the metric name. */
const cronTimeFormat = (s: string): string => s.replace(/ /g, '').replace(/\*/g, 'x').replace(/\//g, 'Sl').replace(/\?/g, 'Qm').replace(/,/g, 'Cm');

/** A metadata value: KEDA's metadata is map[string]string; a YAML number is read as its text. */
function meta(m: Json, key: string): string | undefined {
  const v = m[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** strconv.ParseFloat as KEDA's typed config uses it for float64 fields. */
function readFloat(m: Json, key: string, path: string, ctx: ImportContext, fallback?: number): number | undefined {
  const text = meta(m, key);
  if (text === undefined || text.trim() === '') {
    if (fallback !== undefined) return fallback;
    return fail(ctx, joinPath(path, key), `metadata.${key} is required`);
  }
  const n = goParseFloat(text.trim()) ?? NaN;
  if (!Number.isFinite(n)) return fail(ctx, joinPath(path, key), `metadata.${key} must be a number, got ${JSON.stringify(text)}`);
  return n;
}

/** strconv.ParseInt for int64 fields (aws-sqs queueLength): "5.5" is refused, as KEDA refuses it. */
function readInt(m: Json, key: string, path: string, ctx: ImportContext, fallback: number): number | undefined {
  const text = meta(m, key);
  if (text === undefined || text.trim() === '') return fallback;
  if (!/^\s*[+-]?\d+\s*$/.test(text)) return fail(ctx, joinPath(path, key), `metadata.${key} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** GetMetricTargetType: no metricType → AverageValue; Utilization is for cpu/memory only. */
function externalTargetType(raw: Json, path: string, ctx: ImportContext): 'AverageValue' | 'Value' | undefined {
  const t = raw.metricType;
  if (t === undefined || t === null || t === '') return 'AverageValue';
  if (t === 'AverageValue' || t === 'Value') return t;
  return fail(
    ctx,
    joinPath(path, 'metricType'),
    `metricType must be AverageValue or Value for a ${shown(raw.type)} trigger, got ${JSON.stringify(t)} (KEDA: ErrScalerUnsupportedUtilizationMetricType)`,
  );
}

function externalMetric(metric: string, type: 'AverageValue' | 'Value', target: number): Json {
  return { type: 'External', external: { metric: { name: metric }, target: type === 'AverageValue' ? { type, averageValue: target } : { type, value: target } } };
}

/** An external trigger as read: its series, the External MetricSpec KEDA gives the HPA, its activation threshold, and what to send. */
function externalTrigger(
  base: Pick<ReadTrigger, 'index' | 'path' | 'type' | 'name'>,
  metric: string,
  targetType: 'AverageValue' | 'Value',
  target: number,
  activation: number,
  send: string,
): ReadTrigger {
  return { ...base, metric, kind: 'external', hpaMetric: externalMetric(metric, targetType, target), targetType, activation, send };
}

/** Metadata keys each scaler reads to reach its source: named in the notes, not used (the value comes in the request). */
const SOURCE_KEYS: Record<string, readonly string[]> = {
  prometheus: ['serverAddress', 'query', 'queryParameters', 'namespace', 'customHeaders', 'ignoreNullValues', 'unsafeSsl', 'awsRegion', 'timeout', 'identityOwner', 'authModes'],
  rabbitmq: ['host', 'protocol', 'vhostName', 'useRegex', 'excludeUnacknowledged', 'pageSize', 'operation', 'timeout', 'unsafeSsl', 'hostFromEnv'],
  'aws-sqs-queue': ['queueURLFromEnv', 'awsRegion', 'awsEndpoint', 'scaleOnInFlight', 'scaleOnDelayed', 'identityOwner', 'awsAccessKeyID', 'awsSecretAccessKey', 'awsRoleArn'],
  'azure-queue': ['connection', 'connectionFromEnv', 'accountName', 'endpointSuffix', 'cloud'],
  'azure-servicebus': ['connection', 'connectionFromEnv', 'namespace', 'endpointSuffix', 'cloud'],
};

/** The trigger's metadata keys not read by the import and not a source key: named. */
function reportMetadata(m: Json, type: string, read: readonly string[], path: string, ctx: ImportContext): void {
  const source = SOURCE_KEYS[type] ?? [];
  for (const key of Object.keys(m)) {
    if (read.includes(key) || source.includes(key)) continue;
    ctx.unsupported.push({ path: joinPath(path, key), field: key, message: `${type} trigger metadata "${key}" is not read by the import and is left out` });
  }
}

/** aws_sqs_queue_scaler.go: the queue name is the third part of the URL path, or the text itself when it is not a URL. */
function sqsQueueName(queueURL: string, path: string, ctx: ImportContext): string | undefined {
  let url: URL | undefined;
  try {
    url = /^[a-z][a-z0-9+.-]*:/i.test(queueURL) ? new URL(queueURL) : undefined;
  } catch {
    url = undefined;
  }
  if (!url) return queueURL;
  const parts = url.pathname.split('/');
  if (parts.length !== 3 || parts[2] === '')
    return fail(ctx, path, `cannot get the queue name from queueURL ${JSON.stringify(queueURL)} (KEDA expects https://sqs.<region>.amazonaws.com/<account>/<queue>)`);
  return parts[2];
}

/** One trigger, read as its KEDA scaler reads it; undefined (with an issue) when KEDA would refuse it or it is not supported. */
export function readTrigger(raw: unknown, index: number, path: string, ctx: ImportContext): ReadTrigger | undefined {
  if (!isRecord(raw)) return fail(ctx, path, 'expected a trigger { type, metadata, ... }');
  reportUnknown(raw, ['type', 'name', 'useCachedMetrics', 'metadata', 'authenticationRef', 'metricType'], path, 'trigger', ctx);
  const type = raw.type;
  if (typeof type !== 'string' || type === '') return fail(ctx, joinPath(path, 'type'), 'type is required');
  if (!(SUPPORTED_TRIGGERS as readonly string[]).includes(type)) {
    return fail(
      ctx,
      joinPath(path, 'type'),
      `trigger type "${type}" is not supported by the import (supported: ${SUPPORTED_TRIGGERS.join(', ')}); its metric cannot be left out without changing the decisions`,
    );
  }
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : undefined;
  const m = isRecord(raw.metadata) ? raw.metadata : {};
  const mPath = joinPath(path, 'metadata');
  if (raw.authenticationRef !== undefined)
    ctx.unsupported.push({
      path: joinPath(path, 'authenticationRef'),
      field: 'authenticationRef',
      message: 'not used: edgescale does not query the source, the value comes in the request',
    });
  if (raw.useCachedMetrics === true) ctx.notes.push(`${path}.useCachedMetrics: KEDA's metric cache has no equivalent; the value in the request is used as it is.`);
  const generated = (s: string) => `s${index}-${normalize(s)}`;
  const base = { index, path, type, ...(name !== undefined && { name }) };

  if (type === 'cpu' || type === 'memory') {
    // cpu_memory_scaler.go parseResourceMetadata: metricType Utilization or AverageValue (the deprecated metadata.type until v2.18).
    let t = raw.metricType;
    if ((t === undefined || t === '') && (m.type === 'Utilization' || m.type === 'AverageValue')) {
      t = m.type;
      ctx.notes.push(`${mPath}.type is deprecated (removed in KEDA v2.18); read as metricType ${t}.`);
    }
    if (t !== 'Utilization' && t !== 'AverageValue')
      return fail(ctx, joinPath(path, 'metricType'), `metricType must be Utilization or AverageValue for a ${type} trigger, got ${JSON.stringify(t)}`);
    reportMetadata(m, type, ['value', 'containerName', 'type'], mPath, ctx);
    const value = meta(m, 'value');
    if (value === undefined) return fail(ctx, joinPath(mPath, 'value'), 'metadata.value is required');
    const container = meta(m, 'containerName');
    let target: Json;
    if (t === 'Utilization') {
      if (!/^\s*\d+\s*$/.test(value)) return fail(ctx, joinPath(mPath, 'value'), `a Utilization value is a whole number of percent, got ${JSON.stringify(value)}`);
      target = { type: 'Utilization', averageUtilization: Number(value) };
    } else target = { type: 'AverageValue', averageValue: value };
    const hpaMetric = container ? { type: 'ContainerResource', containerResource: { name: type, container, target } } : { type: 'Resource', resource: { name: type, target } };
    // The HPA import names a container's resource "<resource>@<container>".
    return { ...base, metric: container ? `${type}@${container}` : type, kind: 'resource', hpaMetric };
  }

  if (type === 'cron') {
    reportMetadata(m, type, ['start', 'end', 'timezone', 'desiredReplicas'], mPath, ctx);
    if (raw.metricType !== undefined && raw.metricType !== 'AverageValue')
      return fail(
        ctx,
        joinPath(path, 'metricType'),
        'a cron trigger is imported as a schedule; only its default metricType AverageValue (desiredReplicas per replica of target 1) is supported',
      );
    const start = meta(m, 'start');
    const end = meta(m, 'end');
    const timezone = meta(m, 'timezone');
    if (!start) return fail(ctx, joinPath(mPath, 'start'), 'metadata.start is required');
    if (!end) return fail(ctx, joinPath(mPath, 'end'), 'metadata.end is required');
    if (!timezone) return fail(ctx, joinPath(mPath, 'timezone'), 'metadata.timezone is required');
    if (start === end) return fail(ctx, joinPath(mPath, 'end'), 'start and end can not have exactly same time input (cron_scaler.go Validate)');
    const desired = readInt(m, 'desiredReplicas', mPath, ctx, 0);
    if (desired === undefined) return undefined;
    if (desired <= 0) return fail(ctx, joinPath(mPath, 'desiredReplicas'), 'no desiredReplicas specified (cron_scaler.go Validate: it must not be 0)');
    return {
      ...base,
      metric: name ?? generated(`cron-${timezone}-${cronTimeFormat(start)}-${cronTimeFormat(end)}`),
      kind: 'cron',
      cron: { start, end, timezone, desiredReplicas: desired },
    };
  }

  const targetType = externalTargetType(raw, path, ctx);
  if (!targetType) return undefined;
  if (type === 'prometheus') {
    reportMetadata(m, type, ['threshold', 'activationThreshold'], mPath, ctx);
    const threshold = readFloat(m, 'threshold', mPath, ctx);
    const activation = readFloat(m, 'activationThreshold', mPath, ctx, 0);
    if (threshold === undefined || activation === undefined) return undefined;
    const query = meta(m, 'query');
    return externalTrigger(
      base,
      name ?? generated('prometheus'),
      targetType,
      threshold,
      activation,
      `the result of the Prometheus query${query ? ` ${JSON.stringify(query)}` : ''}`,
    );
  }
  if (type === 'rabbitmq') {
    reportMetadata(m, type, ['queueName', 'mode', 'value', 'queueLength', 'activationValue'], mPath, ctx);
    const queueName = meta(m, 'queueName');
    if (!queueName) return fail(ctx, joinPath(mPath, 'queueName'), 'metadata.queueName is required');
    const mode = meta(m, 'mode');
    const queueLength = readFloat(m, 'queueLength', mPath, ctx, 0);
    const value = readFloat(m, 'value', mPath, ctx, 0);
    const activation = readFloat(m, 'activationValue', mPath, ctx, 0);
    if (queueLength === undefined || value === undefined || activation === undefined) return undefined;
    // rabbitmq_scaler.go validateTrigger: nothing set → QueueLength 20; queueLength beside mode/value is refused.
    let target: number;
    if (queueLength === 0 && mode === undefined && value === 0) {
      target = 20;
      ctx.notes.push(`${mPath}: neither mode nor value is set: QueueLength 20, KEDA's default.`);
    } else if (queueLength !== 0) {
      if (mode !== undefined || value !== 0) return fail(ctx, joinPath(mPath, 'queueLength'), 'queueLength is deprecated; use mode and value (KEDA refuses both together)');
      target = queueLength;
    } else if (mode === undefined) return fail(ctx, joinPath(mPath, 'mode'), 'mode must be specified');
    else if (mode !== 'QueueLength') {
      // MessageRate and the other rate modes are activated by the rate *or* the queue length (GetMetricsAndActivity): two values for one trigger.
      return fail(
        ctx,
        joinPath(mPath, 'mode'),
        `mode ${JSON.stringify(mode)} is not supported by the import (only QueueLength): KEDA activates it on two values (rate or messages)`,
      );
    } else target = value;
    return externalTrigger(
      base,
      name ?? generated(`rabbitmq-${queryEscape(queueName)}`),
      targetType,
      target,
      activation,
      `the message count of queue ${JSON.stringify(queueName)}`,
    );
  }
  if (type === 'azure-queue') return azureQueue(m, mPath, base, targetType, generated, ctx);
  if (type === 'azure-servicebus') return azureServiceBus(m, mPath, base, targetType, generated, ctx);
  // aws-sqs-queue
  reportMetadata(m, type, ['queueURL', 'queueLength', 'activationQueueLength'], mPath, ctx);
  const queueURL = meta(m, 'queueURL');
  if (!queueURL) return fail(ctx, joinPath(mPath, 'queueURL'), 'metadata.queueURL is required');
  const queue = sqsQueueName(queueURL, joinPath(mPath, 'queueURL'), ctx);
  const target = readInt(m, 'queueLength', mPath, ctx, 5);
  const activation = readInt(m, 'activationQueueLength', mPath, ctx, 0);
  if (queue === undefined || target === undefined || activation === undefined) return undefined;
  return externalTrigger(
    base,
    name ?? generated(`aws-sqs-${queue}`),
    targetType,
    target,
    activation,
    `the approximate number of messages (visible + in flight, scaleOnInFlight) of queue ${JSON.stringify(queue)}`,
  );
}

type TriggerBase = Pick<ReadTrigger, 'index' | 'path' | 'type' | 'name'>;

/** A value TypedConfig reads with an `enum` tag: one of `values`, exactly (after trimming), or the default when absent. */
function readEnum<T extends string>(m: Json, key: string, values: readonly T[], fallback: T, path: string, ctx: ImportContext): T | undefined {
  const text = meta(m, key);
  if (text === undefined || text === '') return fallback;
  const v = text.trim();
  if ((values as readonly string[]).includes(v)) return v as T;
  return fail(ctx, joinPath(path, key), `parameter "${key}" value ${JSON.stringify(text)} must be one of [${values.join(' ')}]`);
}

/** strconv.ParseBool, as TypedConfig reads a bool. */
function readBool(m: Json, key: string, path: string, ctx: ImportContext): boolean | undefined {
  const v = m[key];
  if (v === undefined || v === '') return false;
  if (typeof v === 'boolean') return v;
  const b = goParseBool(meta(m, key) ?? '');
  if (b !== undefined) return b;
  return fail(ctx, joinPath(path, key), `metadata.${key} must be a boolean (strconv.ParseBool), got ${JSON.stringify(shown(v))}`);
}

/** azure_queue_scaler.go: the queue's message count against queueLength (default 5), active above activationQueueLength (default 0). */
function azureQueue(m: Json, mPath: string, base: TriggerBase, targetType: 'AverageValue' | 'Value', generated: (s: string) => string, ctx: ImportContext): ReadTrigger | undefined {
  reportMetadata(m, 'azure-queue', ['queueName', 'queueLength', 'activationQueueLength', 'queueLengthStrategy'], mPath, ctx);
  const queueName = meta(m, 'queueName');
  if (!queueName) return fail(ctx, joinPath(mPath, 'queueName'), 'missing required parameter "queueName" (azure_queue_scaler.go)');
  const target = readInt(m, 'queueLength', mPath, ctx, 5);
  const activation = readInt(m, 'activationQueueLength', mPath, ctx, 0);
  const strategy = readEnum(m, 'queueLengthStrategy', ['all', 'visibleonly'] as const, 'all', mPath, ctx);
  if (target === undefined || activation === undefined || strategy === undefined) return undefined;
  const send =
    strategy === 'visibleonly'
      ? `the number of visible messages of queue ${JSON.stringify(queueName)} (queueLengthStrategy visibleonly: KEDA peeks up to 32, and reads ApproximateMessagesCount when there are 32 or more)`
      : `the approximate message count (ApproximateMessagesCount) of queue ${JSON.stringify(queueName)}`;
  return externalTrigger(base, base.name ?? generated(`azure-queue-${queueName}`), targetType, target, activation, send);
}

/** azure_servicebus_scaler.go: a queue's or a topic subscription's active message count against messageCount (default 5). */
function azureServiceBus(m: Json, mPath: string, base: TriggerBase, targetType: 'AverageValue' | 'Value', generated: (s: string) => string, ctx: ImportContext): ReadTrigger | undefined {
  reportMetadata(m, 'azure-servicebus', ['queueName', 'topicName', 'subscriptionName', 'messageCount', 'activationMessageCount', 'useRegex', 'operation'], mPath, ctx);
  const target = readInt(m, 'messageCount', mPath, ctx, 5);
  const activation = readInt(m, 'activationMessageCount', mPath, ctx, 0);
  const useRegex = readBool(m, 'useRegex', mPath, ctx);
  const operation = readEnum(m, 'operation', ['sum', 'max', 'avg'] as const, 'sum', mPath, ctx);
  if (target === undefined || activation === undefined || useRegex === undefined || operation === undefined) return undefined;
  const queueName = meta(m, 'queueName') || undefined;
  const topicName = meta(m, 'topicName') || undefined;
  const subscriptionName = meta(m, 'subscriptionName') || undefined;
  // azureServiceBusMetadata.Validate, in its order.
  if (queueName !== undefined && subscriptionName !== undefined) return fail(ctx, joinPath(mPath, 'subscriptionName'), 'subscription name provided with queue name');
  if (topicName !== undefined && queueName !== undefined) return fail(ctx, joinPath(mPath, 'topicName'), 'both topic and queue name metadata provided');
  if (topicName !== undefined && subscriptionName === undefined) return fail(ctx, joinPath(mPath, 'subscriptionName'), 'no subscription name provided with topic name');
  if (queueName === undefined && topicName === undefined) return fail(ctx, mPath, 'no service bus entity type set (give queueName, or topicName and subscriptionName)');
  const pattern = queueName ?? subscriptionName!;
  if (useRegex) {
    try {
      new RegExp(pattern);
    } catch {
      return fail(ctx, joinPath(mPath, queueName !== undefined ? 'queueName' : 'subscriptionName'), `${queueName !== undefined ? 'queueName' : 'subscriptionName'} is not a valid regular expression`);
    }
  }
  const entity = queueName !== undefined ? `queue ${JSON.stringify(queueName)}` : `subscription ${JSON.stringify(subscriptionName)} of topic ${JSON.stringify(topicName)}`;
  const send = useRegex
    ? `the ${operation} of the active message counts of the ${queueName !== undefined ? 'queues' : `subscriptions of topic ${JSON.stringify(topicName)}`} matching ${JSON.stringify(pattern)}`
    : `the active message count of ${entity}`;
  const metricName = useRegex ? `azure-servicebus-${queueName !== undefined ? 'queue' : 'topic'}-regex` : `azure-servicebus-${queueName ?? topicName!}`;
  return externalTrigger(base, base.name ?? generated(metricName), targetType, target, activation, send);
}
