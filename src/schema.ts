// The single source of truth for every shape edgescale reads or writes: rule sets, requests, state.
// Types come from z.infer; JSON Schema and OpenAPI are generated from these schemas, never by hand.
import { z } from 'zod';
import { COOLDOWN_MODES, TRACE_LEVELS } from './schemas/codes.js';
import { parseIsoDuration, toEpochMs } from './syntax/duration.js';
import { MIN_COLUMN_EPOCH_MS, parseSeries, TIMESTAMP_MESSAGE, type ParsedSeries } from './syntax/series.js';
import { DIRECTIONS, GRAIN_STATISTICS, OPERATORS, TIME_AGGREGATIONS } from './schemas/vocabulary.js';
import { IMPORT_LIMITS, LIMITS } from './limits.js';
import { profilesSchema } from './schemas/profiles.js';
import { HpaBehavior, HpaHistory, HpaMetricSource, HpaMetricTarget } from './schemas/hpa-behavior.js';
import { checkAlarmSpan, DatapointsToAlarm, EvaluationPeriods, MAX_WARMUP_SECONDS, SimpleScaling, StepScalingPolicy } from './schemas/aws-policies.js';
import { AwsTargetTracking } from './schemas/aws-target-tracking.js';
import { PlacementInstance, PlacementSettings } from './schemas/placement.js';
import { MetricFormatOptions } from './schemas/metric-formats.js';
import { HpaControllerSettings, HpaPods } from './schemas/hpa-pods.js';
import { KpaPolicy, KpaState } from './schemas/kpa.js';
import { PredictivePolicy } from './schemas/predictive.js';

// ---------------------------------------------------------------------------------------------
// Scalars

const IsoDuration = z
  .string()
  .refine((s) => parseIsoDuration(s) !== undefined, {
    message: 'expected an ISO 8601 duration such as "PT5M" or "P1DT2H" (years and months are not allowed)',
  })
  .meta({ description: 'ISO 8601 duration, e.g. "PT5M". Weeks, days, hours, minutes, seconds.' });

const Timestamp = z
  .union([z.string(), z.number()])
  .refine((t) => toEpochMs(t) !== undefined, {
    message: TIMESTAMP_MESSAGE,
  })
  .meta({ description: 'ISO 8601 timestamp with offset, or epoch milliseconds.' });

const Id = z
  .string()
  .min(1)
  .max(LIMITS.idLength)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'ids use letters, digits and . _ : / - and start with a letter or digit');

const Capacity = z.number().int().min(0).max(LIMITS.maxCapacity);

const JsonataSource = z
  .string()
  .min(1)
  .max(LIMITS.expressionLength)
  .meta({ description: 'A JSONata expression evaluated over the rule context (see docs/rules.md).' });

// ---------------------------------------------------------------------------------------------
// Rule sets

const Operator = z.enum(OPERATORS);
/** Azure's `statistic`: how the samples inside one time grain (from all instances) are combined. */
const GrainStatistic = z.enum(GRAIN_STATISTICS);
/** Azure's `timeAggregation`: how the grain values inside the time window are combined. */
const TimeAggregation = z.enum(TIME_AGGREGATIONS);

export const MetricTrigger = z
  .strictObject({
    metric: z.string().min(1).max(LIMITS.idLength).meta({ description: 'Metric name, a key of the target\'s `metrics`.' }),
    timeGrain: IsoDuration.default('PT1M'),
    statistic: GrainStatistic.default('Average'),
    timeWindow: IsoDuration.default('PT10M'),
    timeAggregation: TimeAggregation.default('Average'),
    operator: Operator,
    threshold: z.number(),
    dividePerInstance: z
      .boolean()
      .default(false)
      .meta({ description: 'Divide the aggregated value by the current instance count before comparing (Azure).' }),
  })
  .meta({ description: 'Azure Monitor metric trigger, with the same meaning as in an autoscale setting.' });

export const Condition = z.union([
  z.strictObject({ metric: MetricTrigger }),
  z.strictObject({
    expr: JsonataSource,
    window: IsoDuration.optional().meta({
      description: 'Window of points and aggregates given to the expression; defaults to the rule set\'s `defaultWindow`.',
    }),
  }),
]);

const PercentRounding = z
  .enum(['ceil', 'floor', 'round', 'trunc'])
  .meta({ description: 'How the size of a percent change (current × value ÷ 100) is rounded to whole instances.' });

