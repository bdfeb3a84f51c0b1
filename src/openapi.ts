// The OpenAPI 3.1 document and the rule set JSON Schema, generated from the zod schemas (never written by hand).
//
// zod 4's z.toJSONSchema converts each schema; request bodies are converted as `io: 'input'` (what a
// caller may send: fields with defaults are optional and show the default) and answers as
// `io: 'output'`. Refinements (`refine`/`superRefine`: bounds order, durations, time zones, cron
// patterns, step ranges) have no JSON Schema form and are left out; POST /v1/validate runs them.
// Descriptions come from each schema's `.meta({ description })` in z.globalRegistry.
// scripts/gen-schemas.ts writes the results to schema/; test/http/openapi.test.ts fails when those
// files differ from what this module generates.
import { z } from 'zod';
import { HTTP_ERROR_CODES } from './schemas/codes.js';
import pkg from '../package.json';
import {
  Action,
  Condition,
  DecisionState,
  EvaluateRequest,
  MetricPoint,
  MetricTrigger,
  RegularSeries,
  ColumnSeries,
  Rule,
  RuleSet,
  ScheduledRequest,
  StepScalingRule,
  Target,
  AzureRuleSet,
  HpaRuleSet,
  KedaRuleSet,
  AwsRuleSet,
  KnativeRuleSet,
  TargetTrackingRule,
} from './schema.js';
import { HpaBehavior } from './schemas/hpa-behavior.js';
import { StepScalingPolicy } from './schemas/aws-policies.js';
import { PlacementInstance, PlacementSettings } from './schemas/placement.js';
import { MetricFormatOptions } from './schemas/metric-formats.js';
import { LoadModel, SimulateRequest, SimulateResponseSchema, SimulationResultSchema, SimulationSummarySchema, TimelineEntrySchema } from './schemas/simulate.js';
import {
  DecisionSchema,
  DeliveryResultSchema,
  ErrorBodySchema,
  ErrorResponseSchema,
  EvaluateResponseSchema,
  EvaluatedTargetSchema,
  HealthSchema,
  ImportReportSchema,
  IssueSchema,
  MetricsReportSchema,
  ProfileChangeDecisionSchema,
  RuleSetListSchema,
  RuleTraceSchema,
  ScheduledReportSchema,
  StateOutSchema,
  TargetErrorSchema,
  TraceSchema,
  ValidateResponseSchema,
} from './schemas/decision.js';
import { statusOf } from './http/errors.js';
import { DEFAULT_REQUEST_LIMITS, LIMIT_CEILINGS, SIMULATE_LIMITS } from './limits.js';
import { BUNDLED_RULE_FILES } from './generated/bundled-rules.js';

/** JSON Schema dialect of both files: OpenAPI 3.1's default dialect, and what editors support best. */
const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
/**
 * `$id` of the rule set schema. No public host serves the file, so a URN: absolute (as `$id` must
 * be), stable, and it promises nothing over the network. Rule files point at it by relative path.
 */
const RULESET_SCHEMA_ID = 'urn:edgescale:schema:ruleset';
/** Where rule files in rules/ find the schema (their `$schema`), relative to the file. */
export const RULESET_SCHEMA_REF = '../schema/ruleset.schema.json';

const REF_PREFIX = '#/components/schemas/';

type Json = Record<string, unknown>;
type Registry = z.core.$ZodRegistry<{ id: string }>;

/** A registry of named components: each becomes components/schemas/<id> and is referenced by $ref. */
function registry(entries: Record<string, z.ZodType>): Registry {
  const r = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(entries)) r.add(schema, { id });
  return r;
}

