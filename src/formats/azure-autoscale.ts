// Azure autoscale settings (az monitor autoscale show, ARM resources and templates) to native rule sets, and the supported subset back.
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
// - "Understand autoscale settings" (autoscale-understanding-settings.md): recurrence profiles "only have
//   a start time. They run until the next recurrence profile or fixed date profile is set to start."
// - "Autoscale with multiple profiles" (autoscale-multiprofile.md) and azure-cli monitor
//   operations/autoscale_settings.py `_create_recurring_profile` + _autoscale_util.py
//   `build_autoscale_profile`: the portal and the CLI give a recurring profile an end by adding a copy of
//   the default profile named `{"name": "<default name>", "for": "<profile>"}` that starts, on the same
//   days, at the end time; such a copy may be the only "default" left in the setting.
// Meaning on the native side: docs/rules.md, docs/schedules.md; this mapping: docs/importing.md.
import { parseIsoDuration } from '../engine/duration.js';
import { DAY_NAMES, isIanaTimeZone, type DayName } from '../engine/profiles.js';
import { loadRuleSet, type CompiledRuleSet } from '../engine/ruleset.js';
import { GRAIN_STATISTICS, OPERATORS, TIME_AGGREGATIONS, type Direction, type GrainStatistic, type Operator, type TimeAggregation } from '../schemas/vocabulary.js';
import { IMPORT_LIMITS, LIMITS } from '../limits.js';
import { checkValueBounds } from './bounds.js';
import type { RuleSet, RuleSetInput } from '../schema.js';
import { ianaToWindows, WINDOWS_TO_IANA, windowsToIana } from './windows-zones.js';
import { isRecord } from '../util/is-record.js';

// ---------------------------------------------------------------------------------------------
// Result shapes shared by the importers

/** A field of the input that edgescale cannot honour; named so the user sees exactly what was left out. */
export interface UnsupportedField {
  /** Where it is in the input, e.g. "properties.profiles[0].rules[2].metricTrigger.dimensions". */
  path: string;
  /** The field's own name, e.g. "dimensions". */
  field: string;
  message: string;
}

interface ImportIssue {
  code: 'ImportError';
  message: string;
  path: string;
}

export type ImportResult =
  /** `compiled` is `ruleSet` as loadRuleSet compiled it: callers use it rather than load (and hash) it again. */
  | { ok: true; ruleSet: RuleSetInput; compiled: CompiledRuleSet; unsupported: UnsupportedField[]; notes: string[] }
  | { ok: false; issues: ImportIssue[] };

export interface ImportOptions {
  /** Id of the produced rule set; defaults to the setting's (or manifest's) name made into an id. */
  id?: string;
}

/** What an importer collects while it walks the input; one per call, never shared. */
export interface ImportContext {
  issues: ImportIssue[];
  unsupported: UnsupportedField[];
  notes: string[];
}

export const newContext = (): ImportContext => ({ issues: [], unsupported: [], notes: [] });

type Json = Record<string, unknown>;
export const joinPath = (base: string, key: string | number): string =>
  typeof key === 'number' ? `${base}[${key}]` : base === '' ? key : `${base}.${key}`;

/** Name or text made into a native id: letters, digits, . _ - ; starting with a letter or digit; at most `max` characters. */
export function toId(text: string, fallback: string, max: number = LIMITS.idLength): string {
  const slug = text
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, max)
    .replace(/[-.]+$/, '');
  return slug === '' ? fallback : slug;
}

/** Lower-case slug for rule ids ("Percentage CPU" → "percentage-cpu"). */
export function slug(text: string, fallback: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
  return s === '' ? fallback : s;
}

