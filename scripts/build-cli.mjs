// Bundles the `edgescale` CLI (src/cli/main.ts) into dist/cli.mjs, one ESM file for Node 20, run by bin/edgescale.mjs.
// Needs src/generated/bundled-rules.ts (node scripts/bundle-rules.mjs), which is run first when missing.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (!existsSync(join(root, 'src', 'generated', 'bundled-rules.ts'))) {
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle-rules.mjs')], { stdio: 'inherit' });
}

await build({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outfile: join(root, 'dist', 'cli.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // esbuild wraps the CommonJS dependencies (jsonata, yaml) itself, but in ESM output a CJS
  // require() of a Node builtin has nothing to call: yaml's CJS build does require('process') (and a
  // dependency require('buffer')), which fail with "Dynamic require of … is not supported" without
  // this real `require`.
  banner: { js: "import { createRequire as __edgescaleCreateRequire } from 'node:module'; const require = __edgescaleCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
console.log('build-cli: dist/cli.mjs');
