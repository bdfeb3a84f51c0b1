// The durable store of `edgescale serve`'s delivery outbox: SQLite through better-sqlite3, in the data directory.
//
// Node only. Imported dynamically by src/cli/main.ts when `serve` starts (validate, eval and import
// never load the native module), and never by the worker: src/index.ts does not reach src/cli/.
//
// Durability: WAL journal with synchronous=FULL, so every committed write — an entry held before its
// first attempt, each outcome — is on disk when the call returns and survives a killed process or a
// power cut. locking_mode=EXCLUSIVE plus an immediate write at open makes the database one server's:
// a second `edgescale serve` on the same directory is refused instead of delivering the same entries.
import { chmodSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Env } from '../env.js';
import { Outbox, type OutboxRow, type OutboxState, type OutboxStore, type RoundReport } from '../delivery/outbox.js';
import { configFor, liveDeps } from '../delivery/wiring.js';
import type { Logger } from '../observability/log.js';
import type { DeliveryError } from '../delivery/deliver.js';

/** The database file inside the data directory. */
export const OUTBOX_FILE = 'outbox.db';
/** Bumped when the table changes; an older file is migrated, a newer one refused. */
const SCHEMA_VERSION = 1;
/** Wait for the database lock at open: long enough for a previous server's exit, short enough to fail fast. */
const LOCK_TIMEOUT_MS = 2_000;

type Db = import('better-sqlite3').Database;

interface SqlRow {
  actuator: string;
  decision_id: string;
  target: string;
  body: string;
  state: OutboxState;
  attempts: number;
  rounds: number;
  next_attempt_at: number;
  first_attempt_at: string;
  last_error: string | null;
  status: number | null;
  updated_at: number;
}

function fromSql(r: SqlRow): OutboxRow {
  let lastError: DeliveryError | null;
  try {
    lastError = r.last_error === null ? null : (JSON.parse(r.last_error) as DeliveryError);
  } catch {
    lastError = { code: 'InternalError', message: 'unreadable stored error' };
  }
  return {
    actuator: r.actuator,
    decisionId: r.decision_id,
    target: r.target,
    body: r.body,
    state: r.state,
    attempts: r.attempts,
    rounds: r.rounds,
    nextAttemptAt: r.next_attempt_at,
    firstAttemptAt: r.first_attempt_at,
    lastError,
    status: r.status,
    updatedAt: r.updated_at,
  };
}

