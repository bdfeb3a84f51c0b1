// KEDA ScaledObject → native rule set: the HPA KEDA would create (through the HPA importer), plus activation, cron windows, fallback and scalingModifiers.
//
// Sources (kedacore/keda, commit 8b4f083ca8c8c2baf8477e322bd4d16ac4dfa09a; shapes in read.ts):
// - controllers/keda/hpa.go newHPAForScaledObject / getScaledObjectMetricSpecs: the HPA gets
//   minReplicas GetHPAMinReplicas (minReplicaCount if > 0, else 1), maxReplicas GetHPAMaxReplicas
//   (default 100), the triggers' metric specs, advanced.horizontalPodAutoscalerConfig.behavior, and
//   scaleDown (scaleUp) selectPolicy Disabled under the paused-scale-in (paused-scale-out) annotation;
//   with scalingModifiers (target > 0) the external metrics are replaced by one External metric
//   "composite-metric" with the target as AverageValue (default) or Value, the resource metrics kept.
// - apis/keda/v1alpha1/scaledobject_types.go CheckReplicaCountBoundsAreValid (min ≤ max, idle < min),
//   CheckFallbackValid (a fallback needs a trigger other than cpu/memory), and scaledobject_webhook.go
//   verifyCPUMemoryScalers (only cpu/memory triggers and minReplicaCount 0 is refused: it never scales to 0).
// - pkg/scaling/executor/scale_scaledobjects.go RequestScale: the activation phase (0 ↔ 1) is KEDA's, the
//   HPA scales 1 ↔ N; pkg/scaling/scale_handler.go getScaledObjectState: active when any trigger is active
//   (value > activation threshold), cpu/memory-only objects always active.
// - pkg/fallback/fallback.go GetMetricsWithFallback: the fallback applies once NumberOfFailures >
//   failureThreshold, i.e. on failure failureThreshold + 1; behavior static (default) uses replicas.
// - pkg/scalers/cron_scaler.go GetMetricsAndActivity: inside [start, end) in the zone the metric is
//   desiredReplicas with an AverageValue target of 1 (so the HPA asks for desiredReplicas), outside 0.
// Native meaning: docs/rules.md (target tracking, behavior, missingData, scaleToZero), docs/schedules.md
// (cron profiles); this mapping: docs/importing.md#keda-scaledobjects.
import { LIMITS } from '../../limits.js';
import { INT32_MAX } from '../../syntax/int32.js';
import type { RuleSetInput } from '../../schema.js';
import { isRecord } from '../../util/is-record.js';
import { importHpaManifest } from '../hpa-manifest.js';
import { joinPath, newContext, toId, validateConverted, type ImportContext, type ImportOptions, type ImportResult } from '../import-context.js';
import { translateFormula } from './formula.js';
import { chooseScaledObject, fail, readTrigger, reportUnknown, shown, type Json, type ReadTrigger } from './read.js';
import { goParseFloat } from '../../syntax/go-strconv.js';

export interface KedaImportOptions extends ImportOptions {
  /** metadata.name of the ScaledObject to take when the input holds several. */
  name?: string;
}

/** scaledobject_types.go defaultHPAMaxReplicas. */
const KEDA_DEFAULT_MAX_REPLICAS = 100;
/** executor defaultCooldownPeriod (seconds): how long after the last active poll KEDA scales to zero. */
const KEDA_DEFAULT_COOLDOWN_SECONDS = 300;
/** The controller's tolerance (--horizontal-pod-autoscaler-tolerance), used for the composite metric's rules. */
const HPA_DEFAULT_TOLERANCE = 0.1;
/** kedav1alpha1.CompositeMetricName. */
const COMPOSITE_METRIC = 'composite-metric';
/** Kubernetes' behavior defaults (autoscaling/v2 defaults.go), written out when the composite metric needs the behavior path. */
const DEFAULT_BEHAVIOR = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  },
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
} as const;

const SPEC_FIELDS = [
  'scaleTargetRef',
  'pollingInterval',
  'initialCooldownPeriod',
  'cooldownPeriod',
  'idleReplicaCount',
  'minReplicaCount',
  'maxReplicaCount',
  'advanced',
  'triggers',
  'fallback',
];
const ANNOTATION_PAUSED = ['autoscaling.keda.sh/paused', 'autoscaling.keda.sh/paused-replicas'];
const ANNOTATION_PAUSED_SCALE_IN = 'autoscaling.keda.sh/paused-scale-in';
const ANNOTATION_PAUSED_SCALE_OUT = 'autoscaling.keda.sh/paused-scale-out';
const ANNOTATION_FORCE_ACTIVATION = 'autoscaling.keda.sh/force-activation';

type NativeRule = RuleSetInput['rules'][number];
type NativeProfile = NonNullable<RuleSetInput['profiles']>[number];

