// The shapes the core returns: a decision per target, its trace, and the state to send back next time.
import type { Direction, Operator } from './vocabulary.js';
import type { ExprError } from './expr.js';
import type { ProfileTraceEntry } from './profiles.js';
import type { TargetTrackingTrace } from './policies/target-tracking.js';
import type { StepScalingTrace } from './policies/step-scaling.js';
import type { FlappingResult } from './flapping.js';
import type { HpaNormalizeTrace } from './hpa.js';
import type { HpaHistory } from '../schemas/hpa-behavior.js';
import type { ScaleInPlan, ScaleOutPlan, PlacementError } from './placement.js';
import type { CooldownMode } from './cooldown.js';

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
  'ProtectionLimitsScaleIn',
  'ScaleUpStabilized',
  'ScaleDownStabilized',
  'ScaleUpLimit',
  'ScaleDownLimit',
] as const;
export type DecisionCode = (typeof DECISION_CODES)[number];

/** What happened to one rule. */
export const RULE_STATUSES = ['Fired', 'NotMet', 'MissingData', 'RuleError'] as const;
type RuleStatus = (typeof RULE_STATUSES)[number];

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
export type BlockCode = (typeof BLOCK_CODES)[number];

export interface MetricConditionTrace {
  kind: 'metric';
  metric: string;
  timeGrain: string;
  statistic: string;
  timeWindow: string;
  timeAggregation: string;
  /** Grains and samples that fed the value. */
  grains: number;
  samples: number;
  /** Aggregated value before dividing per instance. */
  aggregated?: number;
  dividedBy?: number;
  /** The value compared with the threshold. */
  value?: number;
  operator: Operator;
  threshold: number;
}

export interface ExprConditionTrace {
  kind: 'expression';
  expr: string;
  window: string;
  value?: unknown;
  /** work units the expression used (src/engine/expr-budgets.ts) */
  work?: number;
}

export interface RuleTrace {
  rule: string;
  direction: Direction;
  status: RuleStatus;
  condition: MetricConditionTrace | ExprConditionTrace;
  /** The action as written ("+1", "-50 %", "set 5", "set by expression"). */
  action: string;
  /** Capacity this rule asks for, when it fired. */
  capacity?: number;
  /** Metric names without data in the window, when status is MissingData. */
  missing?: string[];
  error?: ExprError & { path: string };
  blocked?: { code: BlockCode; message: string };
}

export interface Trace {
  capacity: { current: number; bounded: number; minimum: number; maximum: number; default: number };
  profile: { code: string; message: string; profiles: ProfileTraceEntry[] };
  rules: RuleTrace[];
  scaleOut: { fired: string[]; wants?: number; rule?: string };
  scaleIn: { fired: string[]; required: string[]; unanimous: boolean; wants?: number; rule?: string };
  missingData?: { metrics: string[]; behaviour: string; stale?: string[] };
  cooldown: { mode: CooldownMode; out?: string; in?: string };
  clamp?: { wanted: number; to: number; bound: 'minimum' | 'maximum' };
  /** Target tracking and step scaling proposals, and which family decided. */
  policies?: {
    targetTracking?: TargetTrackingTrace;
    stepScaling?: StepScalingTrace[];
    proposals: Array<{ source: string; id: string; capacity: number }>;
    decidedBy?: string;
  };
  /** Kubernetes behavior: stabilization window pick, each policy's limit, the reason. */
  hpa?: { reason: string; message: string; replicas: number } & HpaNormalizeTrace;
  /** Azure flapping prevention: the projections made before a scale-in. */
  flapping?: FlappingResult;
  /** KEDA-style activation. */
  activation?: { metric: string; value?: number; threshold: number; active: boolean };
}

export interface StateOut {
  version: 1;
  lastScale?: { at: string; direction: Direction; rule: string | null; from: number; to: number };
  cooldownUntil: { out?: string; in?: string };
  hpa?: HpaHistory;
  missingCount?: number;
}

export interface Decision {
  target: string;
  ruleSet: string;
  /** The profile whose bounds and rules applied, and the next scheduled change. */
  profile: { name: string; kind: string; code: string; since?: string; nextChange: { at: string; to: string } | null };
  /** The actuator this decision is for (the rule set's `actuator`, default "default"). */
  actuator: string;
  /** SHA-256 of the canonical inputs: stable across retries, usable as an idempotency key. */
  decisionId: string;
  now: string;
  action: 'scaleOut' | 'scaleIn' | 'none';
  from: number;
  to: number;
  code: DecisionCode;
  reason: string;
  /** The rule that decided, or null when no rule did (bounds, missing data, nothing fired). */
  rule: string | null;
  trace: Trace;
  state: StateOut;
  /** With `instances` in the request: where to add, or exactly which instances to remove. */
  placement?: ScaleOutPlan | ScaleInPlan | PlacementError;
}

/** Who asked for a decision (SECURITY.md, "Credentials and scopes"); part of the delivered, signed body. */
export interface RequestedBy {
  /** The credential's id; "local-dev" (the dev switch), "cron" and "cli" name the callers without one. */
  credential: string;
  kind: 'token' | 'webhook' | 'cron' | 'local-dev' | 'cli';
}

/** The rule set that decided and where it came from; `hash` is its spec hash (`specHash`, src/engine/ruleset.ts). */
export interface RuleSetOrigin {
  id: string;
  source: 'bundled' | 'inline' | 'imported';
  hash: string;
}

/** A decision as the API answers and delivers it: the engine's decision, who asked for it, and which rule set decided. */
export interface AttributedDecision extends Decision {
  requestedBy: RequestedBy;
  ruleSetOrigin: RuleSetOrigin;
}
