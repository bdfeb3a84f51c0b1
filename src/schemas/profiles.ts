// Zod schemas for autoscale profiles: capacity, rules and at most one schedule (fixed date, weekly recurrence or cron) in an IANA zone.
//
// Shapes follow Azure autoscale settings ("Understand autoscale settings", "Autoscale with multiple
// profiles"): a profile has `name`, `capacity` and `rules`, plus either `fixedDate` { timeZone, start,
// end } or `recurrence` (days of the week and a start time) or neither (the default profile). The
// `cron` schedule follows the KEDA cron scaler (start and end crons in an IANA `timezone`) and AWS
// scheduled actions (5-field Unix cron in an IANA time zone). Meaning: docs/schedules.md.
import { z } from 'zod';
import { parseIsoDuration, toEpochMs } from '../syntax/duration.js';
import { compileCron } from '../syntax/cron.js';
import { DAY_NAMES, fixedDateWindow, isIanaTimeZone, parseClockTime, parseLocalDateTime } from '../syntax/local-time.js';
import { LIMITS } from '../limits.js';

/** The most profiles a rule set may have (LIMIT_CEILINGS.profilesPerSet); the default limit in force is Azure's 20 per autoscale setting. */
export const MAX_PROFILES = LIMITS.profilesPerSet;

/** Cron patterns are short; 128 characters is far beyond any 5-field pattern a person writes. */
const CRON_PATTERN_LENGTH = 128;

const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isIanaTimeZone, {
    message: 'expected an IANA time zone such as "Europe/Berlin" or "America/New_York" (Windows names and bare offsets are not accepted)',
  })
  .meta({ description: 'IANA time zone name, e.g. "Europe/Berlin". Local times of the schedule are read in it, with daylight saving time.' });

const LocalDateTimeText = z
  .string()
  .refine((s) => parseLocalDateTime(s) !== undefined, {
    message: 'expected a date-time such as "2026-12-24T08:00:00" (local to timeZone) or "2026-12-24T08:00:00+01:00"',
  })
  .meta({
    description:
      'Local date-time "YYYY-MM-DDTHH:mm[:ss]" read in the schedule\'s timeZone, or with "Z"/"±HH:MM" for an exact instant. ' +
      'A time skipped by DST means the instant the clock jumps; a repeated time means its first occurrence.',
  });

const ClockTime = z
  .string()
  .refine((s) => parseClockTime(s) !== undefined, { message: 'expected a 24-hour clock time "HH:mm" such as "08:00"' })
  .meta({ description: 'Local clock time "HH:mm" (24-hour).' });

const DayName = z.enum(DAY_NAMES).meta({ description: 'Day of the week, as Azure spells it ("Monday").' });

const Instant = z
  .string()
  .refine((s) => toEpochMs(s) !== undefined, { message: 'expected an instant with an offset such as "2027-01-01T00:00:00Z"' })
  .meta({ description: 'An instant: ISO 8601 with "Z" or an offset.' });

const CronPattern = z
  .string()
  .min(1)
  .max(CRON_PATTERN_LENGTH)
  .meta({ description: 'Standard 5-field cron "minute hour day-of-month month day-of-week" (0 or 7 = Sunday).' });

const FixedDateSchedule = z
  .strictObject({
    timeZone: TimeZone,
    start: LocalDateTimeText.meta({ description: 'First instant of the window (inclusive).' }),
    end: LocalDateTimeText.meta({ description: 'End of the window (exclusive): at this instant the profile no longer applies.' }),
  })
  .superRefine((v, ctx) => {
    // Only when the parts are individually valid, so one mistake is reported once.
    if (!isIanaTimeZone(v.timeZone) || !parseLocalDateTime(v.start) || !parseLocalDateTime(v.end)) return;
    const w = fixedDateWindow(v);
    if (!w.ok) ctx.addIssue({ code: 'custom', path: ['end'], message: w.message });
  })
  .meta({ description: 'Azure fixedDate: the profile applies from start until end, once.' });

const RecurrenceSchedule = z
  .strictObject({
    timeZone: TimeZone,
    days: z
      .array(DayName)
      .min(1)
      .max(7)
      .refine((d) => new Set(d).size === d.length, { message: 'each day may be listed once' })
      .meta({ description: 'Days on which the window STARTS (a window crossing midnight ends on the next day).' }),
    start: ClockTime.meta({ description: 'Local start time on each listed day (inclusive).' }),
    end: ClockTime.optional().meta({
      description:
        'Local end time (exclusive). Earlier than start: the window crosses midnight. ' +
        'Omitted (as in Azure): the profile lasts until another recurring profile starts.',
    }),
  })
  .refine((v) => v.end === undefined || v.end !== v.start, {
    path: ['end'],
    message: 'end equals start: leave end out for a profile that lasts until the next profile starts',
  })
  .meta({ description: 'Weekly recurrence (Azure recurrence with frequency "Week"), with an optional end time.' });

