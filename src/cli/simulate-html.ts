// The self-contained HTML report of `edgescale simulate --html`: uPlot (from the installed package) inlined, charts, summaries and the decision table; Node only.
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { SimulateResponse } from '../schemas/simulate.js';
import { describeRun, summaryTable } from './simulate.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside <script>: `<` escaped, so no "</script>" or "<!--" in the data can end or bend the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** uPlot's built script and stylesheet, read from the installed package (a dependency of edgescale). */
async function uplotAssets(): Promise<{ js: string; css: string }> {
  const require = createRequire(import.meta.url);
  const dir = require.resolve('uplot/package.json').replace(/package\.json$/, '');
  const [js, css] = await Promise.all([readFile(`${dir}dist/uPlot.iife.min.js`, 'utf8'), readFile(`${dir}dist/uPlot.min.css`, 'utf8')]);
  return { js, css };
}

/** The report: one chart per rule set (capacity, serving, required; load on its own axis), the summary table, and every evaluation that scaled or changed code. */
function reportHtml(response: SimulateResponse, labels: readonly string[], assets: { js: string; css: string }): string {
  const runs = response.results.map((r, i) => ({
    label: labels[i] ?? r.ruleSet,
    t: (r.timeline ?? []).map((e) => Date.parse(e.t) / 1000),
    capacity: (r.timeline ?? []).map((e) => e.to),
    serving: (r.timeline ?? []).map((e) => e.serving),
    required: (r.timeline ?? []).map((e) => e.required ?? null),
    load: (r.timeline ?? []).map((e) => e.load ?? null),
  }));
  const decisions = response.results.map((r, i) => {
    const rows = (r.timeline ?? []).filter((e, j, all) => e.action !== 'none' || j === 0 || all[j - 1]!.code !== e.code);
    const body = rows
      .map((e) => `<tr><td>${escapeHtml(e.t)}</td><td>${e.capacity} → ${e.to}</td><td>${e.serving}</td><td>${e.required ?? '—'}</td><td>${escapeHtml(e.code)}</td><td>${escapeHtml(e.rule ?? '')}</td><td>${escapeHtml(e.reason)}</td></tr>`)
      .join('\n');
    return `<details${i === 0 ? ' open' : ''}><summary>${escapeHtml(labels[i] ?? r.ruleSet)}: ${rows.length} of ${r.summary.evaluations} evaluations (each scale action and each change of code)</summary>
<table class="decisions"><thead><tr><th>t</th><th>capacity</th><th>serving</th><th>required</th><th>code</th><th>rule</th><th>reason</th></tr></thead><tbody>
${body}
</tbody></table></details>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>edgescale simulation</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${assets.css}
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:2rem}
pre{background:#f6f6f6;padding:.75rem;overflow:auto}table.decisions{border-collapse:collapse;font-size:12px}
table.decisions td,table.decisions th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}</style>
</head><body>
<h1>edgescale simulation</h1>
<p>${escapeHtml(describeRun(response))}</p>
<h2>Summary</h2>
<pre>${escapeHtml(summaryTable(response.results, labels).join('\n'))}</pre>
<div id="charts"></div>
<h2>Decisions</h2>
${decisions.join('\n')}
<script>${assets.js}</script>
<script>
const RUNS = ${scriptJson(runs)};
for (const run of RUNS) {
  const box = document.createElement('div');
  const h = document.createElement('h2');
  h.textContent = run.label;
  box.appendChild(h);
  document.getElementById('charts').appendChild(box);
  const hasLoad = run.load.some((v) => v !== null);
  const series = [{}, { label: 'capacity', stroke: '#2a7', width: 2, paths: uPlot.paths.stepped({ align: 1 }) },
    { label: 'serving', stroke: '#27c', dash: [4, 4], paths: uPlot.paths.stepped({ align: 1 }) },
    { label: 'required', stroke: '#d80', width: 2, paths: uPlot.paths.stepped({ align: 1 }) }];
  const data = [run.t, run.capacity, run.serving, run.required];
  const axes = [{}, { label: 'instances' }];
  if (hasLoad) { series.push({ label: 'load', stroke: '#999', scale: 'load' }); data.push(run.load); axes.push({ scale: 'load', side: 1, label: 'load', grid: { show: false } }); }
  new uPlot({ width: Math.min(1100, window.innerWidth - 40), height: 320, series, axes, scales: { x: { time: true } } }, data, box);
}
</script>
</body></html>
`;
}

export async function writeHtmlReport(file: string, response: SimulateResponse, labels: readonly string[]): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    await writeFile(file, reportHtml(response, labels, await uplotAssets()));
    return { ok: true };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
