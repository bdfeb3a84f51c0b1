// Bundles a TypeScript entry point into one ESM file for Node 20 (the CLI, the benchmark, the fuzzer, the schema generator).
// Usage: node scripts/node-bundle.mjs <entry.ts> <out.mjs>
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

/**
 * esbuild wraps the CommonJS dependencies (jsonata, yaml) itself, but in ESM output a CJS require()
 * of a Node builtin has nothing to call: yaml's CJS build does require('process') (and a dependency
 * require('buffer')), which fail with "Dynamic require of … is not supported" without this real
 * `require`.
 */
const REQUIRE_BANNER = "import { createRequire as __edgescaleCreateRequire } from 'node:module'; const require = __edgescaleCreateRequire(import.meta.url);";

export async function bundleForNode(entry, outfile) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: REQUIRE_BANNER },
    // A native module (the CLI's delivery outbox, src/cli/outbox-sqlite.ts): loaded from node_modules at run time, never bundled.
    external: ['better-sqlite3'],
    logLevel: 'warning',
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [entry, outfile] = process.argv.slice(2);
  if (!entry || !outfile) {
    console.error('usage: node scripts/node-bundle.mjs <entry.ts> <out.mjs>');
    process.exit(2);
  }
  await bundleForNode(entry, outfile);
}
