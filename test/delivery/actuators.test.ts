// Rule sets may only name actuators the deployment configures: refused when validated (UnknownActuator, with the path).
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { configuredActuators, unknownActuatorIssue } from '../../src/delivery/wiring.js';
import type { Env } from '../../src/env.js';

const AUTH = { authorization: 'Bearer test-token-0123456789abcdef0123456789abcdef', 'content-type': 'application/json' };
const RULE_SET = {
  id: 'billing-web',
  capacity: { minimum: 1, maximum: 10, default: 2 },
  rules: [
    {
      id: 'hot',
      direction: 'out',
      when: { metric: { metric: 'cpu', timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT1M', timeAggregation: 'Average', operator: 'GreaterThan', threshold: 70 } },
      action: { type: 'ChangeCount', value: 1 },
    },
  ],
};

async function post(path: string, body: unknown) {
  const res = await exports.default.fetch(`http://edgescale.test${path}`, { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}

describe('configuredActuators / unknownActuatorIssue (pure: the adapter passes the names in)', () => {
  it('"default" always, and each X with a non-empty ACTUATOR_URL_X, case-insensitively', () => {
    const env = { ACTUATOR_URL_BILLING: 'https://billing.test/', ACTUATOR_URL_EMPTY: '', ACTUATOR_URL_Eu_West: 'https://eu.test/' } as unknown as Env;
    expect([...configuredActuators(env)].sort()).toEqual(['billing', 'default', 'eu_west']);
    const names = configuredActuators(env);
    expect(unknownActuatorIssue(undefined, names, 'actuator')).toBeUndefined();
    expect(unknownActuatorIssue('Billing', names, 'actuator')).toBeUndefined();
    expect(unknownActuatorIssue('empty', names, 'targets[0].ruleSet.actuator')).toEqual({
      code: 'UnknownActuator',
      message: 'actuator "empty" is not configured here: set ACTUATOR_URL_EMPTY to its URL (configured: billing, default, eu_west)',
      path: 'targets[0].ruleSet.actuator',
    });
  });
});

describe('the API refuses a rule set naming an actuator with no URL (vitest.config.ts binds none)', () => {
  it('POST /v1/validate: 422 UnknownActuator at path "actuator"; "default" and no actuator are valid', async () => {
    const bad = await post('/v1/validate', { ...RULE_SET, actuator: 'billing' });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ valid: false, error: { code: 'UnknownActuator', path: 'actuator' } });
    expect(bad.json.error.message).toMatch(/ACTUATOR_URL_BILLING/);
    for (const ok of [RULE_SET, { ...RULE_SET, actuator: 'default' }]) expect((await post('/v1/validate', ok)).status).toBe(200);
  });

  it('POST /v1/evaluate: that target is an UnknownActuator error at targets[i].ruleSet.actuator; the others are decided', async () => {
    const res = await post('/v1/evaluate', {
      now: '2026-11-22T10:30:00Z',
      targets: [
        { id: 'a', ruleSet: { ...RULE_SET, actuator: 'billing' }, capacity: 2, metrics: { cpu: 85 } },
        { id: 'b', ruleSet: RULE_SET, capacity: 2, metrics: { cpu: 85 } },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.json.results[0]).toMatchObject({ ok: false, error: { code: 'UnknownActuator', path: 'targets[0].ruleSet.actuator' } });
    expect(res.json.results[1]).toMatchObject({ ok: true, decision: { actuator: 'default', to: 3 } });
  });
});
