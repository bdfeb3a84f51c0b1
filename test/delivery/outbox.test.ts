// The delivery outbox (src/delivery/outbox.ts) over its in-memory store: written before the first
// attempt, retried with backoff, the stored body sent verbatim, nothing sent twice, dead after maxRounds.
// The SQLite store and a real SIGKILL are exercised by scripts/outbox-restart-test.mjs (Node only).
import { describe, expect, it } from 'vitest';
import { deliverDecisions, type DeliverableDecision, type DeliveryConfig, type DeliveryDeps } from '../../src/delivery/deliver.js';
import { MemoryOutboxStore, OUTBOX_DEFAULTS, Outbox } from '../../src/delivery/outbox.js';
import { verifySignature } from '../../src/delivery/sign.js';
import { sha256Hex } from '../../src/engine/hash.js';

const KEY = 'whsec-outbox-test-key-0123456789';
const URL_ = 'https://actuator.test/decisions';
const START = Date.parse('2026-11-22T10:30:00Z');

function decision(n: number, extra: Record<string, unknown> = {}): DeliverableDecision {
  return { decisionId: sha256Hex(`outbox-${n}`), target: `web-${n}`, actuator: 'default', action: 'scaleOut', from: 4, to: 5, ...extra };
}

interface Sent {
  key: string;
  attempt: string;
  signature: string;
  body: string;
  at: number;
}

/** A fake actuator answering from a list of statuses per idempotency key (200 once it runs out), a fake clock and a recording log. */
function world(script: Record<string, number[]> = {}, onSend?: (s: Sent) => void) {
  let clock = START;
  const sent: Sent[] = [];
  const logs: Array<{ level: string; msg: string; data?: any }> = [];
  const calls: Record<string, number> = {};
  const deps: DeliveryDeps = {
    fetch: (async (_url: RequestInfo | URL, init?: RequestInit) => {
      const h = new Headers(init?.headers);
      const s: Sent = { key: h.get('idempotency-key')!, attempt: h.get('x-edgescale-delivery-attempt')!, signature: h.get('x-edgescale-signature')!, body: String(init?.body), at: clock };
      sent.push(s);
      onSend?.(s);
      const n = (calls[s.key] = (calls[s.key] ?? 0) + 1);
      return new Response('', { status: script[s.key]?.[n - 1] ?? 200 });
    }) as typeof fetch,
    sleep: async (ms) => void (clock += ms),
    nowSeconds: () => clock / 1000,
    random: () => 1,
    log: (level, msg, data) => void logs.push({ level, msg, data }),
  };
  const store = new MemoryOutboxStore();
  const make = (config: DeliveryConfig, options: { maxRounds?: number } = {}) =>
    new Outbox({ store, deps, configFor: () => config, ...options });
  return { deps, store, sent, logs, make, advance: (ms: number) => void (clock += ms), now: () => clock };
}

const CONFIG: DeliveryConfig = { actuator: 'default', actuatorUrl: URL_, hmacKey: KEY };

