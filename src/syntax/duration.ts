// ISO 8601 durations (PT5M, P1DT2H, P2W) and timestamps, parsed to milliseconds without a clock.

const MS = { W: 604_800_000, D: 86_400_000, H: 3_600_000, M: 60_000, S: 1_000 } as const;

// Years and months have no fixed length, so they are refused rather than guessed: an autoscale
// window of "P1M" would mean 28 to 31 days depending on `now`, which breaks determinism.
const DURATION_RE =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * The durations read most recently, and what they gave: a batch repeats a handful ("PT1M" as every
 * regular series' step, the rule sets' windows) thousands of times. Bounded; cleared when full.
 */
const DURATION_MEMO = new Map<string, number | undefined>();
/** Distinct durations remembered before the memo starts over (a hostile batch may send many). */
const DURATION_MEMO_SIZE = 64;
/** Longer texts are not remembered, so the memo holds at most 64 × 32 characters whatever a request sends. */
const DURATION_MEMO_KEY_LENGTH = 32;

/** Milliseconds in an ISO 8601 duration, or undefined when it is not one we accept. */
export function parseIsoDuration(text: string): number | undefined {
  const known = DURATION_MEMO.get(text);
  if (known !== undefined || DURATION_MEMO.has(text)) return known;
  const ms = readIsoDuration(text);
  if (text.length > DURATION_MEMO_KEY_LENGTH) return ms;
  if (DURATION_MEMO.size >= DURATION_MEMO_SIZE) DURATION_MEMO.clear();
  DURATION_MEMO.set(text, ms);
  return ms;
}

function readIsoDuration(text: string): number | undefined {
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

/**
 * Epoch milliseconds from an ISO 8601 timestamp with an explicit offset, or from a number.
 * `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS.fffZ` (what every exporter writes) are read by hand,
 * without a regex or Date.parse; every other spelling goes to Date.parse as before. Either way a
 * calendar date that does not exist ("2026-02-30", "Apr 31 2026") is refused: Date.parse would roll
 * it over into the next month.
 */
export function toEpochMs(t: string | number): number | undefined {
  if (typeof t === 'number') return Number.isFinite(t) && t >= EARLIEST_MS && t <= LATEST_MS ? t : undefined;
  const fast = fastIsoUtc(t);
  if (fast !== undefined) return Number.isNaN(fast) ? undefined : fast;
  // An offset is required: a bare local time would be read in the machine's zone.
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(t)) return undefined;
  const ms = Date.parse(t);
  if (Number.isNaN(ms) || ms < EARLIEST_MS || ms > LATEST_MS || !writtenDateExists(t)) return undefined;
  return ms;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const daysIn = (y: number, m: number) => (m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]!);

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The value of `count` ASCII digits at `at`, or -1 when one of them is not a digit. */
function digits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Two ASCII digits at `at` as a number, or -1 when one of them is not a digit. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The hour the last fast-path timestamp began with (`YYYY-MM-DDTHH:`, 14 characters) and its epoch ms.
 * A series is a run of timestamps a minute or less apart, so the next one almost always starts with
 * the same hour: only its minutes, seconds and milliseconds are read then. A memo of a pure function:
 * the result for any string is what the full parse gives.
 */
let hourPrefix = '';
let hourMs = 0;

/**
 * The fast path: epoch ms of exactly `YYYY-MM-DDTHH:MM:SS(.fff)Z`; NaN when it has that shape but names
 * no instant (a month 13, a February 30, a minute 60) or lies outside years 1–9999; undefined when it
 * has another shape (hour 24, lower case, other fractions, offsets), left to Date.parse.
 */
