// Rule set loading: schema validation, semantic checks, and compilation of every rule and policy into a CompiledRuleSet.
import { compileFast, type FastProgram } from './expr-fast.js';
import type { z } from 'zod';
import type { Issue } from '../schemas/decision.js';
import { RuleSet as RuleSetSchema, type Action, type Rule, type RuleSet } from '../schema.js';
import { compileFamilies, type CompiledFamilies } from './compiled-policies.js';
import { acceptedDurationMs, formatIsoDuration } from '../syntax/duration.js';
import { compileExpr, type CompiledExpr } from './expr.js';
import { compileSchedules, type CompiledSchedules } from './profiles/compile.js';
import { canonicalJson, sha256Hex } from './hash.js';

export interface CompiledRule {
  readonly rule: Rule;
  readonly index: number;
  /** Where the rule is written: "rules[2]" or "profiles[0].rules[1]". */
  readonly path: string;
  readonly cooldownMs: number;
  /** Compiled condition expression (expression conditions only). */
  readonly condition?: CompiledExpr;
  readonly conditionWindowMs: number;
  /** Compiled capacity expression (Expression actions only). */
  readonly capacity?: CompiledExpr;
  /** Metric names the rule reads; missing data in any of them makes the rule MissingData. */
  readonly metrics: readonly string[];
  /** Constants evaluateRule needs, computed once here (conditions.ts computes them itself when absent). */
  readonly prepared?: PreparedRule;
}

/** What evaluating a rule needs that depends on the rule alone: trace constants and facts about its expressions. */
export interface PreparedRule {
  /** describeAction(rule.action, rule.direction) */
  readonly action: string;
  /** formatIsoDuration(conditionWindowMs): the trace's and the context's `window` */
  readonly window: string;
  /** The metric trigger's time grain in milliseconds (metric conditions only). */
  readonly grainMs?: number;
  /**
   * Whether an expression of the rule contains a transform (`~> |pattern|update|`): the only JSONata
   * operation that can modify objects it did not create (its pattern may reach the input through `$$`
   * or a variable, and `$clone` can be rebound). Every other operation builds new values.
   */
  readonly mutatesInput: boolean;
  /**
   * The context's `rule` ({id, direction}) for a rule that cannot modify its input: made once and
   * shared by every evaluation, since nothing such an expression does can change it or keep it.
   */
  readonly ruleContext: { readonly id: string; readonly direction: 'out' | 'in' };
  /** The condition's and the capacity expression's fast programs (src/engine/expr-fast.ts), where they are in its subset. */
  readonly fastCondition?: FastProgram;
  readonly fastCapacity?: FastProgram;
}

/** Whether a JSONata parse tree contains a transform node. */
function hasTransform(ast: unknown): boolean {
  const seen = new Set<object>();
  const visit = (node: unknown): boolean => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return false;
    seen.add(node);
    if (Array.isArray(node)) return node.some(visit);
    if ((node as AstNode).type === 'transform') return true;
    for (const value of Object.values(node)) if (typeof value === 'object' && visit(value)) return true;
    return false;
  };
  return visit(ast);
}

/** The rule's PreparedRule. */
export function prepareRule(cr: Pick<CompiledRule, 'rule' | 'conditionWindowMs' | 'condition' | 'capacity' | 'metrics'>): PreparedRule {
  const { rule } = cr;
  const prepared: { -readonly [K in keyof PreparedRule]: PreparedRule[K] } = {
    action: describeAction(rule.action, rule.direction),
    window: formatIsoDuration(cr.conditionWindowMs),
    mutatesInput: (cr.condition !== undefined && hasTransform(cr.condition.ast)) || (cr.capacity !== undefined && hasTransform(cr.capacity.ast)),
    ruleContext: { id: rule.id, direction: rule.direction },
  };
  if ('metric' in rule.when) prepared.grainMs = acceptedDurationMs(rule.when.metric.timeGrain);
  if (!prepared.mutatesInput) {
    // A fast condition must read every metric the rule reads: it stands for the missing-data check too
    // (it bails when one of its metrics has no data, and the closures' path then reports MissingData).
    const fastCondition = cr.condition !== undefined ? compileFast(cr.condition.ast) : undefined;
    if (fastCondition?.boolean && cr.metrics.every((m) => fastCondition.metrics.includes(m))) prepared.fastCondition = fastCondition;
    const fastCapacity = cr.capacity !== undefined ? compileFast(cr.capacity.ast) : undefined;
    if (fastCapacity !== undefined && !fastCapacity.boolean) prepared.fastCapacity = fastCapacity;
  }
  return prepared;
}

