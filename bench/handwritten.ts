// Hand-written plain-JS versions of the expression rule sets in bench/expr-rules.ts: what one would write
// without a rule engine. Each function computes only the window summaries its rules read, in one pass
// per metric, then the same conditions and capacity arithmetic as the JSONata, and returns one vote per
// rule in rule order. Votes have the shape of edgescale's RuleTrace (rule, direction, status, capacity),
// so both sides go through the same combine step and the benchmark compares rule evaluation only.
//
// Nothing here imports the engine: a helper that edgescale also has ($ceilDiv, $percentile, $rate) is
// re-written below with the same arithmetic, so the two sides can be checked for identical decisions.
import type { Vote } from './expr-rules.js';

/** A metric sample: `t` in epoch milliseconds. Series are sorted by `t`, as the engine normalizes them. */
interface Sample {
  t: number;
  v: number;
}

export type Series = ReadonlyMap<string, readonly Sample[]>;

const MINUTE = 60_000;

/** ⌈a / b⌉, snapping quotients within 1e-9 of an integer to it, as edgescale's $ceilDiv does against binary rounding. */
function ceilDiv(a: number, b: number): number {
  const q = a / b;
  const nearest = Math.round(q);
  return Math.abs(q - nearest) <= 1e-9 * Math.max(1, Math.abs(q)) ? nearest : Math.ceil(q);
}

/** numpy's default ("linear") percentile of unsorted numbers; sorts `xs` in place. */
function percentile(xs: number[], p: number): number {
  xs.sort((a, b) => a - b);
  const h = ((xs.length - 1) * p) / 100;
  const lo = Math.floor(h);
  return xs[lo]! + (h - lo) * (xs[Math.min(lo + 1, xs.length - 1)]! - xs[lo]!);
}

/**
 * Change per second between the first and the last sample; undefined with fewer than two or at one
 * instant. Series are sorted with distinct times, so first and last by position are earliest and latest.
 */
function rate(firstT: number, firstV: number, lastT: number, lastV: number, count: number): number | undefined {
  if (count < 2 || lastT === firstT) return undefined;
  return (lastV - firstV) / ((lastT - firstT) / 1000);
}

const fired = (rule: string, direction: Vote['direction'], capacity: number): Vote => ({ rule, direction, status: 'Fired', capacity });
const notMet = (rule: string, direction: Vote['direction']): Vote => ({ rule, direction, status: 'NotMet' });

/** The bench feeds every rule data; a missing window would be MissingData in edgescale, which these do not model. */
function noData(set: string, metric: string): never {
  throw new Error(`${set}: no ${metric} data in the window (the benchmark inputs always have some)`);
}

/**
 * rules/queue-workers.json, default window PT5M over `queue`:
 *   backlog-high (out): last / capacity > 100                                 → ⌈last / 100⌉
 *   backlog-low  (in):  last / capacity < 50 and (fewer than 2 points or rate ≤ 0) → max(1, ⌈last / 100⌉)
 */
export function queueWorkersVotes(series: Series, capacity: number, now: number): Vote[] {
  const from = now - 5 * MINUTE;
  let count = 0;
  let firstT = 0;
  let firstV = 0;
  let lastT = 0;
  let lastV = 0;
  for (const p of series.get('queue') ?? []) {
    if (p.t <= from || p.t > now) continue;
    if (count === 0) {
      firstT = p.t;
      firstV = p.v;
    }
    lastT = p.t;
    lastV = p.v;
    count++;
  }
  if (count === 0) noData('queue-workers', 'queue');

  const perWorker = lastV / capacity;
  const r = rate(firstT, firstV, lastT, lastV, count);
  // JSONata's `undefined <= 0` is false, so an undefined rate only passes through `count < 2`.
  const notGrowing = count < 2 || (r !== undefined && r <= 0);
  return [
    perWorker > 100 ? fired('backlog-high', 'out', ceilDiv(lastV, 100)) : notMet('backlog-high', 'out'),
    perWorker < 50 && notGrowing ? fired('backlog-low', 'in', Math.max(1, ceilDiv(lastV, 100))) : notMet('backlog-low', 'in'),
  ];
}

/**
 * The 4-rule cpu-queue set (CPU_QUEUE_SPEC in bench/expr-rules.ts), default window PT10M:
 *   cpu-and-backlog (out): cpu avg > 70 and queue last > 100       → ⌈capacity × cpu avg / 60⌉
 *   cpu-spike       (out): cpu max > 90                            → capacity + 2
 *   cpu-idle        (in):  cpu avg < 35 and queue max < 50         → ⌈capacity × cpu avg / 60⌉
 *   backlog-drained (in, PT30M): cpu p90 < 50 and queue rate ≤ 0   → capacity − 1
 */
export function cpuQueueVotes(series: Series, capacity: number, now: number): Vote[] {
  const from10 = now - 10 * MINUTE;
  const from30 = now - 30 * MINUTE;

  // cpu: avg and max over 10 minutes, every value of 30 minutes for the percentile.
  let cpuSum = 0;
  let cpuCount = 0;
  let cpuMax = -Infinity;
  const cpu30: number[] = [];
  for (const p of series.get('cpu') ?? []) {
    if (p.t <= from30 || p.t > now) continue;
    cpu30.push(p.v);
    if (p.t <= from10) continue;
    // Summed oldest first from 0, as the engine's summary does, so the average is bit-identical.
    cpuSum += p.v;
    cpuCount++;
    if (p.v > cpuMax) cpuMax = p.v;
  }

  // queue: last and max over 10 minutes, first and last over 30 minutes for the rate.
  let queueCount10 = 0;
  let queueMax10 = -Infinity;
  let queueCount30 = 0;
  let firstT = 0;
  let firstV = 0;
  let lastT = 0;
  let lastV = 0;
  for (const p of series.get('queue') ?? []) {
    if (p.t <= from30 || p.t > now) continue;
    if (queueCount30 === 0) {
      firstT = p.t;
      firstV = p.v;
    }
    lastT = p.t;
    lastV = p.v;
    queueCount30++;
    if (p.t > from10) {
      queueCount10++;
      if (p.v > queueMax10) queueMax10 = p.v;
    }
  }
  if (cpuCount === 0) noData('cpu-queue', 'cpu');
  if (queueCount10 === 0) noData('cpu-queue', 'queue');

  const cpuAvg = cpuSum / cpuCount;
  const queueLast = lastV; // the newest point is in both windows
  const r = rate(firstT, firstV, lastT, lastV, queueCount30);
  return [
    cpuAvg > 70 && queueLast > 100 ? fired('cpu-and-backlog', 'out', ceilDiv(capacity * cpuAvg, 60)) : notMet('cpu-and-backlog', 'out'),
    cpuMax > 90 ? fired('cpu-spike', 'out', capacity + 2) : notMet('cpu-spike', 'out'),
    cpuAvg < 35 && queueMax10 < 50 ? fired('cpu-idle', 'in', ceilDiv(capacity * cpuAvg, 60)) : notMet('cpu-idle', 'in'),
    percentile(cpu30, 90) < 50 && r !== undefined && r <= 0
      ? fired('backlog-drained', 'in', Math.max(0, capacity - 1))
      : notMet('backlog-drained', 'in'),
  ];
}
