// Which autoscale profile is active at an instant (Azure multi-profile order), since when, and when that changes.
//
// Sources followed:
// - Azure, "Autoscale with multiple profiles" (autoscale-multiprofile): profiles are evaluated in the
//   order fixed date, recurring, default, and "only the first applicable profile is used"; a recurring
//   profile without an end "will remain active until the next profile's start time".
import { formatIsoDuration, isoUtc } from '../../syntax/duration.js';
import type { ProfileTraceEntry } from '../../schemas/decision.js';
import { addDays, compareDate, DAY_MS, weekdayOf } from '../../syntax/local-time.js';
import { compileSchedules, kindOf, nameOf, type Compiled, type CompiledSchedules, type ProfileKind, type ProfileSchedule } from './compile.js';
import { buildTrace, selectionMessage } from './describe.js';
import { cronRunsIn, RECURRING_HORIZON_MS, recurrenceWindow, ScheduleZones, selectAt, withinCronBounds, type Selection, type SelectionCode } from './status.js';

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
// Boundaries: the only instants at which a selection can change

interface Boundaries {
  list: number[];
  truncated: boolean;
}

/** Every start and end of every profile in (from, to], sorted, at most `cap` (the earliest ones). */
function boundariesIn(zones: ScheduleZones, all: readonly Compiled[], from: number, to: number, cap: number): Boundaries {
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
        starts.runs.filter((r) => withinCronBounds(p, r)).forEach(add);
        truncated ||= starts.truncated;
        // An open-ended cron ends only when another profile starts: those starts are boundaries already.
        if (p.durationMs === undefined && p.end === undefined) break;
        const ends =
          p.durationMs !== undefined
            ? { ...cronRunsIn(zones, p.start, from - p.durationMs, to - p.durationMs, cap), shift: p.durationMs }
            : { ...cronRunsIn(zones, p.end!, from, to, cap), shift: 0 };
        // A duration's ends belong to starts within the bounds; an end cron's runs are only candidates anyway.
        ends.runs.filter((r) => ends.shift === 0 || withinCronBounds(p, r)).forEach((e) => add(e + ends.shift));
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

function nextChangeOf(
  zones: ScheduleZones,
  all: readonly Compiled[],
  now: number,
  current: Selection,
): { change: ProfileChangeTarget | null; search: ActiveProfileResult['nextChangeSearch'] } {
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
      search: {
        code: 'SearchLimitReached',
        searchedUntil: until,
        message: `No change among the first ${MAX_BOUNDARIES} schedule boundaries (up to ${isoUtc(until)}); the search stopped there.`,
      },
    };
  }
  // Beyond the horizon only fixed dates are looked at: they are one-off and may be any distance away,
  // while a weekly recurrence that changed nothing in 8 days repeats the same pattern.
  for (const b of fixedBoundariesAfter(all, horizonEnd)) {
    const s = selectAt(zones, all, b);
    if (s.index !== current.index) {
      return {
        change: target(b, s),
        search: {
          code: 'FixedDateBeyondHorizon',
          searchedUntil: b,
          message: `No recurring change within ${formatIsoDuration(RECURRING_HORIZON_MS)}; a fixed-date boundary changes the profile at ${isoUtc(b)}.`,
        },
      };
    }
  }
  const hasRecurring = all.some((p) => p.kind === 'recurrence' || p.kind === 'cron');
  return hasRecurring
    ? {
        change: null,
        search: {
          code: 'NoChangeWithinHorizon',
          searchedUntil: horizonEnd,
          message: `No profile change within ${formatIsoDuration(RECURRING_HORIZON_MS)} (until ${isoUtc(horizonEnd)}), nor at any later fixed date.`,
        },
      }
    : { change: null, search: { code: 'NoFurtherChange', searchedUntil: horizonEnd, message: 'No schedule boundary lies ahead: the profile never changes.' } };
}

function sinceOf(zones: ScheduleZones, all: readonly Compiled[], now: number, current: Selection): number | undefined {
  const { list } = boundariesIn(zones, all, now - RECURRING_HORIZON_MS, now, MAX_BOUNDARIES);
  for (let i = list.length - 1; i >= 0; i--) {
    const b = list[i]!;
    if (selectAt(zones, all, b - 1).index !== current.index) return b;
  }
  return undefined;
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
  const zones = new ScheduleZones();
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
  const zones = new ScheduleZones();
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
    return {
      code: 'SearchLimitReached',
      message: `Stopped after ${MAX_BOUNDARIES} schedule boundaries; changes are complete up to ${isoUtc(until)}.`,
      changes,
      searchedUntil: until,
    };
  }
  if (tooLong) {
    return {
      code: 'RangeTooLong',
      message: `The range is longer than ${formatIsoDuration(MAX_CHANGES_RANGE_MS)}; changes are complete up to ${isoUtc(end)}.`,
      changes,
      searchedUntil: end,
    };
  }
  return { code: 'Complete', message: `${changes.length} profile change(s) in (${isoUtc(from)}, ${isoUtc(to)}].`, changes, searchedUntil: to };
}
