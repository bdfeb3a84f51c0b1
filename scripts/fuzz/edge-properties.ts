// Fuzzing the edges (npm run fuzz): the HTTP app in-process, every importer and every metric payload converter.
//
// The engine's own invariants are test/property/properties.ts; these are the trust boundaries around it
// (issue #13, SECURITY.md "Robustness"). Each property states what must hold for ANY input:
// - importers and converters return a result or structured issues, never throw;
// - the app answers every request below 500, in JSON;
// - a batch of N targets comes back with N results, however hostile some of them are, and the
//   innocent ones are decided.
// Inputs are real documents mutated (rules/php-apache.hpa.yaml, rules/vmss-web.azure.json, small real
// metric payloads), alias bombs, deep nesting, huge scalars, invalid UTF-8, random bytes and random JSON.
import fc from 'fast-check';
import { createApp } from '../../src/http/app.js';
import { importAny, importHpaManifest } from '../../src/formats/hpa-manifest.js';
import { importAzureAutoscale } from '../../src/formats/azure/import.js';
import { convertMetrics } from '../../src/formats/metrics.js';
import type { MetricFormat } from '../../src/schemas/metric-formats.js';
import { BUNDLED_RULE_FILES } from '../../src/generated/bundled-rules.js';
import { IMPORT_LIMITS, LIMITS } from '../../src/limits.js';

export interface EdgeProperty {
  name: string;
  /** Share of the fuzz total, against the engine properties' defaultRuns. */
  defaultRuns: number;
  check(params: { numRuns: number; seed?: number }): Promise<fc.RunDetails<unknown>>;
}

class EdgeViolation extends Error {
  override name = 'EdgeViolation';
}
function check(condition: boolean, message: string, details?: unknown): asserts condition {
  if (!condition) throw new EdgeViolation(details === undefined ? message : `${message}\n${JSON.stringify(details, null, 1)?.slice(0, 2000)}`);
}

// ---------------------------------------------------------------------------------------------------
// Inputs

const HPA_YAML = BUNDLED_RULE_FILES['php-apache.hpa.yaml'] as string;
const AZURE_TEMPLATE = BUNDLED_RULE_FILES['vmss-web.azure.json'] as Record<string, unknown>;
const T0 = Date.parse('2026-11-22T10:30:00Z');
const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

/** An HPA manifest as an object, parsed from the bundled YAML by the importer's own path (kept simple: a copy of its shape). */
const HPA_OBJECT = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'php-apache', namespace: 'default' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
  },
};

const METRIC_PAYLOADS: Record<MetricFormat, unknown> = {
  otlp: {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'web-1' } }] },
        scopeMetrics: [{ metrics: [{ name: 'cpu', gauge: { dataPoints: [{ timeUnixNano: nanos(T0), asDouble: 85, attributes: [{ key: 'host.name', value: { stringValue: 'vm-1' } }] }] } }] }],
      },
    ],
  },
  prometheus: {
    status: 'success',
    data: { resultType: 'matrix', result: [{ metric: { __name__: 'cpu', target: 'web-1', instance: 'vm-1:9100' }, values: [[T0 / 1000 - 60, '81.5'], [T0 / 1000, '85']] }] },
  },
  azureMonitor: {
    value: [
      {
        name: { value: 'cpu' },
        timeseries: [{ metadatavalues: [{ name: { value: 'target' }, value: 'web-1' }], data: [{ timeStamp: '2026-11-22T10:30:00Z', average: 85 }] }],
      },
    ],
  },
};

/** Every path into a JSON value, in document order, up to `max`. */
function pathsOf(value: unknown, max = 400): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  const stack: Array<{ v: unknown; p: Array<string | number> }> = [{ v: value, p: [] }];
  while (stack.length > 0 && out.length < max) {
    const { v, p } = stack.pop()!;
    out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, p: [...p, i] }));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) stack.push({ v: x, p: [...p, k] });
  }
  return out;
}

