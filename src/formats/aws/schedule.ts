// AWS scheduled actions → native profiles, where AWS's meaning can be kept; refused with a code and path where it cannot.
//
// AWS semantics (EC2 Auto Scaling User Guide "Scheduled scaling for Amazon EC2 Auto Scaling",
// Considerations: "A scheduled action sets the desired, minimum, and maximum sizes to what is specified
// by the scheduled action at the date and time specified. The request can optionally include only one of
// these sizes."; "By default, the recurring schedules that you set are in Coordinated Universal Time
// (UTC) … When you specify a time zone that observes Daylight Saving Time (DST), the action
// automatically adjusts for DST"; API ScheduledUpdateGroupAction / PutScheduledUpdateGroupAction): the
// sizes an action sets stay so until something else changes them — the next action. `Recurrence` is a
// 5-field Unix cron; a one-time action has only `StartTime` (UTC); "When StartTime and EndTime are
// specified with Recurrence, they form the boundaries of when the recurring action starts and stops".
//
// The native side (docs/schedules.md): a `recurrence` without `end`, and a `cron` without `end` or
// `duration`, last "until another recurring profile starts" — exactly an action persisting until the
// next run of any other action — so each weekly cron (fixed minutes and hours, any day-of-month and
// month, listed days of the week) becomes such a recurrence, and any other cron such an open cron. A
// lone recurring action is then in force from its first run on, as in AWS (each run sets the same
// sizes again). A `fixedDate` outranks recurrences while it lasts, so a one-time action becomes a
// fixed date from its StartTime to the next run of any action, or to FOREVER when nothing runs after
// it (it changes the group for good). What cannot be kept is refused (AWS_IMPORT_CODES):
// A recurrence's EndTime (and a template's StartTime) bound its runs: the profile becomes a cron with
// `until` (and `from`); its sizes still persist after EndTime until another action runs.
// - AwsScheduleEndTime: an EndTime without a Recurrence (a one-time action runs once);
// - AwsSchedulePartialCapacity: an action that leaves MinSize or MaxSize as it is while other actions
//   set it to different values (the value then depends on which ran last; when every setter sets the
//   same value it is that value, and when no action sets it, it is the group's).
import { compileCron } from '../../syntax/cron.js';
import { isoUtc, toEpochMs } from '../../syntax/duration.js';
import { DAY_NAMES, isIanaTimeZone } from '../../syntax/local-time.js';
import type { RuleSetInput } from '../../schema.js';
import { joinPath, uniqueId, type ImportContext } from '../import-context.js';
import { leaveOut, num, refuse, text, type AwsActionIn, type AwsInput } from './read.js';

type ProfileInput = NonNullable<RuleSetInput['profiles']>[number];
type DayName = (typeof DAY_NAMES)[number];

const ACTION_FIELDS = [
  'AutoScalingGroupName',
  'ScheduledActionName',
  'ScheduledActionARN',
  'MinSize',
  'MaxSize',
  'DesiredCapacity',
  'Recurrence',
  'StartTime',
  'EndTime',
  'TimeZone',
  'Time',
];

/** The group's own bounds, which an action that leaves a field alone keeps. */
export interface GroupBounds {
  min?: number;
  max?: number;
}

interface ReadAction {
  src: AwsActionIn;
  min?: number;
  max?: number;
  desired?: number;
  zone: string;
  recurrence?: string;
  start?: number;
  /** A recurrence's bounds: no run before `from` (StartTime of a template) or at or after `until` (EndTime). */
  from?: number;
  until?: number;
}

const DOW_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** One cron field as the listed values it allows; undefined for `*`, steps or anything unreadable. */
function listField(field: string, lo: number, hi: number, names: readonly string[] = [], ranges = false): number[] | undefined {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^([A-Za-z]{3}|\d+)(?:-([A-Za-z]{3}|\d+))?$/.exec(part);
    if (!m || (m[2] !== undefined && !ranges)) return undefined;
    const read = (s: string) => (/^\d+$/.test(s) ? Number(s) : names.indexOf(s.toUpperCase()));
    const a = read(m[1]!);
    const b = m[2] === undefined ? a : read(m[2]);
    if (a < lo || b > hi || a > b) return undefined;
    for (let v = a; v <= b; v++) values.add(v);
  }
  return [...values].sort((x, y) => x - y);
}

/** A cron that is a weekly recurrence: fixed minutes and hours on listed days (any day of month, any month). */
export function weeklyCron(pattern: string): { days: DayName[]; times: string[] } | undefined {
  const f = pattern.trim().split(/\s+/);
  if (f.length !== 5) return undefined;
  const [minute, hour, dom, month, dow] = f as [string, string, string, string, string];
  if (!['*', '?'].includes(dom) || month !== '*') return undefined;
  const minutes = listField(minute, 0, 59);
  const hours = listField(hour, 0, 23);
  const days = dow === '*' || dow === '?' ? [0, 1, 2, 3, 4, 5, 6] : listField(dow, 0, 7, DOW_NAMES, true)?.map((d) => d % 7);
  if (!minutes || !hours || !days) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  return { days: [...new Set(days)].sort((a, b) => a - b).map((d) => DAY_NAMES[d]!), times: hours.flatMap((h) => minutes.map((m) => `${pad(h)}:${pad(m)}`)) };
}

