// AWS Auto Scaling → one native rule set: the group's bounds, its simple, step and target tracking policies, its scheduled actions.
//
// Mapping (docs/importing.md, "AWS Auto Scaling"; semantics docs/aws-policies.md):
// - SimpleScaling (EC2 Auto Scaling PutScalingPolicy; the default PolicyType) → `simpleScaling`, one
//   policy per alarm that invokes it, with the group's DefaultCooldown (API CreateAutoScalingGroup,
//   "Default: 300 seconds");
// - StepScaling (EC2 and Application Auto Scaling) → `stepScaling`, one rule per alarm;
// - TargetTrackingScaling → `awsTargetTracking` (AWS's alarms, warm-up for EC2 with the same fallbacks as
//   step policies, ScaleOutCooldown / ScaleInCooldown for Application Auto Scaling);
// - scheduled actions → profiles (schedule.ts);
// - PredictiveScaling → `predictive` (predictive.ts): its settings as AWS names them, edgescale's forecast;
// - the rest (instance weights, metric math, …) → `unsupported` with a
//   reason code, never dropped silently.
// The alarm of a simple or step policy is what decides whether it runs; describe-policies names its
// alarms but does not describe them, so without `MetricAlarms` (aws cloudwatch describe-alarms) beside
// it such a policy is left out (AwsAlarmNotIncluded).
import { LIMITS } from '../../limits.js';
import type { RuleSetInput } from '../../schema.js';
import { DEFAULT_COOLDOWN_SECONDS, type AlarmComparison, type AlarmStatistic, type SimpleScalingPolicy, type StepAdjustment } from '../../schemas/aws-policies.js';
import { isRecord } from '../../util/is-record.js';
import { joinPath, newContext, slug, toId, uniqueId, validateConverted, type ImportContext, type ImportOptions, type ImportResult } from '../import-context.js';
import { bool, leaveOut, num, parseInput, readAws, refuse, text, type AwsAlarmIn, type AwsGroupIn, type AwsInput, type AwsPolicyIn } from './read.js';
import { importPredictiveScaling } from './predictive.js';
import { importSchedule, type GroupBounds } from './schedule.js';

type SimpleRule = NonNullable<RuleSetInput['simpleScaling']>['policies'][number];
type StepRule = NonNullable<RuleSetInput['stepScaling']>[number];
type TrackRule = NonNullable<RuleSetInput['awsTargetTracking']>['policies'][number];

const COMPARISONS: readonly AlarmComparison[] = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
const STATISTICS: readonly AlarmStatistic[] = ['Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount'];

/**
 * Application Auto Scaling's ScaleOutCooldown / ScaleInCooldown when the policy sets none (API
 * TargetTrackingScalingPolicyConfiguration: 300 s for ECS services, Spot Fleet requests, EMR clusters,
 * AppStream 2.0 fleets, Aurora DB clusters, SageMaker endpoint variants and custom resources; 0 for the
 * other scalable targets).
 */
const COOLDOWN_300_NAMESPACES = ['ecs', 'ec2', 'elasticmapreduce', 'appstream', 'rds', 'sagemaker', 'custom-resource'];

/** The alarm as the native policies carry it. */
interface Alarm {
  metric: string;
  statistic: AlarmStatistic;
  threshold: number;
  comparison: AlarmComparison;
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  path: string;
}