/** Name of the implicit profile made of the rule set's top-level capacity and rules. */
const DEFAULT_PROFILE = 'default';

export interface CompiledProfile {
  readonly name: string;
  readonly capacity: { minimum: number; maximum: number; default: number };
  readonly rules: readonly CompiledRule[];
  /** Position in `profiles`, or -1 for the default profile. */
  readonly index: number;
  readonly schedule?: NonNullable<RuleSet['profiles']>[number];
}

export interface CompiledRuleSet {
  readonly spec: RuleSet;
  /** SHA-256 of the canonical spec, computed once: decision ids hash it instead of the whole spec. */
  readonly specHash: string;
  /** Rules of the default profile. */
  readonly rules: readonly CompiledRule[];
  readonly defaultProfile: CompiledProfile;
  /** Scheduled profiles in file order. */
  readonly profiles: readonly CompiledProfile[];
  /** Every metric name the set can use; undefined when an expression reads `metrics` dynamically. */
  readonly knownMetrics: ReadonlySet<string> | undefined;
  /** Longest window any rule looks back over. */
  readonly maxWindowMs: number;
  /** Target tracking, step scaling, missing data and the governors (behavior, scale-to-zero, …), ready to evaluate. */
  readonly families: CompiledFamilies;
  /** The profiles' schedules in selection order (scheduled profiles, then the default), compiled. */
  readonly schedules: CompiledSchedules;
}

export type LoadResult = { ok: true; ruleSet: CompiledRuleSet } | { ok: false; issues: Issue[] };

/** Zod issue path → "rules[0].when.expr". */
function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

type ZodIssue = z.core.$ZodIssue;

/**
 * Zod issues as edgescale issues. A union that matched no branch is reported through the branch
 * that got furthest (deepest path), so "cpu[0].v: expected number" beats "cpu: invalid input".
 */
export function zodIssues(error: { issues: readonly ZodIssue[] }, prefix = ''): Issue[] {
  const flatten = (issue: ZodIssue, base: readonly PropertyKey[]): Array<{ path: PropertyKey[]; message: string }> => {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const depth = (branch: readonly ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
      const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
      if (depth(best) > 0) return best.flatMap((i) => flatten(i, path));
    }
    return [{ path, message: issue.message }];
  };
  return error.issues
    .flatMap((i) => flatten(i, []))
    .map((i) => ({ code: 'SchemaViolation' as const, message: i.message, path: formatPath(i.path, prefix) }));
}

/** Validate and compile a rule set given as JSON; every problem is reported with its path. */
export function loadRuleSet(raw: unknown, prefix = ''): LoadResult {
  const parsed = RuleSetSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error, prefix) };
  return compileRuleSet(parsed.data, prefix);
}

