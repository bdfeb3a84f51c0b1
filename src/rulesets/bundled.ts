// The rule sets bundled from rules/: compiled once per isolate, looked up by id.
import { BUNDLED_RULE_FILES } from '../generated/bundled-rules.js';
import { loadRuleSet, type CompiledRuleSet } from '../engine/ruleset.js';
import type { Issue } from '../engine/issues.js';

export interface BundledEntry {
  file: string;
  id: string;
  ruleSet?: CompiledRuleSet;
  issues?: Issue[];
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
    const stem = file.replace(/\.json$/, '');
    const loaded = loadRuleSet(raw, file);
    const id = loaded.ok ? loaded.ruleSet.spec.id : stem;
    if (loaded.ok && id !== stem) {
      entries.set(stem, { file, id: stem, issues: [{ code: 'SchemaViolation', message: `id "${id}" must match the file name "${stem}"`, path: `${file}.id` }] });
      continue;
    }
    entries.set(id, loaded.ok ? { file, id, ruleSet: loaded.ruleSet } : { file, id, issues: loaded.issues });
  }
  if (files === BUNDLED_RULE_FILES) cache = entries;
  return entries;
}

export function resolveBundled(id: string): CompiledRuleSet | undefined {
  return bundledRuleSets().get(id)?.ruleSet;
}
