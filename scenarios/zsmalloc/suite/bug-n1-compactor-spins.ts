import type { Scenario } from '../types.js';
import { A, D, compact, free } from '../ops.js';
import { compactionPool, compactionSetup } from './compact-vs-free.js';

/** bug-a1-pin-lost's threads without A1: zs_free(A) pins A while the legacy compactor holds
 *  class->lock. With N1 the compactor never lets go: a non-progress loop, not a bad state. */
export const scenario: Scenario = {
  id: 'bug-n1-compactor-spins',
  title: 'N1: a compactor that keeps class->lock spins on a source whose object zs_free pinned',
  description: 'zs_free(A) pins A and waits for class->lock; the compactor (class->lock held) isolates A\'s zspage as the source, cannot trypin A, puts the source back and, keeping the lock, isolates it again for ever (zs_can_compact stays true). E2 drops class->lock after every source zspage, so zs_free gets in and the scenario holds.',
  designs: ['legacy'],
  shape: compactionPool,
  setup: compactionSetup,
  threads: [
    { name: 'compact', ops: [compact()] },
    { name: 'free', ops: [free(A), free(D)] },
  ],
  mutation: 'N1',
  bounds: { maxStates: 300_000 },
  expect: { legacy: { violates: 'non-progress' } },
};
