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
  /** Queue that holds decisions the actuator could not take yet; consumed by this worker. */
  DELIVERY_QUEUE?: Queue<unknown>;
  /** ACTUATOR_URL_<NAME> for rule sets that name another actuator. */
  [name: `ACTUATOR_URL_${string}`]: string | undefined;
}
