// Bundles the `edgescale` CLI (src/cli/main.ts) into dist/cli.mjs, one ESM file for Node 20, run by bin/edgescale.mjs.
// Needs src/generated/bundled-rules.ts (node scripts/bundle-rules.mjs), which is run first when missing.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { bundleForNode } from './node-bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (!existsSync(join(root, 'src', 'generated', 'bundled-rules.ts'))) {
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle-rules.mjs')], { stdio: 'inherit' });
}

await bundleForNode(join(root, 'src', 'cli', 'main.ts'), join(root, 'dist', 'cli.mjs'));
console.log('build-cli: dist/cli.mjs');
