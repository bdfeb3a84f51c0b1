// The logger of one deployment: its level from EDGESCALE_LOG_LEVEL and its secrets, every configured token and key, cut out of what it writes.
import type { Env } from '../env.js';
import { loadCredentials } from '../http/credentials.js';
import { createLogger, logThreshold, unknownLevel, type LogSink, type Logger } from './log.js';

/** Every secret `env` configures: the single-secret variables as they are, and each credential's secret when EDGESCALE_CREDENTIALS is usable. */
function secretsOf(env: Env): string[] {
  const raw = [env.EDGESCALE_API_TOKEN, env.EDGESCALE_WEBHOOK_HMAC_KEY, env.ACTUATOR_HMAC_KEY].filter((s): s is string => typeof s === 'string' && s !== '');
  const set = loadCredentials(env);
  return set.ok ? [...raw, ...set.tokens.map((t) => t.secret), ...set.webhooks.map((w) => w.secret)] : raw;
}

/**
 * Loggers over `sink`, one per environment object (a worker's bindings are one object per isolate;
 * `edgescale serve` has one), all sharing `told` so a warning logged once is logged once in all.
 */
export function envLoggers(sink: LogSink, told: Set<string> = new Set()): (env: Env) => Logger {
  const byEnv = new WeakMap<object, Logger>();
  return (env) => {
    const key = env as object;
    let logger = byEnv.get(key);
    if (!logger) {
      logger = createLogger({ sink, level: logThreshold(env.EDGESCALE_LOG_LEVEL), secrets: secretsOf(env), told });
      const wrong = unknownLevel(env.EDGESCALE_LOG_LEVEL);
      if (wrong !== undefined)
        logger.once(`log-level:${wrong}`, 'warn', 'config.invalid', `EDGESCALE_LOG_LEVEL "${wrong.slice(0, 40)}" is not debug, info, warn, error or off; using info`);
      byEnv.set(key, logger);
    }
    return logger;
  };
}