function readAction(a: AwsActionIn, input: AwsInput, ctx: ImportContext): ReadAction | undefined {
  const { props, path } = a;
  const before = ctx.issues.length;
  for (const key of Object.keys(props)) {
    if (!ACTION_FIELDS.includes(key)) leaveOut(ctx, 'AwsUnknownField', joinPath(path, key), `scheduled action field "${key}" has no edgescale equivalent and is left out`);
  }
  const count = (key: string) => {
    const n = num(props, key, path, input, ctx);
    if (typeof n === 'number' && !(Number.isInteger(n) && n >= 0)) return refuse(ctx, 'AwsInvalidValue', joinPath(path, key), `${key} must be a non-negative integer, got ${n}`);
    return n ?? undefined;
  };
  const min = count('MinSize');
  const max = count('MaxSize');
  const desired = count('DesiredCapacity');
  const zone = text(props, 'TimeZone', path, input, ctx) ?? 'UTC';
  const recurrence = text(props, 'Recurrence', path, input, ctx) ?? undefined;
  const startText = text(props, 'StartTime', path, input, ctx) ?? undefined;
  const endText = text(props, 'EndTime', path, input, ctx) ?? undefined;
  if (ctx.issues.length > before) return undefined;
  if (!isIanaTimeZone(zone)) return refuse(ctx, 'AwsInvalidValue', joinPath(path, 'TimeZone'), `TimeZone "${zone}" is not an IANA time zone`);
  if (endText !== undefined && recurrence === undefined) {
    return refuse(ctx, 'AwsScheduleEndTime', joinPath(path, 'EndTime'), 'EndTime bounds a Recurrence; a one-time action runs once, at its StartTime, so EndTime has no meaning without one');
  }
  if (min === undefined && max === undefined && desired === undefined) {
    return refuse(ctx, 'AwsInvalidValue', path, 'a scheduled action must set at least one of MinSize, MaxSize and DesiredCapacity');
  }
  const instant = (key: 'StartTime' | 'EndTime', t: string) => {
    const ms = toEpochMs(t);
    return ms === undefined ? refuse(ctx, 'AwsInvalidValue', joinPath(path, key), `${key} "${t}" is not a date-time in UTC such as "2026-06-01T00:00:00Z"`) : ms;
  };
  const out: ReadAction = { src: a, zone, ...(min !== undefined && { min }), ...(max !== undefined && { max }), ...(desired !== undefined && { desired }) };
  if (recurrence !== undefined) {
    const c = compileCron(recurrence, zone);
    if (!c.ok) return refuse(ctx, 'AwsInvalidValue', joinPath(path, 'Recurrence'), `not a 5-field cron: ${c.message}`);
    // "When StartTime and EndTime are specified with Recurrence, they form the boundaries of when the
    // recurring action starts and stops." describe-scheduled-actions reports a recurrence's next run as
    // StartTime (and Time), so there the cron alone decides; a template's StartTime is a bound.
    const bounded = input.source === 'cloudformation' && startText !== undefined;
    const from = bounded ? instant('StartTime', startText) : undefined;
    const until = endText === undefined ? undefined : instant('EndTime', endText);
    if ((bounded && from === undefined) || (endText !== undefined && until === undefined)) return undefined;
    if (startText !== undefined && !bounded) ctx.notes.push(`${a.name}: StartTime ${startText} of a recurring action is read as its next run; the recurrence decides when it runs.`);
    if (from !== undefined && until !== undefined && until <= from) return refuse(ctx, 'AwsInvalidValue', joinPath(path, 'EndTime'), `EndTime ${endText} is not after StartTime ${startText}`);
    return { ...out, recurrence, ...(from !== undefined && { from }), ...(until !== undefined && { until }) };
  }
  if (startText === undefined) return refuse(ctx, 'AwsInvalidValue', path, 'a scheduled action needs a Recurrence or a StartTime');
  const start = instant('StartTime', startText);
  return start === undefined ? undefined : { ...out, start };
}

