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
