// Reading an Azure autoscale setting (any accepted wrapping) into parsed profiles, rules and schedules, with every problem reported on the context.
//
// Sources (shapes and meaning):
// - ARM/Bicep reference "Microsoft.Insights autoscalesettings" and azure-rest-api-specs monitor
//   autoscale_API.json: AutoscaleSetting { profiles (max 20), enabled, name, notifications,
//   predictiveAutoscalePolicy, targetResourceUri, targetResourceLocation }, AutoscaleProfile { name,
//   capacity { minimum, maximum, default } (strings), rules (max 10), fixedDate (TimeWindow { timeZone,
//   start, end }), recurrence { frequency: "Week", schedule { timeZone, days, hours, minutes } } },
//   ScaleRule { metricTrigger, scaleAction }, MetricTrigger { metricName, metricNamespace,
//   metricResourceUri, metricResourceLocation, timeGrain, statistic, timeWindow, timeAggregation,
//   operator, threshold, dividePerInstance, dimensions }, ScaleAction { direction Increase|Decrease|None,
//   type ChangeCount|PercentChangeCount|ExactCount|ServiceAllowedNextValue, value (string, default 1),
//   cooldown }.
import { parseIsoDuration } from '../../syntax/duration.js';
import { DAY_NAMES, isIanaTimeZone, type DayName } from '../../syntax/local-time.js';
import { GRAIN_STATISTICS, OPERATORS, TIME_AGGREGATIONS, type Direction, type GrainStatistic, type Operator, type TimeAggregation } from '../../schemas/vocabulary.js';
import { windowsToIana } from '../windows-zones.js';
import { isRecord } from '../../util/is-record.js';
import { joinPath, type ImportContext } from '../import-context.js';
import { ArmEvaluator, ARM_PLACEHOLDERS, scopeOf, type ArmScope } from './arm-expressions.js';
import { holdsAutoscaleSetting, isAutoscaleResource, isDeploymentResource, isTemplate, MAX_NESTED_DEPLOYMENTS, nestedTemplate, templateResources } from './template-resources.js';

type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Reading helpers

/** ARM template expressions ("[parameters('min')]") are evaluated at deployment; "[[" escapes a literal "[". */
export const ARM_EXPRESSION = /^\[(?!\[)[\s\S]*\]$/;

/** Case-insensitive property read: ARM property names are case-insensitive ("Dimensions" in the docs' own template). */
export function prop(obj: Json, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

export function propKey(obj: Json, key: string): string {
  const lower = key.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower) ?? key;
}

/** Report every key of `obj` that is neither read (`known`) nor harmless metadata (`ignored`). */
export function reportUnknown(obj: Json, known: readonly string[], ignored: readonly string[], path: string, what: string, ctx: ImportContext): void {
  const skip = new Set([...known, ...ignored].map((k) => k.toLowerCase()));
  for (const key of Object.keys(obj)) {
    if (skip.has(key.toLowerCase())) continue;
    ctx.unsupported.push({ path: joinPath(path, key), field: key, message: `${what} field "${key}" has no edgescale equivalent and is left out` });
  }
}

export function fail(ctx: ImportContext, path: string, message: string): undefined {
  ctx.issues.push({ code: 'ImportError', path, message });
  return undefined;
}

/** Why an expression at a path could not be evaluated (resolveExpressions), per import call; whyNot words it. */
const armFailures = new WeakMap<ImportContext, Map<string, string>>();
export const whyNot = (ctx: ImportContext, path: string): string => {
  const reason = armFailures.get(ctx)?.get(path);
  return reason === undefined ? 'evaluated only at deployment' : `not evaluated: ${reason}`;
};

function armExpression(v: unknown, path: string, ctx: ImportContext): boolean {
  if (typeof v === 'string' && ARM_EXPRESSION.test(v.trim())) {
    fail(ctx, path, `"${v}" is an ARM template expression, ${whyNot(ctx, path)}; import the deployed setting (az monitor autoscale show) instead`);
    return true;
  }
  return false;
}

export function readString(obj: Json, key: string, path: string, ctx: ImportContext, required: boolean): string | undefined {
  const v = prop(obj, key);
  const p = joinPath(path, propKey(obj, key));
  if (v === undefined || v === null) return required ? fail(ctx, p, `${key} is required`) : undefined;
  if (typeof v !== 'string') return fail(ctx, p, `expected ${key} as a string`);
  if (armExpression(v, p, ctx)) return undefined;
  return v;
}

/** Azure writes counts as strings ("minimum": "1"); numbers are accepted too. */
function readCount(obj: Json, key: string, path: string, ctx: ImportContext, fallback?: number): number | undefined {
  const v = prop(obj, key);
  const p = joinPath(path, propKey(obj, key));
  if (v === undefined || v === null) return fallback ?? fail(ctx, p, `${key} is required`);
  if (armExpression(v, p, ctx)) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n)) return fail(ctx, p, `expected ${key} as a number or a numeric string such as "1", got ${JSON.stringify(v)}`);
  return n;
}

