// Tests run inside workerd (the Workers runtime) through @cloudflare/vitest-plugin, configured from wrangler.toml.
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        // Tests exercise auth for real: a known token, and the dev switch left off.
        bindings: { EDGESCALE_API_TOKEN: 'test-token', EDGESCALE_DEV_AUTH_DISABLED: 'false' },
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.ts'],
  },
});
