// The playground (GET /playground): one static, self-contained HTML page — inline CSS and vanilla JS, uPlot inlined from a
// build-time generated module (scripts/bundle-rules.mjs → src/generated/uplot-assets.ts) — that edits a rule set (validated
// as you type by POST /v1/validate), generates or takes a metric history, runs POST /v1/simulate and charts the answer.
// Its only network traffic is same-origin API calls, with the bearer token the user pastes (kept in sessionStorage).
import { cspHash } from './docs-page.js';
import { UPLOT_CSS, UPLOT_JS } from '../generated/uplot-assets.js';

const PAGE_STYLE = String.raw`
:root{--fg:#1d2125;--mute:#5b6470;--line:#d9dee3;--bg:#fff;--soft:#f5f7f9;--acc:#0b5cad;--bad:#b3261e;--warn:#8a5a00;--ok:#2f7d32}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8ea;--mute:#9aa4ae;--line:#38404a;--bg:#16191d;--soft:#1f242a;--acc:#6cb0ff;--bad:#ff8a80;--warn:#f0c060;--ok:#81c784}}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;gap:12px;align-items:center;padding:10px 16px;border-bottom:1px solid var(--line);background:var(--soft)}
header h1{font-size:17px;margin:0 12px 0 0}header a{color:var(--acc)}label{color:var(--mute);font-size:13px}
input,select,textarea,button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:4px 6px}
button{cursor:pointer;background:var(--soft)}button.primary{background:var(--acc);color:#fff;border-color:var(--acc);font-weight:600}
textarea{width:100%;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;resize:vertical}
main{display:grid;grid-template-columns:minmax(340px,1fr) minmax(420px,1.6fr);gap:16px;padding:16px}
@media (max-width:1000px){main{grid-template-columns:1fr}}
section{border:1px solid var(--line);border-radius:6px;padding:10px 12px;margin-bottom:14px}
h2{font-size:15px;margin:0 0 8px}.row{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:6px 0}
ul.msgs{margin:6px 0;padding-left:18px}ul.msgs li{margin:3px 0}.err{color:var(--bad)}.warn{color:var(--warn)}.ok{color:var(--ok)}.mute{color:var(--mute)}
code{font:12px ui-monospace,Menlo,Consolas,monospace}.fix{color:var(--mute);font-size:12px}
table.sum{border-collapse:collapse;width:100%}table.sum td{border-top:1px solid var(--line);padding:3px 6px}table.sum td:last-child{text-align:right;font-variant-numeric:tabular-nums}
#chart{position:relative;min-height:60px}#tip{position:absolute;display:none;pointer-events:none;z-index:10;max-width:360px;background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:6px 8px;font-size:12px;box-shadow:0 2px 8px rgba(0,0,0,.2)}
pre{background:var(--soft);padding:8px;overflow:auto;max-height:220px;font-size:12px}
`;

/** The page's stylesheet: uPlot's, then the page's own (one <style> element, allowed by hash). */
const STYLE = `${UPLOT_CSS}\n${PAGE_STYLE}`;

