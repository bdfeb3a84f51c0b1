// Runs README.md's shell commands as a new user would, in a temporary copy of the repository's
// tracked files (with this checkout's node_modules and built dist/), top to bottom, and fails when
// one exits non-zero. Run after `npm run build:cli`; .ci/run runs it.
//
// Every ```sh block of README.md is run, line by line in one bash (a command continued over lines by
// an open quote or a trailing backslash stays one command), unless the comment just above it says:
//   <!-- example: curl -->        a request to a running server: test/engine/docs-examples.test.ts
//                                 sends it to the app and checks the answer shown below it;
//   <!-- not run: <reason> -->    it needs a second terminal, a server that keeps running, the
//                                 network or a Cloudflare account; the reason is printed.
// Prints one line per command, the skipped blocks with their reasons, then "N passed, M failed".
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TIMEOUT_MS = 120_000;

if (!existsSync(join(root, 'dist', 'cli.mjs'))) {
  console.error('readme-commands: dist/cli.mjs is missing; run `npm run build:cli` first');
  process.exit(1);
}

/** The ```sh blocks of a markdown text, each with the marker comment above it and its line number. */
function shellBlocks(markdown) {
  const lines = markdown.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(sh|bash)\s*$/.test(lines[i])) continue;
    let j = i - 1;
    while (j >= 0 && lines[j].trim() === '') j--;
    const marker = j >= 0 ? /^<!--\s*(.*?)\s*-->$/.exec(lines[j].trim())?.[1] : undefined;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    out.push({ line: i + 1, marker, body: lines.slice(i + 1, end) });
    i = end;
  }
  return out;
}

/** A block's commands: comments and blank lines dropped, continued lines (open quote, trailing \) joined. */
function commands(body) {
  const out = [];
  let current = '';
  for (const raw of body) {
    if (current === '' && (raw.trim() === '' || raw.trim().startsWith('#'))) continue;
    current = current === '' ? raw : `${current}\n${raw}`;
    const quotes = (current.replace(/\\'/g, '').match(/'/g) ?? []).length;
    if (quotes % 2 === 0 && !current.endsWith('\\')) {
      out.push(current.replace(/\s+#[^'"]*$/, '').trim());
      current = '';
    }
  }
  if (current !== '') out.push(current.trim());
  return out;
}

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = shellBlocks(readme);

// A fresh clone: the tracked files only, plus what `npm install` would make (node_modules, and dist/
// from its prepare script), linked from this checkout.
const tmp = mkdtempSync(join(tmpdir(), 'edgescale-readme-'));
const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
for (const file of tracked) {
  if (!existsSync(join(root, file))) continue;
  mkdirSync(dirname(join(tmp, file)), { recursive: true });
  cpSync(join(root, file), join(tmp, file));
}
symlinkSync(join(root, 'node_modules'), join(tmp, 'node_modules'));
symlinkSync(join(root, 'dist'), join(tmp, 'dist'));

const env = { ...process.env, NO_COLOR: '1', npm_config_offline: 'true', npm_config_update_notifier: 'false' };
for (const name of Object.keys(env)) if (/^(EDGESCALE_|ACTUATOR_)/.test(name)) delete env[name];

let passed = 0;
let failed = 0;
const skipped = [];
for (const block of blocks) {
  const marker = block.marker ?? '';
  if (/^example:\s*curl\b/.test(marker)) {
    skipped.push(`README.md:${block.line}: a request to a running server (test/engine/docs-examples.test.ts sends it)`);
    continue;
  }
  const notRun = /^not run:\s*(.*)$/.exec(marker);
  if (notRun) {
    skipped.push(`README.md:${block.line}: ${notRun[1]}`);
    continue;
  }
  for (const command of commands(block.body)) {
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', command], { cwd: tmp, env, encoding: 'utf8', timeout: TIMEOUT_MS });
    const shown = command.split('\n')[0] + (command.includes('\n') ? ' …' : '');
    if (r.status === 0) {
      passed++;
      console.log(`✓ README.md:${block.line}: ${shown}`);
    } else {
      failed++;
      console.log(`✗ README.md:${block.line}: ${shown}\n  exit ${r.status ?? r.signal}\n${(r.stderr || r.stdout).trim().replace(/^/gm, '  ')}`);
    }
  }
}
for (const s of skipped) console.log(`- not run: ${s}`);
rmSync(tmp, { recursive: true, force: true });
console.log(`readme-commands: ${passed} passed, ${failed} failed`);
if (passed === 0 || failed > 0) process.exitCode = 1;
