// Checks of the Knative-style kpa policy: a panic threshold the pods reach before they are full, a panic window shorter than one decision tick, an activation scale outside the bounds.
//
// Sources (knative/serving, commit 98e5ef90aa7033797aa0a61ef97f3ff7e49a3944):
// - pkg/autoscaler/scaling/autoscaler.go Scale: panic when ceil(panic value ÷ target) ÷ ready ≥ threshold;
//   multiscaler.go tickInterval (2 s) is how often Knative decides;
// - pkg/apis/autoscaling/annotation_validation.go validateMinMaxScale: "min-scale=%d is greater than
//   activation-scale=%d" and "max-scale=%d is less than activation-scale=%d" are refused there;
// - Knative docs, "Additional autoscaling configuration for Knative Pod Autoscaler"
//   (knative.dev/docs/serving/autoscaling/kpa-specific): panic mode is "used to quickly scale a revision
//   up if a burst of traffic arrives", and "When using panic mode, the Revision will not scale down to
//   avoid churn".
import type { Warning } from '../../schemas/decision.js';
import { KPA_TICK_MS } from '../../schemas/kpa.js';
import { fmt } from '../explain.js';
import { resolveKpaSpec } from '../kpa.js';
import type { CompiledRuleSet } from '../ruleset.js';
import { lintProfiles, warning } from './profile.js';

export function kpaWarnings(rs: CompiledRuleSet): Warning[] {
  const policy = rs.spec.kpa;
  if (policy === undefined) return [];
  const spec = resolveKpaSpec(policy);
  const out: Warning[] = [];
  // Panic starts when the panic window asks for threshold × ready pods at `target` each; pods are full
  // at `total` each (target = total × utilization). At or below total ÷ target the "burst" is load the
  // ready pods can still serve, so panic mode (no scale-down for a stable window) is entered on ordinary load.
  const full = spec.totalValue / spec.targetValue;
  if (spec.panicThreshold <= full) {
    out.push(
      warning(
        'KpaPanicBelowCapacity',
        'kpa.panicThresholdPercentage',
        `The kpa panic threshold is ${fmt(policy.panicThresholdPercentage)} % of the target, but the pods are only full at ${fmt(full * 100)} % of it (target utilization ${fmt(policy.targetUtilizationPercentage)} %), so panic mode, which stops every scale-down for a stable window, starts on load the ready pods can still serve.`,
        `Raise panicThresholdPercentage above ${fmt(full * 100)} (Knative's default is 200), or raise targetUtilizationPercentage.`,
      ),
    );
  }
  if (spec.panicWindowMs < KPA_TICK_MS) {
    out.push(
      warning(
        'KpaPanicWindowUnderTick',
        'kpa.panicWindowPercentage',
        `The kpa panic window is ${fmt(spec.panicWindowMs / 1000)} s (${fmt(policy.panicWindowPercentage)} % of ${policy.stableWindow}), shorter than Knative's 2 s decision tick, so one noisy sample decides whether to panic.`,
        `Use a panic window of at least 2 s: panicWindowPercentage ≥ ${fmt(Math.ceil((KPA_TICK_MS / spec.stableWindowMs) * 10000) / 100)}.`,
      ),
    );
  }
  const activation = policy.activationScale;
  if (activation !== undefined) {
    for (const p of lintProfiles(rs)) {
      const { minimum, maximum } = p.capacity;
      if (activation >= minimum && activation <= maximum) continue;
      const above = activation > maximum;
      out.push(
        warning(
          'KpaActivationOutsideBounds',
          'kpa.activationScale',
          `The kpa activation scale ${activation} is ${above ? `above the maximum ${maximum}` : `below the minimum ${minimum}`} of ${p.label}, which Knative refuses (${above ? 'max-scale is less than activation-scale' : 'min-scale is greater than activation-scale'}); here the bounds win and the activation scale ${above ? 'is never reached' : 'has no effect'}.`,
          `Keep activationScale within [${minimum}, ${maximum}].`,
        ),
      );
    }
  }
  return out;
}