/** Request-side components, converted as input. */
const INPUT_COMPONENTS = {
  EvaluateRequest,
  Target,
  AzureRuleSet,
  HpaRuleSet,
  KedaRuleSet,
  AwsRuleSet,
  KnativeRuleSet,
  MetricPoint,
  RegularSeries,
  ColumnSeries,
  DecisionState,
  MetricFormatOptions,
  PlacementInstance,
  RuleSet,
  Rule,
  Condition,
  MetricTrigger,
  Action,
  TargetTrackingRule,
  StepScalingRule,
  StepScalingPolicy,
  HpaBehavior,
  PlacementSettings,
  ScheduledRequest,
  SimulateRequest,
  LoadModel,
};

/** GET /v1/rulesets/:id answers with the stored rule set after defaults (the output side of RuleSet). */
export const RuleSetDetailSchema = z
  .discriminatedUnion('valid', [
    z.object({ id: z.string(), valid: z.literal(true), imported: ImportReportSchema.optional(), ruleSet: RuleSet }),
    z.object({ id: z.string(), valid: z.literal(false), issues: z.array(IssueSchema) }),
  ])
  .meta({ description: 'Answer to GET /v1/rulesets/{id}: the rule set with every default filled in, or why its file does not compile.' });

/** Answer-side components, converted as output. */
const OUTPUT_COMPONENTS = {
  EvaluateResponse: EvaluateResponseSchema,
  EvaluatedTarget: EvaluatedTargetSchema,
  Decision: DecisionSchema,
  Trace: TraceSchema,
  RuleTrace: RuleTraceSchema,
  StateOut: StateOutSchema,
  TargetError: TargetErrorSchema,
  Issue: IssueSchema,
  MetricsReport: MetricsReportSchema,
  DeliveryResult: DeliveryResultSchema,
  ValidateResponse: ValidateResponseSchema,
  RuleSetList: RuleSetListSchema,
  RuleSetDetail: RuleSetDetailSchema,
  ResolvedRuleSet: RuleSet,
  ScheduledReport: ScheduledReportSchema,
  ProfileChangeDecision: ProfileChangeDecisionSchema,
  Health: HealthSchema,
  ErrorResponse: ErrorResponseSchema,
  ErrorBody: ErrorBodySchema,
  SimulateResponse: SimulateResponseSchema,
  SimulationResult: SimulationResultSchema,
  SimulationSummary: SimulationSummarySchema,
  TimelineEntry: TimelineEntrySchema,
};

/**
 * Answers are described open: a plain `z.object` converted as output would say
 * `additionalProperties: false`, which would break strict clients the day a trace gains a field.
 * Strict objects (everything a caller sends, and the stored rule set) keep it.
 */
function openAnswers(ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }): void {
  const def = ctx.zodSchema._zod.def;
  if (def.type === 'object' && def.catchall === undefined && ctx.jsonSchema.additionalProperties === false) {
    delete ctx.jsonSchema.additionalProperties;
  }
}

function components(entries: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, Json> {
  const { schemas } = z.toJSONSchema(registry(entries), {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    uri: (id) => `${REF_PREFIX}${id}`,
    ...(io === 'output' && { override: openAnswers }),
  });
  const out: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    // Shared definitions only appear for recursive schemas, which have no place in components here.
    if (id === '__shared') throw new Error('openapi: a schema is recursive or shared outside the registry; give it a component id');
    // Components sit inside the document: no dialect or $id of their own.
    const { $schema: _dialect, $id: _id, ...rest } = schema as Json;
    out[id] = rest;
  }
  return out;
}

const ref = (id: string) => ({ $ref: `${REF_PREFIX}${id}` });
const json = (schema: Json, extra: Json = {}) => ({ 'application/json': { schema, ...extra } });

// ---------------------------------------------------------------------------------------------
// Examples (README "Try it"); test/http/openapi.test.ts checks the answer is what the API says.

export const EXAMPLE_EVALUATE_REQUEST = {
  now: '2026-11-22T10:30:00Z',
  targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } }],
};

