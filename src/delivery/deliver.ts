// Signed delivery of decisions to an external actuator: POST with retries, a queue for what fails, and the queue consumer.
//
// An adapter, not engine code: it does I/O, but every effect (fetch, sleep, clock, randomness, queue,
// log) is injected through `deps`, so tests are deterministic and the same code runs on Workers and Node 20.
// Contract with the actuator (docs/actuator.md):
//   2xx                       delivered.
//   5xx, 408, 429, no answer  transient: retried here with capped exponential backoff and full jitter,
//                             then handed to the queue, whose consumer keeps retrying with growing delays.
//   any other status (4xx, 3xx)  permanent for this request: not retried here, but still handed to the
//                             queue as a dead letter. A 401/404/422 usually means a wrong key, URL or
//                             version, which an operator fixes; the queued copy is then delivered.
// Nothing is dropped: a decision is delivered, or kept durably — on the Cloudflare Queue (Workers) or
// in the outbox (Node, `deps.outbox`, written before the first attempt) — also when its actuator has
// no URL yet. Only where neither exists is it logged: whole, at error level when it should have gone
// out. The HMAC key never appears in a log line, a queued message or an outbox entry.
import { ATTEMPT_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, formatSignatureHeader, signPayload } from './sign.js';
import { DELIVERY_ERROR_CODES, DELIVERY_OUTCOMES } from '../schemas/codes.js';
import type { DeliveryResult } from '../schemas/decision.js';
import { isoUtc } from '../syntax/duration.js';

/** A decision as delivered: only the idempotency key and the target are read; the rest goes out as is. */
export interface DeliverableDecision {
  decisionId: string;
  target: string;
  [k: string]: unknown;
}

export interface DeliveryConfig {
  /** The actuator's name ("default" or a rule set's `actuator`), for messages; default "default". */
  actuator?: string;
  /** Where to POST decisions (ACTUATOR_URL, ACTUATOR_URL_<NAME>). Absent: queued (or kept in the outbox) until it is set; logged only where neither exists. */
  actuatorUrl?: string;
  /** HMAC-SHA256 key (the ACTUATOR_HMAC_KEY secret). Absent with a URL: nothing is sent (NotConfigured). */
  hmacKey?: string;
  /** Tries per decision before it goes to the queue. */
  maxAttempts?: number;
  /** Ceiling of the first backoff window; the window doubles per retry. */
  baseDelayMs?: number;
  /** Largest backoff window. */
  maxDelayMs?: number;
  /** Per-attempt time limit. */
  timeoutMs?: number;
}

/** Anything with Cloudflare Queue's `send`; the producer binding DELIVERY_QUEUE fits. */
interface DeliveryQueue {
  send(body: unknown): Promise<unknown>;
}

type LogLevel = 'info' | 'warn' | 'error';

export interface DeliveryDeps {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  /** Unix seconds; fractions are dropped. */
  nowSeconds: () => number;
  /** A number in [0, 1), as Math.random; the backoff jitter draws from it so tests can pin it. */
  random: () => number;
  queue?: DeliveryQueue;
  /**
   * A durable outbox (Node: SQLite, src/cli/outbox-sqlite.ts). When present it takes the queue's
   * place and more: each decision is written to it before its first attempt, so a process killed
   * mid-retry loses nothing, and a decision id it already holds is not sent again.
   */
  outbox?: DeliveryOutbox;
  log: (level: LogLevel, msg: string, data?: unknown) => void;
}

/** What the outbox already knew of a decision when asked to hold it. */
export type OutboxHold =
  /** Newly written: the caller attempts it now and reports back. */
  | { state: 'held' }
  /** Waiting for the outbox's own retries (or a dead entry, revived and due now): not attempted here. */
  | { state: 'pending'; attempts: number; lastError?: DeliveryError }
  /** Delivered before: not sent again (the same id is the same decision). */
  | { state: 'delivered'; attempts: number; status?: number };

/** The durable store `deliverDecisions` writes through (src/delivery/outbox.ts implements it over a store). */
export interface DeliveryOutbox {
  /** Durably records the exact body before any attempt. Rejects when it cannot write; nothing is sent unrecorded then. */
  hold(entry: { actuator: string; decisionId: string; target: string; body: string; firstAttemptAt: string }): Promise<OutboxHold>;
  /** The in-process attempts got a 2xx. */
  delivered(actuator: string, decisionId: string, result: { attempts: number; status: number }): Promise<void>;
  /** Not delivered in process (or nothing could be sent): the outbox retries it with backoff. */
  retryLater(actuator: string, decisionId: string, result: { attempts: number; error: DeliveryError }): Promise<void>;
}

