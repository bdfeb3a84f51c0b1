// fast-check arbitraries for rule sets whose decisions come from the policy families: target tracking, AWS step scaling, the Knative kpa, the predictive policy and Kubernetes behavior.
//
// Same approach as arbitraries.ts: small drafts assembled by plain maps, valid by construction. The
// metric-target pairings follow Kubernetes validation.go (written out here, not read from the engine),
// and step adjustments are two adjacent ranges on the breaching side of their alarm, so AWS's
// no-gap/no-overlap rules hold.
import fc from 'fast-check';
import type { RuleSetInput } from '../../src/schema.js';
import { BASE_NOW, boundsArb, capacityDraft, capacityFrom, compact, METRIC_NAMES, metricsAt, metricsDraftArb, type Scenario } from './arbitraries.js';

type TargetTrackingInput = NonNullable<RuleSetInput['targetTracking']>[number];
type StepScalingInput = NonNullable<RuleSetInput['stepScaling']>[number];
type BehaviorInput = NonNullable<RuleSetInput['behavior']>;

const metricName = fc.constantFrom(...METRIC_NAMES);

/** validation.go validate*Source: which MetricSpec types take which target type. */
const SOURCES_FOR: Record<'Utilization' | 'AverageValue' | 'Value', ReadonlyArray<NonNullable<TargetTrackingInput['source']>>> = {
  Utilization: ['Resource', 'ContainerResource'],
  AverageValue: ['Resource', 'ContainerResource', 'Pods', 'Object', 'External'],
  Value: ['Object', 'External'],
};

/** A Kubernetes quantity as a number or in its string forms ("500m", "1.5k"). */
const quantity = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constantFrom('500m', '250m', '1.5k', '0.1', '75'));

const targetDraft = fc.oneof(
  fc.record({ type: fc.constant('Utilization' as const), averageUtilization: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ type: fc.constant('AverageValue' as const), averageValue: quantity }),
  fc.record({ type: fc.constant('Value' as const), value: quantity }),
);

const targetTrackingDraft = fc.record({
  metric: metricName,
  target: targetDraft,
  // An index into the sources the target allows; -1 leaves `source` out (the engine's default pairing).
  source: fc.integer({ min: -1, max: 4 }),
  window: fc.option(fc.constantFrom('PT30S', 'PT1M', 'PT5M'), { nil: undefined }),
  disableScaleIn: fc.option(fc.boolean(), { nil: undefined }),
});

function assembleTargetTracking(d: typeof targetTrackingDraft extends fc.Arbitrary<infer T> ? T : never, index: number): TargetTrackingInput {
  const sources = SOURCES_FOR[d.target.type];
  const source = d.source < 0 ? undefined : sources[d.source % sources.length];
  return compact({ id: `tt${index}`, metric: d.metric, target: d.target, source, window: d.window, disableScaleIn: d.disableScaleIn }) as TargetTrackingInput;
}

const stepDraft = fc.record({
  metric: metricName,
  up: fc.boolean(),
  inclusive: fc.boolean(),
  threshold: fc.integer({ min: 0, max: 100 }),
  statistic: fc.option(fc.constantFrom('Average', 'Minimum', 'Maximum', 'Sum', 'SampleCount') as fc.Arbitrary<'Average' | 'Minimum' | 'Maximum' | 'Sum' | 'SampleCount'>, {
    nil: undefined,
  }),
  adjustmentType: fc.constantFrom('ChangeInCapacity', 'PercentChangeInCapacity', 'ExactCapacity') as fc.Arbitrary<'ChangeInCapacity' | 'PercentChangeInCapacity' | 'ExactCapacity'>,
  // Size of the first range, and the adjustments of the near and the far range (0 is AWS's "Unchanged").
  span: fc.integer({ min: 1, max: 50 }),
  near: fc.integer({ min: 0, max: 100 }),
  far: fc.integer({ min: 0, max: 100 }),
  minAdjustmentMagnitude: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  window: fc.option(fc.constantFrom('PT1M', 'PT5M'), { nil: undefined }),
});

