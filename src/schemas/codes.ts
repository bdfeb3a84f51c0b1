// Every closed code list of edgescale's answers, each defined once: the zod schemas (src/schemas/decision.ts)
// build their enums from these arrays, the code that produces a code imports its list from here, and
// test/engine/docs-tables.test.ts checks the documentation's tables against them. No imports: a leaf.

// ---------------------------------------------------------------------------------------------
// Expressions (src/engine/expr.ts)

/** Every code an expression error can carry; the schemas and HTTP status table read this list. */
export const EXPR_ERROR_CODES = ['ExprSyntax', 'ExprTooLong', 'ExprRefused', 'ExprBudget', 'ExprDepthLimit', 'ExprSizeLimit', 'ExprRuntime', 'ExprType'] as const;

// ---------------------------------------------------------------------------------------------
// Input problems (src/engine/issues.ts)

/** Every code an input problem can carry, the expression error codes included. */
export const ISSUE_CODES = [
  'SchemaViolation',
  'InvalidBounds',
  'InvalidWindow',
  'InvalidProfile',
  'DuplicateRuleId',
  'InvalidMetricTarget',
  'UnknownRuleSet',
  'UnknownActuator',
  'UnknownMetric',
  'MetricFormat',
  'ImportError',
  ...EXPR_ERROR_CODES,
] as const;

// ---------------------------------------------------------------------------------------------
// Lint warnings (src/engine/lint/): a rule set that loads but that a reviewer of autoscale settings would
// flag. docs/lint.md lists them all (test/engine/docs-tables.test.ts).

export const WARNING_CODES = [
  'OutInOverlap',
  'FlappingBlocksScaleIn',
  'ScaleInNeverUnanimous',
  'WindowOutsideAzureRange',
  'CooldownShorterThanWindow',
  'ProfileShadowed',
  'PercentRoundsToZero',
  'FixedCapacity',
  'OneDirectionOnly',
  'ExactCountNeverMoves',
  'KpaPanicBelowCapacity',
  'KpaPanicWindowUnderTick',
  'KpaActivationOutsideBounds',
  'PredictiveHistoryUnderSeason',
  'PredictiveForecastOnly',
] as const;

// ---------------------------------------------------------------------------------------------
// Decisions (src/engine/decide.ts and its pipeline)

/** Why a decision came out as it did; every decision carries exactly one. docs/rules.md lists them all (test/engine/docs-tables.test.ts). */
export const DECISION_CODES = [
  'ScaleOut',
  'ScaleIn',
  'ClampedToMax',
  'ClampedToMin',
  'BroughtIntoBounds',
  'ScalingDisabled',
  'MissingDataDefault',
  'MissingDataNoScaleIn',
  'CooldownActive',
  'NoRuleFired',
  'ScaleInNotUnanimous',
  'NoChange',
  'NoRules',
  'MissingDataHold',
  'MissingDataFallback',
  'FlappingPrevented',
  'ActivationNotReached',
  'Activated',
  'DeactivationBlocked',
  'Deactivated',
  'ProtectionLimitsScaleIn',
  'ScaleUpStabilized',
  'ScaleDownStabilized',
  'ScaleUpLimit',
  'ScaleDownLimit',
] as const;

/** What happened to one rule. */
export const RULE_STATUSES = ['Fired', 'NotMet', 'MissingData', 'RuleError'] as const;

/** Why a rule that fired did not get its way. */
export const BLOCK_CODES = [
  'CooldownActive',
  'FlappingPrevented',
  'ClampedToMax',
  'ClampedToMin',
  'NotUnanimous',
  'OutranFirst',
  'NotLargest',
  'NoIncrease',
  'NoDecrease',
  'MissingData',
] as const;

// ---------------------------------------------------------------------------------------------
// Cooldown (src/engine/cooldown.ts)

/** "shared" (Azure): one timer blocks both directions. "perDirection": only the direction that scaled waits. */
export const COOLDOWN_MODES = ['shared', 'perDirection'] as const;

// ---------------------------------------------------------------------------------------------
// Profiles (src/engine/profiles/)

export const PROFILE_KINDS = ['fixedDate', 'recurrence', 'cron', 'default'] as const;

/** Why the decision's profile was chosen (decision.profile.code, trace.profile.code); docs/codes.md. */
export const PROFILE_SELECTION_CODES = ['FixedDateActive', 'RecurrenceActive', 'CronActive', 'DefaultProfile', 'NoProfileActive', 'InvalidInstant'] as const;

