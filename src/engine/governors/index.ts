// The registry of governors, in the order they apply to the combined recommendation.
import type { RuleSet } from '../../schema.js';
import { activationGovernor } from './activation.js';
import { behaviorGovernor } from './behavior.js';
import { boundsGovernor } from './bounds.js';
import { clampGovernor } from './clamp.js';
import { cooldownGovernor } from './cooldown.js';
import { flappingGovernor } from './flapping.js';
import { bindGovernor, type CompiledGovernor, type Governor } from './governor.js';
import { placementGovernor } from './placement.js';

/**
 * Kubernetes behavior first (it sees the raw recommendation, so its history is complete), then the
 * cooldown, the clamp, Azure's flapping projection, KEDA's activation, placement, and the bounds last
 * (a capacity outside them is never valid). A new governor: its file here and one line in this list.
 */
const GOVERNORS: ReadonlyArray<Governor<unknown>> = [behaviorGovernor, cooldownGovernor, clampGovernor, flappingGovernor, activationGovernor, placementGovernor, boundsGovernor];

/** The governors a rule set uses, compiled once at load. */
export function compileGovernors(spec: RuleSet): readonly CompiledGovernor[] {
  return GOVERNORS.flatMap((item) => bindGovernor(item, spec) ?? []);
}