function readAlarm(a: AwsAlarmIn, input: AwsInput, ctx: ImportContext, policyPath: string): Alarm | undefined {
  const { props, path } = a;
  const out = (reason: Parameters<typeof leaveOut>[1], at: string, why: string) => {
    leaveOut(ctx, reason, at, `${why}; the policy ${policyPath} is left out for this alarm`);
    return undefined;
  };
  if (Array.isArray(props.Metrics))
    return out('AwsMetricMathNotSupported', joinPath(path, 'Metrics'), `alarm ${a.name} uses metric math (Metrics), which edgescale does not evaluate`);
  if (props.ExtendedStatistic !== undefined)
    return out('AwsAlarmNotSupported', joinPath(path, 'ExtendedStatistic'), `alarm ${a.name} uses the percentile statistic ${String(props.ExtendedStatistic)}`);
  const before = ctx.issues.length;
  const metric = text(props, 'MetricName', path, input, ctx);
  const statistic = text(props, 'Statistic', path, input, ctx) ?? 'Average';
  const threshold = num(props, 'Threshold', path, input, ctx);
  const comparison = text(props, 'ComparisonOperator', path, input, ctx);
  const period = num(props, 'Period', path, input, ctx) ?? 60;
  const periods = num(props, 'EvaluationPeriods', path, input, ctx) ?? 1;
  const toAlarm = num(props, 'DatapointsToAlarm', path, input, ctx);
  const missing = text(props, 'TreatMissingData', path, input, ctx);
  if (ctx.issues.length > before) return undefined;
  if (!metric) return refuse(ctx, 'AwsInvalidValue', joinPath(path, 'MetricName'), `alarm ${a.name} has no MetricName`);
  if (threshold === undefined || threshold === null) return refuse(ctx, 'AwsInvalidValue', joinPath(path, 'Threshold'), `alarm ${a.name} has no Threshold`);
  if (!COMPARISONS.includes(comparison as AlarmComparison)) {
    return out('AwsAlarmNotSupported', joinPath(path, 'ComparisonOperator'), `alarm ${a.name}'s ComparisonOperator ${String(comparison)} is not a static-threshold comparison`);
  }
  if (!STATISTICS.includes(statistic as AlarmStatistic)) return refuse(ctx, 'AwsInvalidValue', joinPath(path, 'Statistic'), `Statistic must be one of ${STATISTICS.join(', ')}`);
  if (missing && missing !== 'missing') {
    leaveOut(
      ctx,
      'AwsAlarmNotSupported',
      joinPath(path, 'TreatMissingData'),
      `TreatMissingData "${missing}" is not applied: a period without data does not breach (docs/aws-policies.md)`,
    );
  }
  if (Array.isArray(props.Dimensions) && props.Dimensions.length > 0) {
    ctx.notes.push(`Alarm ${a.name}: the Dimensions filter is not applied; send metric "${metric}" for this group only.`);
  }
  return {
    metric,
    statistic: statistic as AlarmStatistic,
    threshold,
    comparison: comparison as AlarmComparison,
    periodSeconds: period,
    evaluationPeriods: periods,
    ...(typeof toAlarm === 'number' && { datapointsToAlarm: toAlarm }),
    path,
  };
}

/** The alarms that invoke a policy: by AlarmActions (logical id or PolicyARN) or by the policy's Alarms names. */
function alarmsOf(p: AwsPolicyIn, input: AwsInput): AwsAlarmIn[] {
  const arn = typeof p.props.PolicyARN === 'string' ? p.props.PolicyARN : undefined;
  const named = Array.isArray(p.props.Alarms) ? p.props.Alarms.flatMap((a) => (isRecord(a) && typeof a.AlarmName === 'string' ? [a.AlarmName] : [])) : [];
  return input.alarms.filter((a) => a.actions.some((x) => x === p.logicalId || (arn !== undefined && x === arn)) || named.includes(a.name));
}

function readSteps(list: unknown, path: string, input: AwsInput, ctx: ImportContext): StepAdjustment[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return refuse(ctx, 'AwsInvalidValue', path, 'a step scaling policy needs StepAdjustments');
  const before = ctx.issues.length;
  const steps = list.map((s, i) => {
    const at = joinPath(path, i);
    const o = isRecord(s) ? s : {};
    const lower = num(o, 'MetricIntervalLowerBound', at, input, ctx);
    const upper = num(o, 'MetricIntervalUpperBound', at, input, ctx);
    const adj = num(o, 'ScalingAdjustment', at, input, ctx);
    return {
      ...(typeof lower === 'number' && { metricIntervalLowerBound: lower }),
      ...(typeof upper === 'number' && { metricIntervalUpperBound: upper }),
      scalingAdjustment: adj ?? NaN,
    };
  });
  if (ctx.issues.length > before) return undefined;
  const bad = steps.findIndex((s) => !Number.isInteger(s.scalingAdjustment));
  if (bad >= 0) return refuse(ctx, 'AwsInvalidValue', joinPath(joinPath(path, bad), 'ScalingAdjustment'), 'ScalingAdjustment must be an integer');
  return steps;
}

