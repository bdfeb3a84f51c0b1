// The `cron` of POST /v1/scheduled: a Cloudflare cron trigger pattern, checked before the tick is run.
//
// src/cron/scheduled.ts (tickInterval) reads the pattern with croner and, when it cannot, silently
// falls back to a five-minute interval: right for a real trigger (the tick must still run), wrong for
// a request, where `cron: "garbage"` would be answered as if it were valid. So the route refuses a
// pattern tickInterval could not use, with 422 and the path `cron`.
import { Cron } from 'croner';

/**
 * Cloudflare cron triggers have exactly five fields (minute hour day-of-month month day-of-week; no
 * seconds, no years, no "@hourly" nicknames), although croner also reads six and seven.
 */
const CLOUDFLARE_CRON_FIELDS = 5;

/** Why `cron` cannot bound a tick at `at`, or undefined when it can. */
export function triggerCronProblem(cron: string, at: number): string | undefined {
  const fields = cron.trim() === '' ? 0 : cron.trim().split(/\s+/).length;
  if (fields !== CLOUDFLARE_CRON_FIELDS) {
    return `not a cron trigger pattern: expected ${CLOUDFLARE_CRON_FIELDS} space-separated fields (minute hour day-of-month month day-of-week), got ${fields}`;
  }
  let c: Cron;
  try {
    // The options tickInterval uses, so what passes here is what it reads.
    c = new Cron(cron, { timezone: 'UTC', paused: true });
  } catch (error) {
    return `not a cron trigger pattern: ${(error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, '')}`;
  }
  // Two runs at or before the tick: the slot and the previous run, which bound the interval reported.
  if (c.previousRuns(2, new Date(at + 1)).length < 2) return 'the cron pattern never runs (e.g. the 30th of February), so it has no previous tick';
  return undefined;
}