/** A copy of `value` with the value at `path` replaced; only the objects along the path are copied (the rest may be deep). */
function replaceAt(value: unknown, path: Array<string | number>, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [key, ...rest] = path as [string | number, ...Array<string | number>];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[key] = replaceAt(copy[key], rest, replacement);
  return copy;
}

/** Nested `depth` levels deep: arrays, objects or a mix. */
function deepValue(depth: number, kind: 'array' | 'object' | 'mixed'): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'array' || (kind === 'mixed' && i % 2 === 0) ? [v] : { a: v };
  return v;
}

const depthArb = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 100 }), weight: 6 }, { arbitrary: fc.integer({ min: 100, max: 5_000 }), weight: 2 }, { arbitrary: fc.integer({ min: 5_000, max: 100_000 }), weight: 1 });

const kindArb = fc.constantFrom('array', 'object', 'mixed') as fc.Arbitrary<'array' | 'object' | 'mixed'>;
const deepJsonArb = fc.tuple(depthArb, kindArb).map(([d, k]) => deepValue(d, k));
/** Deep, but shallow enough for JSON.stringify (which overflows Node's stack near 5,000 levels): for values sent as text. */
const stringifiableDeepJsonArb = fc.tuple(fc.integer({ min: 1, max: 3_000 }), kindArb).map(([d, k]) => deepValue(d, k));

/** Random JSON, now and then deep: handed to importers and converters as a value. */
const jsonArb: fc.Arbitrary<unknown> = fc.oneof({ arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 5 }, { arbitrary: deepJsonArb, weight: 1 });
/** The same, for values that travel as JSON text (deeper bodies are written as text directly, see bodyArb). */
const textJsonArb: fc.Arbitrary<unknown> = fc.oneof({ arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 5 }, { arbitrary: stringifiableDeepJsonArb, weight: 1 });

/** A real document with one or two values (any depth) replaced by random, deep or huge JSON. */
function mutatedArb(base: unknown, values: fc.Arbitrary<unknown> = jsonArb): fc.Arbitrary<unknown> {
  const paths = pathsOf(base);
  const replacement = fc.oneof(
    { arbitrary: values, weight: 6 },
    { arbitrary: fc.integer({ min: 1, max: 70_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
    { arbitrary: fc.constantFrom(null, -1, 0, 1e308, -0, '', '__proto__', 'constructor', [], {}), weight: 2 },
  );
  return fc.tuple(fc.nat(paths.length - 1), replacement, fc.nat(paths.length - 1), replacement, fc.boolean()).map(([i, r, j, s, twice]) => {
    const once = replaceAt(base, paths[i]!, r);
    if (!twice) return once;
    const again = pathsOf(once);
    return replaceAt(once, again[j % again.length]!, s);
  });
}

/** "Billion laughs": `levels` anchors, each aliasing the previous `fanout` times, under a real HPA or alone. */
const aliasBombArb = fc.record({ levels: fc.integer({ min: 2, max: 12 }), fanout: fc.integer({ min: 2, max: 12 }), withHpa: fc.boolean(), flow: fc.boolean() }).map(({ levels, fanout, withHpa, flow }) => {
  const lines = [`l0: &l0 ["lol", "lol"]`];
  for (let i = 1; i < levels; i++) {
    const refs = Array.from({ length: fanout }, () => `*l${i - 1}`);
    lines.push(flow ? `l${i}: &l${i} [${refs.join(', ')}]` : `l${i}: &l${i}\n${refs.map((r) => `  - ${r}`).join('\n')}`);
  }
  const bomb = lines.join('\n');
  return withHpa ? HPA_YAML.replace(/^spec:/m, `${bomb.replace(/^/gm, '  ').replace(/^ {2}l0/, 'x-bomb:\n    l0').replace(/\n {2}/g, '\n    ')}\nspec:`) : `${bomb}\nkind: HorizontalPodAutoscaler\n`;
});

/** Deeply nested YAML: flow brackets, block sequences, indented maps; alone or where a real field was. */
const deepYamlArb = fc.record({ depth: depthArb, style: fc.constantFrom('flow-seq', 'flow-map', 'block-seq', 'block-map'), inHpa: fc.boolean() }).map(({ depth, style, inHpa }) => {
  const d = Math.min(depth, style === 'block-map' ? 300 : 30_000);
  const nested =
    style === 'flow-seq' ? `${'['.repeat(d)}1${']'.repeat(d)}`
    : style === 'flow-map' ? `${'{a: '.repeat(d)}1${'}'.repeat(d)}`
    : style === 'block-seq' ? `${'- '.repeat(d)}1`
    : Array.from({ length: d }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1';
  return inHpa ? HPA_YAML.replace(/averageUtilization: \d+/, `averageUtilization: ${nested.includes('\n') ? '1' : nested}`) : nested;
});

/** The real manifest with characters inserted, deleted or replaced at random places. */
const editedYamlArb = fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.string({ unit: fc.constantFrom(...':-[]{}&*!|>\'"#%@`,? \n\t\\x0aé\u0000\ufffd'.split('')), maxLength: 8 })), { minLength: 1, maxLength: 6 }).map((edits) => {
  let text = HPA_YAML;
  for (const [at, del, ins] of edits) {
    const i = at % (text.length + 1);
    text = text.slice(0, i) + ins + text.slice(i + del);
  }
  return text;
});

/** HPA text of every kind the importer may meet. */
export const hpaTextArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: editedYamlArb, weight: 5 },
  { arbitrary: aliasBombArb, weight: 3 },
  { arbitrary: deepYamlArb, weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: IMPORT_LIMITS.manifestChars + 100 }).map((n) => `${HPA_YAML}\n# ${'x'.repeat(n)}`), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 70_000 }).map((n) => HPA_YAML.replace('php-apache', 'p'.repeat(n))), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 300 }), weight: 2 },
  { arbitrary: mutatedArb(HPA_OBJECT, textJsonArb).map((v) => JSON.stringify(v) ?? 'null'), weight: 2 },
  { arbitrary: fc.integer({ min: 2, max: 3_000 }).map((n) => Array.from({ length: n }, (_, i) => `k${i % 50}: ${i}`).join('\n')), weight: 1 },
);

