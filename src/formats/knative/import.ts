// Knative Service → native rule set with a `kpa` policy: the revision template's autoscaling.knative.dev/* annotations over the config-autoscaler defaults, validated and resolved as Knative does.
//
// Sources (knative/serving, commit 98e5ef90aa7033797aa0a61ef97f3ff7e49a3944):
// - pkg/autoscaler/config/config.go: defaultConfig, NewConfigFromMap (keys, the legacy (0, 1] fraction
//   of container-concurrency-target-percentage), validate (every check, in its order);
// - pkg/apis/autoscaling/register.go: the annotation keys and their legacy camelCase spellings (KeyPriority);
// - pkg/apis/autoscaling/annotation_validation.go ValidateAnnotations: class, min/max/activation scale,
//   floats, window, retention, scale-down delay, metric, aggregation algorithm, initial scale;
// - pkg/reconciler/autoscaling/resources/target.go ResolveMetricTarget, kpa/resources/decider.go
//   MakeDecider and GetInitialScale, apis/autoscaling/v1alpha1/pa_lifecycle.go ScaleBounds.
import { LIMITS } from '../../limits.js';
import type { RuleSetInput } from '../../schema.js';
import { KPA_DEFAULTS, KPA_TARGET_MIN, KPA_WINDOW_MAX_MS, KPA_WINDOW_MIN_MS } from '../../schemas/kpa.js';
import { formatIsoDuration } from '../../syntax/duration.js';
import { parseGoDuration } from '../../syntax/go-duration.js';
import { INT32_MAX } from '../../syntax/int32.js';
import { newContext, toId, validateConverted, type ImportContext, type ImportOptions, type ImportResult } from '../import-context.js';
import { CONFIG_AUTOSCALER, readKnative, type KnativeSource } from './read.js';
import { goParseBool, goParseFloat } from '../../syntax/go-strconv.js';

type Json = Record<string, unknown>;
type KpaInput = NonNullable<RuleSetInput['kpa']>;

export interface KnativeImportOptions extends ImportOptions {
  /** The cluster's config-autoscaler `data`, when not in the input as a ConfigMap. */
  config?: Json;
}

const GROUP = 'autoscaling.knative.dev/';
const KPA_CLASS = 'kpa.autoscaling.knative.dev';
const HPA_CLASS = 'hpa.autoscaling.knative.dev';
/** register.go: each annotation and the legacy spelling KeyPriority also reads, first wins. */
const ANNOTATIONS = {
  class: ['class'],
  metric: ['metric'],
  target: ['target'],
  targetUtilization: ['target-utilization-percentage', 'targetUtilizationPercentage'],
  window: ['window'],
  panicWindow: ['panic-window-percentage', 'panicWindowPercentage'],
  panicThreshold: ['panic-threshold-percentage', 'panicThresholdPercentage'],
  tbc: ['target-burst-capacity', 'targetBurstCapacity'],
  scaleDownDelay: ['scale-down-delay', 'scaleDownDelay'],
  retention: ['scale-to-zero-pod-retention-period', 'scaleToZeroPodRetentionPeriod'],
  minScale: ['min-scale', 'minScale'],
  maxScale: ['max-scale', 'maxScale'],
  initialScale: ['initial-scale', 'initialScale'],
  activationScale: ['activation-scale'],
  algorithm: ['metric-aggregation-algorithm', 'metricAggregationAlgorithm'],
} as const;
const KNOWN_ANNOTATIONS = new Set(Object.values(ANNOTATIONS).flatMap((keys) => keys.map((k) => GROUP + k)));
/** config.go NewConfigFromMap: every key it reads. */
const CONFIG_KEYS = [
  'pod-autoscaler-class',
  'enable-scale-to-zero',
  'allow-zero-initial-scale',
  'max-scale-up-rate',
  'max-scale-down-rate',
  'container-concurrency-target-percentage',
  'container-concurrency-target-default',
  'requests-per-second-target-default',
  'target-burst-capacity',
  'panic-window-percentage',
  'activator-capacity',
  'panic-threshold-percentage',
  'initial-scale',
  'min-scale',
  'max-scale',
  'max-scale-limit',
  'stable-window',
  'scale-down-delay',
  'scale-to-zero-grace-period',
  'scale-to-zero-pod-retention-period',
] as const;

