// Every request example of README.md and docs/*.md, sent to the API as written, and its documented
// answer compared with the real one. The convention (docs/README of the markers is this comment):
//
//   <!-- example: POST /v1/evaluate -->        the next ```json block is a request body for that route;
//   <!-- example: POST /v1/evaluate → 422 -->  … answered with that status (200 unless told);
//   <!-- example: curl -->                     the next ```sh block is one curl command: its URL's path
//                                              and its -d body are the request (POST when -d is given);
//   <!-- response -->                          the next ```json block is the answer to the example above:
//                                              every field it shows must be in the real answer with that
//                                              value; fields it leaves out are not checked;
//   <!-- response: decision -->                … compared with the first result's decision;
//   <!-- example: rule set fields -->          the next ```json block is fields of a rule set
//                                              ("targetTracking": […], "behavior": {…}): they are added
//                                              to a minimal rule set, which POST /v1/validate must accept;
//   <!-- example: profile -->                  … one profile, put in a minimal rule set's `profiles`;
//   <!-- example: evaluate fields -->          fields of a POST /v1/evaluate body ("metricsFormat": …,
//                                              "metricsPayload": …), added to a request for target
//                                              web-a (bundled web-tier, capacity 2) at 2026-11-22T10:30:00Z;
//   <!-- fragment -->                          the next ```json block is a piece (part of an answer, a
//                                              request with parts left out) that is not sent on its own.
//
// In a response, a string "…" or "…what it stands for…" ("…64 hex digits…") stands for any value,
// and a string with "…" inside matches a string with the text around each "…" in that order
// ("scale-out 4→5: …"). Arrays match
// element by element and must have the same length. The older markers kpa-example, pods-example,
// predictive-example and columnar-example are executed by their own tests (test/engine/kpa.test.ts, hpa-pods.test.ts, predictive.test.ts,
// series.test.ts). Every ```json block of every doc carries one of these markers, or this test fails.
//
// The app is the one `npm start` serves: the bundled rules/, and the dev switch on for a local
// request, so an example needs no token (requestedBy is local-dev, as in the README).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import type { Env } from '../../src/env.js';
import { silentLogger } from '../../src/observability/log.js';

