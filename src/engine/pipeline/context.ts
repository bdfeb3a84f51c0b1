// The facts of one evaluation, read once from the request and shared by every stage.
import type { DecisionState, MetricSeriesInput } from '../../schema.js';
import type { PlacementInstance } from '../../schemas/placement.js';
import type { HpaPodInput } from '../../schemas/hpa-pods.js';
import type { ProfileSelection } from '../active-profile.js';
import { readState, type CooldownState } from '../cooldown.js';
import { TARGET_MEMORY, TARGET_WORK } from '../expr-budgets.js';
import { BudgetPool } from '../jsonata/runtime.js';
import type { Point } from '../metrics.js';
import { parsedSeries, toleratingSkew } from '../series.js';
import { seriesPoints, type ParsedSeries } from '../../syntax/series.js';
import { lookbackMs } from '../lookback.js';
import type { IdSeries } from './decision-id.js';
import { dropStale } from '../policies/missing-data.js';
import type { CompiledProfile, CompiledRuleSet } from '../ruleset.js';
import type { RuleInputs } from '../conditions.js';

export interface TargetInput {
  id: string;
  labels?: Record<string, string>;
  capacity: number;
  /** AWS: the capacity in service, when the caller knows it apart from `capacity` (policies/step-scaling.ts inServiceOf). */
  inServiceCapacity?: number;
  /** As sent (any accepted form), or as the schema parsed it (read without parsing again). */
  metrics: Record<string, MetricSeriesInput | ParsedSeries>;
  state?: DecisionState;
  instances?: PlacementInstance[];
  unavailableZones?: string[];
  /** The pods of the workload, for the HPA replica calculation (hpa/pods.ts); absent: every replica ready and reporting. */
  pods?: HpaPodInput[];
}

interface CapacityBounds {
  readonly minimum: number;
  readonly maximum: number;
  readonly default: number;
}

export interface DecisionContext {
  readonly ruleSet: CompiledRuleSet;
  readonly selection: ProfileSelection;
  readonly profile: CompiledProfile;
  readonly target: TargetInput;
  readonly now: number;
  /** The capacity the request reports. */
  readonly current: number;
  readonly bounds: CapacityBounds;
  /** `current` brought into the bounds: what the policies act on. */
  readonly bounded: number;
  /** Normalized series, without the stale ones (missing-data `maxAge`). */
  readonly series: ReadonlyMap<string, readonly Point[]>;
  /** Every normalized series, the stale ones included, whole (regular data as its columns): what the decision id hashes. */
  readonly normalized: ReadonlyMap<string, IdSeries>;
  readonly stale: readonly string[];
  /** The cooldown part of the state the previous decision returned. */
  readonly cooldown: CooldownState;
  /** What the rules' expressions see, with the target's expression budget. */
  readonly ruleInputs: RuleInputs;
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** Normalize the target's input once: series sorted in epoch ms, stale series dropped, the state read. */
export function buildContext(ruleSet: CompiledRuleSet, selection: ProfileSelection, target: TargetInput, now: number, requestBudget?: BudgetPool): DecisionContext {
  const profile = selection.profile;
  const bounds = profile.capacity;
  const current = target.capacity;
  const bounded = clamp(current, bounds.minimum, bounds.maximum);
  const series = new Map<string, Point[]>();
  const normalized = new Map<string, IdSeries>();
  // Only points after now − lookback take part in a decision: regular data makes no point objects before it.
  const from = now - lookbackMs(ruleSet);
  for (const [name, s] of Object.entries(target.metrics)) {
    const parsed = parsedSeries(s);
    // Points stamped a little after `now` count as points at `now` (CLOCK_SKEW_TOLERANCE_MS).
    const points = toleratingSkew(seriesPoints(parsed, now, from), now);
    series.set(name, points);
    // The id hashes every point: regular data from its columns, the rest as read.
    normalized.set(name, typeof parsed !== 'number' && parsed.regular !== undefined ? parsed.regular : points);
  }
  const stale = dropStale(ruleSet.families.missingData, series, now);
  const cooldown = readState(target.state);
  const ruleInputs: RuleInputs = {
    now,
    target: { id: target.id, labels: target.labels ?? {} },
    capacity: { current: bounded, minimum: bounds.minimum, maximum: bounds.maximum, default: bounds.default },
    series,
    cooldown,
    budget: new BudgetPool('target', TARGET_WORK, TARGET_MEMORY, requestBudget),
  };
  return { ruleSet, selection, profile, target, now, current, bounds, bounded, series, normalized, stale, cooldown, ruleInputs };
}
