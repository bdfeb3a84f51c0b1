// Engine benchmark (npm run bench): per-target decision latency by rule kind, and a full batch's time and heap.
import { evaluateBatch } from '../src/service/batch.js';
import { resolveBundled } from '../src/rulesets/bundled.js';
import { decide } from '../src/engine/decide.js';

const NOW = Date.parse('2026-11-22T10:30:00Z');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const BATCH = 500;

function series(minutes: number, instances: number, base: number) {
  const points = [];
  for (let m = minutes - 1; m >= 0; m--)
    for (let i = 0; i < instances; i++) points.push({ t: NOW - m * 60_000, v: base + ((m * 7 + i * 13) % 20), instance: `vm-${i}` });
  return points;
}

const scenarios = [
  { name: 'web-tier: 2 metric triggers, 10 min × 4 instances', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: series(10, 4, 60) } },
  { name: 'api-requests: dividePerInstance, 15 min', ruleSet: 'api-requests', capacity: 6, metrics: { requests: series(15, 1, 5000) } },
  { name: 'queue-workers: 2 JSONata conditions + capacity expressions', ruleSet: 'queue-workers', capacity: 3, metrics: { queue: series(5, 1, 40) } },
];

function quantile(sorted: number[], q: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function main() {
  const gc = (globalThis as { gc?: () => void }).gc;
  console.log(`edgescale engine benchmark — node ${process.version}, ${ITERATIONS} iterations per scenario\n`);
  console.log('| scenario | median µs/target | p99 µs/target |');
  console.log('| --- | ---: | ---: |');
  for (const s of scenarios) {
    const ruleSet = resolveBundled(s.ruleSet)!;
    const target = { id: 't', capacity: s.capacity, metrics: s.metrics };
    for (let i = 0; i < 200; i++) await decide(ruleSet, target, NOW); // warm-up
    const times: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const t0 = performance.now();
      await decide(ruleSet, target, NOW + i);
      times.push((performance.now() - t0) * 1000);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${s.name} | ${quantile(times, 0.5).toFixed(1)} | ${quantile(times, 0.99).toFixed(1)} |`);
  }

  const body = {
    now: new Date(NOW).toISOString(),
    targets: Array.from({ length: BATCH }, (_, i) => {
      const s = scenarios[i % scenarios.length]!;
      return { id: `target-${i}`, ruleSet: s.ruleSet, capacity: s.capacity, metrics: s.metrics };
    }),
  };
  const json = JSON.stringify(body);
  await evaluateBatch(JSON.parse(json), resolveBundled, NOW); // warm-up
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const runs: number[] = [];
  let peak = 0;
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const out = await evaluateBatch(JSON.parse(json), resolveBundled, NOW);
    runs.push(performance.now() - t0);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    if (!out.ok || out.failed > 0) throw new Error('benchmark batch failed');
  }
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  runs.sort((a, b) => a - b);
  console.log(`\nbatch of ${BATCH} mixed targets (${(json.length / 1024).toFixed(0)} KiB JSON): median ${quantile(runs, 0.5).toFixed(1)} ms, max ${runs[runs.length - 1]!.toFixed(1)} ms`);
  console.log(`heap: ${(heapBefore / 2 ** 20).toFixed(1)} MiB before, peak ${(peak / 2 ** 20).toFixed(1)} MiB during, ${(heapAfter / 2 ** 20).toFixed(1)} MiB after gc`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
