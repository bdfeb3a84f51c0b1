// Local date-times in IANA time zones, without the host's zone: parsing, zone offsets, DST-exact resolution, fixed date windows.
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
import { isoUtc } from './duration.js';

export const SECOND_MS = 1_000;
export const DAY_MS = 86_400_000;

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export type DayName = (typeof DAY_NAMES)[number];

export interface FixedDateSpec {
  timeZone: string;
  start: string;
  end: string;
}

export interface LocalDateTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface LocalDate {
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
export function zoneOffsetMs(t: number, timeZone: string): number {
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
export class Zones {
  private readonly offsets = new Map<string, number>();
  private readonly locals = new Map<string, Resolved>();

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

export interface Resolved {
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

export function addDays(d: LocalDate, k: number): LocalDate {
  const u = new Date(Date.UTC(d.year, d.month - 1, d.day + k));
  return { year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() };
}

export function weekdayOf(d: LocalDate): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

export function compareDate(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** A fixed date window's instants, or a reason when it is malformed or empty (used by the schema too). */
export function fixedDateWindow(spec: FixedDateSpec): { ok: true; start: number; end: number } | { ok: false; message: string } {
  return fixedWindowWith(new Zones(), spec);
}

export function fixedWindowWith(zones: Zones, spec: FixedDateSpec): { ok: true; start: number; end: number } | { ok: false; message: string } {
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