const cpuCondition = (operator: string, threshold: number) => ({
  kind: 'metric',
  metric: 'cpu',
  timeGrain: 'PT1M',
  statistic: 'Average',
  timeWindow: 'PT10M',
  timeAggregation: 'Average',
  grains: 1,
  samples: 1,
  operator,
  threshold,
  aggregated: 85,
  value: 85,
});

export const EXAMPLE_EVALUATE_RESPONSE = {
  now: '2026-11-22T10:30:00Z',
  summary: { decided: 1, failed: 0 },
  results: [
    {
      index: 0,
      target: 'web-1',
      ok: true,
      decision: {
        target: 'web-1',
        ruleSet: 'web-tier',
        profile: { name: 'default', kind: 'default', code: 'DefaultProfile', nextChange: null },
        actuator: 'default',
        decisionId: '13a0f5cb6e0bc2b52894b01557797b4dd89e0f5fb93e7bd53d0f4aa360a4a514',
        now: '2026-11-22T10:30:00Z',
        action: 'scaleOut',
        from: 4,
        to: 5,
        code: 'ScaleOut',
        reason: 'scale-out 4→5: rule cpu-high fired (cpu average over PT10M = 85, > 70)',
        rule: 'cpu-high',
        trace: {
          capacity: { current: 4, bounded: 4, minimum: 2, maximum: 20, default: 3 },
          profile: { code: 'DefaultProfile', message: 'the rule set has no scheduled profiles', profiles: [] },
          rules: [
            { rule: 'cpu-high', direction: 'out', action: '+1', status: 'Fired', condition: cpuCondition('GreaterThan', 70), capacity: 5 },
            { rule: 'cpu-low', direction: 'in', action: '-1', status: 'NotMet', condition: cpuCondition('LessThan', 30) },
          ],
          scaleOut: { fired: ['cpu-high'], wants: 5, rule: 'cpu-high' },
          scaleIn: { fired: [], required: ['cpu-low'], unanimous: false },
          cooldown: { mode: 'shared', out: '2026-11-22T10:35:00Z', in: '2026-11-22T10:35:00Z' },
        },
        state: {
          version: 1,
          cooldownUntil: { out: '2026-11-22T10:35:00Z', in: '2026-11-22T10:35:00Z' },
          lastScale: { at: '2026-11-22T10:30:00Z', direction: 'out', rule: 'cpu-high', from: 4, to: 5 },
        },
        requestedBy: { credential: 'api-token', kind: 'token' },
        ruleSetOrigin: { id: 'web-tier', source: 'bundled', hash: '5d1b3c1f0c8e4f7e2a9b6d0c3e5f7a9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f' },
      },
    },
  ],
};

/** What /v1 answers without a valid token (src/http/auth.ts). */
export const EXAMPLE_UNAUTHORIZED = { error: { code: 'Unauthorized', message: 'a valid bearer token is required', path: 'headers.authorization' } };

// ---------------------------------------------------------------------------------------------
// Errors: which codes each status carries comes from src/http/errors.ts, not from this file.

function codesWithStatus(...statuses: number[]): string[] {
  return HTTP_ERROR_CODES.filter((code) => statuses.includes(statusOf(code)));
}

function errorResponse(statuses: number[], what: string) {
  const codes = codesWithStatus(...statuses).map((c) => `\`${c}\``);
  return { description: `${what} Codes: ${codes.join(', ')}.`, content: json(ref('ErrorResponse')) };
}

