// Azure's predictiveAutoscalePolicy → a native `predictive` policy: scaleMode, scaleLookAheadTime and the scale-out rule's Percentage CPU threshold.
//
// Source: "Use predictive autoscale to scale out before load demands in virtual machine scale sets"
// (learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-predictive): it "forecasts the overall CPU
// load"; "needs a minimum of seven days of history"; "when the system predicts that the percentage CPU load
// … will cross your scale-out boundary, new instances are added"; instances may be provisioned "up to 1 hour
// before the predicted workload spike"; "The Percentage CPU metric with the aggregation type Average is the
// only metric currently supported"; "supports scale-out only"; Forecast only shows the forecast without
// scaling. The ARM shape: predictiveAutoscalePolicy { scaleMode: Disabled | ForecastOnly | Enabled,
// scaleLookAheadTime: ISO 8601 duration }.
import { parseIsoDuration } from '../../syntax/duration.js';
import type { RuleSetInput } from '../../schema.js';
import { joinPath, type ImportContext } from '../import-context.js';
import { prop, propKey, type ParsedProfile } from './read.js';

type Json = Record<string, unknown>;

/** Azure's only predictive metric. */
const PERCENTAGE_CPU = 'percentage cpu';
/** Azure needs seven days of history: one weekly season is exactly that, so the same time last week is the forecast. */
const AZURE_MINIMUM_HISTORY = 'P7D';
/** Azure provisions at most an hour ahead. */
const AZURE_MAX_LOOK_AHEAD_MS = 3_600_000;

/**
 * The native policy for a setting's predictiveAutoscalePolicy, or undefined (Disabled, absent, or no
 * Percentage CPU scale-out rule in the default profile to take the boundary from: then reported).
 */
export function importPredictive(
  setting: Json,
  defaultFrom: ParsedProfile,
  metricNames: Map<string, string>,
  base: string,
  ctx: ImportContext,
): RuleSetInput['predictive'] | undefined {
  const raw = prop(setting, 'predictiveAutoscalePolicy');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const policy = raw as Json;
  const path = joinPath(base, propKey(setting, 'predictiveAutoscalePolicy'));
  const mode = String(prop(policy, 'scaleMode') ?? 'Disabled').toLowerCase();
  if (mode === 'disabled') return undefined;
  if (mode !== 'forecastonly' && mode !== 'enabled') {
    ctx.unsupported.push({
      path,
      field: 'predictiveAutoscalePolicy',
      message: `scaleMode ${String(prop(policy, 'scaleMode'))} is not Disabled, ForecastOnly or Enabled; left out`,
    });
    return undefined;
  }
  // The scale-out boundary: the default profile's first Percentage CPU scale-out rule on the average.
  const rule = defaultFrom.rules.find(
    (r) =>
      r.source.name.toLowerCase() === PERCENTAGE_CPU &&
      r.direction === 'out' &&
      (r.trigger.operator === 'GreaterThan' || r.trigger.operator === 'GreaterThanOrEqual') &&
      r.trigger.threshold > 0,
  );
  if (rule === undefined) {
    ctx.unsupported.push({
      path,
      field: 'predictiveAutoscalePolicy',
      message:
        'predictive autoscale needs a Percentage CPU scale-out rule in the default profile (its threshold is the boundary the forecast is held to); none found, so it is left out',
    });
    return undefined;
  }
  const lookAhead = prop(policy, 'scaleLookAheadTime');
  let schedulingBuffer = 'PT0S';
  if (typeof lookAhead === 'string') {
    const ms = parseIsoDuration(lookAhead);
    if (ms !== undefined && ms <= AZURE_MAX_LOOK_AHEAD_MS) schedulingBuffer = lookAhead;
    else
      ctx.unsupported.push({
        path: joinPath(path, propKey(policy, 'scaleLookAheadTime')),
        field: 'scaleLookAheadTime',
        message: `scaleLookAheadTime ${lookAhead} is not an ISO 8601 duration of at most PT1H (Azure's limit); no look-ahead is used`,
      });
  }
  const cpu = metricNames.get(rule.source.key)!;
  const metric = `${cpu} total`;
  ctx.notes.push(
    `predictiveAutoscalePolicy (scaleMode ${String(prop(policy, 'scaleMode'))}) is a predictive policy: Azure forecasts "the overall CPU load", so send metrics[${JSON.stringify(metric)}] as the sum of "${cpu}" over the instances, with at least 7 days of history; the forecast is edgescale's (the same time last week, docs/predictive.md), not Azure's unpublished model, and each instance is sized to the scale-out threshold ${rule.trigger.threshold}.`,
  );
  return {
    metric,
    targetValue: rule.trigger.threshold,
    method: 'seasonalNaive',
    season: 'P7D',
    minimumHistory: AZURE_MINIMUM_HISTORY,
    mode: mode === 'enabled' ? 'ForecastAndScale' : 'ForecastOnly',
    schedulingBuffer,
  };
}