/** A whole number field in [min, max] (replica counts: LIMITS.maxCapacity; seconds and counts of failures: KEDA's int32), null when absent, undefined (with an issue) when it is something else. */
function readCount(spec: Json, key: string, path: string, ctx: ImportContext, min: number, max: number = LIMITS.maxCapacity): number | null | undefined {
  const v = spec[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    return fail(ctx, joinPath(path, key), `${key} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** getBoolAnnotation: present and not parseable as false means true. */
function annotationOn(annotations: Json, key: string): boolean {
  const v = annotations[key];
  if (v === undefined) return false;
  return !(typeof v === 'string' && /^(0|f|false|F|FALSE|False)$/.test(v));
}

interface Composite {
  /** JSONata for the composite value. */
  value: string;
  target: number;
  metricType: 'AverageValue' | 'Value';
  triggers: string[];
  path: string;
  /** activationTarget (default 0): the composite value above which the object is active. */
  activation: number;
}

/**
 * A trigger in fallback is active (pkg/scaling/scale_handler.go getScalerState: isActiveOrFallback), so
 * KEDA's executor lifts the target from 0 (or idle) to max(1, minReplicaCount) and the HPA takes it to
 * the fallback. Not for a Value trigger: doFallback divides by the ready replicas and, with none (at 0),
 * fails, so the trigger is an error (no change). With scalingModifiers the activity is the composite
 * value, which in fallback is target × replicas (AverageValue; formula.go HandleScalingModifiers), active
 * above activationTarget; currentReplicasIfLower gives target × 0 at 0, never active there.
 */
function activeOnFallback(
  z: NonNullable<RuleSetInput['scaleToZero']>,
  triggers: readonly ReadTrigger[],
  composite: Composite | undefined,
  md: NonNullable<RuleSetInput['missingData']>,
  ctx: ImportContext,
): void {
  const scalers = triggers.filter((t) => t.kind === 'external' && (!composite || (t.name !== undefined && composite.triggers.includes(t.name))));
  const composed = composite && composite.metricType === 'AverageValue' && md.fallbackBehavior !== 'currentIfLower' && composite.target * (md.fallbackCapacity ?? 0) > composite.activation;
  const metrics = composite ? (composed ? scalers.map((t) => t.metric) : []) : scalers.filter((t) => t.targetType !== 'Value').map((t) => t.metric);
  if (metrics.length === 0) return;
  z.activeOnFallback = [...new Set(metrics)];
  ctx.notes.push(
    `spec.fallback: in fallback, ${z.activeOnFallback.join(', ')} count${z.activeOnFallback.length === 1 ? 's' : ''} as active (scaleToZero.activeOnFallback), so from ${z.idleCapacity ?? 0} the target goes to max(1, minReplicaCount) and then to the fallback, as KEDA's executor does.`,
  );
}

/** advanced.scalingModifiers → the translated formula; undefined when absent (or refused, with an issue). */
function readModifiers(adv: Json, advPath: string, triggers: ReadTrigger[], ctx: ImportContext): Composite | undefined {
  const sm = adv.scalingModifiers;
  const path = joinPath(advPath, 'scalingModifiers');
  if (sm === undefined || sm === null || (isRecord(sm) && Object.keys(sm).length === 0)) return undefined;
  if (!isRecord(sm)) return fail(ctx, path, 'expected scalingModifiers { formula, target, activationTarget, metricType }');
  reportUnknown(sm, ['formula', 'target', 'activationTarget', 'metricType'], path, 'scalingModifiers', ctx);
  // ValidateAndCompileScalingModifiers: formula is mandatory, target must parse as a float > 0.
  if (typeof sm.formula !== 'string' || sm.formula === '') return fail(ctx, joinPath(path, 'formula'), 'formula is mandatory (ValidateAndCompileScalingModifiers)');
  const target = typeof sm.target === 'string' ? (goParseFloat(sm.target.trim()) ?? NaN) : NaN;
  if (!(target > 0)) return fail(ctx, joinPath(path, 'target'), `target must be a number above 0 given as a string, got ${JSON.stringify(sm.target)}`);
  const metricType = sm.metricType === undefined || sm.metricType === '' ? 'AverageValue' : sm.metricType;
  if (metricType !== 'AverageValue' && metricType !== 'Value')
    return fail(ctx, joinPath(path, 'metricType'), `metricType must be AverageValue or Value, got ${JSON.stringify(sm.metricType)}`);
  // scale_handler.go getScaledObjectState: with scalingModifiers the object is active when the composite value
  // is above activationTarget (strconv.ParseFloat, default 0); one that does not parse is an error on every
  // poll, so the object never activates: refused.
  let activation = 0;
  if (sm.activationTarget !== undefined && sm.activationTarget !== '') {
    const raw = sm.activationTarget;
    activation = typeof raw === 'string' ? (goParseFloat(raw.trim()) ?? NaN) : NaN;
    if (!Number.isFinite(activation))
      return fail(
        ctx,
        joinPath(path, 'activationTarget'),
        `activationTarget must be a number given as a string, got ${JSON.stringify(raw)} (KEDA fails to parse it on every poll and never activates: scale_handler.go getScaledObjectState)`,
      );
  }
  const byName = new Map(triggers.filter((t) => t.name !== undefined && t.kind !== 'resource').map((t) => [t.name!, t]));
  const fPath = joinPath(path, 'formula');
  const result = translateFormula(sm.formula, (name) => {
    const t = byName.get(name);
    if (!t || t.kind === 'cron') return undefined;
    return `metrics.\`${t.metric}\`.avg`;
  });
  if (!result.ok) {
    const cron = [...byName.values()].find((t) => t.kind === 'cron' && new RegExp(`\\b${t.name}\\b`).test(sm.formula as string));
    const why = cron ? `the cron trigger "${cron.name}" is a schedule, not a value the formula can read` : result.message;
    return fail(ctx, fPath, `${why} (at character ${result.position + 1} of ${JSON.stringify(sm.formula)})`);
  }
  return { value: result.jsonata, target, metricType, triggers: result.triggers, path, activation };
}

/**
 * The composite metric as the HPA reads an External metric (replica_calculator.go): AverageValue
 * ratio = v ÷ (target × current), desired = ceil(v ÷ target); Value ratio = v ÷ target, desired =
 * ceil(ratio × current); no change inside the tolerance. Two expression rules, with no cooldown of
 * their own and no flapping check, so the behavior alone limits them, as it limits the HPA.
 */
function compositeRules(c: Composite, tolerance: { up: number; down: number }): NativeRule[] {
  const ratio = c.metricType === 'AverageValue' ? `(${c.value}) / (${c.target} * capacity.current)` : `(${c.value}) / ${c.target}`;
  const desired = c.metricType === 'AverageValue' ? `(${c.value}) / ${c.target}` : `(${c.value}) / ${c.target} * capacity.current`;
  const base = { action: { type: 'Expression' as const, expr: desired, rounding: 'ceil' as const }, cooldown: 'PT0S' };
  const description = `KEDA scalingModifiers: the composite metric (${c.metricType} ${c.target}) as the HPA reads an External metric`;
  return [
    { id: 'composite-metric-out', description, direction: 'out', when: { expr: `capacity.current > 0 and ${ratio} > ${1 + tolerance.up}`, window: 'PT1M' }, ...base },
    { id: 'composite-metric-in', description, direction: 'in', when: { expr: `capacity.current > 0 and ${ratio} < ${1 - tolerance.down}`, window: 'PT1M' }, ...base },
  ];
}

/** A behavior's tolerance for one direction as a number; strings (quantities) are refused here. */
function toleranceOf(behavior: unknown, dir: 'scaleUp' | 'scaleDown', path: string, ctx: ImportContext): number | undefined {
  const rules = isRecord(behavior) ? behavior[dir] : undefined;
  const t = isRecord(rules) ? rules.tolerance : undefined;
  if (t === undefined || t === null) return HPA_DEFAULT_TOLERANCE;
  if (typeof t === 'number' && t >= 0) return t;
  return fail(ctx, joinPath(joinPath(path, dir), 'tolerance'), 'with scalingModifiers, give the tolerance as a plain number (e.g. 0.05)');
}

/** Convert the chosen ScaledObject. */
function convert(so: Json, path: string, ctx: ImportContext, options: KedaImportOptions): { ruleSet: RuleSetInput; locate: (p: string) => string } | undefined {
  reportUnknown(so, ['apiVersion', 'kind', 'metadata', 'spec', 'status'], path, 'ScaledObject', ctx);
  const metadata = isRecord(so.metadata) ? so.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  const aPath = joinPath(joinPath(path, 'metadata'), 'annotations');
  for (const key of [...ANNOTATION_PAUSED, ANNOTATION_FORCE_ACTIVATION]) {
    if (annotations[key] !== undefined)
      ctx.unsupported.push({
        path: `${aPath}[${JSON.stringify(key)}]`,
        field: key,
        message: `the annotation ${key} pauses or forces KEDA's loop; edgescale decides as if it were absent`,
      });
  }
  const spec = so.spec;
  const sPath = joinPath(path, 'spec');
  if (!isRecord(spec)) return fail(ctx, sPath, 'spec is required');
  reportUnknown(spec, SPEC_FIELDS, sPath, 'spec', ctx);

  const ref = spec.scaleTargetRef;
  const rPath = joinPath(sPath, 'scaleTargetRef');
  if (!isRecord(ref) || typeof ref.name !== 'string' || ref.name === '') return fail(ctx, joinPath(rPath, 'name'), 'scaleTargetRef.name is required');
  reportUnknown(ref, ['name', 'apiVersion', 'kind', 'envSourceContainerName'], rPath, 'scaleTargetRef', ctx);
  if (ref.envSourceContainerName !== undefined)
    ctx.notes.push(`${rPath}.envSourceContainerName: KEDA reads trigger settings from that container's environment; edgescale needs none of them.`);
  // Deployment in apps/v1 when kind is not set (KEDA's ParseGVKR defaults).
  const kind = typeof ref.kind === 'string' && ref.kind !== '' ? ref.kind : 'Deployment';
  const apiVersion = typeof ref.apiVersion === 'string' && ref.apiVersion !== '' ? ref.apiVersion : 'apps/v1';

  const min = readCount(spec, 'minReplicaCount', sPath, ctx, 0);
  const max = readCount(spec, 'maxReplicaCount', sPath, ctx, 1);
  const idle = readCount(spec, 'idleReplicaCount', sPath, ctx, 0);
  const cooldown = readCount(spec, 'cooldownPeriod', sPath, ctx, 0, INT32_MAX);
  const polling = readCount(spec, 'pollingInterval', sPath, ctx, 1, INT32_MAX);
  const initialCooldown = readCount(spec, 'initialCooldownPeriod', sPath, ctx, 0, INT32_MAX);
  if ([min, max, idle, cooldown, polling, initialCooldown].includes(undefined)) return undefined;
  let minReplicas = min ?? 0;
  const maxReplicas = max ?? KEDA_DEFAULT_MAX_REPLICAS;
  if (min === null) ctx.notes.push("spec.minReplicaCount is not set: 0, KEDA's default (the target may scale to zero).");
  if (max === null) ctx.notes.push(`spec.maxReplicaCount is not set: ${KEDA_DEFAULT_MAX_REPLICAS}, KEDA's default.`);
  // CheckReplicaCountBoundsAreValid: the minimum compared is 0 when minReplicaCount is unset, else GetHPAMinReplicas (at least 1).
  const checkedMin = min === null ? 0 : Math.max(1, minReplicas);
  if (checkedMin > maxReplicas) return fail(ctx, joinPath(sPath, 'minReplicaCount'), `MinReplicaCount=${checkedMin} must be less than MaxReplicaCount=${maxReplicas}`);
  if (idle !== null && idle !== undefined) {
    if (idle >= checkedMin) return fail(ctx, joinPath(sPath, 'idleReplicaCount'), `IdleReplicaCount=${idle} must be less than MinReplicaCount=${checkedMin}`);
    ctx.notes.push(`spec.idleReplicaCount ${idle}: ${idle} while no trigger is active (after cooldownPeriod), ${minReplicas}–${maxReplicas} while one is (scaleToZero.idleCapacity).`);
  }
  if (polling !== null)
    ctx.notes.push(`spec.pollingInterval ${polling} s: KEDA polls the triggers that often; edgescale decides whenever it is asked, with the metrics in the request.`);
  if (initialCooldown !== null && initialCooldown !== 0)
    ctx.unsupported.push({
      path: joinPath(sPath, 'initialCooldownPeriod'),
      field: 'initialCooldownPeriod',
      message: 'the wait after the ScaledObject is created has no edgescale equivalent',
    });

  // Triggers.
  const tPath = joinPath(sPath, 'triggers');
  if (!Array.isArray(spec.triggers) || spec.triggers.length === 0) return fail(ctx, tPath, 'at least one trigger is required (ValidateTriggers: no triggers defined)');
  if (spec.triggers.length > LIMITS.rulesPerSet) return fail(ctx, tPath, `more than ${LIMITS.rulesPerSet} triggers (LIMITS.rulesPerSet)`);
  const triggers: ReadTrigger[] = [];
  spec.triggers.forEach((raw, i) => {
    const t = readTrigger(raw, i, `${tPath}[${i}]`, ctx);
    if (t) triggers.push(t);
  });
  if (ctx.issues.length > 0) return undefined;
  const names = new Map<string, string>();
  for (const t of triggers) {
    const key = t.kind === 'resource' ? undefined : t.metric;
    if (t.name !== undefined && triggers.some((o) => o.index < t.index && o.name === t.name))
      return fail(ctx, joinPath(t.path, 'name'), `triggerName "${t.name}" is defined multiple times in the ScaledObject, but it must be unique (ValidateTriggers)`);
    if (key !== undefined && names.has(key))
      return fail(ctx, t.path, `metric name "${key}" is defined multiple times (hpa.go getScaledObjectMetricSpecs); give the triggers distinct names`);
    if (key !== undefined) names.set(key, t.path);
  }
  // A trigger named like a cpu/memory metric would share its series.
  const clash = triggers.find((t) => t.kind !== 'resource' && triggers.some((o) => o.kind === 'resource' && o.metric === t.metric));
  if (clash)
    return fail(
      ctx,
      joinPath(clash.path, 'name'),
      `trigger name "${clash.metric}" is also the name of a ${clash.metric.split('@')[0]} trigger's metric; give the trigger another name`,
    );
  const resourceOnly = triggers.every((t) => t.kind === 'resource');
  if (resourceOnly && minReplicas === 0) {
    // getScaledObjectState forces such an object active, so it never scales to 0 (and KEDA's admission
    // webhook, verifyCPUMemoryScalers, refuses it for a Deployment or StatefulSet): it runs as the HPA, from 1.
    minReplicas = 1;
    ctx.notes.push(
      'Only cpu/memory triggers with minReplicaCount 0: KEDA keeps such an object always active (its webhook refuses it for a Deployment or StatefulSet), so it never goes below 1; imported with minimum 1.',
    );
  }

  // advanced.
  const adv = isRecord(spec.advanced) ? spec.advanced : {};
  const advPath = joinPath(sPath, 'advanced');
  reportUnknown(adv, ['horizontalPodAutoscalerConfig', 'restoreToOriginalReplicaCount', 'scalingModifiers'], advPath, 'advanced', ctx);
  if (adv.restoreToOriginalReplicaCount === true) ctx.notes.push(`${advPath}.restoreToOriginalReplicaCount: applies when the ScaledObject is deleted; nothing to decide.`);
  const hpaConfig = isRecord(adv.horizontalPodAutoscalerConfig) ? adv.horizontalPodAutoscalerConfig : {};
  const hPath = joinPath(advPath, 'horizontalPodAutoscalerConfig');
  reportUnknown(hpaConfig, ['behavior', 'name'], hPath, 'horizontalPodAutoscalerConfig', ctx);
  const bPath = joinPath(hPath, 'behavior');
  let behavior: Json | undefined = isRecord(hpaConfig.behavior) ? structuredClone(hpaConfig.behavior) : undefined;
  // hpa.go: the paused-scale-in / paused-scale-out annotations disable that direction of the HPA.
  for (const [key, dir] of [
    [ANNOTATION_PAUSED_SCALE_IN, 'scaleDown'],
    [ANNOTATION_PAUSED_SCALE_OUT, 'scaleUp'],
  ] as const) {
    if (!annotationOn(annotations, key)) continue;
    behavior ??= {};
    behavior[dir] = { ...(isRecord(behavior[dir]) ? behavior[dir] : {}), selectPolicy: 'Disabled' };
    ctx.notes.push(`${aPath}["${key}"]: behavior.${dir}.selectPolicy Disabled, as KEDA sets it on the HPA.`);
    if (minReplicas === 0)
      ctx.unsupported.push({
        path: `${aPath}[${JSON.stringify(key)}]`,
        field: key,
        message: `KEDA also blocks scaling ${dir === 'scaleDown' ? 'to' : 'from'} zero under this annotation; edgescale's activation does not`,
      });
  }

  const composite = readModifiers(adv, advPath, triggers, ctx);
  if (ctx.issues.length > 0) return undefined;

  // Fallback (CheckFallbackValid, GetMetricsWithFallback).
  let missingData: RuleSetInput['missingData'] = { policy: 'hold' };
  const fb = spec.fallback;
  const fPath = joinPath(sPath, 'fallback');
  if (fb !== undefined && fb !== null) {
    if (!isRecord(fb)) return fail(ctx, fPath, 'expected fallback { failureThreshold, replicas, behavior }');
    reportUnknown(fb, ['failureThreshold', 'replicas', 'behavior'], fPath, 'fallback', ctx);
    // CheckFallbackValid (scaledobject_types.go), KEDA's admission: negative counts first, with its message.
    const negative = (v: unknown) => typeof v === 'number' && v < 0;
    if (negative(fb.failureThreshold) || negative(fb.replicas))
      return fail(ctx, fPath, `FailureThreshold=${shown(fb.failureThreshold)} & Replicas=${shown(fb.replicas)} must both be greater than or equal to 0 (CheckFallbackValid)`);
    const threshold = readCount(fb, 'failureThreshold', fPath, ctx, 0, INT32_MAX);
    const replicas = readCount(fb, 'replicas', fPath, ctx, 0);
    if (threshold === undefined || replicas === undefined) return undefined;
    if (threshold === null) return fail(ctx, joinPath(fPath, 'failureThreshold'), 'failureThreshold is required');
    if (replicas === null) return fail(ctx, joinPath(fPath, 'replicas'), 'replicas is required');
    // CheckFallbackValid at kedacore/keda 8b4f083 (since v2.18, #6655 e438e930): without scalingModifiers, a
    // trigger other than cpu/memory, whatever its metricType (a Value metric's fallback is divided by the
    // ready replicas, so the HPA still asks for fallback.replicas); with scalingModifiers, any metricType.
    // Before v2.18 it also required AverageValue; the message is KEDA's, which still names it.
    if (!composite && resourceOnly)
      return fail(ctx, fPath, 'at least one trigger (that is not cpu or memory) has to have the `AverageValue` type for the fallback to be enabled (CheckFallbackValid)');
    // The schema bounds fallbackAfter to 1000 evaluations.
    if (threshold + 1 > 1000) return fail(ctx, joinPath(fPath, 'failureThreshold'), 'failureThreshold above 999 is not supported (missingData.fallbackAfter is at most 1000)');
    const fbBehavior = fb.behavior === undefined || fb.behavior === '' ? 'static' : fb.behavior;
    // fallback.go HasValidFallback: with scalingModifiers the target must parse as a whole number above 0
    // (strconv.ParseInt), else the fallback is never applied and the failing metric is an error to the HPA.
    const smTarget = isRecord(adv.scalingModifiers) ? adv.scalingModifiers.target : undefined;
    const validWithModifiers = !composite || (typeof smTarget === 'string' && /^[+-]?\d+$/.test(smTarget) && Number(smTarget) > 0);
    const SETS = { static: 'static', currentReplicasIfHigher: 'currentIfHigher', currentReplicasIfLower: 'currentIfLower' } as const;
    if (!validWithModifiers) {
      ctx.unsupported.push({
        path: fPath,
        field: 'fallback',
        message: `KEDA never applies this fallback: with scalingModifiers the target must be a whole number (HasValidFallback parses ${JSON.stringify(shown(smTarget))} with strconv.ParseInt); capacity holds while data is missing, as the HPA does on a failing metric`,
      });
    } else if (typeof fbBehavior === 'string' && Object.hasOwn(SETS, fbBehavior)) {
      const mode = SETS[fbBehavior as keyof typeof SETS];
      // KEDA's fallback is for its scalers' metrics only (scale_handler.go getScalerState calls
      // GetMetricsWithFallback for External metric specs; cpu/memory are the HPA's, from metrics-server):
      // with a cpu/memory trigger, the fallback is scoped to the other triggers' metrics.
      // With scalingModifiers only the triggers of the formula are read (the composite metric replaces them).
      const scalerMetrics = triggers.filter((t) => t.kind === 'external' && (!composite || (t.name !== undefined && composite.triggers.includes(t.name)))).map((t) => t.metric);
      const scoped = triggers.some((t) => t.kind === 'resource') && scalerMetrics.length > 0 ? { fallbackMetrics: [...new Set(scalerMetrics)] } : {};
      missingData = { policy: 'fallback', fallbackCapacity: replicas, fallbackAfter: threshold + 1, ...(mode !== 'static' && { fallbackBehavior: mode }), ...scoped };
      const to =
        mode === 'static'
          ? `${replicas}`
          : `the ${mode === 'currentIfHigher' ? 'higher' : 'lower'} of the current capacity and ${replicas} (${fbBehavior}, doFallback)`;
      ctx.notes.push(
        `${fPath}: after ${threshold + 1} evaluations in a row without data for a metric (KEDA: more than failureThreshold ${threshold} failed polls), capacity goes to ${to}; before that it holds. edgescale counts evaluations, KEDA counts failed queries of the scaler.`,
      );
      if (scoped.fallbackMetrics)
        ctx.notes.push(`${fPath}: for ${scoped.fallbackMetrics.join(', ')} only (missingData.fallbackMetrics); a cpu/memory metric without data holds capacity, as the HPA does, and never falls back (KEDA's fallback is for its scalers only).`);
    } else if (fbBehavior === 'currentReplicas') {
      ctx.notes.push(`${fPath}.behavior currentReplicas: the fallback keeps the current count, which is what holding on missing data does.`);
    } else {
      ctx.unsupported.push({
        path: joinPath(fPath, 'behavior'),
        field: 'behavior',
        message: `fallback behavior ${JSON.stringify(shown(fb.behavior))} has no edgescale equivalent; capacity holds while data is missing`,
      });
    }
  }

  // The HPA KEDA creates (newHPAForScaledObject), imported by the HPA importer.
  const hpaMetrics: Json[] = [];
  const metricPaths: string[] = [];
  for (const t of triggers) {
    if (!t.hpaMetric) continue;
    // With scalingModifiers the composite metric replaces every external metric (hpa.go).
    if (composite && t.kind === 'external') continue;
    hpaMetrics.push(t.hpaMetric);
    metricPaths.push(t.path);
  }
  const hpaName = typeof hpaConfig.name === 'string' && hpaConfig.name !== '' ? hpaConfig.name : `keda-hpa-${name ?? ''}`;
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: hpaName, ...(namespace !== undefined && { namespace }) },
    spec: {
      scaleTargetRef: { apiVersion, kind, name: ref.name },
      minReplicas: Math.max(1, minReplicas),
      maxReplicas,
      // A placeholder keeps the HPA importer from adding its default CPU metric when no trigger gives the HPA one (cron only, or a formula only).
      metrics: hpaMetrics.length > 0 ? hpaMetrics : [{ type: 'External', external: { metric: { name: COMPOSITE_METRIC }, target: { type: 'AverageValue', averageValue: 1 } } }],
      ...(behavior && { behavior }),
    },
  };
  const locate = (hpaPath: string): string => {
    const m = /^spec\.metrics\[(\d+)\](.*)$/.exec(hpaPath);
    if (m) return metricPaths[Number(m[1])] ?? tPath;
    if (hpaPath.startsWith('spec.behavior')) return `${bPath}${hpaPath.slice('spec.behavior'.length)}`;
    if (hpaPath.startsWith('spec.scaleTargetRef')) return rPath;
    if (hpaPath.startsWith('spec.maxReplicas')) return joinPath(sPath, 'maxReplicaCount');
    if (hpaPath.startsWith('spec.minReplicas')) return joinPath(sPath, 'minReplicaCount');
    return sPath;
  };
  const imported = importHpaManifest(hpa, { id: options.id ?? toId(name ?? '', 'keda') });
  if (!imported.ok) {
    for (const i of imported.issues) ctx.issues.push({ code: 'ImportError', path: locate(i.path), message: i.message });
    return undefined;
  }
  for (const u of imported.unsupported) ctx.unsupported.push({ ...u, path: locate(u.path) });
  const ruleSet: RuleSetInput = { ...imported.ruleSet };
  if (hpaMetrics.length === 0) ruleSet.targetTracking = [];
  ctx.notes.push(...imported.notes.filter((n) => !n.includes(COMPOSITE_METRIC) || hpaMetrics.length > 0).map((n) => n.replace(/\bspec\.metrics\b/g, 'spec.triggers')));

  ruleSet.description = `Imported from the KEDA ScaledObject ${JSON.stringify(name ?? '')}`;
  ruleSet.capacity = { minimum: minReplicas, maximum: maxReplicas, default: minReplicas };
  ruleSet.missingData = missingData;
  ruleSet.targets = [{ id: `${kind}/${ref.name}`, labels: { ...(namespace !== undefined && { namespace }), apiVersion } }];

  for (const t of triggers) if (t.send) ctx.notes.push(`${t.path} (${t.type}): send ${t.send} as metrics[${JSON.stringify(t.metric)}].`);

  // scalingModifiers → the composite metric as two expression rules.
  if (composite) {
    const up = toleranceOf(behavior, 'scaleUp', bPath, ctx);
    const down = toleranceOf(behavior, 'scaleDown', bPath, ctx);
    if (up === undefined || down === undefined) return undefined;
    ruleSet.rules = compositeRules(composite, { up, down });
    ruleSet.flappingProtection = false;
    if (!ruleSet.behavior) {
      ruleSet.behavior = structuredClone(DEFAULT_BEHAVIOR) as unknown as RuleSetInput['behavior'];
      // The HPA importer's "No behavior" note no longer holds.
      ctx.notes.splice(0, ctx.notes.length, ...ctx.notes.filter((n) => !n.startsWith('No behavior:')));
      ctx.notes.push(
        `${composite.path}: without a behavior, the composite metric is limited by Kubernetes' default behavior (stabilization 300 s down, Pods 4 / Percent 100 per 15 s up) rather than the HPA's older path without behavior.`,
      );
    }
    ctx.notes.push(
      `${composite.path}.formula: the composite metric ${JSON.stringify(COMPOSITE_METRIC)} is computed from ${composite.triggers.map((n) => JSON.stringify(n)).join(', ') || 'constants'} as ${composite.value}.`,
    );
    for (const t of triggers) {
      if (t.kind !== 'resource' && !(t.name !== undefined && composite.triggers.includes(t.name))) {
        ctx.notes.push(`${t.path}: not named in the formula, so it takes no part in scaling (KEDA replaces the external metrics with the composite one).`);
      }
    }
  }

  // Cron triggers → cron profiles whose minimum is desiredReplicas; the largest first, so overlapping windows give the largest (the HPA's max).
  const crons = composite ? [] : triggers.filter((t) => t.kind === 'cron');
  if (crons.length > 0) {
    if (crons.length > LIMITS.profilesPerSet) return fail(ctx, tPath, `more than ${LIMITS.profilesPerSet} cron triggers (LIMITS.profilesPerSet)`);
    const profiles: NativeProfile[] = [...crons]
      .sort((a, b) => b.cron!.desiredReplicas - a.cron!.desiredReplicas || a.index - b.index)
      .map((t) => {
        const floor = Math.min(maxReplicas, Math.max(minReplicas, t.cron!.desiredReplicas));
        if (t.cron!.desiredReplicas > maxReplicas)
          ctx.notes.push(`${t.path}: desiredReplicas ${t.cron!.desiredReplicas} is above maxReplicaCount; the HPA caps it at ${maxReplicas}.`);
        return {
          // Named after the trigger, or after KEDA's metric for it (s<index>-cron-<zone>-<start>-<end>).
          name: t.metric,
          capacity: { minimum: floor, maximum: maxReplicas, default: floor },
          cron: { timeZone: t.cron!.timezone, start: t.cron!.start, end: t.cron!.end },
        };
      });
    ruleSet.profiles = profiles;
    ctx.notes.push(
      `Cron triggers: each window [start, end) in its zone is a cron profile whose minimum is desiredReplicas (the cron metric asks the HPA for exactly that many). Unlike KEDA, the profile's minimum is reached at once, not through the behavior's rate limits.`,
    );
  }

  // Activation (0 or idle ↔ active): KEDA's executor (scale_scaledobjects.go RequestScale) as the
  // activation governor's cooldown mode — any external trigger above its activation value activates;
  // inactive for cooldownPeriod since the last active decision, the target goes to idle (or 0).
  const activating = triggers.filter((t) => t.kind === 'external' && (!composite || (t.name !== undefined && composite.triggers.includes(t.name))));
  // idle mode only below a minimum above 0: with minReplicaCount 0, idle 0 is plain scale to zero.
  const idleCount = idle !== null && idle !== undefined && idle < minReplicas ? idle : undefined;
  if (minReplicas === 0 || idleCount !== undefined) {
    const [first, ...others] = activating;
    const cd = cooldown ?? KEDA_DEFAULT_COOLDOWN_SECONDS;
    if (composite) {
      // scalingModifiers: the composite value, not the triggers, activates (getScaledObjectState), read as the
      // composite rules read it (PT1M).
      ruleSet.scaleToZero = {
        metric: COMPOSITE_METRIC,
        expr: composite.value,
        activationThreshold: composite.activation,
        window: 'PT1M',
        cooldown: `PT${cd}S`,
        ...(idleCount !== undefined && { idleCapacity: idleCount }),
      };
      ctx.notes.push(
        `Activation: the target is active while the composite value ${composite.value} is above activationTarget ${composite.activation} (scaleToZero.expr, as KEDA's scalingModifiers); inactive for cooldownPeriod ${cd} s since the last active decision, it goes to ${idleCount ?? 0} (send each decision's state back: it carries the last active time).`,
      );
    } else if (first) {
      ruleSet.scaleToZero = {
        metric: first.metric,
        activationThreshold: first.activation ?? 0,
        ...(others.length > 0 && { also: others.map((t) => ({ metric: t.metric, activationThreshold: t.activation ?? 0 })) }),
        cooldown: `PT${cd}S`,
        ...(idleCount !== undefined && { idleCapacity: idleCount }),
        ...(crons.length > 0 && { activeDuringProfiles: true }),
      };
      const names = activating.map((t) => `${JSON.stringify(t.metric)} above ${t.activation ?? 0}`).join(', or ');
      ctx.notes.push(
        `Activation: the target is active while ${names} (scaleToZero); inactive for cooldownPeriod ${cd} s since the last active decision, it goes to ${idleCount ?? 0} (send each decision's state back: it carries the last active time).`,
      );
    } else {
      ctx.notes.push('Activation: only cron windows lift the target from 0 (their profiles have a minimum of desiredReplicas).');
    }
    if (ruleSet.scaleToZero && missingData.policy === 'fallback') activeOnFallback(ruleSet.scaleToZero, triggers, composite, missingData, ctx);
  } else {
    if (cooldown !== null) ctx.notes.push(`spec.cooldownPeriod: with minReplicaCount ${minReplicas} KEDA never scales to 0, so the cooldown has no effect (as in KEDA).`);
    if (composite && composite.activation !== 0)
      ctx.notes.push(
        `${composite.path}.activationTarget: with minReplicaCount ${minReplicas} and no idleReplicaCount, activation changes no replica count (KEDA's executor leaves an inactive object at its minimum), as in KEDA.`,
      );
  }
  return { ruleSet, locate };
}

