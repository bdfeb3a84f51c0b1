// Cloudflare Worker entry: the HTTP app; the cron and queue handlers join it as adapters.
import { createApp } from './http/app.js';
import type { Env } from './env.js';

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
