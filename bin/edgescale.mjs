#!/usr/bin/env node
// The `edgescale` command: runs the bundle built by scripts/build-cli.mjs (npm run build:cli).
try {
  await import('../dist/cli.mjs');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('cli.mjs')) throw error;
  console.error('edgescale: dist/cli.mjs is missing; build it with `npm run build:cli` (node scripts/build-cli.mjs)');
  process.exitCode = 1;
}
