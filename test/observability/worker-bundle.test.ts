// The worker's bundle (src/index.ts, as wrangler bundles it) holds none of `edgescale serve`'s Node-only code: no prom-client, no SQLite, nothing of src/cli/.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the worker bundle', () => {
  it('does not include prom-client, better-sqlite3 or src/cli/', async () => {
    const result = await build({
      entryPoints: ['src/index.ts'],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'neutral',
      // Resolved as wrangler resolves for workerd; its runtime modules stay external.
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['module', 'main'],
      external: ['node:*', 'cloudflare:*'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('src/http/app.ts');
    expect(inputs.filter((i) => /prom-client|tdigest|@opentelemetry|better-sqlite3|^src\/cli\//.test(i))).toEqual([]);
  });
});
