// Tests run inside workerd (the Workers runtime) through @cloudflare/vitest-plugin, configured from wrangler.toml.
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        // Tests exercise auth for real: a known token and webhook key (32+ characters, as
        // src/http/credentials.ts requires), and the dev switch left off. Every variable .dev.vars may
        // set is pinned here, so a developer's local .dev.vars cannot change results.
        bindings: {
          EDGESCALE_API_TOKEN: 'test-token-0123456789abcdef0123456789abcdef',
          EDGESCALE_WEBHOOK_HMAC_KEY: 'test-webhook-key-0123456789abcdef0123456789',
          EDGESCALE_CREDENTIALS: '',
          EDGESCALE_DEV_AUTH_DISABLED: 'false',
          EDGESCALE_ALLOWED_ORIGINS: '',
          ACTUATOR_URL: '',
          ACTUATOR_HMAC_KEY: '',
        },
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.ts'],
    // The first request into a fresh workerd isolate can take seconds on a loaded 2-core machine.
    testTimeout: 30_000,
  },
});
