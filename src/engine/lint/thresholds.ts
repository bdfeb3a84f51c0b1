// Threshold checks between Azure metric rules reading the same value: out and in overlapping, in rules contradicting each other, and gaps Azure's flapping projection closes.
//
// Sources:
// - Azure, "Best practices for autoscale" (learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-best-practices),
//   "Choose the thresholds carefully for all metric types": choose "an adequate margin between the scale-out and
//   in thresholds" (its example: out at CPU% >= 80, in at CPU% <= 60), and "Considerations for scaling when
//   multiple rules are configured in a profile": scale-out if ANY out rule is met, scale-in only if ALL in rules are.
// - Azure, "Autoscale flapping" (learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-flapping): before a
//   scale-in, autoscale projects each per-instance metric to the new count (value × current ÷ new) and does not
//   scale in when a scale-out rule would then fire (src/engine/flapping.ts).
// Expression rules are not analysed (no false positives): only metric triggers take part.
import type { Warning } from '../../schemas/decision.js';
import type { Operator } from '../../schemas/vocabulary.js';
import { OPERATOR_SYMBOL } from '../conditions.js';
import { fmt } from '../explain.js';
import type { CompiledRule, CompiledRuleSet } from '../ruleset.js';
import type { MetricTrigger } from '../../schema.js';
import { warning, type LintProfile } from './profile.js';

/** A set of real numbers as a union of intervals; an end is ±Infinity when unbounded. */
interface Interval {
  lo: number;
  loIn: boolean;
  hi: number;
  hiIn: boolean;
}
type ValueSet = Interval[];

const ALL = { lo: -Infinity, loIn: false, hi: Infinity, hiIn: false };

/** The values at which `value OP threshold` holds. */
function valuesWhere(op: Operator, t: number): ValueSet {
  switch (op) {
    case 'GreaterThan':
      return [{ ...ALL, lo: t }];
    case 'GreaterThanOrEqual':
      return [{ ...ALL, lo: t, loIn: true }];
    case 'LessThan':
      return [{ ...ALL, hi: t }];
    case 'LessThanOrEqual':
      return [{ ...ALL, hi: t, hiIn: true }];
    case 'Equals':
      return [{ lo: t, loIn: true, hi: t, hiIn: true }];
    case 'NotEquals':
      return [{ ...ALL, hi: t }, { ...ALL, lo: t }];
  }
}

const isEmpty = (i: Interval) => i.lo > i.hi || (i.lo === i.hi && !(i.loIn && i.hiIn));

function intersect(a: ValueSet, b: ValueSet): ValueSet {
  const out: ValueSet = [];
  for (const x of a) {
    for (const y of b) {
      const lo = Math.max(x.lo, y.lo);
      const hi = Math.min(x.hi, y.hi);
      const i = { lo, loIn: (x.lo !== lo || x.loIn) && (y.lo !== lo || y.loIn), hi, hiIn: (x.hi !== hi || x.hiIn) && (y.hi !== hi || y.hiIn) };
      if (!isEmpty(i)) out.push(i);
    }
  }
  return out;
}

/** A value inside the set, chosen to read well: the midpoint of a bounded interval, one step inside an unbounded one. */
function witness(set: ValueSet): number | undefined {
  const i = set[0];
  if (!i) return undefined;
  if (Number.isFinite(i.lo) && Number.isFinite(i.hi)) return (i.lo + i.hi) / 2;
  if (Number.isFinite(i.hi)) return i.hiIn ? i.hi : i.hi - 1;
  if (Number.isFinite(i.lo)) return i.loIn ? i.lo : i.lo + 1;
  return 0;
}

interface MetricRule {
  readonly cr: CompiledRule;
  readonly trigger: MetricTrigger;
  readonly values: ValueSet;
}

/**
 * Rules reading the same number: metric, statistic, grain, window, time aggregation and per-instance division
 * equal (durations compared in milliseconds, so PT60S and PT1M are one grain).
 */
function bySignal(rules: readonly CompiledRule[]): Map<string, MetricRule[]> {
  const groups = new Map<string, MetricRule[]>();
  for (const cr of rules) {
    if (!('metric' in cr.rule.when)) continue;
    const t = cr.rule.when.metric;
    const key = JSON.stringify([t.metric, t.statistic, cr.prepared?.grainMs, cr.conditionWindowMs, t.timeAggregation, t.dividePerInstance]);
    const list = groups.get(key) ?? [];
    list.push({ cr, trigger: t, values: valuesWhere(t.operator, t.threshold) });
    groups.set(key, list);
  }
  return groups;
}

const describe = (r: MetricRule) => `${r.cr.rule.id} (${r.trigger.metric} ${OPERATOR_SYMBOL[r.trigger.operator]} ${fmt(r.trigger.threshold)})`;
const thresholdPath = (r: MetricRule) => `${r.cr.path}.when.metric.threshold`;
const names = (rules: readonly MetricRule[]) => rules.map(describe).join(' and ');