function readEnum<T extends string>(obj: Json, key: string, values: readonly T[], path: string, ctx: ImportContext, fallback?: T): T | undefined {
  const v = prop(obj, key);
  const p = joinPath(path, propKey(obj, key));
  if (v === undefined || v === null) return fallback ?? fail(ctx, p, `${key} is required`);
  if (typeof v !== 'string') return fail(ctx, p, `expected ${key} as one of ${values.join(', ')}`);
  // Azure reads enum values without regard to case; the native schema spells them one way.
  const found = values.find((x) => x.toLowerCase() === v.trim().toLowerCase());
  return found ?? fail(ctx, p, `${key} "${v}" is not one of ${values.join(', ')}`);
}

/**
 * A resource URI. ARM templates usually compute these ("[resourceId(…)]"); edgescale never calls the
 * resource, so an expression is kept as the metric's identity and reported instead of refused.
 */
export function readUri(obj: Json, key: string, path: string, ctx: ImportContext): string | undefined {
  const v = prop(obj, key);
  const p = joinPath(path, propKey(obj, key));
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return fail(ctx, p, `expected ${key} as a string`);
  if (ARM_EXPRESSION.test(v.trim())) {
    ctx.unsupported.push({ path: p, field: key, message: `"${v}" is an ARM template expression, ${whyNot(ctx, p)}; it is kept only to tell metric sources apart` });
  }
  return v;
}

function readDuration(obj: Json, key: string, path: string, ctx: ImportContext, required: boolean): string | undefined {
  const v = readString(obj, key, path, ctx, required);
  if (v === undefined) return undefined;
  const text = v.trim().toUpperCase();
  if (parseIsoDuration(text) === undefined) {
    return fail(ctx, joinPath(path, propKey(obj, key)), `${key} "${v}" is not an ISO 8601 duration edgescale reads (weeks, days, hours, minutes, seconds, e.g. "PT5M")`);
  }
  return text;
}

