// Every property test of the repository runs on one fixed seed (jest `setupFiles` of every
// package, from projenrc/construct-package.ts), so CI gives the same answer twice and a red run
// is always reproducible. `FC_SEED=<n>` picks another seed; `FC_SEED=random` (what
// `npm run test:explore` sets) draws one per test file and prints it. A counterexample found
// this way becomes a fixed regression case in the test file (not a seed).
const fc = require('fast-check');
const { fastCheckSeed } = require('./seed');

const seed = fastCheckSeed(process.env.FC_SEED);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
