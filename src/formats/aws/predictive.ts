// An AWS PredictiveScaling policy → a native `predictive` policy: Mode, SchedulingBufferTime, MaxCapacityBreachBehavior, MaxCapacityBuffer, the load metric and TargetValue.
//
// Sources: EC2 Auto Scaling API Reference, PredictiveScalingConfiguration (Mode default ForecastOnly;
// SchedulingBufferTime in seconds, default 300, "must be less than the forecast interval duration of 3600
// seconds"; MaxCapacityBreachBehavior default HonorMaxCapacity; MaxCapacityBuffer 0..100, required with
// IncreaseMaxCapacity), PredictiveScalingMetricSpecification (TargetValue; a metric pair, or a load and a
// scaling metric; "consumes data points for the load metric over the last 14 days"; "a minimum of 24 hours
// of data is required") and PredictiveScalingPredefinedMetricPair / PredictiveScalingPredefinedLoadMetric
// (the metric types below); Application Auto Scaling's PredictiveScalingPolicyConfiguration has the same fields.
import type { RuleSetInput } from '../../schema.js';
import { isRecord } from '../../util/is-record.js';
import { joinPath, type ImportContext } from '../import-context.js';
import { leaveOut, num, refuse, text, type AwsInput, type AwsPolicyIn } from './read.js';

/** A metric pair's load metric (PredictiveScalingPredefinedMetricPair → PredictiveScalingPredefinedLoadMetric). */
const PAIR_LOAD_METRIC: Record<string, string> = {
  ASGCPUUtilization: 'ASGTotalCPUUtilization',
  ASGNetworkIn: 'ASGTotalNetworkIn',
  ASGNetworkOut: 'ASGTotalNetworkOut',
  ALBRequestCount: 'ALBTargetGroupRequestCount',
  ECSServiceCPUUtilization: 'ECSServiceTotalCPUUtilization',
  ECSServiceMemoryUtilization: 'ECSServiceTotalMemoryUtilization',
};

/** AWS: SchedulingBufferTime "must be less than the forecast interval duration of 3600 seconds". */
const AWS_MAX_SCHEDULING_BUFFER_SECONDS = 3599;

