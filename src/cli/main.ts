// The `edgescale` command on Node: real files, stdout/stderr, the clock, node:util parseArgs and the HTTP server.
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { EXIT, type ParseArgs } from './args.js';
import { lineWriter } from './line-writer.js';
import { runCli, type CliIo, type ReadResult } from './commands.js';
import { useColor } from './format.js';
import { serveChecks, workerEnv } from './serve-config.js';
import { GzipServerResponse, serveFetch } from './serve-fast.js';
import { createServeMetrics } from './metrics.js';
import { DEV_AUTH_WARNING } from '../http/auth.js';
import { jsonLine, textLine, type LogSink } from '../observability/log.js';
import { envLoggers } from '../observability/env-logger.js';

/**
 * Largest file the CLI reads: 16 MiB, above the API's highest body limit (LIMIT_CEILINGS.bodyBytes,
 * 12 MiB), so anything the API would accept fits with room for pretty-printing, while a wrong path to a huge file fails fast.
 */
const MAX_FILE_BYTES = 16 * 1_048_576;

async function readText(path: string): Promise<ReadResult> {
  let handle;
  try {
    handle = await open(path === '-' ? '/dev/stdin' : path, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) return { ok: false, missing: false, message: 'is a directory' };
    if (info.isFile() && info.size > MAX_FILE_BYTES) return { ok: false, missing: false, message: `larger than ${MAX_FILE_BYTES} bytes` };
    const text = await handle.readFile('utf8');
    if (text.length > MAX_FILE_BYTES) return { ok: false, missing: false, message: `larger than ${MAX_FILE_BYTES} bytes` };
    // A BOM is not JSON (RFC 8259 §8.1 lets parsers ignore it); editors on Windows add one.
    return { ok: true, text: text.replace(/^\uFEFF/, '') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    return { ok: false, missing: code === 'ENOENT', message: reason };
  } finally {
    await handle?.close();
  }
}

/**
 * The server's log records: one line each, human-readable when stdout is a terminal, JSON otherwise
 * (a service manager, a container, a pipe to jq). Warnings and errors on stderr, the rest on stdout.
 */
function processSink(readable: boolean): LogSink {
  return (record) => {
    const line = `${readable ? textLine(record) : jsonLine(record)}\n`;
    (record.level === 'warn' || record.level === 'error' ? logErr : logOut).write(line);
  };
}

/** The server's log lines, a write per turn of the event loop (line-writer.ts); what is pending is written when the process exits. */
const logOut = lineWriter(process.stdout);
const logErr = lineWriter(process.stderr);
process.on('exit', () => {
  logOut.flush();
  logErr.flush();
});

/** Serve the worker's app until SIGINT/SIGTERM; resolves to the exit status. */
async function serveApp(options: { port: number; host: string; dataDir: string }): Promise<number> {
  const env = workerEnv(process.env);
  // One logger for the process and every request: a warning told at start (auth off) is not told again by the first request.
  const loggerFor = envLoggers(processSink(process.stdout.isTTY === true));
  const log = loggerFor(env);
  const checks = serveChecks(env, options.host);
  if (checks.refuse) {
    log.error('serve.refused', `refusing to start: ${checks.refuse}`);
    return Promise.resolve(EXIT.usage);
  }
  // Decisions to deliver wait in a durable SQLite outbox in the data directory until the actuator
  // takes them (docs/actuator.md). Loaded here only, so the other commands never load the native module.
  let delivery: import('./outbox-sqlite.js').RunningOutbox;
  // GET /metrics (docs/operations.md); the outbox's depth is read from its store at each scrape.
  const metrics = createServeMetrics(() => delivery.outbox.store.counts());
  try {
    delivery = await (await import('./outbox-sqlite.js')).startOutbox(options.dataDir, env, log, metrics.onRound);
  } catch (error) {
    log.error('serve.refused', `refusing to start: cannot open the delivery outbox in ${options.dataDir}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
  env.DELIVERY_OUTBOX = delivery.outbox;
  // The worker's app, with small bodies read off the socket, and large answers gzipped by the server's
  // responses (src/cli/serve-fast.ts).
  const fetch = serveFetch(env, { app: { loggerFor, observerFor: () => metrics.observer, metrics: metrics.scrape } });
  return new Promise((resolve) => {
    const server = serve({ fetch, port: options.port, hostname: options.host, serverOptions: { ServerResponse: GzipServerResponse } }, (info) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      log.info('serve.listening', `listening on http://${host}:${info.port} (Ctrl-C to stop)`, { address: info.address, port: info.port });
      const { pending, dead } = delivery.counts;
      log.info('serve.outbox', `delivery outbox ${delivery.file} (${pending} pending${dead > 0 ? `, ${dead} dead` : ''})`, { file: delivery.file, pending, dead });
      // Keyed by the text, as the auth middleware keys it: the dev-switch warning is told here and not again.
      for (const w of checks.warnings) log.once(w, 'warn', w === DEV_AUTH_WARNING ? 'auth.disabled' : 'serve.config', w);
    });
    server.on('error', (error: NodeJS.ErrnoException) => {
      log.error('serve.listen_failed', `cannot listen on ${options.host}:${options.port}: ${error.code === 'EADDRINUSE' ? 'address in use' : error.message}`);
      void delivery.stop().finally(() => resolve(EXIT.failed));
    });
    const stop = () => {
      server.close(() => void delivery.stop().finally(() => resolve(EXIT.ok)));
      // Keep-alive connections would hold close() open; the process is ending anyway.
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

// A reader that stops reading (`edgescale simulate … --json | head -1`) closes the pipe: the rest of the output has
// nowhere to go, so the command ends there, quietly and with the status it already has, as a Unix tool killed by
// SIGPIPE would (Node turns SIGPIPE into an EPIPE error, which unhandled printed a stack trace).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT.ok);
  });
}

const io: CliIo = {
  readText,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  color: useColor(process.stdout.isTTY === true, process.env),
  now: () => Date.now(),
  parse: ((config) => parseArgs(config)) as ParseArgs,
  serve: serveApp,
};

runCli(process.argv.slice(2), io).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    io.err(`edgescale: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = EXIT.failed;
  },
);
