// Schedule checks: a scheduled profile that an earlier-listed one always outranks, so it is never selected — whatever the date.
//
// Source: Azure, "Autoscale with multiple profiles" (learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-multiprofile):
// profiles are evaluated in the order fixed date, recurring, default, and "only the first applicable profile is
// used" (src/engine/profiles/compile.ts, docs/schedules.md). Only containment that holds at every instant is
// flagged: the engine has no clock, so a fixed date in the past is not a warning.
import type { Warning } from '../../schemas/decision.js';
import { canonicalJson } from '../hash.js';
import type { Compiled } from '../profiles/compile.js';
import type { CompiledRuleSet } from '../ruleset.js';
import { warning } from './profile.js';

type Of<K extends Compiled['kind']> = Extract<Compiled, { kind: K }>;

const minutes = (c: { hour: number; minute: number }) => c.hour * 60 + c.minute;

/** Whether `a` (listed earlier, same pass) is active at every instant `b` is. */
function covers(a: Compiled, b: Compiled, sameSchedule: boolean): boolean {
  if (sameSchedule) return true;
  if (a.kind === 'fixedDate' && b.kind === 'fixedDate') return a.start <= b.start && b.end <= a.end;
  if (a.kind === 'recurrence' && b.kind === 'recurrence') return recurrenceCovers(a, b);
  return false;
}

/** Both with an end on the same day, in one zone: a's days include b's and a's hours include b's. */
function recurrenceCovers(a: Of<'recurrence'>, b: Of<'recurrence'>): boolean {
  if (a.timeZone !== b.timeZone || !a.end || !b.end || a.crosses || b.crosses) return false;
  for (const d of b.days) if (!a.days.has(d)) return false;
  return minutes(a.start) <= minutes(b.start) && minutes(b.end) <= minutes(a.end);
}

/** ProfileShadowed: each scheduled profile covered by an earlier-listed one of the same selection pass. */
export function profileWarnings(rs: CompiledRuleSet): Warning[] {
  const specs = rs.spec.profiles ?? [];
  const scheduleOf = (i: number) => {
    const p = specs[i]!;
    return canonicalJson({ fixedDate: p.fixedDate, recurrence: p.recurrence, cron: p.cron });
  };
  const warnings: Warning[] = [];
  rs.schedules.forEach((b, j) => {
    if (j >= specs.length || b.kind === 'invalid') return;
    const by = rs.schedules.slice(0, j).find((a, i) => a.kind === b.kind && covers(a, b, scheduleOf(i) === scheduleOf(j)));
    if (!by) return;
    const same = scheduleOf(by.index) === scheduleOf(j);
    warnings.push(
      warning(
        'ProfileShadowed',
        `profiles[${j}].${b.kind}`,
        `Profile "${b.name}" is never selected: profile "${by.name}", listed earlier, ${same ? 'has the same schedule' : `is active whenever it is`}, and only the first applicable profile is used.`,
        `Remove profile "${b.name}", or list it before "${by.name}" if its capacity and rules should win where they overlap.`,
      ),
    );
  });
  return warnings;
}
