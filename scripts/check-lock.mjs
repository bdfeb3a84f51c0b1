// Checks package-lock.json: every registry entry has its `integrity` (npm ci then checks what it installs), every entry's
// `engines.node` accepts the lowest Node of each range package.json's `engines.node` allows (EBADENGINE otherwise), and
// there is one workerd.
// An entry counts as from a registry when it has a `resolved` URL, or a version and no `link` (omit-lockfile-registry-resolved
// leaves `resolved` out of every entry, so its absence proves nothing). Links point into the repository and have no hash.
import { readFileSync } from 'node:fs';
import semver from 'semver';

const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8'));
const entries = Object.entries(lock.packages ?? {}).filter(([path]) => path !== '');
let failed = 0;

const missing = entries.filter(([, entry]) => !entry.link && (entry.resolved !== undefined || entry.version !== undefined) && !entry.integrity);
for (const [path, entry] of missing) console.error(`check-lock: ${file}: ${path}@${entry.version ?? '?'} has no integrity`);
if (missing.length > 0) {
  console.error(`check-lock: ${missing.length} entries without integrity; regenerate the lock with npm install, never by hand`);
  failed++;
}

// The lowest version of each `||` branch of our own engines range: a user on exactly that Node must install without
// EBADENGINE. (A branch's lowest version is where dependencies' floors bite; the ranges they give are open upwards.)
// npm writes package.json's engines into the lock's root entry.
const ours = lock.packages?.['']?.engines?.node;
const floors = ours.split('||').map((branch) => semver.minVersion(branch).version);
const refused = [];
for (const [path, entry] of entries) {
  const wants = entry.engines?.node;
  if (typeof wants !== 'string' || !semver.validRange(wants)) continue;
  for (const node of floors) if (!semver.satisfies(node, wants)) refused.push(`${path}@${entry.version} wants node ${wants}; package.json allows ${node}`);
}
for (const line of refused) console.error(`check-lock: ${line}`);
if (refused.length > 0) {
  console.error(`check-lock: ${refused.length} engine conflicts: raise package.json engines.node (${ours}) or change the dependency`);
  failed++;
}

// One workerd: the `workers` tests must run on the runtime `npm start` and `deploy` use (a second copy comes with a test
// plugin built on another wrangler).
const workerd = new Set(entries.filter(([path]) => /(^|\/)node_modules\/workerd$/.test(path)).map(([, entry]) => entry.version));
if (workerd.size !== 1) {
  console.error(`check-lock: ${workerd.size} workerd versions in the lock (${[...workerd].join(', ')}); tests and npm start must share one`);
  failed++;
}

if (failed > 0) process.exitCode = 1;
else
  console.log(
    `check-lock: ${entries.length} entries, every one with integrity; every engines.node accepts Node ${floors.join(', ')} (package.json: ${ours}); one workerd (${[...workerd][0]})`,
  );
