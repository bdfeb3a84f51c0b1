// Rule sets in a foreign format (Azure autoscale setting, Kubernetes HPA, KEDA ScaledObject, AWS Auto Scaling, Knative Service): recognised, imported to native, with what the import left out.
//
// Shared by every place a rule set is accepted: an inline `ruleSet` of POST /v1/evaluate, the body
// of POST /v1/validate, a bundled file in rules/ and a file given to the CLI. The importers
// themselves live in azure/ (read, import, export), aws/ (read, schedule, import), hpa-manifest.ts, keda/ and knative/; their mapping is docs/importing.md.
import { zodIssues, type CompiledRuleSet } from '../engine/ruleset.js';
import type { ImportReport, Issue } from '../schemas/decision.js';
import { AwsRuleSet, AzureRuleSet, HpaRuleSet, KedaRuleSet, KnativeRuleSet, type RuleSetInput } from '../schema.js';
import { looksLikeAws } from './aws/read.js';
import { looksKnative } from './knative/read.js';
import { importAny } from './hpa-manifest.js';
import { readDeploymentParameters } from './azure/deployment-parameters.js';
import { holdsAutoscaleSetting } from './azure/template-resources.js';
import type { ImportOptions } from './import-context.js';
import { importKeda } from './keda/import.js';
import { prefixPath } from './metrics.js';
import { isRecord } from '../util/is-record.js';

const FOREIGN_FORMATS = ['azure', 'hpa', 'keda', 'aws', 'knative'] as const;
export type ForeignFormat = (typeof FOREIGN_FORMATS)[number];

/** `compiled` is the imported rule set already loaded by the importer: use it, do not load it again. */
export type ForeignResult = { ok: true; ruleSet: RuleSetInput; compiled: CompiledRuleSet; imported: ImportReport } | { ok: false; issues: Issue[] };

/** The wrapped form: `{ "azure": <setting> }`, `{ "hpa": … }`, `{ "keda": … }`, `{ "aws": <template or describe output> }` or `{ "knative": <Service text or object> }`, with an optional `id`, `name` (which of several), `parameters` (azure) and `config` (knative). */
export interface ForeignWrapper {
  format: ForeignFormat;
  /** Path of the wrapped input inside the wrapper ("azure", "hpa" or "knative"). */
  key: ForeignFormat;
  input: unknown;
  options: { id?: string; name?: string; config?: Record<string, unknown> };
  /** azure: the deployment parameters as given (checked against the template by importWrapped). */
  parameters?: unknown;
}

/**
 * The wrapper, when `value` is one. A native rule set can never be mistaken for one: the native
 * schema is strict and has neither an `azure` nor an `hpa` field.
 */
export function unwrapForeign(value: unknown): ForeignWrapper | undefined {
  if (!isRecord(value)) return undefined;
  const format = FOREIGN_FORMATS.find((f) => f in value);
  if (!format) return undefined;
  const options: ForeignWrapper['options'] = {};
  if (typeof value.id === 'string') options.id = value.id;
  if (typeof value.name === 'string') options.name = value.name;
  if (format === 'knative' && isRecord(value.config)) options.config = value.config;
  return { format, key: format, input: value[format], options, ...(format === 'azure' && value.parameters !== undefined && { parameters: value.parameters }) };
}

/**
 * Import a foreign rule set. Paths of problems are prefixed with `prefix` (where the input sits in
 * the request or file), so they point at the field the user wrote. The importers load what they
 * produce, so an ok result comes with its compiled rule set.
 */
export function importForeign(format: ForeignFormat, input: unknown, options: ImportOptions, prefix: string): ForeignResult {
  const result = format === 'keda' ? importKeda(input, options) : importAny(format, input, options);
  if (!result.ok) return { ok: false, issues: result.issues.map((i) => ({ code: 'ImportError', message: i.message, path: prefixPath(prefix, i.path), ...(i.reason !== undefined && { reason: i.reason }) })) };
  return { ok: true, ruleSet: result.ruleSet, compiled: result.compiled, imported: { format, unsupported: result.unsupported.map((u) => ({ ...u, path: prefixPath(prefix, u.path) })), notes: result.notes } };
}

/**
 * A rule set in the wrapped form, checked against its schema and imported; undefined when `value` is
 * not a wrapper (a bundled id or a native rule set). `prefix` is where the wrapper sits.
 */
export function importWrapped(value: unknown, prefix: string): ForeignResult | undefined {
  const wrapper = unwrapForeign(value);
  if (!wrapper) return undefined;
  const shape = { azure: AzureRuleSet, hpa: HpaRuleSet, keda: KedaRuleSet, aws: AwsRuleSet, knative: KnativeRuleSet }[wrapper.format].safeParse(value);
  if (!shape.success) return { ok: false, issues: zodIssues(shape.error, prefix) };
  let options: ImportOptions = wrapper.options;
  if (wrapper.parameters !== undefined) {
    const read = readDeploymentParameters(wrapper.parameters, wrapper.input);
    if (!read.ok) return { ok: false, issues: read.issues.map((i) => ({ code: 'ImportError', message: i.message, path: prefixPath(prefixPath(prefix, 'parameters'), i.path) })) };
    options = { ...options, parameters: read.values };
  }
  return importForeign(wrapper.format, wrapper.input, options, prefixPath(prefix, wrapper.key));
}

