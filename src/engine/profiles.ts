// Which autoscale profile is active at an instant (Azure multi-profile order), when that changes, and DST-exact local times.
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
//
// DST rule (one rule, both directions): a local date and clock time means THE FIRST INSTANT AT WHICH THE
// LOCAL WALL CLOCK OF THAT DATE SHOWS THAT TIME OR LATER.
//   - Time inside a spring-forward gap (02:30 on 2026-03-08 in New York, where 02:00 jumps to 03:00):
//     the instant the clock jumps, i.e. 03:00 EDT = 07:00Z. Not "shift by the gap length" (which would
//     give 03:30): every time in the gap maps to the same instant, so a window never starts later
//     than the first moment its start time has passed, and this is exactly what croner does for
//     fixed-time cron jobs, so recurrence and cron profiles agree.
//   - Time inside a fall-back overlap (01:30 on 2026-11-01 in New York): the first occurrence
//     (01:30 EDT = 05:30Z). The clock first reads 01:30 then; a start or end happens once, never
//     twice, and again this is croner's rule for fixed-time jobs.
// date-fns-tz `fromZonedTime` is NOT used for this: it resolves a gap time to the instant before the
// gap (02:30 New York → 06:30Z) and picks the first or second occurrence of a repeated time depending
// on the zone, so resolution is done here with the zone's offset at an instant as the oracle.
//
// No answer depends on the host's own time zone (the Node CLI runs in the user's TZ): offsets come from
// Intl (the same formatToParts oracle date-fns-tz uses inside), and wall clocks are read with UTC
// getters on instants shifted by that offset. date-fns-tz `toZonedTime` and `formatInTimeZone` are not
// used: they build a Date through the host's local setters, which move a wall-clock time that falls in
// a host DST gap (02:30 UTC on 2026-03-08 read on a New York machine) an hour later.
import { Cron } from 'croner';
import { formatIsoDuration, isoUtc, parseIsoDuration } from './duration.js';
import { DST_NOTE_CODES, PROFILE_KINDS, PROFILE_STATUS_CODES } from '../schemas/codes.js';
import type { ProfileTraceEntry } from '../schemas/decision.js';

// ---------------------------------------------------------------------------------------------
// Limits

const SECOND_MS = 1_000;
const DAY_MS = 86_400_000;

/**
 * How far ahead (and back, for `since`) recurring boundaries are searched: a weekly recurrence
 * repeats every 7 days; the eighth day covers a window that crosses midnight or a DST change.
 */
const RECURRING_HORIZON_MS = 8 * DAY_MS;

/**
 * Boundaries (starts and ends) examined in one search. Twenty weekly profiles have at most
 * 20 × 8 × 2 = 320 in 8 days, so only patterns firing more often than hourly reach the limit
 * (every minute: 11,520). croner needs ~80 µs per run it finds, so 500 keeps a search near 50 ms.
 */
const MAX_BOUNDARIES = 500;

/**
 * Longest range `profileChangesBetween` looks at. The cron-trigger adapter asks about the time since
 * its previous tick (minutes); a month still covers a worker that was down for weeks.
 */
const MAX_CHANGES_RANGE_MS = 31 * DAY_MS;

/** Local days searched back for the latest start of a recurrence: a full week, inclusive (a Monday-only profile asked on Monday before its start last began 7 days ago). */
const LOOKBACK_DAYS = 7;

/**
 * croner options shared by validation and evaluation. "5-part" is standard cron (0 = Sunday);
 * "no-wildcard" makes lists and ranges (`0 8,12 * * *`) follow the same DST rule as recurrences,
 * not only single values (croner README, fixedTimeRule).
 */
const CRON_OPTIONS = { paused: true, mode: '5-part', fixedTimeRule: 'no-wildcard' } as const;

// ---------------------------------------------------------------------------------------------
// Input shapes (structural, so any rule schema the lead plugs in fits)

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export type DayName = (typeof DAY_NAMES)[number];

export interface FixedDateSpec {
  timeZone: string;
  start: string;
  end: string;
}
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
}
export interface ProfileSchedule {
  name: string;
  fixedDate?: FixedDateSpec | undefined;
  recurrence?: RecurrenceSpec | undefined;
  cron?: CronSpec | undefined;
}

type ProfileKind = (typeof PROFILE_KINDS)[number];

// ---------------------------------------------------------------------------------------------
// Results

type SelectionCode = 'FixedDateActive' | 'RecurrenceActive' | 'CronActive' | 'DefaultProfile' | 'NoProfileActive' | 'InvalidInstant';

type ProfileStatusCode = (typeof PROFILE_STATUS_CODES)[number];