const EC2_POLICY_FIELDS = [
  'AutoScalingGroupName',
  'PolicyName',
  'PolicyARN',
  'PolicyType',
  'AdjustmentType',
  'MinAdjustmentMagnitude',
  'MinAdjustmentStep',
  'ScalingAdjustment',
  'Cooldown',
  'StepAdjustments',
  'MetricAggregationType',
  'EstimatedInstanceWarmup',
  'Alarms',
  'TargetTrackingConfiguration',
  'Enabled',
  'PredictiveScalingConfiguration',
];
const APP_POLICY_FIELDS = [
  'PolicyName',
  'PolicyType',
  'ResourceId',
  'ScalableDimension',
  'ServiceNamespace',
  'ScalingTargetId',
  'StepScalingPolicyConfiguration',
  'TargetTrackingScalingPolicyConfiguration',
  'PredictiveScalingPolicyConfiguration',
];

interface Built {
  simple: SimpleRule[];
  step: StepRule[];
  track: TrackRule[];
  predictive?: RuleSetInput['predictive'];
  /** Native path prefix → input path, for problems found when the rule set is loaded. */
  origins: Array<[string, string]>;
  /** A step policy's warm-up when it sets none: the group's DefaultInstanceWarmup, else its DefaultCooldown (PutScalingPolicy). */
  defaultWarmup: number;
}

