// Size limits on what a request may carry, each sized so one request stays well inside a Workers isolate.
//
// Two layers. LIMITS are the hard ceilings: the zod schemas (src/schema.ts, src/schemas/*) are built
// from them and cannot change at run time. A deployment may LOWER the request limits (never raise
// them) with worker variables (LIMIT_VARIABLES); those effective limits are checked at the HTTP edge
// before zod sees the body (src/http/body.ts), so a request over a limit is refused whole, with the
// limit named in the message, before any work is done for it.
import { isRecord } from './util/is-record.js';

export const LIMITS = {
  /** Request body; 1 MiB of JSON parses to well under 20 MB of objects, far from the 128 MB isolate. */
  bodyBytes: 1_048_576,
  /** Targets in one batch; at ~0.5 ms of CPU each this keeps a full batch far below the 30 s CPU cap. */
  targetsPerBatch: 500,
  /** Points in one metric series; a day of one-minute points from a few instances. */
  pointsPerSeries: 10_000,
  /** Rules in one rule set; Azure allows 10 per profile, so 50 leaves room without inviting abuse. */
  rulesPerSet: 50,
  /** Characters of one JSONata expression; real conditions are a line or two. */
  expressionLength: 4_096,
  /** Scheduled profiles in one rule set: Azure allows at most 20 per autoscale setting (src/schemas/profiles.ts uses it). */
  profilesPerSet: 20,
  /** Ids of targets, rules, rule sets and metric names. */
  idLength: 128,
  /** Instances listed per target for placement; Azure scale sets stop at 1000 VMs. */
  maxInstances: 1_000,
  /** Largest capacity we accept; Azure VM scale sets stop at 1000, Kubernetes deployments far above. */
  maxCapacity: 100_000,
} as const;

/**
 * Bounds on foreign rule sets (Kubernetes HPA manifests, Azure autoscale settings), enforced by the
 * importers themselves (src/formats/hpa-manifest.ts, azure/, bounds.ts), so every entry
 * point gets them: an inline `ruleSet`, POST /v1/validate, bundled files and the CLI (which reads
 * files of up to 16 MiB). Over a bound is an ImportError naming the bound and the path, never an
 * exception. Fixed: no deployment variable lowers them.
 */
export const IMPORT_LIMITS = {
  /**
   * Characters of HPA manifest text (YAML or JSON). One HPA as `kubectl get hpa -o yaml` prints it,
   * with managedFields, status and the last-applied annotation, is 3–8 KB, so this holds a List of
   * about ten. It also bounds CPU: the yaml parser's worst inputs measured about 2 µs per character
   * (~130 ms at this size), so even 16 such manifests (a full 1 MiB body) stay near the 2 s of CPU a
   * request's expressions may use (SECURITY.md).
   */
  manifestChars: 65_536,
  /**
   * Nesting of an imported document, objects and arrays counted. The deepest field read,
   * items[n].spec.metrics[i].external.metric.selector.matchExpressions[j].values[k], is about 10
   * levels and managedFields' fieldsV1 about 20; 64 leaves room, and every recursive walk of the
   * value (yaml's toJS, JSON.stringify in messages, zod) stays far from the stack limit.
   */
  nestingDepth: 64,
  /**
   * YAML aliases (`*name`) in one manifest, and the yaml package's `maxAliasCount` (expansions of
   * an anchor times the aliases inside it). kubectl never writes aliases; a hand-written manifest
   * may share a policy or two. yaml resolves each alias by scanning the document's anchors (quadratic
   * in their number), and an alias repeats its anchor's whole subtree, so a "billion laughs"
   * document of ten short lines expands to 10⁹ values: refused before it is expanded.
   */
  yamlAliases: 100,
  /**
   * Values (objects, arrays and scalars) in one imported document, aliases counted as often as they
   * are expanded. An ARM template holding a whole deployment (scale set, network, autoscale setting)
   * runs to some thousands; this bounds every walk over a runaway or alias-expanded value.
   */
  documentNodes: 100_000,
} as const;

/**
 * Bounds on one simulation request (POST /v1/simulate, `edgescale simulate`; src/service/simulate.ts).
 * Fixed: no deployment variable changes them.
 */