export const Action = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ChangeCount'), value: z.number().int().min(1).max(LIMITS.maxCapacity) }),
  z.strictObject({
    type: z.literal('PercentChangeCount'),
    value: z.number().positive().max(10_000),
    rounding: PercentRounding.default('ceil'),
    minimumChange: z
      .number()
      .int()
      .min(0)
      .default(1)
      .meta({ description: 'Smallest number of instances a fired percent rule changes by (0 lets small percents do nothing).' }),
  }),
  z.strictObject({ type: z.literal('ExactCount'), value: Capacity }),
  z.strictObject({
    type: z.literal('Expression'),
    expr: JsonataSource.meta({ description: 'JSONata yielding the new capacity (a finite number).' }),
    rounding: z.enum(['ceil', 'floor', 'round']).default('ceil'),
  }),
]);

export const Direction = z.enum(DIRECTIONS);

export const Rule = z.strictObject({
  id: Id,
  description: z.string().max(1000).optional(),
  direction: Direction,
  when: Condition,
  action: Action,
  cooldown: IsoDuration.optional().meta({
    description: 'Time after this rule scales before any further scaling (Azure cooldown); defaults to the rule set\'s.',
  }),
});

const CapacityBounds = z.strictObject({
  minimum: Capacity,
  maximum: Capacity,
  default: Capacity,
});

export const TargetTrackingRule = z
  .strictObject({
    id: Id,
    metric: z.string().min(1).max(LIMITS.idLength).meta({ description: 'Metric name in the target\'s `metrics`; its value is the average of the points in `window`.' }),
    source: HpaMetricSource.optional(),
    target: HpaMetricTarget,
    window: IsoDuration.default('PT1M').meta({ description: 'Points averaged into the current value (the HPA reads the latest metrics).' }),
    disableScaleIn: z.boolean().default(false).meta({ description: 'Never ask for less than the current capacity (AWS DisableScaleIn).' }),
  })
  .meta({ description: 'Target tracking with the Kubernetes HPA algorithm: desired = ceil(current × value ÷ target) outside the tolerance.' });

export const StepScalingRule = z
  .strictObject({
    id: Id,
    window: IsoDuration.default('PT1M').meta({
      description: 'The alarm\'s Period: the points of each period are reduced with the policy\'s statistic into one data point.',
    }),
    evaluationPeriods: EvaluationPeriods.optional().meta({
      description:
        'CloudWatch EvaluationPeriods: the alarm reads this many latest periods of `window` one by one (docs/aws-policies.md). ' +
        'Absent: one period, the same decision as evaluationPeriods 1.',
    }),
    datapointsToAlarm: DatapointsToAlarm.optional(),
    policy: StepScalingPolicy,
    warmupSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_WARMUP_SECONDS)
      .optional()
      .meta({
        description:
          'EstimatedInstanceWarmup: instances of the target\'s `instances` created less than this many seconds ago are warming up. ' +
          'Their metric points are left out and they do not count toward the current capacity, though they do toward the desired one ' +
          '(AWS as-step-scaling-warmup).',
      }),
  })
  // CloudWatch's limits on the alarm's periods; the window is the Period.
  .superRefine((r, ctx) => checkAlarmSpan(r, (parseIsoDuration(r.window) ?? 0) / 1000, ctx, 'window'))
  .meta({ description: 'AWS step scaling policy with its alarm (metric, statistic, comparison, threshold, periods).' });

/** Metrics a fallback may be scoped to: as many as activating metrics, far above a ScaledObject's triggers. */
const MAX_FALLBACK_METRICS = 64;

