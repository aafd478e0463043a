import { defineConfig } from 'vitest/config';
import FastFirstSequencer from './fast-first-sequencer.ts';
import { warmThreads } from './warm-threads.ts';

/** Tests that mutants of explorer/ run against: the engine's own, no kernel model.
 *  fingerprint.test.ts is left out: it fingerprints 2^20 states while it is collected (15 s
 *  per load under Stryker's instrumentation) to measure hash quality, and the correctness of
 *  the fingerprint table and the fingerprint function is tested by visited-sets.test.ts.
 *  Of test/parallel/, the tests that run the parallel search's workers in this thread
 *  (LocalPort) are included; threads.test.ts needs the compiled worker script in dist/, which
 *  Stryker does not mutate, and spends a minute on zsmalloc scenarios. */
export default defineConfig({
  // Stryker's vitest runner asks for the "threads" pool; this swaps in the same pool with a
  // thread that outlives a run (stryker/warm-threads.ts): one run per mutant.
  plugins: [{
    name: 'warm-threads',
    configureVitest({ project }) {
      project.config.pool = warmThreads.name;
      (project.config as { poolRunner?: unknown }).poolRunner = warmThreads;
    },
  }],
  test: {
    include: ['test/explorer/**/*.test.ts', 'test/parallel/parallel-bfs.test.ts', 'test/parallel/level-expander.test.ts', 'test/parallel/fingerprint-file.test.ts', 'test/parallel/warm-up.test.ts', 'test/parallel/shared-table.test.ts', 'test/parallel/parallel-details.test.ts', 'test/parallel/state-bound.test.ts', 'test/parallel/findings-across-chunks.test.ts', 'test/parallel/expander-rounds.test.ts', 'test/parallel/driver.test.ts', 'test/parallel/level-timing.test.ts', 'test/parallel/thread-cpu.test.ts'],
    exclude: ['test/explorer/fingerprint.test.ts'],
    testTimeout: 60_000,
    // After Stryker's own setup file: a warm thread starts each file as a new one did.
    setupFiles: ['stryker/warm-setup.ts'],
    // Property tests run a quarter of their fast-check runs (test/fuzz-runs.ts): every mutant
    // the fast tests miss reruns every property that reaches it; npm test runs them all.
    env: { MEMDESC_FUZZ_FRACTION: '0.25' },
    // One module graph for every file and every mutant run: Stryker switches mutants at run
    // time, and no test file or fixture here runs engine code at import (fixtures import types
    // only), so nothing computed under one mutant outlives its run. With a fresh graph per file,
    // loading the engine again for each of the ~40 files cost more than most mutants' tests.
    isolate: false,
    sequence: { sequencer: FastFirstSequencer },
  },
});
