// The playground (GET /playground) in a real browser: Debian's chromium (/usr/bin/chromium, never a downloaded one) driven by
// playwright-core against `edgescale serve` (dist/cli.mjs) on 127.0.0.1 with a fresh token. Pastes the token, picks a preset,
// runs the simulation, and checks the chart is drawn, a marker's reason shows on hover, and the summary on the page equals the
// API's answer to the same request. Screenshots go to .browser-test/ (git-ignored). Prints "N passed, M failed"; exits 1 on any failure.
// Run after `npm run build:cli`: node scripts/browser-test.mjs   (CHROMIUM=/path overrides the browser)
// The functions passed to page.waitForFunction run in the page, where these are defined.
/* global document, getComputedStyle */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createChecks, expect, requireFiles, stopProcess } from './lib/checks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'edgescale.mjs');
const shots = join(root, '.browser-test');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Longest the server start or one page step may take on a loaded CI machine. */
const STEP_MS = 30_000;
/** The whole run: past it, everything is killed and the run fails. */
const TOTAL_MS = 180_000;

requireFiles('browser-test', [
  [join(root, 'dist', 'cli.mjs'), 'run `npm run build:cli` first'],
  [executablePath, 'install it: apt-get install -y --no-install-recommends chromium'],
]);

const { check, fail, summary, watchdog: startWatchdog } = createChecks();
const TOKEN = randomBytes(32).toString('hex');
const tmp = mkdtempSync(join(tmpdir(), 'edgescale-browser-test-'));
mkdirSync(shots, { recursive: true });

let server;
let browser;
async function cleanup() {
  await browser?.close().catch(() => {});
  if (server) await stopProcess(server);
  rmSync(tmp, { recursive: true, force: true });
}
const watchdog = startWatchdog(TOTAL_MS, cleanup);

/** `edgescale serve` on 127.0.0.1, a free port, a fresh token and its own data directory; resolves to its base URL. */
function startServer() {
  const env = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(env)) if (/^(EDGESCALE_|ACTUATOR_)/.test(name)) delete env[name];
  env.EDGESCALE_API_TOKEN = TOKEN;
  server = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', join(tmp, 'data')], { cwd: root, env });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), STEP_MS);
    server.stderr.on('data', (d) => (output += d));
    server.stdout.on('data', (d) => {
      output += d;
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.once('close', (code) => (clearTimeout(timer), reject(new Error(`server exited with ${code}: ${output}`))));
  });
}

const at = (obj, path) => path.split('.').reduce((o, k) => (o == null ? o : o[k]), obj);

