// Cloudflare Worker entry: the HTTP app, the cron trigger (profile changes) and the delivery queue consumer.
import { createApp } from './http/app.js';
import type { Env } from './env.js';
import { runScheduled } from './cron/scheduled.js';
import { consumeQueue } from './delivery/wiring.js';

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await runScheduled(controller.scheduledTime, controller.cron, env);
  },
  async queue(batch, env) {
    await consumeQueue(batch, env);
  },
} satisfies ExportedHandler<Env>;
