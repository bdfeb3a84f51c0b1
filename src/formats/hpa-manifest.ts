// Kubernetes HorizontalPodAutoscaler manifests (YAML or JSON; autoscaling/v1, v2beta1, v2beta2, v2) to native rule sets, and back.
//
// Sources (kubernetes/kubernetes):
// - staging/src/k8s.io/api/autoscaling/v2/types.go: HorizontalPodAutoscalerSpec { scaleTargetRef
//   (CrossVersionObjectReference { kind, name, apiVersion }), minReplicas, maxReplicas, metrics
//   ([]MetricSpec), behavior }; MetricSpec { type: Object|Pods|Resource|ContainerResource|External, and
//   the matching source }: ResourceMetricSource { name, target }, ContainerResourceMetricSource { name,
//   container, target }, PodsMetricSource { metric { name, selector }, target }, ObjectMetricSource
//   { describedObject, metric, target }, ExternalMetricSource { metric, target }; MetricTarget { type:
//   Utilization|Value|AverageValue, averageUtilization, averageValue, value }. v2beta2 has the same shape.
// - staging/src/k8s.io/api/autoscaling/v2beta1/types.go: the older metric sources (targetAverageUtilization,
//   targetAverageValue, metricName, targetValue, metricSelector, target) and
//   pkg/apis/autoscaling/v2beta1/conversion.go for how they map onto MetricTarget.
// - staging/src/k8s.io/api/autoscaling/v1/types.go: targetCPUUtilizationPercentage, and the v2beta1-shaped
//   MetricSpec that pkg/apis/autoscaling/v1/conversion.go (Convert_v1_HorizontalPodAutoscaler_To_autoscaling_
//   HorizontalPodAutoscaler) reads from the annotations autoscaling.alpha.kubernetes.io/metrics and
//   autoscaling.alpha.kubernetes.io/behavior (pkg/apis/autoscaling/annotations.go: MetricSpecsAnnotation,
//   BehaviorSpecsAnnotation): see readV1Metrics and readBehaviorAnnotation.
// - pkg/apis/autoscaling/v2/defaults.go, v2beta2/defaults.go, v2beta1/defaults.go: minReplicas defaults
//   to 1; no metrics means CPU at autoscaling.DefaultCPUUtilization (80 %).
// - pkg/apis/autoscaling/validation/validation.go: what the API server refuses, ported in hpa-validation.ts
//   and run before anything is read; pkg/controller/podautoscaler/horizontal.go computeStatusFor*Metric:
//   which target field the controller reads (readTarget).
// Native meaning: docs/hpa.md and docs/rules.md (target tracking, behavior); this mapping: docs/importing.md.
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, stringify, type Document } from 'yaml';
import { IMPORT_LIMITS } from '../limits.js';
import { checkValueBounds, type ValueBounds } from './bounds.js';
import { METRIC_SOURCE_FIELDS, validateBehaviorOnly, validateHpaSpec, validateMetric } from './hpa-validation.js';
import { loadRuleSet } from '../engine/ruleset.js';
import type { RuleSetInput } from '../schema.js';
import { isRecord } from '../util/is-record.js';
import { importAzureAutoscale } from './azure/import.js';
import { importAwsAutoscaling } from './aws/import.js';
import { importKnativeService, type KnativeImportOptions } from './knative/import.js';
import {
  joinPath,
  newContext,
  slug,
  toId,
  uniqueId,
  validateConverted,
  type ImportContext,
  type ImportOptions,
  type ImportResult,
  type UnsupportedField,
} from './import-context.js';

/** pkg/apis/autoscaling: DefaultCPUUtilization, the target the API server fills in when no metric is given. */
const HPA_DEFAULT_CPU_UTILIZATION = 80;
/** defaults.go: minReplicas when unset. */
const HPA_DEFAULT_MIN_REPLICAS = 1;
/** pkg/apis/autoscaling/annotations.go: MetricSpecsAnnotation, the metrics autoscaling/v1 cannot express, as a JSON array of v1 (v2beta1-shaped) MetricSpec. */
const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
/** annotations.go: BehaviorSpecsAnnotation, spec.behavior of the internal type marshalled as JSON (Go field names, no json tags). */
const BEHAVIOR_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';

export interface HpaImportOptions extends ImportOptions {
  /** metadata.name of the HorizontalPodAutoscaler to take when the manifest holds several. */
  name?: string;
}

type Json = Record<string, unknown>;
type TargetTrackingInput = NonNullable<RuleSetInput['targetTracking']>[number];
type MetricTargetInput = TargetTrackingInput['target'];
type Source = NonNullable<TargetTrackingInput['source']>;
type TargetType = MetricTargetInput['type'];

const API_VERSIONS = ['autoscaling/v1', 'autoscaling/v2', 'autoscaling/v2beta2', 'autoscaling/v2beta1'] as const;
type ApiVersion = (typeof API_VERSIONS)[number];

function fail(ctx: ImportContext, path: string, message: string): undefined {
  ctx.issues.push({ code: 'ImportError', path, message });
  return undefined;
}

/** Kubernetes field names are exact: anything not read is reported by name. */
function reportUnknown(obj: Json, known: readonly string[], path: string, what: string, ctx: ImportContext): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) ctx.unsupported.push({ path: joinPath(path, key), field: key, message: `${what} field "${key}" has no edgescale equivalent and is left out` });
  }
}

// ---------------------------------------------------------------------------------------------
// Documents

export interface Doc {
  value: unknown;
  path: string;
}

/** IMPORT_LIMITS as bounds on a parsed value (src/formats/bounds.ts). */
const VALUE_BOUNDS: ValueBounds = {
  maxDepth: IMPORT_LIMITS.nestingDepth,
  maxNodes: IMPORT_LIMITS.documentNodes,
  depthName: 'IMPORT_LIMITS.nestingDepth',
  nodesName: 'IMPORT_LIMITS.documentNodes',
};

