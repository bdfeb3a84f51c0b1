// Adds lock entries for the other platforms' workerd builds, which the registry mirror here does not carry:
// without them `npm ci` refuses the lock ("Missing: @cloudflare/workerd-darwin-64@"). Run after `npm install`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8'));
const PLATFORM = {
  'darwin-64': { os: ['darwin'], cpu: ['x64'] },
  'darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  'windows-64': { os: ['win32'], cpu: ['x64'] },
  'linux-64': { os: ['linux'], cpu: ['x64'] },
  'linux-arm64': { os: ['linux'], cpu: ['arm64'] },
};
/** The registry's integrity hash for a package version, so `npm ci` can verify it; undefined when the registry has none. */
function integrityOf(name, version) {
  try {
    return execFileSync('npm', ['view', `${name}@${version}`, 'dist.integrity'], { encoding: 'utf8', timeout: 60_000 }).trim() || undefined;
  } catch {
    return undefined;
  }
}
let added = 0;
let verified = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const m = /^@cloudflare\/workerd-(.+)$/.exec(dep);
    if (!m || !PLATFORM[m[1]]) continue;
    // npm resolves the dependency next to its dependent, or in a parent node_modules.
    const base = path ? `${path}/node_modules/` : 'node_modules/';
    const candidates = [];
    let p = path;
    while (true) {
      candidates.push(`${p ? p + '/' : ''}node_modules/${dep}`);
      const idx = p.lastIndexOf('/node_modules/');
      if (!p) break;
      p = idx >= 0 ? p.slice(0, idx) : '';
    }
    const found = candidates.find((c) => lock.packages[c]?.version === version);
    if (found) {
      // An entry this script added earlier may lack the hash: add it now that the registry can say.
      if (!lock.packages[found].integrity) {
        const integrity = integrityOf(dep, version);
        if (integrity) {
          lock.packages[found] = { version, integrity, ...lock.packages[found] };
          verified++;
        }
      }
      continue;
    }
    const target = candidates.find((c) => !lock.packages[c]) ?? `${base}${dep}`;
    const integrity = integrityOf(dep, version);
    lock.packages[target] = { version, ...(integrity && { integrity }), dev: entry.dev, optional: true, license: 'Apache-2.0', ...PLATFORM[m[1]], engines: { node: '>=16' } };
    if (!entry.dev) delete lock.packages[target].dev;
    added++;
  }
}
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`fixlock: added ${added} platform entries, added the integrity hash to ${verified}`);
