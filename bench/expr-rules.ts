// Expression rules against a hand-written implementation (goal: expression rules cost ≤ 3× plain JS).
//
// Two scenarios: the bundled queue-workers rule set, and a 4-rule cpu-queue set defined below (2
// scale-out, 2 scale-in, two windows). Each decides one target at a time, from its series and capacity
// to (fired rules, new capacity, action), in two ways:
//   - edgescale: RuleInputs + ContextCache as decide() builds them, evaluateRule for every compiled rule;
//   - hand-written: bench/handwritten.ts, the same summaries, conditions and capacity arithmetic in JS.
// Both end in the same combineVotes(), a copy of decide()'s combination for these rule sets (decide()
// keeps it in a closure, beside the decision-id hashing and trace assembly this comparison leaves out).
// checkScenario() proves the three — both sides and the real decide() — agree before anything is timed.
import { decide, type TargetInput } from '../src/engine/decide.js';
import type { RuleTrace } from '../src/schemas/decision.js';
import { ContextCache, evaluateRule, type RuleInputs } from '../src/engine/conditions.js';
import { readState } from '../src/engine/cooldown.js';
import type { Point } from '../src/engine/metrics.js';
import { loadRuleSet, type CompiledRuleSet } from '../src/engine/ruleset.js';
import { resolveBundled } from '../src/rulesets/bundled.js';
import { cpuQueueVotes, queueWorkersVotes, type Series } from './handwritten.js';
import { prng } from './prng.js';

export const NOW = Date.parse('2026-11-22T10:30:00Z');
const MINUTE = 60_000;
/** One-minute points per metric: an hour of history, more than any rule's window, as a caller would send. */
const POINTS = 60;

// ---------------------------------------------------------------------------------------------------
// The 4-rule set: realistic conditions over the summaries the context offers (avg, last, max, points).