const MissingDataPolicy = z
  .strictObject({
    policy: z.enum(['azure', 'hold', 'fallback']).default('azure').meta({
      description:
        '"azure": up to the default capacity if below it, never scale in. "hold": keep the capacity. ' +
        '"fallback": hold, then after `fallbackAfter` consecutive evaluations without data set `fallbackCapacity` (KEDA).',
    }),
    maxAge: IsoDuration.optional().meta({ description: 'A metric whose newest point is older than this is stale and counts as missing.' }),
    fallbackCapacity: Capacity.optional(),
    fallbackAfter: z.number().int().min(1).max(1000).default(3),
    fallbackBehavior: z.enum(['static', 'currentIfHigher', 'currentIfLower']).optional().meta({
      description:
        'What the fallback sets, as KEDA\'s fallback.behavior (pkg/fallback/fallback.go doFallback): "static" (default) `fallbackCapacity`; ' +
        '"currentIfHigher" the larger of the current capacity and `fallbackCapacity` (currentReplicasIfHigher); "currentIfLower" the smaller (currentReplicasIfLower).',
    }),
    fallbackMetrics: z
      .array(z.string().min(1).max(LIMITS.idLength))
      .min(1)
      .max(MAX_FALLBACK_METRICS)
      .optional()
      .meta({
        description:
          'The metrics the fallback is for (default: every metric). Another metric without data holds capacity, as "hold", and neither counts toward ' +
          '`fallbackAfter` nor starts the fallback: KEDA falls back for its scalers\' metrics only, never for cpu/memory (pkg/fallback/fallback.go).',
      }),
  })
  .refine((m) => m.policy !== 'fallback' || m.fallbackCapacity !== undefined, { path: ['fallbackCapacity'], message: 'policy "fallback" needs fallbackCapacity' })
  .refine((m) => m.policy === 'fallback' || m.fallbackMetrics === undefined, { path: ['fallbackMetrics'], message: 'fallbackMetrics needs policy "fallback"' });

/**
 * Activating metrics besides the first: KEDA activates when any trigger is. 64 is far above the
 * triggers a real ScaledObject has (a handful) and bounds the per-decision reads.
 */
const MAX_ACTIVATION_METRICS = 64;

const ActivationMetric = z.strictObject({
  metric: z.string().min(1).max(LIMITS.idLength),
  activationThreshold: z.number().meta({ description: 'Active when the metric\'s newest point in `window` is above this.' }),
});

const ScaleToZero = z
  .strictObject({
    metric: z.string().min(1).max(LIMITS.idLength).meta({ description: 'The series whose newest point in `window` activates; with `expr`, only the name its value goes by in the trace and reasons.' }),
    expr: JsonataSource.optional().meta({
      description:
        'Activate on a computed value instead of a series: a JSONata expression over the rules\' context for `window` (e.g. `metrics.a.avg + metrics.b.avg`), active when above `activationThreshold` (KEDA scalingModifiers activationTarget). `also` is not allowed with it.',
    }),
    activationThreshold: z.number().meta({ description: 'From 0 only when the metric is above this; to 0 only when it is at or below it (KEDA).' }),
    window: IsoDuration.default('PT5M'),
    also: z.array(ActivationMetric).max(MAX_ACTIVATION_METRICS).optional().meta({
      description: 'More activating metrics: the target is active when any of them (or `metric`) is above its threshold, as KEDA activates on any trigger.',
    }),
    cooldown: IsoDuration.optional().meta({
      description:
        'KEDA\'s cooldownPeriod: once inactive, capacity goes to `idleCapacity` (or 0) only after this long since the last active decision (`state.activation.lastActive`), whatever the policies ask; until then it stays at least max(1, minimum). Without it, the policies\' own way to 0 decides (see docs/rules.md).',
    }),
    activeDuringProfiles: z.boolean().optional().meta({
      description: 'With `cooldown`: a scheduled profile in force counts as active, as a KEDA cron trigger is active inside its window.',
    }),
    idleCapacity: Capacity.optional().meta({
      description: 'KEDA\'s idleReplicaCount: the capacity while inactive (below `capacity.minimum`, which applies while active). Needs `cooldown`.',
    }),
    activeOnFallback: z
      .array(z.string().min(1).max(LIMITS.idLength))
      .min(1)
      .max(MAX_ACTIVATION_METRICS)
      .optional()
      .meta({
        description:
          'With `cooldown`: the target is also active while the missing-data fallback is in effect for one of these metrics, as KEDA counts a trigger ' +
          'in fallback as active (pkg/scaling/scale_handler.go getScalerState: fallbackActive || isMetricActive), so it leaves 0 (or idle) and does not deactivate.',
      }),
  })
  .refine((z) => z.expr === undefined || z.also === undefined, { path: ['also'], message: 'with `expr` the target activates on that one value; `also` is not allowed' })
  .refine((z) => z.activeOnFallback === undefined || z.cooldown !== undefined, { path: ['activeOnFallback'], message: 'activeOnFallback needs `cooldown` (KEDA\'s executor)' })
  .meta({ description: 'KEDA-style activation: capacity leaves 0 (or idle) only when activated, and goes to 0 (or idle) only when it is not.' });

