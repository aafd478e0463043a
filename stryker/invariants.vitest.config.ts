import { defineConfig } from 'vitest/config';

/** Tests that mutants of invariants/ run against: unit tests on hand-built states (no
 *  exploration). can-fail.test.ts and reached-by-mutation.test.ts are left out: they run
 *  mutation scenarios (seconds each, minutes in all) that reach every invariant, so per-test
 *  coverage would rerun them for every mutant; what they show for each invariant (a failing
 *  state) the unit tests here show branch by branch. */
export default defineConfig({
  test: {
    include: ['test/invariants/**/*.test.ts'],
    exclude: ['test/invariants/can-fail.test.ts', 'test/invariants/reached-by-mutation.test.ts'],
    testTimeout: 60_000,
  },
});
