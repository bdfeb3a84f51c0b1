// The registry of policy families beside the Azure rules, in the order their proposals are weighed (ties go to the first).
import type { RuleSet } from '../../schema.js';
import { awsTargetTrackingPolicy } from './aws-target-tracking.js';
import { bindPolicy, type CompiledPolicy, type Policy } from './policy.js';
import { simpleScalingPolicy } from './simple-scaling.js';
import { kpaPolicy } from './kpa.js';
import { predictivePolicy } from './predictive.js';
import { stepScalingPolicy } from './step-scaling.js';
import { targetTrackingPolicy } from './target-tracking.js';

/** A new family: its file in this folder, its schema fragment in src/schemas/, and one line here. */
const POLICIES: ReadonlyArray<Policy<unknown>> = [targetTrackingPolicy, awsTargetTrackingPolicy, stepScalingPolicy, simpleScalingPolicy, kpaPolicy, predictivePolicy];

/** The families a rule set uses, compiled once at load. */
export function compilePolicies(spec: RuleSet): readonly CompiledPolicy[] {
  return POLICIES.flatMap((item) => bindPolicy(item, spec) ?? []);
}
