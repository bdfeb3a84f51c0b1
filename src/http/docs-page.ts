// The API docs page: one self-contained HTML document (inline CSS and vanilla JS, no external assets) that renders the OpenAPI document.
import { sha256Hex } from '../engine/hash.js';
import { openApiDocument as buildDocument } from '../openapi.js';

/** The OpenAPI 3.1 document the page renders (built from the zod schemas by src/openapi.ts). */
export function openApiDocument(): Record<string, unknown> {
  return buildDocument();
}

/** Where the page fetches the document from when it is not embedded: same origin, so no CORS and no network beyond the worker. */
export const DOCS_SPEC_URL = '/openapi.json';

const STYLE = String.raw`
:root{--fg:#1d2125;--mute:#5b6470;--line:#d9dee3;--bg:#fff;--soft:#f5f7f9;--acc:#0b5cad}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8ea;--mute:#9aa4ae;--line:#38404a;--bg:#16191d;--soft:#1f242a;--acc:#6cb0ff}}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--acc);text-decoration:none}a:hover{text-decoration:underline}
nav{position:fixed;top:0;bottom:0;width:250px;overflow:auto;padding:16px;border-right:1px solid var(--line);background:var(--soft);font-size:14px}
nav h4{margin:14px 0 4px;color:var(--mute);font-size:12px;text-transform:uppercase}nav ul{list-style:none;margin:0;padding:0}nav li{margin:2px 0}
main{margin-left:250px;padding:16px 32px;max-width:1100px}
@media (max-width:800px){nav{position:static;width:auto;border:0}main{margin:0;padding:12px}}
h1{margin:0 0 4px}h2{margin-top:40px;border-bottom:1px solid var(--line)}h3{margin:28px 0 6px}
code,pre{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace}code{background:var(--soft);padding:0 3px;border-radius:3px}
pre{background:var(--soft);padding:10px;overflow:auto;max-height:480px;border:1px solid var(--line);border-radius:4px}
.m{display:inline-block;min-width:52px;text-align:center;color:#fff;border-radius:3px;font-size:12px;font-weight:700;padding:1px 6px}
.get{background:#2f7d32}.post{background:#0b5cad}.put,.patch{background:#a35b00}.delete{background:#b3261e}
.op{border:1px solid var(--line);border-radius:6px;padding:4px 16px 12px;margin:18px 0}
.mute{color:var(--mute)}.st{font-weight:700;margin-right:8px}
table{border-collapse:collapse;width:100%;margin:6px 0;font-size:14px}td,th{border-top:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{font-size:12px;color:var(--mute)}td:first-child{white-space:nowrap}.req{color:#b3261e}
details{margin:4px 0}summary{cursor:pointer;color:var(--mute)}details>div,details>table{margin-left:12px}
.c{font-size:12px;color:var(--mute)}ul.alt{margin:4px 0;padding-left:18px}
`;

