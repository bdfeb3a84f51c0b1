// GET /metrics' delivery series against a real outbox (src/delivery/outbox.ts over its in-memory store) and an actuator
// that fails: the depth gauge reads the store at each scrape, the attempt counter counts what the rounds did.
import { describe, expect, it } from 'vitest';
import { createServeMetrics } from '../../src/cli/metrics.js';
import { deliverDecisions, type DeliverableDecision, type DeliveryConfig, type DeliveryDeps } from '../../src/delivery/deliver.js';
import { MemoryOutboxStore, OUTBOX_DEFAULTS, Outbox } from '../../src/delivery/outbox.js';
import { sha256Hex } from '../../src/engine/hash.js';
import { sample } from '../helpers.js';

const CONFIG: DeliveryConfig = { actuator: 'default', actuatorUrl: 'https://actuator.test/decisions', hmacKey: 'whsec-metrics-outbox-key-0123456789' };
const START = Date.parse('2026-11-22T10:30:00Z');

const decision = (n: number): DeliverableDecision => ({
  decisionId: sha256Hex(`metrics-outbox-${n}`),
  target: `web-${n}`,
  actuator: 'default',
  action: 'scaleOut',
  from: 4,
  to: 5,
});

describe('delivery metrics over a real outbox', () => {
  it('counts deliveries by outcome, the outbox depth by state, and the rounds’ attempts by result', async () => {
    const [ok, flaky, down] = [decision(1), decision(2), decision(3)];
    // The actuator's answers per idempotency key: `ok` at once; `flaky` fails its four in-process attempts and the
    // first round, then takes it; `down` never answers 2xx.
    const script: Record<string, number[]> = { [flaky.decisionId]: [503, 503, 503, 503, 503, 200] };
    const failing = new Set([down.decisionId]);
    let clock = START;
    const calls: Record<string, number> = {};
    const deps: DeliveryDeps = {
      fetch: (async (_url: RequestInfo | URL, init?: RequestInit) => {
        const key = new Headers(init?.headers).get('idempotency-key')!;
        const n = (calls[key] = (calls[key] ?? 0) + 1);
        return new Response('', { status: failing.has(key) ? 503 : (script[key]?.[n - 1] ?? 200) });
      }) as typeof fetch,
      sleep: async (ms) => void (clock += ms),
      nowSeconds: () => clock / 1000,
      random: () => 1,
      log: () => {},
    };
    const store = new MemoryOutboxStore();
    const metrics = createServeMetrics(() => store.counts());
    const outbox = new Outbox({ store, deps, configFor: () => CONFIG, maxRounds: 2, onRound: metrics.onRound });

    // What the request did: the app tells the observer each delivery's outcome.
    const results = await deliverDecisions([ok, flaky, down], CONFIG, { ...deps, outbox });
    expect(results.map((r) => r.outcome)).toEqual(['delivered', 'queued', 'queued']);
    metrics.observer.delivered(results);
    let text = (await metrics.scrape()).body;
    expect(sample(text, 'edgescale_deliveries_total{outcome="delivered"}')).toBe(1);
    expect(sample(text, 'edgescale_deliveries_total{outcome="queued"}')).toBe(2);
    expect(sample(text, 'edgescale_outbox_entries{state="pending"}')).toBe(2);
    expect(sample(text, 'edgescale_outbox_entries{state="delivered"}')).toBe(1);
    expect(sample(text, 'edgescale_outbox_entries{state="dead"}')).toBe(0);
    expect(text).not.toContain('edgescale_outbox_attempts_total{');

    // Round 1: both due, both fail again.
    clock += OUTBOX_DEFAULTS.retryBaseMs;
    expect(await outbox.round()).toMatchObject({ attempted: 2, retried: 2, delivered: 0, dead: 0 });
    // Round 2 (the last, maxRounds 2): flaky is taken, down is given up.
    clock += 2 * OUTBOX_DEFAULTS.retryBaseMs;
    expect(await outbox.round()).toMatchObject({ attempted: 2, delivered: 1, dead: 1 });

    text = (await metrics.scrape()).body;
    expect(sample(text, 'edgescale_outbox_attempts_total{result="retried"}')).toBe(2);
    expect(sample(text, 'edgescale_outbox_attempts_total{result="delivered"}')).toBe(1);
    expect(sample(text, 'edgescale_outbox_attempts_total{result="dead"}')).toBe(1);
    expect(sample(text, 'edgescale_outbox_entries{state="pending"}')).toBe(0);
    expect(sample(text, 'edgescale_outbox_entries{state="delivered"}')).toBe(2);
    expect(sample(text, 'edgescale_outbox_entries{state="dead"}')).toBe(1);
  });
});