describe('the outbox holds a decision before its first attempt and retries it until delivered', () => {
  it('the entry, with the exact bytes about to be signed, is stored before the first POST', async () => {
    const d = decision(1);
    let storedAtFirstPost: unknown;
    const w = world({}, () => (storedAtFirstPost ??= w.store.get('default', d.decisionId)));
    const outbox = w.make(CONFIG);
    const [r] = await deliverDecisions([d], CONFIG, { ...w.deps, outbox });
    expect(r).toMatchObject({ outcome: 'delivered', attempts: 1, status: 200 });
    expect(storedAtFirstPost).toMatchObject({ state: 'pending', body: w.sent[0]!.body, decisionId: d.decisionId, target: 'web-1' });
    expect(w.store.get('default', d.decisionId)).toMatchObject({ state: 'delivered', attempts: 1, status: 200 });
  });

  it('in-process attempts fail → queued in the outbox; rounds with backoff send the stored body verbatim, signed afresh, same key, attempts counting on', async () => {
    const d = decision(2);
    const w = world({ [d.decisionId]: [503, 503, 503, 503, 503, 503, 200] });
    const outbox = w.make(CONFIG);
    const [r] = await deliverDecisions([d], CONFIG, { ...w.deps, outbox });
    expect(r).toMatchObject({ outcome: 'queued', attempts: 4, status: 503, error: { code: 'Unavailable' } });
    const row = w.store.get('default', d.decisionId)!;
    expect(row).toMatchObject({ state: 'pending', attempts: 4, rounds: 0 });
    // Equal jitter with random() = 1: the whole first window.
    expect(row.nextAttemptAt - w.now()).toBe(OUTBOX_DEFAULTS.retryBaseMs);

    expect(await outbox.round()).toMatchObject({ attempted: 0 }); // not due yet
    w.advance(OUTBOX_DEFAULTS.retryBaseMs);
    expect(await outbox.round()).toMatchObject({ attempted: 1, retried: 1 });
    expect(w.store.get('default', d.decisionId)!.nextAttemptAt - w.now()).toBe(2 * OUTBOX_DEFAULTS.retryBaseMs); // the window doubles
    w.advance(2 * OUTBOX_DEFAULTS.retryBaseMs);
    expect(await outbox.round()).toMatchObject({ attempted: 1, retried: 1 });
    expect(w.store.get('default', d.decisionId)!.nextAttemptAt - w.now()).toBe(4 * OUTBOX_DEFAULTS.retryBaseMs); // and again
    w.advance(4 * OUTBOX_DEFAULTS.retryBaseMs);
    expect(await outbox.round()).toMatchObject({ attempted: 1, delivered: 1 });

    expect(w.sent.map((s) => s.attempt)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(new Set(w.sent.map((s) => s.key))).toEqual(new Set([d.decisionId]));
    for (const s of w.sent) {
      expect(s.body).toBe(row.body);
      const t = Number(/t=(\d+)/.exec(s.signature)![1]);
      expect(t).toBe(Math.floor(s.at / 1000));
      expect(await verifySignature(KEY, s.signature, s.body, t)).toEqual({ ok: true });
    }
    expect(w.store.get('default', d.decisionId)).toMatchObject({ state: 'delivered', attempts: 7, rounds: 3 });
  });

  it('sends a stored body byte for byte, whatever its spacing and key order (the signature covers exactly what is sent)', async () => {
    const w = world();
    const outbox = w.make(CONFIG);
    const id = sha256Hex('verbatim');
    const body = `{ "to": 5,  "target": "web-9", "decisionId": "${id}", "requestedBy": {"credential": "ci"} }`;
    w.store.put({ actuator: 'default', decisionId: id, target: 'web-9', body, state: 'pending', attempts: 2, rounds: 0, nextAttemptAt: w.now(), firstAttemptAt: '', lastError: null, status: null, updatedAt: w.now() });
    await outbox.drain();
    expect(w.sent.map((s) => [s.body, s.attempt])).toEqual([[body, '3']]);
    expect(await verifySignature(KEY, w.sent[0]!.signature, body, Math.floor(w.now() / 1000))).toEqual({ ok: true });
  });

  it('a decision id already delivered is not sent again; one waiting in the outbox is not attempted twice', async () => {
    const ok = decision(3);
    const down = decision(4);
    const w = world({ [down.decisionId]: [503, 503, 503, 503] });
    const outbox = w.make(CONFIG);
    await deliverDecisions([ok, down], CONFIG, { ...w.deps, outbox });
    const before = w.sent.length;
    const again = await deliverDecisions([ok, down], CONFIG, { ...w.deps, outbox });
    expect(w.sent).toHaveLength(before);
    expect(again.map((r) => [r.outcome, r.attempts])).toEqual([
      ['delivered', 0],
      ['queued', 0],
    ]);
  });

  it('a process that dies between hold and outcome: a new outbox over the same store delivers the entry on start, once', async () => {
    const d = decision(5);
    const w = world();
    const first = w.make(CONFIG);
    await first.hold({ actuator: 'default', decisionId: d.decisionId, target: d.target, body: JSON.stringify(d), firstAttemptAt: '2026-11-22T10:30:00.000Z' });
    // … killed here: no delivered(), no retryLater(). The entry is pending on disk.
    const second = w.make(CONFIG);
    expect(second.start()).toMatchObject({ pending: 1 });
    await second.drain();
    await second.stop();
    expect(w.sent.map((s) => s.key)).toEqual([d.decisionId]);
    expect(w.store.get('default', d.decisionId)).toMatchObject({ state: 'delivered' });
  });
});

describe('an actuator without a URL under the outbox', () => {
  it('is kept (NotConfigured, structured log), waits an hour per round while unset, and goes out on the next start once the URL is set', async () => {
    const d = decision(6, { actuator: 'billing' });
    const w = world();
    const missing: DeliveryConfig = { actuator: 'billing', hmacKey: KEY };
    const outbox = w.make(missing);
    const [r] = await deliverDecisions([d], missing, { ...w.deps, outbox });
    expect(r).toMatchObject({ outcome: 'queued', attempts: 0, error: { code: 'NotConfigured', message: 'actuator "billing" has no URL: ACTUATOR_URL_BILLING is not set' } });
    expect(w.logs.find((l) => l.data?.event === 'QueuedUntilConfigured')).toMatchObject({ level: 'warn', data: { decisionId: d.decisionId, actuator: 'billing', variable: 'ACTUATOR_URL_BILLING' } });
    expect(w.store.get('billing', d.decisionId)!.nextAttemptAt - w.now()).toBe(OUTBOX_DEFAULTS.retryMaxMs);
    w.advance(OUTBOX_DEFAULTS.retryMaxMs);
    await outbox.drain();
    expect(w.sent).toHaveLength(0);
    expect(w.store.get('billing', d.decisionId)).toMatchObject({ state: 'pending', rounds: 1 });

    const restarted = w.make({ ...missing, actuatorUrl: URL_ });
    restarted.start();
    await restarted.drain();
    await restarted.stop();
    expect(w.sent.map((s) => s.key)).toEqual([d.decisionId]);
    expect(w.store.get('billing', d.decisionId)).toMatchObject({ state: 'delivered' });
  });
});

describe('dead entries', () => {
  it('after maxRounds rounds an entry is dead: kept, logged at error, no longer retried; asking for it again revives it', async () => {
    const d = decision(7);
    const w = world({ [d.decisionId]: Array(20).fill(503) });
    const outbox = w.make({ ...CONFIG, maxAttempts: 1 }, { maxRounds: 3 });
    await deliverDecisions([d], { ...CONFIG, maxAttempts: 1 }, { ...w.deps, outbox });
    for (let i = 0; i < 5; i++) {
      w.advance(OUTBOX_DEFAULTS.retryMaxMs);
      await outbox.drain();
    }
    expect(w.sent).toHaveLength(4); // 1 in process + 3 rounds
    expect(w.store.get('default', d.decisionId)).toMatchObject({ state: 'dead', rounds: 3, attempts: 4 });
    expect(w.logs.find((l) => l.data?.event === 'OutboxDead')).toMatchObject({ level: 'error', data: { decisionId: d.decisionId } });
    const [again] = await deliverDecisions([d], { ...CONFIG, maxAttempts: 1 }, { ...w.deps, outbox });
    expect(again).toMatchObject({ outcome: 'queued', attempts: 0 });
    expect(w.store.get('default', d.decisionId)).toMatchObject({ state: 'pending', rounds: 0 });
    await outbox.drain();
    expect(w.sent.at(-1)!.attempt).toBe('5');
  });
});