/** A Knative Service with every autoscaling annotation (the shape of knative/serving's test Services), mutated like the HPA. */
const KNATIVE_SERVICE = {
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'hello', namespace: 'default' },
  spec: {
    template: {
      metadata: {
        annotations: {
          'autoscaling.knative.dev/target': '10',
          'autoscaling.knative.dev/window': '60s',
          'autoscaling.knative.dev/panic-window-percentage': '10',
          'autoscaling.knative.dev/panic-threshold-percentage': '200',
          'autoscaling.knative.dev/scale-down-delay': '30s',
          'autoscaling.knative.dev/min-scale': '1',
          'autoscaling.knative.dev/max-scale': '10',
          'autoscaling.knative.dev/activation-scale': '2',
          'autoscaling.knative.dev/target-burst-capacity': '-1',
        },
      },
      spec: { containerConcurrency: 20, containers: [{ image: 'example' }] },
    },
  },
};
const knativeObjectOf = (values: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: mutatedArb(KNATIVE_SERVICE, values), weight: 4 }, { arbitrary: values, weight: 1 });
const knativeObjectArb = knativeObjectOf(jsonArb);
/** For a Service sent in a request body: shallow enough for JSON.stringify, as azureObjectTextArb. */
const knativeObjectTextArb = knativeObjectOf(textJsonArb);
const hpaObjectOf = (values: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: mutatedArb(HPA_OBJECT, values), weight: 4 }, { arbitrary: values, weight: 1 });
const azureObjectOf = (values: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: mutatedArb(AZURE_TEMPLATE, values), weight: 4 }, { arbitrary: values, weight: 1 });
export const hpaObjectArb = hpaObjectOf(jsonArb);
export const azureObjectArb = azureObjectOf(jsonArb);
const hpaObjectTextArb = hpaObjectOf(textJsonArb);
const azureObjectTextArb = azureObjectOf(textJsonArb);

