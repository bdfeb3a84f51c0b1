// Cloudflare Worker entry: the HTTP app, the cron trigger (profile changes) and the delivery queue consumer.
import { createApp } from './http/app.js';
import type { Env } from './env.js';
import { runScheduled } from './cron/scheduled.js';
import { consumeQueue, liveDeps } from './delivery/wiring.js';
import { consoleSink } from './observability/log.js';
import { envLoggers } from './observability/env-logger.js';
import { analyticsObserver } from './observability/analytics.js';

// One JSON line per record through console (Workers Logs indexes the fields); one set of once-told warnings per isolate.
const loggerFor = envLoggers(consoleSink);
// Metrics, when the deployment binds an Analytics Engine dataset (the observer keeps no state of its own).
const observerFor = (env: Env) => (env.EDGESCALE_ANALYTICS ? analyticsObserver(env.EDGESCALE_ANALYTICS) : undefined);
const app = createApp({ loggerFor, observerFor });

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    const report = await runScheduled(controller.scheduledTime, controller.cron, env, loggerFor(env));
    observerFor(env)?.delivered(report.deliveries);
  },
  async queue(batch, env) {
    await consumeQueue(batch, env, liveDeps(env, loggerFor(env)));
  },
} satisfies ExportedHandler<Env>;