function importPolicy(p: AwsPolicyIn, input: AwsInput, ctx: ImportContext, ids: Set<string>, built: Built): void {
  const { path } = p;
  const ec2 = p.kind === 'ec2';
  for (const key of Object.keys(p.props)) {
    if (!(ec2 ? EC2_POLICY_FIELDS : APP_POLICY_FIELDS).includes(key))
      leaveOut(ctx, 'AwsUnknownField', joinPath(path, key), `scaling policy field "${key}" has no edgescale equivalent and is left out`);
  }
  const type = text(p.props, 'PolicyType', path, input, ctx) ?? (ec2 ? 'SimpleScaling' : 'StepScaling');
  if (type === null) return;
  if (ec2 && bool(p.props, 'Enabled', path, input, ctx) === false) {
    leaveOut(ctx, 'AwsPolicyDisabled', joinPath(path, 'Enabled'), `policy ${p.name} is disabled in AWS (Enabled: false), so it is left out`);
    return;
  }
  if (type === 'PredictiveScaling') {
    // A rule set has one predictive policy; AWS allows several (one per metric) and scales to the largest.
    if (built.predictive !== undefined)
      return leaveOut(ctx, 'AwsPredictiveNotSupported', joinPath(path, 'PolicyType'), `predictive policy ${p.name} is left out: edgescale takes the first predictive policy only`);
    const predictive = importPredictiveScaling(p, input, ctx);
    if (predictive !== undefined) {
      built.origins.push(['predictive', p.path]);
      built.predictive = predictive;
    }
    return;
  }
  const id = (suffix = '') => uniqueId(toId(slug(p.name, 'policy') + suffix, 'policy'), ids);
  if (type === 'TargetTrackingScaling') return importTracking(p, input, ctx, id, built);
  if (type !== 'SimpleScaling' && type !== 'StepScaling') {
    refuse(ctx, 'AwsUnknownPolicyType', joinPath(path, 'PolicyType'), `unknown PolicyType "${type}" (SimpleScaling, StepScaling, TargetTrackingScaling or PredictiveScaling)`);
    return;
  }
  // Application Auto Scaling keeps the step settings under StepScalingPolicyConfiguration.
  const cfgPath = ec2 ? path : joinPath(path, 'StepScalingPolicyConfiguration');
  const cfg = ec2 ? p.props : isRecord(p.props.StepScalingPolicyConfiguration) ? p.props.StepScalingPolicyConfiguration : undefined;
  if (!cfg) return void refuse(ctx, 'AwsInvalidValue', cfgPath, `step policy ${p.name} has no StepScalingPolicyConfiguration`);
  const before = ctx.issues.length;
  const adjustmentType = text(cfg, 'AdjustmentType', cfgPath, input, ctx);
  const magnitude = num(cfg, 'MinAdjustmentMagnitude', cfgPath, input, ctx) ?? num(cfg, 'MinAdjustmentStep', cfgPath, input, ctx);
  const cooldown = num(cfg, 'Cooldown', cfgPath, input, ctx);
  if (ctx.issues.length > before) return;
  if (!['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'].includes(String(adjustmentType))) {
    return void refuse(ctx, 'AwsInvalidValue', joinPath(cfgPath, 'AdjustmentType'), 'AdjustmentType must be ChangeInCapacity, ExactCapacity or PercentChangeInCapacity');
  }
  const adj = adjustmentType as SimpleScalingPolicy['adjustmentType'];
  const warmup = ec2 ? num(cfg, 'EstimatedInstanceWarmup', cfgPath, input, ctx) : undefined;
  if (warmup === null) return;
  if (cfg.MetricAggregationType !== undefined) ctx.notes.push(`${p.name}: MetricAggregationType is not read; each alarm's Statistic reduces the metric.`);
  const alarms = alarmsOf(p, input);
  if (alarms.length === 0) {
    const why =
      input.source === 'cli'
        ? 'describe-policies names its alarms but does not describe them; merge `aws cloudwatch describe-alarms` output (MetricAlarms) into the file'
        : 'no AWS::CloudWatch::Alarm in the template invokes it';
    return leaveOut(ctx, 'AwsAlarmNotIncluded', path, `policy ${p.name} is left out: its alarm decides when it runs, and ${why}`);
  }
  if (type === 'SimpleScaling') {
    const scaling = num(p.props, 'ScalingAdjustment', path, input, ctx);
    if (scaling === null) return;
    if (scaling === undefined || !Number.isInteger(scaling))
      return void refuse(ctx, 'AwsInvalidValue', joinPath(path, 'ScalingAdjustment'), 'a simple scaling policy needs an integer ScalingAdjustment');
    for (const [k, a] of alarms.entries()) {
      const alarm = readAlarm(a, input, ctx, path);
      if (!alarm) continue;
      const rid = id(k === 0 ? '' : `-${slug(a.name, 'alarm')}`);
      built.origins.push([`simpleScaling.policies[${built.simple.length}]`, path]);
      const { path: _ignored, ...fields } = alarm;
      built.simple.push({
        id: rid,
        policy: {
          ...fields,
          adjustmentType: adj,
          scalingAdjustment: scaling,
          ...(typeof magnitude === 'number' && { minAdjustmentMagnitude: magnitude }),
          ...(typeof cooldown === 'number' && { cooldown }),
        },
      });
    }
    return;
  }
  if (typeof cooldown === 'number') {
    leaveOut(
      ctx,
      'AwsWarmupNotModelled',
      joinPath(cfgPath, 'Cooldown'),
      ec2 ? 'Cooldown applies to simple scaling policies only (PutScalingPolicy) and is not read for a step policy' : 'the Application Auto Scaling step cooldown is not modelled',
    );
  }
  const steps = readSteps(cfg.StepAdjustments, joinPath(cfgPath, 'StepAdjustments'), input, ctx);
  if (!steps) return;
  for (const [k, a] of alarms.entries()) {
    const alarm = readAlarm(a, input, ctx, path);
    if (!alarm) continue;
    built.origins.push([`stepScaling[${built.step.length}]`, path]);
    built.step.push({
      id: id(k === 0 ? '' : `-${slug(a.name, 'alarm')}`),
      // The alarm period by period, as CloudWatch evaluates it: `window` is its Period.
      window: `PT${alarm.periodSeconds}S`,
      evaluationPeriods: alarm.evaluationPeriods,
      ...(alarm.datapointsToAlarm !== undefined && { datapointsToAlarm: alarm.datapointsToAlarm }),
      // EC2 step policies always have a warm-up: their own, else the group's (PutScalingPolicy EstimatedInstanceWarmup).
      ...(ec2 && { warmupSeconds: warmup ?? built.defaultWarmup }),
      policy: {
        metric: alarm.metric,
        statistic: alarm.statistic,
        threshold: alarm.threshold,
        comparison: alarm.comparison,
        adjustmentType: adj,
        stepAdjustments: steps,
        ...(typeof magnitude === 'number' && { minAdjustmentMagnitude: magnitude }),
      },
    });
  }
}