const FORMATS: MetricFormat[] = ['otlp', 'prometheus', 'azureMonitor'];
const metricsInputOf = (values: fc.Arbitrary<unknown>) =>
  fc.constantFrom(...FORMATS).chain((format) =>
    fc.record({
      format: fc.constant(format),
      payload: fc.oneof({ arbitrary: mutatedArb(METRIC_PAYLOADS[format], values), weight: 5 }, { arbitrary: values, weight: 1 }),
      targetLabel: fc.oneof(fc.constant(format === 'otlp' ? 'service.name' : 'target'), fc.string({ maxLength: 5 })),
    }),
  );
export const metricsInputArb = metricsInputOf(jsonArb);

// ---------------------------------------------------------------------------------------------------
// Checks

function checkIssues(result: unknown, code: string, what: string): void {
  check(typeof result === 'object' && result !== null, `${what}: no result`, result);
  const r = result as { ok?: unknown; issues?: Array<{ code?: unknown; path?: unknown; message?: unknown }>; ruleSet?: unknown };
  if (r.ok === true) return void check(typeof r.ruleSet === 'object' || 'targets' in r, `${what}: ok without a value`, r);
  check(r.ok === false && Array.isArray(r.issues) && r.issues.length > 0, `${what}: neither ok nor issues`, r);
  for (const issue of r.issues) {
    check(issue.code === code && typeof issue.path === 'string' && typeof issue.message === 'string' && issue.message.length > 0, `${what}: malformed issue`, issue);
  }
}

const TOKEN = 'f'.repeat(64);
const ENV = { EDGESCALE_API_TOKEN: TOKEN };
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const app = createApp({ clock: () => T0 });

/** Internal errors logged while a property runs: any is a failure (each is a defect someone would have to chase). */
const internalErrors: string[] = [];

async function request(method: string, path: string, body?: BodyInit): Promise<{ status: number; json: any; text: string }> {
  const res = await app.request(path, { method, headers: HEADERS, ...(body !== undefined && method !== 'GET' && { body }) }, ENV);
  const text = await res.text();
  check(res.status < 500, `${method} ${path} answered ${res.status}`, { status: res.status, body: text.slice(0, 500) });
  check(/^application\/json/.test(res.headers.get('content-type') ?? ''), `${method} ${path} answered ${res.headers.get('content-type')}, not JSON`, text.slice(0, 200));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    check(false, `${method} ${path} answered a body that does not parse as JSON`, text.slice(0, 200));
  }
  return { status: res.status, json, text };
}

const utf8 = new TextEncoder();

/** A hostile target: a foreign rule set from the arbitraries above, random JSON, or a target with broken metrics. */
const hostileTargetArb = fc.oneof(
  { arbitrary: hpaTextArb.map((hpa) => ({ ruleSet: { hpa }, capacity: 2, metrics: {} })), weight: 4 },
  { arbitrary: hpaObjectTextArb.map((hpa) => ({ ruleSet: { hpa }, capacity: 2, metrics: {} })), weight: 2 },
  { arbitrary: azureObjectTextArb.map((azure) => ({ ruleSet: { azure }, capacity: 2, metrics: {} })), weight: 3 },
  { arbitrary: knativeObjectTextArb.map((knative) => ({ ruleSet: { knative }, capacity: 2, metrics: {} })), weight: 2 },
  { arbitrary: textJsonArb, weight: 1 },
  { arbitrary: fc.record({ ruleSet: fc.constant('web-tier'), capacity: fc.oneof(fc.integer(), fc.double()), metrics: fc.dictionary(fc.string({ maxLength: 4 }), textJsonArb, { maxKeys: 3 }) }), weight: 1 },
).map((t) => (typeof t === 'object' && t !== null && !Array.isArray(t) ? t : { value: t }));

const batchArb = fc.array(fc.tuple(fc.boolean(), hostileTargetArb), { minLength: 1, maxLength: 6 }).map((entries) =>
  entries.map(([innocent, hostile], i) => (innocent ? { id: `innocent-${i}`, ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } } : { id: `hostile-${i}`, ...(hostile as object) })),
);

