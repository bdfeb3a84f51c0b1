// Human text for profile selection: each profile's status sentence, DST notes on its window, and the selection message.
import { isoUtc } from '../../syntax/duration.js';
import type { DST_NOTE_CODES } from '../../schemas/codes.js';
import type { ProfileTraceEntry } from '../../schemas/decision.js';
import { addDays, parseLocalDateTime, SECOND_MS, zoneOffsetMs, type LocalDateTime } from '../../syntax/local-time.js';
import { kindOf, nameOf, type Compiled } from './compile.js';
import { cronStartAfter, RECURRING_HORIZON_MS, recurrenceStartsIn, statusAt, type ScheduleZones, type Selection, type Status } from './status.js';

interface DstNote {
  edge: 'start' | 'end';
  code: (typeof DST_NOTE_CODES)[number];
  message: string;
}

const WEEKDAY_ABBR = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** "Sun 2026-03-08 02:15 +05:30" (seconds when not whole minutes): UTC getters on the instant shifted to the zone's wall clock. */
function localText(t: number, timeZone: string): string {
  const seconds = Math.floor(t / SECOND_MS) % 60 !== 0;
  const offset = zoneOffsetMs(t, timeZone);
  const w = new Date(t + offset);
  const date = `${String(w.getUTCFullYear()).padStart(4, '0')}-${pad2(w.getUTCMonth() + 1)}-${pad2(w.getUTCDate())}`;
  const clock = `${pad2(w.getUTCHours())}:${pad2(w.getUTCMinutes())}${seconds ? `:${pad2(w.getUTCSeconds())}` : ''}`;
  // ±HH:mm, seconds of an old local-mean-time offset dropped (as date-fns' `xxx` did).
  const minutes = Math.floor(Math.abs(offset) / 60_000);
  const zone = `${offset < 0 ? '-' : '+'}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
  return `${WEEKDAY_ABBR[w.getUTCDay()]} ${date} ${clock} ${zone}`;
}

function zoneOf(p: Compiled): string {
  return p.kind === 'fixedDate' || p.kind === 'recurrence' || p.kind === 'cron' ? p.timeZone : 'UTC';
}

function atText(t: number, p: Compiled): string {
  return `${isoUtc(t)} (${localText(t, zoneOf(p))} ${zoneOf(p)})`;
}

function dstNotes(zones: ScheduleZones, p: Compiled, window: { start: number; end?: number } | undefined): DstNote[] | undefined {
  if (!window) return undefined;
  const notes: DstNote[] = [];
  const check = (edge: 'start' | 'end', local: LocalDateTime | undefined): void => {
    if (!local) return;
    const r = zones.resolve(local, zoneOf(p));
    const text = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')} on ${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
    if (r.adjustment === 'gap')
      notes.push({
        edge,
        code: 'NonexistentLocalTime',
        message: `${text} does not exist in ${zoneOf(p)} (clocks jump forward); the ${edge} is when the clock jumps, ${isoUtc(r.instant)}.`,
      });
    if (r.adjustment === 'overlap')
      notes.push({
        edge,
        code: 'RepeatedLocalTime',
        message: `${text} happens twice in ${zoneOf(p)} (clocks go back); the ${edge} is the first occurrence, ${isoUtc(r.instant)}.`,
      });
  };
  if (p.kind === 'recurrence') {
    const d = zones.localDateOf(window.start, p.timeZone);
    // The start of a gap-adjusted window lies after the gap on the same local date, so `d` is its date.
    check('start', { ...d, hour: p.start.hour, minute: p.start.minute, second: 0 });
    if (p.end && window.end !== undefined) check('end', { ...(p.crosses ? addDays(d, 1) : d), hour: p.end.hour, minute: p.end.minute, second: 0 });
  } else if (p.kind === 'fixedDate') {
    const s = parseLocalDateTime(p.spec.start);
    const e = parseLocalDateTime(p.spec.end);
    if (s && s.offsetMs === undefined) check('start', s.local);
    if (e && e.offsetMs === undefined) check('end', e.local);
  }
  return notes.length > 0 ? notes : undefined;
}

function nextStartOf(zones: ScheduleZones, p: Compiled, t: number): number | undefined {
  if (p.kind === 'fixedDate') return p.start > t ? p.start : undefined;
  if (p.kind === 'recurrence') return recurrenceStartsIn(zones, p, t, t + RECURRING_HORIZON_MS)[0];
  if (p.kind === 'cron') return cronStartAfter(zones, p, t);
  return undefined;
}

function describeStatus(all: readonly Compiled[], p: Compiled, s: Status): string {
  const w = s.window;
  switch (s.code) {
    case 'InFixedDateWindow':
      return `Fixed date window ${atText(w!.start, p)} to ${atText(w!.end!, p)} holds the instant.`;
    case 'FixedDateNotStarted':
      return `Fixed date window starts later, at ${atText(w!.start, p)}.`;
    case 'FixedDateEnded':
      return `Fixed date window ended at ${atText(w!.end!, p)}.`;
    case 'InRecurrenceWindow':
      return `Recurring window ${atText(w!.start, p)} to ${atText(w!.end!, p)} holds the instant.`;
    case 'OutsideRecurrenceWindow':
      return w?.end !== undefined ? `Outside the recurring windows; the last one ended at ${atText(w.end, p)}.` : 'Outside the recurring windows.';
    case 'OpenEndedSinceStart':
      return `Started at ${atText(w!.start, p)} with no end time; no other recurring profile has started since (Azure: it lasts until the next profile starts).`;
    case 'EndedByLaterStart':
      return `Started at ${atText(w!.start, p)} with no end time, and ended when "${nameOf(all, s.endedBy!.index)}" started at ${atText(s.endedBy!.at, p)}.`;
    case 'InCronWindow':
      return w!.end !== undefined
        ? `Cron window ${atText(w!.start, p)} to ${atText(w!.end, p)} holds the instant.`
        : `Cron window started at ${atText(w!.start, p)} and its end cron never fires.`;
    case 'CronWindowEnded':
      return `The last cron window ${atText(w!.start, p)} to ${atText(w!.end!, p)} has ended.`;
    case 'CronNeverStarted':
      return 'The start cron has never fired before this instant.';
    case 'DefaultProfile':
      return 'Default profile (no schedule): used when no fixed-date or recurring profile is active.';
    case 'ExtraDefaultIgnored':
      return 'A second profile without a schedule: only the first default profile is used.';
    case 'InvalidSchedule':
      return p.kind === 'invalid' ? `Schedule is invalid and ignored: ${p.message}.` : 'Schedule is invalid and ignored.';
  }
}

export function buildTrace(
  zones: ScheduleZones,
  all: readonly Compiled[],
  t: number,
  selected: Selection,
): { trace: ProfileTraceEntry[]; window?: { start: number; end?: number } } {
  const winner = selected.index === null ? undefined : all[selected.index];
  let selectedWindow: { start: number; end?: number } | undefined;
  const trace = all.map((p): ProfileTraceEntry => {
    const s = statusAt(zones, all, p, t);
    const kind = kindOf(all, p.index)!;
    // Instants in an answer are ISO text, as everywhere else in a decision (issue #19: one timestamp format).
    const base = { index: p.index, name: p.name, kind, code: s.code, ...(s.window && { window: isoWindow(s.window) }) };
    let message = describeStatus(all, p, s);
    let status: ProfileTraceEntry['status'];
    let outrankedBy: string | undefined;
    if (p.kind === 'invalid') status = 'Invalid';
    else if (p.kind === 'extraDefault') status = 'Inactive';
    else if (p.index === selected.index) {
      status = 'Selected';
      selectedWindow = s.window;
    } else if (s.active && p.kind === 'default') {
      status = 'Standby';
      message = `${message} Not needed: "${winner?.name}" is active.`;
    } else if (s.active) {
      status = 'Outranked';
      outrankedBy = winner?.name;
      message =
        winner?.kind === 'fixedDate' && p.kind !== 'fixedDate'
          ? `${message} Outranked: fixed-date profile "${winner.name}" comes first (Azure order: fixed date, recurring, default).`
          : `${message} Outranked: "${winner?.name}" is earlier in the profile list.`;
    } else status = 'Inactive';
    const next = status === 'Inactive' ? nextStartOf(zones, p, t) : undefined;
    const dst = dstNotes(zones, p, s.window);
    return { ...base, status, message, ...(next !== undefined && { nextStart: isoUtc(next) }), ...(outrankedBy !== undefined && { outrankedBy }), ...(dst && { dst }) };
  });
  return { trace, ...(selectedWindow && { window: selectedWindow }) };
}

function isoWindow(w: { start: number; end?: number }): { start: string; end?: string } {
  return w.end === undefined ? { start: isoUtc(w.start) } : { start: isoUtc(w.start), end: isoUtc(w.end) };
}

export function selectionMessage(all: readonly Compiled[], s: Selection, t: number): string {
  const name = nameOf(all, s.index);
  switch (s.code) {
    case 'FixedDateActive':
      return `Fixed-date profile "${name}" is active at ${isoUtc(t)}; fixed dates are evaluated first.`;
    case 'RecurrenceActive':
      return `Recurring profile "${name}" is active at ${isoUtc(t)} and no fixed-date profile is.`;
    case 'CronActive':
      return `Cron profile "${name}" is active at ${isoUtc(t)} and no fixed-date profile is.`;
    case 'DefaultProfile':
      return `No fixed-date or recurring profile is active at ${isoUtc(t)}; the default profile "${name}" applies.`;
    case 'NoProfileActive':
      return `No profile is active at ${isoUtc(t)} and there is no default profile (one without a schedule) to fall back to.`;
    case 'InvalidInstant':
      return 'The instant is not a finite number of epoch milliseconds.';
  }
}
