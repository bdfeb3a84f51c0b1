// Types for `exports` from cloudflare:workers in tests: the worker's own entry module.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('../src/index');
  }
  interface Env extends import('../src/env').Env {}
}
