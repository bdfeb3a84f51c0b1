// fast-check arbitraries for the engine's property tests: schema-valid rule sets, targets, evaluation instants and states.
//
// Everything is generated as a small "draft" (relative times, raw integers) and assembled by plain
// maps, never by `chain`, so fast-check can shrink every part of a failing case independently. The
// assembly makes each draft valid by construction (sorted bounds, ExactCount folded into the bounds,
// grain ≤ window), and `materialize` still loads every rule set and fails loudly if one is refused:
// a property run on an invalid rule set would test nothing.
import fc from 'fast-check';
import { decide, type TargetInput } from '../../src/engine/decide.js';
import { loadRuleSet, type CompiledRuleSet } from '../../src/engine/ruleset.js';
import { GRAIN_STATISTICS, OPERATORS, TIME_AGGREGATIONS } from '../../src/schemas/vocabulary.js';
import type { DecisionState, MetricSeries, RuleSetInput } from '../../src/schema.js';

type RuleInput = RuleSetInput['rules'][number];
type ActionInput = RuleInput['action'];

/** A fixed base instant (the repo's test fixtures use the same one); `now` is generated around it. */
export const BASE_NOW = Date.parse('2026-11-22T10:30:00Z');
/** Few metric names, so rules and targets often talk about the same metric. */
export const METRIC_NAMES = ['m1', 'm2', 'm3'] as const;
/** Metric points sit on a 15 s lattice behind `now`, so some fall exactly on window and grain edges. */
const POINT_STEP_MS = 15_000;

const DURATION_MS = { PT30S: 30_000, PT1M: 60_000, PT2M: 120_000, PT5M: 300_000, PT10M: 600_000, PT15M: 900_000 } as const;
type DurationName = keyof typeof DURATION_MS;
const DURATIONS = Object.keys(DURATION_MS) as DurationName[];
/** The schema's defaults (src/schema.ts, MetricTrigger): a key equal to its default may be left out. */
const DEFAULT_GRAIN: DurationName = 'PT1M';
const DEFAULT_WINDOW: DurationName = 'PT10M';

// ---------------------------------------------------------------------------------------------------
// Small helpers

/** Drop keys whose value is undefined, so optional fields are really absent (as in JSON). */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const metricName = fc.constantFrom(...METRIC_NAMES);
/** Mostly integers (so Equals and NotEquals can fire), sometimes any finite double. */
const value = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 100 }), weight: 4 },
  { arbitrary: fc.double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true }), weight: 1 },
);

// ---------------------------------------------------------------------------------------------------
// Conditions

const operator = fc.constantFrom(...OPERATORS);

/** Grain and window drawn from one list and sorted, so grain ≤ window always (ruleset.ts InvalidWindow). */
const grainAndWindow = fc
  .tuple(fc.constantFrom(...DURATIONS), fc.constantFrom(...DURATIONS), fc.boolean(), fc.boolean())
  .map(([a, b, omitGrain, omitWindow]) => {
    const [grain, window] = DURATION_MS[a] <= DURATION_MS[b] ? [a, b] : [b, a];
    return {
      timeGrain: omitGrain && grain === DEFAULT_GRAIN ? undefined : grain,
      timeWindow: omitWindow && window === DEFAULT_WINDOW ? undefined : window,
    };
  });

