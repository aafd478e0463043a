import { defineConfig } from 'vitest/config';
import FastFirstSequencer from './fast-first-sequencer.ts';

/** Tests that mutants of invariants/ run against: unit tests on hand-built states (no
 *  exploration). can-fail.test.ts and reached-by-mutation.test.ts are left out: they run
 *  mutation scenarios (seconds each, minutes in all) that reach every invariant, so per-test
 *  coverage would rerun them for every mutant; what they show for each invariant (a failing
 *  state) the unit tests here show branch by branch. reads.test.ts is left out for the same
 *  reason (it runs every check on 1,500 reachable states of every scenario, ~25 s, and covers
 *  every check's code): the hand-built states of the unit tests check each property's declared
 *  reads on every branch they drive it down (test/invariants/pool.ts). */
export default defineConfig({
  test: {
    include: ['test/invariants/**/*.test.ts'],
    exclude: ['test/invariants/can-fail.test.ts', 'test/invariants/reached-by-mutation.test.ts', 'test/invariants/reads.test.ts'],
    testTimeout: 60_000,
    // Fastest file first: a mutant's run stops at its first failing test. (The files keep a
    // module graph each: test/invariants/pool.ts caches the machines it builds, which a shared
    // graph would carry from one mutant's run into the next.)
    sequence: { sequencer: FastFirstSequencer },
  },
});