function readTimeZone(obj: Json, path: string, ctx: ImportContext): string | undefined {
  const v = readString(obj, 'timeZone', path, ctx, true);
  if (v === undefined) return undefined;
  const iana = windowsToIana(v);
  if (iana) return iana;
  if (isIanaTimeZone(v)) {
    ctx.notes.push(`${joinPath(path, 'timeZone')}: "${v}" is already an IANA zone (Azure expects Windows names such as "Pacific Standard Time"); kept as it is.`);
    return v;
  }
  return fail(
    ctx,
    joinPath(path, propKey(obj, 'timeZone')),
    `"${v}" is not a time zone Azure autoscale accepts (Windows names such as "Pacific Standard Time"; see src/formats/windows-zones.ts)`,
  );
}

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2}))?(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A fixed date's start or end in the native form "YYYY-MM-DDTHH:mm:ss[Z|±HH:MM]". Azure writes these
 * with or without an offset and sometimes with fractional seconds; fractions are dropped (the native
 * schedule works in whole seconds), which is noted when they are not zero.
 */
function readDateTime(obj: Json, key: string, path: string, ctx: ImportContext): string | undefined {
  const v = readString(obj, key, path, ctx, true);
  if (v === undefined) return undefined;
  const m = LOCAL_DATE_TIME.exec(v.trim());
  if (!m) return fail(ctx, joinPath(path, propKey(obj, key)), `${key} "${v}" is not an ISO 8601 date-time such as "2026-12-24T08:00:00"`);
  const [, date, hm = '00:00', sec = '00', frac, off] = m;
  if (frac !== undefined && /[1-9]/.test(frac)) ctx.notes.push(`${joinPath(path, key)}: the fraction of a second in "${v}" is dropped.`);
  let offset = '';
  if (off !== undefined) offset = off.toUpperCase() === 'Z' ? 'Z' : off.includes(':') ? off : `${off.slice(0, 3)}:${off.slice(3)}`;
  return `${date}T${hm}:${sec}${offset}`;
}

// ---------------------------------------------------------------------------------------------
// Parsing profiles, rules and schedules
export type Capacity = { minimum: number; maximum: number; default: number };

const DIRECTIONS = ['Increase', 'Decrease', 'None'] as const;
const ACTION_TYPES = ['ChangeCount', 'PercentChangeCount', 'ExactCount', 'ServiceAllowedNextValue'] as const;
const FREQUENCIES = ['Week', 'Day', 'Hour', 'Minute', 'Month', 'None', 'Second', 'Year'] as const;

/** Where a metric comes from in Azure; rules sharing a metric name but not a source get distinct native names. */
export interface MetricSource {
  name: string;
  uri?: string;
  namespace?: string;
  dimensions: string;
  /** Identity of the source: name (case-insensitive), resource (case-insensitive) and dimension filters. */
  key: string;
}

interface ParsedRule {
  path: string;
  source: MetricSource;
  direction: Direction;
  trigger: {
    timeGrain: string;
    statistic: GrainStatistic;
    timeWindow: string;
    timeAggregation: TimeAggregation;
    operator: Operator;
    threshold: number;
    dividePerInstance: boolean;
  };
  action: { type: 'ChangeCount' | 'PercentChangeCount' | 'ExactCount'; value: number };
  cooldown?: string;
}

export type Schedule =
  { kind: 'none' } | { kind: 'fixed'; timeZone: string; start: string; end: string } | { kind: 'recurrence'; timeZone: string; days: DayName[]; times: number[] };

export interface ParsedProfile {
  index: number;
  path: string;
  name: string;
  /** The portal's copy of the default that ends a recurring profile: name `{"name": …, "for": …}`. */
  marker?: { base: string; for: string };
  capacity: Capacity;
  rules: ParsedRule[];
  schedule: Schedule;
}

export interface Unwrapped {
  setting: Json;
  path: string;
  outer?: Json;
  outerPath: string;
  /** The template's parameters and variables when the setting came from a template; empty otherwise. */
  scope: ArmScope;
}

/**
 * The setting object and where it sits in the input, from any of the accepted wrappings. A template
 * with several autoscale settings needs `name` (the resource's name or properties.name, evaluated when
 * it is an expression) to choose one.
 */
export function unwrap(input: unknown, ctx: ImportContext, name?: string, values?: Record<string, unknown>): Unwrapped | undefined {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (e) {
      return fail(ctx, '', `not JSON: ${(e as Error).message}`);
    }
  }
  if (!isRecord(value)) return fail(ctx, '', 'expected an Azure autoscale setting (a JSON object)');
  // A whole ARM template: take its autoscale setting resource (the one named `name` when there are several),
  // also from the inline templates of nested deployments.
  if (isTemplate(value)) {
    const found = findSettings(value, '', scopeOf(value, values), 0).map((f) => ({ ...f, names: settingNames(f.r, f.scope) }));
    const rPath = propKey(value, 'resources');
    if (found.length === 0) return fail(ctx, rPath, 'expected a resource of type Microsoft.Insights/autoscaleSettings in the template, found none');
    const chosen = name === undefined ? found : found.filter((f) => f.names.includes(name));
    const list = found.map((f) => JSON.stringify(f.names[0] ?? f.path)).join(', ');
    if (chosen.length === 0) return fail(ctx, rPath, `no autoscale setting named "${name}" in the template; it holds ${list}`);
    if (chosen.length > 1) {
      return fail(ctx, rPath, `the template holds ${chosen.length} autoscale settings (${list}); choose one by name${name === undefined ? '' : ` (several are named "${name}")`}`);
    }
    const { r, path, scope } = chosen[0]!;
    const found1 = unwrapResource(r, path, ctx);
    return found1 && { ...found1, scope };
  }
  const found1 = unwrapResource(value, '', ctx);
  if (found1 && name !== undefined && !settingNames(found1.outer ?? found1.setting, found1.scope).includes(name)) {
    return fail(ctx, '', `the autoscale setting is not named "${name}"`);
  }
  return found1;
}