function importTracking(p: AwsPolicyIn, input: AwsInput, ctx: ImportContext, id: () => string, built: Built): void {
  const key = p.kind === 'ec2' ? 'TargetTrackingConfiguration' : 'TargetTrackingScalingPolicyConfiguration';
  const path = joinPath(p.path, key);
  const cfg = p.props[key];
  if (!isRecord(cfg)) return void refuse(ctx, 'AwsInvalidValue', path, `target tracking policy ${p.name} has no ${key}`);
  const before = ctx.issues.length;
  const target = num(cfg, 'TargetValue', path, input, ctx);
  const disable = bool(cfg, 'DisableScaleIn', path, input, ctx);
  if (ctx.issues.length > before) return;
  if (typeof target !== 'number' || !(target > 0)) return void refuse(ctx, 'AwsInvalidValue', joinPath(path, 'TargetValue'), 'TargetValue must be a positive number');
  let metric: string | undefined;
  if (isRecord(cfg.PredefinedMetricSpecification)) {
    metric = text(cfg.PredefinedMetricSpecification, 'PredefinedMetricType', joinPath(path, 'PredefinedMetricSpecification'), input, ctx) ?? undefined;
  } else if (isRecord(cfg.CustomizedMetricSpecification)) {
    const c = cfg.CustomizedMetricSpecification;
    const cPath = joinPath(path, 'CustomizedMetricSpecification');
    if (Array.isArray(c.Metrics))
      return leaveOut(
        ctx,
        'AwsMetricMathNotSupported',
        joinPath(cPath, 'Metrics'),
        `policy ${p.name} tracks a metric math expression, which edgescale does not evaluate; it is left out`,
      );
    metric = text(c, 'MetricName', cPath, input, ctx) ?? undefined;
    ctx.notes.push(`${p.name}: send "${metric}" as the per-instance value of the customized metric (its Namespace, Dimensions and Statistic are not applied).`);
  }
  if (!metric)
    return void refuse(ctx, 'AwsInvalidValue', path, `target tracking policy ${p.name} needs a PredefinedMetricSpecification or a CustomizedMetricSpecification with MetricName`);
  const cooldowns: Partial<Record<'scaleOutCooldown' | 'scaleInCooldown', number>> = {};
  if (p.kind === 'application') {
    // The policy's ServiceNamespace, else its scalable target's (a template names it on the ScalableTarget).
    const target = input.groups.find((g) => p.group !== undefined && g.aliases.includes(p.group));
    const ns = text(p.props, 'ServiceNamespace', p.path, input, ctx) ?? (target && text(target.props, 'ServiceNamespace', target.path, input, ctx));
    for (const [k, key] of [['ScaleOutCooldown', 'scaleOutCooldown'], ['ScaleInCooldown', 'scaleInCooldown']] as const) {
      const v = num(cfg, k, path, input, ctx);
      if (typeof v === 'number') cooldowns[key] = v;
      else if (v === undefined && typeof ns === 'string') {
        cooldowns[key] = COOLDOWN_300_NAMESPACES.includes(ns) ? 300 : 0;
        ctx.notes.push(`${p.name}: ${k} is not set; AWS's default for ServiceNamespace ${ns} is ${cooldowns[key]} s.`);
      } else if (v === undefined) ctx.notes.push(`${p.name}: ${k} is not set and the input names no ServiceNamespace, so no ${k} applies (AWS's default depends on the service).`);
    }
  }
  let warmupSeconds: number | undefined;
  if (p.kind === 'ec2') {
    // PutScalingPolicy EstimatedInstanceWarmup: else the group's DefaultInstanceWarmup, else its DefaultCooldown.
    const own = num(p.props, 'EstimatedInstanceWarmup', p.path, input, ctx);
    warmupSeconds = typeof own === 'number' ? own : built.defaultWarmup;
  }
  if (ctx.issues.length > before) return;
  if (built.track.some((t) => t.metric === metric))
    return void refuse(ctx, 'AwsInvalidValue', path, `metric ${metric} is already tracked by another policy; AWS requires each target tracking policy to use a different metric`);
  built.origins.push([`awsTargetTracking.policies[${built.track.length}]`, p.path]);
  built.track.push({
    id: id(),
    metric,
    targetValue: target,
    ...(disable === true && { disableScaleIn: true }),
    ...(warmupSeconds !== undefined && { warmupSeconds }),
    ...cooldowns,
  });
}

