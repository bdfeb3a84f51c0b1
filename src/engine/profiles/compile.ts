// Autoscale profile schedules checked and compiled once (fixed date, weekly recurrence, cron), so selecting a profile parses nothing.
//
// Sources followed:
// - Azure, "Autoscale with multiple profiles" (autoscale-multiprofile): profiles are evaluated in the
//   order fixed date, recurring, default, and "only the first applicable profile is used"; a recurring
//   profile without an end "will remain active until the next profile's start time".
// - Azure, "Understand autoscale settings": fixedDate = { timeZone, start, end }; recurrence =
//   { frequency: Week, schedule: { timeZone, days, hours, minutes } } gives the times a profile BEGINS.
// - KEDA cron scaler: a window is a start cron and an end cron in an IANA `timezone`.
// - AWS EC2 Auto Scaling scheduled actions: 5-field Unix cron in an IANA time zone.
// - croner 11 README, "DST handling": fixed-time jobs run at the first valid time after a DST gap and
//   once (first occurrence) for a repeated time; interval jobs skip gap times and run twice.
// Local times and zones: src/syntax/local-time.ts; cron patterns: src/syntax/cron.ts.
import type { Cron } from 'croner';
import { parseIsoDuration, toEpochMs } from '../../syntax/duration.js';
import { PROFILE_KINDS } from '../../schemas/codes.js';
import { compileCron } from '../../syntax/cron.js';
import { DAY_NAMES, fixedWindowWith, isIanaTimeZone, parseClockTime, Zones, type DayName, type FixedDateSpec } from '../../syntax/local-time.js';

// Input shapes (structural, so any rule schema the lead plugs in fits)
interface RecurrenceSpec {
  timeZone: string;
  days: readonly DayName[];
  start: string;
  end?: string | undefined;
}
interface CronSpec {
  timeZone: string;
  start: string;
  end?: string | undefined;
  duration?: string | undefined;
  from?: string | undefined;
  until?: string | undefined;
}
export interface ProfileSchedule {
  name: string;
  fixedDate?: FixedDateSpec | undefined;
  recurrence?: RecurrenceSpec | undefined;
  cron?: CronSpec | undefined;
}

export type ProfileKind = (typeof PROFILE_KINDS)[number];

export interface Clock {
  hour: number;
  minute: number;
}

export type Compiled =
  | { kind: 'fixedDate'; index: number; name: string; timeZone: string; start: number; end: number; spec: FixedDateSpec }
  | { kind: 'recurrence'; index: number; name: string; timeZone: string; days: ReadonlySet<number>; start: Clock; end?: Clock; crosses: boolean }
  /** Neither end nor durationMs: open-ended, until another recurring profile starts. */
  | { kind: 'cron'; index: number; name: string; timeZone: string; start: Cron; end?: Cron; durationMs?: number; from?: number; until?: number }
  | { kind: 'default'; index: number; name: string }
  /** A second (third...) profile without a schedule: Azure has one default, so only the first is used. */
  | { kind: 'extraDefault'; index: number; name: string }
  | { kind: 'invalid'; index: number; name: string; intended: ProfileKind; message: string };

/**
 * Schedules checked and parsed (time zones, clock times, cron patterns, durations, fixed windows):
 * what a rule set compiles once so selecting a profile parses nothing. Croner's Cron answers
 * nextRun/previousRuns from its arguments alone, so one compiled set serves every call.
 */
export type CompiledSchedules = readonly Compiled[];

/** Compile a list of schedules for activeCompiledProfile and compiledProfileChangesBetween. */
export function compileSchedules(profiles: readonly ProfileSchedule[]): CompiledSchedules {
  return compile(profiles, new Zones());
}

