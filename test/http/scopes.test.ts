// Scoped credentials end to end (src/http/scopes.ts, src/http/credentials.ts): the route × target × rule-set kind × deliver matrix, reserved bundled ids, who asked and which rule set decided — inside the signed delivery.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Env } from '../../src/env.js';
import { createApp } from '../../src/http/app.js';
import { KEY_ID_HEADER } from '../../src/http/auth.js';
import { globMatch } from '../../src/http/scopes.js';
import { bundledRuleSets } from '../../src/rulesets/bundled.js';
import { BUNDLED_RULE_FILES } from '../../src/generated/bundled-rules.js';

const NOW = '2026-11-22T10:30:00Z';
const secret = (name: string) => `${name}-secret-0123456789abcdef0123456789abcdef`;

type Cred = {
  id: string;
  kind: 'token' | 'webhook';
  routes: string[];
  targets?: string[];
  ruleSets?: { bundled?: string[]; inline?: boolean; imported?: boolean };
  deliver?: boolean;
};
const ALL_ROUTES = ['POST /v1/evaluate', 'POST /v1/validate', 'GET /v1/rulesets', 'POST /v1/scheduled'];
const CREDS: Cred[] = [
  { id: 'eu-bundled', kind: 'token', routes: ['POST /v1/evaluate'], targets: ['storefront-eu-*'], ruleSets: { bundled: ['storefront'] } },
  { id: 'eu-bundled-deliver', kind: 'token', routes: ['POST /v1/evaluate'], targets: ['storefront-eu-*'], ruleSets: { bundled: ['store*'] }, deliver: true },
  { id: 'eu-inline', kind: 'token', routes: ['POST /v1/evaluate', 'POST /v1/validate'], targets: ['storefront-eu-?'], ruleSets: { inline: true }, deliver: true },
  { id: 'eu-imported', kind: 'token', routes: ['POST /v1/evaluate'], targets: ['storefront-eu-1'], ruleSets: { imported: true } },
  { id: 'ops', kind: 'token', routes: ALL_ROUTES, targets: ['*'], ruleSets: { bundled: ['*'], inline: true, imported: true }, deliver: true },
  { id: 'reader', kind: 'token', routes: ['GET /v1/rulesets'] },
  { id: 'prom', kind: 'webhook', routes: ['POST /v1/evaluate'], targets: ['storefront-eu-*'], ruleSets: { bundled: ['storefront'] }, deliver: true },
  { id: 'grafana', kind: 'webhook', routes: ['POST /v1/evaluate'], targets: ['web-*'], ruleSets: { bundled: ['web-tier'] } },
];
const CREDENTIALS = JSON.stringify({ credentials: CREDS.map((c) => ({ ...c, secret: secret(c.id) })) });
const BINDINGS: Partial<Env> = { EDGESCALE_CREDENTIALS: CREDENTIALS, EDGESCALE_API_TOKEN: '', EDGESCALE_WEBHOOK_HMAC_KEY: '' };

const utf8 = new TextEncoder();
async function hmacHex(key: string, text: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', utf8.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return [...new Uint8Array(await crypto.subtle.sign('HMAC', k, utf8.encode(text)))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function send(cred: Cred, method: string, path: string, body?: unknown, bindings: Partial<Env> = {}) {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (cred.kind === 'token') headers.authorization = `Bearer ${secret(cred.id)}`;
  else {
    const t = Math.floor(Date.now() / 1000);
    headers['X-Edgescale-Signature'] = `t=${t},v1=${await hmacHex(secret(cred.id), `${t}.${text ?? ''}`)}`;
    headers[KEY_ID_HEADER] = cred.id;
  }
  const res = await createApp().fetch(new Request(`http://edgescale.test${path}`, { method, headers, ...(text !== undefined && { body: text }) }), { ...env, ...BINDINGS, ...bindings });
  const json = (await res.json()) as any;
  return { status: res.status, json };
}

