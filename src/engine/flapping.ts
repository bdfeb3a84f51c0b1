// Azure flapping prevention: before a scale-in, project each scale-out metric onto the new capacity.
import { OPERATOR_SYMBOL, compare } from './conditions.js';
import type { RuleTrace } from './decision.js';
import { fmt } from './explain.js';

export interface FlappingCheck {
  capacity: number;
  rule: string;
  metric: string;
  value: number;
  projected: number;
  operator: string;
  threshold: number;
  fires: boolean;
}

export interface FlappingResult {
  /** The capacity the scale-in may go to: `wanted`, something between, or `current` (no scale-in). */
  to: number;
  checks: FlappingCheck[];
  /** The projection at the largest capacity that would still flap, for the reason. */
  blockedBy?: FlappingCheck;
  /** Scale-out rules that cannot be projected (expressions), named in the trace. */
  unprojectable: string[];
}

/**
 * Azure ("Autoscale best practices — flapping"): before scaling in, autoscale estimates the metric
 * at the new capacity — value × current ÷ new for a per-instance metric — and does not scale in to a
 * capacity at which a scale-out rule would fire. Azure skips the scale-in; edgescale tries each
 * capacity from the wanted one upward and scales in as far as is safe. Per-instance means an
 * Average/Min/Max statistic or dividePerInstance; a Sum or Count total does not change with capacity,
 * nor does a Count time aggregation (the number of grains with data).
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
      const perInstance = c.dividedBy !== undefined || perGrainValue;
      const projected = perInstance && n > 0 ? (c.value * current) / n : c.value;
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

/** "projected cpu 75 ≥ 70 of rule cpu-high" */
export function describeProjection(c: FlappingCheck): string {
  return `projected ${c.metric} ${fmt(c.projected)} ${OPERATOR_SYMBOL[c.operator as keyof typeof OPERATOR_SYMBOL]} ${fmt(c.threshold)} of rule ${c.rule}`;
}