export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export type DeliveryErrorCode = (typeof DELIVERY_ERROR_CODES)[number];

export interface DeliveryError {
  code: DeliveryErrorCode;
  message: string;
  /** The HTTP status, when the actuator answered. */
  status?: number;
}

/** Body of a queue message: everything the consumer needs to redeliver with the same idempotency key. */
export interface QueuedDelivery {
  decision: DeliverableDecision;
  /**
   * The exact bytes signed and sent, when the store keeps them (the Node outbox does); every attempt
   * then signs and sends these bytes. Cloudflare Queue messages leave it out (a second copy would
   * count against the 128 KB message limit): there `decision` is serialised again, and JSON.stringify
   * of a structured-cloned value gives the same bytes.
   */
  body?: string;
  /** POSTs made before it was queued; the consumer numbers its own attempts after these. */
  attempts: number;
  lastError: DeliveryError;
  /** ISO 8601: when delivery was first tried (or refused, for NotConfigured). */
  firstAttemptAt: string;
}

export const DELIVERY_DEFAULTS = {
  /** Four tries with the default windows wait at most 0.2 + 0.4 + 0.8 s: short enough to finish inside a cron run. */
  maxAttempts: 4,
  /** 200 ms: an actuator restart or a brief overload usually clears within a second or two. */
  baseDelayMs: 200,
  /** 2 s: the queue takes over for longer outages, so waiting longer in-process only holds the invocation open. */
  maxDelayMs: 2_000,
  /** 10 s per attempt: an actuator only has to record the decision, and a hung connection must not eat the run. */
  timeoutMs: 10_000,
} as const;

/** Each attempt is a subrequest; Workers Free allows 50 per invocation, so one decision may never take more than 10. */
export const MAX_ATTEMPTS_LIMIT = 10;
/** 60 s: longer backoff belongs to the queue, whose delays run without holding the invocation open. */
const MAX_DELAY_LIMIT_MS = 60_000;
/**
 * Decisions in flight at once. Workers allow six simultaneous outgoing connections per invocation
 * (developers.cloudflare.com/workers/platform/limits, "Simultaneous open connections"); a seventh waits
 * inside the runtime while its timeout already runs. Results keep the input order regardless.
 */
export const DELIVERY_CONCURRENCY = 6;
/** First queue redelivery window: by then an actuator restart is over, and a batch of failures is spread out. */
export const QUEUE_RETRY_BASE_SECONDS = 30;
/**
 * Longest queue redelivery delay, also used for permanent failures and missing configuration, which
 * need an operator. One hour keeps retrying through a long outage well under Cloudflare's 12 h
 * (43,200 s) ceiling on delaySeconds; the queue's max_retries and dead_letter_queue settings
 * (wrangler.toml) decide when a message finally leaves the queue.
 */
export const QUEUE_RETRY_MAX_SECONDS = 3_600;
/** Longest idempotency key we send; Stripe's limit is 255 characters and our ids are 64-character hex. */
const MAX_DECISION_ID_LENGTH = 255;

type Settings = { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; timeoutMs: number };
type Mode = { kind: 'log' } | { kind: 'notConfigured'; error: DeliveryError } | { kind: 'send'; url: string; key: string };
type AttemptResult = { ok: true; status: number } | { ok: false; retryable: boolean; error: DeliveryError };

/**
 * Delivers each decision with one signed POST (retried on transient failures), concurrently up to
 * DELIVERY_CONCURRENCY, and returns one result per decision in input order. Never rejects.
 */
export async function deliverDecisions(
  decisions: readonly DeliverableDecision[],
  config: DeliveryConfig,
  deps: DeliveryDeps,
): Promise<DeliveryResult[]> {
  const settings = resolveSettings(config, deps);
  const mode = resolveMode(config, deps);
  const actuator = config.actuator ?? DEFAULT_ACTUATOR_NAME;
  if (mode.kind === 'notConfigured' && decisions.length > 0) {
    deps.log('error', `delivery is not configured, nothing was sent: ${mode.error.message}`, {
      event: 'DeliveryNotConfigured',
      actuator,
      decisions: decisions.length,
      kept: deps.outbox ? 'outbox' : deps.queue ? 'queue' : 'none',
    });
  }
  return mapConcurrent(decisions, DELIVERY_CONCURRENCY, async (decision) => {
    try {
      return await deliverOne(decision, actuator, mode, settings, deps);
    } catch (err) {
      // Only a throwing dependency (log, sleep, queue's own bugs) gets here; report it as a value.
      const error: DeliveryError = { code: 'InternalError', message: `delivery threw: ${errorText(err)}` };
      safeLog(deps, 'error', `decision ${describe(decision)} was not delivered: ${error.message}`, { event: 'Undeliverable', actuator, outcome: 'failed', decision, error });
      return { ...identity(decision), outcome: 'failed', attempts: 0, error };
    }
  });
}

