// The real scheduled handler inside workerd: signed deliveries of profile changes, and retries then the queue when the actuator fails.
import { createScheduledController, env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src/index.js';
import { verifySignature } from '../../src/delivery/sign.js';

const KEY = 'test-actuator-key';
const MONDAY_0800_BERLIN = Date.parse('2026-11-23T07:00:00Z');

function fakeQueue() {
  const sent: unknown[] = [];
  return { sent, queue: { send: async (body: unknown) => void sent.push(body), sendBatch: async () => {} } as unknown as Queue<unknown> };
}

async function runTick(extraEnv: Record<string, unknown>) {
  const controller = createScheduledController({ scheduledTime: MONDAY_0800_BERLIN, cron: '*/5 * * * *' });
  await worker.scheduled!(controller, { ...env, ACTUATOR_URL: 'https://actuator.test/decisions', ACTUATOR_HMAC_KEY: KEY, ...extraEnv } as never);
}

afterEach(() => vi.restoreAllMocks());

describe('scheduled handler delivers profile changes to the actuator', () => {
  it('posts each profile-change decision, signed over timestamp and body, keyed by decision id', async () => {
    const requests: Array<{ url: string; headers: Headers; body: string }> = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      requests.push({ url: String(input), headers: new Headers(init?.headers), body: String(init?.body) });
      return new Response('ok', { status: 200 });
    });
    const { queue, sent } = fakeQueue();
    await runTick({ DELIVERY_QUEUE: queue });

    // storefront's business hours begin, and cron-demo's burst window starts on every ten-minute mark.
    expect(requests.map((r) => JSON.parse(r.body).target).sort()).toEqual(['demo-worker', 'storefront-eu-1', 'storefront-eu-2']);
    for (const r of requests.filter((x) => JSON.parse(x.body).ruleSet === 'storefront')) {
      const body = JSON.parse(r.body);
      expect(r.url).toBe('https://actuator.test/decisions');
      expect(body).toMatchObject({ kind: 'profileChange', code: 'ProfileStarted', profile: { name: 'business-hours' }, bounds: { minimum: 4, maximum: 30 }, setCapacity: 6 });
      expect(r.headers.get('Idempotency-Key')).toBe(body.decisionId);
      const signature = r.headers.get('X-Edgescale-Signature');
      const t = Number(/t=(\d+)/.exec(signature ?? '')?.[1]);
      expect(await verifySignature(KEY, signature, r.body, t)).toEqual({ ok: true });
      expect((await verifySignature('wrong-key', signature, r.body, t)).ok).toBe(false);
      expect((await verifySignature(KEY, signature, r.body.replace('business-hours', 'weekend'), t)).ok).toBe(false);
    }
    expect(sent).toEqual([]);
  });

  it('a failing actuator gets retries, then every decision is handed to the queue with the same key', async () => {
    let calls = 0;
    const keys: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (_input, init) => {
      calls++;
      keys.push(new Headers(init?.headers).get('Idempotency-Key')!);
      return new Response('down', { status: 503 });
    });
    const { queue, sent } = fakeQueue();
    await runTick({ DELIVERY_QUEUE: queue });

    expect(calls).toBeGreaterThan(2); // retried, not given up after one try
    expect(sent).toHaveLength(3);
    const queued = sent as Array<{ decision: { decisionId: string; target: string }; attempts: number }>;
    // Deliveries run concurrently with random backoff, so the order of queueing is not fixed.
    expect(queued.map((q) => q.decision.target).sort()).toEqual(['demo-worker', 'storefront-eu-1', 'storefront-eu-2']);
    for (const q of queued) {
      expect(q.attempts).toBe(calls / 3);
      expect(keys.filter((k) => k === q.decision.decisionId)).toHaveLength(q.attempts);
    }
  });

  it('the queue consumer delivers queued decisions once the actuator is back, and acks them', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('down', { status: 503 }));
    const { queue, sent } = fakeQueue();
    await runTick({ DELIVERY_QUEUE: queue });
    vi.restoreAllMocks();

    const delivered: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (_input, init) => {
      delivered.push(new Headers(init?.headers).get('Idempotency-Key')!);
      return new Response('ok', { status: 200 });
    });
    const acked: number[] = [];
    const messages = sent.map((body, i) => ({ id: `m${i}`, body, attempts: 1, timestamp: new Date(), ack: () => void acked.push(i), retry: () => {} }));
    await worker.queue!({ queue: 'edgescale-deliveries', messages, ackAll() {}, retryAll() {} } as never, { ...env, ACTUATOR_URL: 'https://actuator.test/decisions', ACTUATOR_HMAC_KEY: KEY } as never);
    expect(acked.sort()).toEqual([0, 1, 2]);
    expect(delivered.sort()).toEqual((sent as Array<{ decision: { decisionId: string } }>).map((q) => q.decision.decisionId).sort());
  });
});
