// Batch evaluation against a hand-written implementation and json-rules-engine (issue #15's targets).
//
// One 4-rule Azure-style rule set (2 out, 2 in) over 2 metrics × 60 one-minute points per target, 1 or 4
// instances per point, ISO timestamps, as a platform team's fleet batch would send it. Three ways to
// get every target's decision (action, capacity, fired rules):
//   - edgescale: evaluateBatch, the same entry point as POST /v1/evaluate (schema, compile cache, trace,
//     state, decision id);
//   - hand-written: what one would write without a rule engine (bench/handwritten-batch.ts);
//   - json-rules-engine 7.3.1 on the equivalent threshold rules, with the window aggregates as dynamic
//     facts computed by the same arithmetic as the hand-written code.
// checkBatch() proves all three reach identical decisions before anything is timed.
import { Engine } from 'json-rules-engine';
import { evaluateBatch } from '../src/service/batch.js';
import { loadRuleSet, type CompiledRuleSet } from '../src/engine/ruleset.js';
import { aggregateWindow, decideTargets, type BatchTarget, type HandDecision, type Rule, RULES, BOUNDS } from './handwritten-batch.js';
import { prng } from './prng.js';

export const BATCH_NOW = Date.parse('2026-11-22T10:30:00Z');
export const MINUTE = 60_000;
export const POINTS = 60;

/** The rule set as edgescale reads it; flapping prevention is off so the implementations decide alike. */
export function ruleSetOf(id: string, rules: readonly Rule[]) {
  return {
    id,
    description: `Benchmark: ${rules.length} metric triggers over cpu and queue.`,
    capacity: { ...BOUNDS, default: 4 },
    cooldown: 'PT5M',
    flappingProtection: false,
    rules: rules.map((r) => ({
      id: r.id,
      direction: r.direction,
      when: {
        metric: {
          metric: r.metric,
          timeGrain: 'PT1M',
          statistic: r.statistic,
          timeWindow: `PT${r.windowMinutes}M`,
          timeAggregation: r.timeAggregation,
          operator: r.operator,
          threshold: r.threshold,
        },
      },
      action: { type: 'ChangeCount', value: r.change },
    })),
  };
}
const BATCH_RULE_SET = ruleSetOf('batch-4', RULES);

/** `count` targets with cpu and queue over 60 minutes at varied levels, so every rule fires on some and not on others. */
export function batchBody(count: number, instances: 1 | 4, pointsPerSeries = POINTS, ruleSet = 'batch-4'): { now: string; targets: BatchTarget[] } {
  const rand = prng(instances * 1000 + count);
  const cpuLevels = [15, 25, 45, 65, 75, 90];
  const queueLevels = [5, 30, 80, 300, 900];
  const targets: BatchTarget[] = [];
  for (let i = 0; i < count; i++) {
    const cpuLevel = cpuLevels[i % cpuLevels.length]!;
    const queueLevel = queueLevels[Math.floor(i / cpuLevels.length) % queueLevels.length]!;
    const series = (level: number, spread: number) => {
      const points: BatchTarget['metrics'][string] = [];
      for (let age = pointsPerSeries - 1; age >= 0; age--) {
        const t = new Date(BATCH_NOW - age * MINUTE).toISOString();
        for (let k = 0; k < instances; k++) {
          const v = Math.max(0, Math.round(level * (1 + spread * (rand() - 0.5)) * 100) / 100);
          points.push(instances === 1 ? { t, v } : { t, v, instance: `vm-${k}` });
        }
      }
      return points;
    };
    targets.push({ id: `t-${i}`, ruleSet, capacity: 2 + (i % 20), metrics: { cpu: series(cpuLevel, 0.3), queue: series(queueLevel, 0.6) } });
  }
  return { now: new Date(BATCH_NOW).toISOString(), targets };
}

