// Who may call /v1 and with what scope: the EDGESCALE_CREDENTIALS schema (the one source of truth), the single-secret variables, and the checks every secret must pass.
//
// Two ways to configure credentials (SECURITY.md, "Credentials and scopes"), never both at once:
//   - EDGESCALE_CREDENTIALS: one secret holding JSON, `{ "credentials": [ … ] }`, each credential with
//     an id, a kind (bearer `token` or `webhook` HMAC key), its secret and its scope. Checked by the
//     zod schema below; schema/credentials.schema.json is generated from it (npm run gen:schemas).
//   - EDGESCALE_API_TOKEN and EDGESCALE_WEBHOOK_HMAC_KEY: one full-scope token (id "api-token") and one
//     full-scope webhook key (id "webhook"), as before scopes existed.
// Every secret is at least 32 characters, has no surrounding whitespace, is unique, and differs from
// ACTUATOR_HMAC_KEY (whoever could sign requests with it could also forge deliveries). A configuration
// that breaks any rule is refused whole: every /v1 request is 503 AuthNotConfigured and the problem is
// logged, naming the variable and the rule, never the value.
import { z } from 'zod';
import type { Env } from '../env.js';

/**
 * The routes a credential can be granted, as "METHOD path" (GET /v1/rulesets covers /v1/rulesets/:id).
 * GET /metrics exists under `edgescale serve` only (docs/operations.md): a token granted only it is what a Prometheus server scrapes with.
 */
const ROUTES = ['POST /v1/evaluate', 'POST /v1/validate', 'GET /v1/rulesets', 'POST /v1/scheduled', 'POST /v1/simulate', 'GET /metrics'] as const;
export type RouteName = (typeof ROUTES)[number];

/** The only route a webhook key can be granted: senders push metrics to be decided, nothing else. */
const WEBHOOK_ROUTES = ['POST /v1/evaluate'] as const satisfies readonly RouteName[];

/**
 * Shortest secret accepted, in characters: 32 random hex characters are 128 bits. RFC 2104 §3
 * discourages HMAC keys shorter than the hash output, so SECURITY.md asks for `openssl rand -hex 32`
 * (64 characters) for every secret.
 */
export const MIN_SECRET_LENGTH = 32;
/** Longest secret accepted: far beyond any generated one, small enough to compare cheaply. */
const MAX_SECRET_LENGTH = 512;
/** Credentials in one EDGESCALE_CREDENTIALS: each bearer request compares against every token. */
const MAX_CREDENTIALS = 64;

/** Ids that name the credential-less callers in `requestedBy`; a configured credential cannot take them. */
const RESERVED_CREDENTIAL_IDS = ['local-dev', 'cron', 'cli'] as const;

const Secret = z
  .string()
  .meta({ description: `The bearer token or HMAC key: at least ${MIN_SECRET_LENGTH} characters, no surrounding whitespace (generate with \`openssl rand -hex 32\`).` })
  .superRefine((value, ctx) => {
    // Messages never include the value.
    if (value.trim() !== value) ctx.addIssue({ code: 'custom', message: 'has leading or trailing whitespace, so no request could ever present it; remove it' });
    else if (value.length < MIN_SECRET_LENGTH) ctx.addIssue({ code: 'custom', message: `is shorter than ${MIN_SECRET_LENGTH} characters; use \`openssl rand -hex 32\`` });
    else if (value.length > MAX_SECRET_LENGTH) ctx.addIssue({ code: 'custom', message: `is longer than ${MAX_SECRET_LENGTH} characters` });
  });

const CredentialId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'ids are 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit')
  .refine((id) => !(RESERVED_CREDENTIAL_IDS as readonly string[]).includes(id), `ids ${RESERVED_CREDENTIAL_IDS.map((i) => `"${i}"`).join(', ')} are reserved`)
  .meta({ description: 'Names the credential in every decision it asks for (`requestedBy.credential`) and in webhook requests (`X-Edgescale-Key-Id`).' });

