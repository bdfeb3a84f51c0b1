// Before `npm start`: create .dev.vars from .dev.vars.example if missing, and say loudly when auth is off.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';

if (!existsSync('.dev.vars')) {
  copyFileSync('.dev.vars.example', '.dev.vars');
  console.log('dev-vars: created .dev.vars from .dev.vars.example');
}
if (/^\s*EDGESCALE_DEV_AUTH_DISABLED\s*=\s*"?true"?\s*$/m.test(readFileSync('.dev.vars', 'utf8'))) {
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n!!  AUTH IS DISABLED for localhost (EDGESCALE_DEV_AUTH_DISABLED=true in .dev.vars).\n!!  Development only: set it to false in .dev.vars to require the bearer token.\n${bar}\n`);
}