const AZURE_TYPE = 'microsoft.insights/autoscalesettings';
/** ARM compares resource types without regard to case. */
const isAzureResource = (v: unknown) => isRecord(v) && typeof v.type === 'string' && v.type.toLowerCase() === AZURE_TYPE;
const isHpa = (v: unknown) => isRecord(v) && v.kind === 'HorizontalPodAutoscaler';
const isKeda = (v: unknown) => isRecord(v) && v.kind === 'ScaledObject';
/** A YAML `kind:` line (top level, or an item of a list) naming `kind`. */
const yamlKind = (text: string, kind: string) => new RegExp(`^[ \\t-]*kind:[ \\t]*["']?${kind}["']?[ \\t]*(#.*)?$`, 'm').test(text);

/**
 * Which format a file holds. AWS first: a `.aws.json`/`.aws.yaml` file, CloudFormation with scaling
 * resources or describe-* output (aws/read.ts `looksLikeAws`), a YAML template by its top-level keys.
 * A `.knative.yaml` file, or YAML or JSON whose apiVersion is serving.knative.dev, is a Knative Service.
 * Other YAML files are HPA manifests, or KEDA ScaledObjects when a `kind: ScaledObject` line is there
 * and no HorizontalPodAutoscaler (native rule sets and Azure settings are JSON). In JSON: a
 * ScaledObject (or a List or array of them, without an HPA) is keda; a HorizontalPodAutoscaler (or a
 * List or array of them) is hpa; an
 * ARM autoscale resource or a template holding one, or `az monitor autoscale show` output (top-level
 * `profiles` and `targetResourceUri`/`enabled`, no native top-level `capacity`) or the portal's JSON view
 * (`{ properties: { profiles } }`) is azure; anything
 * else is read as native, whose own validation then says what is wrong. `parsed` is the JSON value
 * when the text parsed, undefined otherwise.
 */
export function detectFormat(file: string, parsed: unknown, text?: string): ForeignFormat | 'native' {
  if (/\.aws\.(json|ya?ml)$/i.test(file) || looksLikeAws(parsed)) return 'aws';
  if (/\.knative\.ya?ml$/i.test(file)) return 'knative';
  // YAML: a CloudFormation template by its top-level keys (Resources, AWSTemplateFormatVersion); a
  // Knative Service by its apiVersion; a KEDA ScaledObject when the text (the bundle's `parsed`, or
  // `text`) has one and no HPA.
  const yaml = typeof parsed === 'string' ? parsed : text;
  if (/\.ya?ml$/i.test(file) && yaml !== undefined && /^(AWSTemplateFormatVersion|Resources)\s*:/m.test(yaml)) return 'aws';
  if (/\.ya?ml$/i.test(file) && yaml !== undefined && /^\s*apiVersion:\s*["']?serving\.knative\.dev\//m.test(yaml)) return 'knative';
  if (/\.ya?ml$/i.test(file)) return yaml !== undefined && yamlKind(yaml, 'ScaledObject') && !yamlKind(yaml, 'HorizontalPodAutoscaler') ? 'keda' : 'hpa';
  if (looksKnative(parsed)) return 'knative';
  if (isKeda(parsed) || (Array.isArray(parsed) && parsed.some(isKeda) && !parsed.some(isHpa))) return 'keda';
  if (isRecord(parsed) && Array.isArray(parsed.items) && parsed.items.some(isKeda) && !parsed.items.some(isHpa)) return 'keda';
  if (isHpa(parsed)) return 'hpa';
  if (Array.isArray(parsed) && parsed.some(isHpa)) return 'hpa';
  if (isRecord(parsed) && parsed.kind === 'List' && Array.isArray(parsed.items) && parsed.items.some(isHpa)) return 'hpa';
  if (isAzureResource(parsed)) return 'azure';
  if (holdsAutoscaleSetting(parsed)) return 'azure'; // a template, its nested deployments and languageVersion 2.0 included
  if (isRecord(parsed) && Array.isArray(parsed.profiles) && !('capacity' in parsed) && ('targetResourceUri' in parsed || 'enabled' in parsed)) return 'azure';
  // The portal's JSON view of a setting: { "properties": { "profiles": … } }, with or without name and location.
  if (isRecord(parsed) && isRecord(parsed.properties) && Array.isArray(parsed.properties.profiles) && !('capacity' in parsed)) return 'azure';
  return 'native';
}
