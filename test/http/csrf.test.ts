// Web pages against a dev server (src/http/csrf.ts): only application/json POST bodies (or signed ones), no foreign Origin, CORS only for EDGESCALE_ALLOWED_ORIGINS.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../src/env.js';
import { createApp } from '../../src/http/app.js';
import { isJsonContentType } from '../../src/http/csrf.js';
import { workerdLocality } from '../../src/http/locality.js';

const TOKEN = 'test-token-0123456789abcdef0123456789abcdef'; // vitest.config.ts bindings
const WEBHOOK_KEY = 'test-webhook-key-0123456789abcdef0123456789';
const BODY = JSON.stringify({ now: '2026-11-22T10:30:00Z', targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } }] });
/** The dev server of `npm start`: a wrangler-dev build with the switch on, reached at localhost. */
const devServer = createApp({ locality: workerdLocality(true) });
const DEV: Partial<Env> = { EDGESCALE_DEV_AUTH_DISABLED: 'true' };

async function post(headers: Record<string, string>, bindings: Partial<Env> = DEV, method = 'POST') {
  const res = await devServer.fetch(
    new Request('http://localhost:8787/v1/evaluate', { method, headers: { host: 'localhost:8787', ...headers }, ...(method === 'POST' && { body: BODY }) }),
    { ...env, ...bindings },
  );
  return { status: res.status, headers: res.headers, json: (await res.json().catch(() => null)) as any };
}

describe('isJsonContentType', () => {
  it.each<[string | undefined, boolean]>([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON', true],
    [' application/json ;charset=UTF-8', true],
    ['text/plain', false],
    ['text/plain;charset=UTF-8', false],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data; boundary=x', false],
    ['application/jsonx', false],
    ['application/json-seq', false],
    ['text/json', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (value, expected) => expect(isJsonContentType(value)).toBe(expected));
});

describe('POST bodies only as application/json, unless signed (415 UnsupportedMediaType)', () => {
  it.each(['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'the issue\'s CSRF: a %s POST to the dev server (no Origin) → 415, nothing decided',
    async (type) => {
      const res = await post({ 'content-type': type });
      expect(res.status).toBe(415);
      expect(res.json.error).toEqual({ code: 'UnsupportedMediaType', path: 'headers.content-type', message: expect.stringContaining('application/json') });
    },
  );
  it('no Content-Type at all → 415', async () => expect((await post({})).status).toBe(415));
  it('application/json → 200', async () => expect((await post({ 'content-type': 'application/json' })).status).toBe(200));
  it('with a bearer token too: text/plain → 415', async () => {
    expect((await post({ 'content-type': 'text/plain', authorization: `Bearer ${TOKEN}` }, {})).status).toBe(415);
  });
  it('a signed webhook request may label its JSON as text/plain (a browser cannot sign)', async () => {
    const t = Math.floor(Date.now() / 1000);
    const k = await crypto.subtle.importKey('raw', new TextEncoder().encode(WEBHOOK_KEY), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(`${t}.${BODY}`)));
    const v1 = [...mac].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect((await post({ 'content-type': 'text/plain', 'X-Edgescale-Signature': `t=${t},v1=${v1}` }, {})).status).toBe(200);
  });
});

describe('a foreign Origin is refused (403 OriginNotAllowed), before auth and even on a dev server with auth off', () => {
  it.each(['https://evil.example', 'http://localhost:3000', 'null', 'http://localhost:8787'])('Origin: %s, application/json → 403', async (origin) => {
    const res = await post({ 'content-type': 'application/json', origin });
    expect(res.status).toBe(403);
    expect(res.json.error).toEqual({ code: 'OriginNotAllowed', path: 'headers.origin', message: expect.stringContaining('EDGESCALE_ALLOWED_ORIGINS') });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    // The Origin is not echoed.
    expect(JSON.stringify(res.json)).not.toContain(origin === 'null' ? 'origin: null' : origin);
  });
  it('the issue\'s attack, text/plain with a foreign Origin and a token: 403 before anything is read', async () => {
    const res = await post({ 'content-type': 'text/plain', origin: 'https://evil.example', authorization: `Bearer ${TOKEN}` }, {});
    expect(res.status).toBe(403);
  });
  it('no CORS headers on any answer unless configured', async () => {
    const res = await post({ 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect([...res.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });
});

describe('EDGESCALE_ALLOWED_ORIGINS: the origins whose pages may call /v1 (CORS)', () => {
  const ALLOWED: Partial<Env> = { EDGESCALE_ALLOWED_ORIGINS: 'https://ops.example.com, http://localhost:3000 not-an-origin https://x.example/ *' };
  it('an allowed origin gets Access-Control-Allow-Origin (and still needs credentials)', async () => {
    const anonymous = await post({ 'content-type': 'application/json', origin: 'https://ops.example.com' }, ALLOWED);
    expect(anonymous.status).toBe(401);
    const res = await post({ 'content-type': 'application/json', origin: 'https://ops.example.com', authorization: `Bearer ${TOKEN}` }, ALLOWED);
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://ops.example.com');
    expect(res.headers.get('Vary')).toContain('Origin');
  });
  it('its preflight is answered 204 without credentials', async () => {
    const res = await post({ origin: 'http://localhost:3000', 'access-control-request-method': 'POST' }, ALLOWED, 'OPTIONS');
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:3000');
    expect(res.headers.get('Access-Control-Allow-Headers')).toContain('Authorization');
  });
  it.each(['https://evil.example', 'https://x.example', 'https://ops.example.com.evil.example', '*'])('%s is not allowed (entries that are not exact origins are ignored) → 403', async (origin) => {
    expect((await post({ 'content-type': 'application/json', origin }, ALLOWED)).status).toBe(403);
    expect((await post({ origin }, ALLOWED, 'OPTIONS')).status).toBe(403);
  });
});
