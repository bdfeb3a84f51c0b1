// The generated JSON Schema and OpenAPI document: up to date with the zod schemas, true to the API's real answers, and the docs page self-contained.
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import openApiFile from '../../schema/openapi.json';
import ruleSetSchemaFile from '../../schema/ruleset.schema.json';
import { RuleSet } from '../../src/schema.js';
import {
  buildOpenApiDocument,
  buildRuleSetJsonSchema,
  EXAMPLE_EVALUATE_REQUEST,
  EXAMPLE_EVALUATE_RESPONSE,
  EXAMPLE_UNAUTHORIZED,
  jsonFileText,
  RULESET_SCHEMA_REF,
  RuleSetDetailSchema,
} from '../../src/openapi.js';
import { ErrorResponseSchema, EvaluateResponseSchema, HealthSchema, RuleSetListSchema, ScheduledReportSchema, ValidateResponseSchema } from '../../src/schemas/decision.js';
import { BUNDLED_RULE_FILES } from '../../src/generated/bundled-rules.js';
import { bundledId } from '../../src/rulesets/bundled.js';
import { detectFormat } from '../../src/formats/foreign.js';
import { createApp } from '../../src/http/app.js';
import { docsContentSecurityPolicy, docsHtml, DOCS_SPEC_URL } from '../../src/http/docs-page.js';

type Json = Record<string, any>;
const REGENERATE = 'out of date: run `npm run gen:schemas` and commit schema/';
const AUTH = { authorization: 'Bearer test-token-0123456789abcdef0123456789abcdef', 'content-type': 'application/json' };
const NOW = '2026-11-22T10:30:00Z';