function assembleStep(d: typeof stepDraft extends fc.Arbitrary<infer T> ? T : never, index: number): StepScalingInput {
  // ExactCapacity sets the capacity (non-negative); the others add above the threshold and remove below it.
  const sign = d.adjustmentType === 'ExactCapacity' || d.up ? 1 : -1;
  const near = sign * d.near;
  const far = sign * d.far;
  const stepAdjustments = d.up
    ? [
        { metricIntervalLowerBound: 0, metricIntervalUpperBound: d.span, scalingAdjustment: near },
        { metricIntervalLowerBound: d.span, scalingAdjustment: far },
      ]
    : [
        { metricIntervalLowerBound: -d.span, metricIntervalUpperBound: 0, scalingAdjustment: near },
        { metricIntervalUpperBound: -d.span, scalingAdjustment: far },
      ];
  const comparison = d.up
    ? d.inclusive
      ? 'GreaterThanOrEqualToThreshold'
      : 'GreaterThanThreshold'
    : d.inclusive
      ? 'LessThanOrEqualToThreshold'
      : 'LessThanThreshold';
  return compact({
    id: `step${index}`,
    window: d.window,
    policy: compact({
      metric: d.metric,
      statistic: d.statistic,
      threshold: d.threshold,
      comparison,
      adjustmentType: d.adjustmentType,
      stepAdjustments,
      minAdjustmentMagnitude: d.adjustmentType === 'PercentChangeInCapacity' ? d.minAdjustmentMagnitude : undefined,
    }),
  }) as StepScalingInput;
}