export class SqliteOutboxStore implements OutboxStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      get: db.prepare<SqlRow>('SELECT * FROM outbox WHERE actuator = ? AND decision_id = ?'),
      put: db.prepare(
        `INSERT INTO outbox (actuator, decision_id, target, body, state, attempts, rounds, next_attempt_at, first_attempt_at, last_error, status, updated_at)
         VALUES (@actuator, @decision_id, @target, @body, @state, @attempts, @rounds, @next_attempt_at, @first_attempt_at, @last_error, @status, @updated_at)
         ON CONFLICT (actuator, decision_id) DO UPDATE SET target = excluded.target, body = excluded.body, state = excluded.state,
           attempts = excluded.attempts, rounds = excluded.rounds, next_attempt_at = excluded.next_attempt_at,
           first_attempt_at = excluded.first_attempt_at, last_error = excluded.last_error, status = excluded.status, updated_at = excluded.updated_at`,
      ),
      due: db.prepare<SqlRow>("SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?"),
      nextDue: db.prepare<{ next: number | null }>("SELECT MIN(next_attempt_at) AS next FROM outbox WHERE state = 'pending'"),
      makeAllDue: db.prepare("UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at > ?"),
      prune: db.prepare("DELETE FROM outbox WHERE state = 'delivered' AND updated_at < ?"),
      counts: db.prepare<{ state: OutboxState; n: number }>('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state'),
    };
  }

  get(actuator: string, decisionId: string): OutboxRow | undefined {
    const r = this.stmts.get.get(actuator, decisionId);
    return r && fromSql(r);
  }

  put(row: OutboxRow): void {
    this.stmts.put.run({
      actuator: row.actuator,
      decision_id: row.decisionId,
      target: row.target,
      body: row.body,
      state: row.state,
      attempts: row.attempts,
      rounds: row.rounds,
      next_attempt_at: Math.floor(row.nextAttemptAt),
      first_attempt_at: row.firstAttemptAt,
      last_error: row.lastError === null ? null : JSON.stringify(row.lastError),
      status: row.status,
      updated_at: Math.floor(row.updatedAt),
    });
  }

  due(now: number, limit: number): OutboxRow[] {
    return this.stmts.due.all(Math.floor(now), limit).map(fromSql);
  }

  nextDue(): number | undefined {
    return this.stmts.nextDue.get()?.next ?? undefined;
  }

  makeAllDue(now: number): number {
    return this.stmts.makeAllDue.run(Math.floor(now), Math.floor(now)).changes;
  }

  prune(before: number): number {
    return this.stmts.prune.run(Math.floor(before)).changes;
  }

  counts(): Record<OutboxState, number> {
    const c: Record<OutboxState, number> = { pending: 0, delivered: 0, dead: 0 };
    for (const { state, n } of this.stmts.counts.all()) c[state] = n;
    return c;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Creates the table on a new file, or checks the version of an existing one. */
function migrate(db: Db): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) throw new Error(`the outbox was written by a newer edgescale (schema ${version}, this one knows ${SCHEMA_VERSION})`);
  if (version === SCHEMA_VERSION) return;
  db.exec(`
    BEGIN IMMEDIATE;
    CREATE TABLE IF NOT EXISTS outbox (
      actuator TEXT NOT NULL,
      decision_id TEXT NOT NULL,
      target TEXT NOT NULL,
      body TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
      attempts INTEGER NOT NULL,
      rounds INTEGER NOT NULL,
      next_attempt_at INTEGER NOT NULL,
      first_attempt_at TEXT NOT NULL,
      last_error TEXT,
      status INTEGER,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (actuator, decision_id)
    );
    CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at);
    PRAGMA user_version = ${SCHEMA_VERSION};
    COMMIT;
  `);
}

/** Opens (creating when needed) the outbox database in `dataDir`, owned by this process until closed. */
export async function openSqliteOutboxStore(dataDir: string): Promise<{ store: SqliteOutboxStore; file: string }> {
  const dir = resolve(dataDir);
  // 0700: decisions name targets and capacities; nobody else on the machine needs to read them.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, OUTBOX_FILE);
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file, { timeout: LOCK_TIMEOUT_MS });
  try {
    // Exclusive before the first WAL access: no shared-memory file, and the lock stays with this connection.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Take the write lock now, so a second server on this directory fails here and not at its first delivery.
    db.exec('BEGIN IMMEDIATE; COMMIT;');
    migrate(db);
    try {
      chmodSync(file, 0o600);
    } catch {
      // Not ours to change (another owner's file); the directory's mode still applies.
    }
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new Error(`${file} is in use by another process (another edgescale serve with the same --data-dir?)`, { cause: error });
    }
    throw error;
  }
  return { store: new SqliteOutboxStore(db), file };
}

export interface RunningOutbox {
  outbox: Outbox;
  file: string;
  counts: Record<OutboxState, number>;
  /** Stops the rounds, waits for one in progress, and closes the database. */
  stop(): Promise<void>;
}

/** The outbox `edgescale serve` delivers through: opened in `dataDir`, rounds started, pending entries due at once; each round's outcome told to `onRound` (the metrics). */
export async function startOutbox(dataDir: string, env: Env, log: Logger, onRound?: (report: RoundReport) => void): Promise<RunningOutbox> {
  const { store, file } = await openSqliteOutboxStore(dataDir);
  const deps = liveDeps(env, log.with({ source: 'outbox' }));
  const outbox = new Outbox({ store, deps, configFor: (name) => configFor(env, name), ...(onRound && { onRound }) });
  const counts = outbox.start();
  return {
    outbox,
    file,
    counts,
    stop: async () => {
      await outbox.stop();
      store.close();
    },
  };
}
