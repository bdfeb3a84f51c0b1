// The resources of an ARM template as (path, resource) pairs: an array, or (languageVersion 2.0) an object keyed by symbolic name; and where nested deployments hold templates.
//
// Sources (Microsoft Learn, Azure Resource Manager templates):
// - "Template syntax" (syntax.md) and "languageVersion 2.0" (syntax.md#languageversion-20): with
//   "languageVersion": "2.0", `resources` is an object whose keys are symbolic names, each value a resource.
// - "Using linked and nested templates" (linked-templates.md): a nested template is a resource of type
//   Microsoft.Resources/deployments whose `properties.template` holds the template itself; a linked one
//   has `properties.templateLink` instead (a URI edgescale does not fetch).
import { isRecord } from '../../util/is-record.js';

type Json = Record<string, unknown>;

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : undefined);
const field = (obj: Json, key: string): unknown => {
  if (key in obj) return obj[key];
  const k = Object.keys(obj).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : obj[k];
};
const fieldKey = (obj: Json, key: string): string => Object.keys(obj).find((x) => x.toLowerCase() === key.toLowerCase()) ?? key;

export const isAutoscaleResource = (r: unknown): r is Json => isRecord(r) && lower(field(r, 'type')) === 'microsoft.insights/autoscalesettings';
export const isDeploymentResource = (r: unknown): r is Json => isRecord(r) && lower(field(r, 'type')) === 'microsoft.resources/deployments';

/** Nested deployments followed at most this deep: Bicep modules nest a few levels; this bounds the walk. */
export const MAX_NESTED_DEPLOYMENTS = 8;

/** Whether `v` is a template: an object with `resources` as an array or (languageVersion 2.0) an object, and no setting `profiles`. */
export function isTemplate(v: unknown): v is Json {
  if (!isRecord(v) || field(v, 'profiles') !== undefined) return false;
  const resources = field(v, 'resources');
  return Array.isArray(resources) || (isRecord(resources) && lower(field(v, 'languageVersion'))?.startsWith('2') === true);
}

/** The template's resources with their paths ("resources[3]" or "resources.symbolicName"). */
export function templateResources(template: Json, base = ''): { resource: unknown; path: string }[] {
  const key = fieldKey(template, 'resources');
  const resources = template[key];
  const at = base === '' ? key : `${base}.${key}`;
  if (Array.isArray(resources)) return resources.map((resource, i) => ({ resource, path: `${at}[${i}]` }));
  if (isRecord(resources)) return Object.entries(resources).map(([name, resource]) => ({ resource, path: `${at}.${name}` }));
  return [];
}

/** The inline template of a nested deployment resource, or undefined (a linked template, or none). */
export function nestedTemplate(deployment: Json): Json | undefined {
  const props = field(deployment, 'properties');
  if (!isRecord(props)) return undefined;
  const t = field(props, 'template');
  return isTemplate(t) ? t : undefined;
}

/** Whether a template holds an autoscale setting, directly or in nested deployments (foreign.ts detects the format by it). */
export function holdsAutoscaleSetting(v: unknown, depth = 0): boolean {
  if (!isTemplate(v) || depth > MAX_NESTED_DEPLOYMENTS) return false;
  return templateResources(v).some(({ resource }) => {
    if (isAutoscaleResource(resource)) return true;
    const nested = isDeploymentResource(resource) ? nestedTemplate(resource) : undefined;
    return nested !== undefined && holdsAutoscaleSetting(nested, depth + 1);
  });
}
