// Target tracking as a policy: the Kubernetes HPA replica calculation per metric (hpa/replica-calculator.ts), AWS's disableScaleIn.
import type { RuleSet } from '../../schema.js';
import { acceptedDurationMs } from '../../syntax/duration.js';
import { ALLOWED_TARGETS, DEFAULT_SOURCE, computeDesiredReplicas, resolveTolerances, targetMilliValue, type HpaTolerances } from '../hpa/replica-calculator.js';
import { pointsInWindow, type Point } from '../metrics.js';
import type { Proposal } from '../pipeline/recommendation.js';
import type { Policy, PolicyOutcome } from './policy.js';
import type { Issue, TargetTrackingTrace } from '../../schemas/decision.js';

type TargetTrackingRule = NonNullable<RuleSet['targetTracking']>[number];

export interface CompiledTargetTracking {
  readonly rules: ReadonlyArray<{
    readonly rule: TargetTrackingRule;
    readonly windowMs: number;
    /** The target quantity's MilliValue (AverageValue and Value targets). */
    readonly targetMilli?: number;
  }>;
  /** The HPA tolerances: behavior's when set, the cluster default otherwise. */
  readonly tolerances: HpaTolerances;
}

/** kube-controller-manager's --horizontal-pod-autoscaler-tolerance default. */
const CLUSTER_TOLERANCE = 0.1;

function compileTolerances(behavior: RuleSet['behavior']): HpaTolerances {
  // The schema already validated the tolerance quantities, so this resolves.
  const resolved = resolveTolerances(behavior, CLUSTER_TOLERANCE);
  return resolved.ok ? resolved.tolerances : { scaleUp: CLUSTER_TOLERANCE, scaleDown: CLUSTER_TOLERANCE };
}

const mean = (points: readonly Point[]) => points.reduce((a, p) => a + p.v, 0) / points.length;

export const targetTrackingPolicy: Policy<CompiledTargetTracking> = {
  kind: 'targetTracking',
  compile(spec) {
    const rules = spec.targetTracking ?? [];
    if (rules.length === 0) return undefined;
    return {
      rules: rules.map((rule) => {
        const targetMilli = targetMilliValue(rule.target);
        return { rule, windowMs: acceptedDurationMs(rule.window), ...(targetMilli !== undefined && { targetMilli }) };
      }),
      tolerances: compileTolerances(spec.behavior),
    };
  },
  metrics: ({ rules }) => rules.map((r) => r.rule.metric),
  // validation.go validate*Source: a MetricSpec type takes only some target types. Caught at load, not
  // at evaluation, where the metric would only ever be invalid and silently stop every scale-in.
  check({ rules }, at) {
    const issues: Issue[] = [];
    rules.forEach(({ rule: r }, index) => {
      const source = r.source ?? DEFAULT_SOURCE[r.target.type];
      if (!ALLOWED_TARGETS[source].includes(r.target.type)) {
        issues.push({
          code: 'InvalidMetricTarget',
          message: `a ${source} metric takes a target of type ${ALLOWED_TARGETS[source].join(' or ')}, not ${r.target.type} (Kubernetes validation.go)`,
          path: at('targetTracking', index, 'target', 'type'),
        });
      }
    });
    return issues;
  },
  /**
   * Every metric proposes ceil(current × value ÷ target) outside its tolerance band
   * (replica_calculator.go), the largest proposal wins (computeReplicasForMetrics). A rule with
   * disableScaleIn never proposes less than the current capacity (AWS).
   */
  recommend({ rules: compiled, tolerances }, ctx): PolicyOutcome {
    const { series, now, bounded: current } = ctx;
    const rules = compiled.map((c) => c.rule);
    const missing: string[] = [];
    const inputs = compiled.map(({ rule: r, windowMs, targetMilli }) => {
      const points = pointsInWindow(series.get(r.metric) ?? [], now, windowMs);
      if (points.length === 0) missing.push(r.metric);
      const value = points.length > 0 ? mean(points) : null;
      return { name: r.id, target: r.target, value, ...(targetMilli !== undefined && { targetMilli }), ...(r.source && { source: r.source }) };
    });
    const result = computeDesiredReplicas({ currentReplicas: current, tolerances, metrics: inputs });
    const metrics = result.perMetric.map((m, i) => ({ ...m, rule: rules[i]!.id, value: inputs[i]!.value, disableScaleIn: rules[i]!.disableScaleIn }));
    if (!result.ok) {
      const trace: TargetTrackingTrace = { code: result.code, message: result.message, metrics };
      return { kind: 'targetTracking', proposals: [], missing, trace, declined: result.code };
    }
    // AWS ("Target tracking scaling policies"): a policy with scale-in disabled takes part in
    // scale-out but has no vote on scale-in, even at its target: "will scale in only if all of the
    // target tracking policies (with the scale-in portion enabled) are ready to scale in".
    let desired = result.desiredReplicas;
    let decider = result.metric;
    if (desired <= current && metrics.some((m) => m.disableScaleIn)) {
      const voting = metrics.filter((m) => m.ok && !m.disableScaleIn);
      const best = voting.reduce<(typeof voting)[number] | undefined>((a, m) => (a === undefined || (m.ok && a.ok && m.replicas > a.replicas) ? m : a), undefined);
      desired = best && best.ok ? best.replicas : current;
      decider = best?.rule ?? result.metric;
    }
    // The deciding metric's own sentence says ratio, tolerance band and arithmetic; when
    // disableScaleIn overrules it, say so, or the sentence proposes a scale-in that never happens.
    const sentence = (metrics.find((m) => m.name === decider)?.message ?? result.message).replace(/\.$/, '');
    const holders = metrics.filter((m) => m.disableScaleIn && m.ok && m.replicas < current).map((m) => m.rule);
    const held = desired === current && result.desiredReplicas < current && holders.length > 0 ? `; disableScaleIn (${holders.join(', ')}) keeps the current ${current}` : '';
    // A scale-in that a rule with scale-in disabled would have held at its own count: say it had no vote.
    const outvoted = desired < result.desiredReplicas ? metrics.filter((m) => m.disableScaleIn && m.ok && m.replicas > desired).map((m) => m.rule) : [];
    const noVote =
      outvoted.length > 0 ? `; ${outvoted.length > 1 ? 'rules' : 'rule'} ${outvoted.join(', ')} ${outvoted.length > 1 ? 'have' : 'has'} scale-in disabled and no vote on it` : '';
    const proposal: Proposal = { source: 'targetTracking', id: decider, capacity: desired, message: `${sentence}${held}${noVote}`, label: `target tracking (${decider})` };
    const trace: TargetTrackingTrace = { desired, code: result.code, message: result.message, metrics };
    return { kind: 'targetTracking', proposals: [proposal], missing, trace };
  },
};
