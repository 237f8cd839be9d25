/**
 * Test tiers. `npm test` runs the default tier: every test, with the fuzzing and the big inputs
 * at a smaller but still meaningful scale. `npm run test:full` (CNNCALC_TEST_TIER=full), which CI
 * runs, runs them all at full scale.
 */
export const FULL_TIER = process.env.CNNCALC_TEST_TIER === "full";

/** `full` in the full tier, `standard` in the default one. */
export function byTier<T>(standard: T, full: T): T {
  return FULL_TIER ? full : standard;
}