/**
 * Convert a KEDA ScaledObject into a native rule set. Pure. `input` is YAML or JSON text (several
 * documents allowed: the ScaledObject is taken, other kinds are reported), a parsed object, an array
 * of objects, or a List. With several ScaledObjects, `options.name` chooses one.
 */
export function importKedaScaledObject(input: string | object, options: KedaImportOptions = {}): ImportResult {
  const ctx = newContext();
  const doc = chooseScaledObject(input, options.name, ctx);
  if (!doc || ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  const converted = convert(doc.value, doc.path, ctx, options);
  if (!converted || ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  const spec = joinPath(doc.path, 'spec');
  const compiled = validateConverted(converted.ruleSet, ctx, (nativePath) => {
    if (nativePath.startsWith('profiles')) return joinPath(spec, 'triggers');
    if (nativePath.startsWith('rules')) return joinPath(joinPath(spec, 'advanced'), 'scalingModifiers');
    if (nativePath.startsWith('missingData')) return joinPath(spec, 'fallback');
    return spec;
  });
  if (!compiled || ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  return { ok: true, ruleSet: converted.ruleSet, compiled, unsupported: ctx.unsupported, notes: [...new Set(ctx.notes)] };
}

/** For the API and CLI: `{ "keda": "<text or object>" }`. */
export function importKeda(input: unknown, options: KedaImportOptions = {}): ImportResult {
  if (typeof input !== 'string' && (typeof input !== 'object' || input === null)) {
    return { ok: false, issues: [{ code: 'ImportError', path: '', message: 'expected a KEDA ScaledObject as YAML or JSON text, or as an object' }] };
  }
  return importKedaScaledObject(input, options);
}