const metricCondition = fc
  .record({
    metric: metricName,
    gw: grainAndWindow,
    statistic: fc.option(fc.constantFrom(...GRAIN_STATISTICS), { nil: undefined }),
    timeAggregation: fc.option(fc.constantFrom(...TIME_AGGREGATIONS), { nil: undefined }),
    operator,
    threshold: fc.oneof(
      { arbitrary: fc.integer({ min: -10, max: 110 }), weight: 4 },
      { arbitrary: fc.double({ min: -10, max: 110, noNaN: true, noDefaultInfinity: true }), weight: 1 },
    ),
    dividePerInstance: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map(({ metric, gw, statistic, timeAggregation, operator, threshold, dividePerInstance }) => ({
    metric: compact({ metric, timeGrain: gw.timeGrain, statistic, timeWindow: gw.timeWindow, timeAggregation, operator, threshold, dividePerInstance }),
  }));

const jsonataCompare = fc.constantFrom('>', '>=', '<', '<=', '=', '!=');

/** Boolean atoms over the documented context (docs/rules.md, "Condition: JSONata expression"). */
const conditionAtom: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(metricName, fc.constantFrom('last', 'first', 'avg', 'min', 'max', 'sum', 'count'), jsonataCompare, fc.integer({ min: -5, max: 110 }))
    .map(([m, agg, op, n]) => `metrics.${m}.${agg} ${op} ${n}`),
  fc.tuple(jsonataCompare, fc.integer({ min: 0, max: 30 })).map(([op, n]) => `capacity.current ${op} ${n}`),
  fc.tuple(jsonataCompare, fc.constantFrom('minimum', 'maximum', 'default')).map(([op, b]) => `capacity.current ${op} capacity.${b}`),
  fc.tuple(metricName, jsonataCompare, fc.integer({ min: 0, max: 12 })).map(([m, op, n]) => `$count(metrics.${m}.points) ${op} ${n}`),
  fc.constantFrom('true', 'false', '$exists(state.lastScale)', 'target.labels.tier = "web"', 'rule.direction = "out"'),
);

/** Conditions that compile but are not boolean or fail at run time: the engine must make them RuleError. */
const conditionBroken = fc.oneof(
  metricName.map((m) => `metrics.${m}.avg`),
  fc.constantFrom('"yes"', '$nosuch(1)', 'capacity.current / 0 > 1', 'target.labels.tier'),
);

const { condition: booleanCondition } = fc.letrec<{ condition: string; and: string; or: string; not: string }>((tie) => ({
  condition: fc.oneof({ maxDepth: 3, depthSize: 'small' }, conditionAtom, tie('and'), tie('or'), tie('not')),
  and: fc.tuple(tie('condition'), tie('condition')).map(([a, b]) => `(${a}) and (${b})`),
  or: fc.tuple(tie('condition'), tie('condition')).map(([a, b]) => `(${a}) or (${b})`),
  not: tie('condition').map((a) => `$not(${a})`),
}));

const exprCondition = fc
  .record({
    expr: fc.oneof({ arbitrary: booleanCondition, weight: 9 }, { arbitrary: conditionBroken, weight: 1 }),
    window: fc.option(fc.constantFrom(...DURATIONS), { nil: undefined }),
  })
  .map((c) => compact(c));

// ---------------------------------------------------------------------------------------------------
// Actions

/** Capacity expressions: mostly finite numbers, a few that are not numbers or not finite (→ RuleError). */
const capacityExpr = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 10 }).map((n) => `capacity.current + ${n}`), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 10 }).map((n) => `capacity.current - ${n}`), weight: 2 },
  { arbitrary: fc.constantFrom('capacity.current * 1.5', 'capacity.current / 2', 'capacity.default', 'capacity.maximum + 5'), weight: 2 },
  { arbitrary: fc.tuple(metricName, fc.integer({ min: 1, max: 50 })).map(([m, k]) => `$ceil(metrics.${m}.avg / ${k})`), weight: 2 },
  { arbitrary: metricName.map((m) => `metrics.${m}.max`), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 40 }).map(String), weight: 1 },
  { arbitrary: fc.constantFrom('"many"', 'capacity.current / 0', 'metrics.m1.points'), weight: 1 },
);

/** ExactCount carries a raw integer here; `assemble` folds it into the bounds (ruleset.ts refuses others). */
type ActionDraft = Exclude<ActionInput, { type: 'ExactCount' }> | { type: 'ExactCount'; raw: number };

const actionDraft: fc.Arbitrary<ActionDraft> = fc.oneof(
  fc.record({
    type: fc.constant('ChangeCount' as const),
    value: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 10 }), weight: 9 }, { arbitrary: fc.integer({ min: 1, max: 100_000 }), weight: 1 }),
  }),
  fc
    .record({
      type: fc.constant('PercentChangeCount' as const),
      value: fc.oneof(
        { arbitrary: fc.integer({ min: 1, max: 200 }), weight: 3 },
        { arbitrary: fc.double({ min: 0.01, max: 10_000, noNaN: true, noDefaultInfinity: true }), weight: 1 },
      ),
      rounding: fc.option(fc.constantFrom('ceil', 'floor', 'round', 'trunc') as fc.Arbitrary<'ceil' | 'floor' | 'round' | 'trunc'>, { nil: undefined }),
      minimumChange: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    })
    .map((a) => compact(a)),
  fc.record({ type: fc.constant('ExactCount' as const), raw: fc.nat() }),
  fc
    .record({
      type: fc.constant('Expression' as const),
      expr: capacityExpr,
      rounding: fc.option(fc.constantFrom('ceil', 'floor', 'round') as fc.Arbitrary<'ceil' | 'floor' | 'round'>, { nil: undefined }),
    })
    .map((a) => compact(a)),
);

