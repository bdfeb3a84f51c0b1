// Worker bindings: secrets and variables from wrangler.toml, `wrangler secret put` or .dev.vars.

export interface Env {
  /** Bearer token every /v1 request must carry (a wrangler secret). */
  EDGESCALE_API_TOKEN?: string;
  /** "true" turns auth off for requests to localhost; for `npm start` only (see .dev.vars.example). */
  EDGESCALE_DEV_AUTH_DISABLED?: string;
}
