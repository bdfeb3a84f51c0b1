// Profile selection (Azure multi-profile order), schedule windows at every boundary, and DST in four zones.
//
// Expected instants are written by hand from the published transition dates, never computed by the
// code under test:
//   America/New_York   2026-03-08 02:00 EST → 03:00 EDT = 07:00Z;  2026-11-01 02:00 EDT → 01:00 EST = 06:00Z
//                      2027-03-14 07:00Z;  2027-11-07 06:00Z
//   Europe/London      2026-03-29 01:00Z (01:00 GMT → 02:00 BST);  2026-10-25 01:00Z (02:00 BST → 01:00 GMT)
//   Australia/Lord_Howe first Sunday of April 02:00 (+11) → 01:30 (+10:30): 2026-04-05 = 2026-04-04T15:00Z
//                      first Sunday of October 02:00 (+10:30) → 02:30 (+11): 2026-10-04 = 2026-10-03T15:30Z
//   Asia/Kolkata       +05:30 all year, no DST
//   Europe/Berlin      +01:00 in November;  Europe/Bucharest +02:00 in November
// 2026-03-08, 2026-03-29, 2026-04-05, 2026-10-04, 2026-10-25 and 2026-11-01 are Sundays; 2026-11-23 is a Monday.
import { describe, expect, it } from 'vitest';
import type { ProfileSchedule } from '../../src/engine/profiles/compile.js';
import { activeProfile, profileChangesBetween } from '../../src/engine/profiles/select.js';
import { resolveLocalTime } from '../../src/syntax/local-time.js';
import { Profiles } from '../../src/schemas/profiles.js';
import { decide } from '../../src/engine/decide.js';
import { bundledRuleSets } from '../../src/rulesets/bundled.js';

const T = (iso: string): number => Date.parse(iso);
const MS = 1;
const CAP = { minimum: 1, maximum: 10, default: 1 };

type Schedule = Omit<ProfileSchedule, 'name'>;
const profile = (name: string, schedule: Schedule = {}): ProfileSchedule & { capacity: typeof CAP } => ({ name, capacity: CAP, ...schedule });
const DEFAULT = profile('default');
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;

/** Six rows around a window [start, end): 1 ms before, at and 1 ms after each edge. */
function around(start: string, end: string, inside: string, outside = 'default'): Array<{ at: number; iso: string; expected: string }> {
  const s = T(start);
  const e = T(end);
  return [
    { at: s - MS, iso: `${start} - 1ms`, expected: outside },
    { at: s, iso: start, expected: inside },
    { at: s + MS, iso: `${start} + 1ms`, expected: inside },
    { at: e - MS, iso: `${end} - 1ms`, expected: inside },
    { at: e, iso: end, expected: outside },
    { at: e + MS, iso: `${end} + 1ms`, expected: outside },
  ];
}

// ---------------------------------------------------------------------------------------------
// The DST rule: the first instant at which the local wall clock shows the time or later.

describe('a local time resolves to the first instant the wall clock shows it (gap → jump instant, overlap → first occurrence)', () => {
  type Case = { name: string; zone: string; local: [number, number, number, number, number]; expected: string; adjustment: 'none' | 'gap' | 'overlap' };
  const cases: Case[] = [
    { name: 'New York 02:30 on 2026-03-08 does not exist: the jump to 03:00 EDT', zone: 'America/New_York', local: [2026, 3, 8, 2, 30], expected: '2026-03-08T07:00:00Z', adjustment: 'gap' },
    { name: 'New York 02:00 on 2026-03-08 (gap start) is the jump too', zone: 'America/New_York', local: [2026, 3, 8, 2, 0], expected: '2026-03-08T07:00:00Z', adjustment: 'gap' },
    { name: 'New York 01:59 before the gap is plain EST', zone: 'America/New_York', local: [2026, 3, 8, 1, 59], expected: '2026-03-08T06:59:00Z', adjustment: 'none' },
    { name: 'New York 03:00 after the gap is plain EDT', zone: 'America/New_York', local: [2026, 3, 8, 3, 0], expected: '2026-03-08T07:00:00Z', adjustment: 'none' },
    { name: 'New York 01:30 on 2026-11-01 happens twice: first (EDT)', zone: 'America/New_York', local: [2026, 11, 1, 1, 30], expected: '2026-11-01T05:30:00Z', adjustment: 'overlap' },
    { name: 'New York 01:00 on 2026-11-01 happens twice: first (EDT)', zone: 'America/New_York', local: [2026, 11, 1, 1, 0], expected: '2026-11-01T05:00:00Z', adjustment: 'overlap' },
    { name: 'New York 02:00 on 2026-11-01 happens once (EST)', zone: 'America/New_York', local: [2026, 11, 1, 2, 0], expected: '2026-11-01T07:00:00Z', adjustment: 'none' },
    { name: 'New York 2027-03-14 02:30 does not exist', zone: 'America/New_York', local: [2027, 3, 14, 2, 30], expected: '2027-03-14T07:00:00Z', adjustment: 'gap' },
    { name: 'New York 2027-11-07 01:30 happens twice: first', zone: 'America/New_York', local: [2027, 11, 7, 1, 30], expected: '2027-11-07T05:30:00Z', adjustment: 'overlap' },
    { name: 'London 01:30 on 2026-03-29 does not exist: the jump to 02:00 BST', zone: 'Europe/London', local: [2026, 3, 29, 1, 30], expected: '2026-03-29T01:00:00Z', adjustment: 'gap' },
    { name: 'London 01:30 on 2026-10-25 happens twice: first (BST)', zone: 'Europe/London', local: [2026, 10, 25, 1, 30], expected: '2026-10-25T00:30:00Z', adjustment: 'overlap' },
    { name: 'Lord Howe 02:15 on 2026-10-04 does not exist (30-minute gap): the jump to 02:30 +11', zone: 'Australia/Lord_Howe', local: [2026, 10, 4, 2, 15], expected: '2026-10-03T15:30:00Z', adjustment: 'gap' },
    { name: 'Lord Howe 02:30 on 2026-10-04 is the first valid time', zone: 'Australia/Lord_Howe', local: [2026, 10, 4, 2, 30], expected: '2026-10-03T15:30:00Z', adjustment: 'none' },
    { name: 'Lord Howe 01:45 on 2026-04-05 happens twice (30 minutes apart): first (+11)', zone: 'Australia/Lord_Howe', local: [2026, 4, 5, 1, 45], expected: '2026-04-04T14:45:00Z', adjustment: 'overlap' },
    { name: 'Lord Howe 01:29 on 2026-04-05 happens once (+11)', zone: 'Australia/Lord_Howe', local: [2026, 4, 5, 1, 29], expected: '2026-04-04T14:29:00Z', adjustment: 'none' },
    { name: 'Kolkata has no DST: 02:30 on 2026-03-08 is +05:30', zone: 'Asia/Kolkata', local: [2026, 3, 8, 2, 30], expected: '2026-03-07T21:00:00Z', adjustment: 'none' },
  ];
  it.each(cases)('$name', ({ zone, local, expected, adjustment }) => {
    const [year, month, day, hour, minute] = local;
    const r = resolveLocalTime({ year, month, day, hour, minute, second: 0 }, zone);
    expect(new Date(r.instant).toISOString()).toBe(new Date(T(expected)).toISOString());
    expect(r.adjustment).toBe(adjustment);
  });
});

