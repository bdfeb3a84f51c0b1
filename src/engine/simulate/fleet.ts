// The simulated fleet: desired capacity, instances still provisioning (not serving yet) and draining (removed, still serving).

interface Batch {
  /** When the batch stops being pending: ready (provisioning) or gone (draining). */
  until: number;
  n: number;
}

/**
 * Desired is what the engine set and is told next time. A scale-out's instances run (and are billed)
 * at once and serve after the provisioning delay; a scale-in first cancels instances still
 * provisioning (newest first), and the rest keep serving and running for the scale-in delay.
 */
export class Fleet {
  private provisioning: Batch[] = [];
  private draining: Batch[] = [];

  constructor(
    public desired: number,
    private readonly provisioningDelayMs: number,
    private readonly scaleInDelayMs: number,
  ) {}

  /** Batches whose delay has passed at `now` become serving (provisioning) or gone (draining). */
  advance(now: number): void {
    if (this.provisioning.length > 0) this.provisioning = this.provisioning.filter((b) => b.until > now);
    if (this.draining.length > 0) this.draining = this.draining.filter((b) => b.until > now);
  }

  /** Instances that serve load: desired, less those provisioning, plus those draining. */
  get serving(): number {
    return this.desired - sum(this.provisioning) + sum(this.draining);
  }

  /** Instances billed: desired plus those draining. */
  get running(): number {
    return this.desired + sum(this.draining);
  }

  /** Apply a decision taken at `now`. */
  scaleTo(to: number, now: number): void {
    const delta = to - this.desired;
    this.desired = to;
    if (delta > 0) {
      if (this.provisioningDelayMs > 0) this.provisioning.push({ until: now + this.provisioningDelayMs, n: delta });
      return;
    }
    let remove = -delta;
    // Instances not serving yet are the first to go: they are cancelled, not drained.
    while (remove > 0 && this.provisioning.length > 0) {
      const newest = this.provisioning[this.provisioning.length - 1]!;
      const take = Math.min(newest.n, remove);
      newest.n -= take;
      remove -= take;
      if (newest.n === 0) this.provisioning.pop();
    }
    if (remove > 0 && this.scaleInDelayMs > 0) this.draining.push({ until: now + this.scaleInDelayMs, n: remove });
  }
}

const sum = (batches: readonly Batch[]) => {
  let n = 0;
  for (const b of batches) n += b.n;
  return n;
};
