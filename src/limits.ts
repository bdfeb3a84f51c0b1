// Size limits on what a request may carry, each sized so one request stays inside a Workers isolate.
//
// Three layers. LIMIT_CEILINGS are the hard ceilings, each with its reason: the zod schemas
// (src/schema.ts, src/schemas/*) and the engine are built from them (through LIMITS) and cannot change
// at run time. DEFAULT_REQUEST_LIMITS are the limits in force when a deployment sets nothing. A
// deployment may raise or lower each request limit, up to its ceiling, with worker variables
// (LIMIT_VARIABLES); those effective limits are checked at the HTTP edge before zod sees the body
// (src/http/body.ts), so a request over a limit is refused whole, with the limit named in the message,
// before any work is done for it.
//
// The sizes follow from one measurement (`npm run bench:fleet`, bench/fleet.ts, BENCHMARKS.md): a batch
// of 10,000 targets × 4 metric rules × 2 metrics × 60 one-minute points in the columnar series form is
// an 8.8 MiB body (923 bytes per target); Node 20 parses and decides it in 0.75–0.9 s on one core of the
// shared 2-core bench machine (median of 5, load 3.3–3.8), holding ~48 MiB live (parsed body and
// answer), and completes it under --max-old-space-size=128 and =80 (not 64). So one such batch fits a
// 128 MB isolate, with room for the engine's own working set.
import { isRecord } from './util/is-record.js';

const MiB = 1_048_576;

/**
 * The most a deployment may raise each request limit to (LIMIT_VARIABLES), and the bound the schemas
 * are built from. Each is what one request may carry while staying inside a 128 MB isolate; the body
 * ceiling bounds them all together.
 */
export const LIMIT_CEILINGS = {
  /**
   * Request body. A 10,000-target columnar fleet batch (the targetsPerBatch ceiling, measured above) is
   * 8.8 MiB, so 12 MiB holds it with room for longer ids, values and labels. Raising the body limit
   * toward this trusts the callers (a body is parsed only after its credential is checked, by the auth
   * middleware on /v1/*; a signature check holds the bytes, unparsed): JSON
   * of the most expensive shape (`[{},{},…]`) parses to about 23 bytes of heap per byte on Node (about
   * half that in workerd, which compresses pointers), so a hostile 12 MiB body can exhaust an isolate
   * where a fleet batch of the same size does not.
   */
  bodyBytes: 12 * MiB,
  /** Targets in one batch: 10,000 columnar targets of the measured shape fit a 128 MB isolate (above). */
  targetsPerBatch: 10_000,
  /**
   * Points in one metric series: a month of one-minute points (43,200) from one instance. The body
   * limit still bounds the points of a whole request (a columnar value is ~6 bytes).
   */
  pointsPerSeries: 50_000,
  /**
   * Rules in one list: each extra metric rule costs 10–18 µs per target (issue #15's profile), so 200
   * rules keep one target's decision within a few ms; Azure itself allows 10 per profile.
   */
  rulesPerSet: 200,
  /**
   * Characters of one JSONata expression: a page of code. Compiling is linear in the source and the
   * expression budgets (src/engine/expr-budgets.ts) bound evaluation whatever the length.
   */
  expressionLength: 16_384,
  /** Scheduled profiles in one rule set: five times Azure's 20, for schedules Azure would split over several settings. */
  profilesPerSet: 100,
  /**
   * Instances listed per target for placement: a Kubernetes deployment far beyond Azure's 1,000 VMs
   * (10× the default; the body limit bounds the instances of a whole request).
   */
  maxInstances: 10_000,
} as const;

export const LIMITS = {
  ...LIMIT_CEILINGS,
  /** Ids of targets, rules, rule sets and metric names. */
  idLength: 128,
  /** Largest capacity we accept; Azure VM scale sets stop at 1000, Kubernetes deployments far above. */
  maxCapacity: 100_000,
} as const;

/**
 * Bounds on foreign rule sets (Kubernetes HPA manifests, Azure autoscale settings), enforced by the
 * importers themselves (src/formats/hpa-manifest.ts, azure/, bounds.ts), so every entry
 * point gets them: an inline `ruleSet`, POST /v1/validate, bundled files and the CLI (which reads
 * files of up to 16 MiB). Over a bound is an ImportError naming the bound and the path, never an
 * exception. Fixed: no deployment variable changes them.
 */