/** The objects of the input: YAML/JSON text (several documents allowed), an object, an array, or a List; also read by keda/read.ts. */
export function documents(input: unknown, ctx: ImportContext): Doc[] | undefined {
  let values: Doc[];
  if (typeof input === 'string') {
    if (input.length > IMPORT_LIMITS.manifestChars) {
      fail(ctx, '', `the manifest has ${input.length} characters, more than ${IMPORT_LIMITS.manifestChars} (IMPORT_LIMITS.manifestChars); give only the object to import`);
      return undefined;
    }
    // uniqueKeys off: yaml's own duplicate-key check compares each key of a map with every other
    // (60,000 keys took a minute of CPU); readYamlDocument finds duplicates in one pass instead.
    const parsed = parseAllDocuments(input, { uniqueKeys: false });
    values = [];
    parsed.forEach((doc, i) => {
      const path = parsed.length === 1 ? '' : `documents[${i}]`;
      if (doc.errors.length > 0) {
        for (const e of doc.errors) {
          // yaml reports a stack overflow in its own (recursive) composer as RESOURCE_EXHAUSTION.
          const message = e.code === 'RESOURCE_EXHAUSTION' ? `nested too deeply to read (the limit is ${IMPORT_LIMITS.nestingDepth} levels, IMPORT_LIMITS.nestingDepth)` : e.message;
          fail(ctx, path, `not valid YAML or JSON: ${message}`);
        }
        return;
      }
      const read = readYamlDocument(doc, input, path, ctx);
      if (read) values.push({ value: read.value, path });
    });
    if (ctx.issues.length > 0) return undefined;
  } else {
    const over = checkValueBounds(input, VALUE_BOUNDS);
    if (over) {
      fail(ctx, over.path, `the manifest is ${over.message}`);
      return undefined;
    }
    values = Array.isArray(input) ? input.map((value, i) => ({ value, path: `[${i}]` })) : [{ value: input, path: '' }];
  }
  // `kubectl get hpa -o yaml` prints a List with the objects under items.
  return values.flatMap((d) => {
    if (isRecord(d.value) && typeof d.value.kind === 'string' && d.value.kind.endsWith('List') && Array.isArray(d.value.items)) {
      return d.value.items.map((value, i) => ({ value, path: joinPath(joinPath(d.path, 'items'), i) }));
    }
    return [d];
  });
}

/** metadata.name of a document, or "" without one. */
const metadataName = (d: { value: Json }): string => (isRecord(d.value.metadata) && typeof d.value.metadata.name === 'string' ? d.value.metadata.name : '');

/**
 * The one document of `kind` among `docs` (several documents, or a List): documents of other kinds
 * are left out with a note, several of `kind` need `name` to choose one, and those not chosen are
 * left out with a note too. Undefined after an issue (none of `kind`, none named so, or no choice).
 */
export function chooseDocument(docs: readonly Doc[], kind: string, name: string | undefined, ctx: ImportContext): (Doc & { value: Json }) | undefined {
  const found: Array<Doc & { value: Json }> = [];
  for (const d of docs) {
    if (d.value === null || d.value === undefined) continue;
    if (isRecord(d.value) && d.value.kind === kind) found.push(d as Doc & { value: Json });
    else {
      const other = isRecord(d.value) ? (d.value.kind === undefined ? '(no kind)' : shown(d.value.kind)) : typeof d.value;
      const what = isRecord(d.value) && isRecord(d.value.metadata) ? ` ${shown(d.value.metadata.name)}` : '';
      ctx.unsupported.push({ path: d.path === '' ? 'kind' : joinPath(d.path, 'kind'), field: 'kind', message: `${other}${what} is not a ${kind} and is left out` });
    }
  }
  const chosen = name === undefined ? found : found.filter((d) => metadataName(d) === name);
  if (chosen.length === 0) return fail(ctx, '', name !== undefined ? `no ${kind} named "${name}"` : `no ${kind} (kind: ${kind}) in the input`);
  if (chosen.length > 1) return fail(ctx, '', `${chosen.length} ${kind}s (${chosen.map(metadataName).join(', ')}): choose one by name`);
  const doc = chosen[0]!;
  for (const d of found) {
    if (d !== doc) ctx.unsupported.push({ path: joinPath(d.path, 'metadata.name'), field: 'metadata.name', message: `${kind} ${metadataName(d)} is not the one chosen and is left out` });
  }
  return doc;
}

/** 1-based line of a character offset, for messages about a YAML node. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

interface YamlFrame {
  node: unknown;
  depth: number;
  key: string | number | undefined;
  parent: YamlFrame | undefined;
}

function yamlPath(frame: YamlFrame, base: string): string {
  const keys: Array<string | number> = [];
  for (let f: YamlFrame | undefined = frame; f && f.key !== undefined; f = f.parent) keys.push(f.key);
  return keys.reverse().reduce<string>((path, k) => joinPath(path, k), base);
}

/**
 * One parsed YAML document as a plain value, within IMPORT_LIMITS; undefined after an issue. Before
 * anything recursive runs, one pass without recursion over the document's nodes counts its aliases,
 * measures its nesting and finds duplicate keys (which Kubernetes refuses too). Then toJS expands the
 * aliases under yaml's own maxAliasCount, and the expanded value is bounded again: an alias can hide
 * depth and size that the node tree does not show.
 */
function readYamlDocument(doc: Document.Parsed, text: string, path: string, ctx: ImportContext): { value: unknown } | undefined {
  const stack: YamlFrame[] = [{ node: doc.contents, depth: 0, key: undefined, parent: undefined }];
  let aliases = 0;
  const where = (frame: YamlFrame) => {
    const range = (frame.node as { range?: [number, number, number] } | null)?.range;
    return { path: yamlPath(frame, path), line: range ? ` (line ${lineAt(text, range[0])})` : '' };
  };
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const node = frame.node;
    if (isAlias(node)) {
      if (++aliases > IMPORT_LIMITS.yamlAliases) {
        const at = where(frame);
        return fail(ctx, at.path, `more than ${IMPORT_LIMITS.yamlAliases} YAML aliases (IMPORT_LIMITS.yamlAliases)${at.line}; write the values out`);
      }
      continue;
    }
    if (!isMap(node) && !isSeq(node)) continue;
    const depth = frame.depth + 1;
    if (depth > IMPORT_LIMITS.nestingDepth) {
      const at = where(frame);
      return fail(ctx, at.path, `nested more than ${IMPORT_LIMITS.nestingDepth} levels deep (IMPORT_LIMITS.nestingDepth)${at.line}`);
    }
    const children: YamlFrame[] = [];
    if (isSeq(node)) node.items.forEach((item, i) => children.push({ node: item, depth, key: i, parent: frame }));
    else {
      const seen = new Set<string>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = isScalar(item.key) ? String(item.key.value) : undefined;
        if (key !== undefined) {
          if (seen.has(key)) {
            const at = where({ node: item.key, depth, key, parent: frame });
            return fail(ctx, at.path, `duplicate key "${key.slice(0, 64)}"${at.line}: each key may appear once in a mapping`);
          }
          seen.add(key);
        } else if (item.key !== null) children.push({ node: item.key, depth, key: '(key)', parent: frame });
        children.push({ node: item.value, depth, key: key ?? '(value)', parent: frame });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: IMPORT_LIMITS.yamlAliases });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(
      ctx,
      path,
      /alias count/i.test(message)
        ? `the YAML aliases expand too far (more than ${IMPORT_LIMITS.yamlAliases} copies, IMPORT_LIMITS.yamlAliases): a resource-exhaustion guard; write the values out`
        : `the YAML cannot be read: ${message}`,
    );
  }
  const over = checkValueBounds(value, VALUE_BOUNDS, path);
  if (over) return fail(ctx, over.path, `the manifest, its aliases expanded, is ${over.message}`);
  return { value };
}