const ROOT = new URL('../../', import.meta.url);
const DOCS = [
  'README.md',
  ...readdirSync(new URL('docs/', ROOT))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');

interface Block {
  doc: string;
  line: number;
  lang: string;
  /** The HTML comment just above the fence (blank lines between allowed), without `<!--` and `-->`. */
  marker: string | undefined;
  body: string;
}

/** The fenced blocks of a markdown file, each with the marker comment above it. */
function blocks(doc: string): Block[] {
  const lines = read(doc).split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    let j = i - 1;
    while (j >= 0 && lines[j]!.trim() === '') j--;
    const m = j >= 0 ? /^<!--\s*(.*?)\s*-->$/.exec(lines[j]!.trim()) : null;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    out.push({ doc, line: i + 1, lang: open[1]!, marker: m?.[1], body: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}

interface Example {
  where: string;
  method: string;
  path: string;
  status: number;
  body: unknown;
  response?: { of: 'body' | 'decision'; expected: unknown; where: string };
}

function parseJson(b: Block): unknown {
  try {
    return JSON.parse(b.body);
  } catch (e) {
    throw new Error(`${b.doc}:${b.line}: not JSON (${(e as Error).message}); mark a piece <!-- fragment -->`, { cause: e });
  }
}

/** The request of a `curl` block: one command, its path, and the JSON after -d. */
function curlRequest(b: Block): { method: string; path: string; body: unknown } {
  const text = b.body.replace(/\\\n/g, ' ');
  const url = /(?:https?:\/\/)?(?:localhost|127\.0\.0\.1):\d+(\/[^\s'"]*)/.exec(text);
  if (!url) throw new Error(`${b.doc}:${b.line}: a curl example without a URL`);
  const data = /-d\s+'([\s\S]*?)'/.exec(text);
  return { method: data ? 'POST' : 'GET', path: url[1]!, body: data ? JSON.parse(data[1]!) : undefined };
}

/** What a `rule set fields` or `profile` example is added to. */
const MINIMAL_RULE_SET = { id: 'docs-example', capacity: { minimum: 1, maximum: 20, default: 1 }, rules: [] };

/** What an `evaluate fields` example is added to. */
const MINIMAL_EVALUATE = { now: '2026-11-22T10:30:00Z', targets: [{ id: 'web-a', ruleSet: 'web-tier', capacity: 2 }] };

function examplesOf(doc: string): { examples: Example[]; unmarked: string[] } {
  const examples: Example[] = [];
  const unmarked: string[] = [];
  for (const b of blocks(doc)) {
    const where = `${b.doc}:${b.line}`;
    const marker = b.marker ?? '';
    const example = /^example:\s*(.*)$/.exec(marker);
    if (example) {
      const spec = example[1]!;
      const status = Number(/→\s*(\d{3})/.exec(spec)?.[1] ?? 200);
      if (/^curl\b/.test(spec)) {
        examples.push({ where, status, ...curlRequest(b) });
      } else if (/^rule set fields\b/.test(spec)) {
        const fields = parseJson({ ...b, body: `{${b.body}}` }) as Record<string, unknown>;
        examples.push({ where, method: 'POST', path: '/v1/validate', status, body: { ...MINIMAL_RULE_SET, ...fields } });
      } else if (/^evaluate fields\b/.test(spec)) {
        const fields = parseJson({ ...b, body: `{${b.body}}` }) as Record<string, unknown>;
        examples.push({ where, method: 'POST', path: '/v1/evaluate', status, body: { ...MINIMAL_EVALUATE, ...fields } });
      } else if (/^profile\b/.test(spec)) {
        examples.push({ where, method: 'POST', path: '/v1/validate', status, body: { ...MINIMAL_RULE_SET, profiles: [parseJson(b)] } });
      } else {
        const route = /^(GET|POST)\s+(\S+)/.exec(spec);
        if (!route) throw new Error(`${where}: example marker "${marker}" names no route`);
        examples.push({ where, method: route[1]!, path: route[2]!, status, body: parseJson(b) });
      }
    } else if (/^response(:\s*decision)?$/.test(marker)) {
      const last = examples.at(-1);
      if (!last || last.response) throw new Error(`${where}: a response with no example above it`);
      last.response = { of: marker.includes('decision') ? 'decision' : 'body', expected: parseJson(b), where };
    } else if (b.lang === 'json' && !/^(fragment|kpa-example|pods-example|columnar-example|predictive-example)\b/.test(marker)) {
      unmarked.push(where);
    }
  }
  return { examples, unmarked };
}

/** Does `actual` have everything `expected` shows? Returns the path of the first difference, or undefined. */
function mismatch(expected: unknown, actual: unknown, path = '$'): string | undefined {
  // "…" or "…what it stands for…": any value.
  if (typeof expected === 'string' && expected.startsWith('…') && expected.endsWith('…')) return undefined;
  if (typeof expected === 'string' && expected.includes('…')) {
    if (typeof actual !== 'string') return `${path}: expected a string like ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    const parts = expected.split('…');
    let at = 0;
    for (const [i, part] of parts.entries()) {
      const found = i === 0 ? (actual.startsWith(part) ? 0 : -1) : actual.indexOf(part, at);
      if (found < 0) return `${path}: ${JSON.stringify(actual)} does not match ${JSON.stringify(expected)}`;
      at = found + part.length;
    }
    return parts.at(-1) === '' || actual.endsWith(parts.at(-1)!) ? undefined : `${path}: ${JSON.stringify(actual)} does not match ${JSON.stringify(expected)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return `${path}: expected ${expected.length} items, got ${JSON.stringify(actual)?.slice(0, 300)}`;
    for (const [i, e] of expected.entries()) {
      const m = mismatch(e, actual[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${path}: expected an object, got ${JSON.stringify(actual)?.slice(0, 300)}`;
    for (const [k, e] of Object.entries(expected)) {
      if (!(k in actual)) return `${path}.${k}: missing`;
      const m = mismatch(e, (actual as Record<string, unknown>)[k], `${path}.${k}`);
      if (m) return m;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

const ENV: Env = { EDGESCALE_API_TOKEN: 'docs-examples-token-0123456789abcdef', EDGESCALE_DEV_AUTH_DISABLED: 'true' } as Env;
const app = createApp({ locality: () => true, loggerFor: () => silentLogger });

async function send(e: Example): Promise<{ status: number; body: unknown }> {
  const init: RequestInit = { method: e.method, headers: { 'content-type': 'application/json', host: 'localhost:8787' } };
  if (e.body !== undefined) init.body = JSON.stringify(e.body);
  const res = await app.request(`http://localhost:8787${e.path}`, init, ENV);
  return { status: res.status, body: await res.json() };
}

const ALL = DOCS.map((doc) => ({ doc, ...examplesOf(doc) }));

describe('the docs mark every JSON example', () => {
  it.each(ALL.map((d) => [d.doc, d.unmarked] as const))('%s: every ```json block is an example, a response or a fragment', (_doc, unmarked) => {
    expect(unmarked).toEqual([]);
  });

  it('the marker parser and the matcher can fail', () => {
    expect(mismatch({ a: 1, b: [1, 2] }, { a: 1, b: [1, 2], c: 3 })).toBeUndefined();
    expect(mismatch({ a: 1 }, { a: 2 })).toBe('$.a: expected 1, got 2');
    expect(mismatch({ b: [1] }, { b: [1, 2] })).toMatch(/expected 1 items/);
    expect(mismatch({ id: '…' }, { id: { any: 1 } })).toBeUndefined();
    expect(mismatch('scale-out 4→5: …', 'scale-out 4→5: rule cpu-high fired')).toBeUndefined();
    expect(mismatch('scale-out 4→5: …', 'scale-in 5→4: rule cpu-low fired')).toMatch(/does not match/);
    expect(mismatch('…64 hex digits…', 'ab12')).toBeUndefined();
    expect(mismatch({ x: 1 }, {})).toBe('$.x: missing');
  });
});

const RUN = ALL.flatMap((d) => d.examples.map((e) => [e.where, e] as const));

describe('README.md links every doc', () => {
  it('its Documentation list names every docs/*.md', () => {
    const readme = read('README.md');
    const list = readme.slice(readme.indexOf('## Documentation'), readme.indexOf('\n## ', readme.indexOf('## Documentation') + 1));
    const linked = [...list.matchAll(/\]\((docs\/[\w.-]+\.md)\)/g)].map((m) => m[1]);
    expect([...new Set(linked)].sort()).toEqual(DOCS.filter((d) => d.startsWith('docs/')).sort());
  });
});

describe('every request example answers as documented', () => {
  it('there are examples to run', () => {
    expect(RUN.length).toBeGreaterThan(5);
  });

  it.each(RUN)('%s', async (_where, e) => {
    const { status, body } = await send(e);
    expect(status, JSON.stringify(body).slice(0, 800)).toBe(e.status);
    if (!e.response) return;
    const results = (body as { results?: Array<{ decision?: unknown }> }).results;
    const actual = e.response.of === 'decision' ? results?.[0]?.decision : body;
    expect(mismatch(e.response.expected, actual), `${e.response.where}`).toBeUndefined();
  });
});