// ---------------------------------------------------------------------------------------------
// Recurrence windows at both DST transitions of each zone.

describe('recurrence windows at both DST transitions, 1 ms around every edge (docs/schedules.md, DST rule)', () => {
  type Group = { name: string; recurrence: NonNullable<ProfileSchedule['recurrence']>; rows: ReturnType<typeof around> };
  const groups: Group[] = [
    {
      name: 'New York spring forward: Sunday 02:30–05:00 starts at the jump (07:00Z), ends 05:00 EDT',
      recurrence: { timeZone: 'America/New_York', days: ['Sunday'], start: '02:30', end: '05:00' },
      rows: around('2026-03-08T07:00:00Z', '2026-03-08T09:00:00Z', 'P'),
    },
    {
      name: 'New York fall back: Sunday 00:30–01:30 ends at the FIRST 01:30 (05:30Z)',
      recurrence: { timeZone: 'America/New_York', days: ['Sunday'], start: '00:30', end: '01:30' },
      rows: [
        ...around('2026-11-01T04:30:00Z', '2026-11-01T05:30:00Z', 'P'),
        { at: T('2026-11-01T06:00:00Z'), iso: 'second 01:00 (EST)', expected: 'default' },
        { at: T('2026-11-01T06:30:00Z'), iso: 'second 01:30 (EST)', expected: 'default' },
      ],
    },
    {
      name: 'New York fall back: Sunday 01:30–03:00 starts at the FIRST 01:30 and lasts 2½ real hours',
      recurrence: { timeZone: 'America/New_York', days: ['Sunday'], start: '01:30', end: '03:00' },
      rows: around('2026-11-01T05:30:00Z', '2026-11-01T08:00:00Z', 'P'),
    },
    {
      name: 'New York 2027 spring forward: Sunday 02:30–05:00',
      recurrence: { timeZone: 'America/New_York', days: ['Sunday'], start: '02:30', end: '05:00' },
      rows: around('2027-03-14T07:00:00Z', '2027-03-14T09:00:00Z', 'P'),
    },
    {
      name: 'London spring forward: Sunday 01:30–03:00 starts at the jump (01:00Z), ends 03:00 BST',
      recurrence: { timeZone: 'Europe/London', days: ['Sunday'], start: '01:30', end: '03:00' },
      rows: around('2026-03-29T01:00:00Z', '2026-03-29T02:00:00Z', 'P'),
    },
    {
      name: 'London fall back: Sunday 01:30–04:00 starts at the first 01:30 (BST), ends 04:00 GMT',
      recurrence: { timeZone: 'Europe/London', days: ['Sunday'], start: '01:30', end: '04:00' },
      rows: around('2026-10-25T00:30:00Z', '2026-10-25T04:00:00Z', 'P'),
    },
    {
      name: 'London fall back: Saturday 22:00–01:30 crosses midnight and ends at the first 01:30',
      recurrence: { timeZone: 'Europe/London', days: ['Saturday'], start: '22:00', end: '01:30' },
      rows: [...around('2026-10-24T21:00:00Z', '2026-10-25T00:30:00Z', 'P'), { at: T('2026-10-25T01:30:00Z'), iso: 'second 01:30 (GMT)', expected: 'default' }],
    },
    {
      name: 'Lord Howe fall back (30 min): Sunday 01:45–03:00 starts at the first 01:45 (+11), ends 03:00 +10:30',
      recurrence: { timeZone: 'Australia/Lord_Howe', days: ['Sunday'], start: '01:45', end: '03:00' },
      rows: around('2026-04-04T14:45:00Z', '2026-04-04T16:30:00Z', 'P'),
    },
    {
      name: 'Lord Howe spring forward (30 min): Sunday 02:15–04:00 starts at the jump to 02:30 +11',
      recurrence: { timeZone: 'Australia/Lord_Howe', days: ['Sunday'], start: '02:15', end: '04:00' },
      rows: around('2026-10-03T15:30:00Z', '2026-10-03T17:00:00Z', 'P'),
    },
    {
      name: 'Kolkata (no DST, +05:30) on the New York spring-forward Sunday: Sunday 02:30–05:00',
      recurrence: { timeZone: 'Asia/Kolkata', days: ['Sunday'], start: '02:30', end: '05:00' },
      rows: around('2026-03-07T21:00:00Z', '2026-03-07T23:30:00Z', 'P'),
    },
    {
      name: 'Kolkata (no DST) on the New York fall-back Sunday: Sunday 01:30–03:00',
      recurrence: { timeZone: 'Asia/Kolkata', days: ['Sunday'], start: '01:30', end: '03:00' },
      rows: around('2026-10-31T20:00:00Z', '2026-10-31T21:30:00Z', 'P'),
    },
  ];
  const cases = groups.flatMap((g) => g.rows.map((r) => ({ ...r, group: g.name, recurrence: g.recurrence })));
  it.each(cases)('$group — at $iso → $expected', ({ at, expected, recurrence }) => {
    const r = activeProfile([DEFAULT, profile('P', { recurrence })], at);
    expect(r.profile).toBe(expected);
    expect(r.code).toBe(expected === 'P' ? 'RecurrenceActive' : 'DefaultProfile');
  });

  it('a window lying wholly inside the London gap (01:15–02:00 on 2026-03-29) does not occur that day', () => {
    const profiles = [DEFAULT, profile('P', { recurrence: { timeZone: 'Europe/London', days: ['Sunday'], start: '01:15', end: '02:00' } })];
    // Both edges resolve to the jump, 01:00Z: an empty window.
    expect(activeProfile(profiles, T('2026-03-29T01:00:00Z')).profile).toBe('default');
    expect(profileChangesBetween(profiles, T('2026-03-28T12:00:00Z'), T('2026-03-29T12:00:00Z')).changes).toEqual([]);
  });

  it('the trace explains a start time skipped by the spring-forward gap (NonexistentLocalTime)', () => {
    const r = activeProfile([DEFAULT, profile('P', { recurrence: { timeZone: 'America/New_York', days: ['Sunday'], start: '02:30', end: '05:00' } })], T('2026-03-08T08:00:00Z'));
    expect(r.trace[1]!.dst).toEqual([expect.objectContaining({ edge: 'start', code: 'NonexistentLocalTime' })]);
  });

  it('the trace explains an end time that happens twice (RepeatedLocalTime)', () => {
    const r = activeProfile([DEFAULT, profile('P', { recurrence: { timeZone: 'America/New_York', days: ['Sunday'], start: '00:30', end: '01:30' } })], T('2026-11-01T05:00:00Z'));
    expect(r.trace[1]!.dst).toEqual([expect.objectContaining({ edge: 'end', code: 'RepeatedLocalTime' })]);
  });
});

// ---------------------------------------------------------------------------------------------
// Fixed dates follow the same DST rule; an explicit offset picks an exact instant.

