// The series a decision reads: the schema's normalized form as it is; a series sent in-process (tests, library callers) parsed once here.
import type { MetricSeriesInput } from '../schema.js';
import { LIMITS } from '../limits.js';
import { NormalizedSeries, parseSeries, seriesPoints, type ParsedSeries } from '../syntax/series.js';
import type { Point } from './metrics.js';

/**
 * Points sorted by time (stable) in epoch ms; a bare number becomes one point at `now`. A series the
 * schema parsed is not read again. A raw one (decide() called without the schema) is parsed here, and
 * one the schema would refuse is a caller's defect: thrown, as the schema's message says what is wrong.
 */
export function readSeries(series: MetricSeriesInput | ParsedSeries, now: number): Point[] {
  if (typeof series === 'number' || series instanceof NormalizedSeries) return seriesPoints(series, now);
  const parsed = parseSeries(series, { maxPoints: LIMITS.pointsPerSeries, maxInstanceLength: LIMITS.idLength });
  if (!parsed.ok) {
    const [first] = parsed.issues;
    throw new Error(`invalid metric series at [${first?.path.join('.') ?? ''}]: ${first?.message ?? ''}`);
  }
  return seriesPoints(parsed.value, now);
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
