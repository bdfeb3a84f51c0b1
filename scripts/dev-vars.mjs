// Before `npm start`: create .dev.vars from .dev.vars.example if missing, fill in generated secrets, and say loudly when auth is off.
//
// Every value `generated-by-npm-start` becomes 32 random bytes in hex, so no two checkouts share a
// token or key. A .dev.vars from before secrets had to be 32 characters long (the old example's
// dev-token-change-me / dev-actuator-key-change-me) gets fresh values too, with a note; any other
// value is the developer's and is left alone (the server refuses one that is too short, and says why).
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

const PLACEHOLDERS = new Set(['generated-by-npm-start', 'dev-token-change-me', 'dev-actuator-key-change-me']);

if (!existsSync('.dev.vars')) {
  copyFileSync('.dev.vars.example', '.dev.vars');
  console.log('dev-vars: created .dev.vars from .dev.vars.example');
}
const before = readFileSync('.dev.vars', 'utf8');
const replaced = [];
const after = before.replace(/^(\s*([A-Z0-9_]+)\s*=\s*)"?([^"\n]*)"?[ \t]*$/gm, (line, head, name, value) => {
  if (!PLACEHOLDERS.has(value.trim())) return line;
  replaced.push(name);
  return `${head}${randomBytes(32).toString('hex')}`;
});
if (after !== before) {
  writeFileSync('.dev.vars', after, { mode: 0o600 });
  console.log(`dev-vars: generated ${replaced.join(', ')} in .dev.vars (random, 64 hex characters)`);
}
if (/^\s*EDGESCALE_DEV_AUTH_DISABLED\s*=\s*"?true"?\s*$/m.test(after)) {
  const bar = '!'.repeat(78);
  // The worker logs the same sentence on its first request (src/http/auth.ts): one wording wherever it is told.
  const { text } = JSON.parse(readFileSync(new URL('../src/http/dev-auth-warning.json', import.meta.url), 'utf8'));
  console.warn(`\n${bar}\n!!  ${text}\n!!  To require a token (EDGESCALE_API_TOKEN in .dev.vars), set EDGESCALE_DEV_AUTH_DISABLED=false there.\n${bar}\n`);
}