// Builds the DOM with textContent only (never innerHTML), so no text from the document can inject markup.
const SCRIPT = String.raw`
(function () {
  'use strict';
  var spec, app = document.getElementById('app'), nav = document.getElementById('nav');
  var MAX_DEPTH = 8;
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) { if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); }
    (kids || []).forEach(function (c) { if (c != null && c !== false) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function md(text) {
    var span = el('span');
    String(text || '').split(/(\x60[^\x60]+\x60)/).forEach(function (p) {
      span.appendChild(/^\x60.+\x60$/.test(p) ? el('code', { text: p.slice(1, -1) }) : document.createTextNode(p));
    });
    return span;
  }
  function paras(text) { return String(text || '').split(/\n\n+/).map(function (p) { return el('p', null, [md(p)]); }); }
  function refName(s) { return s && s.$ref ? s.$ref.split('/').pop() : null; }
  function resolve(s) {
    var n = refName(s);
    return n ? spec.components.schemas[n] || {} : s || {};
  }
  function resolveAny(o, kind) {
    var n = o && o.$ref ? o.$ref.split('/').pop() : null;
    return n ? spec.components[kind][n] || {} : o || {};
  }
  function typeOf(s) {
    if (!s || typeof s !== 'object') return 'any';
    if (s.$ref) return refName(s);
    if (s.const !== undefined) return JSON.stringify(s.const);
    var alts = s.anyOf || s.oneOf;
    if (alts) return alts.map(typeOf).join(' | ');
    if (s.type === 'array') return typeOf(s.items) + '[]';
    if (s.type === 'object' && !s.properties && s.additionalProperties && typeof s.additionalProperties === 'object') return 'map of ' + typeOf(s.additionalProperties);
    if (Array.isArray(s.type)) return s.type.join(' | ');
    return s.type || 'any';
  }
  function constraints(s) {
    var out = [], j = JSON.stringify;
    if (s.enum) out.push('one of ' + s.enum.map(function (v) { return j(v); }).join(', '));
    if (s.default !== undefined) out.push('default ' + j(s.default));
    [['minimum', '≥ '], ['maximum', '≤ '], ['exclusiveMinimum', '> '], ['exclusiveMaximum', '< '], ['minLength', 'length ≥ '], ['maxLength', 'length ≤ '],
      ['minItems', 'items ≥ '], ['maxItems', 'items ≤ '], ['pattern', 'pattern '], ['format', 'format ']].forEach(function (c) {
      if (s[c[0]] !== undefined && !(c[0] === 'maximum' && s.maximum >= 9007199254740991)) out.push(c[1] + s[c[0]]);
    });
    return out.length ? el('div', { class: 'c', text: out.join(' · ') }) : null;
  }
  function expandable(s) {
    if (!s || typeof s !== 'object') return false;
    if (s.$ref) return true;
    if (s.properties || s.anyOf || s.oneOf) return true;
    if (s.type === 'array') return expandable(s.items);
    return !!(s.additionalProperties && typeof s.additionalProperties === 'object' && expandable(s.additionalProperties));
  }
  // One schema as nested tables; $refs open lazily and link to their component.
  function view(s, depth, trail) {
    s = s || {};
    if (depth > MAX_DEPTH) return el('span', { class: 'mute', text: '…' });
    var n = refName(s);
    if (n) {
      var link = el('a', { href: '#schema-' + n, text: n });
      if (trail.indexOf(n) >= 0) return link;
      var d = el('details', null, [el('summary', null, [link, ' ', el('span', { text: 'fields' })])]);
      d.addEventListener('toggle', function once() {
        if (d.open && d.childNodes.length === 1) d.appendChild(el('div', null, [view(resolve(s), depth + 1, trail.concat(n))]));
      });
      if (depth === 0) d.open = true;
      return d;
    }
    var alts = s.anyOf || s.oneOf;
    if (alts) {
      return el('div', null, [el('div', { class: 'c', text: s.oneOf ? 'exactly one of:' : 'any of:' }), el('ul', { class: 'alt' }, alts.map(function (a) {
        return el('li', null, [el('code', { text: typeOf(a) }), a.description ? el('span', null, [' — ', md(a.description)]) : null, constraints(a),
          expandable(a) ? view(a, depth + 1, trail) : null]);
      }))]);
    }
    if (s.type === 'array') return expandable(s.items) ? el('div', null, [el('div', { class: 'c', text: 'items:' }), view(s.items, depth + 1, trail)]) : el('code', { text: typeOf(s) });
    if (s.properties) {
      var req = s.required || [];
      var rows = Object.keys(s.properties).map(function (k) {
        var p = s.properties[k], r = req.indexOf(k) >= 0;
        var nested = expandable(p) ? (p.$ref ? view(p, depth + 1, trail) : el('details', null, [el('summary', { text: 'fields' }), view(p, depth + 1, trail)])) : null;
        return el('tr', null, [
          el('td', null, [el('code', { text: k }), r ? el('span', { class: 'req', title: 'required', text: ' *' }) : null]),
          el('td', null, [el('code', { text: typeOf(p) })]),
          el('td', null, [p.description ? md(p.description) : null, constraints(p), nested]),
        ]);
      });
      var extra = s.additionalProperties === false ? el('div', { class: 'c', text: 'no other fields' }) : null;
      return el('div', null, [el('table', null, [el('tr', null, [el('th', { text: 'field' }), el('th', { text: 'type' }), el('th', { text: 'description' })])].concat(rows)), extra]);
    }
    if (s.additionalProperties && typeof s.additionalProperties === 'object') return el('div', null, [el('div', { class: 'c', text: 'values:' }), view(s.additionalProperties, depth + 1, trail)]);
    return el('span', null, [el('code', { text: typeOf(s) }), constraints(s)]);
  }
  function examples(media) {
    var list = [];
    if (media.example !== undefined) list.push({ summary: 'Example', value: media.example });
    Object.keys(media.examples || {}).forEach(function (k) { var x = media.examples[k]; list.push({ summary: x.summary || k, value: x.value }); });
    return list;
  }
  function exampleBlock(x, open) {
    var d = el('details', null, [el('summary', { text: 'Example: ' + x.summary }), el('pre', { text: JSON.stringify(x.value, null, 2) })]);
    d.open = !!open;
    return d;
  }
  function content(c, isRequest, path) {
    return Object.keys(c || {}).map(function (type) {
      var media = c[type], xs = examples(media);
      var kids = [el('div', { class: 'c', text: type }), media.schema ? view(media.schema, 0, []) : null];
      xs.forEach(function (x, i) {
        kids.push(exampleBlock(x, isRequest && i === 0));
        if (isRequest && type === 'application/json') {
          var origin = location.origin === 'null' ? 'http://localhost:8787' : location.origin;
          kids.push(el('pre', { text: 'curl -s ' + origin + path + ' -H "authorization: Bearer $EDGESCALE_API_TOKEN" -H "content-type: application/json" -d \'' +
            JSON.stringify(x.value).replace(/'/g, "'\\''") + "'" }));
        }
      });
      return el('div', null, kids);
    });
  }
  function operation(path, method, op) {
    var id = 'op-' + (op.operationId || method + path), needsToken = (op.security || spec.security || []).length > 0;
    var sec = el('section', { class: 'op', id: id }, [
      el('h3', null, [el('span', { class: 'm ' + method, text: method.toUpperCase() }), ' ', el('code', { text: path }), ' ', el('span', { class: 'mute', text: op.summary || '' })]),
    ].concat(paras(op.description), [el('div', { class: 'c', text: needsToken ? 'Needs Authorization: Bearer <token>.' : 'No token needed.' })]));
    if (op.parameters && op.parameters.length) {
      sec.appendChild(el('h4', { text: 'Parameters' }));
      sec.appendChild(el('table', null, op.parameters.map(function (p) {
        return el('tr', null, [el('td', null, [el('code', { text: p.name }), el('span', { class: 'mute', text: ' (' + p.in + ')' })]), el('td', null, [el('code', { text: typeOf(p.schema) })]), el('td', null, [md(p.description)])]);
      })));
    }
    if (op.requestBody) {
      sec.appendChild(el('h4', { text: 'Request body' }));
      content(op.requestBody.content, true, path).forEach(function (n) { sec.appendChild(n); });
    }
    sec.appendChild(el('h4', { text: 'Responses' }));
    Object.keys(op.responses || {}).forEach(function (status) {
      var r = resolveAny(op.responses[status], 'responses');
      sec.appendChild(el('div', null, [el('span', { class: 'st', text: status }), md(r.description)].concat(content(r.content, false, path))));
    });
    return { id: id, label: method.toUpperCase() + ' ' + path, node: sec };
  }
  function render() {
    var info = spec.info || {};
    app.appendChild(el('h1', { text: (info.title || 'API') + ' ' + (info.version || '') }));
    app.appendChild(el('div', { class: 'c', text: 'OpenAPI ' + spec.openapi + ' · ' }, [el('a', { href: '${DOCS_SPEC_URL}', text: 'openapi.json' })]));
    paras(info.description).forEach(function (p) { app.appendChild(p); });
    var groups = {}, order = (spec.tags || []).map(function (t) { return t.name; });
    Object.keys(spec.paths || {}).forEach(function (path) {
      Object.keys(spec.paths[path]).forEach(function (method) {
        var op = spec.paths[path][method], tag = (op.tags || ['Other'])[0];
        if (!groups[tag]) { groups[tag] = []; if (order.indexOf(tag) < 0) order.push(tag); }
        groups[tag].push(operation(path, method, op));
      });
    });
    order.forEach(function (tag) {
      if (!groups[tag]) return;
      var t = (spec.tags || []).filter(function (x) { return x.name === tag; })[0];
      app.appendChild(el('h2', { id: 'tag-' + tag, text: tag }));
      if (t && t.description) app.appendChild(el('p', null, [md(t.description)]));
      nav.appendChild(el('h4', { text: tag }));
      nav.appendChild(el('ul', null, groups[tag].map(function (o) {
        app.appendChild(o.node);
        return el('li', null, [el('a', { href: '#' + o.id, text: o.label })]);
      })));
    });
    var schemas = (spec.components || {}).schemas || {};
    app.appendChild(el('h2', { id: 'schemas', text: 'Schemas' }));
    nav.appendChild(el('h4', { text: 'Schemas' }));
    nav.appendChild(el('ul', null, Object.keys(schemas).map(function (n) {
      var s = schemas[n];
      app.appendChild(el('section', { id: 'schema-' + n }, [el('h3', null, [el('code', { text: n })])].concat(paras(s.description), [view(s, 1, [n])])));
      return el('li', null, [el('a', { href: '#schema-' + n, text: n })]);
    })));
    if (location.hash) { var target = document.getElementById(location.hash.slice(1)); if (target) target.scrollIntoView(); }
  }
  var embedded = document.getElementById('spec');
  (embedded ? Promise.resolve(JSON.parse(embedded.textContent)) : fetch('${DOCS_SPEC_URL}', { headers: { accept: 'application/json' } }).then(function (r) {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    return r.json();
  })).then(function (doc) { spec = doc; render(); }, function (e) {
    app.appendChild(el('p', { text: 'Could not load the OpenAPI document (${DOCS_SPEC_URL}): ' + e.message }));
  });
})();
`;