// Go's strconv: ParseInt base 10 in 32 bits (ParseFloat and ParseBool: src/syntax/go-strconv.ts).
const INT = /^[+-]?\d+$/;

/** One value as written (annotations and ConfigMap data are strings; numbers and booleans of a JSON object are read as their text). */
interface Raw {
  text: string;
  path: string;
  key: string;
}

class Reader {
  constructor(private readonly ctx: ImportContext) {}

  fail(path: string, message: string): undefined {
    this.ctx.issues.push({ code: 'ImportError', path, message });
    return undefined;
  }

  raw(map: Json, base: string, key: string, display = key): Raw | undefined {
    if (!(key in map)) return undefined;
    const v = map[key];
    const path = `${base}[${JSON.stringify(key)}]`;
    if (typeof v === 'string') return { text: v, path, key: display };
    if (typeof v === 'number' || typeof v === 'boolean') return { text: String(v), path, key: display };
    return this.fail(path, `${display} must be a string`);
  }

  float(r: Raw | undefined): number | undefined {
    if (!r) return undefined;
    const n = goParseFloat(r.text);
    if (n === undefined) return this.fail(r.path, `invalid value: ${r.text}: ${r.key} must be a number`);
    return n;
  }

  int32(r: Raw | undefined): number | undefined {
    if (!r) return undefined;
    if (!INT.test(r.text)) return this.fail(r.path, `invalid value: ${r.text}: ${r.key} must be a whole number`);
    const n = Number(r.text);
    if (n > INT32_MAX || n < -INT32_MAX - 1) return this.fail(r.path, `expected 0 <= ${r.text} <= ${INT32_MAX}: ${r.key}`);
    return n;
  }

  bool(r: Raw | undefined): boolean | undefined {
    if (!r) return undefined;
    const b = goParseBool(r.text);
    if (b === undefined) return this.fail(r.path, `invalid value: ${r.text}: ${r.key} must be true or false`);
    return b;
  }

  duration(r: Raw | undefined): number | undefined {
    if (!r) return undefined;
    const ms = parseGoDuration(r.text);
    if (ms === undefined) return this.fail(r.path, `invalid value: ${r.text}: ${r.key} must be a Go duration such as "60s" or "1m30s"`);
    return ms;
  }
}