/** OutInOverlap, ScaleInNeverUnanimous and FlappingBlocksScaleIn for one profile. */
export function thresholdWarnings(p: LintProfile, rs: CompiledRuleSet): Warning[] {
  const warnings: Warning[] = [];
  for (const group of bySignal(p.rules).values()) {
    const outs = group.filter((r) => r.cr.rule.direction === 'out');
    const ins = group.filter((r) => r.cr.rule.direction === 'in');
    if (ins.length === 0) continue;

    // Every in rule must fire for a scale-in: the values at which all of this group's do.
    let inValues: ValueSet = [ALL];
    let firstContradiction: number | undefined;
    ins.forEach((r, k) => {
      if (firstContradiction !== undefined) return;
      inValues = intersect(inValues, r.values);
      if (inValues.length === 0) firstContradiction = k;
    });
    if (firstContradiction !== undefined) {
      const culprit = ins[firstContradiction]!;
      const earlier = ins.slice(0, firstContradiction);
      warnings.push(
        warning(
          'ScaleInNeverUnanimous',
          thresholdPath(culprit),
          `Scale-in rule ${describe(culprit)} can never fire together with ${names(earlier)} on the same value, and Azure scales in only when every scale-in rule fires, so ${p.label} never scales in.`,
          `Remove the contradicting scale-in rule or change its threshold so that every scale-in rule can hold at the same low load.`,
        ),
      );
      continue;
    }

    for (const out of outs) {
      const both = intersect(out.values, inValues);
      const at = witness(both);
      if (at !== undefined) {
        warnings.push(
          warning(
            'OutInOverlap',
            thresholdPath(out),
            `Scale-out rule ${describe(out)} and scale-in ${ins.length === 1 ? 'rule' : 'rules'} ${names(ins)} ${ins.length === 1 ? 'both' : 'all'} fire at ${out.trigger.metric} = ${fmt(at)}, so one load asks for both more and fewer instances (scale-out wins, and flapping follows when the load moves).`,
            `Keep the scale-in threshold below the scale-out threshold with a margin, as Azure's best practices advise (out at >= 80, in at <= 60).`,
          ),
        );
        continue;
      }
      if (rs.spec.flappingProtection !== false) {
        const blocked = flappingBlocked(out, ins, inValues, p);
        if (blocked) warnings.push(blocked);
      }
    }
  }
  return warnings;
}

/**
 * Azure's projection (src/engine/flapping.ts) of a per-instance value from N to N − 1 instances multiplies it by
 * N ÷ (N − 1); the smaller N, the larger. A load just under the scale-in threshold s projects to s × N ÷ (N − 1):
 * when that fires the scale-out rule (threshold o), scale-in from N is blocked at loads between o × (N − 1) ÷ N
 * and s. Scale-in to N − 1 is the most favourable projection Azure tries, so if it is blocked every smaller count is.
 */
function flappingBlocked(out: MetricRule, ins: readonly MetricRule[], inValues: ValueSet, p: LintProfile): Warning | undefined {
  const t = out.trigger;
  // Per-instance values (as flapping.ts decides): Average/Min/Max per grain unless the window counts grains, or divided per instance.
  const perInstance = t.dividePerInstance || (t.timeAggregation !== 'Count' && (t.statistic === 'Average' || t.statistic === 'Min' || t.statistic === 'Max'));
  if (!perInstance || (t.operator !== 'GreaterThan' && t.operator !== 'GreaterThanOrEqual')) return undefined;
  const top = inValues.reduce((a, b) => (b.hi > a.hi ? b : a));
  if (!Number.isFinite(top.hi)) return undefined;
  const s = top.hi;
  const o = t.threshold;
  const fires = (n: number) => {
    const projected = (s * n) / (n - 1);
    return projected > o || (projected === o && top.hiIn && t.operator === 'GreaterThanOrEqual');
  };
  // From N to N − 1 needs N − 1 ≥ the minimum, and a per-instance value has no projection at 0 instances.
  const low = Math.max(p.capacity.minimum, 1) + 1;
  let last: number | undefined;
  for (let n = low; n <= p.capacity.maximum && fires(n); n++) last = n;
  if (last === undefined) return undefined;
  const setter = ins.find((r) => r.values.some((i) => i.hi === s)) ?? ins[0]!;
  const range = last === low ? `from ${low} instances` : `from ${low} to ${last} instances`;
  const safe = (o * (low - 1)) / low;
  return warning(
    'FlappingBlocksScaleIn',
    thresholdPath(setter),
    `In ${p.label} (bounds ${p.capacity.minimum}–${p.capacity.maximum}), Azure's flapping projection blocks scale-in by ${describe(setter)} ${range}: ${t.metric} just under ${fmt(s)} at ${last} instances projects to ${fmt((s * last) / (last - 1))} at ${last - 1}, which fires ${describe(out)}.`,
    `Widen the gap: a scale-in threshold of at most ${fmt(safe)} (${fmt(o)} × ${low - 1}/${low}) lets every capacity scale in at loads below it, or raise the scale-out threshold.`,
  );
}
