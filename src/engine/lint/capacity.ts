// Capacity checks of one profile: bounds that leave nothing to scale, rules in one direction only, actions that cannot move capacity.
//
// Sources:
// - Azure, "Best practices for autoscale" (learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-best-practices):
//   "Ensure the maximum and minimum values are different and have an adequate margin between them" (minimum =
//   maximum: no scale action can occur), and "Always use a scale-out and scale-in rule combination that performs an
//   increase and decrease" (with only one, autoscale moves one way until it reaches the maximum or minimum).
// - AWS EC2 Auto Scaling, "Step and simple scaling policies", scaling adjustment types
//   (docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-simple-step.html#as-scaling-adjustment): a percent
//   change is rounded and MinAdjustmentMagnitude keeps it from being too small; edgescale's `rounding` and
//   `minimumChange` (docs/rules.md, Actions) can still round it to 0.
// - Azure, "Understand autoscale settings", autoscale evaluation: scale-out rules are evaluated first and, when one
//   is met, no scale-in happens in that evaluation (docs/rules.md, "How rules combine"), so a scale-out rule that
//   cannot increase still holds scale-in back whenever it fires.
import type { Warning } from '../../schemas/decision.js';
import { capacityFromAction } from '../actions.js';
import type { CompiledRule } from '../ruleset.js';
import { plural, warning, type LintProfile } from './profile.js';

function fixedCapacity(p: LintProfile, otherFamilies: boolean): Warning | undefined {
  const { minimum, maximum } = p.capacity;
  if (minimum !== maximum || (p.rules.length === 0 && !otherFamilies)) return undefined;
  const what = p.rules.length > 0 ? `its ${plural(p.rules.length, 'rule')}` : 'its policies';
  return warning(
    'FixedCapacity',
    `${p.capacityPath}.maximum`,
    `${capitalize(p.label)} has minimum = maximum = ${maximum}, so ${what} can never change the capacity.`,
    `Leave a margin between minimum and maximum, or remove the rules if a fixed count is intended.`,
  );
}

function oneDirection(p: LintProfile, otherFamilies: boolean): Warning | undefined {
  if (!p.ownRules || p.rules.length === 0 || otherFamilies) return undefined;
  const dirs = new Set(p.rules.map((r) => r.rule.direction));
  if (dirs.size !== 1) return undefined;
  const out = dirs.has('out');
  return warning(
    'OneDirectionOnly',
    p.rulesPath,
    out
      ? `${capitalize(p.label)} has scale-out rules but no scale-in rule, so capacity only grows (up to ${p.capacity.maximum}) and never comes back down.`
      : `${capitalize(p.label)} has scale-in rules but no scale-out rule, so capacity only shrinks (down to ${p.capacity.minimum}) and never grows with load.`,
    out
      ? `Add a scale-in rule on the same metric with a threshold well below the scale-out one, as Azure's best practices advise.`
      : `Add a scale-out rule on the same metric with a threshold well above the scale-in one, as Azure's best practices advise.`,
  );
}

/** The capacities from which a fired percent rule changes nothing: [first, last], or undefined when it always moves. */
function zeroPercentRange(cr: CompiledRule, p: LintProfile): { first: number; last: number } | undefined {
  const { action, direction } = cr.rule;
  const { minimum, maximum } = p.capacity;
  // Scale-out from the minimum; scale-in from one above it (from the minimum itself there is nowhere to go).
  const first = direction === 'out' ? minimum : minimum + 1;
  if (first > maximum || (direction === 'out' && first === maximum)) return undefined;
  const still = (c: number) => capacityFromAction(action, direction, c) === c;
  if (!still(first)) return undefined;
  let last = first;
  while (last + 1 <= maximum && still(last + 1)) last++;
  return { first, last };
}

function percentToZero(cr: CompiledRule, p: LintProfile): Warning | undefined {
  const { action } = cr.rule;
  if (action.type !== 'PercentChangeCount') return undefined;
  const range = zeroPercentRange(cr, p);
  if (!range) return undefined;
  const sign = cr.rule.direction === 'out' ? '+' : '-';
  const at = range.first === range.last ? `at ${range.first} instances` : `from ${range.first} to ${range.last} instances`;
  return warning(
    'PercentRoundsToZero',
    `${cr.path}.action`,
    `Rule ${cr.rule.id} (${sign}${action.value} %, rounding ${action.rounding}, minimumChange ${action.minimumChange}) rounds ${action.value} % of ${range.first} to a change of 0, so it fires but changes nothing ${at} in ${p.label}.`,
    `Set minimumChange to 1 (the default, like AWS's MinAdjustmentMagnitude) or rounding to ceil.`,
  );
}

function exactNeverMoves(cr: CompiledRule, p: LintProfile): Warning | undefined {
  const { action, direction } = cr.rule;
  if (action.type !== 'ExactCount') return undefined;
  const { minimum, maximum } = p.capacity;
  if (direction === 'out' && action.value <= minimum && minimum < maximum) {
    return warning(
      'ExactCountNeverMoves',
      `${cr.path}.action.value`,
      `Scale-out rule ${cr.rule.id} sets the capacity to ${action.value}, the minimum of ${p.label}, so it can never increase the capacity, yet whenever it fires it keeps every scale-in rule from acting.`,
      `Set the ExactCount above the minimum ${minimum}, or make the rule a scale-in rule if ${action.value} is the capacity it should bring.`,
    );
  }
  if (direction === 'in' && action.value >= maximum && minimum < maximum) {
    return warning(
      'ExactCountNeverMoves',
      `${cr.path}.action.value`,
      `Scale-in rule ${cr.rule.id} sets the capacity to ${action.value}, the maximum of ${p.label}, so it can never decrease the capacity.`,
      `Set the ExactCount below the maximum ${maximum}, or make the rule a scale-out rule if ${action.value} is the capacity it should bring.`,
    );
  }
  return undefined;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** FixedCapacity, OneDirectionOnly, PercentRoundsToZero and ExactCountNeverMoves for one profile. */
export function capacityWarnings(p: LintProfile, otherFamilies: boolean): Warning[] {
  const perRule = p.rules.flatMap((cr) => [percentToZero(cr, p), exactNeverMoves(cr, p)]);
  return [fixedCapacity(p, otherFamilies), oneDirection(p, otherFamilies), ...perRule].filter((w): w is Warning => w !== undefined);
}