/**
 * The autoscale settings of a template with the scope their expressions are evaluated in: the template's
 * own, or for a nested deployment's inline template ("Using linked and nested templates",
 * expressionEvaluationOptions): with scope "outer" (the default) the parent's parameters and variables;
 * with "inner" the nested template's, its parameters given by the deployment's `properties.parameters`,
 * whose values are evaluated in the parent's scope.
 */
function findSettings(template: Json, base: string, scope: ArmScope, depth: number): { r: Json; path: string; scope: ArmScope }[] {
  const out: { r: Json; path: string; scope: ArmScope }[] = [];
  for (const { resource, path } of templateResources(template, base)) {
    if (isAutoscaleResource(resource)) out.push({ r: resource, path, scope });
    else if (isDeploymentResource(resource) && depth < MAX_NESTED_DEPLOYMENTS) {
      const nested = nestedTemplate(resource);
      // Only a deployment that holds a setting has its passed parameters evaluated: the rest cost nothing.
      if (nested === undefined || !holdsAutoscaleSetting(nested, depth + 1)) continue;
      const props = prop(resource, 'properties') as Json;
      const nestedBase = joinPath(joinPath(path, propKey(resource, 'properties')), propKey(props, 'template'));
      out.push(...findSettings(nested, nestedBase, nestedScope(resource, props, nested, scope), depth + 1));
    }
  }
  return out;
}

function nestedScope(deployment: Json, props: Json, nested: Json, outer: ArmScope): ArmScope {
  const options = prop(props, 'expressionEvaluationOptions');
  const mode = isRecord(options) ? prop(options, 'scope') : undefined;
  if (typeof mode !== 'string' || mode.toLowerCase() !== 'inner') return outer;
  const evaluator = new ArmEvaluator(outer);
  const values: Record<string, unknown> = {};
  const scopedValues = new Set<string>();
  const hashedValues = new Set<string>();
  const unresolved: Record<string, string> = {};
  const passed = prop(props, 'parameters');
  const name = prop(deployment, 'name');
  const where = `passed by the nested deployment ${typeof name === 'string' ? JSON.stringify(name) : ''}`.trimEnd();
  for (const [key, entry] of Object.entries(isRecord(passed) ? passed : {})) {
    if (!isRecord(entry) || !('value' in entry)) {
      unresolved[key] = `${where} as ${isRecord(entry) && 'reference' in entry ? 'a Key Vault reference, which needs Azure' : 'something other than { "value": … }'}`;
      continue;
    }
    try {
      const hashedBefore = evaluator.hashedScope;
      evaluator.hashedScope = false;
      const r = evaluator.resolveScoped(entry.value);
      values[key] = r.value;
      if (r.scoped) scopedValues.add(key.toLowerCase());
      if (evaluator.hashedScope) hashedValues.add(key.toLowerCase());
      evaluator.hashedScope ||= hashedBefore;
    } catch (e) {
      unresolved[key] = `${where}, not evaluated: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  // A deployment to another resource group or subscription: resourceGroup() and subscription() describe it there.
  const target = { ...outer.target };
  for (const [field, key] of [['subscriptionId', 'subscriptionId'], ['resourceGroup', 'resourceGroupName']] as const) {
    const raw = prop(deployment, field);
    if (raw === undefined) continue;
    try {
      const v = evaluator.resolve(raw);
      target[key] = typeof v === 'string' ? v : `{${field} of ${where.slice('passed by the '.length)}}`;
    } catch {
      target[key] = `{${field} of ${where.slice('passed by the '.length)}}`;
    }
  }
  return { ...scopeOf(nested, values), unresolved, scopedValues, hashedValues, ...(Object.keys(target).length > 0 && { target }) };
}

/** The names a setting resource answers to: its name and properties.name, as written and as evaluated. */
function settingNames(resource: Json, scope: ArmScope): string[] {
  const evaluator = new ArmEvaluator(scope);
  const props = prop(resource, 'properties');
  const out: string[] = [];
  for (const raw of [prop(resource, 'name'), isRecord(props) ? prop(props, 'name') : undefined]) {
    if (typeof raw !== 'string') continue;
    try {
      const v = evaluator.evaluateString(raw);
      if (typeof v === 'string') out.push(v);
    } catch {
      // Not evaluable (a parameter without default): the name as written still matches.
    }
    out.push(raw);
  }
  return [...new Set(out)];
}

/**
 * Every ARM expression in `value` (the setting, or the resource around it) evaluated against the
 * template's parameters and variables. An expression that cannot be evaluated stays as written, and
 * why is kept by path: the readers then refuse it where edgescale needs the value, and report it where
 * it only names a resource.
 */
export function resolveExpressions(value: Json, path: string, scope: ArmScope, ctx: ImportContext): Json {
  const evaluator = new ArmEvaluator(scope);
  const failures = armFailures.get(ctx) ?? new Map<string, string>();
  armFailures.set(ctx, failures);
  let placeholders = false;
  const walk = (v: unknown, p: string): unknown => {
    if (typeof v === 'string') {
      if (!ARM_EXPRESSION.test(v.trim()) && !v.trim().startsWith('[[')) return v;
      try {
        const { value: out, scoped } = evaluator.evaluateScoped(v);
        if (scoped) placeholders = true;
        return out;
      } catch (e) {
        failures.set(p, e instanceof Error ? e.message : String(e));
        return v;
      }
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${p}[${i}]`));
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, joinPath(p, k))]));
    return v;
  };
  const out = walk(value, path) as Json;
  if (placeholders) {
    ctx.notes.push(
      `ARM expressions were evaluated with the template's defaults; the deployment's subscription, resource group and location are unknown here and written ${Object.values(ARM_PLACEHOLDERS).join(', ')}.`,
    );
  }
  if (evaluator.hashedScope) {
    ctx.notes.push(
      'uniqueString() was given the deployment scope (such as resourceGroup().id): where its 13 characters appear in a value here, they hash the placeholders, not the deployed scope, so such names differ from the deployed ones (they still tell resources apart).',
    );
  }
  return out;
}

