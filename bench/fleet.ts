// A whole fleet in one batch (issue #15, item 5): 10,000 targets × bench/batch.ts's 4 metric rules × 2
// metrics × 60 one-minute points, sent in the columnar form ({ start, step, values }), timed from the
// JSON string (JSON.parse inside the timed region) as POST /v1/evaluate would see it. Reports the body
// size, min/median/max over a few runs, the heap growth, and whether the same batch completes in a
// child Node with --max-old-space-size=128 (a Workers isolate's 128 MB). The sizes in src/limits.ts
// (LIMIT_CEILINGS, DEFAULT_REQUEST_LIMITS) follow from these numbers.
//
// `npm run bench:fleet` runs only this; `npm run bench` runs it last. BENCH_FLEET_TARGETS and
// BENCH_FLEET_RUNS change the size and the number of timed runs.
import { spawnSync } from 'node:child_process';
import { evaluateBatch } from '../src/service/batch.js';
import { LIMIT_CEILINGS } from '../src/limits.js';
import { BATCH_NOW, MINUTE, POINTS, resolve } from './batch.js';
import { prng } from './prng.js';
import { decideTargets, type BatchTarget, type HandDecision } from './handwritten-batch.js';

const FLEET_TARGETS = Number(process.env.BENCH_FLEET_TARGETS ?? LIMIT_CEILINGS.targetsPerBatch);
const FLEET_RUNS = Number(process.env.BENCH_FLEET_RUNS ?? 5);
/** Old-space sizes (MB) a child process must complete the batch in: the isolate's 128 MB, and 80 MB for the margin (64 MB fails). */
const CHILD_HEAPS_MB = [128, 80];

interface RegularSeries {
  start: string;
  step: string;
  values: number[];
}

interface FleetTarget {
  id: string;
  ruleSet: string;
  capacity: number;
  metrics: Record<string, RegularSeries>;
}

/** The fleet in columnar form, with the same levels as bench/batch.ts's targets so every rule fires on some and not on others. */
function fleetBody(count: number): { now: string; targets: FleetTarget[] } {
  const rand = prng(count);
  const cpuLevels = [15, 25, 45, 65, 75, 90];
  const queueLevels = [5, 30, 80, 300, 900];
  const start = new Date(BATCH_NOW - (POINTS - 1) * MINUTE).toISOString();
  const series = (level: number, spread: number): RegularSeries => {
    const values: number[] = [];
    for (let k = 0; k < POINTS; k++) values.push(Math.max(0, Math.round(level * (1 + spread * (rand() - 0.5)) * 100) / 100));
    return { start, step: 'PT1M', values };
  };
  const targets: FleetTarget[] = [];
  for (let i = 0; i < count; i++) {
    const cpuLevel = cpuLevels[i % cpuLevels.length]!;
    const queueLevel = queueLevels[Math.floor(i / cpuLevels.length) % queueLevels.length]!;
    targets.push({ id: `t-${i}`, ruleSet: 'batch-4', capacity: 2 + (i % 20), metrics: { cpu: series(cpuLevel, 0.3), queue: series(queueLevel, 0.6) } });
  }
  return { now: new Date(BATCH_NOW).toISOString(), targets };
}

/** The same targets as points, for the hand-written implementation. */
function asPoints(body: { targets: FleetTarget[] }): { targets: BatchTarget[] } {
  return {
    targets: body.targets.map((t) => ({
      ...t,
      metrics: Object.fromEntries(
        Object.entries(t.metrics).map(([name, s]) => [name, s.values.map((v, k) => ({ t: new Date(Date.parse(s.start) + k * MINUTE).toISOString(), v }))]),
      ),
    })),
  };
}

/** Parse and decide the whole batch; throws unless every target is decided. */
async function evaluateFromText(json: string): Promise<HandDecision[]> {
  const out = await evaluateBatch(JSON.parse(json), resolve, BATCH_NOW);
  if (!out.ok) throw new Error(`fleet batch refused: ${JSON.stringify(out.error).slice(0, 500)}`);
  return out.results.map((r) => {
    if (!r.ok) throw new Error(`target ${r.target} failed: ${JSON.stringify(r.error)}`);
    const d = r.decision;
    return { id: d.target, action: d.action, from: d.from, to: d.to, fired: d.trace.rules.filter((t) => t.status === 'Fired').map((t) => t.rule) };
  });
}

