// Target tracking as a policy: the Kubernetes HPA replica calculation per metric (hpa/replica-calculator.ts), AWS's disableScaleIn.
import type { RuleSet } from '../../schema.js';
import { acceptedDurationMs } from '../../syntax/duration.js';
import {
  ALLOWED_TARGETS,
  DEFAULT_SOURCE,
  combineMetricResults,
  computeReplicasForMetric,
  resolveTolerances,
  targetMilliValue,
  type HpaMetricResult,
  type HpaTolerances,
} from '../hpa/replica-calculator.js';
import { activePodsCount, podMetricReplicas, readPods, readyPodsCount, type HpaPodMetricResult, type HpaPodTiming, type HpaPodView } from '../hpa/pods.js';
import { describeHpaPodFailure, describeHpaPodMetric } from '../explain.js';
import { HPA_DEFAULT_CPU_INITIALIZATION_PERIOD_SECONDS, HPA_DEFAULT_INITIAL_READINESS_DELAY_SECONDS } from '../../schemas/hpa-pods.js';
import { HPA_DEFAULT_TOLERANCE } from '../../schemas/hpa-behavior.js';
import { parseQuantity, quantityToFloat64 } from '../../syntax/quantity.js';
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
  /** The HPA tolerances: behavior's when set, the controller's (hpaController.tolerance, default 0.1) otherwise. */
  readonly tolerances: HpaTolerances;
  /** hpaController's pod timing, for targets that carry pods. */
  readonly timing: HpaPodTiming;
}

/** kube-controller-manager's --horizontal-pod-autoscaler-tolerance: the rule set's hpaController.tolerance, or 0.1. */
function clusterTolerance(spec: RuleSet): number {
  const raw = spec.hpaController?.tolerance;
  const q = raw === undefined ? undefined : parseQuantity(raw);
  return q ? quantityToFloat64(q) : HPA_DEFAULT_TOLERANCE;
}

function compileTolerances(spec: RuleSet): HpaTolerances {
  // The schema already validated the tolerance quantities, so this resolves.
  const cluster = clusterTolerance(spec);
  const resolved = resolveTolerances(spec.behavior, cluster);
  return resolved.ok ? resolved.tolerances : { scaleUp: cluster, scaleDown: cluster };
}

/**
 * Metric sources whose value is per pod: with a pod list they read each pod's sample (GetResourceReplicas,
 * calcPlainMetricReplicas). A metric no pod reports, sent as an aggregated series instead, is read as
 * before (our choice, docs/hpa.md "Pods as input"): a caller may send pods only for their readiness.
 */