/** The chosen group and what belongs to it, or undefined (with an issue) when the choice is ambiguous. */
function choose(
  input: AwsInput,
  name: string | undefined,
  ctx: ImportContext,
): { group?: AwsGroupIn; groupName?: string; policies: AwsPolicyIn[]; actions: AwsInput['actions'] } | undefined {
  const groupOf = (aliasOrName: string | undefined) => input.groups.find((g) => aliasOrName !== undefined && g.aliases.includes(aliasOrName));
  // Every group named anywhere, by its canonical name (a group resource's logical id or the name as referenced).
  const canonical = (n: string | undefined) => groupOf(n)?.name ?? n;
  const named = new Set<string>([
    ...input.groups.map((g) => g.name),
    ...input.policies.flatMap((p) => canonical(p.group) ?? []),
    ...input.actions.flatMap((a) => canonical(a.group) ?? []),
  ]);
  const belongs = (g: string | undefined, chosen: string | undefined) => chosen === undefined || canonical(g) === chosen || (g === undefined && named.size <= 1);
  if (name !== undefined) {
    const g = groupOf(name);
    const chosen = g?.name ?? (named.has(name) ? name : undefined);
    if (chosen !== undefined) {
      return {
        ...(g && { group: g }),
        groupName: chosen,
        policies: input.policies.filter((p) => belongs(p.group, chosen)),
        actions: input.actions.filter((a) => belongs(a.group, chosen)),
      };
    }
    const policy = input.policies.filter((p) => p.name === name || p.logicalId === name);
    if (policy.length === 1) {
      const gName = canonical(policy[0]!.group);
      const pg = groupOf(policy[0]!.group);
      return {
        ...(pg && { group: pg }),
        ...(gName !== undefined && { groupName: gName }),
        policies: policy,
        actions: input.actions.filter((a) => gName !== undefined && belongs(a.group, gName)),
      };
    }
    const all = [...named, ...input.policies.map((p) => p.name)];
    return refuse(ctx, 'AwsChooseName', '', `no group or policy is named "${name}"${all.length ? `; the input has ${all.map((n) => `"${n}"`).join(', ')}` : ''}`);
  }
  if (named.size > 1) {
    return refuse(
      ctx,
      'AwsChooseName',
      '',
      `the input holds ${named.size} Auto Scaling groups (${[...named].map((n) => `"${n}"`).join(', ')}); choose one by name (--name, or "name" in the API wrapper)`,
    );
  }
  const only = [...named][0];
  const g = groupOf(only) ?? input.groups[0];
  return { ...(g && { group: g }), ...(only !== undefined && { groupName: only }), policies: input.policies, actions: input.actions };
}

