// Structured logs: one record per event, a level threshold, secrets scrubbed; formatting is pure and the adapters hand in the sink.
//
// Every adapter logs through a `Logger`: the Worker (src/index.ts) writes each record as one JSON line
// through console (Workers Logs indexes its fields), `edgescale serve` (src/cli/main.ts) as one JSON
// line, or one human-readable line when stdout is a terminal. Fields are documented in
// docs/operations.md; what a record holds is never a secret: values under secret-looking names are
// replaced, and the configured secrets themselves are cut out of every string (scrub()).

import { isoUtc } from '../syntax/duration.js';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** A threshold: a level, or `off` (nothing is written; how the test suites run). */
export type LogThreshold = LogLevel | 'off';

const RANK: Record<LogThreshold, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };

/** Without EDGESCALE_LOG_LEVEL: requests, decisions that change capacity, deliveries, and every problem. */
const DEFAULT_LOG_LEVEL: LogLevel = 'info';

/** One event. `event` is a stable dotted name to filter on (docs/operations.md lists them); `message` is for people. */
export interface LogRecord {
  time: string;
  level: LogLevel;
  event: string;
  message: string;
  [field: string]: unknown;
}

/** Where records go: the adapter's console, stdout/stderr, or a test's array. */
export type LogSink = (record: LogRecord) => void;