const INLINE = { id: 'eu-inline-set', capacity: { minimum: 1, maximum: 10, default: 2 }, rules: [{ id: 'hot', direction: 'out', when: { metric: { metric: 'cpu', operator: 'GreaterThan', threshold: 70 } }, action: { type: 'ChangeCount', value: 1 } }] };
const IMPORTED = { hpa: BUNDLED_RULE_FILES['php-apache.hpa.yaml'] as string, id: 'eu-hpa' };
const RULE_SET_KINDS = {
  'bundled storefront': { ruleSet: 'storefront', metrics: { cpu: 85 }, source: 'bundled', id: 'storefront' },
  'bundled web-tier': { ruleSet: 'web-tier', metrics: { cpu: 85 }, source: 'bundled', id: 'web-tier' },
  inline: { ruleSet: INLINE, metrics: { cpu: 85 }, source: 'inline', id: 'eu-inline-set' },
  imported: { ruleSet: IMPORTED, metrics: { cpu: 75, queue_messages_ready: 150 }, source: 'imported', id: 'eu-hpa' },
} as const;
type Kind = keyof typeof RULE_SET_KINDS;

describe('globMatch: * any run (also none), ? exactly one, the rest literally, over the whole id', () => {
  it.each<[string, string, boolean]>([
    ['*', 'anything', true],
    ['*', '', true],
    ['storefront-*', 'storefront-eu-1', true],
    ['storefront-*', 'storefront-', true],
    ['storefront-*', 'storefront', false],
    ['storefront-eu-?', 'storefront-eu-1', true],
    ['storefront-eu-?', 'storefront-eu-10', false],
    ['*-eu-*', 'storefront-eu-1', true],
    ['*-eu-*', 'storefront-us-1', false],
    ['web-tier', 'web-tier', true],
    ['web-tier', 'web-tier-2', false],
    ['web.tier', 'webXtier', false],
    ['a*b*c', 'aXbYbZc', true],
    ['a*b*c', 'aXbYbZ', false],
    ['Storefront-*', 'storefront-eu-1', false],
  ])('%s ~ %s → %s', (pattern, id, expected) => expect(globMatch(pattern, id)).toBe(expected));
  it('a pathological pattern on a long id answers quickly (no exponential backtracking)', () => {
    const started = Date.now();
    expect(globMatch(`${'*a'.repeat(60)}b`, 'a'.repeat(128))).toBe(false);
    expect(Date.now() - started).toBeLessThan(200);
  });
});