// ---------------------------------------------------------------------------------------------
// Metrics

interface ConvertedMetric {
  metric: string;
  source: Source;
  target: MetricTargetInput;
  path: string;
}

function readQuantity(obj: Json, key: string, path: string, ctx: ImportContext): number | string | undefined {
  const v = obj[key];
  if (typeof v === 'number' || typeof v === 'string') return v;
  return fail(ctx, joinPath(path, key), `${key} must be a quantity such as 100, "500m" or "1k"`);
}

/** Fields of a MetricTarget the controller does not read for this source are reported by name. */
function reportUnread(raw: Json, read: readonly string[], path: string, why: string, ctx: ImportContext): void {
  for (const key of Object.keys(raw)) {
    if (key !== 'type' && !read.includes(key) && raw[key] !== undefined && raw[key] !== null) {
      ctx.unsupported.push({ path: joinPath(path, key), field: key, message: `${key} is not read: ${why}` });
    }
  }
}

/**
 * A MetricTarget read as horizontal.go reads it, after validateHpaSpec has accepted it (hpa-validation.ts):
 * - Resource and ContainerResource (computeStatusForResourceMetricGeneric): averageValue when set, else
 *   averageUtilization, whatever `type` says;
 * - External (computeStatusForExternalMetric): averageValue when set, else value;
 * - Pods (computeStatusForPodsMetric): averageValue only;
 * - Object (computeStatusForObjectMetric): by `type`: Value reads value, AverageValue reads averageValue;
 *   any other pairing makes the controller fail the metric on every sync ("invalid object metric source:
 *   neither a value target nor an average value target was set"), so it is refused here.
 */
function readTarget(raw: unknown, path: string, source: Source, ctx: ImportContext): MetricTargetInput | undefined {
  if (!isRecord(raw)) return fail(ctx, path, `${path}: Required value: target is required`);
  const type = raw.type as TargetType;
  const has = (k: string) => raw[k] !== undefined && raw[k] !== null;
  const FIELDS: Record<TargetType, string> = { Utilization: 'averageUtilization', AverageValue: 'averageValue', Value: 'value' };
  const noteType = (read: TargetType) => {
    if (type !== read) ctx.notes.push(`${path}: target type ${type} is read as ${read} ${shown(raw[FIELDS[read]])}, as the HPA controller reads this source (horizontal.go reads the field that is set, not the type).`);
  };
  /** The first of `order` whose field is set (the last when none is: validation required one). */
  const firstSet = (order: readonly TargetType[], why: string): MetricTargetInput | undefined => {
    const read = order.find((t) => has(FIELDS[t])) ?? order[order.length - 1]!;
    reportUnread(raw, [FIELDS[read]], path, why, ctx);
    noteType(read);
    if (read === 'Utilization') return { type: 'Utilization', averageUtilization: raw.averageUtilization as number };
    const q = readQuantity(raw, FIELDS[read], path, ctx);
    if (q === undefined) return undefined;
    return read === 'Value' ? { type: 'Value', value: q } : { type: 'AverageValue', averageValue: q };
  };
  switch (source) {
    case 'Resource':
    case 'ContainerResource':
      return firstSet(['AverageValue', 'Utilization'], 'the HPA controller reads averageValue, else averageUtilization, for a resource metric (horizontal.go computeStatusForResourceMetricGeneric)');
    case 'External':
      return firstSet(['AverageValue', 'Value'], 'the HPA controller reads averageValue, else value, for an External metric (horizontal.go computeStatusForExternalMetric)');
    case 'Pods':
      return firstSet(['AverageValue'], 'the HPA controller uses only averageValue for a Pods metric (horizontal.go computeStatusForPodsMetric)');
    case 'Object': {
      const field = type === 'Value' ? 'value' : type === 'AverageValue' ? 'averageValue' : undefined;
      if (field === undefined || !has(field)) {
        return fail(
          ctx,
          path,
          `${path}: an Object metric is read by its type: Value with value, AverageValue with averageValue (horizontal.go computeStatusForObjectMetric); type ${type} with ${['value', 'averageValue'].filter(has).join(' and ')} passes the API server's validation but the HPA controller fails this metric on every sync ("invalid object metric source: neither a value target nor an average value target was set")`,
        );
      }
      reportUnread(raw, [field], path, `the HPA controller reads ${field} for an Object metric of type ${type} (horizontal.go computeStatusForObjectMetric)`, ctx);
      const q = readQuantity(raw, field, path, ctx);
      if (q === undefined) return undefined;
      return field === 'value' ? { type: 'Value', value: q } : { type: 'AverageValue', averageValue: q };
    }
  }
}

function noteSelector(sel: unknown, path: string, metric: string, ctx: ImportContext): void {
  if (sel === undefined || sel === null) return;
  ctx.unsupported.push({
    path,
    field: path.split('.').pop() ?? 'selector',
    message: `label selector ${JSON.stringify(sel)} of metric "${metric}" is not applied: edgescale reads the value the request sends, so send the already selected series`,
  });
}

/** MetricSpec field of each source type (types.go). */