const ERROR_RESPONSES = {
  MalformedJson: errorResponse([400], 'The body is not JSON; `position` is the character offset.'),
  Unauthorized: {
    ...errorResponse([401], 'No valid bearer token. The answer carries `WWW-Authenticate: Bearer realm="edgescale"`.'),
    content: json(ref('ErrorResponse'), { example: EXAMPLE_UNAUTHORIZED }),
  },
  Forbidden: errorResponse([403], 'A valid credential asking for a route or delivery outside its scope, or a browser page whose `Origin` is not in EDGESCALE_ALLOWED_ORIGINS (SECURITY.md).'),
  UnsupportedMediaType: errorResponse([415], 'A POST body that is not `Content-Type: application/json` (signed webhook requests excepted).'),
  PayloadTooLarge: errorResponse([413], `The body is larger than the body limit: ${DEFAULT_REQUEST_LIMITS.bodyBytes} bytes by default (DEFAULT_REQUEST_LIMITS.bodyBytes); EDGESCALE_LIMIT_BODY_BYTES sets it, up to ${LIMIT_CEILINGS.bodyBytes}.`),
  LimitExceeded: errorResponse(
    [422],
    'A count in the body is over a limit (targets per batch, points per series, rules per set, expression length, profiles per set, instances per target); the message names the limit and `path` where. Limits: SECURITY.md.',
  ),
  AuthNotConfigured: errorResponse([503], 'The worker has no usable credentials (none configured, a secret shorter than 32 characters or with surrounding whitespace, an invalid EDGESCALE_CREDENTIALS, or a secret equal to ACTUATOR_HMAC_KEY), so it refuses every /v1 request; `path` names the variable.'),
  Error: errorResponse([404, 405, 500], 'Unknown route, wrong method, or an unexpected error (logged).'),
};

const errorRef = (name: keyof typeof ERROR_RESPONSES) => ({ $ref: `#/components/responses/${name}` });

/** The answers every /v1 route with a JSON body may give besides its own. */
const V1_BODY_ERRORS = {
  '400': errorRef('MalformedJson'),
  '401': errorRef('Unauthorized'),
  '403': errorRef('Forbidden'),
  '413': errorRef('PayloadTooLarge'),
  '415': errorRef('UnsupportedMediaType'),
  '503': errorRef('AuthNotConfigured'),
  default: errorRef('Error'),
};
const V1_ERRORS = { '401': errorRef('Unauthorized'), '403': errorRef('Forbidden'), '503': errorRef('AuthNotConfigured'), default: errorRef('Error') };

// ---------------------------------------------------------------------------------------------
// Paths

