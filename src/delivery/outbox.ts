// The delivery outbox for `edgescale serve` (Node): decisions kept in a durable store until the actuator takes them.
//
// Platform-neutral logic over an `OutboxStore`; the store that makes it durable is SQLite through
// better-sqlite3 (src/cli/outbox-sqlite.ts, Node only), and tests use `MemoryOutboxStore`. The worker
// never constructs an outbox (it has the Cloudflare Queue), so nothing here reaches a native module.
//
// Lifecycle of an entry (one per actuator and decision id):
//   hold()        written as `pending` with the exact body, before the first in-process attempt;
//   delivered()   the in-process attempts got a 2xx → `delivered` (kept OUTBOX_DEFAULTS.deliveredRetentionMs
//                 so the same id is not sent again, then pruned);
//   retryLater()  they did not → stays `pending`, due after a backoff;
//   rounds        the dispatcher gives every due entry one signed attempt (handleQueueBatch, the queue
//                 consumer's own code, with the stored body sent verbatim) until a 2xx, or until
//                 `maxRounds` rounds, after which the entry is `dead`: kept, logged, no longer retried.
// A process killed at any point leaves `pending` rows; on start every pending row is due at once.
import {
  QUEUE_RETRY_MAX_SECONDS,
  handleQueueBatch,
  type DeliveryConfig,
  type DeliveryDeps,
  type DeliveryError,
  type DeliveryOutbox,
  type OutboxHold,
  type QueueMessageLike,
  type QueuedDelivery,
} from './deliver.js';

export type OutboxState = 'pending' | 'delivered' | 'dead';

export interface OutboxRow {
  /** The actuator's name, lower-case ("default" → ACTUATOR_URL). */
  actuator: string;
  decisionId: string;
  target: string;
  /** The exact bytes that are signed and sent on every attempt. */
  body: string;
  state: OutboxState;
  /** POSTs made so far, in process and by the outbox (the next one sends attempt + 1). */
  attempts: number;
  /** Outbox rounds so far; the backoff and dead-lettering count these. */
  rounds: number;
  /** Epoch ms at which a pending entry is next due. */
  nextAttemptAt: number;
  /** ISO 8601: when the decision was first held. */
  firstAttemptAt: string;
  lastError: DeliveryError | null;
  /** Status of the last answer, when there was one. */
  status: number | null;
  /** Epoch ms of the last change; delivered entries are pruned by it (dead ones are kept for an operator). */
  updatedAt: number;
}

/** What a durable store must do; every call is one transaction, durable when it returns. */
export interface OutboxStore {
  get(actuator: string, decisionId: string): OutboxRow | undefined;
  /** Insert or replace the entry with this actuator and decision id. */
  put(row: OutboxRow): void;
  /** Pending entries due at `now`, soonest first, at most `limit`. */
  due(now: number, limit: number): OutboxRow[];
  /** The earliest `nextAttemptAt` of a pending entry. */
  nextDue(): number | undefined;
  /** Makes every pending entry due at `now`; returns how many. */
  makeAllDue(now: number): number;
  /** Deletes delivered entries last changed before `before`; returns how many. */
  prune(before: number): number;
  counts(): Record<OutboxState, number>;
  close(): void;
}

export const OUTBOX_DEFAULTS = {
  /**
   * 1 s: the first outbox round after failed in-process attempts comes within 0.5–1 s, then the window
   * doubles (equal jitter). A Node process holds no invocation open while it waits, so unlike the
   * queue's 30 s start it can come back quickly after an actuator restart.
   */
  retryBaseMs: 1_000,
  /** One hour, the queue's ceiling too (QUEUE_RETRY_MAX_SECONDS); also the wait after a permanent answer or while a URL is missing. */
  retryMaxMs: QUEUE_RETRY_MAX_SECONDS * 1000,
  /**
   * 100 rounds, the queue consumer's max_retries (wrangler.toml): 12 doubling rounds reach the hour,
   * so an entry is retried for about four days (the queue's retention) before it is dead.
   */
  maxRounds: 100,
  /**
   * 7 days of delivered ids: longer than the cron catch-up look-back (at most 24 h,
   * src/cron/scheduled.ts) and than any replay a caller is likely to make, so a decision id the outbox
   * has delivered is not delivered again.
   */
  deliveredRetentionMs: 7 * 86_400_000,
  /** Entries per round; a round is a batch of concurrent attempts (DELIVERY_CONCURRENCY at a time). */
  batchSize: 50,
  /** Longest sleep between checks, so a clock jump or a missed wake-up costs at most a minute. */
  maxSleepMs: 60_000,
} as const;

