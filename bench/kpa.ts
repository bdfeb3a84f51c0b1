// One kpa decision against a hand-written implementation of the same decider (issue #18: within 2×).
//
// The engine side is the kpa policy's whole step for one target, as decide() runs it: the stable and
// panic window means from the caller's per-second series, Knative's decider (rate limits, panic mode,
// its state), and the trace and sentence it returns. The hand-written side computes the same desired
// pod count from the same series with Knative's defaults (autoscaler.go Scale) in plain JS. Both are
// checked to agree on every input before anything is timed; paired rounds, ratio per round, median.
import type { DecisionContext } from '../src/engine/pipeline/context.js';
// The rule set loader first: it loads the policy registry, which the kpa policy's module is part of.
import { loadRuleSet } from '../src/engine/ruleset.js';
import { kpaPolicy } from '../src/engine/policies/kpa.js';
import type { Point } from '../src/engine/metrics.js';
import { prng } from './prng.js';

const NOW = Date.parse('2026-11-22T10:30:00Z');
const SECOND = 1000;

/** Knative's defaults for concurrency: target 100 × 70 % utilisation, windows 60 s and 6 s, panic at 200 %, rates 1000 and 2. */
const TARGET = 70;
const PANIC_THRESHOLD = 2;
const MAX_UP = 1000;
const MAX_DOWN = 2;

interface KpaTarget {
  ready: number;
  series: Point[];
}

function targets(): KpaTarget[] {
  const rand = prng(18);
  const out: KpaTarget[] = [];
  for (const ready of [1, 2, 3, 5, 8, 13]) {
    for (const level of [20, 90, 300, 700, 1500]) {
      for (const burst of [1, 3]) {
        // 60 one-second points of total concurrency, the last 6 seconds `burst` times higher
        const series: Point[] = [];
        for (let age = 59; age >= 0; age--) series.push({ t: NOW - age * SECOND, v: Math.round(level * (age < 6 ? burst : 1) * (0.9 + 0.2 * rand())) });
        out.push({ ready, series });
      }
    }
  }
  return out;
}

/** autoscaler.go Scale with the defaults, for a calm autoscaler (not panicking, no delay window). */
function byHand(t: KpaTarget): number {
  let stableSum = 0;
  let stableCount = 0;
  let panicSum = 0;
  let panicCount = 0;
  for (const p of t.series) {
    if (p.t <= NOW - 60 * SECOND || p.t > NOW) continue;
    stableSum += p.v;
    stableCount++;
    if (p.t > NOW - 6 * SECOND) {
      panicSum += p.v;
      panicCount++;
    }
  }
  const ready = Math.max(1, t.ready);
  const maxUp = Math.ceil(MAX_UP * ready);
  const maxDown = Math.floor(ready / MAX_DOWN);
  const stablePods = Math.min(Math.max(Math.ceil(stableSum / stableCount / TARGET), maxDown), maxUp);
  const dppc = Math.ceil((panicCount > 0 ? panicSum / panicCount : 0) / TARGET);
  const panicPods = Math.min(Math.max(dppc, maxDown), maxUp);
  // Entering panic: scale to the larger of the two (maxPanicPods starts at 0), never down while panicking.
  return dppc / ready >= PANIC_THRESHOLD ? Math.max(stablePods, panicPods) : stablePods;
}

function compiled() {
  const loaded = loadRuleSet({ id: 'kpa-bench', capacity: { minimum: 1, maximum: 1000, default: 1 }, rules: [], kpa: { metric: 'concurrency' } });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const spec = kpaPolicy.compile(loaded.ruleSet.spec);
  if (!spec) throw new Error('no kpa policy');
  return spec;
}

/** What the policy reads of a decision's context, built once per target as decide() builds it once per decision; a calm autoscaler (state kpa: {}). */
function contextFor(t: KpaTarget): DecisionContext {
  const ctx = {
    now: NOW,
    current: t.ready,
    bounds: { minimum: 1, maximum: 1000, default: 1 },
    series: new Map([['concurrency', t.series]]),
    target: { state: { version: 1, cooldownUntil: {}, kpa: {} } },
  };
  return ctx as unknown as DecisionContext;
}

function withEngine(spec: NonNullable<ReturnType<typeof compiled>>, ctx: DecisionContext): number {
  const outcome = kpaPolicy.recommend(spec, ctx);
  return outcome.proposals[0]!.capacity;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function kpaVsHandwritten(): Promise<boolean> {
  const spec = compiled();
  const all = targets();
  const contexts = all.map(contextFor);
  const wrong = all.filter((t, i) => withEngine(spec, contexts[i]!) !== byHand(t));
  console.log(`\none kpa decision (the policy's step: windows, decider, trace) vs hand-written autoscaler.go Scale: ${all.length} targets`);
  if (wrong.length > 0) {
    console.log(`check: ${wrong.length} targets differ, e.g. ready ${wrong[0]!.ready}: engine ${withEngine(spec, contexts[all.indexOf(wrong[0]!)]!)}, hand ${byHand(wrong[0]!)}`);
    return false;
  }
  const N = 20_000;
  // Both sides get their input by index: the engine its decision context, the hand-written code its target.
  const time = (f: (i: number) => number) => {
    let sum = 0;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) sum += f(i % all.length);
    const us = ((performance.now() - t0) * 1000) / N;
    if (sum <= 0) throw new Error('no work');
    return us;
  };
  const engine = (i: number) => withEngine(spec, contexts[i]!);
  const hand = (i: number) => byHand(all[i]!);
  for (let i = 0; i < 3; i++) {
    time(engine);
    time(hand);
  }
  const es: number[] = [];
  const hs: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < 11; r++) {
    const a = r % 2 === 0 ? time(engine) : 0;
    const b = time(hand);
    const e = r % 2 === 0 ? a : time(engine);
    es.push(e);
    hs.push(b);
    ratios.push(e / b);
  }
  console.log(`check: engine = hand-written on every target`);
  console.log(`| kpa µs/decision | hand-written µs/decision | ratio (min–max of rounds) |`);
  console.log(`| ---: | ---: | ---: |`);
  console.log(`| ${median(es).toFixed(3)} | ${median(hs).toFixed(3)} | ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`);
  return true;
}
