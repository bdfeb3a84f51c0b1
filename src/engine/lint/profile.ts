// What every lint check reads: the rule set's profiles, each with its bounds, rules and paths, and the warning builder.
import type { Warning } from '../../schemas/decision.js';
import type { WARNING_CODES } from '../../schemas/codes.js';
import type { CompiledRule, CompiledRuleSet } from '../ruleset.js';

export type WarningCode = (typeof WARNING_CODES)[number];

/** One profile as the checks see it: the default profile (top-level capacity and rules) or a scheduled one. */
export interface LintProfile {
  /** "the default profile" or 'profile "weekend"', for sentences. */
  readonly label: string;
  /** "capacity" or "profiles[0].capacity". */
  readonly capacityPath: string;
  /** "rules" or "profiles[0].rules" (a profile without rules of its own uses the top-level rules). */
  readonly rulesPath: string;
  /** Whether the profile has rules of its own (false: it shares the top-level rules). */
  readonly ownRules: boolean;
  readonly capacity: { readonly minimum: number; readonly maximum: number; readonly default: number };
  readonly rules: readonly CompiledRule[];
}

/** The default profile, then the scheduled profiles in file order. */
export function lintProfiles(rs: CompiledRuleSet): LintProfile[] {
  const top: LintProfile = { label: 'the default profile', capacityPath: 'capacity', rulesPath: 'rules', ownRules: true, capacity: rs.defaultProfile.capacity, rules: rs.rules };
  return [
    top,
    ...rs.profiles.map((p) => {
      const own = p.schedule?.rules !== undefined;
      return {
        label: `profile "${p.name}"`,
        capacityPath: `profiles[${p.index}].capacity`,
        rulesPath: own ? `profiles[${p.index}].rules` : 'rules',
        ownRules: own,
        capacity: p.capacity,
        rules: p.rules,
      };
    }),
  ];
}

/** Whether the set has policy families beside the Azure rules (they can scale either way on their own). */
export function hasOtherFamilies(rs: CompiledRuleSet): boolean {
  return (
    (rs.spec.targetTracking?.length ?? 0) > 0 ||
    (rs.spec.stepScaling?.length ?? 0) > 0 ||
    rs.spec.simpleScaling !== undefined ||
    rs.spec.awsTargetTracking !== undefined ||
    rs.spec.kpa !== undefined
  );
}

export const warning = (code: WarningCode, path: string, message: string, fix: string): Warning => ({ code, path, message, fix });

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
