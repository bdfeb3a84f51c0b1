// Two vitest projects. `node`: the pure core (engine, formats, property tests, CLI) runs in plain Node,
// where nothing needs the Workers runtime and tests start several times faster. `workers`: the HTTP app,
// the cron trigger and delivery run inside workerd (the Workers runtime) through
// @cloudflare/vitest-pool-workers, configured from wrangler.toml. `npm test` runs both.
// 0.15.1 is the release built on wrangler 4.86.0 and miniflare 4.20260426.0, the ones `npm start` and
// `deploy` use: tests run on the same workerd, and nothing in the install needs Node 22 (README "Node 20").
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { configDefaults, defineConfig } from 'vitest/config';

// wrangler, reading wrangler.toml for the workers project, logs "Using secrets defined in .dev.vars" at
// its `log` level for every test file when a developer has run `npm start`; the bindings below pin every
// such variable anyway, so only its warnings and errors are worth showing here. WRANGLER_LOG is wrangler's
// own level setting; one set by the caller wins.
process.env.WRANGLER_LOG ??= 'warn';

/** Test files that never touch a Workers API (no cloudflare:workers / cloudflare:test, no bindings). */
const NODE_TESTS = ['test/engine/**/*.test.ts', 'test/formats/**/*.test.ts', 'test/property/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/observability/**/*.test.ts'];

export default defineConfig({
  test: {
    // A green `npm test` fits on a screen: vitest's `minimal` reporter prints failing files and tests in full (and the
    // console output of failing tests only), then the summary; a dot per test wrapped to 50+ rows for ~4,200 tests.
    // CI asks for the default reporter (and a JSON report) on the command line, which overrides this.
    reporters: ['minimal'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: NODE_TESTS,
          // One fast-check seed for every property (FC_SEED overrides): a failure replays, CI is not a lottery.
          setupFiles: ['test/setup/fast-check-seed.ts'],
          testTimeout: 30_000,
        },
      },
      {
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
                // Quiet: the logger writes nothing unless a test captures it (createApp({ loggerFor }) with its own level).
                EDGESCALE_LOG_LEVEL: 'off',
              },
            },
          }),
        ],
        test: {
          name: 'workers',
          // Everything else, so a new test directory runs in workerd unless it is listed above.
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...NODE_TESTS],
          // The first request into a fresh workerd isolate can take seconds on a loaded 2-core machine.
          testTimeout: 30_000,
        },
      },
    ],
  },
});
