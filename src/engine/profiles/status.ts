// The status of each profile schedule at one instant, and the profile Azure's order selects then: schedule arithmetic in local time and cron runs.
//
// Sources followed:
// - Azure, "Autoscale with multiple profiles" (autoscale-multiprofile): profiles are evaluated in the
//   order fixed date, recurring, default, and "only the first applicable profile is used"; a recurring
//   profile without an end "will remain active until the next profile's start time".
import type { Cron } from 'croner';
import type { PROFILE_SELECTION_CODES, PROFILE_STATUS_CODES } from '../../schemas/codes.js';
import { addDays, compareDate, SECOND_MS, DAY_MS, weekdayOf, Zones, type LocalDate, type Resolved } from '../../syntax/local-time.js';
import type { Clock, Compiled, ProfileKind } from './compile.js';

/**
 * How far ahead (and back, for `since`) recurring boundaries are searched: a weekly recurrence
 * repeats every 7 days; the eighth day covers a window that crosses midnight or a DST change.
 */
export const RECURRING_HORIZON_MS = 8 * DAY_MS;

/** Local days searched back for the latest start of a recurrence: a full week, inclusive (a Monday-only profile asked on Monday before its start last began 7 days ago). */
const LOOKBACK_DAYS = 7;

export type SelectionCode = (typeof PROFILE_SELECTION_CODES)[number];

type ProfileStatusCode = (typeof PROFILE_STATUS_CODES)[number];

/**
 * The per-call memo of src/syntax/local-time.ts (zone offsets and local-time resolutions) plus what is
 * known of each cron's runs. Created by each exported function and dropped when it returns, so the
 * engine keeps no state between calls.
 */
export class ScheduleZones extends Zones {
  /** Per cron: spans (from, to] whose runs are all known, filled while boundaries are enumerated. */
  readonly cronSpans = new Map<Cron, CronSpan[]>();
}

/** Every run of one cron in (from, to], ascending. */
interface CronSpan {
  from: number;
  to: number;
  runs: number[];
}

function clockOn(zones: ScheduleZones, d: LocalDate, c: Clock, timeZone: string): Resolved {
  return zones.resolve({ ...d, hour: c.hour, minute: c.minute, second: 0 }, timeZone);
}

/** The window of a bounded recurrence that starts on local date `d` (end on the next day when it crosses midnight). */
export function recurrenceWindow(zones: ScheduleZones, p: Extract<Compiled, { kind: 'recurrence' }>, d: LocalDate): { start: number; end?: number } {
  const start = clockOn(zones, d, p.start, p.timeZone).instant;
  if (!p.end) return { start };
  return { start, end: clockOn(zones, p.crosses ? addDays(d, 1) : d, p.end, p.timeZone).instant };
}

