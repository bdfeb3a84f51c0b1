// Worker bindings: secrets and variables from wrangler.toml, `wrangler secret put` or .dev.vars.

export interface Env {
  /** Bearer token every /v1 request must carry (a wrangler secret). */
  EDGESCALE_API_TOKEN?: string;
  /** "true" turns auth off for requests to localhost; for `npm start` only (see .dev.vars.example). */
  EDGESCALE_DEV_AUTH_DISABLED?: string;
  /** Where decisions go (the "default" actuator). Unset: decisions are logged, not sent. */
  ACTUATOR_URL?: string;
  /** HMAC-SHA256 key for the X-Edgescale-Signature header (a wrangler secret). */
  ACTUATOR_HMAC_KEY?: string;
  /**
   * HMAC-SHA256 key webhook senders sign requests with (a wrangler secret, at least 16 bytes).
   * Unset: only the bearer token is accepted. Signed requests may only call POST /v1/evaluate.
   */
  EDGESCALE_WEBHOOK_HMAC_KEY?: string;
  /** Lower the request limits of src/limits.ts (whole numbers; never above the built-in ceiling). */
  EDGESCALE_LIMIT_BODY_BYTES?: string;
  EDGESCALE_LIMIT_TARGETS_PER_BATCH?: string;
  EDGESCALE_LIMIT_POINTS_PER_SERIES?: string;
  EDGESCALE_LIMIT_RULES_PER_SET?: string;
  EDGESCALE_LIMIT_EXPRESSION_LENGTH?: string;
  EDGESCALE_LIMIT_PROFILES_PER_SET?: string;
  EDGESCALE_LIMIT_INSTANCES_PER_TARGET?: string;
  /** Queue that holds decisions the actuator could not take yet; consumed by this worker. */
  DELIVERY_QUEUE?: Queue<unknown>;
  /** ACTUATOR_URL_<NAME> for rule sets that name another actuator. */
  [name: `ACTUATOR_URL_${string}`]: string | undefined;
}