/** The capacity a profile has while the action is in force, or undefined (with an issue). */
function capacityOf(a: ReadAction, all: ReadAction[], group: GroupBounds, ctx: ImportContext): ProfileInput['capacity'] | undefined {
  const pick = (key: 'min' | 'max', field: string): number | undefined => {
    const own = a[key];
    if (own !== undefined) return own;
    const setters = all.filter((b) => b[key] !== undefined);
    const values = [...new Set(setters.map((b) => b[key]!))];
    // Every action that sets the field sets the same value: once one has run, the field is that value
    // whichever ran last (before the first of them runs it is still the group's).
    if (values.length === 1) {
      ctx.notes.push(`${a.src.name} leaves ${field} as it is; every action that sets it sets ${values[0]}, so its profile has ${field} ${values[0]}.`);
      return values[0];
    }
    if (values.length > 1) {
      return refuse(
        ctx,
        'AwsSchedulePartialCapacity',
        a.src.path,
        `${a.src.name} leaves ${field} as it is, but ${setters.map((b) => `${b.src.name} sets it to ${b[key]}`).join(', ')}, so its value depends on which action ran last; set ${field} on ${a.src.name}`,
      );
    }
    const base = group[key];
    if (base === undefined)
      return refuse(
        ctx,
        'AwsNoCapacity',
        a.src.path,
        `${a.src.name} leaves ${field} as it is and the input has no Auto Scaling group to take it from; set ${field} or include the group`,
      );
    return base;
  };
  const minimum = pick('min', 'MinSize');
  const maximum = pick('max', 'MaxSize');
  if (minimum === undefined || maximum === undefined) return undefined;
  if (minimum > maximum) return refuse(ctx, 'AwsInvalidValue', a.src.path, `${a.src.name} gives MinSize ${minimum} above MaxSize ${maximum}`);
  const def = Math.min(maximum, Math.max(minimum, a.desired ?? minimum));
  return { minimum, maximum, default: def };
}

/**
 * The end of a one-time action that no later action undoes: it sets the group for good, so its fixed
 * date runs to the last second ISO 8601 writes without extensions (src/syntax/duration.ts LATEST_MS).
 */
const FOREVER = '9999-12-31T23:59:59Z';

/** The group's scheduled actions as profiles; undefined when one was refused (the issues say why). */
export function importSchedule(actions: AwsActionIn[], input: AwsInput, group: GroupBounds, ctx: ImportContext): ProfileInput[] | undefined {
  const before = ctx.issues.length;
  const read = actions.flatMap((a) => readAction(a, input, ctx) ?? []);
  if (ctx.issues.length > before) return undefined;
  const recurring = read.filter((a) => a.recurrence !== undefined);
  const names = new Set<string>();
  const profiles: ProfileInput[] = [];
  let forever = false;
  for (const a of read) {
    const capacity = capacityOf(a, read, group, ctx);
    if (!capacity) continue;
    const base = { capacity, ...(a.desired !== undefined && { startCapacity: a.desired }) };
    if (a.recurrence !== undefined) {
      const bounds = { ...(a.from !== undefined && { from: isoUtc(a.from) }), ...(a.until !== undefined && { until: isoUtc(a.until) }) };
      const w = Object.keys(bounds).length > 0 ? undefined : weeklyCron(a.recurrence);
      if (!w) {
        // Any other cron, or one with StartTime/EndTime bounds: open-ended, from each run until any other action's run (docs/schedules.md).
        profiles.push({ name: uniqueId(a.src.name, names, ' #'), ...base, cron: { timeZone: a.zone, start: a.recurrence, ...bounds } });
        continue;
      }
      for (const time of w.times) {
        const name = uniqueId(w.times.length === 1 ? a.src.name : `${a.src.name} @${time}`, names, ' #');
        profiles.push({ name, ...base, recurrence: { timeZone: a.zone, days: w.days, start: time } });
      }
      continue;
    }
    // A one-time action lasts until the next action of any kind runs.
    const start = a.start!;
    const next = Math.min(
      ...read.filter((b) => b.start !== undefined && b.start > start).map((b) => b.start!),
      ...recurring.flatMap((b) => {
        const c = compileCron(b.recurrence!, b.zone);
        const run = c.ok ? c.cron.nextRun(new Date(Math.max(start, (b.from ?? 0) - 1000))) : null;
        return run && (b.until === undefined || run.getTime() < b.until) ? [run.getTime()] : [];
      }),
    );
    forever ||= !Number.isFinite(next);
    const end = Number.isFinite(next) ? isoUtc(next) : FOREVER;
    profiles.push({ name: uniqueId(a.src.name, names, ' #'), ...base, fixedDate: { timeZone: a.zone, start: isoUtc(start), end } });
  }
  if (ctx.issues.length > before) return undefined;
  if (profiles.some((p) => p.recurrence))
    ctx.notes.push('Each weekly recurring action became a recurrence without an end: it lasts until another one starts, as a scheduled action stays in force until the next one runs.');
  if (profiles.some((p) => p.cron))
    ctx.notes.push('Each other recurring action became a cron profile without an end: from each run until any other action runs, as AWS keeps the sizes it set until then.');
  if (profiles.some((p) => p.fixedDate)) ctx.notes.push('Each one-time action became a fixed date that lasts until the next action runs.');
  if (forever) ctx.notes.push(`A one-time action that no later action undoes sets the group for good: its fixed date ends at ${FOREVER}.`);
  if (profiles.some((p) => p.startCapacity !== undefined))
    ctx.notes.push("DesiredCapacity became the profile's startCapacity (sent by the cron trigger when the profile begins); dynamic policies then move it, as in AWS.");
  return profiles;
}