describe('the scope matrix: route × target × rule-set kind × deliver (one request per cell)', () => {
  /** The oracle: what SECURITY.md's table says each cell answers. */
  function expected(cred: Cred, target: string, kind: Kind, deliver: boolean): { status: number; code?: string; path?: string } {
    if (!cred.routes.includes('POST /v1/evaluate')) return { status: 403, code: 'RouteNotAllowed', path: 'url' };
    if (deliver && !cred.deliver) return { status: 403, code: 'DeliverNotAllowed', path: 'deliver' };
    if (!(cred.targets ?? []).some((p) => globMatch(p, target))) return { status: 403, code: 'TargetNotAllowed', path: 'targets[0].id' };
    const rs = cred.ruleSets ?? {};
    const k = RULE_SET_KINDS[kind];
    const allowed = k.source === 'bundled' ? (rs.bundled ?? []).some((p) => globMatch(p, k.id)) : k.source === 'inline' ? rs.inline === true : rs.imported === true;
    if (!allowed) return { status: 403, code: 'RuleSetNotAllowed', path: 'targets[0].ruleSet' };
    return { status: 200 };
  }
  const cells = CREDS.flatMap((cred) =>
    ['storefront-eu-1', 'storefront-us-1'].flatMap((target) =>
      (Object.keys(RULE_SET_KINDS) as Kind[]).flatMap((kind) => [false, true].map((deliver) => ({ cred: cred.id, target, kind, deliver, ...expected(cred, target, kind, deliver) }))),
    ),
  );
  it('covers every answer: 200, and each of the four refusals', () => {
    expect(new Set(cells.map((c) => c.code ?? 'ok'))).toEqual(new Set(['ok', 'RouteNotAllowed', 'DeliverNotAllowed', 'TargetNotAllowed', 'RuleSetNotAllowed']));
    expect(cells.length).toBe(CREDS.length * 2 * 4 * 2);
  });
  it.each(cells)('$cred: $target with $kind, deliver $deliver → $status $code', async ({ cred, target, kind, deliver, status, code, path }) => {
    const c = CREDS.find((x) => x.id === cred)!;
    const { ruleSet, metrics } = RULE_SET_KINDS[kind];
    const res = await send(c, 'POST', '/v1/evaluate', { now: NOW, deliver, targets: [{ id: target, ruleSet, capacity: 4, metrics }] });
    expect(res.status).toBe(status);
    if (status === 200) {
      const decision = res.json.results[0].decision;
      expect(decision.requestedBy).toEqual({ credential: cred, kind: c.kind });
      expect(decision.ruleSetOrigin).toMatchObject({ id: RULE_SET_KINDS[kind].id, source: RULE_SET_KINDS[kind].source });
      expect(decision.ruleSetOrigin.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(res.json.results[0].delivery !== undefined).toBe(deliver);
    } else if (code === 'TargetNotAllowed' || code === 'RuleSetNotAllowed') {
      // Per target: an error entry, named by path; alone in the batch, its status is the answer's.
      expect(res.json.results[0]).toMatchObject({ ok: false, error: { code, path } });
      expect(res.json.results[0].error.message).toContain(`credential "${cred}"`);
    } else {
      // Whole request: nothing was decided.
      expect(res.json).toEqual({ error: { code, path, message: expect.stringContaining(`credential "${cred}"`) } });
    }
  });

  it.each(CREDS.flatMap((c) => ALL_ROUTES.map((route) => ({ cred: c.id, route, allowed: c.routes.includes(route) }))))(
    '$cred on $route: allowed $allowed',
    async ({ cred, route, allowed }) => {
      const c = CREDS.find((x) => x.id === cred)!;
      const [method, path] = route.split(' ') as [string, string];
      const body = path === '/v1/validate' ? INLINE : path === '/v1/scheduled' ? { at: NOW } : path === '/v1/evaluate' ? { now: NOW, targets: [{ id: 'x', ruleSet: 'web-tier', capacity: 2 }] } : undefined;
      const res = await send(c, method, path, body);
      if (allowed) expect(res.json.error?.code).not.toBe('RouteNotAllowed');
      else expect(res).toEqual({ status: 403, json: { error: { code: 'RouteNotAllowed', path: 'url', message: `credential "${cred}" may not call ${route} (it may call: ${c.routes.join(', ')})` } } });
    },
  );

  it('a batch mixing allowed and refused targets decides the allowed ones (207), refusing the others by path', async () => {
    const res = await send(CREDS[0]!, 'POST', '/v1/evaluate', {
      now: NOW,
      targets: [
        { id: 'storefront-eu-1', ruleSet: 'storefront', capacity: 4, metrics: { cpu: 85 } },
        { id: 'storefront-us-1', ruleSet: 'storefront', capacity: 4, metrics: { cpu: 85 } },
        { id: 'storefront-eu-2', ruleSet: INLINE, capacity: 4, metrics: { cpu: 85 } },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.json.summary).toEqual({ decided: 1, failed: 2 });
    expect(res.json.results.map((r: any) => r.ok || `${r.error.code} ${r.error.path}`)).toEqual([true, 'TargetNotAllowed targets[1].id', 'RuleSetNotAllowed targets[2].ruleSet']);
  });

  it('the target is refused before its rule set is compiled: an out-of-scope inline rule set with a broken expression is TargetNotAllowed, not ExprSyntax', async () => {
    const broken = { ...INLINE, rules: [{ ...INLINE.rules[0], when: { expr: 'metrics.cpu.avg > )' } }] };
    const inScope = await send(CREDS.find((c) => c.id === 'eu-inline')!, 'POST', '/v1/evaluate', { now: NOW, targets: [{ id: 'storefront-eu-1', ruleSet: broken, capacity: 4, metrics: {} }] });
    expect(inScope.json.results[0].error.code).toBe('ExprSyntax');
    const res = await send(CREDS.find((c) => c.id === 'eu-inline')!, 'POST', '/v1/evaluate', { now: NOW, targets: [{ id: 'storefront-us-1', ruleSet: broken, capacity: 4, metrics: {} }] });
    expect(res.json.results[0].error.code).toBe('TargetNotAllowed');
  });

  it('webhook keys: the one X-Edgescale-Key-Id names; without it, several keys cannot be told apart (401)', async () => {
    const body = JSON.stringify({ now: NOW, targets: [{ id: 'storefront-eu-1', ruleSet: 'storefront', capacity: 4, metrics: { cpu: 85 } }] });
    const t = Math.floor(Date.now() / 1000);
    const sign = async (key: string) => `t=${t},v1=${await hmacHex(key, `${t}.${body}`)}`;
    const post = async (headers: Record<string, string>) =>
      (await createApp().fetch(new Request('http://edgescale.test/v1/evaluate', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }), { ...env, ...BINDINGS })).status;
    expect(await post({ 'X-Edgescale-Signature': await sign(secret('prom')), [KEY_ID_HEADER]: 'prom' })).toBe(200);
    expect(await post({ 'X-Edgescale-Signature': await sign(secret('prom')) })).toBe(401);
    expect(await post({ 'X-Edgescale-Signature': await sign(secret('prom')), [KEY_ID_HEADER]: 'grafana' })).toBe(401);
    expect(await post({ 'X-Edgescale-Signature': await sign(secret('prom')), [KEY_ID_HEADER]: 'nobody' })).toBe(401);
    // A token's secret is not a webhook key.
    expect(await post({ 'X-Edgescale-Signature': await sign(secret('ops')), [KEY_ID_HEADER]: 'ops' })).toBe(401);
    // grafana's key with its id: its scope (web-*) refuses storefront-eu-1.
    const res = await createApp().fetch(
      new Request('http://edgescale.test/v1/evaluate', { method: 'POST', headers: { 'content-type': 'application/json', 'X-Edgescale-Signature': await sign(secret('grafana')), [KEY_ID_HEADER]: 'grafana' }, body }),
      { ...env, ...BINDINGS },
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).results[0].error.code).toBe('TargetNotAllowed');
  });
});

describe('an inline or imported rule set never carries a bundled id (422 ReservedRuleSetId, per target)', () => {
  const ops = CREDS.find((c) => c.id === 'ops')!;
  it('every bundled id is reserved', () => expect(bundledRuleSets().size).toBeGreaterThanOrEqual(9));
  it.each([...bundledRuleSets().keys()])('inline rule set with id "%s" → 422 at targets[0].ruleSet.id', async (id) => {
    const res = await send(ops, 'POST', '/v1/evaluate', { now: NOW, targets: [{ id: 'storefront-eu-1', ruleSet: { ...INLINE, id }, capacity: 40, metrics: { cpu: 5 } }] });
    expect(res.status).toBe(422);
    expect(res.json.results[0].error).toEqual({ code: 'ReservedRuleSetId', path: 'targets[0].ruleSet.id', message: expect.stringContaining(`"${id}" is the id of a bundled rule set`) });
  });
  it('the issue\'s attack: an inline "storefront" scaling storefront-eu-1 40 → 0 with deliver: true is refused and nothing is delivered', async () => {
    const attack = { id: 'storefront', capacity: { minimum: 0, maximum: 40, default: 0 }, rules: [{ id: 'drain', direction: 'in', when: { expr: 'true' }, action: { type: 'ExactCount', value: 0 } }] };
    const res = await send(ops, 'POST', '/v1/evaluate', { now: NOW, deliver: true, targets: [{ id: 'storefront-eu-1', ruleSet: attack, capacity: 40, metrics: {} }] });
    expect(res.status).toBe(422);
    expect(res.json.results[0]).toMatchObject({ ok: false, error: { code: 'ReservedRuleSetId' } });
    expect(res.json.results[0].delivery).toBeUndefined();
  });
  it('an imported HPA manifest whose metadata.name is a bundled id → 422 at targets[0].ruleSet', async () => {
    const res = await send(ops, 'POST', '/v1/evaluate', { now: NOW, targets: [{ id: 'x', ruleSet: { hpa: IMPORTED.hpa }, capacity: 4, metrics: { cpu: 50, queue_messages_ready: 120 } }] });
    expect(res.status).toBe(422);
    expect(res.json.results[0].error).toMatchObject({ code: 'ReservedRuleSetId', path: 'targets[0].ruleSet', message: expect.stringContaining('"php-apache"') });
  });
  it('POST /v1/validate still validates a bundled file under its own id (nothing is decided there)', async () => {
    const res = await send(ops, 'POST', '/v1/validate', BUNDLED_RULE_FILES['web-tier.json']);
    expect(res.status).toBe(200);
  });
});

describe('requestedBy and ruleSetOrigin are inside the signed delivery (src/delivery/sign.ts signs the decision body)', () => {
  afterEach(() => vi.restoreAllMocks());
  it('the actuator receives both, and the signature verifies over a body that holds them', async () => {
    const ACTUATOR_KEY = 'actuator-key-0123456789abcdef0123456789abcdef';
    const seen: Array<{ body: string; signature: string | null }> = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const req = new Request(input as RequestInfo, init);
      seen.push({ body: await req.text(), signature: req.headers.get('X-Edgescale-Signature') });
      return new Response('ok', { status: 200 });
    });
    const prom = CREDS.find((c) => c.id === 'prom')!;
    const res = await send(prom, 'POST', '/v1/evaluate', { now: NOW, deliver: true, targets: [{ id: 'storefront-eu-1', ruleSet: 'storefront', capacity: 4, metrics: { cpu: 85 } }] }, {
      ACTUATOR_URL: 'https://actuator.test/decisions',
      ACTUATOR_HMAC_KEY: ACTUATOR_KEY,
    });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    const [{ body, signature }] = seen as [{ body: string; signature: string }];
    const delivered = JSON.parse(body);
    expect(delivered.requestedBy).toEqual({ credential: 'prom', kind: 'webhook' });
    expect(delivered.ruleSetOrigin).toEqual({ id: 'storefront', source: 'bundled', hash: bundledRuleSets().get('storefront')!.ruleSet!.specHash });
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature)!;
    expect(await hmacHex(ACTUATOR_KEY, `${t}.${body}`)).toBe(v1);
    // Changing who asked breaks the signature: the field is covered, not merely present.
    const forged = body.replace('"credential":"prom"', '"credential":"ops"');
    expect(forged).not.toBe(body);
    expect(await hmacHex(ACTUATOR_KEY, `${t}.${forged}`)).not.toBe(v1);
  });
});

