// zod schemas for the `predictive` policy: its settings (named as AWS names them) and its trace.
//
// Sources:
// - AWS PredictiveScalingConfiguration (EC2 Auto Scaling API Reference): Mode ForecastOnly (the default) or
//   ForecastAndScale; SchedulingBufferTime (seconds, default 300, less than the 3600 s forecast interval);
//   MaxCapacityBreachBehavior HonorMaxCapacity (the default) or IncreaseMaxCapacity; MaxCapacityBuffer
//   (0..100, a percentage of the forecast capacity, required with IncreaseMaxCapacity and refused otherwise);
// - AWS PredictiveScalingMetricSpecification: a load metric (the group's total), a TargetValue per
//   instance; "consumes data points for the load metric over the last 14 days"; "a minimum of 24 hours of
//   data is required"; the forecast covers the next 48 hours;
// - Azure "Use predictive autoscale to scale out before load demands in virtual machine scale sets":
//   predictiveAutoscalePolicy scaleMode Disabled / ForecastOnly / Enabled, scaleLookAheadTime up to PT1H;
// - Hyndman & Athanasopoulos, Forecasting: Principles and Practice (3rd ed.), §5.2 (seasonal naive) and
//   §8.3 (additive Holt-Winters): the forecast methods of src/engine/predictive/forecast.ts.
import { z } from 'zod';
import { parseIsoDuration } from '../syntax/duration.js';
import { LIMITS } from '../limits.js';
import { PREDICTIVE_CODES, PREDICTIVE_MAX_BEHAVIORS, PREDICTIVE_METHODS, PREDICTIVE_MODES } from './codes.js';

// ---------------------------------------------------------------------------------------------
// Limits and defaults, each with its reason

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** AWS reads the load metric's last 14 days: no more history than that is read. */
const PREDICTIVE_MAX_HISTORY_MS = 14 * DAY;
/** CloudWatch's finest standard resolution (detailed monitoring): one minute. */
const PREDICTIVE_MIN_STEP_MS = MINUTE;
/** AWS's forecast interval is an hour: a coarser grid could not say which hour needs what. */
const PREDICTIVE_MAX_STEP_MS = HOUR;
/** History slots one decision reads at most: 14 days of 1-minute points (20,160), so the work per decision is bounded. */
export const PREDICTIVE_MAX_SLOTS = PREDICTIVE_MAX_HISTORY_MS / PREDICTIVE_MIN_STEP_MS;
/** AWS forecasts the next 48 hours; no further. */
const PREDICTIVE_MAX_HORIZON_MS = 2 * DAY;
/** Forecast slots in one trace: 48 hours of 5-minute points, so a trace stays a few tens of KB. */
const PREDICTIVE_MAX_HORIZON_SLOTS = 576;
/** AWS SchedulingBufferTime is less than the 3600 s forecast interval; Azure's scaleLookAheadTime is at most PT1H. */
const PREDICTIVE_MAX_SCHEDULING_BUFFER_MS = HOUR;
/** Seasons the max and percentile methods look back over: 14 daily seasons fill AWS's 14 days. */
const PREDICTIVE_MAX_SEASONS = 14;
/** The longest season: a week, the longest pattern AWS and Azure describe (weekday/weekend). */
const PREDICTIVE_MAX_SEASON_MS = 7 * DAY;

const PREDICTIVE_DEFAULTS = {
  method: 'seasonalNaive',
  season: 'P1D',
  seasons: 3,
  percentile: 90,
  step: 'PT5M',
  history: 'P14D',
  /** AWS: "A minimum of 24 hours of data is required." */
  minimumHistory: 'P1D',
  horizon: 'PT2H',
  /** AWS: Mode defaults to ForecastOnly. */
  mode: 'ForecastOnly',
  /** AWS: SchedulingBufferTime defaults to 300 seconds. */
  schedulingBuffer: 'PT5M',
  maxCapacityBreachBehavior: 'HonorMaxCapacity',
} as const;