async function call(path: string, init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const res = await exports.default.fetch(`http://edgescale.test${path}`, {
    method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
    headers: init.headers ?? AUTH,
    ...(init.raw !== undefined ? { body: init.raw } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as any };
}

// ---------------------------------------------------------------------------------------------
// A validator for the subset of JSON Schema 2020-12 the generator emits (ajv is not a dependency).
// It throws on any keyword it does not know, so it can never pass a schema it did not understand.

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', 'examples']);

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Every place `value` breaks `schema`, as "path: reason"; `defs` resolves "#/components/schemas/X" and "#/$defs/X". */
function violations(schema: Json, value: unknown, root: Json, path = '$'): string[] {
  const out: string[] = [];
  for (const [key, rule] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    switch (key) {
      case '$ref': {
        const target = String(rule)
          .replace(/^#\//, '')
          .split('/')
          .reduce<any>((o, seg) => o?.[seg], root);
        if (!target) throw new Error(`unresolved $ref ${rule}`);
        out.push(...violations(target, value, root, path));
        break;
      }
      case 'type': {
        const types: string[] = Array.isArray(rule) ? rule : [rule];
        const t = jsonType(value);
        const ok = types.some((x) => x === t || (x === 'integer' && Number.isInteger(value)));
        if (!ok) out.push(`${path}: expected ${types.join('|')}, got ${t}`);
        break;
      }
      case 'enum':
        if (!(rule as unknown[]).some((x) => JSON.stringify(x) === JSON.stringify(value))) out.push(`${path}: ${JSON.stringify(value)} not in enum`);
        break;
      case 'const':
        if (JSON.stringify(rule) !== JSON.stringify(value)) out.push(`${path}: expected const ${JSON.stringify(rule)}`);
        break;
      case 'anyOf':
      case 'oneOf': {
        const passing = (rule as Json[]).filter((alt) => violations(alt, value, root, path).length === 0).length;
        if (key === 'anyOf' ? passing === 0 : passing !== 1) out.push(`${path}: ${passing} of ${key} match`);
        break;
      }
      case 'minimum':
        if (typeof value === 'number' && value < rule) out.push(`${path}: below minimum ${rule}`);
        break;
      case 'maximum':
        if (typeof value === 'number' && value > rule) out.push(`${path}: above maximum ${rule}`);
        break;
      case 'exclusiveMinimum':
        if (typeof value === 'number' && value <= rule) out.push(`${path}: not above ${rule}`);
        break;
      case 'exclusiveMaximum':
        if (typeof value === 'number' && value >= rule) out.push(`${path}: not below ${rule}`);
        break;
      case 'minLength':
        if (typeof value === 'string' && [...value].length < rule) out.push(`${path}: shorter than ${rule}`);
        break;
      case 'maxLength':
        if (typeof value === 'string' && [...value].length > rule) out.push(`${path}: longer than ${rule}`);
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(rule, 'u').test(value)) out.push(`${path}: does not match ${rule}`);
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < rule) out.push(`${path}: fewer than ${rule} items`);
        break;
      case 'maxItems':
        if (Array.isArray(value) && value.length > rule) out.push(`${path}: more than ${rule} items`);
        break;
      case 'items':
        if (Array.isArray(value)) value.forEach((v, i) => out.push(...violations(rule, v, root, `${path}[${i}]`)));
        break;
      case 'required':
        if (jsonType(value) === 'object') for (const k of rule as string[]) if (!(k in (value as Json))) out.push(`${path}: missing ${k}`);
        break;
      case 'properties':
        if (jsonType(value) === 'object') {
          for (const [k, v] of Object.entries(value as Json)) if (k in rule) out.push(...violations(rule[k], v, root, `${path}.${k}`));
        }
        break;
      case 'propertyNames':
        if (jsonType(value) === 'object') for (const k of Object.keys(value as Json)) out.push(...violations(rule, k, root, `${path}{${k}}`));
        break;
      case 'additionalProperties':
        if (jsonType(value) === 'object') {
          const known = new Set(Object.keys(schema.properties ?? {}));
          for (const [k, v] of Object.entries(value as Json)) {
            if (known.has(k)) continue;
            if (rule === false) out.push(`${path}: unknown field ${k}`);
            else if (typeof rule === 'object') out.push(...violations(rule, v, root, `${path}.${k}`));
          }
        }
        break;
      default:
        throw new Error(`the test validator does not know the keyword "${key}" (at ${path})`);
    }
  }
  return out;
}

const doc = openApiFile as Json;

// ---------------------------------------------------------------------------------------------

describe('the committed schema files are what src/openapi.ts generates now', () => {
  // The generator writes jsonFileText(value); parsing it back gives exactly what a JSON import holds.
  it.each([
    { file: 'schema/openapi.json', committed: openApiFile as unknown, generate: buildOpenApiDocument },
    { file: 'schema/ruleset.schema.json', committed: ruleSetSchemaFile as unknown, generate: buildRuleSetJsonSchema },
  ])('$file is up to date', ({ file, committed, generate }) => {
    expect(committed, `${file} is ${REGENERATE}`).toEqual(JSON.parse(jsonFileText(generate())));
  });

  it('generating twice gives the same text (stable output)', () => {
    expect(jsonFileText(buildOpenApiDocument())).toBe(jsonFileText(buildOpenApiDocument()));
    expect(jsonFileText(buildRuleSetJsonSchema())).toMatch(/\n$/);
  });
});

describe('bundled rule files point at the JSON Schema and satisfy it', () => {
  // Native files; an Azure setting or HPA manifest keeps its own format (an ARM template names the ARM schema).
  const files = Object.entries(BUNDLED_RULE_FILES).filter(([file, raw]) => detectFormat(file, raw) === 'native') as Array<[string, Json]>;

  it('foreign files are recognised as such: the ARM template by its resource type, the manifest by its extension', () => {
    const foreign = Object.entries(BUNDLED_RULE_FILES).filter(([file, raw]) => detectFormat(file, raw) !== 'native');
    expect(foreign.map(([file, raw]) => [file, detectFormat(file, raw)])).toEqual([
      ['php-apache.hpa.yaml', 'hpa'],
      ['vmss-web.azure.json', 'azure'],
    ]);
    expect((BUNDLED_RULE_FILES['vmss-web.azure.json'] as Json).$schema).toBe('https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#');
  });

  it('there are bundled files to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map(([file, raw]) => ({ file, raw })))('rules/$file: "$schema" comes first, names the schema, and both zod and the JSON Schema accept the file', ({ raw }) => {
    expect(Object.keys(raw)[0]).toBe('$schema');
    expect(raw.$schema).toBe(RULESET_SCHEMA_REF);
    expect(RuleSet.safeParse(raw).success).toBe(true);
    expect(violations(ruleSetSchemaFile as Json, raw, ruleSetSchemaFile as Json)).toEqual([]);
  });

  // The JSON Schema must refuse what the zod schema refuses by shape (not by refinement), or editors would not flag it.
  const webTier = BUNDLED_RULE_FILES['web-tier.json'] as Json;
  it.each<{ name: string; edit: (r: Json) => void; violation: string }>([
    { name: 'an unknown top-level field (strictObject)', edit: (r) => (r.rulez = []), violation: '$: unknown field rulez' },
    { name: 'a missing id', edit: (r) => delete r.id, violation: '$: missing id' },
    { name: 'a negative minimum capacity (Capacity is min 0)', edit: (r) => (r.capacity.minimum = -1), violation: '$.capacity.minimum: below minimum 0' },
    { name: 'an unknown direction (Direction enum)', edit: (r) => (r.rules[0].direction = 'up'), violation: '$.rules[0].direction: "up" not in enum' },
    { name: 'an action of an unknown type (discriminated union)', edit: (r) => (r.rules[0].action = { type: 'Double' }), violation: '$.rules[0].action: 0 of oneOf match' },
  ])('the JSON Schema rejects $name, as zod does', ({ edit, violation }) => {
    const broken = structuredClone(webTier);
    edit(broken);
    expect(RuleSet.safeParse(broken).success).toBe(false);
    expect(violations(ruleSetSchemaFile as Json, broken, ruleSetSchemaFile as Json)).toContain(violation);
  });
});

