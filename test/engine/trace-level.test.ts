// `trace: "summary"` answers (issue 19, item 3): their fields, and their size for every bundled rule set's scale-out, scale-in and hold.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import type { Env } from '../../src/env.js';
import { silentLogger } from '../../src/observability/log.js';

const ROOT = new URL('../../', import.meta.url);
const ENV: Env = { EDGESCALE_API_TOKEN: 'trace-level-token-0123456789abcdef0', EDGESCALE_DEV_AUTH_DISABLED: 'true' } as Env;
const app = createApp({ locality: () => true, loggerFor: () => silentLogger });
const NOW = '2026-11-22T10:30:00Z';
/** The target's id is not in a summary (the batch entry has it); rule ids are, up to twice. */
const TARGET = 'checkout-web-017';
/** The documented bound (docs/operations.md "Answer size"): a summary, not counting `state.hpa` and `state.kpa`. */
const SUMMARY_BYTES = 400;

type Json = Record<string, any>;
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v)).length;

async function evaluate(body: Json): Promise<Json> {
  const res = await app.request(
    'http://localhost:8787/v1/evaluate',
    { method: 'POST', headers: { 'content-type': 'application/json', host: 'localhost:8787' }, body: JSON.stringify(body) },
    ENV,
  );
  const json = (await res.json()) as Json;
  expect(json.results[0].ok, JSON.stringify(json).slice(0, 600)).toBe(true);
  return json.results[0].decision as Json;
}

/** Minute points of a constant value up to `end`. */
function minutes(v: number, end = NOW, count = 15) {
  return Array.from({ length: count }, (_, i) => ({ t: new Date(Date.parse(end) - (count - 1 - i) * 60_000).toISOString(), v }));
}

interface Case {
  name: string;
  ruleSet: string | Json;
  capacity: number;
  /** The metrics up to an instant. */
  metrics: (end: string) => Json;
  /** Minutes before NOW of a first evaluation with the same capacity and metrics, whose state is sent back: the HPA scales in only after its stabilization window. */
  before?: number;
  action: 'scaleOut' | 'scaleIn' | 'none';
}

const cpu = (v: number) => (end: string) => ({ cpu: minutes(v, end) });
const series = (values: Record<string, number>) => (end: string) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, minutes(v, end)]));
const CASES: Case[] = [
  { name: 'web-tier out', ruleSet: 'web-tier', capacity: 4, metrics: cpu(85), action: 'scaleOut' },
  { name: 'web-tier in', ruleSet: 'web-tier', capacity: 4, metrics: cpu(20), action: 'scaleIn' },
  { name: 'web-tier hold', ruleSet: 'web-tier', capacity: 4, metrics: cpu(50), action: 'none' },
  { name: 'storefront out', ruleSet: 'storefront', capacity: 3, metrics: cpu(85), action: 'scaleOut' },
  { name: 'storefront in', ruleSet: 'storefront', capacity: 4, metrics: cpu(20), action: 'scaleIn' },
  { name: 'api-requests out', ruleSet: 'api-requests', capacity: 4, metrics: series({ requests: 5000 }), action: 'scaleOut' },
  { name: 'api-requests in', ruleSet: 'api-requests', capacity: 6, metrics: series({ requests: 500 }), action: 'scaleIn' },
  { name: 'queue-workers out', ruleSet: 'queue-workers', capacity: 2, metrics: series({ queue: 500 }), action: 'scaleOut' },
  { name: 'queue-workers in', ruleSet: 'queue-workers', capacity: 8, metrics: series({ queue: 100 }), action: 'scaleIn' },
  { name: 'queue-workers hold', ruleSet: 'queue-workers', capacity: 2, metrics: series({ queue: 150 }), action: 'none' },
  { name: 'aws-step out', ruleSet: 'aws-step', capacity: 4, metrics: cpu(75), action: 'scaleOut' },
  { name: 'aws-step in', ruleSet: 'aws-step', capacity: 4, metrics: cpu(20), action: 'scaleIn' },
  { name: 'aws-step hold', ruleSet: 'aws-step', capacity: 4, metrics: cpu(45), action: 'none' },
  { name: 'vmss-web out', ruleSet: 'vmss-web', capacity: 3, metrics: series({ 'Percentage CPU': 85 }), action: 'scaleOut' },
  { name: 'vmss-web hold (no data)', ruleSet: 'vmss-web', capacity: 3, metrics: series({}), action: 'none' },
  { name: 'cron-demo into bounds', ruleSet: 'cron-demo', capacity: 1, metrics: series({}), action: 'scaleOut' },
  { name: 'k8s-api out', ruleSet: 'k8s-api', capacity: 3, metrics: series({ cpu: 90, rps: 150 }), action: 'scaleOut' },
  { name: 'k8s-api hold (stabilized)', ruleSet: 'k8s-api', capacity: 6, metrics: series({ cpu: 20, rps: 20 }), action: 'none' },
  { name: 'k8s-api in', ruleSet: 'k8s-api', capacity: 6, metrics: series({ cpu: 20, rps: 20 }), before: 10, action: 'scaleIn' },
  { name: 'php-apache out', ruleSet: 'php-apache', capacity: 2, metrics: series({ cpu: 90, queue_messages_ready: 10 }), action: 'scaleOut' },
  { name: 'php-apache hold (stabilized)', ruleSet: 'php-apache', capacity: 4, metrics: series({ cpu: 10, queue_messages_ready: 1 }), action: 'none' },
  { name: 'php-apache in', ruleSet: 'php-apache', capacity: 4, metrics: series({ cpu: 10, queue_messages_ready: 1 }), before: 10, action: 'scaleIn' },
];