/** The group's bounds, DefaultCooldown and desired capacity. */
function readGroup(g: AwsGroupIn, input: AwsInput, ctx: ImportContext): { min?: number; max?: number; desired?: number; cooldown?: number; warmup?: number } | undefined {
  const ec2 = g.kind === 'ec2';
  const before = ctx.issues.length;
  const min = num(g.props, ec2 ? 'MinSize' : 'MinCapacity', g.path, input, ctx);
  const max = num(g.props, ec2 ? 'MaxSize' : 'MaxCapacity', g.path, input, ctx);
  const desired = ec2 ? num(g.props, 'DesiredCapacity', g.path, input, ctx) : undefined;
  const cooldown = ec2 ? num(g.props, 'DefaultCooldown', g.path, input, ctx) : undefined;
  const warmup = ec2 ? num(g.props, 'DefaultInstanceWarmup', g.path, input, ctx) : undefined;
  if (ctx.issues.length > before) return undefined;
  const mixed = g.props.MixedInstancesPolicy;
  if (ec2 && isRecord(mixed) && JSON.stringify(mixed).includes('WeightedCapacity')) {
    // Instance weighting (ec2-auto-scaling-mixed-instances-groups-instance-weighting): "The size of the
    // Auto Scaling group is measured in capacity units, and not in instances", so the bounds and the
    // policies' capacities are units already; what an instance counts for comes with the request.
    const overrides = isRecord(mixed.LaunchTemplate) && Array.isArray(mixed.LaunchTemplate.Overrides) ? mixed.LaunchTemplate.Overrides : [];
    const weights = overrides.flatMap((o) => (isRecord(o) && o.WeightedCapacity !== undefined ? [`${String(o.InstanceType ?? '?')} = ${String(o.WeightedCapacity)}`] : []));
    ctx.notes.push(
      `The group uses instance weights (${weights.join(', ')}): capacity is in capacity units; send each instance's WeightedCapacity as its \`weight\` in \`instances\`, or the capacity in service as \`inServiceCapacity\`.`,
    );
  }
  if (!ec2 && Array.isArray(g.props.ScheduledActions) && g.props.ScheduledActions.length > 0) {
    leaveOut(
      ctx,
      'AwsApplicationScheduleNotSupported',
      joinPath(g.path, 'ScheduledActions'),
      'Application Auto Scaling scheduled actions (at(), cron(), rate() expressions) are not imported',
    );
  }
  return {
    ...(typeof min === 'number' && { min }),
    ...(typeof max === 'number' && { max }),
    ...(typeof desired === 'number' && { desired }),
    ...(typeof cooldown === 'number' && { cooldown }),
    // -1 removes a default instance warmup (CreateAutoScalingGroup DefaultInstanceWarmup).
    ...(typeof warmup === 'number' && warmup >= 0 && { warmup }),
  };
}

