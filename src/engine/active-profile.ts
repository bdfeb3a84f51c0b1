// Which profile of a rule set applies at an instant, and when that changes (wraps profiles/select.ts for decisions).
import { isoUtc } from '../syntax/duration.js';
import type { PROFILE_SELECTION_CODES } from '../schemas/codes.js';
import type { ProfileTraceEntry } from '../schemas/decision.js';
import { activeCompiledProfile, compiledProfileChangesBetween, type ProfileChangesResult } from './profiles/select.js';
import type { CompiledProfile, CompiledRuleSet } from './ruleset.js';

export interface ProfileSelection {
  profile: CompiledProfile;
  kind: 'fixedDate' | 'recurrence' | 'cron' | 'default';
  code: (typeof PROFILE_SELECTION_CODES)[number];
  message: string;
  since?: number;
  nextChange: { at: number; to: string } | null;
  trace: ProfileTraceEntry[];
}

function profileAt(ruleSet: CompiledRuleSet, index: number | null): CompiledProfile {
  return index === null || index >= ruleSet.profiles.length ? ruleSet.defaultProfile : ruleSet.profiles[index]!;
}

export function selectProfile(ruleSet: CompiledRuleSet, now: number): ProfileSelection {
  if (ruleSet.profiles.length === 0) {
    // No schedules: skip the boundary search entirely (the common case, and the hot path).
    return { profile: ruleSet.defaultProfile, kind: 'default', code: 'DefaultProfile', message: 'the rule set has no scheduled profiles', nextChange: null, trace: [] };
  }
  const result = activeCompiledProfile(ruleSet.schedules, now);
  const selection: ProfileSelection = {
    profile: profileAt(ruleSet, result.index),
    kind: result.kind ?? 'default',
    code: result.code,
    message: result.message,
    nextChange: result.nextChange && result.nextChange.to !== null ? { at: result.nextChange.at, to: result.nextChange.to } : null,
    trace: result.trace,
  };
  if (result.since !== undefined) selection.since = result.since;
  return selection;
}

export interface ProfileStart {
  at: number;
  from: string | null;
  profile: CompiledProfile;
}

/** Profiles that began in (from, to]: what a cron tick reports, found without stored state. */
export function profileStartsBetween(ruleSet: CompiledRuleSet, from: number, to: number): { starts: ProfileStart[]; code: ProfileChangesResult['code']; message: string } {
  if (ruleSet.profiles.length === 0) return { starts: [], code: 'Complete', message: 'no scheduled profiles' };
  const result = compiledProfileChangesBetween(ruleSet.schedules, from, to);
  const starts = result.changes
    .filter((c) => c.to !== null)
    .map((c) => ({ at: c.at, from: c.from, profile: profileAt(ruleSet, c.toIndex) }));
  return { starts, code: result.code, message: result.message };
}

/** The profile part of a decision: which applies, why, and when the next change is. */
export function describeSelection(s: ProfileSelection) {
  return {
    name: s.profile.name,
    kind: s.kind,
    code: s.code,
    ...(s.since !== undefined && { since: isoUtc(s.since) }),
    nextChange: s.nextChange ? { at: isoUtc(s.nextChange.at), to: s.nextChange.to } : null,
  };
}