/** config-autoscaler as NewConfigFromMap + validate leave it; undefined after reporting a problem. */
function readConfig(src: KnativeSource, rd: Reader, ctx: ImportContext) {
  const c = {
    class: KPA_CLASS as string,
    enableScaleToZero: true,
    allowZeroInitialScale: false,
    maxScaleUpRate: KPA_DEFAULTS.maxScaleUpRate as number,
    maxScaleDownRate: KPA_DEFAULTS.maxScaleDownRate as number,
    ccFraction: KPA_DEFAULTS.targetUtilizationPercentage / 100,
    ccDefault: 100,
    rpsDefault: 200,
    tbc: KPA_DEFAULTS.targetBurstCapacity as number,
    panicWindow: KPA_DEFAULTS.panicWindowPercentage as number,
    activatorCapacity: 100,
    panicThreshold: KPA_DEFAULTS.panicThresholdPercentage as number,
    initialScale: 1,
    minScale: 0,
    maxScale: 0,
    maxScaleLimit: 0,
    stableWindow: 60_000,
    scaleDownDelay: 0,
    grace: 30_000,
    retention: 0,
  };
  const paths: Record<string, string> = {};
  const data = src.config;
  const get = (key: string) => {
    const r = rd.raw(data, src.configPath, key);
    if (r) paths[key] = r.path;
    return r;
  };
  for (const key of Object.keys(data)) {
    // `_example` is the documentation block every shipped config-autoscaler carries.
    if (key !== '_example' && !(CONFIG_KEYS as readonly string[]).includes(key)) {
      ctx.unsupported.push({
        path: `${src.configPath}[${JSON.stringify(key)}]`,
        field: key,
        message: `${CONFIG_AUTOSCALER} key "${key}" is not one Knative's autoscaler reads and is left out`,
      });
    }
  }
  const cls = get('pod-autoscaler-class');
  if (cls) c.class = cls.text;
  const set = <K extends keyof typeof c>(k: K, v: (typeof c)[K] | undefined) => {
    if (v !== undefined) c[k] = v;
  };
  set('enableScaleToZero', rd.bool(get('enable-scale-to-zero')));
  set('allowZeroInitialScale', rd.bool(get('allow-zero-initial-scale')));
  set('maxScaleUpRate', rd.float(get('max-scale-up-rate')));
  set('maxScaleDownRate', rd.float(get('max-scale-down-rate')));
  set('ccFraction', rd.float(get('container-concurrency-target-percentage')));
  set('ccDefault', rd.float(get('container-concurrency-target-default')));
  set('rpsDefault', rd.float(get('requests-per-second-target-default')));
  set('tbc', rd.float(get('target-burst-capacity')));
  set('panicWindow', rd.float(get('panic-window-percentage')));
  set('activatorCapacity', rd.float(get('activator-capacity')));
  set('panicThreshold', rd.float(get('panic-threshold-percentage')));
  set('initialScale', rd.int32(get('initial-scale')));
  set('minScale', rd.int32(get('min-scale')));
  set('maxScale', rd.int32(get('max-scale')));
  set('maxScaleLimit', rd.int32(get('max-scale-limit')));
  set('stableWindow', rd.duration(get('stable-window')));
  set('scaleDownDelay', rd.duration(get('scale-down-delay')));
  set('grace', rd.duration(get('scale-to-zero-grace-period')));
  set('retention', rd.duration(get('scale-to-zero-pod-retention-period')));
  if (ctx.issues.length > 0) return undefined;
  // "for legacy reasons we allow values in the (0, 1] interval"
  // The policy holds a percentage: a percentage as written stays exact (total × (70 ÷ 100) is Go's
  // total × 0.7 to the bit); a fraction is multiplied back, as close as a double allows.
  const ccPercent = c.ccFraction > 1 ? c.ccFraction : c.ccFraction * 100;
  if (c.ccFraction > 1) c.ccFraction /= 100;

  const at = (key: string) => paths[key] ?? src.configPath;
  /** Where a key of the ConfigMap was read; undefined when it was not set. */
  const keyPath = (key: string): string | undefined => paths[key];
  const checks: Array<[boolean, string, string]> = [
    [c.grace <= 0, 'scale-to-zero-grace-period', `scale-to-zero-grace-period must be positive, was: ${c.grace} ms`],
    [c.scaleDownDelay < 0, 'scale-down-delay', 'scale-down-delay cannot be negative'],
    [c.scaleDownDelay % 1000 !== 0, 'scale-down-delay', 'scale-down-delay must be specified with at most second precision'],
    [c.retention < 0, 'scale-to-zero-pod-retention-period', 'scale-to-zero-pod-retention-period cannot be negative'],
    [c.tbc < 0 && c.tbc !== -1, 'target-burst-capacity', `target-burst-capacity must be either non-negative or -1 (for unlimited), was: ${c.tbc}`],
    [
      c.ccFraction <= 0 || c.ccFraction > 1,
      'container-concurrency-target-percentage',
      `container-concurrency-target-percentage = ${c.ccFraction} is outside of valid range of (0, 100]`,
    ],
    [
      c.ccFraction * c.ccDefault < KPA_TARGET_MIN,
      'container-concurrency-target-default',
      `container-concurrency-target-percentage and container-concurrency-target-default yield target concurrency of ${c.ccFraction * c.ccDefault}, can't be less than ${KPA_TARGET_MIN}`,
    ],
    [c.rpsDefault < KPA_TARGET_MIN, 'requests-per-second-target-default', `requests-per-second-target-default must be at least ${KPA_TARGET_MIN}, was: ${c.rpsDefault}`],
    [c.activatorCapacity < 1, 'activator-capacity', `activator-capacity = ${c.activatorCapacity}, must be at least 1`],
    [c.maxScaleUpRate <= 1, 'max-scale-up-rate', `max-scale-up-rate = ${c.maxScaleUpRate}, must be greater than 1.0`],
    [c.maxScaleDownRate <= 1, 'max-scale-down-rate', `max-scale-down-rate = ${c.maxScaleDownRate}, must be greater than 1.0`],
    [c.stableWindow < KPA_WINDOW_MIN_MS || c.stableWindow > KPA_WINDOW_MAX_MS, 'stable-window', 'stable-window must be in [6s; 1h0m0s] range'],
    [c.stableWindow % 1000 !== 0, 'stable-window', 'stable-window must be specified with at most second precision'],
    [c.panicWindow < 1 || c.panicWindow > 100, 'panic-window-percentage', `panic-window-percentage = ${c.panicWindow}, must be in [1, 100] interval`],
    [
      c.initialScale < 0 || (c.initialScale === 0 && !c.allowZeroInitialScale),
      'initial-scale',
      `initial-scale = ${c.initialScale}, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)`,
    ],
    [c.minScale < 0, 'min-scale', `min-scale = ${c.minScale}, must be at least 0`],
    [
      c.maxScale < (c.maxScaleLimit > 0 ? 1 : 0) || (c.maxScaleLimit > 0 && c.maxScale > c.maxScaleLimit),
      'max-scale',
      `max-scale = ${c.maxScale}, must be in [${c.maxScaleLimit > 0 ? 1 : 0}, max-scale-limit(${c.maxScaleLimit})] range`,
    ],
    [c.maxScaleLimit < 0, 'max-scale-limit', `max-scale-limit = ${c.maxScaleLimit}, must be at least 0`],
    [c.minScale > c.maxScale && c.maxScale > 0, 'min-scale', `min-scale (${c.minScale}) must be less than max-scale (${c.maxScale})`],
  ];
  for (const [bad, key, message] of checks) if (bad) rd.fail(at(key), `${CONFIG_AUTOSCALER}: ${message} (config.go validate)`);
  if (ctx.issues.length > 0) return undefined;
  return { c, ccPercent, at, keyPath };
}

