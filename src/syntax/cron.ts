// Cron patterns (5-field, in an IANA zone) compiled with croner, as a value rather than an exception.
//
// - croner 11 README, "DST handling": fixed-time jobs run at the first valid time after a DST gap and
//   once (first occurrence) for a repeated time; interval jobs skip gap times and run twice.
import { Cron } from 'croner';

/**
 * croner options shared by validation and evaluation. "5-part" is standard cron (0 = Sunday);
 * "no-wildcard" makes lists and ranges (`0 8,12 * * *`) follow the same DST rule as recurrences,
 * not only single values (croner README, fixedTimeRule).
 */
const CRON_OPTIONS = { paused: true, mode: '5-part', fixedTimeRule: 'no-wildcard' } as const;

/** Compile a cron pattern in a zone with edgescale's croner options, as a value (croner throws). */
export function compileCron(pattern: string, timeZone: string): { ok: true; cron: Cron } | { ok: false; message: string } {
  try {
    return { ok: true, cron: new Cron(pattern, { ...CRON_OPTIONS, timezone: timeZone }) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