export interface DocsOptions {
  /**
   * Embed this document in the page instead of fetching /openapi.json, for a page that works
   * opened from disk. The page then grows by the document's size.
   */
  spec?: unknown;
}

/** JSON inside <script type="application/json">: "<" escaped so the text can never close the element. */
function embeddable(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The docs page. By default it fetches /openapi.json from the same origin; nothing else is loaded. */
export function docsHtml(options: DocsOptions = {}): string {
  const embedded = options.spec === undefined ? '' : `<script type="application/json" id="spec">${embeddable(options.spec)}</script>\n`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>edgescale API</title>
<style>${STYLE}</style>
</head>
<body>
<nav id="nav"><a href="#"><b>edgescale API</b></a></nav>
<main id="app"></main>
${embedded}<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** A CSP source for one inline script or style: `'sha256-<base64>'` of its exact text. */
export function cspHash(text: string): string {
  const hex = sha256Hex(text);
  let bin = '';
  for (let i = 0; i < hex.length; i += 2) bin += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return `'sha256-${btoa(bin)}'`;
}

/**
 * Content-Security-Policy for the page: only its own inline script and style (by hash) run, and it
 * may fetch only from its own origin. Send it as a header with docsHtml().
 */
export function docsContentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    `script-src ${cspHash(SCRIPT)}`,
    `style-src ${cspHash(STYLE)}`,
    "connect-src 'self'",
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