export const PROFILE_STATUS_CODES = [
  'InFixedDateWindow',
  'FixedDateNotStarted',
  'FixedDateEnded',
  'InRecurrenceWindow',
  'OutsideRecurrenceWindow',
  'OpenEndedSinceStart',
  'EndedByLaterStart',
  'InCronWindow',
  'CronWindowEnded',
  'CronNeverStarted',
  'DefaultProfile',
  'ExtraDefaultIgnored',
  'InvalidSchedule',
] as const;

/** Selected: used. Outranked: its schedule matches but an earlier-ranked profile won. Standby: a default not needed now. */
export const PROFILE_ENTRY_STATUSES = ['Selected', 'Outranked', 'Inactive', 'Standby', 'Invalid'] as const;

/** A window edge that fell on a daylight-saving change: a local time that did not exist, or happened twice. */
export const DST_NOTE_CODES = ['NonexistentLocalTime', 'RepeatedLocalTime'] as const;

// ---------------------------------------------------------------------------------------------
// Kubernetes HPA (src/engine/hpa/)

/** What the metrics proposed together (trace.policies.targetTracking.code): computeReplicasForMetrics' outcome. */
export const HPA_DESIRED_CODES = ['ValidMetricFound', 'NoValidMetrics', 'InvalidMetricsBlockScaleDown'] as const;

/**
 * Why Kubernetes behavior (or its absence) let the recommendation through as it did (trace.hpa.reason):
 * horizontal.go's reasons, and two of ours. When no family recommended anything, trace.hpa.reason is
 * instead the code of the family that declined (HPA_DESIRED_CODES, KPA_CODES).
 */
export const HPA_REASONS = [
  'ScalingDisabled',
  'CurrentAboveMax',
  'CurrentBelowMin',
  'ScaleUpStabilized',
  'ScaleDownStabilized',
  'ScaleUpLimit',
  'ScaleDownLimit',
  'TooManyReplicas',
  'TooFewReplicas',
  'DesiredWithinRange',
] as const;

export const HPA_TOLERANCE_VERDICTS = ['WithinTolerance', 'OutsideTolerance', 'ToleranceNotApplied'] as const;

export const HPA_METRIC_ERROR_CODES = [
  'MetricUnavailable',
  'UnsupportedTarget',
  'InvalidTarget',
  'InvalidValue',
  'NoPods',
  // With `pods` (replica_calculator.go): no sample left once unready and ignored pods are set aside;
  // a pod without a request for the resource of a Utilization target; requests that sum to 0.
  'NoReadyPodMetrics',
  'MissingRequest',
  'NoMatchingRequests',
] as const;

/**
 * What the second ratio did when missing or unready pods were filled in (replica_calculator.go,
 * GetResourceReplicas / calcPlainMetricReplicas): scaled; kept the count because the new ratio is
 * within tolerance, points the other way, or the count of pods considered would reverse the scale.
 */
export const HPA_POD_REBALANCE_OUTCOMES = ['Scaled', 'WithinTolerance', 'DirectionReversed', 'CountReversed'] as const;

// ---------------------------------------------------------------------------------------------
// AWS step scaling (src/engine/step-scaling.ts; step adjustment validation in src/schemas/aws-policies.ts)

export const STEP_ISSUE_CODES = [
  'NoStepAdjustments',
  'TooManyStepAdjustments',
  'InvalidNumber',
  'BothBoundsNull',
  'UpperNotAboveLower',
  'MultipleUnboundedLower',
  'MultipleUnboundedUpper',
  'MissingUnboundedLower',
  'MissingUnboundedUpper',
  'StepsOverlap',
  'StepsGap',
  'NegativeExactCapacity',
] as const;

export const STEP_SCALING_CODES = [
  'ScaleOut',
  'ScaleIn',
  'NoChange',
  'AlarmNotBreached',
  'MissingData',
  'NoStepMatched',
  'DesiredAlreadyCovers',
  'ClampedToMax',
  'ClampedToMin',
  'InvalidPolicy',
  'InvalidInput',
] as const;

/** Outcomes of one AWS simple scaling policy (src/engine/policies/simple-scaling.ts). */
export const SIMPLE_SCALING_CODES = ['ScaleOut', 'ScaleIn', 'NoChange', 'AlarmNotBreached', 'MissingData', 'CooldownActive'] as const;

/** What one AWS target tracking policy did (src/engine/policies/aws-target-tracking.ts; docs/codes.md). */
export const AWS_TARGET_TRACKING_CODES = [
  'ScaleOut',
  'DesiredAlreadyCovers',
  'ScaleIn',
  'NoChange',
  'NoAlarm',
  'ScaleInDisabled',
  'WarmingBlocksScaleIn',
  'ScaleInCooldown',
  'InsufficientData',
  'NoCapacity',
] as const;

