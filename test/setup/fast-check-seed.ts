// `npm test` runs every fast-check property from one fixed seed, so a red run replays exactly and CI never turns red by chance; `npm run fuzz` explores fresh seeds (FUZZ_SEED replays one). FC_SEED picks another seed here.
import fc from 'fast-check';

const seed = Number(process.env.FC_SEED ?? 20_261_206);
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, not "${process.env.FC_SEED}"`);
fc.configureGlobal({ seed });