let compiled: CompiledRuleSet | undefined;
function batchRuleSet(): CompiledRuleSet {
  if (compiled) return compiled;
  const loaded = loadRuleSet(BATCH_RULE_SET);
  if (!loaded.ok) throw new Error(`batch rule set does not compile: ${JSON.stringify(loaded.issues)}`);
  return (compiled = loaded.ruleSet);
}

export const resolve = (id: string) => (id === 'batch-4' ? batchRuleSet() : undefined);

/** edgescale from a parsed body: every target's decision as the API answers it. */
export async function withEdgescale(body: unknown, resolver: (id: string) => CompiledRuleSet | undefined = resolve): Promise<HandDecision[]> {
  const out = await evaluateBatch(body, resolver, BATCH_NOW);
  if (!out.ok) throw new Error(`batch refused: ${JSON.stringify(out)}`);
  return out.results.map((r) => {
    if (!r.ok) throw new Error(`target ${r.target} failed: ${JSON.stringify(r.error)}`);
    const d = r.decision;
    return { id: d.target, action: d.action, from: d.from, to: d.to, fired: d.trace.rules.filter((t) => t.status === 'Fired').map((t) => t.rule) };
  });
}

// ---------------------------------------------------------------------------------------------------
// json-rules-engine: one rule per edgescale rule, one dynamic fact per rule's window aggregate.

const OPERATOR: Record<Rule['operator'], string> = { GreaterThan: 'greaterThan', LessThan: 'lessThan' };

function buildEngine(): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const r of RULES) {
    const fact = `${r.id}:aggregate`;
    engine.addFact(fact, async (_params, almanac) => {
      const target = (await almanac.factValue('target')) as BatchTarget;
      return aggregateWindow(target.metrics[r.metric] ?? [], BATCH_NOW, r);
    });
    engine.addRule({ name: r.id, conditions: { all: [{ fact, operator: OPERATOR[r.operator], value: r.threshold }] }, event: { type: 'fired', params: { rule: r.id } } });
  }
  return engine;
}

let engine: Engine | undefined;
/** json-rules-engine from a parsed body: the fired rules per target, then the same combination as the hand-written code. */
async function withJsonRulesEngine(body: { targets: BatchTarget[] }): Promise<HandDecision[]> {
  engine ??= buildEngine();
  const out: HandDecision[] = [];
  for (const target of body.targets) {
    const { events } = await engine.run({ target });
    const fired = new Set(events.map((e) => (e.params as { rule: string }).rule));
    out.push(decideTargets({ targets: [target] }, BATCH_NOW, (r) => fired.has(r.id))[0]!);
  }
  return out;
}

/** The three agree on every target, and every rule fires on some targets and not on others. */
async function checkBatch(body: { targets: BatchTarget[] }): Promise<{ ok: boolean; problems: string[]; actions: Record<string, number> }> {
  const problems: string[] = [];
  const a = await withEdgescale(JSON.parse(JSON.stringify(body)));
  const b = decideTargets(body, BATCH_NOW);
  const c = await withJsonRulesEngine(body);
  const show = (d: HandDecision) => `${d.action} ${d.from}→${d.to} [${d.fired.join(',')}]`;
  const actions: Record<string, number> = { scaleOut: 0, scaleIn: 0, none: 0 };
  for (let i = 0; i < b.length; i++) {
    if (show(a[i]!) !== show(b[i]!)) problems.push(`${b[i]!.id}: edgescale ${show(a[i]!)} but hand-written ${show(b[i]!)}`);
    if (show(c[i]!) !== show(b[i]!)) problems.push(`${b[i]!.id}: json-rules-engine ${show(c[i]!)} but hand-written ${show(b[i]!)}`);
    actions[b[i]!.action]!++;
  }
  for (const r of RULES) {
    const n = b.filter((d) => d.fired.includes(r.id)).length;
    if (n === 0 || n === b.length) problems.push(`rule ${r.id} fired on ${n} of ${b.length} targets`);
  }
  for (const [action, n] of Object.entries(actions)) if (n === 0) problems.push(`no target decided ${action}`);
  return { ok: problems.length === 0, problems: problems.slice(0, 10), actions };
}

