import type { Scenario } from '../types.js';
import { A, D, compact, free } from '../ops.js';
import { compactionPool, compactionSetup } from './compact-vs-free.js';

export const scenario: Scenario = {
  id: 'bug-a1-pin-lost',
  title: 'A1: compaction\'s record_obj drops the handle pin zs_free waits for',
  description: 'E2 compaction (source isolated first: zspage[0]) pins A, moves it, stores the new location with a plain whole-word record_obj and unpins; zs_free(A) spins in pin_tag. With the mutation the store clears the pin, zs_free takes it, and the compactor\'s unpin clears zs_free\'s pin.',
  designs: ['legacy'],
  shape: compactionPool,
  setup: compactionSetup,
  threads: [
    { name: 'compact', ops: [compact()] },
    { name: 'free', ops: [free(A), free(D)] },
  ],
  mutation: 'A1',
  bounds: { maxStates: 300_000 },
  expect: { legacy: { violates: 'handle-pin-exclusive' } },
};
