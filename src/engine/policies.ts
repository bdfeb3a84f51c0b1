// Target tracking (Kubernetes HPA algorithm) and AWS step scaling as proposals beside the Azure rules.
import type { CompiledPolicies } from './compiled-policies.js';
import { computeDesiredReplicas, type HpaMetricResult } from './hpa.js';
import { pointsInWindow, type Point } from './metrics.js';
import { evaluateStepScaling, type StepScalingResult } from './step-scaling.js';

/** What one policy family asks for; `capacity` is where it would take the target. */
export interface Proposal {
  source: 'targetTracking' | 'stepScaling';
  id: string;
  capacity: number;
  message: string;
}

export interface TargetTrackingTrace {
  desired?: number;
  code: string;
  message: string;
  metrics: Array<HpaMetricResult & { rule: string; value?: number | null; disableScaleIn: boolean }>;
}

export interface StepScalingTrace {
  id: string;
  result: StepScalingResult;
}

const mean = (points: readonly Point[]) => points.reduce((a, p) => a + p.v, 0) / points.length;

/**
 * Target tracking: every metric proposes ceil(current × value ÷ target) outside its tolerance band
 * (replica_calculator.go), the largest proposal wins (computeReplicasForMetrics). A rule with
 * disableScaleIn never proposes less than the current capacity (AWS).
 */
export function targetTracking(
  policies: CompiledPolicies,
  series: ReadonlyMap<string, readonly Point[]>,
  current: number,
  now: number,
): { proposal?: Proposal; trace: TargetTrackingTrace; missing: string[] } | undefined {
  const compiled = policies.targetTracking;
  if (compiled.length === 0) return undefined;
  const rules = compiled.map((c) => c.rule);
  const { tolerances } = policies;
  const missing: string[] = [];
  const inputs = compiled.map(({ rule: r, windowMs, targetMilli }) => {
    const points = pointsInWindow(series.get(r.metric) ?? [], now, windowMs);
    if (points.length === 0) missing.push(r.metric);
    const value = points.length > 0 ? mean(points) : null;
    return { name: r.id, target: r.target, value, ...(targetMilli !== undefined && { targetMilli }), ...(r.source && { source: r.source }) };
  });
  const result = computeDesiredReplicas({ currentReplicas: current, tolerances, metrics: inputs });
  const metrics = result.perMetric.map((m, i) => ({ ...m, rule: rules[i]!.id, value: inputs[i]!.value, disableScaleIn: rules[i]!.disableScaleIn }));
  if (!result.ok) return { trace: { code: result.code, message: result.message, metrics }, missing };
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
  const noVote = outvoted.length > 0 ? `; ${outvoted.length > 1 ? 'rules' : 'rule'} ${outvoted.join(', ')} ${outvoted.length > 1 ? 'have' : 'has'} scale-in disabled and no vote on it` : '';
  return {
    proposal: {
      source: 'targetTracking',
      id: decider,
      capacity: desired,
      message: `${sentence}${held}${noVote}`,
    },
    trace: { desired, code: result.code, message: result.message, metrics },
    missing,
  };
}

/** Step scaling: every policy whose alarm is in breach proposes its step's capacity. */
export function stepScaling(
  policies: CompiledPolicies,
  series: ReadonlyMap<string, readonly Point[]>,
  current: number,
  now: number,
): { proposals: Proposal[]; traces: StepScalingTrace[]; missing: string[] } | undefined {
  const rules = policies.stepScaling;
  if (rules.length === 0) return undefined;
  const proposals: Proposal[] = [];
  const traces: StepScalingTrace[] = [];
  const missing: string[] = [];
  for (const { rule: r, windowMs } of rules) {
    const points = pointsInWindow(series.get(r.policy.metric) ?? [], now, windowMs);
    if (points.length === 0) missing.push(r.policy.metric);
    // The schema ran validateStepAdjustments on the policy when the rule set loaded.
    const result = evaluateStepScaling(r.policy, { metric: points.map((p) => p.v), currentCapacity: current }, { validated: true });
    traces.push({ id: r.id, result });
    // The message is a sentence; decide() appends clauses after it, so drop its full stop.
    if (result.fired) proposals.push({ source: 'stepScaling', id: r.id, capacity: result.newCapacity, message: result.message.replace(/\.$/, '') });
  }
  return { proposals, traces, missing };
}
