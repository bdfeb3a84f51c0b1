// AWS step scaling as a policy: every policy whose alarm is in breach proposes its step's capacity (step-scaling.ts).
import { acceptedDurationMs } from '../../syntax/duration.js';
import type { StepScalingTrace } from '../../schemas/decision.js';
import { pointsInWindow } from '../metrics.js';
import type { RuleSet } from '../../schema.js';
import type { Proposal } from '../pipeline/recommendation.js';
import { evaluateStepScaling } from '../step-scaling.js';
import type { Policy } from './policy.js';

type StepScalingRule = NonNullable<RuleSet['stepScaling']>[number];

export interface CompiledStepScaling {
  readonly rules: ReadonlyArray<{ readonly rule: StepScalingRule; readonly windowMs: number }>;
}

export const stepScalingPolicy: Policy<CompiledStepScaling> = {
  kind: 'stepScaling',
  compile(spec) {
    const rules = spec.stepScaling ?? [];
    if (rules.length === 0) return undefined;
    return { rules: rules.map((rule) => ({ rule, windowMs: acceptedDurationMs(rule.window) })) };
  },
  metrics: ({ rules }) => rules.map((r) => r.rule.policy.metric),
  recommend({ rules }, { series, now, bounded: current }) {
    const proposals: Proposal[] = [];
    const traces: StepScalingTrace[] = [];
    const missing: string[] = [];
    for (const { rule: r, windowMs } of rules) {
      const points = pointsInWindow(series.get(r.policy.metric) ?? [], now, windowMs);
      if (points.length === 0) missing.push(r.policy.metric);
      // The schema ran validateStepAdjustments on the policy when the rule set loaded.
      const result = evaluateStepScaling(r.policy, { metric: points.map((p) => p.v), currentCapacity: current }, { validated: true });
      traces.push({ id: r.id, result });
      // The message is a sentence; reasons append clauses after it, so drop its full stop.
      if (result.fired)
        proposals.push({ source: 'stepScaling', id: r.id, capacity: result.newCapacity, message: result.message.replace(/\.$/, ''), label: `step scaling policy ${r.id}` });
    }
    return { kind: 'stepScaling', proposals, missing, trace: traces };
  },
};