try {
  const base = await startServer();
  browser = await chromium.launch({ executablePath, headless: true, timeout: STEP_MS, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  // Every console error (a CSP violation is one), page exception and request to another origin is a failure.
  // (Before the token is pasted, the 401 of the page's first validation is logged by the browser: expected.)
  const problems = [];
  let tokenPasted = false;
  page.on('console', (m) => m.type() === 'error' && !(!tokenPasted && /status of 401/.test(m.text())) && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => !r.url().startsWith(base) && problems.push(`request to another origin: ${r.url()}`));
  const apiCalls = [];
  page.on('request', (r) => r.url().startsWith(`${base}/v1/`) && apiCalls.push({ url: r.url(), auth: r.headers().authorization }));

  let response;
  await check('GET /playground: 200 HTML with a strict Content-Security-Policy', async () => {
    response = await page.goto(`${base}/playground`, { waitUntil: 'load' });
    expect(response.status() === 200, `status ${response.status()}`);
    const csp = response.headers()['content-security-policy'] ?? '';
    expect(/default-src 'none'/.test(csp) && /script-src 'sha256-[^']+' 'sha256-[^']+'/.test(csp) && /connect-src 'self'/.test(csp), `CSP: ${csp}`);
    expect(!/unsafe-inline|unsafe-eval/.test(csp), `CSP allows unsafe-*: ${csp}`);
  });

  await check('without a token the validation says a token is needed (401)', async () => {
    await page.waitForFunction(() => /401/.test(document.getElementById('validation').textContent));
  });

  await check('the pasted token validates the sample rule set (valid, lint warnings shown) and stays in sessionStorage', async () => {
    tokenPasted = true;
    await page.fill('#token', TOKEN);
    await page.waitForFunction(() => /^valid: rule set playground/.test(document.getElementById('validation').textContent));
    expect((await page.textContent('#warnings')).includes('lint warning'), 'no lint warning line');
    expect((await page.evaluate(() => sessionStorage.getItem('edgescale.playground.token'))) === TOKEN, 'token not in sessionStorage');
    expect(apiCalls.some((c) => c.auth === `Bearer ${TOKEN}`), 'no API call carried the token');
    await page.screenshot({ path: join(shots, 'playground-loaded.png'), fullPage: true });
  });

  await check('editing the rule set validates as you type: a JSON error, then an overlap warning (OutInOverlap)', async () => {
    const sample = await page.inputValue('#ruleset');
    await page.fill('#ruleset', '{ "id": ');
    await page.waitForFunction(() => /^JSON: /.test(document.getElementById('validation').textContent));
    const overlap = JSON.parse(sample);
    overlap.rules[0].when.metric.threshold = 50;
    overlap.rules[1].when.metric.threshold = 70;
    await page.fill('#ruleset', JSON.stringify(overlap, null, 2));
    await page.waitForSelector('#warning-list li[data-code="OutInOverlap"]');
    await page.fill('#ruleset', sample);
    await page.waitForFunction(() => /^valid: rule set playground/.test(document.getElementById('validation').textContent));
  });

  await check('an HPA manifest (YAML) is imported and validated', async () => {
    await page.selectOption('#format', 'hpa');
    await page.waitForFunction(() => /imported from hpa/.test(document.getElementById('validation').textContent));
    await page.selectOption('#format', 'native');
    await page.waitForFunction(() => /^valid: rule set playground/.test(document.getElementById('validation').textContent));
  });

  // Each sample of the other formats is imported, valid as the page ships it, and simulates.
  for (const format of ['keda', 'aws', 'knative']) {
    await check(`the ${format} sample is imported, validated and simulated`, async () => {
      await page.selectOption('#format', format);
      await page.waitForFunction((f) => new RegExp(`^valid: .*imported from ${f}`).test(document.getElementById('validation').textContent), format);
      await page.click('button[data-preset="daily"]');
      await page.waitForFunction(() => /^preset /.test(document.getElementById('status').textContent));
      await page.click('#run');
      await page.waitForFunction(() => /^simulated /.test(document.getElementById('status').textContent));
      await page.selectOption('#format', 'native');
      await page.waitForFunction(() => /^valid: rule set playground/.test(document.getElementById('validation').textContent));
    });
  }

  // The predictive preset brings its own sample rule set and three days of history; the forecast leads the load.
  await check('preset "daily cycle + history (predictive)": the predictive sample scales out ahead of the load', async () => {
    await page.click('button[data-preset="forecast"]');
    await page.waitForFunction(() => /^valid: rule set playground-predictive/.test(document.getElementById('validation').textContent));
    await page.click('#run');
    await page.waitForFunction(() => /^simulated /.test(document.getElementById('status').textContent));
    const body = await page.textContent('#request');
    const res = await fetch(`${base}/v1/simulate`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body });
    expect(res.status === 200, `API status ${res.status}`);
    const tl = (await res.json()).results[0].timeline;
    // Scaled out by the predictive policy while the instances it had already covered the load: ahead of it.
    const ahead = tl.filter((e) => e.action === 'scaleOut' && e.rule === 'predictive' && e.required !== null && e.capacity >= e.required);
    expect(ahead.length > 0, `no predictive scale-out ahead of the load: ${JSON.stringify(tl.filter((e) => e.action !== 'none').slice(0, 5))}`);
    const shown = await page.$$eval('#summary [data-key]', (els) => els.length);
    expect(shown >= 20, `only ${shown} summary cells`);
    await page.screenshot({ path: join(shots, 'playground-predictive.png'), fullPage: true });
    await page.selectOption('#format', 'native');
    await page.waitForFunction(() => /^valid: rule set playground/.test(document.getElementById('validation').textContent) && !/predictive/.test(document.getElementById('validation').textContent));
  });

  let answer;
  await check('preset "spike" + Simulate: the page shows the summary', async () => {
    await page.click('button[data-preset="spike"]');
    expect((await page.inputValue('#history')).includes('spike'), 'the preset did not fill the history');
    await page.click('#run');
    await page.waitForSelector('body[data-simulated]');
    // the samples above simulated already: wait for this run's own answer
    await page.waitForFunction(() => /^simulated /.test(document.getElementById('status').textContent));
    await page.waitForSelector('#summary-table');
    expect(/^simulated /.test(await page.textContent('#status')), `status: ${await page.textContent('#status')}`);
  });

  await check('the summary on the page equals the API answer to the same request (made here, with the token)', async () => {
    const body = await page.textContent('#request');
    const res = await fetch(`${base}/v1/simulate`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body });
    expect(res.status === 200, `API status ${res.status}`);
    answer = await res.json();
    const cells = await page.$$eval('#summary [data-key]', (els) => els.map((e) => [e.getAttribute('data-key'), e.textContent]));
    expect(cells.length >= 20, `only ${cells.length} summary cells`);
    const s = answer.results[0].summary;
    const wrong = cells.filter(([key, text]) => text !== (at(s, key) == null ? '—' : String(at(s, key))));
    expect(wrong.length === 0, `differ from the API: ${JSON.stringify(wrong.map(([k, t]) => [k, t, at(s, k)]))}`);
    expect(s.scaleEvents.out > 0 && s.underProvisioned !== null, `a spike should scale out: ${JSON.stringify(s)}`);
  });

  await check('the chart canvas is drawn (non-blank pixels in several colours)', async () => {
    const drawn = await page.$eval('#chart canvas', (canvas) => {
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0) {
          painted++;
          colours.add(`${data[i] >> 4},${data[i + 1] >> 4},${data[i + 2] >> 4}`);
        }
      }
      return { painted, colours: colours.size, width: canvas.width, height: canvas.height };
    });
    expect(drawn.width > 300 && drawn.height > 200, `canvas ${drawn.width}×${drawn.height}`);
    expect(drawn.painted > 2000 && drawn.colours >= 4, `canvas looks blank: ${JSON.stringify(drawn)}`);
    await page.screenshot({ path: join(shots, 'playground-simulated.png'), fullPage: true });
  });

  await check("hovering a decision marker shows that decision's reason", async () => {
    const tl = answer.results[0].timeline;
    const i = tl.findIndex((e) => e.action !== 'none');
    expect(i >= 0, 'no decision in the timeline');
    const box = await page.locator('#chart .u-over').boundingBox();
    const t0 = Date.parse(tl[0].t);
    const t1 = Date.parse(tl[tl.length - 1].t);
    const x = box.x + ((Date.parse(tl[i].t) - t0) / (t1 - t0)) * box.width;
    await page.mouse.move(x, box.y + box.height / 2);
    await page.waitForFunction(() => getComputedStyle(document.getElementById('tip')).display !== 'none');
    const tip = await page.textContent('#tip');
    const shown = tl[Number(await page.getAttribute('#tip', 'data-index'))];
    expect(shown.action !== 'none' && tip.includes(shown.reason) && Math.abs(Date.parse(shown.t) - Date.parse(tl[i].t)) <= 10 * 60_000, `tip: ${tip}`);
    await page.screenshot({ path: join(shots, 'playground-hover.png'), fullPage: true });
  });

  await check('no console error, CSP violation, page exception or request to another origin', async () => {
    expect(problems.length === 0, problems.join('\n'));
  });
} catch (error) {
  fail('the browser test', error);
} finally {
  clearTimeout(watchdog);
  await cleanup();
}
console.log(`screenshots: ${shots}`);
process.exit(summary());
