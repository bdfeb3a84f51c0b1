// What flows between the stages: a recommendation, the notes that explain it, and the blocks set on rules.
import type { Direction } from '../../schemas/vocabulary.js';
import type { FlappingCheck, RuleTrace } from '../../schemas/decision.js';
import type { BlockCode, DecisionCode } from '../../schemas/codes.js';
import type { MissingDataPolicy } from '../policies/missing-data.js';

/**
 * Note: why the recommendation is what it is. Stages write structured notes; `explain` (explain.ts)
 * is the only place that turns them into sentences. A policy's notes start the reason; each
 * governor's note replaces it, is appended to it, or frames it (`NOTE_MODE` in explain.ts).
 */
export type Note =
  // --- the Azure rules and the missing-data policy (policies/rules.ts, policies/missing-data.ts)
  | { kind: 'noRules' }
  | { kind: 'noPolicyAsks' }
  | { kind: 'ruleFired'; trace: RuleTrace; everyIn?: readonly string[] }
  | { kind: 'ruleAsksNoChange'; rule: string; capacity: number; bounded: number; direction: Direction }
  | { kind: 'scaleInNotUnanimous'; notFired: readonly RuleTrace[] }
  | { kind: 'noRuleFired'; failed: readonly string[] }
  | {
      kind: 'missingFallback';
      metrics: readonly string[];
      count: number;
      to: number;
      inEffect: boolean;
      /** KEDA's currentReplicasIfHigher / IfLower: `to` is the current capacity or `fallback`, whichever is higher / lower. */
      behavior?: 'currentIfHigher' | 'currentIfLower';
      fallback?: number;
    }
  | { kind: 'missingDefault'; metrics: readonly string[]; to: number }
  // unscoped: only metrics outside missingData.fallbackMetrics have no data, so the fallback does not apply.
  | { kind: 'missingHold'; metrics: readonly string[]; policy: MissingDataPolicy; count: number; fallbackAfter: number; unscoped?: true }
  // --- the families beside the rules, and how they were combined (pipeline/combine.ts)
  | { kind: 'familyDecides'; label: string; message: string }
  | { kind: 'floorHolds'; label: string; message: string; capacity: number }
  | { kind: 'familyRemark'; label: string; message: string }
  | { kind: 'floorLimits'; label: string; message: string; capacity: number; by: string; asks: number }
  | { kind: 'largestWins'; label: string; capacity: number; keeper: 'rules' | 'missingData'; keeps: number }
  // --- governors (governors/*.ts)
  | { kind: 'behaviorShortcut'; message: string }
  | { kind: 'behavior'; reason: string; from: number; to: number; message: string }
  | { kind: 'cooldown'; direction: Direction; until: number; setter: string | null; rule: string | null }
  | { kind: 'clamp'; wanted: number; to: number; bound: 'minimum' | 'maximum' }
  | { kind: 'flappingDeferred'; from: number; to: number; check: FlappingCheck }
  | { kind: 'flappingReduced'; from: number; to: number; check: FlappingCheck }
  // fallback: active because the missing-data fallback is in effect for this metric (scaleToZero.activeOnFallback), not by its value.
  | {
      kind: 'activation';
      code: 'ActivationNotReached' | 'Activated' | 'DeactivationBlocked' | 'Deactivated';
      metric: string;
      value?: number;
      threshold: number;
      replaces: boolean;
      at: number;
      fallback?: true;
    }
  | { kind: 'placement'; reason: string }
  | { kind: 'bounds'; minimum: number; maximum: number; then: boolean };

/** Why a rule that fired did not get its way; explain.ts words the message. */
export type Block =
  | { rule: string; code: 'NotLargest'; by: string; capacity: number; direction: Direction }
  | { rule: string; code: 'NoIncrease' | 'NoDecrease'; capacity: number; bounded: number }
  | { rule: string; code: 'OutranFirst' }
  | { rule: string; code: 'MissingData'; metrics: readonly string[] }
  | { rule: string; code: 'NotUnanimous'; notFired: readonly string[] }
  | { rule: string; code: Extract<BlockCode, 'CooldownActive' | 'ClampedToMax' | 'ClampedToMin' | 'FlappingPrevented'>; note: Note };

/**
 * What a policy asks for and what each governor passes on: scale to `to`, or hold at the bounded
 * current capacity. `rule` is the rule (or policy id) that decides, whose cooldown a scale starts.
 */
export interface Recommendation {
  readonly kind: 'scale' | 'hold';
  readonly to: number;
  readonly direction?: Direction;
  readonly rule: string | null;
  readonly cooldownMs: number;
  readonly code: DecisionCode;
  /** The code the policies gave, before any governor (a flapping reduction above a clamp restores it). */
  readonly policyCode: DecisionCode;
  /** Why, in order; a governor that replaces the reason keeps only its own note. */
  readonly notes: readonly Note[];
  /** Fixed by a shortcut or a cooldown: only placement and the bounds still apply. */
  readonly settled?: boolean;
  /**
   * Outside the bounds on purpose, its notes saying why (KEDA's executor idles below the minimum):
   * the bounds governor leaves it. A governor that changes the capacity after it clears this.
   */
  readonly ownsBounds?: boolean;
}

/** A recommendation to scale, as a policy makes it. */
export function scaleTo(to: number, bounded: number, rule: string | null, cooldownMs: number, code: DecisionCode, note: Note): Recommendation {
  return { kind: 'scale', to, direction: to > bounded ? 'out' : 'in', rule, cooldownMs, code, policyCode: code, notes: [note] };
}

/** A recommendation to stay at the bounded current capacity. */
export function holdAt(bounded: number, code: DecisionCode, note: Note): Recommendation {
  return { kind: 'hold', to: bounded, rule: null, cooldownMs: 0, code, policyCode: code, notes: [note] };
}

/** One family's capacity beside the rules (target tracking, step scaling, …); the largest wins. */
export interface Proposal {
  source: string;
  id: string;
  capacity: number;
  /** The family's own sentence for it, without a full stop (upstream messages, e.g. Kubernetes'). */
  message: string;
  /** How reasons name the proposer: "target tracking (cpu)", "step scaling policy out-1". */
  label: string;
  /** A floor (the predictive policy): it raises capacity, and lowers it only when another policy asks for less. */
  floor?: boolean;
}
