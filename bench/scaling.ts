// What one more point and one more rule cost (issue #15: each within 2× of hand-written), by difference.
//
// Per point: the same targets with 6,000 one-minute points per series against 60 (bench/batch.ts's
// 4-rule set, 1 instance); per rule: the same targets under 50 rules against 4 (the 4 rules repeated
// with their thresholds shifted, so rules fire on some targets and not on others). Both sides start
// from the parsed body (JSON.parse is the same for both and would only dilute the difference): edgescale
// through evaluateBatch, the hand-written code through decideTargets. Decisions are checked equal for
// every body before anything is timed; paired rounds, the marginal cost per round, medians.
import type { CompiledRuleSet } from '../src/engine/ruleset.js';
import { loadRuleSet } from '../src/engine/ruleset.js';
import { BATCH_NOW, batchBody, resolve, ruleSetOf, withEdgescale } from './batch.js';
import { decideTargets, RULES, type BatchTarget, type HandDecision, type Rule } from './handwritten-batch.js';

const TARGETS = Number(process.env.BENCH_SCALING_TARGETS ?? 40);
/** More targets for the rules: one rule costs edgescale ~1 µs, lost in a small batch's noise. */
const RULE_TARGETS = TARGETS * 5;
const ROUNDS = Number(process.env.BENCH_SCALING_ROUNDS ?? 7);
const FEW_POINTS = 60;
const MANY_POINTS = 6_000;
const MANY_RULES = 50;

/** 50 rules: bench/batch.ts's four, repeated, each with its threshold shifted by a few units. */
const RULES_50: readonly Rule[] = Array.from({ length: MANY_RULES }, (_, k) => {
  const r = RULES[k % RULES.length]!;
  const shift = Math.floor(k / RULES.length) % 5;
  return { ...r, id: `${r.id}-${k}`, threshold: r.direction === 'out' ? r.threshold + shift : r.threshold - shift };
});

const RULE_SETS = new Map<string, CompiledRuleSet>();
function compiledSet(id: string, rules: readonly Rule[]): CompiledRuleSet {
  const loaded = loadRuleSet(ruleSetOf(id, rules));
  if (!loaded.ok) throw new Error(`${id} does not compile: ${JSON.stringify(loaded.issues)}`);
  return loaded.ruleSet;
}
const resolver = (id: string) => RULE_SETS.get(id) ?? resolve(id);

interface Case {
  name: string;
  body: () => { targets: BatchTarget[] };
  rules: readonly Rule[];
}

const show = (d: HandDecision) => `${d.action} ${d.from}→${d.to} [${d.fired.join(',')}]`;

async function same(c: Case): Promise<string | undefined> {
  const a = await withEdgescale(c.body(), resolver);
  const b = decideTargets(c.body(), BATCH_NOW, undefined, c.rules);
  const i = a.findIndex((d, k) => show(d) !== show(b[k]!));
  return i < 0 ? undefined : `${c.name}: target ${i}: edgescale ${show(a[i]!)}, hand-written ${show(b[i]!)}`;
}

async function time(fn: () => unknown): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Per round: [edgescale ms, hand ms] for the small and the large case, in alternating order. */
async function marginal(small: Case, large: Case, units: number): Promise<{ es: number; hand: number; ratio: number; ratios: number[] }> {
  const es: number[] = [];
  const hand: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const run = async (c: Case) => {
      const forEs = c.body();
      const forHand = c.body();
      const first = round % 2 === 0;
      const e1 = first ? await time(() => withEdgescale(forEs, resolver)) : 0;
      const h = await time(() => decideTargets(forHand, BATCH_NOW, undefined, c.rules));
      const e = first ? e1 : await time(() => withEdgescale(forEs, resolver));
      return { e, h };
    };
    const s = await run(small);
    const l = await run(large);
    if (round === 0) continue; // warm-up
    const perEs = ((l.e - s.e) * 1000) / units;
    const perHand = ((l.h - s.h) * 1000) / units;
    es.push(perEs);
    hand.push(perHand);
    ratios.push(perEs / perHand);
  }
  return { es: median(es), hand: median(hand), ratio: median(ratios), ratios };
}

export async function compareScaling(): Promise<boolean> {
  RULE_SETS.set('batch-50', compiledSet('batch-50', RULES_50));
  // Bodies built once per size; each run gets a fresh copy (evaluateBatch may keep what it parsed).
  const memo = (f: () => { targets: BatchTarget[] }) => {
    const json = JSON.stringify(f());
    return () => JSON.parse(json) as { targets: BatchTarget[] };
  };
  const few: Case = { name: `${FEW_POINTS} points`, body: memo(() => batchBody(TARGETS, 1, FEW_POINTS)), rules: RULES };
  const many: Case = { name: `${MANY_POINTS} points`, body: memo(() => batchBody(TARGETS, 1, MANY_POINTS)), rules: RULES };
  const fourRules: Case = { name: '4 rules', body: memo(() => batchBody(RULE_TARGETS, 1, FEW_POINTS)), rules: RULES };
  const fiftyRules: Case = { name: `${MANY_RULES} rules`, body: memo(() => batchBody(RULE_TARGETS, 1, FEW_POINTS, 'batch-50')), rules: RULES_50 };
  console.log(
    `\nmarginal cost per point and per rule (from the parsed body, ${TARGETS} targets × 2 metrics for points, ${RULE_TARGETS} for rules; ${ROUNDS} paired rounds, medians)`,
  );
  const problems = (await Promise.all([few, many, fourRules, fiftyRules].map(same))).filter((p): p is string => p !== undefined);
  if (problems.length > 0) {
    console.log(`check: ${problems.join('; ')}`);
    return false;
  }
  console.log(`check: edgescale = hand-written on every target at ${FEW_POINTS} and ${MANY_POINTS} points, 4 and ${MANY_RULES} rules`);
  const points = await marginal(few, many, TARGETS * 2 * (MANY_POINTS - FEW_POINTS));
  const rules = await marginal(fourRules, fiftyRules, RULE_TARGETS * (MANY_RULES - RULES.length));
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
  console.log('| one more | edgescale µs | hand-written µs | ratio (min–max of rounds) | goal |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(
    `| point (${FEW_POINTS} → ${MANY_POINTS} per series) | ${points.es.toFixed(3)} | ${points.hand.toFixed(3)} | ${points.ratio.toFixed(2)} (${range(points.ratios)}) | ≤ 2× |`,
  );
  console.log(`| rule (4 → ${MANY_RULES} per set) | ${rules.es.toFixed(2)} | ${rules.hand.toFixed(2)} | ${rules.ratio.toFixed(2)} (${range(rules.ratios)}) | ≤ 2× |`);
  return true;
}
