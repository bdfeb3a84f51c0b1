// The series a decision reads: the schema's normalized form as it is; a series sent in-process (tests, library callers) parsed once here.
import type { MetricSeriesInput } from '../schema.js';
import { LIMITS } from '../limits.js';
import { NormalizedSeries, parseSeries, type ParsedSeries } from '../syntax/series.js';
import type { Point } from './metrics.js';

/**
 * The series as the schema parses it: as it is when the schema did; parsed here (once) when a caller
 * sent it raw (decide() called without the schema), and a series the schema would refuse is a caller's
 * defect: thrown, as the schema's message says what is wrong. seriesPoints() then gives its points.
 */
export function parsedSeries(series: MetricSeriesInput | ParsedSeries): ParsedSeries {
  if (typeof series === 'number' || series instanceof NormalizedSeries) return series;
  const parsed = parseSeries(series, { maxPoints: LIMITS.pointsPerSeries, maxInstanceLength: LIMITS.idLength });
  if (!parsed.ok) {
    const [first] = parsed.issues;
    throw new Error(`invalid metric series at [${first?.path.join('.') ?? ''}]: ${first?.message ?? ''}`);
  }
  return parsed.value;
}

/**
 * How far after `now` a point may be stamped and still count as a point at `now`: 5 s. A Prometheus
 * instant query without `time=` stamps its samples with the query's own fractional-second time, and a
 * signed webhook batch is decided at its whole-second `t`, so a fresh sample routinely lands a few
 * milliseconds to a second after `now`; clocks synchronised by NTP differ by milliseconds more. Five
 * seconds covers both with room, and is far below the shortest window any rule reads (Azure's
 * one-minute grain), so it never moves a point across a window that matters. Points later than that
 * are from the future and are ignored (counted as `AfterNow` in a payload's metrics report).
 */
export const CLOCK_SKEW_TOLERANCE_MS = 5_000;

/**
 * The series with every point in (now, now + CLOCK_SKEW_TOLERANCE_MS] moved to `now`; the same array
 * when it has none (the usual case: one comparison). Points are sorted by time, so the tolerated ones
 * are at the end and stay sorted once moved; points past the tolerance are left as they are, and
 * every window, which ends at `now`, ignores them.
 */
export function toleratingSkew(points: Point[], now: number): Point[] {
  const n = points.length;
  if (n === 0 || points[n - 1]!.t <= now) return points;
  const out = points.slice();
  const limit = now + CLOCK_SKEW_TOLERANCE_MS;
  for (let i = n - 1; i >= 0 && out[i]!.t > now; i--) {
    const p = out[i]!;
    if (p.t <= limit) out[i] = { ...p, t: now };
  }
  return out;
}
