/** The fixed fast-check seed of `npm test`, and how `FC_SEED` overrides it. */
const FIXED_SEED = 20261207;

/**
 * The seed for a run: the fixed one, a whole number given in `FC_SEED`, or a random one with
 * `FC_SEED=random`. Anything else is an error naming the variable.
 */
function fastCheckSeed(value) {
  if (value === undefined || value === '') return FIXED_SEED;
  if (value === 'random') return (Math.random() * 0x100000000) ^ 0;
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new Error(`FC_SEED must be a whole number or 'random', got '${value}'`);
  }
  return Number(value);
}

module.exports = { FIXED_SEED, fastCheckSeed };