describe('fixed-date windows are [start, end) with the same DST rule (Azure fixedDate { timeZone, start, end })', () => {
  type Group = { name: string; fixedDate: NonNullable<ProfileSchedule['fixedDate']>; rows: ReturnType<typeof around> };
  const groups: Group[] = [
    {
      name: 'New York start 02:30 on the spring-forward day begins at the jump',
      fixedDate: { timeZone: 'America/New_York', start: '2026-03-08T02:30:00', end: '2026-03-08T12:00:00' },
      rows: around('2026-03-08T07:00:00Z', '2026-03-08T16:00:00Z', 'F'),
    },
    {
      name: 'New York 01:30–01:45 on the fall-back day is the first pass only',
      fixedDate: { timeZone: 'America/New_York', start: '2026-11-01T01:30:00', end: '2026-11-01T01:45:00' },
      rows: [...around('2026-11-01T05:30:00Z', '2026-11-01T05:45:00Z', 'F'), { at: T('2026-11-01T06:35:00Z'), iso: 'second pass 01:35 EST', expected: 'default' }],
    },
    {
      name: 'an explicit offset (-05:00) selects the second 01:30 in New York',
      fixedDate: { timeZone: 'America/New_York', start: '2026-11-01T01:30:00-05:00', end: '2026-11-01T02:00:00-05:00' },
      rows: around('2026-11-01T06:30:00Z', '2026-11-01T07:00:00Z', 'F'),
    },
    {
      name: 'London spring-forward 01:30 start and fall-back 01:30 end',
      fixedDate: { timeZone: 'Europe/London', start: '2026-03-29T01:30:00', end: '2026-10-25T01:30:00' },
      rows: around('2026-03-29T01:00:00Z', '2026-10-25T00:30:00Z', 'F'),
    },
    {
      name: 'Lord Howe 02:15 (in the 30-minute gap) to 03:00 on 2026-10-04',
      fixedDate: { timeZone: 'Australia/Lord_Howe', start: '2026-10-04T02:15:00', end: '2026-10-04T03:00:00' },
      rows: around('2026-10-03T15:30:00Z', '2026-10-03T16:00:00Z', 'F'),
    },
    {
      name: 'Lord Howe 01:45 (repeated) to 03:00 on 2026-04-05',
      fixedDate: { timeZone: 'Australia/Lord_Howe', start: '2026-04-05T01:45:00', end: '2026-04-05T03:00:00' },
      rows: around('2026-04-04T14:45:00Z', '2026-04-04T16:30:00Z', 'F'),
    },
    {
      name: 'Kolkata Black Friday 2026-11-27 00:00–24:00 (+05:30)',
      fixedDate: { timeZone: 'Asia/Kolkata', start: '2026-11-27T00:00:00', end: '2026-11-28T00:00:00' },
      rows: around('2026-11-26T18:30:00Z', '2026-11-27T18:30:00Z', 'F'),
    },
  ];
  const cases = groups.flatMap((g) => g.rows.map((r) => ({ ...r, group: g.name, fixedDate: g.fixedDate })));
  it.each(cases)('$group — at $iso → $expected', ({ at, expected, fixedDate }) => {
    const r = activeProfile([DEFAULT, profile('F', { fixedDate })], at);
    expect(r.profile).toBe(expected);
    expect(r.code).toBe(expected === 'F' ? 'FixedDateActive' : 'DefaultProfile');
  });
});

// ---------------------------------------------------------------------------------------------
// Cron windows: croner's DST behaviour, adopted for fixed-time patterns and documented for interval ones.

