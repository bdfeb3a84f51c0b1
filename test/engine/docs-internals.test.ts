// The user docs (docs/*.md) speak of what a caller sends and gets back: no source path, no call of edgescale's own functions (ARCHITECTURE.md holds those).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const DOCS = readdirSync(new URL('docs/', ROOT)).filter((f) => f.endsWith('.md'));

/** Every function edgescale's source declares: `function name`, and `const name = (…) =>` / `= x =>`. */
function sourceFunctionNames(dir = new URL('src/', ROOT)): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // src/generated/ holds the bundled rule files and assets as data, not functions.
    if (entry.isDirectory() && entry.name !== 'generated') for (const n of sourceFunctionNames(new URL(`${entry.name}/`, dir))) names.add(n);
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const text = readFileSync(new URL(entry.name, dir), 'utf8');
    for (const m of text.matchAll(/\bfunction\*?\s+([A-Za-z_]\w*)/g)) names.add(m[1]!);
    for (const m of text.matchAll(/\b(?:const|let)\s+([A-Za-z_]\w*)\s*=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_]\w*)\s*(?::[^=]*)?=>/g)) names.add(m[1]!);
  }
  return names;
}

/**
 * Names edgescale's source also declares that the docs use as the user knows them: the arithmetic
 * the formulas are written in, and the functions of the foreign formats the docs describe (ARM
 * template functions in importing.md, AWS schedule expressions `at()`/`cron()`/`rate()`, PromQL's
 * `rate()`). JSONata functions (`$ceilDiv()`, …) are always allowed: the `$` marks them.
 */
const ALLOWED = new Set(['ceil', 'floor', 'max', 'min', 'rate', 'at', 'cron', 'concat', 'resourceId', 'substring']);

const INTERNAL = sourceFunctionNames();

/** A source path (`src/engine/x.ts`, `src/http/`) or a call of an internal function (`decide()`), each with its line. */
function internalsIn(text: string, internal: ReadonlySet<string> = INTERNAL): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\bsrc\/[\w-](?:[\w./-]*[\w/])?/g)) found.push(`${i + 1}: ${m[0]}`);
    // Not `$name(` (JSONata), not `x.name(` (a method of something else: `crypto.randomUUID()`).
    for (const m of line.matchAll(/(?<![\w$.])([A-Za-z_]\w*)\(/g)) if (internal.has(m[1]!) && !ALLOWED.has(m[1]!)) found.push(`${i + 1}: ${m[1]}()`);
  });
  return found;
}

describe('user docs name no source file and call no internal function', () => {
  it('the source declares the functions looked for', () => {
    expect(INTERNAL.size).toBeGreaterThan(500);
    for (const name of ['decide', 'createApp', 'activeProfile', 'normalizeWithBehavior']) expect(INTERNAL.has(name), name).toBe(true);
  });

  it('the check finds a path and an internal call, and passes JSONata, arithmetic and foreign functions', () => {
    expect(internalsIn('Through `decide()` (src/engine/decide.ts).\nThe app (`createApp()`), see src/http/.')).toEqual([
      '1: src/engine/decide.ts',
      '1: decide()',
      '2: src/http/',
      '2: createApp()',
    ]);
    expect(internalsIn('`$ceilDiv(metrics.queue.last, 100)`, `ceil(ratio × current)`, `max(2 × current, 4)`, `rate(http_requests_total[5m])`, `crypto.randomUUID()`')).toEqual([]);
    expect(internalsIn('npm run build:cli   # rebuild after changing src/ or rules/')).toEqual([]);
  });

  it.each(DOCS)('docs/%s', (doc) => {
    expect(internalsIn(readFileSync(new URL(`docs/${doc}`, ROOT), 'utf8'))).toEqual([]);
  });
});