/** Start instants of a recurrence in (from, to]. */
export function recurrenceStartsIn(zones: ScheduleZones, p: Extract<Compiled, { kind: 'recurrence' }>, from: number, to: number): number[] {
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
function cronAtOrBefore(zones: ScheduleZones, c: Cron, t: number): number | undefined {
  // A known span (from, to] holding t answers without croner (~80 µs a call) if a run lies in (from, t].
  for (const span of zones.cronSpans.get(c) ?? []) {
    if (t <= span.from || t > span.to) continue;
    const i = lastAtOrBefore(span.runs, t);
    if (i >= 0) return span.runs[i];
  }
  return c.previousRuns(1, new Date(t + 1))[0]?.getTime();
}

/** First run of a cron strictly after t. */
function cronAfter(zones: ScheduleZones, c: Cron, t: number): number | undefined {
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

export function cronRunsIn(zones: ScheduleZones, c: Cron, from: number, to: number, cap: number): { runs: number[]; truncated: boolean } {
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

function remember(zones: ScheduleZones, c: Cron, span: CronSpan): void {
  const spans = zones.cronSpans.get(c) ?? [];
  spans.push({ ...span, runs: [...span.runs] });
  zones.cronSpans.set(c, spans);
}

type CronProfile = Extract<Compiled, { kind: 'cron' }>;

/** Latest run of a cron profile's start at or before t that may begin a window (within from/until). */
function cronStartAtOrBefore(zones: ScheduleZones, p: CronProfile, t: number): number | undefined {
  const s = cronAtOrBefore(zones, p.start, p.until !== undefined ? Math.min(t, p.until - 1) : t);
  return s === undefined || (p.from !== undefined && s < p.from) ? undefined : s;
}

/** First run of a cron profile's start strictly after t that may begin a window (within from/until). */
export function cronStartAfter(zones: ScheduleZones, p: CronProfile, t: number): number | undefined {
  const n = cronAfter(zones, p.start, p.from !== undefined ? Math.max(t, p.from - 1) : t);
  return n === undefined || (p.until !== undefined && n >= p.until) ? undefined : n;
}

/** Whether a run of a cron profile's start may begin a window. */
export const withinCronBounds = (p: CronProfile, run: number): boolean => (p.from === undefined || run >= p.from) && (p.until === undefined || run < p.until);

/** End of the cron window that started at s: s + duration, or the first end-cron run after s. */
function cronEnd(zones: ScheduleZones, p: CronProfile, s: number): number | undefined {
  return p.durationMs !== undefined ? s + p.durationMs : cronAfter(zones, p.end!, s);
}

export interface Status {
  active: boolean;
  code: ProfileStatusCode;
  window?: { start: number; end?: number };
  /** For EndedByLaterStart: which profile started, and when. */
  endedBy?: { index: number; at: number };
}

export function statusAt(zones: ScheduleZones, all: readonly Compiled[], p: Compiled, t: number): Status {
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
      const s = cronStartAtOrBefore(zones, p, t);
      if (s === undefined) return { active: false, code: 'CronNeverStarted' };
      if (p.end === undefined && p.durationMs === undefined) return openSince(zones, all, p.index, s, t);
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

function boundedRecurrenceAt(zones: ScheduleZones, p: Extract<Compiled, { kind: 'recurrence' }>, t: number): Status {
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
function latestRecurrenceStart(zones: ScheduleZones, p: Extract<Compiled, { kind: 'recurrence' }>, t: number): number | undefined {
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
function openRecurrenceAt(zones: ScheduleZones, all: readonly Compiled[], p: Extract<Compiled, { kind: 'recurrence' }>, t: number): Status {
  const s = latestRecurrenceStart(zones, p, t);
  if (s === undefined) return { active: false, code: 'OutsideRecurrenceWindow' };
  return openSince(zones, all, p.index, s, t);
}

/** An open-ended recurrence or cron that last started at s: active at t unless another recurring profile started in (s, t]. */
function openSince(zones: ScheduleZones, all: readonly Compiled[], index: number, s: number, t: number): Status {
  const other = firstOtherStartIn(zones, all, index, s, t);
  if (other) return { active: false, code: 'EndedByLaterStart', window: { start: s, end: other.at }, endedBy: other };
  return { active: true, code: 'OpenEndedSinceStart', window: { start: s } };
}

/** Earliest start of another recurring profile in (from, to]. */
function firstOtherStartIn(zones: ScheduleZones, all: readonly Compiled[], self: number, from: number, to: number): { index: number; at: number } | undefined {
  let best: { index: number; at: number } | undefined;
  for (const q of all) {
    if (q.index === self) continue;
    let at: number | undefined;
    // A weekly recurrence starts within any RECURRING_HORIZON_MS, so its first start after `from` lies
    // there: an open cron that last ran months ago does not walk every day since.
    if (q.kind === 'recurrence') at = recurrenceStartsIn(zones, q, from, Math.min(to, from + RECURRING_HORIZON_MS))[0];
    else if (q.kind === 'cron') {
      const n = cronStartAfter(zones, q, from);
      at = n !== undefined && n <= to ? n : undefined;
    }
    if (at !== undefined && (!best || at < best.at)) best = { index: q.index, at };
  }
  return best;
}

export interface Selection {
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
export function selectAt(zones: ScheduleZones, all: readonly Compiled[], t: number): Selection {
  for (const p of all) if (p.kind === 'fixedDate' && statusAt(zones, all, p, t).active) return { index: p.index, code: 'FixedDateActive' };
  for (const p of all) {
    if ((p.kind === 'recurrence' || p.kind === 'cron') && statusAt(zones, all, p, t).active) return { index: p.index, code: SELECTION_CODE[p.kind] };
  }
  const d = all.find((p) => p.kind === 'default');
  return d ? { index: d.index, code: 'DefaultProfile' } : { index: null, code: 'NoProfileActive' };
}
