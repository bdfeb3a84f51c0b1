// A CloudWatch metric alarm evaluated period by period ("M out of N"), shared by AWS simple and step scaling.
//
// Source: CloudWatch User Guide "Alarm evaluation" (alarm-evaluation, "Alarm evaluation settings"):
// "Period is the length of time to use to evaluate the metric or expression to create each individual
// data point for an alarm"; "Evaluation Periods is the number of the most recent periods, or data
// points, to evaluate when determining alarm state"; "Datapoints to Alarm is the number of data points
// within the Evaluation Periods that must be breaching to cause the alarm to go to the ALARM state".
// API PutMetricAlarm: DatapointsToAlarm defaults to EvaluationPeriods; TreatMissingData defaults to
// `missing` ("Configuring how CloudWatch alarms treat missing data": "If all data points in the alarm
// evaluation range are missing, the alarm transitions to INSUFFICIENT_DATA").
import type { AlarmComparison, AlarmStatistic } from '../schemas/aws-policies.js';
import { isoUtc } from '../syntax/duration.js';
import type { Point } from './metrics.js';
import { aggregateStatistic, alarmBreached } from './step-scaling.js';

/** What decides a data point: the statistic of a period's points, compared with the threshold. */
export interface AlarmCondition {
  statistic?: AlarmStatistic | undefined;
  threshold: number;
  comparison: AlarmComparison;
}

/** Period (ms), EvaluationPeriods and DatapointsToAlarm, defaults applied. */
export interface AlarmSpan {
  periodMs: number;
  periods: number;
  toAlarm: number;
}

/** One evaluated period: its end, its statistic (null without data) and whether it breaches. */
interface AlarmPeriod {
  end: string;
  value: number | null;
  breaching: boolean;
}

export interface AlarmEvaluation {
  /** Newest first: period k is (now − (k+1)·P, now − k·P]. */
  periods: AlarmPeriod[];
  breachingPeriods: number;
  /** INSUFFICIENT_DATA when no period has data; ALARM when at least `toAlarm` periods breach; else OK. */
  state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
}

/**
 * The alarm at `now`. No data in any period: INSUFFICIENT_DATA. When only some periods lack data,
 * CloudWatch ("missing") also reads older data points and avoids early transitions to ALARM, which needs
 * data and an alarm state edgescale does not carry; here a period without data does not breach, so the
 * alarm needs `toAlarm` periods that have data and breach (docs/aws-policies.md, "Where AWS is silent").
 */
export function evaluateAlarm(condition: AlarmCondition, span: AlarmSpan, points: readonly Point[], now: number): AlarmEvaluation {
  // One pass puts each point in its period, in the points' order, so the alarm costs points + periods whatever
  // EvaluationPeriods is (up to 8,640), not periods × points. Period k is (now − (k+1)·P, now − k·P]; the quotient
  // guesses k and the two comparisons settle a guess a rounding put on the wrong side of an edge.
  const P = span.periodMs;
  const byPeriod: Array<number[] | undefined> = [];
  for (const p of points) {
    if (p.t > now) continue;
    let k = Math.floor((now - p.t) / P);
    if (!(p.t > now - (k + 1) * P)) k++;
    else if (!(p.t <= now - k * P)) k--;
    if (k < span.periods) (byPeriod[k] ??= []).push(p.v);
  }
  const periods: AlarmPeriod[] = [];
  for (let k = 0; k < span.periods; k++) {
    const end = now - k * span.periodMs;
    const values = byPeriod[k] ?? [];
    const value = aggregateStatistic(values, condition.statistic ?? 'Average') ?? null;
    periods.push({ end: isoUtc(end), value, breaching: value !== null && alarmBreached(value, condition.threshold, condition.comparison) });
  }
  const breachingPeriods = periods.filter((p) => p.breaching).length;
  const state = periods.every((p) => p.value === null) ? 'INSUFFICIENT_DATA' : breachingPeriods >= span.toAlarm ? 'ALARM' : 'OK';
  return { periods, breachingPeriods, state };
}
