// The load model: the load at an instant, the required capacity (AWS's definition) and the per-instance metric the demand model writes.
import type { Point } from '../metrics.js';

export interface CompiledLoad {
  model: 'replay' | 'demand';
  /** Total load, sorted by time. */
  series: readonly Point[];
  /** Load one instance serves at 100 % utilisation. */
  perInstance: number;
  /** Target utilisation per instance, percent. */
  target: number;
  /** demand: the metric written each step, and what it holds. */
  metric?: string;
  as: 'utilization' | 'perInstance' | 'total';
  provisioningDelayMs: number;
  scaleInDelayMs: number;
}

/** Reads a sorted series at increasing instants: the latest point at or before each, in amortized O(1). */
export class Cursor {
  private i = -1;
  constructor(private readonly points: readonly Point[]) {}
  at(now: number): number | undefined {
    const { points } = this;
    while (this.i + 1 < points.length && points[this.i + 1]!.t <= now) this.i++;
    return this.i >= 0 ? points[this.i]!.v : undefined;
  }
}

/**
 * Instances needed to serve `load` at the target utilisation: ceil(load ÷ (perInstance × target ÷ 100)).
 * This is how AWS target tracking and predictive scaling size a group: the load metric divided by the
 * target value per instance. The small tolerance keeps 3.0000000001 from becoming 4.
 */
export function requiredCapacity(load: number, model: CompiledLoad): number {
  const perInstanceAtTarget = (model.perInstance * model.target) / 100;
  return Math.max(0, Math.ceil(load / perInstanceAtTarget - 1e-9));
}

/** Load ÷ (serving × perInstance) × 100: utilisation of the serving instances, above 100 when load exceeds them; null with none serving. */
export function utilization(load: number, serving: number, model: CompiledLoad): number | null {
  return serving > 0 ? (load / (serving * model.perInstance)) * 100 : null;
}

/** What the demand model's instances report: utilisation capped at 100 % (a busy CPU reads 100), load per instance, or the total. */
export function reportedMetric(load: number, serving: number, model: CompiledLoad): number {
  switch (model.as) {
    case 'total':
      return load;
    case 'perInstance':
      return serving > 0 ? load / serving : load;
    case 'utilization':
      return serving > 0 ? Math.min(100, (load / (serving * model.perInstance)) * 100) : load > 0 ? 100 : 0;
  }
}