function fastIsoUtc(s: string): number | undefined {
  const n = s.length;
  if (n !== 20 && n !== 24) return undefined;
  if (s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90) return undefined;
  let ms = 0;
  if (n === 24) {
    if (s.charCodeAt(19) !== 46) return undefined;
    const a = s.charCodeAt(20) - 48;
    const b = s.charCodeAt(21) - 48;
    const c = s.charCodeAt(22) - 48;
    if (a < 0 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return undefined;
    ms = a * 100 + b * 10 + c;
  }
  const mi = twoDigits(s, 14);
  const sec = twoDigits(s, 17);
  if (mi < 0 || sec < 0) return undefined;
  if (s.startsWith(hourPrefix) && hourPrefix !== '') {
    if (mi > 59 || sec > 59) return NaN;
    return hourMs + mi * 60_000 + sec * 1_000 + ms;
  }
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58) return undefined;
  const y = digits(s, 0, 4);
  const mo = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  const h = twoDigits(s, 11);
  if (y < 0 || mo < 0 || d < 0 || h < 0) return undefined;
  if (h === 24) return undefined; // 24:00:00 is the end of the day: Date.parse knows it.
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || y < 1) return NaN;
  // Only a valid hour is remembered, so a prefix match above always stands for a valid date and hour.
  hourPrefix = s.slice(0, 14);
  hourMs = daysFromCivil(y, mo, d) * 86_400_000 + h * 3_600_000;
  if (mi > 59 || sec > 59) return NaN;
  return hourMs + mi * 60_000 + sec * 1_000 + ms;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const month = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;

/**
 * False when the calendar date as written does not exist, for the spellings Date.parse accepts:
 * ISO 8601 (`2026-02-30…`, `+002026-02-30…`), `2026/02/30 …`, `Feb 30 2026 …` and RFC 2822's `30 Feb 2026 …`.
 * Date.parse has already refused days above 31 and months above 12.
 */
function writtenDateExists(t: string): boolean {
  let y: number;
  let m: number;
  let d: number;
  let found: RegExpExecArray | null;
  if ((found = /^([+-]\d{6}|\d{4})[-/](\d{1,2})[-/](\d{1,2})/.exec(t))) [y, m, d] = [Number(found[1]), Number(found[2]), Number(found[3])];
  else if ((found = /^(?:[a-z]+,?\s+)?([a-z]{3,})\.?\s+(\d{1,2}),?\s+([+-]?\d{1,6})\b/i.exec(t))) [m, d, y] = [month(found[1]!), Number(found[2]), Number(found[3])];
  else if ((found = /^(?:[a-z]+,?\s+)?(\d{1,2})\s+([a-z]{3,})\.?,?\s+([+-]?\d{1,6})\b/i.exec(t))) [d, m, y] = [Number(found[1]), month(found[2]!), Number(found[3])];
  else return true;
  return m < 1 || m > 12 || d <= daysIn(y, m);
}

/**
 * The last few instants isoUtc wrote and their text: a batch writes the same few instants for every
 * target (its `now`, now + each cooldown), and a Date plus toISOString per instant was 4 % of a
 * 10,000-target batch. A memo of a pure function, so results are what the computation gives.
 */
const ISO_MEMO_SIZE = 8;
const isoMemoMs: number[] = new Array<number>(ISO_MEMO_SIZE).fill(Number.NaN);
const isoMemoText: string[] = new Array<string>(ISO_MEMO_SIZE).fill('');
let isoMemoNext = 0;

/** ISO 8601 UTC with second precision when possible ("2026-11-22T10:40:00Z"). */
export function isoUtc(ms: number): string {
  for (let i = 0; i < ISO_MEMO_SIZE; i++) if (isoMemoMs[i] === ms) return isoMemoText[i]!;
  const iso = new Date(Math.max(-DATE_LIMIT_MS, Math.min(DATE_LIMIT_MS, ms))).toISOString();
  const text = iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
  isoMemoMs[isoMemoNext] = ms;
  isoMemoText[isoMemoNext] = text;
  isoMemoNext = (isoMemoNext + 1) % ISO_MEMO_SIZE;
  return text;
}

/** Short clock time for human reasons: "10:40Z", or "10:40:30Z" when seconds matter. */
export function shortUtc(ms: number): string {
  const iso = isoUtc(ms);
  const time = iso.slice(11, iso.length - 1);
  return `${time.endsWith(':00') ? time.slice(0, 5) : time}Z`;
}