const Duration = (min: number, max: number, what: string) =>
  z.string().refine(
    (s) => {
      const ms = parseIsoDuration(s);
      return ms !== undefined && ms >= min && ms <= max;
    },
    { message: `expected an ISO 8601 duration ${what}` },
  );

const ms = (s: string) => parseIsoDuration(s) ?? 0;

// ---------------------------------------------------------------------------------------------
// Settings

export const PredictivePolicy = z
  .strictObject({
    metric: z.string().min(1).max(LIMITS.idLength).meta({
      description: "The load metric (AWS's): the group's total load, e.g. requests per minute or the sum of CPU, sent as a series in the target's `metrics` with its history.",
    }),
    targetValue: z.number().positive().meta({
      description: 'AWS TargetValue: the load one instance should carry; the required capacity is ceil(forecast load ÷ targetValue).',
    }),
    method: z.enum(PREDICTIVE_METHODS).default(PREDICTIVE_DEFAULTS.method).meta({
      description: 'seasonalNaive (the same slot one season ago), seasonalMax or seasonalPercentile (over the last `seasons` seasons), holtWinters (additive, fixed parameters).',
    }),
    season: Duration(2 * PREDICTIVE_MIN_STEP_MS, PREDICTIVE_MAX_SEASON_MS, 'from PT2M to P7D')
      .default(PREDICTIVE_DEFAULTS.season)
      .meta({
        description: 'The length of the repeating pattern: P1D (same time yesterday) or P7D (same time last week); a whole number of steps.',
      }),
    seasons: z.number().int().min(1).max(PREDICTIVE_MAX_SEASONS).default(PREDICTIVE_DEFAULTS.seasons).meta({
      description: 'seasonalMax and seasonalPercentile: how many past seasons the slot is taken from (fewer when the history is shorter).',
    }),
    percentile: z.number().gt(0).max(100).default(PREDICTIVE_DEFAULTS.percentile).meta({
      description: "seasonalPercentile: the nearest-rank percentile of those seasons' values.",
    }),
    step: Duration(PREDICTIVE_MIN_STEP_MS, PREDICTIVE_MAX_STEP_MS, 'from PT1M to PT1H').default(PREDICTIVE_DEFAULTS.step).meta({
      description: 'The grid the history is read on: each slot is the mean of its points; an empty slot repeats the one before.',
    }),
    history: Duration(PREDICTIVE_MIN_STEP_MS, PREDICTIVE_MAX_HISTORY_MS, 'from PT1M to P14D').default(PREDICTIVE_DEFAULTS.history).meta({
      description: 'How far back the history is read (AWS reads 14 days).',
    }),
    minimumHistory: Duration(0, PREDICTIVE_MAX_HISTORY_MS, 'from PT0S to P14D').default(PREDICTIVE_DEFAULTS.minimumHistory).meta({
      description: 'Below this much history the policy refuses to forecast and says so (AWS: 24 hours).',
    }),
    horizon: Duration(PREDICTIVE_MIN_STEP_MS, PREDICTIVE_MAX_HORIZON_MS, 'from PT1M to P2D').default(PREDICTIVE_DEFAULTS.horizon).meta({
      description: 'How far ahead the trace shows the forecast and the capacity it implies (AWS forecasts 48 hours).',
    }),
    mode: z.enum(PREDICTIVE_MODES).default(PREDICTIVE_DEFAULTS.mode).meta({
      description: 'AWS Mode: ForecastOnly forecasts into the trace and never changes capacity; ForecastAndScale also proposes the capacity.',
    }),
    schedulingBuffer: Duration(0, PREDICTIVE_MAX_SCHEDULING_BUFFER_MS, 'from PT0S to PT1H').default(PREDICTIVE_DEFAULTS.schedulingBuffer).meta({
      description: 'AWS SchedulingBufferTime / Azure scaleLookAheadTime: capacity the forecast needs within this long from now is asked for now, so instances are ready in time.',
    }),
    maxCapacityBreachBehavior: z.enum(PREDICTIVE_MAX_BEHAVIORS).default(PREDICTIVE_DEFAULTS.maxCapacityBreachBehavior).meta({
      description: 'AWS: HonorMaxCapacity keeps the maximum; IncreaseMaxCapacity lets the forecast raise it for this decision, up to forecast × (1 + maxCapacityBuffer ÷ 100).',
    }),
    maxCapacityBuffer: z.number().int().min(0).max(100).optional().meta({
      description: 'AWS MaxCapacityBuffer, a percentage of the forecast capacity: required with IncreaseMaxCapacity, refused otherwise.',
    }),
  })
  .superRefine((p, ctx) => {
    const step = ms(p.step);
    if (ms(p.season) % step !== 0) ctx.addIssue({ code: 'custom', path: ['season'], message: `the season must be a whole number of steps (${p.step})` });
    if (ms(p.horizon) / step > PREDICTIVE_MAX_HORIZON_SLOTS)
      ctx.addIssue({ code: 'custom', path: ['horizon'], message: `the horizon may hold at most ${PREDICTIVE_MAX_HORIZON_SLOTS} steps of ${p.step}` });
    // AWS: "Required if the MaxCapacityBreachBehavior property is set to IncreaseMaxCapacity, and cannot be used otherwise."
    if (p.maxCapacityBreachBehavior === 'IncreaseMaxCapacity' && p.maxCapacityBuffer === undefined)
      ctx.addIssue({ code: 'custom', path: ['maxCapacityBuffer'], message: 'maxCapacityBuffer is required with IncreaseMaxCapacity (AWS)' });
    if (p.maxCapacityBreachBehavior === 'HonorMaxCapacity' && p.maxCapacityBuffer !== undefined)
      ctx.addIssue({ code: 'custom', path: ['maxCapacityBuffer'], message: 'maxCapacityBuffer can be used only with IncreaseMaxCapacity (AWS)' });
  })
  .meta({ description: 'Predictive scaling from the history the caller sends: deterministic forecasts, their error, the capacity they imply (docs/predictive.md).' });

