import { defineConfig } from 'vitest/config';

/** Tests that mutants of explorer/ run against: the engine's own, no kernel model. */
export default defineConfig({
  test: {
    include: ['test/explorer/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