// ---------------------------------------------------------------------------------------------------
// Paired timing

const BATCH_TARGETS = Number(process.env.BENCH_BATCH_TARGETS ?? 500);
const BATCH_ROUNDS = Number(process.env.BENCH_BATCH_ROUNDS ?? 7);

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: readonly number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;

async function timed(fn: () => unknown): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * The batch comparison: for 1 and 4 instances per point, paired rounds (the order alternates) of
 * edgescale's evaluateBatch against the hand-written code, from the JSON text and from the parsed
 * body, and json-rules-engine from the parsed body; ratios per round, medians over rounds.
 */
export async function compareBatch(): Promise<boolean> {
  console.log(`\nbatch evaluation vs hand-written JS and json-rules-engine 7.3.1: ${BATCH_TARGETS} targets × 4 metric rules × 2 metrics × 60 one-minute points, ISO timestamps`);
  console.log(`paired timing: ${BATCH_ROUNDS} rounds per row, ratio per round, median (min–max)\n`);
  let ok = true;
  const rows: string[] = [];
  for (const instances of [1, 4] as const) {
    const body = batchBody(BATCH_TARGETS, instances);
    const check = await checkBatch(body);
    console.log(
      `check ${instances} instance(s) per point: ${check.ok ? 'edgescale = hand-written = json-rules-engine' : check.problems.join('; ')} (${check.actions.scaleOut} scale-out, ${check.actions.scaleIn} scale-in, ${check.actions.none} none)`,
    );
    if (!check.ok) {
      ok = false;
      continue;
    }
    const json = JSON.stringify(body);
    const fromText = { es: [] as number[], hand: [] as number[] };
    const fromParsed = { es: [] as number[], hand: [] as number[], jre: [] as number[] };
    for (let round = 0; round <= BATCH_ROUNDS; round++) {
      const es = () => timed(() => withEdgescale(JSON.parse(json)));
      const hand = () => timed(() => decideTargets(JSON.parse(json) as { targets: BatchTarget[] }, BATCH_NOW));
      let a: number;
      let b: number;
      if (round % 2 === 0) {
        a = await es();
        b = await hand();
      } else {
        b = await hand();
        a = await es();
      }
      const parsedA = JSON.parse(json);
      const parsedB = JSON.parse(json);
      const parsedC = JSON.parse(json);
      const c = await timed(() => withEdgescale(parsedA));
      const d = await timed(() => decideTargets(parsedB, BATCH_NOW));
      const e = await timed(() => withJsonRulesEngine(parsedC));
      if (round === 0) continue; // warm-up
      fromText.es.push(a);
      fromText.hand.push(b);
      fromParsed.es.push(c);
      fromParsed.hand.push(d);
      fromParsed.jre.push(e);
    }
    const ratio = (x: readonly number[], y: readonly number[]) => x.map((v, i) => v / y[i]!);
    const tRatio = ratio(fromText.es, fromText.hand);
    const pRatio = ratio(fromParsed.es, fromParsed.hand);
    const jRatio = ratio(fromParsed.jre, fromParsed.es);
    rows.push(
      `| ${instances} | ${median(fromText.es).toFixed(1)} / ${median(fromText.hand).toFixed(1)} | ${median(tRatio).toFixed(2)} (${spread(tRatio)}) | ${median(fromParsed.es).toFixed(1)} / ${median(fromParsed.hand).toFixed(1)} | ${median(pRatio).toFixed(2)} (${spread(pRatio)}) | ${median(fromParsed.jre).toFixed(1)} | ${median(jRatio).toFixed(2)} (${spread(jRatio)}) |`,
    );
  }
  console.log(
    '\n| instances per point | from JSON text: edgescale / hand ms | ratio | from parsed: edgescale / hand ms | ratio | json-rules-engine ms | json-rules-engine / edgescale |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(r);
  return ok;
}
