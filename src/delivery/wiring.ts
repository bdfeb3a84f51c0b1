// From worker bindings to delivery config and deps: which URL each named actuator has, real fetch and clock.
import type { Env } from '../env.js';
import type { DeliveryResult, Issue } from '../schemas/decision.js';
import type { Logger } from '../observability/log.js';
import {
  DEFAULT_ACTUATOR_NAME,
  actuatorVariable,
  deliverDecisions,
  handleQueueBatch,
  type DeliverableDecision,
  type DeliveryConfig,
  type DeliveryDeps,
  type QueueBatchLike,
} from './deliver.js';

const DEFAULT_ACTUATOR = DEFAULT_ACTUATOR_NAME;

/** "default" → ACTUATOR_URL; any other name X → ACTUATOR_URL_X (upper-cased). */
function actuatorUrl(env: Env, name: string = DEFAULT_ACTUATOR): string | undefined {
  const url = (env as unknown as Record<string, unknown>)[actuatorVariable(name)];
  return typeof url === 'string' && url.trim() !== '' ? url : undefined;
}

/**
 * The actuator names this deployment configures: "default" always (a rule set without `actuator`
 * uses it; while ACTUATOR_URL is unset its decisions wait on the queue or in the outbox), and every
 * X with a non-empty ACTUATOR_URL_X, lower-cased (names match case-insensitively, as the variable does).
 */
export function configuredActuators(env: Env): ReadonlySet<string> {
  const names = new Set<string>([DEFAULT_ACTUATOR]);
  for (const [key, value] of Object.entries(env as unknown as Record<string, unknown>)) {
    const m = /^ACTUATOR_URL_([A-Za-z0-9_]+)$/.exec(key);
    if (m && typeof value === 'string' && value.trim() !== '') names.add(m[1]!.toLowerCase());
  }
  return names;
}

/**
 * The validation issue for a rule set whose `actuator` this deployment does not configure, or
 * undefined. Pure: the adapter passes the names in (configuredActuators), so the engine never reads
 * the environment. `path` is where the `actuator` field is ("actuator", "targets[0].ruleSet.actuator").
 */
export function unknownActuatorIssue(actuator: string | undefined, configured: ReadonlySet<string>, path: string): Issue | undefined {
  if (actuator === undefined || configured.has(actuator.toLowerCase())) return undefined;
  const others = [...configured].sort().join(', ');
  return {
    code: 'UnknownActuator',
    message: `actuator "${actuator}" is not configured here: set ${actuatorVariable(actuator)} to its URL (configured: ${others})`,
    path,
  };
}

/** The delivery config of one named actuator: its URL and the shared signing key. */
export function configFor(env: Env, name: string): DeliveryConfig {
  const url = actuatorUrl(env, name);
  return { actuator: name, ...(url && { actuatorUrl: url }), ...(env.ACTUATOR_HMAC_KEY && { hmacKey: env.ACTUATOR_HMAC_KEY }) };
}

/**
 * The delivery code's log calls as records of `logger`: `delivery.<Event>` (delivery.Delivered,
 * delivery.Queued, delivery.Undeliverable, …; "delivery" when a call names none), its fields as they
 * are, so an undeliverable decision is in its record whole.
 */
function deliveryLog(logger: Logger): DeliveryDeps['log'] {
  return (level, msg, data) => {
    const { event, ...fields } = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : data === undefined ? {} : { data };
    logger.log(level, typeof event === 'string' ? `delivery.${event}` : 'delivery', msg, fields);
  };
}

/** Real fetch, timers and randomness; log records go to `logger` (the request's, or the worker's for cron and queue). */
export function liveDeps(env: Env, logger: Logger): DeliveryDeps {
  const deps: DeliveryDeps = {
    fetch: (input, init) => fetch(input, init),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    nowSeconds: () => Date.now() / 1000,
    random: Math.random,
    log: deliveryLog(logger),
  };
  if (env.DELIVERY_QUEUE) deps.queue = env.DELIVERY_QUEUE;
  if (env.DELIVERY_OUTBOX) deps.outbox = env.DELIVERY_OUTBOX;
  return deps;
}

/** The actuator a decision names (`decision.actuator`, default "default"), lower-cased as its variable is upper-cased. */
function actuatorOf(decision: unknown): string {
  const name = (decision as { actuator?: unknown } | null)?.actuator;
  return typeof name === 'string' && name !== '' ? name.toLowerCase() : DEFAULT_ACTUATOR;
}

/** Deliver decisions, grouped by the actuator each names (`decision.actuator`, default "default"). */
export async function deliverAll(decisions: ReadonlyArray<Pick<DeliverableDecision, 'decisionId' | 'target'> & { actuator?: string }>, env: Env, deps: DeliveryDeps): Promise<DeliveryResult[]> {
  const groups = new Map<string, Array<{ index: number; decision: DeliverableDecision }>>();
  decisions.forEach((d, index) => {
    const name = actuatorOf(d);
    groups.set(name, [...(groups.get(name) ?? []), { index, decision: d as DeliverableDecision }]);
  });
  // By position, not by id: the same decision listed twice gets a result at each place.
  const results = new Array<DeliveryResult>(decisions.length);
  for (const [name, group] of groups) {
    const delivered = await deliverDecisions(group.map((g) => g.decision), configFor(env, name), deps);
    group.forEach((g, i) => (results[g.index] = delivered[i]!));
  }
  return results;
}

/** The queue consumer: redeliver each queued decision to the actuator it names. */
export async function consumeQueue(batch: QueueBatchLike, env: Env, deps: DeliveryDeps) {
  const groups = new Map<string, QueueBatchLike['messages'][number][]>();
  for (const m of batch.messages) {
    const name = actuatorOf((m.body as { decision?: unknown } | null)?.decision);
    groups.set(name, [...(groups.get(name) ?? []), m]);
  }
  const results = [];
  for (const [name, messages] of groups) {
    results.push(...(await handleQueueBatch({ messages }, configFor(env, name), deps)));
  }
  return results;
}
