// Importer plumbing shared by the Azure autoscale, HPA and AWS importers: result shapes, the per-call context, ids and the final validation.
import { loadRuleSet, type CompiledRuleSet } from '../engine/ruleset.js';
import { LIMITS } from '../limits.js';
import type { RuleSetInput } from '../schema.js';
import type { AWS_IMPORT_CODES } from '../schemas/codes.js';

type AwsImportCode = (typeof AWS_IMPORT_CODES)[number];

/** A field of the input that edgescale cannot honour; named so the user sees exactly what was left out. */
export interface UnsupportedField {
  /** Where it is in the input, e.g. "properties.profiles[0].rules[2].metricTrigger.dimensions". */
  path: string;
  /** The field's own name, e.g. "dimensions". */
  field: string;
  message: string;
  /** Why, as a code, where the importer gives one (the AWS importer). */
  reason?: AwsImportCode;
}

interface ImportIssue {
  code: 'ImportError';
  message: string;
  path: string;
  /** Why, as a code, where the importer gives one (the AWS importer). */
  reason?: AwsImportCode;
}

export type ImportResult =
  /** `compiled` is `ruleSet` as loadRuleSet compiled it: callers use it rather than load (and hash) it again. */
  { ok: true; ruleSet: RuleSetInput; compiled: CompiledRuleSet; unsupported: UnsupportedField[]; notes: string[] } | { ok: false; issues: ImportIssue[] };

export interface ImportOptions {
  /** Id of the produced rule set; defaults to the setting's (or manifest's) name made into an id. */
  id?: string;
  /** Which setting to take when the input holds several (an ARM template with several autoscale settings, several HPAs). */
  name?: string;
  /**
   * azure: values for the template's parameters, by name, as readDeploymentParameters
   * (azure/deployment-parameters.ts) returns them from a parameters file or the API's `parameters`.
   */
  parameters?: Record<string, unknown>;
}

/** What an importer collects while it walks the input; one per call, never shared. */
export interface ImportContext {
  issues: ImportIssue[];
  unsupported: UnsupportedField[];
  notes: string[];
}

export const newContext = (): ImportContext => ({ issues: [], unsupported: [], notes: [] });

export const joinPath = (base: string, key: string | number): string => (typeof key === 'number' ? `${base}[${key}]` : base === '' ? key : `${base}.${key}`);

/** Name or text made into a native id: letters, digits, . _ - ; starting with a letter or digit; at most `max` characters. */
export function toId(text: string, fallback: string, max: number = LIMITS.idLength): string {
  const slug = text
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, max)
    .replace(/[-.]+$/, '');
  return slug === '' ? fallback : slug;
}

/** Lower-case slug for rule ids ("Percentage CPU" → "percentage-cpu"). */
export function slug(text: string, fallback: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
  return s === '' ? fallback : s;
}

/** `base`, or `base-2`, `base-3`, … : the first not in `used` (which it is added to). */
export function uniqueId(base: string, used: Set<string>, sep = '-'): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}${sep}${n}`;
  used.add(id);
  return id;
}

/**
 * Every converted rule set is loaded once before it is returned, so `ok: true` always means
 * `loadRuleSet` accepts it, and the compiled set goes back with it. A problem found only there is
 * reported at the input path it came from (`locate` maps native paths back), with the native path in
 * the message.
 */
export function validateConverted(ruleSet: RuleSetInput, ctx: ImportContext, locate: (nativePath: string) => string): CompiledRuleSet | undefined {
  const loaded = loadRuleSet(ruleSet);
  if (loaded.ok) return loaded.ruleSet;
  for (const issue of loaded.issues) {
    ctx.issues.push({ code: 'ImportError', path: locate(issue.path), message: `the converted rule set is invalid at ${issue.path}: ${issue.message}` });
  }
}