/** The native policy for one PredictiveScaling policy, or undefined (reported). */
export function importPredictiveScaling(p: AwsPolicyIn, input: AwsInput, ctx: ImportContext): RuleSetInput['predictive'] | undefined {
  const key = p.kind === 'ec2' ? 'PredictiveScalingConfiguration' : 'PredictiveScalingPolicyConfiguration';
  const path = joinPath(p.path, key);
  const cfg = p.props[key];
  if (!isRecord(cfg)) return refuse(ctx, 'AwsInvalidValue', path, `predictive policy ${p.name} has no ${key}`);
  const before = ctx.issues.length;
  const specs = cfg.MetricSpecifications;
  const specsPath = joinPath(path, 'MetricSpecifications');
  // "This is an array, but we currently only support a single metric specification."
  if (!Array.isArray(specs) || specs.length !== 1 || !isRecord(specs[0]))
    return refuse(ctx, 'AwsInvalidValue', specsPath, 'MetricSpecifications must hold exactly one metric specification (AWS)');
  const spec = specs[0];
  const specPath = `${specsPath}[0]`;
  const target = num(spec, 'TargetValue', specPath, input, ctx);
  const mode = text(cfg, 'Mode', path, input, ctx);
  const buffer = num(cfg, 'SchedulingBufferTime', path, input, ctx);
  const behavior = text(cfg, 'MaxCapacityBreachBehavior', path, input, ctx);
  const maxBuffer = num(cfg, 'MaxCapacityBuffer', path, input, ctx);
  if (ctx.issues.length > before) return undefined;
  if (typeof target !== 'number' || !(target > 0)) return refuse(ctx, 'AwsInvalidValue', joinPath(specPath, 'TargetValue'), 'TargetValue must be a positive number');
  if (mode != null && mode !== 'ForecastOnly' && mode !== 'ForecastAndScale')
    return refuse(ctx, 'AwsInvalidValue', joinPath(path, 'Mode'), `Mode must be ForecastOnly or ForecastAndScale, not "${mode}"`);
  if (behavior != null && behavior !== 'HonorMaxCapacity' && behavior !== 'IncreaseMaxCapacity')
    return refuse(
      ctx,
      'AwsInvalidValue',
      joinPath(path, 'MaxCapacityBreachBehavior'),
      `MaxCapacityBreachBehavior must be HonorMaxCapacity or IncreaseMaxCapacity, not "${behavior}"`,
    );
  if (buffer != null && !(Number.isInteger(buffer) && buffer >= 0 && buffer <= AWS_MAX_SCHEDULING_BUFFER_SECONDS))
    return refuse(ctx, 'AwsInvalidValue', joinPath(path, 'SchedulingBufferTime'), 'SchedulingBufferTime must be a whole number of seconds less than 3600');
  if (maxBuffer != null && !(Number.isInteger(maxBuffer) && maxBuffer >= 0 && maxBuffer <= 100))
    return refuse(ctx, 'AwsInvalidValue', joinPath(path, 'MaxCapacityBuffer'), 'MaxCapacityBuffer must be a whole percentage from 0 to 100');

  // "Required if the MaxCapacityBreachBehavior property is set to IncreaseMaxCapacity, and cannot be used otherwise."
  if ((behavior === 'IncreaseMaxCapacity') !== (maxBuffer != null))
    return refuse(ctx, 'AwsInvalidValue', joinPath(path, 'MaxCapacityBuffer'), 'MaxCapacityBuffer is required with IncreaseMaxCapacity and cannot be used otherwise (AWS)');
  let metric: string | undefined;
  if (isRecord(spec.PredefinedMetricPairSpecification)) {
    const type = text(spec.PredefinedMetricPairSpecification, 'PredefinedMetricType', joinPath(specPath, 'PredefinedMetricPairSpecification'), input, ctx);
    if (type) metric = PAIR_LOAD_METRIC[type] ?? type;
  } else if (isRecord(spec.PredefinedLoadMetricSpecification)) {
    metric = text(spec.PredefinedLoadMetricSpecification, 'PredefinedMetricType', joinPath(specPath, 'PredefinedLoadMetricSpecification'), input, ctx) ?? undefined;
  } else if (isRecord(spec.CustomizedLoadMetricSpecification)) {
    leaveOut(
      ctx,
      'AwsCustomizedMetricNotSupported',
      joinPath(specPath, 'CustomizedLoadMetricSpecification'),
      `predictive policy ${p.name} reads its load from CloudWatch metric data queries, which edgescale does not run; it is left out`,
    );
    return undefined;
  }
  if (!metric) return refuse(ctx, 'AwsInvalidValue', specPath, `predictive policy ${p.name} needs a PredefinedMetricPairSpecification or a PredefinedLoadMetricSpecification`);
  ctx.notes.push(
    `${p.name}: send "${metric}" with its history (AWS reads 14 days, needs at least 24 hours) as the group's total load; the forecast is edgescale's — the busiest of the same 5 minutes over the last 7 days (docs/predictive.md) — not AWS's unpublished model, and each instance carries ${target}.`,
  );
  const increase = behavior === 'IncreaseMaxCapacity';
  return {
    metric,
    targetValue: target,
    method: 'seasonalMax',
    season: 'P1D',
    seasons: 7,
    minimumHistory: 'P1D',
    mode: mode ?? 'ForecastOnly',
    schedulingBuffer: `PT${buffer ?? 300}S`,
    maxCapacityBreachBehavior: increase ? 'IncreaseMaxCapacity' : 'HonorMaxCapacity',
    ...(increase && { maxCapacityBuffer: maxBuffer! }),
  };
}
