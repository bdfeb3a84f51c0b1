// What `edgescale serve` takes from the process environment, and the configurations it warns about or refuses.
import type { Env } from '../env.js';
import { loadCredentials } from '../http/credentials.js';
import { DEV_AUTH_WARNING } from '../http/auth.js';

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

/** Loopback bind addresses. */
const LOOPBACK_BIND = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const isLoopbackHost = (host: string): boolean => LOOPBACK_BIND.has(host.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

export interface ServeCheck {
  /** Set when the server must not start: the message says why and how to fix it. */
  refuse?: string;
  warnings: string[];
}

/**
 * Before listening. Credentials that the worker would refuse (src/http/credentials.ts: shorter than 32
 * characters, surrounding whitespace, equal to ACTUATOR_HMAC_KEY, an invalid EDGESCALE_CREDENTIALS)
 * stop the server from starting, with every problem named. The dev switch lets through requests whose
 * TCP peer is loopback (src/http/locality.ts); on a non-loopback address it is refused anyway: a server
 * other machines can reach is not a local trial, and a proxy on this machine would make them local.
 */
export function serveChecks(env: Env, host: string): ServeCheck {
  const warnings: string[] = [];
  const credentials = loadCredentials(env);
  if (!credentials.ok) {
    return { refuse: `the credentials are not usable:\n${credentials.problems.map((p) => `  - ${p.message}`).join('\n')}`, warnings };
  }
  const devOff = env.EDGESCALE_DEV_AUTH_DISABLED === 'true';
  if (devOff && !isLoopbackHost(host)) {
    return {
      refuse:
        `EDGESCALE_DEV_AUTH_DISABLED=true with --host ${host}: the dev switch is for a server only this machine can reach. ` +
        'Bind to 127.0.0.1 (the default), or unset EDGESCALE_DEV_AUTH_DISABLED and set EDGESCALE_API_TOKEN.',
      warnings,
    };
  }
  if (devOff) {
    // The same sentence the first request's auth logs, so the process tells it once (Logger.once).
    warnings.push(DEV_AUTH_WARNING);
  } else if (credentials.source === 'none') {
    warnings.push(
      'EDGESCALE_API_TOKEN is not set: every /v1 request will be refused with 503 AuthNotConfigured. ' +
        'Set a token (EDGESCALE_API_TOKEN=$(openssl rand -hex 32) edgescale serve, then send Authorization: Bearer <token>), ' +
        'or scoped credentials (EDGESCALE_CREDENTIALS, SECURITY.md), ' +
        'or for a local trial turn auth off for requests from this machine (EDGESCALE_DEV_AUTH_DISABLED=true edgescale serve).',
    );
  }
  if (env.ACTUATOR_URL && !env.ACTUATOR_HMAC_KEY) {
    warnings.push('ACTUATOR_URL is set without ACTUATOR_HMAC_KEY: nothing is sent unsigned; decisions wait in the outbox until the key is set and the server restarted (see docs/actuator.md).');
  }
  return { warnings };
}