const CPU_QUEUE_SPEC = {
  id: 'cpu-queue',
  description: 'Benchmark: CPU- and queue-driven web workers, 2 scale-out and 2 scale-in expression rules.',
  capacity: { minimum: 2, maximum: 40, default: 4 },
  cooldown: 'PT5M',
  defaultWindow: 'PT10M',
  rules: [
    {
      id: 'cpu-and-backlog',
      direction: 'out',
      when: { expr: 'metrics.cpu.avg > 70 and metrics.queue.last > 100' },
      action: { type: 'Expression', expr: '$ceilDiv(capacity.current * metrics.cpu.avg, 60)' },
    },
    { id: 'cpu-spike', direction: 'out', when: { expr: '$max(metrics.cpu.points.v) > 90' }, action: { type: 'ChangeCount', value: 2 } },
    {
      id: 'cpu-idle',
      direction: 'in',
      when: { expr: 'metrics.cpu.avg < 35 and metrics.queue.max < 50' },
      action: { type: 'Expression', expr: '$ceilDiv(capacity.current * metrics.cpu.avg, 60)' },
    },
    {
      id: 'backlog-drained',
      direction: 'in',
      when: { expr: '$percentile(metrics.cpu.points.v, 90) < 50 and $rate(metrics.queue.points) <= 0', window: 'PT30M' },
      action: { type: 'ChangeCount', value: 1 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// The shared combination step

/** What both sides produce per rule; edgescale's RuleTrace has this shape. */
export interface Vote {
  rule: string;
  direction: 'out' | 'in';
  status: RuleTrace['status'];
  capacity?: number;
}

export interface Outcome {
  action: 'scaleOut' | 'scaleIn' | 'none';
  to: number;
  fired: string[];
}

interface Bounds {
  minimum: number;
  maximum: number;
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/**
 * decide()'s combination (Azure) for rules that all have data, without cooldown state: scale out if any
 * out-rule fires and asks for more (largest capacity wins, ties to the first); otherwise scale in only if
 * every in-rule fires and the largest of them asks for less; clamp to the bounds. Flapping prevention
 * is left out because it cannot project expression conditions, so it never changes these decisions.
 */
function combineVotes(votes: readonly Vote[], current: number, bounds: Bounds): Outcome {
  const bounded = clamp(current, bounds.minimum, bounds.maximum);
  const fired: string[] = [];
  let bestOut: Vote | undefined;
  let bestIn: Vote | undefined;
  let ins = 0;
  let firedIns = 0;
  for (const v of votes) {
    const isFired = v.status === 'Fired';
    if (isFired) fired.push(v.rule);
    if (v.direction === 'out') {
      if (isFired && (bestOut === undefined || v.capacity! > bestOut.capacity!)) bestOut = v;
    } else {
      ins++;
      if (!isFired) continue;
      firedIns++;
      if (bestIn === undefined || v.capacity! > bestIn.capacity!) bestIn = v;
    }
  }
  let to = bounded;
  if (bestOut) {
    // A fired out-rule that asks for no more still outranks scale-in.
    if (bestOut.capacity! > bounded) to = clamp(bestOut.capacity!, bounds.minimum, bounds.maximum);
  } else if (ins > 0 && firedIns === ins && bestIn!.capacity! < bounded) {
    to = clamp(bestIn!.capacity!, bounds.minimum, bounds.maximum);
  }
  return { action: to > current ? 'scaleOut' : to < current ? 'scaleIn' : 'none', to, fired };
}

// ---------------------------------------------------------------------------------------------------
// Scenarios

/** One target to decide: normalized series (sorted, epoch ms) as decide() makes them, and the raw capacity. */
export interface BenchTarget {
  capacity: number;
  series: Map<string, Point[]>;
}

export interface Scenario {
  name: string;
  description: string;
  ruleSet: CompiledRuleSet;
  handwritten: (series: Series, capacity: number, now: number) => Vote[];
  /** ≥ 50 varied targets: checked for identical decisions, then cycled through when timing. */
  targets: BenchTarget[];
}

/** POINTS one-minute points ending at NOW, oldest first; `value(age)` gets the age in minutes (0 = newest). */
function minuteSeries(value: (age: number) => number): Point[] {
  const points: Point[] = [];
  for (let age = POINTS - 1; age >= 0; age--) points.push({ t: NOW - age * MINUTE, v: value(age) });
  return points;
}

const TRENDS = [-1, 0, 1] as const; // falling towards now, flat, rising towards now

/** queue-workers: backlog per worker from well under 50 to far over 100, growing or not, at many capacities. */
function queueWorkersTargets(): BenchTarget[] {
  const rand = prng(1);
  const perWorker = [5, 30, 48, 60, 99, 102, 150, 400, 1200];
  // 0 and 60 are outside the bounds [1, 50]: the rules see the bounded capacity.
  const capacities = [0, 1, 2, 3, 5, 8, 13, 21, 34, 50, 60];
  const targets: BenchTarget[] = [];
  perWorker.forEach((level, li) =>
    TRENDS.forEach((trend, ti) => {
      for (const k of [0, 1]) {
        const capacity = capacities[(li * 3 + ti * 2 + k * 5) % capacities.length]!;
        const last = level * Math.max(1, capacity);
        // Up to ±30 % over the hour along the trend, plus ±2 % noise; queue depths are whole messages.
        const queue = minuteSeries((age) => Math.max(0, Math.round(last * (1 - (trend * 0.3 * age) / POINTS) * (0.98 + 0.04 * rand()))));
        targets.push({ capacity, series: new Map([['queue', queue]]) });
      }
    }),
  );
  return targets;
}

/** cpu-queue: every CPU level (sometimes with a spike) × every queue level × every trend, at random capacities. */
function cpuQueueTargets(): BenchTarget[] {
  const rand = prng(2);
  const cpuLevels = [12, 25, 33, 45, 60, 74, 85];
  const queueLevels = [0, 20, 45, 150, 800];
  const capacities = [1, 3, 4, 6, 9, 12, 25, 40]; // 1 is below the minimum 2
  const targets: BenchTarget[] = [];
  for (const cpuLevel of cpuLevels)
    for (const queueLevel of queueLevels)
      for (const trend of TRENDS) {
        const capacity = capacities[Math.floor(rand() * capacities.length)]!;
        const spikeAge = rand() < 0.2 ? 3 : -1; // a fifth of the targets had a one-minute CPU spike 3 minutes ago
        const cpu = minuteSeries((age) => (age === spikeAge ? 97 : clamp(cpuLevel + 16 * (rand() - 0.5), 0, 100)));
        const queue = minuteSeries((age) => Math.max(0, Math.round(queueLevel * (1 - (trend * 0.4 * age) / POINTS) + 6 * (rand() - 0.5))));
        targets.push({ capacity, series: new Map([['cpu', cpu], ['queue', queue]]) });
      }
  return targets;
}

function compiled(spec: unknown): CompiledRuleSet {
  const loaded = loadRuleSet(spec);
  if (!loaded.ok) throw new Error(`benchmark rule set does not compile: ${JSON.stringify(loaded.issues)}`);
  return loaded.ruleSet;
}

export function expressionScenarios(): Scenario[] {
  const queueWorkers = resolveBundled('queue-workers');
  if (!queueWorkers) throw new Error('bundled rule set queue-workers is missing');
  return [
    {
      name: 'queue-workers',
      description: 'bundled, 2 rules, 1 metric × 60 min, window PT5M',
      ruleSet: queueWorkers,
      handwritten: queueWorkersVotes,
      targets: queueWorkersTargets(),
    },
    {
      name: 'cpu-queue',
      description: '4 rules (2 out, 2 in), 2 metrics × 60 min, windows PT10M and PT30M',
      ruleSet: compiled(CPU_QUEUE_SPEC),
      handwritten: cpuQueueVotes,
      targets: cpuQueueTargets(),
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// The two ways to decide one target

const boundsOf = (s: Scenario): Bounds => s.ruleSet.defaultProfile.capacity;

/**
 * edgescale: the rule inputs and ContextCache exactly as decide() builds them (bounded capacity, fresh
 * cooldown state), then evaluateRule (synchronous) for each compiled rule in file order, then combineVotes.
 */
export function decideWithEngine(s: Scenario, target: BenchTarget, now: number): Outcome {
  const bounds = s.ruleSet.defaultProfile.capacity;
  const inputs: RuleInputs = {
    now,
    target: { id: 't', labels: {} },
    capacity: { current: clamp(target.capacity, bounds.minimum, bounds.maximum), minimum: bounds.minimum, maximum: bounds.maximum, default: bounds.default },
    series: target.series,
    cooldown: readState(undefined),
  };
  const contexts = new ContextCache(inputs);
  const rules = s.ruleSet.defaultProfile.rules;
  const traces: RuleTrace[] = [];
  for (let i = 0; i < rules.length; i++) traces.push(evaluateRule(rules[i]!, inputs, contexts));
  return combineVotes(traces, target.capacity, bounds);
}

/** Hand-written: plain-JS votes on the bounded capacity, then the same combineVotes. */
export function decideByHand(s: Scenario, target: BenchTarget, now: number): Outcome {
  const bounds = boundsOf(s);
  const votes = s.handwritten(target.series, clamp(target.capacity, bounds.minimum, bounds.maximum), now);
  return combineVotes(votes, target.capacity, bounds);
}

/** The same target as a decide() request: raw metric series (decide() normalizes them itself). */
export function asTargetInput(target: BenchTarget, id = 't'): TargetInput {
  return { id, capacity: target.capacity, metrics: Object.fromEntries(target.series) };
}

// ---------------------------------------------------------------------------------------------------
// Equivalence check, before any timing

export interface CheckReport {
  ok: boolean;
  inputs: number;
  actions: Record<Outcome['action'], number>;
  problems: string[];
}

const same = (a: Outcome, b: Outcome) => a.action === b.action && a.to === b.to && a.fired.join() === b.fired.join();
const show = (o: Outcome) => `${o.action} → ${o.to}, fired [${o.fired.join(', ')}]`;

/**
 * Every target must get the same action, capacity and fired rules from edgescale's rule evaluation,
 * from the hand-written code and from the real decide(); every rule must fire on some targets and not on
 * others, and every action must occur, or the inputs would not exercise the rules.
 */
export async function checkScenario(s: Scenario): Promise<CheckReport> {
  const problems: string[] = [];
  const actions = { scaleOut: 0, scaleIn: 0, none: 0 };
  const firedCount = new Map<string, number>(s.ruleSet.defaultProfile.rules.map((r) => [r.rule.id, 0]));
  for (const [i, target] of s.targets.entries()) {
    const engineOut = decideWithEngine(s, target, NOW);
    const byHand = decideByHand(s, target, NOW);
    const decision = await decide(s.ruleSet, asTargetInput(target), NOW);
    const full: Outcome = { action: decision.action, to: decision.to, fired: decision.trace.rules.filter((t) => t.status === 'Fired').map((t) => t.rule) };
    const odd = decision.trace.rules.filter((t) => t.status !== 'Fired' && t.status !== 'NotMet');
    const where = `${s.name} target ${i} (capacity ${target.capacity})`;
    if (odd.length > 0) problems.push(`${where}: ${odd.map((t) => `${t.rule} ${t.status}${t.error ? ` ${t.error.code}: ${t.error.message}` : ''}`).join('; ')}`);
    if (!same(engineOut, byHand)) problems.push(`${where}: edgescale ${show(engineOut)} but hand-written ${show(byHand)}`);
    if (!same(engineOut, full)) problems.push(`${where}: edgescale rules ${show(engineOut)} but decide() ${show(full)} (${decision.code})`);
    actions[engineOut.action]++;
    for (const r of engineOut.fired) firedCount.set(r, firedCount.get(r)! + 1);
  }
  if (s.targets.length < 50) problems.push(`${s.name}: only ${s.targets.length} inputs, want at least 50`);
  for (const [rule, n] of firedCount) {
    if (n === 0 || n === s.targets.length) problems.push(`${s.name}: rule ${rule} fired on ${n} of ${s.targets.length} inputs; the inputs must make it fire and not fire`);
  }
  for (const [action, n] of Object.entries(actions)) if (n === 0) problems.push(`${s.name}: no input decided ${action}`);
  return { ok: problems.length === 0, inputs: s.targets.length, actions, problems };
}