/** The Service's annotations as the PodAutoscaler accessors read them, after ValidateAnnotations. */
function readAnnotations(src: KnativeSource, config: NonNullable<ReturnType<typeof readConfig>>['c'], rd: Reader, ctx: ImportContext) {
  const anns = src.annotations;
  const first = (name: keyof typeof ANNOTATIONS) => {
    for (const k of ANNOTATIONS[name]) {
      const r = rd.raw(anns, src.annotationsPath, GROUP + k);
      if (r) return r;
    }
    return undefined;
  };
  for (const key of Object.keys(anns)) {
    if (key.startsWith(GROUP) && !KNOWN_ANNOTATIONS.has(key)) {
      ctx.unsupported.push({
        path: `${src.annotationsPath}[${JSON.stringify(key)}]`,
        field: key,
        message: `${key} is not an annotation Knative's autoscaler reads and is left out`,
      });
    }
  }
  const bad = (r: Raw, message: string) => rd.fail(r.path, `${r.key}: ${message} (annotation_validation.go)`);
  const inRange = (r: Raw | undefined, lo: number, hi: number) => {
    const v = rd.float(r);
    if (r && v !== undefined && (v < lo || v > hi)) return bad(r, `expected ${lo} <= ${r.text} <= ${hi}`);
    return v;
  };

  const clsRaw = first('class');
  const cls = clsRaw?.text ?? config.class;
  if (cls !== KPA_CLASS) {
    const where = clsRaw?.path ?? src.annotationsPath;
    return rd.fail(
      where,
      cls === HPA_CLASS
        ? `autoscaling class ${HPA_CLASS}: Knative runs a Kubernetes HPA for this revision, not the KPA; import that HPA (edgescale import hpa)`
        : `autoscaling class "${cls}" is not the Knative Pod Autoscaler (${KPA_CLASS})`,
    );
  }
  const metricRaw = first('metric');
  const metricText = metricRaw?.text ?? 'concurrency';
  if (metricText !== 'concurrency' && metricText !== 'rps') return bad(metricRaw!, `invalid value: ${metricText}: the KPA scales on concurrency or rps`);
  const metric: 'concurrency' | 'rps' = metricText;
  const algorithm = first('algorithm');
  if (algorithm && algorithm.text !== 'linear') {
    if (!['weighted-exponential', 'weightedExponential'].includes(algorithm.text)) return bad(algorithm, `invalid value: ${algorithm.text}`);
    ctx.unsupported.push({
      path: algorithm.path,
      field: algorithm.key,
      message: `${algorithm.text} averaging is not implemented: the windows are averaged linearly (docs/kpa.md)`,
    });
  }

  const targetRaw = first('target');
  const target = rd.float(targetRaw);
  if (targetRaw && target !== undefined && target < KPA_TARGET_MIN) bad(targetRaw, `target ${targetRaw.text} should be at least ${KPA_TARGET_MIN}`);
  const tu = inRange(first('targetUtilization'), 1, 100);
  const panicWindow = inRange(first('panicWindow'), 1, 100);
  const panicThreshold = inRange(first('panicThreshold'), 110, 1000);
  const tbcRaw = first('tbc');
  const tbc = rd.float(tbcRaw);
  if (tbcRaw && tbc !== undefined && tbc < 0 && tbc !== -1) bad(tbcRaw, `invalid value: ${tbcRaw.text}`);

  const windowRaw = first('window');
  const window = rd.duration(windowRaw);
  if (windowRaw && window !== undefined) {
    if (window < KPA_WINDOW_MIN_MS || window > KPA_WINDOW_MAX_MS) bad(windowRaw, `expected 6s <= ${windowRaw.text} <= 1h0m0s`);
    else if (window % 1000 !== 0) bad(windowRaw, 'must be specified with at most second precision');
  }
  const delayRaw = first('scaleDownDelay');
  const delay = rd.duration(delayRaw);
  if (delayRaw && delay !== undefined) {
    if (delay < 0 || delay > KPA_WINDOW_MAX_MS) bad(delayRaw, `expected 0s <= ${delayRaw.text} <= 1h0m0s`);
    else if (delay % 1000 !== 0) bad(delayRaw, 'must be specified with at most second precision');
  }
  const retentionRaw = first('retention');
  const retention = rd.duration(retentionRaw);
  if (retentionRaw && retention !== undefined && (retention < 0 || retention > KPA_WINDOW_MAX_MS)) bad(retentionRaw, `expected 0s <= ${retentionRaw.text} <= 1h0m0s`);

  const nonNegative = (r: Raw | undefined) => {
    const v = rd.int32(r);
    if (r && v !== undefined && v < 0) return bad(r, `expected 0 <= ${r.text} <= ${INT32_MAX}`);
    return v;
  };
  const minRaw = first('minScale');
  const maxRaw = first('maxScale');
  const min = nonNegative(minRaw);
  const max = nonNegative(maxRaw);
  if (max !== undefined && max !== 0 && max < (min ?? 0)) bad(maxRaw!, `max-scale=${max} is less than min-scale=${min ?? 0}`);
  if (maxRaw && max !== undefined && config.maxScaleLimit > 0) {
    if (max > config.maxScaleLimit) bad(maxRaw, `expected 1 <= ${max} <= ${config.maxScaleLimit}`);
    if (max === 0) bad(maxRaw, `max-scale=0 (unlimited), must be less than ${config.maxScaleLimit}`);
  }
  const actRaw = first('activationScale');
  const activation = rd.int32(actRaw);
  if (actRaw && activation !== undefined) {
    if ((min ?? 0) > activation) bad(actRaw, `min-scale=${min ?? 0} is greater than activation-scale=${activation}`);
    else if (max !== undefined && max !== 0 && max < activation) bad(actRaw, `max-scale=${max} is less than activation-scale=${activation}`);
    else if (activation < 2) bad(actRaw, `activation-scale=${activation} must be greater than 1`);
  }
  const initRaw = first('initialScale');
  const initial = rd.int32(initRaw);
  if (initRaw && initial !== undefined) {
    if (initial < 0) bad(initRaw, `invalid value: ${initial} must be greater than 0`);
    else if (initial === 0 && !config.allowZeroInitialScale) bad(initRaw, 'invalid value: 0 not allowed by cluster (allow-zero-initial-scale)');
  }
  const cc = src.containerConcurrency;
  if (cc !== undefined && (typeof cc !== 'number' || !Number.isInteger(cc) || cc < 0))
    return rd.fail(src.containerConcurrencyPath, 'containerConcurrency must be a whole number of at least 0');
  if (ctx.issues.length > 0) return undefined;
  const paths = {
    target: targetRaw,
    tu: first('targetUtilization'),
    window: windowRaw,
    panicWindow: first('panicWindow'),
    panicThreshold: first('panicThreshold'),
    tbc: tbcRaw,
    delay: delayRaw,
    retention: retentionRaw,
    min: minRaw,
    max: maxRaw,
    activation: actRaw,
    initial: initRaw,
  };
  return {
    metric,
    target,
    tu,
    panicWindow,
    panicThreshold,
    tbc,
    window,
    delay,
    retention,
    min,
    max,
    activation,
    initial,
    containerConcurrency: (cc as number | undefined) ?? 0,
    paths,
  };
}