describe('the OpenAPI document: version, routes, security, descriptions', () => {
  it('is OpenAPI 3.1 with the JSON Schema 2020-12 dialect', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(ruleSetSchemaFile.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(ruleSetSchemaFile.$id).toBeTruthy();
    expect(ruleSetSchemaFile.title).toBeTruthy();
  });

  // Hono's route table (app.routes) is what the app really serves; `ALL /v1/*` is the auth middleware.
  // As `edgescale serve` builds it (with GET /metrics); a worker serves the same routes but that one.
  const served = createApp({ metrics: async () => ({ contentType: 'text/plain', body: '' }) })
    .routes.filter((r) => r.method !== 'ALL')
    .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:(\w+)/g, '{$1}') }));

  it.each(served)('the served route $method $path is documented', ({ method, path }) => {
    expect(doc.paths[path]?.[method]).toBeDefined();
  });

  // Every key of a path item but `parameters` (the X-Request-Id header every operation takes) is an operation.
  const documented = Object.entries(doc.paths as Json).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((key) => key !== 'parameters')
      .map((method) => ({ method, path })),
  );
  it.each(documented)('the documented route $method $path is served', ({ method, path }) => {
    expect(served).toContainEqual({ method, path });
  });

  it('names the bearer scheme, requires it for /v1 and not for the public routes; the webhook signature is an alternative on evaluate only', () => {
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.webhookSignature).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Edgescale-Signature' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    for (const { method, path } of documented) {
      const effective = doc.paths[path][method].security ?? doc.security;
      const expected = !path.startsWith('/v1/') && path !== '/metrics' ? [] : method === 'post' && path === '/v1/evaluate' ? [{ bearerAuth: [] }, { webhookSignature: [] }] : [{ bearerAuth: [] }];
      expect(effective, `${method} ${path}`).toEqual(expected);
    }
  });

  it('every operation has a unique operationId, a summary and responses, and every /v1 one documents 401', () => {
    const ids = documented.map(({ method, path }) => doc.paths[path][method].operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { method, path } of documented) {
      const op = doc.paths[path][method];
      expect(op.summary, `${method} ${path}`).toBeTruthy();
      expect(Object.keys(op.responses)).toContain('200');
      if (path.startsWith('/v1/') || path === '/metrics') expect(op.responses['401']).toEqual({ $ref: '#/components/responses/Unauthorized' });
    }
  });

  it('every operation takes X-Request-Id, and every answer names it', () => {
    for (const { method, path } of documented) {
      expect(doc.paths[path].parameters, path).toEqual([{ $ref: '#/components/parameters/RequestId' }]);
      for (const response of Object.values(doc.paths[path][method].responses as Json)) {
        const resolved = response.$ref ? doc.components.responses[response.$ref.split('/').pop()] : response;
        expect(resolved.headers['X-Request-Id'], `${method} ${path}`).toEqual({ $ref: '#/components/headers/RequestId' });
      }
    }
  });

  it('every $ref in the document resolves', () => {
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.push(x);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref.replace(/^#\//, '').split('/').reduce<any>((o, s) => o?.[s], doc), ref).toBeDefined();
  });

  // The expected text is read from z.globalRegistry (the .meta() calls), not from the generator.
  const described = Object.entries(RuleSet.shape)
    .map(([field, schema]) => ({ field, description: z.globalRegistry.get(schema as z.ZodType)?.description }))
    .filter((f): f is { field: string; description: string } => f.description !== undefined);

  it('RuleSet has described fields to check', () => {
    expect(described.map((f) => f.field)).toEqual(expect.arrayContaining(['cooldown', 'rules', 'profiles', 'behavior']));
  });

  it.each(described)('RuleSet.$field keeps its description in the OpenAPI component and the rule set schema', ({ field, description }) => {
    expect(doc.components.schemas.RuleSet.properties[field].description).toBe(description);
    expect((ruleSetSchemaFile as Json).properties[field].description).toBe(description);
  });
});

