// From worker bindings to delivery config and deps: which URL each named actuator has, real fetch and clock.
import type { Env } from '../env.js';
import { deliverDecisions, handleQueueBatch, type DeliverableDecision, type DeliveryConfig, type DeliveryDeps, type DeliveryResult, type QueueBatchLike } from './deliver.js';

export const DEFAULT_ACTUATOR = 'default';

/** "default" → ACTUATOR_URL; any other name X → ACTUATOR_URL_X (upper-cased). */
export function actuatorUrl(env: Env, name: string = DEFAULT_ACTUATOR): string | undefined {
  const url = name === DEFAULT_ACTUATOR ? env.ACTUATOR_URL : env[`ACTUATOR_URL_${name.toUpperCase()}`];
  return url ? url : undefined;
}

/** The delivery config of one named actuator: its URL and the shared signing key. */
export function configFor(env: Env, name: string): DeliveryConfig {
  const url = actuatorUrl(env, name);
  return { ...(url && { actuatorUrl: url }), ...(env.ACTUATOR_HMAC_KEY && { hmacKey: env.ACTUATOR_HMAC_KEY }) };
}

export function liveDeps(env: Env): DeliveryDeps {
  const deps: DeliveryDeps = {
    fetch: (input, init) => fetch(input, init),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    nowSeconds: () => Date.now() / 1000,
    random: Math.random,
    log: (level, msg, data) => console[level](`edgescale delivery: ${msg}`, data ?? ''),
  };
  if (env.DELIVERY_QUEUE) deps.queue = env.DELIVERY_QUEUE;
  return deps;
}

/** Deliver decisions, grouped by the actuator each names (`decision.actuator`, default "default"). */
export async function deliverAll(decisions: ReadonlyArray<Pick<DeliverableDecision, 'decisionId' | 'target'> & { actuator?: string }>, env: Env, deps: DeliveryDeps = liveDeps(env)): Promise<DeliveryResult[]> {
  const groups = new Map<string, DeliverableDecision[]>();
  for (const d of decisions as DeliverableDecision[]) {
    const name = typeof d.actuator === 'string' ? d.actuator : DEFAULT_ACTUATOR;
    groups.set(name, [...(groups.get(name) ?? []), d]);
  }
  const byId = new Map<string, DeliveryResult>();
  for (const [name, group] of groups) {
    const config = configFor(env, name);
    for (const r of await deliverDecisions(group, config, deps)) byId.set(r.decisionId, r);
  }
  return decisions.map((d) => byId.get(d.decisionId)!);
}

/** The queue consumer: redeliver each queued decision to the actuator it names. */
export async function consumeQueue(batch: QueueBatchLike, env: Env, deps: DeliveryDeps = liveDeps(env)) {
  const groups = new Map<string, QueueBatchLike['messages'][number][]>();
  for (const m of batch.messages) {
    const decision = (m.body as { decision?: { actuator?: unknown } } | null)?.decision;
    const name = typeof decision?.actuator === 'string' ? decision.actuator : DEFAULT_ACTUATOR;
    groups.set(name, [...(groups.get(name) ?? []), m]);
  }
  const results = [];
  for (const [name, messages] of groups) {
    const config = configFor(env, name);
    results.push(...(await handleQueueBatch({ messages }, config, deps)));
  }
  return results;
}