interface DstNote {
  edge: 'start' | 'end';
  code: (typeof DST_NOTE_CODES)[number];
  message: string;
}

interface ProfileChangeTarget {
  at: number;
  to: string | null;
  index: number | null;
  kind: ProfileKind | null;
}

type NextChangeCode = 'ChangeFound' | 'FixedDateBeyondHorizon' | 'NoChangeWithinHorizon' | 'NoFurtherChange' | 'SearchLimitReached';

export interface ActiveProfileResult {
  code: SelectionCode;
  message: string;
  profile: string | null;
  index: number | null;
  kind: ProfileKind | null;
  /** When the selection last changed to this profile (searched back RECURRING_HORIZON_MS; absent if longer or unknown). */
  since?: number;
  /** The selected profile's own schedule window containing the instant. */
  window?: { start: number; end?: number };
  nextChange: ProfileChangeTarget | null;
  nextChangeSearch: { code: NextChangeCode; searchedUntil: number; message: string };
  trace: ProfileTraceEntry[];
}

interface ProfileChange {
  at: number;
  from: string | null;
  fromIndex: number | null;
  to: string | null;
  toIndex: number | null;
  kind: ProfileKind | null;
  code: SelectionCode;
}

export interface ProfileChangesResult {
  code: 'Complete' | 'SearchLimitReached' | 'RangeTooLong' | 'InvalidRange';
  message: string;
  changes: ProfileChange[];
  /** Changes are complete up to and including this instant. */
  searchedUntil: number;
}

// ---------------------------------------------------------------------------------------------
// Local date-times and time zones

export interface LocalDateTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** IANA names only: letters first, no spaces (Windows names such as "W. Europe Standard Time" are refused) and not a bare offset. */
const IANA_NAME_RE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** True when `timeZone` is an IANA name the runtime's Intl knows (Intl.DateTimeFormat throws RangeError otherwise). */
export function isIanaTimeZone(timeZone: string): boolean {
  if (!IANA_NAME_RE.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const LOCAL_DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * "2026-12-24T08:00" / "2026-12-24T08:00:00" (local, read in the profile's zone) or with "Z"/"+01:00"
 * (an exact instant, the zone is then not consulted). Undefined when malformed or not a calendar date.
 */
export function parseLocalDateTime(text: string): { local: LocalDateTime; offsetMs?: number } | undefined {
  const m = LOCAL_DATE_TIME_RE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, off] = m;
  const local: LocalDateTime = { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: s === undefined ? 0 : Number(s) };
  if (!validLocal(local)) return undefined;
  if (off === undefined) return { local };
  if (off === 'Z') return { local, offsetMs: 0 };
  const sign = off.startsWith('-') ? -1 : 1;
  const oh = Number(off.slice(1, 3));
  const om = Number(off.slice(4, 6));
  if (oh > 23 || om > 59) return undefined;
  return { local, offsetMs: sign * (oh * 3_600_000 + om * 60_000) };
}

const CLOCK_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** "08:00" → minutes after local midnight; undefined when malformed. */
export function parseClockTime(text: string): { hour: number; minute: number } | undefined {
  const m = CLOCK_RE.exec(text);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
}

function validLocal(l: LocalDateTime): boolean {
  if (l.month < 1 || l.month > 12 || l.day < 1 || l.hour > 23 || l.minute > 59 || l.second > 59) return false;
  const probe = new Date(Date.UTC(l.year, l.month - 1, l.day));
  return probe.getUTCMonth() === l.month - 1 && probe.getUTCDate() === l.day;
}

/** One Intl formatter per zone (a module-level cache of formatters, not of answers): 24-hour numeric fields. */
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let f = wallClockFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    wallClockFormats.set(timeZone, f);
  }
  return f;
}

/**
 * Offset of `timeZone` from UTC at instant `t`, in ms (whole seconds, as zone offsets are), without
 * the host's zone: the zone's wall clock from Intl, read as if it were UTC, minus `t` to the second.
 */
function zoneOffsetMs(t: number, timeZone: string): number {
  const f: Record<string, number> = {};
  for (const part of wallClockFormat(timeZone).formatToParts(t)) {
    if (part.type !== 'literal') f[part.type] = Number(part.value);
  }
  const wall = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  wall.setUTCFullYear(f.year!, f.month! - 1, f.day!);
  wall.setUTCHours(f.hour! % 24, f.minute!, f.second!, 0);
  return wall.getTime() - (t - (((t % SECOND_MS) + SECOND_MS) % SECOND_MS));
}