/**
 * Why the AWS importer (src/formats/aws/) refused a piece of its input or left it out; each
 * ImportError and each unsupported field of an AWS import carries one as `reason` (docs/importing.md).
 */
export const AWS_IMPORT_CODES = [
  'AwsNotRecognised',
  'AwsChooseName',
  'AwsUnknownPolicyType',
  'AwsAlarmNotIncluded',
  'AwsAlarmNotSupported',
  'AwsMetricMathNotSupported',
  'AwsCustomizedMetricNotSupported',
  'AwsPredictiveNotSupported',
  'AwsWarmupNotModelled',
  'AwsPolicyDisabled',
  'AwsInvalidValue',
  'AwsUnresolvedReference',
  'AwsScheduleEndTime',
  'AwsSchedulePartialCapacity',
  'AwsApplicationScheduleNotSupported',
  'AwsNoCapacity',
  'AwsUnknownField',
] as const;

// ---------------------------------------------------------------------------------------------
// Placement (src/engine/placement.ts)

// ---------------------------------------------------------------------------------------------
// The Knative-style kpa policy (src/engine/kpa.ts; docs/kpa.md lists them)

/** What the kpa policy's series measures (autoscaling.knative.dev/metric). */
export const KPA_METRICS = ['concurrency', 'rps'] as const;
/** The autoscaler's mode at this decision (autoscaler.go: panicTime set or not). */
export const KPA_MODES = ['stable', 'panic'] as const;
/** What the kpa policy did at one evaluation: its trace code. */
export const KPA_CODES = ['KpaStable', 'KpaPanic', 'KpaNoData', 'KpaScaleDownDelayed', 'KpaScaleToZeroGrace', 'KpaInitialScale', 'KpaScaleToZeroDisabled'] as const;

// ---------------------------------------------------------------------------------------------
// The predictive policy (src/engine/predictive/; docs/predictive.md lists them)

/** How the predictive policy forecasts (docs/predictive.md). */
export const PREDICTIVE_METHODS = ['seasonalNaive', 'seasonalMax', 'seasonalPercentile', 'holtWinters'] as const;
/** AWS PredictiveScalingConfiguration Mode: ForecastOnly only traces; ForecastAndScale proposes. */
export const PREDICTIVE_MODES = ['ForecastOnly', 'ForecastAndScale'] as const;
/** AWS MaxCapacityBreachBehavior. */
export const PREDICTIVE_MAX_BEHAVIORS = ['HonorMaxCapacity', 'IncreaseMaxCapacity'] as const;
/** What the predictive policy did at one evaluation: its trace code. */
export const PREDICTIVE_CODES = ['PredictiveScale', 'PredictiveForecastOnly', 'PredictiveTooLittleHistory', 'PredictiveNoData'] as const;

export const PLACEMENT_ERROR_CODES = ['InvalidCount', 'DuplicateInstanceId', 'InvalidCreatedAt', 'DuplicateZone', 'TooManyZones', 'UnknownZone'] as const;

/** Outcome codes shared by both directions. */
const COMMON_PLACEMENT_CODES = ['NoChange', 'NonZonal', 'ZoneBalanced', 'ZoneBalanceImproved', 'ZoneImbalanceAllowed', 'ZoneBalanceUnreachable'] as const;

export const SCALE_OUT_CODES = [...COMMON_PLACEMENT_CODES, 'TooManyZonesUnavailable', 'NoZoneAvailable'] as const;

export const SCALE_IN_CODES = [...COMMON_PLACEMENT_CODES, 'ProtectionLimitsScaleIn', 'NotEnoughInstances'] as const;

export const SCALE_OUT_STEP_CODES = ['NonZonal', 'FewestInstances', 'ZonesTiedFirstListed', 'ZoneUnavailableSkipped', 'ZoneBalanceUnreachable'] as const;

export const SCALE_IN_STEP_CODES = ['NonZonal', 'OutsideZonesFirst', 'MostInstances', 'ZonesTied', 'ZonesEven', 'ProtectedZoneSkipped', 'ZoneBalanceUnreachable'] as const;

// ---------------------------------------------------------------------------------------------
// Batch entries (src/service/batch.ts)

/** Per-target refusals of the caller's scope (403) and of an inline rule set posing as a bundled one (422); SECURITY.md. */
const ACCESS_CODES = ['TargetNotAllowed', 'RuleSetNotAllowed', 'ReservedRuleSetId'] as const;