const scalingRulesDraft = fc.record(
  {
    stabilizationWindowSeconds: fc.oneof(fc.constantFrom(0, 60, 300), fc.integer({ min: 0, max: 3600 })),
    selectPolicy: fc.constantFrom('Max', 'Min', 'Disabled') as fc.Arbitrary<'Max' | 'Min' | 'Disabled'>,
    policies: fc.array(
      fc.record({
        type: fc.constantFrom('Pods', 'Percent') as fc.Arbitrary<'Pods' | 'Percent'>,
        value: fc.integer({ min: 1, max: 200 }),
        periodSeconds: fc.oneof(fc.constantFrom(15, 60), fc.integer({ min: 1, max: 1800 })),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    tolerance: fc.constantFrom(0, '0.05', 0.1, '500m'),
  },
  { requiredKeys: [] },
);

/** A Knative kpa policy within Knative's own ranges (config.go validate, annotation_validation.go). */
const kpaDraft = fc.record(
  {
    metric: metricName,
    scalingMetric: fc.constantFrom('concurrency' as const, 'rps' as const),
    target: fc.constantFrom(0.5, 1, 10, 100),
    targetUtilizationPercentage: fc.integer({ min: 1, max: 100 }),
    stableWindow: fc.constantFrom('PT6S', 'PT60S', 'PT5M'),
    panicWindowPercentage: fc.integer({ min: 1, max: 100 }),
    panicThresholdPercentage: fc.integer({ min: 110, max: 1000 }),
    maxScaleUpRate: fc.constantFrom(1.1, 2, 1000),
    maxScaleDownRate: fc.constantFrom(1.1, 2, 10),
    scaleDownDelay: fc.constantFrom('PT0S', 'PT30S', 'PT5M'),
    activationScale: fc.integer({ min: 2, max: 5 }),
    initialScale: fc.integer({ min: 0, max: 5 }),
    enableScaleToZero: fc.boolean(),
    scaleToZeroGracePeriod: fc.constantFrom('PT1S', 'PT30S'),
    targetBurstCapacity: fc.constantFrom(-1, 0, 211),
    reachable: fc.boolean(),
  },
  { requiredKeys: ['metric'] },
);

/** A predictive policy over the short generated series: a season of minutes, every method and mode, no minimum history. */
const predictiveDraft = fc.record({
  metric: metricName,
  targetValue: fc.constantFrom(0.5, 10, 50, 100),
  method: fc.constantFrom('seasonalNaive' as const, 'seasonalMax' as const, 'seasonalPercentile' as const, 'holtWinters' as const),
  season: fc.constantFrom('PT2M', 'PT5M', 'PT10M'),
  seasons: fc.integer({ min: 1, max: 4 }),
  percentile: fc.constantFrom(1, 50, 90, 100),
  step: fc.constant('PT1M'),
  history: fc.constantFrom('PT1H', 'PT20M'),
  minimumHistory: fc.constant('PT0S'),
  horizon: fc.constantFrom('PT5M', 'PT30M'),
  mode: fc.constantFrom('ForecastOnly' as const, 'ForecastAndScale' as const),
  schedulingBuffer: fc.constantFrom('PT0S', 'PT5M'),
});

const behaviorDraft: fc.Arbitrary<BehaviorInput> = fc.record({ scaleUp: scalingRulesDraft, scaleDown: scalingRulesDraft }, { requiredKeys: [] });

const policySetDraft = fc
  .record({
    bounds: boundsArb,
    targetTracking: fc.array(targetTrackingDraft, { maxLength: 3 }),
    stepScaling: fc.array(stepDraft, { maxLength: 2 }),
    kpa: fc.option(kpaDraft, { nil: undefined, freq: 3 }),
    predictive: fc.option(predictiveDraft, { nil: undefined, freq: 3 }),
    behavior: fc.option(behaviorDraft, { nil: undefined }),
    missingData: fc.option(
      fc.oneof(
        fc.constant({ policy: 'azure' as const }),
        fc.constant({ policy: 'hold' as const }),
        fc.record({ policy: fc.constant('fallback' as const), fallbackCapacity: fc.nat({ max: 40 }), fallbackAfter: fc.integer({ min: 1, max: 3 }) }),
      ),
      { nil: undefined },
    ),
  })
  // At least one policy, so every generated set is decided by the families under test.
  .filter((d) => d.targetTracking.length + d.stepScaling.length > 0 || d.kpa !== undefined || d.predictive !== undefined);

function assemblePolicySet(d: typeof policySetDraft extends fc.Arbitrary<infer T> ? T : never): RuleSetInput {
  const missingData = d.missingData && 'fallbackCapacity' in d.missingData
    ? { ...d.missingData, fallbackCapacity: Math.min(Math.max(d.missingData.fallbackCapacity, d.bounds.minimum), d.bounds.maximum) }
    : d.missingData;
  return compact({
    id: 'prop-policies',
    capacity: d.bounds,
    rules: [],
    targetTracking: d.targetTracking.length > 0 ? d.targetTracking.map(assembleTargetTracking) : undefined,
    stepScaling: d.stepScaling.length > 0 ? d.stepScaling.map(assembleStep) : undefined,
    kpa: d.kpa,
    predictive: d.predictive,
    behavior: d.behavior,
    missingData,
  }) as RuleSetInput;
}

/** Scenarios whose rule set decides through target tracking, step scaling, the kpa and the predictive policy, with or without behavior. */
export const policyScenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    ruleSet: policySetDraft,
    nowOffset: fc.integer({ min: 0, max: 7 * 86_400 }).map((s) => s * 1000),
    capacity: capacityDraft,
    metrics: metricsDraftArb,
    // The state a decision some seconds earlier returned (HPA history included), or none at all.
    previous: fc.option(fc.record({ ageMs: fc.constantFrom(15_000, 60_000, 120_000, 290_000, 600_000), capacity: capacityDraft }), { nil: undefined, freq: 2 }),
  })
  .map((d) => {
    const now = BASE_NOW + d.nowOffset;
    const bounds = d.ruleSet.bounds;
    return {
      ruleSet: assemblePolicySet(d.ruleSet),
      now,
      target: { id: 't1', capacity: capacityFrom(d.capacity, bounds), metrics: metricsAt(d.metrics, now) },
      state: d.previous ? { kind: 'previous' as const, ageMs: d.previous.ageMs, capacity: capacityFrom(d.previous.capacity, bounds) } : { kind: 'none' as const },
    };
  });