export interface OutboxOptions {
  store: OutboxStore;
  /** The delivery config of a named actuator (its URL and the signing key), read per round. */
  configFor: (actuator: string) => DeliveryConfig;
  /** Effects for the attempts (fetch, clock, random, log). `queue` and `outbox` are not used. */
  deps: DeliveryDeps;
  /** Epoch ms; default deps.nowSeconds() × 1000. */
  now?: () => number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  maxRounds?: number;
  deliveredRetentionMs?: number;
  batchSize?: number;
  /** Told each round that attempted something (`edgescale serve` counts the outcomes as metrics). */
  onRound?: (report: RoundReport) => void;
}

export interface RoundReport {
  attempted: number;
  delivered: number;
  retried: number;
  dead: number;
}

/** Errors a retry cannot fix on its own: an operator changes configuration, then the entry goes out. */
const NEEDS_OPERATOR = new Set<DeliveryError['code']>(['Rejected', 'NotConfigured', 'InvalidDecision']);

const keyOf = (actuator: string, decisionId: string) => `${actuator}\u0000${decisionId}`;

export class Outbox implements DeliveryOutbox {
  readonly store: OutboxStore;
  private readonly configFor: (actuator: string) => DeliveryConfig;
  private readonly deps: DeliveryDeps;
  private readonly now: () => number;
  private readonly onRound: ((report: RoundReport) => void) | undefined;
  private readonly settings: Required<Pick<OutboxOptions, 'retryBaseMs' | 'retryMaxMs' | 'maxRounds' | 'deliveredRetentionMs' | 'batchSize'>>;
  /** Entries being attempted in process or in a round: never attempted twice at once. */
  private readonly inFlight = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private started = false;
  private stopped = false;

  constructor(options: OutboxOptions) {
    this.store = options.store;
    this.configFor = options.configFor;
    this.deps = { ...options.deps };
    delete this.deps.outbox;
    delete this.deps.queue;
    this.now = options.now ?? (() => Math.floor(options.deps.nowSeconds() * 1000));
    this.onRound = options.onRound;
    this.settings = {
      retryBaseMs: options.retryBaseMs ?? OUTBOX_DEFAULTS.retryBaseMs,
      retryMaxMs: options.retryMaxMs ?? OUTBOX_DEFAULTS.retryMaxMs,
      maxRounds: options.maxRounds ?? OUTBOX_DEFAULTS.maxRounds,
      deliveredRetentionMs: options.deliveredRetentionMs ?? OUTBOX_DEFAULTS.deliveredRetentionMs,
      batchSize: options.batchSize ?? OUTBOX_DEFAULTS.batchSize,
    };
  }

  // ------------------------------------------------------------------------------------------------
  // DeliveryOutbox: called by deliverDecisions around its in-process attempts.

  async hold(entry: { actuator: string; decisionId: string; target: string; body: string; firstAttemptAt: string }): Promise<OutboxHold> {
    const actuator = entry.actuator.toLowerCase();
    const existing = this.store.get(actuator, entry.decisionId);
    if (existing?.state === 'delivered') return { state: 'delivered', attempts: existing.attempts, ...(existing.status !== null && { status: existing.status }) };
    if (existing?.state === 'pending') return { state: 'pending', attempts: existing.attempts, ...(existing.lastError && { lastError: existing.lastError }) };
    const now = this.now();
    if (existing?.state === 'dead') {
      // Asked for again (a replay): revived and due now, for the rounds to send (attempt numbers carry on).
      this.store.put({ ...existing, state: 'pending', rounds: 0, nextAttemptAt: now, updatedAt: now });
      this.wake();
      return { state: 'pending', attempts: existing.attempts, ...(existing.lastError && { lastError: existing.lastError }) };
    }
    this.store.put({
      actuator,
      decisionId: entry.decisionId,
      target: entry.target,
      body: entry.body,
      state: 'pending',
      attempts: 0,
      rounds: 0,
      nextAttemptAt: now,
      firstAttemptAt: entry.firstAttemptAt,
      lastError: null,
      status: null,
      updatedAt: now,
    });
    this.inFlight.add(keyOf(actuator, entry.decisionId));
    return { state: 'held' };
  }

