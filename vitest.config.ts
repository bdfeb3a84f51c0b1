// Tests run inside workerd (the Workers runtime) through @cloudflare/vitest-plugin, configured from wrangler.toml.
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        // Tests exercise auth for real: a known token, and the dev switch left off. Every variable
        // .dev.vars may set is pinned here, so a developer's local .dev.vars cannot change results.
        bindings: { EDGESCALE_API_TOKEN: 'test-token', EDGESCALE_DEV_AUTH_DISABLED: 'false', ACTUATOR_URL: '', ACTUATOR_HMAC_KEY: '', EDGESCALE_WEBHOOK_HMAC_KEY: 'test-webhook-key' },
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    // The first request into a fresh workerd isolate can take seconds on a loaded 2-core machine.
    testTimeout: 30_000,
  },
});