/** One autoscaling/v2 (or v2beta2) MetricSpec, already accepted by validateHpaSpec. */
function readMetricV2(raw: unknown, path: string, ctx: ImportContext): ConvertedMetric | undefined {
  if (!isRecord(raw)) return fail(ctx, path, `${path}: expected a metric { type, ... }`);
  const source = raw.type as Source;
  const key = METRIC_SOURCE_FIELDS[source];
  reportUnknown(raw, ['type', key], path, `${source} metric`, ctx);
  const body = raw[key] as Json;
  const bPath = joinPath(path, key);
  const tPath = joinPath(bPath, 'target');

  if (source === 'Resource' || source === 'ContainerResource') {
    const container = source === 'ContainerResource';
    reportUnknown(body, container ? ['name', 'container', 'target'] : ['name', 'target'], bPath, key, ctx);
    const target = readTarget(body.target, tPath, source, ctx);
    if (!target) return undefined;
    // A container's resource is named "<resource>@<container>" ("cpu@app"); export reads it back.
    return { metric: container ? `${String(body.name)}@${String(body.container)}` : String(body.name), source, target, path };
  }

  reportUnknown(body, source === 'Object' ? ['describedObject', 'metric', 'target'] : ['metric', 'target'], bPath, key, ctx);
  const id = body.metric as Json;
  const mPath = joinPath(bPath, 'metric');
  const name = String(id.name);
  reportUnknown(id, ['name', 'selector'], mPath, 'metric', ctx);
  noteSelector(id.selector, joinPath(mPath, 'selector'), name, ctx);
  if (source === 'Object') {
    const d = body.describedObject as Json;
    ctx.unsupported.push({
      path: joinPath(bPath, 'describedObject'),
      field: 'describedObject',
      message: `the object ${shown(d.kind)}/${shown(d.name)} is not looked up: edgescale reads metric "${name}" from the request`,
    });
  }
  const target = readTarget(body.target, tPath, source, ctx);
  if (!target) return undefined;
  return { metric: name, source, target, path };
}

/**
 * A v2beta1 (or v1 annotation) MetricSpec as pkg/apis/autoscaling/v2beta1/conversion.go converts it to
 * the internal type, which the API server then validates: Resource/ContainerResource targets are
 * Utilization when targetAverageUtilization is set, else AverageValue, with both fields kept; Pods is
 * AverageValue of targetAverageValue (a non-pointer quantity: 0 when unset); Object is AverageValue when
 * averageValue is set, else Value, and always carries value = targetValue (non-pointer: 0 when unset);
 * External is Value when targetValue is set, else AverageValue, with both kept. `back` maps an internal
 * path below the metric to the v2beta1 field it came from.
 */
const V2BETA1_FIELDS: Record<string, Record<string, string>> = {
  resource: { 'target.averageUtilization': 'targetAverageUtilization', 'target.averageValue': 'targetAverageValue' },
  containerResource: { 'target.averageUtilization': 'targetAverageUtilization', 'target.averageValue': 'targetAverageValue' },
  pods: { 'metric.name': 'metricName', 'target.averageValue': 'targetAverageValue' },
  object: { 'metric.name': 'metricName', 'target.value': 'targetValue', 'target.averageValue': 'averageValue', describedObject: 'target' },
  external: { 'metric.name': 'metricName', 'target.value': 'targetValue', 'target.averageValue': 'targetAverageValue' },
};
function convertV2beta1Metric(raw: Json): Json {
  const out: Json = { type: raw.type };
  const set = (v: unknown) => v !== undefined && v !== null;
  for (const key of Object.values(METRIC_SOURCE_FIELDS)) {
    const b = raw[key];
    if (!set(b)) continue;
    const src = isRecord(b) ? b : {};
    switch (key) {
      case 'resource':
      case 'containerResource':
        out[key] = {
          name: src.name,
          ...(key === 'containerResource' && { container: src.container }),
          target: { type: set(src.targetAverageUtilization) ? 'Utilization' : 'AverageValue', averageUtilization: src.targetAverageUtilization, averageValue: src.targetAverageValue },
        };
        break;
      case 'pods':
        out[key] = { metric: { name: src.metricName }, target: { type: 'AverageValue', averageValue: src.targetAverageValue ?? 0 } };
        break;
      case 'object':
        out[key] = {
          describedObject: src.target,
          metric: { name: src.metricName },
          target: { type: set(src.averageValue) ? 'AverageValue' : 'Value', value: src.targetValue ?? 0, averageValue: src.averageValue },
        };
        break;
      default:
        out[key] = { metric: { name: src.metricName }, target: { type: set(src.targetValue) ? 'Value' : 'AverageValue', value: src.targetValue, averageValue: src.targetAverageValue } };
    }
  }
  return out;
}

/** The API server's checks of a v2beta1 metric after conversion; errors at the v2beta1 field, with Kubernetes' (internal) path in the message. */
function validateV2beta1Metric(raw: Json, path: string, k8sPath: string, ctx: ImportContext): boolean {
  const errors = validateMetric(convertV2beta1Metric(raw), k8sPath);
  for (const e of errors) {
    const rest = e.path.slice(k8sPath.length).replace(/^\./, '');
    const dot = rest.indexOf('.');
    const source = dot < 0 ? rest : rest.slice(0, dot);
    const sub = dot < 0 ? '' : rest.slice(dot + 1);
    const map = V2BETA1_FIELDS[source] ?? {};
    const hit = Object.keys(map).find((k) => sub === k || sub.startsWith(`${k}.`));
    const inputSub = hit === undefined ? (sub.startsWith('target.') ? '' : sub) : `${map[hit]}${sub.slice(hit.length)}`;
    ctx.issues.push({ code: 'ImportError', path: joinPath(joinPath(path, source), inputSub).replace(/\.$/, ''), message: e.message });
  }
  return errors.length === 0;
}