export const SIMULATE_LIMITS = {
  /** Rule sets compared in one request: the setting you run against two or three candidates. */
  ruleSets: 4,
  /**
   * Evaluations per request, all rule sets together (evaluations × rule sets). A week at one-minute
   * steps is 10,080 evaluations; this holds four rule sets compared over that week. `npm run bench`
   * measures a week of a 4-rule set at about 0.3 s of CPU on one core (docs/simulate.md), so a full request
   * stays within a few seconds of CPU, well inside the Workers' 30 s default CPU limit.
   */
  evaluations: 40_320,
  /**
   * JSONata work for all the request's expressions together, in the units of src/engine/expr-budgets.ts
   * (REQUEST_WORK is 10,000,000 for an evaluate batch): at most ~2 s of CPU at the worst measured
   * cost per unit. Each evaluation also keeps its own target budget. Past it, expression rules answer
   * ExprBudget errors in their traces and the rest of the simulation goes on.
   */
  expressionWork: 20_000_000,
  /** Shortest step: a second. Finer steps only multiply evaluations that see the same points. */
  minStepMs: 1_000,
} as const;

/** The limits a deployment may lower, checked on every request. */
export type LimitName = 'bodyBytes' | 'targetsPerBatch' | 'pointsPerSeries' | 'rulesPerSet' | 'expressionLength' | 'profilesPerSet' | 'maxInstances';

/** The worker variable (wrangler.toml [vars] or the dashboard) that lowers each limit. */
export const LIMIT_VARIABLES = {
  bodyBytes: 'EDGESCALE_LIMIT_BODY_BYTES',
  targetsPerBatch: 'EDGESCALE_LIMIT_TARGETS_PER_BATCH',
  pointsPerSeries: 'EDGESCALE_LIMIT_POINTS_PER_SERIES',
  rulesPerSet: 'EDGESCALE_LIMIT_RULES_PER_SET',
  expressionLength: 'EDGESCALE_LIMIT_EXPRESSION_LENGTH',
  profilesPerSet: 'EDGESCALE_LIMIT_PROFILES_PER_SET',
  maxInstances: 'EDGESCALE_LIMIT_INSTANCES_PER_TARGET',
} as const satisfies Record<LimitName, string>;

export type LimitVariable = (typeof LIMIT_VARIABLES)[LimitName];

/** What each limit counts, for the message. */
const UNITS: Record<LimitName, string> = {
  bodyBytes: 'bytes',
  targetsPerBatch: 'targets per batch',
  pointsPerSeries: 'points per series',
  rulesPerSet: 'rules per list',
  expressionLength: 'characters per expression',
  profilesPerSet: 'profiles per rule set',
  maxInstances: 'instances per target',
};

export type RequestLimits = Readonly<Record<LimitName, number>>;

const NAMES = Object.keys(LIMIT_VARIABLES) as LimitName[];

export const DEFAULT_REQUEST_LIMITS: RequestLimits = Object.freeze(Object.fromEntries(NAMES.map((n) => [n, LIMITS[n]])) as Record<LimitName, number>);

/**
 * The effective limits for a deployment. A variable must be a whole number from 1 to the ceiling;
 * a larger one is clamped to the ceiling (the schema would refuse more anyway) and anything else is
 * ignored. Both come back as warnings for the caller to log: a typo in a limit must not take the
 * API down, and the ceiling is a safe value by construction.
 */
export function resolveLimits(vars: { readonly [V in LimitVariable]?: string }): { limits: RequestLimits; warnings: string[] } {
  const limits = { ...DEFAULT_REQUEST_LIMITS } as Record<LimitName, number>;
  const warnings: string[] = [];
  for (const name of NAMES) {
    const variable = LIMIT_VARIABLES[name];
    const raw = vars[variable];
    if (raw === undefined || raw.trim() === '') continue;
    const text = raw.trim();
    // Digits only (no "1e3", "0x10", "10.5"): the value an operator reads is the value in force.
    const value = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < 1) {
      warnings.push(`edgescale: ${variable}="${text.slice(0, 32)}" is not a whole number >= 1; using the default ${LIMITS[name]}`);
    } else if (value > LIMITS[name]) {
      warnings.push(`edgescale: ${variable}=${value} is above the ceiling LIMITS.${name}=${LIMITS[name]}; limits can only be lowered, using ${LIMITS[name]}`);
    } else {
      limits[name] = value;
    }
  }
  return { limits: Object.freeze(limits), warnings };
}

/** "(LIMITS.x)", or "(LIMITS.x, lowered by VAR)" when a variable set it: the message says where to look. */
export function limitSource(name: LimitName, limits: RequestLimits): string {
  return limits[name] === LIMITS[name] ? `LIMITS.${name}` : `LIMITS.${name}, lowered by ${LIMIT_VARIABLES[name]}`;
}

/** A request over one of the limits; HTTP answers it with 422 (src/http/errors.ts). */
export interface LimitIssue {
  code: 'LimitExceeded';
  message: string;
  path: string;
}

