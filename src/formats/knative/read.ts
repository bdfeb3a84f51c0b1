// Reading a Knative manifest: the Service (or Configuration) to import, its revision template's autoscaling annotations, and a config-autoscaler ConfigMap beside it.
//
// Sources (knative/serving, commit 98e5ef90aa7033797aa0a61ef97f3ff7e49a3944):
// - pkg/apis/serving/v1/service_types.go, configuration_types.go: spec.template (a RevisionTemplateSpec:
//   metadata.annotations, spec.containerConcurrency);
// - pkg/autoscaler/config/config.go: ConfigName "config-autoscaler", its data keys (NewConfigFromMap).
import { documents, type Doc } from '../hpa-manifest.js';
import { joinPath, type ImportContext } from '../import-context.js';
import { isRecord } from '../../util/is-record.js';

type Json = Record<string, unknown>;

/** The kinds whose spec.template is a revision template. */
const TEMPLATE_KINDS = ['Service', 'Configuration'] as const;
const SERVING_GROUP = 'serving.knative.dev/';
/** config.go ConfigName. */
export const CONFIG_AUTOSCALER = 'config-autoscaler';

export interface KnativeSource {
  kind: string;
  name: string;
  namespace?: string;
  /** Where the object is in the input ("" or "documents[1]"). */
  path: string;
  /** spec.template.metadata.annotations, values as written (non-strings are refused by the importer). */
  annotations: Json;
  annotationsPath: string;
  containerConcurrency?: unknown;
  containerConcurrencyPath: string;
  /** config-autoscaler data (from a ConfigMap in the input, or given by the caller), and where it is. */
  config: Json;
  configPath: string;
}

const fail = (ctx: ImportContext, path: string, message: string): undefined => {
  ctx.issues.push({ code: 'ImportError', path, message });
  return undefined;
};

const nameOf = (v: Json) => (isRecord(v.metadata) && typeof v.metadata.name === 'string' ? v.metadata.name : '');
const isTemplated = (v: unknown): v is Json =>
  isRecord(v) && typeof v.apiVersion === 'string' && v.apiVersion.startsWith(SERVING_GROUP) && (TEMPLATE_KINDS as readonly unknown[]).includes(v.kind);
const isConfigAutoscaler = (v: unknown): v is Json => isRecord(v) && v.kind === 'ConfigMap' && nameOf(v) === CONFIG_AUTOSCALER;

/** Whether a parsed value is (or holds) a Knative Service or Configuration: for format detection. */
export function looksKnative(v: unknown): boolean {
  if (isTemplated(v)) return true;
  if (Array.isArray(v)) return v.some(isTemplated);
  return isRecord(v) && Array.isArray(v.items) && v.items.some(isTemplated);
}

/**
 * The one Service or Configuration of the input (`name` chooses among several) with its template's
 * annotations, and the config-autoscaler data: `config` from the caller wins over a ConfigMap in the input.
 */
export function readKnative(input: unknown, options: { name?: string; config?: Json }, ctx: ImportContext): KnativeSource | undefined {
  const docs = documents(input, ctx);
  if (!docs) return undefined;
  const objects: Array<Doc & { value: Json }> = [];
  let configDoc: (Doc & { value: Json }) | undefined;
  for (const d of docs) {
    if (d.value === null || d.value === undefined) continue;
    if (isTemplated(d.value)) objects.push(d as Doc & { value: Json });
    else if (isConfigAutoscaler(d.value)) configDoc = d as Doc & { value: Json };
    else {
      const kind = isRecord(d.value) && typeof d.value.kind === 'string' ? d.value.kind : '(no kind)';
      ctx.unsupported.push({
        path: joinPath(d.path, 'kind'),
        field: 'kind',
        message: `${kind} is not a Knative Service or Configuration (serving.knative.dev) nor the ${CONFIG_AUTOSCALER} ConfigMap and is left out`,
      });
    }
  }
  const chosen = options.name === undefined ? objects : objects.filter((d) => nameOf(d.value) === options.name);
  if (chosen.length === 0) {
    return fail(
      ctx,
      '',
      options.name !== undefined
        ? `no Knative Service or Configuration named "${options.name}"`
        : 'no Knative Service or Configuration (apiVersion serving.knative.dev/…) in the input',
    );
  }
  if (chosen.length > 1) return fail(ctx, '', `${chosen.length} Knative Services or Configurations (${chosen.map((d) => nameOf(d.value)).join(', ')}): choose one by name`);
  const doc = chosen[0]!;
  for (const other of objects) {
    if (other !== doc)
      ctx.unsupported.push({
        path: joinPath(other.path, 'metadata.name'),
        field: 'metadata.name',
        message: `${String(other.value.kind)} ${nameOf(other.value)} is not the one chosen and is left out`,
      });
  }
  const v = doc.value;
  const spec = isRecord(v.spec) ? v.spec : {};
  const template = isRecord(spec.template) ? spec.template : {};
  const tmeta = isRecord(template.metadata) ? template.metadata : {};
  const tspec = isRecord(template.spec) ? template.spec : {};
  const templatePath = joinPath(joinPath(doc.path, 'spec'), 'template');
  const annotationsPath = joinPath(joinPath(templatePath, 'metadata'), 'annotations');
  if (tmeta.annotations !== undefined && !isRecord(tmeta.annotations)) return fail(ctx, annotationsPath, 'annotations must be a map of strings');
  // Knative reads the autoscaling annotations of the revision (its template); on the Service's own
  // metadata they do not reach the autoscaler, so they are reported rather than silently used.
  const own = isRecord(v.metadata) && isRecord(v.metadata.annotations) ? v.metadata.annotations : {};
  for (const key of Object.keys(own)) {
    if (key.startsWith('autoscaling.knative.dev/')) {
      ctx.unsupported.push({
        path: `${joinPath(joinPath(doc.path, 'metadata'), 'annotations')}[${JSON.stringify(key)}]`,
        field: key,
        message: `${key} on the ${String(v.kind)}'s own metadata is not read: autoscaling annotations go on spec.template.metadata.annotations (the revision)`,
      });
    }
  }
  let config: Json = {};
  let configPath = '';
  if (configDoc) {
    if (configDoc.value.data !== undefined && !isRecord(configDoc.value.data)) return fail(ctx, joinPath(configDoc.path, 'data'), 'data must be a map of strings');
    config = isRecord(configDoc.value.data) ? configDoc.value.data : {};
    configPath = joinPath(configDoc.path, 'data');
  }
  if (options.config !== undefined) {
    config = options.config;
    configPath = 'config';
  }
  const namespace = isRecord(v.metadata) && typeof v.metadata.namespace === 'string' ? v.metadata.namespace : undefined;
  return {
    kind: String(v.kind),
    name: nameOf(v),
    ...(namespace !== undefined && { namespace }),
    path: doc.path,
    annotations: isRecord(tmeta.annotations) ? tmeta.annotations : {},
    annotationsPath,
    ...(tspec.containerConcurrency !== undefined && { containerConcurrency: tspec.containerConcurrency }),
    containerConcurrencyPath: joinPath(joinPath(templatePath, 'spec'), 'containerConcurrency'),
    config,
    configPath,
  };
}