describe('the documented examples are what the API answers', () => {
  const evaluate = doc.paths['/v1/evaluate'].post;

  it('the evaluate request example is the README one: web-tier at capacity 4, cpu 85', () => {
    expect(evaluate.requestBody.content['application/json'].examples.webTier.value).toEqual({
      now: '2026-11-22T10:30:00Z',
      targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } }],
    });
  });

  it('POST /v1/evaluate with the example request answers the example response (decision id and rule set hash aside: they hash the rule set file)', async () => {
    const res = await call('/v1/evaluate', { body: EXAMPLE_EVALUATE_REQUEST });
    expect(res.status).toBe(200);
    const documented = structuredClone(evaluate.responses['200'].content['application/json'].examples.webTier.value);
    expect(documented).toEqual(EXAMPLE_EVALUATE_RESPONSE);
    const id = res.json.results[0].decision.decisionId;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    documented.results[0].decision.decisionId = id;
    // So is the rule set's spec hash; who asked is the bound EDGESCALE_API_TOKEN's credential.
    expect(res.json.results[0].decision.ruleSetOrigin.hash).toMatch(/^[0-9a-f]{64}$/);
    documented.results[0].decision.ruleSetOrigin.hash = res.json.results[0].decision.ruleSetOrigin.hash;
    expect(res.json).toEqual(documented);
  });

  it('a /v1 call without a token answers the documented 401 example', async () => {
    const res = await call('/v1/rulesets', { headers: {} });
    expect(res.status).toBe(401);
    expect(res.json).toEqual(EXAMPLE_UNAUTHORIZED);
    expect(doc.components.responses.Unauthorized.content['application/json'].example).toEqual(res.json);
  });
});

describe('the answer schemas describe what the API really answers', () => {
  const instances = [
    { id: '0', zone: '1', createdAt: '2026-11-01T00:00:00Z' },
    { id: '1', zone: '2', createdAt: '2026-11-01T00:00:00Z' },
    { id: '2', zone: '3', createdAt: '2026-11-01T00:00:00Z' },
    { id: '3', zone: '1', createdAt: '2026-11-02T00:00:00Z' },
  ];
  const everyBundled = Object.keys(BUNDLED_RULE_FILES).map((f, i) => ({ id: `t${i}`, ruleSet: bundledId(f), capacity: 3 }));

  // Each case: a request, the status app.ts gives it, and the zod schema and OpenAPI component of the answer.
  it.each<{ name: string; path: string; body?: unknown; raw?: string; status: number; zod: z.ZodType; component: string }>([
    { name: 'evaluate, the README example', path: '/v1/evaluate', body: EXAMPLE_EVALUATE_REQUEST, status: 200, zod: EvaluateResponseSchema, component: 'EvaluateResponse' },
    { name: 'evaluate, every bundled rule set without data', path: '/v1/evaluate', body: { now: NOW, targets: everyBundled }, status: 200, zod: EvaluateResponseSchema, component: 'EvaluateResponse' },
    {
      name: 'evaluate with instances (placement plan) and deliver (delivery report)',
      path: '/v1/evaluate',
      body: { now: NOW, deliver: true, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 }, instances }] },
      status: 200,
      zod: EvaluateResponseSchema,
      component: 'EvaluateResponse',
    },
    {
      name: 'evaluate, one target decided and one not (207)',
      path: '/v1/evaluate',
      body: { now: NOW, targets: [{ id: 'a', ruleSet: 'web-tier', capacity: 4 }, { id: 'b', ruleSet: 'no-such-set', capacity: 4 }] },
      status: 207,
      zod: EvaluateResponseSchema,
      component: 'EvaluateResponse',
    },
    { name: 'evaluate, an invalid envelope', path: '/v1/evaluate', body: { targets: [] }, status: 422, zod: ErrorResponseSchema, component: 'ErrorResponse' },
    { name: 'evaluate, malformed JSON', path: '/v1/evaluate', raw: '{"targets": [', status: 400, zod: ErrorResponseSchema, component: 'ErrorResponse' },
    { name: 'validate, a valid rule set', path: '/v1/validate', body: BUNDLED_RULE_FILES['web-tier.json'], status: 200, zod: ValidateResponseSchema, component: 'ValidateResponse' },
    { name: 'validate, an invalid rule set', path: '/v1/validate', body: { id: 'x', capacity: { minimum: 5, maximum: 1, default: 3 }, rules: [] }, status: 422, zod: ValidateResponseSchema, component: 'ValidateResponse' },
    { name: 'the bundled rule sets', path: '/v1/rulesets', status: 200, zod: RuleSetListSchema, component: 'RuleSetList' },
    { name: 'one bundled rule set', path: '/v1/rulesets/storefront', status: 200, zod: RuleSetDetailSchema, component: 'RuleSetDetail' },
    { name: 'an unknown bundled rule set', path: '/v1/rulesets/no-such-set', status: 404, zod: ErrorResponseSchema, component: 'ErrorResponse' },
    { name: 'a scheduled tick preview', path: '/v1/scheduled', body: { at: '2026-11-23T07:00:00Z' }, status: 200, zod: ScheduledReportSchema, component: 'ScheduledReport' },
    { name: 'health', path: '/healthz', status: 200, zod: HealthSchema, component: 'Health' },
  ])('$name → $status $component', async ({ path, body, raw, status, zod, component }) => {
    const res = await call(path, { ...(body !== undefined && { body }), ...(raw !== undefined && { raw }) });
    expect(res.status).toBe(status);
    // zod objects drop fields they do not know, so an equal parse means the schema names every field.
    expect(zod.parse(res.json)).toEqual(res.json);
    // The generated JSON Schema (what clients see) accepts the same answer.
    expect(violations({ $ref: `#/components/schemas/${component}` }, res.json, doc)).toEqual([]);
    // And the document lists this status (or a default) for the route, with that component among its schemas.
    const route = Object.entries(doc.paths as Json).find(([p]) => new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`).test(path))!;
    const op = Object.values(route[1] as Json)[0] as Json;
    const response = op.responses[String(status)] ?? op.responses.default;
    const resolved = response.$ref ? doc.components.responses[response.$ref.split('/').pop()] : response;
    expect(JSON.stringify(resolved.content['application/json'].schema)).toContain(`#/components/schemas/${component}`);
  });

  it('the placement and delivery case really carries a plan and a delivery (so the schemas above were exercised)', async () => {
    const res = await call('/v1/evaluate', { body: { now: NOW, deliver: true, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 }, instances }] } });
    expect(res.json.results[0].decision.placement).toMatchObject({ ok: true, requested: 1 });
    expect(res.json.results[0].delivery).toMatchObject({ target: 'web-1' });
  });
});