function paths(): Json {
  const webTier = BUNDLED_RULE_FILES['web-tier.json'];
  const issueCodes = codesWithStatus(422).map((c) => `\`${c}\``).join(', ');
  return {
    '/v1/evaluate': {
      post: {
        operationId: 'evaluate',
        tags: ['Decisions'],
        security: [{ bearerAuth: [] }, { webhookSignature: [] }],
        summary: 'Decide a batch of targets',
        description:
          'Evaluates each target against its rule set (a bundled id or an inline rule set) at `now` and returns one explained ' +
          'decision per target. The worker keeps no state: send back each decision\'s `state` as the target\'s `state` next time. ' +
          'One malformed target gets an error entry; the rest of the batch is still decided.',
        requestBody: {
          required: true,
          content: json(ref('EvaluateRequest'), {
            examples: { webTier: { summary: 'web-tier at capacity 4 with CPU at 85 (README)', value: EXAMPLE_EVALUATE_REQUEST } },
          }),
        },
        responses: {
          '200': {
            description: 'Every target was decided.',
            content: json(ref('EvaluateResponse'), {
              examples: { webTier: { summary: 'scale-out 4→5: cpu-high fired', value: EXAMPLE_EVALUATE_RESPONSE } },
            }),
          },
          '207': { description: 'Some targets were decided and some were not: see each result\'s `ok`.', content: json(ref('EvaluateResponse')) },
          '422': {
            description:
              `The request envelope is invalid (an \`error\` body), or no target could be decided (the batch answer, with the ` +
              `status of the first target's error). Codes: ${issueCodes}.`,
            content: json({ anyOf: [ref('ErrorResponse'), ref('EvaluateResponse')] }),
          },
          ...V1_BODY_ERRORS,
        },
      },
    },
    '/v1/validate': {
      post: {
        operationId: 'validate',
        tags: ['Rule sets'],
        summary: 'Validate a rule set',
        description:
          'Runs every check a rule set goes through before use: the schema, the checks across fields that JSON Schema cannot ' +
          'express, and JSONata compilation. Answers 200 with what the rule set reads and its lint warnings (docs/lint.md: ' +
          'settings that load but that a reviewer would flag, each with a code, path, sentence and suggested fix), or 422 with every problem. An Azure ' +
          'autoscale setting (`{ "azure": … }`) or a Kubernetes HPA (`{ "hpa": … }`) is imported first; the answer shows the ' +
          'native rule set it became and names every field left out (docs/importing.md).',
        requestBody: {
          required: true,
          content: json({ anyOf: [ref('RuleSet'), ref('AzureRuleSet'), ref('HpaRuleSet'), ref('KedaRuleSet'), ref('AwsRuleSet'), ref('KnativeRuleSet')] }, webTier === undefined ? {} : { examples: { webTier: { summary: 'rules/web-tier.json', value: webTier } } }),
        },
        responses: {
          '200': { description: 'The rule set is valid.', content: json(ref('ValidateResponse')) },
          '422': { description: `The rule set is invalid; \`errors\` lists every problem. Codes: ${issueCodes}.`, content: json(ref('ValidateResponse')) },
          ...V1_BODY_ERRORS,
        },
      },
    },
    '/v1/rulesets': {
      get: {
        operationId: 'listRuleSets',
        tags: ['Rule sets'],
        summary: 'List the bundled rule sets',
        description: 'Every file in rules/, compiled once per isolate. A file that does not compile is listed with its issues.',
        responses: { '200': { description: 'The bundled rule sets.', content: json(ref('RuleSetList')) }, ...V1_ERRORS },
      },
    },
    '/v1/rulesets/{id}': {
      get: {
        operationId: 'getRuleSet',
        tags: ['Rule sets'],
        summary: 'Get one bundled rule set',
        parameters: [{ name: 'id', in: 'path', required: true, description: 'The rule set id (its file name without .json).', schema: { type: 'string' }, example: 'web-tier' }],
        responses: {
          '200': { description: 'The rule set with its defaults filled in, or its issues.', content: json(ref('RuleSetDetail')) },
          '404': { description: 'No bundled rule set has this id. Code: `NotFound`.', content: json(ref('ErrorResponse')) },
          ...V1_ERRORS,
        },
      },
    },
    '/v1/simulate': {
      post: {
        operationId: 'simulate',
        tags: ['Decisions'],
        summary: 'Simulate rule sets over a metric history',
        description:
          'Replays decisions from `from` to `to` every `step`, each evaluation seeing the history up to its instant and the previous ' +
          'decision\'s state and capacity, for each rule set over the same history (compare). With `load`, the summary measures ' +
          'capacity against the required capacity, and the demand model makes the rules\' metric follow the simulated capacity. ' +
          `At most ${SIMULATE_LIMITS.evaluations} evaluations per request (evaluations × rule sets). docs/simulate.md.`,
        requestBody: {
          required: true,
          content: json(ref('SimulateRequest'), {
            examples: {
              demand: {
                summary: 'web-tier against a load step, instances reporting CPU',
                value: {
                  ruleSets: ['web-tier'],
                  capacity: 2,
                  from: '2026-11-23T10:00:00Z',
                  to: '2026-11-23T11:00:00Z',
                  load: { series: [{ t: '2026-11-23T10:00:00Z', v: 100 }, { t: '2026-11-23T10:20:00Z', v: 400 }], perInstance: 100, target: 60, metric: 'cpu' },
                  timeline: false,
                },
              },
            },
          }),
        },
        responses: {
          '200': { description: 'One result per rule set, in request order: the summary and, unless `timeline: false`, every evaluation.', content: json(ref('SimulateResponse')) },
          '422': { description: `The request, a rule set or the history is invalid, or the span is over a limit; \`path\` says where. Codes: ${issueCodes}.`, content: json(ref('ErrorResponse')) },
          ...V1_BODY_ERRORS,
        },
      },
    },
    '/v1/scheduled': {
      post: {
        operationId: 'runScheduled',
        tags: ['Schedules'],
        summary: 'Run the cron trigger for a chosen tick',
        description:
          'Finds the profiles that began since the previous tick of `cron` before `at`, and the profile-change decision for each ' +
          'target their rule sets govern. With `deliver: false` (the default) it is a preview; `true` replays the tick.',
        requestBody: {
          required: true,
          content: json(ref('ScheduledRequest'), {
            examples: { businessHours: { summary: 'Monday 08:00 in Berlin (README), as a preview', value: { at: '2026-11-23T07:00:00Z', deliver: false } } },
          }),
        },
        responses: {
          '200': { description: 'The profile changes of the tick, and their deliveries.', content: json(ref('ScheduledReport')) },
          '422': { description: 'The request is invalid. Code: `SchemaViolation`.', content: json(ref('ErrorResponse')) },
          ...V1_BODY_ERRORS,
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        tags: ['Service'],
        summary: 'Prometheus metrics (edgescale serve only)',
        description:
          'The Prometheus text exposition format (version 0.0.4): decisions by action and code, rule and target errors, evaluate latency, targets per request, ' +
          'deliveries by outcome, the outbox by state, and Node process metrics (docs/operations.md lists every series). ' +
          'Served by `edgescale serve` only; a worker answers 404 (docs/operations.md says what to use on Workers). ' +
          'Takes a credential like /v1: a token granted the route `GET /metrics` (EDGESCALE_CREDENTIALS), EDGESCALE_API_TOKEN, or none under the dev switch.',
        responses: {
          '200': { description: 'Every series, as text.', content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: { type: 'string' } } } },
          ...V1_ERRORS,
        },
      },
    },
    '/healthz': {
      get: {
        operationId: 'health',
        tags: ['Service'],
        summary: 'Health',
        security: [],
        responses: { '200': { description: 'The worker is up.', content: json(ref('Health')) } },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'openApi',
        tags: ['Service'],
        summary: 'This OpenAPI document',
        security: [],
        responses: { '200': { description: 'The OpenAPI 3.1 document.', content: json({ type: 'object' }) } },
      },
    },
    '/docs': {
      get: {
        operationId: 'docs',
        tags: ['Service'],
        summary: 'This document as an HTML page',
        description: 'A self-contained page (no external assets) that renders /openapi.json.',
        security: [],
        responses: { '200': { description: 'The HTML page.', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    '/playground': {
      get: {
        operationId: 'playground',
        tags: ['Service'],
        summary: 'The simulation playground',
        description:
          'A static, self-contained page (uPlot inlined, no external assets, a hash-based Content-Security-Policy) that edits a rule set, validates it with /v1/validate and runs /v1/simulate on a generated or pasted history, with the token pasted into it.',
        security: [],
        responses: { '200': { description: 'The HTML page.', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
  };
}

/**
 * Every operation takes and answers X-Request-Id (src/http/request-log.ts): a path-level parameter,
 * and a header on every response, the shared error responses included.
 */
function withRequestId(byPath: Json): Json {
  const header = { 'X-Request-Id': { $ref: '#/components/headers/RequestId' } };
  for (const item of Object.values(byPath as Record<string, Json>)) {
    item.parameters = [{ $ref: '#/components/parameters/RequestId' }];
    for (const op of Object.values(item as Record<string, Json>)) {
      if (Array.isArray(op)) continue;
      for (const response of Object.values(op.responses as Record<string, Json>)) if (!('$ref' in response)) response.headers = { ...(response.headers as Json | undefined), ...header };
    }
  }
  return byPath;
}

const REQUEST_ID = {
  parameter: {
    name: 'X-Request-Id',
    in: 'header',
    required: false,
    description: 'A correlation id to find this request in the logs: kept when it is 1–128 letters, digits, ".", "_", ":" or "-" (starting with a letter or digit), else replaced by a random UUID.',
    schema: { type: 'string', maxLength: 128 },
  },
  header: {
    description: 'The id every log record of this request carries: the caller\'s X-Request-Id when it was safe, else a random UUID (docs/operations.md).',
    schema: { type: 'string' },
  },
};

// ---------------------------------------------------------------------------------------------
// Documents

/** The OpenAPI 3.1 document, built fresh (use `openApiDocument()` for the shared copy). */
export function buildOpenApiDocument(): Json {
  const input = components(INPUT_COMPONENTS, 'input');
  const output = components(OUTPUT_COMPONENTS, 'output');
  const clash = Object.keys(input).filter((id) => id in output);
  if (clash.length > 0) throw new Error(`openapi: component ids used on both sides: ${clash.join(', ')}`);
  return {
    openapi: '3.1.0',
    info: {
      title: pkg.name,
      version: pkg.version,
      description:
        `${pkg.description}\n\n` +
        'Every answer about a target carries a machine code (`code`, PascalCase) and a human sentence (`reason` or `message`). ' +
        'Errors have the shape `{ "error": { "code", "message", "path", "position"?, "issues"? } }`. ' +
        'Answers may gain fields over time; clients should ignore fields they do not know. ' +
        'Checks across fields (bounds order, durations, time zones, cron patterns, step ranges) are not expressible in JSON Schema; ' +
        'POST /v1/validate runs them.',
    },
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    tags: [
      { name: 'Decisions', description: 'Scale decisions for metric batches.' },
      { name: 'Rule sets', description: 'Bundled rule sets and validation of your own.' },
      { name: 'Schedules', description: 'Profile changes of the cron trigger.' },
      { name: 'Service', description: 'Health and documentation; no token needed.' },
    ],
    security: [{ bearerAuth: [] }],
    paths: withRequestId(paths()),
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'Every /v1 route needs `Authorization: Bearer <token>`: EDGESCALE_API_TOKEN, or a token of EDGESCALE_CREDENTIALS within its scope (SECURITY.md).',
        },
        webhookSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Edgescale-Signature',
          description:
            'POST /v1/evaluate only, where a webhook key is configured (EDGESCALE_WEBHOOK_HMAC_KEY, or EDGESCALE_CREDENTIALS with `X-Edgescale-Key-Id: <id>`): `t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<raw body>")>`, ' +
            'valid 5 minutes either side of the worker clock; without `now` the request is decided at `t`. SECURITY.md shows how to sign.',
        },
      },
      responses: Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([name, r]) => [name, { ...r, headers: { 'X-Request-Id': { $ref: '#/components/headers/RequestId' } } }])),
      parameters: { RequestId: REQUEST_ID.parameter },
      headers: { RequestId: REQUEST_ID.header },
      schemas: { ...input, ...output },
    },
  };
}

/** JSON Schema (draft 2020-12) of a rule set file, as written: defaults are shown, not required. */
export function buildRuleSetJsonSchema(): Json {
  const { $schema: _dialect, ...body } = z.toJSONSchema(RuleSet, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Json;
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: RULESET_SCHEMA_ID,
    title: 'edgescale rule set',
    description:
      'An edgescale rule set file (rules/*.json, or inline in POST /v1/evaluate). Generated from src/schema.ts by scripts/gen-schemas.ts; ' +
      'checks across fields (bounds order, durations, time zones, cron patterns, step ranges) are made by POST /v1/validate.',
    ...body,
  };
}

let openApiCache: Json | undefined;

/** The OpenAPI document, built once per isolate (the schemas do not change while it runs). */
export function openApiDocument(): Json {
  return (openApiCache ??= buildOpenApiDocument());
}

/** The text written to schema/*.json: two-space indentation and a trailing newline, so regenerating is byte-stable. */
export function jsonFileText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