const cooldown = fc.constantFrom('PT0S', 'PT30S', 'PT1M', 'PT5M', 'PT10M');

const ruleDraft = fc.record({
  direction: fc.constantFrom('out', 'in') as fc.Arbitrary<'out' | 'in'>,
  when: fc.oneof(metricCondition, exprCondition),
  action: actionDraft,
  cooldown: fc.option(cooldown, { nil: undefined }),
});
type RuleDraft = typeof ruleDraft extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------------------------------------------
// Rule sets

export interface Bounds {
  minimum: number;
  maximum: number;
  default: number;
}

/** Three sorted integers: minimum ≤ default ≤ maximum (ruleset.ts checkBounds). Now and then a huge range. */
export const boundsArb: fc.Arbitrary<Bounds> = fc
  .oneof(
    { arbitrary: fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })), weight: 9 },
    { arbitrary: fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 })), weight: 1 },
  )
  .map((xs) => {
    const [minimum, def, maximum] = [...xs].sort((a, b) => a - b) as [number, number, number];
    return { minimum, maximum, default: def };
  });

function assembleRule(draft: RuleDraft, index: number, bounds: Bounds): RuleInput {
  const a = draft.action;
  const action: ActionInput =
    a.type === 'ExactCount' ? { type: 'ExactCount', value: bounds.minimum + (a.raw % (bounds.maximum - bounds.minimum + 1)) } : a;
  // Ids are unique by construction (ruleset.ts DuplicateRuleId).
  return compact({ id: `r${index}`, direction: draft.direction, when: draft.when, action, cooldown: draft.cooldown }) as RuleInput;
}

const ruleSetDraft = fc.record({
  bounds: boundsArb,
  // An empty rule set now and then (NoRules); mostly one to five rules.
  rules: fc.oneof({ arbitrary: fc.constant<RuleDraft[]>([]), weight: 1 }, { arbitrary: fc.array(ruleDraft, { minLength: 1, maxLength: 5 }), weight: 12 }),
  cooldown: fc.option(cooldown, { nil: undefined }),
  cooldownMode: fc.option(fc.constantFrom('shared', 'perDirection') as fc.Arbitrary<'shared' | 'perDirection'>, { nil: undefined }),
  defaultWindow: fc.option(fc.constantFrom(...DURATIONS), { nil: undefined }),
  metrics: fc.option(fc.subarray([...METRIC_NAMES]), { nil: undefined }),
  // Now and then fixed-date profiles (docs/schedules.md) around `now`, so the bounds and rules in
  // force are sometimes a profile's: with their own rules, or inheriting the top-level ones.
  profiles: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    {
      arbitrary: fc.array(
        fc.record({
          bounds: boundsArb,
          rules: fc.option(fc.array(ruleDraft, { maxLength: 3 }), { nil: undefined }),
          // Minutes from now (whole seconds) to the start, and the length; windows are [start, end).
          startMin: fc.integer({ min: -30, max: 30 }),
          lengthMin: fc.integer({ min: 1, max: 60 }),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      weight: 1,
    },
  ),
});
type RuleSetDraft = typeof ruleSetDraft extends fc.Arbitrary<infer T> ? T : never;

/** "2026-11-22T10:30:00Z": a fixedDate instant (LocalDateTimeText with an offset, no milliseconds). */
function fixedInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function assembleRuleSet(d: RuleSetDraft, now: number): RuleSetInput {
  const second = Math.floor(now / 1000) * 1000;
  const profiles = d.profiles?.map((p, i) => {
    const start = second + p.startMin * 60_000;
    return compact({
      name: `p${i}`,
      capacity: p.bounds,
      // Ids after the top-level ones, so a trace never confuses a profile rule with a top-level rule.
      rules: p.rules?.map((r, j) => ({ ...assembleRule(r, j, p.bounds), id: `p${i}r${j}` })),
      fixedDate: { timeZone: 'UTC', start: fixedInstant(start), end: fixedInstant(start + p.lengthMin * 60_000) },
    });
  });
  return compact({
    id: 'prop-set',
    capacity: d.bounds,
    cooldown: d.cooldown,
    cooldownMode: d.cooldownMode,
    defaultWindow: d.defaultWindow,
    metrics: d.metrics,
    rules: d.rules.map((r, i) => assembleRule(r, i, d.bounds)),
    profiles,
  });
}

/**
 * The bounds and rules in force at `now`, derived from the JSON alone (docs/schedules.md: the first
 * fixedDate profile whose [start, end) holds the instant; a profile without rules uses the top-level ones).
 */
export function activeAt(raw: RuleSetInput, now: number): { name: string; capacity: Bounds; rules: RuleInput[] } {
  for (const p of raw.profiles ?? []) {
    const fixed = p.fixedDate;
    if (fixed && Date.parse(fixed.start) <= now && now < Date.parse(fixed.end)) {
      return { name: p.name, capacity: p.capacity, rules: (p.rules as RuleInput[] | undefined) ?? raw.rules };
    }
  }
  return { name: 'default', capacity: raw.capacity, rules: raw.rules };
}

// ---------------------------------------------------------------------------------------------------
// Metrics

/** How a timestamp is written: epoch ms, ISO UTC, ISO with "+02:00", or with "-0530" (all valid Timestamps). */
type TimeFormat = 0 | 1 | 2 | 3;
const timeFormat = fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<TimeFormat>;

function formatTime(t: number, format: TimeFormat): string | number {
  if (format === 0) return t;
  if (format === 1) return new Date(t).toISOString();
  if (format === 2) return new Date(t + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
  return new Date(t - 5.5 * 3_600_000).toISOString().replace('Z', '-0530');
}

const pointDraft = fc.record({
  // Steps back from now: negative is the future (ignored), 60 steps is the longest window (PT15M).
  // Mostly the last two minutes, so even short windows have data; sometimes anywhere up to 70 steps back.
  back: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 8 }), weight: 3 }, { arbitrary: fc.integer({ min: -4, max: 70 }), weight: 1 }),
  jitter: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: POINT_STEP_MS - 1 }), weight: 1 }),
  v: value,
  instance: fc.option(fc.constantFrom('i0', 'i1', 'i2'), { nil: undefined }),
  // Epoch milliseconds most often, as metric pipelines send them.
  format: fc.oneof({ arbitrary: fc.constant(0 as TimeFormat), weight: 3 }, { arbitrary: timeFormat, weight: 2 }),
});