/**
 * Convert a Knative Service (or Configuration) into a native rule set with one `kpa` policy. Pure.
 * `input` is YAML or JSON text (several documents: a config-autoscaler ConfigMap among them supplies the
 * cluster defaults), a parsed object, an array, or a List. `options.name` chooses among several.
 */
export function importKnativeService(input: unknown, options: KnativeImportOptions = {}): ImportResult {
  const ctx = newContext();
  const src = readKnative(input, options, ctx);
  if (!src || ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  const rd = new Reader(ctx);
  const cfg = readConfig(src, rd, ctx);
  if (!cfg) return { ok: false, issues: ctx.issues };
  const { c } = cfg;
  const a = readAnnotations(src, c, rd, ctx);
  if (!a) return { ok: false, issues: ctx.issues };

  // ResolveMetricTarget: the per-pod total and the utilization. For rps the utilization is the config's
  // TargetUtilization, which NewConfigFromMap never reads from the ConfigMap (always 0.7).
  const concurrency = a.metric === 'concurrency';
  let total = concurrency ? (a.containerConcurrency > 0 ? a.containerConcurrency : c.ccDefault) : c.rpsDefault;
  if (a.target !== undefined) total = concurrency && a.containerConcurrency !== 0 ? Math.min(a.target, a.containerConcurrency) : a.target;
  const tuPercent = a.tu ?? (concurrency ? cfg.ccPercent : KPA_DEFAULTS.targetUtilizationPercentage);
  // ScaleBounds (reachable: a manifest has no routing state) and GetInitialScale.
  const minScale = a.min ?? c.minScale;
  const maxScale = a.max ?? c.maxScale;
  const initialScale = a.initial !== undefined && !(a.initial === 0 && !c.allowZeroInitialScale) ? a.initial : c.initialScale;
  if (maxScale === 0) ctx.notes.push(`max-scale 0 (unlimited): the maximum is edgescale's largest capacity, ${LIMITS.maxCapacity}.`);
  ctx.notes.push('Reachable: a manifest has no routing state, so the revision is taken as reachable (set kpa.reachable to false for one no route sends traffic to).');
  ctx.notes.push(
    `The series to send is "${a.metric}": the revision's total ${concurrency ? 'in-flight requests (summed over its pods)' : 'requests per second'}, one point per second or so; see docs/kpa.md.`,
  );
  if (c.activatorCapacity !== 100) ctx.notes.push('activator-capacity sizes the activator subset and does not change the pod count: not used.');

  const kpa: KpaInput = {
    metric: a.metric,
    scalingMetric: a.metric,
    target: total,
    containerConcurrency: a.containerConcurrency,
    targetUtilizationPercentage: tuPercent,
    stableWindow: formatIsoDuration(a.window ?? c.stableWindow),
    panicWindowPercentage: a.panicWindow ?? c.panicWindow,
    panicThresholdPercentage: a.panicThreshold ?? c.panicThreshold,
    maxScaleUpRate: c.maxScaleUpRate,
    maxScaleDownRate: c.maxScaleDownRate,
    scaleDownDelay: formatIsoDuration(a.delay ?? c.scaleDownDelay),
    ...(a.activation !== undefined && { activationScale: a.activation }),
    initialScale,
    enableScaleToZero: c.enableScaleToZero,
    scaleToZeroGracePeriod: formatIsoDuration(c.grace),
    scaleToZeroPodRetentionPeriod: formatIsoDuration(a.retention ?? c.retention),
    targetBurstCapacity: a.tbc ?? c.tbc,
  };
  const ruleSet: RuleSetInput = {
    id: options.id ?? toId(src.name, 'knative'),
    ...(src.name !== '' && { description: `Imported from the Knative ${src.kind} ${JSON.stringify(src.name)}` }),
    capacity: { minimum: minScale, maximum: maxScale === 0 ? LIMITS.maxCapacity : maxScale, default: minScale },
    rules: [],
    kpa,
    // autoscaler.go: no data, no scale (invalidSR); Knative has no default capacity to go to.
    missingData: { policy: 'hold' },
    ...(src.name !== '' && { targets: [{ id: `${src.kind}/${src.name}`, ...(src.namespace !== undefined && { labels: { namespace: src.namespace } }) }] }),
  };
  // Where each value came from: the annotation, else the config-autoscaler key, for problems only the
  // rule set's own validation finds (a config value outside the annotation's range, a min-scale above 100,000).
  const p = a.paths;
  const key = (k: string) => cfg.keyPath(k);
  const origin: Record<string, string | undefined> = {
    'kpa.target': p.target?.path ?? key(concurrency ? 'container-concurrency-target-default' : 'requests-per-second-target-default'),
    'kpa.targetUtilizationPercentage': p.tu?.path ?? key('container-concurrency-target-percentage'),
    'kpa.stableWindow': p.window?.path ?? key('stable-window'),
    'kpa.panicWindowPercentage': p.panicWindow?.path ?? key('panic-window-percentage'),
    'kpa.panicThresholdPercentage': p.panicThreshold?.path ?? key('panic-threshold-percentage'),
    'kpa.maxScaleUpRate': key('max-scale-up-rate'),
    'kpa.maxScaleDownRate': key('max-scale-down-rate'),
    'kpa.targetBurstCapacity': p.tbc?.path ?? key('target-burst-capacity'),
    'kpa.scaleDownDelay': p.delay?.path ?? key('scale-down-delay'),
    'kpa.scaleToZeroPodRetentionPeriod': p.retention?.path ?? key('scale-to-zero-pod-retention-period'),
    'kpa.scaleToZeroGracePeriod': key('scale-to-zero-grace-period'),
    'kpa.activationScale': p.activation?.path,
    'kpa.initialScale': p.initial?.path ?? key('initial-scale'),
    'kpa.containerConcurrency': src.containerConcurrencyPath,
    'capacity.minimum': p.min?.path ?? key('min-scale'),
    'capacity.maximum': p.max?.path ?? key('max-scale'),
    'capacity.default': p.min?.path ?? key('min-scale'),
  };
  const compiled = validateConverted(ruleSet, ctx, (nativePath) => {
    const hit = Object.keys(origin).find((k) => nativePath === k || nativePath.startsWith(`${k}.`) || nativePath.startsWith(`${k}[`));
    return (hit !== undefined ? origin[hit] : undefined) ?? src.annotationsPath;
  });
  if (!compiled || ctx.issues.length > 0) return { ok: false, issues: ctx.issues };
  return { ok: true, ruleSet, compiled, unsupported: ctx.unsupported, notes: [...new Set(ctx.notes)] };
}
