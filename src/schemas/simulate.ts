// POST /v1/simulate and `edgescale simulate`: the request (rule sets, history, load model) and the answer (summary, timeline).
import { z } from 'zod';
import { DecisionState, EvaluateRequest, MetricSeries, Target } from '../schema.js';
import { MetricFormatOptions } from './metric-formats.js';
import { DECISION_CODES } from './codes.js';
import { DecisionSchema, ImportReportSchema } from './decision.js';
import { LIMITS, SIMULATE_LIMITS } from '../limits.js';
import { parseIsoDuration } from '../syntax/duration.js';

// The scalars of src/schema.ts, taken from the schemas that hold them (schema.ts does not export them).
const Timestamp = EvaluateRequest.shape.now.unwrap();
const Capacity = Target.shape.capacity;
const TargetId = Target.shape.id;
const MetricName = z.string().min(1).max(LIMITS.idLength);
const Duration = z
  .string()
  .refine((s) => parseIsoDuration(s) !== undefined, { message: 'expected an ISO 8601 duration such as "PT1M" or "PT2H30M" (weeks to seconds)' })
  .meta({ description: 'ISO 8601 duration, e.g. "PT1M".' });

const LOAD_MODELS = ['replay', 'demand'] as const;
const LOAD_METRIC_KINDS = ['utilization', 'perInstance', 'total'] as const;

export const LoadModel = z
  .strictObject({
    model: z.enum(LOAD_MODELS).default('demand').meta({
      description:
        'demand: the rules read `metric`, computed each step from `series` and the simulated serving capacity, so scaling changes what they see. replay: the rules read `metrics` as observed; `series` only gives the required capacity and utilisation.',
    }),
    series: MetricSeries.meta({ description: 'Total load over time (e.g. requests/s for the whole tier); the latest point at or before each step holds.' }),
    perInstance: z.number().positive().max(1e12).meta({ description: 'Load one instance serves at 100 % utilisation.' }),
    target: z.number().gt(0).max(100).meta({
      description: 'Target utilisation per instance, in percent: required capacity = ceil(load ÷ (perInstance × target ÷ 100)).',
    }),
    metric: MetricName.optional().meta({ description: 'demand: the metric the simulated instances report (e.g. "cpu").' }),
    as: z.enum(LOAD_METRIC_KINDS).default('utilization').meta({
      description:
        'demand: what `metric` holds. utilization: load ÷ (serving × perInstance) × 100, at most 100 (a busy CPU reads 100 %); perInstance: load ÷ serving; total: the load itself.',
    }),
    provisioningDelay: Duration.default('PT0S').meta({ description: 'A new instance serves only this long after the scale-out that created it (it is billed from the start).' }),
    scaleInDelay: Duration.default('PT0S').meta({ description: 'A removed instance keeps serving and is billed this long after the scale-in (draining).' }),
  })
  .refine((l) => l.model !== 'demand' || l.metric !== undefined, { message: 'the demand model needs `metric`: the metric the rules read', path: ['metric'] })
  .meta({ description: 'How load relates to capacity; without it, metrics are replayed as observed and no required capacity is known.' });

export const SimulateRequest = z.strictObject({
  description: z.string().max(2000).optional().meta({ description: 'A note about the history; ignored.' }),
  target: TargetId.default('simulation').meta({ description: 'The target id the decisions carry (credential scopes check it).' }),
  ruleSets: z
    .array(Target.shape.ruleSet)
    .min(1)
    .max(SIMULATE_LIMITS.ruleSets)
    .meta({ description: 'Rule sets to simulate over the same history, compared side by side: bundled ids, inline rule sets, { "azure": … } or { "hpa": … }.' }),
  capacity: Capacity.meta({ description: 'Instance count at `from`.' }),
  state: DecisionState.optional().meta({ description: 'State before `from` (cooldowns, HPA history); default: none.' }),
  metrics: z.record(z.string(), MetricSeries).default({}).meta({ description: 'Metric history by name, replayed as observed (with the demand model, `load.metric` is computed instead).' }),
  metricsFormat: MetricFormatOptions.optional().meta({
    description: 'How to read `metricsPayload` (a Prometheus query_range response, OTLP/JSON, an Azure Monitor response) and which label names the target: the series of the target whose id is `target` become history.',
  }),
  metricsPayload: z.unknown().optional().meta({ description: 'A metric history in the format named by `metricsFormat`; `metrics` win for the same name.' }),
  load: LoadModel.optional(),
  from: Timestamp.optional().meta({ description: 'First evaluation; default: the earliest point of the history.' }),
  to: Timestamp.optional().meta({ description: 'End (exclusive); default: one step after the latest point.' }),
  step: Duration.default('PT1M').meta({ description: 'Time between evaluations.' }),
  flapWindow: Duration.default('PT30M').meta({ description: 'A scale event reversing the previous one within this long counts as a flap.' }),
  timeline: z.boolean().default(true).meta({ description: 'Include one timeline entry per evaluation (false: the summaries only).' }),
});