/** `base`, or `base-2`, `base-3`, … : the first not in `used` (which it is added to). */
export function uniqueId(base: string, used: Set<string>, sep = '-'): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}${sep}${n}`;
  used.add(id);
  return id;
}

/**
 * Every converted rule set is loaded once before it is returned, so `ok: true` always means
 * `loadRuleSet` accepts it, and the compiled set goes back with it. A problem found only there is
 * reported at the input path it came from (`locate` maps native paths back), with the native path in
 * the message.
 */
export function validateConverted(ruleSet: RuleSetInput, ctx: ImportContext, locate: (nativePath: string) => string): CompiledRuleSet | undefined {
  const loaded = loadRuleSet(ruleSet);
  if (loaded.ok) return loaded.ruleSet;
  for (const issue of loaded.issues) {
    ctx.issues.push({ code: 'ImportError', path: locate(issue.path), message: `the converted rule set is invalid at ${issue.path}: ${issue.message}` });
  }
}

// ---------------------------------------------------------------------------------------------
// Azure shapes (as `az monitor autoscale show` prints them, which is also what export writes)

interface AzureScaleCapacity {
  minimum: string;
  maximum: string;
  default: string;
}

interface AzureMetricTrigger {
  metricName: string;
  metricNamespace?: string;
  metricResourceUri?: string;
  timeGrain: string;
  statistic: string;
  timeWindow: string;
  timeAggregation: string;
  operator: string;
  threshold: number;
  dividePerInstance: boolean;
}

interface AzureScaleAction {
  direction: 'Increase' | 'Decrease';
  type: 'ChangeCount' | 'PercentChangeCount' | 'ExactCount';
  value: string;
  cooldown: string;
}

interface AzureScaleRule {
  metricTrigger: AzureMetricTrigger;
  scaleAction: AzureScaleAction;
}

interface AzureProfile {
  name: string;
  capacity: AzureScaleCapacity;
  rules: AzureScaleRule[];
  fixedDate?: { timeZone: string; start: string; end: string };
  recurrence?: { frequency: 'Week'; schedule: { timeZone: string; days: string[]; hours: number[]; minutes: number[] } };
}

interface AzureAutoscaleSetting {
  name: string;
  enabled: boolean;
  targetResourceUri?: string;
  targetResourceLocation?: string;
  profiles: AzureProfile[];
  notifications: [];
}

// ---------------------------------------------------------------------------------------------
// Reading helpers

/** ARM template expressions ("[parameters('min')]") are evaluated at deployment; "[[" escapes a literal "[". */
const ARM_EXPRESSION = /^\[(?!\[)[\s\S]*\]$/;

/** Case-insensitive property read: ARM property names are case-insensitive ("Dimensions" in the docs' own template). */
function prop(obj: Json, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

function propKey(obj: Json, key: string): string {
  const lower = key.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower) ?? key;
}

/** Report every key of `obj` that is neither read (`known`) nor harmless metadata (`ignored`). */
function reportUnknown(obj: Json, known: readonly string[], ignored: readonly string[], path: string, what: string, ctx: ImportContext): void {
  const skip = new Set([...known, ...ignored].map((k) => k.toLowerCase()));
  for (const key of Object.keys(obj)) {
    if (skip.has(key.toLowerCase())) continue;
    ctx.unsupported.push({ path: joinPath(path, key), field: key, message: `${what} field "${key}" has no edgescale equivalent and is left out` });
  }
}

function fail(ctx: ImportContext, path: string, message: string): undefined {
  ctx.issues.push({ code: 'ImportError', path, message });
  return undefined;
}

function armExpression(v: unknown, path: string, ctx: ImportContext): boolean {
  if (typeof v === 'string' && ARM_EXPRESSION.test(v.trim())) {
    fail(ctx, path, `"${v}" is an ARM template expression, evaluated only at deployment; import the deployed setting (az monitor autoscale show) instead`);
    return true;
  }
  return false;
}

function readString(obj: Json, key: string, path: string, ctx: ImportContext, required: boolean): string | undefined {
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
function readUri(obj: Json, key: string, path: string, ctx: ImportContext): string | undefined {
  const v = prop(obj, key);
  const p = joinPath(path, propKey(obj, key));
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return fail(ctx, p, `expected ${key} as a string`);
  if (ARM_EXPRESSION.test(v.trim())) {
    ctx.unsupported.push({ path: p, field: key, message: `"${v}" is an ARM template expression and is not evaluated; it is kept only to tell metric sources apart` });
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
  return fail(ctx, joinPath(path, propKey(obj, 'timeZone')), `"${v}" is not a time zone Azure autoscale accepts (Windows names such as "Pacific Standard Time"; see src/formats/windows-zones.ts)`);
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

const clock = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

// ---------------------------------------------------------------------------------------------
// Import: parsing

type NativeRule = RuleSetInput['rules'][number];
type NativeProfile = NonNullable<RuleSetInput['profiles']>[number];
type Capacity = { minimum: number; maximum: number; default: number };

const DIRECTIONS = ['Increase', 'Decrease', 'None'] as const;
const ACTION_TYPES = ['ChangeCount', 'PercentChangeCount', 'ExactCount', 'ServiceAllowedNextValue'] as const;
const FREQUENCIES = ['Week', 'Day', 'Hour', 'Minute', 'Month', 'None', 'Second', 'Year'] as const;
/** Queue-length metrics Azure documents as compared per instance ("Autoscale common metrics"). */
const QUEUE_LENGTH_METRICS = ['approximatemessagecount', 'messagecount'];

/** Where a metric comes from in Azure; rules sharing a metric name but not a source get distinct native names. */
interface MetricSource {
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

type Schedule =
  | { kind: 'none' }
  | { kind: 'fixed'; timeZone: string; start: string; end: string }
  | { kind: 'recurrence'; timeZone: string; days: DayName[]; times: number[] };

interface ParsedProfile {
  index: number;
  path: string;
  name: string;
  /** The portal's copy of the default that ends a recurring profile: name `{"name": …, "for": …}`. */
  marker?: { base: string; for: string };
  capacity: Capacity;
  rules: ParsedRule[];
  schedule: Schedule;
}

/** The setting object and where it sits in the input, from any of the accepted wrappings. */
function unwrap(input: unknown, ctx: ImportContext): { setting: Json; path: string; outer?: Json; outerPath: string } | undefined {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (e) {
      return fail(ctx, '', `not JSON: ${(e as Error).message}`);
    }
  }
  if (!isRecord(value)) return fail(ctx, '', 'expected an Azure autoscale setting (a JSON object)');
  const isAutoscaleType = (v: unknown) => typeof v === 'string' && v.toLowerCase() === 'microsoft.insights/autoscalesettings';
  // A whole ARM template: take its one autoscale setting resource.
  const resources = prop(value, 'resources');
  if (Array.isArray(resources) && prop(value, 'profiles') === undefined) {
    const found = resources.map((r, i) => ({ r, i })).filter(({ r }) => isRecord(r) && isAutoscaleType(prop(r, 'type')));
    if (found.length !== 1) {
      return fail(ctx, 'resources', `expected exactly one resource of type Microsoft.Insights/autoscaleSettings in the template, found ${found.length}`);
    }
    const { r, i } = found[0]!;
    return unwrapResource(r as Json, `resources[${i}]`, ctx);
  }
  return unwrapResource(value, '', ctx);
}

function unwrapResource(value: Json, base: string, ctx: ImportContext): { setting: Json; path: string; outer?: Json; outerPath: string } | undefined {
  const properties = prop(value, 'properties');
  if (isRecord(properties) && prop(value, 'profiles') === undefined) {
    return { setting: properties, path: joinPath(base, propKey(value, 'properties')), outer: value, outerPath: base };
  }
  if (prop(value, 'profiles') !== undefined) return { setting: value, path: base, outerPath: base };
  return fail(
    ctx,
    base,
    'expected an Azure autoscale setting: an object with "profiles" (as az monitor autoscale show prints it) or "properties.profiles" (an ARM resource)',
  );
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
    ['metricName', 'metricNamespace', 'metricResourceUri', 'metricResourceLocation', 'timeGrain', 'statistic', 'timeWindow', 'timeAggregation', 'operator', 'threshold', 'dividePerInstance', 'dimensions'],
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

function parseProfile(raw: unknown, index: number, path: string, ctx: ImportContext): ParsedProfile | undefined {
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

// ---------------------------------------------------------------------------------------------
// Import: building the native rule set

/**
 * Native metric names. A metric keeps its Azure name ("Percentage CPU") unless the same name is read
 * from more than one source (resource or dimension filter): then each source that is not
 * the target resource itself gets "<name>@<resource name>", so no two sources share a series.
 */
function nameMetrics(profiles: ParsedProfile[], targetUri: string | undefined): Map<string, string> {
  const byName = new Map<string, MetricSource[]>();
  for (const p of profiles) {
    for (const r of p.rules) {
      const list = byName.get(r.source.name.toLowerCase()) ?? [];
      if (!list.some((s) => s.key === r.source.key)) list.push(r.source);
      byName.set(r.source.name.toLowerCase(), list);
    }
  }
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const sources of byName.values()) {
    const first = sources[0]!.name;
    if (sources.length === 1) {
      names.set(sources[0]!.key, uniqueId(first.slice(0, LIMITS.idLength), used, '#'));
      continue;
    }
    const isTarget = (s: MetricSource) => s.dimensions === '' && s.uri !== undefined && targetUri !== undefined && s.uri.toLowerCase() === targetUri.toLowerCase();
    for (const s of sources) {
      const resource = s.uri ? s.uri.replace(/\/+$/, '').split('/').pop() || 'resource' : 'unknown';
      const base = isTarget(s) ? first : `${first}@${resource}`;
      names.set(s.key, uniqueId(base.slice(0, LIMITS.idLength - 4), used, '#'));
    }
  }
  return names;
}

/** Provenance kept on each rule: export reads the Azure metric, resource and namespace back from it. */
function describeSource(s: MetricSource): string {
  return `Azure metric ${JSON.stringify(s.name)}${s.uri ? ` of ${s.uri}` : ''}${s.namespace ? `, namespace ${s.namespace}` : ''}`;
}
const SOURCE_DESCRIPTION = /^Azure metric ("(?:[^"\\]|\\.)*")(?: of (.+?))?(?:, namespace (\S+))?$/;

function buildRules(p: ParsedProfile, metricNames: Map<string, string>, ctx: ImportContext): NativeRule[] {
  const used = new Set<string>();
  return p.rules.map((r) => {
    const metric = metricNames.get(r.source.key)!;
    let action: NativeRule['action'];
    if (r.action.type === 'ExactCount') {
      // Azure clamps every result to the profile's bounds; the native schema refuses an ExactCount that
      // would always be clamped, so the value is clamped here, which decides the same.
      const v = Math.min(p.capacity.maximum, Math.max(p.capacity.minimum, r.action.value));
      if (v !== r.action.value) ctx.notes.push(`${r.path}: ExactCount ${r.action.value} lies outside the profile's bounds and is clamped to ${v}, as Azure clamps it.`);
      action = { type: 'ExactCount', value: v };
    } else action = { type: r.action.type, value: r.action.value };
    return {
      id: uniqueId(`${slug(metric, 'metric')}-${r.direction}`, used),
      description: describeSource(r.source),
      direction: r.direction,
      when: { metric: { metric, ...r.trigger } },
      action,
      ...(r.cooldown !== undefined && { cooldown: r.cooldown }),
    };
  });
}

