// The policy families beside the rules (target tracking, step scaling, behavior, scale-to-zero, missing data), normalized once at load.
import type { RuleSet } from '../schema.js';
import { applyHpaBehaviorDefaults, type HpaBehaviorDefaulted } from '../schemas/hpa-behavior.js';
import { acceptedDurationMs } from './duration.js';
import { resolveTolerances, targetMilliValue, type HpaTolerances } from './hpa.js';

type TargetTrackingRule = NonNullable<RuleSet['targetTracking']>[number];
type StepScalingRule = NonNullable<RuleSet['stepScaling']>[number];

interface CompiledTargetTracking {
  readonly rule: TargetTrackingRule;
  readonly windowMs: number;
  /** The target quantity's MilliValue (AverageValue and Value targets). */
  readonly targetMilli?: number;
}

interface CompiledStepScaling {
  readonly rule: StepScalingRule;
  readonly windowMs: number;
}

interface CompiledScaleToZero {
  readonly metric: string;
  readonly activationThreshold: number;
  readonly windowMs: number;
}

interface CompiledMissingData {
  readonly policy: 'azure' | 'hold' | 'fallback';
  readonly fallbackAfter: number;
  /** Always set for the "fallback" policy (the schema requires it). */
  readonly fallbackCapacity?: number;
  /** Data older than this is stale; absent when the rule set sets no maxAge. */
  readonly maxAgeMs?: number;
}

export interface CompiledPolicies {
  readonly targetTracking: readonly CompiledTargetTracking[];
  /** The HPA tolerances target tracking uses: behavior's when set, the cluster default otherwise. */
  readonly tolerances: HpaTolerances;
  readonly stepScaling: readonly CompiledStepScaling[];
  /**
   * Present when Kubernetes behavior normalization applies (an explicit `behavior`, or any target
   * tracking); `behavior` is the defaulted behavior, absent for the controller's older path.
   */
  readonly hpa?: { readonly behavior?: HpaBehaviorDefaulted };
  readonly scaleToZero?: CompiledScaleToZero;
  readonly missingData: CompiledMissingData;
}

/** kube-controller-manager's --horizontal-pod-autoscaler-tolerance default. */
const CLUSTER_TOLERANCE = 0.1;

/** Azure's missing-data behaviour, and KEDA's fallbackAfter default, when the rule set says nothing. */
const DEFAULT_MISSING_DATA: CompiledMissingData = { policy: 'azure', fallbackAfter: 3 };

function compileTolerances(behavior: RuleSet['behavior']): HpaTolerances {
  // The schema already validated the tolerance quantities, so this resolves.
  const resolved = resolveTolerances(behavior, CLUSTER_TOLERANCE);
  return resolved.ok ? resolved.tolerances : { scaleUp: CLUSTER_TOLERANCE, scaleDown: CLUSTER_TOLERANCE };
}

function compileMissingData(spec: RuleSet['missingData']): CompiledMissingData {
  if (!spec) return DEFAULT_MISSING_DATA;
  const { maxAge, ...rest } = spec;
  return { ...rest, ...(maxAge !== undefined && { maxAgeMs: acceptedDurationMs(maxAge) }) };
}

function compileTargetTracking(rule: TargetTrackingRule): CompiledTargetTracking {
  const targetMilli = targetMilliValue(rule.target);
  return { rule, windowMs: acceptedDurationMs(rule.window), ...(targetMilli !== undefined && { targetMilli }) };
}

/** Every policy family of a schema-valid rule set, with durations in milliseconds and defaults applied. */
export function compilePolicies(spec: RuleSet): CompiledPolicies {
  const targetTracking = (spec.targetTracking ?? []).map(compileTargetTracking);
  const z = spec.scaleToZero;
  const normalizes = spec.behavior !== undefined || targetTracking.length > 0;
  const behavior = applyHpaBehaviorDefaults(spec.behavior);
  return {
    targetTracking,
    tolerances: compileTolerances(spec.behavior),
    stepScaling: (spec.stepScaling ?? []).map((rule) => ({ rule, windowMs: acceptedDurationMs(rule.window) })),
    ...(normalizes && { hpa: behavior ? { behavior } : {} }),
    ...(z && { scaleToZero: { metric: z.metric, activationThreshold: z.activationThreshold, windowMs: acceptedDurationMs(z.window) } }),
    missingData: compileMissingData(spec.missingData),
  };
}