function compile(profiles: readonly ProfileSchedule[], zones: Zones): Compiled[] {
  let defaultSeen = false;
  return profiles.map((p, index): Compiled => {
    const name = p.name;
    const invalid = (intended: ProfileKind, message: string): Compiled => ({ kind: 'invalid', index, name, intended, message });
    const present = (['fixedDate', 'recurrence', 'cron'] as const).filter((k) => p[k] !== undefined);
    if (present.length > 1) return invalid(present[0]!, `a profile has at most one schedule, this one has ${present.join(' and ')}`);
    if (p.fixedDate) {
      const w = fixedWindowWith(zones, p.fixedDate);
      return w.ok ? { kind: 'fixedDate', index, name, timeZone: p.fixedDate.timeZone, start: w.start, end: w.end, spec: p.fixedDate } : invalid('fixedDate', w.message);
    }
    if (p.recurrence) {
      const r = p.recurrence;
      if (!isIanaTimeZone(r.timeZone)) return invalid('recurrence', `"${r.timeZone}" is not an IANA time zone`);
      const start = parseClockTime(r.start);
      const end = r.end === undefined ? undefined : parseClockTime(r.end);
      if (!start) return invalid('recurrence', `start "${r.start}" is not a clock time like 08:00`);
      if (r.end !== undefined && !end) return invalid('recurrence', `end "${r.end}" is not a clock time like 18:00`);
      const days = new Set(r.days.map((d) => DAY_NAMES.indexOf(d)).filter((i) => i >= 0));
      if (days.size === 0) return invalid('recurrence', 'days lists no day of the week');
      const startMin = start.hour * 60 + start.minute;
      const endMin = end ? end.hour * 60 + end.minute : undefined;
      if (endMin === startMin) return invalid('recurrence', 'end equals start: a window of zero or 24 hours is ambiguous');
      return { kind: 'recurrence', index, name, timeZone: r.timeZone, days, start, ...(end && { end }), crosses: endMin !== undefined && endMin < startMin };
    }
    if (p.cron) {
      const c = p.cron;
      if (!isIanaTimeZone(c.timeZone)) return invalid('cron', `"${c.timeZone}" is not an IANA time zone`);
      const start = compileCron(c.start, c.timeZone);
      if (!start.ok) return invalid('cron', `start: ${start.message}`);
      if (c.end !== undefined && c.duration !== undefined) return invalid('cron', 'give at most one of end and duration');
      // from/until bound which runs of start begin a window (AWS StartTime/EndTime of a recurrence).
      const from = c.from === undefined ? undefined : toEpochMs(c.from);
      const until = c.until === undefined ? undefined : toEpochMs(c.until);
      if ((c.from !== undefined && from === undefined) || (c.until !== undefined && until === undefined)) return invalid('cron', 'from and until are instants with an offset');
      const bounds = { ...(from !== undefined && { from }), ...(until !== undefined && { until }) };
      // Neither: open-ended, lasting until another recurring profile starts (as a recurrence without end).
      if (c.end === undefined && c.duration === undefined) return { kind: 'cron', index, name, timeZone: c.timeZone, start: start.cron, ...bounds };
      if (c.end !== undefined) {
        const end = compileCron(c.end, c.timeZone);
        if (!end.ok) return invalid('cron', `end: ${end.message}`);
        return { kind: 'cron', index, name, timeZone: c.timeZone, start: start.cron, end: end.cron, ...bounds };
      }
      const durationMs = parseIsoDuration(c.duration!);
      if (durationMs === undefined || durationMs <= 0) return invalid('cron', `duration "${c.duration}" is not a positive ISO 8601 duration`);
      return { kind: 'cron', index, name, timeZone: c.timeZone, start: start.cron, durationMs, ...bounds };
    }
    // Every profile without a schedule is a default; only the first is used (Azure has exactly one).
    if (defaultSeen) return { kind: 'extraDefault', index, name };
    defaultSeen = true;
    return { kind: 'default', index, name };
  });
}

export function kindOf(all: readonly Compiled[], index: number | null): ProfileKind | null {
  if (index === null) return null;
  const p = all[index];
  if (!p) return null;
  return p.kind === 'invalid' ? p.intended : p.kind === 'extraDefault' ? 'default' : p.kind;
}

export function nameOf(all: readonly Compiled[], index: number | null): string | null {
  return index === null ? null : (all[index]?.name ?? null);
}