export interface Logger {
  /** Whether a record at `level` would be written; callers skip building costly fields otherwise. */
  enabled(level: LogLevel): boolean;
  log(level: LogLevel, event: string, message: string, fields?: Record<string, unknown>): void;
  debug(event: string, message: string, fields?: Record<string, unknown>): void;
  info(event: string, message: string, fields?: Record<string, unknown>): void;
  warn(event: string, message: string, fields?: Record<string, unknown>): void;
  error(event: string, message: string, fields?: Record<string, unknown>): void;
  /** Logs at most once per `key` for this logger and every logger derived from it: a misconfiguration is told once, not per request. */
  once(key: string, level: LogLevel, event: string, message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` (a request's id) to every record. */
  with(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  sink: LogSink;
  level?: LogThreshold;
  /** Epoch ms, for `time`. */
  clock?: () => number;
  /** Values never to be written (API tokens, signing keys): cut out of every string of every record. */
  secrets?: readonly string[];
  /** Keys already logged by once(); shared so the same warning is told once across loggers of one process or isolate. */
  told?: Set<string>;
}

/** EDGESCALE_LOG_LEVEL: a level name (any case) or "off"; anything else is the default, and says so (unknownLevel). */
export function logThreshold(value: string | undefined): LogThreshold {
  const v = value?.trim().toLowerCase();
  return v === 'off' || (LOG_LEVELS as readonly string[]).includes(v ?? '') ? (v as LogThreshold) : DEFAULT_LOG_LEVEL;
}

/** The value of EDGESCALE_LOG_LEVEL when it is set but not a level, so it can be warned about. */
export function unknownLevel(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase();
  return v && v !== 'off' && !(LOG_LEVELS as readonly string[]).includes(v) ? value : undefined;
}

/**
 * Field names whose values are secrets whatever they hold: credentials in headers, keys, tokens,
 * signatures. Matched case-insensitively anywhere in the name (`authorization`, `hmacKey`,
 * `EDGESCALE_API_TOKEN`, `x-edgescale-signature`). `keyId` and `decisionId` are not secrets and do
 * not match; nor does a bare `token`, which in a decision's trace is the JSONata token an error points at.
 */
const SECRET_NAME = /authorization|cookie|passw|secret|api[_-]?token|access[_-]?token|bearer|signature|key$|hmac/i;
export const REDACTED = '[redacted]';

/**
 * How deep a record's fields are copied: deeper than any decision (trace → rules → condition →
 * budget is 6), shallow enough that a cyclic or hostile value cannot make a log call expensive.
 */
const MAX_FIELD_DEPTH = 12;
/** Shortest configured value scrubbed from strings: secrets are at least 32 characters (src/http/credentials.ts); a short one would cut ordinary words. */
const MIN_SECRET_LENGTH = 16;

/** Field names already tested against SECRET_NAME: records repeat a few dozen names. Bounded; cleared when full. */
const SECRET_NAMES = new Map<string, boolean>();
const SECRET_NAMES_SIZE = 256;

function secretName(k: string): boolean {
  let secret = SECRET_NAMES.get(k);
  if (secret === undefined) {
    secret = SECRET_NAME.test(k);
    // Names longer than this are not kept, so the cache stays small whatever a caller's fields are called.
    if (k.length <= 64) {
      if (SECRET_NAMES.size >= SECRET_NAMES_SIZE) SECRET_NAMES.clear();
      SECRET_NAMES.set(k, secret);
    }
  }
  return secret;
}

/** A JSON-safe copy of `value` with secret-named fields redacted and secret values cut out of strings. */
export function scrub(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return scrub({ name: value.name, message: value.message, ...(value.stack && { stack: value.stack }) }, secrets, depth);
  if (typeof value !== 'object') return value === undefined ? undefined : String(value);
  if (depth >= MAX_FIELD_DEPTH) return '[deeper than the log keeps]';
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k] = v !== null && v !== '' && secretName(k) ? REDACTED : scrub(v, secrets, depth + 1);
  }
  return out;
}

export function createLogger(options: LoggerOptions): Logger {
  const threshold = RANK[options.level ?? DEFAULT_LOG_LEVEL];
  const clock = options.clock ?? Date.now;
  const secrets = (options.secrets ?? []).filter((s) => s.length >= MIN_SECRET_LENGTH);
  const told = options.told ?? new Set<string>();
  const make = (base: Record<string, unknown>): Logger => {
    const enabled = (level: LogLevel) => RANK[level] >= threshold;
    const log = (level: LogLevel, event: string, message: string, fields?: Record<string, unknown>) => {
      if (!enabled(level)) return;
      // What scrub({ ...base, ...fields }) spread after the head gave, written into the record directly
      // (a record per request and per decision): the fields' values win, an undefined one removes the
      // key, a secret-named key is redacted.
      const record: LogRecord = { time: isoUtc(clock()), level, event, message: scrub(message, secrets) as string };
      const into = record as unknown as Record<string, unknown>;
      const put = (k: string, v: unknown) => {
        if (v !== undefined) into[k] = v !== null && v !== '' && secretName(k) ? REDACTED : scrub(v, secrets, 1);
      };
      for (const k of Object.keys(base)) put(k, fields !== undefined && Object.hasOwn(fields, k) ? fields[k] : base[k]);
      if (fields) for (const k of Object.keys(fields)) if (!Object.hasOwn(base, k)) put(k, fields[k]);
      try {
        options.sink(record);
      } catch {
        // The sink itself failed (a closed stream); there is nowhere left to report to.
      }
    };
    return {
      enabled,
      log,
      debug: (e, m, f) => log('debug', e, m, f),
      info: (e, m, f) => log('info', e, m, f),
      warn: (e, m, f) => log('warn', e, m, f),
      error: (e, m, f) => log('error', e, m, f),
      once: (key, level, e, m, f) => {
        if (told.has(key)) return;
        told.add(key);
        log(level, e, m, f);
      },
      with: (fields) => make({ ...base, ...fields }),
    };
  };
  return make({});
}

/** A logger that writes nothing. */
export const silentLogger: Logger = createLogger({ sink: () => undefined, level: 'off' });

/** One JSON object on one line; the record is already JSON-safe (scrub). */
export function jsonLine(record: LogRecord): string {
  return JSON.stringify(record);
}

/** Fields the text line shows in its head, not again as key=value. */
const TEXT_HEAD = new Set(['time', 'level', 'event', 'message']);

/**
 * One line for a person at a terminal: time, level, event, message, then the other fields as
 * key=value (objects as compact JSON, so nothing is cut short).
 */
export function textLine(record: LogRecord): string {
  const rest = Object.entries(record)
    .filter(([k]) => !TEXT_HEAD.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' && /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v)}`);
  // `time` is written as answers write instants (isoUtc: no `.000` on a whole second); a terminal shows milliseconds always.
  const clockTime = record.time.length > 20 ? record.time.slice(11, 23) : `${record.time.slice(11, 19)}.000`;
  return [clockTime, record.level.toUpperCase().padEnd(5), record.event, record.message, ...rest].join(' ');
}

/** The Workers sink: one JSON line through console, by level, so Workers Logs files it under the right level too. */
export function consoleSink(record: LogRecord): void {
  const line = jsonLine(record);
  if (record.level === 'error') console.error(line);
  else if (record.level === 'warn') console.warn(line);
  else console.log(line);
}