const CooldownMode = z.enum(COOLDOWN_MODES).meta({
  description:
    '"shared" (Azure): after any scale action nothing scales until that rule\'s cooldown has passed. ' +
    '"perDirection": a scale-out only blocks further scale-outs, a scale-in only further scale-ins.',
});

export const RuleSet = z.strictObject({
  $schema: z.string().optional(),
  id: Id,
  description: z.string().max(2000).optional(),
  capacity: CapacityBounds,
  cooldown: IsoDuration.default('PT5M').meta({ description: 'Default cooldown for rules that do not set one.' }),
  cooldownMode: CooldownMode.default('shared'),
  defaultWindow: IsoDuration.default('PT10M').meta({ description: 'Window for expression rules without their own.' }),
  metrics: z
    .array(z.string().min(1).max(LIMITS.idLength))
    .optional()
    .meta({ description: 'Extra metric names the rules use (names used by metric triggers and `metrics.X` paths are found automatically).' }),
  rules: z.array(Rule).max(LIMITS.rulesPerSet).meta({ description: 'Rules of the default profile (and of profiles without rules of their own).' }),
  targetTracking: z.array(TargetTrackingRule).max(LIMITS.rulesPerSet).optional(),
  stepScaling: z.array(StepScalingRule).max(LIMITS.rulesPerSet).optional(),
  simpleScaling: SimpleScaling.optional(),
  awsTargetTracking: AwsTargetTracking.optional(),
  kpa: KpaPolicy.optional(),
  predictive: PredictivePolicy.optional(),
  behavior: HpaBehavior.optional().meta({
    description: 'Kubernetes autoscaling/v2 behavior, verbatim. Applies stabilization and rate limits to every decision of this rule set.',
  }),
  hpaController: HpaControllerSettings.optional().meta({
    description: 'kube-controller-manager\'s HPA settings for this rule set: tolerance, cpu initialization period, initial readiness delay (docs/hpa.md).',
  }),
  flappingProtection: z.boolean().default(true).meta({
    description: 'Azure flapping prevention: a scale-in that would make a scale-out rule fire at the new capacity is reduced or skipped.',
  }),
  missingData: MissingDataPolicy.optional(),
  scaleToZero: ScaleToZero.optional(),
  placement: PlacementSettings.optional(),
  profiles: profilesSchema(Rule)
    .optional()
    .meta({
      description:
        'Scheduled profiles (fixedDate, recurrence or cron), each with its own bounds and optionally its own rules. ' +
        'The top-level capacity and rules are the default profile, used when no scheduled profile applies.',
    }),
  targets: z
    .array(z.strictObject({ id: Id, labels: z.record(z.string(), z.string()).optional() }))
    .max(LIMITS.targetsPerBatch)
    .optional()
    .meta({ description: 'Targets this rule set governs; the cron trigger sends them profile-change decisions.' }),
  actuator: z
    .string()
    .regex(/^[a-z0-9_]+$/i)
    .max(64)
    .optional()
    .meta({ description: 'Actuator to notify: "default" uses ACTUATOR_URL, a name X uses ACTUATOR_URL_X. Defaults to "default".' }),
});

// ---------------------------------------------------------------------------------------------
// Foreign rule sets, accepted wherever a rule set is (src/formats/foreign.ts, docs/importing.md)

/** Largest HPA manifest given as YAML text: the importer's own bound (IMPORT_LIMITS.manifestChars, with its reason). */
const MAX_MANIFEST_CHARS = IMPORT_LIMITS.manifestChars;

export const AzureRuleSet = z
  .strictObject({
    azure: z.record(z.string(), z.unknown()).meta({
      description:
        'An Azure autoscale setting as `az monitor autoscale show` or an ARM template gives it (Microsoft.Insights/autoscaleSettings: ' +
        'the resource, its `properties`, or a template holding one). Evaluated with Azure\'s semantics; fields without an equivalent are reported by name.',
    }),
    id: Id.optional().meta({ description: 'Id of the imported rule set; defaults to the setting\'s name.' }),
    // ARM resource names are at most 260 characters (Microsoft.Insights/autoscalesettings: 1–260).
    name: z.string().min(1).max(260).optional().meta({ description: 'Which autoscale setting of an ARM template that holds several (its resource name or properties.name).' }),
    parameters: z.record(z.string(), z.unknown()).optional().meta({
      description:
        'Deployment parameter values for an ARM template, as `az deployment … --parameters` takes them: a parameters file (`{ "parameters": { NAME: { "value": … } } }`) or its `parameters` object. They replace the template\'s defaults; each is checked against its declaration (type, allowedValues, min/max).',
    }),
  })
  .meta({ description: 'An Azure autoscale setting, imported to a native rule set on arrival.' });

