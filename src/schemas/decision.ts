// zod schemas of what the API answers (decisions, traces, batch results, errors): the one definition of those shapes.
//
// The types the engine, the service and the adapters build their answers with are the schemas' output
// types (exported at the bottom), so OpenAPI, JSON Schema and the code cannot describe different
// shapes. The core builds plain objects of these types and never parses its own output; tests parse
// real answers with these schemas.
//
// Objects are plain `z.object` (not strict): the OpenAPI generator leaves answers open to new fields,
// and tests parse real answers and compare the result with the input, which catches fields missing
// here. Closed code lists come from ./codes.ts and ./vocabulary.ts. This file imports nothing outside
// src/schemas/ (and does not import src/schema.ts, which re-exports it).
import { z } from 'zod';
import { KpaState, KpaTraceSchema } from './kpa.js';
import { PredictiveTraceSchema } from './predictive.js';
import { AwsTargetTrackingTraceSchema } from './aws-target-tracking.js';
import {
  BLOCK_CODES,
  COOLDOWN_MODES,
  DECISION_CODES,
  DELIVERY_ERROR_CODES,
  DELIVERY_OUTCOMES,
  DST_NOTE_CODES,
  EXPR_ERROR_CODES,
  HPA_METRIC_ERROR_CODES,
  HPA_POD_REBALANCE_OUTCOMES,
  HPA_TOLERANCE_VERDICTS,
  HTTP_ERROR_CODES,
  ISSUE_CODES,
  PAYLOAD_NOTE_CODES,
  UNUSED_POINT_CODES,
  PLACEMENT_ERROR_CODES,
  PROFILE_ENTRY_STATUSES,
  PROFILE_KINDS,
  PROFILE_SELECTION_CODES,
  PROFILE_CHANGE_CODES,
  SCHEDULED_NOTE_CODES,
  PROFILE_STATUS_CODES,
  RULE_STATUSES,
  SCALE_IN_CODES,
  SCALE_IN_STEP_CODES,
  SCALE_OUT_CODES,
  SCALE_OUT_STEP_CODES,
  STEP_ISSUE_CODES,
  STEP_SCALING_CODES,
  SIMPLE_SCALING_CODES,
  AWS_IMPORT_CODES,
  TARGET_ERROR_CODES,
  WARNING_CODES,
} from './codes.js';
import { DIRECTIONS, OPERATORS } from './vocabulary.js';
import { HpaHistory, HpaMetricSource, HpaScalingPolicyType, HpaSelectPolicy } from './hpa-behavior.js';

const OperatorName = z.enum(OPERATORS);
const DirectionName = z.enum(DIRECTIONS);

const Capacity = z.number().int().min(0);
const IsoInstant = z.string().meta({ description: 'ISO 8601 instant in UTC, e.g. "2026-11-22T10:35:00Z".' });

// ---------------------------------------------------------------------------------------------
// Rule traces

const MetricConditionTraceSchema = z
  .object({
    kind: z.literal('metric'),
    metric: z.string(),
    timeGrain: z.string(),
    statistic: z.string(),
    timeWindow: z.string(),
    timeAggregation: z.string(),
    grains: z.number().int().meta({ description: 'Time grains that fed the value.' }),
    samples: z.number().int().meta({ description: 'Samples that fed the value.' }),
    aggregated: z.number().optional().meta({ description: 'Aggregated value before dividing per instance.' }),
    dividedBy: z.number().optional().meta({ description: 'Instance count the value was divided by (dividePerInstance).' }),
    value: z.number().optional().meta({ description: 'The value compared with the threshold; absent without data.' }),
    operator: OperatorName,
    threshold: z.number(),
  })
  .meta({ description: 'How an Azure metric trigger was evaluated.' });

const ExprConditionTraceSchema = z
  .object({
    kind: z.literal('expression'),
    expr: z.string(),
    window: z.string(),
    value: z.unknown().optional().meta({ description: 'What the expression returned (any JSON value).' }),
    work: z.number().int().optional().meta({ description: 'Work units the expression used, against its budgets (docs/jsonata.md#budgets).' }),
  })
  .meta({ description: 'How a JSONata condition was evaluated.' });

const ExprErrorSchema = z
  .object({
    code: z.enum(EXPR_ERROR_CODES),
    message: z.string(),
    position: z.number().int().optional().meta({ description: '0-based character offset into the expression, where JSONata reports one.' }),
    token: z.string().optional(),
    jsonataCode: z.string().optional().meta({ description: 'JSONata\'s own error code, e.g. S0201 or D2014; edgescale\'s refusals and limits use U3xxx.' }),
    budget: z
      .object({ level: z.enum(['expression', 'target', 'request']), kind: z.enum(['work', 'memory']), limit: z.number().int() })
      .optional()
      .meta({ description: 'For ExprBudget: which budget ran out, and its size in units.' }),
    path: z.string().meta({ description: 'Where the expression is in the rule set.' }),
  })
  .meta({ description: 'A JSONata expression that failed to compile or evaluate.' });

export const RuleTraceSchema = z
  .object({
    rule: z.string(),
    direction: DirectionName,
    status: z.enum(RULE_STATUSES),
    condition: z.discriminatedUnion('kind', [MetricConditionTraceSchema, ExprConditionTraceSchema]),
    action: z.string().meta({ description: 'The action as written: "+1", "-50 %", "set 5", "set by expression".' }),
    capacity: Capacity.optional().meta({ description: 'Capacity this rule asks for, when it fired.' }),
    missing: z.array(z.string()).optional().meta({ description: 'Metric names without data in the window, when status is MissingData.' }),
    error: ExprErrorSchema.optional(),
    blocked: z
      .object({
        code: z.enum(BLOCK_CODES),
        message: z.string(),
      })
      .optional()
      .meta({ description: 'Why a rule that fired did not get its way.' }),
  })
  .meta({ description: 'What happened to one rule.' });

