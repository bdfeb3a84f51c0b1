// Hand-written batch evaluation of bench/batch.ts's rule set: what one would write without a rule engine.
//
// Per target: each rule's Azure metric trigger (samples in now − window < t ≤ now, grouped into
// one-minute grains aligned to the epoch, the grain statistic over a grain's samples from every
// instance, the time aggregation over the grains), then Azure's combination (any out-rule, the
// largest capacity; otherwise all in-rules, the largest capacity) and the bounds. Nothing here imports
// the engine, so the benchmark can check the two for identical decisions.

export interface Rule {
  id: string;
  direction: 'out' | 'in';
  metric: 'cpu' | 'queue';
  statistic: 'Average' | 'Max';
  timeAggregation: 'Average' | 'Maximum';
  windowMinutes: number;
  operator: 'GreaterThan' | 'LessThan';
  threshold: number;
  /** ChangeCount: instances added (out) or removed (in). */
  change: number;
}

export const RULES: readonly Rule[] = [
  { id: 'cpu-high', direction: 'out', metric: 'cpu', statistic: 'Average', timeAggregation: 'Average', windowMinutes: 10, operator: 'GreaterThan', threshold: 70, change: 1 },
  { id: 'queue-high', direction: 'out', metric: 'queue', statistic: 'Max', timeAggregation: 'Maximum', windowMinutes: 5, operator: 'GreaterThan', threshold: 500, change: 2 },
  { id: 'cpu-low', direction: 'in', metric: 'cpu', statistic: 'Average', timeAggregation: 'Average', windowMinutes: 10, operator: 'LessThan', threshold: 30, change: 1 },
  { id: 'queue-low', direction: 'in', metric: 'queue', statistic: 'Average', timeAggregation: 'Average', windowMinutes: 10, operator: 'LessThan', threshold: 50, change: 1 },
];

export const BOUNDS = { minimum: 2, maximum: 40 } as const;

export interface BatchPoint {
  t: string;
  v: number;
  instance?: string;
}

export interface BatchTarget {
  id: string;
  ruleSet: string;
  capacity: number;
  metrics: Record<string, BatchPoint[]>;
}

export interface HandDecision {
  id: string;
  action: 'scaleOut' | 'scaleIn' | 'none';
  from: number;
  to: number;
  fired: string[];
}

const MINUTE = 60_000;

/**
 * The trigger's value over the window, or undefined without samples. Grains are consecutive in sorted
 * input, so each is reduced as soon as the next begins (no map, no arrays of samples).
 */
export function aggregateWindow(points: readonly BatchPoint[], now: number, r: Rule): number | undefined {
  const from = now - r.windowMinutes * MINUTE;
  let grainKey = Number.NaN;
  let grainSum = 0;
  let grainMax = -Infinity;
  let grainCount = 0;
  let total = 0;
  let max = -Infinity;
  let grains = 0;
  const closeGrain = () => {
    if (grainCount === 0) return;
    const value = r.statistic === 'Average' ? grainSum / grainCount : grainMax;
    total += value;
    if (value > max) max = value;
    grains++;
  };
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const t = Date.parse(p.t);
    if (t <= from || t > now) continue;
    const key = Math.floor(t / MINUTE);
    if (key !== grainKey) {
      closeGrain();
      grainKey = key;
      grainSum = 0;
      grainMax = -Infinity;
      grainCount = 0;
    }
    grainSum += p.v;
    if (p.v > grainMax) grainMax = p.v;
    grainCount++;
  }
  closeGrain();
  if (grains === 0) return undefined;
  return r.timeAggregation === 'Average' ? total / grains : max;
}

const clamp = (n: number) => Math.min(BOUNDS.maximum, Math.max(BOUNDS.minimum, n));

/**
 * Every target's decision. `fires` lets another engine (json-rules-engine) supply which rules fired;
 * by default the triggers are evaluated here.
 */
export function decideTargets(
  body: { targets: readonly BatchTarget[] },
  now: number,
  fires?: (r: Rule, target: BatchTarget) => boolean,
  rules: readonly Rule[] = RULES,
): HandDecision[] {
  const out: HandDecision[] = [];
  for (const target of body.targets) {
    const bounded = clamp(target.capacity);
    const fired: string[] = [];
    let bestOut = -1;
    let bestIn = -1;
    let ins = 0;
    let firedIns = 0;
    for (const r of rules) {
      let hit: boolean;
      if (fires) hit = fires(r, target);
      else {
        const value = aggregateWindow(target.metrics[r.metric] ?? [], now, r);
        hit = value !== undefined && (r.operator === 'GreaterThan' ? value > r.threshold : value < r.threshold);
      }
      if (r.direction === 'in') ins++;
      if (!hit) continue;
      fired.push(r.id);
      if (r.direction === 'out') bestOut = Math.max(bestOut, bounded + r.change);
      else {
        firedIns++;
        bestIn = Math.max(bestIn, Math.max(0, bounded - r.change));
      }
    }
    let to = bounded;
    if (bestOut >= 0) {
      if (bestOut > bounded) to = clamp(bestOut);
    } else if (ins > 0 && firedIns === ins && bestIn < bounded) to = clamp(bestIn);
    out.push({ id: target.id, action: to > target.capacity ? 'scaleOut' : to < target.capacity ? 'scaleIn' : 'none', from: target.capacity, to, fired });
  }
  return out;
}
