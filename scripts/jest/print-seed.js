// jest `globalSetup`: prints the fast-check seed once per jest run (see fast-check-seed.js).
const { fastCheckSeed } = require('./seed');

module.exports = async () => {
  const value = process.env.FC_SEED;
  const note = value === 'random' ? 'random: each test file draws its own; a failure prints the seed to rerun with FC_SEED=<seed>' : `${fastCheckSeed(value)}${value ? ' (FC_SEED)' : ' (fixed; FC_SEED=<n> or FC_SEED=random to explore)'}`;
  process.stdout.write(`\nfast-check seed: ${note}\n`);
};