export type PredictivePolicy = z.output<typeof PredictivePolicy>;

// ---------------------------------------------------------------------------------------------
// Trace

export const PredictiveTraceSchema = z
  .object({
    code: z.enum(PREDICTIVE_CODES),
    mode: z.enum(PREDICTIVE_MODES),
    method: z.enum(PREDICTIVE_METHODS),
    metric: z.string(),
    history: z
      .object({ slots: z.number().int(), from: z.string().optional(), minimumSlots: z.number().int(), seasonSlots: z.number().int(), seasonsUsed: z.number().int() })
      .meta({ description: 'The history read: slots of `step` up to now, the first slot, the minimum, the season in slots, and how many whole seasons it holds.' }),
    forecast: z
      .array(z.object({ at: z.string(), load: z.number(), capacity: z.number().int() }))
      .meta({ description: 'The forecast for each coming step up to the horizon: the load at the end of the slot and ceil(load ÷ targetValue).' }),
    error: z
      .object({ mape: z.number().nullable(), points: z.number().int(), zeros: z.number().int() })
      .optional()
      .meta({
        description:
          "The forecast's error over the supplied history (as AWS reports it): the mean absolute percentage error of the method's forecast of each slot from the slots before it; slots with a zero actual are skipped (`zeros`).",
      }),
    required: z.number().int().optional().meta({ description: 'The largest capacity the forecast needs within the scheduling buffer: what is asked for now.' }),
    requiredBy: z.string().optional().meta({ description: 'The end of the forecast slot that needs `required`.' }),
    maximum: z
      .object({ behavior: z.enum(PREDICTIVE_MAX_BEHAVIORS), buffer: z.number().optional(), configured: z.number().int(), effective: z.number().int() })
      .optional()
      .meta({ description: "AWS max-capacity breach behaviour: the rule set's maximum and the one this decision may reach." }),
    desired: z.number().int().optional().meta({ description: 'What the policy proposes (ForecastAndScale); never a scale-in by itself.' }),
    message: z.string(),
  })
  .meta({ description: "The predictive policy's forecast, its error and the capacity it implies." });

export type PredictiveTrace = z.output<typeof PredictiveTraceSchema>;
