// ISO 8601 durations (PT5M, P1DT2H, P2W) and timestamps, parsed to milliseconds without a clock.

const MS = { W: 604_800_000, D: 86_400_000, H: 3_600_000, M: 60_000, S: 1_000 } as const;

// Years and months have no fixed length, so they are refused rather than guessed: an autoscale
// window of "P1M" would mean 28 to 31 days depending on `now`, which breaks determinism.
const DURATION_RE =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds in an ISO 8601 duration, or undefined when it is not one we accept. */
export function parseIsoDuration(text: string): number | undefined {
  const m = DURATION_RE.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m;
  const parts: Array<[string | undefined, number]> = [
    [w, MS.W],
    [d, MS.D],
    [h, MS.H],
    [min, MS.M],
    [s, MS.S],
  ];
  let total = 0;
  for (const [value, unit] of parts) if (value !== undefined) total += Number(value) * unit;
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/**
 * Milliseconds in a duration the schema already accepted (it refines every duration with
 * parseIsoDuration), so failing here is a bug, not bad input: throw rather than carry NaN along.
 */
export function acceptedDurationMs(text: string): number {
  const ms = parseIsoDuration(text);
  if (ms === undefined) throw new Error(`duration "${text}" passed the schema but does not parse`);
  return ms;
}

/** A duration in milliseconds written back as the shortest ISO 8601 form (used in reasons). */
export function formatIsoDuration(ms: number): string {
  if (ms === 0) return 'PT0S';
  let rest = ms;
  const d = Math.floor(rest / MS.D);
  rest -= d * MS.D;
  const h = Math.floor(rest / MS.H);
  rest -= h * MS.H;
  const m = Math.floor(rest / MS.M);
  rest -= m * MS.M;
  const s = rest / 1000;
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  return `P${d ? `${d}D` : ''}${time ? `T${time}` : ''}`;
}

/** Timestamps are accepted from year 1 to year 9999: what ISO 8601 can write without extensions. */
export const EARLIEST_MS = -62_135_596_800_000;
export const LATEST_MS = 253_402_300_799_999;
/** The JavaScript Date range; instants computed past it (a long cooldown after year 9999) are clamped to it. */
const DATE_LIMIT_MS = 8.64e15;

/** Epoch milliseconds from an ISO 8601 timestamp with an explicit offset, or from a number. */
export function toEpochMs(t: string | number): number | undefined {
  if (typeof t === 'number') return Number.isFinite(t) && t >= EARLIEST_MS && t <= LATEST_MS ? t : undefined;
  // An offset is required: a bare local time would be read in the machine's zone.
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) || ms < EARLIEST_MS || ms > LATEST_MS ? undefined : ms;
}

/** ISO 8601 UTC with second precision when possible ("2026-11-22T10:40:00Z"). */
export function isoUtc(ms: number): string {
  const iso = new Date(Math.max(-DATE_LIMIT_MS, Math.min(DATE_LIMIT_MS, ms))).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** Short clock time for human reasons: "10:40Z", or "10:40:30Z" when seconds matter. */
export function shortUtc(ms: number): string {
  const iso = isoUtc(ms);
  const time = iso.slice(11, iso.length - 1);
  return `${time.endsWith(':00') ? time.slice(0, 5) : time}Z`;
}
