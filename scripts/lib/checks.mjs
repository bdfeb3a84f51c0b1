// A tiny TAP-like runner the smoke scripts share: `ok - name` / `not ok - name` per check, then "N passed, M failed".
import { existsSync } from 'node:fs';

/** Inside a check: a failed condition fails it with `message`. */
export const expect = (ok, message) => {
  if (!ok) throw new Error(message);
};

/** Exit 1 before any check when a file the script needs is missing, saying how to get it ([path, hint] pairs). */
export function requireFiles(script, files) {
  for (const [path, hint] of files) {
    if (!existsSync(path)) {
      console.error(`${script}: ${path} is missing; ${hint}`);
      process.exit(1);
    }
  }
}

/** Checks counted in one run; `fail` records a failure found outside a check (a server that did not start). */
export function createChecks() {
  const counts = { passed: 0, failed: 0 };
  const fail = (name, error) => {
    counts.failed++;
    console.log(`not ok - ${name}\n    ${String(error?.message ?? error).replace(/\n/g, '\n    ')}`);
  };
  async function check(name, fn) {
    try {
      await fn();
      counts.passed++;
      console.log(`ok - ${name}`);
    } catch (error) {
      fail(name, error);
    }
  }
  /** The closing line CI reads, and the exit code: 1 when any check failed. */
  const summary = () => {
    console.log(`${counts.passed} passed, ${counts.failed} failed`);
    return counts.failed === 0 ? 0 : 1;
  };
  /** Past `totalMs` the whole run fails: `cleanup` stops what it started, and the process exits 1. Returns the timer to clear. */
  const watchdog = (totalMs, cleanup) =>
    setTimeout(async () => {
      fail('the whole run', new Error(`did not finish within ${totalMs / 1000} s`));
      await cleanup();
      process.exit(summary() || 1);
    }, totalMs);
  return { check, fail, summary, watchdog };
}

/** Stops a child process: SIGTERM, then SIGKILL after `graceMs`; resolves once it has closed (at once if it already exited). */
export function stopProcess(child, graceMs = 5_000) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => (child.kill('SIGKILL'), resolve()), graceMs);
    child.once('close', () => (clearTimeout(t), resolve()));
    child.kill('SIGTERM');
  });
}
