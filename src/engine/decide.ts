// One target, one decision: evaluate every rule, combine them as Azure does, then govern and explain.
import type { DecisionState, Direction, MetricSeries } from '../schema.js';
import { ContextCache, evaluateRule, type RuleInputs } from './conditions.js';
import { afterScale, cooldownUntil, readState, writeState, type CooldownState } from './cooldown.js';
import type { Decision, DecisionCode, RuleTrace, Trace } from './decision.js';
import { isoUtc, shortUtc } from './duration.js';
import { describeCondition, ruleList } from './explain.js';
import { canonicalJson, sha256Hex } from './hash.js';
import { normalizeSeries, type Point } from './metrics.js';
import type { CompiledRuleSet } from './ruleset.js';
import { describeSelection, selectProfile, type ProfileSelection } from './active-profile.js';

/** Bumped when the same input may decide differently, so decision ids never collide across versions. */
export const ENGINE_VERSION = 'edgescale-engine/1';

export interface TargetInput {
  id: string;
  labels?: Record<string, string>;
  capacity: number;
  metrics: Record<string, MetricSeries>;
  state?: DecisionState;
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
}

export async function decide(ruleSet: CompiledRuleSet, target: TargetInput, now: number, options: DecideOptions = {}): Promise<Decision> {
  const { spec } = ruleSet;
  const selection = options.selection ?? selectProfile(ruleSet, now);
  const profile = selection.profile;
  const bounds = profile.capacity;
  const current = target.capacity;
  const bounded = clamp(current, bounds.minimum, bounds.maximum);
  const series = new Map<string, Point[]>();
  for (const [name, s] of Object.entries(target.metrics)) series.set(name, normalizeSeries(s, now));
  const state = readState(target.state);

  const inputs: RuleInputs = {
    now,
    target: { id: target.id, labels: target.labels ?? {} },
    capacity: { current: bounded, minimum: bounds.minimum, maximum: bounds.maximum, default: bounds.default },
    series,
    state: writeState(state, now),
  };
  const contexts = new ContextCache(inputs);
  const traces: RuleTrace[] = [];
  // Sequential on purpose: the order of evaluation (and so of any error) is the order of the file.
  for (const rule of profile.rules) traces.push(await evaluateRule(rule, inputs, contexts));

  const outs = traces.filter((t) => t.direction === 'out');
  const ins = traces.filter((t) => t.direction === 'in');
  const firedOut = outs.filter((t) => t.status === 'Fired');
  const firedIn = ins.filter((t) => t.status === 'Fired');
  const missing = [...new Set(traces.flatMap((t) => t.missing ?? []))];
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
    trace.missingData = {
      metrics: missing,
      behaviour: `no data for ${ruleList(missing)}: scale-in is suspended and capacity is raised to the default ${bounds.default} if below it (Azure)`,
    };
  }

  const wish = combine();
  const decision = govern(wish);
  return decision;

  // Azure: scale out if ANY out rule fires (largest capacity wins); otherwise scale in only if ALL
  // in rules fire (again the largest capacity wins). Missing data: never scale in, and go up to the
  // default capacity if below it.
  function combine(): Wish {
    if (traces.length === 0) return { kind: 'none', code: 'NoRules', why: 'the rule set has no rules' };
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
    if (missing.length > 0 && bounded < bounds.default && (!wish || bounds.default > (wish as { wants: number }).wants)) {
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
      return {
        kind: 'none',
        code: 'MissingDataNoScaleIn',
        why: `${ruleList(missing)} has no data, so scale-in is suspended (Azure's missing-data behaviour)`,
      };
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

  function govern(w: Wish): Decision {
    let to = bounded;
    let code: DecisionCode;
    let reason: string;
    let rule: string | null = null;
    let cooldownMs = 0;

    if (w.kind === 'scale') {
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
        // Clamped back to where it started: the rule changed nothing, so it decides nothing and starts no cooldown.
        if (to === bounded) {
          rule = null;
          cooldownMs = 0;
        }
      }
    } else {
      code = w.code;
      reason = w.why;
    }

    if (bounded !== current) {
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
      reason = `${direction === 'out' ? 'scale-out' : 'scale-in'} ${current}→${to}: ${reason}`;
    } else if (code !== 'CooldownActive') {
      reason = `no change at ${current}: ${reason}`;
    }

    const stateOut = writeState(next, now);
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
    };
  }
}

/** Hash of everything that determines the decision, so a retried request reuses the same key. */
export function decisionId(ruleSet: CompiledRuleSet, target: TargetInput, now: number): string {
  const input = { engine: ENGINE_VERSION, ruleSet: ruleSet.spec, target, now };
  return sha256Hex(canonicalJson(input));
}