function compileRuleSet(spec: RuleSet, prefix = ''): LoadResult {
  const issues: Issue[] = [];
  const at = (...path: Array<string | number>) => formatPath(path, prefix);
  checkBounds(spec.capacity, ['capacity'], at, issues);

  const known = new Set<string>(spec.metrics ?? []);
  const ctx: RuleCompileContext = {
    at,
    issues,
    known,
    dynamic: false,
    maxWindowMs: 0,
    defaultCooldown: acceptedDurationMs(spec.cooldown),
    defaultWindow: acceptedDurationMs(spec.defaultWindow),
    bounds: spec.capacity,
  };
  const rules = compileRules(spec.rules, ['rules'], ctx);
  // The policy families beside the rules and the governors: what they read, and their own checks.
  const families = compileFamilies(spec);
  for (const p of families.policies) {
    p.metrics.forEach((m) => known.add(m));
    issues.push(...p.check(at));
  }
  for (const g of families.governors) g.metrics.forEach((m) => known.add(m));
  // KEDA's idleReplicaCount must be below minReplicaCount (CheckReplicaCountBoundsAreValid), and only the cooldown mode reaches it.
  const z = spec.scaleToZero;
  // An activation expression (KEDA's scalingModifiers activationTarget) reads metrics as a rule does.
  if (z?.expr !== undefined) {
    const compiled = compileExpr(z.expr);
    if (!compiled.ok) issues.push({ ...compiled.error, path: at('scaleToZero', 'expr') });
    else {
      const refs = metricReferences(compiled.expr);
      if (refs === 'dynamic') ctx.dynamic = true;
      else refs.forEach((m) => known.add(m));
    }
  }
  if (z?.idleCapacity !== undefined) {
    if (z.cooldown === undefined) issues.push({ code: 'InvalidBounds', message: 'idleCapacity needs cooldown: only the cooldown mode goes to idle', path: at('scaleToZero', 'idleCapacity') });
    else if (z.idleCapacity >= spec.capacity.minimum) {
      issues.push({ code: 'InvalidBounds', message: `idleCapacity ${z.idleCapacity} must be below capacity.minimum ${spec.capacity.minimum}`, path: at('scaleToZero', 'idleCapacity') });
    }
  }
  const defaultProfile: CompiledProfile = { name: DEFAULT_PROFILE, capacity: spec.capacity, rules, index: -1 };

  const profiles: CompiledProfile[] = [];
  (spec.profiles ?? []).forEach((profile, index) => {
    const path = ['profiles', index] as const;
    if (!profile.fixedDate && !profile.recurrence && !profile.cron) {
      issues.push({
        code: 'InvalidProfile',
        message: `profile "${profile.name}" has no schedule; the default profile is the rule set's top-level capacity and rules`,
        path: at(...path, 'name'),
      });
    }
    if (profile.name === DEFAULT_PROFILE) {
      issues.push({ code: 'InvalidProfile', message: `"${DEFAULT_PROFILE}" is the name of the top-level profile`, path: at(...path, 'name') });
    }
    const own = profile.rules ? compileRules(profile.rules, [...path, 'rules'], { ...ctx, bounds: profile.capacity }) : rules;
    if (profile.rules) ctx.maxWindowMs = Math.max(ctx.maxWindowMs, ...own.map((r) => r.conditionWindowMs));
    profiles.push({ name: profile.name, capacity: profile.capacity, rules: own, index, schedule: profile });
  });

  // The metrics the fallback is scoped to, and those whose fallback activates, must be ones the set reads:
  // another name would never have data missing, so its setting would silently do nothing.
  if (!ctx.dynamic) {
    const listed: Array<[readonly string[] | undefined, string, string]> = [
      [spec.missingData?.fallbackMetrics, 'missingData', 'fallbackMetrics'],
      [z?.activeOnFallback, 'scaleToZero', 'activeOnFallback'],
    ];
    for (const [names, field, key] of listed)
      (names ?? []).forEach((m, i) => {
        if (!known.has(m)) issues.push({ code: 'UnknownMetric', message: `${key} names "${m}", a metric the rule set does not read`, path: at(field, key, i) });
      });
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    ruleSet: {
      spec,
      // `$schema` is an editor hint: adding it must not change decision ids.
      specHash: sha256Hex(canonicalJson({ ...spec, $schema: undefined })),
      rules,
      defaultProfile,
      profiles,
      knownMetrics: ctx.dynamic ? undefined : known,
      maxWindowMs: ctx.maxWindowMs,
      families,
      schedules: compileSchedules([...profiles.map((p) => ({ name: p.name, ...p.schedule })), { name: defaultProfile.name }]),
    },
  };
}

function checkBounds(
  capacity: { minimum: number; maximum: number; default: number },
  path: Array<string | number>,
  at: (...path: Array<string | number>) => string,
  issues: Issue[],
): void {
  const { minimum, maximum } = capacity;
  if (minimum > maximum) {
    issues.push({ code: 'InvalidBounds', message: `minimum ${minimum} is above maximum ${maximum}`, path: at(...path, 'minimum') });
  } else if (capacity.default < minimum || capacity.default > maximum) {
    issues.push({ code: 'InvalidBounds', message: `default ${capacity.default} is outside [${minimum}, ${maximum}]`, path: at(...path, 'default') });
  }
}

interface RuleCompileContext {
  at: (...path: Array<string | number>) => string;
  issues: Issue[];
  known: Set<string>;
  dynamic: boolean;
  maxWindowMs: number;
  defaultCooldown: number;
  defaultWindow: number;
  bounds: { minimum: number; maximum: number };
}