/** Bytes that are not valid UTF-8, inside otherwise plausible JSON. */
const invalidUtf8Arb = fc.tuple(fc.nat(), fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf])).map(([at, bad]) => {
  const good = utf8.encode(JSON.stringify({ hpa: HPA_YAML, now: '2026-11-22T10:30:00Z', targets: [{ id: 'a', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } }] }));
  const i = at % good.length;
  return new Uint8Array([...good.slice(0, i), ...bad, ...good.slice(i)]);
});

const cronArb = fc.oneof(
  fc.constantFrom('garbage', '', '*/5 * * * *', '* * * * * *', '@hourly', '0 0 30 2 *', '0 0 29 2 *', '60 * * * *', '0 0 * * 8', '0 0 L * *', '0 0 * * 5#2', '0 0 1W * *'),
  fc.string({ maxLength: 20 }),
  fc.array(fc.constantFrom('*', '*/5', '0', '1-5', 'MON', '?', 'L', '99', '-', ','), { minLength: 0, maxLength: 7 }).map((f) => f.join(' ')),
);

const bodyArb: fc.Arbitrary<BodyInit> = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 1 },
  { arbitrary: invalidUtf8Arb, weight: 2 },
  { arbitrary: depthArb.map((d) => `${'['.repeat(d)}${']'.repeat(d)}`), weight: 1 },
  { arbitrary: depthArb.map((d) => `{"hpa":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}`), weight: 1 },
  { arbitrary: textJsonArb.map((v) => JSON.stringify(v) ?? ''), weight: 2 },
  { arbitrary: hpaTextArb.map((hpa) => JSON.stringify({ hpa })), weight: 3 },
  { arbitrary: hpaObjectTextArb.map((hpa) => JSON.stringify({ hpa })), weight: 1 },
  { arbitrary: azureObjectTextArb.map((azure) => JSON.stringify({ azure })), weight: 2 },
  { arbitrary: fc.record({ at: fc.oneof(fc.constant('2026-11-23T07:00:00Z'), fc.string({ maxLength: 12 })), cron: cronArb }).map((v) => JSON.stringify(v)), weight: 2 },
  { arbitrary: batchArb.map((targets) => JSON.stringify({ now: '2026-11-22T10:30:00Z', targets })), weight: 2 },
  { arbitrary: metricsInputOf(textJsonArb).map(({ format, payload, targetLabel }) => JSON.stringify({ now: '2026-11-22T10:30:00Z', metricsFormat: { format, targetLabel }, metricsPayload: payload, targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4 }] })), weight: 2 },
  { arbitrary: fc.tuple(batchArb, fc.nat()).map(([targets, cut]) => { const t = JSON.stringify({ targets }); return t.slice(0, cut % t.length); }), weight: 1 },
);

const ROUTES: Array<[string, string]> = [
  ['POST', '/v1/validate'],
  ['POST', '/v1/evaluate'],
  ['POST', '/v1/scheduled'],
  ['GET', '/v1/rulesets'],
  ['GET', '/v1/rulesets/web-tier'],
  ['GET', '/v1/rulesets/%00%ff'],
  ['GET', '/healthz'],
  ['POST', '/v1/nope'],
  ['PUT', '/v1/evaluate'],
  ['GET', '/v1/evaluate'],
];

// ---------------------------------------------------------------------------------------------------
// Properties

function define<T>(name: string, defaultRuns: number, arb: fc.Arbitrary<T>, body: (value: T) => Promise<void> | void): EdgeProperty {
  return {
    name,
    defaultRuns,
    async check(params) {
      const property = fc.asyncProperty(arb, async (value) => {
        internalErrors.length = 0;
        await body(value);
        check(internalErrors.length === 0, 'an internal error was logged', internalErrors);
      });
      return (await withQuietConsole(() => fc.check(property, params))) as fc.RunDetails<unknown>;
    },
  };
}

