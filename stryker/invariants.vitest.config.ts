import { defineConfig } from 'vitest/config';
import FastFirstSequencer from './fast-first-sequencer.ts';
import { warmThreads } from './warm-threads.ts';

/** Tests that mutants of invariants/ run against: unit tests on hand-built states (no
 *  exploration). can-fail.test.ts and reached-by-mutation.test.ts are left out: they run
 *  mutation scenarios (seconds each, minutes in all) that reach every invariant, so per-test
 *  coverage would rerun them for every mutant; what they show for each invariant (a failing
 *  state) the unit tests here show branch by branch. reads.test.ts is left out for the same
 *  reason (it runs every check on 1,500 reachable states of every scenario, ~25 s, and covers
 *  every check's code): the hand-built states of the unit tests check each property's declared
 *  reads on every branch they drive it down (test/invariants/pool.ts). */
export default defineConfig({
  // Stryker's vitest runner asks for the "threads" pool; this swaps in the same pool with a
  // thread that outlives a run (stryker/warm-threads.ts). Each test file still gets a fresh
  // module graph (isolate), so only vitest's own runtime is kept.
  plugins: [{
    name: 'warm-threads',
    configureVitest({ project }) {
      project.config.pool = warmThreads.name;
      (project.config as { poolRunner?: unknown }).poolRunner = warmThreads;
    },
  }],
  test: {
    include: ['test/invariants/**/*.test.ts'],
    exclude: ['test/invariants/can-fail.test.ts', 'test/invariants/reached-by-mutation.test.ts', 'test/invariants/reads.test.ts'],
    testTimeout: 60_000,
    // After Stryker's own setup file: a warm thread starts each file as a new one did.
    setupFiles: ['stryker/warm-setup.ts'],
    // Fastest file first: a mutant's run stops at its first failing test. (The files keep a
    // module graph each: test/invariants/pool.ts caches the machines it builds, which a shared
    // graph would carry from one mutant's run into the next.)
    // Read by stryker/warm-setup.ts: each file's coverage in the initial run is its own.
    env: { MEMDESC_STRYKER_ISOLATE: '1' },
    sequence: { sequencer: FastFirstSequencer },
  },
});
