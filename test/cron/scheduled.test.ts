// The real scheduled handler inside workerd: signed deliveries of profile changes, and retries then the queue when the actuator fails.
import { createScheduledController, env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../src/index.js';
import { verifySignature } from '../../src/delivery/sign.js';
import { CATCHUP_INTERVALS, MAX_CATCHUP_MS, catchUpWindow, runScheduled } from '../../src/cron/scheduled.js';
import { silentLogger } from '../../src/observability/log.js';

const KEY = 'test-actuator-key';
const MONDAY_0800_BERLIN = Date.parse('2026-11-23T07:00:00Z');

function fakeQueue() {
  const sent: unknown[] = [];
  return { sent, queue: { send: async (body: unknown) => void sent.push(body), sendBatch: async () => {} } as unknown as Queue<unknown> };
}

/**
 * The tick at 07:00Z also re-derives the look-back (06:45Z, 06:55Z]: cron-demo's default at 06:55 and
 * burst at 06:50 (its burst at 07:00 is the tick's own), so five decisions go out: three for
 * demo-worker, one per storefront target.
 */
const TICK_TARGETS = ['demo-worker', 'demo-worker', 'demo-worker', 'storefront-eu-1', 'storefront-eu-2'];

async function runTick(extraEnv: Record<string, unknown>, scheduledTime = MONDAY_0800_BERLIN) {
  const controller = createScheduledController({ scheduledTime, cron: '*/5 * * * *' });
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
    expect(requests.map((r) => JSON.parse(r.body).target).sort()).toEqual(TICK_TARGETS);
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
    expect(sent).toHaveLength(TICK_TARGETS.length);
    const queued = sent as Array<{ decision: { decisionId: string; target: string }; attempts: number }>;
    // Deliveries run concurrently with random backoff, so the order of queueing is not fixed.
    expect(queued.map((q) => q.decision.target).sort()).toEqual(TICK_TARGETS);
    for (const q of queued) {
      expect(q.attempts).toBe(calls / TICK_TARGETS.length);
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
    expect(acked.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(delivered.sort()).toEqual((sent as Array<{ decision: { decisionId: string } }>).map((q) => q.decision.decisionId).sort());
  });
});

describe('cron catch-up: each tick re-derives the look-back window under the same idempotency keys', () => {
  const CRON = '*/5 * * * *';
  const at = (iso: string) => Date.parse(iso);

  it('the look-back is CATCHUP_INTERVALS (3) of the cron\'s own intervals, at most 24 h, never less than the tick\'s own interval', () => {
    expect(CATCHUP_INTERVALS).toBe(3);
    const iso = (w: { from: number; previous: number; to: number }) => [w.from, w.previous, w.to].map((t) => new Date(t).toISOString());
    expect(iso(catchUpWindow(CRON, at('2026-11-23T07:10:00Z')))).toEqual(['2026-11-23T06:55:00.000Z', '2026-11-23T07:05:00.000Z', '2026-11-23T07:10:00.000Z']);
    expect(iso(catchUpWindow('0 * * * *', at('2026-11-23T07:00:00Z')))).toEqual(['2026-11-23T04:00:00.000Z', '2026-11-23T06:00:00.000Z', '2026-11-23T07:00:00.000Z']);
    // Irregular: the cron's real runs (09:00, 17:00), cut at 24 h.
    expect(iso(catchUpWindow('0 9,17 * * *', at('2026-11-23T09:00:00Z')))).toEqual(['2026-11-22T09:00:00.000Z', '2026-11-22T17:00:00.000Z', '2026-11-23T09:00:00.000Z']);
    // Daily: three days would exceed the bound, so 24 h (= its own interval).
    const daily = catchUpWindow('0 0 * * *', at('2026-11-23T00:00:00Z'));
    expect(daily.to - daily.from).toBe(MAX_CATCHUP_MS);
    // Weekly: its own interval (a week) is always covered, whatever the bound.
    const weekly = catchUpWindow('0 0 * * 1', at('2026-11-23T00:00:00Z'));
    expect(weekly.to - weekly.from).toBe(7 * 86_400_000);
  });

  it('a tick after two missed ticks delivers the missed profile change once, with the key a timely tick would have used', async () => {
    // The timely tick at 07:00Z (never run: only previewed here) would have sent storefront's business hours.
    const timely = await runScheduled(at('2026-11-23T07:00:00Z'), CRON, env as never, silentLogger, null);
    const expected = timely.decisions.filter((d) => d.ruleSet === 'storefront');
    expect(expected.map((d) => [d.target, d.profile.name, d.at])).toEqual([
      ['storefront-eu-1', 'business-hours', '2026-11-23T07:00:00Z'],
      ['storefront-eu-2', 'business-hours', '2026-11-23T07:00:00Z'],
    ]);

    // The ticks at 07:00 and 07:05 are lost; the one at 07:10 runs.
    const bodies: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (_input, init) => {
      bodies.push(String(init?.body));
      expect(new Headers(init?.headers).get('Idempotency-Key')).toBe(JSON.parse(String(init?.body)).decisionId);
      return new Response('ok', { status: 200 });
    });
    const { queue, sent } = fakeQueue();
    await runTick({ DELIVERY_QUEUE: queue }, at('2026-11-23T07:10:00Z'));
    const storefront = bodies.map((b) => JSON.parse(b)).filter((d) => d.ruleSet === 'storefront');
    expect(storefront.map((d) => d.decisionId).sort()).toEqual(expected.map((d) => d.decisionId).sort());
    expect(storefront.map((d) => d.profile.name)).toEqual(['business-hours', 'business-hours']);
    expect(sent).toEqual([]);
  });

  it('the report keeps the tick\'s own changes in `decisions` and the look-back\'s in `catchUp`, oldest first; deliveries follow catchUp then decisions', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('ok', { status: 200 }));
    const report = await runScheduled(at('2026-11-23T07:10:00Z'), CRON, { ...env, ACTUATOR_URL: 'https://actuator.test/decisions', ACTUATOR_HMAC_KEY: KEY } as never, silentLogger);
    expect(report).toMatchObject({ tick: '2026-11-23T07:10:00Z', previous: '2026-11-23T07:05:00Z', catchUpFrom: '2026-11-23T06:55:00Z' });
    expect(report.decisions.map((d) => [d.target, d.at])).toEqual([['demo-worker', '2026-11-23T07:10:00Z']]);
    expect(report.catchUp.map((d) => [d.target, d.at])).toEqual([
      ['demo-worker', '2026-11-23T07:00:00Z'],
      ['storefront-eu-1', '2026-11-23T07:00:00Z'],
      ['storefront-eu-2', '2026-11-23T07:00:00Z'],
      ['demo-worker', '2026-11-23T07:05:00Z'],
    ]);
    expect(report.deliveries.map((r) => r.decisionId)).toEqual([...report.catchUp, ...report.decisions].map((d) => d.decisionId));
    expect(report.deliveries.every((r) => r.outcome === 'delivered')).toBe(true);
  });

  it('three missed ticks are beyond the look-back: the bound is real', async () => {
    const report = await runScheduled(at('2026-11-23T07:15:00Z'), CRON, env as never, silentLogger, null);
    expect([...report.catchUp, ...report.decisions].filter((d) => d.ruleSet === 'storefront')).toEqual([]);
  });
});