/** The name a rule set gets when it names no actuator; its URL is ACTUATOR_URL. */
export const DEFAULT_ACTUATOR_NAME = 'default';

/** The variable holding an actuator's URL: "default" → ACTUATOR_URL, any other name X → ACTUATOR_URL_X (upper-cased). */
export function actuatorVariable(name: string): string {
  return name === DEFAULT_ACTUATOR_NAME ? 'ACTUATOR_URL' : `ACTUATOR_URL_${name.toUpperCase()}`;
}

async function deliverOne(decision: DeliverableDecision, actuator: string, mode: Mode, settings: Settings, deps: DeliveryDeps): Promise<DeliveryResult> {
  const base = identity(decision);
  const prepared = prepareBody(decision);
  if (!prepared.ok) {
    // Not queued: the consumer could not deliver it either. The whole decision goes to the error log.
    deps.log('error', `decision ${describe(decision)} cannot be delivered: ${prepared.error.message}`, { event: 'Undeliverable', actuator, outcome: 'failed', decision, error: prepared.error });
    return { ...base, outcome: 'failed', attempts: 0, error: prepared.error };
  }
  const firstAttemptAt = isoFromSeconds(deps.nowSeconds());

  // Node: the decision is on disk before anything is sent, so no crash between here and a 2xx loses it.
  let held = false;
  if (deps.outbox) {
    try {
      const known = await deps.outbox.hold({ actuator, decisionId: decision.decisionId, target: decision.target, body: prepared.body, firstAttemptAt });
      if (known.state === 'delivered') {
        deps.log('info', `decision ${decision.decisionId} for ${decision.target} was delivered before; not sent again`, {
          event: 'AlreadyDelivered',
          decisionId: decision.decisionId,
          target: decision.target,
          actuator,
          outcome: 'delivered',
        });
        return { ...base, outcome: 'delivered', attempts: 0, ...(known.status !== undefined && { status: known.status }) };
      }
      if (known.state === 'pending') {
        const error = known.lastError ?? { code: 'Unavailable' as const, message: 'waiting in the outbox for its next attempt' };
        return { ...base, outcome: 'queued', attempts: 0, ...(error.status !== undefined && { status: error.status }), error };
      }
      held = true;
    } catch (err) {
      // Without a durable copy, still try to deliver; a failure is then reported (and logged whole) as failed.
      deps.log('error', `the outbox could not record decision ${decision.decisionId} for ${decision.target}: ${errorText(err)}`, { event: 'OutboxWriteFailed', decisionId: decision.decisionId, target: decision.target, actuator });
    }
  }

  if (mode.kind !== 'send') {
    const variable = actuatorVariable(actuator);
    const error: DeliveryError =
      mode.kind === 'notConfigured' ? mode.error : { code: 'NotConfigured', message: `actuator "${actuator}" has no URL: ${variable} is not set` };
    if (held) return keepForLater(decision, actuator, 0, error, deps);
    if (mode.kind === 'log' && !deps.queue) {
      // Nowhere to send it and nowhere to keep it (a worker without DELIVERY_QUEUE, or a unit test).
      deps.log('info', `decision for ${decision.target} (no ${variable}, logged only)`, { event: 'LoggedOnly', actuator, outcome: 'logged', decision });
      return { ...base, outcome: 'logged', attempts: 0 };
    }
    if (mode.kind === 'log') {
      // Queued, not logged: the consumer retries until the URL is set or the dead-letter queue takes it.
      deps.log('warn', `decision ${decision.decisionId} for ${decision.target} queued: ${variable} is not set; redelivered once it is, else moved to the dead-letter queue after max_retries`, {
        event: 'QueuedUntilConfigured',
        decisionId: decision.decisionId,
        target: decision.target,
        actuator,
        outcome: 'queued',
        variable,
      });
    }
    return deadLetter(decision, 0, error, firstAttemptAt, deps);
  }

  let lastError: DeliveryError = { code: 'InternalError', message: 'no attempt was made' };
  let attempts = 0;
  for (let attempt = 1; attempt <= settings.maxAttempts; attempt++) {
    if (attempt > 1) await deps.sleep(backoffDelayMs(attempt - 1, settings.baseDelayMs, settings.maxDelayMs, deps.random));
    attempts = attempt;
    const result = await attemptOnce(decision.decisionId, prepared.body, attempt, mode.url, mode.key, settings.timeoutMs, deps);
    if (result.ok) {
      deps.log('info', `delivered decision ${decision.decisionId} for ${decision.target} (HTTP ${result.status}, attempt ${attempt})`, {
        event: 'Delivered',
        decisionId: decision.decisionId,
        target: decision.target,
        actuator,
        attempt,
        status: result.status,
        outcome: 'delivered',
      });
      if (held) await markDelivered(decision, actuator, attempts, result.status, deps);
      return { ...base, outcome: 'delivered', attempts, status: result.status };
    }
    lastError = result.error;
    if (!result.retryable) break;
    if (attempt < settings.maxAttempts) {
      deps.log('warn', `delivery of ${decision.decisionId} failed (${result.error.message}); retrying`, {
        event: 'AttemptFailed',
        decisionId: decision.decisionId,
        target: decision.target,
        actuator,
        attempt,
        ...(result.error.status !== undefined && { status: result.error.status }),
        outcome: 'retrying',
        error: result.error,
      });
    }
  }
  if (lastError.code === 'Unavailable' || lastError.code === 'NetworkError') {
    lastError = { ...lastError, message: `${lastError.message} (after ${attempts} attempt${attempts === 1 ? '' : 's'})` };
  }
  if (held) return keepForLater(decision, actuator, attempts, lastError, deps);
  return deadLetter(decision, attempts, lastError, firstAttemptAt, deps);
}

