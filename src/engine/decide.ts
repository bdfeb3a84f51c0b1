// One target, one decision: evaluate every rule, combine them as Azure does, then govern and explain.
import type { DecisionState, Direction, MetricSeries } from '../schema.js';
import { ContextCache, evaluateRule, type RuleInputs } from './conditions.js';
import { BudgetPool } from './jsonata/runtime.js';
import { TARGET_MEMORY, TARGET_WORK } from './expr-budgets.js';
import { afterScale, cooldownUntil, readState, writeState, type CooldownState } from './cooldown.js';
import type { Decision, DecisionCode, RuleTrace, Trace } from './decision.js';
import { isoUtc, shortUtc } from './duration.js';
import { asClause, describeCondition, fmt, ruleList } from './explain.js';
import { canonicalJson, sha256Hex } from './hash.js';
import { normalizeSeries, pointsInWindow, type Point } from './metrics.js';
import type { CompiledRuleSet } from './ruleset.js';
import { describeSelection, selectProfile, type ProfileSelection } from './active-profile.js';
import { describeProjection, preventFlapping } from './flapping.js';
import { stepScaling, targetTracking, type Proposal } from './policies.js';
import { HPA_SHORTCUT_REASONS, historyWithoutRecommendation, normalizeWithBehavior, normalizeWithoutBehavior, recordHpaScaleEvent } from './hpa.js';
import type { HpaBehaviorDefaulted, HpaHistory } from '../schemas/hpa-behavior.js';
import { planScaleIn, planScaleOut } from './placement.js';
import type { PlacementInstance } from '../schemas/placement.js';

/** Bumped when the same input may decide differently, so decision ids never collide across versions. */
export const ENGINE_VERSION = 'edgescale-engine/1';

export interface TargetInput {
  id: string;
  labels?: Record<string, string>;
  capacity: number;
  metrics: Record<string, MetricSeries>;
  state?: DecisionState;
  instances?: PlacementInstance[];
  unavailableZones?: string[];
}

/** What the combination of rules wants, before cooldown and clamping. */
type Wish =
  | { kind: 'scale'; direction: Direction; wants: number; rule: string | null; cooldownMs: number; why: string; code: DecisionCode }
  | { kind: 'none'; code: DecisionCode; why: string };

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** Largest capacity among fired rules; ties go to the rule written first. */
function largest(traces: RuleTrace[]): RuleTrace | undefined {
  return traces.reduce<RuleTrace | undefined>((best, t) => (best === undefined || t.capacity! > best.capacity! ? t : best), undefined);
}

function block(traces: RuleTrace[], except: RuleTrace | undefined, code: NonNullable<RuleTrace['blocked']>['code'], message: string) {
  for (const t of traces) if (t !== except) t.blocked = { code, message };
}

export interface DecideOptions {
  /** The active profile, when the caller already chose it for a batch sharing one `now`. */
  selection?: ProfileSelection;
  /** The request's expression budget; the target gets its own pool inside it (expr-budgets.ts). */
  requestBudget?: BudgetPool;
}

