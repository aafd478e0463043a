import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'explorer/**/*.test.ts', 'model/**/*.test.ts', 'invariants/**/*.test.ts', 'scenarios/**/*.test.ts', 'cli/**/*.test.ts', 'report/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
