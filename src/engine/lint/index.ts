// Lint: warnings about a rule set that loads but that a reviewer of autoscale settings would flag — pure, over the compiled set, in a stable order.
import type { Warning } from '../../schemas/decision.js';
import type { CompiledRuleSet } from '../ruleset.js';
import { capacityWarnings } from './capacity.js';
import { hasOtherFamilies, lintProfiles } from './profile.js';
import { profileWarnings } from './profiles.js';
import { thresholdWarnings } from './thresholds.js';
import { timingWarnings } from './timing.js';
import { kpaWarnings } from './kpa.js';
import { predictiveWarnings } from './predictive.js';

/**
 * Every warning of the set (docs/lint.md): per profile, the default first and the scheduled ones in file order,
 * its threshold, timing and capacity checks; then the schedules; then the kpa and predictive policies' settings. A profile without rules of its own shares the
 * top-level rules, so a warning that does not depend on its bounds is reported once (same code, path and sentence).
 */
export function lintRuleSet(rs: CompiledRuleSet): Warning[] {
  const others = hasOtherFamilies(rs);
  const all = [
    ...lintProfiles(rs).flatMap((p) => [...thresholdWarnings(p, rs), ...timingWarnings(p), ...capacityWarnings(p, others)]),
    ...profileWarnings(rs),
    ...kpaWarnings(rs),
    ...predictiveWarnings(rs),
  ];
  const seen = new Set<string>();
  return all.filter((w) => {
    const key = `${w.code}\u0000${w.path}\u0000${w.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