// DOM built with textContent only (never innerHTML), so nothing from an answer or a pasted document can inject markup.
const SCRIPT = String.raw`
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var TOKEN_KEY = 'edgescale.playground.token';
  var SAMPLES = {
    native: JSON.stringify({
      id: 'playground', description: 'Out by 1 above 70 % CPU, in by 1 below 30 %.',
      capacity: { minimum: 2, maximum: 20, default: 3 }, cooldown: 'PT5M',
      rules: [
        { id: 'cpu-high', direction: 'out', when: { metric: { metric: 'cpu', timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT10M', timeAggregation: 'Average', operator: 'GreaterThan', threshold: 70 } }, action: { type: 'ChangeCount', value: 1 }, cooldown: 'PT5M' },
        { id: 'cpu-low', direction: 'in', when: { metric: { metric: 'cpu', timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT10M', timeAggregation: 'Average', operator: 'LessThan', threshold: 30 } }, action: { type: 'ChangeCount', value: 1 }, cooldown: 'PT10M' }
      ]
    }, null, 2),
    predictive: JSON.stringify({
      id: 'playground-predictive', description: 'The CPU rules, and a predictive policy: the same time yesterday, 70 requests/s per instance, 10 minutes ahead (docs/predictive.md).',
      capacity: { minimum: 2, maximum: 20, default: 3 }, cooldown: 'PT5M',
      rules: [
        { id: 'cpu-high', direction: 'out', when: { metric: { metric: 'cpu', timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT10M', timeAggregation: 'Average', operator: 'GreaterThan', threshold: 70 } }, action: { type: 'ChangeCount', value: 1 }, cooldown: 'PT5M' },
        { id: 'cpu-low', direction: 'in', when: { metric: { metric: 'cpu', timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT10M', timeAggregation: 'Average', operator: 'LessThan', threshold: 30 } }, action: { type: 'ChangeCount', value: 1 }, cooldown: 'PT10M' }
      ],
      predictive: { metric: 'requests', targetValue: 70, method: 'seasonalNaive', season: 'P1D', mode: 'ForecastAndScale', schedulingBuffer: 'PT10M' }
    }, null, 2),
    azure: JSON.stringify({
      name: 'web-autoscale', enabled: true,
      profiles: [{ name: 'default', capacity: { minimum: '2', maximum: '20', default: '3' }, rules: [
        { metricTrigger: { metricName: 'Percentage CPU', timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT10M', timeAggregation: 'Average', operator: 'GreaterThan', threshold: 70 },
          scaleAction: { direction: 'Increase', type: 'ChangeCount', value: '1', cooldown: 'PT10M' } },
        { metricTrigger: { metricName: 'Percentage CPU', timeGrain: 'PT1M', statistic: 'Average', timeWindow: 'PT10M', timeAggregation: 'Average', operator: 'LessThan', threshold: 30 },
          scaleAction: { direction: 'Decrease', type: 'ChangeCount', value: '1', cooldown: 'PT10M' } }
      ] }]
    }, null, 2),
    hpa: [
      'apiVersion: autoscaling/v2', 'kind: HorizontalPodAutoscaler', 'metadata:', '  name: web', 'spec:',
      '  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }', '  minReplicas: 2', '  maxReplicas: 20', '  metrics:',
      '    - type: Resource', '      resource:', '        name: cpu', '        target: { type: Utilization, averageUtilization: 60 }', ''
    ].join('\n'),
    keda: [
      'apiVersion: keda.sh/v1alpha1', 'kind: ScaledObject', 'metadata:', '  name: web', 'spec:', '  scaleTargetRef:', '    name: web', '  minReplicaCount: 2', '  maxReplicaCount: 20', '  triggers:', '    - type: cpu', '      metricType: Utilization', '      metadata:', '        value: "70"', ''
    ].join('\n'),
    aws: [
      'AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', '  WebGroup:', '    Type: AWS::AutoScaling::AutoScalingGroup', '    Properties:', '      MinSize: "2"', '      MaxSize: "20"', '      DesiredCapacity: "3"', '  CpuTarget:', '    Type: AWS::AutoScaling::ScalingPolicy', '    Properties:', '      AutoScalingGroupName: !Ref WebGroup', '      PolicyType: TargetTrackingScaling', '      TargetTrackingConfiguration:', '        PredefinedMetricSpecification:', '          PredefinedMetricType: ASGAverageCPUUtilization', '        TargetValue: 70', ''
    ].join('\n'),
    knative: [
      'apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', '  name: web', 'spec:', '  template:', '    metadata:', '      annotations:', '        autoscaling.knative.dev/metric: rps', '        autoscaling.knative.dev/target: "70"', '        autoscaling.knative.dev/min-scale: "2"', '        autoscaling.knative.dev/max-scale: "20"', '    spec:', '      containers:', '        - image: ghcr.io/knative/helloworld-go:latest', ''
    ].join('\n')
  };
  var lastMetrics = null, chart = null, validateSeq = 0, validateTimer = null;

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) { if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); }
    (kids || []).forEach(function (c) { if (c != null && c !== false) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function setStatus(text, cls) { var s = $('status'); s.textContent = text; s.className = cls || 'mute'; }

  // The token: kept for this tab only (sessionStorage), sent as a bearer token; empty means none (a dev server with auth off).
  function token() { return $('token').value.trim(); }
  function api(path, body) {
    var headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (token()) headers.authorization = 'Bearer ' + token();
    return fetch(path, { method: 'POST', headers: headers, body: JSON.stringify(body), credentials: 'omit', cache: 'no-store' }).then(function (res) {
      return res.text().then(function (text) {
        var json = null;
        try { json = JSON.parse(text); } catch (e) { json = null; }
        return { status: res.status, json: json, text: text };
      });
    });
  }
  function problem(res) {
    if (res.status === 401) return '401: a valid bearer token is required — paste one above (EDGESCALE_API_TOKEN), or use a dev server with auth off';
    var e = res.json && (res.json.error || (res.json.errors && res.json.errors[0]));
    return res.status + ': ' + (e ? (e.path ? e.path + ': ' : '') + e.message + (e.code ? ' (' + e.code + ')' : '') : res.text.slice(0, 300));
  }

  // The rule set as the API takes it: a native document, { azure: … }, or the text of the YAML formats ({ hpa: "…" },
  // { keda: … }, { aws: … }, { knative: … }, which the importers parse); a JSON syntax error is found here.
  function ruleSetDocument() {
    var format = $('format').value, text = $('ruleset').value;
    if (format === 'hpa' || format === 'keda' || format === 'aws' || format === 'knative') { var doc = {}; doc[format] = text; return { ok: true, value: doc }; }
    try {
      var parsed = JSON.parse(text);
      return { ok: true, value: format === 'azure' ? { azure: parsed } : parsed };
    } catch (e) {
      return { ok: false, message: 'JSON: ' + e.message };
    }
  }

  function showValidation(res) {
    var box = clear($('validation')), warnBox = clear($('warnings'));
    if (!res.ok) { box.appendChild(el('div', { class: 'err', text: res.message })); return; }
    var r = res.res, j = r.json || {};
    if (r.status === 200 && j.valid) {
      box.appendChild(el('div', { class: 'ok', text: 'valid: rule set ' + j.id + ', ' + j.rules + ' rule(s)' + (j.metrics ? ', reads ' + j.metrics.join(', ') : '') + (j.imported ? ' (imported from ' + j.imported.format + ')' : '') }));
      lastMetrics = j.metrics;
      var warnings = j.warnings || [];
      warnBox.appendChild(el('div', { class: warnings.length ? 'warn' : 'ok', text: warnings.length + ' lint warning(s)' }));
      if (warnings.length) {
        warnBox.appendChild(el('ul', { class: 'msgs', id: 'warning-list' }, warnings.map(function (w) {
          return el('li', { class: 'warn', 'data-code': w.code }, [el('code', { text: w.path }), ': ' + w.message + ' (' + w.code + ')', el('div', { class: 'fix', text: 'fix: ' + w.fix })]);
        })));
      }
      return;
    }
    if (j.errors && j.errors.length) {
      box.appendChild(el('ul', { class: 'msgs' }, j.errors.map(function (e) {
        return el('li', { class: 'err' }, [e.path ? el('code', { text: e.path }) : null, (e.path ? ': ' : '') + e.message + ' (' + e.code + ')']);
      })));
      return;
    }
    box.appendChild(el('div', { class: 'err', text: problem(r) }));
  }
  function validate() {
    var seq = ++validateSeq, doc = ruleSetDocument();
    if (!doc.ok) { showValidation(doc); return Promise.resolve(); }
    $('validation').className = 'mute';
    return api('/v1/validate', doc.value).then(function (res) {
      if (seq === validateSeq) { $('validation').className = ''; showValidation({ ok: true, res: res }); }
    }, function (e) { if (seq === validateSeq) showValidation({ ok: false, message: 'validate failed: ' + e.message }); });
  }
  function scheduleValidate() { clearTimeout(validateTimer); validateTimer = setTimeout(validate, 350); }

  // Presets: a day of total load (requests/s) every 5 minutes, generated here, deterministically (a seeded PRNG for noise).
  function rng(seed) {
    return function () {
      seed = (seed + 0x6d2b79f5) | 0;
      var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  var PRESETS = {
    daily: { label: 'daily cycle', text: 'night floor 150, afternoon peak 850', f: function (h) { return 150 + 700 * Math.pow(Math.max(0, Math.sin(Math.PI * (h - 6) / 16)), 1.5); } },
    spike: { label: 'spike', text: '250 with a 30-minute spike to 1,200 at noon', f: function (h) { return h >= 12 && h < 12.5 ? 1200 : 250; } },
    step: { label: 'step', text: '200, stepping to 700 at 08:00', f: function (h) { return h >= 8 ? 700 : 200; } },
    forecast: { label: 'daily cycle + history (predictive)', text: 'night floor 150, afternoon peak 850, after two days the same; the predictive sample rule set reads them as metrics.requests', days: 3, f: function (h) { return 150 + 700 * Math.pow(Math.max(0, Math.sin(Math.PI * (h - 6) / 16)), 1.5); } },
    noise: { label: 'noise', text: '450 ± 250, seeded random', f: (function () { var r = rng(16); return function () { return 450 + (r() * 2 - 1) * 250; }; })() }
  };
  function preset(name) {
    var p = PRESETS[name], values = [];
    if (name === 'noise') PRESETS.noise.f = (function () { var r = rng(16); return function () { return 450 + (r() * 2 - 1) * 250; }; })();
    for (var i = 0; i < 288; i++) values.push(Math.round(p.f(i / 12)));
    var metric = (lastMetrics && lastMetrics[0]) || 'cpu';
    var request = {
      description: 'Preset "' + p.label + '": one day of total load (requests/s) every 5 minutes, ' + p.text + '. One instance serves 100 requests/s at 100 %; the target is 70 %.',
      from: '2026-11-23T00:00:00Z', to: '2026-11-24T00:00:00Z', capacity: 3, step: 'PT1M',
      load: { model: 'demand', series: { start: '2026-11-23T00:00:00Z', step: 'PT5M', values: values }, perInstance: 100, target: 70, metric: metric === 'requests' ? 'cpu' : metric }
    };
    // The predictive preset: the days before the simulated one, and that day, as the history it forecasts from.
    if (p.days) {
      var history = [];
      for (var d = 0; d < p.days; d++) history = history.concat(values);
      request.metrics = { requests: { start: '2026-11-' + (24 - p.days) + 'T00:00:00Z', step: 'PT5M', values: history } };
    }
    return request;
  }

  function fmt(v) { return v === null || v === undefined ? '—' : String(v); }
  function showSummary(result) {
    var s = result.summary, rows = [
      ['evaluations', ['evaluations']],
      ['instance-hours', ['instanceHours']],
      ['capacity start → end', ['capacity.start', 'capacity.end'], ' → '],
      ['capacity min – max', ['capacity.min', 'capacity.max'], ' – '],
      ['scale events out / in', ['scaleEvents.out', 'scaleEvents.in'], ' / '],
      ['flaps', ['flaps']],
      ['under-provisioned minutes', ['underProvisioned.minutes']],
      ['  depth (instance-hours)', ['underProvisioned.instanceHours']],
      ['  largest shortfall', ['underProvisioned.maxShortfall']],
      ['over-provisioned instance-hours', ['overProvisionedInstanceHours']],
      ['reaction episodes', ['reaction.episodes']],
      ['reaction mean / max (minutes)', ['reaction.meanMinutes', 'reaction.maxMinutes'], ' / '],
      ['utilisation % p50 / p90 / p99 / max', ['utilization.p50', 'utilization.p90', 'utilization.p99', 'utilization.max'], ' / ']
    ];
    function at(path) { return path.split('.').reduce(function (o, k) { return o == null ? o : o[k]; }, s); }
    var table = el('table', { class: 'sum', id: 'summary-table' }, rows.map(function (row) {
      var cell = el('td');
      row[1].forEach(function (path, i) {
        if (i > 0) cell.appendChild(document.createTextNode(row[2]));
        cell.appendChild(el('span', { 'data-key': path, text: fmt(at(path)) }));
      });
      return el('tr', null, [el('td', { text: row[0] }), cell]);
    }));
    var decisions = Object.keys(s.decisions || {}).map(function (k) { return k + ' ' + s.decisions[k]; }).join(', ');
    clear($('summary')).appendChild(table);
    $('summary').appendChild(el('div', { class: 'mute', text: 'decisions: ' + decisions }));
  }

  function showChart(result) {
    var tl = result.timeline || [], box = $('chart');
    if (chart) { chart.destroy(); chart = null; }
    var t = [], cap = [], req = [], load = [], marks = [];
    tl.forEach(function (e) {
      t.push(Date.parse(e.t) / 1000); cap.push(e.to); req.push(e.required == null ? null : e.required); load.push(e.load == null ? null : e.load);
      marks.push(e.action === 'none' ? null : e.to);
    });
    var tip = $('tip');
    function nearestDecision(u, idx) {
      if (idx == null) return null;
      var left = u.cursor.left, best = null, bestDx = 10;
      for (var i = Math.max(0, idx - 60); i < Math.min(tl.length, idx + 60); i++) {
        if (marks[i] === null) continue;
        var dx = Math.abs(u.valToPos(t[i], 'x') - left);
        if (dx <= bestDx) { bestDx = dx; best = i; }
      }
      return best;
    }
    var hover = {
      hooks: {
        setCursor: [function (u) {
          var i = nearestDecision(u, u.cursor.idx);
          if (i === null) { tip.style.display = 'none'; return; }
          var e = tl[i];
          clear(tip).appendChild(el('b', { text: e.t.replace('T', ' ').replace(':00Z', 'Z') + ' ' + e.code + ' ' + e.capacity + ' → ' + e.to }));
          tip.appendChild(el('div', { text: e.reason }));
          tip.style.display = 'block';
          tip.style.left = Math.min(u.over.offsetLeft + u.valToPos(t[i], 'x') + 12, box.clientWidth - 200) + 'px';
          tip.style.top = (u.over.offsetTop + u.valToPos(e.to, 'y') + 12) + 'px';
          tip.setAttribute('data-index', String(i));
        }]
      }
    };
    var stepped = uPlot.paths.stepped({ align: 1 });
    var opts = {
      width: Math.max(400, box.clientWidth - 4), height: 340, plugins: [hover],
      scales: { x: { time: true } },
      axes: [{}, { label: 'instances' }, { scale: 'load', side: 1, label: 'load', grid: { show: false } }],
      series: [{},
        { label: 'capacity', stroke: '#2a7', width: 2, paths: stepped },
        { label: 'required', stroke: '#d80', width: 2, paths: stepped },
        { label: 'load', stroke: '#888', scale: 'load' },
        { label: 'decisions', stroke: '#c22', fill: '#c22', paths: function () { return null; }, points: { show: true, size: 7, stroke: '#c22', fill: '#c22' } }]
    };
    chart = new uPlot(opts, [t, cap, req, load, marks], box);
    box.appendChild(tip);
  }

  function run() {
    var doc = ruleSetDocument(), hist;
    if (!doc.ok) { setStatus('fix the rule set first: ' + doc.message, 'err'); return; }
    try { hist = JSON.parse($('history').value); } catch (e) { setStatus('history: JSON: ' + e.message, 'err'); return; }
    if (!hist || typeof hist !== 'object' || Array.isArray(hist)) { setStatus('history: a JSON object (a simulate request without ruleSets)', 'err'); return; }
    var body = {};
    Object.keys(hist).forEach(function (k) { if (k !== 'ruleSets') body[k] = hist[k]; });
    body.ruleSets = [doc.value];
    body.timeline = true;
    $('request').textContent = JSON.stringify(body);
    setStatus('simulating…');
    $('run').disabled = true;
    validate();
    return api('/v1/simulate', body).then(function (res) {
      $('run').disabled = false;
      if (res.status !== 200 || !res.json || !res.json.results) { setStatus(problem(res), 'err'); return; }
      var a = res.json, r = a.results[0];
      setStatus('simulated ' + a.from + ' → ' + a.to + ' every ' + a.step + ': ' + a.evaluations + ' evaluations, ' + a.model + ' model', 'ok');
      showSummary(r);
      showChart(r);
      document.body.setAttribute('data-simulated', String(Date.now()));
    }, function (e) { $('run').disabled = false; setStatus('simulate failed: ' + e.message, 'err'); });
  }

  $('token').value = sessionStorage.getItem(TOKEN_KEY) || '';
  $('token').addEventListener('input', function () {
    if (token()) sessionStorage.setItem(TOKEN_KEY, token()); else sessionStorage.removeItem(TOKEN_KEY);
    scheduleValidate();
  });
  $('forget').addEventListener('click', function () { sessionStorage.removeItem(TOKEN_KEY); $('token').value = ''; });
  $('ruleset').value = SAMPLES.native;
  $('format').addEventListener('change', function () {
    var isSample = Object.keys(SAMPLES).some(function (k) { return SAMPLES[k] === $('ruleset').value; });
    if (isSample || !$('ruleset').value.trim()) $('ruleset').value = SAMPLES[$('format').value];
    validate();
  });
  $('ruleset').addEventListener('input', scheduleValidate);
  Object.keys(PRESETS).forEach(function (name) {
    var b = el('button', { type: 'button', 'data-preset': name, text: PRESETS[name].label });
    b.addEventListener('click', function () {
      $('history').value = JSON.stringify(preset(name), null, 1);
      // The predictive preset needs a rule set with a predictive policy: its sample replaces a sample (never the user's own).
      var isSample = Object.keys(SAMPLES).some(function (k) { return SAMPLES[k] === $('ruleset').value; });
      if (name === 'forecast' && isSample) { $('format').value = 'native'; $('ruleset').value = SAMPLES.predictive; validate(); }
      setStatus('preset "' + PRESETS[name].label + '" generated');
    });
    $('presets').appendChild(b);
  });
  $('history').value = JSON.stringify(preset('daily'), null, 1);
  $('run').addEventListener('click', run);
  validate();
})();
`;