  async delivered(actuator: string, decisionId: string, result: { attempts: number; status: number }): Promise<void> {
    const name = actuator.toLowerCase();
    try {
      const row = this.store.get(name, decisionId);
      if (row) this.store.put({ ...row, state: 'delivered', attempts: row.attempts + result.attempts, status: result.status, lastError: null, updatedAt: this.now() });
    } finally {
      this.inFlight.delete(keyOf(name, decisionId));
    }
  }

  async retryLater(actuator: string, decisionId: string, result: { attempts: number; error: DeliveryError }): Promise<void> {
    const name = actuator.toLowerCase();
    try {
      const row = this.store.get(name, decisionId);
      if (row) {
        const now = this.now();
        this.store.put({
          ...row,
          attempts: row.attempts + result.attempts,
          lastError: result.error,
          status: result.error.status ?? row.status,
          nextAttemptAt: now + this.delayMs(1, result.error),
          updatedAt: now,
        });
      }
    } finally {
      this.inFlight.delete(keyOf(name, decisionId));
      this.wake();
    }
  }

  // ------------------------------------------------------------------------------------------------
  // The dispatcher

  /**
   * Starts the rounds: every pending entry is due at once (a restart is how configuration changes
   * under Node, so entries waiting for a URL or a key should not wait out their backoff), delivered
   * entries past their retention are pruned, and a timer wakes up for each due entry.
   */
  start(): { pending: number; delivered: number; dead: number } {
    const now = this.now();
    this.store.makeAllDue(now);
    this.store.prune(now - this.settings.deliveredRetentionMs);
    this.started = true;
    this.stopped = false;
    this.wake();
    return this.store.counts();
  }

  /** Stops the timer and waits for a round in progress; the store stays open (its owner closes it). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs rounds until nothing is due now; resolves when done. For tests and for the timer. */
  async drain(): Promise<RoundReport> {
    const total: RoundReport = { attempted: 0, delivered: 0, retried: 0, dead: 0 };
    for (;;) {
      const r = await this.round();
      if (r.attempted === 0) return total;
      total.attempted += r.attempted;
      total.delivered += r.delivered;
      total.retried += r.retried;
      total.dead += r.dead;
    }
  }

  /** One round: each due entry not already in flight gets one signed attempt. */
  async round(): Promise<RoundReport> {
    const report: RoundReport = { attempted: 0, delivered: 0, retried: 0, dead: 0 };
    const rows = this.store.due(this.now(), this.settings.batchSize).filter((r) => !this.inFlight.has(keyOf(r.actuator, r.decisionId)));
    if (rows.length === 0) return report;
    for (const r of rows) this.inFlight.add(keyOf(r.actuator, r.decisionId));
    try {
      const byActuator = new Map<string, OutboxRow[]>();
      for (const r of rows) byActuator.set(r.actuator, [...(byActuator.get(r.actuator) ?? []), r]);
      for (const [actuator, group] of byActuator) {
        // By id: the consumer hands the delay function its own wrapper of each message, not ours.
        const rowOf = new Map<string | undefined, OutboxRow>();
        const messages = group.map((row) => {
          const message: QueueMessageLike = {
            id: row.decisionId,
            body: asQueued(row),
            // The stored count is every POST so far; with attempts 1 the consumer sends row.attempts + 1.
            attempts: 1,
            ack: () => undefined,
            retry: () => undefined,
          };
          rowOf.set(row.decisionId, row);
          return message;
        });
        const results = await handleQueueBatch({ messages }, { ...this.configFor(actuator), actuator }, this.deps, {
          // After round k the window is the (k+1)-th: the in-process attempts used the first.
          retryDelaySeconds: (m) => this.delayMs((rowOf.get(m.id)?.rounds ?? 0) + 2) / 1000,
        });
        results.forEach((result, i) => {
          const row = group[i]!;
          const now = this.now();
          report.attempted++;
          const attempts = Math.max(row.attempts, result.attempt);
          if (result.action === 'ack') {
            report.delivered++;
            this.store.put({ ...row, state: 'delivered', attempts, rounds: row.rounds + 1, status: result.status ?? null, lastError: null, updatedAt: now });
            return;
          }
          const rounds = row.rounds + 1;
          const error = result.error ?? { code: 'InternalError' as const, message: 'not delivered' };
          if (rounds >= this.settings.maxRounds) {
            report.dead++;
            this.store.put({ ...row, state: 'dead', attempts, rounds, lastError: error, status: error.status ?? row.status, updatedAt: now });
            this.deps.log('error', `decision ${row.decisionId} for ${row.target} is dead after ${rounds} outbox rounds: ${error.message}; it stays in the outbox, no longer retried`, {
              event: 'OutboxDead',
              decisionId: row.decisionId,
              target: row.target,
              actuator,
              attempts,
              error,
            });
            return;
          }
          report.retried++;
          const wait = result.delaySeconds !== undefined && !NEEDS_OPERATOR.has(error.code) ? Math.round(result.delaySeconds * 1000) : this.delayMs(rounds + 1, error);
          this.store.put({ ...row, attempts, rounds, lastError: error, status: error.status ?? row.status, nextAttemptAt: now + wait, updatedAt: now });
        });
      }
    } finally {
      for (const r of rows) this.inFlight.delete(keyOf(r.actuator, r.decisionId));
    }
    this.onRound?.(report);
    return report;
  }