export type SimulateRequest = z.output<typeof SimulateRequest>;
export type LoadModel = z.output<typeof LoadModel>;

const Num = z.number();
const IsoInstant = z.string().meta({ description: 'ISO 8601 instant in UTC.' });

export const SimulationSummarySchema = z
  .object({
    evaluations: z.number().int(),
    capacity: z.object({ start: Capacity, end: Capacity, min: Capacity, max: Capacity }).meta({ description: 'The capacity the engine set (desired).' }),
    instanceHours: Num.meta({ description: 'Σ running instances × step, in hours (provisioning and draining instances included).' }),
    scaleEvents: z.object({ out: z.number().int(), in: z.number().int() }),
    flaps: z.number().int().meta({ description: 'Scale events reversing the direction of the previous one within `flapWindow`.' }),
    decisions: z.record(z.string(), z.number().int()).meta({ description: 'Evaluations per decision code.' }),
    underProvisioned: z
      .object({
        minutes: Num.meta({ description: 'Minutes during which serving instances were fewer than the required capacity.' }),
        instanceHours: Num.meta({ description: 'Σ (required − serving) × step over those minutes, in instance-hours: the depth.' }),
        maxShortfall: z.number().int().meta({ description: 'Largest (required − serving).' }),
      })
      .nullable(),
    overProvisionedInstanceHours: Num.nullable().meta({ description: 'Σ (running − required) × step where running exceeded required, in instance-hours.' }),
    reaction: z
      .object({
        episodes: z.number().int().meta({ description: 'Times serving capacity fell below the required capacity.' }),
        meanMinutes: Num.nullable(),
        maxMinutes: Num.nullable(),
        unresolved: z.number().int().meta({ description: 'Episodes still under-provisioned at `to`.' }),
      })
      .nullable()
      .meta({ description: 'Time to react to a load step: from serving < required until serving ≥ required again.' }),
    utilization: z
      .object({ p50: Num, p90: Num, p99: Num, max: Num })
      .nullable()
      .meta({ description: 'Percentiles (nearest rank) of load ÷ (serving × perInstance) × 100 over the evaluations; above 100: load beyond what served.' }),
  })
  .meta({ description: 'One rule set over the history. Required-capacity figures are null without `load`.' });

export const TimelineEntrySchema = z
  .object({
    t: IsoInstant,
    capacity: Capacity.meta({ description: 'The capacity the engine was told (desired before this decision).' }),
    to: Capacity,
    serving: z.number().int().meta({ description: 'Instances serving after this decision (provisioning ones excluded, draining ones included).' }),
    running: z.number().int().meta({ description: 'Instances billed after this decision.' }),
    load: Num.nullable().optional(),
    required: z.number().int().nullable().optional(),
    utilization: Num.nullable().optional(),
    metrics: z.record(z.string(), Num.nullable()).meta({ description: 'Each metric\'s latest value at `t`, as the rules saw it.' }),
    action: z.enum(['scaleOut', 'scaleIn', 'none']),
    code: z.enum(DECISION_CODES),
    rule: z.string().nullable(),
    reason: z.string(),
  })
  .meta({ description: 'One evaluation of the simulation.' });

export const SimulationResultSchema = z
  .object({
    index: z.number().int(),
    ruleSet: z.string(),
    ruleSetOrigin: DecisionSchema.shape.ruleSetOrigin,
    imported: ImportReportSchema.optional(),
    summary: SimulationSummarySchema,
    timeline: z.array(TimelineEntrySchema).optional(),
  })
  .meta({ description: 'One rule set\'s simulation.' });

export const SimulateResponseSchema = z
  .object({
    from: IsoInstant,
    to: IsoInstant,
    step: z.string(),
    model: z.enum(['replay', 'demand']),
    evaluations: z.number().int().meta({ description: 'Evaluations per rule set.' }),
    results: z.array(SimulationResultSchema),
  })
  .meta({ description: 'Answer to POST /v1/simulate: one result per rule set, in request order.' });

export type SimulationSummary = z.output<typeof SimulationSummarySchema>;
export type TimelineEntry = z.output<typeof TimelineEntrySchema>;
export type SimulationResult = z.output<typeof SimulationResultSchema>;
export type SimulateResponse = z.output<typeof SimulateResponseSchema>;

/**
 * What the service parses first: rule sets unchecked, so each is then resolved on its own (bundled,
 * imported or loaded) with precise paths instead of a union's error. SimulateRequest documents them.
 */
export const SimulateEnvelope = SimulateRequest.extend({ ruleSets: z.array(z.unknown()).min(1).max(SIMULATE_LIMITS.ruleSets) });
