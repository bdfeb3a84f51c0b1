// The dev switch (src/http/locality.ts): auth is off only for a provably local request — a loopback TCP peer under Node, a wrangler-dev build under workerd — never because of Host, the URL or a header.
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Env } from '../../src/env.js';
import { createApp } from '../../src/http/app.js';
import { isLoopbackAddress, nodePeerLocality, WRANGLER_DEV_BUILD, workerdLocality } from '../../src/http/locality.js';

const SWITCH_ON: Partial<Env> = { EDGESCALE_DEV_AUTH_DISABLED: 'true' };
const BODY = JSON.stringify({ now: '2026-11-22T10:30:00Z', targets: [{ id: 'web-1', ruleSet: 'web-tier', capacity: 4, metrics: { cpu: 85 } }] });

/** POST /v1/evaluate without credentials, to `url`, with `headers` (Host among them). */
function request(url: string, headers: Record<string, string> = {}) {
  return new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: BODY });
}

describe('isLoopbackAddress: socket addresses as Node reports them', () => {
  it.each<[string | undefined, boolean]>([
    ['127.0.0.1', true],
    ['127.0.0.2', true],
    ['127.255.255.254', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['192.0.2.2', false],
    ['10.0.0.1', false],
    ['::ffff:192.0.2.2', false],
    ['fd00::2', false],
    ['128.0.0.1', false],
    ['127.0.0.256', false],
    ['127.1', false],
    ['2130706433', false],
    ['0x7f.1', false],
    ['0x7f000001', false],
    ['localhost', false],
    ['127.0.0.1.evil.example', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (address, expected) => expect(isLoopbackAddress(address)).toBe(expected));
});

describe('under Node (`edgescale serve`): the TCP peer decides; Host and forwarding headers can only keep auth on', () => {
  /** An app whose every request has `peer` as its socket's remote address. */
  const served = (peer: string) => createApp({ locality: nodePeerLocality(() => peer) });
  it.each<{ name: string; peer: string; headers?: Record<string, string>; status: number }>([
    { name: 'loopback peer, Host: localhost:8787', peer: '127.0.0.1', headers: { host: 'localhost:8787' }, status: 200 },
    { name: 'loopback peer over IPv6, Host: [::1]:8787', peer: '::1', headers: { host: '[::1]:8787' }, status: 200 },
    { name: 'non-loopback peer claiming Host: localhost', peer: '192.0.2.7', headers: { host: 'localhost' }, status: 401 },
    { name: 'non-loopback peer claiming Host: 127.0.0.1:8787 (what a default proxy sends)', peer: '192.0.2.7', headers: { host: '127.0.0.1:8787' }, status: 401 },
    { name: 'non-loopback peer with X-Forwarded-For: 127.0.0.1', peer: '192.0.2.7', headers: { host: 'localhost', 'x-forwarded-for': '127.0.0.1' }, status: 401 },
    { name: 'non-loopback peer with CF-Connecting-IP: 127.0.0.1', peer: '192.0.2.7', headers: { host: 'localhost', 'cf-connecting-ip': '127.0.0.1' }, status: 401 },
    { name: 'loopback peer relaying for someone (X-Forwarded-For)', peer: '127.0.0.1', headers: { host: 'localhost', 'x-forwarded-for': '203.0.113.9' }, status: 401 },
    { name: 'loopback peer relaying (Forwarded)', peer: '127.0.0.1', headers: { host: 'localhost', forwarded: 'for=203.0.113.9' }, status: 401 },
    { name: 'loopback peer relaying (Via)', peer: '127.0.0.1', headers: { host: 'localhost', via: '1.1 nginx' }, status: 401 },
    { name: 'loopback peer, a DNS-rebinding page (Host: evil.example)', peer: '127.0.0.1', headers: { host: 'evil.example:8787' }, status: 401 },
    { name: 'loopback peer, Host: 127.1 (a URL parser would say 127.0.0.1)', peer: '127.0.0.1', headers: { host: '127.1' }, status: 401 },
  ])('$name → $status', async ({ peer, headers, status }) => {
    const res = await served(peer).fetch(request('http://localhost/v1/evaluate', headers), { ...env, ...SWITCH_ON });
    expect(res.status).toBe(status);
    if (status === 200) expect(res.headers.get('X-Edgescale-Auth')).toBe('disabled (dev only)');
    else expect(res.headers.get('X-Edgescale-Auth')).toBeNull();
  });
  it('the switch off: a loopback peer needs a token like anyone', async () => {
    const res = await served('127.0.0.1').fetch(request('http://localhost/v1/evaluate', { host: 'localhost' }), { ...env, EDGESCALE_DEV_AUTH_DISABLED: 'false' });
    expect(res.status).toBe(401);
  });
  it('local-dev decisions say so: requestedBy { credential: "local-dev", kind: "local-dev" }', async () => {
    const res = await served('127.0.0.1').fetch(request('http://localhost/v1/evaluate', { host: 'localhost' }), { ...env, ...SWITCH_ON });
    expect(((await res.json()) as any).results[0].decision.requestedBy).toEqual({ credential: 'local-dev', kind: 'local-dev' });
  });
  it('a local request that presents a token is judged by it (the switch only stands in for missing credentials)', async () => {
    const res = await served('127.0.0.1').fetch(request('http://localhost/v1/evaluate', { host: 'localhost', authorization: 'Bearer wrong' }), { ...env, ...SWITCH_ON });
    expect(res.status).toBe(401);
  });
});

describe('under workerd: only a wrangler-dev build (npm start) can turn auth off; no Host, URL or header can', () => {
  it('this build (the vitest pool, like `wrangler deploy`) has no wrangler-dev flag', () => expect(WRANGLER_DEV_BUILD).toBe(false));

  const HOSTS = ['localhost', 'localhost:8787', '127.0.0.1', '127.0.0.1:8787', '[::1]:8787', '127.1', '2130706433', '0x7f.1', '0x7f000001', '127.000.000.001', 'LOCALHOST'];
  it.each(HOSTS)('deployed build, switch on, URL and Host "%s" → 401', async (host) => {
    const url = `http://${host}/v1/evaluate`;
    const viaEntry = await exports.default.fetch(request(url, { host }));
    // The worker's own bindings have the switch off; the same app with it on:
    const switched = await createApp().fetch(request(url, { host }), { ...env, ...SWITCH_ON });
    expect([viaEntry.status, switched.status]).toEqual([401, 401]);
  });

  const devBuild = createApp({ locality: workerdLocality(true) });
  it.each<{ host: string; headers?: Record<string, string>; status: number }>([
    { host: 'localhost:8787', status: 200 },
    { host: 'localhost', status: 200 },
    { host: '127.0.0.1:8787', status: 200 },
    { host: '[::1]:8787', status: 200 },
    { host: 'localhost:8787', headers: { 'cf-connecting-ip': '127.0.0.1' }, status: 200 },
    { host: 'localhost:8787', headers: { 'cf-connecting-ip': '::1' }, status: 200 },
    // Other spellings of loopback are what a URL parser normalises, not what local tools send.
    { host: '127.1', status: 401 },
    { host: '2130706433', status: 401 },
    { host: '0x7f.1', status: 401 },
    { host: '127.0.0.2', status: 401 },
    { host: 'evil.example', status: 401 },
    // Miniflare sets CF-Connecting-IP from the socket: a LAN client of `wrangler dev --ip 0.0.0.0`.
    { host: 'localhost:8787', headers: { 'cf-connecting-ip': '192.0.2.7' }, status: 401 },
    { host: 'localhost:8787', headers: { 'x-forwarded-for': '203.0.113.9' }, status: 401 },
  ])('wrangler-dev build, switch on, Host $host $headers → $status', async ({ host, headers, status }) => {
    const res = await devBuild.fetch(request(`http://${host}/v1/evaluate`, { host, ...headers }), { ...env, ...SWITCH_ON });
    expect(res.status).toBe(status);
  });
  it('wrangler-dev build, switch off → 401', async () => {
    const res = await devBuild.fetch(request('http://localhost:8787/v1/evaluate', { host: 'localhost:8787' }), { ...env, EDGESCALE_DEV_AUTH_DISABLED: 'false' });
    expect(res.status).toBe(401);
  });
  it.each(['TRUE', '1', 'yes', 'true '])('wrangler-dev build, switch "%s" (not exactly "true") → 401', async (value) => {
    const res = await devBuild.fetch(request('http://localhost:8787/v1/evaluate', { host: 'localhost:8787' }), { ...env, EDGESCALE_DEV_AUTH_DISABLED: value });
    expect(res.status).toBe(401);
  });
  it('/healthz tells the truth per request', async () => {
    const health = async (app: ReturnType<typeof createApp>, host: string) => ((await (await app.fetch(new Request(`http://${host}/healthz`, { headers: { host } }), { ...env, ...SWITCH_ON })).json()) as any).auth;
    expect(await health(devBuild, 'localhost:8787')).toBe('DISABLED (dev only)');
    expect(await health(devBuild, '127.1')).toBe('bearer, webhook signature (POST /v1/evaluate)');
    expect(await health(createApp(), 'localhost:8787')).toBe('bearer, webhook signature (POST /v1/evaluate)');
  });
});