const seriesDraft = fc.oneof(
  { arbitrary: value.map((v) => ({ kind: 'scalar' as const, v })), weight: 1 },
  {
    arbitrary: fc
      // `anchor`: one more point at exactly `now`, so every window of the series has data.
      .record({ points: fc.array(pointDraft, { minLength: 1, maxLength: 12 }), anchor: fc.option(value, { nil: undefined, freq: 3 }) })
      .map(({ points, anchor }) => ({ kind: 'points' as const, points, anchor })),
    weight: 6,
  },
  { arbitrary: fc.constant({ kind: 'points' as const, points: [], anchor: undefined }), weight: 1 },
);
type SeriesDraft = typeof seriesDraft extends fc.Arbitrary<infer T> ? T : never;
type MetricName = (typeof METRIC_NAMES)[number];

/** Half the targets report every metric; in the rest each metric may be absent (missing data). */
export const metricsDraftArb: fc.Arbitrary<Partial<Record<MetricName, SeriesDraft>>> = fc.oneof(
  fc.record(Object.fromEntries(METRIC_NAMES.map((m) => [m, seriesDraft])) as Record<MetricName, fc.Arbitrary<SeriesDraft>>),
  fc.record(
    Object.fromEntries(METRIC_NAMES.map((m) => [m, fc.option(seriesDraft, { nil: undefined, freq: 4 })])) as Record<
      MetricName,
      fc.Arbitrary<SeriesDraft | undefined>
    >,
  ),
);
export type MetricsDraft = typeof metricsDraftArb extends fc.Arbitrary<infer T> ? T : never;

