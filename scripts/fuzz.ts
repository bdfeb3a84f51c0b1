// Fuzzing (npm run fuzz): the engine's property tests of test/property and the edges around it (scripts/fuzz/:
// the HTTP app in-process, every importer, every metric payload converter), run in Node for FUZZ_RUNS cases in total.
//
// Bundled like bench/run.ts:
//   node scripts/bundle-rules.mjs && node scripts/node-bundle.mjs scripts/fuzz.ts .bench/fuzz.mjs && node .bench/fuzz.mjs
// FUZZ_RUNS (default 100,000) is split over the properties in proportion to their default run counts;
// FUZZ_SEED replays a run (each property's seed is printed with its failure, with the shrink path).
import type fc from 'fast-check';
import { PROPERTIES as ENGINE_PROPERTIES } from '../test/property/properties.js';
import { EDGE_PROPERTIES } from './fuzz/edge-properties.js';

/** Engine invariants first, then the edges; the total is split by defaultRuns across both. */
const PROPERTIES: ReadonlyArray<{ name: string; defaultRuns: number; check(params: { numRuns: number; seed?: number }): Promise<fc.RunDetails<unknown>> }> = [
  ...ENGINE_PROPERTIES,
  ...EDGE_PROPERTIES,
];

/** Enough cases that rare combinations (cooldown + out-of-bounds + missing data) each occur many times. */
const DEFAULT_TOTAL_RUNS = 100_000;

function positiveInt(text: string | undefined, name: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return n;
}

async function main(): Promise<number> {
  const total = positiveInt(process.env.FUZZ_RUNS, 'FUZZ_RUNS') ?? DEFAULT_TOTAL_RUNS;
  const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : undefined;
  const weight = PROPERTIES.reduce((sum, p) => sum + p.defaultRuns, 0);
  console.log(`edgescale fuzz (engine + edges) — node ${process.version}, ${total} cases over ${PROPERTIES.length} properties${seed !== undefined ? `, seed ${seed}` : ''}\n`);

  let failures = 0;
  let cases = 0;
  const started = performance.now();
  for (const [i, p] of PROPERTIES.entries()) {
    // Rounded up, so the total is never below FUZZ_RUNS.
    const numRuns = Math.max(1, Math.ceil((total * p.defaultRuns) / weight));
    const t0 = performance.now();
    const details = await p.check({ numRuns, ...(seed !== undefined && { seed }) });
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    cases += details.numRuns;
    if (details.failed) {
      failures++;
      console.log(`✗ ${i + 1}. ${p.name}: FAILED after ${details.numRuns} cases (${details.numShrinks} shrinks, ${seconds} s)`);
      console.log(`   seed ${details.seed}, path "${details.counterexamplePath}"`);
      console.log(`   counterexample: ${printable(details.counterexample)}`);
      const error = details.errorInstance;
      console.log(`   ${error instanceof Error ? error.message.split('\n').join('\n   ') : String(error)}`);
    } else {
      console.log(`✓ ${i + 1}. ${p.name}: ${details.numRuns} cases${details.numSkips ? ` (${details.numSkips} skipped)` : ''}, ${seconds} s`);
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\n${cases} cases in ${seconds} s; ${failures === 0 ? 'no failures' : `${failures} of ${PROPERTIES.length} properties failed`}`);
  return failures === 0 ? 0 : 1;
}

/** The counterexample as JSON, cut to 4 KiB; a value too deep for JSON.stringify (a hostile input) is said to be so instead of failing the report. */
function printable(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 4096 ? `${text.slice(0, 4096)}… (${text.length} characters)` : text;
  } catch (err) {
    return `(not printable: ${err instanceof Error ? err.message : String(err)})`;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
