// Deployment parameter values for an ARM template (`az deployment group create --parameters file.json`), checked as ARM checks them.
//
// Sources (Microsoft Learn and Azure/azure-resource-manager-schemas):
// - "Create Resource Manager parameters file" (parameter-files.md) and the schema
//   schemas/2019-04-01/deploymentParameters.json: `{ "$schema", "contentVersion", "parameters": { NAME:
//   { "value": … } | { "reference": { "keyVault": { "id" }, "secretName" } } } }`, each parameter with
//   `value` or `reference` (plus optional `metadata`) and nothing else.
// - "Parameters in ARM templates": a value passed at deployment replaces `defaultValue`; names are
//   case-insensitive; the value must be of the parameter's `type` (string, securestring, int, bool,
//   object, secureObject, array) and within `allowedValues`, `minValue`/`maxValue` and
//   `minLength`/`maxLength`; a parameter without a default must be given a value.
// - A deployment that passes a parameter the template does not declare fails (InvalidTemplate: "The
//   template parameters '…' … are not valid; they are not present in the original template").
// A passed value is a literal: ARM does not evaluate template expressions in it.
import { isRecord } from '../../util/is-record.js';
import { isTemplate } from './template-resources.js';

interface ParameterIssue {
  /** Path inside the parameters as given (the file, or the bare `parameters` object). */
  path: string;
  message: string;
}

export type DeploymentParameters = { ok: true; values: Record<string, unknown> } | { ok: false; issues: ParameterIssue[] };

const PARAMETER_FIELDS = new Set(['value', 'reference', 'metadata']);

const field = (obj: Record<string, unknown>, name: string): unknown => {
  const k = Object.keys(obj).find((x) => x.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : obj[k];
};

/** The declared parameters of a template (its `parameters` section, case-insensitive), or undefined when it is not a template (no `resources`). */
function declaredParameters(template: unknown): Record<string, unknown> | undefined {
  let t = template;
  if (typeof t === 'string') {
    try {
      t = JSON.parse(t);
    } catch {
      return undefined;
    }
  }
  if (!isTemplate(t)) return undefined;
  const key = Object.keys(t).find((k) => k.toLowerCase() === 'parameters');
  const section = key === undefined ? undefined : t[key];
  return isRecord(section) ? section : {};
}

/** Whether `value` is of the ARM parameter type `type` (case-insensitive); true for a type edgescale does not know. */
function ofType(type: string, value: unknown): boolean {
  switch (type.toLowerCase()) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'string':
    case 'securestring':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
    case 'secureobject':
      return isRecord(value);
    default:
      return true;
  }
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The values `raw` passes to `template`, by the template's own parameter names. `raw` is a parameters
 * file (with `parameters` inside) or its `parameters` object alone. Every problem is reported with its
 * path inside `raw`: a parameter the template does not declare, a Key Vault `reference` (it needs
 * Azure to resolve), a value of the wrong type or outside the declared limits.
 */
export function readDeploymentParameters(raw: unknown, template: unknown): DeploymentParameters {
  if (!isRecord(raw))
    return {
      ok: false,
      issues: [{ path: '', message: 'expected deployment parameters: a parameters file ({ "parameters": { NAME: { "value": … } } }) or its "parameters" object' }],
    };
  const isFile =
    'contentVersion' in raw ||
    '$schema' in raw ||
    (isRecord(raw.parameters) && Object.keys(raw).every((k) => ['$schema', 'contentVersion', 'parameters', 'extensionConfigs'].includes(k)));
  const entries = isFile ? raw.parameters : raw;
  const base = isFile ? 'parameters' : '';
  const at = (name: string, rest?: string) => [base, name, rest].filter((p) => p !== undefined && p !== '').join('.');
  if (!isRecord(entries)) return { ok: false, issues: [{ path: base, message: 'expected an object of parameters by name' }] };
  const declared = declaredParameters(template);
  if (declared === undefined)
    return {
      ok: false,
      issues: [
        {
          path: '',
          message: 'deployment parameters apply to an ARM template (with "resources"); this input is not one (an autoscale setting or rule set holds its values itself)',
        },
      ],
    };
  const issues: ParameterIssue[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(entries)) {
    const declaredName = Object.keys(declared).find((k) => k.toLowerCase() === name.toLowerCase());
    if (declaredName === undefined) {
      const known = Object.keys(declared).join(', ') || 'none';
      issues.push({ path: at(name), message: `the template has no parameter "${name}" (ARM refuses a deployment that passes one; it declares: ${known})` });
      continue;
    }
    if (!isRecord(entry) || !('value' in entry || 'reference' in entry)) {
      issues.push({ path: at(name), message: 'expected { "value": … } (or a Key Vault { "reference": … })' });
      continue;
    }
    const extra = Object.keys(entry).filter((k) => !PARAMETER_FIELDS.has(k));
    if (extra.length > 0) {
      issues.push({ path: at(name, extra[0]), message: `a parameter has "value" or "reference" (and "metadata"), not "${extra[0]}"` });
      continue;
    }
    if ('reference' in entry) {
      issues.push({ path: at(name, 'reference'), message: 'a Key Vault reference needs Azure to resolve; pass the value itself (autoscale settings do not need secrets)' });
      continue;
    }
    const value = entry.value;
    const spec = declared[declaredName];
    const problem = isRecord(spec) ? checkValue(spec, value) : undefined;
    if (problem !== undefined) {
      issues.push({ path: at(name, 'value'), message: `parameter "${declaredName}": ${problem}` });
      continue;
    }
    values[declaredName] = value;
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, values };
}

/** Why `value` is not acceptable for the declared parameter `spec`, or undefined. */
function checkValue(spec: Record<string, unknown>, value: unknown): string | undefined {
  const type = field(spec, 'type');
  if (typeof type === 'string' && !ofType(type, value)) return `expected a value of type ${type}, got ${JSON.stringify(value)?.slice(0, 60) ?? 'nothing'}`;
  const allowed = field(spec, 'allowedValues');
  if (Array.isArray(allowed) && !allowed.some((a) => sameJson(a, value)))
    return `${JSON.stringify(value)?.slice(0, 60)} is not one of the allowed values ${JSON.stringify(allowed).slice(0, 200)}`;
  const min = field(spec, 'minValue');
  const max = field(spec, 'maxValue');
  if (typeof value === 'number' && typeof min === 'number' && value < min) return `${value} is below minValue ${min}`;
  if (typeof value === 'number' && typeof max === 'number' && value > max) return `${value} is above maxValue ${max}`;
  const length = typeof value === 'string' || Array.isArray(value) ? value.length : undefined;
  const minLength = field(spec, 'minLength');
  const maxLength = field(spec, 'maxLength');
  if (length !== undefined && typeof minLength === 'number' && length < minLength) return `length ${length} is below minLength ${minLength}`;
  if (length !== undefined && typeof maxLength === 'number' && length > maxLength) return `length ${length} is above maxLength ${maxLength}`;
  return undefined;
}