async function decide(c: Case, trace: string): Promise<Json> {
  let state: Json | undefined;
  if (c.before !== undefined) {
    const at = new Date(Date.parse(NOW) - c.before * 60_000).toISOString();
    state = (await evaluate({ now: at, targets: [{ id: TARGET, ruleSet: c.ruleSet, capacity: c.capacity, metrics: c.metrics(at) }] })).state;
  }
  return evaluate({ now: NOW, trace, targets: [{ id: TARGET, ruleSet: c.ruleSet, capacity: c.capacity, metrics: c.metrics(NOW), ...(state && { state }) }] });
}

/** A summary without the policy history its state carries (`state.hpa`, `state.kpa`): what the bound is about. */
function withoutHistory(summary: Json): Json {
  const { hpa: _hpa, kpa: _kpa, ...state } = summary.state as Json;
  return { ...summary, state };
}

describe('trace "summary": the outcome, the deciding rule or policy, the whole state', () => {
  it('every bundled rule set has a case here', () => {
    const bundled = readdirSync(new URL('rules/', ROOT)).map((f) => f.replace(/\.(hpa\.yaml|azure\.json|json)$/, ''));
    expect([...new Set(CASES.map((c) => c.ruleSet))].sort()).toEqual(bundled.sort());
  });

  it.each(CASES.map((c) => [c.name, c] as const))(`%s: at most ${SUMMARY_BYTES} bytes besides state.hpa and state.kpa, the fields of the whole decision`, async (_name, c) => {
    const full = await decide(c, 'full');
    const summary = await decide(c, 'summary');
    expect(summary.action).toBe(c.action);
    expect(summary.decisionId).toBe(full.decisionId);
    // Each field is the whole decision's; the state is the same object, never shortened: it is sent back.
    expect(summary).toEqual({
      decisionId: full.decisionId,
      action: full.action,
      from: full.from,
      to: full.to,
      code: full.code,
      rule: full.rule,
      ...(full.trace.policies?.decidedBy !== undefined && { decidedBy: full.trace.policies.decidedBy }),
      state: full.state,
    });
    expect(bytes(withoutHistory(summary))).toBeLessThanOrEqual(SUMMARY_BYTES);
    if (!summary.state.hpa && !summary.state.kpa) expect(bytes(summary)).toBeLessThanOrEqual(SUMMARY_BYTES);
    expect(bytes(summary)).toBeLessThan(bytes(full) / 3);
  });

  it('a policy-decided summary names the policy: targetTracking:resource-cpu for the HPA php-apache', async () => {
    const summary = await decide(
      CASES.find((c) => c.name === 'php-apache out')!,
      'summary',
    );
    expect(summary).toMatchObject({ action: 'scaleOut', from: 2, to: 4, code: 'ScaleOut', rule: 'resource-cpu', decidedBy: 'targetTracking:resource-cpu' });
    expect(summary.fired).toBeUndefined();
    expect(summary.reason).toBeUndefined();
  });

  it('the kpa policy (docs/kpa.md, the three requests): each summary within the bound besides state.kpa, the state sent back as answered', async () => {
    const doc = readFileSync(new URL('docs/kpa.md', ROOT), 'utf8');
    const request = (n: number) => JSON.parse(new RegExp(`<!-- kpa-example:request-${n} -->\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(doc)![1]!) as Json;
    let state: Json | undefined;
    const seen: string[] = [];
    for (const n of [1, 2, 3]) {
      const body = request(n);
      if (state) body.targets[0].state = state;
      const summary = await evaluate({ ...body, trace: 'summary' });
      seen.push(`${summary.action} ${summary.from}→${summary.to} ${summary.decidedBy}`);
      expect(bytes(withoutHistory(summary))).toBeLessThanOrEqual(SUMMARY_BYTES);
      state = summary.state;
    }
    expect(seen).toEqual(['scaleOut 2→9 kpa:kpa', 'none 9→9 kpa:kpa', 'scaleIn 9→4 kpa:kpa']);
  });
});