describe('POST /v1/scheduled: a delivered tick needs full scope; a preview shows only what the credential covers', () => {
  const creds = [
    { id: 'ops', kind: 'token', routes: ['POST /v1/scheduled'], targets: ['*'], ruleSets: { bundled: ['*'] }, deliver: true },
    { id: 'eu-ops', kind: 'token', routes: ['POST /v1/scheduled'], targets: ['storefront-eu-*'], ruleSets: { bundled: ['storefront'] }, deliver: true },
    { id: 'previewer', kind: 'token', routes: ['POST /v1/scheduled'], targets: ['*'], ruleSets: { bundled: ['*'] } },
  ] as const;
  const bindings: Partial<Env> = { EDGESCALE_CREDENTIALS: JSON.stringify({ credentials: creds.map((c) => ({ ...c, secret: secret(c.id) })) }), EDGESCALE_API_TOKEN: '', EDGESCALE_WEBHOOK_HMAC_KEY: '' };
  const call = async (id: string, body: unknown) => {
    const res = await createApp().fetch(
      new Request('http://edgescale.test/v1/scheduled', { method: 'POST', headers: { authorization: `Bearer ${secret(id)}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      { ...env, ...bindings },
    );
    return { status: res.status, json: (await res.json()) as any };
  };
  // Monday 08:00 in Berlin: storefront's business hours begin (README).
  const AT = '2026-11-23T07:00:00Z';
  it('preview: full scope sees every profile change; eu-ops only storefront-eu-*', async () => {
    const all = await call('ops', { at: AT });
    const eu = await call('eu-ops', { at: AT });
    expect(all.status).toBe(200);
    expect(all.json.decisions.length).toBeGreaterThan(0);
    expect(eu.json.decisions.length).toBeGreaterThan(0);
    expect(eu.json.decisions.every((d: any) => d.target.startsWith('storefront-eu-') && d.ruleSet === 'storefront')).toBe(true);
    expect(eu.json.decisions.length).toBe(all.json.decisions.filter((d: any) => d.target.startsWith('storefront-eu-') && d.ruleSet === 'storefront').length);
  });
  it.each([
    { id: 'eu-ops', code: 'TargetNotAllowed' },
    { id: 'previewer', code: 'DeliverNotAllowed' },
  ])('deliver: true by $id → 403 $code at deliver', async ({ id, code }) => {
    const res = await call(id, { at: AT, deliver: true });
    expect(res.status).toBe(403);
    expect(res.json.error).toMatchObject({ code, path: 'deliver' });
  });
});