/** Metric series (schema-valid MetricSeries) with times relative to `now`. */
export function metricsAt(draft: MetricsDraft, now: number): Record<string, MetricSeries> {
  const out: Record<string, MetricSeries> = {};
  for (const [name, s] of Object.entries(draft)) {
    if (s === undefined) continue;
    out[name] =
      s.kind === 'scalar'
        ? s.v
        : [
            ...s.points.map((p) => compact({ t: formatTime(now - p.back * POINT_STEP_MS - p.jitter, p.format), v: p.v, instance: p.instance })),
            ...(s.anchor === undefined ? [] : [{ t: now, v: s.anchor }]),
          ];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// States

const stateDraft = fc.record(
  {
    lastScale: fc.record({
      age: fc.integer({ min: 0, max: 30 * 60_000 }),
      direction: fc.constantFrom('out', 'in') as fc.Arbitrary<'out' | 'in'>,
      rule: fc.oneof(fc.constant(null), fc.constantFrom('r0', 'r1', 'r2', 'gone')),
      from: fc.integer({ min: 0, max: 40 }),
      to: fc.integer({ min: 0, max: 40 }),
      format: timeFormat,
    }),
    // Relative to now: negative means the timer already ran out; 0 means it ends exactly now.
    out: fc.record({ delta: fc.integer({ min: -10 * 60_000, max: 10 * 60_000 }), format: timeFormat }),
    in: fc.record({ delta: fc.integer({ min: -10 * 60_000, max: 10 * 60_000 }), format: timeFormat }),
  },
  { requiredKeys: [] },
);

/** A random well-formed DecisionState (zod output shape: version 1, cooldownUntil present). */
function stateAt(d: typeof stateDraft extends fc.Arbitrary<infer T> ? T : never, now: number): DecisionState {
  const state: DecisionState = { version: 1, cooldownUntil: {} };
  if (d.lastScale) {
    const { age, direction, rule, from, to, format } = d.lastScale;
    state.lastScale = { at: formatTime(now - age, format), direction, rule, from, to };
  }
  if (d.out) state.cooldownUntil.out = formatTime(now + d.out.delta, d.out.format);
  if (d.in) state.cooldownUntil.in = formatTime(now + d.in.delta, d.in.format);
  return state;
}

// ---------------------------------------------------------------------------------------------------
// Scenarios

type StateSpec =
  | { kind: 'none' }
  | { kind: 'given'; state: DecisionState }
  /** The state a decision `ageMs` earlier returned, for capacity `capacity` and the same metrics. */
  | { kind: 'previous'; ageMs: number; capacity: number; state?: DecisionState };

export interface Scenario {
  ruleSet: RuleSetInput;
  now: number;
  target: { id: string; labels?: Record<string, string>; capacity: number; metrics: Record<string, MetricSeries> };
  state: StateSpec;
}

/** A capacity near the bounds: inside them mostly, outside (either side) often enough. */
export const capacityDraft = fc.oneof(
  { arbitrary: fc.nat().map((raw) => ({ inside: true as const, raw })), weight: 5 },
  { arbitrary: fc.integer({ min: 0, max: 40 }).map((raw) => ({ inside: false as const, raw })), weight: 1 },
);

export function capacityFrom(d: { inside: boolean; raw: number }, b: Bounds): number {
  return d.inside ? b.minimum + (d.raw % (b.maximum - b.minimum + 1)) : d.raw;
}

const stateSpecDraft = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  stateDraft.map((s) => ({ kind: 'given' as const, s })),
  fc.record({
    kind: fc.constant('previous' as const),
    ageMs: fc.oneof(fc.constantFrom(30_000, 60_000, 300_000, 600_000), fc.integer({ min: 1, max: 20 * 60_000 })),
    capacity: capacityDraft,
    s: fc.option(stateDraft, { nil: undefined }),
  }),
);

export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    ruleSet: ruleSetDraft,
    // Up to a week after the base instant, on whole seconds mostly, sometimes with milliseconds.
    nowOffset: fc.oneof(fc.integer({ min: 0, max: 7 * 86_400 }).map((s) => s * 1000), fc.integer({ min: 0, max: 7 * 86_400_000 })),
    id: fc.constantFrom('t1', 'web-01', 'ns/app:1'),
    labels: fc.option(fc.constantFrom<Record<string, string>>({ tier: 'web' }, { tier: 'db' }, {}).map((l) => ({ ...l })), { nil: undefined }),
    capacity: capacityDraft,
    metrics: metricsDraftArb,
    state: stateSpecDraft,
  })
  .map((d) => {
    const now = BASE_NOW + d.nowOffset;
    const bounds = d.ruleSet.bounds;
    const st = d.state;
    const state: StateSpec =
      st.kind === 'none'
        ? st
        : st.kind === 'given'
          ? { kind: 'given', state: stateAt(st.s, now) }
          : compact({ kind: 'previous' as const, ageMs: st.ageMs, capacity: capacityFrom(st.capacity, bounds), state: st.s && stateAt(st.s, now - st.ageMs) });
    return {
      ruleSet: assembleRuleSet(d.ruleSet, now),
      now,
      target: compact({ id: d.id, labels: d.labels, capacity: capacityFrom(d.capacity, bounds), metrics: metricsAt(d.metrics, now) }),
      state,
    };
  });