// GET /openapi.json and GET /docs are wired in src/http/app.ts; both are public, like /healthz.
describe('the worker serves the document and the page without a token', () => {
  it('GET /openapi.json answers the committed document', async () => {
    const res = await call('/openapi.json', { headers: {} });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(openApiFile);
  });

  it('GET /docs answers the page as HTML with its Content-Security-Policy', async () => {
    const res = await exports.default.fetch('http://edgescale.test/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toBe(docsContentSecurityPolicy());
    expect(await res.text()).toBe(docsHtml());
  });
});

describe('the docs page is one self-contained file', () => {
  const html = docsHtml();

  it('is smaller than 20 KB', () => {
    expect(new TextEncoder().encode(html).length).toBeLessThan(20 * 1024);
  });

  it.each<{ name: string; pattern: RegExp }>([
    { name: 'external scripts or images (src=)', pattern: /\ssrc\s*=/i },
    { name: 'stylesheet links', pattern: /<link\b/i },
    { name: 'CSS imports or urls', pattern: /@import|url\(/i },
    { name: 'protocol-relative URLs', pattern: /["'(]\/\/[a-z]/i },
  ])('loads no $name', ({ pattern }) => {
    expect(html).not.toMatch(pattern);
  });

  it('fetches only the same-origin document', () => {
    const fetches = [...html.matchAll(/fetch\(([^,)]+)/g)].map((m) => m[1]);
    expect(fetches).toEqual([`'${DOCS_SPEC_URL}'`]);
    expect(DOCS_SPEC_URL).toBe('/openapi.json');
  });

  it('an embedded document cannot close its script element, and parses back whole', () => {
    const spec = { info: { title: 'x</script><script>alert(1)</script>' } };
    const page = docsHtml({ spec });
    expect(page.split('</script>').length - 1).toBe(2);
    const data = /<script type="application\/json" id="spec">([^<]*)<\/script>/.exec(page)![1]!;
    expect(JSON.parse(data)).toEqual(spec);
  });

  // The hashes are recomputed with WebCrypto, independently of the page's own SHA-256.
  it('its Content-Security-Policy allows exactly its inline script and style', async () => {
    const b64 = async (text: string) => btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))));
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*)<\/style>/.exec(html)![1]!;
    const csp = docsContentSecurityPolicy();
    expect(csp).toContain(`script-src 'sha256-${await b64(script)}'`);
    expect(csp).toContain(`style-src 'sha256-${await b64(style)}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
  });
});