/** One autoscaling/v2beta1 MetricSpec, mapped as pkg/apis/autoscaling/v2beta1/conversion.go maps it, after the API server's checks. */
function readMetricV2beta1(raw: unknown, path: string, k8sPath: string, ctx: ImportContext): ConvertedMetric | undefined {
  if (!isRecord(raw)) return fail(ctx, path, 'expected a metric { type, ... }');
  if (!validateV2beta1Metric(raw, path, k8sPath, ctx)) return undefined;
  const type = raw.type;
  const key = typeof type === 'string' && Object.hasOwn(METRIC_SOURCE_FIELDS, type) ? METRIC_SOURCE_FIELDS[type as Source] : undefined;
  if (!key) return fail(ctx, joinPath(path, 'type'), `metric type must be Resource, ContainerResource, Pods, Object or External, got ${JSON.stringify(type)}`);
  reportUnknown(raw, ['type', key], path, `${type} metric`, ctx);
  const b = raw[key];
  const bPath = joinPath(path, key);
  if (!isRecord(b)) return fail(ctx, bPath, `${key} is required for a ${type} metric`);
  const q = (k: string) => readQuantity(b, k, bPath, ctx);
  switch (type) {
    case 'Resource':
    case 'ContainerResource': {
      const container = type === 'ContainerResource';
      reportUnknown(b, container ? ['name', 'container', 'targetAverageUtilization', 'targetAverageValue'] : ['name', 'targetAverageUtilization', 'targetAverageValue'], bPath, key, ctx);
      if (typeof b.name !== 'string' || b.name === '') return fail(ctx, joinPath(bPath, 'name'), 'name is required');
      const metric = container ? `${b.name}@${shown(b.container)}` : b.name;
      if (typeof b.targetAverageUtilization === 'number') return { metric, source: type, target: { type: 'Utilization', averageUtilization: b.targetAverageUtilization }, path };
      const v = q('targetAverageValue');
      return v === undefined ? undefined : { metric, source: type, target: { type: 'AverageValue', averageValue: v }, path };
    }
    case 'Pods': {
      reportUnknown(b, ['metricName', 'targetAverageValue', 'selector'], bPath, key, ctx);
      if (typeof b.metricName !== 'string') return fail(ctx, joinPath(bPath, 'metricName'), 'metricName is required');
      noteSelector(b.selector, joinPath(bPath, 'selector'), b.metricName, ctx);
      const v = q('targetAverageValue');
      return v === undefined ? undefined : { metric: b.metricName, source: 'Pods', target: { type: 'AverageValue', averageValue: v }, path };
    }
    case 'Object': {
      reportUnknown(b, ['target', 'metricName', 'targetValue', 'selector', 'averageValue'], bPath, key, ctx);
      if (typeof b.metricName !== 'string') return fail(ctx, joinPath(bPath, 'metricName'), 'metricName is required');
      noteSelector(b.selector, joinPath(bPath, 'selector'), b.metricName, ctx);
      ctx.unsupported.push({ path: joinPath(bPath, 'target'), field: 'target', message: `the described object is not looked up: edgescale reads metric "${b.metricName}" from the request` });
      // conversion.go: averageValue set → AverageValue, else Value from targetValue.
      if (b.averageValue !== undefined && b.averageValue !== null) {
        const v = q('averageValue');
        return v === undefined ? undefined : { metric: b.metricName, source: 'Object', target: { type: 'AverageValue', averageValue: v }, path };
      }
      const v = q('targetValue');
      return v === undefined ? undefined : { metric: b.metricName, source: 'Object', target: { type: 'Value', value: v }, path };
    }
    default: {
      reportUnknown(b, ['metricName', 'metricSelector', 'targetValue', 'targetAverageValue'], bPath, key, ctx);
      if (typeof b.metricName !== 'string') return fail(ctx, joinPath(bPath, 'metricName'), 'metricName is required');
      noteSelector(b.metricSelector, joinPath(bPath, 'metricSelector'), b.metricName, ctx);
      if (b.targetAverageValue !== undefined && b.targetAverageValue !== null) {
        const v = q('targetAverageValue');
        return v === undefined ? undefined : { metric: b.metricName, source: 'External', target: { type: 'AverageValue', averageValue: v }, path };
      }
      const v = q('targetValue');
      return v === undefined ? undefined : { metric: b.metricName, source: 'External', target: { type: 'Value', value: v }, path };
    }
  }
}

/** What value the request must carry for each kind of metric (docs/hpa.md, "Metric values and formulas"). */
function whatToSend(m: ConvertedMetric): string {
  if (m.target.type === 'Utilization') return "the pods' average utilization in percent of their requests";
  if (m.source === 'Object' || m.source === 'External') return m.target.type === 'Value' ? "the metric's value" : 'the total over all pods (edgescale divides by the replicas)';
  return 'the average per pod';
}

// ---------------------------------------------------------------------------------------------
// autoscaling/v1 round-trip annotations

/** `metadata.annotations["<key>"]` under an object's path. */
const annotationPath = (path: string, key: string): string => `${joinPath(joinPath(path, 'metadata'), 'annotations')}[${JSON.stringify(key)}]`;

/** An annotation's JSON value; undefined when absent, or (reported) when it does not decode into the expected shape. */
function readAnnotationJson(annotations: Json, key: string, path: string, want: 'array' | 'object', ctx: ImportContext): unknown {
  const raw = annotations[key];
  if (raw === undefined || raw === null) return undefined;
  let value: unknown;
  try {
    value = typeof raw === 'string' ? JSON.parse(raw) : undefined;
  } catch {
    value = undefined;
  }
  if (want === 'array' ? Array.isArray(value) : isRecord(value)) return value;
  // conversion.go decodes the annotation under an `err == nil` guard: one that does not decode is ignored.
  ctx.unsupported.push({ path, field: key, message: `the annotation ${key} is not a JSON ${want === 'array' ? 'array of metrics' : 'object'}; Kubernetes ignores it, and so does the import` });
  return undefined;
}

/** The metric types an autoscaling/v1 HPA converts to: the annotation's, then Resource for targetCPUUtilizationPercentage. */
function v1MetricTypes(hpa: Json): unknown[] {
  const annotations = isRecord(hpa.metadata) && isRecord(hpa.metadata.annotations) ? hpa.metadata.annotations : {};
  let list: unknown;
  try {
    list = typeof annotations[METRIC_SPECS_ANNOTATION] === 'string' ? JSON.parse(annotations[METRIC_SPECS_ANNOTATION]) : undefined;
  } catch {
    list = undefined;
  }
  const types = Array.isArray(list) ? list.map((m) => (isRecord(m) ? m.type : undefined)) : [];
  return [...types, 'Resource'];
}

/**
 * spec.metrics of an autoscaling/v1 HPA as conversion.go's Convert_v1_HorizontalPodAutoscaler_To_autoscaling_
 * HorizontalPodAutoscaler builds it: the metrics of the MetricSpecsAnnotation (v1 MetricSpec, which has the
 * v2beta1 shape: targetAverageUtilization, metricName, …) first, then the CPU metric of
 * targetCPUUtilizationPercentage when set; CPU at DefaultCPUUtilization only when both give nothing.
 */
function readV1Metrics(hpa: Json, spec: Json, path: string, ctx: ImportContext): ConvertedMetric[] | undefined {
  const sPath = joinPath(path, 'spec');
  const t = spec.targetCPUUtilizationPercentage;
  if (t !== undefined && t !== null && typeof t !== 'number') return fail(ctx, joinPath(sPath, 'targetCPUUtilizationPercentage'), 'expected a whole number of percent');
  const metrics: ConvertedMetric[] = [];
  const annotations = isRecord(hpa.metadata) && isRecord(hpa.metadata.annotations) ? hpa.metadata.annotations : {};
  const aPath = annotationPath(path, METRIC_SPECS_ANNOTATION);
  const other = readAnnotationJson(annotations, METRIC_SPECS_ANNOTATION, aPath, 'array', ctx) as unknown[] | undefined;
  other?.forEach((raw, i) => {
    const m = readMetricV2beta1(raw, `${aPath}[${i}]`, `spec.metrics[${i}]`, ctx);
    if (m) metrics.push(m);
  });
  if (other !== undefined && other.length > 0) ctx.notes.push(`${aPath}: ${other.length} metric${other.length === 1 ? '' : 's'} from the annotation, read before targetCPUUtilizationPercentage as the API server converts an autoscaling/v1 HPA.`);
  if (typeof t === 'number') metrics.push({ metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: t }, path: joinPath(sPath, 'targetCPUUtilizationPercentage') });
  else if (metrics.length === 0 && ctx.issues.length === 0) {
    ctx.notes.push(`spec.targetCPUUtilizationPercentage is not set: CPU at ${HPA_DEFAULT_CPU_UTILIZATION} %, the default policy.`);
    metrics.push({ metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: HPA_DEFAULT_CPU_UTILIZATION }, path: sPath });
  }
  return metrics;
}