/** A target or rule set id, or a glob over them (src/http/scopes.ts, globMatch). */
const Pattern = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:/*?-]+$/, 'patterns use the characters of ids (letters, digits, . _ : / -) and the wildcards * and ?')
  .meta({ description: 'An id, or a glob: `*` matches any run of characters (also none), `?` exactly one; every other character matches itself. `"*"` alone matches every id.' });

const RuleSetScope = z
  .strictObject({
    bundled: z.array(Pattern).max(64).default([]).meta({ description: 'Bundled rule sets (rules/) the credential may decide with, by id or glob.' }),
    inline: z.boolean().default(false).meta({ description: 'May send its own rule set inline in the request.' }),
    imported: z.boolean().default(false).meta({ description: 'May send an Azure autoscale setting or HPA manifest (`{ "azure": … }`, `{ "hpa": … }`) in the request.' }),
  })
  .meta({ description: 'Which rule sets the credential may decide with. Default: none.' });

const scopeFields = {
  id: CredentialId,
  secret: Secret,
  targets: z
    .array(Pattern)
    .max(64)
    .default([])
    .meta({ description: 'Target ids the credential may ask decisions for, by id or glob (e.g. "storefront-eu-*"). Default: none.' }),
  ruleSets: RuleSetScope.default({ bundled: [], inline: false, imported: false }),
  deliver: z.boolean().default(false).meta({ description: 'May ask for delivery to the actuator (`"deliver": true`). Default: no.' }),
};

const TokenCredential = z
  .strictObject({
    kind: z.literal('token').meta({ description: 'A bearer token: `Authorization: Bearer <secret>`.' }),
    routes: z.array(z.enum(ROUTES)).min(1).meta({ description: 'Routes the token may call.' }),
    ...scopeFields,
  })
  .meta({ description: 'A bearer token and what it may do.' });

const WebhookCredential = z
  .strictObject({
    kind: z.literal('webhook').meta({ description: 'A webhook HMAC key: requests signed with `X-Edgescale-Signature` (SECURITY.md).' }),
    routes: z.array(z.enum(WEBHOOK_ROUTES)).min(1).meta({ description: 'Routes the key may call: only POST /v1/evaluate.' }),
    ...scopeFields,
  })
  .meta({ description: 'A webhook HMAC key and what requests signed with it may do.' });

/** EDGESCALE_CREDENTIALS. */
export const CredentialsConfig = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Editors only; ignored.' }),
    credentials: z
      .array(z.discriminatedUnion('kind', [TokenCredential, WebhookCredential]))
      .min(1)
      .max(MAX_CREDENTIALS),
  })
  .superRefine((config, ctx) => {
    const ids = new Map<string, number>();
    const secrets = new Map<string, number>();
    config.credentials.forEach((c, i) => {
      const sameId = ids.get(c.id);
      if (sameId !== undefined) ctx.addIssue({ code: 'custom', path: ['credentials', i, 'id'], message: `repeats the id of credentials[${sameId}]` });
      else ids.set(c.id, i);
      const sameSecret = secrets.get(c.secret);
      if (sameSecret !== undefined) ctx.addIssue({ code: 'custom', path: ['credentials', i, 'secret'], message: `is the secret of credentials[${sameSecret}]; each credential needs its own` });
      else secrets.set(c.secret, i);
    });
  })
  .meta({ description: 'EDGESCALE_CREDENTIALS: the API tokens and webhook keys of a deployment, each with its own scope.' });

/** A credential as the middleware uses it: who (id, kind) and what it may do. */
export interface Credential {
  id: string;
  kind: 'token' | 'webhook' | 'local-dev';
  routes: readonly RouteName[];
  targets: readonly string[];
  ruleSets: { bundled: readonly string[]; inline: boolean; imported: boolean };
  deliver: boolean;
}

export type SecretCredential = Credential & { kind: 'token' | 'webhook'; secret: string };

const FULL_SCOPE = { targets: ['*'], ruleSets: { bundled: ['*'], inline: true, imported: true }, deliver: true } as const;

/** What a request without credentials gets when the dev switch lets it through (src/http/locality.ts). */
export const LOCAL_DEV_CREDENTIAL: Credential = { id: 'local-dev', kind: 'local-dev', routes: ROUTES, ...FULL_SCOPE };

/** One configuration problem: which variable, and what is wrong (never the value). */
export interface ConfigProblem {
  variable: string;
  message: string;
}

export type CredentialSet =
  | { ok: true; source: 'EDGESCALE_CREDENTIALS' | 'single-secret variables' | 'none'; tokens: SecretCredential[]; webhooks: SecretCredential[] }
  | { ok: false; problems: ConfigProblem[] };

/** Unset and empty are the same (wrangler and vitest bindings use "" for "not set"). */
const present = (value: string | undefined): value is string => value !== undefined && value !== '';

function secretProblems(variable: string, value: string): ConfigProblem[] {
  const parsed = Secret.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => ({ variable, message: `${variable} ${i.message}` }));
}

/** zod path → "credentials[2].secret". */
function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** The JSON parser's message can quote the input (and so a secret): keep only the position. */
function jsonProblem(text: string): ConfigProblem | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const position = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    return { variable: 'EDGESCALE_CREDENTIALS', message: `EDGESCALE_CREDENTIALS is not valid JSON${position ? ` (at character ${position})` : ''}` };
  }
}

function fromConfig(text: string): CredentialSet {
  const bad = jsonProblem(text);
  if (bad) return { ok: false, problems: [bad] };
  const parsed = CredentialsConfig.safeParse(JSON.parse(text));
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => {
        const where = pathText(i.path);
        // zod's own messages name expectations, not received values; custom ones never include a value.
        return { variable: 'EDGESCALE_CREDENTIALS', message: `EDGESCALE_CREDENTIALS${where ? ` ${where}` : ''}: ${i.message}` };
      }),
    };
  }
  const all: SecretCredential[] = parsed.data.credentials.map((c) => ({ ...c, routes: [...new Set(c.routes)] }));
  return { ok: true, source: 'EDGESCALE_CREDENTIALS', tokens: all.filter((c) => c.kind === 'token'), webhooks: all.filter((c) => c.kind === 'webhook') };
}