const MiB = 2 ** 20;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** In the child: one batch, then its heap and peak RSS as one JSON line. */
export async function fleetChild(): Promise<void> {
  const json = JSON.stringify(fleetBody(FLEET_TARGETS));
  gc();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const decisions = await evaluateFromText(json);
  const ms = performance.now() - t0;
  const after = process.memoryUsage().heapUsed;
  console.log(JSON.stringify({ decided: decisions.length, ms, heapGrowthMiB: (after - before) / MiB, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
}

/** The fleet section of `npm run bench`; false when the batch fails, decides differently, or does not complete in 128 MB. */
export async function fleetBatch(): Promise<boolean> {
  console.log(`\none fleet batch: ${FLEET_TARGETS} targets × 4 metric rules × 2 metrics × ${POINTS} one-minute points, columnar { start, step, values }, from the JSON string`);
  const body = fleetBody(FLEET_TARGETS);
  const json = JSON.stringify(body);
  console.log(`body: ${json.length} bytes (${(json.length / MiB).toFixed(2)} MiB), ${(json.length / FLEET_TARGETS).toFixed(0)} bytes per target`);

  // Check first: the decisions equal the hand-written implementation's on the same points.
  const edgescale = await evaluateFromText(json);
  const byHand = decideTargets(asPoints(body), BATCH_NOW);
  const show = (d: HandDecision) => `${d.action} ${d.from}→${d.to} [${d.fired.join(',')}]`;
  const differ = byHand.filter((d, i) => show(d) !== show(edgescale[i]!));
  const actions = { scaleOut: 0, scaleIn: 0, none: 0 };
  for (const d of byHand) actions[d.action]++;
  console.log(
    `check: ${differ.length === 0 ? 'edgescale = hand-written on every target' : `${differ.length} targets differ, e.g. ${differ[0]!.id}`} (${actions.scaleOut} scale-out, ${actions.scaleIn} scale-in, ${actions.none} none)`,
  );
  if (differ.length > 0) return false;

  const runs: number[] = [];
  let growth = 0;
  let live = 0;
  for (let round = 0; round < FLEET_RUNS; round++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const parsed = JSON.parse(json) as unknown;
    const afterParse = process.memoryUsage().heapUsed;
    const out = await evaluateBatch(parsed, resolve, BATCH_NOW);
    runs.push(performance.now() - t0);
    // Sampled with the parsed body and every decision still live: the most the batch holds at once.
    growth = Math.max(growth, afterParse - before, process.memoryUsage().heapUsed - before);
    // What stays reachable: the parsed body and the answer, garbage collected.
    gc();
    live = Math.max(live, process.memoryUsage().heapUsed - before);
    if (!out.ok || out.failed > 0 || parsed === undefined) throw new Error('fleet batch failed');
  }
  const sorted = [...runs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `time (JSON.parse + evaluateBatch), ${FLEET_RUNS} runs: median ${median.toFixed(0)} ms, min ${sorted[0]!.toFixed(0)} ms, max ${sorted[sorted.length - 1]!.toFixed(0)} ms (${((median * 1000) / FLEET_TARGETS).toFixed(1)} µs per target)`,
  );
  console.log(
    `heap growth over a gc()'d baseline (heapUsed sampled after the parse and after the decisions, garbage included): peak ${(growth / MiB).toFixed(1)} MiB; live after gc() with the parsed body and the answer held: ${(live / MiB).toFixed(1)} MiB`,
  );

  let ok = true;
  for (const mb of CHILD_HEAPS_MB) {
    const child = spawnSync(process.execPath, [`--max-old-space-size=${mb}`, '--expose-gc', process.argv[1]!, 'fleet-child'], {
      encoding: 'utf8',
      env: { ...process.env, BENCH_FLEET_TARGETS: String(FLEET_TARGETS) },
      timeout: 120_000,
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    const passed = child.status === 0 && line.startsWith('{');
    if (passed) {
      const r = JSON.parse(line) as { decided: number; ms: number; heapGrowthMiB: number; maxRssMiB: number };
      console.log(`node --max-old-space-size=${mb}: pass (${r.decided} decided in ${r.ms.toFixed(0)} ms, heap growth ${r.heapGrowthMiB.toFixed(1)} MiB, peak RSS ${r.maxRssMiB.toFixed(0)} MiB)`);
    } else {
      console.log(`node --max-old-space-size=${mb}: FAIL (exit ${child.status ?? child.signal}) ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      // Only the isolate's size is a requirement; the smaller heap is information about the margin.
      if (mb === 128) ok = false;
    }
  }
  return ok;
}