// ---------------------------------------------------------------------------------------------
// Profiles

const ProfileTraceEntrySchema = z
  .object({
    index: z.number().int(),
    name: z.string(),
    kind: z.enum(PROFILE_KINDS),
    status: z
      .enum(PROFILE_ENTRY_STATUSES)
      .meta({ description: 'Selected: used. Outranked: its schedule matches but an earlier-ranked profile won. Standby: a default not needed now.' }),
    code: z.enum(PROFILE_STATUS_CODES),
    message: z.string(),
    window: z
      .object({ start: IsoInstant, end: IsoInstant.optional() })
      .optional()
      .meta({ description: 'The window containing the instant, or the last one before it; `end` is absent for an open window.' }),
    nextStart: IsoInstant.optional().meta({ description: 'Next start after the instant, for an inactive profile.' }),
    outrankedBy: z.string().optional(),
    dst: z
      .array(
        z.object({
          edge: z.enum(['start', 'end']),
          code: z.enum(DST_NOTE_CODES),
          message: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'Window edges that fell on a daylight-saving change.' }),
  })
  .meta({ description: 'Why one profile was or was not used.' });

// ---------------------------------------------------------------------------------------------
// Target tracking and step scaling

const HpaTolerancesSchema = z.object({ scaleUp: z.number(), scaleDown: z.number() });

const HpaPodGroupingSchema = z
  .object({
    ready: z.number().int().meta({ description: 'Pods whose samples count (groupPods readyPodCount).' }),
    unready: z.number().int().meta({ description: 'Pending pods, and for cpu unready or initializing pods: set aside, 0 on a scale-up.' }),
    missing: z.number().int().meta({ description: 'Pods without a sample: 100% of request (or the target) on a scale-down, 0 on a scale-up.' }),
    ignored: z.number().int().meta({ description: 'Deleted and Failed pods: never counted.' }),
    unreadyPods: z.array(z.string()),
    missingPods: z.array(z.string()),
    ignoredPods: z.array(z.string()),
    rawAverage: z.number().optional().meta({ description: 'Utilization: the ready pods\' average sample (GetResourceUtilizationRatio rawAverageValue), in the metric\'s unit.' }),
    rebalance: z
      .object({
        ratio: z.number().meta({ description: 'The usage ratio with missing and unready pods filled in.' }),
        pods: z.number().int().meta({ description: 'The pods that ratio is over: the replica count is ceil(ratio × pods).' }),
        outcome: z.enum(HPA_POD_REBALANCE_OUTCOMES),
      })
      .optional(),
  })
  .meta({ description: 'How the target\'s pods were grouped for this metric (replica_calculator.go groupPods) and the rebalancing that followed.' });

const TrackedMetricExtra = {
  rule: z.string(),
  value: z
    .number()
    .nullable()
    .optional()
    .meta({ description: 'The averaged metric value, null when there was none; with pods, the utilization percentage or the per-pod average over the ready pods.' }),
  disableScaleIn: z.boolean(),
  pods: HpaPodGroupingSchema.optional(),
  readyPods: z.number().int().optional().meta({ description: 'Object/External Value with pods: the Running and Ready pods the ratio multiplies (getReadyPodsCount).' }),
  statusReplicas: z
    .number()
    .int()
    .optional()
    .meta({ description: 'Object/External AverageValue with pods: the active pods (not Succeeded, not Failed, not being deleted) standing for scale.status.replicas.' }),
};

const TrackedMetricSchema = z
  .discriminatedUnion('ok', [
    z.object({
      ok: z.literal(true),
      name: z.string(),
      source: HpaMetricSource,
      replicas: z.number().int(),
      ratio: z.number().meta({ description: 'The usage ratio compared with the tolerance band (replica_calculator.go usageRatio).' }),
      verdict: z.enum(HPA_TOLERANCE_VERDICTS),
      tolerances: HpaTolerancesSchema,
      message: z.string(),
      ...TrackedMetricExtra,
    }),
    z.object({
      ok: z.literal(false),
      name: z.string(),
      source: HpaMetricSource,
      code: z.enum(HPA_METRIC_ERROR_CODES),
      message: z.string(),
      ...TrackedMetricExtra,
    }),
  ])
  .meta({ description: 'One target-tracking metric: the replicas it proposes, or why it proposes none.' });

const TargetTrackingTraceSchema = z
  .object({
    desired: z.number().int().optional(),
    code: z.string(),
    message: z.string(),
    metrics: z.array(TrackedMetricSchema),
  })
  .meta({ description: 'Target tracking (Kubernetes HPA algorithm): each metric\'s proposal and the largest.' });

/** A CloudWatch alarm's periods as engine/aws-alarm.ts evaluates them (simple and step scaling). */
const AlarmPeriodsSchema = z
  .array(z.object({ end: IsoInstant, value: z.number().nullable(), breaching: z.boolean() }))
  .meta({ description: 'The alarm\'s periods, newest first: each (end − period, end], its statistic (null without data) and whether it breaches.' });

const StepScalingResultSchema = z
  .object({
    fired: z.boolean().meta({ description: 'The alarm is in ALARM, so the policy runs.' }),
    value: z.number().optional().meta({ description: 'The aggregated value compared, when there was one. With evaluationPeriods: the mean of the breaching periods when the alarm fired, else the newest period\'s value.' }),
    breach: z.number().optional().meta({ description: 'value − threshold.' }),
    periods: AlarmPeriodsSchema.optional().meta({ description: 'With evaluationPeriods: the alarm\'s periods, newest first (as simple scaling reports them).' }),
    breachingPeriods: z.number().int().optional(),
    step: z
      .object({
        index: z.number().int().meta({ description: '0-based index into policy.stepAdjustments.' }),
        lowerBound: z.number().nullable(),
        upperBound: z.number().nullable(),
        scalingAdjustment: z.number(),
        side: z.enum(['above', 'below']),
        interval: z.string().meta({ description: 'The breach range with AWS\'s brackets for that side, e.g. "[10, 20)".' }),
        metricRange: z.string().meta({ description: 'The same range in metric values, e.g. "60 ≤ value < 70".' }),
        why: z.string(),
      })
      .optional()
      .meta({ description: 'The step adjustment whose range holds the breach.' }),
    adjustment: z.number().meta({ description: 'Capacity units the matched step asks to change by (ExactCapacity: target − current).' }),
    percent: z
      .object({
        raw: z.number().meta({ description: 'current × scalingAdjustment ÷ 100 before rounding.' }),
        rounded: z.number(),
        minAdjustmentMagnitudeApplied: z.boolean(),
      })
      .optional(),
    wanted: z.number().optional().meta({ description: 'current + adjustment (not below 0), before the bounds.' }),
    newCapacity: z.number().meta({ description: 'The new desired capacity of the group.' }),
    code: z.enum(STEP_SCALING_CODES),
    message: z.string(),
    issues: z
      .array(
        z.object({
          code: z.enum(STEP_ISSUE_CODES),
          message: z.string(),
          path: z.string(),
          segments: z.array(z.union([z.string(), z.number()])),
        }),
      )
      .optional(),
  })
  .meta({ description: 'One AWS step scaling policy: its alarm, the matched step and the capacity it asks for.' });

const StepScalingTraceSchema = z.object({
  id: z.string(),
  result: StepScalingResultSchema,
  warming: z.array(z.string()).optional().meta({ description: 'Instances still warming up (warmupSeconds): left out of the metric and of the current capacity.' }),
});

const SimpleScalingResultSchema = z
  .object({
    fired: z.boolean().meta({ description: 'The alarm is in ALARM: at least datapointsToAlarm of its evaluation periods breach.' }),
    periods: AlarmPeriodsSchema,
    breachingPeriods: z.number().int(),
    adjustment: z
      .object({
        adjustment: z.number(),
        percent: z.object({ raw: z.number(), rounded: z.number(), minAdjustmentMagnitudeApplied: z.boolean() }).optional(),
        how: z.string(),
        wanted: z.number(),
      })
      .optional()
      .meta({ description: 'The adjustment applied to the current capacity (as step scaling applies it).' }),
    newCapacity: z.number().optional().meta({ description: 'The capacity the policy asks for; absent when it does not respond.' }),
    cooldown: z
      .object({ until: IsoInstant, startedBy: z.string().nullable(), seconds: z.number() })
      .optional()
      .meta({ description: 'While a cooldown holds the policy: until when, and the rule or policy whose activity started it.' }),
    code: z.enum(SIMPLE_SCALING_CODES),
    message: z.string(),
  })
  .meta({ description: 'One AWS simple scaling policy: its alarm, the cooldown, and the capacity it asks for.' });

const SimpleScalingTraceSchema = z.object({ id: z.string(), result: SimpleScalingResultSchema });

// ---------------------------------------------------------------------------------------------
// Kubernetes behavior, flapping, placement

const HpaNormalizeTraceSchema = z.object({
  currentReplicas: z.number().int(),
  desiredReplicas: z.number().int(),
  stabilizationPick: z
    .object({
      window: z.object({ scaleUp: z.number().optional(), scaleDown: z.number() }).meta({ description: 'Stabilization windows in seconds.' }),
      candidates: z
        .object({ scaleUp: z.array(z.number()).optional(), scaleDown: z.array(z.number()) })
        .meta({ description: 'The raw recommendation first, then every stored recommendation inside each window.' }),
      scaleUpBound: z.number().optional().meta({ description: 'Lowest scale-up candidate: the floor the result may not go below.' }),
      scaleDownBound: z.number().meta({ description: 'Highest scale-down candidate: the ceiling the result may not go above.' }),
      picked: z.number(),
    })
    .optional(),
  direction: z.enum(['up', 'down', 'none']).optional(),
  selectPolicy: HpaSelectPolicy.optional(),
  limits: z.array(
    z.object({
      policy: z.string().meta({ description: '"Pods 4 per 15s", "Percent 100 per 15s", or "scaleUpLimit" (no behavior).' }),
      type: HpaScalingPolicyType.optional(),
      value: z.number().optional(),
      periodSeconds: z.number().optional(),
      periodStartReplicas: z.number().optional().meta({ description: 'current − added in the period + removed in the period.' }),
      replicasAddedInPeriod: z.number().optional(),
      replicasRemovedInPeriod: z.number().optional(),
      limit: z.number().meta({ description: 'The replica count this policy allows.' }),
    }),
  ),
  rateLimit: z.number().optional().meta({ description: 'The policy limit after selectPolicy, before min/max.' }),
  allowed: z
    .object({ minimum: z.number().optional(), maximum: z.number().optional() })
    .optional()
    .meta({ description: 'The effective bounds the stabilized recommendation was clamped into.' }),
});

const FlappingCheckSchema = z.object({
  capacity: Capacity,
  rule: z.string(),
  metric: z.string(),
  value: z.number(),
  projected: z.number(),
  operator: z.string(),
  threshold: z.number(),
  fires: z.boolean(),
});

const FlappingResultSchema = z
  .object({
    to: Capacity.meta({ description: 'The capacity the scale-in may go to: the wanted one, something between, or the current one.' }),
    checks: z.array(FlappingCheckSchema),
    blockedBy: FlappingCheckSchema.optional().meta({ description: 'The projection at the largest capacity that would still flap.' }),
    unprojectable: z.array(z.string()).meta({ description: 'Scale-out rules that cannot be projected (expressions).' }),
  })
  .meta({ description: 'Azure flapping prevention: the projections made before a scale-in.' });

const Zone = z.string().nullable().meta({ description: 'Zone name; null for non-zonal instances.' });

const ScaleOutPlanSchema = z
  .object({
    ok: z.literal(true),
    code: z.enum(SCALE_OUT_CODES),
    reason: z.string(),
    requested: z.number().int(),
    placed: z.number().int().meta({ description: 'Instances the plan adds (0 when refused).' }),
    feasible: z.number().int().optional().meta({ description: 'When refused for zone balance: how many could have been placed before balance broke.' }),
    zones: z.array(z.string()),
    perZone: z.array(z.object({ zone: Zone, before: z.number().int(), add: z.number().int(), after: z.number().int() })),
    balancedAfter: z.boolean(),
    steps: z.array(
      z.object({
        step: z.number().int(),
        zone: Zone,
        code: z.enum(SCALE_OUT_STEP_CODES),
        reason: z.string(),
      }),
    ),
  })
  .meta({ description: 'Where a scale-out adds instances, zone by zone.' });

const ScaleInPlanSchema = z
  .object({
    ok: z.literal(true),
    code: z.enum(SCALE_IN_CODES),
    reason: z.string(),
    requested: z.number().int(),
    removed: z.array(z.string()).meta({ description: 'Instance ids to delete, in deletion order; never a protected one.' }),
    shortfall: z.number().int().meta({ description: 'requested − removed.length.' }),
    feasible: z.number().int().optional(),
    zones: z.array(z.string()),
    perZone: z.array(z.object({ zone: Zone, before: z.number().int(), remove: z.number().int(), after: z.number().int() })),
    balancedAfter: z.boolean(),
    steps: z.array(
      z.object({
        step: z.number().int(),
        instanceId: z.string().nullable().meta({ description: 'The instance removed; null on the step that was refused.' }),
        zone: Zone,
        code: z.enum(SCALE_IN_STEP_CODES),
        reason: z.string(),
      }),
    ),
  })
  .meta({ description: 'Exactly which instances a scale-in removes.' });

const PlacementErrorSchema = z
  .object({
    ok: z.literal(false),
    code: z.enum(PLACEMENT_ERROR_CODES),
    message: z.string(),
    path: z.string().meta({ description: 'Where in the input, e.g. "instances[3].createdAt".' }),
  })
  .meta({ description: 'Why the instances given could not be placed.' });

// ---------------------------------------------------------------------------------------------
// Trace, state, decision

export const TraceSchema = z
  .object({
    capacity: z.object({ current: Capacity, bounded: Capacity, minimum: Capacity, maximum: Capacity, default: Capacity }),
    profile: z.object({ code: z.enum(PROFILE_SELECTION_CODES), message: z.string(), profiles: z.array(ProfileTraceEntrySchema) }),
    rules: z.array(RuleTraceSchema),
    scaleOut: z.object({ fired: z.array(z.string()), wants: Capacity.optional(), rule: z.string().optional() }),
    scaleIn: z.object({
      fired: z.array(z.string()),
      required: z.array(z.string()).meta({ description: 'Every scale-in rule: Azure scales in only when all of them fire.' }),
      unanimous: z.boolean(),
      wants: Capacity.optional(),
      rule: z.string().optional(),
    }),
    missingData: z
      .object({
        metrics: z.array(z.string()),
        behaviour: z.string(),
        stale: z.array(z.string()).optional().meta({ description: 'Metrics whose newest point was older than missingData.maxAge (counted as missing).' }),
      })
      .optional(),
    cooldown: z.object({ mode: z.enum(COOLDOWN_MODES), out: IsoInstant.optional(), in: IsoInstant.optional() }),
    clamp: z.object({ wanted: z.number(), to: Capacity, bound: z.enum(['minimum', 'maximum']) }).optional(),
    policies: z
      .object({
        targetTracking: TargetTrackingTraceSchema.optional(),
        stepScaling: z.array(StepScalingTraceSchema).optional(),
        simpleScaling: z.array(SimpleScalingTraceSchema).optional(),
        awsTargetTracking: z.array(AwsTargetTrackingTraceSchema).optional(),
        kpa: KpaTraceSchema.optional(),
        predictive: PredictiveTraceSchema.optional(),
        proposals: z.array(z.object({ source: z.string(), id: z.string(), capacity: Capacity })),
        decidedBy: z.string().optional(),
      })
      // Each policy family's trace sits under its kind (src/engine/policies/index.ts); a family without a
      // trace schema here yet is still an answer's field, not something a parse drops.
      .catchall(z.unknown())
      .optional()
      .meta({ description: 'The policy families\' traces by kind (target tracking, step scaling, …), their proposals, and which family decided.' }),
    hpa: HpaNormalizeTraceSchema.extend({ reason: z.string(), message: z.string(), replicas: z.number().int() })
      .optional()
      .meta({ description: 'Kubernetes behavior: stabilization window pick, each policy\'s limit, the reason.' }),
    flapping: FlappingResultSchema.optional(),
    activation: z
      .object({
        metric: z.string(),
        value: z.number().optional(),
        threshold: z.number(),
        active: z.boolean(),
        also: z.array(z.object({ metric: z.string(), value: z.number().optional(), threshold: z.number(), active: z.boolean() })).optional(),
        lastActive: IsoInstant.optional().meta({ description: 'With a cooldown: the last active decision, this one included.' }),
        coolingUntil: IsoInstant.optional().meta({ description: 'With a cooldown, inactive: the instant after which capacity goes to idle (or 0).' }),
        fallback: z
          .array(z.string())
          .optional()
          .meta({ description: 'scaleToZero.activeOnFallback: the metrics whose missing-data fallback in effect made the target active (KEDA).' }),
      })
      .optional()
      .meta({ description: 'KEDA-style activation (scaleToZero): the first activating metric, the others in `also`.' }),
  })
  .meta({ description: 'How the decision was reached: bounds, profile, every rule, proposals, limits. Fields may be added.' });

export const StateOutSchema = z
  .object({
    version: z.literal(1),
    lastScale: z
      .object({ at: IsoInstant, direction: DirectionName, rule: z.string().nullable(), from: Capacity, to: Capacity })
      .optional(),
    cooldownUntil: z.object({ out: IsoInstant.optional(), in: IsoInstant.optional() }),
    hpa: HpaHistory.optional(),
    missingCount: z.number().int().min(0).optional(),
    kpa: KpaState.optional(),
    activation: z.object({ lastActive: IsoInstant.optional() }).optional().meta({ description: 'scaleToZero with a cooldown: the last active decision.' }),
  })
  .meta({ description: 'Send this back as the target\'s `state` in the next request (the worker keeps nothing).' });

const RequestedBySchema = z
  .object({
    credential: z.string().meta({ description: 'The id of the credential that asked; "local-dev" (dev switch), "cron" and "cli" name callers without one.' }),
    kind: z.enum(['token', 'webhook', 'cron', 'local-dev', 'cli']),
  })
  .meta({ description: 'Who asked for the decision. Signed with it when delivered: an actuator checks that this credential may change this target (docs/actuator.md).' });

const RuleSetOriginSchema = z
  .object({
    id: z.string(),
    source: z.enum(['bundled', 'inline', 'imported']).meta({ description: 'bundled: from the deployment\'s rules/; inline: sent in the request; imported: an Azure setting or HPA manifest sent in the request.' }),
    hash: z.string().regex(/^[0-9a-f]{64}$/).meta({ description: 'SHA-256 of the rule set\'s canonical spec: an actuator can pin the bundled rule sets it expects.' }),
  })
  .meta({ description: 'The rule set that decided and where it came from. An inline or imported rule set never has a bundled id.' });

const PayloadNoteSchema = z
  .object({
    code: z.enum(PAYLOAD_NOTE_CODES),
    message: z.string(),
  })
  .meta({
    description:
      'Why a target of a batch with `metricsFormat` may have decided on missing data: NoPayloadData (the payload, or its mapping, gave it no series at all), NoPayloadMetricRead (only series no rule of its rule set reads), NoPayloadPointUsable (no point any window reads). The decision is otherwise unchanged, its id too (docs/metric-formats.md).',
  });

const PayloadNotes = z.array(PayloadNoteSchema).optional().meta({ description: 'Notes on what the metrics payload gave this target; absent when there is nothing to say.' });

export const DecisionSchema = z
  .object({
    target: z.string(),
    ruleSet: z.string(),
    profile: z
      .object({
        name: z.string(),
        kind: z.string(),
        code: z.enum(PROFILE_SELECTION_CODES),
        since: IsoInstant.optional(),
        nextChange: z.object({ at: IsoInstant, to: z.string() }).nullable(),
      })
      .meta({ description: 'The profile whose bounds and rules applied, and the next scheduled change.' }),
    actuator: z.string().meta({ description: 'The actuator this decision is for (the rule set\'s `actuator`, default "default").' }),
    decisionId: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .meta({ description: 'SHA-256 of the canonical inputs: stable across retries, usable as an idempotency key.' }),
    now: IsoInstant,
    action: z.enum(['scaleOut', 'scaleIn', 'none']),
    from: Capacity,
    to: Capacity,
    code: z.enum(DECISION_CODES).meta({ description: 'Why the decision came out as it did (machine code).' }),
    reason: z.string().meta({ description: 'The same, as one human sentence.' }),
    rule: z.string().nullable().meta({ description: 'The rule that decided, or null when no rule did (bounds, missing data, nothing fired).' }),
    trace: TraceSchema,
    state: StateOutSchema,
    placement: z
      .union([ScaleOutPlanSchema, ScaleInPlanSchema, PlacementErrorSchema])
      .optional()
      .meta({ description: 'With `instances` in the request: where to add, or exactly which instances to remove.' }),
    requestedBy: RequestedBySchema,
    ruleSetOrigin: RuleSetOriginSchema,
    notes: PayloadNotes.meta({
      description:
        'With `metricsFormat`: why this target may have decided on missing data (the payload or its mapping gave it nothing usable), copied from the result entry so an actuator receives it. Not part of the decision id; absent when there is nothing to say.',
    }),
  })
  .meta({ description: 'One target\'s scale decision: from, to, a machine code and a sentence, the trace and the next state, who asked and which rule set decided.' });

// ---------------------------------------------------------------------------------------------
// Batch results, deliveries, errors

export const IssueSchema = z
  .object({
    code: z.enum(ISSUE_CODES),
    message: z.string(),
    path: z.string().meta({ description: 'Where in the input, e.g. "targets[2].ruleSet.rules[0].when.expr".' }),
    position: z.number().int().optional().meta({ description: '0-based character offset inside a JSONata expression, where one is known.' }),
    token: z.string().optional(),
    jsonataCode: z.string().optional(),
    reason: z.enum(AWS_IMPORT_CODES).optional().meta({ description: 'For an ImportError of an AWS import: why, as a code (docs/importing.md).' }),
  })
  .meta({ description: 'One problem found in the input.' });

const WarningSchema = z
  .object({
    code: z.enum(WARNING_CODES),
    path: z.string().meta({ description: 'Where in the (native) rule set, e.g. "rules[1].when.metric.threshold".' }),
    message: z.string().meta({ description: 'What is wrong, as one sentence.' }),
    fix: z.string().meta({ description: 'A suggested fix, as one sentence.' }),
  })
  .meta({ description: 'A lint warning: the rule set is valid, but a reviewer of autoscale settings would flag this (docs/lint.md).' });

export const TargetErrorSchema = z
  .object({
    code: z.enum(TARGET_ERROR_CODES),
    message: z.string(),
    path: z.string(),
    position: z.number().int().optional(),
    correlationId: z.string().optional().meta({ description: 'With InternalError: the id under which the failure was logged (quote it when reporting).' }),
    issues: z.array(IssueSchema).optional().meta({ description: 'Every problem found, when there is more than one.' }),
  })
  .meta({ description: 'Why one target of a batch was not decided.' });

export const DeliveryResultSchema = z
  .object({
    decisionId: z.string(),
    target: z.string(),
    outcome: z.enum(DELIVERY_OUTCOMES),
    attempts: z.number().int().min(0).meta({ description: 'POSTs made for this decision (0 when nothing was sent).' }),
    status: z.number().int().optional().meta({ description: 'Status of the last answer, when there was one.' }),
    error: z
      .object({
        code: z.enum(DELIVERY_ERROR_CODES),
        message: z.string(),
        status: z.number().int().optional(),
      })
      .optional()
      .meta({ description: 'Why it was not delivered; absent for delivered and logged.' }),
  })
  .meta({ description: 'What happened when a decision was sent to its actuator.' });

export const ImportReportSchema = z
  .object({
    format: z.enum(['azure', 'hpa', 'keda', 'aws', 'knative']),
    unsupported: z
      .array(z.object({ path: z.string(), field: z.string(), message: z.string(), reason: z.enum(AWS_IMPORT_CODES).optional().meta({ description: 'Why, as a code (AWS imports: AWS_IMPORT_CODES).' }) }))
      .meta({ description: 'Fields of the input with no edgescale equivalent, by path and name; they took no part in the decision.' }),
    notes: z.array(z.string()).meta({ description: 'Choices the importer made: defaults filled in, Windows time zones mapped to IANA.' }),
  })
  .meta({ description: 'How a rule set given as an Azure setting, HPA manifest or Knative Service was imported (docs/importing.md).' });

const TargetResultBase = {
  index: z.number().int().min(0).meta({ description: 'Position of the target in the request.' }),
  target: z.string().nullable().meta({ description: 'The target\'s id, or null when the entry had none.' }),
};


// Only its type is read (TargetResult); EvaluatedTargetSchema is TargetResult plus delivery.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
const TargetResultSchema = z
  .discriminatedUnion('ok', [
    z.object({ ...TargetResultBase, ok: z.literal(true), decision: DecisionSchema, imported: ImportReportSchema.optional(), notes: PayloadNotes }),
    z.object({ ...TargetResultBase, ok: z.literal(false), error: TargetErrorSchema }),
  ])
  .meta({ description: 'One target of a batch: its decision, or its error.' });

/** A decision as `trace: "none"` answers it: everything but the trace. */
const UntracedDecisionSchema = DecisionSchema.omit({ trace: true }).meta({ description: 'A decision without its trace (`trace: "none"`).' });

/** A decision as `trace: "summary"` answers it: what an actuator acts on and the state to send back (src/service/trace-level.ts). */
const DecisionSummarySchema = DecisionSchema.pick({ decisionId: true, action: true, from: true, to: true, code: true, rule: true, state: true })
  .extend({
    decidedBy: z
      .string()
      .optional()
      .meta({ description: 'For rule sets with policy families: which one decided ("rules", "missingData" or "<family>:<id>", e.g. "targetTracking:resource-cpu"), as trace.policies.decidedBy.' }),
  })
  .meta({
    description:
      'A decision in summary (`trace: "summary"`): the outcome, its code, the rule or policy that decided and the whole state for the next evaluation; no reason sentence, no trace, and not the target and `now` the batch entry and the answer already give. At most 400 bytes for the bundled rule sets, not counting the HPA or KPA history in `state` (docs/operations.md).',
  });

/** A batch entry as POST /v1/evaluate answers it: with `deliver: true`, decided entries also report their delivery. */
export const EvaluatedTargetSchema = z
  .discriminatedUnion('ok', [
    z.object({
      ...TargetResultBase,
      ok: z.literal(true),
      decision: z.union([DecisionSchema, UntracedDecisionSchema, DecisionSummarySchema]).meta({ description: 'The decision, as much of it as the request\'s `trace` asks for.' }),
      imported: ImportReportSchema.optional(),
      notes: PayloadNotes,
      delivery: DeliveryResultSchema.optional(),
    }),
    z.object({ ...TargetResultBase, ok: z.literal(false), error: TargetErrorSchema }),
  ])
  .meta({ description: 'One target of a batch: its decision (and delivery, with `deliver: true`), or its error.' });

export const MetricsReportSchema = z
  .object({
    format: z.string(),
    targets: z.array(z.string()).meta({ description: 'Targets of the batch the payload had series for.' }),
    unknownTargets: z.array(z.string()).meta({ description: 'Targets the payload has series for that the batch does not list.' }),
    targetsWithoutData: z.array(z.string()).meta({
      description: 'Targets of the batch the payload (or its mapping: targetLabel) gave no series at all, in request order; each decided one also carries a NoPayloadData note.',
    }),
    ignored: z
      .array(
        z.object({
          target: z.string(),
          metric: z.string().meta({ description: 'The metric name after metricNames / metric were applied.' }),
          points: z.number().int().min(0).meta({ description: 'Points of that series that took no part in the decision.' }),
        }),
      )
      .meta({
        description:
          'Payload series that no rule of the target\'s rule set reads: ignored, not refused (a target\'s own `metrics` naming such a metric are still refused with UnknownMetric). Only for decided targets whose rule set lists the metrics it reads.',
      }),
    unmatched: z.object({
      points: z.number().int(),
      series: z.number().int(),
      reasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
    }),
    unused: z
      .object({
        points: z.number().int().min(0),
        reasons: z.array(
          z.object({
            code: z.enum(UNUSED_POINT_CODES),
            reason: z.string(),
            count: z.number().int().min(0),
            targets: z.array(z.string()).meta({ description: 'Targets with such points, in request order (UnknownTarget: in the order of unknownTargets).' }),
          }),
        ),
      })
      .meta({
        description:
          'Points placed on a target that took no part in any decision: of series the rules read but no window could use, stamped after `now` beyond the clock-skew tolerance (AfterNow) or older than the longest window of the rule set (BeforeLookback); of a metric the target\'s own `metrics` also give (OverriddenByTarget); of targets the batch does not list (UnknownTarget). Counted per decided target, and per unknown target.',
      }),
    clockSkew: z
      .object({
        toleranceMs: z.number().int().meta({ description: 'CLOCK_SKEW_TOLERANCE_MS: points up to this long after `now` count as points at `now`.' }),
        points: z.number().int().min(0).meta({ description: 'Points of read series stamped after `now` within the tolerance, used as points at `now`.' }),
      })
      .meta({ description: 'The clock-skew tolerance and how many payload points it let in.' }),
  })
  .meta({ description: 'What happened to a metrics payload in another format: nothing is dropped without being counted.' });

export const EvaluateResponseSchema = z
  .object({
    now: IsoInstant.meta({ description: 'The evaluation instant used for every target.' }),
    summary: z.object({ decided: z.number().int(), failed: z.number().int() }),
    metrics: MetricsReportSchema.optional(),
    results: z.array(EvaluatedTargetSchema),
  })
  .meta({ description: 'Answer to POST /v1/evaluate: one entry per target, in request order.' });

export const ErrorBodySchema = z
  .object({
    code: z.enum(HTTP_ERROR_CODES),
    message: z.string(),
    path: z.string().meta({ description: 'Where the problem is: a path into the body, "body", "headers.authorization", "url".' }),
    position: z.number().int().optional().meta({ description: 'Character offset into the body (MalformedJson) or into an expression.' }),
    issues: z.array(z.unknown()).optional().meta({ description: 'Every problem found, when there is more than one.' }),
    correlationId: z.string().optional().meta({ description: 'With InternalError: the id under which the failure was logged with its stack.' }),
  })
  .meta({ description: 'A machine code, one human sentence, and where.' });

export const ErrorResponseSchema = z.object({ error: ErrorBodySchema }).meta({ description: 'The shape of every error answer.' });

// ---------------------------------------------------------------------------------------------
// The other routes

export const ValidateResponseSchema = z
  .discriminatedUnion('valid', [
    z.object({
      valid: z.literal(true),
      id: z.string(),
      imported: ImportReportSchema.extend({
        ruleSet: z.record(z.string(), z.unknown()).meta({ description: 'The native rule set it became (schema: ruleset.schema.json); save it under rules/ to use it natively.' }),
      })
        .optional()
        .meta({ description: 'When the body was `{ "azure": … }` or `{ "hpa": … }`: what it was imported to and what was left out.' }),
      rules: z.number().int().meta({ description: 'Number of rules of the default profile.' }),
      metrics: z
        .array(z.string())
        .nullable()
        .meta({ description: 'Metric names the rule set reads, sorted; null when expressions make the set unknowable.' }),
      warnings: z.array(WarningSchema).meta({ description: 'Lint warnings (docs/lint.md), in a stable order; empty when there are none. They do not make the set invalid.' }),
    }),
    z.object({
      valid: z.literal(false),
      error: IssueSchema.meta({ description: 'The first problem.' }),
      errors: z.array(IssueSchema).meta({ description: 'Every problem found.' }),
    }),
  ])
  .meta({ description: 'Answer to POST /v1/validate.' });

export const ProfileChangeDecisionSchema = z
  .object({
    kind: z.literal('profileChange'),
    decisionId: z.string().meta({ description: 'Hash of rule set, target and start instant: the same start seen by two ticks gets the same key.' }),
    target: z.string(),
    ruleSet: z.string(),
    actuator: z.string(),
    code: z.enum(PROFILE_CHANGE_CODES).meta({ description: 'What happened: ProfileStarted, a profile began (docs/codes.md).' }),
    at: IsoInstant.meta({ description: 'When the profile began (not when the tick ran).' }),
    profile: z.object({ name: z.string(), previous: z.string().nullable() }),
    bounds: z
      .object({ minimum: Capacity, maximum: Capacity, default: Capacity })
      .meta({ description: 'The bounds that apply from `at`: bring any capacity outside them to the nearest bound.' }),
    setCapacity: Capacity.nullable().meta({ description: 'The profile\'s startCapacity (clamped to its bounds), or null when it states none.' }),
    reason: z.string(),
    requestedBy: RequestedBySchema,
    ruleSetOrigin: RuleSetOriginSchema,
  })
  .meta({ description: 'A profile began: the new bounds (and start capacity) for one governed target.' });

export const ScheduledReportSchema = z
  .object({
    tick: IsoInstant,
    previous: IsoInstant.meta({ description: 'The previous tick of the cron: profiles that began after it and at or before `tick` are reported.' }),
    catchUpFrom: IsoInstant.meta({
      description: 'Start of the look-back (three cron intervals, at most 24 h more than one): profile changes after it and at or before `previous` are derived again, with the same decision ids, in `catchUp`.',
    }),
    decisions: z.array(ProfileChangeDecisionSchema),
    catchUp: z
      .array(ProfileChangeDecisionSchema)
      .meta({ description: 'Profile changes of the earlier intervals of the look-back, oldest first: delivered again so a missed tick loses nothing; actuators deduplicate by decision id.' }),
    deliveries: z.array(DeliveryResultSchema).meta({ description: 'One per decision of `catchUp`, then of `decisions`, in that order (empty for a preview).' }),
    notes: z.array(z.object({ ruleSet: z.string(), code: z.enum(SCHEDULED_NOTE_CODES), message: z.string() })),
  })
  .meta({ description: 'Answer to POST /v1/scheduled: the profile changes of one cron tick.' });

export const RuleSetListSchema = z
  .object({
    ruleSets: z.array(
      z.object({
        id: z.string(),
        file: z.string().meta({ description: 'Path of the bundled file, e.g. "rules/web-tier.json".' }),
        valid: z.boolean(),
        imported: ImportReportSchema.optional().meta({ description: 'For an Azure autoscale setting or HPA manifest: what the import left out.' }),
        description: z.string().optional(),
        capacity: z.object({ minimum: Capacity, maximum: Capacity, default: Capacity }).optional(),
        rules: z.array(z.object({ id: z.string(), direction: DirectionName })).optional(),
        issues: z.array(IssueSchema).optional().meta({ description: 'Why a bundled file does not compile (it is then refused by /v1/evaluate).' }),
      }),
    ),
  })
  .meta({ description: 'Answer to GET /v1/rulesets: every bundled rule set.' });

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    version: z.string().meta({ description: 'The edgescale package version (package.json).' }),
    engine: z.string().meta({ description: 'Engine version, part of every decision id.' }),
    auth: z.string().meta({ description: '"bearer", "bearer, webhook signature (POST /v1/evaluate)", "DISABLED (dev only)" for a provably local request with the dev switch on, or "NOT CONFIGURED (see the server log)".' }),
    ruleSets: z.number().int().meta({ description: 'Number of bundled rule set files.' }),
  })
  .meta({ description: 'Answer to GET /healthz.' });