/** A key of a Go-marshalled object, matched case-insensitively as encoding/json does. */
function goField(obj: Json, name: string): unknown {
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

/**
 * spec.behavior from the BehaviorSpecsAnnotation, read by conversion.go (v1 and v2beta1) into the internal
 * HorizontalPodAutoscalerBehavior, whose fields have no json tags: `{"ScaleUp":{"StabilizationWindowSeconds":0,
 * "SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15}]},"ScaleDown":…}`, matched
 * case-insensitively. A behavior that decodes to the zero value (no ScaleUp, no ScaleDown) is ignored, as
 * upstream's `behavior != (HorizontalPodAutoscalerBehavior{})` guard ignores it. Null fields are left unset.
 */
function readBehaviorAnnotation(hpa: Json, path: string, ctx: ImportContext): { behavior: Json; path: string } | undefined {
  const annotations = isRecord(hpa.metadata) && isRecord(hpa.metadata.annotations) ? hpa.metadata.annotations : {};
  const bPath = annotationPath(path, BEHAVIOR_SPECS_ANNOTATION);
  const raw = readAnnotationJson(annotations, BEHAVIOR_SPECS_ANNOTATION, bPath, 'object', ctx) as Json | undefined;
  if (!raw) return undefined;
  const rules = (r: unknown): Json | undefined => {
    if (!isRecord(r)) return undefined;
    const out: Json = {};
    for (const [go, native] of [['StabilizationWindowSeconds', 'stabilizationWindowSeconds'], ['SelectPolicy', 'selectPolicy'], ['Tolerance', 'tolerance']] as const) {
      const v = goField(r, go);
      if (v !== undefined && v !== null) out[native] = v;
    }
    const policies = goField(r, 'Policies');
    if (Array.isArray(policies)) {
      out.policies = policies.map((p) => (isRecord(p) ? { type: goField(p, 'Type'), value: goField(p, 'Value'), periodSeconds: goField(p, 'PeriodSeconds') } : p));
    }
    return out;
  };
  const behavior: Json = {};
  const up = rules(goField(raw, 'ScaleUp'));
  const down = rules(goField(raw, 'ScaleDown'));
  if (up) behavior.scaleUp = up;
  if (down) behavior.scaleDown = down;
  if (!up && !down) {
    ctx.unsupported.push({ path: bPath, field: BEHAVIOR_SPECS_ANNOTATION, message: `the annotation ${BEHAVIOR_SPECS_ANNOTATION} sets neither ScaleUp nor ScaleDown; Kubernetes ignores it, and so does the import` });
    return undefined;
  }
  ctx.notes.push(`${bPath}: behavior from the annotation, as the API server converts an ${shown(hpa.apiVersion)} HPA.`);
  return { behavior, path: bPath };
}

// ---------------------------------------------------------------------------------------------
// Import

interface ConvertedHpa {
  ruleSet: RuleSetInput;
  /** Where each targetTracking entry came from in the manifest, for messages. */
  metricPaths: string[];
  /** Where behavior came from: spec.behavior or the behavior annotation. */
  behaviorPath: string;
}

function convertHpa(hpa: Json, path: string, ctx: ImportContext, options: HpaImportOptions): ConvertedHpa | undefined {
  const apiVersion = hpa.apiVersion;
  if (!API_VERSIONS.includes(apiVersion as ApiVersion)) {
    return fail(ctx, joinPath(path, 'apiVersion'), `apiVersion must be one of ${API_VERSIONS.join(', ')}, got ${JSON.stringify(apiVersion)}`);
  }
  const version = apiVersion as ApiVersion;
  // status and server-set metadata (uid, resourceVersion, managedFields, …) describe the live object, not the policy.
  reportUnknown(hpa, ['apiVersion', 'kind', 'metadata', 'spec', 'status'], path, 'HorizontalPodAutoscaler', ctx);
  const metadata = isRecord(hpa.metadata) ? hpa.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const spec = hpa.spec;
  const sPath = joinPath(path, 'spec');
  if (!isRecord(spec)) return fail(ctx, sPath, 'spec is required');

  const specKeys =
    version === 'autoscaling/v1'
      ? ['scaleTargetRef', 'minReplicas', 'maxReplicas', 'targetCPUUtilizationPercentage']
      : version === 'autoscaling/v2beta1'
        ? ['scaleTargetRef', 'minReplicas', 'maxReplicas', 'metrics']
        : ['scaleTargetRef', 'minReplicas', 'maxReplicas', 'metrics', 'behavior'];
  reportUnknown(spec, specKeys, sPath, 'spec', ctx);

  // validation.go, as the API server runs it on create (hpa-validation.ts). v1 and v2beta1 are converted
  // before validation upstream; their metric fields are checked as they are read, their types here.
  const validation = validateHpaSpec(
    spec,
    version === 'autoscaling/v1' || version === 'autoscaling/v2beta1'
      ? { metricTypes: version === 'autoscaling/v1' ? v1MetricTypes(hpa) : Array.isArray(spec.metrics) ? spec.metrics.map((m) => (isRecord(m) ? m.type : undefined)) : [] }
      : {},
  );
  for (const e of validation.errors) ctx.issues.push({ code: 'ImportError', path: joinPath(path, e.path), message: e.message });
  if (ctx.issues.length > 0) return undefined;
  ctx.notes.push(...validation.notes);
  const ref = spec.scaleTargetRef as Json;
  const rPath = joinPath(sPath, 'scaleTargetRef');
  reportUnknown(ref, ['apiVersion', 'kind', 'name'], rPath, 'scaleTargetRef', ctx);

  const maxReplicas = spec.maxReplicas as number;
  let minReplicas = spec.minReplicas;
  if (minReplicas === undefined || minReplicas === null) {
    minReplicas = HPA_DEFAULT_MIN_REPLICAS;
    ctx.notes.push(`spec.minReplicas is not set: ${HPA_DEFAULT_MIN_REPLICAS}, as the API server defaults it.`);
  }
  if (typeof minReplicas !== 'number') return fail(ctx, joinPath(sPath, 'minReplicas'), 'minReplicas must be a whole number');
  if (minReplicas === 0) ctx.notes.push('spec.minReplicas 0: accepted as a cluster with the HPAScaleToZero feature gate (alpha) accepts it, with an Object or External metric.');

  const metrics: ConvertedMetric[] = [];
  if (version === 'autoscaling/v1') {
    const v1 = readV1Metrics(hpa, spec, path, ctx);
    if (!v1) return undefined;
    metrics.push(...v1);
  } else {
    const list = spec.metrics;
    const mPath = joinPath(sPath, 'metrics');
    if (list !== undefined && list !== null && !Array.isArray(list)) return fail(ctx, mPath, 'expected metrics as an array');
    if (!Array.isArray(list) || list.length === 0) {
      // defaults.go: no metrics → CPU at DefaultCPUUtilization.
      ctx.notes.push(`spec.metrics is empty: CPU at ${HPA_DEFAULT_CPU_UTILIZATION} % utilization, as the API server defaults it.`);
      metrics.push({ metric: 'cpu', source: 'Resource', target: { type: 'Utilization', averageUtilization: HPA_DEFAULT_CPU_UTILIZATION }, path: mPath });
    } else {
      list.forEach((raw, i) => {
        const m = version === 'autoscaling/v2beta1' ? readMetricV2beta1(raw, `${mPath}[${i}]`, `spec.metrics[${i}]`, ctx) : readMetricV2(raw, `${mPath}[${i}]`, ctx);
        if (m) metrics.push(m);
      });
    }
  }
  if (ctx.issues.length > 0) return undefined;

  // Two metrics of one name (say Pods and External "requests") would share one series: the later ones get "#2", "#3".
  const usedMetrics = new Set<string>();
  const usedIds = new Set<string>();
  const targetTracking: TargetTrackingInput[] = metrics.map((m) => {
    const metric = uniqueId(m.metric, usedMetrics, '#');
    if (metric !== m.metric) ctx.notes.push(`${m.path}: a second metric named "${m.metric}" is read as "${metric}".`);
    ctx.notes.push(`Metric "${metric}" (${m.source}, target ${m.target.type}): send ${whatToSend(m)} as metrics[${JSON.stringify(metric)}].`);
    return { id: uniqueId(`${m.source.toLowerCase()}-${slug(metric, 'metric')}`, usedIds), metric, source: m.source, target: m.target };
  });

  let behavior = spec.behavior;
  let behaviorPath = joinPath(sPath, 'behavior');
  if (behavior !== undefined && behavior !== null && !isRecord(behavior)) return fail(ctx, behaviorPath, 'expected behavior as an object');
  // v1 and v2beta1 have no spec.behavior; conversion.go reads it from the annotation (v2 and v2beta2 drop it).
  if (version === 'autoscaling/v1' || version === 'autoscaling/v2beta1') {
    const fromAnnotation = readBehaviorAnnotation(hpa, path, ctx);
    if (fromAnnotation) ({ behavior, path: behaviorPath } = fromAnnotation);
    // The API server validates the behavior conversion.go decoded, as it validates spec.behavior.
    if (fromAnnotation) for (const e of validateBehaviorOnly(fromAnnotation.behavior)) ctx.issues.push({ code: 'ImportError', path: behaviorPath, message: e.message });
    if (ctx.issues.length > 0) return undefined;
  }
  if (!isRecord(behavior)) ctx.notes.push('No behavior: the HPA without behavior (highest recommendation of the last 300 s, at most max(2 × current, 4) per step), as edgescale does without it.');

  const targetLabels: Record<string, string> = {
    ...(namespace !== undefined && { namespace }),
    ...(typeof ref.apiVersion === 'string' && { apiVersion: ref.apiVersion }),
  };
  const ruleSet: RuleSetInput = {
    id: options.id ?? toId(name ?? '', 'hpa'),
    ...(name !== undefined && { description: `Imported from the HorizontalPodAutoscaler ${JSON.stringify(name)}` }),
    capacity: { minimum: minReplicas, maximum: maxReplicas, default: minReplicas },
    rules: [],
    targetTracking,
    ...(isRecord(behavior) && { behavior: behavior as RuleSetInput['behavior'] }),
    // The HPA does not scale on missing metrics (and never scales down on partial data); it has no
    // default capacity to go to.
    missingData: { policy: 'hold' },
    targets: [{ id: `${ref.kind}/${ref.name}`, ...(Object.keys(targetLabels).length > 0 && { labels: targetLabels }) }],
  };
  return { ruleSet, metricPaths: metrics.map((m) => m.path), behaviorPath };
}

/** A scalar as it reads in a message; never String() of an object, whose own `toString` may be anything (fuzzing found `{ "toString": "" }`). */
function shown(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v === null ? '(null)' : Array.isArray(v) ? '(an array)' : `(${typeof v === 'object' ? 'an object' : typeof v})`;
}

/**
 * Convert a HorizontalPodAutoscaler manifest into a native rule set. Pure. `input` is YAML or JSON
 * text (several documents allowed: the HorizontalPodAutoscaler is taken, other kinds are reported), a
 * parsed object, an array of objects, or a List (`kubectl get hpa -o yaml`). With several
 * HorizontalPodAutoscalers, `options.name` chooses one.
 */
export function importHpaManifest(input: string | object, options: HpaImportOptions = {}): ImportResult {
  const ctx = newContext();
  const docs = documents(input, ctx);
  if (!docs) return { ok: false, issues: ctx.issues };
  const doc = chooseDocument(docs, 'HorizontalPodAutoscaler', options.name, ctx);
  if (!doc) return { ok: false, issues: ctx.issues };
  const converted = convertHpa(doc.value, doc.path, ctx, options);
  if (!converted || ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  const { ruleSet, metricPaths, behaviorPath } = converted;
  const compiled = validateConverted(ruleSet, ctx, (nativePath) => {
    const tm = /^targetTracking\[(\d+)\]/.exec(nativePath);
    if (tm) return metricPaths[Number(tm[1])] ?? joinPath(doc.path, 'spec');
    if (nativePath.startsWith('behavior')) return `${behaviorPath}${nativePath.slice('behavior'.length)}`;
    if (nativePath.startsWith('targets')) return joinPath(joinPath(doc.path, 'spec'), 'scaleTargetRef');
    return joinPath(doc.path, 'spec');
  });
  if (!compiled || ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  return { ok: true, ruleSet, compiled, unsupported: ctx.unsupported, notes: [...new Set(ctx.notes)] };
}

/** For the API and CLI: `ruleSet` given as `{ "azure": {...} }` or `{ "hpa": "..." }`. */
export function importAny(format: 'azure' | 'hpa' | 'aws' | 'knative', input: unknown, options: HpaImportOptions & KnativeImportOptions = {}): ImportResult {
  if (format === 'azure') return importAzureAutoscale(input, options);
  if (format === 'aws') return importAwsAutoscaling(input, options);
  if (format === 'knative') return importKnativeService(input, options);
  if (typeof input !== 'string' && (typeof input !== 'object' || input === null)) {
    return { ok: false, issues: [{ code: 'ImportError', path: '', message: 'expected a HorizontalPodAutoscaler manifest as YAML or JSON text, or as an object' }] };
  }
  return importHpaManifest(input, options);
}

// ---------------------------------------------------------------------------------------------
// Export

interface HpaManifest {
  apiVersion: 'autoscaling/v2';
  kind: 'HorizontalPodAutoscaler';
  metadata: { name: string; namespace?: string };
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
    metrics: Json[];
    behavior?: Json;
  };
}

export type ExportHpaResult =
  | { ok: true; manifest: HpaManifest; yaml: string; unsupported: UnsupportedField[] }
  | { ok: false; issues: Array<{ code: string; message: string; path: string }> };

/** Source a target tracking rule without one is read as (docs/hpa.md: Resource for Utilization, Pods for AverageValue, External for Value). */
const DEFAULT_SOURCE: Record<TargetType, Source> = { Utilization: 'Resource', AverageValue: 'Pods', Value: 'External' };

/**
 * Write a native rule set's target tracking as an autoscaling/v2 HorizontalPodAutoscaler (object and
 * YAML). What an HPA cannot express (Azure rules, profiles, step scaling, Object metrics whose object
 * is unknown, …) is listed in `unsupported`.
 */
export function exportHpaManifest(nativeRuleSet: unknown): ExportHpaResult {
  const loaded = loadRuleSet(nativeRuleSet);
  if (!loaded.ok) return { ok: false, issues: loaded.issues };
  const spec = loaded.ruleSet.spec;
  const unsupported: UnsupportedField[] = [];
  const drop = (path: string, field: string, message: string) => unsupported.push({ path, field, message });

  if (spec.rules.length > 0) drop('rules', 'rules', 'Azure-style rules have no HPA equivalent');
  if (spec.profiles?.length) drop('profiles', 'profiles', 'scheduled profiles have no HPA equivalent');
  if (spec.stepScaling?.length) drop('stepScaling', 'stepScaling', 'step scaling has no HPA equivalent');
  if (spec.simpleScaling) drop('simpleScaling', 'simpleScaling', 'simple scaling has no HPA equivalent');
  if (spec.scaleToZero) drop('scaleToZero', 'scaleToZero', 'activation has no HPA equivalent (KEDA adds it)');
  if (spec.placement) drop('placement', 'placement', 'placement has no HPA equivalent');
  if (spec.predictive) drop('predictive', 'predictive', 'predictive scaling has no HPA equivalent');
  if (spec.hpaController) drop('hpaController', 'hpaController', 'tolerance, cpu initialization period and initial readiness delay are kube-controller-manager flags, and the scale-up limit constants of horizontal.go; none is an HPA field');
  if (spec.capacity.default !== spec.capacity.minimum) drop('capacity.default', 'default', 'an HPA has no default capacity');
  if (spec.missingData && spec.missingData.policy === 'fallback') drop('missingData', 'missingData', 'an HPA has no fallback capacity');

  const target = spec.targets?.[0];
  const slash = target?.id.indexOf('/') ?? -1;
  let kind = 'Deployment';
  let name = spec.id;
  if (target && slash > 0) {
    kind = target.id.slice(0, slash);
    name = target.id.slice(slash + 1);
  } else drop('targets', 'targets', `no target "<kind>/<name>"; scaleTargetRef is Deployment/${spec.id}`);
  if ((spec.targets?.length ?? 0) > 1) drop('targets', 'targets', 'an HPA scales one target; only the first is written');

  const metrics: Json[] = [];
  (spec.targetTracking ?? []).forEach((r, i) => {
    const at = `targetTracking[${i}]`;
    if (r.disableScaleIn) drop(`${at}.disableScaleIn`, 'disableScaleIn', `rule "${r.id}": an HPA metric cannot be barred from scaling in`);
    if (r.window !== 'PT1M') drop(`${at}.window`, 'window', `rule "${r.id}": the HPA reads the latest metrics; the window ${r.window} is not expressible`);
    const source = r.source ?? DEFAULT_SOURCE[r.target.type];
    const target = { ...r.target };
    switch (source) {
      case 'Resource':
        metrics.push({ type: 'Resource', resource: { name: r.metric, target } });
        break;
      case 'ContainerResource': {
        const at2 = r.metric.lastIndexOf('@');
        metrics.push({ type: 'ContainerResource', containerResource: { name: r.metric.slice(0, Math.max(0, at2)), container: r.metric.slice(at2 + 1), target } });
        break;
      }
      case 'Pods':
        metrics.push({ type: 'Pods', pods: { metric: { name: r.metric }, target } });
        break;
      case 'External':
        metrics.push({ type: 'External', external: { metric: { name: r.metric }, target } });
        break;
      case 'Object':
        drop(at, 'describedObject', `rule "${r.id}": an Object metric needs the object it describes, which the rule set does not record; left out`);
        break;
    }
  });

  const described = spec.description !== undefined ? /^Imported from the HorizontalPodAutoscaler ("(?:[^"\\]|\\.)*")$/.exec(spec.description) : null;
  const namespace = target?.labels?.namespace;
  const apiVersion = target?.labels?.apiVersion;
  const manifest: HpaManifest = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: described ? (JSON.parse(described[1]!) as string) : spec.id, ...(namespace !== undefined && { namespace }) },
    spec: {
      scaleTargetRef: { ...(apiVersion !== undefined && { apiVersion }), kind, name },
      minReplicas: spec.capacity.minimum,
      maxReplicas: spec.capacity.maximum,
      metrics,
      ...(spec.behavior && { behavior: spec.behavior as Json }),
    },
  };
  return { ok: true, manifest, yaml: stringify(manifest), unsupported };
}