/** Every code a target's error entry can carry: input problems, access refusals, and an internal failure (a defect, logged). */
export const TARGET_ERROR_CODES = [...ISSUE_CODES, ...ACCESS_CODES, 'InternalError'] as const;

/** Notes of a cron tick (POST /v1/scheduled `notes`, src/cron/scheduled.ts): a bundled rule set skipped, a search cut short, an actuator not configured. */
export const SCHEDULED_NOTE_CODES = ['InvalidRuleSet', 'SearchLimitReached', 'RangeTooLong', 'InvalidRange', 'UnknownActuator'] as const;

/** What a profile-change decision reports (POST /v1/scheduled, the cron trigger; src/engine/profile-change.ts): a profile began. */
export const PROFILE_CHANGE_CODES = ['ProfileStarted'] as const;

// ---------------------------------------------------------------------------------------------
// Delivery (src/delivery/deliver.ts)

export const DELIVERY_OUTCOMES = ['delivered', 'queued', 'logged', 'failed'] as const;

export const DELIVERY_ERROR_CODES = [
  // A URL without a key, or a URL that is not http(s): nothing is sent unsigned or anywhere odd.
  'NotConfigured',
  // The decision has no usable decisionId or target, or does not serialise to JSON.
  'InvalidDecision',
  // The actuator answered with a status that will not change on retry (4xx other than 408/429, 3xx).
  'Rejected',
  // The actuator answered 5xx, 408 or 429 on the last attempt.
  'Unavailable',
  // No answer on the last attempt: connection failure or the per-attempt timeout.
  'NetworkError',
  // Delivery failed and the queue refused the dead letter too.
  'QueueSendFailed',
  // A bug or a dependency that threw (log, sleep); reported instead of thrown.
  'InternalError',
] as const;

// ---------------------------------------------------------------------------------------------
// HTTP (src/http/errors.ts: the code → status table)

/** Every error code the HTTP layer answers with: the target error codes plus those of the transport. */
export const HTTP_ERROR_CODES = [
  ...TARGET_ERROR_CODES,
  'MalformedJson',
  'PayloadTooLarge',
  'Unauthorized',
  'OriginNotAllowed',
  'RouteNotAllowed',
  'DeliverNotAllowed',
  'UnsupportedMediaType',
  'LimitExceeded',
  'AuthNotConfigured',
  'NotFound',
  'MethodNotAllowed',
] as const;

export type DecisionCode = (typeof DECISION_CODES)[number];
export type BlockCode = (typeof BLOCK_CODES)[number];

// ---------------------------------------------------------------------------------------------
// Metrics payloads (src/service/batch.ts): notes on a decided target of a batch with metricsFormat

/** NoPayloadData: the payload (or its mapping) gave the target no series. NoPayloadMetricRead: only series no rule reads. docs/metric-formats.md. */
/** NoPayloadPointUsable: series the rules read, but every point after `now` (past the skew tolerance) or older than any window. */
export const PAYLOAD_NOTE_CODES = ['NoPayloadData', 'NoPayloadMetricRead', 'NoPayloadPointUsable'] as const;

/** Why points of a metrics payload were not placed on any target (the metrics report's `unmatched`; src/formats/metrics.ts). */
export const UNMATCHED_POINT_CODES = [
  'NoTargetLabel',
  'InvalidTargetId',
  'InstanceTooLong',
  'NoMetricName',
  'NoRecordedValue',
  'NoValue',
  'NoHistogramSum',
  'EmptyHistogram',
  'UnsupportedMetricType',
  'NativeHistogram',
  'MissingAggregation',
] as const;

/**
 * Why a point of a payload took no part in any decision (the metrics report's `unused`):
 * AfterNow: stamped later than `now` + CLOCK_SKEW_TOLERANCE_MS; BeforeLookback: at or before
 * `now` − the longest window or maximum age of the rule set (src/engine/lookback.ts);
 * OverriddenByTarget: the target's own series of the same metric won; UnknownTarget: placed on a
 * target the batch does not list.
 */
export const UNUSED_POINT_CODES = ['AfterNow', 'BeforeLookback', 'OverriddenByTarget', 'UnknownTarget'] as const;

// ---------------------------------------------------------------------------------------------
// How much of each decision an answer carries (POST /v1/evaluate `trace`, edgescale eval --trace)

/** full: the whole decision; summary: what an actuator or a dashboard needs (no trace, attribution or profile); none: the whole decision without its trace. */
export const TRACE_LEVELS = ['full', 'summary', 'none'] as const;