function exceeded(path: string, actual: number, name: LimitName, limits: RequestLimits): LimitIssue {
  return {
    code: 'LimitExceeded',
    message: `${path}: ${actual} exceeds the limit of ${limits[name]} ${UNITS[name]} (${limitSource(name, limits)})`,
    path,
  };
}

/** Paths written as formatPath in src/engine/ruleset.ts writes zod's: `a.b[0].c` (not imported: ruleset.ts imports the schema, which imports this file). */
function join(prefix: string, ...keys: Array<string | number>): string {
  let out = prefix;
  for (const k of keys) out += typeof k === 'number' ? `[${k}]` : out ? `.${k}` : k;
  return out;
}

function countOver(value: unknown, path: string, name: LimitName, limits: RequestLimits): LimitIssue | undefined {
  return Array.isArray(value) && value.length > limits[name] ? exceeded(path, value.length, name, limits) : undefined;
}

/** Points of a series in any form: an array of points, or a columnar series's longest column (N values count N points). */
function countPoints(series: unknown, path: string, limits: RequestLimits): LimitIssue | undefined {
  if (!isRecord(series)) return countOver(series, path, 'pointsPerSeries', limits);
  let n = 0;
  for (const column of [series.values, series.t, series.v, series.instances]) if (Array.isArray(column)) n = Math.max(n, column.length);
  return n > limits.pointsPerSeries ? exceeded(path, n, 'pointsPerSeries', limits) : undefined;
}

function exprOver(value: unknown, path: string, limits: RequestLimits): LimitIssue | undefined {
  // String length in UTF-16 units, as zod's .max() and the compiler's ExprTooLong count.
  return typeof value === 'string' && value.length > limits.expressionLength ? exceeded(path, value.length, 'expressionLength', limits) : undefined;
}

/** Rules of one list and the expressions inside them (`when.expr`, `action.expr`). */
function checkRules(rules: unknown, path: string, limits: RequestLimits): LimitIssue | undefined {
  const over = countOver(rules, path, 'rulesPerSet', limits);
  if (over || !Array.isArray(rules)) return over;
  for (const [k, rule] of rules.entries()) {
    if (!isRecord(rule)) continue;
    const found =
      (isRecord(rule.when) && exprOver(rule.when.expr, join(path, k, 'when', 'expr'), limits)) ||
      (isRecord(rule.action) && exprOver(rule.action.expr, join(path, k, 'action', 'expr'), limits));
    if (found) return found;
  }
  return undefined;
}

/**
 * The first limit a rule set (as sent, before validation) goes over, in document order; undefined
 * when it is within every limit. Shapes that are wrong are left to the schema.
 */
export function checkRuleSetLimits(ruleSet: unknown, prefix: string, limits: RequestLimits): LimitIssue | undefined {
  if (!isRecord(ruleSet)) return undefined;
  const at = (...keys: Array<string | number>) => join(prefix, ...keys);
  const first =
    checkRules(ruleSet.rules, at('rules'), limits) ??
    countOver(ruleSet.targetTracking, at('targetTracking'), 'rulesPerSet', limits) ??
    countOver(ruleSet.stepScaling, at('stepScaling'), 'rulesPerSet', limits) ??
    countOver(ruleSet.targets, at('targets'), 'targetsPerBatch', limits) ??
    countOver(ruleSet.profiles, at('profiles'), 'profilesPerSet', limits);
  if (first || !Array.isArray(ruleSet.profiles)) return first;
  for (const [j, profile] of ruleSet.profiles.entries()) {
    const found = isRecord(profile) ? checkRules(profile.rules, at('profiles', j, 'rules'), limits) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** The first limit a POST /v1/evaluate body goes over: the batch, then each target in order. */
export function checkEvaluateLimits(body: unknown, limits: RequestLimits): LimitIssue | undefined {
  if (!isRecord(body)) return undefined;
  const over = countOver(body.targets, 'targets', 'targetsPerBatch', limits);
  if (over || !Array.isArray(body.targets)) return over;
  for (const [i, target] of body.targets.entries()) {
    if (!isRecord(target)) continue;
    const prefix = join('targets', i);
    if (isRecord(target.metrics)) {
      for (const [name, series] of Object.entries(target.metrics)) {
        const found = countPoints(series, join(prefix, 'metrics', name), limits);
        if (found) return found;
      }
    }
    const found = countOver(target.instances, join(prefix, 'instances'), 'maxInstances', limits) ?? checkRuleSetLimits(target.ruleSet, join(prefix, 'ruleSet'), limits);
    if (found) return found;
  }
  return undefined;
}