export const EDGE_PROPERTIES: readonly EdgeProperty[] = [
  define('an HPA manifest as text (edited, alias bombs, deep nesting, huge scalars, random bytes) imports, or gives ImportError issues with paths; never throws', 700, hpaTextArb, (text) => {
    checkIssues(importHpaManifest(text), 'ImportError', 'importHpaManifest');
  }),
  define('an HPA manifest or an Azure autoscale setting as an object (mutated, random, deep) imports, or gives ImportError issues; never throws', 700, fc.tuple(fc.boolean(), hpaObjectArb, azureObjectArb), ([hpa, h, a]) => {
    if (hpa) checkIssues(importAny('hpa', h), 'ImportError', 'importAny(hpa)');
    else checkIssues(importAzureAutoscale(a), 'ImportError', 'importAzureAutoscale');
  }),
  define('a Knative Service (mutated, random, deep; with a mutated config-autoscaler) imports, or gives ImportError issues with paths; never throws', 500, fc.tuple(knativeObjectArb, fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.double(), fc.boolean()))), ([service, config]) => {
    checkIssues(importAny('knative', service), 'ImportError', 'importAny(knative)');
    checkIssues(importAny('knative', service, { config }), 'ImportError', 'importAny(knative, config)');
  }),
  define('a metrics payload of any shape (OTLP, Prometheus, Azure Monitor; mutated, random, deep) converts, or gives MetricFormat issues; never throws', 700, metricsInputArb, (input) => {
    checkIssues(convertMetrics(input), 'MetricFormat', `convertMetrics(${input.format})`);
  }),
  define('POST /v1/evaluate with hostile targets beside innocent ones: below 500, JSON, one result per target in order, every innocent target decided', 500, batchArb, async (targets) => {
    const body = JSON.stringify({ now: '2026-11-22T10:30:00Z', targets });
    const { status, json } = await request('POST', '/v1/evaluate', body);
    if (json.error) {
      // Only a limit can refuse the whole batch (the envelope itself is valid).
      check(['LimitExceeded', 'PayloadTooLarge'].includes(json.error.code) || utf8.encode(body).length > LIMITS.bodyBytes, 'the batch was refused whole', { status, error: json.error });
      return;
    }
    check(Array.isArray(json.results) && json.results.length === targets.length, `a batch of ${targets.length} came back with ${json.results?.length} results (a lost batch)`, json);
    json.results.forEach((r: any, i: number) => {
      check(r.index === i, 'results out of order', r);
      if (targets[i]!.id.startsWith('innocent-')) check(r.ok === true && r.decision?.action === 'scaleOut', `the innocent targets[${i}] was not decided`, r);
      else if (!r.ok) check(typeof r.error?.code === 'string' && typeof r.error?.path === 'string' && r.error.code !== 'InternalError', `targets[${i}]: malformed or internal error entry`, r);
    });
  }),
  define('any body on any route (random bytes, invalid UTF-8, truncated or deep JSON, foreign rule sets, cron patterns): below 500, in JSON', 600, fc.tuple(fc.constantFrom(...ROUTES), bodyArb), async ([[method, path], body]) => {
    const { status, json } = await request(method, path, body);
    if (path === '/v1/scheduled' && status === 200) {
      const sent = (() => {
        try {
          return JSON.parse(typeof body === 'string' ? body : '') as { cron?: unknown };
        } catch {
          return {};
        }
      })();
      if (typeof sent.cron === 'string') check(sent.cron.trim().split(/\s+/).length === 5, `cron "${sent.cron}" was accepted`, json);
    }
    if (status === 413) check(json.error?.code === 'PayloadTooLarge', '413 without PayloadTooLarge', json);
  }),
];

/** Console noise off while the edges run (the app logs warnings and cron reports); internal errors recorded. */
async function withQuietConsole<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, warn: console.warn, info: console.info, error: console.error };
  console.log = console.warn = console.info = () => undefined;
  console.error = (...args: unknown[]) => {
    const line = args.map(String).join(' ');
    if (/internal error|unexpected error/i.test(line)) internalErrors.push(line.slice(0, 2000));
  };
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}
