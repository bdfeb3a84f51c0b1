// Fails when a package-lock.json entry installed from a registry has no `integrity`: `npm ci` would then install it unchecked.
// An entry counts as from a registry when it has a `resolved` URL, or a version and no `link` (omit-lockfile-registry-resolved
// leaves `resolved` out of every entry, so its absence proves nothing). Links point into the repository and have no hash.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8'));
const missing = Object.entries(lock.packages ?? {}).filter(
  ([path, entry]) => path !== '' && !entry.link && (entry.resolved !== undefined || entry.version !== undefined) && !entry.integrity,
);
for (const [path, entry] of missing) console.error(`check-lock: ${file}: ${path}@${entry.version ?? '?'} has no integrity`);
if (missing.length > 0) {
  console.error(`check-lock: ${missing.length} entries without integrity; regenerate the lock with npm install, never by hand`);
  process.exitCode = 1;
} else console.log(`check-lock: ${Object.keys(lock.packages ?? {}).length - 1} entries, every one with integrity`);
