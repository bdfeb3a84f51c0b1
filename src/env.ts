// Worker bindings: secrets and variables from wrangler.toml, `wrangler secret put` or .dev.vars.
import type { DeliveryOutbox } from './delivery/deliver.js';

export interface Env {
  /**
   * Every API token and webhook key with its scope, as JSON (a wrangler secret; schema:
   * CredentialsConfig in src/http/credentials.ts, schema/credentials.schema.json). Excludes
   * EDGESCALE_API_TOKEN and EDGESCALE_WEBHOOK_HMAC_KEY.
   */
  EDGESCALE_CREDENTIALS?: string;
  /** One full-scope bearer token (a wrangler secret, at least 32 characters); credential id "api-token". */
  EDGESCALE_API_TOKEN?: string;
  /**
   * "true" lets requests without credentials through when they provably come from this machine:
   * under `npm start` (wrangler dev) or from a loopback peer of `edgescale serve` (src/http/locality.ts).
   */
  EDGESCALE_DEV_AUTH_DISABLED?: string;
  /** Origins (https://ops.example.com) whose web pages may call /v1, comma- or space-separated; default none (src/http/csrf.ts). */
  EDGESCALE_ALLOWED_ORIGINS?: string;
  /** Lowest level logged: debug, info (default), warn, error, or off (docs/operations.md). */
  EDGESCALE_LOG_LEVEL?: string;
  /** Where decisions go (the "default" actuator). Unset: decisions are logged, not sent. */
  ACTUATOR_URL?: string;
  /** HMAC-SHA256 key for the X-Edgescale-Signature header (a wrangler secret). */
  ACTUATOR_HMAC_KEY?: string;
  /**
   * One full-scope HMAC-SHA256 key webhook senders sign requests with (a wrangler secret, at least 32
   * characters, never equal to ACTUATOR_HMAC_KEY); credential id "webhook". Signed requests may only
   * call POST /v1/evaluate.
   */
  EDGESCALE_WEBHOOK_HMAC_KEY?: string;
  /** Raise or lower the request limits of src/limits.ts (whole numbers from 1 to LIMIT_CEILINGS; others are refused with a warning). */
  EDGESCALE_LIMIT_BODY_BYTES?: string;
  EDGESCALE_LIMIT_TARGETS_PER_BATCH?: string;
  EDGESCALE_LIMIT_POINTS_PER_SERIES?: string;
  EDGESCALE_LIMIT_RULES_PER_SET?: string;
  EDGESCALE_LIMIT_EXPRESSION_LENGTH?: string;
  EDGESCALE_LIMIT_PROFILES_PER_SET?: string;
  EDGESCALE_LIMIT_INSTANCES_PER_TARGET?: string;
  /**
   * Optional Workers Analytics Engine dataset (`[[analytics_engine_datasets]]` in wrangler.toml): each request's
   * decisions, rule errors, target errors and deliveries counted there (src/observability/analytics.ts,
   * docs/operations.md). The worker's metrics; `edgescale serve` has GET /metrics instead.
   */
  EDGESCALE_ANALYTICS?: AnalyticsEngineDataset;
  /** Queue that holds decisions the actuator could not take yet; consumed by this worker. */
  DELIVERY_QUEUE?: Queue<unknown>;
  /** Node only (`edgescale serve`): the durable SQLite outbox that takes the queue's place (src/cli/outbox-sqlite.ts). Never a worker binding. */
  DELIVERY_OUTBOX?: DeliveryOutbox;
  /** ACTUATOR_URL_<NAME> for rule sets that name another actuator. */
  [name: `ACTUATOR_URL_${string}`]: string | undefined;
}