// ---------------------------------------------------------------------------------------------------
// Edge scenarios: instants at the ends of what a Timestamp may hold

/**
 * JavaScript dates span ±8.64e15 ms around the epoch (ECMA-262, "Time Values and Time Range"), while
 * the schema's Timestamp accepts any finite epoch-milliseconds number. Instants at, just inside and
 * just outside that range find out whether the engine turns them into a decision or an error value.
 */
export const DATE_LIMIT_MS = 8.64e15;
const extremeInstant = fc.oneof(
  fc.constantFrom(DATE_LIMIT_MS, -DATE_LIMIT_MS, DATE_LIMIT_MS + 1, -DATE_LIMIT_MS - 1, Number.MAX_SAFE_INTEGER, 1e300, -1e300),
  // Within ten minutes of either end, on both sides of it (a cooldown added to `now` can cross it).
  fc.integer({ min: -600_000, max: 600_000 }).map((d) => DATE_LIMIT_MS + d),
  fc.integer({ min: -600_000, max: 600_000 }).map((d) => -DATE_LIMIT_MS + d),
);

/**
 * A realistic scenario with one instant moved to an extreme: `now` (metrics become bare numbers, which
 * are points at `now`; a "previous" state is dropped), a cooldown timer, or the last scale's time; or
 * with every sample value replaced by an extreme finite number.
 */
export const edgeScenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    base: scenarioArb,
    edge: fc.oneof(
      extremeInstant.map((t) => ({ kind: 'now' as const, t })),
      fc.record({ kind: fc.constant('cooldown' as const), t: extremeInstant, direction: fc.constantFrom('out', 'in') as fc.Arbitrary<'out' | 'in'> }),
      extremeInstant.map((t) => ({ kind: 'lastScale' as const, t })),
      // Finite but extreme sample values: sums overflow to Infinity, tiny values underflow.
      fc
        .constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, 1e308, Number.MIN_VALUE, -0, Number.MAX_SAFE_INTEGER + 2)
        .map((v) => ({ kind: 'values' as const, v })),
    ),
  })
  .map(({ base, edge }): Scenario => {
    if (edge.kind === 'now') {
      const metrics = Object.fromEntries(
        Object.entries(base.target.metrics).map(([m, series]) => [m, typeof series === 'number' ? series : (series[0]?.v ?? 0)]),
      );
      return { ...base, now: edge.t, target: { ...base.target, metrics }, state: base.state.kind === 'previous' ? { kind: 'none' } : base.state };
    }
    if (edge.kind === 'values') {
      const metrics = Object.fromEntries(
        Object.entries(base.target.metrics).map(([m, series]) => [m, typeof series === 'number' ? edge.v : series.map((p) => ({ ...p, v: edge.v }))]),
      );
      return { ...base, target: { ...base.target, metrics } };
    }
    if (edge.kind === 'cooldown') return { ...base, state: { kind: 'given', state: { version: 1, cooldownUntil: { [edge.direction]: edge.t } } } };
    return { ...base, state: { kind: 'given', state: { version: 1, lastScale: { at: edge.t, direction: 'out', rule: null, from: 1, to: 2 }, cooldownUntil: {} } } };
  });

/** Load a generated rule set; an invalid one is a bug in these arbitraries, so it throws. */
export function compileGenerated(raw: RuleSetInput): CompiledRuleSet {
  const loaded = loadRuleSet(raw);
  if (!loaded.ok) throw new Error(`arbitrary produced an invalid rule set: ${JSON.stringify(loaded.issues)}\n${JSON.stringify(raw)}`);
  return loaded.ruleSet;
}

/** The compiled rule set and the decide() input of a scenario; a "previous" state is computed by deciding earlier. */
export async function materialize(s: Scenario): Promise<{ ruleSet: CompiledRuleSet; input: TargetInput }> {
  const ruleSet = compileGenerated(s.ruleSet);
  const input: TargetInput = { ...s.target };
  if (s.state.kind === 'given') input.state = s.state.state;
  if (s.state.kind === 'previous') {
    const prior: TargetInput = { ...s.target, capacity: s.state.capacity };
    if (s.state.state) prior.state = s.state.state;
    input.state = (await decide(ruleSet, prior, s.now - s.state.ageMs)).state;
  }
  return { ruleSet, input };
}
