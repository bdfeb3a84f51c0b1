// Kubernetes behavior: stabilization windows and rate limits on the raw recommendation (hpa/normalize.ts), as reconcileAutoscaler orders them.
import { applyHpaBehaviorDefaults, type HpaBehaviorDefaulted } from '../../schemas/hpa-behavior.js';
import type { DecisionCode } from '../../schemas/codes.js';
import type { Direction } from '../../schemas/vocabulary.js';
import { historyWithoutRecommendation } from '../hpa/history.js';
import { HPA_SHORTCUT_REASONS, normalizeWithBehavior, normalizeWithoutBehavior } from '../hpa/normalize.js';
import type { Governor } from './governor.js';

interface CompiledBehavior {
  /** The defaulted behavior; absent for the controller's older path (no `behavior`, target tracking only). */
  readonly behavior?: HpaBehaviorDefaulted;
  /** With scaleToZero, 0 is KEDA's to leave (activation), not "scaling disabled". */
  readonly scaleToZero: boolean;
  /** hpaController's scale-up limit without behavior (horizontal.go scaleUpLimitFactor / scaleUpLimitMinimum when unset). */
  readonly upLimit: { scaleUpLimitFactor?: number; scaleUpLimitMinimum?: number };
}

/** The reasons that name a limit or window, as decision codes; any other reason keeps the recommendation's code. */
const HPA_CODES: Partial<Record<string, DecisionCode>> = {
  ScaleUpStabilized: 'ScaleUpStabilized',
  ScaleDownStabilized: 'ScaleDownStabilized',
  ScaleUpLimit: 'ScaleUpLimit',
  ScaleDownLimit: 'ScaleDownLimit',
  TooManyReplicas: 'ClampedToMax',
  TooFewReplicas: 'ClampedToMin',
};

/**
 * horizontal.go normalizeDesiredReplicas[WithBehaviors]. Applies to rule sets with target tracking or
 * an explicit `behavior`, which follow reconcileAutoscaler's order: a current count of 0 with a minimum
 * above 0 (scaling disabled) or outside [min, max] short-cuts everything; when target tracking alone
 * has an opinion and no metric gave a recommendation, the controller returns before normalizing, so
 * nothing of this evaluation is stored.
 */
export const behaviorGovernor: Governor<CompiledBehavior> = {
  name: 'behavior',
  compile(spec) {
    if (spec.behavior === undefined && (spec.targetTracking ?? []).length === 0) return undefined;
    const behavior = applyHpaBehaviorDefaults(spec.behavior);
    const { scaleUpLimitFactor, scaleUpLimitMinimum } = spec.hpaController ?? {};
    const upLimit = { ...(scaleUpLimitFactor !== undefined && { scaleUpLimitFactor }), ...(scaleUpLimitMinimum !== undefined && { scaleUpLimitMinimum }) };
    return { ...(behavior && { behavior }), scaleToZero: spec.scaleToZero !== undefined, upLimit };
  },
  govern(w, { ctx, declined }, { behavior, scaleToZero, upLimit }) {
    const { current, bounded, bounds, now } = ctx;
    const raw = w.to;
    // The raw current count, not the bounded one: the shortcuts look at where the target really is.
    const currentReplicas = scaleToZero && current === 0 ? bounded : current;
    const history = ctx.target.state?.hpa;
    const input = { currentReplicas, desiredReplicas: raw, minReplicas: bounds.minimum, maxReplicas: bounds.maximum, history, now };
    const n = behavior ? normalizeWithBehavior({ ...input, behavior }) : normalizeWithoutBehavior({ ...input, ...upLimit });
    if (!n.ok) return { recommendation: w };
    const hpaTrace = { reason: n.reason, message: n.message, replicas: n.replicas, ...n.trace };
    const hpa = { history: n.history, ...(behavior && { behavior }) };
    if (HPA_SHORTCUT_REASONS.has(n.reason)) {
      // reconcileAutoscaler's shortcuts: no rule, policy, cooldown or behavior is consulted.
      const code: DecisionCode = n.reason === 'ScalingDisabled' ? 'ScalingDisabled' : 'BroughtIntoBounds';
      const note = { kind: 'behaviorShortcut' as const, message: n.message };
      return {
        recommendation: { kind: n.replicas === bounded ? 'hold' : 'scale', to: n.replicas, rule: null, cooldownMs: 0, code, policyCode: code, notes: [note], settled: true },
        trace: { hpa: hpaTrace },
        hpa,
      };
    }
    if (declined !== undefined && w.kind === 'hold') {
      const kept = historyWithoutRecommendation({ history, currentReplicas, behavior, now });
      const message = `No metric gave a recommendation (${declined}), so nothing is normalized or stored this evaluation, as reconcileAutoscaler returns before normalizing.`;
      const trace = { hpa: { reason: declined, message, replicas: current, currentReplicas: current, desiredReplicas: current, limits: [] } };
      return { recommendation: w, trace, ...(kept.ok && { hpa: { history: kept.history, ...(behavior && { behavior }) } }) };
    }
    if (n.replicas === raw) return { recommendation: w, trace: { hpa: hpaTrace }, hpa };
    const code = HPA_CODES[n.reason] ?? (w.kind === 'scale' ? w.code : 'NoChange');
    const notes = [...w.notes, { kind: 'behavior' as const, reason: n.reason, from: raw, to: n.replicas, message: n.message }];
    if (n.replicas === bounded) return { recommendation: { kind: 'hold', to: bounded, rule: null, cooldownMs: 0, code, policyCode: code, notes }, trace: { hpa: hpaTrace }, hpa };
    const direction: Direction = n.replicas > bounded ? 'out' : 'in';
    const keepsRule = w.kind === 'scale' && w.direction === direction;
    const recommendation = {
      kind: 'scale' as const,
      to: n.replicas,
      direction,
      rule: keepsRule ? w.rule : null,
      cooldownMs: keepsRule ? w.cooldownMs : 0,
      code,
      policyCode: code,
      notes,
    };
    return { recommendation, trace: { hpa: hpaTrace }, hpa };
  },
};