/** The page: static, the same for everyone; nothing from a request goes into it. */
export function playgroundHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>edgescale playground</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>edgescale playground</h1>
<label for="token">API token</label>
<input id="token" type="password" size="34" autocomplete="off" spellcheck="false" placeholder="Bearer token (none: dev auth off)">
<button id="forget" type="button">forget</button>
<span class="mute">kept in this tab only; sent only to this server · <a href="/docs">API docs</a></span>
</header>
<main>
<div>
<section>
<h2>Rule set</h2>
<div class="row"><label for="format">format</label>
<select id="format"><option value="native">native JSON</option><option value="azure">Azure autoscale setting (JSON)</option><option value="hpa">Kubernetes HPA (YAML)</option><option value="keda">KEDA ScaledObject (YAML)</option><option value="aws">AWS CloudFormation (YAML)</option><option value="knative">Knative Service (YAML)</option></select></div>
<textarea id="ruleset" rows="18" spellcheck="false" aria-label="rule set"></textarea>
<div id="validation" class="mute">validating…</div>
<div id="warnings"></div>
</section>
<section>
<h2>Metric history</h2>
<div class="row" id="presets"><span class="mute">generate:</span></div>
<label for="history">a simulate request without <code>ruleSets</code> (capacity, from, to, step, metrics, load), as <code>edgescale simulate --metrics</code> reads</label>
<textarea id="history" rows="10" spellcheck="false"></textarea>
<div class="row"><button id="run" type="button" class="primary">Simulate</button><span id="status" class="mute"></span></div>
</section>
</div>
<div>
<section>
<h2>Capacity, required capacity and load</h2>
<div id="chart"><div id="tip"></div></div>
<div class="mute">Markers are scale decisions: hover one for its reason.</div>
</section>
<section>
<h2>Summary</h2>
<div id="summary" class="mute">Run a simulation.</div>
</section>
<section>
<details><summary class="mute">request sent</summary><pre id="request"></pre></details>
</section>
</div>
</main>
<script>${UPLOT_JS}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

let policy: string | undefined;

/**
 * Content-Security-Policy for the page: only its two inline scripts (uPlot and its own) and its one
 * stylesheet run, by hash; it may fetch only from its own origin. Computed once per isolate.
 */
export function playgroundContentSecurityPolicy(): string {
  policy ??= [
    "default-src 'none'",
    `script-src ${cspHash(UPLOT_JS)} ${cspHash(SCRIPT)}`,
    `style-src ${cspHash(STYLE)}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return policy;
}