/** A held decision was not delivered in process: the outbox keeps it and retries with backoff. */
async function keepForLater(decision: DeliverableDecision, actuator: string, attempts: number, lastError: DeliveryError, deps: DeliveryDeps): Promise<DeliveryResult> {
  const base = { ...identity(decision), attempts, ...(lastError.status !== undefined && { status: lastError.status }) };
  try {
    await deps.outbox!.retryLater(actuator, decision.decisionId, { attempts, error: lastError });
  } catch (err) {
    // The entry was written as due when it was held, so the outbox still retries it; only the bookkeeping failed.
    deps.log('error', `the outbox could not record the failed attempts of ${decision.decisionId}: ${errorText(err)}; it stays due for retry`, { event: 'OutboxWriteFailed', decisionId: decision.decisionId, actuator });
  }
  deps.log('warn', `decision ${decision.decisionId} for ${decision.target} kept in the outbox for retry: ${lastError.message}`, {
    event: lastError.code === 'NotConfigured' ? 'QueuedUntilConfigured' : 'Queued',
    decisionId: decision.decisionId,
    target: decision.target,
    actuator,
    ...(lastError.code === 'NotConfigured' && { variable: actuatorVariable(actuator) }),
    attempts,
    ...(lastError.status !== undefined && { status: lastError.status }),
    outcome: 'queued',
    error: lastError,
  });
  return { ...base, outcome: 'queued', error: lastError };
}

async function markDelivered(decision: DeliverableDecision, actuator: string, attempts: number, status: number, deps: DeliveryDeps): Promise<void> {
  try {
    await deps.outbox!.delivered(actuator, decision.decisionId, { attempts, status });
  } catch (err) {
    // Delivered, but still marked due: the outbox will send it once more, which the actuator deduplicates.
    deps.log('error', `the outbox could not mark ${decision.decisionId} delivered: ${errorText(err)}; it may be sent once more`, { event: 'OutboxWriteFailed', decisionId: decision.decisionId, actuator });
  }
}