describe('cron windows (KEDA start/end crons, AWS cron in a time zone) and croner DST behaviour', () => {
  type Group = { name: string; cron: NonNullable<ProfileSchedule['cron']>; rows: ReturnType<typeof around> };
  const groups: Group[] = [
    {
      name: 'KEDA example: Asia/Kolkata start "0 6 * * *", end "0 20 * * *"',
      cron: { timeZone: 'Asia/Kolkata', start: '0 6 * * *', end: '0 20 * * *' },
      rows: around('2026-11-23T00:30:00Z', '2026-11-23T14:30:00Z', 'C'),
    },
    {
      name: 'the same window by duration PT14H',
      cron: { timeZone: 'Asia/Kolkata', start: '0 6 * * *', duration: 'PT14H' },
      rows: around('2026-11-23T00:30:00Z', '2026-11-23T14:30:00Z', 'C'),
    },
    {
      name: 'an end cron earlier in the day than the start crosses midnight (Berlin 22:00 → 06:00)',
      cron: { timeZone: 'Europe/Berlin', start: '0 22 * * 5', end: '0 6 * * *' },
      rows: around('2026-11-27T21:00:00Z', '2026-11-28T05:00:00Z', 'C'),
    },
    {
      name: 'New York fixed-time "30 2 * * 0" in the spring gap starts at the jump, as recurrences do',
      cron: { timeZone: 'America/New_York', start: '30 2 * * 0', duration: 'PT1H' },
      rows: around('2026-03-08T07:00:00Z', '2026-03-08T08:00:00Z', 'C'),
    },
    {
      name: 'New York fixed-time "30 1 * * 0" starts once, at the first 01:30; PT1H is one real hour',
      cron: { timeZone: 'America/New_York', start: '30 1 * * 0', duration: 'PT1H' },
      rows: around('2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', 'C'),
    },
    {
      name: 'New York end cron "0 3 * * 0" after a fall-back start: 01:30 EDT to 03:00 EST',
      cron: { timeZone: 'America/New_York', start: '30 1 * * 0', end: '0 3 * * 0' },
      rows: around('2026-11-01T05:30:00Z', '2026-11-01T08:00:00Z', 'C'),
    },
    {
      name: 'a list "30 1,4 * * 0" counts as fixed-time too (fixedTimeRule no-wildcard): first 01:30 only',
      cron: { timeZone: 'America/New_York', start: '30 1,4 * * 0', duration: 'PT30M' },
      rows: [...around('2026-11-01T05:30:00Z', '2026-11-01T06:00:00Z', 'C'), { at: T('2026-11-01T06:35:00Z'), iso: 'after the second 01:30 (EST)', expected: 'default' }],
    },
    {
      name: 'London "30 1 * * 0" in the spring gap starts at the jump',
      cron: { timeZone: 'Europe/London', start: '30 1 * * 0', duration: 'PT30M' },
      rows: around('2026-03-29T01:00:00Z', '2026-03-29T01:30:00Z', 'C'),
    },
    {
      name: 'London "30 1 * * 0" on the fall-back day starts at the first 01:30',
      cron: { timeZone: 'Europe/London', start: '30 1 * * 0', duration: 'PT30M' },
      rows: around('2026-10-25T00:30:00Z', '2026-10-25T01:00:00Z', 'C'),
    },
    {
      name: 'Lord Howe "15 2 * * 0" in the 30-minute spring gap starts at the jump to 02:30 +11',
      cron: { timeZone: 'Australia/Lord_Howe', start: '15 2 * * 0', duration: 'PT30M' },
      rows: around('2026-10-03T15:30:00Z', '2026-10-03T16:00:00Z', 'C'),
    },
    {
      name: 'Lord Howe "45 1 * * 0" on the fall-back day starts at the first 01:45 only',
      cron: { timeZone: 'Australia/Lord_Howe', start: '45 1 * * 0', duration: 'PT30M' },
      rows: around('2026-04-04T14:45:00Z', '2026-04-04T15:15:00Z', 'C'),
    },
    {
      name: 'Kolkata business hours "0 9 * * 1-5" to "0 18 * * 1-5"',
      cron: { timeZone: 'Asia/Kolkata', start: '0 9 * * 1-5', end: '0 18 * * 1-5' },
      rows: around('2026-03-09T03:30:00Z', '2026-03-09T12:30:00Z', 'C'),
    },
  ];
  const cases = groups.flatMap((g) => g.rows.map((r) => ({ ...r, group: g.name, cron: g.cron })));
  it.each(cases)('$group — at $iso → $expected', ({ at, expected, cron }) => {
    const r = activeProfile([DEFAULT, profile('C', { cron })], at);
    expect(r.profile).toBe(expected);
    expect(r.code).toBe(expected === 'C' ? 'CronActive' : 'DefaultProfile');
  });

  // croner README, "DST handling": interval jobs (wildcard or step) skip gap times and run on both
  // passes of a repeated time. edgescale keeps that for cron profiles and documents the difference.
  it.each([
    { name: 'interval "*/30 2 * * 0" never fires in the New York gap, so no window on 2026-03-08', at: '2026-03-08T07:00:00Z', expected: 'default' },
    { name: 'interval "*/30 1 * * 0" fires on the first pass (05:30Z)', at: '2026-11-01T05:35:00Z', expected: 'C' },
    { name: 'interval "*/30 1 * * 0" fires again on the second pass (06:00Z = 01:00 EST)', at: '2026-11-01T06:05:00Z', expected: 'C' },
  ])('$name', ({ at, expected }) => {
    const pattern = at.startsWith('2026-03') ? '*/30 2 * * 0' : '*/30 1 * * 0';
    const r = activeProfile([DEFAULT, profile('C', { cron: { timeZone: 'America/New_York', start: pattern, duration: 'PT10M' } })], T(at));
    expect(r.profile).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Selection order and ties (Azure: fixed date, then recurring, then default; first applicable wins).

describe('selection follows Azure order: fixed date, recurring, default (autoscale-multiprofile)', () => {
  const business = profile('business', { recurrence: { timeZone: 'Europe/Berlin', days: [...WEEKDAYS], start: '08:00', end: '18:00' } });
  const sale = profile('sale', { fixedDate: { timeZone: 'Europe/Berlin', start: '2026-11-27T00:00:00', end: '2026-11-28T00:00:00' } });
  const lunch = profile('lunch', { cron: { timeZone: 'Europe/Berlin', start: '0 12 * * 1-5', duration: 'PT1H' } });
  const sale2 = profile('sale2', { fixedDate: { timeZone: 'Europe/Berlin', start: '2026-11-27T10:00:00', end: '2026-11-27T14:00:00' } });
  type Case = { name: string; profiles: ProfileSchedule[]; at: string; expected: string | null; code: string };
  const cases: Case[] = [
    { name: 'recurring profile inside its window beats the default', profiles: [DEFAULT, business], at: '2026-11-26T10:00:00Z', expected: 'business', code: 'RecurrenceActive' },
    { name: 'default when no recurring profile is active', profiles: [DEFAULT, business], at: '2026-11-26T18:00:00Z', expected: 'default', code: 'DefaultProfile' },
    { name: 'the default may be anywhere in the list', profiles: [business, DEFAULT], at: '2026-11-28T10:00:00Z', expected: 'default', code: 'DefaultProfile' },
    { name: 'fixed date beats an active recurrence even when listed later', profiles: [DEFAULT, business, sale], at: '2026-11-27T10:00:00Z', expected: 'sale', code: 'FixedDateActive' },
    { name: 'fixed date beats an active cron profile', profiles: [lunch, sale], at: '2026-11-27T11:30:00Z', expected: 'sale', code: 'FixedDateActive' },
    { name: 'two active recurring profiles: the earlier in the list wins', profiles: [DEFAULT, lunch, business], at: '2026-11-26T11:30:00Z', expected: 'lunch', code: 'CronActive' },
    { name: 'two active recurring profiles, other order: the earlier in the list wins', profiles: [DEFAULT, business, lunch], at: '2026-11-26T11:30:00Z', expected: 'business', code: 'RecurrenceActive' },
    { name: 'two active fixed dates: the earlier in the list wins', profiles: [DEFAULT, sale2, sale], at: '2026-11-27T10:00:00Z', expected: 'sale2', code: 'FixedDateActive' },
    { name: 'no default and nothing active → no profile (code, not a throw)', profiles: [business], at: '2026-11-28T10:00:00Z', expected: null, code: 'NoProfileActive' },
    { name: 'only the first profile without a schedule is the default', profiles: [profile('first-default'), profile('second-default')], at: '2026-11-28T10:00:00Z', expected: 'first-default', code: 'DefaultProfile' },
  ];
  it.each(cases)('$name → $expected ($code)', ({ profiles, at, expected, code }) => {
    const r = activeProfile(profiles, T(at));
    expect(r.profile).toBe(expected);
    expect(r.code).toBe(code);
  });

  it('the trace names each profile\'s status: Selected, Outranked (by the fixed date), Standby default', () => {
    const r = activeProfile([DEFAULT, business, sale], T('2026-11-27T10:00:00Z'));
    expect(r.trace.map((e) => [e.name, e.status, e.code])).toEqual([
      ['default', 'Standby', 'DefaultProfile'],
      ['business', 'Outranked', 'InRecurrenceWindow'],
      ['sale', 'Selected', 'InFixedDateWindow'],
    ]);
    expect(r.trace[1]!.outrankedBy).toBe('sale');
  });

  it('a second default is reported as ExtraDefaultIgnored', () => {
    const r = activeProfile([profile('a'), profile('b')], T('2026-11-28T10:00:00Z'));
    expect(r.trace[1]).toMatchObject({ status: 'Inactive', code: 'ExtraDefaultIgnored' });
  });

  it('a schedule that bypassed the schema (unknown zone) is ignored with InvalidSchedule', () => {
    const broken = profile('broken', { recurrence: { timeZone: 'W. Europe Standard Time', days: ['Monday'], start: '08:00' } });
    const r = activeProfile([DEFAULT, broken], T('2026-11-23T10:00:00Z'));
    expect(r.profile).toBe('default');
    expect(r.trace[1]).toMatchObject({ status: 'Invalid', code: 'InvalidSchedule' });
  });

  it('a non-finite instant is reported, not thrown', () => {
    expect(activeProfile([DEFAULT], Number.NaN).code).toBe('InvalidInstant');
  });
});

// ---------------------------------------------------------------------------------------------
// Recurrence without an end lasts until the next recurring profile starts (Azure).

describe('a recurrence without end lasts until the next recurring profile starts (Azure ARM: "A profile will remain active until the next profile\'s start time")', () => {
  // The Azure autoscale-multiprofile template: "Weekday profile" Monday 04:00 and "Weekend profile"
  // Saturday 00:01, both without end, in E. Europe time (here its IANA zone Europe/Bucharest, +02:00 in November).
  const weekday = profile('Weekday profile', { recurrence: { timeZone: 'Europe/Bucharest', days: ['Monday'], start: '04:00' } });
  const weekend = profile('Weekend profile', { recurrence: { timeZone: 'Europe/Bucharest', days: ['Saturday'], start: '00:01' } });
  const profiles = [DEFAULT, weekday, weekend];
  it.each([
    ...around('2026-11-23T02:00:00Z', '2026-11-27T22:01:00Z', 'Weekday profile', 'Weekend profile'),
    { at: T('2026-11-25T12:00:00Z'), iso: 'Wednesday noon', expected: 'Weekday profile' },
    { at: T('2026-11-29T12:00:00Z'), iso: 'Sunday noon', expected: 'Weekend profile' },
  ])('at $iso → $expected', ({ at, expected }) => {
    expect(activeProfile(profiles, at).profile).toBe(expected);
  });

  it('its trace says which profile ended it (EndedByLaterStart)', () => {
    const r = activeProfile(profiles, T('2026-11-29T12:00:00Z'));
    // The trace writes instants as every answer does (ISO text); activeProfile's own window is epoch ms.
    expect(r.trace[1]).toMatchObject({ code: 'EndedByLaterStart', window: { start: '2026-11-23T02:00:00Z', end: '2026-11-27T22:01:00Z' } });
    expect(r.trace[2]).toMatchObject({ status: 'Selected', code: 'OpenEndedSinceStart', window: { start: '2026-11-27T22:01:00Z' } });
  });

  it('a bounded profile\'s start ends it, and after that window the default applies (as the portal\'s copied default does)', () => {
    const open = profile('open', { recurrence: { timeZone: 'Europe/Berlin', days: ['Monday'], start: '08:00' } });
    const thursday = profile('thursday', { recurrence: { timeZone: 'Europe/Berlin', days: ['Thursday'], start: '06:00', end: '22:50' } });
    const ps = [DEFAULT, open, thursday];
    expect(activeProfile(ps, T('2026-11-25T12:00:00Z')).profile).toBe('open'); // Wed: open since Mon 07:00Z
    expect(activeProfile(ps, T('2026-11-26T05:00:00Z')).profile).toBe('thursday'); // Thu 06:00 Berlin
    expect(activeProfile(ps, T('2026-11-26T21:50:00Z')).profile).toBe('default'); // Thu 22:50 Berlin
    expect(activeProfile(ps, T('2026-11-28T12:00:00Z')).profile).toBe('default'); // Sat
    expect(activeProfile(ps, T('2026-11-30T07:00:00Z')).profile).toBe('open'); // next Mon 08:00 Berlin
  });

  it('a fixed date outranks it while it lasts but does not end it', () => {
    const open = profile('open', { recurrence: { timeZone: 'Europe/Berlin', days: ['Monday'], start: '08:00' } });
    const sale = profile('sale', { fixedDate: { timeZone: 'Europe/Berlin', start: '2026-11-25T00:00:00', end: '2026-11-26T00:00:00' } });
    const ps = [DEFAULT, open, sale];
    expect(activeProfile(ps, T('2026-11-25T12:00:00Z')).profile).toBe('sale');
    expect(activeProfile(ps, T('2026-11-25T23:00:00Z')).profile).toBe('open');
  });

  it('alone, it restarts on each listed day and never hands over: the next change is not found within the horizon', () => {
    const daily = profile('daily', { recurrence: { timeZone: 'Europe/Berlin', days: [...WEEKDAYS], start: '08:00' } });
    const r = activeProfile([DEFAULT, daily], T('2026-11-28T12:00:00Z'));
    expect(r.profile).toBe('daily');
    expect(r.nextChange).toBeNull();
    expect(r.nextChangeSearch.code).toBe('NoChangeWithinHorizon');
    expect(r.nextChangeSearch.searchedUntil).toBe(T('2026-12-06T12:00:00Z'));
  });
});

// ---------------------------------------------------------------------------------------------
// Crossing midnight.

describe('a recurrence whose end is before its start crosses midnight; days are the days it starts', () => {
  const late = profile('late', { recurrence: { timeZone: 'Europe/Berlin', days: ['Friday'], start: '22:00', end: '02:00' } });
  it.each([
    ...around('2026-11-27T21:00:00Z', '2026-11-28T01:00:00Z', 'late'),
    { at: T('2026-11-27T23:30:00Z'), iso: 'Saturday 00:30 Berlin (window began Friday)', expected: 'late' },
    { at: T('2026-11-28T21:30:00Z'), iso: 'Saturday 22:30 Berlin (Saturday not listed)', expected: 'default' },
    { at: T('2026-11-27T00:30:00Z'), iso: 'Friday 01:30 Berlin (Thursday not listed)', expected: 'default' },
  ])('at $iso → $expected', ({ at, expected }) => {
    expect(activeProfile([DEFAULT, late], at).profile).toBe(expected);
  });

  it('New York Saturday 22:00–02:30 on the spring-forward night ends at the jump (07:00Z)', () => {
    const ny = profile('ny', { recurrence: { timeZone: 'America/New_York', days: ['Saturday'], start: '22:00', end: '02:30' } });
    for (const row of around('2026-03-08T03:00:00Z', '2026-03-08T07:00:00Z', 'ny')) expect(activeProfile([DEFAULT, ny], row.at).profile, row.iso).toBe(row.expected);
  });
});

// ---------------------------------------------------------------------------------------------
// nextChange, since, profileChangesBetween.

describe('nextChange is the next instant the selection differs; since is when it last changed', () => {
  const business = profile('business', { recurrence: { timeZone: 'Europe/Berlin', days: [...WEEKDAYS], start: '08:00', end: '18:00' } });
  const sale = profile('sale', { fixedDate: { timeZone: 'Europe/Berlin', start: '2027-12-24T08:00:00', end: '2027-12-24T20:00:00' } });
  type Case = { name: string; profiles: ProfileSchedule[]; at: string; next: { at: string; to: string | null } | null; searchCode: string; since?: string };
  const cases: Case[] = [
    { name: 'inside business hours: changes to default at 18:00 Berlin', profiles: [DEFAULT, business], at: '2026-11-27T12:00:00Z', next: { at: '2026-11-27T17:00:00Z', to: 'default' }, searchCode: 'ChangeFound', since: '2026-11-27T07:00:00Z' },
    { name: 'Friday evening: next change is Monday 08:00 Berlin', profiles: [DEFAULT, business], at: '2026-11-27T17:00:00Z', next: { at: '2026-11-30T07:00:00Z', to: 'business' }, searchCode: 'ChangeFound', since: '2026-11-27T17:00:00Z' },
    { name: 'exactly at a start the next change is the end, not the start itself', profiles: [DEFAULT, business], at: '2026-11-30T07:00:00Z', next: { at: '2026-11-30T17:00:00Z', to: 'default' }, searchCode: 'ChangeFound', since: '2026-11-30T07:00:00Z' },
    { name: 'a fixed date a year away is found beyond the 8-day horizon', profiles: [DEFAULT, sale], at: '2026-11-27T12:00:00Z', next: { at: '2027-12-24T07:00:00Z', to: 'sale' }, searchCode: 'FixedDateBeyondHorizon' },
    { name: 'a weekly profile hidden behind a long fixed date: the change is the fixed end', profiles: [DEFAULT, business, profile('campaign', { fixedDate: { timeZone: 'UTC', start: '2026-11-01T00:00:00Z', end: '2027-01-01T00:00:00Z' } })], at: '2026-11-27T12:00:00Z', next: { at: '2027-01-01T00:00:00Z', to: 'default' }, searchCode: 'FixedDateBeyondHorizon', since: undefined },
    { name: 'only a default: nothing ever changes', profiles: [DEFAULT], at: '2026-11-27T12:00:00Z', next: null, searchCode: 'NoFurtherChange' },
    { name: 'New York spring-forward: next change is the jump instant 07:00Z', profiles: [DEFAULT, profile('P', { recurrence: { timeZone: 'America/New_York', days: ['Sunday'], start: '02:30', end: '05:00' } })], at: '2026-03-08T06:00:00Z', next: { at: '2026-03-08T07:00:00Z', to: 'P' }, searchCode: 'ChangeFound' },
    { name: 'Lord Howe fall-back: next change is the end at 03:00 +10:30 (16:30Z)', profiles: [DEFAULT, profile('P', { recurrence: { timeZone: 'Australia/Lord_Howe', days: ['Sunday'], start: '01:45', end: '03:00' } })], at: '2026-04-04T15:10:00Z', next: { at: '2026-04-04T16:30:00Z', to: 'default' }, searchCode: 'ChangeFound', since: '2026-04-04T14:45:00Z' },
  ];
  it.each(cases)('$name', ({ profiles, at, next, searchCode, since }) => {
    const r = activeProfile(profiles, T(at));
    expect(r.nextChange ? { at: r.nextChange.at, to: r.nextChange.to } : null).toEqual(next ? { at: T(next.at), to: next.to } : null);
    expect(r.nextChangeSearch.code).toBe(searchCode);
    if (since !== undefined) expect(r.since).toBe(T(since));
  });

  it('since is absent when the selection has not changed within the 8-day look-back', () => {
    expect(activeProfile([DEFAULT], T('2026-11-27T12:00:00Z')).since).toBeUndefined();
  });

  it('nextChange agrees with activeProfile 1 ms before and at the change', () => {
    const ps = [DEFAULT, business];
    const r = activeProfile(ps, T('2026-11-27T20:00:00Z'));
    expect(activeProfile(ps, r.nextChange!.at - 1).profile).toBe(r.profile);
    expect(activeProfile(ps, r.nextChange!.at).profile).toBe(r.nextChange!.to);
  });
});

describe('profileChangesBetween lists the changes in (from, to] for a stateless cron trigger', () => {
  const business = profile('business', { recurrence: { timeZone: 'Europe/Berlin', days: [...WEEKDAYS], start: '08:00', end: '18:00' } });
  const nightly = profile('nightly', { cron: { timeZone: 'Europe/Berlin', start: '0 2 * * *', duration: 'PT1H' } });
  type Case = { name: string; from: string; to: string; expected: Array<[string, string]> };
  const cases: Case[] = [
    { name: 'a tick interval containing the 08:00 Berlin start', from: '2026-11-27T06:59:00Z', to: '2026-11-27T07:00:00Z', expected: [['2026-11-27T07:00:00Z', 'business']] },
    { name: 'a change exactly at from is not in (from, to]', from: '2026-11-27T07:00:00Z', to: '2026-11-27T07:01:00Z', expected: [] },
    { name: 'a whole Friday to Monday', from: '2026-11-27T00:00:00Z', to: '2026-11-30T08:00:00Z', expected: [
      ['2026-11-27T01:00:00Z', 'nightly'], ['2026-11-27T02:00:00Z', 'default'], ['2026-11-27T07:00:00Z', 'business'], ['2026-11-27T17:00:00Z', 'default'],
      ['2026-11-28T01:00:00Z', 'nightly'], ['2026-11-28T02:00:00Z', 'default'],
      ['2026-11-29T01:00:00Z', 'nightly'], ['2026-11-29T02:00:00Z', 'default'],
      ['2026-11-30T01:00:00Z', 'nightly'], ['2026-11-30T02:00:00Z', 'default'], ['2026-11-30T07:00:00Z', 'business'],
    ] },
  ];
  it.each(cases)('$name', ({ from, to, expected }) => {
    const r = profileChangesBetween([DEFAULT, business, nightly], T(from), T(to));
    expect(r.code).toBe('Complete');
    expect(r.changes.map((c) => [new Date(c.at).toISOString().replace('.000', ''), c.to])).toEqual(expected);
  });

  it('a range longer than 31 days is cut and says so (RangeTooLong)', () => {
    const r = profileChangesBetween([DEFAULT, business], T('2026-01-01T00:00:00Z'), T('2026-06-01T00:00:00Z'));
    expect(r.code).toBe('RangeTooLong');
    expect(r.searchedUntil).toBe(T('2026-02-01T00:00:00Z'));
  });

  it('to before from is InvalidRange', () => {
    expect(profileChangesBetween([DEFAULT], 10, 5).code).toBe('InvalidRange');
  });

  it('changes across the New York spring-forward night happen at the jump', () => {
    const ny = profile('ny', { recurrence: { timeZone: 'America/New_York', days: ['Sunday'], start: '02:30', end: '05:00' } });
    const r = profileChangesBetween([DEFAULT, ny], T('2026-03-08T00:00:00Z'), T('2026-03-08T12:00:00Z'));
    expect(r.changes.map((c) => [c.at, c.to])).toEqual([[T('2026-03-08T07:00:00Z'), 'ny'], [T('2026-03-08T09:00:00Z'), 'default']]);
  });
});

// ---------------------------------------------------------------------------------------------
// Schema.

// The host's own zone never matters: `npm run test:tz` runs these under TZ=America/St_Johns (and any
// TZ works). Each wall-clock time below is in a spring-forward gap of a common host zone (St John's and
// New York 2026-03-08 02:00-03:00, Lord Howe 2026-10-04 02:00-02:30, Berlin 2026-03-29 02:00-03:00,
// London 2026-03-29 01:00-02:00) while the profile's own zone shows it normally. Reading the wall clock
// through the host's local Date getters moved such a time an hour (or half an hour) later.
describe('answers do not depend on the host time zone (TZ)', () => {
  type Case = { zone: string; start: string; end: string; at: string; startText: string; endText: string };
  const cases: Case[] = [
    { zone: 'Asia/Kolkata', start: '2026-03-08T02:15:00', end: '2026-03-08T04:00:00', at: '2026-03-07T21:15:00Z', startText: '2026-03-07T20:45:00Z (Sun 2026-03-08 02:15 +05:30 Asia/Kolkata)', endText: '2026-03-07T22:30:00Z (Sun 2026-03-08 04:00 +05:30 Asia/Kolkata)' },
    { zone: 'UTC', start: '2026-03-08T02:30:00', end: '2026-03-08T02:45:30', at: '2026-03-08T02:40:00Z', startText: '2026-03-08T02:30:00Z (Sun 2026-03-08 02:30 +00:00 UTC)', endText: '2026-03-08T02:45:30Z (Sun 2026-03-08 02:45:30 +00:00 UTC)' },
    { zone: 'Asia/Kolkata', start: '2026-10-04T02:10:00', end: '2026-10-04T02:20:00', at: '2026-10-03T20:45:00Z', startText: '2026-10-03T20:40:00Z (Sun 2026-10-04 02:10 +05:30 Asia/Kolkata)', endText: '2026-10-03T20:50:00Z (Sun 2026-10-04 02:20 +05:30 Asia/Kolkata)' },
    { zone: 'Europe/London', start: '2026-03-08T02:00:00', end: '2026-03-08T02:59:00', at: '2026-03-08T02:30:00Z', startText: '2026-03-08T02:00:00Z (Sun 2026-03-08 02:00 +00:00 Europe/London)', endText: '2026-03-08T02:59:00Z (Sun 2026-03-08 02:59 +00:00 Europe/London)' },
    { zone: 'Asia/Tokyo', start: '2026-03-29T01:30:00', end: '2026-03-29T02:30:00', at: '2026-03-28T17:00:00Z', startText: '2026-03-28T16:30:00Z (Sun 2026-03-29 01:30 +09:00 Asia/Tokyo)', endText: '2026-03-28T17:30:00Z (Sun 2026-03-29 02:30 +09:00 Asia/Tokyo)' },
  ];
  it.each(cases)('a fixed date $start-$end in $zone is described in its own zone', ({ zone, start, end, at, startText, endText }) => {
    const r = activeProfile([DEFAULT, profile('window', { fixedDate: { timeZone: zone, start, end } })], T(at));
    const window = { start: T(startText.slice(0, 20)), end: T(endText.slice(0, 20)) };
    expect(r).toMatchObject({ profile: 'window', code: 'FixedDateActive', window });
    const traced = { start: startText.slice(0, 20), end: endText.slice(0, 20) };
    expect(r.trace[1]).toMatchObject({ name: 'window', kind: 'fixedDate', status: 'Selected', code: 'InFixedDateWindow', window: traced });
    // The wall clock shown next to each instant is the profile zone's, whatever the host's TZ: no field
    // carries it, so the rendered instants are checked (not the sentence around them).
    expect(r.trace[1]!.message).toContain(startText);
    expect(r.trace[1]!.message).toContain(endText);
    expect(r.trace[1]!.dst).toBeUndefined();
  });

  it('a weekly recurrence at a host-gap time starts on its own zone\'s Sunday', () => {
    const weekly = profile('sunday', { recurrence: { timeZone: 'Asia/Kolkata', days: ['Sunday'], start: '02:15', end: '02:45' } });
    const r = activeProfile([DEFAULT, weekly], T('2026-03-07T21:00:00Z'));
    const window = { start: T('2026-03-07T20:45:00Z'), end: T('2026-03-07T21:15:00Z') };
    expect(r).toMatchObject({ profile: 'sunday', code: 'RecurrenceActive', window });
    expect(r.trace[1]).toMatchObject({ name: 'sunday', kind: 'recurrence', status: 'Selected', code: 'InRecurrenceWindow', window: { start: '2026-03-07T20:45:00Z', end: '2026-03-07T21:15:00Z' } });
    // The rendered wall clock is the profile zone's Sunday, not the host's Saturday.
    expect(r.trace[1]!.message).toContain('(Sun 2026-03-08 02:15 +05:30 Asia/Kolkata)');
    expect(r.trace[1]!.message).toContain('(Sun 2026-03-08 02:45 +05:30 Asia/Kolkata)');
  });
});

describe('profile schema: IANA zones, exactly one schedule, valid windows (src/schemas/profiles.ts)', () => {
  const ok = { name: 'p', capacity: CAP };
  type Case = { name: string; profiles: unknown[]; valid: boolean; message?: RegExp };
  const cases: Case[] = [
    { name: 'default + recurrence + fixed date + cron', valid: true, profiles: [
      ok,
      { ...ok, name: 'r', recurrence: { timeZone: 'Europe/Berlin', days: ['Monday'], start: '08:00', end: '18:00' } },
      { ...ok, name: 'f', fixedDate: { timeZone: 'Europe/Berlin', start: '2026-11-27T00:00:00', end: '2026-11-28T00:00' } },
      { ...ok, name: 'c', cron: { timeZone: 'Asia/Kolkata', start: '0 6 * * *', end: '0 20 * * *' } },
    ] },
    { name: 'a Windows zone name is refused', valid: false, message: /IANA/, profiles: [{ ...ok, recurrence: { timeZone: 'W. Europe Standard Time', days: ['Monday'], start: '08:00' } }] },
    { name: 'a bare offset is refused', valid: false, message: /IANA/, profiles: [{ ...ok, recurrence: { timeZone: '+05:30', days: ['Monday'], start: '08:00' } }] },
    { name: 'an unknown zone is refused', valid: false, message: /IANA/, profiles: [{ ...ok, recurrence: { timeZone: 'Mars/Olympus_Mons', days: ['Monday'], start: '08:00' } }] },
    { name: 'two schedules on one profile', valid: false, message: /at most one schedule/, profiles: [{ ...ok, recurrence: { timeZone: 'UTC', days: ['Monday'], start: '08:00' }, cron: { timeZone: 'UTC', start: '0 8 * * *', duration: 'PT1H' } }] },
    { name: 'cron with both end and duration', valid: false, message: /at most one of end/, profiles: [{ ...ok, cron: { timeZone: 'UTC', start: '0 8 * * *', end: '0 9 * * *', duration: 'PT1H' } }] },
    { name: 'cron with neither end nor duration (open-ended)', valid: true, profiles: [{ ...ok, cron: { timeZone: 'UTC', start: '0 8 * * *' } }] },
    { name: 'a 6-field cron', valid: false, message: /5-field/, profiles: [{ ...ok, cron: { timeZone: 'UTC', start: '0 0 8 * * *', duration: 'PT1H' } }] },
    { name: 'KEDA: start and end crons equal', valid: false, message: /empty/, profiles: [{ ...ok, cron: { timeZone: 'UTC', start: '0 8 * * *', end: '0 8 * * *' } }] },
    { name: 'recurrence end equal to start', valid: false, message: /end equals start/, profiles: [{ ...ok, recurrence: { timeZone: 'UTC', days: ['Monday'], start: '08:00', end: '08:00' } }] },
    { name: 'a day listed twice', valid: false, message: /once/, profiles: [{ ...ok, recurrence: { timeZone: 'UTC', days: ['Monday', 'Monday'], start: '08:00' } }] },
    { name: 'a lower-case day', valid: false, profiles: [{ ...ok, recurrence: { timeZone: 'UTC', days: ['monday'], start: '08:00' } }] },
    { name: 'clock 24:00', valid: false, message: /HH:mm/, profiles: [{ ...ok, recurrence: { timeZone: 'UTC', days: ['Monday'], start: '24:00' } }] },
    { name: 'fixed date ending before it starts', valid: false, message: /not after start/, profiles: [{ ...ok, fixedDate: { timeZone: 'UTC', start: '2026-11-28T00:00:00', end: '2026-11-27T00:00:00' } }] },
    { name: 'fixed date 31 February', valid: false, message: /date-time/, profiles: [{ ...ok, fixedDate: { timeZone: 'UTC', start: '2026-02-31T00:00:00', end: '2026-03-02T00:00:00' } }] },
    { name: 'duplicate profile names', valid: false, message: /already used/, profiles: [ok, ok] },
    { name: 'default capacity outside the bounds', valid: false, message: /between minimum and maximum/, profiles: [{ ...ok, capacity: { minimum: 2, maximum: 5, default: 9 } }] },
    { name: 'an unknown field', valid: false, profiles: [{ ...ok, schedule: {} }] },
  ];
  it.each(cases)('$name → valid: $valid', ({ profiles, valid, message }) => {
    const r = Profiles.safeParse(profiles);
    expect(r.success).toBe(valid);
    if (!r.success && message) expect(r.error.issues.map((i) => i.message).join('\n')).toMatch(message);
  });
});

// ---------------------------------------------------------------------------------------------
// A cron without end or duration: open-ended, as a recurrence without end (docs/schedules.md).
// 2026-07-01 is a Wednesday, 2026-07-15 a Wednesday, 2026-08-01 a Saturday.

describe('an open-ended cron lasts from its latest run until another recurring profile starts', () => {
  const monthStart = profile('month-start', { cron: { timeZone: 'UTC', start: '0 0 1 * *' } });
  const monthMid = profile('month-mid', { cron: { timeZone: 'UTC', start: '0 0 15 * *' } });
  const weekdays = profile('weekdays', { recurrence: { timeZone: 'UTC', days: [...WEEKDAYS], start: '09:00' } });

  it('alone, it holds from its first run on, however long ago (a yearly cron)', () => {
    const yearly = [DEFAULT, profile('yearly', { cron: { timeZone: 'UTC', start: '30 0 1 12 *' } })];
    const r = activeProfile(yearly, T('2026-11-30T00:00:00Z'));
    expect([r.profile, r.code, r.window]).toEqual(['yearly', 'CronActive', { start: T('2025-12-01T00:30:00Z') }]);
    expect(r.trace.find((e) => e.name === 'yearly')?.code).toBe('OpenEndedSinceStart');
    expect(activeProfile(yearly, T('2026-12-01T00:30:00Z')).window).toEqual({ start: T('2026-12-01T00:30:00Z') });
  });

  it.each([
    ['2026-07-01T00:00:00Z', 'month-start'],
    ['2026-07-14T23:59:59.999Z', 'month-start'],
    ['2026-07-15T00:00:00Z', 'month-mid'],
    ['2026-07-31T23:59:59.999Z', 'month-mid'],
    ['2026-08-01T00:00:00Z', 'month-start'],
  ])('two monthly crons end each other: at %s %s', (iso, expected) => {
    expect(activeProfile([DEFAULT, monthStart, monthMid], T(iso)).profile).toBe(expected);
  });

  it.each([
    // Wed 1 July 00:00: the monthly cron runs; Wed 09:00 the weekday recurrence ends it.
    ['2026-07-01T08:59:00Z', 'month-start'],
    ['2026-07-01T09:00:00Z', 'weekdays'],
    // Sat 1 August: no weekday start until Mon 3 August 09:00.
    ['2026-08-02T12:00:00Z', 'month-start'],
    ['2026-08-03T09:00:00Z', 'weekdays'],
  ])('a weekly recurrence and an open cron end each other: at %s %s', (iso, expected) => {
    expect(activeProfile([DEFAULT, weekdays, monthStart], T(iso)).profile).toBe(expected);
  });

  it('its runs are profile changes for the cron trigger, and the next change is the other profile\'s start', () => {
    const all = [DEFAULT, weekdays, monthStart];
    expect(profileChangesBetween(all, T('2026-07-31T12:00:00Z'), T('2026-08-03T12:00:00Z')).changes.map((c) => [new Date(c.at).toISOString(), c.to])).toEqual([
      ['2026-08-01T00:00:00.000Z', 'month-start'],
      ['2026-08-03T09:00:00.000Z', 'weekdays'],
    ]);
    expect(activeProfile(all, T('2026-08-02T00:00:00Z')).nextChange).toMatchObject({ at: T('2026-08-03T09:00:00Z'), to: 'weekdays' });
  });
});

describe('a cron with from and until: only runs within them begin a window', () => {
  const monthly = (bounds: { from?: string; until?: string }) => profile('monthly', { cron: { timeZone: 'UTC', start: '0 0 1 * *', ...bounds } });

  it.each([
    ['2026-07-20T00:00:00Z', 'default'], // the 1 July run is before from
    ['2026-08-01T00:00:00Z', 'monthly'],
    ['2026-09-20T00:00:00Z', 'monthly'], // until 15 September: the 1 September run still counts
    ['2026-12-20T00:00:00Z', 'monthly'], // no run after until, and an open window lasts until another profile starts
  ])('from 15 July, until 15 September, open-ended: at %s %s', (iso, expected) => {
    const r = activeProfile([DEFAULT, monthly({ from: '2026-07-15T00:00:00Z', until: '2026-09-15T00:00:00Z' })], T(iso));
    expect(r.profile).toBe(expected);
    if (expected === 'monthly') expect(r.window?.start).toBe(iso.startsWith('2026-08') ? T('2026-08-01T00:00:00Z') : T('2026-09-01T00:00:00Z'));
  });

  it('no profile change after until, and none before from', () => {
    const all = [DEFAULT, monthly({ from: '2026-07-15T00:00:00Z', until: '2026-09-15T00:00:00Z' })];
    expect(profileChangesBetween(all, T('2026-06-25T00:00:00Z'), T('2026-07-10T00:00:00Z')).changes).toEqual([]);
    expect(profileChangesBetween(all, T('2026-09-25T00:00:00Z'), T('2026-10-10T00:00:00Z')).changes).toEqual([]);
    expect(profileChangesBetween(all, T('2026-07-25T00:00:00Z'), T('2026-08-10T00:00:00Z')).changes.map((c) => [c.at, c.to])).toEqual([[T('2026-08-01T00:00:00Z'), 'monthly']]);
  });

  it('the schema refuses until before from, and a local time without an offset', () => {
    const bad = (cron: Record<string, string>) => Profiles.safeParse([{ name: 'c', capacity: CAP, cron: { timeZone: 'UTC', start: '0 0 1 * *', ...cron } }]).success;
    expect([bad({ from: '2026-09-01T00:00:00Z', until: '2026-08-01T00:00:00Z' }), bad({ until: '2026-08-01T00:00:00' }), bad({ until: '2026-08-01T00:00:00Z' })]).toEqual([false, false, true]);
  });
});

// Issue #19, one timestamp format: a decision's profile trace writes its instants as ISO text, as the rest of the
// answer does (they were epoch milliseconds), for every bundled rule set with profiles, at instants in and out of them.
describe('the profile trace of a decision writes instants as ISO text', () => {
  const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
  const withProfiles = [...bundledRuleSets().values()].filter((e) => e.ruleSet && (e.ruleSet.spec.profiles?.length ?? 0) > 0);
  it('covers the bundled rule sets that have schedules', () => expect(withProfiles.map((e) => e.id).sort()).toEqual(['cron-demo', 'storefront', 'vmss-web']));
  it.each(withProfiles.flatMap((e) => ['2026-11-23T08:30:00Z', '2026-11-28T03:00:00Z'].map((at) => ({ id: e.id, at }))))('$id at $at', ({ id, at }) => {
    const d = decide(bundledRuleSets().get(id)!.ruleSet!, { id: 't', capacity: 3, metrics: {} }, T(at));
    const instants = d.trace.profile.profiles.flatMap((p) => [p.window?.start, p.window?.end, p.nextStart]).filter((x) => x !== undefined);
    expect(instants.length).toBeGreaterThan(0);
    for (const x of instants) expect(x).toMatch(ISO);
  });
});
