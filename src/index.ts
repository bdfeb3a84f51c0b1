// Cloudflare Worker entry: the HTTP app, the cron trigger (profile changes) and the delivery queue consumer.
import { createApp } from './http/app.js';
import type { Env } from './env.js';
import { runScheduled } from './cron/scheduled.js';
import { consumeQueue, liveDeps } from './delivery/wiring.js';
import { consoleSink } from './observability/log.js';
import { envLoggers } from './observability/env-logger.js';

// One JSON line per record through console (Workers Logs indexes the fields); one set of once-told warnings per isolate.
const loggerFor = envLoggers(consoleSink);
const app = createApp({ loggerFor });

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await runScheduled(controller.scheduledTime, controller.cron, env, loggerFor(env));
  },
  async queue(batch, env) {
    await consumeQueue(batch, env, liveDeps(env, loggerFor(env)));
  },
} satisfies ExportedHandler<Env>;