/** Hands an undelivered decision to the queue, or, without one (or when it refuses), logs all of it at error. */
async function deadLetter(
  decision: DeliverableDecision,
  attempts: number,
  lastError: DeliveryError,
  firstAttemptAt: string,
  deps: DeliveryDeps,
): Promise<DeliveryResult> {
  const base = { ...identity(decision), attempts, ...(lastError.status !== undefined && { status: lastError.status }) };
  if (deps.queue) {
    const message: QueuedDelivery = { decision, attempts, lastError, firstAttemptAt };
    try {
      await deps.queue.send(message);
      deps.log('warn', `decision ${decision.decisionId} for ${decision.target} queued for redelivery: ${lastError.message}`, {
        event: 'Queued',
        decisionId: decision.decisionId,
        target: decision.target,
        actuator: actuatorName(decision),
        attempts,
        ...(lastError.status !== undefined && { status: lastError.status }),
        outcome: 'queued',
        error: lastError,
      });
      return { ...base, outcome: 'queued', error: lastError };
    } catch (err) {
      const error: DeliveryError = {
        code: 'QueueSendFailed',
        message: `${lastError.message}; the queue refused it too: ${errorText(err)}`,
        ...(lastError.status !== undefined && { status: lastError.status }),
      };
      deps.log('error', `decision ${decision.decisionId} for ${decision.target} was neither delivered nor queued`, {
        event: 'Undeliverable',
        actuator: actuatorName(decision),
        attempts,
        outcome: 'failed',
        error,
        firstAttemptAt,
        decision,
      });
      return { ...base, outcome: 'failed', error };
    }
  }
  deps.log('error', `decision ${decision.decisionId} for ${decision.target} was not delivered and no queue is bound: ${lastError.message}`, {
    event: 'Undeliverable',
    actuator: actuatorName(decision),
    attempts,
    ...(lastError.status !== undefined && { status: lastError.status }),
    outcome: 'failed',
    error: lastError,
    firstAttemptAt,
    decision,
  });
  return { ...base, outcome: 'failed', error: lastError };
}

/** One signed POST. A fresh timestamp per attempt, so a late retry is never stale on arrival. */
async function attemptOnce(
  decisionId: string,
  body: string,
  attempt: number,
  url: string,
  key: string,
  timeoutMs: number,
  deps: DeliveryDeps,
): Promise<AttemptResult> {
  const timestamp = Math.floor(deps.nowSeconds());
  const signature = await signPayload(key, timestamp, body);
  let response: Response;
  try {
    response = await deps.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: formatSignatureHeader(timestamp, signature),
        [IDEMPOTENCY_HEADER]: decisionId,
        [ATTEMPT_HEADER]: String(attempt),
      },
      body,
      // A redirect would carry the signed body to a URL nobody configured; report it instead (Rejected).
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const name = (err as { name?: unknown } | null)?.name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    return {
      ok: false,
      retryable: true,
      error: { code: 'NetworkError', message: timedOut ? `no answer within ${timeoutMs} ms` : `request failed: ${errorText(err)}` },
    };
  }
  // Release the connection: Workers count an unread body against the six open connections.
  await response.body?.cancel().catch(() => undefined);
  const status = response.status;
  if (status >= 200 && status <= 299) return { ok: true, status };
  if (isRetryableStatus(status)) {
    return { ok: false, retryable: true, error: { code: 'Unavailable', message: `actuator answered HTTP ${status}`, status } };
  }
  return { ok: false, retryable: false, error: { code: 'Rejected', message: `actuator answered HTTP ${status}, which a retry will not change`, status } };
}

/**
 * Transient statuses (RFC 9110): 408 Request Timeout and 429 Too Many Requests say "try again later";
 * every 5xx is a server-side failure. Any other non-2xx answer is about the request itself.
 */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Wait before retry number `retry` (1 = before the second attempt): "full jitter" from AWS's
 * "Exponential Backoff and Jitter", sleep = random_between(0, min(cap, base * 2^(retry-1))).
 * Full jitter spreads many clients' retries evenly instead of having them return together.
 */
function backoffDelayMs(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return Math.floor(unit(random()) * ceiling);
}

/**
 * Delay for the queue's redelivery after consumer attempt `messageAttempts` (Cloudflare's
 * message.attempts, 1 on the first delivery): the window min(max, base * 2^(n-1)), with "equal
 * jitter" (half fixed, half random) so a delay never collapses to zero against a down actuator.
 */
function queueRetryDelaySeconds(messageAttempts: number, random: () => number): number {
  const n = Math.max(1, Math.floor(messageAttempts));
  const ceiling = Math.min(QUEUE_RETRY_MAX_SECONDS, QUEUE_RETRY_BASE_SECONDS * 2 ** Math.min(n - 1, 30));
  return Math.max(1, Math.ceil(ceiling / 2 + (unit(random()) * ceiling) / 2));
}

// ---------------------------------------------------------------------------------------------------
// Queue consumer