function compileRules(list: readonly Rule[], base: ReadonlyArray<string | number>, ctx: RuleCompileContext): CompiledRule[] {
  const { issues } = ctx;
  const at = (...path: Array<string | number>) => ctx.at(...base, ...path);
  const seen = new Map<string, number>();
  const rules: CompiledRule[] = [];
  const useRefs = (expr: CompiledExpr, metrics: Set<string>) => {
    const refs = metricReferences(expr);
    if (refs === 'dynamic') ctx.dynamic = true;
    else refs.forEach((m) => metrics.add(m));
  };

  list.forEach((rule, index) => {
    const first = seen.get(rule.id);
    if (first !== undefined) {
      issues.push({ code: 'DuplicateRuleId', message: `rule id "${rule.id}" is also used by ${formatPath([...base, first])}`, path: at(index, 'id') });
    } else seen.set(rule.id, index);

    const metrics = new Set<string>();
    let condition: CompiledExpr | undefined;
    let conditionWindowMs = ctx.defaultWindow;
    if ('metric' in rule.when) {
      const trig = rule.when.metric;
      metrics.add(trig.metric);
      const grain = acceptedDurationMs(trig.timeGrain);
      conditionWindowMs = acceptedDurationMs(trig.timeWindow);
      if (grain > conditionWindowMs) {
        issues.push({
          code: 'InvalidWindow',
          message: `timeGrain ${trig.timeGrain} is longer than timeWindow ${trig.timeWindow}`,
          path: at(index, 'when', 'metric', 'timeGrain'),
        });
      }
    } else {
      if (rule.when.window) conditionWindowMs = acceptedDurationMs(rule.when.window);
      const compiled = compileExpr(rule.when.expr);
      if (compiled.ok) {
        condition = compiled.expr;
        useRefs(compiled.expr, metrics);
      } else issues.push({ ...compiled.error, path: at(index, 'when', 'expr') });
    }
    ctx.maxWindowMs = Math.max(ctx.maxWindowMs, conditionWindowMs);

    let capacity: CompiledExpr | undefined;
    if (rule.action.type === 'Expression') {
      const compiled = compileExpr(rule.action.expr);
      if (compiled.ok) {
        capacity = compiled.expr;
        useRefs(compiled.expr, metrics);
      } else issues.push({ ...compiled.error, path: at(index, 'action', 'expr') });
    }
    const { minimum, maximum } = ctx.bounds;
    if (rule.action.type === 'ExactCount' && (rule.action.value < minimum || rule.action.value > maximum)) {
      issues.push({
        code: 'InvalidBounds',
        message: `ExactCount ${rule.action.value} is outside the capacity bounds [${minimum}, ${maximum}] and would always be clamped`,
        path: at(index, 'action', 'value'),
      });
    }

    metrics.forEach((m) => ctx.known.add(m));
    const cooldownMs = rule.cooldown ? acceptedDurationMs(rule.cooldown) : ctx.defaultCooldown;
    const compiledRule: CompiledRule = { rule, index, path: formatPath([...base, index]), cooldownMs, conditionWindowMs, metrics: [...metrics] };
    Object.assign(compiledRule, condition && { condition }, capacity && { capacity });
    rules.push(Object.assign(compiledRule, { prepared: prepareRule(compiledRule) }));
  });
  return rules;
}

interface AstNode {
  type?: string;
  value?: unknown;
  steps?: AstNode[];
  [key: string]: unknown;
}

/**
 * Metric names an expression reads through `metrics.NAME` paths. "dynamic" when it touches
 * `metrics` any other way (e.g. `$keys(metrics)`), since then no static list is complete.
 */
export function metricReferences(expr: CompiledExpr | string): Set<string> | 'dynamic' {
  const names = new Set<string>();
  let dynamic = false;
  const visit = (node: unknown): void => {
    if (dynamic || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const n = node as AstNode;
    if (n.type === 'path' && Array.isArray(n.steps)) {
      n.steps.forEach((step, i) => {
        if (step.type === 'name' && step.value === 'metrics' && i === 0) {
          const next = n.steps![i + 1];
          if (next?.type === 'name' && typeof next.value === 'string') names.add(next.value);
          else dynamic = true;
        }
      });
    }
    for (const value of Object.values(n)) if (typeof value === 'object') visit(value);
  };
  if (typeof expr === 'string') {
    const compiled = compileExpr(expr);
    if (!compiled.ok) return 'dynamic';
    expr = compiled.expr;
  }
  visit(expr.ast);
  return dynamic ? 'dynamic' : names;
}

/** How an action reads in a trace or a reason ("+1", "-50 %", "= 5", "= expression"). */
function describeAction(action: Action, direction: 'out' | 'in'): string {
  const sign = direction === 'out' ? '+' : '-';
  switch (action.type) {
    case 'ChangeCount':
      return `${sign}${action.value}`;
    case 'PercentChangeCount':
      return `${sign}${action.value} %`;
    case 'ExactCount':
      return `set ${action.value}`;
    case 'Expression':
      return 'set by expression';
  }
}