  /**
   * Wait before outbox round `round` (1 = the first after the in-process attempts): equal jitter in
   * the window min(max, base · 2^(round-1)), as the queue's, so it never collapses to zero; the whole
   * maximum when only an operator can fix the failure.
   */
  delayMs(round: number, error?: DeliveryError): number {
    const { retryBaseMs, retryMaxMs } = this.settings;
    if (error && NEEDS_OPERATOR.has(error.code)) return retryMaxMs;
    const window = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(Math.max(0, round - 1), 30));
    const r = this.deps.random();
    return Math.ceil(window / 2 + ((Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 0) * window) / 2);
  }

  /** Schedules the next round for the earliest due entry (at most maxSleepMs away). */
  private wake(): void {
    if (!this.started || this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.store.nextDue();
    if (next === undefined) return;
    const wait = Math.min(OUTBOX_DEFAULTS.maxSleepMs, Math.max(0, next - this.now()));
    this.timer = setTimeout(() => this.tick(), wait);
    (this.timer as { unref?: () => void }).unref?.();
  }

  private tick(): void {
    this.timer = undefined;
    if (this.stopped || this.running) return;
    this.running = this.drain()
      .then(
        () => undefined,
        (err: unknown) => this.deps.log('error', `outbox round failed: ${err instanceof Error ? err.message : String(err)}`, { event: 'OutboxRoundFailed' }),
      )
      .finally(() => {
        this.running = undefined;
        this.wake();
      });
  }
}

/** A stored entry as the queue consumer reads it: the decision, and its body to send verbatim. */
function asQueued(row: OutboxRow): QueuedDelivery | null {
  let decision: QueuedDelivery['decision'];
  try {
    decision = JSON.parse(row.body) as QueuedDelivery['decision'];
  } catch {
    return null; // the consumer reports it as an unusable body (InvalidDecision)
  }
  return {
    decision,
    body: row.body,
    attempts: row.attempts,
    lastError: row.lastError ?? { code: 'Unavailable', message: 'not delivered yet' },
    firstAttemptAt: row.firstAttemptAt,
  };
}

/** An OutboxStore in memory: the same semantics, nothing durable. For tests. */
export class MemoryOutboxStore implements OutboxStore {
  readonly rows = new Map<string, OutboxRow>();
  get(actuator: string, decisionId: string): OutboxRow | undefined {
    const r = this.rows.get(keyOf(actuator, decisionId));
    return r && { ...r };
  }
  put(row: OutboxRow): void {
    this.rows.set(keyOf(row.actuator, row.decisionId), { ...row });
  }
  due(now: number, limit: number): OutboxRow[] {
    return [...this.rows.values()]
      .filter((r) => r.state === 'pending' && r.nextAttemptAt <= now)
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt)
      .slice(0, limit)
      .map((r) => ({ ...r }));
  }
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const r of this.rows.values()) if (r.state === 'pending' && (next === undefined || r.nextAttemptAt < next)) next = r.nextAttemptAt;
    return next;
  }
  makeAllDue(now: number): number {
    let n = 0;
    for (const r of this.rows.values()) {
      if (r.state !== 'pending') continue;
      r.nextAttemptAt = Math.min(r.nextAttemptAt, now);
      n++;
    }
    return n;
  }
  prune(before: number): number {
    let n = 0;
    for (const [k, r] of this.rows) {
      if (r.state !== 'delivered' || r.updatedAt >= before) continue;
      this.rows.delete(k);
      n++;
    }
    return n;
  }
  counts(): Record<OutboxState, number> {
    const c = { pending: 0, delivered: 0, dead: 0 };
    for (const r of this.rows.values()) c[r.state]++;
    return c;
  }
  close(): void {}
}