export const IMPORT_LIMITS = {
  /**
   * Characters of HPA manifest text (YAML or JSON). One HPA as `kubectl get hpa -o yaml` prints it,
   * with managedFields, status and the last-applied annotation, is 3–8 KB, so this holds a List of
   * about ten. It also bounds CPU: the yaml parser's worst inputs measured about 2 µs per character
   * (~130 ms at this size, ~2 s per MiB): a default 1 MiB body of such manifests costs ~2 s of CPU
   * and a body at its 12 MiB ceiling ~25 s, inside the Workers' 30 s default CPU limit.
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

/** The limits a deployment may set, checked on every request. */
export type LimitName = keyof typeof LIMIT_CEILINGS;

/** The worker variable (wrangler.toml [vars] or the dashboard) that sets each limit. */
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

/**
 * The limits in force when no variable sets them. They must hold for a body of any shape, hostile ones
 * included, not just the fleet batch measured above: the binding one is the body, because JSON.parse
 * runs before any count is checked and the worst shape (`[{},{},…]`) parses to ~23× its size on Node.
 * Issue #12's guarantee — any request the default limits accept costs ≤ 64 MB of heap growth and
 * ≤ 2 s of CPU (npm run bench:hostile) — keeps the default body at 1 MiB (~24 MB parsed at worst); a
 * deployment that trusts its callers raises it toward the ceiling. A 1 MiB body holds about 1,100
 * targets of the measured columnar shape (~225 in the point-object form), so targetsPerBatch 1,000
 * lets an honest columnar batch be refused by the body, not the count; the others keep the values real
 * rule sets need (scripts/bench-hostile.mjs reads this block: keep one `name: value,` per line).
 */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = Object.freeze({
  /** Request body: 1 MiB (above). */
  bodyBytes: 1_048_576,
  /** Targets in one batch: about what a default body holds in the columnar form (above). */
  targetsPerBatch: 1_000,
  /** Points in one metric series: a week of one-minute points (10,080) from one instance, or a day from seven. */
  pointsPerSeries: 10_000,
  /** Rules in one list; Azure allows 10 per profile, so 50 leaves room without inviting abuse. */
  rulesPerSet: 50,
  /** Characters of one JSONata expression; real conditions are a line or two. */
  expressionLength: 4_096,
  /** Scheduled profiles in one rule set: Azure allows at most 20 per autoscale setting. */
  profilesPerSet: 20,
  /** Instances listed per target for placement; Azure scale sets stop at 1000 VMs. */
  maxInstances: 1_000,
});

const NAMES = Object.keys(LIMIT_VARIABLES) as LimitName[];

/**
 * The effective limits for a deployment. A variable must be a whole number from 1 to the limit's
 * ceiling (LIMIT_CEILINGS); it may raise the default as well as lower it. A larger one (the schema
 * would refuse more anyway) and anything else are refused, keeping the default. Both come back as warnings for the caller to log: a typo in a limit must not take the API
 * down, and the default and the ceiling are safe values by construction.
 */
export function resolveLimits(vars: { readonly [V in LimitVariable]?: string }): { limits: RequestLimits; warnings: string[] } {
  // Every request asks: the same variables give the same answer, read once per environment object.
  const cached = RESOLVED.get(vars);
  if (cached !== undefined && NAMES.every((name, i) => cached.values[i] === vars[LIMIT_VARIABLES[name]])) return cached.result;
  const result = readLimits(vars);
  RESOLVED.set(vars, { values: NAMES.map((name) => vars[LIMIT_VARIABLES[name]]), result });
  return result;
}

/** resolveLimits' answers, per environment object, with the variable values they were read from. */
const RESOLVED = new WeakMap<object, { values: Array<string | undefined>; result: { limits: RequestLimits; warnings: string[] } }>();

function readLimits(vars: { readonly [V in LimitVariable]?: string }): { limits: RequestLimits; warnings: string[] } {
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
      warnings.push(`edgescale: ${variable}="${text.slice(0, 32)}" is not a whole number >= 1; using the default ${DEFAULT_REQUEST_LIMITS[name]}`);
    } else if (value > LIMIT_CEILINGS[name]) {
      warnings.push(`edgescale: ${variable}=${value} is above the ceiling LIMIT_CEILINGS.${name}=${LIMIT_CEILINGS[name]}; refused, using the default ${DEFAULT_REQUEST_LIMITS[name]}`);
    } else {
      limits[name] = value;
    }
  }
  return { limits: Object.freeze(limits), warnings };
}

/** "DEFAULT_REQUEST_LIMITS.x", or "set by VAR" when a variable set it: the message says where to look. */
export function limitSource(name: LimitName, limits: RequestLimits): string {
  return limits[name] === DEFAULT_REQUEST_LIMITS[name] ? `DEFAULT_REQUEST_LIMITS.${name}` : `set by ${LIMIT_VARIABLES[name]}`;
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

/**
 * The first limit a POST /v1/simulate body goes over: its metric series, then each rule set. The
 * schema is built from the ceilings, so without this a simulation would be held to LIMIT_CEILINGS
 * rather than to the deployment's limits.
 */
export function checkSimulateLimits(body: unknown, limits: RequestLimits): LimitIssue | undefined {
  if (!isRecord(body)) return undefined;
  if (isRecord(body.metrics)) {
    for (const [name, series] of Object.entries(body.metrics)) {
      const found = countPoints(series, join('metrics', name), limits);
      if (found) return found;
    }
  }
  if (!Array.isArray(body.ruleSets)) return undefined;
  for (const [i, ruleSet] of body.ruleSets.entries()) {
    const found = checkRuleSetLimits(ruleSet, join('ruleSets', i), limits);
    if (found) return found;
  }
  return undefined;
}