const CronSchedule = z
  .strictObject({
    timeZone: TimeZone,
    start: CronPattern.meta({ description: 'Cron at which a window starts, e.g. "0 8 * * 1-5".' }),
    end: CronPattern.optional().meta({
      description: 'Cron at which the window ends: its first run after the start. Give this, duration, or neither (the profile then lasts until another recurring profile starts).',
    }),
    duration: z
      .string()
      .refine((s) => (parseIsoDuration(s) ?? 0) > 0, { message: 'expected a positive ISO 8601 duration such as "PT10H"' })
      .optional()
      .meta({ description: 'Length of each window (ISO 8601, e.g. "PT10H"). Give this, end, or neither.' }),
    from: Instant.optional().meta({ description: 'No window starts before this instant (AWS scheduled action StartTime with a Recurrence).' }),
    until: Instant.optional().meta({
      description: 'No window starts at or after this instant (AWS EndTime); an open-ended window that started before it still lasts until another profile starts.',
    }),
  })
  .superRefine((v, ctx) => {
    // Neither: open-ended, as a recurrence without end (AWS scheduled actions persist until the next one runs).
    if (v.end !== undefined && v.duration !== undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'give at most one of end (a cron) and duration (ISO 8601); neither means until another recurring profile starts' });
    }
    if (v.from !== undefined && v.until !== undefined && (toEpochMs(v.until) ?? 0) <= (toEpochMs(v.from) ?? 0)) {
      ctx.addIssue({ code: 'custom', path: ['until'], message: 'until is not after from' });
    }
    // KEDA cron scaler: "start and end should not be the same" (the window would be empty).
    if (v.end !== undefined && v.end.trim() === v.start.trim()) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'end equals start: the window would be empty' });
    }
    const zone = isIanaTimeZone(v.timeZone) ? v.timeZone : 'UTC';
    for (const key of ['start', 'end'] as const) {
      const pattern = v[key];
      if (pattern === undefined) continue;
      const c = compileCron(pattern, zone);
      if (!c.ok) ctx.addIssue({ code: 'custom', path: [key], message: `not a 5-field cron pattern: ${c.message}` });
    }
  })
  .meta({
    description:
      'Cron window in an IANA zone (KEDA cron scaler / AWS scheduled actions), ending at an end cron, after a duration, or (neither) when another recurring profile starts.',
  });

const Capacity = z.number().int().min(0).max(LIMITS.maxCapacity);

const ProfileCapacity = z
  .strictObject({
    minimum: Capacity.meta({ description: 'Fewest instances while this profile applies.' }),
    maximum: Capacity.meta({ description: 'Most instances while this profile applies.' }),
    default: Capacity.meta({ description: 'Instances to use when metrics are missing (Azure capacity.default).' }),
  })
  .superRefine((c, ctx) => {
    if (c.minimum > c.maximum) ctx.addIssue({ code: 'custom', path: ['maximum'], message: 'maximum is below minimum' });
    else if (c.default < c.minimum || c.default > c.maximum) ctx.addIssue({ code: 'custom', path: ['default'], message: 'default must lie between minimum and maximum' });
  });

/** A profile schema around a given rule schema: src/schema.ts plugs the real rule schema in through profilesSchema. */
function profileSchema<R extends z.ZodType>(rule: R) {
  return z
    .strictObject({
      name: z.string().min(1).max(LIMITS.idLength).meta({ description: 'Profile name, unique in the list (Azure allows spaces, e.g. "Weekday profile").' }),
      capacity: ProfileCapacity,
      rules: z.array(rule).max(LIMITS.rulesPerSet).optional().meta({ description: 'Scale rules used while this profile applies.' }),
      startCapacity: Capacity.optional().meta({
        description: 'Capacity to set when this profile begins (sent with the cron trigger\'s profile-change decision); clamped to the profile\'s bounds.',
      }),
      fixedDate: FixedDateSchedule.optional(),
      recurrence: RecurrenceSchedule.optional(),
      cron: CronSchedule.optional(),
    })
    .superRefine((p, ctx) => {
      const present = (['fixedDate', 'recurrence', 'cron'] as const).filter((k) => p[k] !== undefined);
      if (present.length > 1) {
        ctx.addIssue({ code: 'custom', path: [present[1]!], message: `a profile has at most one schedule; this one has ${present.join(' and ')}` });
      }
    })
    .meta({ description: 'Autoscale profile: capacity and rules, used while its schedule applies; no schedule = the default profile.' });
}

/** Profiles in the order given: ties between active profiles of one kind go to the earlier one. */
export function profilesSchema<R extends z.ZodType>(rule: R) {
  return z
    .array(profileSchema(rule))
    .min(1)
    .max(MAX_PROFILES)
    .superRefine((list, ctx) => {
      const seen = new Map<string, number>();
      list.forEach((p, i) => {
        const first = seen.get(p.name);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `profile name "${p.name}" is already used by profile ${first}` });
        else seen.set(p.name, i);
      });
    })
    .meta({ description: 'Autoscale profiles. Selection: fixed date, then recurring (recurrence or cron), then default; see docs/schedules.md.' });
}

export const Profiles = profilesSchema(z.unknown());

type FixedDateSchedule = z.infer<typeof FixedDateSchedule>;
type RecurrenceSchedule = z.infer<typeof RecurrenceSchedule>;
type CronSchedule = z.infer<typeof CronSchedule>;