function resolve(env: Env): CredentialSet {
  const json = env.EDGESCALE_CREDENTIALS;
  const token = env.EDGESCALE_API_TOKEN;
  const webhookKey = env.EDGESCALE_WEBHOOK_HMAC_KEY;
  let set: CredentialSet;
  if (present(json)) {
    const both = [present(token) && 'EDGESCALE_API_TOKEN', present(webhookKey) && 'EDGESCALE_WEBHOOK_HMAC_KEY'].filter((v): v is string => typeof v === 'string');
    if (both.length > 0) {
      return {
        ok: false,
        problems: both.map((variable) => ({
          variable,
          message: `${variable} is set as well as EDGESCALE_CREDENTIALS; use one or the other (move it into EDGESCALE_CREDENTIALS with its scope, then delete ${variable})`,
        })),
      };
    }
    set = fromConfig(json);
  } else {
    const problems = [...(present(token) ? secretProblems('EDGESCALE_API_TOKEN', token) : []), ...(present(webhookKey) ? secretProblems('EDGESCALE_WEBHOOK_HMAC_KEY', webhookKey) : [])];
    if (present(token) && present(webhookKey) && token === webhookKey) {
      problems.push({ variable: 'EDGESCALE_WEBHOOK_HMAC_KEY', message: 'EDGESCALE_WEBHOOK_HMAC_KEY equals EDGESCALE_API_TOKEN; each secret must be its own' });
    }
    if (problems.length > 0) return { ok: false, problems };
    const tokens: SecretCredential[] = present(token) ? [{ id: 'api-token', kind: 'token', secret: token, routes: ROUTES, ...FULL_SCOPE }] : [];
    const webhooks: SecretCredential[] = present(webhookKey) ? [{ id: 'webhook', kind: 'webhook', secret: webhookKey, routes: WEBHOOK_ROUTES, ...FULL_SCOPE }] : [];
    set = { ok: true, source: tokens.length + webhooks.length > 0 ? 'single-secret variables' : 'none', tokens, webhooks };
  }
  if (!set.ok) return set;
  // Whoever holds a secret equal to the actuator's key could sign deliveries the actuator would obey.
  const actuatorKey = env.ACTUATOR_HMAC_KEY;
  if (present(actuatorKey)) {
    const clash = [...set.tokens, ...set.webhooks].filter((c) => c.secret === actuatorKey);
    if (clash.length > 0) {
      return {
        ok: false,
        problems: clash.map((c) => {
          const variable = set.source === 'EDGESCALE_CREDENTIALS' ? 'EDGESCALE_CREDENTIALS' : c.kind === 'token' ? 'EDGESCALE_API_TOKEN' : 'EDGESCALE_WEBHOOK_HMAC_KEY';
          const what = set.source === 'EDGESCALE_CREDENTIALS' ? `EDGESCALE_CREDENTIALS credential "${c.id}"` : variable;
          return { variable, message: `${what} has the same secret as ACTUATOR_HMAC_KEY; a caller holding it could forge deliveries to the actuator. Give each its own (openssl rand -hex 32)` };
        }),
      };
    }
  }
  return set;
}

/** The last environment resolved, by its four variables: compared as they are (no key string built per request). */
let cache: { credentials?: string; token?: string; webhook?: string; actuator?: string; set: CredentialSet } | undefined;

/** The deployment's credentials, or every problem that makes them unusable. */
export function loadCredentials(env: Env): CredentialSet {
  if (
    cache === undefined ||
    cache.credentials !== env.EDGESCALE_CREDENTIALS ||
    cache.token !== env.EDGESCALE_API_TOKEN ||
    cache.webhook !== env.EDGESCALE_WEBHOOK_HMAC_KEY ||
    cache.actuator !== env.ACTUATOR_HMAC_KEY
  ) {
    cache = { credentials: env.EDGESCALE_CREDENTIALS, token: env.EDGESCALE_API_TOKEN, webhook: env.EDGESCALE_WEBHOOK_HMAC_KEY, actuator: env.ACTUATOR_HMAC_KEY, set: resolve(env) };
  }
  return cache.set;
}

/** The JSON Schema of EDGESCALE_CREDENTIALS (written to schema/credentials.schema.json by npm run gen:schemas). */
export function buildCredentialsJsonSchema(): Record<string, unknown> {
  const { $schema: _dialect, ...body } = z.toJSONSchema(CredentialsConfig, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:edgescale:schema:credentials',
    title: 'edgescale credentials (EDGESCALE_CREDENTIALS)',
    description: 'The value of the EDGESCALE_CREDENTIALS secret. Generated from src/http/credentials.ts by scripts/gen-schemas.ts; see SECURITY.md, "Credentials and scopes".',
    ...body,
  };
}