export const HpaRuleSet = z
  .strictObject({
    hpa: z.union([z.string().max(MAX_MANIFEST_CHARS), z.record(z.string(), z.unknown())]).meta({
      description: 'A Kubernetes HorizontalPodAutoscaler (autoscaling/v2, v2beta2, v2beta1 or v1) as YAML or JSON text, or as an object.',
    }),
    id: Id.optional().meta({ description: 'Id of the imported rule set; defaults to metadata.name.' }),
    name: z.string().max(253).optional().meta({ description: 'metadata.name of the HPA to take when the text holds several.' }),
  })
  .meta({ description: 'A Kubernetes HPA manifest, imported to a native rule set on arrival.' });

export const KedaRuleSet = z
  .strictObject({
    keda: z.union([z.string().max(MAX_MANIFEST_CHARS), z.record(z.string(), z.unknown())]).meta({
      description: 'A KEDA ScaledObject (keda.sh/v1alpha1) as YAML or JSON text, or as an object; evaluated with KEDA\'s semantics (docs/importing.md).',
    }),
    id: Id.optional().meta({ description: 'Id of the imported rule set; defaults to metadata.name.' }),
    name: z.string().max(253).optional().meta({ description: 'metadata.name of the ScaledObject to take when the text holds several.' }),
  })
  .meta({ description: 'A KEDA ScaledObject, imported to a native rule set on arrival.' });

export const AwsRuleSet = z
  .strictObject({
    aws: z.union([z.string().max(MAX_MANIFEST_CHARS), z.record(z.string(), z.unknown())]).meta({
      description:
        'AWS Auto Scaling: a CloudFormation template (JSON or YAML text, or an object) with scaling policies, scheduled actions and alarms, or ' +
        '`aws autoscaling describe-policies` / `describe-scheduled-actions` output (merged with describe-auto-scaling-groups and ' +
        '`aws cloudwatch describe-alarms` output for the bounds and alarms).',
    }),
    id: Id.optional().meta({ description: 'Id of the imported rule set; defaults to the group\'s name.' }),
    name: z.string().max(255).optional().meta({ description: 'The Auto Scaling group (or one policy) to take when the input holds several.' }),
  })
  .meta({ description: 'AWS Auto Scaling policies and scheduled actions, imported to a native rule set on arrival.' });

export const KnativeRuleSet = z
  .strictObject({
    knative: z.union([z.string().max(MAX_MANIFEST_CHARS), z.record(z.string(), z.unknown())]).meta({
      description:
        'A Knative Service or Configuration (serving.knative.dev/v1) as YAML or JSON text, or as an object; its revision template\'s autoscaling.knative.dev/* annotations become a `kpa` policy. ' +
        'A config-autoscaler ConfigMap in the same text supplies the cluster defaults.',
    }),
    id: Id.optional().meta({ description: 'Id of the imported rule set; defaults to metadata.name.' }),
    name: z.string().max(253).optional().meta({ description: 'metadata.name of the Service to take when the text holds several.' }),
    config: z
      .record(z.string().max(253), z.union([z.string().max(1000), z.number(), z.boolean()]))
      .optional()
      .meta({ description: 'The cluster\'s config-autoscaler `data` (e.g. { "max-scale-up-rate": "1000" }); wins over a ConfigMap in the text.' }),
  })
  .meta({ description: 'A Knative Service manifest, imported to a native rule set with a kpa policy on arrival.' });

// ---------------------------------------------------------------------------------------------
// Requests

export const MetricPoint = z.strictObject({
  t: Timestamp,
  v: z.number().meta({ description: 'The sample value; must be a finite number.' }),
  instance: z.string().max(LIMITS.idLength).optional(),
});