const WEEK_MINUTES = 7 * 1440;
const mod = (a: number, n: number) => ((a % n) + n) % n;
const startsOf = (s: Extract<Schedule, { kind: 'recurrence' }>) => s.days.flatMap((d) => s.times.map((t) => DAY_NAMES.indexOf(d) * 1440 + t));

/**
 * The end time of recurring profile `p` given by the portal copy `m`, when replacing the pair by one
 * bounded native recurrence decides exactly as Azure does: `m` starts exactly one fixed interval
 * (under a day) after each start of `p`, in the same zone, and no other recurring profile starts
 * inside those windows. Otherwise undefined, and both are imported as open-ended profiles.
 */
function pairEnd(p: ParsedProfile, m: ParsedProfile, others: ParsedProfile[]): number | undefined {
  if (p.schedule.kind !== 'recurrence' || m.schedule.kind !== 'recurrence') return undefined;
  if (p.schedule.times.length !== 1 || m.schedule.times.length !== 1 || p.schedule.timeZone !== m.schedule.timeZone) return undefined;
  const len = mod(m.schedule.times[0]! - p.schedule.times[0]!, 1440);
  if (len === 0) return undefined;
  const pStarts = startsOf(p.schedule);
  const ends = new Set(pStarts.map((s) => mod(s + len, WEEK_MINUTES)));
  const mStarts = new Set(startsOf(m.schedule));
  if (ends.size !== mStarts.size || [...ends].some((e) => !mStarts.has(e))) return undefined;
  for (const o of others) {
    if (o.schedule.kind !== 'recurrence') continue;
    // Across zones the local times cannot be compared once for all weeks (DST moves them apart).
    if (o.schedule.timeZone !== p.schedule.timeZone) return undefined;
    for (const os of startsOf(o.schedule)) if (pStarts.some((s) => mod(os - s, WEEK_MINUTES) < len)) return undefined;
  }
  return m.schedule.times[0]!;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Convert an Azure autoscale setting into a native rule set. Pure: no I/O, no clock. `input` is the
 * setting as `az monitor autoscale show` prints it, an ARM resource (`properties` inside), an ARM
 * template with one autoscale setting, or any of these as JSON text.
 */
export function importAzureAutoscale(input: unknown, options: ImportOptions = {}): ImportResult {
  const ctx = newContext();
  // Bounded before anything walks it (messages quote parts of it with JSON.stringify): src/limits.ts IMPORT_LIMITS.
  const over = checkValueBounds(input, {
    maxDepth: IMPORT_LIMITS.nestingDepth,
    maxNodes: IMPORT_LIMITS.documentNodes,
    depthName: 'IMPORT_LIMITS.nestingDepth',
    nodesName: 'IMPORT_LIMITS.documentNodes',
  });
  if (over) return { ok: false, issues: [{ code: 'ImportError', path: over.path, message: `the autoscale setting is ${over.message}` }] };
  const found = unwrap(input, ctx);
  if (!found) return { ok: false, issues: ctx.issues };
  const { setting, path: base, outer, outerPath } = found;

  // Resource metadata that does not affect decisions is skipped quietly; anything else is reported.
  const METADATA = ['id', 'name', 'type', 'location', 'tags', 'systemData', 'etag', 'kind', 'resourceGroup', 'apiVersion', 'dependsOn', 'comments', 'autoscaleSettingResourceName'];
  reportUnknown(setting, ['profiles', 'enabled', 'notifications', 'predictiveAutoscalePolicy', 'targetResourceUri', 'targetResourceLocation'], METADATA, base, 'autoscale setting', ctx);
  if (outer) reportUnknown(outer, ['properties'], METADATA, outerPath, 'resource', ctx);

  const rawName = prop(setting, 'name') ?? (outer ? prop(outer, 'name') : undefined);
  const name = typeof rawName === 'string' && !ARM_EXPRESSION.test(rawName) ? rawName : undefined;
  const rawTargetUri = readUri(setting, 'targetResourceUri', base, ctx);
  const targetUri = rawTargetUri !== undefined && !ARM_EXPRESSION.test(rawTargetUri.trim()) ? rawTargetUri : undefined;
  const targetLocation = readString(setting, 'targetResourceLocation', base, ctx, false);

  const enabled = prop(setting, 'enabled');
  if (enabled === false) {
    ctx.unsupported.push({ path: joinPath(base, propKey(setting, 'enabled')), field: 'enabled', message: 'the setting is disabled in Azure (enabled: false); the rule set decides as if it were enabled' });
    ctx.notes.push('The Azure setting is disabled (enabled: false): Azure does not scale with it, edgescale would.');
  }
  const notifications = prop(setting, 'notifications');
  if (Array.isArray(notifications) && notifications.length > 0) {
    ctx.unsupported.push({
      path: joinPath(base, propKey(setting, 'notifications')),
      field: 'notifications',
      message: 'e-mail and webhook notifications are not sent; edgescale delivers decisions to its actuator (docs/actuator.md)',
    });
  }
  const predictive = prop(setting, 'predictiveAutoscalePolicy');
  if (isRecord(predictive) && String(prop(predictive, 'scaleMode') ?? 'Disabled').toLowerCase() !== 'disabled') {
    ctx.unsupported.push({
      path: joinPath(base, propKey(setting, 'predictiveAutoscalePolicy')),
      field: 'predictiveAutoscalePolicy',
      message: `predictive autoscale (scaleMode ${String(prop(predictive, 'scaleMode'))}) forecasts from Azure's history; edgescale decides on the metrics it is sent`,
    });
  }

  const profilesRaw = prop(setting, 'profiles');
  const pPath = joinPath(base, propKey(setting, 'profiles'));
  if (!Array.isArray(profilesRaw) || profilesRaw.length === 0) {
    fail(ctx, pPath, 'expected profiles as a non-empty array');
    return { ok: false, issues: ctx.issues };
  }
  const parsed: ParsedProfile[] = [];
  profilesRaw.forEach((raw, i) => {
    const p = parseProfile(raw, i, `${pPath}[${i}]`, ctx);
    if (p) parsed.push(p);
  });
  if (ctx.issues.length > 0) return { ok: false, issues: ctx.issues };

  const metricNames = nameMetrics(parsed, targetUri);
  const rulesOf = new Map(parsed.map((p) => [p, buildRules(p, metricNames, ctx)] as const));

  // The default profile: the first without a schedule; else the portal's renamed copy of it (the
  // first `{"name", "for"}` profile, as azure-cli's build_autoscale_profile takes it); else, when only
  // open-ended recurring profiles exist, one of them is always active and the default is never used.
  const plain = parsed.filter((p) => p.schedule.kind === 'none');
  const markers = parsed.filter((p) => p.marker);
  const recurring = parsed.filter((p) => p.schedule.kind === 'recurrence');
  let defaultFrom: ParsedProfile;
  if (plain.length > 0) {
    defaultFrom = plain[0]!;
    for (const extra of plain.slice(1)) {
      ctx.unsupported.push({
        path: extra.path,
        field: 'profiles',
        message: `profile "${extra.name}" is a second profile without a schedule; Azure allows one default profile, and only the first ("${defaultFrom.name}") is used`,
      });
    }
  } else if (markers.length > 0) {
    defaultFrom = markers[0]!;
    ctx.notes.push(`No profile without a schedule: the default capacity and rules come from the portal's copy of the default, ${JSON.stringify(defaultFrom.name)}.`);
  } else if (recurring.length > 0) {
    defaultFrom = recurring[0]!;
    ctx.notes.push(
      `No default profile: every recurring profile lasts until the next one starts, so one of them always applies; the top-level capacity and rules (required by edgescale, never used here) repeat "${defaultFrom.name}".`,
    );
  } else {
    fail(ctx, pPath, 'no default profile (one without fixedDate and recurrence): edgescale needs the capacity to use outside the fixed dates');
    return { ok: false, issues: ctx.issues };
  }
  const defaultCapacity = defaultFrom.capacity;
  const defaultRules = rulesOf.get(defaultFrom)!;

  // Portal pairs: a recurring profile and its end marker become one recurrence with an end.
  const ends = new Map<ParsedProfile, number>();
  const merged = new Set<ParsedProfile>();
  for (const p of recurring) {
    if (p.marker) continue;
    const own = markers.filter((m) => m.marker!.for === p.name);
    if (own.length === 0) continue;
    const m = own[0]!;
    const equalsDefault = sameJson(m.capacity, defaultCapacity) && sameJson(rulesOf.get(m), defaultRules);
    const end = own.length === 1 && equalsDefault ? pairEnd(p, m, recurring.filter((o) => o !== p && o !== m)) : undefined;
    if (end === undefined) {
      ctx.notes.push(
        `Profile "${p.name}" and its end copy ${JSON.stringify(m.name)} are imported as two open-ended profiles (${
          own.length > 1 ? 'there are several copies' : !equalsDefault ? 'the copy differs from the default profile' : 'the pair is not one window of under a day free of other profile starts'
        }); each lasts until another recurring profile starts, as in Azure.`,
      );
      continue;
    }
    ends.set(p, end);
    merged.add(m);
    ctx.notes.push(`Profile "${p.name}" ends at ${clock(end)}: its end copy ${JSON.stringify(m.name)} repeats the default profile and is merged into it as "end".`);
  }

  if (parsed.some((p) => p.schedule.kind === 'fixed') && recurring.some((p) => !ends.has(p) && !merged.has(p))) {
    ctx.notes.push(
      'Azure documents that a recurring profile runs "until the next recurrence profile or fixed date profile is set to start"; edgescale lets a fixed date outrank an open-ended recurrence while it lasts and resumes the recurrence afterwards (docs/schedules.md).',
    );
  }
  // "Commonly used metrics": storage queue length (ApproximateMessageCount) and Service Bus queue length
  // (MessageCount) are "special" metrics whose threshold is "the number of messages per instance".
  const queueRules = parsed.flatMap((p) => p.rules).filter((r) => QUEUE_LENGTH_METRICS.includes(r.source.name.toLowerCase()) && !r.trigger.dividePerInstance);
  if (queueRules.length > 0) {
    ctx.notes.push(
      `${queueRules.map((r) => r.path).join(', ')}: Azure's docs call queue length a special metric whose threshold is the number of messages per instance; the rule keeps dividePerInstance false as written, so set it to true if the setting relied on that.`,
    );
  }
  if (parsed.some((p) => p.rules.some((r) => r.action.type === 'PercentChangeCount'))) {
    ctx.notes.push('Azure does not document how a percent change is rounded; edgescale rounds it up (rounding "ceil") and moves at least one instance (docs/rules.md).');
  }

  // Native profiles, in Azure's order (list order settles ties in both).
  const profiles: NativeProfile[] = [];
  const profilePaths: string[] = [];
  const usedNames = new Set<string>(['default']);
  const profileName = (p: ParsedProfile, suffix = ''): string => {
    let n = p.name;
    if (n.length + suffix.length > LIMITS.idLength && p.marker) n = `${p.marker.base} (for ${p.marker.for})`;
    n = n.trim() === '' ? `profile ${p.index}` : n;
    if (n === 'default' && suffix === '') n = 'default (scheduled)';
    n = `${n.slice(0, LIMITS.idLength - suffix.length - 5)}${suffix}`;
    return uniqueId(n, usedNames, ' #');
  };
  for (const p of parsed) {
    // The default profile is the top level; merged end copies live on as their profile's "end".
    if (plain.includes(p) || merged.has(p)) continue;
    const common = { capacity: p.capacity, rules: rulesOf.get(p)! };
    if (p.schedule.kind === 'fixed') {
      const { timeZone, start, end } = p.schedule;
      profiles.push({ name: profileName(p), ...common, fixedDate: { timeZone, start, end } });
      profilePaths.push(p.path);
    } else if (p.schedule.kind === 'recurrence') {
      const { timeZone, days, times } = p.schedule;
      if (times.length === 1) {
        const end = ends.get(p);
        profiles.push({ name: profileName(p), ...common, recurrence: { timeZone, days, start: clock(times[0]!), ...(end !== undefined && { end: clock(end) }) } });
        profilePaths.push(p.path);
      } else {
        // Native recurrences have one start time: one open-ended profile per start, which selects the
        // same capacity and rules at every instant (each lasts until the next start, as Azure's does).
        ctx.notes.push(`Profile "${p.name}" starts at ${times.map(clock).join(', ')}: imported as one profile per start time ("${p.name} @${clock(times[0]!)}", …).`);
        for (const t of times) {
          profiles.push({ name: profileName(p, ` @${clock(t)}`), ...common, recurrence: { timeZone, days, start: clock(t) } });
          profilePaths.push(p.path);
        }
      }
    }
  }

  // Where each metric comes from: edgescale reads all of them from the request.
  const seen = new Set<string>();
  for (const p of parsed) {
    for (const r of p.rules) {
      const metric = metricNames.get(r.source.key)!;
      if (seen.has(metric)) continue;
      seen.add(metric);
      const from = [r.source.uri && `of ${r.source.uri}`, r.source.namespace && `(namespace ${r.source.namespace})`].filter(Boolean).join(' ');
      ctx.notes.push(`Metric "${metric}" is Azure's "${r.source.name}"${from ? ` ${from}` : ''}: edgescale does not query Azure Monitor; send its points as metrics[${JSON.stringify(metric)}] of the target.`);
    }
  }

  const id = options.id ?? toId(name ?? '', 'azure-autoscale');
  const ruleSet: RuleSetInput = {
    id,
    ...(name !== undefined && { description: `Imported from the Azure autoscale setting ${JSON.stringify(name)}`.slice(0, 2000) }),
    capacity: { ...defaultCapacity },
    cooldownMode: 'shared',
    rules: defaultRules,
    ...(profiles.length > 0 && { profiles }),
    ...(targetUri !== undefined && {
      targets: [
        {
          id: toId(targetUri.replace(/\/+$/, '').split('/').pop() ?? '', 'azure-resource'),
          labels: { 'azure.resourceUri': targetUri, ...(targetLocation !== undefined && { 'azure.location': targetLocation }) },
        },
      ],
    }),
  };

  const compiled = validateConverted(ruleSet, ctx, (nativePath) => {
    const pm = /^profiles\[(\d+)\](?:\.rules\[(\d+)\])?/.exec(nativePath);
    if (pm) {
      const at = profilePaths[Number(pm[1])];
      return at === undefined ? pPath : pm[2] !== undefined ? `${at}.rules[${pm[2]}]` : at;
    }
    if (/^(capacity|rules)/.test(nativePath)) return defaultFrom.path;
    return base;
  });
  if (!compiled || ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  return { ok: true, ruleSet, compiled, unsupported: ctx.unsupported, notes: [...new Set(ctx.notes)] };
}

// ---------------------------------------------------------------------------------------------
// Export

export type ExportAzureResult =
  | { ok: true; setting: AzureAutoscaleSetting; unsupported: UnsupportedField[] }
  | { ok: false; issues: Array<{ code: string; message: string; path: string }> };

/** Name Azure gives the default profile when the CLI creates a setting (azure-cli DEFAULT_PROFILE_NAME). */
const AZURE_DEFAULT_PROFILE = 'default';

/**
 * Write a native rule set as an Azure autoscale setting (the shape `az monitor autoscale show` prints).
 * Only what Azure can express is written; everything else is listed in `unsupported`. A recurrence
 * with an end becomes the portal's pair: the profile, and a copy of the default profile named
 * `{"name":"default","for":"<profile>"}` starting at the end time, so importing the result gives back
 * the same rule set.
 */
export function exportAzureAutoscale(nativeRuleSet: unknown): ExportAzureResult {
  const loaded = loadRuleSet(nativeRuleSet);
  if (!loaded.ok) return { ok: false, issues: loaded.issues };
  const spec = loaded.ruleSet.spec;
  const unsupported: UnsupportedField[] = [];
  const drop = (path: string, field: string, message: string) => unsupported.push({ path, field, message });

  if (spec.targetTracking?.length) drop('targetTracking', 'targetTracking', 'target tracking (the HPA algorithm) has no Azure autoscale equivalent');
  if (spec.stepScaling?.length) drop('stepScaling', 'stepScaling', 'AWS step scaling has no Azure autoscale equivalent');
  if (spec.behavior) drop('behavior', 'behavior', 'Kubernetes behavior has no Azure autoscale equivalent');
  if (spec.scaleToZero) drop('scaleToZero', 'scaleToZero', 'activation (scale to zero) has no Azure autoscale equivalent');
  if (spec.placement) drop('placement', 'placement', 'placement has no Azure autoscale equivalent');
  if (spec.cooldownMode !== 'shared') drop('cooldownMode', 'cooldownMode', 'Azure cooldowns hold both directions ("shared"); "perDirection" is not expressible');
  if (!spec.flappingProtection) drop('flappingProtection', 'flappingProtection', 'Azure always prevents flapping; it cannot be turned off');
  if (spec.missingData && (spec.missingData.policy !== 'azure' || spec.missingData.maxAge)) {
    drop('missingData', 'missingData', 'Azure always handles missing data its own way (up to the default capacity, no scale-in)');
  }
  if ((spec.targets?.length ?? 0) > 1) drop('targets', 'targets', 'an Azure autoscale setting governs one resource; only the first target is written');

  const target = spec.targets?.[0];
  const targetUri = target?.labels?.['azure.resourceUri'];
  const targetLocation = target?.labels?.['azure.location'];
  const described = spec.description !== undefined ? /^Imported from the Azure autoscale setting ("(?:[^"\\]|\\.)*")$/.exec(spec.description) : null;
  const name = described ? (JSON.parse(described[1]!) as string) : spec.id;

  const capacity = (c: Capacity): AzureScaleCapacity => ({ minimum: String(c.minimum), maximum: String(c.maximum), default: String(c.default) });
  const exportRules = (rules: RuleSet['rules'], path: string): AzureScaleRule[] => {
    const out: AzureScaleRule[] = [];
    rules.forEach((r, i) => {
      const at = `${path}[${i}]`;
      if (!('metric' in r.when)) return void drop(`${at}.when.expr`, 'expr', `rule "${r.id}": expression conditions have no Azure equivalent; the rule is left out`);
      if (r.action.type === 'Expression') return void drop(`${at}.action`, 'action', `rule "${r.id}": Expression actions have no Azure equivalent; the rule is left out`);
      if (r.action.type === 'PercentChangeCount' && (r.action.rounding !== 'ceil' || r.action.minimumChange !== 1)) {
        drop(`${at}.action`, 'rounding', `rule "${r.id}": Azure has no rounding or minimumChange for percent changes; Azure's own rounding applies`);
      }
      const m = r.when.metric;
      const src = r.description !== undefined ? SOURCE_DESCRIPTION.exec(r.description) : null;
      const metricName = src ? (JSON.parse(src[1]!) as string) : m.metric;
      const resource = src?.[2] ?? targetUri;
      if (resource === undefined) drop(`${at}.when.metric`, 'metricResourceUri', `rule "${r.id}": no resource known for metric "${m.metric}"; set metricResourceUri before deploying`);
      out.push({
        metricTrigger: {
          metricName,
          ...(src?.[3] !== undefined && { metricNamespace: src[3] }),
          ...(resource !== undefined && { metricResourceUri: resource }),
          timeGrain: m.timeGrain,
          statistic: m.statistic,
          timeWindow: m.timeWindow,
          timeAggregation: m.timeAggregation,
          operator: m.operator,
          threshold: m.threshold,
          dividePerInstance: m.dividePerInstance,
        },
        scaleAction: { direction: r.direction === 'out' ? 'Increase' : 'Decrease', type: r.action.type, value: String(r.action.value), cooldown: r.cooldown ?? spec.cooldown },
      });
    });
    return out;
  };
  const zone = (iana: string, path: string): string => {
    const w = ianaToWindows(iana) ?? ianaToWindowsByRules(iana);
    if (w !== undefined) return w;
    drop(path, 'timeZone', `"${iana}" is not the CLDR zone of any Windows zone name; replace it with a Windows name before deploying`);
    return iana;
  };

  const defaultRules = exportRules(spec.rules, 'rules');
  const profiles: AzureProfile[] = [{ name: AZURE_DEFAULT_PROFILE, capacity: capacity(spec.capacity), rules: defaultRules }];
  (spec.profiles ?? []).forEach((p, i) => {
    const at = `profiles[${i}]`;
    if (p.startCapacity !== undefined) drop(`${at}.startCapacity`, 'startCapacity', `profile "${p.name}": Azure has no start capacity`);
    const rules = p.rules ? exportRules(p.rules, `${at}.rules`) : defaultRules;
    const base = { name: p.name, capacity: capacity(p.capacity), rules };
    if (p.fixedDate) {
      profiles.push({ ...base, fixedDate: { timeZone: zone(p.fixedDate.timeZone, `${at}.fixedDate.timeZone`), start: p.fixedDate.start, end: p.fixedDate.end } });
    } else if (p.recurrence) {
      const r = p.recurrence;
      const timeZone = zone(r.timeZone, `${at}.recurrence.timeZone`);
      const [h, min] = r.start.split(':').map(Number) as [number, number];
      profiles.push({ ...base, recurrence: { frequency: 'Week', schedule: { timeZone, days: [...r.days], hours: [h], minutes: [min] } } });
      if (r.end !== undefined) {
        const [eh, em] = r.end.split(':').map(Number) as [number, number];
        // The end copy starts on the day the window ends: the next day when it crosses midnight.
        const days = eh * 60 + em > h * 60 + min ? [...r.days] : r.days.map((d) => DAY_NAMES[(DAY_NAMES.indexOf(d) + 1) % 7]!);
        profiles.push({
          name: JSON.stringify({ name: AZURE_DEFAULT_PROFILE, for: p.name }),
          capacity: capacity(spec.capacity),
          rules: defaultRules,
          recurrence: { frequency: 'Week', schedule: { timeZone, days, hours: [eh], minutes: [em] } },
        });
      }
    } else if (p.cron) {
      drop(`${at}.cron`, 'cron', `profile "${p.name}": cron schedules have no Azure equivalent; the profile is left out`);
    }
  });
  return {
    ok: true,
    setting: {
      name,
      enabled: true,
      ...(targetUri !== undefined && { targetResourceUri: targetUri }),
      ...(targetLocation !== undefined && { targetResourceLocation: targetLocation }),
      profiles,
      notifications: [],
    },
    unsupported,
  };
}

/** A Windows zone for an IANA link of a golden zone ("UTC" for "Etc/UTC"), by the runtime's canonical id. */
function ianaToWindowsByRules(iana: string): string | undefined {
  const canonical = (z: string): string | undefined => {
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: z }).resolvedOptions().timeZone;
    } catch {
      return undefined;
    }
  };
  const want = canonical(iana);
  if (want === undefined) return undefined;
  for (const [windows, zoneName] of Object.entries(WINDOWS_TO_IANA)) if (canonical(zoneName) === want) return windows;
  return undefined;
}
