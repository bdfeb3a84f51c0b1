// The rule sets bundled from rules/ (native, Azure autoscale settings, HPA manifests): compiled once per isolate, looked up by id.
import { BUNDLED_RULE_FILES } from '../generated/bundled-rules.js';
import type { ImportReport, Issue } from '../schemas/decision.js';
import { loadRuleSet, type CompiledRuleSet, type LoadResult } from '../engine/ruleset.js';
import { detectFormat, importForeign } from '../formats/foreign.js';

export interface BundledEntry {
  file: string;
  id: string;
  ruleSet?: CompiledRuleSet;
  issues?: Issue[];
  /** For an Azure setting or HPA manifest: what the import left out. */
  imported?: ImportReport;
}

/** A file's stem is the rule set's id: `rules/web-tier.json` is "web-tier", `rules/php-apache.hpa.yaml` is "php-apache". */
export const bundledId = (file: string) => file.replace(/(\.(azure|hpa|keda|aws|knative))?\.(json|ya?ml)$/, '');

/** A foreign file imported under the id of its file name, then compiled. */
function loadForeign(file: string, raw: unknown, stem: string): { loaded: LoadResult; imported?: ImportReport } {
  const format = detectFormat(file, raw);
  if (format === 'native') return { loaded: loadRuleSet(raw, file) };
  const converted = importForeign(format, raw, { id: stem }, file);
  if (!converted.ok) return { loaded: { ok: false, issues: converted.issues } };
  return { loaded: { ok: true, ruleSet: converted.compiled }, imported: converted.imported };
}

let cache: Map<string, BundledEntry> | undefined;

/**
 * Every bundled file, compiled. A file that fails to compile is kept with its issues (listed by
 * /v1/rulesets, refused by /v1/evaluate) rather than taking the other rule sets down with it.
 */
export function bundledRuleSets(files: Record<string, unknown> = BUNDLED_RULE_FILES): Map<string, BundledEntry> {
  if (cache && files === BUNDLED_RULE_FILES) return cache;
  const entries = new Map<string, BundledEntry>();
  for (const [file, raw] of Object.entries(files)) {
    const stem = bundledId(file);
    const { loaded, imported } = loadForeign(file, raw, stem);
    const id = loaded.ok ? loaded.ruleSet.spec.id : stem;
    if (loaded.ok && id !== stem) {
      entries.set(stem, { file, id: stem, issues: [{ code: 'SchemaViolation', message: `id "${id}" must match the file name "${stem}"`, path: `${file}.id` }] });
      continue;
    }
    entries.set(id, loaded.ok ? { file, id, ruleSet: loaded.ruleSet, ...(imported && { imported }) } : { file, id, issues: loaded.issues });
  }
  if (files === BUNDLED_RULE_FILES) cache = entries;
  return entries;
}

export function resolveBundled(id: string): CompiledRuleSet | undefined {
  return bundledRuleSets().get(id)?.ruleSet;
}
