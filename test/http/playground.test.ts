// GET /playground (src/http/playground-page.ts): one static, self-contained page with a strict CSP, public like /docs; and the
// same-origin exemption its API calls rely on (src/http/app.ts), which opens nothing to a foreign page. The page in a real
// browser: scripts/browser-test.mjs.
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { workerdLocality } from '../../src/http/locality.js';
import { playgroundContentSecurityPolicy, playgroundHtml } from '../../src/http/playground-page.js';
import { UPLOT_JS } from '../../src/generated/uplot-assets.js';

const TOKEN = 'test-token-0123456789abcdef0123456789abcdef'; // vitest.config.ts bindings
const b64 = async (text: string) => btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))));

describe('GET /playground', () => {
  it('answers the page as HTML, without a token, with its Content-Security-Policy', async () => {
    const res = await exports.default.fetch('http://edgescale.test/playground');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toBe(playgroundContentSecurityPolicy());
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(playgroundHtml());
  });

  // The hashes are recomputed with WebCrypto from the page as served, independently of the page's own SHA-256.
  it("its CSP allows exactly the page's two inline scripts (uPlot, its own) and its style, and only same-origin fetches", async () => {
    const res = await exports.default.fetch('http://edgescale.test/playground');
    const html = await res.text();
    const csp = res.headers.get('content-security-policy')!;
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2);
    expect(scripts[0]).toBe(UPLOT_JS);
    expect(styles).toHaveLength(1);
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['script-src']).toEqual([`'sha256-${await b64(scripts[0]!)}'`, `'sha256-${await b64(scripts[1]!)}'`]);
    expect(directives['style-src']).toEqual([`'sha256-${await b64(styles[0]!)}'`]);
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('loads nothing from elsewhere: no src=, no <link>, no CSS url()/@import, no absolute URL but uPlot\'s banner', () => {
    const html = playgroundHtml();
    expect(html).not.toMatch(/\ssrc\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect([...new Set(html.match(/https?:\/\/[^\s"'<)]+/g))]).toEqual(['https://github.com/leeoniya/uPlot']);
    // Its only requests: the same-origin API routes.
    expect([...html.matchAll(/fetch\(([^,)]+)/g)].map((m) => m[1])).toEqual(['path']);
    expect([...html.matchAll(/api\('([^']+)'/g)].map((m) => m[1]).sort()).toEqual(['/v1/simulate', '/v1/validate']);
  });

  it('keeps the token in sessionStorage, never localStorage, and builds its DOM without innerHTML', () => {
    const own = [...playgroundHtml().matchAll(/<script>([\s\S]*?)<\/script>/g)][1]![1]!;
    expect(own).toContain('sessionStorage');
    expect(own).not.toMatch(/localStorage|innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });
});

// The playground's calls carry Origin (every browser sends it on a POST, same-origin too); a foreign page's never pass.
describe('the same-origin exemption', () => {
  const BODY = JSON.stringify({ id: 'p', capacity: { minimum: 1, maximum: 3, default: 1 }, rules: [] });
  const devServer = createApp({ locality: workerdLocality(true) });
  async function post(headers: Record<string, string>, dev = false) {
    const res = await devServer.fetch(
      new Request('http://localhost:8787/v1/validate', { method: 'POST', headers: { host: 'localhost:8787', 'content-type': 'application/json', ...headers }, body: BODY }),
      { ...env, ...(dev && { EDGESCALE_DEV_AUTH_DISABLED: 'true' }) },
    );
    return { status: res.status, headers: res.headers, json: (await res.json()) as { error?: { code: string } } };
  }

  it('a same-origin page (Sec-Fetch-Site: same-origin, Origin = its own) reaches auth: 401 without a token, 200 with one, no CORS headers', async () => {
    const same = { origin: 'http://localhost:8787', 'sec-fetch-site': 'same-origin' };
    expect((await post(same)).status).toBe(401);
    const ok = await post({ ...same, authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBeNull();
    // The dev server with auth off lets its own page through as it lets curl through.
    expect((await post(same, true)).status).toBe(200);
  });

  it.each<{ name: string; headers: Record<string, string> }>([
    { name: 'Origin its own but no Sec-Fetch-Site', headers: { origin: 'http://localhost:8787' } },
    { name: 'Sec-Fetch-Site: same-site', headers: { origin: 'http://localhost:8787', 'sec-fetch-site': 'same-site' } },
    { name: 'Sec-Fetch-Site: cross-site', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } },
    { name: 'same-origin claimed with a foreign Origin', headers: { origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' } },
    { name: 'another port on the same host', headers: { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' } },
    { name: 'Origin: null', headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } },
  ])('$name → 403 OriginNotAllowed, even with a token and the dev switch on', async ({ headers }) => {
    for (const dev of [false, true]) {
      const res = await post({ ...headers, authorization: `Bearer ${TOKEN}` }, dev);
      expect(res.status).toBe(403);
      expect(res.json.error?.code).toBe('OriginNotAllowed');
    }
  });
});
