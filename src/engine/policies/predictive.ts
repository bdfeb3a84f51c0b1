// Predictive scaling as a policy: a forecast from the history the caller sends (predictive/forecast.ts), the capacity it implies, never a scale-in by itself.
import type { PredictivePolicy, PredictiveTrace } from '../../schemas/predictive.js';
import { PREDICTIVE_MAX_SLOTS } from '../../schemas/predictive.js';
import { LIMITS } from '../../limits.js';
import { acceptedDurationMs, isoUtc } from '../../syntax/duration.js';
import { predictiveSentence } from '../explain.js';
import { effectiveMaximum, leadSlots, requiredCapacity } from '../predictive/capacity.js';
import { forecast, slotsNeeded, toGrid } from '../predictive/forecast.js';
import type { Proposal } from '../pipeline/recommendation.js';
import type { Policy, PolicyOutcome } from './policy.js';

export interface CompiledPredictive {
  readonly policy: PredictivePolicy;
  readonly stepMs: number;
  /** Season, history, horizon and lead in slots of `stepMs`. */
  readonly season: number;
  readonly maxSlots: number;
  readonly minimumSlots: number;
  readonly horizon: number;
  readonly lead: number;
}

function compilePredictive(policy: PredictivePolicy): CompiledPredictive {
  const stepMs = acceptedDurationMs(policy.step);
  const season = acceptedDurationMs(policy.season) / stepMs;
  const lead = leadSlots(acceptedDurationMs(policy.schedulingBuffer), stepMs);
  return {
    policy,
    stepMs,
    season,
    maxSlots: Math.min(PREDICTIVE_MAX_SLOTS, Math.floor(acceptedDurationMs(policy.history) / stepMs)),
    // Never fewer slots than the method needs to forecast at all, whatever minimumHistory says.
    minimumSlots: Math.max(Math.ceil(acceptedDurationMs(policy.minimumHistory) / stepMs), slotsNeeded(policy.method, season)),
    // The trace covers the horizon, and at least the slots the scheduling buffer asks for.
    horizon: Math.max(Math.ceil(acceptedDurationMs(policy.horizon) / stepMs), lead),
    lead,
  };
}

/** How reasons name the policy. */
const LABEL = 'the predictive policy';

export const predictivePolicy: Policy<CompiledPredictive> = {
  kind: 'predictive',
  compile: (spec) => (spec.predictive === undefined ? undefined : compilePredictive(spec.predictive)),
  metrics: (c) => [c.policy.metric],
  lookbackMs: (c) => acceptedDurationMs(c.policy.history),
  recommend(c, ctx): PolicyOutcome {
    const p = c.policy;
    const { now, bounds } = ctx;
    const points = ctx.series.get(p.metric) ?? [];
    const grid = toGrid(points, now, c.stepMs, c.maxSlots);
    const slots = grid.values.length;
    const history = {
      slots,
      ...(slots > 0 && { from: isoUtc(now - slots * c.stepMs) }),
      minimumSlots: c.minimumSlots,
      seasonSlots: c.season,
      seasonsUsed: Math.floor(slots / c.season),
    };
    const base = { mode: p.mode, method: p.method, metric: p.metric, history };
    if (slots < c.minimumSlots) {
      // Refuse to act below the minimum history, and say so (AWS needs 24 hours before it forecasts).
      const code = slots === 0 ? ('PredictiveNoData' as const) : ('PredictiveTooLittleHistory' as const);
      const message = predictiveSentence({ code, metric: p.metric, slots, minimumSlots: c.minimumSlots, step: p.step });
      const trace: PredictiveTrace = { code, ...base, forecast: [], message };
      // Without data it counts as missing for the missing-data policy, unless it only forecasts (then it decides nothing).
      return { kind: 'predictive', proposals: [], missing: slots === 0 && p.mode === 'ForecastAndScale' ? [p.metric] : [], trace, declined: code, remark: message, label: LABEL };
    }
    const r = forecast(grid, { method: p.method, season: c.season, seasons: p.seasons, percentile: p.percentile, horizon: c.horizon });
    const rows: PredictiveTrace['forecast'] = [];
    let required = 0;
    let requiredSlot = 1;
    let load = 0;
    for (let h = 1; h <= c.horizon; h++) {
      const value = r.forecast[h - 1]!;
      // A forecast beyond any fleet (a huge load, or Holt-Winters on a steep trend) asks for the largest capacity there is.
      const capacity = Math.min(requiredCapacity(value, p.targetValue), LIMITS.maxCapacity);
      rows.push({ at: isoUtc(now + h * c.stepMs), load: value, capacity });
      if (h <= c.lead && (h === 1 || capacity > required)) {
        required = capacity;
        requiredSlot = h;
        load = value;
      }
    }
    const by = now + requiredSlot * c.stepMs;
    const effective = Math.min(effectiveMaximum(required, bounds.maximum, p.maxCapacityBreachBehavior, p.maxCapacityBuffer ?? 0), Math.max(LIMITS.maxCapacity, bounds.maximum));
    // Above the maximum, the clamp governor says so (HonorMaxCapacity) or the raised maximum lets it through.
    const desired = required;
    const code = p.mode === 'ForecastOnly' ? ('PredictiveForecastOnly' as const) : ('PredictiveScale' as const);
    const message = predictiveSentence({ code, metric: p.metric, method: p.method, load, required, by, mape: r.mape, targetValue: p.targetValue });
    const trace: PredictiveTrace = {
      code,
      ...base,
      forecast: rows,
      error: { mape: r.mape, points: r.errorPoints, zeros: r.zeros },
      required,
      requiredBy: isoUtc(by),
      maximum: {
        behavior: p.maxCapacityBreachBehavior,
        ...(p.maxCapacityBuffer !== undefined && { buffer: p.maxCapacityBuffer }),
        configured: bounds.maximum,
        effective,
      },
      ...(code === 'PredictiveScale' && { desired }),
      message,
    };
    if (code === 'PredictiveForecastOnly') return { kind: 'predictive', proposals: [], missing: [], trace, remark: message, label: LABEL };
    // A floor, not a vote: it raises capacity to the forecast, and lowers it only when another policy
    // asks for less (pipeline/combine.ts). AWS and Azure predictive scaling only ever scale out.
    const proposal: Proposal = { source: 'predictive', id: 'predictive', capacity: desired, message, label: LABEL, floor: true };
    return { kind: 'predictive', proposals: [proposal], missing: [], trace, ...(effective > bounds.maximum && { maximum: effective }) };
  },
};