/** Import AWS Auto Scaling policies, scheduled actions and group bounds (JSON/YAML text or a parsed value). */
export function importAwsAutoscaling(input: unknown, options: ImportOptions = {}): ImportResult {
  const ctx = newContext();
  const fail = (): ImportResult => ({ ok: false, issues: ctx.issues });
  const parsed = parseInput(input, ctx);
  if (ctx.issues.length > 0) return fail();
  const aws = readAws(parsed, ctx);
  if (!aws) return fail();
  const chosen = choose(aws, options.name, ctx);
  if (!chosen) return fail();
  const group = chosen.group ? readGroup(chosen.group, aws, ctx) : {};
  if (!group) return fail();
  const ids = new Set<string>();
  const built: Built = { simple: [], step: [], track: [], origins: [], defaultWarmup: group.warmup ?? group.cooldown ?? DEFAULT_COOLDOWN_SECONDS };
  for (const p of chosen.policies) importPolicy(p, aws, ctx, ids, built);
  const bounds: GroupBounds = { ...(group.min !== undefined && { min: group.min }), ...(group.max !== undefined && { max: group.max }) };
  const profiles = chosen.actions.length > 0 ? importSchedule(chosen.actions, aws, bounds, ctx) : [];
  if (ctx.issues.length > 0 || !profiles) return fail();

  let capacity: RuleSetInput['capacity'];
  if (group.min !== undefined && group.max !== undefined) {
    if (group.min > group.max) return (refuse(ctx, 'AwsInvalidValue', chosen.group!.path, `MinSize ${group.min} is above MaxSize ${group.max}`), fail());
    capacity = { minimum: group.min, maximum: group.max, default: Math.min(group.max, Math.max(group.min, group.desired ?? group.min)) };
  } else if (profiles.length > 0) {
    capacity = profiles[0]!.capacity;
    ctx.notes.push(`The input has no group bounds, so the rule set's own capacity repeats profile "${profiles[0]!.name}".`);
  } else {
    capacity = { minimum: 0, maximum: LIMITS.maxCapacity, default: 0 };
    ctx.notes.push(
      `The input has no Auto Scaling group, so capacity is bounded only by 0 and ${LIMITS.maxCapacity}; merge \`aws autoscaling describe-auto-scaling-groups\` output (AutoScalingGroups) into the file for the group's MinSize and MaxSize.`,
    );
  }
  const groupName = chosen.groupName ?? 'aws';
  const ruleSet: RuleSetInput = {
    id: options.id ?? toId(groupName, 'aws'),
    description: `Imported from AWS Auto Scaling (${aws.source === 'cloudformation' ? 'CloudFormation template' : 'AWS CLI describe output'}), group ${groupName}.`,
    capacity,
    rules: [],
    ...(built.track.length > 0 && { awsTargetTracking: { policies: built.track } }),
    ...(built.step.length > 0 && { stepScaling: built.step }),
    ...(built.predictive !== undefined && { predictive: built.predictive }),
    ...(built.simple.length > 0 && { simpleScaling: { defaultCooldown: group.cooldown ?? DEFAULT_COOLDOWN_SECONDS, policies: built.simple } }),
    // An alarm without data does not invoke its policy, and target tracking neither scales out nor in.
    missingData: { policy: 'hold' },
    ...(profiles.length > 0 && { profiles }),
    ...(chosen.groupName !== undefined && { targets: [{ id: toId(groupName, 'aws'), labels: { 'aws.autoScalingGroupName': groupName } }] }),
  };
  if (built.step.some((s) => s.warmupSeconds !== undefined)) {
    ctx.notes.push(
      'Step policies leave out instances still warming up (warmupSeconds) when the request lists `instances` with createdAt, as AWS leaves them out of the metric and of the current capacity.',
    );
  }
  if (built.track.length > 0)
    ctx.notes.push(
      "Target tracking runs as AWS runs it (awsTargetTracking): AlarmHigh above the target for 3 minutes scales out, AlarmLow below 90 % of it for 15 minutes scales in; send the metric's per-instance values each minute, with `instances` (createdAt) for the warm-up (docs/aws-policies.md).",
    );
  if (built.simple.length > 0)
    ctx.notes.push(
      `Simple scaling policies wait ${group.cooldown ?? DEFAULT_COOLDOWN_SECONDS} s (the group's DefaultCooldown) after any scaling activity, or their own Cooldown after an activity they started.`,
    );
  const locate = (native: string) => built.origins.find(([prefix]) => native.startsWith(prefix))?.[1] ?? chosen.group?.path ?? '';
  const compiled = validateConverted(ruleSet, ctx, locate);
  if (!compiled) return fail();
  return { ok: true, ruleSet, compiled, unsupported: ctx.unsupported, notes: ctx.notes };
}