function unwrapResource(value: Json, base: string, ctx: ImportContext): Unwrapped | undefined {
  const properties = prop(value, 'properties');
  const scope: ArmScope = { parameters: {}, variables: {} };
  if (isRecord(properties) && prop(value, 'profiles') === undefined) {
    return { setting: properties, path: joinPath(base, propKey(value, 'properties')), outer: value, outerPath: base, scope };
  }
  if (prop(value, 'profiles') !== undefined) return { setting: value, path: base, outerPath: base, scope };
  return fail(ctx, base, 'expected an Azure autoscale setting: an object with "profiles" (as az monitor autoscale show prints it) or "properties.profiles" (an ARM resource)');
}

/** The portal's name for an end-of-profile copy of the default: a JSON object with "name" and "for". */
function parseMarker(name: string): { base: string; for: string } | undefined {
  if (!name.trimStart().startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(name);
    if (isRecord(v) && typeof v.for === 'string') return { base: typeof v.name === 'string' ? v.name : 'default', for: v.for };
  } catch {
    // Not JSON: an ordinary profile name that happens to start with "{".
  }
  return undefined;
}

function parseRule(raw: unknown, path: string, ctx: ImportContext): ParsedRule | undefined {
  if (!isRecord(raw)) return fail(ctx, path, 'expected a scale rule { metricTrigger, scaleAction }');
  reportUnknown(raw, ['metricTrigger', 'scaleAction'], [], path, 'scale rule', ctx);
  const trigger = prop(raw, 'metricTrigger');
  const action = prop(raw, 'scaleAction');
  const tPath = joinPath(path, propKey(raw, 'metricTrigger'));
  const aPath = joinPath(path, propKey(raw, 'scaleAction'));
  if (!isRecord(trigger)) return fail(ctx, tPath, 'metricTrigger is required (an object)');
  if (!isRecord(action)) return fail(ctx, aPath, 'scaleAction is required (an object)');

  reportUnknown(
    trigger,
    [
      'metricName',
      'metricNamespace',
      'metricResourceUri',
      'metricResourceLocation',
      'timeGrain',
      'statistic',
      'timeWindow',
      'timeAggregation',
      'operator',
      'threshold',
      'dividePerInstance',
      'dimensions',
    ],
    [],
    tPath,
    'metricTrigger',
    ctx,
  );
  const metricName = readString(trigger, 'metricName', tPath, ctx, true);
  const namespace = readString(trigger, 'metricNamespace', tPath, ctx, false);
  const uri = readUri(trigger, 'metricResourceUri', tPath, ctx);
  const timeGrain = readDuration(trigger, 'timeGrain', tPath, ctx, true);
  const timeWindow = readDuration(trigger, 'timeWindow', tPath, ctx, true);
  // Azure's documented defaults: statistic and timeAggregation Average, dividePerInstance false.
  const statistic = readEnum(trigger, 'statistic', GRAIN_STATISTICS, tPath, ctx, 'Average');
  const timeAggregation = readEnum(trigger, 'timeAggregation', TIME_AGGREGATIONS, tPath, ctx, 'Average');
  const operator = readEnum(trigger, 'operator', OPERATORS, tPath, ctx);
  const threshold = readCount(trigger, 'threshold', tPath, ctx);
  const dpi = prop(trigger, 'dividePerInstance');
  if (dpi !== undefined && dpi !== null && typeof dpi !== 'boolean') fail(ctx, joinPath(tPath, 'dividePerInstance'), 'expected dividePerInstance as true or false');
  const dividePerInstance = dpi === true;

  const dims = prop(trigger, 'dimensions');
  let dimensions = '';
  if (Array.isArray(dims) && dims.length > 0) {
    const names = dims.map((d) => (isRecord(d) ? String(prop(d, 'DimensionName') ?? '?') : '?'));
    ctx.unsupported.push({
      path: joinPath(tPath, propKey(trigger, 'dimensions')),
      field: 'dimensions',
      message: `dimension filter on ${names.map((n) => `"${n}"`).join(', ')} is not applied: edgescale reads the metric's points as the request sends them, so send only the filtered series`,
    });
    dimensions = JSON.stringify(dims);
  } else if (dims !== undefined && dims !== null && !Array.isArray(dims)) {
    fail(ctx, joinPath(tPath, propKey(trigger, 'dimensions')), 'expected dimensions as an array');
  }

  reportUnknown(action, ['direction', 'type', 'value', 'cooldown'], [], aPath, 'scaleAction', ctx);
  const direction = readEnum(action, 'direction', DIRECTIONS, aPath, ctx);
  const type = readEnum(action, 'type', ACTION_TYPES, aPath, ctx);
  // REST: "This value must be 1 or greater. The default value is 1."
  const value = readCount(action, 'value', aPath, ctx, 1);
  const cooldown = readDuration(action, 'cooldown', aPath, ctx, false);

  if (
    metricName === undefined ||
    timeGrain === undefined ||
    timeWindow === undefined ||
    statistic === undefined ||
    timeAggregation === undefined ||
    operator === undefined ||
    threshold === undefined ||
    direction === undefined ||
    type === undefined ||
    value === undefined
  ) {
    return undefined;
  }
  if (direction === 'None') {
    ctx.unsupported.push({ path: joinPath(aPath, 'direction'), field: 'direction', message: 'a rule with direction "None" never scales; it is left out' });
    return undefined;
  }
  if (type === 'ServiceAllowedNextValue') {
    ctx.unsupported.push({
      path: joinPath(aPath, 'type'),
      field: 'type',
      message: `scale action type "ServiceAllowedNextValue" (the next size the Azure service allows) has no native equivalent; this ${direction === 'Increase' ? 'scale-out' : 'scale-in'} rule is left out${direction === 'Decrease' ? ', so scale-in no longer waits for it' : ''}`,
    });
    return undefined;
  }
  const vPath = joinPath(aPath, propKey(action, 'value'));
  if (type === 'ChangeCount' && (!Number.isInteger(value) || value < 1)) return fail(ctx, vPath, `ChangeCount value must be a whole number of at least 1, got ${value}`);
  if (type === 'PercentChangeCount' && !(value > 0)) return fail(ctx, vPath, `PercentChangeCount value must be above 0, got ${value}`);
  if (type === 'ExactCount' && (!Number.isInteger(value) || value < 0)) return fail(ctx, vPath, `ExactCount value must be a whole number of at least 0, got ${value}`);
  if (cooldown === undefined && prop(action, 'cooldown') === undefined) {
    ctx.notes.push(`${aPath}: no cooldown given (Azure requires one); the rule set's default cooldown PT5M applies.`);
  }

  const source: MetricSource = {
    name: metricName,
    ...(uri !== undefined && { uri }),
    ...(namespace !== undefined && { namespace }),
    dimensions,
    // The namespace only qualifies the name (the CLI leaves it out where the portal writes it), so it is not part of the identity.
    key: [metricName.toLowerCase(), (uri ?? '').toLowerCase(), dimensions].join('\u0000'),
  };
  return {
    path,
    source,
    direction: direction === 'Increase' ? 'out' : 'in',
    trigger: { timeGrain, statistic, timeWindow, timeAggregation, operator, threshold, dividePerInstance },
    action: { type, value },
    ...(cooldown !== undefined && { cooldown }),
  };
}