/** The parts of a Cloudflare Queues message the consumer uses (message.body, ack(), retry({ delaySeconds })). */
export interface QueueMessageLike {
  readonly id?: string;
  readonly body: unknown;
  /** Deliveries of this message to a consumer so far, counting the current one (starts at 1). */
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface QueueBatchLike {
  readonly messages: readonly QueueMessageLike[];
}

export interface QueueMessageResult {
  messageId?: string;
  decisionId?: string;
  target?: string;
  action: 'ack' | 'retry';
  /** The delivery attempt number sent in X-Edgescale-Delivery-Attempt (0 when nothing was sent). */
  attempt: number;
  delaySeconds?: number;
  status?: number;
  error?: DeliveryError;
}

/**
 * The Worker `queue()` handler's work: one signed attempt per message, ack on 2xx, retry({ delaySeconds })
 * otherwise, so a message stays queued until the actuator takes it (or the queue's max_retries sends it
 * to the dead-letter queue). One attempt, not an in-process retry loop: the queue's delay is the backoff
 * and costs no wall time. The idempotency key is the queued decision's id, unchanged across retries; the
 * attempt number continues from the in-process attempts. `deps.queue` is not used: a failed message is
 * retried in place, never re-sent. Every message is acked or retried exactly once.
 */
export interface QueueConsumerOptions {
  /**
   * Delay before a message that failed transiently comes back (default queueRetryDelaySeconds on
   * message.attempts). The Node outbox passes its own, shorter schedule: it holds no invocation open.
   */
  retryDelaySeconds?: (message: QueueMessageLike) => number;
}

export async function handleQueueBatch(batch: QueueBatchLike, config: DeliveryConfig, deps: DeliveryDeps, options: QueueConsumerOptions = {}): Promise<QueueMessageResult[]> {
  const settings = resolveSettings(config, deps);
  const mode = resolveMode(config, deps);
  return mapConcurrent(batch.messages, DELIVERY_CONCURRENCY, async (message) => {
    const messageId = message.id;
    const ids = { ...(messageId !== undefined && { messageId }) };
    // Settle each message once, even if something throws after its ack or retry.
    let settledAs: 'ack' | 'retry' | undefined;
    const once: QueueMessageLike = {
      ...(messageId !== undefined && { id: messageId }),
      body: message.body,
      attempts: message.attempts,
      ack: () => {
        if (settledAs) return;
        settledAs = 'ack';
        message.ack();
      },
      retry: (options) => {
        if (settledAs) return;
        settledAs = 'retry';
        if (options === undefined) message.retry();
        else message.retry(options);
      },
    };
    try {
      return await handleMessage(once, config, mode, settings, deps, options);
    } catch (err) {
      const error: DeliveryError = { code: 'InternalError', message: `consumer threw: ${errorText(err)}` };
      const delaySeconds = queueRetryDelaySeconds(message.attempts, deps.random);
      const before = settledAs;
      once.retry({ delaySeconds });
      safeLog(deps, 'error', `queued delivery ${messageId ?? ''}: ${error.message}`, { body: message.body, error });
      return { ...ids, action: before ?? 'retry', attempt: 0, ...(before === undefined && { delaySeconds }), error };
    }
  });
}

async function handleMessage(
  message: QueueMessageLike,
  config: DeliveryConfig,
  mode: Mode,
  settings: Settings,
  deps: DeliveryDeps,
  options: QueueConsumerOptions,
): Promise<QueueMessageResult> {
  const ids = { ...(message.id !== undefined && { messageId: message.id }) };
  const queued = asQueuedDelivery(message.body);
  if (!queued) {
    // A poison message: retrying cannot fix it, but acking would drop it. Retry with the queue's own
    // delay so max_retries moves it to the dead-letter queue, where it can be inspected.
    const error: DeliveryError = { code: 'InvalidDecision', message: 'queue message is not { decision: { decisionId, target }, attempts, lastError, firstAttemptAt }' };
    message.retry();
    deps.log('error', `queued delivery ${message.id ?? ''} has an unusable body; left for the dead-letter queue`, { event: 'Undeliverable', outcome: 'retrying', body: message.body, error });
    return { ...ids, action: 'retry', attempt: 0, error };
  }
  const { decision } = queued;
  const who = { ...ids, decisionId: decision.decisionId, target: decision.target };
  if (mode.kind !== 'send') {
    const actuator = config.actuator ?? DEFAULT_ACTUATOR_NAME;
    const variable = actuatorVariable(actuator);
    const error: DeliveryError =
      mode.kind === 'notConfigured' ? mode.error : { code: 'NotConfigured', message: `actuator "${actuator}" has no URL: ${variable} is not set` };
    const delaySeconds = QUEUE_RETRY_MAX_SECONDS;
    message.retry({ delaySeconds });
    deps.log('error', `queued decision ${decision.decisionId} for ${decision.target} left queued: ${error.message}; retried until it is set or the dead-letter queue takes it`, {
      event: 'QueuedUntilConfigured',
      decisionId: decision.decisionId,
      target: decision.target,
      actuator,
      ...(mode.kind === 'log' && { variable }),
      delaySeconds,
      error,
    });
    return { ...who, action: 'retry', attempt: 0, delaySeconds, error };
  }
  const prepared = queued.body !== undefined ? verbatimBody(queued.body, decision) : prepareBody(decision);
  if (!prepared.ok) {
    message.retry();
    deps.log('error', `queued decision cannot be delivered: ${prepared.error.message}; left for the dead-letter queue`, { event: 'Undeliverable', actuator: config.actuator ?? DEFAULT_ACTUATOR_NAME, outcome: 'retrying', decision, error: prepared.error });
    return { ...who, action: 'retry', attempt: 0, error: prepared.error };
  }
  const attempt = queued.attempts + Math.max(1, Math.floor(message.attempts));
  const result = await attemptOnce(decision.decisionId, prepared.body, attempt, mode.url, mode.key, settings.timeoutMs, deps);
  if (result.ok) {
    message.ack();
    deps.log('info', `delivered queued decision ${decision.decisionId} for ${decision.target} (HTTP ${result.status}, attempt ${attempt})`, {
      event: 'Delivered',
      decisionId: decision.decisionId,
      target: decision.target,
      actuator: config.actuator ?? DEFAULT_ACTUATOR_NAME,
      attempt,
      status: result.status,
      outcome: 'delivered',
      firstAttemptAt: queued.firstAttemptAt,
    });
    return { ...who, action: 'ack', attempt, status: result.status };
  }
  // Permanent answers need an operator, so wait the longest; transient ones back off with the attempts.
  const delaySeconds = !result.retryable
    ? QUEUE_RETRY_MAX_SECONDS
    : options.retryDelaySeconds
      ? options.retryDelaySeconds(message)
      : queueRetryDelaySeconds(message.attempts, deps.random);
  message.retry({ delaySeconds });
  deps.log(result.retryable ? 'warn' : 'error', `queued decision ${decision.decisionId} not delivered (${result.error.message}); retrying in ${delaySeconds} s`, {
    event: 'AttemptFailed',
    decisionId: decision.decisionId,
    target: decision.target,
    actuator: config.actuator ?? DEFAULT_ACTUATOR_NAME,
    attempt,
    ...(result.error.status !== undefined && { status: result.error.status }),
    outcome: 'retrying',
    delaySeconds,
    error: result.error,
  });
  return { ...who, action: 'retry', attempt, delaySeconds, ...(result.error.status !== undefined && { status: result.error.status }), error: result.error };
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function resolveMode(config: DeliveryConfig, deps: DeliveryDeps): Mode {
  const variable = actuatorVariable(config.actuator ?? DEFAULT_ACTUATOR_NAME);
  const rawUrl = config.actuatorUrl?.trim();
  if (!rawUrl) return { kind: 'log' };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { kind: 'notConfigured', error: { code: 'NotConfigured', message: `${variable} is not a valid URL` } };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { kind: 'notConfigured', error: { code: 'NotConfigured', message: `${variable} must be http(s), not ${url.protocol}` } };
  }
  const key = config.hmacKey;
  if (key === undefined || key === '') {
    // Refuse to send unsigned: an actuator that changes capacity must be able to tell our requests from anyone's.
    return { kind: 'notConfigured', error: { code: 'NotConfigured', message: `${variable} is set but ACTUATOR_HMAC_KEY is not; refusing to send unsigned decisions` } };
  }
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    deps.log('warn', `${variable} ${safeUrl(url)} is plain http: decisions travel unencrypted (signed, so not forgeable)`, { event: 'PlainHttp' });
  }
  return { kind: 'send', url: url.href, key };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Config numbers from strings or typos fall back to the default (with a warning) rather than disabling delivery. */
function resolveSettings(config: DeliveryConfig, deps: DeliveryDeps): Settings {
  const pick = (name: keyof Settings, value: number | undefined, min: number, max: number): number => {
    const fallback = DELIVERY_DEFAULTS[name];
    if (value === undefined) return fallback;
    if (!Number.isFinite(value) || value < min) {
      deps.log('warn', `delivery ${name}=${String(value)} is invalid; using ${fallback}`, { event: 'InvalidSetting' });
      return fallback;
    }
    return Math.min(Math.floor(value), max);
  };
  return {
    maxAttempts: pick('maxAttempts', config.maxAttempts, 1, MAX_ATTEMPTS_LIMIT),
    baseDelayMs: pick('baseDelayMs', config.baseDelayMs, 0, MAX_DELAY_LIMIT_MS),
    maxDelayMs: pick('maxDelayMs', config.maxDelayMs, 0, MAX_DELAY_LIMIT_MS),
    timeoutMs: pick('timeoutMs', config.timeoutMs, 1, MAX_DELAY_LIMIT_MS),
  };
}

/** Header values must be visible ASCII; our ids are 64 hex characters. */
const DECISION_ID_PATTERN = /^[\x21-\x7e]+$/;

function prepareBody(decision: DeliverableDecision): { ok: true; body: string } | { ok: false; error: DeliveryError } {
  const { decisionId, target } = (decision ?? {}) as Partial<DeliverableDecision>;
  if (typeof decisionId !== 'string' || decisionId.length > MAX_DECISION_ID_LENGTH || !DECISION_ID_PATTERN.test(decisionId)) {
    return { ok: false, error: { code: 'InvalidDecision', message: 'decisionId must be 1-255 visible ASCII characters (it is the Idempotency-Key)' } };
  }
  if (typeof target !== 'string' || target === '') {
    return { ok: false, error: { code: 'InvalidDecision', message: 'target must be a non-empty string' } };
  }
  try {
    return { ok: true, body: JSON.stringify(decision) };
  } catch (err) {
    return { ok: false, error: { code: 'InvalidDecision', message: `decision is not JSON-serialisable: ${errorText(err)}` } };
  }
}

/** A stored body is sent as it is, once it is certain to be the queued decision (same id and target). */
function verbatimBody(body: string, decision: DeliverableDecision): { ok: true; body: string } | { ok: false; error: DeliveryError } {
  let parsed: Partial<DeliverableDecision> | null;
  try {
    parsed = JSON.parse(body) as Partial<DeliverableDecision> | null;
  } catch {
    parsed = null;
  }
  if (parsed?.decisionId !== decision.decisionId || parsed?.target !== decision.target) {
    return { ok: false, error: { code: 'InvalidDecision', message: 'the stored body is not the queued decision' } };
  }
  const check = prepareBody(decision);
  return check.ok ? { ok: true, body } : check;
}

function asQueuedDelivery(body: unknown): QueuedDelivery | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Partial<QueuedDelivery>;
  const d = b.decision;
  if (typeof d !== 'object' || d === null || typeof d.decisionId !== 'string' || typeof d.target !== 'string') return undefined;
  const attempts = typeof b.attempts === 'number' && Number.isFinite(b.attempts) && b.attempts >= 0 ? Math.floor(b.attempts) : 0;
  const lastError = typeof b.lastError === 'object' && b.lastError !== null ? b.lastError : { code: 'InternalError' as const, message: 'unknown' };
  const firstAttemptAt = typeof b.firstAttemptAt === 'string' ? b.firstAttemptAt : '';
  return { decision: d, ...(typeof b.body === 'string' && { body: b.body }), attempts, lastError, firstAttemptAt };
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function identity(decision: DeliverableDecision): { decisionId: string; target: string } {
  const d = (decision ?? {}) as Partial<DeliverableDecision>;
  return { decisionId: typeof d.decisionId === 'string' ? d.decisionId : '', target: typeof d.target === 'string' ? d.target : '' };
}

/** The actuator a decision names, for log fields ("default" when it names none). */
function actuatorName(decision: DeliverableDecision): string {
  return typeof decision.actuator === 'string' && decision.actuator !== '' ? decision.actuator.toLowerCase() : DEFAULT_ACTUATOR_NAME;
}

function describe(decision: DeliverableDecision): string {
  const { decisionId, target } = identity(decision);
  return `${decisionId || '(no decisionId)'} for ${target || '(no target)'}`;
}

/** Origin and path only: a URL may carry credentials in its user-info or query. */
function safeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function isoFromSeconds(seconds: number): string {
  const ms = Math.floor(seconds) * 1000;
  return Number.isFinite(ms) ? isoUtc(ms) : '';
}

function unit(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function safeLog(deps: DeliveryDeps, level: LogLevel, msg: string, data?: unknown): void {
  try {
    deps.log(level, msg, data);
  } catch {
    // The logger itself failed; there is nowhere left to report to.
  }
}