const PER_POD_SOURCES = new Set(['Resource', 'ContainerResource', 'Pods']);

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
      tolerances: compileTolerances(spec),
      timing: {
        cpuInitializationPeriodMs: (spec.hpaController?.cpuInitializationPeriodSeconds ?? HPA_DEFAULT_CPU_INITIALIZATION_PERIOD_SECONDS) * 1000,
        initialReadinessDelayMs: (spec.hpaController?.initialReadinessDelaySeconds ?? HPA_DEFAULT_INITIAL_READINESS_DELAY_SECONDS) * 1000,
      },
    };
  },
  metrics: ({ rules }) => rules.map((r) => r.rule.metric),
  lookbackMs: ({ rules }) => Math.max(0, ...rules.map((r) => r.windowMs)),
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
  recommend({ rules: compiled, tolerances, timing }, ctx): PolicyOutcome {
    const { series, now, bounded: current } = ctx;
    const rules = compiled.map((c) => c.rule);
    const missing: string[] = [];
    const pods = ctx.target.pods ? readPods(ctx.target.pods, now) : undefined;
    const podContext = pods ? { readyPods: readyPodsCount(pods), statusReplicas: activePodsCount(pods), noPodsListed: pods.length === 0 } : {};
    const perMetric: HpaMetricResult[] = [];
    const extras: Array<Pick<TrackedMetric, 'value' | 'pods' | 'readyPods' | 'statusReplicas'>> = [];
    for (const { rule: r, windowMs, targetMilli } of compiled) {
      const source = r.source ?? DEFAULT_SOURCE[r.target.type];
      const reported = pods?.some((p) => p.samples.has(r.metric)) ?? false;
      if (pods && PER_POD_SOURCES.has(source) && r.target.type !== 'Value' && (reported || !series.has(r.metric))) {
        // No pod reports it: the metric has no data, as a series without points (missing-data policy).
        if (!reported) missing.push(r.metric);
        const { result, extra } = podMetric(pods, r, source, targetMilli, { current, tolerances, timing, now });
        perMetric.push(result);
        extras.push(extra);
        continue;
      }
      const points = pointsInWindow(series.get(r.metric) ?? [], now, windowMs);
      if (points.length === 0) missing.push(r.metric);
      const value = points.length > 0 ? mean(points) : null;
      const input = { name: r.id, target: r.target, value, ...(targetMilli !== undefined && { targetMilli }), ...(r.source && { source: r.source }) };
      perMetric.push(computeReplicasForMetric(input, { currentReplicas: current, tolerances, ...podContext }));
      const objectOrExternal = pods && (source === 'Object' || source === 'External');
      extras.push({
        value,
        ...(objectOrExternal && r.target.type === 'Value' && { readyPods: podContext.readyPods }),
        ...(objectOrExternal && r.target.type === 'AverageValue' && { statusReplicas: podContext.statusReplicas }),
      });
    }
    const result = combineMetricResults(perMetric, current);
    const metrics = result.perMetric.map((m, i) => ({ ...m, rule: rules[i]!.id, ...extras[i], disableScaleIn: rules[i]!.disableScaleIn }));
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

type TrackedMetric = TargetTrackingTrace['metrics'][number];

/**
 * One Resource, ContainerResource or Pods metric over the target's pods (hpa/pods.ts): the pod list
 * decides, the aggregated series is not read. A ContainerResource metric is named "<resource>@<container>".
 */
function podMetric(
  pods: readonly HpaPodView[],
  r: TargetTrackingRule,
  source: HpaMetricResult['source'],
  targetMilli: number | undefined,
  at: { current: number; tolerances: HpaTolerances; timing: HpaPodTiming; now: number },
): { result: HpaMetricResult; extra: Pick<TrackedMetric, 'value' | 'pods'> } {
  const resource = source === 'Pods' ? undefined : r.metric.split('@')[0];
  const fail = (code: Extract<HpaMetricResult, { ok: false }>['code'], message: string): HpaMetricResult => ({ ok: false, name: r.id, source, code, message });
  if (!ALLOWED_TARGETS[source].includes(r.target.type))
    return { result: fail('UnsupportedTarget', `${r.id}: a ${source} metric cannot have a ${r.target.type} target.`), extra: { value: null } };
  const target = r.target.type === 'Utilization' ? { kind: 'utilization' as const, utilization: r.target.averageUtilization } : { kind: 'usage' as const, milli: targetMilli ?? 0 };
  if (target.kind === 'usage' && !(target.milli > 0)) return { result: fail('InvalidTarget', `${r.id}: the target must be a positive quantity.`), extra: { value: null } };
  const out: HpaPodMetricResult = podMetricReplicas(pods, {
    metric: r.metric,
    resource,
    target,
    currentReplicas: at.current,
    tolerances: at.tolerances,
    timing: at.timing,
    now: at.now,
  });
  if (!out.ok) {
    return { result: fail(out.code, describeHpaPodFailure(r.id, out.detail, out.grouping)), extra: { value: null, ...(out.grouping && { pods: groupingTrace(out) }) } };
  }
  const value = target.kind === 'utilization' ? out.value : out.value / 1000;
  const what = target.kind === 'utilization' ? `utilization ${value}% vs target ${target.utilization}%` : `per-pod average ${value} vs target ${target.milli / 1000}`;
  const result: HpaMetricResult = {
    ok: true,
    name: r.id,
    source,
    replicas: out.replicas,
    ratio: out.ratio,
    verdict: out.withinTolerance ? 'WithinTolerance' : 'OutsideTolerance',
    tolerances: at.tolerances,
    message: describeHpaPodMetric(r.id, out, what, at.current),
  };
  return { result, extra: { value, pods: groupingTrace(out) } };
}

function groupingTrace(out: HpaPodMetricResult): NonNullable<TrackedMetric['pods']> {
  const g = out.grouping ?? { ready: 0, unready: [], missing: [], ignored: [] };
  return {
    ready: g.ready,
    unready: g.unready.length,
    missing: g.missing.length,
    ignored: g.ignored.length,
    unreadyPods: g.unready,
    missingPods: g.missing,
    ignoredPods: g.ignored,
    ...(out.ok && out.rawAverage !== undefined && { rawAverage: out.rawAverage / 1000 }),
    ...(out.ok && out.rebalance && { rebalance: out.rebalance }),
  };
}
