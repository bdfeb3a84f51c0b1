// Profile-change decisions for the cron trigger: the new bounds (and start capacity) of each governed target.
import { profileStartsBetween } from './active-profile.js';
import type { ProfileChangeDecision, RequestedBy, RuleSetOrigin } from '../schemas/decision.js';
import { ENGINE_VERSION } from './decide.js';
import { isoUtc } from '../syntax/duration.js';
import { canonicalJson, sha256Hex } from './hash.js';
import type { CompiledRuleSet } from './ruleset.js';

/**
 * Decisions for every profile that began in (from, to], for every target the rule set governs.
 * Stateless: comparing the active profile across the interval needs only the two instants.
 */
export function profileChangeDecisions(
  ruleSet: CompiledRuleSet,
  from: number,
  to: number,
  requestedBy: RequestedBy,
): { decisions: ProfileChangeDecision[]; code: ReturnType<typeof profileStartsBetween>['code']; message: string } {
  const ruleSetOrigin: RuleSetOrigin = { id: ruleSet.spec.id, source: 'bundled', hash: ruleSet.specHash };
  const { starts, code, message } = profileStartsBetween(ruleSet, from, to);
  const targets = ruleSet.spec.targets ?? [];
  const decisions: ProfileChangeDecision[] = [];
  for (const start of starts) {
    const { minimum, maximum } = start.profile.capacity;
    const stated = start.profile.schedule?.startCapacity;
    const setCapacity = stated === undefined ? null : Math.min(maximum, Math.max(minimum, stated));
    const set = setCapacity === null ? '' : `; set capacity to ${setCapacity}`;
    const reason = `profile ${start.profile.name} began at ${isoUtc(start.at)}${start.from ? ` (after ${start.from})` : ''}: bounds [${minimum}, ${maximum}]${set}; bring any capacity outside the bounds to the nearest bound`;
    for (const target of targets) {
      decisions.push({
        kind: 'profileChange',
        decisionId: sha256Hex(canonicalJson({ engine: ENGINE_VERSION, kind: 'profileChange', ruleSet: ruleSet.specHash, target: target.id, at: start.at })),
        target: target.id,
        ruleSet: ruleSet.spec.id,
        actuator: ruleSet.spec.actuator ?? 'default',
        code: 'ProfileStarted',
        at: isoUtc(start.at),
        profile: { name: start.profile.name, previous: start.from },
        bounds: { ...start.profile.capacity },
        setCapacity,
        reason,
        requestedBy,
        ruleSetOrigin,
      });
    }
  }
  return { decisions, code, message };
}
