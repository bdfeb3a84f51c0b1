// Runs the shell commands of README.md and docs/cli.md as a new user would, in a temporary copy of the
// repository's tracked files (with this checkout's node_modules and built dist/), top to bottom, and
// fails when one exits non-zero. Run after `npm run build:cli`; .ci/run runs it. `edgescale` is on the
// PATH, as after `npm link` (docs/cli.md); README's `npx edgescale` resolves the package's own bin.
// Each file starts from a fresh copy.
//
// Every ```sh block is run, line by line in one bash (a command continued over lines by
// an open quote or a trailing backslash stays one command), unless the comment just above it says:
//   <!-- example: curl -->        a request to a running server: test/engine/docs-examples.test.ts
//                                 sends it to the app and checks the answer shown below it;
//   <!-- not run: <reason> -->    it needs a second terminal, a server that keeps running, the
//                                 network, a Cloudflare account or files of your own; the reason
//                                 is printed.
// Prints one line per command, the skipped blocks with their reasons, then "N passed, M failed".
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);

/** A fresh clone: the tracked files only, plus what `npm install` would make (node_modules, and dist/ from its prepare script), linked from this checkout; `edgescale` on the PATH. */
function freshCopy() {
  const tmp = mkdtempSync(join(tmpdir(), 'edgescale-readme-'));
  for (const file of tracked) {
    if (!existsSync(join(root, file))) continue;
    mkdirSync(dirname(join(tmp, file)), { recursive: true });
    cpSync(join(root, file), join(tmp, file));
  }
  symlinkSync(join(root, 'node_modules'), join(tmp, 'node_modules'));
  symlinkSync(join(root, 'dist'), join(tmp, 'dist'));
  const binDir = join(tmp, '.readme-bin');
  mkdirSync(binDir);
  writeFileSync(join(binDir, 'edgescale'), `#!/bin/sh\nexec "${process.execPath}" "${join(tmp, 'bin', 'edgescale.mjs')}" "$@"\n`, { mode: 0o755 });
  return { tmp, binDir };
}

let passed = 0;
let failed = 0;
const skipped = [];
for (const doc of ['README.md', 'docs/cli.md']) {
  const { tmp, binDir } = freshCopy();
  const env = { ...process.env, PATH: `${binDir}:${process.env.PATH}`, NO_COLOR: '1', npm_config_offline: 'true', npm_config_update_notifier: 'false' };
  for (const name of Object.keys(env)) if (/^(EDGESCALE_|ACTUATOR_)/.test(name)) delete env[name];
  for (const block of shellBlocks(readFileSync(join(root, doc), 'utf8'))) {
    const marker = block.marker ?? '';
    if (/^example:\s*curl\b/.test(marker)) {
      skipped.push(`${doc}:${block.line}: a request to a running server (test/engine/docs-examples.test.ts sends it)`);
      continue;
    }
    const notRun = /^not run:\s*(.*)$/.exec(marker);
    if (notRun) {
      skipped.push(`${doc}:${block.line}: ${notRun[1]}`);
      continue;
    }
    for (const command of commands(block.body)) {
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', command], { cwd: tmp, env, encoding: 'utf8', timeout: TIMEOUT_MS });
      const shown = command.split('\n')[0] + (command.includes('\n') ? ' …' : '');
      if (r.status === 0) {
        passed++;
        console.log(`✓ ${doc}:${block.line}: ${shown}`);
      } else {
        failed++;
        console.log(`✗ ${doc}:${block.line}: ${shown}\n  exit ${r.status ?? r.signal}\n${(r.stderr || r.stdout).trim().replace(/^/gm, '  ')}`);
      }
    }
  }
  rmSync(tmp, { recursive: true, force: true });
}
for (const s of skipped) console.log(`- not run: ${s}`);
console.log(`readme-commands: ${passed} passed, ${failed} failed`);
if (passed === 0 || failed > 0) process.exitCode = 1;
