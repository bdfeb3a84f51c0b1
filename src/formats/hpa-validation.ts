// The API server's validation of an autoscaling/v2 HorizontalPodAutoscaler spec, ported rule for rule, with Kubernetes' field paths and messages.
//
// Source: kubernetes/kubernetes pkg/apis/autoscaling/validation/validation.go (read at jpbetz/kubernetes
// 84d89e453ca553e172bfa807afea96b7e908c0b7, which carries kubernetes#132537, the apiVersion checks of
// Kubernetes 1.34): validateHorizontalPodAutoscalerSpec, ValidateCrossVersionObjectReference,
// ValidateAPIVersion, validateMetrics, validateMetricSpec, validate{Object,External,Pods,Resource,
// ContainerResource}Source, validateMetricTarget, validateMetricIdentifier, validateBehavior,
// validateScalingRules, validateScalingPolicy; the create options of
// pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go (validationOptionsForHorizontalPodAutoscaler);
// apimachinery pkg/api/validation/path IsValidPathSegmentName; pkg/apis/core/v1/validation
// ValidateContainerResourceName; apimachinery pkg/util/validation IsDNS1123Label and IsQualifiedName;
// apimachinery pkg/util/validation/field (Error.Error: "<path>: <type>: <detail>").
//
// Choices where Kubernetes answers differently by situation (docs/importing.md, "HPA validation"):
// - minReplicas 0 is validated as with the HPAScaleToZero feature gate on (lower bound 0, and then an
//   Object or External metric is required): edgescale can scale to zero, and a manifest with
//   minReplicas 0 is written for a cluster with the gate on.
// - an empty API group in scaleTargetRef.apiVersion (none given, or "v1" for a Deployment) is refused
//   on create since 1.34 but kept on update of an object stored before (the strategy skips the check
//   when apiVersion and kind are unchanged); `kubectl get hpa -o yaml` prints such objects, so the
//   import accepts them with a note. An apiVersion that does not parse is refused.
import { parseQuantity } from '../syntax/quantity.js';
import { isRecord } from '../util/is-record.js';

type Json = Record<string, unknown>;

/** One field.Error: where (Kubernetes' field path, from "spec") and its text as field.Error.Error() prints it. */
export interface FieldError {
  path: string;
  message: string;
}

/** What validation found: errors (the API server refuses the object) and notes (accepted, with a remark). */
export interface HpaValidation {
  errors: FieldError[];
  notes: string[];
}

/** validation.go MaxPeriodSeconds. */
const MAX_PERIOD_SECONDS = 1800;
/** validation.go MaxStabilizationWindowSeconds. */
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
/** The MetricSpec field of each metric source type, in the order validateMetricSpec checks them; the importer reads the same map. */
export const METRIC_SOURCE_FIELDS = { Object: 'object', External: 'external', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource' } as const;
const SOURCE_FIELDS = Object.entries(METRIC_SOURCE_FIELDS);
/** The metric source types, sorted as sets.List() prints them in "supported values". */
const METRIC_SOURCE_TYPES = Object.keys(METRIC_SOURCE_FIELDS).sort();

const present = (v: unknown): boolean => v !== undefined && v !== null;
const join = (base: string, key: string | number): string => (typeof key === 'number' ? `${base}[${key}]` : base === '' ? key : `${base}.${key}`);

/** field.Error bodies. Values print as Go's %q for strings and %v for numbers. */
function shownValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v === null || v === undefined ? 'null' : (JSON.stringify(v) ?? String(v));
}
const required = (path: string, detail: string): FieldError => ({ path, message: `${path}: Required value${detail === '' ? '' : `: ${detail}`}` });
const invalid = (path: string, value: unknown, detail: string): FieldError => ({ path, message: `${path}: Invalid value: ${shownValue(value)}: ${detail}` });
const forbidden = (path: string, detail: string): FieldError => ({ path, message: `${path}: Forbidden: ${detail}` });
const notSupported = (path: string, value: unknown, supported: readonly string[]): FieldError => ({
  path,
  message: `${path}: Unsupported value: ${shownValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});

/** apimachinery path.IsValidPathSegmentName: names that go into a URL path segment. */
function pathSegmentNameErrors(name: string): string[] {
  for (const illegal of ['.', '..']) if (name === illegal) return [`may not be '${illegal}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** apimachinery validation.IsDNS1123Label. */
function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value)) {
    errs.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return errs;
}

/** apimachinery validation.IsQualifiedName: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  let name = value;
  const errs: string[] = [];
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    name = rest;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
      errs.push("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) {
    errs.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  }
  return errs;
}

/**
 * core/v1/validation ValidateContainerResourceName: a qualified name; without a "/" one of the standard
 * container resources (cpu, memory, ephemeral-storage, hugepages-*), with one an extended resource
 * (helper.IsExtendedResourceName) unless it is native (kubernetes.io/ prefixed).
 */