function parseSchedule(raw: Json, path: string, ctx: ImportContext): Schedule | undefined {
  const fixed = prop(raw, 'fixedDate');
  const recurrence = prop(raw, 'recurrence');
  const hasFixed = fixed !== undefined && fixed !== null;
  const hasRecurrence = recurrence !== undefined && recurrence !== null;
  if (hasFixed && hasRecurrence) {
    // The REST reference: each "is not used if the other element is used"; which one wins is not said.
    return fail(ctx, path, 'a profile has either fixedDate or recurrence, not both');
  }
  if (hasFixed) {
    const fPath = joinPath(path, propKey(raw, 'fixedDate'));
    if (!isRecord(fixed)) return fail(ctx, fPath, 'expected fixedDate as { timeZone, start, end }');
    reportUnknown(fixed, ['timeZone', 'start', 'end'], [], fPath, 'fixedDate', ctx);
    let timeZone: string | undefined = 'Etc/UTC';
    if (prop(fixed, 'timeZone') === undefined || prop(fixed, 'timeZone') === null) {
      // TimeWindow.timeZone is optional in the REST reference; times without an offset are then read as UTC.
      ctx.notes.push(`${fPath}: no timeZone; start and end without an offset are read as UTC.`);
    } else timeZone = readTimeZone(fixed, fPath, ctx);
    const start = readDateTime(fixed, 'start', fPath, ctx);
    const end = readDateTime(fixed, 'end', fPath, ctx);
    if (timeZone === undefined || start === undefined || end === undefined) return undefined;
    if (/(Z|[+-]\d{2}:\d{2})$/.test(start) || /(Z|[+-]\d{2}:\d{2})$/.test(end)) {
      ctx.notes.push(`${fPath}: a start or end with its own offset ("${start}", "${end}") is read as that exact instant, not in timeZone.`);
    }
    return { kind: 'fixed', timeZone, start, end };
  }
  if (hasRecurrence) {
    const rPath = joinPath(path, propKey(raw, 'recurrence'));
    if (!isRecord(recurrence)) return fail(ctx, rPath, 'expected recurrence as { frequency, schedule }');
    reportUnknown(recurrence, ['frequency', 'schedule'], [], rPath, 'recurrence', ctx);
    const frequency = readEnum(recurrence, 'frequency', FREQUENCIES, rPath, ctx, 'Week');
    if (frequency !== undefined && frequency !== 'Week') {
      // REST: "This value must be Week, meaning each week will have the same set of profiles."
      return fail(ctx, joinPath(rPath, 'frequency'), `recurrence frequency "${frequency}" is not supported: Azure autoscale requires "Week"`);
    }
    const schedule = prop(recurrence, 'schedule');
    const sPath = joinPath(rPath, propKey(recurrence, 'schedule'));
    if (!isRecord(schedule)) return fail(ctx, sPath, 'expected schedule as { timeZone, days, hours, minutes }');
    reportUnknown(schedule, ['timeZone', 'days', 'hours', 'minutes'], [], sPath, 'schedule', ctx);
    const timeZone = readTimeZone(schedule, sPath, ctx);
    const days = readDays(schedule, sPath, ctx);
    const hours = readClockList(schedule, 'hours', 23, sPath, ctx);
    const minutes = readClockList(schedule, 'minutes', 59, sPath, ctx);
    if (timeZone === undefined || days === undefined || hours === undefined || minutes === undefined) return undefined;
    // "A collection of hours" and "a collection of minutes at which the profile takes effect": every
    // listed hour at every listed minute, as in a cron pattern.
    const times = [...new Set(hours.flatMap((h) => minutes.map((m) => h * 60 + m)))].sort((a, b) => a - b);
    return { kind: 'recurrence', timeZone, days, times };
  }
  return { kind: 'none' };
}

