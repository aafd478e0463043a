import { defineConfig } from 'vitest/config';

/** Tests that mutants of invariants/ run against: unit tests on hand-built states (no
 *  scenario sweeps, which take minutes and would be rerun for every mutant). */
export default defineConfig({
  test: {
    include: ['test/invariants/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
