// What `edgescale serve` takes from the process environment, and the configurations it warns about or refuses.
import type { Env } from '../env.js';

/**
 * The worker's variables and secrets, taken from the process environment by name (EDGESCALE_*,
 * ACTUATOR_*): the rest of the environment (PATH, cloud credentials, …) never reaches the app.
 */
export function workerEnv(processEnv: Readonly<Record<string, string | undefined>>): Env {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(processEnv)) {
    if (value !== undefined && /^(EDGESCALE_|ACTUATOR_)/.test(name)) env[name] = value;
  }
  return env as Env;
}

/** The hosts src/http/auth.ts treats as local (its LOCAL_HOSTS), as bind addresses. */
const LOOPBACK_BIND = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
export const isLoopbackHost = (host: string): boolean => LOOPBACK_BIND.has(host.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

export interface ServeCheck {
  /** Set when the server must not start: the message says why and how to fix it. */
  refuse?: string;
  warnings: string[];
}

/**
 * Before listening. The dev switch is honoured by src/http/auth.ts for requests whose URL host is
 * localhost; under Node that URL is built from the request's Host header (@hono/node-server's
 * getRequestUrl), which any client sets freely, so on a non-loopback address every client could
 * claim to be local. The worker does not have this problem (Cloudflare routes by host), the CLI does:
 * it refuses to start that way.
 */
export function serveChecks(env: Env, host: string): ServeCheck {
  const warnings: string[] = [];
  const devOff = env.EDGESCALE_DEV_AUTH_DISABLED === 'true';
  if (devOff && !isLoopbackHost(host)) {
    return {
      refuse:
        `EDGESCALE_DEV_AUTH_DISABLED=true with --host ${host}: auth is skipped for requests addressed to localhost, ` +
        'and under Node any client can claim that in its Host header. Bind to 127.0.0.1 (the default), or unset ' +
        'EDGESCALE_DEV_AUTH_DISABLED and set EDGESCALE_API_TOKEN.',
      warnings,
    };
  }
  if (devOff) {
    warnings.push('AUTH IS DISABLED for requests to localhost (EDGESCALE_DEV_AUTH_DISABLED=true). For local trials only.');
  } else if (!env.EDGESCALE_API_TOKEN) {
    warnings.push(
      'EDGESCALE_API_TOKEN is not set: every /v1 request will be refused with 503 AuthNotConfigured. ' +
        'Set a token (EDGESCALE_API_TOKEN=$(openssl rand -hex 32) edgescale serve, then send Authorization: Bearer <token>), ' +
        'or for a local trial turn auth off for localhost (EDGESCALE_DEV_AUTH_DISABLED=true edgescale serve).',
    );
  }
  if (env.ACTUATOR_URL && !env.ACTUATOR_HMAC_KEY) {
    warnings.push('ACTUATOR_URL is set without ACTUATOR_HMAC_KEY: nothing is sent unsigned, so decisions are not delivered (see docs/actuator.md).');
  }
  if (env.ACTUATOR_URL) {
    warnings.push('There is no delivery queue under Node: a decision the actuator still refuses after the in-process retries is reported as failed, not queued.');
  }
  return { warnings };
}