/**
 * Per-call memo of zone offsets and local-time resolutions. Created by each exported function and
 * dropped when it returns, so the engine keeps no state between calls; it only avoids asking Intl
 * for the same instant again while boundaries are searched.
 */
class Zones {
  private readonly offsets = new Map<string, number>();
  private readonly locals = new Map<string, Resolved>();
  /** Per cron: spans (from, to] whose runs are all known, filled while boundaries are enumerated. */
  readonly cronSpans = new Map<Cron, CronSpan[]>();

  /** Offset of `timeZone` from UTC at instant `t`, in ms (local wall clock = t + offset). */
  offsetAt(t: number, timeZone: string): number {
    const key = `${timeZone}|${t}`;
    const hit = this.offsets.get(key);
    if (hit !== undefined) return hit;
    const offset = zoneOffsetMs(t, timeZone);
    this.offsets.set(key, offset);
    return offset;
  }

  localDateOf(t: number, timeZone: string): LocalDate {
    const wall = new Date(t + this.offsetAt(t, timeZone));
    return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
  }

  resolve(l: LocalDateTime, timeZone: string): Resolved {
    const key = `${timeZone}|${l.year}-${l.month}-${l.day}T${l.hour}:${l.minute}:${l.second}`;
    const hit = this.locals.get(key);
    if (hit) return hit;
    const r = resolveWith(this, l, timeZone);
    this.locals.set(key, r);
    return r;
  }
}

/** Every run of one cron in (from, to], ascending. */
interface CronSpan {
  from: number;
  to: number;
  runs: number[];
}

interface Resolved {
  instant: number;
  /** 'gap': the local time does not exist that day; 'overlap': it happens twice (first taken). */
  adjustment: 'none' | 'gap' | 'overlap';
}