function containerResourceNameErrors(name: string, path: string): FieldError[] {
  const errs = qualifiedNameErrors(name).map((m) => invalid(path, name, m));
  if (!name.includes('/')) {
    if (!['cpu', 'memory', 'ephemeral-storage'].includes(name) && !name.startsWith('hugepages-'))
      errs.push(invalid(path, name, 'must be a standard resource type or fully qualified'));
  } else if (!name.includes('kubernetes.io/')) {
    const extended = !name.startsWith('requests.') && qualifiedNameErrors(`requests.${name}`).length === 0;
    if (!extended) errs.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** ValidateAPIVersion: schema.ParseGroupVersion fails ("parse") on more than one "/"; an empty API group is "empty-group". */
function apiVersionProblem(apiVersion: string): 'parse' | 'empty-group' | undefined {
  if (apiVersion === '' || apiVersion === '/') return 'empty-group';
  const parts = apiVersion.split('/');
  if (parts.length === 1) return 'empty-group'; // "v1": the core group
  if (parts.length === 2) return parts[0] === '' ? 'empty-group' : undefined;
  return 'parse';
}

/** ValidateCrossVersionObjectReference: kind and name required and path segment names; apiVersion parsed (and, for scaleTargetRef, a group). */
function validateReference(ref: unknown, path: string, scaleTarget: boolean, out: HpaValidation): void {
  const r = isRecord(ref) ? ref : {};
  for (const key of ['kind', 'name'] as const) {
    const v = r[key];
    const p = join(path, key);
    if (!present(v) || v === '') out.errors.push(required(p, ''));
    else if (typeof v !== 'string') out.errors.push(invalid(p, v, 'must be a string'));
    else for (const msg of pathSegmentNameErrors(v)) out.errors.push(invalid(p, v, msg));
  }
  const apiVersion = r.apiVersion;
  const p = join(path, 'apiVersion');
  if (present(apiVersion) && typeof apiVersion !== 'string') {
    out.errors.push(invalid(p, apiVersion, 'must be a string'));
    return;
  }
  const problem = apiVersionProblem(typeof apiVersion === 'string' ? apiVersion : '');
  if (problem === 'parse') out.errors.push(invalid(p, apiVersion, `unexpected GroupVersion string: ${String(apiVersion)}`));
  // strategy.go: ReplicationController may have an empty group; describedObject always may.
  else if (problem === 'empty-group' && scaleTarget && r.kind !== 'ReplicationController') {
    out.notes.push(
      `${p}: ${present(apiVersion) ? JSON.stringify(apiVersion) : 'not set'}, without an API group: Kubernetes 1.34+ refuses this when the HPA is created ("apiVersion must specify API group") but keeps HPAs stored before; accepted, it names only the target.`,
    );
  }
}

/** validateMetricTarget. */
function validateTarget(target: unknown, path: string, out: HpaValidation): void {
  const t = isRecord(target) ? target : {};
  const type = t.type;
  if (!present(type) || type === '') out.errors.push(required(join(path, 'type'), 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue')
    out.errors.push(invalid(join(path, 'type'), type ?? '', 'must be either Utilization, Value, or AverageValue'));
  for (const key of ['value', 'averageValue'] as const) {
    const v = t[key];
    if (!present(v)) continue;
    const q = typeof v === 'number' || typeof v === 'string' ? parseQuantity(v) : undefined;
    if (!q) out.errors.push(invalid(join(path, key), v, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
    else if (q.unscaled <= 0n) out.errors.push(invalid(join(path, key), v, 'must be positive'));
  }
  const u = t.averageUtilization;
  if (present(u)) {
    if (typeof u !== 'number' || !Number.isInteger(u)) out.errors.push(invalid(join(path, 'averageUtilization'), u, 'must be a whole number'));
    else if (u < 1) out.errors.push(invalid(join(path, 'averageUtilization'), u, 'must be greater than 0'));
  }
}

/** validateMetricIdentifier. */
function validateIdentifier(id: unknown, path: string, out: HpaValidation): void {
  const name = isRecord(id) ? id.name : undefined;
  const p = join(path, 'name');
  if (!present(name) || name === '') out.errors.push(required(p, 'must specify a metric name'));
  else if (typeof name !== 'string') out.errors.push(invalid(p, name, 'must be a string'));
  else for (const msg of pathSegmentNameErrors(name)) out.errors.push(invalid(p, name, msg));
}

function validateSource(field: string, src: Json, path: string, out: HpaValidation): void {
  const target = isRecord(src.target) ? src.target : {};
  const tPath = join(path, 'target');
  const has = (k: string) => present(target[k]);
  switch (field) {
    case 'object':
      validateReference(src.describedObject, join(path, 'describedObject'), false, out);
      validateIdentifier(src.metric, join(path, 'metric'), out);
      validateTarget(src.target, tPath, out);
      if (!has('value') && !has('averageValue')) out.errors.push(required(join(tPath, 'averageValue'), 'must set either a target value or averageValue'));
      return;
    case 'external':
      validateIdentifier(src.metric, join(path, 'metric'), out);
      validateTarget(src.target, tPath, out);
      if (!has('value') && !has('averageValue')) out.errors.push(required(join(tPath, 'averageValue'), 'must set either a target value for metric or a per-pod target'));
      if (has('value') && has('averageValue')) out.errors.push(forbidden(join(tPath, 'value'), 'may not set both a target value for metric and a per-pod target'));
      return;
    case 'pods':
      validateIdentifier(src.metric, join(path, 'metric'), out);
      validateTarget(src.target, tPath, out);
      if (!has('averageValue')) out.errors.push(required(join(tPath, 'averageValue'), 'must specify a positive target averageValue'));
      return;
    default: {
      const container = field === 'containerResource';
      const name = src.name;
      const nPath = join(path, 'name');
      if (!present(name) || name === '') out.errors.push(required(nPath, 'must specify a resource name'));
      else if (typeof name !== 'string') out.errors.push(invalid(nPath, name, 'must be a string'));
      // validateResourceSource checks only that the name is set; validateContainerResourceSource checks its form.
      else if (container) out.errors.push(...containerResourceNameErrors(name, nPath));
      if (container) {
        const c = src.container;
        const cPath = join(path, 'container');
        if (!present(c) || c === '') out.errors.push(required(cPath, 'must specify a container'));
        else if (typeof c !== 'string') out.errors.push(invalid(cPath, c, 'must be a string'));
        else for (const msg of dns1123LabelErrors(c)) out.errors.push(invalid(cPath, c, msg));
      }
      validateTarget(src.target, tPath, out);
      if (!has('averageUtilization') && !has('averageValue'))
        out.errors.push(required(join(tPath, 'averageUtilization'), 'must set either a target raw value or a target utilization'));
      if (has('averageUtilization') && has('averageValue')) out.errors.push(forbidden(join(tPath, 'averageValue'), 'may not set both a target raw value and a target utilization'));
    }
  }
}

/** validateMetricSpec: a known type, its source present, no other source; the first source present is validated. */
function validateMetricSpec(spec: unknown, path: string, out: HpaValidation): void {
  const s = isRecord(spec) ? spec : {};
  const type = s.type;
  if (!present(type) || type === '') out.errors.push(required(join(path, 'type'), 'must specify a metric source type'));
  if (typeof type !== 'string' || !METRIC_SOURCE_TYPES.includes(type)) out.errors.push(notSupported(join(path, 'type'), type ?? '', METRIC_SOURCE_TYPES));
  const presentFields: string[] = [];
  for (const [, field] of SOURCE_FIELDS) {
    if (!present(s[field])) continue;
    presentFields.push(field);
    if (presentFields.length === 1) validateSource(field, isRecord(s[field]) ? s[field] : {}, join(path, field), out);
  }
  const expected = SOURCE_FIELDS.find(([t]) => t === type)?.[1];
  if (expected !== undefined && !present(s[expected])) out.errors.push(required(join(path, expected), 'must populate information for the given metric source'));
  if (presentFields.length !== 1) {
    for (const field of presentFields) if (field !== expected) out.errors.push(forbidden(join(path, field), 'must populate the given metric source only'));
  }
}

/** validateMetricSpec alone, for one metric already in the internal (v2) shape: a v2beta1 or v1 metric after conversion (hpa-manifest.ts). */
export function validateMetric(spec: unknown, path: string): FieldError[] {
  const out: HpaValidation = { errors: [], notes: [] };
  validateMetricSpec(spec, path, out);
  return out.errors;
}

/** validateBehavior alone, for a behavior that is not in spec.behavior as written (the v1 and v2beta1 behavior annotation). */
export function validateBehaviorOnly(behavior: Json): FieldError[] {
  const out: HpaValidation = { errors: [], notes: [] };
  validateScalingRules(behavior.scaleUp, 'spec.behavior.scaleUp', out);
  validateScalingRules(behavior.scaleDown, 'spec.behavior.scaleDown', out);
  return out.errors;
}

/** validateScalingRules and validateScalingPolicy. */
function validateScalingRules(rules: unknown, path: string, out: HpaValidation): void {
  if (!present(rules)) return;
  const r = isRecord(rules) ? rules : {};
  const w = r.stabilizationWindowSeconds;
  const wPath = join(path, 'stabilizationWindowSeconds');
  if (present(w)) {
    if (typeof w !== 'number' || !Number.isInteger(w)) out.errors.push(invalid(wPath, w, 'must be a whole number'));
    else if (w < 0) out.errors.push(invalid(wPath, w, 'must be greater than or equal to zero'));
    else if (w > MAX_STABILIZATION_WINDOW_SECONDS) out.errors.push(invalid(wPath, w, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  const sp = r.selectPolicy;
  if (present(sp) && sp !== 'Max' && sp !== 'Min' && sp !== 'Disabled') out.errors.push(notSupported(join(path, 'selectPolicy'), sp, ['Disabled', 'Max', 'Min']));
  const pPath = join(path, 'policies');
  // defaults.go copies the default policies only when policies is unset (nil); an empty list stays empty.
  const policies = r.policies;
  if (Array.isArray(policies) && policies.length === 0) out.errors.push(required(pPath, 'must specify at least one Policy'));
  if (Array.isArray(policies)) {
    policies.forEach((raw, i) => {
      const p = isRecord(raw) ? raw : {};
      const at = join(pPath, i);
      if (p.type !== 'Pods' && p.type !== 'Percent') out.errors.push(notSupported(join(at, 'type'), p.type ?? '', ['Percent', 'Pods']));
      for (const key of ['value', 'periodSeconds'] as const) {
        const v = p[key] ?? 0;
        if (typeof v !== 'number' || !Number.isInteger(v)) out.errors.push(invalid(join(at, key), v, 'must be a whole number'));
        else if (v <= 0) out.errors.push(invalid(join(at, key), v, 'must be greater than zero'));
        else if (key === 'periodSeconds' && v > MAX_PERIOD_SECONDS) out.errors.push(invalid(join(at, key), v, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
      }
    });
  }
  const tol = r.tolerance;
  if (present(tol)) {
    const q = typeof tol === 'number' || typeof tol === 'string' ? parseQuantity(tol) : undefined;
    // ValidateNonnegativeQuantity.
    if (!q) out.errors.push(invalid(join(path, 'tolerance'), tol, 'must be a quantity'));
    else if (q.unscaled < 0n) out.errors.push(invalid(join(path, 'tolerance'), tol, 'must be greater than or equal to 0'));
  }
}

/**
 * validateHorizontalPodAutoscalerSpec for an autoscaling/v2 (or v2beta2) spec as written, after the
 * defaulting that matters here (minReplicas 1 when unset, defaults.go; behavior policies copied only
 * when unset). Paths start at "spec". With `metricTypes` (an autoscaling/v1 or v2beta1 spec, whose
 * metrics have another shape) the metrics are not validated here, and the types given stand for them.
 */
export function validateHpaSpec(spec: Json, options: { metricTypes?: readonly unknown[] } = {}): HpaValidation {
  const out: HpaValidation = { errors: [], notes: [] };
  const min = present(spec.minReplicas) ? spec.minReplicas : 1;
  const max = spec.maxReplicas ?? 0;
  const lowerBound = 0; // HPAScaleToZero on: see the header.
  if (typeof min !== 'number' || !Number.isInteger(min)) out.errors.push(invalid('spec.minReplicas', min, 'must be a whole number'));
  else if (min < lowerBound) out.errors.push(invalid('spec.minReplicas', min, `must be greater than or equal to ${lowerBound}`));
  if (typeof max !== 'number' || !Number.isInteger(max)) out.errors.push(invalid('spec.maxReplicas', max, 'must be a whole number'));
  else if (max === 0) out.errors.push(required('spec.maxReplicas', 'must be set and greater than 0'));
  else if (max < 0) out.errors.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to 1'));
  if (typeof min === 'number' && typeof max === 'number' && max < min) out.errors.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  validateReference(spec.scaleTargetRef, 'spec.scaleTargetRef', true, out);
  const metrics = Array.isArray(spec.metrics) ? spec.metrics : [];
  if (options.metricTypes === undefined) metrics.forEach((m, i) => validateMetricSpec(m, `spec.metrics[${i}]`, out));
  const types = options.metricTypes ?? metrics.map((m) => (isRecord(m) ? m.type : undefined));
  // validateMetrics: minReplicas 0 needs an Object or External metric (the controller cannot see load at zero pods otherwise).
  if (min === 0 && !types.some((t) => t === 'Object' || t === 'External')) {
    out.errors.push(forbidden('spec.metrics', 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  if (present(spec.behavior)) {
    const b = isRecord(spec.behavior) ? spec.behavior : {};
    validateScalingRules(b.scaleUp, 'spec.behavior.scaleUp', out);
    validateScalingRules(b.scaleDown, 'spec.behavior.scaleDown', out);
  }
  return out;
}
