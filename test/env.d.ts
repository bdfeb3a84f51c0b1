// Types for `exports` from cloudflare:workers in tests: the worker's own entry module.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('../src/index');
  }
  // An interface may extend only a name, not an import() type, so the worker's Env is named first.
  type WorkerEnv = import('../src/env').Env;
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges the worker's bindings into Cloudflare.Env.
  interface Env extends WorkerEnv {}
}
