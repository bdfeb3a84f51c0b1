// The simulation's summary, accumulated step by step: instance-hours, provisioning against required capacity, scale events, flaps, reaction, utilisation.
import type { SimulationSummary } from '../../schemas/simulate.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** What one evaluation contributes: the facts after its decision, holding for one step. */
export interface StepFacts {
  t: number;
  from: number;
  to: number;
  serving: number;
  running: number;
  /** Null without a load model, or before the load series' first point. */
  required: number | null;
  utilization: number | null;
  code: string;
}

/** Rounded to 6 decimals, so sums of step fractions read 12.5, not 12.499999999999998. */
const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Nearest-rank percentile of sorted values: the ⌈q·n⌉-th smallest. */
function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

export class SummaryBuilder {
  private evaluations = 0;
  private start: number | undefined;
  private end = 0;
  private min = Infinity;
  private max = -Infinity;
  private runningMs = 0;
  private out = 0;
  private in = 0;
  private flaps = 0;
  private last: { t: number; direction: 'out' | 'in' } | undefined;
  private readonly codes: Record<string, number> = {};
  private withLoad = false;
  private underMs = 0;
  private underDepthMs = 0;
  private maxShortfall = 0;
  private overMs = 0;
  private episodeStart: number | undefined;
  private readonly reactions: number[] = [];
  private readonly utilizations: number[] = [];

  constructor(
    private readonly stepMs: number,
    private readonly flapWindowMs: number,
  ) {}

  add(f: StepFacts): void {
    this.evaluations++;
    this.start ??= f.from;
    this.end = f.to;
    this.min = Math.min(this.min, f.to);
    this.max = Math.max(this.max, f.to);
    this.runningMs += f.running * this.stepMs;
    this.codes[f.code] = (this.codes[f.code] ?? 0) + 1;
    if (f.to !== f.from) {
      const direction = f.to > f.from ? 'out' : 'in';
      if (direction === 'out') this.out++;
      else this.in++;
      if (this.last && this.last.direction !== direction && f.t - this.last.t <= this.flapWindowMs) this.flaps++;
      this.last = { t: f.t, direction };
    }
    if (f.required !== null) {
      this.withLoad = true;
      const short = f.required - f.serving;
      if (short > 0) {
        this.underMs += this.stepMs;
        this.underDepthMs += short * this.stepMs;
        this.maxShortfall = Math.max(this.maxShortfall, short);
        this.episodeStart ??= f.t;
      } else if (this.episodeStart !== undefined) {
        this.reactions.push(f.t - this.episodeStart);
        this.episodeStart = undefined;
      }
      if (f.running > f.required) this.overMs += (f.running - f.required) * this.stepMs;
    }
    if (f.utilization !== null) this.utilizations.push(f.utilization);
  }

  finish(): SimulationSummary {
    const sorted = [...this.utilizations].sort((a, b) => a - b);
    const minutes = this.reactions.map((ms) => ms / MINUTE_MS);
    const unresolved = this.episodeStart !== undefined ? 1 : 0;
    return {
      evaluations: this.evaluations,
      capacity: { start: this.start ?? 0, end: this.end, min: this.evaluations ? this.min : 0, max: this.evaluations ? this.max : 0 },
      instanceHours: round(this.runningMs / HOUR_MS),
      scaleEvents: { out: this.out, in: this.in },
      flaps: this.flaps,
      decisions: this.codes,
      underProvisioned: this.withLoad ? { minutes: round(this.underMs / MINUTE_MS), instanceHours: round(this.underDepthMs / HOUR_MS), maxShortfall: this.maxShortfall } : null,
      overProvisionedInstanceHours: this.withLoad ? round(this.overMs / HOUR_MS) : null,
      reaction: this.withLoad
        ? {
            episodes: minutes.length + unresolved,
            meanMinutes: minutes.length ? round(minutes.reduce((a, b) => a + b, 0) / minutes.length) : null,
            maxMinutes: minutes.length ? round(minutes.reduce((a, b) => (b > a ? b : a))) : null,
            unresolved,
          }
        : null,
      utilization: sorted.length
        ? { p50: round(percentile(sorted, 0.5)), p90: round(percentile(sorted, 0.9)), p99: round(percentile(sorted, 0.99)), max: round(sorted[sorted.length - 1]!) }
        : null,
    };
  }
}