function resolveWith(zones: Zones, l: LocalDateTime, timeZone: string): Resolved {
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  // Offsets a day either side bracket any DST change near this local time; each gives one candidate.
  const before = zones.offsetAt(wall - DAY_MS, timeZone);
  const after = zones.offsetAt(wall + DAY_MS, timeZone);
  const candidates = before === after ? [wall - before] : [wall - before, wall - after];
  const valid = candidates.filter((t) => t + zones.offsetAt(t, timeZone) === wall);
  if (valid.length === 2) return { instant: Math.min(...valid), adjustment: 'overlap' };
  if (valid.length === 1) return { instant: valid[0]!, adjustment: 'none' };
  // In a gap: the wall clock jumps over `wall`. Binary-search (whole seconds, as zone offsets are) the
  // first instant whose wall clock reads `wall` or later: the instant of the jump.
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  if (lo === hi) return { instant: lo, adjustment: 'none' }; // no change nearby; cannot happen for real zones
  while (hi - lo > SECOND_MS) {
    const mid = lo + Math.floor((hi - lo) / (2 * SECOND_MS)) * SECOND_MS;
    if (mid + zones.offsetAt(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return { instant: hi, adjustment: 'gap' };
}

/**
 * The instant a local date-time means in `timeZone`, by the DST rule at the top of this file:
 * the first instant at which the wall clock shows that time or later.
 */
export function resolveLocalTime(local: LocalDateTime, timeZone: string): Resolved {
  return new Zones().resolve(local, timeZone);
}

function addDays(d: LocalDate, k: number): LocalDate {
  const u = new Date(Date.UTC(d.year, d.month - 1, d.day + k));
  return { year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() };
}

function weekdayOf(d: LocalDate): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

// ---------------------------------------------------------------------------------------------
// Compiled profiles

interface Clock {
  hour: number;
  minute: number;
}

type Compiled =
  | { kind: 'fixedDate'; index: number; name: string; timeZone: string; start: number; end: number; spec: FixedDateSpec }
  | { kind: 'recurrence'; index: number; name: string; timeZone: string; days: ReadonlySet<number>; start: Clock; end?: Clock; crosses: boolean }
  | { kind: 'cron'; index: number; name: string; timeZone: string; start: Cron; end?: Cron; durationMs?: number }
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

/** Compile a cron pattern in a zone with edgescale's croner options, as a value (croner throws). */
export function compileCron(pattern: string, timeZone: string): { ok: true; cron: Cron } | { ok: false; message: string } {
  try {
    return { ok: true, cron: new Cron(pattern, { ...CRON_OPTIONS, timezone: timeZone }) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/** A fixed date window's instants, or a reason when it is malformed or empty (used by the schema too). */
export function fixedDateWindow(spec: FixedDateSpec): { ok: true; start: number; end: number } | { ok: false; message: string } {
  return fixedWindowWith(new Zones(), spec);
}

function fixedWindowWith(zones: Zones, spec: FixedDateSpec): { ok: true; start: number; end: number } | { ok: false; message: string } {
  if (!isIanaTimeZone(spec.timeZone)) return { ok: false, message: `"${spec.timeZone}" is not an IANA time zone` };
  const at = (text: string): number | undefined => {
    const p = parseLocalDateTime(text);
    if (!p) return undefined;
    if (p.offsetMs !== undefined) {
      const l = p.local;
      return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - p.offsetMs;
    }
    return zones.resolve(p.local, spec.timeZone).instant;
  };
  const start = at(spec.start);
  const end = at(spec.end);
  if (start === undefined) return { ok: false, message: `start "${spec.start}" is not a date-time like 2026-12-24T08:00:00` };
  if (end === undefined) return { ok: false, message: `end "${spec.end}" is not a date-time like 2026-12-24T18:00:00` };
  if (end <= start) return { ok: false, message: `end ${isoUtc(end)} is not after start ${isoUtc(start)}` };
  return { ok: true, start, end };
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
      if ((c.end === undefined) === (c.duration === undefined)) return invalid('cron', 'give exactly one of end and duration');
      if (c.end !== undefined) {
        const end = compileCron(c.end, c.timeZone);
        if (!end.ok) return invalid('cron', `end: ${end.message}`);
        return { kind: 'cron', index, name, timeZone: c.timeZone, start: start.cron, end: end.cron };
      }
      const durationMs = parseIsoDuration(c.duration!);
      if (durationMs === undefined || durationMs <= 0) return invalid('cron', `duration "${c.duration}" is not a positive ISO 8601 duration`);
      return { kind: 'cron', index, name, timeZone: c.timeZone, start: start.cron, durationMs };
    }
    // Every profile without a schedule is a default; only the first is used (Azure has exactly one).
    if (defaultSeen) return { kind: 'extraDefault', index, name };
    defaultSeen = true;
    return { kind: 'default', index, name };
  });
}

// ---------------------------------------------------------------------------------------------
// Schedule arithmetic

function clockOn(zones: Zones, d: LocalDate, c: Clock, timeZone: string): Resolved {
  return zones.resolve({ ...d, hour: c.hour, minute: c.minute, second: 0 }, timeZone);
}

/** The window of a bounded recurrence that starts on local date `d` (end on the next day when it crosses midnight). */
function recurrenceWindow(zones: Zones, p: Extract<Compiled, { kind: 'recurrence' }>, d: LocalDate): { start: number; end?: number } {
  const start = clockOn(zones, d, p.start, p.timeZone).instant;
  if (!p.end) return { start };
  return { start, end: clockOn(zones, p.crosses ? addDays(d, 1) : d, p.end, p.timeZone).instant };
}

/** Start instants of a recurrence in (from, to]. */
function recurrenceStartsIn(zones: Zones, p: Extract<Compiled, { kind: 'recurrence' }>, from: number, to: number): number[] {
  const out: number[] = [];
  const first = addDays(zones.localDateOf(from, p.timeZone), -1);
  const last = addDays(zones.localDateOf(to, p.timeZone), 1);
  for (let d = first; compareDate(d, last) <= 0; d = addDays(d, 1)) {
    if (!p.days.has(weekdayOf(d))) continue;
    const s = clockOn(zones, d, p.start, p.timeZone).instant;
    if (s > from && s <= to) out.push(s);
  }
  return out;
}

function compareDate(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Index of the last element ≤ t in an ascending array, or -1. */
function lastAtOrBefore(runs: readonly number[], t: number): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Latest run of a cron at or before t (croner's previousRuns excludes a run exactly at its reference). */
function cronAtOrBefore(zones: Zones, c: Cron, t: number): number | undefined {
  // A known span (from, to] holding t answers without croner (~80 µs a call) if a run lies in (from, t].
  for (const span of zones.cronSpans.get(c) ?? []) {
    if (t <= span.from || t > span.to) continue;
    const i = lastAtOrBefore(span.runs, t);
    if (i >= 0) return span.runs[i];
  }
  return c.previousRuns(1, new Date(t + 1))[0]?.getTime();
}

/** First run of a cron strictly after t. */
function cronAfter(zones: Zones, c: Cron, t: number): number | undefined {
  for (const span of zones.cronSpans.get(c) ?? []) {
    if (t < span.from || t >= span.to) continue;
    const next = span.runs[lastAtOrBefore(span.runs, t) + 1];
    if (next !== undefined) return next;
  }
  let ref = t;
  // croner works in whole seconds; step past a result that is not strictly later than t.
  for (let i = 0; i < 3; i++) {
    const n = c.nextRun(new Date(ref))?.getTime();
    if (n === undefined) return undefined;
    if (n > t) return n;
    ref = n + SECOND_MS;
  }
  return undefined;
}

function cronRunsIn(zones: Zones, c: Cron, from: number, to: number, cap: number): { runs: number[]; truncated: boolean } {
  const runs: number[] = [];
  let cur = from;
  while (runs.length < cap) {
    const n = cronAfter(zones, c, cur);
    if (n === undefined || n > to) {
      remember(zones, c, { from, to, runs });
      return { runs, truncated: false };
    }
    runs.push(n);
    cur = n;
  }
  remember(zones, c, { from, to: cur, runs });
  return { runs, truncated: true };
}

function remember(zones: Zones, c: Cron, span: CronSpan): void {
  const spans = zones.cronSpans.get(c) ?? [];
  spans.push({ ...span, runs: [...span.runs] });
  zones.cronSpans.set(c, spans);
}

/** End of the cron window that started at s: s + duration, or the first end-cron run after s. */
function cronEnd(zones: Zones, p: Extract<Compiled, { kind: 'cron' }>, s: number): number | undefined {
  return p.durationMs !== undefined ? s + p.durationMs : cronAfter(zones, p.end!, s);
}

// ---------------------------------------------------------------------------------------------
// Status of one profile at one instant

interface Status {
  active: boolean;
  code: ProfileStatusCode;
  window?: { start: number; end?: number };
  /** For EndedByLaterStart: which profile started, and when. */
  endedBy?: { index: number; at: number };
}

function statusAt(zones: Zones, all: readonly Compiled[], p: Compiled, t: number): Status {
  switch (p.kind) {
    case 'fixedDate': {
      const window = { start: p.start, end: p.end };
      if (t < p.start) return { active: false, code: 'FixedDateNotStarted', window };
      if (t >= p.end) return { active: false, code: 'FixedDateEnded', window };
      return { active: true, code: 'InFixedDateWindow', window };
    }
    case 'recurrence':
      return p.end ? boundedRecurrenceAt(zones, p, t) : openRecurrenceAt(zones, all, p, t);
    case 'cron': {
      const s = cronAtOrBefore(zones, p.start, t);
      if (s === undefined) return { active: false, code: 'CronNeverStarted' };
      const end = cronEnd(zones, p, s);
      const window = end === undefined ? { start: s } : { start: s, end };
      return end === undefined || t < end ? { active: true, code: 'InCronWindow', window } : { active: false, code: 'CronWindowEnded', window };
    }
    case 'default':
      return { active: true, code: 'DefaultProfile' };
    case 'extraDefault':
      return { active: false, code: 'ExtraDefaultIgnored' };
    case 'invalid':
      return { active: false, code: 'InvalidSchedule' };
  }
}

function boundedRecurrenceAt(zones: Zones, p: Extract<Compiled, { kind: 'recurrence' }>, t: number): Status {
  const today = zones.localDateOf(t, p.timeZone);
  // Windows of successive days never overlap (a window crossing midnight ends at a clock time before
  // its start time, and the DST rule keeps local order), so only the latest window that started at
  // or before t can contain it. Walking local dates back from today finds that one first.
  for (let k = 0; k >= -LOOKBACK_DAYS; k--) {
    const d = addDays(today, k);
    if (!p.days.has(weekdayOf(d))) continue;
    const w = recurrenceWindow(zones, p, d);
    if (w.start > t) continue;
    return t < w.end! ? { active: true, code: 'InRecurrenceWindow', window: w } : { active: false, code: 'OutsideRecurrenceWindow', window: w };
  }
  return { active: false, code: 'OutsideRecurrenceWindow' };
}

/** Latest start of a recurrence at or before t, within the last week. */
function latestRecurrenceStart(zones: Zones, p: Extract<Compiled, { kind: 'recurrence' }>, t: number): number | undefined {
  const today = zones.localDateOf(t, p.timeZone);
  for (let k = 0; k >= -LOOKBACK_DAYS; k--) {
    const d = addDays(today, k);
    if (!p.days.has(weekdayOf(d))) continue;
    const s = clockOn(zones, d, p.start, p.timeZone).instant;
    if (s <= t) return s;
  }
  return undefined;
}

/**
 * Azure: a recurring profile without an end "will remain active until the next profile's start
 * time". So it is active from its latest start until any OTHER recurring profile (recurrence or cron)
 * starts. Fixed-date profiles outrank it while they last but do not end it (see docs/schedules.md).
 */
function openRecurrenceAt(zones: Zones, all: readonly Compiled[], p: Extract<Compiled, { kind: 'recurrence' }>, t: number): Status {
  const s = latestRecurrenceStart(zones, p, t);
  if (s === undefined) return { active: false, code: 'OutsideRecurrenceWindow' };
  const other = firstOtherStartIn(zones, all, p.index, s, t);
  if (other) return { active: false, code: 'EndedByLaterStart', window: { start: s, end: other.at }, endedBy: other };
  return { active: true, code: 'OpenEndedSinceStart', window: { start: s } };
}

/** Earliest start of another recurring profile in (from, to]. */
function firstOtherStartIn(zones: Zones, all: readonly Compiled[], self: number, from: number, to: number): { index: number; at: number } | undefined {
  let best: { index: number; at: number } | undefined;
  for (const q of all) {
    if (q.index === self) continue;
    let at: number | undefined;
    if (q.kind === 'recurrence') at = recurrenceStartsIn(zones, q, from, to)[0];
    else if (q.kind === 'cron') {
      const n = cronAfter(zones, q.start, from);
      at = n !== undefined && n <= to ? n : undefined;
    }
    if (at !== undefined && (!best || at < best.at)) best = { index: q.index, at };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Selection

interface Selection {
  index: number | null;
  code: SelectionCode;
}

const SELECTION_CODE: Record<ProfileKind, SelectionCode> = {
  fixedDate: 'FixedDateActive',
  recurrence: 'RecurrenceActive',
  cron: 'CronActive',
  default: 'DefaultProfile',
};

/** Azure order: first fixed date whose window holds t, else first active recurring profile, else the default. */
function selectAt(zones: Zones, all: readonly Compiled[], t: number): Selection {
  for (const p of all) if (p.kind === 'fixedDate' && statusAt(zones, all, p, t).active) return { index: p.index, code: 'FixedDateActive' };
  for (const p of all) {
    if ((p.kind === 'recurrence' || p.kind === 'cron') && statusAt(zones, all, p, t).active) return { index: p.index, code: SELECTION_CODE[p.kind] };
  }
  const d = all.find((p) => p.kind === 'default');
  return d ? { index: d.index, code: 'DefaultProfile' } : { index: null, code: 'NoProfileActive' };
}

// ---------------------------------------------------------------------------------------------
// Boundaries: the only instants at which a selection can change

interface Boundaries {
  list: number[];
  truncated: boolean;
}

/** Every start and end of every profile in (from, to], sorted, at most `cap` (the earliest ones). */
function boundariesIn(zones: Zones, all: readonly Compiled[], from: number, to: number, cap: number): Boundaries {
  const set = new Set<number>();
  let truncated = false;
  const add = (t: number | undefined): void => {
    if (t !== undefined && t > from && t <= to) set.add(t);
  };
  for (const p of all) {
    switch (p.kind) {
      case 'fixedDate':
        add(p.start);
        add(p.end);
        break;
      case 'recurrence': {
        const first = addDays(zones.localDateOf(from, p.timeZone), -1);
        const last = addDays(zones.localDateOf(to, p.timeZone), 1);
        for (let d = first; compareDate(d, last) <= 0; d = addDays(d, 1)) {
          if (!p.days.has(weekdayOf(d))) continue;
          const w = recurrenceWindow(zones, p, d);
          add(w.start);
          add(w.end);
        }
        break;
      }
      case 'cron': {
        const starts = cronRunsIn(zones, p.start, from, to, cap);
        starts.runs.forEach(add);
        truncated ||= starts.truncated;
        const ends =
          p.durationMs !== undefined
            ? { ...cronRunsIn(zones, p.start, from - p.durationMs, to - p.durationMs, cap), shift: p.durationMs }
            : { ...cronRunsIn(zones, p.end!, from, to, cap), shift: 0 };
        ends.runs.forEach((e) => add(e + ends.shift));
        truncated ||= ends.truncated;
        break;
      }
      default:
        break;
    }
  }
  const list = [...set].sort((a, b) => a - b);
  if (list.length > cap) return { list: list.slice(0, cap), truncated: true };
  return { list, truncated };
}

function fixedBoundariesAfter(all: readonly Compiled[], after: number): number[] {
  const set = new Set<number>();
  for (const p of all) {
    if (p.kind !== 'fixedDate') continue;
    if (p.start > after) set.add(p.start);
    if (p.end > after) set.add(p.end);
  }
  return [...set].sort((a, b) => a - b);
}

function kindOf(all: readonly Compiled[], index: number | null): ProfileKind | null {
  if (index === null) return null;
  const p = all[index];
  if (!p) return null;
  return p.kind === 'invalid' ? p.intended : p.kind === 'extraDefault' ? 'default' : p.kind;
}

function nameOf(all: readonly Compiled[], index: number | null): string | null {
  return index === null ? null : (all[index]?.name ?? null);
}

function nextChangeOf(zones: Zones, all: readonly Compiled[], now: number, current: Selection): { change: ProfileChangeTarget | null; search: ActiveProfileResult['nextChangeSearch'] } {
  const horizonEnd = now + RECURRING_HORIZON_MS;
  const { list, truncated } = boundariesIn(zones, all, now, horizonEnd, MAX_BOUNDARIES);
  const target = (at: number, s: Selection): ProfileChangeTarget => ({ at, to: nameOf(all, s.index), index: s.index, kind: kindOf(all, s.index) });
  for (const b of list) {
    const s = selectAt(zones, all, b);
    if (s.index !== current.index) {
      return { change: target(b, s), search: { code: 'ChangeFound', searchedUntil: b, message: `The profile changes at ${isoUtc(b)}.` } };
    }
  }
  if (truncated) {
    const until = list[list.length - 1] ?? now;
    return {
      change: null,
      search: { code: 'SearchLimitReached', searchedUntil: until, message: `No change among the first ${MAX_BOUNDARIES} schedule boundaries (up to ${isoUtc(until)}); the search stopped there.` },
    };
  }
  // Beyond the horizon only fixed dates are looked at: they are one-off and may be any distance away,
  // while a weekly recurrence that changed nothing in 8 days repeats the same pattern.
  for (const b of fixedBoundariesAfter(all, horizonEnd)) {
    const s = selectAt(zones, all, b);
    if (s.index !== current.index) {
      return {
        change: target(b, s),
        search: { code: 'FixedDateBeyondHorizon', searchedUntil: b, message: `No recurring change within ${formatIsoDuration(RECURRING_HORIZON_MS)}; a fixed-date boundary changes the profile at ${isoUtc(b)}.` },
      };
    }
  }
  const hasRecurring = all.some((p) => p.kind === 'recurrence' || p.kind === 'cron');
  return hasRecurring
    ? {
        change: null,
        search: { code: 'NoChangeWithinHorizon', searchedUntil: horizonEnd, message: `No profile change within ${formatIsoDuration(RECURRING_HORIZON_MS)} (until ${isoUtc(horizonEnd)}), nor at any later fixed date.` },
      }
    : { change: null, search: { code: 'NoFurtherChange', searchedUntil: horizonEnd, message: 'No schedule boundary lies ahead: the profile never changes.' } };
}

function sinceOf(zones: Zones, all: readonly Compiled[], now: number, current: Selection): number | undefined {
  const { list } = boundariesIn(zones, all, now - RECURRING_HORIZON_MS, now, MAX_BOUNDARIES);
  for (let i = list.length - 1; i >= 0; i--) {
    const b = list[i]!;
    if (selectAt(zones, all, b - 1).index !== current.index) return b;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Human text

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

function dstNotes(zones: Zones, p: Compiled, window: { start: number; end?: number } | undefined): DstNote[] | undefined {
  if (!window) return undefined;
  const notes: DstNote[] = [];
  const check = (edge: 'start' | 'end', local: LocalDateTime | undefined): void => {
    if (!local) return;
    const r = zones.resolve(local, zoneOf(p));
    const text = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')} on ${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
    if (r.adjustment === 'gap') notes.push({ edge, code: 'NonexistentLocalTime', message: `${text} does not exist in ${zoneOf(p)} (clocks jump forward); the ${edge} is when the clock jumps, ${isoUtc(r.instant)}.` });
    if (r.adjustment === 'overlap') notes.push({ edge, code: 'RepeatedLocalTime', message: `${text} happens twice in ${zoneOf(p)} (clocks go back); the ${edge} is the first occurrence, ${isoUtc(r.instant)}.` });
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

function nextStartOf(zones: Zones, p: Compiled, t: number): number | undefined {
  if (p.kind === 'fixedDate') return p.start > t ? p.start : undefined;
  if (p.kind === 'recurrence') return recurrenceStartsIn(zones, p, t, t + RECURRING_HORIZON_MS)[0];
  if (p.kind === 'cron') return cronAfter(zones, p.start, t);
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
      return w!.end !== undefined ? `Cron window ${atText(w!.start, p)} to ${atText(w!.end, p)} holds the instant.` : `Cron window started at ${atText(w!.start, p)} and its end cron never fires.`;
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

function buildTrace(zones: Zones, all: readonly Compiled[], t: number, selected: Selection): { trace: ProfileTraceEntry[]; window?: { start: number; end?: number } } {
  const winner = selected.index === null ? undefined : all[selected.index];
  let selectedWindow: { start: number; end?: number } | undefined;
  const trace = all.map((p): ProfileTraceEntry => {
    const s = statusAt(zones, all, p, t);
    const kind = kindOf(all, p.index)!;
    const base = { index: p.index, name: p.name, kind, code: s.code, ...(s.window && { window: s.window }) };
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
    return { ...base, status, message, ...(next !== undefined && { nextStart: next }), ...(outrankedBy !== undefined && { outrankedBy }), ...(dst && { dst }) };
  });
  return { trace, ...(selectedWindow && { window: selectedWindow }) };
}

function selectionMessage(all: readonly Compiled[], s: Selection, t: number): string {
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

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * The profile in force at `now` (epoch ms), Azure order: the first fixed-date profile whose window
 * holds `now`, else the first active recurring (recurrence or cron) profile, else the first profile
 * without a schedule. Ties go to the earlier profile in the list. Also: when this selection began
 * (`since`), when it next changes (`nextChange`) and why each profile is or is not active (`trace`).
 */
export function activeProfile(profiles: readonly ProfileSchedule[], now: number): ActiveProfileResult {
  return activeCompiledProfile(compileSchedules(profiles), now);
}

/** activeProfile for schedules compiled beforehand (compileSchedules). */
export function activeCompiledProfile(all: CompiledSchedules, now: number): ActiveProfileResult {
  if (!Number.isFinite(now)) {
    return {
      code: 'InvalidInstant',
      message: selectionMessage([], { index: null, code: 'InvalidInstant' }, 0),
      profile: null,
      index: null,
      kind: null,
      nextChange: null,
      nextChangeSearch: { code: 'NoFurtherChange', searchedUntil: 0, message: 'No search without a valid instant.' },
      trace: [],
    };
  }
  const zones = new Zones();
  const selected = selectAt(zones, all, now);
  const { trace, window } = buildTrace(zones, all, now, selected);
  const next = nextChangeOf(zones, all, now, selected);
  const since = sinceOf(zones, all, now, selected);
  return {
    code: selected.code,
    message: selectionMessage(all, selected, now),
    profile: nameOf(all, selected.index),
    index: selected.index,
    kind: kindOf(all, selected.index),
    ...(since !== undefined && { since }),
    ...(window && { window }),
    nextChange: next.change,
    nextChangeSearch: next.search,
    trace,
  };
}

/**
 * Every change of the active profile in (from, to]: the instant and the profile it changed to. Lets a
 * cron-triggered run find the profiles that began since its previous tick without stored state.
 * A profile that restarts without another one in between (an open-ended recurrence on its next day)
 * is not a change.
 */
export function profileChangesBetween(profiles: readonly ProfileSchedule[], from: number, to: number): ProfileChangesResult {
  return compiledProfileChangesBetween(compileSchedules(profiles), from, to);
}

/** profileChangesBetween for schedules compiled beforehand (compileSchedules). */
export function compiledProfileChangesBetween(all: CompiledSchedules, from: number, to: number): ProfileChangesResult {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) {
    return { code: 'InvalidRange', message: 'from and to must be epoch milliseconds with from ≤ to.', changes: [], searchedUntil: from };
  }
  const zones = new Zones();
  const tooLong = to - from > MAX_CHANGES_RANGE_MS;
  const end = tooLong ? from + MAX_CHANGES_RANGE_MS : to;
  const { list, truncated } = boundariesIn(zones, all, from, end, MAX_BOUNDARIES);
  const changes: ProfileChange[] = [];
  let prev = selectAt(zones, all, from);
  for (const b of list) {
    const cur = selectAt(zones, all, b);
    if (cur.index !== prev.index) {
      changes.push({ at: b, from: nameOf(all, prev.index), fromIndex: prev.index, to: nameOf(all, cur.index), toIndex: cur.index, kind: kindOf(all, cur.index), code: cur.code });
    }
    prev = cur;
  }
  if (truncated) {
    const until = list[list.length - 1] ?? from;
    return { code: 'SearchLimitReached', message: `Stopped after ${MAX_BOUNDARIES} schedule boundaries; changes are complete up to ${isoUtc(until)}.`, changes, searchedUntil: until };
  }
  if (tooLong) {
    return { code: 'RangeTooLong', message: `The range is longer than ${formatIsoDuration(MAX_CHANGES_RANGE_MS)}; changes are complete up to ${isoUtc(end)}.`, changes, searchedUntil: end };
  }
  return { code: 'Complete', message: `${changes.length} profile change(s) in (${isoUtc(from)}, ${isoUtc(to)}].`, changes, searchedUntil: to };
}
