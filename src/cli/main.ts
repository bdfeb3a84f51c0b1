// The `edgescale` command on Node: real files, stdout/stderr, the clock, node:util parseArgs and the HTTP server.
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { EXIT, type ParseArgs } from './args.js';
import { runCli, type CliIo, type ReadResult } from './commands.js';
import { useColor } from './format.js';
import { serveChecks, workerEnv } from './serve-config.js';
import { GzipServerResponse, serveFetch } from './serve-fast.js';

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

/** Serve the worker's app until SIGINT/SIGTERM; resolves to the exit status. */
async function serveApp(options: { port: number; host: string; dataDir: string }): Promise<number> {
  const env = workerEnv(process.env);
  const checks = serveChecks(env, options.host);
  if (checks.refuse) {
    console.error(`edgescale: refusing to start: ${checks.refuse}`);
    return Promise.resolve(EXIT.usage);
  }
  // Decisions to deliver wait in a durable SQLite outbox in the data directory until the actuator
  // takes them (docs/actuator.md). Loaded here only, so the other commands never load the native module.
  let delivery: import('./outbox-sqlite.js').RunningOutbox;
  try {
    delivery = await (await import('./outbox-sqlite.js')).startOutbox(options.dataDir, env);
  } catch (error) {
    console.error(`edgescale: refusing to start: cannot open the delivery outbox in ${options.dataDir}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
  env.DELIVERY_OUTBOX = delivery.outbox;
  // The worker's app, with small bodies read off the socket, and large answers gzipped by the server's
  // responses (src/cli/serve-fast.ts).
  const fetch = serveFetch(env);
  return new Promise((resolve) => {
    const server = serve({ fetch, port: options.port, hostname: options.host, serverOptions: { ServerResponse: GzipServerResponse } }, (info) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      console.log(`edgescale: listening on http://${host}:${info.port} (Ctrl-C to stop)`);
      const { pending, dead } = delivery.counts;
      console.log(`edgescale: delivery outbox ${delivery.file} (${pending} pending${dead > 0 ? `, ${dead} dead` : ''})`);
      for (const w of checks.warnings) console.warn(`edgescale: WARNING: ${w}`);
    });
    server.on('error', (error: NodeJS.ErrnoException) => {
      console.error(`edgescale: cannot listen on ${options.host}:${options.port}: ${error.code === 'EADDRINUSE' ? 'address in use' : error.message}`);
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
    console.error('edgescale: unexpected error:', error);
    process.exitCode = EXIT.failed;
  },
);