const Instance = z.string().max(LIMITS.idLength);
/** A timestamp in a columnar series: ISO 8601 with an offset, or epoch ms of 1973-03-03 or later (smaller numbers look like epoch seconds and are refused). */
const ColumnTimestamp = z.union([z.string(), z.number().min(MIN_COLUMN_EPOCH_MS)]).meta({
  description: `ISO 8601 timestamp with offset, or epoch milliseconds >= ${MIN_COLUMN_EPOCH_MS} (1973-03-03): smaller numbers look like epoch seconds and are refused.`,
});

/** Regular data: one value per step. */
export const RegularSeries = z
  .strictObject({
    start: ColumnTimestamp.meta({ description: 'The time of the first value.' }),
    step: z.union([z.string(), z.int().positive()]).meta({
      description: 'Time between values: an ISO 8601 duration ("PT1M"; weeks to seconds) or a whole number of milliseconds (60000).',
    }),
    values: z.array(z.number()).max(LIMITS.pointsPerSeries).meta({ description: 'The values, oldest first; the i-th is at start + i × step.' }),
    instance: Instance.optional().meta({ description: 'The instance every value comes from.' }),
  })
  .meta({ description: 'Regular data as columns: { "start": "2026-11-22T10:21:00Z", "step": "PT1M", "values": [71, 74, 80] }.' });

/** Irregular data: parallel columns of times and values. */
export const ColumnSeries = z
  .strictObject({
    t: z.array(ColumnTimestamp).max(LIMITS.pointsPerSeries).meta({ description: 'The times, in any order (sorted on arrival, equal times keep their order).' }),
    v: z.array(z.number()).max(LIMITS.pointsPerSeries).meta({ description: 'The values, one per time.' }),
    instance: Instance.optional().meta({ description: 'The instance every value comes from (not with `instances`).' }),
    instances: z
      .array(Instance.nullable())
      .max(LIMITS.pointsPerSeries)
      .optional()
      .meta({ description: 'The instance of each value, parallel to `v` (null: none).' }),
  })
  .meta({ description: 'Irregular data as columns: { "t": [1795342860000, "2026-11-22T10:22:00Z"], "v": [71, 74] }.' });

/** Every accepted form of a series, as documented (JSON Schema, OpenAPI); parseSeries (src/syntax/series.ts) reads them. */
const MetricSeriesForms = z.union([
  z.number().meta({ description: 'A single current value, taken as one point at `now`.' }),
  z.array(MetricPoint).max(LIMITS.pointsPerSeries),
  RegularSeries,
  ColumnSeries,
]);

const SERIES_LIMITS = { maxPoints: LIMITS.pointsPerSeries, maxInstanceLength: LIMITS.idLength };
/**
 * A series, validated and normalized in one pass by parseSeries instead of zod (which would walk every
 * point as an object, then parse its timestamp again later): the output is the number or the sorted
 * points in epoch ms, so nothing downstream reads the timestamps again. Issues keep zod's paths
 * (`targets[3].metrics.cpu.t[17]`). JSON Schema and OpenAPI describe MetricSeriesForms in its place.
 */
export const MetricSeries = z.custom<z.input<typeof MetricSeriesForms>>(() => true).transform((input, ctx): ParsedSeries => {
  const parsed = parseSeries(input, SERIES_LIMITS);
  if (parsed.ok) return parsed.value;
  for (const issue of parsed.issues) ctx.issues.push({ code: 'custom', message: issue.message, path: issue.path, input });
  return z.NEVER;
});
MetricSeries._zod.processJSONSchema = (ctx, _json, params) => {
  // As zod converts a pipe: the documented forms stand for this schema.
  z.core.processSchema(MetricSeriesForms, ctx, params);
  ctx.seen.get(MetricSeries)!.ref = MetricSeriesForms;
};

export const DecisionState = z
  .strictObject({
    version: z.literal(1).default(1),
    lastScale: z
      .strictObject({
        at: Timestamp,
        direction: Direction,
        rule: z.string().nullable(),
        from: Capacity,
        to: Capacity,
      })
      .optional(),
    cooldownUntil: z
      .strictObject({ out: Timestamp.optional(), in: Timestamp.optional() })
      .default({}),
    hpa: HpaHistory.optional().meta({ description: 'Recommendations and scale events the HPA algorithm needs (trimmed to the longest window).' }),
    missingCount: z.number().int().min(0).optional().meta({ description: 'Consecutive evaluations without data (missingData fallback).' }),
    kpa: KpaState.optional(),
    activation: z
      .strictObject({ lastActive: Timestamp.optional() })
      .optional()
      .meta({ description: 'scaleToZero with a cooldown: when the target was last active (KEDA\'s status.lastActiveTime).' }),
  })
  .meta({ description: 'Opaque to callers: send back the `state` of the previous decision for this target.' });