export async function decide(ruleSet: CompiledRuleSet, target: TargetInput, now: number, options: DecideOptions = {}): Promise<Decision> {
  const { spec, policies } = ruleSet;
  const selection = options.selection ?? selectProfile(ruleSet, now);
  const profile = selection.profile;
  const bounds = profile.capacity;
  const current = target.capacity;
  const bounded = clamp(current, bounds.minimum, bounds.maximum);
  const series = new Map<string, Point[]>();
  for (const [name, s] of Object.entries(target.metrics)) series.set(name, normalizeSeries(s, now));
  const state = readState(target.state);
  const missingPolicy = policies.missingData;
  // Data older than maxAge is stale: the series is dropped and counts as missing.
  const stale: string[] = [];
  if (missingPolicy.maxAgeMs !== undefined) {
    const cutoff = now - missingPolicy.maxAgeMs;
    for (const [name, points] of series) {
      if (points.length > 0 && points[points.length - 1]!.t < cutoff) {
        stale.push(name);
        series.delete(name);
      }
    }
  }

  const inputs: RuleInputs = {
    now,
    target: { id: target.id, labels: target.labels ?? {} },
    capacity: { current: bounded, minimum: bounds.minimum, maximum: bounds.maximum, default: bounds.default },
    series,
    state: writeState(state, now),
    budget: new BudgetPool('target', TARGET_WORK, TARGET_MEMORY, options.requestBudget),
  };
  const contexts = new ContextCache(inputs);
  const traces: RuleTrace[] = [];
  // Sequential on purpose: the order of evaluation (and so of any error) is the order of the file.
  for (const rule of profile.rules) traces.push(evaluateRule(rule, inputs, contexts));

  const outs = traces.filter((t) => t.direction === 'out');
  const ins = traces.filter((t) => t.direction === 'in');
  const firedOut = outs.filter((t) => t.status === 'Fired');
  const firedIn = ins.filter((t) => t.status === 'Fired');
  const tt = targetTracking(policies, series, bounded, now);
  const steps = stepScaling(policies, series, bounded, now);
  const missing = [...new Set([...traces.flatMap((t) => t.missing ?? []), ...(tt?.missing ?? []), ...(steps?.missing ?? [])])];
  const missingCount = missing.length > 0 ? (target.state?.missingCount ?? 0) + 1 : 0;
  const cooldownOf = (id: string | undefined) => profile.rules.find((r) => r.rule.id === id)?.cooldownMs ?? 0;

  const trace: Trace = {
    capacity: { current, bounded, minimum: bounds.minimum, maximum: bounds.maximum, default: bounds.default },
    profile: { code: selection.code, message: selection.message, profiles: selection.trace },
    rules: traces,
    scaleOut: { fired: firedOut.map((t) => t.rule) },
    scaleIn: { fired: firedIn.map((t) => t.rule), required: ins.map((t) => t.rule), unanimous: ins.length > 0 && firedIn.length === ins.length },
    cooldown: { mode: spec.cooldownMode },
  };
  if (missing.length > 0) {
    const behaviour = {
      azure: `scale-in is suspended and capacity is raised to the default ${bounds.default} if below it (Azure)`,
      hold: 'capacity is held (missingData policy "hold")',
      fallback: `capacity is held, then set to ${missingPolicy.fallbackCapacity} after ${missingPolicy.fallbackAfter} evaluations without data (KEDA fallback; this is evaluation ${missingCount})`,
    }[missingPolicy.policy];
    trace.missingData = { metrics: missing, behaviour: `no data for ${ruleList(missing)}${stale.length ? ` (stale: ${ruleList(stale)})` : ''}: ${behaviour}`, ...(stale.length > 0 && { stale }) };
  }

  const wish = mergePolicies(combine());
  const decision = govern(wish);
  return decision;

  /**
   * Target tracking and step scaling propose capacities beside the Azure rules; the largest
   * proposal wins, so capacity goes out if any family asks for more and in only if every family
   * that has an opinion asks for less (AWS: "the policy that provides the largest capacity").
   * The Azure rules, when the profile has any, always have an opinion: their wish or holding. So
   * does the missing-data policy while a metric has no data (hold, default or fallback), even in a
   * rule set without rules: a policy on another metric must not scale in past it.
   */
  function mergePolicies(azure: Wish): Wish {
    if (!tt && !steps) return azure;
    const proposals: Proposal[] = [...(tt?.proposal ? [tt.proposal] : []), ...(steps?.proposals ?? [])];
    trace.policies = {
      ...(tt && { targetTracking: tt.trace }),
      ...(steps && { stepScaling: steps.traces }),
      proposals: proposals.map(({ source, id, capacity }) => ({ source, id, capacity })),
    };
    if (proposals.length === 0) return azure;
    const hasRules = profile.rules.length > 0;
    const azureWants = hasRules || missing.length > 0 ? (azure.kind === 'scale' ? azure.wants : bounded) : undefined;
    const best = proposals.reduce((a, b) => (b.capacity > a.capacity ? b : a));
    const label = best.source === 'targetTracking' ? `target tracking (${best.id})` : `step scaling policy ${best.id}`;
    if (azureWants !== undefined && azureWants >= best.capacity) {
      trace.policies.decidedBy = hasRules ? 'rules' : 'missingData';
      if (best.capacity === azureWants) return azure;
      // Say why the policy's smaller capacity lost, or its scale-in silently disappears.
      const keeper = hasRules ? 'the rules keep' : 'the missing-data policy keeps';
      return { ...azure, why: `${azure.why}; ${label} asks for ${best.capacity}, but ${keeper} ${azureWants} (the largest proposal wins)` };
    }
    trace.policies.decidedBy = `${best.source}:${best.id}`;
    if (best.capacity === bounded) return { kind: 'none', code: 'NoChange', why: `${label}: ${best.message}` };
    const direction: Direction = best.capacity > bounded ? 'out' : 'in';
    return { kind: 'scale', direction, wants: best.capacity, rule: best.id, cooldownMs: 0, why: `${label}: ${best.message}`, code: direction === 'out' ? 'ScaleOut' : 'ScaleIn' };
  }

  // Azure: scale out if ANY out rule fires (largest capacity wins); otherwise scale in only if ALL
  // in rules fire (again the largest capacity wins). Missing data: never scale in, and go up to the
  // default capacity if below it.
  function combine(): Wish {
    // Without rules, missing data still goes through the missing-data policy below.
    if (traces.length === 0 && missing.length === 0) {
      return tt || steps
        ? { kind: 'none', code: 'NoRuleFired', why: 'no policy asks for a change' }
        : { kind: 'none', code: 'NoRules', why: 'the rule set has no rules' };
    }
    const bestOut = largest(firedOut);
    let wish: Wish | undefined;
    if (bestOut) {
      trace.scaleOut.wants = bestOut.capacity!;
      trace.scaleOut.rule = bestOut.rule;
      block(firedOut, bestOut, 'NotLargest', `rule ${bestOut.rule} asks for more (${bestOut.capacity})`);
      if (bestOut.capacity! > bounded) {
        wish = {
          kind: 'scale',
          direction: 'out',
          wants: bestOut.capacity!,
          rule: bestOut.rule,
          cooldownMs: cooldownOf(bestOut.rule),
          why: `rule ${bestOut.rule} fired (${describeCondition(bestOut)})`,
          code: 'ScaleOut',
        };
      } else {
        bestOut.blocked = { code: 'NoIncrease', message: `asks for ${bestOut.capacity}, not above the current ${bounded}` };
      }
    }
    // KEDA feeds the fallback to the HPA beside the other metrics, so a fired scale-out asking for more still wins.
    if (
      missing.length > 0 &&
      missingPolicy.policy === 'fallback' &&
      missingCount >= missingPolicy.fallbackAfter &&
      missingPolicy.fallbackCapacity !== bounded &&
      (!wish || missingPolicy.fallbackCapacity! > (wish as { wants: number }).wants)
    ) {
      const to = missingPolicy.fallbackCapacity!;
      return {
        kind: 'scale',
        direction: to > bounded ? 'out' : 'in',
        wants: to,
        rule: null,
        cooldownMs: 0,
        why: `${ruleList(missing)} has had no data for ${missingCount} evaluations, so capacity goes to the fallback ${to} (KEDA fallback)`,
        code: 'MissingDataFallback',
      };
    }
    if (missing.length > 0 && missingPolicy.policy === 'azure' && bounded < bounds.default && (!wish || bounds.default > (wish as { wants: number }).wants)) {
      return {
        kind: 'scale',
        direction: 'out',
        wants: bounds.default,
        rule: null,
        cooldownMs: 0,
        why: `${ruleList(missing)} has no data, so capacity goes to the default ${bounds.default} (Azure's missing-data behaviour)`,
        code: 'MissingDataDefault',
      };
    }
    if (wish) return wish;
    if (bestOut) {
      block(firedIn, undefined, 'OutranFirst', 'a scale-out rule fired, and scale-out is considered before scale-in');
      return { kind: 'none', code: 'NoChange', why: `rule ${bestOut.rule} fired but asks for ${bestOut.capacity}, not above ${bounded}` };
    }
    if (missing.length > 0) {
      block(firedIn, undefined, 'MissingData', `scale-in is suspended while ${ruleList(missing)} has no data`);
      const why = {
        azure: `${ruleList(missing)} has no data, so scale-in is suspended (Azure's missing-data behaviour)`,
        hold: `${ruleList(missing)} has no data, so capacity is held (missingData policy "hold")`,
        fallback: `${ruleList(missing)} has no data (${missingCount} of ${missingPolicy.fallbackAfter} evaluations before the fallback), so capacity is held`,
      }[missingPolicy.policy];
      // Already at the fallback capacity: the fallback is in effect, not still pending.
      if (missingPolicy.policy === 'fallback' && missingCount >= missingPolicy.fallbackAfter) {
        const fallbackWhy = `${ruleList(missing)} has had no data for ${missingCount} evaluations, so capacity stays at the fallback ${missingPolicy.fallbackCapacity} (KEDA fallback)`;
        return { kind: 'none', code: 'MissingDataFallback', why: fallbackWhy };
      }
      return { kind: 'none', code: missingPolicy.policy === 'azure' ? 'MissingDataNoScaleIn' : 'MissingDataHold', why };
    }
    if (ins.length > 0 && firedIn.length === ins.length) {
      const bestIn = largest(firedIn)!;
      trace.scaleIn.wants = bestIn.capacity!;
      trace.scaleIn.rule = bestIn.rule;
      block(firedIn, bestIn, 'NotLargest', `rule ${bestIn.rule} keeps more capacity (${bestIn.capacity})`);
      if (bestIn.capacity! < bounded) {
        const all = ins.length > 1 ? `every scale-in rule fired (${ruleList(ins.map((t) => t.rule))}); ` : '';
        return {
          kind: 'scale',
          direction: 'in',
          wants: bestIn.capacity!,
          rule: bestIn.rule,
          cooldownMs: cooldownOf(bestIn.rule),
          why: `${all}rule ${bestIn.rule} fired (${describeCondition(bestIn)})`,
          code: 'ScaleIn',
        };
      }
      bestIn.blocked = { code: 'NoDecrease', message: `asks for ${bestIn.capacity}, not below the current ${bounded}` };
      return { kind: 'none', code: 'NoChange', why: `rule ${bestIn.rule} fired but asks for ${bestIn.capacity}, not below ${bounded}` };
    }
    if (firedIn.length > 0) {
      const notFired = ins.filter((t) => t.status !== 'Fired');
      block(firedIn, undefined, 'NotUnanimous', `scale-in needs every scale-in rule; ${ruleList(notFired.map((t) => t.rule))} did not fire`);
      const details = notFired.map((t) => `${t.rule}: ${describeCondition(t)}`).join('; ');
      return {
        kind: 'none',
        code: 'ScaleInNotUnanimous',
        why: `scale-in needs every scale-in rule, but ${ruleList(notFired.map((t) => t.rule))} did not fire (${details})`,
      };
    }
    const errors = traces.filter((t) => t.status === 'RuleError').map((t) => t.rule);
    const note = errors.length > 0 ? `; ${ruleList(errors)} failed to evaluate` : '';
    return { kind: 'none', code: 'NoRuleFired', why: `no rule fired${note}` };
  }

  /**
   * Kubernetes behavior (horizontal.go normalizeDesiredReplicas[WithBehaviors]): stabilization and
   * rate limits on the raw recommendation, so the history is complete. Applies to rule sets with
   * target tracking or an explicit `behavior`, which follow reconcileAutoscaler's order: a current
   * count of 0 with a minimum above 0 (scaling disabled) or outside [min, max] short-cuts everything
   * (`shortcut`); when target tracking alone has an opinion and no metric gave a recommendation, the
   * controller returns before normalizing, so nothing of this evaluation is stored.
   */
  function applyBehavior(w: Wish): {
    wish: Wish;
    history?: HpaHistory;
    behavior?: HpaBehaviorDefaulted;
    shortcut?: { replicas: number; reason: string; message: string };
  } {
    if (!policies.hpa) return { wish: w };
    const { behavior } = policies.hpa;
    const raw = w.kind === 'scale' ? w.wants : bounded;
    // The raw current count, not the bounded one: the shortcuts look at where the target really is.
    // With scaleToZero, 0 is KEDA's to leave (activation), not "scaling disabled".
    const currentReplicas = policies.scaleToZero && current === 0 ? bounded : current;
    const input = { currentReplicas, desiredReplicas: raw, minReplicas: bounds.minimum, maxReplicas: bounds.maximum, history: target.state?.hpa, now };
    const n = behavior ? normalizeWithBehavior({ ...input, behavior }) : normalizeWithoutBehavior(input);
    if (!n.ok) return { wish: w, ...(behavior && { behavior }) };
    if (HPA_SHORTCUT_REASONS.has(n.reason)) {
      trace.hpa = { reason: n.reason, message: n.message, replicas: n.replicas, ...n.trace };
      return { wish: w, history: n.history, ...(behavior && { behavior }), shortcut: { replicas: n.replicas, reason: n.reason, message: n.message } };
    }
    const onlyTargetTracking = profile.rules.length === 0 && !(steps?.proposals.length);
    if (tt && !tt.proposal && onlyTargetTracking && w.kind === 'none') {
      const kept = historyWithoutRecommendation({ history: target.state?.hpa, currentReplicas, behavior, now });
      const message = `No metric gave a recommendation (${tt.trace.code}), so nothing is normalized or stored this evaluation, as reconcileAutoscaler returns before normalizing.`;
      trace.hpa = { reason: tt.trace.code, message, replicas: current, currentReplicas: current, desiredReplicas: current, limits: [] };
      return { wish: w, ...(kept.ok && { history: kept.history }), ...(behavior && { behavior }) };
    }
    trace.hpa = { reason: n.reason, message: n.message, replicas: n.replicas, ...n.trace };
    const out = { history: n.history, ...(behavior && { behavior }) };
    if (n.replicas === raw) return { wish: w, ...out };
    const HPA_CODES: Partial<Record<string, DecisionCode>> = {
      ScaleUpStabilized: 'ScaleUpStabilized',
      ScaleDownStabilized: 'ScaleDownStabilized',
      ScaleUpLimit: 'ScaleUpLimit',
      ScaleDownLimit: 'ScaleDownLimit',
      TooManyReplicas: 'ClampedToMax',
      TooFewReplicas: 'ClampedToMin',
    };
    const code = HPA_CODES[n.reason] ?? (w.kind === 'scale' ? w.code : 'NoChange');
    const why = `${w.why}; behavior ${n.reason} (${raw} → ${n.replicas}): ${asClause(n.message)}`;
    if (n.replicas === bounded) return { wish: { kind: 'none', code, why }, ...out };
    const direction: Direction = n.replicas > bounded ? 'out' : 'in';
    const keepsRule = w.kind === 'scale' && w.direction === direction;
    return {
      wish: { kind: 'scale', direction, wants: n.replicas, rule: keepsRule ? w.rule : null, cooldownMs: keepsRule ? w.cooldownMs : 0, why, code },
      ...out,
    };
  }

  /** KEDA activation: leave 0 only when active; go to 0 only when allowed and inactive. */
  function activation(to: number): { to: number; code?: DecisionCode; why?: string } {
    const z = policies.scaleToZero;
    if (!z) return { to };
    const points = pointsInWindow(series.get(z.metric) ?? [], now, z.windowMs);
    const value = points.length > 0 ? points[points.length - 1]!.v : undefined;
    const active = value !== undefined && value > z.activationThreshold;
    trace.activation = { metric: z.metric, ...(value !== undefined && { value }), threshold: z.activationThreshold, active };
    const shown = value === undefined ? 'no data' : fmt(value);
    if (bounded === 0 && to > 0 && !active) {
      return { to: 0, code: 'ActivationNotReached', why: `${z.metric} ${shown} is not above the activation threshold ${fmt(z.activationThreshold)}, so capacity stays at 0` };
    }
    if (bounded === 0 && to === 0 && active) {
      const up = Math.max(1, bounds.minimum);
      return { to: up, code: 'Activated', why: `${z.metric} ${shown} is above the activation threshold ${fmt(z.activationThreshold)}, so capacity leaves 0` };
    }
    if (to === 0 && bounded > 0 && (active || value === undefined)) {
      const reading = value === undefined ? `${z.metric} has no data` : `it is ${shown}`;
      return { to: 1, code: 'DeactivationBlocked', why: `capacity may go to 0 only while ${z.metric} is at or below ${fmt(z.activationThreshold)} (${reading})` };
    }
    return { to };
  }

  function govern(initial: Wish): Decision {
    const behaved = applyBehavior(initial);
    const w = behaved.wish;
    let hpaHistory = behaved.history;
    let to = bounded;
    let code: DecisionCode;
    let reason: string;
    let rule: string | null = null;
    let cooldownMs = 0;

    if (behaved.shortcut) {
      // reconcileAutoscaler's shortcuts: no rule, policy, cooldown or behavior is consulted.
      const { replicas, reason: hpaReason, message } = behaved.shortcut;
      to = replicas;
      code = hpaReason === 'ScalingDisabled' ? 'ScalingDisabled' : 'BroughtIntoBounds';
      reason = `${asClause(message)} (Kubernetes reconcileAutoscaler)`;
    } else if (w.kind === 'scale') {
      const blockedUntil = cooldownUntil(state, w.direction, now);
      if (blockedUntil !== undefined) {
        const setter = state.lastScale?.rule;
        const msg = `${setter ? `cooldown of rule ${setter}` : 'cooldown'} until ${shortUtc(blockedUntil)}`;
        const decider = traces.find((t) => t.rule === w.rule);
        if (decider) decider.blocked = { code: 'CooldownActive', message: msg };
        trace.cooldown[w.direction] = isoUtc(blockedUntil);
        code = 'CooldownActive';
        reason = `${w.direction === 'out' ? 'scale-out' : 'scale-in'} deferred: ${msg}${w.rule ? ` (rule ${w.rule} fired)` : ''}`;
      } else {
        to = clamp(w.wants, bounds.minimum, bounds.maximum);
        ({ rule, cooldownMs, code } = w);
        reason = w.why;
        if (to !== w.wants) {
          const bound = w.wants > bounds.maximum ? 'maximum' : 'minimum';
          trace.clamp = { wanted: w.wants, to, bound };
          code = bound === 'maximum' ? 'ClampedToMax' : 'ClampedToMin';
          const msg = `asked for ${w.wants}, clamped to the ${bound} ${to}`;
          const decider = traces.find((t) => t.rule === w.rule);
          if (decider) decider.blocked = { code, message: msg };
          reason = `${reason}; ${msg}`;
        }
        if (to < bounded && spec.flappingProtection && traces.some((t) => t.rule === rule)) {
          const projection = preventFlapping(outs, bounded, to);
          trace.flapping = projection;
          if (projection.to !== to && projection.blockedBy) {
            const p = describeProjection(projection.blockedBy);
            if (projection.to === bounded) {
              code = 'FlappingPrevented';
              reason = `scale-in ${bounded}→${to} deferred: ${p} (flapping prevention)`;
              const decider = traces.find((t) => t.rule === rule);
              if (decider) decider.blocked = { code: 'FlappingPrevented', message: p };
            } else {
              reason = `${reason}; reduced from ${to} to ${projection.to}: at ${projection.blockedBy.capacity} the ${p} (flapping prevention)`;
              // Raised above the clamp, the decision is no longer at the minimum: it is the rule's scale-in.
              if (code === 'ClampedToMin') code = w.code;
            }
            to = projection.to;
          }
        }
        const gate = activation(to);
        if (gate.code) {
          to = gate.to;
          code = gate.code;
          reason = `${reason}; ${gate.why}`;
        }
        // Clamped back to where it started: the rule changed nothing, so it decides nothing and starts no cooldown.
        if (to === bounded) {
          rule = null;
          cooldownMs = 0;
        }
      }
    } else {
      code = w.code;
      reason = w.why;
      const gate = activation(bounded);
      if (gate.code) {
        to = gate.to;
        code = gate.code;
        reason = `${gate.why}`;
      }
    }

    let placement: Decision['placement'];
    if (target.instances && to !== current) {
      const settings = spec.placement;
      const common = { instances: target.instances, zones: settings?.zones, zoneBalance: settings?.zoneBalance };
      placement =
        to > current
          ? planScaleOut({ ...common, add: to - current, unavailableZones: target.unavailableZones })
          : planScaleIn({ ...common, remove: current - to, policy: settings?.scaleInPolicy });
      if (placement.ok && 'removed' in placement && placement.removed.length < current - to) {
        // Protection (or strict zone balance) keeps the target from being reached: say so, and ask only for what can be removed.
        to = current - placement.removed.length;
        code = 'ProtectionLimitsScaleIn';
        reason = `${reason}; ${placement.reason}`;
        // Nothing removable: as with a clamp back to the start, the rule decides nothing and starts no cooldown.
        if (to === bounded) {
          rule = null;
          cooldownMs = 0;
        }
      }
    }

    if (bounded !== current && code !== 'ScalingDisabled') {
      // The bounds always apply, whatever cooldown holds: a capacity outside them is never valid.
      const note = `capacity brought into bounds [${bounds.minimum}, ${bounds.maximum}]`;
      if (rule === null && code !== 'MissingDataDefault') {
        code = 'BroughtIntoBounds';
        reason = `${note}; ${reason}`;
      } else reason = `${note}, then ${reason}`;
    }

    let next: CooldownState = state;
    if (to !== current) {
      const direction: Direction = to > current ? 'out' : 'in';
      next = afterScale(state, now, { direction, rule, from: current, to, cooldownMs }, spec.cooldownMode);
      if (hpaHistory) {
        const recorded = recordHpaScaleEvent({ history: hpaHistory, behavior: behaved.behavior, previousReplicas: current, newReplicas: to, now });
        if (recorded.ok) hpaHistory = recorded.history;
      }
      reason = `${direction === 'out' ? 'scale-out' : 'scale-in'} ${current}→${to}: ${reason}`;
    } else if (code !== 'CooldownActive' && code !== 'FlappingPrevented') {
      reason = `no change at ${current}: ${reason}`;
    }

    const stateOut = writeState(next, now);
    if (hpaHistory) stateOut.hpa = hpaHistory;
    if (missingCount > 0) stateOut.missingCount = missingCount;
    trace.cooldown.out ??= stateOut.cooldownUntil.out;
    trace.cooldown.in ??= stateOut.cooldownUntil.in;
    if (trace.cooldown.out === undefined) delete trace.cooldown.out;
    if (trace.cooldown.in === undefined) delete trace.cooldown.in;
    return {
      target: target.id,
      ruleSet: spec.id,
      profile: describeSelection(selection),
      actuator: spec.actuator ?? 'default',
      decisionId: decisionId(ruleSet, target, now),
      now: isoUtc(now),
      action: to > current ? 'scaleOut' : to < current ? 'scaleIn' : 'none',
      from: current,
      to,
      code,
      reason,
      rule,
      trace,
      state: stateOut,
      ...(placement && { placement }),
    };
  }
}

/** Hash of everything that determines the decision, so a retried request reuses the same key. */
function decisionId(ruleSet: CompiledRuleSet, target: TargetInput, now: number): string {
  const input = { engine: ENGINE_VERSION, ruleSet: ruleSet.specHash, target, now };
  return sha256Hex(canonicalJson(input));
}