function readDays(schedule: Json, path: string, ctx: ImportContext): DayName[] | undefined {
  const v = prop(schedule, 'days');
  const p = joinPath(path, propKey(schedule, 'days'));
  if (!Array.isArray(v) || v.length === 0) return fail(ctx, p, 'expected days as a non-empty list of day names ("Monday" … "Sunday")');
  const out: DayName[] = [];
  for (const [i, d] of v.entries()) {
    const day = typeof d === 'string' ? DAY_NAMES.find((n) => n.toLowerCase() === d.trim().toLowerCase()) : undefined;
    if (!day) return fail(ctx, `${p}[${i}]`, `${JSON.stringify(d)} is not a day name ("Monday" … "Sunday")`);
    if (!out.includes(day)) out.push(day);
  }
  return out;
}

function readClockList(schedule: Json, key: 'hours' | 'minutes', max: number, path: string, ctx: ImportContext): number[] | undefined {
  const v = prop(schedule, key);
  const p = joinPath(path, propKey(schedule, key));
  if (!Array.isArray(v) || v.length === 0) return fail(ctx, p, `expected ${key} as a non-empty list of whole numbers 0–${max}`);
  const out: number[] = [];
  for (const [i, x] of v.entries()) {
    const n = typeof x === 'string' && /^\d+$/.test(x) ? Number(x) : x;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) return fail(ctx, `${p}[${i}]`, `${JSON.stringify(x)} is not a whole number 0–${max}`);
    out.push(n);
  }
  return out;
}