export const Target = z.strictObject({
  id: Id,
  labels: z.record(z.string(), z.string()).optional(),
  ruleSet: z.union([Id.meta({ description: 'Id of a bundled rule set.' }), RuleSet, AzureRuleSet, HpaRuleSet, KedaRuleSet, AwsRuleSet, KnativeRuleSet]),
  capacity: Capacity.meta({ description: 'Current instance count (AWS: the desired capacity, in capacity units with instance weights).' }),
  inServiceCapacity: Capacity.optional().meta({
    description:
      'AWS: the capacity in service, when it differs from `capacity` (instances launching or warming up). The AWS policies size their changes on it and hold scale-in while it is below `capacity`; absent, it is `capacity` less the weight of warming `instances`.',
  }),
  metrics: z.record(z.string(), MetricSeries).default({}),
  state: DecisionState.optional(),
  instances: z.array(PlacementInstance).max(LIMITS.maxInstances).optional().meta({
    description: 'The instances, for zone-balanced placement: how many to add per zone, which to remove.',
  }),
  unavailableZones: z.array(z.string()).max(32).optional(),
  pods: HpaPods.optional(),
});

const Deliver = z.boolean().default(false).meta({
  description: 'Also POST each decision, signed, to its actuator (ACTUATOR_URL); the response reports each delivery.',
});

const MetricsFormat = MetricFormatOptions.optional().meta({
  description: 'How to read `metricsPayload` (OTLP/JSON, a Prometheus query response, an Azure Monitor metrics response) and which label names the target.',
});
const TraceLevel = z.enum(TRACE_LEVELS).default('full').meta({
  description:
    'How much of each decision the answer carries: "full" (default) everything; "none" the decision without its `trace`; "summary" only target, decisionId, now, action, from, to, code, reason, rule, the fired rules and the state. Delivered decisions are always whole.',
});

const MetricsPayload = z.unknown().optional().meta({
  description: 'Metrics in the format named by `metricsFormat`; series go to the targets whose id the target label holds. A target\'s own `metrics` win for the same name.',
});

export const EvaluateRequest = z.strictObject({
  now: Timestamp.optional().meta({ description: 'Evaluation instant; defaults to the server clock, echoed back.' }),
  deliver: Deliver,
  metricsFormat: MetricsFormat,
  metricsPayload: MetricsPayload,
  trace: TraceLevel,
  targets: z.array(Target).min(1).max(LIMITS.targetsPerBatch),
});

/** The envelope parsed first, so that one malformed target cannot reject its neighbours. */
export const EvaluateEnvelope = z.strictObject({
  now: Timestamp.optional(),
  deliver: Deliver,
  metricsFormat: MetricsFormat,
  metricsPayload: MetricsPayload,
  trace: TraceLevel,
  targets: z.array(z.unknown()).min(1).max(LIMITS.targetsPerBatch),
});

export type RuleSetInput = z.input<typeof RuleSet>;
export type RuleSet = z.infer<typeof RuleSet>;
export type Rule = z.infer<typeof Rule>;
export type MetricTrigger = z.infer<typeof MetricTrigger>;
export type Action = z.infer<typeof Action>;
export type Direction = z.infer<typeof Direction>;
export type Target = z.infer<typeof Target>;
export type DecisionState = z.infer<typeof DecisionState>;
/** A series as points or a bare number: the forms before the columnar ones (what most tests write). */
export type MetricSeries = number | Array<z.input<typeof MetricPoint>>;
/** A series in any accepted form, as a caller sends it; the schema's output is a ParsedSeries (src/syntax/series.ts). */
export type MetricSeriesInput = z.input<typeof MetricSeries>;

/** POST /v1/scheduled: run the cron trigger's work for a chosen tick. */
export const ScheduledRequest = z.strictObject({
  at: Timestamp.meta({ description: 'The tick to run: profiles that began since the previous tick of `cron` are reported.' }),
  cron: z.string().max(128).default('*/5 * * * *').meta({ description: 'The trigger whose previous tick bounds the interval.' }),
  deliver: z.boolean().default(false).meta({ description: 'Deliver the decisions to the actuator (default: preview only).' }),
});
