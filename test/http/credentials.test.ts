// Credential configuration (src/http/credentials.ts): what is refused at start, how the worker answers then (503 naming the variable), never a secret in an answer or a log, and the generated schema and docs.
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Env } from '../../src/env.js';
import { createApp } from '../../src/http/app.js';
import { buildCredentialsJsonSchema, CredentialsConfig, loadCredentials, MIN_SECRET_LENGTH } from '../../src/http/credentials.js';
import credentialsSchemaFile from '../../schema/credentials.schema.json';
// vite's ?raw import: the file's text
import securityMd from '../../SECURITY.md?raw';

const GOOD = 'g'.repeat(MIN_SECRET_LENGTH);
const OTHER = 'o'.repeat(48);
const none: Partial<Env> = { EDGESCALE_API_TOKEN: '', EDGESCALE_WEBHOOK_HMAC_KEY: '', EDGESCALE_CREDENTIALS: '', ACTUATOR_HMAC_KEY: '' };
const cred = (extra: Record<string, unknown> = {}) => ({ id: 'ci', kind: 'token', secret: GOOD, routes: ['POST /v1/evaluate'], ...extra });
const json = (credentials: unknown[]) => JSON.stringify({ credentials });

describe('secrets and EDGESCALE_CREDENTIALS: what is refused (each problem names the variable and the rule, never the value)', () => {
  type Case = { name: string; env: Partial<Env>; ok: boolean; variable?: string; message?: RegExp };
  const cases: Case[] = [
    { name: 'nothing configured is usable (and answers 503 per request)', env: {}, ok: true },
    { name: `a token of exactly ${MIN_SECRET_LENGTH} characters`, env: { EDGESCALE_API_TOKEN: GOOD }, ok: true },
    { name: 'a 1-character token', env: { EDGESCALE_API_TOKEN: 'x' }, ok: false, variable: 'EDGESCALE_API_TOKEN', message: /^EDGESCALE_API_TOKEN is shorter than 32 characters/ },
    { name: `a token of ${MIN_SECRET_LENGTH - 1} characters`, env: { EDGESCALE_API_TOKEN: GOOD.slice(1) }, ok: false, variable: 'EDGESCALE_API_TOKEN', message: /shorter than 32/ },
    { name: 'a token with a leading space', env: { EDGESCALE_API_TOKEN: ` ${GOOD}` }, ok: false, variable: 'EDGESCALE_API_TOKEN', message: /leading or trailing whitespace/ },
    { name: 'a token with a trailing newline (echo into wrangler secret put)', env: { EDGESCALE_API_TOKEN: `${GOOD}\n` }, ok: false, variable: 'EDGESCALE_API_TOKEN', message: /leading or trailing whitespace/ },
    { name: 'a short webhook key', env: { EDGESCALE_WEBHOOK_HMAC_KEY: 'test-webhook-key' }, ok: false, variable: 'EDGESCALE_WEBHOOK_HMAC_KEY', message: /shorter than 32/ },
    { name: 'the webhook key equal to ACTUATOR_HMAC_KEY', env: { EDGESCALE_WEBHOOK_HMAC_KEY: OTHER, ACTUATOR_HMAC_KEY: OTHER }, ok: false, variable: 'EDGESCALE_WEBHOOK_HMAC_KEY', message: /same secret as ACTUATOR_HMAC_KEY/ },
    { name: 'the API token equal to ACTUATOR_HMAC_KEY', env: { EDGESCALE_API_TOKEN: OTHER, ACTUATOR_HMAC_KEY: OTHER }, ok: false, variable: 'EDGESCALE_API_TOKEN', message: /same secret as ACTUATOR_HMAC_KEY/ },
    { name: 'the API token equal to the webhook key', env: { EDGESCALE_API_TOKEN: OTHER, EDGESCALE_WEBHOOK_HMAC_KEY: OTHER }, ok: false, variable: 'EDGESCALE_WEBHOOK_HMAC_KEY', message: /equals EDGESCALE_API_TOKEN/ },
    { name: 'EDGESCALE_CREDENTIALS and EDGESCALE_API_TOKEN both set', env: { EDGESCALE_CREDENTIALS: json([cred()]), EDGESCALE_API_TOKEN: OTHER }, ok: false, variable: 'EDGESCALE_API_TOKEN', message: /set as well as EDGESCALE_CREDENTIALS/ },
    { name: 'EDGESCALE_CREDENTIALS, one valid token', env: { EDGESCALE_CREDENTIALS: json([cred()]) }, ok: true },
    { name: 'EDGESCALE_CREDENTIALS that is not JSON', env: { EDGESCALE_CREDENTIALS: `{"credentials":[{"secret":"${OTHER}"` }, ok: false, variable: 'EDGESCALE_CREDENTIALS', message: /^EDGESCALE_CREDENTIALS is not valid JSON/ },
    { name: 'a short secret inside EDGESCALE_CREDENTIALS', env: { EDGESCALE_CREDENTIALS: json([cred({ secret: 'short' })]) }, ok: false, variable: 'EDGESCALE_CREDENTIALS', message: /credentials\[0\]\.secret: is shorter than 32/ },
    { name: 'a secret with whitespace inside EDGESCALE_CREDENTIALS', env: { EDGESCALE_CREDENTIALS: json([cred({ secret: `${GOOD} ` })]) }, ok: false, variable: 'EDGESCALE_CREDENTIALS', message: /credentials\[0\]\.secret: has leading or trailing whitespace/ },
    { name: 'two credentials with one id', env: { EDGESCALE_CREDENTIALS: json([cred(), cred({ secret: OTHER })]) }, ok: false, message: /credentials\[1\]\.id: repeats the id of credentials\[0\]/ },
    { name: 'two credentials with one secret', env: { EDGESCALE_CREDENTIALS: json([cred(), cred({ id: 'cd' })]) }, ok: false, message: /credentials\[1\]\.secret: is the secret of credentials\[0\]/ },
    { name: 'a credential secret equal to ACTUATOR_HMAC_KEY', env: { EDGESCALE_CREDENTIALS: json([cred({ secret: OTHER })]), ACTUATOR_HMAC_KEY: OTHER }, ok: false, message: /credential "ci" has the same secret as ACTUATOR_HMAC_KEY/ },
    { name: 'a reserved id ("local-dev")', env: { EDGESCALE_CREDENTIALS: json([cred({ id: 'local-dev' })]) }, ok: false, message: /credentials\[0\]\.id: ids "local-dev", "cron", "cli" are reserved/ },
    { name: 'a webhook granted another route', env: { EDGESCALE_CREDENTIALS: json([cred({ kind: 'webhook', routes: ['POST /v1/validate'] })]) }, ok: false, message: /credentials\[0\]\.routes\[0\]/ },
    { name: 'an unknown route', env: { EDGESCALE_CREDENTIALS: json([cred({ routes: ['DELETE /v1/everything'] })]) }, ok: false, message: /credentials\[0\]\.routes\[0\]/ },
    { name: 'a credential without routes', env: { EDGESCALE_CREDENTIALS: json([cred({ routes: [] })]) }, ok: false, message: /credentials\[0\]\.routes/ },
    { name: 'an unknown field (a typo of "targets")', env: { EDGESCALE_CREDENTIALS: json([cred({ target: ['*'] })]) }, ok: false, message: /credentials\[0\]: Unrecognized key/ },
    { name: 'a pattern with a character no id has', env: { EDGESCALE_CREDENTIALS: json([cred({ targets: ['store front'] })]) }, ok: false, message: /credentials\[0\]\.targets\[0\]: patterns use/ },
    { name: 'no credentials in the list', env: { EDGESCALE_CREDENTIALS: json([]) }, ok: false, message: /EDGESCALE_CREDENTIALS credentials: / },
  ];
  it.each(cases)('$name → usable: $ok', ({ env: vars, ok, variable, message }) => {
    const set = loadCredentials({ ...none, ...vars } as Env);
    expect(set.ok).toBe(ok);
    if (!set.ok) {
      if (variable) expect(set.problems[0]!.variable).toBe(variable);
      if (message) expect(set.problems.map((p) => p.message).join('\n')).toMatch(message);
      for (const value of Object.values(vars)) for (const secret of [GOOD, OTHER]) if (typeof value === 'string' && value.includes(secret)) expect(JSON.stringify(set.problems)).not.toContain(secret);
    }
  });

  it('defaults grant nothing: a credential with only routes may call them, but decides no target with no rule set and delivers nothing', () => {
    const parsed = CredentialsConfig.parse({ credentials: [cred()] });
    expect(parsed.credentials[0]).toMatchObject({ targets: [], ruleSets: { bundled: [], inline: false, imported: false }, deliver: false });
  });

  it('the single-secret variables are full-scope credentials "api-token" and "webhook"', () => {
    const set = loadCredentials({ ...none, EDGESCALE_API_TOKEN: GOOD, EDGESCALE_WEBHOOK_HMAC_KEY: OTHER } as Env);
    expect(set.ok && set.tokens.map((t) => [t.id, t.routes.length, t.targets, t.ruleSets, t.deliver])).toEqual([['api-token', 6, ['*'], { bundled: ['*'], inline: true, imported: true }, true]]);
    expect(set.ok && set.webhooks.map((t) => [t.id, t.routes])).toEqual([['webhook', ['POST /v1/evaluate']]]);
  });
});

