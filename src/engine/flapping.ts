// Azure flapping prevention: before a scale-in, project each scale-out metric onto the new capacity.
import { compare } from './conditions.js';
import type { FlappingCheck, FlappingResult, RuleTrace } from '../schemas/decision.js';

/**
 * Azure ("Flapping in Autoscale", "Scaling by more than one instance"): before scaling in, autoscale
 * estimates each metric at the new capacity — value × current ÷ new for a per-instance metric — and
 * "estimates the CPU usage for instance counts above 20 until it finds an instance count where all
 * metrics are within the defined thresholds"; only when no count between the wanted one and the
 * current one is safe does it skip the scale-in. So: try each capacity from the wanted one upward and
 * take the first at which no scale-out rule fires. Per-instance means an Average/Min/Max statistic or
 * dividePerInstance; a Sum or Count total does not change with capacity, nor does a Count time
 * aggregation (the number of grains with data).
 */
export function preventFlapping(outTraces: readonly RuleTrace[], current: number, wanted: number): FlappingResult {
  const projectable = outTraces.filter((t) => t.condition.kind === 'metric' && t.condition.value !== undefined);
  const unprojectable = outTraces.filter((t) => t.condition.kind !== 'metric').map((t) => t.rule);
  const checks: FlappingCheck[] = [];
  let blockedBy: FlappingCheck | undefined;
  for (let n = wanted; n < current; n++) {
    let firing: FlappingCheck | undefined;
    for (const t of projectable) {
      const c = t.condition;
      if (c.kind !== 'metric' || c.value === undefined) continue;
      // timeAggregation Count counts grains with data, which no capacity changes.
      const perGrainValue = c.timeAggregation !== 'Count' && (c.statistic === 'Average' || c.statistic === 'Min' || c.statistic === 'Max');
      let projected = c.value;
      // dividePerInstance: the total over the new count, divided by 1 at 0 exactly as the rule itself would divide
      // (conditions.ts), or a scale-in to 0 passes here that the next evaluation reverses.
      if (c.dividedBy !== undefined) projected = (c.aggregated ?? c.value * c.dividedBy) / Math.max(1, n);
      // A per-instance sample has no value at 0 instances (the metric goes missing): nothing to project.
      else if (perGrainValue && n > 0) projected = (c.value * current) / n;
      const check = { capacity: n, rule: t.rule, metric: c.metric, value: c.value, projected, operator: c.operator, threshold: c.threshold, fires: compare(c.operator, projected, c.threshold) };
      checks.push(check);
      if (check.fires && !firing) firing = check;
    }
    if (!firing) return { to: n, checks, ...(blockedBy && { blockedBy }), unprojectable };
    // The projection at the largest capacity that still flaps is the one worth reporting.
    blockedBy = firing;
  }
  return { to: current, checks, ...(blockedBy && { blockedBy }), unprojectable };
}