// ---------------------------------------------------------------------------------------------
// The types of the answers: these schemas are their only definition.

export type MetricConditionTrace = z.output<typeof MetricConditionTraceSchema>;
export type RuleTrace = z.output<typeof RuleTraceSchema>;
export type ProfileTraceEntry = z.output<typeof ProfileTraceEntrySchema>;
export type TargetTrackingTrace = z.output<typeof TargetTrackingTraceSchema>;
export type StepScalingResult = z.output<typeof StepScalingResultSchema>;
export type StepScalingTrace = z.output<typeof StepScalingTraceSchema>;
export type SimpleScalingResult = z.output<typeof SimpleScalingResultSchema>;
export type SimpleScalingTrace = z.output<typeof SimpleScalingTraceSchema>;
export type HpaNormalizeTrace = z.output<typeof HpaNormalizeTraceSchema>;
export type FlappingCheck = z.output<typeof FlappingCheckSchema>;
export type FlappingResult = z.output<typeof FlappingResultSchema>;
export type ScaleOutPlan = z.output<typeof ScaleOutPlanSchema>;
export type ScaleInPlan = z.output<typeof ScaleInPlanSchema>;
export type PlacementError = z.output<typeof PlacementErrorSchema>;
export type Trace = z.output<typeof TraceSchema>;
export type StateOut = z.output<typeof StateOutSchema>;
export type RequestedBy = z.output<typeof RequestedBySchema>;
export type RuleSetOrigin = z.output<typeof RuleSetOriginSchema>;
/** A decision as the API answers and delivers it: the engine's decision, who asked for it, and which rule set decided. */
export type AttributedDecision = z.output<typeof DecisionSchema>;
/** A decision as the engine returns it, before the service stamps who asked and which rule set decided. */
export type Decision = Omit<AttributedDecision, 'requestedBy' | 'ruleSetOrigin'>;
export type Issue = z.output<typeof IssueSchema>;
export type Warning = z.output<typeof WarningSchema>;
export type TargetError = z.output<typeof TargetErrorSchema>;
export type TargetResult = z.output<typeof TargetResultSchema>;
export type ImportReport = z.output<typeof ImportReportSchema>;
export type DeliveryResult = z.output<typeof DeliveryResultSchema>;
export type MetricsReport = z.output<typeof MetricsReportSchema>;
export type PayloadNote = z.output<typeof PayloadNoteSchema>;
export type EvaluatedTarget = z.output<typeof EvaluatedTargetSchema>;
/** A decision as an answer carries it: whole, without its trace, or in summary. */
export type AnsweredDecision = Extract<EvaluatedTarget, { ok: true }>['decision'];
export type DecisionSummary = z.output<typeof DecisionSummarySchema>;
export type ErrorBody = z.output<typeof ErrorBodySchema>;
export type ProfileChangeDecision = z.output<typeof ProfileChangeDecisionSchema>;
export type ScheduledReport = z.output<typeof ScheduledReportSchema>;