describe('the worker with unusable credentials: every /v1 request is 503 AuthNotConfigured naming the variable; one loud log line', () => {
  let spies: Array<{ mock: { calls: unknown[][] }; mockRestore(): void }>;
  beforeEach(() => {
    spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => undefined));
  });
  afterEach(() => spies.forEach((s) => s.mockRestore()));
  const SHORT = 'short-token-20-chars';
  it.each([
    { name: 'a short EDGESCALE_API_TOKEN, even when the request presents it', vars: { EDGESCALE_API_TOKEN: SHORT }, auth: SHORT, path: 'env.EDGESCALE_API_TOKEN' },
    { name: 'a token with surrounding spaces', vars: { EDGESCALE_API_TOKEN: ` ${GOOD} ` }, auth: GOOD, path: 'env.EDGESCALE_API_TOKEN' },
    { name: 'a webhook key equal to the actuator key', vars: { EDGESCALE_WEBHOOK_HMAC_KEY: OTHER, ACTUATOR_HMAC_KEY: OTHER, EDGESCALE_API_TOKEN: GOOD }, auth: GOOD, path: 'env.EDGESCALE_WEBHOOK_HMAC_KEY' },
    { name: 'the dev switch does not bypass it', vars: { EDGESCALE_API_TOKEN: SHORT, EDGESCALE_DEV_AUTH_DISABLED: 'true' }, auth: undefined, path: 'env.EDGESCALE_API_TOKEN' },
  ])('$name', async ({ vars, auth, path }) => {
    const app = createApp();
    const req = () => new Request('http://edgescale.test/v1/rulesets', { headers: auth ? { authorization: `Bearer ${auth}` } : {} });
    // Logging on (the suites run with EDGESCALE_LOG_LEVEL=off), through the worker's console sink.
    const bindings = { ...env, ...none, ...vars, EDGESCALE_LOG_LEVEL: 'info' } as Env;
    const first = await app.fetch(req(), bindings);
    const second = await app.fetch(req(), bindings);
    expect([first.status, second.status]).toEqual([503, 503]);
    const body = (await first.json()) as any;
    expect(body.error).toMatchObject({ code: 'AuthNotConfigured', path });
    expect(body.error.message).toMatch(/^the server's credentials are not usable, so every \/v1 request is refused: /);
    const health = (await (await app.fetch(new Request('http://edgescale.test/healthz'), bindings)).json()) as any;
    expect(health.auth).toBe('NOT CONFIGURED (see the server log)');
    const lines = spies.flatMap((s) => s.mock.calls.map((a) => a.join(' ')));
    expect(lines.filter((l) => l.includes('refusing every /v1 request (503 AuthNotConfigured)'))).toHaveLength(1);
    for (const secret of [SHORT, GOOD, OTHER]) {
      expect(JSON.stringify(body)).not.toContain(secret);
      for (const l of lines) expect(l).not.toContain(secret);
    }
  });
  it('a presented token with surrounding spaces still matches (the header is trimmed; only the configured secret must be exact)', async () => {
    const res = await createApp().fetch(new Request('http://edgescale.test/v1/rulesets', { headers: { authorization: `Bearer   ${GOOD}  ` } }), { ...env, ...none, EDGESCALE_API_TOKEN: GOOD } as Env);
    expect(res.status).toBe(200);
  });
});

describe('one schema is the source of truth: the committed JSON Schema and SECURITY.md follow it', () => {
  it('schema/credentials.schema.json is what src/http/credentials.ts generates (npm run gen:schemas)', () => {
    expect(credentialsSchemaFile).toEqual(buildCredentialsJsonSchema());
  });
  it('SECURITY.md documents every field of a credential', () => {
    const schema = buildCredentialsJsonSchema() as any;
    const variants = schema.properties.credentials.items.oneOf ?? schema.properties.credentials.items.anyOf;
    const fields = new Set<string>(variants.flatMap((v: any) => Object.keys(v.properties)));
    for (const f of Object.keys(variants[0].properties.ruleSets.properties)) fields.add(`ruleSets.${f}`);
    expect(fields.size).toBeGreaterThanOrEqual(10);
    for (const field of fields) expect(securityMd as string, `SECURITY.md should document \`${field}\``).toContain(`\`${field}\``);
  });
});