export function parseProfile(raw: unknown, index: number, path: string, ctx: ImportContext): ParsedProfile | undefined {
  if (!isRecord(raw)) return fail(ctx, path, 'expected a profile { name, capacity, rules, fixedDate | recurrence }');
  reportUnknown(raw, ['name', 'capacity', 'rules', 'fixedDate', 'recurrence'], [], path, 'profile', ctx);
  const name = readString(raw, 'name', path, ctx, false) ?? `profile ${index}`;
  const capRaw = prop(raw, 'capacity');
  const cPath = joinPath(path, propKey(raw, 'capacity'));
  let capacity: Capacity | undefined;
  if (!isRecord(capRaw)) fail(ctx, cPath, 'capacity is required: { minimum, maximum, default }');
  else {
    reportUnknown(capRaw, ['minimum', 'maximum', 'default'], [], cPath, 'capacity', ctx);
    const minimum = readCount(capRaw, 'minimum', cPath, ctx);
    const maximum = readCount(capRaw, 'maximum', cPath, ctx);
    const def = readCount(capRaw, 'default', cPath, ctx);
    if (minimum !== undefined && maximum !== undefined && def !== undefined) capacity = { minimum, maximum, default: def };
  }
  const rulesRaw = prop(raw, 'rules');
  const rPath = joinPath(path, propKey(raw, 'rules'));
  const rules: ParsedRule[] = [];
  if (rulesRaw !== undefined && rulesRaw !== null && !Array.isArray(rulesRaw)) fail(ctx, rPath, 'expected rules as an array');
  if (Array.isArray(rulesRaw)) {
    rulesRaw.forEach((r, i) => {
      const rule = parseRule(r, `${rPath}[${i}]`, ctx);
      if (rule) rules.push(rule);
    });
  }
  const schedule = parseSchedule(raw, path, ctx);
  if (capacity === undefined || schedule === undefined) return undefined;
  const marker = schedule.kind === 'recurrence' ? parseMarker(name) : undefined;
  return { index, path, name, capacity, rules, schedule, ...(marker && { marker }) };
}
